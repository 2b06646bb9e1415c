"""Names that code binds or spells: assignment targets, imports, a function's locals, free variables."""

from __future__ import annotations

import libcst as cst

from flaskmod.codemods.core.flask import dotted_name
from flaskmod.codemods.core.syntax import short_code, walk


def target_names(target: cst.BaseExpression) -> list[str]:
    """Names a plain assignment target binds; attribute and subscript targets bind none."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for element in target.elements for n in target_names(element.value)]
    if isinstance(target, cst.StarredElement):
        return target_names(target.value)
    return []


def import_bound(alias: cst.ImportAlias, is_from: bool) -> str | None:
    """The name an import alias binds (`import a.b` binds `a`), or None when it cannot be told."""
    if alias.asname is not None:
        return alias.asname.name.value if isinstance(alias.asname.name, cst.Name) else None
    name = dotted_name(alias.name)
    if name is None:
        return None
    return name if is_from else name.split(".")[0]


class Bindings(cst.CSTVisitor):
    """Names a function body binds in its own scope; refuses constructs that bind in ways not followed here."""

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


def all_params(params: cst.Parameters) -> list[cst.Param]:
    """Every parameter, `*args` and `**kwargs` included."""
    out = [*params.posonly_params, *params.params, *params.kwonly_params]
    out += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
    return out


def function_locals(function: cst.FunctionDef | cst.Lambda) -> tuple[set[str], str | None]:
    """(the names a function binds, parameters included; the construct that binds in a way not followed)."""
    params = function.params
    names = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            names.add(star.name.value)
    collector = Bindings()
    if isinstance(function, cst.FunctionDef):
        function.body.visit(collector)
    return names | collector.names, collector.problem


def top_level_bindings(statement: cst.BaseStatement) -> set[str]:
    """Names one module-level statement binds."""
    collector = Bindings()
    statement.visit(collector)
    return collector.names


def variables(node: cst.CSTNode) -> set[str]:
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
