"""Quotations checked against realistic pages on the loopback origin and the fake archive, end to end.

The pages (tests/data/quotations/) have navigation, adverts, scripts, comments, a
page edited after it was cited whose old text survives in a capture, a page that
404s but is archived, a 403, a PDF, and a page retitled since its access date.
Each quotation planted in the documents below is named with what verifier must
say about it; the same pages are quoted from Markdown, plain text, HTML and LaTeX.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.scripts import load_script
from tests.servers.origin import Origin
from tests.servers.wayback import Wayback
from verifier import pipeline
from verifier.config import Settings
from verifier.model import Report

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "tests" / "data" / "quotations"
CAPTURE = "20190305120000"
HTML = "text/html; charset=utf-8"


def _maker() -> ModuleType:
    return load_script("make_pdf", "references/make_pdf.py")


def _pdf() -> bytes:
    mk = _maker()
    page = mk.flow(["Stork census of the valley, 2018.",
                    "The survey counted more than four hundred nest-",
                    "ing pairs of storks along the river banks."], [], 1)
    return bytes(mk.build_pdf([page]))


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Origin, Wayback]]:
    origin, wayback = Origin(), Wayback()
    yield origin, wayback
    origin.stop()
    wayback.stop()


@pytest.fixture
def site(servers: tuple[Origin, Wayback]) -> tuple[Origin, Wayback]:
    origin, wayback = servers
    origin.reset()
    wayback.reset()
    page = (PAGES / "article.html").read_bytes()
    origin.pages.update({
        "/article": (200, page, HTML),
        "/bridge": (200, (PAGES / "edited-live.html").read_bytes(), HTML),
        "/harvest": (404, b"<html><title>Not found</title><body>Not found</body></html>", HTML),
        "/accounts": (403, b"<html><body>Forbidden</body></html>", HTML),
        "/storks.pdf": (200, _pdf(), "application/pdf"),
        "/press/plant": (200, (PAGES / "retitled-live.html").read_bytes(), HTML),
        "/press/other": (200, (PAGES / "retitled-live.html").read_bytes(), HTML),
    })
    captures = {"/article": page, "/bridge": (PAGES / "edited-2019.html").read_bytes(),
                "/harvest": (PAGES / "gone-2019.html").read_bytes(),
                "/press/plant": (PAGES / "retitled-2019.html").read_bytes(),
                "/press/other": (PAGES / "retitled-live.html").read_bytes()}
    for path, body in captures.items():
        url = origin.url(path)
        wayback.state.captures[url] = [(CAPTURE, 200)]
        wayback.state.bodies[(CAPTURE, url)] = (body, HTML)
    return origin, wayback


def _run(paths: list[Path], wayback: Wayback, **options: object) -> Report:
    settings = Settings(allow_private=True, no_cache=True, timeout=3, **wayback.endpoints)
    return pipeline.check([str(p) for p in paths], settings, **options)


def _statuses(report: Report) -> dict[str, str]:
    return {q.text: q.status.value for q in report.quotations}


def _codes(report: Report, code: str) -> set[int]:
    return {f.location.line for f in report.findings if f.code == code and f.location}


MARKDOWN = """\
# Water in the valley

The minister said "We will not abandon the valley's farmers - not now, not ever."[^1] She promised
that "the reservoir will be finished ... before the spring floods".[^1] And "[The ministry] has
allocated funds for the northern canal from the regional budget."[^1]

Engineers said "the project is expected to be completed within two years, at a cost".[^1]

The paper quoted "the northern canal will carry water to every village by next summer".[^1]

The governor called "the canal a monument to our shared future and our children".[^1]

A farmer recalled that "the commitment to the valley had been made before".[^1]

The advertisement read "the best irrigation pumps in the country are on sale".[^1]

> Critics were unconvinced. "Promises about water are cheap in an election year," said a local farmer.[^1]

The council said "the old bridge will be demolished and replaced by a wider crossing".[^2]

The report found «the wheat harvest was the largest in a generation».[^3]

The council promised that "the council will publish its full accounts every quarter".[^4]

The census found „the survey counted more than four hundred nesting pairs of storks“.[^5]

Officials say "work on the crossing is expected to resume once funding is confirmed".[^6]

The ministry opened a plant "not now" and a press office.[^7] [^8]

[^1]: A. Reporter, "Water for the Valley," Example Gazette, 3 March 2019, {u}/article, accessed 5 March 2019.
[^2]: City Council, "Council statement on the bridge," {u}/bridge, accessed 5 March 2019.
[^3]: Valley Farmers, "Harvest report 2019," {u}/harvest, accessed 5 March 2019.
[^4]: City Council, "Quarterly accounts," {u}/accounts, accessed 5 March 2019.
[^5]: Bird Society, "Stork census 2018," {u}/storks.pdf, accessed 5 March 2019.
[^6]: "Water for the Valley," {u}/article; City Council, "Council statement on the bridge," {u}/bridge, accessed 5 March 2019.
[^7]: Ministry, "Minister Opens New Water Treatment Plant," {u}/press/plant, accessed 5 March 2019.
[^8]: Ministry, "Annual Fisheries Statistics for the Valley Rivers," {u}/press/other, accessed 5 March 2019.
"""


def test_markdown_quotations_against_live_pages_and_captures(site: tuple[Origin, Wayback], tmp_path: Path) -> None:
    origin, wayback = site
    doc = tmp_path / "water.md"
    doc.write_text(MARKDOWN.replace("{u}", origin.base), encoding="utf-8")
    report = _run([doc], wayback)
    status = _statuses(report)
    assert status == {
        # present with typographic differences, an ellipsis, a bracketed insertion, a soft hyphen: found
        "We will not abandon the valley's farmers - not now, not ever.": "found",
        "the reservoir will be finished ... before the spring floods": "found",
        "[The ministry] has allocated funds for the northern canal from the regional budget.": "found",
        "the commitment to the valley had been made before": "found",
        "Critics were unconvinced. \"Promises about water are cheap in an election year,\" said a local farmer.":
            "found",
        # a changed word; words only in a script, a comment, an advert: not found
        "the project is expected to be completed within two years, at a cost": "not-found",
        "the northern canal will carry water to every village by next summer": "not-found",
        "the canal a monument to our shared future and our children": "not-found",
        "the best irrigation pumps in the country are on sale": "not-found",
        # the page was edited since, or is gone: only the capture nearest the access date has the words
        "the old bridge will be demolished and replaced by a wider crossing": "found-in-archive",
        "the wheat harvest was the largest in a generation": "found-in-archive",
        # 403 and no capture: not checked
        "the council will publish its full accounts every quarter": "not-checked",
        # a PDF (hyphenated at a line end); a note citing two sources, the second has it
        "the survey counted more than four hundred nesting pairs of storks": "found",
        "work on the crossing is expected to resume once funding is confirmed": "found",
    }
    q001 = [f for f in report.findings if f.code == "Q001"]
    assert len(q001) == 4
    misquote = next(f for f in q001 if "two years" in f.message)
    assert "within five years" in misquote.message and "% similar" in misquote.message
    q002 = [f for f in report.findings if f.code == "Q002"]
    assert {f.suggestion for f in q002} == {f"{wayback.base}/web/{CAPTURE}/{origin.url(p)}"
                                             for p in ("/bridge", "/harvest")}
    # the page retitled since the access date is not L006; the one whose capture has another title too is
    l006 = [f for f in report.findings if f.code == "L006"]
    assert [f.url for f in l006] == [origin.url("/press/other")]
    assert any("/web/" in p and "id_/" in p for p in wayback.requests("/web/"))  # raw captures were read
    assert origin.requests_for("/article").count("GET") == 1  # the link check's GET is the text
    assert origin.requests_for("/storks.pdf").count("GET") == 1
    assert not any(f.code == "M009" for f in report.findings)


def test_offline_and_no_quotations_give_no_q_findings(site: tuple[Origin, Wayback], tmp_path: Path) -> None:
    origin, wayback = site
    doc = tmp_path / "water.md"
    doc.write_text(MARKDOWN.replace("{u}", origin.base), encoding="utf-8")
    for options in ({"offline": True}, {"no_quotations": True}):
        report = _run([doc], wayback, **options)
        assert not [f for f in report.findings if f.code.startswith("Q")]
        assert {q.status.value for q in report.quotations} == {"not-checked"}
    assert origin.requests_for("/article").count("GET") <= 1  # --no-quotations: only the link check's GET


def test_plain_text_html_and_latex_documents(site: tuple[Origin, Wayback], tmp_path: Path) -> None:
    origin, wayback = site
    u = origin.base
    text = tmp_path / "chapter.txt"
    text.write_text(
        "The minister told farmers “We will not abandon the valley’s farmers — not now, not ever.”1 "
        "Engineers expected “the project to be completed within ten years, at a cost”.2\n\n"
        "Notes\n\n"
        f"1. A. Reporter, “Water for the Valley,” Example Gazette, {u}/article, accessed 5 March 2019.\n"
        f"2. A. Reporter, “Water for the Valley,” Example Gazette, {u}/article, accessed 5 March 2019.\n",
        encoding="utf-8")
    html = tmp_path / "page.html"
    html.write_text(
        "<html><body><p>The council wrote:</p><blockquote><p>The council confirms that the old bridge will be "
        "demolished and replaced by a wider crossing in 2020.<sup><a href=\"#fn1\" id=\"r1\">1</a></sup></p>"
        "</blockquote><p>And later: “the bridge will be repaired and kept open for all traffic”"
        "<sup><a href=\"#fn1\">1</a></sup>.</p>"
        f"<ol><li id=\"fn1\">City Council, “Council statement on the bridge,” {u}/bridge, accessed 5 March 2019."
        "</li></ol></body></html>", encoding="utf-8")
    tex = tmp_path / "paper.tex"
    tex.write_text(
        "\\documentclass{article}\\begin{document}\n"
        "The farmers reported \\enquote{the wheat harvest was the largest in a generation}"
        f"\\footnote{{Valley Farmers, ``Harvest report 2019,'' \\url{{{u}/harvest}}, accessed 5 March 2019.}}.\n\n"
        "\\begin{quote}\n"
        "Farmers in the valley reported that the barley harvest was the smallest in a decade."
        f"\\footnote{{Valley Farmers, \\url{{{u}/harvest}}, accessed 5 March 2019.}}\n"
        "\\end{quote}\n\\end{document}\n", encoding="utf-8")
    report = _run([text, html, tex], wayback)
    by_doc = {(Path(q.document).suffix, q.status.value) for q in report.quotations}
    assert by_doc == {(".txt", "found"), (".txt", "not-found"), (".html", "found-in-archive"),
                      (".html", "not-found"), (".tex", "found-in-archive"), (".tex", "not-found")}
    assert len(report.quotations) == 6
    assert {Path(f.document or "").suffix for f in report.findings if f.code == "Q001"} == {".txt", ".html", ".tex"}


def test_the_command_line_reports_quotations_in_json_and_says_how_many_were_not_checked(
        site: tuple[Origin, Wayback], tmp_path: Path) -> None:
    import json
    import os
    import subprocess

    origin, wayback = site
    doc = tmp_path / "water.md"
    doc.write_text(MARKDOWN.replace("{u}", origin.base), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    base = [sys.executable, "-m", "verifier", "check", str(doc), "--no-cache", "--allow-private", "--timeout", "3",
            "--wayback-api", wayback.endpoints["wayback_api"], "--cdx-api", wayback.endpoints["cdx_api"],
            "--timetravel-api", wayback.endpoints["timetravel_api"]]
    proc = subprocess.run([*base, "--format", "json"], capture_output=True, text=True, timeout=120, env=env,
                          cwd=ROOT)
    report = json.loads(proc.stdout)
    statuses = [q["status"] for q in report["quotations"]]
    assert statuses.count("not-found") == 4 and statuses.count("found-in-archive") == 2, proc.stderr
    assert sum(f["code"] == "Q001" for f in report["findings"]) == 4
    text = subprocess.run([*base, "--no-quotations"], capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
    assert "14 of 14 quotations could not be checked against their source (--no-quotations)" in text.stdout
    assert " Q00" not in text.stdout
