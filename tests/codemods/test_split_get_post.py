"""Edge cases of split-get-post beyond its documented examples."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codemods.core.engine import transform_source
from codemods.split_get_post import SplitGetPost
from tests.helpers import check_noop, check_transformed, run_sample_suite

SAMPLES = Path(__file__).parent.parent.parent / "samples"


# -- left alone -------------------------------------------------------------------


def test_single_method_view_is_not_a_candidate() -> None:
    record = check_noop(
        SplitGetPost,
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/hook", methods=["POST"])
        def hook():
            if request.method == "POST":
                return "ok"
            return "never"

        @app.post("/other")
        def other():
            return request.method == "POST"
        """,
    )
    assert record is None


def test_unproven_route_owner_is_skipped() -> None:
    record = check_noop(
        SplitGetPost,
        """
        from flask import request

        def register(app):
            @app.route("/x", methods=["GET", "POST"])
            def x():
                if request.method == "POST":
                    return "p"
                return "g"
        """,
    )
    assert record is not None
    assert record.skips[0].message == "cannot prove `app.route` registers on a Flask app or blueprint"


def test_view_in_a_class_body_is_skipped() -> None:
    record = check_noop(
        SplitGetPost,
        """
        from flask import Flask, request

        app = Flask(__name__)

        class Pages:
            @app.route("/x", methods=["GET", "POST"])
            def x():
                if request.method == "POST":
                    return "p"
                return "g"
        """,
    )
    assert record is not None and record.skips[0].message == "views defined in a class body are not split"


def test_view_referenced_elsewhere_is_skipped() -> None:
    record = check_noop(
        SplitGetPost,
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/x", methods=["GET", "POST"])
        def x():
            if request.method == "POST":
                return "p"
            return "g"

        app.add_url_rule("/y", view_func=x, methods=["GET", "POST"])
        """,
    )
    assert record is not None
    assert record.skips[0].message.startswith("`x` is also used elsewhere in this module")


@pytest.mark.parametrize(
    ("decorator", "reason"),
    [
        ('@app.route("/x", **OPTIONS)', "route options are passed with `**`"),
        ('@app.get("/x", methods=["GET", "POST"])', "`methods` is given to the `.get` shortcut"),
        ('@app.route("/x", methods=["GET", "POST"], endpoint=NAME)', "`endpoint` is not a string literal"),
        ('@app.route("/x", methods=["GET", "POST", "OPTIONS"])', "`methods` lists OPTIONS explicitly"),
        ('@app.route("/x", methods=["GET", METHOD])', "`methods` is not a literal"),
        ('@app.route("/x", methods=["POST", "PUT"])', "the view does not serve GET (POST, PUT)"),
    ],
)
def test_route_decorators_it_cannot_read_are_skipped(decorator: str, reason: str) -> None:
    record = check_noop(
        SplitGetPost,
        f"""
        from flask import Flask, request

        app = Flask(__name__)

        {decorator}
        def x():
            if request.method == "POST":
                return "p"
            return "g"
        """,
    )
    assert record is not None and reason in record.skips[0].message


def test_decorator_without_wraps_is_skipped() -> None:
    record = check_noop(
        SplitGetPost,
        """
        import functools
        from flask import Flask, request

        app = Flask(__name__)

        def timed(view):
            def wrapper(*args, **kwargs):
                return view(*args, **kwargs)
            return wrapper

        def audited(view):
            @functools.wraps(view)
            def wrapper(*args, **kwargs):
                return view(*args, **kwargs)
            return wrapper

        @app.route("/x", methods=["GET", "POST"])
        @audited
        @timed
        def x():
            if request.method == "POST":
                return "p"
            return "g"
        """,
    )
    assert record is not None
    assert record.skips[0].message.startswith("`@timed` wraps the view without `functools.wraps`")
    assert record.skips[0].line == 19


def test_endpoint_name_already_used_is_skipped() -> None:
    record = check_noop(
        SplitGetPost,
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/x", methods=["GET", "POST"], endpoint="form")
        def x():
            if request.method == "POST":
                return "p"
            return "g"

        @app.route("/y", endpoint="form_post")
        def y():
            return "y"
        """,
    )
    assert record is not None
    assert record.skips[0].message == "the endpoint `form_post` is already used in this module"


def test_lower_case_method_never_matches_and_is_reported() -> None:
    record = check_noop(
        SplitGetPost,
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/x", methods=["GET", "POST"])
        def x():
            if request.method == "post":
                return "p"
            return "g"
        """,
    )
    assert record is not None
    assert record.findings[0].message == "`request.method` is always upper-case, so this test never matches"
    assert record.skips[0].message == "the `request.method` tests do not tell GET and POST apart"


def test_other_method_reads_are_skipped_with_the_code_shown() -> None:
    record = check_noop(
        SplitGetPost,
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/x", methods=["GET", "POST"])
        def x():
            if request.method.upper() == "POST":
                return "p"
            method = request.method
            return method
        """,
    )
    assert record is not None
    assert record.skips[0].message == (
        "`request.method` is used other than in a comparison with a method name (`request.method.upper()`)"
    )


def test_invalid_options_are_skipped_with_the_reason() -> None:
    source = """
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/x", methods=["GET", "POST"])
        def x():
            if request.method == "POST":
                return "p"
            return "g"
        """
    record = check_noop(SplitGetPost, source, options={"route-style": "decorator"})
    assert record is not None and "`route-style` must be" in record.skips[0].message
    record = check_noop(SplitGetPost, source, options={"post-suffix": "-post"})
    assert record is not None and "does not make a valid function name" in record.skips[0].message


def test_a_local_request_is_not_flask_request() -> None:
    record = check_noop(
        SplitGetPost,
        """
        from flask import Flask

        app = Flask(__name__)

        @app.route("/x", methods=["GET", "POST"])
        def x():
            request = build()
            if request.method == "POST":
                return "p"
            return "g"
        """,
    )
    assert record is None


# -- rewritten ----------------------------------------------------------------------


def test_comments_of_a_dropped_branch_go_with_it() -> None:
    check_transformed(
        SplitGetPost,
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/a", methods=["GET", "POST"])
        def a():  # the view
            # before all
            x = 1

            # about the POST branch
            if request.method == "POST":  # on the if line
                # first POST statement
                save()
                # end of the POST branch
            # about the GET branch
            else:  # on the else line
                # first GET statement
                show()
                # end of the GET branch

            # after
            return x
            # function footer
        """,
        """
        from flask import Flask

        app = Flask(__name__)

        @app.get("/a")
        def a():  # the view
            # before all
            x = 1

            # about the GET branch
            # on the else line
            # first GET statement
            show()
            # end of the GET branch

            # after
            return x
            # function footer


        @app.post("/a")
        def a_post():  # the view
            # before all
            x = 1

            # about the POST branch
            # on the if line
            # first POST statement
            save()
            # end of the POST branch

            # after
            return x
            # function footer
        """,
    )


def test_parentheses_glued_to_keywords_are_kept() -> None:
    check_transformed(
        SplitGetPost,
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/b", methods=["GET", "POST"])
        def b():
            if(request.method == "POST" and form.validate()):
                return "saved"
            if not(request.method == "GET"):
                flash("x")
            return render(posted=(request.method == "POST"))
        """,
        """
        from flask import Flask

        app = Flask(__name__)

        @app.get("/b")
        def b():
            return render(posted=(False))


        @app.post("/b")
        def b_post():
            if(form.validate()):
                return "saved"
            flash("x")
            return render(posted=(True))
        """,
    )


def test_multiline_condition_and_one_line_branch() -> None:
    check_transformed(
        SplitGetPost,
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.route(
            "/c",
            methods=["GET", "POST"],
        )
        def c():
            if (request.method == "POST"
                    and form.validate()):
                return "saved"
            if request.method == "GET": return "form"  # show it
            return "invalid"
        """,
        """
        from flask import Flask

        app = Flask(__name__)

        @app.get(
            "/c",
        )
        def c():
            return "form"  # show it


        @app.post(
            "/c",
        )
        def c_post():
            if form.validate():
                return "saved"
            return "invalid"
        """,
    )


def test_try_left_empty_loses_its_dead_handlers() -> None:
    check_transformed(
        SplitGetPost,
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/t", methods=["GET", "POST"])
        def t():
            try:
                if request.method == "POST":
                    save()
                    return "saved"
            except ValueError:
                flash("bad value")
            finally:
                close()
            return "form"
        """,
        """
        from flask import Flask

        app = Flask(__name__)

        @app.get("/t")
        def t():
            close()
            return "form"


        @app.post("/t")
        def t_post():
            try:
                save()
                return "saved"
            except ValueError:
                flash("bad value")
            finally:
                close()
            return "form"
        """,
    )


def test_code_after_abort_is_unreachable() -> None:
    check_transformed(
        SplitGetPost,
        """
        from flask import Flask, abort, request

        app = Flask(__name__)

        @app.route("/d", methods=["GET", "POST"])
        def d():
            if request.method == "GET":
                abort(405)
            return "posted"
        """,
        """
        from flask import Flask, abort

        app = Flask(__name__)

        @app.get("/d")
        def d():
            abort(405)


        @app.post("/d")
        def d_post():
            return "posted"
        """,
    )


def test_a_branch_under_an_unrelated_if_leaves_nothing_when_the_test_is_pure() -> None:
    check_transformed(
        SplitGetPost,
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/e", methods=["GET", "POST"])
        def e():
            if draft:
                if request.method == "POST":
                    save(request.form)
            if load():
                if request.method == "POST":
                    save(request.form)
            return "ok"
        """,
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.get("/e")
        def e():
            if load():
                pass
            return "ok"


        @app.post("/e")
        def e_post():
            if draft:
                save(request.form)
            if load():
                save(request.form)
            return "ok"
        """,
    )


def test_head_that_fell_off_the_end_is_reported() -> None:
    record = check_transformed(
        SplitGetPost,
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/f", methods=["GET", "POST"])
        def f():
            if request.method == "GET":
                return "form"
            elif request.method == "POST":
                return "saved"
        """,
        """
        from flask import Flask

        app = Flask(__name__)

        @app.get("/f")
        def f():
            return "form"


        @app.post("/f")
        def f_post():
            return "saved"
        """,
    )
    assert record.findings[0].message.startswith(
        "HEAD requests ran `f` with `request.method == 'HEAD'` and took a path"
    )
    assert record.findings[0].line == 5


def test_per_view_decorators_and_endpoint_reads_are_reported() -> None:
    record = check_transformed(
        SplitGetPost,
        """
        from flask import Blueprint, request, url_for
        from app.extensions import limiter

        bp = Blueprint("shop", __name__)

        @bp.before_request
        def check():
            if request.url_rule is None:
                return "no rule"

        @bp.route("/list")
        def listing():
            return url_for(request.endpoint, page=2) + request.endpoint

        @bp.route("/buy", methods=["GET", "POST"])
        @limiter.limit("5/minute")
        def buy():
            if request.method == "POST":
                return url_for(request.endpoint)
            return "form"
        """,
        """
        from flask import Blueprint, request, url_for
        from app.extensions import limiter

        bp = Blueprint("shop", __name__)

        @bp.before_request
        def check():
            if request.url_rule is None:
                return "no rule"

        @bp.route("/list")
        def listing():
            return url_for(request.endpoint, page=2) + request.endpoint

        @bp.get("/buy")
        @limiter.limit("5/minute")
        def buy():
            return "form"


        @bp.post("/buy")
        @limiter.limit("5/minute")
        def buy_post():
            return url_for(request.endpoint)
        """,
    )
    messages = {(f.line, f.message.split(":")[0]) for f in record.findings}
    assert messages == {
        (8, "`request.url_rule` is read here"),
        (16, "`@limiter.limit` is copied to both views"),
    }


def test_app_endpoint_names_are_reported_only_where_used_as_keys() -> None:
    record = check_transformed(
        SplitGetPost,
        """
        from flask import Flask, request

        app = Flask(__name__)
        PUBLIC = {"login", "static"}

        @app.route("/login", methods=["GET", "POST"])
        def login():
            if request.method == "POST":
                return "login"
            return "form"
        """,
        """
        from flask import Flask

        app = Flask(__name__)
        PUBLIC = {"login", "static"}

        @app.get("/login")
        def login():
            return "form"


        @app.post("/login")
        def login_post():
            return "login"
        """,
    )
    assert [(f.line, f.message) for f in record.findings] == [
        (4, "`login` names a split view's endpoint: its POST requests now reach `login_post`")
    ]


def test_nested_blocks_and_loops_are_specialised() -> None:
    check_transformed(
        SplitGetPost,
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/g", methods=["GET", "POST"])
        def g():
            for item in items:
                if request.method == "POST":
                    item.save()
                    continue
                item.show()
            while request.method == "GET":
                break
            with lock:
                value = 1 if request.method == "POST" else 2
            return value
        """,
        """
        from flask import Flask

        app = Flask(__name__)

        @app.get("/g")
        def g():
            for item in items:
                item.show()
            while True:
                break
            with lock:
                value = 2
            return value


        @app.post("/g")
        def g_post():
            for item in items:
                item.save()
                continue
            with lock:
                value = 1
            return value
        """,
    )


# -- the project-wide notice ---------------------------------------------------------


def test_run_notice_lists_endpoint_uses_in_code_and_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "app"
    (package / "templates").mkdir(parents=True)
    (package / "views.py").write_text("x = 1\n")
    (package / "hooks.py").write_text("from flask import request\n\nif request.endpoint == 'auth.login':\n    pass\n")
    (package / "templates" / "base.html").write_text("<a>\n{% if request.endpoint == 'x' %}on{% endif %}</a>\n")
    monkeypatch.chdir(tmp_path)
    scanned = sorted(package.glob("*.py"))
    assert SplitGetPost.run_notices([], scanned) == []
    [notice] = SplitGetPost.run_notices([(package / "views.py", "x = 1\n")], scanned)
    assert notice.endswith("app/hooks.py:3, app/templates/base.html:2")


# -- behaviour, through the sample apps ----------------------------------------------


def _split_tree(root: Path) -> int:
    changed = 0
    for path in sorted(root.rglob("*.py")):
        result = transform_source(path, path.name, path.read_bytes(), (SplitGetPost,), {}, True)
        assert result.error is None, (path, result.error)
        if result.changed and result.final is not None:
            compile(result.final, str(path), "exec")
            path.write_text(result.final)
            changed += 1
    return changed


@pytest.mark.parametrize("sample", ["forms_app", "bookshop"])
def test_sample_suite_passes_after_the_split(sample: str, tmp_path: Path) -> None:
    copy = tmp_path / sample
    shutil.copytree(SAMPLES / sample, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert _split_tree(copy) > 0
    after = run_sample_suite(copy)
    assert after.returncode == 0, after.stdout + after.stderr
    assert _split_tree(copy) == 0, "a second run must change nothing"


HEAD_PROBE = """
import logging
from forms_app import create_app
app = create_app({"TESTING": True})
warnings = []
handler = logging.Handler()
handler.emit = lambda record: warnings.append(record.getMessage())
app.logger.addHandler(handler)
response = app.test_client().head("/login")
print(response.status_code, warnings)
"""


def test_head_no_longer_runs_the_post_code(tmp_path: Path) -> None:
    copy = tmp_path / "forms_app"
    shutil.copytree(SAMPLES / "forms_app", copy, ignore=shutil.ignore_patterns("__pycache__"))

    def head_login() -> str:
        probe = subprocess.run([sys.executable, "-c", HEAD_PROBE], cwd=copy, capture_output=True, text=True, check=True)
        return probe.stdout.strip()

    # Before: HEAD took the `else` branch meant for POST and failed a login attempt.
    assert head_login() == "200 [\"failed login for ''\"]"
    _split_tree(copy)
    assert head_login() == "200 []"
