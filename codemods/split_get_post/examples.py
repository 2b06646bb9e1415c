"""split-get-post's documented examples: left alone first, then rewrites (each is a test, ``split-get-post-{i}``)."""

from __future__ import annotations

from flaskmod.codemods.core.base import Example
from flaskmod.codemods.core.refusal import IGNORED_REASON

# The rewrites below write `@bp.get`/`@bp.post`, as for a project that requires Flask >= 2.0.
SHORTCUTS = {"route-style": "shortcut"}

EXAMPLES = (
    # Left alone: `request.method` is passed to a helper, so its uses are not all visible.
    Example(
        """
from flask import Flask, request

app = Flask(__name__)


@app.route("/hook", methods=["GET", "POST"])
def hook():
    audit(request.method)
    if request.method == "POST":
        return handle(request.form)
    return "ready"
""",
        skips=("used other than in a comparison with a method name (`audit(request.method)`)",),
    ),
    # Left alone: a nested function reads `request.method`.
    Example(
        """
from flask import Flask, after_this_request, request

app = Flask(__name__)


@app.route("/upload", methods=["GET", "POST"])
def upload():
    @after_this_request
    def log(response):
        if request.method == "POST":
            record(response)
        return response

    if request.method == "POST":
        return save(request.files["file"])
    return "form"
""",
        skips=("read inside a nested function",),
    ),
    # Left alone: `methods` is not a literal.
    Example(
        """
from flask import Flask, request

app = Flask(__name__)
FORM_METHODS = ["GET", "POST"]


@app.route("/contact", methods=FORM_METHODS)
def contact():
    if request.method == "POST":
        return send(request.form)
    return "form"
""",
        skips=("`methods` is not a literal",),
    ),
    # Left alone: HEAD is listed explicitly.
    Example(
        """
from flask import Flask, request

app = Flask(__name__)


@app.route("/ping", methods=["GET", "POST", "HEAD"])
def ping():
    if request.method == "POST":
        return "pong", 201
    return "pong"
""",
        skips=("`methods` lists HEAD explicitly",),
    ),
    # Left alone: a view registered with `add_url_rule`, and a class-based view.
    Example(
        """
from flask import Flask, request
from flask.views import MethodView

app = Flask(__name__)


def vote():
    if request.method == "POST":
        return cast(request.form)
    return "ballot"


app.add_url_rule("/vote", view_func=vote, methods=["GET", "POST"])


class Poll(MethodView):
    def dispatch_request(self):
        if request.method == "POST":
            check_token()
        return super().dispatch_request()
""",
        skips=("registered with `add_url_rule`", "class-based views are not split"),
    ),
    # Left alone: the result of a method test is stored.
    Example(
        """
from flask import Flask, render_template, request

app = Flask(__name__)


@app.route("/search", methods=["GET", "POST"])
def search():
    is_post = request.method == "POST"
    results = run(request.form) if is_post else []
    return render_template("search.html", results=results)
""",
        skips=("stored in `is_post`",),
    ),
    # Left alone: the method test follows a call in `and`, so the GET view could not drop the branch.
    Example(
        """
from flask import Flask, redirect, render_template, request

app = Flask(__name__)


@app.route("/join", methods=["GET", "POST"])
def join():
    form = JoinForm()
    if form.validate_on_submit() and request.method == "POST":
        return redirect("/welcome")
    return render_template("join.html", form=form)
""",
        skips=("follows code with side effects",),
    ),
    # Left alone: the POST view's name is taken.
    Example(
        """
from flask import Flask, request

app = Flask(__name__)


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        return login_post()
    return "form"


def login_post():
    return "welcome"
""",
        skips=("would be named `login_post`, already used in this module",),
    ),
    # Left alone: opted out with a comment.
    Example(
        """
from flask import Flask, request

app = Flask(__name__)


@app.route("/legacy", methods=["GET", "POST"])  # flaskmod: ignore[split-get-post]
def legacy():
    if request.method == "POST":
        return "saved"
    return "form"
""",
        skips=(IGNORED_REASON,),
    ),
    # Without --unsafe the split is reported, not written; the HEAD change is a finding either way.
    Example(
        """
from flask import Flask, redirect, render_template, request

app = Flask(__name__)


@app.route("/settings", methods=["GET", "POST"])
async def settings():
    user = await current_user()
    if request.method == "GET":
        return render_template("settings.html", user=user)
    else:
        # POST: save
        await user.update(request.form)
        return redirect("/settings")
""",
        findings=("HEAD requests ran `settings`",),
        allow_unsafe=False,
    ),
    # The POST branch falls through to the render shared with GET; comments go with their branch.
    Example(
        """
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required

bp = Blueprint("posts", __name__)


@bp.route("/posts/new", methods=["GET", "POST"])
@login_required
def new_post():
    form = PostForm(request.form)
    # save the submitted post
    if request.method == "POST" and form.validate():
        post = Post.create(title=form.title.data)
        return redirect(url_for("posts.show", post_id=post.id))
    # an empty form, or the submitted one with its errors
    return render_template("posts/new.html", form=form)
""",
        """
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required

bp = Blueprint("posts", __name__)


@bp.get("/posts/new")
@login_required
def new_post():
    form = PostForm(request.form)
    # an empty form, or the submitted one with its errors
    return render_template("posts/new.html", form=form)


@bp.post("/posts/new")
@login_required
def new_post_post():
    form = PostForm(request.form)
    # save the submitted post
    if form.validate():
        post = Post.create(title=form.title.data)
        return redirect(url_for("posts.show", post_id=post.id))
    # an empty form, or the submitted one with its errors
    return render_template("posts/new.html", form=form)
""",
        options=SHORTCUTS,
    ),
    # `if GET ... else`: HEAD requests took the POST path before the split (an async view).
    Example(
        """
from flask import Flask, redirect, render_template, request

app = Flask(__name__)


@app.route("/settings", methods=["GET", "POST"])
async def settings():
    user = await current_user()
    if request.method == "GET":
        return render_template("settings.html", user=user)
    else:
        # POST: save
        await user.update(request.form)
        return redirect("/settings")
""",
        """
from flask import Flask, redirect, render_template, request

app = Flask(__name__)


@app.get("/settings")
async def settings():
    user = await current_user()
    return render_template("settings.html", user=user)


@app.post("/settings")
async def settings_post():
    user = await current_user()
    # POST: save
    await user.update(request.form)
    return redirect("/settings")
""",
        findings=("took the POST path",),
        options=SHORTCUTS,
    ),
    # Early return for GET; methods as a tuple in any case; `endpoint=` and other options kept.
    Example(
        """
from flask import Blueprint, redirect, render_template, request

bp = Blueprint("shop", __name__)


@bp.route("/checkout/", methods=("post", "get"), endpoint="pay", strict_slashes=False)
def checkout():
    cart = load_cart()
    if request.method != "POST":
        return render_template("checkout.html", cart=cart)

    order = cart.place(request.form["address"])
    return redirect(f"/orders/{order.id}")
""",
        """
from flask import Blueprint, redirect, render_template, request

bp = Blueprint("shop", __name__)


@bp.get("/checkout/", endpoint="pay", strict_slashes=False)
def checkout():
    cart = load_cart()
    return render_template("checkout.html", cart=cart)


@bp.post("/checkout/", endpoint="pay_post", strict_slashes=False)
def checkout_post():
    cart = load_cart()

    order = cart.place(request.form["address"])
    return redirect(f"/orders/{order.id}")
""",
        options=SHORTCUTS,
    ),
    # Compound conditions, an `elif`, a reversed comparison, conditional expressions, `in (...)`.
    Example(
        """
from flask import Flask, flash, redirect, render_template, request

app = Flask(__name__)


@app.route("/profile", methods={"GET", "POST"})
def profile():
    form = ProfileForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        form.save()
        return redirect("/profile")
    elif "POST" == request.method:
        flash("Please fix the errors below.")
    return render_template("profile.html", form=form, posted=request.method in ("POST",))
""",
        """
from flask import Flask, flash, redirect, render_template, request

app = Flask(__name__)


@app.get("/profile")
def profile():
    form = ProfileForm(formdata=None)
    return render_template("profile.html", form=form, posted=False)


@app.post("/profile")
def profile_post():
    form = ProfileForm(formdata=request.form)
    if form.validate():
        form.save()
        return redirect("/profile")
    else:
        flash("Please fix the errors below.")
    return render_template("profile.html", form=form, posted=True)
""",
        options=SHORTCUTS,
    ),
    # Stacked rules keep exactly their methods: the second one only ever served GET.
    Example(
        """
from flask import Blueprint, render_template, request

bp = Blueprint("search", __name__)


@bp.route("/search", methods=["GET", "POST"], defaults={"page": 1})
@bp.route("/search/<int:page>")
def search(page):
    if request.method == "POST":
        save_search(request.form["q"])
    return render_template("search.html", page=page)
""",
        """
from flask import Blueprint, render_template, request

bp = Blueprint("search", __name__)


@bp.get("/search", defaults={"page": 1})
@bp.route("/search/<int:page>")
def search(page):
    return render_template("search.html", page=page)


@bp.post("/search", defaults={"page": 1})
def search_post(page):
    save_search(request.form["q"])
    return render_template("search.html", page=page)
""",
        options=SHORTCUTS,
    ),
    # A third method with its own branch gets its own view; one without (PUT) stays with POST.
    Example(
        """
from flask import Blueprint, jsonify, request

api = Blueprint("api", __name__)


@api.route("/items/<int:item_id>", methods=["GET", "POST", "PUT", "DELETE"])
def item(item_id):
    found = Item.get_or_404(item_id)
    if request.method == "DELETE":
        found.delete()
        return "", 204
    if request.method in ("POST", "PUT"):
        found.update(request.get_json())
    return jsonify(found.to_dict())
""",
        """
from flask import Blueprint, jsonify, request

api = Blueprint("api", __name__)


@api.get("/items/<int:item_id>")
def item(item_id):
    found = Item.get_or_404(item_id)
    return jsonify(found.to_dict())


@api.route("/items/<int:item_id>", methods=["POST", "PUT"])
def item_post(item_id):
    found = Item.get_or_404(item_id)
    found.update(request.get_json())
    return jsonify(found.to_dict())


@api.delete("/items/<int:item_id>")
def item_delete(item_id):
    found = Item.get_or_404(item_id)
    found.delete()
    return "", 204
""",
        options=SHORTCUTS,
    ),
    # Flask < 2.0 (`route-style = "route"`) and another suffix; the unused `request` import goes.
    Example(
        """
from flask import Flask, redirect, render_template, request

app = Flask(__name__)


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        return redirect("/")
    return render_template("login.html")
""",
        """
from flask import Flask, redirect, render_template

app = Flask(__name__)


@app.route("/login", methods=["GET"])
def login():
    return render_template("login.html")


@app.route("/login", methods=["POST"])
def login_submit():
    return redirect("/")
""",
        options={"route-style": "route", "post-suffix": "_submit"},
    ),
    # A view in an app factory, `flask.request.method`, a one-line branch.
    Example(
        """
import flask


def create_app():
    app = flask.Flask(__name__)

    @app.route("/feedback", methods=["GET", "POST"])
    def feedback():
        if flask.request.method == "POST": store(flask.request.form)
        return flask.render_template("feedback.html")

    return app
""",
        """
import flask


def create_app():
    app = flask.Flask(__name__)

    @app.get("/feedback")
    def feedback():
        return flask.render_template("feedback.html")

    @app.post("/feedback")
    def feedback_post():
        store(flask.request.form)
        return flask.render_template("feedback.html")

    return app
""",
        options=SHORTCUTS,
    ),
    # Code keyed on the old endpoint is reported next to the change.
    Example(
        """
from flask import Blueprint, redirect, render_template, request
from app.extensions import login_manager

bp = Blueprint("auth", __name__)
login_manager.login_view = "auth.login"


@bp.before_app_request
def require_login():
    if request.endpoint not in ("auth.login", "static") and not logged_in():
        return redirect("/login")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        log_in(request.form)
        return redirect("/")
    return render_template("login.html")
""",
        """
from flask import Blueprint, redirect, render_template, request
from app.extensions import login_manager

bp = Blueprint("auth", __name__)
login_manager.login_view = "auth.login"


@bp.before_app_request
def require_login():
    if request.endpoint not in ("auth.login", "static") and not logged_in():
        return redirect("/login")


@bp.get("/login")
def login():
    return render_template("login.html")


@bp.post("/login")
def login_post():
    log_in(request.form)
    return redirect("/")
""",
        findings=("`auth.login` names a split view's endpoint: its POST requests now reach `auth.login_post`",),
        options={**SHORTCUTS, "split-style": "functions"},
    ),
    # `split-style = "auto"`: the module names the endpoint, so it stays: a MethodView under `auth.login`,
    # its decorators in `decorators` (innermost first), `login` still the registered view function.
    Example(
        """
from flask import Blueprint, redirect, render_template, request
from app.extensions import login_manager, no_cache, rate_limited

bp = Blueprint("auth", __name__)
login_manager.login_view = "auth.login"


@bp.route("/login", methods=["GET", "POST"], strict_slashes=False)
@rate_limited
@no_cache
def login():
    if request.method == "POST":
        log_in(request.form)
        return redirect("/")
    return render_template("login.html")
""",
        """
from flask import Blueprint, redirect, render_template, request
from app.extensions import login_manager, no_cache, rate_limited
from flask.views import MethodView

bp = Blueprint("auth", __name__)
login_manager.login_view = "auth.login"


class LoginView(MethodView):
    decorators = [no_cache, rate_limited]

    def get(self):
        return render_template("login.html")

    def post(self):
        log_in(request.form)
        return redirect("/")


login = LoginView.as_view("login")
bp.add_url_rule(
    "/login", view_func=login, methods=["GET", "POST"], strict_slashes=False
)
""",
    ),
)
