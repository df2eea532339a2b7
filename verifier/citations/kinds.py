"""Deciding what sort of work a parsed citation points to (``Kind``), and the word lists behind it.

The decision reads the parsed fields first and the wording second, in this order:
ibid → interview → short form → official document → chapter → report → news →
article → book → web page. A journal with a volume is an article even when it
is called "Daily"; a newspaper or agency with a day date is news; a shortened
note is a title and family names with no container, date, publisher or URL.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from verifier.model import Fields, Kind

# Widely known newspapers, agencies, broadcasters and news sites (lower-case, as prefixes). None may come from a
# test document: an unknown outlet is recognised by its words (_NEWS_WORDS_RE) and a day date instead.
NEWS_OUTLETS = (
    "itar-tass", "ria ", "izvestia", "izvestiya", "rfe/rl", "radio svoboda", "bbc", "reuters", "associated press",
    "agence france", "afp", "xinhua", "new york times", "washington post", "wall street journal", "financial times",
    "guardian", "the times", "times of", "the independent", "daily telegraph", "the economist", "los angeles times",
    "novaya gazeta", "komsomolskaya", "rossiyskaya gazeta", "rossiiskaia gazeta", "moscow times", "vedomosti",
    "asia plus", "eurasianet", "fergana", "regnum", "vzglyad", "segodnya", "lenta.ru", "gazeta.ru", "sputnik",
    "rt ", "al jazeera", "cnn", "npr", "people’s daily", "people's daily", "usa today", "le monde", "der spiegel",
    "die zeit", "frankfurter allgemeine", "china daily", "dawn", "times of india", "hindustan times",
)
# Words that make an unknown container a news outlet when the date is a day.
_NEWS_WORDS_RE = re.compile(
    r"\b(?:news|times|post|gazette|gazeta|daily|herald|tribune|radio|tv|t\.v\.|television|broadcast|programme|"
    r"agency|wire|press digest|newspaper|izvestia|pravda|online)\b",
    re.IGNORECASE,
)
_DOCUMENT_RE = re.compile(
    r"\b(?:statement|decree|ukaz|treaty|resolution|declaration|communiqu[eé]|memorandum|protocol|"
    r"convention|constitution|law of|federal law|order of|directive|fbis|daily report|white paper|"
    r"speech|address by|press release|press conference|transcript|minutes|hearing|testimony|"
    r"charter|accord|joint statement|note verbale|cable)\b",
    re.IGNORECASE,
)
_INTERVIEW_RE = re.compile(
    r"^\W*(?:(?:an?|the|author['’]s|personal|telephone|phone|skype|e-?mail|private|informal)\s+)*interview\b|"
    r"\binterviewed\b|\(interview (?:of|with)\b|\binterview (?:with|by|of)\b|\bpersonal communication\b|"
    r"\b(?:entrevista|intervista|entretien)\b",  # (Spanish, Portuguese, Italian, French)
    re.IGNORECASE,
)
_DOCUMENT_START_RE = re.compile(
    r"^(?:the\s+)?(?:[\w.]+\s+){0,2}(?:statement|decree|ukaz|treaty|resolution|declaration|communiqu[eé]|"
    r"memorandum|protocol|convention|constitution|law|order|directive|agreement|charter|accord)\b",
    re.IGNORECASE,
)
def is_document_name(text: str) -> bool:
    """Whether ``text`` is the name of an official document itself ("Decree of the President …", "Treaty on
    …"), not of a publication that prints documents ("FBIS Daily Report")."""
    return bool(_DOCUMENT_START_RE.match(text))


_JOURNAL_RE = re.compile(
    r"\b(?:journal|review|studies|quarterly|survey|bulletin|annals|transactions|letters|proceedings|proc\.|"
    r"trans\.|j\.|magazine|digest|affairs|analysis|monitor|yearbook|year book|archives?|revue|zeitschrift|"
    r"rivista|acta|research|science|sciences|economics|politics|history)\b",
    re.IGNORECASE,
)
_FBIS_RE = re.compile(r"\bfbis\b|daily report", re.IGNORECASE)


class Hints(NamedTuple):
    """What the wording of a citation says beyond its fields."""

    head: str = ""
    """The text before the title (author block or lead-in), where "Statement of …" shows."""
    container_in: bool = False
    """The container was introduced by "in" / "In:" (a chapter or proceedings)."""
    report: bool = False
    """A report marker outside the title ("Discussion Paper", "Technical report", "thesis")."""
    interview: bool = False
    short_marker: bool = False
    """"op. cit." or similar."""
    full_text: str = ""
    """The citation's text when it mentions an interview (only then is it needed)."""


_OUTLET_INSIDE_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(o) for o in sorted(NEWS_OUTLETS, key=len, reverse=True) if len(o) > 5) + ")"
)


@lru_cache(maxsize=4096)
def is_news_outlet(name: str) -> bool:
    """Whether ``name`` is a newspaper, agency or broadcaster known to the parser (cached: a
    document cites the same few containers again and again)."""
    low = name.strip(" *“”\"").lower()
    return low.startswith(NEWS_OUTLETS) or bool(_OUTLET_INSIDE_RE.search(low))


@lru_cache(maxsize=4096)
def looks_like_journal(name: str) -> bool:
    """Whether a container's name reads like a journal's (Journal, Review, Studies, Survey …)."""
    return bool(_JOURNAL_RE.search(name))


@lru_cache(maxsize=4096)
def _names_document(text: str) -> bool:
    """Whether ``text`` (an author block or a container) names an official document ("Statement", "Decree")."""
    return bool(_DOCUMENT_RE.search(text))


@lru_cache(maxsize=4096)
def _fbis(container: str) -> bool:
    return bool(_FBIS_RE.search(container))


def _day_date(date: str | None) -> bool:
    return bool(date) and len(date or "") == 10


def _family_only(fields: Fields) -> bool:
    return bool(fields.authors) and all(p.literal or not p.given for p in fields.authors)


def mentions_interview(text: str) -> bool:
    """A cheap test before ``_INTERVIEW_RE``: "interview", "entrevista", "intervista", "entretien"."""
    return "nterview" in text or "ntrevist" in text or "ntervist" in text or "ntretien" in text


def classify(fields: Fields, hints: Hints) -> Kind:
    """The kind of work these fields describe (see the module docstring for the order)."""
    f = fields
    container = f.container or ""
    if hints.interview or (
        (mentions_interview(hints.head) or mentions_interview(hints.full_text[:120]) or "communication" in hints.head)
        and (_INTERVIEW_RE.search(hints.head) or _INTERVIEW_RE.search(hints.full_text[:120]))
    ):
        return Kind.INTERVIEW
    if hints.short_marker or (
        f.title
        and not (f.container or f.date or f.publisher or f.place or f.url or f.issue or f.doi or f.editors)
        and (not f.volume or f.pages)  # ("Storia di Roma, II, p. 4": a short form may name the volume it cites)
        and (_family_only(f) or not f.authors)
        and not hints.container_in
    ) or (
        f.authors and (f.pages or f.volume) and _family_only(f)
        and not (f.title or f.container or f.date or f.publisher or f.place or f.url or f.doi or f.editors)
    ):
        return Kind.SHORT  # ("Lindqvist, 302.": an author's name and a page, the short form of a cited work)
    if (hints.head and _names_document(hints.head)) or (container and _fbis(container)):
        return Kind.DOCUMENT
    if not f.authors and not container and f.title and _DOCUMENT_START_RE.match(f.title):
        return Kind.DOCUMENT  # "MFA Statement, 30 May 1993", "Decree of the President …", "Treaty on …"
    if not f.title and not f.authors and _names_document(container):
        return Kind.DOCUMENT
    if hints.container_in and (f.editors or f.publisher or f.place) and container and not looks_like_journal(container):
        return Kind.CHAPTER
    if hints.report:
        return Kind.REPORT
    if container and is_news_outlet(container):
        return Kind.NEWS
    if container and (f.volume or f.issue):
        return Kind.ARTICLE
    if container and _day_date(f.date) and (_NEWS_WORDS_RE.search(container) or f.url or not f.pages):
        return Kind.NEWS
    if hints.container_in and container:
        return Kind.CHAPTER if (f.editors or f.publisher) else Kind.ARTICLE
    if container and (looks_like_journal(container) or f.pages):
        return Kind.ARTICLE
    if (f.publisher or f.place or f.isbn) and not container:
        return Kind.BOOK
    if f.url and not container:
        return Kind.WEB
    if container:
        return Kind.WEB if f.url else Kind.ARTICLE
    if f.title and (f.date or f.authors):
        return Kind.BOOK
    return Kind.UNKNOWN
