"""The run: discover, transform each file in a worker, merge, validate, write.

Nothing here knows about terminals: the CLI turns options into a
:class:`RunRequest` and renders the :class:`RunResult`.
"""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import libcst as cst
from libcst.codemod import CodemodContext, SkipFile
from libcst.metadata import MetadataWrapper

from flaskmod.codemods.core import project as project_module
from flaskmod.codemods.core.base import Codemod, Note
from flaskmod.codemods.core.cache import MISSING, ResultCache, settings_digest
from flaskmod.codemods.core.consistency import check_imports
from flaskmod.codemods.core.crossfile import merge_edits, write_roots
from flaskmod.codemods.core.dependencies import add_required_dependencies
from flaskmod.codemods.core.discovery import PathPatterns, discover
from flaskmod.codemods.core.ignores import PerFileIgnore, codemods_for, unknown_ignore_ids
from flaskmod.codemods.core.lines import compose, line_origins, origin_of
from flaskmod.codemods.core.project import Project, Question
from flaskmod.codemods.core.registry import all_codemods, codemod_ids
from flaskmod.codemods.core.results import ChangeRecord, FileError, FileResult, RunResult, display_path
from flaskmod.codemods.core.source import SourceError, compiles, decode_source, is_generated, parse, validate

# What a run notice about a `# flaskmod: ignore[...]` comment naming no codemod is filed under.
IGNORE_COMMENT_NOTICE = "ignore-comment"
# Passes of every codemod over one file, at most: the last one normally changes nothing.
MAX_PASSES = 3


@dataclass(frozen=True)
class RunRequest:
    paths: tuple[Path, ...]
    codemods: tuple[type[Codemod], ...]
    allow_unsafe: bool = False
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    excludes: tuple[PathPatterns, ...] = ()
    per_file_ignores: tuple[PerFileIgnore, ...] = ()
    jobs: int = 1
    # Paths are shown relative to this directory (the one flaskmod runs in).
    root: Path = field(default_factory=Path.cwd)
    # The result cache's folder (see cache.py); None: no cache read or written.
    cache_dir: Path | None = None


def transform_source(
    path: Path,
    display: str,
    data: bytes,
    codemods: Sequence[type[Codemod]],
    options: Mapping[str, Mapping[str, Any]],
    allow_unsafe: bool,
    reserved: Mapping[str, frozenset[str]] | None = None,
    project: Project | None = None,
) -> FileResult:
    """Run the codemods over one file's bytes. Never raises.

    ``reserved``: names other files of the run already put into a module (by its path).
    ``project``: the files around the run (default: none scanned, the disk for the rest).
    """
    result = FileResult(path=path, display=display, digest=hashlib.sha256(data).hexdigest())
    try:
        decoded = decode_source(data)
    except SourceError as error:
        result.error = FileError(error.message, error.line)
        return result
    result.encoding, result.bom = decoded.encoding, decoded.bom
    text = decoded.text
    if is_generated(text):
        result.skipped = "generated file"
        return result
    result.unknown_ignores = unknown_ignore_ids(text, codemod_ids())
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
    # The text each codemod last ended with: a codemod that settles in one run (`SETTLES_IN_ONE_RUN`)
    # would leave it as it is, so a later pass runs it only when another codemod changed the text since.
    settled: dict[str, str] = {}
    for pass_number in range(MAX_PASSES):
        # Later codemods can make work for earlier ones (an extraction leaves a view split-get-post
        # can split): run them again until a pass changes nothing, so one run is a fixed point.
        gate = triggered if pass_number == 0 else None
        outcome = _one_pass(
            result,
            path,
            module,
            current,
            codemods,
            options,
            allow_unsafe,
            reserved,
            gate,
            project or Project(),
            settled,
        )
        if outcome is None:
            return result
        if outcome[1] == current:
            break
        module, current = outcome
    if result.records or result.extra_edits:
        result.original, result.final = text, current
        _lines_as_in_the_tree(result, text)
    if current != text:
        problem = validate(data, decoded.encode(current), current, str(path))
        if problem is not None:
            culprit = _first_invalid_record(result, data, decoded.encode, str(path))
            result.error = FileError(f"{problem}; {culprit} left the file unchanged")
            result.final = text
            result.extra_edits.clear()
    return result


def _one_pass(
    result: FileResult,
    path: Path,
    module: cst.Module,
    text: str,
    codemods: Sequence[type[Codemod]],
    options: Mapping[str, Mapping[str, Any]],
    allow_unsafe: bool,
    reserved: Mapping[str, frozenset[str]] | None,
    triggered: set[str] | None,
    project: Project,
    settled: dict[str, str],
) -> tuple[cst.Module, str] | None:
    """Every codemod once over ``module``, in order, and the text it ends with; None when one crashed.

    Records go to ``result``.

    ``triggered``: the first pass's cheap text test, valid while the text is the file's own.
    ``settled``: the text each codemod last ended with (updated here); a codemod is not run on it again.
    """
    current = text
    wrapper: MetadataWrapper | None = None  # shared by codemods while the tree is unchanged
    first_pass = triggered is not None
    for codemod_class in codemods:
        if codemod_class.SETTLES_IN_ONE_RUN and settled.get(codemod_class.ID) == current:
            continue
        # An earlier codemod's output may be what concerns this one.
        if not (
            codemod_class.ID in triggered if first_pass and current is text else codemod_class.might_apply(current)
        ) or not codemod_class.should_transform(module):
            settled[codemod_class.ID] = current
            continue
        if wrapper is None or wrapper.module is not module:
            wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        codemod = codemod_class(
            CodemodContext(filename=str(path)),
            options=options.get(codemod_class.ID, {}),
            allow_unsafe=allow_unsafe,
            source=current,
            reserved=reserved,
            project=project,
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
            return None
        new_text = current if new_module is module else new_module.code
        settled[codemod_class.ID] = new_text
        _record(result, codemod_class, codemod, current, new_text, first_pass)
        if new_text != current:
            module, current = new_module, new_text
    return module, current


def _record(
    result: FileResult, codemod_class: type[Codemod], codemod: Codemod, before: str, after: str, first_pass: bool
) -> None:
    """Keep what one codemod did; a later pass adds only changes, and no note said already."""
    report = codemod.report
    if first_pass:
        if after == before and report.is_empty():
            return
    elif after == before:
        return
    else:
        said = {n.message for r in result.records if r.codemod == codemod_class.ID for n in r.notes()}
        for notes in (report.findings, report.skips, report.unsafe_left_out, report.unsafe_applied):
            notes[:] = [n for n in notes if n.message not in said]
    result.records.append(
        ChangeRecord(
            codemod=codemod_class.ID,
            safety=codemod_class.SAFETY,
            before=before,
            after=after,
            findings=report.findings,
            skips=report.skips,
            unsafe_left_out=report.unsafe_left_out,
            unsafe_applied=report.unsafe_applied,
            facts=report.facts,
        )
    )
    result.extra_edits += [(codemod_class.ID, edit) for edit in report.extra_edits]


def _lines_as_in_the_tree(result: FileResult, original: str) -> None:
    """Map every record's note lines from the text its codemod saw to the file as it is in the tree."""
    origins: list[int] | None = None
    current = original
    for record in result.records:
        if record.before != current:
            origins = line_origins(original, record.before)
        record.origins = origins
        if origins is not None:
            for notes in (record.findings, record.skips, record.unsafe_left_out, record.unsafe_applied):
                notes[:] = [replace(n, line=origin_of(n.line, origins)) for n in notes]
        if record.changed:
            step = line_origins(record.before, record.after)
            origins = compose(step, origins) if origins is not None else step
        current = record.after


def _first_invalid_record(result: FileResult, original: bytes, encode: Callable[[str], bytes], filename: str) -> str:
    for record in result.records:
        if record.changed and validate(original, encode(record.after), record.after, filename) is not None:
            return f"codemod {record.codemod} produced it, so flaskmod"
    return "flaskmod"


# -- workers ------------------------------------------------------------------

_worker_state: dict[str, Any] = {}
# A file's result and, when the run keeps a cache, the questions it asked the project.
Outcome = tuple[FileResult, dict[Question, Any] | None]
# A chunk's outcomes and the facts its worker scanned.
ChunkOutcome = tuple[list[Outcome], dict[tuple[str, str], Any]]


def _init_worker(
    codemod_ids: tuple[str, ...],
    options: Mapping[str, Any],
    allow_unsafe: bool,
    scanned: tuple[Path, ...],
    record: bool,
    per_file_ignores: tuple[PerFileIgnore, ...],
) -> None:
    by_id = {c.ID: c for c in all_codemods()}
    codemods = tuple(by_id[i] for i in codemod_ids)
    _worker_state.update(
        codemods=codemods,
        options=options,
        allow_unsafe=allow_unsafe,
        project=Project(scanned),
        record=record,
        per_file_ignores=per_file_ignores,
    )


def _process_chunk(chunk: list[tuple[Path, str]]) -> ChunkOutcome:
    state = _worker_state
    settings = (state["codemods"], state["options"], state["allow_unsafe"], state["project"], state["record"])
    ignores = state["per_file_ignores"]
    outcomes = [_outcome(path, display, *settings, ignores) for path, display in chunk]
    facts = dict(project_module.facts_seen) if state["record"] else {}
    project_module.facts_seen.clear()
    return outcomes, facts


def _outcome(
    path: Path,
    display: str,
    codemods: Sequence[type[Codemod]],
    options: Mapping[str, Mapping[str, Any]],
    allow_unsafe: bool,
    project: Project,
    record: bool,
    per_file_ignores: Sequence[PerFileIgnore] = (),
) -> Outcome:
    """The file's result and, when ``record``, what its codemods asked ``project`` meanwhile."""
    if not record:
        return _process_file(path, display, codemods, options, allow_unsafe, None, project, per_file_ignores), None
    project.start_recording()
    try:
        result = _process_file(path, display, codemods, options, allow_unsafe, None, project, per_file_ignores)
    finally:
        answers = project.stop_recording()
    return result, answers


def _process_file(
    path: Path,
    display: str,
    codemods: Sequence[type[Codemod]],
    options: Mapping[str, Mapping[str, Any]],
    allow_unsafe: bool,
    reserved: Mapping[str, frozenset[str]] | None = None,
    project: Project | None = None,
    per_file_ignores: Sequence[PerFileIgnore] = (),
) -> FileResult:
    try:
        data = path.read_bytes()
    except OSError as error:
        return FileResult(path=path, display=display, error=FileError(f"cannot read: {error.strerror}"))
    codemods = codemods_for(path, codemods, per_file_ignores)
    return transform_source(path, display, data, codemods, options, allow_unsafe, reserved, project)


def _file_arguments(
    request: RunRequest, path: Path, display: str
) -> tuple[Path, str, Sequence[type[Codemod]], Mapping[str, Mapping[str, Any]], bool]:
    return path, display, request.codemods, request.options, request.allow_unsafe


def _chunks(items: list[tuple[Path, str]], jobs: int) -> list[list[tuple[Path, str]]]:
    # Several chunks per worker keep the load even; small ones keep progress moving.
    size = max(1, min(32, len(items) // (jobs * 8) or 1))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _open_cache(request: RunRequest) -> ResultCache | None:
    if request.cache_dir is None:
        return None
    ids = [c.ID for c in request.codemods]
    # Per-file ignores decide which codemods a file gets: a changed entry must not reuse results.
    ignores = [
        (str(i.patterns.base), [str(getattr(p, "pattern", p)) for p in i.patterns.spec.patterns], sorted(i.ids))
        for i in request.per_file_ignores
    ]
    digest = settings_digest(ids, request.options, request.allow_unsafe, request.root, extra=ignores)
    return ResultCache(request.cache_dir, digest)


def _cached(
    items: list[tuple[Path, str]], cache: ResultCache | None, project: Project
) -> tuple[list[FileResult], list[tuple[Path, str]]]:
    """The results the cache still holds, and the files to transform."""
    if cache is None:
        return [], items
    hits: list[FileResult] = []
    pending: list[tuple[Path, str]] = []
    for path, display in items:
        try:
            hit = cache.lookup(path, path.read_bytes(), project)
        except OSError:
            hit = None
        if hit is None:
            pending.append((path, display))
        else:
            hits.append(hit)
    return hits, pending


def _transform_all(
    request: RunRequest,
    items: list[tuple[Path, str]],
    project: Project,
    cache: ResultCache | None,
    done: Callable[[list[FileResult]], None],
) -> None:
    """Transform ``items``, in this process or in workers; keep each result in ``cache``."""

    def keep(outcomes: list[Outcome]) -> None:
        if cache is not None:
            for result, answers in outcomes:
                cache.store(result, answers or {})
        done([result for result, _ in outcomes])

    jobs = max(1, min(request.jobs, len(items)))
    record = cache is not None
    if jobs == 1:
        for path, display in items:
            settings = (request.codemods, request.options, request.allow_unsafe, project, record)
            keep([_outcome(path, display, *settings, request.per_file_ignores)])
        return
    ids = tuple(c.ID for c in request.codemods)
    with ProcessPoolExecutor(
        max_workers=jobs,
        initializer=_init_worker,
        initargs=(ids, dict(request.options), request.allow_unsafe, project.scanned, record, request.per_file_ignores),
    ) as pool:
        futures = [pool.submit(_process_chunk, chunk) for chunk in _chunks(items, jobs)]
        for future in as_completed(futures):
            outcomes, facts = future.result()
            if cache is not None:
                cache.add_facts(facts)
            keep(outcomes)


def run(request: RunRequest, on_progress: Callable[[int, int], None] | None = None) -> RunResult:
    """Transform every file the request covers; write nothing."""
    discovery = discover(request.paths, request.excludes)
    project = Project(discovery.files)
    items = [(path, display_path(path, request.root)) for path in discovery.files]
    total = len(items)
    results: list[FileResult] = []

    def done(batch: list[FileResult]) -> None:
        results.extend(batch)
        if on_progress is not None:
            on_progress(len(results), total)

    cache = _open_cache(request)
    hits, pending = _cached(items, cache, project)
    if hits:
        done(hits)
    _transform_all(request, pending, project, cache, done)
    results.sort(key=lambda r: r.display)
    merge_extra_edits(results, request, project, cache)
    add_project_findings(results, request.codemods, project, request.root)
    notices = [
        (IGNORE_COMMENT_NOTICE, f"{file.display}:{note.line}: {note.message}")
        for file in results
        for note in file.unknown_ignores
    ]
    for codemod in request.codemods:
        changed = [
            (f.path, f.final)
            for f in results
            if f.changed and f.final is not None and any(r.codemod == codemod.ID and r.changed for r in f.records)
        ]
        notices += [(codemod.ID, message) for message in codemod.run_notices(changed, project)]
    if cache is not None:
        cache.save()  # after the project-wide pass, so the facts it scanned are kept too
    return RunResult(files=results, scanned=total, missing=discovery.missing, notices=notices)


# -- edits to other files -----------------------------------------------------


def merge_extra_edits(
    results: list[FileResult], request: RunRequest, project: Project | None = None, cache: ResultCache | None = None
) -> None:
    """Merge the codemods' edits to other files, declare the dependencies they need, check the files agree."""
    project = project or Project()
    again, refine = _retransform(request, project), _refine(request, project, cache)
    merge_edits(results, request.codemods, request.paths, request.root, again, refine)
    add_required_dependencies(results, request.codemods, project, write_roots(request.paths), request.root)
    check_imports(results)


Refiner = Callable[[FileResult, str], tuple[str, list[ChangeRecord]] | None]
Retransformer = Callable[[FileResult, Mapping[str, frozenset[str]]], FileResult]


def _refine(request: RunRequest, project: Project, cache: ResultCache | None = None) -> Refiner:
    """Every codemod over a target's merged text, as the next run would; None when that changes nothing.

    A result that would edit yet another file, or fails, is not taken: the merged text stands.
    ``cache`` keeps the outcome per target and merged text, as it keeps a file's result.
    """

    def again(target: FileResult, text: str) -> tuple[str, list[ChangeRecord]] | None:
        data = target.encode(text)
        key = f"refined:{target.path}"
        kept = cache.get(key, data, project) if cache is not None else MISSING
        if kept is not MISSING:
            return kept
        if cache is not None:
            project.start_recording()
        codemods = codemods_for(target.path, request.codemods, request.per_file_ignores)
        try:
            fresh = transform_source(
                target.path, target.display, data, codemods, request.options, request.allow_unsafe, None, project
            )
        finally:
            answers = project.stop_recording() if cache is not None else {}
        refined = None
        if not (fresh.error is not None or fresh.extra_edits or fresh.final is None or fresh.final == text):
            refined = fresh.final, [r for r in fresh.records if r.changed]
        if cache is not None and fresh.error is None and fresh.digest is not None:
            cache.put(key, fresh.digest, answers, refined)
        return refined

    return again


def _retransform(request: RunRequest, project: Project) -> Retransformer:
    def again(source: FileResult, reserved: Mapping[str, frozenset[str]]) -> FileResult:
        fresh = _process_file(
            *_file_arguments(request, source.path, source.display), reserved, project, request.per_file_ignores
        )
        if fresh.error is None and fresh.digest != source.digest:
            fresh.error = FileError("changed on disk while flaskmod ran")
            fresh.final = fresh.original
        return fresh

    return again


# -- the project-wide pass ------------------------------------------------------


def add_project_findings(
    results: Sequence[FileResult], codemods: Sequence[type[Codemod]], project: Project, root: Path
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
        for finding in codemod.project_findings(facts, project):
            record = records[finding.path]
            related = (display_path(finding.related_path, root), finding.related_line)
            line = origin_of(finding.line, record.origins)
            record.findings.append(Note(line, f"{related[0]}:{related[1]} {finding.message}", related))
        for record in records.values():
            record.findings.sort(key=lambda note: note.line)
