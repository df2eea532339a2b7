"""Splitting one note into the segments that cite separate sources.

A note cites several works separated by semicolons — ``Moreau and
Lindqvist, “…,” 5–19; see also Okafor et al., eds., …`` — but a semicolon inside
a quoted title, a bracket or a URL separates nothing, nor does the one in an
author list (``Kamerlin, S. C. L.; Warshel, A.``). A URL that ends a citation
and is followed by a new sentence ends the segment too (a note that goes on
"For official information …, see “…”"). Lead-ins such as "see also" and "cf."
stay at the head of the segment they introduce; the parser skips them.
"""

from __future__ import annotations

import re

from .text import clean, urls_in

_OPEN = "([{"
_CLOSE = ")]}"
# "… 2015. See also …", "… 11. Cf. …": a new citation introduced by a lead-in after a sentence end.
_LEAD_IN_SENTENCE_RE = re.compile(r"(?<=[.)])\s+(?=(?:See also|See, e\.g\.,|Cf\.|Compare)\s)")
_LEAD_IN_WORD_RE = re.compile(r"(?:see|cf\.|also|e\.g\.|compare)\b", re.IGNORECASE)
_SUBSTANCE_RE = re.compile(r"\d|[“”\"«»]|https?://|www\.")
_ALNUM_RE = re.compile(r"[^\W_]")
_NEW_SENTENCE_RE = re.compile(r"[.;]?\s+(?=[A-Z“\"«(])")


def _semicolon_splits(text: str) -> list[int]:
    """Offsets of the semicolons that separate sources."""
    if ";" not in text:
        return []
    straight_ok = text.count('"') % 2 == 0
    depth = curly = guillemet = 0
    straight = False
    cuts: list[int] = []
    url_spans = [(s, e) for s, e, _ in urls_in(text)] if ("http" in text or "www." in text) else []
    for m in _STRUCTURE_RE.finditer(text):
        c = m.group(0)
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        elif c == "“":
            curly += 1
        elif c == "”":
            curly = max(0, curly - 1)
        elif c == "«":
            guillemet += 1
        elif c == "»":
            guillemet = max(0, guillemet - 1)
        elif c == '"':
            straight = straight_ok and not straight
        elif not (depth or curly or straight or guillemet):
            i = m.start()
            if i + 1 < len(text) and not text[i + 1].isspace():
                continue  # "a;b" inside a URL or a code
            if any(s <= i < e for s, e in url_spans):
                continue
            cuts.append(i)
    # An unbalanced curly quote would swallow every later semicolon: retry without quote tracking.
    if curly and not cuts:
        return [m.start() for m in _SPACED_SEMICOLON_RE.finditer(text)]
    return cuts


_STRUCTURE_RE = re.compile(r"[()\[\]{}“”«»\";]")
_SPACED_SEMICOLON_RE = re.compile(r";(?=\s)")


def _worth_cutting(left: str, right: str) -> bool:
    """Whether a semicolon between ``left`` and ``right`` separates two citations.

    ``left`` must be a citation of its own (not half an author list such as
    ``Kamerlin, S. C. L.``) and ``right`` must open one — with a capital, a
    quote or a lead-in — not carry on a sentence of commentary.
    """
    right = right.lstrip()
    opens = bool(right) and (right[0].isupper() or right[0].isdigit() or right[0] in "“\"«„*[(")
    if not (opens or _LEAD_IN_WORD_RE.match(right)):
        return False
    return bool(_SUBSTANCE_RE.search(left)) or len(left.split()) >= 5


def _split_after_urls(segment: str) -> list[str]:
    """Cut after a URL that is followed by a new sentence with more to say."""
    if "http" not in segment and "www." not in segment:
        return [segment]
    out: list[str] = []
    pos = 0
    for _, end, _ in urls_in(segment):
        m = _NEW_SENTENCE_RE.match(segment, end)
        if m and len(segment) - m.end() > 20 and not _closing_parenthetical(segment, m.end()):
            out.append(segment[pos:end])
            pos = m.end()
    out.append(segment[pos:])
    return out


_ACCESS_NOTE_RE = re.compile(
    r"(?:last\s+)?(?:accessed|retrieved|viewed|consulted|visited|archived|updated|modified|date\s+accessed)\b"
    r"|(?:\d{1,4}|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.IGNORECASE,
)


def _closing_parenthetical(segment: str, start: int) -> bool:
    """Whether ``segment[start:]`` is an access note or date in parentheses that ends the note:
    ``(accessed 5 March 2016).`` belongs to the URL before it, not to a new source."""
    if not segment.startswith("(", start) or not _ACCESS_NOTE_RE.match(segment, start + 1):
        return False
    close = segment.find(")", start)
    return close > 0 and not segment[close + 1 :].strip(" .;,")


def _has_lead_in_word(text: str) -> bool:
    """Whether ``text`` has a word that ``_LEAD_IN_SENTENCE_RE`` needs."""
    return "See" in text or "Cf." in text or "Compare" in text


def split_sources(text: str) -> list[str]:
    """The segments of one note's text that cite separate sources, in order.

    Always returns at least one segment for a non-blank note (a note of pure
    commentary is one segment, which then parses as unknown).
    """
    text = clean(text)
    if not text:
        return []
    if ";" not in text and "http" not in text and "www." not in text and not _has_lead_in_word(text):
        return [text]  # no semicolon, URL or lead-in to split at (the common case)
    pieces: list[str] = []
    pos = 0
    cuts = _semicolon_splits(text)
    for n, cut in enumerate(cuts):
        left = text[pos:cut]
        right = text[cut + 1 : cuts[n + 1] if n + 1 < len(cuts) else len(text)]
        if _worth_cutting(left, right):
            pieces.append(left)
            pos = cut + 1
    pieces.append(text[pos:])
    out: list[str] = []
    for piece in pieces:
        for part in _split_after_urls(piece):
            if _has_lead_in_word(part):
                out.extend(_LEAD_IN_SENTENCE_RE.split(part))
            else:
                out.append(part)
    segments = [s.strip(" ;") for s in out]
    segments = [s for s in segments if _ALNUM_RE.search(s)]
    return segments or [text]
