"""Names at a site: what a name resolves to, and how to write ``abort`` or an exception class there."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import QualifiedNameSource

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.flask import FLASK_ABORT_FUNCTIONS, RESOURCE_BASE_CLASSES, HTTPErrorClass
from flaskmod.codemods.core.metadata import Metadata, imported_spellings, imports_from, resolves_to_imports
from flaskmod.codemods.unify_aborts.model import HTTP_STATUS_VALUES, Plan


class Names(Metadata):
    """The codemod's metadata queries, plus HTTP statuses and spellings; a new spelling adds its import to the plan."""

    def __init__(self, codemod: Codemod, plan: Plan) -> None:
        super().__init__(codemod)
        self.plan = plan

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

    def http_framework_origin(self, node: cst.BaseExpression) -> str | None:
        """Where a name comes from when that is Flask, werkzeug or a Flask extension: ``flask_restx.abort``
        imported, or ``flask_restx.Namespace`` for ``ns`` in ``ns = Namespace(...)``; None otherwise."""
        imported = sorted(q.name for q in self.qualified_names(node) if q.source is QualifiedNameSource.IMPORT)
        if imported:
            return imported[0] if _is_http_framework(imported[0]) else None
        values = self._assigned_values(node) or [None]
        factories = {
            q for v in values if isinstance(v, cst.Call) for q in self.qualified(v.func) if _is_http_framework(q)
        }
        return sorted(factories)[0] if len(factories) == 1 and None not in values else None

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
        scope = self.scope_or_none(site)
        if scope is None:
            return None
        preferred = frozenset({f"{module}.{name}"})
        acceptable = preferred | also
        candidates = [name, *imported_spellings(scope, name, acceptable)]
        free = name not in scope and name not in scope.globals
        # Where the module already imports names from ``module``, a new name joins them.
        joins_imports = free and imports_from(scope, module)
        for candidate in candidates:
            if resolves_to_imports(scope, candidate, preferred) and ("." not in candidate or not joins_imports):
                return candidate
        if resolves_to_imports(scope, name, acceptable):
            return name
        if free:
            self.plan.imports.add((module, name))
            return name
        for candidate in candidates:
            if resolves_to_imports(scope, candidate, acceptable):
                return candidate
        self.codemod.add_skip(site, f"`{name}` already names something else in this module", "name-taken")
        return None


def _is_http_framework(qualified: str) -> bool:
    """Is ``qualified`` from Flask, werkzeug or a Flask extension (``flask_restx``, ``flask_smorest``...)?"""
    top = qualified.lstrip(".").split(".")[0]
    return top in ("flask", "werkzeug") or top.startswith("flask_")
