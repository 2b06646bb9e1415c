"""Writing results: atomically, keeping mode, encoding, BOM and newlines, never over newer work."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from flaskmod.codemods.core.crossfile import groups_of
from flaskmod.codemods.core.results import FileError, FileResult


@dataclass
class WriteOutcome:
    written: list[FileResult] = field(default_factory=list)
    failed: list[FileResult] = field(default_factory=list)


def write_atomically(path: Path, data: bytes, mode: int | None) -> None:
    """Write through a temporary file in the same folder, then ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".flaskmod")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def write_results(files: Iterable[FileResult], outcome: WriteOutcome | None = None) -> WriteOutcome:
    """Write every changed file, group by group; a group is written whole or not at all.

    A group is the files one cross-file change spans (a view and its services module).
    Every file of a group is checked before any is written; its edit targets are written
    before the files that import from them, so no moment shows a view without its
    services; if a write fails, what the group already wrote is put back. Interrupted
    (Ctrl-C), the group being written is put back too, and ``outcome``, when given,
    holds the groups written before.
    """
    outcome = outcome if outcome is not None else WriteOutcome()
    for group in groups_of(f for f in files if f.changed and f.final is not None):
        try:
            for result in group:
                _check_writable(result)
        except _Refused as refused:
            _fail_group(group, refused.culprit, str(refused), outcome)
            continue
        done: list[FileResult] = []
        try:
            for result in group:
                write_atomically(result.path, result.encode(result.final or ""), _mode_of(result))
                done.append(result)
        except OSError as error:
            stuck = _put_back(done)
            failed = group[len(done)]
            reason = f"cannot write: {error.strerror or error}"
            if stuck:
                reason += "; could not put back " + ", ".join(f.display for f in stuck) + ", left as written"
            _fail_group(group, failed, reason, outcome)
            continue
        except KeyboardInterrupt:
            _put_back(done)
            raise
        outcome.written += group
    return outcome


def _check_writable(result: FileResult) -> None:
    path = result.path
    if os.path.islink(path):
        raise _Refused(result, "a symbolic link; flaskmod writes only regular files")
    if result.is_new:
        if os.path.lexists(path):
            raise _Refused(result, "created by someone else since flaskmod started; not overwritten")
        return
    try:
        current = path.read_bytes()
    except OSError as error:
        raise _Refused(result, f"cannot read: {error.strerror or error}") from None
    if hashlib.sha256(current).hexdigest() != result.digest:
        raise _Refused(result, "changed on disk since flaskmod read it; not overwritten")
    if not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222:
        raise _Refused(result, "read-only; not overwritten")


def _mode_of(result: FileResult) -> int | None:
    return None if result.is_new else result.path.stat().st_mode & 0o7777


def _put_back(written: list[FileResult]) -> list[FileResult]:
    """Undo a group's writes: restore each file's text, remove each file it created; those that failed."""
    stuck: list[FileResult] = []
    for result in reversed(written):
        try:
            if result.is_new:
                os.unlink(result.path)
            else:
                write_atomically(result.path, result.encode(result.original or ""), _mode_of(result))
        except OSError:
            stuck.append(result)
    return stuck


def _fail_group(group: list[FileResult], culprit: FileResult, reason: str, outcome: WriteOutcome) -> None:
    for result in group:
        if result is culprit:
            result.error = FileError(reason)
        else:
            result.error = FileError(f"not written: {culprit.display} could not be written ({reason})")
        outcome.failed.append(result)


class _Refused(Exception):
    def __init__(self, culprit: FileResult, reason: str) -> None:
        super().__init__(reason)
        self.culprit = culprit
