"""Outputs for shipping a migration: a pull-request description (markdown), SARIF 2.1.0
for GitHub code scanning, GitHub workflow annotations, and plain statistics.

Pure text in, text out: the CLI decides where it goes.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flaskmod import __version__
from flaskmod.codemods.core.base import ERROR_FINDING_KIND, Codemod, Note
from flaskmod.codemods.core.engine import ChangeRecord, FileResult, RunResult
from flaskmod.codemods.core.lines import origin_of
from flaskmod.codemods.core.registry import all_codemods
from flaskmod.codemods.core.report import record_diff, split_lines, summarize

# Where the codemods' documentation is published: the project page (its README) until docs are hosted.
DOCS_URI = "https://pypi.org/project/flaskmod/"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


@dataclass(frozen=True)
class Hunk:
    """A changed region, in the lines of the text the codemod received."""

    start: int
    end: int
    removed: int
    added: int


def hunks(before: str, after: str) -> list[Hunk]:
    matcher = difflib.SequenceMatcher(a=split_lines(before), b=split_lines(after), autojunk=False)
    result = []
    # Grouped as the unified diff groups them (3 lines of context), so a move is one change.
    for group in matcher.get_grouped_opcodes(3):
        changes = [op for op in group if op[0] != "equal"]
        start = changes[0][1] + 1
        end = max(changes[-1][2], start)
        removed = sum(op[2] - op[1] for op in changes)
        added = sum(op[4] - op[3] for op in changes)
        result.append(Hunk(start, end, removed, added))
    return result


# -- the gate: which findings fail a run -----------------------------------------


def is_error_finding(note: Note) -> bool:
    """A finding is an error when the change breaks another place until someone edits it.

    That is a finding naming another place (``related``: a template or module that names an
    endpoint or helper the change moves), or one its codemod marked with the kind "error".
    Any other finding says what the codemod saw in this file: a warning.
    """
    return note.related is not None or note.kind == ERROR_FINDING_KIND


def failing_findings(result: RunResult, fail_on: str) -> int:
    """How many findings are at or above ``fail_on`` (never | error | finding)."""
    if fail_on == "never":
        return 0
    notes = (note for file in result.files for record in file.records for note in record.findings)
    return sum(1 for note in notes if fail_on == "finding" or is_error_finding(note))


@dataclass(frozen=True)
class Annotation:
    """One thing to show at a line: a pending change, a finding, an unsafe change left out, a skip, an error."""

    kind: str  # change | finding | unsafe (left out) | applied (unsafe, applied) | skip | error
    codemod: str | None
    path: str
    line: int | None
    end_line: int | None
    message: str
    related: tuple[str, int] | None = None  # the other place a finding is about
    blocking: bool = False  # a finding that is an error (see ``is_error_finding``)


_NOTE_PREFIX = {
    "finding": "",
    "unsafe": "unsafe change left out (use --unsafe): ",
    "applied": "unsafe change applied: ",
    "skip": "skipped: ",
}


def annotations(result: RunResult) -> Iterator[Annotation]:
    """Everything to show at a line, in lines of the files as they are in the tree."""
    for file in result.files:
        if file.error is not None:
            yield Annotation("error", None, file.display, file.error.line, None, file.error.message)
        for record in file.records:
            if record.changed and file.changed:
                yield from _change_annotations(result, file, record)
            for kind, notes in (
                ("finding", record.findings),
                ("unsafe", record.unsafe_left_out),
                ("applied", record.unsafe_applied),
                ("skip", record.skips),
            ):
                for note in notes:
                    message = _NOTE_PREFIX[kind] + note.message
                    blocking = kind == "finding" and is_error_finding(note)
                    line = note.line or None
                    yield Annotation(kind, record.codemod, file.display, line, None, message, note.related, blocking)


def _change_annotations(result: RunResult, file: FileResult, record: ChangeRecord) -> Iterator[Annotation]:
    """One per hunk; a file the run creates is not in the tree yet: said once, on the change that creates it."""
    if file.is_new:
        anchor = _creating_change(result, file, record.codemod)
        if anchor is not None:
            source, line = anchor
            added = len(split_lines(record.after))
            message = f"{record.codemod} would create {file.display} (+{added} lines) for this change"
            yield Annotation("change", record.codemod, source.display, line, None, message)
        return
    for hunk in hunks(record.before, record.after):
        start, end = origin_of(hunk.start, record.origins), origin_of(hunk.end, record.origins)
        message = f"{record.codemod} would rewrite this (-{hunk.removed} +{hunk.added} lines)"
        yield Annotation("change", record.codemod, file.display, start, max(start, end), message)


def _creating_change(result: RunResult, created: FileResult, codemod: str) -> tuple[FileResult, int] | None:
    """The first changed file of ``created``'s write group with a change of ``codemod``, and its first line."""
    for file in result.files:
        if file is created or file.is_new or not file.changed or file.group != created.group:
            continue
        for record in file.records:
            if record.codemod == codemod and record.changed:
                first = hunks(record.before, record.after)
                return file, origin_of(first[0].start, record.origins) if first else 1
    return None


# -- GitHub workflow commands ---------------------------------------------------


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


# GitHub shows at most 10 annotations of each level (error, warning, notice) per step.
GITHUB_ANNOTATIONS_PER_LEVEL = 10
_GITHUB_LEVEL = {
    "change": "warning",
    "finding": "warning",
    "applied": "warning",  # behaviour may change: the reviewer must see it
    "unsafe": "notice",
    "skip": "notice",
    "error": "error",
}
# Within a level, what a reviewer most needs first.
_GITHUB_PRIORITY = {"error": 0, "applied": 1, "finding": 2, "change": 3, "unsafe": 4, "skip": 5}


def _github_level(note: Annotation) -> str:
    return "error" if note.blocking else _GITHUB_LEVEL[note.kind]


def _github_line(note: Annotation) -> str:
    properties = [f"file={_escape_property(note.path)}"]
    if note.line:
        properties.append(f"line={note.line}")
    if note.end_line:
        properties.append(f"endLine={note.end_line}")
    properties.append(f"title={_escape_property('flaskmod ' + (note.codemod or 'error'))}")
    return f"::{_github_level(note)} {','.join(properties)}::{_escape_data(note.message)}"


def github_annotations(result: RunResult, *, job_summary: bool = False) -> str:
    """One summary ``::notice``, then at most what GitHub shows of each level, most important first.

    ``job_summary``: the full report went to the job summary, so the summary annotation points there.
    """
    notes = sorted(annotations(result), key=lambda n: (not n.blocking, _GITHUB_PRIORITY[n.kind]))
    # Every unsafe change applied is shown, whatever the cap: the warnings start with them.
    shown = _applied_unsafe_annotations([n for n in notes if n.kind == "applied"])
    left_out = 0
    per_level: Counter[str] = Counter({"notice": 1, "warning": len(shown)})  # the summary is a notice too
    for note in (n for n in notes if n.kind != "applied"):
        level = _github_level(note)
        if per_level[level] >= GITHUB_ANNOTATIONS_PER_LEVEL:
            left_out += 1
            continue
        per_level[level] += 1
        shown.append(_github_line(note))
    for path in result.missing:
        shown.append(f"::error title=flaskmod::{_escape_data(f'{path}: no such file or directory')}")
    summary = _github_summary(result, left_out, job_summary=job_summary)
    return "".join(line + "\n" for line in [summary, *shown])


def _applied_unsafe_annotations(applied: list[Annotation]) -> list[str]:
    """One warning per unsafe change applied; past GitHub's cap, the last one lists the rest."""
    if len(applied) <= GITHUB_ANNOTATIONS_PER_LEVEL:
        return [_github_line(note) for note in applied]
    shown = [_github_line(note) for note in applied[: GITHUB_ANNOTATIONS_PER_LEVEL - 1]]
    rest = applied[GITHUB_ANNOTATIONS_PER_LEVEL - 1 :]
    lines = [f"{len(rest)} more unsafe changes applied (behaviour may change; review each):"]
    lines += [f"{n.path}:{n.line} ({n.codemod}): {n.message.removeprefix(_NOTE_PREFIX['applied'])}" for n in rest]
    first = rest[0]
    folded = Annotation("applied", first.codemod, first.path, first.line, None, "\n".join(lines))
    return [*shown, _github_line(folded)]


def _github_summary(result: RunResult, left_out: int, *, job_summary: bool) -> str:
    counts = summarize(result)
    changes = sum(_hunk_count(r) for f in result.changed_files for r in f.records if r.changed)
    errors = sum(1 for note in annotations(result) if note.blocking)
    text = (
        f"{changes} changes in {counts.files_changed} files, {counts.findings} findings ({errors} errors), "
        f"{counts.unsafe_left_out} unsafe left out, {len(applied_unsafe(result))} unsafe applied, "
        f"{counts.skipped} skipped, {counts.errors} files not processed"
    )
    if left_out:
        where = "the job summary" if job_summary else "`flaskmod run --dry-run --format markdown`"
        text += f"; {left_out} more annotations (GitHub shows {GITHUB_ANNOTATIONS_PER_LEVEL} per level) are in {where}"
    return f"::notice title=flaskmod::{_escape_data(text)}"


# -- SARIF ------------------------------------------------------------------


def _fingerprint(identity: str, occurrence: int) -> str:
    return hashlib.sha256(f"{identity}\0{occurrence}".encode()).hexdigest()[:32]


def sarif_report(result: RunResult) -> str:
    """SARIF 2.1.0, as GitHub code scanning accepts it: one rule per codemod, one result per annotation."""
    rules = [
        {
            "id": codemod.ID,
            "name": "".join(part.title() for part in codemod.ID.split("-")),
            "shortDescription": {"text": codemod.SUMMARY},
            "fullDescription": {"text": codemod.SUMMARY},
            "help": {"text": codemod.documentation(), "markdown": codemod.documentation()},
            "helpUri": DOCS_URI,
            "properties": {"safety": codemod.SAFETY.value},
        }
        for codemod in all_codemods()
    ]
    rule_index = {rule["id"]: index for index, rule in enumerate(rules)}
    # SARIF 3.27.9: a result whose kind is not "fail" has level "none".
    failing = {"change": "warning", "finding": "warning"}
    seen: Counter[str] = Counter()
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for note in annotations(result):
        location: dict[str, Any] = {
            "physicalLocation": {
                "artifactLocation": {"uri": note.path, "uriBaseId": "%SRCROOT%"},
            }
        }
        if note.line:
            region = {"startLine": note.line}
            if note.end_line:
                region["endLine"] = note.end_line
            location["physicalLocation"]["region"] = region
        if note.codemod is None:
            notifications.append({"level": "error", "message": {"text": note.message}, "locations": [location]})
            continue
        identity = f"{note.codemod}\0{note.path}\0{note.kind}\0{note.message}"
        seen[identity] += 1
        entry: dict[str, Any] = {
            "ruleId": note.codemod,
            "ruleIndex": rule_index[note.codemod],
            "level": failing.get(note.kind, "none"),
            "kind": "fail" if note.kind in failing else "review",
            "message": {"text": note.message},
            "locations": [location],
            # Stable across runs while the message is: not the line, which any edit above moves.
            "partialFingerprints": {"flaskmodResult/v1": _fingerprint(identity, seen[identity])},
            "properties": {"flaskmod_kind": note.kind},
        }
        if note.related is not None:
            entry["relatedLocations"] = [
                {
                    "id": 0,
                    "physicalLocation": {
                        "artifactLocation": {"uri": note.related[0], "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": note.related[1]},
                    },
                }
            ]
        results.append(entry)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "flaskmod",
                "version": __version__,
                "informationUri": DOCS_URI,
                "rules": rules,
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The directory flaskmod ran in."}}},
        "results": results,
    }
    if notifications:
        run["invocations"] = [{"executionSuccessful": False, "toolExecutionNotifications": notifications}]
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2) + "\n"


# -- markdown (a pull-request description) -----------------------------------------


def _hunk_count(record: ChangeRecord) -> int:
    return len(hunks(record.before, record.after))


# GitHub's pull-request body holds at most 65,536 characters: the default leaves room for a preamble.
MAX_MARKDOWN_CHARS = 60_000
FULL_PATCH_COMMAND = "flaskmod run --dry-run --format diff > flaskmod.patch"
_NOTE_ROOM = 800  # kept free for the note that says what was trimmed


@dataclass(frozen=True)
class _Diffs:
    """A codemod's folded diffs, placed in its section while the budget lasts."""

    blocks: list[str]


def markdown_report(result: RunResult, *, unsafe: bool, max_chars: int = MAX_MARKDOWN_CHARS) -> str:
    """A pull-request description of at most ``max_chars`` characters: the summary first, then a
    folded section per codemod; diffs go in while the budget lasts, and a note says what was trimmed."""
    summary = summarize(result)
    head = ["# flaskmod migration", ""]
    head.append(
        f"{summary.files_changed} file(s) changed out of {summary.files_scanned} scanned; "
        f"{summary.findings} finding(s); {summary.unsafe_left_out} unsafe change(s) left out; "
        f"{summary.skipped} candidate(s) skipped; {summary.errors} error(s)."
    )
    head += _applied_unsafe_section(result)
    body: list[str | _Diffs] = []
    by_codemod = _records_by_codemod(result)
    for codemod in all_codemods():
        entries = by_codemod.get(codemod.ID)
        if entries:
            body += _codemod_section(codemod, entries)
    body += _errors_section(result)
    body += _notes_section(result)
    return _fit(head, body, max_chars)


def applied_unsafe(result: RunResult) -> list[tuple[FileResult, str, Note]]:
    """Every unsafe change the run applied, as (file, codemod, note), in file and codemod order."""
    return [(f, r.codemod, n) for f in result.files for r in f.records for n in r.unsafe_applied]


def _applied_unsafe_section(result: RunResult) -> list[str]:
    """Every unsafe change applied, right under the summary: no budget ever trims what may change behaviour."""
    applied = applied_unsafe(result)
    if not applied:
        return []
    lines = ["", f"> **{len(applied)} unsafe change(s) applied: behaviour may change.** Review each:", ">"]
    return lines + [f"> - `{f.display}:{n.line}` ({codemod}): {n.message}" for f, codemod, n in applied]


def _fit(head: list[str], body: list[str | _Diffs], max_chars: int) -> str:
    """Join ``head`` and ``body``, keeping diffs in order until the budget is spent."""
    fixed = sum(len(part) + 1 for part in [*head, *body] if isinstance(part, str))
    room = max_chars - fixed - _NOTE_ROOM
    shown = left_out = 0
    lines: list[str] = []
    for part in body:
        if isinstance(part, str):
            lines.append(part)
            continue
        kept = 0
        for block in part.blocks:
            if left_out or len(block) + 1 > room:
                left_out += 1
                continue
            lines.append(block)
            room -= len(block) + 1
            kept += 1
        shown += kept
        if kept < len(part.blocks):
            lines.append(f"\n_{len(part.blocks) - kept} more diff(s) of this codemod are in the full patch._")
    note = _trim_note(shown, left_out, max_chars) if left_out else []
    text = "\n".join([*head, *note, *lines]) + "\n"
    return text if len(text) <= max_chars else _cut(text, max_chars)


def _trim_note(shown: int, left_out: int, max_chars: int) -> list[str]:
    return [
        "",
        f"> **Trimmed:** {left_out} of {shown + left_out} diff(s) are left out to keep this description under "
        f"{max_chars:,} characters. Attach the full patch as an artifact: `{FULL_PATCH_COMMAND}`.",
    ]


def _cut(text: str, max_chars: int) -> str:
    """Even the lists are over the budget: cut at a line, close what is open, and say so."""
    note = (
        f"\n> **Cut:** this description stops here to stay under {max_chars:,} characters. "
        f"The full report: `flaskmod run --dry-run --format json`; the full patch: `{FULL_PATCH_COMMAND}`.\n"
    )
    kept = text[: max(0, max_chars - len(note) - 200)]
    kept = kept[: kept.rfind("\n") + 1]
    closing = "</details>\n" * (kept.count("<details>") - kept.count("</details>"))
    return kept + ("\n" if closing else "") + closing + note


_Entry = tuple[FileResult, ChangeRecord]


def _records_by_codemod(result: RunResult) -> dict[str, list[_Entry]]:
    by_codemod: dict[str, list[_Entry]] = {}
    for file in result.files:
        for record in file.records:
            by_codemod.setdefault(record.codemod, []).append((file, record))
    return by_codemod


def _codemod_section(codemod: type[Codemod], entries: list[_Entry]) -> list[str | _Diffs]:
    """One codemod's part, folded: its files, what it left out, found and skipped, and its diffs."""
    changed = [(f, r) for f, r in entries if r.changed and f.changed]
    findings = sum(len(r.findings) for _, r in entries)
    out: list[str | _Diffs] = ["", f"## `{codemod.ID}` ({codemod.SAFETY.value})", "", codemod.SUMMARY, ""]
    out += [
        f"<details><summary>{len(changed)} file(s) changed, {findings} finding(s)</summary>",
        "",
    ]
    if changed:
        out += ["| file | changes | findings |", "|---|---:|---:|"]
        out += [f"| `{f.display}` | {_hunk_count(r)} | {len(r.findings)} |" for f, r in changed]
    else:
        out.append("No file changed.")
    out += _located_list(
        "**Unsafe changes left out** (apply with `--unsafe` after review):",
        [(f, n) for f, r in entries for n in r.unsafe_left_out],
    )
    out += _located_list("**Findings:**", [(f, n) for f, r in entries for n in r.findings])
    reasons = Counter(n.message for _, r in entries for n in r.skips)
    if reasons:
        out += ["", "**Skipped candidates, by reason:**", ""]
        out += [f"- {count} × {reason}" for reason, count in _by_count(reasons)]
    if changed:
        out.append(_Diffs(["\n".join(_diff_details(file, record)) for file, record in changed]))
    out += ["", "</details>"]
    return out


def _located_list(heading: str, notes: list[tuple[FileResult, Note]]) -> list[str]:
    """A headed list of notes, each at its file and line; nothing when there are none."""
    if not notes:
        return []
    return ["", heading, "", *(f"- `{f.display}:{n.line}`: {n.message}" for f, n in notes)]


def _by_count(counts: Counter[str]) -> list[tuple[str, int]]:
    """Most frequent first, then alphabetically."""
    return sorted(counts.items(), key=lambda i: (-i[1], i[0]))


def _diff_details(file: FileResult, record: ChangeRecord) -> list[str]:
    """A record's diff, folded."""
    diff = record_diff(record, file)
    return [
        "",
        f"<details><summary><code>{file.display}</code></summary>",
        "",
        "```diff",
        diff.rstrip("\n"),
        "```",
        "",
        "</details>",
    ]


def _errors_section(result: RunResult) -> list[str]:
    errors = [f for f in result.errors if f.error]
    if not (errors or result.missing):
        return []
    out = ["", "## Errors", ""]
    out += [f"- `{f.display}`: {f.error.message}" for f in errors if f.error]
    out += [f"- `{p}`: no such file or directory" for p in result.missing]
    return out


def _notes_section(result: RunResult) -> list[str]:
    if not result.notices:
        return []
    return ["", "## Notes", "", *(f"- ({codemod}) {message}" for codemod, message in result.notices)]


# -- statistics ---------------------------------------------------------------


@dataclass(frozen=True)
class CodemodCounts:
    """One codemod's counts over a run, and its skips by kind (most frequent first)."""

    codemod: str
    files_changed: int
    changes: int
    findings: int
    unsafe_left_out: int
    unsafe_applied: int
    skipped: int
    # (kind or reason, the first reason of that kind, count)
    skips: list[tuple[str, str, int]]


def codemod_counts(result: RunResult) -> list[CodemodCounts]:
    """The counts of every codemod that has a record in ``result``, in application order."""
    counts: list[CodemodCounts] = []
    for codemod in all_codemods():
        records = [(f, r) for f in result.files for r in f.records if r.codemod == codemod.ID]
        if not records:
            continue
        changed = [r for f, r in records if r.changed and f.changed]
        counts.append(
            CodemodCounts(
                codemod=codemod.ID,
                files_changed=len(changed),
                changes=sum(_hunk_count(r) for r in changed),
                findings=sum(len(r.findings) for _, r in records),
                unsafe_left_out=sum(len(r.unsafe_left_out) for _, r in records),
                unsafe_applied=sum(len(r.unsafe_applied) for _, r in records),
                skipped=sum(len(r.skips) for _, r in records),
                skips=_skip_kinds(records),
            )
        )
    return counts


def statistics(result: RunResult) -> str:
    """Counts per codemod and per skip reason only."""
    rows: list[str] = []
    for counts in codemod_counts(result):
        rows.append(
            f"{counts.codemod}: {counts.files_changed} file(s) changed, {counts.changes} change(s), "
            f"{counts.findings} finding(s), {counts.unsafe_left_out} unsafe left out, {counts.skipped} skipped"
        )
        rows += [
            f"  {count:>5}  skipped: " + (f"[{key}] {example}" if example != key else key)
            for key, example, count in counts.skips
        ]
    summary = summarize(result)
    rows.append(
        f"total: {summary.files_scanned} file(s) scanned, {summary.files_changed} changed, {summary.errors} error(s)"
    )
    return "\n".join(rows) + "\n"


STATISTICS_SCHEMA_VERSION = 1


def statistics_json(result: RunResult, *, mode: str, unsafe: bool) -> str:
    """``--statistics --format json``: the counts per codemod and per kind of skip, and the run's summary."""
    codemods = [
        {
            "codemod": c.codemod,
            "files_changed": c.files_changed,
            "changes": c.changes,
            "findings": c.findings,
            "unsafe_left_out": c.unsafe_left_out,
            "unsafe_applied": c.unsafe_applied,
            "skipped": c.skipped,
            "skips": [{"kind": key, "example": example, "count": count} for key, example, count in c.skips],
        }
        for c in codemod_counts(result)
    ]
    document = {
        "statistics_schema_version": STATISTICS_SCHEMA_VERSION,
        "flaskmod_version": __version__,
        "mode": mode,
        "unsafe": unsafe,
        "codemods": codemods,
        "summary": summarize(result).as_dict(),
    }
    return json.dumps(document, indent=2) + "\n"


def _skip_kinds(records: list[_Entry]) -> list[tuple[str, str, int]]:
    """(kind, its first reason, count) per kind of skip, most frequent first."""
    # A kind groups reasons that differ only in the names they quote; its first reason stands for it.
    example: dict[str, str] = {}
    for _, r in records:
        for n in r.skips:
            example.setdefault(n.kind or n.message, n.message)
    reasons = Counter(n.kind or n.message for _, r in records for n in r.skips)
    return [(key, example[key], count) for key, count in _by_count(reasons)]
