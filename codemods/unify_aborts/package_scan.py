"""Error handlers registered in the other modules of a file's package, found by text.

The one place unify-aborts reads files the engine did not hand it: the app factory and
other blueprints often register handlers (``@app.errorhandler(500)``,
``@bp.app_errorhandler(404)``) that take precedence over a blueprint's class handler, and
the decision to convert a group needs them while the file is transformed.

Which files: the package the file belongs to, from its top-level package down (the
first ``_PACKAGE_SCAN_LIMIT`` ``*.py`` in path order), and the ``*.py`` beside that
top-level package; for a file outside any package, the ``*.py`` beside it.

Each file's registrations are cached within the process by path, and reused only while
the file's inode, size, mtime and ctime are unchanged and its ctime is older than
``_SETTLED_SECONDS``: a file changed within the filesystem's timestamp granularity of
an earlier read still changes its ctime, and a change after that moves the ctime on.
The walk that lists the files is not cached, so files added or removed are seen.
"""

from __future__ import annotations

import http
import re
import time
from pathlib import Path

from flaskmod.codemods.core.flask import HTTP_ERROR_CLASSES
from flaskmod.codemods.unify_aborts.model import Handler

_HANDLER_REGISTRATION = re.compile(r"\.(?:app_errorhandler|errorhandler|register_error_handler)\(\s*([\w.]+)")
_PACKAGE_SCAN_LIMIT = 2000
# A file whose ctime is this recent is read again every time.
_SETTLED_SECONDS = 2.0

# What one file registers, as (argument, spelled) pairs: `404`, `errorhandler(404)`.
Registrations = tuple[tuple[str, str], ...]
_Stamp = tuple[int, int, int, int, int]  # device, inode, size, mtime, ctime (ns)
_registrations_cache: dict[Path, tuple[_Stamp, Registrations]] = {}


def package_handlers(filename: str | None) -> list[Handler]:
    """The handlers the other modules of ``filename``'s package register, in file order."""
    if not filename:
        return []
    path = Path(filename).resolve()
    if not path.is_file():
        return []
    files, root = package_files(path)
    handlers = []
    for other in files:
        if other == path:
            continue
        registrations = _registrations(other)
        if not registrations:
            continue
        where = f" in {other.relative_to(root).as_posix()}"
        for argument, spelled in registrations:
            handler = _handler(argument, spelled, where)
            if handler is not None:
                handlers.append(handler)
    return handlers


def package_files(path: Path) -> tuple[list[Path], Path]:
    """The files to scan for ``path``, and the folder their paths are shown relative to."""
    top = path.parent
    while (top / "__init__.py").is_file() and (top.parent / "__init__.py").is_file() and top.parent != top:
        top = top.parent
    if (top / "__init__.py").is_file():
        return sorted(top.rglob("*.py"))[:_PACKAGE_SCAN_LIMIT] + sorted(top.parent.glob("*.py")), top.parent
    return sorted(top.glob("*.py")), top


def _registrations(path: Path) -> Registrations | None:
    """What ``path`` registers, from the cache while the file is unchanged; None when it cannot be read."""
    try:
        status = path.stat()
    except OSError:
        return None
    stamp = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
    cached = _registrations_cache.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    found = tuple((match.group(1), f"{match.group(0).lstrip('.')})") for match in _HANDLER_REGISTRATION.finditer(text))
    if status.st_ctime_ns < (time.time() - _SETTLED_SECONDS) * 1e9:
        _registrations_cache[path] = (stamp, found)
    return found


def _handler(argument: str, spelled: str, where: str) -> Handler | None:
    """The handler one registration stands for; None for a class that is no HTTP error."""
    last = argument.rsplit(".", 1)[-1]
    error = next((e for e in HTTP_ERROR_CLASSES.values() if e.name == last), None)
    if argument.isdigit():
        return Handler(None, spelled, where=where, code=int(argument))
    if argument.startswith(("HTTPStatus.", "http.HTTPStatus.")) and last in http.HTTPStatus.__members__:
        return Handler(None, spelled, where=where, code=http.HTTPStatus[last].value)
    if error is not None:
        return Handler(None, spelled, where=where, code=error.code)
    if last in ("HTTPException", "Exception", "BaseException"):
        return Handler(None, spelled, where=where, catch_all=True)
    if not last[:1].isupper():
        # A variable (a code from a loop): it may cover these errors.
        return Handler(None, spelled, where=where, unknown=True)
    return None
