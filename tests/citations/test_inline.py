"""Parenthetical attributions in body text, and the ordinary brackets that are not."""

from __future__ import annotations

import pytest

from verifier.citations import find_inline


def test_two_sources_in_one_bracket() -> None:
    text = "the keeper of the peace (Wire agencies, March 3-5; see the Courier, March 1, 4)."
    found = find_inline(text)
    assert [raw for _, _, raw in found] == ["Wire agencies, March 3-5", "see the Courier, March 1, 4"]
    for start, end, raw in found:
        assert text[start:end] == raw


@pytest.mark.parametrize(
    ("bracket", "raws"),
    [
        pytest.param("(Wire agencies, March 3-5)", ["Wire agencies, March 3-5"], id="agencies"),
        pytest.param("(Smith 2004)", ["Smith 2004"], id="author-year"),
        pytest.param("(Smith and Jones, 2004, p. 12)", ["Smith and Jones, 2004, p. 12"], id="two-authors-page"),
        pytest.param("(Smith et al. 2004a; Lee 1999)", ["Smith et al. 2004a", "Lee 1999"], id="et-al-and-second"),
        pytest.param("(Interfax, March 3, 2015)", ["Interfax, March 3, 2015"], id="agency-full-date"),
        pytest.param("(see Smith, Jones and Lee 2001)", ["see Smith, Jones and Lee 2001"], id="see-three-authors"),
    ],
)
def test_citations(bracket: str, raws: list[str]) -> None:
    assert [raw for _, _, raw in find_inline(f"Some claim {bracket} follows.")] == raws


@pytest.mark.parametrize(
    "bracket",
    [
        pytest.param("(Party of Islamic Renaissance of Tajikistan, IRPT)", id="name-and-acronym"),
        pytest.param("(in 2012)", id="in-year"),
        pytest.param("(CST)", id="acronym"),
        pytest.param("(or more than 1000, according to some media sources)", id="aside-with-sources"),
        pytest.param("(Rakhmonov with the Slavic names ending used until March 2007)", id="aside-with-date"),
        pytest.param("(EEU, also abbreviated as EAEU)", id="also-abbreviated"),
        pytest.param("(1992–1995)", id="year-range"),
        pytest.param("(that is, during a time which coincides with the withdrawal)", id="that-is"),
        pytest.param("(July 1992)", id="month-year"),
        pytest.param("(Armenia, Belarus, Kazakhstan, Kyrgyzstan, Russia and Tajikistan)", id="country-list"),
        pytest.param("(OCAC, established in 1991)", id="acronym-established"),
        pytest.param("(201st MRD)", id="unit"),
        pytest.param("(October 16, 2013)", id="full-date"),
    ],
)
def test_not_citations(bracket: str) -> None:
    assert find_inline(f"Some claim {bracket} follows.") == []


def test_text_without_brackets() -> None:
    assert find_inline("No brackets here at all.") == []
