"""The engine's project is the only way codemods see other files: they never touch the disk."""

from __future__ import annotations

import ast
import os
from pathlib import Path

from flaskmod.codemods.core.project import Project, is_vendored
from flaskmod.codemods.unify_aborts.package_scan import package_handlers, registrations_in

CODEMODS = Path(__file__).resolve().parent.parent / "codemods"
# Calls that read or probe the file system.
DISK_CALLS = {"read_text", "read_bytes", "open", "rglob", "glob", "exists", "is_file", "is_dir", "stat", "iterdir"}


def _disk_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            called = node.func
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            # Asking the engine's project is the sanctioned way.
            asks_project = isinstance(called, ast.Attribute) and ast.unparse(called.value).endswith("project")
            if name in DISK_CALLS and not asks_project:
                found.append(f"{path.relative_to(CODEMODS)}:{node.lineno} {name}()")
    return found


def test_codemods_never_read_the_disk() -> None:
    modules = [p for p in CODEMODS.rglob("*.py") if "core" not in p.relative_to(CODEMODS).parts]
    assert len(modules) > 20
    offenders = [call for module in modules for call in _disk_calls(module)]
    assert offenders == []


def test_the_disk_check_sees_a_read() -> None:
    sample = CODEMODS / "core" / "project.py"
    assert any("read_text" in call for call in _disk_calls(sample))


def test_package_handlers_come_from_the_project(tmp_path: Path) -> None:
    package = tmp_path / "app"
    package.mkdir()
    factory = "from flask import Flask\napp = Flask(__name__)\n@app.errorhandler(404)\ndef nf(e): ...\n"
    (package / "__init__.py").write_text(factory)
    (package / "api.py").write_text("bp.register_error_handler(500, handle)\n")
    (package / "views.py").write_text("x = 1\n")
    handlers = package_handlers(str(package / "views.py"), Project())
    assert [(h.code, h.where) for h in handlers] == [(404, " in app/__init__.py"), (500, " in app/api.py")]


def test_a_fact_is_scanned_again_when_the_file_changes(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("app.errorhandler(404)\n")
    old = os.stat(module).st_mtime - 10
    os.utime(module, (old, old))
    project = Project()
    assert project.fact(module, registrations_in) == (("404", "errorhandler(404)"),)
    module.write_text("app.errorhandler(404)\napp.errorhandler(500)\n")
    assert project.fact(module, registrations_in) == (("404", "errorhandler(404)"), ("500", "errorhandler(500)"))
    assert project.fact(tmp_path / "missing.py", registrations_in) is None


def test_templates_beside_the_scanned_files(tmp_path: Path) -> None:
    (tmp_path / "app" / "templates" / "auth").mkdir(parents=True)
    (tmp_path / "app" / "templates" / "auth" / "login.html").write_text("{{ url_for('auth.login') }}")
    (tmp_path / "app" / "templates" / "logo.png").write_bytes(b"\x89PNG")
    views = tmp_path / "app" / "views.py"
    views.write_text("")
    found = Project([views]).templates()
    assert found == [tmp_path / "app" / "templates" / "auth" / "login.html"]
    assert dict(Project([views]).texts([views, *found, views])) == {views: "", found[0]: "{{ url_for('auth.login') }}"}


def test_vendored_copies_count_only_below_the_run_root(tmp_path: Path) -> None:
    root = tmp_path / "flask" / "myapp"  # a checkout inside a folder named like a library
    assert not is_vendored(root / "app" / "views.py", root)
    assert is_vendored(root / "lib" / "flask_login" / "utils.py", root)
    assert is_vendored(root / "vendor" / "auth.py", root)
    own = [root / "app" / "views.py", root / "vendor" / "auth.py", root / "app" / "flask_wtf" / "form.py"]
    assert Project(own).own_sources() == [root / "app" / "views.py"]


def test_from_imports_read_from_text() -> None:
    from flaskmod.codemods.core.import_text import from_imports

    text = "from .jobs import logger as log, queue\nfrom app.views import (\n    hook,\n    home,\n)\nfrom x import *\n"
    assert from_imports(text) == (
        (".jobs", "logger", "log"),
        (".jobs", "queue", "queue"),
        ("app.views", "hook", "hook"),
        ("app.views", "home", "home"),
    )
