"""``[tool.flaskmod]``: found, validated, and overridden by the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from flaskmod.codemods.core.config import ConfigError, find_config, load_config


def _pyproject(root: Path, body: str) -> Path:
    path = root / "pyproject.toml"
    path.write_text(body)
    return path


def test_reads_every_key(tmp_path: Path) -> None:
    path = _pyproject(
        tmp_path,
        '[tool.flaskmod]\nselect = ["route-decorator-order"]\nignore = ["unify-aborts"]\nunsafe = true\n'
        'exclude = ["migrations/"]\nextend-exclude = ["*_pb2.py"]\n',
    )
    config = load_config(path)
    assert config.select == ("route-decorator-order",)
    assert config.ignore == ("unify-aborts",)
    assert config.unsafe is True
    assert config.exclude == ("migrations/", "*_pb2.py")
    assert config.base == tmp_path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[tool.flaskmod]\nselekt = []\n", "unknown key `selekt`"),
        ('[tool.flaskmod]\nselect = ["no-such"]\n', "unknown codemod 'no-such'"),
        ('[tool.flaskmod]\nunsafe = "yes"\n', "`unsafe` must be true or false"),
        ("[tool.flaskmod]\nexclude = 3\n", "`exclude` must be a list of strings"),
        ('[tool.flaskmod]\nexclude-path = ["migrations/"]\n', "`exclude-path` is now `exclude`"),
        (
            '[tool.flaskmod]\nexclude = ["unify-aborts"]\n',
            "`exclude` holds paths .*; codemod ids go in `ignore`: ignore = \\['unify-aborts'\\]",
        ),
        ('[tool.flaskmod.per-file-ignores]\n"tests/" = ["nope"]\n', "unknown codemod 'nope'"),
        ('[tool.flaskmod]\nper-file-ignores = ["tests/"]\n', "`per-file-ignores` must be a table"),
        ("[tool.flaskmod.route-decorator-order]\nspeed = 1\n", "unknown option `speed` for route-decorator-order"),
        ("[tool.flaskmod\n", "invalid TOML"),
    ],
)
def test_bad_config_names_the_problem(tmp_path: Path, body: str, message: str) -> None:
    path = _pyproject(tmp_path, body)
    with pytest.raises(ConfigError, match=message) as error:
        load_config(path)
    assert str(path) in str(error.value)


def test_found_above_the_paths_but_not_past_the_repository(tmp_path: Path) -> None:
    _pyproject(tmp_path, "[tool.flaskmod]\nunsafe = true\n")
    project = tmp_path / "project"
    (project / "app").mkdir(parents=True)
    assert find_config([project / "app"]) == tmp_path / "pyproject.toml"
    (project / ".git").mkdir()
    assert find_config([project / "app"]) is None


def test_pyproject_without_the_table_is_passed_by(tmp_path: Path) -> None:
    _pyproject(tmp_path, "[project]\nname = 'x'\n")
    (tmp_path / ".git").mkdir()
    assert find_config([tmp_path]) is None


def test_standalone_file_holds_the_keys_at_top_level(tmp_path: Path) -> None:
    path = tmp_path / "flaskmod.toml"
    path.write_text("unsafe = true\n")
    assert load_config(path).unsafe is True


def test_option_with_choices_refuses_other_values(tmp_path: Path) -> None:
    path = _pyproject(tmp_path, '[tool.flaskmod.structlog-logging]\nevent-style = "shouting"\n')
    with pytest.raises(ConfigError, match="must be one of 'sentence', 'snake', not 'shouting'"):
        load_config(path)


@pytest.mark.parametrize(
    ("value", "message"),
    [('"app.log.log"', "logger-objects` must be of type list"), ('["app.log.log", 3]', "must be a list of str")],
)
def test_list_option_refuses_other_values(tmp_path: Path, value: str, message: str) -> None:
    path = _pyproject(tmp_path, f"[tool.flaskmod.structlog-logging]\nlogger-objects = {value}\n")
    with pytest.raises(ConfigError, match=message):
        load_config(path)
