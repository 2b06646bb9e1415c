"""Every test runs in a folder of its own.

Codemods look at the folders around a file (is there an ``__init__.py``, a services
module?), and snippets are transformed as ``example.py`` relative to the working
directory: the repository's top folder is itself a package (``flaskmod``), so that
would change what they see.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _own_working_directory(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-fixtures",
        action="store_true",
        help="tests/test_fixtures.py: rewrite each case's output/ and report.txt from what flaskmod does now",
    )
