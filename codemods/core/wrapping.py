"""Writing a bracketed construct the way black and ruff's formatter would: new code passes `ruff format`.

Generated statements (a MethodView's ``decorators = [...]``, an ``add_url_rule(...)``
call) are written as text and then parsed. Written on one line they can run past the
formatter's limit, and a project that checks formatting in CI would fail on them.
"""

from __future__ import annotations

from collections.abc import Sequence

LINE_LENGTH = 88  # black's and ruff's default


def bracketed(
    head: str,
    items: Sequence[str],
    close: str,
    indent: str = "",
    *,
    collection: bool = False,
    step: str = "    ",
    line_length: int = LINE_LENGTH,
) -> str:
    """``head`` + items + ``close`` (``head`` ends with the opening bracket), wrapped as the formatter wraps it.

    On one line when it fits. Else a call's arguments go on one line of their own when they
    fit there; a collection literal (``collection``), or arguments that do not fit, go one
    item a line with a trailing comma. ``line_length``: the project's (``core.line_length``).
    """
    joined = ", ".join(items)
    one_line = f"{indent}{head}{joined}{close}"
    if len(one_line) <= line_length or not items:
        return one_line
    inner = indent + step
    if not collection and len(inner + joined) <= line_length:
        return f"{indent}{head}\n{inner}{joined}\n{indent}{close}"
    lines = "".join(f"{inner}{item},\n" for item in items)
    return f"{indent}{head}\n{lines}{indent}{close}"
