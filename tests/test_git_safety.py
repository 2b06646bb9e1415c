"""Git safety: a writing run never overwrites what git could not give back, and --commit commits only what it should."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli import main
from codemods.core.gitstate import GitUnavailable, git_states, repository_marker
from tests.test_cli import FIXED, MISORDERED

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

WIP = MISORDERED + "\n# work in progress\n"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, ["run", "--jobs", "1", "--unsafe", *args], catch_exceptions=False)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A committed repository holding one view module; git reads no system or user configuration."""
    empty = tmp_path / "gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CEILING_DIRECTORIES"):
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    (root / "app" / "views.py").write_text(MISORDERED)
    (root / ".gitignore").write_text("ignored.py\nscratch/\n")
    git(root, "init", "-q")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.com")
    git(root, "add", ".")
    git(root, "commit", "-qm", "initial")
    monkeypatch.chdir(root)
    return root


def views(root: Path) -> bytes:
    return (root / "app" / "views.py").read_bytes()


# -- the dirty-tree guard when git cannot answer ---------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        # git's own switch for its ownership check: what a repository owned by another user gets
        ("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1", "dubious ownership"),
        ("GIT_CONFIG_GLOBAL", "{broken}", "bad config"),
    ],
    ids=["dubious-ownership", "broken-config"],
)
def test_a_repository_git_refuses_to_read_is_not_written(
    project: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, reason: str
) -> None:
    (project / "app" / "views.py").write_text(WIP)
    broken = project.parent / "broken-gitconfig"
    broken.write_text("[user\nname = \n")
    monkeypatch.setenv(variable, value.format(broken=broken))
    result = invoke(".")
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("flaskmod: error: refusing to write: git cannot read the repository")
    assert reason in lines[0] and "--allow-dirty" in lines[0]
    assert views(project) == WIP.encode()
    assert invoke("--allow-dirty", ".").exit_code == 0
    assert views(project) == FIXED.encode() + b"\n# work in progress\n"


def test_a_corrupt_index_is_not_taken_for_a_clean_tree(project: Path) -> None:
    (project / "app" / "views.py").write_text(WIP)
    (project / ".git" / "index").write_bytes(b"this is not an index")
    result = invoke(".")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("flaskmod: error: refusing to write: git status failed for app/views.py: ")
    assert "index" in result.stderr and result.stderr.count("\n") == 1
    assert views(project) == WIP.encode()


def test_no_git_on_path_inside_a_repository_refuses(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "app" / "views.py").write_text(WIP)
    nothing = project.parent / "empty-bin"
    nothing.mkdir()
    monkeypatch.setenv("PATH", str(nothing))
    result = invoke(".")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "flaskmod: error: refusing to write: git is not on PATH, but app/views.py is inside a git repository "
        "(.git); pass --allow-dirty to write anyway\n"
    )
    assert views(project) == WIP.encode()
    assert invoke("--allow-dirty", ".").exit_code == 0
    assert views(project) == FIXED.encode() + b"\n# work in progress\n"


def test_outside_any_repository_nothing_is_reported_with_or_without_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if repository_marker(tmp_path) is not None:
        pytest.skip("the temporary directory is itself inside a git repository")
    (tmp_path / "views.py").write_text(MISORDERED)
    monkeypatch.chdir(tmp_path)
    assert git_states([Path("views.py")]) == []
    result = invoke(".")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "views.py").read_text() == FIXED
    (tmp_path / "views.py").write_text(MISORDERED)
    nothing = tmp_path / "empty-bin"
    nothing.mkdir()
    monkeypatch.setenv("PATH", str(nothing))
    assert invoke(".").exit_code == 0
    assert (tmp_path / "views.py").read_text() == FIXED


def test_git_unavailable_carries_its_reason(project: Path) -> None:
    (project / ".git" / "index").write_bytes(b"garbage")
    with pytest.raises(GitUnavailable) as raised:
        git_states([Path("app/views.py")])
    assert raised.value.reason.startswith("git status failed for app/views.py: ")


def test_an_empty_dot_git_folder_is_not_a_clean_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if repository_marker(tmp_path) is not None:
        pytest.skip("the temporary directory is itself inside a git repository")
    (tmp_path / ".git").mkdir()
    (tmp_path / "views.py").write_text(MISORDERED)
    monkeypatch.chdir(tmp_path)
    result = invoke(".")
    assert result.exit_code == 2 and "git cannot read the repository of views.py" in result.stderr
    assert (tmp_path / "views.py").read_text() == MISORDERED


# -- gitignored and untracked files ----------------------------------------------------------------


def test_a_gitignored_file_named_on_the_command_line_is_not_written(project: Path) -> None:
    (project / "ignored.py").write_text(MISORDERED)
    (project / "scratch").mkdir()
    (project / "scratch" / "try.py").write_text(MISORDERED)
    result = invoke("ignored.py", "scratch/try.py", "app/views.py")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "flaskmod: error: refusing to write over uncommitted changes in ignored.py (gitignored), "
        "scratch/try.py (gitignored): commit or stash them, or pass --allow-dirty\n"
    )
    assert (project / "ignored.py").read_text() == MISORDERED
    assert views(project) == MISORDERED.encode()
    assert invoke("--allow-dirty", "ignored.py").exit_code == 0
    assert (project / "ignored.py").read_text() == FIXED


def test_an_untracked_file_is_named_as_such(project: Path) -> None:
    (project / "app" / "new.py").write_text(MISORDERED)
    result = invoke(".")
    assert result.exit_code == 2
    assert "in app/new.py (untracked): " in result.stderr
    assert (project / "app" / "new.py").read_text() == MISORDERED and views(project) == MISORDERED.encode()


def test_a_clean_repository_is_written(project: Path) -> None:
    result = invoke(".")
    assert result.exit_code == 0, result.output
    assert views(project) == FIXED.encode()
