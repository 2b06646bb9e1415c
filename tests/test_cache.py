"""The result cache (.flaskmod_cache): what invalidates an entry, and that it never changes the output."""

from __future__ import annotations

import pickle
import re
import shutil
from pathlib import Path
from typing import Any

import libcst as cst
import pytest
from click.testing import CliRunner

from flaskmod.cli import main
from flaskmod.codemods.core import cache as cache_module
from flaskmod.codemods.core import engine
from flaskmod.codemods.core.base import Codemod, Example, Safety
from flaskmod.codemods.core.discovery import PathPatterns, discover
from flaskmod.codemods.core.engine import RunRequest, run
from flaskmod.codemods.core.ignores import PerFileIgnore
from flaskmod.codemods.core.report import run_patch

SAMPLES = sorted(p for p in (Path(__file__).parent.parent / "samples").iterdir() if p.is_dir())
DOC = "\n## What it does\nx\n## Why is this bad?\nx\n## Example\nx\n## Fix safety\nx\n"


def first_word(text: str) -> str:
    """The scanner the test codemod reads ``names.txt`` through."""
    return text.split()[0] if text.split() else "bar"


class RenameFoo(Codemod):
    """Renames ``foo`` to the first word of ``names.txt`` beside the file, read through the project."""

    __doc__ = DOC
    ID = "rename-foo"
    SUMMARY = "foo becomes the name names.txt gives"
    SAFETY = Safety.SAFE
    EXAMPLES = (Example("foo\n", "bar\n"),)
    TRIGGER = re.compile("foo")

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if updated_node.value != "foo":
            return updated_node
        names = Path(self.context.filename or ".").parent / "names.txt"
        return updated_node.with_changes(value=self.project.fact(names, first_word) or "bar")


class RenameBaz(RenameFoo):
    __doc__ = DOC
    ID = "rename-baz"
    SUMMARY = "baz becomes qux"
    SAFETY = Safety.SAFE
    EXAMPLES = (Example("baz\n", "qux\n"),)
    TRIGGER = re.compile("baz")

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return updated_node.with_changes(value="qux") if updated_node.value == "baz" else updated_node


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "a.py").write_text("foo = 1\n")
    (root / "b.py").write_text("foo = 2\nbaz = 3\n")
    (root / "c.py").write_text("baz = 4\n")
    (root / "names.txt").write_text("spam\n")
    return root


@pytest.fixture
def transformed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the engine transformed (not taken from the cache), in order."""
    seen: list[str] = []
    process_file = engine._process_file

    def spy(path: Path, *args: Any, **kwargs: Any) -> Any:
        seen.append(path.name)
        return process_file(path, *args, **kwargs)

    monkeypatch.setattr(engine, "_process_file", spy)
    return seen


def _run(tree: Path, codemods: tuple[type[Codemod], ...] = (RenameFoo, RenameBaz), **kwargs: Any) -> str:
    request = RunRequest(paths=(tree,), codemods=codemods, root=tree, cache_dir=tree.parent / "cache", jobs=1, **kwargs)
    return run_patch(run(request)).decode()


def test_a_warm_run_transforms_nothing_and_says_the_same(tree: Path, transformed: list[str]) -> None:
    cold = _run(tree)
    assert sorted(transformed) == ["a.py", "b.py", "c.py"] and "+spam = 1" in cold
    transformed.clear()
    assert _run(tree) == cold
    assert transformed == []


def test_a_changed_file_is_transformed_again_alone(tree: Path, transformed: list[str]) -> None:
    _run(tree)
    transformed.clear()
    (tree / "c.py").write_text("baz = 5\n")
    assert "+qux = 5" in _run(tree)
    assert transformed == ["c.py"]


def test_a_file_read_through_the_project_invalidates_its_readers_only(tree: Path, transformed: list[str]) -> None:
    _run(tree)
    transformed.clear()
    (tree / "names.txt").write_text("eggs\n")
    assert "+eggs = 2" in _run(tree)
    assert sorted(transformed) == ["a.py", "b.py"]  # c.py never asked for names.txt


def test_a_change_that_leaves_the_fact_alone_keeps_its_readers(tree: Path, transformed: list[str]) -> None:
    _run(tree)
    transformed.clear()
    (tree / "names.txt").write_text("spam and more words\n")
    assert "+spam = 1" in _run(tree)
    assert transformed == []


def test_an_option_invalidates_and_both_settings_stay_cached(tree: Path, transformed: list[str]) -> None:
    _run(tree)
    transformed.clear()
    _run(tree, allow_unsafe=True)
    assert sorted(transformed) == ["a.py", "b.py", "c.py"]
    transformed.clear()
    _run(tree, options={"rename-foo": {"x": 1}})
    assert sorted(transformed) == ["a.py", "b.py", "c.py"]
    transformed.clear()
    _run(tree)
    assert transformed == []


def test_the_selection_invalidates(tree: Path, transformed: list[str]) -> None:
    _run(tree)
    transformed.clear()
    assert "qux" not in _run(tree, (RenameFoo,))
    assert sorted(transformed) == ["a.py", "b.py", "c.py"]
    transformed.clear()
    _run(tree, (RenameBaz, RenameFoo))  # the order is part of the selection
    assert sorted(transformed) == ["a.py", "b.py", "c.py"]


def test_per_file_ignores_invalidate(tree: Path, transformed: list[str]) -> None:
    _run(tree)
    transformed.clear()
    ignore_c = (PerFileIgnore(PathPatterns.from_patterns(tree, ["c.py"]), frozenset({"rename-baz"})),)
    assert "+qux = 4" not in _run(tree, per_file_ignores=ignore_c)
    assert sorted(transformed) == ["a.py", "b.py", "c.py"]
    transformed.clear()
    assert "+qux = 4" in _run(tree)
    assert transformed == []


def test_a_new_flaskmod_version_invalidates(
    tree: Path, transformed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(tree)
    transformed.clear()
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    _run(tree)
    assert sorted(transformed) == ["a.py", "b.py", "c.py"]


def test_an_edited_flaskmod_module_invalidates(
    tree: Path, transformed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(tree)
    transformed.clear()
    monkeypatch.setattr(cache_module, "_code_stamp", lambda: "another checkout")
    _run(tree)
    assert sorted(transformed) == ["a.py", "b.py", "c.py"]


def test_a_result_with_an_error_is_never_cached(tree: Path, transformed: list[str]) -> None:
    (tree / "d.py").write_text("foo = (\n")
    _run(tree)
    transformed.clear()
    _run(tree)
    assert transformed == ["d.py"]


def test_a_new_file_is_seen_and_the_project_listing_is_a_question(tree: Path, transformed: list[str]) -> None:
    class CountsFiles(RenameBaz):
        __doc__ = DOC
        ID = "counts-files"
        SUMMARY = "baz becomes baz and the number of files"
        SAFETY = Safety.SAFE
        EXAMPLES = (Example("baz\n", "baz0\n"),)
        TRIGGER = re.compile("baz")

        def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
            if updated_node.value != "baz":
                return updated_node
            return updated_node.with_changes(value=f"baz{len(self.project.scanned)}")

    _run(tree, (CountsFiles,))
    transformed.clear()
    (tree / "e.py").write_text("x = 1\n")
    assert "+baz4 = 3" in _run(tree, (CountsFiles,))
    assert sorted(transformed) == ["b.py", "c.py", "e.py"]  # a.py never looked at the listing


def test_a_planted_cache_file_runs_no_code(tree: Path, tmp_path: Path) -> None:
    class Payload:
        def __reduce__(self) -> tuple[Any, ...]:
            return (Path.write_text, (tmp_path / "owned", "x"))

    _run(tree)
    for results in (tree.parent / "cache").glob("*/*.pickle"):
        results.write_bytes(pickle.dumps(Payload()))
    assert "+spam = 1" in _run(tree)
    assert not (tmp_path / "owned").exists()


def test_the_cache_folder_is_tagged_ignored_and_not_scanned(tree: Path) -> None:
    folder = tree / ".flaskmod_cache"
    run(RunRequest(paths=(tree,), codemods=(RenameFoo,), root=tree, cache_dir=folder))
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    (folder / "planted.py").write_text("foo = 1\n")
    assert sorted(p.name for p in discover((tree,), ()).files) == ["a.py", "b.py", "c.py"]


# -- the command line --------------------------------------------------------------


def _cli(*args: str) -> Any:
    return CliRunner().invoke(main, ["run", "--dry-run", "--no-progress", *args], catch_exceptions=False)


def test_no_cache_writes_no_cache_folder(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    assert _cli("--no-cache", "--format", "diff", ".").exit_code == 0
    assert not (tree / ".flaskmod_cache").exists()
    assert _cli("--format", "diff", ".").exit_code == 0
    assert (tree / ".flaskmod_cache" / "CACHEDIR.TAG").is_file()


def test_cache_dir_from_the_config_and_the_command_line(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree)
    (tree / "pyproject.toml").write_text('[tool.flaskmod]\ncache-dir = "build/fm"\n')
    assert _cli("--format", "diff", ".").exit_code == 0
    assert (tree / "build" / "fm" / "CACHEDIR.TAG").is_file() and not (tree / ".flaskmod_cache").exists()
    assert _cli("--cache-dir", str(tree / "elsewhere"), "--format", "diff", ".").exit_code == 0
    assert (tree / "elsewhere" / "CACHEDIR.TAG").is_file()
    (tree / "pyproject.toml").write_text("[tool.flaskmod]\ncache-dir = 3\n")
    result = _cli(".")
    assert result.exit_code == 2 and "`cache-dir` must be a folder path" in result.output


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_samples_say_the_same_with_and_without_the_cache(sample: Path, tmp_path: Path, transformed: list[str]) -> None:
    """Byte for byte: no cache, a cold cache and a warm one; one job and two; diff and json."""
    copy = tmp_path / sample.name
    shutil.copytree(sample, copy, ignore=shutil.ignore_patterns("__pycache__"))
    cache = ("--cache-dir", str(tmp_path / "cache"))

    def output(*args: str) -> str:
        result = _cli("--unsafe", *args, str(copy))
        assert result.exit_code in (0, 1), result.output
        return result.stdout

    # Two cold runs: no cache with one job, a cache filled by two workers; then two warm ones.
    reference_json = output("--no-cache", "--jobs", "1", "--format", "json")
    cold_diff = output(*cache, "--jobs", "2", "--format", "diff")
    assert cold_diff, "the sample has something to change"
    assert list((tmp_path / "cache").glob("*/*.pickle")), "the cache was written"
    transformed.clear()
    assert output(*cache, "--jobs", "1", "--format", "json") == reference_json
    assert output(*cache, "--jobs", "2", "--format", "diff") == cold_diff
    assert transformed == [], "the warm runs took every file from the cache"
