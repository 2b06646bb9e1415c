"""Edge cases of unify-aborts beyond its documented examples."""

from __future__ import annotations

import inspect
import os
import py_compile
import shutil
from pathlib import Path

import pytest
import werkzeug.exceptions

from flaskmod.codemods.core import project as project_module
from flaskmod.codemods.core.base import Example
from flaskmod.codemods.core.engine import RunRequest, RunResult, run, transform_source
from flaskmod.codemods.core.flask import HTTP_ERROR_CLASSES, HTTP_EXCEPTIONS_WITHOUT_ABORT_CODE
from flaskmod.codemods.core.project import Project
from flaskmod.codemods.core.writer import write_results
from flaskmod.codemods.unify_aborts import UnifyAborts, package_scan
from flaskmod.codemods.unify_aborts.decorators import harmless_decorators
from tests.helpers import apply_codemod, check_noop, check_transformed, run_sample_suite


def _messages(record: object, kind: str) -> list[str]:
    """The messages of a record's skips or findings (none when nothing was recorded)."""
    return [note.message for note in getattr(record, kind, [])] if record is not None else []


# -- the werkzeug table, checked against the installed werkzeug -----------------


def test_table_matches_werkzeug_default_exceptions() -> None:
    installed = werkzeug.exceptions.default_exceptions
    assert sorted(HTTP_ERROR_CLASSES) == sorted(installed)
    for code, error in HTTP_ERROR_CLASSES.items():
        cls = installed[code]
        assert cls.__name__ == error.name
        assert list(inspect.signature(cls.__init__).parameters)[1] == error.first_param
        bases = tuple(c.__name__ for c in cls.__mro__[1:] if c.__module__ == "werkzeug.exceptions")
        assert bases == error.bases
    others = {
        f"werkzeug.exceptions.{name}"
        for name, value in vars(werkzeug.exceptions).items()
        if isinstance(value, type)
        and issubclass(value, werkzeug.exceptions.HTTPException)
        and value not in installed.values()
        and not name.startswith("_")
    }
    assert others == HTTP_EXCEPTIONS_WITHOUT_ABORT_CODE


def test_abort_raises_the_class_with_the_same_arguments() -> None:
    """The claim every abort/raise rewrite rests on, on the installed Flask and werkzeug."""
    import flask

    app = flask.Flask(__name__)
    with app.app_context():
        for code, error in HTTP_ERROR_CLASSES.items():
            with pytest.raises(werkzeug.exceptions.HTTPException) as raised:
                flask.abort(code, description="x")
            assert type(raised.value) is getattr(werkzeug.exceptions, error.name)
            assert raised.value.description == "x"
    with pytest.raises(werkzeug.exceptions.MethodNotAllowed) as not_allowed:
        flask.abort(405, ["GET"])
    assert not_allowed.value.valid_methods == ["GET"]


# -- left alone --------------------------------------------------------------


def test_local_abort_function_is_not_flasks() -> None:
    record = check_noop(
        UnifyAborts,
        """
        def abort(code):
            raise SystemExit(code)

        def main():
            abort(2)
        """,
    )
    assert _messages(record, "skips") == ["`abort` is not Flask's `abort` (not imported from flask): left alone"]


def test_api_abort_and_restx_abort_are_left_alone() -> None:
    record = check_noop(
        UnifyAborts,
        """
        from flask_restx import Namespace, abort

        ns = Namespace("todos")

        def get(todo_id):
            if todo_id < 0:
                ns.abort(404, "Todo not found")
            abort(400, "bad id")
        """,
        options={"style": "raise"},
    )
    skips = _messages(record, "skips")
    assert "`abort` here is `flask_restx.abort`, not Flask's: other signature and body, left alone" in skips
    assert any(s.startswith("`ns.abort` is not Flask's") for s in skips)
    assert any(s.startswith("`ns.abort` is not Flask's `abort` (`ns` is a `flask_restx.Namespace`)") for s in skips)
    assert _messages(record, "findings") == []  # one style: flask-restx's abort


def test_only_files_mixing_flask_or_werkzeug_styles_are_reported() -> None:
    _, record = apply_codemod(
        UnifyAborts,
        """\
from flask import abort
from werkzeug.exceptions import NotFound

class Protocol:
    def connection_lost(self, transport):
        transport.abort()
        self.abort()

def view(item):
    if item is None:
        raise NotFound()
    abort(409)
""",
        options={"style": "raise"},
    )
    assert _messages(record, "skips") == []
    assert _messages(record, "findings") == ["error styles in this file: abort x1, raise NotFound x1"]
    single = check_noop(
        UnifyAborts, "from flask import abort\n\ndef view():\n    abort(404)\n", options={"style": "abort"}
    )
    assert not _messages(single, "findings")


def test_status_passed_by_keyword_is_not_a_literal() -> None:
    record = check_noop(
        UnifyAborts,
        """
        from flask import abort

        def view():
            abort(code=404)
        """,
        options={"style": "raise"},
    )
    assert _messages(record, "skips") == ["the status code is not a literal"]


def test_raise_http_exception_itself_has_no_code() -> None:
    record = check_noop(
        UnifyAborts,
        """
        from werkzeug.exceptions import HTTPException

        def view(response):
            raise HTTPException(response=response)
        """,
    )
    assert _messages(record, "skips") == ["no `abort` code raises `HTTPException`"]


def test_module_customising_the_aborter_is_skipped() -> None:
    record = check_noop(
        UnifyAborts,
        """
        from flask import Flask, abort
        from werkzeug.exceptions import NotFound

        app = Flask(__name__)
        app.aborter.mapping[404] = MyNotFound

        def view():
            raise NotFound()
        """,
    )
    assert "this module customises Flask's aborter" in _messages(record, "skips")[0]


def test_raise_style_never_shadows_the_builtin_not_implemented() -> None:
    record = check_noop(
        UnifyAborts,
        """
        from flask import abort

        def view():
            abort(501)
        """,
        options={"style": "raise"},
    )
    assert _messages(record, "skips") == ["`NotImplemented` already names something else in this module"]


def test_raise_style_skips_a_class_name_taken_by_a_local_class() -> None:
    record = check_noop(
        UnifyAborts,
        """
        from flask import abort

        class NotFound(Exception):
            pass

        def view():
            abort(404)
        """,
        options={"style": "raise"},
    )
    assert _messages(record, "skips") == ["`NotFound` already names something else in this module"]


def test_abort_style_skips_when_abort_is_another_frameworks() -> None:
    record = check_noop(
        UnifyAborts,
        """
        from flask_restful import abort
        from werkzeug.exceptions import NotFound

        def view():
            raise NotFound()
        """,
        options={"style": "abort"},
    )
    assert "`abort` already names something else in this module" in _messages(record, "skips")


def test_unknown_style_is_reported() -> None:
    record = check_noop(UnifyAborts, "from flask import abort\nabort(404)\n", options={"style": "exceptions"})
    assert _messages(record, "skips") == ['unknown style \'exceptions\': use "auto", "abort" or "raise"']


JSON_VIEW = """
from flask import Blueprint, jsonify

bp = Blueprint("api", __name__)

{decorators}@bp.route("/items/<int:item_id>")
def item(item_id):
{body}
    return jsonify({{"id": item_id}})
"""


@pytest.mark.parametrize(
    ("decorators", "body", "reason"),
    [
        ("", '    return jsonify({"error": "gone"}), 410, {"X-Reason": "gone"}', "the return sets headers"),
        ("", '    with lock:\n        return jsonify({"error": "busy"}), 409', "inside a `with` block"),
        ("", '    try:\n        return {"error": "x"}, 400\n    except:\n        pass', "inside a `try`"),
        ("", '    try:\n        return {"error": "x"}, 400\n    except (wex.HTTPException, E):\n        pass', "`try`"),
        ("", '    if item_id:\n        return {"error": "x"}, 499', "no werkzeug exception class for status 499"),
        ("", '    return jsonify({"error": error}), 400', "a jsonify body is not a `{key: <str>}` JSON body"),
        ("", '    return jsonify({"error": "x", "code": 4}), 400', "a jsonify body is not"),
        ("", '    return "nope", 400', "a text body is not"),
        ("", '    yield "x"\n    return {"error": "x"}, 400', "the view is a generator"),
        ("@cached\n", '    return {"error": "x"}, 400', "`@cached` wraps the view"),
        ("", '    return {"error": "x"}, 400  # flaskmod: ignore', "ignored by a `# flaskmod: ignore` comment"),
    ],
)
def test_json_returns_left_alone(decorators: str, body: str, reason: str) -> None:
    record = check_noop(UnifyAborts, JSON_VIEW.format(decorators=decorators, body=body))
    assert any(reason in s for s in _messages(record, "skips")), _messages(record, "skips")
    assert not record or not record.unsafe_applied


def test_except_body_is_not_protected_by_its_own_try() -> None:
    record = check_transformed(
        UnifyAborts,
        """
        from flask import Blueprint, jsonify

        bp = Blueprint("api", __name__)

        @bp.route("/n/<text>")
        def number(text):
            try:
                value = int(text)
            except ValueError:
                return jsonify({"error": "not a number"}), 400
            return jsonify({"value": value})
        """,
        """
        from flask import Blueprint, abort, jsonify
        from werkzeug.exceptions import HTTPException

        bp = Blueprint("api", __name__)

        @bp.route("/n/<text>")
        def number(text):
            try:
                value = int(text)
            except ValueError:
                abort(400, description="not a number")
            return jsonify({"value": value})


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
    )
    assert len(record.unsafe_applied) == 1


A_VIEW = '\n@{owner}.route("/a")\ndef a():\n    return {{"error": "x"}}, 404\n'
APP = "from flask import Flask, jsonify\n\napp = Flask(__name__)\n"


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (
            "from flask import jsonify\nfrom .api import bp\n" + A_VIEW.format(owner="bp"),
            "`bp` is not a Flask app or blueprint created in this module",
        ),
        (
            APP + "from .pages import pages\napp.register_blueprint(pages)\n" + A_VIEW.format(owner="app"),
            "the app registers blueprints",
        ),
        (
            APP + "from flask_admin import Admin\nadmin = Admin(app)\n" + A_VIEW.format(owner="app"),
            "the app is handed to `Admin(...)`",
        ),
        (
            APP + '\n@app.route("/")\ndef index():\n    return "<h1>Hi</h1>"\n' + A_VIEW.format(owner="app"),
            "`index` returns a response not proven to be JSON (line 7)",
        ),
        (
            APP
            + "\n@app.errorhandler(Exception)\ndef oops(e):\n    return jsonify(error='oops'), 500\n"
            + A_VIEW.format(owner="app"),
            "there is already an error handler for every HTTP error (`@app.errorhandler(Exception)`)",
        ),
        (
            APP
            + "for code in (400, 404):\n    app.register_error_handler(code, handle)\n"
            + A_VIEW.format(owner="app"),
            "cannot tell which errors `app.register_error_handler(code, handle)` handles",
        ),
        (
            APP + "\ndef handle_http_error():\n    pass\n" + A_VIEW.format(owner="app"),
            "`handle_http_error` is already defined in this module",
        ),
    ],
)
def test_json_groups_left_alone(source: str, reason: str) -> None:
    record = check_noop(UnifyAborts, source)
    assert any(reason in s for s in _messages(record, "skips")), _messages(record, "skips")


def test_class_based_resources_are_reported_once() -> None:
    record = check_noop(
        UnifyAborts,
        """
        from flask_restful import Resource

        class Todo(Resource):
            def get(self, todo_id):
                if todo_id not in TODOS:
                    return {"message": "no such todo"}, 404
                if todo_id < 0:
                    return {"message": "bad id"}, 400
                return TODOS[todo_id]
        """,
    )
    assert _messages(record, "skips") == [
        "returns in class-based resource `Todo` are rendered by its framework: left alone"
    ]


def test_handlers_in_other_modules_of_the_package(tmp_path: Path) -> None:
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n\n"
        "    @app.errorhandler(500)\n    def oops(e):\n        return 'oops', 500\n    return app\n"
    )
    (package / "errors.py").write_text("from . import bp\n\n@bp.app_errorhandler(HTTPStatus.CONFLICT)\ndef c(e): ...\n")
    api = package / "api.py"
    source = 'from flask import Blueprint\n\nbp = Blueprint("api", __name__)\n\n@bp.route("/a")\ndef a():\n'
    api.write_text(source + '    return {"error": "x"}, 404\n')
    result = transform_source(api, "api.py", api.read_bytes(), (UnifyAborts,), {}, True)
    record = result.records[0]
    assert 'abort(404, description="x")' in record.after
    assert (
        "`errorhandler(500)` in shop/__init__.py handles 500 errors and takes precedence over the new "
        "`HTTPException` handler on `bp`" in _messages(record, "findings")
    )
    api.write_text(source + '    return {"error": "x"}, 409\n')
    result = transform_source(api, "api.py", api.read_bytes(), (UnifyAborts,), {}, True)
    assert result.final == api.read_text()
    assert _messages(result.records[0], "skips") == [
        "there is already an error handler for 409 (`app_errorhandler(HTTPStatus.CONFLICT)` in shop/errors.py)"
    ]


def test_package_scan_cache_follows_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The per-process cache of other modules' handlers never serves a file's old text."""
    monkeypatch.setattr(project_module, "_SETTLED_SECONDS", 0.0)
    monkeypatch.setattr(project_module, "_fact_cache", {})
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    errors = package / "errors.py"
    errors.write_text("@bp.app_errorhandler(404)\ndef a(e): ...\n")
    api = package / "api.py"
    api.write_text("")

    def described() -> list[str]:
        return [h.described for h in package_scan.package_handlers(str(api), Project())]

    assert described() == ["`app_errorhandler(404)` in shop/errors.py"]
    assert any(path == errors.resolve() for path, _ in project_module._fact_cache)
    read_text = Path.read_text

    def read_only_api(self: Path, *args: object, **kwargs: object) -> str:
        assert self != errors.resolve(), "an unchanged file is read again"
        return read_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", read_only_api)
    assert described() == ["`app_errorhandler(404)` in shop/errors.py"]
    monkeypatch.setattr(Path, "read_text", read_text)
    # The same size, and (on a coarse clock) the same mtime: the stamp still differs once utime moves it.
    errors.write_text("@bp.app_errorhandler(409)\ndef a(e): ...\n")
    stat = errors.stat()
    os.utime(errors, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert described() == ["`app_errorhandler(409)` in shop/errors.py"]
    (package / "more.py").write_text("app.register_error_handler(HTTPException, h)\n")
    assert described() == [
        "`app_errorhandler(409)` in shop/errors.py",
        "`register_error_handler(HTTPException)` in shop/more.py",
    ]


def test_package_scan_does_not_cache_a_file_changed_just_now(tmp_path: Path) -> None:
    (tmp_path / "__init__.py").write_text("")
    fresh = tmp_path / "errors.py"
    fresh.write_text("@app.errorhandler(500)\ndef oops(e): ...\n")
    handlers = package_scan.package_handlers(str(tmp_path / "__init__.py"), Project())
    assert [h.code for h in handlers] == [500]
    assert all(path != fresh.resolve() for path, _ in project_module._fact_cache)


def _only_example(**wanted: object) -> Example:
    """The one documented example with these field values: a reordering of EXAMPLES cannot swap it."""
    found = [e for e in UnifyAborts.EXAMPLES if all(getattr(e, k) == v for k, v in wanted.items())]
    assert len(found) == 1, found
    return found[0]


def test_without_unsafe_the_json_change_is_listed_not_written() -> None:
    example = _only_example(allow_unsafe=False)
    assert 'return jsonify({"error": "not found"}), 404' in example.before
    record = check_noop(UnifyAborts, example.before, allow_unsafe=False)
    assert record is not None and len(record.unsafe_left_out) == 1
    assert "turn 1 JSON error return(s) in `bp` into `abort(...)`" in record.unsafe_left_out[0].message


# -- project decorators: which let the JSON conversion through ----------------

DECORATOR = """
import functools
from functools import wraps

def deco(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
{body}
    return wrapper
"""


@pytest.mark.parametrize(
    ("body", "harmless"),
    [
        ("        return f(*args, **kwargs)", True),
        ("        if not ok():\n            return {'error': 'no'}, 401\n        return f(*args, **kwargs)", True),
        (
            "        if ok():\n            return f(*args, user=1, **kwargs)\n        else:\n            abort(403)",
            True,
        ),
        (
            "        try:\n            return f(*args, **kwargs)\n        except Exception:\n            abort(500)",
            False,
        ),
        ("        with lock:\n            return f(*args, **kwargs)", False),
        ("        response = f(*args, **kwargs)\n        response.headers['X'] = '1'\n        return response", False),
        ("        return make_response(f(*args, **kwargs))", False),
        ("        log(f.__name__)\n        return f(*args, **kwargs)", False),
        ("        for _ in range(2):\n            return f(*args, **kwargs)", False),
        ("        yield f(*args, **kwargs)", False),
        ("        return None", False),
    ],
)
def test_harmless_decorator_shapes(body: str, harmless: bool) -> None:
    assert (("deco", "plain") in harmless_decorators(DECORATOR.format(body=body))) is harmless


def test_harmless_decorator_needs_one_definition_and_functools_wraps() -> None:
    plain = DECORATOR.format(body="        return f(*args, **kwargs)")
    assert harmless_decorators(plain + "deco = other\n") == frozenset()
    assert harmless_decorators(plain.replace("from functools import wraps", "from mylib import wraps")) == frozenset()
    factory = "def role(name):\n    def deco(f):\n        def wrapper(*a, **k):\n            return f(*a, **k)\n"
    factory += "        return wrapper\n    return deco\n"
    assert harmless_decorators(factory) == frozenset({("role", "factory")})


CHECKED_VIEW = """
from flask import Blueprint, jsonify

bp = Blueprint("api", __name__)


def checked(f):
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs)

    return wrapper


@bp.route("/items/<int:item_id>")
@checked
def item(item_id):
    if item_id > 9:
        return jsonify({"error": "no such item"}), 404
    return jsonify({"id": item_id})
"""


def test_a_local_harmless_decorator_lets_the_conversion_through() -> None:
    output, record = apply_codemod(UnifyAborts, CHECKED_VIEW, allow_unsafe=True)
    assert 'abort(404, description="no such item")' in output
    assert record is not None and "errors raised in `@checked`" in record.unsafe_applied[0].message


def test_a_declared_decorator_lets_the_conversion_through() -> None:
    unproven = CHECKED_VIEW.replace("        return f(", "        print(f)\n        return f(")
    record = check_noop(UnifyAborts, unproven, allow_unsafe=True)
    assert any("`@checked` wraps the view" in s for s in _messages(record, "skips"))
    output, _ = apply_codemod(UnifyAborts, unproven, options={"transparent-decorators": ["checked"]}, allow_unsafe=True)
    assert 'abort(404, description="no such item")' in output


def test_transparent_decorators_must_be_names() -> None:
    record = check_noop(UnifyAborts, CHECKED_VIEW, options={"transparent-decorators": "checked"})
    assert _messages(record, "skips") == ["`transparent-decorators` must be a list of decorator names"]


def test_a_json_conversion_left_out_adds_no_import() -> None:
    """Without --unsafe, the `NotFound` the JSON return would have raised is not imported."""
    record = check_transformed(
        UnifyAborts,
        """
        from flask import Blueprint, abort, jsonify

        bp = Blueprint("api", __name__)

        @bp.get("/items/<int:item_id>")
        def item(item_id):
            if item_id > 9:
                return jsonify({"error": "no such item"}), 404
            if item_id < 0:
                abort(400)
            return jsonify({"id": item_id})
        """,
        """
        from flask import Blueprint, jsonify
        from werkzeug.exceptions import BadRequest

        bp = Blueprint("api", __name__)

        @bp.get("/items/<int:item_id>")
        def item(item_id):
            if item_id > 9:
                return jsonify({"error": "no such item"}), 404
            if item_id < 0:
                raise BadRequest()
            return jsonify({"id": item_id})
        """,
        options={"style": "raise"},
        allow_unsafe=False,
    )
    assert "turn 1 JSON error return(s) in `bp` into `raise ...`" in record.unsafe_left_out[0].message


def test_the_unsafe_message_counts_only_the_returns_converted() -> None:
    source = """\
from flask import Blueprint, jsonify

bp = Blueprint("api", __name__)
NotFound = "taken"


@bp.get("/items/<int:item_id>")
def item(item_id):
    if item_id > 9:
        return jsonify({"error": "no such item"}), 404
    if item_id < 0:
        return jsonify({"error": "locked"}), 409
    return jsonify({"id": item_id})
"""
    output, record = apply_codemod(UnifyAborts, source, options={"style": "raise"}, allow_unsafe=True)
    assert 'raise Conflict(description="locked")' in output
    assert 'return jsonify({"error": "no such item"}), 404' in output
    assert record is not None and "`NotFound` already names something else" in _messages(record, "skips")[0]
    assert record.unsafe_applied[0].message.startswith("turn 1 JSON error return(s) in `bp`")


# -- rewrites ----------------------------------------------------------------


def test_raise_style_http_status_star_args_and_other_first_parameters() -> None:
    check_transformed(
        UnifyAborts,
        """
        from http import HTTPStatus

        from flask import abort

        def view(args, size):
            if not args:
                abort(HTTPStatus.NOT_FOUND)
            if size > 10:
                abort(416, size)
            abort(400, *args)
        """,
        """
        from http import HTTPStatus
        from werkzeug.exceptions import BadRequest, NotFound, RequestedRangeNotSatisfiable

        def view(args, size):
            if not args:
                raise NotFound()
            if size > 10:
                raise RequestedRangeNotSatisfiable(size)
            raise BadRequest(*args)
        """,
        options={"style": "raise"},
    )


def test_abort_style_keeps_keyword_arguments_and_reuses_an_alias() -> None:
    check_transformed(
        UnifyAborts,
        """
        from flask import abort as flask_abort
        from werkzeug.exceptions import Unauthorized

        def view(token):
            if not token:
                raise Unauthorized("Log in first", www_authenticate=challenge())
            if token == "x": return flask_abort(403)
        """,
        """
        from flask import abort as flask_abort

        def view(token):
            if not token:
                flask_abort(401, description="Log in first", www_authenticate=challenge())
            if token == "x": flask_abort(403)
        """,
    )


def test_raise_style_reuses_an_aliased_class() -> None:
    check_transformed(
        UnifyAborts,
        """
        from flask import abort
        from werkzeug.exceptions import NotFound as Missing

        def view(item):
            if item is None:
                abort(404, "no item")
            raise Missing()
        """,
        """
        from werkzeug.exceptions import NotFound as Missing

        def view(item):
            if item is None:
                raise Missing(description="no item")
            raise Missing()
        """,
        options={"style": "raise"},
    )


def test_single_file_api_app_gets_an_app_handler_under_the_raise_style() -> None:
    record = check_transformed(
        UnifyAborts,
        """
        from flask import Flask, jsonify
        from flask_sqlalchemy import SQLAlchemy

        app = Flask(__name__)
        db = SQLAlchemy()
        db.init_app(app)

        @app.get("/users/<int:user_id>")
        def user(user_id):
            found = db.session.get(User, user_id)
            if found is None:
                return jsonify(message="no such user"), 404
            return jsonify(found.to_dict())

        if __name__ == "__main__":
            app.run()
        """,
        """
        from flask import Flask, jsonify
        from flask_sqlalchemy import SQLAlchemy
        from werkzeug.exceptions import HTTPException, NotFound

        app = Flask(__name__)
        db = SQLAlchemy()
        db.init_app(app)

        @app.get("/users/<int:user_id>")
        def user(user_id):
            found = db.session.get(User, user_id)
            if found is None:
                raise NotFound(description="no such user")
            return jsonify(found.to_dict())


        @app.errorhandler(HTTPException)
        def handle_http_error(error):
            # An exception that carries its own response (`abort(400, response=...)`) keeps it.
            if error.response is not None:
                return error.response
            # Status and headers (Allow, WWW-Authenticate, Retry-After) come from the exception;
            # the body is the JSON these views returned before they aborted.
            response = error.get_response()
            body = jsonify({"message": error.description})
            response.data = body.get_data()
            response.content_type = body.content_type
            return response

        if __name__ == "__main__":
            app.run()
        """,
        options={"style": "raise"},
    )
    assert "app-wide, it also renders routing 404/405 errors" in record.unsafe_applied[0].message


# -- behaviour: the same responses before and after ---------------------------

BEHAVIOUR_APP = """
import flask
import werkzeug.exceptions as wex
from flask import Blueprint, Flask, abort, jsonify, make_response
from werkzeug import exceptions
from werkzeug.exceptions import MethodNotAllowed, NotFound, TooManyRequests, Unauthorized
from werkzeug.datastructures import WWWAuthenticate

pages = Blueprint("pages", __name__)
api = Blueprint("api", __name__)


@pages.route("/p/<int:case>")
def page(case):
    if case == 1:
        abort(404)
    if case == 2:
        raise NotFound("no page here")
    if case == 3:
        abort(405, ["GET", "POST"])
    if case == 4:
        raise MethodNotAllowed(valid_methods=["GET"], description="read only")
    if case == 5:
        raise Unauthorized("log in", www_authenticate=WWWAuthenticate("basic", {"realm": "site"}))
    if case == 6:
        abort(429, retry_after=30)
    if case == 7:
        raise TooManyRequests("slow down", retry_after=60)
    if case == 8:
        return abort(416, 1000)
    if case == 9:
        raise wex.Gone
    if case == 10:
        raise exceptions.Conflict(description="taken")
    if case == 11:
        flask.abort(403, "staff only")
    if case == 12:
        raise wex.InternalServerError("boom", original_exception=ValueError("x"))
    return "ok"


@api.route("/a/<int:case>", methods=["GET", "DELETE"])
def api_view(case):
    if case == 1:
        return jsonify({"error": f"no item {case}"}), 404
    if case == 2:
        return {"error": "read only"}, 405
    if case == 3:
        return make_response(jsonify({"error": "log in"}), 401)
    if case == 4:
        return jsonify(error="slow down"), 429
    if case == 5:
        abort(409)
    if case == 6:
        abort(400, response=make_response(jsonify({"errors": {"name": "required"}}), 400))
    return jsonify({"ok": True})


def create_app():
    app = Flask(__name__)
    app.register_blueprint(pages)
    app.register_blueprint(api, url_prefix="/api")
    return app
"""

CHECKED_HEADERS = ("Content-Type", "Content-Length", "Allow", "WWW-Authenticate", "Retry-After", "Content-Range")


def _responses(source: str) -> list[tuple[object, ...]]:
    namespace: dict[str, object] = {"__name__": "behaviour_app"}
    exec(compile(source, "behaviour_app.py", "exec"), namespace)
    client = namespace["create_app"]().test_client()  # type: ignore[operator]
    urls = [f"/p/{case}" for case in range(14)] + [f"/api/a/{case}" for case in range(8)]
    urls += ["/api/nothing", "/nothing"]
    results = []
    for url in urls:
        for method in ("GET", "DELETE", "PUT"):
            response = client.open(url, method=method)
            headers = tuple(response.headers.get(h) for h in CHECKED_HEADERS)
            results.append((method, url, response.status, headers, response.get_data()))
    return results


@pytest.mark.parametrize("style", ["abort", "raise"])
def test_every_rewrite_answers_every_request_the_same(style: str) -> None:
    output, record = apply_codemod(UnifyAborts, BEHAVIOUR_APP, options={"style": style}, allow_unsafe=True)
    assert output != BEHAVIOUR_APP
    assert record is not None and record.unsafe_applied
    # The blueprint's existing `abort(409)` now gets the JSON body: the one intended change.
    before = [r for r in _responses(BEHAVIOUR_APP) if r[1] != "/api/a/5"]
    after = [r for r in _responses(output) if r[1] != "/api/a/5"]
    assert before == after
    again, _ = apply_codemod(UnifyAborts, output, options={"style": style}, allow_unsafe=True)
    assert again == output


def test_the_added_handler_keeps_a_response_the_exception_carries() -> None:
    """``abort(400, response=...)`` in a converted blueprint keeps its own body, run on Flask's test client."""
    output, record = apply_codemod(UnifyAborts, BEHAVIOUR_APP, allow_unsafe=True)
    assert record is not None and record.unsafe_applied
    assert "@api.errorhandler(HTTPException)" in output
    namespace: dict[str, object] = {"__name__": "behaviour_app"}
    exec(compile(output, "behaviour_app.py", "exec"), namespace)
    client = namespace["create_app"]().test_client()  # type: ignore[operator]
    carried = client.get("/api/a/6")
    assert carried.status_code == 400
    assert carried.get_json() == {"errors": {"name": "required"}}
    converted = client.get("/api/a/1")
    assert converted.status_code == 404
    assert converted.get_json() == {"error": "no item 1"}


# -- the sample apps: their suites pass before and after ----------------------

SAMPLES = Path(__file__).resolve().parent.parent.parent / "samples"


def _run(folder: Path, style: str) -> RunResult:
    request = RunRequest(
        paths=(folder,),
        codemods=(UnifyAborts,),
        allow_unsafe=True,
        options={UnifyAborts.ID: {"style": style}},
        root=folder,
    )
    return run(request)


@pytest.mark.parametrize("sample", ["errors_api", "bookshop"])
@pytest.mark.parametrize("style", ["abort", "raise"])
def test_sample_suite_passes_before_and_after(sample: str, style: str, tmp_path: Path) -> None:
    copy = tmp_path / sample
    shutil.copytree(SAMPLES / sample, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = run_sample_suite(copy)
    assert before.returncode == 0, before.stdout + before.stderr

    result = _run(copy, style)
    assert not result.errors
    assert result.changed_files
    assert not write_results(result.files).failed
    for path in copy.rglob("*.py"):
        py_compile.compile(str(path), doraise=True)
    after = run_sample_suite(copy)
    assert after.returncode == 0, after.stdout + after.stderr
    assert not _run(copy, style).changed_files, "a second run must change nothing"


def test_sample_api_blueprint_gets_one_json_handler(tmp_path: Path) -> None:
    copy = tmp_path / "errors_api"
    shutil.copytree(SAMPLES / "errors_api", copy, ignore=shutil.ignore_patterns("__pycache__"))
    result = _run(copy, "abort")
    by_file = {f.display: f for f in result.files}
    api = by_file["tracker/api.py"]
    assert api.final is not None and api.final.count("@bp.errorhandler(HTTPException)") == 1
    assert "return jsonify({'error': 'slow down'}), 429, {'Retry-After': '60'}" in api.final
    admin = by_file["tracker/admin.py"]
    assert not admin.changed
    findings = [n.message for r in admin.records for n in r.findings]
    assert findings == [
        "error styles in this file: jsonify return x1, dict return x1, Response return x1, "
        "error helper `bad_request()` x1, error helper `forbidden()` x1"
    ]
