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

from . import dates
from .names import has_editor_marker, leading_names, parse_names, strip_editor_marker
from .text import ALL_QUOTES, clean, ends_with_abbreviation, quoted_spans, strip_punct, unquote

MASK = "\x00"

_PLACES = frozenset(
    """
    new york|london|oxford|cambridge|paris|berlin|moscow|boston|chicago|washington|washington dc|washington d.c.|
    princeton|new haven|berkeley|los angeles|san francisco|stanford|philadelphia|baltimore|ithaca|toronto|
    montreal|amsterdam|leiden|heidelberg|munich|münchen|frankfurt|hamburg|vienna|wien|zurich|zürich|geneva|
    rome|roma|milan|milano|madrid|barcelona|lisbon|lisboa|rio de janeiro|são paulo|sao paulo|buenos aires|
    mexico|tokyo|beijing|shanghai|delhi|new delhi|mumbai|bombay|calcutta|kolkata|karachi|islamabad|lahore|
    dhaka|singapore|sydney|melbourne|tehran|kabul|dushanbe|tashkent|almaty|alma-ata|bishkek|ashgabat|astana|
    baku|tbilisi|yerevan|kyiv|kiev|minsk|st. petersburg|saint petersburg|st petersburg|helsinki|stockholm|
    oslo|copenhagen|brussels|prague|warsaw|budapest|bucharest|istanbul|ankara|cairo|jerusalem|tel aviv|
    nairobi|cape town|johannesburg|edinburgh|glasgow|manchester|dublin|leipzig|göttingen|stuttgart|bonn|
    cologne|köln|lyon|rennes|alessandria|bologna|florence|firenze|turin|torino|naples|hillsdale|mahwah|
    thousand oaks|newbury park|beverly hills|englewood cliffs|upper saddle river|reading|menlo park|
    redwood city|amherst|ann arbor|minneapolis|madison|austin|houston|atlanta|seattle|pittsburgh|durham|
    chapel hill|bloomington|urbana|champaign|evanston|lincoln|columbus|cleveland|detroit|denver|boulder|
    portland|san diego|santa barbara|santa monica|pasadena|newark|hoboken|norwood|westport|greenwich|armonk|
    basingstoke|abingdon|aldershot|farnham|chichester|harlow|harmondsworth|cheltenham|houndmills|dordrecht|
    basel|bern|wiesbaden|tübingen|freiburg|mainz|lausanne|louvain|leuven|ghent|rotterdam|utrecht|the hague|
    groningen|uppsala|lund|aarhus|bergen|kraków|krakow|riga|tallinn|vilnius|sofia|belgrade|zagreb|athens|
    seoul|taipei|hong kong|bangkok|jakarta|manila|kuala lumpur|canberra|auckland|wellington|ottawa|vancouver|
    montréal|québec|quebec|bishkek|osh|khujand|samarkand|bukhara|kazan|novosibirsk|yekaterinburg|
    england|usa|u.s.a.|uk|u.k.|united states|united kingdom|canada|germany|france|italy|spain|russia|india|
    china|japan|netherlands|switzerland|australia|brazil|tajikistan|pakistan|iran|uzbekistan|kazakhstan|
    kyrgyzstan|afghanistan|turkey|israel|egypt|poland|sweden|norway|denmark|finland|austria|belgium|scotland
    """.replace("\n", "").split("|")
) - {""}
_PUBLISHER_RE = re.compile(
    r"\b(?:press|publishers?|publishing|publications?|verlag|books|editions?|éditions|edições|editora|"
    r"editorial|editore|editori|edizioni|ediciones|co\.|inc\.?|ltd\.?|limited|sons|wiley|springer|elsevier|"
    r"routledge|norton|sage|penguin|macmillan|palgrave|mcgraw-hill|prentice|addison-wesley|kluwer|pergamon|"
    r"blackwell|brill|gallimard|seuil|flammarion|hachette|harper|harpercollins|random house|knopf|doubleday|"
    r"vintage|academic|university|universit[äéà]t?|universidad|universidade|ACM|IEEE|MIT|clarendon|heinemann|"
    r"longman|methuen|unwin|verso|zed|hurst|tauris|ashgate|lexington|rowman|littlefield|westview|praeger|"
    r"greenwood|curzon|nauka|izdatel|izd\.|har-anand|lancers|gyan|konark|anamika|riia|brookings|rand|"
    r"carnegie|chatham house|erlbaum|morgan kaufmann|o'reilly|dover|aeroplano|pur)(?!\w)",
    re.IGNORECASE,
)
_REPORT_CHUNK_RE = re.compile(
    r"^(?:technical report|tech\.? rep(?:ort)?\.?|working paper|discussion paper|policy brief|occasional paper|"
    r"research report|report|\(?unpublished (?:doctoral )?(?:dissertation|thesis|manuscript)\)?|"
    r"(?:ph\.? ?d\.?|doctoral|master'?s|msc|ma|ba) (?:thesis|dissertation)|thesis|dissertation|"
    r"poster session.*|paper presented.*)(?:\s+no\.?\s*\S+)?$",
    re.IGNORECASE,
)
_NOISE_CHUNK_RE = re.compile(
    r"^(?:print|web|online|\[online\]|\[electronic resource\]|cd-rom|n\.p|n\.d|s\.l|s\.n|"
    r"\d+(?:st|nd|rd|th)?\.? (?:ed|edn|edition|rev\. ed|aufl)\.?|(?:rev\.|revised|new|2nd|3rd) ed(?:ition)?\.?|"
    r"ed\.? \d{4}|\(in [a-z]+\)|in [a-z]+|sec\. ?\w+|section \w+|\d+ vols?\.?)$",
    re.IGNORECASE,
)

_IN_RE = re.compile(r"^[\s,.;:]*(?:in|In|IN)\s*:?\s+(?=\S)")
_EDS_PREFIX_RE = re.compile(
    r"^(?P<eds>[^\"“«*()]{2,160}?)\s*(?:\((?:eds?|hrsg|dir|coord|comp)\.?\)|,?\s+(?:eds?|editors?)\.?(?=[\s,:]))[.,:]?\s*",
    re.IGNORECASE,
)
_ED_BY_RE = re.compile(r"^[\s,]*(?:ed(?:ited)?\.?\s+by|eds?\.)\s+", re.IGNORECASE)

_PAGES_RE = re.compile(
    r"(?<![\w])(?:pp?|pgs?|pages?|S)\.?\s*(?P<p>[A-Za-z]?\d+[a-z]?(?:\s*(?:[-–—‐]+|to)\s*[A-Za-z]?\d+[a-z]?)?"
    r"(?:\s*,\s*\d+(?:\s*[-–—]\s*\d+)?)*)(?:\s*ff?\.)?"
)
_COLON_PAGES_RE = re.compile(r"(?<=[\w)])\s*:\s*(?P<p>[A-Z]?\d+(?:\s*[-–—‐]+\s*[A-Z]?\d+)?)(?![\w/:]|\.\d)")
_VOL_ISSUE_RE = re.compile(
    r"(?<![\w/.-])(?P<v>\d{1,4})\s*\((?P<i>[\w]{1,6}(?:\s*[-/–]\s*\w{1,6})?)\)"
)
_VOL_RE = re.compile(
    r"(?<![\w])(?:vol(?:ume)?s?|bd|jg|tome)\.?\s*(?P<v>\d+|[IVXLCivxlc]+\b)(?:\s*\((?P<i>\d+(?:[-/]\d+)?)\))?"
    r"|(?<![\w])v\.\s*(?P<v2>\d+)",
    re.IGNORECASE,
)
_ISSUE_RE = re.compile(
    r"(?<![\w])(?:nos?|nr|n[°º]|heft|issue|iss|#)\.?\s*(?P<i>\d+(?:\s*[-/–]\s*\d+)?)(?![\d-])",
    re.IGNORECASE,
)
_RANGE_RE = re.compile(r"^(?P<p>[A-Z]?\d+[a-z]?\s*[-–—‐]+\s*[A-Z]?\d+[a-z]?)$")
_NUMBER_RE = re.compile(r"^(?P<n>\d{1,5}|[IVXLC]{1,6})$")
_TRAILING_VOL_RE = re.compile(r"^(?P<c>.*?[^\d\s,.(])\s+(?P<v>\d{1,4})(?:\s*\((?P<i>[\w/–-]+)\))?$")
_PLACE_WORDS_RE = re.compile(
    r"^(?:[A-ZÀ-Ý][\w.'’\-]*|upon|am|an|de|del|do|da|sur|on|the|of|la|le|&|and)(?:\s+(?:[A-ZÀ-Ý][\w.'’\-]*|upon|am|an|"
    r"de|del|do|da|sur|on|the|of|la|le|&|and)){0,4}(?:,\s*(?:[A-Z]{2}|[A-Z]\.\s?[A-Z]\.|[A-Z][a-z]+\.?))?$"
)


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
    editors: tuple = ()
    container_in: bool = False
    report: bool = False
    notes: list[str] = field(default_factory=list)
    """Chunks nobody claimed (kept for kind hints)."""


def _clean_pages(p: str) -> str:
    p = re.sub(r"\s*(?:[-–—‐]+|to)\s*", "–" if "–" in p else "-", p.strip())
    return re.sub(r"\s*,\s*", ", ", p)


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + MASK * (end - start) + text[end:]


def is_place(chunk: str) -> bool:
    """Whether ``chunk`` names a place: in the gazetteer, or ``City, ST``."""
    c = chunk.strip(" ()[].,").lower()
    if c in _PLACES:
        return True
    first = c.split(",")[0].strip()
    if first in _PLACES:
        return True
    return bool(re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?, (?:[A-Z]{2}|[A-Z]\.\s?[A-Z]\.)", chunk.strip(" ()")))


def is_publisher(chunk: str) -> bool:
    """Whether ``chunk`` reads like a publisher's name ("… Press", "… Publications", "Routledge")."""
    return bool(_PUBLISHER_RE.search(chunk)) and len(chunk) < 90


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
    for m in re.finditer(r"\s?:\s", text):
        left_end = m.start()
        bounds = [text.rfind(sep, 0, left_end) for sep in ("(", MASK, ". ", ";")]
        comma = text.rfind(", ", 0, left_end)
        start = max(bounds) + 1
        left = text[start:left_end].strip(" ").lstrip(".")
        # Allow one comma inside the place ("Cambridge, MA", "Washington, D.C.").
        if comma >= start and not re.fullmatch(r"[^,]+,\s*(?:[A-Z]{2}|[A-Z]\.\s?[A-Z]\.|[A-Z][a-z]+\.?)", left):
            prev_comma = text.rfind(", ", 0, comma)
            candidate = text[max(prev_comma + 2, start) : left_end].strip(" ").lstrip(".")
            if re.fullmatch(r"[^,]+,\s*(?:[A-Z]{2}|[A-Z]\.\s?[A-Z]\.)", candidate):
                left, start = candidate, max(prev_comma + 2, start)
            else:
                left, start = text[comma + 2 : left_end].strip(" ").lstrip("."), comma + 2
        right_m = re.match(r"\s*([^,;()\x00]+?)(?=\s*(?:[,;)\x00]|\.\s|\.?$))", text[m.end() :])
        if not right_m or not left:
            continue
        right = right_m.group(1).strip()
        end = m.end() + right_m.end()
        if not re.search(r"[^\W\d_]", right) or right[0].isdigit():
            continue
        if _PLACE_WORDS_RE.match(left) and not is_publisher(left):
            if is_place(right) and not is_publisher(right) and not is_place(left):
                continue
            return left, right, start, end
        if is_publisher(left) and _PLACE_WORDS_RE.match(right):
            # "Houghton, Mifflin & Co.: Boston" — the publisher's name may hold a comma.
            wide_start = max(text.rfind(sep, 0, start) for sep in ("(", MASK, ". ", ";")) + 1
            wide = text[wide_start:left_end].strip(" ,").lstrip(".")
            if wide != left and not re.search(r"\d", wide) and len(wide.split()) <= 6:
                left, start = wide, wide_start
            return right, left, start, end
    return None


def parse_rest(rest: str, *, allow_container: bool = True) -> Rest:
    """Read container, locators, date, publisher and place from the tail of a citation."""
    out = Rest()
    text = clean(rest).strip(" \"“”")
    # 1. A container introduced by "In" (a chapter or proceedings), or a quoted/italic one.
    m_in = _IN_RE.match(text)
    if m_in:
        out.container_in = True
        body = text[m_in.end() :]
        m_eds = _EDS_PREFIX_RE.match(body)
        if m_eds and leading_names(m_eds.group("eds").strip())[0] >= len(m_eds.group("eds").strip()) - 2:
            out.editors = parse_names(m_eds.group("eds"))
            body = body[m_eds.end() :]
        book, after = _take_span(body)
        if book is None:
            book, after = _container_head(body)
        out.container = book or None
        text = after
        m_by = _ED_BY_RE.match(text)
        if m_by and not out.editors:
            eds_text = re.split(r"\s*[(\x00]|,\s*(?=\d)|\.\s", text[m_by.end() :], maxsplit=1)[0]
            out.editors = parse_names(eds_text)
            text = text[m_by.end() + len(eds_text) :]
    elif allow_container:
        span, after = _take_span(text)
        if span is not None:
            out.container = span
            text = after
            # "*Quest for Security*", *Contemporary Central Asia*" — a second italic span after a stray quote
    text = text.replace("*", " ").replace("“", " ").replace("”", " ").replace('"', " ")

    # 2. Locators, each masked out once found.
    pp = _find_place_publisher(text)
    if pp:
        out.place, out.publisher = strip_punct(pp[0]), strip_punct(pp[1])
        text = _mask(text, pp[2], pp[3])
    for rx in (_PAGES_RE, _COLON_PAGES_RE):
        m = rx.search(text)
        if m and not out.pages:
            out.pages = _clean_pages(m.group("p"))
            text = _mask(text, m.start(), m.end())
    m = _VOL_RE.search(text)
    if m:
        out.volume = m.group("v") or m.group("v2")
        if m.group("i"):
            out.issue = m.group("i")
        text = _mask(text, m.start(), m.end())
    m = _ISSUE_RE.search(text)
    if m and not out.issue:
        out.issue = m.group("i").replace(" ", "")
        text = _mask(text, m.start(), m.end())
    found = dates.find_dates(text)
    if found:
        d = found[0]
        out.date = d.iso
        text = _mask(text, d.start, d.end)
    if not out.volume:
        for m in _VOL_ISSUE_RE.finditer(text):
            inner = m.group("i")
            if inner.rstrip(".").lower() in dates.MONTHS:
                continue
            out.volume, out.issue = m.group("v"), out.issue or inner
            text = _mask(text, m.start(), m.end())
            break

    # 3. The chunks that are left.
    _read_chunks(text, out, allow_container=allow_container and not out.container_in)
    return out


def _container_head(body: str) -> tuple[str | None, str]:
    """A book or proceedings title after "In", up to its first locator: ``(container, after)``."""
    m = re.search(
        r"\s\(|,\s*(?:ed(?:ited)?\.?\s+by|eds?\.|vol|pp?\.|pages|no\.|\d)|\.\s+(?=[A-Z][\w\s]*:)|\.\s+(?=\d)|"
        r",\s*(?=[^,]+:\s)|:\s*\d|\.\s*$|,\s*(?=(?:[A-Z][a-z]+\s?){1,3},\s*(?:\d|[A-Z]{2}\b))",
        body,
    )
    if not m:
        return strip_punct(body) or None, ""
    head = strip_punct(body[: m.start()])
    return head or None, body[m.start() :]


def _read_chunks(text: str, out: Rest, *, allow_container: bool) -> None:
    chunks = [c for c in (strip_punct(c, " .;:()[]") for c in split_chunks(text)) if c and re.search(r"[^\W_]", c)]
    serial = bool(out.volume or out.issue)
    after_publisher = False
    numbers_seen = 0
    for i, chunk in enumerate(chunks):
        low = chunk.lower()
        if _REPORT_CHUNK_RE.match(chunk):
            out.report = True
            continue
        if _NOISE_CHUNK_RE.match(chunk):
            continue
        if m := _RANGE_RE.match(chunk):
            if not out.pages:
                out.pages = _clean_pages(m.group("p"))
            continue
        if m := _NUMBER_RE.match(chunk):
            numbers_seen += 1
            if not out.volume and out.container and not out.pages and (i < len(chunks) - 1 or numbers_seen == 1):
                if i < len(chunks) - 1 or not out.date:
                    out.volume = m.group("n")
                    continue
            if not out.pages:
                out.pages = m.group("n")
            continue
        if is_publisher(chunk) and not out.publisher and (
            out.container or not allow_container or i > 0
            or not (serial or _looks_like_serial(chunk) or len(out.date or "") == 10)
        ):
            out.publisher = strip_punct(chunk)
            after_publisher = True
            continue
        if not out.place and (is_place(chunk) or (after_publisher and _PLACE_WORDS_RE.match(chunk)
                                                  and len(chunk) < 40)):
            out.place = strip_punct(chunk)
            continue
        if allow_container and not out.container and i == 0 and not low.startswith(("see ", "cited ")):
            m_tv = _TRAILING_VOL_RE.match(chunk)
            if m_tv and not out.volume:
                out.container, out.volume = strip_punct(m_tv.group("c")), m_tv.group("v")
                if m_tv.group("i") and not out.issue:
                    out.issue = m_tv.group("i")
            else:
                out.container = strip_punct(chunk)
            continue
        out.notes.append(chunk)


_CHUNK_SEP_RE = re.compile(r"[,;()\x00]|\s+:\s+|(?<=\.)\s+")


def split_chunks(text: str) -> list[str]:
    """Split at commas, semicolons, brackets, masks, spaced colons and sentence ends (not after ``Ch.``, ``J.``)."""
    out: list[str] = []
    start = 0
    for m in _CHUNK_SEP_RE.finditer(text):
        if m.group(0)[0].isspace() and m.group(0).strip() == "" and ends_with_abbreviation(text[: m.start()]):
            continue
        out.append(text[start : m.start()])
        start = m.end()
    out.append(text[start:])
    return out


def _looks_like_serial(chunk: str) -> bool:
    return bool(re.search(r"\b(?:journal|review|studies|quarterly|bulletin|proceedings|transactions)\b", chunk,
                          re.IGNORECASE))


def split_editors(text: str) -> tuple[tuple, bool]:
    """``(persons, True)`` when ``text`` is an editor list, else ``(persons, False)``."""
    return parse_names(strip_editor_marker(text)), has_editor_marker(text)
