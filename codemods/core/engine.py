"""The run: discover, transform each file in a worker, merge, validate, write.

Nothing here knows about terminals: the CLI turns options into a
:class:`RunRequest` and renders the :class:`RunResult`.
"""

from __future__ import annotations

import hashlib
import os
import traceback
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import libcst as cst
from libcst.codemod import CodemodContext, SkipFile
from libcst.metadata import MetadataWrapper

from codemods.core.base import Codemod, ExtraFileEdit, Note, Safety
from codemods.core.discovery import PathPatterns, discover
from codemods.core.imports import NeededImport, add_imports
from codemods.core.registry import all_codemods
from codemods.core.source import SourceError, compiles, decode_source, parse, validate

# A file carrying this marker near its top is generated and never rewritten.
GENERATED_MARKER = "@" + "generated"
GENERATED_HEADER_CHARS = 2048


@dataclass(frozen=True)
class RunRequest:
    paths: tuple[Path, ...]
    codemods: tuple[type[Codemod], ...]
    allow_unsafe: bool = False
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    excludes: tuple[PathPatterns, ...] = ()
    jobs: int = 1
    # Paths are shown relative to this directory (the one flaskmod runs in).
    root: Path = field(default_factory=Path.cwd)


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

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass
class FileError:
    message: str
    line: int | None = None


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


def transform_source(
    path: Path,
    display: str,
    data: bytes,
    codemods: Sequence[type[Codemod]],
    options: Mapping[str, Mapping[str, Any]],
    allow_unsafe: bool,
) -> FileResult:
    """Run the codemods over one file's bytes. Never raises."""
    result = FileResult(path=path, display=display, digest=hashlib.sha256(data).hexdigest())
    try:
        decoded = decode_source(data)
    except SourceError as error:
        result.error = FileError(error.message, error.line)
        return result
    result.encoding, result.bom = decoded.encoding, decoded.bom
    text = decoded.text
    if GENERATED_MARKER in text[:GENERATED_HEADER_CHARS]:
        result.skipped = "generated file"
        return result
    triggered = {c.ID for c in codemods if c.might_apply(text)}
    if not triggered:
        return result
    try:
        module = parse(text)
    except SourceError as error:
        # Report the line CPython reports, where it agrees that the file is invalid.
        python_error = compiles(data, str(path))
        line = python_error.lineno if python_error is not None and python_error.lineno else error.line
        result.error = FileError(error.message, line)
        return result
    result.parsed = True
    current = text
    wrapper: MetadataWrapper | None = None  # shared by codemods while the tree is unchanged
    for codemod_class in codemods:
        # An earlier codemod's output may be what concerns this one.
        if not (codemod_class.ID in triggered if current is text else codemod_class.might_apply(current)):
            continue
        if not codemod_class.should_transform(module):
            continue
        if wrapper is None or wrapper.module is not module:
            wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        codemod = codemod_class(
            CodemodContext(filename=str(path)),
            options=options.get(codemod_class.ID, {}),
            allow_unsafe=allow_unsafe,
            source=current,
        )
        codemod.shared_wrapper = wrapper
        try:
            new_module = codemod.transform_module(module)
        except SkipFile as skip:
            codemod.report.skips.append(Note(0, str(skip) or "file skipped"))
            new_module = module
        except Exception as error:  # a codemod bug must not cost the user the other files
            detail = traceback.format_exception_only(type(error), error)[-1].strip()
            result.error = FileError(f"codemod {codemod_class.ID} failed: {detail}")
            result.records.clear()
            return result
        new_text = current if new_module is module else new_module.code
        report = codemod.report
        if new_text != current or not report.is_empty():
            result.records.append(
                ChangeRecord(
                    codemod=codemod_class.ID,
                    safety=codemod_class.SAFETY,
                    before=current,
                    after=new_text,
                    findings=report.findings,
                    skips=report.skips,
                    unsafe_left_out=report.unsafe_left_out,
                    unsafe_applied=report.unsafe_applied,
                    facts=report.facts,
                )
            )
            result.extra_edits += [(codemod_class.ID, edit) for edit in report.extra_edits]
        if new_text != current:
            module, current = new_module, new_text
    if result.records or result.extra_edits:
        result.original, result.final = text, current
    if current != text:
        problem = validate(data, decoded.encode(current), current, str(path))
        if problem is not None:
            culprit = _first_invalid_record(result, data, decoded.encode, str(path))
            result.error = FileError(f"{problem}; {culprit} left the file unchanged")
            result.final = text
            result.extra_edits.clear()
    return result


def _first_invalid_record(result: FileResult, original: bytes, encode: Callable[[str], bytes], filename: str) -> str:
    for record in result.records:
        if record.changed and validate(original, encode(record.after), record.after, filename) is not None:
            return f"codemod {record.codemod} produced it, so flaskmod"
    return "flaskmod"


# -- workers ------------------------------------------------------------------

_worker_state: dict[str, Any] = {}


def _init_worker(codemod_ids: tuple[str, ...], options: Mapping[str, Any], allow_unsafe: bool) -> None:
    by_id = {c.ID: c for c in all_codemods()}
    _worker_state.update(codemods=tuple(by_id[i] for i in codemod_ids), options=options, allow_unsafe=allow_unsafe)


def _process_chunk(chunk: list[tuple[Path, str]]) -> list[FileResult]:
    return [
        _process_file(path, display, _worker_state["codemods"], _worker_state["options"], _worker_state["allow_unsafe"])
        for path, display in chunk
    ]


def _process_file(
    path: Path,
    display: str,
    codemods: Sequence[type[Codemod]],
    options: Mapping[str, Mapping[str, Any]],
    allow_unsafe: bool,
) -> FileResult:
    try:
        data = path.read_bytes()
    except OSError as error:
        return FileResult(path=path, display=display, error=FileError(f"cannot read: {error.strerror}"))
    return transform_source(path, display, data, codemods, options, allow_unsafe)


def _chunks(items: list[tuple[Path, str]], jobs: int) -> list[list[tuple[Path, str]]]:
    # Several chunks per worker keep the load even; small ones keep progress moving.
    size = max(1, min(32, len(items) // (jobs * 8) or 1))
    return [items[i : i + size] for i in range(0, len(items), size)]


def run(request: RunRequest, on_progress: Callable[[int, int], None] | None = None) -> RunResult:
    """Transform every file the request covers; write nothing."""
    discovery = discover(request.paths, request.excludes)
    items = [(path, display_path(path, request.root)) for path in discovery.files]
    total = len(items)
    results: list[FileResult] = []

    def done(batch: list[FileResult]) -> None:
        results.extend(batch)
        if on_progress is not None:
            on_progress(len(results), total)

    jobs = max(1, min(request.jobs, total))
    if jobs == 1:
        for path, display in items:
            done([_process_file(path, display, request.codemods, request.options, request.allow_unsafe)])
    else:
        ids = tuple(c.ID for c in request.codemods)
        with ProcessPoolExecutor(
            max_workers=jobs,
            initializer=_init_worker,
            initargs=(ids, dict(request.options), request.allow_unsafe),
        ) as pool:
            futures = [pool.submit(_process_chunk, chunk) for chunk in _chunks(items, jobs)]
            for future in as_completed(futures):
                done(future.result())
    results.sort(key=lambda r: r.display)
    merge_extra_edits(results, request)
    add_project_findings(results, request.codemods, discovery.files, request.root)
    notices: list[tuple[str, str]] = []
    for codemod in request.codemods:
        changed = [
            (f.path, f.final)
            for f in results
            if f.changed and f.final is not None and any(r.codemod == codemod.ID and r.changed for r in f.records)
        ]
        notices += [(codemod.ID, message) for message in codemod.run_notices(changed, discovery.files)]
    return RunResult(files=results, scanned=total, missing=discovery.missing, notices=notices)


# -- the project-wide pass ------------------------------------------------------


def add_project_findings(
    results: Sequence[FileResult], codemods: Sequence[type[Codemod]], scanned: Sequence[Path], root: Path
) -> None:
    """Give each codemod the facts it shared from every file; attach the findings it returns."""
    for codemod in codemods:
        records = {
            result.path: record
            for result in results
            for record in result.records
            if record.codemod == codemod.ID and record.facts
        }
        if not records:
            continue
        facts = [(path, fact) for path, record in records.items() for fact in record.facts]
        for finding in codemod.project_findings(facts, scanned):
            record = records[finding.path]
            related = (display_path(finding.related_path, root), finding.related_line)
            record.findings.append(Note(finding.line, f"{related[0]}:{related[1]} {finding.message}", related))
        for record in records.values():
            record.findings.sort(key=lambda note: note.line)


# -- edits to other files -----------------------------------------------------


def merge_extra_edits(results: list[FileResult], request: RunRequest) -> None:
    """Apply the codemods' edits to other files, in path then codemod order."""
    order = {c.ID: i for i, c in enumerate(request.codemods)}
    by_target: dict[Path, list[tuple[FileResult, str, ExtraFileEdit]]] = {}
    for result in results:
        for codemod_id, edit in result.extra_edits:
            target = Path(os.path.normpath(result.path.parent / edit.path))
            by_target.setdefault(target, []).append((result, codemod_id, edit))
    if not by_target:
        return
    by_path = {r.path: r for r in results}
    for target in sorted(by_target):
        edits = sorted(by_target[target], key=lambda e: (order.get(e[1], 0), e[0].display))
        target_result = by_path.get(target) or _load_target(target, request.root)
        if target_result.error is not None:
            _reject_sources(edits, f"cannot edit {target_result.display}: {target_result.error.message}")
            continue
        original = target_result.original if target_result.original is not None else target_result.final or ""
        text = target_result.final if target_result.final is not None else original
        records: list[ChangeRecord] = []
        for codemod_id in sorted({e[1] for e in edits}, key=lambda i: order.get(i, 0)):
            before = text
            text = _apply_edits(text, [e[2] for e in edits if e[1] == codemod_id])
            codemod = next(c for c in request.codemods if c.ID == codemod_id)
            records.append(ChangeRecord(codemod=codemod_id, safety=codemod.SAFETY, before=before, after=text))
        original_bytes = None if target_result.is_new else target_result.encode(original)
        problem = validate(original_bytes, target_result.encode(text), text, str(target))
        if problem is not None:
            _reject_sources(edits, f"edits to {target_result.display} were invalid: {problem}")
            continue
        target_result.original = original
        target_result.final = text
        target_result.records += records
        if target not in by_path:
            results.append(target_result)
            by_path[target] = target_result
    results.sort(key=lambda r: r.display)


def _load_target(target: Path, root: Path) -> FileResult:
    display = display_path(target, root)
    if not target.exists():
        return FileResult(path=target, display=display, original="", final="")
    try:
        data = target.read_bytes()
        decoded = decode_source(data)
    except (OSError, SourceError) as error:
        return FileResult(path=target, display=display, error=FileError(str(error)))
    return FileResult(
        path=target,
        display=display,
        digest=hashlib.sha256(data).hexdigest(),
        encoding=decoded.encoding,
        bom=decoded.bom,
        original=decoded.text,
        final=decoded.text,
    )


def _apply_edits(text: str, edits: list[ExtraFileEdit]) -> str:
    for edit in edits:
        block = edit.append.strip("\n") + "\n"
        # Two blank lines between top-level blocks, as PEP 8 and formatters want.
        text = text.rstrip("\n") + "\n\n\n" + block if text.strip() else block
    imports = [i for edit in edits for i in edit.imports]
    if imports:
        module = add_imports(cst.parse_module(text), (NeededImport.of(m, name) for m, name in imports))
        text = _two_blank_lines_after_imports(module).code
    return text


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


def _reject_sources(edits: list[tuple[FileResult, str, ExtraFileEdit]], message: str) -> None:
    # The source files' rewrites rely on the other file: keep neither.
    for source, _, _ in edits:
        source.error = FileError(message)
        source.final = source.original
