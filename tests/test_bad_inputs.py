"""One bad input must not stop the run: a bad file is one error line, a bad option one usage error."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from flaskmod.cli import main
from flaskmod.codemods.core.config import ConfigError, load_config
from flaskmod.codemods.core.discovery import PathPatterns, PatternError, discover
from flaskmod.codemods.core.richrender import diff_renderable, one_line, visible
from flaskmod.codemods.core.source import SourceError, decode_source
from tests.helpers import MISORDERED

HAS_GIT = shutil.which("git") is not None


def _run(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["run", "--no-progress", "--jobs", "1", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("flaskmod: error:")]


@pytest.mark.parametrize("codec", ["rot13", "hex", "zlib_codec", "base64"])
def test_a_codec_that_is_not_a_text_encoding_is_a_source_error(codec: str) -> None:
    with pytest.raises(SourceError, match=f"'{codec.replace('_codec', '')}.*' is not a text encoding|not a text"):
        decode_source(f"#!/usr/bin/env python\n# coding: {codec}\nx = 1\n".encode())
    with pytest.raises(SourceError) as error:
        decode_source(f"# coding: {codec}\nx = 1\n".encode())
    assert error.value.line == 1


@pytest.mark.parametrize("codec", ["rot13", "hex"])
def test_a_non_text_codec_file_is_one_error_and_the_others_are_processed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, codec: str
) -> None:
    (tmp_path / "a_bad.py").write_text(f"# coding: {codec}\nk = 1\n")
    (tmp_path / "b_views.py").write_text(MISORDERED)
    code, stdout, stderr = _run(tmp_path, monkeypatch, "--dry-run", "--unsafe", "--format", "diff", ".")
    assert code == 1
    assert "Traceback" not in stderr
    assert _errors(stderr) == [
        f"flaskmod: error: a_bad.py:1: cannot decode: the coding cookie names '{codec}', which is not a text encoding"
    ]
    assert "+++ b/b_views.py" in stdout


@pytest.mark.parametrize("bad_line", ["!", "foo\\", "\\"])
def test_a_gitignore_line_pathspec_refuses_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad_line: str
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text(f"ignored.py\n{bad_line}\nlater.py\n")
    for name in ("ignored.py", "later.py", "kept.py", "foo"):
        (tmp_path / name).write_text("x = 1\n")
    assert [p.name for p in discover([tmp_path]).files] == ["kept.py"]
    code, _, stderr = _run(tmp_path, monkeypatch, "--dry-run", "--format", "diff", ".")
    assert code == 0 and "Traceback" not in stderr, stderr


@pytest.mark.skipif(not HAS_GIT, reason="needs git")
def test_git_ignores_nothing_with_those_lines(tmp_path: Path) -> None:
    """What the skip relies on: git ignores no file because of a lone `!` or a trailing backslash."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("!\nfoo\\\n\\\n")
    names = ["foo", "foo\\", "!", "x.py"]
    for name in names:
        (tmp_path / name).write_text("")
    checked = subprocess.run(
        ["git", "check-ignore", "--no-index", *names], cwd=tmp_path, capture_output=True, text=True
    )
    assert checked.returncode == 1 and checked.stdout == ""  # 1: no path is ignored


@pytest.mark.parametrize("pattern", ["!", "foo\\"])
def test_a_bad_exclude_option_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pattern: str) -> None:
    (tmp_path / "views.py").write_text(MISORDERED)
    with pytest.raises(PatternError):
        PathPatterns.from_patterns(tmp_path, ["ok/", pattern])
    code, stdout, stderr = _run(tmp_path, monkeypatch, "--dry-run", "--exclude", pattern, ".")
    assert code == 2
    assert stdout == ""
    assert stderr.splitlines() == [f"flaskmod: error: --exclude: invalid gitignore-style pattern {pattern!r}"]


def test_a_bad_configured_exclude_is_a_configuration_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.flaskmod]\nexclude = ["migrations/", "!"]\n')
    (tmp_path / "views.py").write_text(MISORDERED)
    code, _, stderr = _run(tmp_path, monkeypatch, "--dry-run", ".")
    assert code == 2
    assert stderr.splitlines() == [
        f"flaskmod: error: {tmp_path / 'pyproject.toml'}: `exclude` holds an invalid gitignore-style pattern '!'"
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_a_pyproject_that_is_not_utf8_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str
) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_bytes("[tool.flaskmod]\nunsafe = true\n".encode(encoding))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(path)
    (tmp_path / "views.py").write_text(MISORDERED)
    for args in (("--config", "pyproject.toml", "."), (".",)):  # named, and found
        code, _, stderr = _run(tmp_path, monkeypatch, "--dry-run", *args)
        assert code == 2
        [line] = stderr.splitlines()
        assert line.startswith("flaskmod: error: ") and "pyproject.toml: invalid TOML: not UTF-8" in line


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[tool.flaskmod.unify-aborts]\nstyle = "explode"\n', "`unify-aborts.style` must be one of 'abort', 'raise'"),
        (
            '[tool.flaskmod.split-get-post]\nroute-style = "flask"\n',
            "`split-get-post.route-style` must be one of 'auto', 'shortcut', 'route'",
        ),
        (
            "[tool.flaskmod.extract-services]\nservices-module = '{foo}.py'\n",
            r"`extract-services.services-module` has an unknown placeholder \{foo\} \(allowed: \{stem\}\)",
        ),
        (
            "[tool.flaskmod.extract-services]\nservices-module = '{}.py'\n",
            r"`extract-services.services-module` has an unknown placeholder \{\}",
        ),
        (
            "[tool.flaskmod.extract-services]\nservices-module = '{stem.py'\n",
            r"`extract-services.services-module` is not a valid template",
        ),
        (
            "[tool.flaskmod.extract-services]\nservices-module = '{stem}}.py'\n",
            r"`extract-services.services-module` is not a valid template",
        ),
        (
            "[tool.flaskmod.extract-services]\nnames = {index = 3}\n",
            "`extract-services.names.index` must be of type str",
        ),
        (
            "[tool.flaskmod.extract-services]\nmin-statements = '3'\n",
            "`extract-services.min-statements` must be of type int",
        ),
    ],
)
def test_option_values_are_checked_at_load_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, message: str
) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.flaskmod]\n" + body)
    with pytest.raises(ConfigError, match=message):
        load_config(path)
    (tmp_path / "views.py").write_text(MISORDERED)
    code, stdout, stderr = _run(tmp_path, monkeypatch, "--dry-run", ".")
    assert code == 2 and stdout == ""
    [line] = stderr.splitlines()
    assert line.startswith(f"flaskmod: error: {path}: `")


@pytest.mark.parametrize(
    ("template", "problem"),
    [
        ("../services/{stem}.py", "must not contain `..`"),
        ("/etc/{stem}.py", "must be a relative path"),
        ("services.txt", "must name a .py file"),
        ("services", "must name a .py file"),
    ],
)
def test_a_services_module_outside_the_tree_or_not_python_is_a_configuration_error(
    tmp_path: Path, template: str, problem: str
) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(f"[tool.flaskmod.extract-services]\nservices-module = '{template}'\n")
    with pytest.raises(ConfigError, match=re.escape(problem)):
        load_config(path)


@pytest.mark.parametrize("template", ["auto", "{stem}_services.py", "services/{stem}.py", "svc_{{x}}.py"])
def test_good_templates_are_accepted(tmp_path: Path, template: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(f"[tool.flaskmod.extract-services]\nservices-module = '{template}'\n")
    assert load_config(path).codemod_options["extract-services"]["services-module"] == template


# Terminal control in a source file (or its name) is shown, never acted on, in rich output.
CLEAR_SCREEN = "\x1b[2J"
HOSTILE = MISORDERED.replace(
    "app = Flask(__name__)\n", 'app = Flask(__name__)\nBANNER = "\x1b[2J\x1b]0;pwned\x07\u202e"\n'
)


def test_control_characters_are_escaped_in_the_rich_diff() -> None:
    before = f'x = "{CLEAR_SCREEN}"\ny = 1\n'
    after = f'x = "{CLEAR_SCREEN}"\ny = 2\n'
    console = Console(record=True, force_terminal=True, color_system="truecolor", width=120, file=io.StringIO())
    console.print(diff_renderable(before, after))
    raw = console.file.getvalue()  # type: ignore[attr-defined]
    text = console.export_text(styles=False)
    assert CLEAR_SCREEN not in raw and "\x1b" not in text
    assert '1 1   x = "\\x1b[2J"' in text
    assert visible("a\tb\x07\r\x9b\u202e\n") == "a\tb\\x07\\r\\x9b\\u202e\n"
    assert one_line("a\nb\x1b") == "a\\nb\\x1b"


def test_rich_output_of_a_run_shows_escapes_and_the_patch_keeps_the_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "views.py").write_text(HOSTILE)
    (tmp_path / "clear\x1b[2J.py").write_text(HOSTILE)
    code, stdout, stderr = _run(tmp_path, monkeypatch, "--dry-run", "--unsafe", "--format", "rich", ".")
    assert code == 0, stderr
    assert "\x1b" not in stdout and "\x07" not in stdout and "\u202e" not in stdout and "\r" not in stdout
    assert '\\x1b[2J\\x1b]0;pwned\\x07\\u202e"' in stdout
    assert "clear\\x1b[2J.py  would change" in stdout

    code, patch, stderr = _run(tmp_path, monkeypatch, "--dry-run", "--unsafe", "--format", "diff", ".")
    assert code == 0 and "\x1b" not in stderr
    assert ' BANNER = "\x1b[2J\x1b]0;pwned\x07\u202e"\n' in patch  # the patch is byte-exact
    assert 'diff --git "a/clear\\033[2J.py" "b/clear\\033[2J.py"\n' in patch


def test_error_lines_are_one_visible_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad\x1b[2J\nname.py").write_text(MISORDERED + "def (:\n")
    code, _, stderr = _run(tmp_path, monkeypatch, "--dry-run", "--format", "diff", ".")
    assert code == 1
    [error] = _errors(stderr)
    assert error.startswith("flaskmod: error: bad\\x1b[2J\\nname.py:11: syntax error")


MIXED_STYLES_ON_LINE_100 = (
    "from flask import Blueprint, abort\n"
    'bp = Blueprint("x", __name__)\n' + "\n" * 95 + '@bp.route("/a")\ndef a():\n    abort(404)\n\n\n'
    '@bp.route("/b")\ndef b():\n    return "no", 404\n'
)


@pytest.mark.parametrize("output_format", ["rich", "diff"])
def test_a_location_on_line_100_is_printed_as_written(tmp_path: Path, output_format: str) -> None:
    # rich turns `:100:` into an emoji unless emoji codes are off on every console.
    (tmp_path / "views.py").write_text(MIXED_STYLES_ON_LINE_100)
    args = ["run", "--dry-run", "--no-progress", "--select", "unify-aborts", "--format", output_format, str(tmp_path)]
    result = CliRunner().invoke(main, args)
    shown = result.output + result.stderr
    assert re.search(r"(views\.py:|line )100:", shown)
    assert "\N{HUNDRED POINTS SYMBOL}" not in shown
