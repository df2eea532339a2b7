"""Dates in citations: finding them, normalising them to ISO 8601, naming their style.

Citations write dates every way there is: ``March 5, 2015``, ``30 July, 1992``,
``Dec. 1995``, ``Sept/Oct. 1997``, ``Fall 1995``, ``1999 (August)``,
``(2011, March 5)``, ``2015-03-05``. ``find_dates`` returns every date
expression in a text with its ISO form, as precise as written (``1995``,
``1995-12``, ``2015-03-05``); a season or a two-month span keeps only what is
certain (``Fall 1995`` is ``1995``, ``Sept/Oct. 1997`` is ``1997-09``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .tokens import month_numbers

# Month names and abbreviations in the languages the reference data mixes (one list, data/months.txt,
# shared with the labeller's month flag).
MONTHS: dict[str, int] = month_numbers()
_SEASONS = ("spring", "summer", "fall", "autumn", "winter")

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
# A month word: a name or abbreviation, an optional dot, not followed by more letters.
_MON = rf"(?:{_MONTH_ALT})(?![^\W\d_])\.?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"

# Starts with a digit so the scan is fast; the character before is checked in code.
_YEAR_RE = re.compile(r"(?:1[5-9]|20)\d\d(?!\d)")
_ISO_TAIL_RE = re.compile(r"-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?(?![\d-])")
_APA_TAIL_RE = re.compile(rf",\s*({_MON})(?:\s+({_DAY}))?(?!\d)", re.IGNORECASE)  # 2011, March 5
_PAREN_MONTH_TAIL_RE = re.compile(rf"\s*\(({_MON})\)", re.IGNORECASE)  # 1999 (August)
_NLM_TAIL_RE = re.compile(rf" ({_MON})\.?(?: ({_DAY}))?(?![\w-])", re.IGNORECASE)  # 2011 Mar 5 (NLM, Vancouver)
_SUFFIX_RE = re.compile(r"[a-z](?![\w])")  # 2004b
# Tokens before a year: words (with a trailing period), day numbers, span marks.
_HEAD_TOKEN_RE = re.compile(r"[^\W\d_]+\.?|(?<!\d)(?<!\d\.)\d{1,2}(?:st|nd|rd|th)?(?!\d)|[/&–-]")
_DAY_GAP_RE = re.compile(r"\.?\s*")
_JOIN_RE = re.compile(r"[\s,.]*|\s*[/&–-]\s*")
_DAY_RE = re.compile(r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?")
_SPAN_TOKENS = frozenset({"/", "-", "–", "&", "and", "to"})
_MONTH_OR_SEASON = frozenset(MONTHS) | frozenset(_SEASONS)
_NUMERIC_RE = re.compile(rf"(?<![\w/.-]){_YEAR}-(?:0[1-9]|1[0-2])(?:-\d\d)?(?![\d-])")
_DE_HEAD_RE = re.compile(rf"(?<![\w.])(?:({_DAY})(?:\.?º|\.?°)?\s+de\s+)?({_MON})\s+del?\s+$", re.IGNORECASE)
_DOTTED_HEAD_RE = re.compile(r"(?<![\w.])(0?[1-9]|[12]\d|3[01])\.\s?(0?[1-9]|1[0-2])\.\s?$")  # "10.11." before a year
_RANGE_TAIL_RE = re.compile(r"\s?[-–—]\s?\d")
_YEAR_TAIL_RE = re.compile(r"\s?[-–—]\s?\d{4}(?!\d)")
_ABBREV_WORD_RE = re.compile(r"\b(jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b\.?", re.IGNORECASE)


class DateMatch(NamedTuple):
    """One date expression: where it stands in the text and its ISO form."""

    start: int
    end: int
    iso: str
    month_word: str | None = None
    """The month as written (``Dec.``, ``December``), for style checks."""


def _month(word: str) -> int:
    return MONTHS[word.rstrip(".").lower()]


def _iso(year: str, month: int | None = None, day: str | None = None) -> str:
    if month is None:
        return year
    if day is None:
        return f"{year}-{month:02d}"
    d = int(day.rstrip("stndrh"))  # "5", "05", "5th", "21st"
    return f"{year}-{month:02d}-{d:02d}"


def find_dates(text: str) -> list[DateMatch]:
    """Every date expression in ``text``, left to right, each as precise as written.

    A year on its own counts (``1995``, ``2004b``); a bare number outside
    1500–2099 never does. Page ranges such as ``1761-80`` are not dates, and a
    range of years (``1992–1997``) stands for its first year.

    Every expression contains a four-digit year, so the search anchors on the
    years and reads the month and day around each one.
    """
    out: list[DateMatch] = []
    if "1" not in text and "2" not in text:
        return out  # every year starts with one of them
    for m in _YEAR_RE.finditer(text):
        ys, ye = m.start(), m.end()
        if ys >= 4 and text[ys - 1] in ". " and (dmy := _DOTTED_HEAD_RE.search(text, max(0, ys - 8), ys)):
            # "10.11.2015", "1. 3. 1999": day, month, year, as German, Italian, Portuguese and the rest write
            # numeric dates (never month first); a month over 12 is no date
            more = text[ye : ye + 2]  # "3.5.2001-2", "1.2.2015.4": a number that goes on is no date
            if not (len(more) == 2 and more[0] in ".-/" and more[1].isdigit()):
                out.append(DateMatch(dmy.start(), ye, _iso(m.group(0), int(dmy.group(2)), dmy.group(1))))
            if text[ys - 1] == ".":
                continue
        if ys and (text[ys - 1].isalnum() or text[ys - 1] in "_/.-"):
            continue
        year = m.group(0)
        if ys >= 2 and text[ys - 1] in "-–—" and text[ys - 2].isdigit():
            continue  # the end of a range: "1761-1800", "1992–1997"
        if out and ys < out[-1].end:
            continue
        nxt = text[ye : ye + 1]  # (each pattern below needs its own first character here)
        if nxt == "-" and (tail := _ISO_TAIL_RE.match(text, ye)):
            out.append(DateMatch(ys, tail.end(), _iso(year, int(tail.group(1)), tail.group(2))))
            continue
        if ys >= 4 and text[ys - 1] == " " and text[ys - 3 : ys - 1].lower() in ("de", "el") and (
            de := _DE_HEAD_RE.search(text, max(0, ys - 40), ys)
        ):  # "10 de noviembre de 2015", "marzo de 1947", "1.º de maio de 2010": Spanish and Portuguese
            out.append(DateMatch(de.start(), ye, _iso(year, _month(de.group(2)), de.group(1)), de.group(2)))
            continue
        if found := _month_before(text, ys, ye, year):
            out.append(found)
            continue
        if nxt == "," and (tail := _APA_TAIL_RE.match(text, ye)):
            out.append(DateMatch(ys, tail.end(), _iso(year, _month(tail.group(1)), tail.group(2)), tail.group(1)))
            continue
        if nxt == " " and (tail := _NLM_TAIL_RE.match(text, ye)):
            out.append(DateMatch(ys, tail.end(), _iso(year, _month(tail.group(1)), tail.group(2)), tail.group(1)))
            continue
        if (nxt == "(" or nxt.isspace()) and (tail := _PAREN_MONTH_TAIL_RE.match(text, ye)):
            out.append(DateMatch(ys, tail.end(), _iso(year, _month(tail.group(1))), tail.group(1)))
            continue
        if nxt in ("-", "–", "—") or nxt.isspace():
            after = text[ye : ye + 7]
            if _RANGE_TAIL_RE.match(after) and not _YEAR_TAIL_RE.match(after):
                continue  # "1761-80", "1998-99": a page range, not a year
        end = ye + 1 if "a" <= nxt <= "z" and _SUFFIX_RE.match(text, ye) else ye
        out.append(DateMatch(ys, end, year))
    return out


def _month_before(text: str, ys: int, ye: int, year: str) -> DateMatch | None:
    """The date whose month (and day) stand before the year at ``ys``: ``March 5, 2015``, ``Fall 1995``.

    Reads the few tokens before the year from right to left — ``[day] month [/ month] [day]`` —
    which is much cheaper than searching the text with a pattern anchored at its end. Tokens
    must touch (only spaces, commas and periods between them).
    """
    w0 = max(0, ys - 32)
    quick = _month_before_quick(text, ys, ye, year, w0)
    if quick is not _READ_TOKENS:
        return quick
    head = text[w0:ys]
    toks: list[tuple[int, str]] = []
    end = len(head)
    for m in reversed(list(_HEAD_TOKEN_RE.finditer(head))):
        if not _JOIN_RE.fullmatch(head, m.end(), end) or len(toks) == 5:
            break
        toks.append((m.start(), m.group(0)))
        end = m.start()
    if not toks:
        return None
    i = 0  # toks runs right to left
    day = None
    if _DAY_RE.fullmatch(toks[0][1]):
        day = toks[0][1]
        i = 1
        if i + 1 < len(toks) and toks[i][1] in "-–" and _DAY_RE.fullmatch(toks[i + 1][1]):
            day, i = toks[i + 1][1], i + 2  # "April 9-10, 2001"
        if i >= len(toks) or not _is_month(toks[i][1]):
            return None
    low = toks[i][1].rstrip(".").lower()
    if low in _SEASONS and day is None:
        return DateMatch(w0 + toks[i][0], ye, year)
    if low not in MONTHS:
        return None
    month_tok = toks[i][1]
    if i + 2 < len(toks) and toks[i + 1][1].lower() in _SPAN_TOKENS and _is_month(toks[i + 2][1]):
        month_tok = toks[i + 2][1]  # "Sept/Oct. 1997": the first month of a span
        i += 2
    if (day is None and i + 1 < len(toks) and _DAY_RE.fullmatch(toks[i + 1][1])
            and _DAY_GAP_RE.fullmatch(head, toks[i + 1][0] + len(toks[i + 1][1]), toks[i][0])):
        day, i = toks[i + 1][1], i + 1  # "30 July, 1992" (but not "107-12, May 1990")
        if i + 2 < len(toks) and toks[i + 1][1] in "-–" and _DAY_RE.fullmatch(toks[i + 2][1]):
            day, i = toks[i + 2][1], i + 2  # "30-31 July 1992"
    return DateMatch(w0 + toks[i][0], ye, _iso(year, _month(month_tok), day), month_tok)


_READ_TOKENS = DateMatch(-1, -1, "")
"""``_month_before_quick``'s answer when only reading the tokens can tell."""


def _month_before_quick(text: str, ys: int, ye: int, year: str, w0: int) -> DateMatch | None:
    """``_month_before`` for the common shapes, looking only at the characters next to the year.

    No month (``(2011)``, ``Press, 1987``) gives None; a month or season, with a day
    or not, after anything but a day or a span word (``(June 2018)``, ``Fall 1995``,
    ``ASIA-Plus, October 13, 1998``) gives the date; the rest (``30 July``,
    ``Sept/Oct.``, ``9-10 May``) ``_READ_TOKENS``.
    """
    k = _skip_separators(text, ys, w0)
    if not _may_end_token(text, k, w0):
        return None
    day = None
    if text[k - 1].isdecimal():
        d = k - 1
        while d > w0 and text[d - 1].isdecimal():
            d -= 1
        if k - d > 2 or (d - 1 > w0 and text[d - 1] == "." and text[d - 2].isdecimal()):
            return _READ_TOKENS  # no day token here ("107", "1.12"): let the tokens tell
        day = text[d:k]
        if not (day.isascii() and 1 <= int(day) <= 31):  # (what _DAY_RE takes of one or two digits)
            return None
        k = _skip_separators(text, d, w0)
        if not _may_end_token(text, k, w0):
            return None
    j = _word_start(text, k, w0)
    if j < 0:
        return _READ_TOKENS
    word = text[j:k].lower()
    if word not in (_MONTH_OR_SEASON if day is None else MONTHS):
        return None
    if word in _SEASONS:
        return DateMatch(j, ye, year)
    # Before the month, a day ("30 July") or a span ("Sept/Oct.", "July to August") would count;
    # another word does not.
    p = _skip_separators(text, j, w0)
    if _may_end_token(text, p, w0):
        q = _word_start(text, p, w0)
        if q < 0 or text[q:p].lower() in ("and", "to"):
            return _READ_TOKENS
    month_tok = text[j : k + 1] if text[k : k + 1] == "." else text[j:k]
    return DateMatch(j, ye, _iso(year, MONTHS[word], day), month_tok)


def _word_start(text: str, end: int, floor: int) -> int:
    """Where the word ending at ``end`` starts (not before ``floor``); -1 when ``text[end - 1]``
    is no letter, or when the letters follow a digit (they may be a day's "th") or some other
    character that the date tokens count as a letter ("½")."""
    if not text[end - 1].isalpha():
        return -1
    j = end - 1
    while j > floor and text[j - 1].isalpha():
        j -= 1
    if j > floor and text[j - 1].isalnum():
        return -1
    return j


def _skip_separators(text: str, end: int, floor: int) -> int:
    """The offset before the spaces, commas and periods that end ``text[floor:end]``."""
    while end > floor and (text[end - 1] in " ,." or text[end - 1].isspace()):
        end -= 1
    return end


def _may_end_token(text: str, end: int, floor: int) -> bool:
    """Whether a token of a date (a word, a day, a span mark) may end at ``end`` (after ``floor``)."""
    return end > floor and (text[end - 1].isalnum() or text[end - 1] in "/&–-")


def _is_month(word: str) -> bool:
    return word.rstrip(".").lower() in MONTHS


def to_iso(text: str) -> str | None:
    """The first date in ``text`` as ISO 8601 (``1995``, ``1995-12``, ``2015-03-05``), or None.

    >>> to_iso("Sept/Oct. 1997"), to_iso("30 July, 1992"), to_iso("Fall 1995")
    ('1997-09', '1992-07-30', '1995')
    """
    found = find_dates(text)
    return found[0].iso if found else None


def month_style(raw: str) -> str | None:
    """How ``raw`` writes months: ``"abbrev"`` (Dec.), ``"full"`` (December), ``"numeric"`` (2015-03-05).

    None when no month is written. Used by I007 to spot ``Dec. 1995`` next to
    ``December 1995`` in one document. "May" is a full name.
    """
    for d in find_dates(raw):
        if d.month_word:
            if _ABBREV_WORD_RE.fullmatch(d.month_word):
                return "abbrev"
            return "full"
    if _NUMERIC_RE.search(raw):
        return "numeric"
    return None
