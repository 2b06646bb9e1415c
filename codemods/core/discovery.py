"""Finding the Python files a run covers.

Directories are walked; version-control, virtualenv, dependency, build and cache
folders are never entered; inside a git repository, what ``.gitignore``,
``.git/info/exclude`` and git's global excludes file (``core.excludesFile``, by default
``$XDG_CONFIG_HOME/git/ignore``) ignore is passed over; ``exclude`` patterns
(gitignore syntax) remove more. A file named on the command line is always
taken unless an ``exclude`` pattern matches it.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

SKIPPED_DIRECTORIES: frozenset[str] = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".eggs",
        ".direnv",
        "__pypackages__",
        "site-packages",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".flaskmod_cache",
        ".hypothesis",
        "build",
        "dist",
    }
)


def is_skipped_directory(path: Path) -> bool:
    name = path.name
    return (
        name in SKIPPED_DIRECTORIES
        or name.endswith(".egg-info")
        # any virtualenv, whatever its name
        or (path / "pyvenv.cfg").is_file()
    )


class PatternError(ValueError):
    """An ``exclude`` pattern that is not valid gitignore syntax; ``pattern`` is the culprit."""

    def __init__(self, pattern: str) -> None:
        super().__init__(f"invalid gitignore-style pattern {pattern!r}")
        self.pattern = pattern


def _valid_patterns(lines: Iterable[str]) -> list[str]:
    """``lines`` without the patterns pathspec refuses (a lone ``!``, a trailing ``\\``): git matches nothing
    with those, so dropping them changes nothing git would ignore."""
    valid: list[str] = []
    for line in lines:
        try:
            pathspec.GitIgnoreSpec.from_lines([line])
        except ValueError:  # pathspec's GitIgnorePatternError
            continue
        valid.append(line)
    return valid


def _spec_of(lines: list[str]) -> pathspec.GitIgnoreSpec:
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except ValueError:
        return pathspec.GitIgnoreSpec.from_lines(_valid_patterns(lines))


@dataclass(frozen=True)
class PathPatterns:
    """gitignore-style patterns, matched against paths relative to ``base``."""

    base: Path
    spec: pathspec.GitIgnoreSpec

    @classmethod
    def from_patterns(cls, base: Path, patterns: Iterable[str]) -> PathPatterns:
        """Raises `PatternError` for a pattern pathspec cannot compile (a user's typo is worth an error)."""
        patterns = list(patterns)
        for pattern in patterns:
            if pattern not in _valid_patterns([pattern]):
                raise PatternError(pattern)
        return cls(base.resolve(), pathspec.GitIgnoreSpec.from_lines(patterns))

    def matches(self, path: Path, is_dir: bool = False) -> bool:
        try:
            relative = path.relative_to(self.base).as_posix()
        except ValueError:
            return False
        if relative == ".":
            return False
        return self.spec.match_file(relative + "/" if is_dir else relative)


def global_excludes_file(root: Path) -> Path:
    """git's ``core.excludesFile`` for the repository at ``root``, or its default, ``$XDG_CONFIG_HOME/git/ignore``."""
    with contextlib.suppress(OSError):
        answer = subprocess.run(
            ["git", "config", "--path", "core.excludesFile"], cwd=root, capture_output=True, text=True, check=False
        )
        configured = answer.stdout.strip()
        if answer.returncode == 0 and configured:
            return root / os.path.expanduser(configured)  # an absolute path stays as it is
    config_home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(config_home) / "git" / "ignore"


class GitIgnore:
    """Answers "does git ignore this path?" from the ``.gitignore`` files on the way down."""

    def __init__(self) -> None:
        self._roots: dict[Path, Path | None] = {}
        self._specs: dict[Path, pathspec.GitIgnoreSpec | None] = {}

    def repository_root(self, directory: Path) -> Path | None:
        if directory not in self._roots:
            parent = directory.parent
            if (directory / ".git").exists():
                self._roots[directory] = directory
            elif parent == directory:
                self._roots[directory] = None
            else:
                self._roots[directory] = self.repository_root(parent)
        return self._roots[directory]

    def _spec(self, directory: Path, root: Path) -> pathspec.GitIgnoreSpec | None:
        if directory not in self._specs:
            lines: list[str] = []
            # The last matching pattern decides: git's order of precedence, lowest first.
            sources = [directory / ".gitignore"]
            if directory == root:
                sources = [global_excludes_file(root), root / ".git" / "info" / "exclude", *sources]
            for source in sources:
                with contextlib.suppress(OSError):
                    lines += source.read_text(encoding="utf-8", errors="replace").splitlines()
            self._specs[directory] = _spec_of(lines) if lines else None
        return self._specs[directory]

    def ignores(self, path: Path, is_dir: bool) -> bool:
        root = self.repository_root(path.parent)
        if root is None:
            return False
        # The deepest .gitignore with a matching pattern decides, as in git.
        verdict: bool | None = None
        directory = root
        for part in (None, *path.parent.relative_to(root).parts):
            if part is not None:
                directory = directory / part
            spec = self._spec(directory, root)
            if spec is None:
                continue
            relative = path.relative_to(directory).as_posix() + ("/" if is_dir else "")
            result = spec.check_file(relative)
            if result.include is not None:
                verdict = result.include
        return bool(verdict)


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    missing: list[Path] = field(default_factory=list)


def discover(paths: Iterable[Path], excludes: Iterable[PathPatterns] = ()) -> Discovery:
    """The Python files under ``paths``, absolute and sorted, without duplicates."""
    excludes = list(excludes)
    gitignore = GitIgnore()
    found: set[Path] = set()
    result = Discovery()

    def excluded(path: Path, is_dir: bool) -> bool:
        return any(patterns.matches(path, is_dir) for patterns in excludes)

    for given in paths:
        path = Path(os.path.abspath(given))
        if path.is_file():
            if not excluded(path, False):
                found.add(path)
            continue
        if not path.is_dir():
            result.missing.append(Path(given))
            continue
        for directory, subdirectories, filenames in os.walk(path):
            here = Path(directory)
            subdirectories[:] = sorted(
                name
                for name in subdirectories
                if not is_skipped_directory(here / name)
                and not excluded(here / name, True)
                and not gitignore.ignores(here / name, True)
            )
            for filename in filenames:
                if not filename.endswith(".py"):
                    continue
                file = here / filename
                # A link would be written through to a file outside the walk, or twice.
                if file.is_symlink():
                    continue
                if not excluded(file, False) and not gitignore.ignores(file, False):
                    found.add(file)
    result.files = sorted(found)
    return result
