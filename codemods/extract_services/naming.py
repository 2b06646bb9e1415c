"""Service names: configured per view, or `update_`/`load_`/`run_` and the view's name, never one taken."""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst

from flaskmod.codemods.core.refusal import Refused
from flaskmod.codemods.core.syntax import code_of

# Branch tests after which a run is the handling of a submitted form.
SUBMIT_WORDS = ("POST", "validate_on_submit", "PUT", "PATCH")


def service_name(
    view: str,
    index: int,
    returns: bool,
    branch_test: cst.BaseExpression | None,
    configured: Mapping[str, str],
    taken: set[str],
) -> str:
    """The name of the ``index``-th service of ``view`` (from 1), added to ``taken``.

    ``configured`` is the `names` option: `"view:2"` names the second service, `"view"` the first.
    """
    chosen = configured.get(f"{view}:{index}") or (configured.get(view) if index == 1 else None)
    if chosen:
        if chosen in taken:
            raise Refused(f"the configured name `{chosen}` is already taken", "name-taken")
        taken.add(chosen)
        return chosen
    test = code_of(branch_test) if branch_test is not None else ""
    if any(word in test for word in SUBMIT_WORDS):
        base = f"update_{view}"
    elif returns:
        base = f"load_{view}"
    else:
        base = f"run_{view}"
    name, counter = base, 1
    while name in taken:
        counter += 1
        name = f"{base}_{counter}"
    taken.add(name)
    return name
