"""The edit type and its applier: nodes swapped by identity, nested edits composed, conflicts refused."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest
from libcst.codemod import CodemodContext

from flaskmod.codemods.core.edits import Edit, EditError, Edits
from flaskmod.codemods.core.syntax import iter_function_defs
from flaskmod.codemods.route_decorator_order import RouteDecoratorOrder

SOURCE = textwrap.dedent(
    """\
    import os  # the first import


    def outer(a,   b):
        x = compute( a )   # odd spacing is kept
        if x:
            return x
        return None

    def other():
        pass
    """
)


def _module() -> cst.Module:
    return cst.parse_module(SOURCE)


def _first(tree: cst.CSTNode, kind: type[cst.CSTNode]) -> cst.CSTNode:
    """The first node of ``kind`` in source order."""
    found: list[cst.CSTNode] = []

    class Finder(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            if isinstance(node, kind):
                found.append(node)
            return not found

    tree.visit(Finder())
    return found[0]


def _applied(tree: cst.Module, *edits: Edit) -> str:
    recorded = Edits()
    for edit in edits:
        recorded.add(edit)
    return recorded.apply(tree).code


def test_no_edit_returns_the_tree_itself() -> None:
    tree = _module()
    assert Edits().apply(tree) is tree


def test_untouched_code_stays_byte_identical() -> None:
    tree = _module()
    call = _first(tree, cst.Call)
    assert isinstance(call, cst.Call)
    result = _applied(tree, Edit(call.func, cst.Name("measure")))
    assert result == SOURCE.replace("compute( a )", "measure( a )")


def test_a_node_is_matched_by_identity_not_by_equal_code() -> None:
    tree = cst.parse_module("a = 1\nb = 1\n")
    assignment = tree.body[1].body[0]
    assert isinstance(assignment, cst.Assign)
    second_one = assignment.value
    assert _applied(tree, Edit(second_one, cst.Integer("2"))) == "a = 1\nb = 2\n"


def test_a_removal_drops_the_statement() -> None:
    tree = _module()
    other = list(iter_function_defs(tree))[1]
    # Its blank line goes with it.
    assert _applied(tree, Edit(other, cst.RemoveFromParent())) == SOURCE[: SOURCE.index("\ndef other")]


def test_a_flatten_sentinel_puts_several_statements_in_place_of_one() -> None:
    tree = _module()
    outer = next(iter_function_defs(tree))
    assert isinstance(outer.body, cst.IndentedBlock)
    last = outer.body.body[-1]  # return None
    flattened = cst.FlattenSentinel([cst.parse_statement("log(x)\n"), last])
    result = _applied(tree, Edit(last, flattened))
    assert "    log(x)\n    return None\n" in result
    assert result.count("return None") == 1


def test_a_callable_receives_the_node_with_the_nested_edits_applied() -> None:
    tree = _module()
    outer = next(iter_function_defs(tree))
    call = _first(tree, cst.Call)
    assert isinstance(call, cst.Call)
    seen: list[str] = []

    def renamed(updated: cst.FunctionDef) -> cst.FunctionDef:
        seen.append(tree.code_for_node(updated))
        return updated.with_changes(name=cst.Name("renamed"))

    result = _applied(tree, Edit(call.func, cst.Name("measure")), Edit(outer, renamed))
    assert "measure( a )" in seen[0]
    assert "def renamed(a,   b):\n    x = measure( a )   # odd spacing is kept\n" in result


def test_nested_edits_compose_with_an_edit_of_the_module() -> None:
    tree = _module()
    other = list(iter_function_defs(tree))[1]

    def with_footer(module: cst.Module) -> cst.Module:
        return module.with_changes(body=[*module.body, cst.parse_statement("FOOTER = 1\n")])

    result = _applied(tree, Edit(other, cst.RemoveFromParent()), Edit(tree, with_footer))
    assert result.endswith("        return x\n    return None\nFOOTER = 1\n")
    assert "def other" not in result


def test_a_node_replacement_takes_the_place_of_the_edits_below_it() -> None:
    tree = _module()
    outer = next(iter_function_defs(tree))
    call = _first(tree, cst.Call)
    assert isinstance(call, cst.Call)
    stub = cst.parse_statement("def outer():\n    pass\n")
    result = _applied(tree, Edit(call.func, cst.Name("measure")), Edit(outer, stub))
    assert "measure" not in result
    assert "def outer():\n    pass\n" in result


def test_two_edits_of_the_same_node_are_refused() -> None:
    tree = _module()
    other = list(iter_function_defs(tree))[1]
    edits = Edits()
    edits.add(Edit(other, cst.RemoveFromParent()))
    with pytest.raises(EditError, match="two edits of the same FunctionDef"):
        edits.add(Edit(other, cst.RemoveFromParent()))
    assert len(edits) == 1


def test_an_edit_of_a_node_outside_the_tree_is_refused() -> None:
    tree = _module()
    stranger = cst.parse_statement("pass\n")
    edits = Edits()
    edits.add(Edit(stranger, cst.RemoveFromParent()))
    with pytest.raises(EditError, match="not in the tree"):
        edits.apply(tree)


def test_statement_edits_reach_small_statements_in_one_line_suites_and_handlers() -> None:
    tree = cst.parse_module("try:\n    pass\nexcept E:\n    if x: return 1\n")
    small = _first(tree, cst.Return)
    assert _applied(tree, Edit(small, cst.parse_statement("raise Y\n").body[0])) == (
        "try:\n    pass\nexcept E:\n    if x: raise Y\n"
    )


def test_an_edit_applies_to_a_fragment_too() -> None:
    statement = cst.parse_statement("total = price * count\n")
    price = _first(statement, cst.BinaryOperation)
    assert isinstance(price, cst.BinaryOperation)
    edits = Edits()
    edits.add(Edit(price.left, cst.Name("cost")))
    assert cst.Module(body=[edits.apply(statement)]).code == "total = cost * count\n"


def test_the_codemod_applies_its_recorded_edits_after_transform_module_impl() -> None:
    tree = _module()
    codemod = RouteDecoratorOrder(CodemodContext(), source=SOURCE)
    other = list(iter_function_defs(tree))[1]

    def transform_module_impl(module: cst.Module) -> cst.Module:
        codemod.replace(other, cst.RemoveFromParent())
        return module

    codemod.transform_module_impl = transform_module_impl  # type: ignore[method-assign]
    codemod.should_transform = lambda module: True  # type: ignore[method-assign]
    assert "def other" not in codemod.transform_module(tree).code
