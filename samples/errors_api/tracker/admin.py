"""Admin endpoints: older code with its own error helpers and shapes."""
from flask import Blueprint, Response, current_app, jsonify, request

from .errors import bad_request, forbidden
from .store import get_store

bp = Blueprint('admin', __name__)


def check_token():
    token = request.headers.get('X-Admin-Token')
    if not token:
        return False, 401, 'missing token'
    if token != current_app.config['ADMIN_TOKEN']:
        return False, 403, 'bad token'
    return True, 200, ''


@bp.route('/stats')
def stats():
    ok, status, message = check_token()
    if not ok:
        return jsonify({'message': message}), status
    store = get_store()
    return jsonify({'projects': len(store.projects), 'tickets': len(store.tickets)})


@bp.route('/projects/<slug>/archive', methods=['POST'])
def archive(slug):
    ok, _status, message = check_token()
    if not ok:
        return forbidden(message)
    project = get_store().projects.get(slug)
    if project is None:
        return bad_request(f'unknown project {slug}')
    if project.archived:
        return jsonify({'message': 'already archived'}), 409
    project.archived = True
    return jsonify(project.to_dict())


@bp.route('/maintenance')
def maintenance():
    if current_app.config['MAINTENANCE']:
        return Response('{"status": "down"}', status=503, mimetype='application/json')
    return {'detail': 'not in maintenance'}, 404
