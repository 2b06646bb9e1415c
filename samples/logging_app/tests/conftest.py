import logging
import os
import sys

import pytest

SAMPLE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if SAMPLE_ROOT not in sys.path:
    sys.path.insert(0, SAMPLE_ROOT)

# LOGGING_APP_STRUCTLOG=stdlib: structlog renders through stdlib logging, as
# `flaskmod explain structlog-logging` documents; =kwargs: events become stdlib
# records whose `extra` holds the keys (a key named like a LogRecord attribute
# would raise KeyError). Without it, structlog (once the codemod has run) is
# unconfigured and prints to stdout.
MODE = os.environ.get('LOGGING_APP_STRUCTLOG', '')
ROUTED = MODE in ('stdlib', 'kwargs')

if MODE == 'kwargs':
    import structlog

    structlog.configure(
        processors=[structlog.stdlib.filter_by_level, structlog.stdlib.add_log_level,
                    structlog.stdlib.PositionalArgumentsFormatter(), structlog.processors.StackInfoRenderer(),
                    structlog.stdlib.render_to_log_kwargs],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
elif MODE == 'stdlib':
    import structlog

    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.PositionalArgumentsFormatter(),
        structlog.processors.TimeStamper(fmt='iso'),
        structlog.processors.StackInfoRenderer(),
    ]
    structlog.configure(
        processors=[structlog.stdlib.filter_by_level, *shared,
                    structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    rendered = logging.StreamHandler(sys.stderr)
    rendered.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    structlog.processors.JSONRenderer()],
    ))
    logging.getLogger().addHandler(rendered)

from logging_app import create_app  # noqa: E402


@pytest.fixture
def app():
    return create_app({'TESTING': True})


@pytest.fixture
def store(app):
    return app.extensions['portal.store']


@pytest.fixture
def client(app):
    return app.test_client()
