"""``--commit`` on a repository with its own pre-commit hooks: a hook that rewrites files, --no-verify, --fail-on."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import FIXED
from tests.test_git_safety import commit_run, git, history, hook, invoke, project, views

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

__all__ = ["project"]  # the fixture, shared with test_git_safety

# structlog-logging turns `import logging` into `import structlog` in a block of its own, after
# imports an import sorter would order too (zlib before os).
BILLING = (
    "import logging\nimport zlib\nimport os\n\nlog = logging.getLogger(__name__)\n\n\n"
    'def charge(order):\n    log.info("Charging %s", order)\n    return zlib, os\n'
)
SORTED_BILLING = (
    "import os\nimport zlib\n\nimport structlog\n\nlog = structlog.get_logger(__name__)\n\n\n"
    'def charge(order):\n    log.info("Charging", order=order)\n    return zlib, os\n'
)

# An isort-like pre-commit hook: sorts each run of `import` lines of the staged Python files,
# rewrites the files it changed and fails, as isort and ruff do under pre-commit.
SORT_IMPORTS = """
import sys

changed = False
for name in sys.argv[1:]:
    lines = open(name).read().splitlines(keepends=True)
    out, block = [], []
    for line in [*lines, None]:
        if line is not None and line.startswith("import "):
            block.append(line)
            continue
        out += sorted(block)
        block = []
        if line is not None:
            out.append(line)
    if out != lines:
        open(name, "w").write("".join(out))
        print(f"Fixing {name}", file=sys.stderr)
        changed = True
sys.exit(1 if changed else 0)
"""


def staged_python_hook(command: str) -> str:
    return (
        "files=$(git diff --cached --name-only --diff-filter=ACM -- '*.py')\n"
        '[ -z "$files" ] && exit 0\n'
        f"{command} $files\n"
    )


def python_sorter(root: Path) -> str:
    script = root.parent / "sort_imports.py"
    script.write_text(SORT_IMPORTS)
    return f"'{sys.executable}' '{script}'"


def ruff_sorter(root: Path) -> str:
    ruff = Path(sys.executable).parent / "ruff"
    if not ruff.exists():
        pytest.skip("ruff is not installed next to this Python")
    (root.parent / "ruff.toml").write_text("")  # no project configuration decides the order
    return f"'{ruff}' check --config '{root.parent / 'ruff.toml'}' --select I --fix --exit-non-zero-on-fix"


@pytest.fixture
def with_billing(project: Path) -> Path:
    (project / "app" / "billing.py").write_text(BILLING)
    git(project, "add", "app/billing.py")
    git(project, "commit", "-qm", "billing")
    return project


@pytest.mark.parametrize("sorter", [python_sorter, ruff_sorter], ids=["python-sorter", "ruff-isort"])
def test_a_hook_that_sorts_imports_gets_its_rewrite_into_the_codemods_commit(with_billing: Path, sorter) -> None:
    hook(with_billing, staged_python_hook(sorter(with_billing)))
    result = commit_run(".")
    assert result.exit_code == 0, result.output
    assert history(with_billing) == [
        "flaskmod: structlog-logging",
        "flaskmod: route-decorator-order",
        "billing",
        "initial",
    ]
    assert (with_billing / "app" / "billing.py").read_text() == SORTED_BILLING
    assert views(with_billing) == FIXED.encode()
    assert git(with_billing, "status", "--porcelain") == ""
    message = git(with_billing, "log", "-1", "--format=%B")
    assert "A pre-commit hook rewrote, and this commit includes: app/billing.py" in message
    assert "app/billing.py" in git(with_billing, "show", "--name-only", "--format=", "HEAD")


def test_a_hook_that_keeps_rewriting_stops_with_the_tree_at_the_last_commit(with_billing: Path) -> None:
    (with_billing / "notes.txt").write_text("notes\n")
    git(with_billing, "add", "notes.txt")
    git(with_billing, "commit", "-qm", "notes")
    hook(with_billing, "if git diff --cached | grep -q structlog; then echo touched >> notes.txt; exit 1; fi\n")
    result = commit_run(".")
    assert result.exit_code == 3, result.output
    assert result.stderr.splitlines()[-1] == (
        "flaskmod: error: structlog-logging: git commit failed again after staging what the hook rewrote "
        "(notes.txt): no message; the commits above stay, the working tree is as the last one left it"
    )
    assert history(with_billing)[:2] == ["flaskmod: route-decorator-order", "notes"]
    assert git(with_billing, "status", "--porcelain") == ""  # nothing staged, nothing changed
    assert (with_billing / "notes.txt").read_text() == "notes\n"
    assert (with_billing / "app" / "billing.py").read_text() == BILLING


def test_no_verify_commits_past_a_failing_hook(with_billing: Path) -> None:
    hook(with_billing, "echo 'lint failed' >&2\nexit 1\n")
    assert commit_run(".").exit_code == 2
    result = commit_run("--no-verify", ".")
    assert result.exit_code == 0, result.output
    assert history(with_billing)[:2] == ["flaskmod: structlog-logging", "flaskmod: route-decorator-order"]


def test_no_verify_needs_commit(project: Path) -> None:
    result = invoke("--no-verify", ".")
    assert result.exit_code == 2 and result.stderr == "flaskmod: error: --no-verify goes with --commit\n"
    assert views(project) != FIXED.encode()


def test_commit_honours_fail_on_after_committing(with_billing: Path) -> None:
    # route-decorator-order and structlog-logging each report a finding (a warning, not an error).
    result = commit_run("--fail-on", "finding", ".")
    assert result.exit_code == 4, result.output
    assert result.stderr.splitlines()[-1] == "flaskmod: error: 2 finding(s) at or above --fail-on finding"
    assert history(with_billing)[0] == "flaskmod: structlog-logging"
    assert commit_run("--fail-on", "error", ".").exit_code == 0


def test_the_pre_commit_framework_with_a_local_import_sorter(
    with_billing: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if importlib.util.find_spec("pre_commit") is None:
        pytest.skip("the pre-commit framework is not installed (pip install pre-commit)")
    config = (
        "repos:\n- repo: local\n  hooks:\n  - id: sort-imports\n    name: sort imports\n"
        f'    entry: "{python_sorter(with_billing)}"\n    language: system\n    types: [python]\n'
    )
    (with_billing / ".pre-commit-config.yaml").write_text(config)
    git(with_billing, "add", ".pre-commit-config.yaml")
    git(with_billing, "commit", "-qm", "pre-commit")
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=with_billing, check=True, capture_output=True)
    result = commit_run(".")
    assert result.exit_code == 0, result.output
    assert history(with_billing)[:2] == ["flaskmod: structlog-logging", "flaskmod: route-decorator-order"]
    assert (with_billing / "app" / "billing.py").read_text() == SORTED_BILLING
    assert git(with_billing, "status", "--porcelain") == ""


def test_a_hook_that_deletes_a_tracked_file_and_fails_gets_it_back(with_billing: Path) -> None:
    (with_billing / "notes.txt").write_text("notes\n")
    git(with_billing, "add", "notes.txt")
    git(with_billing, "commit", "-qm", "notes")
    hook(with_billing, "rm -f notes.txt\nexit 1\n")
    result = commit_run("--select", "route-decorator-order", ".")
    assert result.exit_code == 2, result.output
    assert "git commit failed again after staging what the hook rewrote (notes.txt)" in result.stderr
    assert (with_billing / "notes.txt").read_text() == "notes\n" and views(with_billing) != FIXED.encode()
    assert git(with_billing, "status", "--porcelain") == ""


@pytest.mark.parametrize("untracked", [False, True], ids=["all-tracked", "one-untracked"])
def test_each_codemod_runs_once_unless_an_untracked_file_needs_the_whole_run_checked(
    with_billing: Path, monkeypatch: pytest.MonkeyPatch, untracked: bool
) -> None:
    from flaskmod.codemods.core import commits
    from flaskmod.codemods.core.registry import all_codemods

    engine_run, calls = commits.run, []

    def counted(request, *args, **kwargs):
        calls.append(len(request.codemods))
        return engine_run(request, *args, **kwargs)

    monkeypatch.setattr(commits, "run", counted)
    if untracked:
        (with_billing / "notes.txt").write_text("not added\n")
    assert commit_run(".").exit_code == 0
    codemods = len(all_codemods())
    assert calls == ([codemods] if untracked else []) + [1] * codemods  # the whole-run check, then one each
    assert history(with_billing)[:2] == ["flaskmod: structlog-logging", "flaskmod: route-decorator-order"]
