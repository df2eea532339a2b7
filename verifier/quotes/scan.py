"""Where a text's sentences and double-quoted stretches are: the scanning both the quotation check
(``quotes.pairs``) and the unsourced-quotation rule (``rules.quotations``, M009) stand on.

A module of its own, outside ``verifier.rules``: the command finds the quotations of its documents before it
hands the links to its helper processes, and importing any rule module loads every rule family (about 17 ms
on the way to that hand-over).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from verifier.model import Location, Paragraph

MIN_WORDS = 6

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_CLOSERS = "\"”’')]»"
_CLOSING = f"[{re.escape(_CLOSERS)}]*"
_SENTENCE_END = re.compile(rf"[.!?]+{_CLOSING}[\d{_SUPERSCRIPTS}]*{_CLOSING}(?=\s|$)")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen col lt maj capt sgt st dy rev hon jr sr no nos vol vols pp p ed eds fig "
    "etc e.g i.e cf vs al approx dept govt inc ltd co corp km jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_QUOTE_MARK = re.compile(r"[\"“”]")
WORD = re.compile(r"[^\W\d_][\w'’\-]*")
"""A word of a quotation, as its length in words (``MIN_WORDS``) counts them."""
_MINOR_WORDS = frozenset(
    "a an the of and or nor but for to in on at by with from into upon as per via vs "
    "de la le du des von van der den y e".split()
)


# ----------------------------------------------------------------------- passages


@dataclass(frozen=True, slots=True)
class Passage:
    """One or more paragraphs read as one text; ``pieces`` map offsets back to paragraphs."""

    text: str
    pieces: tuple[tuple[int, Paragraph], ...]
    markers: tuple[int, ...]

    def location_at(self, offset: int) -> Location:
        start, para = next((s, p) for s, p in reversed(self.pieces) if s <= offset)
        return para.location_at(min(offset - start, max(len(para.text) - 1, 0)))

    def lines(self) -> set[int]:
        """Every source line this passage starts a line on."""
        return {line for _, para in self.pieces for _, line in para.lines}


def _ends_mid_sentence(text: str) -> bool:
    tail = text.rstrip().rstrip(_SUPERSCRIPTS + "0123456789")
    return bool(tail) and tail[-1] not in ".!?:;" + _CLOSERS


def passages(paragraphs: Sequence[Paragraph], extra_markers: dict[int, list[int]] | None = None) -> list[Passage]:
    """Paragraphs joined across page breaks. ``extra_markers`` maps a paragraph index to more marker offsets."""
    out: list[Passage] = []
    text = ""
    pieces: list[tuple[int, Paragraph]] = []
    markers: list[int] = []
    extra_markers = extra_markers or {}
    for i, para in enumerate(paragraphs):
        joins = bool(pieces) and para.text.lstrip()[:1].islower() and _ends_mid_sentence(text)
        if pieces and not joins:
            out.append(Passage(text, tuple(pieces), tuple(markers)))
            text, pieces, markers = "", [], []
        start = len(text) + (1 if pieces else 0)
        text = f"{text} {para.text}" if pieces else para.text
        pieces.append((start, para))
        if para.markers:
            markers.extend(start + off for off, _ in para.markers)
        if i in extra_markers:
            markers.extend(start + off for off in extra_markers[i])
    if pieces:
        out.append(Passage(text, tuple(pieces), tuple(markers)))
    return out


# ---------------------------------------------------------------------- sentences


def has_quotation_marks(paragraphs: Sequence[Paragraph]) -> bool:
    """Whether any paragraph holds a double quotation mark (no quotation to look at otherwise)."""
    return any('"' in para.text or "“" in para.text for para in paragraphs)


def sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` spans of the sentences of ``text`` (abbreviations and initials do not end one)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        stop, end = m.span()
        rest = text[end : end + 8].lstrip()
        if rest and not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"“‘'(["):
            continue
        if text[stop] == ".":
            before = text[max(0, stop - 30) : stop].split()
            word = before[-1].lstrip("(\"“'‘").lower() if before else ""
            if len(word) == 1 or word in _ABBREVIATIONS:
                continue
        spans.append((start, end))
        start = end
    if start < len(text):
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


def sentence_index(spans: Sequence[tuple[int, int]], offset: int) -> int:
    """Index of the sentence containing ``offset`` (spans are contiguous and sorted)."""
    return min(bisect.bisect_right(spans, (offset, len(spans) and spans[-1][1] + 1)) - 1, len(spans) - 1)


# --------------------------------------------------------------------- quotations


def _role(text: str, i: int, is_open: bool) -> str:
    ch = text[i]
    if ch == "“":
        return "open"
    if ch == "”":
        return "close"
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if (before.isspace() or before in "([{—–-/‘'") and not after.isspace():
        return "open"
    if not before.isspace():
        return "close"
    return "close" if is_open else "open"


def quotations(text: str, spans: Sequence[tuple[int, int]] | None = None) -> list[tuple[int, int, bool]]:
    """``(start, end, closed)`` of every double-quoted stretch; an unclosed one runs to its sentence's end.

    ``spans`` are the sentences of ``text`` when the caller already has them (otherwise they are found when an
    unclosed quotation needs them).
    """
    found: list[tuple[int, int, bool]] = []
    opened: int | None = None

    def unclosed(start: int, stop: int) -> tuple[int, int, bool]:
        nonlocal spans
        spans = spans or sentences(text)
        end = spans[sentence_index(spans, start)][1]
        return start, min(end, stop), False

    for m in _QUOTE_MARK.finditer(text):
        i = m.start()
        if _role(text, i, opened is not None) == "open":
            if opened is not None:
                found.append(unclosed(opened, i))
            opened = i
        elif opened is not None:
            found.append((opened, i + 1, True))
            opened = None
    if opened is not None:
        found.append(unclosed(opened, len(text)))
    return found


def is_title(words: Sequence[str]) -> bool:
    """Title Case: the first word and (nearly) every significant word capitalised."""
    significant = [w for w in words if w.lower() not in _MINOR_WORDS]
    if not words or not words[0][:1].isupper() or not significant:
        return False
    return sum(w[:1].isupper() for w in significant) >= 0.85 * len(significant)
