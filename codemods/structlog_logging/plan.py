"""What becomes of one stdlib log call: its structlog replacement, or why it keeps its form.

``CallPlanner.plan_call`` checks the call (opt-out, `*args`, comments, keywords), reads
its message, and builds the event and its keys. A call on the module's own logger that
cannot become an event keeps its form on the structlog logger; when structlog would fail
on that form, the whole logger stays a stdlib logger (a :class:`Refused` raised to the
module planner). A call that would move onto the module's logger is simply left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst
import libcst.matchers as m

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.edits import Replacement, Rewrite
from flaskmod.codemods.core.metadata import Metadata
from flaskmod.codemods.core.refusal import IGNORED_KIND, IGNORED_REASON, Refused
from flaskmod.codemods.core.syntax import code_of
from flaskmod.codemods.structlog_logging.arguments import EventKeys, keyword_arg, laid_out
from flaskmod.codemods.structlog_logging.message import Field, Message, label_hints, string_value
from flaskmod.codemods.structlog_logging.naming import (
    KeyNamer,
    event_text,
    humanize,
    snake_event,
    string_literal,
    tidy_event,
)
from flaskmod.codemods.structlog_logging.reader import MessageReader
from flaskmod.codemods.structlog_logging.templates import percent_parts
from flaskmod.codemods.structlog_logging.vocabulary import (
    EXCEPTION_NAMES,
    KEPT_KEYWORDS,
    LEVEL_CONSTANTS,
    LEVEL_NUMBERS,
    METHOD_RENAMES,
)


@dataclass
class Plan:
    """What becomes of one log call."""

    call: cst.Call
    replacement: cst.Call | None = None
    skip: Refused | None = None
    findings: list[str] = field(default_factory=list)


@dataclass
class ModuleEdits:
    """What becomes of one module: the nodes replaced, and the structlog logger to create, if any."""

    # Original node -> what replaces it (recorded as the codemod's edits once the rewrite is permitted).
    replacements: dict[cst.CSTNode, Replacement | Rewrite] = field(default_factory=dict)
    new_logger: str | None = None  # the name of `structlog.get_logger(__name__)` added after the imports
    new_logger_index: int = 0  # where it goes in the module's body
    removes_logging: bool = False  # some use of the `logging` module goes: its imports may go too
    removes_current_app: bool = False  # some `current_app.logger` call goes: `current_app` may be unused now
    imports_structlog: bool = False  # a logger becomes or is made a structlog logger: `import structlog` is needed
    calls_on_structlog: int = 0


@dataclass
class _Arguments:
    """A log call's arguments, sorted: the message, the other positional ones, the keywords."""

    message: cst.Arg | None
    positional: list[cst.Arg]
    keywords: list[cst.Arg]

    @classmethod
    def of(cls, args: Sequence[cst.Arg]) -> _Arguments:
        positional = [a for a in args if a.keyword is None]
        keywords = [a for a in args if a.keyword is not None]
        message = positional[0] if positional else next((a for a in keywords if a.keyword.value == "msg"), None)
        return cls(message, positional, [a for a in keywords if a is not message])


class CallPlanner:
    """Plans the calls of one module; ``style`` is the `event-style` option."""

    def __init__(self, codemod: Codemod, metadata: Metadata, style: str) -> None:
        self.codemod = codemod
        self.metadata = metadata
        self.style = style
        self.reader = MessageReader(metadata.qualified)
        self.namer = KeyNamer(metadata.qualified)

    def plan_call(self, call: cst.Call, method: str, target: cst.BaseExpression, *, moved: bool) -> Plan:
        """The structlog call for one stdlib log call (raises Refused only for the module's own logger)."""
        plan = Plan(call)
        try:
            new_method, args = self._method_and_args(call, method)
        except Refused as refused:
            if moved:
                return Plan(call, skip=refused)
            raise Refused(f"{refused.reason} (line {self.codemod.line_of(call)})", refused.kind) from None
        func = cst.Attribute(value=target, attr=cst.Name(new_method))
        keep = call.with_changes(func=func, args=args) if args != list(call.args) else call.with_changes(func=func)
        if self.codemod.is_ignored(call):
            return self._keep_form(plan, call, call, Refused(IGNORED_REASON, IGNORED_KIND), moved)
        arguments = _Arguments.of(args)
        refusal = _shape_refusal(call, args, arguments)
        if refusal is not None:
            return self._keep_form(plan, call, keep, refusal, moved)
        assert arguments.message is not None
        try:
            message = self.reader.read(arguments.message.value, [a.value for a in arguments.positional[1:]])
            if message is not None:
                label_hints(message)
        except Refused as refused:
            return self._keep_form(plan, call, keep, refused, moved)
        keys = EventKeys(self.metadata, self.namer, plan.findings)
        origin = {id(a): i for i, a in enumerate(call.args)}
        # Each new argument with the old one it comes from, for the layout.
        try:
            new_args = self._event_args(call, arguments.message, message, keys, plan, new_method)
        except Refused as refused:
            return self._keep_form(Plan(call), call, keep, refused, moved)
        value = _only_value(message) if message is not None else None
        named_by_function = value is not None and (
            self._is_exception(value, call) or self._enclosing_function(call) is not None
        )
        if named_by_function and message is not None:
            # Only a value (`e`, `log_data`, `resp.text`): a searchable event, the value as its key.
            new_args[0] = (cst.Arg(self._function_event(call, new_method, new_args, message.quote)), new_args[0][1])
        elif value is not None:
            # Only a value outside any function: no event to name it after; it stays the positional event.
            new_args = [(a, origin[id(a)]) for a in arguments.positional]
        new_args += self._keyword_args(arguments.keywords, keys, origin, plan)
        plan.replacement = call.with_changes(func=func, args=laid_out(new_args, call.args))
        return plan

    def _method_and_args(self, call: cst.Call, method: str) -> tuple[str, list[cst.Arg]]:
        """The structlog method and its arguments: `log(logging.INFO, ...)` is `info(...)`."""
        args = list(call.args)
        if method != "log":
            return METHOD_RENAMES.get(method, method), args
        level = args[0] if args and args[0].keyword is None and not args[0].star else None
        name = self._level_method(level.value) if level is not None else None
        if name is None:
            raise Refused(
                "`log()` with a level that is not a constant: structlog's `log()` accepts only the standard levels",
                "log-level",
            )
        return name, args[1:]

    def _level_method(self, node: cst.BaseExpression) -> str | None:
        if isinstance(node, cst.Integer):
            return LEVEL_NUMBERS.get(int(node.value))
        names = self.metadata.qualified(node)
        if len(names) == 1:
            return LEVEL_CONSTANTS.get(next(iter(names)))
        return None

    def _event_args(
        self,
        call: cst.Call,
        message_arg: cst.Arg,
        message: Message | None,
        keys: EventKeys,
        plan: Plan,
        method: str,
    ) -> list[tuple[cst.Arg, int]]:
        """The event, then the keys of the values the message interpolated."""
        origin = {id(a): i for i, a in enumerate(call.args)}
        if message is None:  # a plain literal: kept as the event
            literal = message_arg.value
            if self.style == "snake":
                text, quote = string_value(literal) or ("", '"')
                if snake_event(text):
                    literal = cst.SimpleString(string_literal(snake_event(text), quote))
            return [(cst.Arg(literal), origin[id(message_arg)])]
        plan.findings += message.findings
        kwargs: list[tuple[cst.Arg, int]] = []
        # In the order Python evaluated them in the old message.
        fields = sorted((p for p in message.parts if isinstance(p, Field)), key=lambda p: self.metadata.start(p.value))
        traced = self._traced_exception(call, method)
        for part in fields:
            if traced is not None and _is_exception(part.value, traced, self.metadata):
                continue  # its traceback is logged: the exception as a key too would log it twice (TRY401)
            source = self._origin(part.value, call.args)
            kwargs += [(arg, source) for arg in keys.field_args(part)]
        if self.style == "snake":
            event = snake_event(tidy_event(message.parts))
        else:
            event = event_text(message.parts, keys.field_keys)
        wordless = not re.search(r"[A-Za-z]", tidy_event(message.parts)) and _only_value(message) is None
        in_function = self._enclosing_function(call) is not None
        # `"{}, {}".format(a, b)` has no words to be the event; `"Error: {0}".format(e)` says no more than
        # `logger.error(e)`: both are named after their function, the values as keys.
        if (wordless and in_function) or (
            _GENERIC_EVENT.fullmatch(event) and any(self._is_exception(p.value, call) for p in fields)
        ):
            event_node = self._function_event(call, method, kwargs, message.quote)
            return [(cst.Arg(event_node), origin[id(message_arg)]), *kwargs]
        if wordless:
            # `'{msg}: uid={uid}'` outside a function: an event named after a key would be made up (`"Msg"`).
            raise Refused("the message has no words of its own to be the event", "no-words")
        return [(cst.Arg(cst.SimpleString(string_literal(event, message.quote))), origin[id(message_arg)]), *kwargs]

    def _function_event(
        self, call: cst.Call, method: str, args: list[tuple[cst.Arg, int]], quote: str
    ) -> cst.SimpleString:
        """The event of a message that was only a value (`logger.error(e)`): named after the function it is in.

        `"update_record failed"` at error levels, `"update_record"` otherwise; outside a
        function, the key of the value (`"Error"`).
        """
        function = self._enclosing_function(call)
        if function is not None:
            failed = method in {"error", "exception", "critical"}
            event = f"{function}_failed" if failed and self.style == "snake" else function
            event = f"{event} failed" if failed and self.style != "snake" else event
        else:
            fallback = next((a.keyword.value for a, _ in args if a.keyword), "value")
            event = fallback if self.style == "snake" else humanize(fallback)
        return cst.SimpleString(string_literal(event, quote))

    def _is_exception(self, value: cst.BaseExpression, call: cst.Call) -> bool:
        """`e`, `str(e)` or `repr(e)` for an exception: one an enclosing `except ... as e` caught, or named like one."""
        if isinstance(value, cst.Call) and len(value.args) == 1 and self.metadata.qualified(value.func) & _TO_TEXT:
            value = value.args[0].value
        if not isinstance(value, cst.Name):
            return False
        return value.value in EXCEPTION_NAMES or value.value in self._caught_names(call)

    def _caught_names(self, call: cst.Call) -> set[str]:
        """The names the `except ... as name` clauses around the call bind (in its function)."""
        names: set[str] = set()
        current = self.metadata.parent_or_none(call)
        while current is not None and not isinstance(current, (cst.FunctionDef, cst.Lambda)):
            caught = current.name.name if isinstance(current, cst.ExceptHandler) and current.name else None
            if isinstance(caught, cst.Name):
                names.add(caught.value)
            current = self.metadata.parent_or_none(current)
        return names

    def _traced_exception(self, call: cst.Call, method: str) -> str | None:
        """The name of the exception being handled when the call logs its traceback (`exception`, `exc_info=True`)."""
        traces = method == "exception" or any(
            a.keyword is not None and a.keyword.value == "exc_info" and m.matches(a.value, m.Name("True"))
            for a in call.args
        )
        current = self.metadata.parent_or_none(call)
        while traces and current is not None and not isinstance(current, (cst.FunctionDef, cst.Lambda)):
            if isinstance(current, cst.ExceptHandler):
                name = current.name.name if current.name is not None else None
                return name.value if isinstance(name, cst.Name) else None
            current = self.metadata.parent_or_none(current)
        return None

    def _enclosing_function(self, node: cst.CSTNode) -> str | None:
        """The function the call is in; for a decorator's wrapper (`decorated_function`), the decorator."""
        current = self.metadata.parent_or_none(node)
        name = None
        while current is not None:
            if isinstance(current, cst.FunctionDef):
                name = current.name.value
                if name.strip("_").lower() not in _WRAPPER_NAMES:
                    return name
            current = self.metadata.parent_or_none(current)
        return name

    def _keyword_args(
        self, keywords: list[cst.Arg], keys: EventKeys, origin: dict[int, int], plan: Plan
    ) -> list[tuple[cst.Arg, int]]:
        """`exc_info` and `stack_info` kept, `extra=` unpacked into keys, `stacklevel` dropped."""
        new_args: list[tuple[cst.Arg, int]] = []
        for arg in keywords:
            assert arg.keyword is not None
            name = arg.keyword.value
            if name == "stacklevel":
                plan.findings.append(
                    f"`stacklevel={code_of(arg.value)}` is dropped: structlog honours it only when events render "
                    "through stdlib logging"
                )
            elif name == "extra":
                new_args += [(a, origin[id(arg)]) for a in keys.extra_args(arg.value)]
            else:
                new_args.append((keyword_arg(name, arg.value), origin[id(arg)]))
                keys.taken.add(name)
        return new_args

    def _origin(self, node: cst.CSTNode, args: Sequence[cst.Arg]) -> int:
        """The index of the argument of ``args`` that ``node`` is part of."""
        start = self.metadata.start(node)
        found = 0
        for index, arg in enumerate(args):
            if self.metadata.start(arg) <= start:
                found = index
        return found

    def _keep_form(self, plan: Plan, call: cst.Call, keep: cst.Call, refused: Refused, moved: bool) -> Plan:
        """The call stays as it is (on the structlog logger, for the module's own logger)."""
        if moved:
            return Plan(call, skip=refused)
        problem = _keep_form_problem(keep)
        if problem is not None:
            raise Refused(f"{problem} (line {self.codemod.line_of(call)})", "message-mismatch")
        plan.skip = Refused(f"message kept as it is: {refused.reason}", refused.kind)
        plan.replacement = keep
        return plan


_TO_TEXT = frozenset({"builtins.str", "builtins.repr"})
# What decorators call the function they return; an event named after it says nothing.
_WRAPPER_NAMES = frozenset(
    {"wrapper", "wrapped", "wrap", "inner", "decorated", "decorated_function", "decorator", "wrapped_f"}
)
# An event that says only that something went wrong.
_GENERIC_EVENT = re.compile(r"(?i)(?:an? )?(?:error|err|exception|failed|failure|fail|problem|oops)[.!:]*")


def _is_exception(value: cst.BaseExpression, name: str, metadata: Metadata) -> bool:
    """`e`, `str(e)` or `repr(e)` for the exception `e` being handled."""
    if isinstance(value, cst.Call) and len(value.args) == 1 and metadata.qualified(value.func) & _TO_TEXT:
        value = value.args[0].value
    return isinstance(value, cst.Name) and value.value == name


def _only_value(message: Message) -> cst.BaseExpression | None:
    """The one value a message with no words was: `logger.error(e)`, `logger.info(msg)`, `f"{msg}"`; else None."""
    shown = [p for p in message.parts if isinstance(p, Field) and p.placeholder]
    if len(shown) == 1 and all(not p.strip() for p in message.parts if isinstance(p, str)):
        return shown[0].value
    return None


def _shape_refusal(call: cst.Call, args: list[cst.Arg], arguments: _Arguments) -> Refused | None:
    """Why the call cannot become an event before its message is even read; None when it may."""
    if any(arg.star for arg in args):
        return Refused("`*args` or `**kwargs` are passed on as they are", "star-args")
    if m.findall(call, m.Comment()):
        return Refused("a comment inside the call would be lost", "comment")
    if arguments.message is None:
        return Refused("the call has no message", "no-message")
    allowed = {*KEPT_KEYWORDS, "extra", "stacklevel"}
    unknown = [a.keyword.value for a in arguments.keywords if a.keyword and a.keyword.value not in allowed]
    if unknown:
        return Refused(f"unknown keyword `{unknown[0]}`", "unknown-keyword")
    return None


def _keep_form_problem(call: cst.Call) -> str | None:
    """Why structlog would fail on this call when stdlib logging did not."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if len(positional) < 2 or any(a.star for a in call.args):
        return None
    text = string_value(positional[0].value)
    if text is None:
        return None  # structlog `%`-formats positional arguments the way stdlib logging does
    try:
        message = percent_parts(text[0], text[1], [a.value for a in positional[1:]])
    except Refused:
        return None
    if message.findings:
        return "its message does not match its arguments, which structlog would raise on"
    return None
