"""The two template languages of a log message: printf-style `%` and `str.format`.

Each turns a template and its arguments into a :class:`Message`, matching every
placeholder to its argument exactly as Python would, or refuses with a :class:`Refused`
when that cannot be proved. Arguments a template does not use were still evaluated:
they become keys too.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence

import libcst as cst

from flaskmod.codemods.core.refusal import Refused
from flaskmod.codemods.structlog_logging.message import Field, Message, string_value

# printf-style conversion, as `str.__mod__` parses it.
_PERCENT = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?(?P<flags>[#0\- +]*)(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?[hlL]?"
    r"(?P<type>[diouxXeEfFgGcrsa%])"
)
_PLAIN_PERCENT_TYPES = frozenset("sdiu")

_MAPPING_NOT_LITERAL = "a `%(name)s` message whose mapping is not a dict literal"


# -- printf-style ------------------------------------------------------------------


def percent_parts(text: str, quote: str, args: Sequence[cst.BaseExpression]) -> Message:
    """A printf-style template and its arguments (a tuple's items, or one mapping)."""
    return _PercentTemplate(text, quote, args, _percent_mapping(text, args)).read()


def _percent_mapping(text: str, args: Sequence[cst.BaseExpression]) -> dict[str, cst.BaseExpression] | None:
    """The mapping of a `%(name)s` template given one dict literal; None for positional arguments."""
    if not (len(args) == 1 and isinstance(args[0], cst.Dict) and "%(" in text):
        return None
    mapping: dict[str, cst.BaseExpression] = {}
    for element in args[0].elements:
        key = string_value(element.key) if isinstance(element, cst.DictElement) else None
        if key is None:
            raise Refused("the mapping of a `%(name)s` message has keys that are not literals", "mapping-keys")
        mapping[key[0]] = element.value
    return mapping


class _PercentTemplate:
    """One pass over a printf-style template, left to right, as `str.__mod__` makes it."""

    def __init__(
        self,
        text: str,
        quote: str,
        args: Sequence[cst.BaseExpression],
        mapping: dict[str, cst.BaseExpression] | None,
    ) -> None:
        self.text = text
        self.mapping = mapping
        self.message = Message([], quote)
        self.remaining = list(args)  # positional arguments no placeholder took yet
        self.literal: list[str] = []  # text since the last placeholder

    def read(self) -> Message:
        position = 0
        while position < len(self.text):
            index = self.text.find("%", position)
            if index < 0:
                self.literal.append(self.text[position:])
                break
            self.literal.append(self.text[position:index])
            position = self._conversion(index)
        self.message.parts.append("".join(self.literal))
        self._unused_arguments()
        return self.message

    def _conversion(self, index: int) -> int:
        """Reads the `%` conversion at ``index``; returns where the text goes on."""
        match = _PERCENT.match(self.text, index)
        if match is None:
            # str.__mod__ would raise here; stdlib logging reported it and went on.
            self.message.findings.append(
                f"`{self.text[index : index + 2]}` is not a valid placeholder; it is kept as text"
            )
            self.literal.append("%")
            return index + 1
        if match.group("type") == "%":
            self.literal.append("%")
            return match.end()
        if match.group("width") == "*" or match.group("precision") == "*":
            raise Refused("a `*` width or precision takes its value from the arguments", "star-width")
        self.message.parts.append("".join(self.literal))
        self.literal = []
        self._placeholder(match)
        return match.end()

    def _placeholder(self, match: re.Match[str]) -> None:
        spec = match.group(0)
        plain = match.group("type") in _PLAIN_PERCENT_TYPES and not any(
            match.group(g) for g in ("flags", "width", "precision")
        )
        dropped = None if plain else spec
        key = match.group("key")
        if key is not None:
            self.message.parts.append(self._mapped(key, dropped))
            return
        if self.mapping is not None:
            raise Refused("a message mixing `%s` and `%(name)s` placeholders", "mixed-placeholders")
        if not self.remaining:
            self.message.findings.append(f"`{spec}` has no argument (stdlib logging reported a formatting error here)")
            return
        self.message.parts.append(Field(self.remaining.pop(0), dropped=dropped, placeholder=spec))

    def _mapped(self, key: str, dropped: str | None) -> Field:
        if self.mapping is None:
            raise Refused(_MAPPING_NOT_LITERAL, "mapping-not-literal")
        if key not in self.mapping:
            raise Refused(f"`%({key})s` is missing from the mapping", "mapping-missing-key")
        return Field(self.mapping[key], hint=key, dropped=dropped, placeholder=f"%({key})s")

    def _unused_arguments(self) -> None:
        message = self.message
        if self.mapping is not None:
            # Every value of the mapping was evaluated; the unused ones become keys too.
            placed = {id(p.value) for p in message.parts if isinstance(p, Field)}
            message.parts += [Field(v, hint=k, placeholder="") for k, v in self.mapping.items() if id(v) not in placed]
        elif self.remaining:
            message.findings.append(
                f"{len(self.remaining)} argument(s) had no placeholder (stdlib logging reported a formatting error "
                "here); they are logged as keys"
            )
            message.parts += [Field(v, placeholder="") for v in self.remaining]


# -- str.format --------------------------------------------------------------------


def format_parts(text: str, quote: str, call: cst.Call) -> Message:
    """`"...".format(...)` with positional and keyword arguments."""
    positional, keywords = _format_arguments(call)
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as error:
        raise Refused(f"the `.format()` template is invalid ({error})", "format-invalid") from None
    message = Message([], quote)
    numbering = _FieldNumbering()
    for literal, name, spec, conversion in parsed:
        message.parts.append(literal)
        if name is None:
            continue
        if spec and "{" in spec:
            raise Refused("a `.format()` field with a nested field in its format spec", "format-nested-spec")
        index = numbering.index_of(name)
        shown = _format_field(name, index, positional, keywords, _dropped_format(conversion, spec))
        shown.placeholder = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        message.parts.append(shown)
    # Unused arguments were evaluated too: they stay, as keys.
    placed = {id(p.value) for p in message.parts if isinstance(p, Field)}
    message.parts += [Field(v, placeholder="") for v in positional if id(v) not in placed]
    message.parts += [Field(v, hint=k, placeholder="") for k, v in keywords.items() if id(v) not in placed]
    return message


def _dropped_format(conversion: str | None, spec: str | None) -> str | None:
    """The conversion and format spec of a field that the logged value loses (`!r :>5`); None when none."""
    dropped = " ".join(
        x for x in (f"!{conversion}" if conversion and conversion != "s" else "", spec and f":{spec}") if x
    )
    return dropped or None


def _format_arguments(call: cst.Call) -> tuple[list[cst.BaseExpression], dict[str, cst.BaseExpression]]:
    positional: list[cst.BaseExpression] = []
    keywords: dict[str, cst.BaseExpression] = {}
    for arg in call.args:
        if arg.star:
            raise Refused("`.format()` with `*args` or `**kwargs`", "star-args")
        if arg.keyword is None:
            positional.append(arg.value)
        else:
            keywords[arg.keyword.value] = arg.value
    return positional, keywords


class _FieldNumbering:
    """Which argument each field of a template takes: `{}` counts up, `{0}` and `{name}` say it."""

    def __init__(self) -> None:
        self.automatic = 0
        self.seen_manual = False
        self.seen_auto = False

    def index_of(self, name: str) -> int | str:
        if name == "":
            self.seen_auto = True
            index: int | str = self.automatic
            self.automatic += 1
        elif name.isdigit():
            self.seen_manual = True
            index = int(name)
        elif name.isidentifier():
            index = name
        else:
            raise Refused(f"the `.format()` field `{{{name}}}` reads an attribute or item", "format-field-access")
        if self.seen_auto and self.seen_manual:
            raise Refused("a `.format()` template mixing automatic and numbered fields", "format-mixed-fields")
        return index


def _format_field(
    name: str,
    index: int | str,
    positional: list[cst.BaseExpression],
    keywords: dict[str, cst.BaseExpression],
    dropped: str | None,
) -> Field:
    missing = Refused(f"the `.format()` field `{{{name}}}` has no argument", "format-missing-argument")
    if isinstance(index, int):
        if index >= len(positional):
            raise missing
        return Field(positional[index], dropped=dropped)
    if index not in keywords:
        raise missing
    return Field(keywords[index], hint=index, dropped=dropped)
