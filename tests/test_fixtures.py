"""Fixture cases: ``tests/fixtures/<codemod-id>/<case>/``, each a small project run through the CLI.

A case folder holds
- ``input/``: the project as it is (a ``pyproject.toml`` there sets the codemod's options);
- ``output/``: every file of the project after ``flaskmod run --unsafe --select <codemod-id> .``
  (created files, such as services modules, included);
- ``report.txt``: what the run said, one ``path:line: kind: message`` line per finding, skip,
  unsafe change and error (kind is finding, skip, unsafe or error).

The runner checks the output tree, the report, and that a second run finds nothing
(idempotence in one step). ``pytest tests/test_fixtures.py --update-fixtures`` rewrites
``output/`` and ``report.txt`` from what flaskmod does now: review that diff like code.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from flaskmod.cli import main
from flaskmod.codemods.core.registry import codemod_ids

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p for p in FIXTURES.glob("*/*") if (p / "input").is_dir())


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["run", "--no-progress", *args], catch_exceptions=False)
    return result.exit_code, result.stdout


def _files(root: Path) -> dict[str, bytes]:
    """The tree's files, without flaskmod's own result cache (the runs below fill and reuse it)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".flaskmod_cache" not in p.relative_to(root).parts
    }


def report_lines(document: dict) -> list[str]:
    """The JSON report's notes as ``path:line: kind: message`` lines, in file order."""
    lines: list[str] = []
    for file in document["files"]:
        for change in file["changes"]:
            for key, kind, text in (
                ("findings", "finding", "message"),
                ("skipped", "skip", "reason"),
                ("unsafe_applied", "unsafe", "message"),
            ):
                lines += [f"{file['path']}:{note['line']}: {kind}: {note[text]}" for note in change[key]]
    lines += [f"{e['path']}:{e['line'] or 0}: error: {e['message']}" for e in document["errors"]]
    return lines


def test_every_case_names_a_codemod() -> None:
    assert CASES, "no fixture cases found"
    assert {case.parent.name for case in CASES} <= set(codemod_ids())


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.parent.name}/{case.name}")
def test_fixture_case(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    codemod = case.parent.name
    tree = tmp_path / "project"
    shutil.copytree(case / "input", tree)
    monkeypatch.chdir(tree)
    select = ("--unsafe", "--select", codemod)

    code, stdout = _invoke("--dry-run", "--format", "json", *select, ".")
    assert code in (0, 1), stdout
    report = "\n".join(report_lines(json.loads(stdout))) + "\n"
    code, _ = _invoke("--allow-dirty", *select, ".")
    assert code in (0, 1)
    produced = _files(tree)

    if request.config.getoption("--update-fixtures"):
        shutil.rmtree(case / "output", ignore_errors=True)
        shutil.copytree(tree, case / "output", ignore=shutil.ignore_patterns(".flaskmod_cache"))
        (case / "report.txt").write_text(report)
    assert produced == _files(case / "output"), "output differs: rerun with --update-fixtures and review the diff"
    assert report == (case / "report.txt").read_text()
    code, stdout = _invoke("--dry-run", "--format", "diff", *select, ".")
    assert stdout == "", f"a second run still changes something:\n{stdout}"
