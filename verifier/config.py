"""Settings: one frozen value built from defaults, a config file and the command line.

Precedence (lowest to highest): built-in defaults, ``[tool.verifier]`` in
``pyproject.toml`` or a ``verifier.toml`` (found in the current directory or its
parents; ``verifier.toml`` wins when both exist), then command-line options.
Unknown keys in a config file are an error that names the key and the file.
"""

from __future__ import annotations

import datetime as _dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from verifier.errors import ConfigError

FORMATS = ("text", "json", "markdown", "html", "sarif", "junit")
FAIL_ON = ("error", "warning", "info", "never")


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run can be told. Field names match the long options (``-`` → ``_``)."""

    format: str = "text"
    output: tuple[str, ...] = ()
    offline: bool = False
    fail_on: str = "error"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    input_format: str | None = None
    cache: str | None = None
    no_cache: bool = False
    cache_ttl: float = 86400.0
    timeout: float = 10.0
    concurrency: int = 32
    per_host: int = 4
    allow_private: bool = False
    wayback_api: str = "https://archive.org/wayback/available"
    cdx_api: str = "https://web.archive.org/cdx/search/cdx"
    timetravel_api: str = "http://timetravel.mementoweb.org/api/json"
    no_archive: bool = False
    baseline: str | None = None
    registry: tuple[str, ...] = ()
    crossref_api: str = "https://api.crossref.org"
    openalex_api: str = "https://api.openalex.org"
    mailto: str | None = None
    today: _dt.date | None = None
    """The date "now" for date checks (F003); the CLI sets it, the core never reads a clock."""

    def with_overrides(self, overrides: Mapping[str, Any]) -> Settings:
        """A copy with the given fields replaced (``None`` values are ignored)."""
        return _build(self, overrides, origin="arguments", skip_none=True)


_LIST_FIELDS = {"output", "select", "ignore", "registry"}
_FIELD_TYPES = {f.name: f.type for f in fields(Settings)}


def _coerce(name: str, value: Any, origin: str) -> Any:
    kind = _FIELD_TYPES[name]
    if name in _LIST_FIELDS:
        if isinstance(value, str):
            value = [v for v in value.split(",")]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{origin}: '{name}' must be a list of strings or a comma-separated string")
        return tuple(v.strip() for v in value if v.strip())
    if name == "today":
        if isinstance(value, _dt.date):
            return value
        raise ConfigError(f"{origin}: 'today' must be a date")
    if kind == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"{origin}: '{name}' must be true or false")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{origin}: '{name}' must be a whole number of at least 1")
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ConfigError(f"{origin}: '{name}' must be a positive number")
        return float(value)
    if not isinstance(value, str):
        raise ConfigError(f"{origin}: '{name}' must be a string")
    if name == "format" and value not in FORMATS:
        raise ConfigError(f"{origin}: 'format' must be one of {', '.join(FORMATS)} (got '{value}')")
    if name == "fail_on" and value not in FAIL_ON:
        raise ConfigError(f"{origin}: 'fail-on' must be one of {', '.join(FAIL_ON)} (got '{value}')")
    return value


def _build(base: Settings, values: Mapping[str, Any], *, origin: str, skip_none: bool = False) -> Settings:
    changes: dict[str, Any] = {}
    for key, value in values.items():
        name = key.replace("-", "_")
        if name not in _FIELD_TYPES:
            raise ConfigError(f"{origin}: unknown key '{key}'")
        if value is None and skip_none:
            continue
        changes[name] = _coerce(name, value, origin)
    return replace(base, **changes) if changes else base


def find_config(start: Path) -> Path | None:
    """The nearest ``verifier.toml``, or ``pyproject.toml`` with a ``[tool.verifier]`` table."""
    for folder in (start, *start.parents):
        candidate = folder / "verifier.toml"
        if candidate.is_file():
            return candidate
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "verifier" in _read_toml(candidate).get("tool", {}):
            return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from exc


def load(path: Path | None = None, *, start: Path | None = None) -> Settings:
    """Settings from a config file (``path``, or the nearest one above ``start``), else defaults."""
    if path is None:
        path = find_config(start or Path.cwd())
        if path is None:
            return Settings()
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("verifier", {})
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [tool.verifier] must be a table")
    return _build(Settings(), data, origin=str(path))
