"""The `--format diff` patch, as `git apply` must take it: git's path quoting, and BOM files.

Each test applies the dry run's patch with `git apply` in one copy of a tree, runs a writing run in
another copy, and compares the two trees byte for byte.
"""

from __future__ import annotations

import codecs
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from flaskmod.cli import main
from flaskmod.codemods.core.report import git_quote
from tests.helpers import MISORDERED

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

# Names git quotes (and one it only ends with a tab); every one of them must survive `git apply`.
ODD_NAMES = [
    "tab\there.py",
    'double"quote.py',
    "back\\slash.py",
    "café.py",
    "bell\a.py",
    "del\x7f.py",
    "with space.py",
    "space and\ttab.py",
    "new\nline.py",
    "plain.py",
]


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["git", "-c", "core.quotePath=true", "-c", "core.autocrlf=false", *args],
        cwd=root,
        capture_output=True,
        check=True,
    )


def _flaskmod(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> bytes:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["run", "--no-progress", "--jobs", "1", "--unsafe", *args, "."])
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr, result.exception)
    assert "flaskmod: error" not in result.stderr, result.stderr
    return result.stdout_bytes


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not {".git", ".flaskmod_cache"} & set(p.relative_to(root).parts)
    }


def _patch_and_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, bytes]) -> tuple[Path, bytes]:
    """(the git repository the dry run's patch was applied to, the patch); asserts it equals a writing run."""
    applied, written = tmp_path / "applied", tmp_path / "written"
    for root in (applied, written):
        root.mkdir()
        for name, data in files.items():
            (root / name).write_bytes(data)
    _git(applied, "init", "-q", ".")
    _git(applied, "add", "-A")
    _git(applied, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "before")

    patch = _flaskmod(applied, monkeypatch, "--dry-run", "--format", "diff")
    assert patch, "the run changed nothing"
    (tmp_path / "run.patch").write_bytes(patch)
    _git(applied, "apply", "--check", str(tmp_path / "run.patch"))
    _git(applied, "apply", str(tmp_path / "run.patch"))
    _flaskmod(written, monkeypatch)
    assert _files(applied) == _files(written)
    return applied, patch


def _headers(patch: bytes) -> list[bytes]:
    return sorted(line for line in patch.splitlines() if line.startswith((b"diff --git ", b"--- ", b"+++ ")))


def test_quoting_matches_git_and_git_applies_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    applied, patch = _patch_and_write(tmp_path, monkeypatch, {name: MISORDERED.encode() for name in ODD_NAMES})
    # The headers git writes for the same change, byte for byte (git also writes `index` lines; we do not).
    assert _headers(patch) == _headers(_git(applied, "diff").stdout)
    assert b'diff --git "a/tab\\there.py" "b/tab\\there.py"\n' in patch
    assert b'--- "a/caf\\303\\251.py"\n' in patch
    assert b"+++ b/with space.py\t\n" in patch
    assert b'+++ "b/space and\\ttab.py"\t\n' in patch
    assert len(_headers(patch)) == 3 * len(ODD_NAMES)


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("a/plain.py", "a/plain.py"),
        ("a/sp ace.py", "a/sp ace.py"),
        ("a/tab\there.py", '"a/tab\\there.py"'),
        ("a/new\nline.py", '"a/new\\nline.py"'),
        ('a/q"uote.py', '"a/q\\"uote.py"'),
        ("a/back\\slash.py", '"a/back\\\\slash.py"'),
        ("a/café.py", '"a/caf\\303\\251.py"'),
        ("a/esc\x1b.py", '"a/esc\\033.py"'),
        ("a/del\x7f.py", '"a/del\\177.py"'),
        ("a/cr\r.py", '"a/cr\\r.py"'),
    ],
)
def test_git_quote(name: str, quoted: str) -> None:
    assert git_quote(name) == quoted


# Files with a BOM; the codemods change the first line, insert above it, delete it, or change only line 2.
BOM_FILES = {
    # structlog-logging rewrites line 1
    "first_changed.py": (
        'import logging\n\nlog = logging.getLogger(__name__)\n\n\ndef f(x):\n    log.info("x is %s", x)\n'
    ),
    # unify-aborts inserts an import above line 1 (the old first line becomes context further down)
    "inserted_above.py": "x = 1\nfrom werkzeug.exceptions import NotFound\n\n\ndef f(x):\n    raise NotFound()\n",
    # unify-aborts removes line 1 (the old second line becomes the first)
    "first_removed.py": (
        "from werkzeug.exceptions import NotFound\nimport os\nfrom flask import abort\n\n\n"
        "def f(x):\n    if os.sep:\n        abort(403)\n    raise NotFound()\n"
    ),
    # line 1 stays, line 2 changes
    "second_changed.py": (
        '"""Doc."""\nfrom werkzeug.exceptions import NotFound\n\n\ndef f(x):\n    raise NotFound()\n'
    ),
    "crlf.py": "x = 1\r\nfrom werkzeug.exceptions import NotFound\r\n\r\n\r\ndef f(x):\r\n    raise NotFound()\r\n",
    "no_newline.py": "from werkzeug.exceptions import NotFound\n\n\ndef f(x):\n    raise NotFound()",
}


def test_bom_files_patch_applies_to_the_bytes_a_writing_run_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {name: codecs.BOM_UTF8 + text.encode() for name, text in BOM_FILES.items()}
    applied, patch = _patch_and_write(tmp_path, monkeypatch, files)
    assert len(_headers(patch)) == 3 * len(BOM_FILES), patch.decode()
    for name in BOM_FILES:
        data = (applied / name).read_bytes()
        assert data.startswith(codecs.BOM_UTF8) and not data[3:].startswith(codecs.BOM_UTF8), name
        assert data != files[name], name
    # The BOM only ever starts a line's content (the first line of the old or the new file).
    for line in patch.splitlines():
        assert codecs.BOM_UTF8 not in line[1:] or line[1:].index(codecs.BOM_UTF8) == 0, line


def test_the_patch_is_what_git_diff_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The BOM case line by line: git's own diff of the applied tree has the same - and + lines."""
    files = {name: codecs.BOM_UTF8 + text.encode() for name, text in BOM_FILES.items() if "crlf" not in name}
    applied, patch = _patch_and_write(tmp_path, monkeypatch, files)

    def changed(data: bytes) -> list[bytes]:
        return sorted(line for line in data.splitlines() if line[:1] in (b"-", b"+"))

    assert changed(patch) == changed(_git(applied, "diff", "--minimal").stdout)
