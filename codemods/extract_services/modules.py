"""The modules around a view: what the views module and the services module import and bind.

``ModuleFacts`` are read from one module's top level; ``Modules`` holds both modules of
one transformation and answers how a name the run uses can be imported from the services
module (``import_for``), refusing an import that cannot be written or would clash.
"""

from __future__ import annotations

import keyword
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from flaskmod.codemods.core.bindings import bound_outside_imports, dotted_name, import_bound
from flaskmod.codemods.core.flask import HTTP_LAYER_NAMES
from flaskmod.codemods.core.line_length import line_length
from flaskmod.codemods.core.project import Project
from flaskmod.codemods.core.refusal import Refused
from flaskmod.codemods.core.syntax import walk


@dataclass(frozen=True)
class ImportOf:
    """The import statement that binds a module-level name, as the services module must write it."""

    module: str  # "" for `import x`
    name: str  # the imported name or dotted module
    asname: str | None
    level: int  # relative import level in the views module


@dataclass
class ModuleFacts:
    imports: dict[str, list[ImportOf]]
    defined: set[str]  # bound at module level by something other than a top-level import
    declared_global: set[str]  # named by a `global` statement somewhere
    star_import: bool
    identifiers: set[str]  # every name spelled in the module


def module_facts(module: cst.Module) -> ModuleFacts:
    facts = ModuleFacts({}, set(), set(), False, set())
    for node in walk(module):
        if isinstance(node, cst.Name):
            facts.identifiers.add(node.value)
        elif isinstance(node, cst.Global):
            facts.declared_global.update(n.name.value for n in node.names)
    for statement in module.body:
        smalls = statement.body if isinstance(statement, cst.SimpleStatementLine) else []
        for small in smalls:
            if isinstance(small, cst.Import):
                _record_import(small, facts)
            elif isinstance(small, cst.ImportFrom):
                _record_import_from(small, facts)
    facts.defined = bound_outside_imports(module)
    # A name both imported at the top and rebound elsewhere at module level is not a plain import.
    for name in list(facts.imports):
        if name in facts.defined or len(facts.imports[name]) > 1:
            facts.defined.add(name)
            del facts.imports[name]
    return facts


def _record_import(statement: cst.Import, facts: ModuleFacts) -> None:
    for alias in statement.names:
        bound = import_bound(alias, False)
        dotted = dotted_name(alias.name)
        if bound and dotted:
            asname = bound if alias.asname is not None else None
            facts.imports.setdefault(bound, []).append(ImportOf("", dotted, asname, 0))


def _record_import_from(statement: cst.ImportFrom, facts: ModuleFacts) -> None:
    if isinstance(statement.names, cst.ImportStar):
        facts.star_import = True
        return
    source = dotted_name(statement.module) if statement.module is not None else ""
    for alias in statement.names:
        bound = import_bound(alias, True)
        dotted = dotted_name(alias.name)
        if bound and dotted and source is not None:
            asname = bound if alias.asname is not None else None
            facts.imports.setdefault(bound, []).append(ImportOf(source, dotted, asname, len(statement.relative)))


def rebase(level: int, module: str, source_dir: Path, target_dir: Path) -> tuple[int, str] | None:
    """A relative import of the views module, written from the services module's directory."""
    if level == 0:
        return 0, module
    base = source_dir
    for _ in range(level - 1):
        base = base.parent
    try:
        common = Path(os.path.commonpath([base.resolve(), target_dir.resolve()]))
    except ValueError:
        return None
    rest = base.resolve().relative_to(common).parts
    ups = len(target_dir.resolve().relative_to(common).parts)
    parts = [*rest, *([module] if module else [])]
    return ups + 1, ".".join(parts)


def is_http_layer(imported: ImportOf) -> bool:
    """An import of Flask's HTTP layer: a name in it, or the `flask` module itself."""
    if imported.level:
        return False
    if not imported.module:
        return imported.name == "flask"
    return f"{imported.module}.{imported.name}" in HTTP_LAYER_NAMES


def services_path(source: Path, template: str, project: Project) -> Path:
    """Where the services of the views module ``source`` go (see the `services-module` option)."""
    if template == "auto":
        if source.stem in ("views", "__init__"):
            template = "services.py"
        elif source.parent.name in {"views", "routes", "blueprints"} and project.exists(source.parent / "__init__.py"):
            template = "../{stem}_services.py"
        else:
            template = "{stem}_services.py"
    return Path(os.path.normpath(source.parent / template.format(stem=source.stem)))


class Modules:
    """The views module being transformed and the services module its services go to."""

    def __init__(
        self,
        tree: cst.Module,
        source_path: Path,
        template: str,
        reserved: Mapping[str, frozenset[str]],
        project: Project,
    ) -> None:
        self.tree = tree
        self.project = project
        self.facts = module_facts(tree)
        self.source_path = source_path
        self.target = services_path(source_path, template, project)
        self.target_text, self.target_facts = self._existing_target()
        self.line_length = line_length(self.target, project)
        self.taken: set[str] = set(self.facts.identifiers) | set(self.target_facts.identifiers)
        self.taken |= reserved.get(str(self.target), frozenset())
        self.name_nodes: dict[str, list[cst.Name]] = {}
        self.strings: set[str] = set()  # string literals' values: a name in `__all__` or `getattr` stays
        for node in walk(tree):
            if isinstance(node, cst.Name):
                self.name_nodes.setdefault(node.value, []).append(node)
            elif isinstance(node, cst.SimpleString):
                value = node.evaluated_value
                if isinstance(value, str):
                    self.strings.add(value)

    def _existing_target(self) -> tuple[str, ModuleFacts]:
        """(the services module's text, its facts); nothing for a missing or unreadable one."""
        text = self.project.strict_text(self.target)
        try:
            facts = None if text is None else module_facts(cst.parse_module(text))
        except cst.ParserSyntaxError:
            facts = None
        if text is None or facts is None:
            return "", ModuleFacts({}, set(), set(), False, set())
        return text, facts

    def relative_target(self) -> str:
        """The services module's path relative to the views module's directory, with `/`."""
        return os.path.relpath(self.target, self.source_path.parent).replace(os.sep, "/")

    def services_import(self) -> tuple[str, int]:
        """How the views module imports the services module: (module, relative level)."""
        source_dir, target_dir = self.source_path.parent.resolve(), self.target.parent.resolve()
        if not self.project.exists(self.source_path.parent / "__init__.py"):
            if target_dir != source_dir:
                raise Refused(
                    "the views module is not in a package and the services module is not beside it", "services-path"
                )
            parts: tuple[str, ...] = (self.target.stem,)
            level = 0
        else:
            common = Path(os.path.commonpath([source_dir, target_dir]))
            parts = (*target_dir.relative_to(common).parts, self.target.stem)
            level = len(source_dir.relative_to(common).parts) + 1
        for part in parts:
            if not part.isidentifier() or keyword.iskeyword(part):
                raise Refused(
                    f"the services module `{self.target.name}` could not be imported: `{part}` is not a name",
                    "services-path",
                )
        return ".".join(parts), level

    def import_for(self, name: str) -> list[ImportOf]:
        """The imports of the views module's module-level ``name``, as the services module must write them."""
        out: list[ImportOf] = []
        for imported in self.facts.imports[name]:
            rebased = rebase(imported.level, imported.module, self.source_path.parent, self.target.parent)
            if rebased is None:
                raise Refused(f"cannot write the import of `{name}` from the services module", "import")
            level, module = rebased
            if level and not self.project.exists(self.source_path.parent / "__init__.py"):
                raise Refused(f"cannot write the relative import of `{name}` outside a package", "import")
            resolved = ImportOf(module, imported.name, imported.asname, level)
            if self._imports_file(resolved, self.target):
                raise Refused(f"`{name}` comes from the services module itself", "import-cycle")
            if self._imports_file(resolved, self.source_path):
                raise Refused(f"`{name}` would make the services module import the views module", "import-cycle")
            existing = self.target_facts.imports.get(name)
            if name in self.target_facts.defined or (existing and resolved not in existing):
                raise Refused(f"the services module already binds `{name}` to something else", "name-clash")
            out.append(resolved)
        return out

    def _imports_file(self, imported: ImportOf, path: Path) -> bool:
        """Does a relative import written in the services module import the module at ``path``?

        An absolute import is not followed.
        """
        if not imported.level:
            return False
        base = self.target.parent
        for _ in range(imported.level - 1):
            base = base.parent
        parts = imported.module.split(".") if imported.module else []
        last = base.joinpath(*parts) if parts else base
        candidates = {last.with_suffix(".py"), (last / imported.name).with_suffix(".py")}
        return path.resolve() in {c.resolve() for c in candidates}

    def views_imports_of(self, imports: list[ImportOf]) -> list[ImportOf]:
        """The views module's own import statements of what a service imports (unrebased)."""
        out: list[ImportOf] = []
        for imported in imports:
            plain = imported.module or imported.level
            bound = imported.asname or (imported.name if plain else imported.name.split(".")[0])
            out += [i for i in self.facts.imports.get(bound, []) if i not in out]
        return out
