"""Assignments a specialised view no longer reads: they go when their value has no side effects.

A local import only the other view reads goes too (ruff's F401 fix would take it).

A branch dropped from one view may have been the only reader of a local (``error = None``
read only by the POST path): left in place, the GET view would fail ruff's F841. The
assignment is handled only when the local was read in the original view and is read nowhere
in this one (nested functions included):

- a value without side effects (a literal, a name, an attribute chain, an f-string or an
  operator over those, a container of those, `request.args.get(...)` and the other request
  getters with such arguments) goes;
- a call stays as a bare call (`get_errors()`), so whatever it did for this request it still
  does, and ruff has no unused local to flag; it is named so a finding can point at it;
- anything else stays as it was, and is named too.
"""

from __future__ import annotations

from typing import TypeVar

import libcst as cst

from flaskmod.codemods.core.bindings import (
    all_params,
    bound_name_nodes,
    function_locals,
    reads_every_local,
    variable_nodes,
)
from flaskmod.codemods.core.syntax import code_of, walk


def prune(original: cst.FunctionDef, body: cst.BaseSuite) -> tuple[cst.BaseSuite, list[str], list[str]]:
    """``body`` (the view's specialised body) without the assignments it made dead; the dead locals it keeps
    assigned; the calls it keeps for their effects only (their code)."""
    view = original.with_changes(body=body)
    if reads_every_local(original):
        return body, [], []
    dead = _unread(view) - _unread(original)
    if not dead:
        return body, [], []
    remover = _DeadAssignments(dead)
    new_body = body.visit(remover)
    assert isinstance(new_body, cst.BaseSuite)
    return new_body, sorted(remover.kept), remover.calls_kept


def _unread(function: cst.FunctionDef) -> set[str]:
    """The locals the function assigns and never reads (its parameters aside), from a statement walk.

    A name read anywhere below the body (a nested function or comprehension included) counts
    as read: that errs toward keeping an assignment, never toward dropping a live one.
    """
    bound, problem = function_locals(function)
    if problem is not None:
        return set()  # `global`, `nonlocal`, `match`...: bindings not followed here
    params = {param.name.value for param in all_params(function.params)}
    targets = bound_name_nodes(function.body)
    read = {name.value for name in variable_nodes(function.body) if id(name) not in targets}
    return bound - params - read - _nested_definitions(function)


def _nested_definitions(function: cst.FunctionDef) -> set[str]:
    """Functions and classes the body defines: not assignments that a split could leave dead."""
    return {n.name.value for n in walk(function.body) if isinstance(n, (cst.FunctionDef, cst.ClassDef))}


class _DeadAssignments(cst.CSTTransformer):
    """Drops ``name = <pure value>`` for the dead names, outside nested functions and classes."""

    def __init__(self, dead: set[str]) -> None:
        super().__init__()
        self.dead = dead
        self.kept: set[str] = set()  # dead names still assigned somewhere
        self.calls_kept: list[str] = []  # the code of calls kept as bare calls

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def leave_Assign(
        self, original_node: cst.Assign, updated_node: cst.Assign
    ) -> cst.Assign | cst.Expr | cst.RemovalSentinel:
        targets = [t.target for t in original_node.targets]
        dead = [t for t in targets if isinstance(t, cst.Name) and t.value in self.dead]
        if not dead:
            return updated_node
        if len(dead) != len(targets):
            self.kept |= {t.value for t in dead}
            return updated_node
        if _pure(original_node.value):
            return cst.RemoveFromParent()
        if isinstance(updated_node.value, (cst.Call, cst.Await)):
            self.calls_kept.append(code_of(updated_node.value))
            return cst.Expr(value=updated_node.value, semicolon=updated_node.semicolon)
        self.kept |= {t.value for t in dead}
        return updated_node

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import | cst.RemovalSentinel:
        return self._unused_import(original_node, updated_node)

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        return self._unused_import(original_node, updated_node)

    def _unused_import(self, original_node: ImportNode, updated_node: ImportNode) -> ImportNode | cst.RemovalSentinel:
        """A local import only the other view reads goes, as ruff's F401 fix takes it; a partly read one stays."""
        if isinstance(original_node.names, cst.ImportStar):
            return updated_node
        bound = {_bound_name(alias) for alias in original_node.names}
        dead = bound & self.dead
        if dead and dead == bound:
            return cst.RemoveFromParent()
        self.kept |= dead
        return updated_node

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        if original_node.body and not updated_node.body:
            return cst.RemoveFromParent()
        return updated_node

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        if original_node.body and not updated_node.body:
            return updated_node.with_changes(body=[cst.SimpleStatementLine(body=[cst.Pass()])])
        return updated_node


ImportNode = TypeVar("ImportNode", cst.Import, cst.ImportFrom)


def _bound_name(alias: cst.ImportAlias) -> str:
    """The name an import binds: its alias, else the first part of its dotted name."""
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return code_of(alias.name).split(".")[0]


# `request.args.get(...)` and its kind: a lookup in the request's data that never raises.
_REQUEST_DATA = frozenset({"args", "form", "values", "files", "cookies", "headers"})


def _pure(node: cst.BaseExpression) -> bool:
    """A literal, a name, an attribute chain, a request getter, or a container of those: nothing worth keeping."""
    if isinstance(node, cst.Attribute):
        return _pure(node.value)
    if isinstance(node, cst.Call):
        return _request_getter(node)
    if isinstance(node, cst.BinaryOperation):
        return _pure(node.left) and _pure(node.right)
    if isinstance(node, cst.FormattedString):
        parts = [p.expression for p in node.parts if isinstance(p, cst.FormattedStringExpression)]
        return all(_pure(part) for part in parts)
    if isinstance(node, (cst.Name, cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary, cst.ConcatenatedString)):
        return not isinstance(node, cst.ConcatenatedString) or (_pure(node.left) and _pure(node.right))
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return all(isinstance(e, cst.Element) and _pure(e.value) for e in node.elements)
    if isinstance(node, cst.Dict):
        return all(isinstance(e, cst.DictElement) and _pure(e.key) and _pure(e.value) for e in node.elements)
    if isinstance(node, cst.UnaryOperation):
        return isinstance(node.expression, (cst.Integer, cst.Float, cst.Imaginary))
    return False


def _request_getter(call: cst.Call) -> bool:
    """``request.args.get(key, default)`` with arguments that have no side effects."""
    func = call.func
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value == "get"
        and isinstance(func.value, cst.Attribute)
        and func.value.attr.value in _REQUEST_DATA
        and isinstance(func.value.value, cst.Name)
        and func.value.value.value == "request"
        and all(not arg.star and _pure(arg.value) for arg in call.args)
    )
