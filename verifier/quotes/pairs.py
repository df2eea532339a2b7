"""Quotation–source pairs: a direct quotation in the body, its note, and the URLs that note cites.

A quotation is six words or more (``MIN_WORDS``) between straight or curly
double quotes, ‘single curly quotes’, «guillemets» (either way round), „German quotes“, or a whole
block quotation (Markdown ``>``, HTML ``<blockquote>``, LaTeX ``quote`` /
``quotation`` / ``displayquote``; ``\\enquote{…}`` and ``\\textquote{…}`` the
LaTeX reader renders as curly quotes). Title Case names ("Treaty of
Friendship, Cooperation and Mutual Aid") are titles, not quotations. It is
*paired* when a note marker (or a citation key) stands inside it or after it
within the same sentence, and the citations of that note give a URL. A note
citing several sources pairs the quotation with each; an ``Ibid.`` pairs it
with the source it stands for. Quotations without a note (news reporting, an
attribution in the text) pair with nothing and are not checked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from verifier.model import Citation, Document, Location, Origin, Paragraph
from verifier.quotes.scan import MIN_WORDS, WORD, is_title, quotations, sentences

_PAIRED = (  # each with the character it opens with: a paragraph without it is not searched
    ("«", re.compile(r"«\s*([^«»]+?)\s*»")),
    ("»", re.compile(r"»\s*([^«»]+?)\s*«")),
    ("„", re.compile(r"„\s*([^„“”]+?)\s*[“”]")),
    # British ‘single quotes’: a ’ inside a word (valley’s, don’t) is an apostrophe, not the closing quote
    ("‘", re.compile(r"(?<!\w)‘((?:[^‘’]|’(?=\w))+?)’(?!\w)")),
)


@dataclass(frozen=True, slots=True)
class Pair:
    """One quotation and the sources its note cites."""

    text: str
    document: str
    location: Location
    citations: tuple[str, ...]
    urls: tuple[str, ...]


def spans(para: Paragraph) -> list[tuple[int, int, str]]:
    """``(start, end, quoted text)`` of the quotations of one paragraph, long enough and not titles."""
    text = para.text
    if para.quoted:
        found = [(0, len(text), text.strip().strip("\"“”«»„"))]
    else:
        found = []
        masked = text
        for opener, rx in _PAIRED:
            if opener not in masked:
                continue
            for m in rx.finditer(masked):
                found.append((m.start(), m.end(), m.group(1)))
                masked = masked[: m.start()] + " " * (m.end() - m.start()) + masked[m.end():]
        if '"' in masked or "“" in masked or "”" in masked:
            for start, end, closed in quotations(masked):
                found.append((start, end, text[start + 1 : end - 1 if closed else end]))
    out = []
    for start, end, inner in sorted(found):
        words = WORD.findall(inner)
        if len(words) >= MIN_WORDS and not is_title(words):
            out.append((start, end, inner.strip()))
    return out


def _labels(para: Paragraph, start: int, end: int, ends: Sequence[tuple[int, int]]) -> list[str]:
    """Markers inside the quotation, or after it up to its sentence's end (the first such group)."""
    stop = next((e for s, e in ends if s <= max(end - 1, start) < e), len(para.text))
    inside = [label for off, label in para.markers if start <= off <= end]
    if inside:
        return inside
    after = sorted((off, label) for off, label in para.markers if end < off <= max(stop, end + 3))
    if not after:
        return []
    first = after[0][0]
    return [label for off, label in after if off - first <= 3]  # one group of markers: ¹² or [@a; @b]


@dataclass(frozen=True, slots=True)
class Quoted:
    """A quotation of a document's body and the note labels standing in it or after it: what ``pairs``
    needs of a document's paragraphs (found where the document was read, in the map step)."""

    text: str
    location: Location
    labels: tuple[str, ...]


def quoted(doc: Document) -> tuple[Quoted, ...]:
    """The quotations of ``doc``'s paragraphs that have note markers, with the labels of their notes."""
    out: list[Quoted] = []
    for para in doc.paragraphs:
        if not para.markers:
            continue
        found = spans(para)
        if not found:
            continue
        ends = sentences(para.text)
        for start, end, inner in found:
            out.append(Quoted(inner, para.location_at(start), tuple(_labels(para, start, end, ends))))
    return tuple(out)


def pairs(docs: Sequence[Document], citations: Sequence[Citation], urls_of: Mapping[str, Sequence[str]],
          found: Mapping[str, Sequence[Quoted]] | None = None) -> list[Pair]:
    """Every quotation whose note cites at least one URL, with the citations and URLs it is to be checked
    against. ``found``: the ``quoted`` of documents, by path, where the map step found them already."""
    notes: dict[tuple[str, str], list[Citation]] = {}
    entries: dict[str, list[Citation]] = {}
    by_source: dict[str, list[Citation]] = {}
    for c in citations:
        if c.origin is Origin.NOTE and c.note is not None:
            notes.setdefault((c.document, c.note), []).append(c)
        elif c.origin in (Origin.ENTRY, Origin.KEY) and c.note is not None:
            entries.setdefault(c.note, []).append(c)
        if c.source is not None:
            by_source.setdefault(c.source, []).append(c)
    out: list[Pair] = []
    for doc in docs:
        known = found.get(doc.path) if found is not None else None
        for q in known if known is not None else quoted(doc):
            cited: list[Citation] = []
            for label in q.labels:
                cited.extend(notes.get((doc.path, label)) or entries.get(label) or ())
            urls: list[str] = []
            ids: list[str] = []
            for c in cited:
                own = list(urls_of.get(c.id, ()))
                if not own and c.source is not None:  # Ibid., a short form: the URLs of the work it names
                    own = [u for other in by_source[c.source] for u in urls_of.get(other.id, ())]
                if own:
                    ids.append(c.id)
                    urls.extend(u for u in own if u not in urls)
            if urls:
                out.append(Pair(q.text, doc.path, q.location, tuple(ids), tuple(urls)))
    return out
