"""The codemods, found by looking at the package, in their application order.

Every public module of ``codemods`` (or package, for a large codemod: the class in its
``__init__.py``), ``core`` aside, holds exactly one ``Codemod`` subclass. Nothing
is listed by hand except the order, and a module missing from the order is an
error, so no codemod can be forgotten.

A codemod package may add a `flaskmod` subcommand: its module ``command`` holds exactly
one ``Command`` subclass (see commands.py), found here by :func:`command`.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect
import pkgutil
import types

from flaskmod import codemods
from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.commands import Command

# The module of a codemod package that declares its subcommand.
COMMAND_MODULE = "command"

# The order codemods run in: each sees the output of the ones before it.
APPLICATION_ORDER: tuple[str, ...] = (
    "route-decorator-order",
    "structlog-logging",
    "split-get-post",
    "unify-aborts",
    "extract-services",
)


def codemod_modules() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.iter_modules(codemods.__path__)
        if not info.name.startswith("_") and not (info.ispkg and info.name == "core")
    )


@functools.cache
def all_codemods() -> tuple[type[Codemod], ...]:
    found: dict[str, type[Codemod]] = {}
    for module_name in codemod_modules():
        module = importlib.import_module(f"{codemods.__name__}.{module_name}")
        classes = _defined_in(module, Codemod)
        if len(classes) != 1:
            raise RuntimeError(f"codemods/{module_name} must define exactly one codemod, found {len(classes)}")
        codemod = classes[0]
        if codemod.ID in found:
            raise RuntimeError(f"codemod id {codemod.ID!r} is defined twice")
        found[codemod.ID] = codemod
    unordered = sorted(set(found) - set(APPLICATION_ORDER))
    if unordered:
        raise RuntimeError(f"codemods missing from APPLICATION_ORDER: {', '.join(unordered)}")
    return tuple(found[i] for i in APPLICATION_ORDER if i in found)


def _defined_in(module: types.ModuleType, base: type) -> list[type]:
    """The subclasses of ``base`` that ``module`` itself defines."""
    return [
        value
        for value in vars(module).values()
        # `tuple[str, ...]` passes isinstance(type) on Python 3.10 but not issubclass().
        if inspect.isclass(value)
        and not isinstance(value, types.GenericAlias)
        and issubclass(value, base)
        and value.__module__ == module.__name__
    ]


@functools.cache
def all_commands() -> dict[str, type[Command]]:
    """The subcommands codemod packages declare, by name."""
    found: dict[str, type[Command]] = {}
    for module_name in codemod_modules():
        name = f"{codemods.__name__}.{module_name}.{COMMAND_MODULE}"
        package = importlib.import_module(f"{codemods.__name__}.{module_name}")
        if not hasattr(package, "__path__") or importlib.util.find_spec(name) is None:
            continue
        classes = _defined_in(importlib.import_module(name), Command)
        if len(classes) != 1:
            raise RuntimeError(f"codemods/{module_name}/{COMMAND_MODULE}.py must define exactly one command")
        entry = classes[0]
        if entry.NAME in found:
            raise RuntimeError(f"command {entry.NAME!r} is defined twice")
        found[entry.NAME] = entry
    return found


def command(name: str) -> type[Command]:
    """The subcommand ``name`` a codemod package declares (``KeyError`` when none does)."""
    return all_commands()[name]


def codemod_ids() -> tuple[str, ...]:
    return tuple(c.ID for c in all_codemods())


def get_codemod(codemod_id: str) -> type[Codemod]:
    for codemod in all_codemods():
        if codemod.ID == codemod_id:
            return codemod
    raise KeyError(codemod_id)
