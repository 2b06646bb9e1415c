"""Which ``return`` statements are error responses, and of what shape."""

from __future__ import annotations

import libcst as cst

from flaskmod.codemods.core.flask import JSONIFY_FUNCTIONS, MAKE_RESPONSE_FUNCTIONS, RESPONSE_CLASSES
from flaskmod.codemods.unify_aborts.expressions import is_string, single_key_dict
from flaskmod.codemods.unify_aborts.model import ErrorReturn
from flaskmod.codemods.unify_aborts.names import Names

# A response's parts: (body, status, sets headers, the style when the wrapper names it).
_Parts = tuple[cst.BaseExpression, cst.BaseExpression, bool, "str | None"]
# A ``{key: <str>}`` JSON body: (style, key node, key, message).
JsonShape = tuple[str, "cst.BaseExpression | None", str, cst.BaseExpression]


class ErrorReturnReader:
    """Reads ``return body, status[, headers]``, ``make_response(...)`` and ``Response(...)`` returns."""

    def __init__(self, names: Names) -> None:
        self.names = names

    def read(self, node: cst.Return) -> ErrorReturn | None:
        """The error response ``node`` returns (a status of 400 or more), or None."""
        value = node.value
        if isinstance(value, cst.Tuple):
            parts = _tuple_parts(value)
        elif isinstance(value, cst.Call):
            qualified = self.names.qualified(value.func)
            positional = [a.value for a in value.args if a.keyword is None and not a.star]
            if qualified & MAKE_RESPONSE_FUNCTIONS and len(positional) in (2, 3) and len(positional) == len(value.args):
                parts = (positional[0], positional[1], len(positional) == 3, "make_response return")
            elif qualified & RESPONSE_CLASSES:
                return self._response_class_return(node, value, positional)
            else:
                return None
        else:
            return None
        if parts is None:
            return None
        body, status_node, headers, kind = parts
        status = self.names.status(status_node)
        if status is None or status < 400:
            return None
        return self._classified(node, body, status, headers, kind)

    def _response_class_return(
        self, node: cst.Return, value: cst.Call, positional: list[cst.BaseExpression]
    ) -> ErrorReturn | None:
        """``return Response(body, status)`` or ``Response(..., status=...)`` with an error status."""
        status_arg = next((a for a in value.args if a.keyword is not None and a.keyword.value == "status"), None)
        if status_arg is None and len(positional) > 1:
            status_arg = value.args[1]
        status = self.names.status(status_arg.value) if status_arg is not None else None
        if status is None or status < 400:
            return None
        return ErrorReturn(node, "Response return", status)

    def _classified(
        self, node: cst.Return, body: cst.BaseExpression, status: int, headers: bool, kind: str | None
    ) -> ErrorReturn | None:
        """The error return of this body, its style named by ``kind`` or else by the body."""
        shape = self.json_shape(body)
        if shape is not None:
            body_kind, key_node, key, message = shape
            return ErrorReturn(node, kind or body_kind, status, headers, key, key_node, message)
        if isinstance(body, cst.Call):
            qualified = self.names.qualified(body.func)
            if qualified & JSONIFY_FUNCTIONS:
                return ErrorReturn(node, kind or "jsonify return", status, headers)
            if qualified & RESPONSE_CLASSES:
                return ErrorReturn(node, kind or "Response return", status, headers)
            return None
        if isinstance(body, cst.Dict):
            return ErrorReturn(node, kind or "dict return", status, headers)
        if isinstance(body, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            return ErrorReturn(node, kind or "text return", status, headers)
        return None

    def json_shape(self, body: cst.BaseExpression) -> JsonShape | None:
        """(kind, key node, key, message) for a ``{key: <str>}`` JSON body."""
        if isinstance(body, cst.Dict):
            return single_key_dict(body, "dict return")
        if not (isinstance(body, cst.Call) and self.names.qualified(body.func) & JSONIFY_FUNCTIONS):
            return None
        if len(body.args) != 1 or body.args[0].star:
            return None
        argument = body.args[0]
        if argument.keyword is not None:
            if not is_string(argument.value):
                return None
            return "jsonify return", None, argument.keyword.value, argument.value
        if isinstance(argument.value, cst.Dict):
            return single_key_dict(argument.value, "jsonify return")
        return None


def _tuple_parts(value: cst.Tuple) -> _Parts | None:
    """``body, status`` or ``body, status, headers``; None for any other tuple."""
    elements = value.elements
    if len(elements) not in (2, 3) or any(isinstance(e, cst.StarredElement) for e in elements):
        return None
    return elements[0].value, elements[1].value, len(elements) == 3, None
