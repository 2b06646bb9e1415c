"""The planning pass: one walk over the module that records every error site and where it sits."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import QualifiedNameSource

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.flask import (
    ERROR_HANDLER_DECORATORS,
    ERROR_HANDLER_REGISTRARS,
    FLASK_ABORT_FUNCTIONS,
    HTTP_ERROR_CLASSES_BY_NAME,
    HTTP_EXCEPTIONS_WITHOUT_ABORT_CODE,
    TEMPLATE_RENDERERS,
    FlaskRoutes,
    HTTPErrorClass,
)
from flaskmod.codemods.core.syntax import code_of
from flaskmod.codemods.unify_aborts.expressions import helper_name, is_abort_lookalike
from flaskmod.codemods.unify_aborts.model import CATCH_ALL, Context, ErrorReturn, Handler
from flaskmod.codemods.unify_aborts.names import Names
from flaskmod.codemods.unify_aborts.returns import ErrorReturnReader


class Collector(cst.CSTVisitor):
    """Every error site of the module (aborts, raises, error returns, handlers), with where it sits."""

    def __init__(self, codemod: Codemod, names: Names, routes: FlaskRoutes) -> None:
        super().__init__()
        self.codemod = codemod
        self.names = names
        self.routes = routes
        self.reader = ErrorReturnReader(names)
        self.stack: list[cst.CSTNode] = []
        self.sites: list[tuple[cst.CSTNode, str]] = []
        self.aborts: list[tuple[cst.Call, cst.CSTNode | None]] = []
        self.raises: list[tuple[cst.Raise, HTTPErrorClass | None]] = []
        self.raise_sites: list[tuple[cst.CSTNode, cst.FunctionDef | None]] = []
        self.returns: list[tuple[ErrorReturn, Context]] = []
        self.handlers: list[Handler] = []
        self.renders_html: set[cst.FunctionDef] = set()
        self.generators: set[cst.FunctionDef] = set()
        self.top_level_views: list[cst.FunctionDef] = []
        self.registers_blueprints = False
        self.view_returns: dict[cst.FunctionDef, list[cst.Return]] = {}
        self.calls_with_names: dict[str, list[cst.Call]] = {}
        self.reported_classes: set[int] = set()

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.stack.append(node)
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        super().on_leave(original_node)
        self.stack.pop()

    def context(self) -> Context:
        functions = [i for i, n in enumerate(self.stack) if isinstance(n, cst.FunctionDef)]
        start = functions[-1] if functions else 0
        inner = self.stack[start:]
        catching = False
        for index, node in enumerate(inner[:-1]):
            if isinstance(node, cst.TryStar) and inner[index + 1] is node.body:
                catching = True
            if isinstance(node, cst.Try) and inner[index + 1] is node.body:
                catching = catching or any(self._catches(h) for h in node.handlers)
        return Context(
            function=self.stack[start] if functions else None,  # type: ignore[arg-type]
            top_level_function=bool(functions) and start == 1,
            classes=[n for n in self.stack if isinstance(n, cst.ClassDef)],
            in_with=any(isinstance(n, cst.With) for n in inner),
            catching_try=catching,
            in_lambda=any(isinstance(n, cst.Lambda) for n in inner),
        )

    def _catches(self, handler: cst.ExceptHandler) -> bool:
        """Could this ``except`` catch an HTTPException? Unknown names count as yes."""
        if handler.type is None:
            return True
        types = [e.value for e in handler.type.elements] if isinstance(handler.type, cst.Tuple) else [handler.type]
        for node in types:
            names = self.names.qualified_names(node)
            if not names or (
                any(q.source is QualifiedNameSource.LOCAL for q in names) and not self.names.is_class(node)
            ):
                # A class of this module cannot be a base of werkzeug's exceptions; a variable may hold one.
                return True
            qualified = {q.name for q in names}
            if qualified & CATCH_ALL or any(
                q.startswith("werkzeug.exceptions.") or q.startswith("werkzeug.") for q in qualified
            ):
                return True
        return False

    # -- sites ---------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if len(self.stack) == 2 and self.routes.is_view(node):
            self.top_level_views.append(node)

    def visit_Call(self, node: cst.Call) -> None:
        for argument in node.args:
            if isinstance(argument.value, cst.Name):
                self.calls_with_names.setdefault(argument.value.value, []).append(node)
        qualified = self.names.qualified(node.func)
        if qualified & FLASK_ABORT_FUNCTIONS:
            parent = self.stack[-2] if len(self.stack) > 1 else None
            self.aborts.append((node, parent))
            self.sites.append((node, "abort"))
            self.raise_sites.append((node, self.context().function))
        elif qualified & TEMPLATE_RENDERERS:
            function = self.context().function
            if function is not None:
                self.renders_html.add(function)
        elif is_abort_lookalike(node.func):
            self._other_abort(node)
        if isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            if method in ERROR_HANDLER_REGISTRARS and node.args:
                self._handler(node, node.args[0].value)
            elif method == "register_blueprint":
                self.registers_blueprints = True

    def _other_abort(self, node: cst.Call) -> None:
        """An ``abort`` that is not Flask's: left alone; a style only when a Flask extension's."""
        func = node.func
        owner = func.value if isinstance(func, cst.Attribute) else func
        origin = self.names.http_framework_origin(owner)
        if origin is not None and isinstance(func, cst.Name):
            self.sites.append((node, f"other abort `{origin}`"))
            reason = f"`abort` here is `{origin}`, not Flask's: other signature and body, left alone"
        elif origin is not None:
            self.sites.append((node, f"other abort `{code_of(func)}`"))
            reason = f"`{code_of(func)}` is not Flask's `abort` (`{code_of(owner)}` is a `{origin}`): left alone"
        elif isinstance(func, cst.Name):
            # A bare `abort` reads like Flask's: say why it is left alone, without counting it as a style.
            names = self.names.qualified_names(func)
            imported = sorted(q.name for q in names if q.source is QualifiedNameSource.IMPORT)
            reason = (
                f"`abort` here is `{imported[0]}`, not Flask's: left alone"
                if imported
                else "`abort` is not Flask's `abort` (not imported from flask): left alone"
            )
        else:
            return  # `transport.abort()`, `self.abort()`: not an HTTP error at all
        self.codemod.add_skip(node, reason, "other-abort")

    def visit_Decorator(self, node: cst.Decorator) -> None:
        expression = node.decorator
        if (
            isinstance(expression, cst.Call)
            and isinstance(expression.func, cst.Attribute)
            and expression.func.attr.value in ERROR_HANDLER_DECORATORS
            and expression.args
        ):
            self._handler(node, expression.args[0].value)

    def _handler(self, node: cst.CSTNode, target: cst.BaseExpression) -> None:
        spelled = "@" + code_of(node.decorator) if isinstance(node, cst.Decorator) else code_of(node)
        code = self.names.status(target)
        if code is not None:
            self.handlers.append(Handler(node, spelled, code=code))
            return
        if not isinstance(target, (cst.Name, cst.Attribute)):
            self.handlers.append(Handler(node, spelled, unknown=True))
            return
        names = self.names.qualified_names(target)
        qualified = {q.name for q in names}
        error = next((HTTP_ERROR_CLASSES_BY_NAME[q] for q in qualified if q in HTTP_ERROR_CLASSES_BY_NAME), None)
        if error is not None:
            self.handlers.append(Handler(node, spelled, code=error.code))
        elif qualified & CATCH_ALL:
            self.handlers.append(Handler(node, spelled, catch_all=True))
        elif not names or not all(
            q.source is not QualifiedNameSource.LOCAL or self.names.is_class(target) for q in names
        ):
            # A variable (a code from a loop, a tuple of classes): it may cover these errors.
            self.handlers.append(Handler(node, spelled, unknown=True))
        # Any other class is not a base of werkzeug's HTTP exceptions, so it handles other errors.

    def visit_Yield(self, node: cst.Yield) -> None:
        function = self.context().function
        if function is not None:
            self.generators.add(function)

    def visit_Raise(self, node: cst.Raise) -> None:
        exc = node.exc
        if exc is None:
            return
        callee = exc.func if isinstance(exc, cst.Call) else exc
        qualified = self.names.qualified(callee)
        error = next((HTTP_ERROR_CLASSES_BY_NAME[q] for q in qualified if q in HTTP_ERROR_CLASSES_BY_NAME), None)
        werkzeug = error is not None or bool(qualified & HTTP_EXCEPTIONS_WITHOUT_ABORT_CODE)
        if not werkzeug:
            return
        name = error.name if error is not None else sorted(qualified & HTTP_EXCEPTIONS_WITHOUT_ABORT_CODE)[0]
        self.sites.append((node, f"raise {name.split('.')[-1]}"))
        self.raises.append((node, error))
        self.raise_sites.append((node, self.context().function))

    def visit_Return(self, node: cst.Return) -> None:
        context = self.context()
        if context.function is not None and context.top_level_function:
            self.view_returns.setdefault(context.function, []).append(node)
        if node.value is None:
            return
        found = self.reader.read(node)
        if found is None:
            self._helper_return(node, node.value)
            return
        resources = [c for c in context.classes if self.names.is_resource(c)]
        if resources:
            self._resource_return(resources[-1])
            return
        self.sites.append((node, found.kind))
        self.returns.append((found, context))

    def _helper_return(self, node: cst.Return, value: cst.BaseExpression) -> None:
        """``return bad_request(...)``: a project error helper, reported as a style."""
        helper = helper_name(value)
        if helper is not None and isinstance(value, cst.Call):
            qualified = self.names.qualified(value.func)
            if all(q.split(".")[0] not in ("flask", "werkzeug") for q in qualified):
                self.sites.append((node, f"error helper `{helper}()`"))

    def _resource_return(self, cls: cst.ClassDef) -> None:
        """An error return in a class-based resource: its framework renders it; reported once per class."""
        if id(cls) not in self.reported_classes:
            self.reported_classes.add(id(cls))
            self.codemod.add_skip(
                cls,
                f"returns in class-based resource `{cls.name.value}` are rendered by its framework: left alone",
                "resource",
            )
