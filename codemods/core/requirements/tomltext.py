"""Where things are in a TOML text: tables, key/value pairs and array items, as offsets.

tomllib says what a document means but not where; the edits here must leave every
other byte alone, so a small string- and comment-aware scanner finds the places.
It trusts the text to be valid TOML (the callers parse it with tomllib first).
"""

from __future__ import annotations

from dataclasses import dataclass

Key = tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """A ``key = value`` line of a table: offsets of the line start, the value and its end."""

    table: Key
    key: Key
    line_start: int
    value_start: int
    value_end: int


@dataclass(frozen=True)
class Table:
    """A ``[name]`` table; its body runs from ``body_start`` to the next header (or the end)."""

    name: Key
    header_start: int
    body_start: int
    body_end: int
    array: bool = False


@dataclass(frozen=True)
class Document:
    tables: list[Table]
    entries: list[Entry]

    def table(self, name: Key) -> Table | None:
        return next((t for t in self.tables if t.name == name and not t.array), None)

    def entries_of(self, table: Key) -> list[Entry]:
        return [entry for entry in self.entries if entry.table == table]

    def entry(self, table: Key, key: Key) -> Entry | None:
        return next((e for e in self.entries if e.table == table and e.key == key), None)


def skip_string(text: str, i: int) -> int:
    """The offset after the string starting at ``text[i]``."""
    quote = text[i]
    delimiter = quote * 3 if text.startswith(quote * 3, i) else quote
    j = i + len(delimiter)
    while j < len(text):
        if quote == '"' and text[j] == "\\":
            j += 2
            continue
        if text.startswith(delimiter, j):
            end = j + len(delimiter)
            while len(delimiter) == 3 and end < len(text) and text[end] == quote:  # """a"""" ends one later
                end += 1
            return end
        j += 1
    return j


def skip_value(text: str, i: int) -> int:
    """The offset after the value starting at ``text[i]`` (arrays and inline tables may span lines)."""
    depth = 0
    while i < len(text):
        char = text[i]
        if char in "\"'":
            i = skip_string(text, i)
            continue
        if char == "#":
            i = _line_end(text, i)
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return i + 1
        elif char == "\n" and depth == 0:
            return i
        i += 1
    return i


def split_key(text: str) -> Key:
    """``tool . "poetry".dependencies`` is ``("tool", "poetry", "dependencies")``."""
    parts: list[str] = []
    i, current = 0, ""
    while i < len(text):
        if text[i] in "\"'":
            end = skip_string(text, i)
            current += text[i + 1 : end - 1]
            i = end
            continue
        if text[i] == ".":
            parts.append(current.strip())
            current = ""
        else:
            current += text[i]
        i += 1
    parts.append(current.strip())
    return tuple(parts)


def scan(text: str) -> Document:
    tables: list[Table] = []
    entries: list[Entry] = []
    current: Key = ()
    i = 0
    while i < len(text):
        line_start = i
        while i < len(text) and text[i] in " \t":
            i += 1
        if i >= len(text) or text[i] in "\r\n#":
            i = _line_end(text, i) + 1
            continue
        if text[i] == "[":
            array = text.startswith("[[", i)
            end = _key_end(text, i + (2 if array else 1), "]")
            current = split_key(text[i + (2 if array else 1) : end])
            if tables:
                tables[-1] = _closed(tables[-1], line_start)
            body = _line_end(text, end) + 1
            tables.append(Table(current, line_start, min(body, len(text)), len(text), array))
            i = body
            continue
        equals = _key_end(text, i, "=")
        value_start = _skip_blanks(text, equals + 1)
        value_end = skip_value(text, value_start)
        entries.append(Entry(current, split_key(text[i:equals]), line_start, value_start, value_end))
        i = _line_end(text, value_end) + 1
    return Document(tables, entries)


def array_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the items of the array ``text[start:end]`` (``[`` ... ``]``)."""
    items: list[tuple[int, int]] = []
    i = start + 1
    while i < end - 1:
        char = text[i]
        if char in " \t\r\n,":
            i += 1
        elif char == "#":
            i = _line_end(text, i)
        else:
            item_end = skip_string(text, i) if char in "\"'" else _item_end(text, i, end - 1)
            items.append((i, item_end))
            i = item_end
    return items


def _item_end(text: str, i: int, limit: int) -> int:
    if text[i] in "[{":
        return skip_value(text, i)
    while i < limit and text[i] not in ",#\r\n":
        i += 1
    return i


def _key_end(text: str, i: int, stop: str) -> int:
    while i < len(text) and text[i] != stop:
        i = skip_string(text, i) if text[i] in "\"'" else i + 1
    return i


def _skip_blanks(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _closed(table: Table, end: int) -> Table:
    return Table(table.name, table.header_start, table.body_start, end, table.array)
