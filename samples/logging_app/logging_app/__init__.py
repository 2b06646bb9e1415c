"""Customer portal: a small Flask app used as a codemod sample."""
import logging

from flask import Flask

from .logsetup import configure_logging


def create_app(config=None):
    app = Flask(__name__)
    app.config.update(SECRET_KEY='dev-not-secret', LOG_LEVEL='DEBUG')
    if config:
        app.config.update(config)
    configure_logging(app.config['LOG_LEVEL'])
    # An existing handler on Flask's logger: it must keep rendering events after the rewrite.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter('%(levelname)s %(name)s: %(message)s'))
    app.logger.addHandler(handler)

    from .models import Store
    app.extensions['portal.store'] = Store.seeded()

    from . import customers, orders, reports
    app.register_blueprint(customers.bp)
    app.register_blueprint(orders.bp)
    app.register_blueprint(reports.bp)

    app.logger.info(f'Portal created with {len(app.blueprints)} blueprints (testing={app.testing})')
    logging.info('Log level is %s', app.config['LOG_LEVEL'])
    return app
