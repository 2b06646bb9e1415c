"""Flask-WTF forms: which classes read the request when built, and whose `validate_on_submit()` is Flask-WTF's.

Flask-WTF defines ``validate_on_submit()`` as ``is_submitted() and validate()``, and
``is_submitted()`` as "the request's method is POST, PUT, PATCH or DELETE". So on a
GET (or HEAD) request, ``validate_on_submit()`` of such a form is ``False`` and
``validate()`` never runs. That holds only for a form class that keeps both methods
as Flask-WTF wrote them: a class of the project (or one of its bases) overriding
either, or deriving from something not known to be a form, is not "submit-proven".

Forms are usually defined in a `forms` module and imported into the views, so the
classes of an imported project module are read through ``Project.fact``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from flaskmod.codemods.core.bindings import dotted_name
from flaskmod.codemods.core.flask import REQUEST_FORM_BASES, collect_bindings
from flaskmod.codemods.core.project import Project, module_paths

# Flask-WTF's own form classes: `validate_on_submit()` as documented above.
FLASK_WTF_FORMS: frozenset[str] = frozenset({"flask_wtf.FlaskForm", "flask_wtf.Form", "flask_wtf.form.FlaskForm"})
# The methods Flask-WTF's `is_submitted()` counts as a submission (`flask_wtf.form.SUBMIT_METHODS`).
SUBMIT_METHODS: frozenset[str] = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Overriding one of these changes what `validate_on_submit()` returns on GET.
_SUBMIT_METHOD_NAMES: frozenset[str] = frozenset({"is_submitted", "validate_on_submit"})


@dataclass(frozen=True)
class ModuleForms:
    """The form classes a module defines (or imports from the project), by the name they have there."""

    request_forms: frozenset[str] = frozenset()  # constructing one reads `request.form`
    submit_forms: frozenset[str] = frozenset()  # ... and its `validate_on_submit()` is Flask-WTF's

    def __or__(self, other: ModuleForms) -> ModuleForms:
        return ModuleForms(self.request_forms | other.request_forms, self.submit_forms | other.submit_forms)


def module_forms(module: cst.Module) -> ModuleForms:
    """The module's own form classes (subclasses of Flask-WTF's form, through the module's other classes)."""
    scope = collect_bindings(module).module_scope
    bases = scope.class_bases
    overriding = {
        s.name.value
        for s in module.body
        if isinstance(s, cst.ClassDef) and _defines(s, _SUBMIT_METHOD_NAMES) and s.name.value in bases
    }
    request_forms = _closure(bases, lambda base: bool(scope.resolve(base) & REQUEST_FORM_BASES), set())

    def flask_wtf_base(base: cst.BaseExpression) -> bool:
        return bool(scope.resolve(base) & FLASK_WTF_FORMS)

    submit_forms = _closure(bases, flask_wtf_base, overriding, every_base=True)
    return ModuleForms(frozenset(request_forms), frozenset(submit_forms))


def _closure(
    bases: dict[str, list[cst.BaseExpression]],
    is_root: Callable[[cst.BaseExpression], bool],
    excluded: set[str],
    *,
    every_base: bool = False,
) -> set[str]:
    """Classes deriving from a root or from a class already found; with ``every_base``, through every base."""
    found: set[str] = set()
    changed = True
    while changed:  # a form may derive from another form of the module, defined before or after
        changed = False
        for name, expressions in bases.items():
            if name in found or name in excluded or not expressions:
                continue
            known = [
                (isinstance(base, cst.Name) and base.value in found) or (bool(dotted_name(base)) and is_root(base))
                for base in expressions
            ]
            if all(known) if every_base else any(known):
                found.add(name)
                changed = True
    return found


def _defines(class_def: cst.ClassDef, names: frozenset[str]) -> bool:
    """Does the class body define (or assign) one of ``names``?"""
    for statement in class_def.body.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value in names:
            return True
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign) and any(
                    isinstance(t.target, cst.Name) and t.target.value in names for t in small.targets
                ):
                    return True
    return False


def forms_of_text(text: str) -> ModuleForms:
    """``module_forms`` of a module's text; nothing for a module that does not parse."""
    try:
        return module_forms(cst.parse_module(text))
    except cst.ParserSyntaxError:
        return ModuleForms()


def project_forms(module: cst.Module, source: Path, project: Project) -> ModuleForms:
    """The forms a module can use by name: its own, and those it imports from the project's modules."""
    forms = module_forms(module)
    imported_request: set[str] = set()
    imported_submit: set[str] = set()
    for local, targets in collect_bindings(module).module_scope.imports.items():
        for target in targets:
            theirs = _imported_forms(target, source, project)
            name = target.rpartition(".")[2]
            if name in theirs.request_forms:
                imported_request.add(local)
            if name in theirs.submit_forms:
                imported_submit.add(local)
    return forms | ModuleForms(frozenset(imported_request), frozenset(imported_submit))


def _imported_forms(target: str, source: Path, project: Project) -> ModuleForms:
    """The forms of the project module that ``target`` (`.forms.LoginForm`, `app.forms.LoginForm`) is taken from."""
    stripped = target.lstrip(".")
    level = len(target) - len(stripped)
    module, _, name = stripped.rpartition(".")
    if not name or (not module and not level):
        return ModuleForms()
    for path in module_paths(source, module or None, level):
        if project.is_file(path):
            return project.fact(path, forms_of_text) or ModuleForms()
    return ModuleForms()
