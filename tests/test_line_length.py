"""The line length read from a project's configuration (core/line_length.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flaskmod.codemods.core.line_length import DEFAULT_LINE_LENGTH, line_length
from flaskmod.codemods.core.project import Project


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("pyproject.toml", "[tool.ruff]\nline-length = 100\n", 100),
        ("pyproject.toml", "[tool.black]\nline-length = 79\n", 79),
        ("pyproject.toml", "[tool.ruff]\nline-length = 120\n[tool.black]\nline-length = 79\n", 120),
        ("pyproject.toml", "[project]\nname = 'x'\n", DEFAULT_LINE_LENGTH),
        ("pyproject.toml", "not = [valid", DEFAULT_LINE_LENGTH),
        ("ruff.toml", "line-length = 110\n", 110),
        (".ruff.toml", "line-length = 99\n", 99),
        ("setup.cfg", "[flake8]\nmax-line-length = 119\n", 119),
        ("tox.ini", "[flake8]\nmax-line-length = 101\n", 101),
        (".flake8", "[flake8]\nmax-line-length=90\n", 90),
        ("setup.cfg", "[flake8]\nmax-line-length = lots\n", DEFAULT_LINE_LENGTH),
    ],
)
def test_line_length_is_read_from_the_project(tmp_path: Path, name: str, text: str, expected: int) -> None:
    (tmp_path / name).write_text(text)
    (tmp_path / "app").mkdir()
    view = tmp_path / "app" / "views.py"
    view.write_text("")
    assert line_length(view, Project()) == expected


def test_the_nearest_configuration_wins_and_the_repository_top_bounds_the_search(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.ruff]\nline-length = 150\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "pkg").mkdir()
    view = repo / "pkg" / "views.py"
    view.write_text("")
    assert line_length(view, Project()) == DEFAULT_LINE_LENGTH  # above the repository: not the project's
    (repo / "pkg" / "setup.cfg").write_text("[flake8]\nmax-line-length = 100\n")
    assert line_length(view, Project()) == 100
