"""Method tests in expressions: recognising ``request.method == 'POST'`` and replacing it by a constant."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import libcst as cst

from flaskmod.codemods.split_get_post.nodes import string_value


class MethodDependent(Protocol):
    """An expression whose value depends on the request's method: the constant it has for one, if known."""

    def value(self, method: str) -> bool | None: ...


@dataclass(frozen=True)
class MethodTest:
    """``request.method == 'POST'``, ``!=``, ``in (...)`` or ``not in (...)``."""

    names: frozenset[str]  # as written: werkzeug upper-cases the method, so 'post' never matches
    negated: bool

    def value(self, method: str) -> bool:
        return (method in self.names) != self.negated


def method_test(attr: cst.Attribute, comparison: cst.Comparison) -> MethodTest | None:
    """The test ``comparison`` makes of the ``request.method`` read ``attr``, if it compares it with method names."""
    if len(comparison.comparisons) != 1:
        return None
    target = comparison.comparisons[0]
    operator = target.operator
    if comparison.left is attr:
        other = target.comparator
    elif target.comparator is attr and isinstance(operator, (cst.Equal, cst.NotEqual)):
        other = comparison.left
    else:
        return None
    if isinstance(operator, (cst.Equal, cst.NotEqual)):
        value = string_value(other)
        if value is None:
            return None
        return MethodTest(frozenset({value}), isinstance(operator, cst.NotEqual))
    if isinstance(operator, (cst.In, cst.NotIn)) and isinstance(other, (cst.List, cst.Tuple, cst.Set)):
        values = [string_value(e.value) if isinstance(e, cst.Element) else None for e in other.elements]
        if not values or any(v is None for v in values):
            return None
        return MethodTest(frozenset(v for v in values if v is not None), isinstance(operator, cst.NotIn))
    return None


class ExpressionSpecialiser(cst.CSTTransformer):
    """Replaces each method test by the constant it has for one method, and simplifies around it.

    Only the constants it made itself are simplified away (never a ``True`` the user
    wrote). ``and``/``or`` with the constant on the right are simplified only where
    the value is used as a truth value and the left operand is free of side effects.
    """

    def __init__(
        self, method: str, tests: Mapping[int, MethodDependent], bool_context: set[int], keep_parens: bool
    ) -> None:
        super().__init__()
        self.method = method
        self.tests = tests
        self.bool_context = bool_context
        self.keep_parens = keep_parens
        self.made: dict[int, cst.Name] = {}
        self.unresolved: list[cst.BooleanOperation] = []
        self.stored: list[cst.BaseExpression] = []  # targets assigned a method test's result
        self.reads: set[int] = set()  # ids of the original `request.method` reads
        self.seen: set[int] = set()  # reads visited
        self.consumed: set[int] = set()  # reads whose test became a constant

    def constant(self, value: bool, replaced: cst.BaseExpression) -> cst.Name:
        # The parentheses stay: `not(x)` and `if(x)` need them, and a simplification drops them with the constant.
        node = cst.Name("True" if value else "False", lpar=replaced.lpar, rpar=replaced.rpar)
        self.made[id(node)] = node
        return node

    def value_of(self, node: cst.BaseExpression) -> bool | None:
        if id(node) in self.made and self.made[id(node)] is node:
            return node.value == "True"
        return None

    def leave_Comparison(self, original_node: cst.Comparison, updated_node: cst.Comparison) -> cst.BaseExpression:
        test = self.tests.get(id(original_node))
        if test is None:
            return updated_node
        value = test.value(self.method)
        if value is None:
            return updated_node
        for part in (original_node.left, original_node.comparisons[0].comparator):
            self.consumed.add(id(part))
        return self.constant(value, updated_node)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        """A ``validate_on_submit()`` call where its value is known for the method (``submit``)."""
        test = self.tests.get(id(original_node))
        value = test.value(self.method) if test is not None else None
        if value is None:
            return updated_node
        return self.constant(value, updated_node)

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        if id(original_node) in self.reads:
            self.seen.add(id(original_node))
        return updated_node

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        if self._stores_test(updated_node.value):
            self.stored += [t.target for t in updated_node.targets]
        return updated_node

    def leave_AnnAssign(self, original_node: cst.AnnAssign, updated_node: cst.AnnAssign) -> cst.AnnAssign:
        if updated_node.value is not None and self._stores_test(updated_node.value):
            self.stored.append(updated_node.target)
        return updated_node

    def leave_NamedExpr(self, original_node: cst.NamedExpr, updated_node: cst.NamedExpr) -> cst.BaseExpression:
        if self._stores_test(updated_node.value):
            self.stored.append(updated_node.target)
        return updated_node

    def _stores_test(self, node: cst.BaseExpression) -> bool:
        if self.value_of(node) is not None:
            return True
        if isinstance(node, cst.BooleanOperation):
            return self._stores_test(node.left) or self._stores_test(node.right)
        return False

    def leave_UnaryOperation(
        self, original_node: cst.UnaryOperation, updated_node: cst.UnaryOperation
    ) -> cst.BaseExpression:
        value = self.value_of(updated_node.expression)
        if value is None or not isinstance(updated_node.operator, cst.Not):
            return updated_node
        return self.constant(not value, updated_node)

    def leave_BooleanOperation(
        self, original_node: cst.BooleanOperation, updated_node: cst.BooleanOperation
    ) -> cst.BaseExpression:
        left, right = updated_node.left, updated_node.right
        is_and = isinstance(updated_node.operator, cst.And)
        left_value = self.value_of(left)
        if left_value is not None:
            # `True and x` is x, `False and x` is False, `True or x` is True, `False or x` is x.
            if left_value == is_and:
                return self._unwrap(right, updated_node)
            return self.constant(left_value, updated_node)
        right_value = self.value_of(right)
        if right_value is None or id(original_node) not in self.bool_context:
            return updated_node
        if right_value == is_and:
            return self._unwrap(left, updated_node)  # `x and True`, `x or False`: as a truth value, x
        if pure(left):
            return self.constant(right_value, updated_node)  # `x and False`, `x or True`, x without side effects
        self.unresolved.append(original_node)
        return updated_node

    def leave_IfExp(self, original_node: cst.IfExp, updated_node: cst.IfExp) -> cst.BaseExpression:
        value = self.value_of(updated_node.test)
        if value is None:
            return updated_node
        return self._unwrap(updated_node.body if value else updated_node.orelse, updated_node)

    def _unwrap(self, result: cst.BaseExpression, replaced: cst.BaseExpression) -> cst.BaseExpression:
        """``result`` in the place of ``replaced``, keeping the parentheses it needs there."""
        if not replaced.lpar or self.value_of(result) is not None:
            return result
        if result.lpar or (not self.keep_parens and _atomic(result)):
            return result
        return result.with_changes(lpar=replaced.lpar, rpar=replaced.rpar)


def pure(node: cst.BaseExpression) -> bool:
    """An expression whose evaluation has no side effects worth keeping (names, attributes, literals)."""
    if isinstance(node, (cst.Name, cst.SimpleString, cst.Integer, cst.Float)):
        return True
    if isinstance(node, cst.Attribute):
        return pure(node.value)
    if isinstance(node, cst.UnaryOperation):
        return pure(node.expression)
    if isinstance(node, cst.BooleanOperation):
        return pure(node.left) and pure(node.right)
    if isinstance(node, cst.Comparison):
        return pure(node.left) and all(pure(c.comparator) for c in node.comparisons)
    return False


def _atomic(node: cst.BaseExpression) -> bool:
    """Binds as tightly as a parenthesised expression, so it needs no parentheses anywhere."""
    return isinstance(
        node,
        (
            cst.Name,
            cst.Attribute,
            cst.Call,
            cst.Subscript,
            cst.SimpleString,
            cst.Integer,
            cst.Float,
            cst.List,
            cst.Tuple,
            cst.Dict,
            cst.Set,
        ),
    ) and not (isinstance(node, cst.Tuple) and not node.lpar)
