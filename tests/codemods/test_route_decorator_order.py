"""Edge cases of route-decorator-order beyond its documented examples."""

from __future__ import annotations

from flaskmod.codemods.route_decorator_order import RouteDecoratorOrder
from tests.helpers import check_noop, check_transformed

# -- left alone --------------------------------------------------------------


def test_imported_object_in_a_module_that_does_not_import_flask_is_skipped() -> None:
    record = check_noop(
        RouteDecoratorOrder,
        """
        from web import router

        @cached
        @router.get("/")
        def index():
            return 1
        """,
    )
    assert record is not None
    assert record.skips[0].message == "cannot prove `router.get` registers on a Flask app or blueprint"


def test_object_assigned_from_an_unknown_call_is_skipped() -> None:
    record = check_noop(
        RouteDecoratorOrder,
        """
        from flask import render_template
        from factory import create_app

        app = create_app()

        @cached
        @app.route("/")
        def index():
            return render_template("index.html")
        """,
    )
    assert record is not None and "cannot prove `app.route`" in record.skips[0].message


def test_route_without_call_is_not_a_route() -> None:
    check_noop(
        RouteDecoratorOrder,
        """
        import flask

        app = flask.Flask(__name__)

        @cached
        @app.route
        def index():
            return 1
        """,
    )


def test_imported_exempt_decorator_is_position_independent() -> None:
    record = check_noop(
        RouteDecoratorOrder,
        """
        from flask import Blueprint
        from app.extensions import csrf, limiter

        bp = Blueprint("hooks", __name__)

        @csrf.exempt
        @limiter.exempt
        @bp.post("/hook")
        def hook():
            return "ok"
        """,
    )
    assert record is None


def test_ignore_comment_for_another_codemod_does_not_apply() -> None:
    source = """
        from flask import Flask

        app = Flask(__name__)

        @cached  # flaskmod: ignore[unify-aborts]
        @app.route("/")
        def index():
            return 1
        """
    check_transformed(
        RouteDecoratorOrder,
        source,
        source.replace(
            '@cached  # flaskmod: ignore[unify-aborts]\n        @app.route("/")',
            '@app.route("/")\n        @cached  # flaskmod: ignore[unify-aborts]',
        ),
    )


def test_bare_ignore_comment_on_the_def_line_applies() -> None:
    record = check_noop(
        RouteDecoratorOrder,
        """
        from flask import Flask

        app = Flask(__name__)

        @cached
        @app.route("/")
        def index():  # flaskmod: ignore
            return 1
        """,
    )
    assert record is not None and "ignored" in record.skips[0].message


def test_ignore_comment_inside_the_body_does_not_opt_the_view_out() -> None:
    record = check_transformed(
        RouteDecoratorOrder,
        """
        from flask import Flask

        app = Flask(__name__)

        @cached
        @app.route("/")
        def index():
            return 1  # flaskmod: ignore
        """,
        """
        from flask import Flask

        app = Flask(__name__)

        @app.route("/")
        @cached
        def index():
            return 1  # flaskmod: ignore
        """,
    )
    assert not record.skips


# -- rewritten ---------------------------------------------------------------


def test_multiline_arguments_and_comments_move_with_their_decorator() -> None:
    check_transformed(
        RouteDecoratorOrder,
        """
        import flask as fl

        bp = fl.Blueprint("shop", __name__)


        @permission_required(
            "admin",  # only admins
        )
        @bp.route(
            "/admin",
            methods=["GET", "POST"],  # both
        )  # the admin page
        def admin():
            return "x"
        """,
        """
        import flask as fl

        bp = fl.Blueprint("shop", __name__)


        @bp.route(
            "/admin",
            methods=["GET", "POST"],  # both
        )  # the admin page
        @permission_required(
            "admin",  # only admins
        )
        def admin():
            return "x"
        """,
    )


def test_finding_words_access_checks_and_plain_decorators_differently() -> None:
    record = check_transformed(
        RouteDecoratorOrder,
        """
        from flask import Flask
        from flask_login import login_required as must_log_in

        app = Flask(__name__)

        @must_log_in
        @timed
        @app.get("/")
        def index():
            return 1
        """,
        """
        from flask import Flask
        from flask_login import login_required as must_log_in

        app = Flask(__name__)

        @app.get("/")
        @must_log_in
        @timed
        def index():
            return 1
        """,
    )
    messages = [f.message for f in record.findings]
    assert [f.line for f in record.findings] == [6, 7]
    assert messages[0].endswith("the view is unprotected")
    assert messages[1].endswith("so it never runs for requests")
    assert len(record.unsafe_applied) == 1 and record.unsafe_applied[0].line == 6


def test_each_view_is_handled_on_its_own() -> None:
    check_transformed(
        RouteDecoratorOrder,
        """
        from flask import Flask

        app = Flask(__name__)

        @a
        @app.route("/one")
        def one():
            return 1

        @app.route("/two")
        @b
        def two():
            return 2

        class Tools:
            @c
            @app.route("/three")
            def three(self):
                return 3
        """,
        """
        from flask import Flask

        app = Flask(__name__)

        @app.route("/one")
        @a
        def one():
            return 1

        @app.route("/two")
        @b
        def two():
            return 2

        class Tools:
            @app.route("/three")
            @c
            def three(self):
                return 3
        """,
    )


def test_imports_inside_a_factory_and_relative_imports_resolve() -> None:
    check_transformed(
        RouteDecoratorOrder,
        """
        def create_app():
            from flask import Flask
            from .auth import requires_login

            app = Flask(__name__)

            @requires_login
            @app.route("/")
            def index():
                return 1

            return app
        """,
        """
        def create_app():
            from flask import Flask
            from .auth import requires_login

            app = Flask(__name__)

            @app.route("/")
            @requires_login
            def index():
                return 1

            return app
        """,
    )


def test_relative_import_of_the_blueprint_counts_as_flask_code() -> None:
    record = check_transformed(
        RouteDecoratorOrder,
        """
        from flask import render_template
        from . import bp

        @cached
        @bp.route("/")
        def index():
            return render_template("index.html")
        """,
        """
        from flask import render_template
        from . import bp

        @bp.route("/")
        @cached
        def index():
            return render_template("index.html")
        """,
    )
    assert record.findings


# -- regressions found on real projects ---------------------------------------


def test_mock_patch_is_not_a_route() -> None:
    check_noop(
        RouteDecoratorOrder,
        """
        from unittest import mock

        import pytest
        from flask import Flask

        @pytest.fixture
        @mock.patch("os.getcwd", return_value="/patched")
        def cwd(getcwd):
            return getcwd()
        """,
    )


def test_names_resolve_in_their_own_scope() -> None:
    # The inner `app` is a FastAPI app, and `register`'s `app` a parameter: neither is
    # the module's Flask app.
    source = """
        from fastapi import FastAPI
        from flask import Flask

        app = Flask(__name__)

        def make_api():
            app = FastAPI()

            @cache
            @app.get("/items")
            def items():
                return []

        def register(app):
            @login_required
            @app.route("/")
            def index():
                return 1
        """
    # Matched module-wide, both would be taken for the module's Flask `app` and moved.
    # A module using another framework gets no "cannot prove" skips either.
    assert check_noop(RouteDecoratorOrder, source) is None


def test_parameter_shadowing_a_module_app_is_skipped_with_reason() -> None:
    record = check_noop(
        RouteDecoratorOrder,
        """
        from flask import Flask

        app = Flask(__name__)

        def register(app):
            @login_required
            @app.route("/")
            def index():
                return 1
        """,
    )
    assert record is not None and "cannot prove `app.route`" in record.skips[0].message


def test_blueprint_subclass_defined_in_the_module() -> None:
    check_transformed(
        RouteDecoratorOrder,
        """
        from flask import Blueprint

        class Module(Blueprint):
            pass

        class AdminModule(Module):
            pass

        bp = AdminModule("admin", __name__)

        @login_required
        @bp.route("/")
        def index():
            return 1
        """,
        """
        from flask import Blueprint

        class Module(Blueprint):
            pass

        class AdminModule(Module):
            pass

        bp = AdminModule("admin", __name__)

        @bp.route("/")
        @login_required
        def index():
            return 1
        """,
    )


def test_registering_decorators_are_position_independent() -> None:
    check_noop(
        RouteDecoratorOrder,
        """
        from flask import Flask

        app = Flask(__name__)

        @app.errorhandler(404)
        @app.route("/missing")
        def missing(error=None):
            return "gone", 404
        """,
    )


def test_parenthesised_decorator_is_named_in_messages() -> None:
    record = check_transformed(
        RouteDecoratorOrder,
        """
        from flask import Flask

        app = Flask(__name__)

        @timed
        @(app.route("/"))
        def index():
            return 1
        """,
        """
        from flask import Flask

        app = Flask(__name__)

        @(app.route("/"))
        @timed
        def index():
            return 1
        """,
    )
    assert "`@timed` is above `@app.route`" in record.findings[0].message
    assert record.unsafe_applied[0].message.startswith("move `@app.route` above `@timed`")


def test_blank_lines_between_decorators_stay_in_place() -> None:
    check_transformed(
        RouteDecoratorOrder,
        """
        from flask import Flask

        app = Flask(__name__)

        @login_required

        # the home page
        @app.route("/")
        def index():
            return 1
        """,
        """
        from flask import Flask

        app = Flask(__name__)

        # the home page
        @app.route("/")
        @login_required
        def index():
            return 1
        """,
    )


def test_ignore_comment_on_its_own_line_above_the_view() -> None:
    record = check_noop(
        RouteDecoratorOrder,
        """
        from flask import Flask

        app = Flask(__name__)

        # flaskmod: ignore[route-decorator-order]
        @login_required
        @app.route("/")
        def index():
            return 1
        """,
    )
    assert record is not None and "ignored" in record.skips[0].message


def test_views_inside_match_cases_are_examined() -> None:
    check_transformed(
        RouteDecoratorOrder,
        """
        from flask import Flask

        app = Flask(__name__)

        match MODE:
            case "full":
                @cached
                @app.route("/")
                def index():
                    return 1
        """,
        """
        from flask import Flask

        app = Flask(__name__)

        match MODE:
            case "full":
                @app.route("/")
                @cached
                def index():
                    return 1
        """,
    )


def test_a_view_nested_in_a_moved_view_is_moved_too_and_reported_first() -> None:
    record = check_transformed(
        RouteDecoratorOrder,
        """
        from flask import Flask

        app = Flask(__name__)

        @outer_check
        @app.route("/outer")
        def outer():
            @inner_check
            @app.route("/inner")
            def inner():
                return 2
            return 1
        """,
        """
        from flask import Flask

        app = Flask(__name__)

        @app.route("/outer")
        @outer_check
        def outer():
            @app.route("/inner")
            @inner_check
            def inner():
                return 2
            return 1
        """,
    )
    # A transformer leaves the inner function first; the report keeps that order.
    assert [note.line for note in record.findings] == [8, 5]
