"""README.md stays true: the generated codemod section, and every CLI option documented."""

from __future__ import annotations

from pathlib import Path

import click

from flaskmod.cli import main
from flaskmod.codemods.core.docs import updated_readme

README = Path(__file__).parent.parent / "README.md"


def test_codemod_section_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert updated_readme(text) == text, "README is stale: run `python -m flaskmod.codemods.core.docs`"


def test_every_command_and_option_is_documented() -> None:
    text = README.read_text(encoding="utf-8")
    assert isinstance(main, click.Group)
    for name, command in main.commands.items():
        assert f"flaskmod {name}" in text
        for parameter in command.params:
            if getattr(parameter, "hidden", False):  # an old spelling, kept to name the new one
                continue
            for option in getattr(parameter, "opts", []) + getattr(parameter, "secondary_opts", []):
                if option.startswith("--"):
                    assert option in text, f"{option} of `flaskmod {name}` is not in README.md"
