"""Bookshop: a small Flask shop used as a codemod sample."""
import logging

from flask import Flask


def format_money(cents):
    return f'${cents // 100}.{cents % 100:02d}'


def create_app(config=None):
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY='dev-not-secret',
        PER_PAGE=5,
        FREE_SHIPPING_CENTS=3000,
        SHIPPING_CENTS=499,
    )
    if config:
        app.config.update(config)

    from .models import Store
    store = Store()
    store.seed()
    app.extensions['bookshop.store'] = store

    app.jinja_env.filters['money'] = format_money

    from .views import account, api, catalog, orders
    app.register_blueprint(catalog.bp)
    app.register_blueprint(orders.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(api.bp, url_prefix='/api')

    logging.info('Bookshop app created (testing=%s)', app.testing)
    return app
