"""Reading a log call's message into its literal text and the values it interpolated.

``MessageReader.read`` recognises every message shape the codemod rewrites (a plain
literal, an f-string, ``%``-format with the call's arguments or eagerly with ``%``,
``str.format``, a ``+`` concatenation, a bare value) and refuses the others with a
:class:`Refused`; the printf and ``str.format`` templates are parsed in ``templates.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from flaskmod.codemods.core.bindings import dotted_name
from flaskmod.codemods.core.refusal import Refused
from flaskmod.codemods.structlog_logging.message import (
    Field,
    Message,
    fstring_parts,
    is_pure,
    plus_operands,
    string_value,
)
from flaskmod.codemods.structlog_logging.templates import format_parts, percent_parts

# The qualified names a node may refer to (`builtins.str`, `logging.getLogger`).
Qualify = Callable[[cst.CSTNode], set[str]]


class MessageReader:
    """Reads the message of a log call; ``qualify`` resolves `str()` and `repr()` through imports."""

    def __init__(self, qualify: Qualify) -> None:
        self.qualify = qualify

    def read(self, node: cst.BaseExpression, args: list[cst.BaseExpression]) -> Message | None:
        """The message's parts; None for a plain literal kept as it is."""
        if args:
            literal = string_value(node)
            if literal is None:
                raise Refused(
                    "the message is not a literal, so its placeholders cannot be matched to its arguments",
                    "message-not-literal",
                )
            return percent_parts(literal[0], literal[1], args)
        if string_value(node) is not None:
            return None
        fstring = fstring_parts(node)
        if fstring is not None:
            return fstring
        formatted = self._format_call(node) or self._percent_operation(node)
        if formatted is not None:
            return formatted
        operands = plus_operands(node)
        if len(operands) > 1:
            return self._concatenation(operands)
        return self._bare_value(node)

    def _format_call(self, node: cst.BaseExpression) -> Message | None:
        """`"...".format(...)`; None for any other shape."""
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "format":
            literal = string_value(node.func.value)
            if literal is not None:
                return format_parts(literal[0], literal[1], node)
        return None

    def _percent_operation(self, node: cst.BaseExpression) -> Message | None:
        """`"..." % x`, formatted before the call; None for any other shape."""
        if not (isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo)):
            return None
        literal = string_value(node.left)
        if literal is None:
            return None
        right = node.right
        if isinstance(right, cst.Tuple) and any(isinstance(e, cst.StarredElement) for e in right.elements):
            raise Refused("a `%` message formatted with `*args`", "star-args")
        values = [e.value for e in right.elements] if isinstance(right, cst.Tuple) else [right]
        if "%(" in literal[0] and not isinstance(right, cst.Dict):
            raise Refused("a `%(name)s` message whose mapping is not a dict literal", "mapping-not-literal")
        return percent_parts(literal[0], literal[1], values)

    def _concatenation(self, operands: list[cst.BaseExpression]) -> Message:
        """`"text " + str(x) + f"..."`: the literal operands are text, the others values."""
        if not any(fstring_parts(o) is not None for o in operands):
            raise Refused("the message is not a literal", "message-not-literal")
        message = Message([])
        quote = None
        for operand in operands:
            parts = fstring_parts(operand)
            if parts is None:
                message.parts.append(self._unwrapped_field(operand))
            else:
                quote = quote or parts.quote
                message.parts += parts.parts
        message.quote = quote or '"'
        return message

    def _bare_value(self, node: cst.BaseExpression) -> Message:
        """`logger.exception(e)`: a value logged on its own."""
        bare = self._unwrapped_field(node)
        last = dotted_name(bare.value)
        if last is not None and last.rsplit(".", 1)[-1].isupper():
            # `LOGMSG_ERR_SEC_ADD_ROLE`: a message kept in a constant, not a value.
            raise Refused("the message is a constant", "message-constant")
        if is_pure(bare.value):
            return Message([bare])
        raise Refused("the message is not a literal", "message-not-literal")

    def _unwrapped_field(self, node: cst.BaseExpression) -> Field:
        """`str(x)` and `repr(x)` were there for `+`; the value is `x`."""
        if isinstance(node, cst.Call) and len(node.args) == 1 and not node.args[0].keyword and not node.args[0].star:
            called = self.qualify(node.func)
            if called == {"builtins.str"}:
                return Field(node.args[0].value)
            if called == {"builtins.repr"}:
                return Field(node.args[0].value, dropped="repr()")
        return Field(node)
