"""Keys: familyYEARword, lower-case ASCII, told apart by content, not by document order."""

from __future__ import annotations

import pytest

from verifier.export.keys import ascii_word, assign_keys, base_key
from verifier.model import Fields, Person


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        pytest.param(
            Fields(authors=(Person("Akbarzadeh", "Shahram"),), title="Why Did Nationalism Fail in Tajikistan",
                   date="1996"),
            "akbarzadeh1996nationalism",
            id="stop-words-skipped",
        ),
        pytest.param(
            Fields(authors=(Person("Joshi", "Nirmala"),), title="Russia and Central Asia", date="1995-12"),
            "joshi1995russia",
            id="year-of-a-month",
        ),
        pytest.param(
            Fields(authors=(Person(literal="Human Rights Watch"),), title="The Dam Project", date="2014"),
            "human2014dam",
            id="corporate-author-first-significant-word",
        ),
        pytest.param(
            Fields(authors=(Person(literal="The Ministry of Foreign Affairs"),), title="Statement", date="2013"),
            "ministry2013statement",
            id="corporate-author-without-article",
        ),
        pytest.param(
            Fields(editors=(Person("Djalili", "Mohammad-Reza"),), title="Tajikistan: The Trials", date="1998"),
            "djalili1998tajikistan",
            id="editors-stand-in-for-authors",
        ),
        pytest.param(
            Fields(title="Tajikistan cedes land to China", date="2011-01-13"),
            "tajikistan2011cedes",
            id="no-author-first-title-words",
        ),
        pytest.param(Fields(container="Izvestia", date="1992-07-31"), "izvestia1992", id="only-a-newspaper"),
        pytest.param(Fields(url="http://www.srjis.com"), "srjis", id="only-a-url"),
        pytest.param(Fields(url="http://www.bbc.co.uk/news/1"), "bbc", id="second-level-domain-skipped"),
        pytest.param(
            Fields(authors=(Person("Ørsted", "Hans"),), title="Über Elektromagnetismus", date="1820"),
            "orsted1820uber",
            id="non-ascii-folded",
        ),
        pytest.param(
            Fields(authors=(Person("Шелов", "Ковед"),), title="Интервью", date="1992"),
            "shelov1992interviu",
            id="cyrillic-transliterated",
        ),
        pytest.param(
            Fields(authors=(Person(literal="et al."), Person("Smith", "J.")), title="Ports", date="2000"),
            "smith2000ports",
            id="et-al-is-not-a-name",
        ),
        pytest.param(Fields(), "anon", id="nothing-at-all"),
    ],
)
def test_base_key(fields: Fields, key: str) -> None:
    assert base_key(fields) == key


def test_ascii_word_folds_letters_nfkd_leaves_alone() -> None:
    assert ascii_word("Shams-ud-din") == "shamsuddin"
    assert ascii_word("Łukasz Straße") == "lukaszstrasse"


_A = Fields(authors=(Person("Smith", "J."),), title="Ports of the Baltic", date="2000")
_B = Fields(authors=(Person("Smith", "J."),), title="Ports of the North Sea", date="2000")
_C = Fields(authors=(Person("Smith", "Adam"),), title="Ports and Power", date="2000")
_OTHER = Fields(authors=(Person("Jones", "K."),), title="Lighthouses", date="1999")


def _keys(*fields: Fields) -> list[str]:
    return assign_keys([(base_key(f), f, "") for f in fields])


def test_colliding_keys_get_letters_in_an_order_set_by_their_content() -> None:
    assert _keys(_B, _A) == ["smith2000portsa", "smith2000ports"]
    assert _keys(_A, _B) == ["smith2000ports", "smith2000portsa"]


def test_an_unrelated_source_never_changes_a_key() -> None:
    before = dict(zip(("a", "b"), _keys(_A, _B), strict=True))
    after = dict(zip(("other", "a", "b"), _keys(_OTHER, _A, _B), strict=True))
    assert after["a"] == before["a"] and after["b"] == before["b"]


def test_three_colliding_sources() -> None:
    keys = _keys(_C, _B, _A)
    assert sorted(keys) == ["smith2000ports", "smith2000portsa", "smith2000portsb"]
    assert len(set(keys)) == 3


def test_a_letter_never_repeats_another_sources_base_key() -> None:
    taken = Fields(authors=(Person("Smith", "J."),), title="Portsa", date="2000")  # base key smith2000portsa
    keys = _keys(_A, _B, taken)
    assert len(set(keys)) == 3 and "smith2000portsa" in keys
