"""L-rules: the link verdicts phrased at every citing note, and content drift by title."""

from __future__ import annotations

import pytest

from verifier.model import Citation, Fields, Kind, LinkResult, LinkStatus, Location, Origin
from verifier.rules.common import RuleContext
from verifier.rules.links import check, titles_differ


def _citation(cid: str, line: int, title: str | None = None) -> Citation:
    return Citation(cid, "doc.txt", str(line), Location(line), "raw", Kind.WEB, Fields(title=title, url="http://x/"),
                    "s1", Origin.NOTE)


def _findings(link: LinkResult, *citations: Citation) -> list[tuple[str, int]]:
    ctx = RuleContext(documents=(), citations=citations, sources=(), links=(link,))
    return [(f.code, f.location.line if f.location else 0) for f in check(ctx)]


@pytest.mark.parametrize(
    ("status", "error", "code"),
    [
        pytest.param(LinkStatus.DEAD, "HTTP 404 Not Found", "L001", id="dead"),
        pytest.param(LinkStatus.ERROR, "timed out after 10 s", "L002", id="error"),
        pytest.param(LinkStatus.BLOCKED, "HTTP 403 Forbidden", "L003", id="blocked"),
        pytest.param(LinkStatus.REDIRECTED, None, "L004", id="redirected"),
        pytest.param(LinkStatus.SOFT_404, "redirects to the site's front page", "L005", id="soft-404"),
        pytest.param(LinkStatus.SKIPPED, "private address (10.0.0.1); not fetched", "L007", id="private"),
    ],
)
def test_each_status_is_reported_at_every_citing_note(status: LinkStatus, error: str | None, code: str) -> None:
    link = LinkResult("http://x/", status, ("c1", "c2"), error=error)
    assert _findings(link, _citation("c1", 3), _citation("c2", 9)) == [(code, 3), (code, 9)]


@pytest.mark.parametrize("error", ["offline", "excluded by configuration", "not fetched: 'ftp' is not http or https"])
def test_other_skipped_urls_are_not_findings(error: str) -> None:
    assert _findings(LinkResult("http://x/", LinkStatus.SKIPPED, ("c1",), error=error), _citation("c1", 3)) == []


def test_a_permanent_redirect_suggests_the_new_url() -> None:
    link = LinkResult("http://x/", LinkStatus.REDIRECTED, ("c1",), 200, "https://x/new", suggestion="https://x/new")
    ctx = RuleContext(documents=(), citations=(_citation("c1", 3),), sources=(), links=(link,))
    [finding] = list(check(ctx))
    assert finding.suggestion == "https://x/new" and "moved permanently" in finding.message


def test_content_drift_is_reported_only_where_the_cited_title_differs() -> None:
    link = LinkResult("http://x/", LinkStatus.ALIVE, ("c1", "c2"), 200, title="Cooking Recipes for Winter | Food Site")
    found = _findings(link, _citation("c1", 3, "Nationalism and Regional Security in Central Asia"),
                      _citation("c2", 5, "Cooking Recipes for Winter"))
    assert found == [("L006", 3)]


def test_a_page_retitled_since_its_capture_had_the_cited_title_is_not_l006() -> None:
    link = LinkResult("http://x/", LinkStatus.ALIVE, ("c1",), 200, title="Archive of Ministry Press Releases")
    cited = _citation("c1", 3, "Minister Opens New Water Treatment Plant")
    for titles, expected in (
        (("Archive of Ministry Press Releases", "Minister Opens New Water Treatment Plant | Ministry"), []),
        (("Archive of Ministry Press Releases", "Home"), [("L006", 3)]),  # one word: too short to vouch for it
        ((), [("L006", 3)]),
    ):
        ctx = RuleContext(documents=(), citations=(cited,), sources=(), links=(link,), titles={"http://x/": titles})
        assert [(f.code, f.location.line if f.location else 0) for f in check(ctx)] == expected


@pytest.mark.parametrize(
    ("cited", "live", "differ"),
    [
        pytest.param("Nationalism and Regional Security", "Nationalism and Regional Security | Site", False,
                     id="site-suffix"),
        pytest.param("The Sources of Statehood: A Study", "the sources of statehood", False, id="subtitle-and-case"),
        pytest.param("Nationalism and Regional Security", "Cooking Recipes for Winter Evenings", True, id="drift"),
        pytest.param("Report", "Something else", False, id="too-short-to-judge"),
        pytest.param("Tajikistan: Refugee Reintegration and Conflict Prevention", "This domain is for sale — example.com",
                     True, id="parked-domain"),
    ],
)
def test_titles_differ(cited: str, live: str, differ: bool) -> None:
    assert titles_differ(cited, live) is differ
