"""What LibCST's metadata says about the nodes of the module being transformed.

``Bindings`` answers the codemod's questions about a node (what it is called through
its imports, where it sits, what a name is bound to) from the metadata the codemod
declares in ``METADATA_DEPENDENCIES``; ``calls_and_names`` is the one walk over the
module that lists its calls and the names it spells.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import (
    Assignment,
    CodeRange,
    ParentNodeProvider,
    PositionProvider,
    QualifiedName,
    QualifiedNameProvider,
    Scope,
    ScopeProvider,
)

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.flask import APP_FACTORIES


class Bindings:
    """Metadata queries of one codemod run (valid only inside its ``transform_module``)."""

    def __init__(self, codemod: Codemod) -> None:
        self.codemod = codemod

    def qualified(self, node: cst.CSTNode) -> set[str]:
        return {q.name for q in self.qualified_names(node)}

    def qualified_names(self, node: cst.CSTNode) -> set[QualifiedName]:
        """The qualified names of ``node`` with where each comes from (an import, a local binding...)."""
        return self.codemod.get_metadata(QualifiedNameProvider, node, set())

    def parent(self, node: cst.CSTNode) -> cst.CSTNode:
        return self.codemod.get_metadata(ParentNodeProvider, node)

    def parent_or_none(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.codemod.get_metadata(ParentNodeProvider, node, None)

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

    def is_dict(self, value: cst.BaseExpression) -> bool:
        """A name bound only to dict displays in its scope."""
        if not isinstance(value, cst.Name):
            return False
        scope = self.scope_or_none(value)
        if scope is None or not scope[value.value]:
            return False
        for assignment in scope[value.value]:
            if not isinstance(assignment, Assignment) or not isinstance(assignment.node, cst.Name):
                return False
            if not isinstance(self.assigned_value(assignment.node), (cst.Dict, cst.DictComp)):
                return False
        return True

    def is_flask_app(self, node: cst.BaseExpression) -> bool:
        """A name every binding of which is `Flask(...)` (resolved through imports)."""
        if not isinstance(node, cst.Name):
            return False
        scope = self.scope_or_none(node)
        if scope is None:
            return False
        assignments = scope[node.value]
        if not assignments:
            return False
        for assignment in assignments:
            if not isinstance(assignment, Assignment) or not isinstance(assignment.node, cst.Name):
                return False
            value = self.assigned_value(assignment.node)
            if not (isinstance(value, cst.Call) and self.qualified(value.func) & APP_FACTORIES):
                return False
        return True

    def inside_function(self, node: cst.CSTNode) -> bool:
        current: cst.CSTNode | None = node
        while current is not None:
            if isinstance(current, (cst.FunctionDef, cst.Lambda)):
                return True
            current = self.parent_or_none(current)
        return False


class _CallAndNameCollector(cst.CSTVisitor):
    """Every call, in document order, and the names that are bound or read (not attribute or keyword names)."""

    def __init__(self) -> None:
        self.calls: list[cst.Call] = []
        self.names: set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False


def calls_and_names(tree: cst.Module) -> tuple[list[cst.Call], set[str]]:
    """Every call, and every name spelled in the module (a new module-level name must be none of them)."""
    collector = _CallAndNameCollector()
    tree.visit(collector)
    return collector.calls, collector.names
