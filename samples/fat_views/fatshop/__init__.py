from flask import Flask


def create_app(config=None):
    app = Flask(__name__)
    app.config.update(SECRET_KEY="dev", TESTING=False)
    app.config.update(config or {})
    from . import models, views

    models.reset()
    app.register_blueprint(views.bp)
    return app
