"""The recommended structlog configuration, executed as documented, keeps existing handlers useful.

A corpus of stdlib log calls is rewritten by the codemod; both versions run through the
same two existing handlers (a plain text one and a JSON one), before and after
``configure_structlog`` from ``RECOMMENDED_CONFIGURATION`` (the text `flaskmod explain`
shows). The records are compared: words of the message, values (rendered as `%s`
rendered them), traceback, `extra`, level and call site.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest

structlog = pytest.importorskip("structlog")

from flaskmod.codemods.structlog_logging import StructlogLogging  # noqa: E402
from flaskmod.codemods.structlog_logging.configuration import RECOMMENDED_CONFIGURATION  # noqa: E402
from tests.helpers import apply_codemod  # noqa: E402

CORPUS = """
import datetime
import decimal
import logging
import pathlib
import uuid

logger = logging.getLogger("corpus")
legacy = logging.getLogger("corpus.legacy")  # flaskmod: ignore[structlog-logging]


class Job:
    def __init__(self, id):
        self.id = id

    def __str__(self):
        return f"<Job {self.id}: store.add_checksum(...)>"

    def __repr__(self):
        return f"Job({self.id!r}, enqueued_at=None)"


JOB = Job("5f1c")
WHEN = datetime.datetime(2024, 5, 1, 12, 30)
PATH = pathlib.Path("/srv/exports/orders.csv")
TOKEN = uuid.UUID("12345678-1234-5678-1234-567812345678")
PRICE = decimal.Decimal("19.90")


def percent():
    logger.info("Job %s finished with %d rows", JOB, 3)


def fstring():
    logger.warning(f"Job {JOB} retried at {WHEN}")


def concatenation():
    logger.info("Exported to " + str(PATH))


def format_method():
    logger.debug("Token {} charged {}".format(TOKEN, PRICE))


def with_extra():
    logger.info("Order shipped", extra={"order_id": 42, "carrier": "ups"})


def with_traceback():
    try:
        raise ValueError("bad job")
    except ValueError:
        logger.error("Job %s failed", JOB, exc_info=True)


def still_stdlib():
    legacy.info("Legacy export of %s", JOB, extra={"batch": 7})
"""

CASES = ("percent", "fstring", "concatenation", "format_method", "with_extra", "with_traceback", "still_stdlib")
# Keys the configuration adds to every event.
META = {"event", "level", "logger", "timestamp", "filename", "func_name", "lineno", "exception"}


class ListHandler(logging.Handler):
    """An application's existing handler: what it writes is kept."""

    def __init__(self, formatter: logging.Formatter) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.setFormatter(formatter)

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


class JsonFormatter(logging.Formatter):
    """What JSON logging libraries write: the message, the level, the extras, the traceback."""

    STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message"}

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {"message": record.getMessage(), "level": record.levelname}
        data.update({k: v for k, v in vars(record).items() if k not in self.STANDARD})
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str)


def _module(source: str, name: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": name}
    exec(compile(source, f"{name}.py", "exec"), namespace)
    return namespace


@pytest.fixture
def handlers() -> Iterator[tuple[ListHandler, ListHandler]]:
    plain = ListHandler(logging.Formatter("%(levelname)s:%(name)s:%(message)s"))
    as_json = ListHandler(JsonFormatter())
    corpus = logging.getLogger("corpus")
    old_level, old_propagate = corpus.level, corpus.propagate
    corpus.setLevel(logging.DEBUG)
    corpus.propagate = False
    corpus.addHandler(plain)
    corpus.addHandler(as_json)
    try:
        yield plain, as_json
    finally:
        corpus.removeHandler(plain)
        corpus.removeHandler(as_json)
        corpus.setLevel(old_level)
        corpus.propagate = old_propagate
        structlog.reset_defaults()


def _run(namespace: dict[str, Any], handlers: tuple[ListHandler, ListHandler]) -> dict[str, tuple[str, str]]:
    """What each handler wrote for each case."""
    written = {}
    for case in CASES:
        for handler in handlers:
            handler.lines.clear()
        namespace[case]()
        plain, as_json = handlers
        assert len(plain.lines) == len(as_json.lines) == 1, case
        written[case] = (plain.lines[0], as_json.lines[0])
    return written


def _without_line_numbers(traceback: str) -> str:
    return re.sub(r'File "[^"]+", line \d+', "File, line", traceback)


def test_rewritten_calls_keep_their_records_through_existing_handlers(handlers) -> None:
    after_source, _record = apply_codemod(StructlogLogging, CORPUS)
    assert 'structlog.get_logger("corpus")' in after_source and "legacy = logging.getLogger" in after_source
    before = _run(_module(CORPUS, "corpus_before"), handlers)

    configuration = _module(RECOMMENDED_CONFIGURATION, "recommended")
    configuration["configure_structlog"](logging.getLogger("corpus"))
    after = _run(_module(after_source, "corpus_after"), handlers)

    for case in CASES:
        plain_before, json_before = before[case]
        old = json.loads(json_before)
        assert plain_before.split("\n")[0].endswith(old["message"]), case
        plain_after, json_after = after[case]
        new = json.loads(json_after)  # never a raw event dict
        from_plain = json.loads(plain_after)
        assert from_plain.pop("timestamp") and new.pop("timestamp"), case
        assert from_plain == new, f"{case}: both existing handlers render the event"
        assert new["level"] == old["level"].lower(), case
        assert new["logger"] == ("corpus.legacy" if case == "still_stdlib" else "corpus"), case
        assert new["func_name"] == case and new["filename"] == "corpus_after.py", case
        # The event is the message's own words (its placeholders kept where a cut would leave debris);
        # each value renders as `%s` rendered it.
        words = {w for w in new["event"].split() if not re.fullmatch(r"%\w|\{\w*\}", w)}
        assert words <= set(old["message"].split()), case
        for key, value in new.items():
            if key in META:
                continue
            assert isinstance(value, (str, int, float, bool)), (case, key, value)
            assert str(value) in old["message"] or old.get(key) == value, (case, key, value, old)
        # `extra` stays, as keys.
        for key, value in old.items():
            if key not in {"message", "level", "exc"}:
                assert new[key] == value, (case, key)
        assert ("exc" in old) == ("exception" in new), case
        if "exc" in old:
            assert _without_line_numbers(new["exception"]) == _without_line_numbers(old["exc"]), case


def test_values_render_as_their_str() -> None:
    str_values = _module(RECOMMENDED_CONFIGURATION, "recommended")["str_values"]
    job = _module(CORPUS.split("JOB =")[0], "jobs")["Job"]("5f1c")
    rendered = str_values(None, "info", {"job": job, "rows": 3, "ok": True, "none": None, "ids": [1, 2]})
    expected = {"job": "<Job 5f1c: store.add_checksum(...)>", "rows": 3, "ok": True, "none": None, "ids": "[1, 2]"}
    assert rendered == expected


def test_the_documentation_shows_the_configuration_the_test_runs() -> None:
    assert RECOMMENDED_CONFIGURATION.strip() in StructlogLogging.documentation()
    for name in ("ProcessorFormatter", "ExtraAdder", "CallsiteParameterAdder", "UnicodeDecoder"):
        assert f"structlog.stdlib.{name}" in RECOMMENDED_CONFIGURATION or f"structlog.processors.{name}" in (
            RECOMMENDED_CONFIGURATION
        )
