"""unify-aborts' documented examples: each one is also a test (``tests/test_codemods.py``)."""

from __future__ import annotations

from flaskmod.codemods.core.base import Example
from flaskmod.codemods.core.refusal import IGNORED_REASON

EXAMPLES = (
    # Left alone: already one style. The default style "auto" says what it chose.
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
        findings=(
            'style "auto" chose abort: the project already leans that way, with 2 `abort(...)` and '
            "0 `raise <HTTPException>` in 1 file(s)",
        ),
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
        options={"style": "abort"},
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

@bp.get("/items/<int:item_id>")
def item(item_id):
    return {"error": "no such item"}, 404
""",
        findings=("error styles in this file: dict return x1, error helper `bad_request()` x1",),
        skips=("`bp` also renders HTML",),
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
        skips=(IGNORED_REASON,),
        options={"style": "abort"},
    ),
    # raise -> abort with the abort style, each import form; the unused import goes.
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
        options={"style": "abort"},
    ),
    # The default style "auto": the code leans to raise, so the one abort becomes a raise.
    Example(
        """
from flask import abort
from werkzeug.exceptions import Forbidden, NotFound

def show(post, user):
    if post is None:
        raise NotFound()
    if post.author != user:
        raise Forbidden("Not yours")
    if post.locked:
        abort(409)
    return post
""",
        """
from werkzeug.exceptions import Conflict, Forbidden, NotFound

def show(post, user):
    if post is None:
        raise NotFound()
    if post.author != user:
        raise Forbidden("Not yours")
    if post.locked:
        raise Conflict()
    return post
""",
        findings=(
            "error styles in this file: abort x1, raise Forbidden x1, raise NotFound x1",
            'style "auto" chose raise: the project already leans that way, with 1 `abort(...)` and '
            "2 `raise <HTTPException>` in 1 file(s)",
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
from flask import Blueprint, abort, jsonify, request
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
    # An exception that carries its own response (`abort(400, response=...)`) keeps it.
    if error.response is not None:
        return error.response
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
