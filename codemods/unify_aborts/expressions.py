"""Small syntax helpers: what an expression is, and how new arguments are written."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from flaskmod.codemods.core.bindings import dotted_name
from flaskmod.codemods.core.flask import HTTPErrorClass, decorator_callee
from flaskmod.codemods.unify_aborts.model import HELPER_NAMES


def is_string(node: cst.BaseExpression) -> bool:
    """Is ``node`` certainly a ``str`` (so a JSON string and an exception description)?"""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        return "b" not in _string_prefix(node)
    if isinstance(node, cst.FormattedString):
        return True
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
        return isinstance(node.left, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)) and is_string(
            node.left
        )
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "format":
        return isinstance(node.func.value, (cst.SimpleString, cst.ConcatenatedString)) and is_string(node.func.value)
    return False


def _string_prefix(node: cst.SimpleString | cst.ConcatenatedString) -> str:
    if isinstance(node, cst.ConcatenatedString):
        left = node.left
        return _string_prefix(left) if isinstance(left, (cst.SimpleString, cst.ConcatenatedString)) else ""
    return node.prefix.lower()


def arg(value: cst.BaseExpression, keyword: str | None = None) -> cst.Arg:
    """A call argument, ``keyword=value`` without spaces when a keyword is given."""
    if keyword is None:
        return cst.Arg(value=value)
    return cst.Arg(
        value=value,
        keyword=cst.Name(keyword),
        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )


def with_commas(args: Sequence[cst.Arg]) -> list[cst.Arg]:
    """Separate the arguments with ``, `` where they have no comma yet; the last keeps its own."""
    result = []
    for index, argument in enumerate(args):
        if index < len(args) - 1 and argument.comma is cst.MaybeSentinel.DEFAULT:
            argument = argument.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        result.append(argument)
    return result


def exception_args(args: Sequence[cst.Arg], error: HTTPErrorClass) -> list[cst.Arg]:
    """The exception's arguments, a lone positional message written as ``description=``.

    Only where the class's first parameter is ``description``: 405's is
    ``valid_methods`` and 416's ``length``, and those are kept as they are.
    """
    positional = [a for a in args if a.keyword is None]
    if (
        error.first_param == "description"
        and len(positional) == 1
        and positional[0] is args[0]
        and not positional[0].star
        and not any(a.keyword is not None and a.keyword.value == "description" for a in args)
    ):
        first = args[0]
        return [arg(first.value, "description").with_changes(comma=first.comma), *args[1:]]
    return list(args)


def single_key_dict(node: cst.Dict, kind: str) -> tuple[str, cst.BaseExpression | None, str, cst.BaseExpression] | None:
    """(kind, key node, key, message) for a ``{"key": <str>}`` dict display."""
    if len(node.elements) != 1 or not isinstance(node.elements[0], cst.DictElement):
        return None
    element = node.elements[0]
    if not isinstance(element.key, cst.SimpleString) or not is_string(element.value):
        return None
    key = element.key.evaluated_value
    if not isinstance(key, str):
        return None
    return kind, element.key, key, element.value


def is_abort_lookalike(func: cst.BaseExpression) -> bool:
    """Is the callee spelled ``abort`` or ``<something>.abort``?"""
    return (isinstance(func, cst.Name) and func.value == "abort") or (
        isinstance(func, cst.Attribute) and func.attr.value == "abort"
    )


def helper_name(value: cst.BaseExpression) -> str | None:
    """``bad_request`` for ``return bad_request(...)``: a project helper that builds an error response."""
    if not isinstance(value, cst.Call):
        return None
    name = value.func.attr.value if isinstance(value.func, cst.Attribute) else dotted_name(value.func)
    if name is None:
        return None
    lowered = name.lower()
    if lowered in HELPER_NAMES or lowered.endswith("_error") or lowered.startswith("error_") or "_error_" in lowered:
        return name
    return None


def route_owner(decorator: cst.Decorator) -> str | None:
    """``bp`` for ``@bp.route(...)``: the object a route decorator registers the view on."""
    callee = decorator_callee(decorator)
    return dotted_name(callee.value) if isinstance(callee, cst.Attribute) else None
