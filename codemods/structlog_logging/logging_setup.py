"""Modules that set logging up: they are left alone as a whole.

A module that calls `logging.basicConfig`, `logging.config.dictConfig` or `fileConfig`, or
attaches a handler (`.addHandler(...)`), is where the application's logging is made:
its own log calls run while that setup happens (often before it is done), and an alembic
migration environment (`from alembic import context`) configures logging from
`alembic.ini` and runs outside the application. Rewriting either to structlog moves its
lines away from the handlers it sets up, and breaks it where structlog is not installed.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
import libcst.matchers as m

from flaskmod.codemods.core.metadata import Metadata
from flaskmod.codemods.core.syntax import code_of

# Functions that configure stdlib logging, by qualified name.
CONFIGURING_FUNCTIONS: frozenset[str] = frozenset(
    {"logging.basicConfig", "logging.config.dictConfig", "logging.config.fileConfig"}
)

_ALEMBIC_CONTEXT = m.ImportFrom(
    module=m.Name("alembic"), names=[m.ZeroOrMore(), m.ImportAlias(name=m.Name("context")), m.ZeroOrMore()]
)


def logging_setup(tree: cst.Module, calls: Sequence[cst.Call], metadata: Metadata) -> tuple[cst.CSTNode, str] | None:
    """The first sign that the module sets logging up, and what the module is; None if none.

    The description is left open for the line: `sets logging up (`logging.basicConfig(...)`.
    """
    alembic = m.findall(tree, _ALEMBIC_CONTEXT)
    if alembic:
        return alembic[0], "is an alembic migration environment (`from alembic import context`"
    for call in calls:
        adds_handler = isinstance(call.func, cst.Attribute) and call.func.attr.value == "addHandler"
        if adds_handler or metadata.qualified(call.func) & CONFIGURING_FUNCTIONS:
            return call, f"sets logging up (`{code_of(call.func)}(...)`"
    return None
