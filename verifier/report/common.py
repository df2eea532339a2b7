"""What several report formats share: stable ordering, grouping and counting."""

from __future__ import annotations

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

