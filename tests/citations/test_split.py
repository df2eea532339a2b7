"""Splitting a note into the segments that cite separate sources."""

from __future__ import annotations

import pytest

from verifier.citations import split_sources

NOTE_2 = (
    "John Heathershaw and Edmund Herzig, “Introduction: The Sources of Statehood in Tajikistan,” Central Asian "
    "Survey 30, no. 1 (April 2011): 5–19; see also Mohammad-Reza Djalili, Frédéric Grare, and Shirin Akiner, eds., "
    "Tajikistan: The Trials of Independence (New York: Routledge, 1998)."
)
NOTE_3 = (
    "The ban on the Islamist party was introduced in 1993 and lifted again in 1999. OSCE observers reported that the "
    "elections did not meet democratic standards. Qishloq Ovozi, “A Pyrrhic Victory In Tajik Parliamentary "
    "Elections,” Radio Free Europe/Radio Liberty, March 5, 2015, "
    "http://www.rferl.org/content/tajikistan-islam-elections-parliament-history/26883637.html. For official "
    "information on the outlawing of the IRPT, see “Islamic Renaissance Party of Tajikistan is declared extremist "
    "terrorist organization, and its activities are prohibited,” Khovar, September 30, 2015, "
    "http://www.khovar.tj/eng/content/islamic-renaissance-party-tajikistan-declared-extremist-terrorist-organization."
)


def test_semicolon_separates_sources_and_see_also_stays_with_the_second() -> None:
    segments = split_sources(NOTE_2)
    assert len(segments) == 2
    assert segments[0].endswith("5–19")
    assert segments[1].startswith("see also Mohammad-Reza Djalili")


def test_url_followed_by_a_new_sentence_ends_a_segment() -> None:
    segments = split_sources(NOTE_3)
    assert len(segments) == 2
    assert segments[0].startswith("The ban on the Islamist party")  # commentary stays
    assert segments[0].endswith("26883637.html")
    assert segments[1].startswith("For official information")


@pytest.mark.parametrize(
    ("note", "count"),
    [
        pytest.param("“Title; With a Semicolon,” TASS, May 5, 2015; RIA Novosti, May 6, 2015.", 2, id="in-quotes"),
        pytest.param('"Title; Straight," TASS, May 5, 2015; RIA Novosti, May 6, 2015.', 2, id="in-straight-quotes"),
        pytest.param("Smith, Title (London; New York: Verso, 2001), 12; Jones, Other, 3.", 2, id="in-brackets"),
        pytest.param("See http://example.org/a;jsessionid=1; TASS, May 5, 2015.", 2, id="in-url"),
        pytest.param("Kamerlin, S. C. L.; Warshel, A. “At the Dawn,” Proteins 2010, 78, 1339.", 1,
                     id="author-list-semicolon"),
        pytest.param("The border is 1,378 km long (as of June 2014); the rest remains disputed.", 1,
                     id="commentary-semicolon"),
        pytest.param("Heathershaw and Herzig, “The Sources of Statehood,” 11. Cf. Driscoll, “Warlords,” 4.", 2,
                     id="cf-sentence"),
        pytest.param("The third party was the small Democratic Party of Tajikistan.", 1, id="pure-commentary"),
    ],
)
def test_segment_count(note: str, count: int) -> None:
    assert len(split_sources(note)) == count


def test_blank_note_has_no_segments() -> None:
    assert split_sources("  \n ") == []


def test_segments_keep_their_text() -> None:
    note = "“Vorukh vyshel iz blokady,” Radio Ozodi, April 28, 2013; Malika Sharif, “Kak izmenilis’,” Deutsche Welle"
    assert split_sources(note) == [
        "“Vorukh vyshel iz blokady,” Radio Ozodi, April 28, 2013",
        "Malika Sharif, “Kak izmenilis’,” Deutsche Welle",
    ]


@pytest.mark.parametrize(
    "note",
    [
        pytest.param("A. Rashid, “The Taliban,” Foreign Affairs, http://example.org/x (accessed 5 March 2016).",
                     id="accessed-in-parentheses"),
        pytest.param("A. Rashid, “The Taliban,” Foreign Affairs, http://example.org/x (March 5, 2016).",
                     id="date-in-parentheses"),
    ],
)
def test_an_access_note_in_parentheses_stays_with_its_url(note: str) -> None:
    assert split_sources(note) == [note]
