"""The link checker: each distinct URL once, HEAD then GET, redirects by hand, retries, soft 404s.

Per URL (``Checker.check``):

1. the guard: only http(s), never a private address (L007), at every hop;
2. HEAD, following redirects one hop at a time (at most ``max_redirects``,
   loops detected), each request retried with tenacity on 429, 502/503/504,
   timeouts and connection resets, honouring ``Retry-After`` up to a cap;
3. GET (the first ``max_body`` bytes only, bounded in total time) when HEAD
   was refused or unhelpful: any non-2xx answer (a 404 to HEAD is confirmed by
   GET before a URL is called dead), a failure, or a 2xx HTML page whose body
   is needed — for the cited title (L006) or because the site answers nonsense
   paths with 200 (see ``page.py`` on soft 404s);
4. the verdict, in the closed vocabulary of ``LinkStatus``.

Errors are data: every outcome, including exceptions from the transport, ends
as a ``Verdict``; nothing here raises for a bad URL or a bad server.
"""

from __future__ import annotations

import asyncio
import contextvars
import email.utils
import errno
import operator
import random
import re
import socket
import ssl
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

import httpx

from verifier.model import LinkStatus
from verifier.net import page as pages
from verifier.net.client import Deadlines, Limiter
from verifier.net.guard import Guard
from verifier.net.health import NETWORK_LEVEL

if TYPE_CHECKING:
    import tenacity

    from verifier.net.wire import DirectTransport

RETRY_STATUSES = frozenset({429, 502, 503, 504})
DEAD_STATUSES = frozenset({404, 410})
BLOCKED_STATUSES = frozenset({401, 403, 429, 999})
PERMANENT = frozenset({301, 308})
NEVER_RESOLVE = frozenset({"invalid", "test", "example"})
"""Special-use top-level domains (RFC 6761) that never resolve on the public internet: a link under one is
dead without a lookup. (``.localhost`` is loopback: the guard refuses it, L007.)"""
_URGENT: contextvars.ContextVar[bool] = contextvars.ContextVar("urgent", default=False)
"""True in a soft-404 probe's task: its requests take the next free slot of the host (``Limiter``)."""
WAITING: contextvars.ContextVar[Callable[[], None] | None] = contextvars.ContextVar("waiting", default=None)
"""Called (in the check's task) when a check is about to wait for its folder's soft-404 probe, which is not in
yet: the check holds no slot while it waits, and the caller may start another check of the host meanwhile
(``stage._per_host``)."""
REDIRECTS = frozenset({301, 302, 303, 307, 308})
Tape = tuple[Mapping[tuple[str, str, bool], "Answer"], dict[tuple[str, str, bool], "Answer"]]
"""(answers known from earlier phases, answers got here) of one URL's check in a host partition (``resume``)."""
_TAPE: contextvars.ContextVar[Tape | None] = contextvars.ContextVar("tape", default=None)


_PLAIN_URL = re.compile(
    r"(https?)://([a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?)(?::([1-9][0-9]{0,4}))?"
    r"((?:/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*)?)(?:\?([A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*))?")
"""A URL that httpx's parser would leave as it is: lower-case http(s), a lower-case ASCII host, a port without
a leading zero, a path and query of characters that need no percent-encoding (or already encoded), no
fragment (``parse_url``); a ``%`` only as the start of an escape (``_LONE_PERCENT``)."""
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_DOTTED = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")  # httpx's IPv4-style host
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"  # no leading zero (ipaddress refuses one)
_IPV4 = re.compile(rf"(?:{_OCTET}\.){{3}}{_OCTET}")
_DEFAULT_PORT = {"http": 80, "https": 443}


def parse_url(raw: str) -> httpx.URL:
    """``httpx.URL(raw)``, without httpx's parser (about 14 µs, a twentieth of a link's CPU) for a URL in the
    form that parser produces anyway (``_PLAIN_URL``: most cited URLs): the same ``httpx.URL``, built from its
    parts. Any other URL, and any URL should httpx's internals differ from what this expects, goes through
    ``httpx.URL`` (which raises ``httpx.InvalidURL`` for a bad one). ``tests/net/test_links.py`` holds it to
    httpx's parser."""
    m = _PLAIN_URL.fullmatch(raw) if _FAST_URLS and len(raw) <= 65536 else None
    if m is None:
        return httpx.URL(raw)
    scheme, host, port, path, query = m.groups()
    if "/." in path or ("%" in raw and _LONE_PERCENT.search(raw)) or (host[-1] <= "9" and _DOTTED.fullmatch(host)
                                                                        and not _IPV4.fullmatch(host)):
        return httpx.URL(raw)  # dot segments to remove; an IPv4 address httpx would refuse
    number = int(port) if port else None
    url = _bare_url(httpx.URL)
    url._uri_reference = _ParseResult(scheme, "", host, None if number == _DEFAULT_PORT[scheme] else number,
                                      path, query, None)
    return url


def _fast_urls() -> bool:
    """Whether httpx.URL is still built as ``parse_url`` builds it (checked once, on a URL of each shape)."""
    try:
        for raw in ("http://a.example:80/x/y%2F?q=1&r=/s", "https://127.0.0.1:8443", "https://h/p?"):
            url = _bare_url(httpx.URL)
            ref = httpx.URL(raw)._uri_reference
            url._uri_reference = _ParseResult(*ref)
            if url != httpx.URL(raw) or str(url) != str(httpx.URL(raw)) or type(ref) is not _ParseResult:
                return False
        return True
    except Exception:  # httpx reorganised: its own parser, always
        return False


_bare_url = object.__new__
try:
    from httpx._urlparse import ParseResult as _ParseResult
except ImportError:  # pragma: no cover - a future httpx
    _FAST_URLS = False
else:
    _FAST_URLS = _fast_urls()


@dataclass(frozen=True, slots=True)
class Policy:
    """How hard to try. The defaults suit the real web; tests shrink the waits."""

    attempts: int = 3
    backoff: float = 1.0
    backoff_max: float = 10.0
    retry_after_cap: float = 30.0
    max_redirects: int = 10
    max_body: int = 256 * 1024


@dataclass(frozen=True, slots=True)
class Answer:
    """One request's outcome: a status and headers, or an error (never both)."""

    url: httpx.URL
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=httpx.Headers)
    """Case-insensitive (``httpx.Headers``, or aiohttp's on the lean path)."""
    body: bytes | None = None
    error: str | None = None
    failure: str | None = None
    """The failure's class: timeout, reset, refused, unknown-host, dns, tls, protocol, refused-by-guard."""

    @property
    def retryable(self) -> bool:
        if self.status is not None:
            return self.status in RETRY_STATUSES
        return self.failure in {"timeout", "reset", "dns"}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The result for one URL, as cached and as reported."""

    status: LinkStatus
    http_status: int | None = None
    final_url: str | None = None
    error: str | None = None
    title: str | None = None
    redirects: tuple[tuple[int, str], ...] = ()
    suggestion: str | None = None
    failure: str | None = None
    """The failure's class when no HTTP answer settled the verdict (see ``classify``); never cached."""
    checked: float | None = None
    """When a cached verdict was reached (seconds since the epoch); None for one reached in this run."""

    @property
    def network_level(self) -> bool:
        """True when the verdict rests on a network-level failure (``NETWORK_LEVEL``): never to be cached."""
        return self.failure in NETWORK_LEVEL

    def __reduce__(self) -> tuple[type[Verdict], tuple[Any, ...]]:
        """Pickled as its fields, rebuilt by the constructor (a helper process sends every verdict to the
        command): half the time of the default for a frozen slotted dataclass, which sets each field anew."""
        return (Verdict, _verdict_fields(self))

    def to_cache(self, now: float) -> dict[str, object]:
        return {"status": self.status.value, "http_status": self.http_status, "final_url": self.final_url,
                "error": self.error, "title": self.title, "redirects": [list(r) for r in self.redirects],
                "suggestion": self.suggestion, "checked": now}

    @classmethod
    def from_cache(cls, data: dict[str, object]) -> Verdict:
        redirects = data.get("redirects") or []
        assert isinstance(redirects, list)
        http_status = data.get("http_status")
        return cls(LinkStatus(str(data["status"])), http_status if isinstance(http_status, int) else None,
                   _opt(data.get("final_url")), _opt(data.get("error")), _opt(data.get("title")),
                   tuple((int(s), str(u)) for s, u in redirects), _opt(data.get("suggestion")),
                   checked=_number(data.get("checked")))


_verdict_fields = operator.attrgetter(*(f.name for f in fields(Verdict)))


class Elsewhere(Exception):
    """A request to a host this checker does not own (``Checker.owns``): the check stops there."""

    def __init__(self, host: str) -> None:
        super().__init__(host)
        self.host = host


@dataclass(frozen=True, slots=True)
class Pending:
    """A URL's check that stopped at a request to a host its partition does not own (a redirect into another
    partition's host, say): the host, and every answer the check has had so far, keyed by (method, URL, body
    read). The partition that owns ``host`` resumes it (``Checker.resume``): the answers are replayed, not
    asked again, so the check takes exactly the path it takes in one process and no host is asked from two
    partitions; the redirect limit and loop detection count the whole chain, whoever asked each hop."""

    host: str
    answers: dict[tuple[str, str, bool], Answer]


@dataclass(slots=True)
class _Chain:
    """The end of a redirect chain."""

    answer: Answer
    hops: list[tuple[int, str]]
    error: str | None = None
    failure: str | None = None


class Checker:
    """Checks URLs with one client, one guard and one limiter shared by the whole run."""

    def __init__(self, client: httpx.AsyncClient, limiter: Limiter, guard: Guard, *, timeout: float,
                 policy: Policy | None = None, accept: Callable[[httpx.URL, int], bool] | None = None,
                 owns: Collection[str] | None = None) -> None:
        self.client = client
        self.owns = owns
        """The hosts this checker may ask, in a host partition (``resume``); None: every host."""
        self.limiter = limiter
        self.guard = guard
        self.timeout = timeout
        self.policy = policy or Policy()
        self.accept = accept or (lambda url, status: False)
        self._probes: dict[str, asyncio.Future[tuple[pages.Page | None, httpx.URL] | None]] = {}
        self._probe_answers: dict[str, dict[tuple[str, str, bool], Answer]] = {}
        self._dispatch = dispatcher(client)
        self._deadlines = Deadlines(timeout)
        self.keep: Collection[str] = ()
        """URLs whose GET answer (body and all) is kept in ``kept`` for a later reader (the quotation check)."""
        self.kept: dict[str, Answer] = {}

    def done_with(self, host: str) -> None:
        """Nothing more is to be asked of ``host`` (``stage._per_host``): its idle connections on our own
        client are closed now, while the run waits for other hosts, not all at its end (a redirect from
        elsewhere that comes back to it opens a new one)."""
        direct = _direct(getattr(self.client, "_transport", None))
        if direct is not None:
            direct.wire.close_idle(host)

    # ------------------------------------------------------------------ one URL

    async def check(self, raw: str, want_title: bool = False) -> Verdict:
        try:
            url = parse_url(raw)
        except (httpx.InvalidURL, ValueError) as exc:
            return Verdict(LinkStatus.SKIPPED, error=f"not a valid URL: {exc}")
        tld = url.host.rstrip(".").lower().rpartition(".")[2]
        if tld in NEVER_RESOLVE and url.scheme in ("http", "https"):  # RFC 6761: no lookup, whatever it says
            return Verdict(LinkStatus.DEAD, error=f"unknown host {url.host} (.{tld} names never resolve)")
        refusal = await self.guard.refuse(url)
        if refusal:
            return Verdict(LinkStatus.SKIPPED, error=refusal)

        head = await self._follow("HEAD", url, body=False)
        if head.error is not None and head.failure == "refused-by-guard":
            return _verdict_for_chain(url, head, None)
        status = head.answer.status
        if status is not None and 200 <= status < 300 and self.accept_2xx_without_body(head):
            if not want_title and not pages.is_html(head.answer.headers.get("content-type")):
                return _verdict_for_chain(url, head, None)
            probe = await self._probe(head.answer.url)
            if not want_title and probe is None:
                return _verdict_for_chain(url, head, None)
        if head.failure in ("unknown-host", "loop") or self.limiter.health.hopeless(head.failure):
            return _verdict_for_chain(url, head, None)  # the host or the chain, not the method: GET would repeat it
        # A HEAD that failed or kept answering 429/5xx was already retried: one GET confirms (or not) without
        # retrying again, so a host that never answers costs attempts + 1 timeouts, not twice that.
        # A HEAD that timed out was not retried (``_again``): GET gets one retry instead, so a server that never
        # answers costs three timeouts and one short backoff, not four timeouts and two backoffs.
        retried = status is None or status in RETRY_STATUSES
        attempts = min(2, self.policy.attempts) if head.failure == "timeout" else (1 if retried else None)
        get = await self._follow("GET", url, body=True, attempts=attempts)
        if get.answer.status is None and status is not None and 200 <= status < 300:
            # GET failed where HEAD answered 2xx (a server that drops GETs of bots, a body that never comes):
            # judge from HEAD rather than call a live page broken.
            return _verdict_for_chain(url, head, None)
        page = None
        answer = get.answer
        if raw in self.keep and answer.body is not None:
            self.kept[raw] = answer
        if answer.status is not None and 200 <= answer.status < 300 and answer.body is not None:
            if pages.is_html(answer.headers.get("content-type")):
                page = pages.parse(answer.body, answer.headers.get("content-type"))
        verdict = _verdict_for_chain(url, get, page)
        if verdict.status in (LinkStatus.ALIVE, LinkStatus.REDIRECTED) and page is not None:
            probe = await self._probe(answer.url)
            if probe is not None and probe[0] is not None and pages.same_error_page(page, probe[0], answer.url,
                                                                                     probe[1]):
                return _soft(verdict, "the site answers a nonexistent sibling URL with the same page")
        if verdict.status in (LinkStatus.DEAD, LinkStatus.BLOCKED, LinkStatus.ERROR) and verdict.http_status:
            if self.accept(answer.url, verdict.http_status):
                return Verdict(LinkStatus.ALIVE, verdict.http_status, verdict.final_url,
                               f"HTTP {verdict.http_status} accepted by configuration", verdict.title,
                               verdict.redirects)
        return verdict

    async def resume(self, raw: str, want_title: bool = False, pending: Pending | None = None) -> Verdict | Pending:
        """``check`` in a host partition: a request to a host not in ``owns`` ends it as a ``Pending`` (to be
        resumed by the host's owner, with ``pending``) instead of being sent from here."""
        known = pending.answers if pending is not None else {}
        made: dict[tuple[str, str, bool], Answer] = {}
        token = _TAPE.set((known, made))
        try:
            return await self.check(raw, want_title)
        except Elsewhere as stop:
            return Pending(stop.host, {**known, **{k: _portable(a) for k, a in made.items()}})
        finally:
            _TAPE.reset(token)

    async def fetch(self, raw: str) -> Answer:
        """GET ``raw``, redirects followed hop by hop through the guard, the body capped by the policy: the
        answer at the end of the chain (its ``error`` set when the chain broke)."""
        try:
            url = parse_url(raw)
        except (httpx.InvalidURL, ValueError) as exc:
            return Answer(httpx.URL("http://invalid/"), error=f"not a valid URL: {exc}", failure="protocol")
        refusal = await self.guard.refuse(url)
        if refusal:
            return Answer(url, error=refusal, failure="refused-by-guard")
        chain = await self._follow("GET", url, body=True)
        if chain.error and chain.answer.error is None:
            return Answer(chain.answer.url, error=chain.error, failure=chain.failure)
        return chain.answer

    def accept_2xx_without_body(self, chain: _Chain) -> bool:
        """A 2xx HEAD may settle the URL unless it is a soft-404 suspect by its final URL."""
        if not chain.hops:
            return True  # not redirected: the URL is where it was asked
        start = httpx.URL(chain.hops[0][1])
        return not (pages.redirected_to_front(start, chain.answer.url)
                    or pages.redirected_to_error(start, chain.answer.url))

    # ------------------------------------------------------------------ redirects

    async def _follow(self, method: str, url: httpx.URL, *, body: bool, attempts: int | None = None) -> _Chain:
        hops: list[tuple[int, str]] = []
        seen: set[str] = set()
        current = url
        for _ in range(self.policy.max_redirects + 1):
            if _TAPE.get() is None:  # (not in a host partition: ``_ask`` written out, two coroutines fewer)
                answer = await self._once(method, current, body)
                if not self._settled(method, answer, attempts):
                    answer = await self._retried(answer, method, current, body, attempts)
            else:
                answer = await self._request(method, current, body=body, attempts=attempts)
            if answer.status not in REDIRECTS:
                return _Chain(answer, hops, answer.error, answer.failure)
            if not seen:  # (the URL's text, only once it is redirected)
                seen.add(str(url))
            target = _location(current, answer.headers.get("location"))
            if target is None:
                return _Chain(answer, hops, "redirect with an invalid Location", "protocol")
            hops.append((answer.status or 0, str(target)))
            if str(target) in seen:
                return _Chain(answer, hops, f"redirect loop ({len(hops)} hops back to {target})", "loop")
            refusal = await self.guard.refuse(target)
            if refusal:
                return _Chain(answer, hops, f"redirected to {target}: {refusal}", "refused-by-guard")
            seen.add(str(target))
            current = target
        return _Chain(answer, hops, f"too many redirects (more than {self.policy.max_redirects})", "loop")

    # ------------------------------------------------------------------ one request, retried

    async def _request(self, method: str, url: httpx.URL, *, body: bool, attempts: int | None = None) -> Answer:
        tape = _TAPE.get()
        if tape is None:
            return await self._ask(method, url, body=body, attempts=attempts)
        known, made = tape
        key = (method, str(url), body)
        answer = known.get(key) or made.get(key)
        if answer is not None:  # asked in an earlier phase, by the partition that owned its host then
            return answer
        if self.owns is not None and url.host not in self.owns:
            raise Elsewhere(url.host)
        answer = made[key] = await self._ask(method, url, body=body, attempts=attempts)
        return answer

    async def _ask(self, method: str, url: httpx.URL, *, body: bool, attempts: int | None = None) -> Answer:
        first = await self._once(method, url, body)
        if self._settled(method, first, attempts):
            return first
        return await self._retried(first, method, url, body, attempts)

    def _settled(self, method: str, first: Answer, attempts: int | None) -> bool:
        """Whether the first answer is the one to keep, without retrying."""
        if method == "HEAD" and first.failure == "timeout":
            return True  # GET is asked next anyway (some servers hang on HEAD alone)
        # the common case costs no retry machinery (measured: ~15% of the CPU per URL)
        return not self._again(first) or (attempts or self.policy.attempts) <= 1

    async def _retried(self, first: Answer, method: str, url: httpx.URL, body: bool, attempts: int | None) -> Answer:
        """The request asked again after ``first`` (retryable), up to the attempts allowed."""
        await asyncio.sleep(self._delay(first, 1))
        import tenacity  # (loaded on the first retry: 10 ms of every start-up otherwise)

        retrying = tenacity.AsyncRetrying(
            stop=tenacity.stop_after_attempt((attempts or self.policy.attempts) - 1),
            wait=self._wait,
            retry=tenacity.retry_if_result(self._again),
            retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
            reraise=True,
        )
        answer: Answer = await retrying(self._once, method, url, body)
        return answer

    def _again(self, answer: Answer) -> bool:
        """Worth another try: a retryable answer whose ``Retry-After`` (if any) is within the run's patience."""
        return answer.retryable and waits_within(answer.headers, self.policy, self.timeout) and \
            not self.limiter.health.hopeless(answer.failure)

    def _wait(self, state: tenacity.RetryCallState) -> float:
        """tenacity's wait: its attempts are the second request onwards."""
        answer = state.outcome.result() if state.outcome and not state.outcome.failed else None
        return self._delay(answer if isinstance(answer, Answer) else None, state.attempt_number + 1)

    def _delay(self, answer: Answer | None, attempt: int) -> float:
        return delay(answer.headers if answer is not None else None, self.policy, self.timeout, attempt)

    async def _once(self, method: str, url: httpx.URL, body: bool) -> Answer:
        """One request in a slot of its host; the whole of it (connect, headers, body) within ``timeout``
        seconds. (The steps are written out here, not in coroutines of their own: every request takes them.)"""
        host = url.host
        async with self.limiter.slot(host, urgent=_URGENT.get()):
            try:
                deadline = time.monotonic() + self.timeout
                within = self._deadlines.within()
                within.enter()
                try:
                    response = await self._dispatch(method, url)
                except BaseException as exc:
                    within.exit(exc)  # (raises TimeoutError when the deadline cancelled the request)
                    raise
                within.exit(None)
                try:
                    data: bytes | None = None
                    if body and 200 <= response.status_code < 300:
                        data = await self._read(response, max(deadline - time.monotonic(), 0.001))
                    answer = Answer(url, response.status_code, response.headers, data)
                finally:
                    try:
                        await response.aclose()
                    except Exception:  # closing a broken connection may fail; nothing to report
                        pass
            except Exception as exc:  # the transport's exceptions are many; every one is a verdict
                failure, message = classify(exc, self.timeout)
                answer = Answer(url, error=message, failure=failure)
        self.limiter.health.saw(host, answer.status, answer.failure, answer.error)
        return answer

    async def _read(self, response: Any, budget: float) -> bytes:
        return await read_capped(response, budget, self.policy.max_body)

    # ------------------------------------------------------------------ soft-404 probe

    async def _probe(self, url: httpx.URL) -> tuple[pages.Page | None, httpx.URL] | None:
        """What the site serves for a nonsense sibling of ``url``: None when it answers honestly (4xx)."""
        folder = pages.folder_of(url)
        pending = self._probes.get(folder)
        tape = _TAPE.get()
        if tape is not None:  # in a host partition: the probe's answers are this check's too (``Pending``)
            try:
                if pending is None:
                    pending = self._probes[folder] = asyncio.ensure_future(self._run_probe(url, folder))
                elif pending.done():
                    return pending.result()
                _waiting()
                return await asyncio.shield(pending)
            finally:
                tape[1].update(self._probe_answers.get(folder, {}))
        if pending is None:
            pending = self._probes[folder] = asyncio.ensure_future(self._run_probe(url, folder))
        elif pending.done():  # every check after the site's first round: no shield (a future) per check
            return pending.result()
        _waiting()
        return await asyncio.shield(pending)

    async def _run_probe(self, url: httpx.URL, folder: str) -> tuple[pages.Page | None, httpx.URL] | None:
        _URGENT.set(True)  # (this task's own context) every check of the site's pages waits for this answer
        tape = _TAPE.get()
        if tape is not None:  # answers of the check that started it are replayed; its own kept apart
            made = self._probe_answers[folder] = {}
            _TAPE.set(({**tape[0], **tape[1]}, made))
        target = pages.sibling(url)
        chain = await self._follow("GET", target, body=True)
        answer = chain.answer
        if answer.status is None or not 200 <= answer.status < 300:
            return None
        if pages.redirected_to_front(target, answer.url) or pages.redirected_to_error(target, answer.url):
            return (None, answer.url)
        page = None
        if answer.body is not None and pages.is_html(answer.headers.get("content-type")):
            page = pages.parse(answer.body, answer.headers.get("content-type"))
        return (page, answer.url)


def _waiting() -> None:
    """Tell the caller (``WAITING``) that this check waits for a probe, holding no slot."""
    waiting = WAITING.get()
    if waiting is not None:
        waiting()


# ---------------------------------------------------------------------- verdicts


def _verdict_for_chain(start: httpx.URL, chain: _Chain, page: pages.Page | None) -> Verdict:
    answer = chain.answer
    final = str(answer.url)
    hops = tuple(chain.hops)
    title = page.title if page else None
    if chain.failure == "refused-by-guard":
        return Verdict(LinkStatus.SKIPPED, answer.status, final, chain.error, None, hops)
    if chain.failure == "loop":
        return Verdict(LinkStatus.ERROR, answer.status, final, chain.error, None, hops)
    status = answer.status
    if status is None:
        return _failure_verdict(chain, final, hops)
    if status in DEAD_STATUSES:
        return Verdict(LinkStatus.DEAD, status, final, _http_error(status), None, hops)
    if status in BLOCKED_STATUSES:
        return Verdict(LinkStatus.BLOCKED, status, final, _http_error(status), None, hops)
    if status in REDIRECTS:
        return Verdict(LinkStatus.ERROR, status, final, chain.error or _http_error(status), None, hops)
    if status >= 500:
        return Verdict(LinkStatus.ERROR, status, final, _http_error(status), None, hops)
    if status >= 400:
        # 400, 405, 406, 451...: the server answered but would not serve the page to us.
        return Verdict(LinkStatus.BLOCKED if status in (405, 406, 451) else LinkStatus.ERROR, status, final,
                       _http_error(status), None, hops)
    # (the answer of the URL itself, not of a redirect's target, can have been redirected nowhere)
    if answer.url is not start and pages.redirected_to_front(start, answer.url):
        return Verdict(LinkStatus.SOFT_404, status, final, "redirects to the site's front page", title, hops)
    if answer.url is not start and pages.redirected_to_error(start, answer.url):
        return Verdict(LinkStatus.SOFT_404, status, final, "redirects to an error page", title, hops)
    if page is not None and page.says_not_found():
        said = page.title if page.title and pages._NOT_FOUND.search(page.title) else page.heading
        return Verdict(LinkStatus.SOFT_404, status, final, f"answers {status} but the page says “{said}”",
                       title, hops)
    if hops and hops[0][0] in PERMANENT:
        moved_to = start
        for code, target in hops:
            if code not in PERMANENT:
                break
            moved_to = httpx.URL(target)
        return Verdict(LinkStatus.REDIRECTED, status, final, None, title, hops, str(moved_to))
    return Verdict(LinkStatus.ALIVE, status, final, None, title, hops)


def _failure_verdict(chain: _Chain, final: str, hops: tuple[tuple[int, str], ...]) -> Verdict:
    if chain.failure in ("unknown-host", "refused"):
        return Verdict(LinkStatus.DEAD, None, final, chain.error, None, hops, failure=chain.failure)
    return Verdict(LinkStatus.ERROR, None, final, chain.error, None, hops, failure=chain.failure)


def _location(current: httpx.URL, location: str | None) -> httpx.URL | None:
    """Where a redirect points, or None when its ``Location`` is missing or not a usable http(s) URL."""
    if not location or not location.strip():
        return None
    try:
        urllib.parse.urlsplit(location.strip())  # stricter about hosts than httpx's join ("http://[x/")
        target = current.join(location.strip())
    except (httpx.InvalidURL, ValueError, UnicodeError):
        return None
    if target.scheme in ("http", "https") and (not target.host or "%" in target.host):
        return None
    return target


def _portable(answer: Answer) -> Answer:
    """The answer as it can be pickled (aiohttp's headers cannot): handed on in a ``Pending``."""
    if isinstance(answer.headers, httpx.Headers):
        return answer
    return Answer(answer.url, answer.status, httpx.Headers(list(answer.headers.items())), answer.body,
                  answer.error, answer.failure)


def _soft(verdict: Verdict, why: str) -> Verdict:
    return Verdict(LinkStatus.SOFT_404, verdict.http_status, verdict.final_url, f"soft 404: {why}", verdict.title,
                   verdict.redirects)


def _http_error(status: int) -> str:
    from http import HTTPStatus

    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def patience(policy: Policy, timeout: float) -> float:
    """The longest ``Retry-After`` worth waiting for: ``timeout`` × retries (and never past the policy's cap).
    A server asking for longer gets its answer taken as it is (429: blocked, 503: error), at once."""
    return min(policy.retry_after_cap, timeout * max(policy.attempts - 1, 1))


def waits_within(headers: Mapping[str, str] | None, policy: Policy, timeout: float) -> bool:
    """False when the answer asks to be retried later than ``patience`` allows."""
    value = headers.get("retry-after") if headers is not None else None
    if not value:
        return True
    seconds = retry_after(value)
    return seconds is None or seconds <= patience(policy, timeout)


def delay(headers: Mapping[str, str] | None, policy: Policy, timeout: float, attempt: int) -> float:
    """Retry-After when the server sent one (within ``patience``), else exponential backoff with jitter,
    never longer than ``timeout``: a retry costs at most about one more request's time."""
    value = headers.get("retry-after") if headers is not None else None
    if value:
        seconds = retry_after(value)
        if seconds is not None:
            return min(seconds, patience(policy, timeout))
    ceiling = min(policy.backoff_max, timeout, policy.backoff * 2 ** (attempt - 1))
    return random.uniform(ceiling / 2, ceiling)


def retry_after(value: str) -> float | None:
    """Seconds from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


_EAI_NONAME = socket.EAI_NONAME
_EAI_NODATA = getattr(socket, "EAI_NODATA", -5)
_UNREACHABLE = frozenset(e for e in (errno.ENETUNREACH, errno.EHOSTUNREACH, getattr(errno, "ENETDOWN", None),
                                     getattr(errno, "EHOSTDOWN", None), errno.EADDRNOTAVAIL) if e is not None)


def classify(exc: BaseException, timeout: float) -> tuple[str, str]:
    """(failure class, message) for a transport exception, looking through its causes.

    The most telling cause wins, wherever it sits in the chain: the aiohttp
    transport maps a refused connection to ``httpx.ConnectTimeout``, so an
    ``OSError`` underneath must count before the timeout class above it.
    Only a resolver's definite "no such name" (EAI_NONAME: NXDOMAIN) is an
    unknown host; "temporary failure in name resolution" (EAI_AGAIN) and
    "no address" (EAI_NODATA) are network-level (``health.NETWORK_LEVEL``).
    """
    chain = list(_causes(exc))
    for cause in chain:
        if type(cause).__name__ == "PrivateAddress":  # (wire.py: the name resolved to a forbidden address)
            return "refused-by-guard", str(cause)
    for cause in chain:
        code = getattr(cause, "errno", None)
        if isinstance(cause, socket.gaierror) or (type(cause).__name__ == "ClientConnectorDNSError"):
            inner = getattr(cause, "os_error", None)
            code = getattr(inner, "errno", code)
            why = getattr(inner, "strerror", None) or getattr(cause, "strerror", None) or str(cause)
            if code == _EAI_NONAME:
                return "unknown-host", f"unknown host ({why})"
            return "dns", f"name lookup failed ({why})"
    for cause in chain:
        code = getattr(cause, "errno", None)
        if isinstance(cause, ConnectionRefusedError) or code == errno.ECONNREFUSED:
            return "refused", "connection refused"
        if code in _UNREACHABLE:
            return "unreachable", f"network unreachable ({getattr(cause, 'strerror', None) or cause})"
        if isinstance(cause, (ssl.SSLError, ssl.CertificateError)) or "SSL" in type(cause).__name__ \
                or "Certificate" in type(cause).__name__:
            return "tls", f"TLS error: {getattr(cause, 'reason', None) or cause}"
        if _bad_status_line(cause):
            return "protocol", "malformed status line"
        if isinstance(cause, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)) or type(
            cause
        ).__name__ in ("ServerDisconnectedError", "RemoteProtocolError", "ClientPayloadError", "ReadError",
                       "WriteError", "ClientOSError"):
            return "reset", "the server closed the connection"
    for cause in chain:
        if isinstance(cause, (TimeoutError, httpx.TimeoutException)) or type(cause).__name__.endswith("TimeoutError"):
            return "timeout", f"timed out after {timeout:g} s"
        if isinstance(cause, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
            return "protocol", f"cannot request this URL: {cause}"
        if _bad_status_line(cause):
            return "protocol", "malformed status line"
    message = str(exc) or type(exc).__name__
    if "bad status line" in message.lower() or "invalid status line" in message.lower():
        return "protocol", "malformed status line"
    return "protocol", f"request failed: {_first_line(message)}"


def _bad_status_line(exc: BaseException) -> bool:
    """aiohttp's "400, message='Bad status line …'" is the parser's complaint about the server's first line,
    not a 400 the server sent."""
    name = type(exc).__name__
    text = str(exc).lower()
    return name in ("BadStatusLine", "ClientResponseError", "ServerDisconnectedError", "RemoteProtocolError",
                    "LocalProtocolError", "HttpProcessingError") and (
        "bad status line" in text or "invalid status line" in text or name == "BadStatusLine")


def _first_line(text: str, limit: int = 160) -> str:
    line = text.strip().splitlines()[0] if text.strip() else text
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _causes(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for nxt in (getattr(current, "os_error", None), current.__cause__, current.__context__):
            if isinstance(nxt, BaseException):
                todo.append(nxt)


Dispatch = Callable[[str, httpx.URL], Awaitable[Any]]
"""Sends one request and returns a streamed response: an ``httpx.Response``, or on the lean path a
``wire.WireResponse`` (or ``aio.LeanResponse``) with the same few members (``status_code``, ``headers``,
``aiter_bytes``, ``aclose``)."""


def dispatcher(client: httpx.AsyncClient) -> Dispatch:
    """How the checker sends one request on ``client``, as a stream.

    Straight to the transport the client would pick for the URL (its mounts:
    the direct transport, or the proxy's from HTTP(S)_PROXY/NO_PROXY), with the
    client's headers and timeouts. The checker follows redirects itself, keeps
    no cookies and uses no auth, so ``client.send``'s machinery for those only
    costs CPU. When the transport is our direct one, the request goes to our
    own HTTP/1.1 client without httpx's Request/Response objects at all
    (``wire.lean_sender``; ``aio.lean_sender`` for the aiohttp transport); any
    other transport (a proxy's, a test's ``MockTransport``, httpx's own) is
    sent an ``httpx.Request`` as usual.
    ``_transport_for_url`` is httpx's own (private) lookup; should a future
    httpx drop it, ``client.send`` is used instead.
    """
    pick = getattr(client, "_transport_for_url", None)
    if pick is None:  # pragma: no cover - depends on the httpx version
        return lambda method, url: client.send(client.build_request(method, url), stream=True)
    headers = client.headers
    if getattr(client, "_mounts", None) == {} and (direct := _direct(getattr(client, "_transport", None))):
        # no proxy: every URL goes to the one direct transport, so straight to our client
        from verifier.net import wire

        return wire.lean_sender(direct, headers)
    timeout = client.timeout.as_dict()
    lean: dict[int, Dispatch | None] = {}

    async def dispatch(method: str, url: httpx.URL) -> Any:
        transport = pick(url)
        key = id(transport)
        if key not in lean:
            lean[key] = _lean(transport, headers)
        fast = lean[key]
        if fast is not None:
            return await fast(method, url)
        request = httpx.Request(method, url, headers=headers, extensions={"timeout": timeout})
        response = await transport.handle_async_request(request)
        response.request = request
        return response

    return dispatch


def _direct(transport: object) -> DirectTransport | None:
    """``transport`` if it is our own client's (``wire.DirectTransport``), else None. Tested by name first: a
    test's or a proxy's transport never loads our modules."""
    if type(transport).__name__ != "DirectTransport":
        return None
    from verifier.net import wire

    return transport if isinstance(transport, wire.DirectTransport) else None


def _lean(transport: httpx.AsyncBaseTransport, headers: httpx.Headers) -> Dispatch | None:
    if (direct := _direct(transport)) is not None:
        from verifier.net import wire

        return wire.lean_sender(direct, headers)
    if type(transport).__name__ != "AiohttpTransportWithoutCookies":
        return None  # not ours: aiohttp need not even be imported
    from verifier.net.aio import lean_sender

    return lean_sender(transport, headers)


async def read_capped(response: Any, budget: float, max_body: int) -> bytes:
    """At most ``max_body`` bytes, within ``budget`` seconds; a slow or huge body is cut, not waited for."""
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(budget):
            async for chunk in response.aiter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size >= max_body:
                    break
    except Exception:  # a timeout, a reset, a bad chunk: the status is known; judge the page from what arrived
        pass
    return b"".join(chunks)[:max_body]


async def close_quietly(response: Any) -> None:
    try:
        await response.aclose()
    except Exception:  # closing a broken connection may fail; nothing to report
        pass


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _opt(value: object) -> str | None:
    return value if isinstance(value, str) else None
