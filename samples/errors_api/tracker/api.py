"""The JSON API: every error is a `{"error": <message>}` body with a status."""
import threading
from http import HTTPStatus

from flask import Blueprint, current_app, jsonify, make_response, request

from .store import get_store

bp = Blueprint('api', __name__)
_create_lock = threading.Lock()


@bp.route('/projects/<slug>')
def get_project(slug):
    project = get_store().projects.get(slug)
    if project is None:
        return jsonify({'error': f'no project {slug}'}), 404
    return jsonify(project.to_dict())


@bp.route('/projects/<slug>/tickets')
def list_tickets(slug):
    store = get_store()
    if slug not in store.projects:
        return jsonify(error=f'no project {slug}'), HTTPStatus.NOT_FOUND
    state = request.args.get('state', 'open')
    if state not in ('open', 'closed', 'all'):
        return {'error': 'state must be open, closed or all'}, 400
    return jsonify([t.to_dict() for t in store.tickets_of(slug, state) if not t.private])


@bp.route('/tickets/<int:ticket_id>')
def get_ticket(ticket_id):
    ticket = get_store().tickets.get(ticket_id)
    if ticket is None or ticket.private:
        return make_response(jsonify({'error': 'ticket not found'}), 404)
    return jsonify(ticket.to_dict())


@bp.route('/projects/<slug>/tickets', methods=['POST'])
def create_ticket(slug):
    store = get_store()
    store.api_calls += 1
    if store.api_calls > current_app.config['API_RATE_LIMIT']:
        return jsonify({'error': 'slow down'}), 429, {'Retry-After': '60'}
    project = store.projects.get(slug)
    if project is None:
        return jsonify({'error': f'no project {slug}'}), 404
    if project.archived:
        return jsonify({'error': 'project %s is archived' % slug}), 409
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return jsonify({'error': 'expected a JSON object'}), 400
    title = (payload.get('title') or '').strip()
    if not title:
        return jsonify({'error': 'title is required'}), 422
    if len(title) > 80:
        return jsonify({'error': 'title is too long ({} > 80)'.format(len(title))}), 422
    try:
        priority = int(payload.get('priority', 3))
    except (TypeError, ValueError):
        return jsonify({'error': 'priority must be a number'}), 400
    with _create_lock:
        if any(t.title == title for t in store.tickets_of(slug, 'all')):
            return jsonify({'error': 'duplicate ticket'}), 409
        ticket = store.add_ticket(slug, title, priority=priority)
    return jsonify(ticket.to_dict()), 201


@bp.route('/tickets/<int:ticket_id>/close', methods=['POST'])
def close_ticket(ticket_id):
    store = get_store()
    try:
        ticket = store.tickets[ticket_id]
        if ticket.closed:
            return jsonify({'error': 'ticket is already closed'}), 409
        store.close(ticket)
    except Exception:
        current_app.logger.info('cannot close ticket %s', ticket_id)
        return jsonify({'error': 'ticket not found'}), 404
    return jsonify(ticket.to_dict())


@bp.route('/tickets/<int:ticket_id>', methods=['DELETE'])
def delete_ticket(ticket_id):
    return {'error': 'tickets cannot be deleted, close them'}, 405
