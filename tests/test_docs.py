"""README.md and docs/ stay true.

- The generated pages (docs/cli.md, docs/codemods/<id>.md, README's codemod table) are what
  `python docs/generate.py` renders from the code now.
- Every command shown in a ```console block (a line starting with `$ `) runs, in a fresh copy
  of samples/ and bench/ (the block starts in the folder that holds `samples/`; `$ cd DIR` moves), with
  130 terminal columns; the lines after it, up to the next `$ ` line, are its output
  (stdout and stderr as a terminal shows them) and must match: a line `...` stands for any
  lines, `...` inside a line for any text. A command shown without output must exit 0 or 1.
  A command ending in a here-document (`<< 'EOF'`) takes the lines up to `EOF` as its input.
- Other blocks never hold `$ ` commands, and a ```sh block starts with a `# not run ...`
  comment saying why the tests cannot run it.
- The flaskmod steps of a workflow shown run on a copy of samples/bookshop; a pre-commit
  configuration shown names only hooks the repository ships.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest

TOP = Path(__file__).parent.parent
PAGES = [TOP / "README.md", *sorted((TOP / "docs").rglob("*.md"))]
HAND_WRITTEN = [TOP / "README.md", *sorted((TOP / "docs").glob("*.md"))]
FENCE = re.compile(r"^( *)```(\w*)[^\n]*\n(.*?)^\1```\s*$", re.MULTILINE | re.DOTALL)
ELLIPSIS = "..."
HEREDOC = re.compile(r"<<\s*'?(\w+)'?\s*$")


def _generator():  # docs/generate.py is a script, not part of the package
    spec = importlib.util.spec_from_file_location("docs_generate", TOP / "docs" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_docs_are_current() -> None:
    stale = [str(path.relative_to(TOP)) for path in _generator().stale_files()]
    assert stale == [], f"stale generated docs {stale}: run `python docs/generate.py`"


def test_readme_is_a_short_front_door() -> None:
    assert len((TOP / "README.md").read_text(encoding="utf-8").splitlines()) <= 300


@dataclass
class Command:
    line: str
    output: list[str] = field(default_factory=list)


@dataclass
class Block:
    page: Path
    lineno: int
    language: str
    body: str

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(TOP)}:{self.lineno}"

    def commands(self) -> list[Command]:
        commands: list[Command] = []
        heredoc_end = None  # a `$ cat > FILE << 'EOF'` command takes the lines up to EOF as its input
        for line in self.body.splitlines():
            if heredoc_end is not None:
                commands[-1].line += "\n" + line
                heredoc_end = None if line == heredoc_end else heredoc_end
            elif line.startswith("$ "):
                commands.append(Command(line[2:]))
                heredoc = HEREDOC.search(line)
                heredoc_end = heredoc[1] if heredoc else None
            else:
                assert commands, f"{self.name}: output before any `$ ` command"
                commands[-1].output.append(line)
        return commands


def blocks(pages: list[Path]) -> list[Block]:
    found = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            lineno = text.count("\n", 0, match.start()) + 1
            found.append(Block(page, lineno, match[2], textwrap.dedent(match[3])))
    return found


CONSOLE_BLOCKS = [b for b in blocks(PAGES) if b.language == "console"]


def output_pattern(expected: list[str]) -> re.Pattern[str]:
    """A line `...` matches any lines; `...` inside a line any text; trailing spaces never count."""
    parts = []
    for line in expected:
        if line.strip() == ELLIPSIS:
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(".*?".join(re.escape(piece) for piece in line.rstrip().split(ELLIPSIS)) + r"\n")
    return re.compile("".join(parts))


def normalized(output: str) -> str:
    return "".join(line.rstrip() + "\n" for line in output.splitlines())


@pytest.mark.parametrize(
    ("expected", "actual", "matches"),
    [
        (["a", "...", "d"], "a\nb\nc\nd\n", True),
        (["a", "...", "b"], "a\nb\n", True),
        (["x: ..."], "x: long text\n", True),
        (["a", "d"], "a\nb\nd\n", False),
        (["a"], "a\nextra\n", False),
        (["a ... c"], "a b\n", False),
    ],
)
def test_output_pattern(expected: list[str], actual: str, matches: bool) -> None:
    assert bool(output_pattern(expected).fullmatch(normalized(actual))) is matches


def _environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GITHUB_", "FLASKMOD"))}
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        COLUMNS="130",
        PYTHONUNBUFFERED="1",  # stdout and stderr interleave as on a terminal
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="docs",
        GIT_AUTHOR_EMAIL="docs@example.com",
        GIT_COMMITTER_NAME="docs",
        GIT_COMMITTER_EMAIL="docs@example.com",
    )
    return env


@pytest.mark.parametrize("block", CONSOLE_BLOCKS, ids=lambda b: b.name)
def test_console_block_runs_as_shown(block: Block, tmp_path: Path) -> None:
    shutil.copytree(TOP / "samples", tmp_path / "samples", ignore=shutil.ignore_patterns("__pycache__"))
    # The review scripts a page may show (`python bench/extractions.py ...`); not the generated trees.
    shutil.copytree(TOP / "bench", tmp_path / "bench", ignore=shutil.ignore_patterns("__pycache__", "generated"))
    cwd, env = tmp_path, _environment()
    commands = block.commands()
    assert commands, f"{block.name}: a console block without a `$ ` command"
    for command in commands:
        if command.line.startswith("cd "):
            cwd = cwd / shlex.split(command.line)[1]
            continue
        done = subprocess.run(
            command.line, shell=True, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        shown = f"{block.name}: `$ {command.line}` (exit {done.returncode}) printed:\n{done.stdout}"
        if command.output and not output_pattern(command.output).fullmatch(normalized(done.stdout)):
            pytest.fail(shown)
        if not command.output and done.returncode not in (0, 1):
            pytest.fail(shown)


@pytest.mark.parametrize("block", [b for b in blocks(PAGES) if b.language != "console"], ids=lambda b: b.name)
def test_commands_outside_console_blocks_are_marked_not_run(block: Block) -> None:
    assert not any(line.startswith("$ ") for line in block.body.splitlines()), f"{block.name}: use ```console"
    if block.language == "sh":
        assert block.body.startswith("# not run"), f"{block.name}: a ```sh block says why it is not run"


@pytest.mark.parametrize("page", HAND_WRITTEN, ids=lambda p: str(p.relative_to(TOP)))
def test_relative_links_resolve(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
        assert (page.parent / target).exists(), f"{page.relative_to(TOP)} links to missing {target}"


WORKFLOWS = [b for b in blocks(PAGES) if b.language == "yaml" and ".github/workflows/" in b.body.splitlines()[0]]
PRE_COMMIT_CONFIGS = [b for b in blocks(PAGES) if b.language == "yaml" and ".pre-commit-config.yaml" in b.body]


@pytest.mark.parametrize("block", WORKFLOWS, ids=lambda b: b.name)
def test_workflow_steps_run_on_a_sample(block: Block, tmp_path: Path) -> None:
    """The workflow's flaskmod steps, as GitHub Actions would run them on samples/bookshop (the rest needs GitHub)."""
    steps = [step for step in re.findall(r"^\s*- run: (.*)$", block.body, re.MULTILINE) if step.startswith("flaskmod ")]
    assert steps, f"{block.name}: no flaskmod step"
    sample = tmp_path / "bookshop"
    shutil.copytree(TOP / "samples" / "bookshop", sample, ignore=shutil.ignore_patterns("__pycache__"))
    summary = tmp_path / "step_summary.md"
    env = _environment() | {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    for step in steps:
        done = subprocess.run(step, shell=True, cwd=sample, env=env, capture_output=True, text=True)
        # the sample has changes pending and a finding that is an error: the step fails the job, as it should
        assert done.returncode == 1, done.stderr
        commands = done.stdout.splitlines()
        assert commands and all(line.startswith("::") for line in commands), done.stdout
        assert any(line.startswith("::error file=") for line in commands)
    assert summary.read_text(encoding="utf-8").startswith("# flaskmod")


@pytest.mark.parametrize("block", PRE_COMMIT_CONFIGS, ids=lambda b: b.name)
def test_pre_commit_example_names_shipped_hooks(block: Block) -> None:
    shipped = re.findall(r"^- id: (\S+)", (TOP / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"), re.MULTILINE)
    named = re.findall(r"^\s*- id: (\S+)", block.body, re.MULTILINE)
    assert named and set(named) <= set(shipped), f"{block.name} names {named}; shipped: {shipped}"
