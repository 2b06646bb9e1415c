"""Writing the change: the service's code, the call that replaces the run (as edits), the services module's text."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst

from flaskmod.codemods.core.base import Codemod
from flaskmod.codemods.core.edits import Edit, Edits
from flaskmod.codemods.core.syntax import walk
from flaskmod.codemods.core.wrapping import bracketed
from flaskmod.codemods.extract_services.modules import ImportOf
from flaskmod.codemods.extract_services.movers import MovedHelper
from flaskmod.codemods.extract_services.records import RECORD_IMPORTS, Record
from flaskmod.codemods.extract_services.runs import Run


@dataclass
class Service:
    """A planned service: its name and code, the call replacing the run, and what goes with it."""

    name: str
    code: str
    call: cst.BaseStatement
    run: Run
    imports: list[ImportOf]
    helpers: list[MovedHelper] = field(default_factory=list)
    loggers: list[str] = field(default_factory=list)  # logger definitions copied to the services module
    record: Record | None = None  # what it returns, when more than `max-returns` values
    # Another view's service with the same code: this run calls it, and nothing is written twice.
    reused: bool = False
    # The other views whose runs call this service.
    also_from: list[str] = field(default_factory=list)

    def also_extracted_from(self, view: str, line_length: int) -> None:
        """Name ``view`` in the docstring as well: it calls this service too."""
        self.also_from.append(view)
        match = _DOCSTRING.search(self.code)
        first = re.search(r"`([^`]+)`", match.group(1)) if match is not None else None
        assert match is not None and first is not None
        views = [first.group(1), *self.also_from]
        listed = ", ".join(f"`{v}`" for v in views[:-1]) + f" and `{views[-1]}`"
        docstring = f'"""Extracted from the {listed} views."""'
        indent = len(self.code[: match.start()].rsplit("\n", 1)[-1])
        if indent + len(docstring) > line_length:
            others = "one other" if len(views) == 2 else f"{len(views) - 1} others"
            docstring = f'"""Extracted from the `{views[0]}` view and {others}."""'
        self.code = self.code[: match.start()] + docstring + self.code[match.end() :]


# The docstring every service starts with; the first backquoted name is the view it was written for.
_DOCSTRING = re.compile(r'"""Extracted from the (.*?)\."""')


def same_code(code: str, other: str) -> bool:
    """Do two services' codes differ only in the views their docstrings name?"""
    return _DOCSTRING.sub("", code) == _DOCSTRING.sub("", other)


@dataclass(frozen=True)
class Hoisting:
    """Request reads passed in as plain values: by expression and by code, their parameter names."""

    names: dict[cst.CSTNode, str]  # the expression (an original node) -> parameter
    by_code: dict[str, str]  # the expression's code -> parameter


def replace_run(codemod: Codemod, run: Run, call: cst.BaseStatement, record: Record | None = None) -> None:
    """Record the edits that put ``call`` in place of the run's statements; the view reads a record's fields."""
    statements = run.statements
    if record is None or not record.unpacked:
        codemod.replace(statements[0], call)
    else:
        codemod.replace(statements[0], cst.FlattenSentinel([call, *record.unpacking()]))
    for statement in statements[1:]:
        codemod.replace(statement, cst.RemoveFromParent())
    for read in record.reads if record is not None else ():
        codemod.replace(read, cst.Attribute(cst.Name(record.local), cst.Name(read.value)))


def _hoisted(statements: Sequence[cst.BaseStatement], hoisted: Mapping[cst.CSTNode, str]) -> list[cst.BaseStatement]:
    """The statements with each hoisted request read replaced by its parameter."""
    edits = Edits()
    for expression, parameter in hoisted.items():
        edits.add(Edit(expression, cst.Name(parameter)))
    return list(edits.apply(cst.IndentedBlock(body=statements)).body)


def service_code(
    tree: cst.Module,
    view: str,
    name: str,
    params: list[str],
    returned: str,
    statements: Sequence[cst.BaseStatement],
    hoisted: Mapping[cst.CSTNode, str],
    is_async: bool,
    line_length: int,
) -> str:
    """The service function: a docstring, the run with request reads hoisted, ``return <returned>``.

    Its parameters are wrapped as the formatter would past the project's ``line_length``.
    """
    body = _hoisted(statements, hoisted)
    body[0] = body[0].with_changes(leading_lines=[])
    doc = cst.parse_statement(f'"""Extracted from the `{view}` view."""\n')
    body.insert(0, doc)
    if returned:
        body.append(cst.parse_statement(f"return {returned}\n"))
    awaits = any(isinstance(n, cst.Await) for s in statements for n in walk(s))
    keyword = "async " if is_async and awaits else ""
    signature = bracketed(f"{keyword}def {name}(", params, "):", line_length=line_length)
    header = cst.parse_statement(f"{signature}\n    pass\n")
    assert isinstance(header, cst.FunctionDef)
    function = header.with_changes(body=cst.IndentedBlock(body=body))
    return tree.code_for_node(function)


def call_statement(
    tree: cst.Module,
    name: str,
    params: list[str],
    returns: list[str],
    first: cst.BaseStatement,
    by_code: Mapping[str, str],
    awaits: bool,
) -> cst.BaseStatement:
    """The statement that replaces the run: the call, request reads as arguments, results unpacked."""
    by_param = {param: code for code, param in by_code.items()}
    args = ", ".join(by_param.get(p, p) for p in params)
    call = f"{'await ' if awaits else ''}{name}({args})"
    if len(returns) == 1:
        call = f"{returns[0]} = {call}"
    elif returns:
        call = f"{', '.join(returns)} = {call}"
    statement = cst.parse_statement(call + tree.default_newline, config=tree.config_for_parsing)
    return statement.with_changes(leading_lines=first.leading_lines)


def services_imports(services: Sequence[Service]) -> tuple[list[tuple[str, str | None]], list[str]]:
    """(the (module, name) imports the services module needs, the aliased import lines it gets verbatim)."""
    imports: list[tuple[str, str | None]] = []
    aliased: list[str] = []
    for service in services:
        for imported in [*service.imports, *(RECORD_IMPORTS if service.record else ())]:
            module = "." * imported.level + imported.module
            if imported.asname is not None:
                line = _aliased_line(imported, module)
                if line not in aliased:
                    aliased.append(line)
            elif imported.module or imported.level:
                pair = (module, imported.name)
                if pair not in imports:
                    imports.append(pair)
            elif (imported.name, None) not in imports:
                imports.append((imported.name, None))
    return imports, aliased


def _aliased_line(imported: ImportOf, module: str) -> str:
    if imported.module or imported.level:
        return f"from {module} import {imported.name} as {imported.asname}"
    return f"import {imported.name} as {imported.asname}"


def services_text(services: Sequence[Service], aliased: list[str], target_text: str) -> str:
    """What the services module gets appended: aliased imports, copied loggers, moved helpers, services."""
    blocks = ["\n".join(aliased)] if aliased else []
    loggers = [d for d in dict.fromkeys(d for s in services for d in s.loggers) if d not in target_text]
    if loggers:
        blocks.append("\n".join(loggers))
    for service in services:
        if service.reused:
            continue
        blocks += [h.code.strip("\n") for h in service.helpers]
        if service.record is not None:
            blocks.append(service.record.code(service.name).strip("\n"))
        blocks.append(service.code.strip("\n"))
    return "\n\n\n".join(blocks) + "\n"
