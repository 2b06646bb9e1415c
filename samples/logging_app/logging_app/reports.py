"""Reports: logging through the legacy helpers that must stay as they are."""
from flask import Blueprint, jsonify

from . import legacy
from .audit import audit_logger
from .models import get_store

bp = Blueprint('reports', __name__, url_prefix='/reports')


@bp.route('/customers')
def customers_report():
    store = get_store()
    rows = legacy.Exporter().export(store.customers.values())
    audit_logger.info('Customer report with %d rows', len(rows))
    return jsonify(rows=rows)


@bp.route('/orders')
def orders_report():
    store = get_store()
    total = legacy.total_paid(store.orders.values(), legacy.LOG)
    return jsonify(total_cents=total)
