"""split-get-post: a GET+POST view that branches on `request.method` becomes a GET view and a POST view."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import libcst as cst
from libcst.metadata import PositionProvider, QualifiedNameProvider, ScopeProvider

from flaskmod.codemods.core.base import Codemod, Example, Option, ProjectFinding, Safety
from flaskmod.codemods.core.flask import (
    APP_OR_BLUEPRINT_FACTORIES,
    AUTOMATIC_METHODS,
    CLASS_BASED_VIEW_BASES,
    FLASK_ABORT_FUNCTIONS,
    REQUEST_ENDPOINT_NAMES,
    REQUEST_METHOD_NAMES,
    REQUEST_URL_RULE_NAMES,
    ROUTE_SHORTCUT_METHODS,
    URL_FOR_FUNCTIONS,
    FlaskRoutes,
    decorator_callee,
    looks_like_route_decorator,
    qualified_names,
)
from flaskmod.codemods.core.refusal import IGNORED_REASON
from flaskmod.codemods.core.syntax import child_blocks, code_of, iter_function_defs

# A decorator spelled with one of these keeps per-view state (a counter, a cache entry):
# copied to two views it keeps two.
_PER_VIEW_STATE_WORDS = ("limit", "throttle", "cache")
_ENDPOINT_KEYED_ATTRIBUTES = frozenset({"login_view", "view_functions", "blueprint_login_views"})
_UNKNOWN = "<unknown>"


class _Skip(Exception):
    """A candidate view that is left alone, with the reason shown to the user."""

    def __init__(self, reason: str, node: cst.CSTNode | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.node = node


@dataclass(frozen=True)
class _MethodTest:
    """``request.method == 'POST'``, ``!=``, ``in (...)`` or ``not in (...)``."""

    names: frozenset[str]  # as written: werkzeug upper-cases the method, so 'post' never matches
    negated: bool

    def value(self, method: str) -> bool:
        return (method in self.names) != self.negated


@dataclass
class _Rule:
    """One route decorator of a view and the methods it registers (upper-case, in order)."""

    decorator: cst.Decorator
    call: cst.Call
    methods: tuple[str, ...]
    methods_index: int | None
    endpoint_index: int | None
    endpoint: str | None


@dataclass
class _View:
    """One of the views a split produces."""

    methods: tuple[str, ...]
    name: str
    body: cst.BaseSuite
    code: str


@dataclass
class _Plan:
    views: list[_View]
    rules: list[_Rule]
    endpoints: list[tuple[str, str, str]]  # (old endpoint, new endpoint, its methods), without blueprint prefix
    blueprint: str | None  # the blueprint's name, when the route owner is a Blueprint(...) in this module
    on_app: bool
    head_code: str  # the body HEAD requests ran before the split
    top_level: bool


@dataclass
class _Read:
    """A ``request.method`` read: the node, its parent and grandparent, the innermost scope."""

    node: cst.Attribute
    parent: cst.CSTNode | None
    grandparent: cst.CSTNode | None
    scope: cst.CSTNode | None
    functions: tuple[cst.FunctionDef, ...]
    classes: tuple[cst.ClassDef, ...]


@dataclass
class _Survey:
    """What one pass over the module found."""

    reads: list[_Read] = field(default_factory=list)
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


class _Surveyor(cst.CSTVisitor):
    """One pass over the module: ``request.method`` reads and what the findings need."""

    def __init__(self, codemod: SplitGetPost) -> None:
        self.codemod = codemod
        self.survey = _Survey()
        self.stack: list[cst.CSTNode] = []
        self.excluded_strings: set[int] = set()

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            # The names an import binds are taken; its spelling of `request` is no use of it.
            if not isinstance(node.names, cst.ImportStar):
                for alias in node.names:
                    bound = alias.asname.name if alias.asname is not None else alias.name
                    self.survey.names.add(code_of(bound).split(".")[0])
            return False
        self._note(node)
        self.stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if not isinstance(original_node, (cst.Import, cst.ImportFrom)):
            self.stack.pop()

    def _qualified(self, node: cst.CSTNode) -> set[str]:
        return qualified_names(self.codemod.get_metadata(QualifiedNameProvider, node, set()))

    def _note(self, node: cst.CSTNode) -> None:
        survey = self.survey
        if isinstance(node, (cst.If, cst.While, cst.IfExp, cst.Assert, cst.CompIf)):
            survey.bool_context.add(id(node.test))
        elif isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
            survey.bool_context.add(id(node.expression))
        elif isinstance(node, cst.BooleanOperation) and id(node) in survey.bool_context:
            survey.bool_context.update((id(node.left), id(node.right)))
        elif isinstance(node, cst.Name):
            survey.names.add(node.value)
            parent = self.stack[-1] if self.stack else None
            if node.value == "request" and not (isinstance(parent, cst.Attribute) and parent.attr is node):
                survey.request_names += 1
        elif isinstance(node, cst.SimpleString):
            if id(node) not in self.excluded_strings:
                parent = self.stack[-1] if self.stack else None
                keyed = isinstance(
                    parent, (cst.Comparison, cst.ComparisonTarget, cst.Element, cst.Index, cst.DictElement)
                ) or (isinstance(parent, cst.Assign) and isinstance(parent.targets[0].target, cst.Attribute))
                survey.strings.append((node, keyed))
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
            survey.class_based.append(node)

    def _exclude_strings(self, call: cst.Call) -> None:
        for arg in call.args:
            if isinstance(arg.value, cst.SimpleString):
                self.excluded_strings.add(id(arg.value))
                if arg.keyword is not None and arg.keyword.value == "endpoint":
                    value = _string(arg.value)
                    if value is not None:
                        self.survey.endpoint_literals.add(value)

    def _note_attribute(self, node: cst.Attribute) -> None:
        attr = node.attr.value
        if attr == "method":
            if self._qualified(node) & REQUEST_METHOD_NAMES:
                parent = self.stack[-1] if self.stack else None
                grandparent = self.stack[-2] if len(self.stack) > 1 else None
                scope = next(
                    (n for n in reversed(self.stack) if isinstance(n, (cst.FunctionDef, cst.Lambda, cst.ClassDef))),
                    None,
                )
                functions = tuple(n for n in self.stack if isinstance(n, cst.FunctionDef))
                classes = tuple(n for n in self.stack if isinstance(n, cst.ClassDef))
                self.survey.reads.append(_Read(node, parent, grandparent, scope, functions, classes))
        elif attr == "endpoint" and self._qualified(node) & REQUEST_ENDPOINT_NAMES:
            if not self._builds_url(node):
                self._endpoint_use(node, "`request.endpoint` is read here")
        elif attr == "url_rule" and self._qualified(node) & REQUEST_URL_RULE_NAMES:
            self._endpoint_use(node, "`request.url_rule` is read here")
        elif attr in _ENDPOINT_KEYED_ATTRIBUTES:
            self._endpoint_use(node, f"`{code_of(node)}` is keyed on endpoint names")

    def _endpoint_use(self, node: cst.CSTNode, what: str) -> None:
        functions = tuple(n for n in self.stack if isinstance(n, cst.FunctionDef))
        self.survey.endpoint_uses.append((node, what, functions))

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
            view = next((a.value for a in node.args if a.keyword is not None and a.keyword.value == "view_func"), None)
            if view is None and len(node.args) >= 3 and node.args[2].keyword is None:
                view = node.args[2].value
            if isinstance(view, cst.Name):
                self.survey.add_url_rule_views[view.value] = node
        elif isinstance(func, cst.Attribute) and func.attr.value == "exempt":
            if any(isinstance(a.value, cst.SimpleString) for a in node.args):
                self._endpoint_use(node, f"`{code_of(func)}` exempts a view by its endpoint name")
        elif self._qualified(func) & URL_FOR_FUNCTIONS:
            if node.args and isinstance(node.args[0].value, cst.SimpleString):
                # Building a URL from the old endpoint keeps working: both endpoints share the rule.
                self.excluded_strings.add(id(node.args[0].value))
            if any(a.keyword is not None and a.keyword.value == "_method" for a in node.args):
                self._endpoint_use(node, "`url_for(..., _method=...)` picks a rule by method on one endpoint")


class _Specialiser(cst.CSTTransformer):
    """Replaces each method test by the constant it has for one method, and simplifies around it.

    Only the constants it made itself are simplified away (never a ``True`` the user
    wrote). ``and``/``or`` with the constant on the right are simplified only where
    the value is used as a truth value and the left operand is free of side effects.
    """

    def __init__(self, method: str, tests: dict[int, _MethodTest], bool_context: set[int], keep_parens: bool) -> None:
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
        for part in (original_node.left, original_node.comparisons[0].comparator):
            self.consumed.add(id(part))
        return self.constant(test.value(self.method), updated_node)

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
        if _pure(left):
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


@dataclass
class _Out:
    """Statements produced for one block, the comments left after them, and whether control falls through."""

    statements: list[cst.BaseStatement]
    trailing: list[cst.EmptyLine]
    falls_through: bool


class _Specialisation:
    """One view body for one method: method tests become constants, dead code goes."""

    def __init__(
        self, codemod: SplitGetPost, method: str, tests: dict[int, _MethodTest], reads: set[int], keep_parens: bool
    ) -> None:
        self.codemod = codemod
        self.transformer = _Specialiser(method, tests, codemod.survey.bool_context, keep_parens)
        self.transformer.reads = reads
        self.kept_dead: set[int] = set()  # statements no request reached before the split, kept in this view

    def expression(self, node: cst.CSTNode) -> cst.CSTNode:
        return node.visit(self.transformer)

    def function_body(self, body: cst.BaseSuite) -> cst.BaseSuite:
        if isinstance(body, cst.SimpleStatementSuite):
            new = self.expression(body)
            assert isinstance(new, cst.SimpleStatementSuite)
            return new
        assert isinstance(body, cst.IndentedBlock)
        block, _ = self.nested(body)
        return block

    # -- blocks ----------------------------------------------------------------

    def block(self, statements: Sequence[cst.BaseStatement]) -> _Out:
        result: list[cst.BaseStatement] = []
        pending: list[cst.EmptyLine] = []
        dead = False  # past a statement that ended the block before the split
        for statement in statements:
            out = self.statement(statement)
            if dead and out.statements:
                self.kept_dead.add(id(statement))
            if out.statements:
                first = out.statements[0]
                out.statements[0] = first.with_changes(leading_lines=[*pending, *first.leading_lines])
                result += out.statements
                pending = list(out.trailing)
            else:
                pending += out.trailing
            if dead:
                continue
            if self.ends(statement):
                # The rest was unreachable before the split too: it stays, specialised (another codemod may
                # have left the module alone because of it, and would not the next time).
                dead = True
            elif not out.falls_through:
                # The rest of the block is unreachable for this method: it goes, with its comments.
                return _Out(result, pending, False)
        return _Out(result, pending, not dead)

    def nested(self, block: cst.BaseSuite) -> tuple[cst.BaseSuite, bool]:
        """The block, specialised in place (an empty one gets ``pass``)."""
        if isinstance(block, cst.SimpleStatementSuite):
            new = self.expression(block)
            assert isinstance(new, cst.SimpleStatementSuite)
            return new, not any(self.terminates(s) for s in block.body)
        assert isinstance(block, cst.IndentedBlock)
        out = self.block(block.body)
        statements = out.statements or [cst.SimpleStatementLine(body=[cst.Pass()])]
        return block.with_changes(body=statements, footer=[*out.trailing, *block.footer]), out.falls_through

    def inlined(self, block: cst.BaseSuite) -> _Out:
        """The block's statements, to take the place of the compound statement that held them."""
        if isinstance(block, cst.SimpleStatementSuite):
            small = [_cast_small(self.expression(s)) for s in block.body]
            line = cst.SimpleStatementLine(body=small, trailing_whitespace=block.trailing_whitespace)
            return _Out([line], [], not any(self.terminates(s) for s in block.body))
        assert isinstance(block, cst.IndentedBlock)
        out = self.block(block.body)
        out.trailing = [*out.trailing, *block.footer]
        if block.header.comment is not None:
            _prepend(out, [cst.EmptyLine(comment=block.header.comment)])
        return out

    # -- statements --------------------------------------------------------------

    def statement(self, node: cst.BaseStatement) -> _Out:
        if isinstance(node, cst.If):
            return self.if_statement(node)
        if isinstance(node, cst.SimpleStatementLine):
            new = self.expression(node)
            assert isinstance(new, cst.SimpleStatementLine)
            return _Out([new], [], not any(self.terminates(s) for s in node.body))
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            return _Out([node], [], True)  # no method test inside (checked before)
        if isinstance(node, cst.While):
            test = self.expression(node.test)
            assert isinstance(test, cst.BaseExpression)
            if self.transformer.value_of(test) is False:
                if node.orelse is None:
                    return _Out([], [], True)
                out = self.inlined(node.orelse.body)
                _prepend(out, _blank(node.leading_lines))
                return out
            body, _ = self.nested(node.body)
            orelse = self.else_clause(node.orelse)
            return _Out([node.with_changes(test=test, body=body, orelse=orelse)], [], True)
        if isinstance(node, cst.For):
            body, _ = self.nested(node.body)
            new_for = node.with_changes(
                target=self.expression(node.target),
                iter=self.expression(node.iter),
                body=body,
                orelse=self.else_clause(node.orelse),
            )
            return _Out([new_for], [], True)
        if isinstance(node, cst.With):
            # A context manager may swallow the exception, so a `with` always may fall through.
            body, _ = self.nested(node.body)
            items = [_cast_with_item(self.expression(item)) for item in node.items]
            return _Out([node.with_changes(items=items, body=body)], [], True)
        if isinstance(node, cst.Try):
            body, _ = self.nested(node.body)
            if _is_pass(body) and not _is_pass(node.body):
                # Nothing left to raise in the body: the handlers are dead, `else` and `finally` run.
                out = _Out([], [], True)
                for clause in (node.orelse, node.finalbody):
                    if clause is not None and out.falls_through:
                        part = self.inlined(clause.body)
                        out = _Out(
                            [*out.statements, *part.statements], [*out.trailing, *part.trailing], part.falls_through
                        )
                _prepend(out, _blank(node.leading_lines))
                return out
            handlers = [
                h.with_changes(type=None if h.type is None else self.expression(h.type), body=self.nested(h.body)[0])
                for h in node.handlers
            ]
            finalbody = None
            if node.finalbody is not None:
                finalbody = node.finalbody.with_changes(body=self.nested(node.finalbody.body)[0])
            new_try = node.with_changes(
                body=body, handlers=handlers, orelse=self.else_clause(node.orelse), finalbody=finalbody
            )
            return _Out([new_try], [], True)
        new = self.expression(node)  # match statements and the like: constants only, no pruning
        assert isinstance(new, cst.BaseStatement)
        return _Out([new], [], True)

    def else_clause(self, node: cst.Else | None) -> cst.Else | None:
        if node is None:
            return None
        return node.with_changes(body=self.nested(node.body)[0])

    def if_statement(self, node: cst.If) -> _Out:
        test = self.expression(node.test)
        assert isinstance(test, cst.BaseExpression)
        value = self.transformer.value_of(test)
        if value is True:
            # The comments above an `if` belong to its first branch.
            out = self.inlined(node.body)
            _prepend(out, list(node.leading_lines))
            return out
        if value is False:
            blank = _blank(node.leading_lines)
            if node.orelse is None:
                return _Out([], [], True)
            if isinstance(node.orelse, cst.Else):
                out = self.inlined(node.orelse.body)
                _prepend(out, [*blank, *node.orelse.leading_lines])
                return out
            out = self.if_statement(node.orelse)
            _prepend_blank(out, blank)
            return out
        body, body_falls = self.nested(node.body)
        orelse, orelse_falls = self.orelse(node.orelse)
        if orelse is None and _is_pass(body) and _pure(test):
            return _Out([], [], True)  # `if x: pass` left by a dropped branch: nothing to run
        return _Out([node.with_changes(test=test, body=body, orelse=orelse)], [], body_falls or orelse_falls)

    def orelse(self, node: cst.If | cst.Else | None) -> tuple[cst.If | cst.Else | None, bool]:
        if node is None:
            return None, True
        if isinstance(node, cst.Else):
            body, falls = self.nested(node.body)
            return node.with_changes(body=body), falls
        test = self.expression(node.test)
        assert isinstance(test, cst.BaseExpression)
        value = self.transformer.value_of(test)
        if value is True:
            body, falls = self.nested(node.body)
            as_else = cst.Else(
                body=body, leading_lines=node.leading_lines, whitespace_before_colon=node.whitespace_after_test
            )
            return as_else, falls
        if value is False:
            return self.orelse(node.orelse)
        body, body_falls = self.nested(node.body)
        orelse, orelse_falls = self.orelse(node.orelse)
        return node.with_changes(test=test, body=body, orelse=orelse), body_falls or orelse_falls

    def ends(self, node: cst.BaseStatement | cst.Else) -> bool:
        """Control never goes on to the next statement, whatever the method (read on the original node)."""
        if isinstance(node, cst.SimpleStatementLine):
            return any(self.terminates(s) for s in node.body)
        if isinstance(node, (cst.If, cst.Else)):
            block = node.body
            if isinstance(block, cst.SimpleStatementSuite):
                body_ends = any(self.terminates(s) for s in block.body)
            else:
                body_ends = any(self.ends(s) for s in block.body)
            orelse = node.orelse if isinstance(node, cst.If) else None
            return body_ends and (isinstance(node, cst.Else) or (orelse is not None and self.ends(orelse)))
        return False  # loops, `with` and `try` may always fall through (as `statement` assumes)

    def unreachable(self, statements: Sequence[cst.BaseStatement]) -> Iterator[cst.BaseStatement]:
        """The statements no request reached before the split, in the blocks `statement` specialises."""
        ended = False
        for statement in statements:
            if ended:
                yield statement
            if isinstance(statement, (cst.If, cst.While, cst.For, cst.With, cst.Try)):
                for block in child_blocks(statement):
                    yield from self.unreachable(_statements(block))
            ended = ended or self.ends(statement)

    def terminates(self, node: cst.BaseSmallStatement) -> bool:
        """A ``return``, ``raise``, ``continue``, ``break`` or call to ``abort`` (read on the original node)."""
        if isinstance(node, (cst.Return, cst.Raise, cst.Continue, cst.Break)):
            return True
        if isinstance(node, cst.Expr) and isinstance(node.value, cst.Call):
            return bool(self.codemod.routes.qualified(node.value.func) & FLASK_ABORT_FUNCTIONS)
        return False


def _statements(block: cst.CSTNode) -> Sequence[cst.BaseStatement]:
    """The statements of a block that `child_blocks` returns (an `elif` is a statement of its own)."""
    if isinstance(block, cst.If):
        return [block]
    if isinstance(block, (cst.Else, cst.Finally, cst.ExceptHandler)):
        block = block.body
    return block.body if isinstance(block, cst.IndentedBlock) else []


def _cast_small(node: cst.CSTNode) -> cst.BaseSmallStatement:
    assert isinstance(node, cst.BaseSmallStatement)
    return node


def _cast_with_item(node: cst.CSTNode) -> cst.WithItem:
    assert isinstance(node, cst.WithItem)
    return node


def _prepend(out: _Out, lines: Sequence[cst.EmptyLine]) -> None:
    if not lines:
        return
    if out.statements:
        first = out.statements[0]
        out.statements[0] = first.with_changes(leading_lines=[*lines, *first.leading_lines])
    else:
        out.trailing = [*lines, *out.trailing]


def _prepend_blank(out: _Out, lines: Sequence[cst.EmptyLine]) -> None:
    # Blank lines only, and only in front of a statement (never as trailing lines).
    if lines and out.statements:
        _prepend(out, lines)


def _blank(lines: Sequence[cst.EmptyLine]) -> list[cst.EmptyLine]:
    return [line for line in lines if line.comment is None]


def _is_pass(block: cst.BaseSuite) -> bool:
    body = block.body
    if len(body) != 1:
        return False
    only = body[0]
    small = only.body if isinstance(only, cst.SimpleStatementLine) else [only]
    if isinstance(block, cst.IndentedBlock) and (block.footer or only.leading_lines):
        return False
    return len(small) == 1 and isinstance(small[0], cst.Pass)


def _pure(node: cst.BaseExpression) -> bool:
    """An expression whose evaluation has no side effects worth keeping (names, attributes, literals)."""
    if isinstance(node, (cst.Name, cst.SimpleString, cst.Integer, cst.Float)):
        return True
    if isinstance(node, cst.Attribute):
        return _pure(node.value)
    if isinstance(node, cst.UnaryOperation):
        return _pure(node.expression)
    if isinstance(node, cst.BooleanOperation):
        return _pure(node.left) and _pure(node.right)
    if isinstance(node, cst.Comparison):
        return _pure(node.left) and all(_pure(c.comparator) for c in node.comparisons)
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


def _string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


class SplitGetPost(Codemod):
    """
    ## What it does
    Splits a view routed for GET and POST that branches on `request.method` into a
    GET view and a POST view on the same URL rule. The body is specialised once per
    method: every `request.method` test becomes the constant it has in that view,
    then dead branches, constant `and`/`or`/`if-else` expressions and code after a
    `return` the specialisation introduced are dropped. Code that could never run in
    the original stays in the view whose `return` it follows; when no view would keep
    it, the view is not split. The GET view keeps the function name and endpoint; the POST
    view is `<name>_post` (an explicit `endpoint='x'` becomes `'x_post'`).
    `@bp.route(rule, methods=["GET", "POST"], **opts)` becomes `@bp.get(rule, **opts)`
    and `@bp.post(rule, **opts)`; the other decorators are copied to both views in
    their order. Stacked route decorators keep exactly the methods each rule had; a
    third method gets its own view when it has its own branch and stays with the view
    whose path it shares otherwise.

    Code keyed on the old endpoint name in the same module (`request.endpoint`,
    `request.url_rule`, `login_view`, `view_functions`, `exempt("...")`, strings naming
    the endpoint) is reported as a finding, and so is a change in what HEAD requests
    run. The other Python files of the run and the `templates` folders beside them are
    scanned too: each place that names the moved endpoint (`login_view = "auth.login"`,
    `{% if request.endpoint == "auth.login" %}`, `url_for(..., _method="POST")`) or
    reads the endpoint without naming one (`request.endpoint not in PUBLIC`) becomes a
    finding on the split view that names the place (`related` in JSON,
    `relatedLocations` in SARIF). Plain `url_for("auth.login")` is not reported: both
    endpoints build the same URL.

    ## Why is this bad?
    One view doing two jobs, rendering a page and changing state, grows into a long
    function where each line's method is implied by an `if` far above it; that is
    where mutation-on-GET bugs hide. Before the split, Flask ran the whole view for
    HEAD requests with `request.method == "HEAD"`, so a view written
    `if request.method == "GET": ... else: <POST code>` ran its POST code on HEAD.

    ## Known problems
    A view is skipped, with the reason, when `request.method` is used other than in a
    comparison with a method name (passed to a helper, logged, stored), is read inside
    a nested function, or when a method test follows a call in `and`/`or`; when
    `methods` is not a literal, or lists HEAD or OPTIONS explicitly; when route
    options are passed with `**`; when the POST name is already used in the module;
    when the function is referenced elsewhere in the module; for views registered
    with `add_url_rule` and for class-based views. Tests hidden in helpers (WTForms'
    `validate_on_submit()` looks at the method itself) stay in both views, which is
    correct but not simplified. The other decorators run once per view: one that
    registers the view somewhere registers both, and one without `functools.wraps`
    gives both views its wrapper's name, so Flask refuses to start (two views, one
    endpoint). So does an endpoint named `<name>_post` in another module of the same
    blueprint: set `post-suffix`. Code in other modules that imports the view
    function gets only the GET view.

    ## Example
    ```python
    @bp.route("/login", methods=["GET", "POST"])
    def login():
        form = LoginForm()
        if request.method == "POST" and form.validate():
            login_user(form.user)
            return redirect(url_for("main.index"))
        return render_template("login.html", form=form)
    ```
    Use instead:
    ```python
    @bp.get("/login")
    def login():
        form = LoginForm()
        return render_template("login.html", form=form)


    @bp.post("/login")
    def login_post():
        form = LoginForm()
        if form.validate():
            login_user(form.user)
            return redirect(url_for("main.index"))
        return render_template("login.html", form=form)
    ```

    ## Fix safety
    Unsafe: every split is applied only with `--unsafe`. URLs, `url_for` of the old
    endpoint and the responses to GET and POST stay the same, but POST requests now
    reach a new endpoint, so anything keyed on the old endpoint name misses them:
    `request.endpoint` checks in `before_request` handlers or templates, exemptions
    and rate limits registered by endpoint, `app.view_functions`, per-view counters of
    decorators copied to both views. Such code may live in any module or template,
    which a per-file codemod cannot prove absent; the findings point at the places to
    review. The scan of other files is textual: it can flag a string that happens to
    spell the endpoint, and misses endpoint names built at run time. HEAD requests
    change on purpose where they took the POST path before (reported as a finding).

    ## Options
    - `post-suffix` (str, default `"_post"`): appended to the view name and endpoint
      of the POST view.
    - `route-style` (`"method"` or `"route"`, default `"method"`): `"method"` writes
      `@bp.get(...)`/`@bp.post(...)` (Flask >= 2.0); `"route"` writes
      `@bp.route(rule, methods=["POST"])` for projects on older Flask.
    """

    ID = "split-get-post"
    SUMMARY = "Split a GET+POST view that branches on request.method into a GET view and a POST view."
    SAFETY = Safety.UNSAFE
    # `.method` read, and methods listed, a view registered by hand, or a class that may be a view.
    TRIGGER = re.compile(r"\A(?=[\s\S]*\.method\b)(?=[\s\S]*(?:\bmethods\b|add_url_rule|\bclass\b|\.route\())")
    METADATA_DEPENDENCIES = (PositionProvider, QualifiedNameProvider, ScopeProvider)
    OPTIONS: ClassVar[Mapping[str, Option]] = {
        "post-suffix": Option(str, "_post", "Appended to the POST view's name and endpoint."),
        "route-style": Option(
            str,
            "method",
            '"method": @bp.get/@bp.post (Flask >= 2.0); "route": @bp.route(rule, methods=[...]).',
            choices=("method", "route"),
        ),
    }
    EXAMPLES = (
        # Left alone: `request.method` is passed to a helper, so its uses are not all visible.
        Example(
            """
from flask import Flask, request

app = Flask(__name__)


@app.route("/hook", methods=["GET", "POST"])
def hook():
    audit(request.method)
    if request.method == "POST":
        return handle(request.form)
    return "ready"
""",
            skips=("used other than in a comparison with a method name (`audit(request.method)`)",),
        ),
        # Left alone: a nested function reads `request.method`.
        Example(
            """
from flask import Flask, after_this_request, request

app = Flask(__name__)


@app.route("/upload", methods=["GET", "POST"])
def upload():
    @after_this_request
    def log(response):
        if request.method == "POST":
            record(response)
        return response

    if request.method == "POST":
        return save(request.files["file"])
    return "form"
""",
            skips=("read inside a nested function",),
        ),
        # Left alone: `methods` is not a literal.
        Example(
            """
from flask import Flask, request

app = Flask(__name__)
FORM_METHODS = ["GET", "POST"]


@app.route("/contact", methods=FORM_METHODS)
def contact():
    if request.method == "POST":
        return send(request.form)
    return "form"
""",
            skips=("`methods` is not a literal",),
        ),
        # Left alone: HEAD is listed explicitly.
        Example(
            """
from flask import Flask, request

app = Flask(__name__)


@app.route("/ping", methods=["GET", "POST", "HEAD"])
def ping():
    if request.method == "POST":
        return "pong", 201
    return "pong"
""",
            skips=("`methods` lists HEAD explicitly",),
        ),
        # Left alone: a view registered with `add_url_rule`, and a class-based view.
        Example(
            """
from flask import Flask, request
from flask.views import MethodView

app = Flask(__name__)


def vote():
    if request.method == "POST":
        return cast(request.form)
    return "ballot"


app.add_url_rule("/vote", view_func=vote, methods=["GET", "POST"])


class Poll(MethodView):
    def dispatch_request(self):
        if request.method == "POST":
            check_token()
        return super().dispatch_request()
""",
            skips=("registered with `add_url_rule`", "class-based views are not split"),
        ),
        # Left alone: the result of a method test is stored.
        Example(
            """
from flask import Flask, render_template, request

app = Flask(__name__)


@app.route("/search", methods=["GET", "POST"])
def search():
    is_post = request.method == "POST"
    results = run(request.form) if is_post else []
    return render_template("search.html", results=results)
""",
            skips=("stored in `is_post`",),
        ),
        # Left alone: the method test follows a call in `and`, so the GET view could not drop the branch.
        Example(
            """
from flask import Flask, redirect, render_template, request

app = Flask(__name__)


@app.route("/join", methods=["GET", "POST"])
def join():
    form = JoinForm()
    if form.validate_on_submit() and request.method == "POST":
        return redirect("/welcome")
    return render_template("join.html", form=form)
""",
            skips=("follows code with side effects",),
        ),
        # Left alone: the POST view's name is taken.
        Example(
            """
from flask import Flask, request

app = Flask(__name__)


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        return login_post()
    return "form"


def login_post():
    return "welcome"
""",
            skips=("would be named `login_post`, already used in this module",),
        ),
        # Left alone: opted out with a comment.
        Example(
            """
from flask import Flask, request

app = Flask(__name__)


@app.route("/legacy", methods=["GET", "POST"])  # flaskmod: ignore[split-get-post]
def legacy():
    if request.method == "POST":
        return "saved"
    return "form"
""",
            skips=(IGNORED_REASON,),
        ),
        # Without --unsafe the split is reported, not written; the HEAD change is a finding either way.
        Example(
            """
from flask import Flask, redirect, render_template, request

app = Flask(__name__)


@app.route("/settings", methods=["GET", "POST"])
async def settings():
    user = await current_user()
    if request.method == "GET":
        return render_template("settings.html", user=user)
    else:
        # POST: save
        await user.update(request.form)
        return redirect("/settings")
""",
            findings=("HEAD requests ran `settings`",),
            allow_unsafe=False,
        ),
        # The POST branch falls through to the render shared with GET; comments go with their branch.
        Example(
            """
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required

bp = Blueprint("posts", __name__)


@bp.route("/posts/new", methods=["GET", "POST"])
@login_required
def new_post():
    form = PostForm(request.form)
    # save the submitted post
    if request.method == "POST" and form.validate():
        post = Post.create(title=form.title.data)
        return redirect(url_for("posts.show", post_id=post.id))
    # an empty form, or the submitted one with its errors
    return render_template("posts/new.html", form=form)
""",
            """
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required

bp = Blueprint("posts", __name__)


@bp.get("/posts/new")
@login_required
def new_post():
    form = PostForm(request.form)
    # an empty form, or the submitted one with its errors
    return render_template("posts/new.html", form=form)


@bp.post("/posts/new")
@login_required
def new_post_post():
    form = PostForm(request.form)
    # save the submitted post
    if form.validate():
        post = Post.create(title=form.title.data)
        return redirect(url_for("posts.show", post_id=post.id))
    # an empty form, or the submitted one with its errors
    return render_template("posts/new.html", form=form)
""",
        ),
        # `if GET ... else`: HEAD requests took the POST path before the split (an async view).
        Example(
            """
from flask import Flask, redirect, render_template, request

app = Flask(__name__)


@app.route("/settings", methods=["GET", "POST"])
async def settings():
    user = await current_user()
    if request.method == "GET":
        return render_template("settings.html", user=user)
    else:
        # POST: save
        await user.update(request.form)
        return redirect("/settings")
""",
            """
from flask import Flask, redirect, render_template, request

app = Flask(__name__)


@app.get("/settings")
async def settings():
    user = await current_user()
    return render_template("settings.html", user=user)


@app.post("/settings")
async def settings_post():
    user = await current_user()
    # POST: save
    await user.update(request.form)
    return redirect("/settings")
""",
            findings=("took the POST path",),
        ),
        # Early return for GET; methods as a tuple in any case; `endpoint=` and other options kept.
        Example(
            """
from flask import Blueprint, redirect, render_template, request

bp = Blueprint("shop", __name__)


@bp.route("/checkout/", methods=("post", "get"), endpoint="pay", strict_slashes=False)
def checkout():
    cart = load_cart()
    if request.method != "POST":
        return render_template("checkout.html", cart=cart)

    order = cart.place(request.form["address"])
    return redirect(f"/orders/{order.id}")
""",
            """
from flask import Blueprint, redirect, render_template, request

bp = Blueprint("shop", __name__)


@bp.get("/checkout/", endpoint="pay", strict_slashes=False)
def checkout():
    cart = load_cart()
    return render_template("checkout.html", cart=cart)


@bp.post("/checkout/", endpoint="pay_post", strict_slashes=False)
def checkout_post():
    cart = load_cart()

    order = cart.place(request.form["address"])
    return redirect(f"/orders/{order.id}")
""",
        ),
        # Compound conditions, an `elif`, a reversed comparison, conditional expressions, `in (...)`.
        Example(
            """
from flask import Flask, flash, redirect, render_template, request

app = Flask(__name__)


@app.route("/profile", methods={"GET", "POST"})
def profile():
    form = ProfileForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        form.save()
        return redirect("/profile")
    elif "POST" == request.method:
        flash("Please fix the errors below.")
    return render_template("profile.html", form=form, posted=request.method in ("POST",))
""",
            """
from flask import Flask, flash, redirect, render_template, request

app = Flask(__name__)


@app.get("/profile")
def profile():
    form = ProfileForm(formdata=None)
    return render_template("profile.html", form=form, posted=False)


@app.post("/profile")
def profile_post():
    form = ProfileForm(formdata=request.form)
    if form.validate():
        form.save()
        return redirect("/profile")
    else:
        flash("Please fix the errors below.")
    return render_template("profile.html", form=form, posted=True)
""",
        ),
        # Stacked rules keep exactly their methods: the second one only ever served GET.
        Example(
            """
from flask import Blueprint, render_template, request

bp = Blueprint("search", __name__)


@bp.route("/search", methods=["GET", "POST"], defaults={"page": 1})
@bp.route("/search/<int:page>")
def search(page):
    if request.method == "POST":
        save_search(request.form["q"])
    return render_template("search.html", page=page)
""",
            """
from flask import Blueprint, render_template, request

bp = Blueprint("search", __name__)


@bp.get("/search", defaults={"page": 1})
@bp.route("/search/<int:page>")
def search(page):
    return render_template("search.html", page=page)


@bp.post("/search", defaults={"page": 1})
def search_post(page):
    save_search(request.form["q"])
    return render_template("search.html", page=page)
""",
        ),
        # A third method with its own branch gets its own view; one without (PUT) stays with POST.
        Example(
            """
from flask import Blueprint, jsonify, request

api = Blueprint("api", __name__)


@api.route("/items/<int:item_id>", methods=["GET", "POST", "PUT", "DELETE"])
def item(item_id):
    found = Item.get_or_404(item_id)
    if request.method == "DELETE":
        found.delete()
        return "", 204
    if request.method in ("POST", "PUT"):
        found.update(request.get_json())
    return jsonify(found.to_dict())
""",
            """
from flask import Blueprint, jsonify, request

api = Blueprint("api", __name__)


@api.get("/items/<int:item_id>")
def item(item_id):
    found = Item.get_or_404(item_id)
    return jsonify(found.to_dict())


@api.route("/items/<int:item_id>", methods=["POST", "PUT"])
def item_post(item_id):
    found = Item.get_or_404(item_id)
    found.update(request.get_json())
    return jsonify(found.to_dict())


@api.delete("/items/<int:item_id>")
def item_delete(item_id):
    found = Item.get_or_404(item_id)
    found.delete()
    return "", 204
""",
        ),
        # Flask < 2.0 (`route-style = "route"`) and another suffix; the unused `request` import goes.
        Example(
            """
from flask import Flask, redirect, render_template, request

app = Flask(__name__)


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        return redirect("/")
    return render_template("login.html")
""",
            """
from flask import Flask, redirect, render_template

app = Flask(__name__)


@app.route("/login", methods=["GET"])
def login():
    return render_template("login.html")


@app.route("/login", methods=["POST"])
def login_submit():
    return redirect("/")
""",
            options={"route-style": "route", "post-suffix": "_submit"},
        ),
        # A view in an app factory, `flask.request.method`, a one-line branch.
        Example(
            """
import flask


def create_app():
    app = flask.Flask(__name__)

    @app.route("/feedback", methods=["GET", "POST"])
    def feedback():
        if flask.request.method == "POST": store(flask.request.form)
        return flask.render_template("feedback.html")

    return app
""",
            """
import flask


def create_app():
    app = flask.Flask(__name__)

    @app.get("/feedback")
    def feedback():
        return flask.render_template("feedback.html")

    @app.post("/feedback")
    def feedback_post():
        store(flask.request.form)
        return flask.render_template("feedback.html")

    return app
""",
        ),
        # Code keyed on the old endpoint is reported next to the change.
        Example(
            """
from flask import Blueprint, redirect, render_template, request
from app.extensions import login_manager

bp = Blueprint("auth", __name__)
login_manager.login_view = "auth.login"


@bp.before_app_request
def require_login():
    if request.endpoint not in ("auth.login", "static") and not logged_in():
        return redirect("/login")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        log_in(request.form)
        return redirect("/")
    return render_template("login.html")
""",
            """
from flask import Blueprint, redirect, render_template, request
from app.extensions import login_manager

bp = Blueprint("auth", __name__)
login_manager.login_view = "auth.login"


@bp.before_app_request
def require_login():
    if request.endpoint not in ("auth.login", "static") and not logged_in():
        return redirect("/login")


@bp.get("/login")
def login():
    return render_template("login.html")


@bp.post("/login")
def login_post():
    log_in(request.form)
    return redirect("/")
""",
            findings=("`auth.login` names a split view's endpoint: its POST requests now reach `auth.login_post`",),
        ),
    )

    # -- running -------------------------------------------------------------------

    @classmethod
    def should_transform(cls, module: cst.Module) -> bool:
        # Worth the metadata only if a view may serve several methods, a class may be a view,
        # or a view is registered by hand (all three are reported).
        bodies: list[Sequence[cst.CSTNode]] = [module.body]
        for function in iter_function_defs(module):
            routes = [d for d in function.decorators if looks_like_route_decorator(d)]
            if len(routes) > 1 or any(_has_keyword(d, "methods") or _has_keyword(d, "**") for d in routes):
                return True
            bodies.append(function.body.body)
        if any(isinstance(statement, cst.ClassDef) for statement in module.body):
            return True
        return any(_calls_add_url_rule(statement) for body in bodies for statement in body)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self.routes = FlaskRoutes(self, tree)
        surveyor = _Surveyor(self)
        tree.visit(surveyor)
        self.survey = surveyor.survey
        if not self.survey.reads:
            return tree
        self.plans: dict[int, _Plan] = {}
        self._functions: dict[int, cst.FunctionDef] = {}
        self._module_functions = {f.name.value: f for f, _, top in _function_defs(tree) if top}
        self._skip_unsupported_registrations(tree)
        for function, in_class, top_level in _function_defs(tree):
            self._consider(function, in_class, top_level)
        if self.plans:
            self._report_endpoint_uses()
        applied = {key: plan for key, plan in self.plans.items() if plan.views}
        if not applied:
            return tree
        replacements = {key: self._build(self._functions[key], plan) for key, plan in applied.items()}
        new_tree = tree.visit(_Replacer(replacements))
        split_reads = sum(
            1
            for read in self.survey.reads
            if isinstance(read.node.value, cst.Name)
            and read.node.value.value == "request"
            and any(id(f) in applied for f in read.functions)
        )
        if split_reads == self.survey.request_names:
            # Every `request` was in a method test of a split view: none is left.
            self.remove_unused_import("flask", "request")
        return new_tree

    # -- candidates ----------------------------------------------------------------

    def _skip_unsupported_registrations(self, tree: cst.Module) -> None:
        reading = {id(f) for read in self.survey.reads for f in read.functions}
        for class_def in self.survey.class_based:
            if any(any(c is class_def for c in read.classes) for read in self.survey.reads):
                self.add_skip(class_def, "class-based views are not split (their methods are already separate)")
        names = self.survey.add_url_rule_views
        for function, _, _ in _function_defs(tree):
            if function.name.value in names and id(function) in reading and not self.routes.is_view(function):
                self.add_skip(_anchor(function), "views registered with `add_url_rule` are not split")

    def _consider(self, function: cst.FunctionDef, in_class: bool, top_level: bool) -> None:
        reads = [r for r in self.survey.reads if any(f is function for f in r.functions)]
        if not reads:
            return
        kinds = [self.routes.classify(d) for d in function.decorators]
        if "unproven-route" in kinds:
            if not self.routes.bindings.imports_other_framework:
                callee = code_of(decorator_callee(function.decorators[kinds.index("unproven-route")]))
                self.add_skip(_anchor(function), f"cannot prove `{callee}` registers on a Flask app or blueprint")
            return
        if "route" not in kinds:
            return
        try:
            rules = [self._rule(d) for d, kind in zip(function.decorators, kinds, strict=True) if kind == "route"]
            methods = _ordered({m for rule in rules for m in rule.methods}, rules)
            if len(methods) < 2:
                return  # one method: nothing to split
            if self.is_ignored(function):
                raise _Skip(IGNORED_REASON)
            plan = self._plan(function, in_class, top_level, rules, methods, reads)
        except _Skip as skip:
            self.add_skip(skip.node or _anchor(function), skip.reason)
            return
        self.plans[id(function)] = plan
        self._functions[id(function)] = function
        self._report(function, plan)
        self.share_fact(
            MovedEndpoints(
                line=self.line_of(_anchor(function)),
                moved=tuple((self._full(old, plan), self._full(new, plan), m) for old, new, m in plan.endpoints),
                owner_known=plan.blueprint is not None or plan.on_app,
            )
        )
        description = self._describe(function, plan)
        if not self.permit_unsafe(_anchor(function), description):
            plan.views = []

    def _rule(self, decorator: cst.Decorator) -> _Rule:
        call = decorator.decorator
        assert isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
        shortcut = call.func.attr.value
        methods: tuple[str, ...] = ("GET",) if shortcut == "route" else (shortcut.upper(),)
        methods_index = endpoint_index = None
        endpoint = None
        for index, arg in enumerate(call.args):
            if arg.star:
                raise _Skip(f"route options are passed with `{arg.star}`, which may hold `methods`", decorator)
            keyword = arg.keyword.value if arg.keyword is not None else None
            if keyword == "methods":
                if shortcut != "route":
                    raise _Skip(f"`methods` is given to the `.{shortcut}` shortcut", decorator)
                methods = _literal_methods(arg.value, decorator)
                methods_index = index
            elif keyword == "endpoint":
                endpoint = _string(arg.value)
                if endpoint is None:
                    raise _Skip("`endpoint` is not a string literal", decorator)
                endpoint_index = index
        explicit = sorted(set(methods) & AUTOMATIC_METHODS)
        if explicit:
            raise _Skip(f"`methods` lists {' and '.join(explicit)} explicitly, which Flask otherwise adds", decorator)
        return _Rule(decorator, call, methods, methods_index, endpoint_index, endpoint)

    def _plan(
        self,
        function: cst.FunctionDef,
        in_class: bool,
        top_level: bool,
        rules: list[_Rule],
        methods: list[str],
        reads: list[_Read],
    ) -> _Plan:
        name = function.name.value
        if in_class:
            raise _Skip("views defined in a class body are not split")
        if "GET" not in methods:
            raise _Skip(f"the view does not serve GET ({', '.join(methods)})")
        tests = self._method_tests(function, reads)
        self._check_not_referenced(function)
        self._check_decorators_keep_names(function, rules)
        suffix = self.options["post-suffix"]
        if not isinstance(suffix, str) or not re.fullmatch(r"\w+", suffix) or not (name + suffix).isidentifier():
            raise _Skip(f"`post-suffix` {suffix!r} does not make a valid function name")
        if self.options["route-style"] not in ("method", "route"):
            raise _Skip(f'`route-style` must be "method" or "route", not {self.options["route-style"]!r}')
        bodies: dict[str, tuple[cst.BaseSuite, str, list[cst.BaseStatement]]] = {}
        for method in [*methods, "HEAD"]:
            bodies[method] = self._specialise(function, method, tests, reads)
        groups: dict[str, list[str]] = {}
        for method in methods:
            groups.setdefault(bodies[method][1], []).append(method)
        if len(groups) < 2:
            raise _Skip(f"the `request.method` tests do not tell {' and '.join(methods)} apart")
        dropped = [{id(s): s for s in bodies[group[0]][2]} for group in groups.values()]
        lost = [s for key, s in dropped[0].items() if all(key in d for d in dropped[1:])]
        if lost:
            raise _Skip(
                f"`{_short(code_of(lost[0]))}` can never run, and splitting would delete it from every view", lost[0]
            )
        views: list[_View] = []
        for group in sorted(
            groups.values(), key=lambda g: (0 if "GET" in g else 1 if "POST" in g else 2, methods.index(g[0]))
        ):
            body, code, _ = bodies[group[0]]
            if "GET" in group:
                view_name = name
            elif "POST" in group:
                view_name = name + suffix
            else:
                view_name = f"{name}_{'_'.join(m.lower() for m in group)}"
            views.append(_View(tuple(group), view_name, body, code))
        taken = self.survey.names | self.survey.endpoint_literals
        endpoints: list[tuple[str, str, str]] = []
        for view in views[1:]:
            view_suffix = view.name[len(name) :]
            if view.name in taken:
                raise _Skip(
                    f"the {'/'.join(view.methods)} view would be named `{view.name}`, already used in this module"
                )
            for rule in rules:
                if rule.endpoint is not None and rule.endpoint + view_suffix in taken:
                    raise _Skip(f"the endpoint `{rule.endpoint + view_suffix}` is already used in this module")
            for old in _unique([rule.endpoint or name for rule in rules if set(rule.methods) & set(view.methods)]):
                endpoints.append((old, old + view_suffix, "/".join(view.methods)))
            taken = taken | {view.name}
        self.survey.names.update(v.name for v in views)
        owner = rules[0].call.func
        assert isinstance(owner, cst.Attribute)
        blueprint, on_app = self._owner(owner.value)
        return _Plan(views, rules, endpoints, blueprint, on_app, bodies["HEAD"][1], top_level)

    def _owner(self, owner: cst.BaseExpression) -> tuple[str | None, bool]:
        """The blueprint's name when the owner is ``Blueprint("name", ...)`` in this module; whether it is an app."""
        if not isinstance(owner, cst.Name):
            return None, False
        for call in self.routes.bindings.assigned_calls.get(owner.value, []):
            qualified = self.routes.qualified(call.func) & APP_OR_BLUEPRINT_FACTORIES
            if any(not q.endswith("Blueprint") for q in qualified):
                return None, True
            if qualified:
                first = call.args[0] if call.args and call.args[0].keyword is None else None
                named = next((a for a in call.args if a.keyword is not None and a.keyword.value == "name"), first)
                return (_string(named.value) if named is not None else None), False
        return None, False

    def _method_tests(self, function: cst.FunctionDef, reads: list[_Read]) -> dict[int, _MethodTest]:
        tests: dict[int, _MethodTest] = {}
        for read in reads:
            if read.scope is not function:
                raise _Skip("`request.method` is read inside a nested function", read.node)
            comparison = read.parent
            if isinstance(comparison, cst.ComparisonTarget):
                comparison = read.grandparent
            test = _method_test(read.node, comparison) if isinstance(comparison, cst.Comparison) else None
            if test is None:
                context = comparison if isinstance(comparison, cst.Comparison) else read.parent or read.node
                if isinstance(context, (cst.Arg, cst.Element, cst.Attribute)) and read.grandparent is not None:
                    context = read.grandparent
                shown = code_of(context)
                raise _Skip(
                    f"`request.method` is used other than in a comparison with a method name (`{_short(shown)}`)",
                    read.node,
                )
            assert isinstance(comparison, cst.Comparison)
            tests[id(comparison)] = test
            if any(name != name.upper() for name in test.names):
                self.add_finding(comparison, "`request.method` is always upper-case, so this test never matches")
        return tests

    def _check_not_referenced(self, function: cst.FunctionDef) -> None:
        scope = self.get_metadata(ScopeProvider, function, None)
        if scope is None:
            return
        for assignment in scope.assignments[function.name.value]:
            if getattr(assignment, "node", None) is function and assignment.references:
                raise _Skip(
                    f"`{function.name.value}` is also used elsewhere in this module, "
                    "where it would stand for the GET view only"
                )

    def _check_decorators_keep_names(self, function: cst.FunctionDef, rules: list[_Rule]) -> None:
        """A decorator of this module that wraps without ``functools.wraps`` names both views alike."""
        routes = {id(rule.decorator) for rule in rules}
        for decorator in function.decorators:
            callee = decorator_callee(decorator)
            if id(decorator) in routes or not isinstance(callee, cst.Name):
                continue
            definition = self._module_functions.get(callee.value)
            if definition is None:
                continue
            inner = [f for f in iter_function_defs(definition.body) if f is not definition]
            code = code_of(definition)
            if inner and "wraps" not in code and "update_wrapper" not in code:
                raise _Skip(
                    f"`@{callee.value}` wraps the view without `functools.wraps`: both views would get its "
                    "wrapper's name as endpoint, which Flask refuses",
                    decorator,
                )

    def _specialise(
        self, function: cst.FunctionDef, method: str, tests: dict[int, _MethodTest], reads: list[_Read]
    ) -> tuple[cst.BaseSuite, str, list[cst.BaseStatement]]:
        """The body for one method, its code, and the statements that could never run that it drops."""
        read_ids = {id(r.node) for r in reads}
        for keep_parens in (False, True):
            specialisation = _Specialisation(self, method, tests, read_ids, keep_parens)
            try:
                body = specialisation.function_body(function.body)
            except cst.CSTValidationError:
                continue  # dropping parentheses glued two tokens: keep them
            break
        else:
            raise _Skip(f"internal: the {method} view could not be built")
        transformer = specialisation.transformer
        reason = None
        if transformer.stored:
            reason = f"the result of a `request.method` test is stored in `{code_of(transformer.stored[0])}`"
        elif transformer.unresolved:
            reason = (
                "a `request.method` test follows code with side effects "
                f"(`{_short(code_of(transformer.unresolved[0]))}`), so the branch cannot be dropped from the other view"
            )
        elif transformer.seen - transformer.consumed:
            # Every read is in a test (checked before): one that survived was not turned into a constant.
            reason = "`request.method` is still present after specialisation"
        dropped = [
            s for s in specialisation.unreachable(_statements(function.body)) if id(s) not in specialisation.kept_dead
        ]
        if reason is None:
            return body, code_of(body), dropped
        if method == "HEAD":
            return body, _UNKNOWN, dropped
        raise _Skip(reason)

    # -- output --------------------------------------------------------------------

    def _build(self, function: cst.FunctionDef, plan: _Plan) -> list[cst.BaseStatement]:
        name = function.name.value
        result: list[cst.BaseStatement] = []
        for index, view in enumerate(plan.views):
            suffix = view.name[len(name) :]
            decorators: list[cst.Decorator] = []
            rules = {id(rule.decorator): rule for rule in plan.rules}
            for decorator in function.decorators:
                rule = rules.get(id(decorator))
                if rule is None:
                    decorators.append(decorator)
                    continue
                kept = [m for m in rule.methods if m in view.methods]
                if kept:
                    decorators.append(self._route_decorator(rule, kept, suffix if index else ""))
            changes: dict[str, object] = {"decorators": decorators, "body": view.body}
            if index:
                blank_lines = 2 if plan.top_level else 1
                changes.update(name=cst.Name(view.name), leading_lines=[cst.EmptyLine(indent=False)] * blank_lines)
            result.append(function.with_changes(**changes))
        return result

    def _route_decorator(self, rule: _Rule, methods: list[str], endpoint_suffix: str) -> cst.Decorator:
        """The rule's decorator, registering only ``methods`` (a subset of its own), for one view."""
        call = rule.call
        args = list(call.args)
        if endpoint_suffix and rule.endpoint_index is not None:
            arg = args[rule.endpoint_index]
            string = arg.value
            assert isinstance(string, cst.SimpleString)
            renamed = f"{string.prefix}{string.quote}{string.raw_value}{endpoint_suffix}{string.quote}"
            args[rule.endpoint_index] = arg.with_changes(value=string.with_changes(value=renamed))
        func = call.func
        assert isinstance(func, cst.Attribute)
        if set(methods) != set(rule.methods):
            assert rule.methods_index is not None
            if (
                self.options["route-style"] == "method"
                and len(set(methods)) == 1
                and methods[0] in ROUTE_SHORTCUT_METHODS
            ):
                func = func.with_changes(attr=cst.Name(methods[0].lower()))
                args = _without(args, rule.methods_index)
            else:
                methods_arg = args[rule.methods_index]
                args[rule.methods_index] = methods_arg.with_changes(value=_filter_methods(methods_arg.value, methods))
        elif not endpoint_suffix or rule.endpoint_index is None:
            return rule.decorator
        return rule.decorator.with_changes(decorator=call.with_changes(func=func, args=args))

    # -- reporting -----------------------------------------------------------------

    def _report(self, function: cst.FunctionDef, plan: _Plan) -> None:
        if plan.head_code != plan.views[0].code:
            took = next((v for v in plan.views if v.code == plan.head_code), None)
            if took is not None:
                before = f"took the {'/'.join(took.methods)} path"
            elif plan.head_code == _UNKNOWN:
                before = "may have taken another path than GET"
            else:
                before = "took a path of their own"
            self.add_finding(
                _anchor(function),
                f"HEAD requests ran `{function.name.value}` with `request.method == 'HEAD'` and {before}; "
                "after the split the GET view serves them, as Flask intends",
            )
        for decorator in function.decorators:
            if any(rule.decorator is decorator for rule in plan.rules):
                continue
            spelled = code_of(decorator_callee(decorator))
            if any(word in spelled.lower() for word in _PER_VIEW_STATE_WORDS):
                self.add_finding(
                    decorator,
                    f"`@{spelled}` is copied to both views: if it keeps state per view (a rate-limit count, "
                    "a cache entry), GET and POST no longer share it",
                )

    def _describe(self, function: cst.FunctionDef, plan: _Plan) -> str:
        views = ", ".join(f"`{v.name}` ({'/'.join(v.methods)})" for v in plan.views)
        moved = ", ".join(
            f"{methods} `{self._full(old, plan)}` -> `{self._full(new, plan)}`" for old, new, methods in plan.endpoints
        )
        return (
            f"split `{function.name.value}` into {views}: requests move to new endpoints ({moved}), so code keyed "
            "on the old endpoint (request.endpoint, before_request checks, exemptions, login_view) misses them"
        )

    def _full(self, endpoint: str, plan: _Plan) -> str:
        return f"{plan.blueprint}.{endpoint}" if plan.blueprint else endpoint

    def _report_endpoint_uses(self) -> None:
        plans = list(self.plans.values())
        moved = [(self._full(old, p), self._full(new, p), m, p) for p in plans for old, new, m in p.endpoints]
        named: set[int] = set()
        for string, keyed in self.survey.strings:
            value = _string(string)
            if value is None:
                continue
            for old, new, methods, plan in moved:
                bare = old.rsplit(".", 1)[-1]
                if "." in value:  # distinctive: flagged wherever it is
                    unknown_owner = plan.blueprint is None and not plan.on_app
                    names_it = value == old or (unknown_owner and value.endswith("." + bare))
                else:  # an app view's bare name: only where it is used as a key
                    names_it = plan.on_app and keyed and value == bare
                if names_it:
                    self.add_finding(
                        string, f"`{value}` names a split view's endpoint: its {methods} requests now reach `{new}`"
                    )
                    named.add(self.line_of(string))
                    break
        summary = ", ".join(f"`{new}` ({methods})" for _, new, methods, _ in moved)
        for node, what, functions in self.survey.endpoint_uses:
            if functions and self.routes.is_view(functions[-1]) and id(functions[-1]) not in self.plans:
                continue  # inside a view that is not split: it only ever sees its own endpoint
            if self.line_of(node) not in named:
                self.add_finding(node, f"{what}: split views now serve requests under new endpoints {summary}")

    # -- the project-wide pass -------------------------------------------------------

    @classmethod
    def project_findings(cls, facts: Sequence[tuple[Path, object]], scanned: Sequence[Path]) -> list[ProjectFinding]:
        moves = sorted(
            ((path, fact) for path, fact in facts if isinstance(fact, MovedEndpoints)), key=lambda m: (m[0], m[1].line)
        )
        if not moves:
            return []
        places = _endpoint_places(scanned)
        moved_paths = {path for path, _ in moves}
        findings: list[ProjectFinding] = []
        for path, move in moves:
            for place in places:
                if place.path == path:
                    continue  # the view's own module has findings of its own, from its tree
                for old, new, methods in move.moved:
                    at = _names_endpoint(place.text, old, move.owner_known)
                    if at is None:
                        continue
                    message = f"names `{old}` (`{_around(place.text, at)}`): its {methods} requests now reach `{new}`"
                    findings.append(ProjectFinding(path, move.line, message, place.path, place.line))
                    break
        # Reads that name no endpoint concern every split: said once, on the run's first split view.
        generic = [p for p in places if p.generic and p.path not in moved_paths]
        first_path, first = moves[0]
        for place in generic[:_MAX_GENERIC_PLACES]:
            message = (
                f"reads the endpoint (`{_short(place.text.strip())}`): "
                f"the {len(moves)} split view(s) of this run serve POST under new endpoints"
            )
            findings.append(ProjectFinding(first_path, first.line, message, place.path, place.line))
        if len(generic) > _MAX_GENERIC_PLACES:
            rest = generic[_MAX_GENERIC_PLACES:]
            message = f"is the first of {len(rest)} more places that read the endpoint"
            findings.append(ProjectFinding(first_path, first.line, message, rest[0].path, rest[0].line))
        return findings


# -- helpers ---------------------------------------------------------------------------

# Nodes that hold statements: the only ones the replacement walks into.
_STATEMENT_CONTAINERS = (
    cst.Module,
    cst.IndentedBlock,
    cst.FunctionDef,
    cst.ClassDef,
    cst.If,
    cst.Else,
    cst.For,
    cst.While,
    cst.With,
    cst.Try,
    cst.ExceptHandler,
    cst.Finally,
)


class _Replacer(cst.CSTTransformer):
    """Puts the split views in place of the originals, walking statements only (expressions are never entered)."""

    def __init__(self, replacements: dict[int, list[cst.BaseStatement]]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_visit(self, node: cst.CSTNode) -> bool:
        return isinstance(node, _STATEMENT_CONTAINERS)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef | cst.FlattenSentinel[cst.BaseStatement]:
        views = self.replacements.get(id(original_node))
        if views is None:
            return updated_node
        return cst.FlattenSentinel(views)


def _function_defs(module: cst.Module) -> Iterator[tuple[cst.FunctionDef, bool, bool]]:
    """Every function definition, whether it sits directly in a class body, and whether at module level."""
    stack: list[tuple[cst.CSTNode, bool, bool]] = [(module, False, True)]
    while stack:
        node, in_class, top = stack.pop()
        if isinstance(node, cst.FunctionDef):
            yield node, in_class, top
        children: list[cst.CSTNode] = []
        if isinstance(node, cst.Module):
            children = list(node.body)
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            children = list(node.body.body)
        elif isinstance(node, (cst.If, cst.For, cst.While, cst.With, cst.Try, cst.Else, cst.Finally)):
            children = list(node.body.body)
            for part in ("orelse", "finalbody"):
                extra = getattr(node, part, None)
                if extra is not None:
                    children.append(extra)
            children += list(getattr(node, "handlers", ()))
        elif isinstance(node, cst.ExceptHandler):
            children = list(node.body.body)
        class_body = isinstance(node, cst.ClassDef)
        stack.extend((child, class_body, isinstance(node, cst.Module)) for child in reversed(children))


def _has_keyword(decorator: cst.Decorator, keyword: str) -> bool:
    """Is ``keyword`` passed (``"**"``: is a mapping unpacked)?"""
    call = decorator.decorator
    if not isinstance(call, cst.Call):
        return False
    return any(a.star == keyword if keyword == "**" else a.keyword and a.keyword.value == keyword for a in call.args)


def _calls_add_url_rule(statement: cst.CSTNode) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            func = small.value.func
            if isinstance(func, cst.Attribute) and func.attr.value == "add_url_rule":
                return True
    return False


def _anchor(function: cst.FunctionDef) -> cst.CSTNode:
    """Where a note about a view is shown: its first decorator, else its ``def`` line."""
    return function.decorators[0] if function.decorators else function


def _method_test(attr: cst.Attribute, comparison: cst.Comparison) -> _MethodTest | None:
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
        value = _string(other)
        if value is None:
            return None
        return _MethodTest(frozenset({value}), isinstance(operator, cst.NotEqual))
    if isinstance(operator, (cst.In, cst.NotIn)) and isinstance(other, (cst.List, cst.Tuple, cst.Set)):
        values = [_string(e.value) if isinstance(e, cst.Element) else None for e in other.elements]
        if not values or any(v is None for v in values):
            return None
        return _MethodTest(frozenset(v for v in values if v is not None), isinstance(operator, cst.NotIn))
    return None


def _literal_methods(node: cst.BaseExpression, decorator: cst.Decorator) -> tuple[str, ...]:
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        values = [_string(e.value) if isinstance(e, cst.Element) else None for e in node.elements]
        if values and all(v is not None for v in values):
            return tuple(_unique([v.upper() for v in values if v is not None]))
    raise _Skip("`methods` is not a literal list, tuple or set of strings", decorator)


def _filter_methods(node: cst.BaseExpression, keep: list[str]) -> cst.BaseExpression:
    """The methods literal with only ``keep``, in its own spelling, quotes and container."""
    assert isinstance(node, (cst.List, cst.Tuple, cst.Set))
    elements = list(node.elements)
    kept = [e for e in elements if isinstance(e, cst.Element) and (_string(e.value) or "").upper() in keep]
    if kept and kept[-1] is not elements[-1]:
        kept[-1] = kept[-1].with_changes(comma=elements[-1].comma)
    if isinstance(node, cst.Tuple) and len(kept) == 1 and kept[0].comma is cst.MaybeSentinel.DEFAULT:
        kept[0] = kept[0].with_changes(comma=cst.Comma())
    return node.with_changes(elements=kept)


def _without(args: list[cst.Arg], index: int) -> list[cst.Arg]:
    result = args[:index] + args[index + 1 :]
    if index == len(args) - 1 and result:
        result[-1] = result[-1].with_changes(comma=args[index].comma)
    return result


def _ordered(methods: set[str], rules: list[_Rule]) -> list[str]:
    return _unique([m for rule in rules for m in rule.methods if m in methods])


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _short(code: str) -> str:
    line = code.strip().splitlines()[0] if code.strip() else code
    return line if len(line) <= 60 else line[:57] + "..."


@dataclass(frozen=True)
class MovedEndpoints:
    """Shared with the project-wide pass: a split view's line and the endpoints its methods move to."""

    line: int
    moved: tuple[tuple[str, str, str], ...]  # (old endpoint, new endpoint, its methods), blueprint prefix included
    owner_known: bool  # False when the blueprint's name is unknown: `old` lacks its prefix


@dataclass(frozen=True)
class _Place:
    """A line of the project, in Python code or a template, that may key on an endpoint."""

    path: Path
    line: int
    text: str
    generic: bool  # reads the endpoint without naming one


# Reads of the endpoint, or places keyed by endpoint names; `url_for` only matters with `_method=`.
_ENDPOINT_READ = re.compile(
    r"(?<!url_for\()request\.endpoint|request\.url_rule\.(?:endpoint|methods)|\w\.login_view\b"
    r"|view_functions\s*(?:\[|\.get\()|\.exempt\(\s*['\"]|\b_method\s*=\s*['\"]"
)
_QUOTED = re.compile(r"""(?P<url_for>url_for\(\s*)?(?P<quote>['"])(?P<value>[\w.-]+)(?P=quote)""")
_TEMPLATE_SUFFIXES = (".html", ".htm", ".jinja", ".jinja2", ".j2", ".txt", ".xml")
_MAX_TEMPLATES = 2000
_MAX_GENERIC_PLACES = 10


def _endpoint_places(scanned: Sequence[Path]) -> list[_Place]:
    """Every line of the scanned files and nearby templates that reads or may name an endpoint."""
    files: list[Path] = list(scanned)
    template_dirs = {p.parent / "templates" for p in scanned} | {p.parent.parent / "templates" for p in scanned}
    for directory in sorted(d for d in template_dirs if d.is_dir()):
        files += sorted(p for p in directory.rglob("*") if p.suffix in _TEMPLATE_SUFFIXES)[:_MAX_TEMPLATES]
    places: list[_Place] = []
    for path in dict.fromkeys(files):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            reads = _ENDPOINT_READ.search(line) is not None
            literals = [m for m in _QUOTED.finditer(line) if m.group("url_for") is None or "_method" in line]
            if reads or any("." in m.group("value") for m in literals):
                places.append(_Place(path, number, line, generic=reads and not literals))
    return places


def _names_endpoint(line: str, endpoint: str, owner_known: bool) -> int | None:
    """Where the line names the endpoint in a way that matters (not plain URL building), or None."""
    reads = _ENDPOINT_READ.search(line) is not None
    for match in _QUOTED.finditer(line):
        if match.group("url_for") is not None and "_method" not in line:
            continue  # url_for builds the same URL for either endpoint
        value = match.group("value")
        if "." in endpoint:
            # Distinctive; nested blueprints prefix it further.
            named = value == endpoint or value.endswith("." + endpoint)
        elif owner_known:
            # An app view's bare name: only where endpoints are read or keyed.
            named = reads and value == endpoint
        else:
            named = value.endswith("." + endpoint) and (reads or match.group("url_for") is not None)
        if named:
            return match.start()
    return None


def _around(line: str, at: int) -> str:
    """The part of a long line (a template's) around a position."""
    start = max(0, at - 30)
    text = line[start:].strip()
    return ("..." if start else "") + (text if len(text) <= 60 else text[:57] + "...")
