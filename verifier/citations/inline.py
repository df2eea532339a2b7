"""Parenthetical attributions in body text: ``(Wire agencies, March 3-5)``, ``(Smith 2004)``.

News analyses name their sources in brackets at the end of a sentence, and
papers use author–date cites. Most brackets in prose are neither —
``(in 2012)``, ``(CST)``, ``(1992–1995)``, ``(EEU, also abbreviated as EAEU)`` —
so a bracket counts only when every part of it reads as a citation:
a name list and a year, or a source and a date (month and day, or a year).
"""

from __future__ import annotations

import re

from .kinds import is_news_outlet

_PAREN_RE = re.compile(r"\(([^()]{2,300})\)")
_LEAD = r"(?:(?:see|cf\.|e\.g\.,?|also|compare)\s+)*(?:also\s+)?(?:the\s+)?"
_NOT_NAME = (
    r"(?!(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|Spring|Summer|Autumn|Fall|Winter|Since|Until|In|From|"
    r"By|After|Before|Early|Late|Mid|Circa|Around|End|Until|Only|Up|About|Some|As|The|And)\b)"
)
_NAME = rf"{_NOT_NAME}[A-Z][\w'’\-]+(?:\s+(?:van|von|de|der|da|di|du|le|la)\s+[A-Z][\w'’\-]+)?"
_NAMES = rf"{_NAME}(?:(?:,\s*{_NAME})*,?\s+(?:and|&)\s+{_NAME}|\s+et\s+al\.?)?"
_YEARS = r"(?:1[5-9]\d\d|20\d\d)[a-z]?(?:\s*,\s*(?:1[5-9]\d\d|20\d\d)[a-z]?)*|n\.\s?d\."
_LOCATOR = r"(?:\s*[,:]\s*(?:pp?\.\s*|at\s+)?\d+(?:\s*[-–]\s*\d+)?)?"
_AUTHOR_DATE_RE = re.compile(rf"^{_LEAD}{_NAMES},?\s+(?:{_YEARS}){_LOCATOR}$")
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAYS = r"\d{1,2}(?:\s*[-–]\s*\d{1,2})?(?:\s*,\s*\d{1,2}(?:\s*[-–]\s*\d{1,2})?)*"
_DATE = rf"(?:{_MONTH}\s+{_DAYS}(?:\s*,?\s*(?:19|20)\d\d)?|\d{{1,2}}\s+{_MONTH}(?:\s+(?:19|20)\d\d)?|(?:19|20)\d\d)"
# A source: a few words, the first capitalised ("Wire agencies", "the Courier", "AP/XY Newswire").
_SOURCE = r"[A-Z][\w.'’/&\-]*(?:\s+[\w.'’/&\-]+){0,5}"
_SOURCE_DATE_RE = re.compile(rf"^{_LEAD}(?P<src>{_SOURCE}),\s+{_DATE}(?:\s*,\s*{_DATE})*\.?$")
_LEAD_RE = re.compile(rf"^{_LEAD}", re.IGNORECASE)
_MONTH_START_RE = re.compile(rf"{_MONTH}(?:\s|$)")
_PROSE_RE = re.compile(
    r"\b(?:is|are|was|were|has|have|had|with|until|during|than|that|which|who|according|also|as|of|in|on|"
    r"from|for|to|by)\b"
)


def _is_citation(part: str) -> bool:
    p = part.strip()
    if _AUTHOR_DATE_RE.match(p):
        return True
    m = _SOURCE_DATE_RE.match(p)
    if m:
        src = _LEAD_RE.sub("", m.group("src"))
        # "(October 16, 2013)" is a date, not a source and a date.
        return not _PROSE_RE.search(src) and not _MONTH_START_RE.match(src)
    core = _LEAD_RE.sub("", p)
    return is_news_outlet(core) and len(core.split()) <= 5


def _parts(inner: str, offset: int) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    pos = 0
    for m in re.finditer(r";", inner + ";"):
        raw = inner[pos : m.start()]
        lead = len(raw) - len(raw.lstrip())
        raw_s = raw.strip()
        if raw_s:
            start = offset + pos + lead
            out.append((start, start + len(raw_s), raw_s))
        pos = m.end()
    return out


def find_inline(text: str) -> list[tuple[int, int, str]]:
    """Parenthetical citations in ``text``: ``(start, end, raw)`` per source, ``text[start:end] == raw``.

    ``(Wire agencies, March 3-5; see the Courier, March 1, 4)`` gives two
    entries, one per source, without the brackets; a bracket any of whose
    parts is not a citation gives none.
    """
    out: list[tuple[int, int, str]] = []
    if "(" not in text:
        return out
    for m in _PAREN_RE.finditer(text):
        inner = m.group(1)
        if not any(map(str.isdigit, inner)) and not inner[:1].isupper():
            continue
        parts = _parts(inner, m.start(1))
        if parts and all(_is_citation(raw) for _, _, raw in parts):
            out.extend(parts)
    return out
