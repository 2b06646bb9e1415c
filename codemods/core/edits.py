"""One edit type: a codemod records which node is replaced by what; the base class applies them all.

Fixit's model (``LintRule.report(node, replacement=...)``): a codemod reads the original
tree and records an :class:`Edit` per change (``Codemod.replace``); after the codemod's
``transform_module_impl``, :meth:`Edits.apply` swaps every original node for its
replacement in one LibCST pass, matching nodes by identity.

A replacement is a node, ``cst.RemoveFromParent()``, a ``cst.FlattenSentinel`` of
statements, or a callable that receives the *updated* node, in which the edits below it
are already applied: an edit that must keep those (adding a statement to a module whose
functions other edits change) is a callable. A node given as the replacement is taken
as it is, so edits below the original node are dropped with it, as in Fixit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import libcst as cst

from flaskmod.codemods.core.syntax import short_code

# What takes an original node's place in the tree.
Replacement = cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[Any]
# A replacement computed from the updated node (the original with the edits below it applied).
Rewrite = Callable[[Any], Replacement]

NodeT = TypeVar("NodeT", bound=cst.CSTNode)

# Nodes that hold statements: when every edited node is a statement (or a block, or the
# module), the applier enters only these, never expressions; a statement or small statement
# always sits directly in one of them.
_STATEMENT_CONTAINERS = (
    cst.Module,
    cst.IndentedBlock,
    cst.SimpleStatementLine,
    cst.SimpleStatementSuite,
    cst.BaseCompoundStatement,  # functions, classes, if, loops, with, try, try/except*, match
    cst.Else,
    cst.ExceptHandler,
    cst.ExceptStarHandler,
    cst.Finally,
    cst.MatchCase,
)
_STATEMENT_LEVEL = (cst.Module, cst.BaseStatement, cst.BaseSmallStatement, cst.BaseSuite)


class EditError(ValueError):
    """Edits that cannot be applied: two of the same node, or one of a node not in the tree."""


@dataclass(frozen=True, eq=False)
class Edit:
    """``node`` (a node of the original tree) is replaced by ``replacement``."""

    node: cst.CSTNode
    replacement: Replacement | Rewrite

    def applied_to(self, updated: cst.CSTNode) -> Replacement:
        """What takes the node's place, given the node with the edits below it applied."""
        if isinstance(self.replacement, (cst.CSTNode, cst.RemovalSentinel, cst.FlattenSentinel)):
            return self.replacement
        return self.replacement(updated)


class Edits:
    """The edits recorded for one tree, at most one per original node."""

    def __init__(self) -> None:
        self._by_node: dict[cst.CSTNode, Edit] = {}

    def add(self, edit: Edit) -> None:
        """Record ``edit``; a second edit of the same node is refused (:class:`EditError`)."""
        if edit.node in self._by_node:
            raise EditError(f"two edits of the same {type(edit.node).__name__}: `{short_code(edit.node)}`")
        self._by_node[edit.node] = edit

    def __len__(self) -> int:
        return len(self._by_node)

    def __iter__(self) -> Iterator[Edit]:
        return iter(self._by_node.values())

    def apply(self, tree: NodeT) -> NodeT:
        """``tree`` with every edit applied (``tree`` itself when there is none).

        Raises :class:`EditError` when an edited node is not in ``tree``, or the root's own
        edit does not give a node of the same kind.
        """
        if not self._by_node:
            return tree
        statements_only = all(isinstance(node, _STATEMENT_LEVEL) for node in self._by_node)
        applier = _Applier(self._by_node, statements_only)
        result = tree.visit(applier)
        missing = [edit.node for edit in self if edit.node not in applier.applied]
        if missing:
            raise EditError(f"{len(missing)} edited node(s) not in the tree, the first `{short_code(missing[0])}`")
        if not isinstance(result, type(tree)):
            raise EditError(f"the edit of the root {type(tree).__name__} gave {type(result).__name__}")
        return result


class _Applier(cst.CSTTransformer):
    """Swaps each edited node for its replacement, innermost first, so nested edits compose."""

    def __init__(self, edits: Mapping[cst.CSTNode, Edit], statements_only: bool) -> None:
        super().__init__()
        self.edits = edits
        self.statements_only = statements_only
        self.applied: set[cst.CSTNode] = set()

    def on_visit(self, node: cst.CSTNode) -> bool:
        # LibCST still calls on_leave for a node whose children it does not enter.
        return not self.statements_only or isinstance(node, _STATEMENT_CONTAINERS)

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> Replacement:
        edit = self.edits.get(original_node)
        if edit is None:
            return updated_node
        self.applied.add(original_node)
        return edit.applied_to(updated_node)
