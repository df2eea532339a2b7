"""Settings: option metadata, the config file, the renamed URL exclusion, suggestions for unknown keys."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from verifier.config import Settings, load, looks_like_url_pattern
from verifier.errors import ConfigError


@pytest.mark.parametrize(
    ("value", "url"),
    [
        pytest.param(r"^https://(www\.)?linkedin\.com/", True, id="anchored-regex"),
        pytest.param(r"example\.org", True, id="escaped-dot"),
        pytest.param(r".*\.pdf$", True, id="regex-suffix"),
        pytest.param("linkedin.com", True, id="bare-host"),
        pytest.param("https://example.org/private", True, id="url"),
        pytest.param("drafts/", False, id="folder"),
        pytest.param("*.md", False, id="extension-glob"),
        pytest.param("build/**", False, id="recursive-glob"),
        pytest.param("notes.txt", False, id="file-name"),
        pytest.param("node_modules", False, id="folder-name"),
    ],
)
def test_which_exclude_values_are_old_url_patterns(value: str, url: bool) -> None:
    assert looks_like_url_pattern(value) is url


def test_a_url_pattern_under_exclude_in_a_config_file_moves_to_exclude_url_with_a_warning(tmp_path: Path) -> None:
    config = tmp_path / "verifier.toml"
    config.write_text('exclude = ["drafts/", "^https://intranet\\\\."]\n', encoding="utf-8")
    origins: dict[str, str] = {}
    with pytest.warns(DeprecationWarning, match="use 'exclude-url'"):
        settings = load(config, origins=origins)
    assert settings.exclude == ("drafts/",)
    assert settings.exclude_url == (r"^https://intranet\.",)
    assert origins["exclude"] == str(config) and origins["exclude_url"] == f"{config} (as 'exclude')"


def test_an_unknown_key_names_the_nearest(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.verifier]\nextend-exclud = ["x"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown key 'extend-exclud' \(did you mean 'extend-exclude'\?\)"):
        load(config)


def test_every_setting_but_today_is_an_option_with_help() -> None:
    for f in dataclasses.fields(Settings):
        if f.name == "today":
            assert not f.metadata
            continue
        assert f.metadata["help"] and f.metadata["group"] and f.metadata["commands"], f.name
