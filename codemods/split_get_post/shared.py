"""Setup both views share: one helper they call, not two copies.

A view often loads and checks what both methods need before it tests the method
(`post = Post.query.get_or_404(id)`, a permission check, a form). When the views
of a split begin with the same statements, and there are more than a few of them
(``MIN_STATEMENTS``), they go into one module-level function, ``_prepare_<view>``,
which each view calls first, binding what it returns.

Only what moves without a change in behaviour is factored:

- the shared statements end before the first one that returns, yields, awaits, or
  defines a function, lambda or class (a closure would see the helper's locals);
- each value the helper returns is bound by a plain assignment or import at the
  top level of the shared code, so it is bound on every path that reaches the return;
- the shared code reads no local of the view other than its parameters and what
  it binds itself, and the view declares no `global` or `nonlocal`, nor reads `locals()`;
- at most ``MAX_RETURNS`` values.

Otherwise the views keep their copies, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from flaskmod.codemods.core.bindings import (
    BindingCollector,
    all_params,
    function_locals,
    reads_every_local,
    target_names,
    variables,
)
from flaskmod.codemods.core.syntax import code_of, walk
from flaskmod.codemods.split_get_post import dead
from flaskmod.codemods.split_get_post.plan import Plan, View

MIN_STATEMENTS = 4  # "more than a few": three shared lines are copied, four or more are factored
MAX_RETURNS = 4
_STOPPERS = (
    cst.Return,
    cst.Yield,
    cst.Await,
    cst.FunctionDef,
    cst.Lambda,
    cst.ClassDef,
    cst.Global,
    cst.Nonlocal,
    cst.Del,
)


@dataclass
class SharedSetup:
    """The helper both views call: its name, its parameters, what it returns, its statements."""

    name: str
    params: list[cst.Param]
    returns: list[str]
    statements: list[cst.BaseStatement]


def factor(function: cst.FunctionDef, plan: Plan, taken: set[str]) -> SharedSetup | None:
    """Move the views' shared first statements into a helper, when that is safe; None when they stay copied."""
    name = f"_prepare_{function.name.value.lstrip('_')}"
    bodies = _view_bodies(plan)
    if name in taken or function.asynchronous is not None or bodies is None:
        return None
    docstring = 1 if bodies[0] and _is_docstring(bodies[0][0]) else 0
    prefix = _eligible(_common_prefix(bodies)[docstring:])
    if len(prefix) < MIN_STATEMENTS:
        return None
    setup = _setup(function, name, prefix, [body[docstring + len(prefix) :] for body in bodies])
    if setup is None:
        return None
    head = next((index for index, view in enumerate(plan.views) if view.code == plan.head_code), None)
    for view, body in zip(plan.views, bodies, strict=True):
        _rewrite_view(function, view, body, docstring, setup)
    if head is not None:
        plan.head_code = plan.views[head].code  # HEAD requests still take that view's path
    return setup


def _view_bodies(plan: Plan) -> list[list[cst.BaseStatement]] | None:
    """The statements of each view as specialised, before their dead assignments went (pruning may differ)."""
    suites = [view.specialised for view in plan.views]
    if len(suites) < 2 or not all(isinstance(suite, cst.IndentedBlock) for suite in suites):
        return None
    return [list(suite.body) for suite in suites if isinstance(suite, cst.IndentedBlock)]


def helper_def(setup: SharedSetup, function: cst.FunctionDef) -> cst.FunctionDef:
    """``def _prepare_<view>(<params>): <shared statements>; return <values>``, to stand before the views.

    It takes the blank lines above the view; the view keeps them too, and keeps its comments.
    """
    body = list(setup.statements)
    if setup.returns:
        body.append(cst.SimpleStatementLine([cst.Return(_targets(setup.returns))]))
    first = body[0]
    comments = list(first.leading_lines)
    while comments and comments[0].comment is None:
        comments.pop(0)  # the blank lines above the first statement stay in the views; its comments move
    body[0] = first.with_changes(leading_lines=comments)
    blank: list[cst.EmptyLine] = []
    for line in function.leading_lines:
        if line.comment is not None:
            break
        blank.append(line)
    return cst.FunctionDef(
        name=cst.Name(setup.name),
        params=cst.Parameters(params=setup.params),
        body=cst.IndentedBlock(body=body),
        leading_lines=blank,
    )


# -- finding the shared statements ---------------------------------------------------------------


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _common_prefix(bodies: list[list[cst.BaseStatement]]) -> list[cst.BaseStatement]:
    prefix: list[cst.BaseStatement] = []
    for statements in zip(*bodies, strict=False):
        if len({code_of(s) for s in statements}) != 1:
            break
        prefix.append(statements[0])
    return prefix


def _eligible(prefix: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """The prefix up to the first statement that cannot move into a function of its own."""
    for index, statement in enumerate(prefix):
        if reads_every_local(statement) or any(isinstance(node, _STOPPERS) for node in walk(statement)):
            return prefix[:index]
    return prefix


# -- the helper's interface ------------------------------------------------------------------------


def _setup(
    function: cst.FunctionDef, name: str, prefix: list[cst.BaseStatement], rests: list[list[cst.BaseStatement]]
) -> SharedSetup | None:
    """The helper's interface: the view's parameters the shared code reads, the values the views read after it."""
    used_params = _parameters(function, prefix)
    if used_params is None:
        return None
    bound = _bound(prefix)
    later = set().union(*(variables(s) for rest in rests for s in rest))
    returns = sorted(bound & later, key=_first_binding_order(prefix))
    if len(returns) > MAX_RETURNS or not set(returns) <= _surely_bound(prefix):
        return None
    helper_params = [cst.Param(name=p.name, annotation=p.annotation) for p in used_params]
    return SharedSetup(name, helper_params, returns, prefix)


def _parameters(function: cst.FunctionDef, prefix: list[cst.BaseStatement]) -> list[cst.Param] | None:
    """The view's parameters the shared code reads; None when it reads a local it does not bind, or `*args`."""
    view_locals, problem = function_locals(function)
    if problem is not None or reads_every_local(function.body):
        return None
    params = all_params(function.params)
    read = set().union(*(variables(s) for s in prefix))
    if read & (view_locals - {p.name.value for p in params} - _bound(prefix)):
        return None  # a local the view binds later: unbound here, and a global in the helper
    used = [p for p in params if p.name.value in read]
    if function.params.star_arg in used or function.params.star_kwarg in used:
        return None
    return used


def _bound(statements: list[cst.BaseStatement]) -> set[str]:
    collector = BindingCollector()
    for statement in statements:
        statement.visit(collector)
    return collector.names


def _surely_bound(statements: list[cst.BaseStatement]) -> set[str]:
    """Names a top-level assignment or import of the statements binds: bound on every path through them."""
    names: set[str] = set()
    for statement in statements:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Assign):
                names.update(n for t in small.targets for n in target_names(t.target))
            elif isinstance(small, cst.AnnAssign) and small.value is not None:
                names.update(target_names(small.target))
            elif isinstance(small, (cst.Import, cst.ImportFrom)):
                names |= _bound([cst.SimpleStatementLine([small])])
    return names


def _first_binding_order(prefix: list[cst.BaseStatement]) -> Callable[[str], tuple[int, str]]:
    order: dict[str, int] = {}
    for index, statement in enumerate(prefix):
        for name in _bound([statement]):
            order.setdefault(name, index)
    return lambda name: (order.get(name, len(prefix)), name)


# -- the views -----------------------------------------------------------------------------------


def _rewrite_view(
    function: cst.FunctionDef, view: View, body: list[cst.BaseStatement], docstring: int, setup: SharedSetup
) -> None:
    """The view calls the helper in place of the shared statements; then its dead assignments go, as before."""
    rest = body[docstring + len(setup.statements) :]
    used = [name for name in setup.returns if name in set().union(*(variables(s) for s in rest))]
    call = cst.Call(cst.Name(setup.name), args=[cst.Arg(cst.Name(p.name.value)) for p in setup.params])
    # A view that reads some of the values unpacks them all (ruff's F841 leaves unpacking alone).
    small: cst.BaseSmallStatement = (
        cst.Assign([cst.AssignTarget(_targets(setup.returns))], call) if used else cst.Expr(call)
    )
    line = cst.SimpleStatementLine([small])
    assert isinstance(view.specialised, cst.IndentedBlock)
    view.specialised = view.specialised.with_changes(body=[*body[:docstring], line, *rest])
    view.body, view.unread, view.calls_kept = dead.prune(function, view.specialised)
    view.code = code_of(view.body)


def _targets(names: list[str]) -> cst.BaseExpression:
    if len(names) == 1:
        return cst.Name(names[0])
    return cst.Tuple([cst.Element(cst.Name(n)) for n in names], lpar=[], rpar=[])
