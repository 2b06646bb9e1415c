"""What a dependency declaration is, which files hold one, and the shapes the package hands back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

# Paths relative to the project root, matched one path component at a time (so
# ``requirements*.txt`` is a root file and ``requirements/*.txt`` the files of that folder).
DECLARATION_FILES: tuple[str, ...] = (
    "pyproject.toml",
    "setup.cfg",
    "setup.py",
    "requirements*.txt",
    "requirements/*.txt",
    # pip-tools sources; their compiled .txt is a lock
    "requirements*.in",
    "requirements/*.in",
    "Pipfile",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
)
LOCK_FILES: tuple[str, ...] = ("poetry.lock", "Pipfile.lock", "uv.lock")

# What a declaration means for the installed project.
RUNTIME = "runtime"  # installed with the project: [project].dependencies, install_requires, requirements.txt...
OPTIONAL = "optional"  # only with an extra: [project.optional-dependencies], extras_require, optional = true
DEVELOPMENT = "development"  # dev/test tooling: requirements-dev.txt, [dev-packages], Poetry groups
CONSTRAINT = "constraint"  # a ``-c`` constraints file: limits versions, installs nothing
LOCK = "lock"  # the version a lock file (or a pip-compile output) pins

# Words that make a requirements file development tooling rather than what the application runs on.
_DEVELOPMENT_WORDS = frozenset(
    {"dev", "develop", "development", "test", "tests", "testing", "lint", "linting", "doc", "docs", "ci"}
    | {"typing", "mypy", "style", "qa", "tox"}
)


@dataclass(frozen=True)
class Declaration:
    """One declaration of a distribution: where it is and which versions it admits."""

    path: str
    line: int  # 1-based
    name: str  # normalised (PEP 503)
    specifier: SpecifierSet
    kind: str = RUNTIME
    text: str = ""  # the requirement as written
    extras: frozenset[str] = frozenset()
    marker: str | None = None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class FileEdit:
    """A whole-file edit: ``old`` is the text handed in, ``new`` the text to write."""

    path: str
    old: str
    new: str


@dataclass(frozen=True)
class Addition:
    """What :func:`add_dependency` did: the edits, or (with no edit) the reason; notes either way."""

    edits: list[FileEdit] = field(default_factory=list)
    reason: str = ""
    notes: list[str] = field(default_factory=list)


class CannotEdit(Exception):
    """A declaration file flaskmod will not edit; the message says why."""


def normalise(name: str) -> str:
    """The PEP 503 form of a distribution name: ``Flask_Login`` is ``flask-login``."""
    return canonicalize_name(name)


def matches(path: str, pattern: str) -> bool:
    """Whether the relative POSIX ``path`` matches ``pattern`` component by component."""
    parts, wanted = path.split("/"), pattern.split("/")
    return len(parts) == len(wanted) and all(fnmatchcase(p, w) for p, w in zip(parts, wanted, strict=True))


def is_declaration_file(path: str) -> bool:
    return any(matches(path, pattern) for pattern in DECLARATION_FILES)


def is_development_file(path: str) -> bool:
    """``requirements-dev.txt``, ``requirements/test.txt``, ``requirements_docs.in``..."""
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return any(word in _DEVELOPMENT_WORDS for word in re.split(r"[-_.]", stem.lower()))


def newline_of(text: str) -> str:
    """The file's own line ending (that of its first line)."""
    end = text.find("\n")
    return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"


def line_at(text: str, offset: int) -> int:
    """The 1-based line number of ``offset``."""
    return text.count("\n", 0, offset) + 1
