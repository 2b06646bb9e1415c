"""What flaskmod knows about Flask, in one place.

Every codemod asks this module what a route decorator, a view or an HTTP-layer
name is, so they all agree. Names are resolved through LibCST's
``QualifiedNameProvider`` (imports and aliases), never by spelling alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import libcst as cst
from libcst import MetadataDependent
from libcst.metadata import QualifiedName, QualifiedNameProvider, QualifiedNameSource

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
)

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


def qualified_names(names: set[QualifiedName]) -> set[str]:
    return {qn.name for qn in names}


def dotted_name(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


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


def iter_function_defs(body: cst.CSTNode) -> Iterator[cst.FunctionDef]:
    """Every function definition below ``body``, walking statements only.

    Much cheaper than a visitor: expressions are never entered. Views defined
    inside factory functions, classes and ``if``/``try``/``with`` blocks are found.
    """
    stack: list[cst.CSTNode] = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.FunctionDef):
            yield node
        if isinstance(node, cst.Module):
            stack.extend(reversed(node.body))
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.With, cst.For, cst.While)):
            stack.append(node.body)
            if isinstance(node, (cst.For, cst.While)) and node.orelse is not None:
                stack.append(node.orelse)
        elif isinstance(node, (cst.IndentedBlock, cst.SimpleStatementSuite)):
            stack.extend(reversed(node.body))
        elif isinstance(node, cst.If):
            stack.append(node.body)
            if node.orelse is not None:
                stack.append(node.orelse)
        elif isinstance(node, (cst.Else, cst.Finally, cst.ExceptHandler, cst.ExceptStarHandler)):
            stack.append(node.body)
        elif isinstance(node, (cst.Try, cst.TryStar)):
            stack.append(node.body)
            stack.extend(node.handlers)
            for part in (node.orelse, node.finalbody):
                if part is not None:
                    stack.append(part)


@dataclass
class ModuleBindings:
    """Module-level facts a codemod needs to tell Flask objects apart.

    Collected by :class:`BindingCollector` in one cheap pass over the statements.
    """

    # name -> the calls it is assigned from, anywhere in the module
    assigned_calls: dict[str, list[cst.Call]]
    # name -> bound by something other than a call (a literal, an expression, a parameter...)
    other_bindings: set[str]
    imports_flask: bool
    imports_other_framework: bool


class BindingCollector(cst.CSTVisitor):
    """Collects :class:`ModuleBindings`: assignments from calls and framework imports."""

    def __init__(self) -> None:
        self.bindings = ModuleBindings({}, set(), False, False)

    def _note_import(self, module: str) -> None:
        root = module.split(".")[0]
        if root == "flask" or root.startswith("flask_") or root in {"apiflask", "quart"}:
            self.bindings.imports_flask = True
        if root in OTHER_WEB_FRAMEWORKS:
            self.bindings.imports_other_framework = True

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = dotted_name(alias.name)
            if name:
                self._note_import(name)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is not None and not node.relative:
            name = dotted_name(node.module)
            if name:
                self._note_import(name)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                name = target.target.value
                if isinstance(node.value, cst.Call):
                    self.bindings.assigned_calls.setdefault(name, []).append(node.value)
                else:
                    self.bindings.other_bindings.add(name)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and node.value is not None:
            if isinstance(node.value, cst.Call):
                self.bindings.assigned_calls.setdefault(node.target.value, []).append(node.value)
            else:
                self.bindings.other_bindings.add(node.target.value)

    def visit_Param(self, node: cst.Param) -> None:
        self.bindings.other_bindings.add(node.name.value)


def is_import(names: set[QualifiedName]) -> bool:
    return bool(names) and all(qn.source is QualifiedNameSource.IMPORT for qn in names)


def looks_like_access_check(qualified: set[str], spelled: str) -> bool:
    if qualified & ACCESS_CHECK_DECORATORS:
        return True
    lowered = spelled.lower()
    return any(word in lowered for word in ACCESS_CHECK_WORDS)


DecoratorKind = Literal["route", "unproven-route", "position-independent", "other"]


class FlaskRoutes:
    """Tells a view's decorators apart: Flask route, unproven route lookalike, or other.

    For a codemod that declares ``QualifiedNameProvider`` in its
    ``METADATA_DEPENDENCIES``; build it in ``transform_module_impl`` from the tree
    about to be visited. A route decorator is ``@X.route(...)`` (or ``.get``,
    ``.post``...) where ``X`` is assigned from ``Flask(...)``/``Blueprint(...)``
    (resolved through imports), or imported into a module that imports Flask and
    no other web framework.
    """

    def __init__(self, codemod: MetadataDependent, module: cst.Module) -> None:
        collector = BindingCollector()
        module.visit(collector)
        self.bindings = collector.bindings
        self._codemod = codemod

    def qualified(self, node: cst.CSTNode) -> set[str]:
        return qualified_names(self._codemod.get_metadata(QualifiedNameProvider, node, set()))

    def is_imported(self, node: cst.CSTNode) -> bool:
        return is_import(self._codemod.get_metadata(QualifiedNameProvider, node, set()))

    def bound_from(self, name: str, factories: frozenset[str]) -> bool:
        """Is ``name`` assigned somewhere in the module from a call to one of ``factories``?"""
        return any(self.qualified(call.func) & factories for call in self.bindings.assigned_calls.get(name, []))

    def classify(self, decorator: cst.Decorator) -> DecoratorKind:
        callee = decorator_callee(decorator)
        if isinstance(callee, cst.Attribute) and isinstance(callee.value, cst.Name):
            owner = callee.value
            factories = POSITION_INDEPENDENT_DECORATOR_FACTORIES.get(callee.attr.value)
            # Extensions are usually created in an `extensions` module and imported:
            # an imported `csrf.exempt` is taken for the extension's; moving it or
            # not changes nothing either way.
            if factories and (self.bound_from(owner.value, factories) or self.is_imported(owner)):
                return "position-independent"
        if not looks_like_route_decorator(decorator):
            return "other"
        assert isinstance(callee, cst.Attribute) and isinstance(callee.value, cst.Name)
        owner = callee.value
        if self.bound_from(owner.value, APP_OR_BLUEPRINT_FACTORIES):
            return "route"
        if self.is_imported(owner) and self.bindings.imports_flask and not self.bindings.imports_other_framework:
            return "route"
        return "unproven-route"

    def route_decorators(self, function: cst.FunctionDef) -> list[cst.Decorator]:
        return [d for d in function.decorators if self.classify(d) == "route"]

    def is_view(self, function: cst.FunctionDef) -> bool:
        """A function with at least one proven route decorator."""
        return any(self.classify(d) == "route" for d in function.decorators)
