"""``format-command``: the project's own formatter, run on the Python files flaskmod wrote.

A codemod keeps the code around its edit as it was, but what it adds (a new import block, a new
view, keyword arguments) is in flaskmod's style, not the project's. Running the project's formatter
(``ruff format``, ``black -q``, ``isort``...) on the written files lets a migration pull request pass
the project's own lint. The command gets the written ``.py``/``.pyi`` files as arguments, runs in the
directory flaskmod runs in, and only after writing: ``--dry-run`` and ``--check`` show flaskmod's own
output, unformatted.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Sequence
from pathlib import Path

PYTHON_SUFFIXES = (".py", ".pyi")


class FormatFailed(Exception):
    """The format command could not run or exited non-zero; ``reason`` names it and says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def command_problem(command: str) -> str | None:
    """Why ``command`` is not a usable format command (empty, unbalanced quotes); None when it is."""
    try:
        words = shlex.split(command)
    except ValueError as error:
        return f"cannot be split into words: {error}"
    return None if words else "is empty"


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else "no message"


def format_files(command: str, paths: Sequence[Path], cwd: Path) -> list[Path]:
    """Run ``command`` on the Python files of ``paths``; those it was given. Raises FormatFailed."""
    targets = [p for p in paths if p.suffix in PYTHON_SUFFIXES]
    if not targets:
        return []
    arguments = [os.path.relpath(p, cwd) if p.is_absolute() else str(p) for p in targets]
    try:
        done = subprocess.run([*shlex.split(command), *arguments], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as error:
        raise FormatFailed(f"format command `{command}` cannot run: {error.strerror or error}") from None
    if done.returncode != 0:
        why = _first_line(done.stderr or done.stdout)
        raise FormatFailed(f"format command `{command}` failed (exit {done.returncode}): {why}")
    return targets
