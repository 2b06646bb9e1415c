"""The one statement walker every codemod uses finds every function, wherever it is defined."""

from __future__ import annotations

import textwrap

import libcst as cst

from flaskmod.codemods.core.syntax import (
    code_of,
    count_statements,
    iter_function_defs,
    iter_functions_with_outer,
    short_code,
    walk,
)

NESTED = textwrap.dedent(
    """
    def top():
        pass

    match command:
        case "a":
            def under_match():
                pass

    try:
        pass
    except* ValueError:
        def under_except_star():
            pass

    if DEBUG:
        def under_if():
            pass
    else:
        def under_else():
            pass

    class Views:
        def method(self):
            def inner():
                pass
    """
)


def test_every_function_is_found_in_source_order() -> None:
    names = [f.name.value for f in iter_function_defs(cst.parse_module(NESTED))]
    assert names == ["top", "under_match", "under_except_star", "under_if", "under_else", "method", "inner"]


def test_each_function_comes_with_what_it_is_nested_in() -> None:
    found = {
        f.name.value: [o.name.value for o in outer] for f, outer in iter_functions_with_outer(cst.parse_module(NESTED))
    }
    assert found["inner"] == ["Views", "method"]
    assert found["under_match"] == []


def test_walkers_and_helpers() -> None:
    module = cst.parse_module("x = f(1)\nif x:\n    a = 1; b = 2\n")
    assert count_statements(module) == 4  # x = ..., if, a = 1, b = 2
    assert any(isinstance(n, cst.Integer) for n in walk(module))  # expressions too
    assert code_of(module.body[0]) == "x = f(1)\n"
    assert short_code(cst.parse_expression("f(" + "a, " * 40 + ")"), 20) == "f(a, a, a, a, a, ..."
