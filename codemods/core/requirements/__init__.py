"""The project's declared dependencies: who declares a distribution, which versions it allows, adding one.

Pure functions over file texts (``{relative POSIX path: text}``, as the engine reads
them): nothing here touches the disk or runs project code.

- :func:`declared`: every declaration of a distribution, with file, line, kind and
  :class:`~packaging.specifiers.SpecifierSet`.
- :func:`allows`: whether the declarations admit some version in a range (does the
  project allow Flask < 2.0?); a lock's pin decides over loose specifiers.
- :func:`add_dependency`: the edit that declares a new runtime requirement in the main
  declaration, in that file's own style (which file is main: :mod:`.targets`).

Roles, one module each:

==============  ===============================================================
``model``       Declaration, FileEdit, Addition, kinds, DECLARATION_FILES
``specs``       PEP 508 lines, Poetry/Pipfile constraints, "some version satisfies"
``reqfiles``    requirements files: read with ``-r``/``-c``, pick the main one, add
``pyproject``   ``[project]``, PEP 735 groups, Poetry tables: read, add
``setupfiles``  ``setup.cfg`` and ``setup.py`` (ast, never run): read, add
``pipenv``      ``Pipfile`` and the lock files (read only)
``targets``     which file is the main runtime declaration
``tomltext``    where tables, keys and array items are in a TOML text
``tomledit``    tomllib for meaning, text edits for form
``listedit``    one item into a list, the way the list is written
==============  ===============================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from flaskmod.codemods.core.requirements import pipenv, pyproject, reqfiles, setupfiles
from flaskmod.codemods.core.requirements.model import (
    CONSTRAINT,
    DECLARATION_FILES,
    DEVELOPMENT,
    LOCK,
    LOCK_FILES,
    OPTIONAL,
    RUNTIME,
    Addition,
    CannotEdit,
    Declaration,
    FileEdit,
    is_declaration_file,
    normalise,
)
from flaskmod.codemods.core.requirements.specs import admits_some
from flaskmod.codemods.core.requirements.targets import handed_over_paths, targets

__all__ = [
    "CONSTRAINT",
    "DECLARATION_FILES",
    "DEVELOPMENT",
    "LOCK",
    "OPTIONAL",
    "RUNTIME",
    "Addition",
    "Declaration",
    "FileEdit",
    "add_dependency",
    "allows",
    "declaration_files",
    "declared",
    "is_declaration_file",
    "paths_to_read",
]


def declaration_files(files: Mapping[str, str]) -> list[str]:
    """The paths of ``files`` that declare dependencies (files only reached by ``-r`` aside)."""
    return sorted(path for path in files if is_declaration_file(path))


def paths_to_read(files: Mapping[str, str]) -> list[str]:
    """The files the declarations in ``files`` name that ``files`` lacks, for the caller to read and ask again.

    ``-r``/``-c`` includes (of includes too) and the files ``dynamic`` dependencies or
    ``install_requires = file:`` hand over to; a caller starts from the files matching
    :data:`DECLARATION_FILES` and stops when this is empty (or names only missing files).
    """
    queue = [path for path in files if reqfiles.is_requirements_file(path)] + handed_over_paths(files)
    seen: set[str] = set()
    missing: list[str] = []
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        if path not in files:
            missing.append(path)
            continue
        queue.extend(target for target, _constraint in reqfiles.includes(path, files[path]))
    return sorted(missing)


def declared(files: Mapping[str, str], name: str) -> list[Declaration]:
    """Every declaration of the distribution ``name`` (any spelling: ``Flask_Login`` is ``flask-login``)."""
    name = normalise(name)
    found = reqfiles.read(files, name, handed_over_paths(files))
    readers = {
        "pyproject.toml": pyproject.read,
        "setup.cfg": setupfiles.read_cfg,
        "setup.py": setupfiles.read_py,
        "Pipfile": pipenv.read_pipfile,
        **dict.fromkeys(LOCK_FILES, pipenv.read_lock),
    }
    for path, read in readers.items():
        if path in files:
            found.extend(read(path, files[path], name))
    return sorted(found, key=lambda declaration: (declaration.path, declaration.line))


def allows(declarations: Iterable[Declaration], version_spec: str | SpecifierSet) -> bool | None:
    """Whether the project may run on a version in ``version_spec`` (``"<2.0"``); None when nothing declares it.

    A lock's pin decides when there is one. Otherwise each runtime declaration (or,
    with none, each development or optional one) is a way the project gets installed:
    one that admits a version in ``version_spec`` (within every ``-c`` constraint)
    is enough. Markers are not evaluated: ``flask<2; python_version < "3.8"`` counts.
    """
    wanted = SpecifierSet(str(version_spec))
    declarations = list(declarations)
    pins = [_pinned(d) for d in declarations if d.kind == LOCK]
    if any(pin is not None for pin in pins):
        return any(pin is not None and wanted.contains(pin, prereleases=True) for pin in pins)
    ways = [d for d in declarations if d.kind == RUNTIME]
    ways = ways or [d for d in declarations if d.kind in (DEVELOPMENT, OPTIONAL)]
    if not ways:
        return None
    constraints = [d.specifier for d in declarations if d.kind == CONSTRAINT]
    return any(admits_some([way.specifier, wanted, *constraints]) for way in ways)


def _pinned(declaration: Declaration) -> Version | None:
    exact = [s for s in declaration.specifier if s.operator in ("==", "===") and "*" not in s.version]
    return Version(exact[0].version) if len(exact) == 1 else None


def add_dependency(files: Mapping[str, str], name: str, spec: str = "") -> Addition:
    """The edit that declares ``name`` (with the PEP 440 ``spec``, e.g. ``">=24.1"``) as a runtime dependency.

    No edit, with the reason, when a runtime declaration already names it or no file
    declares runtime dependencies. Lock files are never edited: a note says which to
    refresh. Other runtime declarations the edit leaves alone are named in a note.
    """
    SpecifierSet(spec)  # a bad specifier is the caller's mistake: InvalidSpecifier
    existing = declared(files, name)
    runtime = [d.where for d in existing if d.kind == RUNTIME]
    if runtime:
        return Addition(reason=f"{name} is already declared ({', '.join(runtime)})")
    found = targets(files)
    if not found:
        searched = ", ".join(declaration_files(files)) or "none of " + ", ".join(DECLARATION_FILES)
        return Addition(reason=f"no file declares the runtime dependencies (searched: {searched})")
    main = found[0]
    try:
        new = main.add(files[main.path], name, spec)
    except CannotEdit as error:
        return Addition(reason=f"{main.path}: {error}")
    # The edit is text surgery: read it back, so a shape the editors misjudge costs a reason, not a broken file.
    if not any(d.kind == RUNTIME for d in declared({**files, main.path: new}, name)):
        return Addition(reason=f"{main.path}: the edit did not read back as a runtime declaration of {name}")
    notes = [f"{name}{spec} added to {main.path} ({main.what})"]
    notes += [f"{d.where} declares {name} for {d.kind} only" for d in existing if d.kind in (OPTIONAL, DEVELOPMENT)]
    notes += [f"{t.path} also lists runtime dependencies and was not edited" for t in found[1:]]
    notes += _lock_notes(files, name)
    return Addition(edits=[FileEdit(main.path, files[main.path], new)], notes=notes)


def _lock_notes(files: Mapping[str, str], name: str) -> list[str]:
    notes = [
        f"{lock} is not edited: run `{pipenv.LOCK_COMMANDS[lock]}` so it pins {name}"
        for lock in LOCK_FILES
        if lock in files
    ]
    compiled = [p for p in files if reqfiles.is_requirements_file(p) and reqfiles.is_compiled(files[p])]
    notes += [f"{path} is generated and not edited: generate it again" for path in sorted(compiled)]
    return notes
