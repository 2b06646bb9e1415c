"""split-get-post: a GET+POST view that branches on `request.method` becomes a GET view and a POST view.

The roles, in the order a module goes through them:

- ``survey.Surveyor``: one pass over the module: the ``request.method`` reads, the
  strings and endpoint reads the findings need, the names already taken.
- ``plan.Planner``: per routed view, its route rules, the checks that refuse it
  (each a ``Refused`` with a stable kind), one specialised body per method, and the
  views and endpoints of the split.
- ``statements.BodySpecialisation`` and ``expressions.ExpressionSpecialiser``: one
  body for one method: method tests become constants, dead branches go.
- ``findings``: what code of the module keyed on the old endpoint, and HEAD requests.
- ``rewrite``: the views with their route decorators, recorded as the edit of the function.
- ``project_scan``: the run-wide pass over other files and templates (the only disk reads).
- ``examples``: the documented examples; ``nodes``: small node helpers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import ClassVar

import libcst as cst
from libcst.metadata import PositionProvider, QualifiedNameProvider, ScopeProvider

from flaskmod.codemods.core import forms
from flaskmod.codemods.core.base import Codemod, Option, ProjectFinding, Safety
from flaskmod.codemods.core.flask import FlaskRoutes, decorator_callee, looks_like_route_decorator
from flaskmod.codemods.core.line_length import line_length
from flaskmod.codemods.core.project import Project
from flaskmod.codemods.core.refusal import Refused
from flaskmod.codemods.core.syntax import code_of, iter_function_defs
from flaskmod.codemods.split_get_post import findings, methodview, project_scan, route_style, shared, waste
from flaskmod.codemods.split_get_post.examples import EXAMPLES
from flaskmod.codemods.split_get_post.methodview import imports_method_view
from flaskmod.codemods.split_get_post.naming import naming_place
from flaskmod.codemods.split_get_post.nodes import anchor, calls_add_url_rule, function_defs, has_keyword
from flaskmod.codemods.split_get_post.plan import ROUTE_STYLES, SPLIT_STYLES, Plan, Planner, RefusedAt
from flaskmod.codemods.split_get_post.project_scan import MovedEndpoints
from flaskmod.codemods.split_get_post.rewrite import build_views
from flaskmod.codemods.split_get_post.submit import calls_validate_on_submit
from flaskmod.codemods.split_get_post.survey import Read, Surveyor

__all__ = ["MovedEndpoints", "SplitGetPost"]


class SplitGetPost(Codemod):
    """
    ## What it does
    Splits a view routed for GET and POST that branches on `request.method` into a
    GET view and a POST view on the same URL rule. A Flask-WTF `form.validate_on_submit()`
    is a method test too: it is `False` on GET, so its branch leaves the GET view. That
    holds where the form is bound once in the view, `form = LoginForm()`, from a
    `FlaskForm` subclass of the project (or of the module) that keeps Flask-WTF's
    `is_submitted` and `validate_on_submit`; a view that only calls `validate_on_submit()`
    on another form is skipped with the reason. The POST view keeps the call. The body is specialised once per
    method: every `request.method` test becomes the constant it has in that view,
    then dead branches, constant `and`/`or`/`if-else` expressions and code after a
    `return` the specialisation introduced are dropped, and so is an assignment to a
    local only a dropped branch read (`error = None`) when its value has no side effects
    (literals, names, attributes, operators, `request.args.get(...)`); one whose value is a
    call keeps the call (`get_errors()`), with a finding, so ruff's F841 has nothing to
    flag; any other (`count = len(rows) // 10`) leaves the view alone, with the reason.
    When the views begin with the same four or more statements (loading the object,
    checking who may change it), those go into one helper, `_prepare_<view>(...)`, that
    both views call, rather than into two copies; see `shared.py` for when that is safe.
    When they cannot move (an early `return` among them) and are more than ten lines, the
    view is not split: two copies are not a separation. Code that could never run in
    the original stays in the view whose `return` it follows; when no view would keep
    it, the view is not split.

    Where anything in the project names the view's endpoint (an allowlist of endpoint
    names, a `request.endpoint` test that could tell the old endpoint from the new one,
    `login_view`, a template) or uses the view function
    from another module (`csrf.exempt(views.hook)`), the endpoint stays: the view becomes
    a `flask.views.MethodView` with `get` and `post`, its other decorators go to
    `decorators` (innermost first, as `as_view` applies them), and the module keeps the
    name bound to `XView.as_view("name")`, registered with `add_url_rule` under the
    original endpoint (`split-style = "auto"`; a decorator above the route decorator, or
    a name Python mangles in a class, leaves the view alone with the reason). When
    moving the views one indent deeper, into the class, would push a line past the
    project's line length (`[tool.ruff]`/`[tool.black]` `line-length`, flake8's
    `max-line-length`, else 88), the views stay functions (`login_get`, `login_post`)
    and the class binds them: `get = staticmethod(login_get)`.
    Otherwise the GET view keeps the function name and endpoint; the POST
    view is `<name>_post` (an explicit `endpoint='x'` becomes `'x_post'`).
    `@bp.route(rule, methods=["GET", "POST"], **opts)` becomes `@bp.get(rule, **opts)`
    and `@bp.post(rule, **opts)` when the project's declared Flask requirement excludes
    Flask < 2.0, else `@bp.route(rule, methods=["GET"], **opts)` and the POST one (said
    in a finding); the other decorators are copied to both views in
    their order, except a rate limit restricted to some methods (`methods=["POST"]`,
    `method="POST"`), which goes only on the views serving them.
    Stacked route decorators keep exactly the methods each rule had; a third method
    gets its own view when it has its own branch and stays with the view whose path it
    shares otherwise.

    Code keyed on the old endpoint name in the same module (`request.endpoint`,
    `request.url_rule`, `login_view`, `view_functions`, `exempt("...")`, strings naming
    the endpoint) is reported as a finding, and so is a change in what HEAD requests
    run. The other Python files of the run and the `templates` folders beside them are
    scanned too: each place that names the moved endpoint (`login_view = "auth.login"`,
    `{% if request.endpoint == "auth.login" %}`, `url_for(..., _method="POST")`) or
    reads the endpoint without naming one (`request.endpoint not in PUBLIC`; not a mere
    truth test, `.startswith(...)` or a comparison with literals, which cannot tell
    `x` from `x_post` or name it themselves) becomes a
    finding on the split view that names the place (`related` in JSON,
    `relatedLocations` in SARIF). Plain `url_for("auth.login")` is not reported: both
    endpoints build the same URL.

    ## Why is this bad?
    One view doing two jobs, rendering a page and changing state, grows into a long
    function where each line's method is implied by an `if` far above it; that is
    where mutation-on-GET bugs hide. Before the split, Flask ran the whole view for
    HEAD requests with `request.method == "HEAD"`, so a view written
    `if request.method == "GET": ... else: <POST code>` ran its POST code on HEAD.

    ## Known problems
    A view is skipped, with the reason, when `request.method` is used other than in a
    comparison with a method name (passed to a helper, logged, stored), is read inside
    a nested function, or when a method test follows a call in `and`/`or`; when
    `methods` is not a literal, or lists HEAD or OPTIONS explicitly; when route
    options are passed with `**`; when the POST name is already used in the module;
    when the function is referenced elsewhere in the module; for views registered
    with `add_url_rule` and for class-based views. Tests hidden in helpers stay in
    both views, which is correct but not simplified. The other decorators run once per view: one that
    registers the view somewhere registers both, and one without `functools.wraps`
    gives both views its wrapper's name, so Flask refuses to start (two views, one
    endpoint). So does an endpoint named `<name>_post` in another module of the same
    blueprint: set `post-suffix`. Code in other modules that imports the view
    function gets only the GET view.

    ## Example
    ```python
    @bp.route("/login", methods=["GET", "POST"])
    def login():
        form = LoginForm()
        if request.method == "POST" and form.validate():
            login_user(form.user)
            return redirect(url_for("main.index"))
        return render_template("login.html", form=form)
    ```
    Use instead:
    ```python
    @bp.get("/login")
    def login():
        form = LoginForm()
        return render_template("login.html", form=form)


    @bp.post("/login")
    def login_post():
        form = LoginForm()
        if form.validate():
            login_user(form.user)
            return redirect(url_for("main.index"))
        return render_template("login.html", form=form)
    ```

    ## Fix safety
    Unsafe: every split is applied only with `--unsafe`. URLs, `url_for` of the old
    endpoint and the responses to GET and POST stay the same. A MethodView keeps the
    endpoint and the view function's name and module, but the view is now a class:
    code that inspects it (its `__code__`, `inspect.signature`) sees `as_view`'s
    function. Split into functions, POST requests
    reach a new endpoint, so anything keyed on the old endpoint name misses them:
    `request.endpoint` checks in `before_request` handlers or templates, exemptions
    and rate limits registered by endpoint, `app.view_functions`, per-view counters of
    decorators copied to both views. Such code may live in any module or template,
    which `split-style = "auto"` looks for before choosing functions, and the findings
    point at when functions are chosen. Copies of libraries inside the tree (a `vendor/`
    folder, a copy of `flask_login/`) are not scanned. The scan of other files is textual:
    it can flag a string that happens to spell the endpoint (a MethodView then, where functions were
    safe), and misses endpoint names built at run time. HEAD requests
    change on purpose where they took the POST path before (reported as a finding).
    """

    ID = "split-get-post"
    SUMMARY = "Split a GET+POST view that branches on request.method into a GET view and a POST view."
    SAFETY = Safety.UNSAFE
    # `.method` read, and methods listed, a view registered by hand, or a class that may be a view.
    TRIGGER = re.compile(
        r"\A(?=[\s\S]*(?:\.method\b|\.validate_on_submit\b))(?=[\s\S]*(?:\bmethods\b|add_url_rule|\bclass\b|\.route\())"
    )
    METADATA_DEPENDENCIES = (PositionProvider, QualifiedNameProvider, ScopeProvider)
    OPTIONS: ClassVar[Mapping[str, Option]] = {
        "post-suffix": Option(str, "_post", "Appended to the POST view's name and endpoint."),
        "route-style": Option(
            str,
            "auto",
            '`"shortcut"` writes `@bp.get(...)`/`@bp.post(...)` (Flask >= 2.0); `"route"` writes '
            '`@bp.route(rule, methods=["POST"])`, which every Flask has; `"auto"` writes shortcuts only when '
            "the project's declared Flask requirement excludes Flask < 2.0.",
            choices=ROUTE_STYLES,
        ),
        "split-style": Option(
            str,
            "auto",
            '`"functions"` writes a GET view and a POST view, the POST one under a new endpoint; '
            '`"methodview"` writes a `flask.views.MethodView` with `get` and `post`, registered under the '
            'original endpoint; `"auto"` writes functions only when nothing in the project names the endpoint.',
            choices=SPLIT_STYLES,
        ),
    }
    EXAMPLES = EXAMPLES

    # -- running -------------------------------------------------------------------

    @classmethod
    def should_transform(cls, module: cst.Module) -> bool:
        # Worth the metadata only if a view may serve several methods, a class may be a view,
        # or a view is registered by hand (all three are reported).
        bodies: list[Sequence[cst.CSTNode]] = [module.body]
        for function in iter_function_defs(module):
            routes = [d for d in function.decorators if looks_like_route_decorator(d)]
            if len(routes) > 1 or any(has_keyword(d, "methods") or has_keyword(d, "**") for d in routes):
                return True
            bodies.append(function.body.body)
        if any(isinstance(statement, cst.ClassDef) for statement in module.body):
            return True
        return any(calls_add_url_rule(statement) for body in bodies for statement in body)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self.routes = FlaskRoutes(self, tree)
        surveyor = Surveyor(self)
        tree.visit(surveyor)
        self.survey = surveyor.survey
        submit_forms = self._submit_forms(tree)
        if not self.survey.reads and not self.survey.validate_on_submit:
            return tree
        self.plans: dict[int, Plan] = {}
        self._functions: dict[int, cst.FunctionDef] = {}
        module_functions = {f.name.value: f for f, _, top in function_defs(tree) if top}
        self._method_view_imported = imports_method_view(tree)
        self._planner = Planner(self, self.routes, self.survey, module_functions, self.options, submit_forms)
        self._skip_unsupported_registrations(tree)
        for function, in_class, top_level in function_defs(tree):
            self._consider(function, in_class, top_level)
        moving = {key: plan for key, plan in self.plans.items() if plan.style == "functions"}
        if moving:
            findings.report_endpoint_uses(self, moving, self.survey, self.routes)
        applied = {key: plan for key, plan in self.plans.items() if plan.views}
        if not applied:
            return tree
        route_style = self._route_style(applied)
        path = Path(self.context.filename) if self.context.filename else None
        self._line_length = line_length(path, self.project)
        for key, plan in applied.items():
            function = self._functions[key]
            if plan.style == "methodview":
                statements = methodview.build_methodview(
                    function,
                    plan,
                    column=self.column_of(function),
                    line_length=self._line_length,
                    taken=self.survey.names,
                )
            else:
                statements = build_views(function, plan, route_style)
            if plan.shared is not None:
                statements.insert(0, shared.helper_def(plan.shared, function))  # defined before its callers
            self.replace(function, cst.FlattenSentinel(statements))
        if any(plan.style == "methodview" for plan in applied.values()):
            self.add_needed_import("flask.views", "MethodView")
        if self._split_reads(applied) == self.survey.request_names:
            # Every `request` was in a method test of a split view: none is left.
            self.remove_unused_import("flask", "request")
        return tree

    def _submit_forms(self, tree: cst.Module) -> frozenset[str]:
        """The form classes whose `validate_on_submit()` is false on GET, when the module calls it at all."""
        if not self.survey.validate_on_submit or not self.context.filename:
            return frozenset()
        return forms.project_forms(tree, Path(self.context.filename), self.project).submit_forms

    def _route_style(self, applied: Mapping[int, Plan]) -> str:
        """The route style of the split functions; why it is ``route`` under ``auto`` is said once per file."""
        path = Path(self.context.filename) if self.context.filename else None
        style, why = route_style.resolve(self.options["route-style"], path, self.project)
        first = next((key for key, plan in applied.items() if plan.style == "functions"), None)
        if why is not None and first is not None:
            self.add_finding(anchor(self._functions[first]), why)
        return style

    def _split_reads(self, applied: Mapping[int, Plan]) -> int:
        """How many ``request.method`` reads spelled ``request.method`` sit in the split views."""
        return sum(
            1 for read in self.survey.reads if _spelled_request(read) and any(id(f) in applied for f in read.functions)
        )

    # -- candidates ----------------------------------------------------------------

    def _skip_unsupported_registrations(self, tree: cst.Module) -> None:
        reading = {id(f) for read in self.survey.reads for f in read.functions}
        for class_def in self.survey.class_based:
            if any(any(c is class_def for c in read.classes) for read in self.survey.reads):
                self.add_skip(
                    class_def,
                    "class-based views are not split (their methods are already separate)",
                    "class-based-view",
                )
        names = self.survey.add_url_rule_views
        for function, _, _ in function_defs(tree):
            if function.name.value in names and id(function) in reading and not self.routes.is_view(function):
                self.add_skip(anchor(function), "views registered with `add_url_rule` are not split", "add-url-rule")

    def _consider(self, function: cst.FunctionDef, in_class: bool, top_level: bool) -> None:
        reads = [r for r in self.survey.reads if any(f is function for f in r.functions)]
        if not reads and not (self.survey.validate_on_submit and calls_validate_on_submit(function)):
            return
        kinds = [self.routes.classify(d) for d in function.decorators]
        if "unproven-route" in kinds:
            if not self.routes.bindings.imports_other_framework:
                callee = code_of(decorator_callee(function.decorators[kinds.index("unproven-route")]))
                reason = f"cannot prove `{callee}` registers on a Flask app or blueprint"
                self.add_skip(anchor(function), reason, "unproven-route")
            return
        if "route" not in kinds:
            return
        try:
            plan = self._planner.plan_view(function, in_class, top_level, kinds, reads)
        except Refused as refusal:
            self.add_refusal(refusal.node if isinstance(refusal, RefusedAt) else anchor(function), refusal)
            return
        if plan is None:
            return
        try:
            self._choose_style(function, plan)
            self._share_setup(function, plan)
        except Refused as refusal:
            self.add_refusal(anchor(function), refusal)
            return
        self._accept(function, plan)

    def _choose_style(self, function: cst.FunctionDef, plan: Plan) -> None:
        """Functions, or a MethodView that keeps the endpoint; ``auto`` keeps it when anything names it."""
        waste.check_worth_it(plan)
        style = self.options["split-style"]
        named = None
        if style == "auto":
            named = naming_place(self, function, plan, self.survey, self.routes)
            style = "methodview" if named is not None else "functions"
        if style == "functions":
            if plan.referenced:
                reason = (
                    f"`{function.name.value}` is also used elsewhere in this module, "
                    "where it would stand for the GET view only"
                )
                raise Refused(reason, "referenced")
            if plan.clash is not None:
                raise plan.clash
            self.survey.names.update(view.name for view in plan.views)
            return
        reason = methodview.unprovable(function, plan, self.survey.names, self._method_view_imported)
        if reason is not None and named is not None:
            reason = f"the endpoint must stay ({named}), and no MethodView can keep it: {reason}"
            raise Refused(reason, "endpoint-named")
        if reason is not None:
            raise Refused(f"no MethodView: {reason}", "methodview-unproven")
        plan.style = "methodview"
        plan.kept_because = named
        plan.endpoints = []
        self.survey.names.add(methodview.class_name(function.name.value))

    def _share_setup(self, function: cst.FunctionDef, plan: Plan) -> None:
        """The setup both views begin with goes into one helper; refused when a long one would be copied."""
        plan.shared = shared.factor(function, plan, self.survey.names)
        if plan.shared is not None:
            self.survey.names.add(plan.shared.name)
        waste.check_copied_setup(plan)
        waste.check_no_dead_assignment(plan)

    def _accept(self, function: cst.FunctionDef, plan: Plan) -> None:
        """Record the plan, its findings and its moved endpoints; the split is written only with ``--unsafe``."""
        self.plans[id(function)] = plan
        self._functions[id(function)] = function
        findings.report_view(self, function, plan)
        if plan.style == "functions":
            moved = tuple(
                (findings.full_endpoint(old, plan), findings.full_endpoint(new, plan), m)
                for old, new, m in plan.endpoints
            )
            line = self.line_of(anchor(function))
            self.share_fact(MovedEndpoints(line=line, moved=moved, owner_known=plan.owner_known))
        growth = waste.growth(function, plan)
        description = f"{findings.describe(function, plan)}; {growth:+d} lines in the views' bodies"
        if not self.permit_unsafe(anchor(function), description):
            plan.views = []

    # -- the project-wide pass -------------------------------------------------------

    @classmethod
    def project_findings(cls, facts: Sequence[tuple[Path, object]], project: Project) -> list[ProjectFinding]:
        return project_scan.project_findings(facts, project)


def _spelled_request(read: Read) -> bool:
    """Is the read spelled ``request.method`` (a ``request`` name the import would bind)?"""
    return isinstance(read.node.value, cst.Name) and read.node.value.value == "request"
