"""Writing results: atomically, keeping mode, encoding, BOM and newlines, never over newer work."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from codemods.core.engine import FileError, FileResult


@dataclass
class WriteOutcome:
    written: list[FileResult] = field(default_factory=list)
    failed: list[FileResult] = field(default_factory=list)


def uncommitted_files(paths: Iterable[Path]) -> list[Path]:
    """Those of ``paths`` that have uncommitted changes in their git working tree.

    Untracked files count: git could not give their content back either. Outside a
    repository, or without git, nothing is reported.
    """
    if shutil.which("git") is None:
        return []
    by_directory: dict[Path, list[Path]] = {}
    for path in paths:
        if path.exists():
            by_directory.setdefault(path.parent, []).append(path)
    dirty: list[Path] = []
    for directory, files in sorted(by_directory.items()):
        try:
            top = subprocess.run(
                ["git", "rev-parse", "--show-toplevel"],
                cwd=directory,
                capture_output=True,
                text=True,
                check=False,
            )
            if top.returncode != 0:
                continue
            status = subprocess.run(
                ["git", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *map(str, files)],
                cwd=directory,
                capture_output=True,
                check=False,
            )
        except OSError:
            continue
        if status.returncode != 0:
            continue
        root = Path(top.stdout.strip())
        for entry in status.stdout.split(b"\0"):
            if len(entry) > 3:
                dirty.append((root / os.fsdecode(entry[3:])).resolve())
    wanted = {p.resolve(): p for p in paths}
    return sorted(wanted[p] for p in dirty if p in wanted)


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


def write_results(files: Iterable[FileResult]) -> WriteOutcome:
    """Write every changed file; a file changed on disk since it was read is not overwritten."""
    outcome = WriteOutcome()
    for result in files:
        if not result.changed or result.final is None:
            continue
        target = Path(os.path.realpath(result.path))
        mode: int | None = None
        try:
            if result.is_new:
                if target.exists():
                    raise _Refused("created by someone else since flaskmod started; not overwritten")
            else:
                current = target.read_bytes()
                if hashlib.sha256(current).hexdigest() != result.digest:
                    raise _Refused("changed on disk since flaskmod read it; not overwritten")
                mode = target.stat().st_mode & 0o7777
            write_atomically(target, result.encode(result.final), mode)
        except _Refused as refused:
            result.error = FileError(str(refused))
            outcome.failed.append(result)
            continue
        except OSError as error:
            result.error = FileError(f"cannot write: {error.strerror or error}")
            outcome.failed.append(result)
            continue
        outcome.written.append(result)
    return outcome


class _Refused(Exception):
    pass
