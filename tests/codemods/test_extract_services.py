"""Edge cases of extract-services, and behaviour tests that run the code before and after."""

from __future__ import annotations

import asyncio
import re
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import libcst as cst
import pytest

from flaskmod.codemods.core.base import Example
from flaskmod.codemods.core.crossfile import apply_edits
from flaskmod.codemods.core.engine import RunRequest, run, transform_source
from flaskmod.codemods.core.onefile import run_one_file
from flaskmod.codemods.core.registry import command
from flaskmod.codemods.extract_services import ExtractServices, count_statements
from tests.helpers import check_noop

# Most cases here test the data flow, not the naming: their view `index` gets a configured name.
OPTIONS = {"max-view-statements": 3, "names": {"index": "run_index"}}
OPTIONS_BY_ID = {ExtractServices.ID: OPTIONS}
# What the issue says a services module must never use.
HTTP_WORK = {"request", "session", "g", "flash", "redirect", "url_for", "render_template", "jsonify", "abort"} | {
    "make_response"
}


def _transform(source: str, options: dict[str, Any] | None = None) -> tuple[str, str, list[str]]:
    """(views module after, services module text, skip reasons)."""
    result = transform_source(
        Path("example.py"),
        "example.py",
        source.encode(),
        (ExtractServices,),
        {ExtractServices.ID: options or OPTIONS},
        True,
    )
    assert result.error is None, result.error
    services = apply_edits("", [edit for _, edit in result.extra_edits]) if result.extra_edits else ""
    skips = [s.message for r in result.records for s in r.skips]
    return result.final or source, services, skips


# -- behaviour: run the view before and after, with fake flask and fake business modules -----------------


class _Obj:
    def __init__(self, **kwargs: Any) -> None:
        self.__dict__.update(kwargs)

    def __repr__(self) -> str:
        return f"Obj({sorted(self.__dict__.items())!r})"


def _fake_modules(log: list[Any], inputs: dict[str, Any]) -> dict[str, types.ModuleType]:
    def module(name: str, **attrs: Any) -> types.ModuleType:
        mod = types.ModuleType(name)
        mod.__dict__.update(attrs)
        return mod

    class App:
        def __init__(self, *args: Any) -> None:
            self.views: dict[str, Any] = {}

        def route(self, *args: Any, **kwargs: Any) -> Any:
            def register(function: Any) -> Any:
                self.views[function.__name__] = function
                return function

            return register

        get = post = route

    request = _Obj(
        form=inputs.get("form", {}),
        args=inputs.get("args", {}),
        method=inputs.get("method", "GET"),
        get_json=lambda: inputs.get("json"),
    )
    flask = module(
        "flask",
        Flask=App,
        Blueprint=App,
        request=request,
        flash=lambda m: log.append(("flash", m)),
        redirect=lambda u: ("redirect", u),
        url_for=lambda e, **k: f"/{e}/{sorted(k.items())}",
        render_template=lambda t, **k: ("render", t, repr(sorted(k.items()))),
        jsonify=lambda *a, **k: ("json", repr(a), repr(sorted(k.items()))),
    )
    users = {1: _Obj(id=1, name="ann", views=0)}

    class Query:
        def filter_by(self, **k: Any) -> Query:
            return self

        def count(self) -> int:
            return inputs.get("count", 41)

        def get(self, key: int) -> Any:
            return users.get(key)

    models = module(
        "models",
        User=_Obj(query=Query()),
        Order=_Obj(query=Query()),
        db=_Obj(session=_Obj(commit=lambda: log.append(("commit", repr(users))))),
    )

    def find_item(sku: str) -> Any:
        return _Obj(sku=sku, views=3) if sku != "none" else None

    async def parse_items(data: Any) -> Any:
        return list(data or [])

    async def store_items(items: Any) -> Any:
        log.append(("store", items))
        return len(items)

    lines = [_Obj(quantity=q, flagged=q == inputs.get("flag"), id=q) for q in (2, 3, 5)]
    return {
        "flask": flask,
        "models": models,
        "inventory": module("inventory", find_item=find_item),
        "ledger": module("ledger", audit=lambda line: log.append(("audit", line.id)), load_lines=lambda: lines),
        "reporting": module("reporting", fetch_rows=lambda limit: list(range(limit, 0, -1))),
        "importer": module("importer", parse_items=parse_items, store_items=store_items),
    }


@contextmanager
def _modules(mods: dict[str, types.ModuleType]) -> Iterator[None]:
    saved = {name: sys.modules.get(name) for name in mods}
    sys.modules.update(mods)
    try:
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = old


def _run(views: str, services: str, call: str, inputs: dict[str, Any]) -> tuple[Any, list[Any]]:
    log: list[Any] = []
    mods = _fake_modules(log, inputs)
    if services:
        service_module = types.ModuleType("example_services")
        mods["example_services"] = service_module
    with _modules(mods):
        if services:
            exec(compile(services, "example_services.py", "exec"), service_module.__dict__)
        namespace: dict[str, Any] = {"__name__": "example"}
        exec(compile(views, "example.py", "exec"), namespace)
        try:
            result = eval(call, namespace)
            if asyncio.iscoroutine(result):
                result = asyncio.run(result)
        except Exception as error:  # the same exception must come out of both
            result = ("raised", type(error).__name__)
    return result, log


def _rewrite(view: str) -> Example:
    """The one rewrite example of ``ExtractServices`` whose view is named ``view``."""
    found = [
        example
        for example in ExtractServices.EXAMPLES
        if example.after is not None and re.search(rf"^\s*(?:async )?def {view}\(", example.before, re.M)
    ]
    assert len(found) == 1, f"{len(found)} rewrite examples define `{view}`"
    return found[0]


def _completed(outcome: tuple[Any, list[Any]]) -> tuple[Any, list[Any]]:
    """``outcome`` of a run that must have completed: a raise would make two broken runs compare equal."""
    result, _ = outcome
    assert not (isinstance(result, tuple) and result[:1] == ("raised",)), result
    return outcome


# The call and the inputs each rewrite example's view runs with, by the name of the view.
BEHAVIOUR = {
    "edit_user": ("edit_user(1)", [{"method": "POST", "form": {"name": " bob smith "}}, {"method": "GET"}]),
    "orders": ("orders()", [{"count": 41}, {"count": 0}]),
    "stock": ("stock('a1')", [{}]),
    "totals": ("totals()", [{}, {"flag": 3}]),
    "reports": ("make_blueprint({'limit': 3}).views['reports']()", [{}]),
    "import_items": ("import_items()", [{"json": [1, 2]}, {"json": None}]),
    "rename_user": ("rename_user(1)", [{"form": {"name": "  ann   lee "}}]),
    "order_summary": ("order_summary(1)", [{}, {"args": {"hide": "1"}}, {"flag": 3}]),
}


def test_every_rewrite_example_has_a_behaviour_test() -> None:
    rewrites = [e for e in ExtractServices.EXAMPLES if e.after is not None]
    assert len(rewrites) == len(BEHAVIOUR)
    assert all(_rewrite(view) in rewrites for view in BEHAVIOUR)


@pytest.mark.parametrize("view", sorted(BEHAVIOUR))
def test_rewrites_behave_the_same(view: str) -> None:
    example = _rewrite(view)
    views, services, _ = _transform(example.before, dict(example.options))
    assert views == example.after and services
    call, inputs_list = BEHAVIOUR[view]
    for inputs in inputs_list:
        before = _completed(_run(example.before, "", call, inputs))
        after = _completed(_run(views, services, call, inputs))
        assert before == after, (inputs, before, after)


def test_stock_lookup_that_fails_fails_the_same_way() -> None:
    example = _rewrite("stock")
    views, services, _ = _transform(example.before, dict(example.options))
    before = _run(example.before.replace("'a1'", "'none'"), "", "stock('none')", {})
    after = _run(views, services, "stock('none')", {})
    assert before == after and before[0] == ("raised", "AttributeError")


# -- the services module ---------------------------------------------------------------------------------


def test_services_module_holds_no_http_work_and_copies_imports() -> None:
    _, services, _ = _transform(_rewrite("edit_user").before, dict(_rewrite("edit_user").options))
    assert services == (
        "from models import db\n"
        "\n"
        "\n"
        "def update_user(user, form):\n"
        '    """Extracted from the `edit_user` view."""\n'
        '    name = form["name"].strip()\n'
        "    user.name = name.title()\n"
        "    db.session.commit()\n"
    )
    names = {n.value for n in _names(cst.parse_module(services))}
    assert not names & HTTP_WORK


def _names(node: cst.CSTNode) -> Iterator[cst.Name]:
    if isinstance(node, cst.Attribute):
        yield from _names(node.value)
        return
    if isinstance(node, cst.Name):
        yield node
    for child in node.children:
        yield from _names(child)


def test_async_service_is_async() -> None:
    _, services, _ = _transform(_rewrite("import_items").before, dict(_rewrite("import_items").options))
    assert "async def compute_saved(data):" in services


def test_name_taken_in_existing_services_module_is_not_reused(tmp_path: Path) -> None:
    (tmp_path / "views_services.py").write_text("def update_user():\n    return 1\n")
    source = _rewrite("edit_user").before
    result = transform_source(
        tmp_path / "views_x.py", "views_x.py", source.encode(), (ExtractServices,), {ExtractServices.ID: OPTIONS}, True
    )
    assert result.extra_edits == [] or all(e.path != "views_services.py" for _, e in result.extra_edits)
    (tmp_path / "example_services.py").write_text("def update_user():\n    return 1\n")
    result = transform_source(
        tmp_path / "example.py", "example.py", source.encode(), (ExtractServices,), {ExtractServices.ID: OPTIONS}, True
    )
    # The derived name is taken: never `update_user_2`; the reason says which `names` entry extracts it.
    assert result.extra_edits == [] and (result.final or source) == source
    skips = [s.message for r in result.records for s in r.skips]
    assert any("`update_user` is taken" in s and '"edit_user"' in s for s in skips), skips


def test_configured_name() -> None:
    views, services, _ = _transform(_rewrite("edit_user").before, {**OPTIONS, "names": {"edit_user": "rename_user"}})
    assert "rename_user(user, request.form)" in views and "def rename_user(user, form):" in services


# -- data flow edge cases --------------------------------------------------------------------------------


HEAD = "from flask import Flask, render_template\n\nfrom models import db\n\napp = Flask(__name__)\n\n\n"


def test_thin_view_is_left_alone_silently() -> None:
    record = check_noop(
        ExtractServices,
        HEAD
        + '@app.route("/")\ndef index():\n    a = db.x\n    b = a\n    c = b\n    return render_template("i", c=c)\n',
    )
    assert record is None


def test_augmented_assignment_reads_the_name() -> None:
    source = HEAD + (
        '@app.route("/")\ndef index():\n    total = db.start\n    render_template("x")\n'
        "    total += db.a\n    total *= 2\n    db.save(total)\n"
        '    return render_template("i", total=total)\n'
    )
    views, services, _ = _transform(source)
    assert "total = run_index(total)" in views or "total = run_index(total)" in views
    assert "(total):" in services


def test_loop_carried_value_is_returned_even_if_not_read_after() -> None:
    source = HEAD + (
        '@app.route("/")\ndef index():\n    seen = 0\n    for row in db.rows:\n'
        "        db.log(seen)\n        seen = row\n        db.touch(row)\n"
        '        render_template("x")\n    return "ok"\n'
    )
    views, services, _ = _transform(source)
    assert "seen = run_index(seen, row)" in views
    assert "return seen" in services


def test_del_of_a_run_local_is_fine_and_del_of_outer_name_is_not() -> None:
    ok = HEAD + (
        '@app.route("/")\ndef index():\n    tmp = db.a\n    db.b(tmp)\n    del tmp\n    db.c()\n    return "ok"\n'
    )
    views, _, skips = _transform(ok)
    assert "run_index()" in views and not skips


def test_nested_function_reading_a_run_name_after_the_run() -> None:
    source = HEAD + (
        '@app.route("/")\ndef index():\n    value = db.a\n    value = value + 1\n    db.b(value)\n'
        '    render_template("x")\n    def show():\n        return value\n    return show()\n'
    )
    views, services, _ = _transform(source)
    assert "value = run_index()" in views and "return value" in services


def test_walrus_in_view_is_skipped() -> None:
    source = HEAD + (
        '@app.route("/")\ndef index():\n    if (n := db.a):\n        db.b(n)\n    db.c()\n    db.d()\n'
        '    return render_template("x")\n'
    )
    _, _, skips = _transform(source)
    assert any("assignment expression" in s for s in skips)


def test_helper_defined_in_views_module_is_passed_in_not_imported() -> None:
    source = HEAD + (
        "def normalise(x):\n    return x.strip()\n\n\n"
        '@app.route("/")\ndef index():\n    a = normalise(db.a)\n    b = normalise(db.b)\n    db.save(a, b)\n'
        '    return render_template("x")\n'
    )
    views, services, _ = _transform(source)
    assert "run_index(normalise)" in views
    assert "import example" not in services and "from example" not in services


def test_hoisted_name_does_not_collide_with_a_local() -> None:
    source = "from flask import Flask, request\n\nfrom models import db\n\napp = Flask(__name__)\n\n\n" + (
        '@app.route("/", methods=["POST"])\ndef index():\n    form = db.form()\n    form.name = request.form["n"]\n'
        '    db.save(form)\n    return "ok"\n'
    )
    views, services, _ = _transform(source)
    assert "run_index(request.form)" in views
    assert "def run_index(request_form):" in services


def test_get_json_not_first_is_skipped() -> None:
    source = "from flask import Flask, request\n\nfrom models import db\n\napp = Flask(__name__)\n\n\n" + (
        '@app.route("/", methods=["POST"])\ndef index():\n    db.begin()\n    if db.ready:\n'
        '        db.save(request.get_json())\n    db.end()\n    return "ok"\n'
    )
    _, _, skips = _transform(source)
    assert any("may raise" in s for s in skips)


# -- the sample app --------------------------------------------------------------------------------------

SAMPLE = Path(__file__).parent.parent.parent / "samples" / "fat_views"
SERVICE_CALL = """
from fatshop import models
from fatshop.services import create_order
items, order = create_order({"user_id": "1", "quantity": "3", "items": "ab,c"})
print(items, order["total"], len(models.store.orders))
"""


def test_sample_suite_passes_after_extraction_and_a_service_runs_without_a_request(tmp_path: Path) -> None:
    import shutil
    import subprocess

    from flaskmod.codemods.core.engine import RunRequest, run
    from flaskmod.codemods.core.writer import write_results

    copy = tmp_path / "fat_views"
    shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    result = run(RunRequest(paths=(copy,), codemods=(ExtractServices,), allow_unsafe=True, root=copy))
    assert not result.errors
    write_results(result.files)
    services = (copy / "fatshop" / "services.py").read_text()
    assert "def update_user(form, errors, user):" in services
    assert '\nlogger = logging.getLogger("fatshop")\n' in services
    names = {n.value for n in _names(cst.parse_module(services))}
    assert not names & HTTP_WORK
    # Every view left is thin, or was reported with the reason it stays fat.
    skips = [note.message for f in result.files for r in f.records for note in r.skips]
    for function in cst.parse_module((copy / "fatshop" / "views.py").read_text()).body:
        if isinstance(function, cst.FunctionDef) and function.decorators:
            name = function.name.value
            assert count_statements(function.body) <= 12 or any(f"`{name}`" in skip for skip in skips), name
    suite = subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=copy, capture_output=True, text=True)
    assert suite.returncode == 0, suite.stdout + suite.stderr
    probe = subprocess.run([sys.executable, "-c", SERVICE_CALL], cwd=copy, capture_output=True, text=True)
    assert probe.stdout.strip() == "['ab', 'c'] 9 1", probe.stderr
    again = run(RunRequest(paths=(copy,), codemods=(ExtractServices,), allow_unsafe=True, root=copy))
    assert not again.changed_files


# -- explicit mode (`flaskmod extract`) ------------------------------------------------------------------


def _line(source: str, text: str) -> int:
    """The 1-based number of the first line of ``source`` holding ``text``."""
    return next(n for n, line in enumerate(source.splitlines(), start=1) if text in line)


def _extract(tmp_path: Path, source: str, view: str, lines: tuple[str, str], name: str) -> tuple[str, str]:
    """(views module after, services module after) of an explicit extraction from ``example.py``."""
    path = tmp_path / "example.py"
    path.write_text(source)
    first, last = _line(source, lines[0]), _line(source, lines[1])
    result = command("extract")(run_one_file).run(path, view, first, last, name, root=tmp_path)
    assert not result.errors
    finals = {f.display: f.final or "" for f in result.changed_files}
    assert set(finals) == {"example.py", "example_services.py"}
    return finals["example.py"], finals["example_services.py"]


def _refusal(tmp_path: Path, source: str, view: str, first: int, last: int, name: str = "svc") -> str:
    from flaskmod.codemods.extract_services import ExtractRefused

    path = tmp_path / "example.py"
    path.write_text(source)
    with pytest.raises(ExtractRefused) as refused:
        command("extract")(run_one_file).run(path, view, first, last, name, root=tmp_path)
    assert path.read_text() == source and not (tmp_path / "example_services.py").exists()
    return refused.value.reason


EDIT_USER = _rewrite("edit_user").before


def test_explicit_extracts_exactly_the_lines_and_behaves_the_same(tmp_path: Path) -> None:
    # Part of the POST branch, `flash` included: the user asked for it, and it is equivalent.
    views, services = _extract(tmp_path, EDIT_USER, "edit_user", ("user.name = name", 'flash("Saved")'), "rename")
    assert services == (
        "from flask import flash\n"
        "from models import db\n"
        "\n"
        "\n"
        "def rename(user, name):\n"
        '    """Extracted from the `edit_user` view."""\n'
        "    user.name = name.title()\n"
        "    db.session.commit()\n"
        '    flash("Saved")\n'
    )
    assert '        name = request.form["name"].strip()\n        rename(user, name)\n        return redirect(' in views
    assert "from example_services import rename\n" in views
    for inputs in ({"method": "POST", "form": {"name": " bob smith "}}, {"method": "GET"}):
        before = _completed(_run(EDIT_USER, "", "edit_user(1)", inputs))
        after = _completed(_run(views, services, "edit_user(1)", inputs))
        assert before == after, (inputs, before, after)


def test_explicit_ignores_the_fat_view_threshold_and_returns_what_the_view_reads(tmp_path: Path) -> None:
    source = HEAD + '@app.route("/")\ndef index():\n    a = db.x\n    return render_template("i", a=a)\n'
    views, services = _extract(tmp_path, source, "index", ("a = db.x", "a = db.x"), "load_a")
    assert "    a = load_a()\n" in views
    assert services.endswith('def load_a():\n    """Extracted from the `index` view."""\n    a = db.x\n    return a\n')


def test_explicit_selects_a_nested_block(tmp_path: Path) -> None:
    source = (
        "from flask import Flask, render_template\n\nfrom ledger import load_lines\n\napp = Flask(__name__)\n\n\n"
        '@app.route("/")\ndef index():\n    rows = []\n    for line in load_lines():\n'
        "        if line.flagged:\n            rows.append(line.id)\n            rows.append(len(rows))\n"
        "        else:\n            rows.clear()\n"
        '    return render_template("i", rows=rows)\n'
    )
    views, services = _extract(tmp_path, source, "index", ("rows.append(line.id)", "rows.append(len(rows))"), "add")
    assert "        if line.flagged:\n            add(rows, line)\n        else:\n" in views
    assert "def add(rows, line):" in services
    for inputs in ({"flag": 3}, {"flag": 5}, {}):
        assert _completed(_run(source, "", "index()", inputs)) == _completed(_run(views, services, "index()", inputs))


def test_explicit_refuses_a_range_with_return(tmp_path: Path) -> None:
    first, last = _line(EDIT_USER, "name = request.form"), _line(EDIT_USER, "return redirect(")
    assert _refusal(tmp_path, EDIT_USER, "edit_user", first, last) == "the run contains `return`"


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("if request.method", "user.name = name"),  # the header of the `if` and part of its body
        ("db.session.commit()", 'return render_template("user.html"'),  # the end of a branch and what follows
    ],
)
def test_explicit_refuses_lines_that_are_not_whole_statements_of_one_block(
    tmp_path: Path, first: str, last: str
) -> None:
    a, b = _line(EDIT_USER, first), _line(EDIT_USER, last)
    reason = _refusal(tmp_path, EDIT_USER, "edit_user", a, b)
    assert reason == f"lines {a}-{b} do not cover whole statements of one block"


def test_explicit_refuses_lines_outside_the_view_and_unknown_views(tmp_path: Path) -> None:
    decorator = _line(EDIT_USER, "@app.route")
    assert _refusal(tmp_path, EDIT_USER, "edit_user", decorator, decorator + 2).startswith(
        f"lines {decorator}-{decorator + 2} are not inside the body of `edit_user`"
    )
    line = _line(EDIT_USER, "user.name = name")
    assert _refusal(tmp_path, EDIT_USER, "nope", line, line) == "no function named `nope`"
    helper = EDIT_USER + "\n\ndef helper(user):\n    user.name = 'x'\n    return user\n"
    line = _line(helper, "user.name = 'x'")
    assert _refusal(tmp_path, helper, "helper", line, line) == (
        "`helper` is not a Flask view (no route decorator flaskmod can prove)"
    )


def test_explicit_refuses_a_taken_name_and_unbound_names(tmp_path: Path) -> None:
    line = _line(EDIT_USER, "user.name = name")
    assert "`User` is already taken" in _refusal(tmp_path, EDIT_USER, "edit_user", line, line, name="User")
    source = HEAD + (
        '@app.route("/")\ndef index():\n    if db.x:\n        a = 1\n    b = a + 1\n'
        '    return render_template("i", b=b)\n'
    )
    line = _line(source, "b = a + 1")
    assert _refusal(tmp_path, source, "index", line, line) == "`a` may be unbound when the run starts"


def test_explicit_option_cannot_be_set_from_a_config_file(tmp_path: Path) -> None:
    from flaskmod.codemods.core.config import ConfigError, load_config

    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.flaskmod.extract-services]\nexplicit = "x"\n')
    with pytest.raises(ConfigError, match="unknown option `explicit`"):
        load_config(config)


# -- helpers of the views module ---------------------------------------------------------------------------

HELPER_VIEW = (
    '@app.route("/")\ndef index():\n    a = _clean(db.a)\n    b = _clean(db.b)\n    db.save(a, b)\n'
    '    return render_template("x")\n'
)


def test_private_helper_moves_with_the_imports_it_needs_and_leaves_the_views_module() -> None:
    source = "import re\n" + HEAD + "def _clean(x):\n    return re.sub(' +', ' ', x)\n\n\n" + HELPER_VIEW
    views, services, _ = _transform(source)
    assert "_clean" not in views and "import re" not in views
    module = cst.parse_module(services)
    assert [type(s).__name__ for s in module.body][-2:] == ["FunctionDef", "FunctionDef"]
    assert services.startswith("import re\n") and "def _clean(x):\n    return re.sub(' +', ' ', x)\n" in services
    assert "def run_index():" in services


@pytest.mark.parametrize(
    ("helper", "why"),
    [
        ("def clean(x):\n    return x.strip()\n", "public: another module may import it"),
        ("def _clean(x):\n    return x.strip()\n\n\nOTHER = _clean('a')\n", "used elsewhere in the module"),
        ("@cache\ndef _clean(x):\n    return x.strip()\n", "decorated"),
        ("LIMIT = 3\n\n\ndef _clean(x):\n    return x[:LIMIT]\n", "uses a module constant"),
        ("__all__ = ['_clean']\n\n\ndef _clean(x):\n    return x.strip()\n", "exported by name"),
    ],
)
def test_helper_that_cannot_move_is_passed_in(helper: str, why: str) -> None:
    name = "clean" if helper.startswith("def clean") else "_clean"
    source = "from functools import cache\n" + HEAD + helper + "\n\n" + HELPER_VIEW.replace("_clean", name)
    views, services, _ = _transform(source)
    assert f"run_index({name})" in views, why
    assert f"def {name}(" in views and f"def {name}(" not in services, why


def test_other_modules_importing_a_moved_helper_are_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    source = "import re\n" + HEAD + "def _clean(x):\n    return re.sub(' +', ' ', x)\n\n\n" + HELPER_VIEW
    (package / "views.py").write_text(source)
    (package / "tasks.py").write_text("from app.views import _clean\n\nNAME = _clean('a  b')\n")
    (package / "other.py").write_text("from app import views\n\nNAME = views._clean('x')\nCLEAN = '_clean'\n")
    monkeypatch.chdir(tmp_path)
    request = RunRequest(
        paths=(package,), codemods=(ExtractServices,), allow_unsafe=True, root=tmp_path, options=OPTIONS_BY_ID
    )
    result = run(request)
    [views] = [f for f in result.files if f.display == "app/views.py"]
    assert views.changed
    related = [n.related for r in views.records for n in r.findings if n.related]
    assert related == [("app/other.py", 3), ("app/tasks.py", 1)]


# -- loggers of the views module ---------------------------------------------------------------------------

LOGGER_VIEW = (
    '@app.route("/")\ndef index():\n    a = db.a\n    log.info("a %s", a)\n    db.save(a)\n'
    '    return render_template("x")\n'
)


def _with_logger(definition: str) -> str:
    return "import logging\n\nimport structlog\n" + HEAD + definition + "\n\n\n" + LOGGER_VIEW


LOGGERS = ['log = logging.getLogger("shop")', "log = structlog.get_logger()", "log = logging.getLogger(__name__)"]


@pytest.mark.parametrize("definition", LOGGERS)
def test_logger_definition_is_copied(definition: str) -> None:
    result = transform_source(
        Path("example.py"), "example.py", _with_logger(definition).encode(), (ExtractServices,), OPTIONS_BY_ID, True
    )
    services = apply_edits("", [edit for _, edit in result.extra_edits])
    assert f"\n{definition}\n" in services and "def run_index():" in services
    findings = [n.message for r in result.records for n in r.findings]
    assert bool(findings) == ("__name__" in definition), findings


@pytest.mark.parametrize(
    "definition",
    [
        'log = logging.getLogger("shop")\nlog = log.getChild("web")',  # bound twice
        'log = logging.getLogger(prefix + "shop")',  # a name computed at run time
        "log = make_logger()",  # not a logger factory
    ],
)
def test_other_loggers_are_passed_in(definition: str) -> None:
    views, services, _ = _transform(_with_logger("prefix = 'x'\nmake_logger = logging.getLogger\n" + definition))
    assert "run_index(log)" in views and "log = " not in services


def test_logger_name_taken_differently_in_the_services_module_is_passed_in(tmp_path: Path) -> None:
    (tmp_path / "example_services.py").write_text("log = None\n")
    source = _with_logger('log = logging.getLogger("shop")')
    result = transform_source(
        tmp_path / "example.py", "example.py", source.encode(), (ExtractServices,), OPTIONS_BY_ID, True
    )
    assert "run_index(log)" in (result.final or "")


# -- found on real projects ----------------------------------------------------------------------------------


def test_a_name_bound_by_a_try_and_every_handler_is_bound_after_it_so_one_run_does_all() -> None:
    source = (
        "import json\n"
        + HEAD
        + (
            '@app.route("/")\ndef index(raw):\n    try:\n        x = json.loads(raw)\n    except ValueError:\n'
            "        x = {}\n    y = raw.strip()\n    if raw:\n        a = x.get('a')\n        b = a or y\n"
            "        c = str(b)\n        return render_template('x', c=c)\n    return render_template('y')\n"
        )
    )
    views, _, skips = _transform(source, {**OPTIONS, "names": {"index": "parse_raw", "index:2": "format_c"}})
    assert "x, y = parse_raw(raw)" in views, (views, skips)
    # The second run only shapes values: no business work, it stays in the view.
    assert "c = str(b)" in views and any("no business work" in s for s in skips), skips
    again, _, _ = _transform(views)
    assert again == views


def test_a_services_module_that_is_not_a_python_name_is_skipped() -> None:
    source = HEAD + '@app.route("/")\ndef index():\n    a = db.a\n    b = db.b\n    db.save(a, b)\n    return "x"\n'
    result = transform_source(Path("2.py"), "2.py", source.encode(), (ExtractServices,), OPTIONS_BY_ID, True)
    assert not result.changed and result.error is None
    assert ["`2_services` is not a name" in n.message for r in result.records for n in r.skips] == [True]


def test_names_in_local_annotations_are_imported_in_the_services_module() -> None:
    source = (
        "from typing import Any\n\nfrom apptypes import Ctx\n"
        + HEAD
        + (
            '@app.route("/")\ndef index():\n    ctx: Ctx = db.a\n    data: dict[str, Any] = {}\n'
            '    data["a"] = db.load(ctx)\n'
            '    return render_template("x", **data)\n'
        )
    )
    views, services, _ = _transform(source)
    assert "from apptypes import Ctx" in services and "from typing import Any" in services
    assert "Any" not in views and "Ctx" not in views


def test_a_value_read_only_on_another_branch_is_not_returned() -> None:
    source = (
        "from flask import request\n"
        + HEAD
        + (
            '@app.route("/")\ndef index(team):\n    if request.method == "GET":\n        user = db.user()\n'
            "        return render_template('x', user=user)\n    user = db.user()\n    user.team = team\n"
            "    db.commit()\n    return render_template('y')\n"
        )
    )
    views, _, _ = _transform(source)
    assert "    run_index(team)\n" in views


TRY_VIEW = HEAD + (
    '@app.route("/")\ndef index():\n    try:\n        a = db.a()\n        b = db.b(a)\n        db.save(a, b)\n'
    "    except KeyError:\n{handler}\n    return render_template('x', a=a)\n"
)


@pytest.mark.parametrize(
    ("handler", "extracted"),
    [
        ("        return render_template('error')", True),  # the handler never carries on
        ("        db.log(a)\n        return render_template('error')", False),  # reads what the run assigned
        ("        render_template('warn')\n        a = None", False),  # carries on after the try
    ],
)
def test_a_try_around_the_run_must_not_see_a_partial_result(handler: str, extracted: bool) -> None:
    views, _, skips = _transform(TRY_VIEW.format(handler=handler))
    assert ("a = run_index()" in views) is extracted, skips


def test_a_name_the_code_after_rebinds_before_reading_is_not_returned() -> None:
    source = (
        "from flask import request\n"
        + HEAD
        + (
            '@app.route("/")\ndef index():\n    errors = []\n    entries = {}\n    for k in request.form:\n'
            "        entries[k] = request.form[k]\n        if not entries[k]:\n            errors.append(k)\n"
            "    if errors:\n        return render_template('x', errors=errors)\n"
            "    for k, v in entries.items():\n        db.save(k, v)\n        db.commit()\n"
            "    k = 0\n    return render_template('y', k=k)\n"
        )
    )
    views, _, skips = _transform(source, {**OPTIONS, "names": {"index": "parse_entries", "index:2": "save_entries"}})
    # `k` of the first loop is rebound by the second before any read: not a result of the first run.
    assert "errors, entries = parse_entries(request.form)" in views and "k = save_entries(entries)" in views, skips


@pytest.mark.parametrize(
    "statement",
    ["post = Post.query.get_or_404(post_id)", "user = current_user", "login_user(db.user)"],
)
def test_request_bound_work_stays_in_the_view(statement: str) -> None:
    source = (
        "from flask_login import current_user, login_user\nfrom models import Post\n"
        + HEAD
        + (
            '@app.route("/")\ndef index(post_id):\n    a = db.a\n    b = db.b\n'
            f"    {statement}\n    c = db.c\n    d = db.d\n    return render_template('x', a=a, b=b, c=c, d=d)\n"
        )
    )
    _, services, skips = _transform(source)
    assert statement not in services, services
    assert any("no run of 3+ statements" in s for s in skips), skips


def test_a_package_init_gets_a_services_module_beside_it(tmp_path: Path) -> None:
    package = tmp_path / "admin"
    package.mkdir()
    source = HEAD + '@app.route("/")\ndef index():\n    a = db.a\n    b = db.b\n    db.save(a, b)\n    return "x"\n'
    (package / "__init__.py").write_text(source)
    result = transform_source(
        package / "__init__.py", "admin/__init__.py", source.encode(), (ExtractServices,), OPTIONS_BY_ID, True
    )
    assert "from .services import run_index" in (result.final or "")
    assert [edit.path for _, edit in result.extra_edits] == ["services.py"]


def test_a_rebinding_loop_nested_in_a_branch_does_not_read_the_runs_value() -> None:
    source = (
        "from flask import request\n"
        + HEAD
        + (
            '@app.route("/")\ndef index():\n    entries = {}\n    for k in request.form:\n'
            "        entries[k] = request.form[k]\n    db.check(entries)\n"
            "    if not entries:\n        return render_template('x')\n    else:\n        with db.lock():\n"
            "            for k, v in entries.items():\n                db.save(k, v)\n    return render_template('y')\n"
        )
    )
    views, _, skips = _transform(source)
    assert "entries = run_index(request.form)" in views, skips
    again, _, _ = _transform(views)
    assert again == views


def test_relative_and_aliased_imports_the_views_module_no_longer_uses_are_removed(tmp_path: Path) -> None:
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    source = (
        "from flask import Flask, render_template\n\nfrom .models import Role, db\nfrom .forms import clean as tidy\n"
        "import json as j\n\napp = Flask(__name__)\n\n\n"
        '@app.route("/")\ndef index():\n    a = Role.query.all()\n    b = tidy(j.dumps(a))\n    db.save(b)\n'
        "    return render_template('x', role=Role)\n"
    )
    (package / "views.py").write_text(source)
    result = transform_source(
        package / "views.py", "app/views.py", source.encode(), (ExtractServices,), OPTIONS_BY_ID, True
    )
    views = result.final or ""
    assert "run_index()" in views
    assert "from .models import Role\n" in views  # Role is still used by the view
    assert "tidy" not in views and "import json" not in views
    services = apply_edits("", [edit for _, edit in result.extra_edits])
    assert "from .forms import clean as tidy" in services and "import json as j" in services


@pytest.mark.parametrize(
    ("read", "where"),
    [
        ('return render_template("page.html", **vars())', "it calls `vars()`"),
        ("return eval(\"render_template('page.html', total=total)\")", "it calls `eval()`"),
        ("exec(code)\n    return render_template('page.html')", "it calls `exec()`"),
        ("print(dir())\n    return render_template('page.html')", "it calls `dir()`"),
    ],
)
def test_a_view_that_reads_its_frame_anywhere_is_left_alone(read: str, where: str) -> None:
    source = f"""
from flask import Flask, render_template
from models import Order

app = Flask(__name__)
code = "print(total)"


@app.route("/order")
def order():
    order = Order.latest()
    total = order.total()
    order.close(total)
    {read}
"""
    after, services, skips = _transform(source)
    assert after == source and not services
    assert any(where in s and "reads every local" in s for s in skips), skips


def test_a_factory_reading_its_frame_leaves_its_views_alone() -> None:
    source = """
from flask import Flask, render_template
from models import Order


def create_app():
    app = Flask(__name__)
    settings = dict(locals())

    @app.route("/order")
    def order():
        order = Order.latest()
        total = order.total()
        order.close(total)
        return render_template("page.html", total=total)

    return app
"""
    after, _, skips = _transform(source)
    assert after == source
    assert any("its enclosing function `create_app` calls `locals()`" in s for s in skips), skips


def test_vars_of_an_object_and_a_project_eval_are_not_frame_reads() -> None:
    source = """
from flask import Flask, render_template
from models import Order
from sandbox import eval

app = Flask(__name__)


@app.route("/order")
def order():
    order = Order.latest()
    total = order.total()
    order.close(total)
    return render_template("page.html", fields=vars(order), checked=eval(total))
"""
    after, services, _ = _transform(source)
    assert "order.close(total)" not in after
    assert "order.close(total)" in services


def test_the_views_docstring_stays_in_the_view() -> None:
    source = '''
from flask import Flask, render_template
from models import Order

app = Flask(__name__)


@app.route("/order")
def order():
    """Show the latest order."""
    order = Order.latest()
    total = order.total()
    order.close(total)
    return render_template("page.html", total=total)
'''
    after, services, _ = _transform(source)
    assert '    """Show the latest order."""\n' in after
    assert "Show the latest order" not in services
    assert "order.close(total)" in services


# -- HTTP work the project hides -----------------------------------------------------------------------

HTTP_HIDDEN_VIEW = """

@app.route("/order", methods=["POST"])
def order():
    order = Order.latest()
    total = order.total()
    {statement}
    order.close(total)
    return render_template("page.html", total=total)
"""


@pytest.mark.parametrize(
    ("module_head", "statement"),
    [
        ("import flask", "flask.abort(400)"),
        ("import flask", "flask.flash('closed')"),
        ("import flask", "total += int(flask.request.args['tip'])"),
        ("import flask", "total = flask.Response(str(total))"),
        ("import flask_login", "order.user = flask_login.current_user"),
        ("from werkzeug.exceptions import NotFound", "raise NotFound()"),
        ("from werkzeug.wrappers import Response", "total = Response(str(total))"),
        ("from flask_restful import abort", "abort(404)"),
        ("import flask_restx", "flask_restx.abort(404)"),
        ("from flask import session\nfrom werkzeug.local import LocalProxy\n"
         "cart = LocalProxy(lambda: session['cart'])", "cart.add(order)"),
        ("from flask import flash\n\n\ndef notify(message):\n    flash(message)", "notify('closed')"),
        ("from flask import flash\n\n\ndef _say(m):\n    flash(m)\n\n\ndef notify(m):\n    _say(m)",
         "notify('closed')"),
        ("from flask_wtf import FlaskForm\n\n\nclass BaseForm(FlaskForm):\n    pass\n\n\n"
         "class CloseForm(BaseForm):\n    pass", "form = CloseForm()"),
    ],
)  # fmt: skip
def test_http_work_reached_through_the_project_stays_in_the_view(module_head: str, statement: str) -> None:
    source = (
        f"from flask import Flask, render_template\nfrom models import Order\n{module_head}\n\n"
        f"app = Flask(__name__)\n" + HTTP_HIDDEN_VIEW.format(statement=statement)
    )
    views, services, _ = _transform(source, {"max-view-statements": 3, "min-statements": 2})
    assert statement.split("\n")[0] in views, views
    assert statement.split("(")[0].split(".")[-1] not in services.replace("def ", ""), services


def test_a_form_class_imported_from_the_projects_forms_module_reads_the_request(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "forms.py").write_text(
        "from flask_wtf import FlaskForm\n\n\nclass CloseForm(FlaskForm):\n    pass\n"
    )
    views = tmp_path / "app" / "views.py"
    views.write_text(
        "from flask import Flask, render_template\nfrom models import Order\nfrom .forms import CloseForm\n\n"
        "app = Flask(__name__)\n" + HTTP_HIDDEN_VIEW.format(statement="form = CloseForm()")
    )
    request = RunRequest(
        paths=(tmp_path,),
        codemods=(ExtractServices,),
        allow_unsafe=True,
        options={ExtractServices.ID: {"max-view-statements": 3, "min-statements": 2}},
        root=tmp_path,
    )
    result = run(request)
    services = [f for f in result.files if f.path.name == "services.py"]
    assert services and "CloseForm" not in (services[0].final or "")
    changed = next(f for f in result.files if f.path == views)
    assert "form = CloseForm()" in (changed.final or "")


def test_the_application_context_is_not_http_work() -> None:
    source = """
from flask import Flask, current_app, render_template
from models import Order

app = Flask(__name__)


@app.route("/order")
def order():
    order = Order.latest()
    total = order.total(current_app.config["TAX"])
    current_app.logger.info("closing %s", order)
    order.close(total)
    return render_template("page.html", total=total)
"""
    views, services, _ = _transform(source)
    assert 'current_app.config["TAX"]' in services and "current_app.logger.info" in services
    assert "from flask import current_app" in services
    assert "order.close(total)" not in views


# -- what is worth a service, and its name ---------------------------------------------------------------


def test_a_run_that_only_unpacks_the_form_stays_in_the_view() -> None:
    source = HEAD + (
        '@app.route("/", methods=["POST"])\ndef signup():\n    name = request.form.get("name", "").strip()\n'
        '    email = request.form["email"].lower()\n    tags = []\n    return render_template("x", n=name, e=email)\n'
    )
    views, services, skips = _transform("from flask import request\n" + source)
    assert not services and "request.form.get" in views
    assert any("no business work" in s for s in skips), skips


def test_a_run_over_the_interface_gate_is_narrowed_to_a_part_that_passes() -> None:
    source = HEAD + (
        '@app.route("/")\ndef report(a, b, c, d):\n    x = db.f(a, b)\n    db.save(x)\n    db.log(x)\n'
        "    y = db.g(c, d)\n    db.save(y)\n    return render_template('x')\n"
    )
    views, services, _ = _transform(source, {**OPTIONS, "names": {"report": "save_x"}, "max-parameters": 2})
    assert "def save_x(a, b):" in services and "db.log(x)" in services
    assert "save_x(a, b)\n    y = db.g(c, d)\n    db.save(y)\n" in views


def test_a_run_no_part_of_which_passes_the_gate_is_left_with_the_reason() -> None:
    source = HEAD + (
        '@app.route("/")\ndef report(a, b, c):\n    db.f(a, b, c)\n    db.g(a, b, c)\n    db.h(a, b, c)\n'
        "    return render_template('x')\n"
    )
    _, services, skips = _transform(source, {"max-view-statements": 3, "max-parameters": 2})
    assert not services and any("interface is too wide: 3 parameters" in s for s in skips), skips


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("    discount = db.rate(a)\n    if a > 100:\n        discount += 1\n", "compute_discount"),
        ("    db.audit(a)\n    zone = db.query.filter_by(code=a).first()\n    db.audit(zone)\n", "find_zone"),
        ("    user = User(name=a)\n    db.session.add(user)\n    db.session.commit()\n", "create_user"),
        ("    order = db.get(a)\n    order.status = 'paid'\n    db.commit()\n", "update_order"),
    ],
)
def test_a_service_is_named_after_what_its_body_does(body: str, name: str) -> None:
    result = name.split("_", 1)[1]
    source = HEAD.replace("import db", "import User, db") + (
        f'@app.route("/")\ndef view(a):\n{body}    return render_template("x", v={result})\n'
    )
    _, services, skips = _transform(source)
    assert f"def {name}(" in services, (services, skips)


def test_two_runs_that_would_share_a_name_never_get_a_numeric_suffix() -> None:
    source = HEAD + (
        '@app.route("/")\ndef view(a):\n    order = db.get(a)\n    order.paid = True\n    db.commit()\n'
        "    flash('paid')\n    order = db.get(a)\n    order.shipped = True\n    order.carrier = db.carrier()\n"
        "    db.commit()\n    return render_template('x')\n"
    )
    views, services, skips = _transform("from flask import flash\n" + source)
    assert "update_order_2" not in services and services.count("def update_order(") == 1
    # The bigger run took the name; the other is left with the `names` entry that would extract it.
    assert "order.carrier" in services and "order.paid = True" in views
    assert any("`update_order` is taken" in s and '{"view" =' in s for s in skips), skips


# -- records ---------------------------------------------------------------------------------------------

RECORD_VIEW = """
from flask import Flask, flash, render_template
from models import Order
app = Flask(__name__)

@app.route("/o")
def index():
    order = Order.query.filter_by(id=1).first()
    lines = order.lines
    total = sum(lines)
    extra = total * 2
    flash("x")
    a = Order.query.filter_by(id=total).first()
    b = a.lines
    c = sum(b)
    return render_template("o.html", order=order, lines=lines, c=c, extra=extra)
"""
RECORD_NAMES = {"max-view-statements": 3, "names": {"index": "load_order", "index:2": "load_more"}}


def test_a_later_run_reading_a_record_field_makes_it_a_local() -> None:
    views, services, skips = _transform(RECORD_VIEW, RECORD_NAMES)
    assert '    result = load_order()\n    total = result.total\n    flash("x")\n    c = load_more(total)\n' in views
    assert "extra=result.extra" in views and "class LoadOrderResult:" in services and skips == []


def test_a_later_run_reading_two_record_fields_is_left_alone() -> None:
    views, services, skips = _transform(RECORD_VIEW.replace("c = sum(b)", "c = sum(b) + extra"), RECORD_NAMES)
    assert "filter_by(id=result.total)" in views and "c = sum(b) + result.extra" in views
    assert "load_more" not in services
    assert skips == [
        "run of `index` not extracted: it reads `extra`, `total` from the record of `load_order`: as locals of "
        "the view they would bind more than `max-returns` names at its call"
    ]


def test_a_record_field_an_earlier_service_reads_stays_a_local() -> None:
    # The second run is bigger, so it is planned first: it takes `total` as a parameter.
    source = RECORD_VIEW.replace("    extra = total * 2\n", "").replace("extra=extra", "extra=e")
    source = source.replace("    c = sum(b)\n", "    c = sum(b)\n    d = c + 1\n    e = d + 1\n")
    views, _, skips = _transform(source, RECORD_NAMES)
    assert "    result = load_order()\n    total = result.total\n" in views
    assert "c, e = load_more(total)" in views and "order=result.order, lines=result.lines" in views
    assert skips == []


def test_domain_objects_come_before_values() -> None:
    source = """
from flask import Flask, render_template
from models import Order
app = Flask(__name__)
LIMIT = 3

@app.route("/o")
def orders():
    limit = LIMIT * 2
    order = Order.query.filter_by(id=1).first()
    render_template("x.html")
    cutoff = limit + 1
    order.lines = order.lines[:cutoff]
    order.seen = True
    return render_template("o.html", order=order)
"""
    views, services, _ = _transform(source, {"max-view-statements": 3})
    # First use reads `limit` before `order`; the order is the domain object, the limit a value.
    assert "def update_order(order, limit):" in services and "update_order(order, limit)" in views


def test_a_record_holds_at_most_max_record_fields() -> None:
    views, services, skips = _transform(RECORD_VIEW, {**RECORD_NAMES, "max-record-fields": 3})
    # Four results are too many: the run is narrowed to its first three statements.
    assert "    result = load_order()\n    total = result.total\n    extra = total * 2\n" in views
    assert "    order: Any\n    lines: Any\n    total: Any\n\n" in services and skips == []


# -- the same service for several views -----------------------------------------------------------------

_SAME_RUN_VIEW = """
@app.route("/{name}")
def {name}():
    base = current_app.config.get("BASE")
    params = {{"external": True}}
    if isinstance(base, str):
        params["scheme"] = base.split(":")[0]
    session["{name}"] = params
    return redirect(url_for("index", **params))
"""


def _views_with_the_same_run(*names: str) -> str:
    head = "from flask import Flask, current_app, redirect, session, url_for\n\napp = Flask(__name__)\n"
    return head + "".join("\n" + _SAME_RUN_VIEW.format(name=name) for name in names)


def test_a_run_with_the_code_of_an_earlier_service_calls_it() -> None:
    after, services, skips = _transform(
        _views_with_the_same_run("github_done", "azure_done"), {"max-view-statements": 3, "min-statements": 3}
    )
    assert services.count("def compute_params(") == 1, services
    assert '"""Extracted from the `github_done` and `azure_done` views."""' in services
    assert after.count("params = compute_params()") == 2, after
    assert not skips
    compile(after, "views.py", "exec")


def test_the_docstring_of_a_service_many_views_call_counts_them_when_their_names_do_not_fit() -> None:
    names = ("github_oauth_authorized", "azure_oauth_authorized", "oidc_oauth_authorized")
    _, services, _ = _transform(_views_with_the_same_run(*names), {"max-view-statements": 3, "min-statements": 3})
    assert services.count("def compute_params(") == 1, services
    assert '"""Extracted from the `github_oauth_authorized` view and 2 others."""' in services


def test_a_configured_name_is_never_a_reuse() -> None:
    options = {"max-view-statements": 3, "min-statements": 3, "names": {"azure_done": "compute_params"}}
    after, services, skips = _transform(_views_with_the_same_run("github_done", "azure_done"), options)
    assert services.count("def compute_params(") == 1
    assert after.count("params = compute_params()") == 1
    assert any("the configured name `compute_params` is already taken" in skip for skip in skips), skips


def test_a_run_whose_code_differs_from_the_service_of_its_name_is_refused() -> None:
    source = _views_with_the_same_run("github_done") + _SAME_RUN_VIEW.format(name="azure_done").replace("[0]", "[-1]")
    after, services, skips = _transform(source, {"max-view-statements": 3, "min-statements": 3})
    assert services.count("def compute_params(") == 1
    assert after.count("params = compute_params()") == 1
    assert any("`compute_params` is taken by another service" in skip for skip in skips), skips


def test_a_run_s_leading_inputs_stay_in_the_view() -> None:
    source = """
from flask import Flask, render_template, request
from models import Item

app = Flask(__name__)


@app.route("/items")
def items():
    q = request.args.get("q", "")
    page = 1
    total = 0
    found = []
    for item in Item.query.filter_by(name=q).paginate(page=page):
        total += item.price
        found.append(item)
    return render_template("items.html", found=found, total=total, page=page)
"""
    after, services, _ = _transform(source, {"max-view-statements": 3, "min-statements": 3})
    assert 'q = request.args.get("q", "")\n    page = 1\n' in after, after
    # `total` is the run's accumulator and `found` a container it fills: both start in the service.
    assert "total = 0" in services and "found = []" in services, services
    assert "def find_total_and_found(q, page):" in services, services
    assert "total, found = find_total_and_found(q, page)" in after, after


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("domain = Domain.query.get(1)\n    domain.update()\n    log(domain)\n", "update_domain"),
        ("user = User.query.get(1)\n    user.set_password(pw)\n    db.session.commit()\n", "update_user"),
        ("account = Account.query.get(1)\n    account.grant_privileges(ids)\n    log(account)\n", "update_account"),
    ],
)
def test_a_method_that_changes_its_object_names_the_service_update(body: str, name: str) -> None:
    source = (
        "from flask import Flask, redirect, request\nfrom models import Account, Domain, User, db, log\n\n"
        'app = Flask(__name__)\n\n\n@app.route("/x", methods=["POST"])\ndef x():\n'
        '    pw = request.form["pw"]\n    ids = request.form.getlist("ids")\n'
        f"    {body}"
        '    return redirect("/")\n'
    )
    _, services, skips = _transform(source, {"max-view-statements": 3, "min-statements": 3})
    assert f"def {name}(" in services, (services, skips)


def test_a_variable_too_short_to_say_what_it_is_names_no_service() -> None:
    source = (
        "from flask import Flask, render_template\nfrom models import Record\n\n"
        'app = Flask(__name__)\n\n\n@app.route("/r")\ndef records():\n'
        "    r = Record.query.first()\n    r.hits += 1\n    r.save_later()\n"
        '    return render_template("r.html", r=r)\n'
    )
    _, services, skips = _transform(source, {"max-view-statements": 3, "min-statements": 3})
    assert services == ""
    assert any("no confident name" in skip and '"records"' in skip for skip in skips), skips
