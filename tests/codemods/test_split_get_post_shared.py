"""split-get-post's shared setup: one helper both views call, only where moving the code changes nothing."""

from __future__ import annotations

import textwrap

from flaskmod.codemods.split_get_post import SplitGetPost
from tests.helpers import apply_codemod

STYLES = {"route-style": "shortcut", "split-style": "functions"}
HEAD = """\
from flask import Flask, request

app = Flask(__name__)


@app.route("/item/<int:item_id>", methods=["GET", "POST"])
def item(item_id, *args):
"""


def split(setup: str, rest: str = "") -> str:
    body = textwrap.indent(textwrap.dedent(setup) + textwrap.dedent(rest), "    ")
    tail = '    if request.method == "POST":\n        return save(a, b)\n    return show(a)\n'
    output, _ = apply_codemod(SplitGetPost, HEAD + body + tail, options=STYLES)
    return output


FOUR = "a = load(item_id)\nb = other()\ncheck(a)\nlog(a)\n"


def test_four_shared_statements_become_one_helper() -> None:
    output = split(FOUR)
    assert "def _prepare_item(item_id):" in output
    assert output.count("a, b = _prepare_item(item_id)") == 2
    assert "    return a, b\n" in output


def test_three_shared_statements_stay_copied() -> None:
    output = split("a = load(item_id)\nb = other()\ncheck(a)\n")
    assert "_prepare_item" not in output
    assert output.count("a = load(item_id)") == 2


def test_a_return_ends_the_shared_code() -> None:
    output = split("a = load(item_id)\nif not a:\n    return missing()\nb = other()\ncheck(a)\nlog(a)\n")
    assert "_prepare_item" not in output


def test_a_closure_or_a_star_parameter_keeps_the_copies() -> None:
    assert "_prepare_item" not in split("a = load(item_id)\nb = other()\nf = lambda: a\nlog(a)\n")
    assert "_prepare_item" not in split("a = load(*args)\nb = other()\ncheck(a)\nlog(a)\n")


def test_a_value_bound_on_some_paths_only_keeps_the_copies() -> None:
    # `return a, b` in a helper would fail where the view only failed on reading `b` later.
    output = split("a = load(item_id)\nif a:\n    b = other()\ncheck(a)\nlog(a)\n")
    assert "_prepare_item" not in output


def test_a_local_bound_later_keeps_the_copies() -> None:
    # `c` is the view's local (bound in the POST branch): in a helper it would be a global.
    setup = "a = load(item_id, c)\nb = other()\ncheck(a)\nlog(a)\n"
    source = (
        HEAD
        + textwrap.indent(setup, "    ")
        + '    if request.method == "POST":\n        c = 1\n        return save(a, b)\n    return show(a)\n'
    )
    output, _ = apply_codemod(SplitGetPost, source, options=STYLES)
    assert "load(item_id, c)" in output
    assert "_prepare_item" not in output


def test_more_than_four_values_keep_the_copies() -> None:
    setup = "a = load(item_id)\nb = other()\nc = x()\nd = y()\ne = z()\n"
    output, _ = apply_codemod(
        SplitGetPost,
        HEAD
        + textwrap.indent(setup, "    ")
        + '    if request.method == "POST":\n        return save(a, b, c, d, e)\n    return show(a)\n',
        options=STYLES,
    )
    assert "_prepare_item" not in output
