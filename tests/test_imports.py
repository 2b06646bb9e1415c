"""The cheap import editor: the same output as LibCST's AddImportsVisitor / RemoveImportsVisitor.

Each case states the expected code; where LibCST's helpers are meant to agree, the case
is also run through them, so a LibCST upgrade that changes their output shows up here.
"""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from flaskmod.codemods.core.imports import NeededImport, UnusedImport, add_imports, remove_unused_imports


def _code(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def _added(source: str, *needed: NeededImport) -> str:
    return add_imports(cst.parse_module(_code(source)), needed).code


def _removed(source: str, *unused: UnusedImport) -> str:
    return remove_unused_imports(cst.parse_module(_code(source)), unused).code


def _libcst_added(source: str, *needed: NeededImport) -> str:
    context = CodemodContext()
    for item in needed:
        AddImportsVisitor.add_needed_import(context, item.module, item.name, item.asname)
    return AddImportsVisitor(context).transform_module(cst.parse_module(_code(source))).code


def _libcst_removed(source: str, *unused: UnusedImport) -> str:
    context = CodemodContext()
    for item in unused:
        RemoveImportsVisitor.remove_unused_import(context, item.module, item.name, item.asname)
    return RemoveImportsVisitor(context).transform_module(cst.parse_module(_code(source))).code


# -- adding: left alone first ----------------------------------------------------------

ADD_NOOPS = [
    pytest.param("import structlog\n\nx = 1\n", [NeededImport("structlog")], id="module-already-imported"),
    pytest.param("from flask import abort\n", [NeededImport("flask", "abort")], id="name-already-imported"),
    pytest.param("from flask import *\n", [NeededImport("flask", "abort")], id="star-import-covers-it"),
    pytest.param("import numpy as np\n", [NeededImport("numpy", None, "np")], id="aliased-module-already-imported"),
    pytest.param(
        "from flask import jsonify as j\n", [NeededImport("flask", "jsonify", "j")], id="aliased-name-already-imported"
    ),
]


@pytest.mark.parametrize(("source", "needed"), ADD_NOOPS)
def test_add_leaves_alone(source: str, needed: list[NeededImport]) -> None:
    assert _added(source, *needed) == _code(source)
    assert _libcst_added(source, *needed) == _code(source)


# -- adding: rewrites ---------------------------------------------------------------------

ADD_CASES = [
    pytest.param("x = 1\n", [NeededImport("structlog")], "import structlog\n\nx = 1\n", id="empty-block"),
    pytest.param(
        '"""Doc."""\nimport os\n\nx = 1\n',
        [NeededImport("structlog")],
        '"""Doc."""\nimport os\n\nimport structlog\n\nx = 1\n',
        id="third-party-gets-a-section-after-stdlib",
    ),
    pytest.param(
        "from flask import Flask, jsonify\n\napp = Flask(__name__)\n",
        [NeededImport("flask", "abort")],
        "from flask import Flask, abort, jsonify\n\napp = Flask(__name__)\n",
        id="merged-into-existing-from-import-by-type",
    ),
    pytest.param(
        "from flask import (\n    Flask,\n    jsonify,\n)\n",
        [NeededImport("flask", "abort"), NeededImport("flask", "Response")],
        "from flask import (\n    Flask,\n    Response,\n    abort,\n    jsonify,\n)\n",
        id="merged-into-parenthesised-import-in-its-layout",
    ),
    pytest.param(
        "import os\nx = 1\nfrom flask import Flask\n",
        [NeededImport("flask", "abort")],
        "import os\n\nfrom flask import abort\n\nx = 1\nfrom flask import Flask\n",
        id="only-the-leading-block-counts",
    ),
    pytest.param(
        "from __future__ import annotations\n\nimport os\n",
        [NeededImport("__future__", "division"), NeededImport("json")],
        "from __future__ import annotations, division\n\nimport json\nimport os\n",
        id="future-merged",
    ),
    pytest.param(
        '"""Doc."""\nimport os\n',
        [NeededImport("__future__", "annotations")],
        '"""Doc."""\nfrom __future__ import annotations\n\nimport os\n',
        id="future-goes-first",
    ),
    pytest.param(
        "import os\n# a comment about x\nx = 1\n",
        [NeededImport("werkzeug.exceptions", "NotFound"), NeededImport("b"), NeededImport("a")],
        "import os\n\nimport a\nimport b\nfrom werkzeug.exceptions import NotFound\n\n# a comment about x\nx = 1\n",
        id="several-kinds-and-comment-kept-apart",
    ),
    pytest.param(
        "import numpy\n", [NeededImport("numpy", None, "np")], "import numpy\nimport numpy as np\n", id="module-alias"
    ),
    pytest.param(
        "import os; import sys\nx = 1\n",
        [NeededImport("json")],
        "import json\n\nimport os; import sys\nx = 1\n",
        id="a-line-of-two-imports-ends-no-block",
    ),
]


ISORT_CASES = [
    pytest.param(
        "# licence\nimport os\nimport sys\n\nfrom flask import Flask\n\nfrom .models import User\n\nx = 1\n",
        [
            NeededImport("structlog"),
            NeededImport("flask.views", "MethodView"),
            NeededImport("logging"),
            NeededImport("werkzeug.exceptions", "HTTPException"),
        ],
        "# licence\nimport logging\nimport os\nimport sys\n\nimport structlog\nfrom flask import Flask\n"
        "from flask.views import MethodView\nfrom werkzeug.exceptions import HTTPException\n\n"
        "from .models import User\n\nx = 1\n",
        id="each-kind-into-its-section-sorted",
    ),
    pytest.param(
        "# licence\nfrom .models import User\n\nx = 1\n",
        [NeededImport("structlog")],
        "# licence\nimport structlog\n\nfrom .models import User\n\nx = 1\n",
        id="a-section-before-the-relative-ones-header-stays-on-top",
    ),
    pytest.param(
        "import os\nfrom .models import User\n\nx = 1\n",
        [NeededImport("structlog")],
        "import os\nimport structlog\nfrom .models import User\n\nx = 1\n",
        id="mixed-block-after-the-last-of-its-kind",
    ),
    pytest.param(
        "import sys\nimport os\n\nx = 1\n",
        [NeededImport("json")],
        "import sys\nimport os\nimport json\n\nx = 1\n",
        id="an-unsorted-section-keeps-its-order",
    ),
    pytest.param(
        "from flask import jsonify, Flask\n",
        [NeededImport("flask", "abort")],
        "from flask import jsonify, Flask, abort\n",
        id="unsorted-names-appended",
    ),
]


@pytest.mark.parametrize(("source", "needed", "expected"), ADD_CASES + ISORT_CASES)
def test_add(source: str, needed: list[NeededImport], expected: str) -> None:
    assert _added(source, *needed) == expected


def test_add_relative_import_joins_the_same_spelling_only() -> None:
    # `.services` in one file is one module: its names join. LibCST, without a package name, adds a
    # second statement, which ruff's import sorting (I001) rejects.
    source = "from .services import a\nfrom ..services import z\n\nx = 1\n"
    needed = [NeededImport.of(".services", "b")]
    assert _added(source, *needed) == "from .services import a, b\nfrom ..services import z\n\nx = 1\n"
    assert _libcst_added(source, *needed) == (
        "from .services import a\nfrom ..services import z\nfrom .services import b\n\nx = 1\n"
    )
    assert _added(source, NeededImport.of(".services", "a")) == source


def test_needed_import_of_spells_relative_modules() -> None:
    assert NeededImport.of("services", "b", relative=1) == NeededImport(".services", "b")
    assert NeededImport.of("..pkg") == NeededImport("..", "pkg")


# -- removing: left alone first -----------------------------------------------------------

REMOVE_NOOPS = [
    pytest.param("import logging\n\nlogging.info('x')\n", [UnusedImport("logging")], id="still-used"),
    pytest.param("from flask import request\n\nrequest.args\n", [UnusedImport("flask", "request")], id="name-used"),
    pytest.param(
        "from flask import request\n\n__all__ = ['request']\n", [UnusedImport("flask", "request")], id="in-__all__"
    ),
    pytest.param(
        "from flask import request\n\n__all__ = []\n__all__ += ['request']\n",
        [UnusedImport("flask", "request")],
        id="in-__all__-augmented",
    ),
    pytest.param(
        "from models import User\n\ndef f(u: 'User') -> None: ...\n",
        [UnusedImport("models", "User")],
        id="used-in-string-annotation",
    ),
    pytest.param(
        "from models import User\n\ndef f(u: 'list[User]') -> None: ...\n",
        [UnusedImport("models", "User")],
        id="used-inside-string-annotation",
    ),
    pytest.param(
        "from typing import TypeVar\nfrom models import Model\n\nT = TypeVar('T', bound='Model')\n",
        [UnusedImport("models", "Model")],
        id="used-in-typevar-bound",
    ),
    pytest.param("from models import User\n\nx: User\n", [UnusedImport("models", "User")], id="used-in-annotation"),
    pytest.param("from __future__ import annotations\n", [UnusedImport("__future__", "annotations")], id="future"),
    pytest.param("from flask import *\n", [UnusedImport("flask", "request")], id="star-import"),
    pytest.param("import numpy as np\n\nnp.zeros(1)\n", [UnusedImport("numpy", None, "np")], id="alias-used"),
    pytest.param("import numpy as np\n", [UnusedImport("numpy")], id="alias-differs-from-request"),
    pytest.param(
        "import os.path\n\nos.getcwd()\n", [UnusedImport("os.path")], id="dotted-import-used-through-its-head"
    ),
    pytest.param(
        "try:\n    import simplejson as json\nexcept ImportError:\n    import json\n\njson.dumps(1)\n",
        [UnusedImport("json"), UnusedImport("simplejson", None, "json")],
        id="try-except-importerror-used",
    ),
    pytest.param(
        "import sys\nif sys.version_info >= (3, 11):\n    import tomllib\nelse:\n    import tomli as tomllib\n"
        "tomllib.loads('')\n",
        [UnusedImport("tomllib"), UnusedImport("tomli", None, "tomllib")],
        id="conditional-import-used",
    ),
]


@pytest.mark.parametrize(("source", "unused"), REMOVE_NOOPS)
def test_remove_leaves_alone(source: str, unused: list[UnusedImport]) -> None:
    assert _removed(source, *unused) == _code(source)
    assert _libcst_removed(source, *unused) == _code(source)


def test_remove_keeps_a_name_only_a_shadowing_local_uses() -> None:
    # LibCST's scope analysis sees that `logging` in `f` is the parameter and drops the
    # import; flaskmod keeps any import whose name is still spelled: never wrong, at worst unused.
    source = "import logging\n\ndef f(logging):\n    return logging\n"
    assert _removed(source, UnusedImport("logging")) == _code(source)
    assert _libcst_removed(source, UnusedImport("logging")) == "\ndef f(logging):\n    return logging\n"


# -- removing: rewrites ---------------------------------------------------------------------

REMOVE_CASES = [
    pytest.param("import logging\n\nx = 1\n", [UnusedImport("logging")], "\nx = 1\n", id="whole-statement"),
    pytest.param(
        "import logging, os\n\nos.getcwd()\n", [UnusedImport("logging")], "import os\n\nos.getcwd()\n", id="one-alias"
    ),
    pytest.param(
        "from flask import Flask, request\n\napp = Flask(__name__)\n",
        [UnusedImport("flask", "request")],
        "from flask import Flask\n\napp = Flask(__name__)\n",
        id="last-name-and-its-comma",
    ),
    pytest.param(
        "from flask import (\n    request,  # the request\n    Flask,\n)\n\nFlask\n",
        [UnusedImport("flask", "request")],
        "from flask import (\n    Flask,\n)\n\nFlask\n",
        id="its-trailing-comment-goes-with-it",
    ),
    pytest.param(
        "import numpy as np\n", [UnusedImport("numpy", None, "np")], "\n", id="aliased-module-whose-alias-is-unused"
    ),
    pytest.param(
        "import logging\n\nx.logging = f(logging=1)\n",
        [UnusedImport("logging")],
        "\nx.logging = f(logging=1)\n",
        id="attribute-and-keyword-names-are-no-uses",
    ),
    pytest.param(
        "import logging\nimport logging.config\n\nlogging.config.dictConfig({})\n",
        [UnusedImport("logging")],
        "import logging.config\n\nlogging.config.dictConfig({})\n",
        id="chain-uses-the-dotted-import",
    ),
    pytest.param(
        "import logging\n\nlogger = 'logging is set up'\n",
        [UnusedImport("logging")],
        "\nlogger = 'logging is set up'\n",
        id="a-plain-string-is-no-use",
    ),
    pytest.param(
        "def f():\n    import logging\n    return 1\n",
        [UnusedImport("logging")],
        "def f():\n    return 1\n",
        id="import-inside-a-function",
    ),
    pytest.param(
        "try:\n    import simplejson as json\nexcept ImportError:\n    import json\n",
        [UnusedImport("json"), UnusedImport("simplejson", None, "json")],
        "try:\n    pass\nexcept ImportError:\n    pass\n",
        id="try-except-importerror-unused",
    ),
    pytest.param(
        "from models import User\n\nx: 'Other'\n",
        [UnusedImport("models", "User")],
        "\nx: 'Other'\n",
        id="string-annotation-naming-something-else",
    ),
]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "from flask import (\n    Flask,  # app\n    request,  # the request\n)\n\nFlask\n",
            "from flask import (\n    Flask,  # app\n)\n\nFlask\n",
        ),
        (
            "from flask import (\n    Flask,\n    request,\n)\n\nFlask\n",
            "from flask import (\n    Flask,\n)\n\nFlask\n",
        ),
        ("from flask import (\n    Flask,\n    request\n)\n\nFlask\n", "from flask import (\n    Flask\n)\n\nFlask\n"),
        ("from flask import (Flask, request)\n\nFlask\n", "from flask import (Flask)\n\nFlask\n"),
    ],
)
def test_the_last_kept_name_keeps_the_formatters_layout(source: str, expected: str) -> None:
    """Where LibCST leaves `(\n    Flask)` (its comma and comment gone), the block keeps its form."""
    assert _removed(source, UnusedImport("flask", "request")) == expected


@pytest.mark.parametrize(("source", "unused", "expected"), REMOVE_CASES)
def test_remove(source: str, unused: list[UnusedImport], expected: str) -> None:
    assert _removed(source, *unused) == expected
    assert _libcst_removed(source, *unused) == expected


def test_remove_matches_a_relative_import_as_spelled() -> None:
    # LibCST cannot resolve a relative import without the module's package, so it keeps it;
    # matching the spelling in the same file is enough for an import a codemod moved away.
    source = "from . import request\nfrom ..models import User, Role\n\nRole.query\n"
    removed = _removed(source, UnusedImport(".", "request"), UnusedImport("..models", "User"))
    assert removed == "from ..models import Role\n\nRole.query\n"
    assert _libcst_removed(source, UnusedImport(".", "request")) == source
    assert _removed(source, UnusedImport("..models", "Role")) == source  # still used


def test_the_project_s_own_modules_go_to_their_section() -> None:
    source = "import os\n\nfrom flask import Flask\n\nfrom app.models import User\n\nx = 1\n"
    module = add_imports(
        cst.parse_module(source),
        [NeededImport("app.services", "load"), NeededImport("structlog")],
        first_party=frozenset({"app"}),
    )
    expected = (
        "import os\n\nimport structlog\nfrom flask import Flask\n\n"
        "from app.models import User\nfrom app.services import load\n\nx = 1\n"
    )
    assert module.code == expected
    unknown = add_imports(cst.parse_module("import os\n\nx = 1\n"), [NeededImport("app.services", "load")])
    assert unknown.code == "import os\n\nfrom app.services import load\n\nx = 1\n"


def test_a_long_new_from_import_is_wrapped_one_name_a_line() -> None:
    names = ["compute_api_data_and_user_id", "compute_token_request", "create_team", "create_user"]
    module = add_imports(cst.parse_module("x = 1\n"), [NeededImport("app.auth_services", n) for n in names])
    expected = "from app.auth_services import (\n" + "".join(f"    {n},\n" for n in sorted(names)) + ")\n\nx = 1\n"
    assert module.code == expected
    short = add_imports(cst.parse_module("x = 1\n"), [NeededImport("app.s", "a"), NeededImport("app.s", "b")])
    assert short.code == "from app.s import a, b\n\nx = 1\n"
