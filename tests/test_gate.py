"""Gates and CI outputs: --fail-on (exit 4), GitHub's annotation cap and job summary."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from flaskmod.cli import main
from flaskmod.codemods.core.base import Note, Safety
from flaskmod.codemods.core.formats import failing_findings, github_annotations, is_error_finding
from flaskmod.codemods.core.results import ChangeRecord, FileResult, RunResult
from tests.test_cli import MISORDERED


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    for name in ("a.py", "b.py"):
        (root / "app" / name).write_text(MISORDERED)
    monkeypatch.chdir(root)
    return root


def invoke(*args: str, env: dict[str, str] | None = None) -> object:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def _result(findings: list[Note], files: int = 1) -> RunResult:
    """``files`` files, each with one unchanged record holding ``findings``."""
    return RunResult(
        files=[
            FileResult(
                path=Path(f"m{i}.py"),
                display=f"m{i}.py",
                records=[ChangeRecord("demo", Safety.SAFE, "x = 1\n", "x = 1\n", findings=list(findings))],
            )
            for i in range(files)
        ],
        scanned=files,
    )


# -- which findings are errors ---------------------------------------------------------


def test_a_finding_naming_another_place_or_marked_error_is_an_error() -> None:
    assert is_error_finding(Note(3, "templates/a.html:2 names `edit`", related=("templates/a.html", 2)))
    assert is_error_finding(Note(3, "marked by its codemod", kind="error"))
    assert not is_error_finding(Note(3, "`@login_required` is above `@app.route`"))


def test_failing_findings_counts_what_reaches_the_level() -> None:
    result = _result([Note(1, "a warning"), Note(2, "breaks a template", related=("t.html", 1))])
    assert [failing_findings(result, level) for level in ("never", "error", "finding")] == [0, 1, 2]


# -- --fail-on and `fail-on` -------------------------------------------------------------


def test_fail_on_finding_exits_4_and_says_why(project: Path) -> None:
    assert invoke("run", "--dry-run", "--format", "diff", ".").exit_code == 0
    result = invoke("run", "--dry-run", "--format", "diff", "--fail-on", "finding", ".")
    assert result.exit_code == 4
    assert "2 finding(s) at or above --fail-on finding" in result.stderr
    # A decorator that never runs for requests is a live defect: an error gate fails on it too.
    assert invoke("run", "--dry-run", "--format", "diff", "--fail-on", "error", ".").exit_code == 4


def test_fail_on_from_the_config_and_the_command_line_overrides_it(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.flaskmod]\nfail-on = "finding"\n')
    assert invoke("run", "--dry-run", "--format", "diff", ".").exit_code == 4
    assert invoke("run", "--dry-run", "--format", "diff", "--fail-on", "never", ".").exit_code == 0


def test_a_bad_fail_on_value_is_a_configuration_error(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.flaskmod]\nfail-on = "warning"\n')
    result = invoke("run", "--dry-run", ".")
    assert result.exit_code == 2 and "`fail-on` must be one of 'never', 'error', 'finding'" in result.stderr


def test_pending_changes_keep_exit_1_over_the_gate(project: Path) -> None:
    assert invoke("run", "--check", "--unsafe", "--format", "diff", "--fail-on", "finding", ".").exit_code == 1


# -- --format github ----------------------------------------------------------------------


def test_github_starts_with_one_summary_notice(project: Path) -> None:
    lines = invoke("run", "--dry-run", "--unsafe", "--format", "github", ".").stdout.splitlines()
    assert lines[0] == (
        "::notice title=flaskmod::2 changes in 2 files, 2 findings (2 errors), "
        "0 unsafe left out, 2 unsafe applied, 0 skipped, 0 files not processed"
    )
    assert len(lines) == 1 + 2 + 2 + 2  # the summary, 2 changes, 2 findings, 2 unsafe changes applied


def test_github_caps_each_level_at_ten_and_says_how_many_more() -> None:
    findings = [Note(i, f"warning {i}") for i in range(1, 8)] + [Note(1, "breaks t.html", related=("t.html", 1))]
    lines = github_annotations(_result(findings, files=3)).splitlines()
    levels = [line.split(" ", 1)[0].split("::")[1] for line in lines]
    assert levels.count("warning") == 10 and levels.count("error") == 3
    # 21 warnings, 10 shown: the 11 others are named in the summary.
    assert lines[0].endswith(
        "11 more annotations (GitHub shows 10 per level) are in `flaskmod run --dry-run --format markdown`"
    )
    assert lines[1].startswith("::error file=m0.py,line=1,")  # errors first


def test_github_appends_a_job_summary_when_github_sets_one(project: Path, tmp_path: Path) -> None:
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n")
    result = invoke("run", "--dry-run", "--format", "github", ".", env={"GITHUB_STEP_SUMMARY": str(summary)})
    text = summary.read_text()
    assert text.startswith("earlier step\n# flaskmod migration")
    assert "## `route-decorator-order`" in text
    assert result.stdout.startswith("::notice title=flaskmod::")


# -- --format markdown under a budget ------------------------------------------------------


def test_a_small_run_is_complete_and_folded(project: Path) -> None:
    text = invoke("run", "--dry-run", "--unsafe", "--format", "markdown", ".").stdout
    assert text.startswith("# flaskmod migration\n\n2 file(s) changed out of 2 scanned; 2 finding(s);")
    assert "<details><summary>2 file(s) changed, 2 finding(s)</summary>" in text
    assert text.count("```diff") == 2 and "Trimmed" not in text and "more diff(s)" not in text
    assert text.count("<details>") == text.count("</details>")


def test_a_big_run_stays_under_the_limit_and_says_what_was_trimmed(project: Path) -> None:
    body = "".join(
        f"\n\n@login_required\n@app.route('/p{i}')\ndef page_{i}():\n    return 'x' * {i}\n" for i in range(4)
    )
    for n in range(20):
        (project / "app" / f"big{n}.py").write_text(MISORDERED + body)
    result = invoke("run", "--dry-run", "--unsafe", "--format", "markdown", "--max-markdown-chars", "48000", ".")
    text = result.stdout
    assert len(text) <= 48000
    assert text.startswith("# flaskmod migration\n\n22 file(s) changed")
    # Never trimmed: every unsafe change applied, right under the summary.
    assert "**102 unsafe change(s) applied: behaviour may change.**" in text and text.count("> - `app/") == 102
    trimmed = next(line for line in text.splitlines() if line.startswith("> **Trimmed:**"))
    shown = text.count("```diff")
    assert 0 < shown < 22
    assert f"{22 - shown} of 22 diff(s) are left out to keep this description under 48,000 characters" in trimmed
    assert "`flaskmod run --dry-run --format diff > flaskmod.patch`" in trimmed
    assert f"_{22 - shown} more diff(s) of this codemod are in the full patch._" in text
    assert text.count("<details>") == text.count("</details>")
    # Every changed file is still listed; the default budget holds them all.
    assert text.count("| `app/big") == 20
    assert "Trimmed" not in invoke("run", "--dry-run", "--unsafe", "--format", "markdown", ".").stdout


def test_lists_over_the_budget_are_cut_at_a_line_and_closed(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.flaskmod]\nmax-markdown-chars = 2000\n")
    body = "".join(f"\n\n@login_required\n@app.route('/p{i}')\ndef page_{i}():\n    return ''\n" for i in range(40))
    (project / "app" / "big.py").write_text(MISORDERED + body)
    text = invoke("run", "--dry-run", "--format", "markdown", ".").stdout
    assert len(text) <= 2000
    assert "> **Cut:** this description stops here to stay under 2,000 characters" in text
    assert text.count("<details>") == text.count("</details>")


def test_a_too_small_budget_is_a_configuration_error(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.flaskmod]\nmax-markdown-chars = 100\n")
    result = invoke("run", "--dry-run", ".")
    assert result.exit_code == 2 and "`max-markdown-chars` must be a whole number of at least 2000" in result.stderr


def test_a_finding_on_a_plain_remark_passes_the_error_gate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # unify-aborts' "error styles in this file" is a remark, not a defect.
    (tmp_path / "views.py").write_text(
        "from flask import Blueprint, abort\nbp = Blueprint('x', __name__)\n\n@bp.route('/a')\ndef a():\n"
        "    abort(404)\n\n@bp.route('/b')\ndef b():\n    return 'no', 404\n"
    )
    monkeypatch.chdir(tmp_path)
    args = ("run", "--dry-run", "--no-progress", "--select", "unify-aborts", ".")
    assert invoke(*args, "--fail-on", "finding").exit_code == 4
    assert invoke(*args, "--fail-on", "error").exit_code == 0


def test_github_shows_every_unsafe_change_applied_past_the_cap() -> None:
    result = _result([Note(1, "a warning")])
    result.files[0].records[0].unsafe_applied = [Note(i, f"moves endpoint {i}") for i in range(1, 13)]
    lines = github_annotations(result).splitlines()
    warnings = [line for line in lines if line.startswith("::warning")]
    assert len(warnings) == 10  # GitHub's cap: the finding is left out, no unsafe change is
    assert all("unsafe change applied" in line or "more unsafe changes applied" in line for line in warnings)
    assert [f"moves endpoint {i}" in "".join(warnings[:9]) for i in range(1, 10)] == [True] * 9
    assert warnings[9].startswith("::warning file=m0.py,line=10,")
    assert warnings[9].endswith(
        "::3 more unsafe changes applied (behaviour may change; review each):"
        "%0Am0.py:10 (demo): moves endpoint 10%0Am0.py:11 (demo): moves endpoint 11"
        "%0Am0.py:12 (demo): moves endpoint 12"
    )
    assert "12 unsafe applied" in lines[0] and "1 more annotations" in lines[0]
