"""The D family: one work written out twice where once would do.

D001 duplicate-entry: the same source stands twice in one document's
bibliography. D002 repeated-full-citation: a source cited in full again in a
later note, where a short form (or Ibid.) would do.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence

from verifier.model import Citation, Fields, Finding, Origin, Severity
from verifier.rules.catalog import family, rule
from verifier.rules.common import RuleContext, capital, make_finding, quote, where
from verifier.sources import clean, is_full, norm


def _title(c: Citation) -> str:
    return clean(c.fields.title) or clean(c.fields.container) or clean(c.raw)


_TITLE_BREAK = re.compile(r"\s*[:;?!]\s+|\s+:\s*|\.\s+")
"""Where a title's subtitle or second sentence starts."""


def short_form(fields: Fields) -> str:
    """A short form of a citation: ``Joshi, “Russia and Central Asia”, 1277``."""
    names = [p.family or p.literal or p.display() for p in fields.authors]
    pieces = [" and ".join(names) if len(names) <= 2 else f"{names[0]} et al."] if names else []
    title = clean(fields.title)
    if title:
        short = _TITLE_BREAK.split(title, maxsplit=1)[0]
        words = short.split()
        pieces.append("“" + (" ".join(words[:5]) + "…" if len(words) > 6 else short) + "”")
    if fields.pages:
        pieces.append(fields.pages)
    return ", ".join(pieces)


def duplicate_entry(citations: Sequence[Citation], reported: Collection[int] = ()) -> Iterator[Finding]:
    """D001 for one document: a source that two bibliography entries stand for.

    ``reported`` are lines where the reader already reported a D001 (a BibTeX key defined twice).
    """
    first: dict[str, Citation] = {}
    same_work: dict[tuple[str, str], Citation] = {}  # (normalised title, year): the first entry with them
    for c in citations:
        if c.origin is not Origin.ENTRY or not c.source or not c.parsed:
            continue
        work = _title_and_year(c)
        if c.location.line in reported:
            first.setdefault(c.source, c)
            if work:
                same_work.setdefault(work, c)
            continue
        original = first.get(c.source) or (same_work.get(work) if work else None)
        first.setdefault(c.source, c)
        if work:
            same_work.setdefault(work, c)
        if original is None:
            continue
        yield make_finding(
            "D001",
            f"{capital(where(c))} repeats {where(original)}: both stand for {quote(_title(original))}.",
            document=c.document,
            location=c.location,
            citations=[original, c],
            suggestion=f"Keep one entry (e.g. {where(original)}) and point every citation of the other to it.",
        )


def _title_and_year(c: Citation) -> tuple[str, str] | None:
    """An entry's normalised title (two words or more) and year: two entries sharing them are one work, whatever
    their authors (a name misspelt in one of them)."""
    title, year = norm(c.fields.title), (c.fields.date or "")[:4]
    if len(title.split()) < 2 or not year.isdigit():
        return None
    return title, year


def repeated_full_citation(citations: Sequence[Citation]) -> Iterator[Finding]:
    """D002 for one document: each later full citation of a source already cited in full in an earlier note."""
    first: dict[str, Citation] = {}
    previous: Citation | None = None
    for c in citations:
        if c.origin is Origin.URL:
            continue
        if c.origin is Origin.NOTE and c.source and is_full(c):
            original = first.setdefault(c.source, c)
            if original is not c and original.note != c.note:
                if previous is not None and previous.source == c.source and previous.note != c.note:
                    page = f", {c.fields.pages}" if c.fields.pages else ""
                    better = f"Write “Ibid.{page}” instead: {where(previous)} just before cites the same source."
                else:
                    better = f"Use a short form instead, such as {short_form(c.fields)}."
                yield make_finding(
                    "D002",
                    f"{capital(where(c))} cites {quote(_title(c))} in full again; "
                    f"it was first cited in full in {where(original)}.",
                    document=c.document,
                    location=c.location,
                    citations=[original, c],
                    suggestion=better,
                )
        previous = c


@rule("D001", "duplicate-entry", Severity.WARNING)
def check_duplicate_entry(ctx: RuleContext) -> Iterator[Finding]:
    """the same source stands twice in a bibliography or reference list

    ## What it does
    Finds two entries of one bibliography or reference list that stand for the same work, even when written slightly
    differently.

    ## Why it matters
    Duplicates split the citations of one work and make the list look careless.

    ## Example
    ```text
    [3] Volkov, S. “The policy of the river ports.” 1997.
    [9] Volkov, Sergei. “The Policy of the River Ports.” 1997.
    ```

    ## Fix
    Keep one entry and point the citations of the other to it.
    """
    reported = {
        doc.path: {d.location.line for d in doc.diagnostics if d.code == "D001" and d.location}
        for doc in ctx.documents
    }
    for path, citations in ctx.per_document.items():
        yield from duplicate_entry(citations, reported.get(path, set()))


@rule("D002", "repeated-full-citation", Severity.INFO)
def check_repeated_full_citation(ctx: RuleContext) -> Iterator[Finding]:
    """a source cited in full again where a short form would do

    ## What it does
    Finds a source cited in full again in a later note after its first full citation.

    ## Why it matters
    Chicago and most note styles give the full citation once, then a short form or “Ibid.”; repeated full citations
    lengthen the notes and invite inconsistencies (see I001–I005).

    ## Example
    ```text
    3. Nirmala Joshi, “Russia and Central Asia: The Strategic Dimensions”, Strategic Analysis, 1995, p. 1281.
    5. Nirmala Joshi, “Russia and Central Asia: The Strategic Dimensions”, Strategic Analysis, 1995, p. 1277.
    ```

    ## Fix
    Use a short form (Joshi, “Russia and Central Asia”, 1277) or “Ibid.” right after the same source.
    """
    for citations in ctx.per_document.values():
        yield from repeated_full_citation(citations)


check = family(__name__)
"""Every finding of this family's rules."""
