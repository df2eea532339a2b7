"""One record per source, with the fields chosen among its full citations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from tests.export.conftest import HOLM, HOLM_SHORT_TITLE, IZVESTIA, ORLOV, ORLOV_SHORT_NAME
from verifier.export.records import choose_fields, records
from verifier.model import Citation, Fields, Kind, LinkResult, LinkStatus, Location, Person, Report


def _cite(n: int, kind: Kind = Kind.ARTICLE, **fields: object) -> Citation:
    return Citation(f"c{n}", "doc.txt", str(n), Location(n), "raw", kind, Fields(**fields))  # type: ignore[arg-type]


def test_ten_citations_of_one_work_are_one_record(report_of: Callable[..., Report]) -> None:
    report = report_of(ORLOV, ORLOV_SHORT_NAME, "Ibid., p. 52.", 'Orlov, "Grain," 60.')
    bib = records(report)
    assert [r.key for r in bib.records] == ["orlov1998grain"]
    assert len(bib.records[0].source.citations) == 4  # full, full, ibid, short: one record


def test_the_most_complete_name_and_title_win(report_of: Callable[..., Report]) -> None:
    bib = records(report_of(ORLOV_SHORT_NAME, ORLOV, HOLM_SHORT_TITLE, HOLM))
    orlov, holm = bib.records
    assert orlov.fields.authors == (Person(family="Orlov", given="Nikolai"),)
    assert holm.fields.title == "Keepers of the Flame: Lighthouse Families in Sweden"


def test_the_most_frequent_form_wins_when_neither_extends_the_other() -> None:
    cited = [
        _cite(1, title="Why Did Nationalism Fail in Tajikistan", date="1996"),
        _cite(2, title="Why did Nationalism Fall in Tajikistan", date="1995"),
        _cite(3, title="Why did Nationalism Fall in Tajikistan", date="1995"),
    ]
    chosen = choose_fields(cited, Kind.ARTICLE)
    assert (chosen.title, chosen.date) == ("Why did Nationalism Fall in Tajikistan", "1995")


def test_a_tie_goes_to_the_first_cited_and_the_precise_date_of_that_year() -> None:
    cited = [
        _cite(1, container="Europe-Asia Studies", date="1996"),
        _cite(2, container="Soviet Studies", date="1996-07"),
    ]
    chosen = choose_fields(cited, Kind.ARTICLE)
    assert (chosen.container, chosen.date) == ("Europe-Asia Studies", "1996-07")


@pytest.mark.parametrize(
    ("kind", "pages", "expected"),
    [
        pytest.param(Kind.ARTICLE, ["45-67", "50", "60"], "45-67", id="article-range-holding-every-cited-page"),
        pytest.param(Kind.ARTICLE, ["45-67", "80"], None, id="a-cited-page-outside-the-range"),
        pytest.param(Kind.ARTICLE, ["50", "60"], None, id="pinpoint-pages-only"),
        pytest.param(Kind.ARTICLE, ["201–19"], "201–19", id="abbreviated-range"),
        pytest.param(Kind.BOOK, ["159-60"], None, id="a-book-page-is-a-pinpoint"),
        pytest.param(Kind.NEWS, ["2", "2"], "2", id="the-page-of-a-newspaper-item"),
    ],
)
def test_pages_only_where_they_are_the_extent_of_the_work(kind: Kind, pages: list[str], expected: str | None) -> None:
    cited = [_cite(n, kind, pages=p) for n, p in enumerate(pages, 1)]
    assert choose_fields(cited, kind).pages == expected


def test_pdf_spacing_before_a_colon_is_tidied() -> None:
    chosen = choose_fields([_cite(1, title="Russia and Central Asia : The Strategic Dimensions")], Kind.ARTICLE)
    assert chosen.title == "Russia and Central Asia: The Strategic Dimensions"


def test_conflicts_the_i_rules_found_travel_with_the_record(report_of: Callable[..., Report]) -> None:
    (orlov,) = records(report_of(ORLOV, ORLOV_SHORT_NAME)).records
    assert [f.code for f in orlov.conflicts] == ["I002"]
    assert "N. Orlov" in orlov.conflicts[0].message


def test_a_source_known_only_from_a_short_form_is_skipped(report_of: Callable[..., Report]) -> None:
    bib = records(report_of(IZVESTIA, 'Heathershaw and Herzig, "The Sources of Statehood," 11.'))
    assert [r.key for r in bib.records] == ["izvestia1992"]
    assert [c.raw for c in bib.skipped] == ['Heathershaw and Herzig, "The Sources of Statehood," 11.']


def test_an_unparsed_note_keeps_its_text(report_of: Callable[..., Report]) -> None:
    _, record = records(report_of(IZVESTIA, "Interview with Anna Petrova, Dushanbe, 12 May 2010.")).records
    assert record.unparsed == "Interview with Anna Petrova, Dushanbe, 12 May 2010"
    assert record.fields == Fields()


def test_a_url_found_in_the_note_text_fills_an_empty_url_field(report_of: Callable[..., Report]) -> None:
    report = report_of(IZVESTIA, HOLM)
    holm = next(c for c in report.citations if c.fields.title and "Keepers" in c.fields.title)
    link = LinkResult("https://example.org/keepers", LinkStatus.ALIVE, (holm.id,), http_status=200)
    _, record = records(replace(report, links=(link,))).records
    assert (record.fields.url, record.link) == ("https://example.org/keepers", link)
