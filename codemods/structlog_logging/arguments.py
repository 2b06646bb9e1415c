"""The keyword arguments of one structlog event, and their layout in the rewritten call.

``EventKeys`` gives every interpolated value and every `extra=` item its key, once per
value and never twice the same key; ``laid_out`` keeps the old call's commas and line
breaks around the new arguments.
"""

from __future__ import annotations

import keyword
from collections.abc import Sequence

import libcst as cst

from flaskmod.codemods.core.metadata import Metadata
from flaskmod.codemods.core.syntax import code_of
from flaskmod.codemods.structlog_logging.message import Field, is_pure, string_value
from flaskmod.codemods.structlog_logging.naming import KeyNamer, identifier, safe_key
from flaskmod.codemods.structlog_logging.vocabulary import KEPT_KEYWORDS, RESERVED_KEYS


class EventKeys:
    """The keys of one event as they are given out; findings about them go to ``findings``."""

    def __init__(self, metadata: Metadata, namer: KeyNamer, findings: list[str]) -> None:
        self.metadata = metadata
        self.namer = namer
        self.findings = findings
        self.taken: set[str] = set()
        # The key of a value already logged: by its code for a pure expression, by `#id` for an argument node.
        self.pure_keys: dict[str, str] = {}
        # The key each message field is logged under, for an event that keeps the message's text.
        self.field_keys: dict[int, str] = {}

    def field_args(self, part: Field) -> list[cst.Arg]:
        """The keyword argument of one interpolated value; none when the value is logged already."""
        value = part.value
        code = code_of(value)
        logged = self.pure_keys.get(f"#{id(value)}") or (self.pure_keys.get(code) if is_pure(value) else None)
        if logged is not None:
            self.field_keys[id(part)] = logged
            return []  # the same value twice (`{0} {0}`, `{x} {x}`, a pure expression repeated): one key
        derived = self.namer.key_for(value)
        hint = identifier(part.hint) if part.hint else None
        if hint and (derived is None or derived in RESERVED_KEYS or keyword.iskeyword(derived)):
            derived = hint  # `table=%s` with `name`: `table` reads better than `name_`
        key = self._readable_key(derived, part)
        self.taken.add(key)
        self.field_keys[id(part)] = key
        self.pure_keys[f"#{id(value)}"] = key  # one argument node is evaluated once, however often it is shown
        if is_pure(value):
            self.pure_keys[code] = key
        if part.dropped:
            self.findings.append(f"the format `{part.dropped}` of `{code}` is dropped: `{key}` is logged as it is")
        return [keyword_arg(key, value)]

    def _readable_key(self, derived: str | None, part: Field) -> str:
        """A key free of reserved words and of the keys taken, from the value or the message's own words.

        `name` after `Deleted user` is `user_name`; a `_` or a number is the last resort.
        """
        labels = [label for label in map(identifier, part.labels) if label]
        hint = identifier(part.hint) if part.hint else None
        candidates = [derived] if derived else [*labels[:1], hint]
        if derived:
            candidates += [f"{word}_{derived}" for word in labels if word != derived and not derived.startswith(word)]
        for candidate in candidates:
            if candidate and _free(candidate, self.taken):
                return candidate
        return safe_key(next((c for c in candidates if c), "value"), self.taken)

    def extra_args(self, value: cst.BaseExpression) -> list[cst.Arg]:
        """`extra={...}`: its items as keys; unpacked or kept as one key when its items are unknown."""
        if isinstance(value, cst.Name) and value.value == "None":
            return []
        items = self._extra_items(value)
        if items is None:
            return self._unknown_extra(value)
        args: list[cst.Arg] = []
        for raw, item in items:
            if is_pure(item) and code_of(item) in self.pure_keys and self.pure_keys[code_of(item)] == raw:
                continue
            base = identifier(raw) or "value"
            key = safe_key(base, self.taken)
            if key != raw:
                self.findings.append(f"the `extra` key `{raw}` is logged as `{key}`")
            self.taken.add(key)
            args.append(keyword_arg(key, item))
        return args

    def _extra_items(self, value: cst.BaseExpression) -> list[tuple[str, cst.BaseExpression]] | None:
        """The items of a dict literal with literal keys, or of `dict(key=...)`; None for anything else."""
        if isinstance(value, cst.Dict):
            items: list[tuple[str, cst.BaseExpression]] = []
            for element in value.elements:
                key = string_value(element.key) if isinstance(element, cst.DictElement) else None
                if key is None:
                    return None
                items.append((key[0], element.value))
            return items
        if (
            isinstance(value, cst.Call)
            and self.metadata.qualified(value.func) == {"builtins.dict"}
            and all(a.keyword is not None and not a.star for a in value.args)
        ):
            return [(a.keyword.value, a.value) for a in value.args if a.keyword is not None]
        return None

    def _unknown_extra(self, value: cst.BaseExpression) -> list[cst.Arg]:
        if self.taken - KEPT_KEYWORDS:
            # Its keys are unknown here: unpacked next to other keys, one could repeat a key (TypeError).
            self.findings.append(
                f"`extra={code_of(value)}` is logged as one key, `extra`: its keys cannot be checked against "
                f"the message's ({', '.join(sorted(self.taken - KEPT_KEYWORDS))})"
            )
            return [keyword_arg("extra", value)]
        if self.metadata.is_dict(value):
            return [cst.Arg(value, star="**")]
        self.findings.append(
            f"`extra={code_of(value)}` is unpacked as keys (`or {{}}` keeps a None working); "
            "a key named `event` in it would raise"
        )
        unpacked = cst.BooleanOperation(value, cst.Or(), cst.Dict([]), lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return [cst.Arg(unpacked, star="**")]


def _free(key: str, taken: set[str]) -> bool:
    return not keyword.iskeyword(key) and key not in RESERVED_KEYS and key not in taken


def keyword_arg(key: str, value: cst.BaseExpression) -> cst.Arg:
    """`key=value`, the value parenthesized where a bare one would not parse."""
    if isinstance(value, (cst.Tuple, cst.NamedExpr, cst.Yield)) and not value.lpar:
        value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return cst.Arg(
        value=value,
        keyword=cst.Name(key),
        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )


def laid_out(new: list[tuple[cst.Arg, int]], old: Sequence[cst.Arg]) -> list[cst.Arg]:
    """The new arguments, keeping the old commas and line breaks between arguments of different origins.

    Arguments made from one old argument (the event and the keys of an f-string) are
    separated by ``, ``; where the origin changes, the comma that followed the old
    argument is reused, so a call laid out over several lines keeps its breaks.
    """
    default_comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    result: list[cst.Arg] = []
    for index, (arg, source) in enumerate(new):
        if index == len(new) - 1:
            comma: cst.Comma | cst.MaybeSentinel = old[-1].comma if old else cst.MaybeSentinel.DEFAULT
            after: cst.BaseParenthesizableWhitespace = old[-1].whitespace_after_arg if old else cst.SimpleWhitespace("")
        elif new[index + 1][1] != source and isinstance(old[source].comma, cst.Comma):
            comma, after = old[source].comma, old[source].whitespace_after_arg
        else:
            comma, after = default_comma, cst.SimpleWhitespace("")
        result.append(arg.with_changes(comma=comma, whitespace_after_arg=after))
    return result
