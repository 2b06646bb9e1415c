"""The one bindings module (what code binds and spells) and the one metadata module every codemod asks."""

from __future__ import annotations

import textwrap
from types import SimpleNamespace
from typing import cast

import libcst as cst
import pytest
from libcst.metadata import (
    FunctionScope,
    GlobalScope,
    MetadataWrapper,
    ParentNodeProvider,
    QualifiedNameProvider,
    QualifiedNameSource,
    ScopeProvider,
)

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.bindings import (
    all_params,
    assigned_call,
    bound_name_nodes,
    bound_outside_imports,
    calls_and_names,
    dotted_name,
    function_locals,
    import_bound,
    target_names,
    top_level_bindings,
    variable_nodes,
    variables,
)
from flaskmod.codemods.core.flask import collect_bindings
from flaskmod.codemods.core.metadata import Metadata, imported_spellings, imports_from, resolves_to_imports
from flaskmod.codemods.core.syntax import code_of, walk


def _module(code: str) -> cst.Module:
    return cst.parse_module(textwrap.dedent(code))


def _statement(code: str) -> cst.BaseStatement:
    return _module(code).body[0]


def _small(code: str) -> cst.BaseSmallStatement:
    statement = _statement(code)
    assert isinstance(statement, cst.SimpleStatementLine)
    return statement.body[0]


def _expression(code: str) -> cst.BaseExpression:
    return cst.parse_expression(code)


def _function(code: str) -> cst.FunctionDef:
    statement = _statement(code)
    assert isinstance(statement, cst.FunctionDef)
    return statement


class _NameFinder(cst.CSTVisitor):
    def __init__(self, value: str) -> None:
        self.value = value
        self.found: list[cst.Name] = []

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.value:
            self.found.append(node)


def _names(tree: cst.CSTNode, value: str) -> list[cst.Name]:
    """Every Name node spelled ``value``, in document order."""
    finder = _NameFinder(value)
    tree.visit(finder)
    return finder.found


# -- what code binds, from the syntax -------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [("a.b.c", "a.b.c"), ("a", "a"), ("a().b", None), ("a[0].b", None)],
)
def test_dotted_name(code: str, expected: str | None) -> None:
    assert dotted_name(_expression(code)) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("a = 1", ["a"]),
        ("a, (b, *c), [d] = x", ["a", "b", "c", "d"]),
        ("a.x, b[0] = x", []),
        ("*rest, = x", ["rest"]),
    ],
)
def test_target_names(code: str, expected: list[str]) -> None:
    small = _small(code)
    assert isinstance(small, cst.Assign)
    assert target_names(small.targets[0].target) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import a.b", ["a"]),
        ("import a.b as c", ["c"]),
        ("import os, json as j", ["os", "j"]),
        ("from x import y as z", ["z"]),
        ("from x import y", ["y"]),
        ("from .pkg import y, w as v", ["y", "v"]),
        ("from . import y", ["y"]),
    ],
)
def test_import_bound(code: str, expected: list[str]) -> None:
    small = _small(code)
    assert isinstance(small, (cst.Import, cst.ImportFrom))
    assert not isinstance(small.names, cst.ImportStar)
    is_from = isinstance(small, cst.ImportFrom)
    assert [import_bound(alias, is_from) for alias in small.names] == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("x = f()", ("x", "f()")),
        ("x: T = g(1)", ("x", "g(1)")),
        ("x: T", None),
        ("x = y = f()", None),
        ("x = 1", None),
        ("x.a = f()", None),
        ("x, y = f()", None),
        ("x += f()", None),
    ],
)
def test_assigned_call(code: str, expected: tuple[str, str] | None) -> None:
    found = assigned_call(_small(code))
    assert (None if found is None else (found[0], code_of(found[1]))) == expected


def test_all_params_include_star_args_and_keyword_only() -> None:
    function = _function("def f(a, /, b=1, *args, c, d=2, **kw): pass")
    assert [p.name.value for p in all_params(function.params)] == ["a", "b", "c", "d", "args", "kw"]
    bare_star = _function("def f(a, *, c): pass")
    assert [p.name.value for p in all_params(bare_star.params)] == ["a", "c"]


def test_function_locals_follow_every_plain_binding() -> None:
    function = _function(
        """
        def view(p, *args, k, **kw):
            a = 1
            b: int = 2
            c += 1
            for d, (e, *f) in rows:
                pass
            with open(x) as g, lock:
                pass
            try:
                pass
            except ValueError as h:
                pass
            import pkg.sub
            import other.mod as i
            from x import y as z, plain
            del j
            def inner(q):
                r = 1
            class K:
                s = 1
            obj.attr = 1
            items[0] = 1
            return [t for t in rows], lambda u: u
        """
    )
    names, problem = function_locals(function)
    assert problem is None
    assert names == {
        *("p", "args", "k", "kw", "a", "b", "c", "d", "e", "f", "g", "h", "pkg", "i", "z", "plain", "j"),
        *("inner", "K"),
    }


def test_function_locals_leave_out_comprehension_lambda_and_nested_scopes() -> None:
    names, _ = function_locals(_function("def f():\n    [t for t in x]\n    lambda u: (v := u)\n    def g(q): r = 1\n"))
    assert names == {"g"}


def test_a_lambda_binds_its_parameters_only() -> None:
    lambda_ = _expression("lambda a, *b, c=1, **d: (e := a)")
    assert isinstance(lambda_, cst.Lambda)
    assert function_locals(lambda_) == ({"a", "b", "c", "d"}, None)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("if (n := f()):\n        pass", "an assignment expression (`:=`)"),
        ("match x:\n        case [a, *rest]:\n            pass", "a `match` statement"),
        ("global counter\n    counter = 1", "`global counter`"),
        ("nonlocal total", "`nonlocal total`"),
        ("def inner():\n        nonlocal total", "a nested function declares `nonlocal total`"),
        ("from os import *", "a star import inside the function"),
        ("yield 1", "`yield` (the view is a generator)"),
    ],
)
def test_function_locals_name_what_they_do_not_follow(body: str, problem: str) -> None:
    names, found = function_locals(_function(f"def f():\n    {body}\n"))
    assert found == problem
    # What is not followed is not bound either: the caller refuses rather than guess.
    assert not names & {"n", "a", "rest"}


def test_except_star_names_are_not_followed() -> None:
    """A known gap, kept as it was: `except* E as e` binds `e`, but the collector does not see it."""
    names, problem = function_locals(
        _function("def f():\n    try:\n        pass\n    except* E as e:\n        x = e\n")
    )
    assert names == {"x"}
    assert problem is None


def test_top_level_bindings_look_into_blocks_but_not_into_functions() -> None:
    statement = _statement(
        """
        if DEBUG:
            import os.path
            level = 1
            def helper(arg):
                inner = arg
        else:
            from config import level as lvl
        """
    )
    assert top_level_bindings(statement) == {"os", "level", "helper", "lvl"}


def test_bound_outside_imports_skips_only_lines_of_imports() -> None:
    module = _module(
        """
        import os
        from flask import request
        import json; settings = {}
        def view():
            local = 1
        class Form:
            field = 1
        for row in rows:
            pass
        os = patched(os)
        """
    )
    assert bound_outside_imports(module) == {"json", "settings", "view", "Form", "row", "os"}


def test_variables_are_not_attribute_or_keyword_names() -> None:
    expression = _expression("f(a.b.c, key=d, *e, **g)[h].i")
    assert variables(expression) == {"f", "a", "d", "e", "g", "h"}
    assert [n.value for n in variable_nodes(expression)] == ["f", "a", "d", "e", "g", "h"]


def test_calls_and_names_list_calls_in_document_order() -> None:
    module = _module("outer(inner(x), key=y.z())\nlast()\nlogger.info(msg)\n")
    calls, names = calls_and_names(module)
    assert [code_of(call) for call in calls] == [
        "outer(inner(x), key=y.z())",
        "inner(x)",
        "y.z()",
        "last()",
        "logger.info(msg)",
    ]
    assert names == {"outer", "inner", "x", "y", "last", "logger", "msg"}


def test_bound_name_nodes_tell_bindings_from_reads() -> None:
    module = _module(
        """
        x = y
        a, *b = c
        n: int = m
        [i for i in z]
        if (w := v):
            pass
        import p.q as r
        from s import t
        with o as (u1, u2):
            pass
        for k in seq:
            pass
        try:
            pass
        except E as e:
            pass
        def fn():
            return x
        class Cls(Base):
            pass
        obj.attr = value
        """
    )
    bound = bound_name_nodes(module)
    bound_values = {n.value for n in walk(module) if isinstance(n, cst.Name) and id(n) in bound}
    assert bound_values == {
        *("x", "a", "b", "n", "i", "w", "p", "q", "r", "t", "u1", "u2", "k", "e", "fn", "Cls"),
    }
    read = {n.value for n in variable_nodes(module) if id(n) not in bound}
    # `s`, the module of a from-import, counts as a read: an over-approximation, which only costs skips.
    assert read == {"y", "c", "int", "m", "z", "v", "s", "o", "seq", "E", "Base", "obj", "value"} | {"x", "i"}
    # `x` is read in `fn` (and `i` in the comprehension), each its own Name node.
    assert [id(n) in bound for n in _names(module, "x")] == [True, False]


# -- import aliases in the Flask module's cheap resolver --------------------------------------------


def test_collect_bindings_resolves_import_aliases() -> None:
    module = _module(
        """
        import a.b
        import c.d as e
        from flask import Flask as F, request
        from .views import bp as blueprint
        from . import models
        def view(p, *rest):
            import inner.mod
        """
    )
    bindings = collect_bindings(module)
    assert bindings.imports == {
        "a": {"a"},
        "e": {"c.d"},
        "F": {"flask.Flask"},
        "request": {"flask.request"},
        "blueprint": {".views.bp"},
        "models": {".models"},
        "inner": {"inner"},
    }
    assert bindings.imports_flask
    assert bindings.module_scope.imports.keys() == {"a", "e", "F", "request", "blueprint", "models"}
    assert {"view", "p", "rest"} <= bindings.other_bindings
    assert bindings.resolve(_expression("a.b.c")) == {"a.b.c"}
    assert bindings.resolve(_expression("e.x")) == {"c.d.x"}


# -- one run's metadata ---------------------------------------------------------------------------


class _Run(cst.MetadataDependent):
    """Just enough of a codemod run for ``Metadata``: LibCST's own ``get_metadata`` and the wrapper."""

    METADATA_DEPENDENCIES = (QualifiedNameProvider, ScopeProvider, ParentNodeProvider)

    def __init__(self, code: str) -> None:
        super().__init__()
        wrapper = MetadataWrapper(_module(code))
        self.tree = wrapper.module
        self.context = SimpleNamespace(wrapper=wrapper)
        self.parents_of_tree = None  # the parent map ``Metadata.parent`` keeps on the codemod
        # What `MetadataDependent.resolve` sets for the length of a visit, kept for the test.
        self.metadata = wrapper.resolve_many(self.METADATA_DEPENDENCIES)

    def queries(self) -> Metadata:
        return Metadata(cast(Codemod, self))

    def name(self, value: str, index: int = 0) -> cst.Name:
        return _names(self.tree, value)[index]


def test_qualified_names_come_through_imports() -> None:
    run = _Run("import flask as f\nfrom werkzeug.exceptions import NotFound as NF\nlocal = 1\nf.request\nNF\nlocal\n")
    metadata = run.queries()
    attribute = next(n for n in walk(run.tree) if isinstance(n, cst.Attribute) and code_of(n) == "f.request")
    assert metadata.qualified(attribute) == {"flask.request"}
    assert metadata.qualified(run.name("NF", 1)) == {"werkzeug.exceptions.NotFound"}
    (local,) = metadata.qualified_names(run.name("local", 1))
    assert local.source is QualifiedNameSource.LOCAL
    assert metadata.qualified(cst.Name("unknown")) == set()  # a node not in the tree


def test_parent_scope_and_position() -> None:
    run = _Run("def f():\n    x = 1\n")
    metadata = run.queries()
    x = run.name("x")
    assert isinstance(metadata.parent(x), cst.AssignTarget)
    assert metadata.parent_or_none(run.tree) is None
    assert isinstance(metadata.scope(x), FunctionScope)
    assert isinstance(metadata.scope(run.tree.body[0]), GlobalScope)
    assert metadata.scope_or_none(cst.Name("elsewhere")) is None
    assert metadata.start(x) == (2, 4)
    assert metadata.position(x).end.column == 5


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("x = {}", "{}"),
        ("x: dict = dict()", "dict()"),
        ("x: int", None),
        ("for x in y: pass", None),
        ("x = y = 1", "1"),
    ],
)
def test_assigned_value(code: str, value: str | None) -> None:
    run = _Run(code)
    found = run.queries().assigned_value(run.name("x"))
    assert (None if found is None else code_of(found)) == value


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("d = {}\nd", True),
        ("d = {k: 1 for k in ks}\nd", True),
        ("d = {}\nd = make()\nd", False),
        ("def f(d):\n    d", False),
        ("d", False),
        ("for d in ds: pass\nd", False),
    ],
)
def test_is_dict(code: str, expected: bool) -> None:
    run = _Run(code)
    assert run.queries().is_dict(run.name("d", -1)) is expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("from flask import Flask\napp = Flask(__name__)\napp", True),
        ("import flask\napp = flask.Flask(__name__)\napp", True),
        ("from flask import Flask\napp = Flask(__name__)\napp = wrap(app)\napp", False),
        ("from other import Flask\napp = Flask(__name__)\napp", False),
        ("from flask import Flask\napp: Flask\napp", False),
    ],
)
def test_is_flask_app(code: str, expected: bool) -> None:
    run = _Run(code)
    assert run.queries().is_flask_app(run.name("app", -1)) is expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [("class E(Exception): pass\nE", True), ("E = make()\nE", False), ("class E: pass\nE = 1\nE", False)],
)
def test_is_class(code: str, expected: bool) -> None:
    run = _Run(code)
    assert run.queries().is_class(run.name("E", -1)) is expected


def test_inside_function() -> None:
    run = _Run("a\ndef f():\n    b\ng = lambda: c\nclass K:\n    d\n")
    metadata = run.queries()
    assert [metadata.inside_function(run.name(n)) for n in "abcd"] == [False, True, True, False]


def test_spellings_of_an_imported_name() -> None:
    run = _Run("from werkzeug import exceptions as wex\nfrom flask import abort as fail, jsonify\nabort = 1\n")
    scope = run.queries().scope(run.tree.body[0])
    assert imported_spellings(scope, "NotFound", frozenset({"werkzeug.exceptions.NotFound"})) == ["wex.NotFound"]
    assert imported_spellings(scope, "abort", frozenset({"flask.abort"})) == ["fail"]
    assert resolves_to_imports(scope, "fail", frozenset({"flask.abort"}))
    assert not resolves_to_imports(scope, "abort", frozenset({"flask.abort"}))  # a local now
    assert not resolves_to_imports(scope, "missing", frozenset({"flask.abort"}))
    assert imports_from(scope, "flask")
    assert imports_from(scope, "werkzeug")
    assert not imports_from(scope, "werkzeug.exceptions")


def test_a_name_imported_as_itself_is_no_other_spelling() -> None:
    run = _Run("from flask import abort\nimport werkzeug.exceptions\n")
    scope = run.queries().scope(run.tree.body[0])
    assert imported_spellings(scope, "abort", frozenset({"flask.abort"})) == []
    assert resolves_to_imports(scope, "abort", frozenset({"flask.abort"}))
    # `import werkzeug.exceptions` spells it in full.
    wanted = frozenset({"werkzeug.exceptions.NotFound"})
    assert imported_spellings(scope, "NotFound", wanted) == ["werkzeug.exceptions.NotFound"]
