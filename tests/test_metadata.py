"""The metadata queries every codemod shares answer as LibCST's providers would."""

from __future__ import annotations

from types import SimpleNamespace

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider

from flaskmod.codemods.core.metadata import Metadata
from flaskmod.codemods.core.syntax import walk
from tests.test_syntax import EVERY_KIND_OF_NODE


def test_parents_are_libcst_s_parents() -> None:
    wrapper = MetadataWrapper(cst.parse_module(EVERY_KIND_OF_NODE), unsafe_skip_copy=True)
    expected = wrapper.resolve(ParentNodeProvider)
    codemod = SimpleNamespace(context=SimpleNamespace(wrapper=wrapper), parents_of_tree=None)
    metadata = Metadata(codemod)  # type: ignore[arg-type]  # only its context and parent cache are read
    nodes = walk(wrapper.module)
    assert len(nodes) > 1000
    for node in nodes:
        assert metadata.parent_or_none(node) is expected.get(node), type(node).__name__
    assert metadata.parent_or_none(wrapper.module) is None
    assert metadata.parent(nodes[-1]) is expected[nodes[-1]]


def test_parents_follow_the_tree_being_transformed() -> None:
    first = MetadataWrapper(cst.parse_module("x = 1\n"), unsafe_skip_copy=True)
    codemod = SimpleNamespace(context=SimpleNamespace(wrapper=first), parents_of_tree=None)
    name = first.module.body[0].body[0].targets[0].target  # type: ignore[attr-defined]
    assert isinstance(Metadata(codemod).parent(name), cst.AssignTarget)  # type: ignore[arg-type]
    second = MetadataWrapper(cst.parse_module("y = 2\n"), unsafe_skip_copy=True)
    codemod.context = SimpleNamespace(wrapper=second)
    assert Metadata(codemod).parent_or_none(name) is None  # type: ignore[arg-type]
