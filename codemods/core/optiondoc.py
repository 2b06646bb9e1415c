"""A codemod's "Options" documentation section, generated from its ``OPTIONS`` declaration.

The declaration is the one truth about an option (config validation and command-line
flags read it too), so the documentation cannot drift from it: a docstring never
carries an Options section of its own (the base class refuses one).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flaskmod.codemods.core.base import Option

HEADING = "## Options"
_NEXT_HEADING = re.compile(r"^## ", re.MULTILINE)


def toml_value(value: Any) -> str:
    """``value`` as it is written in ``pyproject.toml``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return f"[{', '.join(toml_value(item) for item in value)}]"
    if isinstance(value, dict):
        items = ", ".join(f"{json.dumps(key)} = {toml_value(item)}" for key, item in value.items())
        return f"{{{items}}}" if items else "{}"
    return str(value)


def _type_name(option: Option) -> str:
    if option.type is dict:
        return "table" if option.value_type is None else f"table of {option.value_type.__name__}"
    if option.type is list:
        return "list" if option.value_type is None else f"list of {option.value_type.__name__}"
    return option.type.__name__


def _allowed(option: Option) -> str:
    """What values the declaration allows beyond its type, or ""."""
    choices = ", ".join(f"`{toml_value(choice)}`" for choice in option.choices)
    if option.module_path:
        path = "a relative `.py` path without `..`"
        return f"{choices} or {path}" if choices else path
    return f"one of {choices}" if choices else ""


def option_line(name: str, option: Option) -> str:
    """One option as a list item: name, type, default, allowed values, placeholders, flag; then its help."""
    facts = [_type_name(option), f"default `{toml_value(option.default)}`"]
    if option.choices or option.module_path:
        facts.append(_allowed(option))
    if option.placeholders:
        facts.append("placeholders " + ", ".join(f"`{{{field}}}`" for field in option.placeholders))
    if option.flag:
        facts.append(f"command line `{option.flag}`")
    details = f" {option.details}" if option.details else ""
    return f"- `{name}` ({'; '.join(facts)}): {option.help}{details}"


def options_section(codemod_id: str, options: Mapping[str, Option]) -> str:
    """The section, heading included."""
    if not options:
        return f"{HEADING}\nNone."
    lines = [HEADING, f"Set in `[tool.flaskmod.{codemod_id}]` of `pyproject.toml`:", ""]
    lines += [option_line(name, option) for name, option in options.items()]
    return "\n".join(lines)


def with_options_section(doc: str, section: str) -> str:
    """``doc`` with ``section`` after its "Fix safety" section (Ruff's order), or at the end without one."""
    fix_safety = doc.find("## Fix safety")
    following = _NEXT_HEADING.search(doc, fix_safety + 1) if fix_safety >= 0 else None
    if following is None:
        return f"{doc}\n\n{section}"
    return f"{doc[: following.start()].rstrip()}\n\n{section}\n\n{doc[following.start() :]}"
