"""The result cache: a file's result is reused while nothing it was computed from changed.

As Ruff's ``.ruff_cache``: a folder (``.flaskmod_cache`` beside the configuration by default;
``cache-dir`` in the configuration, ``--cache-dir``, ``--no-cache``) holding ``CACHEDIR.TAG``
and a ``.gitignore`` of ``*``, so backups and git pass it over. Inside, per format and
flaskmod version, one file per run setting:

- ``<settings>.pickle``: a file's path -> its :class:`Entry`: the sha256 of its bytes, the
  questions its codemods asked the project while transforming it with a fingerprint of each
  answer (see project.py), and the result the worker returned, pickled;
- ``facts.pickle``: (scanner, sha256 of a file's bytes) -> what the scanner found there,
  shared by every setting (a scanner reads text only).

``<settings>`` digests what every result depends on besides the files: flaskmod's version and
the stamps of its own modules (an edited checkout), the Python and LibCST versions, the
codemods in order, their options, ``--unsafe`` and the folder paths are shown relative to.
An entry is used only when the file's bytes hash the same and every recorded question gets
the same answer now. A result with an error is never kept. Loading takes only flaskmod's
own classes, paths and plain containers: a planted cache file cannot run code.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from libcst._version import __version__ as libcst_version

from flaskmod import __version__
from flaskmod.codemods.core import project as project_module
from flaskmod.codemods.core.project import Project, Question
from flaskmod.codemods.core.results import FileResult

FORMAT = 1
CACHE_DIR_NAME = ".flaskmod_cache"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by flaskmod.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
# The facts kept beyond those of this run, at most (older ones go first when over).
FACTS_KEPT = 50_000
_PACKAGE = Path(__file__).resolve().parents[2]
_SAFE_BUILTINS = frozenset({"frozenset", "set", "tuple", "list", "dict", "bytes", "bytearray", "complex"})
_SAFE_PATHS = frozenset({"Path", "PosixPath", "WindowsPath", "PurePath", "PurePosixPath", "PureWindowsPath"})


@dataclass
class Entry:
    digest: str  # sha256 of the file's bytes
    answers: tuple[tuple[Question, Any], ...]  # (question, fingerprint of its answer)
    blob: bytes  # the FileResult the worker returned, pickled


class _FlaskmodUnpickler(pickle.Unpickler):
    """Builds flaskmod's own classes, paths and builtin containers only: never a function."""

    def find_class(self, module: str, name: str) -> Any:
        allowed = (
            (module == "builtins" and name in _SAFE_BUILTINS)
            or (module in ("pathlib", "pathlib._local") and name in _SAFE_PATHS)  # 3.13 moved the classes
            or module == "flaskmod"
            or module.startswith("flaskmod.")
        )
        found = super().find_class(module, name) if allowed else None
        if not isinstance(found, type):
            raise pickle.UnpicklingError(f"not loaded from a cache: {module}.{name}")
        return found


def _loads(data: bytes) -> Any:
    return _FlaskmodUnpickler(io.BytesIO(data)).load()


def _code_stamp() -> str:
    """flaskmod's own modules' paths, sizes and mtimes: an edited checkout is a new version."""
    stamps = []
    for path in sorted([*_PACKAGE.glob("*.py"), *(_PACKAGE / "codemods").rglob("*.py")]):
        status = path.stat()
        stamps.append(f"{path.relative_to(_PACKAGE)}:{status.st_size}:{status.st_mtime_ns}")
    return hashlib.sha256("\n".join(stamps).encode()).hexdigest()


def settings_digest(
    codemod_ids: Sequence[str],
    options: Mapping[str, Mapping[str, Any]],
    allow_unsafe: bool,
    root: Path,
    extra: object = None,
) -> str:
    """What every cached result depends on besides the files (see the module docstring)."""
    settings = {
        "format": FORMAT,
        "flaskmod": __version__,
        "code": _code_stamp(),
        "python": sys.version,
        "libcst": libcst_version,
        "codemods": list(codemod_ids),
        "options": {key: options[key] for key in codemod_ids if key in options},
        "unsafe": allow_unsafe,
        "root": str(root),
        "extra": extra,  # what else decides a file's result (the per-file ignores)
    }
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=repr).encode()).hexdigest()


def _read_pickle(path: Path) -> Any:
    try:
        return _loads(path.read_bytes())
    except Exception:  # missing, unreadable, truncated or planted: start afresh
        return None


class ResultCache:
    """One run's view of the cache folder: look results up, keep new ones, save once."""

    def __init__(self, folder: Path, settings: str) -> None:
        self.folder = folder
        self.version_folder = folder / f"{FORMAT}-{__version__}"
        self.results_file = self.version_folder / f"{settings[:32]}.pickle"
        self.facts_file = self.version_folder / "facts.pickle"
        loaded = _read_pickle(self.results_file)
        self.entries: dict[str, Entry] = loaded if isinstance(loaded, dict) else {}
        facts = _read_pickle(self.facts_file)
        self.facts: dict[tuple[str, str], Any] = facts if isinstance(facts, dict) else {}
        self.fresh: dict[str, Entry] = {}
        self.dropped: set[str] = set()
        self._answers_now: dict[Question, Any] = {}
        self._valid: dict[int, bool] = {}  # id of a loaded (question, fingerprint) pair -> still true
        self._pairs: dict[Question, tuple[Question, Any]] = {}  # one object per pair: a small file
        project_module.fact_store = self.facts
        project_module.facts_seen.clear()

    # -- looking up ------------------------------------------------------------

    def lookup(self, path: Path, data: bytes, project: Project) -> FileResult | None:
        """The cached result of ``path`` with these bytes, while every answer it depended on holds."""
        found = self.get(str(path), data, project)
        return found if isinstance(found, FileResult) else None

    def get(self, key: str, data: bytes, project: Project) -> Any:
        """What was kept under ``key`` for these input bytes, while its answers hold; else :data:`MISSING`."""
        entry = self.entries.get(key)
        if entry is None or entry.digest != hashlib.sha256(data).hexdigest():
            self.dropped.add(key)
            return MISSING
        if not all(self._holds(pair, project) for pair in entry.answers):
            self.dropped.add(key)
            return MISSING
        try:
            return _loads(entry.blob)
        except Exception:
            self.dropped.add(key)
            return MISSING

    def _holds(self, pair: tuple[Question, Any], project: Project) -> bool:
        held = self._valid.get(id(pair))
        if held is None:
            question, recorded = pair
            if question not in self._answers_now:
                try:
                    self._answers_now[question] = project.answer(question)
                except Exception:  # a scanner gone in this version, an unreadable file
                    self._answers_now[question] = _Unanswered
            held = self._answers_now[question] == recorded
            self._valid[id(pair)] = held
            if held:
                self._pairs.setdefault(question, pair)
        return held

    # -- keeping -----------------------------------------------------------------

    def store(self, result: FileResult, answers: Mapping[Question, Any]) -> None:
        """Keep ``result`` (as a worker returned it, before the run's merge) unless it had an error."""
        if result.error is None and result.digest is not None:
            self.put(str(result.path), result.digest, answers, result)

    def put(self, key: str, digest: str, answers: Mapping[Question, Any], value: Any) -> None:
        """Keep ``value``, computed from input bytes of sha256 ``digest`` and these answers."""
        try:
            blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a codemod fact that does not pickle: the file is simply run again
            return
        pairs = tuple(self._pair(question, fingerprint) for question, fingerprint in answers.items())
        self.fresh[key] = Entry(digest, pairs, blob)

    def _pair(self, question: Question, fingerprint: Any) -> tuple[Question, Any]:
        known = self._pairs.get(question)
        if known is not None and known[1] == fingerprint:
            return known
        pair = (question, fingerprint)
        self._pairs.setdefault(question, pair)
        return pair

    def add_facts(self, facts: Mapping[tuple[str, str], Any]) -> None:
        project_module.facts_seen.update(facts)

    def save(self) -> None:
        """Write what changed; a cache that cannot be written is no error (the run does not need it)."""
        seen = project_module.facts_seen
        new_facts = seen.keys() - self.facts.keys()
        if not self.fresh and not self.dropped and not new_facts:
            return
        entries = {k: e for k, e in self.entries.items() if k not in self.dropped}
        entries.update(self.fresh)
        facts = dict(self.facts) if len(self.facts) < FACTS_KEPT else {}
        facts.update(seen)
        try:
            self._prepare_folder()
            _write_atomically(self.results_file, pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))
            if new_facts:
                _write_atomically(self.facts_file, pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            return

    def _prepare_folder(self) -> None:
        self.version_folder.mkdir(parents=True, exist_ok=True)
        tag, ignore = self.folder / "CACHEDIR.TAG", self.folder / ".gitignore"
        if not tag.is_file():
            tag.write_text(CACHEDIR_TAG, encoding="utf-8")
        if not ignore.is_file():
            ignore.write_text("# Automatically created by flaskmod.\n*\n", encoding="utf-8")


class _Unanswered:
    """An answer equal to no recorded one."""


class _Missing:
    """Nothing kept (None may be a kept value)."""


MISSING = _Missing()


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
