"""Refunds: the app factory sets this logger's level, so it stays a stdlib logger."""
import logging

logger = logging.getLogger(__name__)


def queue_refund(order):
    logger.info('Refund of order %s queued', order.id)
    return order.id
