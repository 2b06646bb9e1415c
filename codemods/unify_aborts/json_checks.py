"""Every refusal of the JSON conversion, each a :class:`Refused` with its reason and kind.

Which error returns may become aborts, and which app or blueprint may get the one
``HTTPException`` handler.
"""

from __future__ import annotations

import libcst as cst

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.flask import (
    ACCESS_CHECK_DECORATORS,
    FLASK_ABORT_FUNCTIONS,
    HTTP_ERROR_CLASSES,
    JSONIFY_FUNCTIONS,
    MAKE_RESPONSE_FUNCTIONS,
    FlaskRoutes,
    decorator_callee,
)
from flaskmod.codemods.core.refusal import Refused
from flaskmod.codemods.core.syntax import code_of
from flaskmod.codemods.unify_aborts.collector import Collector
from flaskmod.codemods.unify_aborts.decorators import DecoratorCheck
from flaskmod.codemods.unify_aborts.expressions import route_owner
from flaskmod.codemods.unify_aborts.model import (
    HANDLER_NAME,
    PAGELESS_EXTENSIONS,
    PLAIN_APPS,
    PLAIN_BLUEPRINTS,
    Context,
    ErrorReturn,
    Handler,
)
from flaskmod.codemods.unify_aborts.names import Names
from flaskmod.codemods.unify_aborts.package_scan import package_handlers


class JsonChecker:
    """Decides, with the reason when not, whether a JSON error return and then its owner's group may convert."""

    def __init__(
        self, codemod: Codemod, names: Names, routes: FlaskRoutes, collector: Collector, tree: cst.Module
    ) -> None:
        self.codemod = codemod
        self.tree = tree
        self.names = names
        self.routes = routes
        self.collector = collector
        self.decorators = DecoratorCheck(codemod, names, tree)
        # Project decorators let through, per view: their own errors get the JSON body too.
        self.passed_decorators: dict[cst.FunctionDef, list[str]] = {}

    # -- one return ------------------------------------------------------------

    def candidate_owner(self, ret: ErrorReturn, context: Context) -> str:
        """The app or blueprint whose handler would render ``ret``; Refused when ``ret`` must stay a return."""
        function = context.function
        if function is None or not context.top_level_function or not self.routes.is_view(function):
            raise Refused(
                "not directly in a view function: the caller decides what the returned tuple means", "not-in-view"
            )
        if function in self.collector.generators:
            raise Refused("the view is a generator: its return is not the response", "generator")
        if ret.headers:
            raise Refused("the return sets headers: left alone", "headers")
        if ret.key is None:
            raise Refused(f"a {ret.kind.removesuffix(' return')} body is not a `{{key: <str>}}` JSON body", "body")
        if context.catching_try:
            raise Refused("inside a `try` whose `except` would catch the HTTPException: left alone", "catching-try")
        if context.in_with:
            raise Refused("inside a `with` block, whose context manager would see the exception: left alone", "in-with")
        if ret.status not in HTTP_ERROR_CLASSES:
            raise Refused(f"no werkzeug exception class for status {ret.status}", "no-class")
        owners = {route_owner(d) for d in self.routes.route_decorators(function)}
        if len(owners) != 1 or None in owners:
            raise Refused("the view is routed on several objects: left alone", "several-owners")
        self._check_wrappers(function)
        owner = owners.pop()
        assert owner is not None
        return owner

    def _check_wrappers(self, view: cst.FunctionDef) -> None:
        """Only route decorators, known access checks and harmless project decorators may wrap the view."""
        passed = []
        for decorator in view.decorators:
            if self.routes.classify(decorator) in ("route", "position-independent"):
                continue
            if self.names.qualified(decorator_callee(decorator)) & ACCESS_CHECK_DECORATORS:
                continue
            name = code_of(decorator_callee(decorator))
            if self.decorators.is_harmless(decorator):
                passed.append(name)
                continue
            raise Refused(
                f"`@{name}` wraps the view: it could see the exception or read the returned tuple "
                "(declare it in `transparent-decorators` when it does neither)",
                "wrapped-view",
            )
        self.passed_decorators[view] = passed

    # -- the owner's group -----------------------------------------------------

    def check_group(self, owner: str, returns: list[ErrorReturn]) -> tuple[str, list[cst.FunctionDef], list[Handler]]:
        """(app or blueprint, its views here, every handler found) when ``owner`` may get the JSON handler."""
        kind = self._owner_kind(owner)
        if kind is None:
            raise Refused(
                f"`{owner}` is not a Flask app or blueprint created in this module: left alone", "unknown-owner"
            )
        views = [
            f
            for f in self.collector.top_level_views
            if owner in {route_owner(d) for d in self.routes.route_decorators(f)}
        ]
        self._check_views(owner, views)
        if kind == "app":
            self._check_app(owner)
        handlers = self.collector.handlers + package_handlers(self.codemod.context.filename, self.codemod.project)
        self._check_handlers(handlers, {r.status for r in returns})
        self._check_free_names()
        return kind, views, handlers

    def _owner_kind(self, owner: str) -> str | None:
        """ "app" or "blueprint" when ``owner`` is created once, at module level, from plain Flask."""
        found = None
        for statement in self.tree.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if (
                    isinstance(small, cst.Assign)
                    and len(small.targets) == 1
                    and isinstance(small.targets[0].target, cst.Name)
                    and small.targets[0].target.value == owner
                    and isinstance(small.value, cst.Call)
                ):
                    factory = self.names.qualified(small.value.func)
                    found = "app" if factory & PLAIN_APPS else "blueprint" if factory & PLAIN_BLUEPRINTS else None
        if len(self.routes.bindings.assigned_calls.get(owner, [])) != 1 or owner in self.routes.bindings.other_bindings:
            return None
        return found

    def _check_views(self, owner: str, views: list[cst.FunctionDef]) -> None:
        """Every view of ``owner`` here returns JSON, and its error returns share one shape."""
        all_returns = [r for r, c in self.collector.returns if c.function in views]
        shapes = sorted({r.key if r.key is not None else f"<{r.kind}>" for r in all_returns})
        if len(shapes) > 1:
            raise Refused(
                f"error returns in `{owner}` have different shapes ({', '.join(shapes)}): left alone", "mixed-shapes"
            )
        html = [f.name.value for f in views if f in self.collector.renders_html]
        if html:
            raise Refused(
                f"`{owner}` also renders HTML (in `{html[0]}`): one JSON error handler does not fit it", "renders-html"
            )
        for view in views:
            other = next((r for r in self.collector.view_returns.get(view, []) if not self._returns_json(r)), None)
            if other is not None:
                raise Refused(
                    f"`{view.name.value}` returns a response not proven to be JSON "
                    f"(line {self.codemod.line_of(other)}): one JSON error handler does not fit `{owner}`",
                    "not-json-view",
                )

    def _returns_json(self, node: cst.Return) -> bool:
        """Is this view return certainly a JSON response (or an abort)?"""
        value = node.value
        if isinstance(value, cst.Tuple) and value.elements:
            value = value.elements[0].value
        if isinstance(value, cst.Call) and self.names.qualified(value.func) & MAKE_RESPONSE_FUNCTIONS and value.args:
            value = value.args[0].value
        if isinstance(value, (cst.Dict, cst.List)):
            return True
        json_or_abort = JSONIFY_FUNCTIONS | FLASK_ABORT_FUNCTIONS
        return isinstance(value, cst.Call) and bool(self.names.qualified(value.func) & json_or_abort)

    def _check_app(self, owner: str) -> None:
        """An app-wide handler would also catch the errors of blueprints and of extensions' pages."""
        if self.collector.registers_blueprints:
            raise Refused(
                "the app registers blueprints whose errors an app-wide handler would also catch",
                "registers-blueprints",
            )
        handed = next((c for c in self.collector.calls_with_names.get(owner, []) if not self._harmless(c)), None)
        if handed is not None:
            raise Refused(
                f"the app is handed to `{code_of(handed.func)}(...)`, which may add pages whose errors "
                "an app-wide JSON handler would also catch",
                "handed-to-extension",
            )

    def _harmless(self, call: cst.Call) -> bool:
        """Does handing the app to this call add no pages (an extension known to serve none)?"""
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("errorhandler", "register_error_handler"):
            return True
        if isinstance(func, cst.Attribute) and func.attr.value == "init_app" and isinstance(func.value, cst.Name):
            return self.routes.bound_from(func.value.value, PAGELESS_EXTENSIONS)
        return bool(self.names.qualified(func) & PAGELESS_EXTENSIONS)

    @staticmethod
    def _check_handlers(handlers: list[Handler], codes: set[int]) -> None:
        """No handler, here or elsewhere in the package, may already render these errors."""
        for handler in handlers:
            if handler.unknown:
                raise Refused(f"cannot tell which errors {handler.described} handles: left alone", "unknown-handler")
            if handler.catch_all or handler.code in codes:
                what = handler.code if handler.code in codes else "every HTTP error"
                raise Refused(f"there is already an error handler for {what} ({handler.described})", "handled")

    def _check_free_names(self) -> None:
        """The handler's names (``HTTPException``, ``jsonify``, ``handle_http_error``) are free or already right."""
        scope = self.names.scope_or_none(self.tree.body[0]) if self.tree.body else None
        for name, wanted in (("HTTPException", "werkzeug.exceptions.HTTPException"), ("jsonify", "flask.jsonify")):
            names = {q.name for q in scope.get_qualified_names_for(name)} if scope is not None else set()
            if names and names != {wanted} and not (name == "jsonify" and names <= JSONIFY_FUNCTIONS):
                raise Refused(f"`{name}` already names something else in this module", "name-taken")
        if scope is None or HANDLER_NAME in scope.globals:
            raise Refused(f"`{HANDLER_NAME}` is already defined in this module", "name-taken")
