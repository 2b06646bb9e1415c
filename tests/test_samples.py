"""Behaviour preservation on the sample apps: their own suites pass before and after flaskmod.

Each sample is copied, its suite run, flaskmod run over it (unsafe changes included),
every file compiled, the suite run again, and flaskmod run once more to prove
nothing is left to change.
"""

from __future__ import annotations

import py_compile
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from flaskmod.cli import main
from tests.helpers import run_sample_suite

SAMPLES = sorted(p for p in (Path(__file__).parent.parent / "samples").iterdir() if (p / "tests").is_dir())


def _flaskmod(sample: Path, *args: str) -> object:
    return CliRunner().invoke(main, ["run", "--no-progress", "--unsafe", *args, str(sample)], catch_exceptions=False)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_suite_passes_before_and_after_and_second_run_is_clean(sample: Path, tmp_path: Path) -> None:
    copy = tmp_path / sample.name
    shutil.copytree(sample, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = run_sample_suite(copy)
    assert before.returncode == 0, before.stdout + before.stderr

    originals = {p: p.read_bytes() for p in copy.rglob("*.py")}
    result = _flaskmod(copy, "--allow-dirty", "--format", "json")
    assert result.exit_code == 0, result.output
    changed = [p for p, data in originals.items() if p.read_bytes() != data]
    assert changed, "flaskmod found nothing to change in the sample"
    for path in copy.rglob("*.py"):
        py_compile.compile(str(path), doraise=True)

    after = run_sample_suite(copy)
    assert after.returncode == 0, after.stdout + after.stderr
    assert _flaskmod(copy, "--check").exit_code == 0, "a second run must find nothing to change"


PROBE = """
from bookshop import create_app
client = create_app({"TESTING": False, "SECRET_KEY": "x"}).test_client()
response = client.get("/account/export")
print(response.status_code, response.headers.get("Location", ""))
"""


def test_route_decorator_order_turns_the_login_check_on(tmp_path: Path) -> None:
    copy = tmp_path / "bookshop"
    shutil.copytree(SAMPLES[0].parent / "bookshop", copy, ignore=shutil.ignore_patterns("__pycache__"))

    def anonymous_export() -> str:
        probe = subprocess.run([sys.executable, "-c", PROBE], cwd=copy, capture_output=True, text=True, check=True)
        return probe.stdout.strip()

    # The decorator above the route never ran: an anonymous user reached the view.
    assert not anonymous_export().startswith("302")
    assert _flaskmod(copy, "--allow-dirty", "--select", "route-decorator-order").exit_code == 0
    assert anonymous_export().startswith("302 /login")
