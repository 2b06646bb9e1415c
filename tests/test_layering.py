"""Layering (issue 13): the CLI knows codemods only through the registry, and no codemod imports the engine."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from flaskmod.codemods.core.commands import Command
from flaskmod.codemods.core.registry import all_commands, command

TOP = Path(__file__).parent.parent
CODEMODS = TOP / "codemods"
CODEMOD_FILES = sorted(p for p in CODEMODS.rglob("*.py") if "core" not in p.relative_to(CODEMODS).parts)
ENGINE = ("flaskmod.codemods.core.engine", "flaskmod.codemods.core.onefile")


def imported_modules(source: str, package: str) -> set[str]:
    """Every module ``source`` (of ``package``) imports; ``from x import y`` counts as x and x.y."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def test_imported_modules_sees_every_kind_of_import() -> None:
    source = "import os.path\nfrom a.b import c\nfrom . import d\nfrom ..e import f\ndef g():\n    import h\n"
    assert imported_modules(source, "p.q") == {"os.path", "a.b", "a.b.c", "p.q", "p.q.d", "p.e", "p.e.f", "h"}


def test_cli_imports_no_codemod() -> None:
    cli = (TOP / "cli.py").read_text(encoding="utf-8")
    codemods = {
        name
        for name in imported_modules(cli, "flaskmod")
        if name.startswith("flaskmod.codemods.") and not name.startswith("flaskmod.codemods.core")
    }
    assert codemods == set()
    # Not by name either: flags and commands come from the codemods' declarations.
    assert "extract_services" not in cli and "structlog" not in cli


@pytest.mark.parametrize("path", CODEMOD_FILES, ids=lambda p: p.relative_to(CODEMODS).as_posix())
def test_no_codemod_imports_the_engine(path: Path) -> None:
    package = ".".join(("flaskmod", *path.relative_to(TOP).parent.parts))
    assert not imported_modules(path.read_text(encoding="utf-8"), package) & set(ENGINE)


def test_loading_every_codemod_and_command_loads_no_engine() -> None:
    probe = (
        "import sys\nfrom flaskmod.codemods.core import registry\n"
        "registry.all_codemods(); registry.all_commands()\n"
        f"print(sorted(m for m in sys.modules if m in {ENGINE!r}))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_extract_is_a_command_of_a_codemod_package() -> None:
    entry = command("extract")
    assert issubclass(entry, Command) and entry.CODEMOD.ID == "extract-services"
    assert set(all_commands()) == {"extract"}
    with pytest.raises(KeyError):
        command("nope")
