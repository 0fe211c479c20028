"""Number and flag settings read from monitor.toml get their declared types, or a clear error."""

from __future__ import annotations

import pytest

from monitor.config import SettingsError, load_settings


def _load(tmp_path, body: str):
    toml = tmp_path / "monitor.toml"
    toml.write_text("[monitor]\n" + body)
    return load_settings(env={}, settings_file=toml)


def test_file_numbers_take_their_declared_types(tmp_path) -> None:
    s = _load(tmp_path, "story_threshold = 1\nlearn_min_articles = 6.0\nlearn_min_share = 0.4\n")
    assert s.story_threshold == 1.0 and type(s.story_threshold) is float
    assert s.learn_min_articles == 6 and type(s.learn_min_articles) is int
    assert s.learn_min_share == 0.4


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("learn_min_articles = 4.5", "learn_min_articles = 4.5 is not a whole number"),
        ('story_window_days = "7"', "story_window_days = '7' is not a whole number"),
        ('story_threshold = "high"', "story_threshold = 'high' is not a number"),
        ("learn_min_articles = true", "learn_min_articles = True is not a whole number"),
    ],
)
def test_a_file_value_of_the_wrong_type_names_the_file_and_key(tmp_path, line, message) -> None:
    with pytest.raises(SettingsError, match=message) as err:
        _load(tmp_path, line + "\n")
    assert "monitor.toml: [monitor]" in str(err.value)


def test_other_file_values_pass_unchanged(tmp_path) -> None:
    s = _load(tmp_path, 'duckdb_memory_limit = "1GB"\ndemo_on_empty = false\n')
    assert s.duckdb_memory_limit == "1GB" and s.demo_on_empty is False


def test_an_environment_value_of_the_wrong_type_names_the_variable(tmp_path) -> None:
    with pytest.raises(SettingsError, match=r"MONITOR_POLL_CONCURRENCY = 'eight' is not a whole"):
        load_settings(env={"MONITOR_POLL_CONCURRENCY": "eight"}, settings_file=tmp_path / "x")
    with pytest.raises(SettingsError, match=r"MONITOR_HOST_SPACING = '1,5' is not a number"):
        load_settings(env={"MONITOR_HOST_SPACING": "1,5"}, settings_file=tmp_path / "x")
    assert load_settings(env={"MONITOR_HOST_SPACING": "1.5"}, settings_file=tmp_path / "x")


def test_a_file_value_of_an_environment_setting_names_the_key(tmp_path) -> None:
    with pytest.raises(SettingsError, match=r"\[monitor\] poll_concurrency = 'many' is not"):
        _load(tmp_path, 'poll_concurrency = "many"\n')
