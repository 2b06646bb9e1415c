"""Where a new import goes in a module's import block, the way isort and Ruff's ``I001`` want it.

A block is read as sections split by blank lines; each statement has a rank: ``__future__``,
standard library, third party, first party (the project's own top-level names, which the
caller knows, and any second section of imports that look third party), relative. A new import joins
the first section that holds only its rank, at its sorted place when that section is sorted
(``import x`` lines first, then ``from x import``, by module name, as isort's defaults do) and
at its end when it is not: a project that does not sort keeps its own order. With no such
section, it starts a section of its own between the ranks around it; in a block that mixes
kinds without blank lines, it goes after the last import of its rank or an earlier one.

Names joining an existing ``from`` import are placed the same way: sorted when the names
are (constants, classes, then the rest, as isort's ``order-by-type``), else appended.

"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

import libcst as cst

FUTURE, STDLIB, THIRD_PARTY, FIRST_PARTY, RELATIVE = 0, 1, 2, 3, 4
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ()))


def rank_of(statement: cst.BaseStatement, first_party: frozenset[str] = frozenset()) -> int:
    """The isort section of a one-import line; ``first_party``: the project's own top-level names."""
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    if isinstance(small, cst.ImportFrom):
        if small.relative:
            return RELATIVE
        module = _dotted(small.module)
        if module == "__future__":
            return FUTURE
    elif isinstance(small, cst.Import):
        module = _dotted(small.names[0].name)
    else:
        return THIRD_PARTY
    top = module.split(".")[0]
    if top in first_party:
        return FIRST_PARTY
    return STDLIB if top in _STDLIB else THIRD_PARTY


def sort_key(statement: cst.BaseStatement) -> tuple[bool, str]:
    """isort's order within a section: ``import x`` lines, then ``from x import``, by module."""
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    if isinstance(small, cst.ImportFrom):
        return True, "." * len(small.relative) + _dotted(small.module).lower()
    if isinstance(small, cst.Import):
        return False, _dotted(small.names[0].name).lower()
    return True, ""


def place(
    block: Sequence[cst.BaseStatement],
    new: Sequence[cst.BaseStatement],
    first_party: frozenset[str] = frozenset(),
) -> list[cst.BaseStatement]:
    """``block`` (a module's leading one-import lines) with each of ``new`` in its place."""
    placed = list(block)
    for statement in sorted(new, key=lambda s: (rank_of(s, first_party), sort_key(s))):
        ranks = _block_ranks(placed, first_party)

        def rank(candidate: cst.BaseStatement, ranks: dict[int, int] = ranks) -> int:
            return ranks.get(id(candidate), rank_of(candidate, first_party))

        placed = _place_one(placed, statement, rank)
    return placed


def _block_ranks(block: list[cst.BaseStatement], first_party: frozenset[str]) -> dict[int, int]:
    """Each line's rank; a second section of third-party-looking imports is the project's own."""
    ranks = {id(s): rank_of(s, first_party) for s in block}
    third_party_sections = [
        (start, end) for start, end in _sections(block) if all(ranks[id(s)] == THIRD_PARTY for s in block[start:end])
    ]
    for start, end in third_party_sections[1:]:
        for statement in block[start:end]:
            ranks[id(statement)] = FIRST_PARTY
    return ranks


def _sections(block: list[cst.BaseStatement]) -> list[tuple[int, int]]:
    """(start, end) of each run of lines between blank lines."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(block)):
        if any(line.comment is None for line in block[index].leading_lines):
            bounds.append((start, index))
            start = index
    if block:
        bounds.append((start, len(block)))
    return bounds


def _place_one(
    block: list[cst.BaseStatement], statement: cst.BaseStatement, rank_of: Callable[[cst.BaseStatement], int]
) -> list[cst.BaseStatement]:
    rank = rank_of(statement)
    sections = _sections(block)
    for start, end in sections:
        if all(rank_of(s) == rank for s in block[start:end]):
            return _into_section(block, start, end, statement)
    if any(len({rank_of(s) for s in block[start:end]}) > 1 for start, end in sections):
        # A block that mixes kinds in one run of lines: after the last import of this kind or an earlier one.
        earlier = [i for i, s in enumerate(block) if rank_of(s) <= rank]
        if earlier:
            return _insert(block, earlier[-1] + 1, statement, blank_before=False)
        first = block[0]
        moved = statement.with_changes(leading_lines=first.leading_lines)
        return [moved, first.with_changes(leading_lines=()), *block[1:]]
    after = next((start for start, end in sections if min(rank_of(s) for s in block[start:end]) > rank), None)
    if after is None:
        return _insert(block, len(block), statement, blank_before=bool(block))
    return _insert_section_before(block, after, statement)


def _into_section(
    block: list[cst.BaseStatement], start: int, end: int, statement: cst.BaseStatement
) -> list[cst.BaseStatement]:
    keys = [sort_key(s) for s in block[start:end]]
    if keys != sorted(keys):
        return _insert(block, end, statement, blank_before=False)
    key = sort_key(statement)
    at = start + sum(1 for k in keys if k <= key)
    if at == start:
        # The section's first line carries its blank line (and any comment above it): the new one takes them.
        first = block[start]
        moved = statement.with_changes(leading_lines=first.leading_lines)
        return [*block[:start], moved, first.with_changes(leading_lines=()), *block[start + 1 :]]
    return _insert(block, at, statement, blank_before=False)


def _insert(
    block: list[cst.BaseStatement], at: int, statement: cst.BaseStatement, *, blank_before: bool
) -> list[cst.BaseStatement]:
    lines = (cst.EmptyLine(),) if blank_before else ()
    return [*block[:at], statement.with_changes(leading_lines=lines), *block[at:]]


def _insert_section_before(
    block: list[cst.BaseStatement], at: int, statement: cst.BaseStatement
) -> list[cst.BaseStatement]:
    """A section of its own before ``block[at]``, blank lines around it."""
    following = block[at]
    kept = [line for line in following.leading_lines if line.comment is not None]
    if at == 0:
        # Comments above the block (a licence header) stay on top.
        moved = statement.with_changes(leading_lines=following.leading_lines)
        return [moved, following.with_changes(leading_lines=(cst.EmptyLine(),)), *block[1:]]
    new = statement.with_changes(leading_lines=(cst.EmptyLine(),))
    return [*block[:at], new, following.with_changes(leading_lines=(cst.EmptyLine(), *kept)), *block[at + 1 :]]


def _dotted(node: cst.BaseExpression | None) -> str:
    if node is None:
        return ""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


# -- names of one from-import ----------------------------------------------------------------


def name_key(name: str) -> tuple[int, str]:
    """isort's ``order-by-type``: CONSTANTS, then Classes, then everything else, case-insensitively."""
    if name.isupper() and len(name) > 1:
        return 0, name.lower()
    if name[:1].isupper():
        return 1, name.lower()
    return 2, name.lower()


def merge_names(existing: Sequence[cst.ImportAlias], added: Sequence[cst.ImportAlias]) -> list[cst.ImportAlias]:
    """``existing`` names with ``added`` ones: sorted in when ``existing`` is sorted, else appended.

    Commas follow the statement's own layout: the inner ones as between its first names,
    the last one as it was (a trailing comma in a parenthesised list stays).
    """
    keys = [name_key(alias.evaluated_name) for alias in existing]
    if keys == sorted(keys):
        names = sorted([*existing, *added], key=lambda alias: name_key(alias.evaluated_name))
    else:
        names = [*existing, *added]
    inner = existing[0].comma if len(existing) > 1 else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    last = existing[-1].comma
    return [alias.with_changes(comma=inner if i < len(names) - 1 else last) for i, alias in enumerate(names)]
