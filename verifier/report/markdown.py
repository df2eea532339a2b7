"""The Markdown report: a summary and findings tables fit for a pull-request comment.

::

    ## verifier: 3 errors, 1 warning, 1 info

    3 errors, 1 warning, 1 info in 2 documents (15 citations, 4 URLs)

    | severity | findings |
    ...
    ### b/chapter.txt · 4 findings
    | line | rule | severity | message | suggestion |

Long reports fold each document's table into ``<details>``, and the whole
comment stays under GitHub's 65,536-character limit (the rest is counted, not
cut mid-row). Every piece of document text is escaped: table pipes, backticks,
Markdown emphasis and links, HTML tags, and ``@`` (a citation must never
mention a GitHub user).
"""

from __future__ import annotations

import re

from verifier.model import Finding, LinkStatus, Report, Severity
from verifier.report.common import MARK, SEVERITIES, by_document, count, document_paths, one_line, summary_line

LIMIT = 60_000
"""Characters of findings tables before the rest is only counted (GitHub's comment limit is 65,536)."""

FOLD_AFTER = 15
"""Reports with more findings than this fold each document's table into ``<details>``."""

_ICON = {Severity.ERROR: "🔴", Severity.WARNING: "🟡", Severity.INFO: "🔵"}
_SPECIAL = re.compile(r"([\\`*_\[\]|~#!])")


def escape(text: str) -> str:
    """``text`` safe inside a Markdown table cell: one line, shown literally."""
    text = one_line(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("@", "@\u200b")


def _url(url: str) -> str:
    """A URL as an inline code span that cannot break out of its cell or autolink."""
    clean = one_line(url).replace("|", "%7C").replace("`", "%60")
    return f"`{clean}`"


def render(report: Report) -> str:
    """The report as GitHub-flavoured Markdown, without a trailing newline."""
    counts = report.summary()
    title = ", ".join(
        [count(counts["error"], "error"), count(counts["warning"], "warning"), f"{counts['info']} info"]
    )
    mark = "❌" if counts["error"] or report.unreadable else ("⚠️" if counts["warning"] else "✅")
    out = [MARK, f"## {mark} verifier: {title}", "", escape(summary_line(report)), ""]
    out += ["| severity | findings |", "|---|---:|"]
    out += [f"| {_ICON[s]} {s.value} | {counts[s.value]} |" for s in SEVERITIES]
    out += _links(report)

    groups = by_document(report)
    clean = [p for p in document_paths(report) if p not in groups and p not in report.unreadable]
    fold = len(report.findings) > FOLD_AFTER
    size = 0
    left = 0
    for path in [p for p in document_paths(report) if p in groups] + ([None] if None in groups else []):
        findings = groups[path]
        if size > LIMIT:
            left += len(findings)
            continue
        table, shown = _table(findings, LIMIT - size)
        size += sum(len(line) + 1 for line in table)
        left += len(findings) - shown
        heading = f"{escape(path) if path else 'Other findings'} · {_breakdown(findings)}"
        if fold:
            out += ["", "<details>", f"<summary><b>{heading}</b></summary>", "", *table, "", "</details>"]
        else:
            out += ["", f"### {heading}", "", *table]
    if left:
        out += ["", f"_… and {count(left, 'more finding')} not shown here: see the full report._"]
    if report.unreadable:
        out += ["", "**Could not be read:** " + ", ".join(escape(p) for p in sorted(report.unreadable))]
    if clean:
        out += ["", "**No findings:** " + ", ".join(escape(p) for p in clean)]
    out += ["", f"<sub>verifier {escape(report.version)}</sub>"]
    return "\n".join(out)


def _breakdown(findings: list[Finding]) -> str:
    tally = [(sum(f.severity is s for f in findings), s.value) for s in SEVERITIES]
    parts = [f"{n} info" if name == "info" else count(n, name) for n, name in tally if n]
    return f"{count(len(findings), 'finding')} ({', '.join(parts)})"


def _table(findings: list[Finding], budget: int) -> tuple[list[str], int]:
    rows = ["| line | rule | severity | message | suggestion |", "|---:|---|---|---|---|"]
    size = 0
    shown = 0
    for f in findings:
        loc = f.location
        where = "" if loc is None else (f"{loc.line}" if loc.column is None else f"{loc.line}:{loc.column}")
        message = escape(f.message)
        if f.url and f.url not in f.message:
            message += f"<br>{_url(f.url)}"
        suggestion = escape(f.suggestion) if f.suggestion else ""
        severity = f"{_ICON[f.severity]} {f.severity.value}"
        row = f"| {where} | `{f.code}` {escape(f.rule)} | {severity} | {message} | {suggestion} |"
        size += len(row) + 1
        if size > budget and shown:
            break
        rows.append(row)
        shown += 1
    return rows, shown


def _links(report: Report) -> list[str]:
    if not report.links:
        return []
    tally = {s: 0 for s in LinkStatus}
    for link in report.links:
        tally[link.status] += 1
    cells = [f"{s.value} {n}" for s, n in tally.items() if n]
    return ["", f"**Links:** {count(len(report.links), 'URL')}: " + ", ".join(cells)]
