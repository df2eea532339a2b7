"""The I family: one source, written differently in different places.

I001–I005 compare the full citations of one source within one document, field
by field. Values are compared after normalising case, punctuation, quotes and
diacritics (so ``Why Did…`` and ``Why did…`` agree); each further form of a
field is reported once, against the form the source was first cited with, at
the first citation that uses it. A date that is only less precise
(``1995`` beside ``1995-12``) agrees; ``1995`` beside ``1996`` does not.

I006 flags an Ibid. after a note that cites several sources; I008 a URL cited
for different sources, or one source cited with different URLs. (I007, style,
lives in ``style.py``.)
"""

from __future__ import annotations

import functools
import re
import string
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from verifier.model import Citation, Finding, Kind, Origin, Person, Severity
from verifier.rules.catalog import family, rule
from verifier.rules.common import RuleContext, capital, make_finding, quote, where, where_many
from verifier.rules.identifiers import human_date
from verifier.sources import clean, is_full, norm, persons_compatible

# ------------------------------------------------------------------------- forms


@dataclass(slots=True)
class _Form:
    """One way a field is written, and the citations that write it so."""

    key: object
    display: str
    citations: list[Citation] = field(default_factory=list)


def _same(a: object, b: object) -> bool:
    return a == b


def _dates_agree(a: object, b: object) -> bool:
    x, y = str(a), str(b)
    n = min(len(x), len(y))
    return x[:n] == y[:n]


def _collect(
    citations: Sequence[Citation],
    value: Callable[[Citation], tuple[object, str] | None],
    agree: Callable[[object, object], bool] = _same,
) -> list[_Form]:
    """The distinct forms of one field among ``citations``, in order of first appearance."""
    forms: list[_Form] = []
    by_key: dict[object, _Form] = {}  # when forms agree by equality, a form is found by its key
    for c in citations:
        v = value(c)
        if v is None:
            continue
        key, display = v
        if agree is _same:
            form = by_key.get(key)
        else:
            form = next((f for f in forms if agree(f.key, key)), None)
        if form is None:
            form = _Form(key, display)
            forms.append(form)
            if agree is _same:
                by_key[key] = form
        form.citations.append(c)
    return forms


def _preferred(forms: Sequence[_Form]) -> _Form:
    return max(forms, key=lambda f: (len(f.citations), -forms.index(f)))


def _report(
    code: str,
    forms: Sequence[_Form],
    sentence: Callable[[_Form, _Form], str],
    advice: str,
) -> Iterator[Finding]:
    """One finding per form after the first, against the first; suggests the commonest form."""
    if len(forms) < 2:
        return
    first, best = forms[0], _preferred(forms)
    for form in forms[1:]:
        later = form.citations[0]
        yield make_finding(
            code,
            sentence(form, first),
            document=later.document,
            location=later.location,
            citations=[first.citations[0], *form.citations],
            suggestion=f"{advice} {quote(best.display)} (as in {where_many(best.citations)}).",
        )


def _verb(form: _Form, singular: str) -> str:
    """``Note 14 cites`` / ``Notes 14 and 20 cite``."""
    plural = singular.removesuffix("s")
    return f"{capital(where_many(form.citations))} {singular if len(form.citations) == 1 else plural}"


# --------------------------------------------------------------- I001 I003–I005


def _title(c: Citation) -> tuple[object, str] | None:
    if not c.fields.confident("title"):
        return None  # a shaky parse is no evidence of an inconsistency
    key = norm(c.fields.title)
    return (key, clean(c.fields.title)) if key else None


def _container(c: Citation) -> tuple[object, str] | None:
    if not c.fields.confident("container"):
        return None
    key = norm(c.fields.container).removeprefix("the ")
    return (key, clean(c.fields.container)) if key else None


_ISO_DATE = re.compile(r"\d{4}(-\d{2}){0,2}")


def _date(c: Citation) -> tuple[object, str] | None:
    if not c.fields.confident("date"):
        return None
    date = (c.fields.date or "").strip()
    return (date, human_date(date)) if _ISO_DATE.fullmatch(date) else None


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


_NUMBER_WORD = re.compile(r"^\s*(vol(ume)?|no|nos|number|issue|iss|n)\b\.?\s*", flags=re.I)


@functools.lru_cache(maxsize=4096)
def numeral(text: str) -> str:
    """A volume or issue number for comparison: ``vol. IV`` → ``4``, ``No.3`` → ``3``."""
    t = norm(_NUMBER_WORD.sub("", text))
    if t and all(ch in _ROMAN for ch in t):
        values = [_ROMAN[ch] for ch in t]
        return str(sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)))
    return t


def _locator(name: str) -> Callable[[Citation], tuple[object, str] | None]:
    def value(c: Citation) -> tuple[object, str] | None:
        raw = getattr(c.fields, name)
        key = numeral(raw) if raw else ""
        return (key, f"{'volume' if name == 'volume' else 'issue'} {clean(raw)}") if key else None

    return value


def _title_of(citations: Sequence[Citation]) -> str:
    titles = [clean(c.fields.title) for c in citations if c.fields.title]
    return quote(Counter(titles).most_common(1)[0][0]) if titles else "this source"


def field_conflicts(citations: Sequence[Citation]) -> Iterator[Finding]:
    """I001, I003, I004 and I005 for the full citations of one source in one document."""
    yield from _report(
        "I001",
        _collect(citations, _title),
        lambda new, old: (
            f"{_verb(new, 'cites')} {quote(new.display)} but {where(old.citations[0])} cites "
            f"the same source as {quote(old.display)}."
        ),
        "Use one title throughout, e.g.",
    )
    yield from _report(
        "I003",
        _collect(citations, _container),
        lambda new, old: (
            f"{_verb(new, 'places')} {_title_of(citations)} in {quote(new.display)} but "
            f"{where(old.citations[0])} places it in {quote(old.display)}."
        ),
        "Name the journal, book or site one way throughout, e.g.",
    )
    yield from _report(
        "I004",
        _collect(citations, _date, _dates_agree),
        lambda new, old: (
            f"{_verb(new, 'dates')} {_title_of(citations)} {new.display} but "
            f"{where(old.citations[0])} dates it {old.display}."
        ),
        "Check the date against the source and use it throughout, e.g.",
    )
    for name in ("volume", "issue"):
        yield from _report(
            "I005",
            _collect(citations, _locator(name)),
            lambda new, old: (
                f"{_verb(new, 'gives')} {new.display} for {_title_of(citations)} but "
                f"{where(old.citations[0])} gives {old.display}."
            ),
            f"Check the {name} against the source and use it throughout, e.g.",
        )


# ------------------------------------------------------------------------- I002


_NAME_BREAK = re.compile(r"[\s.,]+")


def _name_order(p: Person) -> list[list[str]]:
    given = [t for t in _NAME_BREAK.split(p.given or "") if t]
    family = [t for t in _NAME_BREAK.split(p.family or "") if t]
    literal = [t for t in _NAME_BREAK.split(p.literal or "") if t]
    return [given + family, family + given] if family else [literal]


def name_as_written(person: Person, raw: str) -> str | None:
    """The person's name exactly as it stands in ``raw`` (``Mohd, Monir Alam``), or None if not found."""
    for tokens in _name_order(person):
        if not tokens:
            continue
        if all(t.isascii() for t in tokens) and _CASE_TWINS.isdisjoint(raw):
            span = _find_ascii_name(tokens, raw)
            if span:
                return " ".join(raw[span[0] : span[1]].split())
            continue
        pattern = r"[\s.,]*".join(re.escape(t) for t in tokens)
        m = re.search(rf"(?<!\w){pattern}\.?(?!\w)", raw, flags=re.IGNORECASE)
        if m:
            return " ".join(m.group().split())
    return None


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_CASE_TWINS = frozenset("\u0130\u0131\u017f\u212a")
"""The only non-ASCII characters that ``re.IGNORECASE`` matches to ASCII letters: İ, ı, ſ and the Kelvin sign."""


def _is_word(char: str) -> bool:
    """What ``re``'s ``\\w`` matches."""
    return char.isalnum() or char == "_"


def _find_ascii_name(tokens: Sequence[str], raw: str) -> tuple[int, int] | None:
    """Where ``name_as_written``'s pattern, ``(?<!\\w)`` + the tokens joined by ``[\\s.,]*`` + ``\\.?(?!\\w)``,
    first matches ``raw`` ignoring case: the same search without compiling a pattern for every name, for ASCII
    tokens in a text without case twins (where ignoring case is comparing ASCII-lower-cased text)."""
    low = raw.translate(_ASCII_LOWER)
    first, *rest = (t.lower() for t in tokens)
    n = len(raw)
    start = low.find(first)
    while start >= 0:
        if start == 0 or not _is_word(raw[start - 1]):
            end = start + len(first)
            for token in rest:  # tokens hold no separators, so the separators between them are all taken
                while end < n and (raw[end] in ".," or raw[end].isspace()):
                    end += 1
                if not low.startswith(token, end):
                    break
                end += len(token)
            else:
                if raw.startswith(".", end) and (end + 1 == n or not _is_word(raw[end + 1])):
                    return start, end + 1
                if end == n or not _is_word(raw[end]):
                    return start, end
        start = low.find(first, start + 1)
    return None


def _natural_order(written: str, p: Person) -> str:
    """``Berg, Johan`` as ``Johan Berg``: a bibliography's inverted name is the same spelling as a note's.

    Only the comma inversion of the parsed family name is undone; any other difference still counts.
    """
    family, sep, given = written.partition(",")
    if sep and p.family and norm(family) == norm(p.family) and given.strip():
        return f"{given.strip().rstrip('.')} {family.strip()}"
    return written


@dataclass(frozen=True, slots=True)
class _NameKey:
    """A name as written (when found in the raw text) and as parsed; equal when the written forms
    agree, or, lacking one, the parsed forms do."""

    written: str | None
    parsed: str

    def agrees(self, other: object) -> bool:
        assert isinstance(other, _NameKey)
        if self.written is not None and other.written is not None:
            return self.written == other.written
        return self.parsed == other.parsed


def _name_key(p: Person, raw: str) -> tuple[_NameKey, str]:
    written = name_as_written(p, raw)
    parsed = "|".join((norm(p.family), norm(p.given), norm(p.literal)))
    key = "".join(_natural_order(written, p).casefold().split()).rstrip(".") if written else None
    return _NameKey(key, parsed), written or p.display()


def author_conflicts(citations: Sequence[Citation]) -> Iterator[Finding]:
    """I002 for the full citations of one source in one document: one person's name written two ways."""
    people: list[tuple[Person, list[Citation]]] = []  # each person of the source, by compatibility
    per_person: dict[int, list[Citation]] = defaultdict(list)
    for c in citations:
        if not c.fields.confident("authors"):
            continue
        for p in c.fields.authors:
            if norm(p.literal) in ("et al", "others"):
                continue
            slot = next((i for i, (q, _) in enumerate(people) if persons_compatible(p, q)), None)
            if slot is None:
                slot = len(people)
                people.append((p, []))
            if c not in per_person[slot]:
                per_person[slot].append(c)
    for slot in range(len(people)):
        cited = per_person[slot]

        def value(c: Citation, slot: int = slot) -> tuple[object, str] | None:
            person = next((p for p in c.fields.authors if persons_compatible(p, people[slot][0])), None)
            return _name_key(person, c.raw) if person else None

        yield from _report(
            "I002",
            _collect(cited, value, lambda a, b: isinstance(a, _NameKey) and a.agrees(b)),
            lambda new, old: (
                f"{_verb(new, 'names')} the author {quote(new.display)} but "
                f"{where(old.citations[0])} names the same author of the same source {quote(old.display)}."
            ),
            "Write the name one way throughout, e.g.",
        )


# ------------------------------------------------------------------------- I006


def ambiguous_ibid(citations: Sequence[Citation]) -> Iterator[Finding]:
    """I006 for one document: an Ibid. opening a note whose previous note cites more than one source."""
    stream = [c for c in citations if c.origin in (Origin.NOTE, Origin.INLINE)]
    if not any(c.kind is Kind.IBID for c in stream):
        return
    sources_in_note: dict[str | None, list[str]] = defaultdict(list)
    in_note: dict[str | None, list[Citation]] = defaultdict(list)
    for c in stream:
        if c.origin is Origin.NOTE:
            in_note[c.note].append(c)
            if c.source and c.source not in sources_in_note[c.note]:
                sources_in_note[c.note].append(c.source)
    titles: dict[str | None, str] | None = None  # each source's first full title, when a finding names them
    for before, c in zip(stream, stream[1:], strict=False):
        if c.kind is not Kind.IBID or before.note == c.note or before.origin is not Origin.NOTE:
            continue
        cited = sources_in_note[before.note]
        if len(cited) > 1:
            if titles is None:
                titles = {x.source: clean(x.fields.title) or clean(x.raw) for x in reversed(stream) if is_full(x)}
            named = [quote(titles.get(s, s), 50) for s in cited]
            yield make_finding(
                "I006",
                f"{capital(where(c))} says “Ibid.” after {where(before)}, which cites {len(cited)} sources "
                f"({', '.join(named)}); it is taken to mean the last one.",
                document=c.document,
                location=c.location,
                citations=[c, *in_note[before.note]],
                suggestion="Replace “Ibid.” with a short form of the work meant.",
            )


# ------------------------------------------------------------------------- I008


_SCHEME = re.compile(r"^[a-z]+://")


@functools.lru_cache(maxsize=4096)  # each URL is keyed twice, once per check
def _url_key(url: str) -> str:
    key = _SCHEME.sub("", url.strip().lower()).removeprefix("www.")
    return key.split("#", 1)[0].rstrip("/")


def url_conflicts(citations: Sequence[Citation]) -> Iterator[Finding]:
    """I008 for one document: one URL for different sources, one source with different URLs."""
    by_url: dict[str, dict[str, list[Citation]]] = defaultdict(dict)
    for c in citations:
        if c.fields.url and c.source and c.kind is not Kind.IBID:
            by_url[_url_key(c.fields.url)].setdefault(c.source, []).append(c)
    for groups in by_url.values():
        if len(groups) < 2:
            continue
        (first_source, first), *others = groups.items()
        for _source, cited in others:
            c = cited[0]
            yield make_finding(
                "I008",
                f"{capital(where(c))} cites the URL {quote(c.fields.url or '', 90)} for "
                f"{quote(clean(c.fields.title) or clean(c.raw), 60)}, but {where(first[0])} cites the same URL for "
                f"{quote(clean(first[0].fields.title) or clean(first[0].raw), 60)}.",
                document=c.document,
                location=c.location,
                citations=[first[0], *cited],
                url=c.fields.url,
                suggestion="Give each work the address of its own page.",
            )
    per_source: dict[str, list[Citation]] = defaultdict(list)
    for c in citations:
        if c.fields.url and c.source and is_full(c):
            per_source[c.source].append(c)
    for cited in per_source.values():
        if len(cited) < 2:
            continue
        forms = _collect(cited, lambda c: (_url_key(c.fields.url or ""), c.fields.url or ""))
        if len(forms) < 2:
            continue
        original = forms[0]
        for form in forms[1:]:
            a, b = str(original.key), str(form.key)
            if a in b or b in a:  # an archived copy of the page, or the page of a site
                continue
            later = form.citations[0]
            yield make_finding(
                "I008",
                f"{capital(where(later))} cites {quote(clean(later.fields.title) or clean(later.raw), 60)} at "
                f"{quote(form.display, 90)} but {where(original.citations[0])} cites the same source at "
                f"{quote(original.display, 90)}.",
                document=later.document,
                location=later.location,
                citations=[original.citations[0], *form.citations],
                url=form.display,
                suggestion="Cite one address for the source (the publisher's canonical URL).",
            )


def _groups(ctx: RuleContext) -> list[list[Citation]]:
    """The full citations of each source, per document: the groups whose fields must agree."""
    groups: list[list[Citation]] = []
    for citations in ctx.per_document.values():
        per_source: dict[str, list[Citation]] = defaultdict(list)
        for c in citations:
            if c.source and is_full(c) and c.origin is not Origin.URL:
                per_source[c.source].append(c)
        groups += [cited for cited in per_source.values() if len(cited) > 1]
    return groups


def _field_conflicts(ctx: RuleContext, code: str) -> Iterator[Finding]:
    conflicts = ctx.shared("consistency.fields", lambda: [f for g in _groups(ctx) for f in field_conflicts(g)])
    return (f for f in conflicts if f.code == code)


@rule("I001", "conflicting-title", Severity.WARNING)
def check_conflicting_title(ctx: RuleContext) -> Iterator[Finding]:
    """one source cited with differing titles

    ## What it does
    Compares the titles of the citations of one source (case, punctuation, quotes and diacritics ignored) and
    reports each differing form once, against the first.

    ## Why it matters
    A misspelt title makes the work hard to find, and suggests the citation was copied without checking.

    ## Example
    ```text
    1. Akbarzadeh, “Why Did Nationalism Fail in Tajikistan”, …
    14. Akbarzadeh, “Why did Nationalism Fall in Tajikistan”, …
    ```

    ## Fix
    Check the title against the work and use it throughout.
    """
    return _field_conflicts(ctx, "I001")


@rule("I002", "conflicting-author", Severity.WARNING)
def check_conflicting_author(ctx: RuleContext) -> Iterator[Finding]:
    """one source cited with differing author names

    ## What it does
    Compares how the authors of one source are written in its citations (initials against full names, abbreviations,
    stray commas) and reports each differing form once.

    ## Why it matters
    Inconsistent names split one author into several in indexes, catalogues and exports.

    ## Example
    ```text
    19. Mohammad Monir Alam, …
    38. Mohd. Monir Alam, …   (same article)
    ```

    ## Fix
    Write each name one way throughout.
    """
    for group in ctx.shared("consistency.groups", lambda: _groups(ctx)):
        yield from author_conflicts(group)


@rule("I003", "conflicting-container", Severity.WARNING)
def check_conflicting_container(ctx: RuleContext) -> Iterator[Finding]:
    """one source cited with differing journal/book/site names

    ## What it does
    Compares the journal, book or site names of the citations of one source.

    ## Why it matters
    A wrong container sends the reader to the wrong journal or book.

    ## Example
    ```text
    43. “Tajikistan: Introductory Survey”, The Europe World Year Book, 2003.
    50. “Tajikistan: Introductory Survey”, The Europa World Year Book, 2003.
    ```

    ## Fix
    Use the container's exact name throughout.
    """
    return _field_conflicts(ctx, "I003")


@rule("I004", "conflicting-date", Severity.WARNING)
def check_conflicting_date(ctx: RuleContext) -> Iterator[Finding]:
    """one source cited with differing years or dates

    ## What it does
    Compares the dates of the citations of one source. A date that is merely less precise agrees (1995 beside
    December 1995); different years, or different months of one year, do not.

    ## Why it matters
    A wrong year points to another edition or issue, or to no work at all.

    ## Example
    ```text
    3. Joshi, …, December 1995.
    20. Joshi, …, 1996.
    ```

    ## Fix
    Check the date against the work and use it throughout.
    """
    return _field_conflicts(ctx, "I004")


@rule("I005", "conflicting-locator", Severity.WARNING)
def check_conflicting_locator(ctx: RuleContext) -> Iterator[Finding]:
    """one source cited with differing volume or issue

    ## What it does
    Compares the volume and issue numbers of the citations of one source (vol. IV and vol. 4 agree).

    ## Why it matters
    A wrong volume or issue sends the reader to the wrong issue of the journal.

    ## Example
    ```text
    1. …, Journal of River History, vol. 48, no. 7 …
    10. …, Journal of River History, vol. 8, no. 7 …
    ```

    ## Fix
    Check the volume and issue against the work.
    """
    return _field_conflicts(ctx, "I005")


@rule("I006", "ambiguous-ibid", Severity.WARNING)
def check_ambiguous_ibid(ctx: RuleContext) -> Iterator[Finding]:
    """"Ibid." after a note that cites more than one source

    ## What it does
    Finds “Ibid.” at the start of a note that follows a note citing more than one source.

    ## Why it matters
    “Ibid.” then could mean either source; it is read as the last one, which may not be what was meant.

    ## Example
    ```text
    4. Smith, Title A, 3; Jones, Title B, 7.
    5. Ibid., 9.
    ```

    ## Fix
    Replace “Ibid.” with a short form of the work meant.
    """
    for citations in ctx.per_document.values():
        yield from ambiguous_ibid(citations)


@rule("I008", "url-conflict", Severity.WARNING)
def check_url_conflict(ctx: RuleContext) -> Iterator[Finding]:
    """one URL cited for different sources, or one source with different URLs

    ## What it does
    Finds one URL cited for two different sources, and one source cited with two different URLs (an archived copy of
    the same page is not a conflict).

    ## Why it matters
    One of the two is wrong: a reader following the link reaches another work than the one cited.

    ## Example
    ```text
    7. Port Authority…, “Interview…”, http://www.example.org/news/page/535
    12. Harbour Office…, “Annual report…”, http://www.example.org/news/page/535
    ```

    ## Fix
    Give each work the address of its own page.
    """
    for citations in ctx.per_document.values():
        yield from url_conflicts(citations)


check = family(__name__)
"""Every finding of this family's rules."""
