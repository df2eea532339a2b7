"""What an export says about each source: one record per cited work, whatever the output format.

``records(report)`` turns a report into ``Record`` values that ``bibtex`` and
``csl`` only have to render:

- one record per **source** with at least one full citation (an Ibid. or a
  short form adds nothing: it repeats a full citation); a source known only
  from short forms (M007) or only from notes that could not be parsed is
  listed in ``Bibliography.skipped`` / kept with its raw text, never guessed;
- each field chosen among the source's full citations: the **most complete**
  form when one form extends another (``Keepers of the Flame`` →
  ``Keepers of the Flame: Lighthouse Families in Sweden``, ``N. Orlov`` →
  ``Magnus Holm``, ``1998`` → ``1998-12``), else the **most frequent**, the
  first cited on a tie;
- page ranges only where they describe the work: a range that every cited
  page of the source falls in, for articles, chapters and reports (a page in
  a note is usually the page cited, not the extent of the work);
- the findings of the I rules that name the source's citations (I001–I005,
  I008), so the author can see which forms were not chosen;
- the link check of the chosen URL (status, archived copy), when one ran.

Everything here is pure: a report in, records out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from verifier.export.keys import assign_keys, base_key
from verifier.model import Citation, Fields, Finding, Kind, LinkResult, LinkStatus, Person, Report, Source
from verifier.sources import clean, is_full, norm, persons_compatible

__all__ = ["Bibliography", "Record", "records", "CONFLICT_CODES", "DEAD"]

CONFLICT_CODES = frozenset({"I001", "I002", "I003", "I004", "I005", "I008"})
"""The findings listed above an entry: one source written differently in different places."""

DEAD = frozenset({LinkStatus.DEAD, LinkStatus.SOFT_404})
"""Link statuses that make a URL worth flagging as dead."""


@dataclass(frozen=True, slots=True)
class Record:
    """One source, ready to be written as a BibTeX entry or a CSL-JSON item."""

    key: str
    source: Source
    kind: Kind
    fields: Fields
    conflicts: tuple[Finding, ...] = ()
    link: LinkResult | None = None
    """The link check of ``fields.url`` (or of another URL of the source), when one ran."""
    dead: tuple[LinkResult, ...] = ()
    """URLs of the source found dead or answering an error page (L001, L005)."""
    unparsed: str | None = None
    """The citation's text when no field could be parsed from it (P001)."""


@dataclass(frozen=True, slots=True)
class Bibliography:
    """The records of a report, in order of first citation, and the sources left out."""

    records: tuple[Record, ...]
    skipped: tuple[Citation, ...] = ()
    """Sources known only from short forms whose full citation never appears (M007): the first of each."""


# --------------------------------------------------------------------------- forms


def _vote(values: Sequence[str], key: Callable[[str], str], extends: Callable[[str, str], bool]) -> str | None:
    """The value to export among ``values`` (in citation order).

    Values are grouped by ``key``. A group whose key another group's key
    ``extends`` gives its count to the longest such group (it is a less
    complete form of the same thing). The group with the most citations wins,
    the first cited on a tie; its form is the one written most often (the
    longest, then the first, on a tie).
    """
    groups: dict[str, list[str]] = {}
    for value in values:
        k = key(value)
        if k:
            groups.setdefault(k, []).append(value)
    if not groups:
        return None
    counts = {k: len(v) for k, v in groups.items()}
    order = list(groups)
    for k in order:
        longer = [o for o in order if o != k and extends(o, k)]
        if longer:
            target = max(longer, key=len)
            counts[target] += counts.pop(k, 0)
    winner = max(counts, key=lambda k: (counts[k], -order.index(k)))
    forms = groups[winner]
    tally = Counter(forms)
    return max(forms, key=lambda f: (tally[f], len(f), -forms.index(f)))


def _word_prefix(longer: str, shorter: str) -> bool:
    return longer.startswith(shorter + " ")


def _no_extension(_longer: str, _shorter: str) -> bool:
    return False


_SPACED_COLON = re.compile(r"\s+([:;,.?!])")


def _tidy(text: str) -> str:
    """A text field as it should be exported: ``clean`` plus no space before a colon
    (``Russia and Central Asia : The Strategic Dimensions`` as PDF extraction leaves it)."""
    return _SPACED_COLON.sub(r"\1", clean(text))


def _text(values: Sequence[str | None]) -> str | None:
    chosen = _vote([_tidy(v) for v in values if v], norm, _word_prefix)
    return chosen or None


_NUMBER_WORD = re.compile(r"^\s*(vol(ume)?|no|nos|number|issue|iss|n)\b\.?\s*", flags=re.I)


def _locator(values: Sequence[str | None]) -> str | None:
    cleaned = [_NUMBER_WORD.sub("", clean(v)) for v in values if v]
    return _vote(cleaned, norm, _no_extension)


def _url_key(url: str) -> str:
    key = re.sub(r"^[a-z]+://", "", url.strip().lower()).removeprefix("www.")
    return key.split("#", 1)[0].rstrip("/")


_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def _doi(values: Sequence[str | None]) -> str | None:
    cleaned = [_DOI_PREFIX.sub("", v.strip()).rstrip(".") for v in values if v]
    return _vote(cleaned, str.lower, _no_extension)


def _isbn(values: Sequence[str | None]) -> str | None:
    return _vote([v.strip() for v in values if v], lambda v: re.sub(r"[^0-9Xx]", "", v).upper(), _no_extension)


def _date(values: Sequence[str | None]) -> str | None:
    """The most cited year, then the most precise date in it (the most cited of equal precision)."""
    dates = [v.strip() for v in values if v and v.strip()[:4].isdigit()]
    if not dates:
        return None
    years = Counter(d[:4] for d in dates)
    year = max(years, key=lambda y: (years[y], -[d[:4] for d in dates].index(y)))
    same = [d for d in dates if d.startswith(year)]
    tally = Counter(same)
    return max(same, key=lambda d: (len(d), tally[d], -same.index(d)))


def _latest(values: Sequence[str | None]) -> str | None:
    present = [v for v in values if v]
    tally = Counter(present)
    return max(present, key=lambda v: (tally[v], v)) if present else None


# --------------------------------------------------------------------------- names

_NOT_AUTHORS = frozenset({"et al", "others", "and others"})


def _initials(name: str | None) -> int:
    """How many parts of a given name are spelled out (``Magnus`` 1, ``N.`` 0, ``Mohd. Monir`` 2)."""
    return sum(1 for part in re.split(r"[\s.\-]+", name or "") if len(part) > 1)


def _completeness(p: Person) -> tuple[int, int]:
    return _initials(p.given) + _initials(p.family) + _initials(p.literal), len(p.display())


def _persons(lists: Sequence[tuple[Person, ...]]) -> tuple[Person, ...]:
    """The most cited list of names (by family names), each name in its most complete form."""
    lists = [lst for lst in lists if lst]
    if not lists:
        return ()

    def key(lst: tuple[Person, ...]) -> tuple[str, ...]:
        return tuple(norm(p.family or p.literal) for p in lst)

    keyed = [key(lst) for lst in lists]
    tally = Counter(keyed)
    best = max(tally, key=lambda k: (tally[k], len(k), -keyed.index(k)))
    chosen = lists[keyed.index(best)]
    everyone = [p for lst in lists for p in lst]
    seen = Counter(everyone)
    out = []
    for person in chosen:
        if person.literal and norm(person.literal) in _NOT_AUTHORS:
            out.append(person)
            continue
        forms = [q for q in everyone if q == person or persons_compatible(person, q)]
        out.append(max(forms, key=lambda q: (*_completeness(q), seen[q])))
    return tuple(out)


# --------------------------------------------------------------------------- pages

_RANGE = re.compile(r"^\s*([0-9ivxlc]+)\s*[-–—]+\s*([0-9ivxlc]+)\s*$", re.IGNORECASE)
_PAGE = re.compile(r"[0-9]+")


def _page_span(pages: str) -> tuple[int, int] | None:
    m = _RANGE.match(pages)
    if not m or not (m.group(1).isdigit() and m.group(2).isdigit()):
        return None
    first, last = m.group(1), m.group(2)
    if len(last) < len(first):  # 201–19 is 201–219
        last = first[: len(first) - len(last)] + last
    a, b = int(first), int(last)
    return (a, b) if a <= b else None


def _pages(values: Sequence[str | None], kind: Kind) -> str | None:
    """A page range that can be the extent of the work: see the module docstring."""
    present = [clean(v) for v in values if v]
    if not present:
        return None
    if kind is Kind.NEWS:  # the page a newspaper item is printed on, when every note agrees
        return present[0] if len(set(present)) == 1 else None
    if kind not in (Kind.ARTICLE, Kind.CHAPTER, Kind.REPORT):
        return None
    ranges = [(p, span) for p in present if (span := _page_span(p))]
    if not ranges:
        return None
    tally = Counter(p for p, _ in ranges)
    best, (low, high) = max(ranges, key=lambda r: (tally[r[0]], r[1][1] - r[1][0]))
    for p in present:
        span = _page_span(p)
        numbers = [int(n) for n in _PAGE.findall(p)] if span is None else list(span)
        if not numbers or any(not low <= n <= high for n in numbers):
            return None  # pinpoint pages outside the range: the range is a pinpoint too
    return best


# --------------------------------------------------------------------------- choose


def choose_fields(citations: Sequence[Citation], kind: Kind) -> Fields:
    """The fields to export for a source from its full citations (see the module docstring)."""
    fs = [c.fields for c in citations]
    urls = [f.url.strip() for f in fs if f.url]
    return Fields(
        authors=_persons([f.authors for f in fs]),
        editors=_persons([f.editors for f in fs]),
        title=_text([f.title for f in fs]),
        container=_text([f.container for f in fs]),
        volume=_locator([f.volume for f in fs]),
        issue=_locator([f.issue for f in fs]),
        date=_date([f.date for f in fs]),
        pages=_pages([f.pages for f in fs], kind),
        publisher=_text([f.publisher for f in fs]),
        place=_text([f.place for f in fs]),
        url=_vote(urls, _url_key, _no_extension),
        doi=_doi([f.doi for f in fs]),
        isbn=_isbn([f.isbn for f in fs]),
        accessed=_latest([f.accessed for f in fs]),
    )


def _link_of(url: str | None, links: Sequence[LinkResult]) -> LinkResult | None:
    if not links:
        return None
    if url:
        key = _url_key(url)
        same = next((link for link in links if _url_key(link.url) == key), None)
        if same is not None:
            return same
    return next((link for link in links if link.archive), None) or (links[0] if not url else None)


def records(report: Report) -> Bibliography:
    """The records of ``report``: one per source with a full or unparsed citation, keys assigned."""
    by_id = {c.id: c for c in report.citations}
    conflicts_of: dict[str, list[Finding]] = {}
    for finding in report.findings:
        if finding.code in CONFLICT_CODES:
            for cid in dict.fromkeys(finding.citations):
                sid = by_id[cid].source if cid in by_id else None
                if sid is not None and finding not in conflicts_of.setdefault(sid, []):
                    conflicts_of[sid].append(finding)
    links_of: dict[str, list[LinkResult]] = {}
    for link in report.links:
        for cid in link.citations:
            sid = by_id[cid].source if cid in by_id else None
            if sid is not None and link not in links_of.setdefault(sid, []):
                links_of[sid].append(link)

    drafts: list[Record] = []
    skipped: list[Citation] = []
    for source in report.sources:
        cited = [by_id[cid] for cid in source.citations if cid in by_id]
        full = [c for c in cited if is_full(c)]
        unparsed = next((c for c in cited if not c.parsed and c.kind not in (Kind.IBID, Kind.SHORT)), None)
        if not full and unparsed is None:
            if cited:
                skipped.append(cited[0])
            continue
        kind = source.kind if source.kind not in (Kind.IBID, Kind.SHORT) else Kind.UNKNOWN
        fields = choose_fields(full, kind) if full else Fields()
        # Identifiers the pipeline added to the source (a registry's DOI) fill the gaps.
        extra = source.fields
        fields = fields.merged(Fields(url=extra.url, doi=extra.doi, isbn=extra.isbn))
        links = links_of.get(source.id, [])
        if not fields.url and links:  # a URL in the note's text that the parser left out of the fields
            fields = replace(fields, url=links[0].url)
        drafts.append(
            Record(
                key="",
                source=source,
                kind=kind,
                fields=fields,
                conflicts=tuple(conflicts_of.get(source.id, ())),
                link=_link_of(fields.url, links),
                dead=tuple(link for link in links if link.status in DEAD),
                unparsed=None if full else _tidy(unparsed.raw if unparsed else ""),
            )
        )
    keys = assign_keys([(base_key(r.fields, r.unparsed), r.fields, r.unparsed or "") for r in drafts])
    done = tuple(
        Record(key, r.source, r.kind, r.fields, r.conflicts, r.link, r.dead, r.unparsed)
        for key, r in zip(keys, drafts, strict=True)
    )
    return Bibliography(done, tuple(skipped))
