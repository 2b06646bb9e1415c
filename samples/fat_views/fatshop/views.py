import logging

from flask import Blueprint, flash, redirect, render_template, request, url_for

from .integrations import crm_update, notify, validate_address
from .models import store

bp = Blueprint("shop", __name__)
logger = logging.getLogger("fatshop")


def _line_price(item, quantity):
    # A placeholder tariff: one unit per letter of the item's name.
    return len(item) * quantity


@bp.route("/account/<int:user_id>/settings", methods=["GET", "POST"])
def account_settings(user_id):
    user = store.users[user_id]
    errors = []
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        email = request.form.get("email", "").strip().lower()
        address = validate_address(request.form.get("street", ""))
        if not name:
            errors.append("Name is required.")
        if "@" not in email:
            errors.append("Invalid email.")
        if address is None:
            errors.append("Invalid address.")
        if not errors:
            user.name = name
            user.email = email
            user.street = address["street"]
            user.postcode = address["postcode"]
            store.commit()
            crm_update(user.id, name=name, email=email)
            notify(email, "Your settings were updated.")
            logger.info("user %s updated settings", user.id)
        if not errors:
            flash("Settings saved.")
            return redirect(url_for("shop.account_settings", user_id=user_id))
    return render_template("settings.html", user=user, errors=errors)


@bp.route("/orders/new", methods=["POST"])
def place_order():
    user = store.users[int(request.form["user_id"])]
    quantity = int(request.form.get("quantity", "1"))
    items = [i.strip() for i in request.form.get("items", "").split(",") if i.strip()]
    total = 0
    for item in items:
        total += _line_price(item, quantity)
    order = {"user": user.id, "items": items, "total": total}
    store.orders.append(order)
    store.commit()
    notify(user.email, f"Order of {len(items)} items placed.")
    logger.info("order placed for %s", user.id)
    if not items:
        flash("Empty order.")
    return render_template("order.html", order=order)


@bp.route("/orders")
def orders():
    return render_template("order.html", order=store.orders[-1] if store.orders else None)
