"""Adding one item to a list the way its author wrote the list.

Two shapes, shared by the formats: a bracketed list of strings (a TOML array, a
Python list literal) and lines of a table or section (a TOML table, a requirements
file, a setup.cfg value). The new item goes in sorted position when the list is
sorted, else at the end; nothing else in the text changes, except a comma after the
old last item when a list without trailing comma grows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flaskmod.codemods.core.requirements.model import newline_of


@dataclass(frozen=True)
class Item:
    """One item of a list: its text span and the normalised name it sorts by."""

    start: int
    end: int
    name: str


def sorted_position(items: Sequence[Item], name: str) -> int | None:
    """Where ``name`` goes in a sorted list (an index), or None when the list is not sorted.

    One item says nothing about order: the new one is appended.
    """
    names = [item.name for item in items]
    if len(names) < 2 or names != sorted(names):
        return None
    return next((i for i, other in enumerate(names) if other > name), len(names))


def line_end(text: str, offset: int) -> int:
    """The offset of the line ending after ``offset`` (before ``\\r\\n``), or the end of the text."""
    end = text.find("\n", offset)
    if end < 0:
        return len(text)
    return end - 1 if end > 0 and text[end - 1] == "\r" else end


def line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def insert_line_after(text: str, offset: int, line: str) -> str:
    """``line`` on a line of its own after the line holding ``offset``; a missing final newline stays missing."""
    end = line_end(text, offset)
    return text[:end] + newline_of(text) + line + text[end:]


def insert_line_before(text: str, offset: int, line: str) -> str:
    start = line_start(text, offset)
    return text[:start] + line + newline_of(text) + text[start:]


def insert_in_lines(text: str, items: Sequence[Item], name: str, line: str) -> str:
    """``line`` among line-per-item ``items`` (at least one): after its predecessor, else before the first."""
    position = sorted_position(items, name)
    if position == 0:
        return insert_line_before(text, items[0].start, line)
    previous = items[-1] if position is None else items[position - 1]
    return insert_line_after(text, previous.end, line)


def insert_in_brackets(text: str, opening: int, closing: int, items: Sequence[Item], name: str, literal: str) -> str:
    """``literal`` into the list ``text[opening:closing + 1]`` of string ``items``."""
    if "\n" not in text[opening:closing]:
        return _insert_inline(text, opening, items, name, literal)
    if not items:
        return insert_line_before(text, closing, "    " + literal + ",")
    indent = _indent_of(text, items[0].start)
    position = sorted_position(items, name)
    if position == 0 and _first_on_line(text, items[0].start):
        return insert_line_before(text, items[0].start, indent + literal + ",")
    if position is not None and 0 < position < len(items):
        return insert_line_after(text, items[position - 1].end, indent + literal + ",")
    return _append_on_new_line(text, closing, items[-1], indent, literal)


def _insert_inline(text: str, opening: int, items: Sequence[Item], name: str, literal: str) -> str:
    if not items:
        return text[: opening + 1] + literal + text[opening + 1 :]
    position = sorted_position(items, name)
    if position is not None and position < len(items):
        at = items[position].start
        return text[:at] + literal + ", " + text[at:]
    at = items[-1].end
    return text[:at] + ", " + literal + text[at:]


def _append_on_new_line(text: str, closing: int, last: Item, indent: str, literal: str) -> str:
    between = _without_comments(text[last.end : closing])
    if "\n" not in between:  # `    "click"]`: the bracket closes on the last item's line
        return text[: last.end] + "," + newline_of(text) + indent + literal + text[last.end :]
    if "," in between:
        return insert_line_after(text, last.end, indent + literal + ",")
    with_comma = text[: last.end] + "," + text[last.end :]
    return insert_line_after(with_comma, last.end + 1, indent + literal)


def _without_comments(text: str) -> str:
    return "\n".join(line.split("#", 1)[0] for line in text.split("\n"))


def _indent_of(text: str, offset: int) -> str:
    start = line_start(text, offset)
    prefix = text[start:offset]
    return prefix if not prefix.strip() else "    "


def _first_on_line(text: str, offset: int) -> bool:
    return not text[line_start(text, offset) : offset].strip()
