"""M009 unsourced-quotation: direct quotations in the body with no citation near them; Q001 and Q002:
quotations their cited web source does not hold (the matching is in ``verifier.quotes``).

A *quotation* is text between double quotes (straight or curly) of at least
six words that is not a Title Case name ("Treaty of Friendship, Cooperation
and Mutual Aid"). An opening quote never closed runs to the end of its
sentence. It is *sourced* when

* a note marker (or a citation key) stands inside it, or after it within the
  same sentence or the next one;
* an inline citation ("(Russian agencies, April 17-19)") stands in the same
  paragraph;
* in a document with no notes, markers or keys at all (news), a speech
  attribution ("said", "according to", …) stands in the same sentence or the
  one before or after it. Scholarly quotations need a note.

Paragraphs split by a page break (one ends mid-sentence, the next starts in
lower case) are read as one passage.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from verifier.model import Citation, Document, Finding, Origin, QuotationStatus, Severity
from verifier.quotes.scan import (
    MIN_WORDS,
    WORD,
    has_quotation_marks,
    is_title,
    passages,
    quotations,
    sentence_index,
    sentences,
)
from verifier.rules.catalog import family, rule
from verifier.rules.common import RuleContext, make_finding, quote

CLOSE = 0.6
"""Q001 shows the closest passage only from this similarity up (below it, an unrelated stretch of the page)."""

_ATTRIBUTION = re.compile(
    r"\b(said|says|saying|told|tells|telling|according\s+to|stated|states|stating|declared|declares|added|adds|"
    r"noted|explained|argued|argues|wrote|writes|warned|warns|insisted|claimed|announced|asked|replied|"
    r"remarked|commented|commenting|affirmed|admitted|reaffirmed|quoted)\b",
    re.IGNORECASE,
)


# ---------------------------------------------------------------------------- rule


def _inline_spans(text: str) -> list[tuple[int, int]]:
    """Inline citations the parser finds in ``text``; none if the parser is not available."""
    try:
        from verifier.citations import find_inline
    except ImportError:
        return []
    return [(start, end) for start, end, _raw in find_inline(text)]


def _key_offsets(doc: Document) -> dict[int, list[int]]:
    """Citation keys in the body as marker offsets, per paragraph index."""
    if not doc.keys:
        return {}
    starts: dict[int, tuple[int, int]] = {}
    for i, para in enumerate(doc.paragraphs):
        for off, line in para.lines:
            starts.setdefault(line, (i, off))
    out: dict[int, list[int]] = {}
    for cite in doc.keys:
        if cite.location.line in starts:
            i, off = starts[cite.location.line]
            out.setdefault(i, []).append(off + (cite.location.column or 1) - 1)
    return out


def unsourced_quotations(doc: Document, inline: Sequence[Citation] = ()) -> Iterator[Finding]:
    """M009 for one document. ``inline`` are its citations (those of origin INLINE count, located by line)."""
    if doc.notes and not doc.markers and not doc.keys:
        return  # notes but no markers found: nothing to tell sourced from unsourced
    if not has_quotation_marks(doc.paragraphs):
        return  # no quotation marks at all
    attribution_counts = not doc.markers and not doc.notes and not doc.keys
    inline_lines = {c.location.line for c in inline if c.origin is Origin.INLINE}
    for passage in passages(doc.paragraphs, _key_offsets(doc)):
        text = passage.text
        if '"' not in text and "“" not in text:
            continue
        candidates = []  # long enough, and no name
        for start, end, closed in quotations(text):
            inner = text[start + 1 : end - 1 if closed else end]
            words = WORD.findall(inner)
            if len(words) >= MIN_WORDS and not is_title(words):
                candidates.append((start, end, inner, words))
        if not candidates or inline_lines & passage.lines() or _inline_spans(text):
            continue
        spans = sentences(text)
        for start, end, inner, words in candidates:
            last = sentence_index(spans, max(end - 1, start))
            limit = spans[min(last + 1, len(spans) - 1)][1]
            if any(start <= off <= limit for off in passage.markers):
                continue
            if attribution_counts:
                first = sentence_index(spans, start)
                window = text[spans[max(first - 1, 0)][0] : start] + " " + text[end:limit]
                if _ATTRIBUTION.search(window):
                    continue
            need = "no attribution or source near it" if attribution_counts else "no note marker after it"
            yield make_finding(
                "M009",
                f"The quotation {quote(inner.strip(), 70)} ({len(words)} words) has {need}.",
                document=doc.path,
                location=passage.location_at(start),
                suggestion="Cite the source of the quotation with a note right after it."
                if not attribution_counts
                else "Say who is quoted, or cite where the quotation comes from.",
            )


@rule("M009", "unsourced-quotation", Severity.INFO)
def check_unsourced_quotations(ctx: RuleContext) -> Iterator[Finding]:
    """a direct quotation in the body with no citation near it

    ## What it does
    Finds direct quotations in the body (six words or more between double quotes, not a Title Case name; an unclosed
    quote runs to the end of its sentence) with no note marker inside or after them within the same or the next
    sentence, and no inline citation in the paragraph. In documents without notes (news), a speech attribution
    (“said”, “according to”…) next to the quotation also counts.

    ## Why it matters
    A quotation asserts that somebody said exactly these words; it needs a source.

    ## Example
    ```text
    According to Pavel Grachev, "Russia does not intend to get involved in fighting…".   (no marker)
    ```

    ## Fix
    Add a note citing where the quotation comes from.
    """
    for doc in ctx.documents:
        yield from unsourced_quotations(doc, ctx.per_document.get(doc.path, ()))


@rule("Q001", "quotation-not-in-source", Severity.WARNING, offline=False)
def check_quotation_not_in_source(ctx: RuleContext) -> Iterator[Finding]:
    """a direct quotation (6+ words) whose cited web source, live or in the capture nearest the access date, does
    not contain it; the message shows the closest passage and its similarity

    ## What it does
    Looks for each direct quotation (six words or more, in any kind of quotation marks, or a block quotation) whose
    note marker follows it within the sentence, in the main text of the web pages that note cites: live, and in the
    archived capture nearest the access date. Matching ignores case, punctuation, typographic quotes and dashes, soft
    hyphens and line-end hyphenation; an ellipsis matches any gap and a [bracketed] insertion a few words or none.
    Text in scripts, comments, navigation, headers, footers and adverts does not count. Quotations whose source
    could not be read (blocked, no capture) are counted in the summary, not reported.

    ## Why it matters
    Misquotation — a changed word, a paraphrase inside quotation marks, a quotation from another page — is what an
    editor most fears, and what no link or reference check sees.

    ## Example
    ```text
    "the project will be completed within two years" → closest passage (91 % similar): "...to be completed
    within five years..."
    ```

    ## Fix
    Correct the quotation against the source, or cite the page it really comes from.
    """
    for q in ctx.quotations:
        if q.status is QuotationStatus.NOT_FOUND:
            percent = round((q.similarity or 0) * 100)
            if q.passage and (q.similarity or 0) >= CLOSE:
                closest = f"; the closest passage ({percent} % similar, at {q.where}) reads {quote(q.passage, 160)}"
            else:
                closest = f"; no passage of {q.where} comes close (best {percent} % similar)"
            yield make_finding(
                "Q001", f"the quotation {quote(q.text, 90)} is not in its cited source{closest}",
                document=q.document, location=q.location, citations=q.citations, url=q.where,
                suggestion="check the quotation against the source, or cite the page it comes from",
            )


@rule("Q002", "quotation-only-in-archive", Severity.INFO, offline=False)
def check_quotation_only_in_archive(ctx: RuleContext) -> Iterator[Finding]:
    """the live page no longer contains the quotation but the capture nearest the access date does; the
    suggestion is that capture's URL

    ## What it does
    Reports a quotation that the live page no longer holds (or that is gone) while the archived capture nearest the
    access date does: the page changed after it was cited.

    ## Why it matters
    A reader who follows the link will not find the quoted words.

    ## Example
    ```text
    "the old bridge will be demolished" → only in https://web.archive.org/web/20190305120000/https://example.org/bridge
    ```

    ## Fix
    Cite the archived capture (the suggestion) besides or instead of the live URL.
    """
    for q in ctx.quotations:
        if q.status is QuotationStatus.FOUND_IN_ARCHIVE:
            live = f"the live page cannot be read ({q.why})" if q.why else "it is no longer on the live page"
            yield make_finding(
                "Q002", f"the quotation {quote(q.text, 90)} is only in the archive: {live}; the capture nearest "
                f"the access date holds it",
                document=q.document, location=q.location, citations=q.citations, url=q.where,
                suggestion=q.where,
            )


check = family(__name__)
"""Every finding of this family's rules."""
