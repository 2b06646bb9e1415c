"""What git says about the files a run would write: modified, untracked, ignored, or git cannot tell.

A writing run must never overwrite what git cannot give back. So when git cannot answer for a
file that lies inside what looks like a repository (a ``.git`` above it), that is an error
(:class:`GitUnavailable`), not "clean". Outside any repository, with git present, nothing is
reported: there is nothing git could give back anyway.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class GitUnavailable(Exception):
    """Git cannot say whether files have uncommitted changes; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class State(Enum):
    MODIFIED = "uncommitted changes"
    UNTRACKED = "untracked"
    IGNORED = "gitignored"


@dataclass(frozen=True)
class DirtyFile:
    path: Path  # as the caller gave it
    state: State


def repository_marker(directory: Path) -> Path | None:
    """The nearest ``.git`` (directory or file) at or above ``directory``: it looks like a repository."""
    current = directory.absolute()
    for candidate in (current, *current.parents):
        marker = candidate / ".git"
        if os.path.lexists(marker):
            return marker
    return None


def _shown(path: Path) -> str:
    """``path`` relative to the current directory, as messages name files."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive
        return str(path)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else "no message"


def _git(
    directory: Path, *args: str, input: bytes | None = None, literal: bool = True
) -> subprocess.CompletedProcess[bytes]:
    command = ["git", "--literal-pathspecs", *args] if literal else ["git", *args]
    return subprocess.run(command, cwd=directory, input=input, capture_output=True, check=False)


def _repository_root(directory: Path, file: Path) -> Path | None:
    """The working tree's top for ``directory``; None outside any repository; GitUnavailable if git cannot tell."""
    marker = repository_marker(directory)
    example, where = _shown(file), _shown(marker) if marker is not None else ""
    if shutil.which("git") is None:
        if marker is None:
            return None
        raise GitUnavailable(f"git is not on PATH, but {example} is inside a git repository ({where})")
    try:
        top = _git(directory, "rev-parse", "--show-toplevel")
    except OSError as error:
        if marker is None:
            return None
        raise GitUnavailable(f"cannot run git for {example}: {error.strerror or error}") from None
    if top.returncode != 0:
        if marker is None:
            return None
        reason = _first_line(os.fsdecode(top.stderr))
        raise GitUnavailable(f"git cannot read the repository of {example} ({where}): {reason}")
    return Path(os.fsdecode(top.stdout.strip()))


def git_states(paths: Iterable[Path]) -> list[DirtyFile]:
    """Those of ``paths`` git could not give back as they are: modified, untracked or gitignored.

    Files that do not exist are left out (there is nothing to lose). Raises :class:`GitUnavailable`
    when a file is inside what looks like a repository and git cannot answer for it.
    """
    given = list(paths)
    by_directory: dict[Path, list[Path]] = {}
    for path in given:
        if path.exists():
            by_directory.setdefault(path.absolute().parent, []).append(path)
    found: dict[Path, State] = {}
    for directory, files in sorted(by_directory.items()):
        root = _repository_root(directory, files[0])
        example = _shown(files[0])
        if root is None:
            continue
        names = sorted({p.name for p in files})  # relative to ``directory``, their folder
        try:
            status = _git(
                directory, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored", "--", *names
            )
        except OSError as error:
            raise GitUnavailable(f"cannot run git for {example}: {error.strerror or error}") from None
        if status.returncode != 0:
            reason = _first_line(os.fsdecode(status.stderr))
            raise GitUnavailable(f"git status failed for {example}: {reason}")
        entries = iter(status.stdout.split(b"\0"))
        for entry in entries:
            if len(entry) <= 3:
                continue
            code = entry[:2].decode("ascii", "replace")
            if code[0] in "RC":
                next(entries, None)  # the rename's or copy's source path
            state = State.UNTRACKED if code == "??" else State.IGNORED if code == "!!" else State.MODIFIED
            found[(root / os.fsdecode(entry[3:])).resolve()] = state
    dirty = [DirtyFile(p, found[p.resolve()]) for p in given if p.exists() and p.resolve() in found]
    return sorted(dirty, key=lambda d: str(d.path))


def uncommitted_files(paths: Iterable[Path]) -> list[Path]:
    """Those of ``paths`` that git could not give back: modified, untracked or gitignored (see :func:`git_states`)."""
    return [d.path for d in git_states(paths)]


def ignored_paths(root: Path, paths: Iterable[Path]) -> list[Path]:
    """Those of ``paths`` (existing or not) that ``.gitignore`` rules of the repository at ``root`` ignore."""
    given = list(paths)
    if not given:
        return []
    top = os.path.realpath(root)
    relative = {os.path.relpath(os.path.realpath(p), top): p for p in given}
    data = b"".join(os.fsencode(name) + b"\0" for name in relative)
    try:
        checked = _git(root, "check-ignore", "--stdin", "-z", input=data, literal=False)  # takes paths, not pathspecs
    except OSError as error:
        raise GitUnavailable(f"cannot run git in {_shown(root)}: {error.strerror or error}") from None
    if checked.returncode not in (0, 1):
        raise GitUnavailable(f"git check-ignore failed in {_shown(root)}: {_first_line(os.fsdecode(checked.stderr))}")
    ignored = {os.fsdecode(name) for name in checked.stdout.split(b"\0") if name}
    return [path for name, path in relative.items() if name in ignored]
