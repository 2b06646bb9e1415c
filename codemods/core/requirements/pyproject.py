"""``pyproject.toml``: PEP 621 ``[project]`` (and PEP 735 groups) and Poetry's ``[tool.poetry.*dependencies]``.

Runtime: ``[project].dependencies`` and ``[tool.poetry.dependencies]`` (``python`` aside,
``optional = true`` entries are extras). Not runtime: ``[project.optional-dependencies]``,
``[dependency-groups]``, Poetry's ``dev-dependencies`` and groups. Dotted keys
(``optional-dependencies.test = [...]`` inside ``[project]``) mean the same as tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from packaging.specifiers import SpecifierSet

from flaskmod.codemods.core.requirements.listedit import insert_line_after
from flaskmod.codemods.core.requirements.model import (
    DEVELOPMENT,
    OPTIONAL,
    RUNTIME,
    CannotEdit,
    Declaration,
    line_at,
    normalise,
)
from flaskmod.codemods.core.requirements.specs import parse_requirement, specifier_sets
from flaskmod.codemods.core.requirements.tomledit import add_array_item, add_table_entry, load, string_items
from flaskmod.codemods.core.requirements.tomltext import Document, Key, scan

PROJECT_DEPENDENCIES: Key = ("project", "dependencies")
POETRY_DEPENDENCIES: Key = ("tool", "poetry", "dependencies")


def read(path: str, text: str, name: str) -> list[Declaration]:
    data = load(text)
    if data is None:
        return []
    document = scan(text)
    return [*_pep621(path, text, document, name), *_poetry(path, text, document, data, name)]


def _pep621(path: str, text: str, document: Document, name: str) -> Iterator[Declaration]:
    for entry in document.entries:
        kind = _array_kind(entry.table + entry.key)
        if kind is None:
            continue
        for start, _end, value in string_items(text, entry):
            parsed = parse_requirement(value) if isinstance(value, str) else None
            if parsed is not None and parsed.name == name:
                line = line_at(text, start)
                yield Declaration(path, line, name, parsed.specifier, kind, value, parsed.extras, parsed.marker)


def _array_kind(key: Key) -> str | None:
    if key == PROJECT_DEPENDENCIES:
        return RUNTIME
    if len(key) == 3 and key[:2] == ("project", "optional-dependencies"):
        return OPTIONAL
    if len(key) == 2 and key[0] == "dependency-groups":
        return DEVELOPMENT
    return None


def _poetry(path: str, text: str, document: Document, data: dict[str, Any], name: str) -> Iterator[Declaration]:
    """Poetry entries, as ``flask = "^1.1"``, inline tables, lists of them, or ``[...dependencies.flask]`` tables."""
    places = [(e.table + e.key, e.line_start) for e in document.entries]
    places += [(t.name, t.header_start) for t in document.tables]
    for key, offset in places:
        kind = _poetry_kind(key)
        if kind is None or normalise(key[-1]) != name:
            continue
        value = _lookup(data, key)
        for constraint in value if isinstance(value, list) else [value]:
            yield from _poetry_declarations(path, line_at(text, offset), name, kind, constraint)


def _poetry_kind(key: Key) -> str | None:
    if len(key) == 4 and key[:3] == POETRY_DEPENDENCIES and key[3] != "python":
        return RUNTIME
    if len(key) == 4 and key[:3] == ("tool", "poetry", "dev-dependencies"):
        return DEVELOPMENT
    if len(key) == 6 and key[:3] == ("tool", "poetry", "group") and key[4] == "dependencies":
        return DEVELOPMENT
    return None


def _lookup(data: dict[str, Any], key: Key) -> Any:
    for part in key:
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _poetry_declarations(path: str, line: int, name: str, kind: str, value: Any) -> Iterator[Declaration]:
    """A string constraint, or a table with ``version`` (git, path and URL sources name no version)."""
    if isinstance(value, dict):
        if any(source in value for source in ("git", "path", "url", "file")):
            return
        kind = OPTIONAL if value.get("optional") and kind == RUNTIME else kind
        extras = frozenset(value.get("extras", ()))
        marker = value.get("markers")
        value = value.get("version", "*")
    else:
        extras, marker = frozenset(), None
    if not isinstance(value, str):
        return
    for specifier in specifier_sets(value) or []:
        yield Declaration(path, line, name, specifier, kind, value, extras, marker)


# -- which table is the declaration, and the edits ----------------------------------------------


def project_declares(data: dict[str, Any]) -> bool:
    """Whether ``[project]`` holds the runtime dependencies (it does unless they are ``dynamic``)."""
    project = data.get("project")
    return isinstance(project, dict) and "dependencies" not in project.get("dynamic", ())


def poetry_declares(data: dict[str, Any]) -> bool:
    return isinstance(_lookup(data, POETRY_DEPENDENCIES), dict)


def dynamic_dependency_files(data: dict[str, Any]) -> list[str]:
    """The files setuptools reads ``dynamic`` dependencies from (``[tool.setuptools.dynamic]``)."""
    found = _lookup(data, ("tool", "setuptools", "dynamic", "dependencies"))
    files = found.get("file", []) if isinstance(found, dict) else []
    return [files] if isinstance(files, str) else list(files)


def add_to_project(text: str, name: str, requirement: str) -> str:
    """``requirement`` into ``[project].dependencies``, or a new ``dependencies`` key when there is none."""
    document = scan(text)
    entry = next((e for e in document.entries if e.table + e.key == PROJECT_DEPENDENCIES), None)
    if entry is not None:
        return add_array_item(text, entry, name, requirement, _requirement_name)
    project = [e for e in document.entries if e.table == ("project",) and len(e.key) == 1]
    if not project:
        raise CannotEdit("[project] has no key to put `dependencies` after")
    after = next((e for e in project if e.key == ("requires-python",)), project[-1])
    quote = text[after.value_start] if text[after.value_start] in "\"'" else '"'
    return insert_line_after(text, after.value_end, f"dependencies = [{quote}{requirement}{quote}]")


def add_to_poetry(text: str, name: str, specifier: str) -> str:
    """``name = "constraint"`` in ``[tool.poetry.dependencies]``.

    A lone ``>=V`` is written ``^V`` where most of the table uses carets: the file's own style.
    """
    document = scan(text)
    data = load(text) or {}
    table = _lookup(data, POETRY_DEPENDENCIES) or {}
    constraints = [v for k, v in table.items() if k != "python" and isinstance(v, str)]
    value = specifier or "*"
    lone = list(SpecifierSet(specifier))
    if (
        len(lone) == 1
        and lone[0].operator == ">="
        and sum(c.startswith("^") for c in constraints) * 2 > len(constraints)
    ):
        value = "^" + lone[0].version
    return add_table_entry(text, document, POETRY_DEPENDENCIES, name, value, first="python")


def _requirement_name(value: str) -> str:
    parsed = parse_requirement(value)
    return parsed.name if parsed else normalise(value)
