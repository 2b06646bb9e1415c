"""``style = "auto"``: the error style the project already leans to.

Each scanned module's Flask/werkzeug ``abort(...)`` calls and ``raise <werkzeug class>``
statements are counted once per file version (a project fact; names resolved through
the module's imports, read with ``ast``). The style with more sites wins; a tie, or no
site at all, keeps ``abort``. The choice is said once per run, as a finding on the first
scanned module that has a site.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.flask import HTTP_ERROR_CLASSES

_CLASS_NAMES = frozenset(error.name for error in HTTP_ERROR_CLASSES.values())
_MENTIONS = re.compile(r"\babort\b|werkzeug")

# (abort calls, raises of a werkzeug class) in one module.
Counts = tuple[int, int]


@dataclass
class _Imports:
    """How a module spells Flask's ``abort``, werkzeug's exception classes and their modules."""

    aborts: set[str]
    classes: set[str]
    abort_modules: set[str]  # flask, werkzeug.exceptions and their aliases
    exception_modules: set[str]  # werkzeug.exceptions and its aliases


def style_counts(text: str) -> Counts:
    """How many ``abort(...)`` calls and werkzeug ``raise``\\ s a module's text holds."""
    if not _MENTIONS.search(text):
        return (0, 0)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return (0, 0)
    imports = _imports(tree)
    aborts = raises = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_abort(node.func, imports):
            aborts += 1
        elif isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            raises += _is_error_class(raised, imports)
    return (aborts, raises)


def _imports(tree: ast.Module) -> _Imports:
    found = _Imports(set(), set(), set(), set())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and not node.level:
            for alias in node.names:
                bound = alias.asname or alias.name
                if node.module in ("flask", "werkzeug.exceptions") and alias.name == "abort":
                    found.aborts.add(bound)
                elif node.module == "werkzeug.exceptions" and alias.name in _CLASS_NAMES:
                    found.classes.add(bound)
                elif node.module == "werkzeug" and alias.name == "exceptions":
                    found.exception_modules.add(bound)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in ("flask", "werkzeug.exceptions"):
                    bound = alias.asname or alias.name
                    found.abort_modules.add(bound)
                    if alias.name == "werkzeug.exceptions":
                        found.exception_modules.add(bound)
    found.abort_modules |= found.exception_modules
    return found


def _is_abort(func: ast.expr, imports: _Imports) -> bool:
    if isinstance(func, ast.Name):
        return func.id in imports.aborts
    return isinstance(func, ast.Attribute) and func.attr == "abort" and ast.unparse(func.value) in imports.abort_modules


def _is_error_class(raised: ast.expr, imports: _Imports) -> bool:
    if isinstance(raised, ast.Name):
        return raised.id in imports.classes
    return (
        isinstance(raised, ast.Attribute)
        and raised.attr in _CLASS_NAMES
        and ast.unparse(raised.value) in imports.exception_modules
    )


def inferred_style(codemod: Codemod, tree: cst.Module, anchor: cst.CSTNode) -> str:
    """The style the project leans to; says so at ``anchor``, once per run, in the first module with a site."""
    here = Path(codemod.context.filename).resolve() if codemod.context.filename else None
    files = sorted(p for p in codemod.project.scanned if p.suffix == ".py")
    per_file = [(path, codemod.project.fact(path, style_counts) or (0, 0)) for path in files]
    if not files or here not in files:
        per_file = [(here or Path("<module>"), style_counts(tree.code))]
    counted = [(path, counts) for path, counts in per_file if counts != (0, 0)]
    aborts = sum(c[0] for _, c in counted)
    raises = sum(c[1] for _, c in counted)
    style = "raise" if raises > aborts else "abort"
    if counted and counted[0][0] == (here or counted[0][0]):
        leaning = "already leans that way" if raises != aborts else "leans neither way (the default)"
        codemod.add_finding(
            anchor,
            f'style "auto" chose {style}: the project {leaning}, with {aborts} `abort(...)` and '
            f"{raises} `raise <HTTPException>` in {len(counted)} file(s)",
        )
    return style
