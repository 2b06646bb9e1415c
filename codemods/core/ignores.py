"""Opt-outs beyond the selection: ``per-file-ignores`` patterns, and ``# flaskmod: ignore[...]``
comments that name no codemod (reported, as Ruff's RUF100 reports unused ``noqa`` codes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flaskmod.codemods.core.base import Codemod, Note, ignored_lines
from flaskmod.codemods.core.discovery import PathPatterns


@dataclass(frozen=True)
class PerFileIgnore:
    """The codemods ``ids`` do not run on a file that ``patterns`` matches (Ruff's ``per-file-ignores``)."""

    patterns: PathPatterns
    ids: frozenset[str]


def ignored_here(path: Path, per_file: Iterable[PerFileIgnore]) -> frozenset[str]:
    """The codemod ids the ``per-file-ignores`` entries turn off for ``path``."""
    ids: set[str] = set()
    for entry in per_file:
        if entry.patterns.matches(path):
            ids |= entry.ids
    return frozenset(ids)


def codemods_for(
    path: Path, codemods: Sequence[type[Codemod]], per_file: Sequence[PerFileIgnore]
) -> list[type[Codemod]]:
    """``codemods`` without those ``per-file-ignores`` turns off for ``path``."""
    if not per_file:
        return list(codemods)
    off = ignored_here(path, per_file)
    return [c for c in codemods if c.ID not in off]


def unknown_ignore_ids(source: str, known: Iterable[str]) -> list[Note]:
    """A note for each id in a ``# flaskmod: ignore[...]`` comment that is no codemod's, at its line."""
    known = frozenset(known)
    notes: list[Note] = []
    for line, ids in sorted(ignored_lines(source).items()):
        for unknown in sorted((ids or frozenset()) - known):
            notes.append(
                Note(line, f"`# flaskmod: ignore[{unknown}]` names no codemod (known: {', '.join(sorted(known))})")
            )
    return notes
