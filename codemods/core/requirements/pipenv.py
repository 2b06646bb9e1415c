"""Pipenv's ``Pipfile`` (``[packages]`` runtime, ``[dev-packages]`` development) and the three lock files.

A lock pins one version per package: ``poetry.lock`` and ``uv.lock`` as ``[[package]]``
tables, ``Pipfile.lock`` as JSON (its ``default`` section; ``develop`` is tooling).
Locks are read, never edited: the tool that wrote one refreshes it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from flaskmod.codemods.core.requirements.model import DEVELOPMENT, LOCK, RUNTIME, Declaration, line_at, normalise
from flaskmod.codemods.core.requirements.specs import specifier_sets
from flaskmod.codemods.core.requirements.tomledit import add_table_entry, load
from flaskmod.codemods.core.requirements.tomltext import scan

_PIPFILE_KINDS = {"packages": RUNTIME, "dev-packages": DEVELOPMENT}
# The command that refreshes each lock.
LOCK_COMMANDS = {"poetry.lock": "poetry lock", "uv.lock": "uv lock", "Pipfile.lock": "pipenv lock"}


def read_pipfile(path: str, text: str, name: str) -> Iterator[Declaration]:
    data = load(text)
    if data is None:
        return
    document = scan(text)
    for entry in document.entries:
        kind = _PIPFILE_KINDS.get(entry.table[0]) if len(entry.table) == 1 else None
        if kind is None or len(entry.key) != 1 or normalise(entry.key[0]) != name:
            continue
        value = data[entry.table[0]][entry.key[0]]
        extras: frozenset[str] = frozenset()
        if isinstance(value, dict):
            if any(source in value for source in ("git", "path", "file", "editable")):
                continue
            extras, value = frozenset(value.get("extras", ())), value.get("version", "*")
        sets = specifier_sets(value) if isinstance(value, str) else None
        for specifier in sets or []:
            yield Declaration(path, line_at(text, entry.line_start), name, specifier, kind, str(value), extras)


def add_to_pipfile(text: str, name: str, specifier: str) -> str:
    return add_table_entry(text, scan(text), ("packages",), name, specifier or "*")


def read_lock(path: str, text: str, name: str) -> Iterator[Declaration]:
    if path.rsplit("/", 1)[-1] == "Pipfile.lock":
        yield from _read_pipfile_lock(path, text, name)
        return
    data = load(text)
    if data is None:
        return
    tables = iter(t for t in scan(text).tables if t.name == ("package",) and t.array)
    for package in data.get("package", []):
        table = next(tables, None)
        if not isinstance(package, dict) or normalise(str(package.get("name", ""))) != name:
            continue
        pin = _pin(str(package.get("version", "")))
        if pin is not None:
            line = line_at(text, table.header_start) if table else 1
            yield Declaration(path, line, name, pin, LOCK, f"{package['name']}=={package['version']}")


def _read_pipfile_lock(path: str, text: str, name: str) -> Iterator[Declaration]:
    try:
        default: Any = json.loads(text).get("default", {})
    except (ValueError, AttributeError):
        return
    for package, entry in default.items() if isinstance(default, dict) else ():
        version = entry.get("version", "") if isinstance(entry, dict) else ""
        if normalise(package) != name or not isinstance(version, str):
            continue
        pin = _pin(version.removeprefix("=="))
        found = re.search(rf'^\s*"{re.escape(package)}"\s*:', text, re.MULTILINE)
        if pin is not None:
            yield Declaration(path, line_at(text, found.start()) if found else 1, name, pin, LOCK, version)


def _pin(version: str) -> SpecifierSet | None:
    try:
        return SpecifierSet(f"=={version}") if version else None
    except InvalidSpecifier:
        return None
