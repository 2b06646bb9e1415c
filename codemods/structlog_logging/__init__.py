"""structlog-logging: stdlib logging calls become structlog key-value events.

The package, by role (each module's docstring says more):

- ``StructlogLogging`` (here): the codemod's documentation, options and examples; runs
  the roles below and records the planned replacements as edits (``Codemod.replace``).
- ``loggers.ModulePlanner``: logger resolution. Which module loggers become structlog
  loggers (or stay stdlib ones, with the reason) and which calls move onto them.
- ``reports``: loggers found but not rewritten (local, imported), reported as skips.
- ``plan.CallPlanner``: call planning. One stdlib log call becomes a structlog event, or
  keeps its form, or is left alone; ``plan.ModuleEdits`` is the module's whole plan.
- ``reader.MessageReader``, ``message``, ``templates``: message parsing. f-strings,
  ``+`` concatenations, printf ``%`` and ``str.format`` templates, read into literal text
  and the values they interpolated.
- ``naming``: the event a message becomes and the key each value is logged under.
- ``arguments.EventKeys``: the keyword arguments of one event (unique keys, `extra=`) and
  their layout.
- ``core.metadata.Metadata`` (shared by every codemod): the metadata queries every role asks.
- ``rewrite``: the syntax the rewrite builds (the new logger, `structlog.get_logger`,
  the `logging` imports that go).
- ``project``: the run notice when no scanned file configures structlog, from the
  texts of the engine's project.
- ``vocabulary``: what structlog and stdlib logging accept (methods, levels, reserved keys).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import ClassVar

import libcst as cst
from libcst.metadata import QualifiedNameProvider, ScopeProvider

from flaskmod.codemods.core.base import Codemod, CodemodReport, Example, Option, Safety
from flaskmod.codemods.core.metadata import Metadata
from flaskmod.codemods.core.project import Project
from flaskmod.codemods.core.refusal import IGNORED_REASON
from flaskmod.codemods.structlog_logging.configuration import CONFIGURATION_MARKER, RECOMMENDED_CONFIGURATION
from flaskmod.codemods.structlog_logging.declared import declared_problem
from flaskmod.codemods.structlog_logging.loggers import ModulePlanner, loguru_import
from flaskmod.codemods.structlog_logging.logging_setup import logging_setup
from flaskmod.codemods.structlog_logging.message import Field, Message, label_hints
from flaskmod.codemods.structlog_logging.naming import (
    event_text,
    humanize,
    safe_key,
    snake_event,
    string_literal,
    tidy_event,
)
from flaskmod.codemods.structlog_logging.placement import with_structlog_import
from flaskmod.codemods.structlog_logging.plan import CallPlanner, ModuleEdits
from flaskmod.codemods.structlog_logging.project import run_notices
from flaskmod.codemods.structlog_logging.rewrite import (
    handlers_left_unused,
    logging_imports,
    with_new_logger,
    without_name,
    without_stray_blank_line,
)
from flaskmod.codemods.structlog_logging.vocabulary import EVENT_STYLES

__all__ = [
    "Field",
    "Message",
    "StructlogLogging",
    "event_text",
    "humanize",
    "label_hints",
    "safe_key",
    "snake_event",
    "string_literal",
    "tidy_event",
]


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
    logger.info("settings updated", customer_id=customer_id)
    logger.info("new address added", customer_id=customer_id)
    ```

    Messages written as f-strings, `%`-format with positional arguments or one mapping
    (`%(name)s`), `str.format` (positional and keyword), `+` concatenations (with `str()`
    and `repr()`), eager `"..." % x` in the first argument, and a bare variable or exception
    (`logger.exception(e)`) are rewritten; plain literals are kept. Where a value is cut out,
    a word left leaning on it goes (`Shipping order with {id}` -> `"Shipping order"`), and so
    does a clause that was only a label and its value (`Cannot remove history. DETAIL: {e}`
    -> `"Cannot remove history."`). When the cut would leave debris mid-sentence (`for {name}
    in {n} seconds`, `(took {n}s)`, `…, skipped {n}`), the event is the message's own text with
    each value shown as the key it is logged under (`"Lock acquired for {lockfile} in {seconds}
    seconds"`), and the values are keys all the same. A message that was only an exception
    (`logger.error(e)`, `str(e)`, `"Error: {}".format(e)`, where `e` is caught by an enclosing
    `except` or named like one) or only another value (`logger.info(log_data)`,
    `logger.warning(resp.text)`) is named after the function it is in (a decorator's for its
    wrapper), with the value as its key: `"update_record failed", error=e` at error levels,
    `"sync_sources", log_data=log_data` otherwise; outside any function, such a value stays
    structlog's positional event as written. A message of several values and no words of its own
    (`"%s: %s"`, `'{msg}: uid={uid}'`) is named after its function the same way; outside any
    function it keeps its form, listed as skipped: an event named after one of its keys would be
    made up. In an `except ... as e`,
    a call that logs the traceback (`exception`, `exc_info=True`) does not log `e` again as a key
    (Ruff TRY401): `logger.exception("Export failed: %s", e)` becomes
    `logger.exception("Export failed")`. Key names come from
    the expression: `user.id` -> `user_id`, `order['id']` -> `order_id`, `str(x)`/`int(x)`
    -> the name of `x`, `len(items)` -> `items_count`, `session.get('user_id')` ->
    `user_id`, a caught exception -> `error`, a constant lower-cased (`JOB` -> `job`), anything
    else -> the message's word before it (`Status code %s` -> `code`). A key never
    collides with another, with a Python keyword, or with a name structlog or stdlib
    logging treat specially (`event`, `level`, `timestamp`, `logger`, `exception`,
    `exc_info`, `stack_info`, `LogRecord` attributes such as `name`, `msg`, `module`,
    `filename`, `message`...): it is prefixed with the message's word before the value
    (`Deleted user %s` with `name` -> `user_name`; `file %s into folder %s` -> `file_name`,
    `folder_name`); only when the message has no such word does it become `<key>_value` (`name_value`),
    then a number (`user_id_2`).

    `extra={...}` becomes keyword arguments (a non-literal `extra=` is unpacked);
    `exc_info` and `stack_info` are kept; `warn` becomes `warning` and `fatal` `critical`;
    `log(logging.INFO, ...)` becomes `info(...)`; `isEnabledFor`/`getEffectiveLevel` become
    `is_enabled_for`/`get_effective_level`. Module-level `logging.info(...)` calls and Flask's
    `current_app.logger.info(...)` / `app.logger.info(...)` move onto the module's structlog
    logger, which is created (`logger = structlog.get_logger(__name__)`, or a free name when
    `logger` is taken) when the module has none. `import structlog` is added; `import logging`
    is removed only when nothing else uses it.

    Left alone: calls on anything not provably this module's stdlib logger or Flask's app
    logger: loguru's `logger`, a logger imported from another module (one note per
    module: run the codemod on the module that defines it, or declare a project logger
    object in `logger-objects`; calls on a declared structlog logger are converted),
    `self.log`, a parameter named `logger`, an object of unknown origin. A module logger
    that is used as a stdlib `Logger`
    (`logger.setLevel`, `logger.addHandler`, passed to a function, a method patched onto
    `logging.Logger` such as `LOG.d(...)`, `logger.log(level, ...)` with a variable level)
    stays a stdlib logger, with the reason, and so do the calls that would have moved onto it.
    So does a module logger that another scanned module configures: by its name
    (`logging.getLogger("shop.jobs").setLevel(...)`, `.addHandler`, `.propagate = ...`, a
    `dictConfig` whose `loggers` name it) or through an import (`from shop.jobs import logger`,
    then `logger.setLevel(...)`); the skip names the file and line. A module logger nothing
    in its module uses and no scanned module imports stays as it is: rewriting it would change
    no log line. A module that imports
    loguru is left alone as a whole (reported when it also logs through stdlib logging), and
    so is a module that sets logging up: one that calls `logging.basicConfig`,
    `logging.config.dictConfig` or `fileConfig` (however imported) or `.addHandler(...)` (an
    app factory, a CLI entry point, a logging-setup module), and an alembic migration
    environment (`from alembic import context`); the skip names the call and its line.

    ## Why is this bad?
    The same fact logged five ways (f-string, `%s`, `+`, `.format`, `extra=`) cannot be
    searched or filtered: every value is baked into a different sentence. With a static
    event and the values as keys, every log line of the codebase has one shape, and log
    search filters on the event and the keys.

    ## Known problems
    structlog with no configuration prints to stdout, shows every level (debug included),
    and bypasses the application's handlers, Flask's `dictConfig` and pytest's `caplog`:
    configure it (below). The run says so once when no scanned file calls
    `structlog.configure`. Log lines change format (an event and keys instead of a sentence):
    the run says so every time, since fail2ban filters, alert rules and saved log searches
    that match the old text must change with them.

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

    ## Configuring structlog
    Route events through stdlib logging, so the application's handlers, levels,
    `dictConfig`, `logging.getLogger("app").addHandler(...)` and `caplog` keep working. This
    module (flaskmod's tests execute it as it is shown) puts a
    `structlog.stdlib.ProcessorFormatter` on every handler the application already has,
    with `structlog.stdlib.ExtraAdder` (the `extra=` of calls left on stdlib loggers),
    `structlog.processors.CallsiteParameterAdder` (file, function and line) and
    `structlog.processors.UnicodeDecoder` in the chain stdlib records go through:

    ```python
    {recommended configuration}
    ```

    Call `configure_structlog(app.logger)` once in the app factory, after the handlers are
    attached (`dictConfig`, `basicConfig`, `app.logger.addHandler(...)`); pass every other
    logger that has handlers of its own.

    Values: a message's `%s` printed the `str()` of a value, structlog's renderers print its
    `repr()`. The codemod writes values as they are (`order_id=order.id`, never
    `str(order.id)`, so numbers stay numbers in JSON), and `str_values` renders every value
    that is not None, a bool, a number or a string as its `str()`: a job still logs as
    `<Job 5f1c: ...>`, a datetime as `2024-05-01 12:00:00`, not `datetime.datetime(...)`.

    To bind a request id to every event of a Flask request:
    ```python
    @app.before_request
    def bind_request_id():
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(
            request_id=request.headers.get("X-Request-ID") or uuid.uuid4().hex, path=request.path
        )
    ```

    With `dictConfig`, declare the formatter as `{"()": structlog.stdlib.ProcessorFormatter,
    "processors": [...], "foreign_pre_chain": shared}` with the lists above.
    """

    ID = "structlog-logging"
    SUMMARY = "Rewrite stdlib logging calls to structlog events: a static message and the values as keys."
    SAFETY = Safety.UNSAFE
    # ExtraAdder and CallsiteParameterAdder, which the recommended configuration uses, came in 21.5.
    REQUIRES = ("structlog>=21.5",)
    # Any object's log method: a declared logger object (`logger-objects`) may be named anything.
    TRIGGER = re.compile(
        r"\blogging\b|\.logger\s*\.|\blog\w*\s*\.\s*log\b|\.\s*(?:debug|info|warn|warning|error|exception|critical|fatal)\s*\("
    )
    METADATA_DEPENDENCIES = (QualifiedNameProvider, ScopeProvider)
    OPTIONS: ClassVar[Mapping[str, Option]] = {
        "event-style": Option(
            str,
            "sentence",
            'How events are written: "sentence" keeps the message\'s words ("Customer updated their settings"), '
            '"snake" writes an identifier ("customer_updated_their_settings").',
            choices=("sentence", "snake"),
            flag="--event-style",
            details="Snake is the style of structlog's own documentation. Sentence is the default because the "
            "diff stays reviewable (each new event is recognisably the old message, and logs and dashboards "
            "searched by message text still match their words); both are static and deterministic (the same "
            "input always gives the same event), so a team can switch to snake later by running again with "
            "`snake` on code that has not been rewritten yet, or rename events by search and replace.",
        ),
        "logger-objects": Option(
            list,
            [],
            'Project logger objects, each as "package.module.name" (as Ruff\'s `lint.logger-objects`): '
            "calls on them, wherever they are imported, are converted like the module's own logger's.",
            value_type=str,
            details="A call is converted only where that is provably safe: the object's module (a scanned file) "
            "assigns it `structlog.get_logger(...)` at top level, so it takes keys as keyword arguments. A stdlib "
            "module logger declared here is converted in its own module first; run again to convert the calls "
            "on it elsewhere. Calls on a declared object that is not a structlog logger (a wrapper class, a "
            "definition in no scanned file) are left alone with the reason. An undeclared imported object named "
            "like a logger gets one note per module.",
        ),
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
            skips=(
                "calls on `logger` (imported from `app.log`) are left alone: run the codemod on the module that "
                "defines a logger, or declare a project logger object in `logger-objects` (`app.log.logger`)",
            ),
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
    logger.info('settings updated for {customer_id} by {user_id}', customer_id=customer_id, user_id=user.id)
    logger.info("new address added", customer_id=customer_id)
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
import structlog

logger = structlog.get_logger(__name__)

def checkout(order, total):
    try:
        order.pay()
    except PaymentError:
        logger.exception("checkout failed")
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
    log.error('Refund of {order_id} for {refund_name} failed', order_id=order.id, refund_name=name, exc_info=error,
              level_value='gold', amount=order.total)
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

    @classmethod
    def documentation(cls) -> str:
        """The docstring, with the recommended configuration (one source, executed by the tests) in place."""
        return super().documentation().replace(CONFIGURATION_MARKER, RECOMMENDED_CONFIGURATION.rstrip())

    # -- run-level notice -------------------------------------------------------

    @classmethod
    def run_notices(cls, changed: Sequence[tuple[Path, str]], project: Project) -> list[str]:
        return run_notices(changed, project)

    # -- analysis ---------------------------------------------------------------

    def transform_module(self, tree: cst.Module) -> cst.Module:
        return without_stray_blank_line(tree, super().transform_module(tree))

    def _left_alone_because(
        self, tree: cst.Module, calls: Sequence[cst.Call], metadata: Metadata
    ) -> tuple[cst.CSTNode, str, str] | None:
        """Why the whole module keeps its logging (loguru, or it sets logging up): where, the reason, its kind."""
        loguru = loguru_import(tree)
        if loguru is not None:
            return loguru, "the module logs with loguru: its stdlib logging is left as it is too", "loguru"
        setup = logging_setup(tree, calls, metadata)
        if setup is None:
            return None
        node, what = setup
        reason = f"the module {what}, line {self.line_of(node)}): its logging stays stdlib logging"
        return node, reason, "configures-logging"

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        style = self.options.get("event-style", "sentence")
        if style not in EVENT_STYLES:
            self.add_skip(tree, f"unknown event-style {style!r} (use one of {', '.join(EVENT_STYLES)})", "bad-option")
            return tree
        problems = [p for p in map(declared_problem, self.options.get("logger-objects") or ()) if p is not None]
        if problems:
            self.add_skip(tree, problems[0], "bad-option")
            return tree
        metadata = Metadata(self)
        planner = ModulePlanner(self, metadata, CallPlanner(self, metadata, style), tree)
        self.edits: ModuleEdits = planner.plan()
        replacements = self.edits.replacements
        left_alone = self._left_alone_because(tree, planner.calls_in_module, metadata)
        if left_alone is not None:
            # Said only where the plan found stdlib logging (to rewrite or not); its own notes no longer apply.
            found_logging = bool(replacements or self.report.skips)
            self.report = CodemodReport()
            if found_logging:
                self.add_skip(*left_alone)
            return tree
        if not replacements:
            return tree
        first = min(replacements, key=lambda n: self.line_of(n))
        if not self.permit_unsafe(
            first,
            f"rewrite this module's logging to structlog ({self.edits.calls_on_structlog} call(s)): the log output "
            "changes text and, until structlog is configured to render through stdlib logging, destination (stdout)",
        ):
            return tree
        if self.edits.removes_logging:
            for module, name in logging_imports(tree):
                self.remove_unused_import(module, name)
        if self.edits.removes_current_app:
            self.remove_unused_import("flask", "current_app")
        for node, replacement in replacements.items():
            self.replace(node, replacement)
        for handler in handlers_left_unused(replacements, metadata):
            self.replace(handler, without_name)  # a callable: the calls inside it are rewritten too
        new_logger, index = self.edits.new_logger, self.edits.new_logger_index
        imports_structlog = self.edits.imports_structlog
        filename = self.context.filename
        first_party = self.project.first_party(Path(filename)) if filename else frozenset()

        def placed(module: cst.Module) -> cst.Module:
            # A callable: the module's calls are rewritten by the edits above.
            if new_logger is not None:
                module = with_new_logger(module, new_logger, index)
            return with_structlog_import(module, first_party) if imports_structlog else module

        self.replace(tree, placed)
        return tree
