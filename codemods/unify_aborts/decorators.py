"""Project decorators that let a view's error response through untouched.

A JSON error return may become an abort only when nothing between the view and Flask
could see the exception or read the returned tuple. A project's own decorator is
harmless when its wrapper calls the view only as ``return view(...)``, reached through
``if`` statements alone (no ``try``, ``with`` or loop around it), and otherwise returns
its own early response or aborts before the view runs::

    def require_api_auth(f):
        @wraps(f)
        def wrapper(*args, **kwargs):
            if not token_valid():
                return jsonify({"error": "bad token"}), 401
            return f(*args, **kwargs)
        return wrapper

A factory (``@require_role("admin")``) whose body only defines and returns such a
decorator is harmless too. The definition is found where the view's module imports it
from (a project fact, scanned once per file version) or in the module itself; the
config can declare more (``transparent-decorators``).
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import libcst as cst
from libcst.metadata import QualifiedNameSource

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.flask import decorator_callee
from flaskmod.codemods.core.project import module_paths
from flaskmod.codemods.core.syntax import code_of
from flaskmod.codemods.unify_aborts.names import Names

# What one module defines: (name, "plain" | "factory") of each harmless decorator.
Harmless = frozenset[tuple[str, str]]


def harmless_decorators(text: str) -> Harmless:
    """The module's top-level functions that are harmless decorators, or factories of one."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return frozenset()
    bindings = Counter(name for statement in tree.body for name in _bound_names(statement))
    wraps_names = _wraps_spellings(tree)
    found = set()
    for statement in tree.body:
        if not isinstance(statement, ast.FunctionDef) or bindings[statement.name] != 1:
            continue
        if _is_plain_decorator(statement, wraps_names):
            found.add((statement.name, "plain"))
        elif _is_factory(statement, wraps_names):
            found.add((statement.name, "factory"))
    return frozenset(found)


def _bound_names(statement: ast.stmt) -> list[str]:
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [statement.name]
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in statement.names]
    return [n.id for n in ast.walk(statement) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]


def _wraps_spellings(tree: ast.Module) -> set[str]:
    """How the module spells ``functools.wraps``: ``wraps`` and/or ``functools.wraps``."""
    spellings = set()
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom) and statement.module == "functools" and not statement.level:
            spellings |= {a.asname or a.name for a in statement.names if a.name == "wraps"}
        elif isinstance(statement, ast.Import) and any(a.name == "functools" and not a.asname for a in statement.names):
            spellings.add("functools.wraps")
    return spellings


def _body_without_docstring(function: ast.FunctionDef) -> list[ast.stmt]:
    body = function.body
    first = body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return body[1:]
    return body


def _defines_and_returns(function: ast.FunctionDef) -> ast.FunctionDef | None:
    """The inner function when ``function``'s body is only ``def inner(...): ...`` and ``return inner``."""
    body = _body_without_docstring(function)
    if len(body) != 2:
        return None
    inner, last = body
    if not isinstance(inner, ast.FunctionDef) or not isinstance(last, ast.Return):
        return None
    if not isinstance(last.value, ast.Name) or last.value.id != inner.name:
        return None
    return inner


def _is_factory(function: ast.FunctionDef, wraps_names: set[str]) -> bool:
    inner = _defines_and_returns(function)
    return inner is not None and not inner.decorator_list and _is_plain_decorator(inner, wraps_names)


def _is_plain_decorator(function: ast.FunctionDef, wraps_names: set[str]) -> bool:
    """``def deco(view): @wraps(view) def wrapper(...): ...; return wrapper``, the wrapper passing the result on."""
    arguments = function.args
    if len(arguments.args) != 1 or arguments.posonlyargs or arguments.vararg or arguments.kwonlyargs:
        return False
    if arguments.kwarg or function.decorator_list:
        return False
    view = arguments.args[0].arg
    wrapper = _defines_and_returns(function)
    if wrapper is None or not all(_is_wraps_of(d, view, wraps_names) for d in wrapper.decorator_list):
        return False
    return _passes_result_on(wrapper, view)


def _is_wraps_of(decorator: ast.expr, view: str, wraps_names: set[str]) -> bool:
    return (
        isinstance(decorator, ast.Call)
        and ast.unparse(decorator.func) in wraps_names
        and len(decorator.args) == 1
        and not decorator.keywords
        and isinstance(decorator.args[0], ast.Name)
        and decorator.args[0].id == view
    )


def _passes_result_on(wrapper: ast.FunctionDef, view: str) -> bool:
    """Is ``view`` used only as the callee of ``return view(...)`` statements reached through ``if``\\ s alone?"""
    if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(wrapper)):
        return False
    allowed: set[int] = set()
    _collect_returned_calls(wrapper.body, view, allowed)
    uses = [n for s in wrapper.body for n in ast.walk(s) if isinstance(n, ast.Name) and n.id == view]
    return bool(allowed) and all(id(n) in allowed for n in uses)


def _collect_returned_calls(statements: Sequence[ast.stmt], view: str, allowed: set[int]) -> None:
    for statement in statements:
        if isinstance(statement, ast.If):
            _collect_returned_calls(statement.body, view, allowed)
            _collect_returned_calls(statement.orelse, view, allowed)
        elif (
            isinstance(statement, ast.Return)
            and isinstance(statement.value, ast.Call)
            and isinstance(statement.value.func, ast.Name)
            and statement.value.func.id == view
        ):
            allowed.add(id(statement.value.func))


class DecoratorCheck:
    """Is a view's decorator harmless to the JSON conversion: declared in the config, or proven by its definition?"""

    def __init__(self, codemod: Codemod, names: Names, tree: cst.Module) -> None:
        self.codemod = codemod
        self.names = names
        self.tree = tree
        self.declared = frozenset(codemod.options.get("transparent-decorators") or ())

    def is_harmless(self, decorator: cst.Decorator) -> bool:
        callee = decorator_callee(decorator)
        if self._is_declared(callee):
            return True
        shape = "factory" if isinstance(decorator.decorator, cst.Call) else "plain"
        for qualified in self.names.qualified_names(callee):
            if qualified.source is QualifiedNameSource.LOCAL and isinstance(callee, cst.Name):
                if (qualified.name, shape) in harmless_decorators(self.tree.code):
                    return True
            elif qualified.source is QualifiedNameSource.IMPORT and self._imported_is_harmless(qualified.name, shape):
                return True
        return False

    def _is_declared(self, callee: cst.BaseExpression) -> bool:
        spelled = code_of(callee)
        qualified = self.names.qualified(callee)
        return bool({spelled, spelled.rsplit(".", 1)[-1]} & self.declared or qualified & self.declared)

    def _imported_is_harmless(self, qualified: str, shape: str) -> bool:
        module, _, name = qualified.rpartition(".")
        if not module or not self.codemod.context.filename:
            return False
        importer = Path(self.codemod.context.filename).resolve()
        absolute = module.lstrip(".")  # `..utils.auth`: level 2, `utils.auth`
        for candidate in module_paths(importer, absolute, len(module) - len(absolute)):
            found = self.codemod.project.fact(candidate, harmless_decorators)
            if found is not None:
                return (name, shape) in found
        return False
