"""Archive rules A001–A002: what the archive look-up found, reported at every citation of the URL.

A002 points a dead (or soft-404) URL at its archived capture and says how far
the capture lies from the date the citation gives (its access date, else its
publication date). A001 warns about a live URL no archive holds — before
publication is the time to save it. When the Wayback Machine could not be
asked, whether a copy exists is unknown and A001 stays silent (the link's
``archive_error`` says why).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from verifier.model import Archive, Citation, Finding, LinkResult, LinkStatus, Severity
from verifier.rules.catalog import family, rule
from verifier.rules.common import RuleContext, make_finding

WAYBACK = "the Wayback Machine"
"""How ``verifier.net.archives`` starts the error of a look-up the Wayback Machine could not answer."""

_GONE = (LinkStatus.DEAD, LinkStatus.SOFT_404)
_LIVE = (LinkStatus.ALIVE, LinkStatus.REDIRECTED)
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _archive_findings(ctx: RuleContext) -> Iterator[Finding]:
    by_id = {c.id: c for c in ctx.citations}
    for link in ctx.links:
        citing = [by_id[i] for i in link.citations if i in by_id]
        if link.status in _GONE and link.archive is not None:
            for c in citing:
                yield make_finding(
                    "A002",
                    f"{link.url} is {'gone' if link.status is LinkStatus.DEAD else 'a soft 404'}, but archived: "
                    f"{_when(link.archive, c)}",
                    document=c.document, location=c.location, citations=[c], url=link.url,
                    suggestion=link.archive.url,
                )
        elif link.status in _LIVE and link.archive is None and link.archive_checked and not _unknown(link):
            aside = " (other archives were not checked)" if link.archive_error else ""  # why: said once per run
            for c in citing:
                yield make_finding(
                    "A001",
                    f"no archive holds a copy of {link.url}{aside}: save it before the page changes or disappears",
                    document=c.document, location=c.location, citations=[c], url=link.url,
                    suggestion=f"https://web.archive.org/save/{link.url} (or run `verifier archive` on this document)",
                )


def _unknown(link: LinkResult) -> bool:
    """Nothing found because the Wayback Machine could not be asked: whether a copy exists is unknown."""
    return (link.archive_error or "").startswith(WAYBACK)


def _when(archive: Archive, citation: Citation) -> str:
    """``captured 3 days after it was cited as accessed (2016-03-05)``, or as near as the dates allow."""
    captured = _capture_date(archive.timestamp)
    if captured is None:
        return f"captured at {archive.timestamp}"
    for date, basis in ((citation.fields.accessed, "accessed"), (citation.fields.date, "published")):
        gap = gap_words(captured, date) if date else None
        if gap is None:
            continue
        if gap == "on the day":
            said = "on the day it was cited as accessed" if basis == "accessed" else "on its cited publication date"
        elif gap.startswith("in "):
            said = f"{gap} it was cited as accessed" if basis == "accessed" else f"{gap} of its cited publication"
        else:
            said = f"{gap} it was cited as accessed" if basis == "accessed" else f"{gap} its cited publication date"
        return f"captured {said} ({date})"
    return f"the newest capture, from {captured.isoformat()} (the citation gives no date)"


def _capture_date(timestamp: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(timestamp[:8], "%Y%m%d").date()
    except ValueError:
        return None


def gap_words(captured: dt.date, cited: str) -> str | None:
    """How far ``captured`` lies from the period an ISO date names, in words; None when it is not a date.

    >>> gap_words(dt.date(2016, 3, 8), "2016-03-05"), gap_words(dt.date(2014, 1, 2), "2016")
    ('3 days after', '2 years before')
    >>> gap_words(dt.date(2016, 3, 8), "2016-03"), gap_words(dt.date(2016, 3, 8), "2016")
    ('in March 2016, the month', 'in 2016, the year')
    """
    m = _DATE.match(cited.strip())
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if month and day:
            start = end = dt.date(year, int(month), int(day))
        elif month:
            start = dt.date(year, int(month), 1)
            end = (dt.date(year + int(month) // 12, int(month) % 12 + 1, 1) - dt.timedelta(days=1))
        else:
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None
    if start <= captured <= end:
        if start == end:
            return "on the day"
        return f"in {_MONTHS[start.month - 1]} {year}, the month" if month else f"in {year}, the year"
    days = (captured - end).days if captured > end else (start - captured).days
    side = "after" if captured > end else "before"
    return f"{_span(days)} {side}"


def _span(days: int) -> str:
    if days < 60:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 548:
        months = round(days / 30.44)
        return f"{months} months"
    years = round(days / 365.25)
    return f"{years} year{'s' if years != 1 else ''}"


def _archive(ctx: RuleContext, code: str) -> Iterator[Finding]:
    found = ctx.shared("archives", lambda: list(_archive_findings(ctx)))
    return (f for f in found if f.code == code)


@rule("A001", "no-archive", Severity.WARNING, offline=False)
def check_no_archive(ctx: RuleContext) -> Iterator[Finding]:
    """a live cited URL has no archived copy

    ## What it does
    Reports live cited URLs of which no archive (the Internet Archive, Memento aggregators) holds a copy.

    ## Why it matters
    Web pages disappear; without an archived copy the citation will not survive the page.

    ## Example
    ```text
    http://www.rusemb.tj/ru/index/index/pageId/535 → no capture
    ```

    ## Fix
    Save the page in an archive (e.g. the Wayback Machine) and cite the capture next to the URL.
    """
    return _archive(ctx, "A001")


@rule("A002", "dead-archived", Severity.WARNING, offline=False)
def check_dead_archived(ctx: RuleContext) -> Iterator[Finding]:
    """a dead URL with an archived copy (the suggestion is the archive URL nearest the access date)

    ## What it does
    Reports dead cited URLs of which an archived copy exists; the suggestion is the capture nearest the access date
    (else the publication date, else the newest).

    ## Why it matters
    The source is still readable — through the archive.

    ## Example
    ```text
    http://www.novgaz.com/index.php/… → 404; captured 2010-10-22
    ```

    ## Fix
    Cite the archived copy.
    """
    return _archive(ctx, "A002")


check = family(__name__)
"""Every finding of this family's rules."""
