"""unify-aborts: one error style across the codebase, with a report of the styles found."""

from __future__ import annotations

import contextlib
import http
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import libcst as cst
from libcst.metadata import (
    Assignment,
    QualifiedNameProvider,
    QualifiedNameSource,
    Scope,
    ScopeProvider,
)

from flaskmod.codemods.core.base import Codemod, Example, Option, Safety
from flaskmod.codemods.core.flask import (
    ACCESS_CHECK_DECORATORS,
    ERROR_HANDLER_DECORATORS,
    ERROR_HANDLER_REGISTRARS,
    FLASK_ABORT_FUNCTIONS,
    HTTP_ERROR_CLASSES,
    HTTP_ERROR_CLASSES_BY_NAME,
    HTTP_EXCEPTIONS_WITHOUT_ABORT_CODE,
    JSONIFY_FUNCTIONS,
    MAKE_RESPONSE_FUNCTIONS,
    RESOURCE_BASE_CLASSES,
    RESPONSE_CLASSES,
    TEMPLATE_RENDERERS,
    FlaskRoutes,
    HTTPErrorClass,
    decorator_callee,
    dotted_name,
)
from flaskmod.codemods.core.refusal import IGNORED_REASON
from flaskmod.codemods.core.syntax import code_of

# Only plain Flask objects get the JSON error handler: APIFlask and flask-smorest
# render HTTP errors themselves.
PLAIN_APPS = frozenset({"flask.Flask", "flask.app.Flask"})
PLAIN_BLUEPRINTS = frozenset({"flask.Blueprint", "flask.blueprints.Blueprint"})
# Extensions that serve no pages of their own: handing them the app adds no HTML errors.
PAGELESS_EXTENSIONS = frozenset(
    {
        "flask_sqlalchemy.SQLAlchemy",
        "flask_sqlalchemy_lite.SQLAlchemy",
        "flask_migrate.Migrate",
        "flask_cors.CORS",
        "flask_marshmallow.Marshmallow",
        "flask_caching.Cache",
        "flask_compress.Compress",
        "flask_jwt_extended.JWTManager",
        "flask_mail.Mail",
        "flask_bcrypt.Bcrypt",
    }
)
# Exception classes an `except` clause catches every HTTPException with.
CATCH_ALL = frozenset({"builtins.Exception", "builtins.BaseException", "werkzeug.exceptions.HTTPException"})
HTTP_STATUS_VALUES = {f"http.HTTPStatus.{status.name}": status.value for status in http.HTTPStatus}
# A file that mentions these may customise what `abort(code)` raises.
ABORTER_CUSTOMISATION = re.compile(
    r"\baborter\b|aborter_class|make_aborter|\bAborter\b|\babort\.mapping\b"
    r"|default_exceptions\s*\[[^\]]*\]\s*=|default_exceptions\.(?:update|setdefault)\("
)
# Project helpers that build an error response, reported (never rewritten).
HELPER_NAMES = frozenset(re.sub(r"(?<!^)(?=[A-Z])", "_", e.name).lower() for e in HTTP_ERROR_CLASSES.values())
HANDLER_NAME = "handle_http_error"
IGNORED = IGNORED_REASON
STYLE_ORDER = ("abort", "raise", "jsonify return", "dict return", "make_response return", "text return")


def _is_string(node: cst.BaseExpression) -> bool:
    """Is ``node`` certainly a ``str`` (so a JSON string and an exception description)?"""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        return "b" not in _string_prefix(node)
    if isinstance(node, cst.FormattedString):
        return True
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
        return isinstance(node.left, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)) and _is_string(
            node.left
        )
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "format":
        return isinstance(node.func.value, (cst.SimpleString, cst.ConcatenatedString)) and _is_string(node.func.value)
    return False


def _string_prefix(node: cst.SimpleString | cst.ConcatenatedString) -> str:
    if isinstance(node, cst.ConcatenatedString):
        left = node.left
        return _string_prefix(left) if isinstance(left, (cst.SimpleString, cst.ConcatenatedString)) else ""
    return node.prefix.lower()


def _arg(value: cst.BaseExpression, keyword: str | None = None) -> cst.Arg:
    if keyword is None:
        return cst.Arg(value=value)
    return cst.Arg(
        value=value,
        keyword=cst.Name(keyword),
        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )


def _with_commas(args: Sequence[cst.Arg]) -> list[cst.Arg]:
    """Separate the arguments with ``, `` where they have no comma yet; the last keeps its own."""
    result = []
    for index, arg in enumerate(args):
        if index < len(args) - 1 and arg.comma is cst.MaybeSentinel.DEFAULT:
            arg = arg.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        result.append(arg)
    return result


def _exception_args(args: Sequence[cst.Arg], error: HTTPErrorClass) -> list[cst.Arg]:
    """The exception's arguments, a lone positional message written as ``description=``.

    Only where the class's first parameter is ``description``: 405's is
    ``valid_methods`` and 416's ``length``, and those are kept as they are.
    """
    positional = [a for a in args if a.keyword is None]
    if (
        error.first_param == "description"
        and len(positional) == 1
        and positional[0] is args[0]
        and not positional[0].star
        and not any(a.keyword is not None and a.keyword.value == "description" for a in args)
    ):
        first = args[0]
        return [_arg(first.value, "description").with_changes(comma=first.comma), *args[1:]]
    return list(args)


@dataclass
class _ErrorReturn:
    """A ``return <body>, <status>`` (or make_response/Response) with a status of 400 or more."""

    node: cst.Return
    kind: str
    status: int
    headers: bool = False
    key: str | None = None  # the single JSON key, when the body is {key: <str>}
    key_node: cst.BaseExpression | None = None
    message: cst.BaseExpression | None = None


@dataclass
class _Context:
    """Where a node sits: its function, class and the blocks between."""

    function: cst.FunctionDef | None
    top_level_function: bool
    classes: list[cst.ClassDef]
    in_with: bool
    catching_try: bool
    in_lambda: bool


@dataclass
class _Handler:
    """An error handler registration found in the file."""

    node: cst.CSTNode | None  # None: in another module of the package
    spelled: str
    code: int | None = None
    catch_all: bool = False
    unknown: bool = False
    where: str = ""  # " in <path>" for another module

    @property
    def described(self) -> str:
        return f"`{self.spelled}`{self.where}"


@dataclass
class _Plan:
    """What the planning pass found and decided, applied by the transform pass."""

    replacements: dict[int, cst.BaseSmallStatement] = field(default_factory=dict)
    insert_after: dict[int, list[cst.BaseStatement]] = field(default_factory=dict)


class UnifyAborts(Codemod):
    """
    ## What it does
    Makes every HTTP error in the codebase use one style, `abort(404)` (the default)
    or `raise NotFound()`, and reports, per file, which styles it found: `abort`,
    `raise <HTTPException subclass>`, `jsonify(...)`/dict/`make_response`/text/`Response`
    returns with a status of 400 or more, project error helpers and other frameworks'
    `abort`. `abort` and the exception classes are found through imports:
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

    A JSON return is converted only directly in a view whose decorators are routes or
    known access checks; never inside a `try` whose `except` could catch
    `HTTPException`, inside a `with` block (its context manager would see the
    exception), in a generator, or when it sets headers. The app or blueprint must be
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
    `Retry-After`) are kept.

    ## Options
    `style`: `"abort"` (default) or `"raise"`.
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
            "abort",
            'The error style to use: "abort" (`abort(404)`) or "raise" (`raise NotFound()`).',
            choices=("abort", "raise"),
        ),
    }
    EXAMPLES = (
        # Left alone: already the abort style; the styles are still reported.
        Example(
            """
from flask import abort

def show(post):
    if post is None:
        abort(404)
    if post.private:
        abort(403, "Private post")
    return post.body
""",
            findings=("error styles in this file: abort x2",),
        ),
        # Left alone: flask-restful's abort has another signature and body.
        Example(
            """
from flask_restful import abort

def get_todo(todo_id):
    if todo_id not in TODOS:
        abort(404, message="Todo {} doesn't exist".format(todo_id))
""",
            skips=("`abort` here is `flask_restful.abort`, not Flask's",),
        ),
        # Left alone: abort with a response object bypasses the error handlers.
        Example(
            """
from flask import abort, make_response

def check(data):
    if not data:
        abort(make_response("missing data", 400))
""",
            skips=("`abort(<response>)` raises an exception no error handler sees",),
            options={"style": "raise"},
        ),
        # Left alone: a code without a werkzeug class, and a non-literal code.
        Example(
            """
from flask import abort

def pay(order, code):
    if not order.paid:
        abort(402)
    abort(code)
""",
            skips=("no werkzeug exception class for status 402", "the status code is not a literal"),
            options={"style": "raise"},
        ),
        # Left alone under the raise style: abort inside an expression cannot become a raise.
        Example(
            """
from flask import abort

def load(key):
    return Model.query.get(key) or abort(404)
""",
            skips=("`abort` inside an expression cannot become a `raise`",),
            options={"style": "raise"},
        ),
        # Left alone under the abort style: `raise ... from ...` keeps a cause abort cannot.
        Example(
            """
from werkzeug.exceptions import BadRequest

def parse(text):
    try:
        return int(text)
    except ValueError as error:
        raise BadRequest("not a number") from error
""",
            skips=("`raise ... from ...` sets a cause that `abort` cannot",),
        ),
        # Left alone: a class no abort code raises.
        Example(
            """
from werkzeug.exceptions import BadRequestKeyError

def field(form, name):
    if name not in form:
        raise BadRequestKeyError(name)
""",
            skips=("no `abort` code raises `BadRequestKeyError`",),
        ),
        # Left alone: an HTML page with a status, a helper's tuple, a project error helper.
        Example(
            """
from flask import Blueprint, render_template
from .errors import bad_request

bp = Blueprint("main", __name__)

def check_token(token):
    if token is None:
        return False, 401, "missing token"
    return True, 200, ""

@bp.route("/missing")
def missing():
    return render_template("404.html"), 404

@bp.post("/items")
def create():
    return bad_request("no items")
""",
            findings=("error styles in this file: error helper `bad_request()` x1",),
        ),
        # Left alone: a JSON return in a try whose `except Exception` would swallow the abort.
        Example(
            """
from flask import Blueprint, jsonify

bp = Blueprint("api", __name__)

@bp.route("/items/<int:item_id>")
def item(item_id):
    try:
        found = load(item_id)
        if found is None:
            return jsonify({"error": "not found"}), 404
    except Exception:
        log.exception("loading item %s failed", item_id)
        raise
    return jsonify(found)
""",
            skips=("inside a `try` whose `except` would catch the HTTPException",),
        ),
        # Left alone: the blueprint also renders HTML, so one JSON handler does not fit it.
        Example(
            """
from flask import Blueprint, jsonify, render_template

bp = Blueprint("shop", __name__)

@bp.route("/")
def index():
    return render_template("index.html")

@bp.route("/api/items/<int:item_id>")
def item(item_id):
    return jsonify({"error": "not found"}), 404
""",
            skips=("`bp` also renders HTML",),
        ),
        # Left alone: error returns with different shapes.
        Example(
            """
from flask import Blueprint, jsonify

bp = Blueprint("api", __name__)

@bp.route("/a")
def a():
    return jsonify({"error": "not found"}), 404

@bp.route("/b")
def b():
    return {"message": "conflict"}, 409
""",
            skips=("error returns in `bp` have different shapes",),
        ),
        # Left alone: already an error handler for these codes.
        Example(
            """
from flask import Blueprint, jsonify

bp = Blueprint("api", __name__)

@bp.errorhandler(404)
def not_found(error):
    return jsonify({"error": "nothing here"}), 404

@bp.route("/a")
def a():
    return jsonify({"error": "not found"}), 404
""",
            skips=("there is already an error handler for 404",),
        ),
        # Without --unsafe, the JSON conversion is reported, not written.
        Example(
            """
from flask import Blueprint, jsonify

bp = Blueprint("api", __name__)

@bp.route("/items/<int:item_id>")
def item(item_id):
    return jsonify({"error": "not found"}), 404
""",
            allow_unsafe=False,
        ),
        # Left alone: opted out with a comment.
        Example(
            """
from werkzeug.exceptions import NotFound

def show(post):
    if post is None:
        raise NotFound()  # flaskmod: ignore[unify-aborts]
""",
            skips=(IGNORED,),
        ),
        # raise -> abort, each import form; the unused import goes.
        Example(
            """
from werkzeug.exceptions import NotFound, Forbidden
import werkzeug.exceptions as wex
from werkzeug import exceptions

def show(post, user):
    if post is None:
        raise NotFound()
    if post.author != user:
        raise Forbidden("Not yours")
    if post.locked:
        raise wex.Conflict
    if post.gone:
        raise exceptions.Gone(description="Deleted")
    return post
""",
            """
from flask import abort

def show(post, user):
    if post is None:
        abort(404)
    if post.author != user:
        abort(403, description="Not yours")
    if post.locked:
        abort(409)
    if post.gone:
        abort(410, description="Deleted")
    return post
""",
            findings=(
                "error styles in this file: raise Conflict x1, raise Forbidden x1, raise Gone x1, raise NotFound x1",
            ),
        ),
        # `return abort(...)` drops the dead return; a 405's positional argument is its valid methods.
        Example(
            """
import flask
from werkzeug.exceptions import MethodNotAllowed

def view(method):
    if method != "GET":
        raise MethodNotAllowed(["GET"])
    return flask.abort(404)
""",
            """
import flask

def view(method):
    if method != "GET":
        flask.abort(405, ["GET"])
    flask.abort(404)
""",
        ),
        # abort -> raise with the raise style: flask.abort and werkzeug's abort.
        Example(
            """
from flask import abort
from werkzeug.exceptions import abort as wz_abort

def show(post, user):
    if post is None:
        abort(404)
    if post.author != user:
        return abort(403, "Not yours")
    if post.locked:
        wz_abort(409, description="Locked")
    return post
""",
            """
from werkzeug.exceptions import Conflict, Forbidden, NotFound

def show(post, user):
    if post is None:
        raise NotFound()
    if post.author != user:
        raise Forbidden(description="Not yours")
    if post.locked:
        raise Conflict(description="Locked")
    return post
""",
            options={"style": "raise"},
        ),
        # JSON error returns with one shape, with --unsafe: aborts plus one blueprint handler.
        Example(
            """
from flask import Blueprint, jsonify, request

bp = Blueprint("api", __name__)

@bp.route("/items/<int:item_id>")
def item(item_id):
    found = ITEMS.get(item_id)
    if found is None:
        return jsonify({"error": f"no item {item_id}"}), 404
    return jsonify(found)

@bp.post("/items")
def create():
    if not request.is_json:
        return {"error": "expected JSON"}, 415
    return jsonify(ITEMS), 201
""",
            """
from flask import abort, Blueprint, jsonify, request
from werkzeug.exceptions import HTTPException

bp = Blueprint("api", __name__)

@bp.route("/items/<int:item_id>")
def item(item_id):
    found = ITEMS.get(item_id)
    if found is None:
        abort(404, description=f"no item {item_id}")
    return jsonify(found)

@bp.post("/items")
def create():
    if not request.is_json:
        abort(415, description="expected JSON")
    return jsonify(ITEMS), 201


@bp.errorhandler(HTTPException)
def handle_http_error(error):
    # Status and headers (Allow, WWW-Authenticate, Retry-After) come from the exception;
    # the body is the JSON these views returned before they aborted.
    response = error.get_response()
    body = jsonify({"error": error.description})
    response.data = body.get_data()
    response.content_type = body.content_type
    return response
""",
            findings=("error styles in this file: jsonify return x1, dict return x1",),
        ),
    )

    # -- the run-level report --------------------------------------------

    @classmethod
    def run_notices(cls, changed: Sequence[tuple[Path, str]], scanned: Sequence[Path]) -> list[str]:
        if not changed:
            return []
        customised = []
        for path in scanned:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if ABORTER_CUSTOMISATION.search(text):
                customised.append(_shown(path))
        if not customised:
            return []
        return [
            f"{', '.join(customised)} may customise Flask's aborter: `abort(code)` can then raise other classes "
            "than werkzeug's defaults; review this run's abort/raise conversions with that in mind"
        ]

    # -- planning ----------------------------------------------------------

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        style = self.options.get("style", "abort")
        if style not in ("abort", "raise"):
            self.add_skip(tree, f'unknown style {style!r}: use "abort" or "raise"')
            return tree
        self.style: str = style
        self.routes = FlaskRoutes(self, tree)
        self.tree = tree
        self.plan = _Plan()
        self._imports_to_add: set[tuple[str, str]] = set()
        collector = _Collector(self)
        tree.visit(collector)
        self.collector = collector
        if not collector.sites:
            return tree
        self._report_styles()
        if ABORTER_CUSTOMISATION.search(tree.code):
            self.add_skip(
                collector.sites[0][0],
                "this module customises Flask's aborter: `abort(code)` may not raise werkzeug's default class",
            )
            return tree
        self._plan_aborts_and_raises()
        self._plan_json_returns()
        if not self.plan.replacements:
            return tree
        for module, name in sorted(self._imports_to_add):
            self.add_needed_import(module, name)
        return tree.visit(self)

    def _report_styles(self) -> None:
        sites = sorted(self.collector.sites, key=lambda site: self.line_of(site[0]))
        counts = Counter(label for _, label in sites)

        def rank(label: str) -> tuple[int, str]:
            head = label.split(" ")[0] if label.startswith("raise") else label
            return (STYLE_ORDER.index(head) if head in STYLE_ORDER else len(STYLE_ORDER), label)

        listed = ", ".join(f"{label} x{counts[label]}" for label in sorted(counts, key=rank))
        self.add_finding(sites[0][0], f"error styles in this file: {listed}")

    def _plan_aborts_and_raises(self) -> None:
        for call, parent in self.collector.aborts:
            if self.style == "abort":
                if isinstance(parent, cst.Return):
                    if self._skip_if_ignored(call):
                        continue
                    self.plan.replacements[id(parent)] = cst.Expr(value=call, semicolon=parent.semicolon)
                continue
            self._plan_abort_to_raise(call, parent)
        if self.style == "abort":
            for raise_node, error in self.collector.raises:
                self._plan_raise_to_abort(raise_node, error)

    def _skip_if_ignored(self, node: cst.CSTNode) -> bool:
        if self.is_ignored(node):
            self.add_skip(node, IGNORED)
            return True
        return False

    def _plan_abort_to_raise(self, call: cst.Call, parent: cst.CSTNode | None) -> None:
        error = self._abort_error_class(call)
        if error is None:
            return
        if not isinstance(parent, (cst.Expr, cst.Return)):
            self.add_skip(call, "`abort` inside an expression cannot become a `raise`")
            return
        if self._skip_if_ignored(call):
            return
        spelled = self._class_spelling(call, error)
        if spelled is None:
            return
        args = _exception_args(call.args[1:], error)
        # with_changes keeps the call's own layout (a line break after the parenthesis).
        exception = call.with_changes(func=cst.parse_expression(spelled), args=_with_commas(args))
        self.plan.replacements[id(parent)] = cst.Raise(exc=exception, semicolon=parent.semicolon)
        self._remove_import_of(call.func)

    def _abort_error_class(self, call: cst.Call) -> HTTPErrorClass | None:
        """The class ``abort(...)`` raises, or None with the reason recorded."""
        first = call.args[0] if call.args else None
        if first is None or first.keyword is not None or first.star:
            self.add_skip(call, "the status code is not a literal")
            return None
        if isinstance(first.value, cst.Call):
            self.add_skip(call, "`abort(<response>)` raises an exception no error handler sees: left alone")
            return None
        status = self._status(first.value)
        if status is None:
            self.add_skip(call, "the status code is not a literal")
            return None
        error = HTTP_ERROR_CLASSES.get(status)
        if error is None:
            self.add_skip(call, f"no werkzeug exception class for status {status}")
        return error

    def _plan_raise_to_abort(self, raise_node: cst.Raise, error: HTTPErrorClass | None) -> None:
        exc = raise_node.exc
        if exc is None:  # the collector never records a bare `raise`
            return
        callee = exc.func if isinstance(exc, cst.Call) else exc
        if error is None:
            self.add_skip(raise_node, f"no `abort` code raises `{code_of(callee).split('.')[-1]}`")
            return
        if raise_node.cause is not None:
            self.add_skip(raise_node, "`raise ... from ...` sets a cause that `abort` cannot: left alone")
            return
        if self._skip_if_ignored(raise_node):
            return
        spelled = self._abort_spelling(raise_node)
        if spelled is None:
            return
        args = _exception_args(exc.args, error) if isinstance(exc, cst.Call) else []
        new_args = _with_commas([_arg(cst.Integer(str(error.code))), *args])
        func = cst.parse_expression(spelled)
        call = exc.with_changes(func=func, args=new_args) if isinstance(exc, cst.Call) else cst.Call(func, new_args)
        self.plan.replacements[id(raise_node)] = cst.Expr(value=call, semicolon=raise_node.semicolon)
        self._remove_import_of(callee)

    def _remove_import_of(self, node: cst.CSTNode) -> None:
        # A relative import LibCST cannot resolve raises ValueError: keep that import.
        with contextlib.suppress(ValueError):
            self.remove_unused_import_by_node(node)

    # -- names -------------------------------------------------------------

    def _scope(self, node: cst.CSTNode) -> Scope | None:
        return self.get_metadata(ScopeProvider, node, None)

    def _spelling(self, site: cst.CSTNode, module: str, name: str, also: frozenset[str] = frozenset()) -> str | None:
        """How to write ``module.name`` at ``site``, or one of the equivalent names ``also``.

        In order: an existing name for ``module.name``; an existing bare ``name`` for one
        of ``also``; ``name``, imported from ``module`` (when free); an existing dotted
        name for one of ``also``. None (with a skip) when ``name`` is taken.
        """
        scope = self._scope(site)
        if scope is None:
            return None
        preferred = frozenset({f"{module}.{name}"})
        acceptable = preferred | also
        candidates = [name]
        for assignment in scope.globals.assignments:
            for qualified in scope.globals.get_qualified_names_for(assignment.name):
                if qualified.source is not QualifiedNameSource.IMPORT:
                    continue
                if f"{qualified.name}.{name}" in acceptable:  # a module: `wex.NotFound`
                    candidates.append(f"{assignment.name}.{name}")
                elif qualified.name in acceptable and assignment.name != name:  # an alias: `NF`
                    candidates.append(assignment.name)

        def resolves(candidate: str, wanted: frozenset[str]) -> bool:
            names = scope.get_qualified_names_for(candidate)
            return bool(names) and all(q.source is QualifiedNameSource.IMPORT and q.name in wanted for q in names)

        free = name not in scope and name not in scope.globals
        # Where the module already imports names from ``module``, a new name joins them.
        imports_names = any(
            isinstance(assignment, Assignment)
            and isinstance(assignment.node, cst.ImportFrom)
            and q.name.rsplit(".", 1)[0] == module
            for assignment in scope.globals.assignments
            for q in scope.globals.get_qualified_names_for(assignment.name)
        )
        for candidate in candidates:
            if resolves(candidate, preferred) and ("." not in candidate or not (free and imports_names)):
                return candidate
        if resolves(name, acceptable):
            return name
        if free:
            self._imports_to_add.add((module, name))
            return name
        for candidate in candidates:
            if resolves(candidate, acceptable):
                return candidate
        self.add_skip(site, f"`{name}` already names something else in this module")
        return None

    def _abort_spelling(self, site: cst.CSTNode) -> str | None:
        return self._spelling(site, "flask", "abort", FLASK_ABORT_FUNCTIONS)

    def _class_spelling(self, site: cst.CSTNode, error: HTTPErrorClass) -> str | None:
        return self._spelling(site, "werkzeug.exceptions", error.name)

    def qualified(self, node: cst.CSTNode) -> set[str]:
        return {q.name for q in self.get_metadata(QualifiedNameProvider, node, set())}

    def _status(self, node: cst.BaseExpression) -> int | None:
        if isinstance(node, cst.Integer):
            value = node.evaluated_value
            return value if isinstance(value, int) else None
        if isinstance(node, (cst.Name, cst.Attribute)):
            values = {HTTP_STATUS_VALUES[q] for q in self.qualified(node) if q in HTTP_STATUS_VALUES}
            return values.pop() if len(values) == 1 else None
        return None

    # -- JSON error returns --------------------------------------------------

    def _plan_json_returns(self) -> None:
        groups: dict[str, list[_ErrorReturn]] = {}
        for ret, context in self.collector.returns:
            owner = self._json_candidate_owner(ret, context)
            if owner is not None:
                groups.setdefault(owner, []).append(ret)
        for owner, returns in groups.items():
            self._plan_group(owner, returns)

    def _json_candidate_owner(self, ret: _ErrorReturn, context: _Context) -> str | None:
        """The app or blueprint whose handler would render ``ret``, or None with the reason."""
        node = ret.node
        if any(self._is_resource(c) for c in context.classes):
            return None  # reported once per class by the collector
        if self.is_ignored(node):
            self.add_skip(node, IGNORED)
            return None
        function = context.function
        if function is None or not context.top_level_function or not self.routes.is_view(function):
            self.add_skip(node, "not directly in a view function: the caller decides what the returned tuple means")
            return None
        if function in self.collector.generators:
            self.add_skip(node, "the view is a generator: its return is not the response")
            return None
        if ret.headers:
            self.add_skip(node, "the return sets headers: left alone")
            return None
        if ret.key is None:
            self.add_skip(node, f"a {ret.kind.removesuffix(' return')} body is not a `{{key: <str>}}` JSON body")
            return None
        if context.catching_try:
            self.add_skip(node, "inside a `try` whose `except` would catch the HTTPException: left alone")
            return None
        if context.in_with:
            self.add_skip(node, "inside a `with` block, whose context manager would see the exception: left alone")
            return None
        if ret.status not in HTTP_ERROR_CLASSES:
            self.add_skip(node, f"no werkzeug exception class for status {ret.status}")
            return None
        owners = {_route_owner(d) for d in self.routes.route_decorators(function)}
        if len(owners) != 1 or None in owners:
            self.add_skip(node, "the view is routed on several objects: left alone")
            return None
        for decorator in function.decorators:
            if self.routes.classify(decorator) in ("route", "position-independent"):
                continue
            if self.qualified(decorator_callee(decorator)) & ACCESS_CHECK_DECORATORS:
                continue
            name = code_of(decorator_callee(decorator))
            self.add_skip(node, f"`@{name}` wraps the view: it could see the exception or read the returned tuple")
            return None
        return owners.pop()

    def _is_resource(self, cls: cst.ClassDef) -> bool:
        return any(self.qualified(base.value) & RESOURCE_BASE_CLASSES for base in cls.bases)

    def _owner_kind(self, owner: str) -> str | None:
        """ "app" or "blueprint" when ``owner`` is created once, at module level, from plain Flask."""
        found = None
        for statement in self.tree.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if (
                    isinstance(small, cst.Assign)
                    and len(small.targets) == 1
                    and isinstance(small.targets[0].target, cst.Name)
                    and small.targets[0].target.value == owner
                    and isinstance(small.value, cst.Call)
                ):
                    factory = self.qualified(small.value.func)
                    found = "app" if factory & PLAIN_APPS else "blueprint" if factory & PLAIN_BLUEPRINTS else None
        if len(self.routes.bindings.assigned_calls.get(owner, [])) != 1 or owner in self.routes.bindings.other_bindings:
            return None
        return found

    def _plan_group(self, owner: str, returns: list[_ErrorReturn]) -> None:
        first = returns[0].node
        kind = self._owner_kind(owner)
        if kind is None:
            self.add_skip(first, f"`{owner}` is not a Flask app or blueprint created in this module: left alone")
            return
        views = [
            f
            for f in self.collector.top_level_views
            if owner in {_route_owner(d) for d in self.routes.route_decorators(f)}
        ]
        all_returns = [r for r, c in self.collector.returns if c.function in views]
        shapes = sorted({r.key if r.key is not None else f"<{r.kind}>" for r in all_returns})
        if len(shapes) > 1:
            self.add_skip(first, f"error returns in `{owner}` have different shapes ({', '.join(shapes)}): left alone")
            return
        html = [f.name.value for f in views if f in self.collector.renders_html]
        if html:
            self.add_skip(
                first, f"`{owner}` also renders HTML (in `{html[0]}`): one JSON error handler does not fit it"
            )
            return
        for view in views:
            other = next((r for r in self.collector.view_returns.get(view, []) if not self._returns_json(r)), None)
            if other is not None:
                self.add_skip(
                    first,
                    f"`{view.name.value}` returns a response not proven to be JSON (line {self.line_of(other)}): "
                    f"one JSON error handler does not fit `{owner}`",
                )
                return
        if kind == "app":
            if self.collector.registers_blueprints:
                self.add_skip(first, "the app registers blueprints whose errors an app-wide handler would also catch")
                return
            handed = next((c for c in self.collector.calls_with_names.get(owner, []) if not self._harmless(c)), None)
            if handed is not None:
                self.add_skip(
                    first,
                    f"the app is handed to `{code_of(handed.func)}(...)`, which may add pages whose errors "
                    "an app-wide JSON handler would also catch",
                )
                return
        codes = {r.status for r in returns}
        handlers = self.collector.handlers + _package_handlers(self.context.filename)
        for handler in handlers:
            if handler.unknown:
                self.add_skip(first, f"cannot tell which errors {handler.described} handles: left alone")
                return
            if handler.catch_all or handler.code in codes:
                what = handler.code if handler.code in codes else "every HTTP error"
                self.add_skip(first, f"there is already an error handler for {what} ({handler.described})")
                return
        scope = self._scope(self.tree.body[0]) if self.tree.body else None
        for name, wanted in (("HTTPException", "werkzeug.exceptions.HTTPException"), ("jsonify", "flask.jsonify")):
            names = {q.name for q in scope.get_qualified_names_for(name)} if scope is not None else set()
            if names and names != {wanted} and not (name == "jsonify" and names <= JSONIFY_FUNCTIONS):
                self.add_skip(first, f"`{name}` already names something else in this module")
                return
        if scope is None or HANDLER_NAME in scope.globals:
            self.add_skip(first, f"`{HANDLER_NAME}` is already defined in this module")
            return
        converted: dict[int, cst.BaseSmallStatement] = {}
        for ret in returns:
            replacement = self._converted_return(ret)
            if replacement is not None:
                converted[id(ret.node)] = replacement
        if not converted:
            return
        for handler in handlers:
            if handler.code is not None:
                self.add_finding(
                    handler.node or first,
                    f"{handler.described} handles {handler.code} errors and takes precedence over "
                    f"the new `HTTPException` handler on `{owner}`",
                )
        if not self.permit_unsafe(first, self._describe(owner, kind, returns, views)):
            return
        self.plan.replacements.update(converted)
        for ret in returns:
            if id(ret.node) in converted and ret.node.value is not None:
                self._remove_import_of(ret.node.value)  # make_response, HTTPStatus... when now unused
        key = code_of(returns[0].key_node) if returns[0].key_node is not None else json.dumps(returns[0].key)
        last_view = max(self.tree.body.index(v) for v in views)
        self.plan.insert_after[last_view] = [_handler_code(owner, key, self.tree)]
        self._imports_to_add |= {("werkzeug.exceptions", "HTTPException"), ("flask", "jsonify")}

    def _returns_json(self, node: cst.Return) -> bool:
        """Is this view return certainly a JSON response (or an abort)?"""
        value = node.value
        if isinstance(value, cst.Tuple) and value.elements:
            value = value.elements[0].value
        if isinstance(value, cst.Call) and self.qualified(value.func) & MAKE_RESPONSE_FUNCTIONS and value.args:
            value = value.args[0].value
        if isinstance(value, (cst.Dict, cst.List)):
            return True
        json_or_abort = JSONIFY_FUNCTIONS | FLASK_ABORT_FUNCTIONS
        return isinstance(value, cst.Call) and bool(self.qualified(value.func) & json_or_abort)

    def _harmless(self, call: cst.Call) -> bool:
        """Does handing the app to this call add no pages (an extension known to serve none)?"""
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("errorhandler", "register_error_handler"):
            return True
        if isinstance(func, cst.Attribute) and func.attr.value == "init_app" and isinstance(func.value, cst.Name):
            return self.routes.bound_from(func.value.value, PAGELESS_EXTENSIONS)
        return bool(self.qualified(func) & PAGELESS_EXTENSIONS)

    def _converted_return(self, ret: _ErrorReturn) -> cst.BaseSmallStatement | None:
        error = HTTP_ERROR_CLASSES[ret.status]
        assert ret.message is not None
        description = _arg(ret.message, "description")
        if self.style == "raise":
            spelled = self._class_spelling(ret.node, error)
            if spelled is None:
                return None
            exception = cst.Call(func=cst.parse_expression(spelled), args=[description])
            return cst.Raise(exc=exception, semicolon=ret.node.semicolon)
        spelled = self._abort_spelling(ret.node)
        if spelled is None:
            return None
        call = cst.Call(
            func=cst.parse_expression(spelled), args=_with_commas([_arg(cst.Integer(str(ret.status))), description])
        )
        return cst.Expr(value=call, semicolon=ret.node.semicolon)

    def _describe(self, owner: str, kind: str, returns: list[_ErrorReturn], views: list[cst.FunctionDef]) -> str:
        target = "`abort(...)`" if self.style == "abort" else "`raise ...`"
        text = (
            f"turn {len(returns)} JSON error return(s) in `{owner}` into {target} and add an `HTTPException` "
            f"handler on `{owner}` that keeps the exception's status and headers and renders the same JSON body"
        )
        existing = sum(1 for _, c in self.collector.raise_sites if c in views)
        if existing:
            text += (
                f"; the {existing} abort/raise already in its views get that JSON body instead of werkzeug's HTML page"
            )
        if kind == "app":
            return text + (
                "; app-wide, it also renders routing 404/405 errors (for HTML pages too) and request parsing "
                "errors as JSON"
            )
        return text + "; request parsing errors in its views get the JSON body too"

    # -- applying ----------------------------------------------------------

    def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.BaseSmallStatement:
        return self.plan.replacements.get(id(original_node), updated_node)

    def leave_Raise(self, original_node: cst.Raise, updated_node: cst.Raise) -> cst.BaseSmallStatement:
        return self.plan.replacements.get(id(original_node), updated_node)

    def leave_Expr(self, original_node: cst.Expr, updated_node: cst.Expr) -> cst.BaseSmallStatement:
        return self.plan.replacements.get(id(original_node), updated_node)

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not self.plan.insert_after:
            return updated_node
        body: list[cst.BaseStatement] = []
        for index, statement in enumerate(updated_node.body):
            body.append(statement)
            body += self.plan.insert_after.get(index, [])
        return updated_node.with_changes(body=body)


_HANDLER_REGISTRATION = re.compile(r"\.(?:app_errorhandler|errorhandler|register_error_handler)\(\s*([\w.]+)")
_PACKAGE_SCAN_LIMIT = 2000


def _package_handlers(filename: str | None) -> list[_Handler]:
    """Error handlers registered in the other modules of the file's package, found by text.

    The app factory and other blueprints often register handlers (``@app.errorhandler(500)``,
    ``@bp.app_errorhandler(404)``) that take precedence over a blueprint's class handler.
    """
    if not filename:
        return []
    path = Path(filename).resolve()
    if not path.is_file():
        return []
    top = path.parent
    while (top / "__init__.py").is_file() and (top.parent / "__init__.py").is_file() and top.parent != top:
        top = top.parent
    if (top / "__init__.py").is_file():
        files = sorted(top.rglob("*.py"))[:_PACKAGE_SCAN_LIMIT] + sorted(top.parent.glob("*.py"))
        root = top.parent
    else:
        files, root = sorted(top.glob("*.py")), top
    handlers = []
    for other in files:
        if other == path:
            continue
        try:
            text = other.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for match in _HANDLER_REGISTRATION.finditer(text):
            argument = match.group(1)
            spelled = f"{match.group(0).lstrip('.')})"
            where = f" in {other.relative_to(root).as_posix()}"
            last = argument.rsplit(".", 1)[-1]
            error = next((e for e in HTTP_ERROR_CLASSES.values() if e.name == last), None)
            if argument.isdigit():
                handlers.append(_Handler(None, spelled, where=where, code=int(argument)))
            elif argument.startswith(("HTTPStatus.", "http.HTTPStatus.")) and last in http.HTTPStatus.__members__:
                handlers.append(_Handler(None, spelled, where=where, code=http.HTTPStatus[last].value))
            elif error is not None:
                handlers.append(_Handler(None, spelled, where=where, code=error.code))
            elif last in ("HTTPException", "Exception", "BaseException"):
                handlers.append(_Handler(None, spelled, where=where, catch_all=True))
            elif not last[:1].isupper():
                # A variable (a code from a loop): it may cover these errors.
                handlers.append(_Handler(None, spelled, where=where, unknown=True))
    return handlers


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def _route_owner(decorator: cst.Decorator) -> str | None:
    callee = decorator_callee(decorator)
    return dotted_name(callee.value) if isinstance(callee, cst.Attribute) else None


def _handler_code(owner: str, key: str, module: cst.Module) -> cst.BaseStatement:
    indent = module.default_indent
    code = (
        f"@{owner}.errorhandler(HTTPException)\n"
        f"def {HANDLER_NAME}(error):\n"
        f"{indent}# Status and headers (Allow, WWW-Authenticate, Retry-After) come from the exception;\n"
        f"{indent}# the body is the JSON these views returned before they aborted.\n"
        f"{indent}response = error.get_response()\n"
        f"{indent}body = jsonify({{{key}: error.description}})\n"
        f"{indent}response.data = body.get_data()\n"
        f"{indent}response.content_type = body.content_type\n"
        f"{indent}return response\n"
    )
    handler = cst.parse_module(code, config=module.config_for_parsing).body[0]
    # Two blank lines before a top-level definition, as PEP 8 and formatters want.
    return handler.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])


class _Collector(cst.CSTVisitor):
    """The planning pass: every error site of the module, with where it sits."""

    def __init__(self, codemod: UnifyAborts) -> None:
        super().__init__()
        self.codemod = codemod
        self.stack: list[cst.CSTNode] = []
        self.sites: list[tuple[cst.CSTNode, str]] = []
        self.aborts: list[tuple[cst.Call, cst.CSTNode | None]] = []
        self.raises: list[tuple[cst.Raise, HTTPErrorClass | None]] = []
        self.raise_sites: list[tuple[cst.CSTNode, cst.FunctionDef | None]] = []
        self.returns: list[tuple[_ErrorReturn, _Context]] = []
        self.handlers: list[_Handler] = []
        self.renders_html: set[cst.FunctionDef] = set()
        self.generators: set[cst.FunctionDef] = set()
        self.top_level_views: list[cst.FunctionDef] = []
        self.registers_blueprints = False
        self.view_returns: dict[cst.FunctionDef, list[cst.Return]] = {}
        self.calls_with_names: dict[str, list[cst.Call]] = {}
        self.reported_classes: set[int] = set()

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.stack.append(node)
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        super().on_leave(original_node)
        self.stack.pop()

    def context(self) -> _Context:
        functions = [i for i, n in enumerate(self.stack) if isinstance(n, cst.FunctionDef)]
        start = functions[-1] if functions else 0
        inner = self.stack[start:]
        catching = False
        for index, node in enumerate(inner[:-1]):
            if isinstance(node, cst.TryStar) and inner[index + 1] is node.body:
                catching = True
            if isinstance(node, cst.Try) and inner[index + 1] is node.body:
                catching = catching or any(self._catches(h) for h in node.handlers)
        return _Context(
            function=self.stack[start] if functions else None,  # type: ignore[arg-type]
            top_level_function=bool(functions) and start == 1,
            classes=[n for n in self.stack if isinstance(n, cst.ClassDef)],
            in_with=any(isinstance(n, cst.With) for n in inner),
            catching_try=catching,
            in_lambda=any(isinstance(n, cst.Lambda) for n in inner),
        )

    def _catches(self, handler: cst.ExceptHandler) -> bool:
        """Could this ``except`` catch an HTTPException? Unknown names count as yes."""
        if handler.type is None:
            return True
        types = [e.value for e in handler.type.elements] if isinstance(handler.type, cst.Tuple) else [handler.type]
        for node in types:
            names = self.codemod.get_metadata(QualifiedNameProvider, node, set())
            if not names or (any(q.source is QualifiedNameSource.LOCAL for q in names) and not self._is_class(node)):
                # A class of this module cannot be a base of werkzeug's exceptions; a variable may hold one.
                return True
            qualified = {q.name for q in names}
            if qualified & CATCH_ALL or any(
                q.startswith("werkzeug.exceptions.") or q.startswith("werkzeug.") for q in qualified
            ):
                return True
        return False

    # -- sites ---------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if len(self.stack) == 2 and self.codemod.routes.is_view(node):
            self.top_level_views.append(node)

    def visit_Call(self, node: cst.Call) -> None:
        for arg in node.args:
            if isinstance(arg.value, cst.Name):
                self.calls_with_names.setdefault(arg.value.value, []).append(node)
        codemod = self.codemod
        qualified = codemod.qualified(node.func)
        if qualified & FLASK_ABORT_FUNCTIONS:
            parent = self.stack[-2] if len(self.stack) > 1 else None
            self.aborts.append((node, parent))
            self.sites.append((node, "abort"))
            self.raise_sites.append((node, self.context().function))
        elif qualified & TEMPLATE_RENDERERS:
            function = self.context().function
            if function is not None:
                self.renders_html.add(function)
        elif _is_abort_lookalike(node.func):
            names = codemod.get_metadata(QualifiedNameProvider, node.func, set())
            imported = sorted(q.name for q in names if q.source is QualifiedNameSource.IMPORT)
            if imported:
                self.sites.append((node, f"other abort `{imported[0]}`"))
                reason = f"`abort` here is `{imported[0]}`, not Flask's: other signature and body, left alone"
            else:
                self.sites.append((node, f"other abort `{code_of(node.func)}`"))
                reason = f"`{code_of(node.func)}` is not Flask's `abort` (not imported from flask): left alone"
            codemod.add_skip(node, reason)
        if isinstance(node.func, cst.Attribute):
            method = node.func.attr.value
            if method in ERROR_HANDLER_REGISTRARS and node.args:
                self._handler(node, node.args[0].value)
            elif method == "register_blueprint":
                self.registers_blueprints = True

    def visit_Decorator(self, node: cst.Decorator) -> None:
        expression = node.decorator
        if (
            isinstance(expression, cst.Call)
            and isinstance(expression.func, cst.Attribute)
            and expression.func.attr.value in ERROR_HANDLER_DECORATORS
            and expression.args
        ):
            self._handler(node, expression.args[0].value)

    def _handler(self, node: cst.CSTNode, target: cst.BaseExpression) -> None:
        spelled = "@" + code_of(node.decorator) if isinstance(node, cst.Decorator) else code_of(node)
        code = self.codemod._status(target)
        if code is not None:
            self.handlers.append(_Handler(node, spelled, code=code))
            return
        if not isinstance(target, (cst.Name, cst.Attribute)):
            self.handlers.append(_Handler(node, spelled, unknown=True))
            return
        names = self.codemod.get_metadata(QualifiedNameProvider, target, set())
        qualified = {q.name for q in names}
        error = next((HTTP_ERROR_CLASSES_BY_NAME[q] for q in qualified if q in HTTP_ERROR_CLASSES_BY_NAME), None)
        if error is not None:
            self.handlers.append(_Handler(node, spelled, code=error.code))
        elif qualified & CATCH_ALL:
            self.handlers.append(_Handler(node, spelled, catch_all=True))
        elif not names or not all(q.source is not QualifiedNameSource.LOCAL or self._is_class(target) for q in names):
            # A variable (a code from a loop, a tuple of classes): it may cover these errors.
            self.handlers.append(_Handler(node, spelled, unknown=True))
        # Any other class is not a base of werkzeug's HTTP exceptions, so it handles other errors.

    def _is_class(self, target: cst.BaseExpression) -> bool:
        """Is the local name ``target`` bound only by class definitions?"""
        scope = self.codemod._scope(target)
        if scope is None or not isinstance(target, cst.Name):
            return False
        assignments = scope[target.value]
        return bool(assignments) and all(
            isinstance(a, Assignment) and isinstance(a.node, cst.ClassDef) for a in assignments
        )

    def visit_Yield(self, node: cst.Yield) -> None:
        function = self.context().function
        if function is not None:
            self.generators.add(function)

    def visit_Raise(self, node: cst.Raise) -> None:
        exc = node.exc
        if exc is None:
            return
        callee = exc.func if isinstance(exc, cst.Call) else exc
        qualified = self.codemod.qualified(callee)
        error = next((HTTP_ERROR_CLASSES_BY_NAME[q] for q in qualified if q in HTTP_ERROR_CLASSES_BY_NAME), None)
        werkzeug = error is not None or bool(qualified & HTTP_EXCEPTIONS_WITHOUT_ABORT_CODE)
        if not werkzeug:
            return
        name = error.name if error is not None else sorted(qualified & HTTP_EXCEPTIONS_WITHOUT_ABORT_CODE)[0]
        self.sites.append((node, f"raise {name.split('.')[-1]}"))
        self.raises.append((node, error))
        self.raise_sites.append((node, self.context().function))

    def visit_Return(self, node: cst.Return) -> None:
        context = self.context()
        if context.function is not None and context.top_level_function:
            self.view_returns.setdefault(context.function, []).append(node)
        if node.value is None:
            return
        resources = [c for c in context.classes if self.codemod._is_resource(c)]
        found = self._error_return(node)
        if found is None:
            helper = _helper_name(node.value)
            if helper is not None and isinstance(node.value, cst.Call):
                qualified = self.codemod.qualified(node.value.func)
                if all(q.split(".")[0] not in ("flask", "werkzeug") for q in qualified):
                    self.sites.append((node, f"error helper `{helper}()`"))
            return
        if resources:
            cls = resources[-1]
            if id(cls) not in self.reported_classes:
                self.reported_classes.add(id(cls))
                self.codemod.add_skip(
                    cls, f"returns in class-based resource `{cls.name.value}` are rendered by its framework: left alone"
                )
            return
        self.sites.append((node, found.kind))
        self.returns.append((found, context))

    def _error_return(self, node: cst.Return) -> _ErrorReturn | None:
        codemod = self.codemod
        value = node.value
        if isinstance(value, cst.Tuple):
            elements = value.elements
            if len(elements) not in (2, 3) or any(isinstance(e, cst.StarredElement) for e in elements):
                return None
            body, status_node = elements[0].value, elements[1].value
            headers = len(elements) == 3
            kind = None
        elif isinstance(value, cst.Call):
            qualified = codemod.qualified(value.func)
            positional = [a.value for a in value.args if a.keyword is None and not a.star]
            if qualified & MAKE_RESPONSE_FUNCTIONS and len(positional) in (2, 3) and len(positional) == len(value.args):
                body, status_node = positional[0], positional[1]
                headers = len(positional) == 3
                kind = "make_response return"
            elif qualified & RESPONSE_CLASSES:
                status_arg = next(
                    (a for a in value.args if a.keyword is not None and a.keyword.value == "status"), None
                )
                if status_arg is None and len(positional) > 1:
                    status_arg = value.args[1]
                status = codemod._status(status_arg.value) if status_arg is not None else None
                if status is None or status < 400:
                    return None
                return _ErrorReturn(node, "Response return", status)
            else:
                return None
        else:
            return None
        status = codemod._status(status_node)
        if status is None or status < 400:
            return None
        shape = self._json_shape(body)
        if shape is not None:
            body_kind, key_node, key, message = shape
            return _ErrorReturn(node, kind or body_kind, status, headers, key, key_node, message)
        if isinstance(body, cst.Call):
            qualified = codemod.qualified(body.func)
            if qualified & JSONIFY_FUNCTIONS:
                return _ErrorReturn(node, kind or "jsonify return", status, headers)
            if qualified & RESPONSE_CLASSES:
                return _ErrorReturn(node, kind or "Response return", status, headers)
            return None
        if isinstance(body, cst.Dict):
            return _ErrorReturn(node, kind or "dict return", status, headers)
        if isinstance(body, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            return _ErrorReturn(node, kind or "text return", status, headers)
        return None

    def _json_shape(
        self, body: cst.BaseExpression
    ) -> tuple[str, cst.BaseExpression | None, str, cst.BaseExpression] | None:
        """(kind, key node, key, message) for a ``{key: <str>}`` JSON body."""
        if isinstance(body, cst.Dict):
            return _single_key_dict(body, "dict return")
        if not (isinstance(body, cst.Call) and self.codemod.qualified(body.func) & JSONIFY_FUNCTIONS):
            return None
        if len(body.args) != 1 or body.args[0].star:
            return None
        arg = body.args[0]
        if arg.keyword is not None:
            if not _is_string(arg.value):
                return None
            return "jsonify return", None, arg.keyword.value, arg.value
        if isinstance(arg.value, cst.Dict):
            return _single_key_dict(arg.value, "jsonify return")
        return None


def _single_key_dict(
    node: cst.Dict, kind: str
) -> tuple[str, cst.BaseExpression | None, str, cst.BaseExpression] | None:
    if len(node.elements) != 1 or not isinstance(node.elements[0], cst.DictElement):
        return None
    element = node.elements[0]
    if not isinstance(element.key, cst.SimpleString) or not _is_string(element.value):
        return None
    key = element.key.evaluated_value
    if not isinstance(key, str):
        return None
    return kind, element.key, key, element.value


def _is_abort_lookalike(func: cst.BaseExpression) -> bool:
    return (isinstance(func, cst.Name) and func.value == "abort") or (
        isinstance(func, cst.Attribute) and func.attr.value == "abort"
    )


def _helper_name(value: cst.BaseExpression) -> str | None:
    """``bad_request`` for ``return bad_request(...)``: a project helper that builds an error response."""
    if not isinstance(value, cst.Call):
        return None
    name = value.func.attr.value if isinstance(value.func, cst.Attribute) else dotted_name(value.func)
    if name is None:
        return None
    lowered = name.lower()
    if lowered in HELPER_NAMES or lowered.endswith("_error") or lowered.startswith("error_") or "_error_" in lowered:
        return name
    return None
