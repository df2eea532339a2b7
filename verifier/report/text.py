"""The text report: what a person reads in a terminal or a CI log.

::

    chapter.txt: 42 notes, 40 citations, 12 URLs
    chapter.txt:12:5: M001 [error] note marker 7 has no note
      → add note 7, or remove the marker
    chapter.txt:88:1: L001 [error] dead link (404)
      url: https://example.org/gone
      → https://web.archive.org/web/2015/https://example.org/gone

    1 error, 0 warnings, 0 info in 1 document (40 citations, 12 URLs)

Each finding is one line starting with ``path:line:col:``, the shape compilers
use, so editors and CI problem matchers can jump to it. Documents are sorted
by path and findings by position, so two runs on the same input print the same
bytes and diff cleanly.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable

from rich.console import Console
from rich.text import Text

from verifier.model import DocumentSummary, Finding, QuotationStatus, Report, Severity
from verifier.report.common import age, cache_ages, line_start, printable

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render(report: Report, *, color: bool = False, quiet: bool = False) -> str:
    """The report as text, without a trailing newline; ANSI colour only when ``color``. ``quiet``: the
    findings only (no line for a clean document, no summary; empty when nothing was found)."""
    text = Text("\n").join(_lines(report, quiet=quiet))
    if not color:
        return text.plain
    # The caller decided on colour (terminal, NO_COLOR); tell rich exactly that
    # rather than letting it look at the environment a second time.
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=True,
        no_color=False,
        color_system="standard",
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=True,
    )
    console.print(text, end="")
    return buffer.getvalue()


def _lines(report: Report, *, quiet: bool = False) -> Iterable[Text]:
    summaries = {d.path: d for d in report.documents}
    unreadable = set(report.unreadable)
    by_document: dict[str | None, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_document[finding.document].append(finding)

    paths = sorted(set(summaries) | unreadable | {p for p in by_document if p is not None})
    ages = cache_ages(report)
    groups: list[list[Text]] = []
    for path in paths:
        findings = by_document.get(path, [])
        if quiet and not findings:
            continue
        group = [_document_line(path, summaries.get(path), path in unreadable, bool(findings))]
        for finding in sorted(findings, key=_order):
            group.extend(_finding_lines(finding, ages))
        groups.append(group)
    if None in by_document:
        groups.append([line for f in sorted(by_document[None], key=_order) for line in _finding_lines(f, ages)])
    if not quiet:
        groups.append([_summary_line(report)])

    for i, group in enumerate(groups):
        if i:
            yield Text()
        yield from group


def _order(finding: Finding) -> tuple[int, int, str, str]:
    loc = finding.location
    return (loc.line if loc else 0, (loc.column or 0) if loc else 0, finding.code, finding.message)


def _document_line(path: str, summary: DocumentSummary | None, unreadable: bool, has_findings: bool) -> Text:
    line = Text()
    line.append(f"{line_start(printable(path))}:", style="bold")
    if unreadable:
        line.append(" could not be read")
    elif summary is not None:
        line.append(
            f" {_count(summary.notes, 'note')}, {_count(summary.citations, 'citation')}, {_count(summary.urls, 'URL')}"
        )
        if not has_findings:
            line.append("; no findings", style="green")
    return line


def _finding_lines(finding: Finding, ages: dict[str, float] | None = None) -> list[Text]:
    line = Text(_position(finding))
    line.append(finding.code, style="bold")
    line.append(" ")
    line.append(f"[{finding.severity.value}]", style=_SEVERITY_STYLE[finding.severity])
    # One finding, one line: a message quoting a multi-line note must not break the shape.
    # Document text, URLs and file names are shown with their control characters escaped (``\x1b``):
    # a citation must not be able to drive the terminal or forge a line of the log.
    line.append(" " + printable(_one_line(finding.message)))
    if ages and finding.url in ages:
        line.append(f" (cached, {age(ages[finding.url])} old)", style="dim")
    lines = [line]
    if finding.url and finding.url not in finding.message:
        lines.append(Text(f"  url: {printable(finding.url)}", style="dim"))
    if finding.suggestion:
        lines.append(Text(f"  → {printable(_one_line(finding.suggestion))}", style="green"))
    return lines


def _position(finding: Finding) -> str:
    if finding.document is None:
        return ""
    document = line_start(printable(finding.document))
    loc = finding.location
    if loc is None:
        return f"{document}: "
    if loc.column is None:
        return f"{document}:{loc.line}: "
    return f"{document}:{loc.line}:{loc.column}: "


def _summary_line(report: Report) -> Text:
    counts = report.summary()
    documents = report.documents
    line = Text()
    line.append(_count(counts["error"], "error"), style="bold red" if counts["error"] else "bold")
    line.append(", ")
    line.append(_count(counts["warning"], "warning"), style="bold yellow" if counts["warning"] else "bold")
    line.append(", ")
    line.append(f"{counts['info']} info", style="bold cyan" if counts["info"] else "bold")
    citations = sum(d.citations for d in documents)
    urls = sum(d.urls for d in documents)
    line.append(f" in {_count(len(documents), 'document')} ({_count(citations, 'citation')}, {_count(urls, 'URL')})")
    if report.unreadable:
        line.append("; ")
        n = len(report.unreadable)
        line.append(f"{n} {'input' if n == 1 else 'inputs'} could not be read", style="bold red")
    unchecked = [q for q in report.quotations if q.status is QuotationStatus.NOT_CHECKED]
    if unchecked:  # said once: why each could not be checked is in the JSON and HTML reports
        n = len(unchecked)
        reason = unchecked[0].why if all(q.why == unchecked[0].why for q in unchecked) else None
        line.append(f"; {n} of {_count(len(report.quotations), 'quotation')} could not be checked against "
                    f"{'its' if n == 1 else 'their'} source" + (f" ({reason})" if reason and len(reason) < 40 else ""))
    return line


def _one_line(s: str) -> str:
    return " ".join(part.strip() for part in s.splitlines() if part.strip()) if "\n" in s else s


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
