"""Cheap import edits: add needed imports, remove imports nothing uses any more.

They do what LibCST's ``AddImportsVisitor`` and ``RemoveImportsVisitor`` do (which
imports are needed, merging, comment handling are mirrored here; new imports are placed
as isort places them, see ``import_order``), without their cost: LibCST's helpers walk
the whole module several times and the remover runs its scope analysis on the changed
tree, together some 35 parses' worth of work per file. Here adding looks at the module's
top-level statements only, and removing walks the tree once to collect the names it
still uses.

The module context is unknown (as in every flaskmod run: no package name), so a
relative import is matched against an existing one by its spelling only: a new
`from .services import b` joins the file's `from .services import a` (the same dots and
module in the same file name the same module), where LibCST's helper, without a package
name, would add a second statement (ruff's I001).

Removing is conservative where it differs from LibCST's scope analysis: an import is
kept while any ``Name`` with its local name is left anywhere in the module (even one a
local variable shadows), while ``__all__`` lists it, or while a string annotation or
``TypeVar`` argument spells it. Attribute names (``x.logging``) and keyword argument
names (``f(logging=1)``) are not uses, as in LibCST.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.helpers import get_full_name_for_node

from flaskmod.codemods.core.import_order import merge_names, place
from flaskmod.codemods.core.syntax import child_blocks

# A new from-import longer than this is written one name a line (black's and ruff's default length).
WRAP_AT = 88

# Imports from these modules are never removed (LibCST's default as well).
NEVER_REMOVED_MODULES: frozenset[str] = frozenset({"__future__"})

# Calls whose string arguments are type expressions (``TypeVar("T", bound="Model")``).
STRING_ANNOTATION_FUNCTIONS: frozenset[str] = frozenset({"TypeVar"})

_IDENTIFIER_CHAIN = re.compile(r"[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*")


@dataclass(frozen=True)
class NeededImport:
    """``from module import name as asname``; ``name=None`` means ``import module``.

    A module spelled with leading dots is relative (``.services``).
    """

    module: str
    name: str | None = None
    asname: str | None = None

    @classmethod
    def of(cls, module: str, name: str | None = None, asname: str | None = None, relative: int = 0) -> NeededImport:
        dots = relative + len(module) - len(module.lstrip("."))
        bare = module.lstrip(".")
        if dots and name is None:
            # `import ..a` is spelled `from .. import a`.
            return cls("." * dots, bare, asname)
        return cls("." * dots + bare, name, asname)


@dataclass(frozen=True)
class UnusedImport:
    """An import to remove when nothing uses it: ``(module, name, asname)`` as LibCST's helper takes them."""

    module: str
    name: str | None = None
    asname: str | None = None


# -- adding ---------------------------------------------------------------------


def _absolute_module(node: cst.ImportFrom) -> str | None:
    """The module an ``ImportFrom`` imports from; None for a relative one (no package known)."""
    if node.relative:
        return None
    return get_full_name_for_node(node.module) if node.module is not None else None


def _relative_module(node: cst.ImportFrom) -> str | None:
    """A relative import's module as spelled (``..models``): removal matches it in the same file only."""
    if not node.relative:
        return None
    module = get_full_name_for_node(node.module) if node.module is not None else ""
    return "." * len(node.relative) + (module or "")


def _is_docstring_or_strict(statement: cst.BaseStatement) -> bool:
    """Is this first statement a docstring or a ``__strict__`` flag, which imports never go above?"""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    if isinstance(small, cst.Expr):
        return isinstance(small.value, cst.SimpleString)
    return (
        isinstance(small, cst.Assign)
        and len(small.targets) == 1
        and isinstance(small.targets[0].target, cst.Name)
        and small.targets[0].target.value == "__strict__"
    )


def single_import(statement: cst.BaseStatement) -> cst.Import | cst.ImportFrom | None:
    """The import of a line that holds exactly one import statement."""
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, (cst.Import, cst.ImportFrom)):
            return small
    return None


def _top_import_block(module: cst.Module) -> tuple[int, int]:
    """Where the leading import block starts and ends (after a docstring or ``__strict__`` flag)."""
    start = 1 if module.body and _is_docstring_or_strict(module.body[0]) else 0
    end = start
    while end < len(module.body) and single_import(module.body[end]) is not None:
        end += 1
    return start, end


@dataclass
class _PresentImports:
    """What the leading import block imports, as LibCST's import gatherer records it."""

    module_imports: set[str]
    module_aliases: dict[str, str]
    alias_mapping: dict[str, list[tuple[str, str]]]
    object_mapping: dict[str, set[str]]


def _gather(block: Sequence[cst.Import | cst.ImportFrom | None]) -> _PresentImports:
    present = _PresentImports(set(), {}, {}, {})
    for existing in block:
        if isinstance(existing, cst.Import):
            for alias in existing.names:
                name, asname = alias.evaluated_name, alias.evaluated_alias
                if asname is None:
                    present.module_imports.add(name)
                else:
                    present.module_aliases[name] = asname
        elif isinstance(existing, cst.ImportFrom):
            source = _absolute_module(existing) or _relative_module(existing)
            if source is None:
                continue
            if isinstance(existing.names, cst.ImportStar):
                present.object_mapping[source] = {"*"}
                continue
            aliased = [(a.evaluated_name, a.evaluated_alias) for a in existing.names if a.asname is not None]
            if aliased:
                present.alias_mapping.setdefault(source, []).extend(aliased)  # type: ignore[arg-type]
            plain = {a.evaluated_name for a in existing.names if a.asname is None}
            if plain:
                known = present.object_mapping.setdefault(source, set())
                if "*" not in known:
                    known.update(plain)
    return present


@dataclass
class _WantedImports:
    """The needed imports not yet made available, grouped as LibCST's ``AddImportsVisitor`` groups them.

    ``import a`` (``module_imports``), ``import a as b`` (``module_aliases``), ``from a
    import x`` (``module_mapping``) and ``from a import x as y`` (``alias_mapping``).
    """

    module_imports: set[str]
    module_aliases: dict[str, str]
    module_mapping: dict[str, set[str]]
    alias_mapping: dict[str, list[tuple[str, str]]]

    @classmethod
    def of(cls, needed: Iterable[NeededImport]) -> _WantedImports:
        module_imports: set[str] = set()
        module_aliases: dict[str, str] = {}
        names: dict[str, set[str]] = {}
        aliased_names: dict[str, list[tuple[str, str]]] = {}
        for i in needed:
            if i.name is None:
                if i.asname is None:
                    module_imports.add(i.module)
                else:
                    module_aliases[i.module] = i.asname
            elif i.asname is None:
                names.setdefault(i.module, set()).add(i.name)
            else:
                aliased_names.setdefault(i.module, []).append((i.name, i.asname))
        # By module name, as LibCST keeps them.
        return cls(module_imports, module_aliases, dict(sorted(names.items())), dict(sorted(aliased_names.items())))

    def __bool__(self) -> bool:
        return bool(self.module_imports or self.module_mapping or self.module_aliases or self.alias_mapping)

    def drop_present(self, present: _PresentImports) -> None:
        """Forget what the leading import block already imports."""
        self.module_imports -= present.module_imports
        for source, asname in present.module_aliases.items():
            if self.module_aliases.get(source) == asname:
                del self.module_aliases[source]
        for source, pairs in present.alias_mapping.items():
            for pair in pairs:
                if pair in self.alias_mapping.get(source, ()):
                    self.alias_mapping[source].remove(pair)
                    if not self.alias_mapping[source]:
                        del self.alias_mapping[source]
        for source, names in present.object_mapping.items():
            if source not in self.module_mapping:
                continue
            if "*" in names:
                del self.module_mapping[source]
            else:
                self.module_mapping[source] -= names
                if not self.module_mapping[source]:
                    del self.module_mapping[source]

    def take_names_from(self, source: str) -> list[cst.ImportAlias]:
        """The wanted names from ``source``, plain then aliased, each sorted; they are no longer wanted."""
        plain = sorted(self.module_mapping.pop(source, ()))
        aliased = sorted(self.alias_mapping.pop(source, ()))
        return [
            *(cst.ImportAlias(name=cst.Name(name)) for name in plain),
            *(
                cst.ImportAlias(name=cst.Name(name), asname=cst.AsName(name=cst.Name(asname)))
                for name, asname in aliased
            ),
        ]

    def from_imports(self) -> dict[str, list[tuple[str, str | None]]]:
        """Every wanted ``from`` import, by module (aliased modules first), its names in LibCST's order."""
        from_imports: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
        for source, pairs in self.alias_mapping.items():
            from_imports[source].extend(pairs)
        for source, names in self.module_mapping.items():
            from_imports[source].extend((name, None) for name in names)
        return {source: sorted(pairs, key=_alias_order) for source, pairs in from_imports.items()}


def add_imports(
    module: cst.Module, needed: Iterable[NeededImport], first_party: frozenset[str] = frozenset()
) -> cst.Module:
    """Make every needed import available, placed as isort would (``import_order``).

    Names already imported in the leading import block are not added again; names
    from a module the block already imports from join that statement; the rest become
    new statements in the block's section of their kind. ``first_party``: the
    project's own top-level module names.
    """
    needed = list(needed)
    if not needed:
        return module
    wanted = _WantedImports.of(needed)
    start, end = _top_import_block(module)
    block = [single_import(statement) for statement in module.body[start:end]]
    wanted.drop_present(_gather(block))
    body = _merge_into_block(module.body, start, block, wanted)
    if not wanted:
        return module.with_changes(body=body)
    before, block_statements, after = body[:start], body[start:end], _set_apart(body[end:])
    from_statements = _from_statements(wanted.from_imports(), module.config_for_parsing)
    new = [*_module_statements(wanted, module.config_for_parsing), *from_statements.values()]
    return module.with_changes(body=(*before, *place(block_statements, new, first_party), *after))


def _merge_into_block(
    statements: Sequence[cst.BaseStatement],
    start: int,
    block: Sequence[cst.Import | cst.ImportFrom | None],
    wanted: _WantedImports,
) -> list[cst.BaseStatement]:
    """The module's statements, where names from a module the block already imports from join its first statement."""
    body = list(statements)
    for offset, existing in enumerate(block):
        if not isinstance(existing, cst.ImportFrom) or isinstance(existing.names, cst.ImportStar):
            continue
        source = _absolute_module(existing) or _relative_module(existing)
        if source is None or (source not in wanted.module_mapping and source not in wanted.alias_mapping):
            continue
        names = merge_names(existing.names, wanted.take_names_from(source))
        statement = body[start + offset]
        assert isinstance(statement, cst.SimpleStatementLine)
        body[start + offset] = statement.with_changes(body=[existing.with_changes(names=names)])
    return body


def _set_apart(after: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """The statements after the import block, the first one a blank line away from the new imports."""
    if after:
        first = after[0]
        if not first.leading_lines:
            after[0] = first.with_changes(leading_lines=(cst.EmptyLine(),))
        elif first.leading_lines[0].comment is not None:
            after[0] = first.with_changes(leading_lines=(cst.EmptyLine(), *first.leading_lines))
    return after


def _from_statements(
    from_imports: dict[str, list[tuple[str, str | None]]], config: cst.PartialParserConfig
) -> dict[str, cst.BaseStatement]:
    """A new ``from source import ...`` statement per module."""
    statements: dict[str, cst.BaseStatement] = {}
    for source, pairs in from_imports.items():
        spelled = [name if asname is None else f"{name} as {asname}" for name, asname in pairs]
        line = f"from {source} import {', '.join(spelled)}"
        if len(line) > WRAP_AT and len(spelled) > 1:
            # One name a line with a trailing comma, as black, ruff format and isort's black profile write it.
            line = f"from {source} import (\n" + "".join(f"    {name},\n" for name in spelled) + ")"
        statements[source] = cst.parse_statement(line, config=config)
    return statements


def _module_statements(wanted: _WantedImports, config: cst.PartialParserConfig) -> list[cst.BaseStatement]:
    """New ``import a`` statements (sorted), then ``import a as b`` ones."""
    return [
        *(cst.parse_statement(f"import {name}", config=config) for name in sorted(wanted.module_imports)),
        *(
            cst.parse_statement(f"import {name} as {asname}", config=config)
            for name, asname in wanted.module_aliases.items()
        ),
    ]


def _alias_order(pair: tuple[str, str | None]) -> tuple[str, str]:
    # LibCST sorts (name, alias) tuples; a name never comes both with and without an alias here.
    return pair[0], pair[1] or ""


# -- removing -------------------------------------------------------------------


class _NameUses(cst.CSTVisitor):
    """Every name the module may still use: ``Name`` nodes, ``__all__`` entries and names in string annotations.

    A name heading an attribute chain counts as a use of the longest dotted import it
    spells, as in LibCST's scope analysis: after ``import logging.config``, the chain
    ``logging.config.dictConfig`` uses ``logging.config``, not an ``import logging``.
    """

    def __init__(self, dotted_imports: set[str]) -> None:
        super().__init__()
        self.dotted_imports = dotted_imports  # module-level `import a.b` (no alias): "a.b"
        self.names: set[str] = set()
        self.strings: set[str] = set()  # names (and dotted prefixes) from __all__ and string annotations
        self._annotation_depth = 0
        # The outermost attribute chain being visited, per call (a call starts a new chain).
        self._chains: list[cst.Attribute | None] = [None]

    def visit_Name(self, node: cst.Name) -> bool:
        chain = self._chains[-1]
        if chain is not None and self.dotted_imports:
            for dotted in _dotted_names(chain):
                if dotted in self.dotted_imports:
                    self.names.add(dotted)
                    return False
        self.names.add(node.value)
        return False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        # `x.logging` does not use a name `logging`: only the value side is visited.
        if self._chains[-1] is None:
            self._chains[-1] = node
        node.value.visit(self)
        if self._chains[-1] is node:
            self._chains[-1] = None
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        # Neither does the keyword of `f(logging=1)`.
        node.value.visit(self)
        return False

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Annotation(self, node: cst.Annotation) -> bool:
        self._annotation_depth += 1
        return True

    def leave_Annotation(self, original_node: cst.Annotation) -> None:
        self._annotation_depth -= 1

    def visit_Call(self, node: cst.Call) -> bool:
        self._chains.append(None)
        callee = get_full_name_for_node(node.func)
        if callee is not None and callee.rsplit(".", 1)[-1] in STRING_ANNOTATION_FUNCTIONS:
            for arg in node.args:
                self._strings_in(arg.value)
        return True

    def leave_Call(self, original_node: cst.Call) -> None:
        self._chains.pop()

    def visit_SimpleString(self, node: cst.SimpleString) -> bool:
        if self._annotation_depth:
            self._names_in_string(node)
        return False

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> bool:
        if self._annotation_depth:
            self._names_in_string(node)
        return False

    def visit_Assign(self, node: cst.Assign) -> bool:
        if any(_assigns_all(target.target) for target in node.targets):
            self._exported(node.value)
        return True

    def visit_AnnAssign(self, node: cst.AnnAssign) -> bool:
        if node.value is not None and _assigns_all(node.target):
            self._exported(node.value)
        return True

    def visit_AugAssign(self, node: cst.AugAssign) -> bool:
        if _assigns_all(node.target):
            self._exported(node.value)
        return True

    def _exported(self, value: cst.BaseExpression) -> None:
        for string in _strings_below(value):
            evaluated = string.evaluated_value
            if isinstance(evaluated, str):
                self.strings.add(evaluated)

    def _strings_in(self, value: cst.BaseExpression) -> None:
        for string in _strings_below(value):
            self._names_in_string(string)

    def _names_in_string(self, node: cst.SimpleString | cst.ConcatenatedString) -> None:
        # Every identifier chain in the string, and its dotted prefixes: more than a
        # parse of the annotation finds, never less.
        value = node.evaluated_value
        if not isinstance(value, str):
            return
        for match in _IDENTIFIER_CHAIN.finditer(value):
            parts = [part.strip() for part in match.group().split(".")]
            for end in range(1, len(parts) + 1):
                self.strings.add(".".join(parts[:end]))


def _assigns_all(target: cst.BaseExpression) -> bool:
    if isinstance(target, cst.Name):
        return target.value == "__all__"
    if isinstance(target, (cst.Tuple, cst.List)):
        return any(_assigns_all(element.value) for element in target.elements)
    return False


def _strings_below(node: cst.CSTNode) -> list[cst.SimpleString | cst.ConcatenatedString]:
    found: list[cst.SimpleString | cst.ConcatenatedString] = []

    class Strings(cst.CSTVisitor):
        def visit_SimpleString(self, node: cst.SimpleString) -> bool:
            found.append(node)
            return False

        def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> bool:
            found.append(node)
            return False

    node.visit(Strings())
    return found


def _dotted_names(node: cst.BaseExpression) -> Iterator[str]:
    """``a.b.c``, ``a.b``, ``a`` for the chain ``a.b.c`` (through a call: ``a.b().c`` gives ``a.b``, ``a``)."""
    if isinstance(node, cst.Name):
        yield node.value
    elif isinstance(node, cst.Attribute):
        value = node.value
        if isinstance(value, cst.Call):
            if isinstance(value.func, (cst.Attribute, cst.Name)):
                yield from _dotted_names(value.func)
        elif isinstance(value, (cst.Attribute, cst.Name)):
            inner = list(_dotted_names(value))
            if inner:
                yield f"{inner[0]}.{node.attr.value}"
                yield from inner


def _import_bindings(module: cst.Module) -> tuple[set[str], set[str]]:
    """Dotted names bound by ``import a.b`` (no alias): at module level, and inside functions or classes."""
    module_level: set[str] = set()
    nested: set[str] = set()

    def walk(statements: Sequence[cst.CSTNode], into: set[str]) -> None:
        for statement in statements:
            if isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
                for small in statement.body:
                    if isinstance(small, cst.Import):
                        into.update(
                            a.evaluated_name for a in small.names if a.asname is None and "." in a.evaluated_name
                        )
            elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                walk([statement.body], nested)
            elif isinstance(statement, (cst.IndentedBlock, cst.Module)):
                walk(statement.body, into)
            else:
                walk(child_blocks(statement), into)

    walk(module.body, module_level)
    return module_level, nested


def _dotted_prefixes(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:end]) for end in range(len(parts), 0, -1)]


class _ImportRemover(cst.CSTTransformer):
    """Drops the requested, unused aliases from import statements, as LibCST's ``RemoveImportsVisitor`` does."""

    def __init__(self, requests: Sequence[UnusedImport], uses: _NameUses) -> None:
        super().__init__()
        self.unused_module_imports: dict[str, str | None] = {r.module: r.asname for r in requests if r.name is None}
        self.unused_obj_imports: dict[str, set[tuple[str, str | None]]] = {}
        for request in requests:
            if request.name is not None:
                self.unused_obj_imports.setdefault(request.module, set()).add((request.name, request.asname))
        self.uses = uses

    def on_visit(self, node: cst.CSTNode) -> bool:
        # Imports are statements: expressions never need a visit.
        if isinstance(node, cst.SimpleStatementLine):
            return any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in node.body)
        if isinstance(node, (cst.BaseExpression, cst.Decorator, cst.Parameters, cst.Import, cst.ImportFrom)):
            return False
        return super().on_visit(node)

    def _unused(self, alias: cst.ImportAlias) -> bool:
        if alias.asname is not None:
            asname = alias.asname.name
            candidates = [asname.value] if isinstance(asname, cst.Name) else []
        else:
            candidates = _dotted_prefixes(alias.evaluated_name)
        if any(name in self.uses.strings for name in candidates):
            return False
        return not any(name in self.uses.names for name in candidates)

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import | cst.RemovalSentinel:
        names_to_keep = []
        for alias in original_node.names:
            name = alias.evaluated_name
            if (
                name not in self.unused_module_imports
                or alias.evaluated_alias != self.unused_module_imports[name]
                or not self._unused(alias)
            ):
                names_to_keep.append(alias)
        if names_to_keep == list(original_node.names):
            return updated_node
        if not names_to_keep:
            return cst.RemoveFromParent()
        if names_to_keep[-1] is not original_node.names[-1]:
            # Drop the trailing comma the last kept name had.
            names_to_keep[-1] = names_to_keep[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(names=names_to_keep)

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        names = original_node.names
        if isinstance(names, cst.ImportStar):
            return updated_node
        source = _absolute_module(updated_node) or _relative_module(updated_node)
        if source is None or source not in self.unused_obj_imports or source in NEVER_REMOVED_MODULES:
            return updated_node
        to_remove = self.unused_obj_imports[source]
        lpar = updated_node.lpar
        names_to_keep: list[cst.ImportAlias] = []
        for alias in names:
            if (alias.evaluated_name, alias.evaluated_alias) not in to_remove or not self._unused(alias):
                names_to_keep.append(alias)
                continue
            # The alias goes: a comment after its comma moves to the name before it (or the parenthesis).
            comma = alias.comma
            if isinstance(comma, cst.Comma):
                if names_to_keep:
                    previous = names_to_keep[-1]
                    if isinstance(previous.comma, cst.Comma):
                        previous = previous.with_deep_changes(
                            previous.comma,
                            whitespace_after=_merge_whitespace_after(
                                previous.comma.whitespace_after, comma.whitespace_after
                            ),
                        )
                    else:
                        previous = previous.with_changes(comma=comma)
                    names_to_keep[-1] = previous
                elif isinstance(lpar, cst.LeftParen):
                    lpar = lpar.with_changes(
                        whitespace_after=_merge_whitespace_after(lpar.whitespace_after, comma.whitespace_after)
                    )
        if names_to_keep == list(names):
            return updated_node
        if not names_to_keep:
            return cst.RemoveFromParent()
        if names_to_keep[-1] is not names[-1]:
            # The last kept name takes the last name's comma: a one-name-a-line block keeps its
            # trailing comma and its `)` on a line of its own, as the formatter wrote it.
            names_to_keep[-1] = names_to_keep[-1].with_changes(comma=_last_comma(names_to_keep[-1], names[-1]))
        return updated_node.with_changes(names=names_to_keep, lpar=lpar)


def _last_comma(kept: cst.ImportAlias, last: cst.ImportAlias) -> cst.Comma | cst.MaybeSentinel:
    """The comma of the name that now ends the list: the old last one's, with the kept name's comment."""
    comma, own = last.comma, kept.comma
    if not isinstance(comma, cst.Comma):
        return cst.MaybeSentinel.DEFAULT
    after, own_after = comma.whitespace_after, own.whitespace_after if isinstance(own, cst.Comma) else None
    if isinstance(after, cst.ParenthesizedWhitespace) and isinstance(own_after, cst.ParenthesizedWhitespace):
        return comma.with_changes(whitespace_after=own_after.with_changes(last_line=after.last_line))
    return comma


def _merge_whitespace_after(
    left: cst.BaseParenthesizableWhitespace, right: cst.BaseParenthesizableWhitespace
) -> cst.BaseParenthesizableWhitespace:
    """LibCST's rule for keeping the comments of a removed alias."""
    if not isinstance(right, cst.ParenthesizedWhitespace):
        return left
    if not isinstance(left, cst.ParenthesizedWhitespace):
        return right
    return left.with_changes(empty_lines=tuple(line for line in right.empty_lines if line.comment is not None))


def remove_unused_imports(module: cst.Module, requests: Iterable[UnusedImport]) -> cst.Module:
    """Remove each requested import wherever it occurs, when nothing in the module uses it any more."""
    requests = list(requests)
    if not requests:
        return module
    module_level, nested = _import_bindings(module)
    uses = _NameUses(module_level)
    module.visit(uses)
    # A chain may use a dotted import made inside a function: keep its head name too.
    for dotted in nested:
        uses.names.add(dotted.split(".")[0])
    return module.visit(_ImportRemover(requests, uses))
