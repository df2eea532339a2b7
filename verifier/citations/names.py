"""Personal and institutional names in citations.

Author lists come in many shapes, and the shape decides where each name ends:

- ``Claire Moreau and Erik Lindqvist`` — given then family;
- ``Smith, J., Paunesku, D., & Dweck, C.`` — family, initials (APA);
- ``Lakoff, George, and Mark Johnson`` — first name inverted (Chicago);
- ``D. Callahan, S. Carr, and K. Kennedy`` — initials first;
- ``Pérez-Higueras JJ, Arias A`` / ``Heidegger M.`` — family, then initials (Vancouver);
- ``Human Rights Watch`` — an institution, kept whole as a ``literal``.

``parse_names`` splits a known author block into ``Person`` values;
``leading_names`` finds how far an author list runs at the start of a
citation that goes straight on to its title (``Feferman, S., Transfinite…``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from verifier.model import Person

from .text import clean, strip_punct
from .tokens import role_hints, role_words_re

PARTICLES = frozenset(
    "van von de der den del della delle di da du la le des dos das do ter ten bin ibn al el y zu af av st saint mc mac"
    .split()
)
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "jnr", "snr"})
# Capitalised words that never start or make up a personal name in a citation.
_NOT_NAMES = frozenset(
    """
    the a an in on of for to from with by at and but or how why what when where who which this that these those
    is are was were towards toward between introduction chapter part see also however although because since
    after before during report press university journal review proceedings proc vol no interview statement
    available retrieved accessed online new notes note study studies analysis history theory case our their
    its his her we they it there here some all any one two three first second letter speech decree treaty
    ibid ibidem op cit quoted cited according unpublished paper working discussion technical thesis
    """.split()
)
def _institution_lexicon() -> tuple[frozenset[str], tuple[str, ...]]:
    """The words of ``data/institution-words.txt`` and its German compound endings ("-amt")."""
    text = resources.files("verifier.citations").joinpath("data", "institution-words.txt").read_text("utf-8")
    words = [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]
    return frozenset(w for w in words if not w.startswith("-")), tuple(w[1:] for w in words if w.startswith("-"))


INSTITUTION_WORDS, _INSTITUTION_ENDINGS = _institution_lexicon()

EDITOR_RE = re.compile(
    rf"(?:,?\s*\((?:{role_words_re('editor')})\.?\)\.?"
    r"|,\s*(?:eds?|editors?|hrsg|comps?)\.?(?=$|[\s,:;.])|\s+(?:eds?|editors?)\.(?=$|[\s,:;]))",
    re.IGNORECASE,
)
_ED_BY_RE = re.compile(r"^(?:ed(?:ited)?\.?\s+by|eds?\.)\s+", re.IGNORECASE)
_ET_AL_RE = re.compile(r",?\s*(?:et\s*al\.?|and\s+others|u\.\s*a\.)(?=$|[\s,;.)])", re.IGNORECASE)
# "and", "&", "und", "et", "y", "e" between names. Opens with the class of the first characters (a comma,
# a space, "&") so the scan skips to candidates; a lookbehind then tells which it was.
_CONJ_RE = re.compile(
    r"[,\s&](?:(?<=,)\s*(?:(?i:and|&|und|et|y|e)|u\.)\s+|(?<=\s)\s*(?:(?i:and|&|und|et|y|e)|u\.)\s+|(?<=\s)&\s*|(?<=&)\s*)"
)
_LEADING_CONJ_RE = re.compile(r"^(?:and|&)\s+", re.IGNORECASE)

_INITIALS_RE = re.compile(r"(?:[^\W\d_](?:-[^\W\d_])?[^\W\d_]?\.(?:\s?-\s?)?\s?)+")  # J.  J.C.  J.-P.  J-L.  Th.
_VANCOUVER_RE = re.compile(r"[A-Z]{1,3}")  # JJ, OA
_CAP_WORD_RE = re.compile(r"[^\W\d_][^\W\d_]*(?:[-'’][^\W\d_]+)*\.?")
_GLUED_INITIALS_RE = re.compile(r"(?:[A-Z]\.){1,3}[^\W\d_]{2,}")
_GLUED_SPLIT_RE = re.compile(r"((?:[A-Z]\.){1,3})(.+)")
_WORDS_RE = re.compile(r"[^\W\d_]+")
_BY_RE = re.compile(r"^by\s+", re.IGNORECASE)
_POSSESSIVE_RE = re.compile(r"['’]s\b(?=\s*(?:\(?(?:eds?|hrsg)\b|$))", re.IGNORECASE)


class _Chunk(NamedTuple):
    kind: str
    """I initials, IF initials+family, FI family+initials, GF given+family, UF FAMILY Given, W one word, X other."""
    tokens: tuple[str, ...]


def _may_mark_editors(text: str) -> bool:
    low = text.lower()
    return any(h in low for h in role_hints("editor"))


def has_editor_marker(text: str) -> bool:
    """Whether ``text`` marks its names as editors: ``(ed.)``, ``eds.``, ``(Hrsg.)``, ``ed. by``."""
    return _may_mark_editors(text) and bool(EDITOR_RE.search(text) or _ED_BY_RE.match(text.strip()))


def strip_editor_marker(text: str) -> str:
    """``text`` without its editor markers."""
    if not _may_mark_editors(text):
        return text.strip()
    return _ED_BY_RE.sub("", EDITOR_RE.sub("", text.strip())).strip()


@lru_cache(maxsize=8192)
def _is_cap_word(tok: str) -> bool:
    return bool(tok) and tok[0].isupper() and _CAP_WORD_RE.fullmatch(tok) is not None and (
        tok.lower().rstrip(".") not in _NOT_NAMES
    )


@lru_cache(maxsize=8192)
def _is_initials(tok: str) -> bool:
    if not tok or not tok[0].isupper() or len(tok) > 8 or tok.lower() in _SUFFIXES:
        return False
    return len(tok) == 1 or ("." in tok and _INITIALS_RE.fullmatch(tok) is not None)


def _is_particle(tok: str) -> bool:
    low = tok.lower()
    return low in PARTICLES or low.startswith(("al-", "el-", "d'", "d’"))


def _is_vancouver(tok: str) -> bool:
    """Initials without periods, as Vancouver style writes them: ``JJ``, ``OA`` (``_VANCOUVER_RE``)."""
    return len(tok) <= 3 and tok.isascii() and tok.isalpha() and tok.isupper()


def _is_upper_word(tok: str) -> bool:
    return len(tok) >= 2 and tok.isupper() and tok.isalpha()


def _tokens(chunk: str) -> list[str]:
    # "J.C.Smith" / "B.C." stay whole; split "J. Smith" on spaces only.
    return chunk.replace("(", " ").replace(")", " ").split()


class _Token(NamedTuple):
    """What the shape of an author-list piece depends on, for one of its tokens."""

    initials: bool
    """``J.``, ``J.-P.``, ``Th.``"""
    cap_word: bool
    """A capitalised word that can be a name."""
    particle: bool
    """``van``, ``de``, ``al-``"""
    upper: bool
    """``SMITH``"""
    vancouver: bool
    """Initials without periods: ``JJ``."""
    glued: bool
    """Initials glued to a family name: ``J.Smith``."""
    dotted: bool
    """Ends with a period."""


@lru_cache(maxsize=8192)
def _token(tok: str) -> _Token:
    return _Token(
        _is_initials(tok), _is_cap_word(tok), _is_particle(tok), _is_upper_word(tok),
        _is_vancouver(tok), tok[1:2] == "." and _GLUED_INITIALS_RE.fullmatch(tok) is not None, tok.endswith("."),
    )


@lru_cache(maxsize=4096)
def classify(chunk: str) -> _Chunk:
    """The shape of one comma-separated piece of an author list (cached: lists are re-read)."""
    chunk = chunk.strip()
    if chunk[:1] in ("a", "A", "&"):
        chunk = _LEADING_CONJ_RE.sub("", chunk)
    toks = _tokens(chunk)
    if len(toks) > 1 and _may_hold_suffix(chunk):
        toks = [x for x in toks if x.lower().rstrip(".,") not in _SUFFIXES] or toks  # "Wimsatt Jr.", "Stewart III"
    if not toks or len(toks) > 6:
        return _Chunk("X", tuple(toks))
    return _Chunk(_shape(tuple(map(_token, toks))), tuple(toks))


@lru_cache(maxsize=4096)
def _shape(toks: tuple[_Token, ...]) -> str:
    """``classify``'s kind for tokens like these (cached: author lists repeat a few shapes)."""
    if all(t.initials for t in toks):
        return "I"
    if len(toks) == 1:
        if toks[0].glued:  # "J.Smith"
            return "IF"
        if toks[0].cap_word and not toks[0].dotted:
            return "W"
        return "X"
    first, last = toks[0], toks[-1]
    # Vancouver: "Pérez-Higueras JJ", "de la Macorra JC", "Arias A"
    if last.vancouver and len(toks) <= 4 and not first.upper:
        if all(t.cap_word or t.particle for t in toks[:-1]) and any(t.cap_word for t in toks[:-1]):
            return "FI"
    if not all(t.cap_word or t.initials or t.particle for t in toks):
        return "X"
    if not any(t.cap_word and not t.initials for t in toks):
        return "X"
    if first.initials:
        if last.initials:
            return "X"
        return "IF"
    if last.initials and len(toks) <= 4:
        return "FI"
    if first.upper and not last.upper and len(toks) <= 4:
        return "UF"
    if first.particle and len(toks) <= 4:
        # "de la Macorra", "van Dijk": a family name on its own
        return "W"
    last_initial = max((i for i, t in enumerate(toks) if t.initials), default=-1)
    after = toks[last_initial + 1 :]
    if last_initial >= 0 and len(after) > 1 and not after[0].particle:
        return "X"  # "Lipeck U. W. Deriving Integrity": a name running into a title
    if len(toks) <= 5 and not last.dotted:
        return "GF"
    return "X"


def _may_hold_suffix(chunk: str) -> bool:
    """Whether ``chunk`` may hold a token in ``_SUFFIXES`` ("Jr.", "III", "Snr")."""
    low = chunk.lower()
    return "jr" in low or "sr" in low or "ii" in low or "iv" in low or "jnr" in low or "snr" in low


def _given_like(ch: _Chunk) -> bool:
    """Whether a chunk can be the given-name half of an inverted name (``Smith, | John A.``)."""
    if ch.kind == "I":
        return True
    if ch.kind == "W":
        return not (len(ch.tokens[0]) > 3 and _is_upper_word(ch.tokens[0]))
    if ch.kind in ("FI", "GF") and len(ch.tokens) <= 3:
        return all(_is_cap_word(x) or _is_initials(x) for x in ch.tokens)
    return False


def _person(ch: _Chunk) -> Person:
    toks = list(ch.tokens)
    if ch.kind == "IF":
        if len(toks) == 1:  # "J.Smith"
            m = _GLUED_SPLIT_RE.fullmatch(toks[0])
            if m:
                return Person(family=m.group(2), given=m.group(1))
        i = 0
        while i < len(toks) and _is_initials(toks[i]):
            i += 1
        return Person(family=" ".join(toks[i:]), given=" ".join(toks[:i]))
    if ch.kind == "FI":
        j = len(toks)
        while j > 1 and (_is_initials(toks[j - 1]) or _VANCOUVER_RE.fullmatch(toks[j - 1])):
            j -= 1
        return Person(family=" ".join(toks[:j]), given=" ".join(toks[j:]))
    if ch.kind == "UF":
        j = 1
        while j < len(toks) and _is_upper_word(toks[j]):
            j += 1
        return Person(family=" ".join(toks[:j]), given=" ".join(toks[j:]) or None)
    if ch.kind == "GF":
        if toks[-1].lower().rstrip(".") in _SUFFIXES and len(toks) > 2:
            toks = toks[:-1]
        j = len(toks) - 1
        while j > 1 and _is_particle(toks[j - 1]):
            j -= 1
        return Person(family=" ".join(toks[j:]), given=" ".join(toks[:j]))
    if ch.kind == "W":
        return Person(family=" ".join(toks))
    return Person(literal=" ".join(toks))


@lru_cache(maxsize=4096)
def is_institution(text: str) -> bool:
    """Whether ``text`` names an organisation rather than people (``Human Rights Watch``, ``OSCE``)."""
    words = _WORDS_RE.findall(text)
    if not words:
        return False
    if len(words) == 1 and words[0].isupper() and 2 <= len(words[0]) <= 8:
        return True
    if len(words) > 12 or any(map(str.isdigit, text)):
        return False
    low = [w.lower() for w in words]
    if not INSTITUTION_WORDS.isdisjoint(low) or any(w.endswith(_INSTITUTION_ENDINGS) and len(w) > 6 for w in low):
        return True
    return " of " in text and words[0][0].isupper() and len(words) <= 8 and "," not in text


@lru_cache(maxsize=4096)
def parse_names(text: str) -> tuple[Person, ...]:
    """The people (or the institution) named in an author or editor block.

    Editor markers (``eds.``, ``(ed.)``), "et al." and a leading "By" are dropped;
    use ``has_editor_marker`` to learn whether the names were editors.

    >>> parse_names("Moreau and Lindqvist")
    (Person(family='Moreau', given=None, literal=None), Person(family='Lindqvist', given=None, literal=None))
    """
    text = clean(text)
    if "'" in text or "’" in text:
        text = _POSSESSIVE_RE.sub("", text)
    text = strip_editor_marker(text)
    low = text.lower()
    if "et" in low or "others" in low or "u." in low:
        text = _ET_AL_RE.sub("", text)
    if low.startswith("by"):
        text = _BY_RE.sub("", text)  # "Mahavir Singh's (ed.)"
    text = strip_punct(text, " ,;:")
    if not text:
        return ()
    if is_institution(text):
        return (Person(literal=text.rstrip(".")),)
    persons: list[Person] = []
    for part in text.split(";"):
        compound = None
        if " y " in part.lower() and (m := _COMPOUND_Y_RE.match(part)):
            # "Ortega y Gasset, José": one person (see _COMPOUND_Y_RE); the rest parses as "Gasset, José"
            compound, part = m.group("first"), part[m.start("second"):]
        start = len(persons)
        for sub in _CONJ_RE.split(part):
            sub = strip_punct(sub, " ,;:")
            if sub:
                persons.extend(_parse_group(sub))
        if compound and len(persons) > start and persons[start].family:
            first = persons[start]
            persons[start] = Person(family=f"{compound} {first.family}", given=first.given)
    return tuple(p for p in persons if p.family or p.literal)


# Spanish compound surnames, inverted: "Ortega y Gasset, José", "MENÉNDEZ Y PELAYO, M.". "y" joins two names only
# when a full name stands before it ("García, Ana y Pedro López"); a lone capitalised word before "y", and a word
# and its comma and a given name after it, are one family name.
_COMPOUND_Y_RE = re.compile(
    r"\s*(?P<first>[^\W\d_][\w'’-]+\s+[yY])\s+(?P<second>[^\W\d_][\w'’-]+\s*,\s*[^\W\d_])")


_TRAILING_PARTICLE_RE = re.compile(r"\s+(da|de|do|dos|das|di|del|della|van|von|der|den|du|des|le|la)$")


def _parse_group(group: str) -> list[Person]:
    chunks = [c.strip() for c in group.split(",") if c.strip()]
    out: list[Person] = []
    i = 0
    while i < len(chunks):
        ch = classify(chunks[i])
        low = chunks[i].lower().rstrip(".")
        if low in _SUFFIXES and out and out[-1].family:
            last = out[-1]
            out[-1] = Person(family=last.family, given=f"{last.given or ''} {chunks[i]}".strip())
            i += 1
            continue
        if ch.kind in ("W", "UF") and i + 1 < len(chunks):
            nxt = classify(chunks[i + 1])
            if _given_like(nxt) and chunks[i + 1].lower().rstrip(".") not in _SUFFIXES:
                out.append(Person(family=" ".join(ch.tokens), given=" ".join(nxt.tokens)))
                i += 2
                continue
            if (m := _TRAILING_PARTICLE_RE.search(chunks[i + 1])) and _given_like(classify(chunks[i + 1][: m.start()])):
                # "SILVA, João da", "Beethoven, Ludwig van": the particle after the given names is the family's
                given = " ".join(classify(chunks[i + 1][: m.start()]).tokens)
                out.append(Person(family=f"{m.group(1)} {' '.join(ch.tokens)}", given=given))
                i += 2
                continue
        if ch.kind == "I" and out and not out[-1].given:  # "Schuraytz,B.C." split oddly
            last = out[-1]
            out[-1] = Person(family=last.family, given=" ".join(ch.tokens))
            i += 1
            continue
        out.append(_person(ch))
        i += 1
    return out


# The separators between the pieces of an author list: a comma or semicolon (maybe with "and"),
# "and"/"&"/"und"/"et"/"y" between spaces, an ellipsis. The pattern opens with the class of their
# first characters, which lets the scan skip to candidates; a lookbehind then tells which it was.
_PIECE_SEP_RE = re.compile(
    r"[,;\s&.…](?:"
    r"(?<=[,;])\s*(?:(?i:and|&|und|et(?!\s*al\b))\s+)?"  # ", and "
    r"|(?<=\s)(?:(?i:and|&|und|et(?!\s*al\b)|y)\s+|&\s*)"  # " and ", " & "
    r"|(?<=&)\s*"  # "&"
    r"|(?<=\s)\s*(?:\.\.\.|…)\s*|(?<=\.)\.\.\s*|(?<=…)\s*"  # " ...", "...", "…"
    r")"
)
# A run of initials, "J.", "J.C.", "J. C.", "J.-P.": every step consumes a letter and a period, so the
# patterns below cannot backtrack badly on long runs.
_INITS = r"[^\W\d_a-z][^\W\d_]?\.(?:(?:-|\s)?[^\W\d_a-z][^\W\d_]?\.)*"
_INITIALS_HEAD_RE = re.compile(rf"({_INITS})\s+(?=\S)")
_GIVEN_HEAD_RE = re.compile(rf"((?:[A-Z][^\W\d_'’-]+(?:-[A-Z][^\W\d_]+)?\s){{1,2}}{_INITS})\s+(?=\S)")
_FI_HEAD_RE = re.compile(rf"((?:[^\W\d_][\w'’\-]+\s){{1,2}}{_INITS})\s+(?=[^\W\d_\s])")
_MARKER_PIECE_RE = re.compile(r"\(?(?:eds?|editors?|hrsg|comps?)\.?\)?\.?", re.IGNORECASE)
_ET_AL_HEAD_RE = re.compile(r"et\s*al\.?(?=[\s:])", re.IGNORECASE)
_ET_AL_PIECE_RE = re.compile(r"(?:&\s*)?et\s*al\.?|and\s+others", re.IGNORECASE)


class _Piece(NamedTuple):
    start: int
    end: int
    text: str
    conj: bool
    """Whether "and"/"&" came before this piece (so it cannot be the given half of a name)."""


def _iter_pieces(text: str, limit: int) -> Iterator[_Piece]:
    """The comma/"and"-separated pieces of ``text``, left to right (at most ``limit``)."""
    pos = 0
    conj = False
    count = 0
    for m in _PIECE_SEP_RE.finditer(text):
        end = m.start()
        while end > pos and text[end - 1] == " ":
            end -= 1
        if end > pos:
            yield _Piece(pos, end, text[pos:end], conj)
            count += 1
            if count >= limit:
                return
        sep = m.group(0).lower()
        conj = "&" in sep or "and" in sep or "und" in sep or " et " in sep or " y " in sep
        pos = m.end()
    if pos < len(text):
        yield _Piece(pos, len(text), text[pos:], conj)


class _Pieces:
    """The pieces of ``text`` (at most ``limit``), split off only as they are asked for:
    an author list ends after a few pieces, and ``text`` may be a whole citation."""

    def __init__(self, text: str, limit: int = 160) -> None:
        self._rest = _iter_pieces(text, limit)
        self._read: list[_Piece] = []

    def get(self, k: int) -> _Piece | None:
        """Piece ``k``, or None when there are fewer."""
        while len(self._read) <= k:
            piece = next(self._rest, None)
            if piece is None:
                return None
            self._read.append(piece)
        return self._read[k]

    def conj_after(self, k: int) -> bool:
        """Whether any piece after piece ``k`` follows "and"/"&"."""
        j = k + 1
        while (q := self.get(j)) is not None:
            if q.conj:
                return True
            j += 1
        return False


@lru_cache(maxsize=4096)
def leading_names(text: str) -> tuple[int, bool]:
    """How far an author list runs at the start of ``text``: ``(end, editors)``.

    ``end`` is the offset just after the last name (0 when ``text`` does not
    start with names); ``editors`` is True when an editor marker closes the list.
    The list's shape is set by its first name and later names must keep it, so
    ``H. Fischer, Centre Pompidou, …`` stops after ``H. Fischer``; a name whose
    initials run straight into the title (``Moggi, E. Computational …``) ends
    the list there. Several given-then-family names count only when the list
    ends in "and …" (``A B, C D, and E F``); otherwise only the first does.
    """
    pieces = _Pieces(text)
    style: str | None = None
    end = first_end = names = 0
    saw_conj = editors = False
    k = 0
    while (p := pieces.get(k)) is not None:
        piece = p.text.strip()
        if names and _MARKER_PIECE_RE.fullmatch(piece):
            end, editors = p.end, True
            break
        if names and (piece.lower().rstrip(".") in _SUFFIXES or _ET_AL_PIECE_RE.fullmatch(piece)
                      or piece in ("...", "…")):
            end = p.end
            k += 1
            continue
        m_ed = EDITOR_RE.search(piece) if _may_mark_editors(piece) else None
        piece_editors = bool(m_ed and m_ed.end() >= len(piece))
        if piece_editors and m_ed:
            piece = piece[: m_ed.start()].strip()
        head = classify(piece)
        nxt = pieces.get(k + 1)
        if head.kind == "X" or (style == "FI" and head.kind != "FI"):
            # "Lipeck U. W. Deriving Integrity …", "John-Stewart G. Clinical …": a name running into the title.
            if style in ("FI", "inv") and (m := _FI_HEAD_RE.match(piece)) and classify(m.group(1)).kind == "FI":
                end, names = p.start + len(p.text) - len(p.text.lstrip()) + m.end(1), names + 1
            elif (m := _ET_AL_HEAD_RE.match(piece)) and names:
                end = p.start + len(p.text) - len(p.text.lstrip()) + m.end()  # "…, et al. Integrative health …"
            break
        if style is None and head.kind in ("W", "UF", "GF") and nxt is not None and not nxt.conj:
            pair = _given_half(head, nxt)
            if pair:
                style, names, end = "inv", 1, pair
                first_end = end
                k += 2
                if pair < nxt.end:
                    break
                continue
        if style is None:
            style = "inv" if head.kind == "UF" else head.kind
        elif style == "inv":
            if head.kind in ("W", "UF", "GF") and nxt is not None and not nxt.conj:
                pair = _given_half(head, nxt)
                if pair:
                    names, end = names + 1, pair
                    saw_conj = saw_conj or p.conj
                    k += 2
                    if pair < nxt.end:
                        break
                    continue
            if head.kind == "GF" and not (p.conj or pieces.conj_after(k)):
                break  # "Lakoff, George, Mark Johnson, and …": full names after the first need a closing "and"
            if head.kind not in ("GF", "IF", "FI"):
                break
        elif head.kind != style and not (style == "GF" and head.kind == "IF") and not (
            style == "IF" and head.kind == "GF" and p.conj
        ) and not (style in ("GF", "IF") and head.kind == "W" and len(head.tokens) > 1):
            break  # ("Al Mok", "van Dijk": a particle-led name fits a given-first list)
        names += 1
        saw_conj = saw_conj or p.conj
        end = p.end if not piece_editors else p.end
        if names == 1:
            first_end = end
        k += 1
        if piece_editors:
            editors = True
            break
    if style in ("GF", "W") and names > 1 and not saw_conj:
        end = first_end
    return end, editors


def _given_half(family: _Chunk, nxt: _Piece) -> int:
    """The end of an inverted name whose given half is ``nxt`` (``Smith, | J. A.``), or 0.

    The given half may run straight into a title (``Moggi, E. Computational…``):
    then the name ends after the initials.
    """
    given = classify(nxt.text)
    if family.kind == "GF" and len(family.tokens) > 3:
        return 0
    if family.kind != "GF" and given.kind == "GF" and len(given.tokens) >= 3 and _is_initials(given.tokens[-2]):
        # "Stein, Stanley J. Vassouras, …": the given name ends at its initial; the title begins.
        m = re.match(r"\s*\S+(?:\s+\S+)*?\s+[A-Z]\.", nxt.text)
        return nxt.start + m.end() if m else 0
    compound = family.kind == "GF" and any(t.islower() and _is_particle(t) for t in family.tokens)
    if given.kind == "I" or ((family.kind != "GF" or compound) and _given_like(given)):
        return nxt.end
    if given.kind == "X" and family.kind != "GF":
        # "Moggi, E. Computational …", "Parsons, Deborah L. Streetwalking …": the given name ends at its
        # last initial and the title begins.
        lead = len(nxt.text) - len(nxt.text.lstrip())
        m = _INITIALS_HEAD_RE.match(nxt.text, lead) or _GIVEN_HEAD_RE.match(nxt.text, lead)
        if m:
            rest = nxt.text[m.end() :]
            if classify(rest).kind == "X" or len(rest.split()) > 3:
                return nxt.start + m.end(1)
    return 0
