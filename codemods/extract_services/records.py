"""Records: a service returning more than `max-returns` values returns one frozen dataclass instead.

The record is a ``@dataclass(frozen=True)`` named after the service (``update_user`` ->
``UpdateUserResult``), written just before it in the services module. The view binds
the call to one name (``result``) and reads ``result.<field>`` where it read the
local. A frozen dataclass rather than a ``NamedTuple``: the record is not a sequence,
so nothing in the view can come to depend on the fields' order (by unpacking or
indexing it), and it reads as the value object it is.

A field the view cannot read as an attribute stays a local, bound right after the
call (``form = result.form``): one the view rebinds or deletes elsewhere, one the
service also takes as a parameter, one read inside another service's run.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import Scope

from flaskmod.codemods.core.refusal import Refused
from flaskmod.codemods.core.syntax import walk
from flaskmod.codemods.core.wrapping import bracketed
from flaskmod.codemods.extract_services.modules import ImportOf
from flaskmod.codemods.extract_services.runs import Run

RECORD_IMPORTS = (ImportOf("dataclasses", "dataclass", None, 0), ImportOf("typing", "Any", None, 0))


@dataclass
class Record:
    """The record a service returns, and how the view reads it.

    A run of the view extracted after it that reads a field makes that field a local
    (``keep_locals``): the run's statements leave the view, so they cannot read ``result.x``.
    """

    class_name: str
    fields: tuple[str, ...]
    local: str  # the one name the view binds the record to
    unpacked: list[str]  # fields kept as locals of the view (`x = result.x`)
    reads: list[cst.Name]  # the view's reads of the other fields: they become `result.<field>`

    def fields_read_in(self, nodes: set[int]) -> set[str]:
        return {read.value for read in self.reads if id(read) in nodes}

    def keep_locals(self, fields: set[str]) -> None:
        self.unpacked += [f for f in self.fields if f in fields and f not in self.unpacked]
        self.reads = [read for read in self.reads if read.value not in fields]

    def code(self, service: str) -> str:
        fields = "".join(f"    {name}: Any\n" for name in self.fields)
        return f'@dataclass(frozen=True)\nclass {self.class_name}:\n    """What `{service}` returns."""\n\n{fields}'

    def return_value(self, line_length: int) -> str:
        """The record built from the fields, wrapped as the formatter would in a service's ``return``."""
        items = [f"{name}={name}" for name in self.fields]
        code = bracketed(f"return {self.class_name}(", items, ")", indent="    ", line_length=line_length)
        return textwrap.dedent(code).removeprefix("return ")

    def unpacking(self) -> list[cst.BaseStatement]:
        # "\n" is parsed as the default newline: the module writes its own.
        return [cst.parse_statement(f"{name} = {self.local}.{name}\n") for name in self.unpacked]


def record_class_name(service: str) -> str:
    """`update_user` -> `UpdateUserResult`."""
    return "".join(part.capitalize() for part in service.split("_") if part) + "Result"


@dataclass(frozen=True)
class RecordContext:
    """What deciding a record needs from the view: its scope, its spelled names, other services' runs."""

    scope: Scope
    view: cst.FunctionDef
    planned: set[int]  # ids of the nodes of the runs already extracted from the view
    taken_locals: set[str]  # names other records of the view are bound to (the planner adds each)


def plan_record(
    service: str, returns: Sequence[str], params: Sequence[str], run: Run, context: RecordContext, max_locals: int
) -> Record:
    """The record of ``service``; refused when the call would bind more than ``max_locals`` names in the view.

    The record's own name counts: with the default of 2, at most one field stays a local.
    """
    inside = {id(n) for s in run.statements for n in walk(s)}
    deleted = _deleted_outside(context.view, inside)
    reads: list[cst.Name] = []
    unpacked: list[str] = []
    for name in returns:
        outside = _reads_outside(context.scope, name, inside)
        assigned_elsewhere = any(id(a.node) not in inside for a in context.scope.assignments[name])
        plain = outside is not None and not any(id(n) in context.planned for n in outside)
        if name in params or name in deleted or assigned_elsewhere or not plain:
            unpacked.append(name)
        else:
            assert outside is not None
            reads.extend(outside)
    if 1 + len(unpacked) > max_locals:
        raise Refused(
            f"its {len(returns)} results would make a record, but the view rebinds or passes on "
            f"{len(unpacked)} of them ({', '.join(f'`{n}`' for n in unpacked)}): they would stay locals",
            "interface",
        )
    local = _local_name(service, context)
    return Record(record_class_name(service), tuple(returns), local, unpacked, reads)


def _reads_outside(scope: Scope, name: str, inside: set[int]) -> list[cst.Name] | None:
    """The view's reads of ``name`` outside the run; None when one is not a plain name (a string annotation)."""
    seen: dict[int, cst.CSTNode] = {}
    for assignment in scope.assignments[name]:
        for access in assignment.references:
            if id(access.node) not in inside:
                seen[id(access.node)] = access.node
    nodes = list(seen.values())
    if not all(isinstance(n, cst.Name) for n in nodes):
        return None
    return [n for n in nodes if isinstance(n, cst.Name)]


def _deleted_outside(view: cst.FunctionDef, inside: set[int]) -> set[str]:
    return {
        n.value
        for node in walk(view)
        if isinstance(node, cst.Del) and id(node) not in inside
        for n in walk(node.target)
        if isinstance(n, cst.Name)
    }


def _local_name(service: str, context: RecordContext) -> str:
    spelled = {n.value for n in walk(context.view) if isinstance(n, cst.Name)} | context.taken_locals
    for candidate in ("result", f"{service}_result"):
        if candidate not in spelled:
            return candidate
    raise Refused(f"the view already binds `result` and `{service}_result`, the names of its record", "record-name")
