"""Where `import structlog` and a new module logger go, so isort (I001) and E402 stay clean.

`import structlog` joins the module's third-party import section in isort's order (plain
`import x` statements first, sorted case-insensitively, then `from x import y` ones); with
no third-party section, it starts one after the standard library's, a blank line apart.
A new `logger = structlog.get_logger(__name__)` goes after the module's last top-level
import (one inside a top-level `try`/`if` counts), or before the first statement that logs
at import time when that comes earlier.
"""

from __future__ import annotations

import sys
from collections.abc import Collection, Sequence
from pathlib import Path

import libcst as cst
import libcst.matchers as m

from flaskmod.codemods.core.bindings import dotted_name

_DOCSTRING = m.SimpleStatementLine(body=[m.Expr(value=m.SimpleString() | m.ConcatenatedString())])
_STDLIB = "stdlib"
_THIRD_PARTY = "third-party"
_FIRST_PARTY = "first-party"
_FUTURE = "future"


def first_party_names(scanned: Sequence[Path]) -> frozenset[str]:
    """Top-level names of the project's own code: its packages and the modules outside any package."""
    files = set(scanned)
    names = {p.parent.name for p in scanned if p.name == "__init__.py"}
    names |= {p.stem for p in scanned if p.suffix == ".py" and p.parent / "__init__.py" not in files}
    return frozenset(names)


def _single_import(statement: cst.BaseStatement) -> cst.Import | cst.ImportFrom | None:
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, (cst.Import, cst.ImportFrom)):
            return small
    return None


def _section(node: cst.Import | cst.ImportFrom, first_party: Collection[str]) -> str:
    if isinstance(node, cst.ImportFrom):
        if node.relative:
            return _FIRST_PARTY
        name = dotted_name(node.module) if node.module is not None else ""
    else:
        name = dotted_name(node.names[0].name) or ""
    top = (name or "").split(".")[0]
    if top == "__future__":
        return _FUTURE
    if top in sys.stdlib_module_names:
        return _STDLIB
    if top in first_party:
        return _FIRST_PARTY
    return _THIRD_PARTY


def _sort_key(node: cst.Import | cst.ImportFrom) -> tuple[int, str]:
    if isinstance(node, cst.Import):
        return 0, (dotted_name(node.names[0].name) or "").lower()
    return 1, (dotted_name(node.module) if node.module is not None else "").lower()


def _imports_structlog(body: Sequence[cst.BaseStatement]) -> bool:
    for statement in body:
        node = _single_import(statement)
        if isinstance(node, cst.Import) and any(
            dotted_name(a.name) == "structlog" and a.asname is None for a in node.names
        ):
            return True
    return False


def with_structlog_import(module: cst.Module, first_party: Collection[str]) -> cst.Module:
    """``module`` with `import structlog` in its third-party import section (unchanged when it has one)."""
    body = list(module.body)
    if _imports_structlog(body):
        return module
    start = 1 if body and m.matches(body[0], _DOCSTRING) else 0
    block: list[tuple[int, cst.Import | cst.ImportFrom, str]] = []
    for index in range(start, len(body)):
        node = _single_import(body[index])
        if node is None:
            break
        block.append((index, node, _section(node, first_party)))
    new = cst.parse_statement("import structlog", config=module.config_for_parsing)
    assert isinstance(new, cst.SimpleStatementLine)
    third = [(i, n) for i, n, s in block if s == _THIRD_PARTY]
    if third:
        return module.with_changes(body=_into_section(body, third, new))
    before = [i for i, _n, s in block if s in (_FUTURE, _STDLIB)]
    at = before[-1] + 1 if before else (block[0][0] if block else start)
    return module.with_changes(body=_new_section(body, at, new, has_imports_before=bool(before)))


def _into_section(
    body: list[cst.BaseStatement], section: list[tuple[int, cst.Import | cst.ImportFrom]], new: cst.SimpleStatementLine
) -> list[cst.BaseStatement]:
    key = (0, "structlog")
    following = next(((i, n) for i, n in section if _sort_key(n) > key), None)
    if following is None:
        body.insert(section[-1][0] + 1, new)
        return body
    index = following[0]
    if index == section[0][0]:
        # First of its section: it takes over the section's leading blank line and comments.
        new = new.with_changes(leading_lines=body[index].leading_lines)
        body[index] = body[index].with_changes(leading_lines=[])
    body.insert(index, new)
    return body


def _new_section(
    body: list[cst.BaseStatement], at: int, new: cst.SimpleStatementLine, *, has_imports_before: bool
) -> list[cst.BaseStatement]:
    if has_imports_before:
        new = new.with_changes(leading_lines=[cst.EmptyLine()])
    elif at < len(body):
        # At the top of the block: the statement there keeps its lines below the new import.
        new = new.with_changes(leading_lines=body[at].leading_lines)
        body[at] = body[at].with_changes(leading_lines=[])
    if at < len(body) and not (body[at].leading_lines and body[at].leading_lines[0].comment is None):
        body[at] = body[at].with_changes(leading_lines=[cst.EmptyLine(), *body[at].leading_lines])
    body.insert(at, new)
    return body


def logger_index(module: cst.Module, import_time_uses: Sequence[int]) -> int:
    """Where a new module logger goes: after the last top-level import, before the first import-time use."""
    after_imports = 1 if module.body and m.matches(module.body[0], _DOCSTRING) else 0
    for index, statement in enumerate(module.body):
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            continue
        if _single_import(statement) is not None or (
            not isinstance(statement, cst.SimpleStatementLine) and m.findall(statement, m.Import() | m.ImportFrom())
        ):
            after_imports = index + 1
    return min(after_imports, *import_time_uses) if import_time_uses else after_imports
