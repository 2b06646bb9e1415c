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

A scanner's result is reused only while the file's device, inode, size, mtime and ctime
are unchanged and its ctime is older than ``_SETTLED_SECONDS``: a file changed within the
filesystem's timestamp granularity of an earlier read still changes its ctime, and a
change after that moves the ctime on. File listings are never cached, so files added or
removed are seen.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
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


class Project:
    """The files around a run; see the module docstring."""

    def __init__(self, scanned: Sequence[Path] = ()) -> None:
        self.scanned: tuple[Path, ...] = tuple(scanned)

    def data(self, path: Path) -> bytes:
        """The file's bytes; raises ``OSError`` when it cannot be read."""
        return path.read_bytes()

    def text(self, path: Path) -> str | None:
        """The file's text (UTF-8, undecodable bytes replaced); None when it cannot be read."""
        try:
            return path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None

    def strict_text(self, path: Path) -> str | None:
        """The file's text when it is valid UTF-8; None when it is missing, unreadable or not UTF-8."""
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def is_file(self, path: Path) -> bool:
        return path.is_file()

    def exists(self, path: Path) -> bool:
        return path.exists()

    def fact(self, path: Path, scanner: Callable[[str], Fact]) -> Fact | None:
        """``scanner(text)`` of the file, from the cache while the file is unchanged; None when unreadable."""
        try:
            status = path.stat()
        except OSError:
            return None
        stamp = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
        key = (path, f"{scanner.__module__}.{scanner.__qualname__}")
        cached = _fact_cache.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        text = self.text(path)
        if text is None:
            return None
        found = scanner(text)
        if status.st_ctime_ns < (time.time() - _SETTLED_SECONDS) * 1e9:
            _fact_cache[key] = (stamp, found)
        return found

    def matching(self, folder: Path, patterns: Sequence[str]) -> list[Path]:
        """The files of ``folder`` matching any of ``patterns`` (relative globs such as ``requirements/*.txt``)."""
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
        top = path.parent
        while (top / "__init__.py").is_file() and (top.parent / "__init__.py").is_file() and top.parent != top:
            top = top.parent
        if (top / "__init__.py").is_file():
            return sorted(top.rglob("*.py"))[:PACKAGE_SCAN_LIMIT] + sorted(top.parent.glob("*.py")), top.parent
        return sorted(top.glob("*.py")), top

    def first_party(self, path: Path) -> frozenset[str]:
        """The top-level names importable from ``path``'s import root: the project's own modules."""
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
        if not self.scanned:
            return []
        root = Path(os.path.commonpath([path.absolute() for path in self.scanned]))
        return [path for path in self.scanned if not is_vendored(path.absolute(), root)]

    def templates(self) -> list[Path]:
        """The template files in ``templates`` folders beside the project's own files or one folder up."""
        own = self.own_sources()
        folders = {p.parent / "templates" for p in own} | {p.parent.parent / "templates" for p in own}
        found: list[Path] = []
        for folder in sorted(f for f in folders if f.is_dir()):
            found += sorted(p for p in folder.rglob("*") if p.suffix in TEMPLATE_SUFFIXES)[:TEMPLATE_LIMIT]
        return found
