"""Small text helpers shared by the citation parsers: cleaning, quoted spans, sentence ends.

A citation's punctuation carries its structure, so these helpers are careful
about the marks that do *not* end anything: the period of an initial (``J.``)
or an abbreviation (``vol.``, ``eds.``, ``U.S.``), and the apostrophe that
looks like a closing single quote (``Kul’turnaia``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .urls import find_urls

_INVISIBLE = ("\u00ad", "\u200c", "\u200d", "\ufeff")  # soft hyphen, zero-width (non-)joiner, BOM

# Opening quote -> the closing quotes that may end it.
QUOTE_PAIRS: dict[str, str] = {"“": "”“\"", '"': '"”', "«": "»", "„": "“”\"", "‹": "›", "”": "”"}
OPEN_QUOTES = "".join(QUOTE_PAIRS)
ALL_QUOTES = "“”\"«»„‹›"

# Words whose trailing period does not end a sentence (compared lower-case, without the dot).
ABBREVIATIONS = frozenset(
    """
    jr sr st dr mr mrs ms prof gen col lt capt sgt rev hon esp approx ca cf al etc vs viz
    vol vols no nos nr pp p ed eds edn trans transl comp repr suppl ser pt ch chap sec art para fig figs rep rpt
    n nn op cit ibid id loc ibidem mohd md muhd wm chas geo jas jos th ph inc ltd co corp bros dept univ
    jan feb mar apr jun jul aug sep sept oct nov dec
    """.split()
)

_LOWER_PARTICLES = frozenset({"de", "da", "do", "du", "van", "von", "der", "den", "la", "le", "des", "dos", "das"})
_INITIAL_CHAIN_RE = re.compile(r"(?:[^\W\d_]{1,2}\.-?)+[^\W\d_]{0,2}$")


def clean(text: str) -> str:
    """Fold all whitespace to single spaces and drop invisible characters (soft hyphens...)."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # already clean (isprintable: no whitespace but spaces, no invisible characters)
    if not text.isascii():
        for ch in _INVISIBLE:
            if ch in text:
                text = text.replace(ch, "")
        if "\u200b" in text:
            text = text.replace("\u200b", " ")
    return " ".join(text.split())


@lru_cache(maxsize=1024)
def urls_in(text: str) -> tuple[tuple[int, int, str], ...]:
    """``urls.find_urls(text)``, cached: the splitter and then the parser read the same note."""
    return tuple(find_urls(text))


def strip_punct(text: str, chars: str = " ,;:.") -> str:
    """Strip separators from both ends, keeping a final period that closes an initial or abbreviation."""
    text = text.strip()
    if not text or (text[0] not in chars and text[-1] not in chars):
        return text
    text = text.lstrip(chars)
    while text.endswith(".."):
        text = text[:-1]
    while text and text[-1] in chars:
        if text[-1] == "." and ends_with_abbreviation(text):
            break
        text = text[:-1].rstrip()
    return text


def ends_with_abbreviation(text: str) -> bool:
    """Whether the period ending ``text`` belongs to an initial or an abbreviation (``J.``, ``eds.``)."""
    if not text.endswith("."):
        return False
    words = text[:-1].rsplit(None, 1)
    return bool(words) and _abbreviated_word(words[-1].lstrip("(*\"“"))


@lru_cache(maxsize=4096)
def _abbreviated_word(word: str) -> bool:
    """Whether ``word`` (the word before a period) is an initial or an abbreviation."""
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        return True
    if word in _LOWER_PARTICLES:
        return False  # "Andrade, Mário de. Macunaíma.": a name particle, then a sentence end
    if word.lower() in ABBREVIATIONS:
        return True
    return bool(_INITIAL_CHAIN_RE.match(word))


def sentence_end(text: str, start: int = 0, stop: int | None = None) -> int:
    """Offset of the first sentence end at or after ``start``: the index just after ``.``, ``?`` or ``!``.

    A sentence ends where one of those marks is followed by a space and then a
    capital, a digit, a quote or an opening bracket — unless the period closes
    an initial or an abbreviation. Returns -1 when there is none.
    """
    end = len(text) if stop is None else stop
    i = start
    while True:
        m = _MARK_RE.search(text, i, end)
        if m is None:
            return -1
        i = m.start()
        nxt = text[i + 1 : i + 3]
        if len(nxt) == 2 and nxt[0] == " " and (nxt[1].isupper() or nxt[1].isdigit() or nxt[1] in "“\"«(*[<‘'"):
            if text[i] != "." or not ends_with_abbreviation(text[max(0, i - 24) : i + 1]):
                return i + 1
        i += 1


_MARK_RE = re.compile(r"[.?!]")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each double-quoted span, quotes included, left to right.

    Curly, straight and guillemet quotes pair with their own closers (a curly
    opener also accepts a straight or mis-turned closer); an unclosed quote
    yields nothing. Single quotes are ignored: they double as apostrophes.

    Linear in the length of ``text``: guillemets are paired in one pass, and a
    closer set that was not found after one opener is not searched for again
    after a later one (a note of thousands of unclosed quotes must not take
    seconds).
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    guillemets: dict[int, int] | None = None
    missing: set[str] = set()  # openers whose closers do not occur after the current position
    while True:
        m = _OPENER_RE.search(text, pos)
        if not m:
            return spans
        i = m.start()
        opener = text[i]
        if opener == "«":
            if guillemets is None:
                guillemets = _guillemet_ends(text)
            end = guillemets.get(i, -1)
            if end < 0:
                pos = i + 1
                continue
            spans.append((i, end))
            pos = end
            continue
        if opener in missing:
            pos = i + 1
            continue
        close = _CLOSER_RES[opener].search(text, i + 2)
        if close is None:
            missing.add(opener)
            pos = i + 1
            continue
        spans.append((i, close.end()))
        pos = close.end()


def _guillemet_ends(text: str) -> dict[int, int]:
    """For each « in ``text`` that is closed, the end of its «…» span (nested guillemets counted).

    One pass with a stack, so pairing every opener costs as much as pairing one.
    """
    ends: dict[int, int] = {}
    stack: list[int] = []
    for m in _GUILLEMET_RE.finditer(text):
        if m.group(0) == "«":
            stack.append(m.start())
        elif stack:
            ends[stack.pop()] = m.end()
    return ends


_GUILLEMET_RE = re.compile(r"[«»]")


_OPENER_RE = re.compile(r"[“\"«„‹]")
_CLOSER_RES = {k: re.compile("[" + re.escape(v) + "]") for k, v in QUOTE_PAIRS.items()}


_SINGLE_OPEN_RE = re.compile(r"(?:(?<=\s)|(?<=^)|(?<=[(\[]))‘(?=\w)")
_SINGLE_CLOSE_RE = re.compile(r"(?<=\S)’(?![^\W\d_])")


def single_quoted_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each ‘single-quoted’ span (British style titles), quotes included.

    An opening ‘ must start a word and a closing ’ must not be followed by a
    letter, so the apostrophes of ``Hitler’s`` and ``Kul’turnaia`` are skipped.
    """
    if "‘" not in text:
        return []
    spans: list[tuple[int, int]] = []
    pos = 0
    while (m := _SINGLE_OPEN_RE.search(text, pos)) is not None:
        close = _SINGLE_CLOSE_RE.search(text, m.end() + 1)
        if close is None:
            break
        spans.append((m.start(), close.end()))
        pos = close.end()
    return spans


def unquote(text: str) -> str:
    """``text`` without its wrapping quotes/emphasis and without the comma or period inside them.

    ``“Title,”`` gives ``Title``; ``‘Title’`` gives ``Title``; ``"What Now?"``
    keeps its question mark; an inner ``‘Proper’ versus …`` keeps its quotes.
    """
    t = text.strip()
    for _ in range(3):
        before = t
        t = t.strip(" *_")
        if t[:1] == "‘" and t[-1:] == "’" and t.count("‘") == 1:
            t = t[1:-1]
        if t[:1] in ALL_QUOTES:
            t = t[1:]
        if t[-1:] in ALL_QUOTES:
            t = t[:-1]
        t = t.strip().rstrip(",;:")
        if t.endswith(("’", "'")) and t.count("‘") == 0 and t[:1] not in "‘'" and not t[-2:-1].isalpha():
            t = t[:-1]  # "Title,’" left over from a single-quoted title
        if t.endswith(".") and not ends_with_abbreviation(t):
            t = t[:-1]
        t = t.strip()
        if t == before or not (t[:1] in _UNQUOTE_START or t[-1:] in _UNQUOTE_END):
            break  # (nothing left that another round would take off)
    return t


# What ``unquote`` may take off either end.
_UNQUOTE_START = "*_‘" + ALL_QUOTES
_UNQUOTE_END = "*_,;:’'." + ALL_QUOTES


def normalise_for_compare(text: str) -> str:
    """Lower-case letters and digits only, single-spaced: for comparing titles and names."""
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))
