"""Loggers the codemod finds but does not rewrite, reported as skips so the user knows where to look."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
from libcst.metadata import QualifiedNameSource

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.metadata import Metadata
from flaskmod.codemods.structlog_logging.declared import resolved_name
from flaskmod.codemods.structlog_logging.vocabulary import NON_STDLIB_LOGGING, is_log_method


def report_local_loggers(codemod: Codemod, metadata: Metadata, calls: list[cst.Call], module_level: set[int]) -> None:
    """`logging.getLogger(...)` assigned anywhere but at module level (``module_level``: their ids)."""
    for call in calls:
        if id(call) in module_level or metadata.qualified(call.func) != {"logging.getLogger"}:
            continue
        if isinstance(metadata.parent_or_none(call), (cst.Assign, cst.AnnAssign)):
            codemod.add_skip(
                call, "a logger created inside a function, a class or a block is not rewritten", "local-logger"
            )


def report_other_loggers(codemod: Codemod, metadata: Metadata, calls: list[cst.Call]) -> None:
    """Calls on loggers imported from other modules: one note per module, saying where to act."""
    found: dict[str, tuple[str, str]] = {}  # the name called on -> its module, its qualified name
    first: cst.Call | None = None
    for call in calls:
        func = call.func
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)):
            continue
        if not is_log_method(func.attr.value) or func.value.value in found:
            continue
        imported = _imported_logger(metadata, func.value)
        if imported is not None:
            found[func.value.value] = imported
            first = first or call
    if first is None:
        return
    filename = codemod.context.filename
    importer = Path(filename) if filename else None
    declarable = [resolved_name(qualified, importer, codemod.project) for _module, qualified in found.values()]
    owners = " and ".join(f"`{name}` (imported from `{module}`)" for name, (module, _q) in found.items())
    codemod.add_skip(
        first,
        f"calls on {owners} are left alone: run the codemod on the module that defines a logger, or declare a "
        f"project logger object in `logger-objects` ({', '.join(f'`{d}`' for d in declarable)})",
        "imported-logger",
    )


def _imported_logger(metadata: Metadata, owner: cst.Name) -> tuple[str, str] | None:
    """The project module a logger-like name is imported from, and its qualified name; None for anything else."""
    names = metadata.qualified_names(owner)
    if len(names) != 1:
        return None
    (qualified,) = names
    if qualified.source is not QualifiedNameSource.IMPORT or "log" not in owner.value.lower():
        return None
    module = qualified.name.rsplit(".", 1)[0] if "." in qualified.name.lstrip(".") else qualified.name
    if module.lstrip(".").split(".")[0] in NON_STDLIB_LOGGING | {"logging"} or module == qualified.name:
        return None
    return module, qualified.name
