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

    @app.route('/')
    def home():
        from flask import redirect, url_for
        return redirect(url_for('events.index'))

    return app
