"""core/wrapping.py: generated brackets wrapped as black and ruff's formatter wrap them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from flaskmod.codemods.core.wrapping import bracketed

LONG = ["ratelimit(method='POST', limit=10, interval=5)", "require_team_mode", "authed_only_for_this_view"]


def test_short_fits_on_one_line() -> None:
    assert bracketed("f(", ["a", "b=1"], ")") == "f(a, b=1)"


def test_a_call_hugs_its_arguments_on_one_line_then_explodes() -> None:
    items = ["'/a/long/rule/<int:item_id>/edit'", "view_func=edit_item_view", "methods=['GET', 'POST']"]
    assert bracketed("bp.add_url_rule(", items, ")") == f"bp.add_url_rule(\n    {', '.join(items)}\n)"
    exploded = bracketed("bp.add_url_rule(", [*LONG, "x" * 30], ")")
    assert exploded.endswith(",\n)") and exploded.count("\n") == len(LONG) + 2


def test_a_collection_goes_one_item_a_line() -> None:
    code = bracketed("decorators = [", LONG, "]", indent="    ", collection=True)
    assert code == "    decorators = [\n" + "".join(f"        {item},\n" for item in LONG) + "    ]"


@pytest.mark.parametrize("collection", [False, True])
def test_the_output_is_what_ruff_format_keeps(collection: bool) -> None:
    head = "decorators = [" if collection else "bp.add_url_rule("
    close = "]" if collection else ")"
    for items in (LONG[:1], LONG, [*LONG, "x" * 40]):
        code = bracketed(head, [item.replace("'", '"') for item in items], close, collection=collection) + "\n"
        formatted = subprocess.run(
            [sys.executable, "-m", "ruff", "format", "--isolated", "-"],
            input=code,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert formatted == code
