"""The `from ... import ...` statements of a file read from its text, without parsing it.

Project-wide scans (``Project.fact``) read every file of a run; a regular expression over
the text is cheap there, and a file that does not parse still tells what it imports.
"""

from __future__ import annotations

import re

_FROM_IMPORT = re.compile(r"^[ \t]*from\s+(\.*[\w.]*)\s+import\s+(\([^)]*\)|[^\n#;]+)", re.M)


def from_imports(text: str) -> tuple[tuple[str, str, str], ...]:
    """(module as spelled, name, local name) of each imported name.

    ``from .jobs import logger as log`` gives ``(".jobs", "logger", "log")``. Plain
    tuples: they are kept in the result cache, whose loader takes no classes of ours.
    """
    found = []
    for statement in _FROM_IMPORT.finditer(text):
        for alias in statement.group(2).strip("()\n ").split(","):
            parts = alias.split()
            if parts and parts[0] != "*":
                found.append((statement.group(1), parts[0], parts[-1]))
    return tuple(found)
