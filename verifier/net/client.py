"""The one place an HTTP client is built, and the limits on requests in flight.

Every request of verifier goes through httpx's API. The transport under it is
chosen by measurement (``benchmarks/links.py``, figures in docs/performance.md):
httpx's own connection pool spends about 1.5 ms of CPU per request and degrades
as one client holds more connections (encode/httpx#3215). The link checker's
HEADs and GETs go to our own HTTP/1.1 client (``wire.py``: 0.14 ms a request,
against 0.22 on aiohttp's pool), every other request (archives, registries,
Save Page Now) and every proxied one to the aiohttp transport of
``httpx-aiohttp``, which keeps httpx's API, streaming and exceptions. Tests
hand in their own client (a loopback server, or ``httpx.MockTransport``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import http.cookiejar
import ssl
from collections import deque
from collections.abc import Coroutine
from typing import Any, Literal, TypeVar

import httpx

from verifier._version import __version__
from verifier.config import Settings
from verifier.net.health import Health

T = TypeVar("T")
Transport = Literal["wire", "aiohttp", "httpx"]
DEFAULT_TRANSPORT: Transport = "wire"
"""``wire``: the link checker's requests on our own HTTP/1.1 client (``wire.py``), the rest on aiohttp's;
``aiohttp``: all on aiohttp's (httpx-aiohttp); ``httpx``: all on httpx's own. Chosen by ``benchmarks/links.py``."""
PROJECT_URL = "https://github.com/verifier-citations/verifier"


def user_agent(settings: Settings) -> str:
    return settings.user_agent or f"verifier/{__version__} (citation checker; +{PROJECT_URL})"


class _NoCookies(http.cookiejar.CookieJar):
    """A jar that keeps nothing: no cookie set by one site is ever sent to it or any other."""

    def set_cookie(self, cookie: http.cookiejar.Cookie) -> None:
        return None

    def extract_cookies(self, response: object, request: object) -> None:
        return None


def make_client(settings: Settings, transport: Transport = DEFAULT_TRANSPORT) -> httpx.AsyncClient:
    """An AsyncClient from the settings: timeouts, pool size, User-Agent, env proxies, no cookies.

    Redirects are not followed by the client: the link checker follows them one
    hop at a time so that each hop passes the SSRF guard and the chain is kept.
    """
    timeout = httpx.Timeout(settings.timeout, connect=settings.timeout, read=settings.timeout, pool=None)
    limits = httpx.Limits(max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency)
    headers = {"User-Agent": user_agent(settings), "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
               "Accept-Language": "en;q=0.9, *;q=0.5"}
    options = dict(timeout=timeout, limits=limits, headers=headers, follow_redirects=False, trust_env=True,
                   cookies=_NoCookies(), verify=tls_context())
    if transport == "wire":
        from verifier.net.wire import WireClient

        return WireClient(allow_private=settings.allow_private, **options)
    if transport == "aiohttp":
        from verifier.net.aio import AiohttpClient  # aiohttp is loaded only when a request is to be made

        return AiohttpClient(**options)  # type: ignore[arg-type]
    return httpx.AsyncClient(**options)  # type: ignore[arg-type]


_TLS: list[ssl.SSLContext] = []


def tls_context() -> ssl.SSLContext:
    """The verifying TLS context every client and transport of the process shares: loading the certificate
    store costs about 50 ms, and httpx would load it once per transport (the direct one and one per proxy).
    ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` are honoured as httpx honours them."""
    if not _TLS:
        _TLS.append(httpx.create_ssl_context(trust_env=True))
    return _TLS[0]


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from synchronous code — also when the caller already runs an
    event loop (a notebook, an async web app calling ``verifier.check``), where ``asyncio.run`` refuses:
    then it runs on a loop of its own in a worker thread."""
    # The pipeline pauses the cyclic garbage collector for its pure stages; network code makes cycles
    # (futures, exceptions with tracebacks, connection objects), so it runs with the collector on — but
    # collecting the youngest objects every 700 allocations (the default) cost about 40 ms of a 2,000-URL
    # stage's 0.6 s of CPU, when almost every object the stage makes dies young by its reference count: every
    # COLLECT_EVERY allocations, the few cycles are still collected while the run goes on.
    paused = not gc.isenabled()
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], COLLECT_EVERY), *threshold[1:])
    gc.enable()
    try:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(coro)
        with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="verifier-net") as pool:
            return pool.submit(asyncio.run, coro).result()
    finally:
        gc.set_threshold(*threshold)
        if paused:
            gc.disable()


COLLECT_EVERY = 10_000
"""The collector's youngest generation is collected every this many allocations while the network runs."""


class Limiter:
    """Caps requests in flight: ``total`` in all, and for each host or service its own number.

    This is the one place where verifier's network concurrency is bounded; every
    request of the network stage — the link checker, the archive and the
    registry look-ups — takes a slot here. A host gets ``per_host`` slots; a
    service that asks for fewer (a registry's published limit of requests in
    flight) is named by its own key with its own width. A key's slot is taken
    before the global one, so tasks queued for a busy host never sit on global
    slots other hosts could use.

    A request others wait for (the soft-404 probe that every check of a site's pages awaits) is
    ``urgent``: it is handed the next free slot before the requests queued earlier.
    """

    def __init__(self, total: int, per_host: int, health: Health | None = None) -> None:
        self.per_host = per_host
        self.health = health or Health()
        """What every request through this limiter learned of the network (``health.Health``)."""
        self._total = Slots(total)
        self._hosts: dict[str, Slots] = {}

    def slot(self, host: str, width: int | None = None, *, urgent: bool = False) -> _Slot:
        """``async with limiter.slot(host):`` holds one of the host's slots and one global slot. ``width``
        sets the number of slots of a key the first time it is named (a service's own limit)."""
        slots = self._hosts.get(host)
        if slots is None:
            slots = self._hosts[host] = Slots(width or self.per_host)
        return _Slot(slots, self._total, urgent)


class Slots:
    """A semaphore whose waiters are served in order, except that an urgent one goes to the front.

    A released slot is handed straight to the first waiter (it is never free in between, so a newcomer
    cannot take it from under the queue)."""

    __slots__ = ("free", "waiters")

    def __init__(self, count: int) -> None:
        self.free = count
        self.waiters: deque[asyncio.Future[None]] = deque()

    async def acquire(self, urgent: bool = False) -> None:
        if self.free > 0 and not self.waiters:
            self.free -= 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if urgent:
            self.waiters.appendleft(waiter)
        else:
            self.waiters.append(waiter)
        try:
            await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self.release()  # handed a slot just as it was cancelled: pass it on
            else:
                self.waiters.remove(waiter)
            raise

    def release(self) -> None:
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self.free += 1


class _Slot:
    """The two semaphores of one request, taken host first (a plain class: an ``asynccontextmanager``
    generator costs several times more per request, and every request takes one)."""

    __slots__ = ("host", "total", "urgent")

    def __init__(self, host: Slots, total: Slots, urgent: bool) -> None:
        self.host = host
        self.total = total
        self.urgent = urgent

    async def __aenter__(self) -> None:
        host, total = self.host, self.total
        if host.free > 0 and not host.waiters:  # (a free slot is taken here, without a coroutine per semaphore)
            host.free -= 1
        else:
            await host.acquire(self.urgent)
        if total.free > 0 and not total.waiters:
            total.free -= 1
            return
        try:
            await total.acquire(self.urgent)
        except BaseException:
            host.release()
            raise

    async def __aexit__(self, *exc: object) -> None:
        self.total.release()
        self.host.release()


_LIVE, _DONE, _EXPIRED = 0, 1, 2


class Deadlines:
    """``async with deadlines.within():`` cancels the body ``seconds`` after it began and raises TimeoutError —
    the contract of ``asyncio.timeout(seconds)``, for the many requests of one checker at a fraction of its cost.

    ``asyncio.timeout`` schedules and cancels a timer of its own for every request, in a context manager that
    also looks up the task and remembers its cancellation state (about 6 µs, some 2 % of a link's CPU). Requests
    of one length expire in the order they began, so one queue of their deadlines in that order and one timer,
    set for the oldest request still running, do the same: a request costs an append and two attribute writes,
    and the timer fires at most once per ``seconds`` (on a fast network, never)."""

    __slots__ = ("_loop", "_queue", "_timer", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._queue: deque[_Within] = deque()
        self._timer: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def within(self) -> _Within:
        return _Within(self)

    def _arm(self) -> None:
        queue = self._queue
        while queue and queue[0].state != _LIVE:
            queue.popleft()
        self._timer = self._loop.call_at(queue[0].deadline, self._fire) if queue and self._loop else None

    def _fire(self) -> None:
        now = self._loop.time() if self._loop else 0.0
        queue = self._queue
        while queue and (queue[0].state != _LIVE or queue[0].deadline <= now):
            late = queue.popleft()
            if late.state == _LIVE and late.task is not None:
                late.state = _EXPIRED
                late.task.cancel()
        self._arm()


class _Within:
    __slots__ = ("_cancelling", "deadline", "owner", "state", "task")

    def __init__(self, owner: Deadlines) -> None:
        self.owner = owner
        self.state = _LIVE

    async def __aenter__(self) -> None:
        self.enter()

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: object) -> None:
        self.exit(exc)

    def enter(self) -> None:
        """``__aenter__``, called without a coroutine (``links.Checker._once``)."""
        owner = self.owner
        loop = asyncio.get_running_loop()
        if loop is not owner._loop:  # (a checker used from a new event loop: the old one's queue is moot)
            owner._loop, owner._timer = loop, None
            owner._queue.clear()
        task = self.task = asyncio.current_task()
        if task is None:
            raise RuntimeError("Deadlines.within() is to be used inside a task")
        self._cancelling = task.cancelling()
        self.deadline = loop.time() + owner.seconds
        queue = owner._queue
        while queue and queue[0].state != _LIVE:  # the finished ones at the front: nothing to time
            queue.popleft()
        queue.append(self)
        if owner._timer is None:
            owner._arm()

    def exit(self, exc: BaseException | None) -> None:
        """``__aexit__`` with the exception the body raised (None if none): raises TimeoutError from a
        cancellation that this deadline made."""
        state, task = self.state, self.task
        self.state, self.task = _DONE, None
        if state == _EXPIRED and task is not None and task.uncancel() <= self._cancelling \
                and type(exc) is asyncio.CancelledError:
            raise TimeoutError from exc
