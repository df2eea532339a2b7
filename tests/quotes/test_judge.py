"""The verdict per quotation, from what the network stage read."""

from __future__ import annotations

from verifier.model import Location, QuotationStatus
from verifier.quotes.extract import PageText, SourceTexts
from verifier.quotes.judge import capture_wanted, judge
from verifier.quotes.pairs import Pair

A, B = "https://example.org/a", "https://example.org/b"
QUOTE = "the old bridge will be demolished and replaced"
LIVE = PageText(A, "Updated: the council has reviewed its plans for the bridge.")
OLD = PageText("https://web.archive.org/web/2019/" + A, "The council said the old bridge will be demolished "
                                                          "and replaced by a wider one.")


def _pair(text: str = QUOTE, urls: tuple[str, ...] = (A,)) -> Pair:
    return Pair(text, "doc.md", Location(3, 5), ("c1",), urls)


def _status(texts: dict[str, SourceTexts], pair: Pair | None = None) -> QuotationStatus:
    return judge([pair or _pair()], texts)[0].status


def test_found_live_in_archive_only_not_found_and_not_checked() -> None:
    assert _status({A: SourceTexts(OLD, None)}) is QuotationStatus.FOUND
    assert _status({A: SourceTexts(LIVE, OLD)}) is QuotationStatus.FOUND_IN_ARCHIVE
    assert _status({A: SourceTexts(None, OLD, "live page: dead (HTTP 404)")}) is QuotationStatus.FOUND_IN_ARCHIVE
    assert _status({A: SourceTexts(LIVE, LIVE)}) is QuotationStatus.NOT_FOUND
    unchecked = judge([_pair()], {A: SourceTexts(None, None, "live page: blocked (HTTP 403); no capture")})[0]
    assert unchecked.status is QuotationStatus.NOT_CHECKED and "403" in (unchecked.why or "")


def test_any_cited_source_that_has_it_is_enough() -> None:
    assert _status({A: SourceTexts(LIVE, None), B: SourceTexts(OLD, None)}, _pair(urls=(A, B))) is (
        QuotationStatus.FOUND)


def test_a_quotation_translated_from_a_page_in_another_language_is_not_checked() -> None:
    russian = PageText(A, "Киргизские чиновники ищут внешнего врага, чтобы мобилизовать население.")
    q = judge([_pair("the Kyrgyz officials are looking for an external enemy")], {A: SourceTexts(russian, None)})[0]
    assert q.status is QuotationStatus.NOT_CHECKED and "another language" in (q.why or "")


def test_offline_marks_every_quotation_not_checked() -> None:
    q = judge([_pair()], {}, "offline")[0]
    assert (q.status, q.why) == (QuotationStatus.NOT_CHECKED, "offline")


def test_the_capture_is_wanted_only_when_the_live_page_lacks_a_quotation() -> None:
    wanted = capture_wanted([_pair()])
    assert wanted(A, None) and wanted(A, LIVE)
    assert not wanted(A, OLD) and not wanted(B, None)
