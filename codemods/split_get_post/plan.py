"""Planning one view's split: its route rules, the checks that refuse it, its views and their names.

``Planner.plan_view`` turns a routed function with ``request.method`` reads into a
``Plan`` (the views to write and the endpoints that move), or raises ``Refused``
with the reason the view is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import libcst as cst

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.flask import (
    APP_OR_BLUEPRINT_FACTORIES,
    AUTOMATIC_METHODS,
    FlaskRoutes,
    decorator_callee,
)
from flaskmod.codemods.core.metadata import Metadata
from flaskmod.codemods.core.refusal import IGNORED_KIND, IGNORED_REASON, Refused
from flaskmod.codemods.core.syntax import code_of, iter_function_defs
from flaskmod.codemods.split_get_post import dead
from flaskmod.codemods.split_get_post.expressions import MethodDependent, MethodTest, method_test
from flaskmod.codemods.split_get_post.nodes import short, string_value, unique
from flaskmod.codemods.split_get_post.statements import BodySpecialisation, block_statements
from flaskmod.codemods.split_get_post.submit import submit_tests
from flaskmod.codemods.split_get_post.survey import Read, Survey

if TYPE_CHECKING:
    from flaskmod.codemods.split_get_post.shared import SharedSetup

ROUTE_STYLES = ("auto", "shortcut", "route")
SPLIT_STYLES = ("auto", "functions", "methodview")
# The code of a view body that could not be built for HEAD: HEAD may have taken any path.
UNKNOWN = "<unknown>"


class Body(NamedTuple):
    """One method's body."""

    suite: cst.BaseSuite
    code: str
    dropped: list[cst.BaseStatement]  # the statements that could never run that it drops
    unread: list[str]  # the locals it no longer reads whose assignments had to stay
    calls_kept: list[str]  # the calls it keeps for their effects only
    specialised: cst.BaseSuite  # the suite before its dead assignments went


class RefusedAt(Refused):
    """A refusal shown on a node of its own (a decorator, a read, a statement) rather than on the view."""

    def __init__(self, reason: str, kind: str, node: cst.CSTNode) -> None:
        super().__init__(reason, kind)
        self.node = node


@dataclass
class Rule:
    """One route decorator of a view and the methods it registers (upper-case, in order)."""

    decorator: cst.Decorator
    call: cst.Call
    methods: tuple[str, ...]
    methods_index: int | None
    endpoint_index: int | None
    endpoint: str | None


@dataclass
class View:
    """One of the views a split produces."""

    methods: tuple[str, ...]
    name: str
    body: cst.BaseSuite
    code: str
    unread: list[str]  # locals the view assigns and no longer reads, whose values may have side effects
    calls_kept: list[str]  # calls whose values the view no longer reads, kept as bare calls for their effects
    specialised: cst.BaseSuite  # ``body`` before its dead assignments went


@dataclass
class Plan:
    views: list[View]
    rules: list[Rule]
    endpoints: list[tuple[str, str, str]]  # (old endpoint, new endpoint, its methods), without blueprint prefix
    blueprint: str | None  # the blueprint's name, when the route owner is a Blueprint(...) in this module
    on_app: bool
    head_code: str  # the body HEAD requests ran before the split
    top_level: bool
    name: str = ""  # the view function's name
    referenced: bool = False  # the function is used elsewhere in its module
    style: str = "functions"  # "functions" (POST moves to a new endpoint) or "methodview" (the endpoint stays)
    clash: Refused | None = None  # why the functions' new names cannot be used, if they cannot
    kept_because: str | None = None  # where the project names the endpoint, when `auto` kept it
    shared: SharedSetup | None = None  # the helper both views call for the setup they share

    @property
    def old_endpoints(self) -> list[str]:
        """The view's endpoints before the split, without blueprint prefix."""
        return unique([rule.endpoint or self.name for rule in self.rules])

    @property
    def owner_known(self) -> bool:
        """Is the blueprint's name known (or the owner an app), so full endpoints are what Flask names?"""
        return self.blueprint is not None or self.on_app


class Planner:
    """Plans the split of the views of one module."""

    def __init__(
        self,
        codemod: Codemod,
        routes: FlaskRoutes,
        survey: Survey,
        module_functions: Mapping[str, cst.FunctionDef],
        options: Mapping[str, Any],
        submit_forms: frozenset[str] = frozenset(),
    ) -> None:
        self.codemod = codemod
        self.submit_forms = submit_forms  # form classes whose `validate_on_submit()` is false on GET
        self.metadata = Metadata(codemod)
        self.routes = routes
        self.survey = survey
        self.module_functions = module_functions
        self.options = options

    def plan_view(
        self, function: cst.FunctionDef, in_class: bool, top_level: bool, kinds: list[str], reads: list[Read]
    ) -> Plan | None:
        """The plan for a routed function (``kinds`` classifies its decorators); None when it serves one method."""
        rules = [self.rule(d) for d, kind in zip(function.decorators, kinds, strict=True) if kind == "route"]
        methods = unique([m for rule in rules for m in rule.methods])
        if len(methods) < 2:
            return None  # one method: nothing to split
        if self.codemod.is_ignored(function):
            raise Refused(IGNORED_REASON, IGNORED_KIND)
        return self.plan(function, in_class, top_level, rules, methods, reads)

    # -- rules -----------------------------------------------------------------------

    def rule(self, decorator: cst.Decorator) -> Rule:
        call = decorator.decorator
        assert isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
        shortcut = call.func.attr.value
        methods: tuple[str, ...] = ("GET",) if shortcut == "route" else (shortcut.upper(),)
        methods_index = endpoint_index = None
        endpoint = None
        for index, arg in enumerate(call.args):
            if arg.star:
                reason = f"route options are passed with `{arg.star}`, which may hold `methods`"
                raise RefusedAt(reason, "unpacked-options", decorator)
            keyword = arg.keyword.value if arg.keyword is not None else None
            if keyword == "methods":
                if shortcut != "route":
                    raise RefusedAt(
                        f"`methods` is given to the `.{shortcut}` shortcut", "methods-on-shortcut", decorator
                    )
                methods = _literal_methods(arg.value, decorator)
                methods_index = index
            elif keyword == "endpoint":
                endpoint = string_value(arg.value)
                if endpoint is None:
                    raise RefusedAt("`endpoint` is not a string literal", "endpoint-not-literal", decorator)
                endpoint_index = index
        explicit = sorted(set(methods) & AUTOMATIC_METHODS)
        if explicit:
            reason = f"`methods` lists {' and '.join(explicit)} explicitly, which Flask otherwise adds"
            raise RefusedAt(reason, "automatic-method-listed", decorator)
        return Rule(decorator, call, methods, methods_index, endpoint_index, endpoint)

    # -- the plan --------------------------------------------------------------------

    def plan(
        self,
        function: cst.FunctionDef,
        in_class: bool,
        top_level: bool,
        rules: list[Rule],
        methods: list[str],
        reads: list[Read],
    ) -> Plan:
        tests = self._check(function, in_class, rules, methods, reads)
        bodies = {method: self.specialise(function, method, tests, reads) for method in [*methods, "HEAD"]}
        groups = self._groups(methods, bodies)
        name = function.name.value
        views = self._views(name, methods, groups, bodies)
        endpoints, clash = self._endpoints(name, views, rules)
        owner = rules[0].call.func
        assert isinstance(owner, cst.Attribute)
        blueprint, on_app = self._owner(owner.value)
        referenced = self.is_referenced(function)
        plan = Plan(views, rules, endpoints, blueprint, on_app, bodies["HEAD"][1], top_level, name, referenced)
        plan.clash = clash
        return plan

    def _check(
        self, function: cst.FunctionDef, in_class: bool, rules: list[Rule], methods: list[str], reads: list[Read]
    ) -> dict[int, MethodDependent]:
        """The view's method tests (`request.method` tests, provable `validate_on_submit()` calls), once every
        check before specialisation has passed."""
        if in_class:
            raise Refused("views defined in a class body are not split", "in-class-body")
        if "GET" not in methods:
            raise Refused(f"the view does not serve GET ({', '.join(methods)})", "no-get")
        tests: dict[int, MethodDependent] = {**self.method_tests(function, reads)}
        tests.update(submit_tests(function, self.submit_forms))
        if not tests:  # no `request.method` read: the view only calls `validate_on_submit()`
            reason = (
                "`validate_on_submit()` is not proven false on GET: the form must be bound once, from a "
                "Flask-WTF form class of the project that keeps `is_submitted` and `validate_on_submit`"
            )
            raise Refused(reason, "submit-unproven")
        self.check_decorators_keep_names(function, rules)
        self._check_options(function.name.value)
        return tests

    def _check_options(self, name: str) -> None:
        suffix = self.options["post-suffix"]
        if not isinstance(suffix, str) or not re.fullmatch(r"\w+", suffix) or not (name + suffix).isidentifier():
            raise Refused(f"`post-suffix` {suffix!r} does not make a valid function name", "invalid-option")
        for option, choices in (("route-style", ROUTE_STYLES), ("split-style", SPLIT_STYLES)):
            if self.options[option] not in choices:
                reason = f"`{option}` must be one of {', '.join(choices)}, not {self.options[option]!r}"
                raise Refused(reason, "invalid-option")

    def _groups(self, methods: list[str], bodies: dict[str, Body]) -> list[list[str]]:
        """The methods grouped by the body they get, in order; refused when one group would hold them all."""
        groups: dict[str, list[str]] = {}
        for method in methods:
            groups.setdefault(bodies[method][1], []).append(method)
        if len(groups) < 2:
            reason = f"the `request.method` tests do not tell {' and '.join(methods)} apart"
            raise Refused(reason, "methods-not-told-apart")
        dropped = [{id(s): s for s in bodies[group[0]][2]} for group in groups.values()]
        lost = [s for key, s in dropped[0].items() if all(key in d for d in dropped[1:])]
        if lost:
            reason = f"`{short(code_of(lost[0]))}` can never run, and splitting would delete it from every view"
            raise RefusedAt(reason, "dead-code-lost", lost[0])
        return list(groups.values())

    def _views(self, name: str, methods: list[str], groups: list[list[str]], bodies: dict[str, Body]) -> list[View]:
        """One view per group: GET first (it keeps the name), then POST, then the others in their order."""
        views: list[View] = []
        for group in sorted(groups, key=lambda g: (0 if "GET" in g else 1 if "POST" in g else 2, methods.index(g[0]))):
            body, code, _, unread, calls_kept, specialised = bodies[group[0]]
            if "GET" in group:
                view_name = name
            elif "POST" in group:
                view_name = name + self.options["post-suffix"]
            else:
                view_name = f"{name}_{'_'.join(m.lower() for m in group)}"
            views.append(View(tuple(group), view_name, body, code, unread, calls_kept, specialised))
        return views

    def _endpoints(
        self, name: str, views: list[View], rules: list[Rule]
    ) -> tuple[list[tuple[str, str, str]], Refused | None]:
        """(old endpoint, new endpoint, methods) of each view after the first, and why a new name is taken, if one is.

        A clash refuses a split into functions only: a MethodView keeps the endpoint and the name.
        """
        taken = self.survey.names | self.survey.endpoint_literals
        endpoints: list[tuple[str, str, str]] = []
        clash: Refused | None = None
        for view in views[1:]:
            view_suffix = view.name[len(name) :]
            if view.name in taken and clash is None:
                reason = f"the {'/'.join(view.methods)} view would be named `{view.name}`, already used in this module"
                clash = Refused(reason, "name-taken")
            for rule in rules:
                if rule.endpoint is not None and rule.endpoint + view_suffix in taken and clash is None:
                    reason = f"the endpoint `{rule.endpoint + view_suffix}` is already used in this module"
                    clash = Refused(reason, "endpoint-taken")
            for old in unique([rule.endpoint or name for rule in rules if set(rule.methods) & set(view.methods)]):
                endpoints.append((old, old + view_suffix, "/".join(view.methods)))
            taken = taken | {view.name}
        return endpoints, clash

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
                return (string_value(named.value) if named is not None else None), False
        return None, False

    # -- checks ----------------------------------------------------------------------

    def method_tests(self, function: cst.FunctionDef, reads: list[Read]) -> dict[int, MethodTest]:
        """Every read's method test, by the comparison's id; refused when a read is anything else."""
        tests: dict[int, MethodTest] = {}
        for read in reads:
            if read.scope is not function:
                raise RefusedAt("`request.method` is read inside a nested function", "nested-read", read.node)
            comparison = read.parent
            if isinstance(comparison, cst.ComparisonTarget):
                comparison = read.grandparent
            test = method_test(read.node, comparison) if isinstance(comparison, cst.Comparison) else None
            if test is None:
                raise RefusedAt(_other_use(read, comparison), "method-used-otherwise", read.node)
            assert isinstance(comparison, cst.Comparison)
            tests[id(comparison)] = test
            if any(name != name.upper() for name in test.names):
                self.codemod.add_finding(
                    comparison, "`request.method` is always upper-case, so this test never matches"
                )
        return tests

    def is_referenced(self, function: cst.FunctionDef) -> bool:
        """Is the function used elsewhere in its module (where split functions would leave the GET view only)?"""
        scope = self.metadata.scope_or_none(function)
        if scope is None:
            return False
        name = function.name.value
        return any(
            not self._bound_where_read(access.node, name)
            for assignment in scope.assignments[name]
            if getattr(assignment, "node", None) is function
            for access in assignment.references
        )

    def _bound_where_read(self, node: cst.CSTNode, name: str) -> bool:
        """A read in a function that binds the name itself reads its own local (LibCST may say otherwise)."""
        scope = self.metadata.scope_or_none(node)
        if scope is None or scope is scope.globals:
            return False
        return any(assignment.scope is scope for assignment in scope.assignments[name])

    def check_decorators_keep_names(self, function: cst.FunctionDef, rules: list[Rule]) -> None:
        """A decorator of this module that wraps without ``functools.wraps`` names both views alike."""
        routes = {id(rule.decorator) for rule in rules}
        for decorator in function.decorators:
            callee = decorator_callee(decorator)
            if id(decorator) in routes or not isinstance(callee, cst.Name):
                continue
            definition = self.module_functions.get(callee.value)
            if definition is None:
                continue
            inner = [f for f in iter_function_defs(definition.body) if f is not definition]
            code = code_of(definition)
            if inner and "wraps" not in code and "update_wrapper" not in code:
                reason = (
                    f"`@{callee.value}` wraps the view without `functools.wraps`: both views would get its "
                    "wrapper's name as endpoint, which Flask refuses"
                )
                raise RefusedAt(reason, "decorator-without-wraps", decorator)

    # -- specialisation --------------------------------------------------------------

    def specialise(
        self, function: cst.FunctionDef, method: str, tests: Mapping[int, MethodDependent], reads: list[Read]
    ) -> Body:
        """The body for one method, its code, the statements that could never run that it drops, its unread locals."""
        read_ids = {id(r.node) for r in reads}
        for keep_parens in (False, True):
            specialisation = BodySpecialisation(
                self.routes, self.survey.bool_context, method, tests, read_ids, keep_parens
            )
            try:
                body = specialisation.function_body(function.body)
            except cst.CSTValidationError:
                continue  # dropping parentheses glued two tokens: keep them
            break
        else:
            raise Refused(f"internal: the {method} view could not be built", "internal")
        dropped = [
            s
            for s in specialisation.unreachable(block_statements(function.body))
            if id(s) not in specialisation.kept_dead
        ]
        refusal = _unresolved(specialisation)
        if refusal is None:
            pruned, unread, calls_kept = dead.prune(function, body)
            return Body(pruned, code_of(pruned), dropped, unread, calls_kept, body)
        if method == "HEAD":
            return Body(body, UNKNOWN, dropped, [], [], body)
        raise refusal


def _unresolved(specialisation: BodySpecialisation) -> Refused | None:
    """Why the specialised body still depends on the method, if it does."""
    transformer = specialisation.transformer
    if transformer.stored:
        reason = f"the result of a `request.method` test is stored in `{code_of(transformer.stored[0])}`"
        return Refused(reason, "method-test-stored")
    if transformer.unresolved:
        reason = (
            "a `request.method` test follows code with side effects "
            f"(`{short(code_of(transformer.unresolved[0]))}`), so the branch cannot be dropped from the other view"
        )
        return Refused(reason, "method-test-after-side-effects")
    if transformer.seen - transformer.consumed:
        # Every read is in a test (checked before): one that survived was not turned into a constant.
        return Refused("`request.method` is still present after specialisation", "method-still-read")
    return None


def _other_use(read: Read, comparison: cst.CSTNode | None) -> str:
    """The reason shown for a ``request.method`` read that is no method test, with the code around it."""
    context = comparison if isinstance(comparison, cst.Comparison) else read.parent or read.node
    if isinstance(context, (cst.Arg, cst.Element, cst.Attribute)) and read.grandparent is not None:
        context = read.grandparent
    shown = code_of(context)
    return f"`request.method` is used other than in a comparison with a method name (`{short(shown)}`)"


def _literal_methods(node: cst.BaseExpression, decorator: cst.Decorator) -> tuple[str, ...]:
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        values = [string_value(e.value) if isinstance(e, cst.Element) else None for e in node.elements]
        if values and all(v is not None for v in values):
            return tuple(unique([v.upper() for v in values if v is not None]))
    raise RefusedAt("`methods` is not a literal list, tuple or set of strings", "methods-not-literal", decorator)
