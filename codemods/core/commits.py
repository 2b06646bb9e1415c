"""``--commit``: one git commit per codemod, so a pull request can be reviewed codemod by codemod."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.discovery import discover
from flaskmod.codemods.core.engine import FileResult, RunRequest, RunResult, run
from flaskmod.codemods.core.formatter import FormatFailed
from flaskmod.codemods.core.gitstate import GitUnavailable, git_states, ignored_paths
from flaskmod.codemods.core.writer import write_atomically, write_results


class CommitError(Exception):
    """Committing cannot start; nothing was written. The message says why."""


@dataclass
class CommitOutcome:
    codemod: str
    result: RunResult
    commit: str | None  # the new commit's hash; None when the codemod changed nothing
    failed_writes: list[str]


class CommitStopped(CommitError):
    """Committing stopped partway: the failing codemod's writes were undone, earlier commits stay.

    ``outcomes`` are the codemods done before (their commits were made); ``left`` names the
    files that are not as the last commit has them (they could not be restored, or a hook changed them).
    """

    def __init__(self, codemod: str, reason: str, outcomes: list[CommitOutcome], left: list[str]) -> None:
        super().__init__(f"{codemod}: {reason}")
        self.codemod = codemod
        self.reason = reason
        self.outcomes = outcomes
        self.left = left

    @property
    def committed(self) -> bool:
        return any(o.commit for o in self.outcomes)


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)


def repository_root(directory: Path) -> Path:
    try:
        top = _git(directory, "rev-parse", "--show-toplevel")
    except OSError as error:
        raise CommitError(f"--commit needs git: {error}") from None
    if top.returncode != 0:
        raise CommitError(f"--commit needs a git repository: {directory} is not in one")
    return Path(top.stdout.strip())


def ensure_clean(root: Path) -> None:
    status = _git(root, "status", "--porcelain", "--untracked-files=no")
    if status.returncode != 0:
        raise CommitError(f"git status failed: {status.stderr.strip()}")
    if status.stdout.strip():
        raise CommitError("--commit needs a clean working tree: commit or stash your changes first")


def commit_message(codemod_id: str, summary: str, result: RunResult) -> str:
    changed = [f for f in result.changed_files]
    records = [(f, r) for f in result.files for r in f.records if r.codemod == codemod_id]
    lines = [f"flaskmod: {codemod_id}", "", summary, ""]
    lines.append(f"Files changed: {len(changed)}")
    lines += [f"  {f.display}" for f in changed]
    skips = Counter(n.message for _, r in records for n in r.skips)
    if skips:
        lines += ["", "Skipped candidates, by reason:"]
        lines += [f"  {count} x {reason}" for reason, count in sorted(skips.items(), key=lambda i: (-i[1], i[0]))]
    for title, kind in _MESSAGE_SECTIONS:
        notes = [(f, n) for f, r in records for n in getattr(r, kind)]
        if notes:
            lines += ["", title]
            lines += [f"  {f.display}:{n.line}: {n.message}" for f, n in notes]
    return "\n".join(lines) + "\n"


# The notes a commit message lists, in order, under these titles.
_MESSAGE_SECTIONS = (
    ("Unsafe changes applied (behaviour may change; review each):", "unsafe_applied"),
    ("Unsafe changes left out (rerun with --unsafe after review):", "unsafe_left_out"),
    ("Findings:", "findings"),
)


def _relative(root: Path, path: Path) -> str | None:
    """``path`` relative to the repository's top, as git wants it; None when it lies outside."""
    relative = os.path.relpath(os.path.realpath(path), os.path.realpath(root))
    return None if relative == os.pardir or relative.startswith(os.pardir + os.sep) else relative


def uncommittable(root: Path, files: Sequence[FileResult]) -> list[str]:
    """The files of ``files`` --commit must not write: untracked or gitignored, new but gitignored, or outside ``root``.

    Writing then committing an untracked file would publish a file nobody added (and git could not give
    its original back); ``git add`` refuses an ignored one. Raises CommitError when git cannot tell.
    """
    problems = [f"{f.display} (outside the repository)" for f in files if _relative(root, f.path) is None]
    inside = [f for f in files if _relative(root, f.path) is not None]
    try:
        states = git_states([f.path for f in inside if not f.is_new])
        ignored_new = ignored_paths(root, [f.path for f in inside if f.is_new])
    except GitUnavailable as error:
        raise CommitError(error.reason) from None
    display = {f.path: f.display for f in files}
    problems += [f"{display[s.path]} ({s.state.value})" for s in states]
    problems += [f"{display[p]} (new file, gitignored)" for p in ignored_new]
    return problems


def _refusal(problems: list[str]) -> str:
    return (
        f"--commit writes only files git tracks, but it would write {', '.join(problems)}: "
        "add and commit them, or leave them out with --exclude"
    )


def _undo(root: Path, written: list[FileResult], originals: dict[Path, bytes]) -> list[str]:
    """Put back the files one codemod wrote (unstaged, original bytes, new files removed); what is still not clean."""
    names = [name for f in written if (name := _relative(root, f.path)) is not None]
    if names:
        _git(root, "reset", "--quiet", "--", *names)
    for file in written:
        target = Path(os.path.realpath(file.path))
        original = originals.get(file.path)
        with contextlib.suppress(OSError):  # what could not be put back is reported below: git status shows it
            if file.is_new:
                target.unlink(missing_ok=True)
            elif original is not None:
                write_atomically(target, original, target.stat().st_mode & 0o7777)
    status = _git(root, "status", "--porcelain=v1", "--untracked-files=no")
    left = [line[3:] for line in status.stdout.splitlines() if len(line) > 3]
    left += [f.display for f in written if f.is_new and Path(os.path.realpath(f.path)).exists()]
    if status.returncode != 0:
        left.append(f"(git status failed: {_first_line(status.stderr)})")
    return left


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else "no message"


def _needs_whole_run_check(request: RunRequest, root: Path) -> bool:
    """Whether a codemod could write a file git does not track: one is untracked, or in scope and gitignored.

    When none is, only a new file at a gitignored path is left, and the codemod that would create it
    stops before writing (CommitStopped, the earlier commits kept) instead of before the first commit.
    """
    paths = [Path(os.path.abspath(p)) for p in request.paths]
    if any(_relative(root, p) is None for p in paths):
        return True
    untracked = _git(root, "status", "--porcelain", "--untracked-files=normal")
    if untracked.returncode != 0 or untracked.stdout.strip():
        return True
    try:
        return bool(git_states(discover(request.paths, request.excludes).files))
    except GitUnavailable as error:
        raise CommitError(error.reason) from None


def _written_originals(files: Sequence[FileResult]) -> dict[Path, bytes]:
    originals: dict[Path, bytes] = {}
    for file in files:
        if not file.is_new:
            with contextlib.suppress(OSError):  # write_results reports it and leaves it alone
                originals[file.path] = Path(os.path.realpath(file.path)).read_bytes()
    return originals


def _git_commit(root: Path, message: str, *, verify: bool) -> subprocess.CompletedProcess[str]:
    command = ["git", "commit", "--quiet", "--file", "-", *([] if verify else ["--no-verify"])]
    return subprocess.run(command, cwd=root, input=message, capture_output=True, text=True, check=False)


def _unstaged_changes(root: Path) -> list[str]:
    """Tracked files whose working copy differs from the index: what a hook rewrote after ``git add``."""
    changed = _git(root, "diff", "--name-only", "-z")
    return [name for name in changed.stdout.split("\0") if name]


def _back_to_last_commit(root: Path, written: list[FileResult], originals: dict[Path, bytes]) -> list[str]:
    """Undo one codemod's writes and whatever a hook changed in tracked files; what is still not clean.

    The tree was clean when the codemod started (``ensure_clean``), so every tracked change is
    flaskmod's or the hook's: nothing of the user's is lost.
    """
    _undo(root, written, originals)
    changed = _git(root, "diff", "HEAD", "--name-only", "-z")  # staged or not, deleted too
    tracked = [name for name in changed.stdout.split("\0") if name]
    if tracked:
        _git(root, "reset", "--quiet", "--", *tracked)
        _git(root, "checkout", "--quiet", "--", *tracked)
    return _undo(root, [f for f in written if f.is_new], {})  # what is still not clean


def _commit_written(
    root: Path, codemod: type[Codemod], result: RunResult, written: list[FileResult], *, verify: bool
) -> str | None:
    """Stage and commit what one codemod wrote; the failure's reason, or None once committed.

    A hook that rewrites files (an import sorter, a formatter) fails the first commit: what it changed
    is staged and the commit is tried once more, so the commit holds the codemod's change as the hook
    leaves it, and says so.
    """
    names = [name for f in written if (name := _relative(root, f.path)) is not None]
    added = _git(root, "add", "--", *names)
    if added.returncode != 0:
        return f"git add failed: {_first_line(added.stderr)}"
    message = commit_message(codemod.ID, codemod.SUMMARY, result)
    made = _git_commit(root, message, verify=verify)
    if made.returncode == 0:
        return None
    rewritten = _unstaged_changes(root)
    if not rewritten:
        return f"git commit failed: {_first_line(made.stderr or made.stdout)}"
    restaged = _git(root, "add", "--", *rewritten)
    note = "\nA pre-commit hook rewrote, and this commit includes: " + ", ".join(rewritten) + "\n"
    retried = _git_commit(root, message + note, verify=verify) if restaged.returncode == 0 else restaged
    if retried.returncode == 0:
        return None
    why = _first_line(retried.stderr or retried.stdout)
    return f"git commit failed again after staging what the hook rewrote ({', '.join(rewritten)}): {why}"


def _format(formatter: Callable[[list[Path]], object] | None, written: list[FileResult]) -> str | None:
    """Run the format command on one codemod's written files; why it failed, or None."""
    if formatter is None:
        return None
    try:
        formatter([f.path for f in written])
    except FormatFailed as failure:
        return failure.reason
    return None


def _check_committable(root: Path, result: RunResult, codemod: str, outcomes: list[CommitOutcome]) -> None:
    try:
        ensure_clean(root)  # a hook that passed but left changes would mix them into the next commit
        problems = uncommittable(root, result.changed_files)
        if problems:
            raise CommitError(_refusal(problems))
    except CommitError as error:
        if any(o.commit for o in outcomes):
            raise CommitStopped(codemod, str(error), outcomes, []) from None
        raise


def commit_per_codemod(
    request: RunRequest,
    root: Path,
    *,
    verify: bool = True,
    formatter: Callable[[list[Path]], object] | None = None,
) -> list[CommitOutcome]:
    """Run each codemod on its own over the tree the previous commits left, and commit its changes.

    Before anything is written, the whole run is checked (``uncommittable``): a file that is untracked,
    gitignored or outside the repository makes it refuse with CommitError. That check costs a whole run,
    so it is made only when such a file exists (``_needs_whole_run_check``); otherwise each codemod runs
    once, on its own, on the tree the previous commit (and its hooks) left, so its commit holds its change
    only (the codemods cannot run together: a hook may rewrite what the next one reads).
    A pre-commit hook that rewrites files gets one retry with its rewrite staged (``_commit_written``);
    if ``git add`` or ``git commit`` still fails, the tree goes back to the last commit (that codemod's
    writes and the hook's changes undone, nothing staged) and CommitStopped says what could not be.
    ``verify=False`` passes ``--no-verify`` to git commit. ``formatter`` (the format command) runs on
    each codemod's written files before they are staged; if it fails, committing stops the same way.
    """
    if len(request.codemods) > 1 and _needs_whole_run_check(request, root):
        problems = uncommittable(root, run(request).changed_files)
        if problems:
            raise CommitError(_refusal(problems))
    outcomes: list[CommitOutcome] = []
    for codemod in request.codemods:
        result = run(replace(request, codemods=(codemod,)))
        _check_committable(root, result, codemod.ID, outcomes)
        originals = _written_originals(result.changed_files)
        outcome = write_results(result.changed_files)
        commit = None
        if outcome.written:
            failure = _format(formatter, outcome.written) or _commit_written(
                root, codemod, result, outcome.written, verify=verify
            )
            if failure is not None:
                left = _back_to_last_commit(root, outcome.written, originals)
                raise CommitStopped(codemod.ID, failure, outcomes, left)
            commit = _git(root, "rev-parse", "HEAD").stdout.strip()
        outcomes.append(CommitOutcome(codemod.ID, result, commit, [f.display for f in outcome.failed]))
    return outcomes
