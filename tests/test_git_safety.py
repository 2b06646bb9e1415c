"""Git safety: a writing run never overwrites what git could not give back, and --commit commits only what it should."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flaskmod.cli import main
from flaskmod.codemods.core.gitstate import GitUnavailable, git_states, repository_marker
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


# -- --commit -------------------------------------------------------------------------------------

LOGGING = (
    'import logging\n\nlog = logging.getLogger(__name__)\n\n\ndef charge(order):\n    log.info("Charging %s", order)\n'
)
SECRET = "API_KEY = 'sk-live-0123456789'\n"


def commit_run(*args: str) -> Result:
    return invoke("--commit", *args)


def history(root: Path) -> list[str]:
    return git(root, "log", "--format=%s").splitlines()


def hook(root: Path, body: str) -> None:
    script = root / ".git" / "hooks" / "pre-commit"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)


@pytest.mark.parametrize("selection", [(), ("--select", "route-decorator-order")], ids=["all", "one-codemod"])
@pytest.mark.parametrize("allow_dirty", [(), ("--allow-dirty",)], ids=["", "allow-dirty"])
def test_commit_refuses_an_untracked_file_before_writing_anything(
    project: Path, selection: tuple[str, ...], allow_dirty: tuple[str, ...]
) -> None:
    scratch = project / "app" / "scratch.py"
    scratch.write_text(SECRET + MISORDERED)
    result = commit_run(*selection, *allow_dirty, ".")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "flaskmod: error: --commit writes only files git tracks, but it would write app/scratch.py (untracked): "
        "add and commit them, or leave them out with --exclude\n"
    )
    assert scratch.read_text() == SECRET + MISORDERED and views(project) == MISORDERED.encode()
    assert history(project) == ["initial"]
    assert "sk-live" not in git(project, "log", "--all", "-p")
    assert git(project, "status", "--porcelain") == "?? app/scratch.py\n"


def test_commit_checks_every_codemod_before_the_first_commit(project: Path) -> None:
    # route-decorator-order (first) changes the tracked views; structlog-logging (later) the untracked module.
    (project / "app" / "billing.py").write_text(LOGGING)
    result = commit_run(".")
    assert result.exit_code == 2 and "app/billing.py (untracked)" in result.stderr
    assert history(project) == ["initial"] and views(project) == MISORDERED.encode()
    assert (project / "app" / "billing.py").read_text() == LOGGING
    assert commit_run("--exclude", "app/billing.py", ".").exit_code == 0
    assert history(project) == ["flaskmod: route-decorator-order", "initial"]
    assert (project / "app" / "billing.py").read_text() == LOGGING


def test_commit_refuses_a_gitignored_file_named_on_the_command_line(project: Path) -> None:
    (project / "ignored.py").write_text(MISORDERED)
    result = commit_run("ignored.py", "app/views.py")
    assert result.exit_code == 2 and "ignored.py (gitignored)" in result.stderr
    assert (project / "ignored.py").read_text() == MISORDERED and views(project) == MISORDERED.encode()
    assert history(project) == ["initial"]


def test_commit_refuses_a_new_file_that_git_add_would_refuse(project: Path) -> None:
    from flaskmod.codemods.core.commits import uncommittable
    from flaskmod.codemods.core.engine import FileResult

    new = FileResult(path=project / "scratch" / "services.py", display="scratch/services.py", original="", final="x")
    tracked = FileResult(path=project / "app" / "views.py", display="app/views.py", digest="0", original="", final="x")
    outside = FileResult(path=project.parent / "elsewhere.py", display="../elsewhere.py", original="", final="x")
    assert uncommittable(project, [new, tracked, outside]) == [
        "../elsewhere.py (outside the repository)",
        "scratch/services.py (new file, gitignored)",
    ]


def test_a_failing_pre_commit_hook_leaves_the_tree_as_it_was(project: Path) -> None:
    hook(project, 'echo "lint failed: views.py" >&2\nexit 1\n')
    result = commit_run("--select", "route-decorator-order", ".")
    assert views(project) == MISORDERED.encode()
    assert git(project, "status", "--porcelain") == ""
    assert git(project, "diff", "--cached", "--name-only") == ""
    assert history(project) == ["initial"]
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "flaskmod: error: route-decorator-order: git commit failed: lint failed: views.py; nothing was written\n"
    )


def test_a_hook_failing_after_a_commit_exits_3_and_keeps_that_commit(project: Path) -> None:
    (project / "app" / "billing.py").write_text(LOGGING)
    git(project, "add", "app/billing.py")
    git(project, "commit", "-qm", "billing")
    hook(project, 'if git diff --cached | grep -q structlog; then echo "no structlog here" >&2; exit 1; fi\n')
    result = commit_run(".")
    assert result.exit_code == 3, result.output
    done, error = result.stderr.splitlines()
    assert done.startswith("route-decorator-order: committed ")
    assert error + "\n" == (
        "flaskmod: error: structlog-logging: git commit failed: no structlog here; "
        "the commits above stay, the working tree is as the last one left it\n"
    )
    assert history(project) == ["flaskmod: route-decorator-order", "billing", "initial"]
    assert views(project) == FIXED.encode() and (project / "app" / "billing.py").read_text() == LOGGING
    assert git(project, "status", "--porcelain") == ""


def test_a_hook_that_changes_files_and_fails_twice_leaves_the_tree_as_it_was(project: Path) -> None:
    (project / "notes.txt").write_text("notes\n")
    git(project, "add", "notes.txt")
    git(project, "commit", "-qm", "notes")
    hook(project, "echo touched >> notes.txt\necho 'formatted files' >&2\nexit 1\n")
    result = commit_run("--select", "route-decorator-order", ".")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "flaskmod: error: route-decorator-order: git commit failed again after staging what the hook rewrote "
        "(notes.txt): formatted files; nothing was written\n"
    )
    assert views(project) == MISORDERED.encode() and (project / "notes.txt").read_text() == "notes\n"
    assert git(project, "status", "--porcelain") == ""
    assert history(project) == ["notes", "initial"]
