"""structlog-logging: stdlib logging calls become structlog key-value events."""

from __future__ import annotations

import ast
import keyword
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import libcst as cst
import libcst.matchers as m
from libcst.metadata import (
    Assignment,
    ParentNodeProvider,
    QualifiedNameProvider,
    QualifiedNameSource,
    ScopeProvider,
)

from flaskmod.codemods.core.base import Codemod, Example, Option, Safety
from flaskmod.codemods.core.flask import APP_FACTORIES, CURRENT_APP_NAMES, STRUCTLOG_FACTORIES, dotted_name
from flaskmod.codemods.core.refusal import IGNORED_KIND, IGNORED_REASON
from flaskmod.codemods.core.syntax import code_of

# -- what structlog and the stdlib accept ----------------------------------------

# Log methods of a stdlib logger that structlog's loggers also have.
LOG_METHODS: frozenset[str] = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal"})
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

# printf-style conversion, as `str.__mod__` parses it.
_PERCENT = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?(?P<flags>[#0\- +]*)(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?[hlL]?"
    r"(?P<type>[diouxXeEfFgGcrsa%])"
)
_PLAIN_PERCENT_TYPES = frozenset("sdiu")
_HOLE = "\x00"
_CONFIGURES_STRUCTLOG = re.compile(
    r"structlog\s*\.\s*(?:configure|configure_once)\s*\(|from\s+structlog\s+import\s+[^\n]*\bconfigure"
)


# -- messages ----------------------------------------------------------------------


@dataclass
class Field:
    """A value the old message interpolated: it becomes a keyword argument."""

    value: cst.BaseExpression
    hint: str | None = None  # a name the author gave it (format keyword, mapping key)
    dropped: str | None = None  # what formatting is lost, for a finding


@dataclass
class Message:
    parts: list[str | Field]
    quote: str = '"'
    findings: list[str] = field(default_factory=list)


class Unsupported(Exception):
    """A message shape this codemod does not rewrite; the text is the reason."""


@dataclass
class Plan:
    """What becomes of one log call."""

    call: cst.Call
    replacement: cst.Call | None = None
    skip: str | None = None
    findings: list[str] = field(default_factory=list)


class Blocked(Exception):
    """The module logger cannot become a structlog logger; the text is the reason."""


def _string_value(node: cst.BaseExpression) -> tuple[str, str] | None:
    """The text and quote of a plain str literal (implicit concatenation included)."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return (value, node.quote[0]) if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left, right = _string_value(node.left), _string_value(node.right)
        if left is None or right is None:
            return None
        return left[0] + right[0], left[1]
    return None


def _fstring_parts(node: cst.BaseExpression) -> Message | None:
    """The parts of an f-string (or an implicit concatenation holding one)."""
    if isinstance(node, cst.ConcatenatedString):
        left, right = _fstring_parts(node.left), _fstring_parts(node.right)
        if left is None or right is None:
            return None
        return Message([*left.parts, *right.parts], left.quote, left.findings + right.findings)
    plain = _string_value(node)
    if plain is not None:
        return Message([plain[0]], plain[1])
    if not isinstance(node, cst.FormattedString):
        return None
    raw = "r" if "r" in node.prefix.lower() else ""
    message = Message([], node.end[0])
    for part in node.parts:
        if isinstance(part, cst.FormattedStringText):
            text = part.value
            if not raw:
                try:
                    text = ast.literal_eval(f"{node.end}{text}{node.end}")
                except (SyntaxError, ValueError):
                    raise Unsupported("an f-string with escapes this codemod does not read") from None
            message.parts.append(text.replace("{{", "{").replace("}}", "}"))
            continue
        assert isinstance(part, cst.FormattedStringExpression)
        dropped = []
        if part.conversion is not None and part.conversion != "s":
            dropped.append(f"!{part.conversion}")
        if part.format_spec:
            dropped.append(":" + "".join(code_of(p) for p in part.format_spec))
        message.parts.append(Field(part.expression, dropped=" ".join(dropped) or None))
    return message


def _percent_parts(text: str, quote: str, args: Sequence[cst.BaseExpression]) -> Message:
    """A printf-style template and its arguments (a tuple's items, or one mapping)."""
    mapping: dict[str, cst.BaseExpression] | None = None
    if len(args) == 1 and isinstance(args[0], cst.Dict) and "%(" in text:
        mapping = {}
        for element in args[0].elements:
            key = _string_value(element.key) if isinstance(element, cst.DictElement) else None
            if key is None:
                raise Unsupported("the mapping of a `%(name)s` message has keys that are not literals")
            mapping[key[0]] = element.value
    message = Message([], quote)
    position = 0
    remaining = list(args)
    used: list[cst.BaseExpression] = []
    literal: list[str] = []
    while position < len(text):
        index = text.find("%", position)
        if index < 0:
            literal.append(text[position:])
            break
        literal.append(text[position:index])
        match = _PERCENT.match(text, index)
        if match is None:
            # str.__mod__ would raise here; stdlib logging reported it and went on.
            message.findings.append(f"`{text[index : index + 2]}` is not a valid placeholder; it is kept as text")
            literal.append("%")
            position = index + 1
            continue
        position = match.end()
        if match.group("type") == "%":
            literal.append("%")
            continue
        if match.group("width") == "*" or match.group("precision") == "*":
            raise Unsupported("a `*` width or precision takes its value from the arguments")
        message.parts.append("".join(literal))
        literal = []
        spec = match.group(0)
        plain = match.group("type") in _PLAIN_PERCENT_TYPES and not any(
            match.group(g) for g in ("flags", "width", "precision")
        )
        dropped = None if plain else spec
        key = match.group("key")
        if key is not None:
            if mapping is None:
                raise Unsupported("a `%(name)s` message whose mapping is not a dict literal")
            if key not in mapping:
                raise Unsupported(f"`%({key})s` is missing from the mapping")
            message.parts.append(Field(mapping[key], hint=key, dropped=dropped))
            continue
        if mapping is not None:
            raise Unsupported("a message mixing `%s` and `%(name)s` placeholders")
        if not remaining:
            message.findings.append(f"`{spec}` has no argument (stdlib logging reported a formatting error here)")
            continue
        value = remaining.pop(0)
        used.append(value)
        message.parts.append(Field(value, dropped=dropped))
    message.parts.append("".join(literal))
    if mapping is not None:
        # Every value of the mapping was evaluated; the unused ones become keys too.
        placed = {id(p.value) for p in message.parts if isinstance(p, Field)}
        message.parts += [Field(v, hint=k) for k, v in mapping.items() if id(v) not in placed]
    elif remaining:
        message.findings.append(
            f"{len(remaining)} argument(s) had no placeholder (stdlib logging reported a formatting error here); "
            "they are logged as keys"
        )
        message.parts += [Field(v) for v in remaining]
    return message


def _format_parts(text: str, quote: str, call: cst.Call) -> Message:
    """`"...".format(...)` with positional and keyword arguments."""
    positional: list[cst.BaseExpression] = []
    keywords: dict[str, cst.BaseExpression] = {}
    for arg in call.args:
        if arg.star:
            raise Unsupported("`.format()` with `*args` or `**kwargs`")
        if arg.keyword is None:
            positional.append(arg.value)
        else:
            keywords[arg.keyword.value] = arg.value
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as error:
        raise Unsupported(f"the `.format()` template is invalid ({error})") from None
    message = Message([], quote)
    automatic = 0
    seen_manual = seen_auto = False
    for literal, name, spec, conversion in parsed:
        message.parts.append(literal)
        if name is None:
            continue
        if spec and "{" in spec:
            raise Unsupported("a `.format()` field with a nested field in its format spec")
        dropped = " ".join(
            x for x in (f"!{conversion}" if conversion and conversion != "s" else "", spec and f":{spec}") if x
        )
        if name == "":
            seen_auto = True
            index: int | str = automatic
            automatic += 1
        elif name.isdigit():
            seen_manual = True
            index = int(name)
        elif name.isidentifier():
            index = name
        else:
            raise Unsupported(f"the `.format()` field `{{{name}}}` reads an attribute or item")
        if seen_auto and seen_manual:
            raise Unsupported("a `.format()` template mixing automatic and numbered fields")
        if isinstance(index, int):
            if index >= len(positional):
                raise Unsupported(f"the `.format()` field `{{{name}}}` has no argument")
            message.parts.append(Field(positional[index], dropped=dropped or None))
        else:
            if index not in keywords:
                raise Unsupported(f"the `.format()` field `{{{name}}}` has no argument")
            message.parts.append(Field(keywords[index], hint=index, dropped=dropped or None))
    # Unused arguments were evaluated too: they stay, as keys.
    placed = {id(p.value) for p in message.parts if isinstance(p, Field)}
    message.parts += [Field(v) for v in positional if id(v) not in placed]
    message.parts += [Field(v, hint=k) for k, v in keywords.items() if id(v) not in placed]
    return message


_LABEL = re.compile(r"(?P<label>[A-Za-z_][\w.]*)\s*[=:]\s*['\"(\[<]?$")


def label_hints(message: Message) -> Message:
    """`q={query}`, `id: %s`: the author named the value just before it; a hint for its key."""
    for before, part in zip(message.parts, message.parts[1:], strict=False):
        if isinstance(part, Field) and part.hint is None and isinstance(before, str):
            match = _LABEL.search(before)
            if match:
                part.hint = match.group("label").rsplit(".", 1)[-1]
    return message


def _plus_operands(node: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add) and not node.lpar:
        return [*_plus_operands(node.left), node.right]
    return [node]


# -- events ------------------------------------------------------------------------


def tidy_event(parts: Sequence[str | Field]) -> str:
    """The literal text with the placeholders removed and the punctuation left around them tidied."""
    text = "".join(p if isinstance(p, str) else _HOLE for p in parts)
    text = re.sub(r"\s+", " ", text)
    # Quotes and brackets around a value: `'{name}'`, `<{id}>`, `({n})`.
    for left, right in ("''", '""', "``", "<>", "[]", "()", "{}"):
        text = text.replace(left + _HOLE + right, _HOLE)
    # `q={query}`, `id: {id}`, `#{n}`: a label written before the value goes with it.
    text = re.sub(r"[\w.\-]+ ?= ?" + _HOLE, _HOLE, text)
    text = re.sub(r" ?[:#] ?" + _HOLE, " " + _HOLE, text)
    text = text.replace("$" + _HOLE, _HOLE)  # `${key}`, a template habit
    text = re.sub(r" ?" + _HOLE + r" ?", " ", text)
    for _ in range(3):
        text = re.sub(r"\s+", " ", text)
        text = re.sub(r" (?=[,.;:!?)\]])", "", text)  # `for ,` -> `for,`
        text = re.sub(r"(?<=[(\[]) ", "", text)
        text = re.sub(r"\(\W*\)|\[\W*\]", "", text)  # brackets left with no words
        text = re.sub(r"([,;:.!?])(?:\s*[,;:])+", r"\1", text)  # `, ,`, `done. ,`
        text = re.sub(r"[,;:]+(?=\s*[)\].!?]|\s*$)", "", text)  # `(wanted, )`, `done:`
        text = re.sub(r"(?:\s+[-=|/>~+*&]+)+\s*$", "", text)  # `Moving ->`
        text = re.sub(r"^[\s,;:.\-=|/>~+*&]+", "", text)
        text = text.strip()
    return text


def snake_event(text: str) -> str:
    return re.sub(r"[\W_]+", "_", text).strip("_").lower()


def humanize(key: str) -> str:
    words = key.strip("_").replace("_", " ")
    return words[:1].upper() + words[1:]


def string_literal(text: str, quote: str) -> str:
    """A Python literal for ``text``, in the original quote style when it fits."""
    other = "'" if quote == '"' else '"'
    if quote in text and other not in text:
        quote = other
    body = text.replace("\\", "\\\\").replace(quote, "\\" + quote)
    body = "".join(c if c.isprintable() else repr(c)[1:-1] for c in body)
    return f"{quote}{body}{quote}"


# -- keys --------------------------------------------------------------------------


def _identifier(raw: str) -> str | None:
    key = re.sub(r"\W+", "_", raw).strip("_")
    key = re.sub(r"_+", "_", key)
    if not key:
        return None
    if key[0].isdigit():
        key = f"value_{key}"
    return key


def safe_key(key: str, taken: set[str]) -> str:
    """``key``, with a trailing ``_`` when Python, structlog or logging reserve it, numbered when taken."""
    if keyword.iskeyword(key) or key in RESERVED_KEYS:
        key += "_"
    candidate, number = key, 2
    while candidate in taken:
        candidate = f"{key}_{number}" if not key.endswith("_") else f"{key}{number}"
        number += 1
    return candidate


# -- the codemod -------------------------------------------------------------------


class StructlogLogging(Codemod):
    """
    ## What it does
    Rewrites a module's stdlib logging to structlog. The module's logger
    (`logger = logging.getLogger(__name__)`, any name, any argument) becomes
    `structlog.get_logger(...)` with the same name and argument, and every call on it
    becomes a structlog event: a static message and the interpolated values as keyword
    arguments.

    ```python
    logger.info(f"Customer {customer.id} updated their settings")
    logger.info("settings updated for %s", customer_id)
    logger.info("new address added for " + str(customer_id))
    ```
    become
    ```python
    logger.info("Customer updated their settings", customer_id=customer.id)
    logger.info("settings updated for", customer_id=customer_id)
    logger.info("new address added for", customer_id=customer_id)
    ```

    Messages written as f-strings, `%`-format with positional arguments or one mapping
    (`%(name)s`), `str.format` (positional and keyword), `+` concatenations (with `str()`
    and `repr()`), eager `"..." % x` in the first argument, and a bare variable or exception
    (`logger.exception(e)`) are rewritten; plain literals are kept. Key names come from
    the expression: `user.id` -> `user_id`, `order['id']` -> `order_id`, `str(x)`/`int(x)`
    -> the name of `x`, `len(items)` -> `items_count`, `session.get('user_id')` ->
    `user_id`, a caught exception -> `error`, anything else -> `value`. A key never
    collides with another, with a Python keyword, or with a name structlog or stdlib
    logging treat specially (`event`, `level`, `timestamp`, `logger`, `exception`,
    `exc_info`, `stack_info`, `LogRecord` attributes such as `name`, `msg`, `module`,
    `filename`, `message`...): it gets a trailing `_` (`name_`), then a number
    (`user_id_2`).

    `extra={...}` becomes keyword arguments (a non-literal `extra=` is unpacked);
    `exc_info` and `stack_info` are kept; `warn` becomes `warning` and `fatal` `critical`;
    `log(logging.INFO, ...)` becomes `info(...)`; `isEnabledFor`/`getEffectiveLevel` become
    `is_enabled_for`/`get_effective_level`. Module-level `logging.info(...)` calls and Flask's
    `current_app.logger.info(...)` / `app.logger.info(...)` move onto the module's structlog
    logger, which is created (`logger = structlog.get_logger(__name__)`, or a free name when
    `logger` is taken) when the module has none. `import structlog` is added; `import logging`
    is removed only when nothing else uses it.

    Left alone: calls on anything not provably this module's stdlib logger or Flask's app
    logger: loguru's `logger`, a logger imported from another module (reported: run the
    codemod on the module that defines it), `self.log`, a parameter named `logger`, an
    object of unknown origin. A module logger that is used as a stdlib `Logger`
    (`logger.setLevel`, `logger.addHandler`, passed to a function, a method patched onto
    `logging.Logger` such as `LOG.d(...)`, `logger.log(level, ...)` with a variable level)
    stays a stdlib logger, with the reason, and so do the calls that would have moved onto it.

    ## Why is this bad?
    The same fact logged five ways (f-string, `%s`, `+`, `.format`, `extra=`) cannot be
    searched or filtered: every value is baked into a different sentence. With a static
    event and the values as keys, every log line of the codebase has one shape, and log
    search filters on the event and the keys.

    ## Known problems
    structlog with no configuration prints to stdout, shows every level (debug included),
    and bypasses the application's handlers, Flask's `dictConfig` and pytest's `caplog`:
    configure it (below). The run says so once when no scanned file calls
    `structlog.configure`.

    A message that is not a literal and has arguments (`logger.info(msg, x)`) keeps its
    form (structlog `%`-formats positional arguments; unlike stdlib logging it raises when
    they do not match instead of printing a logging error), and is listed as skipped.
    A format spec or conversion that is dropped (`{total:.2f}`, `{x!r}`, `%5d`) is a finding:
    the value is logged as it is, and the renderer formats it. `stacklevel` is honoured only
    when events render through stdlib logging, so it is dropped with a finding. `current_app.logger`
    calls now log under the module's name (a child of the app's logger name when the
    module is inside the app's package) instead of the app's. A module-level `logging.info()`
    no longer calls `logging.basicConfig()` as a side effect. A logger imported by another
    module changes type there too: calls there keep working (structlog accepts `%` arguments,
    `exc_info`, and `extra=` as a key), but stdlib-only APIs used there (`setLevel`) would not.

    ## Example
    ```python
    import logging

    from flask import current_app

    logger = logging.getLogger(__name__)

    def update(customer, changes):
        logger.info("Customer %s changed %d settings", customer.id, len(changes))
        current_app.logger.warning(f"Settings of {customer.id} are now {changes!r}")
    ```
    Use instead:
    ```python
    from flask import current_app
    import structlog

    logger = structlog.get_logger(__name__)

    def update(customer, changes):
        logger.info("Customer changed settings", customer_id=customer.id, changes_count=len(changes))
        logger.warning("Settings of are now", customer_id=customer.id, changes=changes)
    ```

    ## Fix safety
    Unsafe: the application keeps working (no rewritten call can fail: keyword arguments
    are written only on calls whose logger becomes a structlog logger in the same edit, and
    every placeholder is matched against its argument), but log output changes: its text
    (event plus keys instead of a sentence), and, until structlog is configured to render
    through stdlib logging, its destination (stdout instead of the application's handlers,
    so `caplog` assertions and log shipping see nothing). Each module's rewrite is applied
    only with `--unsafe`; without it the rewrite is listed as an unsafe change left out.

    ## Options
    `event-style` (`[tool.flaskmod.structlog-logging]`, CLI `--event-style`): `"sentence"`
    (default) keeps the message's words, `"Customer updated their settings"`; `"snake"`
    writes a stable identifier, `"customer_updated_their_settings"`, as structlog's own
    documentation does. Sentence is the default because the diff stays reviewable (each new
    event is recognisably the old message, and logs and dashboards searched by message text
    still match their words); both are static and deterministic (the same input always gives
    the same event), so a team can switch to snake later by running again with `snake`
    on code that has not been rewritten yet, or rename events by search and replace.

    ## Configuring structlog
    Route events through stdlib logging, so the application's handlers, levels,
    `dictConfig`, `logging.getLogger("app").addHandler(...)` and `caplog` keep working,
    and bind a request id to every event of a Flask request:

    ```python
    import logging
    import uuid

    import structlog
    from flask import Flask, request

    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.PositionalArgumentsFormatter(),  # calls kept as logger.info(msg, x)
        structlog.processors.TimeStamper(fmt="iso"),
        structlog.processors.StackInfoRenderer(),
    ]
    structlog.configure(
        processors=[structlog.stdlib.filter_by_level, *shared,
                    structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),  # get_logger(__name__) -> logging.getLogger(__name__)
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler()
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,  # records of plain stdlib loggers get the same treatment
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,  # exc_info=True/1/exception/sys.exc_info()
                    structlog.processors.JSONRenderer()],  # or structlog.dev.ConsoleRenderer()
    ))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)

    def create_app():
        app = Flask(__name__)

        @app.before_request
        def bind_request_id():
            structlog.contextvars.clear_contextvars()
            structlog.contextvars.bind_contextvars(
                request_id=request.headers.get("X-Request-ID") or uuid.uuid4().hex,
                path=request.path,
            )

        return app
    ```

    With `dictConfig`, declare the formatter as
    `{"()": structlog.stdlib.ProcessorFormatter, "processors": [...], "foreign_pre_chain": shared}`.
    """

    ID = "structlog-logging"
    SUMMARY = "Rewrite stdlib logging calls to structlog events: a static message and the values as keys."
    SAFETY = Safety.UNSAFE
    TRIGGER = re.compile(
        r"\blogging\b|\.logger\s*\.|\blog\w*\s*\.\s*(?:debug|info|warn|error|exception|critical|fatal|log)"
    )
    METADATA_DEPENDENCIES = (QualifiedNameProvider, ScopeProvider, ParentNodeProvider)
    OPTIONS: ClassVar[Mapping[str, Option]] = {
        "event-style": Option(
            str,
            "sentence",
            'How events are written: "sentence" keeps the message\'s words ("Customer updated their settings"), '
            '"snake" writes an identifier ("customer_updated_their_settings").',
            choices=("sentence", "snake"),
        )
    }
    EXAMPLES = (
        # Left alone: loguru's logger takes keyword arguments of its own.
        Example(
            """
from loguru import logger

def charge(order):
    logger.info(f"Charging order {order.id}")
"""
        ),
        # Left alone and reported: a logger imported from another project module.
        Example(
            """
from app.log import logger

def charge(order):
    logger.info("Charging order %s", order.id)
""",
            skips=("`logger` is imported from `app.log`: run the codemod on the module that defines it",),
        ),
        # Left alone: `self.log` and a parameter named `logger` are of unknown origin.
        Example(
            """
class Importer:
    def run(self, rows, logger):
        self.log.info("importing %s rows", len(rows))
        logger.info("importing %s rows", len(rows))
"""
        ),
        # Left alone: the logger is configured here, so it stays a stdlib logger.
        Example(
            """
import logging

logger = logging.getLogger(__name__)
logger.setLevel(logging.DEBUG)

def charge(order):
    logger.info("Charging order %s", order.id)
""",
            skips=("`logger.setLevel` is a stdlib `Logger` API",),
        ),
        # Left alone: a method patched onto logging.Logger.
        Example(
            """
import logging

LOG = logging.getLogger("legacy")

def charge(order):
    LOG.d("charging %s", order.id)
    LOG.info("charged %s", order.id)
""",
            skips=("`LOG.d` is a stdlib `Logger` API",),
        ),
        # Left alone: opted out with a comment.
        Example(
            """
import logging

logger = logging.getLogger(__name__)  # flaskmod: ignore[structlog-logging]

def charge(order):
    logger.info("Charging order %s", order.id)
""",
            skips=(IGNORED_REASON,),
        ),
        # The module logger and its calls: f-string, %-format, concatenation, plain literal.
        Example(
            """
import logging

logger = logging.getLogger(__name__)

def update_settings(customer_id, user, items):
    logger.info(f'Customer {customer_id} updated their settings')
    logger.info('settings updated for %s by %s', customer_id, user.id)
    logger.info("new address added for " + str(customer_id))
    logger.debug('cart holds %d items', len(items))
    logger.warn('settings saved')
""",
            """
import structlog

logger = structlog.get_logger(__name__)

def update_settings(customer_id, user, items):
    logger.info('Customer updated their settings', customer_id=customer_id)
    logger.info('settings updated for by', customer_id=customer_id, user_id=user.id)
    logger.info("new address added for", customer_id=customer_id)
    logger.debug('cart holds items', items_count=len(items))
    logger.warning('settings saved')
""",
        ),
        # Flask's app logger moves onto a new module logger; a dropped format spec is reported.
        Example(
            """
from flask import current_app

def checkout(order, total):
    try:
        order.pay()
    except PaymentError as e:
        current_app.logger.exception(e)
    current_app.logger.info(f"Order {order['id']} paid: {total:.2f}")
""",
            """
from flask import current_app
import structlog

logger = structlog.get_logger(__name__)

def checkout(order, total):
    try:
        order.pay()
    except PaymentError as e:
        logger.exception("Error", error=e)
    logger.info("Order paid", order_id=order['id'], total=total)
""",
            findings=("the format `:.2f` of `total` is dropped",),
        ),
        # extra={...} becomes keys; reserved names get a trailing underscore; exc_info is kept.
        Example(
            """
import logging

log = logging.getLogger('payments')

def refund(order, name, error):
    log.error('Refund of {} for {} failed'.format(order.id, name), exc_info=error,
              extra={'level': 'gold', 'amount': order.total}, stacklevel=2)
""",
            """
import structlog

log = structlog.get_logger('payments')

def refund(order, name, error):
    log.error('Refund of for failed', order_id=order.id, name_=name, exc_info=error,
              level_='gold', amount=order.total)
""",
            findings=("`stacklevel=2` is dropped",),
        ),
        # event-style = "snake".
        Example(
            """
import logging

logger = logging.getLogger(__name__)

def login(user):
    logger.info("User %s logged in", user.id)
""",
            """
import structlog

logger = structlog.get_logger(__name__)

def login(user):
    logger.info("user_logged_in", user_id=user.id)
""",
            options={"event-style": "snake"},
        ),
    )

    # -- run-level notice -------------------------------------------------------

    @classmethod
    def run_notices(cls, changed: Sequence[tuple[Path, str]], scanned: Sequence[Path]) -> list[str]:
        if not changed:
            return []
        for path in scanned:
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if "structlog" in text and _CONFIGURES_STRUCTLOG.search(text):
                return []
        return [
            "NO FILE OF THIS PROJECT CONFIGURES STRUCTLOG. Unconfigured, structlog prints every event "
            "(debug included) to stdout and bypasses your logging handlers, Flask's dictConfig and pytest's "
            "caplog. Route it through stdlib logging at startup: structlog.configure(processors=[structlog."
            "stdlib.filter_by_level, structlog.contextvars.merge_contextvars, structlog.stdlib.add_log_level, "
            "structlog.stdlib.add_logger_name, structlog.stdlib.PositionalArgumentsFormatter(), "
            "structlog.processors.TimeStamper(fmt='iso'), structlog.processors.StackInfoRenderer(), "
            "structlog.stdlib.ProcessorFormatter.wrap_for_formatter], logger_factory=structlog.stdlib."
            "LoggerFactory(), wrapper_class=structlog.stdlib.BoundLogger, cache_logger_on_first_use=True), and "
            "give your handler a structlog.stdlib.ProcessorFormatter(processors=[structlog.stdlib."
            "ProcessorFormatter.remove_processors_meta, structlog.processors.format_exc_info, structlog."
            "processors.JSONRenderer()]). `flaskmod explain structlog-logging` has the full example, with a "
            "Flask request id."
        ]

    # -- analysis ---------------------------------------------------------------

    def transform_module(self, tree: cst.Module) -> cst.Module:
        result = super().transform_module(tree)
        # Removing a first-line `import logging` leaves the blank line that followed it at the top.
        if result is not tree and result.body and tree.body and not tree.body[0].leading_lines:
            first = result.body[0]
            if first.leading_lines and all(line.comment is None for line in first.leading_lines):
                result = result.with_changes(body=[first.with_changes(leading_lines=[]), *result.body[1:]])
        return result

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        style = self.options.get("event-style", "sentence")
        if style not in EVENT_STYLES:
            self.add_skip(tree, f"unknown event-style {style!r} (use one of {', '.join(EVENT_STYLES)})")
            return tree
        self.style: str = style
        self.replacements: dict[cst.CSTNode, cst.CSTNode] = {}
        self.new_logger: str | None = None
        self.uses_logging_removed = False
        self.calls_on_structlog = 0
        self.annotated: dict[cst.Call, cst.AnnAssign] = {}  # getLogger call -> its annotated assignment
        self.global_scope = self.get_metadata(ScopeProvider, tree)
        # One walk for both: every call (visited three times below) and every name spelled.
        self.calls_in_module, self.names_in_module = _calls_and_names(tree)

        module_loggers, structlog_loggers = self._module_level_loggers(tree)
        converted: list[tuple[str, cst.CSTNode, bool]] = []
        blocked: list[str] = []
        for name, statement, get_logger in module_loggers:
            if self.is_ignored(statement):
                self.add_skip(statement, IGNORED_REASON, IGNORED_KIND)
                blocked.append(name)
                continue
            try:
                plans = self._plan_module_logger(name)
            except Blocked as reason:
                self.add_skip(statement, f"`{name}` stays a stdlib logger: {reason}")
                blocked.append(name)
                continue
            self._accept(plans)
            self.replacements[get_logger] = _structlog_get_logger(get_logger)
            if get_logger in self.annotated:
                annotated = self.annotated[get_logger]
                self.replacements[annotated] = annotated
                self.add_finding(
                    annotated, f"the annotation `{code_of(annotated.annotation.annotation)}` of `{name}` is dropped"
                )
            self.uses_logging_removed = True
            converted.append((name, statement, _named_after_module(get_logger)))

        self._report_local_loggers(tree, {id(g) for _n, _s, g in module_loggers})
        targets = converted + structlog_loggers
        self._plan_moved_calls(tree, targets, blocked)
        self._report_other_loggers(tree)
        if not self.replacements:
            return tree
        first = min(self.replacements, key=lambda n: self.line_of(n))
        if not self.permit_unsafe(
            first,
            f"rewrite this module's logging to structlog ({self.calls_on_structlog} call(s)): the log output changes "
            "text and, until structlog is configured to render through stdlib logging, destination (stdout)",
        ):
            return tree
        self.add_needed_import("structlog")
        if self.uses_logging_removed:
            self._remove_logging_imports(tree)
        return tree.visit(self)

    def _module_level_loggers(
        self, tree: cst.Module
    ) -> tuple[list[tuple[str, cst.SimpleStatementLine, cst.Call]], list[tuple[str, cst.CSTNode, bool]]]:
        """Top-level `X = logging.getLogger(...)` and `X = structlog.get_logger(...)` assignments."""
        stdlib: list[tuple[str, cst.SimpleStatementLine, cst.Call]] = []
        existing: list[tuple[str, cst.CSTNode, bool]] = []
        for statement in tree.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if isinstance(small, cst.Assign) and len(small.targets) == 1:
                    target: cst.BaseExpression = small.targets[0].target
                elif isinstance(small, cst.AnnAssign):
                    target = small.target
                else:
                    continue
                if not (isinstance(target, cst.Name) and isinstance(small.value, cst.Call)):
                    continue
                name = target.value
                called = self._qualified(small.value.func)
                if called == {"logging.getLogger"}:
                    stdlib.append((name, statement, small.value))
                    if isinstance(small, cst.AnnAssign):
                        self.annotated[small.value] = small
                elif called and called <= STRUCTLOG_FACTORIES and len(self.global_scope.assignments[name]) == 1:
                    existing.append((name, small, _named_after_module(small.value)))
        return stdlib, existing

    def _plan_module_logger(self, name: str) -> list[Plan]:
        assignments = self.global_scope.assignments[name]
        if len(assignments) != 1:
            raise Blocked(f"`{name}` is assigned more than once")
        (assignment,) = assignments
        plans: list[Plan] = []
        for access in sorted(assignment.references, key=lambda a: self.line_of(a.node)):
            use = access.node
            parent = self.get_metadata(ParentNodeProvider, use)
            line = self.line_of(use)
            if not (isinstance(parent, cst.Attribute) and parent.value is use):
                raise Blocked(f"`{name}` is passed on or stored (line {line}), and its users expect a stdlib logger")
            method = parent.attr.value
            call = self.get_metadata(ParentNodeProvider, parent)
            if not (isinstance(call, cst.Call) and call.func is parent):
                raise Blocked(f"`{name}.{method}` is used as a value (line {line})")
            if method in QUERY_RENAMES:
                plans.append(
                    Plan(call, call.with_changes(func=parent.with_changes(attr=cst.Name(QUERY_RENAMES[method]))))
                )
                continue
            if method not in LOG_METHODS and method != "log":
                raise Blocked(f"`{name}.{method}` is a stdlib `Logger` API structlog's loggers lack (line {line})")
            plans.append(self._plan_call(call, method, cst.Name(name), moved=False))
        return plans

    def _accept(self, plans: list[Plan]) -> None:
        for plan in plans:
            if plan.replacement is not None:
                self.calls_on_structlog += 1
            for finding in plan.findings:
                self.add_finding(plan.call, finding)
            if plan.skip:
                self.add_skip(plan.call, plan.skip)
            if plan.replacement is not None and not plan.replacement.deep_equals(plan.call):
                self.replacements[plan.call] = plan.replacement

    # -- calls that move onto the module's structlog logger ------------------------

    def _plan_moved_calls(
        self, tree: cst.Module, targets: list[tuple[str, cst.CSTNode, bool]], blocked: list[str]
    ) -> None:
        candidates: list[tuple[cst.Call, str, str]] = []  # call, method, what it was on
        for call in self.calls_in_module:
            func = call.func
            if not isinstance(func, cst.Attribute) or (func.attr.value not in LOG_METHODS and func.attr.value != "log"):
                continue
            method = func.attr.value
            if self._qualified(func) == {f"logging.{method}"}:
                candidates.append((call, method, "logging"))
            elif isinstance(func.value, cst.Attribute) and func.value.attr.value == "logger":
                owner = func.value.value
                if self._qualified(owner) & CURRENT_APP_NAMES or self._is_flask_app(owner):
                    candidates.append((call, method, code_of(func.value)))
        if not candidates:
            return
        if blocked and not any(by_module_name for _n, _s, by_module_name in targets):
            for call, _method, owner in candidates:
                self.add_skip(
                    call, f"`{owner}` call left alone: the module's logger `{blocked[0]}` stays a stdlib logger"
                )
            return
        target, defined_at = self._target_logger(targets)
        plans: list[Plan] = []
        for call, method, owner in candidates:
            if target in self.names_in_module and not self._resolves_to_module_level(call, target, defined_at):
                self.add_skip(call, f"`{owner}` call left alone: `{target}` is not the module's logger here")
                continue
            plan = self._plan_call(call, method, cst.Name(target), moved=True)
            if plan.skip is not None:
                plan.replacement = None
                plan.skip = f"`{owner}` call left alone: {plan.skip}"
            plans.append(plan)
        if any(p.replacement is not None for p in plans) and target not in self.names_in_module:
            self.new_logger = target
        self._accept(plans)
        if any(owner == "logging" for _c, _m, owner in candidates):
            self.uses_logging_removed = True

    def _target_logger(self, targets: list[tuple[str, cst.CSTNode, bool]]) -> tuple[str, cst.CSTNode | None]:
        """The module's `get_logger(__name__)`; a new one when the module's loggers have other names."""
        for name, statement, by_module_name in targets:
            if by_module_name:
                return name, statement
        for candidate in LOGGER_NAME_CANDIDATES:
            if candidate not in self.names_in_module:
                return candidate, None
        number = 2
        while f"logger_{number}" in self.names_in_module:
            number += 1
        return f"logger_{number}", None

    def _resolves_to_module_level(self, call: cst.Call, name: str, defined_at: cst.CSTNode | None) -> bool:
        scope = self.get_metadata(ScopeProvider, call)
        if scope is None:
            return False
        if any(a.scope is not self.global_scope for a in scope[name]):
            return False
        if defined_at is not None and not self._inside_function(call):
            # Runs at import time: the logger must already exist.
            return self.line_of(call) > self.line_of(defined_at)
        return True

    def _inside_function(self, node: cst.CSTNode) -> bool:
        current: cst.CSTNode | None = node
        while current is not None:
            if isinstance(current, (cst.FunctionDef, cst.Lambda)):
                return True
            current = self.get_metadata(ParentNodeProvider, current, None)
        return False

    def _is_flask_app(self, node: cst.BaseExpression) -> bool:
        """A name every binding of which is `Flask(...)` (resolved through imports)."""
        if not isinstance(node, cst.Name):
            return False
        scope = self.get_metadata(ScopeProvider, node, None)
        if scope is None:
            return False
        assignments = scope[node.value]
        if not assignments:
            return False
        for assignment in assignments:
            if not isinstance(assignment, Assignment) or not isinstance(assignment.node, cst.Name):
                return False
            value = self._assigned_value(assignment.node)
            if not (isinstance(value, cst.Call) and self._qualified(value.func) & APP_FACTORIES):
                return False
        return True

    def _assigned_value(self, target: cst.Name) -> cst.BaseExpression | None:
        """The value of `target = value` or `target: T = value`; None for any other binding."""
        parent = self.get_metadata(ParentNodeProvider, target)
        if isinstance(parent, cst.AnnAssign):
            return parent.value
        statement = self.get_metadata(ParentNodeProvider, parent, None)
        if isinstance(parent, cst.AssignTarget) and isinstance(statement, cst.Assign):
            return statement.value
        return None

    def _report_local_loggers(self, tree: cst.Module, module_level: set[int]) -> None:
        for call in self.calls_in_module:
            if id(call) in module_level or self._qualified(call.func) != {"logging.getLogger"}:
                continue
            if isinstance(self.get_metadata(ParentNodeProvider, call, None), (cst.Assign, cst.AnnAssign)):
                self.add_skip(call, "a logger created inside a function, a class or a block is not rewritten")

    def _report_other_loggers(self, tree: cst.Module) -> None:
        """Calls on a logger imported from another module: the user runs us there."""
        reported: set[str] = set()
        for call in self.calls_in_module:
            func = call.func
            if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)):
                continue
            if func.attr.value not in LOG_METHODS and func.attr.value != "log":
                continue
            owner = func.value
            names = self.get_metadata(QualifiedNameProvider, owner, set())
            if len(names) != 1:
                continue
            (qualified,) = names
            if qualified.source is not QualifiedNameSource.IMPORT or "log" not in owner.value.lower():
                continue
            module = qualified.name.rsplit(".", 1)[0] if "." in qualified.name.lstrip(".") else qualified.name
            if module.lstrip(".").split(".")[0] in NON_STDLIB_LOGGING | {"logging"} or module == qualified.name:
                continue
            if owner.value in reported:
                continue
            reported.add(owner.value)
            self.add_skip(
                call,
                f"`{owner.value}` is imported from `{module}`: run the codemod on the module that defines it",
            )

    # -- one call ---------------------------------------------------------------

    def _plan_call(self, call: cst.Call, method: str, target: cst.Name, *, moved: bool) -> Plan:
        """The structlog call for one stdlib log call (raises Blocked only for the module's own logger)."""
        plan = Plan(call)
        new_method = METHOD_RENAMES.get(method, method)
        args = list(call.args)
        if method == "log":
            level = args[0] if args and args[0].keyword is None and not args[0].star else None
            name = self._level_method(level.value) if level is not None else None
            if name is None:
                reason = (
                    "`log()` with a level that is not a constant: structlog's `log()` accepts only the standard levels"
                )
                if moved:
                    return Plan(call, skip=reason)
                raise Blocked(f"{reason} (line {self.line_of(call)})")
            new_method, args = name, args[1:]
        func = cst.Attribute(value=target, attr=cst.Name(new_method))
        keep = call.with_changes(func=func, args=args) if args != list(call.args) else call.with_changes(func=func)

        if self.is_ignored(call):
            return self._keep_form(plan, call, call, IGNORED_REASON, moved)
        if any(arg.star for arg in args):
            return self._keep_form(plan, call, keep, "`*args` or `**kwargs` are passed on as they are", moved)
        if m.findall(call, m.Comment()):
            return self._keep_form(plan, call, keep, "a comment inside the call would be lost", moved)
        positional = [a for a in args if a.keyword is None]
        keywords = [a for a in args if a.keyword is not None]
        message_arg = positional[0] if positional else next((a for a in keywords if a.keyword.value == "msg"), None)
        if message_arg is None:
            return self._keep_form(plan, call, keep, "the call has no message", moved)
        keywords = [a for a in keywords if a is not message_arg]
        unknown = [a.keyword.value for a in keywords if a.keyword.value not in {*KEPT_KEYWORDS, "extra", "stacklevel"}]
        if unknown:
            return self._keep_form(plan, call, keep, f"unknown keyword `{unknown[0]}`", moved)

        try:
            message = self._message(message_arg.value, [a.value for a in positional[1:]])
            if message is not None:
                label_hints(message)
        except Unsupported as reason:
            return self._keep_form(plan, call, keep, str(reason), moved)

        taken: set[str] = set()
        pure_keys: dict[str, str] = {}
        origin = {id(a): i for i, a in enumerate(call.args)}
        new_args: list[tuple[cst.Arg, int]] = []  # with the old argument each comes from, for the layout
        if message is None:  # a plain literal: kept as the event
            literal = message_arg.value
            if self.style == "snake":
                text, quote = _string_value(literal) or ("", '"')
                if snake_event(text):
                    literal = cst.SimpleString(string_literal(snake_event(text), quote))
            new_args.append((cst.Arg(literal), origin[id(message_arg)]))
        else:
            plan.findings += message.findings
            kwargs: list[tuple[cst.Arg, int]] = []
            # In the order Python evaluated them in the old message.
            fields = sorted((p for p in message.parts if isinstance(p, Field)), key=self._field_position)
            for part in fields:
                source = self._origin(part.value, call.args)
                kwargs += [(arg, source) for arg in self._field_arg(part, taken, pure_keys, plan)]
            event = tidy_event(message.parts)
            if self.style == "snake":
                event = snake_event(event)
            if not event:
                fallback = next((a.keyword.value for a, _ in kwargs if a.keyword), "value")
                event = fallback if self.style == "snake" else humanize(fallback)
            new_args.append((cst.Arg(cst.SimpleString(string_literal(event, message.quote))), origin[id(message_arg)]))
            new_args += kwargs
        for arg in keywords:
            assert arg.keyword is not None
            name = arg.keyword.value
            if name == "stacklevel":
                plan.findings.append(
                    f"`stacklevel={code_of(arg.value)}` is dropped: structlog honours it only when events render "
                    "through stdlib logging"
                )
            elif name == "extra":
                new_args += [(a, origin[id(arg)]) for a in self._extra_args(arg.value, taken, pure_keys, plan)]
            else:
                new_args.append((_keyword(name, arg.value), origin[id(arg)]))
                taken.add(name)
        plan.replacement = call.with_changes(func=func, args=_laid_out(new_args, call.args))
        return plan

    def _origin(self, node: cst.CSTNode, args: Sequence[cst.Arg]) -> int:
        """The index of the argument of ``args`` that ``node`` is part of."""
        start = self._position(node).start
        found = 0
        for index, arg in enumerate(args):
            arg_start = self._position(arg).start
            if (arg_start.line, arg_start.column) <= (start.line, start.column):
                found = index
        return found

    def _field_position(self, part: Field) -> tuple[int, int]:
        start = self._position(part.value).start
        return start.line, start.column

    def _keep_form(self, plan: Plan, call: cst.Call, keep: cst.Call, reason: str, moved: bool) -> Plan:
        """The call stays as it is (on the structlog logger, for the module's own logger)."""
        if moved:
            return Plan(call, skip=reason)
        problem = self._keep_form_problem(keep)
        if problem is not None:
            raise Blocked(f"{problem} (line {self.line_of(call)})")
        plan.skip = f"message kept as it is: {reason}"
        plan.replacement = keep
        return plan

    def _keep_form_problem(self, call: cst.Call) -> str | None:
        """Why structlog would fail on this call when stdlib logging did not."""
        positional = [a for a in call.args if a.keyword is None and not a.star]
        if len(positional) < 2 or any(a.star for a in call.args):
            return None
        text = _string_value(positional[0].value)
        if text is None:
            return None  # structlog `%`-formats positional arguments the way stdlib logging does
        try:
            message = _percent_parts(text[0], text[1], [a.value for a in positional[1:]])
        except Unsupported:
            return None
        if message.findings:
            return "its message does not match its arguments, which structlog would raise on"
        return None

    def _message(self, node: cst.BaseExpression, args: list[cst.BaseExpression]) -> Message | None:
        """The message's parts; None for a plain literal kept as it is."""
        if args:
            literal = _string_value(node)
            if literal is None:
                raise Unsupported(
                    "the message is not a literal, so its placeholders cannot be matched to its arguments"
                )
            return _percent_parts(literal[0], literal[1], args)
        if _string_value(node) is not None:
            return None
        fstring = _fstring_parts(node)
        if fstring is not None:
            return fstring
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "format":
            literal = _string_value(node.func.value)
            if literal is not None:
                return _format_parts(literal[0], literal[1], node)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
            literal = _string_value(node.left)
            if literal is not None:
                right = node.right
                if isinstance(right, cst.Tuple) and any(isinstance(e, cst.StarredElement) for e in right.elements):
                    raise Unsupported("a `%` message formatted with `*args`")
                values = [e.value for e in right.elements] if isinstance(right, cst.Tuple) else [right]
                if "%(" in literal[0] and not isinstance(right, cst.Dict):
                    raise Unsupported("a `%(name)s` message whose mapping is not a dict literal")
                return _percent_parts(literal[0], literal[1], values)
        operands = _plus_operands(node)
        if len(operands) > 1:
            if not any(_fstring_parts(o) is not None for o in operands):
                raise Unsupported("the message is not a literal")
            message = Message([])
            quote = None
            for operand in operands:
                parts = _fstring_parts(operand)
                if parts is None:
                    message.parts.append(self._unwrapped_field(operand))
                else:
                    quote = quote or parts.quote
                    message.parts += parts.parts
            message.quote = quote or '"'
            return message
        bare = self._unwrapped_field(node)
        last = dotted_name(bare.value)
        if last is not None and last.rsplit(".", 1)[-1].isupper():
            # `LOGMSG_ERR_SEC_ADD_ROLE`: a message kept in a constant, not a value.
            raise Unsupported("the message is a constant")
        if _is_pure(bare.value):
            return Message([bare])
        raise Unsupported("the message is not a literal")

    def _unwrapped_field(self, node: cst.BaseExpression) -> Field:
        """`str(x)` and `repr(x)` were there for `+`; the value is `x`."""
        if isinstance(node, cst.Call) and len(node.args) == 1 and not node.args[0].keyword and not node.args[0].star:
            called = self._qualified(node.func)
            if called == {"builtins.str"}:
                return Field(node.args[0].value)
            if called == {"builtins.repr"}:
                return Field(node.args[0].value, dropped="repr()")
        return Field(node)

    def _field_arg(self, part: Field, taken: set[str], pure_keys: dict[str, str], plan: Plan) -> list[cst.Arg]:
        value = part.value
        code = code_of(value)
        if (_is_pure(value) and code in pure_keys) or f"#{id(value)}" in pure_keys:
            return []  # the same value twice (`{0} {0}`, `{x} {x}`, a pure expression repeated): one key
        derived = self._key_for(value)
        hint = _identifier(part.hint) if part.hint else None
        if hint and (derived is None or derived in RESERVED_KEYS or keyword.iskeyword(derived)):
            derived = hint  # `table=%s` with `name`: `table` reads better than `name_`
        key = safe_key(derived or "value", taken)
        taken.add(key)
        pure_keys[f"#{id(value)}"] = key  # one argument node is evaluated once, however often it is shown
        if _is_pure(value):
            pure_keys[code] = key
        if part.dropped:
            plan.findings.append(f"the format `{part.dropped}` of `{code}` is dropped: `{key}` is logged as it is")
        return [_keyword(key, value)]

    def _extra_args(
        self, value: cst.BaseExpression, taken: set[str], pure_keys: dict[str, str], plan: Plan
    ) -> list[cst.Arg]:
        if isinstance(value, cst.Name) and value.value == "None":
            return []
        items: list[tuple[str, cst.BaseExpression]] | None = None
        if isinstance(value, cst.Dict):
            items = []
            for element in value.elements:
                key = _string_value(element.key) if isinstance(element, cst.DictElement) else None
                if key is None:
                    items = None
                    break
                items.append((key[0], element.value))
        elif (
            isinstance(value, cst.Call)
            and self._qualified(value.func) == {"builtins.dict"}
            and all(a.keyword is not None and not a.star for a in value.args)
        ):
            items = [(a.keyword.value, a.value) for a in value.args if a.keyword is not None]
        if items is None:
            if taken - KEPT_KEYWORDS:
                # Its keys are unknown here: unpacked next to other keys, one could repeat a key (TypeError).
                plan.findings.append(
                    f"`extra={code_of(value)}` is logged as one key, `extra`: its keys cannot be checked against "
                    f"the message's ({', '.join(sorted(taken - KEPT_KEYWORDS))})"
                )
                return [_keyword("extra", value)]
            if self._is_dict(value):
                return [cst.Arg(value, star="**")]
            plan.findings.append(
                f"`extra={code_of(value)}` is unpacked as keys (`or {{}}` keeps a None working); "
                "a key named `event` in it would raise"
            )
            unpacked = cst.BooleanOperation(
                value, cst.Or(), cst.Dict([]), lpar=[cst.LeftParen()], rpar=[cst.RightParen()]
            )
            return [cst.Arg(unpacked, star="**")]
        args: list[cst.Arg] = []
        for raw, item in items:
            if _is_pure(item) and code_of(item) in pure_keys and pure_keys[code_of(item)] == raw:
                continue
            base = _identifier(raw) or "value"
            key = safe_key(base, taken)
            if key != raw:
                plan.findings.append(f"the `extra` key `{raw}` is logged as `{key}`")
            taken.add(key)
            args.append(_keyword(key, item))
        return args

    def _is_dict(self, value: cst.BaseExpression) -> bool:
        """A name bound only to dict displays in its scope."""
        if not isinstance(value, cst.Name):
            return False
        scope = self.get_metadata(ScopeProvider, value, None)
        if scope is None or not scope[value.value]:
            return False
        for assignment in scope[value.value]:
            if not isinstance(assignment, Assignment) or not isinstance(assignment.node, cst.Name):
                return False
            if not isinstance(self._assigned_value(assignment.node), (cst.Dict, cst.DictComp)):
                return False
        return True

    def _level_method(self, node: cst.BaseExpression) -> str | None:
        if isinstance(node, cst.Integer):
            return LEVEL_NUMBERS.get(int(node.value))
        names = self._qualified(node)
        if len(names) == 1:
            return LEVEL_CONSTANTS.get(next(iter(names)))
        return None

    def _key_for(self, node: cst.BaseExpression) -> str | None:
        """A readable key for a value: `user.id` -> `user_id`; None when nothing reads well."""
        if isinstance(node, cst.Name):
            return "error" if node.value in EXCEPTION_NAMES else _identifier(node.value)
        if isinstance(node, cst.Attribute):
            attr = node.attr.value
            if attr == "__name__":
                inner = node.value
                if (
                    isinstance(inner, cst.Call)
                    and self._qualified(inner.func) == {"builtins.type"}
                    and len(inner.args) == 1
                ):
                    base = self._key_for(inner.args[0].value)
                    return f"{base}_type" if base else "type"
                if isinstance(inner, cst.Attribute) and inner.attr.value == "__class__":
                    base = self._key_for(inner.value)
                    return f"{base}_type" if base else "type"
                base = self._key_for(inner)
                return f"{base}_name" if base else None
            dotted = dotted_name(node)
            if dotted is not None:
                parts = [p for p in dotted.split(".") if p not in SELF_NAMES]
                return _identifier("_".join(parts[-2:]))
            base = self._key_for(node.value)
            return _identifier(f"{base}_{attr}" if base else attr)
        if isinstance(node, cst.Subscript) and len(node.slice) == 1:
            index = node.slice[0].slice
            base_node = node.value
            base = base_node.attr.value if isinstance(base_node, cst.Attribute) else self._key_for(base_node)
            if isinstance(index, cst.Index):
                literal = _string_value(index.value)
                if literal is not None:
                    return _identifier(f"{base}_{literal[0]}" if base else literal[0])
                if isinstance(index.value, cst.Integer) and base:
                    return _identifier(f"{base}_{index.value.value}")
            return _identifier(base) if base else None
        if isinstance(node, cst.Call):
            called = self._qualified(node.func)
            first = node.args[0].value if node.args and node.args[0].keyword is None and not node.args[0].star else None
            if called & CONVERTERS and first is not None:
                return self._key_for(first)
            if first is not None and len(called) == 1 and next(iter(called)) in AGGREGATES:
                base = self._key_for(first)
                suffix = AGGREGATES[next(iter(called))]
                return f"{base}{suffix}" if base else suffix.strip("_") or None
            if isinstance(node.func, cst.Attribute):
                method = node.func.attr.value
                if method == "get" and first is not None and _string_value(first) is not None:
                    return _identifier(_string_value(first)[0])  # type: ignore[index]
                if method.startswith("get_") and len(method) > 4:
                    return _identifier(method[4:])
                if not node.args:
                    base = self._key_for(node.func.value)
                    if method in VALUE_METHODS or base is None:
                        return base
                    return _identifier(f"{base}_{method}")
                return None
            if isinstance(node.func, cst.Name):
                name = node.func.value
                return _identifier(name[4:] if name.startswith("get_") and len(name) > 4 else name)
        return None

    def _qualified(self, node: cst.CSTNode) -> set[str]:
        return {q.name for q in self.get_metadata(QualifiedNameProvider, node, set())}

    def _remove_logging_imports(self, tree: cst.Module) -> None:
        for statement in tree.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if isinstance(small, cst.Import):
                    for alias in small.names:
                        if dotted_name(alias.name) == "logging" and alias.asname is None:
                            self.remove_unused_import("logging")
                elif (
                    isinstance(small, cst.ImportFrom)
                    and not small.relative
                    and small.module is not None
                    and dotted_name(small.module) == "logging"
                    and not isinstance(small.names, cst.ImportStar)
                ):
                    for alias in small.names:
                        if isinstance(alias.name, cst.Name) and alias.asname is None:
                            self.remove_unused_import("logging", alias.name.value)

    # -- writing ------------------------------------------------------------------

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        replacement = self.replacements.get(original_node)
        return replacement if isinstance(replacement, cst.Call) else updated_node

    def leave_AnnAssign(self, original_node: cst.AnnAssign, updated_node: cst.AnnAssign) -> cst.BaseSmallStatement:
        if original_node not in self.replacements or updated_node.value is None:
            return updated_node
        # `logger: logging.Logger = ...` would now be wrong for type checkers.
        return cst.Assign(targets=[cst.AssignTarget(updated_node.target)], value=updated_node.value)

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self.new_logger is None:
            return updated_node
        body = list(updated_node.body)
        index = _after_leading_imports(body)
        statement = cst.SimpleStatementLine(
            body=[
                cst.Assign(
                    targets=[cst.AssignTarget(cst.Name(self.new_logger))],
                    value=cst.Call(
                        func=cst.Attribute(cst.Name("structlog"), cst.Name("get_logger")),
                        args=[cst.Arg(cst.Name("__name__"))],
                    ),
                )
            ],
            leading_lines=[cst.EmptyLine()] if index else [],
        )
        if index < len(body) and not body[index].leading_lines:
            body[index] = body[index].with_changes(leading_lines=[cst.EmptyLine()])
        body.insert(index, statement)
        return updated_node.with_changes(body=body)


# -- helpers ---------------------------------------------------------------------


class _CallAndNameCollector(cst.CSTVisitor):
    """Every call, in document order, and the names that are bound or read (not attribute or keyword names)."""

    def __init__(self) -> None:
        self.calls: list[cst.Call] = []
        self.names: set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False


def _calls_and_names(tree: cst.Module) -> tuple[list[cst.Call], set[str]]:
    """Every call, and every name spelled in the module (a new module-level name must be none of them)."""
    collector = _CallAndNameCollector()
    tree.visit(collector)
    return collector.calls, collector.names


def _is_pure(node: cst.BaseExpression) -> bool:
    """Evaluating it twice, or once, makes no difference (names, attributes, literal subscripts)."""
    if isinstance(node, cst.Name):
        return True
    if isinstance(node, cst.Attribute):
        return _is_pure(node.value)
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        index = node.slice[0].slice.value
        return _is_pure(node.value) and isinstance(index, (cst.SimpleString, cst.Integer, cst.Name))
    return False


def _keyword(key: str, value: cst.BaseExpression) -> cst.Arg:
    if isinstance(value, (cst.Tuple, cst.NamedExpr, cst.Yield)) and not value.lpar:
        value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return cst.Arg(
        value=value,
        keyword=cst.Name(key),
        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )


def _laid_out(new: list[tuple[cst.Arg, int]], old: Sequence[cst.Arg]) -> list[cst.Arg]:
    """The new arguments, keeping the old commas and line breaks between arguments of different origins.

    Arguments made from one old argument (the event and the keys of an f-string) are
    separated by ``, ``; where the origin changes, the comma that followed the old
    argument is reused, so a call laid out over several lines keeps its breaks.
    """
    default_comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    result: list[cst.Arg] = []
    for index, (arg, source) in enumerate(new):
        if index == len(new) - 1:
            comma: cst.Comma | cst.MaybeSentinel = old[-1].comma if old else cst.MaybeSentinel.DEFAULT
            after: cst.BaseParenthesizableWhitespace = old[-1].whitespace_after_arg if old else cst.SimpleWhitespace("")
        elif new[index + 1][1] != source and isinstance(old[source].comma, cst.Comma):
            comma, after = old[source].comma, old[source].whitespace_after_arg
        else:
            comma, after = default_comma, cst.SimpleWhitespace("")
        result.append(arg.with_changes(comma=comma, whitespace_after_arg=after))
    return result


def _named_after_module(call: cst.Call) -> bool:
    """`getLogger(__name__)`: the logger moved calls belong on."""
    return len(call.args) == 1 and m.matches(call.args[0].value, m.Name("__name__"))


def _structlog_get_logger(call: cst.Call) -> cst.Call:
    args = [
        a.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT) if a.keyword and a.keyword.value == "name" else a
        for a in call.args
    ]
    return call.with_changes(func=cst.Attribute(cst.Name("structlog"), cst.Name("get_logger")), args=args)


def _after_leading_imports(body: list[cst.BaseStatement]) -> int:
    """Where AddImportsVisitor puts new imports: after the docstring and the first block of imports."""
    index = 0
    if body and m.matches(body[0], m.SimpleStatementLine(body=[m.Expr(value=m.SimpleString())])):
        index = 1
    while index < len(body) and m.matches(body[index], m.SimpleStatementLine(body=[m.Import() | m.ImportFrom()])):
        index += 1
    return index
