"""The files of one run agree: every name a changed file imports from a module the run writes is defined there.

The engine's last check before anything is written; it guards every cross-file codemod,
not only extract-services.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

from flaskmod.codemods.core.project import module_paths
from flaskmod.codemods.core.results import FileError, FileResult


def check_imports(results: list[FileResult]) -> None:
    """Every name a changed file imports from a module changed or created in this run is defined there.

    Where one is missing, nothing of the group those files belong to is written: each of
    its files gets an error naming the importer, the module and the name.
    """
    written = {r.path: r for r in results if r.changed and r.final is not None}
    for importer in list(written.values()):
        for target, name in _broken_imports(importer, written):
            where = f"{importer.display} imports `{name}` from {target.display}, which would not define it"
            _reject_group(results, {importer.group or importer.display, target.group or target.display}, where)


def _broken_imports(importer: FileResult, written: dict[Path, FileResult]) -> list[tuple[FileResult, str]]:
    tree = _ast_of(importer.final)
    if tree is None:
        return []
    before = _imported(_ast_of(importer.original)) if importer.original else set()
    broken: list[tuple[FileResult, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        for candidate in module_paths(importer.path, node.module, node.level):
            target = written.get(candidate)
            if target is None or target is importer:
                continue
            now, then = _defined(target.final), _defined(target.original)
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


def _imported(tree: ast.Module | None) -> set[tuple[str | None, int, str]]:
    if tree is None:
        return set()
    return {
        (node.module, node.level, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def _submodule(module_path: Path, name: str, written: Mapping[Path, FileResult]) -> bool:
    if module_path.name != "__init__.py":
        return False
    candidates = (module_path.parent / f"{name}.py", module_path.parent / name / "__init__.py")
    return any(path in written or path.exists() for path in candidates)


def _defined(text: str | None) -> set[str] | None:
    """The names a module defines at its top level; None where that cannot be told."""
    tree = _ast_of(text)
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
    return _defined(text) or set()


def _reject_group(results: list[FileResult], groups: set[str], message: str) -> None:
    for result in results:
        if (result.group or result.display) in groups and result.changed:
            result.error = FileError(f"not written: {message}")
            result.final = result.original
