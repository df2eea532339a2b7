"""Link rules L001–L008: what the link check found, reported at every citation of the URL.

A URL cited in five notes gets five findings, one per note, so an editor sees
each place to fix. The verdicts come from ``verifier.net``; these rules only
phrase them (and compare titles, which is pure). A run whose network was down
gets one L008 for the whole run instead (its links are ``skipped``): the
network's failure is never a verdict about a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rapidfuzz import fuzz

from verifier.model import Citation, Finding, LinkResult, LinkStatus
from verifier.rules.common import RuleContext, make_finding, quote

PRIVATE = "private address"
"""How ``verifier.net.guard`` starts the error of a URL it refused (kept in step with it)."""
NO_NETWORK = "no network"
"""How ``verifier.net.health`` starts the error of a link not checked because the network was down."""

_CODES = {
    LinkStatus.DEAD: "L001",
    LinkStatus.ERROR: "L002",
    LinkStatus.BLOCKED: "L003",
    LinkStatus.REDIRECTED: "L004",
    LinkStatus.SOFT_404: "L005",
}
_SITE_SUFFIX = re.compile(r"\s+[|–—:·•-]\s+[^|–—:·•-]{2,60}$")
_WORD = re.compile(r"\w+")


def check(ctx: RuleContext) -> Iterator[Finding]:
    by_id = {c.id: c for c in ctx.citations}
    unchecked = [link for link in ctx.links
                 if link.status is LinkStatus.SKIPPED and (link.error or "").startswith(NO_NETWORK)]
    if unchecked:
        reason = (unchecked[0].error or "").partition("(")[2].removesuffix(")")
        n = len(unchecked)
        yield make_finding(
            "L008", f"no network: {n} link{'s' if n != 1 else ''} not checked" + (f" ({reason})" if reason else ""),
            document=None, location=None,
            suggestion="check the machine's network (DNS, route, proxy) and run again; nothing was cached",
        )
    for link in ctx.links:
        citing = [by_id[i] for i in link.citations if i in by_id]
        code = _CODES.get(link.status)
        if code is None and link.status is LinkStatus.SKIPPED and (link.error or "").startswith(PRIVATE):
            code = "L007"
        if code is not None:
            message, suggestion = _phrase(code, link)
            for c in citing:
                yield make_finding(code, message, document=c.document, location=c.location, citations=[c],
                                   url=link.url, suggestion=suggestion)
        if link.title and link.status in (LinkStatus.ALIVE, LinkStatus.REDIRECTED):
            yield from _title_mismatch(link, citing)


def _phrase(code: str, link: LinkResult) -> tuple[str, str | None]:
    why = link.error or (f"HTTP {link.http_status}" if link.http_status else "no answer")
    if code == "L001":
        return f"dead link ({why}): {link.url}{_archive_note(link)}", None
    if code == "L002":
        retried = (link.http_status or 0) >= 500 or why.startswith(("timed out", "the server closed", "name lookup"))
        return f"could not verify {link.url}: {why}{', after retries' if retried else ''}", None
    if code == "L003":
        return f"the site refused the checker ({why}); check {link.url} in a browser", None
    if code == "L004":
        target = link.suggestion or link.final_url
        return f"{link.url} has moved permanently to {target}", target
    if code == "L005":
        return f"soft 404: {link.url} {_soft_reason(link)}{_archive_note(link)}", None
    return f"{link.url} points at a {link.error}", None


def _archive_note(link: LinkResult) -> str:
    """What the archives said of a dead (or soft-404) URL when they hold no copy (A002 reports the copies), in
    a few words: why an archive could not be asked is said once per run, not on every finding."""
    if not link.archive_checked or link.archive is not None:
        return ""
    if (link.archive_error or "").startswith("the Wayback Machine"):
        return "; archive not asked"
    return "; not archived"


def _soft_reason(link: LinkResult) -> str:
    error = (link.error or "looks like an error page").removeprefix("soft 404: ")
    if link.final_url and link.final_url != link.url and "redirect" in error:
        return f"{error} ({link.final_url})"
    return error


def _title_mismatch(link: LinkResult, citing: list[Citation]) -> Iterator[Finding]:
    assert link.title is not None
    for c in citing:
        cited = c.fields.title
        if cited and titles_differ(cited, link.title):
            yield make_finding(
                "L006",
                f"the page at {link.url} is now titled {quote(link.title)}, not the cited {quote(cited)}",
                document=c.document, location=c.location, citations=[c], url=link.url,
                suggestion="check that the page still holds the cited work; cite an archived copy if not",
            )


def titles_differ(cited: str, live: str) -> bool:
    """True when two titles clearly name different things.

    Lenient on purpose (a false L006 sends an editor on a chase): a site name
    after ``|`` or ``–``, case, punctuation, subtitles and word order are
    ignored; the titles must share almost no words, and both must be long
    enough to judge (three words or more).
    """
    a, b = _norm(cited), _norm(_SITE_SUFFIX.sub("", live))
    if len(_WORD.findall(a)) < 3 or len(_WORD.findall(b)) < 2:
        return False
    if a in _norm(live) or b in a:
        return False
    return fuzz.token_set_ratio(a, b) < 50 and fuzz.partial_ratio(a, b) < 60


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))
