"""Painting a run for a terminal with rich: headed, numbered, highlighted diffs and a summary.

The diff itself comes from difflib (``SequenceMatcher`` opcodes, the same ones
``unified_diff`` uses); this module only colours it.
"""

from __future__ import annotations

import difflib

from rich.console import Console, Group, RenderableType
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from flaskmod.codemods.core.base import Note
from flaskmod.codemods.core.engine import ChangeRecord, FileResult, RunResult
from flaskmod.codemods.core.report import split_lines, summarize

# Characters a terminal acts on instead of showing (escape sequences that clear the screen or
# retitle the window, carriage returns that overwrite a line, bidirectional overrides that
# reorder it): shown as Python escapes. Tab and newline are kept.
_INVISIBLE = [
    *range(0x00, 0x09),
    *range(0x0B, 0x20),
    *range(0x7F, 0xA0),
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
]
VISIBLE = str.maketrans(
    {
        code: ("\\r" if code == 0x0D else f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        for code in [*_INVISIBLE, 0xFEFF, 0x2028, 0x2029]
    }
)


def visible(text: str) -> str:
    """``text`` with every character a terminal would act on written as its Python escape (``\\x1b``)."""
    return text.translate(VISIBLE)


def one_line(text: str) -> str:
    """``visible(text)`` with newlines escaped too: for a path or a message that must stay one line."""
    return visible(text).replace("\n", "\\n")


THEME = "ansi_dark"
REMOVED = "on #3f1d1d"
ADDED = "on #173f24"
CONTEXT_LINES = 3


def _highlighted_lines(text: str) -> list[Text]:
    plain = visible(text.replace("\r\n", "\n"))
    highlighted = Syntax("", "python", theme=THEME, background_color="default").highlight(plain)
    highlighted.rstrip()
    return highlighted.split("\n", allow_blank=True)


def diff_renderable(before: str, after: str) -> RenderableType:
    """Line-numbered diff with Python highlighting inside the added and removed lines."""
    old_lines = [line.rstrip("\r\n") for line in split_lines(before)]
    new_lines = [line.rstrip("\r\n") for line in split_lines(after)]
    old_painted = _highlighted_lines(before)
    new_painted = _highlighted_lines(after)
    width = len(str(max(len(old_lines), len(new_lines), 1)))
    rows: list[Text] = []

    def row(old: int | None, new: int | None, sign: str, code: Text, background: str | None) -> None:
        line = Text.assemble(
            Text(f"{'' if old is None else old:>{width}} ", style="dim"),
            Text(f"{'' if new is None else new:>{width}} ", style="dim"),
            Text(f"{sign} ", style="bold red" if sign == "-" else "bold green" if sign == "+" else ""),
            code.copy(),
        )
        if background:
            line.stylize(background, 2 * width + 2)
        rows.append(line)

    def painted(lines: list[Text], index: int) -> Text:
        return lines[index] if index < len(lines) else Text("")

    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for group in matcher.get_grouped_opcodes(CONTEXT_LINES):
        first, last = group[0], group[-1]
        rows.append(
            Text(
                f"@@ -{first[1] + 1},{last[2] - first[1]} +{first[3] + 1},{last[4] - first[3]} @@",
                style="cyan",
            )
        )
        for tag, a_start, a_end, b_start, b_end in group:
            if tag == "equal":
                for offset in range(a_end - a_start):
                    row(a_start + offset + 1, b_start + offset + 1, " ", painted(old_painted, a_start + offset), None)
                continue
            for index in range(a_start, a_end):
                row(index + 1, None, "-", painted(old_painted, index), REMOVED)
            for index in range(b_start, b_end):
                row(None, index + 1, "+", painted(new_painted, index), ADDED)
    return Group(*rows)


def _note_lines(record: ChangeRecord) -> list[Text]:
    lines: list[Text] = []

    def add(notes: list[Note], label: str, style: str) -> None:
        for note in notes:
            where = f"line {note.line}: " if note.line else ""
            lines.append(Text.assemble(Text(f"  {label} ", style=style), Text(visible(f"{where}{note.message}"))))

    add(record.findings, "finding", "bold yellow")
    add(record.unsafe_applied, "unsafe (applied)", "bold magenta")
    add(record.unsafe_left_out, "unsafe, left out (use --unsafe)", "bold magenta")
    add(record.skips, "skipped", "bold blue")
    return lines


def render_file(console: Console, file: FileResult, *, show_diff: bool, verb: str) -> None:
    if not (file.records or file.error):
        return
    heading = Text(one_line(file.display), style="bold")
    if file.changed:
        heading.append(f"  {verb}", style="green")
    console.print(heading)
    for record in file.records:
        console.print(
            Text.assemble(
                Text(f"─ {record.codemod} ", style="bold cyan"), Text(f"({record.safety.value})", style="dim")
            )
        )
        if show_diff and record.changed and file.changed:
            console.print(diff_renderable(record.before, record.after))
        for line in _note_lines(record):
            console.print(line, soft_wrap=True)
    console.print()


def render_summary(console: Console, result: RunResult, *, unsafe_hint: bool) -> None:
    summary = summarize(result)
    table = Table(title="flaskmod summary", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("files scanned", str(summary.files_scanned))
    table.add_row("files changed", str(summary.files_changed))
    for codemod, count in sorted(summary.changes.items()):
        table.add_row(f"  changes by {codemod}", str(count))
    table.add_row("unsafe changes left out", str(summary.unsafe_left_out))
    table.add_row("skipped candidates", str(summary.skipped))
    table.add_row("findings", str(summary.findings))
    if summary.generated_files:
        table.add_row("generated files passed over", str(summary.generated_files))
    table.add_row("errors", str(summary.errors), style="red" if summary.errors else None)
    console.print(table)
    for codemod, message in result.notices:
        console.print(
            Text.assemble(Text(f"note ({codemod}): ", style="bold yellow"), Text(visible(message))), soft_wrap=True
        )
    if unsafe_hint and summary.unsafe_left_out:
        console.print(f"{summary.unsafe_left_out} unsafe change(s) left out: review them and rerun with --unsafe.")


def render_run(console: Console, result: RunResult, *, mode: str, unsafe: bool) -> None:
    verb = {"dry-run": "would change", "check": "would change", "write": "changed"}[mode]
    for file in result.files:
        render_file(console, file, show_diff=mode != "write", verb=verb)
    render_summary(console, result, unsafe_hint=not unsafe)
