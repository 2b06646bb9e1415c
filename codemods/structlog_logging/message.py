"""A message's parts (its literal text and the values it interpolated), and reading literals and f-strings."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

import libcst as cst

from flaskmod.codemods.core.refusal import Refused
from flaskmod.codemods.core.syntax import code_of


@dataclass
class Field:
    """A value the old message interpolated: it becomes a keyword argument."""

    value: cst.BaseExpression
    hint: str | None = None  # a name the author gave it (format keyword, mapping key)
    dropped: str | None = None  # what formatting is lost, for a finding
    # How the old message wrote it (`%s`, `{}`), for an event kept as the message's text; "" when not shown.
    placeholder: str = "%s"
    # The message's meaningful words before it, nearest first (`user` in `Deleted user %s`).
    labels: list[str] = field(default_factory=list)


@dataclass
class Message:
    parts: list[str | Field]
    quote: str = '"'
    findings: list[str] = field(default_factory=list)


def string_value(node: cst.BaseExpression) -> tuple[str, str] | None:
    """The text and quote of a plain str literal (implicit concatenation included)."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return (value, node.quote[0]) if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left, right = string_value(node.left), string_value(node.right)
        if left is None or right is None:
            return None
        return left[0] + right[0], left[1]
    return None


def fstring_parts(node: cst.BaseExpression) -> Message | None:
    """The parts of an f-string (or an implicit concatenation holding one)."""
    if isinstance(node, cst.ConcatenatedString):
        left, right = fstring_parts(node.left), fstring_parts(node.right)
        if left is None or right is None:
            return None
        return Message([*left.parts, *right.parts], left.quote, left.findings + right.findings)
    plain = string_value(node)
    if plain is not None:
        return Message([plain[0]], plain[1])
    if not isinstance(node, cst.FormattedString):
        return None
    message = Message([], node.end[0])
    for part in node.parts:
        if isinstance(part, cst.FormattedStringText):
            message.parts.append(_fstring_text(node, part))
            continue
        assert isinstance(part, cst.FormattedStringExpression)
        dropped = []
        if part.conversion is not None and part.conversion != "s":
            dropped.append(f"!{part.conversion}")
        if part.format_spec:
            dropped.append(":" + "".join(code_of(p) for p in part.format_spec))
        message.parts.append(Field(part.expression, dropped=" ".join(dropped) or None))
    return message


def _fstring_text(node: cst.FormattedString, part: cst.FormattedStringText) -> str:
    """The text a literal part of an f-string stands for (escapes and doubled braces read)."""
    text = part.value
    if "r" not in node.prefix.lower():
        try:
            text = ast.literal_eval(f"{node.end}{text}{node.end}")
        except (SyntaxError, ValueError):
            raise Refused("an f-string with escapes this codemod does not read", "fstring-escapes") from None
    return text.replace("{{", "{").replace("}}", "}")


_LABEL = re.compile(r"(?P<label>[A-Za-z_][\w.]*)\s*[=:]\s*['\"(\[<]?$")


# Words that say nothing about the value after them.
_FILLER = frozenset(
    {"a", "an", "the", "id", "with", "for", "from", "of", "to", "in", "into", "at", "by", "on", "as", "and", "or"}
)


def label_hints(message: Message) -> Message:
    """`q={query}`, `id: %s`: the author named the value just before it; a hint for its key.

    Each value also gets the meaningful words before it, nearest first (``labels``), for a
    key that would otherwise be reserved or taken (`Deleted user %s` with `name` ->
    `user_name`; `Updating user name (%r -> %r)` with `name` -> `user_name`).
    """
    text_before = ""
    for before, part in zip(message.parts, message.parts[1:], strict=False):
        if isinstance(before, str):
            text_before += before
        if isinstance(part, Field) and isinstance(before, str):
            match = _LABEL.search(before)
            if match and part.hint is None:
                part.hint = match.group("label").rsplit(".", 1)[-1].lower()
        if isinstance(part, Field):
            words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", text_before)[-3:]]
            part.labels = [w for w in reversed(words) if w not in _FILLER]
    return message


def plus_operands(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add) and not node.lpar:
        return [*plus_operands(node.left), node.right]
    return [node]


def is_pure(node: cst.BaseExpression) -> bool:
    """Evaluating it twice, or once, makes no difference (names, attributes, literal subscripts)."""
    if isinstance(node, cst.Name):
        return True
    if isinstance(node, cst.Attribute):
        return is_pure(node.value)
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        index = node.slice[0].slice.value
        return is_pure(node.value) and isinstance(index, (cst.SimpleString, cst.Integer, cst.Name))
    return False
