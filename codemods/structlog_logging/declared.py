"""Project logger objects declared in the `logger-objects` option ("package.module.name", as Ruff's).

A call on a declared object is converted only where that is provably safe: the module
that defines the object (found among the scanned files) assigns it a structlog logger
(`log = structlog.get_logger(...)`), so it takes keys as keyword arguments. Anything
else (a wrapper class, a stdlib logger not yet converted, a definition in no scanned
file) is left alone, with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from flaskmod.codemods.core.project import Project
from flaskmod.codemods.structlog_logging.configured import imported_module, module_name

# A top-level `name = structlog.get_logger(...)` (or `structlog.stdlib.get_logger`, `getLogger`).
_STRUCTLOG_LOGGER = re.compile(
    r"^(\w+)[ \t]*(?::[^=\n]+)?=[ \t]*structlog[ \t]*\.[ \t]*(?:stdlib[ \t]*\.[ \t]*)?(?:get_logger|getLogger)[ \t]*\(",
    re.M,
)
# The same through `from structlog import get_logger`.
_IMPORTED_FACTORY = re.compile(r"^from[ \t]+structlog(?:\.stdlib)?[ \t]+import[ \t][^\n]*\bget_logger\b", re.M)
_FACTORY_CALL = re.compile(r"^(\w+)[ \t]*(?::[^=\n]+)?=[ \t]*get_logger[ \t]*\(", re.M)


def structlog_loggers_in(text: str) -> frozenset[str]:
    """The names a module's text assigns a structlog logger at top level (a project fact)."""
    names = {found.group(1) for found in _STRUCTLOG_LOGGER.finditer(text)}
    if _IMPORTED_FACTORY.search(text):
        names |= {found.group(1) for found in _FACTORY_CALL.finditer(text)}
    return frozenset(names)


def declared_problem(entry: str) -> str | None:
    """Why a `logger-objects` entry is no "package.module.name"; None when it is one."""
    if re.fullmatch(r"\w+(?:\.\w+)+", entry) is None:
        return f'`logger-objects` entries name an object as "package.module.name", not {entry!r}'
    return None


@dataclass(frozen=True)
class DeclaredObject:
    """A declared logger object as a module sees it: its declared name and whether its calls may be converted."""

    name: str  # "app.log.log"
    structlog: bool
    why_not: str = ""  # when not structlog: what was found instead


def resolved_name(qualified: str, importer: Path | None, project: Project) -> str:
    """A qualified name with a relative import (`.log.log`) resolved from the importing file's package."""
    if not qualified.startswith(".") or importer is None:
        return qualified
    module, _, attribute = qualified.rpartition(".")
    return f"{imported_module(importer.resolve(), module, project)}.{attribute}"


def declared_object(name: str, project: Project) -> DeclaredObject:
    """What the scanned files say about a declared object: is it a structlog logger?"""
    module, _, attribute = name.rpartition(".")
    ends = (f"/{module.replace('.', '/')}.py", f"/{module.replace('.', '/')}/__init__.py")
    for path in project.scanned:
        resolved = path.resolve()
        if not resolved.as_posix().endswith(ends):
            continue
        dotted, root = module_name(resolved, project)
        if dotted != module:
            continue
        if attribute in (project.fact(resolved, structlog_loggers_in) or frozenset()):
            return DeclaredObject(name, structlog=True)
        shown = resolved.relative_to(root).as_posix()
        return DeclaredObject(
            name, structlog=False, why_not=f"`{shown}` does not assign it `structlog.get_logger(...)` at top level"
        )
    return DeclaredObject(name, structlog=False, why_not=f"no scanned file is the module `{module}`")
