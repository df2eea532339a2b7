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
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """``(glob, codes)`` pairs: rule codes or prefixes not reported in documents whose path matches the glob."""
    input_format: str | None = None
    bibliography: str | None = None
    """A bibliography file that answers the citation keys of documents that name none."""
    root: str | None = None
    """Included files and bibliographies are read only below it (and the document's folder); None means the
    repository root above the current folder (a ``.git``), else the current folder."""
    allow_outside_root: bool = False
    cache: str | None = None
    no_cache: bool = False
    cache_ttl: float = 86400.0
    timeout: float = 10.0
    concurrency: int = 64
    per_host: int = 4
    allow_private: bool = False
    user_agent: str | None = None
    """Sent with every request; None means ``verifier/<version> (+project URL)``."""
    exclude: tuple[str, ...] = ()
    """Regular expressions: a URL matching one is not checked (status ``skipped``)."""
    accept: tuple[str, ...] = ()
    """HTTP statuses to treat as alive: ``"429"`` everywhere, ``"example.org=403,999"`` for one host."""
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


_LIST_FIELDS = {"output", "select", "ignore", "registry", "exclude", "accept"}
_UNSPLIT_FIELDS = {"exclude", "accept"}
_FIELD_TYPES = {f.name: f.type for f in fields(Settings)}


def _coerce(name: str, value: Any, origin: str) -> Any:
    kind = _FIELD_TYPES[name]
    if name in _LIST_FIELDS:
        if isinstance(value, str):  # a regex or "host=403,999" may hold commas: only plain lists split
            value = [value] if name in _UNSPLIT_FIELDS else [v for v in value.split(",")]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{origin}: '{name}' must be a list of strings or a comma-separated string")
        return tuple(v.strip() for v in value if v.strip())
    if name == "per_file_ignores":
        return _per_file_ignores(value, origin)
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


def _per_file_ignores(value: Any, origin: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A table ``{glob = [codes]}``, pairs ``(glob, codes)``, or strings ``"GLOB=CODES"`` (the command line's)."""
    pairs: list[tuple[Any, Any]] = []
    if isinstance(value, Mapping):
        pairs = list(value.items())
    elif isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, str) and "=" in item:
                glob, codes = item.rsplit("=", 1)
                pairs.append((glob, codes))
            elif isinstance(item, (list, tuple)) and len(item) == 2:
                pairs.append((item[0], item[1]))
            else:
                raise ConfigError(f"{origin}: 'per-file-ignores' entries are GLOB=CODES (got {item!r})")
    else:
        raise ConfigError(f"{origin}: 'per-file-ignores' must be a table of glob = [codes]")
    out: list[tuple[str, tuple[str, ...]]] = []
    for glob, given in pairs:
        listed: Any = given.split(",") if isinstance(given, str) else given
        if not isinstance(glob, str) or not glob.strip() or not isinstance(listed, (list, tuple)) \
                or not all(isinstance(c, str) for c in listed):
            raise ConfigError(f"{origin}: 'per-file-ignores' maps a glob to a list of rule codes (got {glob!r})")
        out.append((glob.strip(), tuple(c.strip().upper() for c in listed if c.strip())))
    return tuple(out)


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
    except RecursionError:
        raise ConfigError(f"{path}: cannot read configuration: it is nested too deeply") from None


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
