"""The HTML report: one self-contained page for the people who fix the citations.

What is on it, top to bottom: the counts by severity and a bar chart of link
statuses (inline SVG); the findings, grouped by document or by source (a
toggle), each with its location, message, URL and suggestion, filtered by
severity and by rule; the quotations checked against their cited pages (status,
similarity, the closest passage, where it was found); the sources table (each source's fields, its citations
with their locations and text, its URLs' status and archived copy); the
documents read.

The page makes no request of its own: CSS and JavaScript are inline, and a
Content-Security-Policy allows nothing else — not even another inline script,
because the one script is allowed by its hash. Every piece of document text
is escaped for the context it lands in (element text or attribute value), and
only ``http``/``https`` URLs ever become links. It reads on a phone (cards,
no wide tables) and prints (filters hidden, every section open).
"""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from html import escape
from urllib.parse import urlsplit

from verifier.model import Citation, Finding, LinkResult, LinkStatus, QuotationStatus, Report, Severity, Source
from verifier.report.common import (
    MARK,
    SEVERITIES,
    age,
    by_document,
    count,
    document_paths,
    order,
    summary_line,
)
from verifier.rules.catalog import RULES

_STATUS_ORDER = (
    LinkStatus.ALIVE,
    LinkStatus.REDIRECTED,
    LinkStatus.DEAD,
    LinkStatus.SOFT_404,
    LinkStatus.BLOCKED,
    LinkStatus.ERROR,
    LinkStatus.SKIPPED,
)


def e(text: object) -> str:
    """Text escaped for HTML element content and (double- or single-quoted) attribute values."""
    return escape(str(text), quote=True)


def safe_href(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL with a host and nothing that could break out of it; else ``None``."""
    if not url or any(c.isspace() or ord(c) < 0x20 or c in "\"'<>`\\" for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def link(url: str, text: str | None = None) -> str:
    """An ``<a>`` for an http(s) URL, or the URL as plain text."""
    label = e(text if text is not None else url)
    href = safe_href(url)
    if href is None:
        return f'<span class="url">{label}</span>'
    return f'<a class="url" href="{e(href)}" rel="noopener noreferrer nofollow" target="_blank">{label}</a>'


def render(report: Report) -> str:
    """The whole page, without a trailing newline."""
    citations = {c.id: c for c in report.citations}
    counts = report.summary()
    title = f"verifier report: {count(counts['error'], 'error')}, {count(counts['warning'], 'warning')}, " \
            f"{counts['info']} info"
    body = "\n".join(
        [
            "<header>",
            "<h1>Citation report</h1>",
            f'<p class="meta">{e(summary_line(report))} · verifier {e(report.version)}</p>',
            "</header>",
            "<main>",
            _summary(report),
            _findings(report, citations),
            _quotations(report),
            _sources(report, citations),
            _documents(report),
            "</main>",
        ]
    )
    csp = (
        f"default-src 'none'; style-src '{_hash(_CSS)}'; script-src '{_hash(_JS)}'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    return (
        f"<!DOCTYPE html>\n{MARK}\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="generator" content="verifier">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"{body}\n<script>{_JS}</script>\n</body>\n</html>"
    )


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


# ------------------------------------------------------------------ summary


def _summary(report: Report) -> str:
    counts = report.summary()
    cards = "".join(
        f'<div class="card sev-{s.value}"><span class="n">{counts[s.value]}</span> '
        f"{s.value if s is Severity.INFO or counts[s.value] == 1 else s.value + 's'}</div>"
        for s in SEVERITIES
    )
    citations = sum(d.citations for d in report.documents)
    for n, noun in ((citations, "citation"), (len(report.sources), "source")):
        cards += f'<div class="card neutral"><span class="n">{n}</span> {noun if n == 1 else noun + "s"}</div>'
    return (
        '<section id="summary" aria-label="Summary">\n'
        f'<div class="cards">{cards}</div>\n{_chart(report.links)}\n</section>'
    )


def _chart(links: Iterable[LinkResult]) -> str:
    tally = dict.fromkeys(_STATUS_ORDER, 0)
    for result in links:
        tally[result.status] += 1
    total = sum(tally.values())
    if not total:
        return '<figure class="chart"><figcaption>Links</figcaption><p class="muted">No URLs cited.</p></figure>'
    row, label_w, bar_w = 24, 92, 220
    most = max(tally.values())
    bars = []
    for i, (status, n) in enumerate(tally.items()):
        y = i * row
        w = round(bar_w * n / most) if n else 0
        bars.append(
            f'<g class="st-{status.value}"><text x="0" y="{y + 16}" class="lbl">{status.value}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{max(w, 1) if n else 0}" height="16" rx="3"></rect>'
            f'<text x="{label_w + w + 6}" y="{y + 16}" class="num">{n}</text></g>'
        )
    height = row * len(tally)
    described = ", ".join(f"{n} {s.value}" for s, n in tally.items() if n)
    return (
        f'<figure class="chart"><figcaption>Links: {count(total, "URL")}</figcaption>'
        f'<svg viewBox="0 0 {label_w + bar_w + 40} {height}" role="img" aria-label="Link status: {e(described)}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg></figure>'
    )


# ------------------------------------------------------------------ findings


def _findings(report: Report, citations: dict[str, Citation]) -> str:
    if not report.findings:
        return '<section id="findings"><h2>Findings</h2><p class="ok">No findings.</p></section>'
    rules: dict[str, int] = defaultdict(int)
    sev: dict[str, int] = defaultdict(int)
    for f in report.findings:
        rules[f.code] += 1
        sev[f.severity.value] += 1
    boxes = "".join(
        f'<label class="chip sev-{s.value}"><input type="checkbox" name="severity" value="{s.value}" checked> '
        f"{s.value} ({sev[s.value]})</label>"
        for s in SEVERITIES
    )
    options = "".join(
        f'<option value="{e(code)}">{e(code)} {e(RULES[code].name if code in RULES else "")} ({n})</option>'
        for code, n in sorted(rules.items())
    )
    controls = (
        '<div class="controls" id="filters">'
        f'<fieldset><legend>Severity</legend>{boxes}</fieldset>'
        '<label class="rule">Rule <select id="rule-filter"><option value="">all rules</option>'
        f"{options}</select></label>"
        '<div class="views" role="group" aria-label="Group findings">'
        '<button type="button" data-view="by-document" aria-pressed="true">By document</button>'
        '<button type="button" data-view="by-source" aria-pressed="false">By source</button></div>'
        f'<output id="shown" aria-live="polite">{count(len(report.findings), "finding")}</output>'
        "</div>"
    )
    return (
        '<section id="findings"><h2>Findings</h2>\n'
        f"{controls}\n{_by_document(report, citations)}\n{_by_source(report, citations)}\n</section>"
    )


def _by_document(report: Report, citations: dict[str, Citation]) -> str:
    groups = by_document(report)
    parts = []
    for path in [p for p in document_paths(report) if p in groups] + ([None] if None in groups else []):
        findings = groups[path]
        heading = e(path) if path else "Not tied to a document"
        parts.append(_group(heading, findings, citations, show_document=False))
    return f'<div id="by-document" class="view">{"".join(parts)}</div>'


def _by_source(report: Report, citations: dict[str, Citation]) -> str:
    groups: dict[str | None, list[Finding]] = defaultdict(list)
    for f in sorted(report.findings, key=order):
        found = {s for c in f.citations if c in citations and (s := citations[c].source)}
        keys: list[str | None] = [*sorted(found)] if found else [None]
        for sid in keys:
            groups[sid].append(f)
    parts = []
    for source in report.sources:
        if source.id in groups:
            heading = _source_title(source, citations)
            parts.append(_group(heading, groups[source.id], citations, show_document=True, anchor=source.id))
    if None in groups:
        parts.append(_group("Not tied to one source", groups[None], citations, show_document=True))
    return f'<div id="by-source" class="view" hidden>{"".join(parts)}</div>'


def _group(
    heading: str, findings: list[Finding], citations: dict[str, Citation], *, show_document: bool,
    anchor: str | None = None,
) -> str:
    tally = " ".join(
        f'<span class="pill sev-{s.value}">{n} {s.value if n == 1 or s is Severity.INFO else s.value + "s"}</span>'
        for s in SEVERITIES
        if (n := sum(f.severity is s for f in findings))
    )
    link_to = f' <a class="jump" href="#src-{e(anchor)}">source ↓</a>' if anchor else ""
    items = "".join(_finding(f, citations, show_document) for f in findings)
    return (
        f'<details class="group" open><summary><span class="gh">{heading}</span> {tally}{link_to}</summary>'
        f'<ol class="findings">{items}</ol></details>'
    )


def _finding(f: Finding, citations: dict[str, Citation], show_document: bool) -> str:
    loc = f.location
    where = ""
    if loc is not None:
        where = f"line {loc.line}" + (f", col {loc.column}" if loc.column is not None else "")
    if show_document and f.document:
        where = f"{f.document}{': ' + where if where else ''}"
    name = f.rule or (RULES[f.code].name if f.code in RULES else "")
    parts = [
        f'<li class="finding sev-{f.severity.value}" data-severity="{e(f.severity.value)}" data-rule="{e(f.code)}">',
        '<div class="head">',
        f'<span class="badge sev-{f.severity.value}">{e(f.severity.value)}</span> ',
        f'<code class="code" title="{e(RULES[f.code].summary if f.code in RULES else name)}">{e(f.code)}</code> ',
        f'<span class="rule-name">{e(name)}</span>',
        f'<span class="where">{e(where)}</span>' if where else "",
        "</div>",
        f'<p class="msg">{e(f.message)}</p>',
    ]
    if f.url and f.url not in f.message:
        parts.append(f'<p class="detail">URL: {link(f.url)}</p>')
    if f.suggestion:
        suggestion = link(f.suggestion) if safe_href(f.suggestion) else e(f.suggestion)
        parts.append(f'<p class="fix">→ {suggestion}</p>')
    cited = [citations[c] for c in f.citations if c in citations]
    if cited:
        quoted = "".join(f"<li>{_cite_label(c)} <q>{e(_short(c.raw, 240))}</q></li>" for c in cited[:5])
        more = f"<li>… {len(cited) - 5} more</li>" if len(cited) > 5 else ""
        parts.append(f'<ul class="cited">{quoted}{more}</ul>')
    parts.append("</li>")
    return "".join(parts)


def _cite_label(c: Citation) -> str:
    label = f"note {c.note}" if c.note else f"line {c.location.line}"
    return f'<span class="muted">{e(label)}:</span>'


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------ sources


def _source_title(source: Source, citations: dict[str, Citation]) -> str:
    fields = source.fields
    if fields.title:
        head = f"“{e(fields.title)}”"
    else:
        first = next((citations[c] for c in source.citations if c in citations), None)
        head = e(_short(first.raw, 90)) if first else e(source.id)
    who = ", ".join(p.display() for p in fields.authors[:3]) + (" et al." if len(fields.authors) > 3 else "")
    extra = " · ".join(x for x in (who, fields.container or "", fields.date or "") if x)
    return head + (f' <span class="muted">{e(extra)}</span>' if extra else "")


def _sources(report: Report, citations: dict[str, Citation]) -> str:
    if not report.sources:
        return '<section id="sources"><h2>Sources</h2><p class="muted">No sources.</p></section>'
    links_of: dict[str, list[LinkResult]] = defaultdict(list)
    for result in report.links:
        for cid in result.citations:
            links_of[cid].append(result)
    rows = []
    for source in report.sources:
        cited = [citations[c] for c in source.citations if c in citations]
        seen: dict[str, LinkResult] = {}
        for c in cited:
            for result in links_of.get(c.id, []):
                seen.setdefault(result.url, result)
        items = "".join(
            f"<li><span class=\"muted\">{e(c.document)}:{c.location.line}"
            f"{' · note ' + e(c.note) if c.note else ''}</span> {e(_short(c.raw, 300))}</li>"
            for c in cited
        )
        cites = f'<ol class="cites">{items}</ol>'
        if len(cited) > 3:
            cites = f"<details><summary>{count(len(cited), 'citation')}</summary>{cites}</details>"
        url_cells = "".join(_link_line(r) for r in seen.values()) or '<span class="muted">—</span>'
        archives = "".join(
            f"<div>{link(r.archive.url, r.archive.timestamp[:10] or 'archived copy')}</div>"
            for r in seen.values()
            if r.archive
        ) or '<span class="muted">—</span>'
        rows.append(
            f'<tr id="src-{e(source.id)}"><td data-label="Source">{_source_title(source, citations)}'
            f' <span class="kind">{e(source.kind.value)}</span></td>'
            f'<td data-label="Citations">{cites}</td><td data-label="Links">{url_cells}</td>'
            f'<td data-label="Archive">{archives}</td></tr>'
        )
    return (
        f'<section id="sources"><h2>Sources <span class="muted">({len(report.sources)})</span></h2>'
        '<table class="stack"><thead><tr><th>Source</th><th>Citations</th><th>Links</th><th>Archive</th></tr>'
        f'</thead><tbody>{"".join(rows)}</tbody></table></section>'
    )


def _link_line(result: LinkResult) -> str:
    status = result.status.value
    detail = f" {result.http_status}" if result.http_status else ""
    note = f' title="{e(result.error)}"' if result.error else ""
    final = ""
    if result.final_url and result.final_url != result.url:
        final = f'<div class="muted">→ {link(result.final_url)}</div>'
    cached = ""
    if result.cache_age is not None:
        cached = f' <span class="muted cached">cached, {e(age(result.cache_age))} old</span>'
    return (
        f'<div class="linkline"><span class="status st-{e(status)}"{note}>{e(status)}{detail}</span> '
        f"{link(result.url)}{cached}{final}</div>"
    )


_QUOTATION_STATUS = {
    QuotationStatus.FOUND: ("found", "ok"),
    QuotationStatus.FOUND_IN_ARCHIVE: ("only in the archive", "info"),
    QuotationStatus.NOT_FOUND: ("not in the source", "warning"),
    QuotationStatus.NOT_CHECKED: ("not checked", "muted"),
}


def _quotations(report: Report) -> str:
    """Each quotation paired with a cited web page: what the page (or its capture) held of it."""
    if not report.quotations:
        return ""
    rows = []
    for q in report.quotations:
        label, tone = _QUOTATION_STATUS[q.status]
        where = f"{q.document}:{q.location.line}" if q.location else q.document
        similarity = f"{round(q.similarity * 100)} %" if q.similarity is not None else "—"
        detail = []
        if q.passage and q.status is not QuotationStatus.FOUND:
            detail.append(f'<q class="passage">{e(_short(q.passage, 320))}</q>')
        if q.where:
            detail.append(f"<div>{link(q.where)}</div>")
        if q.why:
            detail.append(f'<div class="muted">{e(q.why)}</div>')
        rows.append(
            f'<tr class="q-{e(q.status.value)}"><td data-label="Quotation"><q>{e(_short(q.text, 300))}</q>'
            f' <span class="muted">{e(where)}</span></td>'
            f'<td data-label="Status"><span class="qs qs-{tone}">{e(label)}</span></td>'
            f'<td data-label="Similarity">{e(similarity)}</td>'
            f'<td data-label="Source">{"".join(detail) or "—"}</td></tr>'
        )
    tally = " · ".join(f"{n} {label}" for status, (label, _) in _QUOTATION_STATUS.items()
                       if (n := sum(q.status is status for q in report.quotations)))
    return (
        f'<section id="quotations"><h2>Quotations <span class="muted">({e(tally)})</span></h2>'
        '<table class="stack"><thead><tr><th>Quotation</th><th>Status</th><th>Similarity</th>'
        f'<th>Closest passage and source</th></tr></thead><tbody>{"".join(rows)}</tbody></table></section>'
    )


def _documents(report: Report) -> str:
    rows = "".join(
        f'<tr><td data-label="Document">{e(d.path)}</td><td data-label="Format">{e(d.format)}</td>'
        f'<td data-label="Notes">{d.notes}</td><td data-label="Citations">{d.citations}</td>'
        f'<td data-label="URLs">{d.urls}</td></tr>'
        for d in sorted(report.documents, key=lambda d: d.path)
    )
    rows += "".join(
        f'<tr class="unreadable"><td data-label="Document">{e(p)}</td><td colspan="4">could not be read</td></tr>'
        for p in sorted(report.unreadable)
    )
    return (
        '<section id="documents"><h2>Documents</h2><table class="docs"><thead><tr><th>Document</th><th>Format</th>'
        f"<th>Notes</th><th>Citations</th><th>URLs</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


_CSS = """
:root{--fg:#1d2330;--muted:#5c6475;--bg:#f6f7f9;--card:#fff;--line:#dde1e8;--accent:#2f5bd3;
--error:#c62828;--error-bg:#fdecea;--warning:#9a5b00;--warning-bg:#fff4e0;--info:#1f5fa8;--info-bg:#e8f1fb;
--ok:#1b7a3d;--ok-bg:#e6f4ea}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8ee;--muted:#9aa3b5;--bg:#14171d;--card:#1d2129;--line:#303644;
--accent:#8fb0ff;--error:#ff8a80;--error-bg:#3a1f1f;--warning:#ffc266;--warning-bg:#3a2d14;--info:#8cc3ff;
--info-bg:#172a40;--ok:#7fd89a;--ok-bg:#173322}}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main{max-width:1100px;margin:0 auto;padding:0 16px}
header{padding-top:20px}
h1{font-size:1.5rem;margin:0 0 4px}
h2{font-size:1.2rem;margin:28px 0 10px}
.meta,.muted{color:var(--muted)}
.meta{margin:0}
a{color:var(--accent)}
a.url,span.url{word-break:break-all}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
#summary{display:flex;flex-wrap:wrap;gap:16px;margin-top:16px;align-items:stretch}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(92px,1fr));gap:10px;flex:1 1 320px;
align-content:start}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 12px;
border-top:4px solid var(--line)}
.card .n{display:block;font-size:1.7rem;font-weight:700;line-height:1.1}
.card.sev-error{border-top-color:var(--error)}.card.sev-error .n{color:var(--error)}
.card.sev-warning{border-top-color:var(--warning)}.card.sev-warning .n{color:var(--warning)}
.card.sev-info{border-top-color:var(--info)}.card.sev-info .n{color:var(--info)}
.chart{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 12px;margin:0;
flex:1 1 300px}
.chart figcaption{font-weight:600;margin-bottom:4px}
.chart svg{width:100%;max-width:420px;height:auto;display:block}
.chart text{font:12px system-ui,sans-serif;fill:var(--fg)}
.chart .num{fill:var(--muted)}
.st-alive rect{fill:#2e9d57}.st-redirected rect{fill:#6b8fd6}.st-dead rect{fill:#d64541}
.st-soft-404 rect{fill:#e0763c}
.st-blocked rect{fill:#b48ac9}.st-error rect{fill:#e0a93c}.st-skipped rect{fill:#9aa3b5}
.controls{display:flex;flex-wrap:wrap;gap:10px 18px;align-items:center;background:var(--card);
border:1px solid var(--line);
border-radius:10px;padding:10px 12px;position:sticky;top:0;z-index:2}
fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:6px;align-items:center}
legend{float:left;margin-right:6px;font-weight:600}
.chip{display:inline-flex;gap:4px;align-items:center;border:1px solid var(--line);border-radius:999px;
padding:2px 10px;cursor:pointer}
.rule{font-weight:600}
select,button{font:inherit;color:inherit;background:var(--bg);border:1px solid var(--line);border-radius:6px;
padding:3px 8px}
select{max-width:70vw}
.views{display:flex;gap:4px}
button[aria-pressed=true]{background:var(--accent);color:#fff;border-color:var(--accent)}
#shown{color:var(--muted);margin-left:auto}
.group{background:var(--card);border:1px solid var(--line);border-radius:10px;margin:12px 0;padding:0 12px}
.group>summary{cursor:pointer;padding:10px 0;font-weight:600;display:flex;flex-wrap:wrap;gap:6px;align-items:center}
.gh{margin-right:6px;word-break:break-word}
.jump{font-weight:400;font-size:.85em}
.findings{list-style:none;margin:0;padding:0 0 6px}
.finding{border-left:4px solid var(--line);padding:6px 10px;margin:0 0 8px;background:var(--bg);
border-radius:0 6px 6px 0}
.finding.sev-error{border-left-color:var(--error)}
.finding.sev-warning{border-left-color:var(--warning)}
.finding.sev-info{border-left-color:var(--info)}
.head{display:flex;flex-wrap:wrap;gap:6px;align-items:baseline}
.where{margin-left:auto;color:var(--muted);font-size:.9em}
.msg{margin:4px 0;overflow-wrap:anywhere}
.detail,.fix{margin:2px 0;font-size:.93em;overflow-wrap:anywhere}
.fix{color:var(--ok)}
.cited{margin:4px 0 0;padding-left:18px;font-size:.88em;color:var(--muted)}
.cited q{color:var(--fg);overflow-wrap:anywhere}
.badge,.pill,.status,.kind{display:inline-block;border-radius:999px;padding:0 8px;font-size:.8em;font-weight:600}
.sev-error.badge,.sev-error.pill,.chip.sev-error{background:var(--error-bg);color:var(--error)}
.sev-warning.badge,.sev-warning.pill,.chip.sev-warning{background:var(--warning-bg);color:var(--warning)}
.sev-info.badge,.sev-info.pill,.chip.sev-info{background:var(--info-bg);color:var(--info)}
.kind{background:var(--bg);color:var(--muted);font-weight:400;border:1px solid var(--line)}
.status{background:var(--bg);border:1px solid var(--line)}
.status.st-alive{background:var(--ok-bg);color:var(--ok)}
.status.st-dead,.status.st-soft-404{background:var(--error-bg);color:var(--error)}
.status.st-error,.status.st-blocked,.status.st-redirected{background:var(--warning-bg);color:var(--warning)}
.linkline{margin-bottom:4px}
.ok{color:var(--ok);font-weight:600}
table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:10px}
th,td{text-align:left;vertical-align:top;padding:8px 10px;border-bottom:1px solid var(--line)}
th{font-size:.85em;color:var(--muted);font-weight:600}
td{overflow-wrap:anywhere}
.cites{margin:0;padding-left:18px;font-size:.9em}
tr.unreadable td{color:var(--error)}
@media (max-width:700px){
body{font-size:14px}
table.stack thead{display:none}
table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
table.stack tr{border-bottom:2px solid var(--line)}
table.stack td{border:0;padding:4px 10px}
table.stack td::before{content:attr(data-label);display:block;font-size:.75em;color:var(--muted);
text-transform:uppercase}
.where{margin-left:0;width:100%}
#shown{margin-left:0}
.controls{position:static}
}
@media print{
body{background:#fff;color:#000;font-size:11pt}
.controls,.jump{display:none!important}
.group,.card,.chart,table,.finding{break-inside:avoid;border-color:#999}
a{color:#000}
}
.qs{display:inline-block;padding:0 .5em;border-radius:1em;font-size:.85em;white-space:nowrap}
.qs-ok{color:var(--ok);background:var(--ok-bg)}.qs-info{color:var(--info);background:var(--info-bg)}
.qs-warning{color:var(--warning);background:var(--warning-bg)}.qs-muted{color:var(--muted);background:var(--bg)}
q.passage{display:block;color:var(--muted);font-size:.9em}
"""

_JS = """
(function () {
  "use strict";
  var boxes = Array.prototype.slice.call(document.querySelectorAll('#filters input[name="severity"]'));
  var rule = document.getElementById("rule-filter");
  var shown = document.getElementById("shown");
  var buttons = Array.prototype.slice.call(document.querySelectorAll("#filters button[data-view]"));
  if (!rule) { return; }
  function currentView() { return document.querySelector(".view:not([hidden])"); }
  function apply() {
    var wanted = {};
    boxes.forEach(function (b) { wanted[b.value] = b.checked; });
    var code = rule.value;
    document.querySelectorAll(".finding").forEach(function (el) {
      el.hidden = !(wanted[el.getAttribute("data-severity")] && (!code || el.getAttribute("data-rule") === code));
    });
    document.querySelectorAll(".view .group").forEach(function (g) {
      g.hidden = !g.querySelector(".finding:not([hidden])");
    });
    var view = currentView();
    var total = view.querySelectorAll(".finding").length;
    var visible = view.querySelectorAll(".finding:not([hidden])").length;
    shown.textContent = visible === total ? total + (total === 1 ? " finding" : " findings")
      : visible + " of " + total + " findings shown";
  }
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  rule.addEventListener("change", apply);
  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      buttons.forEach(function (other) {
        var on = other === button;
        other.setAttribute("aria-pressed", on ? "true" : "false");
        document.getElementById(other.getAttribute("data-view")).hidden = !on;
      });
      apply();
    });
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
  apply();
})();
"""
