"""How much a flaskmod dry run costs, measured against just parsing the same files.

Run it from the repository root, in an environment where flaskmod is installed
(``make bench`` does that)::

    python bench/benchmark.py [--files N] [--jobs N] [--path DIR] [--seed N] [--repeat N] [--json]

Without ``--path`` a code base of ``--files`` Python files (default 400) is
generated deterministically from ``--seed`` under ``bench/generated/`` (git-ignored)
and reused by later runs with the same size and seed: about 70% plain modules
(utilities, classes, data munging) and 30% Flask modules (blueprints full of views,
app factories, decorators above and below the routes, logging calls,
``request.method`` branches, ``abort``/``jsonify`` error returns). ``--path DIR``
measures an existing tree instead. The default size keeps a run (``--repeat 3``)
within about three minutes on two cores: LibCST parses some 3,000-6,000 lines a
second per core, and the default tree is about 83,000 lines.

Timed, each ``--repeat`` times with ``--jobs`` worker processes, on the file list
``discover`` returns:

* bare parse: every file read and parsed with ``libcst.parse_module`` in a
  ``ProcessPoolExecutor``, in the engine's chunks, and nothing else;
* flaskmod (cold): the engine's ``run`` with every codemod (``--unsafe``), in process,
  plus the rendering of the patch, as ``flaskmod run --dry-run`` does, with no cache;
* warm re-run: each cold run above fills a result cache (in a temporary folder, emptied
  before each: the cold time includes keeping the results, as a default run does); then
  the same tree again, twice per repeat: in process (engine and patch, as above), and
  as a user runs it, ``python -m flaskmod run --dry-run --format diff`` in a new process
  (interpreter start, imports, discovery, cache look-ups, the patch captured).

The report gives the best and median wall time of each, files per second, the
ratios cold / bare parse and warm / bare parse, and how many files flaskmod changed
and parsed; the warm patch is checked to be byte-identical to the cold one. Run it
once on the generated tree and once with ``--path`` on a real one for the three
ratios of issue 18. It never asserts a threshold: the exit status is 0 unless the
arguments are wrong.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib.metadata
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any

import libcst as cst

from flaskmod.codemods.core import report
from flaskmod.codemods.core.discovery import discover
from flaskmod.codemods.core.engine import RunRequest, _chunks, display_path, run
from flaskmod.codemods.core.registry import all_codemods

BENCH_DIR = Path(__file__).resolve().parent
GENERATED_DIR = BENCH_DIR / "generated"
DEFAULT_FILES = 400
DEFAULT_SEED = 0
DEFAULT_REPEAT = 3
# Bump when the generator's output changes, so stale trees are rebuilt.
GENERATOR_VERSION = 1
MARKER_NAME = "BENCH_TREE.json"
FLASK_SHARE = 0.30
FILES_PER_PACKAGE = 40


# -- the generated code base ---------------------------------------------------

NOUNS = (
    "order",
    "invoice",
    "customer",
    "product",
    "shipment",
    "account",
    "report",
    "ticket",
    "payment",
    "member",
    "item",
    "book",
    "cart",
    "review",
    "coupon",
    "warehouse",
    "supplier",
    "refund",
    "subscription",
    "address",
    "category",
    "message",
    "event",
    "author",
)
VERBS = (
    "load",
    "parse",
    "normalize",
    "compute",
    "merge",
    "filter",
    "build",
    "render",
    "validate",
    "export",
    "sync",
    "fetch",
    "collect",
    "summarize",
    "resolve",
    "prepare",
)
ADJECTIVES = ("active", "pending", "archived", "recent", "stale", "primary", "external", "cached", "default", "failed")
FIELDS = ("email", "status", "region", "currency", "sku", "title", "slug", "country", "channel", "owner")
DOMAINS = ("billing", "catalog", "shipping", "accounts", "support", "reporting", "inventory", "marketing")
PLAIN_SUFFIXES = ("utils", "helpers", "models", "services", "parsers", "tasks", "formatters", "validators", "cache")
FLASK_SUFFIXES = ("views", "api", "routes", "admin")


def _t(text: str) -> Template:
    return Template(text.strip("\n"))


PLAIN_HEADER = _t('''
"""$Title: $verb and $verb2 $noun records for the $domain domain."""

from __future__ import annotations

import asyncio
import csv
import enum
import functools
import json
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from .decorators import retry, timed

logger = logging.getLogger(__name__)
T = TypeVar("T")

$CONST_NAME = $number
${CONST_NAME}_PATTERN = re.compile(r"^[a-z0-9_-]{3,$number}$$")
''')

PLAIN_BLOCKS: tuple[Template, ...] = (
    _t('''
def ${verb}_${adj}_${noun}s(${noun}s: list[dict[str, Any]], *, limit: int = $number) -> list[dict[str, Any]]:
    """${Verb} the $adj ${noun}s, at most ``limit`` of them."""
    result: list[dict[str, Any]] = []
    for $noun in ${noun}s:
        if $noun.get("status") != "$adj":
            continue
        key = str($noun.get("$field", "")).strip().lower()
        if not key:
            $log_debug
            continue
        result.append({**$noun, "$field": key})
        if len(result) >= limit:
            break
    return result
'''),
    _t('''
@dataclass
class ${Noun}${Suffix}:
    """One $noun as the $domain code passes it around."""

    id: int
    name: str
    $field: str = ""
    amount: float = 0.0
    tags: list[str] = field(default_factory=list)
    created_at: datetime | None = None

    @property
    def label(self) -> str:
        return f"{self.name} ({self.id})"

    @property
    def is_recent(self) -> bool:
        return self.created_at is not None and datetime.utcnow() - self.created_at < timedelta(days=$number)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "$field": self.$field,
            "amount": round(self.amount, 2),
            "tags": sorted(self.tags),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ${Noun}${Suffix}:
        return cls(
            id=int(data["id"]),
            name=str(data.get("name", "")),
            $field=str(data.get("$field", "")),
            amount=float(data.get("amount") or 0),
            tags=list(data.get("tags", ())),
        )
'''),
    _t('''
class ${Noun}Repository:
    """Rows of the ``${noun}s`` table, with a small read cache."""

    def __init__(self, connection: Any, table: str = "${noun}s") -> None:
        self._connection = connection
        self._table = table
        self._cache: dict[int, dict[str, Any]] = {}

    def get(self, ${noun}_id: int) -> dict[str, Any] | None:
        if ${noun}_id in self._cache:
            return self._cache[${noun}_id]
        row = self._connection.execute(f"SELECT * FROM {self._table} WHERE id = ?", (${noun}_id,)).fetchone()
        if row is not None:
            self._cache[${noun}_id] = dict(row)
        return self._cache.get(${noun}_id)

    def all(self, *, status: str | None = None, limit: int = $number) -> list[dict[str, Any]]:
        query = f"SELECT * FROM {self._table}"
        params: tuple[Any, ...] = ()
        if status is not None:
            query += " WHERE status = ?"
            params = (status,)
        query += f" LIMIT {int(limit)}"
        return [dict(row) for row in self._connection.execute(query, params)]

    def save(self, $noun: dict[str, Any]) -> int:
        columns = ", ".join(sorted($noun))
        marks = ", ".join("?" for _ in $noun)
        cursor = self._connection.execute(
            f"INSERT OR REPLACE INTO {self._table} ({columns}) VALUES ({marks})",
            tuple($noun[key] for key in sorted($noun)),
        )
        self._cache.pop(cursor.lastrowid, None)
        return cursor.lastrowid

    def clear(self) -> None:
        self._cache.clear()
'''),
    _t("""
def summarize_${noun}s_by_$field(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, float]]:
    totals: dict[str, float] = defaultdict(float)
    counts: Counter[str] = Counter()
    for row in rows:
        group = row.get("$field") or "unknown"
        try:
            amount = float(row.get("amount", 0))
        except (TypeError, ValueError):
            $log_warning
            continue
        totals[group] += amount
        counts[group] += 1
    return {
        group: {"total": round(total, 2), "count": counts[group], "mean": round(total / counts[group], 2)}
        for group, total in sorted(totals.items(), key=lambda pair: (-pair[1], pair[0]))
    }
"""),
    _t("""
def read_${noun}s_csv(path: Path, *, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        return [row for row in reader if any(value.strip() for value in row.values() if value)]


def write_${noun}s_json(rows: Sequence[dict[str, Any]], path: Path) -> int:
    payload = json.dumps(list(rows), indent=2, sort_keys=True, default=str)
    path.write_text(payload + "\\n", encoding="utf-8")
    $log_info
    return len(rows)
"""),
    _t("""
@functools.lru_cache(maxsize=$number)
def ${verb}_${field}_code(code: str) -> str:
    table = {
        "A": "$adj",
        "B": "$adj2",
        "C": "$noun",
        "D": "$noun2",
    }
    return table.get(code.strip().upper()[:1], code)
"""),
    _t('''
def iter_${noun}_batches(items: Sequence[T], size: int = $number) -> Iterator[list[T]]:
    """``items`` in lists of ``size``; the last one may be shorter."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
'''),
    _t("""
class ${Noun}Status(enum.Enum):
    NEW = "new"
    ${ADJ} = "$adj"
    ${ADJ2} = "$adj2"
    CLOSED = "closed"

    @property
    def is_final(self) -> bool:
        return self in {${Noun}Status.CLOSED, ${Noun}Status.${ADJ2}}

    @classmethod
    def parse(cls, value: str | None) -> ${Noun}Status:
        try:
            return cls((value or "new").strip().lower())
        except ValueError:
            return cls.NEW
"""),
    _t("""
async def fetch_${noun}s(session: Any, ids: list[int], *, concurrency: int = $number) -> list[dict[str, Any]]:
    semaphore = asyncio.Semaphore(concurrency)

    async def one(item_id: int) -> dict[str, Any]:
        async with semaphore:
            response = await session.get(f"/api/${noun}s/{item_id}")
            response.raise_for_status()
            return await response.json()

    results = await asyncio.gather(*(one(i) for i in ids), return_exceptions=True)
    failures = [r for r in results if isinstance(r, Exception)]
    if failures:
        $log_warning
    return [r for r in results if not isinstance(r, Exception)]
"""),
    _t("""
def process_${noun}_queue(queue: list[dict[str, Any]], handler: Any) -> tuple[int, int]:
    ok = failed = 0
    for entry in queue:
        try:
            handler(entry)
        except KeyError as error:
            failed += 1
            logger.warning("missing field %s in $noun %s", error, entry.get("id"))
        except Exception:
            failed += 1
            logger.exception("failed to process $noun %s", entry.get("id"))
        else:
            ok += 1
    $log_info
    return ok, failed
"""),
    _t("""
def ${verb}_${noun}_window(events: list[dict[str, Any]], days: int = $number) -> dict[str, list[int]]:
    cutoff = datetime.utcnow() - timedelta(days=days)
    window: dict[str, list[int]] = {}
    for event in sorted(events, key=lambda e: e.get("at") or datetime.min):
        at = event.get("at")
        if at is None or at < cutoff:
            continue
        window.setdefault(event.get("$field", "other"), []).append(event["id"])
    while len(window) > $number2:
        smallest = min(window, key=lambda k: len(window[k]))
        del window[smallest]
    return window
"""),
    _t("""
@timed
def ${verb}_${noun}_matrix(rows: list[list[float]], weights: list[float]) -> list[float]:
    if not rows:
        return []
    if len(rows[0]) != len(weights):
        raise ValueError(f"expected {len(rows[0])} weights, got {len(weights)}")
    scores = [sum(value * weight for value, weight in zip(row, weights)) for row in rows]
    top = max(scores) or 1.0
    return [round(score / top, 4) for score in scores]
"""),
)

# A decorator line that mentions `.get(`: flaskmod's text trigger fires, the module is parsed for nothing.
PLAIN_TRIGGER_LOOKALIKE = _t("""
SETTINGS: dict[str, Any] = {"retries": 3, "timeout": $number}


@retry(attempts=SETTINGS.get("retries", 3), delay=SETTINGS.get("timeout", $number) / 10)
def sync_${noun}s(client: Any, since: datetime | None = None) -> int:
    count = 0
    for page in client.pages("/${noun}s", since=since):
        for $noun in page:
            client.store($noun)
            count += 1
    $log_info
    return count
""")

PLAIN_LOG_CALLS = (
    'logger.info("$noun: %d rows done", len(rows))',
    'logger.info(f"$noun: {len(rows)} rows done")',
    'logging.info("$noun: %d rows done" % len(rows))',
    'logger.info("$noun: {} rows done".format(len(rows)))',
)

FLASK_HEADER = _t('''
"""$Title: the $noun pages and API of the $domain application."""

import logging
from datetime import datetime

$flask_import

from ..auth import admin_required, login_required
from ..extensions import cache, db, limiter
from ..models import $Noun$model_imports
from ..utils import audit_log, timed

logger = logging.getLogger(__name__)
''')

FLASK_VIEWS: tuple[Template, ...] = (
    # list, JSON
    _t("""
def $view():
    page = ${F}request.args.get("page", 1, type=int)
    per_page = min(${F}request.args.get("per_page", 20, type=int), 100)
    query = $Noun.query.filter_by(deleted=False)
    if ${F}request.args.get("q"):
        query = query.filter($Noun.name.ilike(f"%{${F}request.args['q']}%"))
    items = query.order_by($Noun.id.desc()).paginate(page=page, per_page=per_page)
    $log
    return ${F}jsonify({"items": [i.to_dict() for i in items.items], "page": page, "total": items.total})
"""),
    # detail, abort
    _t("""
def $view(${noun}_id):
    $noun = $Noun.query.get(${noun}_id)
    if $noun is None:
        ${F}abort(404)
    if $noun.deleted and not ${F}g.user.is_admin:
        ${F}abort(410, description="this $noun was deleted")
    return ${F}render_template("${noun}s/detail.html", $noun=$noun)
"""),
    # form, request.method branch
    _t("""
def $view(${noun}_id):
    $noun = $Noun.query.get_or_404(${noun}_id)
    errors = []
    if ${F}request.method == "POST":
        name = ${F}request.form.get("name", "").strip()
        $field = ${F}request.form.get("$field", "").strip()
        if not name:
            errors.append("Name is required.")
        if len($field) > 120:
            errors.append("${Field} is too long.")
        if errors:
            ${F}flash(" ".join(errors))
            return ${F}render_template("${noun}s/edit.html", $noun=$noun, errors=errors), 400
        $noun.name = name
        $noun.$field = $field
        $noun.updated_at = datetime.utcnow()
        db.session.commit()
        $log
        return ${F}redirect(${F}url_for("$endpoint_prefix$detail_view", ${noun}_id=$noun.id))
    return ${F}render_template("${noun}s/edit.html", $noun=$noun, errors=errors)
"""),
    # create, JSON errors
    _t("""
def $view():
    payload = ${F}request.get_json(silent=True)
    if not payload:
        return ${F}jsonify({"error": "invalid JSON"}), 400
    missing = [key for key in ("name", "$field") if key not in payload]
    if missing:
        return ${F}jsonify({"error": "missing fields", "fields": missing}), 422
    $noun = $Noun(name=payload["name"], $field=payload["$field"])
    db.session.add($noun)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        ${F}current_app.logger.exception("could not create $noun")
        ${F}abort(500)
    $log
    return ${F}jsonify($noun.to_dict()), 201
"""),
    # delete
    _t("""
def $view(${noun}_id):
    $noun = $Noun.query.get(${noun}_id) or ${F}abort(404)
    if $noun.owner_id != ${F}g.user.id:
        ${F}abort(403, description="not your $noun")
    db.session.delete($noun)
    db.session.commit()
    logging.info("deleted $noun %s" % ${noun}_id)
    return "", 204
"""),
    # one view, three methods
    _t("""
def $view(${noun}_id):
    $noun = $Noun.query.get_or_404(${noun}_id)
    if ${F}request.method == "GET":
        return ${F}jsonify($noun.to_dict())
    elif ${F}request.method == "PUT":
        data = ${F}request.get_json() or {}
        unknown = sorted(key for key in data if not hasattr($noun, key))
        if unknown:
            return ${F}jsonify({"error": f"unknown fields: {', '.join(unknown)}"}), 400
        for key, value in data.items():
            setattr($noun, key, value)
        db.session.commit()
        logger.info(f"updated $noun {$noun.id}")
        return ${F}jsonify($noun.to_dict())
    else:
        db.session.delete($noun)
        db.session.commit()
        return ${F}jsonify({"deleted": ${noun}_id})
"""),
    # business logic in the view
    _t("""
def $view():
    start = ${F}request.args.get("start")
    end = ${F}request.args.get("end")
    try:
        start_date = datetime.strptime(start, "%Y-%m-%d") if start else None
        end_date = datetime.strptime(end, "%Y-%m-%d") if end else None
    except ValueError:
        ${F}abort(400, "dates must be YYYY-MM-DD")
    rows = $Noun.query.all()
    totals = {}
    for row in rows:
        if start_date and row.created_at < start_date:
            continue
        if end_date and row.created_at > end_date:
            continue
        bucket = row.created_at.strftime("%Y-%m")
        entry = totals.setdefault(bucket, {"count": 0, "amount": 0})
        entry["count"] += 1
        entry["amount"] += row.amount_cents
    discount = 0.$number if len(rows) > 100 else 0.0
    summary = [
        {"month": month, "count": value["count"], "amount": round(value["amount"] * (1 - discount) / 100, 2)}
        for month, value in sorted(totals.items())
    ]
    ${F}current_app.logger.info("$noun report %s..%s: %d buckets", start, end, len(summary))
    return ${F}jsonify(summary)
"""),
    # search form, GET and POST
    _t("""
def $view():
    if ${F}request.method == "POST":
        term = ${F}request.form.get("term", "").strip()
        if len(term) < 2:
            ${F}flash("Search for at least two characters.")
            return ${F}redirect(${F}url_for("$endpoint_prefix$view"))
        ${F}session["last_${noun}_search"] = term
        return ${F}redirect(${F}url_for("$endpoint_prefix$view", q=term))
    term = ${F}request.args.get("q") or ${F}session.get("last_${noun}_search", "")
    results = $Noun.query.filter($Noun.name.contains(term)).limit($number).all() if term else []
    $log
    return ${F}render_template("${noun}s/search.html", results=results, term=term)
"""),
)

FLASK_LOG_CALLS = (
    'logger.info("$noun %s handled", ${noun}_id if "${noun}_id" in locals() else "-")',
    'logger.info(f"$view served for {${F}request.remote_addr}")',
    'logger.debug("$view: %s %s", ${F}request.method, ${F}request.path)',
    '${F}current_app.logger.info("$view called by %s", ${F}g.user.id)',
    'logging.info("$view by {}".format(${F}request.remote_addr))',
    'logger.info("$view: " + str(${F}request.args.to_dict()))',
)

# (view template index, needs an id in the URL, HTTP methods)
FLASK_VIEW_SHAPES: tuple[tuple[int, bool, tuple[str, ...]], ...] = (
    (0, False, ("GET",)),
    (1, True, ("GET",)),
    (2, True, ("GET", "POST")),
    (3, False, ("POST",)),
    (4, True, ("DELETE",)),
    (5, True, ("GET", "PUT", "DELETE")),
    (6, False, ("GET",)),
    (7, False, ("GET", "POST")),
)
VIEW_VERBS = ("list", "show", "edit", "create", "delete", "manage", "report", "search")

OTHER_DECORATORS = (
    "@login_required",
    "@admin_required",
    "@cache.cached(timeout=$number)",
    '@limiter.limit("$number per minute")',
    '@audit_log("$view")',
    "@timed",
)

FLASK_HELPERS: tuple[Template, ...] = (
    _t("""
def _serialize_$noun($noun):
    return {
        "id": $noun.id,
        "name": $noun.name,
        "$field": $noun.$field,
        "created": $noun.created_at.isoformat() if $noun.created_at else None,
    }
"""),
    _t("""
def _current_${noun}_filter():
    args = ${F}request.args
    status = args.get("status")
    if status and status not in ("$adj", "$adj2", "closed"):
        ${F}abort(400, f"unknown status {status!r}")
    return {"status": status} if status else {}
"""),
)


@dataclass
class Words:
    """The random choices one generated module is built from."""

    rng: random.Random
    domain: str
    used_names: set[str] = field(default_factory=set)

    def pick(self, options: Sequence[str]) -> str:
        return self.rng.choice(options)

    def unique(self, name: str) -> str:
        candidate, counter = name, 2
        while candidate in self.used_names:
            candidate = f"{name}_{counter}"
            counter += 1
        self.used_names.add(candidate)
        return candidate

    def values(self, **extra: str) -> dict[str, str]:
        noun, noun2 = self.rng.sample(NOUNS, 2)
        adj, adj2 = self.rng.sample(ADJECTIVES, 2)
        verb, verb2 = self.rng.sample(VERBS, 2)
        field_name = self.pick(FIELDS)
        values = {
            "noun": noun,
            "noun2": noun2,
            "Noun": noun.capitalize(),
            "adj": adj,
            "adj2": adj2,
            "ADJ": adj.upper(),
            "ADJ2": adj2.upper(),
            "verb": verb,
            "verb2": verb2,
            "Verb": verb.capitalize(),
            "field": field_name,
            "Field": field_name.capitalize(),
            "domain": self.domain,
            "Title": f"{self.domain.capitalize()} {noun}s",
            "Suffix": self.pick(("Record", "Row", "Entry", "Snapshot", "View")),
            "number": str(self.rng.choice((5, 10, 30, 60, 64, 100, 128, 256, 500))),
            "number2": str(self.rng.randint(3, 12)),
        }
        values.update(extra)
        return values


def _block(template: Template, values: dict[str, str]) -> list[str]:
    return template.substitute(values).split("\n")


def _indent(lines: list[str], prefix: str) -> list[str]:
    return [prefix + line if line else line for line in lines]


def plain_module(words: Words) -> str:
    rng = words.rng
    target = rng.randint(50, 300)
    values = words.values(CONST_NAME=f"MAX_{words.pick(NOUNS).upper()}S")
    lines = _block(PLAIN_HEADER, values)
    if rng.random() < 0.04:
        lines += ["", "", *_block(PLAIN_TRIGGER_LOOKALIKE, _plain_values(words))]
    while len(lines) < target:
        lines += ["", "", *_block(rng.choice(PLAIN_BLOCKS), _plain_values(words))]
    return "\n".join(lines) + "\n"


def _plain_values(words: Words) -> dict[str, str]:
    values = words.values()
    log = Template(words.pick(PLAIN_LOG_CALLS)).substitute(values)
    values["log_info"] = log
    values["log_debug"] = f'logger.debug("skipping %s without {values["field"]}", {values["noun"]}.get("id"))'
    values["log_warning"] = f'logger.warning("skipped a bad {values["noun"]} row")'
    return values


@dataclass
class FlaskStyle:
    """How a Flask module spells its app or blueprint."""

    owner: str  # the object views are registered on
    prefix: str  # "flask." when the module does `import flask`
    indent: str  # views nested in a function are indented
    shortcuts: bool  # @bp.get / @bp.post instead of @bp.route(..., methods=...)


def flask_module(words: Words) -> str:
    rng = words.rng
    values = words.values()
    noun = values["noun"]
    kind = rng.choices(("blueprint", "flask_module", "factory", "register", "api"), (55, 15, 10, 5, 15))[0]
    names = "Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template, request, session, url_for"
    if kind == "flask_module":
        flask_import = "import flask"
    elif kind == "factory":
        flask_import = f"from flask import {names.replace('Blueprint', 'Flask')}"
    else:
        flask_import = f"from flask import {names}"
    others = rng.sample(NOUNS, 2)
    lines = _block(
        FLASK_HEADER,
        {**values, "flask_import": flask_import, "model_imports": "".join(f", {n.capitalize()}" for n in others)},
    )
    bp_name = f"{noun}s_{words.domain}"
    style = FlaskStyle(owner="bp", prefix="", indent="", shortcuts=kind == "api")
    if kind == "blueprint" or kind == "api":
        lines += ["", f'bp = Blueprint("{bp_name}", __name__, url_prefix="/{noun}s")']
    elif kind == "flask_module":
        lines += ["", f'bp = flask.Blueprint("{bp_name}", __name__, url_prefix="/{noun}s")']
        style.prefix = "flask."
    else:
        style.owner, style.indent = "app", "    "
    # How often this module puts a decorator above its route: most modules never do.
    misorder_rate = rng.choices((0.0, 0.08, 0.3), (65, 27, 8))[0]
    helpers = [h for h in FLASK_HELPERS if rng.random() < 0.5]
    for helper in helpers:
        lines += ["", "", *_block(helper, {**words.values(noun=noun), "F": style.prefix})]
    body: list[str] = []
    gap = [""] if style.indent else ["", ""]
    for _ in range(rng.randint(4, 22)):
        body += [*gap, *flask_view(words, style, bp_name, misorder_rate, rng.choice([noun, *others]))]
    if kind == "factory":
        lines += [
            "",
            "",
            "def create_app(config=None):",
            "    app = Flask(__name__)",
            "    app.config.update(config or {})",
        ]
        lines += _indent(body, style.indent)
        lines += ["", "    return app"]
    elif kind == "register":
        lines += ["", "", "def register_routes(app):", '    """Views registered on an app given by the caller."""']
        lines += _indent(body, style.indent)
    else:
        lines += body
    return "\n".join(lines) + "\n"


def flask_view(words: Words, style: FlaskStyle, bp_name: str, misorder_rate: float, noun: str) -> list[str]:
    rng = words.rng
    index, with_id, methods = rng.choice(FLASK_VIEW_SHAPES)
    view = words.unique(f"{VIEW_VERBS[index]}_{noun}")
    values = words.values(noun=noun, Noun=noun.capitalize(), view=view, F=style.prefix)
    values["endpoint_prefix"] = "." if style.owner == "bp" else ""
    values["detail_view"] = f"show_{noun}"
    values["log"] = Template(words.pick(FLASK_LOG_CALLS)).substitute(values)
    path = f"/{noun}s" + (f"/<int:{noun}_id>" if with_id else "") + ("/" + view if index in (6, 7) else "")
    routes = [_route(style, path, methods)]
    if rng.random() < 0.12:
        routes.insert(0, _route(style, path + "/legacy", methods))
    decorators = [Template(d).substitute(values) for d in rng.sample(OTHER_DECORATORS, rng.choice((0, 0, 1, 1, 1, 2)))]
    if decorators and rng.random() < misorder_rate:
        # The bug route-decorator-order fixes: a decorator above the route never runs for requests.
        decorated = [decorators[0], *routes, *decorators[1:]]
    else:
        decorated = [*routes, *decorators]
    return [*decorated, *_block(FLASK_VIEWS[index], values)]


def _route(style: FlaskStyle, path: str, methods: tuple[str, ...]) -> str:
    if style.shortcuts and len(methods) == 1:
        return f'@{style.owner}.{methods[0].lower()}("{path}")'
    if methods == ("GET",):
        return f'@{style.owner}.route("{path}")'
    listed = ", ".join(f'"{m}"' for m in methods)
    return f'@{style.owner}.route("{path}", methods=[{listed}])'


def package_init(words: Words, package: str) -> str:
    return f'"""The {package} package of the {words.domain} domain."""\n\n__all__: list[str] = []\n'


def generate_tree(root: Path, files: int, seed: int) -> None:
    """Write ``files`` Python files under ``root``; file ``i`` depends only on ``seed`` and ``i``."""
    if root.exists():
        shutil.rmtree(root)
    base = root / "acme"
    for index in range(files):
        rng = random.Random(f"flaskmod-bench:{seed}:{index}")
        group = index // FILES_PER_PACKAGE
        domain = DOMAINS[group % len(DOMAINS)]
        package = f"{domain}_{group:03d}"
        words = Words(rng, domain)
        directory = base / package
        if index % FILES_PER_PACKAGE == 0:
            directory.mkdir(parents=True, exist_ok=True)
            name, text = "__init__.py", package_init(words, package)
        elif rng.random() < FLASK_SHARE:
            name, text = f"{rng.choice(NOUNS)}_{rng.choice(FLASK_SUFFIXES)}_{index:05d}.py", flask_module(words)
        else:
            name, text = f"{rng.choice(NOUNS)}_{rng.choice(PLAIN_SUFFIXES)}_{index:05d}.py", plain_module(words)
        (directory / name).write_text(text, encoding="utf-8")
    # bench/generated/ is git-ignored, and discovery passes over what git ignores: a `.git`
    # directory makes the tree a repository of its own, as a measured project would be.
    (root / ".git").mkdir(exist_ok=True)
    marker = {"generator": GENERATOR_VERSION, "files": files, "seed": seed}
    (root / MARKER_NAME).write_text(json.dumps(marker) + "\n", encoding="utf-8")


def generated_tree(files: int, seed: int, log: Callable[[str], None]) -> Path:
    """The generated tree for this size and seed, built unless an identical one is there."""
    root = GENERATED_DIR / f"acme-n{files}-s{seed}"
    try:
        marker = json.loads((root / MARKER_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        marker = None
    if marker == {"generator": GENERATOR_VERSION, "files": files, "seed": seed} and (root / ".git").is_dir():
        log(f"reusing {display(root)}")
        return root
    log(f"generating {files} files under {display(root)} ...")
    started = time.perf_counter()
    generate_tree(root, files, seed)
    log(f"generated in {time.perf_counter() - started:.1f} s")
    return root


# -- measuring -----------------------------------------------------------------


def _parse_chunk(chunk: list[tuple[Path, str]]) -> int:
    """Parse every file of the chunk; the number that failed to parse."""
    failed = 0
    for path, _display in chunk:
        try:
            cst.parse_module(path.read_bytes())
        except (OSError, cst.ParserSyntaxError):
            failed += 1
    return failed


def bare_parse(items: list[tuple[Path, str]], jobs: int) -> int:
    """Parse every file as the engine spreads work: the number of files that failed."""
    jobs = max(1, min(jobs, len(items)))
    if jobs == 1:  # the engine works in process too then
        return _parse_chunk(items)
    # The engine's own chunking, so both measurements ship the work alike.
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return sum(pool.map(_parse_chunk, _chunks(items, jobs)))


@dataclass
class FlaskmodRun:
    engine_seconds: float
    patch_seconds: float
    scanned: int
    parsed: int
    noticed: int  # files a codemod recorded something for (a change, a finding, a skip)
    changed: int
    errors: int
    patch_bytes: int
    patch_digest: str


def flaskmod_dry_run(tree: Path, jobs: int, cache_dir: Path | None = None) -> FlaskmodRun:
    request = RunRequest(
        paths=(tree,), codemods=all_codemods(), allow_unsafe=True, jobs=jobs, root=tree, cache_dir=cache_dir
    )
    started = time.perf_counter()
    result = run(request)
    ran = time.perf_counter()
    patch = report.run_patch(result)
    finished = time.perf_counter()
    return FlaskmodRun(
        engine_seconds=ran - started,
        patch_seconds=finished - ran,
        scanned=result.scanned,
        parsed=sum(f.parsed for f in result.files),
        noticed=sum(bool(f.records) for f in result.files),
        changed=len(result.changed_files),
        errors=len(result.errors),
        patch_bytes=len(patch),
        patch_digest=hashlib.sha256(patch).hexdigest(),
    )


def flaskmod_command(tree: Path, jobs: int, cache_dir: Path) -> tuple[float, str]:
    """``flaskmod run --dry-run --format diff`` in a new process: its wall time and the patch's sha256."""
    command = [sys.executable, "-m", "flaskmod", "run", "--dry-run", "--unsafe", "--format", "diff", "--no-progress"]
    command += ["--jobs", str(jobs), "--cache-dir", str(cache_dir), str(tree)]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=tree, capture_output=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(f"flaskmod exited {done.returncode}: {done.stderr.decode(errors='replace')[-2000:]}")
    return seconds, hashlib.sha256(done.stdout).hexdigest()


@dataclass
class Timings:
    runs: list[float] = field(default_factory=list)

    @property
    def best(self) -> float:
        return min(self.runs)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def as_dict(self, files: int) -> dict[str, Any]:
        return {
            "best_seconds": round(self.best, 4),
            "median_seconds": round(self.median, 4),
            "runs_seconds": [round(r, 4) for r in self.runs],
            "files_per_second": round(files / self.best, 1),
        }


@dataclass
class Benchmark:
    tree: Path
    generated: bool
    files: int
    lines: int
    size_bytes: int
    jobs: int
    repeat: int
    discovery_seconds: float
    bare: Timings = field(default_factory=Timings)
    bare_failed: int = 0
    flaskmod: Timings = field(default_factory=Timings)
    flaskmod_runs: list[FlaskmodRun] = field(default_factory=list)
    warm: Timings = field(default_factory=Timings)  # in process
    warm_command: Timings = field(default_factory=Timings)  # a new process, as a user runs it
    warm_identical: bool = True  # every warm patch byte-identical to the cold one

    def as_dict(self) -> dict[str, Any]:
        last = self.flaskmod_runs[-1]
        return {
            "tree": str(self.tree),
            "generated": self.generated,
            "files": self.files,
            "lines": self.lines,
            "bytes": self.size_bytes,
            "jobs": self.jobs,
            "repeat": self.repeat,
            "python": platform.python_version(),
            "libcst": importlib.metadata.version("libcst"),
            "codemods": [c.ID for c in all_codemods()],
            "discovery_seconds": round(self.discovery_seconds, 4),
            "bare_parse": {**self.bare.as_dict(self.files), "failed_to_parse": self.bare_failed},
            "flaskmod": {
                **self.flaskmod.as_dict(self.files),
                "engine_median_seconds": round(statistics.median(r.engine_seconds for r in self.flaskmod_runs), 4),
                "patch_median_seconds": round(statistics.median(r.patch_seconds for r in self.flaskmod_runs), 4),
                "files_scanned": last.scanned,
                "files_parsed": last.parsed,
                "files_noticed": last.noticed,
                "files_changed": last.changed,
                "errors": last.errors,
                "patch_bytes": last.patch_bytes,
            },
            "ratio": {
                "best": round(self.flaskmod.best / self.bare.best, 3),
                "median": round(self.flaskmod.median / self.bare.median, 3),
            },
            "warm": {
                "in_process": self.warm.as_dict(self.files),
                "command": self.warm_command.as_dict(self.files),
                "identical_to_cold": self.warm_identical,
                "ratio_in_process": {
                    "best": round(self.warm.best / self.bare.best, 4),
                    "median": round(self.warm.median / self.bare.median, 4),
                },
                "ratio_command": {
                    "best": round(self.warm_command.best / self.bare.best, 4),
                    "median": round(self.warm_command.median / self.bare.median, 4),
                },
            },
        }


def measure(tree: Path, generated: bool, jobs: int, repeat: int, log: Callable[[str], None]) -> Benchmark:
    started = time.perf_counter()
    files = discover([tree]).files
    discovery_seconds = time.perf_counter() - started
    items = [(path, display_path(path, tree)) for path in files]
    # Read everything once, untimed, so neither measurement pays for a cold disk cache.
    lines = size = 0
    for path in files:
        data = path.read_bytes()
        size += len(data)
        lines += data.count(b"\n")
    bench = Benchmark(tree, generated, len(files), lines, size, jobs, repeat, discovery_seconds)
    with tempfile.TemporaryDirectory(prefix="flaskmod-bench-cache-") as folder:
        cache_dir = Path(folder) / "cache"
        for attempt in range(1, repeat + 1):
            # Interleaved, so a slow spell of the machine hits both measurements alike.
            gc.collect()
            started = time.perf_counter()
            bench.bare_failed = bare_parse(items, jobs)
            bench.bare.runs.append(time.perf_counter() - started)
            shutil.rmtree(cache_dir, ignore_errors=True)
            gc.collect()
            started = time.perf_counter()
            outcome = flaskmod_dry_run(tree, jobs, cache_dir)
            bench.flaskmod.runs.append(time.perf_counter() - started)
            bench.flaskmod_runs.append(outcome)
            if outcome.scanned != len(files):
                log(f"warning: flaskmod scanned {outcome.scanned} files, discovery found {len(files)}")
            log(
                f"run {attempt}/{repeat}: bare parse {bench.bare.runs[-1]:.2f} s, "
                f"flaskmod {bench.flaskmod.runs[-1]:.2f} s"
            )
        measure_warm(bench, cache_dir, log)
    return bench


def measure_warm(bench: Benchmark, cache_dir: Path, log: Callable[[str], None]) -> None:
    """Time re-runs of the unchanged tree with the cache the last cold run filled."""
    cold = bench.flaskmod_runs[-1].patch_digest
    identical = True
    for attempt in range(1, bench.repeat + 1):
        gc.collect()
        started = time.perf_counter()
        warm = flaskmod_dry_run(bench.tree, bench.jobs, cache_dir)
        bench.warm.runs.append(time.perf_counter() - started)
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds, digest = flaskmod_command(bench.tree, bench.jobs, cache_dir)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        bench.warm_command.runs.append(seconds)
        identical = identical and warm.patch_digest == cold and digest == cold
        spent = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
        log(
            f"warm {attempt}/{bench.repeat}: in process {bench.warm.runs[-1]:.3f} s, "
            f"command {seconds:.3f} s (CPU {spent:.3f} s)"
        )
    bench.warm_identical = identical


# -- reporting -----------------------------------------------------------------


def display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def render_table(bench: Benchmark) -> str:
    data = bench.as_dict()
    fm = data["flaskmod"]
    origin = "generated" if bench.generated else "given"
    rows = [
        ("", "best (s)", "median (s)", "files/s (best)"),
        ("bare parse", f"{bench.bare.best:.2f}", f"{bench.bare.median:.2f}", f"{bench.files / bench.bare.best:,.0f}"),
        (
            "flaskmod dry run",
            f"{bench.flaskmod.best:.2f}",
            f"{bench.flaskmod.median:.2f}",
            f"{bench.files / bench.flaskmod.best:,.0f}",
        ),
        ("ratio flaskmod/bare", f"{data['ratio']['best']:.2f}x", f"{data['ratio']['median']:.2f}x", ""),
        _timing_row("warm, in process", bench.warm, bench.files),
        _timing_row("warm, flaskmod command", bench.warm_command, bench.files),
        (
            "ratio warm command/bare",
            f"{data['warm']['ratio_command']['best']:.3f}x",
            f"{data['warm']['ratio_command']['median']:.3f}x",
            "",
        ),
        (
            "ratio warm in process/bare",
            f"{data['warm']['ratio_in_process']['best']:.3f}x",
            f"{data['warm']['ratio_in_process']['median']:.3f}x",
            "",
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    table = [
        "  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)).rstrip()
        for row in rows
    ]
    return "\n".join(
        [
            f"tree: {display(bench.tree)} ({origin}): {bench.files:,} files, {bench.lines:,} lines, "
            f"{bench.size_bytes / 1e6:.1f} MB",
            f"jobs {bench.jobs}, repeat {bench.repeat}, Python {data['python']}, libcst {data['libcst']}, "
            f"codemods: {', '.join(data['codemods'])}",
            "",
            *table,
            "",
            f"flaskmod: {fm['files_parsed']:,} of {fm['files_scanned']:,} files parsed, "
            f"{fm['files_noticed']:,} with something recorded, {fm['files_changed']:,} changed, "
            f"{fm['errors']} errors, patch {fm['patch_bytes'] / 1e3:,.0f} kB",
            f"flaskmod median split: engine {fm['engine_median_seconds']:.2f} s, "
            f"patch rendering {fm['patch_median_seconds']:.2f} s (discovery alone: {bench.discovery_seconds:.2f} s)",
            f"bare parse: {data['bare_parse']['failed_to_parse']} files failed to parse",
            "warm: every warm patch "
            + ("byte-identical to the cold one" if bench.warm_identical else "DIFFERS from the cold one"),
        ]
    )


def _timing_row(label: str, timings: Timings, files: int) -> tuple[str, str, str, str]:
    return (label, f"{timings.best:.3f}", f"{timings.median:.3f}", f"{files / timings.best:,.0f}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python bench/benchmark.py",
        description="Time a flaskmod dry run (every codemod) against a bare LibCST parse of the same files.",
    )
    parser.add_argument("--path", type=Path, help="measure this existing tree instead of a generated one")
    parser.add_argument("--files", type=int, help=f"files in the generated tree (default {DEFAULT_FILES})")
    parser.add_argument("--seed", type=int, help=f"seed of the generated tree (default {DEFAULT_SEED})")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="worker processes (default: CPUs)")
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, help="runs of each measurement (default 3)")
    parser.add_argument("--json", action="store_true", help="print a JSON object instead of the table")
    args = parser.parse_args(argv)
    if args.path is not None:
        if args.files is not None or args.seed is not None:
            parser.error("--files and --seed describe a generated tree; they cannot go with --path")
        if not args.path.exists():
            parser.error(f"--path {args.path}: no such file or directory")
    if args.files is not None and args.files < 1:
        parser.error("--files must be at least 1")
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.path is not None:
        tree, generated = args.path.resolve(), False
    else:
        files = DEFAULT_FILES if args.files is None else args.files
        tree, generated = generated_tree(files, DEFAULT_SEED if args.seed is None else args.seed, log), True
    if not discover([tree]).files:
        print(f"benchmark: no Python files to measure under {tree} (git-ignored, or none there)", file=sys.stderr)
        return 2
    bench = measure(tree, generated, args.jobs, args.repeat, log)
    print(json.dumps(bench.as_dict(), indent=2) if args.json else render_table(bench))
    return 0


if __name__ == "__main__":
    sys.exit(main())
