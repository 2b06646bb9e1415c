"""JSON error returns -> aborts (unsafe), with one ``HTTPException`` handler per app or blueprint.

The returns are grouped by the app or blueprint that routes their view; a group the
checker accepts is converted, and the handler it gets renders the same JSON body.
"""

from __future__ import annotations

import json

import libcst as cst

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.flask import HTTP_ERROR_CLASSES, FlaskRoutes
from flaskmod.codemods.core.refusal import Refused
from flaskmod.codemods.core.syntax import code_of
from flaskmod.codemods.unify_aborts.aborts import remove_import_of
from flaskmod.codemods.unify_aborts.collector import Collector
from flaskmod.codemods.unify_aborts.expressions import arg, with_commas
from flaskmod.codemods.unify_aborts.json_checks import JsonChecker
from flaskmod.codemods.unify_aborts.model import HANDLER_NAME, Context, ErrorReturn, Handler, Plan
from flaskmod.codemods.unify_aborts.names import Names


class JsonReturnPlanner:
    """Plans, in ``plan``, the conversion of each app's or blueprint's JSON error returns and its handler."""

    def __init__(
        self,
        codemod: Codemod,
        names: Names,
        routes: FlaskRoutes,
        collector: Collector,
        plan: Plan,
        style: str,
        tree: cst.Module,
    ) -> None:
        self.codemod = codemod
        self.names = names
        self.collector = collector
        self.plan = plan
        self.style = style
        self.tree = tree
        self.checker = JsonChecker(codemod, names, routes, collector, tree)

    def plan_all(self) -> None:
        groups: dict[str, list[ErrorReturn]] = {}
        for ret, context in self.collector.returns:
            owner = self._candidate_owner(ret, context)
            if owner is not None:
                groups.setdefault(owner, []).append(ret)
        for owner, returns in groups.items():
            self._plan_group(owner, returns)

    def _candidate_owner(self, ret: ErrorReturn, context: Context) -> str | None:
        """The app or blueprint whose handler would render ``ret``, or None with the reason."""
        if any(self.names.is_resource(c) for c in context.classes):
            return None  # reported once per class by the collector
        if self.codemod.skip_if_ignored(ret.node):
            return None
        try:
            return self.checker.candidate_owner(ret, context)
        except Refused as refused:
            self.codemod.add_refusal(ret.node, refused)
            return None

    def _plan_group(self, owner: str, returns: list[ErrorReturn]) -> None:
        first = returns[0].node
        try:
            kind, views, handlers = self.checker.check_group(owner, returns)
        except Refused as refused:
            self.codemod.add_refusal(first, refused)
            return
        # Spelling a new `abort` or class records its import: only a conversion that goes ahead may keep it.
        imports_before = set(self.plan.imports)
        converted: dict[cst.BaseSmallStatement, cst.BaseSmallStatement] = {}
        for ret in returns:
            replacement = self._converted_return(ret)
            if replacement is not None:
                converted[ret.node] = replacement
        if not converted:
            self.plan.imports = imports_before
            return
        self._report_precedence(owner, handlers, first)
        if not self.codemod.permit_unsafe(first, self._describe(owner, kind, len(converted), views)):
            self.plan.imports = imports_before
            return
        self.plan.replacements.update(converted)
        for ret in returns:
            if ret.node in converted and ret.node.value is not None:
                remove_import_of(self.codemod, ret.node.value)  # make_response, HTTPStatus... when now unused
        key = code_of(returns[0].key_node) if returns[0].key_node is not None else json.dumps(returns[0].key)
        last_view = max(self.tree.body.index(v) for v in views)
        self.plan.insert_after[last_view] = [handler_code(owner, key, self.tree)]
        self.plan.imports |= {("werkzeug.exceptions", "HTTPException"), ("flask", "jsonify")}

    def _report_precedence(self, owner: str, handlers: list[Handler], first: cst.Return) -> None:
        """A code-specific handler (here or in another module) wins over the new class handler: say so."""
        for handler in handlers:
            if handler.code is not None:
                self.codemod.add_finding(
                    handler.node or first,
                    f"{handler.described} handles {handler.code} errors and takes precedence over "
                    f"the new `HTTPException` handler on `{owner}`",
                )

    def _converted_return(self, ret: ErrorReturn) -> cst.BaseSmallStatement | None:
        error = HTTP_ERROR_CLASSES[ret.status]
        assert ret.message is not None
        description = arg(ret.message, "description")
        if self.style == "raise":
            spelled = self.names.class_spelling(ret.node, error)
            if spelled is None:
                return None
            exception = cst.Call(func=cst.parse_expression(spelled), args=[description])
            return cst.Raise(exc=exception, semicolon=ret.node.semicolon)
        spelled = self.names.abort_spelling(ret.node)
        if spelled is None:
            return None
        call = cst.Call(
            func=cst.parse_expression(spelled), args=with_commas([arg(cst.Integer(str(ret.status))), description])
        )
        return cst.Expr(value=call, semicolon=ret.node.semicolon)

    def _describe(self, owner: str, kind: str, count: int, views: list[cst.FunctionDef]) -> str:
        target = "`abort(...)`" if self.style == "abort" else "`raise ...`"
        text = (
            f"turn {count} JSON error return(s) in `{owner}` into {target} and add an `HTTPException` "
            f"handler on `{owner}` that keeps the exception's status and headers and renders the same JSON body"
        )
        existing = sum(1 for site, c in self.collector.raise_sites if c in views and not _carries_response(site))
        if existing:
            text += (
                f"; the {existing} abort/raise already in its views get that JSON body instead of werkzeug's HTML page"
            )
        passed = sorted({f"`@{n}`" for v in views for n in self.checker.passed_decorators.get(v, [])})
        if passed:
            text += f"; errors raised in {', '.join(passed)} (which pass the view's response on) get it too"
        if kind == "app":
            return text + (
                "; app-wide, it also renders routing 404/405 errors (for HTML pages too) and request parsing "
                "errors as JSON"
            )
        return text + "; request parsing errors in its views get the JSON body too"


def _carries_response(site: cst.CSTNode) -> bool:
    """``abort(400, response=...)`` or ``raise BadRequest(response=...)``: the handler returns that response."""
    call = site.exc if isinstance(site, cst.Raise) else site
    return isinstance(call, cst.Call) and any(
        a.keyword is not None and a.keyword.value == "response" for a in call.args
    )


def handler_code(owner: str, key: str, module: cst.Module) -> cst.BaseStatement:
    """``@owner.errorhandler(HTTPException) def handle_http_error(error): ...`` rendering ``{key: description}``.

    An exception's own response (``abort(400, response=...)``) is returned unchanged: the
    view built that body on purpose.
    """
    indent = module.default_indent
    code = (
        f"@{owner}.errorhandler(HTTPException)\n"
        f"def {HANDLER_NAME}(error):\n"
        f"{indent}# An exception that carries its own response (`abort(400, response=...)`) keeps it.\n"
        f"{indent}if error.response is not None:\n"
        f"{indent}{indent}return error.response\n"
        f"{indent}# Status and headers (Allow, WWW-Authenticate, Retry-After) come from the exception;\n"
        f"{indent}# the body is the JSON these views returned before they aborted.\n"
        f"{indent}response = error.get_response()\n"
        f"{indent}body = jsonify({{{key}: error.description}})\n"
        f"{indent}response.data = body.get_data()\n"
        f"{indent}response.content_type = body.content_type\n"
        f"{indent}return response\n"
    )
    handler = cst.parse_module(code, config=module.config_for_parsing).body[0]
    # Two blank lines before a top-level definition, as PEP 8 and formatters want.
    return handler.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
