"""Every codemod's own EXAMPLES, one test each (``{ID}-{i}``), plus the registry's promises."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar

import libcst as cst
import pytest

from flaskmod.codemods.core.base import DOC_SECTIONS, Codemod, Example, Option, Safety
from flaskmod.codemods.core.optiondoc import option_line, toml_value
from flaskmod.codemods.core.registry import APPLICATION_ORDER, all_codemods, codemod_modules
from tests.helpers import apply_codemod

CASES = [
    pytest.param(codemod, example, id=f"{codemod.ID}-{index}")
    for codemod in all_codemods()
    for index, example in enumerate(codemod.EXAMPLES)
]


@pytest.mark.parametrize(("codemod", "example"), CASES)
def test_example(codemod: type[Codemod], example: Example) -> None:
    cst.parse_module(example.expected)
    output, record = apply_codemod(codemod, example.before, options=example.options, allow_unsafe=example.allow_unsafe)
    assert output == example.expected
    skips = [s.message for s in record.skips] if record else []
    findings = [f.message for f in record.findings] if record else []
    for wanted in example.skips:
        assert any(wanted in s for s in skips), (wanted, skips)
    for wanted in example.findings:
        assert any(wanted in f for f in findings), (wanted, findings)
    again, _ = apply_codemod(codemod, output, options=example.options, allow_unsafe=example.allow_unsafe)
    assert again == output, "a second run must change nothing"


@pytest.mark.parametrize(
    ("codemod", "example"), [c for c in CASES if c.values[0].SAFETY is not Safety.SAFE and c.values[1].after]
)
def test_unsafe_examples_need_unsafe(codemod: type[Codemod], example: Example) -> None:
    output, record = apply_codemod(codemod, example.before, options=example.options, allow_unsafe=False)
    assert output == example.before
    assert record is not None and record.unsafe_left_out


@pytest.mark.parametrize("codemod", all_codemods(), ids=lambda c: c.ID)
def test_codemod_has_rewrite_and_leave_alone_examples(codemod: type[Codemod]) -> None:
    assert any(e.after is not None for e in codemod.EXAMPLES)
    assert any(e.after is None for e in codemod.EXAMPLES)
    # Leave-alone examples come first, as in django-upgrade's test files.
    first_rewrite = next(i for i, e in enumerate(codemod.EXAMPLES) if e.after is not None)
    assert all(e.after is None for e in codemod.EXAMPLES[:first_rewrite])


@pytest.mark.parametrize("codemod", all_codemods(), ids=lambda c: c.ID)
def test_documentation_sections_in_order(codemod: type[Codemod]) -> None:
    doc = codemod.documentation()
    positions = [doc.index(f"## {section}") for section in DOC_SECTIONS]
    assert positions == sorted(positions)
    assert codemod.SUMMARY and "\n" not in codemod.SUMMARY


def test_ids_match_module_names_and_are_unique() -> None:
    codemods = all_codemods()
    assert len({c.ID for c in codemods}) == len(codemods)
    assert sorted(c.__module__.removeprefix("flaskmod.codemods.").replace("_", "-") for c in codemods) == sorted(
        c.ID for c in codemods
    )
    assert len(codemods) == len(codemod_modules())


def test_registry_follows_application_order() -> None:
    ids = [c.ID for c in all_codemods()]
    assert ids == [i for i in APPLICATION_ORDER if i in ids]


def test_base_class_refuses_incomplete_codemod() -> None:
    with pytest.raises(TypeError, match="lacks"):

        class Incomplete(Codemod):
            """## What it does"""

            ID = "incomplete"


def test_base_class_refuses_missing_doc_sections() -> None:
    with pytest.raises(TypeError, match="docstring lacks"):

        class Undocumented(Codemod):
            """## What it does\nsomething"""

            ID = "undocumented"
            SUMMARY = "x"
            SAFETY = Safety.SAFE
            EXAMPLES = (Example("x = 1\n"),)
            TRIGGER = re.compile("x")


def _options_section(doc: str) -> str:
    start = doc.index("## Options")
    following = doc.find("\n## ", start)
    return doc[start:] if following < 0 else doc[start:following]


@pytest.mark.parametrize("codemod", all_codemods(), ids=lambda c: c.ID)
def test_options_section_is_generated_from_the_declaration(codemod: type[Codemod]) -> None:
    assert "## Options" not in (codemod.__doc__ or ""), "the Options section is generated from OPTIONS"
    section = _options_section(codemod.documentation())
    assert codemod.documentation().count("## Options") == 1
    if not codemod.OPTIONS:
        assert section.strip() == "## Options\nNone."
    for name, option in codemod.OPTIONS.items():
        line = next(line for line in section.splitlines() if line.startswith(f"- `{name}` ("))
        assert f"default `{toml_value(option.default)}`" in line
        assert option.help in line
        for choice in option.choices:
            assert f"`{toml_value(choice)}`" in line
        if option.flag:
            assert option.flag in line


def test_options_section_lists_every_fact_of_an_option() -> None:
    option = Option(str, "auto", "Where.", choices=("auto",), placeholders=("stem",), module_path=True, flag="--to")
    assert option_line("where", option) == (
        '- `where` (str; default `"auto"`; `"auto"` or a relative `.py` path without `..`; '
        "placeholders `{stem}`; command line `--to`): Where."
    )
    assert option_line("n", Option(dict, {}, "Names.", value_type=str, details="More.")) == (
        "- `n` (table of str; default `{}`): Names. More."
    )


def test_options_section_follows_fix_safety() -> None:
    class Configurable(Codemod):
        """## What it does\nx\n## Why is this bad?\nx\n## Example\nx\n## Fix safety\nx\n## References\nx"""

        ID = "configurable"
        SUMMARY = "x"
        SAFETY = Safety.SAFE
        EXAMPLES = (Example("x = 1\n"),)
        TRIGGER = re.compile("x")
        OPTIONS: ClassVar[Mapping[str, Option]] = {"level": Option(int, 2, "How far.", choices=(1, 2))}

    doc = Configurable.documentation()
    assert doc.index("## Fix safety") < doc.index("## Options") < doc.index("## References")
    assert "- `level` (int; default `2`; one of `1`, `2`): How far." in doc


def test_base_class_refuses_a_written_options_section() -> None:
    with pytest.raises(TypeError, match="generated from OPTIONS"):

        class SelfDocumented(Codemod):
            """## What it does\nx\n## Why is this bad?\nx\n## Example\nx\n## Fix safety\nx\n## Options\nNone."""

            ID = "self-documented"
            SUMMARY = "x"
            SAFETY = Safety.SAFE
            EXAMPLES = (Example("x = 1\n"),)
            TRIGGER = re.compile("x")
