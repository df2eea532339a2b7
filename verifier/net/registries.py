"""Registry look-ups: each scholarly source asked of Crossref and OpenAlex, politely, once per run.

``look_up`` is the entry the pipeline calls with one ``Query`` per source
(``verifier.rules.registry_match.queries``). Per source, the registries are asked in
the order given (``--registry crossref,openalex``) until one finds the work:

- with a DOI: Crossref ``/works/{doi}`` (on a 404, ``/works/{doi}/agency`` tells
  a DOI registered elsewhere — DataCite, mEDRA — from one that does not exist),
  OpenAlex ``/works/doi:{doi}``;
- without one: Crossref ``/works?query.bibliographic=…&rows=5``, OpenAlex
  ``/works?search=…&filter=publication_year:Y-1-Y+1``; the results are judged
  by the judge the caller passes (``rules.registry_match.judge``: a weak
  candidate is no match). This module asks and returns what the registries
  answered; which record matches is decided by that pure module.

Politeness, as the registries ask:

- ``--mailto`` goes in the ``mailto`` parameter and in the User-Agent
  (``verifier/0.1 (+https://…; mailto:you@example.org)``), which puts Crossref
  requests in its polite pool;
- OpenAlex needs an API key since February 2026: it is read from
  ``OPENALEX_API_KEY`` and sent as ``api_key``; without one OpenAlex is skipped
  and the run says so;
- each registry has its own pace and cap on requests in flight (``LANES``):
  Crossref's polite pool allows about 3 list/search requests a second with 3
  in flight and 10 single-record requests a second (the public pool, without
  ``--mailto``, a third of that and 1 in flight); a registry that reports a
  tighter budget in ``X-Rate-Limit-Limit``/``-Interval`` is followed;
- 429, 5xx, timeouts and resets are retried with tenacity (exponential
  backoff with jitter, ``Retry-After`` honoured up to a cap);
- answers are cached (``Cache``, kind ``registry``) like link checks; failures
  are not cached, so the next run asks again.

Errors are data: a registry that is down, refuses us or answers nonsense gives
``Outcome.FAILED`` for the sources it could not answer and one warning for the
run; it is never a V001/V003 and never fails the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import html
import json
import os
import re
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote

import httpx
import tenacity

from verifier.config import Settings
from verifier.model import Person
from verifier.net.cache import Cache
from verifier.net.client import DEFAULT_TRANSPORT, Limiter, Transport, make_client, run_sync, user_agent
from verifier.net.guard import Guard
from verifier.net.links import RETRY_STATUSES, Policy, classify, delay, waits_within
from verifier.rules.registry_match import (
    REGISTRY_NAMES,
    Answer,
    Lookup,
    Outcome,
    Query,
    Record,
)

REGISTRY_CACHE = "registry"
OPENALEX_KEY_ENV = "OPENALEX_API_KEY"
ROWS = 5
MAX_BODY = 8 * 2**20
MAX_REDIRECTS = 3
DOWN_AFTER = 3
STORE_BATCH = 32
STORE_SECONDS = 2.0

_CROSSREF_FIELDS = ("DOI,title,subtitle,author,issued,published-print,published-online,published,container-title,"
                    "short-container-title,volume,issue,page,type")
_OPENALEX_FIELDS = "id,doi,title,display_name,publication_year,publication_date,authorships,primary_location," \
                   "locations,biblio,type"
_TAG = re.compile(r"<[^>]{1,200}>")
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$")


@dataclass(frozen=True, slots=True)
class Lane:
    """How fast and how wide one kind of request to one registry may go."""

    rate: float
    """Requests started per second."""
    in_flight: int
    """Requests of this registry in flight at once (shared by its lanes)."""


def lanes(registry: str, polite: bool) -> dict[str, Lane]:
    """The pace of ``record`` and ``search`` requests. Crossref's figures are its published limits (from
    December 2025: polite pool 10 single records/s, 3 searches/s, 3 in flight; public pool less)."""
    if registry == "crossref":
        if polite:
            return {"record": Lane(10.0, 3), "search": Lane(3.0, 3)}
        return {"record": Lane(5.0, 1), "search": Lane(1.0, 1)}
    return {"record": Lane(10.0, 4), "search": Lane(5.0, 4)}


@dataclass(frozen=True, slots=True)
class RegistryRun:
    """What the registry stage produced: one ``Lookup`` per source id, and what the user should hear."""

    lookups: dict[str, Lookup]
    warnings: tuple[str, ...] = ()


def look_up(
    queries: Sequence[Query],
    settings: Settings,
    *,
    client: httpx.AsyncClient | None = None,
    transport: Transport | None = None,
    policy: Policy | None = None,
    openalex_key: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RegistryRun:
    """Ask the registries of ``settings.registry`` about each query, in an event loop of its own (see the
    module docstring). The pipeline asks them inside the one network stage instead (``stage.run``).

    ``openalex_key`` defaults to the ``OPENALEX_API_KEY`` environment variable; ``progress(done, total)``
    is called as each query's look-up ends.
    """
    asking = plan(queries, settings, openalex_key)
    if not asking.busy:
        return asking.finish()
    cache = None if settings.no_cache else Cache(settings.cache)

    async def ask() -> None:
        http = client or make_client(settings, transport or DEFAULT_TRANSPORT)
        try:
            await asking.ask(http, Limiter(settings.concurrency, settings.per_host), policy or Policy(), cache,
                             progress)
        finally:
            if client is None:
                await http.aclose()

    try:
        run_sync(ask())
    finally:
        if cache is not None:
            if cache.warning:
                asking.warnings.append(cache.warning)
            cache.close()
    return asking.finish()


Judge = Callable[[str, Query, Sequence[Record]], Answer]
"""Decides which of a search's candidate records is the cited work (``rules.registry_match.judge``)."""


def plan(queries: Sequence[Query], settings: Settings, openalex_key: str | None = None,
         judge: Judge | None = None) -> Asking:
    """Which registries will be asked about ``queries`` (OpenAlex needs a key), before any request. ``judge``
    defaults to ``rules.registry_match.judge``."""
    key = openalex_key if openalex_key is not None else os.environ.get(OPENALEX_KEY_ENV, "").strip()
    names = [n for n in dict.fromkeys(settings.registry) if n in REGISTRY_NAMES]
    warnings: list[str] = []
    if "openalex" in names and not key:
        names.remove("openalex")
        warnings.append(
            f"OpenAlex skipped: it requires an API key since February 2026; set {OPENALEX_KEY_ENV} to ask it too"
        )
    if judge is None:
        from verifier.rules.registry_match import judge as default_judge

        judge = default_judge
    return Asking(list(queries), names, settings, key, warnings, judge)


@dataclass(slots=True)
class Asking:
    """The registry part of one network stage: ``ask`` runs in the stage's loop, ``finish`` says what came of it."""

    queries: list[Query]
    names: list[str]
    settings: Settings
    key: str
    warnings: list[str]
    judge: Judge
    lookups: dict[str, Lookup] | None = None

    @property
    def busy(self) -> bool:
        return bool(self.names and self.queries)

    async def ask(self, http: httpx.AsyncClient, limiter: Limiter, policy: Policy, cache: Cache | None,
                  progress: Callable[[int, int], None] | None = None) -> None:
        self.lookups = await _look_up_all(self.queries, self.names, self.settings, self.key, cache, http, limiter,
                                          policy, self.judge, progress)

    def finish(self) -> RegistryRun:
        if self.lookups is None:
            return RegistryRun({q.source: Lookup(q) for q in self.queries}, tuple(self.warnings))
        return RegistryRun(self.lookups, (*self.warnings, *_failure_notes(self.lookups.values(), self.names)))


def _failure_notes(lookups: Iterable[Lookup], names: Sequence[str]) -> list[str]:
    """One line per registry that could not answer some sources: how many, and why (the first reason)."""
    notes = []
    total = 0
    failed: dict[str, list[str]] = {n: [] for n in names}
    for lookup in lookups:
        total += 1
        for a in lookup.answers:
            if a.outcome is Outcome.FAILED:
                failed[a.registry].append(a.error or "no answer")
    for name, errors in failed.items():
        if errors:
            notes.append(
                f"{REGISTRY_NAMES[name]} could not be asked about {len(errors)} of {total} cited works "
                f"({errors[0]}); they were not checked against it (no V001/V003 for them)"
            )
    return notes


async def _look_up_all(
    queries: Sequence[Query], names: list[str], settings: Settings, key: str, cache: Cache | None,
    http: httpx.AsyncClient, limiter: Limiter, policy: Policy, judge: Judge,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Lookup]:
    asker = Asker(http, settings, key, policy, cache, limiter, judge)
    finished = 0

    async def one(query: Query) -> Lookup:
        nonlocal finished
        lookup = await asker.look_up(query, names)
        finished += 1
        if progress is not None:
            progress(finished, len(queries))
        return lookup

    # One task per source; the Limiter (each registry's own key and width) and its pace bound what is in flight.
    if progress is not None:
        progress(0, len(queries))
    done = await asyncio.gather(*(one(q) for q in queries))
    asker.store()
    return {lookup.query.source: lookup for lookup in done}


# --------------------------------------------------------------------------- pacing


class Pace:
    """Spaces request starts at least ``1/rate`` seconds apart (a registry's requests-per-second budget)."""

    def __init__(self, rate: float, clock: Any = time.monotonic) -> None:
        self.interval = 1.0 / rate
        self.clock = clock
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = self.clock()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            await asyncio.sleep(start - now)

    def tighten(self, limit: str | None, interval: str | None) -> None:
        """Follow a budget the registry reports (``X-Rate-Limit-Limit: 50``, ``X-Rate-Limit-Interval: 1s``)
        when it is tighter than ours."""
        if not limit or not interval:
            return
        m = _INTERVAL.match(interval)
        try:
            count = float(limit)
        except ValueError:
            return
        if m is None or count <= 0:
            return
        seconds = float(m.group(1)) * {"ms": 0.001, "s": 1.0, "m": 60.0, None: 1.0}[m.group(2)]
        self.interval = max(self.interval, seconds / count)


@dataclass(slots=True)
class _Registry:
    name: str
    base: str
    width: int
    """Requests in flight at once (the registry's published limit), a key of its own in the run's Limiter."""
    paces: dict[str, Pace]
    refusal: asyncio.Future[str | None] | None = None
    """Why the guard refuses the registry's address (None: it may be asked), decided once per run."""
    failures: int = 0
    """Attempts in a row that failed (5xx, 429, no answer)."""
    down: str | None = None
    """Why the registry is no longer asked this run (after ``DOWN_AFTER`` failures in a row)."""


@dataclass(frozen=True, slots=True)
class Reply:
    """One HTTP exchange with a registry: a status and JSON, or an error."""

    status: int | None = None
    data: Any = None
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    error: str | None = None
    failure: str | None = None

    @property
    def retryable(self) -> bool:
        if self.status is not None:
            return self.status in RETRY_STATUSES or self.status >= 500
        return self.failure in {"timeout", "reset", "dns", "refused"}


# --------------------------------------------------------------------------- asking


class Asker:
    """Asks registries with one client; caches answers; one per run."""

    def __init__(self, client: httpx.AsyncClient, settings: Settings, openalex_key: str, policy: Policy,
                 cache: Cache | None, limiter: Limiter | None = None, judge: Judge | None = None) -> None:
        if judge is None:
            from verifier.rules.registry_match import judge as default_judge

            judge = default_judge
        self.judge: Judge = judge
        self.client = client
        self.limiter = limiter or Limiter(settings.concurrency, settings.per_host)
        self.health = self.limiter.health
        self.settings = settings
        self.openalex_key = openalex_key
        self.policy = policy
        self.cache = cache
        self.guard = Guard(settings.allow_private)
        polite = bool(settings.mailto)
        agent = user_agent(settings)
        if settings.mailto:
            agent = f"{agent[:-1]}; mailto:{settings.mailto})" if agent.endswith(")") else \
                f"{agent} (mailto:{settings.mailto})"
        self.headers = {"User-Agent": agent, "Accept": "application/json"}
        self.registries: dict[str, _Registry] = {}
        for name, base in (("crossref", settings.crossref_api), ("openalex", settings.openalex_api)):
            pace = lanes(name, polite)
            width = max(lane.in_flight for lane in pace.values())
            self.registries[name] = _Registry(name, base.rstrip("/"), width,
                                              {k: Pace(lane.rate) for k, lane in pace.items()})
        self._fresh: dict[str, tuple[Any, float]] = {}
        self._stored = time.monotonic()
        self._pending: dict[str, asyncio.Future[Answer]] = {}

    async def look_up(self, query: Query, names: Sequence[str]) -> Lookup:
        answers: list[Answer] = []
        for name in names:
            answer = await self.ask(name, query)
            answers.append(answer)
            if answer.outcome is Outcome.FOUND:
                break
        alternative = None
        if query.doi and query.title and answers and all(a.outcome is Outcome.UNKNOWN for a in answers):
            # A DOI nobody knows: is the cited work there under another DOI, or under this one cut short?
            searched = await self.look_up(replace(query, doi=None), names)
            found = searched.record
            if found is not None and found.doi and found.doi.startswith(query.doi) and found.doi != query.doi:
                answers.append(next(a for a in searched.answers if a.outcome is Outcome.FOUND))
            elif found is not None and found.doi:
                alternative = found
        return Lookup(query, tuple(answers), alternative)

    # ----------------------------------------------------------------- one registry, one source, cached

    async def ask(self, name: str, query: Query) -> Answer:
        reg = self.registries[name]
        key = self._cache_key(reg, query)
        pending = self._pending.get(key)  # two sources with the same DOI or search: asked once
        if pending is None:
            pending = self._pending[key] = asyncio.ensure_future(self._ask_cached(reg, query, key))
        return await asyncio.shield(pending)

    def _cache_key(self, reg: _Registry, query: Query) -> str:
        if query.doi:
            return f"{reg.name} {reg.base} doi {query.doi}"
        digest = hashlib.sha256(json.dumps(self._search_params(reg.name, query), sort_keys=True).encode())
        return f"{reg.name} {reg.base} search {digest.hexdigest()[:32]}"

    async def _ask_cached(self, reg: _Registry, query: Query, key: str) -> Answer:
        if self.cache is not None:
            hit = self.cache.get_many(REGISTRY_CACHE, [key]).get(key)
            if hit is not None:
                try:
                    return self._from_cache(reg.name, query, hit)
                except (KeyError, TypeError, ValueError, AttributeError):
                    pass  # a row this version cannot read (written by another): ask again, and overwrite it
        if query.doi:
            answer = await self._by_doi(reg, query.doi)
            value: Any = answer.to_cache()
        else:
            candidates, error = await self._search(reg, query)
            if error is not None:
                return Answer(reg.name, Outcome.FAILED, error=error)
            value = {"candidates": [r.to_json() for r in candidates]}
            answer = self.judge(reg.name, query, candidates)
        if answer.outcome is not Outcome.FAILED:
            self._fresh[key] = (value, self._ttl(answer.outcome))
            if len(self._fresh) >= STORE_BATCH or time.monotonic() - self._stored >= STORE_SECONDS:
                self.store()  # as answers arrive, in batches: a run that is killed keeps what it learned
        return answer

    def _from_cache(self, name: str, query: Query, value: Any) -> Answer:
        if isinstance(value, dict) and "candidates" in value:
            # searches keep their candidates, so the matcher judges them afresh
            return self.judge(name, query, [Record.from_json(r) for r in value["candidates"]])
        return Answer.from_cache(value)

    def _ttl(self, outcome: Outcome) -> float:
        ttl = self.settings.cache_ttl
        return ttl if outcome is Outcome.FOUND else ttl / 4

    def store(self) -> None:
        if self.cache is not None and self._fresh:
            self.cache.put_many(REGISTRY_CACHE, self._fresh)
        self._fresh = {}
        self._stored = time.monotonic()

    # ----------------------------------------------------------------- the endpoints

    async def _by_doi(self, reg: _Registry, doi: str) -> Answer:
        path = "/works/" + quote(doi, safe="/")
        if reg.name == "openalex":
            path = "/works/doi:" + quote(doi, safe="/")
        reply = await self._get(reg, "record", path, self._params(reg.name, {"select": _fields(reg.name)}))
        if reply.status == 200 and reply.data is not None:
            record = parse_crossref(reply.data) if reg.name == "crossref" else parse_openalex(reply.data)
            if record is not None:
                return Answer(reg.name, Outcome.FOUND, record)
            return Answer(reg.name, Outcome.FAILED, error=f"{REGISTRY_NAMES[reg.name]} answered an unreadable record")
        if reply.status == 404:
            if reg.name == "crossref":
                return await self._agency(reg, doi)
            return Answer(reg.name, Outcome.UNKNOWN, error="HTTP 404")
        return Answer(reg.name, Outcome.FAILED, error=_why(reply))

    async def _agency(self, reg: _Registry, doi: str) -> Answer:
        """After a 404 from Crossref: is the DOI registered with another agency (it then has no Crossref record)?"""
        reply = await self._get(reg, "record", "/works/" + quote(doi, safe="/") + "/agency",
                                self._params(reg.name, {}))
        if reply.status == 404:
            return Answer(reg.name, Outcome.UNKNOWN, error="HTTP 404")
        if reply.status == 200 and isinstance(reply.data, dict):
            agency = (reply.data.get("message") or {}).get("agency") or {}
            if str(agency.get("id", "")).lower() not in ("", "crossref"):
                label = agency.get("label") or agency.get("id")
                return Answer(reg.name, Outcome.ELSEWHERE, error=f"registered with {label}")
            return Answer(reg.name, Outcome.UNKNOWN, error="HTTP 404")
        # The record was 404 and the agency could not be asked: the 404 stands, but unconfirmed.
        return Answer(reg.name, Outcome.FAILED, error=f"the DOI's agency could not be asked ({_why(reply)})")

    def _search_params(self, name: str, query: Query) -> dict[str, str]:
        if name == "crossref":
            return {"query.bibliographic": query.text[:500], "rows": str(ROWS)}
        params = {"search": (query.title or query.raw)[:300], "per_page": str(ROWS)}
        if query.year:
            params["filter"] = f"publication_year:{query.year - 1}-{query.year + 1}"
        return params

    async def _search(self, reg: _Registry, query: Query) -> tuple[list[Record], str | None]:
        params = self._search_params(reg.name, query)
        params["select"] = _fields(reg.name)
        reply = await self._get(reg, "search", "/works", self._params(reg.name, params))
        if reply.status != 200 or not isinstance(reply.data, dict):
            return [], _why(reply)
        if reg.name == "crossref":
            items = (reply.data.get("message") or {}).get("items")
        else:
            items = reply.data.get("results")
        if not isinstance(items, list):
            return [], f"{REGISTRY_NAMES[reg.name]} answered an unreadable result list"
        parse = parse_crossref_item if reg.name == "crossref" else parse_openalex
        return [r for r in (parse(i) for i in items if isinstance(i, dict)) if r is not None], None

    def _params(self, name: str, params: Mapping[str, str]) -> dict[str, str]:
        out = dict(params)
        if self.settings.mailto:
            out["mailto"] = self.settings.mailto
        if name == "openalex" and self.openalex_key:
            out["api_key"] = self.openalex_key
        return out

    # ----------------------------------------------------------------- one GET, paced, retried

    async def _get(self, reg: _Registry, lane: str, path: str, params: Mapping[str, str]) -> Reply:
        if reg.refusal is None:  # every request waits for the one decision: none goes out before it
            reg.refusal = asyncio.ensure_future(self._refuse(reg.base))
        refused = await asyncio.shield(reg.refusal)
        if refused:
            return Reply(error=f"{reg.base}: {refused}", failure="refused-by-guard")
        if reg.down is not None:
            return Reply(error=reg.down, failure="down")
        url = httpx.URL(reg.base + path, params=params)
        retrying = tenacity.AsyncRetrying(
            stop=tenacity.stop_after_attempt(self.policy.attempts),
            wait=self._wait,
            retry=tenacity.retry_if_result(
                lambda r: r.retryable and waits_within(r.headers, self.policy, self.settings.timeout)),
            retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
            reraise=True,
        )
        reply: Reply = await retrying(self._once, reg, lane, url)
        return reply

    def _count(self, reg: _Registry, reply: Reply) -> None:
        """A registry that keeps failing is left alone for the rest of the run: a hostile or broken one costs
        about ``DOWN_AFTER`` requests with their retries, not as many as there are cited works."""
        if reply.failure == "down":
            return
        if reply.status is None or reply.status >= 500 or reply.status == 429:
            reg.failures += 1
            if reg.failures >= DOWN_AFTER * self.policy.attempts and reg.down is None:
                reg.down = f"{_why(reply)}; not asked again this run after {reg.failures} failures in a row"
        else:
            reg.failures = 0

    async def _refuse(self, base: str) -> str | None:
        try:
            return await self.guard.refuse(httpx.URL(base))
        except (httpx.InvalidURL, ValueError) as exc:
            return f"not a valid URL: {exc}"

    def _wait(self, state: tenacity.RetryCallState) -> float:
        """Retry-After when the registry sent one (within the run's patience), else backoff with jitter."""
        reply = state.outcome.result() if state.outcome and not state.outcome.failed else None
        return delay(reply.headers if isinstance(reply, Reply) else None, self.policy, self.settings.timeout,
                     state.attempt_number)

    async def _once(self, reg: _Registry, lane: str, url: httpx.URL) -> Reply:
        async with self._slot(reg, lane):
            if reg.down is not None:  # given up while this request waited for its slot
                return Reply(error=reg.down, failure="down")
            try:
                reply = await self._send(url)
            except Exception as exc:  # the transport's exceptions are many; every one is an answer
                failure, message = classify(exc, self.settings.timeout)
                self.health.saw(url.host, None, failure, message)
                self._count(reg, reply := Reply(error=message, failure=failure))
                return reply
        self.health.saw(url.host, reply.status, reply.failure, reply.error)
        self._count(reg, reply)
        reg.paces[lane].tighten(reply.headers.get("x-rate-limit-limit"), reply.headers.get("x-rate-limit-interval"))
        return reply

    @contextlib.asynccontextmanager
    async def _slot(self, reg: _Registry, lane: str) -> AsyncIterator[None]:
        async with self.limiter.slot(f"registry {reg.name}", reg.width):
            await reg.paces[lane].wait()
            yield

    async def _send(self, url: httpx.URL) -> Reply:
        async with asyncio.timeout(self.settings.timeout):
            for _ in range(MAX_REDIRECTS + 1):
                response = await self.client.send(self.client.build_request("GET", url, headers=self.headers),
                                                  stream=True)
                try:
                    location = response.headers.get("location")
                    if response.status_code in (301, 302, 303, 307, 308) and location:
                        target = url.join(location)
                        refusal = await self.guard.refuse(target)
                        if refusal:
                            return Reply(error=f"redirected to {target}: {refusal}", failure="refused-by-guard")
                        url = target
                        continue
                    body = await _read(response) if response.status_code == 200 else b""
                    data = None
                    if body:
                        try:
                            data = json.loads(body)
                        except (ValueError, RecursionError):  # RecursionError: [[[[…]]]] nested past the limit
                            return Reply(response.status_code, None, response.headers,
                                         "the registry answered something other than JSON", "protocol")
                    return Reply(response.status_code, data, response.headers)
                finally:
                    await response.aclose()
        return Reply(error=f"more than {MAX_REDIRECTS} redirects", failure="loop")


async def _read(response: httpx.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BODY:
            raise ValueError(f"answer larger than {MAX_BODY // 2**20} MiB")
    return b"".join(chunks)


def _fields(name: str) -> str:
    return _CROSSREF_FIELDS if name == "crossref" else _OPENALEX_FIELDS


def _why(reply: Reply) -> str:
    if reply.error:
        return reply.error + (" after retries" if reply.retryable else "")
    if reply.status is None:
        return "no answer"
    from http import HTTPStatus

    try:
        phrase = f"HTTP {reply.status} {HTTPStatus(reply.status).phrase}"
    except ValueError:
        phrase = f"HTTP {reply.status}"
    return phrase + (" after retries" if reply.retryable else "")


# --------------------------------------------------------------------------- JSON → Record


def _text(value: Any) -> str | None:
    """A title as text: the first of a list, markup (``<i>``, MathML) dropped, entities decoded, spaces folded."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if not isinstance(value, str):
        return None
    text = " ".join(html.unescape(_TAG.sub("", value)).split())
    return text or None


def _texts(*values: Any) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        for v in value if isinstance(value, list) else [value]:
            t = _text(v)
            if t and t not in out:
                out.append(t)
    return tuple(out)


def _year(value: Any) -> int | None:
    if isinstance(value, dict):
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            first = parts[0][0]
            if isinstance(first, int):
                return first
            if isinstance(first, str) and first.isdigit():
                return int(first)
    return None


def _str(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value.strip() or None if isinstance(value, str) else None


def parse_crossref(data: Any) -> Record | None:
    """A Crossref ``work`` message (``{"status": "ok", "message-type": "work", "message": {...}}``)."""
    if not isinstance(data, dict):
        return None
    message = data.get("message")
    return parse_crossref_item(message) if isinstance(message, dict) else None


def parse_crossref_item(item: Any) -> Record | None:
    """One Crossref work (a ``message``, or an item of ``message.items``)."""
    title = _text(item.get("title"))
    doi = _str(item.get("DOI"))
    if not title and not doi:
        return None
    authors = []
    for a in item.get("author") or []:
        if not isinstance(a, dict):
            continue
        if _str(a.get("family")):
            authors.append(Person(family=_str(a.get("family")), given=_str(a.get("given"))))
        elif _str(a.get("name")):
            authors.append(Person(literal=_str(a.get("name"))))
    years = [y for y in (_year(item.get(k)) for k in ("issued", "published-print", "published-online", "published"))
             if y is not None]
    return Record(
        registry="crossref",
        doi=doi.lower() if doi else None,
        title=title,
        subtitle=_text(item.get("subtitle")),
        authors=tuple(authors),
        year=years[0] if years else None,
        years=tuple(dict.fromkeys(years)),
        containers=_texts(item.get("container-title"), item.get("short-container-title")),
        volume=_str(item.get("volume")),
        issue=_str(item.get("issue")),
        pages=_str(item.get("page")),
        type=_str(item.get("type")),
    )


_PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "dos", "das",
                        "ten", "ter", "bin", "al", "el"})


def split_name(display: str) -> Person:
    """``"Francis H. C. Crick"`` → family ``Crick``; particles stay with it (``van der Waals``)."""
    words = display.split()
    if len(words) <= 1:
        return Person(family=display.strip() or None)
    if "," in display:  # "Crick, Francis"
        family, given = display.split(",", 1)
        return Person(family=family.strip(), given=given.strip() or None)
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return Person(family=" ".join(words[start:]), given=" ".join(words[:start]) or None)


def parse_openalex(data: Any) -> Record | None:
    """An OpenAlex work (``/works/doi:…``, or an item of ``results``)."""
    if not isinstance(data, dict):
        return None
    title = _text(data.get("title")) or _text(data.get("display_name"))
    doi = _str(data.get("doi"))
    if doi:
        doi = re.sub(r"^https?://(?:dx\.)?doi\.org/", "", doi, flags=re.IGNORECASE).lower()
    if not title and not doi:
        return None
    authors = []
    for a in data.get("authorships") or []:
        name = _str(((a or {}).get("author") or {}).get("display_name")) if isinstance(a, dict) else None
        if name:
            authors.append(split_name(name))
    containers: list[Any] = []
    for loc in [data.get("primary_location"), *(data.get("locations") or [])]:
        if isinstance(loc, dict) and isinstance(loc.get("source"), dict):
            containers.append(loc["source"].get("display_name"))
    biblio: dict[str, Any] = data["biblio"] if isinstance(data.get("biblio"), dict) else {}
    first, last = _str(biblio.get("first_page")), _str(biblio.get("last_page"))
    pages = f"{first}-{last}" if first and last and last != first else first
    year = data.get("publication_year") if isinstance(data.get("publication_year"), int) else None
    date = _str(data.get("publication_date"))
    years = [y for y in (year, int(date[:4]) if date and date[:4].isdigit() else None) if y is not None]
    return Record(
        registry="openalex",
        doi=doi,
        title=title,
        authors=tuple(authors),
        year=years[0] if years else None,
        years=tuple(dict.fromkeys(years)),
        containers=_texts(containers),
        volume=_str(biblio.get("volume")),
        issue=_str(biblio.get("issue")),
        pages=pages,
        type=_str(data.get("type")),
    )


__all__ = ["Lane", "Pace", "RegistryRun", "look_up", "parse_crossref", "parse_openalex"]
