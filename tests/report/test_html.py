"""The HTML report: self-contained, escaped, and working in a real browser.

The browser tests drive Debian's chromium through Playwright (no browser
download: ``executable_path``). They skip, saying why, when chromium or
Playwright is missing — unless ``VERIFIER_REQUIRE_BROWSER=1`` (set by
``.ci/run``), where a missing browser is a failure. Screenshots go to
``reports/`` (git-ignored) for people to look at.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from verifier.model import (
    Archive,
    Citation,
    DocumentSummary,
    Fields,
    Kind,
    LinkResult,
    LinkStatus,
    Location,
    Report,
    Severity,
    Source,
)
from verifier.report import html

from .conftest import finding

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "reports"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

XSS = "<script>window.__xss = 1; alert(1)</script>"
ATTR = "\" onmouseover=\"window.__xss=2\" x=\"' onfocus='window.__xss=3'"
IMG = "<img src=x onerror=\"window.__xss=4;alert(4)\">"


def hostile_report() -> Report:
    """Document text that tries every context: element text, attributes, URLs, the rule filter."""
    raw = f"Smith, {XSS} {IMG}, Journal 3 (1999)."
    citation = Citation(
        "c1", f"doc{ATTR}.md", f"1{ATTR}", Location(3, 1), raw, Kind.ARTICLE,
        Fields(title=f"Title {XSS}", container=IMG, url="javascript:window.__xss=5"), source="s1",
    )
    return Report(
        version="0.1.0",
        documents=(DocumentSummary(f"doc{ATTR}.md", "markdown", 1, 1, 2),),
        citations=(citation,),
        sources=(Source(f"s1{ATTR}", ("c1",), citation.fields, Kind.ARTICLE),),
        links=(
            LinkResult("javascript:window.__xss=6", LinkStatus.SKIPPED, ("c1",), error=f"not http {XSS}"),
            LinkResult(
                "https://example.org/a?b=<script>", LinkStatus.DEAD, ("c1",), http_status=404,
                archive=Archive("data:text/html,<script>window.__xss=7</script>", f"2001{XSS}"),
            ),
        ),
        findings=(
            finding("I001", Severity.WARNING, f"conflicting title {XSS}", f"doc{ATTR}.md", 3, 1,
                    citations=("c1",), url="javascript:window.__xss=8",
                    suggestion="javascript:window.__xss=9"),
            finding("M001", Severity.ERROR, f"marker {IMG}", f"doc{ATTR}.md", 4, None,
                    suggestion="https://example.org/\"onmouseover=\"window.__xss=10"),
        ),
    )


# ------------------------------------------------------------------ the page as text


def test_document_text_is_escaped_everywhere() -> None:
    page = html.render(hostile_report())
    assert "<script>window" not in page and "<img" not in page
    assert "&lt;script&gt;window.__xss = 1; alert(1)&lt;/script&gt;" in page
    assert 'onmouseover="window' not in page and "onfocus='window" not in page
    assert page.count("<script>") == 1  # the report's own


def test_only_http_urls_become_links() -> None:
    page = html.render(hostile_report())
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs, "the report links its http(s) URLs"
    for href in hrefs:
        assert href.startswith(("https://", "http://", "#src-", "data:,")), href
    assert "javascript:" not in "".join(hrefs) and "data:text" not in "".join(hrefs)
    assert 'href="https://example.org/a?b=&lt;script&gt;"' not in page  # '<' in a URL: text, not a link


def test_self_contained_with_a_policy_that_allows_only_its_own_script_and_style(sample_report: Report) -> None:
    page = html.render(sample_report)
    assert not re.search(r"<(link|script|img|iframe)[^>]+(src|href)=\"(https?:)?//", page)
    assert "@import" not in page and "url(" not in page
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert script and style

    def digest(text: str) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    assert f"script-src '{digest(script.group(1))}'" in policy.group(1)
    assert f"style-src '{digest(style.group(1))}'" in policy.group(1)
    assert "default-src 'none'" in policy.group(1)


def test_summary_chart_and_sections(sample_report: Report) -> None:
    page = html.render(sample_report)
    assert '<div class="card sev-error"><span class="n">3</span> errors</div>' in page
    assert "<svg" in page and 'aria-label="Link status: 1 dead"' in page
    for section in ('id="findings"', 'id="by-document"', 'id="by-source"', 'id="sources"', 'id="documents"'):
        assert section in page
    assert 'href="https://web.archive.org/web/19990501/https://example.org/goble"' in page
    assert page.count('class="finding ') == 2 * len(sample_report.findings)  # once in each view


def test_an_empty_report_renders() -> None:
    page = html.render(Report(version="0"))
    assert "No findings." in page and "No URLs cited." in page


# ------------------------------------------------------------------ in a real browser


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def _unavailable(reason: str) -> None:
    if os.environ.get("VERIFIER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests are required here: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    executable = _chromium()
    if executable is None:
        _unavailable("no chromium found (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Page:
    """A report opened in the browser, with everything it logged, requested and tried to pop up."""

    def __init__(self, browser: Any, report: Report, tmp_path: Path, width: int = 1200) -> None:
        self.path = tmp_path / "report.html"
        self.path.write_text(html.render(report), encoding="utf-8")
        self.console: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", self._dialog)
        self.page.goto(self.path.as_uri())
        self.page.wait_for_load_state("load")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def visible(self, selector: str) -> int:
        return int(self.page.eval_on_selector_all(selector, "els => els.filter(e => e.offsetParent !== null).length"))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def opened(browser: Any, tmp_path: Path) -> Iterator[Any]:
    pages: list[Page] = []

    def open_(report: Report, width: int = 1200) -> Page:
        page = Page(browser, report, tmp_path, width)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        page.close()


def test_loads_without_console_errors_or_requests(opened: Any, sample_report: Report) -> None:
    page = opened(sample_report)
    assert page.console == []
    assert page.requests == [page.path.as_uri()]
    assert page.page.title() == "verifier report: 3 errors, 1 warning, 1 info"
    assert page.page.inner_text("#shown") == "5 findings"


def test_severity_and_rule_filters(opened: Any, sample_report: Report) -> None:
    page = opened(sample_report)
    rows = "#by-document .finding"
    assert page.visible(rows) == 5
    page.page.uncheck('input[name="severity"][value="error"]')
    assert page.visible(rows) == 2
    assert page.page.inner_text("#shown") == "2 of 5 findings shown"
    page.page.uncheck('input[name="severity"][value="info"]')
    assert page.visible(rows) == 1
    assert page.visible("#by-document .group") == 1  # c/missing.pdf holds only an error: hidden
    page.page.check('input[name="severity"][value="error"]')
    page.page.check('input[name="severity"][value="info"]')
    page.page.select_option("#rule-filter", "L001")
    assert page.visible(rows) == 1
    assert page.page.inner_text(f"{rows}:not([hidden]) .msg") == "dead link (404)"
    page.page.select_option("#rule-filter", "")
    assert page.visible(rows) == 5
    assert page.console == []


def test_grouping_by_source(opened: Any, sample_report: Report) -> None:
    page = opened(sample_report)
    page.page.click('button[data-view="by-source"]')
    assert page.visible("#by-document .finding") == 0
    assert page.visible("#by-source .finding") == 5
    headings = page.page.eval_on_selector_all("#by-source .gh", "els => els.map(e => e.textContent)")
    assert headings[0].startswith("“Tajik Treaty”") and headings[-1] == "Not tied to one source"
    page.page.select_option("#rule-filter", "M003")
    assert page.visible("#by-source .finding") == 1


def test_an_xss_payload_in_document_text_does_not_run(opened: Any) -> None:
    page = opened(hostile_report())
    for selector in (".finding", ".msg", "td", "a.url", ".status", ".cited q"):
        for element in page.page.query_selector_all(selector):
            if element.is_visible():
                element.hover(timeout=2000)
    page.page.click('button[data-view="by-source"]')
    page.page.hover("#by-source .finding")
    assert page.page.evaluate("typeof window.__xss") == "undefined"
    assert page.dialogs == []
    assert XSS in page.page.inner_text("#by-document")  # shown as text
    assert page.page.eval_on_selector_all('a[href^="javascript"], a[href^="data:text"]', "els => els.length") == 0
    assert page.requests == [page.path.as_uri()]


def test_prints_without_the_controls(opened: Any, sample_report: Report) -> None:
    page = opened(sample_report)
    page.page.emulate_media(media="print")
    assert page.visible("#filters") == 0
    assert page.visible("#by-document .finding") == 5


@pytest.mark.parametrize(("width", "name"), [(1200, "desktop"), (390, "phone")])
def test_screenshot_for_people_to_look_at(opened: Any, width: int, name: str) -> None:
    page = opened(_demo_report(), width)
    assert page.console == []
    overflow = page.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, "nothing wider than the screen"
    SHOTS.mkdir(exist_ok=True)
    shot = SHOTS / f"html-report-{name}.png"
    page.page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")


def _demo_report() -> Report:
    """A report with every kind of content: several severities, statuses, archives."""
    from .conftest import sample_report

    base: Report = sample_report.__wrapped__()  # type: ignore[attr-defined]
    extra = (
        LinkResult("https://example.org/alive", LinkStatus.ALIVE, ("c1",), http_status=200),
        LinkResult("http://news.example/en/", LinkStatus.REDIRECTED, ("c1",), http_status=301,
                   final_url="https://www.news.example/en/"),
        LinkResult("https://slow.example/report.pdf", LinkStatus.ERROR, (), error="timeout after 3 tries"),
        LinkResult("https://www.linkedin.com/in/x", LinkStatus.BLOCKED, (), http_status=999),
    )
    return dataclasses.replace(base, links=base.links + extra)


def test_quotations_have_their_own_view_with_the_closest_passage() -> None:
    from verifier.model import Quotation, QuotationStatus

    report = Report(version="0", quotations=(
        Quotation("completed within <two> years", "a.md", Location(7, 1), ("c1",), QuotationStatus.NOT_FOUND, 0.91,
                  "https://example.org/a", "…to be completed within five years…"),
        Quotation("found words here and there", "a.md", Location(8, 1), ("c1",), QuotationStatus.FOUND, 1.0,
                  "https://example.org/a", "found words here and there"),
        Quotation("blocked words", "a.md", Location(9, 1), ("c2",), why="live page: blocked (HTTP 403); no capture"),
    ))
    page = html.render(report)
    section = page[page.index('<section id="quotations">'):]
    assert "1 found · 1 not in the source · 1 not checked" in section
    assert "completed within &lt;two&gt; years" in section and "<two>" not in section
    assert "to be completed within five years" in section and "91 %" in section
    assert 'href="https://example.org/a"' in section and "HTTP 403" in section
    assert '<section id="quotations">' not in html.render(Report(version="0"))
