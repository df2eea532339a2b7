"""What every reader builds a Document with: one builder, and the notes, lists and markers they share.

``DocumentBuilder`` holds the lists a reader fills as it walks its format (markers, notes, entries, keys,
paragraphs, links, diagnostics, the files it names) and turns them into the immutable ``Document`` once.
A reader with more to keep (its source, its parser's state) subclasses it with keyword-only fields.

The rest is what the readers share for notes written as lines of text (the plain-text and PDF readers'
note lists, the hand-made notes of a Word or HTML document): ``RawNote`` (a label and its lines),
``make_note`` (lines joined, hyphenation undone, URLs found and the damaged ones reported),
``Hyphenation`` (which hyphen at a line end is real), ``LIST_ITEM_RE`` (a numbered list item, ``12.`` or
``[12]``) and ``UNIT_BEFORE`` (a superscript digit after a unit or number is an exponent, not a marker).
The section headings every reader knows are in ``verifier.readers.sections``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from verifier.citations.urls import body_urls, join_lines_with_offsets
from verifier.model import (
    Diagnostic,
    Document,
    Entry,
    Hyperlink,
    Include,
    KeyCite,
    Location,
    Marker,
    Note,
    Paragraph,
)

UNIT_BEFORE = re.compile(r"(?:\b(?:k?m|cm|mm|ft|in)|\d)$")
"""A superscript after these (``km²``, ``10²``) is an exponent, not a note marker."""
LIST_ITEM_RE = re.compile(r"^\s*(?:\[(\d{1,4}|[A-Z][A-Za-z+]{0,6}\d{2,4}[a-z]?)\]|(\d{1,4})[.)])\s+(\S.*)$")
"""A numbered list item: ``[12] …``, ``12. …`` or ``12) …`` (the number in group 1 or 2, the text in 3), or
a reference list's item labelled in BibTeX's alpha style, ``[Knu89] …``, ``[GMS94] …`` (the label in group 1)."""
_HYPHEN_PREFIXES = frozenset(
    "self non anti pro post cross well ill quasi semi neo pan all half mid vice "
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred first second third".split()
)
_TOKEN_EDGES = "0123456789.,;:!?()[]{}“”‘’\"'«»*/…–—⁰¹²³⁴⁵⁶⁷⁸⁹"


@dataclass
class DocumentBuilder:
    """The parts of a Document as a reader collects them; ``build()`` makes the Document."""

    path: str
    format: str
    markers: list[Marker] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    keys: list[KeyCite] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    links: list[Hyperlink] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    requests: list[Include] = field(default_factory=list)
    bibliography: bool = False
    """The document names or holds a bibliography (see ``Document.bibliography``)."""
    notes_are_endnotes: bool = False

    def build(self) -> Document:
        """The Document, its lists frozen as they stand."""
        return Document(
            path=self.path,
            format=self.format,
            markers=tuple(self.markers),
            notes=tuple(self.notes),
            entries=tuple(self.entries),
            keys=tuple(self.keys),
            paragraphs=tuple(self.paragraphs),
            links=tuple(self.links),
            diagnostics=tuple(self.diagnostics),
            requests=tuple(self.requests),
            bibliography=self.bibliography,
            notes_are_endnotes=self.notes_are_endnotes,
        )


@dataclass
class RawNote:
    label: str
    line: int
    lines: list[str] = field(default_factory=list)


class Hyphenation:
    """Decides whether a hyphen at a line end is real, from the document's own words.

    Most hyphens at a line end are the typesetter's (``organiza-`` + ``tion``)
    and go. The hyphen stays when the document writes the same compound
    elsewhere within a line (``power-`` + ``sharing``, because of
    "power-sharing"), or — unless it writes the word whole (``cooperation``) —
    when the first part is a prefix or number that forms compounds (``self-``,
    ``non-``, ``cross-``, ``thirty-``). The vocabulary is collected on the first
    question, with one split of the text (a regex over it cost more than the
    rest of the reader).
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._lower = ""
        self._compounds: set[str] | None = None

    def _compound_words(self) -> set[str]:
        """Every hyphenated word written within one line (found from the hyphens: prose has few)."""
        if self._compounds is None:
            text = self._lower = self._text.lower()
            compounds: set[str] = set()
            i = text.find("-")
            while i >= 0:
                if 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha():
                    start = max(text.rfind(" ", 0, i), text.rfind("\n", 0, i)) + 1
                    end = min(j for j in (text.find(" ", i), text.find("\n", i), len(text)) if j >= 0)
                    compounds.add(text[start:end].strip(_TOKEN_EDGES))
                    i = end  # the word's other hyphens would find the same word (a URL's slug has many)
                i = text.find("-", i + 1)
            self._compounds = compounds
        return self._compounds

    def _written_whole(self, word: str) -> bool:
        text, i = self._lower, self._lower.find(word)
        while i >= 0:
            if (i == 0 or not text[i - 1].isalpha()) and not text[i + len(word) : i + len(word) + 1] == "-":
                return True
            i = text.find(word, i + 1)
        return False

    def __call__(self, left: str, right: str) -> bool:
        left, right = left.lower(), right.lower()
        if f"{left}-{right}" in self._compound_words():
            return True
        # "co-" + "operation" where the document writes "cooperation": the typesetter's hyphen
        return left in _HYPHEN_PREFIXES and not self._written_whole(left + right)


def make_note(raw: RawNote, hyph: Hyphenation, diagnostics: list[Diagnostic]) -> Note:
    text, starts = join_lines_with_offsets(raw.lines, hyph)
    urls: list[str] = []
    damaged: list[str] = []
    lines = [(start, n) for n, start in enumerate(starts) if start is not None]
    for _, _, url, why in body_urls(text, lines, end_breaks=True):
        if why:
            damaged.append(url)
            diagnostics.append(
                Diagnostic(
                    "F004",
                    f"The URL in note {raw.label} cannot be requested: {why}: {url}",
                    Location(raw.line),
                    url=url,
                    note=raw.label,
                    suggestion="Restore the URL from the source document.",
                )
            )
        elif url not in urls:
            urls.append(url)
    return Note(raw.label, text, Location(raw.line), tuple(urls), tuple(damaged))
