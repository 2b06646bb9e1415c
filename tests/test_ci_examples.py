"""The CI examples of docs/ci/ run on samples/bookshop: the GitHub Actions workflow's steps, and pre-commit."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).parent.parent
WORKFLOW = ROOT / "docs" / "ci" / "github-actions.yml"
PRE_COMMIT_CONFIG = ROOT / "docs" / "ci" / "pre-commit-config.yaml"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def bookshop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """samples/bookshop as a committed repository of its own; git reads no user configuration."""
    empty = tmp_path / "gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    root = tmp_path / "bookshop"
    shutil.copytree(ROOT / "samples" / "bookshop", root, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "initial")
    return root


def flaskmod_steps() -> dict[str, str]:
    """The workflow's steps that run flaskmod, by name."""
    workflow = yaml.safe_load(WORKFLOW.read_text())
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    return {step["name"]: step["run"] for step in steps if step.get("run", "").startswith("flaskmod ")}


def run_step(command: str, root: Path, summary: Path) -> subprocess.CompletedProcess[str]:
    """As GitHub runs a `run:` step on ubuntu: bash -eo pipefail, with $GITHUB_STEP_SUMMARY set."""
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "GITHUB_STEP_SUMMARY": str(summary)}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_workflow_installs_flaskmod_and_needs_the_code_scanning_permission() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    job = workflow["jobs"]["flaskmod"]
    assert job["permissions"]["security-events"] == "write"
    runs = [step.get("run", "") for step in job["steps"]]
    assert any("pip install" in run and "flaskmod" in run for run in runs)
    uploads = [step for step in job["steps"] if step.get("uses", "").startswith("github/codeql-action/upload-sarif")]
    assert uploads and uploads[0]["with"]["sarif_file"] == "flaskmod.sarif"
    assert list(flaskmod_steps()) == [
        "Findings as annotations and a job summary",
        "SARIF for code scanning",
        "Pending changes as a patch",
    ]


def test_every_flaskmod_step_of_the_workflow_runs_on_the_sample(bookshop: Path, tmp_path: Path) -> None:
    steps = flaskmod_steps()
    summary = tmp_path / "step-summary.md"

    annotations = run_step(steps["Findings as annotations and a job summary"], bookshop, summary)
    # bookshop has a finding that is an error: the step fails, as --fail-on error says.
    assert annotations.returncode == 4, annotations.stderr
    assert "finding(s) at or above --fail-on error" in annotations.stderr
    lines = annotations.stdout.splitlines()
    assert lines and all(line.startswith(("::notice", "::warning", "::error")) for line in lines)
    assert summary.read_text().startswith("# flaskmod migration")

    sarif = run_step(steps["SARIF for code scanning"], bookshop, summary)
    assert sarif.returncode == 0, sarif.stderr
    report = json.loads((bookshop / "flaskmod.sarif").read_text())
    assert report["version"] == "2.1.0" and report["runs"][0]["results"]

    patch = run_step(steps["Pending changes as a patch"], bookshop, summary)
    assert patch.returncode == 1, patch.stderr  # changes are pending
    (bookshop / "flaskmod.sarif").unlink()
    git(bookshop, "apply", "flaskmod.patch")
    (bookshop / "flaskmod.patch").unlink()
    after = run_step(steps["Pending changes as a patch"], bookshop, summary)
    assert after.returncode == 0, after.stderr  # once the patch is applied, nothing is pending
    assert (bookshop / "flaskmod.patch").read_text() == ""


def test_the_pre_commit_example_runs_against_this_checkout(bookshop: Path) -> None:
    if importlib.util.find_spec("pre_commit") is None:
        pytest.skip("the pre-commit framework is not installed (pip install pre-commit)")
    try:
        revision = git(ROOT, "rev-parse", "HEAD").strip()
    except subprocess.CalledProcessError:
        pytest.skip("this checkout is not a git repository")
    config = yaml.safe_load(PRE_COMMIT_CONFIG.read_text())
    assert config["repos"][0]["rev"] == "COMMIT_SHA"  # the placeholder the example asks to replace
    config["repos"][0].update(repo=str(ROOT), rev=revision)
    (bookshop / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git(bookshop, "add", ".pre-commit-config.yaml")
    # pre-commit installs the hook's environment once per revision (about a minute, from PyPI): keep it.
    environment = {**os.environ, "PRE_COMMIT_HOME": str(Path(tempfile.gettempdir()) / "flaskmod-tests-pre-commit")}
    command = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"]
    done = subprocess.run(command, cwd=bookshop, env=environment, capture_output=True, text=True, check=False)
    if "An unexpected error has occurred" in done.stdout + done.stderr and "pip" in done.stdout + done.stderr:
        pytest.skip(f"pre-commit could not install the hook's environment (offline?): {done.stdout[-300:]}")
    # bookshop has a change pending: flaskmod-check fails the commit and writes nothing.
    assert done.returncode == 1, done.stdout + done.stderr
    assert "flaskmod (check only)" in done.stdout and "Failed" in done.stdout
    assert "- exit code: 1" in done.stdout and "bookshop/views/orders.py  would change" in done.stdout
    assert git(bookshop, "status", "--porcelain") == "A  .pre-commit-config.yaml\n"
