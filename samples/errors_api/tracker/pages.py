"""The HTML pages: errors are werkzeug's error pages, raised every which way."""
import werkzeug.exceptions as wex
from flask import Blueprint, abort, render_template, request
from werkzeug import exceptions
from werkzeug.exceptions import NotFound

from .store import get_store

bp = Blueprint('pages', __name__)


@bp.route('/')
def index():
    return render_template('index.html', projects=get_store().projects.values())


@bp.route('/projects/<slug>')
def project(slug):
    if slug != slug.lower():
        return 'Project slugs are lowercase.', 400
    store = get_store()
    project = store.projects.get(slug) or abort(404)
    return render_template('project.html', project=project, tickets=store.tickets_of(slug))


@bp.route('/tickets/<int:ticket_id>')
def ticket(ticket_id):
    ticket = get_store().tickets.get(ticket_id)
    if ticket is None:
        raise NotFound()
    if ticket.private and request.args.get('token') != ticket.token:
        abort(403, 'This ticket is private.')
    return render_template('ticket.html', ticket=ticket)


@bp.route('/projects/<slug>/archive')
def archive(slug):
    project = get_store().projects.get(slug)
    if project is None:
        raise wex.NotFound(f'No project called {slug}.')
    if not project.archived:
        return abort(409, description='This project is still active.')
    return render_template('archive.html', project=project)


@bp.route('/search')
def search():
    query = request.args.get('q', '').strip()
    if len(query) < 2:
        raise exceptions.BadRequest('Type at least two characters.')
    found = [t for t in get_store().tickets.values()
             if query.lower() in t.title.lower() and not t.private]
    if not found:
        return render_template('search.html', query=query, tickets=[]), 404
    return render_template('search.html', query=query, tickets=found)


@bp.route('/export', methods=['GET', 'POST'])
def export():
    if request.method == 'POST':
        abort(405, ['GET'])
    lines = [f'{t.id};{t.project};{t.title}' for t in get_store().tickets.values() if not t.private]
    return '\n'.join(lines), 200, {'Content-Type': 'text/csv'}


@bp.route('/teapot')
def teapot():
    raise wex.ImATeapot
