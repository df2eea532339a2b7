"""Link checks in helper processes: the network stage on more than one core.

On a fast network the link stage is CPU-bound: about a quarter of a millisecond per URL in the checker,
aiohttp's HTTP parsing and the event loop, all on one core, where lychee spreads its requests over several
threads. ``verifier check`` therefore forks helper processes when it starts (:func:`start`), before the
pipeline is imported and before any thread exists, so the fork is cheap (a small process) and safe (no lock
of another thread is copied). The first helper imports the network stack — httpx, aiohttp, the certificate
store, about 0.2 s — on another core while the command reads and parses the documents, then forks its
siblings, which inherit it.

As soon as the run's citations are known — before the network stack is imported in the command, before the
quotation pairs' page plan and the registry queries — the pipeline hands the URLs to check to the helpers
(:func:`begin`), which start on them while the command gets the rest of the stage ready; the stage then reads
their verdicts (:meth:`Checkers.check`). Otherwise the URLs are handed over when the network stage starts.
Either way the URLs are split by host (:func:`partition`:
every host's URLs in exactly one process, so ``--per-host`` holds as in one process) and ``--concurrency``
is split between the shares (:func:`shares`). Each helper checks its share with an event loop, client,
guard and limiter of its own — the same code and settings as in one process (``stage.check_share``) — and
sends its verdicts back in batches as they are reached, with what its requests showed of the network
(``Health``). The parent does the rest of the stage as before, and alone: the cache (written by the parent
only), the archive look-ups, page texts, registries, the progress bar.

A helper that dies, or could not import the network stack, leaves its URLs unreported: the parent checks
them itself, so nothing is lost. A helper exits when the parent's end of its socket closes (the parent
ended, or was killed), and ignores Ctrl-C, which is the parent's to handle.

The module imports nothing heavy: the command imports it at start-up.
"""

from __future__ import annotations

import os
import pickle
import signal
import socket
import struct
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import asyncio

_HEADER = struct.Struct("!Q")
MAX_HELPERS = 4
"""Never more helpers than this (the stage's requests wait on the network, not on more cores)."""

Share = tuple[list[str], int]
"""One helper's URLs (whole hosts) and its part of ``--concurrency``."""


class Checkers:
    """The parent's handle on its running helpers (one socket each)."""

    def __init__(self, socks: list[socket.socket], pid: int) -> None:
        self._socks = socks
        self._pid = pid
        self.size = len(socks)
        self._begun: tuple[Any, dict[str, bool]] | None = None
        """The settings and URLs (with whether each one's title is wanted) of the job :meth:`begin` sent."""
        self._unsent: dict[socket.socket, bytes] = {}
        """Each helper given a job by :meth:`begin`, and what of its job the socket did not take then."""

    def begin(self, settings: Any, urls: Sequence[str], titled: Collection[str]) -> None:
        """Start the helpers on ``urls`` now, without waiting: the first :meth:`check` of the run reads their
        verdicts.

        Each job goes out as far as its socket takes it at once (all of it, but for many thousands of URLs);
        :meth:`check` sends the rest. Only once per run, and only what the stage would send them itself.
        """
        if self._begun is not None or not urls or not self._socks:
            return
        titled = set(titled)
        self._unsent = _jobs(self._socks, settings, shares(urls, self.size, settings.concurrency,
                                                           settings.per_host), titled, None)
        for sock, data in self._unsent.items():
            try:
                sent = sock.send(data)
            except BlockingIOError:
                sent = 0
            except OSError:
                sent = len(data)  # a helper already gone: check() reads its end and leaves its URLs to the stage
            self._unsent[sock] = data[sent:]
        self._begun = (settings, {u: u in titled for u in urls})

    async def check(self, settings: Any, shares: Sequence[Share], titled: Collection[str],
                    resume: Mapping[str, Any] | None = None) -> AsyncIterator[tuple[dict[str, Any], Any]]:
        """Send each share to a helper; yield ``(verdicts, health)`` batches as they arrive, from any helper.
        ``resume`` holds the checks a share resumes (``links.Pending``, by URL): see ``stage.check_share``.

        When :meth:`begin` started the helpers already (and nothing is resumed), nothing is sent again: their
        verdicts are read, each kept only if its URL is in ``shares`` and was checked with its title wanted
        as ``titled`` says, with these settings — always so when the pipeline began the job with the stage's
        inputs; the URLs of ``shares`` it did not hold are left unreported, for the caller to check.

        A helper that fails (died, could not import, raised) simply stops yielding: its unreported URLs are
        the caller's to check. At most ``size`` shares are sent; the helpers left idle are not told anything.
        """
        import asyncio  # (not at the top: the command forks its helpers before importing it)

        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[dict[str, Any], Any] | None] = asyncio.Queue()

        begun, self._begun = self._begun, None
        valid: set[str] | None = None  # every verdict counts
        if begun is None or resume:
            jobs = _jobs(self._socks, settings, shares, titled, resume)
        else:
            jobs, self._unsent = self._unsent, {}
            was, flags = begun
            wanted = set(titled)
            valid = {u for urls, _width in shares for u in urls if flags.get(u) == (u in wanted)} \
                if was == settings else set()

        async def run(sock: socket.socket, data: bytes) -> None:
            try:
                if data:
                    await loop.sock_sendall(sock, data)
                while True:
                    message = await _read(loop, sock)
                    if message is None:  # the helper died or ended without its last message
                        return
                    kind, found, seen = message
                    if valid is not None:
                        found = {u: v for u, v in found.items() if u in valid}
                    await queue.put((found, seen))
                    if kind == "end":
                        return
            except (OSError, EOFError, pickle.UnpicklingError):
                return  # a broken helper: the caller checks what it did not report
            finally:
                await queue.put(None)

        started = [asyncio.ensure_future(run(sock, data)) for sock, data in jobs.items()]
        running = len(started)
        try:
            while running:
                item = await queue.get()
                if item is None:
                    running -= 1
                else:
                    yield item
        finally:
            for task in started:
                task.cancel()
            if running:  # given up half-way (an error above): the helpers' sockets would hold stale batches
                for sock in self._socks:
                    sock.close()
                self._socks, self.size = [], 0

    def hang_up(self) -> None:
        """Close the helpers' sockets, without waiting: they exit (the run needs nothing more of them), while
        this process goes on (the command renders its report meanwhile); :meth:`close` reaps them."""
        for sock in self._socks:
            sock.close()
        self._socks, self._begun, self._unsent = [], None, {}

    def close(self) -> None:
        """End the helpers (they exit when their socket closes) and reap the first (it reaps its siblings)."""
        self.hang_up()
        deadline = time.monotonic() + 0.1  # an idle helper is gone in a millisecond
        while True:
            try:
                pid, _status = os.waitpid(self._pid, os.WNOHANG)
            except ChildProcessError:
                return
            if pid or time.monotonic() > deadline:
                break
            time.sleep(0.0005)
        if not pid:  # still importing (a run that needed no link checked), or in a job given up: nothing to finish
            try:
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


_installed: list[Checkers] = []


def start(count: int, *, threads_ok: bool = False) -> Checkers | None:
    """Fork ``count`` helpers (at most ``MAX_HELPERS``) and install them for this process's network stage.

    Returns None, and starts nothing, where a fork is not safe or not possible: not Linux (macOS's system
    libraries do not survive a fork), or another thread is running (it might hold a lock the child would
    inherit locked) unless ``threads_ok`` (tests, whose loopback servers run in threads of their own).
    """
    count = min(count, MAX_HELPERS)
    if count < 1 or not sys.platform.startswith("linux") or _installed:
        return None
    if threading.active_count() > 1 and not threads_ok:
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    pairs: list[tuple[socket.socket, socket.socket]] = []
    try:
        pairs.extend(socket.socketpair() for _ in range(count))
        pid = os.fork()
    except OSError:  # no process or descriptor to spare: the stage runs here
        for ours, theirs in pairs:
            ours.close()
            theirs.close()
        return None
    if pid == 0:  # the first helper
        code = 1
        try:
            for ours, _theirs in pairs:
                ours.close()
            _helper([theirs for _ours, theirs in pairs])
            code = 0
        finally:
            os._exit(code)  # never the parent's exit handlers, never its stdio buffers
    for ours, theirs in pairs:
        theirs.close()
        ours.setblocking(False)  # read and written on the event loop
    checkers = Checkers([ours for ours, _theirs in pairs], pid)
    _installed.append(checkers)
    return checkers


def begin(urls: Sequence[str], settings: Any, titled: Collection[str]) -> None:
    """Start the installed helpers, if any, on the URLs of ``urls`` the network stage would give them: not those
    ``--exclude-url`` skips, nor those the cache answers (looked up as the stage looks them up), each checked
    with its title wanted if it is in ``titled``. For the pipeline to call as soon as a run's links are known,
    when the stage would check them in the helpers (see ``stage._helpers``)."""
    helpers = installed()
    if helpers is None or not urls:
        return
    import re

    try:
        excluded = [re.compile(p) for p in settings.exclude_url]
    except re.error:
        return  # the stage says what is wrong with it
    todo = [u for u in dict.fromkeys(urls) if not any(p.search(u) for p in excluded)]
    if todo and not settings.no_cache:
        from verifier.net.cache import LINK_CACHE, Cache, link_key

        cache = Cache(settings.cache)
        try:
            known = cache.get_many(LINK_CACHE, [link_key(u, u in titled) for u in todo])
        finally:
            cache.close()
        todo = [u for u in todo if link_key(u, u in titled) not in known]
    helpers.begin(settings, todo, titled)


def installed() -> Checkers | None:
    """The helpers started for this process, if any."""
    return _installed[0] if _installed else None


def hang_up() -> None:
    """Let the installed helpers exit now, without waiting for them (:meth:`Checkers.hang_up`)."""
    for helpers in _installed:
        helpers.hang_up()


def stop() -> None:
    """End the installed helpers."""
    while _installed:
        _installed.pop().close()


def shares(urls: Sequence[str], count: int, concurrency: int, per_host: int,
           key: Callable[[str], str] | None = None) -> list[Share]:
    """``urls`` split into at most ``count`` shares of whole hosts, and ``concurrency`` split between them in
    proportion to what each can use (its hosts times ``per_host``, or its URLs if fewer), at least 1 each:
    the helpers together never have more requests in flight than one process would. ``key``: the host of
    a URL's next request, if not its own (:func:`partition`)."""
    of = key or host_of
    parts = partition(urls, min(count, concurrency), of)
    wants = [min(len(p), len({of(u) for u in p}) * per_host) for p in parts]
    total = sum(wants)
    widths = [max(1, concurrency * w // total) for w in wants]
    return list(zip(parts, widths, strict=True))


def _jobs(socks: Sequence[socket.socket], settings: Any, shares: Sequence[Share], titled: Collection[str],
          resume: Mapping[str, Any] | None) -> dict[socket.socket, bytes]:
    """Each share's job for one helper (framed); the helpers left idle get none. A share alone in its round
    owns every host (``stage.check_share``'s ``alone``)."""
    alone = len(shares) == 1
    return {sock: _frame((settings, urls, [u for u in urls if u in titled], width,
                          {u: resume[u] for u in urls if u in resume} if resume else {}, alone))
            for sock, (urls, width) in zip(socks, shares, strict=False)}


def partition(urls: Sequence[str], count: int, key: Callable[[str], str] | None = None) -> list[list[str]]:
    """``urls`` in at most ``count`` partitions, each host's URLs all in one, the busiest hosts spread first
    (each to the partition with the fewest URLs so far); URLs keep their order within a partition. ``key``
    gives the host of a URL's next request, if not the URL's own (``stage._key_of``)."""
    of = key or host_of
    by_host: dict[str, list[str]] = {}
    for url in urls:
        by_host.setdefault(of(url), []).append(url)
    parts: list[list[str]] = [[] for _ in range(min(count, len(by_host)))]
    for host_urls in sorted(by_host.values(), key=len, reverse=True):
        min(parts, key=len).extend(host_urls)
    return [p for p in parts if p]


def host_of(url: str) -> str:
    """The host a URL's requests take slots of (``Limiter.slot``), without parsing it in full."""
    netloc = url.partition("//")[2].partition("/")[0].partition("?")[0].partition("#")[0]
    host = netloc.rpartition("@")[2].lower()
    if host.startswith("["):
        return host.partition("]")[0] + "]"
    return host.partition(":")[0]


# ---------------------------------------------------------------- the helper's side


def _helper(socks: list[socket.socket]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C; we end when it closes our socket
    # Hold none of the parent's standard streams: a reader of its output waits for every holder to close.
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1) if os.environ.get("VERIFIER_DEBUG") else (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    import gc

    _load_network_stack()
    gc.freeze()  # the modules just imported are old: the collector never rescans them
    siblings = []
    for sock in socks[1:]:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                for other in socks:
                    if other is not sock:
                        other.close()
                _serve(sock)
                code = 0
            finally:
                os._exit(code)
        siblings.append(pid)
        sock.close()
    try:
        _serve(socks[0])
    finally:
        for pid in siblings:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def _load_network_stack() -> None:
    """The network stack imported, and the certificate store read, once for every sibling: the stage, httpx
    and our HTTP/1.1 client (``wire``). aiohttp, which carries requests made through httpx's API, is not
    needed to check links and is imported only should such a request be made."""
    from verifier.net import stage, wire  # noqa: F401
    from verifier.net.client import tls_context

    tls_context()


def _serve(sock: socket.socket) -> None:
    """Check each share the parent sends until it closes the socket."""
    from verifier.net.stage import check_share

    while True:
        job = _receive(sock)
        if job is None:
            return
        settings, urls, titled, concurrency, resume, alone = job

        try:
            check_share(settings, urls, titled, concurrency, _sender(sock), resume=resume, gone=lambda: _closed(sock),
                        alone=alone)
        except BrokenPipeError:
            return  # the parent is gone
        except Exception:
            if os.environ.get("VERIFIER_DEBUG"):
                import traceback

                traceback.print_exc()
            return  # the parent checks what was not reported


def _sender(sock: socket.socket) -> Callable[..., None]:
    """``check_share``'s ``emit``: each batch framed and sent, in order, without ever waiting for the parent.

    A parent busy elsewhere (a job begun before its network stage, while it runs the rules) reads nothing for a
    while; a blocking send into its full socket would stop this helper's event loop, and requests whose
    answers came in meanwhile could then time out. What the socket does not take now waits here and goes
    with the next batch; the last batch is sent whole (the helper has nothing left to do).
    """
    backlog = bytearray()

    def emit(found: dict[str, Any], seen: Any, last: bool = False) -> None:
        backlog.extend(_frame(("end" if last else "batch", found, seen)))
        if last:
            sock.sendall(backlog)
            backlog.clear()
            return
        try:
            sent = sock.send(backlog, socket.MSG_DONTWAIT)
        except BlockingIOError:
            return
        del backlog[:sent]

    return emit


def _closed(sock: socket.socket) -> bool:
    """Whether the other end closed the socket (its end read, nothing taken from it)."""
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def _frame(value: Any) -> bytes:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(data)) + data


def _receive(sock: socket.socket) -> Any:
    """The next message (blocking), or None when the other end closed."""
    head = _exactly(sock.recv, _HEADER.size)
    if head is None:
        return None
    body = _exactly(sock.recv, _HEADER.unpack(head)[0])
    return None if body is None else pickle.loads(body)


def _exactly(recv: Callable[[int], bytes], size: int) -> bytes | None:
    chunks = []
    while size:
        chunk = recv(min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


async def _read(loop: asyncio.AbstractEventLoop, sock: socket.socket) -> Any:
    """``_receive`` on the event loop."""

    async def exactly(size: int) -> bytes | None:
        chunks = []
        while size:
            chunk = await loop.sock_recv(sock, min(size, 1 << 20))
            if not chunk:
                return None
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    head = await exactly(_HEADER.size)
    if head is None:
        return None
    body = await exactly(_HEADER.unpack(head)[0])
    return None if body is None else pickle.loads(body)
