"""Edge cases of split-get-post beyond its documented examples."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from flaskmod.cli import main
from flaskmod.codemods.core.engine import ChangeRecord, RunRequest, run, transform_source
from flaskmod.codemods.core.project import Project
from flaskmod.codemods.core.review import Decision, Review
from flaskmod.codemods.split_get_post import SplitGetPost
from flaskmod.codemods.split_get_post.project_scan import places_in
from tests import helpers
from tests.helpers import run_sample_suite

SAMPLES = Path(__file__).parent.parent.parent / "samples"
# The cases below write functions with `@bp.get`/`@bp.post` unless they say otherwise: the
# choice of style has tests of its own (the last part of this file).
STYLES = {"route-style": "shortcut", "split-style": "functions"}


def check_noop(codemod: type[SplitGetPost], code: str, **kwargs: Any) -> ChangeRecord | None:
    return helpers.check_noop(codemod, code, **{**kwargs, "options": {**STYLES, **kwargs.get("options", {})}})


def check_transformed(codemod: type[SplitGetPost], before: str, after: str, **kwargs: Any) -> ChangeRecord:
    options = {**STYLES, **kwargs.get("options", {})}
    return helpers.check_transformed(codemod, before, after, **{**kwargs, "options": options})


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
    ("decorator", "reason", "kind"),
    [
        ('@app.route("/x", **OPTIONS)', "route options are passed with `**`", "unpacked-options"),
        ('@app.get("/x", methods=["GET", "POST"])', "`methods` is given to the `.get` shortcut", "methods-on-shortcut"),
        (
            '@app.route("/x", methods=["GET", "POST"], endpoint=NAME)',
            "`endpoint` is not a string literal",
            "endpoint-not-literal",
        ),
        (
            '@app.route("/x", methods=["GET", "POST", "OPTIONS"])',
            "`methods` lists OPTIONS explicitly",
            "automatic-method-listed",
        ),
        ('@app.route("/x", methods=["GET", METHOD])', "`methods` is not a literal", "methods-not-literal"),
        ('@app.route("/x", methods=["POST", "PUT"])', "the view does not serve GET (POST, PUT)", "no-get"),
    ],
)
def test_route_decorators_it_cannot_read_are_skipped(decorator: str, reason: str, kind: str) -> None:
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
    assert record.skips[0].kind == kind


@pytest.mark.parametrize(
    "index", [i for i, example in enumerate(SplitGetPost.EXAMPLES) if example.skips], ids=lambda i: f"example-{i}"
)
def test_every_skip_has_a_stable_kind(index: int) -> None:
    example = SplitGetPost.EXAMPLES[index]
    record = check_noop(SplitGetPost, example.before)
    assert record is not None and record.skips, "the example records its skip"
    assert all(skip.kind for skip in record.skips), [(s.message, s.kind) for s in record.skips]


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


@pytest.mark.parametrize(
    ("after_the_return", "shown"),
    [
        ('print("never")', 'print("never")'),  # after a return that only HEAD requests reached
        ('if request.method == "PUT":\n                print("never")', 'if request.method == "PUT":'),
    ],
)
def test_code_that_could_never_run_and_no_view_keeps_is_skipped(after_the_return: str, shown: str) -> None:
    record = check_noop(
        SplitGetPost,
        f"""
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/x", methods=["GET", "POST"])
        def x():
            if request.method == "POST":
                return "p"
            if request.method == "GET":
                return "g"
            return "head"
            {after_the_return}
        """,
    )
    assert record is not None
    assert record.skips[0].message == f"`{shown}` can never run, and splitting would delete it from every view"


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


def test_code_that_could_never_run_stays_in_the_view_it_follows() -> None:
    # Deleting it would be a silent change, and could let another codemod rewrite the module on the next run.
    check_transformed(
        SplitGetPost,
        """
        from flask import Flask, redirect, render_template, request

        app = Flask(__name__)

        @app.route("/notes", methods=["GET", "POST"])
        def notes():
            if request.method == "POST":
                save(request.form)
                return redirect("/notes")
                log.info("saved")
            elif draft:
                return "draft"
                log.info("draft")
            return render_template("notes.html")
            # unreachable since it was written
            print("rendered")
        """,
        """
        from flask import Flask, redirect, render_template, request

        app = Flask(__name__)

        @app.get("/notes")
        def notes():
            if draft:
                return "draft"
                log.info("draft")
            return render_template("notes.html")
            # unreachable since it was written
            print("rendered")


        @app.post("/notes")
        def notes_post():
            save(request.form)
            return redirect("/notes")
            log.info("saved")
        """,
    )


def test_a_method_test_that_could_never_run_is_specialised_too() -> None:
    check_transformed(
        SplitGetPost,
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/c", methods=["GET", "POST"])
        def c():
            if request.method == "POST":
                return "p"
            else:
                return "g"
            if request.method == "POST":
                print("never")
        """,
        """
        from flask import Flask

        app = Flask(__name__)

        @app.get("/c")
        def c():
            return "g"


        @app.post("/c")
        def c_post():
            return "p"
            print("never")
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


MATCH_VIEW = """
from flask import Flask, request

app = Flask(__name__)

match MODE:
    case "web":
        @app.route("/m", methods=["GET", "POST"])
        def m():
            if request.method == "POST":
                return "p"
            return "g"
"""


def test_a_view_under_match_is_split_like_any_other() -> None:
    # should_transform and the work use one walker, which enters `match` cases.
    check_transformed(
        SplitGetPost,
        MATCH_VIEW,
        """
        from flask import Flask

        app = Flask(__name__)

        match MODE:
            case "web":
                @app.get("/m")
                def m():
                    return "g"

                @app.post("/m")
                def m_post():
                    return "p"
        """,
    )


@pytest.mark.skipif(sys.version_info < (3, 11), reason="`except*` compiles from Python 3.11")
def test_a_view_under_except_star_is_split_like_any_other() -> None:
    check_transformed(
        SplitGetPost,
        """
        from flask import Flask, request

        app = Flask(__name__)

        try:
            import extras
        except* ImportError:
            @app.route("/e", methods=["GET", "POST"])
            def e():
                if request.method == "POST":
                    return "p"
                return "g"
        """,
        """
        from flask import Flask

        app = Flask(__name__)

        try:
            import extras
        except* ImportError:
            @app.get("/e")
            def e():
                return "g"

            @app.post("/e")
            def e_post():
                return "p"
        """,
    )


# -- the project-wide pass: places keyed on the old endpoint --------------------------

AUTH_VIEWS = """\
from flask import Blueprint, render_template, request

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        return "posted"
    return render_template("login.html")
"""

PROJECT_FILES = {
    "app/auth.py": AUTH_VIEWS,
    "app/__init__.py": "from app.extensions import login_manager\n\nlogin_manager.login_view = 'auth.login'\n",
    "app/hooks.py": (
        "from flask import redirect, request, url_for\n\n"
        "PUBLIC = {'auth.login', 'static'}\n\n\n"
        "def guard():\n"
        "    if request.endpoint not in PUBLIC:\n"
        "        return redirect(url_for('auth.login'))\n"
        "    return None\n"
    ),
    "app/extensions.py": "login_manager = object()\n",
    "app/templates/base.html": (
        "<a href=\"{{ url_for('auth.login') }}\">log in</a>\n"
        "{% if request.endpoint == 'auth.login' %}active{% endif %}\n"
        "<form action=\"{{ url_for('auth.login', _method='POST') }}\"></form>\n"
        "{% if request.endpoint == 'main.index' %}home{% endif %}\n"
    ),
}


# These cases are about the findings of a split into functions, which `auto` would not choose here.
FUNCTIONS = {"split-get-post": {"split-style": "functions"}}


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.flaskmod.split-get-post]\nsplit-style = "functions"\n')
    for name, text in PROJECT_FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(("unsafe", "jobs"), [(True, 1), (False, 2)])
def test_places_keyed_on_the_old_endpoint_are_findings_on_the_split_view(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unsafe: bool, jobs: int
) -> None:
    root = _project(tmp_path, monkeypatch)
    request = RunRequest(
        paths=(root,), codemods=(SplitGetPost,), options=FUNCTIONS, allow_unsafe=unsafe, jobs=jobs, root=root
    )
    result = run(request)
    [auth] = [f for f in result.files if f.display == "app/auth.py"]
    [record] = auth.records
    assert record.changed is unsafe
    related = sorted((n.related, n.line) for n in record.findings if n.related)
    assert related == [
        (("app/__init__.py", 3), 6),  # login_view
        (("app/hooks.py", 3), 6),  # the set of public endpoints
        (("app/hooks.py", 7), 6),  # reads request.endpoint without naming one
        (("app/templates/base.html", 2), 6),  # the active-link test
        (("app/templates/base.html", 3), 6),  # url_for with _method picks the rule by method
    ]
    messages = {n.related: n.message for n in record.findings if n.related}
    assert "its POST requests now reach `auth.login_post`" in messages[("app/__init__.py", 3)]
    assert "reads the endpoint" in messages[("app/hooks.py", 7)]
    # Nothing but the split view's module gets a record.
    assert [f.display for f in result.files if f.records] == ["app/auth.py"]


def test_project_findings_are_in_the_json_and_sarif_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, monkeypatch)
    cli = CliRunner()
    out = cli.invoke(main, ["run", "--dry-run", "--unsafe", "--format", "json", "--no-progress", "app"])
    document = json.loads(out.stdout)
    [auth] = [f for f in document["files"] if f["path"] == "app/auth.py"]
    related = [n["related"] for n in auth["changes"][0]["findings"] if "related" in n]
    assert {"path": "app/__init__.py", "line": 3} in related
    out = cli.invoke(main, ["run", "--dry-run", "--unsafe", "--format", "sarif", "--no-progress", "app"])
    results = json.loads(out.stdout)["runs"][0]["results"]
    places = [
        r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in results
        if "relatedLocations" in r
    ]
    assert places.count("app/templates/base.html") == 2


def test_url_building_and_other_endpoints_are_not_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, monkeypatch)
    (root / "app/hooks.py").write_text("from flask import url_for\n\nLINK = url_for('auth.login')\n")
    (root / "app/__init__.py").write_text("NAMES = {'main.index': 'auth.login_page'}\n")
    (root / "app/templates/base.html").write_text("{{ url_for('auth.login') }}\n")
    result = run(RunRequest(paths=(root,), codemods=(SplitGetPost,), options=FUNCTIONS, allow_unsafe=True, root=root))
    [auth] = [f for f in result.files if f.display == "app/auth.py"]
    assert [n for n in auth.records[0].findings if n.related] == []


def test_an_app_views_bare_name_counts_only_where_endpoints_are_keyed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path, monkeypatch)
    app_views = AUTH_VIEWS.replace("Blueprint, ", "Flask, ").replace('Blueprint("auth", __name__)', "Flask(__name__)")
    (root / "app/auth.py").write_text(app_views)
    (root / "app/hooks.py").write_text("TITLE = 'login'\nVIEW = app.view_functions['login']\n")
    result = run(RunRequest(paths=(root,), codemods=(SplitGetPost,), options=FUNCTIONS, allow_unsafe=True, root=root))
    [auth] = [f for f in result.files if f.display == "app/auth.py"]
    assert [n.related for n in auth.records[0].findings if n.related] == [("app/hooks.py", 2)]


# -- behaviour, through the sample apps ----------------------------------------------


def _split_tree(root: Path) -> int:
    changed = 0
    paths = sorted(root.rglob("*.py"))
    project = Project(paths)  # as in a run: `auto` looks at the other files
    for path in paths:
        result = transform_source(path, path.name, path.read_bytes(), (SplitGetPost,), {}, True, project=project)
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


def test_interactive_review_shows_the_project_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, monkeypatch)
    request = RunRequest(paths=(root,), codemods=(SplitGetPost,), options=FUNCTIONS, allow_unsafe=True, root=root)
    review = Review(run(request), request)
    related = []
    for proposal in review.proposals():
        related += [n.related for n in proposal.record.findings if n.related]
        review.decide(Decision.APPLY)
    assert ("app/__init__.py", 3) in related and len(related) == 5


def test_a_line_that_starts_with_the_endpoint_name_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, monkeypatch)
    (root / "app/__init__.py").write_text("PUBLIC = [\n'auth.login',\n]\n")
    result = run(RunRequest(paths=(root,), codemods=(SplitGetPost,), options=FUNCTIONS, allow_unsafe=True, root=root))
    [auth] = [f for f in result.files if f.display == "app/auth.py"]
    assert ("app/__init__.py", 2) in [n.related for n in auth.records[0].findings]


@pytest.mark.parametrize(
    "line",
    [
        "self.view_functions: dict = {}",  # the table itself, not a lookup
        "for endpoint, func in self.view_functions.items():",
        "return url_for(endpoint, _method=_method)",  # passes a method through
        "return redirect(url_for('.login_view'))",  # an endpoint that happens to be called login_view
    ],
)
def test_lines_that_do_not_key_on_an_endpoint_are_not_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str
) -> None:
    root = _project(tmp_path, monkeypatch)
    (root / "app/hooks.py").write_text(f"def f(self, endpoint):\n    {line}\n")
    result = run(RunRequest(paths=(root,), codemods=(SplitGetPost,), options=FUNCTIONS, allow_unsafe=True, root=root))
    [auth] = [f for f in result.files if f.display == "app/auth.py"]
    assert ("app/hooks.py", 2) not in [n.related for n in auth.records[0].findings]


# -- with the other codemods ---------------------------------------------------------

DEAD_LOG_CALL = """\
import logging

from flask import Flask, redirect, render_template, request

app = Flask(__name__)
log = logging.getLogger(__name__)


@app.route("/notes", methods=["GET", "POST"])
def notes():
    if request.method == "POST":
        note = save(request.form)
        log.info("saved note %s", note.id)
        return redirect("/notes")
        log.log(LEVEL, "after the redirect %s", note.id)
    return render_template("notes.html")
"""


def test_one_writing_run_leaves_nothing_to_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # structlog-logging leaves the module alone for the call after the return; were the split to delete
    # that call, the next run would rewrite the module's logging.
    (tmp_path / "app.py").write_text(DEAD_LOG_CALL)
    monkeypatch.chdir(tmp_path)
    cli = CliRunner()
    options = ["--unsafe", "--select", "structlog-logging,split-get-post", "--no-progress", "--format", "diff", "."]
    assert cli.invoke(main, ["run", "--allow-dirty", *options]).exit_code == 0
    written = (tmp_path / "app.py").read_text()
    assert "def notes_post():" in written and "log.log(LEVEL, " in written
    check = cli.invoke(main, ["run", "--check", *options])
    assert check.exit_code == 0, check.stdout


# -- the style: a MethodView keeps the endpoint where the project names it --------------

KEYED_APP = """\
from flask import Flask, request

app = Flask(__name__)
PUBLIC = ["login", "static"]
EXEMPT = set()


def exempt(view):
    EXEMPT.add(f"{view.__module__}.{view.__name__}")
    return view


def wrapped(view):
    import functools

    @functools.wraps(view)
    def inner(*args, **kwargs):
        return view(*args, **kwargs) + "!"

    return inner


@app.before_request
def guard():
    view = app.view_functions.get(request.endpoint)
    if view is not None and f"{view.__module__}.{view.__name__}" in EXEMPT:
        return None
    if request.endpoint not in PUBLIC:
        return "denied", 403
    return None


@app.route("/login", methods=["GET", "POST"])
@wrapped
def login():
    if request.method == "POST":
        return "posted " + request.endpoint
    return "form " + request.endpoint


@app.route("/hook", methods=["GET", "POST"])
def hook():
    if request.method == "POST":
        return "hooked"
    return "ready"
"""


def _responses(root: Path, module: str) -> list[tuple[str, int, str]]:
    sys.path.insert(0, str(root))
    try:
        app = __import__(module).app
        __import__(f"{module}_exemptions")
        client = app.test_client()
        calls = [client.get, client.post, client.head]
        return [
            (call.__name__, r.status_code, r.get_data(as_text=True))
            for call in calls
            for r in (call("/login"), call("/hook"))
        ]
    finally:
        sys.path.remove(str(root))
        for name in (module, f"{module}_exemptions"):
            sys.modules.pop(name, None)


def test_places_keyed_on_the_endpoint_match_the_same_requests_after_the_split(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("flask")
    for name in ("before", "after"):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"keyed_{name}.py").write_text(KEYED_APP)
        exemptions = f"import keyed_{name} as views\n\nviews.exempt(views.hook)\n"
        (tmp_path / name / f"keyed_{name}_exemptions.py").write_text(exemptions)
    root = tmp_path / "after"
    monkeypatch.chdir(root)
    result = run(RunRequest(paths=(root,), codemods=(SplitGetPost,), allow_unsafe=True, root=root))
    [views] = [f for f in result.files if f.display == "keyed_after.py"]
    assert views.changed and views.final is not None
    assert 'LoginView.as_view("login")' in views.final and 'HookView.as_view("hook")' in views.final
    (root / "keyed_after.py").write_text(views.final)
    before = _responses(tmp_path / "before", "keyed_before")
    assert ("post", 200, "posted login!") in before and ("post", 200, "hooked") in before
    assert _responses(root, "keyed_after") == before


def test_a_read_of_request_endpoint_keeps_every_endpoint() -> None:
    source = KEYED_APP.replace('PUBLIC = ["login", "static"]', "PUBLIC = []")
    output, record = helpers.apply_codemod(SplitGetPost, source)
    assert record is not None
    # `guard` looks views up by endpoint without naming one: both views keep their endpoint.
    assert "class LoginView(MethodView):" in output
    assert any("kept because line 25: `app.view_functions` is keyed" in n.message for n in record.unsafe_applied)


def test_a_split_nothing_keys_on_is_two_functions_under_auto() -> None:
    output, _ = helpers.apply_codemod(
        SplitGetPost,
        "from flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
        '@app.route("/x", methods=["GET", "POST"])\n'
        "def x():\n"
        '    if request.method == "POST":\n'
        '        return "p"\n'
        '    return "g"\n',
    )
    assert '@app.route("/x", methods=["POST"])\ndef x_post():' in output


def test_no_methodview_when_a_decorator_wraps_the_route_decorator() -> None:
    record = check_noop(
        SplitGetPost,
        """
        from flask import Flask, request

        app = Flask(__name__)
        PUBLIC = ["x"]

        @csrf.exempt
        @app.route("/x", methods=["GET", "POST"])
        def x():
            if request.method == "POST":
                return "p"
            return "g"
        """,
        options={"split-style": "auto"},
    )
    assert record is not None
    [skip] = record.skips
    assert skip.kind == "endpoint-named"
    assert "line 4 names the endpoint (`x`)" in skip.message
    assert "a decorator sits above a route decorator" in skip.message


def test_url_for_split_over_lines_is_read_as_one_call() -> None:
    plain = 'x = url_for(\n    "auth.login",\n    next="/",\n)\n'
    assert places_in(plain) == ()  # building a URL: the same for either endpoint
    by_method = 'x = url_for(\n    "auth.login",\n    _method="POST",\n)\ny = 1\n'
    [(line, text, generic)] = places_in(by_method)
    assert (line, generic) == (1, False) and '"auth.login", _method="POST"' in text
    # The same page under another argument: no read keyed on the endpoint.
    assert places_in("prev = url_for(\n    request.endpoint,\n    page=2,\n)\n") == ()


def test_a_same_name_in_another_module_is_a_use_only_through_the_views_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    views = "from flask import Flask, request\n\napp = Flask(__name__)\n\n\n" + (
        '@app.route("/hook", methods=["GET", "POST"])\ndef hook():\n'
        '    if request.method == "POST":\n        return "p"\n    return "g"\n'
    )
    (tmp_path / "views.py").write_text(views)
    (tmp_path / "other.py").write_text("def run(hook):\n    hook = hook.strip()\n    return client.hook\n")
    monkeypatch.chdir(tmp_path)
    result = run(RunRequest(paths=(tmp_path,), codemods=(SplitGetPost,), allow_unsafe=True, root=tmp_path))
    [changed] = [f for f in result.files if f.changed]
    assert changed.final is not None and "def hook_post():" in changed.final
    (tmp_path / "other.py").write_text("import views\n\nEXEMPT = [views.hook]\n")
    result = run(RunRequest(paths=(tmp_path,), codemods=(SplitGetPost,), allow_unsafe=True, root=tmp_path))
    [changed] = [f for f in result.files if f.changed]
    assert changed.final is not None and 'hook = HookView.as_view("hook")' in changed.final


def test_a_vendored_copy_of_a_library_is_not_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    views = "from flask import Flask, request\n\napp = Flask(__name__)\n\n\n" + (
        '@app.route("/login", methods=["GET", "POST"])\ndef login():\n'
        '    if request.method == "POST":\n        return "p"\n    return "g"\n'
    )
    (tmp_path / "views.py").write_text(views)
    for folder in ("lib/flask_login", "vendor/auth"):
        (tmp_path / folder).mkdir(parents=True)
        # Reads and names of endpoints inside a vendored copy speak of the library's own views.
        (tmp_path / folder / "utils.py").write_text("def check(request):\n    return audit(request.endpoint)\n")
    monkeypatch.chdir(tmp_path)
    result = run(RunRequest(paths=(tmp_path,), codemods=(SplitGetPost,), allow_unsafe=True, root=tmp_path))
    [changed] = [f for f in result.files if f.changed]
    assert changed.final is not None and "def login_post():" in changed.final
    (tmp_path / "auth.py").write_text("def check(request):\n    return audit(request.endpoint)\n")
    result = run(RunRequest(paths=(tmp_path,), codemods=(SplitGetPost,), allow_unsafe=True, root=tmp_path))
    [changed] = [f for f in result.files if f.changed]
    assert changed.final is not None and "class LoginView(MethodView)" in changed.final


# -- splits not worth making --------------------------------------------------------


def test_near_copies_are_not_split() -> None:
    body = "".join(f"    step{i}(form)\n" for i in range(8))
    record = check_noop(
        SplitGetPost,
        "from flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
        '@app.route("/x", methods=["GET", "POST"])\n'
        "def x():\n"
        "    form = load()\n" + body + "    mode = 'edit' if request.method == 'POST' else 'view'\n"
        "    return render(form, mode)\n",
    )
    assert record is not None
    [skip] = record.skips
    assert skip.kind == "near-copies" and "(12 and 12 lines, 1 different)" in skip.message


def test_a_view_left_empty_is_not_split() -> None:
    record = check_noop(
        SplitGetPost,
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.route("/x", methods=["GET", "POST"])
        def x():
            if request.method == "POST":
                save()
            else:
                pass
        """,
    )
    assert record is not None
    assert [(s.kind, s.message) for s in record.skips] == [("empty-view", "the GET view would be empty")]


def test_the_change_says_how_many_lines_the_split_adds() -> None:
    _, record = helpers.apply_codemod(
        SplitGetPost,
        "from flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
        '@app.route("/x", methods=["GET", "POST"])\n'
        "def x():\n"
        "    a = load()\n"
        '    if request.method == "POST":\n'
        '        return "p"\n'
        '    return "g"\n',
    )
    assert record is not None
    assert record.unsafe_applied[0].message.endswith("; +1 lines in the views' bodies")


# -- no new lint errors ----------------------------------------------------------

FIXTURES = Path(__file__).parent.parent / "fixtures" / "split-get-post"


def _ruff_unused(folder: Path) -> set[tuple[str, str, str]]:
    """(file, code, message) of each F841/F401 ruff reports under ``folder``, with its default rules off."""
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    command = [ruff, "check", "--select", "F841,F401", "--isolated", "--output-format", "json", str(folder)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return {(str(Path(d["filename"]).relative_to(folder)), d["code"], d["message"]) for d in json.loads(result.stdout)}


@pytest.mark.parametrize("case", sorted(p.name for p in FIXTURES.iterdir() if (p / "output").is_dir()))
def test_fixture_outputs_have_no_new_unused_names(case: str) -> None:
    # A split may keep a dead assignment whose value may have side effects, but only with a finding naming it.
    before = _ruff_unused(FIXTURES / case / "input")
    after = _ruff_unused(FIXTURES / case / "output")
    report = (FIXTURES / case / "report.txt").read_text()
    new = {entry for entry in after - before if not (entry[1] == "F841" and _named_kept(entry[2], report))}
    assert new == set()


def _named_kept(message: str, report: str) -> bool:
    """Does the report have the finding on the dead assignment ruff's ``message`` is about?"""
    name = message.split("`")[1]
    return f"assigns `{name}` and no longer reads it" in report


def test_dead_assignment_fixture_drops_error_and_keeps_calls() -> None:
    output = (FIXTURES / "dead-assignment" / "output" / "views.py").read_text()
    get_view = output.split("def register():")[1].split("@app.post")[0]
    assert "error" not in get_view and "attempts" not in get_view
    assert "query" not in output.split("def search():")[1].split("@app.post")[0]
    settings_get = output.split("def settings():")[1].split("@app.post")[0]
    assert "    get_errors()\n" in settings_get and "errors =" not in settings_get


# -- method-specific decorators ----------------------------------------------------

LIMITED_VIEW = """\
from flask import Flask, redirect, render_template, request
from flask_limiter import Limiter

app = Flask(__name__)
limiter = Limiter(app)


@app.route("/login", methods=["GET", "POST"])
@limiter.limit("5/minute", methods=["POST"])
def login():
    if request.method == "POST":
        return redirect("/")
    return render_template("login.html")
"""


def test_a_method_specific_limit_stays_whole_on_a_methodview() -> None:
    output, record = helpers.apply_codemod(SplitGetPost, LIMITED_VIEW, options={"split-style": "methodview"})
    assert record is not None
    assert 'decorators = [limiter.limit("5/minute", methods=["POST"])]' in output
    assert not any("no longer share" in f.message for f in record.findings)


def test_a_limit_naming_none_of_the_views_methods_stays_on_both() -> None:
    source = LIMITED_VIEW.replace('methods=["POST"])\n', 'methods=["PUT"])\n')
    output, _ = helpers.apply_codemod(SplitGetPost, source, options=STYLES)
    assert output.count('@limiter.limit("5/minute", methods=["PUT"])') == 2


@pytest.mark.parametrize("spelled", ['method="POST"', "method=['POST']"])
def test_a_ratelimit_method_keyword_goes_to_its_view(spelled: str) -> None:
    source = LIMITED_VIEW.replace('@limiter.limit("5/minute", methods=["POST"])', f"@ratelimit(rate='5/m', {spelled})")
    output, record = helpers.apply_codemod(SplitGetPost, source, options=STYLES)
    assert record is not None
    assert output.count("@ratelimit(") == 1
    assert output.index("@ratelimit(") > output.index("@app.post(")
    assert not any("no longer share" in f.message for f in record.findings)


# -- reads of request.endpoint that are the same for the old endpoint and the new one ----------

ENDPOINT_READ_VIEW = """\
from flask import Flask, redirect, request

app = Flask(__name__)


@app.before_request
def check():
    if {test}:
        return redirect("/confirm")


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        return redirect("/")
    return "form"
"""


@pytest.mark.parametrize(
    ("test", "style"),
    [
        ("request.endpoint and request.endpoint != 'static'", "functions"),
        ("not request.endpoint", "functions"),
        ("request.endpoint.startswith('admin.')", "functions"),
        ("request.endpoint in ('static', 'health')", "functions"),
        ("request.endpoint in PUBLIC", "methodview"),
        ("request.endpoint == 'login'", "methodview"),
        ("audit(request.endpoint)", "methodview"),
    ],
)
def test_endpoint_reads_that_cannot_tell_the_endpoints_apart_allow_functions(test: str, style: str) -> None:
    source = ENDPOINT_READ_VIEW.format(test=test)
    output, record = helpers.apply_codemod(SplitGetPost, source, options={"route-style": "shortcut"})
    assert record is not None
    assert ("class LoginView(MethodView)" in output) == (style == "methodview")
    assert ("def login_post():" in output) == (style == "functions")


@pytest.mark.parametrize(
    ("line", "generic"),
    [
        ("        and request.endpoint \\", False),
        ("{% if request.endpoint %}", False),
        ("if request.endpoint.startswith('admin.'):", False),
        ("name = request.endpoint or default", True),
        ("if request.endpoint not in PUBLIC:", True),
    ],
)
def test_the_project_scan_counts_only_reads_that_can_tell_endpoints_apart(line: str, generic: bool) -> None:
    places = places_in(line + "\n")
    assert bool(places and places[0][2]) == generic


def test_a_flattened_elif_leaves_one_blank_line_not_two() -> None:
    source = (
        "from flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
        '@app.route("/new", methods=["GET", "POST"])\n'
        "def new():\n"
        "    errors = load()\n"
        "\n"
        '    if request.method == "GET":\n'
        "        return show(errors)\n"
        "\n"
        '    elif request.method == "POST":\n'
        "        name = read()\n"
        "        return save(name, errors)\n"
    )
    output, _ = helpers.apply_codemod(SplitGetPost, source, options=STYLES)
    assert "    errors = load()\n\n    name = read()\n" in output
    assert "\n\n\n    " not in output


def test_methodview_binding_flat_views_serves_both_methods_under_the_endpoint() -> None:
    """The layout kept within the project's line length (views as functions, bound by `staticmethod`) works."""
    import importlib.util

    from flask import Flask, url_for
    from jinja2 import DictLoader

    written = Path(__file__).parent.parent / "fixtures/split-get-post/methodview-long-lines/output/app/main.py"
    assert "staticmethod(login_get)" in written.read_text()
    spec = importlib.util.spec_from_file_location("flat_methodview_main", written)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    app = Flask(__name__)
    app.jinja_loader = DictLoader({"login.html": "sign in, then {{ next }}"})
    app.register_blueprint(module.main)
    client = app.test_client()
    assert client.get("/login?nx=cart").get_data(as_text=True) == "sign in, then cart"
    posted = client.post("/login", data={"next": "/cart"})
    assert (posted.status_code, posted.headers["Location"]) == (302, "/cart")
    with app.test_request_context():
        assert url_for("main.login") == "/login"
    assert sorted(app.view_functions["main.login"].methods) == ["GET", "POST"]


def test_a_local_of_the_same_name_in_another_function_is_no_use_of_the_view() -> None:
    # LibCST resolves the reads of `history` at the end of `manage` to the module's `history`.
    source = """
from flask import Blueprint, request

bp = Blueprint("admin", __name__)


@bp.route("/history", methods=["GET", "POST"])
def history():
    if request.method == "POST":
        return "cleared"
    return "listed"


def manage(a, b, c, d):
    if a:
        return 1
    if b:
        try:
            if c:
                history = History(
                    msg=1)
                history.add()
            elif d:
                history = History(msg=2)
                history.add()
        except ValueError:
            pass
"""
    output, record = helpers.apply_codemod(SplitGetPost, source)
    assert "def history_post():" in output, output
    assert record is not None and not record.skips


def test_module_imports_that_share_a_view_name_are_no_use_of_it() -> None:
    from flaskmod.codemods.split_get_post.project_scan import view_references

    assert ("admin", "settings") not in view_references(
        "from blog.settings import config\nfrom blog.blueprints.admin import admin_bp\n"
    )
    assert ("admin", "settings") in view_references("from blog.blueprints.admin import (\n    settings,\n)\n")
    assert ("views", "hook") in view_references("from app import views\ncsrf.exempt(views.hook)\n")
    assert ("form", "validate") not in view_references("form.validate()\n")
    assert ("admin", "new_post") not in view_references("client.get(url_for('admin.new_post'))\n")


def test_a_dict_literal_keyed_on_endpoints_reads_no_other_endpoint() -> None:
    text = "expired = {\n    'index.login': 1,\n}.get(request.endpoint)\nother = table.get(request.endpoint)\n"
    assert places_in(text) == ((2, "    'index.login': 1,", False), (4, "other = table.get(request.endpoint)", True))


def test_a_local_import_only_the_other_view_reads_goes() -> None:
    source = """
from flask import Blueprint, request

bp = Blueprint("admin", __name__)


@bp.route("/records", methods=["GET", "POST"])
def records():
    from app.settings import AppSettings
    if request.method == "GET":
        return "form"
    return str(AppSettings.defaults)
"""
    output, _ = helpers.apply_codemod(SplitGetPost, source)
    get_view = output[output.index("def records():") : output.index("def records_post():")]
    post_view = output[output.index("def records_post():") :]
    assert "import" not in get_view, output
    assert "from app.settings import AppSettings" in post_view, output
