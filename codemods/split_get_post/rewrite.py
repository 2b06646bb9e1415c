"""Writing a planned split: the views with their route decorators, which take the original function's place."""

from __future__ import annotations

import libcst as cst

from flaskmod.codemods.core.flask import ROUTE_SHORTCUT_METHODS
from flaskmod.codemods.split_get_post import limits
from flaskmod.codemods.split_get_post.nodes import string_value
from flaskmod.codemods.split_get_post.plan import Plan, Rule


def build_views(function: cst.FunctionDef, plan: Plan, route_style: str) -> list[cst.BaseStatement]:
    """The functions that take the place of ``function``: one per view, each with its own route decorators."""
    name = function.name.value
    result: list[cst.BaseStatement] = []
    all_methods = [m for view in plan.views for m in view.methods]
    for index, view in enumerate(plan.views):
        suffix = view.name[len(name) :]
        decorators: list[cst.Decorator] = []
        rules = {id(rule.decorator): rule for rule in plan.rules}
        for decorator in function.decorators:
            rule = rules.get(id(decorator))
            if rule is None:
                if limits.applies(decorator, view.methods, all_methods):
                    decorators.append(decorator)
                continue
            kept = [m for m in rule.methods if m in view.methods]
            if kept:
                decorators.append(route_decorator(rule, kept, suffix if index else "", route_style))
        changes: dict[str, object] = {"decorators": decorators, "body": view.body}
        if index:
            blank_lines = 2 if plan.top_level else 1
            changes.update(name=cst.Name(view.name), leading_lines=[cst.EmptyLine(indent=False)] * blank_lines)
        result.append(function.with_changes(**changes))
    return result


def route_decorator(rule: Rule, methods: list[str], endpoint_suffix: str, route_style: str) -> cst.Decorator:
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
        if route_style == "shortcut" and len(set(methods)) == 1 and methods[0] in ROUTE_SHORTCUT_METHODS:
            func = func.with_changes(attr=cst.Name(methods[0].lower()))
            args = _without(args, rule.methods_index)
        else:
            methods_arg = args[rule.methods_index]
            args[rule.methods_index] = methods_arg.with_changes(value=_filter_methods(methods_arg.value, methods))
    elif not endpoint_suffix or rule.endpoint_index is None:
        return rule.decorator
    return rule.decorator.with_changes(decorator=call.with_changes(func=func, args=args))


def _filter_methods(node: cst.BaseExpression, keep: list[str]) -> cst.BaseExpression:
    """The methods literal with only ``keep``, in its own spelling, quotes and container."""
    assert isinstance(node, (cst.List, cst.Tuple, cst.Set))
    elements = list(node.elements)
    kept = [e for e in elements if isinstance(e, cst.Element) and (string_value(e.value) or "").upper() in keep]
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
