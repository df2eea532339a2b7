"""Reports: one module per format, each ``render(report) -> str``; one function writes.

``render(report, fmt)`` picks the renderer by format name (the names of
``--format``); ``write(report, path)`` picks it by the file's extension (the
rule of ``--output``). Both are pure apart from ``write`` touching its one file.

    text      text.py      a terminal or a CI log
    json      json.py      verifier-report/1, for scripts
    markdown  markdown.py  a pull-request comment or a job summary
    html      html.py      one self-contained page for people (filters, sources table)
    sarif     sarif.py     SARIF 2.1.0 for code scanning (GitHub shows findings on the lines)
    junit     junit.py     JUnit XML for CI test tabs: one test case per document and rule
    github.py              GitHub Actions workflow commands (annotations); not a file format

``fail_on`` (the ``--fail-on`` threshold) matters to JUnit only: a finding at
or above it is a failure, below it a note in the test case's output. ``root``
(a ``file://`` URI of the folder relative paths start from) lets SARIF name the
base of its relative paths.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from verifier.errors import UsageError
from verifier.model import Report

__all__ = ["DEFAULT_FOLDER", "EXTENSIONS", "check_format", "format_for_path", "output_path", "render", "write"]

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

FORMATS = ("text", "json", "markdown", "html", "sarif", "junit")

DEFAULT_FOLDER = Path("reports")
"""Where ``--output NAME`` puts a bare file name (and a bare format name)."""

_DEFAULT_NAMES = {
    "text": "report.txt",
    "json": "report.json",
    "markdown": "report.md",
    "html": "report.html",
    "sarif": "report.sarif",
    "junit": "junit.xml",
}


def check_format(fmt: str) -> None:
    """Raise ``UsageError`` unless ``fmt`` can be rendered.

    Callers run this before a long check so that a report nobody can write is
    refused up front rather than after minutes of link checking.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown report format '{fmt}' (choose from {', '.join(FORMATS)})")


def format_for_path(path: str | Path) -> str:
    """The report format a file's extension asks for; ``UsageError`` for an unknown extension."""
    suffix = Path(path).suffix.lower()
    try:
        return EXTENSIONS[suffix]
    except KeyError:
        known = ", ".join(sorted(set(EXTENSIONS) - {".markdown", ".htm"}))
        raise UsageError(f"cannot tell the report format of '{path}' from its extension (use {known})") from None


def output_path(value: str) -> Path:
    """Where ``--output VALUE`` writes: a bare file name goes into ``reports/``, a bare
    format name or extension (``html``, ``md``) becomes ``reports/report.html``…; a path with a
    folder (``./report.html``, ``out/r.sarif``) stays as given."""
    name = _DEFAULT_NAMES.get(value) or _DEFAULT_NAMES.get(EXTENSIONS.get("." + value.lower(), ""))
    if name:  # --output html, --output md
        return DEFAULT_FOLDER / name
    if "/" in value or "\\" in value or Path(value).is_absolute():
        return Path(value)
    return DEFAULT_FOLDER / value


def render(
    report: Report, fmt: str, *, color: bool = False, fail_on: str = "error", root: str | None = None,
    quiet: bool = False, junit_dialect: str = "gitlab",
) -> str:
    """The report as ``fmt`` (``text``, ``json``, ...), without a trailing newline.

    ``color`` applies to the text format only: ANSI colour for a terminal.
    ``fail_on`` to JUnit (which findings are failures), ``root`` to SARIF. ``quiet`` (text only): the
    findings and nothing else. ``junit_dialect``: ``gitlab`` (file and line on each test case) or
    ``jenkins`` (the xunit schema, which allows no such attributes).
    """
    check_format(fmt)
    # Each writer is loaded when asked for: the text one brings rich, the HTML one its page,
    # and a run writes one or two formats.
    if fmt == "json":
        from verifier.report import json as json_report

        return json_report.render(report)
    if fmt == "markdown":
        from verifier.report import markdown as markdown_report

        return markdown_report.render(report)
    if fmt == "html":
        from verifier.report import html as html_report

        return html_report.render(report)
    if fmt == "sarif":
        from verifier.report import sarif as sarif_report

        return sarif_report.render(report, root=root)
    if fmt == "junit":
        from verifier.report import junit as junit_report

        return junit_report.render(report, fail_on=fail_on, dialect=junit_dialect)
    from verifier.report import text as text_report

    return text_report.render(report, color=color, quiet=quiet)


def write(report: Report, path: str | Path, *, fail_on: str = "error", root: str | None = None,
          junit_dialect: str = "gitlab") -> Path:
    """Write the report to ``path`` in the format its extension names, creating parent folders.

    Raises ``UsageError`` for an unknown format (before touching the disk) and
    ``OSError`` when the file cannot be written.
    """
    target = Path(path)
    content = render(report, format_for_path(target), fail_on=fail_on, root=root, junit_dialect=junit_dialect)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, content + "\n")
    return target


def write_atomically(target: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``target`` so that it is either the old file or the whole new one.

    The text goes to a temporary file in the same folder (the same file system, so the rename is
    atomic), is flushed to disk, and only then renamed over ``target``: a full disk or a killed run
    leaves the previous report intact instead of a truncated one. The temporary file is created with
    mode 0666 less the umask, like any file ``open`` creates, and removed when anything fails.
    """
    data = text.encode("utf-8")
    for attempt in range(100):
        temp = target.with_name(f".{target.name}.{os.getpid()}.{attempt}.tmp")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        break
    else:
        raise FileExistsError(f"cannot create a temporary file beside {target}")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
