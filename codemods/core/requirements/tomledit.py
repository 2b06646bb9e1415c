"""TOML, read for meaning with tomllib and edited as text so every other byte survives."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from flaskmod.codemods.core.requirements.listedit import (
    Item,
    insert_in_brackets,
    insert_in_lines,
    insert_line_after,
)
from flaskmod.codemods.core.requirements.model import CannotEdit, normalise
from flaskmod.codemods.core.requirements.tomltext import Document, Entry, Key, array_items


def load(text: str) -> dict[str, Any] | None:
    """The document, or None when it is not valid TOML."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def value_of(text: str, start: int, end: int) -> Any:
    """The value written at ``text[start:end]``."""
    return tomllib.loads("v = " + text[start:end])["v"]


def string_items(text: str, entry: Entry) -> Iterator[tuple[int, int, str]]:
    """The string items of the array ``entry`` holds: span and value (other items are left out)."""
    if text[entry.value_start : entry.value_start + 1] != "[":
        return
    for start, end in array_items(text, entry.value_start, entry.value_end):
        if text[start] in "\"'":
            value = value_of(text, start, end)
            yield start, end, value


def add_array_item(text: str, entry: Entry, name: str, requirement: str, name_of: Callable[[str], str]) -> str:
    """``requirement`` into the array of ``entry``, quoted like its first item (``name_of`` gives an item's name)."""
    if text[entry.value_start : entry.value_start + 1] != "[":
        raise CannotEdit("the dependencies are not written as an array")
    items = [Item(start, end, name_of(value)) for start, end, value in string_items(text, entry)]
    quote = text[items[0].start] if items else '"'
    literal = quote + requirement + quote
    return insert_in_brackets(text, entry.value_start, entry.value_end - 1, items, name, literal)


def add_table_entry(text: str, document: Document, table: Key, key: str, value: str, first: str = "") -> str:
    """``key = "value"`` as a line of ``[table]``, written like its other lines.

    ``first`` names an entry that stays first whatever the order (Poetry's ``python``).
    """
    header = document.table(table)
    if header is None:
        raise CannotEdit(f"no [{'.'.join(table)}] table")
    entries = [e for e in document.entries_of(table) if len(e.key) == 1]
    pinned = [e for e in entries if e.key[0] == first]
    ordered = [e for e in entries if e.key[0] != first]
    line = _entry_line(text, entries, key, value)
    if ordered:
        items = [Item(e.line_start, e.value_end, normalise(e.key[0])) for e in ordered]
        return insert_in_lines(text, items, normalise(key), line)
    if pinned:
        return insert_line_after(text, pinned[-1].value_end, line)
    if header.body_start >= len(text) and not text.endswith("\n"):
        return insert_line_after(text, header.header_start, line)
    return text[: header.body_start] + line + _newline_after_header(text, header.body_start) + text[header.body_start :]


def _entry_line(text: str, entries: list[Entry], key: str, value: str) -> str:
    """Indent, ``=`` spacing and quote of the last string entry (``key = "value"`` when there is none)."""
    model = next((e for e in reversed(entries) if text[e.value_start] in "\"'"), None)
    if model is None:
        return f'{key} = "{value}"'
    written = text[model.line_start : model.value_start]
    indent = written[: len(written) - len(written.lstrip())]
    spacing = re.search(r"\s*=\s*$", written)
    separator = spacing.group(0) if spacing and "  " not in spacing.group(0) else " = "
    quote = text[model.value_start]
    return f"{indent}{key}{separator}{quote}{value}{quote}"


def _newline_after_header(text: str, body_start: int) -> str:
    return "\r\n" if text[:body_start].endswith("\r\n") else "\n"
