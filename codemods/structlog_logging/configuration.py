"""The structlog configuration flaskmod recommends, in one place.

``RECOMMENDED_CONFIGURATION`` is Python source: the codemod's documentation
(`flaskmod explain structlog-logging`, docs/codemods/structlog-logging.md) shows it as it is, and a test executes
it and runs rewritten calls through existing handlers, so the two cannot drift.

What it keeps from stdlib logging:

- the application's handlers: `structlog.stdlib.ProcessorFormatter` is put on every
  handler of the root logger and of the loggers passed (Flask's `app.logger`), so events
  and plain stdlib records render alike, with levels and filters as before;
- `extra={...}` of the calls left on stdlib loggers (`ExtraAdder`), the file, function and
  line of the call (`CallsiteParameterAdder`), and text for bytes (`UnicodeDecoder`);
- how values read: a message's `%s` printed the `str()` of a value, while structlog's
  renderers print `repr()` (`Job('5f1c', enqueued_at=None)` instead of
  `<Job 5f1c: store.add_checksum(...)>`, `datetime.datetime(2024, ...)`, `PosixPath(...)`).
  ``str_values`` renders every value that is not None, a bool, a number or a string as its
  `str()`; numbers and strings keep their JSON types. The codemod therefore writes values
  as they are (`order_id=order.id`), never wrapped in `str(...)`: the configuration
  decides how they render, in one place.
"""

from __future__ import annotations

RECOMMENDED_CONFIGURATION = '''\
import logging

import structlog
from structlog.processors import CallsiteParameter


def str_values(logger, method_name, event_dict):
    """Every value renders as its str(), as `%s` printed it; None, bools, numbers and strings keep their type."""
    for key, value in event_dict.items():
        if not (value is None or isinstance(value, (str, int, float, bool))):
            event_dict[key] = str(value)
    return event_dict


def configure_structlog(*loggers, renderer=None):
    """Route structlog through stdlib logging; every handler of the root logger and of ``loggers`` renders events.

    Call it once at startup, after the application's handlers exist (after `dictConfig`,
    `basicConfig`, `app.logger.addHandler(...)`): `configure_structlog(app.logger)`.
    ``renderer``: `structlog.processors.JSONRenderer()` (the default) for log shipping,
    `structlog.dev.ConsoleRenderer(colors=False)` or `structlog.processors.KeyValueRenderer()`
    for text.
    """
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.PositionalArgumentsFormatter(),  # calls kept as logger.info(msg, x)
        structlog.stdlib.ExtraAdder(),  # extra={...} of stdlib calls becomes keys
        structlog.processors.CallsiteParameterAdder(
            [CallsiteParameter.FILENAME, CallsiteParameter.FUNC_NAME, CallsiteParameter.LINENO]
        ),
        structlog.processors.TimeStamper(fmt="iso"),
        structlog.processors.StackInfoRenderer(),
        structlog.processors.UnicodeDecoder(),  # bytes values become text
    ]
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),  # get_logger(__name__) -> logging.getLogger(__name__)
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,  # records of the loggers still on stdlib get the same keys
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,  # exc_info=True/1/exception/sys.exc_info(), logger.exception
            str_values,
            renderer or structlog.processors.JSONRenderer(),
        ],
    )
    for logger in (logging.getLogger(), *loggers):
        for handler in logger.handlers:
            handler.setFormatter(formatter)
'''

# Where the codemod's docstring shows the configuration.
CONFIGURATION_MARKER = "{recommended configuration}"
