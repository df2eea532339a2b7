"""The link stage: every URL once — cache, link check, archive look-ups — as one ``LinkRun``.

``check_links`` is the entry the pipeline calls: it takes every distinct URL once, answers what it can
from the cache, checks the rest concurrently (bounded by ``client.Limiter``), looks up archived copies,
and returns one ``LinkResult`` per URL in the order given.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Collection, Coroutine, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from verifier.config import Settings
from verifier.errors import UsageError
from verifier.model import LinkResult, LinkStatus
from verifier.net import archives
from verifier.net.cache import Cache
from verifier.net.client import Limiter, Transport, make_client, run_sync
from verifier.net.guard import Guard
from verifier.net.health import NO_NETWORK, Health
from verifier.net.links import Checker, Policy, Verdict

T = TypeVar("T")
Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while URLs are checked."""

LINK_CACHE = "link"
_SUCCESS = (LinkStatus.ALIVE, LinkStatus.REDIRECTED)


@dataclass(frozen=True, slots=True)
class LinkRun:
    """What the link stage produced: the results and anything the user should hear about the run."""

    results: list[LinkResult]
    verdicts: dict[str, Verdict]
    warnings: tuple[str, ...] = ()
    no_network: str | None = None
    """Why the network was found down (the links it failed on are ``skipped``), or None."""


def check_links(
    urls: Sequence[tuple[str, tuple[str, ...]]],
    settings: Settings,
    *,
    want_title: Collection[str] = (),
    dates: Mapping[str, tuple[str | None, str | None]] | None = None,
    progress: Progress | None = None,
    client: httpx.AsyncClient | None = None,
    transport: Transport | None = None,
    policy: Policy | None = None,
) -> LinkRun:
    """Check each ``(url, citation ids)`` once; ``want_title`` names the URLs whose page title is wanted.

    ``dates`` gives each URL's ``(access date, publication date)`` as cited (ISO strings or None): the
    archived capture nearest the first, else the second, else the newest is looked up.
    """
    excluded = _compile(settings.exclude)
    accept = accept_rule(settings.accept)
    verdicts: dict[str, Verdict] = {}
    todo: list[str] = []
    for url, _ids in urls:
        if any(p.search(url) for p in excluded):
            verdicts[url] = Verdict(LinkStatus.SKIPPED, error="excluded by configuration")
        else:
            todo.append(url)
    warnings: list[str] = []
    cache = None if settings.no_cache else Cache(settings.cache)
    if cache is not None:
        keys = {_key(u, u in want_title, settings): u for u in todo}
        for key, value in cache.get_many(LINK_CACHE, keys).items():
            verdicts[keys[key]] = Verdict.from_cache(value)
        todo = [u for u in todo if u not in verdicts]
    stage = None if settings.no_archive else archives.Stage([u for u, _ in urls], dates or {}, settings)
    if stage is not None and cache is not None:
        stage.remember(cache.get_many(archives.ARCHIVE_CACHE, stage.keys()))
    store = _Store(cache, settings, want_title, stage)
    health = Health()
    if todo or (stage is not None and stage.pending):
        fresh = run_sync(_check_all(todo, settings, set(want_title), progress, client, transport, policy, accept,
                                    stage, verdicts, health, store))
        verdicts.update(fresh)
    no_network = None
    if health.down:
        # Nothing answered and something failed at the network level: the network, not the links, is broken.
        # The links it failed on are not checked, and nothing this run learned is kept.
        no_network = health.reason()
        for url, verdict in list(verdicts.items()):
            if verdict.checked is None and (verdict.network_level or verdict.failure == "unknown-host"):
                verdicts[url] = Verdict(LinkStatus.SKIPPED, error=Health.no_network(no_network), failure="no-network")
        skipped = sum(v.failure == "no-network" for v in verdicts.values())
        warnings.append(f"{NO_NETWORK}: {skipped} link{'s' if skipped != 1 else ''} not checked ({no_network})")
        if stage is not None:
            stage.forget_fresh()
    else:
        store.finish()
        if stage is not None:
            warnings.extend(stage.warnings())
    if cache is not None:
        if cache.warning:
            warnings.append(cache.warning)
        cache.close()
    looked = stage.results if stage is not None else {}
    now = time.time()
    results = [
        LinkResult(url, v.status, ids, v.http_status, v.final_url, v.error, a.archive if a else None, v.title,
                   v.redirects, v.suggestion, archive_error=a.error if a else None, archive_checked=a is not None,
                   cache_age=max(now - v.checked, 0.0) if v.checked is not None else None)
        for url, ids in urls
        for v in (verdicts[url],)
        for a in (looked.get(url) if archives.eligible(url, v) else None,)
    ]
    return LinkRun(results, verdicts, tuple(warnings), no_network)


class _Store:
    """Writes answers to the cache as they arrive, in batches, so a run that is killed keeps what it learned.

    Only answers are kept: a verdict resting on a network-level failure never is. An unknown host (NXDOMAIN)
    is held back to the end of the run: it counts only when the network proved to work (``Health``).
    """

    BATCH = 64
    SECONDS = 2.0

    def __init__(self, cache: Cache | None, settings: Settings, want_title: Collection[str],
                 stage: archives.Stage | None) -> None:
        self.cache = cache
        self.stage = stage
        self.settings = settings
        self.want_title = want_title
        self._batch: dict[str, tuple[Any, float]] = {}
        self._held: dict[str, tuple[Any, float]] = {}
        self._last = time.monotonic()

    def add(self, url: str, verdict: Verdict) -> None:
        if self.cache is None or verdict.network_level or verdict.failure == "no-network":
            return
        now = time.time()
        row = (verdict.to_cache(now), ttl(verdict, self.settings))
        key = _key(url, url in self.want_title, self.settings)
        if verdict.failure == "unknown-host":
            self._held[key] = row
            return
        self._batch[key] = row
        if len(self._batch) >= self.BATCH or time.monotonic() - self._last >= self.SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.cache is not None and self._batch:
            self.cache.put_many(LINK_CACHE, self._batch)
        if self.cache is not None and self.stage is not None:
            self.archives(self.stage.to_cache())
        self._batch = {}
        self._last = time.monotonic()

    def finish(self) -> None:
        """The network worked: the held-back verdicts count too."""
        self._batch.update(self._held)
        self._held = {}
        self.flush()

    def archives(self, rows: Mapping[str, tuple[Any, float]]) -> None:
        if self.cache is not None and rows:
            self.cache.put_many(archives.ARCHIVE_CACHE, dict(rows))


def ttl(verdict: Verdict, settings: Settings) -> float:
    """Successes are trusted for ``cache_ttl``; failures for less, so a flaky site is retried sooner."""
    if verdict.status in _SUCCESS:
        return settings.cache_ttl
    if verdict.status in (LinkStatus.DEAD, LinkStatus.SOFT_404):
        return settings.cache_ttl / 4
    return min(settings.cache_ttl / 24, 3600.0)


def accept_rule(specs: Sequence[str]) -> Callable[[httpx.URL, int], bool]:
    """``"429"`` or ``"example.org=403,999"`` entries as a predicate on (URL, status)."""
    everywhere: set[int] = set()
    per_host: dict[str, set[int]] = {}
    for spec in specs:
        host, _, codes = spec.rpartition("=")
        try:
            parsed = {int(c) for c in codes.replace(" ", "").split(",") if c}
        except ValueError:
            raise UsageError(
                f"accept: '{spec}' is not a list of HTTP status codes (like 429 or example.org=403)"
            ) from None
        if host:
            per_host.setdefault(host.lower().removeprefix("www."), set()).update(parsed)
        else:
            everywhere.update(parsed)

    def accepted(url: httpx.URL, status: int) -> bool:
        host = url.host.lower().removeprefix("www.")
        return status in everywhere or status in per_host.get(host, ())

    return accepted


async def _check_all(
    urls: list[str],
    settings: Settings,
    want_title: set[str],
    progress: Progress | None,
    client: httpx.AsyncClient | None,
    transport: Transport | None,
    policy: Policy | None,
    accept: Callable[[httpx.URL, int], bool],
    stage: archives.Stage | None = None,
    known: Mapping[str, Verdict] | None = None,
    health: Health | None = None,
    store: _Store | None = None,
) -> dict[str, Verdict]:
    own = client is None
    http = client or make_client(settings, transport or "aiohttp")
    limiter = Limiter(settings.concurrency, settings.per_host, health)
    checker = Checker(http, limiter, Guard(settings.allow_private), timeout=settings.timeout, policy=policy,
                      accept=accept)
    done = 0
    total = len(urls)
    if stage is not None:
        stage.bind(http, limiter, policy)

    async def one(url: str) -> tuple[str, Verdict]:
        nonlocal done
        verdict = await checker.check(url, url in want_title)
        if store is not None:
            store.add(url, verdict)
        if stage is not None:
            await stage.after(url, verdict)  # the archive look-up, once the verdict is known
        done += 1
        if progress is not None:
            progress(done, total)  # a URL is done when its archives are asked too: the bar never waits at 100 %
        return url, verdict

    async def archived(url: str, verdict: Verdict) -> None:
        if stage is not None:
            await stage.after(url, verdict)

    checking = set(urls)
    cached = [(u, v) for u, v in (known or {}).items() if u not in checking]
    try:
        # The Limiter bounds the requests in flight (the one place concurrency is capped); `bounded` only
        # keeps the number of live tasks at a few times that, so 10,000 URLs are not 10,000 tasks at once.
        pairs = await _bounded((one(u) for u in _interleave_hosts(urls)), 4 * settings.concurrency)
        await _bounded((archived(u, v) for u, v in cached), 4 * settings.concurrency)
    finally:
        if own:
            await http.aclose()
    return dict(p for p in pairs if p is not None)


async def _bounded(coros: Iterable[Coroutine[Any, Any, T]], window: int) -> list[T | None]:
    """Run ``coros`` with at most ``window`` alive at once; results in order (URLs come host-interleaved,
    so a window of a few times the global limit keeps every host's slots busy)."""
    results: list[T | None] = []
    slots = asyncio.Semaphore(window)
    tasks: list[asyncio.Task[None]] = []

    async def run(i: int, coro: Coroutine[Any, Any, T]) -> None:
        try:
            results[i] = await coro
        finally:
            slots.release()

    for i, coro in enumerate(coros):
        await slots.acquire()
        results.append(None)
        tasks.append(asyncio.ensure_future(run(i, coro)))
        if len(tasks) >= 4 * window:
            for t in tasks:
                if t.done():
                    t.result()  # a bug in a check surfaces here, not as "exception never retrieved"
            tasks = [t for t in tasks if not t.done()]
    await asyncio.gather(*tasks)
    return results


def _interleave_hosts(urls: list[str]) -> list[str]:
    """Round-robin over hosts, so the first tasks to run spread over every site instead of queueing on one."""
    by_host: dict[str, list[str]] = {}
    for url in urls:
        host = url.split("//", 1)[-1].split("/", 1)[0].lower()
        by_host.setdefault(host, []).append(url)
    queues = list(by_host.values())
    out: list[str] = []
    for i in range(max((len(q) for q in queues), default=0)):
        out.extend(q[i] for q in queues if i < len(q))
    return out


def _key(url: str, title: bool, settings: Settings) -> str:
    return f"{'T' if title else '-'} {url}"


def _compile(patterns: Sequence[str]) -> list[re.Pattern[str]]:
    out = []
    for p in patterns:
        try:
            out.append(re.compile(p))
        except re.error as exc:
            raise UsageError(f"exclude: '{p}' is not a valid regular expression: {exc}") from exc
    return out


__all__ = ["LinkRun", "Policy", "Progress", "check_links"]
