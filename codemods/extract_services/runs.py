"""Finding runs: maximal sequences of a view's statements that do no HTTP work.

``HttpWork`` tells a statement that touches Flask's HTTP layer from one that does not
(reading request data is allowed: it is hoisted into the call); ``RunFinder`` walks
the view's blocks, descending into the statements that do HTTP work.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import libcst as cst

from flaskmod.codemods.core.bindings import bound_name_nodes, target_names
from flaskmod.codemods.core.flask import (
    ABORTING_QUERY_METHODS,
    APP_CONTEXT_ATTRIBUTES,
    APP_CONTEXT_NAMES,
    is_http_layer_name,
)
from flaskmod.codemods.core.syntax import count_statements, walk
from flaskmod.codemods.extract_services.liveness import definitely_bound
from flaskmod.codemods.extract_services.request_bound import ProjectHttp

# Request data the view reads and hands to the service as a plain value: (qualified name, parameter name).
REQUEST_DATA: dict[str, str] = {
    f"{prefix}.{attr}": attr
    for prefix in ("flask.request", "flask.globals.request")
    for attr in ("form", "args", "values", "files", "json")
}
GET_JSON = frozenset({"flask.request.get_json", "flask.globals.request.get_json"})

# The qualified names of a node (LibCST's `QualifiedNameProvider`, as plain strings).
QualifiedNames = Callable[[cst.CSTNode], set[str]]


@dataclass
class Run:
    """A candidate run: consecutive statements of one block, with what surrounds it."""

    block: cst.IndentedBlock
    start: int
    end: int  # exclusive
    in_loop: bool
    bound_before: set[str]  # definitely bound when the run starts
    branch_test: cst.BaseExpression | None

    @property
    def statements(self) -> Sequence[cst.BaseStatement]:
        return self.block.body[self.start : self.end]


# A block nested in a compound statement: (the node whose first line is its header, the block,
# names bound when it starts, whether it is in a loop, the `if` test that leads to it).
NestedBlock = tuple[cst.CSTNode, cst.IndentedBlock, set[str], bool, cst.BaseExpression | None]


def nested_blocks(
    statement: cst.BaseStatement, bound: set[str], in_loop: bool, *, loop_else: bool
) -> list[NestedBlock]:
    """The blocks of a compound statement in source order; a loop's `else` only when ``loop_else``."""
    parts: list[tuple[cst.CSTNode, cst.BaseSuite, set[str], bool, cst.BaseExpression | None]] = []
    if isinstance(statement, cst.If):
        current: cst.If | cst.Else | None = statement
        while current is not None:
            test = current.test if isinstance(current, cst.If) else None
            parts.append((current, current.body, bound, in_loop, test))
            current = current.orelse if isinstance(current, cst.If) else None
    elif isinstance(statement, (cst.For, cst.While)):
        inner = bound | (set(target_names(statement.target)) if isinstance(statement, cst.For) else set())
        parts.append((statement, statement.body, inner, True, None))
        if loop_else and statement.orelse is not None:
            parts.append((statement.orelse, statement.orelse.body, bound, in_loop, None))
    elif isinstance(statement, cst.With):
        inner = bound | {n for item in statement.items if item.asname for n in target_names(item.asname.name)}
        parts.append((statement, statement.body, inner, in_loop, None))
    elif isinstance(statement, cst.Try):
        others = [*statement.handlers, statement.orelse, statement.finalbody]
        parts.append((statement, statement.body, bound, in_loop, None))
        parts += [(other, other.body, bound, in_loop, None) for other in others if other is not None]
    return [
        (header, body, names, loop, test)
        for header, body, names, loop, test in parts
        if isinstance(body, cst.IndentedBlock)
    ]


class HttpWork:
    """Which statements do HTTP work, and where a statement reads request data.

    HTTP work is a name of Flask's HTTP layer however it is reached (`abort`, `flask.abort`,
    `werkzeug.exceptions.NotFound`), `current_app` beyond its app-context attributes
    (`current_app.config` is allowed), a module-level `LocalProxy`, the construction of a
    Flask-WTF form, a module-level function that does HTTP work, a query that aborts
    (`get_or_404`), `return` and nested definitions.
    """

    def __init__(self, qualified: QualifiedNames, project: ProjectHttp | None = None) -> None:
        self.qualified = qualified
        self.project = project
        self._reads: dict[int, list[tuple[cst.Name, cst.CSTNode]]] = {}

    def does_http_work(self, statement: cst.BaseStatement) -> bool:
        allowed = {id(n) for _, read in self.request_reads(statement) for n in walk(read)}
        for node in walk(statement):
            if isinstance(node, (cst.Return, cst.FunctionDef, cst.ClassDef)):
                return True
            if isinstance(node, cst.Attribute) and node.attr.value in APP_CONTEXT_ATTRIBUTES:
                allowed.add(id(node.value))  # `current_app.config`: the app context, not the request
            if id(node) not in allowed and self.is_http_node(node):
                return True
        return False

    def is_http_node(self, node: cst.CSTNode) -> bool:
        """Whether ``node`` itself does HTTP work (its children aside), `return` and definitions aside."""
        if isinstance(node, cst.Call):
            if isinstance(node.func, cst.Attribute) and node.func.attr.value in ABORTING_QUERY_METHODS:
                return True  # `Post.query.get_or_404(id)` aborts the request
            return self.project is not None and self.project.is_http_call(node, self._names_http)
        return self._names_http(node)

    def _names_http(self, node: cst.CSTNode) -> bool:
        if not isinstance(node, (cst.Name, cst.Attribute)):
            return False
        if isinstance(node, cst.Name) and self.project is not None and node.value in self.project.local_proxies:
            return True
        names = self.qualified(node)
        return bool(names & APP_CONTEXT_NAMES) or any(is_http_layer_name(name) for name in names)

    def request_reads(self, root: cst.CSTNode) -> list[tuple[cst.Name, cst.CSTNode]]:
        """(the `request` name, the hoistable expression) for each read of request data under ``root``."""
        if id(root) in self._reads:
            return self._reads[id(root)]
        found: list[tuple[cst.Name, cst.CSTNode]] = []
        for node in walk(root):
            if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
                if self.qualified(node) & REQUEST_DATA.keys():
                    found.append((node.value, node))
            elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
                func = node.func
                if isinstance(func.value, cst.Name) and self.qualified(func) & GET_JSON:
                    found.append((func.value, node))
        self._reads[id(root)] = found
        return found


def is_docstring(statement: cst.BaseStatement) -> bool:
    """Whether ``statement``, first in a body, is its docstring."""
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


class RunFinder:
    """Collects the runs of a view worth a service: ``min_statements`` or more, counted recursively."""

    def __init__(self, http: HttpWork, min_statements: int) -> None:
        self.http = http
        self.min_statements = min_statements
        self.runs: list[Run] = []
        self.docstring: cst.BaseStatement | None = None

    def collect_view(self, body: cst.IndentedBlock, params: set[str]) -> None:
        """Collect the runs of a view's body; its docstring stays in the view (it is the view's `__doc__`)."""
        first = body.body[0] if body.body else None
        self.docstring = first if first is not None and is_docstring(first) else None
        self.collect(body, params, False, None)

    def collect(
        self, block: cst.IndentedBlock, bound: set[str], in_loop: bool, test: cst.BaseExpression | None
    ) -> None:
        bound = set(bound)
        start: int | None = None
        statements = list(block.body)
        for index, statement in enumerate([*statements, None]):
            pure = statement is not None and statement is not self.docstring and not self.http.does_http_work(statement)
            if pure and start is None:
                start = index
                run_bound = set(bound)
            if not pure and start is not None:
                # Its inputs count toward the run's size, but stay in the view.
                size = sum(count_statements(s) for s in statements[start:index])
                start, run_bound = self._past_inputs(statements, start, index, run_bound)
                rest = sum(count_statements(s) for s in statements[start:index])
                if size >= self.min_statements and rest >= min(self.min_statements, 2):
                    self.runs.append(Run(block, start, index, in_loop, run_bound, test))
                start = None
            if statement is None:
                break
            if not pure:
                # A statement doing HTTP work may hold runs in its blocks (not a loop's `else`).
                for _, body, names, loop, branch in nested_blocks(statement, bound, in_loop, loop_else=False):
                    self.collect(body, names, loop, branch)
            bound |= definitely_bound(statement)

    def _past_inputs(
        self, statements: Sequence[cst.BaseStatement], start: int, end: int, bound: set[str]
    ) -> tuple[int, set[str]]:
        """The run's start past its leading inputs, and the names bound there.

        An input is `name = <literal>` or `name = <request data read>` (`request.form`,
        `request.args["q"]`, `request.form.get("name", "")`): it stays in the view, where it
        documents the endpoint's inputs, and the service takes the name as a parameter
        instead of handing the value back in its record.
        """
        bound = set(bound)
        while start < end and self._is_input(statements[start], statements[start + 1 : end]):
            bound |= definitely_bound(statements[start])
            start += 1
        return start, bound

    def _is_input(self, statement: cst.BaseStatement, rest: Sequence[cst.BaseStatement]) -> bool:
        """An input the rest of the run never rebinds (`total = 0` before `total += x` is the run's own)."""
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return False
        small = statement.body[0]
        if isinstance(small, cst.Assign) and len(small.targets) == 1:
            target, value = small.targets[0].target, small.value
        elif isinstance(small, cst.AnnAssign) and small.value is not None:
            target, value = small.target, small.value
        else:
            return False
        if not isinstance(target, cst.Name) or target.value in _rebound(rest):
            return False
        return is_plain_literal(value) or self._reads_request_data(value)

    def _reads_request_data(self, value: cst.BaseExpression) -> bool:
        """`request.form`, `request.get_json()`, `request.args["q"]`, `request.form.get("q", "")`."""
        reads = {id(read) for _, read in self.http.request_reads(value)}
        if id(value) in reads:
            return True
        if isinstance(value, cst.Subscript):
            return id(value.value) in reads and _literal_keys(value)
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "get":
            return id(value.func.value) in reads and _literal_arguments(value)
        return False


def _literal_keys(subscript: cst.Subscript) -> bool:
    """`x["q"]`: every index a plain literal."""
    return all(isinstance(e.slice, cst.Index) and is_plain_literal(e.slice.value) for e in subscript.slice)


def _literal_arguments(call: cst.Call) -> bool:
    """`x.get("q", "")`: every argument a positional plain literal."""
    return all(a.keyword is None and not a.star and is_plain_literal(a.value) for a in call.args)


def _rebound(statements: Sequence[cst.BaseStatement]) -> set[str]:
    """The names the statements bind anywhere, augmented assignments and `del` included."""
    names: set[str] = set()
    for statement in statements:
        bound = bound_name_nodes(statement)
        for node in walk(statement):
            if isinstance(node, cst.Name) and id(node) in bound:
                names.add(node.value)
            elif isinstance(node, cst.AugAssign) and isinstance(node.target, cst.Name):
                names.add(node.target.value)
            elif isinstance(node, cst.Del):
                names |= {n.value for n in walk(node.target) if isinstance(n, cst.Name)}
    return names


def is_plain_literal(value: cst.BaseExpression) -> bool:
    """An immutable literal: `0`, `-1`, `"x"`, `None`, `True`, `()`.

    Not `[]` or `{}`: a run that fills an empty container it creates keeps creating it,
    rather than taking one from the view to fill.
    """
    if isinstance(value, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.ConcatenatedString)):
        return True
    if isinstance(value, cst.Name):
        return value.value in {"None", "True", "False"}
    if isinstance(value, cst.UnaryOperation):
        return isinstance(value.operator, cst.Minus) and isinstance(value.expression, (cst.Integer, cst.Float))
    return isinstance(value, cst.Tuple) and not value.elements


def count_statements_of(run: Run) -> int:
    """The run's statements, counted recursively."""
    return sum(count_statements(s) for s in run.statements)


def narrower_runs(run: Run, min_statements: int) -> list[Run]:
    """The run's proper sub-runs of ``min_statements`` or more (counted recursively), biggest first."""
    statements = list(run.block.body)
    bound_at = [set(run.bound_before)]
    for statement in statements[run.start : run.end]:
        bound_at.append(bound_at[-1] | definitely_bound(statement))
    found: list[Run] = []
    for start in range(run.start, run.end):
        for end in range(start + 1, run.end + 1):
            if (start, end) == (run.start, run.end):
                continue
            narrower = Run(run.block, start, end, run.in_loop, bound_at[start - run.start], run.branch_test)
            if count_statements_of(narrower) >= min_statements:
                found.append(narrower)
    return sorted(found, key=lambda r: (-count_statements_of(r), r.start))
