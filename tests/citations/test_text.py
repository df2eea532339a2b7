"""The quote scanners of ``verifier/citations/text.py``: right spans, and linear time on hostile notes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.citations import text as text_module
from verifier.citations.text import quoted_spans


class _CountingPattern:
    """A compiled pattern that adds up how many characters its searches look at."""

    def __init__(self, pattern: re.Pattern[str], counter: list[int]) -> None:
        self._pattern = pattern
        self._counter = counter

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        m = self._pattern.search(text, pos, len(text) if endpos is None else endpos)
        self._counter[0] += (len(text) if m is None else m.end()) - pos
        return m

    def finditer(self, text: str, pos: int = 0):  # type: ignore[no-untyped-def]
        self._counter[0] += len(text) - pos
        return self._pattern.finditer(text, pos)


def _scanned(monkeypatch: pytest.MonkeyPatch, text: str) -> int:
    counter = [0]
    monkeypatch.setattr(text_module, "_GUILLEMET_RE", _CountingPattern(text_module._GUILLEMET_RE, counter))
    monkeypatch.setattr(text_module, "_OPENER_RE", _CountingPattern(text_module._OPENER_RE, counter))
    monkeypatch.setattr(
        text_module,
        "_CLOSER_RES",
        {k: _CountingPattern(v, counter) for k, v in text_module._CLOSER_RES.items()},
    )
    quoted_spans(text)
    return counter[0]


@pytest.mark.parametrize(
    "opener",
    [
        pytest.param("«", id="unclosed-guillemets"),
        pytest.param("“", id="unclosed-curly"),
        pytest.param("„", id="unclosed-low"),
        pytest.param("‹", id="unclosed-single-guillemet"),
    ],
)
def test_thousands_of_unclosed_quotes_are_scanned_in_linear_time(monkeypatch: pytest.MonkeyPatch, opener: str) -> None:
    # The case: one note of 4,000 "«" took seconds, because each opener scanned to the end.
    text = "Smith, " + opener * 4000 + " 1999."
    assert _scanned(monkeypatch, text) <= 6 * len(text)


def test_nested_guillemets_pair_with_their_own_closer() -> None:
    text = "Lenin, «Über «die» Frage» und «mehr»."
    spans = quoted_spans(text)
    assert [text[s:e] for s, e in spans] == ["«Über «die» Frage»", "«mehr»"]


def test_an_unclosed_quote_yields_nothing_but_later_quotes_still_count() -> None:
    text = "«never closed “A Title,” and «x»"
    assert [text[s:e] for s, e in quoted_spans(text)] == ["“A Title,”", "«x»"]


def _naive_guillemet_end(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        if text[i] in "«»":
            depth += 1 if text[i] == "«" else -1
            if depth == 0:
                return i + 1
    return -1


def _naive_quoted_spans(text: str) -> list[tuple[int, int]]:
    """The scanner before it was made linear: each opener searches to the end on its own."""
    spans = []
    pos = 0
    while True:
        m = re.compile(r"[“\"«„‹]").search(text, pos)
        if not m:
            return spans
        i = m.start()
        if text[i] == "«":
            end = _naive_guillemet_end(text, i)
        else:
            close = re.compile("[" + re.escape(text_module.QUOTE_PAIRS[text[i]]) + "]").search(text, i + 2)
            end = -1 if close is None else close.end()
        if end < 0:
            pos = i + 1
            continue
        spans.append((i, end))
        pos = end


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="«»“”\"„‹› ax", max_size=60))
def test_quoted_spans_agrees_with_the_quadratic_reference(text: str) -> None:
    assert quoted_spans(text) == _naive_quoted_spans(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_quoted_spans_are_ordered_non_overlapping_and_start_at_an_opener(text: str) -> None:
    spans = quoted_spans(text)
    last = 0
    for s, e in spans:
        assert last <= s < e <= len(text)
        assert text[s] in "“\"«„‹"
        last = e
