"""Print pip constraints that pin every runtime dependency of pyproject.toml to its declared minimum.

`make test-min` installs flaskmod with them, so the suite runs on the oldest versions
flaskmod claims to support: `libcst>=1.9` becomes `libcst==1.9`, environment markers kept.
A dependency declared without a `>=` minimum is an error: there is nothing to pin.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

# name[extras] >= version [, other specifiers] [; marker]
REQUIREMENT = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9._-]+)(?P<extras>\[[^\]]*\])?\s*(?P<specs>[^;]*?)\s*(?:;(?P<marker>.*))?$"
)
MINIMUM = re.compile(r">=\s*(?P<version>[^,\s]+)")


def pin(requirement: str) -> str:
    """``requirement`` pinned to its minimum: ``name==minimum`` and its marker."""
    match = REQUIREMENT.match(requirement)
    minimum = MINIMUM.search(match["specs"]) if match else None
    if match is None or minimum is None:
        raise SystemExit(f"{requirement!r}: no `>=` minimum to pin")
    marker = f"; {match['marker'].strip()}" if match["marker"] else ""
    return f"{match['name']}=={minimum['version']}{marker}"


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "pyproject.toml")
    project = tomllib.loads(path.read_text(encoding="utf-8"))["project"]
    for requirement in project["dependencies"]:
        print(pin(requirement))


if __name__ == "__main__":
    main()
