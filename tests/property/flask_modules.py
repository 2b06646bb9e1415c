"""Hypothesis strategies for small Flask projects written the way production code drifts.

A project is a dict {relative path: source}. Its modules are composed from the pieces
samples/ is full of: routes on an app, a blueprint or inside factory functions, fat
views with business logic, `request.method` branches, stdlib logging with %-formatting,
abort()/jsonify error returns, decorators in any order, helpers, docstrings, comments,
try/except and loops. The statements are then mutated (shuffled, dropped, renamed) while
every module stays valid Python.

Shapes that hit a known, open bug are left out behind the flags below; turn a flag on
once its fix lands.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field

from hypothesis import strategies as st

# -- known bugs: shapes left out until they are fixed ----------------------------------

# Fixed (issue 11): an existing services module in the tree is appended to, never wiped.
EXISTING_SERVICES = True
# Fixed (issue 12): split-get-post keeps statements after a view's final `return`.
UNREACHABLE_AFTER_RETURN = True
# Fixed: a stdlib logger copied into a services module goes through the codemods in the same run
# (fixtures/stdlib-logger-copied-to-new-services).
STDLIB_ONLY_LOGGER = True


# -- a tiny statement tree --------------------------------------------------------------


@dataclass
class Line:
    """A simple statement, or a comment when it starts with `#`."""

    text: str


@dataclass
class Compound:
    """`if`/`elif`/`else`, `try`/`except`/`finally`, `for`, `with`, `def`, `class`."""

    clauses: list[tuple[str, list[Line | Compound]]]
    decorators: list[str] = field(default_factory=list)

    @property
    def is_def(self) -> bool:
        return self.clauses[0][0].startswith(("def ", "async def ", "class "))


Stmt = Line | Compound


def _is_real(stmt: Stmt) -> bool:
    return not (isinstance(stmt, Line) and stmt.text.startswith("#"))


def render(body: list[Stmt], indent: int = 0) -> str:
    pad = "    " * indent
    lines: list[str] = []
    for index, stmt in enumerate(body):
        if isinstance(stmt, Compound) and stmt.is_def and index:
            lines += [""] * (1 if indent else 2)
        elif indent == 0 and index and isinstance(body[index - 1], Compound) and body[index - 1].is_def:
            lines += ["", ""]
        if isinstance(stmt, Line):
            lines += [pad + part if part else "" for part in stmt.text.split("\n")]
            continue
        lines += [pad + "@" + d for d in stmt.decorators]
        for header, clause_body in stmt.clauses:
            lines.append(pad + header)
            inner = clause_body if any(_is_real(s) for s in clause_body) else [*clause_body, Line("pass")]
            lines.append(render(inner, indent + 1).rstrip("\n"))
    return "\n".join(lines) + "\n"


def blocks(body: list[Stmt]) -> list[list[Stmt]]:
    """Every statement list of the tree, the given one first."""
    found = [body]
    for stmt in body:
        if isinstance(stmt, Compound):
            for _, clause_body in stmt.clauses:
                found += blocks(clause_body)
    return found


_TERMINATORS = ("return", "raise", "continue", "break")


def cut_unreachable(body: list[Stmt]) -> None:
    """Drop what follows a `return`/`raise`/... in the same block (see UNREACHABLE_AFTER_RETURN)."""
    for block in blocks(body):
        for index, stmt in enumerate(block):
            if isinstance(stmt, Line) and stmt.text.split(" ")[0].split("(")[0] in _TERMINATORS:
                del block[index + 1 :]
                break


# -- names --------------------------------------------------------------------------------

OBJECTS = ["item", "order", "user", "book", "ticket", "event", "invoice"]
FIELDS = ["name", "email", "title", "price", "quantity", "note", "street", "seats"]
VIEW_NAMES = [
    "edit",
    "settings",
    "checkout",
    "create",
    "profile",
    "update",
    "import_rows",
    "add_note",
    "detail",
    "index",
    "delete",
    "export",
]
# Fresh names for the rename mutation; some collide on purpose with what codemods generate.
RENAME_TARGETS = ["entry", "obj", "rec", "thing", "value2", "form", "args", "services", "log", "payload", "data"]
EXTRA_DECORATORS = ["login_required", "admin_required", "cache.cached(timeout=60)", "rate_limited(method='POST')"]
IDS = ["route-decorator-order", "structlog-logging", "split-get-post", "unify-aborts", "extract-services"]
LEVELS = ["debug", "info", "warning", "error"]


@dataclass
class Ctx:
    """What one module's views refer to."""

    owner: str  # `app` or `bp`
    logger: str  # `logger`, `log`, `current_app.logger` or `logging`
    quote: str  # the module's string quote


def q(ctx: Ctx, text: str) -> str:
    return f"{ctx.quote}{text}{ctx.quote}"


# -- pieces of views -----------------------------------------------------------------------


@st.composite
def log_call(draw: st.DrawFn, ctx: Ctx, args: list[str], level: str | None = None) -> Line:
    level = level or draw(st.sampled_from(LEVELS))
    logger = draw(st.sampled_from([ctx.logger, ctx.logger, "current_app.logger", "logging"]))
    words = draw(st.sampled_from(["updated", "saved", "failed for", "loaded", "request from"]))
    args = args or ["request.path"]
    placeholders = " ".join(draw(st.sampled_from(["%s", "%r", "%d", "%s"])) for _ in args)
    fmt = f"{words} {placeholders}"
    joined = ", ".join(args)
    form = draw(st.integers(0, 8))
    if form == 0:
        call = f"{q(ctx, fmt)}, {joined}"
    elif form == 1:
        call = f"{q(ctx, fmt)} % ({joined},)" if len(args) > 1 else f"{q(ctx, fmt)} % {args[0]}"
    elif form == 2:
        call = "f" + q(ctx, words + " " + " ".join("{" + a + "}" for a in args))
    elif form == 3:
        call = q(ctx, words + " {}" * len(args)) + f".format({joined})"
    elif form == 4:
        call = f"{q(ctx, fmt)}, {joined}, extra={{{q(ctx, 'view')}: request.endpoint}}"
    elif form == 5:
        call = f"{q(ctx, fmt)}, {joined}, exc_info=True"
    elif form == 6:
        return Line(f"{logger}.log(logging.{level.upper()}, {q(ctx, fmt)}, {joined})")
    elif form == 7:
        call = q(ctx, words)
    else:
        call = f"{q(ctx, words + ' %(x)s')}, {{{q(ctx, 'x')}: {args[0]}}}"
    return Line(f"{logger}.{level}({call})")


@st.composite
def error_return(draw: st.DrawFn, ctx: Ctx, status: int = 404, message: str = "not found") -> Stmt:
    m = q(ctx, message)
    return Line(
        draw(
            st.sampled_from(
                [
                    f"abort({status})",
                    f"abort({status}, {m})",
                    f"return jsonify(error={m}), {status}",
                    f"return jsonify({{{q(ctx, 'error')}: {m}}}), {status}",
                    f"return {{{q(ctx, 'error')}: {m}}}, {status}",
                    f"return make_response(jsonify({{{q(ctx, 'error')}: {m}}}), {status})",
                    f"return {m}, {status}",
                ]
            )
        )
    )


@st.composite
def lookup(draw: st.DrawFn, ctx: Ctx, obj: str) -> list[Stmt]:
    coll = obj + "s"
    if draw(st.booleans()):
        return [Line(f"{obj} = get_store().{coll}.get({obj}_id) or abort(404)")]
    status = draw(st.sampled_from([404, 404, 403, 410]))
    check = draw(st.sampled_from([f"{obj} is None", f"not {obj}"]))
    body: list[Stmt] = []
    if draw(st.booleans()):
        body.append(draw(log_call(ctx, [f"{obj}_id"], "warning")))
    body.append(draw(error_return(ctx, status)))
    return [
        Line("store = get_store()"),
        Line(f"{obj} = store.{coll}.get({obj}_id)"),
        Compound([(f"if {check}:", body)]),
    ]


@st.composite
def business_logic(draw: st.DrawFn, ctx: Ctx, obj: str, source: str) -> list[Stmt]:
    """A run of statements with no HTTP work (but for reading `source`), as extract-services wants them."""
    fields = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=4, unique=True))
    out: list[Stmt] = []
    for f in fields:
        read = draw(
            st.sampled_from(
                [
                    f"{source}.get({q(ctx, f)}, {q(ctx, '')}).strip()",
                    f"{source}[{q(ctx, f)}]",
                    f"{source}.get({q(ctx, f)}, {q(ctx, '')}).strip().lower()",
                ]
            )
        )
        if f in ("price", "quantity", "seats") and draw(st.booleans()):
            out.append(
                Compound(
                    [
                        ("try:", [Line(f"{f} = int({source}.get({q(ctx, f)}, {q(ctx, '0')}))")]),
                        ("except ValueError:", [Line(f"{f} = 0"), Line(f"errors.append({q(ctx, f + ' is invalid')})")]),
                    ]
                )
            )
        else:
            out.append(Line(f"{f} = {read}"))
        if draw(st.booleans()):
            out.append(Compound([(f"if not {f}:", [Line(f"errors.append({q(ctx, f + ' is required.')})")])]))
    updates: list[Stmt] = [Line(f"{obj}.{f} = {f}") for f in fields]
    if draw(st.booleans()):
        updates.append(Line("# keep the history"))
    extra = draw(st.integers(0, 4))
    if extra == 1:
        updates += [
            Line("total = 0"),
            Compound([(f"for line in {obj}.lines:", [Line("total += line.price * line.quantity")])]),
            Line(f"{obj}.total = total"),
        ]
    elif extra == 2:
        updates.append(Compound([("with store.lock:", [Line(f"store.save({obj})"), Line("store.version += 1")])]))
    elif extra == 3:
        updates.append(Line(f"notify({obj}.email, {q(ctx, 'Your changes were saved.')})"))
    elif extra == 4:
        updates.append(
            Compound(
                [
                    ("try:", [Line(f"crm_update({obj}.id, {fields[0]}={fields[0]})")]),
                    ("except CrmError:", [draw(log_call(ctx, [f"{obj}.id"], "warning"))]),
                ]
            )
        )
    updates.append(Line(draw(st.sampled_from(["store.commit()", "db.session.commit()", f"store.save({obj})"]))))
    if draw(st.booleans()):
        updates.append(draw(log_call(ctx, [f"{obj}.id"], "info")))
    if draw(st.booleans()):
        out.append(Compound([("if not errors:", updates)]))
    else:
        out += updates
    return out


@st.composite
def final_return(draw: st.DrawFn, ctx: Ctx, view: str, obj: str) -> Line:
    return Line(
        draw(
            st.sampled_from(
                [
                    f"return render_template({q(ctx, view + '.html')}, {obj}={obj}, errors=errors)",
                    f"return jsonify({obj}.to_dict())",
                    "return jsonify(ok=True, errors=errors), 201",
                    f"return redirect(url_for({q(ctx, '.' + view)}))",
                    f"return {{{q(ctx, 'ok')}: True}}",
                ]
            )
        )
    )


@st.composite
def post_branch(draw: st.DrawFn, ctx: Ctx, view: str, obj: str) -> list[Stmt]:
    """A view body branching on `request.method`, in one of the shapes forms_app has."""
    logic = draw(business_logic(ctx, obj, "request.form"))
    done: list[Stmt] = [
        Line(f"flash({q(ctx, 'Saved.')})"),
        Line(f"return redirect(url_for({q(ctx, '.' + view)}, {obj}_id={obj}.id))"),
    ]
    if draw(st.booleans()):
        done = [Compound([("if not errors:", done)])]
    get_return = draw(final_return(ctx, view, obj))
    shape = draw(st.integers(0, 7))
    eq = draw(st.sampled_from(["request.method == {}", "{} == request.method"]))
    post, get = q(ctx, "POST"), q(ctx, "GET")
    if shape == 0:
        return [Compound([(f"if {eq.format(post)}:", logic + done)]), get_return]
    if shape == 1:
        return [Compound([(f"if {eq.format(get)}:", [get_return])]), *logic, *done]
    if shape == 2:
        return [Compound([(f"if {eq.format(post)}:", logic + done), ("else:", [get_return])])]
    if shape == 3:
        return [Compound([(f"if request.method != {post}:", [get_return])]), *logic, *done]
    if shape == 5:
        session = [Line(f"session[{q(ctx, 'last_' + obj)}] = {obj}.id"), Line("g.saved = True")]
        return [
            Compound([(f"if {eq.format(get)}:", [get_return]), (f"elif {eq.format(post)}:", logic + session + done)]),
            Line(f"return {q(ctx, 'method not allowed')}, 405"),
        ]
    if shape == 6:
        loop = Compound(
            [
                ("while True:", [*logic, Compound([("if errors:", [Line("break")])]), Line("break")]),
            ]
        )
        return [Compound([(f"if {eq.format(post)}:", [loop, *done])]), get_return]
    if shape == 4:
        return [Compound([(f"if request.method in ({post}, {q(ctx, 'PUT')}):", logic + done)]), get_return]
    return [Compound([("if form.validate_on_submit():", logic + done)]), get_return]


@st.composite
def view(draw: st.DrawFn, ctx: Ctx, name: str) -> Compound:
    obj = draw(st.sampled_from(OBJECTS))
    has_id = draw(st.booleans())
    forms = draw(st.booleans())
    path = f"/{obj}s" + (f"/<int:{obj}_id>" if has_id else "") + f"/{name}"
    methods = draw(
        st.sampled_from(
            [
                f"methods=[{q(ctx, 'GET')}, {q(ctx, 'POST')}]",
                f"methods=({q(ctx, 'POST')}, {q(ctx, 'GET')})",
                f"methods=[{q(ctx, 'POST')}]",
            ]
        )
        if forms
        else st.sampled_from(["", f"methods=[{q(ctx, 'GET')}]"])
    )
    routes = [f"{ctx.owner}.route({q(ctx, path)}{', ' + methods if methods else ''})"]
    if draw(st.integers(0, 4)) == 0:
        routes.append(f"{ctx.owner}.route({q(ctx, path + '/')}{', ' + methods if methods else ''})")
    if not forms and draw(st.integers(0, 4)) == 0:
        routes = [f"{ctx.owner}.get({q(ctx, path)})"]
    extras = draw(st.lists(st.sampled_from(EXTRA_DECORATORS), max_size=2, unique=True))
    decorators = draw(st.permutations(routes + extras))

    body: list[Stmt] = []
    if draw(st.booleans()):
        body.append(Line(f'"""{name.replace("_", " ").capitalize()} one {obj}."""'))
    if draw(st.booleans()):
        body.append(Line("# TODO: move this somewhere else"))
    if draw(st.integers(0, 9)) == 0:
        body.append(Line(f"errors = []  # flaskmod: ignore[{draw(st.sampled_from(IDS))}]"))
    else:
        body.append(Line("errors = []"))
    if has_id:
        body += draw(lookup(ctx, obj))
    else:
        body += [Line("store = get_store()"), Line(f"{obj} = store.current_{obj}()")]
    if draw(st.booleans()):
        body.append(draw(log_call(ctx, ["request.remote_addr", f"{obj}.id"])))
    if draw(st.integers(0, 3)) == 0:
        body.append(
            Compound(
                [("def _fmt(value):", [Line("return str(value).strip()")])],
            )
        )
    if forms and "POST" in methods and "GET" in methods:
        body += draw(post_branch(ctx, name, obj))
    else:
        source = draw(st.sampled_from(["request.args", "request.form", "payload"]))
        if source == "payload":
            body.append(Line("payload = request.get_json(silent=True) or {}"))
        logic = draw(business_logic(ctx, obj, source))
        if draw(st.integers(0, 2)) == 0:
            handler = [draw(log_call(ctx, ["exc"], "error")), draw(error_return(ctx, 500, "server error"))]
            if draw(st.booleans()):
                handler[0] = Line(f"{ctx.logger if '.' not in ctx.logger else 'logger'}.exception({q(ctx, 'failed')})")
            logic = [Compound([("try:", logic), ("except StoreError as exc:", handler)])]
        if draw(st.integers(0, 3)) == 0:
            logic = [Compound([(f"for {obj} in get_store().{obj}s.values():", logic)])]
            body.append(Line(f"{obj} = None"))
        body += logic
        body.append(draw(final_return(ctx, name, obj)))
    params = f"{obj}_id" if has_id else ""
    keyword = "async def" if draw(st.integers(0, 9)) == 0 else "def"
    return Compound([(f"{keyword} {name}({params}):", body)], decorators=list(decorators))


# -- modules --------------------------------------------------------------------------------

FLASK_NAMES = [
    "Blueprint",
    "Flask",
    "abort",
    "current_app",
    "flash",
    "jsonify",
    "make_response",
    "redirect",
    "render_template",
    "request",
    "session",
    "g",
    "url_for",
]


def _used(text: str, names: list[str]) -> list[str]:
    return [n for n in names if re.search(rf"\b{n}\b", text)]


@st.composite
def imports(draw: st.DrawFn, body_text: str, package: bool) -> list[Stmt]:
    lines: list[Stmt] = []
    if re.search(r"\blogging\b", body_text):
        lines.append(Line("import logging"))
    flask = _used(body_text, FLASK_NAMES)
    if flask:
        if draw(st.booleans()) or len(flask) < 4:
            lines.append(Line(f"from flask import {', '.join(flask)}"))
        else:
            half = len(flask) // 2
            lines.append(
                Line(f"from flask import ({', '.join(flask[:half])},\n                   {', '.join(flask[half:])})")
            )
    local = _used(body_text, ["get_store", "StoreError", "notify", "crm_update", "CrmError", "db"])
    if local:
        lines.append(Line(f"from {'.models' if package else 'models'} import {', '.join(local)}"))
    auth = _used(body_text, ["login_required", "admin_required", "rate_limited", "cache"])
    if auth:
        lines.append(Line(f"from {'.auth' if package else 'auth'} import {', '.join(auth)}"))
    if re.search(r"\bMethodView\b", body_text):
        lines.append(Line("from flask.views import MethodView"))
    if "form.validate_on_submit" in body_text:
        lines.append(Line(f"from {'.forms' if package else 'forms'} import form"))
    return lines


@st.composite
def helpers(draw: st.DrawFn, ctx: Ctx) -> list[Stmt]:
    out: list[Stmt] = []
    if draw(st.booleans()):
        out.append(Compound([("def _clean(value):", [Line("return (value or '').strip()")])]))
    if draw(st.booleans()):
        out.append(
            Compound(
                [
                    (
                        "def describe(order, logger=None):",
                        [
                            Line('"""A line about the order."""'),
                            Line("text = f'order {order.id}'"),
                            Compound([("if logger is not None:", [Line("logger.debug(text)")])]),
                            Line("return text"),
                        ],
                    )
                ]
            )
        )
    if draw(st.booleans()):
        out.append(Line(f"PER_PAGE = {draw(st.integers(1, 50))}"))
    if draw(st.integers(0, 5)) == 0:
        out.append(
            Compound(
                [
                    (
                        "class ItemsView(MethodView):",
                        [
                            Compound([("def get(self):", [Line("return jsonify(items=[])")])]),
                            Compound(
                                [
                                    (
                                        "def post(self):",
                                        [
                                            Compound([("if request.method == 'POST':", [Line("abort(400)")])]),
                                            draw(log_call(ctx, ["request.path"])),
                                            Line("return jsonify(ok=True), 201"),
                                        ],
                                    )
                                ]
                            ),
                        ],
                    )
                ]
            )
        )
    return out


@st.composite
def views_module(draw: st.DrawFn, package: bool, kind: str | None = None) -> list[Stmt]:
    """A module of views: on a blueprint, on an app, or inside factory functions."""
    kind = kind or draw(st.sampled_from(["blueprint", "blueprint", "app", "factory", "register"]))
    quote = draw(st.sampled_from(["'", '"']))
    logger = draw(st.sampled_from(["logger", "log", "current_app.logger"]))
    ctx = Ctx(owner="bp" if kind == "blueprint" else "app", logger=logger, quote=quote)
    names = draw(st.lists(st.sampled_from(VIEW_NAMES), min_size=1, max_size=3, unique=True))
    views: list[Stmt] = [draw(view(ctx, n)) for n in names]
    preamble: list[Stmt] = []
    if draw(st.booleans()):
        preamble.append(Line('"""Views, grown over the years."""'))
    module: list[Stmt] = [*draw(helpers(ctx))]
    if kind == "blueprint":
        module.insert(0, Line(f"bp = Blueprint({q(ctx, 'shop')}, __name__)"))
        module += views
    elif kind == "app":
        module.insert(0, Line("app = Flask(__name__)"))
        module += views
    elif kind == "factory":
        inner: list[Stmt] = [Line("app = Flask(__name__)"), Line("app.config.update(config or {})"), *views]
        inner.append(Line("return app"))
        module.append(Compound([("def create_app(config=None):", inner)]))
    else:
        module.append(Compound([("def register_routes(app):", views)]))
    if logger != "current_app.logger":
        name = draw(st.sampled_from(["__name__", q(ctx, "shop")]))
        if STDLIB_ONLY_LOGGER and draw(st.integers(0, 3)) == 0:
            module.insert(0, Line(f"{logger}.setLevel(logging.INFO)"))
        module.insert(0, Line(f"{logger} = logging.getLogger({name})"))
    body_text = render(module)
    return [*preamble, *draw(imports(body_text, package)), Line(""), *module]


# -- mutations ------------------------------------------------------------------------------


@st.composite
def mutated(draw: st.DrawFn, module: list[Stmt]) -> list[Stmt]:
    """Shuffle and drop statements of the module's blocks; the result still parses."""
    for _ in range(draw(st.integers(0, 3))):
        candidates = blocks(module)
        block = draw(st.sampled_from(candidates))
        if draw(st.booleans()) and len(block) > 1 and block is not module:
            block[:] = draw(st.permutations(block))
        elif block:
            del block[draw(st.integers(0, len(block) - 1))]
    if not UNREACHABLE_AFTER_RETURN:
        cut_unreachable(module)
    return module


@st.composite
def renames(draw: st.DrawFn, project: dict[str, str]) -> dict[str, str]:
    """Rename a few identifiers consistently across the project, to names it does not use yet."""
    text = "\n".join(project.values())
    olds = [n for n in [*OBJECTS, *FIELDS, *VIEW_NAMES, "errors", "store", "logger", "log", "bp", "total"] if n in text]
    chosen = draw(st.lists(st.sampled_from(olds), max_size=3, unique=True)) if olds else []
    mapping: dict[str, str] = {}
    for old in chosen:
        fresh = [t for t in RENAME_TARGETS if not re.search(rf"\b{t}\b", text) and t not in mapping.values()]
        if fresh:
            mapping[old] = draw(st.sampled_from(fresh))
    assert not any(keyword.iskeyword(v) for v in mapping.values())
    if not mapping:
        return project
    pattern = re.compile(r"(?<!\.)\b(" + "|".join(map(re.escape, mapping)) + r")\b")
    return {path: pattern.sub(lambda m: mapping[m.group(1)], source) for path, source in project.items()}


# -- projects -------------------------------------------------------------------------------

MODELS = '''"""The store the views talk to."""


class StoreError(Exception):
    pass


class CrmError(Exception):
    pass


def get_store():
    raise NotImplementedError


def notify(address, text):
    pass


def crm_update(user_id, **changes):
    pass


db = None
'''

AUTH = """import functools

from flask import abort, session


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if session.get("user_id") is None:
            abort(401)
        return view(*args, **kwargs)

    return wrapped


admin_required = login_required


def rate_limited(method):
    return lambda view: view


class _Cache:
    def cached(self, timeout):
        return lambda view: view


cache = _Cache()
"""

# An existing services module: one some codemod concerns (it logs), one none does (so the
# engine never parses it), and one that already binds a name extract-services would pick.
EXISTING_SERVICES_MODULES = [
    '''"""Services written by hand before flaskmod came."""
import logging

log = logging.getLogger(__name__)


def update_edit(form, item):
    item.name = form["name"]
    log.info("updated %s", item.id)
''',
    """def total(lines):
    return sum(line.price for line in lines)
""",
    """from .models import get_store


def load_edit(item_id):
    return get_store().items[item_id]


def run_settings():
    pass
""",
]

INIT_FACTORY = '''"""The application factory."""
from flask import Flask


def create_app(config=None):
    app = Flask(__name__)
    app.config.update(config or {})
    from .views import bp
    app.register_blueprint(bp)
    return app
'''


@st.composite
def flask_module(draw: st.DrawFn) -> str:
    """One standalone views module."""
    return render(draw(mutated(draw(views_module(package=False)))))


@st.composite
def flask_project(draw: st.DrawFn) -> dict[str, str]:
    """A small package: app/__init__.py, app/views.py, helpers, sometimes more views and a services module."""
    project: dict[str, str] = {}
    views = draw(mutated(draw(views_module(package=True, kind="blueprint"))))
    project["app/views.py"] = render(views)
    init_kind = draw(st.sampled_from(["factory", "app", "empty"]))
    if init_kind == "factory":
        project["app/__init__.py"] = INIT_FACTORY
    elif init_kind == "app":
        project["app/__init__.py"] = render(draw(mutated(draw(views_module(package=True, kind="app")))))
    else:
        project["app/__init__.py"] = ""
    project["app/models.py"] = MODELS
    project["app/auth.py"] = AUTH
    if draw(st.integers(0, 2)) == 0:
        project["app/admin.py"] = render(draw(mutated(draw(views_module(package=True)))))
    if draw(st.integers(0, 3)) == 0:
        project["app/routes/__init__.py"] = ""
        project["app/routes/account.py"] = render(draw(mutated(draw(views_module(package=False)))))
    if EXISTING_SERVICES and draw(st.booleans()):
        project["app/services.py"] = draw(st.sampled_from(EXISTING_SERVICES_MODULES))
    if draw(st.integers(0, 4)) == 0:
        project["legacy.py"] = draw(flask_module())
    return draw(renames(project))
