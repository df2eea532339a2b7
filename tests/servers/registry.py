"""Fake Crossref and OpenAlex on loopback, answering in the registries' real JSON shapes.

Started by the tests and the benchmark, never by verifier. One server holds a
list of works (``tests/data/registry-citations.json`` shape: ``doi``, ``title``,
``authors`` [{family, given}], ``year``, ``journal``, ``volume``, ``issue``,
``pages``) and serves them under two prefixes:

- ``/crossref``: ``/works/{doi}`` → ``{"status": "ok", "message-type": "work",
  "message": {"DOI", "title": [...], "author": [{"given", "family",
  "sequence"}], "issued": {"date-parts": [[2004, 5]]}, "container-title": [...],
  "volume", "issue", "page": "123-145", ...}}`` or 404 ``Resource not found.``;
  ``/works/{doi}/agency`` → ``message.agency {"id", "label"}``;
  ``/works?query.bibliographic=…&rows=5`` → ``message.items[]`` ranked by
  words in common (like the real one, it always returns its best guesses);
- ``/openalex``: ``/works/doi:{doi}`` → a Work (``id``, ``doi`` as
  ``https://doi.org/…``, ``title``, ``display_name``, ``publication_year``,
  ``authorships[].author.display_name``, ``primary_location.source.display_name``,
  ``biblio {volume, issue, first_page, last_page}``); ``/works?search=…&filter=
  publication_year:Y1-Y2&per_page=5`` → ``{"meta": {...}, "results": [...]}``.

Tests steer it: ``script(prefix, [(status, headers), ...])`` makes the next
requests under ``prefix`` answer those statuses first; ``down`` (a set of
``"crossref"``/``"openalex"``) answers 503 to everything; ``datacite`` holds
DOIs registered with DataCite (Crossref 404, agency ``datacite``); ``delay`` slows every answer.
Every request is logged with its path, query parameters and User-Agent, and
``max_in_flight`` keeps the most requests each registry had in flight at once.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.servers.inflight import LeavesOnAnswer

Work = dict[str, Any]

_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.casefold()) if len(w) > 2 or w.isdigit()}


def crossref_work(w: Work) -> dict[str, Any]:
    """A work as Crossref's ``message`` (a subset of its fields, in its shapes)."""
    authors = [
        {"given": a.get("given"), "family": a["family"], "sequence": "first" if i == 0 else "additional",
         "affiliation": []}
        for i, a in enumerate(w.get("authors", []))
    ]
    issued = [w["year"]] + ([w["month"]] if w.get("month") else [])
    out: dict[str, Any] = {
        "DOI": w["doi"],
        "type": w.get("type", "journal-article"),
        "title": [w["title"]],
        "author": authors,
        "issued": {"date-parts": [issued]},
        "published-print": {"date-parts": [[w.get("print_year", w["year"])]]},
        "container-title": [w["journal"]] if w.get("journal") else [],
        "short-container-title": [w["short_journal"]] if w.get("short_journal") else [],
        "publisher": w.get("publisher", "Example Publisher"),
        "URL": f"https://doi.org/{w['doi']}",
        "score": 1.0,
    }
    if w.get("online_year"):
        out["published-online"] = {"date-parts": [[w["online_year"]]]}
    if w.get("subtitle"):
        out["subtitle"] = [w["subtitle"]]
    for key in ("volume", "issue"):
        if w.get(key):
            out[key] = str(w[key])
    if w.get("pages"):
        out["page"] = w["pages"]
    return out


def openalex_work(w: Work, n: int) -> dict[str, Any]:
    """A work as an OpenAlex Work object (a subset of its fields, in its shapes)."""
    first, _, last = str(w.get("pages", "")).partition("-")
    title = w["title"] + (f": {w['subtitle']}" if w.get("subtitle") else "")
    return {
        "id": f"https://openalex.org/W{4000000000 + n}",
        "doi": f"https://doi.org/{w['doi']}",
        "title": title,
        "display_name": title,
        "publication_year": w.get("online_year") or w["year"],
        "publication_date": f"{w.get('online_year') or w['year']}-01-01",
        "type": "article",
        "authorships": [
            {"author_position": "first" if i == 0 else "middle",
             "author": {"id": f"https://openalex.org/A{n}{i}",
                        "display_name": " ".join(p for p in (a.get("given"), a["family"]) if p), "orcid": None},
             "institutions": [], "raw_author_name": " ".join(p for p in (a.get("given"), a["family"]) if p)}
            for i, a in enumerate(w.get("authors", []))
        ],
        "primary_location": {
            "is_oa": False, "landing_page_url": f"https://doi.org/{w['doi']}", "pdf_url": None,
            "source": {"id": f"https://openalex.org/S{n}", "display_name": w.get("journal"), "type": "journal"},
        },
        "biblio": {"volume": str(w["volume"]) if w.get("volume") else None,
                   "issue": str(w["issue"]) if w.get("issue") else None,
                   "first_page": first or None, "last_page": last or None},
    }


class FakeRegistry(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    allow_reuse_address = True

    def __init__(self, works: Iterable[Work] = (), host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), _Handler)
        self.lock = threading.RLock()  # re-entrant: an answer sent under the lock leaves the in-flight count under it too
        self.works: list[Work] = []
        self.log: list[tuple[str, dict[str, list[str]], str]] = []
        self.scripts: dict[str, list[tuple[int, dict[str, str]]]] = {}
        self.down: set[str] = set()
        self.datacite: set[str] = set()
        self.require_key = True
        self.delay = 0.0
        self.gate: Callable[[str], None] | None = None
        """Called with the path after a request is logged and before it is answered."""
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        self.set_works(works)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def crossref(self) -> str:
        return self.base + "/crossref"

    @property
    def openalex(self) -> str:
        return self.base + "/openalex"

    def set_works(self, works: Iterable[Work]) -> None:
        with self.lock:
            self.works = [dict(w) for w in works]
            self._by_doi = {w["doi"].lower(): (n, w) for n, w in enumerate(self.works)}

    def reset(self) -> None:
        with self.lock:
            self.log.clear()
            self.scripts.clear()
            self.down.clear()
            self.datacite.clear()
            self.require_key = True
            self.delay = 0.0
            self.gate = None
            self.max_in_flight.clear()

    def script(self, prefix: str, answers: Sequence[tuple[int, dict[str, str]]]) -> None:
        """The next requests whose path starts with ``prefix`` answer these (status, headers) first."""
        with self.lock:
            self.scripts.setdefault(prefix, []).extend(answers)

    def requests(self, prefix: str = "") -> list[tuple[str, dict[str, list[str]], str]]:
        with self.lock:
            return [r for r in self.log if r[0].startswith(prefix)]

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    # ------------------------------------------------------------ look-ups

    def by_doi(self, doi: str) -> tuple[int, Work] | None:
        with self.lock:
            return self._by_doi.get(doi.lower())

    def search(self, text: str, rows: int, years: tuple[int, int] | None = None,
               title_only: bool = False) -> list[tuple[int, Work]]:
        wanted = _words(text)
        scored = []
        with self.lock:
            for n, w in enumerate(self.works):
                if years and not years[0] <= (w.get("online_year") or w["year"]) <= years[1]:
                    continue
                hay = w["title"] + " " + w.get("subtitle", "")
                if not title_only:
                    hay += " " + " ".join(a["family"] for a in w.get("authors", [])) + " " + w.get("journal", "")
                    hay += f" {w['year']} {w.get('volume', '')}"
                score = len(wanted & _words(hay))
                if score:
                    scored.append((score, n, w))
        scored.sort(key=lambda t: (-t[0], t[1]))
        return [(n, w) for _, n, w in scored[:rows]]


class _Handler(LeavesOnAnswer):
    server: FakeRegistry
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        registry = self.path.split("/", 2)[1] if self.path.count("/") >= 2 else ""
        srv = self.server
        with srv.lock:
            srv.in_flight[registry] = srv.in_flight.get(registry, 0) + 1
            srv.max_in_flight[registry] = max(srv.max_in_flight.get(registry, 0), srv.in_flight[registry])

        def leave() -> None:
            with srv.lock:
                srv.in_flight[registry] -= 1

        self.leave = leave
        try:
            if srv.delay:
                time.sleep(srv.delay)
            self._answer()
        finally:
            self.left()

    def _answer(self) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        params = parse_qs(parts.query)
        srv = self.server
        scripted: tuple[int, dict[str, str]] | None = None
        with srv.lock:
            srv.log.append((path, params, self.headers.get("User-Agent", "")))
            for prefix, queue in srv.scripts.items():
                if path.startswith(prefix) and queue:
                    scripted = queue.pop(0)
                    break
        if srv.gate is not None:
            srv.gate(path)
        try:
            if scripted is not None:
                status, headers = scripted
                return self._json(status, {"status": "error", "message": "scripted"}, headers)
            registry = path.split("/", 2)[1] if path.count("/") >= 2 else ""
            if registry in srv.down:
                return self._json(503, {"status": "error", "message": "down for maintenance"})
            if registry == "crossref":
                return self._crossref(path.removeprefix("/crossref"), params)
            if registry == "openalex":
                return self._openalex(path.removeprefix("/openalex"), params)
            return self._text(404, "Not found.")
        except (BrokenPipeError, ConnectionResetError):
            return None

    # ------------------------------------------------------------ plumbing

    def _json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _text(self, status: int, text: str) -> None:
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    # ------------------------------------------------------------ Crossref

    def _crossref(self, path: str, params: dict[str, list[str]]) -> None:
        srv = self.server
        limits = {"X-Rate-Limit-Limit": "50", "X-Rate-Limit-Interval": "1s"}
        if path == "/works":
            query = params.get("query.bibliographic", [""])[0]
            rows = int(params.get("rows", ["20"])[0])
            items = [crossref_work(w) for _, w in srv.search(query, rows)]
            return self._json(200, {
                "status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                "message": {"facets": {}, "total-results": len(items), "items": items, "items-per-page": rows,
                            "query": {"start-index": 0, "search-terms": query}},
            }, limits)
        if path.startswith("/works/"):
            doi = path.removeprefix("/works/")
            if doi.endswith("/agency"):
                doi = doi.removesuffix("/agency")
                if doi.lower() in srv.datacite:
                    agency = {"id": "datacite", "label": "DataCite"}
                elif srv.by_doi(doi):
                    agency = {"id": "crossref", "label": "Crossref"}
                else:
                    return self._text(404, "Resource not found.")
                return self._json(200, {"status": "ok", "message-type": "work-agency", "message-version": "1.0.0",
                                        "message": {"DOI": doi.lower(), "agency": agency}}, limits)
            found = srv.by_doi(doi)
            if found is None or doi.lower() in srv.datacite:
                return self._text(404, "Resource not found.")
            return self._json(200, {"status": "ok", "message-type": "work", "message-version": "1.0.0",
                                    "message": crossref_work(found[1])}, limits)
        return self._text(404, "Resource not found.")

    # ------------------------------------------------------------ OpenAlex

    def _openalex(self, path: str, params: dict[str, list[str]]) -> None:
        srv = self.server
        if srv.require_key and not params.get("api_key"):
            return self._json(401, {"error": "API key required", "message": "Pass api_key=…"})
        if path == "/works":
            text = params.get("search", [""])[0]
            rows = int(params.get("per_page", ["25"])[0])
            years = None
            for f in params.get("filter", [""])[0].split(","):
                m = re.fullmatch(r"publication_year:(\d{4})(?:-(\d{4}))?", f)
                if m:
                    years = (int(m.group(1)), int(m.group(2) or m.group(1)))
            results = [openalex_work(w, n) for n, w in srv.search(text, rows, years, title_only=True)]
            return self._json(200, {"meta": {"count": len(results), "db_response_time_ms": 3, "page": 1,
                                             "per_page": rows}, "results": results, "group_by": []})
        if path.startswith("/works/"):
            ident = path.removeprefix("/works/")
            doi = re.sub(r"^(?:doi:|https?://doi\.org/)", "", ident, flags=re.IGNORECASE)
            found = srv.by_doi(doi)
            if found is None:
                return self._json(404, {"error": "404 Not Found", "message": f"{ident} is not a valid ID"})
            return self._json(200, openalex_work(found[1], found[0]))
        return self._json(404, {"error": "404 Not Found"})
