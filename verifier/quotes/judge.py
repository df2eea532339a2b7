"""The verdict on each quotation, from the texts the network stage read (pure).

A quotation is *found* when any of the sources its note cites holds it on the
live page; *found in the archive* when none does live but a capture nearest the
access date does (the page changed, or went, after it was cited); *not found*
when texts were read and none holds it (the closest passage is kept, with its
similarity); *not checked* when no text could be had at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from verifier.model import Quotation, QuotationStatus
from verifier.quotes.extract import PageText, SourceTexts
from verifier.quotes.match import Match, Source, pattern, script
from verifier.quotes.pairs import Pair

FOREIGN = 0.5
"""Below this share of the quotation's short words anywhere in a source, the source is taken to be in another
language (see ``match.Source.shared_words``; on the test pages an English quotation finds 0.8–1 of its short words
in any English page, even one that lacks it, and 0–0.3 in a Russian or German one)."""


LONG = 300
"""Words a page needs before its vocabulary says which language it is in."""


@dataclass(slots=True)
class Matcher:
    """Source texts normalised once each, however many quotations are looked up in them."""

    _sources: dict[tuple[str, str], Source]

    def __init__(self) -> None:
        self._sources = {}

    def source(self, page: PageText) -> Source:
        key = (page.url, page.text[:200])
        source = self._sources.get(key)
        if source is None or source.raw is not page.text:
            source = self._sources[key] = Source(page.text)
        return source

    def find(self, quotation: str, page: PageText) -> Match:
        return self.source(page).find(pattern(quotation))

    def foreign(self, quotation: str, page: PageText) -> bool:
        """True when the page is (almost surely) in another language than the quotation: a translation.

        Another writing system settles it; within one, a long page (``LONG`` words or more) that lacks most of
        the quotation's short words is in another language. A short page says too little to judge by words.
        """
        source = self.source(page)
        if source.script != script(quotation):
            return True
        return source.text.count(" ") + 1 >= LONG and source.shared_words(quotation) < FOREIGN


def capture_wanted(pairs: Sequence[Pair]) -> Callable[[str, PageText | None], bool]:
    """A predicate for the network stage: is the capture of ``url`` worth reading, given its live text?

    Yes when the live page could not be read, or lacks one of the quotations cited from it: only then can
    the capture tell a changed page (Q002) from a misquotation (Q001).
    """
    by_url: dict[str, list[str]] = {}
    for p in pairs:
        for url in p.urls:
            by_url.setdefault(url, []).append(p.text)
    matcher = Matcher()

    def wanted(url: str, live: PageText | None) -> bool:
        quoted = by_url.get(url)
        if not quoted:
            return False
        return live is None or any(not matcher.find(q, live).found for q in quoted)

    return wanted


def judge(pairs: Sequence[Pair], texts: Mapping[str, SourceTexts], why_not: str | None = None) -> list[Quotation]:
    """One ``Quotation`` per pair. ``why_not`` (offline, ``--no-quotations``) marks every one not checked."""
    matcher = Matcher()
    out: list[Quotation] = []
    for p in pairs:
        base = Quotation(p.text, p.document, p.location, p.citations)
        if why_not is not None:
            out.append(_with(base, QuotationStatus.NOT_CHECKED, why=why_not))
            continue
        best: tuple[float, str, str] | None = None  # similarity, where, passage
        in_archive: tuple[str, str, str | None] | None = None  # where, passage, why the live page had no text
        found: tuple[str, str] | None = None
        reasons: list[str] = []
        translated = False
        for url in p.urls:
            got = texts.get(url)
            if got is None or (got.live is None and got.capture is None):
                reasons.append(f"{url}: {got.why if got is not None and got.why else 'no text could be read'}")
                continue
            for page, live in ((got.live, True), (got.capture, False)):
                if page is None:
                    continue
                m = matcher.find(p.text, page)
                if m.found:
                    if live:
                        found = found or (page.url, m.passage)
                    else:
                        gone = None if got.live is not None else (got.why or "").split(";")[0].removeprefix(
                            "live page: ") or None
                        in_archive = in_archive or (page.url, m.passage, gone)
                elif matcher.foreign(p.text, page):
                    translated = True  # a translated quotation: not finding its words says nothing
                elif best is None or m.similarity > best[0]:
                    best = (m.similarity, page.url, m.passage)
            if found:
                break
        if found:
            out.append(_with(base, QuotationStatus.FOUND, 1.0, *found))
        elif in_archive:
            where, passage, gone = in_archive
            out.append(_with(base, QuotationStatus.FOUND_IN_ARCHIVE, 1.0, where, passage, gone))
        elif best is not None:
            out.append(_with(base, QuotationStatus.NOT_FOUND, best[0], best[1], best[2]))
        elif translated:
            out.append(_with(base, QuotationStatus.NOT_CHECKED,
                             why="the source is in another language (a translated quotation cannot be matched)"))
        else:
            out.append(_with(base, QuotationStatus.NOT_CHECKED, why="; ".join(reasons) or "no text could be read"))
    return out


def _with(q: Quotation, status: QuotationStatus, similarity: float | None = None, where: str | None = None,
          passage: str | None = None, why: str | None = None) -> Quotation:
    return Quotation(q.text, q.document, q.location, q.citations, status, similarity, where, passage or None, why)
