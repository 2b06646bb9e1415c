"""Edits a codemod makes to files other than the one it transforms.

A codemod proposes an :class:`ExtraFileEdit` (extract-services appends its services
to a services module); the engine merges them here, in the main process, once every
file is done. What holds:

- an existing module is only ever appended to: its text is the one on disk (or the
  one the run's own codemods made of it), never an empty stand-in;
- a name the target already defines is never defined again: the edit that would do
  so is withdrawn with its codemod's change to the source file, as a skip;
- a target flaskmod must not write (a symlink, outside the tree it was given, not a
  ``.py`` path) or that cannot take the code (undecodable, unparsable, generated, an
  encoding that cannot hold it) is an error for the files that edit it, and only them;
- the files one change spans form a group, written together or not at all.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from flaskmod.codemods.core.base import Codemod, ExtraFileEdit, Note
from flaskmod.codemods.core.consistency import top_level_names
from flaskmod.codemods.core.imports import NeededImport, add_imports
from flaskmod.codemods.core.project import Project, import_root
from flaskmod.codemods.core.results import ChangeRecord, FileError, FileResult, display_path
from flaskmod.codemods.core.source import SourceError, decode_source, is_generated, validate


@dataclass(frozen=True)
class _Edit:
    source: FileResult
    codemod: str
    edit: ExtraFileEdit
    target: Path


@dataclass(frozen=True)
class _Withdrawal:
    """A source file's changes from one codemod on are withdrawn (``error``: all of them, as an error)."""

    codemod: str
    message: str
    error: bool = False
    refused: bool = False


# -- the tree a run may write in ----------------------------------------------------------------


def write_roots(paths: Iterable[Path]) -> tuple[Path, ...]:
    """The directories a run over ``paths`` may write in, resolved.

    A path given reaches as far as a relative import from the code in it can: a plain
    folder is its own root; a file, or a folder that is a package, reaches the folder
    above its top-level package.
    """
    roots: list[Path] = []
    for path in paths:
        folder = Path(os.path.realpath(path))
        if not folder.is_dir():
            folder = folder.parent
        roots.append(import_root(folder))
    return tuple(dict.fromkeys(roots))


def refused_target(target: Path, roots: Sequence[Path]) -> str | None:
    """Why flaskmod will not write ``target``, or None."""
    if target.suffix != ".py":
        return "not a .py path"
    if os.path.islink(target):
        return "a symbolic link; flaskmod writes only regular files"
    if os.path.lexists(target) and not target.is_file():
        return "not a regular file"
    real = Path(os.path.realpath(target))
    if not any(real == root or root in real.parents for root in roots):
        return "outside the tree flaskmod was given"
    return None


# -- merging ------------------------------------------------------------------------------------


# Rerun one source file's codemods knowing which names each module already holds (see ``merge_edits``).
Retransform = Callable[[FileResult, Mapping[str, frozenset[str]]], FileResult]
# Run the codemods over a target's merged text: the code appended there is new to them too.
Refine = Callable[[FileResult, str], tuple[str, list[ChangeRecord]] | None]
RETRIES_PER_SOURCE = 3


@dataclass(frozen=True)
class _Clash:
    edit: _Edit
    names: frozenset[str]
    taken: frozenset[str]  # every name the target holds before this edit


def merge_edits(
    results: list[FileResult],
    codemods: Sequence[type[Codemod]],
    paths: Sequence[Path],
    root: Path,
    retransform: Retransform | None = None,
    refine: Refine | None = None,
) -> None:
    """Apply the codemods' edits to other files, in target path, codemod and source order.

    Two files of one run may each put a function of the same name into one module (a
    package's ``__init__.py`` and its ``views.py`` both extract ``load_a`` into
    ``services.py``). The later source is then transformed again, told the names the
    module holds, so it picks another name and the run is a fixed point in one step;
    without ``retransform``, or if that does not help, its change is withdrawn as a skip.
    """
    if not _edits_of(results):
        return
    _Merge(results, codemods, paths, root, retransform, refine).run()


class _Merge:
    """One run's merge: it withdraws or retransforms sources until every target takes its edits."""

    def __init__(
        self,
        results: list[FileResult],
        codemods: Sequence[type[Codemod]],
        paths: Sequence[Path],
        root: Path,
        retransform: Retransform | None,
        refine: Refine | None,
    ) -> None:
        self.results, self.codemods = results, codemods
        self.retransform = retransform
        self.refine = _once_per_text(refine) if refine is not None else None  # a merge may run several passes
        self.order = {c.ID: i for i, c in enumerate(codemods)}
        self.by_path = {r.path: r for r in results}
        targets = {e.target for e in _edits_of(results)}
        self.bases = {target: _base_of(self.by_path.get(target), target, root) for target in targets}
        self.roots = write_roots(paths)
        self.withdrawn: dict[Path, _Withdrawal] = {}
        self.reserved: dict[str, set[str]] = {}
        self.retries: dict[Path, int] = {}

    def run(self) -> None:
        while True:  # each pass withdraws or retransforms one more source, or is the last
            edits = self._active_edits()
            merged, withdrawals, clash = _merge_all(
                edits, self.bases, self.roots, self.codemods, self.order, self.refine
            )
            if clash is not None and self._retransformed(clash):
                continue
            if clash is not None:
                names = ", ".join(f"`{n}`" for n in sorted(clash.names))
                message = f"not extracted: {self.bases[clash.edit.target].display} already defines {names}"
                withdrawals[clash.edit.source.path] = _Withdrawal(clash.edit.codemod, message)
            if not withdrawals:
                break
            self.withdrawn.update(withdrawals)
        self._apply(merged)

    def _active_edits(self) -> list[_Edit]:
        return [e for e in _edits_of(self.results) if not _is_withdrawn(e, self.withdrawn, self.order)]

    def _retransformed(self, clash: _Clash) -> bool:
        """Transform the clashing source again, told the names its target holds; False when that is spent."""
        source = clash.edit.source
        if self.retransform is None or self.retries.get(source.path, 0) >= RETRIES_PER_SOURCE:
            return False
        self.retries[source.path] = self.retries.get(source.path, 0) + 1
        self.reserved.setdefault(str(clash.edit.target), set()).update(clash.taken)
        fresh = self.retransform(source, {k: frozenset(v) for k, v in self.reserved.items()})
        self.results[self.results.index(source)] = self.by_path[source.path] = fresh
        return True

    def _apply(self, merged: dict[Path, tuple[str, list[ChangeRecord]]]) -> None:
        for source_path, withdrawal in self.withdrawn.items():
            _withdraw(self.by_path[source_path], withdrawal, self.order, self.codemods)
        for target, (text, records) in merged.items():
            result = self.bases[target]
            result.original = result.original if result.original is not None else ""
            result.final = text
            result.records += records
            result.receives_edits = True
            if target not in self.by_path:
                self.results.append(result)
                self.by_path[target] = result
        _group(self.results, self._active_edits())
        self.results.sort(key=lambda r: r.display)


def _once_per_text(refine: Refine) -> Refine:
    done: dict[tuple[Path, str], tuple[str, list[ChangeRecord]] | None] = {}

    def cached(target: FileResult, text: str) -> tuple[str, list[ChangeRecord]] | None:
        key = (target.path, text)
        if key not in done:
            done[key] = refine(target, text)
        return done[key]

    return cached


def _edits_of(results: Iterable[FileResult]) -> list[_Edit]:
    return [
        _Edit(result, codemod_id, edit, Path(os.path.normpath(result.path.parent / edit.path)))
        for result in results
        for codemod_id, edit in result.extra_edits
    ]


def _is_withdrawn(edit: _Edit, withdrawn: dict[Path, _Withdrawal], order: dict[str, int]) -> bool:
    withdrawal = withdrawn.get(edit.source.path)
    return withdrawal is not None and order.get(edit.codemod, 0) >= order.get(withdrawal.codemod, 0)


def _merge_all(
    edits: list[_Edit],
    bases: dict[Path, FileResult],
    roots: Sequence[Path],
    codemods: Sequence[type[Codemod]],
    order: dict[str, int],
    refine: Refine | None = None,
) -> tuple[dict[Path, tuple[str, list[ChangeRecord]]], dict[Path, _Withdrawal], _Clash | None]:
    merged: dict[Path, tuple[str, list[ChangeRecord]]] = {}
    withdrawals: dict[Path, _Withdrawal] = {}
    for target in sorted({e.target for e in edits}):
        ours = (e for e in edits if e.target == target)
        group = sorted(ours, key=lambda e: (order.get(e.codemod, 0), e.source.display))
        base = bases[target]
        problem = _target_problem(base, roots)
        if problem is not None:
            message, refused = problem
            for e in group:
                withdrawals[e.source.path] = _Withdrawal(e.codemod, message, error=True, refused=refused)
            continue
        outcome = _merge_into(base, group, codemods)
        if isinstance(outcome, _Clash):
            return merged, withdrawals, outcome  # resolve it, then merge again
        if isinstance(outcome, dict):
            withdrawals.update(outcome)
            continue
        refined = refine(base, outcome[0]) if refine is not None else None
        merged[target] = outcome if refined is None else (refined[0], outcome[1] + refined[1])
    return merged, withdrawals, None


def _target_problem(base: FileResult, roots: Sequence[Path]) -> tuple[str, bool] | None:
    refusal = refused_target(base.path, roots)
    if refusal is not None:
        return f"refusing to write {base.display}: {refusal}", True
    if base.error is not None:
        return f"cannot add to {base.display}: {base.error.message}", False
    if base.skipped is not None:
        return f"cannot add to {base.display}: it is a {base.skipped}", False
    return None


def _merge_into(
    base: FileResult, edits: list[_Edit], codemods: Sequence[type[Codemod]]
) -> tuple[str, list[ChangeRecord]] | dict[Path, _Withdrawal] | _Clash:
    """The target's new text and one record per codemod, or why some edits cannot go in."""
    original = base.original if base.original is not None else ""
    text = base.final if base.final is not None else original
    records: list[ChangeRecord] = []
    for codemod_id in dict.fromkeys(e.codemod for e in edits):
        before = text
        ours = [e for e in edits if e.codemod == codemod_id]
        try:
            for e in ours:
                appended, clashes = append_block(text, e.edit.append)
                if clashes:
                    return _Clash(e, frozenset(clashes), frozenset(top_level_names(text)))
                text = appended
            text = _add_imports(text, [i for e in ours for i in e.edit.imports], Project().first_party(base.path))
        except cst.ParserSyntaxError as error:
            return _withdraw_all(ours, f"cannot add to {base.display}: it does not parse ({error.message})")
        safety = next(c.SAFETY for c in codemods if c.ID == codemod_id)
        records.append(ChangeRecord(codemod=codemod_id, safety=safety, before=before, after=text))
    try:
        encoded = base.encode(text)
    except UnicodeEncodeError as error:
        reason = f"its encoding ({base.encoding}) cannot hold {text[error.start : error.end]!r}"
        return _withdraw_all(edits, f"cannot add to {base.display}: {reason}")
    problem = validate(None if base.is_new else base.encode(original), encoded, text, str(base.path))
    if problem is not None:
        return _withdraw_all(edits, f"edits to {base.display} were invalid: {problem}")
    return text, records


def _withdraw_all(edits: list[_Edit], message: str) -> dict[Path, _Withdrawal]:
    return {e.source.path: _Withdrawal(e.codemod, message, error=True) for e in edits}


def append_block(text: str, block: str) -> tuple[str, set[str]]:
    """``text`` with ``block`` appended, and the names ``block`` would define a second time.

    A top-level statement of ``block`` that ``text`` already holds word for word (the
    same logger, the same import) is not appended again.
    """
    defined = top_level_names(text)
    existing = {_statement_key(module, s) for module in [cst.parse_module(text)] for s in module.body}
    addition = cst.parse_module(block)
    kept = [s for s in addition.body if _statement_key(addition, s) not in existing]
    clashes = {name for s in kept for name in top_level_names(addition.code_for_node(s))} & defined
    if not kept:
        return text, clashes
    appended = block if len(kept) == len(addition.body) else addition.with_changes(body=kept).code
    appended = appended.strip("\n") + "\n"
    # Two blank lines between top-level blocks, as PEP 8 and formatters want.
    return (text.rstrip("\n") + "\n\n\n" + appended if text.strip() else appended), clashes


def apply_edits(text: str, edits: Sequence[ExtraFileEdit]) -> str:
    """``text`` with every edit appended and the imports they need (clashes are the caller's to check)."""
    for edit in edits:
        text, _ = append_block(text, edit.append)
    return _add_imports(text, [i for edit in edits for i in edit.imports])


def _statement_key(module: cst.Module, statement: cst.BaseStatement) -> str:
    return module.code_for_node(statement.with_changes(leading_lines=())).strip()


def _add_imports(text: str, imports: list[tuple[str, str | None]], first_party: frozenset[str] = frozenset()) -> str:
    if not imports:
        return text
    module = add_imports(cst.parse_module(text), (NeededImport.of(m, name) for m, name in imports), first_party)
    return _two_blank_lines_after_imports(module).code


def _two_blank_lines_after_imports(module: cst.Module) -> cst.Module:
    """PEP 8's two blank lines between the import block and the first definition."""
    body = list(module.body)
    for index, statement in enumerate(body):
        is_import = isinstance(statement, cst.SimpleStatementLine) and all(
            isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body
        )
        if is_import:
            continue
        if index and isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            blank = [line for line in statement.leading_lines if line.comment is None]
            if len(blank) < 2 and len(blank) == len(statement.leading_lines):
                body[index] = statement.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
        break
    return module.with_changes(body=body)


# -- the target as it stands ------------------------------------------------------------------------


def _base_of(scanned: FileResult | None, target: Path, root: Path) -> FileResult:
    """The target's result to build on: the run's own, with its text, or the file as on disk."""
    if scanned is not None and (scanned.original is not None or scanned.error is not None):
        return scanned
    loaded = _load_target(target, root)
    if scanned is None:
        return loaded
    # Scanned but untouched: the run kept no text of it, so take it from disk, if it is still what was read.
    if loaded.error is None and loaded.digest != scanned.digest:
        loaded.error = FileError("changed on disk since flaskmod read it")
    scanned.error = loaded.error
    scanned.encoding, scanned.bom = loaded.encoding, loaded.bom
    scanned.original = scanned.final = loaded.original
    return scanned


def _load_target(target: Path, root: Path) -> FileResult:
    display = display_path(target, root)
    if not os.path.lexists(target):
        return FileResult(path=target, display=display, original="", final="")
    try:
        data = target.read_bytes()
        decoded = decode_source(data)
    except OSError as error:
        return FileResult(path=target, display=display, error=FileError(f"cannot read: {error.strerror or error}"))
    except SourceError as error:
        return FileResult(path=target, display=display, error=FileError(error.message, error.line))
    result = FileResult(
        path=target,
        display=display,
        digest=hashlib.sha256(data).hexdigest(),
        encoding=decoded.encoding,
        bom=decoded.bom,
        original=decoded.text,
        final=decoded.text,
    )
    if is_generated(decoded.text):
        result.skipped = "generated file"
    return result


# -- withdrawing a source's change ------------------------------------------------------------------


def _withdraw(
    source: FileResult, withdrawal: _Withdrawal, order: dict[str, int], codemods: Sequence[type[Codemod]]
) -> None:
    """Undo ``withdrawal.codemod``'s change to ``source`` and everything after it."""
    first = order.get(withdrawal.codemod, 0)
    cut = next((i for i, r in enumerate(source.records) if order.get(r.codemod, 0) >= first), len(source.records))
    kept, dropped = source.records[:cut], source.records[cut:]
    text = dropped[0].before if dropped else source.final
    source.extra_edits = [(c, e) for c, e in source.extra_edits if order.get(c, 0) < first]
    if withdrawal.error or text is None or not _still_valid(source, text):
        source.error = FileError(withdrawal.message, kind="refused" if withdrawal.refused else "error")
        source.final = source.original
        source.extra_edits = []
        return
    line = next((n.line for r in dropped for n in r.unsafe_applied + r.findings if n.line), 0)
    safety = next(c.SAFETY for c in codemods if c.ID == withdrawal.codemod)
    note = Note(line, withdrawal.message)
    source.records = [*kept, ChangeRecord(withdrawal.codemod, safety, before=text, after=text, skips=[note])]
    source.final = text


def _still_valid(source: FileResult, text: str) -> bool:
    if text == source.original or source.original is None:
        return True
    return validate(source.encode(source.original), source.encode(text), text, str(source.path)) is None


# -- groups ---------------------------------------------------------------------------------------


def _group(results: list[FileResult], edits: list[_Edit]) -> None:
    """Files linked by an edit share a group, named after its first file."""
    parent: dict[Path, Path] = {}

    def find(path: Path) -> Path:
        while parent.get(path, path) != path:
            path = parent[path]
        return path

    for e in edits:
        a, b = find(e.source.path), find(e.target)
        if a != b:
            parent[max(a, b)] = min(a, b)
    by_path = {r.path: r for r in results}
    members: dict[Path, list[FileResult]] = {}
    for path in {p for e in edits for p in (e.source.path, e.target)}:
        if path in by_path:
            members.setdefault(find(path), []).append(by_path[path])
    for group in members.values():
        name = min(r.display for r in group)
        for result in group:
            result.group = name


def groups_of(results: Iterable[FileResult]) -> list[list[FileResult]]:
    """The files as write groups: a group's edit targets first, then the files that edit them."""
    groups: dict[str, list[FileResult]] = {}
    for result in results:
        groups.setdefault(result.group or f"\0{result.display}", []).append(result)
    return [sorted(g, key=lambda r: (not r.receives_edits, r.display)) for _, g in sorted(groups.items())]
