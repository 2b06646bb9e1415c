"""Planning one run's service: check the extraction is equivalent, then decide its parameters and returns.

``ServicePlanner.plan`` is the checker of the run: it hoists request reads, runs the
data-flow analysis, sorts every name the run reads (parameter, import to copy, logger
or helper that moves, builtin), finds what the view reads after the run, and refuses
with the reason whatever it cannot prove.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import Scope

from flaskmod.codemods.core.bindings import variables
from flaskmod.codemods.core.refusal import IGNORED_KIND, IGNORED_REASON, Refused
from flaskmod.codemods.core.syntax import code_of, walk
from flaskmod.codemods.extract_services.flow import Flow, FlowAnalyser
from flaskmod.codemods.extract_services.liveness import (
    check_partial_assignments,
    enclosing,
    loads_outside,
    read_after,
)
from flaskmod.codemods.extract_services.modules import ImportOf, Modules
from flaskmod.codemods.extract_services.movers import BUILTINS, MovedHelper, copyable_logger, movable_helper
from flaskmod.codemods.extract_services.naming import body_facts, derived_name, domain_objects, service_name
from flaskmod.codemods.extract_services.records import Record, RecordContext, plan_record
from flaskmod.codemods.extract_services.rewrite import Hoisting, Service, call_statement, same_code, service_code
from flaskmod.codemods.extract_services.runs import HttpWork, QualifiedNames, Run, is_docstring
from flaskmod.codemods.extract_services.value import does_business_work


@dataclass(frozen=True)
class ViewScope:
    """The view a run belongs to, and the locals it is analysed against."""

    view: cst.FunctionDef
    view_locals: set[str]
    closure: set[str]  # locals of enclosing factory functions the view does not shadow
    is_async: bool


@dataclass(frozen=True)
class InterfaceGate:
    """The widest interface a service may have (the `max-parameters` and `max-returns` options)."""

    max_parameters: int
    max_returns: int
    max_record_fields: int

    def check(self, params: Sequence[str], returns: Sequence[str]) -> None:
        """More than `max-returns` values make a record (see ``records``); too many parameters are refused."""
        if len(params) > self.max_parameters:
            raise Refused(
                f"its interface is too wide: {len(params)} parameters ({', '.join(f'`{p}`' for p in params)}; "
                f"`max-parameters` is {self.max_parameters})",
                "interface",
            )
        if len(returns) > max(self.max_returns, self.max_record_fields):
            raise Refused(
                f"its interface is too wide: {len(returns)} results, more than a record of "
                f"`max-record-fields` ({self.max_record_fields}) holds",
                "interface",
            )


@dataclass
class _Inputs:
    """Where each name the run reads comes from, as the service sees it."""

    params: list[str] = field(default_factory=list)
    imports: list[ImportOf] = field(default_factory=list)
    helpers: list[MovedHelper] = field(default_factory=list)
    loggers: list[str] = field(default_factory=list)
    renamed_loggers: list[str] = field(default_factory=list)  # `getLogger(__name__)` copies


class ServicePlanner:
    """Plans the services of one view's runs, against the modules of the file."""

    def __init__(
        self,
        modules: Modules,
        scope: ViewScope,
        http: HttpWork,
        qualified: QualifiedNames,
        is_ignored: Callable[[cst.CSTNode], bool],
        add_finding: Callable[[cst.CSTNode, str], None],
        names: Mapping[str, str],
        gate: InterfaceGate | None,
        scope_of: Callable[[cst.CSTNode], Scope],
        emitted: Sequence[Service] = (),
    ) -> None:
        self.modules = modules
        self.emitted = emitted  # the services of the file's earlier views
        self.scope = scope
        self.http = http
        self.qualified = qualified
        self.is_ignored = is_ignored
        self.add_finding = add_finding
        self.names = names
        self.gate = gate
        self.planned_nodes: set[int] = set()  # the nodes of the runs extracted so far
        self.domain = domain_objects(scope.view)
        self.records: dict[str, Record] = {}  # the records of the services planned so far, by service
        self.record_context = RecordContext(scope_of(scope.view.body.body[0]), scope.view, self.planned_nodes, set())

    def plan(self, run: Run, index: int) -> Service:
        """The ``index``-th service of the view (from 1) for ``run``; raises :class:`Refused` when not provable."""
        statements = run.statements
        view_body = self.scope.view.body
        assert isinstance(view_body, cst.IndentedBlock)  # the view check refuses one-line bodies
        self._check_candidate(run, view_body)
        claimed = self._claimed_fields(run)
        hoisting = self._hoist(statements)
        analyser = FlowAnalyser(self.scope.view_locals | self.scope.closure, hoisting.names, self.scope.is_async)
        analyser.block(statements)
        flow = analyser.flow
        flow.must = set(analyser.defined)
        inputs = self._inputs(flow, run, set(hoisting.by_code.values()))
        returns = self._interface(flow, run, view_body, inputs)
        # Domain objects first, then values; each group in order of first use.
        inputs.params.sort(key=lambda param: param not in self.domain)
        view = self.scope.view.name.value
        record_needed = self.gate is not None and len(returns) > self.gate.max_returns
        derived = derived_name(body_facts(statements, flow.maybe), returns, view if record_needed else None)
        reused = self._reused(derived, index, inputs, returns, run, hoisting, flow.awaits, record_needed)
        if reused is not None:
            return reused
        name = service_name(view, index, derived, self.names, self.modules.taken)
        record = self._record(name, returns, inputs.params, run) if record_needed else None
        tree = self.modules.tree
        code = service_code(
            tree,
            view,
            name,
            inputs.params,
            record.return_value(self.modules.line_length) if record else ", ".join(returns),
            statements,
            hoisting.names,
            self.scope.is_async,
            self.modules.line_length,
        )
        targets = [record.local] if record else returns
        call = call_statement(tree, name, inputs.params, targets, statements[0], hoisting.by_code, flow.awaits)
        for logger in inputs.renamed_loggers:
            self.add_finding(
                statements[0],
                f"`{logger}` is defined in the services module as in the views module "
                "(`__name__`): records logged by the moved code carry the services module's name",
            )
        self.planned_nodes |= {id(n) for s in statements for n in walk(s)}
        for service, fields in claimed.items():
            self.records[service].keep_locals(fields)
        if record is not None:
            self.records[name] = record
            self.record_context.taken_locals.add(record.local)
            self.modules.taken.add(record.class_name)
        return Service(name, code, call, run, inputs.imports, inputs.helpers, inputs.loggers, record)

    def _reused(
        self,
        derived: str | None,
        index: int,
        inputs: _Inputs,
        returns: list[str],
        run: Run,
        hoisting: Hoisting,
        awaits: bool,
        record_needed: bool,
    ) -> Service | None:
        """A call to an earlier view's service when this run's service would be the same code, else None."""
        view = self.scope.view.name.value
        if derived is None or record_needed or f"{view}:{index}" in self.names or (index == 1 and view in self.names):
            return None
        earlier = next((s for s in self.emitted if s.name == derived and not s.reused and s.record is None), None)
        if earlier is None:
            return None
        statements = run.statements
        tree = self.modules.tree
        line_length = self.modules.line_length
        arguments = (tree, view, derived, inputs.params, ", ".join(returns), statements, hoisting.names)
        if not same_code(service_code(*arguments, self.scope.is_async, line_length), earlier.code):
            return None
        earlier.also_extracted_from(view, line_length)
        call = call_statement(tree, derived, inputs.params, returns, statements[0], hoisting.by_code, awaits)
        self.planned_nodes |= {id(n) for s in statements for n in walk(s)}
        return Service(derived, "", call, run, inputs.imports, reused=True)

    def _record(self, name: str, returns: list[str], params: list[str], run: Run) -> Record:
        """The record ``name`` returns; on a refusal the service's name is free again."""
        assert self.gate is not None
        try:
            record = plan_record(name, returns, params, run, self.record_context, self.gate.max_returns)
            if record.class_name in self.modules.taken:
                raise Refused(f"`{record.class_name}`, the name of its record, is taken", "record-name")
        except Refused:
            self.modules.taken.discard(name)
            raise
        return record

    def _claimed_fields(self, run: Run) -> dict[str, set[str]]:
        """Fields of earlier records the run reads: they must stay locals of the view, if their record allows."""
        nodes = {id(n) for s in run.statements for n in walk(s)}
        claimed = {name: record.fields_read_in(nodes) for name, record in self.records.items()}
        claimed = {name: fields for name, fields in claimed.items() if fields}
        assert self.gate is not None or not claimed  # records exist only under the gate
        for name, fields in claimed.items():
            record = self.records[name]
            if self.gate is not None and 1 + len({*record.unpacked, *fields}) > self.gate.max_returns:
                listed = ", ".join(f"`{f}`" for f in sorted(fields))
                raise Refused(
                    f"it reads {listed} from the record of `{name}`: as locals of the view they would "
                    f"bind more than `max-returns` names at its call",
                    "record",
                )
        return claimed

    def _check_candidate(self, run: Run, view_body: cst.IndentedBlock) -> None:
        """Refuse a run the user opted out of, the view's docstring, or one that does no business work."""
        statements = run.statements
        if any(self.is_ignored(statement) for statement in statements):
            raise Refused(IGNORED_REASON, IGNORED_KIND)
        if run.block is view_body and run.start == 0 and is_docstring(statements[0]):
            raise Refused("the view's docstring stays in the view", "docstring")
        if self.gate is not None and not does_business_work(statements):
            raise Refused(
                "it does no business work (it only reads input, initialises variables or builds values): "
                "it stays in the view",
                "trivial",
            )

    def _interface(self, flow: Flow, run: Run, view_body: cst.IndentedBlock, inputs: _Inputs) -> list[str]:
        """The names the service returns, once the run's deletes, returns, awaits and the gate are checked."""
        outside = loads_outside(view_body, run)
        for name in flow.deleted:
            if name in outside or name in self.scope.view_locals - set(flow.maybe) or name in inputs.params:
                raise Refused(f"the run deletes `{name}`, which the view uses outside it", "deletes")
        around = enclosing(view_body, run.block) or []
        live = read_after(view_body, run, around)
        returns = [n for n in flow.maybe if n in live or (run.in_loop and n in flow.uses)]
        check_partial_assignments(returns, around)
        self._check_returns(returns, flow, run, inputs.params)
        if flow.awaits and not self.scope.is_async:
            raise Refused("the run contains `await`", "await")
        if self.gate is not None:
            self.gate.check(inputs.params, returns)
        return returns

    # -- request data passed in

    def _hoist(self, statements: Sequence[cst.BaseStatement]) -> Hoisting:
        """Name each read of request data in the run; the view reads it and passes the value in."""
        hoisting = Hoisting({}, {})
        reads = [r for s in statements for r in self.http.request_reads(s)]
        spelled_in_run = {n for s in statements for n in variables(s)}
        for _, expression in reads:
            code = code_of(expression)
            if isinstance(expression, cst.Call) or code.endswith(".json"):
                _check_raising_read(expression, code, statements, len(reads))
            if code not in hoisting.by_code:
                hoisting.by_code[code] = _parameter_for(expression, spelled_in_run, hoisting.by_code)
            hoisting.names[expression] = hoisting.by_code[code]
        return hoisting

    # -- where the names the run reads come from

    def _inputs(self, flow: Flow, run: Run, hoisted_names: set[str]) -> _Inputs:
        inputs = _Inputs()
        scope, facts = self.scope, self.modules.facts
        for name in flow.uses:
            if name in scope.view_locals and name not in run.bound_before:
                # Passing it would raise UnboundLocalError at the call, where the run might not read it.
                raise Refused(f"`{name}` may be unbound when the run starts", "unbound")
            if name in hoisted_names or name in scope.view_locals or name in scope.closure:
                inputs.params.append(name)
            elif name in facts.imports:
                inputs.imports.extend(self.modules.import_for(name))
            elif name in facts.defined:
                self._module_level(name, run, inputs)
            elif name in BUILTINS:
                continue
            elif facts.star_import:
                raise Refused(f"`{name}` may come from a star import", "star-import")
            else:
                raise Refused(f"cannot tell where `{name}` comes from", "unresolved")
        return inputs

    def _module_level(self, name: str, run: Run, inputs: _Inputs) -> None:
        """A name the views module defines: a logger is copied, a private helper moves, anything else is passed."""
        if name in self.modules.facts.declared_global:
            raise Refused(f"`{name}` is rebound through `global`, so its value at the call may differ", "global")
        logger = copyable_logger(self.modules, self.qualified, name)
        helper = movable_helper(self.modules, name, run) if logger is None else None
        if logger is not None:
            definition, logger_imports = logger
            inputs.loggers.append(definition)
            inputs.imports.extend(logger_imports)
            if "__name__" in definition:
                inputs.renamed_loggers.append(name)
        elif helper is not None:
            inputs.helpers.append(helper)
            inputs.imports.extend(helper.imports)
        else:
            inputs.params.append(name)  # defined in the views module: passed in, never imported from it

    # -- what the view gets back

    def _check_returns(self, returns: list[str], flow: Flow, run: Run, params: list[str]) -> None:
        """Refuse a returned name the run may delete or leave unbound; one assigned on some paths is passed in."""
        for name in returns:
            if name in flow.deleted:
                raise Refused(f"the run may delete `{name}`, which the view reads after it", "deletes")
            if name not in flow.must:
                if name not in run.bound_before:
                    raise Refused(
                        f"`{name}` is assigned only on some paths and may be unbound before the run", "unbound"
                    )
                if name not in params:
                    params.append(name)


def _check_raising_read(
    expression: cst.CSTNode, code: str, statements: Sequence[cst.BaseStatement], reads: int
) -> None:
    """`request.get_json()` and `request.json` may raise: hoisted only as the run's first statement `x = ...`."""
    first = statements[0]
    ok = (
        isinstance(first, cst.SimpleStatementLine)
        and len(first.body) == 1
        and isinstance(first.body[0], cst.Assign)
        and first.body[0].value is expression
        and reads == 1
    )
    if not ok:
        raise Refused(
            f"`{code}` may raise: it is hoisted only as the run's first statement `x = {code}`", "raising-read"
        )


def _parameter_for(expression: cst.CSTNode, spelled: set[str], by_code: Mapping[str, str]) -> str:
    """`form`, `args`, `json`...; `request_form`, `request_form_3`... when the run spells the name already."""
    if isinstance(expression, cst.Call):
        attr = "json"
    else:
        attr = expression.attr.value if isinstance(expression, cst.Attribute) else "json"
    candidate = attr
    counter = 1
    while candidate in spelled or candidate in by_code.values():
        counter += 1
        candidate = f"request_{attr}" if counter == 2 else f"request_{attr}_{counter}"
    return candidate
