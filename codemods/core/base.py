"""The codemod base class and the records a codemod produces.

A codemod is a LibCST transformer that also carries its own id, summary, safety,
documentation and examples. It never raises on code it does not understand: it
records a skip with the reason and leaves the node unchanged. It changes the tree by
recording edits (``replace``), which ``transform_module`` applies in one pass.
"""

from __future__ import annotations

import enum
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

import libcst as cst
from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from flaskmod.codemods.core.edits import Edit, Edits, Replacement, Rewrite
from flaskmod.codemods.core.imports import NeededImport, UnusedImport, add_imports, remove_unused_imports
from flaskmod.codemods.core.optiondoc import HEADING as OPTIONS_HEADING
from flaskmod.codemods.core.optiondoc import options_section, with_options_section
from flaskmod.codemods.core.project import Project
from flaskmod.codemods.core.refusal import IGNORED_KIND, IGNORED_REASON, Refused


class Safety(str, enum.Enum):
    """How far a codemod's rewrite can be trusted (see DESIGN.md, "Safety levels")."""

    SAFE = "safe"  # behaviour is preserved
    UNSAFE = "unsafe"  # behaviour may change; written only with --unsafe
    FIX = "fix"  # behaviour changes on purpose: the old behaviour is a bug


# Ruff's rule documentation sections, in order; every codemod's documentation has them.
# "Options" is generated from ``OPTIONS`` (optiondoc.py); the docstring holds the others.
DOC_SECTIONS: tuple[str, ...] = (
    "What it does",
    "Why is this bad?",
    "Example",
    "Fix safety",
    "Options",
)


@dataclass(frozen=True)
class Example:
    """A before/after pair that documents a codemod and is run as a test.

    ``after=None`` means the code must be left unchanged. ``skips`` and
    ``findings`` are substrings that must each appear in one recorded skip reason
    or finding. ``allow_unsafe`` runs the example as with ``--unsafe``.
    """

    before: str
    after: str | None = None
    skips: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    allow_unsafe: bool = True

    @property
    def expected(self) -> str:
        return self.before if self.after is None else self.after


@dataclass(frozen=True)
class Option:
    """A per-codemod option, set in ``[tool.flaskmod.<codemod-id>]``."""

    type: type
    default: Any
    help: str
    choices: tuple[Any, ...] = ()  # when set, the only values allowed
    # A str option that is a `str.format` template: the only `{name}` fields it may hold.
    placeholders: tuple[str, ...] = ()
    value_type: type | None = None  # a dict or list option: the type of its values (items)
    # A str option naming a module to write: a relative `.py` path without `..` (or one of ``choices``).
    module_path: bool = False
    flag: str = ""  # a command-line flag of `flaskmod run` that overrides the config (e.g. "--event-style")
    details: str = ""  # said after ``help`` in the generated documentation only (not in the flag's help)


# The Note kind of a finding that is an error (``--fail-on error``), not a remark.
ERROR_FINDING_KIND = "error"


@dataclass(frozen=True)
class Note:
    """A line-anchored message: a finding, a skipped candidate or an unsafe change left out."""

    line: int
    message: str
    # A finding about another place (a template, another module): that place as (display path, line).
    related: tuple[str, int] | None = None
    kind: str = ""  # a skip's stable reason kind (see refusal.py); "" groups by the message itself


@dataclass(frozen=True)
class ProjectFinding:
    """A finding the project-wide pass (``Codemod.project_findings``) attaches to a file's change.

    ``path`` and ``line`` say where it is shown (the file the fact came from);
    ``related_path`` and ``related_line`` the place it is about, which the engine
    puts in front of ``message`` (`templates/base.html:8 names ...`).
    """

    path: Path
    line: int
    message: str
    related_path: Path
    related_line: int


@dataclass(frozen=True)
class ExtraFileEdit:
    """A codemod's proposal to change a file other than the one it transforms.

    The engine merges these in the main process, in a deterministic order:
    ``append`` is added at the end of ``path`` (created if missing) and every
    ``(module, name)`` in ``imports`` is made available as LibCST's
    ``AddImportsVisitor`` would (``name=None`` means ``import module``).
    """

    path: str
    append: str
    imports: tuple[tuple[str, str | None], ...] = ()


@dataclass
class CodemodReport:
    """What one codemod noticed in one file, besides the text it changed."""

    findings: list[Note] = field(default_factory=list)
    skips: list[Note] = field(default_factory=list)
    unsafe_left_out: list[Note] = field(default_factory=list)
    unsafe_applied: list[Note] = field(default_factory=list)
    extra_edits: list[ExtraFileEdit] = field(default_factory=list)
    # Picklable facts for the project-wide pass (``Codemod.project_findings``).
    facts: list[Any] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (
            self.findings or self.skips or self.unsafe_left_out or self.unsafe_applied or self.extra_edits or self.facts
        )


_IGNORE_COMMENT = re.compile(r"#\s*flaskmod:\s*ignore(?:\[(?P<ids>[^\]]*)\])?")


def ignored_lines(source: str) -> dict[int, frozenset[str] | None]:
    """Map line number -> codemod ids ignored there (``None``: every codemod)."""
    result: dict[int, frozenset[str] | None] = {}
    if "flaskmod" not in source:
        return result
    for number, line in enumerate(source.splitlines(), start=1):
        match = _IGNORE_COMMENT.search(line)
        if match is None:
            continue
        ids = match.group("ids")
        result[number] = None if ids is None else frozenset(i.strip() for i in ids.split(",") if i.strip())
    return result


class Codemod(VisitorBasedCodemodCommand):
    """Base class of every flaskmod codemod.

    Subclasses declare ``ID``, ``SUMMARY``, ``SAFETY``, ``EXAMPLES`` and a
    docstring with the sections of ``DOC_SECTIONS`` but "Options", which is
    generated from ``OPTIONS``; a class missing one is refused when it is created.
    ``TRIGGER`` is a cheap text test: a file whose text it does not match is never
    parsed for this codemod.
    """

    ID: ClassVar[str]
    SUMMARY: ClassVar[str]
    SAFETY: ClassVar[Safety]
    EXAMPLES: ClassVar[Sequence[Example]]
    TRIGGER: ClassVar[re.Pattern[str]]
    OPTIONS: ClassVar[Mapping[str, Option]] = {}
    # Distributions the code this codemod writes imports (PEP 508): the run declares them
    # in the project of every file it changes (see dependencies.py).
    REQUIRES: ClassVar[tuple[str, ...]] = ()
    # True when one run over the codemod's own output changes nothing: the engine then runs it
    # again only on text another codemod changed after it. False when its output can be more
    # work for itself (an extraction leaves a thinner view with a run it can now name).
    SETTLES_IN_ONE_RUN: ClassVar[bool] = True
    # Positions are resolved lazily (see `_position`): most files record nothing.
    METADATA_DEPENDENCIES = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        missing = [name for name in ("ID", "SUMMARY", "SAFETY", "EXAMPLES", "TRIGGER") if name not in cls.__dict__]
        if missing:
            raise TypeError(f"codemod {cls.__name__} lacks {', '.join(missing)}")
        if not isinstance(cls.SAFETY, Safety):
            raise TypeError(f"codemod {cls.__name__}: SAFETY must be a Safety")
        if not cls.EXAMPLES:
            raise TypeError(f"codemod {cls.__name__} has no EXAMPLES")
        if OPTIONS_HEADING in (cls.__doc__ or ""):
            raise TypeError(f"codemod {cls.__name__}: the Options section is generated from OPTIONS, not written")
        doc = cls.documentation()
        absent = [section for section in DOC_SECTIONS if f"## {section}" not in doc]
        if absent:
            raise TypeError(f"codemod {cls.__name__}: docstring lacks sections {absent}")

    def __init__(
        self,
        context: CodemodContext,
        *,
        options: Mapping[str, Any] | None = None,
        allow_unsafe: bool = False,
        source: str = "",
        reserved: Mapping[str, frozenset[str]] | None = None,
        project: Project | None = None,
    ) -> None:
        super().__init__(context)
        # The files around this one, as the engine sees them: codemods never read the disk.
        self.project = project if project is not None else Project()
        # Names other files of this run already put into a module, by the module's path: a
        # codemod that adds to another module must not define them again (see crossfile).
        self.reserved_names: Mapping[str, frozenset[str]] = reserved or {}
        # Set by the engine: metadata already computed for this very tree by an
        # earlier codemod that changed nothing, so it is not computed twice.
        self.shared_wrapper: MetadataWrapper | None = None
        # The tree being transformed and each of its nodes' parent, by id (see metadata.Metadata.parent).
        self.parents_of_tree: tuple[cst.Module, dict[int, cst.CSTNode]] | None = None
        self.options: dict[str, Any] = {name: opt.default for name, opt in self.OPTIONS.items()}
        self.options.update(options or {})
        self.allow_unsafe = allow_unsafe
        self.report = CodemodReport()
        self._ignored = ignored_lines(source)
        # Top-level modules of the project this codemod writes (a new services module): first party
        # to the import editor, though they are not on disk yet.
        self.own_modules: frozenset[str] = frozenset()
        # What replaces which node of the tree, applied after transform_module_impl (see edits.py).
        self._edits = Edits()

    # -- documentation ---------------------------------------------------

    @classmethod
    def documentation(cls) -> str:
        """The docstring, with the Options section generated from ``OPTIONS``."""
        doc = textwrap.dedent(cls.__doc__ or "").strip()
        return with_options_section(doc, options_section(cls.ID, cls.OPTIONS))

    # -- the cheap gates -------------------------------------------------

    @classmethod
    def might_apply(cls, source: str) -> bool:
        """Text-level test: can this file concern the codemod at all?"""
        return cls.TRIGGER.search(source) is not None

    @classmethod
    def should_transform(cls, module: cst.Module) -> bool:
        """Tree-level test, before the codemod is built or any metadata computed; override to bail out cheaply."""
        return True

    @classmethod
    def run_notices(cls, changed: Sequence[tuple[Path, str]], project: Project) -> list[str]:
        """Messages shown once per run, after every file is done (main process).

        ``changed`` holds (path, new text) of every file this codemod changed;
        ``project.scanned`` every file the run covered. Override to tell the user something
        about the project as a whole (for example, a configuration it lacks).
        """
        return []

    @classmethod
    def project_findings(cls, facts: Sequence[tuple[Path, Any]], project: Project) -> list[ProjectFinding]:
        """Findings that need the whole project, computed once per run in the main process.

        ``facts`` holds (path, fact) for every fact this codemod shared (``share_fact``)
        while transforming a file; ``project`` the files the run covered. Each returned
        finding is attached to this codemod's change in the file its ``path`` names,
        which must be one the facts came from.
        """
        return []

    # -- running ---------------------------------------------------------

    def transform_module(self, tree: cst.Module) -> cst.Module:
        if not self.should_transform(tree):
            return tree
        wrapper = self.shared_wrapper
        if wrapper is None or wrapper.module is not tree:
            # The tree is never reused after this codemod, so skip LibCST's defensive deep copy.
            wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
        old_context = self.context
        with self.resolve(wrapper):
            self.context = replace(self.context, wrapper=wrapper)
            try:
                tree = self._edits.apply(self.transform_module_impl(wrapper.module))
            finally:
                self.context = old_context
        # The imports scheduled with `add_needed_import` / `remove_unused_import`, applied
        # as LibCST's helpers would, by flaskmod's cheap import editor.
        needed = self.context.scratch.get(AddImportsVisitor.CONTEXT_KEY)
        if needed:
            wanted = (NeededImport.of(i.module_name, i.obj_name, i.alias, i.relative) for i in needed)
            filename = self.context.filename
            first_party = self.project.first_party(Path(filename)) if filename else frozenset()
            tree = add_imports(tree, wanted, first_party | self.own_modules)
        unused = self.context.scratch.get(RemoveImportsVisitor.CONTEXT_KEY)
        if unused:
            tree = remove_unused_imports(tree, (UnusedImport(*request) for request in unused))
        return tree

    # -- recording -------------------------------------------------------

    def replace(self, original: cst.CSTNode, replacement: Replacement | Rewrite) -> None:
        """Put ``replacement`` in place of the original node ``original`` (see :class:`Edit`).

        Applied with every other recorded edit after ``transform_module_impl``; a second
        edit of the same node raises :class:`~flaskmod.codemods.core.edits.EditError`.
        """
        self._edits.add(Edit(original, replacement))

    def _position(self, node: cst.CSTNode) -> CodeRange:
        wrapper = self.context.wrapper
        assert wrapper is not None, "positions are only known inside transform_module()"
        return wrapper.resolve(PositionProvider)[node]

    def line_of(self, node: cst.CSTNode) -> int:
        """The line of an original node (metadata is only ever read from original nodes)."""
        return self._position(node).start.line

    def column_of(self, node: cst.CSTNode) -> int:
        """The column an original node starts at (a statement's: its indentation)."""
        return self._position(node).start.column

    def is_ignored(self, node: cst.CSTNode) -> bool:
        """True when a ``# flaskmod: ignore`` comment for this codemod sits on the node's lines."""
        if not self._ignored:
            return False
        first, last = self._lines_of(node)
        for line in range(first, last + 1):
            if line in self._ignored:
                ids = self._ignored[line]
                if ids is None or self.ID in ids:
                    return True
        return False

    def _lines_of(self, node: cst.CSTNode) -> tuple[int, int]:
        """The lines a comment may opt the node out on; for a def or class, its header."""
        position = self._position(node)
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            first = self.line_of(node.decorators[0]) if node.decorators else position.start.line
            # Comment lines right above the first decorator (or the def) belong to the header too.
            for line in reversed(node.leading_lines):
                if line.comment is None:
                    break
                first -= 1
            header_end = node.params if isinstance(node, cst.FunctionDef) else node.name
            if isinstance(node, cst.FunctionDef) and node.returns is not None:
                header_end = node.returns
            return first, self._position(header_end).end.line
        return position.start.line, position.end.line

    def add_finding(self, node: cst.CSTNode, message: str, *, error: bool = False) -> None:
        """Record a finding; ``error``: a defect in the code as it is, which ``--fail-on error`` fails on."""
        self.report.findings.append(Note(self.line_of(node), message, kind=ERROR_FINDING_KIND if error else ""))

    def add_skip(self, node: cst.CSTNode, reason: str, kind: str = "") -> None:
        self.report.skips.append(Note(self.line_of(node), reason, kind=kind))

    def add_refusal(self, node: cst.CSTNode, refusal: Refused, prefix: str = "") -> None:
        """Record a :class:`Refused` raised while analysing ``node`` as a skip."""
        self.add_skip(node, prefix + refusal.reason, refusal.kind)

    def skip_if_ignored(self, node: cst.CSTNode) -> bool:
        """True (and a skip recorded) when a ``# flaskmod: ignore`` comment opts ``node`` out."""
        if not self.is_ignored(node):
            return False
        self.add_skip(node, IGNORED_REASON, IGNORED_KIND)
        return True

    def permit_unsafe(self, node: cst.CSTNode, description: str) -> bool:
        """Record an unsafe change; True when it may be applied (``--unsafe``)."""
        note = Note(self.line_of(node), description)
        if self.allow_unsafe:
            self.report.unsafe_applied.append(note)
            return True
        self.report.unsafe_left_out.append(note)
        return False

    def propose_edit(self, edit: ExtraFileEdit) -> None:
        self.report.extra_edits.append(edit)

    def share_fact(self, fact: Any) -> None:
        """Hand a picklable fact about this file to the project-wide pass (``project_findings``)."""
        self.report.facts.append(fact)
