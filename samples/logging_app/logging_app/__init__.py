"""Customer portal: a small Flask app used as a codemod sample."""
import logging
import logging.config

from flask import Flask


def configure_logging(level):
    # Handlers and levels are the application's: the codemod leaves them alone.
    logging.config.dictConfig({
        'version': 1,
        'disable_existing_loggers': False,
        'handlers': {'null': {'class': 'logging.NullHandler'}},
        'loggers': {'logging_app': {'handlers': ['null'], 'level': level}},
    })


def create_app(config=None):
    app = Flask(__name__)
    app.config.update(SECRET_KEY='dev-not-secret', LOG_LEVEL='DEBUG')
    if config:
        app.config.update(config)
    configure_logging(app.config['LOG_LEVEL'])

    from .models import Store
    app.extensions['portal.store'] = Store.seeded()

    from . import customers, orders, reports
    app.register_blueprint(customers.bp)
    app.register_blueprint(orders.bp)
    app.register_blueprint(reports.bp)

    app.logger.info(f'Portal created with {len(app.blueprints)} blueprints (testing={app.testing})')
    logging.info('Log level is %s', app.config['LOG_LEVEL'])
    return app
