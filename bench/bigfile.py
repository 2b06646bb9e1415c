"""How a flaskmod dry run scales with one big file, measured against parsing it.

Run it from the repository root, in an environment where flaskmod is installed::

    python bench/bigfile.py [--size 256K] [--select ID] [--seed N] [--repeat N] [--profile FILE] [--json]

One views module of about ``--size`` bytes (``128K``, ``1M``, ``5M``) is generated from the
same templates as ``bench/benchmark.py`` under ``bench/generated/`` (git-ignored): a blueprint
with helpers and view after view, a third of those with a decorator above the route (what
route-decorator-order moves), so the edits are spread over the whole file. Two things are
timed in this process, ``--repeat`` times: ``libcst.parse_module`` of the text, and the
engine's ``run`` with every codemod (``--unsafe``, one job; ``--select`` names fewer) plus
the rendering of the patch, as ``flaskmod run --dry-run`` does. Time in proportion to the
size means the ratio stays flat as the size grows. ``--profile FILE`` writes a cProfile of one flaskmod run.
It never asserts a threshold.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import random
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import libcst as cst
from benchmark import (
    FLASK_HEADER,
    GENERATED_DIR,
    FlaskStyle,
    Words,
    _block,
    flask_view,
)

from flaskmod.codemods.core import report
from flaskmod.codemods.core.engine import RunRequest, run
from flaskmod.codemods.core.registry import all_codemods

MISORDER_RATE = 0.3
UNITS = {"K": 1024, "M": 1024 * 1024}


def views_module(size: int, seed: int) -> str:
    """A blueprint module of at least ``size`` bytes; the same for the same size and seed."""
    words = Words(random.Random(f"flaskmod-bigfile:{seed}"), "shop")
    values = words.values()
    names = "Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template, request, session, url_for"
    lines = _block(FLASK_HEADER, {**values, "flask_import": f"from flask import {names}", "model_imports": ""})
    lines += ["", 'bp = Blueprint("shop", __name__, url_prefix="/shop")']
    style = FlaskStyle(owner="bp", prefix="", indent="", shortcuts=False)
    written = sum(len(line) + 1 for line in lines)
    while written < size:
        view = ["", "", *flask_view(words, style, "shop", MISORDER_RATE, values["noun"])]
        lines += view
        written += sum(len(line) + 1 for line in view)
    return "\n".join(lines) + "\n"


def big_tree(size: int, seed: int) -> Path:
    root = GENERATED_DIR / f"bigfile-{size}-s{seed}"
    module = root / "shop" / "views.py"
    if not module.is_file():
        module.parent.mkdir(parents=True, exist_ok=True)
        module.write_text(views_module(size, seed), encoding="utf-8")
        (root / ".git").mkdir(exist_ok=True)  # a repository of its own, as a measured project is
    return root


def dry_run(tree: Path, select: Sequence[str] = ()) -> tuple[int, int]:
    codemods = [codemod for codemod in all_codemods() if not select or codemod.ID in select]
    request = RunRequest(paths=(tree,), codemods=codemods, allow_unsafe=True, jobs=1, root=tree)
    result = run(request)
    return len(result.changed_files), len(report.run_patch(result))


def timed(action: object, repeat: int) -> list[float]:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        runs.append(time.perf_counter() - started)
    return runs


def parse_size(text: str) -> int:
    unit = UNITS.get(text[-1:].upper(), 1)
    return int(float(text.rstrip("kKmM")) * unit)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=parse_size, default=parse_size("256K"), help="bytes: 128K, 1M, 5M")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement (default 1)")
    parser.add_argument("--select", action="append", default=[], help="only this codemod (repeatable)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of one flaskmod run here")
    parser.add_argument("--json", action="store_true", help="print a JSON object instead of lines")
    args = parser.parse_args(argv)
    tree = big_tree(args.size, args.seed)
    module = tree / "shop" / "views.py"
    text = module.read_text(encoding="utf-8")
    parse = timed(lambda: cst.parse_module(text), args.repeat)
    if args.profile:
        cProfile.runctx("dry_run(tree, select)", globals(), {"tree": tree, "select": args.select}, str(args.profile))
    outcome: list[tuple[int, int]] = []
    flaskmod = timed(lambda: outcome.append(dry_run(tree, args.select)), args.repeat)
    figures = {
        "file": str(module),
        "bytes": len(text.encode("utf-8")),
        "lines": text.count("\n"),
        "parse_seconds": statistics.median(parse),
        "flaskmod_seconds": statistics.median(flaskmod),
        "ratio": statistics.median(flaskmod) / statistics.median(parse),
        "changed_files": outcome[0][0],
        "patch_bytes": outcome[0][1],
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for name, value in figures.items():
            print(f"{name:>16}: {value:.2f}" if isinstance(value, float) else f"{name:>16}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
