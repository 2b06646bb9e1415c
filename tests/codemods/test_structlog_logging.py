"""Edge cases of structlog-logging beyond its documented examples, and its sample app."""

from __future__ import annotations

import os
import py_compile
import shutil
import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest

from flaskmod.codemods.core.engine import RunRequest, run
from flaskmod.codemods.core.project import Project
from flaskmod.codemods.core.writer import write_results
from flaskmod.codemods.structlog_logging import StructlogLogging, event_text, snake_event
from flaskmod.codemods.structlog_logging.configured import configurations_in
from tests.helpers import check_noop, check_transformed


def _skips(record: object) -> list[str]:
    return [s.message for s in getattr(record, "skips", [])]


def _findings(record: object) -> list[str]:
    return [f.message for f in getattr(record, "findings", [])]


# -- left alone ----------------------------------------------------------------


def test_loguru_logger_is_left_alone_silently() -> None:
    record = check_noop(
        StructlogLogging,
        """
        from loguru import logger
        import logging

        def f(x):
            logger.info("x is {}", x)
            logger.opt(exception=True).error("boom")
        """,
    )
    assert record is None


def test_loguru_module_with_stdlib_logging_is_left_alone_with_a_reason() -> None:
    record = check_noop(
        StructlogLogging,
        """
        from flask import current_app
        from loguru import logger

        def f(x):
            logger.info("x is {}", x)
            current_app.logger.info("x is %s", x)
        """,
    )
    assert _skips(record) == ["the module logs with loguru: its stdlib logging is left as it is too"]


def test_configurations_found_in_another_module_text() -> None:
    text = (
        "from .jobs import logger as jobs_log, other\n"
        "from shop import mailer\n"
        "audit = logging.getLogger('shop.audit')\n"
        "LOGGING = {'loggers': {'shop.payments': {'level': 'INFO', 'filters': {'x': {}}}}, 'handlers': {}}\n"
        "def main():\n"
        "    jobs_log.setLevel(10)\n"
        "    audit.propagate = False\n"
        "    logging.getLogger(name='shop.cli').addHandler(h)\n"
        "    mailer.send()\n"
    )
    found = {(c.logger_name, c.module, c.attribute, c.what, c.line) for c in configurations_in(text)}
    assert found == {
        ("shop.cli", None, None, "addHandler", 8),
        ("shop.audit", None, None, "propagate", 7),
        ("shop.payments", None, None, "dictConfig", 4),
        (None, ".jobs", "logger", "setLevel", 6),
    }


def test_logger_of_unknown_origin_is_left_alone() -> None:
    check_noop(
        StructlogLogging,
        """
        import logging
        from flask import current_app

        def f(log, app, factory):
            log.info("a %s", 1)
            app.logger.info("b %s", 2)
            factory().logger.info("c %s", 3)
            current_app.extensions["x"].logger.info("d %s", 4)
        """,
    )


def test_imported_loggers_are_reported_once_per_module() -> None:
    record = check_noop(
        StructlogLogging,
        """
        from .log import LOG, log_event

        def f(x):
            LOG.info("a %s", x)
            LOG.warning("b %s", x)
            log_event.info("c")
        """,
    )
    assert _skips(record) == [
        "calls on `LOG` (imported from `.log`) and `log_event` (imported from `.log`) are left alone: run the "
        "codemod on the module that defines a logger, or declare a project logger object in `logger-objects` "
        "(`log.LOG`, `log.log_event`)"
    ]


def test_logger_passed_on_stays_a_stdlib_logger() -> None:
    record = check_noop(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def f(worker):
            worker.run(logger)
            logger.info("ran %s", worker)
        """,
    )
    assert "`logger` is passed on or stored (line 6)" in _skips(record)[0]


def test_logger_assigned_twice_stays_a_stdlib_logger() -> None:
    record = check_noop(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)
        if DEBUG:
            logger = logging.getLogger("debug")

        logger.info("x %s", 1)
        """,
    )
    assert "`logger` is assigned more than once" in _skips(record)[0]


def test_logger_log_with_a_variable_level_stays_a_stdlib_logger() -> None:
    # structlog's log() looks the level up among the five standard levels: a custom one raises.
    record = check_noop(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def f(level):
            logger.log(level, "x %s", 1)
        """,
    )
    assert "structlog's `log()` accepts only the standard levels" in _skips(record)[0]


def test_calls_that_would_move_stay_when_the_module_logger_stays() -> None:
    record = check_noop(
        StructlogLogging,
        """
        import logging
        from flask import current_app

        logger = logging.getLogger(__name__)
        logger.propagate = False

        def f(x):
            current_app.logger.info("x %s", x)
            logging.info("y %s", x)
        """,
    )
    assert _skips(record)[1:] == [
        "`current_app.logger` call left alone: the module's logger `logger` stays a stdlib logger",
        "`logging` call left alone: the module's logger `logger` stays a stdlib logger",
    ]


def test_logger_inside_a_function_is_reported() -> None:
    record = check_noop(
        StructlogLogging,
        """
        import logging

        def job(name):
            log = logging.getLogger("rq.job." + name)
            log.info("started %s", name)
        """,
    )
    assert _skips(record) == ["a logger created inside a function, a class or a block is not rewritten"]


def test_moved_call_whose_target_name_is_local_is_left_alone() -> None:
    record = check_noop(
        StructlogLogging,
        """
        import structlog
        from flask import current_app

        logger = structlog.get_logger(__name__)

        def f(logger):
            current_app.logger.info("x %s", 1)
        """,
    )
    assert _skips(record) == ["`current_app.logger` call left alone: `logger` is not the module's logger here"]


def test_import_time_call_before_the_module_logger_is_left_alone() -> None:
    record = check_noop(
        StructlogLogging,
        """
        import logging
        import structlog

        logging.info("starting %s", 1)
        logger = structlog.get_logger(__name__)
        """,
    )
    assert _skips(record) == ["`logging` call left alone: `logger` is not the module's logger here"]


def test_moved_call_with_a_non_literal_message_and_arguments_stays_on_flask() -> None:
    record = check_noop(
        StructlogLogging,
        """
        from flask import current_app

        def f(template, x):
            current_app.logger.info(template, x)
        """,
    )
    assert "`current_app.logger` call left alone: the message is not a literal" in _skips(record)[0]


def test_ignore_comment_on_a_call_keeps_it_as_it_is() -> None:
    record = check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def f(x):
            logger.info("a %s", x)  # flaskmod: ignore[structlog-logging]
            logger.info("b %s", x)
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)

        def f(x):
            logger.info("a %s", x)  # flaskmod: ignore[structlog-logging]
            logger.info("b", x=x)
        """,
    )
    assert _skips(record) == ["message kept as it is: ignored by a `# flaskmod: ignore` comment"]


def test_unknown_event_style_changes_nothing() -> None:
    record = check_noop(
        StructlogLogging,
        """
        import logging

        logging.info("x %s", 1)
        """,
        options={"event-style": "camel"},
    )
    assert _skips(record) == ["unknown event-style 'camel' (use one of sentence, snake)"]


def test_every_skip_carries_a_stable_kind() -> None:
    # --statistics groups skips by kind: reasons that quote names or lines fall into one group.
    record = check_noop(
        StructlogLogging,
        """
        import logging
        from flask import current_app
        from .log import LOG

        logger = logging.getLogger(__name__)

        def f(worker, x):
            worker.run(logger)
            current_app.logger.info("x %s", x)
            LOG.info("y %s", x)
            local = logging.getLogger("local")
        """,
    )
    assert record is not None
    assert [(s.message.split(":")[0], s.kind) for s in record.skips] == [
        ("`logger` stays a stdlib logger", "logger-passed-on"),
        ("a logger created inside a function, a class or a block is not rewritten", "local-logger"),
        ("`current_app.logger` call left alone", "logger-stays-stdlib"),
        ("calls on `LOG` (imported from `.log`) are left alone", "imported-logger"),
    ]


def test_a_kept_message_skip_has_the_kind_of_its_reason() -> None:
    record = check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def f(template, x):
            logger.info(template, x)
            logger.info("{0.id}".format(x))
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)

        def f(template, x):
            logger.info(template, x)
            logger.info("{0.id}".format(x))
        """,
    )
    assert [s.kind for s in record.skips] == ["message-not-literal", "format-field-access"]


# -- kept forms on the module's own logger --------------------------------------


def test_non_literal_message_keeps_its_form_and_is_listed() -> None:
    record = check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def f(template, x, args, kwargs):
            logger.info(template, x)
            logger.info("%s %s", *args)
            logger.info(build(x))
            logger.warn("a %s", x, **kwargs)
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)

        def f(template, x, args, kwargs):
            logger.info(template, x)
            logger.info("%s %s", *args)
            logger.info(build(x))
            logger.warning("a %s", x, **kwargs)
        """,
    )
    assert _skips(record) == [
        "message kept as it is: the message is not a literal, so its placeholders cannot be matched to its arguments",
        "message kept as it is: `*args` or `**kwargs` are passed on as they are",
        "message kept as it is: the message is not a literal",
        "message kept as it is: `*args` or `**kwargs` are passed on as they are",
    ]


def test_call_with_a_comment_inside_keeps_its_form() -> None:
    record = check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def f(x):
            logger.info(
                "a %s",  # why
                x,
            )
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)

        def f(x):
            logger.info(
                "a %s",  # why
                x,
            )
        """,
    )
    assert _skips(record) == ["message kept as it is: a comment inside the call would be lost"]


# -- messages --------------------------------------------------------------------


def test_events_of_real_messages() -> None:
    """Debris seen on real projects: label clauses, `Error: {}`, wrappers, keys of indexes and reserved names."""
    check_transformed(
        StructlogLogging,
        """
        import logging
        import sys

        logger = logging.getLogger(__name__)

        def login_required(f):
            def decorated_function(*args, **kwargs):
                try:
                    return f(*args, **kwargs)
                except ValueError as e:
                    logger.error('Error: {0}'.format(e))

            return decorated_function

        def remove_history(user_object, name, url):
            try:
                pass
            except OSError as e:
                logger.error('Cannot remove history. DETAIL: {0}'.format(e))
                logger.error('Unable to open attachments. Error: {}'.format(sys.exc_info()[0]))
            logger.debug("Updating user name (%r -> %r)", user_object.name, name)
            logger.info(f"Fetched {url} in {len(url)} tries")
        """,
        """
        import sys

        import structlog

        logger = structlog.get_logger(__name__)

        def login_required(f):
            def decorated_function(*args, **kwargs):
                try:
                    return f(*args, **kwargs)
                except ValueError as e:
                    logger.error('login_required failed', error=e)

            return decorated_function

        def remove_history(user_object, name, url):
            try:
                pass
            except OSError as e:
                logger.error('Cannot remove history.', error=e)
                logger.error('Unable to open attachments.', sys_exc_info=sys.exc_info()[0])
            logger.debug("Updating user name", user_object_name=user_object.name, user_name=name)
            logger.info("Fetched {url} in {url_count} tries", url=url, url_count=len(url))
        """,
    )


def test_fstring_forms() -> None:
    record = check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def f(user, order, items, total, e, self):
            logger.info(f"Paid {order['id']} with {len(items)} items")
            logger.info(f"Total: {total:.2f}")
            logger.info(f"{user.email=} {user!r} {str(user.name)} {self.cart.id}")
            logger.info(f"{type(e).__name__}: {e}")
            logger.info(rf"path\\{user.home} {{literal}}")
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)

        def f(user, order, items, total, e, self):
            logger.info("Paid {order_id} with {items_count} items", order_id=order['id'], items_count=len(items))
            logger.info("Total", total=total)
            logger.info("f", user_email=user.email, user=user, user_name=str(user.name), cart_id=self.cart.id)
            logger.info("f", error_type=type(e).__name__, error=e)
            logger.info("path\\\\ {literal}", user_home=user.home)
        """,
    )
    assert _findings(record) == [
        "the format `:.2f` of `total` is dropped: `total` is logged as it is",
        "the format `!r` of `user` is dropped: `user` is logged as it is",
    ]


def test_percent_forms() -> None:
    record = check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def f(user, n, ratio, session):
            logger.info("User %s has %d items (%.1f%%)", user.id, n, ratio)
            logger.info("%(who)s bought %(n)s", {"who": user.name, "n": n})
            logger.info("Cart of %s" % session.get("user_id"))
            logger.info("Pair %s/%s" % (user.id, n))
            logger.info("100% sure")
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)

        def f(user, n, ratio, session):
            logger.info("User has items", user_id=user.id, n=n, ratio=ratio)
            logger.info("{user_name} bought {n}", user_name=user.name, n=n)
            logger.info("Cart", user_id=session.get("user_id"))
            logger.info("Pair {user_id}/{n}", user_id=user.id, n=n)
            logger.info("100% sure")
        """,
    )
    assert _findings(record) == ["the format `%.1f` of `ratio` is dropped: `ratio` is logged as it is"]


def test_mismatched_placeholders_are_rewritten_with_a_finding() -> None:
    # stdlib logging printed a "Logging error" for these; structlog would raise on the old form.
    record = check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def f(a, b):
            logger.info("%s and %s", a)
            logger.info("only %s", a, b)
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)

        def f(a, b):
            logger.info("{a} and", a=a)
            logger.info("only", a=a, b=b)
        """,
    )
    assert len(_findings(record)) == 2


def test_format_and_concatenation_forms() -> None:
    record = check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def f(book, user, items, e):
            logger.info("Book {} updated by {who}".format(book.id, who=user.get_full_name()))
            logger.info("Book {0} and {0} again".format(book.id))
            logger.info("Deleted " + repr(book) + " for " + str(user.id) + "!")
            logger.error("Failed: " + str(e))
            logger.error(e)
            logger.exception(str(e))
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)

        def f(book, user, items, e):
            logger.info("Book updated", book_id=book.id, full_name=user.get_full_name())
            logger.info("Book {book_id} and {book_id} again", book_id=book.id)
            logger.info("Deleted {book} for {user_id}!", book=book, user_id=user.id)
            logger.error("f failed", error=e)
            logger.error("f failed", error=e)
            logger.exception("f failed", error=e)
        """,
    )
    assert _findings(record) == ["the format `repr()` of `book` is dropped: `book` is logged as it is"]


def test_unsupported_format_fields_keep_the_eager_message() -> None:
    record = check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def f(user):
            logger.info("{0.name} logged in".format(user))
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)

        def f(user):
            logger.info("{0.name} logged in".format(user))
        """,
    )
    assert "reads an attribute or item" in _skips(record)[0]


# -- keys, extra and keywords -----------------------------------------------------


def test_reserved_and_colliding_keys() -> None:
    check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def f(name, level, module, event, a, b, cls):
            logger.info("%s %s %s %s", name, level, module, event)
            logger.info(f"{a.id} {b.id} {a.id} {cls}")
            logger.info("table=%s", name)
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)

        def f(name, level, module, event, a, b, cls):
            logger.info("f", name_value=name, level_value=level, module_value=module, event_value=event)
            logger.info("f", a_id=a.id, b_id=b.id, cls=cls)
            logger.info("f", table=name)
        """,
    )


def test_impure_values_repeated_are_kept_twice() -> None:
    check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def f(it):
            logger.info(f"{next(it)} then {next(it)}")
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)

        def f(it):
            logger.info("{next} then {then_next}", next=next(it), then_next=next(it))
        """,
    )


def test_extra_forms_and_kept_keywords() -> None:
    record = check_transformed(
        StructlogLogging,
        """
        import logging
        import sys

        logger = logging.getLogger(__name__)

        def f(order, ctx, e):
            logger.info("paid", extra={"order-id": order.id, "timestamp": order.ts})
            logger.info("paid", extra=dict(order_id=order.id), exc_info=1)
            logger.info("paid", extra=ctx, stack_info=True)
            logger.info("paid %s", order.id, extra=ctx)
            data = {"a": 1}
            logger.error("failed", extra=data, exc_info=sys.exc_info())
            logger.error("failed", exc_info=e, extra=None, stacklevel=3)
        """,
        """
        import sys

        import structlog

        logger = structlog.get_logger(__name__)

        def f(order, ctx, e):
            logger.info("paid", order_id=order.id, timestamp_value=order.ts)
            logger.info("paid", order_id=order.id, exc_info=1)
            logger.info("paid", **(ctx or {}), stack_info=True)
            logger.info("paid", order_id=order.id, extra=ctx)
            data = {"a": 1}
            logger.error("failed", **data, exc_info=sys.exc_info())
            logger.error("failed", exc_info=e)
        """,
    )
    assert _findings(record) == [
        "the `extra` key `order-id` is logged as `order_id`",
        "the `extra` key `timestamp` is logged as `timestamp_value`",
        "`extra=ctx` is unpacked as keys (`or {}` keeps a None working); a key named `event` in it would raise",
        "`extra=ctx` is logged as one key, `extra`: its keys cannot be checked against the message's (order_id)",
        "`stacklevel=3` is dropped: structlog honours it only when events render through stdlib logging",
    ]


def test_levels_and_level_queries() -> None:
    check_transformed(
        StructlogLogging,
        """
        import logging

        log = logging.getLogger(name=__name__)

        def f(x):
            if log.isEnabledFor(logging.DEBUG):
                log.log(logging.DEBUG, "x %s", x)
            log.log(40, "y")
            log.fatal("z")
            return log.getEffectiveLevel()
        """,
        """
        import logging

        import structlog

        log = structlog.get_logger(__name__)

        def f(x):
            if log.is_enabled_for(logging.DEBUG):
                log.debug("x", x=x)
            log.error("y")
            log.critical("z")
            return log.get_effective_level()
        """,
    )


def test_multiline_call_keeps_its_line_breaks() -> None:
    check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def f(book, qty):
            logger.warning('Stock too low for book %s (wanted %s, have %s)',
                           book.id, qty, book.stock)
            logger.info(
                "Registering %s (%s).",
                book.name(),
                book.kind,
            )
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)

        def f(book, qty):
            logger.warning('Stock too low for book {book_id} (wanted {qty}, have {book_stock})',
                           book_id=book.id, qty=qty, book_stock=book.stock)
            logger.info(
                "Registering.",
                book_name=book.name(),
                book_kind=book.kind,
            )
        """,
    )


# -- moved calls and the module logger --------------------------------------------


def test_flask_app_logger_and_logging_functions_move_onto_a_new_free_name() -> None:
    check_transformed(
        StructlogLogging,
        '''
        """Factory."""
        import logging

        from flask import Flask


        def create_app(logger=None):
            app = Flask(__name__)
            app.logger.info("created %s", app.name)
            logging.warning("root %s", 1)
            return app
        ''',
        '''
        """Factory."""
        import structlog
        from flask import Flask

        log = structlog.get_logger(__name__)


        def create_app(logger=None):
            app = Flask(__name__)
            log.info("created", app_name=app.name)
            log.warning("root", root=1)
            return app
        ''',
    )


def test_moved_calls_prefer_the_logger_named_after_the_module() -> None:
    check_transformed(
        StructlogLogging,
        """
        import logging
        import flask

        metrics = logging.getLogger("metrics")
        logger = logging.getLogger(__name__)

        def f(x):
            flask.current_app.logger.error("x %s", x)
            metrics.info("m %s", x)
        """,
        """
        import flask
        import structlog

        metrics = structlog.get_logger("metrics")
        logger = structlog.get_logger(__name__)

        def f(x):
            logger.error("x", x=x)
            metrics.info("m", x=x)
        """,
    )


def test_moved_calls_reuse_an_existing_structlog_logger() -> None:
    check_transformed(
        StructlogLogging,
        """
        import structlog
        from flask import current_app as app_proxy

        log = structlog.get_logger(__name__)

        def f(x):
            app_proxy.logger.info("x %s", x)
        """,
        """
        import structlog
        from flask import current_app as app_proxy

        log = structlog.get_logger(__name__)

        def f(x):
            log.info("x", x=x)
        """,
    )


def test_logging_import_stays_while_used() -> None:
    check_transformed(
        StructlogLogging,
        """
        import logging
        from logging import getLogger

        LEVEL = logging.INFO
        logger = getLogger(__name__)
        logger.info("up %s", 1)
        """,
        """
        import logging

        import structlog

        LEVEL = logging.INFO
        logger = structlog.get_logger(__name__)
        logger.info("up", up=1)
        """,
    )


def test_snake_events() -> None:
    check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def f(user, total):
            logger.info("Order paid!")
            logger.info(f"User {user.id} paid {total} (EUR)")
            logger.info("%s", total)
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)

        def f(user, total):
            logger.info("order_paid")
            logger.info("user_paid_eur", user_id=user.id, total=total)
            logger.info("f", total=total)
        """,
        options={"event-style": "snake"},
    )


# -- events ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "event"),
    [
        (["Customer ", 1, " updated their settings"], "Customer updated their settings"),
        (["catalog search q=", 1, " page=", 2, " hits=", 3], "catalog search"),
        (["Bookshop app created (testing=", 1, ")"], "Bookshop app created"),
        (
            ["Stock too low for book ", 1, " (wanted ", 2, ", have ", 3, ")"],
            "Stock too low for book %s (wanted %s, have %s)",
        ),
        (["Shipping order with ", 1], "Shipping order"),
        (["Write failed with ID ", 1, ". Retrying in 5 seconds."], "Write failed. Retrying in 5 seconds."),
        (["Lock acquired for ", 1, " in ", 2, " seconds"], "Lock acquired for %s in %s seconds"),
        (["Download failed. Status code: ", "{r.status_code}", ", content: ", "{r.content}"], "Download failed."),
        (["Login attempt for ", 1, "/", 2, " from ", 3, ": failed"], "Login attempt for %s/%s from %s: failed"),
        (["Synced (took ", 1, "s)"], "Synced (took %ss)"),
        (["Reply from ", 1, " (", 2, ") failed!"], "Reply from %s (%s) failed!"),
        ([1, " raised an exception"], "%s raised an exception"),
        (["[", 1, "] Stopping camera thread"], "Stopping camera thread"),
        (["Rolled back: uri='", 1, "', error='", 2, "'"], "Rolled back"),
        (["Deleted user '", 1, "'."], "Deleted user."),
        (["Moving ", 1, " -> ", 2], "Moving"),
        (["Error: ", 1], "Error"),
        (["Couldn't find setting for key $", 1], "Couldn't find setting for key"),
        ([1, ": ", 2], ""),
        (["Order #", 1, " paid"], "Order paid"),
        # A clause that is only a label and its value goes whole: the key says it.
        (["Cannot remove history. DETAIL: ", 1], "Cannot remove history."),
        (["Invalid credential. Error ", 1], "Invalid credential."),
        (["Send ERROR. status_code => ", "{resp.status_code}"], "Send ERROR."),
        (["Bad token. Token=", "{token}", " , User id= ", "{user_id}", ", Org=", "{org_slug}"], "Bad token."),
        (["Widget HTML: cmd: ", "{cmd}", "; out: ", "{out}", "; status: ", "{status}"], "Widget HTML"),
        (["Write failed (Device ID: ", "{unique_id}", "): ", "{err}", "."], "Write failed."),
        (["Connection test failed, due to: ", 1], "Connection test failed"),
        (["Slow query: ", "{q.statement}", "\nParameters: ", "{q.parameters}", "\n"], "Slow query"),
        (["Function Status Error: ", 1], "Function Status Error"),
        (["Removed ", 1, " from source ", 2, " during cleaning"], "Removed %s from source %s during cleaning"),
        (["Loaded ", 1, " plugins"], "Loaded plugins"),
        (["Uploading to bucket: ", "{bucket}", ", object: ", "{object_name}"], "Uploading to bucket"),
        (["Could not convert, rotate, or invert image: ", "{err}"], "Could not convert, rotate, or invert image"),
        (["Cannot save file, disk full: ", "{err}"], "Cannot save file, disk full"),
        (["Failed to verify token: ", "{token}", ", org=", "{org_slug}"], "Failed to verify token"),
        (["cursor.schema = ", 1], "cursor.schema"),
        (["Seconds per point = ", 1], "Seconds per point"),
        (["Latest version: ", "{latest}", " (newer: ", "{is_newer}", ")"], "Latest version"),
        # A clause left with one word once its value goes is debris: the message's text stays.
        (["Config not found. Using ", 1], "Config not found. Using %s"),
        (["Loaded ", 1, " plugins, skipped ", 2], "Loaded %s plugins, skipped %s"),
    ],
)
def test_event_text(parts: list[object], event: str) -> None:
    """No debris where a value was cut out: a dangling word goes, or the message keeps its placeholders."""
    from flaskmod.codemods.structlog_logging import Field

    # A number is a value named `x`; `"{code}"` a value spelled `code` (a label may name it).
    built = [
        Field(cst.parse_expression(p[1:-1])) if isinstance(p, str) and p.startswith("{") and p.endswith("}") else p
        for p in parts
    ]
    built = [p if isinstance(p, (str, Field)) else Field(cst.Name("x")) for p in built]
    assert event_text(built) == event


def test_snake_event() -> None:
    assert snake_event("Customer updated their settings") == "customer_updated_their_settings"
    assert snake_event("API order (v2) créé!") == "api_order_v2_créé"


# -- the run-level notice --------------------------------------------------------


def test_notice_when_the_project_never_configures_structlog(tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_text("import structlog\nlog = structlog.get_logger()\n")
    notices = StructlogLogging.run_notices([(app, app.read_text())], Project([app]))
    assert len(notices) == 2 and "NO FILE OF THIS PROJECT CONFIGURES STRUCTLOG" in notices[1]
    assert "ProcessorFormatter on every handler" in notices[1] and "ExtraAdder" in notices[1]
    assert StructlogLogging.run_notices([], Project([app])) == []
    settings = tmp_path / "logs.py"
    settings.write_text("import structlog\n\nstructlog.configure(processors=[])\n")
    (configured,) = StructlogLogging.run_notices([(app, app.read_text())], Project([app, settings]))
    assert configured.startswith("LOG LINES CHANGE FORMAT") and "fail2ban" in configured


# -- the sample apps ---------------------------------------------------------------

SAMPLES = Path(__file__).parent.parent.parent / "samples"


def _suite(sample: Path, mode: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOGGING_APP_STRUCTLOG": mode}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=sample,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def _apply(root: Path) -> int:
    result = run(RunRequest(paths=(root,), codemods=(StructlogLogging,), allow_unsafe=True, root=root))
    assert not result.errors
    write_results(result.changed_files)
    return len(result.changed_files)


@pytest.mark.parametrize("name", ["logging_app", "bookshop"])
def test_sample_suite_passes_after_the_rewrite_configured_or_not(name: str, tmp_path: Path) -> None:
    copy = tmp_path / name
    shutil.copytree(SAMPLES / name, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = _suite(copy)
    assert before.returncode == 0, before.stdout + before.stderr
    originals = {p.relative_to(copy): p.read_text() for p in copy.rglob("*.py")}

    assert _apply(copy) > 0
    for path in copy.rglob("*.py"):
        py_compile.compile(str(path), doraise=True)
    for mode in ("", "stdlib", "kwargs") if name == "logging_app" else ("",):
        after = _suite(copy, mode)
        assert after.returncode == 0, (mode, after.stdout + after.stderr)
    assert _apply(copy) == 0, "a second run must change nothing"

    if name == "logging_app":
        # What must stay: a configured logger, legacy helpers of unknown origin, a patched method,
        # a logger the setup module configures, a module that logs with loguru, and the modules
        # that set logging up (`dictConfig`; the factory's `app.logger.addHandler`).
        unchanged_files = (
            *("audit.py", "legacy.py", "reports.py", "payments.py", "notify.py"),
            *("logsetup.py", "__init__.py"),
        )
        for unchanged in (f"logging_app/{name}" for name in unchanged_files):
            assert (copy / unchanged).read_text() == originals[Path(unchanged)], unchanged
        orders = (copy / "logging_app/orders.py").read_text()
        assert "log = structlog.get_logger(__name__)" in orders  # `logger` is a parameter there
        assert 'log.exception("pay failed")' in orders  # the traceback carries the exception


def test_annotated_module_logger_loses_its_stdlib_annotation() -> None:
    record = check_transformed(
        StructlogLogging,
        """
        import logging

        logger: logging.Logger = logging.getLogger(__name__)
        logger.info("up %s", 1)
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)
        logger.info("up", up=1)
        """,
    )
    assert _findings(record) == ["the annotation `logging.Logger` of `logger` is dropped"]


def test_format_argument_shown_twice_is_evaluated_once() -> None:
    check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def f(query):
            logger.debug('Slow query {stars}\\n{query}\\n{stars}'.format(stars='*' * 40, query=query.strip()))
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)

        def f(query):
            logger.debug('Slow query', stars='*' * 40, query=query.strip())
        """,
    )


def test_message_kept_in_a_constant_keeps_its_form() -> None:
    record = check_transformed(
        StructlogLogging,
        """
        import logging
        from . import const as c

        log = logging.getLogger(__name__)

        def f():
            log.warning(c.LOGMSG_WAR_DBI_AVG_ZERODIV)
        """,
        """
        import structlog
        from . import const as c

        log = structlog.get_logger(__name__)

        def f():
            log.warning(c.LOGMSG_WAR_DBI_AVG_ZERODIV)
        """,
    )
    assert _skips(record) == ["message kept as it is: the message is a constant"]


# -- imports and placement ---------------------------------------------------------


def test_structlog_joins_the_third_party_imports_in_isort_order_and_the_logger_follows_every_import() -> None:
    check_transformed(
        StructlogLogging,
        """
        import logging
        import os

        import click
        import tomli
        from flask import current_app

        from .models import Order

        try:
            import ujson as json
        except ImportError:
            import json

        def ship(order):
            current_app.logger.info("Shipping order %s", order.id)
        """,
        """
        import logging
        import os

        import click
        import structlog
        import tomli

        from .models import Order

        try:
            import ujson as json
        except ImportError:
            import json

        logger = structlog.get_logger(__name__)

        def ship(order):
            logger.info("Shipping order", order_id=order.id)
        """,
    )


def test_structlog_starts_a_third_party_section_after_the_standard_library() -> None:
    check_transformed(
        StructlogLogging,
        """
        import logging
        import os

        from .models import Order

        log = logging.getLogger("shop")

        def ship(order):
            log.info("Shipping order %s", order.id)
            logging.info("Shipped %s", order.id)
        """,
        """
        import os

        import structlog

        from .models import Order

        log = structlog.get_logger("shop")

        def ship(order):
            log.info("Shipping order", order_id=order.id)
            log.info("Shipped", order_id=order.id)
        """,
    )


def test_current_app_import_goes_when_its_logger_calls_were_its_only_use() -> None:
    check_transformed(
        StructlogLogging,
        """
        from flask import current_app, request

        def save(record):
            current_app.logger.error("Failed to save %s", record.id)
            return request.path
        """,
        """
        import structlog
        from flask import request

        logger = structlog.get_logger(__name__)

        def save(record):
            logger.error("Failed to save", record_id=record.id)
            return request.path
        """,
    )


def test_a_message_that_is_only_an_exception_is_named_after_its_function() -> None:
    check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def update_record(record):
            try:
                record.save()
            except ValueError as problem:
                logger.error(problem)
                logger.warning(str(problem))
            logger.error(ValueError("at import"))
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)

        def update_record(record):
            try:
                record.save()
            except ValueError as problem:
                logger.error("update_record failed", problem=problem)
                logger.warning("update_record", problem=problem)
            logger.error(ValueError("at import"))
        """,
    )


def test_a_message_that_is_only_another_value_is_named_after_its_function() -> None:
    # The value is the key; the event is searchable. Outside a function it stays the event as written.
    check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def update_record(record, msg, log_data):
            logger.info(msg)
            logger.warning(f"{msg}")
            logger.info("%s", record.status, extra={"user": record.user})
            logger.debug(log_data)

        logger.info(BANNER)
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)

        def update_record(record, msg, log_data):
            logger.info("update_record", msg_value=msg)
            logger.warning("update_record", msg_value=msg)
            logger.info("update_record", record_status=record.status, user=record.user)
            logger.debug("update_record", log_data=log_data)

        logger.info(BANNER)
        """,
    )


def test_an_exception_whose_traceback_is_logged_is_not_logged_again_as_a_key() -> None:
    check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def sync(client, order):
            try:
                client.push(order)
            except OSError as e:
                logger.exception("Push of order %s failed: %s", order.id, e)
                logger.error("Push failed: " + str(e), exc_info=True)
                logger.error("Push failed: %s", e)
            except ValueError as err:
                logger.exception(err)
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)

        def sync(client, order):
            try:
                client.push(order)
            except OSError as e:
                logger.exception("Push of order failed", order_id=order.id)
                logger.error("Push failed", exc_info=True)
                logger.error("Push failed", error=e)
            except ValueError:
                logger.exception("sync failed")
        """,
    )


def test_keys_come_from_the_message_words_or_the_value_never_a_number_or_a_trailing_underscore() -> None:
    check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)
        JOB = "sync"

        def rename(name, src, dst, response):
            logger.info("Deleted user %s", name)
            logger.info("Copied file %s into folder %s", get_name(src), get_name(dst))
            logger.info("Running %s", JOB)
            logger.info("Status code %s", response.json()["code"])
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)
        JOB = "sync"

        def rename(name, src, dst, response):
            logger.info("Deleted user", user_name=name)
            logger.info("Copied file into folder", file_name=get_name(src), folder_name=get_name(dst))
            logger.info("Running", job=JOB)
            logger.info("Status code", response_code=response.json()["code"])
        """,
    )


def test_a_message_with_no_words_of_its_own_is_named_after_its_function() -> None:
    # An event named after one of its keys would be made up (`("Msg", msg_=msg, ...)`); outside a function
    # there is no other name for it, and the call keeps its form.
    record = check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def cmd_output(msg, code):
            logger.debug('{msg}: uid={uid}'.format(msg=msg, uid=code))
            logger.info("%s: %s", msg, code)

        logger.info("%s: %s", __name__, __file__)
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)

        def cmd_output(msg, code):
            logger.debug('cmd_output', msg_value=msg, code=code)
            logger.info("cmd_output", msg_value=msg, code=code)

        logger.info("%s: %s", __name__, __file__)
        """,
    )
    assert _skips(record) == ["message kept as it is: the message has no words of its own to be the event"]


def test_an_exception_no_call_reads_any_more_loses_its_name() -> None:
    # TRY401 drops `e` from a call that logs the traceback; an `as e` nothing reads would be F841.
    check_transformed(
        StructlogLogging,
        """
        import logging

        logger = logging.getLogger(__name__)

        def sync():
            try:
                pull()
            except ValueError as e:
                logger.exception("Sync failed: %s", e)
            except KeyError as err:
                logger.exception("Missing key: %s", err)
                raise err
            except OSError as exc:  # the disk
                logger.error("Disk trouble: %s", exc, exc_info=True)
            except TypeError as problem:
                logger.error("Bad type: %s", problem)
        """,
        """
        import structlog

        logger = structlog.get_logger(__name__)

        def sync():
            try:
                pull()
            except ValueError:
                logger.exception("Sync failed")
            except KeyError as err:
                logger.exception("Missing key")
                raise err
            except OSError:  # the disk
                logger.error("Disk trouble", exc_info=True)
            except TypeError as problem:
                logger.error("Bad type", problem=problem)
        """,
    )
