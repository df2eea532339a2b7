"""F001–F004: DOIs, ISBNs, dates and URLs."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.model import Diagnostic, Document, Kind, Location, Note
from verifier.rules import identifiers
from verifier.rules.identifiers import date_problem, doi_problem, human_date, isbn_problem, url_problem

from .factories import DOC, cite, context, findings


@pytest.mark.parametrize(
    ("doi", "ok"),
    [
        pytest.param("10.1080/02634937.2011.554270", True, id="plain"),
        pytest.param("https://doi.org/10.1080/02634937.2011.554270", True, id="resolver-url"),
        pytest.param("doi:10.1000/182", True, id="doi-label"),
        pytest.param("10.108/0263", False, id="short-registrant"),
        pytest.param("10.1080", False, id="no-suffix"),
        pytest.param("11.1080/abc", False, id="not-10"),
        pytest.param("10.1080/ab cd", False, id="space"),
    ],
)
def test_doi_problem(doi: str, ok: bool) -> None:
    assert (doi_problem(doi) is None) is ok


@pytest.mark.parametrize(
    ("isbn", "ok"),
    [
        pytest.param("978-0-19-957928-8", False, id="isbn13-bad-check"),
        pytest.param("978-3-16-148410-0", True, id="isbn13"),
        pytest.param("0-306-40615-2", True, id="isbn10"),
        pytest.param("0-8044-2957-X", True, id="isbn10-x"),
        pytest.param("0-306-40615-3", False, id="isbn10-bad-check"),
        pytest.param("ISBN 978-3-16-148410-0", True, id="labelled"),
        pytest.param("12345", False, id="too-short"),
        pytest.param("123-4-56-789012-8", False, id="isbn13-wrong-prefix"),
    ],
)
def test_isbn_problem(isbn: str, ok: bool) -> None:
    assert (isbn_problem(isbn) is None) is ok


@pytest.mark.parametrize(
    ("iso", "problem"),
    [
        pytest.param("1995-13", "there is no month 13", id="month-13"),
        pytest.param("2015-02-30", "February 2015 has no day 30", id="february-30"),
        pytest.param("2016-02-29", None, id="leap-day"),
        pytest.param("2015-02-29", "February 2015 has no day 29", id="not-a-leap-year"),
        pytest.param("1995", None, id="year"),
        pytest.param("Fall 1995", None, id="not-iso-is-not-judged"),
    ],
)
def test_date_problem(iso: str, problem: str | None) -> None:
    assert date_problem(iso) == problem


def test_human_date() -> None:
    assert [human_date(d) for d in ("1995", "1995-12", "2015-03-05")] == ["1995", "December 1995", "5 March 2015"]


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        pytest.param("http://www.mid.ru/BDOMP/Brp_4.nsf/arh/0E15\ufffd", "replacement characters", id="fffd"),
        pytest.param("http://example.org/a b", "spaces", id="space"),
        pytest.param("http:///path/only", "no host", id="no-host"),
        pytest.param("http://examplecom/x", "top-level domain", id="no-tld"),
        pytest.param("http://exa..mple.com/x", "malformed", id="empty-label"),
        pytest.param("https://en.wikipedia.org/wiki/Tajikistan_(country", "unbalanced", id="unbalanced"),
        pytest.param("http://example.org:99999/", "cannot be parsed", id="bad-port"),
        pytest.param("example.org/x", "no scheme", id="no-scheme"),
    ],
)
def test_url_problem(url: str, fragment: str) -> None:
    problem = url_problem(url)
    assert problem is not None and fragment in problem


@pytest.mark.parametrize(
    "url",
    [
        "https://en.wikipedia.org/wiki/Tajikistan_(country)",
        "http://www.rusemb.tj/ru/index/index/pageId/535",
        "www.srjis.com",
        "http://127.0.0.1:8000/x",
        "http://localhost/x",
        "https://例え.jp/パス",
        "mailto:someone@example.org",
    ],
)
def test_url_problem_accepts(url: str) -> None:
    assert url_problem(url) is None


# ------------------------------------------------------------------------- findings


def test_f001_one_finding_per_value_naming_every_citation() -> None:
    a = cite("1", title="A", doi="10.108/x")
    b = cite("2", title="A", doi="10.108/x")
    (finding,) = findings(a, b, code="F001")
    assert finding.citations == (a.id, b.id)
    assert finding.message.startswith("Notes 1 and 2 cite the DOI “10.108/x”, which is not valid")
    assert finding.severity.value == "error"


def test_f002_invalid_isbn() -> None:
    (finding,) = findings(cite("1", Kind.BOOK, title="B", isbn="978-0-19-957928-8"), code="F002")
    assert "check digit" in finding.message


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        pytest.param({"date": "1995-13"}, "cannot exist: there is no month 13", id="month-13"),
        pytest.param({"date": "2015-02-30"}, "has no day 30", id="february-30"),
        pytest.param({"date": "2031"}, "the date 2031 lies in the future", id="future-year"),
        pytest.param(
            {"date": "2026-01-05", "accessed": "2026-02-01"},
            "access date 1 February 2026 lies in the future",
            id="accessed-in-the-future",
        ),
        pytest.param(
            {"date": "2015-11", "accessed": "2015-10-12"},
            "accessed (12 October 2015) before it was published (November 2015)",
            id="accessed-before-publication",
        ),
    ],
)
def test_f003_impossible_date(fields: dict[str, str], fragment: str) -> None:
    (finding,) = findings(
        cite("1", Kind.WEB, title="T", url="http://x.org", **fields), code="F003", today=datetime.date(2026, 1, 10)
    )
    assert fragment in finding.message


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"date": "2015-10", "accessed": "2015-10-12"}, id="accessed-same-month"),
        pytest.param({"date": "2015", "accessed": "2015-01-01"}, id="year-precision"),
        pytest.param({"date": "2031"}, id="no-today-no-future-check"),
    ],
)
def test_f003_silent(fields: dict[str, str]) -> None:
    assert not findings(cite("1", Kind.WEB, title="T", url="http://x.org", **fields), code="F003")


def test_f004_invalid_url_in_fields() -> None:
    (finding,) = findings(
        cite("1", Kind.WEB, title="T", url="http://exa mple.org/"), code="F004", documents=[Document(DOC, "text")]
    )
    assert finding.url == "http://exa mple.org/" and "contains spaces" in finding.message


def test_f004_damaged_note_url_without_a_reader_diagnostic() -> None:
    note = Note("18", "…", Location(40), damaged_urls=("http://www.novgaz.com/index.php/\ufffd",))
    doc = Document(DOC, "text", notes=(note,))
    (finding,) = [f for f in identifiers.check(context(documents=[doc])) if f.code == "F004"]
    assert finding.location == Location(40) and "note 18" in finding.message


def test_f004_not_repeated_when_the_reader_reported_it() -> None:
    url = "http://www.novgaz.com/index.php/\ufffd"
    doc = Document(
        DOC,
        "text",
        notes=(Note("18", "…", Location(40), damaged_urls=(url,)),),
        diagnostics=(Diagnostic("F004", "the URL in note 18 is damaged", Location(40), url=url, note="18"),),
    )
    assert [f.message for f in identifiers.check(context(documents=[doc]))] == []


_URL_PIECES = ["http://", "https://", "ftp://", "HTTP://", "www.", "mailto:", "a", "Z", "0", "9", "-", "_", ".",
               "..", ":", ":80", ":99999", "@", "/", "?", "#", "%20", " ", "\u00a0", "\ufffd", "(", ")", "[", "]",
               "{", "}", "é", "ſ", "\u212a", "com", "org", "localhost", "127", "1", "x.io", "\\", "\n"]


@given(st.lists(st.sampled_from(_URL_PIECES), max_size=12).map("".join))
@settings(max_examples=3000, deadline=None)
def test_url_problem_s_quick_acceptance_agrees_with_the_full_check(url: str) -> None:
    from verifier.rules.identifiers import _url_problem_parsed

    assert url_problem(url) == _url_problem_parsed(url)


@pytest.mark.parametrize("url", ["http://a.b.:80/x", "http://127.0.0.1:65535", "http://127.0.0.1:65536/",
                                 "http://ex.ample.c0m/", "http://ex-.com./a?b#c", "https://localhost/x",
                                 "http://a.com/\u00a0b", "http://a.com/(b", "ftp://a.b/c\\d", "http://ſ.com/",
                                 "http://a..com/", "http://-a.com/", "http://a.com:/"])
def test_url_problem_s_quick_acceptance_agrees_on_edges(url: str) -> None:
    from verifier.rules.identifiers import _url_problem_parsed

    assert url_problem(url) == _url_problem_parsed(url)
