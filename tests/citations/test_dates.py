"""Dates: ISO normalisation as precise as written, and the month style a citation uses."""

from __future__ import annotations

import pytest

from verifier.citations.dates import find_dates, month_style, to_iso


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        pytest.param("Sept/Oct. 1997", "1997-09", id="two-months-abbrev"),
        pytest.param("March 5, 2015", "2015-03-05", id="month-day-year"),
        pytest.param("30 July, 1992", "1992-07-30", id="day-month-comma-year"),
        pytest.param("Dec. 1995", "1995-12", id="abbrev-month"),
        pytest.param("December, 1995", "1995-12", id="month-comma-year"),
        pytest.param("Fall 1995", "1995", id="season"),
        pytest.param("Autumn, 1996", "1996", id="season-comma"),
        pytest.param("1999 (August)", "1999-08", id="year-then-month"),
        pytest.param("2015-03-05", "2015-03-05", id="iso"),
        pytest.param("(2011, March 5)", "2011-03-05", id="apa-date"),
        pytest.param("2004b", "2004", id="year-suffix"),
        pytest.param("9 Aug. 1999", "1999-08-09", id="day-abbrev-month"),
        pytest.param("septembre 2014", "2014-09", id="french-month"),
        pytest.param("July / August 2001", "2001-07", id="spaced-month-span"),
        pytest.param("FBIS – SOV, Daily Report, 92-150, September 9, 1992", "1992-09-09", id="report-number-first"),
        pytest.param("1992–1997", "1992", id="year-range-first-year"),
        pytest.param("Journal 12(2), 107-123, May 1990", "1990-05", id="pages-before-month"),
        pytest.param("Jan. 23 1973", "1973-01-23", id="month-day-no-comma"),
        pytest.param("date of patent Sep.27, 1994", "1994-09-27", id="glued-day"),
        pytest.param("30-31 July 1992", "1992-07-30", id="day-range"),
        pytest.param("2nd March 2001", "2001-03-02", id="ordinal-day"),
        pytest.param("Zugriff am 10.11.2015", "2015-11-10", id="dotted-day-month-year"),
        pytest.param("am 1. 3. 1999.", "1999-03-01", id="dotted-with-spaces"),
        pytest.param("30.02.1883", "1883-02-30", id="dotted-impossible-kept-for-F003"),
        pytest.param("10 de noviembre de 2015", "2015-11-10", id="spanish-de"),
        pytest.param("1.º de maio de 2010", "2010-05-01", id="portuguese-ordinal-de"),
        pytest.param("10 de novembro de 2015", "2015-11-10", id="portuguese-november"),
        pytest.param("12 de Junio del 2001", "2001-06-12", id="spanish-del"),
        pytest.param("3 mei 2001", "2001-05-03", id="dutch-month"),
        pytest.param("Acesso em: 10 fev. 2015", "2015-02-10", id="abnt-abbreviated-month"),
        pytest.param("10 févr. 2015", "2015-02-10", id="french-abbreviated-month"),
        pytest.param("3 Okt. 2001", "2001-10-03", id="german-abbreviated-month"),
        pytest.param("Lancet. 2011 Mar 5;377(9768)", "2011-03-05", id="nlm-year-month-day"),
        pytest.param("BMJ. 2009 Jun;338:b123", "2009-06", id="nlm-year-month"),
        pytest.param("Conference, 1999 May 12-15", "1999-05", id="nlm-day-range-keeps-the-month"),
        pytest.param("New York: Knopf, 1987 Print.", "1987", id="a-word-after-the-year-is-not-a-month"),
    ],
)
def test_to_iso(text: str, iso: str) -> None:
    assert to_iso(text) == iso


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("pp. 1761-80", id="page-range"),
        pytest.param("SU/1699, B/1", id="broadcast-code"),
        pytest.param("vol. 45, No. 7", id="no-year"),
        pytest.param("", id="empty"),
        pytest.param("v2.10.2015", id="version-number"),
        pytest.param("in 3.5.2001-2", id="number-that-goes-on"),
    ],
)
def test_no_date(text: str) -> None:
    assert to_iso(text) is None


def test_find_dates_reports_every_date_with_its_span() -> None:
    text = "Izvestia, 31 July, 1992, p. 2, quoted in FBIS, 4 August, 1992"
    found = find_dates(text)
    assert [d.iso for d in found] == ["1992-07-31", "1992-08-04"]
    assert text[found[0].start : found[0].end] == "31 July, 1992"


@pytest.mark.parametrize(
    ("raw", "style"),
    [
        pytest.param("Strategic Analysis, Dec. 1995, p. 1277.", "abbrev", id="dec-dot"),
        pytest.param("Foreign Affairs, Sept/Oct. 1997, p. 112.", "abbrev", id="sept"),
        pytest.param("Strategic Analysis, December 1995, p. 1281.", "full", id="december"),
        pytest.param("TASS, May 5, 2015", "full", id="may-is-full"),
        pytest.param("accessed 2015-03-05", "numeric", id="iso"),
        pytest.param("Central Asian Survey, 1994, 13 (4), p. 573.", None, id="no-month"),
    ],
)
def test_month_style(raw: str, style: str | None) -> None:
    assert month_style(raw) == style


def test_a_year_after_de_is_a_year_without_a_month_before_it() -> None:
    assert [d.iso for d in find_dates("Universidad de 2015")] == ["2015"]
    assert [d.iso for d in find_dates("Decreto 12 de 1990")] == ["1990"]


def test_every_month_word_has_its_number() -> None:
    from verifier.citations.dates import MONTHS

    assert MONTHS["novembro"] == 11 and MONTHS["sept"] == 9 and MONTHS["maerz"] == 3 and MONTHS["mei"] == 5
