"""The data flow of a run: which names it reads first, writes, deletes, in execution order.

LibCST's scope data follows source order, not control flow, so it misses loop-carried
values, treats ``x += a`` as a write only and ``del a`` as a read. ``FlowAnalyser``
walks the run in execution order instead, and refuses (with the reason) every
construct it does not follow.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst

from flaskmod.codemods.core.bindings import all_params, function_locals, import_bound, target_names
from flaskmod.codemods.core.refusal import Refused
from flaskmod.codemods.core.syntax import children_of, short_code

# Calls that read or change a frame's variables by name: moved to another frame they see other ones.
FRAME_INTROSPECTION = frozenset({"locals", "vars", "exec", "eval", "globals", "dir", "super", "breakpoint"})
# Builtins that consume a generator argument at once (so it cannot outlive the run).
CONSUMERS = frozenset({"any", "all", "sum", "min", "max", "sorted", "list", "tuple", "set", "frozenset", "dict"})

_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


@dataclass
class Flow:
    """Def/use facts of a run of statements, computed in execution order."""

    uses: dict[str, None] = field(default_factory=dict)  # read before any definite write (ordered)
    maybe: dict[str, None] = field(default_factory=dict)  # written on some path (ordered)
    must: set[str] = field(default_factory=set)  # written on every path that completes normally
    deleted: set[str] = field(default_factory=set)  # unbound by `del` or by the end of `except ... as`
    loads: dict[str, None] = field(default_factory=dict)  # every name read, lambdas included (ordered)
    awaits: bool = False


class FlowAnalyser:
    """A statement-level def/use analysis written for extraction, deliberately narrow."""

    def __init__(self, view_locals: set[str], hoisted: Mapping[cst.CSTNode, str], is_async: bool) -> None:
        self.view_locals = view_locals
        self.hoisted = hoisted
        self.is_async = is_async
        self.flow = Flow()
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
        if node in self.hoisted:
            self.read(self.hoisted[node])
            return
        if isinstance(node, cst.Name):
            if node.value not in shadow:
                self.read(node.value)
            return
        if isinstance(node, (cst.Attribute, cst.Arg)):
            self.expr(node.value, shadow)
            return
        self._refuse_unfollowed(node)
        if isinstance(node, cst.Call):
            self._call(node)
        if isinstance(node, cst.Lambda):
            self._closure(node.body, shadow, function_locals(node)[0])
            for param in all_params(node.params):
                self.expr(param.default, shadow)
            return
        if isinstance(node, _COMPREHENSIONS):
            self._comprehension(node, shadow)
            return
        for child in children_of(node):
            self.expr(child, shadow)

    def _refuse_unfollowed(self, node: cst.CSTNode) -> None:
        """Refuse the expressions a run cannot carry into another function; note an `await`."""
        if isinstance(node, cst.NamedExpr):
            raise Refused("the run uses an assignment expression (`:=`)", "walrus")
        if isinstance(node, cst.Yield):
            raise Refused("the run contains `yield`", "yield")
        if isinstance(node, cst.Await):
            if not self.is_async:
                raise Refused("the run contains `await`", "await")
            self.flow.awaits = True

    def _call(self, node: cst.Call) -> None:
        if not isinstance(node.func, cst.Name) or node.func.value in self.view_locals:
            return
        if node.func.value in FRAME_INTROSPECTION:
            raise Refused(
                f"the run calls `{node.func.value}()`, which depends on the frame it runs in", "frame-introspection"
            )
        if node.func.value in CONSUMERS and len(node.args) == 1:
            self.consumed.add(id(node.args[0].value))

    def _closure(self, body: cst.CSTNode, shadow: frozenset[str], bound: set[str]) -> None:
        """A lambda or lazy generator: it may run after the run, so it must capture no local."""
        inner = FlowAnalyser(set(), self.hoisted, self.is_async)
        inner.expr(body, shadow | frozenset(bound))
        captured = [n for n in inner.flow.loads if n in self.view_locals or n in self.flow.maybe]
        if captured:
            raise Refused(f"a lambda or generator in the run captures the local `{captured[0]}`", "closure-capture")
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
                raise Refused("the run contains an asynchronous comprehension", "async-comprehension")
            if current is not for_in:
                parts.append(current.iter)
            names = target_names(current.target)
            if not names or not isinstance(current.target, (cst.Name, cst.Tuple, cst.List)):
                raise Refused(f"a comprehension assigns to `{short_code(current.target)}`", "assignment-target")
            bound.update(names)
            parts.extend(if_.test for if_ in current.ifs)
            current = current.inner_for_in
        parts += [node.key, node.value] if isinstance(node, cst.DictComp) else [node.elt]
        inner = shadow | frozenset(bound)
        if isinstance(node, cst.GeneratorExp) and id(node) not in self.consumed:  # lazy
            group = cst.Tuple([cst.Element(p) for p in parts if isinstance(p, cst.BaseExpression)])
            self._closure(group, inner, set())
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
            self._if(node)
        elif isinstance(node, (cst.For, cst.While)):
            self._loop(node)
        elif isinstance(node, cst.With):
            self._with(node)
        elif isinstance(node, cst.Try):
            self._try(node)
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            raise Refused(f"the run defines `{node.name.value}`", "nested-definition")
        else:
            raise Refused(f"the run contains a `{type(node).__name__}` statement", "unsupported-statement")

    def _if(self, node: cst.If) -> None:
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

    def _loop(self, node: cst.For | cst.While) -> None:
        if isinstance(node, cst.For):
            if node.asynchronous is not None:
                raise Refused("the run contains `async for`", "async-for")
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

    def _with(self, node: cst.With) -> None:
        if node.asynchronous is not None:
            raise Refused("the run contains `async with`", "async-with")
        for item in node.items:
            self.expr(item.item)
            if item.asname is not None:
                self._assign_target(item.asname.name)
        self.suite(node.body)

    def _try(self, node: cst.Try) -> None:
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
            raise Refused(f"the run assigns to `{short_code(target)}`", "assignment-target")

    def small(self, node: cst.BaseSmallStatement) -> None:
        if isinstance(node, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
            self._assignment(node)
        elif isinstance(node, cst.Expr):
            self.expr(node.value)
        elif isinstance(node, cst.Pass):
            pass
        elif isinstance(node, cst.Raise):
            self.expr(node.exc)
            self.expr(node.cause)
        elif isinstance(node, cst.Assert):
            self.expr(node.test)
            self.expr(node.msg)
        elif isinstance(node, cst.Del):
            self._delete(node.target)
        elif isinstance(node, (cst.Import, cst.ImportFrom)):
            self._import(node)
        else:
            self._refuse_small(node)

    def _assignment(self, node: cst.Assign | cst.AugAssign | cst.AnnAssign) -> None:
        if isinstance(node, cst.Assign):
            self.expr(node.value)
            for target in node.targets:
                self._assign_target(target.target)
        elif isinstance(node, cst.AugAssign):
            # `x += a` reads x (LibCST records only the write).
            self.expr(node.target)
            self.expr(node.value)
            self._assign_target(node.target)
        else:
            # A local annotation is never evaluated, but its names must resolve in the services module.
            self.expr(node.annotation.annotation)
            if node.value is not None:
                self.expr(node.value)
                self._assign_target(node.target)

    def _import(self, node: cst.Import | cst.ImportFrom) -> None:
        if isinstance(node, cst.ImportFrom) and isinstance(node.names, cst.ImportStar):
            raise Refused("the run contains a star import", "star-import")
        assert not isinstance(node.names, cst.ImportStar)
        for alias in node.names:
            bound = import_bound(alias, isinstance(node, cst.ImportFrom))
            if bound:
                self.write(bound)

    def _refuse_small(self, node: cst.BaseSmallStatement) -> None:
        """Jumps out of the run and scope declarations; `break`/`continue` inside a loop of the run are fine."""
        if isinstance(node, (cst.Break, cst.Continue)):
            if self.loop_depth == 0:
                raise Refused(f"`{short_code(node)}` leaves the run", "leaves-run")
        elif isinstance(node, cst.Return):
            raise Refused("the run contains `return`", "return")
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            raise Refused(f"the run contains `{short_code(node)}`", "global")
        else:
            raise Refused(f"the run contains a `{type(node).__name__}` statement", "unsupported-statement")

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
