"""Which files a run covers."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from flaskmod.codemods.core.discovery import PathPatterns, discover


def _touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")


def _found(root: Path, **kwargs: object) -> list[str]:
    return [p.relative_to(root).as_posix() for p in discover([root], **kwargs).files]  # type: ignore[arg-type]


def test_skips_tool_and_dependency_folders(tmp_path: Path) -> None:
    _touch(
        tmp_path,
        "app/views.py",
        ".git/hooks/x.py",
        ".venv/lib/x.py",
        "node_modules/pkg/x.py",
        "build/lib/x.py",
        "app/__pycache__/x.py",
        "pkg.egg-info/x.py",
        "README.md",
    )
    (tmp_path / "myenv").mkdir()
    (tmp_path / "myenv" / "pyvenv.cfg").write_text("home = /usr\n")
    _touch(tmp_path, "myenv/lib/x.py")
    assert _found(tmp_path) == ["app/views.py"]


def test_gitignore_applies_inside_a_repository(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("generated/\n*_pb2.py\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / ".gitignore").write_text("local_*.py\n!local_keep.py\n")
    _touch(tmp_path, "app/views.py", "app/local_x.py", "app/local_keep.py", "generated/a.py", "app/msg_pb2.py")
    assert _found(tmp_path) == ["app/local_keep.py", "app/views.py"]


def test_gitignore_is_ignored_outside_a_repository(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.py\n")
    _touch(tmp_path, "a.py")
    assert _found(tmp_path) == ["a.py"]


def test_exclude_path_patterns(tmp_path: Path) -> None:
    _touch(tmp_path, "app/views.py", "migrations/versions/1.py", "app/legacy/old.py")
    patterns = PathPatterns.from_patterns(tmp_path, ["migrations/", "app/legacy/*.py"])
    assert _found(tmp_path, excludes=[patterns]) == ["app/views.py"]


def test_explicit_file_is_taken_but_exclude_still_applies(tmp_path: Path) -> None:
    _touch(tmp_path, "build/script.py", "other.py")
    assert discover([tmp_path / "build" / "script.py"]).files == [tmp_path / "build" / "script.py"]
    patterns = PathPatterns.from_patterns(tmp_path, ["other.py"])
    assert discover([tmp_path / "other.py"], [patterns]).files == []


def test_missing_paths_are_reported_and_the_rest_found(tmp_path: Path) -> None:
    _touch(tmp_path, "a.py")
    discovery = discover([tmp_path / "nope", tmp_path])
    assert discovery.missing == [tmp_path / "nope"]
    assert discovery.files == [tmp_path / "a.py"]


def test_duplicates_and_order(tmp_path: Path) -> None:
    _touch(tmp_path, "b.py", "a/z.py")
    assert discover([tmp_path, tmp_path / "b.py"]).files == [tmp_path / "a" / "z.py", tmp_path / "b.py"]


def test_symlinked_files_are_not_walked(tmp_path: Path) -> None:
    _touch(tmp_path, "real.py")
    os.symlink(tmp_path / "real.py", tmp_path / "link.py")
    assert _found(tmp_path) == ["real.py"]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_global_excludes_file_applies_inside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home, repo = tmp_path / "home", tmp_path / "repo"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    _touch(repo, "app/views.py", "scratch_local.py", "notes/todo.py", "app/keep_local.py")
    (repo / ".gitignore").write_text("!keep_local.py\n")
    (home / "xdg" / "git").mkdir(parents=True)
    # The default place, while core.excludesFile is not set; a .gitignore pattern wins over it, as in git.
    (home / "xdg" / "git" / "ignore").write_text("*_local.py\n")
    assert _found(repo) == ["app/keep_local.py", "app/views.py", "notes/todo.py"]
    # core.excludesFile, with ~ expanded, replaces the default place.
    (home / "gitconfig").write_text("[core]\n\texcludesFile = ~/my-ignores\n")
    (home / "my-ignores").write_text("notes/\n")
    assert _found(repo) == ["app/keep_local.py", "app/views.py", "scratch_local.py"]
    checked = subprocess.run(["git", "status", "--porcelain", "-uall"], cwd=repo, capture_output=True, text=True)
    assert "notes/" not in checked.stdout  # git agrees
    assert "scratch_local.py" in checked.stdout and "app/keep_local.py" in checked.stdout
