"""Reports: one module per format, each ``render(report) -> str``; one function writes.

``render(report, fmt)`` picks the renderer by format name (the names of
``--format``); ``write(report, path)`` picks it by the file's extension (the
rule of ``--output``). Both are pure apart from ``write`` touching its one file.
"""

from __future__ import annotations

from pathlib import Path

from verifier.errors import UsageError
from verifier.model import Report
from verifier.report import json as json_report
from verifier.report import text as text_report

__all__ = ["EXTENSIONS", "check_format", "format_for_path", "render", "write"]

EXTENSIONS: dict[str, str] = {
    ".json": "json",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".sarif": "sarif",
    ".xml": "junit",
    ".txt": "text",
}
"""File extension (lower case) → report format, for ``--output``."""

_AVAILABLE = ("text", "json")
_LATER = ("markdown", "html", "sarif", "junit")
"""Formats of the contract whose renderers a later issue builds."""


def check_format(fmt: str) -> None:
    """Raise ``UsageError`` unless ``fmt`` can be rendered.

    Callers run this before a long check so that a report nobody can write is
    refused up front rather than after minutes of link checking.
    """
    if fmt in _AVAILABLE:
        return
    if fmt in _LATER:
        raise UsageError(f"the {fmt} report format is not available yet")
    raise UsageError(f"unknown report format '{fmt}' (choose from {', '.join(_AVAILABLE + _LATER)})")


def format_for_path(path: str | Path) -> str:
    """The report format a file's extension asks for; ``UsageError`` for an unknown extension."""
    suffix = Path(path).suffix.lower()
    try:
        return EXTENSIONS[suffix]
    except KeyError:
        known = ", ".join(sorted(set(EXTENSIONS) - {".markdown", ".htm"}))
        raise UsageError(f"cannot tell the report format of '{path}' from its extension (use {known})") from None


def render(report: Report, fmt: str, *, color: bool = False) -> str:
    """The report as ``fmt`` (``text``, ``json``, ...), without a trailing newline.

    ``color`` applies to the text format only: ANSI colour for a terminal.
    """
    check_format(fmt)
    if fmt == "json":
        return json_report.render(report)
    return text_report.render(report, color=color)


def write(report: Report, path: str | Path) -> Path:
    """Write the report to ``path`` in the format its extension names, creating parent folders.

    Raises ``UsageError`` for an unknown or unavailable format (before touching
    the disk) and ``OSError`` when the file cannot be written.
    """
    target = Path(path)
    content = render(report, format_for_path(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content + "\n", encoding="utf-8")
    return target
