"""One pass over the module: the ``request.method`` reads, and what the findings and names need.

The survey is a full visitor (expressions included): method tests, truth-value
contexts, endpoint reads and string literals all sit inside expressions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.bindings import import_bound
from flaskmod.codemods.core.flask import (
    CLASS_BASED_VIEW_BASES,
    REQUEST_ENDPOINT_NAMES,
    REQUEST_METHOD_NAMES,
    REQUEST_URL_RULE_NAMES,
    URL_FOR_FUNCTIONS,
)
from flaskmod.codemods.core.metadata import Metadata
from flaskmod.codemods.core.syntax import code_of
from flaskmod.codemods.split_get_post.nodes import string_value

_ENDPOINT_KEYED_ATTRIBUTES = frozenset({"login_view", "view_functions", "blueprint_login_views"})
# Statements and expressions whose `test` is used as a truth value.
_TEST_HOLDERS = (cst.If, cst.While, cst.IfExp, cst.Assert, cst.CompIf)
# Where a string literal is used as a key: compared, in a collection, a subscript.
_KEYED_PARENTS = (cst.Comparison, cst.ComparisonTarget, cst.Element, cst.Index, cst.DictElement)


@dataclass
class Read:
    """A ``request.method`` read: the node, its parent and grandparent, the innermost scope."""

    node: cst.Attribute
    parent: cst.CSTNode | None
    grandparent: cst.CSTNode | None
    scope: cst.CSTNode | None
    functions: tuple[cst.FunctionDef, ...]
    classes: tuple[cst.ClassDef, ...]


@dataclass
class Survey:
    """What one pass over the module found."""

    reads: list[Read] = field(default_factory=list)
    bool_context: set[int] = field(default_factory=set)
    # (node, what it does, the functions it sits in, outermost first)
    endpoint_uses: list[tuple[cst.CSTNode, str, tuple[cst.FunctionDef, ...]]] = field(default_factory=list)
    # string literals, each with whether it sits where an endpoint name is used as a key
    # (compared, in a collection, a subscript, assigned to an attribute)
    strings: list[tuple[cst.SimpleString, bool]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    endpoint_literals: set[str] = field(default_factory=set)
    add_url_rule_views: dict[str, cst.Call] = field(default_factory=dict)
    class_based: list[cst.ClassDef] = field(default_factory=list)
    request_names: int = 0  # `request` spelled outside imports
    validate_on_submit: bool = False  # `x.validate_on_submit` is spelled


class Surveyor(cst.CSTVisitor):
    """One pass over the module: ``request.method`` reads and what the findings need."""

    def __init__(self, codemod: Codemod) -> None:
        self.codemod = codemod
        self.metadata = Metadata(codemod)
        self.survey = Survey()
        self.stack: list[cst.CSTNode] = []
        self.excluded_strings: set[int] = set()

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            # The names an import binds are taken; its spelling of `request` is no use of it.
            if not isinstance(node.names, cst.ImportStar):
                for alias in node.names:
                    bound = import_bound(alias, isinstance(node, cst.ImportFrom))
                    if bound is not None:
                        self.survey.names.add(bound)
            return False
        self._note(node)
        self.stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if not isinstance(original_node, (cst.Import, cst.ImportFrom)):
            self.stack.pop()

    def _qualified(self, node: cst.CSTNode) -> set[str]:
        return self.metadata.qualified(node)

    def _parent(self) -> cst.CSTNode | None:
        return self.stack[-1] if self.stack else None

    def _note(self, node: cst.CSTNode) -> None:
        if isinstance(node, _TEST_HOLDERS):
            self.survey.bool_context.add(id(node.test))
        elif isinstance(node, (cst.UnaryOperation, cst.BooleanOperation)):
            self._note_truth_value(node)
        elif isinstance(node, cst.Name):
            self._note_name(node)
        elif isinstance(node, cst.SimpleString):
            self._note_string(node)
        elif isinstance(node, cst.Attribute):
            self._note_attribute(node)
        elif isinstance(node, cst.Call):
            self._note_call(node)
        elif isinstance(node, cst.Decorator) and isinstance(node.decorator, cst.Call):
            # Route decorators name the endpoint themselves: not a use keyed on it.
            self._exclude_strings(node.decorator)
        elif isinstance(node, cst.ClassDef) and any(
            self._qualified(base.value) & CLASS_BASED_VIEW_BASES for base in node.bases
        ):
            self.survey.class_based.append(node)

    def _note_truth_value(self, node: cst.UnaryOperation | cst.BooleanOperation) -> None:
        """``not x`` uses x as a truth value; so does ``a and b`` for both operands, where it is one itself."""
        bool_context = self.survey.bool_context
        if isinstance(node, cst.UnaryOperation):
            if isinstance(node.operator, cst.Not):
                bool_context.add(id(node.expression))
        elif id(node) in bool_context:
            bool_context.update((id(node.left), id(node.right)))

    def _note_name(self, node: cst.Name) -> None:
        self.survey.names.add(node.value)
        parent = self._parent()
        if node.value == "request" and not (isinstance(parent, cst.Attribute) and parent.attr is node):
            self.survey.request_names += 1

    def _note_string(self, node: cst.SimpleString) -> None:
        if id(node) in self.excluded_strings:
            return
        parent = self._parent()
        keyed = isinstance(parent, _KEYED_PARENTS) or (
            isinstance(parent, cst.Assign) and isinstance(parent.targets[0].target, cst.Attribute)
        )
        self.survey.strings.append((node, keyed))

    def _exclude_strings(self, call: cst.Call) -> None:
        for arg in call.args:
            if isinstance(arg.value, cst.SimpleString):
                self.excluded_strings.add(id(arg.value))
                if arg.keyword is not None and arg.keyword.value == "endpoint":
                    value = string_value(arg.value)
                    if value is not None:
                        self.survey.endpoint_literals.add(value)

    def _note_attribute(self, node: cst.Attribute) -> None:
        attr = node.attr.value
        if attr == "validate_on_submit":
            self.survey.validate_on_submit = True
        elif attr == "method":
            if self._qualified(node) & REQUEST_METHOD_NAMES:
                self._note_read(node)
        elif attr == "endpoint" and self._qualified(node) & REQUEST_ENDPOINT_NAMES:
            if not self._builds_url(node) and not self._endpoint_agnostic(node):
                self._endpoint_use(node, "`request.endpoint` is read here")
        elif attr == "url_rule" and self._qualified(node) & REQUEST_URL_RULE_NAMES:
            self._endpoint_use(node, "`request.url_rule` is read here")
        elif attr in _ENDPOINT_KEYED_ATTRIBUTES:
            self._endpoint_use(node, f"`{code_of(node)}` is keyed on endpoint names")

    def _note_read(self, node: cst.Attribute) -> None:
        """A ``request.method`` read, with where it sits."""
        parent = self._parent()
        grandparent = self.stack[-2] if len(self.stack) > 1 else None
        scope = next(
            (n for n in reversed(self.stack) if isinstance(n, (cst.FunctionDef, cst.Lambda, cst.ClassDef))),
            None,
        )
        functions = tuple(n for n in self.stack if isinstance(n, cst.FunctionDef))
        classes = tuple(n for n in self.stack if isinstance(n, cst.ClassDef))
        self.survey.reads.append(Read(node, parent, grandparent, scope, functions, classes))

    def _endpoint_use(self, node: cst.CSTNode, what: str) -> None:
        functions = tuple(n for n in self.stack if isinstance(n, cst.FunctionDef))
        self.survey.endpoint_uses.append((node, what, functions))

    def _endpoint_agnostic(self, node: cst.Attribute) -> bool:
        """``if request.endpoint``, ``request.endpoint.startswith("x")``: alike for ``x`` and ``x_post``."""
        if id(node) in self.survey.bool_context:
            return True
        if len(self.stack) < 2:
            return False
        if _compared_with_literals(node, self.stack[-1], self.stack[-2]):
            return True  # the strings are checked as names of endpoints on their own
        if _looked_up_in_dict_literal(node, self.stack[-1], self.stack[-2]):
            return True  # its keys are checked as names of endpoints on their own
        attribute, call = self.stack[-1], self.stack[-2]
        return (
            isinstance(attribute, cst.Attribute)
            and attribute.value is node
            and attribute.attr.value == "startswith"
            and isinstance(call, cst.Call)
            and call.func is attribute
        )

    def _builds_url(self, node: cst.CSTNode) -> bool:
        """``url_for(request.endpoint, ...)``: the same URL from either endpoint."""
        if len(self.stack) < 2:
            return False
        arg, call = self.stack[-1], self.stack[-2]
        return (
            isinstance(arg, cst.Arg)
            and isinstance(call, cst.Call)
            and call.args[0] is arg
            and bool(self._qualified(call.func) & URL_FOR_FUNCTIONS)
        )

    def _note_call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "add_url_rule":
            self._note_add_url_rule(node)
        elif isinstance(func, cst.Attribute) and func.attr.value == "exempt":
            if any(isinstance(a.value, cst.SimpleString) for a in node.args):
                self._endpoint_use(node, f"`{code_of(func)}` exempts a view by its endpoint name")
        elif self._qualified(func) & URL_FOR_FUNCTIONS:
            self._note_url_for(node)

    def _note_add_url_rule(self, node: cst.Call) -> None:
        """``x.add_url_rule(rule, endpoint, view)``: the view, when it is a name."""
        view = next((a.value for a in node.args if a.keyword is not None and a.keyword.value == "view_func"), None)
        if view is None and len(node.args) >= 3 and node.args[2].keyword is None:
            view = node.args[2].value
        if isinstance(view, cst.Name):
            self.survey.add_url_rule_views[view.value] = node

    def _note_url_for(self, node: cst.Call) -> None:
        if node.args and isinstance(node.args[0].value, cst.SimpleString):
            # Building a URL from the old endpoint keeps working: both endpoints share the rule.
            self.excluded_strings.add(id(node.args[0].value))
        if any(a.keyword is not None and a.keyword.value == "_method" for a in node.args):
            self._endpoint_use(node, "`url_for(..., _method=...)` picks a rule by method on one endpoint")


def _compared_with_literals(node: cst.CSTNode, parent: cst.CSTNode, grandparent: cst.CSTNode) -> bool:
    """``node == "x"``, ``node in ("x", "y")``, ``"x" != node``: a comparison with string literals only."""
    comparison = grandparent if isinstance(parent, cst.ComparisonTarget) else parent
    if not isinstance(comparison, cst.Comparison) or len(comparison.comparisons) != 1:
        return False
    left, right = comparison.left, comparison.comparisons[0].comparator
    other = right if left is node else left if right is node else None
    if isinstance(other, (cst.List, cst.Tuple, cst.Set)):
        return bool(other.elements) and all(
            isinstance(e, cst.Element) and string_value(e.value) is not None for e in other.elements
        )
    return other is not None and string_value(other) is not None


def _looked_up_in_dict_literal(node: cst.CSTNode, parent: cst.CSTNode, grandparent: cst.CSTNode) -> bool:
    """``{"auth.login": ...}.get(request.endpoint)``: alike for every endpoint the dict does not name."""
    return (
        isinstance(parent, cst.Arg)
        and parent.value is node
        and isinstance(grandparent, cst.Call)
        and isinstance(grandparent.func, cst.Attribute)
        and grandparent.func.attr.value == "get"
        and isinstance(grandparent.func.value, cst.Dict)
        and grandparent.args[0] is parent
    )
