"""Where a line of a codemod's intermediate text was in the file as it is in the tree.

Each codemod reports lines of the text it was handed, which an earlier codemod may have
changed. Every format shows lines of the file in the tree, so the engine maps each
record's lines back through the edits of the codemods before it.

A line an edit kept maps to where it was; a line an edit wrote maps to the first line of
what it replaced (or, for a pure insertion, to the line it was inserted before). Only the
part between the common prefix and suffix goes to difflib, line by line.
"""

from __future__ import annotations

from difflib import SequenceMatcher

# Lines of the changed middle difflib compares at most; beyond, lines map proportionally.
_MATCH_LIMIT = 20_000


def line_origins(before: str, after: str) -> list[int]:
    """For each line of ``after`` (index 0 is line 1), the line of ``before`` it comes from (1-based)."""
    old, new = before.splitlines(), after.splitlines()
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    old_middle, new_middle = old[prefix : len(old) - suffix], new[prefix : len(new) - suffix]
    origins = list(range(1, prefix + 1))
    origins += [prefix + offset for offset in _middle_origins(old_middle, new_middle)]
    origins += list(range(len(old) - suffix + 1, len(old) + 1))
    last = max(len(old), 1)
    return [min(max(line, 1), last) for line in origins]


def _middle_origins(old: list[str], new: list[str]) -> list[int]:
    """1-based positions in ``old`` for each line of ``new``."""
    if not new:
        return []
    if not old or len(old) + len(new) > _MATCH_LIMIT:
        return [1 + (index * len(old)) // len(new) for index in range(len(new))]
    origins: list[int] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new).get_opcodes():
        for j in range(j1, j2):
            if tag == "equal":
                origins.append(i1 + (j - j1) + 1)
            elif tag == "replace":
                origins.append(min(i1 + (j - j1), i2 - 1) + 1)
            else:  # inserted: the line it went in before
                origins.append(i1 + 1)
    return origins


def compose(outer: list[int], inner: list[int]) -> list[int]:
    """``outer`` maps lines of C to B, ``inner`` lines of B to A: the map of C's lines to A."""
    if not inner:
        return outer
    return [inner[min(line, len(inner)) - 1] for line in outer]


def origin_of(line: int, origins: list[int] | None) -> int:
    """Line ``line`` of a text mapped through ``origins``; 0 (the whole file) stays 0."""
    if not origins or line <= 0:
        return line
    return origins[min(line, len(origins)) - 1]
