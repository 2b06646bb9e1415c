"""What structlog and the stdlib accept: log methods, levels, reserved keys, and the names keys are made from."""

from __future__ import annotations

# -- what structlog and the stdlib accept ----------------------------------------

# Log methods of a stdlib logger that structlog's loggers also have.
LOG_METHODS: frozenset[str] = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal"})


def is_log_method(method: str) -> bool:
    """A method that logs an event: a level's method or `log(level, ...)`."""
    return method in LOG_METHODS or method == "log"


# Spelled the one way structlog's documentation uses.
METHOD_RENAMES: dict[str, str] = {"warn": "warning", "fatal": "critical"}
# `log(level, ...)` with a constant level becomes the level's method: structlog's
# `log()` looks the level up in a table of the five standard levels (KeyError otherwise).
LEVEL_CONSTANTS: dict[str, str] = {
    "logging.DEBUG": "debug",
    "logging.INFO": "info",
    "logging.WARNING": "warning",
    "logging.WARN": "warning",
    "logging.ERROR": "error",
    "logging.CRITICAL": "critical",
    "logging.FATAL": "critical",
}
LEVEL_NUMBERS: dict[int, str] = {10: "debug", 20: "info", 30: "warning", 40: "error", 50: "critical"}
# Level queries of a stdlib logger and their spelling on every structlog logger
# (the native filtering logger and structlog.stdlib.BoundLogger both have them).
QUERY_RENAMES: dict[str, str] = {"isEnabledFor": "is_enabled_for", "getEffectiveLevel": "get_effective_level"}
# Keywords of a stdlib log call that keep their meaning on a structlog call.
KEPT_KEYWORDS: frozenset[str] = frozenset({"exc_info", "stack_info"})

# Keys an event may not carry. `event` and `self` are parameters of structlog's log
# methods (TypeError); `level`, `timestamp`, `logger`, `logger_name`, `exception`,
# `stack` and `positional_args` are written by structlog's processors (the value is
# silently overwritten or taken for something else); the rest are attributes of
# `logging.LogRecord`, which raise KeyError when events are rendered through stdlib
# logging with `render_to_log_kwargs`.
STRUCTLOG_KEYS: frozenset[str] = frozenset(
    {
        "event",
        "self",
        "level",
        "timestamp",
        "logger",
        "logger_name",
        "exception",
        "exc_info",
        "stack_info",
        "stack",
        "stacklevel",
        "positional_args",
        "extra",
    }
)
LOG_RECORD_KEYS: frozenset[str] = frozenset(
    {
        "name",
        "msg",
        "args",
        "levelname",
        "levelno",
        "pathname",
        "filename",
        "module",
        "exc_text",
        "lineno",
        "funcName",
        "created",
        "msecs",
        "relativeCreated",
        "thread",
        "threadName",
        "processName",
        "process",
        "taskName",
        "message",
        "asctime",
    }
)
RESERVED_KEYS: frozenset[str] = STRUCTLOG_KEYS | LOG_RECORD_KEYS

# Conversions whose result is the value itself, for naming keys.
CONVERTERS: frozenset[str] = frozenset(
    {"builtins.str", "builtins.repr", "builtins.int", "builtins.float", "builtins.bool", "builtins.ascii"}
)
# Builtins whose result is named after their argument: `len(items)` -> `items_count`.
AGGREGATES: dict[str, str] = {
    "builtins.len": "_count",
    "builtins.sum": "_total",
    "builtins.min": "_min",
    "builtins.max": "_max",
    "builtins.sorted": "",
    "builtins.list": "",
    "builtins.tuple": "",
    "builtins.set": "",
}
# Methods that return the value in another form: `created.isoformat()` is `created`.
VALUE_METHODS: frozenset[str] = frozenset(
    {
        "isoformat",
        "strip",
        "lstrip",
        "rstrip",
        "lower",
        "upper",
        "title",
        "casefold",
        "capitalize",
        "decode",
        "encode",
        "hex",
        "hexdigest",
        "to_dict",
        "as_dict",
        "dict",
        "json",
        "to_json",
        "total_seconds",
        "values",
        "keys",
        "items",
        "copy",
    }
)
# Names of caught exceptions; their key is `error` (`exception` is taken by structlog).
EXCEPTION_NAMES: frozenset[str] = frozenset({"e", "ex", "exc", "err", "error", "exception", "exc_obj"})
# Receivers that say nothing about the value.
SELF_NAMES: frozenset[str] = frozenset({"self", "cls"})

# Loggers that are not stdlib loggers and take keyword arguments of their own.
NON_STDLIB_LOGGING: frozenset[str] = frozenset({"loguru", "structlog", "logbook", "eliot", "twiggy"})

LOGGER_NAME_CANDIDATES: tuple[str, ...] = ("logger", "log", "_logger", "structlog_logger", "event_logger")

EVENT_STYLES: tuple[str, ...] = ("sentence", "snake")
