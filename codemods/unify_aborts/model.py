"""What unify-aborts knows and records: the Flask/werkzeug name sets it matches, and its records.

``ErrorReturn``, ``Context`` and ``Handler`` are what the collector finds; ``Plan`` is what
the planners decide and the transform pass applies.
"""

from __future__ import annotations

import http
import re
from dataclasses import dataclass, field

import libcst as cst

from flaskmod.codemods.core.flask import HTTP_ERROR_CLASSES

# Only plain Flask objects get the JSON error handler: APIFlask and flask-smorest
# render HTTP errors themselves.
PLAIN_APPS = frozenset({"flask.Flask", "flask.app.Flask"})
PLAIN_BLUEPRINTS = frozenset({"flask.Blueprint", "flask.blueprints.Blueprint"})
# Extensions that serve no pages of their own: handing them the app adds no HTML errors.
PAGELESS_EXTENSIONS = frozenset(
    {
        "flask_sqlalchemy.SQLAlchemy",
        "flask_sqlalchemy_lite.SQLAlchemy",
        "flask_migrate.Migrate",
        "flask_cors.CORS",
        "flask_marshmallow.Marshmallow",
        "flask_caching.Cache",
        "flask_compress.Compress",
        "flask_jwt_extended.JWTManager",
        "flask_mail.Mail",
        "flask_bcrypt.Bcrypt",
    }
)
# Exception classes an `except` clause catches every HTTPException with.
CATCH_ALL = frozenset({"builtins.Exception", "builtins.BaseException", "werkzeug.exceptions.HTTPException"})
HTTP_STATUS_VALUES = {f"http.HTTPStatus.{status.name}": status.value for status in http.HTTPStatus}
# A file that mentions these may customise what `abort(code)` raises.
ABORTER_CUSTOMISATION = re.compile(
    r"\baborter\b|aborter_class|make_aborter|\bAborter\b|\babort\.mapping\b"
    r"|default_exceptions\s*\[[^\]]*\]\s*=|default_exceptions\.(?:update|setdefault)\("
)
# Project helpers that build an error response, reported (never rewritten).
HELPER_NAMES = frozenset(re.sub(r"(?<!^)(?=[A-Z])", "_", e.name).lower() for e in HTTP_ERROR_CLASSES.values())
HANDLER_NAME = "handle_http_error"
STYLE_ORDER = ("abort", "raise", "jsonify return", "dict return", "make_response return", "text return")


@dataclass
class ErrorReturn:
    """A ``return <body>, <status>`` (or make_response/Response) with a status of 400 or more."""

    node: cst.Return
    kind: str
    status: int
    headers: bool = False
    key: str | None = None  # the single JSON key, when the body is {key: <str>}
    key_node: cst.BaseExpression | None = None
    message: cst.BaseExpression | None = None


@dataclass
class Context:
    """Where a node sits: its function, class and the blocks between."""

    function: cst.FunctionDef | None
    top_level_function: bool
    classes: list[cst.ClassDef]
    in_with: bool
    catching_try: bool
    in_lambda: bool


@dataclass
class Handler:
    """An error handler registration found in the file."""

    node: cst.CSTNode | None  # None: in another module of the package
    spelled: str
    code: int | None = None
    catch_all: bool = False
    unknown: bool = False
    where: str = ""  # " in <path>" for another module

    @property
    def described(self) -> str:
        return f"`{self.spelled}`{self.where}"


@dataclass
class Plan:
    """What the planning pass found and decided, recorded as the codemod's edits at the end."""

    # Original `return`, `raise` or expression statement -> the statement that replaces it.
    replacements: dict[cst.BaseSmallStatement, cst.BaseSmallStatement] = field(default_factory=dict)
    # Index of a module-level statement -> the statements added after it.
    insert_after: dict[int, list[cst.BaseStatement]] = field(default_factory=dict)
    # (module, name) imports the new code needs, added only when something is replaced.
    imports: set[tuple[str, str]] = field(default_factory=set)
