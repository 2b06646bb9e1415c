"""The distributions a codemod's output needs, declared by the project in the same change.

A codemod lists them in ``REQUIRES`` (PEP 508 strings: structlog-logging's output imports
``structlog``). Once the files of a run are merged, each codemod that changed a file gets
its requirements added to the project that file belongs to: the nearest folder above it
that holds a dependency declaration (``pyproject.toml``, ``requirements*.txt``,
``setup.cfg``, ``setup.py``, ``Pipfile``...). :mod:`requirements` picks the main runtime
declaration and edits it in its own style; the edit joins the write group of every file
that needs it, so the code and its dependency are written together or not at all.

What the change cannot carry is said where the user reads it: a finding on the first file
that needs the distribution when no file declares the project's dependencies (naming the
files searched), and on the declaration file when a lock file must be refreshed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from packaging.requirements import Requirement

from flaskmod.codemods.core.base import Codemod, Note
from flaskmod.codemods.core.project import Project
from flaskmod.codemods.core.requirements import (
    DECLARATION_FILES,
    RUNTIME,
    add_dependency,
    declared,
    paths_to_read,
)
from flaskmod.codemods.core.results import ChangeRecord, FileResult, display_path

# Includes of includes are followed this many rounds at most.
_INCLUDE_ROUNDS = 5


def add_required_dependencies(
    results: list[FileResult],
    codemods: Sequence[type[Codemod]],
    project: Project,
    roots: Sequence[Path],
    root: Path,
) -> None:
    """Declare each codemod's ``REQUIRES`` in the projects of the files it changed (results gain the edits).

    ``roots``: the folders the run may write in (``crossfile.write_roots``): a declaration
    above them belongs to something else. ``root``: paths are shown relative to it.
    """
    for codemod in codemods:
        if not codemod.REQUIRES:
            continue
        needing = [r for r in results if r.changed and any(c.codemod == codemod.ID and c.changed for c in r.records)]
        by_root: dict[Path | None, list[FileResult]] = {}
        for result in needing:
            by_root.setdefault(declaration_root(result.path, project, roots), []).append(result)
        for folder, files in by_root.items():
            for requirement in codemod.REQUIRES:
                _declare(results, codemod, Requirement(requirement), folder, files, project, root)


def declaration_root(path: Path, project: Project, roots: Sequence[Path]) -> Path | None:
    """The nearest folder above ``path``, inside the write roots, with a dependency declaration; else None."""
    for folder in Path(path).resolve().parents:
        if not any(folder == r or r in folder.parents for r in roots):
            return None
        if any(_declares(path, project) for path in project.matching(folder, DECLARATION_FILES)):
            return folder
    return None


def _declares(path: Path, project: Project) -> bool:
    """A declaration file; a ``setup.py`` only when it calls setuptools (a view module may be `setup.py`)."""
    if path.name != "setup.py":
        return True
    text = project.text(path) or ""
    return "setup(" in text and ("setuptools" in text or "distutils" in text)


def read_declarations(folder: Path, project: Project) -> dict[str, str]:
    """The declaration files of ``folder`` (and the files they include), as {relative POSIX path: text}."""
    files: dict[str, str] = {}
    wanted = [p.relative_to(folder).as_posix() for p in project.matching(folder, DECLARATION_FILES)]
    for _ in range(_INCLUDE_ROUNDS):
        for relative in wanted:
            text = _exact_text(folder / relative, project)
            if text is not None:
                files[relative] = text
        wanted = [p for p in paths_to_read(files) if p not in files and project.is_file(folder / p)]
        if not wanted:
            break
    return files


def _exact_text(path: Path, project: Project) -> str | None:
    """The file's text with its newlines as they are; None when unreadable or not UTF-8."""
    try:
        return project.data(path).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _declare(
    results: list[FileResult],
    codemod: type[Codemod],
    requirement: Requirement,
    folder: Path | None,
    needing: list[FileResult],
    project: Project,
    root: Path,
) -> None:
    files = read_declarations(folder, project) if folder is not None else {}
    existing = {r.path: r for r in results}
    if folder is not None:
        # A declaration this run already edited (another codemod's requirement) is the text to build on.
        for relative in files:
            earlier = existing.get(folder / relative)
            if earlier is not None and earlier.final is not None:
                files[relative] = earlier.final
    if any(d.kind == RUNTIME for d in declared(files, requirement.name)):
        return
    addition = add_dependency(files, requirement.name, str(requirement.specifier))
    if not addition.edits or folder is None:
        _say(needing[0], codemod, f"needs `{requirement}`, which the project does not declare: {addition.reason}")
        return
    for edit in addition.edits:
        target = _declaration_result(results, existing.get(folder / edit.path), folder / edit.path, project, root)
        if target is None:
            _say(needing[0], codemod, f"needs `{requirement}`: {edit.path} could not be read again to add it")
            return
        added = Note(_first_changed_line(edit.old, edit.new), "; ".join(addition.notes))
        target.records.append(ChangeRecord(codemod.ID, codemod.SAFETY, edit.old, edit.new, findings=[added]))
        target.original = target.original if target.original is not None else edit.old
        target.final = edit.new
        _join_groups(results, [target, *needing])


def _declaration_result(
    results: list[FileResult], existing: FileResult | None, path: Path, project: Project, root: Path
) -> FileResult | None:
    """The run's result for the declaration file, created (and added to ``results``) when it has none."""
    if existing is not None:
        return existing
    try:
        data = project.data(path)
    except OSError:
        return None
    result = FileResult(path=path, display=display_path(path, root), digest=hashlib.sha256(data).hexdigest())
    result.receives_edits = True
    results.append(result)
    return result


def _first_changed_line(old: str, new: str) -> int:
    for number, (before, after) in enumerate(zip(old.splitlines(), new.splitlines(), strict=False), start=1):
        if before != after:
            return number
    return min(len(old.splitlines()), len(new.splitlines())) + 1


def _say(result: FileResult, codemod: type[Codemod], message: str) -> None:
    record = next(r for r in result.records if r.codemod == codemod.ID and r.changed)
    if all(note.message != message for note in record.findings):
        record.findings.insert(0, Note(1, message))


def _join_groups(results: Iterable[FileResult], members: list[FileResult]) -> None:
    """Put ``members``, and every file already grouped with one of them, in one write group."""

    def key(result: FileResult) -> str:
        return result.group or f"\0{result.display}"

    keys = {key(m) for m in members}
    joined = [r for r in results if key(r) in keys]
    name = min(r.display for r in joined)
    for result in joined:
        result.group = name
