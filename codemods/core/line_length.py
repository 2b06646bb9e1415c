"""The line length a project's formatter and linter hold its code to.

Read from the nearest folder above a file that configures one: ``pyproject.toml``
(``[tool.ruff] line-length``, ``[tool.black] line-length``), ``ruff.toml`` /
``.ruff.toml`` (``line-length``), ``setup.cfg`` / ``tox.ini`` / ``.flake8``
(``[flake8] max-line-length``). Without one, 88: the default of Ruff and Black.
"""

from __future__ import annotations

import configparser
from pathlib import Path

from flaskmod.codemods.core.project import Project
from flaskmod.codemods.core.requirements.tomledit import load

DEFAULT_LINE_LENGTH = 88

_TOML_FILES = ("pyproject.toml", "ruff.toml", ".ruff.toml")
_INI_FILES = ("setup.cfg", "tox.ini", ".flake8")


def line_length(path: Path | None, project: Project) -> int:
    """The line length configured for ``path``'s project, or the Ruff and Black default."""
    if path is None:
        return DEFAULT_LINE_LENGTH
    for folder in path.resolve().parents:
        found = _configured(folder, project)
        if found is not None:
            return found
        if project.exists(folder / ".git"):
            break  # the repository's top: nothing above it is the project's
    return DEFAULT_LINE_LENGTH


def _configured(folder: Path, project: Project) -> int | None:
    for name in _TOML_FILES:
        text = project.text(folder / name)
        found = _toml_length(name, load(text) if text is not None else None)
        if found is not None:
            return found
    for name in _INI_FILES:
        text = project.text(folder / name)
        found = _ini_length(text) if text is not None else None
        if found is not None:
            return found
    return None


def _toml_length(name: str, document: dict[str, object] | None) -> int | None:
    if document is None:
        return None
    if name != "pyproject.toml":
        return _positive(document.get("line-length"))
    tools = document.get("tool")
    if not isinstance(tools, dict):
        return None
    for tool in ("ruff", "black"):
        table = tools.get(tool)
        if isinstance(table, dict):
            found = _positive(table.get("line-length", table.get("line_length")))
            if found is not None:
                return found
    return None


def _ini_length(text: str) -> int | None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    raw = parser.get("flake8", "max-line-length", fallback=None)
    return _positive(int(raw)) if raw is not None and raw.strip().isdigit() else None


def _positive(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None
