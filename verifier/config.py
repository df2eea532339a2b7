"""Settings: one frozen value built from defaults, a config file and the command line.

Precedence (lowest to highest): built-in defaults, ``[tool.verifier]`` in
``pyproject.toml`` or a ``verifier.toml`` (found in the current directory or its
parents; ``verifier.toml`` wins when both exist), then command-line options.
Unknown keys in a config file are an error that names the key and the file.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
import tomllib
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from verifier.errors import ConfigError

FORMATS = ("text", "json", "markdown", "html", "sarif", "junit")
FAIL_ON = ("error", "warning", "info", "never")


COLORS = ("auto", "always", "never")
_READ = "check baseline export archive parse"
_NET = "check baseline export archive"
JUNIT_DIALECTS = ("gitlab", "jenkins")


def option(default: Any, group: str, help: str, *, metavar: str | None = None, kind: str | None = None,
           choices: Sequence[str] | None = None, commands: str = "check baseline") -> Any:
    """A ``Settings`` field that is also a command-line option: the CLI builds its option groups from this.

    ``kind`` names how the CLI reads the value (``flag``, ``switch`` for --x/--no-x, ``list`` for a
    repeatable option, ``seconds``, ``count``, ``url``, ``registries``, ``readers``); ``commands`` lists
    the commands that take it.
    """
    return field(default=default, metadata={"group": group, "help": help, "metavar": metavar, "kind": kind,
                                            "choices": tuple(choices) if choices else None, "commands": commands})


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run can be told. Field names match the long options (``-`` → ``_``); each field's
    metadata (``option``) says how the command line spells it, so the option groups are declared once."""

    format: str = option("text", "report", "report format on stdout (default: text)", choices=FORMATS,
                         commands="check")
    output: tuple[str, ...] = option(
        (), "report", "also write a report to FILE, format from its extension (.json .md .html .sarif .xml .txt); "
        "a bare name goes into reports/ (--output report.html, or just --output html); repeatable",
        metavar="FILE", kind="list", commands="check")
    fail_on: str = option("error", "report", "lowest severity that makes the exit status 1 (default: error)",
                          choices=FAIL_ON, commands="check")
    exit_zero: bool = option(False, "report", "exit 0 even when there are findings (2 still means an input "
                             "could not be read)", kind="flag", commands="check")
    baseline: str | None = option(None, "report", "findings recorded in FILE are not reported again",
                                  metavar="FILE", commands="check")
    quiet: bool = option(False, "report", "print the findings only: no summary, no 'no findings' line",
                         kind="flag", commands="check")
    statistics: bool = option(False, "report", "print a count of findings per rule code instead of the findings "
                              "(a JSON array with --format json)",
                              kind="flag", commands="check")
    color: str = option("auto", "report", "colour on a terminal (auto, the default, honours NO_COLOR)",
                        choices=COLORS, commands="check")
    no_progress: bool = option(False, "report", "no progress bars on stderr", kind="flag", commands="check")
    junit_dialect: str = option("gitlab", "report", "JUnit XML for GitLab (file and line on each test case, the "
                                "default) or for Jenkins' xunit schema (no such attributes)",
                                choices=JUNIT_DIALECTS, commands="check")
    select: tuple[str, ...] = option((), "rules", "rule codes or prefixes to run (M,I001)", metavar="CODES",
                                     kind="list")
    ignore: tuple[str, ...] = option((), "rules", "rule codes or prefixes to skip", metavar="CODES", kind="list")
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = option(
        (), "rules", "rule codes or prefixes not reported in documents matching GLOB ('drafts/*.md=M009,I'); "
        "repeatable", metavar="GLOB=CODES", kind="list")
    """``(glob, codes)`` pairs: rule codes or prefixes not reported in documents whose path matches the glob."""
    report_unused_suppressions: bool = option(
        False, "rules", "report inline 'verifier: ignore' comments that suppress nothing (S001)", kind="flag")
    input_format: str | None = option(None, "inputs", "read every input as this format", kind="readers",
                                      commands=_READ)
    bibliography: str | None = option(
        None, "inputs", "a bibliography (.bib, CSL .json/.yaml) for documents that cite by key and name none",
        metavar="FILE")
    """A bibliography file that answers the citation keys of documents that name none."""
    root: str | None = option(None, "inputs", "read included files and bibliographies only below DIR "
                              "(default: the repository root, else the current folder)", metavar="DIR")
    """Included files and bibliographies are read only below it (and the document's folder); None means the
    repository root above the current folder (a ``.git``), else the current folder."""
    allow_outside_root: bool = option(False, "inputs", "also read included files and bibliographies outside "
                                      "the root", kind="flag")
    exclude: tuple[str, ...] = option(
        (), "inputs", "path globs of files and folders not to read (replaces the default list: hidden and "
        "vendored folders); repeatable", metavar="GLOB", kind="list", commands=_READ)
    extend_exclude: tuple[str, ...] = option(
        (), "inputs", "path globs not to read, on top of --exclude; repeatable", metavar="GLOB", kind="list",
        commands=_READ)
    force_exclude: bool = option(
        False, "inputs", "apply --exclude/--extend-exclude to files named on the command line too (for pre-commit, "
        "which names every changed file)", kind="flag", commands=_READ)
    respect_gitignore: bool = option(
        True, "inputs", "skip files that .gitignore, .ignore or .git/info/exclude ignore (default: on)",
        kind="switch", commands=_READ)
    stdin_filename: str | None = option(None, "inputs", "the name (and so the format) of the document read from "
                                        "standard input (PATH -)", metavar="NAME", commands=_READ)
    document_timeout: float = option(
        600.0, "inputs", "time each document may take to be read and parsed; past it, it is reported as partly "
        "read (P001) and the rest is kept (default: 600)", kind="seconds", commands=_READ)
    """Seconds each document may take to be read and parsed (``verifier.budget``). Generous: a 2,000-page PDF
    reads in about a minute on a slow machine; a CI job that wants a tighter bound sets less."""
    jobs: int | None = option(
        None, "parallel", "processes that read and parse the documents, and that check the links (default: the "
        "number of cores; 1: in this process)", kind="count", commands=_READ)
    """Processes of the map step (``verifier.parallel``); None: the cores, once the inputs are large enough."""
    scheduler: str | None = option(
        None, "parallel", "run the map step on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786; "
        "needs the 'dask' extra)", metavar="ADDRESS", commands=_READ)
    send_documents: bool = option(
        False, "parallel", "with --scheduler: send the documents' bytes to the workers instead of their paths "
        "(for workers that do not share this file system)", kind="flag", commands=_READ)
    offline: bool = option(False, "network", "no network at all: parse and run the offline rules only",
                           kind="switch")
    cache: str | None = option(None, "network", "link-check cache (SQLite); default in the user cache dir",
                               metavar="PATH", commands=_NET)
    no_cache: bool = option(False, "network", "do not read or write the cache", kind="flag", commands=_NET)
    cache_ttl: float = option(86400.0, "network", "how long a cached result is trusted", kind="seconds")
    timeout: float = option(10.0, "network", "per request", kind="seconds", commands=_NET)
    concurrency: int = option(64, "network", "requests in flight in all", kind="count",
                              commands="check baseline archive")
    per_host: int = option(4, "network", "requests in flight per host (and captures running at once for archive)",
                           kind="count", commands="check baseline archive")
    allow_private: bool = option(False, "network", "allow requests to loopback, private and link-local addresses",
                                 kind="switch", commands=_NET)
    user_agent: str | None = option(None, "network", "User-Agent sent with every request", metavar="TEXT")
    """Sent with every request; None means ``verifier/<version> (+project URL)``."""
    exclude_url: tuple[str, ...] = option(
        (), "network", "do not check URLs matching REGEX (repeatable)", metavar="REGEX", kind="list")
    """Regular expressions: a URL matching one is not checked (status ``skipped``)."""
    accept: tuple[str, ...] = option(
        (), "network", "HTTP statuses to treat as alive, everywhere (429) or for one host (example.org=403,999); "
        "repeatable", metavar="[HOST=]CODES", kind="list")
    """HTTP statuses to treat as alive: ``"429"`` everywhere, ``"example.org=403,999"`` for one host."""
    no_quotations: bool = option(False, "network", "do not look for quotations in their cited web pages (Q001, Q002)",
                                 kind="flag", commands="check baseline")
    no_archive: bool = option(False, "archives", "skip archive look-ups", kind="flag", commands="check baseline export")
    wayback_api: str = option("https://archive.org/wayback/available", "archives", "Wayback availability API",
                              kind="url", commands=_NET)
    cdx_api: str = option("https://web.archive.org/cdx/search/cdx", "archives", "Wayback CDX API", kind="url",
                          commands=_NET)
    timetravel_api: str = option("http://timetravel.mementoweb.org/api/json", "archives",
                                 "Memento TimeTravel API", kind="url", commands=_NET)
    registry: tuple[str, ...] = option((), "bibliographic registries",
                                       "look the cited works up in crossref,openalex", metavar="NAMES",
                                       kind="registries", commands="check baseline export")
    crossref_api: str = option("https://api.crossref.org", "bibliographic registries", "Crossref API base URL",
                               kind="url", commands="check baseline export")
    openalex_api: str = option("https://api.openalex.org", "bibliographic registries", "OpenAlex API base URL",
                               kind="url", commands="check baseline export")
    mailto: str | None = option(None, "bibliographic registries", "contact address sent to the registries",
                                metavar="ADDRESS", commands="check baseline export")
    today: _dt.date | None = None
    """The date "now" for date checks (F003); ``verifier.check`` and the CLI set it, the core never reads a clock."""

    def with_overrides(self, overrides: Mapping[str, Any]) -> Settings:
        """A copy with the given fields replaced (``None`` values are ignored)."""
        return _build(self, overrides, origin="arguments", skip_none=True)


_LIST_FIELDS = {"output", "select", "ignore", "registry", "exclude", "extend_exclude", "exclude_url", "accept"}
_UNSPLIT_FIELDS = {"exclude", "extend_exclude", "exclude_url", "accept"}
_FIELD_TYPES = {f.name: f.type for f in fields(Settings)}
_CHOICES = {f.name: f.metadata["choices"] for f in fields(Settings) if f.metadata.get("choices")}


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
    if kind in ("int", "int | None"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{origin}: '{name}' must be a whole number of at least 1")
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise ConfigError(f"{origin}: '{name}' must be a positive number")
        return float(value)
    if not isinstance(value, str):
        raise ConfigError(f"{origin}: '{name}' must be a string")
    choices = _CHOICES.get(name)
    if choices and value not in choices:
        raise ConfigError(f"{origin}: '{name.replace('_', '-')}' must be one of {', '.join(choices)} (got '{value}')")
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
            keys = [n.replace("_", "-") for n in _FIELD_TYPES]
            raise ConfigError(f"{origin}: unknown key '{key}'{did_you_mean(key, keys)}")
        if value is None and skip_none:
            continue
        changes[name] = _coerce(name, value, origin)
    if changes.get("exclude"):
        _move_url_patterns(base, changes, origin)
    return replace(base, **changes) if changes else base


_URL_PATTERN = re.compile(r"://|^\^|\$$|\\|\.\*|\(\?|^https?\b|^www\.")


_HOST = re.compile(r"^(?:[A-Za-z0-9-]+\.)+([A-Za-z]{2,})$")
_FILE_EXTENSIONS = frozenset(
    "md markdown txt text tex bib html htm xhtml pdf docx doc odt rtf json yaml yml toml xml csv tsv py rst adoc "
    "sarif log cfg ini lock sh js ts css png jpg jpeg gif svg zip gz".split()
)


def looks_like_url_pattern(value: str) -> bool:
    """True for an ``exclude`` value written for the old URL exclusion: a regex or URL (``^https://``,
    ``example\\.com``, ``.*\\.pdf$``) or a bare host name (``linkedin.com``); false for a path glob
    (``drafts/``, ``*.md``, ``build/**``, ``notes.txt``)."""
    host = _HOST.match(value)
    if host and host.group(1).lower() not in _FILE_EXTENSIONS:
        return True
    return bool(_URL_PATTERN.search(value))


def _move_url_patterns(base: Settings, changes: dict[str, Any], origin: str) -> None:
    """``exclude`` once meant URL regexes; it now means path globs. Values that can only be URL patterns
    go to ``exclude_url``, with a deprecation warning (the CLI prints it as ``verifier: warning: …``)."""
    urls = [v for v in changes["exclude"] if looks_like_url_pattern(v)]
    if not urls:
        return
    changes["exclude"] = tuple(v for v in changes["exclude"] if v not in urls)
    changes["exclude_url"] = (*changes.get("exclude_url", base.exclude_url), *urls)
    given, instead = ("--exclude", "--exclude-url") if origin == "arguments" else (f"{origin}: 'exclude'",
                                                                                   "'exclude-url'")
    warnings.warn(f"{given} is now for path globs; {', '.join(repr(u) for u in urls)} "
                  f"{'is a URL pattern' if len(urls) == 1 else 'are URL patterns'}: use {instead} "
                  "(read as such this time)", DeprecationWarning, stacklevel=2)


def did_you_mean(word: str, candidates: Sequence[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or nothing."""
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


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


def load(path: Path | None = None, *, start: Path | None = None, origins: dict[str, str] | None = None) -> Settings:
    """Settings from a config file (``path``, or the nearest one above ``start``), else defaults.

    ``origins``, when given, is filled with the field names the file set, each mapped to the file's path
    (``--show-settings`` says where each value came from).
    """
    if path is None:
        path = find_config(start or Path.cwd())
        if path is None:
            return Settings()
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("verifier", {})
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [tool.verifier] must be a table")
    settings = _build(Settings(), data, origin=str(path))
    if origins is not None:
        origins.update({key.replace("-", "_"): str(path) for key in data})
        if settings.exclude_url and "exclude_url" not in origins:
            origins["exclude_url"] = f"{path} (as 'exclude')"
    return settings
