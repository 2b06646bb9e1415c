"""Writing the plan: the new logger, `structlog.get_logger`, the `logging` imports that go, and the layout.

The codemod records the planned replacements as edits; this module holds the pieces
of syntax the planner and those edits build.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst
import libcst.matchers as m

from flaskmod.codemods.core.bindings import dotted_name


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


def with_new_logger(module: cst.Module, name: str) -> cst.Module:
    """``module`` with `name = structlog.get_logger(__name__)` after its leading imports."""
    body = list(module.body)
    index = _after_leading_imports(body)
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


def _after_leading_imports(body: list[cst.BaseStatement]) -> int:
    """Where AddImportsVisitor puts new imports: after the docstring and the first block of imports."""
    index = 0
    if body and m.matches(body[0], m.SimpleStatementLine(body=[m.Expr(value=m.SimpleString())])):
        index = 1
    while index < len(body) and m.matches(body[index], m.SimpleStatementLine(body=[m.Import() | m.ImportFrom()])):
        index += 1
    return index


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
    """Removing a first-line `import logging` leaves the blank line that followed it at the top: it goes."""
    if result is not original and result.body and original.body and not original.body[0].leading_lines:
        first = result.body[0]
        if first.leading_lines and all(line.comment is None for line in first.leading_lines):
            return result.with_changes(body=[first.with_changes(leading_lines=[]), *result.body[1:]])
    return result
