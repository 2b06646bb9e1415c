"""What a split changes that the module's own code may depend on: findings on the view and on its module.

The project-wide counterpart, over other files and templates, is ``project_scan``.
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.flask import FlaskRoutes, decorator_callee
from flaskmod.codemods.core.syntax import code_of
from flaskmod.codemods.split_get_post import limits
from flaskmod.codemods.split_get_post.nodes import anchor, short, string_value
from flaskmod.codemods.split_get_post.plan import UNKNOWN, Plan
from flaskmod.codemods.split_get_post.survey import Survey

# A decorator spelled with one of these keeps per-view state (a counter, a cache entry):
# copied to two views it keeps two.
_PER_VIEW_STATE_WORDS = ("limit", "throttle", "cache")

# (old endpoint, new endpoint, its methods, the plan), blueprint prefixes included.
_Move = tuple[str, str, str, Plan]


def full_endpoint(endpoint: str, plan: Plan) -> str:
    """The endpoint as Flask names it: with the blueprint's name in front, when it is known."""
    return f"{plan.blueprint}.{endpoint}" if plan.blueprint else endpoint


def describe(function: cst.FunctionDef, plan: Plan) -> str:
    """The unsafe change, as listed for review."""
    if plan.style == "methodview":
        methods = ", ".join("/".join(m.lower() for m in v.methods) for v in plan.views)
        endpoints = ", ".join(f"`{full_endpoint(old, plan)}`" for old in plan.old_endpoints)
        return (
            f"split `{function.name.value}` into a MethodView ({methods}) registered under its endpoint "
            f"{endpoints}, so code keyed on the endpoint matches the same requests"
            + (f" (kept because {plan.kept_because})" if plan.kept_because else "")
        )
    views = ", ".join(f"`{v.name}` ({'/'.join(v.methods)})" for v in plan.views)
    moved = ", ".join(
        f"{methods} `{full_endpoint(old, plan)}` -> `{full_endpoint(new, plan)}`"
        for old, new, methods in plan.endpoints
    )
    return (
        f"split `{function.name.value}` into {views}: requests move to new endpoints ({moved}), so code keyed "
        "on the old endpoint (request.endpoint, before_request checks, exemptions, login_view) misses them"
    )


def report_view(codemod: Codemod, function: cst.FunctionDef, plan: Plan) -> None:
    """Findings on the view itself: what HEAD requests ran before, decorators that keep state per view."""
    if plan.head_code != plan.views[0].code:
        took = next((v for v in plan.views if v.code == plan.head_code), None)
        if took is not None:
            before = f"took the {'/'.join(took.methods)} path"
        elif plan.head_code == UNKNOWN:
            before = "may have taken another path than GET"
        else:
            before = "took a path of their own"
        codemod.add_finding(
            anchor(function),
            f"HEAD requests ran `{function.name.value}` with `request.method == 'HEAD'` and {before}; "
            "after the split the GET view serves them, as Flask intends",
        )
    for view in plan.views:
        if view.calls_kept:
            calls = ", ".join(f"`{short(code)}`" for code in view.calls_kept)
            codemod.add_finding(
                anchor(function),
                f"the {'/'.join(view.methods)} view no longer uses the value of {calls}: the call stays, as it "
                "may guard or change something (a 404 check, flashed messages); only a call that does neither "
                "can go",
            )
    if plan.style == "methodview":
        return  # one view, wrapped once: state per view stays shared
    for decorator in function.decorators:
        if any(rule.decorator is decorator for rule in plan.rules) or not _shared_state_splits(decorator, plan):
            continue
        spelled = code_of(decorator_callee(decorator))
        if any(word in spelled.lower() for word in _PER_VIEW_STATE_WORDS):
            codemod.add_finding(
                decorator,
                f"`@{spelled}` is copied to both views: if it keeps state per view (a rate-limit count, "
                "a cache entry), GET and POST no longer share it",
            )


def _shared_state_splits(decorator: cst.Decorator, plan: Plan) -> bool:
    """Would GET and POST stop sharing the decorator's state: is it on two views, one count for every method?"""
    all_methods = [m for view in plan.views for m in view.methods]
    on_views = sum(limits.applies(decorator, view.methods, all_methods) for view in plan.views)
    return on_views > 1 and not (limits.is_limit(decorator) and limits.counts_per_method(decorator))


def report_endpoint_uses(codemod: Codemod, plans: Mapping[int, Plan], survey: Survey, routes: FlaskRoutes) -> None:
    """Findings on the places of the module that name a moved endpoint or read the endpoint."""
    moved = [
        (full_endpoint(old, p), full_endpoint(new, p), m, p) for p in plans.values() for old, new, m in p.endpoints
    ]
    named: set[int] = set()
    for string, keyed in survey.strings:
        value = string_value(string)
        if value is None:
            continue
        move = _move_named(value, keyed, moved)
        if move is not None:
            _, new, methods, _ = move
            codemod.add_finding(
                string, f"`{value}` names a split view's endpoint: its {methods} requests now reach `{new}`"
            )
            named.add(codemod.line_of(string))
    summary = ", ".join(f"`{new}` ({methods})" for _, new, methods, _ in moved)
    for node, what, functions in survey.endpoint_uses:
        if functions and routes.is_view(functions[-1]) and id(functions[-1]) not in plans:
            continue  # inside a view that is not split: it only ever sees its own endpoint
        if codemod.line_of(node) not in named:
            codemod.add_finding(node, f"{what}: split views now serve requests under new endpoints {summary}")


def _move_named(value: str, keyed: bool, moved: list[_Move]) -> _Move | None:
    """The first move whose old endpoint the string literal ``value`` names, if any."""
    return next((move for move in moved if _names(value, keyed, move[0], move[3])), None)


def names_moved_endpoint(value: str, keyed: bool, plan: Plan) -> bool:
    """Does the string literal ``value`` name one of the endpoints the plan's view had before the split?"""
    return any(_names(value, keyed, full_endpoint(old, plan), plan) for old in plan.old_endpoints)


def _names(value: str, keyed: bool, old: str, plan: Plan) -> bool:
    bare = old.rsplit(".", 1)[-1]
    if "." in value:  # distinctive: flagged wherever it is
        unknown_owner = plan.blueprint is None and not plan.on_app
        return value == old or (unknown_owner and value.endswith("." + bare))
    # an app view's bare name: only where it is used as a key
    return plan.on_app and keyed and value == bare
