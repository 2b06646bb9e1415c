"""Which route decorators a split may write: ``@bp.get``/``@bp.post`` exist only from Flask 2.0.

``route-style = "auto"`` reads the project's declared Flask requirement (through the
engine's project, as ``core.dependencies`` finds and reads declarations) and writes
``route(rule, methods=[...])`` when a Flask before 2.0 is allowed or nothing declares Flask.
"""

from __future__ import annotations

from pathlib import Path

from flaskmod.codemods.core.crossfile import write_roots
from flaskmod.codemods.core.dependencies import declaration_root, read_declarations
from flaskmod.codemods.core.project import Project
from flaskmod.codemods.core.requirements import Declaration, allows, declared

SHORTCUT = "shortcut"
ROUTE = "route"


def resolve(style: str, path: Path | None, project: Project) -> tuple[str, str | None]:
    """The style to write (``shortcut`` or ``route``) and, for ``auto``, why when it is ``route``."""
    if style != "auto":
        return style, None
    declarations = _flask_declarations(path, project)
    verdict = allows(declarations, "<2.0")
    if verdict is None:
        return ROUTE, (
            "no declared Flask requirement found (pyproject.toml, requirements*.txt, setup.cfg, setup.py, "
            "lock files): the split registers with `route(..., methods=[...])`, which every Flask has; "
            'set `route-style = "shortcut"` for `.get`/`.post`'
        )
    if verdict:
        first = declarations[0]
        return ROUTE, (
            f"`{first.text or first.name}` ({first.where}) allows Flask < 2.0, which has no `.get`/`.post`: "
            "the split registers with `route(..., methods=[...])`"
        )
    return SHORTCUT, None


def _flask_declarations(path: Path | None, project: Project) -> list[Declaration]:
    """The declarations of Flask in the project the file belongs to; none outside a run."""
    if path is None or not project.scanned:
        return []
    resolved = path.resolve()
    roots = write_roots([resolved.parent])
    cwd = Path.cwd().resolve()
    if cwd in resolved.parents:
        roots = (*roots, cwd)
    folder = declaration_root(resolved, project, roots)
    if folder is None:
        return []
    return declared(read_declarations(folder, project), "flask")
