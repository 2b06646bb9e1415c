"""abort <-> raise: plans each Flask ``abort(...)`` or werkzeug ``raise`` the chosen style changes."""

from __future__ import annotations

import contextlib

import libcst as cst

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.flask import HTTP_ERROR_CLASSES, HTTPErrorClass
from flaskmod.codemods.core.refusal import Refused
from flaskmod.codemods.core.syntax import code_of
from flaskmod.codemods.unify_aborts.collector import Collector
from flaskmod.codemods.unify_aborts.expressions import arg, exception_args, with_commas
from flaskmod.codemods.unify_aborts.model import Plan
from flaskmod.codemods.unify_aborts.names import Names


def remove_import_of(codemod: Codemod, node: cst.CSTNode) -> None:
    """Schedule the import of the name ``node`` uses for removal, when nothing else uses it."""
    # A relative import LibCST cannot resolve raises ValueError: keep that import.
    with contextlib.suppress(ValueError):
        codemod.remove_unused_import_by_node(node)


class AbortPlanner:
    """Plans the abort/raise rewrites of one module in ``plan``: ``abort(404)`` <-> ``raise NotFound()``."""

    def __init__(self, codemod: Codemod, names: Names, collector: Collector, plan: Plan, style: str) -> None:
        self.codemod = codemod
        self.names = names
        self.collector = collector
        self.plan = plan
        self.style = style

    def plan_all(self) -> None:
        for call, parent in self.collector.aborts:
            if self.style == "abort":
                if isinstance(parent, cst.Return):
                    if self.codemod.skip_if_ignored(call):
                        continue
                    # `return abort(...)`: the return is dead, the call stays.
                    self.plan.replacements[parent] = cst.Expr(value=call, semicolon=parent.semicolon)
                continue
            self._abort_to_raise(call, parent)
        if self.style == "abort":
            for raise_node, error in self.collector.raises:
                self._raise_to_abort(raise_node, error)

    def _abort_to_raise(self, call: cst.Call, parent: cst.CSTNode | None) -> None:
        try:
            error = self._abort_error_class(call)
        except Refused as refused:
            self.codemod.add_refusal(call, refused)
            return
        if not isinstance(parent, (cst.Expr, cst.Return)):
            self.codemod.add_skip(call, "`abort` inside an expression cannot become a `raise`", "abort-in-expression")
            return
        if self.codemod.skip_if_ignored(call):
            return
        spelled = self.names.class_spelling(call, error)
        if spelled is None:
            return
        args = exception_args(call.args[1:], error)
        # with_changes keeps the call's own layout (a line break after the parenthesis).
        exception = call.with_changes(func=cst.parse_expression(spelled), args=with_commas(args))
        self.plan.replacements[parent] = cst.Raise(exc=exception, semicolon=parent.semicolon)
        remove_import_of(self.codemod, call.func)

    def _abort_error_class(self, call: cst.Call) -> HTTPErrorClass:
        """The class ``abort(...)`` raises; Refused when the code is unknown or has no werkzeug class."""
        first = call.args[0] if call.args else None
        if first is None or first.keyword is not None or first.star:
            raise Refused("the status code is not a literal", "status-not-literal")
        if isinstance(first.value, cst.Call):
            raise Refused("`abort(<response>)` raises an exception no error handler sees: left alone", "abort-response")
        status = self.names.status(first.value)
        if status is None:
            raise Refused("the status code is not a literal", "status-not-literal")
        error = HTTP_ERROR_CLASSES.get(status)
        if error is None:
            raise Refused(f"no werkzeug exception class for status {status}", "no-class")
        return error

    def _raise_to_abort(self, raise_node: cst.Raise, error: HTTPErrorClass | None) -> None:
        exc = raise_node.exc
        if exc is None:  # the collector never records a bare `raise`
            return
        callee = exc.func if isinstance(exc, cst.Call) else exc
        if error is None:
            self.codemod.add_skip(raise_node, f"no `abort` code raises `{code_of(callee).split('.')[-1]}`", "no-code")
            return
        if raise_node.cause is not None:
            self.codemod.add_skip(
                raise_node, "`raise ... from ...` sets a cause that `abort` cannot: left alone", "raise-from"
            )
            return
        if self.codemod.skip_if_ignored(raise_node):
            return
        spelled = self.names.abort_spelling(raise_node)
        if spelled is None:
            return
        args = exception_args(exc.args, error) if isinstance(exc, cst.Call) else []
        new_args = with_commas([arg(cst.Integer(str(error.code))), *args])
        func = cst.parse_expression(spelled)
        call = exc.with_changes(func=func, args=new_args) if isinstance(exc, cst.Call) else cst.Call(func, new_args)
        self.plan.replacements[raise_node] = cst.Expr(value=call, semicolon=raise_node.semicolon)
        remove_import_of(self.codemod, callee)
