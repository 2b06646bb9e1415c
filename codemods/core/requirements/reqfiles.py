"""pip requirements files (``requirements*.txt``, ``requirements/*.txt``, pip-tools ``.in``): read, follow, add.

pip's own reading: a ``\\`` at a line end continues it; ``#`` at the start of a line
or after white space starts a comment; ``-r``/``--requirement`` includes another file
and ``-c``/``--constraint`` a constraints file, relative to the including file;
``-e``, other options, URLs and paths are not requirements of a named version. A
file pip-compile (or ``uv pip compile``) wrote is a lock: its pins are kind LOCK and
it is never edited (its ``.in`` is).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from flaskmod.codemods.core.requirements.listedit import Item, insert_in_lines
from flaskmod.codemods.core.requirements.model import (
    CONSTRAINT,
    DEVELOPMENT,
    LOCK,
    RUNTIME,
    CannotEdit,
    Declaration,
    is_development_file,
    matches,
    newline_of,
)
from flaskmod.codemods.core.requirements.specs import ParsedRequirement, parse_requirement

PATTERNS: tuple[str, ...] = ("requirements*.txt", "requirements/*.txt", "requirements*.in", "requirements/*.in")
# Where a project keeps what it runs on, best first, when no root requirements file says.
_MAIN_NAMES = ("base", "common", "main", "requirements", "default", "app", "prod", "production")
_COMMENT = re.compile(r"(^|\s)#.*$")
_INCLUDE = re.compile(r"^(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s*)(\S+)$")
# Headers of generated requirements files: pip-tools, uv (compile and export), Poetry's export.
_COMPILED = re.compile(r"^#.*\b(pip-compile|uv pip compile|uv export|poetry export)\b", re.MULTILINE)


@dataclass(frozen=True)
class Line:
    """A logical line (continuations joined, comment cut): its first line number and its span."""

    number: int
    start: int
    end: int
    text: str


def logical_lines(text: str) -> Iterator[Line]:
    offset, pieces, first, begin = 0, [], 0, 0
    for number, physical in enumerate(re.findall(r"[^\n]*\n|[^\n]+$", text), start=1):
        content = physical.rstrip("\r\n")
        if not pieces:
            first, begin = number, offset
        end = offset + len(content)
        offset += len(physical)
        if content.endswith("\\"):
            pieces.append(content[:-1])
            continue
        pieces.append(content)
        joined = _COMMENT.sub("", " ".join(pieces)).strip()
        pieces = []
        if joined:
            yield Line(first, begin, end, joined)


def is_requirements_file(path: str) -> bool:
    return any(matches(path, pattern) for pattern in PATTERNS)


def is_compiled(text: str) -> bool:
    head = "\n".join(text.splitlines()[:12])
    return bool(_COMPILED.search(head))


def includes(path: str, text: str) -> Iterator[tuple[str, bool]]:
    """The files ``text`` includes, as paths relative to the project root, and whether each is a constraint."""
    for line in logical_lines(text):
        found = _INCLUDE.match(line.text)
        if found and "://" not in found.group(2):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), found.group(2)))
            yield target, found.group(1) in ("-c", "--constraint")


def read(files: Mapping[str, str], name: str, runtime: Sequence[str] = ()) -> list[Declaration]:
    """Every declaration of ``name`` in the requirements files, the ``runtime`` files setuptools reads, and includes."""
    roots = sorted((p for p in files if is_requirements_file(p)), key=lambda p: (is_development_file(p), p))
    found: list[Declaration] = []
    seen: set[str] = set()
    for path in runtime:
        _read_file(files, path, RUNTIME, name, seen, found)
    for root in roots:
        _read_file(files, root, DEVELOPMENT if is_development_file(root) else RUNTIME, name, seen, found)
    return found


def _read_file(
    files: Mapping[str, str], path: str, kind: str, name: str, seen: set[str], found: list[Declaration]
) -> None:
    if path in seen or path not in files:
        return
    seen.add(path)
    text = files[path]
    own_kind = LOCK if kind == RUNTIME and is_compiled(text) else kind
    for line in logical_lines(text):
        parsed = _parsed_line(line)
        if parsed is not None and parsed.name == name:
            requirement = _without_options(line.text)
            found.append(
                Declaration(
                    path, line.number, name, parsed.specifier, own_kind, requirement, parsed.extras, parsed.marker
                )
            )
    for target, constraint in includes(path, text):
        _read_file(files, target, CONSTRAINT if constraint else kind, name, seen, found)


def _without_options(requirement: str) -> str:
    """``flask==2.0 --hash=sha256:...`` is ``flask==2.0``."""
    return re.split(r"\s+--?[a-z]", requirement, maxsplit=1)[0]


# -- the main file and the edit --------------------------------------------------------------


def main_file(files: Mapping[str, str]) -> str | None:
    """The requirements file that lists what the application runs on, or None.

    ``requirements.in`` (pip-tools' source), else ``requirements.txt`` unless compiled,
    else the best-named file of ``requirements/``; then, while that file includes another
    runtime file, the included one: ``-r base.txt`` names the list the others share.
    """
    candidates = [p for p in files if is_requirements_file(p) and not is_development_file(p)]
    candidates = [p for p in candidates if not (p.endswith(".txt") and is_compiled(files[p]))]
    if not candidates:
        return None
    chosen = min(candidates, key=_main_rank)
    seen = {chosen}
    while True:
        text = files[chosen]
        following = [t for t, constraint in includes(chosen, text) if not constraint and _editable(files, t)]
        if not following or following[0] in seen:
            return chosen
        chosen = following[0]
        seen.add(chosen)


def _main_rank(path: str) -> tuple[int, int, str]:
    folder, _, base = path.rpartition("/")
    stem, _, extension = base.rpartition(".")
    if not folder and stem == "requirements":
        place = 0
    elif stem in _MAIN_NAMES:
        place = 1 + _MAIN_NAMES.index(stem)
    else:
        place = 1 + len(_MAIN_NAMES)
    return place, 0 if extension == "in" else 1, path


def _editable(files: Mapping[str, str], path: str) -> bool:
    return path in files and not is_development_file(path) and not is_compiled(files[path])


def add(text: str, name: str, requirement: str) -> str:
    """``text`` with ``requirement`` on a new line: in sorted position if the file is sorted, else after the last."""
    lines = list(logical_lines(text))
    if any("--hash" in line.text for line in lines):
        raise CannotEdit("every requirement carries a --hash; regenerate the file with the tool that wrote it")
    items = [Item(line.start, line.end, parsed.name) for line in lines if (parsed := _parsed_line(line)) is not None]
    if items:
        return insert_in_lines(text, items, name, requirement)
    if not text or text.endswith("\n"):
        return text + requirement + newline_of(text or "\n")
    return text + newline_of(text) + requirement


def _parsed_line(line: Line) -> ParsedRequirement | None:
    return None if line.text.startswith("-") else parse_requirement(_without_options(line.text))
