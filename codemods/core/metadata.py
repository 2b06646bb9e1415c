"""What LibCST's metadata says about the nodes of the module a codemod is transforming.

``Metadata`` answers a codemod's questions about an original node (what it is called
through its imports, where it sits, what a name is bound to) from the metadata the
codemod declares in ``METADATA_DEPENDENCIES``; the functions below answer questions
about a scope (how a name can be spelled there). What code binds, read from the syntax
alone, is :mod:`flaskmod.codemods.core.bindings`.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import (
    Assignment,
    CodeRange,
    PositionProvider,
    QualifiedName,
    QualifiedNameProvider,
    QualifiedNameSource,
    Scope,
    ScopeProvider,
)

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.flask import APP_FACTORIES
from flaskmod.codemods.core.syntax import children_of


class Metadata:
    """Metadata queries of one codemod run (valid only inside its ``transform_module``)."""

    def __init__(self, codemod: Codemod) -> None:
        self.codemod = codemod

    def qualified(self, node: cst.CSTNode) -> set[str]:
        """The qualified names of ``node``, as plain strings."""
        return {q.name for q in self.qualified_names(node)}

    def qualified_names(self, node: cst.CSTNode) -> set[QualifiedName]:
        """The qualified names of ``node`` with where each comes from (an import, a local binding...)."""
        return self.codemod.get_metadata(QualifiedNameProvider, node, set())

    def parent(self, node: cst.CSTNode) -> cst.CSTNode:
        """The node ``node`` is a child of; KeyError for the module or a node of another tree."""
        return self._parents()[id(node)]

    def parent_or_none(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self._parents().get(id(node))

    def _parents(self) -> dict[int, cst.CSTNode]:
        """Each node's parent, by the child's id, for the tree being transformed.

        One walk of the tree with `children_of`, kept on the codemod for its run: LibCST's
        `ParentNodeProvider` gives the same answers from a visitor over the whole tree, at
        several times the cost.
        """
        wrapper = self.codemod.context.wrapper
        assert wrapper is not None, "parents are only known inside transform_module()"
        module = wrapper.module
        known = self.codemod.parents_of_tree
        if known is None or known[0] is not module:
            parents: dict[int, cst.CSTNode] = {}
            stack: list[cst.CSTNode] = [module]
            while stack:
                node = stack.pop()
                for child in children_of(node):
                    parents[id(child)] = node
                    stack.append(child)
            known = self.codemod.parents_of_tree = (module, parents)
        return known[1]

    def scope(self, node: cst.CSTNode) -> Scope:
        return self.codemod.get_metadata(ScopeProvider, node)

    def scope_or_none(self, node: cst.CSTNode) -> Scope | None:
        return self.codemod.get_metadata(ScopeProvider, node, None)

    def position(self, node: cst.CSTNode) -> CodeRange:
        """Where an original node is; positions are resolved lazily, as the base class does."""
        wrapper = self.codemod.context.wrapper
        assert wrapper is not None, "positions are only known inside transform_module()"
        return wrapper.resolve(PositionProvider)[node]

    def start(self, node: cst.CSTNode) -> tuple[int, int]:
        """The line and column an original node starts at."""
        start = self.position(node).start
        return start.line, start.column

    def assigned_value(self, target: cst.Name) -> cst.BaseExpression | None:
        """The value of `target = value` or `target: T = value`; None for any other binding."""
        parent = self.parent(target)
        if isinstance(parent, cst.AnnAssign):
            return parent.value
        statement = self.parent_or_none(parent)
        if isinstance(parent, cst.AssignTarget) and isinstance(statement, cst.Assign):
            return statement.value
        return None

    def _assigned_values(self, name: cst.BaseExpression) -> list[cst.BaseExpression | None] | None:
        """The value of every binding of the name ``name`` in its scope; None unless each is `name = value`."""
        if not isinstance(name, cst.Name):
            return None
        scope = self.scope_or_none(name)
        if scope is None or not scope[name.value]:
            return None
        values = []
        for assignment in scope[name.value]:
            if not isinstance(assignment, Assignment) or not isinstance(assignment.node, cst.Name):
                return None
            values.append(self.assigned_value(assignment.node))
        return values

    def is_dict(self, value: cst.BaseExpression) -> bool:
        """A name bound only to dict displays in its scope."""
        values = self._assigned_values(value)
        return values is not None and all(isinstance(v, (cst.Dict, cst.DictComp)) for v in values)

    def is_flask_app(self, node: cst.BaseExpression) -> bool:
        """A name every binding of which is `Flask(...)` (resolved through imports)."""
        values = self._assigned_values(node)
        return values is not None and all(
            isinstance(v, cst.Call) and bool(self.qualified(v.func) & APP_FACTORIES) for v in values
        )

    def is_class(self, target: cst.BaseExpression) -> bool:
        """Is the local name ``target`` bound only by class definitions?"""
        scope = self.scope_or_none(target)
        if scope is None or not isinstance(target, cst.Name):
            return False
        assignments = scope[target.value]
        return bool(assignments) and all(
            isinstance(a, Assignment) and isinstance(a.node, cst.ClassDef) for a in assignments
        )

    def inside_function(self, node: cst.CSTNode) -> bool:
        current: cst.CSTNode | None = node
        while current is not None:
            if isinstance(current, (cst.FunctionDef, cst.Lambda)):
                return True
            current = self.parent_or_none(current)
        return False


# -- spelling a name in a scope ------------------------------------------------------------------


def imported_spellings(scope: Scope, name: str, acceptable: frozenset[str]) -> list[str]:
    """The module's imported names for one of ``acceptable``: ``wex.NotFound`` (a module), ``NF`` (an alias)."""
    found = []
    for assignment in scope.globals.assignments:
        for qualified in scope.globals.get_qualified_names_for(assignment.name):
            if qualified.source is not QualifiedNameSource.IMPORT:
                continue
            if f"{qualified.name}.{name}" in acceptable:
                found.append(f"{assignment.name}.{name}")
            elif qualified.name in acceptable and assignment.name != name:
                found.append(assignment.name)
    return found


def resolves_to_imports(scope: Scope, candidate: str, wanted: frozenset[str]) -> bool:
    """Does ``candidate`` name, at ``scope``, only imports of ``wanted``?"""
    names = scope.get_qualified_names_for(candidate)
    return bool(names) and all(q.source is QualifiedNameSource.IMPORT and q.name in wanted for q in names)


def imports_from(scope: Scope, module: str) -> bool:
    """Does the module already import names with ``from module import ...``?"""
    return any(
        isinstance(assignment, Assignment)
        and isinstance(assignment.node, cst.ImportFrom)
        and q.name.rsplit(".", 1)[0] == module
        for assignment in scope.globals.assignments
        for q in scope.globals.get_qualified_names_for(assignment.name)
    )
