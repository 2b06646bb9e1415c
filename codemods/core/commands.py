"""Commands a codemod package adds to `flaskmod` besides `run`, such as `flaskmod extract`.

A codemod package declares its command in a module ``command`` (one :class:`Command`
subclass); the registry finds it, so the CLI knows the command only by its name. A
command never imports the engine: the CLI hands it a :class:`FileRunner`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar, Protocol

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.results import FileResult


class CommandRefused(Exception):
    """The command was refused; ``reason`` says why, for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FileRunner(Protocol):
    """Runs ``codemod`` with ``options`` over one file's ``data`` (unsafe changes allowed), as the engine does.

    Returns the file's result as transformed, and the results of the run: the file's and
    those of the other files its edits touch, merged and checked as in a run (the merge
    may replace the file's result). Writes nothing.
    """

    def __call__(
        self, path: Path, data: bytes, codemod: type[Codemod], options: Mapping[str, Any], root: Path
    ) -> tuple[FileResult, list[FileResult]]: ...


class Command:
    """A `flaskmod NAME` subcommand that a codemod package declares.

    ``CODEMOD`` is the codemod whose ``[tool.flaskmod.<id>]`` options apply and whose
    id the output names.
    """

    NAME: ClassVar[str]
    CODEMOD: ClassVar[type[Codemod]]

    def __init__(self, run_file: FileRunner) -> None:
        self.run_file = run_file
