"""``--commit``: one git commit per codemod, so a pull request can be reviewed codemod by codemod."""

from __future__ import annotations

import subprocess
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from codemods.core.engine import RunRequest, RunResult, run
from codemods.core.writer import write_results


class CommitError(Exception):
    """Committing cannot start or go on; the message says why."""


@dataclass
class CommitOutcome:
    codemod: str
    result: RunResult
    commit: str | None  # the new commit's hash; None when the codemod changed nothing
    failed_writes: list[str]


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
    left_out = [(f, n) for f, r in records for n in r.unsafe_left_out]
    if left_out:
        lines += ["", "Unsafe changes left out (rerun with --unsafe after review):"]
        lines += [f"  {f.display}:{n.line}: {n.message}" for f, n in left_out]
    findings = [(f, n) for f, r in records for n in r.findings]
    if findings:
        lines += ["", "Findings:"]
        lines += [f"  {f.display}:{n.line}: {n.message}" for f, n in findings]
    return "\n".join(lines) + "\n"


def commit_per_codemod(request: RunRequest, root: Path) -> list[CommitOutcome]:
    """Run each codemod on its own over the tree the previous commits left, and commit its changes."""
    outcomes: list[CommitOutcome] = []
    for codemod in request.codemods:
        result = run(replace(request, codemods=(codemod,)))
        outcome = write_results(result.changed_files)
        failed = [f.display for f in outcome.failed]
        commit = None
        if outcome.written:
            paths = [str(f.path) for f in outcome.written]
            added = _git(root, "add", "--", *paths)
            if added.returncode != 0:
                raise CommitError(f"git add failed: {added.stderr.strip()}")
            message = commit_message(codemod.ID, codemod.SUMMARY, result)
            made = subprocess.run(
                ["git", "commit", "--quiet", "--file", "-"],
                cwd=root,
                input=message,
                capture_output=True,
                text=True,
                check=False,
            )
            if made.returncode != 0:
                raise CommitError(f"git commit failed: {made.stderr.strip() or made.stdout.strip()}")
            commit = _git(root, "rev-parse", "HEAD").stdout.strip()
        outcomes.append(CommitOutcome(codemod.ID, result, commit, failed))
    return outcomes
