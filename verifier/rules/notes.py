"""The M family, part one: notes, markers, keys and entries line up, every Ibid.
and short form has something to refer to, every citation has what its kind needs.

(M009, unsourced quotations, lives in ``quotations.py``.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from verifier.model import Citation, Document, Finding, Kind, Origin, Severity
from verifier.rules.catalog import family, rule
from verifier.rules.common import RuleContext, capital, make_finding, quote, where
from verifier.sources import clean, is_full

# ----------------------------------------------------------------- M001 M002 M003


def _explained(doc: Document) -> set[str]:
    """Note labels a reader diagnostic already talks about (a recovered or damaged note)."""
    return {d.note for d in doc.diagnostics if d.note is not None}


def marker_without_note(doc: Document) -> Iterator[Finding]:
    """M001: a marker whose label has no note (unless a reader diagnostic explains that note)."""
    labels = {n.label for n in doc.notes}
    explained = _explained(doc)
    for marker in doc.markers:
        if marker.label in labels or marker.label in explained:
            continue
        yield make_finding(
            "M001",
            f"Note marker {marker.label} has no note: the document has no note labelled {marker.label}.",
            document=doc.path,
            location=marker.location,
            suggestion=f"Add note {marker.label}, or remove the marker if the note was merged into another.",
        )


def note_without_marker(doc: Document) -> Iterator[Finding]:
    """M002: a note that no marker refers to (only in documents that have markers at all)."""
    if not doc.markers:
        return
    referenced = {m.label for m in doc.markers}
    for note in doc.notes:
        if note.label not in referenced:
            yield make_finding(
                "M002",
                f"Note {note.label} is never referenced: no marker {note.label} stands in the text.",
                document=doc.path,
                location=note.location,
                suggestion=f"Add the marker {note.label} where the note belongs, or delete the note.",
            )


def _numbering_problems(labels: Sequence[str], *, gaps: bool, repeats: bool) -> Iterator[tuple[int, str, set[str]]]:
    """``(position, problem, missing labels)`` for numeric labels that skip, repeat or run backwards."""
    seen: set[int] = set()
    highest = 0
    for pos, label in enumerate(labels):
        if not label.isdigit():
            continue
        n = int(label)
        if n in seen:
            if repeats:
                yield pos, f"number {n} is used twice", set()
        elif n < highest:
            yield pos, f"{n} comes after {highest}", set()
        elif n > highest + 1 and highest and gaps:
            missing = f"{highest + 1}" if n == highest + 2 else f"{highest + 1}–{n - 1}"
            gap = {str(k) for k in range(highest + 1, n)}
            yield pos, f"the numbering jumps from {highest} to {n} ({missing} missing)", gap
        seen.add(n)
        highest = max(highest, n)


def note_numbering(doc: Document) -> Iterator[Finding]:
    """M003: note numbers that skip, repeat or run out of order; markers that run out of order.

    A gap that a reader diagnostic explains (a note lost or recovered from a
    damaged page) is not reported again. Markers may repeat (a note cited
    twice) and missing markers are M002's business, so markers are only
    checked for order.
    """
    explained = _explained(doc)
    for pos, problem, gap in _numbering_problems([n.label for n in doc.notes], gaps=True, repeats=True):
        if gap and gap & explained:
            continue
        note = doc.notes[pos]
        yield make_finding(
            "M003",
            f"Note {note.label}: {problem} in the note numbering.",
            document=doc.path,
            location=note.location,
            suggestion="Renumber the notes so that they run 1, 2, 3… without gaps or repeats.",
        )
    for pos, problem, _gap in _numbering_problems([m.label for m in doc.markers], gaps=False, repeats=False):
        marker = doc.markers[pos]
        yield make_finding(
            "M003",
            f"Note marker {marker.label} is out of order: {problem} in the text.",
            document=doc.path,
            location=marker.location,
            suggestion="Markers should appear in the text in the order of their notes; renumber them.",
        )


# -------------------------------------------------------------------- M004 M005


_NOT_WORD = re.compile(r"[\W_]+")


def _key(key: str) -> str:
    return _NOT_WORD.sub("", key.casefold())


def undefined_key(doc: Document) -> Iterator[Finding]:
    """M004: a key cited in the body with no bibliography entry."""
    entries = {_key(e.key) for e in doc.entries}
    for cite in doc.keys:
        if cite.key == "*" or _key(cite.key) in entries:
            continue
        yield make_finding(
            "M004",
            f"The citation key {quote(cite.key)} has no entry in the bibliography.",
            document=cite.path or doc.path,
            location=cite.location,
            suggestion=f"Add an entry for {quote(cite.key)} or correct the key.",
        )


def unused_entry(doc: Document, citations: Sequence[Citation]) -> Iterator[Finding]:
    """M005: a bibliography entry never cited.

    Only in documents that cite by key at all: a plain reference list of a
    document without key citations is taken as used. An entry whose source is
    also cited in a note or inline counts as used.
    """
    if not doc.keys or not doc.entries:
        return
    keys = {_key(k.key) for k in doc.keys}
    if "" in keys or any(k.key == "*" for k in doc.keys):
        return
    cited_sources = {c.source for c in citations if c.origin is not Origin.ENTRY and c.source}
    entry_sources = {c.note: c.source for c in citations if c.origin is Origin.ENTRY}
    for entry in doc.entries:
        if _key(entry.key) in keys or entry_sources.get(entry.key) in cited_sources:
            continue
        if entry.path is not None and entry.path in doc.found_bibliographies:
            continue  # a bibliography found for the document, shared with others: not its own list
        yield make_finding(
            "M005",
            f"Bibliography entry {quote(entry.key)} is never cited in the text"
            + (f" of {doc.path}." if entry.path else "."),
            document=entry.path or doc.path,
            location=entry.location,
            citations=[c for c in citations if c.origin is Origin.ENTRY and c.note == entry.key],
            suggestion="Cite it where it is used, or remove it from the bibliography.",
        )


# -------------------------------------------------------------------- M006 M007


def dangling_ibid(citations: Sequence[Citation]) -> Iterator[Finding]:
    """M006: an "Ibid." with nothing before it to refer to (``source`` left unset by ``resolve``)."""
    for c in citations:
        if c.kind is Kind.IBID and c.source is None:
            yield make_finding(
                "M006",
                f"{capital(where(c))} says “Ibid.” but no citation comes before it to refer to.",
                document=c.document,
                location=c.location,
                citations=[c],
                suggestion="Replace “Ibid.” with the full citation of the work meant.",
            )


def short_without_full(citations: Sequence[Citation]) -> Iterator[Finding]:
    """M007: a short form whose source has no full citation in the same document."""
    full_sources = {(c.document, c.source) for c in citations if is_full(c) and c.source}
    for c in citations:
        if c.kind is Kind.SHORT and c.parsed and (c.document, c.source) not in full_sources:
            label = clean(c.fields.title) or clean(c.raw)
            yield make_finding(
                "M007",
                f"{capital(where(c))} is a shortened citation ({quote(label)}) but the full citation "
                "of that work appears nowhere in the document.",
                document=c.document,
                location=c.location,
                citations=[c],
                suggestion="Give the full citation at the first mention of the work.",
            )


# ------------------------------------------------------------------------- M008

_REQUIRED: dict[Kind, tuple[tuple[str, ...], ...]] = {
    Kind.WEB: (("url",),),
    Kind.ARTICLE: (("container",), ("date",)),
    Kind.BOOK: (("publisher", "date"),),
}
"""Per kind, the fields it needs: each inner tuple is satisfied by any one of its fields."""

_URL_TEXT_RE = re.compile(r"\b(?:https?|ftp)://|\bwww\.", re.IGNORECASE)

_FIELD_WORDS = {
    "url": "a URL",
    "container": "the journal name",
    "date": "a date",
    "publisher": "a publisher",
}


def missing_field(citations: Sequence[Citation]) -> Iterator[Finding]:
    """M008: a parsed note or entry that lacks what its kind needs (web: URL; article: container and date;
    book: publisher or date). Ibid., short forms, unknown kinds, news and documents need nothing; inline
    attributions and bare URLs in the body are not bibliographic citations and are not judged."""
    for c in citations:
        needs = _REQUIRED.get(c.kind)
        if not needs or not c.parsed or c.origin not in (Origin.NOTE, Origin.ENTRY):
            continue
        missing = [alts for alts in needs if not any(getattr(c.fields, name) for name in alts)]
        if missing == [("url",)] and _URL_TEXT_RE.search(c.raw):
            continue  # a URL is written but could not be used (cut off, malformed): F004 says what is wrong
        if not missing:
            continue
        words = [" or ".join(_FIELD_WORDS[name] for name in alts) for alts in missing]
        what = " and ".join(words)
        yield make_finding(
            "M008",
            f"{capital(where(c))} cites {_kind_words(c.kind)} without {what}.",
            document=c.document,
            location=c.location,
            citations=[c],
            suggestion=f"Add {what} to the citation.",
        )


def _kind_words(kind: Kind) -> str:
    return {Kind.WEB: "a web page", Kind.ARTICLE: "an article", Kind.BOOK: "a book"}.get(kind, kind.value)


# ------------------------------------------------------------------------- rules


@rule("M001", "marker-without-note", Severity.ERROR, per_document=True)
def check_marker_without_note(ctx: RuleContext) -> Iterator[Finding]:
    """a note marker in the text has no note

    ## What it does
    Finds note markers in the text (¹², [12], [^fn3]) whose label has no note.

    ## Why it matters
    A reader who follows the marker finds nothing: the claim it supports is unsourced.

    ## Example
    ```text
    …the expense of ideology.¹⁴   (the notes run 1–13, 15…)
    ```

    ## Fix
    Add the missing note, or remove the marker. When a reader recovered the note from a damaged page, its own
    diagnostic explains it and M001 stays silent.
    """
    for doc in ctx.documents:
        yield from marker_without_note(doc)


@rule("M002", "note-without-marker", Severity.WARNING, per_document=True)
def check_note_without_marker(ctx: RuleContext) -> Iterator[Finding]:
    """a note is never referenced from the text

    ## What it does
    Finds notes that no marker in the text refers to (only in documents that have markers at all).

    ## Why it matters
    An orphan note usually means a marker was lost in editing or extraction, so a claim lost its source.

    ## Example
    ```text
    Notes 1–20, but the text has no marker ⁷.
    ```

    ## Fix
    Put the marker back where the note belongs, or delete the note.
    """
    for doc in ctx.documents:
        yield from note_without_marker(doc)


@rule("M003", "note-numbering", Severity.WARNING, per_document=True)
def check_note_numbering(ctx: RuleContext) -> Iterator[Finding]:
    """note numbers skip, repeat or run out of order

    ## What it does
    Checks that numeric note labels run 1, 2, 3… without gaps, repeats or backward steps, and that markers appear in
    the text in increasing order. Gaps explained by a reader diagnostic are skipped.

    ## Why it matters
    Misnumbered notes send readers to the wrong source and are a sign of lost or merged notes.

    ## Example
    ```text
    Notes … 28, 29, 31, 32 …   (30 missing)
    ```

    ## Fix
    Renumber the notes, or restore the missing one.
    """
    for doc in ctx.documents:
        yield from note_numbering(doc)


@rule("M004", "undefined-key", Severity.ERROR, per_document=True)
def check_undefined_key(ctx: RuleContext) -> Iterator[Finding]:
    r"""a cited key has no bibliography entry

    ## What it does
    Finds citation keys used in the text (\cite{key}, [@key], (Smith 2004)) with no bibliography entry.

    ## Why it matters
    The citation cannot be resolved: LaTeX prints “?”, pandoc leaves the key, readers find no source.

    ## Example
    ```text
    \cite{smith2004} with no @book{smith2004, …} in the .bib file
    ```

    ## Fix
    Add the entry, or correct the key (keys are compared ignoring case and punctuation).
    """
    for doc in ctx.documents:
        yield from undefined_key(doc)


@rule("M005", "unused-entry", Severity.WARNING)
def check_unused_entry(ctx: RuleContext) -> Iterator[Finding]:
    r"""a bibliography entry is never cited

    ## What it does
    Finds bibliography entries that no key in the text cites. Only in documents that cite by key at all; an entry
    whose work is also cited in a note counts as used, and \nocite{*} uses everything.

    ## Why it matters
    An uncited entry pads the bibliography, or shows that a citation was lost.

    ## Example
    ```text
    @article{jones1999, …} never cited
    ```

    ## Fix
    Cite it where it is used, or remove it.
    """
    for doc in ctx.documents:
        yield from unused_entry(doc, ctx.per_document.get(doc.path, []))


@rule("M006", "dangling-ibid", Severity.ERROR)
def check_dangling_ibid(ctx: RuleContext) -> Iterator[Finding]:
    """"Ibid." with no citation before it to refer to

    ## What it does
    Finds “Ibid.” with no citation before it in the same document.

    ## Why it matters
    “Ibid.” means “the same as the previous note”; with no previous note it refers to nothing.

    ## Example
    ```text
    1. Ibid., 23.
    ```

    ## Fix
    Replace “Ibid.” with the full citation.
    """
    yield from dangling_ibid(ctx.citations)


@rule("M007", "short-form-without-full", Severity.WARNING)
def check_short_without_full(ctx: RuleContext) -> Iterator[Finding]:
    """a shortened note whose full citation never appears

    ## What it does
    Finds shortened notes (“Author, Short Title, page”) whose full citation appears nowhere in the document.

    ## Why it matters
    A short form is only an abbreviation of a full citation given earlier; without one the reader cannot identify
    the work.

    ## Example
    ```text
    13. Moreau and Lindqvist, “The Grain Barges,” 11.   (no full citation anywhere)
    ```

    ## Fix
    Give the full citation at the first mention of the work.
    """
    yield from short_without_full(ctx.citations)


@rule("M008", "missing-field", Severity.WARNING, per_document=True)
def check_missing_field(ctx: RuleContext) -> Iterator[Finding]:
    """a citation lacks what its kind needs (web: URL; article: container and date; book: publisher or date)

    ## What it does
    Checks that a citation has what its kind needs: a web page a URL; an article a journal and a date; a book a
    publisher or a date. Ibid., short forms, news items, documents and unknown kinds need nothing.

    ## Why it matters
    An incomplete citation cannot be found again, or verified.

    ## Example
    ```text
    Anna Lindqvist, “The Barge Haulers of the Volga”, River History, vol. 4, No. 11, p. 70.   (no date)
    ```

    ## Fix
    Add the missing field.
    """
    yield from missing_field(ctx.citations)


check = family(__name__)
"""Every finding of this family's rules."""
