"""A loopback origin server that plays every case a link checker meets.

Started by the tests (``tests/conftest.py``), never by verifier. Each path is
one behaviour; the server records every request (method, path, User-Agent) and
the largest number of requests it had in flight at once, so tests can assert
"requested once", "never contacted" and "no more than 4 at a time".
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from typing import Any

from tests.servers.inflight import LeavesOnAnswer

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{heading}</h1><p>{text}</p></body></html>"""


def page(title: str, heading: str | None = None, text: str = "Some text of the page.") -> bytes:
    return PAGE.format(title=title, heading=heading or title, text=text).encode()


class Origin(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), _Handler)
        self.lock = threading.RLock()  # re-entrant: an answer sent under the lock leaves the in-flight count under it too
        self.log: list[tuple[str, str, str]] = []
        self.hits: Counter[str] = Counter()
        self.in_flight: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        """Most requests in flight at once, per first path segment (``/slow/1`` counts under ``slow``)."""
        self.delay = 0.0
        self.pages: dict[str, tuple[int, bytes, str]] = {}
        """Path → (status, body, content type): pages a test serves besides the built-in cases."""
        self.redirects: dict[str, tuple[int, str]] = {}
        """Path → (status, Location): redirects a test sets up (to another host, say)."""
        self.gate: Callable[[str], None] | None = None
        """Called with the path before each answer (a test holds answers back with it)."""
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def handle_error(self, request: Any, client_address: Any) -> None:  # a client hanging up is not news
        pass

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def reset(self) -> None:
        with self.lock:
            self.log.clear()
            self.hits.clear()
            self.peak.clear()
            self.pages.clear()
            self.redirects.clear()
            self.gate = None

    def requests_for(self, path: str) -> list[str]:
        with self.lock:
            return [m for m, p, _ in self.log if p == path]

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(LeavesOnAnswer):
    server: Origin
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    # -------------------------------------------------------------- plumbing

    def _serve(self, head: bool) -> None:
        srv = self.server
        path = self.path.split("?", 1)[0]
        if path.startswith("http://"):  # absolute form: we are being used as a forward proxy
            path = "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
        with srv.lock:
            srv.log.append((self.command, self.path, self.headers.get("User-Agent", "")))
            srv.hits[path] += 1
            count = srv.hits[path]
            group = path.strip("/").split("/", 1)[0]
            srv.in_flight[group] += 1
            srv.peak[group] = max(srv.peak[group], srv.in_flight[group])

        def leave() -> None:
            with srv.lock:
                srv.in_flight[group] -= 1

        self.leave = leave
        try:
            if srv.delay:
                time.sleep(srv.delay)
            if srv.gate is not None:
                srv.gate(path)
            self._route(path, head, count)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self.left()

    def _send(self, status: int, body: bytes = b"", head: bool = False, **headers: str) -> None:
        self.send_response(status)
        headers.setdefault("Content-Type", "text/html; charset=utf-8")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _redirect(self, status: int, location: str, head: bool) -> None:
        self._send(status, b"", head, Location=location)

    # -------------------------------------------------------------- the cases

    def _route(self, path: str, head: bool, count: int) -> None:
        if path in self.server.redirects:
            status, location = self.server.redirects[path]
            return self._redirect(status, location, head)
        if path in self.server.pages:
            status, body, kind = self.server.pages[path]
            return self._send(status, body, head, Content_Type=kind)
        if path == "/":
            return self._send(200, page("Example Site — Home", text="Welcome to the front page."), head)
        if path in ("/ok", "/ok2", "/ok3"):
            return self._send(200, page("Nationalism and Regional Security"), head)
        if path.startswith("/page/") and path[6:].isdigit():
            return self._send(200, page(f"Page {path[6:]}", text=f"The text of page {path[6:]}."), head)
        if path == "/pdf":
            return self._send(200, b"%PDF-1.4 ...", head, Content_Type="application/pdf")
        if path == "/moved301":
            return self._redirect(301, "/moved308", head)
        if path == "/moved308":
            return self._redirect(308, "/ok", head)
        if path == "/temp302":
            return self._redirect(302, "/ok", head)
        if path == "/loop/a":
            return self._redirect(302, "/loop/b", head)
        if path == "/loop/b":
            return self._redirect(302, "/loop/a", head)
        if path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            return self._redirect(302, f"/chain/{n + 1}", head)
        if path == "/missing":
            return self._send(404, page("404 Not Found"), head)
        if path == "/gone":
            return self._send(410, page("Gone"), head)
        if path == "/ratelimited":
            if count == 1:
                return self._send(429, b"slow down", head, Retry_After="1")
            return self._send(200, page("Finally"), head)
        if path == "/flaky":
            if count == 1:
                return self._send(503, b"try again", head)
            return self._send(200, page("Back again"), head)
        if path == "/always503":
            return self._send(503, b"down", head)
        if path == "/forbidden":
            return self._send(403, page("Access denied"), head)
        if path == "/ua-check":
            agent = self.headers.get("User-Agent", "")
            if not agent or agent.startswith(("python-httpx", "python-requests", "Python-urllib")):
                return self._send(403, page("Bots not welcome"), head)
            return self._send(200, page("Welcome, polite checker"), head)
        if path == "/no-head":
            if head:
                return self._send(405, b"", head, Allow="GET")
            return self._send(200, page("Only GET here"), head)
        if path == "/hang":
            time.sleep(30)
            return None
        if path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            if head:
                return None
            self.wfile.write(b"<html><head><title>Dripping page</title></head><body>")
            self.wfile.flush()
            for _ in range(600):
                time.sleep(0.05)
                self.wfile.write(b"x")
                self.wfile.flush()
            return None
        if path == "/huge":
            size = 200 * 1024 * 1024
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            if head:
                return None
            chunk = b"<p>" + b"a" * 65533
            sent = 0
            self.wfile.write(b"<html><head><title>Nationalism and Regional Security</title></head><body>")
            while sent < size - 100:
                self.wfile.write(chunk)
                sent += len(chunk)
            return None
        if path.startswith("/soft/"):
            # A site that answers every path under /soft/ with 200 and its error page.
            if path == "/soft/real-article":
                return self._send(200, page("A Real Article on Regional Security", text="Long text " * 50), head)
            return self._send(200, page("Oops! We couldn't find that page", "Sorry",
                                        "The page you asked for is not here. Try searching."), head)
        if path == "/removed-article":
            return self._send(200, page("Article no longer available", text="This story was removed."), head)
        if path == "/old-section/story":
            return self._redirect(301, "/", head)
        if path == "/moved-elsewhere":
            return self._redirect(301, "/new-topic", head)
        if path == "/new-topic":
            return self._send(200, page("Something Else Entirely: Cooking Recipes"), head)
        if path.startswith("/slow/") and path[6:].isdigit():
            time.sleep(0.15)
            return self._send(200, page("Slow but fine"), head)
        if path == "/to-private":
            return self._redirect(302, "http://169.254.169.254/latest/meta-data/", head)
        if path == "/reset":
            self.connection.shutdown(socket.SHUT_RDWR)
            return None
        if path == "/to-private-spelling":
            return self._redirect(302, "http://2852039166/latest/meta-data/", head)
        if path == "/retry-much-later":  # asks for an hour: never waited for
            return self._send(429, b"come back in an hour", head, Retry_After="3600")
        if path == "/unavailable-much-later":
            return self._send(503, b"maintenance", head, Retry_After="3600")
        if path == "/bad-status-line":
            self.wfile.write(b"HTTP/1.1 whatever this is\r\nContent-Length: 0\r\n\r\n")
            self.close_connection = True
            return None
        if path == "/bad-location":
            return self._redirect(302, "http://[not-an-address/", head)
        if path == "/no-location":
            return self._send(302, b"", head)
        return self._send(404, page("404 Not Found"), head)


def cross_host_redirects(a: Origin, b: Origin, count: int = 10) -> list[str]:
    """URLs on two hosts whose redirects go back and forth between them (under ``/x/``, counted as one group in
    ``peak``): ``count`` pages of ``a`` moved to ``b``, ``count`` pages of ``b`` itself, a chain that changes
    host at every hop and ends on a page, a loop across the two hosts, and a chain longer than the redirect
    limit (10) across them. Returns the URLs to check."""
    html = "text/html; charset=utf-8"
    urls = []
    for i in range(count):
        a.redirects[f"/x/a{i}"] = (302, b.url(f"/x/b{i}"))
        b.pages[f"/x/b{i}"] = (200, page(f"Moved page {i}"), html)
        b.pages[f"/x/c{i}"] = (200, page(f"Page {i}"), html)
        urls += [a.url(f"/x/a{i}"), b.url(f"/x/c{i}")]
    hosts = (a, b)
    for n in range(4):
        hosts[n % 2].redirects[f"/x/p{n}"] = (301, hosts[(n + 1) % 2].url(f"/x/p{n + 1}"))
    a.pages["/x/p4"] = (200, page("The end of the chain"), html)
    a.redirects["/x/l0"] = (302, b.url("/x/l1"))
    b.redirects["/x/l1"] = (302, a.url("/x/l0"))
    for n in range(12):
        hosts[n % 2].redirects[f"/x/m{n}"] = (302, hosts[(n + 1) % 2].url(f"/x/m{n + 1}"))
    b.redirects["/x/q"] = (302, a.url("/x/a0"))
    return [*urls, a.url("/x/p0"), a.url("/x/l0"), a.url("/x/m0"), b.url("/x/q")]
