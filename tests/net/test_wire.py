"""Our HTTP/1.1 client (``verifier/net/wire.py``) against servers that send exactly the bytes a test gives:
framing (Content-Length, chunked, to the end of the connection), interim answers, encodings, keep-alive and
its races, malformed answers, and how its failures read to the link checker (``links.classify``)."""

from __future__ import annotations

import asyncio
import gzip
import socket
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from verifier.net import links, wire

Script = list[list[bytes | None]]
"""Per connection, in order: the answer to each request read on it; an empty answer closes the connection
once a request arrived, without answering it; None closes it at once."""


class Scripted:
    """A loopback server that answers each connection's requests with the script's bytes, and records what
    it was sent and how many connections were opened."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.connections = 0
        self.requests: list[bytes] = []
        self.server: asyncio.Server | None = None
        self.port = 0

    async def __aenter__(self) -> Scripted:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()

    def url(self, path: str = "/p") -> httpx.URL:
        return httpx.URL(f"http://127.0.0.1:{self.port}{path}")

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        answers = self.script[self.connections] if self.connections < len(self.script) else []
        self.connections += 1
        try:
            for answer in answers:
                if answer is None:
                    break
                self.requests.append(await reader.readuntil(b"\r\n\r\n"))
                if not answer:
                    break
                writer.write(answer)
                await writer.drain()
            else:
                await reader.read()  # keep the connection open until the client closes it
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def _run(test: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(test())


def _wire() -> wire.Wire:
    pool = wire.Wire(wire.ssl.create_default_context())
    pool.use_headers({"User-Agent": "verifier-test", "Accept": "text/html"})
    return pool


async def _body(response: wire.WireResponse) -> bytes:
    return b"".join([piece async for piece in response.aiter_bytes()])


async def _outcome(pool: wire.Wire, method: str, url: httpx.URL) -> tuple[str, str]:
    """("answered", the status) or the failure as the link checker names it; the pool closed after."""
    try:
        response = await pool.send(method, url)
        await response.aclose()
        return ("answered", str(response.status_code))
    except Exception as exc:
        return links.classify(exc, 5.0)
    finally:
        pool.close()


def _ok(body: bytes, *headers: str) -> bytes:
    extra = "".join(f"{h}\r\n" for h in headers)
    return f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n{extra}\r\n".encode() + body


def test_a_chunked_body_is_read_whole_and_the_connection_serves_again() -> None:
    chunked = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n"
               b"5;ext=1\r\nHello\r\n7\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n")

    async def go() -> tuple[bytes, bytes, int]:
        async with Scripted([[chunked, _ok(b"second")]]) as server:
            pool = _wire()
            first = await pool.send("GET", server.url("/a"))
            one = await _body(first)
            await first.aclose()
            again = await pool.send("GET", server.url("/b"))
            two = await _body(again)
            await again.aclose()
            pool.close()
            return one, two, server.connections

    assert _run(go) == (b"Hello, world", b"second", 1)


def test_the_request_says_the_host_the_path_and_our_headers() -> None:
    async def go() -> bytes:
        async with Scripted([[_ok(b"")]]) as server:
            pool = _wire()
            url = httpx.URL(f"http://user:p%40ss@127.0.0.1:{server.port}/x/%C3%A9?q=a%20b&r=%2F")
            response = await pool.send("HEAD", url)
            await response.aclose()
            pool.close()
            return server.requests[0]

    head = _run(go).decode("latin-1")
    lines = head.split("\r\n")
    assert lines[0] == "HEAD /x/%C3%A9?q=a%20b&r=%2F HTTP/1.1"
    assert lines[1].startswith("Host: 127.0.0.1:")
    assert "User-Agent: verifier-test" in lines and "Accept-Encoding: gzip, deflate" in lines
    assert "Authorization: Basic dXNlcjpwQHNz" in lines  # user:p@ss


@pytest.mark.parametrize("coding", ["gzip", "deflate", "raw-deflate"])
def test_a_compressed_body_is_decoded(coding: str) -> None:
    text = b"<html><title>T</title>" + b"words " * 2000
    if coding == "gzip":
        data = gzip.compress(text)
    elif coding == "deflate":
        data = zlib.compress(text)
    else:
        squeeze = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        data = squeeze.compress(text) + squeeze.flush()
    name = "deflate" if coding == "raw-deflate" else coding

    async def go() -> bytes:
        async with Scripted([[_ok(data, f"Content-Encoding: {name}")]]) as server:
            pool = _wire()
            response = await pool.send("GET", server.url())
            body = await _body(response)
            await response.aclose()
            pool.close()
            return body

    assert _run(go) == text


def test_a_compressed_bomb_comes_out_in_pieces_and_is_not_inflated_whole() -> None:
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024))

    async def go() -> list[int]:
        async with Scripted([[_ok(bomb, "Content-Encoding: gzip")]]) as server:
            pool = _wire()
            response = await pool.send("GET", server.url())
            sizes = []
            async for piece in response.aiter_bytes():
                sizes.append(len(piece))
                if sum(sizes) >= 256 * 1024:
                    break
            await response.aclose()
            pool.close()
            return sizes

    sizes = _run(go)
    assert max(sizes) <= 64 * 1024 and sum(sizes) < 1024 * 1024


def test_interim_answers_are_skipped() -> None:
    answer = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n" + _ok(b"done")

    async def go() -> tuple[int, bytes]:
        async with Scripted([[answer]]) as server:
            pool = _wire()
            response = await pool.send("GET", server.url())
            body = await _body(response)
            await response.aclose()
            pool.close()
            return response.status_code, body

    assert _run(go) == (200, b"done")


def test_a_body_to_the_end_of_the_connection_and_headers_in_any_case() -> None:
    answer = (b"HTTP/1.0 404 Not Found\nCONTENT-TYPE: text/html\nSet-Cookie: a=1\nSet-Cookie: b=2\n"
              b"X-Folded: one\n two\n\n<html>gone</html>")

    async def go() -> tuple[int, str, str, str, bytes, int]:
        async with Scripted([[answer, None], [_ok(b"")]]) as server:
            pool = _wire()
            response = await pool.send("GET", server.url())
            body = await _body(response)
            await response.aclose()
            second = await pool.send("HEAD", server.url())
            await second.aclose()
            pool.close()
            headers = response.headers
            return (response.status_code, headers.get("Content-Type"), headers["set-cookie"],
                    headers.get("x-folded"), body, server.connections)

    assert _run(go) == (404, "text/html", "a=1, b=2", "one two", b"<html>gone</html>", 2)


def test_a_kept_alive_connection_the_server_closed_is_replaced_once() -> None:
    async def go() -> tuple[int, int]:
        async with Scripted([[_ok(b"one"), b""], [_ok(b"two")]]) as server:
            pool = _wire()
            first = await pool.send("GET", server.url())
            await _body(first)
            await first.aclose()
            await asyncio.sleep(0.05)
            second = await pool.send("GET", server.url())  # its kept connection ends unanswered: a new one
            await second.aclose()
            pool.close()
            return second.status_code, server.connections

    assert _run(go) == (200, 2)


def test_an_unread_body_already_here_keeps_the_connection_and_one_still_coming_closes_it() -> None:
    big = b"x" * (3 * 1024 * 1024)

    async def go() -> int:
        async with Scripted([[b"HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\ngone", _ok(big)],
                             [_ok(b"after")]]) as server:
            pool = _wire()
            for _ in range(3):  # 404 (body here: kept), 200 with a body still coming (closed), then a new one
                response = await pool.send("GET", server.url())
                await response.aclose()
            pool.close()
            return server.connections

    assert _run(go) == 2


def test_a_host_s_idle_connections_are_closed_when_it_is_done_with_and_the_next_request_opens_one() -> None:
    async def go() -> tuple[int, int, int]:
        async with Scripted([[_ok(b"one"), _ok(b"never")], [_ok(b"two")]]) as server:
            pool = _wire()
            first = await pool.send("GET", server.url())
            await _body(first)
            await first.aclose()
            pool.close_idle("127.0.0.2")  # another host's: this one's connection stays
            kept = len(pool._idle[("http", "127.0.0.1", server.port)])
            pool.close_idle("127.0.0.1")
            gone = len(pool._idle.get(("http", "127.0.0.1", server.port), []))
            second = await pool.send("GET", server.url())
            await _body(second)
            await second.aclose()
            pool.close()
            return kept, gone, server.connections

    assert _run(go) == (1, 0, 2)


@pytest.mark.parametrize(("answer", "failure", "said"), [
    (b"", "reset", "the server closed the connection"),
    (b"SSH-2.0-OpenSSH_9.6\r\n", "protocol", "malformed status line"),
    (b"HTTP/1.1 200 OK\r\n" + b"X-Long: " + b"a" * (70 * 1024) + b"\r\n\r\n", "protocol", "longer than 64 KiB"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nhello", "protocol", "bad Content-Length"),
])
def test_a_broken_answer_is_a_failure_the_checker_can_name(answer: bytes, failure: str, said: str) -> None:
    async def go() -> tuple[str, str]:
        async with Scripted([[answer, None]]) as server:
            return await _outcome(_wire(), "GET", server.url())

    got_failure, message = _run(go)
    assert got_failure == failure and said in message


def test_a_bad_chunk_ends_the_body_with_an_error() -> None:
    answer = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\nzz\r\n"

    async def go() -> str:
        async with Scripted([[answer]]) as server:
            pool = _wire()
            response = await pool.send("GET", server.url())
            try:
                await _body(response)
            except wire.WireProtocolError as exc:
                return str(exc)
            finally:
                await response.aclose()
                pool.close()
            return "no error"

    assert _run(go) == "bad chunk size b'zz'"


def test_a_refused_connection_is_refused() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now

    async def go() -> tuple[str, str]:
        return await _outcome(_wire(), "HEAD", httpx.URL(f"http://127.0.0.1:{port}/"))

    assert _run(go) == ("refused", "connection refused")


def test_the_next_address_is_tried_when_one_fails_and_families_alternate() -> None:
    v4 = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (f"192.0.2.{i}", 80)) for i in range(3)]
    v6 = [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (f"2001:db8::{i}", 80, 0, 0)) for i in range(2)]
    order = [info[4][0] for info in wire._interleaved(v6 + v4)]
    assert order == ["2001:db8::0", "192.0.2.0", "2001:db8::1", "192.0.2.1", "192.0.2.2"]

    async def go() -> int:
        async with Scripted([[_ok(b"")]]) as server:
            closed = socket.socket()
            closed.bind(("127.0.0.1", 0))
            dead = closed.getsockname()[1]
            closed.close()
            infos = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", dead)),
                     (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", server.port))]
            sock = await wire._first_connected(infos)
            port = sock.getpeername()[1]
            sock.close()
            return port == server.port

    assert _run(go)


def test_a_name_is_resolved_once_for_many_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    async def go() -> list[int]:
        async with Scripted([[_ok(b"")], [_ok(b"")], [_ok(b"")]]) as server:
            loop = asyncio.get_running_loop()
            real = loop.getaddrinfo

            async def counted(host: str, port: int, **kwargs: Any) -> Any:
                calls.append(host)
                return await real("127.0.0.1", port, **kwargs)

            monkeypatch.setattr(loop, "getaddrinfo", counted)
            pool = _wire()
            url = httpx.URL(f"http://some-name.example:{server.port}/")
            answers = await asyncio.gather(*(pool.send("HEAD", url) for _ in range(3)))
            for answer in answers:
                await answer.aclose()
            pool.close()
            return [a.status_code for a in answers]

    assert _run(go) == [200, 200, 200]
    assert calls == ["some-name.example"]


@pytest.fixture(scope="module")
def authority() -> Any:
    trustme = pytest.importorskip("trustme")
    return trustme.CA()


def _tls_server(authority: Any, name: str) -> Any:
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert(name).configure_cert(context)
    return context


@pytest.mark.parametrize(("issued_for", "trusted", "expected"), [
    ("127.0.0.1", True, "200"),
    ("127.0.0.1", False, "tls"),  # a certificate no trusted authority signed
    ("other.example", True, "tls"),  # a certificate for another name
])
def test_tls_is_verified_against_the_context(authority: Any, issued_for: str, trusted: bool, expected: str) -> None:
    import ssl

    async def go() -> str:
        server = await asyncio.start_server(_answer_once, "127.0.0.1", 0, ssl=_tls_server(authority, issued_for))
        port = server.sockets[0].getsockname()[1]
        client = ssl.create_default_context(purpose=ssl.Purpose.SERVER_AUTH, cafile=None)
        if trusted:
            authority.configure_trust(client)
        pool = wire.Wire(client)
        try:
            response = await pool.send("GET", httpx.URL(f"https://127.0.0.1:{port}/"))
            body = await _body(response)
            await response.aclose()
            assert body == b"secure"
            return str(response.status_code)
        except Exception as exc:
            return links.classify(exc, 5.0)[0]
        finally:
            pool.close()
            server.close()

    assert _run(go) == expected


async def _answer_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(_ok(b"secure"))
        await writer.drain()
        await reader.read()
    except (asyncio.IncompleteReadError, ConnectionError, OSError):
        pass
    finally:
        writer.close()


def test_a_name_that_turns_private_when_connecting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the guard saw a public address; the connection would go to a private one."""
    async def go(allow_private: bool) -> tuple[str, str]:
        async with Scripted([[_ok(b"")]]) as server:
            loop = asyncio.get_running_loop()
            real = loop.getaddrinfo

            async def rebound(host: str, port: int, **kwargs: Any) -> Any:
                return await real("127.0.0.1", port, **kwargs)

            monkeypatch.setattr(loop, "getaddrinfo", rebound)
            pool = wire.Wire(wire.ssl.create_default_context(), allow_private=allow_private)
            return await _outcome(pool, "HEAD", httpx.URL(f"http://public-name.example:{server.port}/"))

    failure, message = _run(lambda: go(False))
    assert failure == "refused-by-guard" and message.startswith("private address (public-name.example resolves to")
    assert _run(lambda: go(True)) == ("answered", "200")


def test_a_location_in_utf_8_is_read_as_utf_8() -> None:
    answer = "HTTP/1.1 301 Moved\r\nLocation: /wiki/Straße\r\nContent-Length: 0\r\n\r\n".encode()

    async def go() -> str:
        async with Scripted([[answer]]) as server:
            pool = _wire()
            response = await pool.send("HEAD", server.url())
            await response.aclose()
            pool.close()
            return str(response.headers.get("location"))

    assert _run(go) == "/wiki/Straße"


def test_when_no_address_connects_a_refusal_tells_more_than_an_unreachable_family(
        monkeypatch: pytest.MonkeyPatch) -> None:
    async def failing(info: tuple[Any, ...]) -> socket.socket:
        if info[0] == socket.AF_INET6:
            raise OSError(wire._UNREACHABLE and next(iter(wire._UNREACHABLE)), "Network is unreachable")
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(wire, "_open", failing)
    infos = [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("2001:db8::1", 80, 0, 0)),
             (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.0.2.1", 80))]

    async def go() -> tuple[str, str]:
        try:
            await wire._first_connected(infos)
        except Exception as exc:
            return links.classify(exc, 5.0)
        return ("connected", "")

    assert _run(go) == ("refused", "connection refused")


def test_a_kept_alive_connection_the_server_resets_is_replaced_once() -> None:
    """As above, with the connection reset (RST) rather than closed: the same request on a new connection."""
    import struct

    async def go() -> tuple[int, int]:
        connections = 0

        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            nonlocal connections
            connections += 1
            first = connections == 1
            try:
                await reader.readuntil(b"\r\n\r\n")
                writer.write(_ok(b"one" if first else b"two"))
                await writer.drain()
                if first:  # the next request on this connection meets a reset
                    await reader.readuntil(b"\r\n\r\n")
                    sock = writer.get_extra_info("socket")
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    writer.transport.abort()
                else:
                    await reader.read()
            except (asyncio.IncompleteReadError, ConnectionError):
                pass
            writer.close()
            await asyncio.sleep(0)

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        url = httpx.URL(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/")
        pool = _wire()
        first = await pool.send("GET", url)
        await _body(first)
        await first.aclose()
        second = await pool.send("GET", url)
        body = await _body(second)
        await second.aclose()
        pool.close()
        server.close()
        await server.wait_closed()
        await asyncio.sleep(0.05)  # (the server's handlers see the pool's connections close)
        assert body == b"two"
        return second.status_code, connections

    assert _run(go) == (200, 2)
