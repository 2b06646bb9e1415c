"""The ``flaskmod`` command: parse options, call the engine, render the result."""

from __future__ import annotations

import keyword
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markdown import Markdown
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from flaskmod import __version__
from flaskmod.codemods.core import formats, report
from flaskmod.codemods.core.cache import CACHE_DIR_NAME
from flaskmod.codemods.core.commands import CommandRefused
from flaskmod.codemods.core.commits import (
    CommitError,
    CommitOutcome,
    CommitStopped,
    commit_per_codemod,
    ensure_clean,
    repository_root,
)
from flaskmod.codemods.core.config import (
    FAIL_ON_CHOICES,
    MIN_MARKDOWN_CHARS,
    ConfigError,
    FileConfig,
    find_config,
    load_config,
)
from flaskmod.codemods.core.discovery import PathPatterns, PatternError
from flaskmod.codemods.core.engine import FileResult, RunRequest, RunResult, run
from flaskmod.codemods.core.formatter import FormatFailed, command_problem, format_files
from flaskmod.codemods.core.gitstate import GitUnavailable, State, git_states
from flaskmod.codemods.core.onefile import run_one_file
from flaskmod.codemods.core.registry import all_codemods, codemod_ids, command, get_codemod
from flaskmod.codemods.core.review import Decision, Review
from flaskmod.codemods.core.richrender import diff_renderable, one_line, render_file, render_run, visible
from flaskmod.codemods.core.writer import WriteOutcome, write_results

EXIT_OK, EXIT_PENDING_OR_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_COMMIT_STOPPED = 3  # --commit made commits, then stopped: stderr says what was left
EXIT_FINDINGS = 4  # findings at or above --fail-on, and nothing else went wrong
EXIT_FORMAT_FAILED = 5  # the format command failed or could not run; the files stay as flaskmod wrote them
PROGRESS_MIN_FILES = 50

# What each command's exit status means: shown by its --help and in docs/cli.md (generated).
EXIT_CODES: dict[str, dict[int, str]] = {
    "list": {0: "Always."},
    "explain": {0: "The documentation was printed.", 2: "Unknown codemod id."},
    "run": {
        0: "Everything was written, or there was nothing to do (with `--check`: nothing is pending).",
        1: "With `--check`: changes are pending. Or some file could not be processed (syntax error, undecodable, "
        "missing path, changed on disk since it was read, a codemod failure); the other files were processed.",
        2: "Usage or configuration error (unknown option or codemod id, bad `[tool.flaskmod]` key or value, a "
        "symbolic link named as a path); or a writing run refused because files it would touch have uncommitted "
        "changes, are untracked or gitignored, or git cannot tell (see `--allow-dirty`): nothing is written; or a "
        "write target refused (a symbolic link, outside the tree given): the files that edit it are not written.",
        3: "`--commit` stopped after making commits, or could not put back every file of the codemod that failed: "
        "stderr names the codemod, the reason and any file left changed. The commits made stay.",
        4: "Findings at or above `--fail-on` (or the config's `fail-on`) and nothing above went wrong: 1, 2 and 3 "
        "take precedence. With `--commit`, after the commits are made.",
        5: "The format command (`--format-command`, `format-command`) failed or could not run: the files stay as "
        "flaskmod wrote them.",
        130: "Interrupted (Ctrl-C): stderr says nothing was written, or names the files written before; "
        "a group being written is put back.",
    },
    "extract": {
        0: "Extracted (or shown, with `--dry-run`).",
        1: "Refused (the reason is printed), or a file could not be written.",
        2: "Bad arguments (no `:VIEW`, bad `--lines` or `--name`, `--to` not a relative `.py` path without `..`, "
        "no such file), files it would write have uncommitted changes, or the configuration is invalid.",
    },
}


def _exit_codes_epilog(command_name: str) -> str:
    codes = EXIT_CODES[command_name]
    return "Exit codes:\n\n" + "\n\n".join(f"{code}: {text}" for code, text in codes.items())


class CodemodList(click.ParamType):
    """``ID[,ID...]``, each one a known codemod id (a typo is a usage error)."""

    name = "ID[,ID...]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        choice = click.Choice(codemod_ids())
        return tuple(choice.convert(item.strip(), param, ctx) for item in str(value).split(",") if item.strip())


def _error(message: str) -> None:
    click.echo(f"flaskmod: error: {one_line(message)}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flaskmod")
def main() -> None:
    """Codemods that pay down the debt of years-old Flask codebases."""


@main.command("list", epilog=_exit_codes_epilog("list"))
def list_codemods() -> None:
    """List the codemods: id, safety, summary (in application order)."""
    console = Console(emoji=False)
    table = Table(show_header=True, box=None)
    for column in ("id", "safety", "summary"):
        table.add_column(column)
    for codemod in all_codemods():
        table.add_row(codemod.ID, codemod.SAFETY.value, codemod.SUMMARY)
    console.print(table)


@main.command(epilog=_exit_codes_epilog("explain"))
@click.argument("codemod_id", metavar="ID", type=click.Choice(codemod_ids()))
def explain(codemod_id: str) -> None:
    """Show a codemod's documentation and a before/after example."""
    codemod = get_codemod(codemod_id)
    text = f"# {codemod.ID} ({codemod.SAFETY.value})\n\n{codemod.SUMMARY}\n\n{codemod.documentation()}\n"
    example = next((e for e in codemod.EXAMPLES if e.after is not None), None)
    if example is not None:
        text += (
            "\n## Example from the test suite\n```python\n"
            f"{example.before.strip()}\n```\nbecomes\n```python\n{example.after.strip()}\n```\n"
        )
    console = Console(emoji=False)
    if console.is_terminal:
        console.print(Markdown(text))
    else:
        click.echo(text, nl=False)


def _selected(config: FileConfig, select: Sequence[str] | None, ignore: Sequence[str] | None) -> tuple[str, ...]:
    chosen = set(select if select else config.select or codemod_ids())
    chosen -= set(ignore if ignore is not None else config.ignore)
    return tuple(i for i in codemod_ids() if i in chosen)


def _codemod_flags(command: Callable[..., None]) -> Callable[..., None]:
    """A command-line flag for every codemod option that declares one (it overrides the config)."""
    for codemod in reversed(all_codemods()):
        for key, option in reversed(list(codemod.OPTIONS.items())):
            if option.flag:
                kind = click.Choice(list(option.choices)) if option.choices else option.type
                help_text = f"{codemod.ID}: {option.help} (overrides the config)"
                command = click.option(option.flag, _flag_name(codemod.ID, key), type=kind, help=help_text)(command)
    return command


def _flag_name(codemod_id: str, key: str) -> str:
    return f"option__{codemod_id}__{key}".replace("-", "_")


def _apply_codemod_flags(config: FileConfig, flags: dict[str, Any]) -> None:
    for codemod in all_codemods():
        for key in codemod.OPTIONS:
            value = flags.get(_flag_name(codemod.ID, key))
            if value is not None:
                config.codemod_options.setdefault(codemod.ID, {})[key] = value


@main.command("run", epilog=_exit_codes_epilog("run"))
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show every change as a diff; write nothing.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any change is pending.")
@click.option("--select", type=CodemodList(), help="Run only these codemods (comma-separated ids).")
@click.option("--ignore", type=CodemodList(), help="Do not run these codemods (comma-separated ids).")
@click.option("--unsafe/--no-unsafe", default=None, help="Also apply changes marked unsafe or fix.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["rich", "diff", "json", "markdown", "sarif", "github"]),
    help="Output: rich (default on a terminal), diff (a patch for git apply), json, markdown (a pull-request "
    "description), sarif (GitHub code scanning), github (workflow annotations).",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    help="Exit 4 on findings at or above this level: never (default), error, finding.",
)
@click.option(
    "--max-markdown-chars",
    type=click.IntRange(min=MIN_MARKDOWN_CHARS),
    help=f"--format markdown stays under this many characters (default {formats.MAX_MARKDOWN_CHARS}).",
)
@click.option(
    "--format-command",
    metavar="CMD",
    help="After writing, run CMD on the Python files written, e.g. 'ruff format' (overrides `format-command` in "
    "the config). Not run with --dry-run or --check: their diffs show flaskmod's output unformatted. With --commit "
    "it runs before each commit. A failing or missing command: exit 5, the files stay as flaskmod wrote them.",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Print counts per codemod and per skip reason only (as text, or with --format json as JSON); writes nothing.",
)
@click.option("--interactive", "-i", is_flag=True, help="Review each change and choose what to apply.")
@click.option("--commit", is_flag=True, help="Apply codemod by codemod, one git commit each (needs a clean tree).")
@click.option(
    "--no-verify",
    is_flag=True,
    help="With --commit: pass --no-verify to git commit (skip the pre-commit and commit-msg hooks). Without it, "
    "a hook that rewrites files gets its rewrite staged and one retry; if the commit still fails, flaskmod stops "
    "with the tree back at the last commit, nothing staged (exit 3 after earlier commits, else 2).",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: CPU count).")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@click.option("--allow-dirty", is_flag=True, help="Write even over uncommitted changes in git.")
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Skip paths matching these gitignore-style patterns (comma-separated, repeatable; adds to the config's).",
)
@click.option("--exclude-path", "old_exclude_path", multiple=True, hidden=True, help="Now --exclude.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Neither read nor write the result cache (by default .flaskmod_cache beside the configuration).",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the result cache in this folder (overrides the config's cache-dir).",
)
@_codemod_flags
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="Read options from this TOML file.")
def run_command(
    paths: tuple[Path, ...],
    dry_run: bool,
    check: bool,
    select: tuple[str, ...] | None,
    ignore: tuple[str, ...] | None,
    unsafe: bool | None,
    output_format: str | None,
    fail_on: str | None,
    max_markdown_chars: int | None,
    format_command: str | None,
    statistics: bool,
    interactive: bool,
    commit: bool,
    no_verify: bool,
    jobs: int | None,
    no_progress: bool,
    allow_dirty: bool,
    exclude: tuple[str, ...],
    old_exclude_path: tuple[str, ...],
    no_cache: bool,
    cache_dir: Path | None,
    config_file: Path | None,
    **codemod_flags: Any,
) -> None:
    """Run the codemods over PATHS (default: the current directory)."""
    paths = paths or (Path("."),)
    _check_run_usage(paths, dry_run=dry_run, check=check, interactive=interactive, commit=commit)
    _check_statistics_usage(statistics, output_format, interactive=interactive, commit=commit)
    _check_old_spellings(old_exclude_path, exclude)
    _check_no_verify_usage(no_verify, commit=commit)
    config, excluded_here = _load_run_config(paths, config_file, _split_commas(exclude))
    _apply_codemod_flags(config, codemod_flags)
    allow_unsafe = unsafe if unsafe is not None else bool(config.unsafe)
    ids = _selected(config, select, ignore)
    mode = _mode(check=check, dry_run=dry_run or statistics)
    stdout = Console(highlight=False, emoji=False)
    stderr = Console(stderr=True, highlight=False, emoji=False)
    request = _run_request(paths, config, ids, allow_unsafe, (excluded_here,), jobs)
    request = replace(request, cache_dir=_cache_dir(cache_dir, config, no_cache=no_cache))
    formatter = _formatter(format_command, config)
    fail_level = fail_on or config.fail_on or "never"
    if commit:
        sys.exit(_commit(request, stderr, verify=not no_verify, fail_on=fail_level, fmt=formatter))

    result = _transform_or_report_interrupt(request, stderr, show=not no_progress and stderr.is_terminal)
    if interactive:
        result = _interactive(result, request, stdout)
    _report_missing(result)
    written = _write(result, allow_dirty) if mode == "write" and result.changed_files else set()
    formatted = _format_written(formatter, [f.path for f in result.changed_files if f.display in written])
    _report_errors(result)
    if statistics:
        _show_statistics(result, output_format, mode=mode, unsafe=allow_unsafe)
    elif not interactive:
        _render(
            result,
            output_format or _default_format(stdout),
            mode=mode,
            unsafe=allow_unsafe,
            max_markdown_chars=_markdown_budget(max_markdown_chars, config),
            ids=ids,
            written=written,
            stdout=stdout,
            stderr=stderr,
        )
    code = _exit_code(result, pending=mode == "check" and bool(result.changed_files))
    sys.exit(code or formatted or _gate(result, fail_level))


def _default_format(stdout: Console) -> str:
    return "rich" if stdout.is_terminal else "diff"


def _mode(*, check: bool, dry_run: bool) -> str:
    """``check``, ``dry-run`` (``--statistics`` too: it never writes) or ``write``."""
    if check:
        return "check"
    return "dry-run" if dry_run else "write"


def _check_no_verify_usage(no_verify: bool, *, commit: bool) -> None:
    if no_verify and not commit:
        _error("--no-verify goes with --commit")
        sys.exit(EXIT_USAGE)


def _show_statistics(result: RunResult, output_format: str | None, *, mode: str, unsafe: bool) -> None:
    """``--statistics``: counts as text, or as JSON with ``--format json``."""
    if output_format == "json":
        click.echo(formats.statistics_json(result, mode=mode, unsafe=unsafe), nl=False)
    else:
        click.echo(formats.statistics(result), nl=False)


def _run_request(
    paths: tuple[Path, ...],
    config: FileConfig,
    ids: Sequence[str],
    allow_unsafe: bool,
    excluded_here: tuple[PathPatterns, ...],
    jobs: int | None,
) -> RunRequest:
    by_id = {c.ID: c for c in all_codemods()}
    return RunRequest(
        paths=paths,
        codemods=tuple(by_id[i] for i in ids),
        allow_unsafe=allow_unsafe,
        options=config.codemod_options,
        excludes=(PathPatterns.from_patterns(config.base, config.exclude), *excluded_here),
        per_file_ignores=config.per_file_ignores,
        jobs=jobs or os.cpu_count() or 1,
        root=Path.cwd(),
    )


def _formatter(given: str | None, config: FileConfig) -> Callable[[list[Path]], object] | None:
    """The format command as a function of the written paths (raising FormatFailed); None when none is set."""
    command = given if given is not None else config.format_command
    if command is None:
        return None
    problem = command_problem(command)
    if problem is not None:
        _error(f"--format-command {problem}")
        sys.exit(EXIT_USAGE)
    return lambda paths: format_files(command, paths, Path.cwd())


def _format_written(formatter: Callable[[list[Path]], object] | None, paths: list[Path]) -> int:
    """Run the format command on what was written; EXIT_FORMAT_FAILED (with a one-line error) if it fails."""
    if formatter is None or not paths:
        return EXIT_OK
    try:
        formatter(paths)
    except FormatFailed as failure:
        _error(f"{failure.reason}; the files stay as flaskmod wrote them")
        return EXIT_FORMAT_FAILED
    return EXIT_OK


def _cache_dir(given: Path | None, config: FileConfig, *, no_cache: bool = False) -> Path | None:
    """``--cache-dir``, else the config's ``cache-dir`` (relative to the config file), else .flaskmod_cache there;
    None with ``--no-cache``."""
    if no_cache:
        return None
    if given is not None:
        return given.resolve()
    return (config.base / (config.cache_dir or CACHE_DIR_NAME)).resolve()


def _gate(result: RunResult, fail_on: str) -> int:
    """Exit 4 when findings reach ``fail_on``; any other failure's code comes first."""
    failing = formats.failing_findings(result, fail_on)
    if not failing:
        return EXIT_OK
    _error(f"{failing} finding(s) at or above --fail-on {fail_on}")
    return EXIT_FINDINGS


def _check_run_usage(paths: Sequence[Path], *, dry_run: bool, check: bool, interactive: bool, commit: bool) -> None:
    for path in paths:
        if path.is_symlink():
            _error(f"{path}: a symbolic link; name the file or folder it points to")
            sys.exit(EXIT_USAGE)
    if (interactive or commit) and (dry_run or check):
        _error("--interactive and --commit write changes: they cannot be combined with --dry-run or --check")
        sys.exit(EXIT_USAGE)
    if interactive and commit:
        _error("choose one of --interactive and --commit")
        sys.exit(EXIT_USAGE)


def _split_commas(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(item.strip() for value in values for item in value.split(",") if item.strip())


def _check_old_spellings(old_exclude_path: Sequence[str], exclude: Sequence[str]) -> None:
    """Exit 2 on a spelling of before Ruff's was followed, naming the new one."""
    if old_exclude_path:
        _error(f"--exclude-path is now --exclude (Ruff's spelling): --exclude {old_exclude_path[0]}")
        sys.exit(EXIT_USAGE)
    ids = [item for item in _split_commas(exclude) if item in codemod_ids()]
    if ids:
        _error(f"--exclude takes paths (Ruff's spelling); to leave out codemods use --ignore {','.join(ids)}")
        sys.exit(EXIT_USAGE)


STATISTICS_FORMATS = ("rich", "diff", "json")  # text for the first two


def _check_statistics_usage(statistics: bool, output_format: str | None, *, interactive: bool, commit: bool) -> None:
    if not statistics:
        return
    if interactive or commit:
        _error("--statistics writes nothing: it cannot be combined with --interactive or --commit")
        sys.exit(EXIT_USAGE)
    if output_format not in (None, *STATISTICS_FORMATS):
        _error(f"--statistics prints text or, with --format json, JSON; not --format {output_format}")
        sys.exit(EXIT_USAGE)


def _load_run_config(
    paths: Sequence[Path], config_file: Path | None, exclude: tuple[str, ...]
) -> tuple[FileConfig, PathPatterns]:
    """The configuration and the command line's path exclusions; a bad one exits 2."""
    try:
        config_path = config_file if config_file is not None else find_config(paths)
        config = load_config(config_path) if config_path is not None else FileConfig()
    except ConfigError as error:
        _error(str(error))
        sys.exit(EXIT_USAGE)
    try:
        return config, PathPatterns.from_patterns(Path.cwd(), exclude)
    except PatternError as error:
        _error(f"--exclude: {error}")
        sys.exit(EXIT_USAGE)


def _transform_or_report_interrupt(request: RunRequest, console: Console, *, show: bool) -> RunResult:
    try:
        return _run_with_progress(request, console, show=show)
    except KeyboardInterrupt:
        _error("interrupted; nothing was written")
        sys.exit(EXIT_INTERRUPTED)


def _write(result: RunResult, allow_dirty: bool) -> set[str]:
    """Write the changed files (refusing what git could not give back); the display paths written."""
    if not allow_dirty:
        _refuse_unrecoverable([f.path for f in result.changed_files])
    outcome = _write_or_report_interrupt(result.changed_files)
    return {f.display for f in outcome.written}


def _report_missing(result: RunResult) -> None:
    for missing in result.missing:
        _error(f"{missing}: no such file or directory")


def _markdown_budget(given: int | None, config: FileConfig) -> int:
    return given or config.max_markdown_chars or formats.MAX_MARKDOWN_CHARS


def _report_errors(result: RunResult) -> None:
    for file in result.errors:
        assert file.error is not None
        where = f"{file.display}:{file.error.line}" if file.error.line else file.display
        _error(f"{where}: {file.error.message}")


EXIT_INTERRUPTED = 130  # as a shell reports a command ended by SIGINT


def _write_or_report_interrupt(files: list[FileResult]) -> WriteOutcome:
    """Write ``files``; on Ctrl-C, say which files were written before it, then exit 130."""
    outcome = WriteOutcome()
    try:
        return write_results(files, outcome)
    except KeyboardInterrupt:
        written = ", ".join(f.display for f in outcome.written) or "none"
        _error(f"interrupted while writing; files written before the interrupt: {written}")
        sys.exit(EXIT_INTERRUPTED)


def _exit_code(result: RunResult, *, pending: bool = False) -> int:
    if any(f.error is not None and f.error.kind == "refused" for f in result.errors):
        return EXIT_USAGE  # a write target flaskmod will not touch: the rest of the run went on
    return EXIT_PENDING_OR_FAILED if result.errors or result.missing or pending else EXIT_OK


def _refuse_unrecoverable(paths: list[Path]) -> None:
    """Exit 2, writing nothing, when git could not give back what writing ``paths`` would overwrite."""
    try:
        dirty = git_states(paths)
    except GitUnavailable as error:
        _error(f"refusing to write: {error.reason}; pass --allow-dirty to write anyway")
        sys.exit(EXIT_USAGE)
    if dirty:
        names = ", ".join(
            os.path.relpath(d.path) if d.state is State.MODIFIED else f"{os.path.relpath(d.path)} ({d.state.value})"
            for d in dirty
        )
        _error(f"refusing to write over uncommitted changes in {names}: commit or stash them, or pass --allow-dirty")
        sys.exit(EXIT_USAGE)


_LINES = re.compile(r"(\d+)(?:-(\d+))?")


@main.command("extract", epilog=_exit_codes_epilog("extract"))
@click.argument("target", metavar="PATH:VIEW")
@click.option("--lines", "lines", required=True, metavar="A-B", help="The lines of the statements to extract.")
@click.option("--name", "name", required=True, help="The name of the new service function.")
@click.option(
    "--to", "module", type=click.Path(path_type=Path, dir_okay=False), help="The services module (a .py path)."
)
@click.option("--dry-run", is_flag=True, help="Show the change as a diff; write nothing.")
@click.option(
    "--format", "output_format", type=click.Choice(["rich", "diff"]), help="Output: rich (default on a terminal), diff."
)
@click.option("--allow-dirty", is_flag=True, help="Write even over uncommitted changes in git.")
def extract_command(
    target: str, lines: str, name: str, module: Path | None, dry_run: bool, output_format: str | None, allow_dirty: bool
) -> None:
    """Extract the statements on lines A-B of VIEW in PATH into a service function NAME (extract-services).

    The explicit mode of extract-services: the same data-flow analysis and refusals as the
    automatic mode, whatever the view's size (max-view-statements, min-statements and names
    do not apply). Lines A to B (`--lines 12` is 12-12) must be whole consecutive statements
    of one block: the view's body, or one branch of an if, a loop, a with or a try. VIEW must
    be a function with a Flask route decorator flaskmod can prove. HTTP work in the range
    (flash, session...) moves along when it is still equivalent; return never does.

    The change is unsafe, but asked for: it is applied without --unsafe. The services module
    is --to, or the services-module option of [tool.flaskmod.extract-services] (the only
    configuration this command reads). A refusal is one line on stderr, and nothing is written.
    """
    path_text, _, view = target.rpartition(":")
    match = _LINES.fullmatch(lines)
    first, last = (int(match[1]), int(match[2] or match[1])) if match else (0, 0)
    problem = _extract_usage_problem(path_text, view, first, last, lines, name, module)
    if problem is not None:
        _error(problem)
        sys.exit(EXIT_USAGE)
    try:
        config_path = find_config((Path(path_text),))
        config = load_config(config_path) if config_path is not None else FileConfig()
    except ConfigError as error:
        _error(str(error))
        sys.exit(EXIT_USAGE)
    entry = command("extract")(run_one_file)
    options = config.codemod_options.get(entry.CODEMOD.ID, {})
    try:
        result = entry.run(Path(path_text), view, first, last, name, module, options=options, root=Path.cwd())
    except (CommandRefused, OSError) as refusal:
        _error(f"{path_text}:{view}: {refusal.reason if isinstance(refusal, CommandRefused) else refusal}")
        sys.exit(EXIT_PENDING_OR_FAILED)
    mode = "dry-run" if dry_run else "write"
    stdout, stderr = Console(highlight=False, emoji=False), Console(stderr=True, highlight=False, emoji=False)
    written: set[str] = set()
    if mode == "write":
        if not allow_dirty:
            _refuse_unrecoverable([f.path for f in result.changed_files])
        written = {f.display for f in write_results(result.changed_files).written}
    for file in result.errors:
        _error(f"{file.display}: {file.error.message if file.error else ''}")
    _render(
        result,
        output_format or ("rich" if stdout.is_terminal else "diff"),
        mode=mode,
        unsafe=True,
        ids=(entry.CODEMOD.ID,),
        written=written,
        stdout=stdout,
        stderr=stderr,
    )
    sys.exit(_exit_code(result))


def _extract_usage_problem(
    path: str, view: str, first: int, last: int, lines: str, name: str, module: Path | None
) -> str | None:
    if not path or not view.isidentifier():
        return "expected PATH:VIEW, for example app/views.py:edit_user"
    if not 1 <= first <= last:
        return f"--lines must be A-B with 1 <= A <= B, not {lines!r}"
    if not name.isidentifier() or keyword.iskeyword(name):
        return f"--name must be a Python identifier, not {name!r}"
    if module is not None and module.suffix != ".py":
        return f"--to must name a .py file, not {module}"
    if module is not None and (module.is_absolute() or ".." in module.parts):
        return f"--to must be a path inside the project, without `..`, not {module}"
    if not Path(path).is_file():
        return f"{path}: no such file"
    return None


# The keys and words of `git add -p`, a change being one codemod's change to one file.
PROMPT = "({number}/{total}) Apply this change [y,n,q,a,d,?]"
DECISIONS = {
    "y": Decision.APPLY,
    "n": Decision.SKIP,
    "q": Decision.QUIT,
    "a": Decision.APPLY_FILE,
    "d": Decision.SKIP_FILE,
}
REVIEW_HELP = """y - apply this change
n - do not apply this change
q - quit; do not apply this change or any of the remaining ones
a - apply this change and all later changes in the file
d - do not apply this change or any of the later changes in the file
? - print help"""


def _ask(number: int, total: int) -> Decision:
    """The answer to one proposal; ``?`` prints the help and asks again."""
    choices = click.Choice([*DECISIONS, "?"])
    while True:
        answer = click.prompt(
            PROMPT.format(number=number, total=total), type=choices, show_choices=False, prompt_suffix="? "
        )
        if answer != "?":
            return DECISIONS[answer]
        click.echo(REVIEW_HELP)


def _interactive(result: RunResult, request: RunRequest, console: Console) -> RunResult:
    """Ask about each change; the result holds only what was accepted."""
    review = Review(result, request)
    for proposal in review.proposals():
        file, record = proposal.file, proposal.record
        console.rule(Text(f"{one_line(file.display)} · {record.codemod} ({record.safety.value})"), align="left")
        console.print(diff_renderable(record.before, record.after))
        for edit in proposal.extra_edits:
            console.print(Text(f"  also appends to {one_line(str(edit.path))}:"), soft_wrap=True)
            console.print(diff_renderable("", edit.append))
        render_file(
            console, FileResult(path=file.path, display=file.display, records=[record]), show_diff=False, verb=""
        )
        review.decide(_ask(proposal.number, review.total))
    chosen = review.result()
    console.print(f"{len(chosen.changed_files)} file(s) to write.")
    return chosen


def _commit(
    request: RunRequest,
    console: Console,
    *,
    verify: bool,
    fail_on: str,
    fmt: Callable[[list[Path]], object] | None = None,
) -> int:
    """Commit codemod by codemod; then, as a run does, exit 4 when findings reach ``fail_on``."""
    try:
        root = repository_root(request.root)
        ensure_clean(root)
        outcomes = commit_per_codemod(request, root, verify=verify, formatter=fmt)
    except CommitStopped as stopped:
        _report_commits(stopped.outcomes, console)
        if stopped.left:
            _error(f"{stopped}; not as the last commit has them: {', '.join(stopped.left)}")
        elif stopped.committed:
            _error(f"{stopped}; the commits above stay, the working tree is as the last one left it")
        else:
            _error(f"{stopped}; nothing was written")
        return EXIT_COMMIT_STOPPED if stopped.committed or stopped.left else EXIT_USAGE
    except CommitError as error:
        _error(str(error))
        return EXIT_USAGE
    if _report_commits(outcomes, console):
        return EXIT_PENDING_OR_FAILED
    return _gate(RunResult(files=[f for o in outcomes for f in o.result.files], scanned=0), fail_on)


def _report_commits(outcomes: list[CommitOutcome], console: Console) -> bool:
    """One line per codemod done; whether some file could not be processed."""
    failed = False
    for outcome in outcomes:
        if outcome.commit:
            count = len(outcome.result.changed_files)
            console.print(f"{outcome.codemod}: committed {outcome.commit[:10]} ({count} file(s))", markup=False)
        else:
            console.print(f"{outcome.codemod}: nothing to commit", markup=False)
        for file in outcome.result.errors:
            assert file.error is not None
            _error(f"{file.display}: {file.error.message}")
            failed = True
    return failed


def _run_with_progress(request: RunRequest, console: Console, *, show: bool) -> RunResult:
    if not show:
        return run(request)
    # No auto-refresh thread: worker processes may be forked while this runs.
    progress = Progress(
        TextColumn("flaskmod"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        auto_refresh=False,
    )
    task: list[Any] = []

    def update(done: int, total: int) -> None:
        if total < PROGRESS_MIN_FILES:
            return
        if not task:
            progress.start()
            task.append(progress.add_task("files", total=total))
        progress.update(task[0], completed=done)
        progress.refresh()

    try:
        return run(request, on_progress=update)
    finally:
        if task:
            progress.stop()


def _append_job_summary(result: RunResult, *, unsafe: bool, max_chars: int) -> bool:
    """Append the markdown report to ``$GITHUB_STEP_SUMMARY`` when GitHub Actions sets it; whether it was."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return False
    try:
        with open(target, "a", encoding="utf-8") as summary:
            summary.write(formats.markdown_report(result, unsafe=unsafe, max_chars=max_chars))
    except OSError as error:
        _error(f"GITHUB_STEP_SUMMARY: cannot append to {target}: {error.strerror}")
        return False
    return True


def _render(
    result: RunResult,
    output_format: str,
    *,
    mode: str,
    unsafe: bool,
    ids: tuple[str, ...],
    written: set[str],
    stdout: Console,
    stderr: Console,
    max_markdown_chars: int = formats.MAX_MARKDOWN_CHARS,
) -> None:
    if output_format == "rich":
        render_run(stdout, result, mode=mode, unsafe=unsafe)
        return
    out = sys.stdout.buffer
    if output_format == "json":
        out.write(report.json_report(result, mode=mode, codemods=list(ids), unsafe=unsafe, written=written).encode())
    elif output_format == "markdown":
        out.write(formats.markdown_report(result, unsafe=unsafe, max_chars=max_markdown_chars).encode())
    elif output_format == "sarif":
        out.write(formats.sarif_report(result).encode())
    elif output_format == "github":
        job_summary = _append_job_summary(result, unsafe=unsafe, max_chars=max_markdown_chars)
        out.write(formats.github_annotations(result, job_summary=job_summary).encode())
    else:
        out.write(report.run_patch(result))
        # The patch has no room for them: every skip, finding and unsafe change (left out or applied) goes to stderr.
        for note in formats.annotations(result):
            if note.kind in ("finding", "unsafe", "applied", "skip"):
                where = f"{note.path}:{note.line}" if note.line else note.path
                line = visible(f"{where}: {note.codemod}: {note.message}")
                stderr.print(line, markup=False, soft_wrap=True, highlight=False)
    out.flush()
    for codemod, message in result.notices:
        stderr.print(visible(f"flaskmod: note ({codemod}): {message}"), markup=False, soft_wrap=True)
    summary = report.summarize(result)
    changes = ", ".join(f"{k}: {v}" for k, v in sorted(summary.changes.items())) or "none"
    stderr.print(
        f"flaskmod: {summary.files_scanned} files scanned, {summary.files_changed} changed "
        f"(changes: {changes}), {summary.unsafe_left_out} unsafe left out, "
        f"{summary.skipped} skipped, {summary.findings} findings, {summary.errors} errors",
        markup=False,
        soft_wrap=True,
    )


if __name__ == "__main__":
    main()
