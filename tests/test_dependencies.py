"""A codemod's output that imports a new distribution declares it in the same change."""

from __future__ import annotations

from pathlib import Path

from flaskmod.codemods.core.engine import RunRequest, run
from flaskmod.codemods.core.results import RunResult
from flaskmod.codemods.core.writer import write_results
from flaskmod.codemods.structlog_logging import StructlogLogging

VIEWS = 'import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef f(user):\n    logger.info("%s in", user)\n'


def _project(tmp_path: Path, **declarations: str) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text(VIEWS)
    for name, text in declarations.items():
        (tmp_path / name.replace("__", ".")).write_bytes(text.encode())
    return tmp_path


def _run(*paths: Path) -> RunResult:
    return run(RunRequest(paths=paths, codemods=(StructlogLogging,), allow_unsafe=True, root=paths[0]))


def _changed(result: RunResult) -> dict[str, str]:
    return {f.display: f.final or "" for f in result.changed_files}


def test_the_requirement_joins_the_change_and_is_written_with_it(tmp_path: Path) -> None:
    project = _project(tmp_path, requirements__txt="flask>=2.0\r\nrequests\r\n")
    result = _run(project)
    changed = _changed(result)
    assert changed["requirements.txt"] == "flask>=2.0\r\nrequests\r\nstructlog>=21.5\r\n"
    files = {f.display: f for f in result.changed_files}
    assert files["requirements.txt"].group == files["app/views.py"].group is not None
    [record] = files["requirements.txt"].records
    assert record.codemod == "structlog-logging" and "added to requirements.txt" in record.findings[0].message
    write_results(result.files)
    assert (project / "requirements.txt").read_bytes() == b"flask>=2.0\r\nrequests\r\nstructlog>=21.5\r\n"
    assert _run(project).changed_files == []


def test_pyproject_dependencies_get_it_in_their_own_style(tmp_path: Path) -> None:
    pyproject = '[project]\nname = "shop"\ndependencies = [\n    "flask>=2.2",\n]\n'
    project = _project(tmp_path, pyproject__toml=pyproject)
    assert _changed(_run(project))["pyproject.toml"] == pyproject.replace(
        '"flask>=2.2",\n', '"flask>=2.2",\n    "structlog>=21.5",\n'
    )


def test_a_project_that_declares_it_already_is_left_alone(tmp_path: Path) -> None:
    project = _project(tmp_path, requirements__txt="flask\nstructlog==24.1.0\n")
    assert set(_changed(_run(project))) == {"app/views.py"}


def test_no_declaration_is_a_finding_naming_what_was_searched(tmp_path: Path) -> None:
    project = _project(tmp_path)
    result = _run(project)
    assert set(_changed(result)) == {"app/views.py"}
    [record] = result.changed_files[0].records
    message = record.findings[0].message
    assert message.startswith("needs `structlog>=21.5`, which the project does not declare")
    assert "pyproject.toml" in message and "requirements*.txt" in message


def test_a_declaration_above_the_tree_given_is_not_edited(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("flask\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    project = _project(inner)
    result = _run(project)
    assert set(_changed(result)) == {"app/views.py"}
    assert (tmp_path / "requirements.txt").read_text() == "flask\n"


def test_a_view_module_named_setup_py_is_no_declaration(tmp_path: Path) -> None:
    project = _project(tmp_path, requirements__txt="flask\n")
    (project / "app" / "setup.py").write_text("from flask import request\n\n\ndef setup():\n    return 'first run'\n")
    assert _changed(_run(project))["requirements.txt"] == "flask\nstructlog>=21.5\n"
