"""extract-services: runs of business logic in a fat view move into functions of a services module."""

from __future__ import annotations

import builtins
import functools
import keyword
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import libcst as cst
from libcst.metadata import QualifiedNameProvider

from flaskmod.codemods.core.base import Codemod, Example, ExtraFileEdit, Option, ProjectFinding, Safety
from flaskmod.codemods.core.engine import RunRequest, RunResult, display_path, merge_extra_edits, transform_source
from flaskmod.codemods.core.flask import (
    ABORTING_QUERY_METHODS,
    HTTP_LAYER_NAMES,
    LOGGER_FACTORIES,
    FlaskRoutes,
    dotted_name,
    looks_like_route_decorator,
    qualified_names,
)
from flaskmod.codemods.core.refusal import IGNORED_KIND, IGNORED_REASON
from flaskmod.codemods.core.syntax import (
    code_of,
    count_statements,
    iter_function_defs,
    iter_functions_with_outer,
    short_code,
    walk,
)

_BUILTINS = frozenset(dir(builtins))
# Calls that read or change a frame's variables by name: moved to another frame they see other ones.
_FRAME_INTROSPECTION = frozenset({"locals", "vars", "exec", "eval", "globals", "dir", "super", "breakpoint"})
# Builtins that consume a generator argument at once (so it cannot outlive the run).
_CONSUMERS = frozenset({"any", "all", "sum", "min", "max", "sorted", "list", "tuple", "set", "frozenset", "dict"})
# Request data the view reads and hands to the service as a plain value: (qualified name, parameter name).
_REQUEST_DATA: dict[str, str] = {
    f"{prefix}.{attr}": attr
    for prefix in ("flask.request", "flask.globals.request")
    for attr in ("form", "args", "values", "files", "json")
}
_GET_JSON = frozenset({"flask.request.get_json", "flask.globals.request.get_json"})
# Branch tests after which a run is the handling of a submitted form.
_SUBMIT_WORDS = ("POST", "validate_on_submit", "PUT", "PATCH")


class _Skip(Exception):
    """A view or run that is left alone, with the reason shown to the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _target_names(target: cst.BaseExpression) -> list[str]:
    """Names a plain assignment target binds; attribute and subscript targets bind none."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for element in target.elements for n in _target_names(element.value)]
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return []


def _import_bound(alias: cst.ImportAlias, is_from: bool) -> str | None:
    if alias.asname is not None:
        return alias.asname.name.value if isinstance(alias.asname.name, cst.Name) else None
    name = dotted_name(alias.name)
    if name is None:
        return None
    return name if is_from else name.split(".")[0]


# -- names bound in a function ---------------------------------------------------------------------------


class _Bindings(cst.CSTVisitor):
    """Names a function body binds in its own scope; refuses constructs that bind in ways not followed here."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.problem: str | None = None

    def _bind(self, target: cst.BaseExpression) -> None:
        self.names.update(_target_names(target))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.names.add(node.name.value)
        for nested in walk(node.body):
            if isinstance(nested, (cst.Global, cst.Nonlocal)):
                self.problem = f"a nested function declares `{short_code(nested)}`"
        for decorator in node.decorators:
            decorator.visit(self)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.names.add(node.name.value)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._bind(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        pass  # comprehension targets live in the comprehension's scope

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind(node.asname.name)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None and isinstance(node.name.name, cst.Name):
            self.names.add(node.name.name.value)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            bound = _import_bound(alias, False)
            if bound:
                self.names.add(bound)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            self.problem = "a star import inside the function"
            return
        for alias in node.names:
            bound = _import_bound(alias, True)
            if bound:
                self.names.add(bound)

    def visit_Del(self, node: cst.Del) -> None:
        self._bind(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.problem = "an assignment expression (`:=`)"

    def visit_Global(self, node: cst.Global) -> None:
        self.problem = f"`{short_code(node)}`"

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.problem = f"`{short_code(node)}`"

    def visit_Match(self, node: cst.Match) -> None:
        self.problem = "a `match` statement"

    def visit_Yield(self, node: cst.Yield) -> None:
        self.problem = "`yield` (the view is a generator)"


def _function_locals(function: cst.FunctionDef | cst.Lambda) -> tuple[set[str], str | None]:
    params = function.params
    names = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            names.add(star.name.value)
    collector = _Bindings()
    if isinstance(function, cst.FunctionDef):
        function.body.visit(collector)
    return names | collector.names, collector.problem


# -- the data flow of a run -------------------------------------------------------------------------------


@dataclass
class _Flow:
    """Def/use facts of a run of statements, computed in execution order."""

    uses: dict[str, None] = field(default_factory=dict)  # read before any definite write (ordered)
    maybe: dict[str, None] = field(default_factory=dict)  # written on some path (ordered)
    must: set[str] = field(default_factory=set)  # written on every path that completes normally
    deleted: set[str] = field(default_factory=set)  # unbound by `del` or by the end of `except ... as`
    loads: dict[str, None] = field(default_factory=dict)  # every name read, lambdas included (ordered)
    awaits: bool = False


class _FlowAnalyser:
    """A statement-level def/use analysis written for extraction, deliberately narrow.

    LibCST's scope data follows source order, not control flow, so it misses loop-carried
    values, treats ``x += a`` as a write only and ``del a`` as a read. This walks the run in
    execution order instead, and refuses (with the reason) every construct it does not follow.
    """

    def __init__(self, view_locals: set[str], hoisted: Mapping[int, str], is_async: bool) -> None:
        self.view_locals = view_locals
        self.hoisted = hoisted
        self.is_async = is_async
        self.flow = _Flow()
        self.consumed: set[int] = set()  # generator expressions a builtin consumes at once
        self.defined: set[str] = set()
        self.loop_depth = 0

    # -- names

    def read(self, name: str) -> None:
        self.flow.loads.setdefault(name)
        if name not in self.defined:
            self.flow.uses.setdefault(name)

    def write(self, name: str) -> None:
        self.defined.add(name)
        self.flow.maybe.setdefault(name)
        self.flow.deleted.discard(name)

    # -- expressions

    def expr(self, node: cst.CSTNode | None, shadow: frozenset[str] = frozenset()) -> None:
        if node is None:
            return
        if id(node) in self.hoisted:
            self.read(self.hoisted[id(node)])
            return
        if isinstance(node, cst.Name):
            if node.value not in shadow:
                self.read(node.value)
            return
        if isinstance(node, cst.Attribute):
            self.expr(node.value, shadow)
            return
        if isinstance(node, cst.Arg):
            self.expr(node.value, shadow)
            return
        if isinstance(node, cst.NamedExpr):
            raise _Skip("the run uses an assignment expression (`:=`)")
        if isinstance(node, (cst.Yield,)):
            raise _Skip("the run contains `yield`")
        if isinstance(node, cst.Await):
            if not self.is_async:
                raise _Skip("the run contains `await`")
            self.flow.awaits = True
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value not in self.view_locals:
            if node.func.value in _FRAME_INTROSPECTION:
                raise _Skip(f"the run calls `{node.func.value}()`, which depends on the frame it runs in")
            if node.func.value in _CONSUMERS and len(node.args) == 1:
                self.consumed.add(id(node.args[0].value))
        if isinstance(node, cst.Lambda):
            self._closure(node, node.body, shadow, _function_locals(node)[0])
            for param in _all_params(node.params):
                self.expr(param.default, shadow)
            return
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
            self._comprehension(node, shadow)
            return
        for child in node.children:
            self.expr(child, shadow)

    def _closure(self, node: cst.CSTNode, body: cst.CSTNode, shadow: frozenset[str], bound: set[str]) -> None:
        """A lambda or lazy generator: it may run after the run, so it must capture no local."""
        inner = _FlowAnalyser(set(), self.hoisted, self.is_async)
        inner.expr(body, shadow | frozenset(bound))
        captured = [n for n in inner.flow.loads if n in self.view_locals or n in self.flow.maybe]
        if captured:
            raise _Skip(f"a lambda or generator in the run captures the local `{captured[0]}`")
        for name in inner.flow.loads:
            self.flow.loads.setdefault(name)
            self.flow.uses.setdefault(name)

    def _comprehension(self, node: cst.BaseComp | cst.DictComp, shadow: frozenset[str]) -> None:
        for_in = node.for_in
        self.expr(for_in.iter, shadow)  # the outermost iterable is evaluated in the enclosing scope
        bound: set[str] = set()
        parts: list[cst.CSTNode] = []
        current: cst.CompFor | None = for_in
        while current is not None:
            if current.asynchronous is not None:
                raise _Skip("the run contains an asynchronous comprehension")
            if current is not for_in:
                parts.append(current.iter)
            names = _target_names(current.target)
            if not names or not isinstance(current.target, (cst.Name, cst.Tuple, cst.List)):
                raise _Skip(f"a comprehension assigns to `{short_code(current.target)}`")
            bound.update(names)
            parts.extend(if_.test for if_ in current.ifs)
            current = current.inner_for_in
        if isinstance(node, cst.DictComp):
            parts += [node.key, node.value]
        else:
            parts.append(node.elt)
        inner = shadow | frozenset(bound)
        lazy = isinstance(node, cst.GeneratorExp) and id(node) not in self.consumed
        if lazy:
            group = cst.Tuple([cst.Element(p) for p in parts if isinstance(p, cst.BaseExpression)])
            self._closure(node, group, inner, set())
            return
        for part in parts:
            self.expr(part, inner)

    # -- statements

    def block(self, statements: Sequence[cst.BaseStatement]) -> None:
        for statement in statements:
            self.statement(statement)

    def suite(self, suite: cst.BaseSuite) -> None:
        if isinstance(suite, cst.IndentedBlock):
            self.block(suite.body)
        else:
            for small in suite.body:
                self.small(small)

    def branches(self, suites: Sequence[cst.BaseSuite | None]) -> None:
        """Alternatives: a name is definitely written only if every alternative writes it."""
        before = set(self.defined)
        results: list[set[str]] = []
        for suite in suites:
            self.defined = set(before)
            if suite is not None:
                self.suite(suite)
            results.append(self.defined)
        self.defined = set.intersection(*results) if results else before

    def statement(self, node: cst.BaseStatement) -> None:
        if isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                self.small(small)
        elif isinstance(node, cst.If):
            self.expr(node.test)
            orelse = node.orelse
            if isinstance(orelse, cst.If):
                before = set(self.defined)
                self.suite(node.body)
                body_defined = self.defined
                self.defined = set(before)
                self.statement(orelse)
                self.defined = body_defined & self.defined
            else:
                self.branches([node.body, orelse.body if orelse is not None else None])
        elif isinstance(node, (cst.For, cst.While)):
            if isinstance(node, cst.For):
                if node.asynchronous is not None:
                    raise _Skip("the run contains `async for`")
                self.expr(node.iter)
            else:
                self.expr(node.test)
            before = set(self.defined)
            self.loop_depth += 1
            if isinstance(node, cst.For):
                self._assign_target(node.target)
            self.suite(node.body)
            if isinstance(node, cst.While):
                self.expr(node.test)
            self.loop_depth -= 1
            if node.orelse is not None:
                self.suite(node.orelse.body)
            self.defined = before  # the body may run zero times
        elif isinstance(node, cst.With):
            if node.asynchronous is not None:
                raise _Skip("the run contains `async with`")
            for item in node.items:
                self.expr(item.item)
                if item.asname is not None:
                    self._assign_target(item.asname.name)
            self.suite(node.body)
        elif isinstance(node, cst.Try):
            before = set(self.defined)
            self.suite(node.body)
            if node.orelse is not None:
                self.suite(node.orelse.body)
            # Normal completion: the body and `else` ran, or one handler ran from any point of the body.
            completed = [set(self.defined)]
            for handler in node.handlers:
                self.defined = set(before)
                self.expr(handler.type)
                if handler.name is not None:
                    self._assign_target(handler.name.name)
                self.suite(handler.body)
                if handler.name is not None and isinstance(handler.name.name, cst.Name):
                    self.flow.deleted.add(handler.name.name.value)  # Python deletes it after the handler
                    self.defined.discard(handler.name.name.value)
                completed.append(set(self.defined))
            self.defined = set.intersection(*completed)
            if node.finalbody is not None:
                self.suite(node.finalbody.body)
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            raise _Skip(f"the run defines `{node.name.value}`")
        else:
            raise _Skip(f"the run contains a `{type(node).__name__}` statement")

    def _assign_target(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self.write(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._assign_target(element.value)
        elif isinstance(target, cst.StarredElement):
            self._assign_target(target.value)
        elif isinstance(target, cst.Attribute):
            self.expr(target.value)
        elif isinstance(target, cst.Subscript):
            self.expr(target.value)
            for element in target.slice:
                self.expr(element.slice)
        else:
            raise _Skip(f"the run assigns to `{short_code(target)}`")

    def small(self, node: cst.BaseSmallStatement) -> None:
        if isinstance(node, cst.Assign):
            self.expr(node.value)
            for target in node.targets:
                self._assign_target(target.target)
        elif isinstance(node, cst.AugAssign):
            # `x += a` reads x (LibCST records only the write).
            self.expr(node.target)
            self.expr(node.value)
            self._assign_target(node.target)
        elif isinstance(node, cst.AnnAssign):
            # A local annotation is never evaluated, but its names must resolve in the services module.
            self.expr(node.annotation.annotation)
            if node.value is not None:
                self.expr(node.value)
                self._assign_target(node.target)
        elif isinstance(node, cst.Expr):
            self.expr(node.value)
        elif isinstance(node, (cst.Pass,)):
            pass
        elif isinstance(node, cst.Raise):
            self.expr(node.exc)
            self.expr(node.cause)
        elif isinstance(node, cst.Assert):
            self.expr(node.test)
            self.expr(node.msg)
        elif isinstance(node, cst.Del):
            self._delete(node.target)
        elif isinstance(node, (cst.Break, cst.Continue)):
            if self.loop_depth == 0:
                raise _Skip(f"`{short_code(node)}` leaves the run")
        elif isinstance(node, cst.Return):
            raise _Skip("the run contains `return`")
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            raise _Skip(f"the run contains `{short_code(node)}`")
        elif isinstance(node, cst.Import):
            for alias in node.names:
                bound = _import_bound(alias, False)
                if bound:
                    self.write(bound)
        elif isinstance(node, cst.ImportFrom):
            if isinstance(node.names, cst.ImportStar):
                raise _Skip("the run contains a star import")
            for alias in node.names:
                bound = _import_bound(alias, True)
                if bound:
                    self.write(bound)
        else:
            raise _Skip(f"the run contains a `{type(node).__name__}` statement")

    def _delete(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            # `del a` unbinds a (LibCST records it as a read).
            if target.value not in self.defined:
                self.read(target.value)
            self.defined.discard(target.value)
            self.flow.deleted.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._delete(element.value)
        else:
            self.expr(target)


def _all_params(params: cst.Parameters) -> list[cst.Param]:
    out = [*params.posonly_params, *params.params, *params.kwonly_params]
    out += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
    return out


# -- the module around the view --------------------------------------------------------------------------


@dataclass(frozen=True)
class _ImportOf:
    """The import statement that binds a module-level name, as the services module must write it."""

    module: str  # "" for `import x`
    name: str  # the imported name or dotted module
    asname: str | None
    level: int  # relative import level in the views module


@dataclass
class _ModuleFacts:
    imports: dict[str, list[_ImportOf]]
    defined: set[str]  # bound at module level by something other than a top-level import
    declared_global: set[str]  # named by a `global` statement somewhere
    star_import: bool
    identifiers: set[str]  # every name spelled in the module


def _module_facts(module: cst.Module) -> _ModuleFacts:
    facts = _ModuleFacts({}, set(), set(), False, set())
    for node in walk(module):
        if isinstance(node, cst.Name):
            facts.identifiers.add(node.value)
        elif isinstance(node, cst.Global):
            facts.declared_global.update(n.name.value for n in node.names)
    for statement in module.body:
        smalls = statement.body if isinstance(statement, cst.SimpleStatementLine) else []
        for small in smalls:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    bound = _import_bound(alias, False)
                    dotted = dotted_name(alias.name)
                    if bound and dotted:
                        asname = bound if alias.asname is not None else None
                        facts.imports.setdefault(bound, []).append(_ImportOf("", dotted, asname, 0))
            elif isinstance(small, cst.ImportFrom):
                if isinstance(small.names, cst.ImportStar):
                    facts.star_import = True
                    continue
                source = dotted_name(small.module) if small.module is not None else ""
                for alias in small.names:
                    bound = _import_bound(alias, True)
                    dotted = dotted_name(alias.name)
                    if bound and dotted and source is not None:
                        asname = bound if alias.asname is not None else None
                        facts.imports.setdefault(bound, []).append(
                            _ImportOf(source, dotted, asname, len(small.relative))
                        )
    collector = _Bindings()
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine) and all(
            isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body
        ):
            continue
        statement.visit(collector)
    facts.defined = collector.names - set()
    # A name both imported at the top and rebound elsewhere at module level is not a plain import.
    for name in list(facts.imports):
        if name in facts.defined or len(facts.imports[name]) > 1:
            facts.defined.add(name)
            del facts.imports[name]
    return facts


def _rebase(level: int, module: str, source_dir: Path, target_dir: Path) -> tuple[int, str] | None:
    """A relative import of the views module, written from the services module's directory."""
    if level == 0:
        return 0, module
    base = source_dir
    for _ in range(level - 1):
        base = base.parent
    try:
        common = Path(os.path.commonpath([base.resolve(), target_dir.resolve()]))
    except ValueError:
        return None
    rest = base.resolve().relative_to(common).parts
    ups = len(target_dir.resolve().relative_to(common).parts)
    parts = [*rest, *([module] if module else [])]
    return ups + 1, ".".join(parts)


# -- the codemod -----------------------------------------------------------------------------------------


# The internal option of the explicit mode (`flaskmod extract`); not in OPTIONS, so a config file cannot set it.
EXPLICIT_OPTION = "explicit"


@dataclass(frozen=True)
class ExplicitTarget:
    """What `flaskmod extract` points at: the statements of ``view`` on lines ``first_line``-``last_line``."""

    view: str
    first_line: int
    last_line: int
    name: str


class ExtractRefused(Exception):
    """The explicit extraction was refused; ``reason`` says why, for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Run:
    """A candidate run: consecutive statements of one block, with what surrounds it."""

    block: cst.IndentedBlock
    start: int
    end: int  # exclusive
    in_loop: bool
    bound_before: set[str]  # definitely bound when the run starts
    branch_test: cst.BaseExpression | None

    @property
    def statements(self) -> Sequence[cst.BaseStatement]:
        return self.block.body[self.start : self.end]


@dataclass(frozen=True)
class _MovedHelper:
    """A private helper of the views module that only the run uses: it moves with the service."""

    name: str
    code: str
    imports: tuple[_ImportOf, ...]


@dataclass(frozen=True)
class MovedHelpers:
    """Shared with the project-wide pass: private helpers that left the views module ``module``."""

    line: int
    names: tuple[str, ...]
    module: str  # the views module's name, as other modules spell it after a dot


@dataclass
class _Service:
    name: str
    code: str
    call: cst.BaseStatement
    run: _Run
    imports: list[_ImportOf]
    helpers: list[_MovedHelper] = field(default_factory=list)
    loggers: list[str] = field(default_factory=list)  # logger definitions copied to the services module


class _Hoister(cst.CSTTransformer):
    def __init__(self, hoisted: Mapping[int, str]) -> None:
        super().__init__()
        self.hoisted = hoisted

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        if id(original_node) in self.hoisted:
            return cst.Name(self.hoisted[id(original_node)])
        return updated_node


class _Replacer(cst.CSTTransformer):
    def __init__(self, edits: Mapping[int, list[tuple[int, int, cst.BaseStatement]]]) -> None:
        super().__init__()
        self.edits = edits

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        edits = self.edits.get(id(original_node))
        if not edits:
            return updated_node
        body = list(updated_node.body)
        for start, end, call in sorted(edits, key=lambda e: -e[0]):
            body[start:end] = [call]
        return updated_node.with_changes(body=body)


class ExtractServices(Codemod):
    """
    ## What it does
    Moves runs of business-logic statements out of a fat view into functions of a
    services module, and leaves the view with the HTTP work: read the request, call
    the service, flash, redirect, render.

    A view (a function with a Flask route decorator) is fat when its body holds more
    than `max-view-statements` statements, counted recursively. In a fat view, a run
    is a maximal sequence of consecutive statements of one block (the view's body, or
    one branch of an `if`, a loop, a `with` or a `try` that does HTTP work) that does
    no HTTP work: no `request` (except reading its data), `session`, `g`, `current_app`,
    `flash`, `redirect`, `url_for`, `render_template`, `jsonify`, `abort`,
    `make_response`, `send_file`, Flask-Login's `current_user`, `login_user` and
    `logout_user`, no `get_or_404`/`first_or_404` query (they abort the request), and
    no `return`. A run of at least `min-statements`
    statements (counted recursively) is extracted when a statement-level def/use
    analysis proves the extraction equivalent:

    - its parameters are the locals of the view (and of an enclosing factory
      function) it reads before writing them, in order of first use;
    - it returns the names it assigns that the view reads elsewhere (and, inside a
      loop, those it reads and writes: the next iteration reads them); a name it
      assigns on some paths only is also a parameter, and must be bound before it;
      one value is returned plainly, several as a tuple unpacked at the call site;
    - `request.form`, `.args`, `.values`, `.files` (and `request.json` or
      `request.get_json()` when the run's first statement is `x = <that read>`) are
      read by the view and passed in as plain values (`form`, `args`...);
    - the imports of the module-level names it uses are copied into the services
      module, and imports the views module no longer uses (absolute, relative or
      aliased) are removed from it;
    - a private helper of the views module (`def _clean(...)`, no decorator) that
      nothing but the run names, and that uses only builtins and imports outside
      Flask's HTTP layer, moves into the services module with the service, its
      imports copied; other modules that import it are reported as findings on the
      change. A logger (`log = logging.getLogger("shop")`, or structlog's
      `get_logger`) has its definition copied: with a literal name it is the same
      logger; with `__name__` it is named after the services module, which is
      reported as a finding. Any other name defined in the views module (a public
      helper, a constant) is passed in as a parameter, so the services module never
      imports the views module.

    A value counts as read after the run only where control can go after it (the rest
    of the block, a loop's next iteration, a `try`'s handlers and `finally`, what
    follows the enclosing statements) or in a nested function. Inside a `try` body, a
    run whose results its handlers read, or whose handlers carry on, is left alone: if
    it raised midway, they would see what it had assigned so far.

    Every other run of that size is left alone with the reason: `return`, `yield`,
    `await` in a sync view, `break`/`continue` leaving the run, `global`/`nonlocal`,
    `:=`, `del` of a name used outside the run, `locals()`/`vars()`/`exec`, a nested
    `def`/`class`, a lambda or lazy generator capturing a local, a name it cannot
    resolve. A fat view from which nothing could be extracted is reported too.

    The services module is `services.py` beside `views.py` or a package's
    `__init__.py`, `<stem>_services.py` beside any other module, and
    `<package>/<stem>_services.py` for a module of a `views`/`routes`/`blueprints`
    package (`app/views/account.py` -> `app/account_services.py`). It is created or appended to, never overwritten; a
    name it already binds is never reused. Service names are `update_<view>` for the
    branch handling a submitted form (`if request.method == "POST":`,
    `if form.validate_on_submit():`), `load_<view>` for a run that returns values and
    `run_<view>` otherwise, with `_2`, `_3`... when taken; `names` sets them per view.

    ## Why is this bad?
    A fat view cannot be tested without a request, reused from a CLI command or a task
    queue, or read: the business logic is buried between `request` and
    `render_template`.

    ## Known problems
    Extraction is done in an `async` view only when the run has no `await`. Public
    helpers of the views module are passed in, not moved, since another module may
    import them; a private one imported elsewhere anyway is reported, not fixed. A
    run inside `try` handlers is extracted as any other block. Two view modules mapped to the
    same services module in one run could pick the same service name (the default
    paths map each views module to its own services module).

    ## Example
    ```python
    @bp.route("/settings", methods=["GET", "POST"])
    def settings():
        user = current_user()
        if request.method == "POST":
            name = request.form["name"].strip()
            user.name = name
            db.session.commit()
            flash("Saved.")
        return render_template("settings.html", user=user)
    ```

    Use instead:
    ```python
    @bp.route("/settings", methods=["GET", "POST"])
    def settings():
        user = current_user()
        if request.method == "POST":
            update_settings(request.form, user)
            flash("Saved.")
        return render_template("settings.html", user=user)
    ```
    with, in `services.py`:
    ```python
    def update_settings(form, user):
        name = form["name"].strip()
        user.name = name
        db.session.commit()
    ```

    ## Fix safety
    Unsafe (written only with `--unsafe`). The data flow is proven equivalent, but
    the code now lives in another module: a test that monkeypatches a name in the
    views module (`monkeypatch.setattr(views, "send_mail", fake)`) no longer reaches
    the service, which imports its own copy; tracebacks, logger names computed from
    `__name__` inside the moved code and coverage change; `request.form`, `.files`
    and `.values` are parsed when the service is called, before the run's first
    statement, so an oversized body fails before, not during, the run.

    ## Options
    - `max-view-statements` (int, default 12): a view with more statements than this,
      counted recursively, is fat.
    - `min-statements` (int, default 3): the fewest statements (counted recursively)
      worth a service.
    - `services-module` (str, default `"auto"`): where services go, relative to the
      views module's directory; `{stem}` is the views module's name
      (`"{stem}_services.py"`, `"services/{stem}.py"`). A relative `.py` path without
      `..`; anything else is a configuration error. `"auto"` puts `views.py`'s and a
      package `__init__.py`'s services in `services.py` beside them, and a module in a
      `views`/`routes`/`blueprints` package's in `<stem>_services.py` one level up.
    - `names` (table, default empty): service names per view: `{"settings" = "save_settings"}`
      names the first service of `settings`; `"settings:2"` the second.
    """

    ID = "extract-services"
    SUMMARY = "Move runs of business logic out of fat views into functions of a services module."
    SAFETY = Safety.UNSAFE
    TRIGGER = re.compile(r"\.(?:route|get|post|put|patch|delete)\(")
    METADATA_DEPENDENCIES = (QualifiedNameProvider,)

    @classmethod
    def should_transform(cls, module: cst.Module) -> bool:
        # Before any metadata: a route-like view with room for a run of statements
        # and its HTTP work (the smallest extractable view has 4 statements).
        return any(
            any(looks_like_route_decorator(d) for d in function.decorators) and count_statements(function.body) >= 4
            for function in iter_function_defs(module)
        )

    OPTIONS: ClassVar[Mapping[str, Option]] = {
        "max-view-statements": Option(int, 12, "A view with more statements than this (recursively) is fat."),
        "min-statements": Option(int, 3, "The fewest statements (recursively) worth extracting."),
        "services-module": Option(
            str,
            "auto",
            "Services module path relative to the views module; {stem}.",
            choices=("auto",),
            placeholders=("stem",),
            module_path=True,
        ),
        "names": Option(dict, {}, "Service names per view: {view = name} or {'view:2' = name}.", value_type=str),
    }
    EXAMPLES = (
        # Left alone: HTTP work cuts the view into runs too short to be worth a service.
        Example(
            """
from flask import Flask, flash, redirect, request, url_for

from models import Cart

app = Flask(__name__)


@app.post("/cart/add")
def add_to_cart():
    cart = Cart.current()
    flash("Checking")
    cart.add(request.form["sku"])
    flash("Added")
    cart.save()
    return redirect(url_for("show_cart"))
""",
            skips=("no run of 3+ statements without HTTP work",),
            options={"max-view-statements": 3},
        ),
        # Left alone: `break` leaves the run (the loop itself does HTTP work).
        Example(
            """
from flask import Flask, flash, jsonify

from models import Job

app = Flask(__name__)


@app.route("/jobs")
def jobs():
    done = []
    for job in Job.pending():
        job.run()
        done.append(job.id)
        if job.failed:
            break
        job.archive()
        flash(job.name)
    return jsonify(done=done)
""",
            skips=("`break` leaves the run",),
            options={"max-view-statements": 3},
        ),
        # Left alone: `note` is assigned on some paths only and may be unbound before the run.
        Example(
            """
from flask import Flask, render_template

from models import Post

app = Flask(__name__)


@app.route("/posts/<slug>")
def post(slug):
    post = Post.by_slug(slug)
    draft = post.draft
    if draft:
        note = "This post is a draft."
    post.views += 1
    return render_template("post.html", post=post, note=note if draft else "")
""",
            skips=("`note` is assigned only on some paths and may be unbound before the run",),
            options={"max-view-statements": 3},
        ),
        # Left alone: a lambda captures a local of the view.
        Example(
            """
from flask import Flask, render_template

from models import Product

app = Flask(__name__)


@app.route("/products")
def products():
    rows = Product.query.all()
    tax = Product.tax_rate()
    prices = sorted(rows, key=lambda p: p.price * tax)
    rows.reverse()
    return render_template("products.html", prices=prices)
""",
            skips=("a lambda or generator in the run captures the local `tax`",),
            options={"max-view-statements": 3},
        ),
        # Left alone: `locals()` depends on the frame the code runs in.
        Example(
            """
from flask import Flask, render_template

from models import Invoice

app = Flask(__name__)


@app.route("/invoice/<int:number>")
def invoice(number):
    invoice = Invoice.get(number)
    total = invoice.total()
    context = dict(locals())
    context.pop("invoice")
    return render_template("invoice.html", **context)
""",
            skips=("the run calls `locals()`, which depends on the frame it runs in",),
            options={"max-view-statements": 3},
        ),
        # Left alone: `del` of a name the view uses outside the run.
        Example(
            """
from flask import Flask, render_template

from models import Invoice

app = Flask(__name__)


@app.route("/invoice/<int:number>")
def invoice(number):
    invoice = Invoice.get(number)
    lines = invoice.lines()
    total = sum(line.amount for line in lines)
    del invoice
    return render_template("invoice.html", invoice=invoice, total=total)
""",
            skips=("the run deletes `invoice`, which the view uses outside it",),
            options={"max-view-statements": 3},
        ),
        # Left alone: `global`.
        Example(
            """
from flask import Flask, render_template

from models import Visit

app = Flask(__name__)
COUNTER = 0


@app.route("/visits")
def visits():
    global COUNTER
    COUNTER += 1
    rows = Visit.query.all()
    rows.reverse()
    return render_template("visits.html", rows=rows, counter=COUNTER)
""",
            skips=("it contains `global COUNTER`",),
            options={"max-view-statements": 3},
        ),
        # Left alone: an ignore comment.
        Example(
            """
from flask import Flask, render_template

from models import Report

app = Flask(__name__)


@app.route("/report")
def report():
    report = Report.latest()  # flaskmod: ignore[extract-services]
    report.refresh()
    report.save()
    return render_template("report.html", report=report)
""",
            skips=(IGNORED_REASON,),
            options={"max-view-statements": 3},
        ),
        # The POST branch: request data hoisted (`request.form` -> `form`), the model import copied.
        Example(
            """
from flask import Flask, flash, redirect, render_template, request, url_for

from models import User, db

app = Flask(__name__)


@app.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id):
    user = User.query.get(user_id)
    if request.method == "POST":
        name = request.form["name"].strip()
        user.name = name.title()
        db.session.commit()
        flash("Saved")
        return redirect(url_for("edit_user", user_id=user_id))
    return render_template("user.html", user=user)
""",
            """
from flask import Flask, flash, redirect, render_template, request, url_for

from models import User
from example_services import update_edit_user

app = Flask(__name__)


@app.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id):
    user = User.query.get(user_id)
    if request.method == "POST":
        update_edit_user(request.form, user)
        flash("Saved")
        return redirect(url_for("edit_user", user_id=user_id))
    return render_template("user.html", user=user)
""",
            options={"max-view-statements": 3},
        ),
        # A run at top level with several return values, using a model and a logger: the model's import and
        # the logger's definition are copied (`getLogger("shop")` returns the same logger in any module).
        Example(
            """
import logging

from flask import Flask, render_template

from models import Order

app = Flask(__name__)
log = logging.getLogger("shop")


@app.route("/orders")
def orders():
    query = Order.query.filter_by(open=True)
    total = query.count()
    pages = (total + 19) // 20
    log.info("listing %d orders", total)
    return render_template("orders.html", total=total, pages=pages)
""",
            """
import logging

from flask import Flask, render_template
from example_services import load_orders

app = Flask(__name__)
log = logging.getLogger("shop")


@app.route("/orders")
def orders():
    total, pages = load_orders()
    return render_template("orders.html", total=total, pages=pages)
""",
            options={"max-view-statements": 3},
        ),
        # A conditionally assigned name bound before the run is a parameter and a return value; `item` is mutated.
        Example(
            """
from flask import Flask, flash, render_template

from inventory import find_item

app = Flask(__name__)


@app.route("/stock/<sku>")
def stock(sku):
    message = "unknown"
    flash("Looking up " + sku)
    item = find_item(sku)
    if item is not None:
        message = "in stock"
    item.views += 1
    return render_template("stock.html", item=item, message=message)
""",
            """
from flask import Flask, flash, render_template
from example_services import load_stock

app = Flask(__name__)


@app.route("/stock/<sku>")
def stock(sku):
    message = "unknown"
    flash("Looking up " + sku)
    item, message = load_stock(sku, message)
    return render_template("stock.html", item=item, message=message)
""",
            options={"max-view-statements": 3},
        ),
        # A run inside a loop returns the value the next iteration reads.
        Example(
            """
from flask import Flask, jsonify
from ledger import audit, load_lines

app = Flask(__name__)


@app.route("/totals")
def totals():
    lines = load_lines()
    count = 0
    for line in lines:
        count += line.quantity
        line.seen = True
        audit(line)
        if line.flagged:
            return jsonify(error=line.id)
    return jsonify(count=count)
""",
            """
from flask import Flask, jsonify
from ledger import load_lines
from example_services import load_totals

app = Flask(__name__)


@app.route("/totals")
def totals():
    lines = load_lines()
    count = 0
    for line in lines:
        count = load_totals(count, line)
        if line.flagged:
            return jsonify(error=line.id)
    return jsonify(count=count)
""",
            options={"max-view-statements": 3},
        ),
        # A view in a factory function: the factory's locals become parameters.
        Example(
            """
from flask import Blueprint, render_template
from reporting import fetch_rows


def make_blueprint(config):
    bp = Blueprint("reports", __name__)

    @bp.route("/reports")
    def reports():
        limit = config["limit"]
        rows = fetch_rows(limit)
        rows.sort()
        return render_template("reports.html", rows=rows)

    return bp
""",
            """
from flask import Blueprint, render_template
from example_services import load_reports


def make_blueprint(config):
    bp = Blueprint("reports", __name__)

    @bp.route("/reports")
    def reports():
        rows = load_reports(config)
        return render_template("reports.html", rows=rows)

    return bp
""",
            options={"max-view-statements": 3},
        ),
        # An async view: the service is async and awaited; `request.get_json()` is hoisted as the first statement.
        Example(
            """
from flask import Flask, jsonify, request
from importer import parse_items, store_items

app = Flask(__name__)


@app.post("/import")
async def import_items():
    data = request.get_json()
    items = await parse_items(data)
    saved = await store_items(items)
    return jsonify(saved=saved)
""",
            """
from flask import Flask, jsonify, request
from example_services import load_import_items

app = Flask(__name__)


@app.post("/import")
async def import_items():
    saved = await load_import_items(request.get_json())
    return jsonify(saved=saved)
""",
            options={"max-view-statements": 3},
        ),
        # A private helper that only the run uses moves along with the service (with the imports it needs).
        Example(
            """
from flask import Flask, flash, redirect, request
from models import User, db

app = Flask(__name__)


def _clean_name(raw):
    # Collapse inner whitespace: "  ann   lee " -> "Ann Lee".
    return " ".join(raw.split()).title()


@app.post("/users/<int:user_id>/name")
def rename_user(user_id):
    user = User.query.get(user_id)
    name = _clean_name(request.form["name"])
    user.name = name
    user.views += 1
    db.session.commit()
    flash(f"Renamed to {name}.")
    return redirect("/users")
""",
            """
from flask import Flask, flash, redirect, request
from example_services import load_rename_user

app = Flask(__name__)


@app.post("/users/<int:user_id>/name")
def rename_user(user_id):
    name = load_rename_user(user_id, request.form)
    flash(f"Renamed to {name}.")
    return redirect("/users")
""",
            options={"max-view-statements": 3},
        ),
    )

    # -- set up ----------------------------------------------------------------------------------------

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self.routes = FlaskRoutes(self, tree)
        explicit: ExplicitTarget | None = self.options.get(EXPLICIT_OPTION)
        if explicit is not None:
            return self._explicit(tree, explicit)
        views = [(f, outer) for f, outer in iter_functions_with_outer(tree) if self.routes.is_view(f)]
        if not views:
            return tree
        self._set_up(tree)
        edits: dict[int, list[tuple[int, int, cst.BaseStatement]]] = {}
        for view, outer in views:
            for service in self._view(view, outer):
                run = service.run
                edits.setdefault(id(run.block), []).append((run.start, run.end, service.call))
                self.services.append(service)
        if not self.services:
            return tree
        self._propose()
        new_tree = tree.visit(_Replacer(edits))
        moved = {h.name for service in self.services for h in service.helpers}
        if moved:
            body = [s for s in new_tree.body if not (isinstance(s, cst.FunctionDef) and s.name.value in moved)]
            new_tree = new_tree.with_changes(body=body)
            first = next(s for s in tree.body if isinstance(s, cst.FunctionDef) and s.name.value in moved)
            self.share_fact(MovedHelpers(self.line_of(first), tuple(sorted(moved)), self.source_path.stem))
        return new_tree

    @classmethod
    def project_findings(cls, facts: Sequence[tuple[Path, object]], scanned: Sequence[Path]) -> list[ProjectFinding]:
        moves = [(path, fact) for path, fact in facts if isinstance(fact, MovedHelpers)]
        if not moves:
            return []
        findings: list[ProjectFinding] = []
        for other in scanned:
            try:
                text = other.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for path, move in moves:
                if other == path or not any(name in text for name in move.names):
                    continue
                for number, line in enumerate(text.splitlines(), start=1):
                    for name in move.names:
                        uses = re.search(rf"\b{re.escape(move.module)}\.{re.escape(name)}\b", line) or (
                            "import" in line and re.search(rf"\b{re.escape(name)}\b", line)
                        )
                        if uses:
                            message = f"imports `{name}`, which moved to the services module"
                            findings.append(ProjectFinding(path, move.line, message, other, number))
        return findings

    def _set_up(self, tree: cst.Module) -> None:
        self.tree = tree
        self.facts = _module_facts(tree)
        self.source_path = Path(self.context.filename or "views.py")
        self.target = self._target_path()
        self.target_facts = self._existing_target()
        self.taken: set[str] = set(self.facts.identifiers) | set(self.target_facts.identifiers)
        self.taken |= self.reserved_names.get(str(self.target), frozenset())
        self.services: list[_Service] = []
        self.name_nodes: dict[str, list[cst.Name]] = {}
        self.strings: set[str] = set()  # string literals' values: a name in `__all__` or `getattr` stays
        for node in walk(tree):
            if isinstance(node, cst.Name):
                self.name_nodes.setdefault(node.value, []).append(node)
            elif isinstance(node, cst.SimpleString):
                value = node.evaluated_value
                if isinstance(value, str):
                    self.strings.add(value)

    def _target_path(self) -> Path:
        template = self.options["services-module"]
        source = self.source_path
        if template == "auto":
            if source.stem in ("views", "__init__"):
                template = "services.py"
            elif source.parent.name in {"views", "routes", "blueprints"} and (source.parent / "__init__.py").exists():
                template = "../{stem}_services.py"
            else:
                template = "{stem}_services.py"
        return Path(os.path.normpath(source.parent / template.format(stem=source.stem)))

    def _existing_target(self) -> _ModuleFacts:
        self.target_text = ""
        try:
            text = self.target.read_text(encoding="utf-8")
            facts = _module_facts(cst.parse_module(text))
        except (OSError, UnicodeDecodeError, cst.ParserSyntaxError):
            return _ModuleFacts({}, set(), set(), False, set())
        self.target_text = text
        return facts

    def _module_name_from_source(self) -> tuple[str, int]:
        """How the views module imports the services module: (module, relative level)."""
        source_dir, target_dir = self.source_path.parent.resolve(), self.target.parent.resolve()
        if not (self.source_path.parent / "__init__.py").exists():
            if target_dir != source_dir:
                raise _Skip("the views module is not in a package and the services module is not beside it")
            parts: tuple[str, ...] = (self.target.stem,)
            level = 0
        else:
            common = Path(os.path.commonpath([source_dir, target_dir]))
            parts = (*target_dir.relative_to(common).parts, self.target.stem)
            level = len(source_dir.relative_to(common).parts) + 1
        for part in parts:
            if not part.isidentifier() or keyword.iskeyword(part):
                raise _Skip(f"the services module `{self.target.name}` could not be imported: `{part}` is not a name")
        return ".".join(parts), level

    # -- one view --------------------------------------------------------------------------------------

    def _view(self, view: cst.FunctionDef, outer: list[cst.FunctionDef | cst.ClassDef]) -> list[_Service]:
        size = count_statements(view.body)
        if size <= self.options["max-view-statements"]:
            return []
        if self.is_ignored(view):
            self.add_skip(view, IGNORED_REASON, IGNORED_KIND)
            return []
        try:
            services = self._extract_from(view, outer)
        except _Skip as skip:
            self.add_skip(view, f"fat view `{view.name.value}` left alone: {skip.reason}")
            return []
        if not services:
            return []
        names = ", ".join(f"`{s.name}`" for s in services)
        where = os.path.relpath(self.target, self.source_path.parent).replace(os.sep, "/")
        # Moved code is seen differently by monkeypatching tests and tracebacks (see "Fix safety").
        if not self.permit_unsafe(view, f"moves business logic of `{view.name.value}` into {names} in {where}"):
            for service in services:
                self.taken.discard(service.name)
            return []
        return services

    def _extract_from(self, view: cst.FunctionDef, outer: list[cst.FunctionDef | cst.ClassDef]) -> list[_Service]:
        self._enter_view(view, outer)
        params = {p.name.value for p in _all_params(view.params)}
        runs: list[_Run] = []
        self._collect_runs(view.body, params, False, None, runs)
        services: list[_Service] = []
        for index, run in enumerate(runs, start=1):
            try:
                services.append(self._extract(run, index))
            except _Skip as skip:
                self.add_skip(run.statements[0], f"run of `{view.name.value}` not extracted: {skip.reason}")
        if not services and not runs:
            minimum = self.options["min-statements"]
            raise _Skip(f"no run of {minimum}+ statements without HTTP work")
        return services

    def _enter_view(self, view: cst.FunctionDef, outer: list[cst.FunctionDef | cst.ClassDef]) -> None:
        """Check the view as a whole and record what every run of it is analysed against."""
        if not isinstance(view.body, cst.IndentedBlock):
            raise _Skip("its body is on one line")
        if any(isinstance(o, cst.ClassDef) for o in outer):
            raise _Skip("it is defined in a class")
        view_locals, problem = _function_locals(view)
        if problem:
            raise _Skip(f"it contains {problem}")
        closure: set[str] = set()
        for function in outer:
            assert isinstance(function, cst.FunctionDef)
            names, problem = _function_locals(function)
            if problem:
                raise _Skip(f"its enclosing function `{function.name.value}` contains {problem}")
            closure |= names
        self.view = view
        self.view_locals = view_locals
        self.closure = closure - view_locals
        self.is_async = view.asynchronous is not None
        self.import_from = self._module_name_from_source()

    # -- finding runs ----------------------------------------------------------------------------------

    def _collect_runs(
        self,
        block: cst.IndentedBlock,
        bound: set[str],
        in_loop: bool,
        test: cst.BaseExpression | None,
        runs: list[_Run],
    ) -> None:
        bound = set(bound)
        start: int | None = None
        statements = list(block.body)
        for index, statement in enumerate([*statements, None]):
            pure = statement is not None and not self._http_work(statement)
            if pure and start is None:
                start = index
                run_bound = set(bound)
            if not pure and start is not None:
                size = sum(count_statements(s) for s in statements[start:index])
                if size >= self.options["min-statements"]:
                    runs.append(_Run(block, start, index, in_loop, run_bound, test))
                start = None
            if statement is None:
                break
            if not pure:
                self._descend(statement, bound, in_loop, runs)
            bound |= _definitely_bound(statement)

    def _descend(self, statement: cst.BaseStatement, bound: set[str], in_loop: bool, runs: list[_Run]) -> None:
        if isinstance(statement, cst.If):
            current: cst.If | cst.Else | None = statement
            while current is not None:
                body = current.body
                if isinstance(body, cst.IndentedBlock):
                    self._collect_runs(
                        body, bound, in_loop, current.test if isinstance(current, cst.If) else None, runs
                    )
                current = current.orelse if isinstance(current, cst.If) else None
        elif isinstance(statement, (cst.For, cst.While)):
            inner = bound | (set(_target_names(statement.target)) if isinstance(statement, cst.For) else set())
            if isinstance(statement.body, cst.IndentedBlock):
                self._collect_runs(statement.body, inner, True, None, runs)
        elif isinstance(statement, cst.With):
            inner = bound | {n for item in statement.items if item.asname for n in _target_names(item.asname.name)}
            if isinstance(statement.body, cst.IndentedBlock):
                self._collect_runs(statement.body, inner, in_loop, None, runs)
        elif isinstance(statement, cst.Try):
            parts: list[cst.BaseSuite] = [statement.body]
            parts += [h.body for h in statement.handlers]
            parts += [p.body for p in (statement.orelse, statement.finalbody) if p is not None]
            for part in parts:
                if isinstance(part, cst.IndentedBlock):
                    self._collect_runs(part, bound, in_loop, None, runs)

    def _http_work(self, statement: cst.BaseStatement) -> bool:
        for node in walk(statement):
            if isinstance(node, (cst.Return, cst.FunctionDef, cst.ClassDef)):
                return True
            if (
                isinstance(node, cst.Call)
                and isinstance(node.func, cst.Attribute)
                and node.func.attr.value in ABORTING_QUERY_METHODS
            ):
                return True  # `Post.query.get_or_404(id)` aborts the request
            if (
                isinstance(node, cst.Name)
                and qualified_names(self.get_metadata(QualifiedNameProvider, node, set())) & HTTP_LAYER_NAMES
                and not self._in_request_read(node, statement)
            ):
                return True
        return False

    def _in_request_read(self, name: cst.Name, statement: cst.BaseStatement) -> bool:
        return any(name is read_name for read_name, _ in self._request_reads(statement))

    def _request_reads(self, root: cst.CSTNode) -> list[tuple[cst.Name, cst.CSTNode]]:
        """(the `request` name, the hoistable expression) for each read of request data under ``root``."""
        cache: dict[int, list[tuple[cst.Name, cst.CSTNode]]] = self.__dict__.setdefault("_reads_cache", {})
        if id(root) in cache:
            return cache[id(root)]
        found: list[tuple[cst.Name, cst.CSTNode]] = []
        for node in walk(root):
            if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
                names = qualified_names(self.get_metadata(QualifiedNameProvider, node, set()))
                if names & _REQUEST_DATA.keys():
                    found.append((node.value, node))
            elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
                func = node.func
                if isinstance(func.value, cst.Name):
                    names = qualified_names(self.get_metadata(QualifiedNameProvider, func, set()))
                    if names & _GET_JSON:
                        found.append((func.value, node))
        cache[id(root)] = found
        return found

    # -- explicit mode: exactly the statements the user points at ----------------------------------------

    def _explicit(self, tree: cst.Module, explicit: ExplicitTarget) -> cst.Module:
        """One run of one view, chosen by lines; a refusal is recorded as the file's only skip, the bare reason."""
        anchor: cst.CSTNode = tree
        try:
            if not explicit.name.isidentifier() or keyword.iskeyword(explicit.name):
                raise _Skip(f"`{explicit.name}` is not a valid function name")
            found = [(f, outer) for f, outer in iter_functions_with_outer(tree) if f.name.value == explicit.view]
            if not found:
                raise _Skip(f"no function named `{explicit.view}`")
            if len(found) > 1:
                raise _Skip(f"{len(found)} functions are named `{explicit.view}`")
            view, outer = found[0]
            anchor = view
            if not self.routes.is_view(view):
                raise _Skip(f"`{explicit.view}` is not a Flask view (no route decorator flaskmod can prove)")
            if self.is_ignored(view):
                raise _Skip(IGNORED_REASON)
            self._set_up(tree)
            if self.target.resolve() == self.source_path.resolve():
                raise _Skip("the services module cannot be the views module itself")
            # The chosen name goes through the same check as a configured one (taken names are refused).
            self.options = {**self.options, "names": {view.name.value: explicit.name}}
            self._enter_view(view, outer)
            run = self._locate(view, explicit.first_line, explicit.last_line)
            service = self._extract(run, 1)
        except _Skip as skip:
            self.add_skip(anchor, skip.reason)
            return tree
        where = os.path.relpath(self.target, self.source_path.parent).replace(os.sep, "/")
        lines = f"lines {explicit.first_line}-{explicit.last_line}"
        if not self.permit_unsafe(view, f"moves {lines} of `{view.name.value}` into `{service.name}` in {where}"):
            return tree
        self.services = [service]
        self._propose()
        return tree.visit(_Replacer({id(run.block): [(run.start, run.end, service.call)]}))

    def _span(self, node: cst.CSTNode) -> tuple[int, int]:
        position = self._position(node)
        return position.start.line, position.end.line

    def _locate(self, view: cst.FunctionDef, first: int, last: int) -> _Run:
        assert isinstance(view.body, cst.IndentedBlock)  # checked by _enter_view
        header_end = self._span(view.returns or view.params)[1]
        if first > last or first <= header_end or last > self._span(view.body)[1]:
            raise _Skip(f"lines {first}-{last} are not inside the body of `{view.name.value}`")
        params = {p.name.value for p in _all_params(view.params)}
        return self._locate_in(view.body, params, False, None, first, last)

    def _locate_in(
        self,
        block: cst.IndentedBlock,
        bound: set[str],
        in_loop: bool,
        test: cst.BaseExpression | None,
        first: int,
        last: int,
    ) -> _Run:
        """The statements of ``block`` within the lines, or those of one block nested in one statement."""
        inside: list[int] = []
        crossing: list[tuple[cst.BaseStatement, set[str]]] = []
        bound = set(bound)
        run_bound = bound
        for index, statement in enumerate(block.body):
            start, end = self._span(statement)
            if first <= start and end <= last:
                if not inside:
                    run_bound = set(bound)
                inside.append(index)
            elif start <= last and first <= end:
                crossing.append((statement, set(bound)))
            bound |= _definitely_bound(statement)
        if inside and not crossing:
            return _Run(block, inside[0], inside[-1] + 1, in_loop, run_bound, test)
        if len(crossing) == 1 and not inside:
            statement, before = crossing[0]
            for header, part, part_bound, part_loop, part_test in self._parts(statement, before, in_loop):
                if header < first and last <= self._span(part)[1]:
                    return self._locate_in(part, part_bound, part_loop, part_test, first, last)
        raise _Skip(f"lines {first}-{last} do not cover whole statements of one block")

    def _parts(
        self, statement: cst.BaseStatement, bound: set[str], in_loop: bool
    ) -> list[tuple[int, cst.IndentedBlock, set[str], bool, cst.BaseExpression | None]]:
        """(header line, block, names bound, in a loop, branch test) of each block of a compound statement,
        as `_descend` sees the same blocks in the automatic mode."""
        # (the node whose first line is the block's header, the block, names bound, in a loop, branch test)
        parts: list[tuple[cst.CSTNode, cst.BaseSuite, set[str], bool, cst.BaseExpression | None]] = []
        if isinstance(statement, cst.If):
            current: cst.If | cst.Else | None = statement
            while current is not None:
                test = current.test if isinstance(current, cst.If) else None
                parts.append((current, current.body, bound, in_loop, test))
                current = current.orelse if isinstance(current, cst.If) else None
        elif isinstance(statement, (cst.For, cst.While)):
            inner = bound | (set(_target_names(statement.target)) if isinstance(statement, cst.For) else set())
            parts.append((statement, statement.body, inner, True, None))
            if statement.orelse is not None:
                parts.append((statement.orelse, statement.orelse.body, bound, in_loop, None))
        elif isinstance(statement, cst.With):
            inner = bound | {n for item in statement.items if item.asname for n in _target_names(item.asname.name)}
            parts.append((statement, statement.body, inner, in_loop, None))
        elif isinstance(statement, cst.Try):
            others = [*statement.handlers, statement.orelse, statement.finalbody]
            parts.append((statement, statement.body, bound, in_loop, None))
            parts += [(other, other.body, bound, in_loop, None) for other in others if other is not None]
        return [
            (self.line_of(header), body, names, loop, test)
            for header, body, names, loop, test in parts
            if isinstance(body, cst.IndentedBlock)
        ]

    # -- one run ---------------------------------------------------------------------------------------

    def _extract(self, run: _Run, index: int) -> _Service:
        statements = run.statements
        for statement in statements:
            if self.is_ignored(statement):
                raise _Skip(IGNORED_REASON)
        hoisted_nodes: dict[int, cst.CSTNode] = {}
        hoisted: dict[int, str] = {}
        reads = [r for s in statements for r in self._request_reads(s)]
        spelled_in_run = {n for s in statements for n in _variables(s)}
        by_code: dict[str, str] = {}
        for _, expression in reads:
            code = code_of(expression)
            if isinstance(expression, cst.Call) or code.endswith(".json"):
                first = statements[0]
                ok = (
                    isinstance(first, cst.SimpleStatementLine)
                    and len(first.body) == 1
                    and isinstance(first.body[0], cst.Assign)
                    and first.body[0].value is expression
                    and len(reads) == 1
                )
                if not ok:
                    raise _Skip(f"`{code}` may raise: it is hoisted only as the run's first statement `x = {code}`")
            if code not in by_code:
                attr = "json" if isinstance(expression, cst.Call) else _REQUEST_DATA_ATTR(expression)
                candidate = attr
                counter = 1
                while candidate in spelled_in_run or candidate in by_code.values():
                    counter += 1
                    candidate = f"request_{attr}" if counter == 2 else f"request_{attr}_{counter}"
                by_code[code] = candidate
            hoisted[id(expression)] = by_code[code]
            hoisted_nodes[id(expression)] = expression
        analyser = _FlowAnalyser(self.view_locals | self.closure, hoisted, self.is_async)
        analyser.block(statements)
        flow = analyser.flow
        flow.must = set(analyser.defined)
        outside = self._loads_outside(run)
        hoisted_names = set(by_code.values())
        # Names the run reads that are the view's (or its factory's) locals become parameters.
        params: list[str] = []
        imports: list[_ImportOf] = []
        helpers: list[_MovedHelper] = []
        loggers: list[str] = []
        renamed_loggers: list[str] = []  # `getLogger(__name__)` copies: named after the services module
        for name in flow.uses:
            if name in self.view_locals and name not in run.bound_before:
                # Passing it would raise UnboundLocalError at the call, where the run might not read it.
                raise _Skip(f"`{name}` may be unbound when the run starts")
            if name in hoisted_names or name in self.view_locals or name in self.closure:
                params.append(name)
            elif name in self.facts.imports:
                imports.extend(self._import_for(name))
            elif name in self.facts.defined:
                if name in self.facts.declared_global:
                    raise _Skip(f"`{name}` is rebound through `global`, so its value at the call may differ")
                logger = self._copyable_logger(name)
                helper = self._movable_helper(name, run) if logger is None else None
                if logger is not None:
                    definition, logger_imports = logger
                    loggers.append(definition)
                    imports.extend(logger_imports)
                    if "__name__" in definition:
                        renamed_loggers.append(name)
                elif helper is not None:
                    helpers.append(helper)
                    imports.extend(helper.imports)
                else:
                    params.append(name)  # defined in the views module: passed in, never imported from it
            elif name in _BUILTINS:
                continue
            elif self.facts.star_import:
                raise _Skip(f"`{name}` may come from a star import")
            else:
                raise _Skip(f"cannot tell where `{name}` comes from")
        for name in flow.deleted:
            if name in outside or name in self.view_locals - set(flow.maybe) or name in params:
                raise _Skip(f"the run deletes `{name}`, which the view uses outside it")
        assert isinstance(self.view.body, cst.IndentedBlock)  # _enter_view refuses one-line bodies
        enclosing = _enclosing(self.view.body, run.block) or []
        live = self._read_after(run, enclosing)
        returns = [n for n in flow.maybe if n in live or (run.in_loop and n in flow.uses)]
        self._check_partial_assignments(returns, enclosing)
        for name in returns:
            if name in flow.deleted:
                raise _Skip(f"the run may delete `{name}`, which the view reads after it")
            if name not in flow.must:
                if name not in run.bound_before:
                    raise _Skip(f"`{name}` is assigned only on some paths and may be unbound before the run")
                if name not in params:
                    params.append(name)
        if flow.awaits and not self.is_async:
            raise _Skip("the run contains `await`")
        name = self._service_name(run, index, bool(returns))
        code = self._service_code(name, params, returns, statements, hoisted)
        call = self._call(name, params, returns, statements[0], hoisted_nodes, by_code, flow.awaits)
        for logger in renamed_loggers:
            self.add_finding(
                statements[0],
                f"`{logger}` is defined in the services module as in the views module "
                "(`__name__`): records logged by the moved code carry the services module's name",
            )
        return _Service(name, code, call, run, imports, helpers, loggers)

    def _copyable_logger(self, name: str) -> tuple[str, list[_ImportOf]] | None:
        """``name = logging.getLogger(...)`` (or structlog's) at module level, bound nowhere else: its copy.

        `getLogger` with a literal name returns the very same logger in the services
        module; with `__name__` it names the logger after the services module.
        """
        bindings = [s for s in self.tree.body if name in _top_level_bindings(s)]
        if len(bindings) != 1 or not isinstance(bindings[0], cst.SimpleStatementLine):
            return None
        assign = bindings[0].body[0]
        if len(bindings[0].body) != 1 or not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
            return None
        call = assign.value
        if not isinstance(call, cst.Call) or not all(_logger_name_arg(a) for a in call.args):
            return None
        if not qualified_names(self.get_metadata(QualifiedNameProvider, call.func, set())) & LOGGER_FACTORIES:
            return None
        imports: list[_ImportOf] = []
        for free in _variables(call.func):
            if free not in self.facts.imports:
                return None
            try:
                imports.extend(self._import_for(free))
            except _Skip:
                return None
        definition = self.tree.code_for_node(bindings[0].with_changes(leading_lines=[])).strip("\n")
        existing = self.target_facts.imports.get(name) or name in self.target_facts.defined
        if existing and definition not in self.target_text:
            return None  # the services module binds the name to something else
        return definition, imports

    def _movable_helper(self, name: str, run: _Run) -> _MovedHelper | None:
        """The private module-level helper ``name`` if it can move with the run's service, else None.

        It moves when it is a plain `def` (no decorator) spelled `_name` (private, so no
        other module should import it), nothing in the views module but the run names
        it, and everything it uses besides its own locals is a builtin or an import the
        services module can copy, none from Flask or werkzeug (HTTP work stays in views).
        """
        if not name.startswith("_") or name.startswith("__"):
            return None
        definitions = [
            s for s in self.tree.body if isinstance(s, cst.FunctionDef) and s.name.value == name and not s.decorators
        ]
        if len(definitions) != 1:
            return None
        helper = definitions[0]
        inside = {id(n) for s in (*run.statements, helper) for n in walk(s)}
        if any(id(n) not in inside for n in self.name_nodes.get(name, ())) or name in self.strings:
            return None
        if name in self.target_facts.identifiers:
            return None
        helper_locals, problem = _function_locals(helper)
        if problem:
            return None
        imports: list[_ImportOf] = []
        for free in sorted(_variables(helper) - helper_locals - {name}):
            if free in _BUILTINS and free not in self.facts.defined and free not in self.facts.imports:
                continue
            if free not in self.facts.imports:
                return None  # another module-level name of the views module, or unknown
            if any(_is_http_layer(i) for i in self.facts.imports[free]):
                return None
            try:
                imports.extend(self._import_for(free))
            except _Skip:
                return None
        blank_free = list(helper.leading_lines)
        while blank_free and blank_free[0].comment is None:
            blank_free.pop(0)
        code = self.tree.code_for_node(helper.with_changes(leading_lines=blank_free))
        return _MovedHelper(name, code, tuple(imports))

    def _read_after(self, run: _Run, enclosing: list[_Enclosing]) -> set[str]:
        """Names read, before being rebound, where control may go after the run; closures count wherever they are.

        Each region is a statement sequence control may enter after the run; a name
        read in it only after that sequence rebinds it does not need the run's value.
        """
        regions: list[Sequence[cst.BaseStatement]] = [run.block.body[run.end :]]
        reads: set[str] = set()
        for statement, block, index, part in enclosing:
            if isinstance(statement, (cst.For, cst.While)) and part is statement.body:
                regions.append(statement.body.body)  # the next iteration
                if isinstance(statement, cst.While):
                    reads |= _loaded_names(statement.test)
                if statement.orelse is not None:
                    regions.append(_block(statement.orelse.body))
            elif isinstance(statement, cst.Try):
                if part is statement.body:
                    regions += [_block(h.body) for h in statement.handlers]
                    if statement.orelse is not None:
                        regions.append(_block(statement.orelse.body))
                if statement.finalbody is not None and part is not statement.finalbody:
                    regions.append(_block(statement.finalbody.body))
            regions.append(block.body[index + 1 :])
        for region in regions:
            reads |= _exposed_reads(region)
        inside = {id(n) for s in run.statements for n in walk(s)}
        for node in walk(self.view.body):
            if isinstance(node, (cst.FunctionDef, cst.Lambda)) and id(node) not in inside:
                reads |= _loaded_names(node)  # a closure reads the value current when it is called
        return reads

    def _check_partial_assignments(self, returns: list[str], enclosing: list[_Enclosing]) -> None:
        """Refuse when a `try` around the run could see the values the run assigned before it raised."""
        if not returns:
            return
        for statement, _, _, part in enclosing:
            if not isinstance(statement, cst.Try):
                continue
            catchers: list[cst.CSTNode] = list(statement.handlers) if part is statement.body else []
            if statement.finalbody is not None and part is not statement.finalbody:
                catchers.append(statement.finalbody)
            read = {n.value for c in catchers for n in walk(c) if isinstance(n, cst.Name)}
            shared = [n for n in returns if n in read]
            if shared:
                raise _Skip(
                    f"`{shared[0]}` is read by the enclosing `try`'s handlers, which would not see what the run "
                    "assigned before raising"
                )
            if part is statement.body and any(_falls_through(h.body) for h in statement.handlers):
                raise _Skip(
                    "an `except` of the enclosing `try` carries on, with what the run assigned before raising; "
                    "extracted, it would carry on without it"
                )

    def _loads_outside(self, run: _Run) -> set[str]:
        inside = {id(n) for s in run.statements for n in walk(s)}
        names: set[str] = set()
        for node in walk(self.view.body):
            if isinstance(node, cst.Name) and id(node) not in inside:
                names.add(node.value)
        return names

    def _import_for(self, name: str) -> list[_ImportOf]:
        out: list[_ImportOf] = []
        for imported in self.facts.imports[name]:
            rebased = _rebase(imported.level, imported.module, self.source_path.parent, self.target.parent)
            if rebased is None:
                raise _Skip(f"cannot write the import of `{name}` from the services module")
            level, module = rebased
            if level and (self.source_path.parent / "__init__.py").exists() is False:
                raise _Skip(f"cannot write the relative import of `{name}` outside a package")
            resolved = _ImportOf(module, imported.name, imported.asname, level)
            target_module = self._target_self_import(resolved)
            if target_module:
                raise _Skip(f"`{name}` comes from the services module itself")
            if self._points_at_views_module(resolved):
                raise _Skip(f"`{name}` would make the services module import the views module")
            existing = self.target_facts.imports.get(name)
            if name in self.target_facts.defined or (existing and resolved not in existing):
                raise _Skip(f"the services module already binds `{name}` to something else")
            out.append(resolved)
        return out

    def _target_self_import(self, imported: _ImportOf) -> bool:
        if not imported.level:
            return False
        path = self.target.parent
        for _ in range(imported.level - 1):
            path = path.parent
        parts = imported.module.split(".") if imported.module else []
        last = path.joinpath(*parts) if parts else path
        candidates = {last.with_suffix(".py"), (last / imported.name).with_suffix(".py")}
        return self.target.resolve() in {c.resolve() for c in candidates}

    def _points_at_views_module(self, imported: _ImportOf) -> bool:
        if not imported.level:
            return False  # an absolute import of the views module from itself is not followed
        path = self.target.parent
        for _ in range(imported.level - 1):
            path = path.parent
        parts = imported.module.split(".") if imported.module else []
        last = path.joinpath(*parts) if parts else path
        candidates = {last.with_suffix(".py"), (last / imported.name).with_suffix(".py")}
        return self.source_path.resolve() in {c.resolve() for c in candidates}

    # -- writing ---------------------------------------------------------------------------------------

    def _service_name(self, run: _Run, index: int, returns: bool) -> str:
        view = self.view.name.value
        configured: Mapping[str, str] = self.options["names"]
        chosen = configured.get(f"{view}:{index}") or (configured.get(view) if index == 1 else None)
        if chosen:
            if chosen in self.taken:
                raise _Skip(f"the configured name `{chosen}` is already taken")
            self.taken.add(chosen)
            return chosen
        test = code_of(run.branch_test) if run.branch_test is not None else ""
        if any(word in test for word in _SUBMIT_WORDS):
            base = f"update_{view}"
        elif returns:
            base = f"load_{view}"
        else:
            base = f"run_{view}"
        name, counter = base, 1
        while name in self.taken:
            counter += 1
            name = f"{base}_{counter}"
        self.taken.add(name)
        return name

    def _service_code(
        self,
        name: str,
        params: list[str],
        returns: list[str],
        statements: Sequence[cst.BaseStatement],
        hoisted: Mapping[int, str],
    ) -> str:
        hoister = _Hoister(hoisted)
        body: list[cst.BaseStatement] = []
        for position, statement in enumerate(statements):
            new = statement.visit(hoister)
            assert isinstance(new, cst.BaseStatement)
            if position == 0:
                new = new.with_changes(leading_lines=[])
            body.append(new)
        doc = cst.parse_statement(f'"""Extracted from the `{self.view.name.value}` view."""\n')
        body.insert(0, doc)
        if returns:
            value = ", ".join(returns)
            body.append(cst.parse_statement(f"return {value}\n"))
        keyword = "async " if self.is_async and self._awaits(statements) else ""
        header = cst.parse_statement(f"{keyword}def {name}({', '.join(params)}):\n    pass\n")
        assert isinstance(header, cst.FunctionDef)
        function = header.with_changes(body=cst.IndentedBlock(body=body))
        return self.tree.code_for_node(function)

    def _awaits(self, statements: Sequence[cst.BaseStatement]) -> bool:
        return any(isinstance(n, cst.Await) for s in statements for n in walk(s))

    def _call(
        self,
        name: str,
        params: list[str],
        returns: list[str],
        first: cst.BaseStatement,
        hoisted_nodes: Mapping[int, cst.CSTNode],
        by_code: Mapping[str, str],
        awaits: bool,
    ) -> cst.BaseStatement:
        by_param = {param: code for code, param in by_code.items()}
        args = ", ".join(by_param.get(p, p) for p in params)
        call = f"{'await ' if awaits else ''}{name}({args})"
        if len(returns) == 1:
            call = f"{returns[0]} = {call}"
        elif returns:
            call = f"{', '.join(returns)} = {call}"
        statement = cst.parse_statement(call + self.tree.default_newline, config=self.tree.config_for_parsing)
        return statement.with_changes(leading_lines=first.leading_lines)

    def _views_imports_of(self, service: _Service) -> list[_ImportOf]:
        """The views module's own import statements of what the service imports (unrebased)."""
        out: list[_ImportOf] = []
        for imported in service.imports:
            plain = imported.module or imported.level
            bound = imported.asname or (imported.name if plain else imported.name.split(".")[0])
            out += [i for i in self.facts.imports.get(bound, []) if i not in out]
        return out

    def _propose(self) -> None:
        imports: list[tuple[str, str | None]] = []
        aliased: list[str] = []
        for service in self.services:
            for imported in service.imports:
                module = "." * imported.level + imported.module
                if imported.asname is not None:
                    if imported.module or imported.level:
                        line = f"from {module} import {imported.name} as {imported.asname}"
                    else:
                        line = f"import {imported.name} as {imported.asname}"
                    if line not in aliased:
                        aliased.append(line)
                elif imported.module or imported.level:
                    pair = (module, imported.name)
                    if pair not in imports:
                        imports.append(pair)
                elif (imported.name, None) not in imports:
                    imports.append((imported.name, None))
        blocks = ["\n".join(aliased)] if aliased else []
        loggers = [d for d in dict.fromkeys(d for s in self.services for d in s.loggers) if d not in self.target_text]
        if loggers:
            blocks.append("\n".join(loggers))
        for service in self.services:
            blocks += [h.code.strip("\n") for h in service.helpers]
            blocks.append(service.code.strip("\n"))
        relative = os.path.relpath(self.target, self.source_path.parent).replace(os.sep, "/")
        self.propose_edit(ExtraFileEdit(relative, "\n\n\n".join(blocks) + "\n", tuple(imports)))
        module, level = self.import_from
        for service in self.services:
            self.add_needed_import("." * level + module if level else module, service.name)
            for original in self._views_imports_of(service):
                source = "." * original.level + original.module
                if original.module or original.level:
                    self.remove_unused_import(source, original.name, original.asname)
                else:
                    self.remove_unused_import(original.name, None, original.asname)


def _logger_name_arg(arg: cst.Arg) -> bool:
    """A logger name that means the same in any module: a string literal, or `__name__`."""
    if arg.keyword is not None or arg.star:
        return False
    value = arg.value
    return isinstance(value, cst.SimpleString) or (isinstance(value, cst.Name) and value.value == "__name__")


def _top_level_bindings(statement: cst.BaseStatement) -> set[str]:
    collector = _Bindings()
    statement.visit(collector)
    return collector.names


def _is_http_layer(imported: _ImportOf) -> bool:
    """An import of Flask's HTTP layer: a name in it, or the `flask` module itself."""
    if imported.level:
        return False
    if not imported.module:
        return imported.name == "flask"
    return f"{imported.module}.{imported.name}" in HTTP_LAYER_NAMES


def _REQUEST_DATA_ATTR(node: cst.CSTNode) -> str:
    return node.attr.value if isinstance(node, cst.Attribute) else "json"


def _variables(node: cst.CSTNode) -> set[str]:
    """Names spelled as variables under ``node`` (not attribute names or keyword arguments)."""
    skip = set()
    out: set[str] = set()
    for current in walk(node):
        if isinstance(current, cst.Attribute):
            skip.add(id(current.attr))
        elif isinstance(current, cst.Arg) and current.keyword is not None:
            skip.add(id(current.keyword))
        elif isinstance(current, cst.Name) and id(current) not in skip:
            out.add(current.value)
    return out


def _definitely_bound(statement: cst.BaseStatement) -> set[str]:
    """Names a statement binds on every path; an under-approximation, which only costs skips."""
    out: set[str] = set()
    if isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    out.update(_target_names(target.target))
            elif isinstance(small, (cst.AugAssign, cst.AnnAssign)) and (
                not isinstance(small, cst.AnnAssign) or small.value is not None
            ):
                out.update(_target_names(small.target))
            elif isinstance(small, (cst.Return, cst.Raise, cst.Del)):
                break
    elif isinstance(statement, cst.If) and statement.orelse is not None:
        body = _suite_bound(statement.body)
        other = (
            _definitely_bound(statement.orelse)
            if isinstance(statement.orelse, cst.If)
            else _suite_bound(statement.orelse.body)
        )
        out = body & other
    elif isinstance(statement, cst.With):
        out = _suite_bound(statement.body)
    elif isinstance(statement, cst.Try):
        out = _suite_bound(statement.body) | (_suite_bound(statement.orelse.body) if statement.orelse else set())
        for handler in statement.handlers:
            if _falls_through(handler.body):
                out &= _suite_bound(handler.body)
        if statement.finalbody is not None:
            out |= _suite_bound(statement.finalbody.body)
    return out


def _block(suite: cst.BaseSuite) -> Sequence[cst.BaseStatement]:
    return suite.body if isinstance(suite, cst.IndentedBlock) else [cst.SimpleStatementLine(body=suite.body)]


def _bound_name_nodes(node: cst.CSTNode) -> set[int]:
    """The Name nodes under ``node`` that are bound, not read: targets, def/class names, import aliases."""
    bound: set[int] = set()
    for current in walk(node):
        targets: list[cst.CSTNode] = []
        if isinstance(current, (cst.AssignTarget, cst.AnnAssign, cst.For, cst.CompFor, cst.NamedExpr)):
            targets = [current.target]
        elif isinstance(current, (cst.AsName, cst.FunctionDef, cst.ClassDef)):
            targets = [current.name]
        elif isinstance(current, cst.ImportAlias):
            bound |= {id(n) for n in walk(current) if isinstance(n, cst.Name)}
        elif isinstance(current, cst.Attribute):
            bound.add(id(current.attr))  # an attribute name, never a variable
        elif isinstance(current, cst.Arg) and current.keyword is not None:
            bound.add(id(current.keyword))
        for target in targets:
            stack = [target]
            while stack:
                item = stack.pop()
                if isinstance(item, cst.Name):
                    bound.add(id(item))
                elif isinstance(item, (cst.Tuple, cst.List)):
                    stack += [e.value for e in item.elements]
                elif isinstance(item, cst.StarredElement):
                    stack.append(item.value)
    return bound


def _loaded_names(node: cst.CSTNode) -> set[str]:
    """Names read under ``node`` (an over-approximation: never misses a read)."""
    bound = _bound_name_nodes(node)
    return {n.value for n in walk(node) if isinstance(n, cst.Name) and id(n) not in bound}


def _exposed_reads(statements: Sequence[cst.BaseStatement]) -> set[str]:
    """Names a statement sequence may read before rebinding them (an over-approximation)."""
    out: set[str] = set()
    killed: set[str] = set()
    for statement in statements:
        out |= _statement_exposed_reads(statement) - killed
        killed |= _definitely_bound(statement)
    return out


def _statement_exposed_reads(statement: cst.BaseStatement) -> set[str]:
    """Names one statement may read before rebinding them; compound statements are followed block by block."""
    if isinstance(statement, cst.For):
        # The body runs only after the target is bound; the `else` may run without it.
        reads = _loaded_names(statement.iter)
        reads |= _exposed_reads(_block(statement.body)) - set(_target_names(statement.target))
    elif isinstance(statement, cst.While):
        reads = _loaded_names(statement.test) | _exposed_reads(_block(statement.body))
    elif isinstance(statement, cst.If):
        reads = _loaded_names(statement.test) | _exposed_reads(_block(statement.body))
        if isinstance(statement.orelse, cst.If):
            return reads | _statement_exposed_reads(statement.orelse)
    elif isinstance(statement, cst.With):
        reads = {n for item in statement.items for n in _loaded_names(item.item)}
        bound = {n for item in statement.items if item.asname for n in _target_names(item.asname.name)}
        reads |= _exposed_reads(_block(statement.body)) - bound
    elif isinstance(statement, cst.Try):
        reads = _exposed_reads(_block(statement.body))
        for handler in statement.handlers:
            reads |= _loaded_names(handler.type) if handler.type is not None else set()
            reads |= _exposed_reads(_block(handler.body))
        if statement.finalbody is not None:
            reads |= _exposed_reads(_block(statement.finalbody.body))
    else:
        return _loaded_names(statement)
    orelse = getattr(statement, "orelse", None)
    if isinstance(orelse, cst.Else):
        reads |= _exposed_reads(_block(orelse.body))
    return reads


def _falls_through(suite: cst.BaseSuite) -> bool:
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


_Enclosing = tuple[cst.BaseStatement, cst.IndentedBlock, int, cst.CSTNode]


def _enclosing(body: cst.IndentedBlock, target: cst.IndentedBlock) -> list[_Enclosing] | None:
    """The compound statements around ``target``, innermost first: (statement, its block, its index, the part
    of it that holds ``target``); None when ``target`` is not in ``body``."""
    if body is target:
        return []
    for index, statement in enumerate(body.body):
        for part, block in _statement_parts(statement):
            found = _enclosing(block, target)
            if found is not None:
                return [*found, (statement, body, index, part)]
    return None


def _suite_bound(suite: cst.BaseSuite) -> set[str]:
    out: set[str] = set()
    if isinstance(suite, cst.IndentedBlock):
        for statement in suite.body:
            out |= _definitely_bound(statement)
    return out


# -- explicit mode, for `flaskmod extract` ---------------------------------------------------------------


@functools.cache
def _explicit_codemod() -> type[ExtractServices]:
    """ExtractServices for one file the user named: no cheap bail-outs, so every refusal gets its reason.

    Built on demand (not a module attribute) so the registry still finds one codemod in this module.
    """

    class ExplicitExtractServices(ExtractServices):
        __doc__ = ExtractServices.__doc__
        ID = ExtractServices.ID
        SUMMARY = ExtractServices.SUMMARY
        SAFETY = ExtractServices.SAFETY
        EXAMPLES = ExtractServices.EXAMPLES
        TRIGGER = re.compile("")

        @classmethod
        def should_transform(cls, module: cst.Module) -> bool:
            return True

    return ExplicitExtractServices


def extract_run(
    path: Path,
    view: str,
    first_line: int,
    last_line: int,
    name: str,
    module: Path | None = None,
    *,
    options: Mapping[str, object] | None = None,
    root: Path | None = None,
) -> RunResult:
    """Extract exactly the statements of ``view`` on lines ``first_line``-``last_line`` of ``path`` into ``name``.

    ``module`` is the services module (default: the `services-module` option of ``options``, the
    codemod's options from the config; the size thresholds and `names` do not apply). The
    change is applied as if with ``--unsafe``: the user asked for exactly it. Nothing is written.
    Raises :class:`ExtractRefused` with the reason when the extraction is not provably equivalent
    or the lines do not select whole statements of one block; ``OSError`` when ``path`` is unreadable.
    """
    root = root if root is not None else Path.cwd()
    data = path.read_bytes()
    chosen: dict[str, object] = {**(options or {}), EXPLICIT_OPTION: ExplicitTarget(view, first_line, last_line, name)}
    if module is not None:
        # An absolute path: the option is a template relative to the views module, with `{stem}`.
        chosen["services-module"] = str(module.resolve()).replace("{", "{{").replace("}", "}}")
    codemod = _explicit_codemod()
    file = transform_source(path, display_path(path, root), data, (codemod,), {codemod.ID: chosen}, True)
    results = [file]
    merge_extra_edits(results, RunRequest(paths=(path,), codemods=(codemod,), allow_unsafe=True, root=root))
    if file.error is not None:
        raise ExtractRefused(file.error.message)
    if file.skipped is not None:
        raise ExtractRefused(f"the file is skipped ({file.skipped})")
    if not file.changed:
        reasons = [skip.message for record in file.records for skip in record.skips]
        raise ExtractRefused(reasons[0] if reasons else "nothing was extracted")
    return RunResult(files=results, scanned=1)
