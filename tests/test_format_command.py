"""``format-command`` / ``--format-command``: the project's formatter runs on the Python files flaskmod wrote."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flaskmod.cli import main
from tests.test_cli import FIXED, MISORDERED

RUFF = Path(sys.executable).parent / "ruff"
RUFF_FORMAT = f"{shlex.quote(str(RUFF))} format --no-cache"
# Single quotes: flaskmod keeps them, ruff format turns them into double quotes.
SINGLE_QUOTED = MISORDERED.replace('"/"', "'/'").replace('"hi"', "'hi'")
FAILING = f"{shlex.quote(sys.executable)} -c \"import sys; sys.exit('style check failed')\""


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, ["run", "--jobs", "1", "--unsafe", "--no-progress", *args], catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text(SINGLE_QUOTED)
    (tmp_path / "app" / "untouched.py").write_text("x = 'left alone'\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def ruff_formatted(text: str) -> str:
    done = subprocess.run([str(RUFF), "format", "-"], input=text, capture_output=True, text=True, check=True)
    return done.stdout


def views(root: Path) -> str:
    return (root / "app" / "views.py").read_text()


needs_ruff = pytest.mark.skipif(not RUFF.exists(), reason="ruff is not installed next to this Python")


@needs_ruff
def test_ruff_format_runs_on_the_files_written_and_only_those(project: Path) -> None:
    result = invoke("--allow-dirty", "--format-command", RUFF_FORMAT, ".")
    assert result.exit_code == 0, result.output
    flaskmod_output = SINGLE_QUOTED.replace("@login_required\n@app.route('/')", "@app.route('/')\n@login_required")
    assert views(project) == ruff_formatted(flaskmod_output) != flaskmod_output
    assert (project / "app" / "untouched.py").read_text() == "x = 'left alone'\n"


@needs_ruff
def test_the_config_key_sets_it_and_the_option_overrides_it(project: Path) -> None:
    (project / "pyproject.toml").write_text(f"[tool.flaskmod]\nformat-command = '''{FAILING}'''\n")
    assert invoke("--allow-dirty", ".").exit_code == 5
    (project / "app" / "views.py").write_text(SINGLE_QUOTED)
    assert invoke("--allow-dirty", "--format-command", RUFF_FORMAT, ".").exit_code == 0
    assert '@app.route("/")\n@login_required' in views(project)


@pytest.mark.parametrize("mode", ["--dry-run", "--check"])
def test_dry_run_and_check_never_run_it(project: Path, mode: str) -> None:
    marker = project / "formatter-ran"
    command = f"{shlex.quote(sys.executable)} -c \"open({str(marker)!r}, 'w')\""
    result = invoke(mode, "--format", "diff", "--format-command", command, ".")
    assert result.exit_code in (0, 1), result.output
    assert not marker.exists() and views(project) == SINGLE_QUOTED
    invoke("--allow-dirty", "--format-command", command, ".")
    assert marker.exists()  # the same command does run after writing


def test_a_failing_formatter_exits_5_and_the_written_files_stay(project: Path) -> None:
    result = invoke("--allow-dirty", "--format", "diff", "--format-command", FAILING, ".")
    assert result.exit_code == 5, result.output
    assert result.stderr.splitlines()[0] == (
        f"flaskmod: error: format command `{FAILING}` failed (exit 1): style check failed; "
        "the files stay as flaskmod wrote them"
    )
    assert "@app.route('/')\n@login_required" in views(project)


def test_a_missing_formatter_exits_5_naming_it(project: Path) -> None:
    result = invoke("--allow-dirty", "--format", "diff", "--format-command", "no-such-formatter --fix", ".")
    assert result.exit_code == 5, result.output
    assert result.stderr.splitlines()[0] == (
        "flaskmod: error: format command `no-such-formatter --fix` cannot run: No such file or directory; "
        "the files stay as flaskmod wrote them"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [('""', "`format-command` is empty"), ("'ruff \"format'", "`format-command` cannot be split into words")],
)
def test_a_bad_config_value_is_a_configuration_error(project: Path, value: str, message: str) -> None:
    (project / "pyproject.toml").write_text(f"[tool.flaskmod]\nformat-command = {value}\n")
    result = invoke("--dry-run", ".")
    assert result.exit_code == 2 and message in result.stderr


@needs_ruff
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_commit_formats_each_codemods_files_before_committing(project: Path) -> None:
    for args in (["init", "-q"], ["add", "."], ["-c", "user.name=T", "-c", "user.email=t@e", "commit", "-qm", "i"]):
        subprocess.run(["git", *args], cwd=project, check=True)
    result = invoke("--commit", "--format-command", RUFF_FORMAT, ".")
    assert result.exit_code == 0, result.output
    assert views(project) == ruff_formatted(FIXED)
    status = subprocess.run(["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True)
    assert status.stdout == ""
