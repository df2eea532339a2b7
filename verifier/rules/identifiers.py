"""The F family: identifiers and dates that cannot be right as written.

F001 invalid DOI, F002 invalid ISBN, F003 impossible date, F004 invalid URL.
A value cited several times in one document is reported once, at its first
citation, naming all of them.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from collections.abc import Callable, Iterator, Sequence
from urllib.parse import urlsplit

from verifier.model import Citation, Document, Finding, Kind, Severity
from verifier.rules.catalog import family, rule
from verifier.rules.common import RuleContext, capital, make_finding, quote, where, where_many

# ------------------------------------------------------------------------ checks

_DOI = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def doi_problem(doi: str) -> str | None:
    """Why ``doi`` is not a syntactically valid DOI (``10.`` + 4–9 digits + ``/`` + suffix), or None."""
    bare = _DOI_PREFIX.sub("", doi.strip())
    try:
        from verifier.citations.identifiers import is_valid_doi
    except ImportError:
        valid = bool(_DOI.fullmatch(bare))
    else:
        valid = is_valid_doi(bare)
    if valid:
        return None
    if not bare.startswith("10."):
        return "a DOI starts with “10.”"
    if "/" not in bare:
        return "a DOI has a “/” between its prefix and suffix"
    return "a DOI is “10.” + a 4–9 digit registrant code + “/” + a suffix"


def _isbn_checksum_ok(digits: str) -> bool:
    if len(digits) == 10:
        return sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits)) % 11 == 0
    return sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(digits)) % 10 == 0


def isbn_problem(isbn: str) -> str | None:
    """Why ``isbn`` is not a valid ISBN-10 or ISBN-13, or None."""
    digits = re.sub(r"[\s\-‐–]", "", re.sub(r"^ISBN(?:-1[03])?:?", "", isbn.strip(), flags=re.I)).upper()
    if not re.fullmatch(r"\d{9}[\dX]|\d{13}", digits):
        return f"an ISBN has 10 or 13 digits, this one has {sum(c.isdigit() for c in digits)}"
    if len(digits) == 13 and not digits.startswith(("978", "979")):
        return "an ISBN-13 starts with 978 or 979"
    if not _isbn_checksum_ok(digits):
        return "its check digit is wrong"
    return None


_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


@functools.lru_cache(maxsize=4096)  # a document has few distinct dates, each looked at several times
def _parts(iso: str) -> tuple[int, ...] | None:
    m = _ISO.fullmatch(iso.strip())
    return tuple(int(g) for g in m.groups() if g is not None) if m else None


@functools.lru_cache(maxsize=4096)
def date_problem(iso: str) -> str | None:
    """Why the ISO date ``iso`` cannot exist (month 13, 30 February…), or None."""
    parts = _parts(iso)
    if parts is None:
        return None
    if len(parts) >= 2 and not 1 <= parts[1] <= 12:
        return f"there is no month {parts[1]}"
    if len(parts) == 3:
        last = calendar.monthrange(parts[0], parts[1])[1]
        if not 1 <= parts[2] <= last:
            return f"{calendar.month_name[parts[1]]} {parts[0]} has no day {parts[2]}"
    return None


def _after(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """Is ``a`` later than ``b`` at the precision both have?"""
    n = min(len(a), len(b))
    return a[:n] > b[:n]


def human_date(iso: str) -> str:
    """``1995`` → "1995", ``1995-12`` → "December 1995", ``2015-03-05`` → "5 March 2015"."""
    parts = _parts(iso)
    if parts is None or date_problem(iso):
        return iso
    if len(parts) == 1:
        return str(parts[0])
    month = calendar.month_name[parts[1]]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{parts[2]} {month} {parts[0]}"


_HOST = re.compile(r"[\w.\-]+", re.UNICODE)
_SPACE = re.compile(r"\s")  # what str.isspace() calls a space


_PLAIN_URL = re.compile(
    r"(?:https?|ftp)://(?P<host>[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.?)(?::(?P<port>[0-9]{1,5}))?"
    r"(?:[/?#][^\s\ufffd()\[\]{}]*)?"
)
"""A URL the full check below would pass but for its host's top-level domain and its port: a lower-case
scheme, a plain host, no user, no space, no bracket (most cited URLs; the check costs a tenth as much)."""


def url_problem(url: str) -> str | None:
    """Why ``url`` is malformed (no host, spaces, replacement characters, unbalanced brackets…), or None."""
    plain = _PLAIN_URL.fullmatch(url)
    if plain is not None and int(plain["port"] or 0) <= 65535:
        host = plain["host"].lower()
        labels = host.rstrip(".").split(".")
        if all(label.isdigit() for label in labels) or host == "localhost" or (
                len(labels) >= 2 and labels[-1].isalpha() and len(labels[-1]) >= 2):
            return None
    return _url_problem_parsed(url)


def _url_problem_parsed(url: str) -> str | None:
    if "\ufffd" in url:
        return "it contains replacement characters (�) left by a damaged text extraction"
    if _SPACE.search(url):
        return "it contains spaces"
    if url.lower().startswith("www."):
        url = "http://" + url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "it cannot be parsed as a URL"
    if parts.scheme.lower() not in ("http", "https", "ftp"):
        return None if parts.scheme else "it has no scheme (http:// or https://)"
    host = parts.hostname or ""
    if not host:
        return "it has no host name"
    if not _HOST.fullmatch(host) or ".." in host or host.startswith((".", "-")):
        return f"its host name {quote(host)} is malformed"
    labels = host.rstrip(".").split(".")
    is_ip = all(label.isdigit() for label in labels)
    if not is_ip and host != "localhost" and (len(labels) < 2 or not labels[-1].isalpha() or len(labels[-1]) < 2):
        return f"its host name {quote(host)} has no valid top-level domain"
    rest = url[len(parts.scheme) + 3 :]
    for left, right in ("()", "[]", "{}"):
        if rest.count(left) != rest.count(right):
            return f"its brackets {left}{right} are unbalanced"
    return None


# ------------------------------------------------------------------------- rules


def _per_value(
    citations: Sequence[Citation], value: Callable[[Citation], str | None]
) -> Iterator[tuple[str, list[Citation]]]:
    """Each distinct value in one document's citations, with the citations that carry it."""
    seen: dict[str, list[Citation]] = {}
    for c in citations:
        v = value(c)
        if v:
            seen.setdefault(v.strip(), []).append(c)
    yield from seen.items()


def _invalid_identifier(
    citations: Sequence[Citation],
    code: str,
    name: str,
    value: Callable[[Citation], str | None],
    problem_of: Callable[[str], str | None],
    suggestion: str,
) -> Iterator[Finding]:
    """One finding per distinct identifier of one document that ``problem_of`` rejects."""
    for ident, cited in _per_value(citations, value):
        problem = problem_of(ident)
        if problem:
            yield make_finding(
                code,
                f"{capital(where_many(cited))} cite{'s' if len(cited) == 1 else ''} the {name} {quote(ident)}, "
                f"which is not valid: {problem}.",
                document=cited[0].document,
                location=cited[0].location,
                citations=cited,
                suggestion=suggestion,
            )


def invalid_doi(citations: Sequence[Citation]) -> Iterator[Finding]:
    """F001 for one document's citations."""
    return _invalid_identifier(
        citations, "F001", "DOI", lambda c: c.fields.doi, doi_problem,
        "Copy the DOI again from the publisher's page or doi.org.",
    )


def invalid_isbn(citations: Sequence[Citation]) -> Iterator[Finding]:
    """F002 for one document's citations."""
    return _invalid_identifier(
        citations, "F002", "ISBN", lambda c: c.fields.isbn, isbn_problem,
        "Check the ISBN against the book's copyright page or a library catalogue.",
    )


def impossible_date(citations: Sequence[Citation], today: datetime.date | None) -> Iterator[Finding]:
    """F003 for one document's citations: dates that cannot exist, future dates, access before publication."""
    now = (today.year, today.month, today.day) if today else None
    for c in citations:
        if c.kind is Kind.IBID or not (c.fields.date or c.fields.accessed):
            continue
        for problem in _date_problems(c.fields.date, c.fields.accessed, now):
            yield make_finding(
                "F003",
                f"{capital(where(c))}: {problem}.",
                document=c.document,
                location=c.location,
                citations=[c],
                suggestion="Check the date against the source.",
            )


@functools.lru_cache(maxsize=4096)  # many citations share their dates
def _date_problems(date: str | None, accessed: str | None, now: tuple[int, int, int] | None) -> tuple[str, ...]:
    """What is wrong with a citation's publication and access dates, given today's date ``now``."""
    problems: list[str] = []
    for iso, label in ((date, "date"), (accessed, "access date")):
        if not iso:
            continue
        problem = date_problem(iso)
        parts = _parts(iso)
        if problem:
            problems.append(f"the {label} {quote(iso)} cannot exist: {problem}")
        elif parts and now and _after(parts, now):
            problems.append(f"the {label} {human_date(iso)} lies in the future")
    published, seen = _parts(date or ""), _parts(accessed or "")
    if (
        published
        and seen
        and not date_problem(date or "")
        and not date_problem(accessed or "")
        and _after(published, seen)
    ):
        problems.append(
            f"it was accessed ({human_date(accessed or '')}) before it was published ({human_date(date or '')})"
        )
    return tuple(problems)


def invalid_url(doc: Document, citations: Sequence[Citation]) -> Iterator[Finding]:
    """F004 for one document: malformed URLs in citations, and damaged note URLs no reader diagnostic reported."""
    reported = {d.url for d in doc.diagnostics if d.code == "F004" and d.url}
    reported_notes = {d.note for d in doc.diagnostics if d.code == "F004" and d.note}
    for url, cited in _per_value(citations, lambda c: c.fields.url):
        problem = url_problem(url)
        if problem and url not in reported:
            yield make_finding(
                "F004",
                f"{capital(where_many(cited))} cite{'s' if len(cited) == 1 else ''} the URL {quote(url, 100)}, "
                f"which is malformed: {problem}.",
                document=doc.path,
                location=cited[0].location,
                citations=cited,
                url=url,
                suggestion="Copy the URL again from the page itself (or from an archived copy).",
            )
            reported.add(url)
    for note in doc.notes:
        for url in note.damaged_urls:
            if url in reported or note.label in reported_notes:
                continue
            reported.add(url)
            yield make_finding(
                "F004",
                f"The URL {quote(url, 100)} in note {note.label} is damaged and could not be repaired"
                f" ({url_problem(url) or 'it is incomplete'}).",
                document=doc.path,
                location=note.location,
                citations=[c for c in citations if c.note == note.label],
                url=url,
                suggestion="Copy the URL again from the page itself (or from an archived copy).",
            )


@rule("F001", "invalid-doi", Severity.ERROR, per_document=True)
def check_invalid_doi(ctx: RuleContext) -> Iterator[Finding]:
    """a DOI that is not syntactically valid

    ## What it does
    Checks the syntax of every cited DOI: “10.”, a registrant code of 4–9 digits, “/”, a suffix.

    ## Why it matters
    A malformed DOI does not resolve; the link in the published work is dead from day one.

    ## Example
    ```text
    doi:10.1080/0263493110
    ```

    ## Fix
    Copy the DOI again from the publisher's page or doi.org.
    """
    for citations in ctx.per_document.values():
        yield from invalid_doi(citations)


@rule("F002", "invalid-isbn", Severity.ERROR, per_document=True)
def check_invalid_isbn(ctx: RuleContext) -> Iterator[Finding]:
    """an ISBN with a wrong checksum or length

    ## What it does
    Checks the length and check digit of every cited ISBN-10 and ISBN-13.

    ## Why it matters
    A wrong ISBN finds no book, or the wrong one, in catalogues and shops.

    ## Example
    ```text
    ISBN 978-0-19-957928-7   (check digit should be 8)
    ```

    ## Fix
    Copy the ISBN again from the copyright page or a library catalogue.
    """
    for citations in ctx.per_document.values():
        yield from invalid_isbn(citations)


@rule("F003", "impossible-date", Severity.WARNING, per_document=True)
def check_impossible_date(ctx: RuleContext) -> Iterator[Finding]:
    """a date that cannot exist, lies in the future, or an access date before publication

    ## What it does
    Finds dates that cannot exist (month 13, 30 February), dates after today (when the run knows the date), and
    access dates before the publication date.

    ## Why it matters
    An impossible date is a typo that makes the source hard to find or the citation look invented.

    ## Example
    ```text
    “…,” Radio Ozodi, April 28, 2013, accessed March 2, 2012.
    ```

    ## Fix
    Check the date against the source.
    """
    for citations in ctx.per_document.values():
        yield from impossible_date(citations, ctx.today)


@rule("F004", "invalid-url", Severity.ERROR, per_document=True)
def check_invalid_url(ctx: RuleContext) -> Iterator[Finding]:
    """a URL that is malformed and could not be repaired

    ## What it does
    Finds URLs that are malformed and could not be repaired: no host, spaces, replacement characters (�) from a
    damaged extraction, unbalanced brackets, no top-level domain; and URLs cut off where a line broke after a
    hyphen and the rest was lost, in notes and in the body text (such a URL is not requested).

    ## Why it matters
    A malformed URL cannot be followed or checked; readers cannot reach the source.

    ## Example
    ```text
    http://www.mid.ru/BDOMP/Brp_4.nsf/arh/0E15967�A3714F
    ```

    ## Fix
    Copy the URL again from the page itself, or from an archived copy.
    """
    for doc in ctx.documents:
        yield from invalid_url(doc, ctx.per_document.get(doc.path, []))


check = family(__name__)
"""Every finding of this family's rules."""
