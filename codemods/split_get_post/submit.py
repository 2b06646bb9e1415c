"""`form.validate_on_submit()` as a method test: always false on GET and HEAD, unknown on POST.

Flask-WTF's ``validate_on_submit()`` is ``is_submitted() and validate()``, and
``is_submitted()`` is false unless the method is POST, PUT, PATCH or DELETE
(``core.forms``). So in the GET view of a split, a ``validate_on_submit()`` branch is
dead, and the POST logic with its database writes must not stay there. The call is
specialised only where the form provably keeps Flask-WTF's method: ``form`` is bound
in the view only by ``form = LoginForm(...)`` of a form class ``core.forms`` proves
(or the call is ``LoginForm().validate_on_submit()``), and the call has no arguments
that would be evaluated for their effects.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from flaskmod.codemods.core.bindings import all_params, bound_name_nodes, function_locals, target_names
from flaskmod.codemods.core.forms import SUBMIT_METHODS
from flaskmod.codemods.core.syntax import walk, walk_scope
from flaskmod.codemods.split_get_post.expressions import pure


@dataclass(frozen=True)
class SubmitTest:
    """A ``validate_on_submit()`` call of a submit-proven form."""

    def value(self, method: str) -> bool | None:
        """False where Flask-WTF's ``is_submitted()`` is false; unknown (the form validates) elsewhere."""
        return None if method in SUBMIT_METHODS else False


def submit_tests(function: cst.FunctionDef, submit_forms: frozenset[str]) -> dict[int, SubmitTest]:
    """The view's provable ``validate_on_submit()`` calls, by the call's id."""
    if not submit_forms:
        return {}
    names, problem = function_locals(function)
    if problem is not None:
        return {}
    classes = submit_forms - names  # a local of the same name hides the module's class
    calls = [node for node in walk_scope(function.body) if isinstance(node, cst.Call) and _is_validate_call(node)]
    if not calls:
        return {}
    instances = _form_instances(function, classes)
    return {id(call): SubmitTest() for call in calls if _receiver_is_form(call, instances, classes)}


def calls_validate_on_submit(function: cst.FunctionDef) -> bool:
    """Does the view call ``x.validate_on_submit()`` in its own scope (provable or not)?"""
    return any(isinstance(node, cst.Call) and _is_validate_call(node) for node in walk_scope(function.body))


def _is_validate_call(call: cst.Call) -> bool:
    func = call.func
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value == "validate_on_submit"
        and all(arg.star == "" and pure(arg.value) for arg in call.args)
    )


def _receiver_is_form(call: cst.Call, instances: set[str], classes: frozenset[str]) -> bool:
    assert isinstance(call.func, cst.Attribute)
    receiver = call.func.value
    if isinstance(receiver, cst.Name):
        return receiver.value in instances
    return _builds_form(receiver, classes)


def _builds_form(node: cst.BaseExpression, classes: frozenset[str]) -> bool:
    """``LoginForm(...)`` of a submit-proven class, with arguments evaluated as before."""
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in classes


def _form_instances(function: cst.FunctionDef, classes: frozenset[str]) -> set[str]:
    """Locals whose every binding in the view is ``name = FormClass(...)``."""
    parameters = {param.name.value for param in all_params(function.params)}
    built: set[str] = set()
    form_targets: set[int] = set()
    for node in walk_scope(function.body):
        target = node.targets[0].target if isinstance(node, cst.Assign) and len(node.targets) == 1 else None
        if isinstance(node, cst.Assign) and isinstance(target, cst.Name) and _builds_form(node.value, classes):
            built.add(target.value)
            form_targets.add(id(target))
    rebound = {
        name.value for name in _bound_names(function.body) if name.value in built and id(name) not in form_targets
    }
    return built - rebound - parameters


def _bound_names(body: cst.CSTNode) -> list[cst.Name]:
    """Every Name the body binds, by assignment or otherwise (`+=`, `del` included), in any scope."""
    bound = bound_name_nodes(body)
    names: list[cst.Name] = []
    for node in walk(body):
        if isinstance(node, cst.Name) and id(node) in bound:
            names.append(node)
        elif isinstance(node, (cst.AugAssign, cst.Del)):
            names += [cst.Name(n) for n in target_names(node.target)]
    return names
