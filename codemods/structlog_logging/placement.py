"""Where `import structlog` and a new module logger go, so isort (I001) and E402 stay clean.

`import structlog` is placed by core's import editor (``core/import_order.py``): the
module's third-party section in isort's order, or a section of its own. A new
`logger = structlog.get_logger(__name__)` goes after the module's last top-level import
(one inside a top-level `try`/`if` counts), or before the first statement that logs at
import time when that comes earlier.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import libcst as cst
import libcst.matchers as m

from flaskmod.codemods.core.imports import NeededImport, add_imports, single_import

_DOCSTRING = m.SimpleStatementLine(body=[m.Expr(value=m.SimpleString() | m.ConcatenatedString())])


def with_structlog_import(module: cst.Module, first_party: Collection[str]) -> cst.Module:
    """``module`` with `import structlog` in its third-party import section (core's import editor places it)."""
    return add_imports(module, [NeededImport("structlog")], frozenset(first_party))


def logger_index(module: cst.Module, import_time_uses: Sequence[int]) -> int:
    """Where a new module logger goes: after the last top-level import, before the first import-time use."""
    after_imports = 1 if module.body and m.matches(module.body[0], _DOCSTRING) else 0
    for index, statement in enumerate(module.body):
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            continue
        if single_import(statement) is not None or (
            not isinstance(statement, cst.SimpleStatementLine) and m.findall(statement, m.Import() | m.ImportFrom())
        ):
            after_imports = index + 1
    return min(after_imports, *import_time_uses) if import_time_uses else after_imports
