"""Events reach the application's logging handlers whenever logging is stdlib's or routed through it."""
import logging

from conftest import ROUTED

import logging_app.customers


def routed_through_logging():
    # Before the codemod the module logger is a stdlib logger; after it, a structlog
    # logger that reaches logging only when structlog is configured to.
    return ROUTED or isinstance(logging_app.customers.logger, logging.Logger)


def test_customer_events_reach_the_logging_handlers(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.post('/customers/2/settings', json={'theme': 'dark'})
    names = {record.name for record in caplog.records}
    if routed_through_logging():
        assert 'logging_app.customers' in names
    else:
        assert 'logging_app.customers' not in names


def test_the_audit_logger_stays_a_stdlib_logger(client, caplog):
    caplog.set_level(logging.INFO)
    client.get('/reports/customers')
    assert [r.getMessage() for r in caplog.records if r.name == 'logging_app.audit'] == [
        'Customer report with 2 rows'
    ]


def test_a_logger_configured_elsewhere_stays_a_stdlib_logger(app, store, caplog):
    from logging_app.payments import queue_refund

    caplog.set_level(logging.INFO)
    queue_refund(store.orders[10])
    assert [r.getMessage() for r in caplog.records if r.name == 'logging_app.payments'] == [
        'Refund of order 10 queued'
    ]
    assert logging.getLogger('logging_app.payments').level == logging.INFO


def test_the_app_logger_keeps_its_existing_handler(app):
    assert any(type(h) is logging.StreamHandler for h in app.logger.handlers)


def test_the_logging_setup_module_logs_through_stdlib(caplog):
    from logging_app import create_app

    caplog.set_level(logging.DEBUG)
    create_app({'TESTING': True})
    assert [r.getMessage() for r in caplog.records if r.name == 'logging_app.logsetup'] == [
        'Logging configured at level DEBUG'
    ]
