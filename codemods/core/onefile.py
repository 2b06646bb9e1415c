"""The engine's work on one file, for the commands of codemod packages (see commands.py).

Commands must not import the engine; the CLI passes them :func:`run_one_file`, a
:class:`~flaskmod.codemods.core.commands.FileRunner`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.engine import RunRequest, merge_extra_edits, transform_source
from flaskmod.codemods.core.results import FileResult, display_path


def run_one_file(
    path: Path, data: bytes, codemod: type[Codemod], options: Mapping[str, Any], root: Path
) -> tuple[FileResult, list[FileResult]]:
    """``codemod`` over ``path`` (its bytes ``data``), unsafe changes allowed: see :class:`FileRunner`."""
    file = transform_source(path, display_path(path, root), data, (codemod,), {codemod.ID: options}, True)
    results = [file]
    merge_extra_edits(results, RunRequest(paths=(path,), codemods=(codemod,), allow_unsafe=True, root=root))
    return file, results
