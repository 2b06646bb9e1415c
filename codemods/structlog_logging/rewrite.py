"""Writing the plan: the new logger, `structlog.get_logger`, the `logging` imports that go, and the layout.

The codemod records the planned replacements as edits; this module holds the pieces
of syntax the planner and those edits build.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst
import libcst.matchers as m

from flaskmod.codemods.core.bindings import dotted_name

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
