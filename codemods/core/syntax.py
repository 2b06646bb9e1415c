"""The syntax helpers every codemod shares: one walker, one node-to-code helper, one statement counter.

The walkers here follow statements only (never expressions), so they are much cheaper
than a LibCST visitor; they enter every kind of block: ``if``/``else``, loops and their
``else``, ``with``, ``try``/``except``/``except*``/``finally``, ``match`` cases, and
function and class bodies.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator

import libcst as cst

_EMPTY_MODULE = cst.Module(body=[])

# The fields a node type's `_visit_and_replace_children` visits, in its order: each is
# visited by a `visit_*(self, "<field>", ...)` call.
_VISITED_FIELD = re.compile(r'visit_\w+\(\s*self,\s*"(\w+)"')
_CHILD_FIELDS: dict[type[cst.CSTNode], tuple[str, ...] | None] = {}


def _child_fields(kind: type[cst.CSTNode]) -> tuple[str, ...] | None:
    """The child fields of ``kind`` in LibCST's visiting order; None when its source cannot be read."""
    if kind not in _CHILD_FIELDS:
        try:
            source = inspect.getsource(kind._visit_and_replace_children)
        except (OSError, TypeError):
            source = ""
        # No source to read: LibCST's own `children` stays the answer.
        _CHILD_FIELDS[kind] = tuple(dict.fromkeys(_VISITED_FIELD.findall(source))) if source else None
    return _CHILD_FIELDS[kind]


def children_of(node: cst.CSTNode) -> list[cst.CSTNode]:
    """``node.children``, in the same order, read from the node's fields.

    LibCST computes ``children`` by running a visitor over the node; reading the fields its
    `_visit_and_replace_children` visits, in that order, gives the same list about four
    times faster (checked node by node on 17 million nodes of real projects, and by
    tests/test_syntax.py).
    """
    fields = _child_fields(type(node))
    if fields is None:
        return list(node.children)
    children: list[cst.CSTNode] = []
    for name in fields:
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            children.append(value)
        elif isinstance(value, (tuple, list)):
            children.extend(item for item in value if isinstance(item, cst.CSTNode))
    return children


# A function or class, and the functions and classes it is nested in, outermost first.
Outer = list[cst.FunctionDef | cst.ClassDef]


def code_of(node: cst.CSTNode) -> str:
    """The source code of ``node`` on its own, in the default module's style."""
    return _EMPTY_MODULE.code_for_node(node)


def short_code(node: cst.CSTNode, limit: int = 60) -> str:
    """``node``'s code on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(code_of(node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def walk(node: cst.CSTNode) -> list[cst.CSTNode]:
    """``node`` and every node below it, expressions included, parents before children."""
    out: list[cst.CSTNode] = []
    stack = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(children_of(current))
    return out


def walk_scope(node: cst.CSTNode) -> list[cst.CSTNode]:
    """``node`` and every node below it in its own scope: nested functions, lambdas and classes are not entered."""
    out: list[cst.CSTNode] = []
    stack = [node]
    while stack:
        current = stack.pop()
        out.append(current)
        if current is node or not isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            stack.extend(children_of(current))
    return out


def child_blocks(statement: cst.CSTNode) -> list[cst.CSTNode]:
    """The statement blocks directly inside a compound statement (handlers and match cases included)."""
    blocks: list[cst.CSTNode] = []
    for attribute in ("body", "orelse", "finalbody"):
        child = getattr(statement, attribute, None)
        if isinstance(child, cst.CSTNode):
            blocks.append(child)
    if isinstance(statement, (cst.Try, cst.TryStar)):
        blocks.extend(statement.handlers)
    if isinstance(statement, cst.Match):
        blocks.extend(statement.cases)
    return blocks


def _statements_in(node: cst.CSTNode) -> list[cst.CSTNode]:
    """What the statement walk enters below ``node``: the statements of a block, the blocks of a statement."""
    if isinstance(node, (cst.Module, cst.IndentedBlock, cst.SimpleStatementSuite)):
        return list(node.body)
    if isinstance(node, (cst.SimpleStatementLine, cst.BaseSmallStatement)):
        return []
    return child_blocks(node)


def iter_functions_with_outer(body: cst.CSTNode) -> Iterator[tuple[cst.FunctionDef, Outer]]:
    """Every function below ``body``, in source order, with the functions and classes around it."""
    stack: list[tuple[cst.CSTNode, Outer]] = [(body, [])]
    while stack:
        node, outer = stack.pop()
        if isinstance(node, cst.FunctionDef):
            yield node, outer
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            outer = [*outer, node]
        stack.extend((child, outer) for child in reversed(_statements_in(node)))


def iter_function_defs(body: cst.CSTNode) -> Iterator[cst.FunctionDef]:
    """Every function definition below ``body``, in source order (views in factories, classes, blocks)."""
    for function, _ in iter_functions_with_outer(body):
        yield function


def count_statements(node: cst.CSTNode) -> int:
    """Statements below ``node``, counted recursively (a compound statement counts one plus its blocks)."""
    total = 0
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            total += len(current.body)
            continue
        if isinstance(current, cst.BaseCompoundStatement):
            total += 1
        stack.extend(
            child
            for child in children_of(current)
            if isinstance(child, (cst.BaseStatement, cst.BaseSuite, cst.Else, cst.ExceptHandler, cst.Finally))
        )
    return total
