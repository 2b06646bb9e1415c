"""Logging setup: levels and handlers are the application's, so the codemod leaves this module alone."""
import logging
import logging.config

logger = logging.getLogger(__name__)


def configure_logging(level):
    logging.config.dictConfig({
        'version': 1,
        'disable_existing_loggers': False,
        'handlers': {'null': {'class': 'logging.NullHandler'}},
        'loggers': {'logging_app': {'handlers': ['null'], 'level': level}},
    })
    # Payments keep their own level: their logger stays a stdlib logger after the codemod.
    logging.getLogger('logging_app.payments').setLevel(logging.INFO)
    logger.debug('Logging configured at level %s', level)
