"""Module-level names of the views module that go with a service instead of being passed in.

A logger's definition is copied (``getLogger`` with a literal name returns the very same
logger in the services module; with ``__name__`` it is named after the services module).
A private helper that only the run uses moves. Every other name is passed in.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from dataclasses import dataclass

import libcst as cst

from flaskmod.codemods.core.bindings import function_locals, top_level_bindings, variables
from flaskmod.codemods.core.flask import LOGGER_FACTORIES
from flaskmod.codemods.core.refusal import Refused
from flaskmod.codemods.core.syntax import walk
from flaskmod.codemods.extract_services.modules import ImportOf, Modules, is_http_layer
from flaskmod.codemods.extract_services.runs import QualifiedNames, Run

BUILTINS = frozenset(dir(builtins))


@dataclass(frozen=True)
class MovedHelper:
    """A private helper of the views module that only the run uses: it moves with the service."""

    name: str
    code: str
    imports: tuple[ImportOf, ...]


@dataclass(frozen=True)
class MovedHelpers:
    """Shared with the project-wide pass: private helpers that left the views module ``module``."""

    line: int
    names: tuple[str, ...]
    module: str  # the views module's name, as other modules spell it after a dot


def _logger_name_arg(arg: cst.Arg) -> bool:
    """A logger name that means the same in any module: a string literal, or `__name__`."""
    if arg.keyword is not None or arg.star:
        return False
    value = arg.value
    return isinstance(value, cst.SimpleString) or (isinstance(value, cst.Name) and value.value == "__name__")


def copyable_logger(modules: Modules, qualified: QualifiedNames, name: str) -> tuple[str, list[ImportOf]] | None:
    """``name = logging.getLogger(...)`` (or structlog's) at module level, bound nowhere else: its copy."""
    bindings = [s for s in modules.tree.body if name in top_level_bindings(s)]
    if len(bindings) != 1 or not isinstance(bindings[0], cst.SimpleStatementLine):
        return None
    assign = bindings[0].body[0]
    if len(bindings[0].body) != 1 or not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
        return None
    call = assign.value
    if not isinstance(call, cst.Call) or not all(_logger_name_arg(a) for a in call.args):
        return None
    if not qualified(call.func) & LOGGER_FACTORIES:
        return None
    imports = _copyable_imports(modules, variables(call.func), refuse_http=False)
    if imports is None:
        return None
    definition = modules.tree.code_for_node(bindings[0].with_changes(leading_lines=[])).strip("\n")
    existing = modules.target_facts.imports.get(name) or name in modules.target_facts.defined
    if existing and definition not in modules.target_text:
        return None  # the services module binds the name to something else
    return definition, imports


def _copyable_imports(modules: Modules, free: Iterable[str], *, refuse_http: bool) -> list[ImportOf] | None:
    """The imports of ``free`` names the services module can copy, or None if one cannot be copied."""
    imports: list[ImportOf] = []
    for name in free:
        if name not in modules.facts.imports:
            return None  # another module-level name of the views module, or unknown
        if refuse_http and any(is_http_layer(i) for i in modules.facts.imports[name]):
            return None
        try:
            imports.extend(modules.import_for(name))
        except Refused:
            return None
    return imports


def movable_helper(modules: Modules, name: str, run: Run) -> MovedHelper | None:
    """The private module-level helper ``name`` if it can move with the run's service, else None.

    It moves when it is a plain `def` (no decorator) spelled `_name` (private, so no
    other module should import it), nothing in the views module but the run names
    it, and everything it uses besides its own locals is a builtin or an import the
    services module can copy, none from Flask or werkzeug (HTTP work stays in views).
    """
    helper = _private_helper(modules, name, run)
    if helper is None:
        return None
    helper_locals, problem = function_locals(helper)
    if problem:
        return None
    facts = modules.facts
    free = [
        n
        for n in sorted(variables(helper) - helper_locals - {name})
        if not (n in BUILTINS and n not in facts.defined and n not in facts.imports)
    ]
    imports = _copyable_imports(modules, free, refuse_http=True)
    if imports is None:
        return None
    blank_free = list(helper.leading_lines)
    while blank_free and blank_free[0].comment is None:
        blank_free.pop(0)
    code = modules.tree.code_for_node(helper.with_changes(leading_lines=blank_free))
    return MovedHelper(name, code, tuple(imports))


def _private_helper(modules: Modules, name: str, run: Run) -> cst.FunctionDef | None:
    """The one undecorated module-level `def _name` that only ``run`` (or itself) names anywhere."""
    if not name.startswith("_") or name.startswith("__"):
        return None
    definitions = [
        s for s in modules.tree.body if isinstance(s, cst.FunctionDef) and s.name.value == name and not s.decorators
    ]
    if len(definitions) != 1:
        return None
    helper = definitions[0]
    inside = {id(n) for s in (*run.statements, helper) for n in walk(s)}
    if any(id(n) not in inside for n in modules.name_nodes.get(name, ())) or name in modules.strings:
        return None
    if name in modules.target_facts.identifiers:
        return None
    return helper
