"""Registry rules V001–V003: what Crossref and OpenAlex said about the cited works (only with ``--registry``).

The look-ups happen per *source* in ``verifier.net.registries``; here each
answer is phrased at the citations it concerns:

- V001 at each citation that writes the DOI every registry asked answered as
  unknown (an error, a timeout or a 429 is never V001: the registry was not
  heard, and the run said so);
- V002 at each full citation of the DOI's source that disagrees with the
  record: one finding per citation naming every field and the record's value;
- V003 once per scholarly source without a DOI that no registry record
  matches, at its first full citation (never for news, web pages, interviews
  or archival documents: those are never looked up).
"""

from __future__ import annotations

from collections.abc import Iterator

from verifier.model import Citation, Finding, Severity
from verifier.rules.catalog import family, rule
from verifier.rules.common import RuleContext, capital, join_words, make_finding, quote, where
from verifier.rules.registry_match import (
    SCHOLARLY,
    Lookup,
    Mismatch,
    compare,
    full_citations,
    normalise_doi,
    real_authors,
)


def _registry_findings(ctx: RuleContext) -> Iterator[Finding]:
    if not ctx.registry:
        return
    by_id = {c.id: c for c in ctx.citations}
    for source in ctx.sources:
        lookup = ctx.registry.get(source.id)
        if lookup is None or not lookup.answers:
            continue
        cited = full_citations(source, by_id)
        if not cited:
            continue
        if lookup.query.doi:
            yield from _unknown_doi(lookup, cited)
            yield from _mismatches(lookup, cited)
        elif lookup.unmatched_everywhere and source.kind in SCHOLARLY:
            yield _not_found(lookup, cited)


def _asked(lookup: Lookup, conjunction: str = "and") -> str:
    names = [a.name for a in lookup.answers]
    return join_words(names).replace(" and ", f" {conjunction} ") if len(names) == 2 else join_words(names)


def _unknown_doi(lookup: Lookup, cited: list[Citation]) -> Iterator[Finding]:
    if not lookup.unknown_everywhere:
        return
    doi = lookup.query.doi
    other = lookup.alternative
    if other is not None and other.doi:
        hint = f"{other.name}'s record for this citation has doi:{other.doi} — cite that DOI"
    else:
        hint = "copy the DOI again from the publisher's page; a DOI no registry knows is mistyped or invented"
    for c in cited:
        if normalise_doi(c.fields.doi) != doi:
            continue
        yield make_finding(
            "V001",
            f"{capital(where(c))}: doi:{c.fields.doi} is unknown to {_asked(lookup)}",
            document=c.document, location=c.location, citations=[c], url=f"https://doi.org/{doi}",
            suggestion=hint,
        )


def _mismatches(lookup: Lookup, cited: list[Citation]) -> Iterator[Finding]:
    record = lookup.record
    if record is None:
        return
    doi = lookup.query.doi
    for c in cited:
        if normalise_doi(c.fields.doi) not in (None, doi):
            continue  # a citation of the source that writes another DOI is judged by its own (I-rules)
        found = compare(c.fields, c.kind, record)
        if not found:
            continue
        yield make_finding(
            "V002",
            f"{capital(where(c))} disagrees with the {record.name} record of doi:{doi}: {_phrase(found)}",
            document=c.document, location=c.location, citations=[c], url=f"https://doi.org/{doi}",
            suggestion="correct the citation from the record — or the DOI, if it is the DOI that is wrong",
        )


def _phrase(mismatches: list[Mismatch]) -> str:
    return "; ".join(f"{m.field} {_value(m.field, m.record)} (cited {_value(m.field, m.cited)})" for m in mismatches)


def _value(field: str, text: str) -> str:
    return quote(text, 90) if field in ("title", "container") else text


def _not_found(lookup: Lookup, cited: list[Citation]) -> Finding:
    first = cited[0]
    q = lookup.query
    what = quote(q.title or first.raw, 90)
    people = real_authors(q.authors)
    by = f" by {people[0].family or people[0].literal}" if people else ""
    year = f" ({q.year})" if q.year else ""
    places = "" if len(cited) == 1 else f" (cited {len(cited)} times)"
    hint = "check the citation against the work itself: it may be misremembered, or invented"
    near = lookup.closest
    if near is not None and near.title:
        near_by = f" by {near.authors[0].family or near.authors[0].literal}" if near.authors else ""
        near_doi = f", doi:{near.doi}" if near.doi else ""
        hint = f"the closest record is {quote(near.full_title, 90)}{near_by} ({near.year or 'n.d.'}{near_doi}); {hint}"
    return make_finding(
        "V003",
        f"{capital(where(first))}: no record in {_asked(lookup, 'or')} matches {what}{by}{year}{places}",
        document=first.document, location=first.location, citations=cited, suggestion=hint,
    )


def _answers(ctx: RuleContext, code: str) -> Iterator[Finding]:
    found = ctx.shared("registry", lambda: list(_registry_findings(ctx)))
    return (f for f in found if f.code == code)


@rule("V001", "unresolvable-identifier", Severity.ERROR, offline=False)
def check_unresolvable_identifier(ctx: RuleContext) -> Iterator[Finding]:
    """a cited DOI that every registry queried answers as unknown

    ## What it does
    With --registry, reports cited DOIs that every registry queried answers as unknown (an error or 429 from a
    registry never counts).

    ## Why it matters
    A DOI no registry knows is mistyped or invented.

    ## Example
    ```text
    doi:10.1080/02634937.2011.999999 → not found at Crossref and OpenAlex
    ```

    ## Fix
    Copy the DOI from the publisher's page.
    """
    return _answers(ctx, "V001")


@rule("V002", "registry-mismatch", Severity.WARNING, offline=False)
def check_registry_mismatch(ctx: RuleContext) -> Iterator[Finding]:
    """the registry's record for the cited DOI disagrees on title, authors, year, container, volume or pages

    ## What it does
    With --registry, compares the registry's record for a cited DOI with the citation: title, authors, year,
    container, volume and pages; tolerant of case, punctuation, subtitles, “et al.”, abbreviated page ranges and a
    one-year online-first gap. One finding per citation, naming each field.

    ## Why it matters
    A citation that disagrees with the record of its own DOI is wrong in one of the two.

    ## Example
    ```text
    cited vol. 8, record vol. 48
    ```

    ## Fix
    Correct the citation from the registry's record (or the DOI, if it is the DOI that is wrong).
    """
    return _answers(ctx, "V002")


@rule("V003", "not-in-registry", Severity.INFO, offline=False)
def check_not_in_registry(ctx: RuleContext) -> Iterator[Finding]:
    """an article, chapter, book or report with no DOI that no registry record matches

    ## What it does
    With --registry, reports articles, chapters, books and reports without a DOI that no registry record matches.
    Never for news, web pages, interviews or archival documents.

    ## Why it matters
    The work may be misremembered — or invented.

    ## Example
    ```text
    Nirmala Joshi, “Russia and Central Asia: The Strategic Dimensions”, 1995 → no record
    ```

    ## Fix
    Check the citation against the work itself.
    """
    return _answers(ctx, "V003")


check = family(__name__)
"""Every finding of this family's rules."""
