"""The codemods of flaskmod.

Each public module of this package is one codemod (``route_decorator_order.py`` is
``route-decorator-order``); ``flaskmod.codemods.core`` holds the engine they run in.
"""
