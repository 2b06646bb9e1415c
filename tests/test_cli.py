"""The command line, through click's CliRunner, on temporary trees."""

from __future__ import annotations

import codecs
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from flaskmod.cli import PROGRESS_MIN_FILES, _run_with_progress, main
from flaskmod.codemods.core.engine import RunRequest, run
from flaskmod.codemods.core.registry import all_codemods
from flaskmod.codemods.core.writer import write_results
from tests.helpers import MISORDERED

FIXED = MISORDERED.replace('@login_required\n@app.route("/")', '@app.route("/")\n@login_required')
HAS_GIT = shutil.which("git") is not None


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """The project's files: the result cache (.flaskmod_cache) is flaskmod's, as .ruff_cache is Ruff's."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mode)
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts and ".flaskmod_cache" not in p.parts
    }


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small project holding every kind of file the engine must keep intact."""
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    (root / "app" / "views.py").write_text(MISORDERED)
    (root / "app" / "crlf.py").write_bytes(MISORDERED.replace("\n", "\r\n").encode())
    (root / "app" / "bom.py").write_bytes(codecs.BOM_UTF8 + MISORDERED.encode())
    latin = "# -*- coding: latin-1 -*-\n# café\n" + MISORDERED
    (root / "app" / "latin.py").write_bytes(latin.encode("latin-1"))
    (root / "app" / "no_newline.py").write_text(MISORDERED.rstrip("\n"))
    (root / "app" / "untouched.py").write_text("def helper():\n    return 1\n")
    (root / "app" / "script.py").write_text(MISORDERED)
    os.chmod(root / "app" / "script.py", 0o755)
    monkeypatch.chdir(root)
    return root


def invoke(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_list_shows_every_codemod() -> None:
    result = invoke("list")
    assert result.exit_code == 0
    for codemod in all_codemods():
        assert codemod.ID in result.output and codemod.SAFETY.value in result.output


def test_explain_prints_documentation_and_an_example() -> None:
    result = invoke("explain", "route-decorator-order")
    assert result.exit_code == 0
    for heading in ("## What it does", "## Why is this bad?", "## Fix safety", "Example from the test suite"):
        assert heading in result.output


def test_explain_unknown_id_is_a_usage_error() -> None:
    result = invoke("explain", "no-such-codemod")
    assert result.exit_code == 2 and "no-such-codemod" in result.output


def test_dry_run_writes_nothing_and_shows_diffs(tree: Path) -> None:
    before = _snapshot(tree)
    result = invoke("run", "--dry-run", "--unsafe", "--format", "rich", ".")
    assert result.exit_code == 0
    assert _snapshot(tree) == before
    assert "app/views.py" in result.stdout and "route-decorator-order" in result.stdout
    assert "@login_required" in result.stdout and "the view is unprotected" in result.stdout


def test_check_counts_only_what_would_be_written(tree: Path) -> None:
    before = _snapshot(tree)
    # The moves are unsafe: without --unsafe nothing would be written.
    assert invoke("run", "--check", ".").exit_code == 0
    assert invoke("run", "--check", "--unsafe", ".").exit_code == 1
    assert _snapshot(tree) == before
    assert invoke("run", "--unsafe", "--allow-dirty", ".").exit_code == 0
    assert invoke("run", "--check", "--unsafe", ".").exit_code == 0


def test_writing_keeps_encoding_bom_newlines_and_mode(tree: Path) -> None:
    result = invoke("run", "--unsafe", "--allow-dirty", "--format", "rich", ".")
    assert result.exit_code == 0, result.output
    app = tree / "app"
    assert (app / "views.py").read_text() == FIXED
    assert (app / "crlf.py").read_bytes() == FIXED.replace("\n", "\r\n").encode()
    assert (app / "bom.py").read_bytes() == codecs.BOM_UTF8 + FIXED.encode()
    assert (app / "latin.py").read_bytes() == ("# -*- coding: latin-1 -*-\n# café\n" + FIXED).encode("latin-1")
    assert (app / "no_newline.py").read_text() == FIXED.rstrip("\n")
    assert (app / "untouched.py").read_text() == "def helper():\n    return 1\n"
    assert (app / "script.py").stat().st_mode & 0o777 == 0o755
    assert not list(app.glob(".*flaskmod"))  # no temporary files left behind


@pytest.mark.skipif(not HAS_GIT, reason="needs git")
def test_diff_output_applies_with_git_to_the_same_tree(tree: Path, tmp_path: Path) -> None:
    pristine = tmp_path / "pristine"
    shutil.copytree(tree, pristine)
    result = invoke("run", "--dry-run", "--unsafe", "--format", "diff", ".")
    assert result.exit_code == 0
    patch = result.stdout_bytes
    assert patch.startswith(b"diff --git a/app/")
    assert b"flaskmod:" not in patch  # the summary goes to stderr
    (tmp_path / "migration.patch").write_bytes(patch)
    subprocess.run(["git", "apply", str(tmp_path / "migration.patch")], cwd=pristine, check=True)
    assert invoke("run", "--unsafe", "--allow-dirty", ".").exit_code == 0
    assert _snapshot(pristine) == _snapshot(tree)


def test_json_report_schema(tree: Path) -> None:
    result = invoke("run", "--dry-run", "--format", "json", ".")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["schema_version"] == 1 and report["mode"] == "dry-run" and report["unsafe"] is False
    assert report["summary"]["files_scanned"] == 7
    assert report["summary"]["unsafe_left_out"] == 6
    views = next(f for f in report["files"] if f["path"] == "app/views.py")
    change = views["changes"][0]
    assert change["codemod"] == "route-decorator-order" and change["safety"] == "fix"
    assert change["diff"] == ""  # left out: nothing would be written
    assert change["findings"][0]["line"] == 7
    assert "move `@app.route`" in change["unsafe_left_out"][0]["message"]
    assert views["written"] is False and report["errors"] == []


def test_bad_files_are_reported_and_the_rest_processed(tree: Path) -> None:
    (tree / "app" / "broken.py").write_text('@login_required\n@app.route("/")\ndef broken(:\n')
    (tree / "app" / "binary.py").write_bytes(b"@app.route('/')\nx = '\xff\xfe'\n")
    result = invoke("run", "--unsafe", "--allow-dirty", "--format", "rich", ".", "missing_dir")
    assert result.exit_code == 1
    assert "app/broken.py:3: syntax error" in result.stderr
    assert "app/binary.py:2: cannot decode" in result.stderr
    assert "missing_dir: no such file or directory" in result.stderr
    assert (tree / "app" / "views.py").read_text() == FIXED


def test_unknown_codemod_is_a_usage_error(tree: Path) -> None:
    result = invoke("run", "--select", "route-decorator-order,nope", ".")
    assert result.exit_code == 2 and "'nope'" in result.output


def test_bad_config_is_a_usage_error_naming_the_key(tree: Path) -> None:
    (tree / "pyproject.toml").write_text("[tool.flaskmod]\nunsave = true\n")
    before = _snapshot(tree)
    result = invoke("run", ".")
    assert result.exit_code == 2 and "unknown key `unsave`" in result.stderr
    assert _snapshot(tree) == before


def test_config_sets_defaults_and_the_command_line_overrides(tree: Path) -> None:
    (tree / "pyproject.toml").write_text('[tool.flaskmod]\nunsafe = true\nexclude = ["app/script.py"]\n')
    assert invoke("run", "--check", ".").exit_code == 1  # unsafe from the config
    assert invoke("run", "--check", "--no-unsafe", ".").exit_code == 0
    assert invoke("run", "--check", "--ignore", "route-decorator-order", ".").exit_code == 0
    result = invoke("run", "--dry-run", "--format", "json", ".")
    paths = {f["path"] for f in json.loads(result.stdout)["files"]}
    assert "app/script.py" not in paths and "app/views.py" in paths


def test_exclude_option_takes_paths(tree: Path) -> None:
    result = invoke("run", "--dry-run", "--unsafe", "--format", "json", "--exclude", "app/*.py", ".")
    assert json.loads(result.stdout)["summary"]["files_scanned"] == 0
    result = invoke("run", "--dry-run", "--format", "json", "--exclude", "nothing/,app/script.py", ".")
    paths = {f["path"] for f in json.loads(result.stdout)["files"]}
    assert "app/script.py" not in paths and "app/views.py" in paths


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_per_file_ignores_turn_codemods_off_for_matching_files(tree: Path, jobs: str) -> None:
    (tree / "pyproject.toml").write_text(
        '[tool.flaskmod.per-file-ignores]\n"app/s*.py" = ["route-decorator-order"]\n'
        '"no_newline.py" = ["unify-aborts", "route-decorator-order"]\n'
    )
    result = invoke("run", "--dry-run", "--format", "json", "--jobs", jobs, ".")
    changed = {f["path"] for f in json.loads(result.stdout)["files"] if f["changes"]}
    assert "app/views.py" in changed
    assert "app/script.py" not in changed and "app/no_newline.py" not in changed


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--exclude-path", "app/*.py"), "--exclude-path is now --exclude (Ruff's spelling): --exclude app/*.py"),
        (("--exclude", "route-decorator-order"), "to leave out codemods use --ignore route-decorator-order"),
    ],
)
def test_old_spellings_are_usage_errors_naming_the_new_one(
    tree: Path, arguments: tuple[str, ...], message: str
) -> None:
    before = _snapshot(tree)
    result = invoke("run", *arguments, ".")
    assert result.exit_code == 2 and message in result.stderr and result.stdout == ""
    assert _snapshot(tree) == before


@pytest.mark.skipif(not HAS_GIT, reason="needs git")
def test_refuses_to_write_over_uncommitted_changes(tree: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tree, check=True, capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init")
    (tree / "app" / "views.py").write_text(MISORDERED + "\n# work in progress\n")
    before = _snapshot(tree)
    result = invoke("run", "--unsafe", ".")
    assert result.exit_code == 2 and "app/views.py" in result.stderr and "--allow-dirty" in result.stderr
    assert _snapshot(tree) == before
    assert invoke("run", "--unsafe", "--allow-dirty", ".").exit_code == 0
    assert (tree / "app" / "crlf.py").read_bytes() == FIXED.replace("\n", "\r\n").encode()


def test_file_changed_after_it_was_read_is_not_overwritten(tree: Path) -> None:
    result = run(RunRequest(paths=(tree,), codemods=all_codemods(), allow_unsafe=True, root=tree))
    (tree / "app" / "views.py").write_text(MISORDERED + "# edited meanwhile\n")
    outcome = write_results(result.changed_files)
    failed = {f.display: f.error.message for f in outcome.failed if f.error}
    assert "changed on disk" in failed["app/views.py"]
    assert (tree / "app" / "views.py").read_text() == MISORDERED + "# edited meanwhile\n"
    assert (tree / "app" / "crlf.py").read_bytes() == FIXED.replace("\n", "\r\n").encode()


def test_diff_format_keeps_stdout_clean_of_messages(tree: Path) -> None:
    (tree / "app" / "broken.py").write_text("@app.route('/')\ndef broken(:\n")
    result = invoke("run", "--dry-run", "--unsafe", "--format", "diff", ".")
    assert result.exit_code == 1
    assert b"error" not in result.stdout_bytes
    assert "app/broken.py:2: syntax error" in result.stderr


def test_config_option_reads_the_given_file(tree: Path, tmp_path: Path) -> None:
    config = tmp_path / "flaskmod.toml"
    config.write_text("unsafe = true\n")
    assert invoke("run", "--check", "--config", str(config), ".").exit_code == 1
    missing = invoke("run", "--check", "--config", str(tmp_path / "nope.toml"), ".")
    assert missing.exit_code == 2 and "nope.toml: cannot read" in missing.stderr


def test_diff_format_lists_findings_and_unsafe_changes_on_stderr(tree: Path) -> None:
    result = invoke("run", "--dry-run", "--format", "diff", ".")
    assert result.stdout_bytes == b""  # nothing would be written without --unsafe
    assert "app/views.py:7: route-decorator-order: `@login_required` is above `@app.route`" in result.stderr
    assert "app/views.py:7: route-decorator-order: unsafe change left out (use --unsafe): move" in result.stderr


@pytest.mark.skipif(not HAS_GIT, reason="needs git")
def test_patch_applies_to_files_with_form_feeds_and_unicode_line_separators(tree: Path, tmp_path: Path) -> None:
    # str.splitlines() splits on these, git does not: the patch must follow git.
    odd = MISORDERED.replace("app = Flask(__name__)\n", "app = Flask(__name__)\n\x0c\nSEP = '\u2028'\n")
    (tree / "app" / "odd.py").write_text(odd)
    pristine = tmp_path / "pristine"
    shutil.copytree(tree, pristine)
    patch = invoke("run", "--dry-run", "--unsafe", "--format", "diff", ".").stdout_bytes
    (tmp_path / "p.patch").write_bytes(patch)
    subprocess.run(["git", "apply", str(tmp_path / "p.patch")], cwd=pristine, check=True)
    assert invoke("run", "--unsafe", "--allow-dirty", ".").exit_code == 0
    assert _snapshot(pristine) == _snapshot(tree)


def test_syntax_error_line_is_the_one_python_reports(tree: Path) -> None:
    (tree / "app" / "broken.py").write_text('@app.route("/")\n\n\n\ndef f(:\n    pass\n')
    result = invoke("run", "--dry-run", "--format", "diff", ".")
    assert "app/broken.py:5: syntax error" in result.stderr


@pytest.mark.parametrize(("files", "shown"), [(PROGRESS_MIN_FILES, True), (PROGRESS_MIN_FILES - 1, False)])
def test_progress_bar_counts_files_on_a_terminal(tmp_path: Path, files: int, shown: bool) -> None:
    for index in range(files):
        (tmp_path / f"m{index}.py").write_text("x = 1\n")
    request = RunRequest(paths=(tmp_path,), codemods=tuple(all_codemods()), root=tmp_path)
    terminal = io.StringIO()
    result = _run_with_progress(request, Console(file=terminal, force_terminal=True, width=100), show=True)
    assert result.scanned == files
    assert (f"{files}/{files}" in terminal.getvalue()) is shown
    quiet = io.StringIO()
    _run_with_progress(request, Console(file=quiet, force_terminal=True, width=100), show=False)
    assert quiet.getvalue() == ""


def test_a_codemod_option_flag_overrides_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "jobs.py").write_text(
        "import logging\n\nlog = logging.getLogger(__name__)\n\n\ndef run(job):\n    log.info('Job done %s', job)\n"
    )
    (tmp_path / "pyproject.toml").write_text('[tool.flaskmod.structlog-logging]\nevent-style = "sentence"\n')
    args = ("run", "--dry-run", "--unsafe", "--select", "structlog-logging", "--format", "diff", ".")
    assert "log.info('Job done', job=job)" in invoke(*args).stdout
    assert "log.info('job_done', job=job)" in invoke(*args[:-1], "--event-style", "snake", ".").stdout
    result = CliRunner().invoke(main, [*args[:-1], "--event-style", "loud", "."])
    assert result.exit_code == 2  # a value the option does not declare is a usage error


def test_an_unknown_id_in_an_ignore_comment_is_reported(tree: Path) -> None:
    typo = MISORDERED.replace("@login_required\n", "@login_required  # flaskmod: ignore[unify-aborts, route-order]\n")
    (tree / "app" / "views.py").write_text(typo)
    line = typo.splitlines().index("@login_required  # flaskmod: ignore[unify-aborts, route-order]") + 1
    result = invoke("run", "--dry-run", "--format", "json", ".")
    assert result.exit_code == 0
    notices = json.loads(result.stdout)["notices"]
    assert [n["message"].split(" (known")[0] for n in notices] == [
        f"app/views.py:{line}: `# flaskmod: ignore[route-order]` names no codemod"
    ]
    assert notices[0]["codemod"] == "ignore-comment"
    result = invoke("run", "--dry-run", "--format", "diff", ".")
    assert f"note (ignore-comment): app/views.py:{line}: `# flaskmod: ignore[route-order]`" in result.stderr
