"""Loggers the codemod finds but does not rewrite, reported as skips so the user knows where to look."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import QualifiedNameSource

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.metadata import Metadata
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
    """Calls on a logger imported from another module: the user runs us there (once per logger)."""
    reported: set[str] = set()
    for call in calls:
        func = call.func
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)):
            continue
        if not is_log_method(func.attr.value):
            continue
        owner = func.value
        module = _imported_logger_module(metadata, owner)
        if module is None or owner.value in reported:
            continue
        reported.add(owner.value)
        codemod.add_skip(
            call,
            f"`{owner.value}` is imported from `{module}`: run the codemod on the module that defines it",
            "imported-logger",
        )


def _imported_logger_module(metadata: Metadata, owner: cst.Name) -> str | None:
    """The project module a logger-like name is imported from; None for anything else (logging, loguru...)."""
    names = metadata.qualified_names(owner)
    if len(names) != 1:
        return None
    (qualified,) = names
    if qualified.source is not QualifiedNameSource.IMPORT or "log" not in owner.value.lower():
        return None
    module = qualified.name.rsplit(".", 1)[0] if "." in qualified.name.lstrip(".") else qualified.name
    if module.lstrip(".").split(".")[0] in NON_STDLIB_LOGGING | {"logging"} or module == qualified.name:
        return None
    return module
