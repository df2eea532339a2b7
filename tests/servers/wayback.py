"""A fake web archive on loopback, answering in the real APIs' formats.

Started by the tests, never by verifier. One server plays every archive API:

- ``GET /wayback/available?url=&timestamp=`` — the Wayback Availability API:
  ``{"url", "archived_snapshots": {"closest": {"status", "available", "url",
  "timestamp"}}}``, or ``{"archived_snapshots": {}}``. Like the real one it names
  the closest capture whatever its status (a tie goes to the later one here:
  the real API does not say, so verifier must not rely on it);
- ``GET /cdx/search/cdx?url=&output=json&fl=&filter=&from=&to=&limit=&collapse=``
  — the CDX server: a header row (the ``fl`` fields, by default
  ``["urlkey","timestamp","original","mimetype","statuscode","digest","length"]``)
  then one row per capture, ``[]`` when none; ``filter=[!]field:regex`` (a full
  match), ``from``/``to`` (1–14 digits, inclusive), ``limit`` (negative: the last
  N), ``collapse=field[:N]`` on adjacent rows;
- ``GET /web/[<timestamp>/]<url>`` — replay: a 302 to the closest capture's
  ``/web/<14 digits>/<url>``, 404 when none; a capture's own address replays
  its archived status (200 page, 404 page, 302 to its archived target);
- ``GET /timetravel/api/json/<datetime>/<url>`` — Memento TimeTravel:
  ``{"original_uri", "mementos": {"first","prev","closest","next","last":
  {"datetime": "…Z", "uri": [...]}}, "timegate_uri", "timemap_uri"}``, 404 when none;
- ``POST /save`` (form ``url=``; ``Authorization: LOW key:secret``) and
  ``GET /save/status/<job_id>`` — Save Page Now 2: ``{"url", "job_id"}`` or
  ``{"status": "error", "status_ext", "message"}`` (HTTP 200); job status
  ``{"status": "pending"}``, ``{"status": "success", "timestamp", "original_url",
  "job_id", …}`` or ``{"status": "error", "status_ext", "message", "job_id"}``.

``fail`` queues statuses to answer first per path prefix (``{"/cdx": [503]}``);
every request is logged.
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from typing import Any

from tests.servers.inflight import LeavesOnAnswer

FIELDS = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
KEY, SECRET = "test-access", "test-secret"


@dataclass
class Job:
    url: str
    polls: int = 1
    """Status requests answered "pending" before the outcome."""
    error: tuple[str, str] | None = None
    """(status_ext, message) when the capture fails."""
    timestamp: str = "20261125120000"
    http_status: int = 200
    """What the page answered the archive's crawler."""


@dataclass
class SaveOutcome:
    """What Save Page Now does with one URL: refuse it outright, or run a job that succeeds or fails."""

    refuse: tuple[str, str] | None = None
    polls: int = 1
    error: tuple[str, str] | None = None
    http_status: int = 200


@dataclass
class State:
    captures: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    """URL → [(14-digit timestamp, archived HTTP status)] in the Wayback Machine."""
    bodies: dict[tuple[str, str], tuple[bytes, str]] = field(default_factory=dict)
    """(timestamp, URL) → (archived bytes, content type) replayed for that capture (else a stub page)."""
    mementos: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """URL → [(14-digit timestamp, memento URI)] in other archives (TimeTravel)."""
    fail: dict[str, list[int]] = field(default_factory=dict)
    sloppy_availability: bool = False
    """The availability API names the earliest capture, not the closest (an API whose "closest" is not)."""
    saves: dict[str, SaveOutcome] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    log: list[tuple[str, str]] = field(default_factory=list)


class Wayback(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    allow_reuse_address = True

    def __init__(self, host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), _Handler)
        self.lock = threading.RLock()  # re-entrant: an answer sent under the lock leaves the in-flight count under it too
        self.state = State()
        self.in_flight = 0
        self.max_in_flight = 0
        self.delay = 0.0
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    # The endpoints, as verifier's settings name them.
    @property
    def endpoints(self) -> dict[str, str]:
        return {"wayback_api": f"{self.base}/wayback/available", "cdx_api": f"{self.base}/cdx/search/cdx",
                "timetravel_api": f"{self.base}/timetravel/api/json"}

    @property
    def save_api(self) -> str:
        return f"{self.base}/save"

    def snapshot(self, timestamp: str, url: str) -> str:
        return f"{self.base}/web/{timestamp}/{url}"

    def reset(self) -> None:
        with self.lock:
            self.state = State()
            self.max_in_flight = 0
            self.delay = 0.0

    def requests(self, prefix: str = "") -> list[str]:
        with self.lock:
            return [p for _, p in self.state.log if p.startswith(prefix)]

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def _dt(ts: str) -> datetime:
    return datetime.strptime(ts, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def _pad(ts: str, high: bool) -> str:
    """A 1–14 digit bound as 14 digits: ``2011`` is 20110101000000 from, 20111231235959 to."""
    if high:
        return (ts + "99991231235959"[len(ts):])[:14] if len(ts) < 4 else (ts + "1231235959"[len(ts) - 4:])[:14]
    return (ts + "00000101000000"[len(ts):])[:14] if len(ts) < 4 else (ts + "0101000000"[len(ts) - 4:])[:14]


def _closest(items: list[Any], ts: str | None, stamp: Any) -> Any:
    """Nearest ``ts`` either side, a tie to the later; the newest without ``ts``."""
    if not items:
        return None
    if not ts:
        return max(items, key=stamp)
    want = _dt(_pad(ts, False))
    return min(items, key=lambda i: (abs(_dt(stamp(i)) - want), -_dt(stamp(i)).timestamp()))


class _Handler(LeavesOnAnswer):
    server: Wayback
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes: without this, each answer
    # on a kept-alive connection waits ~40 ms for the client's delayed ACK
    body = b""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        srv = self.server
        with srv.lock:
            srv.state.log.append((self.command, self.path))
            srv.in_flight += 1
            srv.max_in_flight = max(srv.max_in_flight, srv.in_flight)

        def leave() -> None:
            with srv.lock:
                srv.in_flight -= 1

        self.leave = leave
        try:
            self.body = self.rfile.read(int(self.headers.get("Content-Length") or 0))  # always: keep-alive stays sane
            if srv.delay:
                time.sleep(srv.delay)
            with srv.lock:
                queued = next((q for p, q in srv.state.fail.items() if self.path.startswith(p) and q), None)
                status = queued.pop(0) if queued else None
            if status is not None:
                return self._send(status, b"<html><body>Service Unavailable</body></html>", "text/html")
            self._route()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self.left()

    def _send(self, status: int, body: bytes = b"", content_type: str = "application/json", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, data: Any, status: int = 200) -> None:
        self._send(status, json.dumps(data).encode())

    def _route(self) -> None:
        path, _, query = self.path.partition("?")
        params = urllib.parse.parse_qs(query, keep_blank_values=True)
        if path == "/wayback/available":
            return self._available(params)
        if path == "/cdx/search/cdx":
            return self._cdx(params)
        if path.startswith("/web/"):
            return self._replay(self.path[len("/web/"):])
        if path.startswith("/timetravel/api/json/"):
            return self._timetravel(self.path[len("/timetravel/api/json/"):])
        if path == "/save" and self.command == "POST":
            return self._save()
        if path.startswith("/save/status/"):
            return self._status(path[len("/save/status/"):])
        return self._send(404, b"not here", "text/plain")

    # ------------------------------------------------------------------ Wayback

    def _captures(self, url: str) -> list[tuple[str, int]]:
        with self.server.lock:
            return sorted(self.server.state.captures.get(url, []))

    def _available(self, params: dict[str, list[str]]) -> None:
        url = params.get("url", [""])[0]
        ts = params.get("timestamp", [""])[0] or None
        captures = self._captures(url)
        best = captures[0] if captures and self.server.state.sloppy_availability else _closest(captures, ts,
                                                                                               lambda c: c[0])
        out: dict[str, Any] = {"url": url, "archived_snapshots": {}}
        if ts:
            out["timestamp"] = ts
        if best is not None:
            out["archived_snapshots"]["closest"] = {
                "status": str(best[1]), "available": True, "url": self.server.snapshot(best[0], url),
                "timestamp": best[0],
            }
        self._json(out)

    def _cdx(self, params: dict[str, list[str]]) -> None:
        url = params.get("url", [""])[0]
        rows = [["x)/", ts, url, "text/html", str(status), "DIGEST", "1234"] for ts, status in self._captures(url)]
        if "from" in params:
            rows = [r for r in rows if r[1] >= _pad(params["from"][0], False)]
        if "to" in params:
            rows = [r for r in rows if r[1] <= _pad(params["to"][0], True)]
        for spec in params.get("filter", []):
            negate = spec.startswith("!")
            name, _, pattern = spec.lstrip("!").partition(":")
            at = FIELDS.index(name)
            rows = [r for r in rows if bool(re.fullmatch(pattern, r[at])) != negate]
        for spec in params.get("collapse", []):
            name, _, n = spec.partition(":")
            at, width = FIELDS.index(name), int(n) if n else None
            kept: list[list[str]] = []
            for r in rows:
                if not kept or kept[-1][at][:width] != r[at][:width]:
                    kept.append(r)
            rows = kept
        if "limit" in params:
            limit = int(params["limit"][0])
            rows = rows[:limit] if limit >= 0 else rows[limit:]
        wanted = params.get("fl", [",".join(FIELDS)])[0].split(",")
        picked = [[r[FIELDS.index(f)] for f in wanted] for r in rows]
        self._json([wanted, *picked] if picked else [])

    def _replay(self, rest: str) -> None:
        m = re.match(r"(\d{1,14})(?:[a-z]{2}_)?/(.*)$", rest)
        ts, url = (m.group(1), m.group(2)) if m else (None, rest)
        captures = self._captures(url)
        if ts and len(ts) == 14:
            exact = next((c for c in captures if c[0] == ts), None)
            if exact is not None:
                if exact[1] in (301, 302):
                    return self._send(302, b"", "text/html", Location=f"/web/{ts}/{url}moved")
                with self.server.lock:
                    body, kind = self.server.state.bodies.get(
                        (ts, url), (b"<html><head><title>archived</title></head></html>", "text/html"))
                return self._send(exact[1], body, kind)
        best = _closest(captures, ts, lambda c: c[0])
        if best is None:
            return self._send(404, b"<html><body>Hrm. The Wayback Machine has not archived that URL.</body></html>",
                              "text/html")
        return self._send(302, b"", "text/html", Location=f"{self.server.base}/web/{best[0]}/{url}")

    # ------------------------------------------------------------------ Memento TimeTravel

    def _timetravel(self, rest: str) -> None:
        stamp, _, url = rest.partition("/")
        with self.server.lock:
            items = sorted(self.server.state.mementos.get(url, []))
        if not items:
            return self._send(404, b"", "text/plain")
        best = _closest(items, stamp, lambda i: i[0])
        before = [i for i in items if i[0] < best[0]]
        after = [i for i in items if i[0] > best[0]]

        def entry(item: tuple[str, str]) -> dict[str, Any]:
            return {"datetime": _dt(item[0]).strftime("%Y-%m-%dT%H:%M:%SZ"), "uri": [item[1]]}

        mementos = {"first": entry(items[0]), "last": entry(items[-1]), "closest": entry(best)}
        if before:
            mementos["prev"] = entry(before[-1])
        if after:
            mementos["next"] = entry(after[0])
        self._json({
            "original_uri": url, "mementos": mementos,
            "timegate_uri": f"http://timetravel.mementoweb.org/timegate/{url}",
            "timemap_uri": {"json_format": f"http://timetravel.mementoweb.org/timemap/json/{url}",
                            "link_format": f"http://timetravel.mementoweb.org/timemap/link/{url}"},
        })

    # ------------------------------------------------------------------ Save Page Now 2

    def _authorised(self) -> bool:
        if "application/json" not in self.headers.get("Accept", ""):  # SPN2 answers browsers with its web form
            self._send(200, b"<html><body><form action='/save'>Save Page Now</form></body></html>", "text/html")
            return False
        if self.headers.get("Authorization") != f"LOW {KEY}:{SECRET}":
            self._json({"status": "error", "status_ext": "error:unauthorized",
                        "message": "You need to be logged in to use Save Page Now."}, status=401)
            return False
        return True

    def _save(self) -> None:
        form = urllib.parse.parse_qs(self.body.decode())
        if not self._authorised():
            return
        url = form.get("url", [""])[0]
        srv = self.server
        with srv.lock:
            outcome = srv.state.saves.get(url, SaveOutcome())
            if outcome.refuse:
                ext, message = outcome.refuse
                return self._json({"status": "error", "status_ext": ext, "message": message})
            job_id = f"spn2-{len(srv.state.jobs):040x}"
            srv.state.jobs[job_id] = Job(url, outcome.polls, outcome.error,
                                         f"2026112512{len(srv.state.jobs):04d}", outcome.http_status)
        self._json({"url": url, "job_id": job_id})

    def _status(self, job_id: str) -> None:
        if not self._authorised():
            return
        srv = self.server
        with srv.lock:
            job = srv.state.jobs.get(job_id)
            if job is None:
                return self._json({"status": "error", "status_ext": "error:not-found",
                                   "message": "Job not found."})
            if job.polls > 0:
                job.polls -= 1
                return self._json({"status": "pending", "job_id": job_id, "resources": []})
            if job.error:
                ext, message = job.error
                return self._json({"status": "error", "status_ext": ext, "message": message, "job_id": job_id})
            srv.state.captures.setdefault(job.url, []).append((job.timestamp, job.http_status))
        self._json({"status": "success", "job_id": job_id, "original_url": job.url, "timestamp": job.timestamp,
                    "duration_sec": 6.1, "http_status": job.http_status, "resources": [job.url], "outlinks": {}})
