"""Tracker: a small ticket tracker used as a flaskmod sample (error styles)."""
from flask import Flask, render_template


def create_app(config=None):
    app = Flask(__name__)
    app.config.update(SECRET_KEY='dev-not-secret', ADMIN_TOKEN='letmein', API_RATE_LIMIT=100,
                      MAINTENANCE=False)
    if config:
        app.config.update(config)

    from .store import Store
    app.extensions['tracker.store'] = Store.seeded()

    from . import admin, api, pages
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp, url_prefix='/api')
    app.register_blueprint(admin.bp, url_prefix='/admin')

    @app.errorhandler(500)
    def server_error(error):
        return render_template('500.html'), 500

    return app
