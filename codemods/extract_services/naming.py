"""Service names: configured per view, or `<verb>_<object>` derived from what the body does; never one taken.

The verb is checked against the body: a body that writes (an attribute, a commit, an
`add`/`delete`/`save`) is never named `find_`/`compute_`, one that does not is never
`create_`/`update_`/`delete_`/`save_`. Without a confident name the run is refused,
with the `names` entry that would extract it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import libcst as cst

from flaskmod.codemods.core.bindings import all_params
from flaskmod.codemods.core.refusal import Refused
from flaskmod.codemods.core.syntax import code_of, walk
from flaskmod.codemods.extract_services.value import CONTAINER_WRITES

# Methods that write to a database, a store or the outside world.
WRITE_METHODS = frozenset(
    {"commit", "add", "add_all", "delete", "save", "flush", "merge", "insert", "insert_one", "update", "update_one"}
    | {"remove", "write", "send", "put", "create", "bulk_save_objects", "execute", "set", "delete_one"}
)
# Method name prefixes that say the call changes what it is called on or the outside world
# (`user.set_password(...)`, `account.grant_privileges(...)`).
WRITE_PREFIXES = (
    *("set_", "add_", "remove_", "delete_", "update_", "create_", "save_", "send_", "insert_"),
    *("grant", "revoke"),
)
# Attributes and methods that query (SQLAlchemy, Flask-SQLAlchemy, peewee, mongo).
QUERY_WORDS = frozenset(
    {"query", "filter", "filter_by", "order_by", "paginate", "scalars", "scalar", "one_or_none", "find", "find_one"}
    | {"select", "where", "get_by_id", "all", "first"}
)


@dataclass(frozen=True)
class BodyFacts:
    """What a run's statements do, as far as naming goes."""

    written_objects: tuple[str, ...]  # roots of attribute writes (`user.name = ...` -> `user`), in order
    writes: bool  # attribute writes or write methods
    deleted: tuple[str, ...]  # `db.session.delete(x)` -> `x`
    created: tuple[str, ...]  # `x = Model(...)` then written (added, saved, committed)
    queries: bool


def body_facts(statements: Sequence[cst.BaseStatement], assigned: Mapping[str, None]) -> BodyFacts:
    """The facts of ``statements``; ``assigned`` are the names the run binds (their containers are its own)."""
    facts = _FactCollector(assigned)
    for statement in statements:
        for node in walk(statement):
            facts.see(node)
    return facts.result()


class _FactCollector:
    """What the nodes of a run do, node by node (see ``BodyFacts``)."""

    def __init__(self, assigned: Mapping[str, None]) -> None:
        self.assigned = assigned
        self.written: dict[str, None] = {}
        self.deleted: dict[str, None] = {}
        self.constructed: dict[str, None] = {}
        self.stored: set[str] = set()  # names handed to a write (`db.session.add(user)`, `orders.append(order)`)
        self.writes = self.queries = False

    def see(self, node: cst.CSTNode) -> None:
        if isinstance(node, (cst.AssignTarget, cst.AugAssign)) and isinstance(node.target, cst.Attribute):
            root = _root(node.target)
            if root is not None:
                self.written.setdefault(root)
            self.writes = True
        elif isinstance(node, cst.Assign) and _constructs(node.value):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self.constructed.setdefault(target.target.value)
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            self._method_call(node, node.func)
        if isinstance(node, cst.Attribute) and node.attr.value in QUERY_WORDS:
            self.queries = True

    def _method_call(self, node: cst.Call, func: cst.Attribute) -> None:
        method = func.attr.value
        if self._writes(node, method, func.value):
            self.writes = True
            if _changes_its_receiver(method, node):
                root = _root(func.value)
                if root is not None:
                    self.written.setdefault(root)
            self.stored.update(a.value.value for a in node.args if isinstance(a.value, cst.Name))
            first = node.args[0].value if node.args else None
            if method in {"delete", "delete_one", "remove"} and isinstance(first, cst.Name):
                self.deleted.setdefault(first.value)
        self.queries = self.queries or method in QUERY_WORDS

    def _writes(self, node: cst.Call, method: str, receiver: cst.BaseExpression) -> bool:
        """A write to a store or an object the run does not own; filling the run's own container is none."""
        # `domain.update()` with no argument is no dict's update: the object saves itself.
        container_write = method in CONTAINER_WRITES and not (method == "update" and not node.args)
        if container_write and isinstance(receiver, cst.Attribute):
            return True  # `store.orders.append(order)`: a relation
        local_container = container_write and isinstance(receiver, cst.Name) and receiver.value in self.assigned
        return (method in WRITE_METHODS or method.startswith(WRITE_PREFIXES)) and not local_container

    def result(self) -> BodyFacts:
        created = tuple(n for n in self.constructed if n in self.stored and n not in self.deleted)
        return BodyFacts(tuple(self.written), self.writes, tuple(self.deleted), created, self.queries)


def _changes_its_receiver(method: str, call: cst.Call) -> bool:
    """`user.set_password(pw)`, `account.grant_privileges(ids)`, `domain.update()`, `post.save()`."""
    return method.startswith(("set_", "update_", "grant", "revoke")) or (method in {"update", "save"} and not call.args)


def _root(node: cst.BaseExpression) -> str | None:
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _constructs(value: cst.BaseExpression) -> bool:
    """`Model(...)` or a dict literal: a new record."""
    if isinstance(value, cst.Dict):
        return True
    if not isinstance(value, cst.Call):
        return False
    func = value.func
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
    return name[:1].isupper()


# Shorter variable names (`d`, `uc`, `r`) say nothing a service name could repeat.
MIN_OBJECT_NAME = 3

# View names that say nothing about what a record-returning service finds or computes.
GENERIC_VIEWS = frozenset({"index", "home", "main", "view", "page", "show", "get", "post", "api", "root"})


def domain_objects(view: cst.FunctionDef) -> set[str]:
    """The view's parameters and the names it binds to a query's result or a model it constructs.

    A service takes these first (`user`, `order`), then plain values (`form`, `limit`):
    a stable order a reviewer reads as "what it works on, then with what". A form is
    not a domain object, though constructed like one.
    """
    names = {p.name.value for p in all_params(view.params)}
    for node in walk(view):
        if not isinstance(node, cst.Assign) or not _is_domain_value(node.value):
            continue
        names.update(t.target.value for t in node.targets if isinstance(t.target, cst.Name))
    return names


def _is_domain_value(value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.Call) and _constructs(value):
        func = value.func
        return not (isinstance(func, (cst.Name, cst.Attribute)) and code_of(func).endswith("Form"))
    return any(
        isinstance(n, cst.Attribute) and (n.attr.value in QUERY_WORDS or n.attr.value.endswith("_or_404"))
        for n in walk(value)
    )


def derived_name(facts: BodyFacts, returns: Sequence[str], record_of: str | None = None) -> str | None:
    """`<verb>_<object>` from what the body does, or None when no name is confident.

    ``record_of`` is the view's name when the service returns a record: a body that
    writes is named after what it writes, as any other; one that does not after the
    view (`find_dashboard`), unless the view's name is generic (`index`).
    """
    record = record_of is not None
    if facts.created and (record or not returns or facts.created[0] in returns) and (record or len(returns) <= 2):
        return _named("create", facts.created[0])
    if facts.deleted and not returns:
        return _named("delete", facts.deleted[0])
    if facts.writes:
        written = facts.written_objects
        # One object's state changed (and at most two values handed back, or a record).
        if len(written) == 1 and (record or len(returns) <= 2):
            return _named("update", written[0])
        return None
    if not returns:
        return None
    verb = "find" if facts.queries else "compute"
    if record_of is not None:
        return _named(verb, record_of) if record_of not in GENERIC_VIEWS else None
    return _named(verb, *returns) if len(returns) <= 2 else None


def _named(verb: str, *objects: str) -> str | None:
    """`<verb>_<object>[_and_<object>]`; None when an object's name is too short to say what it is (`d`, `uc`)."""
    if any(len(name.strip("_")) < MIN_OBJECT_NAME for name in objects):
        return None
    return f"{verb}_{'_and_'.join(objects)}"


def service_name(
    view: str,
    index: int,
    derived: str | None,
    configured: Mapping[str, str],
    taken: set[str],
) -> str:
    """The name of the ``index``-th run of ``view`` (from 1), added to ``taken``; refused when none is confident.

    ``configured`` is the `names` option: `"view:2"` names the second run, `"view"` the first.
    """
    chosen = configured.get(f"{view}:{index}") or (configured.get(view) if index == 1 else None)
    if chosen:
        if chosen in taken:
            raise Refused(f"the configured name `{chosen}` is already taken", "name-taken")
        taken.add(chosen)
        return chosen
    key = view if index == 1 else f"{view}:{index}"
    if derived is None:
        raise Refused(
            f'no confident name for what it does; `names = {{"{key}" = "<verb>_<object>"}}` would extract it',
            "no-name",
        )
    if derived in taken:
        raise Refused(
            f'`{derived}` is taken by another service; `names = {{"{key}" = "<another name>"}}` would extract it',
            "name-taken",
        )
    taken.add(derived)
    return derived
