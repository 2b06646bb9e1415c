"""`flaskmod extract`: the explicit mode's entry, found by the registry (see core/commands.py).

:class:`ExplicitExtractServices` is extract-services for one file the user named: no cheap
bail-outs, so every refusal gets its reason. It lives here, not in the package's
``__init__``, because it subclasses the codemod defined there, and the registry wants one
codemod per package.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import libcst as cst

from flaskmod.codemods.core.commands import Command
from flaskmod.codemods.core.project import Project
from flaskmod.codemods.core.results import RunResult
from flaskmod.codemods.extract_services import ExtractServices
from flaskmod.codemods.extract_services.explicit import EXPLICIT_OPTION, ExplicitTarget, ExtractRefused


class ExplicitExtractServices(ExtractServices):
    __doc__ = ExtractServices.__doc__
    ID = ExtractServices.ID
    SUMMARY = ExtractServices.SUMMARY
    SAFETY = ExtractServices.SAFETY
    EXAMPLES = ExtractServices.EXAMPLES
    TRIGGER = re.compile("")

    @classmethod
    def should_transform(cls, module: cst.Module) -> bool:
        return True


class ExplicitExtract(Command):
    """`flaskmod extract PATH:VIEW --lines A-B --name NAME [--to MODULE]`."""

    NAME = "extract"
    CODEMOD = ExtractServices

    def run(
        self,
        path: Path,
        view: str,
        first_line: int,
        last_line: int,
        name: str,
        module: Path | None = None,
        *,
        options: Mapping[str, object] | None = None,
        root: Path | None = None,
    ) -> RunResult:
        """Extract exactly the statements of ``view`` on lines ``first_line``-``last_line`` of ``path`` into ``name``.

        ``module`` is the services module (default: the `services-module` option of ``options``, the
        codemod's options from the config; the size thresholds and `names` do not apply). The
        change is applied as if with ``--unsafe``: the user asked for exactly it. Nothing is written.
        Raises :class:`ExtractRefused` with the reason when the extraction is not provably equivalent
        or the lines do not select whole statements of one block; ``OSError`` when ``path`` is unreadable.
        """
        root = root if root is not None else Path.cwd()
        data = Project().data(path)
        target = ExplicitTarget(view, first_line, last_line, name)
        chosen: dict[str, object] = {**(options or {}), EXPLICIT_OPTION: target}
        if module is not None:
            # An absolute path: the option is a template relative to the views module, with `{stem}`.
            chosen["services-module"] = str(module.resolve()).replace("{", "{{").replace("}", "}}")
        file, results = self.run_file(path, data, ExplicitExtractServices, chosen, root)
        if file.error is not None:
            raise ExtractRefused(file.error.message)
        if file.skipped is not None:
            raise ExtractRefused(f"the file is skipped ({file.skipped})")
        if not file.changed:
            reasons = [skip.message for record in file.records for skip in record.skips]
            raise ExtractRefused(reasons[0] if reasons else "nothing was extracted")
        return RunResult(files=results, scanned=1)
