"""forms_app: event registration, used as a codemod sample."""
from flask import Flask


def create_app(config=None):
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY='dev-not-secret',
        CONTACT_LIMIT=3,
    )
    if config:
        app.config.update(config)

    from .store import Store
    app.extensions['forms_app.store'] = Store.seeded()

    from . import admin, auth, contact, events
    app.register_blueprint(auth.bp)
    app.register_blueprint(events.bp, url_prefix='/events')
    app.register_blueprint(contact.bp)
    admin.init_app(app)

    # During maintenance only logging in (so admins can get in) and static files answer.
    _open_during_maintenance = ['auth.login', 'static']

    @app.before_request
    def maintenance_gate():
        from flask import request
        if app.config.get('MAINTENANCE') and request.endpoint not in _open_during_maintenance:
            return 'Down for maintenance.', 503
        return None

    @app.route('/')
    def home():
        from flask import redirect, url_for
        return redirect(url_for('events.index'))

    return app
