"""The P family and reader diagnostics.

P001 unparsed-citation: a note (or entry) whose text the parser could not turn
into fields; one finding per note however many segments failed. Reader
diagnostics (``Document.diagnostics``: a note recovered from a damaged page, a
URL that could not be repaired…) become findings with their own code.
P002 (an unreadable input) is reported by the pipeline.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from verifier.model import Citation, Document, Finding, Origin, Severity
from verifier.rules.catalog import RULES, family, rule
from verifier.rules.common import RuleContext, capital, make_finding, quote, where


def unparsed(doc_path: str, citations: Sequence[Citation], explained: set[str]) -> Iterator[Finding]:
    """P001 for one document: once per note or entry that could not be parsed."""
    seen: set[tuple[Origin, str | None]] = set()
    for c in citations:
        if c.parsed or c.origin not in (Origin.NOTE, Origin.ENTRY):
            continue  # an inline attribution ("Russian agencies, April 17-19") need not parse
        place = (c.origin, c.note)
        if place in seen or (c.origin is Origin.NOTE and c.note in explained):
            continue
        seen.add(place)
        failed = [x for x in citations if not x.parsed and x.origin is c.origin and x.note == c.note]
        yield make_finding(
            "P001",
            f"{capital(where(c))} could not be parsed into fields: {quote(c.raw, 100)}.",
            document=doc_path,
            location=c.location,
            citations=failed,
            suggestion="Check that the citation is complete (author, title, where and when published).",
        )


def diagnostics(doc: Document, citations: Sequence[Citation]) -> Iterator[Finding]:
    """A finding for every reader diagnostic, with the catalog's name and severity for its code."""
    for d in doc.diagnostics:
        cited = [c for c in citations if d.note is not None and c.note == d.note and c.origin is Origin.NOTE]
        rule = RULES.get(d.code)
        if rule is None:  # a reader speaking a code the catalog does not know: keep it visible
            yield Finding(
                d.code,
                "reader-diagnostic",
                Severity.WARNING,
                d.message,
                doc.path,
                d.location,
                tuple(c.id for c in cited),
                d.url,
                d.suggestion,
            )
            continue
        yield make_finding(
            d.code,
            d.message,
            document=doc.path,
            location=d.location,
            citations=cited,
            url=d.url,
            suggestion=d.suggestion,
        )


def reader_diagnostics(ctx: RuleContext) -> Iterator[Finding]:
    """Every reader diagnostic of the context, as a finding of its own code (run whatever is selected;
    the selection then keeps the codes asked for)."""
    for doc in ctx.documents:
        yield from diagnostics(doc, ctx.per_document.get(doc.path, []))


@rule("P001", "unparsed-citation", Severity.INFO, per_document=True)
def check_unparsed_citation(ctx: RuleContext) -> Iterator[Finding]:
    """a note that could not be parsed into fields

    ## What it does
    Reports notes (or entries) whose text could not be parsed into fields, and notes a reader could only partly
    recover from a damaged extraction. One finding per note.

    ## Why it matters
    An unparsed citation escapes every other check.

    ## Example
    ```text
    30. … and the surviving tail of a note whose label was lost
    ```

    ## Fix
    Check that the note is a complete citation; fix the extraction if its start was lost.
    """
    for doc in ctx.documents:
        explained = {d.note for d in doc.diagnostics if d.code == "P001" and d.note is not None}
        yield from unparsed(doc.path, ctx.per_document.get(doc.path, []), explained)


@rule("P002", "unreadable-input", Severity.ERROR, by_pipeline=True)
def unreadable_input(ctx: RuleContext) -> Iterator[Finding]:
    """a file that could not be read (the others are still checked)

    ## What it does
    Reports input files that could not be read at all (missing, unreadable, unsupported, too large). The other
    inputs are still checked.

    ## Why it matters
    Nothing in that file was checked.

    ## Example
    ```text
    chapter3.pdf: no such file
    ```

    ## Fix
    Check the path and the file's format (or pass --input-format).
    """
    return iter(())  # the pipeline reports it while reading: an unreadable file never reaches the rules


check = family(__name__)
"""Every finding of this family's rules."""
