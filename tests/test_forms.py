"""Flask-WTF knowledge (core/forms.py) and split-get-post's `validate_on_submit()` tests built on it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst as cst

from flaskmod.codemods.core.forms import module_forms, project_forms
from flaskmod.codemods.core.project import Project
from flaskmod.codemods.split_get_post.expressions import ExpressionSpecialiser
from flaskmod.codemods.split_get_post.submit import SubmitTest, submit_tests


def parse(code: str) -> cst.Module:
    return cst.parse_module(textwrap.dedent(code))


FORMS = """
    from flask_wtf import FlaskForm
    import wtforms

    class Base(FlaskForm):
        pass

    class Login(Base):
        pass

    class Odd(FlaskForm):
        def is_submitted(self):
            return True

    class OddChild(Odd):
        pass

    class Mixed(Base, SomeMixin):
        pass

    class Plain(wtforms.Form):
        pass
"""


def test_submit_forms_keep_flask_wtf_methods_through_every_base() -> None:
    forms = module_forms(parse(FORMS))
    assert forms.request_forms == {"Base", "Login", "Odd", "OddChild", "Mixed"}
    assert forms.submit_forms == {"Base", "Login"}


def test_forms_imported_from_a_project_module_are_found(tmp_path: Path) -> None:
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "forms.py").write_text(textwrap.dedent(FORMS))
    views = package / "views.py"
    module = parse("from .forms import Login as LoginForm, Odd\nfrom app.forms import Base\n")
    forms = project_forms(module, views, Project([views]))
    assert forms.request_forms == {"LoginForm", "Odd", "Base"}
    assert forms.submit_forms == {"LoginForm", "Base"}


def view(body: str) -> cst.FunctionDef:
    function = parse(f"def view():\n{textwrap.indent(textwrap.dedent(body), '    ')}").body[0]
    assert isinstance(function, cst.FunctionDef)
    return function


def proven(body: str) -> int:
    return len(submit_tests(view(body), frozenset({"Login"})))


def test_a_form_bound_once_from_a_submit_form_is_proven() -> None:
    assert proven("form = Login()\nif form.validate_on_submit():\n    save()\n") == 1
    assert proven("if Login(prefix='a').validate_on_submit():\n    save()\n") == 1


def test_a_rebound_unknown_or_argument_evaluating_form_is_not_proven() -> None:
    assert proven("form = Login()\nif x:\n    form = other()\nif form.validate_on_submit():\n    pass\n") == 0
    assert proven("form = Login()\nform += 1\nif form.validate_on_submit():\n    pass\n") == 0
    assert proven("form = Other()\nif form.validate_on_submit():\n    pass\n") == 0
    assert proven("form = Login()\nif form.validate_on_submit(extra_validators=make()):\n    pass\n") == 0
    assert proven("Login = make\nform = Login()\nif form.validate_on_submit():\n    pass\n") == 0
    assert proven("form = Login()\ndef inner():\n    return form.validate_on_submit()\n") == 0


def test_the_call_is_false_on_get_and_head_and_kept_on_post() -> None:
    assert SubmitTest().value("GET") is False
    assert SubmitTest().value("HEAD") is False
    assert SubmitTest().value("POST") is None
    function = view("form = Login()\nok = form.validate_on_submit()\n")
    tests = submit_tests(function, frozenset({"Login"}))
    for method, expected in (("GET", "ok = False"), ("POST", "ok = form.validate_on_submit()")):
        specialised = function.visit(ExpressionSpecialiser(method, tests, set(), keep_parens=False))
        assert expected in cst.Module([]).code_for_node(specialised)
