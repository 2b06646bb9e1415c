"""What code binds and what it spells, read from the syntax alone (no metadata, no parse of other files).

Every codemod asks these questions the same way: the names an assignment target, an
import alias or a function binds; the names a piece of code spells as variables; the
Name nodes that are bound rather than read. Questions about one run's metadata (qualified
names, scopes, parents, positions) are answered by :mod:`flaskmod.codemods.core.metadata`.
"""

from __future__ import annotations

import libcst as cst

from flaskmod.codemods.core.syntax import short_code, walk


def dotted_name(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


# -- targets, imports, parameters ---------------------------------------------------------------


def target_name_nodes(target: cst.BaseExpression) -> list[cst.Name]:
    """The Name nodes a plain assignment target binds, through tuples, lists and starred elements."""
    if isinstance(target, cst.Name):
        return [target]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for element in target.elements for n in target_name_nodes(element.value)]
    if isinstance(target, cst.StarredElement):
        return target_name_nodes(target.value)
    return []  # attribute and subscript targets bind no name


def target_names(target: cst.BaseExpression) -> list[str]:
    """Names a plain assignment target binds; attribute and subscript targets bind none."""
    return [name.value for name in target_name_nodes(target)]


def import_bound(alias: cst.ImportAlias, is_from: bool) -> str | None:
    """The name an import alias binds (`import a.b` binds `a`), or None when it cannot be told."""
    if alias.asname is not None:
        return alias.asname.name.value if isinstance(alias.asname.name, cst.Name) else None
    name = dotted_name(alias.name)
    if name is None:
        return None
    return name if is_from else name.split(".")[0]


def assigned_call(small: cst.BaseSmallStatement) -> tuple[str, cst.Call] | None:
    """`name = call(...)` or `name: T = call(...)`: the name and the call."""
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target: cst.BaseExpression = small.targets[0].target
    elif isinstance(small, cst.AnnAssign):
        target = small.target
    else:
        return None
    if not (isinstance(target, cst.Name) and isinstance(small.value, cst.Call)):
        return None
    return target.value, small.value


def all_params(params: cst.Parameters) -> list[cst.Param]:
    """Every parameter, `*args` and `**kwargs` included."""
    out = [*params.posonly_params, *params.params, *params.kwonly_params]
    out += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
    return out


# -- the names a scope binds ----------------------------------------------------------------------


class BindingCollector(cst.CSTVisitor):
    """Names code binds in its own scope; ``problem`` names a construct that binds in a way not followed here.

    Nested functions and classes bind their own name (their bodies are another scope);
    comprehension targets and lambda parameters live in their own scope. Not followed,
    so reported in ``problem`` (the last one seen) and not bound: `match` patterns,
    `:=`, `global`/`nonlocal`, star imports and `yield`. An `except*` handler's name is
    not bound either, and not reported (kept as it was; a known gap).
    """

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.problem: str | None = None

    def _bind(self, target: cst.BaseExpression) -> None:
        self.names.update(target_names(target))

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
            bound = import_bound(alias, False)
            if bound:
                self.names.add(bound)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            self.problem = "a star import inside the function"
            return
        for alias in node.names:
            bound = import_bound(alias, True)
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


def function_locals(function: cst.FunctionDef | cst.Lambda) -> tuple[set[str], str | None]:
    """(the names a function binds, parameters included; the construct that binds in a way not followed)."""
    names = {param.name.value for param in all_params(function.params)}
    collector = BindingCollector()
    if isinstance(function, cst.FunctionDef):
        function.body.visit(collector)
    return names | collector.names, collector.problem


def top_level_bindings(statement: cst.BaseStatement) -> set[str]:
    """Names one module-level statement binds."""
    collector = BindingCollector()
    statement.visit(collector)
    return collector.names


def bound_outside_imports(module: cst.Module) -> set[str]:
    """Names the module's top level binds by anything but a line of imports only."""
    names: set[str] = set()
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine) and all(
            isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body
        ):
            continue
        names |= top_level_bindings(statement)
    return names


# -- names spelled, names bound -------------------------------------------------------------------


class _SpelledNames(cst.CSTVisitor):
    """Every call, in document order, and every Name spelled as a variable (not an attribute or keyword name)."""

    def __init__(self) -> None:
        self.calls: list[cst.Call] = []
        self.variables: list[cst.Name] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)

    def visit_Name(self, node: cst.Name) -> None:
        self.variables.append(node)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False


def _spelled(node: cst.CSTNode) -> _SpelledNames:
    collector = _SpelledNames()
    node.visit(collector)
    return collector


def variable_nodes(node: cst.CSTNode) -> list[cst.Name]:
    """The Name nodes under ``node`` spelled as variables, bound or read (not attribute or keyword names)."""
    return _spelled(node).variables


def variables(node: cst.CSTNode) -> set[str]:
    """Names spelled as variables under ``node`` (not attribute names or keyword arguments)."""
    return {name.value for name in variable_nodes(node)}


def calls_and_names(tree: cst.Module) -> tuple[list[cst.Call], set[str]]:
    """Every call, and every name spelled in the module (a new module-level name must be none of them)."""
    spelled = _spelled(tree)
    return spelled.calls, {name.value for name in spelled.variables}


def bound_name_nodes(node: cst.CSTNode) -> set[int]:
    """The ids of the Name nodes under ``node`` that are bound, not read, in any scope below it.

    Assignment, `for`, comprehension and `:=` targets, `as` names, def and class names and
    every name of an import alias.
    """
    bound: set[int] = set()
    for current in walk(node):
        targets: list[cst.BaseExpression] = []
        if isinstance(current, (cst.AssignTarget, cst.AnnAssign, cst.For, cst.CompFor, cst.NamedExpr)):
            targets = [current.target]
        elif isinstance(current, (cst.AsName, cst.FunctionDef, cst.ClassDef)):
            targets = [current.name]
        elif isinstance(current, cst.ImportAlias):
            bound |= {id(n) for n in walk(current) if isinstance(n, cst.Name)}
        for target in targets:
            bound |= {id(name) for name in target_name_nodes(target)}
    return bound


# Calls that see every local of the frame by name: code holding one has no dead or movable local.
READS_EVERY_LOCAL: frozenset[str] = frozenset({"locals", "vars", "eval", "exec", "dir"})


def reads_every_local(node: cst.CSTNode) -> bool:
    """Does ``node`` (or code below it) call ``locals()``, ``vars()``, ``eval``, ``exec`` or ``dir()``?"""
    return any(
        isinstance(n, cst.Call) and isinstance(n.func, cst.Name) and n.func.value in READS_EVERY_LOCAL
        for n in walk(node)
    )
