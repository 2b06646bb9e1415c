"""Running one codemod on a snippet, for the example and edge-case tests."""

from __future__ import annotations

import difflib
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import libcst as cst

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.engine import ChangeRecord, transform_source

# A view whose route decorator is not outermost: route-decorator-order's smallest rewrite.
MISORDERED = """from flask import Flask
from flask_login import login_required

app = Flask(__name__)


@login_required
@app.route("/")
def index():
    return "hi"
"""


def apply_codemod(
    codemod: type[Codemod],
    source: str,
    *,
    options: Mapping[str, Any] | None = None,
    allow_unsafe: bool = True,
) -> tuple[str, ChangeRecord | None]:
    """The code after the codemod, and its change record (None if it noticed nothing)."""
    result = transform_source(
        Path("example.py"),
        "example.py",
        source.encode(),
        (codemod,),
        {codemod.ID: dict(options or {})},
        allow_unsafe,
    )
    assert result.error is None, result.error
    records = [r for r in result.records if r.codemod == codemod.ID]
    return (result.final if result.final is not None else source), (records[0] if records else None)


def _dedent(code: str) -> str:
    return textwrap.dedent(code).lstrip("\n")


def check_noop(codemod: type[Codemod], code: str, **kwargs: Any) -> ChangeRecord | None:
    code = _dedent(code)
    cst.parse_module(code)
    output, record = apply_codemod(codemod, code, **kwargs)
    assert output == code
    return record


def _diff(expected: str, actual: str) -> str:
    """What the codemod wrote that the test did not expect, as a unified diff."""
    lines = difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "expected", "actual")
    return "\n" + "".join(lines)


def check_transformed(codemod: type[Codemod], before: str, after: str, **kwargs: Any) -> ChangeRecord:
    before, after = _dedent(before), _dedent(after)
    cst.parse_module(after)  # the expected code must itself be valid
    output, record = apply_codemod(codemod, before, **kwargs)
    assert output == after, _diff(after, output)
    again, _ = apply_codemod(codemod, output, **kwargs)
    assert again == output, "a second run must change nothing"
    assert record is not None
    return record


def run_sample_suite(folder: Path) -> subprocess.CompletedProcess[str]:
    """Run a sample app's own pytest suite in its folder (a copy, usually)."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
