"""The examples of extract-services: each is documentation and a test (`tests/test_codemods.py`).

The leave-alone examples come first; each rewrite example's view is run before and
after by `tests/codemods/test_extract_services.py`, which finds it by the view's name.
"""

from __future__ import annotations

from flaskmod.codemods.core.base import Example
from flaskmod.codemods.core.refusal import IGNORED_REASON

EXAMPLES: tuple[Example, ...] = (
    # Left alone: HTTP work cuts the view into runs too short to be worth a service.
    Example(
        """
from flask import Flask, flash, redirect, request, url_for

from models import Cart

app = Flask(__name__)


@app.post("/cart/add")
def add_to_cart():
    cart = Cart.current()
    flash("Checking")
    cart.add(request.form["sku"])
    flash("Added")
    cart.save()
    return redirect(url_for("show_cart"))
""",
        skips=("no run of 3+ statements without HTTP work",),
        options={"max-view-statements": 3},
    ),
    # Left alone: `break` leaves the run (the loop itself does HTTP work).
    Example(
        """
from flask import Flask, flash, jsonify

from models import Job

app = Flask(__name__)


@app.route("/jobs")
def jobs():
    done = []
    for job in Job.pending():
        job.run()
        done.append(job.id)
        if job.failed:
            break
        job.archive()
        flash(job.name)
    return jsonify(done=done)
""",
        skips=("`break` leaves the run",),
        options={"max-view-statements": 3},
    ),
    # Left alone: `note` is assigned on some paths only and may be unbound before the run.
    Example(
        """
from flask import Flask, render_template

from models import Post

app = Flask(__name__)


@app.route("/posts/<slug>")
def post(slug):
    post = Post.by_slug(slug)
    draft = post.draft
    if draft:
        note = "This post is a draft."
    post.views += 1
    return render_template("post.html", post=post, note=note if draft else "")
""",
        skips=("`note` is assigned only on some paths and may be unbound before the run",),
        options={"max-view-statements": 3},
    ),
    # Left alone: a lambda captures a local of the view.
    Example(
        """
from flask import Flask, render_template

from models import Product

app = Flask(__name__)


@app.route("/products")
def products():
    rows = Product.query.all()
    tax = Product.tax_rate()
    prices = sorted(rows, key=lambda p: p.price * tax)
    rows.reverse()
    return render_template("products.html", prices=prices)
""",
        skips=("a lambda or generator in the run captures the local `tax`",),
        options={"max-view-statements": 3},
    ),
    # Left alone: `locals()` anywhere in the view reads every local, those a run would move too.
    Example(
        """
from flask import Flask, render_template

from models import Invoice

app = Flask(__name__)


@app.route("/invoice/<int:number>")
def invoice(number):
    invoice = Invoice.get(number)
    total = invoice.total()
    taxes = invoice.taxes(total)
    return render_template("invoice.html", **locals())
""",
        skips=("fat view `invoice` left alone: it calls `locals()`, which reads every local by name",),
        options={"max-view-statements": 3},
    ),
    # Left alone: `del` of a name the view uses outside the run.
    Example(
        """
from flask import Flask, render_template

from models import Invoice

app = Flask(__name__)


@app.route("/invoice/<int:number>")
def invoice(number):
    invoice = Invoice.get(number)
    lines = invoice.lines()
    total = sum(line.amount for line in lines)
    del invoice
    return render_template("invoice.html", invoice=invoice, total=total)
""",
        skips=("the run deletes `invoice`, which the view uses outside it",),
        options={"max-view-statements": 3},
    ),
    # Left alone: `global`.
    Example(
        """
from flask import Flask, render_template

from models import Visit

app = Flask(__name__)
COUNTER = 0


@app.route("/visits")
def visits():
    global COUNTER
    COUNTER += 1
    rows = Visit.query.all()
    rows.reverse()
    return render_template("visits.html", rows=rows, counter=COUNTER)
""",
        skips=("it contains `global COUNTER`",),
        options={"max-view-statements": 3},
    ),
    # Left alone: an ignore comment.
    Example(
        """
from flask import Flask, render_template

from models import Report

app = Flask(__name__)


@app.route("/report")
def report():
    report = Report.latest()  # flaskmod: ignore[extract-services]
    report.refresh()
    report.save()
    return render_template("report.html", report=report)
""",
        skips=(IGNORED_REASON,),
        options={"max-view-statements": 3},
    ),
    # The POST branch: request data hoisted (`request.form` -> `form`), the model import copied.
    Example(
        """
from flask import Flask, flash, redirect, render_template, request, url_for

from models import User, db

app = Flask(__name__)


@app.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id):
    user = User.query.get(user_id)
    if request.method == "POST":
        name = request.form["name"].strip()
        user.name = name.title()
        db.session.commit()
        flash("Saved")
        return redirect(url_for("edit_user", user_id=user_id))
    return render_template("user.html", user=user)
""",
        """
from flask import Flask, flash, redirect, render_template, request, url_for

from example_services import update_user
from models import User

app = Flask(__name__)


@app.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id):
    user = User.query.get(user_id)
    if request.method == "POST":
        update_user(user, request.form)
        flash("Saved")
        return redirect(url_for("edit_user", user_id=user_id))
    return render_template("user.html", user=user)
""",
        options={"max-view-statements": 3},
    ),
    # A run at top level with several return values, using a model and a logger: the model's import and
    # the logger's definition are copied (`getLogger("shop")` returns the same logger in any module).
    Example(
        """
import logging

from flask import Flask, render_template

from models import Order

app = Flask(__name__)
log = logging.getLogger("shop")


@app.route("/orders")
def orders():
    query = Order.query.filter_by(open=True)
    total = query.count()
    pages = (total + 19) // 20
    log.info("listing %d orders", total)
    return render_template("orders.html", total=total, pages=pages)
""",
        """
import logging

from flask import Flask, render_template

from example_services import find_total_and_pages

app = Flask(__name__)
log = logging.getLogger("shop")


@app.route("/orders")
def orders():
    total, pages = find_total_and_pages()
    return render_template("orders.html", total=total, pages=pages)
""",
        options={"max-view-statements": 3},
    ),
    # A conditionally assigned name bound before the run is a parameter and a return value; `item` is mutated.
    Example(
        """
from flask import Flask, flash, render_template

from inventory import find_item

app = Flask(__name__)


@app.route("/stock/<sku>")
def stock(sku):
    message = "unknown"
    flash("Looking up " + sku)
    item = find_item(sku)
    if item is not None:
        message = "in stock"
    item.views += 1
    return render_template("stock.html", item=item, message=message)
""",
        """
from flask import Flask, flash, render_template

from example_services import update_item

app = Flask(__name__)


@app.route("/stock/<sku>")
def stock(sku):
    message = "unknown"
    flash("Looking up " + sku)
    item, message = update_item(sku, message)
    return render_template("stock.html", item=item, message=message)
""",
        options={"max-view-statements": 3},
    ),
    # A run inside a loop returns the value the next iteration reads.
    Example(
        """
from flask import Flask, jsonify
from ledger import audit, load_lines

app = Flask(__name__)


@app.route("/totals")
def totals():
    lines = load_lines()
    count = 0
    for line in lines:
        count += line.quantity
        line.seen = True
        audit(line)
        if line.flagged:
            return jsonify(error=line.id)
    return jsonify(count=count)
""",
        """
from flask import Flask, jsonify
from ledger import load_lines

from example_services import update_line

app = Flask(__name__)


@app.route("/totals")
def totals():
    lines = load_lines()
    count = 0
    for line in lines:
        count = update_line(count, line)
        if line.flagged:
            return jsonify(error=line.id)
    return jsonify(count=count)
""",
        options={"max-view-statements": 3},
    ),
    # A view in a factory function: the factory's locals become parameters.
    Example(
        """
from flask import Blueprint, render_template
from reporting import fetch_rows


def make_blueprint(config):
    bp = Blueprint("reports", __name__)

    @bp.route("/reports")
    def reports():
        limit = config["limit"]
        rows = fetch_rows(limit)
        rows.sort()
        return render_template("reports.html", rows=rows)

    return bp
""",
        """
from flask import Blueprint, render_template

from example_services import compute_rows


def make_blueprint(config):
    bp = Blueprint("reports", __name__)

    @bp.route("/reports")
    def reports():
        rows = compute_rows(config)
        return render_template("reports.html", rows=rows)

    return bp
""",
        options={"max-view-statements": 3},
    ),
    # An async view: the service is async and awaited; the input `data = request.get_json()` stays in the view.
    Example(
        """
from flask import Flask, jsonify, request
from importer import parse_items, store_items

app = Flask(__name__)


@app.post("/import")
async def import_items():
    data = request.get_json()
    items = await parse_items(data)
    saved = await store_items(items)
    return jsonify(saved=saved)
""",
        """
from flask import Flask, jsonify, request

from example_services import compute_saved

app = Flask(__name__)


@app.post("/import")
async def import_items():
    data = request.get_json()
    saved = await compute_saved(data)
    return jsonify(saved=saved)
""",
        options={"max-view-statements": 3},
    ),
    # A private helper that only the run uses moves along with the service (with the imports it needs).
    Example(
        """
from flask import Flask, flash, redirect, request
from models import User, db

app = Flask(__name__)


def _clean_name(raw):
    # Collapse inner whitespace: "  ann   lee " -> "Ann Lee".
    return " ".join(raw.split()).title()


@app.post("/users/<int:user_id>/name")
def rename_user(user_id):
    user = User.query.get(user_id)
    name = _clean_name(request.form["name"])
    user.name = name
    user.views += 1
    db.session.commit()
    flash(f"Renamed to {name}.")
    return redirect("/users")
""",
        """
from flask import Flask, flash, redirect, request

from example_services import update_user

app = Flask(__name__)


@app.post("/users/<int:user_id>/name")
def rename_user(user_id):
    name = update_user(user_id, request.form)
    flash(f"Renamed to {name}.")
    return redirect("/users")
""",
        options={"max-view-statements": 3},
    ),
    Example(
        """
from flask import Flask, flash, render_template, request

from ledger import load_lines
from models import Order

app = Flask(__name__)


@app.route("/orders/<int:order_id>")
def order_summary(order_id):
    order = Order.query.get(order_id)
    lines = load_lines()
    quantity = sum(line.quantity for line in lines)
    flagged = [line.id for line in lines if line.flagged]
    if request.args.get("hide"):
        flagged = []
        flash("Flags hidden.")
    return render_template("order.html", order=order, quantity=quantity, flagged=flagged)
""",
        """
from flask import Flask, flash, render_template, request

from example_services import find_order_summary

app = Flask(__name__)


@app.route("/orders/<int:order_id>")
def order_summary(order_id):
    result = find_order_summary(order_id)
    flagged = result.flagged
    if request.args.get("hide"):
        flagged = []
        flash("Flags hidden.")
    return render_template("order.html", order=result.order, quantity=result.quantity, flagged=flagged)
""",
        options={"max-view-statements": 3},
    ),
)
