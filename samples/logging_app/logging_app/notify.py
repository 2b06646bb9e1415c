"""Notifications, run by a worker that logs with loguru: the codemod leaves this module alone."""
from flask import current_app
from loguru import logger


def notify(customer):
    logger.info("Notifying {}", customer.email)
    current_app.logger.info('Notified customer %s', customer.id)
