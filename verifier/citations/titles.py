"""Finding the title of a citation, and with it the author block before it.

The shapes, tried in this order:

- a quoted title, ``“Title,”`` / ``"Title",`` / ``‘Title’`` / ``« Titre »`` — the
  commonest in notes; the authors are the names just before it, after any
  commentary (``The ban … standards. Harbour Notes, “…”``);
- an author–date reference, ``Smith, J. (2004). Title.``;
- names ended by a colon, an editor mark or a bare year
  (``Reiser, Helmut: Title``, ``Ewing, David W. (ed.) Title``, ``Parker 2012 Title``);
- a sentence-style reference, ``Hearn, Lafcadio. Kwaidan. …``;
- a comma-style one, ``Feferman, S., Transfinite …, J. Symbolic Logic, 27, …``;
- none of these: a title-first work, or a container-first note (``Izvestia, 31 July, 1992``).

``find_title`` fills a ``Work`` and leaves the tail after the title in ``Work.rest``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from verifier.model import Person

from . import dates
from .kinds import is_news_outlet
from .locators import Rest, is_place, is_publisher, parse_rest
from .names import has_editor_marker, is_institution, leading_names, parse_names, strip_editor_marker
from .text import quoted_spans, sentence_end, single_quoted_spans, strip_punct, unquote
from .tokens import role_words_re


def _lead_ins() -> list[str]:
    """The lead-ins of ``data/lead-ins.txt``, longest first (so "see also" wins over "see")."""
    text = resources.files("verifier.citations").joinpath("data", "lead-ins.txt").read_text("utf-8")
    phrases = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return sorted(phrases, key=len, reverse=True)


LEAD_IN_RE = re.compile(
    r"^(?:(?:" + "|".join(r"\s*".join(map(re.escape, p.split())) for p in _lead_ins())
    + r")\s*,?\s+)+",
    re.IGNORECASE,
)
_SEE_TAIL_RE = re.compile(r"(?:^|[\s,;:])(?:see(?:\s+also)?|cf\.?)\s*,?\s*$", re.IGNORECASE)
# Vancouver author lists: "Doe J.", "Saad ED, Buyse M.", "Liu SM Zhong J Zhao XJ." — family names then
# initials without periods, the list closed by a period; taken only when a Vancouver date and volume
# ("2001;12(3):45-9", "2012; 30: 673") follow, since "Doe J. Title" could also read as an initial.
_VANCOUVER_NAME = (  # (atomic: a long run of capitalised words must not be split every possible way)
    r"(?>(?:(?:van|von|de|der|den|la|le|di|da|du|des|del|dos)\s)*+[A-ZÀ-Ý][a-zà-ÿ'’][\w'’\-]*+"
    r"(?:[\s\-][A-ZÀ-Ý][a-zà-ÿ'’][\w'’\-]*+)?\s[A-Z]{1,3}+(?!\w))"
)
_VANCOUVER_NAMES_RE = re.compile(
    rf"^(?P<names>{_VANCOUVER_NAME}(?:(?:,\s*+|\s++){_VANCOUVER_NAME}){{0,30}}+(?:,?\s+et\s+al)?)\.\s+(?=[^\W\d_])"
)
_VANCOUVER_GAP_RE = re.compile(r"(\b[A-Z]{1,3})\s+(?=[A-Z][a-z])")
_VANCOUVER_TAIL_RE = re.compile(r"(?<!\d)(?:1[6-9]|20)\d\d(?:\s+[A-Z][a-z]{2}(?:\s+\d{1,2})?)?\s*;\s*\d")
_APA_YEAR_RE = re.compile(
    r"[(\[]\s*(?:[A-Z][a-z]{2,8}\.?\s+)?"
    r"(?P<y>(?:1[5-9]\d\d|20\d\d)[a-z]?(?:\s*[/-]\s*\d{2,4})?(?:,\s*[^()]{3,25})?|[ns]\.\s?d\.?|in press|"
    r"forthcoming|under review|\d{4}\s*\[\d{4}\])\s*[)\]][.,:]?"
)
_NAMES_COLON_RE = re.compile(r"(?P<names>[^:“\"«()‘]{3,160}?)\s*:\s+(?=\S)")
_NAMES_ED_RE = re.compile(
    rf"(?P<names>[^()“\"«]{{3,160}}?)\s*\((?:{role_words_re('editor')})\.?\)[.,:]?\s+(?=[^\W\d_“\"«*])",
    re.IGNORECASE,
)
_NAMES_YEAR_RE = re.compile(
    r"(?P<names>[^()“\"«:]{3,160}?)[,.]?\s+(?P<y>(?:1[5-9]|20)\d\d[a-z]?)[.:,]?\s+(?=[^\W\d_“\"«*])"
)
_YEARISH_RE = re.compile(r"(?:1[5-9]|20)\d\d")
_YEAR_CHUNK_RE = re.compile(r"^[\s,.:]*\(?(?P<y>(?:1[5-9]\d\d|20\d\d)[a-z]?|n\.\s?d\.)\)?[.,:]?(?:\s+|$)")
_TRAILING_YEAR_RE = re.compile(r"[,.]?\s*\(?(?P<y>(?:1[5-9]\d\d|20\d\d)[a-z]?)\)?\.?$")
_REMARK_RE = re.compile(r"^[\s,]*\((?P<r>(?![^)]*\d{4})[^)]{4,120})\)")
_LOCATOR_START_RE = re.compile(r"(?:pp?\.|pages?\b|vol\.|\d)", re.IGNORECASE)
_CONJ_AFTER_RE = re.compile(r"\s*,?\s*(?:and|&|und)\s", re.IGNORECASE)
_QUOTE_LEAD_RE = re.compile(r"(?:^|\s)(?:in|In|see|See|also|cf\.|and|by|from|quoted|cited|entitled|titled)$")
_DOC_BY_RE = re.compile(
    r"^(?:statement|decree|declaration|speech|address|letter|order)\s+(?:of|by)\s+(?:the\s+)?(.+)$", re.IGNORECASE
)
_WORDY_RE = re.compile(r"[^\W\d_]{2,}")
_EDS_AFTER_RE = re.compile(r"^[\s,]*(?:\(?eds?\.?\)?|editors?)(?=[\s,.:])[.,:]?", re.IGNORECASE)
_FIRST_PIECE_RE = re.compile(r"[,(]")
_ACRONYM_RE = re.compile(r"[A-Z]{2,}(?:[-–/ ][A-Z]{2,})*")
_SPACE_THEN_TEXT_RE = re.compile(r"\s+\S")
_TITLE_END_RE = re.compile(r",\s+|\s+\(|\.\s+(?=[A-Z0-9(])|;\s+")
_LOWER_START_RE = re.compile(r"[a-z]")
_TAIL_WORD_RE = re.compile(r"(?:in|ed|eds|pp?|vol|no|trans|tr|rev|edited|translated|available|accessed|retrieved)\b")
# ", ed. W. M. Green", ", trans. Gerald M. Browne": an editor or translator after the title, in its sentence.
_ROLE_IN_TITLE_RE = re.compile(r",\s+(?:(?:eds?|trans|tr)\.\s+(?=[A-Z])|(?:edited|translated)\s+by\s+)")
_BRACKET_LOCATOR_RE = re.compile(r"\d|:|\b(?:eds?|trans|tr|vol)\.", re.IGNORECASE)
_LOCATOR_NEXT_RE = re.compile(r"[\s,.]*(?:vol|no\.|\d)", re.IGNORECASE)
_SPLIT_TITLE_RE = re.compile(r"\s*\*([^*]{3,120})\*\s*[\"”]")


@dataclass(slots=True)
class Work:
    """The state of one parse."""

    text: str
    authors: tuple[Person, ...] = ()
    editors: tuple[Person, ...] = ()
    title: str | None = None
    title_quoted: bool = False
    quote_punct: bool = False
    """The quoted title closes with punctuation (``“Title,”``, ``"Title",``), as citations do."""
    date: str | None = None
    head: str = ""
    interview: bool = False
    rest: str = ""


# The characters a lead-in can start with (LEAD_IN_RE ignores case, so "İ", "ı" and "ſ" count too).
_LEAD_IN_FIRST = frozenset(
    c
    for p in _lead_ins()
    for c in {p[0], p[0].upper(), *(("İ", "ı") if p[0] == "i" else ()), *(("ſ",) if p[0] == "s" else ())}
)


def strip_lead_in(text: str) -> str:
    """``text`` without the lead-in at its start ("see also", "cf.", "quoted in")."""
    if text[:1] not in _LEAD_IN_FIRST:
        return text  # the common case, decided without the pattern
    return strip_start(text, LEAD_IN_RE)


def strip_start(text: str, rx: re.Pattern[str]) -> str:
    """``text`` without what ``rx`` matches at its start (``match`` does not scan, unlike ``sub``)."""
    m = rx.match(text)
    return text[m.end() :] if m and m.end() else text


@lru_cache(maxsize=4096)
def namey(text: str) -> bool:
    """Whether ``text`` is entirely a list of names (or an institution)."""
    text = strip_punct(strip_editor_marker(text))
    if not text:
        return False
    end, _ = leading_names(text)
    if end >= len(text.rstrip(" .,")) - 1:
        return True
    # An institution: "Ministry of Foreign Affairs of the Russian Federation", "Human Rights Watch".
    return "," not in text and len(text) < 120 and is_institution(text)


def _set_authors(w: Work, block: str) -> None:
    block = strip_punct(block)
    if not block:
        return
    names = parse_names(block)
    if has_editor_marker(block):
        w.editors = names
    else:
        w.authors = names


def find_title(w: Work) -> None:
    """Locate the title and the author block; leaves the tail in ``w.rest``."""
    text = w.text
    span = None
    for s, e in quoted_spans(text):
        if _WORDY_RE.search(text, s + 1, e - 1) and _title_position(text, s):
            span = (s, e)
            break
    for s, e in single_quoted_spans(text):
        if e - s > 8 and " " in text[s:e]:
            if not span or (s < span[0] and e > span[1]):
                span = (s, e)  # ‘British style’, possibly with “double” quotes inside
            break
    if span:
        _quoted_title(w, span)
        return
    m_apa = _APA_YEAR_RE.search(text, 0, 400) if ("(" in text or "[" in text) else None
    if m_apa and m_apa.start() > 1 and namey(text[: m_apa.start()]):
        _set_authors(w, text[: m_apa.start()])
        w.date = dates.to_iso(m_apa.group("y"))
        w.head = text[: m_apa.start()]
        _sentence_title(w, text[m_apa.end() :])
        return
    if text.startswith("*"):
        _italic_title(w, text, 0)
        return
    if ";" in text and (m_van := _VANCOUVER_NAMES_RE.match(text)) and _VANCOUVER_TAIL_RE.search(text, m_van.end()):
        names = m_van.group("names")
        if " " in names and "," not in names and names.count(" ") > 1:
            names = _VANCOUVER_GAP_RE.sub(r"\1, ", names)  # "Liu SM Zhong J" → "Liu SM, Zhong J"
        _set_authors(w, names)
        w.head = m_van.group("names")
        _sentence_title(w, text[m_van.end() :])
        return
    head = text[:170]
    for rx, hint in ((_NAMES_COLON_RE, ":" in head), (_NAMES_ED_RE, "(" in head), (_NAMES_YEAR_RE, _has_year(head))):
        # "Reiser, Helmut, und Willmann, Marc: Title", "Ewing, David W. (ed.) Title",
        # "Foster, Catherine P., and Bradley J. Parker 2012 Title"
        m = rx.match(text) if hint else None
        if m and sentence_end(text, 0, m.end("names")) < 0 and namey(m.group("names")):
            _set_authors(w, m.group("names") + (" (eds.)" if rx is _NAMES_ED_RE else ""))
            if m.groupdict().get("y"):
                w.date = dates.to_iso(m.group("y"))
            w.head = m.group("names")
            _sentence_title(w, text[m.end() :])
            return
    end = sentence_end(text)
    region = text[:end] if end > 0 else text
    region_body = region.rstrip(". ")
    names_end, editors = leading_names(region_body)
    if names_end and names_end >= len(region_body.rstrip(" ,")) - 1 and end > 0:
        # "Hearn, Lafcadio. Kwaidan: … " — the whole first sentence is the author list.
        _set_authors(w, region_body)
        if editors:
            w.editors, w.authors = w.authors or w.editors, ()
        w.head = region_body
        _sentence_title(w, text[end:])
        return
    if names_end and _CONJ_AFTER_RE.match(text, names_end):
        names_end = 0  # "Tajikistan and Pakistan have established …": a list that broke off is no list
    if names_end and not _container_first(text[:names_end], text[names_end:]):
        block = text[:names_end]
        after = text[names_end:]
        m_ed = _EDS_AFTER_RE.match(after)
        if m_ed:
            editors = True
            after = after[m_ed.end() :]
        m_year = _TRAILING_YEAR_RE.search(block)
        if m_year:
            w.date = dates.to_iso(m_year.group("y"))
            block = block[: m_year.start()]
        names = parse_names(block)
        if editors:
            w.editors = names
        else:
            w.authors = names
        w.head = block
        _after_names(w, after)
        return
    # No author list: a title-first reference, or a container-first note ("Izvestia, 31 July, 1992").
    w.rest = text


_STRAIGHT_SINGLE_RE = re.compile(r"'[^'\s][^']{2,300}?'(?=[\s,.;:]|$)")


def title_after_repeated_author(w: Work) -> None:
    """The title of an entry whose author is a dash for the author before ("———. Title. Place: …"):
    the text opens with the title (after a year, if any), not with names."""
    text = w.text
    m_year = _YEAR_CHUNK_RE.match(text)
    if m_year:
        w.date = dates.to_iso(m_year.group("y"))
        text = text[m_year.end() :]
    if text[:1] == "‘":
        spans = single_quoted_spans(text)
    else:
        m_q = _STRAIGHT_SINGLE_RE.match(text) if text[:1] == "'" else None
        spans = [m_q.span()] if m_q else []
    if spans and spans[0][0] == 0 and " " in text[: spans[0][1]]:
        _quoted_title(w, spans[0], text=text)  # "--- (2005). 'Three factors in language design', …"
        if w.title and w.title[0] == "'" and w.title[-1] == "'":
            w.title = w.title[1:-1].strip() or None
        return
    _sentence_title(w, text)


def _has_year(text: str) -> bool:
    return bool(_YEARISH_RE.search(text))


def _container_first(block: str, after: str) -> bool:
    """Whether a name-like start is really a container: ``Izvestia, 31 July, 1992`` or ``TASS, Moscow, …``."""
    after = after.lstrip(" ,.;:")
    found = dates.find_dates(after[:40])
    if found and found[0].start == 0 and len(found[0].iso) > 4:
        return True
    first = _FIRST_PIECE_RE.split(after, maxsplit=1)[0]
    if is_place(first) or is_news_outlet(block):
        return True
    return bool(_ACRONYM_RE.fullmatch(block.strip()))


def _after_names(w: Work, after: str) -> None:
    """The title after an author list (a year may stand between them).

    A list that ended with a period and a space ("Moggi, E. Computational …")
    is followed by a sentence-style title; one that ended with a comma by a
    comma-style title.
    """
    before = w.text[: len(w.text) - len(after)]
    sentence_style = bool(_SPACE_THEN_TEXT_RE.match(after)) and before.rstrip().endswith(".")
    m_year = _YEAR_CHUNK_RE.match(after.lstrip(" ,.;:"))
    if m_year:
        w.date = w.date or dates.to_iso(m_year.group("y"))
        after = after.lstrip(" ,.;:")[m_year.end() :]
    after = after.lstrip(" ,.;:")
    if after.startswith("*"):
        _italic_title(w, after, 0)
        return
    if after[:1] in "“\"«„":
        spans = quoted_spans(after)
        if spans and spans[0][0] == 0:
            _quoted_title(w, spans[0], text=after)
            return

    if sentence_style or (m_year and sentence_end(after) > 0):
        _sentence_title(w, after)
        return
    if _LOCATOR_START_RE.match(after):
        w.rest = after  # "Akbarzadeh, p. 12": a short form without a title
        return
    title, rest = _comma_title(after)
    w.title = title
    w.rest = rest


def _comma_title(text: str) -> tuple[str | None, str]:
    """A title that runs to the first comma, bracket or sentence end (continuing over lower-case pieces)."""
    pos = 0
    end = len(text)
    while True:
        m = _TITLE_END_RE.search(text, pos)
        if not m:
            end = len(text)
            break
        nxt = text[m.end() : m.end() + 12]
        if m.group(0).startswith(",") and _LOWER_START_RE.match(nxt) and not _TAIL_WORD_RE.match(nxt):
            pos = m.end()
            continue
        if m.group(0).startswith(",") and ": " in text[: m.start()] and (k := _subtitle_list_end(text, m.end())):
            pos = k  # "Unsettling Opera: Staging Mozart, Verdi, Wagner, and Zemlinsky (…"
            continue
        if m.group(0).endswith("("):
            close = text.find(")", m.end())
            inner = text[m.end() : close] if close > 0 else ""
            if inner and not _BRACKET_LOCATOR_RE.search(inner) and len(inner) < 60:
                pos = close  # "(abstract)", "(Grenville Province)": part of the title, not "(Place: Pub, 1998)"
                continue
        end = m.start()
        break
    title = unquote(strip_punct(text[:end]))
    return (title or None), text[end:]


_TITLE_YEAR_RE = re.compile(r",\s*(?P<y>(?:1[5-9]|20)\d\d)[a-z]?\.$")
_LIST_ITEM_RE = re.compile(r"[^,(;.:\d]{1,60}?(?=,\s|\s*\(|\.\s|\.?$|;)")
_LIST_AND_RE = re.compile(r"(?:^|\s)(?:and|&|und|et|y)\s")
_FIRM_NAME_RE = re.compile(r"\b(?:Farrar|Straus|Giroux|Rinehart|Winston|Brace|Jovanovich|Sons|Co)\b")


def _subtitle_list_end(text: str, pos: int) -> int:
    """Where a list of short items that starts at ``pos`` (after a subtitle's comma) closes with "and …"
    ("Staging Mozart, Verdi, Wagner, and Zemlinsky"): the offset after its last item, or 0 when the
    items are no such list (places, publishers, numbers, long phrases)."""
    k = pos
    for n in range(5):
        m_item = _LIST_ITEM_RE.match(text, k)
        if m_item is None:
            return 0
        item = m_item.group(0).strip()
        if (not item or len(item.split()) > 6 or not (item[0].isupper() or _LIST_AND_RE.match(item))
                or is_place(item) or is_publisher(item) or _FIRM_NAME_RE.search(item)):
            return 0
        if _LIST_AND_RE.search(item):
            # (one item alone is "X and Y": "Cohesion and Belonging", not a series "Theoretical and Computational …")
            return m_item.end() if n or len(item.split()) <= 3 else 0
        k = m_item.end()
        if text[k : k + 2] != ", ":
            return 0
        k += 2
    return 0


def _sentence_title(w: Work, text: str) -> None:
    """The title as the next sentence of ``text``; the rest goes to ``w.rest``."""
    body = text.lstrip(" ,.;:")
    if body.startswith("*"):
        _italic_title(w, body, 0)
        return
    spans = quoted_spans(body)
    if spans and spans[0][0] == 0:
        _quoted_title(w, spans[0], text=body)
        return
    m_year = _YEAR_CHUNK_RE.match(body)
    if m_year and not w.date:
        w.date = dates.to_iso(m_year.group("y"))
        body = body[m_year.end() :]
    end = sentence_end(body)
    # "Title? Journal" / "Title. In Proceedings" — a sentence end; else the whole remainder.
    if end < 0:
        title, rest = _comma_title(body)
        w.title, w.rest = title, rest
        return
    m_role = _ROLE_IN_TITLE_RE.search(body, 0, end + 2) if ", " in body[:end] else None
    if m_role and 3 < m_role.start() < end:
        end = m_role.start()  # "Contra academicos, De beata vita, ed. W. M. Green. CCSL 29."
    title = body[:end]
    m_year = _TITLE_YEAR_RE.search(title) if not w.date and title[-2:-1].isdigit() else None
    if m_year and m_year.start() > 10:
        # "Some optimization reformulations of … problems, 1997. Computational Optimization …": the year is the
        # date (when none came before it: "Mental health: A report focusing on depression, 1998" keeps its own)
        w.date = dates.to_iso(m_year.group("y"))
        title = title[: m_year.start()]
    w.title = unquote(title) or None
    w.rest = body[end:]


def _italic_title(w: Work, text: str, start: int) -> None:
    end = text.find("*", start + 1)
    if end < 0:
        w.rest = text
        return
    inner = unquote(text[start + 1 : end])
    after = text[end + 1 :]
    if is_news_outlet(inner) or _LOCATOR_NEXT_RE.match(after):
        w.rest = text  # an italic container ("*The Harbour Gazette*, 26 May 1993")
        return
    w.title = inner or None
    w.rest = after


def _title_position(text: str, start: int) -> bool:
    """Whether a quote opening at ``start`` can open a title: at the start, or after punctuation,
    a year or a lead-in ("in", "see") — not inside a phrase (``Hitler’s “Green Party”``)."""
    before = text[max(0, start - 12) : start].rstrip()
    if not before or before[-1] in ",.:;([*—–-)]" or before[-1].isdigit():
        return True
    if _QUOTE_LEAD_RE.search(before):
        return True
    return start < 200 and namey(text[:start])  # "P. Yang and J. H. Chern “Design for Reliability …”"


def _quoted_title(w: Work, span: tuple[int, int], text: str | None = None) -> None:
    """A quoted title at ``span`` of ``text`` (default ``w.text``); the author block is before it."""
    text = w.text if text is None else text
    s, e = span
    title = unquote(text[s:e])
    after = text[e:]
    # "Central Asian Republics" *Quest for Security since Independence*", — a title split by bad quoting
    m_split = _SPLIT_TITLE_RE.match(after)
    if m_split:
        title = f"{title} {m_split.group(1).strip()}"
        after = after[m_split.end() :]
    m_remark = _REMARK_RE.match(after)
    if m_remark:
        # “Title,” (Interview of Ambassador …), Kommersant, … — a remark, not a container.
        w.interview = w.interview or bool(re.match(r"\s*interview", m_remark.group(1), re.IGNORECASE))
        after = after[m_remark.end() :]
    w.title = title or None
    w.title_quoted = True
    w.quote_punct = text[e - 2 : e - 1] in (",", ".", "?", "!") or text[e : e + 1] in (",", ".", ":", ";")
    w.rest = after
    if text is not w.text:
        return
    _author_block(w, text, s)


def _author_block(w: Work, text: str, s: int) -> None:
    """The authors before a quoted title at ``s``.

    Commentary may come first ("The ban … standards. Harbour Notes, “…”"), and an
    author block may itself hold sentence ends ("Johnson, Kirk. “…”",
    "Lowry, M. (1983). "…""): the earliest sentence start after which the text
    reads as names wins; failing that, the last sentence is the head.
    """
    if s == 0:
        w.head = ""
        return
    starts = [0]
    while (nxt := sentence_end(text, starts[-1], s)) > 0:
        starts.append(nxt)
    # An author block is short: only sentence starts near the title are candidates.
    for st in [x for x in starts if s - x < 300]:
        block, date = _clean_head(text[st:s])
        if block and namey(block) and not _DOC_BY_RE.match(block):
            _set_authors(w, block)
            w.head = block
            w.date = w.date or date
            return
    block, date = _clean_head(text[starts[-1] : s])
    w.head = block
    if not block:
        return
    m_doc = _DOC_BY_RE.match(block)
    if m_doc:
        w.authors = (Person(literal=strip_punct(m_doc.group(1))),)
        return
    end, editors = leading_names(block)
    if end:
        w.date = w.date or date
        names = parse_names(block[:end])
        if editors:
            w.editors = names
        else:
            w.authors = names


def _clean_head(pre: str) -> tuple[str, str | None]:
    """The text before a title without lead-ins and years: ``(block, date)``."""
    pre = pre.strip()
    if pre[-3:].lower() in ("see", "lso", "cf.", " cf") and _SEE_TAIL_RE.search(pre):
        return "", None
    pre = strip_lead_in(pre)
    date = None
    m_apa = _APA_YEAR_RE.search(pre) if ("(" in pre or "[" in pre) else None
    if m_apa:
        date = dates.to_iso(m_apa.group("y"))
        pre = pre[: m_apa.start()]
    block = strip_punct(pre)
    m_year = _trailing_year(block)
    if m_year and m_year.start() > 0:
        date = date or dates.to_iso(m_year.group("y"))
        block = strip_punct(block[: m_year.start()])
    return block, date


def _trailing_year(text: str) -> re.Match[str] | None:
    """``_TRAILING_YEAR_RE`` in ``text``: the pattern runs only when ``text`` ends like a year
    (``2004``, ``2004b``, ``(2004).``: a digit among the last four characters)."""
    if (text[-1:].isdigit() or text[-1:] in ").abcdefgh") and any(map(str.isdecimal, text[-4:])):
        return _TRAILING_YEAR_RE.search(text)
    return None


def title_first(w: Work, rest: Rest) -> Rest:
    """No author and no container found: try "Title. Tail" (reference books, reports, anonymous works)."""
    text = w.text
    end = sentence_end(text)
    if end > 0:
        cand = parse_rest(text[end:], allow_container=True)
        if cand.date or cand.publisher or cand.place or cand.container:
            w.title = unquote(text[:end]) or None
            return cand
    return rest
