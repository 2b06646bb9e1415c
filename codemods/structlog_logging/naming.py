"""Naming: the static event a message becomes, and the key each interpolated value is logged under.

``KeyNamer.key_for`` reads a key off the expression (`user.id` -> `user_id`,
`len(items)` -> `items_count`); ``safe_key`` keeps it clear of Python keywords, the
names structlog and stdlib logging reserve, and the keys already taken.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Mapping, Sequence

import libcst as cst

from flaskmod.codemods.core.bindings import dotted_name
from flaskmod.codemods.core.syntax import code_of
from flaskmod.codemods.structlog_logging.message import Field, string_value
from flaskmod.codemods.structlog_logging.vocabulary import (
    AGGREGATES,
    CONVERTERS,
    EXCEPTION_NAMES,
    RESERVED_KEYS,
    SELF_NAMES,
    VALUE_METHODS,
)

# Stands for a placeholder while the event's text is tidied.
_HOLE = "\x00"
# A placeholder written after a label and a colon (`code: {}`).
_LABELLED = "\x01"
# A value with its name, `q={query}`: both go, wherever they stand.
_NAMED = "\x02"

# -- events ------------------------------------------------------------------------


# Words that lean on the value after them: left in front of a cut-out value, they dangle.
_ARTICLES = frozenset({"a", "an", "the", "id", "uuid", "#"})
_PREPOSITIONS = frozenset(
    {"with", "for", "from", "of", "to", "in", "into", "at", "by", "on", "as", "via", "per", "and", "or", "than"}
)
# Words that make a preposition of two: `due to`, `according to`.
_LEANING_ON_PREPOSITION = frozenset({"due", "according", "thanks", "prior", "next", "close"})
# A value followed by one of these was in mid-sentence; a label's value (`code: {}`) must end its clause.
_CLAUSE_END = frozenset(".!?;")


def tidy_event(parts: Sequence[str | Field]) -> str:
    """The literal text with the placeholders removed and the punctuation left around them tidied."""
    return _cut(parts)[0]


def event_text(parts: Sequence[str | Field], keys: Mapping[int, str] | None = None) -> str:
    """The event: the tidied text when the cut leaves a clean sentence, else the message's text.

    The message's text shows each value as `{key}`, the key it is logged under, so the
    reader can tell which key filled which gap; a value with no key (an exception whose
    traceback is logged) leaves no gap.
    """
    text, clean = _cut(parts)
    if clean:
        return text
    if keys is None:
        template = "".join(p if isinstance(p, str) else p.placeholder for p in parts)
    else:
        template = "".join(p if isinstance(p, str) else _gap(p, keys) for p in parts)
    return re.sub(r"\s*[,;:]+$", "", re.sub(r"\s+", " ", template).strip())


def _gap(part: Field, keys: Mapping[int, str]) -> str:
    key = keys.get(id(part))
    return "{" + key + "}" if key is not None and part.placeholder else ""


def _cut(parts: Sequence[str | Field]) -> tuple[str, bool]:
    """The tidied text, and whether it reads as a sentence (no word left leaning on a value that went)."""
    text = "".join(p if isinstance(p, str) else (_HOLE if p.placeholder else "") for p in parts)
    values = [code_of(p.value) for p in parts if isinstance(p, Field) and p.placeholder]
    text = re.sub(r"\s*\n\s*", "; ", text.strip())  # lines of one message are its clauses
    text = re.sub(r"\s+", " ", text)
    # A tag in front of the message, `[{id}] Stopping`: it goes, the sentence stays whole.
    text, tags = re.subn(r"^\s*[\[(<]" + _HOLE + r"[\])>]:?\s*", "", text)
    del values[:tags]
    # Quotes and brackets around a value: `'{name}'`, `<{id}>`, `({n})`.
    for left, right in ("''", '""', "``", "<>", "[]", "()", "{}"):
        text = text.replace(left + _HOLE + right, _HOLE)
    text = _drop_label_clauses(text, values)
    # `q={query}`, `id: {id}`, `#{n}`: a label written before the value goes with it.
    # `Seconds per point = {n}`: spaced, the words before are the label, kept like `point: {n}`.
    text = re.sub(r"(?<=\w) += +" + _HOLE, " " + _LABELLED, text)
    text = re.sub(r"[\w.\-]+ ?= ?" + _HOLE, _NAMED, text)
    text = re.sub(r" ?: ?" + _HOLE, " " + _LABELLED, text)
    text = re.sub(r" ?# ?" + _HOLE, " " + _HOLE, text)
    text = text.replace("$" + _HOLE, _HOLE)  # `${key}`, a template habit
    text, clean = _drop_dangling_words(text)
    if _LONE_WORD_CLAUSE.search(text):
        clean = False  # `Loaded {n} plugins, skipped {m}` -> `…, skipped`: a verb with its object gone
    text = re.sub(" ?[" + _HOLE + _LABELLED + _NAMED + "] ?", " ", text)
    for _ in range(3):
        text = re.sub(r"\s+", " ", text)
        text = re.sub(r" (?=[,.;:!?)\]])", "", text)  # `for ,` -> `for,`
        text = re.sub(r"(?<=[(\[]) ", "", text)
        text = re.sub(r"\(\W*\)|\[\W*\]", "", text)  # brackets left with no words
        text = re.sub(r"([,;:.!?])(?:\s*[,;:])+", r"\1", text)  # `, ,`, `done. ,`
        text = re.sub(r"[,;:]+(?=\s*[)\].!?]|\s*$)", "", text)  # `(wanted, )`, `done:`
        text = re.sub(r"(?:\s+[-=|/>~+*&]+)+\s*$", "", text)  # `Moving ->`
        text = re.sub(r"^[\s,;:.\-=|/>~+*&]+", "", text)
        text = text.strip()
    return text, clean


# Words that label a value even without a colon (`. Error {0}`).
_FIELD_LABELS = frozenset(
    {"error", "errors", "err", "detail", "details", "exception", "reason", "message", "msg", "response", "status"}
)
# A clause that is only a label and its value: `. DETAIL: {e}`, `, status: {code}`, `(Device ID: {id})`.
_LABEL_CLAUSE = re.compile(
    r"(?:(?P<stop>[.!?;,:])\s+|(?<=[(\[])\s*)"
    r"(?P<label>[A-Za-z][\w'\-]*(?: [A-Za-z][\w'\-]*){0,2})\s*(?P<mark>=>|->|[:=])?\s*"
    + _HOLE
    + r"(?=\s*(?:[.!?;,)\]]|$))"
)


# A clause after the sentence left with one word once its value goes.
_LONE_WORD_CLAUSE = re.compile(r"[.,;!?]\s+[A-Za-z][\w'\-]*\s*[" + _HOLE + _LABELLED + _NAMED + r"]\s*(?=[.,;!?)\]]|$)")


def _drop_label_clauses(text: str, values: list[str]) -> str:
    """Drops each clause after the sentence that is only a label and its value: the key says it.

    `Cannot remove history. DETAIL: {e}` -> `Cannot remove history.`; the first clause is the
    sentence and stays (`Email login response: {r}` -> `Email login response`). ``values``:
    the code of each value still shown, in order. A label goes only when it names its value
    (`status: {resp.status}`, `Device ID: {unique_id}`) or says it is the error: `disk full:
    {err}` and `, or invert image: {err}` are words of the sentence and stay.
    """
    while True:
        for match in _LABEL_CLAUSE.finditer(text):
            hole = text.count(_HOLE, 0, match.end()) - 1
            if _names_its_value(match.group("label"), values[hole] if hole < len(values) else ""):
                stop = match.group("stop") or ""
                kept = stop if stop in ".!?" else ""  # a sentence's full stop stays; a comma before the label goes
                text = text[: match.start()] + kept + text[match.end() :]
                del values[hole : hole + 1]
                break
        else:
            return re.sub(r"\s*(?:\(\s*\)|\[\s*\])", "", text)  # `(newer: {x})` leaves `()`


def _names_its_value(label: str, value: str) -> bool:
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", label)]
    if words and words[-1] in _FIELD_LABELS:
        return True
    spelled = value.lower()
    return any(len(word) > 1 and word in spelled for word in words) and words[0] not in _PREPOSITIONS


def _drop_dangling_words(text: str) -> tuple[str, bool]:
    """Drops `with`, `for the` before a value that ended its clause; False when a cut leaves debris mid-sentence."""
    clean = True
    pieces = re.split("([" + _HOLE + _LABELLED + "])", text)
    for index in range(1, len(pieces), 2):
        before, after = pieces[index - 1], pieces[index + 1]
        following = after.lstrip()[:1]
        ends_clause = following in _CLAUSE_END or (following == "" and index + 2 >= len(pieces))
        if re.search(r"[\w/]$", before) or re.match(r"[\w/]", after):
            clean = False  # glued to a word: `v{version}`, `{n}s`, `{a}/{b}`
        elif following == "," or (pieces[index] == _LABELLED and not ends_clause):
            clean = False  # `code: {}, content: {}` -> `code, content`; `(wanted {}, have {})`
        elif not before.strip() and re.match(r" ?\w", after):
            clean = False  # the subject went: `{name} raised an exception`
        elif index == 1 and re.fullmatch(r"\s*\w+ ", before) and _starts_with_preposition(after):
            clean = False  # a verb's object went: `Removed {name} from source` -> `Removed from source`
        words = before.rstrip().split(" ")
        leaning = len(words) > 1 and words[-1].lower() in _ARTICLES | _PREPOSITIONS
        if leaning and not ends_clause:
            clean = False  # `for {user} in {n} seconds`
        elif leaning:
            while len(words) > 1 and words[-1].lower() in _ARTICLES:
                words.pop()
            if len(words) > 1 and words[-1].lower() in _PREPOSITIONS:
                words.pop()
                if len(words) > 1 and words[-1].lower() in _LEANING_ON_PREPOSITION:
                    words.pop()  # `failed, due to {reason}` -> `failed`
            pieces[index - 1] = " ".join(words) + " "
    return "".join(pieces), clean


def _starts_with_preposition(text: str) -> bool:
    words = text.split()
    return bool(words) and words[0].lower() in _PREPOSITIONS


def snake_event(text: str) -> str:
    return re.sub(r"[\W_]+", "_", text).strip("_").lower()


def humanize(key: str) -> str:
    words = key.strip("_").replace("_", " ")
    return words[:1].upper() + words[1:]


def string_literal(text: str, quote: str) -> str:
    """A Python literal for ``text``, in the original quote style when it fits."""
    other = "'" if quote == '"' else '"'
    if quote in text and other not in text:
        quote = other
    body = text.replace("\\", "\\\\").replace(quote, "\\" + quote)
    body = "".join(c if c.isprintable() else repr(c)[1:-1] for c in body)
    return f"{quote}{body}{quote}"


# -- keys ------------------------------------------------------------------------


def identifier(raw: str) -> str | None:
    key = re.sub(r"\W+", "_", raw).strip("_")
    key = re.sub(r"_+", "_", key)
    # `JOB`, `INPUT_INFORMATION`: a constant's name, lower-cased like every key.
    key = "_".join(word.lower() if word.isupper() else word for word in key.split("_"))
    if not key:
        return None
    if key[0].isdigit():
        key = f"value_{key}"
    return key


def safe_key(key: str, taken: set[str]) -> str:
    """``key``, as ``<key>_value`` when Python, structlog or logging reserve it, numbered when taken.

    A reserved word with a bare `_` (`name_`) reads as a typo in a log line; `name_value` does not.
    """
    if keyword.iskeyword(key) or key in RESERVED_KEYS:
        key += "_value"
    candidate, number = key, 2
    while candidate in taken:
        candidate = f"{key}_{number}"
        number += 1
    return candidate


class KeyNamer:
    """Reads a key off a value's expression; ``qualify`` resolves called names through imports."""

    def __init__(self, qualify: Callable[[cst.CSTNode], set[str]]) -> None:
        self.qualify = qualify

    def key_for(self, node: cst.BaseExpression) -> str | None:
        """A readable key for a value: `user.id` -> `user_id`; None when nothing reads well."""
        if isinstance(node, cst.Name):
            return "error" if node.value in EXCEPTION_NAMES else identifier(node.value)
        if isinstance(node, cst.Attribute):
            return self._attribute_key(node)
        if isinstance(node, cst.Subscript) and len(node.slice) == 1:
            return self._subscript_key(node)
        if isinstance(node, cst.Call):
            return self._call_key(node)
        return None

    def _attribute_key(self, node: cst.Attribute) -> str | None:
        attr = node.attr.value
        if attr == "__name__":
            return self._dunder_name_key(node.value)
        dotted = dotted_name(node)
        if dotted is not None:
            parts = [p for p in dotted.split(".") if p not in SELF_NAMES]
            return identifier("_".join(parts[-2:]))
        base = self.key_for(node.value)
        return identifier(f"{base}_{attr}" if base else attr)

    def _dunder_name_key(self, inner: cst.BaseExpression) -> str | None:
        """`type(x).__name__` and `x.__class__.__name__` -> `x_type`; `f.__name__` -> `f_name`."""
        if isinstance(inner, cst.Call) and self.qualify(inner.func) == {"builtins.type"} and len(inner.args) == 1:
            base = self.key_for(inner.args[0].value)
            return f"{base}_type" if base else "type"
        if isinstance(inner, cst.Attribute) and inner.attr.value == "__class__":
            base = self.key_for(inner.value)
            return f"{base}_type" if base else "type"
        base = self.key_for(inner)
        return f"{base}_name" if base else None

    def _subscript_key(self, node: cst.Subscript) -> str | None:
        """`order['id']` -> `order_id`, `rows[0]` -> `rows` (no number in a key), `self.cache[k]` -> `cache`."""
        index = node.slice[0].slice
        base_node = node.value
        base = base_node.attr.value if isinstance(base_node, cst.Attribute) else self.key_for(base_node)
        if isinstance(index, cst.Index):
            literal = string_value(index.value)
            if literal is not None:
                return identifier(f"{base}_{literal[0]}" if base else literal[0])
        return identifier(base) if base else None

    def _call_key(self, node: cst.Call) -> str | None:
        called = self.qualify(node.func)
        first = node.args[0].value if node.args and node.args[0].keyword is None and not node.args[0].star else None
        if called & CONVERTERS and first is not None:
            return self.key_for(first)
        if first is not None and len(called) == 1 and next(iter(called)) in AGGREGATES:
            base = self.key_for(first)
            suffix = AGGREGATES[next(iter(called))]
            return f"{base}{suffix}" if base else suffix.strip("_") or None
        if isinstance(node.func, cst.Attribute):
            return self._method_call_key(node, node.func.attr.value, first)
        if isinstance(node.func, cst.Name):
            name = node.func.value
            return identifier(name[4:] if name.startswith("get_") and len(name) > 4 else name)
        return None

    def _method_call_key(self, node: cst.Call, method: str, first: cst.BaseExpression | None) -> str | None:
        """`session.get('user_id')` -> `user_id`, `user.get_email()` -> `email`, `created.isoformat()` -> `created`."""
        assert isinstance(node.func, cst.Attribute)
        literal = string_value(first) if first is not None else None
        if method == "get" and literal is not None:
            return identifier(literal[0])
        if method.startswith("get_") and len(method) > 4:
            return identifier(method[4:])
        if not node.args:
            base = self.key_for(node.func.value)
            if method in VALUE_METHODS or base is None:
                return base
            return identifier(f"{base}_{method}")
        return None
