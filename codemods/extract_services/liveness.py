"""What the view does with a run's names after the run: bound for sure, read before rebound, seen by a `try`.

Every answer here errs on the side that only costs a skip: ``definitely_bound``
under-approximates, the read sets over-approximate.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import libcst as cst

from flaskmod.codemods.core.bindings import bound_name_nodes, target_names, variable_nodes
from flaskmod.codemods.core.refusal import Refused
from flaskmod.codemods.core.syntax import walk

if TYPE_CHECKING:
    from flaskmod.codemods.extract_services.runs import Run

# A compound statement around a run: (statement, its block, its index there, the part of it holding the run).
Enclosing = tuple[cst.BaseStatement, cst.IndentedBlock, int, cst.CSTNode]


def definitely_bound(statement: cst.BaseStatement) -> set[str]:
    """Names a statement binds on every path; an under-approximation, which only costs skips."""
    if isinstance(statement, cst.SimpleStatementLine):
        return _line_bound(statement)
    out: set[str] = set()
    if isinstance(statement, cst.If) and statement.orelse is not None:
        body = suite_bound(statement.body)
        other = (
            definitely_bound(statement.orelse)
            if isinstance(statement.orelse, cst.If)
            else suite_bound(statement.orelse.body)
        )
        out = body & other
    elif isinstance(statement, cst.With):
        out = suite_bound(statement.body)
    elif isinstance(statement, cst.Try):
        out = suite_bound(statement.body) | (suite_bound(statement.orelse.body) if statement.orelse else set())
        for handler in statement.handlers:
            if falls_through(handler.body):
                out &= suite_bound(handler.body)
        if statement.finalbody is not None:
            out |= suite_bound(statement.finalbody.body)
    return out


def _line_bound(line: cst.SimpleStatementLine) -> set[str]:
    out: set[str] = set()
    for small in line.body:
        if isinstance(small, cst.Assign):
            for target in small.targets:
                out.update(target_names(target.target))
        elif isinstance(small, (cst.AugAssign, cst.AnnAssign)) and (
            not isinstance(small, cst.AnnAssign) or small.value is not None
        ):
            out.update(target_names(small.target))
        elif isinstance(small, (cst.Return, cst.Raise, cst.Del)):
            break
    return out


def suite_bound(suite: cst.BaseSuite) -> set[str]:
    out: set[str] = set()
    if isinstance(suite, cst.IndentedBlock):
        for statement in suite.body:
            out |= definitely_bound(statement)
    return out


def block_of(suite: cst.BaseSuite) -> Sequence[cst.BaseStatement]:
    """A suite's statements; a one-line suite as one statement line."""
    return suite.body if isinstance(suite, cst.IndentedBlock) else [cst.SimpleStatementLine(body=suite.body)]


def loaded_names(node: cst.CSTNode) -> set[str]:
    """Names read under ``node`` (an over-approximation: never misses a read)."""
    bound = bound_name_nodes(node)
    return {name.value for name in variable_nodes(node) if id(name) not in bound}


def exposed_reads(statements: Sequence[cst.BaseStatement]) -> set[str]:
    """Names a statement sequence may read before rebinding them (an over-approximation)."""
    out: set[str] = set()
    killed: set[str] = set()
    for statement in statements:
        out |= _statement_exposed_reads(statement) - killed
        killed |= definitely_bound(statement)
    return out


def _statement_exposed_reads(statement: cst.BaseStatement) -> set[str]:
    """Names one statement may read before rebinding them; compound statements are followed block by block."""
    if isinstance(statement, cst.For):
        # The body runs only after the target is bound; the `else` may run without it.
        reads = loaded_names(statement.iter)
        reads |= exposed_reads(block_of(statement.body)) - set(target_names(statement.target))
    elif isinstance(statement, cst.While):
        reads = loaded_names(statement.test) | exposed_reads(block_of(statement.body))
    elif isinstance(statement, cst.If):
        reads = loaded_names(statement.test) | exposed_reads(block_of(statement.body))
        if isinstance(statement.orelse, cst.If):
            return reads | _statement_exposed_reads(statement.orelse)
    elif isinstance(statement, cst.With):
        reads = {n for item in statement.items for n in loaded_names(item.item)}
        bound = {n for item in statement.items if item.asname for n in target_names(item.asname.name)}
        reads |= exposed_reads(block_of(statement.body)) - bound
    elif isinstance(statement, cst.Try):
        reads = _try_exposed_reads(statement)
    else:
        return loaded_names(statement)
    orelse = getattr(statement, "orelse", None)
    if isinstance(orelse, cst.Else):
        reads |= exposed_reads(block_of(orelse.body))
    return reads


def _try_exposed_reads(statement: cst.Try) -> set[str]:
    """The body's, handlers' and `finally`'s exposed reads (the `else` is added by the caller)."""
    reads = exposed_reads(block_of(statement.body))
    for handler in statement.handlers:
        reads |= loaded_names(handler.type) if handler.type is not None else set()
        reads |= exposed_reads(block_of(handler.body))
    if statement.finalbody is not None:
        reads |= exposed_reads(block_of(statement.finalbody.body))
    return reads


def falls_through(suite: cst.BaseSuite) -> bool:
    """Whether control may leave the block at its end (its last statement is no `return` or `raise`)."""
    last = suite.body[-1] if suite.body else None
    if isinstance(suite, cst.IndentedBlock):
        last = last.body[-1] if isinstance(last, cst.SimpleStatementLine) and last.body else last
    return not isinstance(last, (cst.Return, cst.Raise))


def _statement_parts(statement: cst.BaseStatement) -> list[tuple[cst.CSTNode, cst.IndentedBlock]]:
    """(part, its block) of each block of a compound statement: the part is the node that owns the block."""
    parts: list[tuple[cst.CSTNode, cst.BaseSuite]] = []
    if isinstance(statement, cst.If):
        current: cst.If | cst.Else | None = statement
        while current is not None:
            parts.append((current, current.body))
            current = current.orelse if isinstance(current, cst.If) else None
    elif isinstance(statement, (cst.For, cst.While)):
        parts.append((statement.body, statement.body))
        if statement.orelse is not None:
            parts.append((statement.orelse, statement.orelse.body))
    elif isinstance(statement, cst.With):
        parts.append((statement.body, statement.body))
    elif isinstance(statement, cst.Try):
        parts.append((statement.body, statement.body))
        parts += [(h, h.body) for h in statement.handlers]
        parts += [(p, p.body) for p in (statement.orelse, statement.finalbody) if p is not None]
    return [(part, block) for part, block in parts if isinstance(block, cst.IndentedBlock)]


def enclosing(body: cst.IndentedBlock, target: cst.IndentedBlock) -> list[Enclosing] | None:
    """The compound statements around ``target``, innermost first: (statement, its block, its index, the part
    of it that holds ``target``); None when ``target`` is not in ``body``."""
    if body is target:
        return []
    for index, statement in enumerate(body.body):
        for part, block in _statement_parts(statement):
            found = enclosing(block, target)
            if found is not None:
                return [*found, (statement, body, index, part)]
    return None


def loads_outside(view_body: cst.CSTNode, run: Run) -> set[str]:
    """Names spelled anywhere in the view outside the run."""
    inside = {id(n) for s in run.statements for n in walk(s)}
    names: set[str] = set()
    for node in walk(view_body):
        if isinstance(node, cst.Name) and id(node) not in inside:
            names.add(node.value)
    return names


def read_after(view_body: cst.CSTNode, run: Run, around: list[Enclosing]) -> set[str]:
    """Names read, before being rebound, where control may go after the run; closures count wherever they are.

    Each region is a statement sequence control may enter after the run; a name
    read in it only after that sequence rebinds it does not need the run's value.
    """
    regions: list[Sequence[cst.BaseStatement]] = [run.block.body[run.end :]]
    reads: set[str] = set()
    for statement, block, index, part in around:
        if isinstance(statement, (cst.For, cst.While)) and part is statement.body:
            regions.append(statement.body.body)  # the next iteration
            if isinstance(statement, cst.While):
                reads |= loaded_names(statement.test)
            if statement.orelse is not None:
                regions.append(block_of(statement.orelse.body))
        elif isinstance(statement, cst.Try):
            regions += _after_try_part(statement, part)
        regions.append(block.body[index + 1 :])
    for region in regions:
        reads |= exposed_reads(region)
    inside = {id(n) for s in run.statements for n in walk(s)}
    for node in walk(view_body):
        if isinstance(node, (cst.FunctionDef, cst.Lambda)) and id(node) not in inside:
            reads |= loaded_names(node)  # a closure reads the value current when it is called
    return reads


def _after_try_part(statement: cst.Try, part: cst.CSTNode) -> list[Sequence[cst.BaseStatement]]:
    """The blocks of a `try` control may enter after leaving its ``part``: handlers, `else`, `finally`."""
    regions: list[Sequence[cst.BaseStatement]] = []
    if part is statement.body:
        regions += [block_of(h.body) for h in statement.handlers]
        if statement.orelse is not None:
            regions.append(block_of(statement.orelse.body))
    if statement.finalbody is not None and part is not statement.finalbody:
        regions.append(block_of(statement.finalbody.body))
    return regions


def check_partial_assignments(returns: list[str], around: list[Enclosing]) -> None:
    """Refuse when a `try` around the run could see the values the run assigned before it raised."""
    if not returns:
        return
    for statement, _, _, part in around:
        if not isinstance(statement, cst.Try):
            continue
        catchers: list[cst.CSTNode] = list(statement.handlers) if part is statement.body else []
        if statement.finalbody is not None and part is not statement.finalbody:
            catchers.append(statement.finalbody)
        read = {n.value for c in catchers for n in walk(c) if isinstance(n, cst.Name)}
        shared = [n for n in returns if n in read]
        if shared:
            raise Refused(
                f"`{shared[0]}` is read by the enclosing `try`'s handlers, which would not see what the run "
                "assigned before raising",
                "try-partial",
            )
        if part is statement.body and any(falls_through(h.body) for h in statement.handlers):
            raise Refused(
                "an `except` of the enclosing `try` carries on, with what the run assigned before raising; "
                "extracted, it would carry on without it",
                "try-partial",
            )
