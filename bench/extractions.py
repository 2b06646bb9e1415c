"""Review extract-services' output on a tree, as the reviewer of the migration pull request would count it.

Run it from the repository root, where flaskmod is installed::

    python bench/extractions.py PATH [PATH ...] [--max-view-statements N] [--json]

It runs extract-services alone through the engine's API (a dry run with ``--unsafe``:
nothing is written) and prints, per tree:

* the number of services written, and of views they came from;
* the distribution of their parameters and returned values, and how many are over the
  interface gate (the codemod's ``max-parameters``/``max-returns`` defaults; a record counts as one value),
  and how many services return a record;
* the share of service names with a numeric suffix (``load_x_2``);
* trivial services (no business work, as ``value.does_business_work`` says; a call to a
  class whose name ends in ``Form`` counts as building a form) and duplicates (the same
  body, docstring aside, written twice);
* fat views (more than ``max-view-statements`` statements) before and after, and the
  most frequent skip reason among the views still fat.

A service is a function the run added whose docstring starts ``Extracted from the``.
The figures are a measure, not a verdict: the exit status is 0 unless the arguments are wrong.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import libcst as cst

from flaskmod.codemods.core.engine import RunRequest, run
from flaskmod.codemods.core.flask import FlaskRoutes
from flaskmod.codemods.core.results import FileResult
from flaskmod.codemods.core.syntax import count_statements, iter_function_defs
from flaskmod.codemods.extract_services import ExtractServices
from flaskmod.codemods.extract_services.value import does_business_work

MARKER = "Extracted from the"
SUFFIX = re.compile(r"_\d+$")
VIEW_IN_SKIP = re.compile(r"^(?:fat view|run of) `([^`]+)`")
EXTRACTED_FROM = re.compile(r"^moves business logic of `([^`]+)`")


@dataclass
class Figures:
    tree: str
    services: int = 0
    views_with_services: int = 0
    params: dict[int, int] = field(default_factory=dict)
    returns: dict[int, int] = field(default_factory=dict)
    over_gate: int = 0
    records: int = 0
    numeric_suffix: int = 0
    trivial: int = 0
    duplicates: int = 0
    fat_before: int = 0
    fat_after: int = 0
    still_fat_reasons: dict[str, int] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)


def _parse(text: str) -> cst.Module | None:
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError:
        return None


def _is_service(function: cst.FunctionDef) -> bool:
    body = function.body.body if isinstance(function.body, cst.IndentedBlock) else []
    doc = body[0] if body else None
    if not (isinstance(doc, cst.SimpleStatementLine) and isinstance(doc.body[0], cst.Expr)):
        return False
    value = doc.body[0].value
    return isinstance(value, cst.SimpleString) and MARKER in value.value


def _returned(function: cst.FunctionDef) -> int:
    assert isinstance(function.body, cst.IndentedBlock)
    last = function.body.body[-1]
    if isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[0], cst.Return):
        value = last.body[0].value
        if _is_record(value):
            return 1
        return len(value.elements) if isinstance(value, cst.Tuple) else int(value is not None)
    return 0


def _returned_value(function: cst.FunctionDef) -> cst.BaseExpression | None:
    assert isinstance(function.body, cst.IndentedBlock)
    last = function.body.body[-1]
    if isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[0], cst.Return):
        return last.body[0].value
    return None


def _is_record(value: cst.BaseExpression | None) -> bool:
    """`return UpdateUserResult(...)`: one record (extract-services' records are named `<Service>Result`)."""
    return isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value.endswith("Result")


def _is_form(call: cst.Call) -> bool:
    func = call.func
    name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else ""
    return name.endswith("Form")


def _fat_views(module: cst.Module, limit: int) -> set[str]:
    """Views as the codemod tells them (``FlaskRoutes``), and the functions it reports as unproven views:
    a test's ``@mock.patch(...)`` is no view."""
    routes = FlaskRoutes(None, module)  # type: ignore[arg-type]  # the codemod is only kept, never used
    return {
        f.name.value
        for f in iter_function_defs(module)
        if count_statements(f.body) > limit and (routes.is_view(f) or routes.unproven_imported_route(f) is not None)
    }


def _new_services(result: FileResult) -> list[cst.FunctionDef]:
    before = _parse(result.original or "") if result.original else None
    after = _parse(result.final or "")
    if after is None:
        return []
    existing = {f.name.value for f in iter_function_defs(before)} if before is not None else set()
    return [f for f in after.body if isinstance(f, cst.FunctionDef) and _is_service(f) and f.name.value not in existing]


def measure(tree: Path, limit: int) -> Figures:
    request = RunRequest(paths=(tree,), codemods=(ExtractServices,), allow_unsafe=True, root=tree)
    result = run(request)
    figures = Figures(str(tree))
    bodies: Counter[str] = Counter()
    defaults = ExtractServices.OPTIONS
    max_params = defaults["max-parameters"].default if "max-parameters" in defaults else 4
    max_returns = defaults["max-returns"].default if "max-returns" in defaults else 2
    reasons: dict[str, list[str]] = {}
    services_by_file = {file.display: _new_services(file) for file in result.files}
    for file in result.files:
        extracted_from = {
            match.group(1)
            for record in file.records
            for note in record.unsafe_applied
            if (match := EXTRACTED_FROM.match(note.message))
        }
        figures.views_with_services += len(extracted_from)
        for record in file.records:
            for skip in record.skips:
                match = VIEW_IN_SKIP.match(skip.message)
                if match:
                    reasons.setdefault(f"{file.display}:{match.group(1)}", []).append(skip.kind or skip.message)
        original = file.original if file.original is not None else _read(file.path)
        before = _parse(original) if original is not None else None
        after = _parse(file.final) if file.final is not None else before
        if before is not None:
            figures.fat_before += len(_fat_views(before, limit))
        if after is not None:
            still = _fat_views(after, limit)
            figures.fat_after += len(still)
            for view in still:
                extracted = view in extracted_from
                kinds = reasons.get(f"{file.display}:{view}") or ["extracted, still fat" if extracted else "no reason"]
                figures.still_fat_reasons[kinds[0]] = figures.still_fat_reasons.get(kinds[0], 0) + 1
        services = services_by_file[file.display]
        figures.services += len(services)
        for service in services:
            count, returned = len(service.params.params), _returned(service)
            figures.params[count] = figures.params.get(count, 0) + 1
            figures.returns[returned] = figures.returns.get(returned, 0) + 1
            figures.over_gate += count > max_params or returned > max_returns
            figures.records += _is_record(_returned_value(service))
            figures.numeric_suffix += bool(SUFFIX.search(service.name.value))
            assert isinstance(service.body, cst.IndentedBlock)
            body = list(service.body.body[1:])
            figures.trivial += not does_business_work(body, _is_form)
            bodies[cst.Module(body=body).code] += 1
            figures.names.append(service.name.value)
    figures.duplicates = sum(n - 1 for n in bodies.values())
    return figures


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _row(f: Figures) -> str:
    share = f"{100 * f.numeric_suffix / f.services:.0f} %" if f.services else "-"
    params = " ".join(f"{k}:{v}" for k, v in sorted(f.params.items()))
    returns = " ".join(f"{k}:{v}" for k, v in sorted(f.returns.items()))
    top = max(f.still_fat_reasons.items(), key=lambda kv: kv[1], default=("-", 0))
    return (
        f"| {Path(f.tree).name} | {f.services} ({f.views_with_services} views) | {params or '-'} | "
        f"{returns or '-'} | {f.records} | {f.over_gate} | {share} | {f.trivial} | {f.duplicates} | "
        f"{f.fat_before} -> {f.fat_after} | {top[0]} ({top[1]}) |"
    )


HEADER = (
    "| tree | services | params | returns | records | over gate | `_N` names | trivial | duplicates | fat views | "
    "top reason still fat |\n|---|---|---|---|---|---|---|---|---|---|---|"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--max-view-statements", type=int, default=12)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--names", action="store_true", help="also list the services' names")
    args = parser.parse_args(argv)
    all_figures = [measure(path.resolve(), args.max_view_statements) for path in args.paths]
    if args.json:
        print(json.dumps([asdict(f) for f in all_figures], indent=2))
        return 0
    print(HEADER)
    for figures in all_figures:
        print(_row(figures))
        if args.names:
            print("  " + ", ".join(figures.names), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
