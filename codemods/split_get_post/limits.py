"""Rate limits restricted to some methods (``limiter.limit("5/minute", methods=["POST"])``).

Such a limit counts only the requests of the methods it names (Flask-Limiter's ``methods``,
django-ratelimit's ``method``): after a split it goes only on the views that serve one of
them, and a limit that counts one method, or each method apart (``per_method=True``), kept
no state that GET and POST shared.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from flaskmod.codemods.core.flask import decorator_callee
from flaskmod.codemods.core.syntax import code_of
from flaskmod.codemods.split_get_post.nodes import string_value

_LIMIT_WORDS = ("limit", "throttle")
_METHOD_KEYWORDS = ("methods", "method")


def is_limit(decorator: cst.Decorator) -> bool:
    """Is the decorator spelled as a rate limit?"""
    spelled = code_of(decorator_callee(decorator)).lower()
    return any(word in spelled for word in _LIMIT_WORDS)


def limited_methods(decorator: cst.Decorator) -> frozenset[str] | None:
    """The methods a rate limit names as a literal (upper-case); None when it counts every method or may."""
    call = decorator.decorator
    if not isinstance(call, cst.Call) or not is_limit(decorator):
        return None
    arg = next((a for a in call.args if a.keyword is not None and a.keyword.value in _METHOD_KEYWORDS), None)
    if arg is None:
        return None
    value = arg.value
    elements = value.elements if isinstance(value, (cst.List, cst.Tuple, cst.Set)) else [cst.Element(value)]
    names = [string_value(e.value) if isinstance(e, cst.Element) else None for e in elements]
    if not names or any(name is None for name in names):
        return None
    return frozenset(name.upper() for name in names if name is not None)


def applies(decorator: cst.Decorator, view_methods: Sequence[str], all_methods: Sequence[str]) -> bool:
    """Does the decorator belong on a view serving ``view_methods`` (of the original's ``all_methods``)?

    A limit naming none of the original's methods never counted anything: it stays on every view.
    """
    limited = limited_methods(decorator)
    if limited is None or not limited & _served(all_methods):
        return True
    return bool(limited & _served(view_methods))


def counts_per_method(decorator: cst.Decorator) -> bool:
    """Does the limit keep one count per method already (``per_method=True``)?"""
    call = decorator.decorator
    return isinstance(call, cst.Call) and any(
        a.keyword is not None and a.keyword.value == "per_method" and code_of(a.value) == "True" for a in call.args
    )


def _served(methods: Sequence[str]) -> frozenset[str]:
    # A view serving GET serves HEAD too.
    return frozenset(methods) | ({"HEAD"} if "GET" in methods else set())
