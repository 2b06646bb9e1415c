"""HTTP work the project hides behind its own names: forms, proxies and helpers that touch the request.

``ProjectHttp`` answers, for the views module: is this call the construction of a
Flask-WTF form (which reads `request.form` at once), is this name a module-level
`LocalProxy(...)`, is this a module-level function whose body does HTTP work (a
`flash_msg` helper, a `login_user` wrapper), followed transitively with a cache.
Form classes imported from another module of the project are found by `core.forms`, through
``Project.fact``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import libcst as cst

from flaskmod.codemods.core.flask import LOCAL_PROXY_FACTORIES, collect_bindings
from flaskmod.codemods.core.forms import project_forms
from flaskmod.codemods.core.project import Project
from flaskmod.codemods.core.syntax import walk

QualifiedNames = Callable[[cst.CSTNode], set[str]]
# Does this node, on its own, do HTTP work? (names, attributes; not calls to project code)
NodeCheck = Callable[[cst.CSTNode], bool]


class ProjectHttp:
    """The views module's own names that do HTTP work."""

    def __init__(self, tree: cst.Module, source: Path, project: Project, qualified: QualifiedNames) -> None:
        self.qualified = qualified
        bindings = collect_bindings(tree)
        self.functions = {s.name.value: s for s in tree.body if isinstance(s, cst.FunctionDef)}
        self.local_proxies = {
            name
            for name, calls in bindings.module_scope.assigned_calls.items()
            if any(qualified(call.func) & LOCAL_PROXY_FACTORIES for call in calls)
        }
        self.forms = set(project_forms(tree, source, project).request_forms)
        self._http_functions: dict[str, bool] = {}

    def is_http_call(self, call: cst.Call, node_check: NodeCheck) -> bool:
        """Constructing a request form, or calling a module-level function that does HTTP work."""
        func = call.func
        if not isinstance(func, cst.Name):
            return False
        if func.value in self.forms:
            return True
        return self.function_does_http_work(func.value, node_check)

    def function_does_http_work(self, name: str, node_check: NodeCheck) -> bool:
        if name not in self.functions:
            return False
        if name not in self._http_functions:
            self._http_functions[name] = False  # a recursive call adds nothing
            found = any(
                node_check(node) or (isinstance(node, cst.Call) and self.is_http_call(node, node_check))
                for node in walk(self.functions[name].body)
            )
            self._http_functions[name] = found
        return self._http_functions[name]
