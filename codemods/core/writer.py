"""Writing results: atomically, keeping mode, encoding, BOM and newlines, never over newer work."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from codemods.core.engine import FileError, FileResult


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
