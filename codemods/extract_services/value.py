"""Is a run worth a service? Business work, told apart from parsing input and shaping data.

A service must do something a reviewer would test on its own: call a function or
method that is not a builtin, a plain-data constructor or a method of plain data
(`str.strip`, `dict.get`...), write an attribute of an object, or hold a loop, a
branch or a `try`. Straight-line statements that only unpack `request.form`,
initialise variables or build a form stay in the view: there they document the
endpoint's inputs.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable

import libcst as cst

from flaskmod.codemods.core.syntax import walk

# Builtins whose call is business work all the same: they reach outside the process.
_EFFECTFUL_BUILTINS = frozenset({"open", "exec", "eval", "__import__", "input"})
PLAIN_CALLS = frozenset(dir(builtins)) - _EFFECTFUL_BUILTINS
# Methods of str, bytes, dict, list and set (and werkzeug's MultiDict): shaping data, not business.
DATA_METHODS = frozenset(
    {
        "strip", "lstrip", "rstrip", "lower", "upper", "title", "capitalize", "casefold", "split", "rsplit",
        "splitlines", "join", "replace", "format", "startswith", "endswith", "isdigit", "isalpha", "isalnum",
        "isnumeric", "isspace", "encode", "decode", "zfill", "ljust", "rjust", "center", "partition", "find",
        "count", "index", "get", "getlist", "items", "keys", "values", "copy", "to_dict", "setdefault",
    }
)  # fmt: skip
# Methods of plain containers that change them: data when called on a local, business on an attribute
# (`user.roles.append(role)` changes a model's relationship).
CONTAINER_WRITES = frozenset({"append", "extend", "insert", "pop", "remove", "add", "update", "discard", "clear"})
_COMPOUND = (cst.For, cst.While, cst.If, cst.Try, cst.With)

IsPlainCall = Callable[[cst.Call], bool]


def is_business_call(call: cst.Call, is_plain: IsPlainCall | None = None) -> bool:
    """Whether ``call`` does business work; ``is_plain`` may say more calls are not (a form's constructor)."""
    func = call.func
    if is_plain is not None and is_plain(call):
        return False
    if isinstance(func, cst.Name):
        return func.value not in PLAIN_CALLS
    if isinstance(func, cst.Attribute):
        method = func.attr.value
        if method in DATA_METHODS:
            return False
        if method in CONTAINER_WRITES:
            return not isinstance(func.value, cst.Name)
    return True


def does_business_work(statements: Iterable[cst.CSTNode], is_plain: IsPlainCall | None = None) -> bool:
    """Whether the statements hold a business call, an attribute write, a loop, a branch or a `try`."""
    for statement in statements:
        for node in walk(statement):
            if isinstance(node, (*_COMPOUND, cst.Await)):
                return True
            if isinstance(node, cst.Call) and is_business_call(node, is_plain):
                return True
            if isinstance(node, cst.AssignTarget) and isinstance(node.target, cst.Attribute):
                return True
            if isinstance(node, cst.AugAssign) and isinstance(node.target, cst.Attribute):
                return True
    return False
