"""Citations against registry records: what to look up, which record matches, where they disagree.

Pure: values in, values out. ``verifier.net.registries`` asks Crossref and
OpenAlex and turns their JSON into ``Record`` values; this module decides

- what to ask about (``queries``): one ``Query`` per scholarly *source* (article,
  chapter, book, report) from its best fields — a DOI look-up when it has a
  valid DOI, a search when it has a title of two words or more;
- which search result is the cited work (``best_match``): only one whose title
  is very close, whose first author's family name agrees and whose year is
  within one of the cited year; a weak candidate is no match;
- where a citation disagrees with the record of its DOI (``compare``): title,
  authors, year, container, volume, pages, tolerant of case, punctuation,
  subtitles, "et al.", abbreviated page ranges (``123-9``), journal
  abbreviations and a one-year online-first gap.

The rules (``verifier.rules.registry``) phrase what it finds as V001–V003.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from rapidfuzz import fuzz

from verifier.citations.identifiers import is_valid_doi
from verifier.model import Citation, Fields, Kind, Person, Source
from verifier.sources import is_full, norm, persons_compatible, title_similarity

SCHOLARLY = frozenset({Kind.ARTICLE, Kind.CHAPTER, Kind.BOOK, Kind.REPORT})
"""The kinds a registry can know. News, web pages, interviews and archival documents are never looked up."""

REGISTRY_NAMES = {"crossref": "Crossref", "openalex": "OpenAlex"}

TITLE_MATCH = 90.0
"""Search: the least title similarity (0–100, after normalising) for a candidate to count at all."""
TITLE_MATCH_ALONE = 95.0
"""Search: the least title similarity when the citation names no author or no year to confirm it."""
TITLE_DISAGREES = 80.0
"""DOI record: below this title similarity the citation's title disagrees with the record's (V002)."""

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_SUBTITLE = re.compile(r"\s*(?:[:?!.;]\s|\s[-–—]+\s)")
_NOT_AUTHORS = frozenset({"et al", "others", "and others", "et alii", "u a", "and colleagues"})
_CONTAINER_STOP = frozenset({"the", "of", "and", "for", "in", "on", "a", "an", "de", "la", "fur", "und"})
_NUMBER = re.compile(r"\d+")
_PAGE_PART = re.compile(r"[A-Za-z]*\d+[A-Za-z]*")


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class Record:
    """What a registry says about one work (from Crossref's or OpenAlex's JSON)."""

    registry: str
    doi: str | None = None
    title: str | None = None
    subtitle: str | None = None
    authors: tuple[Person, ...] = ()
    year: int | None = None
    """The year the registry gives first (Crossref's ``issued``, OpenAlex's ``publication_year``)."""
    years: tuple[int, ...] = ()
    """Every year the record gives (issued, print, online), ``year`` first."""
    containers: tuple[str, ...] = ()
    """Journal or book names, full and abbreviated."""
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    type: str | None = None

    @property
    def name(self) -> str:
        return REGISTRY_NAMES.get(self.registry, self.registry)

    @property
    def full_title(self) -> str:
        if self.subtitle and self.title and norm(self.subtitle) not in norm(self.title):
            return f"{self.title}: {self.subtitle}"
        return self.title or ""

    def to_json(self) -> dict[str, Any]:
        return {
            "registry": self.registry, "doi": self.doi, "title": self.title, "subtitle": self.subtitle,
            "authors": [p.to_json() for p in self.authors], "year": self.year, "years": list(self.years),
            "containers": list(self.containers), "volume": self.volume, "issue": self.issue, "pages": self.pages,
            "type": self.type,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Record:
        return cls(
            registry=str(data["registry"]), doi=data.get("doi"), title=data.get("title"),
            subtitle=data.get("subtitle"),
            authors=tuple(Person(p.get("family"), p.get("given"), p.get("literal")) for p in data.get("authors", [])),
            year=data.get("year"), years=tuple(data.get("years", ())), containers=tuple(data.get("containers", ())),
            volume=data.get("volume"), issue=data.get("issue"), pages=data.get("pages"), type=data.get("type"),
        )


@dataclass(frozen=True, slots=True)
class Query:
    """What is looked up for one source: its DOI, or its fields for a search."""

    source: str
    kind: Kind
    doi: str | None = None
    title: str | None = None
    authors: tuple[Person, ...] = ()
    year: int | None = None
    container: str | None = None
    volume: str | None = None
    pages: str | None = None
    raw: str = ""
    """The citation as written (its first full citation, links and DOIs removed)."""

    @property
    def text(self) -> str:
        """The citation as one bibliographic string (Crossref's ``query.bibliographic``): as written when
        known — the registry's own parser reads it, whatever ours made of it — else from the fields."""
        if self.raw:
            return self.raw
        people = ", ".join(p.family or p.literal or "" for p in self.authors[:3] if p.family or p.literal)
        parts = [people, self.title, self.container, str(self.year) if self.year else None, self.volume, self.pages]
        return " ".join(p for p in parts if p)


class Outcome(StrEnum):
    """What one registry answered about one source."""

    FOUND = "found"
    """The DOI's record, or a search result that matches the citation."""
    UNKNOWN = "unknown"
    """The registry answered that it does not know the DOI (404)."""
    ELSEWHERE = "elsewhere"
    """The DOI exists but is registered with another agency (DataCite, mEDRA…): this registry has no record."""
    NO_MATCH = "no-match"
    """A search answered, but no result matches the citation closely enough."""
    FAILED = "failed"
    """The registry could not be asked: an error, a timeout, or 429 after retries. Never a verdict."""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Answer:
    """One registry's answer about one source. For ``NO_MATCH``, ``record`` is the closest weak candidate."""

    registry: str
    outcome: Outcome
    record: Record | None = None
    error: str | None = None

    @property
    def name(self) -> str:
        return REGISTRY_NAMES.get(self.registry, self.registry)

    def to_cache(self) -> dict[str, Any]:
        return {"registry": self.registry, "outcome": self.outcome.value, "error": self.error,
                "record": self.record.to_json() if self.record else None}

    @classmethod
    def from_cache(cls, data: Mapping[str, Any]) -> Answer:
        record = data.get("record")
        return cls(str(data["registry"]), Outcome(data["outcome"]), Record.from_json(record) if record else None,
                   data.get("error"))


@dataclass(frozen=True, slots=True)
class Lookup:
    """Everything the registries said about one source, in the order they were asked."""

    query: Query
    answers: tuple[Answer, ...] = ()
    alternative: Record | None = None
    """For a DOI no registry knows: the record a search by the citation's fields matched (the DOI to cite)."""

    @property
    def record(self) -> Record | None:
        """The record of the cited DOI, or the search result that matched."""
        return next((a.record for a in self.answers if a.outcome is Outcome.FOUND), None)

    @property
    def found_by(self) -> str | None:
        return next((a.registry for a in self.answers if a.outcome is Outcome.FOUND), None)

    @property
    def found_doi(self) -> str | None:
        """A DOI found by search for a source that cited none."""
        record = self.record
        return record.doi if self.query.doi is None and record is not None and record.doi else None

    @property
    def unknown_everywhere(self) -> bool:
        """Every registry asked answered that the DOI does not exist (an error or 429 never counts)."""
        return bool(self.answers) and all(a.outcome is Outcome.UNKNOWN for a in self.answers)

    @property
    def unmatched_everywhere(self) -> bool:
        """Every registry asked searched and found nothing that matches (an error never counts)."""
        return bool(self.answers) and all(a.outcome is Outcome.NO_MATCH for a in self.answers)

    @property
    def closest(self) -> Record | None:
        """The best of the weak candidates, to show the user."""
        return next((a.record for a in self.answers if a.outcome is Outcome.NO_MATCH and a.record), None)


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One field on which a citation and a record disagree."""

    field: str
    cited: str
    record: str


# --------------------------------------------------------------------------- queries


def normalise_doi(doi: str | None) -> str | None:
    """The bare DOI, lower-cased (DOIs are case-insensitive), or None when it is not a valid DOI."""
    if not doi:
        return None
    bare = _DOI_PREFIX.sub("", doi.strip()).rstrip(".,;")
    return bare.lower() if is_valid_doi(bare) else None


def year_of(date: str | None) -> int | None:
    if date and len(date) >= 4 and date[:4].isdigit():
        return int(date[:4])
    return None


def real_authors(authors: Iterable[Person]) -> list[Person]:
    """The authors without "et al." and the like, and without stray initials (``G.`` alone is a parse's debris,
    not a person to compare)."""
    return [p for p in authors if not (p.literal and norm(p.literal) in _NOT_AUTHORS) and (p.family or p.literal)
            and any(len(t) > 1 for t in norm(p.family or p.literal).split())]


_LINK = re.compile(r"(?:https?://|www\.)\S+|\bdoi:\s*\S+|\b10\.\d{4,9}/\S+", re.IGNORECASE)


def queries(sources: Sequence[Source], citations: Sequence[Citation] = ()) -> list[Query]:
    """One query per scholarly source with a valid DOI or a searchable title (two words or more), from the
    source's best fields and the text of its first full citation."""
    by_id = {c.id: c for c in citations}
    out = []
    for s in sources:
        if s.kind not in SCHOLARLY:
            continue
        f = s.fields
        doi = normalise_doi(f.doi)
        first = next(iter(full_citations(s, by_id)), None)
        raw = " ".join(_LINK.sub(" ", first.raw).split())[:500] if first is not None else ""
        if doi is None and len(norm(f.title).split()) < 2 and not (f.date and len(raw.split()) >= 5):
            continue  # nothing to search by: no title, and no dated citation text to look for one in
        out.append(Query(s.id, s.kind, doi, f.title, tuple(real_authors(f.authors)), year_of(f.date), f.container,
                         f.volume, f.pages, raw))
    return out


def with_found_dois(sources: Sequence[Source], lookups: Mapping[str, Lookup]) -> tuple[Source, ...]:
    """The sources, each DOI a search found added to its fields, with the registry that found it."""
    out = []
    for s in sources:
        lookup = lookups.get(s.id)
        doi = lookup.found_doi if lookup is not None else None
        if doi and not s.fields.doi:
            s = replace(s, fields=replace(s.fields, doi=doi), doi_source=lookup.found_by if lookup else None)
        out.append(s)
    return tuple(out)


def full_citations(source: Source, by_id: Mapping[str, Citation]) -> list[Citation]:
    """The citations of ``source`` that carry fields of their own (not Ibid., not short forms)."""
    return [by_id[i] for i in source.citations if i in by_id and is_full(by_id[i])]


# --------------------------------------------------------------------------- titles


def _title_forms(title: str, subtitle: str | None = None) -> list[str]:
    """The normalised title with and without its subtitle (and with the record's separate subtitle)."""
    forms = [norm(title)]
    if subtitle:
        forms.append(norm(f"{title} {subtitle}"))
    main = _SUBTITLE.split(title, maxsplit=1)[0]
    if main != title and len(norm(main).split()) >= 3:
        forms.append(norm(main))
    return [f for f in dict.fromkeys(forms) if f]


def title_score(cited: str, record: Record) -> float:
    """0–100: how closely the cited title matches the record's, subtitles and case aside."""
    if not record.title or not cited:
        return 0.0
    mine = _title_forms(cited)
    theirs = _title_forms(record.title, record.subtitle)
    return max(title_similarity(a, b) for a in mine for b in theirs)


# --------------------------------------------------------------------------- authors


def _family_tokens(p: Person) -> set[str]:
    return set(norm(p.family or p.literal).split())


def first_author_agrees(cited: Sequence[Person], record: Record) -> bool | None:
    """Whether the cited first author is the record's first author; None when either names none."""
    mine, theirs = real_authors(cited), real_authors(record.authors)
    if not mine or not theirs:
        return None
    return _same_person(mine[0], theirs[0])


def _same_person(a: Person, b: Person) -> bool:
    if persons_compatible(a, b):
        return True
    fa, fb = _family_tokens(a), _family_tokens(b)
    if not fa or not fb:
        return False
    # the family names alone (given names written differently, particles, transliterations)
    return bool(fa & fb) or fuzz.ratio(" ".join(sorted(fa)), " ".join(sorted(fb))) >= 85


def _authors_disagree(cited: Sequence[Person], record: Record) -> bool:
    mine, theirs = real_authors(cited), real_authors(record.authors)
    if not mine or not theirs:
        return False
    if not _same_person(mine[0], theirs[0]):
        return True
    return any(not any(_same_person(p, q) for q in theirs) for p in mine[1:])


def _show_authors(people: Sequence[Person], limit: int = 3) -> str:
    names = [p.family or p.literal or p.display() for p in people]
    return ", ".join(names[:limit]) + (" et al." if len(names) > limit else "")


# --------------------------------------------------------------------------- year, container, numbers


def year_agrees(cited: int | None, record: Record) -> bool | None:
    """Within one year of any year the record gives (online first, then in print); None when unknown."""
    years = record.years or ((record.year,) if record.year else ())
    if cited is None or not years:
        return None
    return any(abs(cited - y) <= 1 for y in years)


def _container_tokens(text: str) -> list[str]:
    return [t for t in norm(text).split() if t not in _CONTAINER_STOP]


def _abbreviates(short: list[str], full: list[str]) -> bool:
    """``j am chem soc`` abbreviates ``journal american chemical society``: each short word starts the next
    full word it can (words of the full name may be skipped, never reordered)."""
    if not short or len(short) > len(full):
        return False
    it = iter(full)
    return all(any(word.startswith(s) for word in it) for s in short) and short[0][0] == full[0][0]


def _acronym(short: list[str], full: list[str]) -> bool:
    """``pnas`` for ``proceedings national academy sciences [united states america]``."""
    if len(short) != 1 or len(short[0]) < 3 or len(full) < 3:
        return False
    return "".join(w[0] for w in full).startswith(short[0])


def container_agrees(cited: str, record: Record) -> bool | None:
    if not cited or not record.containers:
        return None
    a = _container_tokens(cited)
    for other in record.containers:
        b = _container_tokens(other)
        if not a or not b:
            continue
        ja, jb = " ".join(a), " ".join(b)
        if ja == jb or ja in jb or jb in ja or _abbreviates(a, b) or _abbreviates(b, a):
            return True
        if _acronym(a, b) or _acronym(b, a):
            return True
        if fuzz.ratio(ja, jb) >= 85 or fuzz.token_set_ratio(ja, jb) >= 90:
            return True
    return False


_ROMAN = re.compile(r"^[ivxlcdm]+$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def _numbers(text: str) -> list[int]:
    """The numbers of a volume: ``s2-42`` → [2, 42]; a Roman numeral alone → its value (``LIX`` → [59])."""
    found = [int(n) for n in _NUMBER.findall(text)]
    word = text.strip().lower()
    if not found and _ROMAN.match(word):
        values = [_ROMAN_VALUES[ch] for ch in word]
        found = [sum(-v if nxt > v else v for v, nxt in zip(values, [*values[1:], 0], strict=True))]
    return found


def volume_agrees(cited: str | None, record: Record) -> bool | None:
    """The cited volume's number is the record's (series prefixes such as ``s2-42`` or ``PAMI-6`` aside)."""
    if not cited or not record.volume:
        return None
    if norm(cited) == norm(record.volume):
        return True
    a, b = _numbers(cited), _numbers(record.volume)
    if not a or not b:
        return None
    return a[-1] in b or b[-1] in a


def page_span(text: str | None) -> tuple[str, str | None] | None:
    """``(first, last)`` of a page range, an abbreviated last page completed: ``123-9`` → (123, 129)."""
    parts = _PAGE_PART.findall(text or "")
    if not parts:
        return None
    first = parts[0]
    if len(parts) == 1:
        return first, None
    last = parts[1]
    if first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return first, last


def pages_agree(cited: str | None, record: Record) -> bool | None:
    """Same first page, or the cited pages inside the record's range (a pinpoint); None when unknown."""
    a, b = page_span(cited), page_span(record.pages)
    if a is None or b is None:
        return None
    (a1, a2), (b1, b2) = a, b
    if a1.isdigit() and b1.isdigit() and (a2 is None or a2.isdigit()) and (b2 is None or b2.isdigit()):
        lo, hi = int(b1), int(b2 or b1)
        if lo <= int(a1) <= int(a2 or a1) <= max(hi, lo):
            return True
        return int(a1) == lo and (a2 is None or b2 is None or int(a2) == hi)
    return a1.lower().lstrip("0") == b1.lower().lstrip("0")


def _show_pages(record: Record) -> str:
    span = page_span(record.pages)
    if span is None:
        return record.pages or ""
    return f"{span[0]}–{span[1]}" if span[1] and span[1] != span[0] else span[0]


# --------------------------------------------------------------------------- matching and comparing


def match_score(query: Query, record: Record) -> float | None:
    """How well a search result matches the cited work (higher is better), or None when it is no match.

    A match needs a title similarity of ``TITLE_MATCH`` AND the first author's
    family name AND the year within one; a citation without authors or a year
    needs ``TITLE_MATCH_ALONE`` for what it cannot confirm. A record that names
    no author cannot confirm a cited one.
    """
    if _notice(record.title) and not _notice(query.title):
        return None  # "Correction: <the cited title>" is a notice about the work, not the work
    title = title_score(query.title, record) if query.title else 0.0
    authors = first_author_agrees(query.authors, record)
    year = year_agrees(query.year, record)
    if title < TITLE_MATCH and query.raw and _misread(query.title, record) and _title_written_in(record, query.raw):
        # Our reading of the citation failed, but the record's title stands whole in it as written: the
        # record's first author must stand in it too (our authors may be wrong), and a year near the record's.
        title = TITLE_MATCH_ALONE
        authors = _family_written_in(record, query.raw)
        if year is None:
            year = any(abs(int(y) - r) <= 1 for y in _YEAR.findall(query.raw) for r in record.years) or None
        if not authors:
            return None
    if title < TITLE_MATCH:
        return None
    if authors is False or year is False:
        return None
    if query.authors and authors is None:
        return None  # the record names nobody to confirm the cited author
    if (authors is None or year is None) and title < TITLE_MATCH_ALONE:
        return None
    if authors is None and year is None:
        return None  # a title alone is not enough
    score = title + (5.0 if authors else 0.0) + (3.0 if year else 0.0)
    if query.year and record.year == query.year:
        score += 1.0
    if query.container and container_agrees(query.container, record):
        score += 2.0
    return score


_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_NOTICE = re.compile(
    r"^\W*(?:errat(?:um|a)|corrigend(?:um|a)|(?:author|publisher)?\s*correction|retract(?:ion|ed)|withdrawn|"
    r"expression of concern|reply|response|comment(?:ary)?\s+on|addendum)\b", re.IGNORECASE)


def _notice(title: str | None) -> bool:
    """An erratum, correction, retraction notice, reply or comment, by its title."""
    return bool(title and _NOTICE.match(title))


def _misread(title: str | None, record: Record) -> bool:
    """Our title shares no word with the record's: it is something else misread as a title (or there is
    none). A title that shares words and still differs names another work ("Deep learning for vision" is not
    "Deep learning"), even when the record's title stands in the citation's text."""
    return not title or not set(norm(title).split()) & set(norm(record.title).split())


def _title_written_in(record: Record, raw: str) -> bool:
    """The record's title (two words or more), whole, in the citation as written."""
    text = f" {norm(raw)} "
    forms = [norm(record.full_title), norm(record.title)]
    return any(len(f.split()) >= 2 and f" {f} " in text for f in forms)


def _family_written_in(record: Record, raw: str) -> bool:
    """The record's first author's family name, whole, in the citation as written."""
    people = real_authors(record.authors)
    family = norm(people[0].family or people[0].literal) if people else ""
    return bool(family) and f" {family} " in f" {norm(raw)} "


def best_match(query: Query, candidates: Sequence[Record]) -> Record | None:
    """The candidate that matches the cited work best, or None when none matches."""
    scored = [(s, i, r) for i, r in enumerate(candidates) if (s := match_score(query, r)) is not None]
    if not scored:
        return None
    return max(scored, key=lambda t: (t[0], -t[1]))[2]


def closest(query: Query, candidates: Sequence[Record]) -> Record | None:
    """The weak candidate nearest the cited title (shown with V003), if it is near at all."""
    if not query.title or not candidates:
        return None
    score, record = max(((title_score(query.title, r), r) for r in candidates), key=lambda t: t[0])
    return record if score >= 60 else None


def compare(fields: Fields, kind: Kind, record: Record) -> list[Mismatch]:
    """Where one citation's own fields disagree with the record of its DOI (fields it lacks are not compared)."""
    out: list[Mismatch] = []
    if fields.title and record.title and title_score(fields.title, record) < TITLE_DISAGREES \
            and not _only_names(fields.title, record):  # an author's name read as the title
        out.append(Mismatch("title", fields.title, record.full_title))
    if _authors_disagree(fields.authors, record):
        out.append(Mismatch("authors", _show_authors(real_authors(fields.authors)), _show_authors(record.authors)))
    cited_year = year_of(fields.date)
    if year_agrees(cited_year, record) is False:
        out.append(Mismatch("year", str(cited_year), str(record.year or record.years[0])))
    if kind in (Kind.ARTICLE, Kind.CHAPTER) and fields.container and container_agrees(fields.container,
                                                                                     record) is False:
        cited, title = norm(fields.container), norm(record.title)
        # a subtitle, or the authors and title, read as the journal: the reading failed, not the citation
        if cited not in norm(record.full_title) and not (title and title in cited) \
                and not _only_names(fields.container, record):
            out.append(Mismatch("container", fields.container, record.containers[0]))
    if volume_agrees(fields.volume, record) is False and not _is_issue(fields.volume, record):
        out.append(Mismatch("volume", fields.volume or "", record.volume or ""))
    if pages_agree(fields.pages, record) is False and not _is_issue(fields.pages, record):
        out.append(Mismatch("pages", fields.pages or "", _show_pages(record)))
    return out


def _only_names(text: str, record: Record) -> bool:
    """``text`` is nothing but the record's author names and initials (``Albert R``, ``Heath JR``)."""
    names = {t for p in record.authors for t in norm(p.display()).split()}
    initials = {t[0] for t in names}
    words = norm(text).split()
    if not any(w in names for w in words):
        return False
    return all(w in names or (len(w) <= 3 and set(w) <= initials) for w in words)


def _is_issue(cited: str | None, record: Record) -> bool:
    """The cited number is the record's issue: volume and issue (or issue and pages) taken for one another —
    in the citation or in reading it — which is no evidence that the citation names another work."""
    a, b = _numbers(cited or ""), _numbers(record.issue or "")
    return bool(a) and a == b


def judge(name: str, query: Query, candidates: Sequence[Record]) -> Answer:
    """What registry ``name``'s search results say of ``query``: the matching record (FOUND), or none with
    the closest candidate (NO_MATCH). ``net.registries`` asks; this decides."""
    match = best_match(query, candidates)
    if match is not None:
        return Answer(name, Outcome.FOUND, match)
    return Answer(name, Outcome.NO_MATCH, closest(query, candidates))
