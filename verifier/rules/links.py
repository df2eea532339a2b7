"""Link rules L001–L008: what the link check found, reported at every citation of the URL.

A URL cited in five notes gets five findings, one per note, so an editor sees
each place to fix. The verdicts come from ``verifier.net``; these rules only
phrase them (and compare titles, which is pure). A run whose network was down
gets one L008 for the whole run instead (its links are ``skipped``): the
network's failure is never a verdict about a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from rapidfuzz import fuzz

from verifier.model import Citation, Finding, LinkResult, LinkStatus, Severity
from verifier.rules.catalog import family, rule
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


def _link_findings(ctx: RuleContext) -> Iterator[Finding]:
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
            yield from _title_mismatch(link, citing, ctx.titles.get(link.url, ()))


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


def _title_mismatch(link: LinkResult, citing: list[Citation], more: Sequence[str] = ()) -> Iterator[Finding]:
    """L006 when the cited title matches no title known for the URL: the live page's, or the capture's from
    when it was cited (a page retitled since is not the wrong page)."""
    assert link.title is not None
    for c in citing:
        cited = c.fields.title
        if cited and titles_differ(cited, link.title) and not any(_names(cited, t) for t in more):
            yield make_finding(
                "L006",
                f"the page at {link.url} is now titled {quote(link.title)}, not the cited {quote(cited)}",
                document=c.document, location=c.location, citations=[c], url=link.url,
                suggestion="check that the page still holds the cited work; cite an archived copy if not",
            )


def _names(cited: str, title: str) -> bool:
    """True when ``title`` is long enough to judge (two words or more) and does not differ from ``cited``."""
    return len(_WORD.findall(_norm(_SITE_SUFFIX.sub("", title)))) >= 2 and not titles_differ(cited, title)


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


def _verdicts(ctx: RuleContext, code: str) -> Iterator[Finding]:
    found = ctx.shared("links", lambda: list(_link_findings(ctx)))
    return (f for f in found if f.code == code)


@rule("L001", "link-dead", Severity.ERROR, offline=False)
def check_link_dead(ctx: RuleContext) -> Iterator[Finding]:
    """404, 410, unknown host or refused connection, confirmed on retry

    ## What it does
    Reports cited URLs that answer 404 or 410, whose host does not exist, or that refuse the connection, confirmed
    on a retry.

    ## Why it matters
    The source is gone from where the citation says it is.

    ## Example
    ```text
    http://www.kommersant.ru/doc/2364685 → 404 Not Found
    ```

    ## Fix
    Replace the URL with the page's new address or an archived copy (see A002).
    """
    return _verdicts(ctx, "L001")


@rule("L002", "link-error", Severity.WARNING, offline=False)
def check_link_error(ctx: RuleContext) -> Iterator[Finding]:
    """5xx, timeout or TLS failure after retries: could not be verified

    ## What it does
    Reports cited URLs that answered 5xx, timed out, failed TLS or looped through redirects, after retries.

    ## Why it matters
    The link could not be verified; it may be down for good or only for now.

    ## Example
    ```text
    https://example.org/report.pdf → 503 Service Unavailable (3 tries)
    ```

    ## Fix
    Try again later; if it persists, cite an archived copy.
    """
    return _verdicts(ctx, "L002")


@rule("L003", "link-blocked", Severity.INFO, offline=False)
def check_link_blocked(ctx: RuleContext) -> Iterator[Finding]:
    """401, 403, 429 or 999 after retries: the site refused the checker

    ## What it does
    Reports cited URLs whose site refused the checker (401, 403, 429, 999) after retries.

    ## Why it matters
    The link may well work in a browser, but it could not be verified automatically.

    ## Example
    ```text
    https://www.linkedin.com/… → 999
    ```

    ## Fix
    Check the link by hand; consider citing an archived copy.
    """
    return _verdicts(ctx, "L003")


@rule("L004", "link-redirected", Severity.INFO, offline=False)
def check_link_redirected(ctx: RuleContext) -> Iterator[Finding]:
    """a permanent redirect to another URL (the suggestion names it)

    ## What it does
    Reports cited URLs that permanently redirect (301/308) to another address that is alive; the suggestion names
    the final URL.

    ## Why it matters
    Permanent redirects break eventually; the new address is the one to cite.

    ## Example
    ```text
    http://news.tj/en/ → 301 → https://www.news.tj/en/
    ```

    ## Fix
    Cite the final URL.
    """
    return _verdicts(ctx, "L004")


@rule("L005", "soft-404", Severity.ERROR, offline=False)
def check_soft_404(ctx: RuleContext) -> Iterator[Finding]:
    """answers 200 but is an error page, or redirects to the site's front page

    ## What it does
    Reports cited URLs that answer 200 but serve an error page, or redirect to the site's front page.

    ## Why it matters
    The page looks alive to a plain status check but the cited content is gone.

    ## Example
    ```text
    https://example.org/article/123 → 302 → https://example.org/
    ```

    ## Fix
    Find the page's new address or cite an archived copy.
    """
    return _verdicts(ctx, "L005")


@rule("L006", "content-mismatch", Severity.WARNING, offline=False)
def check_content_mismatch(ctx: RuleContext) -> Iterator[Finding]:
    """the cited title matches neither the live page's title (`<title>`, `og:title`, `h1`) nor that of the capture
    nearest the access date: the URL may point at the wrong page

    ## What it does
    Compares the cited title with the live page's title and, when they differ, with the titles (`<title>`,
    `og:title`, the first `<h1>`) of the archived capture nearest the access date. A page retitled after the access
    date, whose capture from then had the cited title, is not reported.

    ## Why it matters
    A page that now shows something else no longer supports the citation.

    ## Example
    ```text
    cited “Vorukh vyshel iz blokady”, page title “Radio Ozodi – Home”
    ```

    ## Fix
    Check that the URL still points to the cited work; cite an archived copy if not.
    """
    return _verdicts(ctx, "L006")


@rule("L007", "private-address", Severity.INFO, offline=False)
def check_private_address(ctx: RuleContext) -> Iterator[Finding]:
    """the URL points at a loopback, private or link-local address and was not fetched

    ## What it does
    Reports cited URLs that point at loopback, private or link-local addresses; they are not fetched unless
    --allow-private is given.

    ## Why it matters
    Such a URL cannot be reached by readers, and fetching it could probe the checker's own network.

    ## Example
    ```text
    http://192.168.1.20/report.pdf
    ```

    ## Fix
    Cite a public address of the source.
    """
    return _verdicts(ctx, "L007")


@rule("L008", "network-unavailable", Severity.WARNING, offline=False)
def check_network_unavailable(ctx: RuleContext) -> Iterator[Finding]:
    """the network itself failed (no resolver, no route, every host unreachable): N links not checked

    ## What it does
    Reports once per run that the network itself failed: the resolver could not look names up for now, there was no
    route, or every host (the archives and registries included) failed at the network level, and no host answered at
    all. The links are reported as skipped, with the reason, instead of as dead; nothing learned in such a run is
    cached.

    ## Why it matters
    A machine without network (a laptop on a train, an air-gapped runner, a broken proxy) must not make every cited
    link look dead.

    ## Example
    ```text
    no network: 19 links not checked (name lookup failed (Temporary failure in name resolution))
    ```

    ## Fix
    Check the network, the DNS resolver or the proxy settings, and run again.
    """
    return _verdicts(ctx, "L008")


check = family(__name__)
"""Every finding of this family's rules."""
