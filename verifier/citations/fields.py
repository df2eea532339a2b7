"""Parsing one citation segment into its kind and fields.

``parse`` works from the outside in:

1. "Ibid." notes are recognised whole; lead-ins ("see also", "cf."), list
   numbers and "X quoted in …" wrappers are set aside.
2. Identifiers are lifted out: the first URL, DOI, ISBN and access date.
3. The title is found, and with it the author block before it:
   a quoted title (``“Title,”``) — the commonest in notes; an author–date
   reference (``Smith, J. (2004). Title.``); a sentence-style reference
   (``Hearn, Lafcadio. Kwaidan. …``); or a comma-style one
   (``Feferman, S., Transfinite …, J. Symbolic Logic, 27, …``).
4. The tail after the title goes to ``locators.parse_rest``.
5. ``kinds.classify`` names the kind; ``parsed`` is False when nothing
   bibliographic was found (commentary, P001).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from verifier.model import Fields, Kind, Person

from . import dates, identifiers
from .ibid import ibid_pages, is_ibid
from .kinds import Hints, classify, is_news_outlet
from .locators import Rest, abbreviated_name, is_place, parse_rest
from .names import has_editor_marker, is_institution, leading_names, parse_names, strip_editor_marker
from .text import clean, quoted_spans, sentence_end, single_quoted_spans, strip_punct, unquote
from .urls import find_urls

_MAX_LEN = 4000
_NUMBERING_RE = re.compile(r"^\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}\.(?=\s)|[-•*–]\s|[-—–_]{2,}\.?,?)\s*")
_LEAD_IN_RE = re.compile(
    r"^(?:(?:see|cf\.?|compare|also|e\.\s?g\.|for example|for instance|as in|quoted in|cited in|"
    r"as cited in|reprinted in|in)\s*,?\s+)+(?:also\s+)?",
    re.IGNORECASE,
)
_SEE_TAIL_RE = re.compile(r"(?:^|[\s,;:])(?:see(?:\s+also)?|cf\.?)\s*,?\s*$", re.IGNORECASE)
_WRAPPER_RE = re.compile(
    r"^(?P<who>[^,;:“\"]{3,60}?)\s+(?P<verb>quoted|interviewed|cited|as cited|reported)\s+in\s+(?=\S)",
    re.IGNORECASE,
)
_INTERVIEW_WITH_RE = re.compile(
    r"^(?:an?\s+)?interview(?:ed)?\s+(?:with|of)\s+(?P<who>[^,;:“\"*]{3,60}?)(?:,|\s+in\b|\s+by\b|\s*(?=[“\"*]))\s*",
    re.IGNORECASE,
)
_ACCESSED_HINTS = ("access", "visit", "viewed", "consult", "retriev", "zugegriffen", "date of")
_SECONDARY_HINT_RE = re.compile(r"quoted|cited|reported|reprinted|excerpted|translated")
_SECONDARY_RE = re.compile(
    r"[,.;]?\s+(?:as\s+)?(?:quoted|cited|reported|reprinted|excerpted|translated)\s+in\b",
    re.IGNORECASE,
)
_ACCESSED_RE = re.compile(
    r"[\[(]?\s*(?:(?:last\s+)?(?:accessed|visited|viewed|consulted|retrieved)|zugegriffen am|consulté le|"
    r"date of access)\s*(?:on\s*)?:?\s*(?P<date>[^)\];]{4,40}?\d{4}(?:-\d\d-\d\d)?)\s*[\])]?(?=[\s,.;)\]]|$)",
    re.IGNORECASE,
)
_RETRIEVED_RE = re.compile(
    r"(?:retrieved|available|accessible|downloaded)(?:\s+online)?\s*(?:from|at|on|via)?\s*:?\s*$|"
    r"\[online\]|\(online\)|\burl\s*:?\s*$|<\s*$|\bonline at\s*:?\s*$",
    re.IGNORECASE,
)
_RETRIEVED_HINT_RE = re.compile(r"retriev|availab|accessib|download|online|url|<")
_DOI_TEXT_RE = re.compile(r"(?:\bdoi\s*[:=]?\s*|https?://(?:dx\.)?doi\.org/)10\.\S+|\b10\.\d{3,9}/\S+", re.IGNORECASE)
_ISBN_TEXT_RE = re.compile(r"\bISBN(?:-?1[03])?\s*:?\s*[0-9][0-9\s\-‐–]{7,20}[0-9Xx]", re.IGNORECASE)
_APA_YEAR_RE = re.compile(
    r"[(\[]\s*(?:[A-Z][a-z]{2,8}\.?\s+)?"
    r"(?P<y>(?:1[5-9]\d\d|20\d\d)[a-z]?(?:\s*[/-]\s*\d{2,4})?(?:,\s*[^()]{3,25})?|[ns]\.\s?d\.?|in press|"
    r"forthcoming|under review|\d{4}\s*\[\d{4}\])\s*[)\]][.,:]?"
)
_NAMES_COLON_RE = re.compile(r"(?P<names>[^:“\"«()‘]{3,160}?)\s*:\s+(?=\S)")
_NAMES_ED_RE = re.compile(
    r"(?P<names>[^()“\"«]{3,160}?)\s*\((?:eds?|editors?|hrsg|hg|dir|coord|comp)\.?\)[.,:]?\s+(?=[^\W\d_“\"«*])",
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
_INTERVIEW_START_RE = re.compile(r"^(?:[\w’']+\s+){0,2}interview\b", re.IGNORECASE)
_DOCUMENT_TITLE_RE = re.compile(r"\b(?:statement|decree|treaty|resolution|declaration|communiqu[eé]|law)\b", re.I)
_CONJ_AFTER_RE = re.compile(r"\s*,?\s*(?:and|&|und)\s", re.IGNORECASE)
_QUOTE_LEAD_RE = re.compile(r"(?:^|\s)(?:in|In|see|See|also|cf\.|and|by|from|quoted|cited|entitled|titled)$")
# "Handbook (3rd ed.)", "Como elaborar projetos (5. Ed.)", "The curious case [DVD]": not part of the title.
_EDITION_TAIL_RE = re.compile(
    r"\s*(?:\((?:\d+(?:st|nd|rd|th|e|er|ème|a)?\.?|rev\.?|revised|new|second|third)\s*"
    r"(?:ed|éd|edn|edition|aufl)\.?[^)]{0,20}\)|\[(?!sic\b)[^\]]{2,30}\])$",
    re.IGNORECASE,
)
_DOC_BY_RE = re.compile(
    r"^(?:statement|decree|declaration|speech|address|letter|order)\s+(?:of|by)\s+(?:the\s+)?(.+)$", re.IGNORECASE
)
_OP_CIT_RE = re.compile(r"\b(?:op\.?\s*cit|loc\.?\s*cit|art\.?\s*cit)\b\.?", re.IGNORECASE)
_PROSE_WORDS = frozenset(
    """is are was were been has have had would could should will did does not which who whose although because
    however became remained since whereas there this these they their it""".split()
)
_WORD_RE = re.compile(r"[^\W\d_]+")
_COMMAS_RE = re.compile(r",(?:\s*,)+")
_WORDY_RE = re.compile(r"[^\W\d_]{2,}")
_EDS_AFTER_RE = re.compile(r"^[\s,]*(?:\(?eds?\.?\)?|editors?)(?=[\s,.:])[.,:]?", re.IGNORECASE)
_FIRST_PIECE_RE = re.compile(r"[,(]")
_ACRONYM_RE = re.compile(r"[A-Z]{2,}(?:[-–/ ][A-Z]{2,})*")
_SPACE_THEN_TEXT_RE = re.compile(r"\s+\S")
_TITLE_END_RE = re.compile(r",\s+|\s+\(|\.\s+(?=[A-Z0-9(])|;\s+")
_LOCATOR_NEXT_RE = re.compile(r"[\s,.]*(?:vol|no\.|\d)", re.IGNORECASE)
_SPLIT_TITLE_RE = re.compile(r"\s*\*([^*]{3,120})\*\s*[\"”]")
_PAPER_RE = re.compile(r"\b(?:discussion|working|policy) paper\b", re.IGNORECASE)


@dataclass(slots=True)
class _Work:
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


def parse(text: str) -> tuple[Kind, Fields, bool]:
    """Parse one citation segment: ``(kind, fields, parsed)``; ``parsed`` False means nothing bibliographic.

    Pure and cached (documents repeat their citations). Never raises: a
    parser bug must not stop a run, so any internal error yields
    ``(Kind.UNKNOWN, Fields(), False)`` and the note is reported as unparsed.
    """
    try:
        return _parse_cached(text)
    except Exception:  # noqa: BLE001 - see docstring
        return Kind.UNKNOWN, Fields(), False


@lru_cache(maxsize=8192)
def _parse_cached(text: str) -> tuple[Kind, Fields, bool]:
    return parse_strict(text)


def parse_strict(text: str) -> tuple[Kind, Fields, bool]:
    """``parse`` without the safety net and the cache (for tests and fuzzing)."""
    t = clean(text or "")
    if not t:
        return Kind.UNKNOWN, Fields(), False
    if len(t) > _MAX_LEN:
        t = t[:_MAX_LEN]  # no citation is this long; keep the work bounded on pasted commentary
    if t[0] in "IiSs" and is_ibid(t):
        return Kind.IBID, Fields(pages=ibid_pages(t)), True
    if "``" in t:
        t = t.replace("``", "“").replace("''", "”")
    t = _strip_start(_strip_start(t, _NUMBERING_RE), _LEAD_IN_RE)
    low = t.lower()
    op_cit = "cit" in low and bool(_OP_CIT_RE.search(t))
    if op_cit:
        t = _COMMAS_RE.sub(",", _OP_CIT_RE.sub(",", t))  # "Akbarzadeh, op. cit., p. 12": no title
        low = t.lower()

    # Identifiers first: they would confuse everything else.
    urls = find_urls(t) if ("http" in low or "www." in low or "ftp:" in low) else []
    url = urls[0][2] if urls else None
    doi = identifiers.find_doi(t) if ("10." in t or "doi" in low) else None
    isbn = identifiers.find_isbn(t) if ("isbn" in low or "97" in t) else None
    accessed = None
    m_acc = _ACCESSED_RE.search(t) if any(h in low for h in _ACCESSED_HINTS) else None
    if m_acc:
        accessed = dates.to_iso(m_acc.group("date"))
    work = _strip_identifiers(t, urls, m_acc, doi is not None, isbn is not None)

    w = _Work(work)
    if " in " in low:
        m_wrap = _WRAPPER_RE.match(work)
        if m_wrap and _namey(m_wrap.group("who")):
            w.interview = m_wrap.group("verb").lower() == "interviewed"
            if w.interview:
                w.authors = parse_names(m_wrap.group("who"))
            work = work[m_wrap.end() :]
    if "interview" in low:
        m_iv = _INTERVIEW_WITH_RE.match(work)
        if m_iv and _namey(m_iv.group("who")):
            w.interview = True
            w.authors = parse_names(m_iv.group("who"))
            w.head = m_iv.group(0)
            work = work[m_iv.end() :]
    if " in " in low and _SECONDARY_HINT_RE.search(low):
        m_sec = _SECONDARY_RE.search(work)
        if m_sec and m_sec.start() > 12:
            work = work[: m_sec.start()]
    w.text = work

    _find_title(w)
    rest = parse_rest(w.rest, allow_container=True)
    if w.title is None and rest.container is None and not (w.authors or w.editors):
        rest = _title_first(w, rest)

    fields = _assemble(w, rest, url, doi, isbn, accessed)
    hints = Hints(
        head=w.head,
        container_in=rest.container_in,
        report=rest.report or _report_in_head(w, rest),
        interview=w.interview,
        short_marker=op_cit,
        full_text=t if "nterview" in t else "",
    )
    if not (_is_bibliographic(fields, w, rest, t) or (op_cit and fields.authors)):
        return Kind.UNKNOWN, Fields(), False
    return classify(fields, hints), fields, True


def _strip_start(text: str, rx: re.Pattern[str]) -> str:
    """``text`` without what ``rx`` matches at its start (``match`` does not scan, unlike ``sub``)."""
    m = rx.match(text)
    return text[m.end() :] if m and m.end() else text


def _strip_identifiers(
    t: str, urls: list[tuple[int, int, str]], m_acc: re.Match[str] | None, doi: bool, isbn: bool
) -> str:
    """``t`` with URLs, DOIs, ISBNs and the access-date clause replaced by separators."""
    spans = [(s, e) for s, e, _ in urls]
    if m_acc:
        spans.append((m_acc.start(), m_acc.end()))
    if doi:
        spans += [(m.start(), m.end()) for m in _DOI_TEXT_RE.finditer(t)]
    if isbn:
        spans += [(m.start(), m.end()) for m in _ISBN_TEXT_RE.finditer(t)]
    if not spans:
        return t
    out, pos = [], 0
    for s, e in sorted(spans):
        if s < pos:
            pos = max(pos, e)
            continue
        before = t[pos:s]
        if _RETRIEVED_HINT_RE.search(before.lower()):
            before = _RETRIEVED_RE.sub("", before)
        out.append(before)
        out.append(" , ")
        pos = e
    out.append(t[pos:])
    return " ".join(_COMMAS_RE.sub(",", "".join(out)).split())


@lru_cache(maxsize=4096)
def _namey(text: str) -> bool:
    """Whether ``text`` is entirely a list of names (or an institution)."""
    text = strip_punct(strip_editor_marker(text))
    if not text:
        return False
    end, _ = leading_names(text)
    if end >= len(text.rstrip(" .,")) - 1:
        return True
    # An institution: "Ministry of Foreign Affairs of the Russian Federation", "Human Rights Watch".
    return "," not in text and len(text) < 120 and is_institution(text)


def _set_authors(w: _Work, block: str) -> None:
    block = strip_punct(block)
    if not block:
        return
    names = parse_names(block)
    if has_editor_marker(block):
        w.editors = names
    else:
        w.authors = names


def _find_title(w: _Work) -> None:
    """Locate the title and the author block; leaves the tail in ``w.rest``."""
    text = w.text
    spans = [
        (s, e) for s, e in quoted_spans(text) if _WORDY_RE.search(text, s + 1, e - 1) and _title_position(text, s)
    ]
    singles = [(s, e) for s, e in single_quoted_spans(text) if e - s > 8 and " " in text[s:e]]
    if singles and (not spans or (singles[0][0] < spans[0][0] and singles[0][1] > spans[0][1])):
        spans = singles  # ‘British style’, possibly with “double” quotes inside
    if spans:
        _quoted_title(w, spans[0])
        return
    m_apa = _APA_YEAR_RE.search(text, 0, 400) if ("(" in text or "[" in text) else None
    if m_apa and m_apa.start() > 1 and _namey(text[: m_apa.start()]):
        _set_authors(w, text[: m_apa.start()])
        w.date = dates.to_iso(m_apa.group("y"))
        w.head = text[: m_apa.start()]
        _sentence_title(w, text[m_apa.end() :])
        return
    if text.startswith("*"):
        _italic_title(w, text, 0)
        return
    head = text[:170]
    for rx, hint in ((_NAMES_COLON_RE, ":" in head), (_NAMES_ED_RE, "(" in head), (_NAMES_YEAR_RE, _has_year(head))):
        # "Reiser, Helmut, und Willmann, Marc: Title", "Ewing, David W. (ed.) Title",
        # "Foster, Catherine P., and Bradley J. Parker 2012 Title"
        m = rx.match(text) if hint else None
        if m and sentence_end(text, 0, m.end("names")) < 0 and _namey(m.group("names")):
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


def _after_names(w: _Work, after: str) -> None:
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
        if m.group(0).startswith(",") and re.match(r"[a-z]", nxt) and not re.match(
            r"(?:in|ed|eds|pp?|vol|no|trans|edited|available|accessed|retrieved)\b", nxt
        ):
            pos = m.end()
            continue
        end = m.start()
        break
    title = unquote(strip_punct(text[:end]))
    return (title or None), text[end:]


def _sentence_title(w: _Work, text: str) -> None:
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
    w.title = unquote(body[:end]) or None
    w.rest = body[end:]


def _italic_title(w: _Work, text: str, start: int) -> None:
    end = text.find("*", start + 1)
    if end < 0:
        w.rest = text
        return
    inner = unquote(text[start + 1 : end])
    after = text[end + 1 :]
    if is_news_outlet(inner) or _LOCATOR_NEXT_RE.match(after):
        w.rest = text  # an italic container ("*Nezavisimaya Gazeta*, 26 May 1993")
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
    return start < 200 and _namey(text[:start])  # "P. Yang and J. H. Chern “Design for Reliability …”"


def _quoted_title(w: _Work, span: tuple[int, int], text: str | None = None) -> None:
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


def _author_block(w: _Work, text: str, s: int) -> None:
    """The authors before a quoted title at ``s``.

    Commentary may come first ("The ban … standards. Qishloq Ovozi, “…”"), and an
    author block may itself hold sentence ends ("Johnson, Kirk. “…”",
    "Lowry, M. (1983). "…""): the earliest sentence start after which the text
    reads as names wins; failing that, the last sentence is the head.
    """
    starts = [0]
    while (nxt := sentence_end(text, starts[-1], s)) > 0:
        starts.append(nxt)
    # An author block is short: only sentence starts near the title are candidates.
    for st in [x for x in starts if s - x < 300]:
        block, date = _clean_head(text[st:s])
        if block and _namey(block) and not _DOC_BY_RE.match(block):
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
    pre = _strip_start(pre, _LEAD_IN_RE)
    date = None
    m_apa = _APA_YEAR_RE.search(pre) if ("(" in pre or "[" in pre) else None
    if m_apa:
        date = dates.to_iso(m_apa.group("y"))
        pre = pre[: m_apa.start()]
    block = strip_punct(pre)
    m_year = _TRAILING_YEAR_RE.search(block) if block[-1:].isdigit() or block[-1:] in ").abcdefgh" else None
    if m_year and m_year.start() > 0:
        date = date or dates.to_iso(m_year.group("y"))
        block = strip_punct(block[: m_year.start()])
    return block, date


def _title_first(w: _Work, rest: Rest) -> Rest:
    """No author and no container found: try "Title. Tail" (reference books, reports, anonymous works)."""
    text = w.text
    end = sentence_end(text)
    if end > 0:
        cand = parse_rest(text[end:], allow_container=True)
        if cand.date or cand.publisher or cand.place or cand.container:
            w.title = unquote(text[:end]) or None
            return cand
    return rest


def _assemble(w: _Work, rest: Rest, url: str | None, doi: str | None, isbn: str | None,
              accessed: str | None) -> Fields:
    date = w.date or rest.date
    if not date and (w.authors or w.editors):
        # A date in the author block or title position ("Heidegger M., 1927, …").
        found = dates.find_dates(w.head)
        date = found[0].iso if found else None
    title = w.title
    container = rest.container
    if title and container and title == container:
        container = None
    editors = w.editors or rest.editors
    authors = w.authors
    if title and not w.title_quoted and not authors and not editors and not container and (
        rest.volume or rest.issue
    ) and not w.head:
        # "Izvestia, 19 February, 1993, p.4" has no title: the first chunk was a container.
        container, title = title, None
    if container and not title and _INTERVIEW_START_RE.match(container):
        container, title = None, container  # "Interview with the author, Dushanbe, May 2014"
    if container and not title and not authors and _DOCUMENT_TITLE_RE.search(container):
        # "MFA Statement, 30 May 1993": a document named by what it is.
        container, title = None, container
    return Fields(
        authors=authors,
        editors=editors,
        title=_tidy(_EDITION_TAIL_RE.sub("", title) if title and title[-1] in ")]" else title),
        container=_tidy_container(container),
        volume=rest.volume,
        issue=rest.issue,
        date=date,
        pages=rest.pages,
        publisher=_tidy(rest.publisher),
        place=_tidy(rest.place),
        url=url,
        doi=doi,
        isbn=isbn,
        accessed=accessed,
    )


def _tidy_container(value: str | None) -> str | None:
    """A container name; an abbreviated one keeps its last period ("ACM Trans. Math. Softw.")."""
    tidy = _tidy(value)
    if tidy and value and value.rstrip(" ,;:").endswith(".") and not tidy.endswith("."):
        if abbreviated_name(tidy + "."):
            tidy += "."
    return tidy


def _tidy(value: str | None) -> str | None:
    if not value:
        return None
    value = strip_punct(value.replace("\x00", " ").replace("*", "").strip(" \"“”«»"))
    value = " ".join(value.split())
    return value or None


def _report_in_head(w: _Work, rest: Rest) -> bool:
    return bool(rest.container and _PAPER_RE.search(rest.container))


def _is_bibliographic(fields: Fields, w: _Work, rest: Rest, raw: str) -> bool:
    """Whether the fields describe a source rather than a remark.

    Identifiers always count, and a quoted title with anything beside it
    (authors, a date, a locator, a publisher). Otherwise text that reads like
    prose — verbs and pronouns, or long stretches no field claimed — is commentary.
    """
    f = fields
    if f.url or f.doi or f.isbn:
        return True
    prose = sum(1 for word in raw.lower().split() if word.strip(".,;:()\"“”") in _PROSE_WORDS)
    if w.title_quoted:
        if not (f.authors or f.editors or f.date or f.pages or f.publisher or f.volume or f.issue):
            return False
        # “Title,” — punctuation at the closing quote marks a citation; a scare-quoted word in prose has none.
        return bool(f.authors or f.editors) or w.quote_punct or prose < 3
    words = len(raw.split())
    unclaimed = sum(len(n.split()) for n in rest.notes)
    if (f.authors or f.editors) and (f.title or f.container):
        if f.date or f.publisher or f.container or f.pages or f.volume:
            return prose < 4 or prose * 8 < words
        return prose < 2
    if unclaimed > 8 and unclaimed * 3 > words:
        return False
    if f.container and (f.date or f.volume or f.pages) and prose < 2:
        return len(f.container.split()) <= 10
    if f.title and (f.date or f.publisher) and prose < 3:
        return True
    return False
    if (f.authors or f.editors) and (f.title or f.container) and (f.date or f.publisher or f.container or f.pages):
        return prose < 4 or prose * 8 < words
    if f.container and (f.date or f.volume or f.pages) and prose < 2:
        return len(f.container.split()) <= 10
    if f.title and (f.date or f.publisher) and prose < 3:
        return True
    if (f.authors or f.editors) and f.title and prose < 2:
        return True
    return False
