"""Loggers other modules configure, found by text through the run's project.

A module logger that another module configures (`logging.getLogger("app.jobs").setLevel(...)`,
`from app.jobs import logger; logger.addHandler(...)`, a `dictConfig` whose `loggers` name
it) must stay a stdlib logger: a structlog logger lacks those APIs (AttributeError), and
unconfigured structlog ignores the configuration made by name.

Each scanned file's configurations are a project fact (``Project.fact``), scanned once per
version of the file; the module asking compares them with its own logger.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flaskmod.codemods.core.import_text import from_imports
from flaskmod.codemods.core.project import Project

# Stdlib `Logger` APIs that configure a logger (structlog's loggers have none of them).
_CONFIGURING = r"(setLevel|addHandler|removeHandler|addFilter|removeFilter|handlers|propagate|disabled)\b"
_NAMED_LOGGER = r"getLogger\(\s*(?:name\s*=\s*)?(?P<quote>['\"])([\w.\-]+)(?P=quote)\s*\)"
_CONFIGURED_BY_NAME = re.compile(_NAMED_LOGGER + r"\s*\.\s*" + _CONFIGURING)
_ASSIGNED_BY_NAME = re.compile(r"^[ \t]*(\w+)\s*(?::[^=\n]+)?=\s*(?:logging\s*\.\s*)?" + _NAMED_LOGGER, re.M)
_CONFIGURED_NAME = re.compile(r"\b(\w+)\s*\.\s*" + _CONFIGURING)
_LOGGERS_SECTION = re.compile(r"(['\"])loggers\1\s*:\s*\{")
_DICT_KEY = re.compile(r"(['\"])([\w.\-]+)\1\s*:")


# A name -> the line and API of the first configuring use of it.
Uses = dict[str, tuple[int, str]]


@dataclass(frozen=True)
class Configuration:
    """One place a file configures a logger: by name, or through an imported module attribute."""

    line: int
    what: str  # `setLevel`, `dictConfig`...
    logger_name: str | None = None  # the logger's name (`getLogger("x")`, a dictConfig key)
    module: str | None = None  # `from module import attribute` (leading dots: relative)
    attribute: str | None = None


def configurations_in(text: str) -> tuple[Configuration, ...]:
    """Every logger configuration in a module's text (the project fact)."""
    # Names on which a configuring API is used, with the first such use: `x.setLevel(` -> x.
    configured: Uses = {}
    for use in _CONFIGURED_NAME.finditer(text):
        configured.setdefault(use.group(1), (_line(text, use.start()), use.group(2)))
    return (*_by_name(text, configured), *_in_dict_config(text), *_through_imports(text, configured))


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _by_name(text: str, configured: Uses) -> list[Configuration]:
    found = [
        Configuration(_line(text, m.start()), m.group(3), logger_name=m.group(2))
        for m in _CONFIGURED_BY_NAME.finditer(text)
    ]
    for assigned in _ASSIGNED_BY_NAME.finditer(text):
        variable, name = assigned.group(1), assigned.group(3)
        if variable in configured:
            line, what = configured[variable]
            found.append(Configuration(line, what, logger_name=name))
    return found


def _in_dict_config(text: str) -> list[Configuration]:
    """The keys of a `'loggers': {...}` mapping (dictConfig), at its first level."""
    found = []
    for section in _LOGGERS_SECTION.finditer(text):
        depth, start = 1, section.end()
        for index in range(start, len(text)):
            depth += {"{": 1, "}": -1}.get(text[index], 0)
            if depth == 0:
                break
        body = text[start:index]
        level_one = re.sub(r"\{[^{}]*\}", lambda m: " " * len(m.group(0)), body)
        while "{" in level_one:  # nested mappings, innermost first
            level_one = re.sub(r"\{[^{}]*\}", lambda m: " " * len(m.group(0)), level_one)
        for key in _DICT_KEY.finditer(level_one):
            found.append(Configuration(_line(text, start + key.start()), "dictConfig", logger_name=key.group(2)))
    return found


def _through_imports(text: str, configured: Uses) -> list[Configuration]:
    found = []
    for module, attribute, local in from_imports(text):
        if local in configured:
            line, what = configured[local]
            found.append(Configuration(line, what, module=module, attribute=attribute))
    return found


# -- the module asking --------------------------------------------------------------


def module_name(path: Path, project: Project) -> tuple[str, Path]:
    """The dotted module name of ``path`` (its packages found through ``__init__.py``), and the folder above them."""
    parts = [] if path.stem == "__init__" else [path.stem]
    folder = path.parent
    while project.is_file(folder / "__init__.py") and folder.parent != folder:
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts), folder


def imported_module(importer: Path, module: str, project: Project) -> str:
    """The dotted name an import in ``importer`` spells (a relative one resolved from the importer's package)."""
    dots = len(module) - len(module.lstrip("."))
    if not dots:
        return module
    package, _root = module_name(importer.parent / "__init__.py", project)
    parts = package.split(".") if package else []
    parts = parts[: len(parts) - (dots - 1)] if dots > 1 else parts
    rest = module.lstrip(".")
    return ".".join([*parts, rest] if rest else parts)


def configured_elsewhere(path: Path, variable: str, logger_name: str | None, project: Project) -> str | None:
    """Where another scanned file configures this module's logger (`file:line (setLevel)`); None when none does."""
    path = path.resolve()
    dotted, root = module_name(path, project)
    for resolved in _other_files(path, project):
        for configuration in project.fact(resolved, configurations_in) or ():
            if _names_this_logger(configuration, resolved, dotted, variable, logger_name, project):
                shown = resolved.relative_to(root) if resolved.is_relative_to(root) else resolved
                return f"{shown.as_posix()}:{configuration.line} (`{configuration.what}`)"
    return None


def _names_this_logger(
    configuration: Configuration, other: Path, dotted: str, variable: str, logger_name: str | None, project: Project
) -> bool:
    if configuration.logger_name is not None:
        return logger_name is not None and configuration.logger_name == logger_name
    assert configuration.module is not None
    return configuration.attribute == variable and imported_module(other, configuration.module, project) == dotted


def imported_elsewhere(path: Path, variable: str, project: Project) -> bool:
    """Does another scanned file import ``variable`` from this module (`from app.log import logger`)?

    Outside a run nothing is scanned, so every logger counts as imported: nothing is left out unseen.
    """
    if not project.scanned:
        return True
    path = path.resolve()
    dotted, _root = module_name(path, project)
    for resolved in _other_files(path, project):
        for module, name, _local in project.fact(resolved, from_imports) or ():
            if name == variable and imported_module(resolved, module, project) == dotted:
                return True
    return False


def _other_files(path: Path, project: Project) -> Iterator[Path]:
    """Every scanned file but ``path`` (resolved), resolved."""
    for other in project.scanned:
        resolved = other.resolve()
        if resolved != path:
            yield resolved
