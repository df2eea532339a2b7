"""Tokens of a reference string and the features the labeller sees for each.

Training (``tools/train_parser.py``) and inference (``labeller``) share this
module, so a feature cannot drift between the two. It needs only the standard
library: the training environment imports it as is.

A token is a URL, a DOI, a run of word characters or one other character.
Each token gets its lower-cased word (looked up in the model's vocabulary),
its shape ("Xx", "dddd", "X."), hashed prefix and suffix ids, and a vector
of flags: case, digits, year, Roman numeral, punctuation around it, inside
quotes / parentheses / brackets, after "In", position in the string, and
membership in the lexicons shipped as data files (role words, months,
publisher words, journal words, access words).
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

TOKEN_RE = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"“”]+[^\s<>\"“”.,;:)\]]"  # a URL
    r"|\b10\.\d{4,9}/[^\s\"“”<>]+[^\s\"“”<>.,;:)\]]"  # a DOI
    r"|\w+"
    r"|\S",
    re.IGNORECASE,
)
_ROMAN_RE = re.compile(r"^(?=[MDCLXVI])M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})$")
_YEAR_RE = re.compile(r"^(?:1[4-9]\d\d|20\d\d)$")
_OPEN_QUOTES = frozenset("“\"«‘„‹")
_CLOSE_QUOTES = frozenset("”\"»’“‹›")
_DASHES = frozenset("-–—‐")
_IN_WORDS = frozenset(("in", "dans", "en", "im"))
# Locator words the shipped model was trained without (flag 31); drop this when the model is retrained.
_NOT_A_FEATURE_YET = frozenset("anno band volume jahrgang jg iss fascicolo fascicule cahier".split())
HASH_BUCKETS = 4096
N_POSITION = 8


class Lexicons(NamedTuple):
    role: dict[str, str]
    locator: dict[str, str]  # word -> volume, issue or pages
    month: frozenset[str]
    publisher: frozenset[str]
    journal: frozenset[str]
    access: frozenset[str]
    place: dict[str, frozenset[str]]  # "city", "country", "region" -> lower-case names (data/places.txt)


def _words(name: str) -> list[str]:
    text = resources.files("verifier.citations").joinpath("data", name).read_text(encoding="utf-8")
    return [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]


@lru_cache(maxsize=1)
def month_numbers() -> dict[str, int]:
    """Every month name and abbreviation of ``data/months.txt`` with its month's number (``"févr"`` → 2)."""
    out: dict[str, int] = {}
    for line in resources.files("verifier.citations").joinpath("data", "months.txt").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            for number, spellings in enumerate(line.split(), start=1):
                for word in spellings.split("|"):
                    out.setdefault(word, number)
    return out


def _kinds(name: str) -> dict[str, str]:
    """A "kind<TAB>word" lexicon as word -> kind."""
    return {word: kind for kind, word in _kinds_lines(name)}


def _kind_sets(name: str) -> dict[str, frozenset[str]]:
    """A "kind<TAB>word" lexicon as kind -> words (a word may have several kinds: Quebec, Georgia)."""
    out: dict[str, set[str]] = {}
    for kind, word in _kinds_lines(name):
        out.setdefault(kind, set()).add(word)
    return {k: frozenset(v) for k, v in out.items()}


def _kinds_lines(name: str) -> list[tuple[str, str]]:
    text = resources.files("verifier.citations").joinpath("data", name).read_text(encoding="utf-8")
    pairs = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return [(kind, word) for kind, word in pairs]


def locator_words(kind: str) -> list[str]:
    """The words that introduce a ``kind`` ("volume", "issue", "pages") of locator."""
    return [w for w, k in lexicons().locator.items() if k == kind]


@lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    """The lexicons in ``verifier/citations/data/`` (read once)."""
    return Lexicons(
        role=_kinds("roles.txt"),
        locator=_kinds("locator-words.txt"),
        month=frozenset(month_numbers()),
        publisher=frozenset(_words("publisher-words.txt")),
        journal=frozenset(_words("journal-words.txt")),
        access=frozenset(_words("access-words.txt")),
        place=_kind_sets("places.txt"),
    )


def role_of(word: str) -> str | None:
    """``"editor"``, ``"translator"`` or None for a role word ("Hrsg.", "trans.", "eds")."""
    return lexicons().role.get(word.lower().rstrip("."))


def role_words_re(*roles: str) -> str:
    """The role words of ``roles`` ("editor", "translator") as a regex alternation, longest first.

    The rules' patterns for "(ed.)", "(Hrsg.)", "(trans.)" are built from it, so they know the words the
    labeller's features know (``data/roles.txt``), not a hand-copied subset of them.
    """
    words = sorted((w for w, r in lexicons().role.items() if r in roles), key=lambda w: (-len(w), w))
    return "|".join(map(re.escape, words))


@lru_cache(maxsize=4)
def role_hints(*roles: str) -> tuple[str, ...]:
    """Lower-case strings of which every role word of ``roles`` contains one: a cheap test before a pattern."""
    words = {w for w, r in lexicons().role.items() if r in roles}
    return tuple(sorted(w for w in words if not any(v != w and v in w for v in words)))


def tokenise(text: str) -> list[tuple[int, int]]:
    """The tokens of ``text`` as ``(start, end)`` character offsets."""
    return [m.span() for m in TOKEN_RE.finditer(text)]


def shape(tok: str) -> str:
    """A token's shape: "Xxx" → "Xx", "1995" → "dddd", "J." stays per character class."""
    if tok.isdigit():
        return "d" * min(len(tok), 5)
    out: list[str] = []
    for ch in tok[:12]:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if len(out) >= 2 and out[-1] == c and out[-2] == c:
            continue
        out.append(c)
    return "".join(out)


def hashed(s: str) -> int:
    return zlib.crc32(s.encode("utf-8")) % HASH_BUCKETS


# The flags, in order (their count is part of the model).
FLAGS = (
    "cap", "upper", "lower", "initial", "digit", "year", "alnum", "roman", "punct", "next_dot", "prev_dot",
    "in_quotes", "in_parens", "in_brackets", "after_in", "role", "month", "publisher", "journal", "access",
    "url", "first", "last", "prev_comma", "next_comma", "prev_colon", "next_colon", "next_paren", "prev_paren",
    "page_range", "page_word", "locator_word", "doi", "long_number", "in_italics", "star",
) + tuple(f"pos{i}" for i in range(N_POSITION)) + (
    # added after the first models, so at the end: a model trained before it reads the flags before it only
    "place",
)
N_FLAGS = len(FLAGS)
_PLACE = FLAGS.index("place")


class TokenFeatures(NamedTuple):
    words: list[str]  # lower case
    shapes: list[str]
    prefixes: list[int]
    suffixes: list[int]
    flags: list[list[int]]  # indices of the flags that are set


@lru_cache(maxsize=65536)
def _static(tok: str) -> tuple[str, str, int, int, tuple[int, ...]]:
    """What a token says by itself: lower case, shape, prefix and suffix ids, its own flags (cached)."""
    lex = lexicons()
    low = tok.lower()
    f: list[int] = []
    alpha = tok.isalpha()
    if tok[:1].isupper():
        f.append(0)
    if alpha and len(tok) > 1 and tok.isupper():
        f.append(1)
    if alpha and tok.islower():
        f.append(2)
    if alpha and len(tok) == 1 and tok.isupper():
        f.append(3)
    if tok.isdigit():
        f.append(4)
        if _YEAR_RE.match(tok):
            f.append(5)
        if len(tok) > 4:
            f.append(33)
    elif any(c.isdigit() for c in tok) and any(c.isalpha() for c in tok):
        f.append(6)
    if len(tok) == 1 and not tok.isalnum():
        f.append(8)
    if low in lex.role:
        f.append(15)
    if low in lex.month:
        f.append(16)
    if low in lex.publisher:
        f.append(17)
    if low in lex.journal:
        f.append(18)
    if low in lex.access:
        f.append(19)
    if "/" in tok and ("://" in tok or low.startswith("www.")):
        f.append(20)
    kind = lex.locator.get(low)
    if kind == "pages":
        f.append(30)
    elif kind is not None and low not in _NOT_A_FEATURE_YET:
        f.append(31)
    if tok.startswith("10.") and "/" in tok:
        f.append(32)
    return low, shape(tok), hashed("p:" + low[:3]), hashed("s:" + low[-3:]), tuple(f)


_POS0 = FLAGS.index("pos0")


@lru_cache(maxsize=1)
def _place_names() -> tuple[frozenset[str], dict[str, list[tuple[str, ...]]]]:
    """The gazetteer's names as token sequences: one-word names, and longer ones by their first word.

    Cities and countries, and regions spelled out ("Massachusetts", not "MA": two-letter abbreviations
    are as often "in", "or" and "us").
    """
    names = set(lexicons().place["city"] | lexicons().place["country"])
    names |= {r for r in lexicons().place["region"] if len(r) > 3}
    single: set[str] = set()
    multi: dict[str, list[tuple[str, ...]]] = {}
    for name in names:
        words = tuple(name[a:b] for a, b in tokenise(name))
        if len(words) == 1:
            single.add(words[0])
        elif words:
            multi.setdefault(words[0], []).append(words)
    for seqs in multi.values():
        seqs.sort(key=len, reverse=True)
    return frozenset(single), multi


def _mark_places(words: list[str], flags: list[list[int]]) -> None:
    """Set the place flag on every token of a gazetteer name ("paris", "new york", "st. petersburg")."""
    single, multi = _place_names()
    for i, w in enumerate(words):
        if w in single:
            flags[i].append(_PLACE)
        for seq in multi.get(w, ()):
            k = len(seq)
            if tuple(words[i : i + k]) == seq:
                for j in range(i, i + k):
                    if _PLACE not in flags[j]:
                        flags[j].append(_PLACE)
                break


def features(text: str, spans: list[tuple[int, int]]) -> TokenFeatures:
    """The features of each token of ``text`` (``spans`` from ``tokenise``)."""
    toks = [text[s:e] for s, e in spans]
    n = len(toks)
    words, shapes, prefixes, suffixes, flags = [], [], [], [], []
    quote = paren = bracket = italic = 0
    after_in = False
    for i, tok in enumerate(toks):
        low, shp, pre, suf, own = _static(tok)
        prev = toks[i - 1] if i else ""
        nxt = toks[i + 1] if i + 1 < n else ""
        f = list(own)
        if (tok.isupper() or nxt == ".") and len(tok) < 8 and _ROMAN_RE.match(tok.upper()):
            f.append(7)
        if nxt == ".":
            f.append(9)
        if prev == ".":
            f.append(10)
        if tok in _OPEN_QUOTES and not (tok in _CLOSE_QUOTES and quote):
            quote = 1
        elif tok in _CLOSE_QUOTES and quote:
            quote = 0
        elif quote:
            f.append(11)
        if tok == "(":
            paren += 1
        elif tok == ")":
            paren = max(0, paren - 1)
        elif paren:
            f.append(12)
        if tok == "[":
            bracket += 1
        elif tok == "]":
            bracket = max(0, bracket - 1)
        elif bracket:
            f.append(13)
        if tok == "*":
            italic = 0 if italic else int("*" in toks[i + 1 :])
            f.append(35)
        elif italic:
            f.append(34)
        if after_in:
            f.append(14)
        if low in _IN_WORDS and (i == 0 or not toks[i - 1][:1].isalnum()) and nxt not in ("", "."):
            after_in = True
        elif tok not in (":", " "):
            after_in = False
        if i == 0:
            f.append(21)
        if i == n - 1:
            f.append(22)
        if prev == ",":
            f.append(23)
        if nxt == ",":
            f.append(24)
        if prev == ":":
            f.append(25)
        if nxt == ":":
            f.append(26)
        if nxt == "(":
            f.append(27)
        if prev == ")":
            f.append(28)
        if tok.isdigit() and (
            (nxt in _DASHES and i + 2 < n and toks[i + 2].isdigit())
            or (prev in _DASHES and i >= 2 and toks[i - 2].isdigit())
        ):
            f.append(29)
        f.append(_POS0 + min(N_POSITION - 1, i * N_POSITION // max(n, 1)))
        words.append(low)
        shapes.append(shp)
        prefixes.append(pre)
        suffixes.append(suf)
        flags.append(f)
    _mark_places(words, flags)
    return TokenFeatures(words, shapes, prefixes, suffixes, flags)
