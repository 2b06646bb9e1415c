"""The project-wide pass: places in other files and in templates that key on a moved endpoint.

The files are the engine's project: the Python files of the run and the templates beside
them (``Project.templates``). What follows is text matching.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from flaskmod.codemods.core.base import ProjectFinding
from flaskmod.codemods.core.import_text import from_imports
from flaskmod.codemods.core.project import Project
from flaskmod.codemods.split_get_post.nodes import short


@dataclass(frozen=True)
class MovedEndpoints:
    """Shared with the project-wide pass: a split view's line and the endpoints its methods move to."""

    line: int
    moved: tuple[tuple[str, str, str], ...]  # (old endpoint, new endpoint, its methods), blueprint prefix included
    owner_known: bool  # False when the blueprint's name is unknown: `old` lacks its prefix


@dataclass(frozen=True)
class Place:
    """A line of the project, in Python code or a template, that may key on an endpoint."""

    path: Path
    line: int
    text: str
    generic: bool  # reads the endpoint without naming one


# Reads of the endpoint, or places keyed by endpoint names; `url_for` only matters with `_method=`.
_ENDPOINT_READ = re.compile(
    r"(?<!url_for\()request\.endpoint|request\.url_rule\.(?:endpoint|methods)|\w\.login_view\b"
    r"|view_functions\s*(?:\[|\.get\()|\.exempt\(\s*['\"]|\b_method\s*=\s*['\"]"
)
# `request.endpoint` read only as a truth value, or tested with `.startswith(...)`: the same for a
# view's old endpoint and its new one (`x_post` starts with whatever `x` starts with).
_AGNOSTIC_ENDPOINT_READ = re.compile(
    # `{"auth.login": ...}.get(request.endpoint)`: a dict literal's keys are names checked on their own.
    r"\}\s*\.get\(\s*request\.endpoint\b"
    r"|request\.endpoint\.startswith\("
    r"|(?:\bif|\belif|\band|\bor|\bnot)\s+request\.endpoint(?=\s*(?:\\?\s*$|\band\b|\bor\b|:|\)|%\}))"
)
_QUOTED = re.compile(r"""(?P<url_for>url_for\(\s*)?(?P<quote>['"])(?P<value>[\w.-]+)(?P=quote)""")
_MAX_GENERIC_PLACES = 10
# A `url_for(` call is joined with at most this many following lines.
_MAX_JOINED_LINES = 8
_STRING = re.compile(r"""(['"])(?:\\.|(?!\1)[^\\\n])*\1""")
_RECEIVED_ATTRIBUTE = re.compile(r"\b(\w+)\.(\w+)\b(?!\s*\()")


# -- the text ---------------------------------------------------------------------------


def endpoint_places(project: Project, paths: Iterable[Path]) -> list[Place]:
    """Every line of the files ``paths`` that reads or may name an endpoint (a project fact: cached per file)."""
    return [Place(path, *found) for path in dict.fromkeys(paths) for found in project.fact(path, places_in) or ()]


def places_in(text: str) -> tuple[tuple[int, str, bool], ...]:
    """(line, text, generic) of every logical line of ``text`` that reads or may name an endpoint.

    A project fact (``Project.fact``): module level, so its cache key is stable.
    """
    places: list[tuple[int, str, bool]] = []
    for number, line in logical_lines(text):
        reads = _ENDPOINT_READ.search(_AGNOSTIC_ENDPOINT_READ.sub(" ", line)) is not None
        literals = [m for m in _QUOTED.finditer(line) if m.group("url_for") is None or "_method" in line]
        if reads or any("." in m.group("value") for m in literals):
            places.append((number, line, reads and not literals))
    return tuple(places)


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """(first line number, text) of each line, a ``url_for(`` call split over lines joined into one.

    ``url_for(\n    "auth.login",\n    _method="POST")`` only says what it does as a whole.
    """
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        number, line = index + 1, lines[index]
        index += 1
        start = line.find("url_for(")
        depth = _depth(line[start:]) if start >= 0 else 0
        while depth > 0 and index < len(lines) and index - number < _MAX_JOINED_LINES:
            line = line.rstrip() + ("" if line.rstrip().endswith("(") else " ") + lines[index].strip()
            depth += _depth(lines[index])
            index += 1
        yield number, line


def _depth(text: str) -> int:
    return text.count("(") - text.count(")")


def view_references(text: str) -> frozenset[tuple[str, str]]:
    """(module word, name) pairs: how a module may use a view function of another.

    ``from app.views import hook`` gives ``("views", "hook")``; ``from app import views``
    with ``csrf.exempt(views.hook)`` gives ``("views", "hook")`` from the attribute read. A
    project fact; calls (``form.validate()``) are left out, and a local variable is no
    attribute. An import of a module that shares the view's name (``from app.settings
    import config`` for a view ``settings``) pairs ``settings`` with nothing.
    """
    pairs = {(module.rsplit(".", 1)[-1], name) for module, name, _local in from_imports(text)}
    code = _STRING.sub("''", text)  # `url_for("admin.settings")` names an endpoint, not the function
    return frozenset(pairs | set(_RECEIVED_ATTRIBUTE.findall(code)))


def names_endpoint(line: str, endpoint: str, owner_known: bool) -> int | None:
    """Where the line names the endpoint in a way that matters (not plain URL building), or None."""
    reads = _ENDPOINT_READ.search(line) is not None
    for match in _QUOTED.finditer(line):
        if match.group("url_for") is not None and "_method" not in line:
            continue  # url_for builds the same URL for either endpoint
        value = match.group("value")
        if "." in endpoint:
            # Distinctive; nested blueprints prefix it further.
            named = value == endpoint or value.endswith("." + endpoint)
        elif owner_known:
            # An app view's bare name: only where endpoints are read or keyed.
            named = reads and value == endpoint
        else:
            named = value.endswith("." + endpoint) and (reads or match.group("url_for") is not None)
        if named:
            return match.start()
    return None


def _around(line: str, at: int) -> str:
    """The part of a long line (a template's) around a position."""
    start = max(0, at - 30)
    text = line[start:].strip()
    return ("..." if start else "") + (text if len(text) <= 60 else text[:57] + "...")


# -- the findings -----------------------------------------------------------------------


def project_findings(facts: Sequence[tuple[Path, object]], project: Project) -> list[ProjectFinding]:
    """The findings of every split view of the run about places in other files (``Codemod.project_findings``)."""
    moves = sorted(
        ((path, fact) for path, fact in facts if isinstance(fact, MovedEndpoints)), key=lambda m: (m[0], m[1].line)
    )
    if not moves:
        return []
    places = endpoint_places(project, [*project.own_sources(), *project.templates()])
    findings = [finding for path, move in moves for finding in _naming_findings(path, move, places)]
    moved_paths = {path for path, _ in moves}
    generic = [p for p in places if p.generic and p.path not in moved_paths]
    return findings + _generic_findings(moves, generic)


def _naming_findings(path: Path, move: MovedEndpoints, places: list[Place]) -> Iterator[ProjectFinding]:
    """One finding per place in another file that names an endpoint of this split view."""
    for place in places:
        if place.path == path:
            continue  # the view's own module has findings of its own, from its tree
        for old, new, methods in move.moved:
            at = names_endpoint(place.text, old, move.owner_known)
            if at is None:
                continue
            message = f"names `{old}` (`{_around(place.text, at)}`): its {methods} requests now reach `{new}`"
            yield ProjectFinding(path, move.line, message, place.path, place.line)
            break


def _generic_findings(moves: list[tuple[Path, MovedEndpoints]], generic: list[Place]) -> list[ProjectFinding]:
    """Reads that name no endpoint concern every split: said once, on the run's first split view."""
    first_path, first = moves[0]
    findings: list[ProjectFinding] = []
    for place in generic[:_MAX_GENERIC_PLACES]:
        message = (
            f"reads the endpoint (`{short(place.text.strip())}`): "
            f"the {len(moves)} split view(s) of this run serve POST under new endpoints"
        )
        findings.append(ProjectFinding(first_path, first.line, message, place.path, place.line))
    if len(generic) > _MAX_GENERIC_PLACES:
        rest = generic[_MAX_GENERIC_PLACES:]
        message = f"is the first of {len(rest)} more places that read the endpoint"
        findings.append(ProjectFinding(first_path, first.line, message, rest[0].path, rest[0].line))
    return findings
