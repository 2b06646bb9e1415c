"""route-decorator-order: the route decorator goes outermost."""

from __future__ import annotations

import re

import libcst as cst

from flaskmod.codemods.core.base import Codemod, Example, Safety
from flaskmod.codemods.core.flask import (
    FlaskRoutes,
    decorator_callee,
    looks_like_access_check,
    looks_like_route_decorator,
)
from flaskmod.codemods.core.refusal import IGNORED_KIND, IGNORED_REASON
from flaskmod.codemods.core.syntax import code_of, iter_function_defs, iter_functions_with_outer


def _has_decorator_above_route_lookalike(function: cst.FunctionDef) -> bool:
    seen_other = False
    for decorator in function.decorators:
        if looks_like_route_decorator(decorator):
            if seen_other:
                return True
        else:
            seen_other = True
    return False


class RouteDecoratorOrder(Codemod):
    """
    ## What it does
    Moves every route decorator (`@app.route`, `@bp.get`, `@bp.post`, ... on a Flask
    app or blueprint) above the view's other decorators, keeping the relative order,
    arguments and comments of all of them. Each decorator found above a route is
    reported, whether or not the move is applied.

    ## Why is this bad?
    A route decorator registers the function it receives, when the module is imported.
    A decorator written above it wraps a function Flask has already registered, so it
    never runs for requests: `@login_required` above `@app.route` leaves the view
    silently unprotected.

    ## Known problems
    Moving the decorator turns it on: installs that relied on it never running
    (a `@deprecated` that would now warn on every request) change behaviour. The
    endpoint name is taken from the decorated function: a decorator that does not use
    `functools.wraps` changes it. A route decorator whose object cannot be proven to
    be a Flask app or blueprint (for example a parameter of a registration function)
    is skipped with the reason. Decorators that record the view instead of wrapping it
    (Flask-WTF's `csrf.exempt`, Flask-Limiter's `limiter.exempt`) work in either
    position and are left alone.

    ## Example
    ```python
    @login_required
    @bp.route("/account")
    def account(): ...
    ```
    Use instead:
    ```python
    @bp.route("/account")
    @login_required
    def account(): ...
    ```

    ## Fix safety
    A fix: behaviour changes on purpose, because the old behaviour is a bug. Every
    move is applied only with `--unsafe`; without it the moves are listed as unsafe
    changes left out, and the findings are reported either way.
    """

    ID = "route-decorator-order"
    SUMMARY = "Move route decorators above the view's other decorators, so those run for requests."
    SAFETY = Safety.FIX
    TRIGGER = re.compile(r"@[^\n]*\.(?:route|get|post|put|patch|delete)\s*\(")
    # Names are resolved through the module's imports by FlaskRoutes: no scope analysis needed.
    METADATA_DEPENDENCIES = ()
    EXAMPLES = (
        # Left alone: already in the right order.
        Example(
            """
from flask import Flask
from flask_login import login_required

app = Flask(__name__)

@app.route("/")
@login_required
def index():
    return "hi"
"""
        ),
        # Left alone: not a Flask object (a FastAPI router spells .get too).
        Example(
            """
from fastapi import APIRouter

router = APIRouter()

@cache
@router.get("/items")
def items():
    return []
"""
        ),
        # Left alone: csrf.exempt records the view by name, so its position does not matter.
        Example(
            """
from flask import Blueprint
from flask_wtf.csrf import CSRFProtect

bp = Blueprint("api", __name__)
csrf = CSRFProtect()

@csrf.exempt
@bp.route("/hook", methods=["POST"])
def hook():
    return "ok"
"""
        ),
        # Left alone and reported: `app` is a parameter, so it cannot be proven to be a Flask app.
        Example(
            """
from flask import render_template

def register(app):
    @login_required
    @app.route("/")
    def index():
        return render_template("index.html")
""",
            skips=("cannot prove `app.route` registers on a Flask app or blueprint",),
        ),
        # Left alone: opted out with a comment.
        Example(
            """
from flask import Flask

app = Flask(__name__)

@login_required  # flaskmod: ignore[route-decorator-order]
@app.route("/")
def index():
    return "hi"
""",
            skips=(IGNORED_REASON,),
        ),
        # Without --unsafe the move is reported, not written.
        Example(
            """
from flask import Flask
from flask_login import login_required

app = Flask(__name__)

@login_required
@app.route("/")
def index():
    return "hi"
""",
            findings=("the view is unprotected",),
            allow_unsafe=False,
        ),
        # The classic: an access check above the route never runs.
        Example(
            """
from flask import Flask
from flask_login import login_required

app = Flask(__name__)

@login_required
@app.route("/")
def index():
    return "hi"
""",
            """
from flask import Flask
from flask_login import login_required

app = Flask(__name__)

@app.route("/")
@login_required
def index():
    return "hi"
""",
            findings=("`@login_required` is above `@app.route`",),
        ),
        # A blueprint imported from another module, several stacked routes, comments kept.
        Example(
            """
from flask import render_template
from app.main import bp
from app.auth import admin_only

@admin_only  # staff only
@cache.cached(timeout=60)
# the old URL
@bp.route("/old-report")
@bp.get("/report", strict_slashes=False)
async def report():
    return render_template("report.html")
""",
            """
from flask import render_template
from app.main import bp
from app.auth import admin_only

# the old URL
@bp.route("/old-report")
@bp.get("/report", strict_slashes=False)
@admin_only  # staff only
@cache.cached(timeout=60)
async def report():
    return render_template("report.html")
""",
        ),
        # A decorator between two routes: both rules get the decorated view.
        Example(
            """
import flask

bp = flask.Blueprint("shop", __name__)

@bp.route("/a")
@audit
@bp.route("/b")
@other
def view():
    return "x"
""",
            """
import flask

bp = flask.Blueprint("shop", __name__)

@bp.route("/a")
@bp.route("/b")
@audit
@other
def view():
    return "x"
""",
        ),
        # A view inside an app factory.
        Example(
            """
from flask import Flask as F

def create_app():
    app = F(__name__)

    @timed
    @app.post("/items")
    def create_item():
        return "", 201

    return app
""",
            """
from flask import Flask as F

def create_app():
    app = F(__name__)

    @app.post("/items")
    @timed
    def create_item():
        return "", 201

    return app
""",
        ),
    )

    @classmethod
    def should_transform(cls, module: cst.Module) -> bool:
        return any(_has_decorator_above_route_lookalike(f) for f in iter_function_defs(module))

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        self.routes = FlaskRoutes(self, tree)
        for function in _inner_first(tree):
            if _has_decorator_above_route_lookalike(function):
                self._reorder(function)
        return tree

    def _reorder(self, original_node: cst.FunctionDef) -> None:
        """Report the decorators above the route and, with ``--unsafe``, record the move."""
        kinds = [self.routes.classify(d) for d in original_node.decorators]
        if "unproven-route" in kinds:
            callee = code_of(decorator_callee(original_node.decorators[kinds.index("unproven-route")]))
            if not self.routes.bindings.imports_other_framework:
                self.add_skip(original_node, f"cannot prove `{callee}` registers on a Flask app or blueprint")
            return
        last_route = max(i for i, kind in enumerate(kinds) if kind == "route")
        misplaced = [i for i in range(last_route) if kinds[i] == "other"]
        if not misplaced:
            return
        if self.is_ignored(original_node):
            self.add_skip(original_node, IGNORED_REASON, IGNORED_KIND)
            return
        first_route = code_of(decorator_callee(original_node.decorators[kinds.index("route")]))
        for index in misplaced:
            decorator = original_node.decorators[index]
            name = code_of(decorator_callee(decorator))
            consequence = "so it never runs for requests"
            if looks_like_access_check(self.routes.qualified(decorator_callee(decorator)), name):
                consequence += ": the view is unprotected"
            self.add_finding(
                decorator,
                f"`@{name}` is above `@{first_route}`: Flask registered the view before `{name}` "
                f"was applied, {consequence}",
                error=True,  # a live defect: the decorator is skipped on every request today
            )
        moved = ", ".join(f"`@{code_of(decorator_callee(original_node.decorators[i]))}`" for i in misplaced)
        description = (
            f"move `@{first_route}` above {moved} in `{original_node.name.value}`: "
            "they start running for every request (a decorator without functools.wraps "
            "also changes the endpoint name)"
        )
        if self.permit_unsafe(original_node.decorators[0], description):
            # A callable: a view nested in this one may be moved too.
            self.replace(original_node, lambda updated: _reordered(updated, kinds))


def _inner_first(tree: cst.Module) -> list[cst.FunctionDef]:
    """Every function, a nested one before the function around it (the order a transformer leaves them)."""
    order: list[cst.FunctionDef] = []
    pending: list[cst.FunctionDef] = []
    for function, outer in iter_functions_with_outer(tree):
        while pending and not any(o is pending[-1] for o in outer):
            order.append(pending.pop())
        pending.append(function)
    order += reversed(pending)
    return order


def _reordered(function: cst.FunctionDef, kinds: list[str]) -> cst.FunctionDef:
    """``function`` with its route decorators first, the others after them, each in its order."""
    routes = [d for d, kind in zip(function.decorators, kinds, strict=True) if kind == "route"]
    others = [d for d, kind in zip(function.decorators, kinds, strict=True) if kind != "route"]
    reordered = [*routes, *others]
    # Blank lines stay where they were: a moved decorator keeps only its comments.
    reordered = [
        d.with_changes(leading_lines=[line for line in d.leading_lines if line.comment is not None])
        if moved_from != index
        else d
        for index, (d, moved_from) in enumerate(zip(reordered, _origin(routes, others, function), strict=True))
    ]
    return function.with_changes(decorators=reordered)


def _origin(routes: list[cst.Decorator], others: list[cst.Decorator], function: cst.FunctionDef) -> list[int]:
    """For each decorator in the new order, its index in the old one."""
    position = {id(d): i for i, d in enumerate(function.decorators)}
    return [position[id(d)] for d in (*routes, *others)]
