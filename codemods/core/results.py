"""What a run produces: per-file results and the change records in them.

Shared by the engine, the cross-file pass, the writer and every renderer.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flaskmod.codemods.core.base import ExtraFileEdit, Note, Safety


@dataclass
class ChangeRecord:
    """One codemod's work on one file: its text change and what it noticed."""

    codemod: str
    safety: Safety
    before: str
    after: str
    findings: list[Note] = field(default_factory=list)
    skips: list[Note] = field(default_factory=list)
    unsafe_left_out: list[Note] = field(default_factory=list)
    unsafe_applied: list[Note] = field(default_factory=list)
    facts: list[Any] = field(default_factory=list)  # for the codemod's project-wide pass
    # Line i of ``before`` was line origins[i - 1] of the file in the tree (None: the same line).
    origins: list[int] | None = None

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def notes(self) -> list[Note]:
        return [*self.findings, *self.skips, *self.unsafe_left_out, *self.unsafe_applied]


@dataclass
class FileError:
    message: str
    line: int | None = None
    # "refused": flaskmod will not write there (a symlink, outside the tree, not a .py path): exit 2.
    kind: str = "error"


@dataclass
class FileResult:
    path: Path
    display: str
    digest: str | None = None  # sha256 of the bytes read; None for a file created by the run
    encoding: str = "utf-8"
    bom: bool = False
    original: str | None = None  # set only when a record exists
    final: str | None = None
    records: list[ChangeRecord] = field(default_factory=list)
    extra_edits: list[tuple[str, ExtraFileEdit]] = field(default_factory=list)
    error: FileError | None = None
    skipped: str | None = None  # why the whole file was passed over
    parsed: bool = False
    # Files one cross-file change spans share a group: written together, or not at all.
    group: str | None = None
    receives_edits: bool = False  # another file's change appends here: written before its sources
    # ``# flaskmod: ignore[...]`` ids that name no codemod, at their lines (reported as run notices).
    unknown_ignores: list[Note] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.error is None and self.final is not None and self.final != self.original

    @property
    def is_new(self) -> bool:
        return self.digest is None

    def encode(self, text: str) -> bytes:
        data = text.encode(self.encoding)
        return b"\xef\xbb\xbf" + data if self.bom else data


@dataclass
class RunResult:
    files: list[FileResult]
    scanned: int
    missing: list[Path] = field(default_factory=list)
    # Said once per run by the codemods (Codemod.run_notices), in codemod order.
    notices: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed_files(self) -> list[FileResult]:
        return [f for f in self.files if f.changed]

    @property
    def errors(self) -> list[FileResult]:
        return [f for f in self.files if f.error is not None]


def display_path(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return os.path.relpath(path, root).replace(os.sep, "/") if path.anchor == root.anchor else path.as_posix()
