"""extract-services: runs of business logic in a fat view move into functions of a services module.

The package, by role (as rope's `refactor/extract.py`):

- ``__init__``   the codemod: finds fat views, plans their services, applies the edits.
- ``runs``       finding runs: ``HttpWork`` tells HTTP work apart, ``RunFinder`` collects runs.
- ``plan``       checking one run and planning its service (``ServicePlanner``): every refusal of a run.
- ``flow``       the run's data flow in execution order (``FlowAnalyser``).
- ``liveness``   what the view reads after the run; what a `try` around it would see.
- ``modules``    the views and services modules: their imports and bindings (``Modules``), import paths.
- ``movers``     loggers copied and private helpers moved with a service.
- ``naming``     service names.
- ``rewrite``    the service's code, the call replacing the run (its edits), the services module's text.
- ``explicit``   the explicit mode: one run chosen by lines (``explicit_transform``).
- ``command``    `flaskmod extract` (``ExplicitExtract``), found by the registry; imports this module.
- ``examples``   the codemod's examples.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import ClassVar

import libcst as cst
from libcst.metadata import QualifiedNameProvider, ScopeProvider

from flaskmod.codemods.core.base import Codemod, ExtraFileEdit, Option, ProjectFinding, Safety
from flaskmod.codemods.core.bindings import all_params, function_locals
from flaskmod.codemods.core.flask import FlaskRoutes, decorator_callee, looks_like_route_decorator
from flaskmod.codemods.core.metadata import Metadata
from flaskmod.codemods.core.project import Project
from flaskmod.codemods.core.refusal import Refused
from flaskmod.codemods.core.syntax import (
    Outer,
    code_of,
    count_statements,
    iter_function_defs,
    iter_functions_with_outer,
    walk,
)
from flaskmod.codemods.extract_services import examples
from flaskmod.codemods.extract_services.explicit import (
    EXPLICIT_OPTION,
    ExplicitTarget,
    ExtractRefused,
    explicit_transform,
)
from flaskmod.codemods.extract_services.modules import Modules
from flaskmod.codemods.extract_services.movers import MovedHelpers
from flaskmod.codemods.extract_services.plan import InterfaceGate, ServicePlanner, ViewScope
from flaskmod.codemods.extract_services.request_bound import ProjectHttp
from flaskmod.codemods.extract_services.rewrite import Service, replace_run, services_imports, services_text
from flaskmod.codemods.extract_services.runs import HttpWork, Run, RunFinder, count_statements_of, narrower_runs

# Sub-runs tried, biggest first, when a run is over the interface gate.
MAX_NARROWING_ATTEMPTS = 40

__all__ = [
    "EXPLICIT_OPTION",
    "ExplicitTarget",
    "ExtractRefused",
    "ExtractServices",
    "MovedHelpers",
    "count_statements",
]


class ExtractServices(Codemod):
    """
    ## What it does
    Moves runs of business-logic statements out of a fat view into functions of a
    services module, and leaves the view with the HTTP work: read the request, call
    the service, flash, redirect, render.

    A view (a function with a Flask route decorator) is fat when its body holds more
    than `max-view-statements` statements, counted recursively. In a fat view, a run
    is a maximal sequence of consecutive statements of one block (the view's body, or
    one branch of an `if`, a loop, a `with` or a `try` that does HTTP work) that does
    no HTTP work: no `request` (except reading its data), `session`, `g`,
    `flash`, `redirect`, `url_for`, `render_template`, `jsonify`, `abort`,
    `make_response`, `send_file`, `Response`, Flask-Login's `current_user`, `login_user`
    and `logout_user`, werkzeug's responses and exceptions, Flask-RESTful's and
    Flask-RESTX's `abort`, however they are reached (`flask.abort(400)`,
    `flask.request.args`); no module-level `LocalProxy(...)`; no construction of a
    Flask-WTF form (a `FlaskForm` subclass of the module or of the project's module it
    is imported from: it reads the request); no call to a function of the views module
    whose body does HTTP work (followed through the functions it calls); no
    `get_or_404`/`first_or_404` query (they abort the request), and no `return`.
    The application context is not HTTP work: `current_app.config`, `.extensions`,
    `.logger` (and `.debug`, `.testing`, `.name`, `.root_path`, `.instance_path`) are
    allowed in a service, which runs wherever an app context exists: a request, a CLI
    command, a task queue; any other use of `current_app` stays in the view. A run of
    at least `min-statements`
    statements (counted recursively) is extracted when a statement-level def/use
    analysis proves the extraction equivalent:

    - its parameters are the locals of the view (and of an enclosing factory
      function) it reads before writing them: domain objects first (the view's
      parameters, names bound to a query's result or to a constructed model), then
      values, each group in order of first use (`update_user(user, email, name)`);
    - it returns the names it assigns that the view reads elsewhere (and, inside a
      loop, those it reads and writes: the next iteration reads them); a name it
      assigns on some paths only is also a parameter, and must be bound before it;
      one value is returned plainly, two as a tuple unpacked at the call site, and more
      than `max-returns` as one record (below);
    - `request.form`, `.args`, `.values`, `.files` (and `request.json` or
      `request.get_json()` when the run's first statement is `x = <that read>`) are
      read by the view and passed in as plain values (`form`, `args`...);
    - the run's leading inputs stay in the view, where they document the endpoint:
      `name = <immutable literal>` (`page = 1`, `note = None`) and `name = <request
      data>` (`data = request.get_json()`, `q = request.args.get("q")`,
      `kind = request.form["kind"]`), unless the run rebinds the name (`total = 0`
      before `total += x` is the run's own); the service takes them as parameters
      instead of handing them back. They count toward the run's `min-statements`, but
      what moves must still be two statements;
    - the imports of the module-level names it uses are copied into the services
      module, and imports the views module no longer uses (absolute, relative or
      aliased) are removed from it;
    - a private helper of the views module (`def _clean(...)`, no decorator) that
      nothing but the run names, and that uses only builtins and imports outside
      Flask's HTTP layer, moves into the services module with the service, its
      imports copied; other modules that import it are reported as findings on the
      change. A logger (`log = logging.getLogger("shop")`, or structlog's
      `get_logger`) has its definition copied: with a literal name it is the same
      logger; with `__name__` it is named after the services module, which is
      reported as a finding. Any other name defined in the views module (a public
      helper, a constant) is passed in as a parameter, so the services module never
      imports the views module.

    A value counts as read after the run only where control can go after it (the rest
    of the block, a loop's next iteration, a `try`'s handlers and `finally`, what
    follows the enclosing statements) or in a nested function. Inside a `try` body, a
    run whose results its handlers read, or whose handlers carry on, is left alone: if
    it raised midway, they would see what it had assigned so far.

    Every other run of that size is left alone with the reason: `return`, `yield`,
    `await` in a sync view, `break`/`continue` leaving the run, `global`/`nonlocal`,
    `:=`, `del` of a name used outside the run, `locals()`/`vars()`/`exec`, a nested
    `def`/`class`, a lambda or lazy generator capturing a local, a name it cannot
    resolve. A fat view from which nothing could be extracted is reported too. A view
    that calls `locals()`, `eval` or `exec`, or `vars()`/`dir()` without arguments,
    anywhere in its body or its enclosing factory is left alone as a whole: it reads
    every local by name, those a service would take away too. A view's docstring
    never moves: it is the view's `__doc__`.

    The services module is `services.py` beside `views.py` or a package's
    `__init__.py`, `<stem>_services.py` beside any other module, and
    `<package>/<stem>_services.py` for a module of a `views`/`routes`/`blueprints`
    package (`app/views/account.py` -> `app/account_services.py`). It is created or appended to, never overwritten; a
    name it already binds is never reused.

    A run is extracted only when it is worth a service and a reviewer would accept its
    interface: it must do business work (call something other than a builtin, a
    plain-data constructor or a method of plain data, write an attribute, or hold a
    loop, a branch or a `try`; a run that only unpacks `request.form` or initialises
    variables stays in the view, where it documents the endpoint's inputs), take at
    most `max-parameters` parameters. A run over that gate is narrowed to its biggest
    part that passes, or left with the reason.

    A service with more than `max-returns` results returns one record: a
    `@dataclass(frozen=True)` named after it (`update_user` -> `UpdateUserResult`),
    written before it in the services module. The view binds it to one name (`result`)
    and reads `result.order` where it read `order`; a field the view rebinds or deletes,
    passes back in, or reads in another service's run stays a local (`order =
    result.order`) under the call, and a record that would leave the view more than
    `max-returns` names is refused, as is one of more than `max-record-fields` fields
    (a view that hands 40 values to its template is narrowed instead). A frozen
    dataclass, not a `NamedTuple`: nothing can unpack or index it, so the view never
    depends on the fields' order. A service that writes nothing and returns a record
    is named after the view (`find_order_summary`), unless the view's name says
    nothing (`index`).

    Service names say what the body does, `<verb>_<object>`: `create_<x>` for a model
    constructed and written (added, committed), `delete_<x>`, `update_<x>` for
    attribute writes on one object or calls that change it (`user.set_password(pw)`,
    `domain.update()`), and for a body that writes nothing `find_<value>`
    (it queries) or `compute_<value>` after the one or two values it returns
    (`compute_discount`, `find_total_and_pages`). A body that writes is never named
    `find_`/`compute_`, one that does not never `update_`. A variable of fewer than
    three characters (`d`, `uc`) says nothing a name could repeat: no name comes from it. Without a confident name,
    or when a bigger run of the view took the name, the run is left with the `names`
    entry that would extract it: the option sets them per view; names never get a
    numeric suffix. A run whose service would be, docstring aside, the very code of an
    earlier view's service of the same name calls that service: nothing is written
    twice, and the docstring names the views that call it (`Extracted from the
    `github_authorized` and `azure_authorized` views.`). Any other run whose name is
    taken is left with the reason.

    A fat function whose `@x.route(...)` cannot be proven Flask's (`x` is imported and
    the rule is not a literal path, as in `@routes.route(org_scoped_rule("/login"))`) is
    no view to this codemod: it is reported, with that reason, and left alone.

    ## Why is this bad?
    A fat view cannot be tested without a request, reused from a CLI command or a task
    queue, or read: the business logic is buried between `request` and
    `render_template`.

    ## Known problems
    Extraction is done in an `async` view only when the run has no `await`. Public
    helpers of the views module are passed in, not moved, since another module may
    import them; a private one imported elsewhere anyway is reported, not fixed. A
    run inside `try` handlers is extracted as any other block. Two view modules mapped to the
    same services module in one run could pick the same service name (the default
    paths map each views module to its own services module).

    ## Example
    ```python
    @bp.route("/settings", methods=["GET", "POST"])
    def settings():
        user = current_user()
        if request.method == "POST":
            name = request.form["name"].strip()
            user.name = name
            db.session.commit()
            flash("Saved.")
        return render_template("settings.html", user=user)
    ```

    Use instead:
    ```python
    @bp.route("/settings", methods=["GET", "POST"])
    def settings():
        user = current_user()
        if request.method == "POST":
            update_user(user, request.form)
            flash("Saved.")
        return render_template("settings.html", user=user)
    ```
    with, in `services.py`:
    ```python
    def update_user(user, form):
        name = form["name"].strip()
        user.name = name
        db.session.commit()
    ```

    ## Fix safety
    Unsafe (written only with `--unsafe`). The data flow is proven equivalent, but
    the code now lives in another module: a test that monkeypatches a name in the
    views module (`monkeypatch.setattr(views, "send_mail", fake)`) no longer reaches
    the service, which imports its own copy; tracebacks, logger names computed from
    `__name__` inside the moved code and coverage change; `request.form`, `.files`
    and `.values` are parsed when the service is called, before the run's first
    statement, so an oversized body fails before, not during, the run.
    """

    ID = "extract-services"
    SUMMARY = "Move runs of business logic out of fat views into functions of a services module."
    SAFETY = Safety.UNSAFE
    TRIGGER = re.compile(r"\.(?:route|get|post|put|patch|delete)\(")
    METADATA_DEPENDENCIES = (QualifiedNameProvider, ScopeProvider)

    @classmethod
    def should_transform(cls, module: cst.Module) -> bool:
        # Before any metadata: a route-like view with room for a run of statements
        # and its HTTP work (the smallest extractable view has 4 statements).
        return any(
            any(looks_like_route_decorator(d) for d in function.decorators) and count_statements(function.body) >= 4
            for function in iter_function_defs(module)
        )

    OPTIONS: ClassVar[Mapping[str, Option]] = {
        "max-view-statements": Option(int, 12, "A view with more statements than this (recursively) is fat."),
        "min-statements": Option(int, 3, "The fewest statements (recursively) worth extracting."),
        "services-module": Option(
            str,
            "auto",
            "Where services go, relative to the views module's directory.",
            choices=("auto",),
            placeholders=("stem",),
            module_path=True,
            details="Any other value is a configuration error. `{stem}` is the views module's name "
            '(`"{stem}_services.py"`, `"services/{stem}.py"`). `"auto"` puts `views.py`\'s and a package '
            "`__init__.py`'s services in `services.py` beside them, a module in a `views`/`routes`/`blueprints` "
            "package's in `<stem>_services.py` one level up, and any other module's in `<stem>_services.py` beside it.",
        ),
        "max-parameters": Option(int, 4, "The most parameters a service may take; a wider run is narrowed or left."),
        "max-returns": Option(
            int, 2, "The most values a service returns as such; more come back as one record (a frozen dataclass)."
        ),
        "max-record-fields": Option(
            int, 6, "The most fields of a service's record; a run with more results is narrowed or left."
        ),
        "names": Option(
            dict,
            {},
            "Service names per view.",
            value_type=str,
            details='`{"settings" = "save_settings"}` names the first service of `settings`; `"settings:2"` the '
            "second. A configured name that is already taken is refused, with the reason.",
        ),
    }

    EXAMPLES = examples.EXAMPLES
    # A view thinner by one service can have a run that now passes (a record's fields no longer
    # crowd its call): the engine runs the codemod again over its own output.
    SETTLES_IN_ONE_RUN = False

    # -- the file --------------------------------------------------------------------------------------

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self.routes = FlaskRoutes(self, tree)
        source = Path(self.context.filename or "views.py")
        self.http = HttpWork(self.qualified, ProjectHttp(tree, source, self.project, self.qualified))
        explicit: ExplicitTarget | None = self.options.get(EXPLICIT_OPTION)
        if explicit is not None:
            return explicit_transform(self, tree, explicit)
        views = [(f, outer) for f, outer in iter_functions_with_outer(tree) if self.routes.is_view(f)]
        self._report_unproven_views(tree)
        if not views:
            return tree
        self.set_up(tree)
        for view, outer in views:
            for service in self._view(view, outer):
                replace_run(self, service.run, service.call, service.record)
                self.services.append(service)
        if not self.services:
            return tree
        self.propose()
        self._drop_moved_helpers(tree)
        return tree

    def _report_unproven_views(self, tree: cst.Module) -> None:
        """A fat function whose route decorator cannot be proven Flask's is no view here: say so."""
        for function in iter_function_defs(tree):
            if count_statements(function.body) <= self.options["max-view-statements"]:
                continue
            decorator = self.routes.unproven_imported_route(function)
            if decorator is not None:
                callee = code_of(decorator_callee(decorator))
                reason = (
                    f"fat view `{function.name.value}` left alone: cannot prove `{callee}` registers on a Flask "
                    "app or blueprint (its rule is not a literal path)"
                )
                self.add_skip(function, reason, "unproven-route")

    def _drop_moved_helpers(self, tree: cst.Module) -> None:
        """Remove the helpers that moved to the services module; tell the project-wide pass about them."""
        moved = {h.name for service in self.services for h in service.helpers}
        if moved:
            helpers = [s for s in tree.body if isinstance(s, cst.FunctionDef) and s.name.value in moved]
            for helper in helpers:
                self.replace(helper, cst.RemoveFromParent())
            self.share_fact(MovedHelpers(self.line_of(helpers[0]), tuple(sorted(moved)), self.modules.source_path.stem))

    @classmethod
    def project_findings(cls, facts: Sequence[tuple[Path, object]], project: Project) -> list[ProjectFinding]:
        moves = [(path, fact) for path, fact in facts if isinstance(fact, MovedHelpers)]
        if not moves:
            return []
        findings: list[ProjectFinding] = []
        for other, text in project.texts(project.scanned):
            for path, move in moves:
                if other == path or not any(name in text for name in move.names):
                    continue
                for number, line in enumerate(text.splitlines(), start=1):
                    for name in move.names:
                        uses = re.search(rf"\b{re.escape(move.module)}\.{re.escape(name)}\b", line) or (
                            "import" in line and re.search(rf"\b{re.escape(name)}\b", line)
                        )
                        if uses:
                            message = f"imports `{name}`, which moved to the services module"
                            findings.append(ProjectFinding(path, move.line, message, other, number))
        return findings

    def set_up(self, tree: cst.Module) -> None:
        """Read the views module and the services module it writes to."""
        source_path = Path(self.context.filename or "views.py")
        self.modules = Modules(tree, source_path, self.options["services-module"], self.reserved_names, self.project)
        self.services: list[Service] = []

    def qualified(self, node: cst.CSTNode) -> set[str]:
        """The qualified names of an original node, as plain strings."""
        return Metadata(self).qualified(node)

    def span(self, node: cst.CSTNode) -> tuple[int, int]:
        """The first and last line of an original node."""
        position = self._position(node)
        return position.start.line, position.end.line

    # -- one view --------------------------------------------------------------------------------------

    def _view(self, view: cst.FunctionDef, outer: Outer) -> list[Service]:
        size = count_statements(view.body)
        if size <= self.options["max-view-statements"]:
            return []
        if self.skip_if_ignored(view):
            return []
        try:
            services = self._extract_from(view, outer)
        except Refused as refused:
            self.add_refusal(view, refused, prefix=f"fat view `{view.name.value}` left alone: ")
            return []
        if not services:
            return []
        names = ", ".join(f"`{s.name}`" for s in services)
        where = self.modules.relative_target()
        # Moved code is seen differently by monkeypatching tests and tracebacks (see "Fix safety").
        if not self.permit_unsafe(view, f"moves business logic of `{view.name.value}` into {names} in {where}"):
            for service in services:
                if not service.reused:
                    self.modules.taken.discard(service.name)
            return []
        return services

    def _extract_from(self, view: cst.FunctionDef, outer: Outer) -> list[Service]:
        planner = self.enter_view(view, outer)
        params = {p.name.value for p in all_params(view.params)}
        finder = RunFinder(self.http, self.options["min-statements"])
        assert isinstance(view.body, cst.IndentedBlock)  # enter_view refuses one-line bodies
        finder.collect_view(view.body, params)
        planned: list[tuple[int, Service]] = []
        # The biggest runs first: when two would get the same name, the more valuable one takes it.
        runs = sorted(enumerate(finder.runs, start=1), key=lambda pair: -count_statements_of(pair[1]))
        for index, run in runs:
            try:
                planned.append((index, self._plan_or_narrow(planner, run, index)))
            except Refused as refused:
                self.add_refusal(run.statements[0], refused, prefix=f"run of `{view.name.value}` not extracted: ")
        services = [service for _, service in sorted(planned, key=lambda pair: pair[0])]
        if not services and not finder.runs:
            minimum = self.options["min-statements"]
            raise Refused(f"no run of {minimum}+ statements without HTTP work", "no-run")
        return services

    def _plan_or_narrow(self, planner: ServicePlanner, run: Run, index: int) -> Service:
        """The run's service; a run over the interface gate is narrowed to its biggest part that passes.

        Its parts are tried biggest first: dropping leading or trailing statements drops the
        parameters only they read, while the rest must still do business work. When none
        passes, the reason says why its parts failed, and how the biggest part within the
        gate could still be extracted when only its name was missing.
        """
        try:
            return planner.plan(run, index)
        except Refused as refused:
            if refused.kind != "interface":
                raise
            parts = narrower_runs(run, self.options["min-statements"])
            failures: Counter[str] = Counter()
            unnamed: str | None = None
            for narrower in parts[:MAX_NARROWING_ATTEMPTS]:
                try:
                    return planner.plan(narrower, index)
                except Refused as failure:
                    failures[failure.kind or "other"] += 1
                    if failure.kind in {"no-name", "name-taken"} and unnamed is None:
                        first, last = self.span(narrower.statements[0])[0], self.span(narrower.statements[-1])[1]
                        unnamed = f"lines {first}-{last} pass the gate, but there is {failure.reason}"
            reason = f"{refused.reason}; {_narrowing_summary(failures, len(parts))}"
            raise Refused(reason + (f"; {unnamed}" if unnamed else ""), refused.kind) from None

    def enter_view(self, view: cst.FunctionDef, outer: Outer) -> ServicePlanner:
        """Check the view as a whole; the planner of its runs, which knows what they are analysed against."""
        if not isinstance(view.body, cst.IndentedBlock):
            raise Refused("its body is on one line", "one-line-view")
        if any(isinstance(o, cst.ClassDef) for o in outer):
            raise Refused("it is defined in a class", "method-view")
        view_locals, problem = function_locals(view)
        if problem:
            raise Refused(f"it contains {problem}", "unfollowed-binding")
        closure: set[str] = set()
        for function in outer:
            assert isinstance(function, cst.FunctionDef)
            names, problem = function_locals(function)
            if problem:
                raise Refused(
                    f"its enclosing function `{function.name.value}` contains {problem}", "unfollowed-binding"
                )
            closure |= names
        _refuse_frame_reads(view, outer, self.modules.facts.imports.keys() | self.modules.facts.defined)
        scope = ViewScope(view, view_locals, closure - view_locals, view.asynchronous is not None)
        self.import_from = self.modules.services_import()
        # The explicit mode extracts exactly what the user chose: no judgement of its value or interface.
        gate = None
        if self.options.get(EXPLICIT_OPTION) is None:
            gate = InterfaceGate(
                self.options["max-parameters"], self.options["max-returns"], self.options["max-record-fields"]
            )
        return ServicePlanner(
            self.modules,
            scope,
            self.http,
            self.qualified,
            self.is_ignored,
            self.add_finding,
            self.options["names"],
            gate,
            Metadata(self).scope,
            self.services,
        )

    # -- the edits -------------------------------------------------------------------------------------

    def propose(self) -> None:
        """Append the services to the services module; import them in the views module, drop unused imports."""
        imports, aliased = services_imports(self.services)
        text = services_text(self.services, aliased, self.modules.target_text)
        self.propose_edit(ExtraFileEdit(self.modules.relative_target(), text, tuple(imports)))
        module, level = self.import_from
        if not level:
            self.own_modules |= {module.split(".")[0]}
        for service in self.services:
            self.add_needed_import("." * level + module if level else module, service.name)
            for original in self.modules.views_imports_of(service.imports):
                source = "." * original.level + original.module
                if original.module or original.level:
                    self.remove_unused_import(source, original.name, original.asname)
                else:
                    self.remove_unused_import(original.name, None, original.asname)


# What a part of a run over the gate failed on, as the skip reason says it.
_PART_FAILURES = {
    "interface": "still too wide",
    "trivial": "no business work",
    "no-name": "no confident name",
    "name-taken": "name taken",
}


def _narrowing_summary(failures: Counter[str], parts: int) -> str:
    """`none of its 12 parts passes (still too wide: 7, no business work: 5)`."""
    if not parts:
        return "no part of it is big enough to extract on its own"
    tried = sum(failures.values())
    counts = ", ".join(f"{_PART_FAILURES.get(kind, kind)}: {n}" for kind, n in failures.most_common())
    scope = f"none of its {parts} parts passes" if tried == parts else f"none of its {tried} biggest parts passes"
    return f"{scope} ({counts})"


# Calls that read every local of the frame they run in (`vars()` and `dir()` without arguments).
_READS_EVERY_LOCAL = frozenset({"locals", "eval", "exec"})
_READS_EVERY_LOCAL_WITHOUT_ARGS = frozenset({"vars", "dir"})


def _refuse_frame_reads(view: cst.FunctionDef, outer: Outer, module_names: set[str]) -> None:
    """Refuse a view whose frame, or its factory's, is read as a whole: moved locals would vanish from it.

    `render_template("page.html", **locals())` anywhere in the view reads the values a run
    would move into a service; `eval`/`exec` may read any of them by name.
    """
    for function in (*outer, view):
        assert isinstance(function, cst.FunctionDef)
        locals_, _ = function_locals(function)
        for node in walk(function):
            if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Name):
                continue
            name = node.func.value
            if name in locals_ or name in module_names:
                continue  # a name the project binds, not the builtin
            if name in _READS_EVERY_LOCAL or (name in _READS_EVERY_LOCAL_WITHOUT_ARGS and not node.args):
                where = "it" if function is view else f"its enclosing function `{function.name.value}`"
                raise Refused(f"{where} calls `{name}()`, which reads every local by name", "frame-introspection")
