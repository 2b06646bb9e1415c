"""The project's declared dependencies: reading every declaration file, ``allows``, and ``add_dependency``.

Each case is a small project shaped like real ones: ``{path: text}`` as the engine hands it.
What must be left alone comes first.
"""

from __future__ import annotations

import textwrap

import pytest
from packaging.specifiers import SpecifierSet

from flaskmod.codemods.core.requirements import (
    CONSTRAINT,
    DEVELOPMENT,
    LOCK,
    OPTIONAL,
    RUNTIME,
    Declaration,
    add_dependency,
    allows,
    declared,
    is_declaration_file,
    paths_to_read,
)
from flaskmod.codemods.core.requirements.specs import admits_some, specifier_sets


def _text(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def _found(files: dict[str, str], name: str = "flask") -> list[tuple[str, int, str, str]]:
    return [(d.path, d.line, str(d.specifier), d.kind) for d in declared(files, name)]


def _added(files: dict[str, str], name: str = "structlog", spec: str = ">=24.1") -> dict[str, str]:
    """The texts after the addition (only the edited files), failing when it gives a reason instead."""
    addition = add_dependency(files, name, spec)
    assert addition.edits, addition.reason
    assert all(edit.old == files[edit.path] for edit in addition.edits)
    return {edit.path: edit.new for edit in addition.edits}


def _refused(files: dict[str, str], name: str = "structlog") -> str:
    addition = add_dependency(files, name, ">=24.1")
    assert addition.edits == []
    assert addition.reason
    return addition.reason


# -- which files declare ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("pyproject.toml", True),
        ("requirements.txt", True),
        ("requirements-dev.txt", True),
        ("requirements/base.txt", True),
        ("requirements.in", True),
        ("setup.cfg", True),
        ("setup.py", True),
        ("Pipfile", True),
        ("Pipfile.lock", True),
        ("poetry.lock", True),
        ("uv.lock", True),
        ("docs/requirements.txt", False),
        ("requirements/extra/base.txt", False),
        ("app/setup.py", False),
        ("README.md", False),
    ],
)
def test_declaration_files(path: str, expected: bool) -> None:
    assert is_declaration_file(path) is expected


def test_paths_to_read_are_the_named_files_missing() -> None:
    files = {
        "requirements.txt": "-r requirements/base.txt\n-c constraints.txt\n",
        "requirements/base.txt": "-r ../common.txt\n-r https://example.com/r.txt\n",
        "setup.cfg": "[options]\ninstall_requires = file: deps/run.txt\n",
    }
    assert paths_to_read(files) == ["common.txt", "constraints.txt", "deps/run.txt"]
    assert paths_to_read({**files, "common.txt": "-r requirements.txt\n", "deps/run.txt": ""}) == ["constraints.txt"]


# -- reading: what is not a declaration ---------------------------------------------------------


def test_nothing_declared_in_an_empty_project() -> None:
    assert declared({}, "flask") == []
    assert declared({"app.py": "import flask\n"}, "flask") == []


def test_requirements_comments_options_urls_and_editables_declare_nothing() -> None:
    files = {
        "requirements.txt": _text(
            """
            # flask==1.0 is what we used to run
            --index-url https://pypi.org/simple
            -e git+https://github.com/pallets/flask.git#egg=flask
            https://example.com/flask-1.1.tar.gz
            flask-login==0.5  # flask==0.12 once
            ./vendor/flask
            flask @ https://example.com/flask.whl
            """
        )
    }
    assert _found(files) == []


def test_optional_dependencies_and_groups_are_not_runtime() -> None:
    files = {
        "pyproject.toml": _text(
            """
            [project]
            name = "app"
            dependencies = ["click"]

            [project.optional-dependencies]
            web = ["flask<2"]

            [dependency-groups]
            test = ["flask>=2.3"]
            """
        )
    }
    assert _found(files) == [("pyproject.toml", 6, "<2", OPTIONAL), ("pyproject.toml", 9, ">=2.3", DEVELOPMENT)]


def test_a_similar_name_is_another_distribution() -> None:
    files = {"requirements.txt": "flask-sqlalchemy==2.5\nflasky\nflask_login\n"}
    assert _found(files) == []
    assert _found(files, "Flask_Login") == [("requirements.txt", 3, "", RUNTIME)]


def test_invalid_files_declare_nothing() -> None:
    files = {"pyproject.toml": "[project\ndependencies = ['flask']\n", "setup.py": "setup(install_requires=[\n"}
    assert _found(files) == []


# -- reading: requirements files -----------------------------------------------------------------


def test_requirements_pin_with_extras_marker_and_hash() -> None:
    files = {
        "requirements.txt": _text(
            """
            click==8.0.1 \\
                --hash=sha256:aaaa
            Flask[async]==1.1.4 ; python_version >= "3.6" \\
                --hash=sha256:bbbb
            """
        )
    }
    [declaration] = declared(files, "flask")
    assert (declaration.line, str(declaration.specifier)) == (3, "==1.1.4")
    assert declaration.extras == frozenset({"async"})
    assert declaration.marker == 'python_version >= "3.6"'


def test_include_is_followed_relative_to_the_including_file() -> None:
    files = {
        "requirements.txt": "-r requirements/prod.txt\n",
        "requirements/prod.txt": "-r base.txt\ngunicorn\n",
        "requirements/base.txt": "Flask>=1.0,<2.0\n",
    }
    assert _found(files) == [("requirements/base.txt", 1, "<2.0,>=1.0", RUNTIME)]


def test_include_outside_the_globs_takes_the_kind_of_its_includer() -> None:
    files = {"requirements-dev.txt": "--requirement=common.txt\npytest\n", "common.txt": "flask\n"}
    assert _found(files) == [("common.txt", 1, "", DEVELOPMENT)]


def test_include_cycle_and_missing_include_are_harmless() -> None:
    files = {"requirements.txt": "-r other.txt\n-r missing.txt\nflask\n", "other.txt": "-r requirements.txt\n"}
    assert _found(files) == [("requirements.txt", 3, "", RUNTIME)]


def test_files_setuptools_reads_are_runtime() -> None:
    files = {"setup.cfg": "[options]\ninstall_requires = file: deps/run.txt\n", "deps/run.txt": "flask==1.1.4\n"}
    assert _found(files) == [("deps/run.txt", 1, "==1.1.4", RUNTIME)]
    pyproject = '[project]\ndynamic = ["dependencies"]\n[tool.setuptools.dynamic]\ndependencies = {file = "run.in"}\n'
    assert _found({"pyproject.toml": pyproject, "run.in": "flask\n"}) == [("run.in", 1, "", RUNTIME)]


def test_constraints_file() -> None:
    files = {"requirements.txt": "-c constraints.txt\nflask\n", "constraints.txt": "flask==1.1.4\n"}
    assert _found(files) == [("constraints.txt", 1, "==1.1.4", CONSTRAINT), ("requirements.txt", 2, "", RUNTIME)]


def test_pip_compile_output_is_a_lock() -> None:
    files = {
        "requirements.in": "flask\n",
        "requirements.txt": _text(
            """
            #
            # This file is autogenerated by pip-compile with Python 3.11
            #
            flask==1.1.4
                # via -r requirements.in
            """
        ),
    }
    assert _found(files) == [("requirements.in", 1, "", RUNTIME), ("requirements.txt", 4, "==1.1.4", LOCK)]


def test_crlf_requirements_lines_are_counted_right() -> None:
    files = {"requirements.txt": "click\r\n\r\nflask==1.1.2\r\n"}
    assert _found(files) == [("requirements.txt", 3, "==1.1.2", RUNTIME)]


# -- reading: pyproject, setup files, Pipfile, locks ----------------------------------------------


def test_pep621_dependencies() -> None:
    files = {
        "pyproject.toml": _text(
            """
            [project]
            name = "app"
            dependencies = [
                "click>=8",  # the CLI
                'Flask[async] >= 2.0, < 3',
            ]
            """
        )
    }
    assert _found(files) == [("pyproject.toml", 5, "<3,>=2.0", RUNTIME)]


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        ("^1.1", ">=1.1,<2"),
        ("^1.2.3", ">=1.2.3,<2"),
        ("^0.2.3", ">=0.2.3,<0.3"),
        ("^0.0.3", ">=0.0.3,<0.0.4"),
        ("^0", ">=0,<1"),
        ("~1.2.3", ">=1.2.3,<1.3"),
        ("~1.2", ">=1.2,<1.3"),
        ("~1", ">=1,<2"),
        ("~=1.2", "~=1.2"),
        ("1.1.4", "==1.1.4"),
        ("1.1.*", "==1.1.*"),
        (">= 1.0, < 2.0", ">=1.0,<2.0"),
        (">=1.0 <2.0", ">=1.0,<2.0"),
        ("*", ""),
    ],
)
def test_poetry_constraints_in_pep440(constraint: str, expected: str) -> None:
    assert specifier_sets(constraint) == [SpecifierSet(expected)]


def test_poetry_or_is_two_sets_and_nonsense_is_none() -> None:
    assert specifier_sets("^1.1 || ^2.0") == [SpecifierSet(">=1.1,<2"), SpecifierSet(">=2.0,<3")]
    assert specifier_sets("^banana") is None


def test_poetry_tables() -> None:
    files = {
        "pyproject.toml": _text(
            """
            [tool.poetry.dependencies]
            python = "^3.8"
            Flask = {version = "^1.1", extras = ["dotenv"]}

            [tool.poetry.group.dev.dependencies]
            flask = "2.0.1"

            [tool.poetry.dev-dependencies.flask]
            git = "https://github.com/pallets/flask.git"
            """
        )
    }
    assert _found(files) == [("pyproject.toml", 3, "<2,>=1.1", RUNTIME), ("pyproject.toml", 6, "==2.0.1", DEVELOPMENT)]
    assert declared(files, "flask")[0].extras == frozenset({"dotenv"})


def test_poetry_optional_entry_is_an_extra() -> None:
    files = {"pyproject.toml": '[tool.poetry.dependencies]\nflask = { version = ">=1.0", optional = true }\n'}
    assert _found(files) == [("pyproject.toml", 2, ">=1.0", OPTIONAL)]


def test_setup_cfg() -> None:
    files = {
        "setup.cfg": _text(
            """
            [metadata]
            name = app

            [options]
            packages = find:
            install_requires =
                click
                # pinned until the blueprints move
                flask~=1.1.2
            tests_require = flask>=2

            [options.extras_require]
            async = flask[async]>=2.0
            """
        )
    }
    assert _found(files) == [
        ("setup.cfg", 9, "~=1.1.2", RUNTIME),
        ("setup.cfg", 10, ">=2", DEVELOPMENT),
        ("setup.cfg", 13, ">=2.0", OPTIONAL),
    ]


def test_setup_py_literal_and_module_level_list() -> None:
    files = {
        "setup.py": _text(
            """
            from setuptools import find_packages, setup

            REQUIRES = [
                "click",
                "Flask>=0.12,<2",
            ]

            setup(
                name="app",
                packages=find_packages(),
                install_requires=REQUIRES,
                extras_require={"dev": ["flask==2.0.0"]},
            )
            """
        )
    }
    assert _found(files) == [("setup.py", 5, "<2,>=0.12", RUNTIME), ("setup.py", 12, "==2.0.0", OPTIONAL)]


def test_setup_py_is_never_run() -> None:
    files = {"setup.py": "raise SystemExit('ran')\nsetup(install_requires=open('requirements.txt').read().split())\n"}
    assert _found(files) == []


def test_pipfile() -> None:
    files = {
        "Pipfile": _text(
            """
            [[source]]
            url = "https://pypi.org/simple"

            [packages]
            flask = "~=1.1"
            click = "*"

            [dev-packages]
            Flask = {version = ">=2", extras = ["async"]}
            """
        )
    }
    assert _found(files) == [("Pipfile", 5, "~=1.1", RUNTIME), ("Pipfile", 9, ">=2", DEVELOPMENT)]


def test_lock_files() -> None:
    files = {
        "poetry.lock": _text(
            """
            [[package]]
            name = "click"
            version = "8.0.1"

            [package.dependencies]
            colorama = "*"

            [[package]]
            name = "Flask"
            version = "1.1.4"
            """
        ),
        "Pipfile.lock": (
            '{\n  "default": {\n    "flask": {\n      "version": "==1.1.2"\n    }\n  },\n  "develop": {}\n}\n'
        ),
        "uv.lock": 'version = 1\n\n[[package]]\nname = "flask"\nversion = "2.0.3"\n',
    }
    assert _found(files) == [
        ("Pipfile.lock", 3, "==1.1.2", LOCK),
        ("poetry.lock", 8, "==1.1.4", LOCK),
        ("uv.lock", 3, "==2.0.3", LOCK),
    ]


# -- allows ---------------------------------------------------------------------------------------


def _allows(files: dict[str, str], spec: str = "<2.0") -> bool | None:
    return allows(declared(files, "flask"), spec)


def test_allows_is_none_when_nothing_declares() -> None:
    assert allows([], "<2.0") is None
    assert _allows({"requirements.txt": "click\n"}) is None


@pytest.mark.parametrize(
    ("requirement", "expected"),
    [
        ("flask ~= 1.1.2", True),
        ("flask>=2", False),
        ("flask>=2.0.0rc1", False),
        ("flask", True),
        ("flask==1.1.*", True),
        ("flask==2.*", False),
        ("flask>1.1.4,<1.1.5", True),
        ("flask<=2.0", True),
        ("flask!=1.1.4,>=1.1.4,<1.1.5", True),
        ("flask>=1.1.4,<=1.1.4,!=1.1.4", False),
        ("flask>=1.1.4,<1.1.4.1,!=1.1.4", True),  # 1.1.4.0.1
        ("flask===1.0", True),
        ("flask>3,<2", False),
    ],
)
def test_allows_flask_below_2(requirement: str, expected: bool) -> None:
    assert _allows({"requirements.txt": requirement + "\n"}) is expected


def test_allows_with_poetry_caret() -> None:
    assert _allows({"pyproject.toml": '[tool.poetry.dependencies]\nflask = "^1.1"\n'}) is True
    assert _allows({"pyproject.toml": '[tool.poetry.dependencies]\nflask = "^2.0"\n'}) is False


def test_allows_through_an_include() -> None:
    assert _allows({"requirements.txt": "-r base.txt\n", "base.txt": "flask~=1.1.2\n"}) is True


def test_a_lock_pin_decides_over_a_loose_specifier() -> None:
    loose = {"pyproject.toml": '[project]\nname = "a"\ndependencies = ["flask>=1.0"]\n'}
    assert _allows(loose) is True
    assert _allows({**loose, "poetry.lock": '[[package]]\nname = "flask"\nversion = "2.2.5"\n'}) is False
    assert _allows({**loose, "uv.lock": '[[package]]\nname = "flask"\nversion = "1.1.4"\n'}) is True


def test_a_constraint_narrows_every_requirement() -> None:
    files = {"requirements.txt": "-c constraints.txt\nflask\n", "constraints.txt": "flask>=2.2\n"}
    assert _allows(files) is False


def test_any_runtime_declaration_that_allows_is_enough() -> None:
    files = {"requirements.txt": "flask>=2\n", "setup.py": "setup(install_requires=['flask>=1.0'])\n"}
    assert _allows(files) is True


def test_development_declarations_answer_when_there_is_no_runtime_one() -> None:
    assert _allows({"requirements-dev.txt": "flask==1.1.4\n"}) is True
    assert _allows({"requirements-dev.txt": "flask==1.1.4\n", "requirements.txt": "flask>=2.3\n"}) is False


def test_allows_takes_a_specifier_set() -> None:
    declaration = Declaration("requirements.txt", 1, "flask", SpecifierSet("~=1.1.2"))
    assert allows([declaration], SpecifierSet(">=1.1.3,<1.2")) is True
    assert allows([declaration], SpecifierSet(">=1.2")) is False


def test_admits_some() -> None:
    assert admits_some([SpecifierSet(">=1.1,<1.2"), SpecifierSet("!=1.1")])
    assert not admits_some([SpecifierSet("==1.1"), SpecifierSet("!=1.1")])
    assert not admits_some([SpecifierSet("<1"), SpecifierSet(">=1")])


# -- add_dependency: when it adds nothing -------------------------------------------------------


def test_no_declaration_says_what_it_searched() -> None:
    assert "searched: none of pyproject.toml" in _refused({"app.py": "import flask\n"})
    assert "searched: poetry.lock" in _refused({"poetry.lock": ""})


def test_already_declared_structlog_is_never_duplicated() -> None:
    files = {"requirements.txt": "flask\nstructlog==23.1.0\n"}
    assert _refused(files) == "structlog is already declared (requirements.txt:2)"
    pyproject = '[project]\nname = "a"\ndependencies = ["Structlog>=21"]\n'
    assert "pyproject.toml:3" in _refused({"pyproject.toml": pyproject})


def test_already_declared_in_another_runtime_file() -> None:
    files = {"pyproject.toml": '[project]\nname = "a"\ndependencies = []\n', "requirements.txt": "structlog\n"}
    assert _refused(files) == "structlog is already declared (requirements.txt:1)"


def test_hashed_requirements_are_not_edited() -> None:
    files = {"requirements.txt": "flask==2.0.1 \\\n    --hash=sha256:aaaa\n"}
    assert "--hash" in _refused(files)


def test_setup_py_with_computed_install_requires_is_not_edited() -> None:
    files = {"setup.py": "setup(install_requires=open('requirements.txt').read().split())\n"}
    assert "no file declares" in _refused(files)


def test_compiled_requirements_alone_are_not_edited() -> None:
    files = {"requirements.txt": "# autogenerated by pip-compile\nflask==2.0.1\n"}
    assert "no file declares" in _refused(files)


def test_dynamic_dependencies_without_their_file() -> None:
    files = {"pyproject.toml": '[project]\nname = "a"\ndynamic = ["dependencies"]\n'}
    assert "no file declares" in _refused(files)


# -- add_dependency: requirements files -----------------------------------------------------------


def test_requirements_sorted_position() -> None:
    files = {"requirements.txt": "click==8.0\nflask==2.0\n# web server\ngunicorn==20.1\nzope.interface\n"}
    expected = "click==8.0\nflask==2.0\n# web server\ngunicorn==20.1\nstructlog>=24.1\nzope.interface\n"
    assert _added(files) == {"requirements.txt": expected}


def test_requirements_sorted_position_first() -> None:
    files = {"requirements.txt": "-r base.txt\nwerkzeug\nzipp\n", "base.txt": "# base\n"}
    assert _added(files, "apispec", "") == {"base.txt": "# base\napispec\n"}
    files = {"requirements.txt": "# app\nwerkzeug\nzipp\n"}
    assert _added(files, "apispec", "") == {"requirements.txt": "# app\napispec\nwerkzeug\nzipp\n"}


def test_requirements_unsorted_appended() -> None:
    files = {"requirements.txt": "flask\nclick\n"}
    assert _added(files) == {"requirements.txt": "flask\nclick\nstructlog>=24.1\n"}


def test_requirements_without_final_newline() -> None:
    assert _added({"requirements.txt": "flask\nclick"}) == {"requirements.txt": "flask\nclick\nstructlog>=24.1"}


def test_requirements_crlf() -> None:
    files = {"requirements.txt": "click\r\nflask~=1.1.2\r\nrequests\r\n"}
    assert _added(files) == {"requirements.txt": "click\r\nflask~=1.1.2\r\nrequests\r\nstructlog>=24.1\r\n"}


def test_requirements_continuation_line_stays_whole() -> None:
    files = {"requirements.txt": "flask==2.0 \\\n    ; python_version > '3'\nzope\n"}
    assert _added(files) == {"requirements.txt": "flask==2.0 \\\n    ; python_version > '3'\nstructlog>=24.1\nzope\n"}


def test_requirements_include_goes_to_the_shared_base() -> None:
    files = {
        "requirements.txt": "-r requirements/prod.txt\n",
        "requirements/prod.txt": "-r base.txt\ngunicorn\n",
        "requirements/base.txt": "flask\n",
        "requirements/dev.txt": "-r base.txt\npytest\n",
    }
    assert _added(files) == {"requirements/base.txt": "flask\nstructlog>=24.1\n"}


def test_requirements_in_is_edited_and_its_compiled_file_noted() -> None:
    files = {"requirements.in": "flask\n", "requirements.txt": "# uv pip compile requirements.in\nflask==3.0.0\n"}
    addition = add_dependency(files, "structlog", ">=24.1")
    assert [(e.path, e.new) for e in addition.edits] == [("requirements.in", "flask\nstructlog>=24.1\n")]
    assert any("requirements.txt is generated" in note for note in addition.notes)


def test_an_exported_requirements_file_is_generated_not_a_second_declaration() -> None:
    exported = "# This file was autogenerated by uv via the following command:\n#    uv export --frozen\nflask==3.0.0\n"
    files = {"pyproject.toml": '[project]\nname = "a"\ndependencies = ["flask"]\n', "requirements.txt": exported}
    addition = add_dependency(files, "structlog", ">=24.1")
    assert [e.path for e in addition.edits] == ["pyproject.toml"]
    assert any("requirements.txt is generated" in note for note in addition.notes)
    assert not any("also lists runtime dependencies" in note for note in addition.notes)


def test_dev_only_requirements_file_is_not_the_runtime_declaration() -> None:
    assert "no file declares" in _refused({"requirements-dev.txt": "pytest\n"})


def test_empty_requirements_file() -> None:
    assert _added({"requirements.txt": ""}) == {"requirements.txt": "structlog>=24.1\n"}


# -- add_dependency: pyproject ---------------------------------------------------------------------


def test_pyproject_multiline_array_with_trailing_comma() -> None:
    files = {"pyproject.toml": '[project]\nname = "a"\ndependencies = [\n  "flask",\n  "click",\n]\n'}
    expected = '[project]\nname = "a"\ndependencies = [\n  "flask",\n  "click",\n  "structlog>=24.1",\n]\n'
    assert _added(files) == {"pyproject.toml": expected}


def test_pyproject_multiline_array_without_trailing_comma_and_comment() -> None:
    files = {"pyproject.toml": "[project]\ndependencies = [\n    'flask',\n    'click'  # cli\n]\n"}
    expected = "[project]\ndependencies = [\n    'flask',\n    'click',  # cli\n    'structlog>=24.1'\n]\n"
    assert _added(files) == {"pyproject.toml": expected}


def test_pyproject_sorted_array() -> None:
    lines = ["[project]", "dependencies = [", '    "click",', "    # web", '    "flask",', '    "sqlalchemy",']
    files = {"pyproject.toml": "\n".join([*lines, '    "wtforms",', "]", ""])}
    expected = "\n".join([*lines, '    "structlog>=24.1",', '    "wtforms",', "]", ""])
    assert _added(files) == {"pyproject.toml": expected}


def test_pyproject_inline_array() -> None:
    files = {"pyproject.toml": '[project]\nname = "a"\ndependencies = ["flask>=2", "click"]\n[tool.x]\n'}
    expected = '[project]\nname = "a"\ndependencies = ["flask>=2", "click", "structlog>=24.1"]\n[tool.x]\n'
    assert _added(files) == {"pyproject.toml": expected}


def test_pyproject_bracket_on_the_last_item_line_and_extras_brackets() -> None:
    files = {"pyproject.toml": '[project]\ndependencies = [\n    "flask[async]>=2",\n    "click"]\n'}
    expected = '[project]\ndependencies = [\n    "flask[async]>=2",\n    "click",\n    "structlog>=24.1"]\n'
    assert _added(files) == {"pyproject.toml": expected}


def test_pyproject_empty_array_and_no_array() -> None:
    files = {"pyproject.toml": '[project]\nname = "a"\ndependencies = []\n'}
    assert _added(files)["pyproject.toml"] == '[project]\nname = "a"\ndependencies = ["structlog>=24.1"]\n'
    files = {"pyproject.toml": '[project]\nname = "a"\nrequires-python = ">=3.8"\nversion = "1"\n'}
    expected = '[project]\nname = "a"\nrequires-python = ">=3.8"\ndependencies = ["structlog>=24.1"]\nversion = "1"\n'
    assert _added(files) == {"pyproject.toml": expected}


def test_pyproject_project_without_dependencies_comes_last() -> None:
    files = {"pyproject.toml": '[project]\nname = "a"\n', "requirements.txt": "flask\n"}
    assert _added(files) == {"requirements.txt": "flask\nstructlog>=24.1\n"}


def test_pyproject_project_wins_over_requirements_which_is_noted() -> None:
    files = {"pyproject.toml": '[project]\ndependencies = ["flask"]\n', "requirements.txt": "flask==2.0\n"}
    addition = add_dependency(files, "structlog", "")
    assert [e.path for e in addition.edits] == ["pyproject.toml"]
    assert "requirements.txt also lists runtime dependencies and was not edited" in addition.notes


def test_pyproject_dynamic_dependencies_edit_their_file() -> None:
    files = {
        "pyproject.toml": _text(
            """
            [project]
            name = "a"
            dynamic = ["dependencies"]

            [tool.setuptools.dynamic]
            dependencies = {file = ["requirements.txt"]}
            """
        ),
        "requirements.txt": "flask\n",
    }
    assert _added(files) == {"requirements.txt": "flask\nstructlog>=24.1\n"}


def test_pyproject_dynamic_dependencies_from_a_compiled_file_edit_its_source() -> None:
    compiled = (
        "#\n# This file is autogenerated by pip-compile with Python 3.10\n#\n"
        "flask==3.0.0\n    # via -r requirements.in\n"
    )
    files = {
        "pyproject.toml": _text(
            """
            [project]
            name = "a"
            dynamic = ["dependencies"]

            [tool.setuptools.dynamic]
            dependencies = {file = ["requirements.txt"]}
            """
        ),
        "requirements.txt": compiled,
        "requirements.in": "flask\n",
    }
    assert _added(files) == {"requirements.in": "flask\nstructlog>=24.1\n"}


def test_poetry_caret_style_and_lock_note() -> None:
    pyproject = (
        '[tool.poetry.dependencies]\npython = "^3.10"\nflask = "^1.1"\nclick = "^8.0"\n\n'
        '[tool.poetry.group.dev.dependencies]\npytest = "^7"\n'
    )
    files = {"pyproject.toml": pyproject, "poetry.lock": ""}
    addition = add_dependency(files, "structlog", ">=24.1")
    assert addition.edits[0].new == pyproject.replace('click = "^8.0"\n', 'click = "^8.0"\nstructlog = "^24.1"\n')
    assert "poetry.lock is not edited: run `poetry lock` so it pins structlog" in addition.notes


def test_poetry_sorted_after_python_and_plain_specifier() -> None:
    pyproject = "[tool.poetry.dependencies]\npython='>=3.8'\nclick='>=8'\nflask='>=2'\n"
    expected = "[tool.poetry.dependencies]\npython='>=3.8'\nclick='>=8'\nflask='>=2'\nstructlog='>=24.1'\n"
    assert _added({"pyproject.toml": pyproject}) == {"pyproject.toml": expected}
    assert _added({"pyproject.toml": pyproject}, "apispec", "") == {
        "pyproject.toml": pyproject.replace("python='>=3.8'\n", "python='>=3.8'\napispec='*'\n")
    }


# -- add_dependency: setup.cfg, setup.py, Pipfile ------------------------------------------------


def test_setup_cfg_install_requires() -> None:
    cfg = "[metadata]\nname = a\n\n[options]\ninstall_requires =\n\tclick\n\tflask\npackages = find:\n"
    expected = cfg.replace("\tflask\n", "\tflask\n\tstructlog>=24.1\n")
    assert _added({"setup.cfg": cfg, "requirements.txt": "flask\n"}) == {"setup.cfg": expected}


def test_setup_cfg_value_on_the_key_line() -> None:
    cfg = "[options]\ninstall_requires = flask\n"
    assert _added({"setup.cfg": cfg}) == {"setup.cfg": "[options]\ninstall_requires = flask\n    structlog>=24.1\n"}


def test_setup_cfg_file_directive_hands_over() -> None:
    files = {"setup.cfg": "[options]\ninstall_requires = file: reqs/run.txt\n", "reqs/run.txt": "flask\n"}
    assert _added(files) == {"reqs/run.txt": "flask\nstructlog>=24.1\n"}


def test_setup_py_multiline_list() -> None:
    setup_py = _text(
        """
        from setuptools import setup

        setup(
            name="app",
            install_requires=[
                "Flask>=1.1",
                "itsdangerous",
            ],
        )
        """
    )
    expected = setup_py.replace('"itsdangerous",\n', '"itsdangerous",\n        "structlog>=24.1",\n')
    assert _added({"setup.py": setup_py}) == {"setup.py": expected}


def test_setup_py_tuple_with_unicode_before_it() -> None:
    setup_py = "setup(description='Ünïcode', install_requires=('flask',))\n"
    expected = "setup(description='Ünïcode', install_requires=('flask', 'structlog>=24.1',))\n"
    assert _added({"setup.py": setup_py}) == {"setup.py": expected}


def test_setup_py_wins_over_requirements() -> None:
    files = {"setup.py": "setup(install_requires=['flask'])\n", "requirements.txt": "-e .\n"}
    assert _added(files) == {"setup.py": "setup(install_requires=['flask', 'structlog>=24.1'])\n"}


def test_pipfile_packages() -> None:
    pipfile = (
        '[[source]]\nname = "pypi"\n\n[packages]\nflask = "*"\nrequests = "==2.31"\n\n[dev-packages]\npytest = "*"\n'
    )
    expected = pipfile.replace('requests = "==2.31"\n', 'requests = "==2.31"\nstructlog = ">=24.1"\n')
    addition = add_dependency({"Pipfile": pipfile, "Pipfile.lock": "{}"}, "structlog", ">=24.1")
    assert addition.edits[0].new == expected
    assert "Pipfile.lock is not edited: run `pipenv lock` so it pins structlog" in addition.notes


def test_pipfile_empty_packages_table() -> None:
    pipfile = "[packages]\n\n[dev-packages]\n"
    assert _added({"Pipfile": pipfile}, "structlog", "") == {
        "Pipfile": '[packages]\nstructlog = "*"\n\n[dev-packages]\n'
    }


def test_requirements_win_over_pipfile() -> None:
    files = {"Pipfile": '[packages]\nflask = "*"\n', "requirements.txt": "flask\n"}
    addition = add_dependency(files, "structlog", "")
    assert [e.path for e in addition.edits] == ["requirements.txt"]
    assert "Pipfile also lists runtime dependencies and was not edited" in addition.notes


def test_only_optional_declaration_still_adds_the_runtime_one() -> None:
    pyproject = '[project]\ndependencies = ["flask"]\n\n[project.optional-dependencies]\nlog = ["structlog"]\n'
    addition = add_dependency({"pyproject.toml": pyproject}, "structlog", "")
    assert addition.edits[0].new.startswith('[project]\ndependencies = ["flask", "structlog"]\n')
    assert "pyproject.toml:5 declares structlog for optional only" in addition.notes


def test_an_edit_that_does_not_read_back_is_withdrawn() -> None:
    # a continuation backslash on the last line would join the new line to it
    assert "did not read back" in _refused({"requirements.txt": "flask \\"})
