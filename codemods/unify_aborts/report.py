"""What unify-aborts tells besides its edits: the styles a file mixes, and the run's aborter notice."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import libcst as cst

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.project import Project
from flaskmod.codemods.unify_aborts.model import ABORTER_CUSTOMISATION, STYLE_ORDER


def report_styles(codemod: Codemod, sites: Sequence[tuple[cst.CSTNode, str]]) -> cst.CSTNode:
    """When the file mixes styles, one finding on the first site: each style, with counts, in STYLE_ORDER.

    Returns that first site.
    """
    ordered = sorted(sites, key=lambda site: codemod.line_of(site[0]))
    counts = Counter(label for _, label in ordered)
    if len({_family(label) for label in counts}) < 2:
        return ordered[0][0]

    def rank(label: str) -> tuple[int, str]:
        head = label.split(" ")[0] if label.startswith("raise") else label
        return (STYLE_ORDER.index(head) if head in STYLE_ORDER else len(STYLE_ORDER), label)

    listed = ", ".join(f"{label} x{counts[label]}" for label in sorted(counts, key=rank))
    codemod.add_finding(ordered[0][0], f"error styles in this file: {listed}")
    return ordered[0][0]


def _family(label: str) -> str:
    """The style a label belongs to: `raise NotFound` and `raise Gone` are one style, as are two helpers."""
    for family in ("raise", "error helper", "other abort"):
        if label.startswith(family):
            return family
    return label


def aborter_notices(project: Project) -> list[str]:
    """The run-level warning naming every scanned file that may customise Flask's aborter."""
    customised = [_shown(path) for path, text in project.texts(project.scanned) if ABORTER_CUSTOMISATION.search(text)]
    if not customised:
        return []
    return [
        f"{', '.join(customised)} may customise Flask's aborter: `abort(code)` can then raise other classes "
        "than werkzeug's defaults; review this run's abort/raise conversions with that in mind"
    ]


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()
