"""Error handlers registered in the other modules of a file's package, found by text.

The app factory and other blueprints often register handlers (``@app.errorhandler(500)``,
``@bp.app_errorhandler(404)``) that take precedence over a blueprint's class handler, and
the decision to convert a group needs them while the file is transformed.

The files come from the engine's project (``Project.package_files``): the package the file
belongs to, from its top-level package down, and the ``*.py`` beside that top-level
package. Each file's registrations are a project fact (``Project.fact``), scanned once per
version of the file.
"""

from __future__ import annotations

import http
import re
from pathlib import Path

from flaskmod.codemods.core.flask import HTTP_ERROR_CLASSES
from flaskmod.codemods.core.project import Project
from flaskmod.codemods.unify_aborts.model import Handler

_HANDLER_REGISTRATION = re.compile(r"\.(?:app_errorhandler|errorhandler|register_error_handler)\(\s*([\w.]+)")

# What one file registers, as (argument, spelled) pairs: `404`, `errorhandler(404)`.
Registrations = tuple[tuple[str, str], ...]


def package_handlers(filename: str | None, project: Project) -> list[Handler]:
    """The handlers the other modules of ``filename``'s package register, in file order."""
    if not filename:
        return []
    path = Path(filename).resolve()
    if not project.is_file(path):
        return []
    files, root = project.package_files(path)
    handlers = []
    for other in files:
        if other == path:
            continue
        registrations = project.fact(other, registrations_in)
        if not registrations:
            continue
        where = f" in {other.relative_to(root).as_posix()}"
        for argument, spelled in registrations:
            handler = _handler(argument, spelled, where)
            if handler is not None:
                handlers.append(handler)
    return handlers


def registrations_in(text: str) -> Registrations:
    """The error handler registrations of a module's text."""
    return tuple((match.group(1), f"{match.group(0).lstrip('.')})") for match in _HANDLER_REGISTRATION.finditer(text))


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
