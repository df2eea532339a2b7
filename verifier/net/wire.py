"""The link checker's own HTTP/1.1 client, on asyncio's protocols, under httpx's API.

Why a client of our own: checking a link is a HEAD or a GET with fixed headers, no request body, no cookies,
no proxy, redirects followed by the checker — and on a fast network the link stage is CPU-bound
(``benchmarks/links.py``). aiohttp's client session, the fastest general client we measured, spends most of
its time per request in machinery a link check does not use (tracing hooks, cookie and auth handling, timeouts
per request, its connector's bookkeeping), and importing it costs about 75 ms on the way to the first request.
What is left is small enough to write and hold to the protocol: a pool of keep-alive connections per
(scheme, host, port), names resolved once per run, Happy Eyeballs across addresses (RFC 8305's 250 ms),
TLS with the process's one verifying context, responses framed by Content-Length, chunked or by the end of
the connection, 1xx answers skipped, gzip and deflate decoded.

What it leaves to others: every request through httpx's API (``DirectTransport.handle_async_request``:
archives, registries, Save Page Now, which send other methods, bodies and headers) goes to the aiohttp
transport, made on first use; a proxy's transport is aiohttp's too (``WireClient``). ``links.dispatcher``
sends the checker's requests here only when the client's transport for the URL is ``DirectTransport``.

Failures are raised as the exceptions ``links.classify`` reads: the resolver's ``socket.gaierror``,
``ConnectionRefusedError`` and the other ``OSError``\\ s of the connection, ``ssl.SSLError``,
``ServerDisconnected`` (a reset) and ``BadStatusLine``. Nothing waits without bound here: the checker's
``Deadlines`` bounds every request, and cancelling a request closes its connection.
"""

from __future__ import annotations

import asyncio
import base64
import errno
import ipaddress
import re
import socket
import ssl
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from typing import Any

import httpx

MAX_HEAD = 64 * 1024
"""The most bytes of status line and headers read before the answer is called malformed (aiohttp: 8 KiB a
line, llhttp: 80 KiB in all)."""
_CHUNK = 64 * 1024
_HIGH_WATER = 1024 * 1024
"""Reading from the socket pauses while this much is buffered and not yet taken (a body the checker does not
want is never read whole)."""
HAPPY_EYEBALLS = 0.25
"""Seconds before the next address of a name is tried while the previous one is still connecting (RFC 8305)."""
DNS_TTL = 60.0
"""Seconds a name's addresses are reused for new connections (a run asks each host many times)."""
_UNREACHABLE = frozenset(getattr(errno, name) for name in ("ENETUNREACH", "EHOSTUNREACH", "EADDRNOTAVAIL",
                                                            "EAFNOSUPPORT") if hasattr(errno, name))
_STATUS = re.compile(r"HTTP/1\.([01]) ([0-9]{3})(?: .*)?")


class ServerDisconnected(ConnectionResetError):
    """The server closed the connection before its answer was complete."""


class BadStatusLine(Exception):
    """The server's first line is not an HTTP/1.x status line (``links.classify``: a malformed status line)."""


class WireProtocolError(Exception):
    """An answer that breaks HTTP/1.1's framing: headers too long, a bad chunk size, a bad Content-Length."""


class PrivateAddress(Exception):
    """A name that resolved, when the connection was to be made, to an address the guard forbids: the request
    is not sent (``links.classify``: refused by the guard)."""


class Headers(dict[str, str]):
    """Response headers under lower-case names, looked up case-insensitively (as ``httpx.Headers``); a header
    sent more than once is joined with commas."""

    __slots__ = ()

    def get(self, key: str, default: Any = None) -> Any:
        return dict.get(self, key.lower(), default)

    def __getitem__(self, key: str) -> str:
        return dict.__getitem__(self, key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and dict.__contains__(self, key.lower())


class _Connection(asyncio.Protocol):
    """One TCP (or TLS) connection: what arrives is buffered; a reader waits on ``more``."""

    __slots__ = ("buffer", "closed", "error", "idle_since", "paused", "transport", "waiter")

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.waiter: asyncio.Future[None] | None = None
        self.closed = False
        self.error: BaseException | None = None
        self.paused = False
        self.idle_since = 0.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > _HIGH_WATER and not self.paused and self.transport is not None:
            self.paused = True
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        self.closed = True
        self._wake()
        return False  # the transport closes itself

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.error = exc
        self._wake()

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None:
            self.waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def more(self) -> asyncio.Future[None]:
        """To be awaited until more bytes arrived or the connection ended (the caller looks at which): a future,
        not a coroutine (one frame fewer for every answer)."""
        if self.paused and self.transport is not None:
            self.paused = False
            self.transport.resume_reading()
        waiter = self.waiter = asyncio.get_running_loop().create_future()
        return waiter

    async def filled(self) -> bool:
        """Wait until something is buffered: False when the connection ended with nothing left to read."""
        while not self.buffer:
            if self.closed:
                return False
            await self.more()
        return True

    def take(self, size: int) -> bytes:
        buffer = self.buffer
        data = bytes(buffer[:size])
        del buffer[:size]
        if self.paused and len(buffer) < _HIGH_WATER // 2 and self.transport is not None:
            self.paused = False
            self.transport.resume_reading()
        return data

    def cut_short(self, what: str) -> BaseException:
        if isinstance(self.error, OSError):
            return self.error
        return ServerDisconnected(f"the server closed the connection {what}")

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    @property
    def usable(self) -> bool:
        """Idle, open, and nothing arrived unasked (a server that closed it sends EOF first)."""
        return not self.closed and not self.buffer and self.transport is not None \
            and not self.transport.is_closing()


Key = tuple[str, str, int]


class Wire:
    """The pool: idle keep-alive connections per (scheme, host, port), the names resolved, the request head's
    fixed part. One per client; used from one event loop at a time (a new loop starts with an empty pool)."""

    def __init__(self, context: ssl.SSLContext, keepalive: float = 5.0, max_idle: int = 100,
                 allow_private: bool = True) -> None:
        self.context = context
        self.allow_private = allow_private
        """False: a name is connected to only when none of its addresses is one the guard forbids, as resolved
        for the connection itself — a name that resolved to a public address when the guard asked and to a
        private one now (DNS rebinding) is refused here (``PrivateAddress``)."""
        self.keepalive = keepalive
        self.max_idle = max_idle
        """Idle connections kept per (scheme, host, port) at most."""
        self._fixed = b"Accept-Encoding: gzip, deflate\r\n"
        self._idle: dict[Key, list[_Connection]] = {}
        self._names: dict[tuple[str, int], tuple[float, list[tuple[Any, ...]]]] = {}
        self._resolving: dict[tuple[str, int], asyncio.Future[list[tuple[Any, ...]]]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def use_headers(self, headers: Mapping[str, str]) -> None:
        """Send ``headers`` (the client's: User-Agent, Accept …) with every request; the body encodings
        offered are the two decoded here."""
        skip = {"host", "connection", "accept-encoding", "content-length", "transfer-encoding"}
        fixed = "".join(f"{k}: {v}\r\n" for k, v in headers.items() if k.lower() not in skip)
        self._fixed = (fixed + "Accept-Encoding: gzip, deflate\r\n").encode("latin-1")

    # ------------------------------------------------------------------ a request

    async def send(self, method: str, url: httpx.URL) -> WireResponse:
        """Send ``method`` (HEAD or GET) for ``url`` and return once the answer's head has arrived; its body is
        read from the response (``aiter_bytes``), which must be closed (``aclose``)."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self.close()  # (a pool is bound to the loop its connections were made on)
            self._loop = loop
        scheme = url.scheme
        if scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"cannot request a {scheme!r} URL")
        host = url.raw_host.decode("ascii")
        port = url.port or (443 if scheme == "https" else 80)
        head = self._head(method, url)
        key = (scheme, host, port)
        while True:
            conn = self._reuse(key, loop.time())
            fresh = conn is None
            if conn is None:
                conn = await self._connect(scheme, host, port)
            try:
                assert conn.transport is not None
                conn.transport.write(head)
                while True:  # (1xx answers skipped)
                    status, version, headers = await _read_head(conn)
                    if status >= 200 or status == 101:
                        return _response(conn, method, key, self, status, version, headers)
            except (ConnectionResetError, BrokenPipeError):  # (ServerDisconnected among them)
                conn.close()
                if fresh or conn.buffer:
                    raise
                # A kept-alive connection the server had closed (or reset) just as we reused it, before a byte
                # of the answer: once more, on a new one.
            except BaseException:
                conn.close()
                raise

    def _head(self, method: str, url: httpx.URL) -> bytes:
        target = url.raw_path
        if not target.startswith(b"/"):
            target = b"/" + target
        parts = [method.encode("ascii"), b" ", target, b" HTTP/1.1\r\nHost: ", url.netloc, b"\r\n", self._fixed]
        if url.userinfo:  # credentials in the cited URL, sent as a browser would (Basic)
            token = base64.b64encode(f"{url.username}:{url.password or ''}".encode()).decode("ascii")
            parts.append(f"Authorization: Basic {token}\r\n".encode("ascii"))
        parts.append(b"\r\n")
        return b"".join(parts)

    def release(self, key: Key, conn: _Connection) -> None:
        """An answer read to its end on a connection the server keeps open: to the pool."""
        if not conn.usable:
            conn.close()
            return
        idle = self._idle.setdefault(key, [])
        if len(idle) >= self.max_idle:
            conn.close()
            return
        conn.idle_since = self._loop.time() if self._loop is not None else 0.0
        idle.append(conn)

    def _reuse(self, key: Key, now: float) -> _Connection | None:
        idle = self._idle.get(key)
        while idle:
            conn = idle.pop()
            if conn.usable and now - conn.idle_since < self.keepalive:
                return conn
            conn.close()
        return None

    def close_idle(self, host: str) -> None:
        """Close the idle connections to ``host`` (every scheme and port): nothing more is to be asked of it."""
        host = host.strip("[]")
        for key in [k for k in self._idle if k[1] == host]:
            for conn in self._idle.pop(key):
                conn.close()

    def close(self) -> None:
        """Close every idle connection (those of an earlier event loop are only dropped)."""
        idle, self._idle = self._idle, {}
        self._names.clear()
        self._resolving.clear()
        for conns in idle.values():
            for conn in conns:
                try:
                    conn.close()
                except RuntimeError:  # its loop is closed: the socket goes with the transport
                    pass

    # ------------------------------------------------------------------ connecting

    async def _connect(self, scheme: str, host: str, port: int) -> _Connection:
        loop = asyncio.get_running_loop()
        infos = await self._addresses(host, port)
        sock = await _first_connected(infos)
        conn = _Connection()
        tls = scheme == "https"
        try:
            await loop.create_connection(lambda: conn, sock=sock, ssl=self.context if tls else None,
                                         server_hostname=host if tls else None)
        except BaseException:
            sock.close()
            raise
        return conn

    async def _addresses(self, host: str, port: int) -> list[tuple[Any, ...]]:
        literal = _literal(host)
        if literal is not None:
            family = socket.AF_INET6 if literal.version == 6 else socket.AF_INET
            address: tuple[Any, ...] = (host, port, 0, 0) if family == socket.AF_INET6 else (host, port)
            return [(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", address)]
        loop = asyncio.get_running_loop()
        name = (host, port)
        known = self._names.get(name)
        if known is not None and known[0] > loop.time():
            return known[1]
        pending = self._resolving.get(name)
        if pending is None:  # one lookup for every connection waiting on the name
            pending = self._resolving[name] = asyncio.ensure_future(
                loop.getaddrinfo(host, port, type=socket.SOCK_STREAM))
            pending.add_done_callback(lambda _: self._resolving.pop(name, None))
        infos = await asyncio.shield(pending)
        if not infos:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if not self.allow_private:
            from verifier.net.guard import PRIVATE, is_forbidden_ip

            bad = next((str(i[4][0]) for i in infos if is_forbidden_ip(str(i[4][0]))), None)
            if bad is not None:
                raise PrivateAddress(f"{PRIVATE} ({host} resolves to {bad} when connecting); not fetched "
                                     "(use --allow-private to check it)")
        self._names[name] = (loop.time() + DNS_TTL, infos)
        return infos


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not host or (host[-1] > "9" and ":" not in host):
        return None  # (a name: the last label of a host name is not a number)
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _interleaved(infos: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The addresses alternating between families, the resolver's first family first (RFC 8305 §4)."""
    if len(infos) < 2:
        return infos
    first = infos[0][0]
    ours = [i for i in infos if i[0] == first]
    others = [i for i in infos if i[0] != first]
    out: list[tuple[Any, ...]] = []
    for n in range(max(len(ours), len(others))):
        out.extend(group[n] for group in (ours, others) if n < len(group))
    return out


async def _open(info: tuple[Any, ...]) -> socket.socket:
    family, kind, proto, _, address = info
    sock = socket.socket(family, kind, proto)
    try:
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, address)
    except BaseException:
        sock.close()
        raise
    return sock


async def _first_connected(infos: list[tuple[Any, ...]]) -> socket.socket:
    """A connected socket to the first address that answers: each next address tried when the one before
    failed or has not connected within ``HAPPY_EYEBALLS`` seconds; the first error when none connects."""
    order = _interleaved(infos)
    if len(order) == 1:
        return await _open(order[0])
    loop = asyncio.get_running_loop()
    attempts: list[asyncio.Task[socket.socket]] = []
    errors: list[BaseException] = []
    try:
        while order or attempts:
            if order:
                attempts.append(loop.create_task(_open(order.pop(0))))
            done, _ = await asyncio.wait(attempts, timeout=HAPPY_EYEBALLS if order else None,
                                         return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                attempts.remove(task)
                error = task.exception()
                if error is None:
                    return task.result()
                errors.append(error)
        # The most telling failure: one family's "network unreachable" (no IPv6 route here, say) says nothing
        # of the host when its other addresses refused or timed out.
        raise next((e for e in errors if getattr(e, "errno", None) not in _UNREACHABLE), errors[0])
    finally:
        for task in attempts:  # the slower ones: cancelled, or closed should they connect all the same
            task.cancel()
            task.add_done_callback(_close_result)


def _close_result(task: asyncio.Task[socket.socket]) -> None:
    if not task.cancelled() and task.exception() is None:
        task.result().close()


# ---------------------------------------------------------------------- the answer


def _response(conn: _Connection, method: str, key: Key, wire: Wire, status: int, version: str,
              headers: Headers) -> WireResponse:
    """The answer whose head was read, its body framed."""
    keep = "close" not in headers.get("connection", "").lower() if version == "1" else \
        "keep-alive" in headers.get("connection", "").lower()
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        return WireResponse(status, headers, conn, wire, key, length=0, keep=keep)
    coding = headers.get("transfer-encoding")
    if coding is not None and "chunked" in coding.lower():
        return WireResponse(status, headers, conn, wire, key, length=None, chunked=True, keep=keep)
    size = headers.get("content-length")
    if size is not None:
        values = {v.strip() for v in size.split(",")}
        if len(values) != 1 or not next(iter(values)).isdigit():
            raise WireProtocolError(f"bad Content-Length: {size[:40]!r}")
        return WireResponse(status, headers, conn, wire, key, length=int(next(iter(values))), keep=keep)
    return WireResponse(status, headers, conn, wire, key, length=None, keep=False)  # to the end of the connection


async def _read_head(conn: _Connection) -> tuple[int, str, Headers]:
    start = 0
    while True:
        buffer = conn.buffer
        end = buffer.find(b"\r\n\r\n", start)
        lf = buffer.find(b"\n\n", start, end if end >= 0 else len(buffer))  # a server ending lines with LF
        if lf >= 0:
            end, size = lf, lf + 2
            break
        if end >= 0:
            size = end + 4
            break
        if len(buffer) > MAX_HEAD:
            raise WireProtocolError(f"the answer's headers are longer than {MAX_HEAD // 1024} KiB")
        if conn.closed:
            if not buffer:
                raise conn.cut_short("without answering")
            if not buffer.startswith(b"HTTP/"):
                raise BadStatusLine(f"Bad status line {bytes(buffer[:40])!r}")
            raise conn.cut_short("in the middle of the answer's headers")
        start = max(0, len(buffer) - 3)
        await conn.more()
    if end > MAX_HEAD:
        raise WireProtocolError(f"the answer's headers are longer than {MAX_HEAD // 1024} KiB")
    head = conn.take(size)[:end]
    try:  # a Location with the URL's UTF-8 bytes as they are (httpx and aiohttp read them so too)
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = head.decode("latin-1")
    lines = text.split("\n")
    line = lines[0].rstrip("\r")
    match = _STATUS.fullmatch(line)
    if match is None:
        raise BadStatusLine(f"Bad status line {line[:40]!r}")
    headers = Headers()
    name = ""
    for raw in lines[1:]:
        if raw[:1] in (" ", "\t") and name:  # an obsolete folded continuation
            headers[name] = f"{headers[name]} {raw.strip()}"
            continue
        field, colon, value = raw.partition(":")
        if not colon:
            continue
        name = field.strip().lower()
        value = value.strip()
        if name in headers:
            headers[name] = f"{dict.__getitem__(headers, name)}, {value}"
        else:
            dict.__setitem__(headers, name, value)
    return int(match.group(2)), match.group(1), headers


class WireResponse:
    """An answer with the members of ``httpx.Response`` the link checker uses: ``status_code``, ``headers``,
    ``aiter_bytes`` (the body decoded, as it arrives) and ``aclose`` (the connection back to the pool when the
    body was read to its end, or is already here whole; else closed)."""

    __slots__ = ("_chunk_left", "_chunked", "_conn", "_done", "_keep", "_key", "_left", "_wire", "headers",
                 "status_code")

    def __init__(self, status: int, headers: Headers, conn: _Connection, wire: Wire, key: Key, *,
                 length: int | None, chunked: bool = False, keep: bool) -> None:
        self.status_code = status
        self.headers: Mapping[str, str] = headers
        self._conn: _Connection | None = conn
        self._wire = wire
        self._key = key
        self._left = length
        self._chunked = chunked
        self._chunk_left = 0
        self._keep = keep
        self._done = length == 0

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        decode = _decoder(self.headers.get("content-encoding"))
        async for data in self._raw():
            if decode is None:
                yield data
                continue
            for piece in decode(data):
                if piece:
                    yield piece

    async def _raw(self) -> AsyncIterator[bytes]:
        conn = self._conn
        if conn is None:
            return
        while not self._done:
            if self._chunked:
                data = await self._next_chunk(conn)
            elif self._left is not None:
                if not conn.buffer and not await conn.filled():
                    raise conn.cut_short("in the middle of the body")
                data = conn.take(min(len(conn.buffer), self._left, _CHUNK))
                self._left -= len(data)
                self._done = self._left == 0
            else:  # to the end of the connection
                if not conn.buffer and not await conn.filled():
                    self._done = True
                    return
                data = conn.take(min(len(conn.buffer), _CHUNK))
            if data:
                yield data

    async def _next_chunk(self, conn: _Connection) -> bytes:
        while True:
            if self._chunk_left > 0:
                if not conn.buffer and not await conn.filled():
                    raise conn.cut_short("in the middle of a chunk")
                data = conn.take(min(len(conn.buffer), self._chunk_left, _CHUNK))
                self._chunk_left -= len(data)
                if not self._chunk_left:
                    self._chunk_left = -1  # the chunk's CRLF is next
                return data
            line = await _line(conn)
            if self._chunk_left == -1:  # the CRLF after a chunk's data
                self._chunk_left = 0
                if line.strip():
                    raise WireProtocolError("a chunk longer than its size")
                continue
            if self._chunk_left == -2:  # trailers, up to an empty line
                if not line.strip():
                    self._done = True
                    return b""
                continue
            digits = line.split(b";", 1)[0].strip()
            try:
                size = int(digits, 16)
            except ValueError:
                raise WireProtocolError(f"bad chunk size {bytes(digits[:20])!r}") from None
            if size < 0:
                raise WireProtocolError("bad chunk size")
            self._chunk_left = size if size else -2

    def _complete(self) -> bool:
        """Whether the rest of the body is already here (taken, then, so the connection can serve again)."""
        conn = self._conn
        if self._done or conn is None:
            return self._done
        if not self._chunked and self._left is not None and len(conn.buffer) >= self._left:
            conn.take(self._left)
            self._left = 0
            self._done = True
        return self._done

    async def aclose(self) -> None:
        conn = self._conn
        if conn is None:
            return
        reusable = self._keep and self._complete() and not conn.buffer
        self._conn = None
        if reusable:
            self._wire.release(self._key, conn)
        else:
            conn.close()


async def _line(conn: _Connection, limit: int = 8192) -> bytes:
    while True:
        end = conn.buffer.find(b"\n")
        if end >= 0:
            return conn.take(end + 1).rstrip(b"\r\n")
        if len(conn.buffer) > limit:
            raise WireProtocolError("a chunk-size line too long")
        if conn.closed:
            raise conn.cut_short("in the middle of a chunked body")
        await conn.more()


def _decoder(coding: str | None) -> Callable[[bytes], Iterable[bytes]] | None:
    """A decoder for the body's Content-Encoding (gzip or deflate, the two asked for), or None for none.

    Output comes in pieces of at most ``_CHUNK`` bytes however much a piece of input inflates to, so a reader
    that stops early (the checker stops at its ``max_body``) never inflates a compressed bomb whole.
    """
    coding = (coding or "").strip().lower()
    if coding in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif coding == "deflate":
        inflater = zlib.decompressobj()  # zlib-wrapped, as the standard says; raw deflate is tried below
    else:
        return None
    first = coding == "deflate"

    def decode(data: bytes) -> Iterable[bytes]:
        nonlocal inflater, first
        if first and data:
            first = False
            if len(data) < 2 or data[0] & 0x0F != 8 or (data[0] << 8 | data[1]) % 31:
                inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate without zlib's header, as some send
        piece = inflater.decompress(data, _CHUNK)
        yield piece
        while inflater.unconsumed_tail:
            yield inflater.decompress(inflater.unconsumed_tail, _CHUNK)

    return decode


# ---------------------------------------------------------------------- under httpx's API


class DirectTransport(httpx.AsyncBaseTransport):
    """A client's transport when no proxy is in the way: the link checker's requests take ``wire`` (through
    ``links.dispatcher``); every request made through httpx's API goes to the aiohttp transport, built on the
    first such request (and aiohttp imported only then)."""

    def __init__(self, *, verify: ssl.SSLContext | bool | str = True, limits: httpx.Limits | None = None,
                 trust_env: bool = True, cert: Any = None, allow_private: bool = True) -> None:
        from verifier.net.client import tls_context

        self._options: dict[str, Any] = {"verify": verify, "trust_env": trust_env,
                                         "limits": limits or httpx.Limits()}
        if cert is not None:
            self._options["cert"] = cert
        if isinstance(verify, ssl.SSLContext):
            context = verify
        elif verify is False:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        else:
            context = tls_context()
        keepalive = self._options["limits"].keepalive_expiry
        self.wire = Wire(context, keepalive=5.0 if keepalive is None else keepalive, allow_private=allow_private)
        self._fallback: httpx.AsyncBaseTransport | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._fallback is None:
            from verifier.net.aio import AiohttpTransportWithoutCookies

            self._fallback = AiohttpTransportWithoutCookies(**self._options)
        return await self._fallback.handle_async_request(request)

    async def aclose(self) -> None:
        self.wire.close()
        if self._fallback is not None:
            await self._fallback.aclose()


def lean_sender(transport: DirectTransport,
                headers: Mapping[str, str]) -> Callable[[str, httpx.URL], Awaitable[WireResponse]]:
    """The checker's path to ``transport``'s wire; ``headers`` are the client's (its User-Agent, Accept …)."""
    transport.wire.use_headers(headers)
    return transport.wire.send


class WireClient(httpx.AsyncClient):
    """An httpx.AsyncClient whose direct transport is ``DirectTransport`` and whose proxies' transports
    (HTTP(S)_PROXY / NO_PROXY, ``trust_env``) are aiohttp's, as httpx builds one per proxy. ``allow_private``
    is the run's ``--allow-private`` (``Wire.allow_private``)."""

    def __init__(self, *args: Any, allow_private: bool = True, **kwargs: Any) -> None:
        self._allow_private = allow_private  # (before httpx's constructor builds the transport)
        super().__init__(*args, **kwargs)

    def _init_transport(self, *args: Any, transport: httpx.AsyncBaseTransport | None = None,
                        **kwargs: Any) -> httpx.AsyncBaseTransport:
        return transport or DirectTransport(**_options(kwargs), allow_private=self._allow_private)

    def _init_proxy_transport(self, proxy: httpx.Proxy, *args: Any, **kwargs: Any) -> httpx.AsyncBaseTransport:
        from verifier.net.aio import AiohttpTransportWithoutCookies

        return AiohttpTransportWithoutCookies(proxy=proxy, **_options(kwargs))


def _options(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: kwargs[k] for k in ("verify", "cert", "trust_env", "limits") if k in kwargs}
