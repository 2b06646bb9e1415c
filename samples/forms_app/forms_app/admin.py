"""Admin pages: shapes split-get-post leaves alone."""
from flask import (Blueprint, current_app, flash, redirect, render_template,
                   request, url_for)
from flask.views import MethodView

from .auth import current_user
from .store import get_store

tools = Blueprint('tools', __name__)


class UsersView(MethodView):
    """Class-based: the methods are separate already."""

    def dispatch_request(self, *args, **kwargs):
        user = current_user()
        if request.method == 'POST' and (user is None or not user.is_admin):
            return 'Admins only.', 403
        return super().dispatch_request(*args, **kwargs)

    def get(self):
        return render_template('admin/users.html', users=get_store().users.values())

    def post(self):
        username = request.form.get('username', '').strip()
        if not username or get_store().find_user(username):
            flash('Pick a new username.')
            return render_template('admin/users.html', users=get_store().users.values()), 200
        get_store().add_user(username, request.form.get('password', 'changeme'))
        flash(f'Added {username}.')
        return redirect(url_for('admin_users'))


def audit():
    """Registered with add_url_rule below."""
    if request.method == 'POST':
        get_store().messages.clear()
        return redirect(url_for('admin_audit'))
    return render_template('admin/audit.html', messages=get_store().messages)


def init_app(app):
    app.add_url_rule('/admin/users', view_func=UsersView.as_view('admin_users'))
    app.add_url_rule('/admin/audit', 'admin_audit', audit, methods=['GET', 'POST'])
    app.register_blueprint(tools)


@tools.route('/admin/ping', methods=['GET', 'POST'])
def ping():
    # logs the method: split-get-post cannot see all its uses
    current_app.logger.info('ping via %s', request.method)
    if request.method == 'POST':
        return {'pong': True, 'method': 'POST'}
    return {'pong': True}
