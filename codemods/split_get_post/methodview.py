"""Writing a split that keeps its endpoint: a ``flask.views.MethodView`` with one method per view.

``login`` becomes ``class LoginView(MethodView)`` with ``get`` and ``post``, and the
module keeps the name ``login`` bound to ``LoginView.as_view("login")``, the function
registered under the original endpoint: ``request.endpoint``, allowlists, ``login_view``
and ``csrf.exempt(views.login)`` see what they saw before. The route decorators become
``add_url_rule`` calls in the order Flask ran them (the innermost first); the other
decorators go to ``decorators``, which ``as_view`` applies in list order, so innermost first.
"""

from __future__ import annotations

import re
import textwrap

import libcst as cst

from flaskmod.codemods.core.bindings import all_params
from flaskmod.codemods.core.syntax import code_of, walk
from flaskmod.codemods.core.wrapping import bracketed
from flaskmod.codemods.split_get_post.plan import Plan, Rule

_MANGLED = re.compile(r"\A__\w*(?<!__)\Z")


def class_name(name: str) -> str:
    """``edit_post`` -> ``EditPostView``; a leading underscore stays."""
    camel = "".join(part[:1].upper() + part[1:] for part in name.split("_") if part)
    camel = camel if camel.endswith("View") else camel + "View"
    return "_" + camel if name.startswith("_") else camel


def imports_method_view(module: cst.Module) -> bool:
    """Does the module import ``MethodView`` from ``flask.views`` under that name?"""
    for statement in module.body:
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if (
                isinstance(small, cst.ImportFrom)
                and small.module is not None
                and code_of(small.module) == "flask.views"
                and not isinstance(small.names, cst.ImportStar)
                and any(a.asname is None and code_of(a.name) == "MethodView" for a in small.names)
            ):
                return True
    return False


def unprovable(function: cst.FunctionDef, plan: Plan, taken: set[str], method_view_imported: bool) -> str | None:
    """Why a MethodView cannot be proven to register the same view, or None."""
    routes = [any(rule.decorator is d for rule in plan.rules) for d in function.decorators]
    if any(routes[routes.index(False) :] if False in routes else ()):
        return "a decorator sits above a route decorator: it would not wrap the registered view the same way"
    mangled = next((n.value for n in walk(function.body) if isinstance(n, cst.Name) and _MANGLED.match(n.value)), None)
    if mangled is not None:
        return f"the body spells `{mangled}`, which Python renames inside a class"
    if any(param.name.value == "self" for param in all_params(function.params)):
        return "the view has a parameter named `self`"
    if class_name(function.name.value) in taken:
        return f"the class name `{class_name(function.name.value)}` is already used in this module"
    if "MethodView" in taken and not method_view_imported:
        return "`MethodView` names something else in this module"
    return None


def flat_names(function: cst.FunctionDef, plan: Plan) -> list[str]:
    """The module-level names of the views when the class only binds them (``login_get``, ``login_post``)."""
    return [f"{function.name.value}_{view.methods[0].lower()}" for view in plan.views]


def build_methodview(
    function: cst.FunctionDef, plan: Plan, *, column: int, line_length: int, taken: set[str]
) -> list[cst.BaseStatement]:
    """The class, the module-level name bound to its view function, and one registration per route rule.

    The views become the class's methods, one indent deeper. When that pushes a line the
    project's formatter kept within ``line_length`` past it (its `ruff format --check` would
    fail), the views stay functions at their own depth and the class binds them with
    ``staticmethod``: ``MethodView`` looks a method up on the instance and calls it with the
    URL values only.
    """
    class_def = _class_def(function, plan, _method_views(function, plan))
    names = flat_names(function, plan)
    if _reindent_overflows(function, class_def, column, line_length) and not taken.intersection(names):
        return [*_flat_views(function, plan, names), *_bound(function, plan, _flat_class(function, plan, names))]
    return _bound(function, plan, class_def)


def _method_views(function: cst.FunctionDef, plan: Plan) -> list[cst.BaseStatement]:
    body: list[cst.BaseStatement] = []
    for view in plan.views:
        first, *aliases = [m.lower() for m in view.methods]
        body.append(
            function.with_changes(
                name=cst.Name(first),
                decorators=[],
                params=_with_self(function.params),
                body=view.body,
                leading_lines=[cst.EmptyLine(indent=False)] if body else [],
            )
        )
        body += [cst.parse_statement(f"{alias} = {first}") for alias in aliases]
    return body


def _flat_views(function: cst.FunctionDef, plan: Plan, names: list[str]) -> list[cst.BaseStatement]:
    blank = [cst.EmptyLine(indent=False)] * (2 if plan.top_level else 1)
    return [
        function.with_changes(
            name=cst.Name(name),
            decorators=[],
            body=view.body,
            leading_lines=function.leading_lines if index == 0 else blank,
        )
        for index, (view, name) in enumerate(zip(plan.views, names, strict=True))
    ]


def _flat_class(function: cst.FunctionDef, plan: Plan, names: list[str]) -> cst.ClassDef:
    body: list[cst.BaseStatement] = []
    for view, name in zip(plan.views, names, strict=True):
        first, *aliases = [m.lower() for m in view.methods]
        body.append(cst.parse_statement(f"{first} = staticmethod({name})"))
        body += [cst.parse_statement(f"{alias} = {first}") for alias in aliases]
    blank = [cst.EmptyLine(indent=False)] * (2 if plan.top_level else 1)
    return _class_def(function, plan, body).with_changes(leading_lines=blank)


def _reindent_overflows(function: cst.FunctionDef, class_def: cst.ClassDef, column: int, line_length: int) -> bool:
    """Does a line within ``line_length`` in the view end up past it once it is a method?"""
    before = {line.strip() for line in code_of(function).splitlines() if column + len(line) <= line_length}
    return any(column + len(line) > line_length and line.strip() in before for line in code_of(class_def).splitlines())


def _class_def(function: cst.FunctionDef, plan: Plan, methods: list[cst.BaseStatement]) -> cst.ClassDef:
    route_ids = {id(rule.decorator) for rule in plan.rules}
    wrapping = [d for d in function.decorators if id(d) not in route_ids]
    body: list[cst.BaseStatement] = []
    if wrapping:
        listed = [code_of(d.decorator) for d in reversed(wrapping)]
        # Written at the class body's depth, so that the wrapping fits where it lands.
        indent = "    " if plan.top_level else "        "
        code = bracketed("decorators = [", listed, "]", indent=indent, collection=True)
        body.append(cst.parse_statement(textwrap.dedent(code)))
    if body and methods and isinstance(methods[0], cst.FunctionDef):
        methods = [methods[0].with_changes(leading_lines=[cst.EmptyLine(indent=False)]), *methods[1:]]
    return cst.ClassDef(
        name=cst.Name(class_name(function.name.value)),
        body=cst.IndentedBlock(body=[*body, *methods]),
        bases=[cst.Arg(cst.Name("MethodView"))],
        leading_lines=function.leading_lines,
    )


def _bound(function: cst.FunctionDef, plan: Plan, class_def: cst.ClassDef) -> list[cst.BaseStatement]:
    """The class, the module-level name bound to its view function, and one registration per route rule."""
    name = function.name.value
    blank = [cst.EmptyLine(indent=False)] * (2 if plan.top_level else 1)
    quote = _quote(plan.rules[0])
    bound = cst.parse_statement(f"{name} = {class_name(name)}.as_view({quote}{name}{quote})")
    # Route decorators run innermost first: so do the registrations.
    indent = "" if plan.top_level else "    "
    registrations = [_registration(rule, name, quote, indent) for rule in reversed(plan.rules)]
    bound = bound.with_changes(leading_lines=blank)
    return [class_def, bound, *registrations]


def _quote(rule: Rule) -> str:
    """The quote the module writes its URL rules with."""
    first = rule.call.args[0].value if rule.call.args else None
    return first.quote if isinstance(first, cst.SimpleString) and len(first.quote) == 1 else '"'


def _registration(rule: Rule, view: str, quote: str, indent: str) -> cst.SimpleStatementLine:
    """``owner.add_url_rule(rule, view_func=view, <the rule's options>)``."""
    func = rule.call.func
    assert isinstance(func, cst.Attribute)
    args = [arg.with_changes(comma=cst.MaybeSentinel.DEFAULT) for arg in rule.call.args]
    at = next((i + 1 for i, arg in enumerate(args) if arg.keyword is None), 0)
    args.insert(at, cst.Arg(cst.Name(view), keyword=cst.Name("view_func"), equal=_EQUAL))
    if rule.methods_index is None:
        listed = ", ".join(f"{quote}{method}{quote}" for method in rule.methods)
        args.append(cst.Arg(cst.parse_expression(f"[{listed}]"), keyword=cst.Name("methods"), equal=_EQUAL))
    head = f"{code_of(func.with_changes(attr=cst.Name('add_url_rule')))}("
    code = bracketed(head, [code_of(arg).rstrip(", ") for arg in args], ")", indent=indent)
    statement = cst.parse_statement(textwrap.dedent(code))
    assert isinstance(statement, cst.SimpleStatementLine)
    return statement


_EQUAL = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


def _with_self(params: cst.Parameters) -> cst.Parameters:
    self_param = cst.Param(cst.Name("self"))
    if params.posonly_params:
        return params.with_changes(posonly_params=[self_param, *params.posonly_params])
    return params.with_changes(params=[self_param, *params.params])
