"""What follows the title: container, volume, issue, pages, date, publisher and place.

``parse_rest`` reads the tail of a citation in three passes:

1. a container introduced by "In"/"in" (with its editors), quoted or in ``*italics*``;
2. the locators, each found by its own pattern and masked out of the text:
   ``vol. 8``, ``No. 7``, ``15, no. 3``, ``34(2)``, ``pp. 19-20``, ``: 5–19``,
   the date, ``Place: Publisher``;
3. what is left, split at commas into chunks: a publisher by its wording
   ("Press", "Publications"), a place by a small gazetteer or by following the
   publisher, and the first other chunk as the container. Bare numbers fill
   the volume (right after the container) and then the pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from verifier.model import Person

from . import dates
from .names import leading_names, parse_names
from .text import ALL_QUOTES, ends_with_abbreviation, quoted_spans, strip_punct, unquote
from .tokens import lexicons, role_hints, role_of, role_words_re

MASK = "\x00"

_GAZETTEER = lexicons().place  # data/places.txt
_COUNTRIES = _GAZETTEER["country"]
_PLACES = _GAZETTEER["city"] | _COUNTRIES
_US_STATES = _GAZETTEER["region"]  # and Canada's provinces, Australia's states
_PUBLISHER_WORDS = frozenset(
    """
    press publisher publishers publishing publication publications verlag books edition editions éditions edições
    editora editorial editore editori edizioni ediciones inc ltd limited sons wiley springer elsevier routledge
    norton sage penguin macmillan palgrave mcgraw prentice addison wesley kluwer interscience pergamon blackwell brill
    gallimard seuil flammarion hachette harper harpercollins knopf doubleday vintage academic university
    universität université universidad universidade università mit clarendon heinemann longman methuen
    unwin verso zed hurst tauris ashgate lexington rowman littlefield westview praeger greenwood curzon nauka
    izdatel izd kaufmann brookings rand carnegie erlbaum dover aeroplano pur
    """.split()
)
_PUBLISHER_PHRASE_RE = re.compile(r"random house|chatham house|morgan kaufmann|o'reilly| co\.|& co")
_LOWER_WORD_RE = re.compile(r"[^\W\d_]+")
# A report or thesis marker, possibly with its number and the issuing body before it:
# "Technical Report CS-TR-317-91", "CMU CS Tech Report CMU-CS-94-123", "PhD thesis", "TR 95-50".
_REPORT_MARK_RE = re.compile(
    r"(?:^|(?<=\s))(?:technical (?:report|summary report|memo(?:randum)?)|tech\.? ?(?:rep(?:ort)?|rpt|memo)\.?|"
    r"working paper|discussion paper|policy brief|occasional paper|(?:research|annual|final|progress|special) "
    r"report|technical summary|(?<![\w\s])report|(?<![\w\s])tr|"
    r"\(?unpublished (?:doctoral )?(?:dissertation|thesis|manuscript)\)?|"
    r"(?:ph\.? ?d\.?|doctoral|master'?s|msc|m\.s\.|ma|ba|diploma|senior) (?:thesis|dissertation|diss\.?)|thesis|"
    r"dissertation|poster session.*|paper presented.*)(?=$|[\s#])"
    # the number, possibly after a series name: "no. 12", "TR 95-50", "UCB/ERL M90/36", "TU Wien rr-02-92"
    r"(?P<num>(?:\s+(?>(?:[A-Za-z][\w/.\-]*\s+){1,2})(?=[\w/.\-]*\d))?(?:\s*(?:no\.?|#)?\s*[\w/.\-]*\d[\w/.\-]*)*)"
    r"(?:\s*\([^)]*\))?\s*$",
    re.IGNORECASE,
)
# Words without which a chunk holds no report marker (matched in lower case); the bare "TR"
# marker counts only at the start of a chunk (see _may_mark_report).
_REPORT_HINT_RE = re.compile("rep|paper|thesis|diss|brief|memo|poster|presented|summary|manuscript|rpt")
_PENDING = (  # a work not (yet) published; any case
    r"preprint|manuscript|draft(?: paper)?|internet-draft|submitted.*|to appear.*|in press|forthcoming|"
    r"unpublished|mimeo(?:graph)?|in preparation|under review"
)
_INSTITUTION_RE = re.compile(
    r"\b(?:dept|department|university|univ|universit\w*|institute|institut|laboratory|laboratories|labs?|"
    r"cent(?:er|re)|school|college|division|faculty|group|corporation|inc|ltd|company|research|foundation|"
    r"task force|academy|council|bureau|agency|office|ministry|commission)\b",
    re.IGNORECASE,
)
_NOISE_CHUNK = (  # medium, edition, language and section notes; any case
    r"print|web|online|\[online\]|\[electronic resource\]|cd-rom|n\.p|n\.d|s\.l|s\.n|"
    r"\d+(?:st|nd|rd|th)?\.? (?:ed|edn|edition|rev\. ed|aufl)\.?|(?:rev\.|revised|new|2nd|3rd) ed(?:ition)?\.?|"
    r"ed\.?(?: \d{4})?|\(in [a-z]+\)|in [a-z]+|sec\. ?\w+|section \w+|\d+ vols?\.?|"
    # a page count ("368 pp.", "406 p.", "634 s."), a bare ordinal edition ("4th"), reprint and revision notes
    r"\d+ ?(?:pp?|s|pages|Seiten)\.?|\d+(?:st|nd|rd|th)|reprint(?:ed)?(?:, [a-z]+)?|"
    r"(?:revised|rev\.)(?:,? and (?:expanded|enlarged|updated))?(?: ed(?:ition|n)?\.?)?|"
    r"\d+(?:st|nd|rd|th) [a-z]+ ed(?:ition|n)?\.?|[a-z]+ critical edition"
)

_IN_RE = re.compile(r"^[\s,.;:]*(?:in|In|IN)\s*:?\s+(?=\S)")
_EDS_PREFIX_RE = re.compile(
    rf"^(?P<eds>[^\"“«*()]{{2,160}}?)\s*(?:\((?:{role_words_re('editor')})\.?\)"
    r"|,?\s+(?:eds?|editors?)\.?(?=[\s,:]))[.,:]?\s*",
    re.IGNORECASE,
)
_ED_BY_RE = re.compile(r"(?:^|,)\s*(?:ed(?:ited)?\.?\s+by|eds?\.)\s+(?=[A-Z])", re.IGNORECASE)
# "Edited by John Leonard.", "Translated by Willa and Edwin Muir.", "trans. James Vincent Murphy (",
# "With a new afterword.": a book's editor, translator or preface clause at the start of the tail, up to
# the sentence end (an initial's period does not end it) or a bracket.
_BY_CLAUSE_RE = re.compile(
    r"^[\s,.;:\x00]*(?P<role>(?i:(?:edited|translated)(?:\s+and\s+(?:edited|translated|annotated|"
    r"introduced))?\s+by|(?:with\s+an?\s+(?:new\s+)?)?(?:introduction|foreword|afterword|preface)"
    r"(?:\s+and\s+notes)?(?:\s+by|(?=\.\s)))|"
    r"(?:[Ee]ds?|[Tt]rans|[Tt]r)\.)(?:\s+"
    r"(?P<names>(?:[A-ZÀ-Ý]\.|[A-ZÀ-Ý][\w'’\-]*|and|&|von|van|de|der|den|la|le|di|da|du|des|del|y)"
    r"(?:(?:,?\s+|;\s+(?:revised|edited)\s+by\s+)"  # ("Translated by X; revised by Y.")
    r"(?:[A-ZÀ-Ý]\.|[A-ZÀ-Ý][\w'’\-]*|and|&|von|van|de|der|den|la|le|di|da|du|des|del|y)){0,12}?))?"
    r"(?:(?<![\s.][A-Z])(?<!^[A-Z])\.(?=\s|$)|\s*(?=\()|$)"
)
# "Michael Holquist (ed.)", "Caryl Emerson and Michael Holquist (trans.)": an editor or translator named
# before the role in brackets, after a book's title.
_NAMES_ROLE_RE = re.compile(
    r"^[\s,.;:\x00]*(?:\(\d{4}\)[\s,]*)?"  # (after a first edition's year: "(1859), Ugo Piovano (ed.)")
    r"(?P<names>[A-ZÀ-Ý][^,;:()\x00\d]{1,40}?(?:,?\s+(?:and\s+|&\s+)?[A-ZÀ-Ý][^,;:()\x00\d]{1,40}?){0,4})\s*"
    rf"\((?P<role>(?i:{role_words_re('editor', 'translator')}))\.?\)"
)
_EDS_END_RE = re.compile(r"\s*[(\x00]|,\s*(?=\d)|\.\s|,\s*(?=[^,]*\d)")

# The locator patterns start with a character class (and check the character before it with a
# lookbehind placed after it), which lets the regex engine skip quickly to candidate positions;
# the class is written out with its case variants (ignoring case would turn the skip off: "İ"
# and "ı" are what IGNORECASE adds to "i").
_PAGES_RE = re.compile(
    r"[pPS](?<![\w][pPS])(?:p|gs?|ages?|ágs?|áginas?)?\.?\s*(?P<p>[A-Za-z]?\d+[a-z]?(?:\s*(?:[-–—‐]+|to)\s*[A-Za-z]?\d+[a-z]?)?"
    r"(?:\s*,\s*(?!(?:1[5-9]|20)\d\d(?!\d))\d+(?:\s*[-–—]\s*\d+)?)*)(?:\s*ff?\.)?"
)
_COLON_PAGES_RE = re.compile(r"(?<=[\w)])\s*:\s*(?P<p>[A-Z]?\d+(?:\s*[-–—‐]+\s*[A-Z]?\d+)?)(?![\w/:]|\.\d)")
_ROMAN_BEFORE_RE = re.compile(r"(?<=[^\W\d_]\s)[IVXLC]{1,6}$")
_VOL_ISSUE_RE = re.compile(
    r"(?P<v>\d(?<![\w/.-]\d)\d{0,3}|(?<![\w/.-])[IVXLC]{1,7})\s*\((?P<i>[\w]{1,6}(?:\s*[-/–]\s*\w{1,6})?)\)"
)
_VOL_RE = re.compile(
    r"[vVbBjJtT](?i:(?<![\w][vVbBjJtT])(?:(?:ol(?:ume)?s?|d|g|ome)\.?\s*(?P<v>\d+|[IVXLCivxlc]+\b)"
    r"(?:\s*\((?P<i>\d+(?:[-/]\d+)?)\))?|\.\s*(?P<v2>\d+|(?<=[vV]\.\s)(?-i:[IVXLC]{1,7})\b)))"
)
# "24 Suppl 1", "14 Suppl.": a volume and its supplement (the issue).
_VOL_SUPPL_RE = re.compile(
    r"(?<![\w.])(?P<v>\d{1,4})\s*\(?(?P<i>Suppl(?:\.|ement)?(?:\s*\d{1,3})?)\)?(?=\s*[:,;(\x00]|\s*$)"
)
_ISSUE_RE = re.compile(
    r"[nNhHiIİı#](?i:(?<![\w][nNhHiI])(?:(?:os?|r|[°º]|eft|ssue|ss|úm(?:ero)?)\.?|(?<=#))\s*(?P<i>\d+(?:\s*[-/–]\s*\d+)?)"
    r"(?![\d-]))"
)
# A year inside a proceedings name: "Proceedings of the 1993 Connectionist …", "Proc. 1994 International …".
_NAME_BEFORE_YEAR_RE = re.compile(r"(?:\bthe|\bProceedings|\bProc\.)\s+$", re.IGNORECASE)
_NAME_AFTER_YEAR_RE = re.compile(r"\s+(?:[A-Z][a-z]|[A-Z]{2,}\s)")
_DATE_END_RE = re.compile(r"\s*(?:[,.;:)\]\x00]|$)")
_RANGE = r"[A-Z]?\d+[a-z]?\s*[-–—‐]+\s*[A-Z]?\d+[a-z]?"  # pages
_NUMBER = r"\d{1,5}|[IVXLC]{1,6}"
_NUMBER_RE = re.compile(rf"^(?P<n>{_NUMBER})$")
# "Journal 12", "Journal 12(3)", "Film Comment 40.1", "Word & World XIV:4", "Communications of the ACM 38 39-41"
_TRAILING_VOL_RE = re.compile(
    r"^(?P<c>.*?[^\d\s,(])\s+(?:(?P<v>[A-Z]?\d{1,4})(?:\s*\((?P<i>[\w/–-]+)\)|\.(?P<i2>\d{1,3}))?|"
    r"(?P<rv>[IVXLC]{1,6}):\s?(?P<ri>\d{1,3}))(?:\s*:?\s+(?P<p>\d+\s*[-–—‐]+\s*\d+))?$"
)
_CITY_RE = re.compile(r"(?:[A-Z][\w'’.\-]*\s?){1,4}$")
_VOL_PAGES = r"(?P<vp_v>\d{1,4})\s*:?\s+(?P<vp_p>\d+\s*[-–—]+\s*\d+)"  # "7 387-393"
# The shape of a whole chunk, the first that fits in this order (one match instead of five).
_CHUNK_SHAPE_RE = re.compile(
    rf"^(?:(?P<pending>(?i:{_PENDING}))|(?P<noise>(?i:{_NOISE_CHUNK}))|(?P<range>{_RANGE})|"
    rf"(?P<vol_pages>{_VOL_PAGES})|(?P<number>{_NUMBER}))$"
)
_PLACE_WORDS_RE = re.compile(
    r"^(?:[A-ZÀ-Ý][\w.'’\-]*|upon|am|an|de|del|do|da|sur|on|the|of|la|le|&|and)(?:\s+(?:[A-ZÀ-Ý][\w.'’\-]*|upon|am|an|"
    r"de|del|do|da|sur|on|the|of|la|le|&|and)){0,4}(?:,\s*(?:[A-Z]{2}|[A-Z]\.\s?[A-Z]\.|[A-Z][a-z]+\.?))?$"
)
_DASH_RE = re.compile(r"\s*(?:[-–—‐]+|to)\s*")
_COMMA_RE = re.compile(r"\s*,\s*")
_CITY_STATE_RE = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?, (?:[A-Z]{2}|[A-Z]\.\s?[A-Z]\.)")
_COLON_RE = re.compile(r"\s?:\s")
_PLACE_WITH_REGION_RE = re.compile(r"[^,]+,\s*(?:[A-Z]{2}|[A-Z]\.\s?[A-Z]\.|[A-Z][a-z]+\.?)")
_PLACE_WITH_STATE_RE = re.compile(r"[^,]+,\s*(?:[A-Z]{2}|[A-Z]\.\s?[A-Z]\.)")
# (the period of an initial, "Alfred A. Knopf", ends no publisher)
_RIGHT_OF_COLON_RE = re.compile(r"\s*([^,;()\x00]+?)(?=\s*(?:[,;)\x00]|(?<!\b[A-Z])(?<!\bBros)\.\s|\.?$))")
# "Longmans, Green, and Co.", "Harper & Brothers", "Wiley, Inc.": a firm's name goes on past its commas.
_FIRM_TAIL_RE = re.compile(
    r"(?:,\s*[A-Z][\w'’\-]+)*,?\s*(?:and|&)\s+(?:co|company|sons|brothers)\b\.?|,\s*(?:inc|ltd|llc)\b\.?",
    re.IGNORECASE,
)
_LETTER_RE = re.compile(r"[^\W\d_]")
_DIGIT_RE = re.compile(r"\d")
_ALNUM_RE = re.compile(r"[^\W_]")
_SERIAL_RE = re.compile(r"\b(?:journal|review|studies|quarterly|bulletin|proceedings|transactions)\b", re.IGNORECASE)


@dataclass(slots=True)
class Rest:
    """The fields read from the tail of a citation."""

    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    date: str | None = None
    publisher: str | None = None
    place: str | None = None
    editors: tuple[Person, ...] = ()
    container_in: bool = False
    report: bool = False
    notes: list[str] = field(default_factory=list)
    """Chunks nobody claimed (kept for kind hints)."""


def _clean_pages(p: str) -> str:
    p = _DASH_RE.sub("–" if "–" in p else "-", p.strip())
    return _COMMA_RE.sub(", ", p) if "," in p else p


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + MASK * (end - start) + text[end:]


@lru_cache(maxsize=4096)
def is_place(chunk: str) -> bool:
    """Whether ``chunk`` names a place: in the gazetteer, a country, or ``City, ST`` / ``City, Country``."""
    c = chunk.strip(" ()[].,").lower()
    if c in _PLACES or c in _COUNTRIES:
        return True
    if ", " in c and is_region(c.rsplit(", ", 1)[1]) and _CITY_RE.match(chunk.strip(" ()[]").rsplit(", ", 1)[0]):
        return True
    first = c.split(",")[0].strip()
    if first in _PLACES:
        return True
    return ", " in chunk and bool(_CITY_STATE_RE.fullmatch(chunk.strip(" ()")))


@lru_cache(maxsize=4096)
def is_publisher(chunk: str) -> bool:
    """Whether ``chunk`` reads like a publisher's name ("… Press", "… Publications", "Routledge")."""
    if len(chunk) >= 90:
        return False
    low = chunk.lower()
    if "series" in low or "lecture notes" in low:
        return False
    if low in ("acm", "ieee", "siam", "ams", "aaai", "usenix"):
        return True
    return not _PUBLISHER_WORDS.isdisjoint(_LOWER_WORD_RE.findall(low)) or bool(_PUBLISHER_PHRASE_RE.search(low))


_SPAN_OPENERS = ALL_QUOTES + "*"  # what a container written as a quoted or italic span starts with


def _take_span(text: str) -> tuple[str | None, str]:
    """A container written first in ``text`` as a quoted or ``*italic*`` span: ``(container, after)``."""
    t = text.lstrip(" ,.;:")
    off = len(text) - len(t)
    if t[:1] in ALL_QUOTES:
        for s, e in quoted_spans(t):
            if s == 0:
                return unquote(t[s:e]), text[off + e :]
            break
    if t.startswith("*"):
        end = t.find("*", 1)
        if end > 1:
            return unquote(t[1:end]), text[off + end + 1 :]
    return None, text


def _find_place_publisher(text: str) -> tuple[str, str, int, int] | None:
    """``Place: Publisher`` (or the reversed ``Publisher: Place``) in ``text``: (place, publisher, start, end)."""
    first_colon = text.find(":")
    if first_colon < 0:
        return None
    for n, m in enumerate(_COLON_RE.finditer(text, max(0, first_colon - 1))):
        if n >= 6:
            break  # a citation has one or two colons; a long text of them is no citation
        window = text[m.end() : m.end() + 120]
        if window.lstrip()[:1].isdigit():
            continue  # ": 5–19": pages, not a publisher (the test below, without the patterns)
        right_m = _RIGHT_OF_COLON_RE.match(window)
        if not right_m:
            continue
        right = right_m.group(1).strip()
        if not _LETTER_RE.search(right) or right[0].isdigit():
            continue
        end = m.end() + right_m.end()
        if "," in window and (m_firm := _FIRM_TAIL_RE.match(text, end)):
            right, end = text[m.end() : m_firm.end()].strip(), m_firm.end()
        left_end = m.start()
        floor = max(0, left_end - 120)
        bounds = [text.rfind(sep, floor, left_end) for sep in ("(", MASK, ". ", ";")]
        comma = text.rfind(", ", floor, left_end)
        if max(bounds) < 0 and floor > 0:
            bounds.append(floor - 1)
        start = max(bounds) + 1
        left = text[start:left_end].strip(" ").lstrip(".")
        # Allow one comma inside the place ("Cambridge, MA", "Washington, D.C.").
        if comma >= start and not _PLACE_WITH_REGION_RE.fullmatch(left):
            prev_comma = text.rfind(", ", floor, comma)
            place_start = max(prev_comma + 2, start) if prev_comma >= 0 else start
            candidate = text[place_start:left_end].strip(" ").lstrip(".")
            if _PLACE_WITH_STATE_RE.fullmatch(candidate) or _city_region(candidate):
                left, start = candidate, place_start
            else:
                left, start = text[comma + 2 : left_end].strip(" ").lstrip("."), comma + 2
        if not left:
            continue
        if (_PLACE_WORDS_RE.match(left) or _city_region(left)) and not is_publisher(left):
            if is_place(right) and not is_publisher(right) and not is_place(left):
                continue
            # "Machine Learning: An Artificial Intelligence Approach" is a title, not "Place: Publisher".
            bracketed = start > 0 and text[start - 1] == "("
            if bracketed or is_publisher(right) or any(is_place(x) for x in _PLACE_SPLIT_RE.split(left)):
                return left, right, start, end
            continue
        if is_publisher(left) and _PLACE_WORDS_RE.match(right):
            # "Houghton, Mifflin & Co.: Boston" — the publisher's name may hold a comma.
            wide_start = max(text.rfind(sep, 0, start) for sep in ("(", MASK, ". ", ";")) + 1
            wide = text[wide_start:left_end].strip(" ,").lstrip(".")
            if wide != left and not _DIGIT_RE.search(wide) and len(wide.split()) <= 6:
                left, start = wide, wide_start
            return right, left, start, end
    return _closing_place_publisher(text)


# The last sentence of a book's tail, "Eugene: Wipf & Stock, 1967.", "London/Philadelphia: Whurr.",
# "White River Junction (VT): Chelsea Green.": a short place, a colon, a short name, then at most the year.
_CLOSING_PP_RE = re.compile(
    r"(?:^|(?<=[.\x00])\s|(?<=[.\x00]))\s*(?P<place>[^\W\d_][\w'’.\-]*(?:(?:\s|\s?/\s?|-)[^\W\d_][\w'’.\-]*){0,3}"
    r"(?:\s\([A-Z]{2}\))?)\s?:\s(?P<pub>[^\W\d_][^,;:()\x00\d]{1,48}?)\s*(?:,?\s*(?:1[5-9]|20)\d\d[a-z]?)?[.\s]*$"
)


def _closing_place_publisher(text: str) -> tuple[str, str, int, int] | None:
    m = _CLOSING_PP_RE.search(text, max(0, len(text) - 120))
    if m is None:
        return None
    place, pub = m.group("place"), m.group("pub").rstrip(" .")
    words = place.replace("/", " ").replace("-", " ").split()
    if not all(w[0].isupper() or w.startswith("(") for w in words) or len(pub.split()) > 6:
        return None
    if not pub[0].isupper() or _SERIAL_RE.search(pub) or _SERIAL_RE.search(place):
        return None
    return place, pub, m.start("place"), m.end("pub")


def _city_region(text: str) -> bool:
    """Whether ``text`` is a city and its spelled-out state or country: "Concord, New Hampshire"."""
    city, _, region = text.rpartition(", ")
    return bool(city) and is_region(region) and bool(_CITY_RE.fullmatch(city)) and not is_publisher(city)


def parse_rest(rest: str, *, allow_container: bool = True) -> Rest:
    """Read container, locators, date, publisher and place from the (cleaned) tail of a citation."""
    out = Rest()
    text = rest.strip(" \"“”")
    # 1. A container introduced by "In" (a chapter or proceedings), or a quoted/italic one.
    m_in = _IN_RE.match(text) if ("in" in text or "In" in text or "IN" in text) else None
    if m_in:
        # "In: Eds (eds.), Book, …", "in Book, ed. Name (Place: …)", "In Proceedings of …, pages …"
        out.container_in = True
        text = text[m_in.end() :]
        m_eds = _EDS_PREFIX_RE.match(text)
        if m_eds and leading_names(m_eds.group("eds").strip())[0] >= len(m_eds.group("eds").strip()) - 2:
            out.editors = parse_names(m_eds.group("eds"))
            text = text[m_eds.end() :]
    span, after = _take_span(text) if text.lstrip(" ,.;:")[:1] in _SPAN_OPENERS else (None, text)
    if span is not None and (allow_container or m_in):
        out.container = span
        text = after
    if out.container_in:
        m_by = _ED_BY_RE.search(text)
        if m_by and not out.editors:
            eds_text = _EDS_END_RE.split(text[m_by.end() :], maxsplit=1)[0]
            out.editors = parse_names(eds_text)
            text = text[: m_by.start()] + ", " + text[m_by.end() + len(eds_text) :]
    if not out.container_in and _may_hold_by_clause(text):
        text = _take_by_clauses(text, out)
    if not out.container_in and "(" in text and _may_hold_names_role(text):
        text = _take_names_roles(text, out)
    text = text.replace("*", " ").replace("“", " ").replace("”", " ").replace('"', " ")

    # 2. Locators, each masked out once found. Cheap substring tests keep the
    #    patterns off texts that cannot hold what they look for.
    low = text.lower()
    has_digit = bool(_DIGIT_RE.search(text))
    pp = _find_place_publisher(text) if ":" in text else None
    if pp:
        out.place, out.publisher = strip_punct(pp[0]), strip_punct(pp[1])
        text = _mask(text, pp[2], pp[3])
    if has_digit:
        m = _PAGES_RE.search(text) if ("p" in low or "s." in low) else None
        if m is None and ":" in text:
            # (a match starts at the spaces before the first colon, or later)
            m = _COLON_PAGES_RE.search(text, len(text[: text.index(":")].rstrip()))
            if m and m.group("p").isdecimal() and _ROMAN_BEFORE_RE.search(text, 0, m.start()):
                m = None  # "Word & World XIV:4 (1994), 409-418": volume XIV, issue 4
        if m:
            out.pages = _clean_pages(m.group("p"))
            text = _mask(text, m.start(), m.end())
        m = _VOL_RE.search(text) if _may_hold_volume(low) else None
        if m:
            out.volume = m.group("v") or m.group("v2")
            if m.group("i"):
                out.issue = m.group("i")
            text = _mask(text, m.start(), m.end())
        m = _ISSUE_RE.search(text) if _may_hold_issue(low) else None
        if m and not out.issue:
            out.issue = m.group("i").replace(" ", "")
            text = _mask(text, m.start(), m.end())
    found = dates.find_dates(text) if has_digit else []
    if found:
        # "Proc. 1994 International Conference …, 1994": prefer a date that ends its chunk.
        d = found[0] if len(found) == 1 else next((d for d in found if _DATE_END_RE.match(text, d.end)), found[0])
        out.date = d.iso
        # (but "Proceedings of the 1993 Connectionist Models …" keeps its year)
        if not (_NAME_BEFORE_YEAR_RE.search(text, max(0, d.start - 14), d.start)
                and _NAME_AFTER_YEAR_RE.match(text, d.end)):
            text = _mask(text, d.start, d.end)
    if not out.volume and has_digit and "(" in text:
        for m in _VOL_ISSUE_RE.finditer(text):
            inner = m.group("i")
            if inner.rstrip(".").lower() in dates.MONTHS:
                continue
            out.volume, out.issue = m.group("v"), out.issue or inner
            text = _mask(text, m.start(), m.end())
            break

    if not out.volume and "uppl" in text and (m := _VOL_SUPPL_RE.search(text)):
        out.volume, out.issue = m.group("v"), out.issue or m.group("i").rstrip(".")
        text = _mask(text, m.start(), m.end())

    # 3. The chunks that are left.
    _read_chunks(text, out, allow_container=allow_container or out.container_in)
    return out


def _may_hold_by_clause(text: str) -> bool:
    """Whether ``text`` has what ``_BY_CLAUSE_RE`` needs: "by", "Ed.", "trans.", "Tr." or "with"."""
    return "by " in text or "Ed" in text or "ed." in text or "rans" in text or "Tr." in text or "ith " in text


def _take_by_clauses(text: str, out: Rest) -> str:
    """``text`` without its editor and translator clauses; an editor's names fill ``out.editors``."""
    while (m := _BY_CLAUSE_RE.match(text)) is not None:
        names = m.group("names")
        if names is not None and len(names.split()) < 2:
            break  # "Trans. Amer. Math. Soc.": a journal's abbreviation, not a translator
        if m.group("role")[0] in "Ee" and names and not out.editors:
            out.editors = parse_names(names)
        text = MASK + text[m.end() :]
    return text


def _may_hold_names_role(text: str) -> bool:
    """Whether ``text`` has what ``_NAMES_ROLE_RE`` needs: a role word in brackets, "(ed", "(trans", "(Hrsg"."""
    if "(" not in text:
        return False
    low = text.lower()
    return any("(" + h in low for h in role_hints("editor", "translator"))


def _take_names_roles(text: str, out: Rest) -> str:
    """``text`` without its opening "Names (ed.)" and "Names (trans.)" clauses; editors fill ``out.editors``."""
    while (m := _NAMES_ROLE_RE.match(text)) is not None:
        names = m.group("names").strip()
        if leading_names(names)[0] < len(names.rstrip(" .")) - 1:
            break  # not a list of names ("Oxford University (ed.)" is no person)
        if role_of(m.group("role")) == "editor" and not out.editors:
            out.editors = parse_names(names)
        text = text[: m.start("names")] + MASK + text[m.end() :]
    return text


def is_report_mark(chunk: str) -> bool:
    """Whether ``chunk`` is a report or thesis marker and nothing else ("Thesis", "Technical Report 14", "PhD
    thesis")."""
    m = _REPORT_MARK_RE.search(chunk) if _may_mark_report(chunk.lower()) else None
    return m is not None and m.start() == 0


def _may_mark_report(low_chunk: str) -> bool:
    """Whether a lower-cased chunk has what ``_REPORT_MARK_RE`` needs."""
    return low_chunk.startswith("tr") or _REPORT_HINT_RE.search(low_chunk) is not None


def _may_hold_volume(low: str) -> bool:
    """Whether lower-cased ``low`` has what ``_VOL_RE`` needs: "vol", "bd", "jg", "tome" or "v."."""
    return "vol" in low or "bd" in low or "jg" in low or "tome" in low or "v." in low


def _may_hold_issue(low: str) -> bool:
    """Whether lower-cased ``low`` has what ``_ISSUE_RE`` needs: "no", "nr", "n°", "heft", "iss", "núm" or "#"."""
    return ("no" in low or "nr" in low or "n°" in low or "nº" in low or "heft" in low or "iss" in low or "#" in low
            or "núm" in low)


def _strip_chunk(chunk: str) -> str:
    """A chunk without separators at its ends, keeping a bracket that closes one inside it
    and the period of an abbreviated journal name ("ACM Trans. Math. Softw.")."""
    c = strip_punct(chunk, " .;:()[]")
    if chunk.rstrip(" ;:").endswith(".") and not c.endswith(".") and abbreviated_name(c + "."):
        c += "."
    if c and chunk.rstrip(" .;:").endswith(")") and c.count("(") > c.count(")"):
        c += ")"
    return c


def _join_series(chunks: list[str]) -> list[str]:
    """Re-join a name that a comma list split: "Systems", "Man", "and Cybernetics" → one chunk."""
    out: list[str] = []
    i = 0
    while i < len(chunks):
        c = chunks[i]
        while (
            i + 2 < len(chunks)
            and chunks[i + 2].startswith(("and ", "& "))
            and chunks[i + 1][:1].isupper()
            and len(chunks[i + 1].split()) <= 2
            and not _DIGIT_RE.search(chunks[i + 1] + chunks[i + 2])
        ):
            c = f"{c}, {chunks[i + 1]}, {chunks[i + 2]}"
            i += 2
        if i + 1 < len(chunks) and ": " in c and (k := _list_end(chunks, i)):
            c = ", ".join(chunks[i : k + 1])  # "Electronic Networking: Research, Applications and Policy"
            i = k
        out.append(c)
        i += 1
    return out


_INITIAL_RE = re.compile(r"\b[A-Z]\.|\b[A-Z]$")
_LIST_AND_RE = re.compile(r"(?:^|\s)(?:and|&|et|und|y)\s")


def _list_end(chunks: list[str], i: int) -> int:
    """Where a list of short items after chunk ``i`` (a name with a subtitle) closes with "and …"
    ("Research", "Applications and Policy"): the index of its last chunk, or 0 when the chunks after
    ``i`` are no such list (names with initials, places, publishers, numbers)."""
    for k in range(i + 1, min(i + 5, len(chunks))):
        item = chunks[k]
        if (len(item.split()) > 4 or not item[:1].isalpha() or _DIGIT_RE.search(item) or _INITIAL_RE.search(item)
                or is_place(item) or is_publisher(item) or is_region(item)):
            return 0
        if _LIST_AND_RE.search(item):
            return k
    return 0


def is_region(chunk: str) -> bool:
    """Whether ``chunk`` is a state, province or country that follows a city: ``CA``, ``Mass.``, ``Japan``."""
    c = chunk.strip(" .").lower()
    return c in _US_STATES or c in _COUNTRIES


def _join_places(chunks: list[str]) -> list[str]:
    """Re-join "San Jose", "CA" and "Tokyo", "Japan" into one place chunk."""
    out: list[str] = []
    for c in chunks:
        if out and is_region(c) and _CITY_RE.match(out[-1]) and not is_publisher(out[-1]) and (
            not is_region(out[-1]) or out[-1].lower() in _PLACES  # "New York, NY", "Washington, D. C."
        ):
            out[-1] = f"{out[-1]}, {c}"
        elif (out and c.strip(" .").lower() in _COUNTRIES and out[-1].count(", ") == 1 and _city_region(out[-1])
              and c.strip(" .").lower() not in _US_STATES):
            out[-1] = f"{out[-1]}, {c}"  # "Upper Saddle River, New Jersey, USA", "New York, NY, USA"
        else:
            out.append(c)
    return out


_MEETING_RE = re.compile(r"\b(?:Proc\.|Conf\.|(?:Proceedings|Conference|Workshop|Symposium|Congress|Meeting)\b)")
# "… Artificial Intelligence Pisa", "… (IJCAI-91) Sydney": a city closing a meeting's name.
_CITY_AT_END_RE = re.compile(r"(?<=[\w)])\s+(?P<city>[A-Z][\w'’\-]+(?:/[A-Z][\w'’\-]+)?)$")
_OF_BEFORE_RE = re.compile(r"\b(?:of|in|for|on|and|the|at)$")
# Words that close the subject of a meeting's name rather than name a city.
_SUBJECT_WORDS = frozenset(
    """
    conference workshop symposium congress meeting proceedings colloquium intelligence learning programming systems
    system science sciences computing computation engineering logic logics databases database design processing
    networks networking vision recognition theory applications research technology technologies mathematics
    linguistics semantics analysis control robotics automation graphics architecture architectures languages
    language software hardware retrieval mining agents modeling modelling simulation optimization statistics
    physics chemistry biology medicine psychology education management economics society association interaction
    communication communications informatics security verification reasoning representation knowledge data
    """.split()
)


def _place_out_of_meeting(chunks: list[str]) -> None:
    """Move a place that closes a meeting's name into the place chunk after it (in place):
    "Proceedings … Intelligence Pisa", "Italy" → "Proceedings … Intelligence", "Pisa, Italy";
    "Proceedings … Multi-Agent Worlds Germany" → "Proceedings … Multi-Agent Worlds", "Germany"."""
    head = chunks[0]
    if len(chunks) > 1 and is_region(chunks[1]):
        m = _CITY_AT_END_RE.search(head)
        if (m and m.group("city").lower() not in _SUBJECT_WORDS and len(head[: m.start()].split()) >= 3
                and not _OF_BEFORE_RE.search(head, 0, m.start()) and head[m.start() - 1] != "."):
            chunks[0:2] = [head[: m.start()], f"{m.group('city')}, {chunks[1]}"]
        return
    parts = head.rsplit(None, 1)
    if (len(parts) == 2 and parts[1].lower() in _COUNTRIES and parts[1][:1].isupper()
            and len(parts[0].split()) >= 3 and not _OF_BEFORE_RE.search(parts[0])
            and not parts[0].endswith(".")):  # "Proc. Natl. Acad. Sci. USA" is a journal's name
        chunks[0:1] = [parts[0], parts[1]]


_PLACE_PREP_RE = re.compile(r"(?:\b(?:de|of|du|di|des|della|del|in|at|for|und|and)|[&'’])$", re.IGNORECASE)


def _split_publisher_place(chunks: list[str]) -> list[str]:
    """Split a place that closes a publisher's chunk without a comma: "Prentice Hall PTR New Jersey",
    "Springer-Verlag Berlin", "Westview Press Boulder" (not "Presses de l'Université de Montréal")."""
    out: list[str] = []
    for c in chunks:
        words = c.split()
        for k in (3, 2, 1):
            if len(words) <= k:
                continue
            tail = " ".join(words[-k:])
            low = tail.lower()
            if (low in _PLACES or (low in _US_STATES and len(low) > 4)) and tail[0].isupper():
                head = " ".join(words[:-k])
                if is_publisher(head) and not _PLACE_PREP_RE.search(head):
                    out += [head, tail]
                    break
        else:
            out.append(c)
    return out


def _read_chunks(text: str, out: Rest, *, allow_container: bool) -> None:
    # (a chunk without letters or digits has none after stripping either)
    chunks = [_strip_chunk(c) for c in split_chunks(text) if _ALNUM_RE.search(c)]
    if "Press" in text or "Verlag" in text or "Springer" in text or "Hall" in text or "Publish" in text:
        chunks = _split_publisher_place(chunks)
    if len(chunks) > 1:
        chunks = _join_places(_join_series(chunks))
    if allow_container and not out.container and chunks and _MEETING_RE.search(chunks[0]):
        _place_out_of_meeting(chunks)
    serial = bool(out.volume or out.issue)
    after_publisher = False
    numbers_seen = 0
    container_at = -1 if not out.container else -2
    issuer: list[str] = []
    issuer_open = False
    for i, chunk in enumerate(chunks):
        low_chunk = chunk.lower()
        m_shape = _CHUNK_SHAPE_RE.match(chunk)
        shape = m_shape.lastgroup if m_shape else None
        if _may_mark_report(low_chunk) and (m := _REPORT_MARK_RE.search(chunk)):
            # "Center for X Technical Report 12": the body before the marker issued the report.
            out.report = issuer_open = True
            head = chunk[: m.start()].strip()
            if head and not out.publisher and _INSTITUTION_RE.search(head):
                issuer.append(head)
            continue
        if shape == "pending":
            out.report = True
            continue
        if out.report and not out.publisher and issuer_open and _INSTITUTION_RE.search(chunk) and not is_place(chunk):
            issuer.append(chunk)  # "Computer Science Department, Princeton University"
            continue
        issuer_open = issuer_open and not issuer
        if shape == "noise":
            continue
        if m_shape and shape == "range":
            if not out.pages:
                out.pages = _clean_pages(m_shape.group("range"))
            continue
        if m_shape and shape == "vol_pages" and not out.volume:
            out.volume = m_shape.group("vp_v")  # "Parallel Computing, 7 387-393"
            out.pages = out.pages or _clean_pages(m_shape.group("vp_p"))
            continue
        if m_shape and shape == "number":
            number = m_shape.group("number")
            numbers_seen += 1
            if not out.volume and out.container and container_at == i - 1:
                out.volume = number  # "Artificial Intelligence, 32, 1987"
                continue
            if not out.volume and out.container and not out.pages and (i < len(chunks) - 1 or numbers_seen == 1):
                if i < len(chunks) - 1 or not out.date:
                    out.volume = number
                    continue
            if not out.pages:
                out.pages = number
            continue
        first = allow_container and not out.container and i == 0 and not low_chunk.startswith(("see ", "cited "))
        m_tv = None
        if first and not out.volume and (chunk[-1].isdecimal() or chunk[-1] == ")"):  # ("Journal 12", "… 12(3)")
            m_tv = _TRAILING_VOL_RE.match(chunk)
        if out.publisher and after_publisher and low_chunk.rstrip(".") in ("inc", "ltd", "co", "llc", "gmbh"):
            out.publisher = f"{out.publisher}, {chunk}"  # "John Wiley and Sons, Inc."
            continue
        if not out.publisher and is_publisher(chunk) and not (first and (
            len(out.date or "") == 10 or _serial_here(chunks, i, out, serial or bool(m_tv))
        )):
            out.publisher = strip_punct(chunk)
            after_publisher = True
            continue
        if not out.place and (is_place(chunk) or (after_publisher and _PLACE_WORDS_RE.match(chunk)
                                                  and len(chunk) < 40)):
            out.place = strip_punct(chunk)
            continue
        if first:
            container_at = i
            if m_tv:
                out.container, out.volume = strip_punct(m_tv.group("c")), m_tv.group("v") or m_tv.group("rv")
                issue = m_tv.group("i") or m_tv.group("i2") or m_tv.group("ri")
                if issue and not out.issue:
                    out.issue = issue
                if m_tv.group("p") and not out.pages:
                    out.pages = _clean_pages(m_tv.group("p"))
            else:
                out.container = chunk if abbreviated_name(chunk) else strip_punct(chunk)
            continue
        out.notes.append(chunk)
    if issuer and not out.publisher:
        out.publisher = ", ".join(issuer)


# Separators: a run of commas, semicolons, brackets and masks; a period and space; a spaced colon.
# The pattern opens with the class of their first characters, which lets the scan skip quickly.
_CHUNK_SEP_RE = re.compile(r"[,;()\x00. ](?:(?<=[,;()\x00])[,;()\x00]*|(?<=\.)\s+|(?<= ):\s+)")
# "(IJCAI-91)", "(ASPLOS-VI)", "(PODS)": an acronym in brackets belongs to the name before it.
_ACRONYM_PAREN_RE = re.compile(r"\s(?<=\w\s)\(([A-Z][A-Za-z]*[A-Z][\w'’\- ]{0,12})\)")
# Words that end a journal or proceedings abbreviation rather than a sentence: "Proc.", "Trans.", "Math.".
_ABBREV_WORD_RE = re.compile(r"(?:^|[\s\-])([A-Z][a-z]{0,5}(?:'[a-z])?)\.$")
_PLACE_SPLIT_RE = re.compile(r"\s*[/&]\s*|\s+and\s+")
_ABBREV_WORD_ONLY_RE = re.compile(r"[A-Z][a-z]{0,5}\.")
_ABBREV_INSIDE_RE = re.compile(r"\b[A-Z][a-z]{0,5}\.\s")


def abbreviated_name(name: str) -> bool:
    """Whether ``name`` is a name of abbreviations ending in one: "ACM Trans. Math. Softw.", "J. Symb. Log."."""
    if len(name) > 150 or not name.endswith("."):
        return False
    parts = name.rsplit(None, 1)
    return (len(parts) == 2 and bool(_ABBREV_WORD_ONLY_RE.fullmatch(parts[1]))
            and bool(_ABBREV_INSIDE_RE.search(parts[0] + " ")))


_DC_RE = re.compile(r"D\.\s?C\.$")
_STATE_END_RE = re.compile(
    r"[a-z],\s(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|"
    r"NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY)\.$"
)
_PERIOD_SPACE_RE = re.compile(r"\.\s")
_FULL_WORDS = frozenset(
    "Press Books House Group Paper Report Thesis Series Sons Verlag Ltd Inc Co Draft Print Web".split()
)


def _protect_acronym(m: re.Match[str]) -> str:
    return f" \x01{m.group(1)}\x02"  # brackets that split_chunks does not split at


def split_chunks(text: str) -> list[str]:
    """Split at commas, semicolons, brackets, masks, spaced colons and sentence ends.

    A period after an abbreviation does not split (``Ch.``, ``J.``, ``Proc.``,
    ``IEEE Trans. Math. Softw.``), nor do the brackets of an acronym that
    follows a name (``Proceedings … (IJCAI-91)``).
    """
    if "(" in text:
        text = _ACRONYM_PAREN_RE.sub(_protect_acronym, text)
    if not _PERIOD_SPACE_RE.search(text):
        out = _CHUNK_SEP_RE.split(text)  # no sentence end to judge: split at C speed
        if "\x01" in text:
            out = [c.replace("\x01", "(").replace("\x02", ")") for c in out]
        return out
    out = []
    start = 0
    for m in _CHUNK_SEP_RE.finditer(text):
        sep = m.group(0)
        if sep[0] == ".":
            # A sentence end: the period stays with the chunk it closes.
            before = text[max(0, m.start() - 23) : m.start() + 1]
            # "San Jose, CA. AAAI Press", "Washington, D. C. MIT Press": a state closes the place.
            state = _DC_RE.search(before) or _STATE_END_RE.search(before)
            if ends_with_abbreviation(before) and not state:
                continue
            if m.end() < len(text) and text[m.end()].islower():
                continue  # ". of the …": an abbreviation; sentences start with a capital
            if state is None:
                ab = _ABBREV_WORD_RE.search(before)
                if ab and ab.group(1) not in _FULL_WORDS and not is_place(ab.group(1)):
                    continue
        out.append(text[start : m.start() + 1 if sep[0] == "." else m.start()])
        start = m.end()
    out.append(text[start:])
    if "\x01" in text:
        out = [c.replace("\x01", "(").replace("\x02", ")") for c in out]
    return out


def _serial_here(chunks: list[str], i: int, out: Rest, serial: bool) -> bool:
    """Whether the container that chunk ``i`` would be is a serial's (so not a publisher)."""
    nxt = chunks[i + 1] if i + 1 < len(chunks) else ""
    return serial or out.container_in or _looks_like_serial(chunks[i]) or bool(_NUMBER_RE.match(nxt))


def _looks_like_serial(chunk: str) -> bool:
    return bool(_SERIAL_RE.search(chunk))
