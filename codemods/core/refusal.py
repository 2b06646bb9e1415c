"""Why a codemod leaves a candidate alone: one exception and one note shape for every codemod.

A refusal carries a human reason (which may quote code) and a stable ``kind`` (a short
slug such as ``"ignored"`` or ``"unbound"``), so ``--statistics`` and reports can group
skips whose reasons differ only in the names they quote.
"""

from __future__ import annotations

# The one wording of an opt-out, for every codemod.
IGNORED_KIND = "ignored"
IGNORED_REASON = "ignored by a `# flaskmod: ignore` comment"


class Refused(Exception):
    """Raised inside a codemod's analysis to leave one candidate alone; caught and recorded as a skip."""

    def __init__(self, reason: str, kind: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
