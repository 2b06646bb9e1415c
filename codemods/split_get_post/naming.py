"""Does anything in the project name a view's endpoint, or use its function? Decides the style of a split.

Asked while transforming, per split view: its own module from the tree (the survey), the
other files of the run and the templates beside them from text (``project_scan``'s
scanners, cached per file as ``Project.fact``). The first place found is the reason
``split-style = "auto"`` keeps the endpoint (a MethodView) rather than moving POST to a
new one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import libcst as cst

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.flask import FlaskRoutes
from flaskmod.codemods.core.project import Project
from flaskmod.codemods.core.results import display_path
from flaskmod.codemods.split_get_post import project_scan
from flaskmod.codemods.split_get_post.findings import full_endpoint, names_moved_endpoint
from flaskmod.codemods.split_get_post.nodes import short, string_value
from flaskmod.codemods.split_get_post.plan import Plan
from flaskmod.codemods.split_get_post.survey import Survey


def naming_place(
    codemod: Codemod, function: cst.FunctionDef, plan: Plan, survey: Survey, routes: FlaskRoutes
) -> str | None:
    """Where the endpoint of ``function`` (or the function) is named, said for the user; None when nowhere."""
    own = _in_module(codemod, function, plan, survey, routes)
    if own is not None:
        return own
    current = Path(codemod.context.filename) if codemod.context.filename else None
    return next(_in_other_files(codemod.project, current, function.name.value, plan), None)


def _in_module(
    codemod: Codemod, function: cst.FunctionDef, plan: Plan, survey: Survey, routes: FlaskRoutes
) -> str | None:
    if plan.referenced:
        return f"`{function.name.value}` is used elsewhere in this module"
    for string, keyed in survey.strings:
        value = string_value(string)
        if value is not None and names_moved_endpoint(value, keyed, plan):
            return f"line {codemod.line_of(string)} names the endpoint (`{value}`)"
    for node, what, functions in survey.endpoint_uses:
        if functions and functions[-1] is not function and routes.is_view(functions[-1]):
            continue  # inside another view: it only ever sees its own endpoint
        return f"line {codemod.line_of(node)}: {what[0].lower()}{what[1:]}"
    return None


def _in_other_files(project: Project, current: Path | None, name: str, plan: Plan) -> Iterator[str]:
    """Places in the run's other Python files and in the templates that name the endpoint or use the view."""
    here = current.resolve() if current is not None else None
    olds = [full_endpoint(old, plan) for old in plan.old_endpoints]
    module_words = _module_words(here)
    generic: list[str] = []  # said only when nothing names the endpoint itself
    for path in [*project.own_sources(), *project.templates()]:
        resolved = path.resolve()
        if resolved == here:
            continue  # the module itself: from its tree
        shown = display_path(resolved, Path.cwd().resolve())
        for line, text, reads_only in project.fact(path, project_scan.places_in) or ():
            if reads_only:
                generic.append(f"{shown}:{line} reads the endpoint (`{short(text.strip())}`)")
            elif any(project_scan.names_endpoint(text, old, plan.owner_known) is not None for old in olds):
                yield f"{shown}:{line} names the endpoint (`{short(text.strip())}`)"
        if path.suffix == ".py":
            references = project.fact(path, project_scan.view_references) or frozenset()
            if any((word, name) in references for word in module_words):
                yield f"{shown} uses the view function `{name}`"
    yield from generic


def _module_words(path: Path | None) -> set[str]:
    """The words an import of the view's module spells: its name, or its package's for ``__init__.py``."""
    if path is None:
        return set()
    stem = path.parent.name if path.stem == "__init__" else path.stem
    return {stem}
