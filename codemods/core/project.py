"""The project around a run, as the engine sees it: the one place codemods get other files from.

A codemod never reads the disk. What it needs beyond the file it transforms, it asks a
:class:`Project`:

- ``scanned``: every file the run covers;
- ``data(path)``: a file's bytes (the one an explicit extraction transforms);
- ``text(path)``: another file's text (the services module an extraction appends to);
- ``fact(path, scanner)``: what a cheap text scanner finds in a file (the error handlers
  a module registers), computed once per file version and cached within the process;
- ``package_files(path)``: the Python package a file belongs to;
- ``templates()``: the Jinja templates beside the scanned modules;
- ``first_party(path)``: the project's own top-level module names, for import sections;
- ``matching(folder, patterns)``: the files of a folder that match globs;
- ``is_file(path)``, ``exists(path)``.

The engine hands each codemod the run's project; outside a run (a codemod built by a
test) the codemod gets a project of no scanned files that reads the disk all the same.

While the engine transforms a file for the result cache (see cache.py), the project records
every answer it gives (:meth:`Project.start_recording`): a key naming the question
(``("text", path)``, ``("fact", path, scanner)``, ``("scanned",)``...) and a fingerprint of the
answer. A cached result is reused only while every question gets the same answer again
(:meth:`Project.answer`), so a codemod that read another file is run again once that file
changes, and only then.

A scanner's result is reused only while the file's device, inode, size, mtime and ctime
are unchanged and its ctime is older than ``_SETTLED_SECONDS``: a file changed within the
filesystem's timestamp granularity of an earlier read still changes its ctime, and a
change after that moves the ctime on. File listings are never cached, so files added or
removed are seen.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import time
from collections.abc import Callable, Hashable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

# Python files of one package read at most, in path order (a vendored tree can be huge).
PACKAGE_SCAN_LIMIT = 2000
# Template files read at most per templates folder.
TEMPLATE_LIMIT = 2000
TEMPLATE_SUFFIXES = (".html", ".htm", ".jinja", ".jinja2", ".j2", ".txt", ".xml")
# A file whose ctime is this recent is scanned again every time.
_SETTLED_SECONDS = 2.0

Fact = TypeVar("Fact")
_Stamp = tuple[int, int, int, int, int]  # device, inode, size, mtime, ctime (ns)
# Per process: (path, scanner's qualified name) -> (stamp, fact).
_fact_cache: dict[tuple[Path, str], tuple[_Stamp, Any]] = {}
# Per process: an import root -> the top-level names importable from it.
_first_party_cache: dict[Path, frozenset[str]] = {}
# Set by the result cache: (scanner, sha256 of the file's bytes) -> fact, kept between runs.
fact_store: dict[tuple[str, str], Any] | None = None
# The facts this process computed or took from ``fact_store``, for the result cache to keep.
facts_seen: dict[tuple[str, str], Any] = {}

Question = tuple[Hashable, ...]


def fingerprint(answer: Any) -> Any:
    """What a recorded answer is compared by: a digest of text and bytes, the answer itself otherwise."""
    if isinstance(answer, str):
        return hashlib.sha256(answer.encode("utf-8", "surrogatepass")).hexdigest()
    if isinstance(answer, bytes):
        return hashlib.sha256(answer).hexdigest()
    if isinstance(answer, list):
        return tuple(answer)
    return answer


def scanner_name(scanner: Callable[..., Any]) -> str:
    return f"{scanner.__module__}:{scanner.__qualname__}"


def _scanner(name: str) -> Callable[[str], Any]:
    module, _, qualname = name.partition(":")
    found: Any = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    return found


def import_root(folder: Path) -> Path:
    """The folder above the top-level package ``folder`` is in (``folder`` itself outside a package)."""
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        folder = folder.parent
    return folder


def module_paths(importer: Path, module: str | None, level: int) -> list[Path]:
    """Where ``from {'.' * level}{module} import ...`` in ``importer`` may point, nearest first."""
    parts = module.split(".") if module else []
    if level:
        base = importer.parent
        for _ in range(level - 1):
            base = base.parent
        bases = [base]
    else:
        # The importer's folder (a script's sys.path[0]) and the folder above its top-level package.
        bases = list(dict.fromkeys([importer.parent, import_root(importer.parent)]))
    paths: list[Path] = []
    for base in bases:
        if not parts:
            paths.append(base / "__init__.py")
            continue
        stem = base.joinpath(*parts)
        paths += [stem.with_suffix(".py"), stem / "__init__.py"]
    return paths


# Folders that hold copies of other people's code, and the packages a Flask app vendors most:
# a copy of flask-login inside the tree speaks of its own endpoints, not the project's.
VENDOR_FOLDERS: frozenset[str] = frozenset({"vendor", "vendored", "_vendor", "third_party", "thirdparty"})
VENDORED_PACKAGES: frozenset[str] = frozenset(
    {
        "flask",
        "werkzeug",
        "jinja2",
        "wtforms",
        "flask_login",
        "flask_wtf",
        "flask_sqlalchemy",
        "flask_security",
        "flask_admin",
        "flask_restful",
        "flask_restx",
        "flask_babel",
        "flask_limiter",
        "flask_migrate",
        "flask_mail",
        "flask_cors",
        "flask_caching",
        "flask_session",
        "flask_principal",
        "flask_socketio",
    }
)


def is_vendored(path: Path, root: Path) -> bool:
    """Is the file a copy of a library kept inside the tree under ``root`` (a vendor folder, a Flask package)?

    Only the folders below ``root`` count: a checkout that lives in `~/src/flask/` is not vendored.
    """
    try:
        folders = path.relative_to(root).parts[:-1]
    except ValueError:
        return False
    return any(part in VENDOR_FOLDERS or part in VENDORED_PACKAGES for part in folders)


def _own_sources(scanned: Sequence[Path]) -> list[Path]:
    """``scanned`` without the vendored copies of libraries below the files' common folder."""
    if not scanned:
        return []
    root = Path(os.path.commonpath([path.absolute() for path in scanned]))
    return [path for path in scanned if not is_vendored(path.absolute(), root)]


class Project:
    """The files around a run; see the module docstring."""

    def __init__(self, scanned: Sequence[Path] = ()) -> None:
        self._scanned: tuple[Path, ...] = tuple(scanned)
        self._scanned_fingerprint: str | None = None
        self._answers: dict[Question, Any] | None = None  # while recording: question -> fingerprint

    # -- recording, for the result cache ---------------------------------------

    def start_recording(self) -> None:
        self._answers = {}

    def stop_recording(self) -> dict[Question, Any]:
        """The questions asked since :meth:`start_recording`, each with its answer's fingerprint."""
        answers, self._answers = self._answers or {}, None
        return answers

    def _noted(self, question: Question, answer: Any) -> Any:
        if self._answers is not None and question not in self._answers:
            self._answers[question] = fingerprint(answer)
        return answer

    def answer(self, question: Question) -> Any:
        """The fingerprint of the answer ``question`` gets now (not recorded)."""
        kind, *arguments = question
        if kind == "scanned":
            return self._fingerprint_of_scanned()
        if kind == "fact":
            path, name = arguments
            return fingerprint(self._fact(path, _scanner(name), name))
        return fingerprint(getattr(self, f"_{kind}")(*arguments))

    # -- the questions ---------------------------------------------------------

    @property
    def scanned(self) -> tuple[Path, ...]:
        if self._answers is not None and ("scanned",) not in self._answers:
            self._answers["scanned",] = self._fingerprint_of_scanned()
        return self._scanned

    def _fingerprint_of_scanned(self) -> str:
        if self._scanned_fingerprint is None:
            self._scanned_fingerprint = fingerprint("\n".join(map(str, self._scanned)))
        return self._scanned_fingerprint

    def data(self, path: Path) -> bytes:
        """The file's bytes; raises ``OSError`` when it cannot be read."""
        found = self._data(path)
        self._noted(("data", path), found)
        if found is None:
            return path.read_bytes()  # raises the error of the read that failed
        return found

    def _data(self, path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except OSError:
            return None

    def text(self, path: Path) -> str | None:
        """The file's text (UTF-8, undecodable bytes replaced); None when it cannot be read."""
        return self._noted(("text", path), self._text(path))

    def _text(self, path: Path) -> str | None:
        try:
            return path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None

    def strict_text(self, path: Path) -> str | None:
        """The file's text when it is valid UTF-8; None when it is missing, unreadable or not UTF-8."""
        return self._noted(("strict_text", path), self._strict_text(path))

    def _strict_text(self, path: Path) -> str | None:
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def is_file(self, path: Path) -> bool:
        return self._noted(("is_file", path), path.is_file())

    def _is_file(self, path: Path) -> bool:
        return path.is_file()

    def exists(self, path: Path) -> bool:
        return self._noted(("exists", path), path.exists())

    def _exists(self, path: Path) -> bool:
        return path.exists()

    def fact(self, path: Path, scanner: Callable[[str], Fact]) -> Fact | None:
        """``scanner(text)`` of the file, from the cache while the file is unchanged; None when unreadable."""
        name = scanner_name(scanner)
        return self._noted(("fact", path, name), self._fact(path, scanner, name))

    def _fact(self, path: Path, scanner: Callable[[str], Fact], name: str) -> Fact | None:
        try:
            status = path.stat()
        except OSError:
            return None
        stamp = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
        key = (path, name)
        cached = _fact_cache.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            data = path.read_bytes()
        except OSError:
            return None
        found = _scanned_fact(scanner, name, data)
        if status.st_ctime_ns < (time.time() - _SETTLED_SECONDS) * 1e9:
            _fact_cache[key] = (stamp, found)
        return found

    def matching(self, folder: Path, patterns: Sequence[str]) -> list[Path]:
        """The files of ``folder`` matching any of ``patterns`` (relative globs such as ``requirements/*.txt``)."""
        return self._noted(("matching", folder, tuple(patterns)), self._matching(folder, patterns))

    def _matching(self, folder: Path, patterns: Sequence[str]) -> list[Path]:
        found = {path for pattern in patterns for path in folder.glob(pattern) if path.is_file()}
        return sorted(found)

    def texts(self, paths: Sequence[Path]) -> Iterator[tuple[Path, str]]:
        """(path, text) of each readable file of ``paths``, once each, in order."""
        for path in dict.fromkeys(paths):
            text = self.text(path)
            if text is not None:
                yield path, text

    def package_files(self, path: Path) -> tuple[list[Path], Path]:
        """The Python files of ``path``'s package, and the folder their paths are shown relative to.

        The package the file belongs to, from its top-level package down (the first
        ``PACKAGE_SCAN_LIMIT`` ``*.py`` in path order), and the ``*.py`` beside that
        top-level package; for a file outside any package, the ``*.py`` beside it.
        """
        return self._noted(("package_files", path), self._package_files(path))

    def _package_files(self, path: Path) -> tuple[list[Path], Path]:
        top = path.parent
        while (top / "__init__.py").is_file() and (top.parent / "__init__.py").is_file() and top.parent != top:
            top = top.parent
        if (top / "__init__.py").is_file():
            return sorted(top.rglob("*.py"))[:PACKAGE_SCAN_LIMIT] + sorted(top.parent.glob("*.py")), top.parent
        return sorted(top.glob("*.py")), top

    def first_party(self, path: Path) -> frozenset[str]:
        """The top-level names importable from ``path``'s import root: the project's own modules."""
        return self._noted(("first_party", path), self._first_party(path))

    def _first_party(self, path: Path) -> frozenset[str]:
        root = import_root(Path(path).resolve().parent)
        names = _first_party_cache.get(root)
        if names is None:
            try:
                entries = list(root.iterdir())
            except OSError:
                entries = []
            names = frozenset(
                entry.stem if entry.suffix == ".py" else entry.name
                for entry in entries
                if (entry.suffix == ".py" and entry.is_file()) or (entry / "__init__.py").is_file()
            )
            _first_party_cache[root] = names
        return names

    def own_sources(self) -> list[Path]:
        """The scanned files that are the project's own code, not a vendored copy of a library."""
        return _own_sources(self.scanned)

    def templates(self) -> list[Path]:
        """The template files in ``templates`` folders beside the project's own files or one folder up."""
        return self._noted(("templates",), self._templates())

    def _templates(self) -> list[Path]:
        own = _own_sources(self._scanned)
        folders = {p.parent / "templates" for p in own} | {p.parent.parent / "templates" for p in own}
        found: list[Path] = []
        for folder in sorted(f for f in folders if f.is_dir()):
            found += sorted(p for p in folder.rglob("*") if p.suffix in TEMPLATE_SUFFIXES)[:TEMPLATE_LIMIT]
        return found


def _scanned_fact(scanner: Callable[[str], Fact], name: str, data: bytes) -> Fact:
    """``scanner`` over the text of ``data`` (read as ``Project.text`` reads), from the fact store when there."""
    key = (name, hashlib.sha256(data).hexdigest())
    if fact_store is not None and key in fact_store:
        found = fact_store[key]
    else:
        text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
        found = scanner(text)
    facts_seen[key] = found
    return found
