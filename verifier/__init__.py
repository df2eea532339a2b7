"""verifier — find, parse and verify every citation of a document.

The public API is what the command line uses, with the same names (docs/api.md)::

    >>> import verifier
    >>> verifier.parse_citation('Nirmala Joshi, "Russia and Central Asia", *Strategic Analysis*, Dec. 1995.').kind
    <Kind.ARTICLE: 'article'>
    >>> report = verifier.check(["chapter.txt"], offline=True, select="M,F")   # doctest: +SKIP
    >>> print(verifier.render(report, "markdown"))                              # doctest: +SKIP

Keyword arguments are the options of ``verifier check`` with ``_`` for ``-``
(``fail_on="warning"``, ``no_archive=True``, ``exclude_url=[...]``); the
positive spellings ``archive=False``, ``cache=False`` and ``progress=False``
are accepted too. ``check`` fills in today's date for the date checks, as the
command does.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from verifier.config import Settings
from verifier.model import Citation, Finding, LinkResult, Report, Severity, Source

__version__ = "0.1.0"
"""The one place the version is written (pyproject.toml reads it from here)."""

__all__ = [
    "Citation",
    "Finding",
    "LinkResult",
    "Report",
    "Settings",
    "Severity",
    "Source",
    "__version__",
    "check",
    "parse",
    "parse_citation",
    "render",
    "to_bibtex",
    "to_csl",
]

_FIELDS = {f.name for f in dataclasses.fields(Settings)}
_NEGATED = {"archive": "no_archive", "progress": "no_progress"}
"""Positive spellings of the ``--no-...`` options: ``archive=False`` is ``no_archive=True``."""


def _settings(settings: Settings | None, options: dict[str, Any]) -> Settings:
    from verifier.config import did_you_mean

    given: dict[str, Any] = {}
    for key, value in options.items():
        name = key.replace("-", "_")
        if name in _NEGATED and isinstance(value, bool):
            given[_NEGATED[name]] = not value
        elif name == "cache" and isinstance(value, bool):
            given["no_cache"] = not value
        elif name in _FIELDS:
            given[name] = value
        else:
            raise TypeError(f"unknown option {key!r}{did_you_mean(name, sorted(_FIELDS | set(_NEGATED)))}")
    return (settings or Settings()).with_overrides(given)


def _paths(paths: str | Path | Sequence[str | Path]) -> list[str | Path]:
    return [paths] if isinstance(paths, (str, Path)) else list(paths)


def check(paths: str | Path | Sequence[str | Path], settings: Settings | None = None, **options: Any) -> Report:
    """Read, parse and judge the citations of ``paths`` (files, folders, globs); check links unless
    ``offline=True``. ``options`` are the command's options (``select="M,I001"``, ``fail_on=...``);
    ``progress`` and ``registry_progress`` may also be functions ``(done, total)`` called as URLs are
    checked and works looked up."""
    from verifier import pipeline

    callbacks = {k: options.pop(k) for k in ("progress", "registry_progress") if callable(options.get(k))}
    resolved = _settings(settings, options)
    if resolved.today is None:  # the core never reads a clock: "today" is decided here, as the CLI does
        resolved = dataclasses.replace(resolved, today=_dt.date.today())
    return pipeline.check(_paths(paths), resolved, **callbacks)


def parse(paths: str | Path | Sequence[str | Path], settings: Settings | None = None, **options: Any) -> Report:
    """The citations and sources of ``paths``: no rules, no network (``verifier parse``)."""
    from verifier import pipeline

    return pipeline.parse(_paths(paths), _settings(settings, {**options, "offline": True}))


def parse_citation(text: str) -> Citation:
    """Parse one citation string into a Citation (kind and fields); never raises on bad input."""
    from verifier.citations import parse as parse_text
    from verifier.model import Location, Origin

    kind, fields, parsed = parse_text(text)
    return Citation("c1", "", None, Location(1), text, kind, fields, None, Origin.NOTE, 0, parsed)


def render(report: Report, format: str = "text", *, color: bool = False, fail_on: str = "error",
           quiet: bool = False, junit_dialect: str = "gitlab") -> str:
    """The report as ``format`` (text, json, markdown, html, sarif, junit), as ``--format`` prints it."""
    from verifier import report as reports

    return reports.render(report, format, color=color, fail_on=fail_on, quiet=quiet, junit_dialect=junit_dialect,
                          root=os.getcwd())


def to_bibtex(report: Report, *, bibtex_style: str = "biblatex", ascii: bool = False) -> str:
    """The report's sources as BibTeX (``verifier export --bibtex``; ``bibtex_style`` biblatex or bibtex)."""
    from verifier import export

    return export.to_bibtex(report, style=bibtex_style, ascii_only=ascii)


def to_csl(report: Report) -> str:
    """The report's sources as CSL-JSON text (``verifier export --csl-json``)."""
    from verifier import export

    return export.to_csl_json(report)
