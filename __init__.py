"""flaskmod: codemods that pay down the debt of years-old Flask codebases.

Installed, this folder is the one import package ``flaskmod`` (see ``package-dir`` in
pyproject.toml): ``flaskmod.cli`` is the command, ``flaskmod.codemods`` the codemods
and ``flaskmod.codemods.core`` the engine they run in.
"""

__version__ = "0.1.0"
