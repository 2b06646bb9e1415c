"""Splits not worth making: a view left empty, or two views that are near copies of each other."""

from __future__ import annotations

import difflib

import libcst as cst

from flaskmod.codemods.core.refusal import Refused
from flaskmod.codemods.core.syntax import code_of
from flaskmod.codemods.split_get_post.plan import Plan

# Two views of at least this many lines that differ in at most _MAX_DIFFERENT lines are near copies.
_MIN_LINES = 8
_MAX_DIFFERENT = 2
# Setup both views begin with, copied into each because it cannot move into a helper (an early
# `return` in it, a closure): up to this many lines are copied, more make the split not worth it.
MAX_COPIED_SETUP_LINES = 10


def check_worth_it(plan: Plan) -> None:
    """Refused when a view would do nothing, or when the views would be near copies."""
    for view in plan.views:
        if _empty(view.body):
            raise Refused(f"the {'/'.join(view.methods)} view would be empty", "empty-view")
    first, *others = [view.code.splitlines() for view in plan.views]
    for other in others:
        different = _different_lines(first, other)
        if min(len(first), len(other)) >= _MIN_LINES and different <= _MAX_DIFFERENT:
            reason = (
                f"the views would be near copies ({len(first)} and {len(other)} lines, "
                f"{different} different): the split would duplicate the code, not separate it"
            )
            raise Refused(reason, "near-copies")


def check_copied_setup(plan: Plan) -> None:
    """Refused when the views would share more than ``MAX_COPIED_SETUP_LINES`` lines of the same statements.

    Counted anywhere in the bodies, not only at the start: a prelude no helper could take,
    and a long tail (a render, an OAuth callback) both views keep, are copies all the same.
    """
    # As written, after dead assignments went (a call kept bare is still there, and still a copy).
    bodies = [view.body.body for view in plan.views if isinstance(view.body, cst.IndentedBlock)]
    if len(bodies) < 2:
        return
    first, second = ([code_of(statement).strip() for statement in body] for body in bodies[:2])
    matcher = difflib.SequenceMatcher(a=first, b=second, autojunk=False)
    copied = sum(
        len(code.splitlines())
        for block in matcher.get_matching_blocks()
        for code in first[block.a : block.a + block.size]
    )
    if copied > MAX_COPIED_SETUP_LINES:
        reason = (
            f"the views would both hold the same {copied} lines, and the split would copy them: only setup at "
            "their start can go into a helper, and only without an early `return`, a nested function, or a value "
            "bound on some paths only"
        )
        raise Refused(reason, "copied-setup")


def check_no_dead_assignment(plan: Plan) -> None:
    """Refused when a view would keep an assignment it no longer reads (ruff's F841) that cannot go."""
    for view in plan.views:
        if view.unread:
            names = ", ".join(f"`{name}`" for name in view.unread)
            reason = (
                f"the {'/'.join(view.methods)} view would assign {names} and never read it (ruff F841), "
                "and the value may have side effects, so it cannot simply go"
            )
            raise Refused(reason, "dead-assignment")


def growth(function: cst.FunctionDef, plan: Plan) -> int:
    """How many lines the views' bodies (and the helper for their shared setup) add over the function's body."""
    helper = len(code_of(cst.IndentedBlock(body=plan.shared.statements)).splitlines()) if plan.shared else 0
    return sum(len(view.code.splitlines()) for view in plan.views) + helper - len(code_of(function.body).splitlines())


def _empty(body: cst.BaseSuite) -> bool:
    lines = body.body if isinstance(body, cst.IndentedBlock) else [body]
    if not all(isinstance(line, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) for line in lines):
        return False  # a compound statement does something
    smalls = [small for line in lines for small in line.body]  # type: ignore[union-attr]
    return all(_is_docstring_or_pass(small) for small in smalls)


def _is_docstring_or_pass(small: cst.CSTNode) -> bool:
    return isinstance(small, cst.Pass) or (isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString))


def _different_lines(first: list[str], second: list[str]) -> int:
    matcher = difflib.SequenceMatcher(a=first, b=second, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
