"""Sources: which citations cite the same work.

``resolve`` takes the citations of a run in document order and returns them with
``source`` set, plus the sources (``s1, s2, …`` in order of first appearance):

1. **Full citations** are grouped greedily in document order. Each one is
   compared (``match_score``) only with the groups that share a *blocking key*
   with it — its DOI or URL, a name token of its first author, one of the three
   rarest words of its title, its container or raw text when it has no title —
   so the work stays near-linear even for thousands of citations.
2. **Short forms** (``Kind.SHORT``) take the source of the nearest earlier full
   citation in the same document whose authors and title match the short form
   (failing that, the first later one); unmatched short forms get a source of
   their own (rule M007 reports them).
3. **Ibid.** takes the source of the citation before it in the same document
   (notes and inline citations form one stream, bibliography entries another),
   following chains of Ibid.; with nothing before it, ``source`` stays ``None``
   (rule M006).

Steps 1–3 look at one document at a time (``local``: the map step runs them where it read the
document); only joining the groups of different documents (by DOI, URL, or title and first author) and
merging each source's fields need the whole run, in ``resolve``.

The matching helpers (``norm``, ``persons_compatible``, ``title_similarity``…)
are public because the rules compare names and titles the same way.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from verifier.model import Citation, Fields, Kind, Origin, Person, Source


class _LazyFuzz:
    """rapidfuzz's ``fuzz``, imported when first compared with: ``verifier check`` imports this module on the
    way to handing its links to the helper processes, which need nothing of it (9 ms)."""

    def __getattr__(self, name: str) -> Any:
        from rapidfuzz import fuzz as loaded

        globals()["fuzz"] = loaded
        return getattr(loaded, name)


fuzz: Any = _LazyFuzz()

__all__ = [
    "Local",
    "local",
    "locals_of",
    "resolve",
    "norm",
    "clean",
    "person_tokens",
    "persons_compatible",
    "authors_compatible",
    "title_similarity",
    "is_full",
]

# --------------------------------------------------------------------------- text


_APOSTROPHES = re.compile(r"[’'`´ʼ‘]")
_NON_WORD = re.compile(r"[\W_]+")
_STRAY = re.compile(r"[*\"“”„«»]")
_GENERIC_TITLES = frozenset({"ibid", "ibidem", "op cit", "loc cit", "idem", "id", "untitled", "no title"})
_STOPWORDS = frozenset(
    "a an the of and or in on for to at by with from into its is as de la le les des du der die das und".split()
)


def _norm_char(char: str) -> str:
    """What ``norm`` makes of one character: its NFKD form without combining marks, casefolded, ``&`` read as
    " and ", apostrophes dropped, anything not a letter or digit (``_`` too) a space.

    Each of these steps works character by character (NFKD only reorders combining marks, which are dropped),
    so the norm of a text is its characters' norms joined, spaces folded.
    """
    plain = "".join(itertools.filterfalse(unicodedata.combining, unicodedata.normalize("NFKD", char)))
    plain = _APOSTROPHES.sub("", plain.casefold().replace("&", " and "))
    return _NON_WORD.sub(" ", plain)


class _NormChars(dict[int, str]):
    """``_norm_char`` by code point, for ``str.translate``; filled in as characters are met (up to a bound)."""

    def __missing__(self, code: int) -> str:
        value = _norm_char(chr(code))
        if len(self) < 65536:
            self[code] = value
        return value


_NORM_CHARS = _NormChars()
_ASCII_NORM = bytes(ord(v) if len(v) == 1 else 32 for v in map(_norm_char, map(chr, range(128)))) + bytes(128)
"""``_norm_char`` for ASCII as a ``bytes.translate`` table (``&`` aside; the upper half is never used)."""
_ASCII_DROPPED = bytes(c for c in range(128) if _norm_char(chr(c)) == "")
"""The ASCII characters ``norm`` drops (apostrophes)."""


@functools.lru_cache(maxsize=65536)  # the same names, titles and containers come back again and again
def norm(text: str | None) -> str:
    """Lower-case words only: diacritics, quotes, apostrophes and punctuation dropped, ``&`` read as "and"."""
    if not text:
        return ""
    if text.isascii():  # the common case, with bytes.translate
        if "&" in text:
            text = text.replace("&", " and ")
        return " ".join(text.encode("ascii").translate(_ASCII_NORM, _ASCII_DROPPED).decode("ascii").split())
    return " ".join(text.translate(_NORM_CHARS).split())


_INITIAL_AT_END = re.compile(r"\b[A-Z]\.$")


@functools.lru_cache(maxsize=65536)
def clean(text: str | None) -> str:
    """A field value fit to show: stray ``*`` and double quotes removed, spaces folded, no trailing comma or
    full stop (an initial's full stop stays: ``Smith, J.``)."""
    if not text:
        return ""
    value = " ".join(_STRAY.sub(" ", text).split()).strip(" ,;:")
    if value.endswith(".") and not value.endswith("..") and not _INITIAL_AT_END.search(value):
        value = value[:-1].rstrip(" ,;:")
    return value


def is_full(citation: Citation) -> bool:
    """A full citation: parsed, and neither "Ibid." nor a short form."""
    return citation.parsed and citation.kind not in (Kind.IBID, Kind.SHORT)


def _title_key(title: str | None) -> str:
    key = norm(title)
    return "" if key in _GENERIC_TITLES else key


def _container_key(container: str | None) -> str:
    key = norm(container)
    for article in ("the ", "a "):
        key = key.removeprefix(article)
    return key


_SCHEME = re.compile(r"^[a-z]+://")
_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:\s*)")


def _url_key(url: str | None) -> str:
    if not url:
        return ""
    key = _SCHEME.sub("", url.strip().lower())
    key = key.removeprefix("www.").split("#", 1)[0]
    return key.rstrip("/")


def _doi_key(doi: str | None) -> str:
    if not doi:
        return ""
    key = _DOI_PREFIX.sub("", doi.strip().lower())
    return key.rstrip(".")


_LOCATOR = re.compile(r"\b(pp?|at|s)\b\.?\s*[\dxivlc]+([\-–—]+[\dxivlc]+)?")


_TRAILING_NUMBER = re.compile(r"[\s,.:]*\d+(?:\s*[\-–—]\s*\d+)?[\s.]*$")


def _raw_key(raw: str) -> str:
    """The raw text without page locators, for citations that have nothing better to compare."""
    return norm(_TRAILING_NUMBER.sub("", _LOCATOR.sub(" ", raw.replace("Ibid", " "))))


# -------------------------------------------------------------------------- names


@functools.lru_cache(maxsize=65536)
def _person_tokens(person: Person) -> tuple[tuple[str, ...], frozenset[str]]:
    family = norm(person.family).split()
    given = norm(person.given).split()
    literal = norm(person.literal).split()
    return tuple(given + family + literal), frozenset(family)


def person_tokens(person: Person) -> tuple[list[str], set[str]]:
    """All name tokens of ``person`` (given names first) and the family-name tokens."""
    tokens, family = _person_tokens(person)
    return list(tokens), set(family)


def _tokens_compatible(a: str, b: str) -> bool:
    """Same name token, an initial of it, an abbreviation (``mohd``/``mohammad``) or a near-spelling."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if short[0] != long[0]:
        return False
    if len(short) == 1:
        return True
    it = iter(long)
    if all(ch in it for ch in short):
        return True
    return len(short) >= 5 and fuzz.ratio(a, b) >= 80


def _compared_whole(tokens: tuple[str, ...], family: frozenset[str]) -> bool:
    """A long name with no family name (an institution), compared as a whole."""
    return not family and len(tokens) > 4


def _near_family(x: str, y: str) -> bool:
    """Family-name tokens close enough to anchor two names (``x`` from the first name)."""
    return len(x) >= 5 and fuzz.ratio(x, y) >= 85


@functools.lru_cache(maxsize=65536)
def persons_compatible(a: Person, b: Person) -> bool:
    """Could ``a`` and ``b`` name the same person (or body)?

    The two names must share an *anchor* token that is somebody's family name
    (any token of three letters or more when neither has a family name), and
    the remaining tokens of the shorter name must each pair with a token of
    the longer one as an equal, an initial or an abbreviation. So ``K.
    Warikoo`` = ``Kulbhushan Warikoo``, ``Mohd. Monir Alam`` = ``Mohammad Monir
    Alam`` = ``Mohd, Monir Alam`` (parsed as family "Mohd"), but ``John Smith``
    ≠ ``Adam Smith``. Long literal names (institutions) are compared as wholes.
    """
    ta, fa = _person_tokens(a)
    tb, fb = _person_tokens(b)
    if not ta or not tb:
        return False
    if _compared_whole(ta, fa) or _compared_whole(tb, fb):
        return fuzz.token_sort_ratio(" ".join(ta), " ".join(tb)) >= 90
    pair = None
    if not set(ta).isdisjoint(tb):  # an anchor shared as it is
        anchors = (fa | fb) or {t for t in ta + tb if len(t) >= 3}
        pair = next(((i, j) for i, x in enumerate(ta) if x in anchors for j, y in enumerate(tb) if x == y), None)
    if pair is None:
        pair = next(
            (
                (i, j)
                for i, x in enumerate(ta)
                if x in fa and len(x) >= 5
                for j, y in enumerate(tb)
                if y in fb and _near_family(x, y)
            ),
            None,
        )
    if pair is None:
        return False
    rest_a = ta[: pair[0]] + ta[pair[0] + 1 :]
    rest_b = tb[: pair[1]] + tb[pair[1] + 1 :]
    shorter, longer = sorted((rest_a, rest_b), key=len)
    free = list(longer)
    for token in sorted(shorter, key=len, reverse=True):
        match = next((k for k, other in enumerate(free) if _tokens_compatible(token, other)), None)
        if match is None:
            return False
        free.pop(match)
    return True


class _PersonIndex:
    """Persons, found by what ``persons_compatible`` needs two names to have in common: a name token, a
    near-spelled family name, or nothing at all for names compared as wholes."""

    def __init__(self, persons: Iterable[Person]) -> None:
        self.by_token: dict[str, set[Person]] = defaultdict(set)
        self.by_family: dict[str, set[Person]] = defaultdict(set)
        self.whole: set[Person] = set()
        self.everyone: set[Person] = set()
        for person in persons:
            tokens, family = _person_tokens(person)
            self.everyone.add(person)
            if _compared_whole(tokens, family):
                self.whole.add(person)
            for token in tokens:
                self.by_token[token].add(person)
            for token in family:
                self.by_family[token].add(person)

    def compatible(self, person: Person) -> set[Person]:
        """Every indexed ``q`` with ``persons_compatible(person, q)``."""
        tokens, family = _person_tokens(person)
        if _compared_whole(tokens, family):
            maybe = self.everyone
        else:
            maybe = set(self.whole)
            for token in tokens:
                maybe.update(self.by_token.get(token, ()))
            for x in family:
                if len(x) >= 5:
                    for y, persons in self.by_family.items():
                        if _near_family(x, y):
                            maybe.update(persons)
        return {q for q in maybe if persons_compatible(person, q)}


_NOT_AUTHORS = frozenset({"et al", "others", "and others"})


def _real_authors(authors: Iterable[Person]) -> list[Person]:
    return [p for p in authors if not p.literal or norm(p.literal) not in _NOT_AUTHORS]


def authors_compatible(a: Sequence[Person], b: Sequence[Person]) -> bool | None:
    """True/False when both lists name authors (decided by the first author), None when either is empty."""
    ra, rb = _real_authors(a), _real_authors(b)
    if not ra or not rb:
        return None
    return persons_compatible(ra[0], rb[0])


# ------------------------------------------------------------------------- titles


_NUMBER = re.compile(r"\w*\d\w*")


@functools.lru_cache(maxsize=65536)
def _numbers(title: str) -> frozenset[str]:
    return frozenset(_NUMBER.findall(title))


def title_similarity(a: str, b: str) -> float:
    """0–100 similarity of two *normalised* titles.

    A title that is a word-prefix (3+ words) or word-suffix (4+ words) of the
    other counts as 95 (a dropped subtitle or a truncated parse); titles whose
    numbers differ ("in 1990s" / "in 2000s") score at most 70.
    """
    if a == b:
        return 100.0
    score = fuzz.ratio(a, b)
    digits_a, digits_b = _numbers(a), _numbers(b)
    if digits_a and digits_b and digits_a != digits_b:
        return min(score, 70.0)
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    prefix, suffix = longer.startswith(shorter + " "), longer.endswith(" " + shorter)
    if prefix or suffix:
        words = len(shorter.split())
        if (words >= 3 and prefix) or (words >= 4 and suffix):
            score = max(score, 95.0)
    return score


# ---------------------------------------------------------------------- profiles


@dataclass(slots=True)  # not frozen: built once per citation, never changed (and a frozen __init__ is slow)
class _Profile:
    """What a full citation is compared on, normalised once."""

    title: str
    authors: tuple[Person, ...]
    container: str
    date: str
    doi: str
    url: str
    raw: str

    @classmethod
    def of(cls, citation: Citation) -> _Profile:
        f = citation.fields
        return cls(
            title=_title_key(f.title),
            authors=tuple(_real_authors(f.authors)),
            container=_container_key(f.container),
            date=(f.date or "").strip(),
            doi=_doi_key(f.doi),
            url=_url_key(f.url),
            raw=_raw_key(_without(citation.raw, f.url))
            if not citation.parsed or not (f.title or f.authors or f.container)
            else "",
        )

    def dedupe_key(self) -> tuple[object, ...]:
        people = (_person_tokens(self.authors[0])[0],) if self.authors else ()
        return (self.title, people, self.container, self.date[:4], self.doi, self.url, self.raw)


def _without(raw: str, url: str | None) -> str:
    """The raw text without its URL: a page number at a URL's end is no locator to strip, and the URL
    itself is compared exactly, on its own key."""
    return raw.replace(url, " ") if url else raw


def _year(date: str) -> str:
    return date[:4] if date[:4].isdigit() else ""


def match_score(a: _Profile, b: _Profile) -> float:
    """How sure we are that two full citations cite the same work: 0 (not the same) to 100."""
    if a.doi and b.doi:
        return 100.0 if a.doi == b.doi else 0.0
    same_url = bool(a.url and a.url == b.url)
    title = title_similarity(a.title, b.title) if a.title and b.title else None
    if title is not None and title < (60 if same_url else 88):
        return 0.0  # cheap test first: most candidates fail here
    # authors_compatible, on authors that are already the real ones
    authors = persons_compatible(a.authors[0], b.authors[0]) if a.authors and b.authors else None
    if authors is False:
        return 0.0
    if same_url:
        return 99.0
    if title is not None:
        return _titled_score(a, b, title, authors)
    if not a.title and not b.title:
        if a.raw and a.raw == b.raw and not (a.url and b.url):
            return 90.0  # the same words; but the same words before two different URLs are two pages
        if a.container and len(a.date) >= 7 and a.date == b.date and fuzz.ratio(a.container, b.container) >= 92:
            return 85.0  # the same issue of a newspaper or daily report
    return 0.0


def _titled_score(a: _Profile, b: _Profile, score: float, authors: bool | None) -> float:
    words = min(len(a.title.split()), len(b.title.split()))
    days_differ = len(a.date) >= 10 and len(b.date) >= 10 and a.date != b.date
    if days_differ and not (authors and score >= 95 and words >= 4):
        return 0.0
    containers_differ = bool(a.container and b.container and fuzz.ratio(a.container, b.container) < 85)
    years_differ = bool(_year(a.date) and _year(b.date) and _year(a.date) != _year(b.date))
    if authors:
        if containers_differ and years_differ and score < 97:
            return 0.0  # "Sources of Power" (J, 2000) and "Sources of Power in Asia" (K, 2004)
        return score if score >= 88 else 0.0
    if containers_differ or years_differ:
        return 0.0
    if words < 2 and not (a.container and b.container):
        return 0.0  # "Introduction" alone says nothing
    needed = 92.0 if not a.authors and not b.authors else 95.0
    return score - 5 if score >= needed else 0.0


# ------------------------------------------------------------------------ groups


@dataclass(slots=True)
class _Group:
    profiles: dict[tuple[object, ...], _Profile] = field(default_factory=dict)
    """Up to 32 distinct profiles of its citations, each later one compared against."""


_MAX_POSTING = 400
"""Blocking keys shared by more groups than this are too common to narrow anything down."""
_MAX_CANDIDATES = 40
"""Of the groups sharing weak keys (name and title words), only this many sharing the most are compared."""
_STRONG_KEYS = frozenset({"doi", "url", "raw", "ct"})


class _Index:
    """Groups of full citations, found by blocking keys."""

    def __init__(self, title_freq: Counter[str]) -> None:
        self.groups: list[_Group] = []
        self.postings: dict[tuple[str, str], set[int]] = defaultdict(set)
        ranks = {w: n for n, w in enumerate(sorted(title_freq, key=lambda w: (title_freq[w], w)))}
        self.rarity: Callable[[str], int] = ranks.__getitem__
        """Sort key of a title word: rarest first, alphabetical among equally rare."""

    def keys(self, p: _Profile) -> set[tuple[str, str]]:
        keys: set[tuple[str, str]] = set()
        if p.doi:
            keys.add(("doi", p.doi))
        if p.url:
            keys.add(("url", p.url))
        if p.authors:
            keys.update([("au", t) for t in _person_tokens(p.authors[0])[0] if len(t) >= 3])
        if p.title:
            words = [w for w in set(p.title.split()) if w not in _STOPWORDS] or p.title.split()
            keys.update([("ti", w) for w in sorted(words, key=self.rarity)[:3]])
        else:
            if p.container:
                keys.add(("ct", p.container))
            if p.raw:
                keys.add(("raw", p.raw))
        return keys

    def add(self, position: int, p: _Profile) -> int:
        keys = self.keys(p)
        postings = self.postings
        candidates: set[int] = set()
        weak: list[set[int]] = []
        for key in keys:
            posting = postings.get(key)
            if not posting:
                continue
            if key[0] in _STRONG_KEYS:
                candidates.update(posting)
            elif len(posting) <= _MAX_POSTING:
                weak.append(posting)
        if weak:
            sharing = set().union(*weak)
            if len(sharing) <= _MAX_CANDIDATES:
                candidates.update(sharing)
            else:  # the groups that share the most weak keys, latest first on a tie
                shared = Counter(itertools.chain.from_iterable(weak))
                ranked = sorted(shared.items(), key=lambda x: (-x[1], -x[0]))
                candidates.update([g for g, _ in ranked[:_MAX_CANDIDATES]])
        best, best_score = None, 0.0
        for g in sorted(candidates):
            score = _group_score(p, self.groups[g])
            if score > best_score:
                best, best_score = g, score
                if score >= 100:
                    break  # no later group can score higher
        if best is None:
            best = len(self.groups)
            self.groups.append(_Group())
        group = self.groups[best]
        if len(group.profiles) < 32:
            group.profiles.setdefault(p.dedupe_key(), p)
        for key in keys:
            postings[key].add(best)
        return best


def _group_score(p: _Profile, group: _Group) -> float:
    """The best ``match_score`` of ``p`` against the profiles of ``group``."""
    best = 0.0
    for q in group.profiles.values():
        score = match_score(p, q)
        if score > best:
            best = score
            if score >= 100:
                break
    return best


# ------------------------------------------------------------------- short forms


_Names = tuple[tuple[Person, ...], str]
"""What short forms are matched on: a citation's real authors and its title key."""


def _names(citation: Citation) -> _Names:
    return tuple(_real_authors(citation.fields.authors)), _title_key(citation.fields.title)


def _short_matches(short: _Names, full: _Names) -> bool:
    """Does a short form with the names ``short`` stand for a full citation with the names ``full``?"""
    (s_authors, short_title), (f_authors, full_title) = short, full
    if s_authors:
        if not f_authors:
            return False
        if not all(any(persons_compatible(p, q) for q in f_authors) for p in s_authors):
            return False
    if not short_title:
        return bool(s_authors)
    if not full_title:
        return False
    stripped = short_title.removeprefix("the ").removeprefix("a ")
    if stripped in full_title or short_title in full_title:
        return True
    if len(short_title) < 8:
        return False
    words = len(short_title.split())
    threshold = 90 if s_authors else 94
    return words >= (1 if s_authors else 2) and fuzz.partial_ratio(short_title, full_title) >= threshold


class _FullCitations:
    """The full citations of one document, by names, for finding the one a short form stands for.

    A work cited in full many times is matched against each short form once, not once per citation;
    a short form with authors is only matched against the works of compatible authors.
    """

    def __init__(self, fulls: Iterable[tuple[int, _Names]]) -> None:
        self.positions: dict[_Names, list[int]] = {}
        """Positions of the full citations with these names, in document order."""
        for i, names in fulls:
            self.positions.setdefault(names, []).append(i)
        self.by_author: dict[Person, list[_Names]] = defaultdict(list)
        for names in self.positions:
            for person in set(names[0]):
                self.by_author[person].append(names)
        self.authors = _PersonIndex(self.by_author)
        self._matching: dict[_Names, list[list[int]]] = {}

    def _candidates(self, short: _Names) -> Iterable[_Names]:
        """The full names that can match ``short``: for a short form with authors, those in which every one of
        its authors has a compatible author (the first test of ``_short_matches``)."""
        if not short[0]:
            return self.positions
        found: set[_Names] | None = None
        for p in short[0]:
            with_p = {names for q in self.authors.compatible(p) for names in self.by_author[q]}
            found = with_p if found is None else found & with_p
            if not found:
                break
        return found or ()

    def target(self, position: int, short: Citation) -> int | None:
        """Position of the full citation a short form refers to: nearest earlier, else first later."""
        names = _names(short)
        runs = self._matching.get(names)
        if runs is None:
            runs = [self.positions[full] for full in self._candidates(names) if _short_matches(names, full)]
            self._matching[names] = runs
        earlier = [run[k - 1] for run in runs if (k := bisect.bisect_left(run, position))]
        if earlier:
            return max(earlier)
        later = [run[k] for run in runs if (k := bisect.bisect_right(run, position)) < len(run)]
        return min(later) if later else None


def _short_key(short: Citation) -> tuple[object, ...]:
    families = tuple(norm(p.family or p.literal) for p in short.fields.authors)
    return ("short", families, _title_key(short.fields.title), _raw_key(short.raw) if not short.fields.title else "")


# ------------------------------------------------------------------------ merging


def _vote(values: Sequence[str], key: Callable[[str], str] = norm, prefer_longer: bool = False) -> str | None:
    """The most common value (by ``key``); ties go to the longer, then the first.

    With ``prefer_longer``, a value whose key is a prefix of another's counts
    for the longer one ("Central Asian Republics" for the full title).
    """
    counts: dict[str, int] = {}  # in order of first appearance
    first: dict[str, str] = {}
    for value in values:
        k = key(value) if value else ""
        if k in counts:
            counts[k] += 1
        elif k:
            counts[k] = 1
            first[k] = value
    if len(counts) <= 1:
        return next(iter(first.values()), None)
    if prefer_longer:
        for k in list(counts):
            longer = [o for o in counts if o != k and o.startswith(k + " ")]
            if longer:
                counts[max(longer, key=len)] += counts.pop(k)
    return first[max(counts, key=lambda k: (counts[k], len(k)))]  # max keeps the first of equals


def _person_key(p: Person) -> tuple[str, ...]:
    return _person_tokens(p)[0]


_CLEANED = ("title", "container", "publisher", "place")
"""The fields of a source that ``clean`` tidies for display."""


def merge_fields(fields: Sequence[Fields]) -> Fields:
    """The best fields of a group: per field the most common value, most complete on ties."""
    if not fields:
        return Fields()
    if len(fields) == 1:  # most sources are cited once: nothing to vote on
        only = fields[0]
        changed: dict[str, Any] = {}
        for name in _CLEANED:
            value = getattr(only, name)
            if value is not None and (tidy := clean(value) or None) != value:
                changed[name] = tidy
        return replace(only, **changed) if changed else only
    author_lists = [f.authors for f in fields if f.authors]
    authors: tuple[Person, ...] = ()
    if author_lists:
        keyed = [tuple(_person_key(p) for p in a) for a in author_lists]
        counts = Counter(keyed)
        best = max(counts, key=lambda k: (counts[k], sum(len(" ".join(t)) for t in k), -keyed.index(k)))
        authors = author_lists[keyed.index(best)]
    editor_lists = [f.editors for f in fields if f.editors]
    editors = max(editor_lists, key=len) if editor_lists else ()

    def pick(name: str, prefer_longer: bool = False) -> str | None:
        present = [value for f in fields if (value := getattr(f, name))]
        if not present:  # most fields are missing from every citation
            return None
        value = _vote(present, prefer_longer=prefer_longer)
        return clean(value) or None if name in _CLEANED else value

    years = [_year(f.date or "") for f in fields if f.date and _year(f.date)]
    date = None
    if years:
        year = Counter(years).most_common(1)[0][0]
        same_year = [f.date for f in fields if f.date and f.date.startswith(year)]
        date = max(same_year, key=lambda d: (len(d), same_year.count(d)))
    pages = {f.pages for f in fields if f.pages}
    return Fields(
        authors=authors,
        editors=editors,
        title=pick("title", prefer_longer=True),
        container=pick("container", prefer_longer=True),
        volume=pick("volume"),
        issue=pick("issue"),
        date=date,
        pages=pages.pop() if len(pages) == 1 else None,
        publisher=pick("publisher"),
        place=pick("place"),
        url=pick("url"),
        doi=pick("doi"),
        isbn=pick("isbn"),
        accessed=_vote([f.accessed or "" for f in fields], key=str),
    )


def _merged_kind(citations: Sequence[Citation]) -> Kind:
    if len(citations) == 1:  # most sources are cited once
        kind = citations[0].kind
        return Kind.UNKNOWN if kind is Kind.IBID else kind
    kinds = Counter(c.kind for c in citations if c.kind not in (Kind.IBID, Kind.SHORT, Kind.UNKNOWN))
    if kinds:
        return kinds.most_common(1)[0][0]
    return Kind.SHORT if any(c.kind is Kind.SHORT for c in citations) else Kind.UNKNOWN


# ------------------------------------------------------------------------ resolve


def _cross_key(p: _Profile) -> tuple[str, ...] | None:
    """What identifies a work across documents: its DOI, its URL, or title + first author."""
    if p.doi:
        return ("doi", p.doi)
    if p.url:
        return ("url", p.url)
    if p.title and " " in p.title and p.authors:  # two words or more (titles are normalised)
        return ("ta", p.title, *sorted(_person_tokens(p.authors[0])[1]))
    return None


def _stream(citation: Citation) -> str | None:
    """Which run of citations an Ibid. looks back along (bare URLs are in none)."""
    if citation.origin is Origin.URL:
        return None
    return "entries" if citation.origin is Origin.ENTRY else "notes"


@dataclass(frozen=True, slots=True)
class Local:
    """What ``resolve`` finds among the citations of one document alone (those whose ``document`` is one
    path, in order): computed where the document was read (the map step), joined across documents in the
    parent by ``resolve``.

    Each citation's *slot*: a full group of the document (its index in ``keys``: full citations grouped, a
    short form with the full citation it stands for), an unmatched short form's key (those join across
    documents by key), or None (an Ibid. with nothing before it). Ibid. takes its predecessor's slot.
    """

    document: str
    size: int
    """The number of citations it was computed from (the parent checks it)."""
    slots: tuple[int | tuple[object, ...] | None, ...]
    keys: tuple[tuple[tuple[str, ...], ...], ...]
    """Per full group, in order of its first citation: what identifies its work across documents
    (``_cross_key`` of its profiles, each once, in the order the group met them)."""


def local(citations: Sequence[Citation]) -> Local:
    """``Local`` of ``citations``, the citations of one document in order (all with one ``document``)."""
    items = list(citations)
    profiles = {i: _Profile.of(c) for i, c in enumerate(items) if c.kind not in (Kind.IBID, Kind.SHORT)}
    # Fuzzy grouping runs within one document (where variants of a citation live);
    # across documents, groups join on exact keys (``resolve``), so the work stays linear.
    title_freq = Counter([w for p in profiles.values() for w in set(p.title.split())])
    index = _Index(title_freq)
    slots: list[int | tuple[object, ...] | None] = [None] * len(items)
    for i, p in profiles.items():
        slots[i] = index.add(i, p)
    fulls: _FullCitations | None = None
    last: dict[str, int] = {}
    for i, c in enumerate(items):
        stream = _stream(c)
        if c.kind is Kind.SHORT:
            if fulls is None:  # a profile's authors and title are the names short forms are matched on
                fulls = _FullCitations((j, (p.authors, p.title)) for j, p in profiles.items() if items[j].parsed)
            target = fulls.target(i, c)
            slots[i] = slots[target] if target is not None else _short_key(c)
        elif c.kind is Kind.IBID:
            previous = last.get(stream) if stream else None
            slots[i] = slots[previous] if previous is not None else None
        if stream:
            last[stream] = i
    keys = tuple(tuple(dict.fromkeys(k for k in map(_cross_key, g.profiles.values()) if k is not None))
                 for g in index.groups)
    return Local(items[0].document if items else "", len(items), tuple(slots), keys)


def locals_of(citations: Sequence[Citation]) -> list[Local]:
    """``local`` of each document's citations (``citations`` in order; a document's may be apart)."""
    by_document: dict[str, list[Citation]] = defaultdict(list)
    for c in citations:
        by_document[c.document].append(c)
    return [local(cited) for cited in by_document.values()]


def resolve(citations: Sequence[Citation], found: Iterable[Local] = ()
            ) -> tuple[tuple[Citation, ...], tuple[Source, ...]]:
    """Set ``source`` on every citation and build the sources (see the module docstring).

    ``found``: the ``Local`` of documents computed already (in the map step); the others' are computed
    here. Then the documents' groups join on exact keys, in order, and each group is one source.
    """
    items = list(citations)
    by_document: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(items):
        by_document[c.document].append(i)
    given: dict[str, Local | None] = {}
    for found_local in found:  # a document given twice (two documents drew on one file) is computed here
        given[found_local.document] = None if found_local.document in given else found_local
    documents: list[tuple[list[int], Local]] = []
    for document, positions in by_document.items():
        known = given.get(document)
        if known is None or known.size != len(positions):
            known = local([items[i] for i in positions])
        documents.append((positions, known))

    # Across documents: a group joins the first earlier group of another document that shares a key.
    owner: dict[tuple[str, ...], int] = {}
    target: list[int] = []
    first_document: list[str] = []
    offsets: list[int] = []
    for _positions, found_local in documents:
        offsets.append(len(target))
        for keys in found_local.keys:
            n = len(target)
            target.append(n)
            first_document.append(found_local.document)
            joined = next((owner[k] for k in keys if k in owner), None)
            if joined is not None and first_document[joined] != found_local.document:
                target[n] = joined
            for k in keys:
                owner.setdefault(k, target[n])

    group_of: list[object] = [None] * len(items)
    for (positions, found_local), offset in zip(documents, offsets, strict=True):
        for i, slot in zip(positions, found_local.slots, strict=True):
            group_of[i] = target[offset + slot] if isinstance(slot, int) else slot

    members: dict[object, list[int]] = defaultdict(list)  # in order of first appearance
    for i, g in enumerate(group_of):
        if g is not None:
            members[g].append(i)
    ids = {g: f"s{n}" for n, g in enumerate(members, start=1)}
    sources = []
    for g, positions in members.items():
        cited = [items[i] for i in positions]
        if len(cited) == 1:  # most sources are cited once
            only = cited[0]
            full = [only.fields] if is_full(only) or only.kind is Kind.SHORT else []
        else:
            full = [c.fields for c in cited if is_full(c)] or [c.fields for c in cited if c.kind is Kind.SHORT]
        citation_ids = tuple([c.id for c in cited])
        sources.append(Source(id=ids[g], citations=citation_ids, fields=merge_fields(full), kind=_merged_kind(cited)))
    resolved = tuple(_with_source(c, ids[g] if g is not None else None) for c, g in zip(items, group_of, strict=True))
    return resolved, tuple(sources)


def _with_source(c: Citation, source: str | None) -> Citation:
    """``replace(c, source=source)``, without ``replace``'s cost (a test keeps the field list in step)."""
    if c.source == source:
        return c
    return Citation(c.id, c.document, c.note, c.location, c.raw, c.kind, c.fields, source, c.origin, c.index, c.parsed)
