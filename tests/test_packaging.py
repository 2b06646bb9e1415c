"""flaskmod installs as one import package, `flaskmod`, and works beside tools that ship `cli` or `codemods`."""

from __future__ import annotations

import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.helpers import MISORDERED

REPOSITORY = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", dist, REPOSITORY],
        check=True,
        capture_output=True,
    )
    (built,) = dist.glob("flaskmod-*.whl")
    return built


def test_the_wheel_holds_one_top_level_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {"flaskmod", wheel.name.split("-py")[0] + ".dist-info"}
    assert "flaskmod/cli.py" in names and "flaskmod/__main__.py" in names
    assert "flaskmod/codemods/core/engine.py" in names
    # Every module of the repository's codemods/ folder is in the wheel, codemod packages included.
    ours = {p.relative_to(REPOSITORY).as_posix() for p in (REPOSITORY / "codemods").rglob("*.py")}
    assert {f"flaskmod/{path}" for path in ours} <= set(names)
    assert not [n for n in names if n.startswith(("flaskmod/tests/", "flaskmod/samples/", "flaskmod/bench/"))]


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the wheel, this one's dependencies, and another tool's `cli` and `codemods`."""
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", root], check=True)
    python = root / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", wheel],
        check=True,
        capture_output=True,
    )
    packages = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # The dependencies (libcst, click, rich...) from the environment running the tests, after the venv's own.
    ours = {sysconfig.get_paths()["purelib"], *site.getsitepackages()}
    (packages / "zz_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    (packages / "cli.py").write_text("def main():\n    print('the other tool')\n")
    (packages / "codemods").mkdir()
    (packages / "codemods" / "__init__.py").write_text("raise ImportError('the other codemods package')\n")
    return root


def _run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_every_subcommand_works_beside_another_cli_and_codemods(venv: Path, tmp_path: Path) -> None:
    flaskmod, python = venv / "bin" / "flaskmod", venv / "bin" / "python"
    (tmp_path / "views.py").write_text(MISORDERED)
    for command in ([flaskmod], [python, "-m", "flaskmod"]):
        version = _run(venv, *command, "--version", cwd=tmp_path)
        assert version.returncode == 0 and version.stdout == "flaskmod, version 0.1.0\n", version.stderr
    listed = _run(venv, flaskmod, "list", cwd=tmp_path)
    assert listed.returncode == 0 and "extract-services" in listed.stdout
    explained = _run(venv, flaskmod, "explain", "route-decorator-order", cwd=tmp_path)
    assert explained.returncode == 0 and "## What it does" in explained.stdout
    patch = _run(venv, flaskmod, "run", "--dry-run", "--unsafe", "--format", "diff", ".", cwd=tmp_path)
    assert patch.returncode == 0 and patch.stdout.startswith("diff --git a/views.py b/views.py"), patch.stderr
    extract = _run(
        venv, flaskmod, "extract", "views.py:index", "--lines", "10-10", "--name", "n", "--dry-run", cwd=tmp_path
    )
    assert extract.returncode == 1 and "flaskmod: error: views.py:index:" in extract.stderr, extract.stderr
    importable = _run(venv, python, "-c", "import cli; cli.main()", cwd=tmp_path)
    assert importable.stdout == "the other tool\n"  # and flaskmod did not take its name
