"""The run-level notices: log lines change format, and whether any scanned file configures structlog.

It runs once per run, in the main process, from ``StructlogLogging.run_notices``, over the
texts of the run's files as the engine's project gives them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from flaskmod.codemods.core.project import Project

CONFIGURES_STRUCTLOG = re.compile(
    r"structlog\s*\.\s*(?:configure|configure_once)\s*\(|from\s+structlog\s+import\s+[^\n]*\bconfigure"
)

UNCONFIGURED_NOTICE = (
    "NO FILE OF THIS PROJECT CONFIGURES STRUCTLOG. Unconfigured, structlog prints every event "
    "(debug included) to stdout and bypasses your logging handlers, Flask's dictConfig and pytest's "
    "caplog. Route it through stdlib logging at startup, after your handlers exist: copy "
    "`configure_structlog` from `flaskmod explain structlog-logging` and call "
    "`configure_structlog(app.logger)`. It puts a structlog.stdlib.ProcessorFormatter on every handler "
    "of the root logger and of the loggers you pass (your existing handlers keep working instead of "
    "printing raw event dicts), with structlog.stdlib.ExtraAdder (extra= of stdlib calls), "
    "structlog.processors.CallsiteParameterAdder (file, function, line) and "
    "structlog.processors.UnicodeDecoder in its foreign_pre_chain, format_exc_info for tracebacks, and "
    "`str_values`, which renders values as their str() the way the old `%s` did (structlog's renderers "
    "print repr())."
)

FORMAT_NOTICE = (
    "LOG LINES CHANGE FORMAT: each rewritten call now logs a short event with the values as keys instead "
    "of a sentence with the values in it. Anything that matches the old text must be updated in the same "
    "release: fail2ban filters, alert and monitoring rules, saved log searches and dashboards, and tests "
    "that assert on log messages."
)


def configures_structlog(text: str) -> bool:
    """The file's text calls `structlog.configure` (or imports `configure` from structlog)."""
    return "structlog" in text and CONFIGURES_STRUCTLOG.search(text) is not None


def run_notices(changed: Sequence[tuple[Path, str]], project: Project) -> list[str]:
    """When files changed: log lines change format; and the configuration, when no scanned file configures structlog."""
    if not changed:
        return []
    if any(configures_structlog(text) for _, text in project.texts(project.scanned)):
        return [FORMAT_NOTICE]
    return [FORMAT_NOTICE, UNCONFIGURED_NOTICE]
