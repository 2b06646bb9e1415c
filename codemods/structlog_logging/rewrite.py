"""Writing the plan: the new logger, `structlog.get_logger`, the `logging` imports that go, and the layout.

The codemod records the planned replacements as edits; this module holds the pieces
of syntax the planner and those edits build.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import libcst as cst
import libcst.matchers as m

from flaskmod.codemods.core.bindings import dotted_name
from flaskmod.codemods.core.metadata import Metadata
from flaskmod.codemods.core.syntax import walk

_DOCSTRING = m.SimpleStatementLine(body=[m.Expr(value=m.SimpleString() | m.ConcatenatedString())])


def structlog_get_logger(call: cst.Call) -> cst.Call:
    """`logging.getLogger(name=x)` -> `structlog.get_logger(x)`: structlog's parameter is positional."""
    args = [
        a.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT) if a.keyword and a.keyword.value == "name" else a
        for a in call.args
    ]
    return call.with_changes(func=cst.Attribute(cst.Name("structlog"), cst.Name("get_logger")), args=args)


def without_annotation(assignment: cst.AnnAssign) -> cst.BaseSmallStatement:
    """`logger: logging.Logger = ...` -> `logger = ...`: the annotation would now be wrong for type checkers."""
    if assignment.value is None:
        return assignment
    return cst.Assign(targets=[cst.AssignTarget(assignment.target)], value=assignment.value)


def with_new_logger(module: cst.Module, name: str, index: int) -> cst.Module:
    """``module`` with `name = structlog.get_logger(__name__)` as its statement number ``index``."""
    body = list(module.body)
    statement = cst.SimpleStatementLine(
        body=[
            cst.Assign(
                targets=[cst.AssignTarget(cst.Name(name))],
                value=cst.Call(
                    func=cst.Attribute(cst.Name("structlog"), cst.Name("get_logger")),
                    args=[cst.Arg(cst.Name("__name__"))],
                ),
            )
        ],
        leading_lines=[cst.EmptyLine()] if index else [],
    )
    if index < len(body) and not body[index].leading_lines:
        body[index] = body[index].with_changes(leading_lines=[cst.EmptyLine()])
    body.insert(index, statement)
    return module.with_changes(body=body)


def logging_imports(tree: cst.Module) -> Iterator[tuple[str, str | None]]:
    """The module-level `import logging` and `from logging import x` (no alias): (module, name) to drop if unused."""
    for statement in tree.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    if dotted_name(alias.name) == "logging" and alias.asname is None:
                        yield "logging", None
            elif _is_from_logging(small):
                assert isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar)
                for alias in small.names:
                    if isinstance(alias.name, cst.Name) and alias.asname is None:
                        yield "logging", alias.name.value


def _is_from_logging(small: cst.BaseSmallStatement) -> bool:
    """`from logging import ...`, star imports aside."""
    return (
        isinstance(small, cst.ImportFrom)
        and not small.relative
        and small.module is not None
        and dotted_name(small.module) == "logging"
        and not isinstance(small.names, cst.ImportStar)
    )


def without_stray_blank_line(original: cst.Module, result: cst.Module) -> cst.Module:
    """Removing a first `import logging` leaves the blank line that followed it at the top (or under the docstring)."""
    if result is original or not result.body or not original.body:
        return result
    index = 1 if m.matches(original.body[0], _DOCSTRING) and m.matches(result.body[0], _DOCSTRING) else 0
    if len(original.body) <= index or len(result.body) <= index or original.body[index].leading_lines:
        return result
    first = result.body[index]
    if first.leading_lines and all(line.comment is None for line in first.leading_lines):
        body = list(result.body)
        body[index] = first.with_changes(leading_lines=[])
        return result.with_changes(body=body)
    return result


def handlers_left_unused(replacements: Mapping[cst.CSTNode, object], metadata: Metadata) -> list[cst.ExceptHandler]:
    """The `except ... as e` clauses whose `e` no rewritten call reads any more.

    A call that logs the traceback no longer passes the exception as a key (TRY401); when
    that was the handler's only read of `e`, the name would be unused (F841). Counting
    every `Name` spelled `e`, attributes and keywords included, can only keep a name.
    """
    by_handler: dict[int, tuple[cst.ExceptHandler, int]] = {}
    for call, replacement in replacements.items():
        handler = _enclosing_handler(call, metadata)
        if handler is None or not isinstance(replacement, cst.CSTNode):
            continue
        assert isinstance(handler.name, cst.AsName) and isinstance(handler.name.name, cst.Name)
        name = handler.name.name.value
        _, change = by_handler.get(id(handler), (handler, 0))
        by_handler[id(handler)] = (handler, change + _spelled(replacement, name) - _spelled(call, name))
    unused = []
    for handler, change in by_handler.values():
        assert isinstance(handler.name, cst.AsName) and isinstance(handler.name.name, cst.Name)
        before = _spelled(handler.body, handler.name.name.value)
        if before > 0 and before + change == 0:
            unused.append(handler)
    return unused


def without_name(handler: cst.ExceptHandler) -> cst.ExceptHandler:
    """`except ValueError as e:` -> `except ValueError:`."""
    return handler.with_changes(name=None)


def _enclosing_handler(node: cst.CSTNode, metadata: Metadata) -> cst.ExceptHandler | None:
    """The innermost `except ... as <name>` around ``node`` in its function."""
    current = metadata.parent_or_none(node)
    while current is not None and not isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
        if isinstance(current, cst.ExceptHandler):
            named = isinstance(current.name, cst.AsName) and isinstance(current.name.name, cst.Name)
            return current if named else None
        current = metadata.parent_or_none(current)
    return None


def _spelled(node: cst.CSTNode, name: str) -> int:
    return sum(1 for n in walk(node) if isinstance(n, cst.Name) and n.value == name)
