"""Names at a site: what a name resolves to, and how to write ``abort`` or an exception class there."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import Assignment, QualifiedNameProvider, QualifiedNameSource, Scope, ScopeProvider

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.flask import FLASK_ABORT_FUNCTIONS, RESOURCE_BASE_CLASSES, HTTPErrorClass
from flaskmod.codemods.unify_aborts.model import HTTP_STATUS_VALUES, Plan


class Names:
    """Resolves names through the codemod's metadata; new spellings it picks add their import to the plan."""

    def __init__(self, codemod: Codemod, plan: Plan) -> None:
        self.codemod = codemod
        self.plan = plan

    def qualified(self, node: cst.CSTNode) -> set[str]:
        return {q.name for q in self.codemod.get_metadata(QualifiedNameProvider, node, set())}

    def scope(self, node: cst.CSTNode) -> Scope | None:
        return self.codemod.get_metadata(ScopeProvider, node, None)

    def status(self, node: cst.BaseExpression) -> int | None:
        """The HTTP status a literal (``404``, ``HTTPStatus.NOT_FOUND``) stands for."""
        if isinstance(node, cst.Integer):
            value = node.evaluated_value
            return value if isinstance(value, int) else None
        if isinstance(node, (cst.Name, cst.Attribute)):
            values = {HTTP_STATUS_VALUES[q] for q in self.qualified(node) if q in HTTP_STATUS_VALUES}
            return values.pop() if len(values) == 1 else None
        return None

    def is_resource(self, cls: cst.ClassDef) -> bool:
        """Is ``cls`` a class-based resource (flask-restful, flask-restx...)?"""
        return any(self.qualified(base.value) & RESOURCE_BASE_CLASSES for base in cls.bases)

    def is_class(self, target: cst.BaseExpression) -> bool:
        """Is the local name ``target`` bound only by class definitions?"""
        scope = self.scope(target)
        if scope is None or not isinstance(target, cst.Name):
            return False
        assignments = scope[target.value]
        return bool(assignments) and all(
            isinstance(a, Assignment) and isinstance(a.node, cst.ClassDef) for a in assignments
        )

    def abort_spelling(self, site: cst.CSTNode) -> str | None:
        return self.spelling(site, "flask", "abort", FLASK_ABORT_FUNCTIONS)

    def class_spelling(self, site: cst.CSTNode, error: HTTPErrorClass) -> str | None:
        return self.spelling(site, "werkzeug.exceptions", error.name)

    def spelling(self, site: cst.CSTNode, module: str, name: str, also: frozenset[str] = frozenset()) -> str | None:
        """How to write ``module.name`` at ``site``, or one of the equivalent names ``also``.

        In order: an existing name for ``module.name``; an existing bare ``name`` for one
        of ``also``; ``name``, imported from ``module`` (when free); an existing dotted
        name for one of ``also``. None (with a skip) when ``name`` is taken.
        """
        scope = self.scope(site)
        if scope is None:
            return None
        preferred = frozenset({f"{module}.{name}"})
        acceptable = preferred | also
        candidates = [name, *_existing_spellings(scope, name, acceptable)]
        free = name not in scope and name not in scope.globals
        # Where the module already imports names from ``module``, a new name joins them.
        joins_imports = free and _imports_from(scope, module)
        for candidate in candidates:
            if _resolves(scope, candidate, preferred) and ("." not in candidate or not joins_imports):
                return candidate
        if _resolves(scope, name, acceptable):
            return name
        if free:
            self.plan.imports.add((module, name))
            return name
        for candidate in candidates:
            if _resolves(scope, candidate, acceptable):
                return candidate
        self.codemod.add_skip(site, f"`{name}` already names something else in this module", "name-taken")
        return None


def _existing_spellings(scope: Scope, name: str, acceptable: frozenset[str]) -> list[str]:
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


def _resolves(scope: Scope, candidate: str, wanted: frozenset[str]) -> bool:
    """Does ``candidate`` name, at ``scope``, only imports of ``wanted``?"""
    names = scope.get_qualified_names_for(candidate)
    return bool(names) and all(q.source is QualifiedNameSource.IMPORT and q.name in wanted for q in names)


def _imports_from(scope: Scope, module: str) -> bool:
    """Does the module already import names with ``from module import ...``?"""
    return any(
        isinstance(assignment, Assignment)
        and isinstance(assignment.node, cst.ImportFrom)
        and q.name.rsplit(".", 1)[0] == module
        for assignment in scope.globals.assignments
        for q in scope.globals.get_qualified_names_for(assignment.name)
    )
