"""Old helpers whose loggers are not provably this module's stdlib logger."""
import logging


def _debug(self, message, *args, **kwargs):
    if self.isEnabledFor(logging.DEBUG):
        self._log(logging.DEBUG, message, args, **kwargs)


# A shortcut someone patched onto every logger years ago.
logging.Logger.d = _debug

LOG = logging.getLogger('logging_app.legacy')


class Exporter:
    def __init__(self):
        self.log = logging.getLogger('logging_app.export')

    def export(self, customers):
        rows = [{'id': c.id, 'name': c.name} for c in customers]
        self.log.info('exported %d customers', len(rows))
        LOG.d('export done')
        return rows


def total_paid(orders, logger):
    total = sum(o.total_cents for o in orders if o.paid)
    logger.info('total paid: %s', total)
    return total
