"""`flaskmod extract PATH:VIEW --lines A-B --name NAME`: the explicit mode of extract-services."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flaskmod.cli import main

VIEWS = """from flask import Flask, flash, redirect, render_template, request, url_for

from models import User, db

app = Flask(__name__)


@app.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id):
    user = User.query.get(user_id)
    if request.method == "POST":
        name = request.form["name"].strip()
        user.name = name.title()
        db.session.commit()
        flash("Saved")
        return redirect(url_for("edit_user", user_id=user_id))
    return render_template("user.html", user=user)
"""
# Lines 12-14: the three statements of business logic in the POST branch; line 16 is its `return`.
SERVICE = '''from models import db


def save_user(user, form):
    """Extracted from the `edit_user` view."""
    name = form["name"].strip()
    user.name = name.title()
    db.session.commit()
'''


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "views.py").write_text(VIEWS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, ["extract", *args], catch_exceptions=False)


def test_extract_writes_the_service_and_the_call(project: Path) -> None:
    result = invoke("views.py:edit_user", "--lines", "12-14", "--name", "save_user", "--allow-dirty")
    assert result.exit_code == 0, result.output
    assert (project / "services.py").read_text() == SERVICE
    views = (project / "views.py").read_text()
    assert "from services import save_user\n" in views and "from models import User\n" in views
    assert '    if request.method == "POST":\n        save_user(user, request.form)\n        flash("Saved")\n' in views
    # The user asked for exactly this change: no --unsafe needed.
    assert "0 unsafe left out" in result.stderr


def test_extract_to_a_chosen_module(project: Path) -> None:
    args = ("views.py:edit_user", "--lines", "12-14", "--name", "save_user", "--to", "users.py", "--allow-dirty")
    assert invoke(*args).exit_code == 0
    assert (project / "users.py").read_text() == SERVICE
    assert "from users import save_user\n" in (project / "views.py").read_text()
    assert not (project / "services.py").exists()


def test_dry_run_writes_nothing_and_shows_the_diff(project: Path) -> None:
    result = invoke("views.py:edit_user", "--lines", "12-14", "--name", "save_user", "--dry-run", "--format", "diff")
    assert result.exit_code == 0
    assert (project / "views.py").read_text() == VIEWS and not (project / "services.py").exists()
    assert "+++ b/services.py" in result.stdout and "+        save_user(user, request.form)" in result.stdout


def test_rich_format(project: Path) -> None:
    result = invoke("views.py:edit_user", "--lines", "12-14", "--name", "save_user", "--dry-run", "--format", "rich")
    assert result.exit_code == 0 and "services.py" in result.stdout and "views.py" in result.stdout


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("views.py:edit_user", "--lines", "12-16"), "the run contains `return`"),
        (("views.py:edit_user", "--lines", "11-13"), "lines 11-13 do not cover whole statements of one block"),
        (("views.py:nope", "--lines", "12-14"), "no function named `nope`"),
    ],
)
def test_refusal_is_one_error_line_and_exit_1(project: Path, args: tuple[str, ...], reason: str) -> None:
    result = invoke(*args, "--name", "save_user", "--allow-dirty")
    assert result.exit_code == 1
    view = args[0].split(":")[1]
    assert result.stderr == f"flaskmod: error: views.py:{view}: {reason}\n"
    assert (project / "views.py").read_text() == VIEWS and not (project / "services.py").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("views.py", "--lines", "12-14", "--name", "s"), "expected PATH:VIEW"),
        (("views.py:edit_user", "--lines", "14-12", "--name", "s"), "--lines must be A-B"),
        (("views.py:edit_user", "--lines", "a-b", "--name", "s"), "--lines must be A-B"),
        (("views.py:edit_user", "--lines", "12-14", "--name", "not a name"), "--name must be a Python identifier"),
        (("views.py:edit_user", "--lines", "12-14", "--name", "s", "--to", "x.txt"), "--to must name a .py file"),
        (("missing.py:edit_user", "--lines", "12-14", "--name", "s"), "missing.py: no such file"),
    ],
)
def test_bad_arguments_exit_2(project: Path, args: tuple[str, ...], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2 and message in result.stderr


def test_missing_required_option_exits_2(project: Path) -> None:
    assert invoke("views.py:edit_user", "--lines", "12-14").exit_code == 2


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_uncommitted_changes_are_not_overwritten_without_allow_dirty(project: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    result = invoke("views.py:edit_user", "--lines", "12-14", "--name", "save_user")
    assert result.exit_code == 2 and "refusing to write over uncommitted changes in views.py" in result.stderr
    assert (project / "views.py").read_text() == VIEWS and not (project / "services.py").exists()


def test_services_module_comes_from_the_config(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.flaskmod.extract-services]\nservices-module = "{stem}_logic.py"\nmax-view-statements = 99\n'
    )
    result = invoke("views.py:edit_user", "--lines", "12-14", "--name", "save_user", "--allow-dirty")
    assert result.exit_code == 0, result.output
    assert (project / "views_logic.py").read_text() == SERVICE
    (project / "pyproject.toml").write_text('[tool.flaskmod.extract-services]\nexplicit = "x"\n')
    result = invoke("views.py:edit_user", "--lines", "12-14", "--name", "other")
    assert result.exit_code == 2 and "unknown option `explicit`" in result.stderr


def test_a_single_line(project: Path) -> None:
    result = invoke("views.py:edit_user", "--lines", "10", "--name", "load_user", "--allow-dirty")
    assert result.exit_code == 0, result.output
    assert "    user = load_user(user_id)\n" in (project / "views.py").read_text()
    assert "def load_user(user_id):" in (project / "services.py").read_text()
