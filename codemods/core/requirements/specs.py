"""Requirement strings and version sets: PEP 508 lines, Poetry constraints, and whether a set admits any version.

PEP 440 has no "or": a Poetry constraint with ``||`` is several specifier sets, any
of which may be installed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from flaskmod.codemods.core.requirements.model import normalise


@dataclass(frozen=True)
class ParsedRequirement:
    name: str  # normalised
    specifier: SpecifierSet
    extras: frozenset[str]
    marker: str | None


def parse_requirement(text: str) -> ParsedRequirement | None:
    """A PEP 508 requirement, or None for what is not one or names a URL (``name @ https://...``)."""
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None
    if requirement.url:
        return None
    marker = str(requirement.marker) if requirement.marker else None
    return ParsedRequirement(normalise(requirement.name), requirement.specifier, frozenset(requirement.extras), marker)


def specifier_sets(constraint: str) -> list[SpecifierSet] | None:
    """PEP 440 sets for a Pipfile or Poetry constraint (``^1.1``, ``~1.2``, ``1.2.*``, ``>=1 <2``, ``a || b``).

    None when a part is not understood.
    """
    sets: list[SpecifierSet] = []
    for alternative in constraint.split("||"):
        # ">= 1.2, < 1.5" and ">=1.2 <1.5" are both ">=1.2,<1.5"
        tight = re.sub(r"([<>=!~^]+)\s+", r"\1", alternative.strip())
        translated = [_poetry_part(part) for part in re.split(r"[,\s]+", tight) if part]
        if any(part is None for part in translated):
            return None
        try:
            sets.append(SpecifierSet(",".join(part for part in translated if part)))
        except InvalidSpecifier:
            return None
    return sets


def _poetry_part(part: str) -> str | None:
    if part in ("*", ""):
        return ""
    if part.startswith("^"):
        return _bounded(part[1:], caret=True)
    if part.startswith("~") and not part.startswith("~="):
        return _bounded(part[1:], caret=False)
    if re.fullmatch(r"\d[\w.*+!-]*", part):  # a bare version means exactly that version
        return f"=={part}"
    return part


def _bounded(version: str, caret: bool) -> str | None:
    """``^1.2.3`` is ``>=1.2.3,<2.0.0``; ``^0.2`` is ``>=0.2,<0.3``; ``~1.2.3`` is ``>=1.2.3,<1.3.0``."""
    try:
        release = list(Version(version).release)
    except InvalidVersion:
        return None
    if caret:
        nonzero = next((i for i, number in enumerate(release) if number), len(release) - 1)
        cut = nonzero
    else:
        cut = 0 if len(release) == 1 else 1
    upper = [*release[:cut], release[cut] + 1]
    return f">={version},<{'.'.join(map(str, upper))}"


# -- whether some version satisfies every set --------------------------------------------------


def admits_some(sets: Iterable[SpecifierSet]) -> bool:
    """Whether a final release satisfies every set (tried at and beside every version they name)."""
    sets = list(sets)
    probes = {Version("0"), Version("99999")}
    for specifier_set in sets:
        for specifier in specifier_set:
            probes.update(_probes_near(specifier.version.rstrip(".*")))
    return any(all(s.contains(probe, prereleases=False) for s in sets) for probe in probes)


def _probes_near(text: str) -> set[Version]:
    """The version, versions just above it, and one just below it."""
    try:
        release = list(Version(text).release)
    except InvalidVersion:
        return set()
    found = {Version(text)}
    for i in range(len(release)):
        found.add(Version(".".join(map(str, [*release[:i], release[i] + 1]))))
    found.add(Version(".".join(map(str, [*release, 1]))))
    last = max((i for i, number in enumerate(release) if number), default=None)
    if last is not None:
        found.add(Version(".".join(map(str, [*release[:last], release[last] - 1, 999]))))
    return found
