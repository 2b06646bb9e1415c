"""Order views: these only ever logged through Flask's app logger."""
from flask import Blueprint, current_app, jsonify, request

from .models import PaymentError, get_store

bp = Blueprint('orders', __name__, url_prefix='/orders')


def describe(order, logger=None):
    # `logger` is a parameter here, so a new module logger needs another name.
    text = f'order {order.id}: {order.total_cents / 100:.2f}'
    if logger is not None:
        logger.debug(text)
    return text


@bp.route('/<int:order_id>/pay', methods=['POST'])
def pay(order_id):
    store = get_store()
    order = store.orders.get(order_id)
    if order is None:
        current_app.logger.warning('Payment for unknown order %s', order_id)
        return jsonify(error='not found'), 404
    try:
        order.pay(request.form.get('card', ''))
    except PaymentError as e:
        current_app.logger.exception(e)
        return jsonify(error=str(e)), 402
    customer = store.customers[order.customer_id]
    current_app.logger.info(f"Order {order.id} paid by {customer}: {order.total_cents / 100:.2f}")
    current_app.logger.debug(describe(order, current_app.logger))
    return jsonify(id=order.id, paid=order.paid)
