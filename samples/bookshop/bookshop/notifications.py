"""Pretend e-mail: messages are queued on the store's outbox."""
import logging

logger = logging.getLogger(__name__)


def send_order_confirmation(store, order):
    message = {
        'to': order.email,
        'subject': f'Your bookshop order #{order.id}',
        'body': 'Thanks for your order. Total: {}'.format(order.total_cents),
    }
    store.outbox.append(message)
    logger.info('Queued confirmation for order {} to {}'.format(order.id, order.email))
    return message
