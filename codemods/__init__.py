"""flaskmod: codemods that pay down the debt of years-old Flask codebases.

Each public module of this package is one codemod (``route_decorator_order.py`` is
``route-decorator-order``); ``codemods.core`` holds the engine they run in.
"""

__version__ = "0.1.0"
