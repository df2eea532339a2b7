"""Matching a quotation against a source text: tolerant of typography, strict about words."""

from __future__ import annotations

import pytest

from verifier.quotes.match import Source, find, normalise, pattern, script

SOURCE = (
    "The minister said that “the government won’t back down on its com-\n"
    "mitment to clean wa\u00adter for every citizen” — and left. Later she added that the ﬁnal plan, "
    "drawn up in 2019, would be published within five years."
)


@pytest.mark.parametrize(
    "quotation",
    [
        pytest.param("the government won't back down on its commitment to clean water", id="straight-apostrophe"),
        pytest.param("The Government Won’t Back Down", id="case-and-curly"),
        pytest.param("the government … commitment to clean water for every citizen", id="ellipsis-char"),
        pytest.param("the government ... clean water", id="ellipsis-dots"),
        pytest.param("the government […] clean water for every citizen", id="bracketed-ellipsis"),
        pytest.param("[The administration] won't back down on its commitment", id="insertion-replacing-words"),
        pytest.param("[T]he government won't back down", id="bracketed-letter"),
        pytest.param("the final plan, drawn up in 2019", id="ligature"),
        pytest.param("the government won’t back down on its commitment to clean water for every citizen",
                     id="line-end-hyphenation-and-soft-hyphen"),
    ],
)
def test_present_with_typographic_differences_is_found(quotation: str) -> None:
    assert find(quotation, SOURCE).found


@pytest.mark.parametrize(
    "quotation",
    [
        pytest.param("would be published within two years", id="changed-word"),
        pytest.param("the government will not back off from its commitment", id="paraphrase"),
        pytest.param("the government won't back down on clean water", id="words-left-out-without-ellipsis"),
    ],
)
def test_a_misquotation_is_not_found_and_the_closest_passage_is_shown(quotation: str) -> None:
    match = find(quotation, SOURCE)
    assert not match.found
    assert 0.5 < match.similarity < 1
    assert match.passage and ("within five years" in match.passage or "back down" in match.passage)


def test_an_insertion_stands_for_a_few_words_only() -> None:
    assert not find("The minister said [something] would be published", SOURCE).found


def test_normalise_folds_what_typography_changes() -> None:
    assert normalise("“Don’t — stop”\u00ad…") == "dont stop"
    assert pattern("a [b] c … d").gaps == (4, 250)


def test_script_names_the_writing_system() -> None:
    assert script("The river") == "LATIN"
    assert script("Река течёт") == "CYRILLIC"
    assert Source("река и море").script == "CYRILLIC"
