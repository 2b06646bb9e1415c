"""The explicit mode, `flaskmod extract`: exactly the statements the user points at, into the name they chose.

No size thresholds and no cheap bail-outs: every refusal gets its reason, which the
command (``command.ExplicitExtract``) raises as :class:`ExtractRefused`.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from flaskmod.codemods.core.bindings import all_params
from flaskmod.codemods.core.commands import CommandRefused
from flaskmod.codemods.core.refusal import IGNORED_KIND, IGNORED_REASON, Refused
from flaskmod.codemods.core.syntax import iter_functions_with_outer
from flaskmod.codemods.extract_services.liveness import definitely_bound
from flaskmod.codemods.extract_services.rewrite import replace_run
from flaskmod.codemods.extract_services.runs import Run, nested_blocks

if TYPE_CHECKING:
    from flaskmod.codemods.extract_services import ExtractServices

# The internal option of the explicit mode (`flaskmod extract`); not in OPTIONS, so a config file cannot set it.
EXPLICIT_OPTION = "explicit"

# The first and last line of a node.
Span = Callable[[cst.CSTNode], tuple[int, int]]


@dataclass(frozen=True)
class ExplicitTarget:
    """What `flaskmod extract` points at: the statements of ``view`` on lines ``first_line``-``last_line``."""

    view: str
    first_line: int
    last_line: int
    name: str


class ExtractRefused(CommandRefused):
    """The explicit extraction was refused; ``reason`` says why, for the user."""


def explicit_transform(codemod: ExtractServices, tree: cst.Module, explicit: ExplicitTarget) -> cst.Module:
    """One run of one view, chosen by lines; a refusal is recorded as the file's only skip, the bare reason."""
    anchor: cst.CSTNode = tree
    try:
        view, outer = _find_view(tree, explicit)
        anchor = view
        if not codemod.routes.is_view(view):
            raise Refused(
                f"`{explicit.view}` is not a Flask view (no route decorator flaskmod can prove)", "not-a-view"
            )
        if codemod.is_ignored(view):
            raise Refused(IGNORED_REASON, IGNORED_KIND)
        codemod.set_up(tree)
        if codemod.modules.target.resolve() == codemod.modules.source_path.resolve():
            raise Refused("the services module cannot be the views module itself", "services-path")
        # The chosen name goes through the same check as a configured one (taken names are refused).
        codemod.options = {**codemod.options, "names": {view.name.value: explicit.name}}
        planner = codemod.enter_view(view, outer)
        run = locate(view, explicit.first_line, explicit.last_line, codemod.span)
        service = planner.plan(run, 1)
    except Refused as refused:
        codemod.add_refusal(anchor, refused)
        return tree
    where = codemod.modules.relative_target()
    lines = f"lines {explicit.first_line}-{explicit.last_line}"
    if not codemod.permit_unsafe(view, f"moves {lines} of `{view.name.value}` into `{service.name}` in {where}"):
        return tree
    codemod.services = [service]
    codemod.propose()
    replace_run(codemod, run, service.call)
    return tree


def _find_view(
    tree: cst.Module, explicit: ExplicitTarget
) -> tuple[cst.FunctionDef, list[cst.FunctionDef | cst.ClassDef]]:
    """The one function named ``explicit.view``, with the functions and classes around it."""
    if not explicit.name.isidentifier() or keyword.iskeyword(explicit.name):
        raise Refused(f"`{explicit.name}` is not a valid function name", "invalid-name")
    found = [(f, outer) for f, outer in iter_functions_with_outer(tree) if f.name.value == explicit.view]
    if not found:
        raise Refused(f"no function named `{explicit.view}`", "no-function")
    if len(found) > 1:
        raise Refused(f"{len(found)} functions are named `{explicit.view}`", "ambiguous-function")
    return found[0]


def locate(view: cst.FunctionDef, first: int, last: int, span: Span) -> Run:
    """The run of ``view`` on lines ``first``-``last``: whole statements of one block."""
    assert isinstance(view.body, cst.IndentedBlock)  # checked by enter_view
    header_end = span(view.returns or view.params)[1]
    if first > last or first <= header_end or last > span(view.body)[1]:
        raise Refused(f"lines {first}-{last} are not inside the body of `{view.name.value}`", "lines")
    params = {p.name.value for p in all_params(view.params)}
    return _locate_in(view.body, params, False, None, first, last, span)


def _locate_in(
    block: cst.IndentedBlock,
    bound: set[str],
    in_loop: bool,
    test: cst.BaseExpression | None,
    first: int,
    last: int,
    span: Span,
) -> Run:
    """The statements of ``block`` within the lines, or those of one block nested in one statement."""
    inside: list[int] = []
    crossing: list[tuple[cst.BaseStatement, set[str]]] = []
    bound = set(bound)
    run_bound = bound
    for index, statement in enumerate(block.body):
        start, end = span(statement)
        if first <= start and end <= last:
            if not inside:
                run_bound = set(bound)
            inside.append(index)
        elif start <= last and first <= end:
            crossing.append((statement, set(bound)))
        bound |= definitely_bound(statement)
    if inside and not crossing:
        return Run(block, inside[0], inside[-1] + 1, in_loop, run_bound, test)
    if len(crossing) == 1 and not inside:
        statement, before = crossing[0]
        # The same blocks as the automatic mode sees, a loop's `else` included.
        for header, part, part_bound, part_loop, part_test in nested_blocks(statement, before, in_loop, loop_else=True):
            if span(header)[0] < first and last <= span(part)[1]:
                return _locate_in(part, part_bound, part_loop, part_test, first, last, span)
    raise Refused(f"lines {first}-{last} do not cover whole statements of one block", "lines")
