"""Edits to other files: existing modules are only appended to, groups are all or nothing.

Each test runs the CLI over the directory, as users do (`flaskmod run .`), so the
services module is part of the scanned tree.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import libcst as cst
import pytest
from click.testing import CliRunner

import flaskmod.codemods.core.writer as writer
from flaskmod.cli import main
from flaskmod.codemods.core.base import Codemod, Example, ExtraFileEdit, Safety
from flaskmod.codemods.core.consistency import check_imports
from flaskmod.codemods.core.engine import RunRequest, run
from flaskmod.codemods.core.results import FileResult

CONFIG = "[tool.flaskmod.extract-services]\nmax-view-statements = 3\nmin-statements = 3\n"


def fat_view(name: str, factor: int, indent: str = "    ") -> str:
    body = f"""
    @bp.route('/{name}', methods=['POST'])
    def {name}():
        name = request.form.get('name', '')
        total = 0
        for ch in name:
            total += ord(ch)
        total = total * {factor}
        {name}_label = 'x' + str(total)
        return render_template('{name}.html', label={name}_label)
    """
    return textwrap.indent(textwrap.dedent(body), indent)


def factory_module(*views: str) -> str:
    return (
        "from flask import Blueprint, request, render_template\n\n\n"
        "def construct_blueprint(store):\n"
        "    bp = Blueprint('shop', __name__)\n" + "".join(views) + "\n    return bp\n"
    )


def invoke(*args: str) -> object:
    return CliRunner().invoke(main, ["run", "--no-progress", *args], catch_exceptions=False)


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=root, check=True, capture_output=True
    )


def defined_names(path: Path) -> set[str]:
    return {
        s.name.value for s in cst.parse_module(path.read_text()).body if isinstance(s, (cst.FunctionDef, cst.ClassDef))
    }


def imported_from_services(path: Path) -> set[str]:
    names: set[str] = set()
    for line in path.read_text().splitlines():
        match = re.match(r"from \.?services import (.*)", line)
        if match:
            names |= {n.strip() for n in match[1].split(",")}
    return names


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    (root / "pyproject.toml").write_text(CONFIG)
    (root / "app" / "views.py").write_text(factory_module(fat_view("a", 2)))
    monkeypatch.chdir(root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


def test_a_second_extraction_appends_to_the_services_of_the_first(project: Path, tmp_path: Path) -> None:
    views, services = project / "app" / "views.py", project / "app" / "services.py"
    assert invoke("--unsafe", "--select", "extract-services", ".").exit_code == 0
    first = services.read_text()
    assert defined_names(services) == {"compute_a_label"}
    git(project, "add", "-A")
    git(project, "commit", "-qm", "one")
    views.write_text(views.read_text().replace("\n    return bp\n", fat_view("c", 3) + "\n    return bp\n"))
    git(project, "commit", "-qam", "two")

    pristine = tmp_path / "pristine"
    shutil.copytree(project, pristine)
    shown = invoke("--unsafe", "--select", "extract-services", "--dry-run", "--format", "diff", ".")
    assert shown.exit_code == 0
    assert "-def compute_a_label" not in shown.stdout  # the patch shows no deletion: there is none
    (tmp_path / "p.patch").write_bytes(shown.stdout_bytes)
    subprocess.run(["git", "apply", str(tmp_path / "p.patch")], cwd=pristine, check=True)

    assert invoke("--unsafe", "--select", "extract-services", ".").exit_code == 0
    assert services.read_text().startswith(first)  # only appended to
    assert defined_names(services) == {"compute_a_label", "compute_c_label"}
    assert imported_from_services(views) == {"compute_a_label", "compute_c_label"}
    assert services.read_bytes() == (pristine / "app" / "services.py").read_bytes()
    assert views.read_bytes() == (pristine / "app" / "views.py").read_bytes()
    assert invoke("--unsafe", "--check", ".").exit_code == 0


def test_a_hand_written_services_module_survives_the_first_run(project: Path) -> None:
    services = project / "app" / "services.py"
    own = "def existing_helper(x):\n    return x * 2\n"
    services.write_text(own)
    git(project, "add", "-A")
    git(project, "commit", "-qm", "own services")
    assert invoke("--unsafe", ".").exit_code == 0
    assert services.read_text().startswith(own)
    assert defined_names(services) == {"existing_helper", "compute_a_label"}
    assert invoke("--unsafe", "--check", ".").exit_code == 0


def test_same_name_views_in_two_modules_get_two_services(project: Path) -> None:
    package = project / "app"
    (package / "__init__.py").write_text(factory_module(fat_view("a", 5)))
    git(project, "add", "-A")
    git(project, "commit", "-qm", "package")
    assert invoke("--unsafe", "--select", "extract-services", ".").exit_code == 0
    services = package / "services.py"
    # Both would be `compute_a_label`: one module gets it, the other keeps its view (never `_2`).
    assert defined_names(services) == {"compute_a_label"}
    called = [m for m in ("__init__.py", "views.py") if imported_from_services(package / m)]
    assert len(called) == 1
    factor = 5 if called == ["__init__.py"] else 2
    assert f"total * {factor}" in services.read_text()
    assert invoke("--unsafe", "--select", "extract-services", "--check", ".").exit_code == 0


def test_without_a_second_transform_a_clash_is_a_skip(project: Path) -> None:
    from flaskmod.codemods.core.crossfile import merge_edits
    from flaskmod.codemods.core.engine import transform_source
    from flaskmod.codemods.extract_services import ExtractServices

    package = project / "app"
    (package / "__init__.py").write_text(factory_module(fat_view("a", 5)))
    options = {"extract-services": {"max-view-statements": 3, "min-statements": 3}}
    files = [
        transform_source(path, f"app/{path.name}", path.read_bytes(), (ExtractServices,), options, True)
        for path in (Path("app/__init__.py"), Path("app/views.py"))
    ]
    merge_edits(files, (ExtractServices,), (project,), project)
    services = next(f for f in files if f.display == "app/services.py")
    assert services.final is not None and services.final.count("def compute_a_label(") == 1
    skipped = [n.message for f in files for r in f.records for n in r.skips]
    assert skipped == ["not extracted: app/services.py already defines `compute_a_label`"]
    views = next(f for f in files if f.display == "app/views.py")
    assert views.final == views.original  # its change is withdrawn with its edit


def test_an_unwritable_services_module_leaves_the_view_untouched(project: Path) -> None:
    services = project / "app" / "services.py"
    services.write_text("def existing_helper(x):\n    return x\n")
    os.chmod(services, 0o444)
    git(project, "add", "-A")
    git(project, "commit", "-qm", "read-only services")
    views_before = (project / "app" / "views.py").read_bytes()
    result = invoke("--unsafe", "--select", "extract-services", ".")
    assert result.exit_code == 1
    assert "read-only" in result.stderr
    assert (project / "app" / "views.py").read_bytes() == views_before
    assert services.read_text() == "def existing_helper(x):\n    return x\n"


def test_a_latin_1_target_that_cannot_hold_the_code_is_an_error_for_its_group_only(project: Path) -> None:
    views = project / "app" / "views.py"
    views.write_text(views.read_text().replace("'x' + str(total)", "'€' + str(total)"))
    latin = "# -*- coding: latin-1 -*-\n# café\ndef existing_helper(x):\n    return x\n"
    (project / "app" / "services.py").write_bytes(latin.encode("latin-1"))
    other = project / "other"
    other.mkdir()
    (other / "views.py").write_text(factory_module(fat_view("b", 2)))
    git(project, "add", "-A")
    git(project, "commit", "-qm", "latin")
    views_before = views.read_bytes()
    result = invoke("--unsafe", "--select", "extract-services", ".")
    assert result.exit_code == 1
    assert "cannot add to app/services.py: its encoding (iso-8859-1) cannot hold '€'" in result.stderr
    assert views.read_bytes() == views_before
    assert (project / "app" / "services.py").read_bytes() == latin.encode("latin-1")
    assert "def compute_b_label" in (other / "services.py").read_text()  # the rest of the run went on


def test_an_unscanned_services_module_that_does_not_parse_is_an_error_for_its_group_only(project: Path) -> None:
    (project / "app" / "services.py").write_text("def broken(:\n")
    views_before = (project / "app" / "views.py").read_bytes()
    result = invoke("--unsafe", "--select", "extract-services", "app/views.py")
    assert result.exit_code == 1
    assert "cannot add to app/services.py" in result.stderr
    assert "Traceback" not in result.stderr
    assert (project / "app" / "views.py").read_bytes() == views_before


def test_a_generated_services_module_is_not_added_to(project: Path) -> None:
    generated = "# @" + "generated by a tool\ndef x():\n    return 1\n"
    (project / "app" / "services.py").write_text(generated)
    result = invoke("--unsafe", "--select", "extract-services", "--allow-dirty", ".")
    assert result.exit_code == 1
    assert "cannot add to app/services.py: it is a generated file" in result.stderr
    assert (project / "app" / "services.py").read_text() == generated


def test_a_services_symlink_to_a_file_outside_the_tree_is_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text("SECRET = 1\n")
    (project / "app" / "services.py").symlink_to(outside)
    views_before = (project / "app" / "views.py").read_bytes()
    result = invoke("--unsafe", "--select", "extract-services", "--allow-dirty", ".")
    assert result.exit_code == 2
    assert "refusing to write app/services.py: a symbolic link" in result.stderr
    assert outside.read_text() == "SECRET = 1\n"
    assert (project / "app" / "views.py").read_bytes() == views_before


def test_a_dangling_services_symlink_creates_nothing(project: Path, tmp_path: Path) -> None:
    planted = tmp_path / "site" / "zz.pth"
    (project / "app" / "services.py").symlink_to(planted)
    result = invoke("--unsafe", "--select", "extract-services", "--allow-dirty", ".")
    assert result.exit_code == 2
    assert not (tmp_path / "site").exists()


def test_a_symlink_named_on_the_command_line_is_refused(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.py"
    target.write_text((project / "app" / "views.py").read_text())
    (project / "link.py").symlink_to(target)
    before = target.read_bytes()
    result = invoke("--unsafe", "link.py")
    assert result.exit_code == 2
    assert "link.py: a symbolic link" in result.stderr
    assert target.read_bytes() == before


def test_extract_to_a_path_outside_the_project_is_a_usage_error(project: Path, tmp_path: Path) -> None:
    for bad in ("../../../x.py", str(tmp_path / "x.py")):
        result = CliRunner().invoke(
            main, ["extract", "app/views.py:a", "--lines", "10-12", "--name", "n", "--to", bad], catch_exceptions=False
        )
        assert result.exit_code == 2
        assert "--to must be a path inside the project" in result.stderr
    assert not (tmp_path / "x.py").exists()


# -- writing a group ------------------------------------------------------------------------------------


def test_a_group_writes_its_services_before_its_view_and_puts_back_on_failure(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = project / "app" / "services.py"
    services.write_text("def existing_helper(x):\n    return x\n")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "services")
    views_before = (project / "app" / "views.py").read_bytes()
    order: list[str] = []
    real_write = writer.write_atomically

    def failing_on_views(path: Path, data: bytes, mode: int | None) -> None:
        order.append(path.name)
        if path.name == "views.py" and len(order) == 2:
            raise OSError(28, "No space left on device")
        real_write(path, data, mode)

    monkeypatch.setattr(writer, "write_atomically", failing_on_views)
    result = invoke("--unsafe", "--select", "extract-services", ".")
    assert result.exit_code == 1
    assert order[:2] == ["services.py", "views.py"]  # services first: no moment shows the view without them
    assert "No space left on device" in result.stderr
    assert services.read_text() == "def existing_helper(x):\n    return x\n"  # put back
    assert (project / "app" / "views.py").read_bytes() == views_before


def test_a_read_only_file_is_not_rewritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "views.py"
    text = "from flask import Flask\napp = Flask(__name__)\n\n\ndef login_required(f):\n    return f\n\n\n"
    text += "@login_required\n@app.route('/')\ndef index():\n    return 'x'\n"
    source.write_text(text)
    os.chmod(source, 0o444)
    monkeypatch.chdir(tmp_path)
    result = invoke("--unsafe", "--allow-dirty", "--select", "route-decorator-order", ".")
    assert result.exit_code == 1
    assert "views.py: read-only; not overwritten" in result.stderr
    assert source.read_text() == text


# -- the engine's check that the files of a run agree -------------------------------------------------

DOC = "\n## What it does\nx\n## Why is this bad?\nx\n## Example\nx\n## Fix safety\nx\n"


def pair_codemod(defines: str) -> type[Codemod]:
    """A codemod that imports `helper` from a module it creates, in which it defines ``defines``."""

    class Pair(Codemod):
        __doc__ = DOC
        ID = "pair"
        SUMMARY = "writes a view and a helpers module"
        SAFETY = Safety.SAFE
        EXAMPLES = (Example("x = 1\n"),)
        TRIGGER = re.compile("MARK")

        def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
            self.propose_edit(ExtraFileEdit("helpers.py", f"def {defines}():\n    return 1\n"))
            line = cst.parse_statement("from helpers import helper\n")
            return updated_node.with_changes(body=[line, *updated_node.body])

    return Pair


def test_the_engine_writes_no_group_whose_files_disagree(tmp_path: Path) -> None:
    (tmp_path / "views.py").write_text("MARK = 1\n")
    (tmp_path / "fine.py").write_text("x = 1\n")
    result = run(RunRequest(paths=(tmp_path,), codemods=(pair_codemod("not_helper"),), root=tmp_path))
    views = next(f for f in result.files if f.display == "views.py")
    assert views.error is not None
    assert "views.py imports `helper` from helpers.py, which would not define it" in views.error.message
    assert not result.changed_files  # neither the view nor the new helpers module


def test_the_engine_check_passes_a_pair_that_agrees(tmp_path: Path) -> None:
    (tmp_path / "views.py").write_text("MARK = 1\n")
    result = run(RunRequest(paths=(tmp_path,), codemods=(pair_codemod("helper"),), root=tmp_path))
    assert sorted(f.display for f in result.changed_files) == ["helpers.py", "views.py"]
    assert {f.group for f in result.changed_files} == {"helpers.py"}


def test_ctrl_c_while_writing_names_the_files_written_and_puts_back_the_group_in_progress(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = project / "other"
    other.mkdir()
    (other / "views.py").write_text(factory_module(fat_view("b", 2)))
    git(project, "add", "-A")
    git(project, "commit", "-qm", "two packages")
    app_views = (project / "app" / "views.py").read_bytes()
    real_write = writer.write_atomically
    calls: list[Path] = []

    def interrupted_in_the_second_group(path: Path, data: bytes, mode: int | None) -> None:
        calls.append(path)
        if len(calls) == 4:  # other/views.py, after other/services.py
            raise KeyboardInterrupt
        real_write(path, data, mode)

    monkeypatch.setattr(writer, "write_atomically", interrupted_in_the_second_group)
    result = invoke("--unsafe", "--select", "extract-services", ".")
    assert result.exit_code == 130
    assert "files written before the interrupt: app/services.py, app/views.py" in result.stderr
    assert (project / "app" / "views.py").read_bytes() != app_views
    assert not (other / "services.py").exists()  # the group in progress is put back
    assert "compute_b_label" not in (other / "views.py").read_text()


def test_ctrl_c_before_writing_says_nothing_was_written(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import flaskmod.cli as cli

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run", interrupted)
    result = invoke("--unsafe", ".")
    assert result.exit_code == 130
    assert "interrupted; nothing was written" in result.stderr


def test_write_roots_reach_as_far_as_a_relative_import(tmp_path: Path) -> None:
    from flaskmod.codemods.core.crossfile import refused_target, write_roots

    views = tmp_path / "proj" / "app" / "views"
    views.mkdir(parents=True)
    for package in (tmp_path / "proj" / "app", views):
        (package / "__init__.py").write_text("")
    (views / "orders.py").write_text("")
    (tmp_path / "plain").mkdir()
    assert write_roots([views]) == (tmp_path / "proj",)
    assert write_roots([views / "orders.py"]) == (tmp_path / "proj",)
    assert write_roots([tmp_path / "plain"]) == (tmp_path / "plain",)
    roots = write_roots([views])
    assert refused_target(tmp_path / "proj" / "app" / "orders_services.py", roots) is None
    assert refused_target(tmp_path / "elsewhere.py", roots) == "outside the tree flaskmod was given"
    assert refused_target(tmp_path / "proj" / "app" / "services.txt", roots) == "not a .py path"


def test_a_group_that_cannot_be_put_back_says_so(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = writer.write_atomically
    real_unlink = os.unlink

    def failing_on_views(path: Path, data: bytes, mode: int | None) -> None:
        if path.name == "views.py":
            raise OSError(28, "No space left on device")
        real_write(path, data, mode)

    def unlink_fails(path: object) -> None:
        if str(path).endswith("services.py"):
            raise OSError(5, "Input/output error")
        real_unlink(path)

    monkeypatch.setattr(writer, "write_atomically", failing_on_views)
    monkeypatch.setattr(writer.os, "unlink", unlink_fails)
    result = invoke("--unsafe", "--select", "extract-services", ".")
    assert result.exit_code == 1
    assert "could not put back app/services.py, left as written" in result.stderr


def _written(path: Path, original: str, final: str) -> FileResult:
    return FileResult(path=path, display=path.name, original=original, final=final)


def test_the_check_reads_imports_inside_functions(tmp_path: Path) -> None:
    views = _written(tmp_path / "views.py", "x = 1\n", "def view():\n    from helpers import helper\n")
    helpers = _written(tmp_path / "helpers.py", "", "def other():\n    return 1\n")
    check_imports([views, helpers])
    assert views.error is not None and "imports `helper` from helpers.py" in views.error.message


def test_the_check_reads_an_import_from_a_package_that_does_not_name_it(tmp_path: Path) -> None:
    package = tmp_path / "shop"
    package.mkdir()
    views = _written(package / "views.py", "x = 1\n", "from . import helper\n")
    init = _written(package / "__init__.py", "", "def other():\n    return 1\n")
    check_imports([views, init])
    assert views.error is not None and "imports `helper` from __init__.py" in views.error.message


def test_the_check_passes_files_that_import_nothing_written(tmp_path: Path) -> None:
    views = _written(tmp_path / "views.py", "x = 1\n", "from flask import helper\nimport helpers\n")
    helpers = _written(tmp_path / "helpers.py", "", "def other():\n    return 1\n")
    check_imports([views, helpers])
    assert views.error is None and helpers.error is None
