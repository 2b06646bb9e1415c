"""Which file is the project's main runtime declaration, and the editor for each kind of file.

The order, and why:

1. ``pyproject.toml`` ``[project]``: the standard (PEP 621) that ``pip install .`` and
   every build backend read; where it exists it is the source the others are made from.
   With ``dynamic = ["dependencies"]`` it declares nothing itself and the file
   ``[tool.setuptools.dynamic]`` names takes its place. A ``[project]`` with no
   ``dependencies`` key gets one only when no other file declares any: an
   application often keeps its metadata there and its dependencies in requirements.
2. ``[tool.poetry.dependencies]``: the same role in a Poetry project.
3. ``setup.cfg`` ``[options] install_requires``: setuptools' declarative metadata, read by
   the ``setup()`` of the ``setup.py`` beside it (``file: requirements.txt`` hands over to that file).
4. ``setup.py``: ``install_requires`` as a literal list; anything computed is left to a person.
5. requirements files: what pip installs a deployment from; the main one of many is the
   base the others include (see :func:`reqfiles.main_file`).
6. ``Pipfile`` ``[packages]``: read only by Pipenv, and often beside a requirements file
   made from it.

A file lower in the order that also lists runtime dependencies is named in a note: a
deployment that installs from it needs the new requirement there too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from flaskmod.codemods.core.requirements import pipenv, pyproject, reqfiles, setupfiles
from flaskmod.codemods.core.requirements.model import normalise
from flaskmod.codemods.core.requirements.tomledit import load


@dataclass(frozen=True)
class Target:
    """A file that declares the runtime dependencies and where in it (``what``, for people)."""

    path: str
    what: str
    add: Callable[[str, str, str], str]  # (text, name, specifier) -> new text
    last_resort: bool = False  # a [project] without `dependencies`: any other declaration comes first


def targets(files: Mapping[str, str]) -> list[Target]:
    """Every runtime declaration of the project, main first."""
    found = list(_pyproject(files))
    if "setup.cfg" in files:
        found += _setup_cfg(files)
    if "setup.py" in files and setupfiles.declares_literally(files["setup.py"]):
        found.append(Target("setup.py", "setup(install_requires=[...])", _requirement_adder(setupfiles.add_to_py)))
    main = reqfiles.main_file(files)
    if main is not None:
        found.append(_requirements_target(main))
    if "Pipfile" in files and isinstance((load(files["Pipfile"]) or {}).get("packages"), dict):
        found.append(Target("Pipfile", "[packages]", pipenv.add_to_pipfile))
    found.sort(key=lambda target: target.last_resort)
    paths = [target.path for target in found]
    return [target for i, target in enumerate(found) if target.path not in paths[:i]]


def _pyproject(files: Mapping[str, str]) -> Iterator[Target]:
    data = load(files.get("pyproject.toml", "")) if "pyproject.toml" in files else None
    if data is None:
        return
    if pyproject.project_declares(data):
        add = _requirement_adder(pyproject.add_to_project)
        yield Target("pyproject.toml", "[project].dependencies", add, "dependencies" not in data["project"])
    elif "project" in data:
        yield from _handed_over(files, pyproject.dynamic_dependency_files(data))
    if pyproject.poetry_declares(data):
        yield Target("pyproject.toml", "[tool.poetry.dependencies]", pyproject.add_to_poetry)


def _setup_cfg(files: Mapping[str, str]) -> Iterator[Target]:
    text = files["setup.cfg"]
    handed = setupfiles.cfg_dependency_files(text)
    if handed:
        yield from _handed_over(files, handed)
    elif setupfiles.install_requires(text) is not None:
        yield Target("setup.cfg", "[options] install_requires", _requirement_adder(setupfiles.add_to_cfg))


def handed_over_paths(files: Mapping[str, str]) -> list[str]:
    """The files ``dynamic`` dependencies (pyproject) and ``install_requires = file:`` (setup.cfg) name."""
    data = load(files["pyproject.toml"]) if "pyproject.toml" in files else None
    named = pyproject.dynamic_dependency_files(data or {})
    named += setupfiles.cfg_dependency_files(files["setup.cfg"]) if "setup.cfg" in files else []
    return [path.removeprefix("./") for path in named]


def _handed_over(files: Mapping[str, str], paths: list[str]) -> Iterator[Target]:
    """The first file a ``dynamic`` or ``file:`` declaration reads, when the run has it."""
    for path in paths:
        path = path.removeprefix("./")
        if path in files:
            source = path.removesuffix(".txt") + ".in"
            # pip-compile wrote it from its `.in`: that is where a dependency is declared.
            compiled = reqfiles.is_compiled(files[path]) and source in files
            yield _requirements_target(source if compiled else path)
            return


def _requirements_target(path: str) -> Target:
    return Target(path, "a requirements file", _requirement_adder(reqfiles.add))


def _requirement_adder(add: Callable[[str, str, str], str]) -> Callable[[str, str, str], str]:
    """An editor taking a whole requirement (``structlog>=24.1``) as one taking a name and a specifier."""

    def adder(text: str, name: str, specifier: str) -> str:
        return add(text, normalise(name), name + specifier)

    return adder
