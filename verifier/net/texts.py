"""The texts of cited pages, for the quotation check (Q001/Q002) and the capture's titles (L006).

Part of the network stage: once a URL's verdict and its archive look-up are in,
``Texts.after`` reads what is wanted of it —

* the live page, when it answered 2xx and a quotation cites it: the body the
  link check's own GET read, when it read it whole; else (a cached verdict, a
  body cut at the link check's 256 KB) a GET of its own, redirects followed hop
  by hop through the guard, capped at ``TEXT_MAX`` (PDFs are often larger);
* the capture nearest the access date, in its raw ``id_`` form (the archived
  bytes without the archive's toolbar and rewritten links), when the live page
  could not be read or lacks a quotation, or (L006) when the live title differs
  from the cited one (the pipeline's predicates decide).

What it reads becomes a ``SourceTexts`` (main text and titles, see
``verifier.quotes.extract``); what stood in the way is kept as ``why``, so the
report can say which quotations could not be checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace

import httpx

from verifier.model import LinkStatus
from verifier.net import archives
from verifier.net.client import Limiter
from verifier.net.links import Checker, Policy, Verdict
from verifier.quotes.extract import PageText, SourceTexts, page_text

TEXT_MAX = 4 * 1024 * 1024
"""The most bytes read of a page or capture whose text is wanted."""
_WAYBACK = re.compile(r"(/web/\d{14})(?:[a-z]{2}_)?/")
_READABLE = (LinkStatus.ALIVE, LinkStatus.REDIRECTED)


def raw_capture(url: str) -> str:
    """A Wayback capture's URL in its raw ``id_`` form (other archives' URLs as they are)."""
    return _WAYBACK.sub(r"\1id_/", url, count=1)


@dataclass(slots=True)
class Texts:
    """The text part of the network stage: which URLs' texts are wanted, and what was read."""

    quoted: Collection[str]
    """URLs a quotation is paired with: their live text is read."""
    retitled: Callable[[str, str | None], bool]
    """``(url, live title)``: does the cited title differ from the live one (the capture's titles are read)?"""
    want_capture: Callable[[str, PageText | None, str | None], bool]
    """``(url, live text or None, live title)``: is the capture's text wanted?"""
    results: dict[str, SourceTexts] = field(default_factory=dict)
    _checker: Checker | None = None
    _links: Checker | None = None
    _http: httpx.AsyncClient | None = None
    _limiter: Limiter | None = None
    _policy: Policy = field(default_factory=Policy)
    _timeout: float = 10.0

    def bind(self, checker: Checker, http: httpx.AsyncClient, limiter: Limiter, policy: Policy | None,
             timeout: float) -> None:
        checker.keep = self.quoted  # the link check's GET of a quoted page is its text, when it read it whole
        self._links = checker
        self._policy = replace(policy or Policy(), max_body=TEXT_MAX)
        self._checker = Checker(http, limiter, checker.guard, timeout=timeout, policy=self._policy)
        self._http, self._limiter, self._timeout = http, limiter, timeout

    def wanted(self, url: str, verdict: Verdict) -> bool:
        """Whether anything is to be read of ``url``, given its verdict."""
        return url not in self.results and verdict.status is not LinkStatus.SKIPPED and (
            url in self.quoted or self.retitled(url, verdict.title))

    async def after(self, url: str, verdict: Verdict, lookup: archives.Lookup | None) -> None:
        """Read what is wanted of ``url`` (its verdict and archive look-up known)."""
        if not self.wanted(url, verdict):
            return
        live: PageText | None = None
        why: list[str] = []
        if url not in self.quoted:
            pass  # only the capture's titles are wanted (L006)
        elif verdict.status in _READABLE:
            live, problem = await self._read(url, guarded=True)
            if problem:
                why.append(f"live page: {problem}")
        else:
            why.append(f"live page: {_said(verdict)}")
        capture: PageText | None = None
        if self.want_capture(url, live, verdict.title):
            archive = lookup.archive if lookup is not None else None
            if archive is None:
                why.append("no capture" + (f" ({lookup.error})" if lookup is not None and lookup.error else ""))
            else:
                capture, problem = await self._read(raw_capture(archive.url), guarded=False)
                capture = replace(capture, url=archive.url) if capture is not None else None
                if problem:
                    why.append(f"capture: {problem}")
        self.results[url] = SourceTexts(live, capture, "; ".join(why) or None)

    async def _read(self, url: str, *, guarded: bool) -> tuple[PageText | None, str | None]:
        """The text at ``url``; for the live page through the guard (the archive is a configured service)."""
        assert self._checker is not None and self._http is not None and self._limiter is not None, "bind() first"
        if guarded:
            links = self._links
            answer = links.kept.pop(url, None) if links is not None else None
            if answer is None or answer.body is None or links is None or len(answer.body) >= links.policy.max_body:
                answer = await self._checker.fetch(url)  # not read by the link check (cached), or cut at its cap
        else:
            answer = await archives.fetch(self._http, self._limiter, "GET", url, policy=self._policy,
                                          timeout=self._timeout, max_body=TEXT_MAX)
            for _ in range(3):  # an archive's redirect to the capture itself
                target = answer.headers.get("location") if answer.status in (301, 302, 303, 307, 308) else None
                if not target:
                    break
                answer = await archives.fetch(self._http, self._limiter, "GET", str(answer.url.join(target)),
                                              policy=self._policy, timeout=self._timeout, max_body=TEXT_MAX)
        if answer.status is None or not 200 <= answer.status < 300 or answer.body is None:
            return None, answer.error or f"HTTP {answer.status}"
        text = page_text(answer.body, answer.headers.get("content-type"), str(answer.url))
        return (text, None) if text is not None and text.text.strip() else (None, "no readable text")


def _said(verdict: Verdict) -> str:
    status = f"HTTP {verdict.http_status}" if verdict.http_status else (verdict.error or "")
    return f"{verdict.status.value}" + (f" ({status})" if status else "")
