"""Plain reports of a run: unified diffs, the patch, the JSON document and the summary.

The difflib diff is the truth; the rich renderer only paints it.
"""

from __future__ import annotations

import difflib
import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flaskmod import __version__
from flaskmod.codemods.core.base import Note
from flaskmod.codemods.core.engine import ChangeRecord, FileResult, RunResult

JSON_SCHEMA_VERSION = 1
NO_NEWLINE = "\\ No newline at end of file\n"
BOM = "\ufeff"


def _with_newline_markers(lines: Iterable[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line.endswith("\n"):
            out.append(line)
        else:
            out += [line + "\n", NO_NEWLINE]
    return out


def split_lines(text: str) -> list[str]:
    """Lines as git and ``patch`` see them: ended by ``\\n`` only (not ``\\f``, ``\\x1c``, U+2028...)."""
    lines = text.split("\n")
    result = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        result.append(lines[-1])
    return result


# git's C-style quoting (quote.c, core.quotePath on, its default): these bytes get a letter...
_C_ESCAPES: dict[int, str] = {7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r", 0x22: '"', 0x5C: "\\"}


def _must_quote(byte: int) -> bool:
    return byte < 0x20 or byte >= 0x7F or byte in _C_ESCAPES


def git_quote(name: str) -> str:
    """``name`` as git writes it in a patch header: as is, or in double quotes with C escapes.

    A control character, ``"``, ``\\``, DEL or any non-ASCII byte (of the name's file-system
    encoding) makes git quote the whole name: ``"a/tab\\there.py"``, ``"a/caf\\303\\251.py"``.
    """
    data = os.fsencode(name)
    if not any(_must_quote(byte) for byte in data):
        return name
    # ...and every other byte to quote is written as three octal digits.
    escaped = "".join(
        f"\\{_C_ESCAPES[byte]}" if byte in _C_ESCAPES else f"\\{byte:03o}" if _must_quote(byte) else chr(byte)
        for byte in data
    )
    return f'"{escaped}"'


def _diff_lines(before: str, after: str, path: str, new_file: bool) -> list[str]:
    """difflib's unified diff, headed as git heads it; empty when nothing changed."""
    if before == after:
        return []
    old_name, new_name = git_quote(f"a/{path}"), git_quote(f"b/{path}")
    # git ends a ---/+++ name holding a space with a tab (so GNU patch does not read on past it).
    tab = "\t" if " " in path else ""
    lines = list(
        difflib.unified_diff(
            split_lines(before),
            split_lines(after),
            fromfile="/dev/null" if new_file else old_name + tab,
            tofile=new_name + tab,
        )
    )
    header = [f"diff --git {old_name} {new_name}\n"] + (["new file mode 100644\n"] if new_file else [])
    return header + lines


def unified_diff(before: str, after: str, path: str, *, new_file: bool = False) -> str:
    """A unified diff with git's ``a/`` and ``b/`` prefixes; empty when nothing changed."""
    return "".join(_with_newline_markers(_diff_lines(before, after, path, new_file)))


def record_diff(record: ChangeRecord, file: FileResult) -> str:
    new_file = file.is_new and record.before == ""
    return unified_diff(record.before, record.after, file.display, new_file=new_file)


def file_patch(file: FileResult) -> bytes:
    """The whole file's change in the file's own encoding (and BOM), so ``git apply`` writes the same bytes."""
    assert file.original is not None and file.final is not None
    before, after = file.original, file.final
    if file.bom:
        # For git the BOM is part of the first line's bytes: diffed as such, a line that moves to or
        # from the top is removed and added, never context that would carry the BOM to the wrong place.
        before = before if file.is_new else BOM + before
        after = BOM + after
    out = bytearray()
    in_header = True
    for line in _diff_lines(before, after, file.display, file.is_new):
        if in_header or line.startswith("@@"):
            in_header = not line.startswith("@@")
            out += line.encode("utf-8")
            continue
        kind, content = line[0], line[1:]
        out += kind.encode("ascii") + content.encode(file.encoding)
        if not content.endswith("\n"):
            out += b"\n" + NO_NEWLINE.encode("ascii")
    return bytes(out)


def run_patch(result: RunResult) -> bytes:
    return b"".join(file_patch(f) for f in result.changed_files)


@dataclass
class Summary:
    files_scanned: int = 0
    files_changed: int = 0
    changes: Counter[str] = field(default_factory=Counter)
    unsafe_left_out: int = 0
    skipped: int = 0
    findings: int = 0
    errors: int = 0
    generated_files: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "files_scanned": self.files_scanned,
            "files_changed": self.files_changed,
            "changes": dict(self.changes),
            "unsafe_left_out": self.unsafe_left_out,
            "skipped": self.skipped,
            "findings": self.findings,
            "errors": self.errors,
            "generated_files": self.generated_files,
        }


def summarize(result: RunResult) -> Summary:
    summary = Summary(files_scanned=result.scanned, errors=len(result.errors) + len(result.missing))
    for file in result.files:
        if file.skipped:
            summary.generated_files += 1
        if file.changed:
            summary.files_changed += 1
        for record in file.records:
            if record.changed and file.changed:
                summary.changes[record.codemod] += 1
            summary.unsafe_left_out += len(record.unsafe_left_out)
            summary.skipped += len(record.skips)
            summary.findings += len(record.findings)
    return summary


def _notes(notes: list[Note], key: str) -> list[dict[str, Any]]:
    return [_note(n, key) for n in notes]


def _note(note: Note, key: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"line": note.line, key: note.message}
    if note.related is not None:
        entry["related"] = {"path": note.related[0], "line": note.related[1]}
    return entry


def json_report(result: RunResult, *, mode: str, codemods: list[str], unsafe: bool, written: set[str]) -> str:
    """The machine report; its shape is documented in README.md ("JSON output")."""
    files: list[dict[str, Any]] = []
    for file in result.files:
        if not (file.records or file.error or file.skipped):
            continue
        entry: dict[str, Any] = {
            "path": file.display,
            "status": "error"
            if file.error
            else "changed"
            if file.changed
            else "skipped"
            if file.skipped
            else "unchanged",
            "new_file": file.is_new,
            "written": file.display in written,
            "skipped_reason": file.skipped,
            "error": None if file.error is None else {"message": file.error.message, "line": file.error.line},
            "changes": [
                {
                    "codemod": r.codemod,
                    "safety": r.safety.value,
                    "diff": record_diff(r, file) if file.changed else "",
                    "findings": _notes(r.findings, "message"),
                    "skipped": _notes(r.skips, "reason"),
                    "unsafe_left_out": _notes(r.unsafe_left_out, "message"),
                    "unsafe_applied": _notes(r.unsafe_applied, "message"),
                }
                for r in file.records
            ],
        }
        files.append(entry)
    document = {
        "schema_version": JSON_SCHEMA_VERSION,
        "flaskmod_version": __version__,
        "mode": mode,
        "unsafe": unsafe,
        "codemods": codemods,
        "summary": summarize(result).as_dict(),
        "files": files,
        "notices": [{"codemod": codemod, "message": message} for codemod, message in result.notices],
        "errors": [
            *({"path": f.display, "message": f.error.message, "line": f.error.line} for f in result.errors if f.error),
            *({"path": str(p), "message": "no such file or directory", "line": None} for p in result.missing),
        ],
    }
    return json.dumps(document, indent=2) + "\n"
