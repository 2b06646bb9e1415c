"""Interactive review: one proposal per codemod per file, each decided before the next.

The decisions are ``git add -p``'s: this one, not this one, this and the rest of the
file, none of the rest of the file, quit. Each proposal is computed on the text the earlier accepted proposals produced,
so what the reviewer sees is exactly what gets written. No terminal here: the CLI
shows each :class:`Proposal` and calls :meth:`Review.decide`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field

from flaskmod.codemods.core.base import Codemod, ExtraFileEdit
from flaskmod.codemods.core.engine import (
    ChangeRecord,
    FileResult,
    RunRequest,
    RunResult,
    merge_extra_edits,
    transform_source,
)


class Decision(str, enum.Enum):
    APPLY = "apply"
    SKIP = "skip"
    APPLY_FILE = "apply-file"  # this one and the later ones in this file
    SKIP_FILE = "skip-file"  # not this one, nor any later one in this file
    QUIT = "quit"  # not this one nor any later one; keep what was accepted so far


@dataclass
class Proposal:
    file: FileResult
    record: ChangeRecord
    extra_edits: list[ExtraFileEdit] = field(default_factory=list)
    number: int = 0  # its place among ``Review.total`` proposals, from 1


class Review:
    def __init__(self, result: RunResult, request: RunRequest) -> None:
        self._result = result
        self._request = request
        self._pending: Decision | None = None
        self.quit = False
        self.accepted: list[FileResult] = []
        # As the run found them; an earlier answer can make a later change vanish, never add one.
        self.total = sum(len(self._codemods_of(f)) for f in result.files if f.changed and f.original is not None)
        self._number = 0

    def decide(self, decision: Decision) -> None:
        self._pending = decision

    def proposals(self) -> Iterator[Proposal]:
        """Yields each change still to decide; call :meth:`decide` before asking for the next."""
        for file in self._result.files:
            if self.quit:
                break
            if not file.changed or file.original is None:
                continue
            accepted = yield from self._review_file(file)
            if accepted is not None:
                self.accepted.append(accepted)
        merge_extra_edits(self.accepted, self._request)

    def result(self) -> RunResult:
        """The run as accepted: unchanged files, accepted changes and their merged edits to other files."""
        accepted = {f.display: f for f in self.accepted}
        files = [accepted.pop(f.display, None) or _without_change(f) for f in self._result.files]
        files += accepted.values()  # files created by accepted edits
        return RunResult(
            files=sorted(files, key=lambda f: f.display),
            scanned=self._result.scanned,
            missing=self._result.missing,
            notices=self._result.notices,
        )

    def _review_file(self, file: FileResult) -> Iterator[Proposal]:
        assert file.original is not None
        text = file.original
        records: list[ChangeRecord] = []
        extra: list[tuple[str, ExtraFileEdit]] = []
        standing: bool | None = None  # "a" or "d" for the rest of this file
        for codemod in self._codemods_of(file):
            self._number += 1
            single = transform_source(
                file.path,
                file.display,
                file.encode(text),
                (codemod,),
                self._request.options,
                self._request.allow_unsafe,
            )
            record = next((r for r in single.records if r.changed), None)
            if single.error is not None or record is None:
                continue
            # The project-wide findings need every file: keep the ones the full run attached.
            record.findings += [n for r in file.records if r.codemod == codemod.ID for n in r.findings if n.related]
            edits = [edit for _, edit in single.extra_edits]
            if standing is not None:
                take = standing
            else:
                self._pending = None
                yield Proposal(file, record, edits, self._number)
                decision = self._pending or Decision.SKIP
                if decision is Decision.QUIT:
                    self.quit = True
                    break
                if decision in (Decision.APPLY_FILE, Decision.SKIP_FILE):
                    standing = decision is Decision.APPLY_FILE
                take = decision in (Decision.APPLY, Decision.APPLY_FILE)
            if take:
                text = record.after
                records.append(record)
                extra += [(codemod.ID, edit) for edit in edits]
        if text == file.original:
            return None
        return FileResult(
            path=file.path,
            display=file.display,
            digest=file.digest,
            encoding=file.encoding,
            bom=file.bom,
            original=file.original,
            final=text,
            records=records,
            extra_edits=extra,
            parsed=True,
        )

    def _codemods_of(self, file: FileResult) -> list[type[Codemod]]:
        touched = {r.codemod for r in file.records if r.changed}
        return [c for c in self._request.codemods if c.ID in touched]


def _without_change(file: FileResult) -> FileResult:
    if not file.changed:
        return file
    return FileResult(path=file.path, display=file.display, digest=file.digest, records=[])
