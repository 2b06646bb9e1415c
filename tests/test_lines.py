"""Every format reports lines of the file in the tree, not of a codemod's intermediate text."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from flaskmod.cli import main
from flaskmod.codemods.core.lines import compose, line_origins, origin_of

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

# split-get-post adds lines above the `a` view; unify-aborts then reports on `abort(404)` (line 16)
# and skips the text return (line 21) of the text split-get-post handed it.
TWO_CODEMODS = """\
from flask import Blueprint, abort, request

bp = Blueprint("x", __name__)


@bp.route("/form", methods=["GET", "POST"])
def form():
    if request.method == "POST":
        save()
        return "saved"
    return "form"


@bp.route("/a")
def a():
    abort(404)


@bp.route("/b")
def b():
    return "no", 404
"""


def test_kept_lines_map_to_where_they_were() -> None:
    before = "a\nb\nc\nd\n"
    assert line_origins(before, "a\nx\ny\nb\nc\nd\n") == [1, 2, 2, 2, 3, 4]
    assert line_origins(before, "a\nd\n") == [1, 4]
    assert line_origins(before, "a\nB\nc\nd\n") == [1, 2, 3, 4]
    assert line_origins(before, before) == [1, 2, 3, 4]
    assert line_origins("", "new\n") == [1]


def test_maps_compose_through_codemods() -> None:
    first = line_origins("a\nb\n", "x\na\nb\n")  # B's lines in A
    second = line_origins("x\na\nb\n", "x\ny\na\nb\n")  # C's lines in B
    assert compose(second, first) == [1, 1, 1, 2]
    assert origin_of(4, compose(second, first)) == 2 and origin_of(0, first) == 0 and origin_of(3, None) == 3


def _run(tmp_path: Path, output_format: str) -> str:
    (tmp_path / "views.py").write_text(TWO_CODEMODS)
    args = ["run", "--dry-run", "--unsafe", "--no-progress", "--select", "split-get-post,unify-aborts"]
    result = CliRunner().invoke(main, [*args, "--format", output_format, str(tmp_path)])
    return result.output + result.stderr


def test_diff_format_lines_are_the_tree_s(tmp_path: Path) -> None:
    shown = _run(tmp_path, "diff")
    assert "views.py:16: unify-aborts: error styles" in shown
    assert "views.py:21: unify-aborts: skipped" in shown


def test_sarif_and_github_lines_are_the_tree_s(tmp_path: Path) -> None:
    sarif = json.loads(_run(tmp_path, "sarif").split("\nflaskmod:")[0])
    lines = {
        r["message"]["text"].split(":")[0]: r["locations"][0]["physicalLocation"]["region"]["startLine"]
        for r in sarif["runs"][0]["results"]
        if r["ruleId"] == "unify-aborts"
    }
    assert sorted(set(lines.values())) == [16, 21], lines
    github = _run(tmp_path, "github")
    assert "line=16," in github and "line=21," in github


def test_a_module_the_run_creates_is_anchored_on_the_change_that_creates_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SAMPLES / "fat_views", tmp_path / "fat_views")
    monkeypatch.chdir(tmp_path / "fat_views")
    args = ["run", "--dry-run", "--unsafe", "--no-progress", "--select", "extract-services", "--format", "sarif"]
    result = CliRunner().invoke(main, [*args, "."])
    document = json.loads(result.stdout)
    located = [
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["message"]["text"])
        for r in document["runs"][0]["results"]
    ]
    assert not (tmp_path / "fat_views" / "fatshop" / "services.py").exists()
    assert not any(uri.endswith("services.py") for uri, _ in located)
    creating = [text for uri, text in located if uri == "fatshop/views.py" and "would create" in text]
    assert [re.sub(r"\d+", "N", text) for text in creating] == [
        "extract-services would create fatshop/services.py (+N lines) for this change"
    ]
