"""unify-aborts: one error style across the codebase, with a report of the styles found.

The roles, in the order a module meets them (rope's ``extract.py`` is the model):

- ``collector.Collector`` walks the module once and records every error site: Flask
  ``abort`` calls, werkzeug ``raise``\\ s, error returns (read by ``returns.ErrorReturnReader``),
  error handlers, and where each sits (``model.Context``).
- ``report.report_styles`` turns the sites into the "error styles in this file" finding.
- ``aborts.AbortPlanner`` plans abort <-> raise for the chosen style.
- ``json_returns.JsonReturnPlanner`` plans the unsafe JSON-return conversion per app or
  blueprint; every refusal of it is in ``json_checks.JsonChecker``, which asks
  ``package_scan`` for the handlers the package's other modules register.
- ``names.Names`` resolves names and picks how to spell ``abort`` or a class at a site.
- ``UnifyAborts`` (here) runs them and records the ``model.Plan`` as edits (``Codemod.replace``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import ClassVar

import libcst as cst
from libcst.metadata import QualifiedNameProvider, ScopeProvider

from flaskmod.codemods.core.base import Codemod, Option, Safety
from flaskmod.codemods.core.flask import FlaskRoutes
from flaskmod.codemods.core.project import Project
from flaskmod.codemods.unify_aborts.aborts import AbortPlanner
from flaskmod.codemods.unify_aborts.collector import Collector
from flaskmod.codemods.unify_aborts.examples import EXAMPLES
from flaskmod.codemods.unify_aborts.json_returns import JsonReturnPlanner
from flaskmod.codemods.unify_aborts.model import ABORTER_CUSTOMISATION, Plan
from flaskmod.codemods.unify_aborts.names import Names
from flaskmod.codemods.unify_aborts.report import aborter_notices, report_styles
from flaskmod.codemods.unify_aborts.style import inferred_style

__all__ = ["UnifyAborts"]


class UnifyAborts(Codemod):
    """
    ## What it does
    Makes every HTTP error in the codebase use one style, `abort(404)` or
    `raise NotFound()` (by default the one the project already uses more, `abort` on
    a tie; the run says which), and reports each file that mixes styles, with counts:
    `abort`, `raise <HTTPException subclass>`, `jsonify(...)`/dict/`make_response`/text/
    `Response` returns with a status of 400 or more, project error helpers and Flask
    extensions' `abort` (an `abort` method of anything else, such as asyncio's
    `transport.abort()`, is no HTTP error). `abort` and the exception classes are found
    through imports:
    `flask.abort`, `werkzeug.exceptions.abort`, `from werkzeug.exceptions import NotFound`,
    `import werkzeug.exceptions as wex`, `from werkzeug import exceptions`.

    With `--unsafe`, JSON error returns (`return jsonify({"error": msg}), 404`, a dict,
    `make_response(jsonify(...), 404)`, `jsonify(error=msg)`) become aborts too, and the
    blueprint (or app) gets one `HTTPException` handler that renders the same JSON body,
    when every error return in it has the same single-key shape `{key: <str>}`.

    ## Why is this bad?
    One view says `abort(404)`, the next `raise NotFound()`, a third returns a JSON body
    with a 404. Each gives clients a different body and reports differently to
    monitoring, and nobody can tell how errors are rendered without reading every view.

    ## Known problems
    `abort(code, ...)` raises `default_exceptions[code](...)` through the app's aborter;
    an app that customises its aborter (`aborter_class`, `make_aborter`, the mapping) can
    make the two differ: a module that mentions the aborter is skipped, and the run names
    every file that does. The code -> class table is werkzeug 3.1.9's.

    Left alone, with the reason: other frameworks' `abort` (flask-restful, flask-restx,
    `api.abort`), `abort(response)` (its exception never reaches error handlers),
    non-literal codes and codes without a werkzeug class, `abort` inside an expression
    under the raise style, `raise ... from ...` under the abort style, a class name that
    is taken (or would shadow the builtin `NotImplemented`), returns in class-based
    resources, and `render_template(...), 404` (a page with a status, not an error).
    Project error helpers (`bad_request(...)`) and tuples that are not responses
    (`return False, 401, msg`) are only listed or ignored.

    A JSON return is converted only directly in a view whose decorators are routes,
    known access checks, or project decorators that pass the view's response on (their
    definition's wrapper only returns `f(*args, **kwargs)`, through `if`s, or its own
    early response; or declared in `transparent-decorators`); never inside a `try`
    whose `except` could catch `HTTPException`, inside a `with` block (its context
    manager would see the exception), in a generator, or when it sets headers. The app or blueprint must be
    created in the module from plain `Flask`/`Blueprint` (a blueprint defined elsewhere
    may have views this file cannot see), every view of it here must return JSON, all
    its error returns must share one shape, and no handler may already cover those
    codes, here or, found by text, in another module of the package (`errorhandler(500)`
    in the app factory is reported: a code-specific handler takes precedence). An app
    also must not register blueprints or be handed to an extension that adds pages;
    even then an app-wide handler renders routing 404/405 as JSON, which the unsafe
    change says.

    ## Example
    ```python
    from werkzeug.exceptions import Forbidden

    def edit(post):
        if post.author != current_user:
            raise Forbidden("Not yours")
    ```
    Use instead:
    ```python
    from flask import abort

    def edit(post):
        if post.author != current_user:
            abort(403, description="Not yours")
    ```

    ## Fix safety
    Safe: `abort(code, *args, **kwargs)` raises exactly `Class(*args, **kwargs)`, so the
    two styles are interchangeable. Turning a JSON return into an abort is unsafe: the
    response then comes from an error handler, and other HTTP errors of the blueprint get
    its JSON body too. It is applied only with `--unsafe`, and the added handler starts
    from `error.get_response()` so status and headers (`Allow`, `WWW-Authenticate`,
    `Retry-After`) are kept; an exception that carries its own response
    (`abort(400, response=...)`) gets that response unchanged.
    """

    ID = "unify-aborts"
    SUMMARY = "Use one HTTP error style (abort or raise) everywhere, and report the styles each file mixes."
    SAFETY = Safety.SAFE
    # abort, a werkzeug exception (always imported from werkzeug), an error status, an error helper.
    TRIGGER = re.compile(
        r"\babort\b|werkzeug|,\s*(?:[45]\d\d\b|HTTPStatus\.)|status\s*=\s*[45]\d\d"
        r"|return\s+[\w.]*(?:error|bad_request|not_found|forbidden|unauthorized|conflict)\w*\("
    )
    METADATA_DEPENDENCIES = (QualifiedNameProvider, ScopeProvider)
    OPTIONS: ClassVar[Mapping[str, Option]] = {
        "style": Option(
            str,
            "auto",
            'The error style to use: "abort" (`abort(404)`), "raise" (`raise NotFound()`), or "auto": the one '
            "the project already uses more (abort on a tie), said in the run as a finding.",
            choices=("abort", "raise", "auto"),
        ),
        "transparent-decorators": Option(
            list,
            [],
            "Project decorators (by name, `require_api_auth`, or dotted, `app.auth.require_api_auth`) that "
            "neither catch a view's exceptions nor read its response: the JSON conversion may go through them.",
            details="A decorator defined in the project whose wrapper only returns `f(*args, **kwargs)` "
            "(through `if`s) or its own early response is recognised without being declared.",
        ),
    }
    EXAMPLES = EXAMPLES

    # -- the run-level report --------------------------------------------

    @classmethod
    def run_notices(cls, changed: Sequence[tuple[Path, str]], project: Project) -> list[str]:
        if not changed:
            return []
        return aborter_notices(project)

    # -- planning ----------------------------------------------------------

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        style = self.options.get("style", "auto")
        if style not in ("auto", "abort", "raise"):
            self.add_skip(tree, f'unknown style {style!r}: use "auto", "abort" or "raise"', "bad-option")
            return tree
        declared = self.options.get("transparent-decorators", [])
        if not isinstance(declared, list) or not all(isinstance(name, str) for name in declared):
            self.add_skip(tree, "`transparent-decorators` must be a list of decorator names", "bad-option")
            return tree
        self.plan = Plan()
        routes = FlaskRoutes(self, tree)
        names = Names(self, self.plan)
        collector = Collector(self, names, routes)
        tree.visit(collector)
        if not collector.sites:
            return tree
        first_site = report_styles(self, collector.sites)
        if style == "auto":
            style = inferred_style(self, tree, first_site)
        if ABORTER_CUSTOMISATION.search(tree.code):
            self.add_skip(
                collector.sites[0][0],
                "this module customises Flask's aborter: `abort(code)` may not raise werkzeug's default class",
                "custom-aborter",
            )
            return tree
        AbortPlanner(self, names, collector, self.plan, style).plan_all()
        JsonReturnPlanner(self, names, routes, collector, self.plan, style, tree).plan_all()
        if not self.plan.replacements:
            return tree
        for module, name in sorted(self.plan.imports):
            self.add_needed_import(module, name)
        self._record_edits(tree)
        return tree

    def _record_edits(self, tree: cst.Module) -> None:
        for statement, replacement in self.plan.replacements.items():
            self.replace(statement, replacement)
        for index, added in self.plan.insert_after.items():
            # A callable: the view after which the handler goes has its own returns rewritten.
            self.replace(tree.body[index], lambda updated, added=added: cst.FlattenSentinel([updated, *added]))
