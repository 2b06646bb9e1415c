"""The files of one run agree: every name a changed file imports from a module the run writes is defined there.

The engine's last check before anything is written; it guards every cross-file codemod,
not only extract-services.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from flaskmod.codemods.core.project import module_paths
from flaskmod.codemods.core.results import FileError, FileResult


def check_imports(results: list[FileResult]) -> None:
    """Every name a changed file imports from a module changed or created in this run is defined there.

    Where one is missing, nothing of the group those files belong to is written: each of
    its files gets an error naming the importer, the module and the name.
    """
    written = {r.path: r for r in results if r.changed and r.final is not None}
    parsed = _Parsed()
    named = _names_a_written_module(written)
    for importer in list(written.values()):
        if importer.final is None or not named(importer.final):
            continue
        for target, name in _broken_imports(importer, written, parsed):
            where = f"{importer.display} imports `{name}` from {target.display}, which would not define it"
            _reject_group(results, {importer.group or importer.display, target.group or target.display}, where)


def _names_a_written_module(written: Mapping[Path, FileResult]) -> Callable[[str], bool]:
    """A cheap test a text must pass to import from a written module: it names the module.

    `from .a_services import x` spells `a_services`; only a package's `__init__.py` can be
    imported from without its name (`from . import x`), so then only `import` is looked for.
    """
    if any(path.name == "__init__.py" for path in written):
        return lambda text: "import" in text
    stems = sorted({path.stem for path in written})
    if not stems:
        return lambda text: False
    spelled = re.compile(r"\b(?:" + "|".join(re.escape(stem) for stem in stems) + r")\b")
    return lambda text: spelled.search(text) is not None


class _Parsed:
    """Each text parsed once, and each module's top-level names read once, for the whole check."""

    def __init__(self) -> None:
        self._trees: dict[str, ast.Module | None] = {}
        self._defined: dict[str, set[str] | None] = {}

    def tree(self, text: str | None) -> ast.Module | None:
        if text is None:
            return None
        if text not in self._trees:
            self._trees[text] = _ast_of(text)
        return self._trees[text]

    def defined(self, text: str | None) -> set[str] | None:
        if text is None:
            return None
        if text not in self._defined:
            self._defined[text] = _defined(text, self.tree(text))
        return self._defined[text]


def _broken_imports(
    importer: FileResult, written: dict[Path, FileResult], parsed: _Parsed
) -> list[tuple[FileResult, str]]:
    tree = parsed.tree(importer.final)
    if tree is None:
        return []
    before = _imported(parsed.tree(importer.original)) if importer.original else set()
    broken: list[tuple[FileResult, str]] = []
    for node in _import_froms(tree):
        for candidate in module_paths(importer.path, node.module, node.level):
            target = written.get(candidate)
            if target is None or target is importer:
                continue
            now, then = parsed.defined(target.final), parsed.defined(target.original)
            if now is None:
                break
            for alias in node.names:
                if alias.name == "*" or alias.name in now or _submodule(candidate, alias.name, written):
                    continue
                was_there = then is not None and alias.name in then
                new_import = (node.module, node.level, alias.name) not in before
                if target.is_new or was_there or new_import:
                    broken.append((target, alias.name))
            break
    return broken


def _ast_of(text: str | None) -> ast.Module | None:
    if text is None:
        return None
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


# The fields of a statement that hold statements; `import` is a statement, so the walk never
# goes into expressions (most of a tree's nodes).
_BLOCK_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")


def _import_froms(tree: ast.Module) -> list[ast.ImportFrom]:
    """Every `from ... import ...` statement, at any depth (in functions, classes, branches), in order."""
    found: list[ast.ImportFrom] = []
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.ImportFrom):
            found.append(node)
            continue
        for field_name in _BLOCK_FIELDS:
            inner = getattr(node, field_name, None)
            if isinstance(inner, list):
                pending.extend(inner)
    return sorted(found, key=lambda node: (node.lineno, node.col_offset))


def _imported(tree: ast.Module | None) -> set[tuple[str | None, int, str]]:
    if tree is None:
        return set()
    return {(node.module, node.level, alias.name) for node in _import_froms(tree) for alias in node.names}


def _submodule(module_path: Path, name: str, written: Mapping[Path, FileResult]) -> bool:
    if module_path.name != "__init__.py":
        return False
    candidates = (module_path.parent / f"{name}.py", module_path.parent / name / "__init__.py")
    return any(path in written or path.exists() for path in candidates)


def _defined(text: str | None, tree: ast.Module | None) -> set[str] | None:
    """The names a module (``text``, parsed as ``tree``) defines at its top level; None where that cannot be told."""
    if tree is None:
        return set() if text == "" else None
    names: set[str] = set()
    for node in _module_level(tree.body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            if any(alias.name == "*" for alias in node.names):
                return None
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor, ast.With)):
            names |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    if "__getattr__" in names:
        return None
    return names


def _module_level(body: list[ast.stmt]) -> Iterable[ast.stmt]:
    """The statements of a module body, into if/try/with/loop blocks but not functions or classes."""
    for node in body:
        yield node
        for field_name in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(node, field_name, None)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) or not inner:
                continue
            if field_name == "handlers":
                for handler in inner:
                    yield from _module_level(handler.body)
            else:
                yield from _module_level(inner)


def top_level_names(text: str) -> set[str]:
    return _defined(text, _ast_of(text)) or set()


def _reject_group(results: list[FileResult], groups: set[str], message: str) -> None:
    for result in results:
        if (result.group or result.display) in groups and result.changed:
            result.error = FileError(f"not written: {message}")
            result.final = result.original
