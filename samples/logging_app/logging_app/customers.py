"""Customer views: every way this codebase ever logged a fact."""
import logging
import sys

from flask import Blueprint, abort, jsonify, request

from .models import get_store

logger = logging.getLogger(__name__)

bp = Blueprint('customers', __name__, url_prefix='/customers')


def find_customer(customer_id):
    customer = get_store().customers.get(customer_id)
    if customer is None:
        logger.warn('Unknown customer %d requested', customer_id)
        abort(404)
    return customer


@bp.route('/<int:customer_id>')
def show(customer_id):
    customer = find_customer(customer_id)
    logger.debug(f'Customer {customer.id} viewed by {request.remote_addr!r}: {customer.settings=}')
    logger.info('Customer %s (%s) viewed', customer.id, customer.email)
    return jsonify(id=customer.id, name=customer.name, tier=customer.tier, settings=customer.settings)


@bp.route('/<int:customer_id>/settings', methods=['POST'])
def update_settings(customer_id):
    customer = find_customer(customer_id)
    changes = request.get_json(silent=True) or {}
    if not isinstance(changes, dict) or not changes:
        logger.warning("Empty settings update for customer " + str(customer_id) + " from " + repr(request.remote_addr))
        return jsonify(error='no changes'), 400
    customer.settings.update(changes)
    name = customer.name
    logger.info(f'Customer {customer_id} updated their settings')
    logger.info('settings updated for %s', customer_id)
    logger.info("new settings for " + str(customer_id) + ": " + ', '.join(sorted(changes)))
    logger.info('{} changed {} setting(s), tier {tier}'.format(name, len(changes), tier=customer.tier))
    logger.info('%(name)s now has %(count)d settings', {'name': name, 'count': len(customer.settings)})
    logger.debug('Settings payload: %r' % changes)
    logger.info('settings updated', extra={'customer_id': customer.id, 'level': customer.tier,
                                           'keys': sorted(changes)})
    return jsonify(settings=customer.settings)


@bp.route('/<int:customer_id>/addresses', methods=['POST'])
def add_address(customer_id):
    customer = find_customer(customer_id)
    address = (request.form.get('address') or '').strip()
    if not address:
        logger.log(logging.WARNING, 'Rejected empty address for customer %s', customer_id)
        return jsonify(error='address required'), 400
    customer.addresses.append(address)
    context = {'customer_id': customer.id, 'addresses': len(customer.addresses)}
    logger.info("new address added for " + str(customer_id), extra=context)
    logger.log(20, 'Customer %s has %d address(es)', customer.id, len(customer.addresses))
    return jsonify(addresses=customer.addresses), 201


@bp.route('/<int:customer_id>/import', methods=['POST'])
def import_settings(customer_id):
    customer = find_customer(customer_id)
    raw = request.get_data(as_text=True)
    try:
        pairs = dict(line.split('=', 1) for line in raw.splitlines() if line)
    except ValueError as e:
        logger.error(e)
        logger.error('Import for customer %s failed', customer.id, exc_info=True)
        logger.error('Import for customer %s failed', customer.id, exc_info=1)
        logger.error('Import for customer %s failed', customer.id, exc_info=e)
        logger.error('Import for customer %s failed', customer.id, exc_info=sys.exc_info())
        return jsonify(error='malformed import'), 400
    module = 'import'
    logger.info('Imported %d settings through %s', len(pairs), module, stack_info=True, stacklevel=2)
    customer.settings.update(pairs)
    if len(customer.settings) > 20:
        logger.fatal(f'Customer {customer.id} has {len(customer.settings)} settings')
    return jsonify(settings=customer.settings)
