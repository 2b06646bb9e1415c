"""The project-wide check: does any scanned file configure structlog?

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
)


def configures_structlog(text: str) -> bool:
    """The file's text calls `structlog.configure` (or imports `configure` from structlog)."""
    return "structlog" in text and CONFIGURES_STRUCTLOG.search(text) is not None


def unconfigured_notices(changed: Sequence[tuple[Path, str]], project: Project) -> list[str]:
    """The notice when files changed and no scanned file configures structlog."""
    if not changed:
        return []
    if any(configures_structlog(text) for _, text in project.texts(project.scanned)):
        return []
    return [UNCONFIGURED_NOTICE]
