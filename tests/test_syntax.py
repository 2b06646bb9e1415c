"""The one statement walker every codemod uses finds every function, wherever it is defined."""

from __future__ import annotations

import textwrap

import libcst as cst

from flaskmod.codemods.core.syntax import (
    children_of,
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


# Most of Python's grammar in one module: every node type here must list its children as LibCST does.
EVERY_KIND_OF_NODE = textwrap.dedent(
    '''
    """Docstring."""
    from __future__ import annotations
    import os.path as osp, sys
    from . import sibling
    from ..pkg.mod import (a as b, c,)
    x: int = 1; y = z = [1, *rest]; x += 2; x //= 3
    t = (1,) + (a, b)[0:2:1] + {1: 2, **other} | {3, 4} - {k: v for k, v in items if k}
    s = f"{x!r:>{width}} and {y=}" "concatenated" r"raw"; bs = b"bytes"
    lam = lambda p, /, q=1, *args, r, s=2, **kw: (p if q else -r) ** 2
    gen = [i async for i in aiter() if await i] + list(j for j in range(3))
    cond = not a and b or c < d <= e != f is not g in h not in i
    value = a @ b @ c << 1 >> 2 & 3 ^ 4 | ~5 % 6
    del x, y[0], z.attr
    assert cond, "message"
    global_name = (yield_ := walrus) if (walrus := 1) else ...
    @decorator
    @other.decorator(arg, *args, key=value, **kwargs)
    async def function(a: int, b: "str" = "x", *, c, **d) -> list[int]:
        global g
        nonlocal_ = None
        async with open(a) as f, lock:
            async for item in f:
                await item
                continue
            else:
                pass
        while True:
            break
        else:
            return [await x async for x in y]
        try:
            raise ValueError("x") from None
        except (TypeError, ValueError) as error:
            print(error, sep="", end="")
        except Exception:
            pass
        else:
            pass
        finally:
            yield from gen()
    class Klass(Base, metaclass=Meta):
        attr: ClassVar[int]
        def method(self):
            def inner():
                nonlocal self
            return super().method()
    try:
        pass
    except* OSError:
        pass
    match command.split():
        case [Point(x=0, y=0) as p, *others] if p:
            pass
        case {"key": 1 | 2, **rest}:
            pass
        case ("a" | "b", None, True, -1, 1 + 2j):
            pass
        case _:
            pass
    type Alias[T] = list[T]
    def generic[T: int, *Ts, **P](x: T) -> T:
        return x
    if a:
        pass
    elif b:
        pass
    else:
        pass
    with a, b as (c, d):
        print(*[1], **{})
    '''
)


def test_children_of_lists_every_node_s_children_in_libcst_s_order() -> None:
    module = cst.parse_module(EVERY_KIND_OF_NODE)
    stack: list[cst.CSTNode] = [module]
    kinds: set[str] = set()
    while stack:
        node = stack.pop()
        kinds.add(type(node).__name__)
        expected = list(node.children)
        assert [id(c) for c in children_of(node)] == [id(c) for c in expected], type(node).__name__
        stack.extend(expected)
    # The module really covers the grammar: statements, expressions, patterns, type parameters.
    assert {"MatchClass", "MatchMapping", "TypeAlias", "TypeVarTuple", "ParamSpec", "NamedExpr"} <= kinds
    assert {"For", "Try", "TryStar", "Lambda", "FormattedString", "Await", "Decorator", "Global"} <= kinds
