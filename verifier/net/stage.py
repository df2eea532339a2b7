"""The network stage: links, their archive look-ups, the registry look-ups and Save Page Now, in one event loop.

``run`` is the entry the pipeline calls. It takes every distinct URL once, answers what it can from the
cache, then checks the rest and asks the archives and registries **at once** (and, for ``verifier archive``,
submits each live URL no archive holds as soon as that is known): one client, one ``Limiter``
(the one place concurrency is bounded; it knows hosts and services), one ``Health`` record that tells a
broken network from broken links. ``net/`` returns what the services answered; which registry record
matches a citation is decided by the pure ``verifier.rules.registry_match``, next to the rules that use it.

``check_links`` is the same stage without registries (the tests' and benchmarks' entry).
"""

from __future__ import annotations

import asyncio
import contextvars
import gc
import re
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from verifier.config import Settings
from verifier.errors import UsageError
from verifier.model import LinkResult, LinkStatus
from verifier.net.checkers import host_of as _host_of
from verifier.net.checkers import partition
from verifier.net.client import DEFAULT_TRANSPORT, Limiter, Transport, make_client, run_sync
from verifier.net.guard import Guard
from verifier.net.health import NO_NETWORK, Health
from verifier.net.links import WAITING, Checker, Pending, Policy, Verdict

if TYPE_CHECKING:
    from verifier.net import archives
    from verifier.net.cache import Cache
    from verifier.net.checkers import Checkers
    from verifier.net.registries import Asking, Judge, RegistryRun
    from verifier.net.savepagenow import Submitter
    from verifier.net.texts import Texts

T = TypeVar("T")
Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while URLs are checked."""
Remote = Callable[[Callable[[Any], Any], Sequence[Any]], AsyncIterator[Any]]
"""Runs a picklable function on each item elsewhere (a Dask cluster's workers: ``verifier.parallel``)
and yields the results as they complete."""
PARTITIONS = 64
"""Host partitions of a run checked elsewhere (``remote``): enough to spread over the workers."""

_MAX_PHASES = 64
"""At most this many rounds of host partitions (a check resumed by another partition goes on by at least one
request each round: a chain of 10 redirects ping-ponging between two partitions, HEAD then GET, takes 24)."""
_SUCCESS = (LinkStatus.ALIVE, LinkStatus.REDIRECTED)


@dataclass(frozen=True, slots=True)
class LinkRun:
    """What the link part of the stage produced: the results and anything the user should hear about it."""

    results: list[LinkResult]
    verdicts: dict[str, Verdict]
    warnings: tuple[str, ...] = ()
    no_network: str | None = None
    """Why the network was found down (the links it failed on are ``skipped``), or None."""


@dataclass(frozen=True, slots=True)
class NetworkRun:
    """What the whole network stage produced."""

    links: LinkRun
    registries: RegistryRun | None = None


@dataclass(slots=True)
class _Links:
    """The link part of one run: what is to be checked, what the cache knew, and where answers go."""

    urls: Sequence[tuple[str, tuple[str, ...]]]
    settings: Settings
    want_title: Collection[str]
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    todo: list[str] = field(default_factory=list)
    cache: Cache | None = None
    stage: archives.Stage | None = None
    store: _Store | None = None
    texts: Texts | None = None
    remote: Remote | None = None
    submit: Submitter | None = None
    ids: dict[str, tuple[str, ...]] = field(default_factory=dict)
    built: dict[str, tuple[Verdict, LinkResult]] = field(default_factory=dict)
    """Report rows built while the run waited for answers (a run that asks no archive), with their verdicts."""

    @classmethod
    def plan(cls, urls: Sequence[tuple[str, tuple[str, ...]]], settings: Settings, want_title: Collection[str],
             dates: Mapping[str, tuple[str | None, str | None]], cache: Cache | None) -> _Links:
        excluded = _compile(settings.exclude_url)
        part = cls(urls, settings, want_title, cache=cache)
        ids = part.ids
        for url, cited in urls:
            ids[url] = cited
            if any(p.search(url) for p in excluded):
                part.verdicts[url] = Verdict(LinkStatus.SKIPPED, error="excluded by configuration")
            else:
                part.todo.append(url)
        if cache is not None:
            from verifier.net.cache import LINK_CACHE, link_key

            keys = {link_key(u, u in want_title): u for u in part.todo}
            for key, value in cache.get_many(LINK_CACHE, keys).items():
                part.verdicts[keys[key]] = Verdict.from_cache(value)
            part.todo = [u for u in part.todo if u not in part.verdicts]
        if not settings.no_archive and urls:
            from verifier.net import archives  # (not in a helper process, which asks no archive)

            part.stage = archives.Stage([u for u, _ in urls], dates, settings)
            if cache is not None:
                part.stage.remember(cache.get_many(archives.ARCHIVE_CACHE, part.stage.keys()))
        part.store = _Store(cache, settings, want_title, part.stage)
        return part

    @property
    def busy(self) -> bool:
        if self.todo or (self.stage is not None and self.stage.pending):
            return True
        # everything cached: the loop runs only for a page whose text is wanted (texts are never cached)
        texts = self.texts
        if self.submit is not None and self.stage is not None:
            return True  # the captures the cache knew of may leave URLs to submit
        return texts is not None and any(texts.wanted(u, v) for u, v in self.verdicts.items())

    def finish(self, health: Health) -> LinkRun:
        verdicts = self.verdicts
        warnings: list[str] = []
        no_network = None
        assert self.store is not None
        if health.down:
            # Nothing answered and something failed at the network level: the network, not the links, is
            # broken. The links it failed on are not checked, and nothing this run learned is kept.
            no_network = health.reason()
            for url, verdict in list(verdicts.items()):
                if verdict.checked is None and (verdict.network_level or verdict.failure == "unknown-host"):
                    verdicts[url] = Verdict(LinkStatus.SKIPPED, error=Health.no_network(no_network),
                                            failure="no-network")
            skipped = sum(v.failure == "no-network" for v in verdicts.values())
            warnings.append(f"{NO_NETWORK}: {skipped} link{'s' if skipped != 1 else ''} not checked ({no_network})")
            if self.stage is not None:
                self.stage.forget_fresh()
        else:
            self.store.finish()
            if self.stage is not None:
                warnings.extend(self.stage.warnings())
        looked = self.stage.results if self.stage is not None else {}
        now = time.time()
        if not looked:  # no archive asked (--no-archive): the archive module is not loaded after the checks for this
            built = self.built
            results = []
            for url, ids in self.urls:
                v = verdicts[url]
                row = built.get(url)
                if row is not None and row[0] is v and row[1].citations is ids:
                    results.append(row[1])
                    continue
                results.append(LinkResult(url, v.status, ids, v.http_status, v.final_url, v.error, None, v.title,
                                          v.redirects, v.suggestion, None, False,
                                          None if v.checked is None else max(now - v.checked, 0.0)))
            return LinkRun(results, verdicts, tuple(warnings), no_network)
        from verifier.net.archives import eligible

        results = [
            LinkResult(url, v.status, ids, v.http_status, v.final_url, v.error, a.archive if a else None, v.title,
                       v.redirects, v.suggestion, archive_error=a.error if a else None,
                       archive_checked=a is not None,
                       cache_age=max(now - v.checked, 0.0) if v.checked is not None else None)
            for url, ids in self.urls
            for v in (verdicts[url],)
            for a in (looked.get(url) if eligible(url, v) else None,)
        ]
        return LinkRun(results, verdicts, tuple(warnings), no_network)


def run(
    urls: Sequence[tuple[str, tuple[str, ...]]],
    settings: Settings,
    *,
    queries: Sequence[Any] = (),
    want_title: Collection[str] = (),
    dates: Mapping[str, tuple[str | None, str | None]] | None = None,
    progress: Progress | None = None,
    registry_progress: Progress | None = None,
    client: httpx.AsyncClient | None = None,
    transport: Transport | None = None,
    policy: Policy | None = None,
    openalex_key: str | None = None,
    judge: Judge | None = None,
    texts: Texts | None = None,
    submit: Submitter | None = None,
    remote: Remote | None = None,
) -> NetworkRun:
    """Check each ``(url, citation ids)`` once and, with ``--registry``, look each ``queries`` item up.

    ``want_title`` names the URLs whose page title is wanted; ``dates`` gives each URL's ``(access date,
    publication date)`` as cited (ISO strings or None): the archived capture nearest the first, else the
    second, else the newest is looked up. ``queries`` are ``registry_match.Query`` values (one per source);
    ``judge`` decides which record of a search is the cited work (``rules.registry_match.judge``).
    ``texts`` says which pages' texts to read once their verdicts and captures are known (quotations, L006).
    ``submit`` (``verifier archive``) is handed each live URL that no archive holds, for Save Page Now.
    ``remote`` checks the URLs elsewhere, by host partitions (:func:`check_part`; see ``_check_all``).
    """
    accept = accept_rule(settings.accept)
    from verifier.net.cache import Cache

    cache = None if settings.no_cache else Cache(settings.cache)
    health = Health()
    asking: Asking | None = None
    if queries and settings.registry:
        from verifier.net import registries  # loaded only when a registry is to be asked

        asking = registries.plan(queries, settings, openalex_key, judge)
    try:
        links = _Links.plan(urls, settings, want_title, dates or {}, cache)
        links.texts = texts
        links.submit = submit
        links.remote = remote
        registry_busy = asking is not None and asking.busy
        if links.busy or registry_busy:
            run_sync(_stage(links, asking, settings, progress, registry_progress, client, transport, policy,
                            accept, health, cache))
        link_run = links.finish(health)
        registry_run = asking.finish() if asking is not None else None
        if cache is not None and cache.warning:
            link_run = LinkRun(link_run.results, link_run.verdicts, (*link_run.warnings, cache.warning),
                               link_run.no_network)
    finally:
        if cache is not None:
            cache.close()
    return NetworkRun(link_run, registry_run)


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
    """The stage for links (and their archives) alone: see ``run``."""
    return run(urls, settings, want_title=want_title, dates=dates, progress=progress, client=client,
               transport=transport, policy=policy).links


async def _stage(links: _Links, asking: Asking | None, settings: Settings, progress: Progress | None,
                 registry_progress: Progress | None, client: httpx.AsyncClient | None,
                 transport: Transport | None, policy: Policy | None, accept: Callable[[httpx.URL, int], bool],
                 health: Health, cache: Cache | None) -> None:
    own = client is None
    helpers = _helpers(links, client, transport, policy)
    registry_busy = asking is not None and asking.busy
    # With the links checked by helper processes, this one needs a client only for what it asks itself.
    mine = helpers is None or links.stage is not None or registry_busy or links.submit is not None
    http = (client or make_client(settings, transport or DEFAULT_TRANSPORT)) if mine else None
    limiter = Limiter(settings.concurrency, settings.per_host, health)
    # The collector's objects from the stages before are old and acyclic: frozen, they are never rescanned
    # while the stage allocates its futures and responses (measured: 0.1 s of a 2,000-URL run).
    gc.freeze()
    try:
        parts = [_check_all(links, settings, progress, http, limiter, policy, accept, helpers)]
        if asking is not None and http is not None and registry_busy:
            parts.append(asking.ask(http, limiter, policy or Policy(), cache, registry_progress))
        if links.submit is not None and http is not None:
            links.submit.bind(http, limiter, policy or Policy())
            parts.append(links.submit.run())
        # THE NETWORK STAGE: links (with their archive look-ups), registry look-ups and Save Page Now run
        # together in this one event loop, every request through `limiter` — the one place verifier's
        # concurrency is bounded (the links' own requests through the helper processes' limiters instead,
        # when ``net.checkers`` runs them, with --concurrency split between them).
        await asyncio.gather(*parts)
    finally:
        gc.unfreeze()
        if own and http is not None:
            await http.aclose()


def _helpers(links: _Links, client: httpx.AsyncClient | None, transport: Transport | None,
             policy: Policy | None) -> Checkers | None:
    """The helper processes (``net.checkers``) that check this run's links, if the command started them and
    the run is as the command makes it: no client, transport or policy of a caller's, nothing checked
    elsewhere (``remote``), and no quoted page (its text is the link check's own GET, read in this process)."""
    if (not links.todo or links.remote is not None or client is not None or transport not in (None, DEFAULT_TRANSPORT)
            or policy is not None or (links.texts is not None and links.texts.quoted)):
        return None
    from verifier.net import checkers

    return checkers.installed()


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
        if cache is not None:
            from verifier.net.cache import LINK_CACHE, link_key

            self._key, self._table = link_key, LINK_CACHE

    def add(self, url: str, verdict: Verdict) -> None:
        if self.cache is None or verdict.network_level or verdict.failure == "no-network":
            return
        now = time.time()
        row = (verdict.to_cache(now), ttl(verdict, self.settings))
        key = self._key(url, url in self.want_title)
        if verdict.failure == "unknown-host":
            self._held[key] = row
            return
        self._batch[key] = row
        if len(self._batch) >= self.BATCH or time.monotonic() - self._last >= self.SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.cache is not None and self._batch:
            self.cache.put_many(self._table, self._batch)
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
            from verifier.net.archives import ARCHIVE_CACHE

            self.cache.put_many(ARCHIVE_CACHE, dict(rows))


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


async def _check_all(links: _Links, settings: Settings, progress: Progress | None, http: httpx.AsyncClient | None,
                     limiter: Limiter, policy: Policy | None, accept: Callable[[httpx.URL, int], bool],
                     helpers: Checkers | None = None) -> None:
    checker = Checker(http, limiter, Guard(settings.allow_private), timeout=settings.timeout, policy=policy,
                      accept=accept) if http is not None else None
    stage, store, verdicts = links.stage, links.store, links.verdicts
    urls = links.todo
    want_title = set(links.want_title) | set(links.texts.quoted if links.texts is not None else ())
    done = 0
    total = len(urls)
    if stage is not None:
        assert http is not None
        stage.bind(http, limiter, policy)
    texts = links.texts
    if texts is not None and http is not None and checker is not None:
        # (without a client here, nothing is quoted and there are no captures: texts.after reads nothing)
        texts.bind(checker, http, limiter, policy, settings.timeout)

    submit = links.submit
    if submit is not None:
        from verifier.net.archives import eligible
        from verifier.net.savepagenow import to_submit  # loaded only for `verifier archive`

    async def read(url: str, verdict: Verdict) -> None:
        looked = stage.results.get(url) if stage is not None else None
        if submit is not None and to_submit(verdict.status, looked.archive if looked else None,
                                            looked is not None and eligible(url, verdict),
                                            looked.error if looked else None):
            submit.submit(url)  # queued: Save Page Now's jobs take minutes, the checking goes on
        if texts is not None:  # the page's text and its capture's, once verdict and archive look-up are in
            await texts.after(url, verdict, looked)

    ids_of, built = links.ids, links.built

    def row(url: str, verdict: Verdict) -> None:
        """The report's row for a verdict reached now, built while the loop waits for other answers rather
        than after the last one (``_Links.finish`` takes it if the verdict is still the URL's)."""
        cited = ids_of.get(url)
        if cited is not None and verdict.checked is None:
            built[url] = (verdict, LinkResult(url, verdict.status, cited, verdict.http_status, verdict.final_url,
                                              verdict.error, None, verdict.title, verdict.redirects,
                                              verdict.suggestion, None, False, None))

    async def one(url: str) -> None:
        nonlocal done
        assert checker is not None
        verdict = await checker.check(url, url in want_title)
        verdicts[url] = verdict
        if stage is None:
            row(url, verdict)
        if store is not None:
            store.add(url, verdict)
        if stage is not None:
            await stage.after(url, verdict)  # the archive look-up, once the verdict is known
        if not quiet:
            await read(url, verdict)
        done += 1
        if progress is not None:
            progress(done, total)  # a URL is done when its archives are asked too: the bar never waits at 100 %

    checking = set(urls)
    cached = [(u, v) for u, v in verdicts.items() if u not in checking]

    async def archived(item: tuple[str, Verdict]) -> None:
        if stage is not None:
            await stage.after(*item)
        await read(*item)

    def taken(item: tuple[str, Verdict]) -> None:  # a verdict reached elsewhere (``remote``, helpers)
        url, verdict = item
        verdicts[url] = verdict
        if stage is None:
            row(url, verdict)
        if store is not None:
            store.add(url, verdict)

    async def settled(item: tuple[str, Verdict]) -> None:
        nonlocal done
        taken(item)
        await archived(item)
        done += 1
        if progress is not None:
            progress(done, total)

    # Nothing to ask once a verdict is in (no archive, page text or Save Page Now): verdicts reached elsewhere
    # are taken as they come, without a task each (the command's CPU while its helpers check the links).
    quiet = stage is None and texts is None and submit is None

    window = 4 * settings.concurrency
    own = None
    try:
        if urls and (links.remote is not None or helpers is not None):
            # Each host's URLs are in one partition, checked by one worker or helper process with this run's
            # limits: the per-host limit holds across them. Archive look-ups, page texts and the cache stay
            # here, once a verdict is in (so no host is asked from two places at once).
            settling = []
            pending: dict[str, Pending] = {}
            for _phase in range(_MAX_PHASES):
                if links.remote is not None:
                    hosts = partition(list(pending) or urls, PARTITIONS, _key_of(pending))
                    parts = [(p, [u for u in p if u in want_title], {u: pending[u] for u in p if u in pending},
                              len(hosts) == 1) for p in hosts]
                    batches = links.remote(_checking(settings), parts)
                else:
                    assert helpers is not None
                    from verifier.net.checkers import shares

                    batches = helpers.check(settings, shares(list(pending) or urls, helpers.size,
                                                             settings.concurrency, settings.per_host,
                                                             _key_of(pending)), want_title, pending)
                resumed = pending
                pending = {}
                async for found, seen in batches:
                    limiter.health.merge(seen)
                    pending.update((u, v) for u, v in found.items() if isinstance(v, Pending))
                    reached = [(u, v) for u, v in found.items() if not isinstance(v, Pending)]
                    if quiet:
                        for item in reached:
                            taken(item)
                            done += 1
                            if progress is not None:
                                progress(done, total)
                    else:
                        settling.append(asyncio.ensure_future(_workers(settled, reached, window)))
                # A check that stopped at a host of another partition (a redirect across partitions) is resumed
                # by that host's partition once every partition of this phase is done: no host is asked from
                # two places at once, and each chain goes on exactly as in one process.
                pending = {u: p for u, p in pending.items() if u not in verdicts}
                if not pending or pending.keys() == resumed.keys() and all(
                        len(p.answers) <= len(resumed[u].answers) for u, p in pending.items()):
                    break  # done, or (never seen) no check moved on: what is left is checked here
            await asyncio.gather(*settling)
            left = [u for u in urls if u not in verdicts]
            if left:  # a helper process that failed: what it did not report is checked here
                if checker is None:
                    own = make_client(settings, DEFAULT_TRANSPORT)
                    checker = Checker(own, limiter, Guard(settings.allow_private), timeout=settings.timeout,
                                      policy=policy, accept=accept)
                await _per_host(one, left, settings.per_host, window, spare=settings.per_host,
                                finished=checker.done_with)
        else:
            assert checker is not None
            await _per_host(one, urls, settings.per_host, window, spare=settings.per_host,
                            finished=checker.done_with)
        await _workers(archived, cached, window)
    finally:
        if own is not None:
            await own.aclose()
        if submit is not None:
            submit.close()


async def _workers(work: Callable[[T], Any], items: Sequence[T], count: int) -> None:
    """``work`` on every item by at most ``count`` worker tasks, each taking the next item when it is free.

    The Limiter bounds the requests in flight; the workers only keep a few times that many going, without a
    task and its bookkeeping per item.

    The workers are started one per turn of the event loop: a worker's first step opens a connection, and
    the requests of the connections already open are written in the turns between, where starting them all
    in one turn held every first request back until the last connection was opened (160 of them: 15-25 ms
    of CPU; the in-process stage of ``benchmarks/links.py`` 0.739 -> 0.715 s, docs/performance.md).
    """
    queue = iter(items)

    async def worker() -> None:
        for item in queue:  # one shared iterator: each item is taken by exactly one worker
            await work(item)

    tasks: list[asyncio.Future[None]] = []
    try:
        for _ in range(min(count, len(items))):
            tasks.append(asyncio.ensure_future(worker()))
            await asyncio.sleep(0)  # (its first step, and the I/O that is ready, before the next one starts)
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        raise


async def _per_host(work: Callable[[str], Any], urls: Sequence[str], per_host: int, count: int,
                    spare: int = 0, key: Callable[[str], str] | None = None,
                    finished: Callable[[str], None] | None = None) -> None:
    """``work`` on every URL by per-host workers: each host's URLs in a queue of its own, drained by at most
    ``per_host`` workers, at most ``count`` workers at once in all; and, while checks of a host wait for a
    soft-404 probe, up to ``spare`` more of the host's that take one URL each.

    Workers of one host wait only for that host's slots, never for another's: with one task per URL, or a
    pool of workers over a mixed list, the tasks for a busy host sit parked on its semaphore, and a document
    citing one site a thousand times fills the pool with them. The first worker of every host starts before
    any host's second, so the ten other sites such a document cites once are not kept waiting.

    The spare workers are for the probes: while a folder's soft-404 probe is out, every check of its pages
    waits for it (``Checker._probe``) holding no slot, and the worker that runs such a check would leave
    its slot idle until the probe is in. So a check that starts to wait lends its turn (``links.WAITING``):
    a spare worker takes the host's next URL, and ends after it. The probe itself takes the slot freed by the
    check that asked for it (``Limiter``, ``urgent``): spares are started only once a check waits, never
    queued in advance ahead of it. A host whose checks never wait (no HTML page, no probe), or the steady
    state once the probe is in, has no spare and no worker waiting for a slot.

    ``key`` gives the host a URL's next request goes to (a resumed check's: ``Pending.host``), if not its own.
    ``finished(host)`` is called once the last of a host's workers is done.
    """
    host_of = key or _host_of
    queues: dict[str, deque[str]] = {}
    for url in urls:
        queues.setdefault(host_of(url), deque()).append(url)
    jobs: list[deque[str]] = []
    for i in range(per_host):
        jobs.extend(q for q in queues.values() if len(q) > i)
    spares: dict[int, int] = {}  # spare workers alive, by id of their host's queue
    started = contextvars.copy_context()
    hosts = {id(q): host for host, q in queues.items()}
    left = {id(q): min(len(q), per_host) for q in queues.values()}  # workers (spares too) not yet done, by host

    def leave(queue: deque[str]) -> None:
        left[id(queue)] -= 1
        if not left[id(queue)] and finished is not None:
            finished(hosts[id(queue)])
    running: set[asyncio.Future[None]] = set()
    failed: list[BaseException] = []

    def lender(queue: deque[str]) -> Callable[[], None]:
        def lend() -> None:  # called by a check of this host that starts waiting for a probe
            if queue and spares.get(id(queue), 0) < spare:
                spares[id(queue)] = spares.get(id(queue), 0) + 1
                left[id(queue)] += 1
                # (in the context the workers started in, not the waiting check's: its own, a host partition's
                # tape of answers above all, are not the spare's)
                task = asyncio.get_running_loop().create_task(once(queue), context=started.copy())
                running.add(task)
                task.add_done_callback(ended)

        return lend

    def ended(task: asyncio.Future[None]) -> None:
        running.discard(task)
        if not task.cancelled() and task.exception() is not None:
            failed.append(task.exception())  # type: ignore[arg-type]

    async def once(queue: deque[str]) -> None:
        try:
            if queue:
                WAITING.set(lender(queue))  # (this task's own context)
                await work(queue.popleft())
        finally:
            spares[id(queue)] -= 1
            leave(queue)

    async def drain(queue: deque[str]) -> None:
        WAITING.set(lender(queue) if spare else None)  # (the worker task's context, for this host's URLs)
        while queue:
            await work(queue.popleft())
        leave(queue)

    try:
        await _workers(drain, jobs, count)
        while running:
            await asyncio.wait(set(running))
        if failed:
            raise failed[0]
    finally:
        for task in running:
            task.cancel()


def _key_of(pending: Mapping[str, Pending]) -> Callable[[str], str]:
    """The host a URL's next request goes to: a resumed check's where it stopped, else the URL's own."""
    def key(url: str) -> str:
        stopped = pending.get(url)
        return stopped.host if stopped is not None else _host_of(url)

    return key


Part = tuple[list[str], list[str], dict[str, Pending], bool]
"""A host partition: its URLs, those whose title is wanted, the checks it resumes (``Pending``), and whether
it is the only one (then it owns every host: nothing else asks any, so nothing need wait for a next round)."""
Found = dict[str, Verdict | Pending]


def _checking(settings: Settings) -> Callable[[Part], tuple[Found, Health]]:
    from functools import partial

    return partial(check_part, settings)


def check_part(settings: Settings, part: Part) -> tuple[Found, Health]:
    """Check one host partition's URLs (``part``: the URLs, those whose title is wanted, the checks it resumes)
    where this runs (a cluster worker): the verdicts (a ``Pending`` for a check that went on to a host of
    another partition), and what the requests showed of the network for the caller's ``Health``. No cache,
    archives or page texts here: the caller's run does those."""
    urls, titled, resume, alone = part
    health = Health()
    verdicts: Found = {}
    run_sync(_check_here(settings, urls, titled, health, verdicts.__setitem__, resume, alone))
    return verdicts, health


def check_share(settings: Settings, urls: list[str], titled: list[str], concurrency: int,
                emit: Callable[..., None], batch: int = 64, seconds: float = 0.1,
                resume: Mapping[str, Pending] | None = None, gone: Callable[[], bool] | None = None,
                alone: bool = False) -> None:
    """Check a helper process's share of the URLs (``net.checkers``) with ``concurrency`` requests in flight
    at most, handing the verdicts to ``emit(verdicts, health)`` in batches (``batch`` verdicts, or what came
    in ``seconds``), the last with ``last=True``. Each batch's ``Health`` holds the answers counted since the
    one before and every failure seen so far, so the caller's ``Health.merge`` of them adds up. ``resume``
    and ``alone``: as in ``check_part``. ``gone()``, asked when a tick has nothing to send, says the caller
    went away: the checking stops as when ``emit`` fails."""
    from dataclasses import replace

    health = Health()
    found: Found = {}
    sent = 0

    def flush(last: bool = False) -> None:
        nonlocal found, sent
        seen = Health()
        seen.answered, sent = health.answered - sent, health.answered
        seen.failures, seen.hosts = dict(health.failures), set(health.hosts)
        emit(found, seen, last=last)
        found = {}

    def reached(url: str, verdict: Verdict | Pending) -> None:
        found[url] = verdict
        if len(found) >= batch:
            flush()

    ended = False

    def end() -> None:  # the last batch goes out before the client's connections close (about 10 ms for 160)
        nonlocal ended
        flush(last=True)
        ended = True

    async def check() -> None:
        async def tick() -> None:  # a slow host's verdicts are not held back for a full batch
            while True:
                await asyncio.sleep(seconds)
                if found:
                    flush()
                elif gone is not None and gone():
                    raise BrokenPipeError("the caller is gone")

        checking = asyncio.ensure_future(
            _check_here(replace(settings, concurrency=concurrency), urls, titled, health, reached, resume or {},
                        alone, end))
        ticking = asyncio.ensure_future(tick())
        try:  # the ticks end only by failing (``emit`` to a caller who is gone): that ends the checking too
            await asyncio.wait((checking, ticking), return_when=asyncio.FIRST_COMPLETED)
        finally:
            ticking.cancel()
        failed = ticking.exception() if ticking.done() and not ticking.cancelled() else None
        if failed is not None:
            checking.cancel()
            raise failed
        await checking

    run_sync(check())
    if not ended:
        flush(last=True)


async def _check_here(settings: Settings, urls: list[str], titled: list[str], health: Health,
                      reached: Callable[[str, Verdict | Pending], None], resume: Mapping[str, Pending],
                      alone: bool = False, done: Callable[[], None] | None = None) -> None:
    """A host partition's URLs checked in this process on a client, limiter and checker of their own, as the
    stage checks them. The partition owns the hosts of its URLs' next requests (``_key_of``): a request to
    any other host (a redirect into another partition's host) ends that check as a ``Pending``. ``alone``:
    the only partition of its round owns every host. ``done()`` is called once every URL is reached, before
    the client is closed."""
    key = _key_of(resume)
    owns = None if alone else {_slot_host(key(u), u in resume) for u in urls}
    http = make_client(settings, DEFAULT_TRANSPORT)
    limiter = Limiter(settings.concurrency, settings.per_host, health)
    checker = Checker(http, limiter, Guard(settings.allow_private), timeout=settings.timeout,
                      accept=accept_rule(settings.accept), owns=owns)
    wanted = set(titled)

    async def one(url: str) -> None:
        pending = resume.get(url)
        if owns is None and pending is None:  # no request can end elsewhere: nothing to record for a resumption
            reached(url, await checker.check(url, url in wanted))
        else:
            reached(url, await checker.resume(url, url in wanted, pending))

    try:
        await _per_host(one, urls, settings.per_host, 4 * settings.concurrency,
                        spare=settings.per_host, key=key, finished=checker.done_with)
        if done is not None:
            done()
    finally:
        await http.aclose()


def _slot_host(host: str, exact: bool) -> str:
    """``host`` as the limiter spells it (``httpx.URL.host``): a resumed check's host is already so."""
    if exact:
        return host
    try:
        return httpx.URL(f"http://{host}/").host
    except (httpx.InvalidURL, ValueError, UnicodeError):
        return host


def _compile(patterns: Sequence[str]) -> list[re.Pattern[str]]:
    out = []
    for p in patterns:
        try:
            out.append(re.compile(p))
        except re.error as exc:
            raise UsageError(f"exclude: '{p}' is not a valid regular expression: {exc}") from exc
    return out


__all__ = ["LinkRun", "NetworkRun", "Policy", "Progress", "check_links", "run"]
