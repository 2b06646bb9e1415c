"""What flaskmod knows about Flask, in one place.

Every codemod asks this module what a route decorator, a view or an HTTP-layer
name is, so they all agree. Names are resolved through LibCST's
``QualifiedNameProvider`` (imports and aliases), never by spelling alone.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Literal

import libcst as cst
from libcst import MetadataDependent

from flaskmod.codemods.core.bindings import all_params, dotted_name, import_bound
from flaskmod.codemods.core.syntax import child_blocks

# Decorator methods that register a view on an app or blueprint.
ROUTE_METHODS: frozenset[str] = frozenset({"route", "get", "post", "put", "patch", "delete"})

# Calls that create an object whose ``.route`` registers views.
APP_OR_BLUEPRINT_FACTORIES: frozenset[str] = frozenset(
    {
        "flask.Flask",
        "flask.app.Flask",
        "flask.Blueprint",
        "flask.blueprints.Blueprint",
        "apiflask.APIFlask",
        "apiflask.APIBlueprint",
        "flask_smorest.Blueprint",
        "quart.Quart",
        "quart.Blueprint",
    }
)

# Frameworks whose routers also spell ``.get``/``.post``/``.route``; a module
# importing them is not taken for Flask code.
OTHER_WEB_FRAMEWORKS: frozenset[str] = frozenset(
    {"fastapi", "starlette", "sanic", "bottle", "aiohttp", "falcon", "tornado", "django", "litestar"}
)

# Names of the HTTP layer: a function using them does web work, not business logic.
HTTP_LAYER_NAMES: frozenset[str] = frozenset(
    {
        f"flask.{name}"
        for name in (
            "request",
            "session",
            "g",
            "flash",
            "redirect",
            "url_for",
            "render_template",
            "render_template_string",
            "jsonify",
            "abort",
            "make_response",
            "send_file",
            "send_from_directory",
            "stream_with_context",
            "current_app",
        )
    }
    # Flask-Login's request-bound user and the calls that change the session.
    | {"flask_login.current_user", "flask_login.login_user", "flask_login.logout_user"}
)
# Query methods (Flask-SQLAlchemy) that end the request with a 404 when nothing is found.
ABORTING_QUERY_METHODS: frozenset[str] = frozenset({"get_or_404", "first_or_404", "one_or_404"})

# Decorators that work whether they sit above or below the route decorator,
# because they record the view (by name) instead of wrapping it.
POSITION_INDEPENDENT_DECORATOR_FACTORIES: dict[str, frozenset[str]] = {
    "exempt": frozenset(
        {
            "flask_wtf.CSRFProtect",
            "flask_wtf.csrf.CSRFProtect",
            "flask_limiter.Limiter",
            "flask_limiter.extension.Limiter",
        }
    ),
}

# Access checks, by qualified name; above a route they leave the view open.
ACCESS_CHECK_DECORATORS: frozenset[str] = frozenset(
    {
        "flask_login.login_required",
        "flask_login.fresh_login_required",
        "flask_login.utils.login_required",
        "flask_security.login_required",
        "flask_security.auth_required",
        "flask_security.roles_required",
        "flask_security.roles_accepted",
        "flask_security.permissions_required",
        "flask_security.permissions_accepted",
        "flask_jwt_extended.jwt_required",
        "flask_praetorian.auth_required",
        "flask_praetorian.roles_required",
        "flask_principal.Permission",
    }
)
# Words that mark a project's own decorator as an access check; used only to word
# a finding, never to decide a rewrite.
ACCESS_CHECK_WORDS: tuple[str, ...] = ("login", "auth", "permission", "role", "admin", "token", "jwt")


def decorator_callee(decorator: cst.Decorator) -> cst.BaseExpression:
    """The decorator expression without its call: ``bp.route`` for ``@bp.route('/')``."""
    expression = decorator.decorator
    return expression.func if isinstance(expression, cst.Call) else expression


def looks_like_route_decorator(decorator: cst.Decorator) -> bool:
    """Syntactic test only (no metadata): ``@<name>.<route method>(...)``."""
    expression = decorator.decorator
    return (
        isinstance(expression, cst.Call)
        and isinstance(expression.func, cst.Attribute)
        and isinstance(expression.func.value, cst.Name)
        and expression.func.attr.value in ROUTE_METHODS
    )


@dataclass
class Scope:
    """Names bound in one function body (or the module), as a statement walk sees them.

    Class bodies are folded into the scope around them: a method's decorators are
    evaluated there.
    """

    parent: Scope | None = None
    assigned_calls: dict[str, list[cst.Call]] = field(default_factory=dict)
    other_bindings: set[str] = field(default_factory=set)
    imports: dict[str, set[str]] = field(default_factory=dict)
    class_bases: dict[str, list[cst.BaseExpression]] = field(default_factory=dict)

    def binds(self, name: str) -> bool:
        return name in self.assigned_calls or name in self.other_bindings or name in self.imports

    def lookup(self, name: str) -> Scope | None:
        """The nearest scope that binds ``name``, as Python resolves it."""
        scope: Scope | None = self
        while scope is not None and not scope.binds(name):
            scope = scope.parent
        return scope

    def resolve(self, node: cst.BaseExpression) -> set[str]:
        """Qualified names of a ``Name``/``Attribute`` chain whose head is an import visible here."""
        dotted = dotted_name(node)
        if dotted is None:
            return set()
        head, _, rest = dotted.partition(".")
        scope = self.lookup(head)
        if scope is None or head not in scope.imports:
            return set()
        return {target + ("." + rest if rest else "") for target in scope.imports[head]}


@dataclass
class ModuleBindings:
    """Module facts a codemod needs to tell Flask objects apart, from one cheap statement walk.

    ``module_scope`` and ``scope_of`` follow Python's scoping; ``assigned_calls``,
    ``other_bindings`` and ``imports`` are the same facts merged over the whole module.
    """

    assigned_calls: dict[str, list[cst.Call]]
    other_bindings: set[str]
    imports_flask: bool
    imports_other_framework: bool
    imports: dict[str, set[str]]
    module_scope: Scope = field(default_factory=Scope)
    # id(decorator) -> the scope its expression is evaluated in
    scope_of: dict[int, Scope] = field(default_factory=dict)

    def resolve(self, node: cst.BaseExpression) -> set[str]:
        """Qualified names of a ``Name``/``Attribute`` chain whose head is imported anywhere in the module."""
        dotted = dotted_name(node)
        if dotted is None:
            return set()
        head, _, rest = dotted.partition(".")
        return {target + ("." + rest if rest else "") for target in self.imports.get(head, ())}


def _import_module_name(node: cst.ImportFrom) -> str:
    module = dotted_name(node.module) if node.module is not None else ""
    return "." * len(node.relative) + (module or "")


def collect_bindings(module: cst.Module) -> ModuleBindings:
    """Assignments from calls, other bindings, imports and framework imports, per scope, from a statement walk."""
    bindings = ModuleBindings({}, set(), False, False, {})

    def note_framework(name: str) -> None:
        root = name.split(".")[0]
        if root == "flask" or root.startswith("flask_") or root in {"apiflask", "quart"}:
            bindings.imports_flask = True
        if root in OTHER_WEB_FRAMEWORKS:
            bindings.imports_other_framework = True

    def bind(scope: Scope, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if isinstance(target, cst.Name):
            if isinstance(value, cst.Call):
                scope.assigned_calls.setdefault(target.value, []).append(value)
                bindings.assigned_calls.setdefault(target.value, []).append(value)
            else:
                scope.other_bindings.add(target.value)
                bindings.other_bindings.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                bind(scope, element.value, None)

    def import_name(scope: Scope, local: str, target: str) -> None:
        scope.imports.setdefault(local, set()).add(target)
        bindings.imports.setdefault(local, set()).add(target)

    def small(scope: Scope, statement: cst.BaseSmallStatement) -> None:
        if isinstance(statement, cst.Import):
            for alias in statement.names:
                name = dotted_name(alias.name)
                if name is None:
                    continue
                note_framework(name)
                local = import_bound(alias, False)
                if local is not None:
                    # `import a.b as c` binds c to a.b; `import a.b` binds a to a.
                    import_name(scope, local, name if alias.asname is not None else local)
        elif isinstance(statement, cst.ImportFrom):
            source = _import_module_name(statement)
            if not statement.relative:
                note_framework(source)
            if isinstance(statement.names, cst.ImportStar):
                return
            for alias in statement.names:
                name = dotted_name(alias.name)
                local = import_bound(alias, True)
                if name is None or local is None:
                    continue
                separator = "" if source.endswith(".") else "."
                import_name(scope, local, f"{source}{separator}{name}")
        elif isinstance(statement, cst.Assign):
            for target in statement.targets:
                bind(scope, target.target, statement.value)
        elif isinstance(statement, cst.AnnAssign) and statement.value is not None:
            bind(scope, statement.target, statement.value)

    def walk(node: cst.CSTNode, scope: Scope) -> None:
        if isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            for statement in node.body:
                small(scope, statement)
        elif isinstance(node, (cst.Module, cst.IndentedBlock)):
            for child in node.body:
                walk(child, scope)
        elif isinstance(node, cst.FunctionDef):
            for decorator in node.decorators:
                bindings.scope_of[id(decorator)] = scope
            bind(scope, node.name, None)
            inner = Scope(parent=scope)
            for param in all_params(node.params):
                bind(inner, param.name, None)
            walk(node.body, inner)
        elif isinstance(node, cst.ClassDef):
            bind(scope, node.name, None)
            scope.class_bases[node.name.value] = [arg.value for arg in node.bases]
            walk(node.body, scope)
        else:
            if isinstance(node, cst.For):
                bind(scope, node.target, None)
            for child in child_blocks(node):
                walk(child, scope)

    walk(module, bindings.module_scope)
    return bindings


def looks_like_access_check(qualified: set[str], spelled: str) -> bool:
    if qualified & ACCESS_CHECK_DECORATORS:
        return True
    lowered = spelled.lower()
    return any(word in lowered for word in ACCESS_CHECK_WORDS)


DecoratorKind = Literal["route", "unproven-route", "position-independent", "other"]

# Methods of an app or blueprint that record the function and return it unchanged:
# above or below a route decorator, they work the same.
REGISTERING_METHODS: frozenset[str] = frozenset(
    {
        "errorhandler",
        "app_errorhandler",
        "before_request",
        "before_app_request",
        "after_request",
        "after_app_request",
        "teardown_request",
        "teardown_app_request",
        "context_processor",
        "app_context_processor",
        "url_value_preprocessor",
        "url_defaults",
        "template_filter",
        "template_global",
        "template_test",
    }
)

# Libraries whose objects have `.get`/`.post`/`.patch`... methods used as decorators
# that are not Flask routes (the standard library is ruled out as well).
NOT_FLASK_OBJECT_MODULES: frozenset[str] = (
    frozenset({"mock", "pytest", "requests", "httpx", "responses", "respx", "aiohttp", "celery", "click", "typer"})
    | OTHER_WEB_FRAMEWORKS
)


def has_url_rule(decorator: cst.Decorator) -> bool:
    """Is the decorator's rule (first argument or ``rule=``) a literal string starting with ``/``?"""
    expression = decorator.decorator
    if not isinstance(expression, cst.Call) or not expression.args:
        return False
    rule = next((a.value for a in expression.args if a.keyword and a.keyword.value == "rule"), None)
    if rule is None and expression.args[0].keyword is None and expression.args[0].star == "":
        rule = expression.args[0].value
    if isinstance(rule, (cst.SimpleString, cst.ConcatenatedString)):
        value = rule.evaluated_value
        return isinstance(value, str) and value.startswith("/")
    if isinstance(rule, cst.FormattedString) and rule.parts:
        first = rule.parts[0]
        return isinstance(first, cst.FormattedStringText) and first.value.startswith("/")
    return False


class FlaskRoutes:
    """Tells a view's decorators apart: Flask route, unproven route lookalike, or other.

    Build it in ``transform_module_impl`` from the tree about to be visited (it
    needs no metadata). A route decorator is ``@X.route(...)`` (or ``.get``,
    ``.post``...) where ``X`` is assigned from ``Flask(...)``/``Blueprint(...)``
    (resolved through imports), or imported into a module that imports Flask and
    no other web framework.
    """

    def __init__(self, codemod: MetadataDependent, module: cst.Module) -> None:
        # A statement walk and an import table, not LibCST's scope analysis: the
        # names that matter here (app and blueprint objects, their factories,
        # decorators) are bound by module- or factory-level statements, and scope
        # analysis costs several parses per file.
        self.bindings = collect_bindings(module)
        self._codemod = codemod

    def qualified(self, node: cst.CSTNode) -> set[str]:
        """Qualified names of an imported ``Name``/``Attribute`` chain (``flask.Blueprint``), else empty."""
        return self.bindings.resolve(node) if isinstance(node, cst.BaseExpression) else set()

    def is_imported(self, node: cst.CSTNode) -> bool:
        return bool(self.qualified(node))

    def bound_from(self, name: str, factories: frozenset[str]) -> bool:
        """Is ``name`` assigned somewhere in the module from a call to one of ``factories``?"""
        return any(self.qualified(call.func) & factories for call in self.bindings.assigned_calls.get(name, []))

    def _made_by(self, call: cst.Call, scope: Scope, factories: frozenset[str], depth: int = 0) -> bool:
        """Does ``call`` create an object of one of ``factories`` (or of a local subclass of one)?"""
        if scope.resolve(call.func) & factories:
            return True
        if depth > 3 or not isinstance(call.func, cst.Name):
            return False
        owner = scope.lookup(call.func.value)
        bases = owner.class_bases.get(call.func.value) if owner is not None else None
        return bool(bases) and any(
            owner.resolve(base) & factories or self._local_subclass(base, owner, factories, depth + 1)
            for base in bases or ()
        )

    def _local_subclass(self, base: cst.BaseExpression, scope: Scope, factories: frozenset[str], depth: int) -> bool:
        if depth > 3 or not isinstance(base, cst.Name):
            return False
        owner = scope.lookup(base.value)
        bases = owner.class_bases.get(base.value) if owner is not None else None
        return bool(bases) and any(
            owner.resolve(b) & factories or self._local_subclass(b, owner, factories, depth + 1) for b in bases or ()
        )

    def _owner_kind(self, owner: cst.Name, scope: Scope, factories: frozenset[str]) -> str:
        """``made`` (assigned from a factory), ``imported``, or ``unknown``, resolving ``owner`` as Python would."""
        bound_in = scope.lookup(owner.value)
        if bound_in is None:
            return "unknown"
        if owner.value in bound_in.imports:
            targets = bound_in.imports[owner.value]
            roots = {t.lstrip(".").split(".")[0] for t in targets if not t.startswith(".")}
            if roots & NOT_FLASK_OBJECT_MODULES or any(r in sys.stdlib_module_names for r in roots):
                return "unknown"
            return "imported"
        calls = bound_in.assigned_calls.get(owner.value, [])
        if (
            calls
            and owner.value not in bound_in.other_bindings
            and all(self._made_by(call, bound_in, factories) for call in calls)
        ):
            return "made"
        return "unknown"

    def classify(self, decorator: cst.Decorator) -> DecoratorKind:
        scope = self.bindings.scope_of.get(id(decorator), self.bindings.module_scope)
        callee = decorator_callee(decorator)
        if isinstance(callee, cst.Attribute) and isinstance(callee.value, cst.Name):
            owner, method = callee.value, callee.attr.value
            factories = POSITION_INDEPENDENT_DECORATOR_FACTORIES.get(method)
            # Extensions are usually created in an `extensions` module and imported:
            # an imported `csrf.exempt` is taken for the extension's; moving it or
            # not changes nothing either way.
            if factories and self._owner_kind(owner, scope, factories) != "unknown":
                return "position-independent"
            if (
                method in REGISTERING_METHODS
                and self._owner_kind(owner, scope, APP_OR_BLUEPRINT_FACTORIES) != "unknown"
            ):
                return "position-independent"
        if not looks_like_route_decorator(decorator):
            return "other"
        assert isinstance(callee, cst.Attribute) and isinstance(callee.value, cst.Name)
        kind = self._owner_kind(callee.value, scope, APP_OR_BLUEPRINT_FACTORIES)
        if kind == "made":
            return "route"
        # An imported object is taken for a Flask app or blueprint only when the rule
        # is a literal URL path (werkzeug requires the leading slash), the module does
        # not use another web framework (`mock.patch("os.getcwd")` is no route), and
        # either the module imports Flask or the method is `route` (a blueprint
        # module's views often import nothing from flask itself).
        if (
            kind == "imported"
            and has_url_rule(decorator)
            and not self.bindings.imports_other_framework
            and (self.bindings.imports_flask or callee.attr.value == "route")
        ):
            return "route"
        return "unproven-route"

    def unproven_imported_route(self, function: cst.FunctionDef) -> cst.Decorator | None:
        """A ``@x.route(...)``-like decorator on an object imported from the project (not the standard
        library, a test or HTTP-client library) that :meth:`classify` cannot prove is Flask's: its rule
        is not a literal path (``@routes.route(org_scoped_rule("/login"))``)."""
        for decorator in function.decorators:
            if self.classify(decorator) != "unproven-route":
                continue
            callee = decorator_callee(decorator)
            assert isinstance(callee, cst.Attribute) and isinstance(callee.value, cst.Name)
            scope = self.bindings.scope_of.get(id(decorator), self.bindings.module_scope)
            if self._owner_kind(callee.value, scope, APP_OR_BLUEPRINT_FACTORIES) == "imported":
                return decorator
        return None

    def route_decorators(self, function: cst.FunctionDef) -> list[cst.Decorator]:
        return [d for d in function.decorators if self.classify(d) == "route"]

    def is_view(self, function: cst.FunctionDef) -> bool:
        """A function with at least one proven route decorator."""
        return any(self.classify(d) == "route" for d in function.decorators)


# -- werkzeug's HTTP exceptions -------------------------------------------------
# Written out from werkzeug 3.1.9 (`werkzeug.exceptions.default_exceptions` and each
# class's `__init__` signature), not imported: the werkzeug of the code being rewritten
# may be another version. Flask's `abort(code, *args, **kwargs)` goes through
# `current_app.aborter`, a werkzeug `Aborter` over `default_exceptions` unless the app
# customises it, which raises `mapping[code](*args, **kwargs)`: so `abort(404, "x")` and
# `raise NotFound("x")` raise the same exception.


@dataclass(frozen=True)
class HTTPErrorClass:
    """A werkzeug exception class that ``abort(code)`` raises."""

    code: int
    name: str  # in werkzeug.exceptions
    first_param: str  # the constructor's first parameter: abort's first extra positional argument
    bases: tuple[str, ...]  # werkzeug.exceptions classes it inherits from, nearest first

    @property
    def qualified(self) -> str:
        return f"werkzeug.exceptions.{self.name}"


HTTP_ERROR_CLASSES: dict[int, HTTPErrorClass] = {
    error.code: error
    for error in (
        HTTPErrorClass(400, "BadRequest", "description", ("HTTPException",)),
        HTTPErrorClass(401, "Unauthorized", "description", ("HTTPException",)),
        HTTPErrorClass(403, "Forbidden", "description", ("HTTPException",)),
        HTTPErrorClass(404, "NotFound", "description", ("HTTPException",)),
        HTTPErrorClass(405, "MethodNotAllowed", "valid_methods", ("HTTPException",)),
        HTTPErrorClass(406, "NotAcceptable", "description", ("HTTPException",)),
        HTTPErrorClass(408, "RequestTimeout", "description", ("HTTPException",)),
        HTTPErrorClass(409, "Conflict", "description", ("HTTPException",)),
        HTTPErrorClass(410, "Gone", "description", ("HTTPException",)),
        HTTPErrorClass(411, "LengthRequired", "description", ("HTTPException",)),
        HTTPErrorClass(412, "PreconditionFailed", "description", ("HTTPException",)),
        HTTPErrorClass(413, "RequestEntityTooLarge", "description", ("HTTPException",)),
        HTTPErrorClass(414, "RequestURITooLarge", "description", ("HTTPException",)),
        HTTPErrorClass(415, "UnsupportedMediaType", "description", ("HTTPException",)),
        HTTPErrorClass(416, "RequestedRangeNotSatisfiable", "length", ("HTTPException",)),
        HTTPErrorClass(417, "ExpectationFailed", "description", ("HTTPException",)),
        HTTPErrorClass(418, "ImATeapot", "description", ("HTTPException",)),
        HTTPErrorClass(421, "MisdirectedRequest", "description", ("HTTPException",)),
        HTTPErrorClass(422, "UnprocessableEntity", "description", ("HTTPException",)),
        HTTPErrorClass(423, "Locked", "description", ("HTTPException",)),
        HTTPErrorClass(424, "FailedDependency", "description", ("HTTPException",)),
        HTTPErrorClass(428, "PreconditionRequired", "description", ("HTTPException",)),
        HTTPErrorClass(429, "TooManyRequests", "description", ("_RetryAfter", "HTTPException")),
        HTTPErrorClass(431, "RequestHeaderFieldsTooLarge", "description", ("HTTPException",)),
        HTTPErrorClass(451, "UnavailableForLegalReasons", "description", ("HTTPException",)),
        HTTPErrorClass(500, "InternalServerError", "description", ("HTTPException",)),
        HTTPErrorClass(501, "NotImplemented", "description", ("HTTPException",)),
        HTTPErrorClass(502, "BadGateway", "description", ("HTTPException",)),
        HTTPErrorClass(503, "ServiceUnavailable", "description", ("_RetryAfter", "HTTPException")),
        HTTPErrorClass(504, "GatewayTimeout", "description", ("HTTPException",)),
        HTTPErrorClass(505, "HTTPVersionNotSupported", "description", ("HTTPException",)),
    )
}
HTTP_ERROR_CLASSES_BY_NAME: dict[str, HTTPErrorClass] = {e.qualified: e for e in HTTP_ERROR_CLASSES.values()}

# HTTPException subclasses no `abort(code)` raises (they share a code with a class above).
HTTP_EXCEPTIONS_WITHOUT_ABORT_CODE: frozenset[str] = frozenset(
    f"werkzeug.exceptions.{name}"
    for name in ("HTTPException", "BadRequestKeyError", "ClientDisconnected", "SecurityError", "BadHost")
)

# Functions that raise `default_exceptions[code](*args, **kwargs)` (through the app's aborter).
FLASK_ABORT_FUNCTIONS: frozenset[str] = frozenset({"flask.abort", "flask.helpers.abort", "werkzeug.exceptions.abort"})

JSONIFY_FUNCTIONS: frozenset[str] = frozenset({"flask.jsonify", "flask.json.jsonify"})
MAKE_RESPONSE_FUNCTIONS: frozenset[str] = frozenset({"flask.make_response", "flask.helpers.make_response"})
RESPONSE_CLASSES: frozenset[str] = frozenset(
    {"flask.Response", "flask.wrappers.Response", "werkzeug.Response", "werkzeug.wrappers.Response"}
)
TEMPLATE_RENDERERS: frozenset[str] = frozenset(
    {
        "flask.render_template",
        "flask.render_template_string",
        "flask.templating.render_template",
        "flask.templating.render_template_string",
    }
)

# Methods of an app or blueprint that register error handlers.
ERROR_HANDLER_DECORATORS: frozenset[str] = frozenset({"errorhandler", "app_errorhandler"})
ERROR_HANDLER_REGISTRARS: frozenset[str] = frozenset({"register_error_handler"})

# Base classes of class-based REST resources, whose returns their framework renders.
RESOURCE_BASE_CLASSES: frozenset[str] = frozenset(
    {"flask_restful.Resource", "flask_restx.Resource", "flask_restplus.Resource"}
)


# -- request methods and endpoints (split-get-post) --------------------------------
# werkzeug upper-cases the method (`environ["REQUEST_METHOD"].upper()`), so
# `request.method == "post"` never matches.
REQUEST_METHOD_NAMES: frozenset[str] = frozenset({"flask.request.method", "flask.globals.request.method"})
REQUEST_ENDPOINT_NAMES: frozenset[str] = frozenset({"flask.request.endpoint", "flask.globals.request.endpoint"})
REQUEST_URL_RULE_NAMES: frozenset[str] = frozenset({"flask.request.url_rule", "flask.globals.request.url_rule"})
URL_FOR_FUNCTIONS: frozenset[str] = frozenset({"flask.url_for", "flask.helpers.url_for"})
# Flask adds HEAD to every rule that has GET, and OPTIONS to every rule (answered
# without calling the view) unless `provide_automatic_options` says otherwise.
AUTOMATIC_METHODS: frozenset[str] = frozenset({"HEAD", "OPTIONS"})
# Methods with a route shortcut on apps and blueprints (`@bp.get`, `@bp.post`...; Flask >= 2.0).
ROUTE_SHORTCUT_METHODS: frozenset[str] = frozenset(m.upper() for m in ROUTE_METHODS - {"route"})
# Class-based views: dispatched by method already, registered with `add_url_rule`.
CLASS_BASED_VIEW_BASES: frozenset[str] = frozenset({"flask.views.View", "flask.views.MethodView"})


# -- the app logger (structlog-logging) ---------------------------------------------
# Apps whose `.logger` is a stdlib logger (`logging.getLogger(app.name)`); blueprints have none.
APP_FACTORIES: frozenset[str] = frozenset({"flask.Flask", "flask.app.Flask", "apiflask.APIFlask", "quart.Quart"})
# The proxy to the app handling the current request; `current_app.logger` is the app's logger.
CURRENT_APP_NAMES: frozenset[str] = frozenset({"flask.current_app", "flask.globals.current_app", "quart.current_app"})


# -- logging ----------------------------------------------------------------------

STRUCTLOG_FACTORIES: frozenset[str] = frozenset(
    {"structlog.get_logger", "structlog.getLogger", "structlog.stdlib.get_logger"}
)
# Calls that return a logger: given the same name, they return the same logger in any module.
LOGGER_FACTORIES: frozenset[str] = frozenset({"logging.getLogger"}) | STRUCTLOG_FACTORIES


# -- request-bound work beyond HTTP_LAYER_NAMES (what a service must not do) -------------------------

# More names of the HTTP layer, as their other import paths and neighbouring libraries spell them:
# responses, aborts, request-bound proxies.
MORE_HTTP_LAYER_NAMES: frozenset[str] = frozenset(
    {f"flask.globals.{name}" for name in ("request", "session", "g")}
    | {f"flask.helpers.{name}" for name in ("flash", "url_for", "make_response", "send_file", "send_from_directory")}
    | {"flask.templating.render_template", "flask.templating.render_template_string", "flask.json.jsonify"}
    | {"flask.Response", "flask.wrappers.Response", "flask.wrappers.Request", "flask.stream_template"}
    | {"werkzeug.Response", "werkzeug.wrappers.Response", "werkzeug.wrappers.response.Response"}
    | {"werkzeug.utils.redirect", "werkzeug.utils.send_file", "werkzeug.utils.send_from_directory"}
    | {"flask_restful.abort", "flask_restx.abort", "flask_smorest.abort", "apiflask.abort"}
    | {f"flask_login.{name}" for name in ("confirm_login", "login_fresh", "utils.current_user", "utils.login_user")}
    | {"flask_login.utils.logout_user"}
)
# Modules every name of which is HTTP work: raising `NotFound()` answers the request.
HTTP_LAYER_MODULES: tuple[str, ...] = ("werkzeug.exceptions.",)

# The application context: not HTTP work. A service runs wherever an app context exists
# (a request, a CLI command, a task queue), so it may read these attributes of `current_app`.
APP_CONTEXT_NAMES: frozenset[str] = frozenset({"flask.current_app", "flask.globals.current_app"})
APP_CONTEXT_ATTRIBUTES: frozenset[str] = frozenset(
    {"config", "extensions", "logger", "debug", "testing", "name", "root_path", "instance_path"}
)

# Form base classes that read `request.form` and `request.files` when constructed.
REQUEST_FORM_BASES: frozenset[str] = frozenset(
    {"flask_wtf.FlaskForm", "flask_wtf.Form", "flask_wtf.form.FlaskForm", "flask_security.forms.Form"}
)
# A module-level `x = LocalProxy(...)` is bound to the request (or another context).
LOCAL_PROXY_FACTORIES: frozenset[str] = frozenset({"werkzeug.local.LocalProxy", "werkzeug.LocalProxy"})


def is_http_layer_name(qualified: str) -> bool:
    """Whether a qualified name is Flask's HTTP layer (request-bound, or answering the request)."""
    if qualified in APP_CONTEXT_NAMES:
        return False
    return (
        qualified in HTTP_LAYER_NAMES or qualified in MORE_HTTP_LAYER_NAMES or qualified.startswith(HTTP_LAYER_MODULES)
    )
