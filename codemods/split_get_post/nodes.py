"""Small facts about LibCST nodes that several roles of split-get-post share."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from flaskmod.codemods.core.syntax import iter_functions_with_outer


def string_value(node: cst.BaseExpression) -> str | None:
    """The value of a plain string literal, else None."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def anchor(function: cst.FunctionDef) -> cst.CSTNode:
    """Where a note about a view is shown: its first decorator, else its ``def`` line."""
    return function.decorators[0] if function.decorators else function


def short(code: str) -> str:
    """The first line of ``code``, cut to 60 characters."""
    line = code.strip().splitlines()[0] if code.strip() else code
    return line if len(line) <= 60 else line[:57] + "..."


def unique(items: list[str]) -> list[str]:
    """``items`` without repeats, in their first order."""
    return list(dict.fromkeys(items))


def has_keyword(decorator: cst.Decorator, keyword: str) -> bool:
    """Is ``keyword`` passed (``"**"``: is a mapping unpacked)?"""
    call = decorator.decorator
    if not isinstance(call, cst.Call):
        return False
    return any(a.star == keyword if keyword == "**" else a.keyword and a.keyword.value == keyword for a in call.args)


def calls_add_url_rule(statement: cst.CSTNode) -> bool:
    """Is ``statement`` a line that calls ``<something>.add_url_rule(...)``?"""
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            func = small.value.func
            if isinstance(func, cst.Attribute) and func.attr.value == "add_url_rule":
                return True
    return False


def function_defs(module: cst.Module) -> Iterator[tuple[cst.FunctionDef, bool, bool]]:
    """Every function definition, with whether it sits directly in a class body and directly in the module body.

    The functions are core.syntax's (every block, ``match`` and ``except*`` included), so the
    work sees the views ``should_transform`` saw. "Directly" means not in an ``if`` or other
    block of that body: a view under a module-level ``if`` gets one blank line, not two.
    """
    top = {id(statement) for statement in module.body}
    for function, outer in iter_functions_with_outer(module):
        parent = outer[-1] if outer else None
        in_class = isinstance(parent, cst.ClassDef) and any(s is function for s in parent.body.body)
        yield function, in_class, id(function) in top
