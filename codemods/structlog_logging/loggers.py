"""Logger resolution: which loggers of a module become structlog loggers, and which calls move onto them.

``ModulePlanner.plan`` finds the module-level `X = logging.getLogger(...)` loggers and
plans every call on them (a logger used as a stdlib `Logger` stays one, with the
reason); moves `logging.info(...)`, `current_app.logger.info(...)` and
`app.logger.info(...)` onto the module's structlog logger (one is created when the module
has none named after it); and reports loggers it does not rewrite (made inside a
function, or imported from another module).
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import libcst.matchers as m
from libcst.metadata import QualifiedNameSource

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.bindings import assigned_call, calls_and_names
from flaskmod.codemods.core.flask import CURRENT_APP_NAMES, STRUCTLOG_FACTORIES
from flaskmod.codemods.core.metadata import Metadata
from flaskmod.codemods.core.refusal import Refused
from flaskmod.codemods.core.syntax import code_of
from flaskmod.codemods.structlog_logging.configured import configured_elsewhere, imported_elsewhere, module_name
from flaskmod.codemods.structlog_logging.declared import declared_object, resolved_name
from flaskmod.codemods.structlog_logging.message import string_value
from flaskmod.codemods.structlog_logging.placement import logger_index
from flaskmod.codemods.structlog_logging.plan import CallPlanner, ModuleEdits, Plan
from flaskmod.codemods.structlog_logging.reports import report_local_loggers, report_other_loggers
from flaskmod.codemods.structlog_logging.rewrite import structlog_get_logger, without_annotation
from flaskmod.codemods.structlog_logging.vocabulary import LOGGER_NAME_CANDIDATES, QUERY_RENAMES, is_log_method

# A module-level `X = logging.getLogger(...)`: the name, its statement and the call.
StdlibLogger = tuple[str, cst.SimpleStatementLine, cst.Call]
# A structlog logger calls may move onto: the name, where it is defined, and whether it
# is named after the module (`get_logger(__name__)`).
Target = tuple[str, cst.CSTNode, bool]
# A call that may move onto the module's logger: the call, its method, what it was on.
Candidate = tuple[cst.Call, str, str]


def named_after_module(call: cst.Call) -> bool:
    """`getLogger(__name__)`: the logger moved calls belong on."""
    return len(call.args) == 1 and m.matches(call.args[0].value, m.Name("__name__"))


_LOGURU_IMPORT = m.ImportFrom(module=m.Name("loguru") | m.Attribute(value=m.Name("loguru"))) | m.Import(
    names=[m.ZeroOrMore(), m.ImportAlias(name=m.Name("loguru") | m.Attribute(value=m.Name("loguru"))), m.ZeroOrMore()]
)


def loguru_import(tree: cst.Module) -> cst.CSTNode | None:
    """The module's first import of loguru: such a module logs with loguru and is left alone."""
    found = m.findall(tree, _LOGURU_IMPORT)
    return found[0] if found else None


class ModulePlanner:
    """Plans the rewrite of one module's logging; the result is a :class:`ModuleEdits`."""

    def __init__(self, codemod: Codemod, metadata: Metadata, planner: CallPlanner, tree: cst.Module) -> None:
        self.codemod = codemod
        self.metadata = metadata
        self.planner = planner
        self.tree = tree
        self.edits = ModuleEdits()
        self.annotated: dict[cst.Call, cst.AnnAssign] = {}  # getLogger call -> its annotated assignment
        self.global_scope = metadata.scope(tree)
        # One walk for both: every call (visited three times below) and every name spelled.
        self.calls_in_module, self.names_in_module = calls_and_names(tree)

    def plan(self) -> ModuleEdits:
        module_loggers, structlog_loggers = self._module_level_loggers()
        converted, blocked = self._plan_module_loggers(module_loggers)
        report_local_loggers(self.codemod, self.metadata, self.calls_in_module, {id(g) for _n, _s, g in module_loggers})
        self._plan_moved_calls(converted + structlog_loggers, blocked)
        declared = self._plan_declared_calls()
        report_other_loggers(self.codemod, self.metadata, [c for c in self.calls_in_module if id(c) not in declared])
        return self.edits

    # -- the module's own loggers ---------------------------------------------------

    def _module_level_loggers(self) -> tuple[list[StdlibLogger], list[Target]]:
        """Top-level `X = logging.getLogger(...)` and `X = structlog.get_logger(...)` assignments."""
        stdlib: list[StdlibLogger] = []
        existing: list[Target] = []
        for statement in self.tree.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                assigned = assigned_call(small)
                if assigned is None:
                    continue
                name, value = assigned
                called = self.metadata.qualified(value.func)
                if called == {"logging.getLogger"}:
                    stdlib.append((name, statement, value))
                    if isinstance(small, cst.AnnAssign):
                        self.annotated[value] = small
                elif called and called <= STRUCTLOG_FACTORIES and len(self.global_scope.assignments[name]) == 1:
                    existing.append((name, small, named_after_module(value)))
        return stdlib, existing

    def _plan_module_loggers(self, module_loggers: list[StdlibLogger]) -> tuple[list[Target], list[str]]:
        """Each stdlib module logger becomes a structlog logger, or is blocked (its name listed)."""
        converted: list[Target] = []
        blocked: list[str] = []
        for name, statement, get_logger in module_loggers:
            if self.codemod.skip_if_ignored(statement):
                blocked.append(name)
                continue
            try:
                plans = self._plan_module_logger(name, get_logger)
            except Refused as refused:
                self.codemod.add_refusal(statement, refused, prefix=f"`{name}` stays a stdlib logger: ")
                blocked.append(name)
                continue
            self._accept(plans)
            self._convert(name, get_logger)
            converted.append((name, statement, named_after_module(get_logger)))
        return converted, blocked

    def _plan_module_logger(self, name: str, get_logger: cst.Call) -> list[Plan]:
        """A plan for every use of the logger; Refused when one needs a stdlib `Logger`."""
        self._refuse_if_configured_elsewhere(name, get_logger)
        assignments = self.global_scope.assignments[name]
        if len(assignments) != 1:
            raise Refused(f"`{name}` is assigned more than once", "reassigned")
        (assignment,) = assignments
        if not assignment.references and not self._imported_elsewhere(name):
            raise Refused(
                f"`{name}` is never used in this module and no other module imports it: nothing to rewrite",
                "unused-logger",
            )
        plans: list[Plan] = []
        for access in sorted(assignment.references, key=lambda a: self.codemod.line_of(a.node)):
            use = access.node
            parent = self.metadata.parent(use)
            line = self.codemod.line_of(use)
            if not (isinstance(parent, cst.Attribute) and parent.value is use):
                raise Refused(
                    f"`{name}` is passed on or stored (line {line}), and its users expect a stdlib logger",
                    "logger-passed-on",
                )
            method = parent.attr.value
            call = self.metadata.parent(parent)
            if not (isinstance(call, cst.Call) and call.func is parent):
                raise Refused(f"`{name}.{method}` is used as a value (line {line})", "method-as-value")
            if method in QUERY_RENAMES:
                renamed = parent.with_changes(attr=cst.Name(QUERY_RENAMES[method]))
                plans.append(Plan(call, call.with_changes(func=renamed)))
                continue
            if not is_log_method(method):
                raise Refused(
                    f"`{name}.{method}` is a stdlib `Logger` API structlog's loggers lack (line {line})", "stdlib-api"
                )
            plans.append(self.planner.plan_call(call, method, cst.Name(name), moved=False))
        return plans

    def _imported_elsewhere(self, name: str) -> bool:
        filename = self.codemod.context.filename
        return filename is None or imported_elsewhere(Path(filename), name, self.codemod.project)

    def _refuse_if_configured_elsewhere(self, name: str, get_logger: cst.Call) -> None:
        """Refused when another scanned module configures this logger (by its name or through an import)."""
        filename = self.codemod.context.filename
        if not filename or not self.codemod.project.scanned:
            return
        path = Path(filename)
        literal = string_value(get_logger.args[0].value) if len(get_logger.args) == 1 else None
        if named_after_module(get_logger):
            logger_name: str | None = module_name(path.resolve(), self.codemod.project)[0]
        else:
            logger_name = literal[0] if literal is not None else None
        where = configured_elsewhere(path, name, logger_name, self.codemod.project)
        if where is not None:
            raise Refused(
                f"`{name}` is configured in {where}, which a structlog logger would break or ignore",
                "configured-elsewhere",
            )

    # -- calls on project logger objects (`logger-objects`) -------------------------

    def _plan_declared_calls(self) -> set[int]:
        """Calls on declared logger objects: converted on a structlog logger, else one skip per object (their ids)."""
        declared = frozenset(self.codemod.options.get("logger-objects") or ())
        if not declared:
            return set()
        by_object: dict[str, list[cst.Call]] = {}
        for call in self.calls_in_module:
            name = self._declared_owner(call)
            if name in declared:
                by_object.setdefault(name, []).append(call)
        for name, calls in by_object.items():
            found = declared_object(name, self.codemod.project)
            owner = code_of(calls[0].func.value)  # type: ignore[attr-defined]
            if not found.structlog:
                self.codemod.add_skip(
                    calls[0],
                    f"calls on `{owner}` (`{name}`, declared in `logger-objects`) are left alone: {found.why_not}, "
                    "so it may not take keys",
                    "declared-logger-not-structlog",
                )
                continue
            self._accept([self._declared_call_plan(call, owner) for call in calls])
        return {id(call) for calls in by_object.values() for call in calls}

    def _declared_owner(self, call: cst.Call) -> str | None:
        """The qualified name of the object a log call is made on, when that object is imported."""
        func = call.func
        if not isinstance(func, cst.Attribute) or not is_log_method(func.attr.value):
            return None
        names = self.metadata.qualified_names(func.value)
        if len(names) != 1:
            return None
        (qualified,) = names
        if qualified.source is not QualifiedNameSource.IMPORT:
            return None
        filename = self.codemod.context.filename
        return resolved_name(qualified.name, Path(filename) if filename else None, self.codemod.project)

    def _declared_call_plan(self, call: cst.Call, owner: str) -> Plan:
        assert isinstance(call.func, cst.Attribute)
        plan = self.planner.plan_call(call, call.func.attr.value, call.func.value, moved=True)
        if plan.skip is not None:
            plan.replacement = None
            plan.skip = Refused(f"`{owner}` call left alone: {plan.skip.reason}", plan.skip.kind)
        return plan

    def _convert(self, name: str, get_logger: cst.Call) -> None:
        """`logging.getLogger(...)` becomes `structlog.get_logger(...)`; its annotation goes."""
        replacements = self.edits.replacements
        replacements[get_logger] = structlog_get_logger(get_logger)
        self.edits.imports_structlog = True
        if get_logger in self.annotated:
            annotated = self.annotated[get_logger]
            replacements[annotated] = without_annotation
            self.codemod.add_finding(
                annotated, f"the annotation `{code_of(annotated.annotation.annotation)}` of `{name}` is dropped"
            )
        self.edits.removes_logging = True

    def _accept(self, plans: list[Plan]) -> None:
        """Records the plans' findings and skips, and keeps their replacements."""
        for plan in plans:
            if plan.replacement is not None:
                self.edits.calls_on_structlog += 1
            for finding in plan.findings:
                self.codemod.add_finding(plan.call, finding)
            if plan.skip is not None:
                self.codemod.add_refusal(plan.call, plan.skip)
            if plan.replacement is not None and not plan.replacement.deep_equals(plan.call):
                self.edits.replacements[plan.call] = plan.replacement

    # -- calls that move onto the module's structlog logger ------------------------

    def _plan_moved_calls(self, targets: list[Target], blocked: list[str]) -> None:
        candidates = self._moved_call_candidates()
        if not candidates:
            return
        if blocked and not any(by_module_name for _n, _s, by_module_name in targets):
            for call, _method, owner in candidates:
                self.codemod.add_skip(
                    call,
                    f"`{owner}` call left alone: the module's logger `{blocked[0]}` stays a stdlib logger",
                    "logger-stays-stdlib",
                )
            return
        target, defined_at = self._target_logger(targets if not blocked else [t for t in targets if t[2]])
        plans = self._moved_call_plans(candidates, target, defined_at)
        if any(p.replacement is not None for p in plans) and target not in self.names_in_module:
            self.edits.new_logger = target
            self.edits.imports_structlog = True
            import_time = [
                p.call for p in plans if p.replacement is not None and not self.metadata.inside_function(p.call)
            ]
            self.edits.new_logger_index = logger_index(self.tree, [self._top_level_index(c) for c in import_time])
        self._accept(plans)
        if any(owner == "logging" for _c, _m, owner in candidates):
            self.edits.removes_logging = True
        if any(owner == "current_app.logger" for _c, _m, owner in candidates):
            self.edits.removes_current_app = True

    def _moved_call_plans(self, candidates: list[Candidate], target: str, defined_at: cst.CSTNode | None) -> list[Plan]:
        """A plan per call that moves onto ``target``; a call where ``target`` means something else is skipped."""
        plans: list[Plan] = []
        for call, method, owner in candidates:
            if target in self.names_in_module and not self._resolves_to_module_level(call, target, defined_at):
                self.codemod.add_skip(
                    call, f"`{owner}` call left alone: `{target}` is not the module's logger here", "shadowed-logger"
                )
                continue
            plan = self.planner.plan_call(call, method, cst.Name(target), moved=True)
            if plan.skip is not None:
                plan.replacement = None
                plan.skip = Refused(f"`{owner}` call left alone: {plan.skip.reason}", plan.skip.kind)
            plans.append(plan)
        return plans

    def _moved_call_candidates(self) -> list[Candidate]:
        """`logging.info(...)`, `current_app.logger.info(...)` and `app.logger.info(...)` calls."""
        candidates: list[Candidate] = []
        for call in self.calls_in_module:
            func = call.func
            if not isinstance(func, cst.Attribute) or not is_log_method(func.attr.value):
                continue
            method = func.attr.value
            if self.metadata.qualified(func) == {f"logging.{method}"}:
                candidates.append((call, method, "logging"))
            elif isinstance(func.value, cst.Attribute) and func.value.attr.value == "logger":
                owner = func.value.value
                if self.metadata.qualified(owner) & CURRENT_APP_NAMES or self.metadata.is_flask_app(owner):
                    candidates.append((call, method, code_of(func.value)))
        return candidates

    def _top_level_index(self, node: cst.CSTNode) -> int:
        """The index in the module's body of the statement ``node`` is part of."""
        current = node
        parent = self.metadata.parent(current)
        while not isinstance(parent, cst.Module):
            current, parent = parent, self.metadata.parent(parent)
        return next(i for i, statement in enumerate(self.tree.body) if statement is current)

    def _target_logger(self, targets: list[Target]) -> tuple[str, cst.CSTNode | None]:
        """The module's `get_logger(__name__)`, else its other logger; a new one when it has none."""
        for name, statement, by_module_name in targets:
            if by_module_name:
                return name, statement
        if targets:
            return targets[0][0], targets[0][1]
        for candidate in LOGGER_NAME_CANDIDATES:
            if candidate not in self.names_in_module:
                return candidate, None
        number = 2
        while f"logger_{number}" in self.names_in_module:
            number += 1
        return f"logger_{number}", None

    def _resolves_to_module_level(self, call: cst.Call, name: str, defined_at: cst.CSTNode | None) -> bool:
        scope = self.metadata.scope(call)
        if scope is None:
            return False
        if any(a.scope is not self.global_scope for a in scope[name]):
            return False
        if defined_at is not None and not self.metadata.inside_function(call):
            # Runs at import time: the logger must already exist.
            return self.codemod.line_of(call) > self.codemod.line_of(defined_at)
        return True
