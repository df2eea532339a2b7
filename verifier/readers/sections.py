"""One vocabulary of section headings for every reader, and what makes a section's items notes.

A heading names a notes section ("Notes", "Endnotes", "Anmerkungen", "Примечания") or a references
section ("References", "Works cited", "Literaturverzeichnis", "Bibliografía") in the main European
languages. A heading alone is weak evidence: a wiki page's "Notes" section may list note-taking
applications. :func:`note_like` says whether a section's items read like notes (citations: a year, a
page, a URL, "Ibid."), which a reader asks before it turns a section it found only by its heading into notes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

NOTE_WORDS = (
    "notes?", "endnotes?", "foot\\s?notes?", "notes\\s+and\\s+references", "anmerkungen", "fu(?:ß|ss)noten",
    "endnoten", "notas", "notas\\s+al\\s+pie", "notes\\s+de\\s+bas\\s+de\\s+page", "noten", "примечания",
    "сноски", "przypisy", "poznámky", "noter", "notlar",
)
"""Headings of a notes section (regular expressions, matched whole and case-blind)."""
REFERENCE_WORDS = (
    "references?", "reference\\s+list", "bibliography", "select\\s+bibliography", "works\\s+cited",
    "literature(?:\\s+cited)?", "sources", "citations", "literatur", "literaturverzeichnis",
    "quellen", "quellenverzeichnis", "quellen\\s+und\\s+literatur", "bibliographie", "références",
    "références\\s+bibliographiques", "bibliografía", "bibliografia", "referencias", "referências",
    "riferimenti(?:\\s+bibliografici)?", "fuentes", "fontes", "fonti", "литература", "список\\s+литературы",
    "источники", "bibliografie", "literatuur", "bronnen", "referenser", "litteratur", "källor", "kilder",
    "kaynakça", "kaynaklar", "piśmiennictwo", "literatura",
)
"""Headings of a references / bibliography section."""

_NUMBERING = r"(?:#+\s*)?(?:[0-9IVX]+\.?\s+)?"
HEADING_RE = re.compile(
    r"^\s*" + _NUMBERING + r"(" + "|".join(NOTE_WORDS + REFERENCE_WORDS) + r")\s*:?\s*$", re.IGNORECASE
)
"""A notes or references heading; group 1 is its word."""
REFERENCES_HEADING_RE = re.compile(r"^\s*" + _NUMBERING + r"(" + "|".join(REFERENCE_WORDS) + r")\s*:?\s*$",
                                   re.IGNORECASE)
"""A references heading only (a Markdown document's notes are ``[^label]`` definitions, not a section)."""
BACK_MATTER_RE = re.compile(
    r"^\s*(?:[A-Z](?:\.\d+)*\.?\s+)?(?:appendix|appendices|supplementary\s+(?:material|information)|"
    r"anhang|annexe?s?|anexos?|apéndices?|приложени[ея])\b[^.]{0,60}$"
    # an index: its heading stands alone (an entry may open with the word: "Index on Censorship, 12")
    r"|^\s*(?:[A-Z]\.?\s+)?(?:index|indices|register|stichwortverzeichnis|sachregister|"
    r"índice\s+(?:alfabético|analítico|remissivo)|(?:предметный\s+)?указатель)\s*:?\s*$",
    re.IGNORECASE,
)
"""A heading that ends a references or notes list at the end of a document: an appendix or an index follows."""
_NOTE_WORD_RE = re.compile(r"(?:" + "|".join(NOTE_WORDS) + r")", re.IGNORECASE)


def is_note_heading(word: str) -> bool:
    """Whether a heading word (HEADING_RE's group 1) names a notes section."""
    return bool(_NOTE_WORD_RE.fullmatch(" ".join(word.split())))


_CITED = re.compile(
    r"\b(?:1[5-9]\d\d|20\d\d)[a-z]?\b"  # a year
    r"|https?://|www\.|doi:|\bdoi\.org"  # a link or an identifier
    r"|\b(?:pp?|S|s|vol|no|ed|eds|trans|tr|cf|op\.\s*cit|loc\.\s*cit)\.|\bibid\b|\bibidem\b|\bid\.",
    re.IGNORECASE,
)


def note_like(texts: Sequence[str]) -> bool:
    """Whether the items of a section headed "Notes" read like notes: at least half of them cite (a year, a
    page, a URL, "Ibid."). A list of applications, people or steps does not."""
    items = [t for t in texts if t.strip()]
    if not items:
        return False
    cited = sum(bool(_CITED.search(t)) for t in items)
    return cited * 2 >= len(items)
