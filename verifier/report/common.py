"""What several report formats share: stable ordering, grouping and counting."""

from __future__ import annotations

import re
from collections import defaultdict

from verifier.model import Finding, Report, Severity

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)

MARK = "<!-- verifier report: generated; not read as a document when its folder is checked -->"
"""The first line of the HTML (after the doctype) and Markdown reports: ``is_report`` looks for it,
so that ``verifier check .`` does not check the reports an earlier run wrote into ``reports/``."""


def is_report(head: bytes) -> bool:
    """Whether a file starting with ``head`` (its first few hundred bytes) is a report verifier wrote."""
    return MARK.encode("ascii") in head[:400]


def order(finding: Finding) -> tuple[str, int, int, str, str]:
    """Document, line, column, code, message: the order every format lists findings in."""
    loc = finding.location
    return (
        finding.document or "\uffff",
        loc.line if loc else 0,
        (loc.column or 0) if loc else 0,
        finding.code,
        finding.message,
    )


def document_paths(report: Report) -> list[str]:
    """Every document the report speaks of (read, unreadable, or named by a finding), sorted."""
    named = {f.document for f in report.findings if f.document}
    return sorted({d.path for d in report.documents} | set(report.unreadable) | named)


def by_document(report: Report) -> dict[str | None, list[Finding]]:
    """Findings per document path (``None``: findings about no document), each list in order."""
    groups: dict[str | None, list[Finding]] = defaultdict(list)
    for f in sorted(report.findings, key=order):
        groups[f.document].append(f)
    return dict(groups)


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def summary_line(report: Report) -> str:
    """``3 errors, 1 warning, 1 info in 2 documents (15 citations, 4 URLs)``."""
    counts = report.summary()
    citations = sum(d.citations for d in report.documents)
    urls = sum(d.urls for d in report.documents)
    line = (
        f"{count(counts['error'], 'error')}, {count(counts['warning'], 'warning')}, {counts['info']} info "
        f"in {count(len(report.documents), 'document')} ({count(citations, 'citation')}, {count(urls, 'URL')})"
    )
    if report.unreadable:
        n = len(report.unreadable)
        line += f"; {n} {'input' if n == 1 else 'inputs'} could not be read"
    return line


def position(finding: Finding) -> str:
    """``path:line:col``, ``path:line``, ``path`` or empty."""
    if finding.document is None:
        return ""
    loc = finding.location
    if loc is None:
        return finding.document
    if loc.column is None:
        return f"{finding.document}:{loc.line}"
    return f"{finding.document}:{loc.line}:{loc.column}"


def one_line(s: str) -> str:
    return " ".join(s.split())


def age(seconds: float) -> str:
    """How old a cached result is, in a few characters: ``40 s``, ``12 min``, ``3 h``, ``2 days``."""
    if seconds < 90:
        return f"{int(seconds)} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    if seconds < 36 * 3600:
        return f"{round(seconds / 3600)} h"
    days = round(seconds / 86400)
    return f"{days} day{'s' if days != 1 else ''}"


def cache_ages(report: Report) -> dict[str, float]:
    """Each URL whose result came from the cache, with the result's age in seconds."""
    return {link.url: link.cache_age for link in report.links if link.cache_age is not None}


# Characters a terminal or a CI log may act on rather than show: C0 controls (ESC starts ANSI and
# OSC sequences: colours, window titles, OSC 52 clipboard writes, erased lines), DEL, C1 controls
# (U+009B is a one-character CSI), the line and paragraph separators, and the bidirectional
# overrides and isolates that reorder what a reader sees ("Trojan Source").
_UNSAFE = "\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE_RE = re.compile(f"[{_UNSAFE}]")
_UNSAFE_IN_BLOCK_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")  # \t, \n kept
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(m: re.Match[str]) -> str:
    ch = m.group()
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def printable(text: str) -> str:
    """``text`` safe to print on one line of a terminal or CI log: every control character shown as an escape.

    ``a\\x1b]52;c;…`` and a file name ``a\\n::stop-commands::tok\\n.txt`` come out as the
    visible ``\\x1b`` and ``\\n``, so document text cannot recolour, retitle or clear the
    terminal, write to its clipboard, or start a line of its own in a log.
    """
    return _UNSAFE_RE.sub(_escaped, text) if _UNSAFE_RE.search(text) else text


def printable_block(text: str, *, markup: bool = False) -> str:
    """A multi-line report (Markdown, HTML, JSON...) safe to print: line breaks and tabs kept, any other
    control character written ``\\uNNNN`` (which JSON reads back as the same character).

    With ``markup`` (HTML, XML, Markdown, where a file name's line break is kept as it is), a line that
    would start with a CI workflow command (``::``, ``##[``) has its first character written as a
    character reference (``&#58;``), which every reader of the format shows as the same character.
    """
    if _UNSAFE_IN_BLOCK_RE.search(text):
        text = _UNSAFE_IN_BLOCK_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    if markup:
        text = _COMMAND_LINE_RE.sub(lambda m: f"{m.group(1)}&#{ord(m.group(2))};", text)
    return text


_COMMAND_LINE_RE = re.compile(r"^([ \t]*)(:(?=:)|#(?=#\[))", re.MULTILINE)


_SAFE_LINE_START = re.compile(r"[\w./\\~-]")


def line_start(path: str) -> str:
    """``path`` (already ``printable``) fit to start a line of a log: one starting with anything but a
    letter, digit or path character (``::stop-commands::x.txt``, ``##[group]``) is written ``./…``,
    so a file name can never be read as a CI workflow command."""
    return path if _SAFE_LINE_START.match(path) else "./" + path
