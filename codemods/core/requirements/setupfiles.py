"""setuptools' ``setup.cfg`` (``[options] install_requires``) and ``setup.py`` (``install_requires=[...]``).

``setup.py`` is parsed with ``ast``, never run: only a literal list (or tuple) of
strings counts, written in the call or bound once at module level to the name the
call passes. ``install_requires = file: requirements.txt`` in ``setup.cfg`` hands the
declaration to that file.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from flaskmod.codemods.core.requirements.listedit import Item, insert_in_brackets, insert_in_lines, insert_line_after
from flaskmod.codemods.core.requirements.model import (
    DEVELOPMENT,
    OPTIONAL,
    RUNTIME,
    CannotEdit,
    Declaration,
    line_at,
    normalise,
)
from flaskmod.codemods.core.requirements.specs import parse_requirement

_HEADER = re.compile(r"\[\s*([^\]]+?)\s*\]\s*$")
_KEY = re.compile(r"([^=:\s][^=:]*?)\s*[=:]\s*")


@dataclass
class CfgValue:
    """A ``key = value`` of a section: the key line's span and each value line's span and text."""

    section: str
    key: str
    key_start: int
    key_end: int
    lines: list[tuple[int, int, str]] = field(default_factory=list)


def cfg_values(text: str) -> list[CfgValue]:
    values: list[CfgValue] = []
    section, current, offset = "", None, 0
    for physical in re.findall(r"[^\n]*\n|[^\n]+$", text):
        start, content = offset, physical.rstrip("\r\n")
        offset += len(physical)
        stripped = content.strip()
        if not stripped or stripped[0] in "#;":
            continue
        if content[0] in " \t" and current is not None:
            begin = start + len(content) - len(content.lstrip())
            current.lines.append((begin, start + len(content.rstrip()), stripped))
        elif header := _HEADER.match(content):
            section, current = header.group(1).strip(), None
        elif key := _KEY.match(content):
            current = CfgValue(section, key.group(1).strip().lower(), start, start + len(content))
            values.append(current)
            if content[key.end() :].strip():
                current.lines.append((start + key.end(), start + len(content.rstrip()), content[key.end() :].strip()))
    return values


_CFG_KINDS = {("options", "install_requires"): RUNTIME, ("options", "tests_require"): DEVELOPMENT}


def read_cfg(path: str, text: str, name: str) -> Iterator[Declaration]:
    for value in cfg_values(text):
        kind = OPTIONAL if value.section == "options.extras_require" else _CFG_KINDS.get((value.section, value.key))
        if kind is None or (value.lines and value.lines[0][2].startswith("file:")):
            continue
        for start, _end, requirement in value.lines:
            parsed = parse_requirement(requirement)
            if parsed is not None and parsed.name == name:
                line = line_at(text, start)
                yield Declaration(path, line, name, parsed.specifier, kind, requirement, parsed.extras, parsed.marker)


def install_requires(text: str) -> CfgValue | None:
    return next((v for v in cfg_values(text) if (v.section, v.key) == ("options", "install_requires")), None)


def cfg_dependency_files(text: str) -> list[str]:
    """The files ``install_requires = file: ...`` names."""
    value = install_requires(text)
    if value is None or not value.lines or not value.lines[0][2].startswith("file:"):
        return []
    return " ".join(line[2] for line in value.lines)[len("file:") :].replace(",", " ").split()


def add_to_cfg(text: str, name: str, requirement: str) -> str:
    value = install_requires(text)
    if value is None:
        raise CannotEdit("[options] has no install_requires")
    if not value.lines:
        return insert_line_after(text, value.key_start, "    " + requirement)
    continuation = [line for line in value.lines if line[0] > value.key_end]
    indent = _indent(text, continuation[0][0]) if continuation else "    "
    items = [Item(start, end, _name(requirement_text)) for start, end, requirement_text in value.lines]
    if len(continuation) < len(items):  # the first value sits on the key line: nothing goes before it
        return insert_line_after(text, items[-1].end, indent + requirement)
    return insert_in_lines(text, items, name, indent + requirement)


def _indent(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    return text[start:offset]


def _name(requirement: str) -> str:
    parsed = parse_requirement(requirement)
    return parsed.name if parsed else normalise(requirement)


# -- setup.py -----------------------------------------------------------------------------------


_PY_KINDS = {"install_requires": RUNTIME, "tests_require": DEVELOPMENT}


def _setup_keywords(tree: ast.Module) -> Iterator[ast.keyword]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if called == "setup":
                yield from node.keywords


def _literal(tree: ast.Module, node: ast.expr) -> ast.List | ast.Tuple | None:
    """The list literal ``node`` is, or the one a module-level name is bound to once."""
    if isinstance(node, ast.Name):
        bound = [
            statement.value
            for statement in tree.body
            if isinstance(statement, ast.Assign)
            and any(isinstance(target, ast.Name) and target.id == node.id for target in statement.targets)
        ]
        node = bound[0] if len(bound) == 1 else node
    return node if isinstance(node, ast.List | ast.Tuple) else None


def _lists(tree: ast.Module) -> Iterator[tuple[str, ast.List | ast.Tuple]]:
    for keyword in _setup_keywords(tree):
        literal = _literal(tree, keyword.value) if keyword.arg in _PY_KINDS else None
        if literal is not None:
            yield _PY_KINDS[keyword.arg or ""], literal
        if keyword.arg == "extras_require" and isinstance(keyword.value, ast.Dict):
            for extra in keyword.value.values:
                if (literal := _literal(tree, extra)) is not None:
                    yield OPTIONAL, literal


def read_py(path: str, text: str, name: str) -> Iterator[Declaration]:
    tree = _parse(text)
    if tree is None:
        return
    for kind, literal in _lists(tree):
        for element in literal.elts:
            if isinstance(element, ast.Constant) and isinstance(element.value, str):
                parsed = parse_requirement(element.value)
                if parsed is not None and parsed.name == name:
                    spec, extras, marker = parsed.specifier, parsed.extras, parsed.marker
                    yield Declaration(path, element.lineno, name, spec, kind, element.value, extras, marker)


def declares_literally(text: str) -> bool:
    """Whether ``setup()`` gets ``install_requires`` as a literal list (what :func:`add_to_py` can edit)."""
    tree = _parse(text)
    return tree is not None and any(kind == RUNTIME for kind, _literal in _lists(tree))


def add_to_py(text: str, name: str, requirement: str) -> str:
    tree = _parse(text)
    runtime = [literal for kind, literal in _lists(tree) if kind == RUNTIME] if tree is not None else []
    if not runtime:
        raise CannotEdit("setup() gets no literal install_requires list")
    literal = runtime[0]
    offsets = _Offsets(text)
    elements = [e for e in literal.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    if len(elements) != len(literal.elts):
        raise CannotEdit("install_requires holds more than string literals")
    opening, closing = offsets.start(literal), offsets.end(literal) - 1
    if text[opening] not in "([":
        raise CannotEdit("install_requires is a tuple without parentheses")
    items = [Item(offsets.start(e), offsets.end(e), _name(str(e.value))) for e in elements]
    quote = next((c for c in text[items[0].start : items[0].end] if c in "\"'"), '"') if items else '"'
    return insert_in_brackets(text, opening, closing, items, name, quote + requirement + quote)


def _parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


class _Offsets:
    """Text offsets of ast positions (their columns count UTF-8 bytes)."""

    def __init__(self, text: str) -> None:
        self.lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def _offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + len(self.lines[line - 1].encode()[:column].decode())

    def start(self, node: ast.expr) -> int:
        return self._offset(node.lineno, node.col_offset)

    def end(self, node: ast.expr) -> int:
        return self._offset(node.end_lineno or node.lineno, node.end_col_offset or 0)
