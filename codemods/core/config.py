"""``[tool.flaskmod]`` configuration, validated: an unknown key is an error naming it.

```toml
[tool.flaskmod]
select = ["route-decorator-order"]      # default: every codemod
ignore = []                             # codemods not to run
unsafe = false
exclude = ["migrations/", "*_pb2.py"]   # paths (gitignore-style, relative to this file's folder)
extend-exclude = []                     # more paths, as Ruff's
fail-on = "never"                       # never | error | finding (exit 4)
max-markdown-chars = 60000              # --format markdown stays under this
format-command = "ruff format"          # run on the Python files written (exit 5 if it fails)
cache-dir = ".flaskmod_cache"           # the result cache, relative to this file

[tool.flaskmod.per-file-ignores]        # codemods not to run on the files a pattern matches
"tests/**" = ["structlog-logging"]

[tool.flaskmod.<codemod-id>]            # that codemod's options
```

The keys are Ruff's: ``exclude`` holds paths and ``ignore`` codemod ids. The spellings of
before (``exclude-path``, codemod ids in ``exclude``) are errors that name the new key.
"""

from __future__ import annotations

import os
import string
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from flaskmod.codemods.core.discovery import PathPatterns, PatternError
from flaskmod.codemods.core.formatter import command_problem
from flaskmod.codemods.core.ignores import PerFileIgnore
from flaskmod.codemods.core.registry import all_codemods, codemod_ids

TOP_LEVEL_KEYS: tuple[str, ...] = (
    "select",
    "ignore",
    "unsafe",
    "exclude",
    "extend-exclude",
    "per-file-ignores",
    "fail-on",
    "max-markdown-chars",
    "format-command",
    "cache-dir",
)
# Keys of before Ruff's spelling was followed: each is an error naming its new key.
RENAMED_KEYS = {"exclude-path": "exclude"}
FAIL_ON_CHOICES = ("never", "error", "finding")
MIN_MARKDOWN_CHARS = 2000  # below this not even the summary and the note fit


class ConfigError(Exception):
    """A configuration problem; the message names the file and the key."""


@dataclass
class FileConfig:
    path: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()  # codemod ids
    unsafe: bool | None = None
    exclude: tuple[str, ...] = ()  # paths: ``exclude`` and ``extend-exclude``
    per_file_ignores: tuple[PerFileIgnore, ...] = ()
    fail_on: str | None = None
    max_markdown_chars: int | None = None
    format_command: str | None = None
    cache_dir: Path | None = None  # as written; relative to ``base``
    codemod_options: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def base(self) -> Path:
        """The directory ``exclude`` and ``per-file-ignores`` patterns are relative to."""
        return self.path.parent if self.path is not None else Path.cwd()


def _flaskmod_table(data: dict[str, Any]) -> dict[str, Any] | None:
    tool = data.get("tool")
    if isinstance(tool, dict) and isinstance(tool.get("flaskmod"), dict):
        return tool["flaskmod"]
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    if b"\x00" in data:  # UTF-8 TOML never holds NUL; UTF-16 and UTF-32 (BOM or not) always do
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 (it looks like UTF-16 or UTF-32)")
    try:
        return tomllib.loads(data.decode("utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except UnicodeDecodeError as error:  # TOML is UTF-8 only (a UTF-16 file, a latin-1 comment...)
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 ({error.reason} at byte {error.start})") from None


def find_config(paths: Sequence[Path]) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.flaskmod]`` table above the paths.

    The search starts at the paths' common directory and stops at a repository root.
    """
    absolute = [Path(os.path.abspath(p)) for p in paths] or [Path.cwd()]
    try:
        directory = Path(os.path.commonpath(absolute))
    except ValueError:
        directory = Path.cwd()
    if not directory.is_dir():
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _flaskmod_table(_read_toml(pyproject)) is not None:
            return pyproject
        if (candidate / ".git").exists():
            return None
    return None


def _string_list(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: `{key}` must be a list of strings")
    return tuple(value)


def _codemod_list(path: Path, key: str, value: Any) -> tuple[str, ...]:
    ids = _string_list(path, key, value)
    for codemod_id in ids:
        if codemod_id not in codemod_ids():
            raise ConfigError(
                f"{path}: `{key}` names unknown codemod {codemod_id!r} (known: {', '.join(codemod_ids())})"
            )
    return ids


def load_config(path: Path) -> FileConfig:
    """Read and validate ``path``: a pyproject's ``[tool.flaskmod]``, or a whole TOML file of the same keys."""
    data = _read_toml(path)
    table = _flaskmod_table(data)
    if table is None:
        if path.name == "pyproject.toml":
            raise ConfigError(f"{path}: has no [tool.flaskmod] table")
        table = data
    config = FileConfig(path=path)
    codemods = {c.ID: c for c in all_codemods()}
    for key, value in table.items():
        if key in RENAMED_KEYS:
            raise ConfigError(f"{path}: `{key}` is now `{RENAMED_KEYS[key]}` (Ruff's spelling): rename the key")
        if key == "select":
            config.select = _codemod_list(path, key, value)
        elif key == "ignore":
            config.ignore = _codemod_list(path, key, value)
        elif key in ("unsafe", "fail-on", "max-markdown-chars"):
            _set_scalar(config, path, key, value)
        elif key in ("exclude", "extend-exclude"):
            config.exclude += _path_patterns(path, key, value, config.base)
        elif key == "per-file-ignores":
            config.per_file_ignores = _per_file_ignores(path, value, config.base)
        elif key == "format-command":
            problem = command_problem(value) if isinstance(value, str) else "must be a string"
            if problem is not None:
                raise ConfigError(f"{path}: `format-command` {problem}")
            config.format_command = value
        elif key == "cache-dir":
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{path}: `cache-dir` must be a folder path (a non-empty string)")
            config.cache_dir = Path(value)
        elif key in codemods:
            config.codemod_options[key] = _codemod_options(path, codemods[key], value)
        else:
            known = ", ".join((*TOP_LEVEL_KEYS, *codemods))
            raise ConfigError(f"{path}: unknown key `{key}` in [tool.flaskmod] (known: {known})")
    return config


def _path_patterns(path: Path, key: str, value: Any, base: Path) -> tuple[str, ...]:
    """``exclude`` or ``extend-exclude``: gitignore-style patterns, none of them a codemod id."""
    patterns = _string_list(path, key, value)
    ids = [p for p in patterns if p in codemod_ids()]
    if ids:
        raise ConfigError(
            f"{path}: `{key}` holds paths (Ruff's spelling); codemod ids go in `ignore`: ignore = {list(ids)!r}"
        )
    try:
        PathPatterns.from_patterns(base, patterns)
    except PatternError as error:
        raise ConfigError(f"{path}: `{key}` holds an {error}") from None
    return patterns


def _per_file_ignores(path: Path, table: Any, base: Path) -> tuple[PerFileIgnore, ...]:
    """``per-file-ignores``: a gitignore-style pattern -> the codemod ids that do not run on what it matches."""
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: `per-file-ignores` must be a table of pattern = [codemod ids]")
    entries: list[PerFileIgnore] = []
    for pattern, value in table.items():
        key = f"per-file-ignores.{pattern!r}"
        ids = _codemod_list(path, key, value)
        try:
            patterns = PathPatterns.from_patterns(base, [pattern])
        except PatternError as error:
            raise ConfigError(f"{path}: `per-file-ignores` holds an {error}") from None
        entries.append(PerFileIgnore(patterns, frozenset(ids)))
    return tuple(entries)


def _set_scalar(config: FileConfig, path: Path, key: str, value: Any) -> None:
    """``unsafe``, ``fail-on`` or ``max-markdown-chars``, validated."""
    if key == "unsafe":
        if not isinstance(value, bool):
            raise ConfigError(f"{path}: `unsafe` must be true or false")
        config.unsafe = value
    elif key == "fail-on":
        if value not in FAIL_ON_CHOICES:
            raise ConfigError(f"{path}: `fail-on` must be one of {', '.join(map(repr, FAIL_ON_CHOICES))}")
        config.fail_on = value
    else:
        if isinstance(value, bool) or not isinstance(value, int) or value < MIN_MARKDOWN_CHARS:
            raise ConfigError(f"{path}: `{key}` must be a whole number of at least {MIN_MARKDOWN_CHARS}")
        config.max_markdown_chars = value


def _codemod_options(path: Path, codemod: Any, table: Any) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: `{codemod.ID}` must be a table of options")
    options: dict[str, Any] = {}
    for key, value in table.items():
        option = codemod.OPTIONS.get(key)
        if option is None:
            known = ", ".join(codemod.OPTIONS) or "none"
            raise ConfigError(f"{path}: unknown option `{key}` for {codemod.ID} (known: {known})")
        problem = _option_problem(option, key, value)
        if problem is not None:
            raise ConfigError(f"{path}: `{codemod.ID}.{problem}")
        options[key] = value
    return options


def _is_of(value: Any, kind: type) -> bool:
    # bool is an int to Python, never to a config file.
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def _option_problem(option: Any, key: str, value: Any) -> str | None:
    """What is wrong with ``value`` for ``option``, starting with the option's key and a backtick; or None."""
    if not _is_of(value, option.type):
        return f"{key}` must be of type {option.type.__name__}"
    if option.module_path and value not in option.choices:
        problem = module_path_problem(value)
        if problem is not None:
            return f"{key}` {problem}"
    elif option.choices and value not in option.choices:
        allowed = ", ".join(repr(c) for c in option.choices)
        return f"{key}` must be one of {allowed}, not {value!r}"
    if option.value_type is not None and isinstance(value, dict):
        for item_key, item in value.items():
            if not _is_of(item, option.value_type):
                return f"{key}.{item_key}` must be of type {option.value_type.__name__}"
    if (
        option.value_type is not None
        and isinstance(value, list)
        and not all(_is_of(item, option.value_type) for item in value)
    ):
        return f"{key}` must be a list of {option.value_type.__name__}"
    if option.placeholders and isinstance(value, str):
        problem = _template_problem(value, option.placeholders)
        if problem is not None:
            return f"{key}` {problem}"
    return None


def module_path_problem(value: str) -> str | None:
    """Why ``value`` is no path flaskmod may write a module at, or None."""
    candidate = PurePosixPath(value.replace("\\", "/"))
    if candidate.is_absolute() or PureWindowsPath(value).is_absolute():
        return f"must be a relative path, not {value!r}"
    if ".." in candidate.parts:
        return f"must not contain `..`: {value!r}"
    if candidate.suffix != ".py":
        return f"must name a .py file, not {value!r}"
    return None


def _template_problem(template: str, placeholders: tuple[str, ...]) -> str | None:
    """Why ``template`` cannot be filled in with exactly ``placeholders``, or None when it can."""
    allowed = ", ".join(f"{{{name}}}" for name in placeholders)
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as error:
        return f"is not a valid template ({error}; write {{{{ and }}}} for braces, allowed: {allowed})"
    for name in fields:
        if name not in placeholders:
            return f"has an unknown placeholder {{{name}}} (allowed: {allowed})"
    try:
        template.format(**{name: "x" for name in placeholders})
    except (ValueError, KeyError, IndexError, AttributeError) as error:
        return f"is not a valid template ({error})"
    return None
