"""Tolerant, explainable matching of a quotation against a source text.

Both sides are normalised the same way: Unicode NFKC (ligatures, full-width
forms), soft hyphens and zero-width characters dropped, a word broken at a line
end by a hyphen joined again, quotes, apostrophes and dashes unified, case
folded, and everything that is not a letter or a digit turned into one space.
What is left is a sequence of words, so punctuation, typographic quotes and
line breaks never decide a match.

On the quotation's side an ellipsis (``…``, ``...``, ``[…]``, ``[...]``) matches
any gap (up to ``ELLIPSIS_WORDS`` words), and a bracketed insertion standing
alone (``[the minister]``) matches any few words or none. Brackets inside a word
(``[T]he``, ``refuse[s]``) are an editor's change of case or inflection: the
letters are kept and the brackets dropped.

A quotation is *found* when its words occur in order, contiguous except at
those gaps. Otherwise the best near passage is located with rapidfuzz's
``partial_ratio_alignment`` and reported with its similarity and a little
context around it, so the editor sees what the source actually says.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

ELLIPSIS_WORDS = 250
"""The most words an ellipsis may stand for (a quotation may skip a paragraph, not a chapter)."""
INSERTION_WORDS = 4
"""The most words a bracketed insertion may stand for (``[the minister]`` for "he")."""
CONTEXT = 60
"""Characters of context shown on each side of the best near passage."""

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_HYPHEN_BREAK = re.compile(r"(\w)[-\u2010\u2011]\s*\n\s*(\w)")
_ELLIPSIS = re.compile(r"\[\s*(?:…|\.\s?\.\s?\.)\s*\]|…|\.\s?\.\s?\.")
_BRACKETED = re.compile(r"\[[^\[\]]*\]")
_NON_WORD = re.compile(r"[\W_]+")
_GAP = "\x00"
"""Marks an ellipsis in the quotation's normalised text."""
_INSERT = "\x01"
"""Marks a bracketed insertion."""


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces: what matching compares (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    text = text.replace("’", "'").replace("‘", "'").replace("ʼ", "'")
    text = re.sub(r"(?<=\w)'(?=\w)", "", text)  # don't / dont: an apostrophe never splits a word
    return _NON_WORD.sub(" ", text.casefold()).strip()


@dataclass(frozen=True, slots=True)
class Pattern:
    """A quotation prepared for matching: word runs separated by gaps."""

    text: str
    parts: tuple[tuple[str, ...], ...]
    """Runs of words; between two runs stands a gap."""
    gaps: tuple[int, ...]
    """The most words each gap may stand for."""

    @property
    def words(self) -> int:
        return sum(len(p) for p in self.parts)


def pattern(quotation: str) -> Pattern:
    """The quotation's word runs and gaps."""
    marked = _ELLIPSIS.sub(f" {_GAP} ", quotation)

    def bracket(m: re.Match[str]) -> str:
        start, end = m.span()
        inside = m.group()[1:-1]
        glued = (start > 0 and marked[start - 1].isalnum()) or (end < len(marked) and marked[end].isalnum())
        return inside if glued else f" {_INSERT} "

    marked = _BRACKETED.sub(bracket, marked)
    parts: list[tuple[str, ...]] = []
    gaps: list[int] = []
    run: list[str] = []
    for chunk in re.split(f"([{_GAP}{_INSERT}])", marked):
        if chunk in (_GAP, _INSERT):
            if run:
                parts.append(tuple(run))
                run = []
                gaps.append(ELLIPSIS_WORDS if chunk == _GAP else INSERTION_WORDS)
            elif gaps:
                gaps[-1] = max(gaps[-1], ELLIPSIS_WORDS if chunk == _GAP else INSERTION_WORDS)
            continue
        run.extend(normalise(chunk).split())
    if run:
        parts.append(tuple(run))
    gaps = gaps[: max(len(parts) - 1, 0)]
    return Pattern(quotation, tuple(parts), tuple(gaps))


@dataclass(frozen=True, slots=True)
class Match:
    """The outcome of looking for one quotation in one text."""

    found: bool
    similarity: float
    """0–1: 1 when found; else how close the best near passage is (rapidfuzz, on the normalised words)."""
    passage: str = ""
    """The best passage in the source's own (normalised) words, with a little context."""


def _regex(p: Pattern) -> re.Pattern[str]:
    # " ?" between words: a compound broken at a line end ("self-\nevident") is joined by ``normalise``
    runs = [" ?".join(re.escape(w) for w in part) for part in p.parts]
    pieces = [runs[0]]
    for gap, run in zip(p.gaps, runs[1:], strict=True):
        pieces.append(f"(?: \\S+){{0,{gap}}} {run}")
    return re.compile(r"(?<!\S)" + "".join(pieces) + r"(?!\S)")


class Source:
    """A source text normalised once, for matching any number of quotations against it."""

    def __init__(self, text: str) -> None:
        self.raw = text
        self.text = normalise(text)
        self._words: frozenset[str] | None = None
        self.script = script(self.text)

    def shared_words(self, quotation: str | Pattern) -> float:
        """The share (0–1) of the quotation's short words (three letters or fewer) found anywhere in the source.

        Short words are a language's function words ("the", "of", "and"; "der", "und"; "и", "в"): a quotation
        in the source's language finds nearly all of them there even when the passage is not there; one
        translated from a source in another language finds few (its words cannot be matched at all, and not
        finding them says nothing). With fewer than three short words, all its words count.
        """
        p = pattern(quotation) if isinstance(quotation, str) else quotation
        words = [w for part in p.parts for w in part]
        short = [w for w in words if len(w) <= 3 and not w.isdigit()]
        words = short if len(short) >= 3 else words
        if not words:
            return 0.0
        if self._words is None:
            self._words = frozenset(self.text.split())
        return sum(w in self._words for w in words) / len(words)

    def find(self, quotation: str | Pattern) -> Match:
        p = pattern(quotation) if isinstance(quotation, str) else quotation
        if not p.parts or not self.text:
            return Match(False, 0.0)
        m = _regex(p).search(self.text)
        if m is not None:
            return Match(True, 1.0, self._context(*m.span(), margin=20))
        return self._nearest(p)

    def _nearest(self, p: Pattern) -> Match:
        """The best near passage: the longest run aligned, its neighbours scored in the same window."""
        whole = " ".join(" ".join(part) for part in p.parts)
        if len(p.parts) == 1 or len(whole) <= 400:
            target = whole if len(p.parts) == 1 else max((" ".join(part) for part in p.parts), key=len)
        else:
            target = max((" ".join(part) for part in p.parts), key=len)
        aligned = fuzz.partial_ratio_alignment(target, self.text)
        if aligned is None:
            return Match(False, 0.0)
        score = aligned.score / 100
        if len(p.parts) > 1:  # every run must be there: the weakest one decides
            score = min([score] + [fuzz.partial_ratio(" ".join(part), self.text) / 100
                                   for part in p.parts if " ".join(part) != target])
        return Match(False, round(score, 3), self._context(aligned.dest_start, aligned.dest_end))

    def _context(self, start: int, end: int, margin: int = CONTEXT) -> str:
        lo = max(0, start - margin)
        hi = min(len(self.text), end + margin)
        lo = self.text.rfind(" ", 0, lo) + 1 if lo else 0
        cut = self.text.find(" ", hi)
        hi = cut if cut != -1 else len(self.text)
        return ("…" if lo else "") + self.text[lo:hi] + ("…" if hi < len(self.text) else "")


def script(text: str, sample: int = 4000) -> str | None:
    """The writing system most of the letters of ``text`` are in (``LATIN``, ``CYRILLIC``, ``GREEK``, ``CJK``…)."""
    counts: dict[str, int] = {}
    seen = 0
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            head = name.split(" ", 1)[0] if name else ""
            counts[head] = counts.get(head, 0) + 1
            seen += 1
            if seen >= sample:
                break
    return max(counts, key=lambda k: counts[k]) if counts else None


def find(quotation: str, text: str) -> Match:
    """Look for ``quotation`` in ``text`` (see the module docstring)."""
    return Source(text).find(quotation)
