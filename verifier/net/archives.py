"""Archived copies of cited URLs: the capture the author saw, from the Wayback Machine or a Memento archive.

Per URL (``Archives.lookup``), with the date it should be nearest (``wanted``):

1. the Wayback Machine's **Availability API** (``--wayback-api``,
   ``?url=…&timestamp=YYYYMMDDhhmmss``). It names one capture, the closest to
   the timestamp, whatever that capture's HTTP status was, and does not say how
   it breaks ties or whether "closest" looks on both sides. So:

   - a 2xx capture exactly at the wanted moment, or with no date wanted (then
     it is the newest capture, and being 2xx, the newest 2xx one), is taken as is;
   - a 2xx capture at some distance *d* is checked with one **CDX** query for
     the 2xx captures within ``[wanted − d, wanted + d]`` (``from``/``to``; only
     captures at least as near can be there, so the answer is tiny — when it
     fills ``limit`` the two one-sided queries below are asked instead), so the
     nearest 2xx capture on either side wins and the earlier on a tie, as SPEC
     says. If the CDX API fails, the availability answer stands: it is a real
     2xx capture, at worst not the very nearest;
   - an empty answer, a non-2xx capture or a failure hands the choice to the
     **CDX API** (``--cdx-api``, ``output=json``, ``filter=statuscode:2..``):
     the last 2xx capture up to the wanted moment (``to=…&limit=-1``) and the
     first from it (``from=…&limit=1``), or with no date the newest
     (``limit=-1``). The availability API can answer empty for URLs
     that do have captures, so its silence is never taken as "none" — but
     after an empty answer one ``limit=1`` query first asks whether any 2xx
     capture exists at all, so an unarchived URL costs two requests, not three.

   Requests per URL with a date: two for an archived one (availability, the
   window), three for one with no copy (availability, CDX, TimeTravel);

2. when the CDX API fails too, the ``/web/<timestamp>/<url>`` **redirect** of
   the Wayback Machine (derived from the CDX address): its ``Location`` names
   the closest capture; it is read without following, and the capture is then
   asked once, again without following, whether it replays with a 2xx status
   (an archived 404 or redirect replays as such), so only 2xx captures count;

3. when the Wayback Machine has nothing, or could not be asked, the **Memento
   TimeTravel** aggregator (``--timetravel-api``, ``/<datetime>/<url>``, JSON
   with ``mementos.{first,prev,closest,next,last}.{datetime,uri[]}``, 404 when
   none) as a second opinion covering other archives (archive.today, national
   libraries). When the Wayback Machine answered that it holds no 2xx capture,
   the Wayback copies TimeTravel lists are its non-2xx ones and are passed over.

The outcome (``Lookup``) is a capture, or none, or none with an ``error`` saying
which archive could not be asked: an archive that is down never fails the run.
When the Wayback Machine itself could not be asked, nobody knows whether a copy
exists (no A001); when only the aggregator failed, the Wayback Machine's "none"
still stands and the error is kept beside it.

Every request goes through the run's ``Limiter`` (so the archive host gets at
most ``--per-host`` requests in flight) and is retried with tenacity on 429 and
502/503/504, timeouts and resets, honouring ``Retry-After``. A host that
refuses connections, or cannot be resolved, is taken as down for the rest of
the run, so a dead archive costs one failure, not three per URL; an API that
fails three times running (5xx, 429 or timeouts after retries) is left alone
likewise, while the others on its host are still asked.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from verifier.config import Settings
from verifier.model import Archive, LinkStatus
from verifier.net.client import Limiter
from verifier.net.guard import Guard
from verifier.net.links import (
    Answer,
    Policy,
    Verdict,
    classify,
    close_quietly,
    delay,
    read_capped,
    waits_within,
)

if TYPE_CHECKING:
    import tenacity

ARCHIVE_CACHE = "archive"
WAYBACK = "the Wayback Machine"
MEMENTO = "the Memento TimeTravel aggregator"
NOT_ASKED = "could not be asked"
"""Every ``Lookup.error`` reads ``"<archive> could not be asked: <why>"`` (rules key on the archive's name)."""

JSON_HEADERS = {"Accept": "application/json"}
MAX_BODY = 1024 * 1024
_DOWN_AFTER = 3
_HARD_FAILURES = frozenset({"refused", "unknown-host", "tls", "dns", "unreachable"})
_CAPTURE = re.compile(r"/web/(\d{14})(?:[a-z]{2}_)?/")


# ---------------------------------------------------------------------- dates


@dataclass(frozen=True, slots=True)
class Wanted:
    """The moment a URL's capture should be nearest, and where it comes from.

    ``basis`` is ``"accessed"``, ``"published"`` or ``"newest"`` (no date: the
    newest capture is wanted); ``date`` is the ISO date as cited.
    """

    when: dt.datetime | None
    basis: str = "newest"
    date: str | None = None

    @property
    def timestamp(self) -> str | None:
        return to_timestamp(self.when) if self.when else None


def parse_date(text: str | None) -> dt.datetime | None:
    """The middle of the period an ISO date names, in UTC; None when it is not a date.

    A date is as precise as its citation: ``2015-03-05`` is noon of that day,
    ``1995-12`` the 16th at noon (the middle of the month, near enough), ``1995``
    the 2nd of July at noon. The middle, not the start: the author read the page
    at some unknown moment of that period, and the capture nearest its centre
    is the one least likely to be far from it, on whichever side.
    """
    if not text:
        return None
    m = re.match(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not m:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    try:
        if month is not None and day is not None:
            return dt.datetime(year, month, day, 12, tzinfo=dt.UTC)
        if month is not None:
            return dt.datetime(year, month, 16, 12, tzinfo=dt.UTC)
        return dt.datetime(year, 7, 2, 12, tzinfo=dt.UTC)
    except ValueError:  # 2015-13 or 2015-02-30: keep what is sound
        if month is not None and 1 <= month <= 12:
            return dt.datetime(year, month, 16, 12, tzinfo=dt.UTC)
        return dt.datetime(year, 7, 2, 12, tzinfo=dt.UTC) if year >= 1 else None


def wanted(accessed: str | None, published: str | None) -> Wanted:
    """Nearest the access date, else the publication date, else the newest capture."""
    when = parse_date(accessed)
    if when is not None:
        return Wanted(when, "accessed", accessed)
    when = parse_date(published)
    if when is not None:
        return Wanted(when, "published", published)
    return Wanted(None)


def parse_timestamp(ts: str) -> dt.datetime | None:
    """A Wayback timestamp (``YYYYMMDDhhmmss``; shorter ones padded) as a UTC datetime."""
    digits = ts.strip()
    if not digits.isdigit() or not 4 <= len(digits) <= 14:
        return None
    digits = (digits + "0101000000"[len(digits) - 4 :])[:14] if len(digits) < 14 else digits
    try:
        return dt.datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def to_timestamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S")


# ---------------------------------------------------------------------- captures


@dataclass(frozen=True, slots=True)
class Capture:
    url: str
    timestamp: str
    when: dt.datetime


def choose(captures: Iterable[Capture], when: dt.datetime | None) -> Capture | None:
    """The capture nearest ``when`` on either side (the earlier on a tie); the newest when ``when`` is None."""
    items = list(captures)
    if not items:
        return None
    if when is None:
        return max(items, key=lambda c: c.when)
    return min(items, key=lambda c: (abs(c.when - when), c.when))


def is_2xx(status: object) -> bool:
    text = str(status).strip()
    return len(text) == 3 and text.startswith("2") and text.isdigit()


@dataclass(frozen=True, slots=True)
class Lookup:
    """What the archives said about one URL: a capture, or none, and why none may be unknown."""

    archive: Archive | None = None
    error: str | None = None
    source: str | None = None
    """Which API named the capture: availability, cdx, redirect or timetravel."""

    @property
    def wayback_unknown(self) -> bool:
        """True when nothing was found and the Wayback Machine could not be asked: whether a copy exists is unknown."""
        return self.archive is None and (self.error or "").startswith(WAYBACK)

    def to_cache(self) -> dict[str, Any]:
        return {"archive": self.archive.to_json() if self.archive else None, "error": self.error,
                "source": self.source}

    @classmethod
    def from_cache(cls, data: Mapping[str, Any]) -> Lookup:
        raw = data.get("archive")
        archive = Archive(str(raw["url"]), str(raw["timestamp"])) if isinstance(raw, dict) else None
        error, source = data.get("error"), data.get("source")
        return cls(archive, error if isinstance(error, str) else None, source if isinstance(source, str) else None)


def ttl(lookup: Lookup, settings: Settings) -> float:
    """A capture is trusted for ``cache_ttl``; "none" for a quarter of it (a page may be saved meanwhile);
    an archive that could not be asked is asked again soon."""
    if lookup.archive is not None:
        return settings.cache_ttl
    if lookup.error is None:
        return settings.cache_ttl / 4
    return min(settings.cache_ttl / 24, 900.0)


def cache_key(url: str, want: Wanted, settings: Settings) -> str:
    """By URL and wanted moment, and by the archive endpoints asked (another archive, another answer)."""
    endpoints = "\n".join((settings.wayback_api, settings.cdx_api, settings.timetravel_api))
    tag = hashlib.sha1(endpoints.encode()).hexdigest()[:10]
    return f"{want.timestamp or 'newest'} {tag} {url}"


def web_base(cdx_api: str) -> str:
    """The Wayback Machine's replay prefix (``…/web/``) on the host of its CDX API."""
    url = httpx.URL(cdx_api)
    path = url.path
    prefix = path[: path.index("/cdx/")] if "/cdx/" in path else ""
    return str(url.copy_with(path=f"{prefix}/web/", query=None, fragment=None))


def strip_fragment(url: str) -> str:
    return url.split("#", 1)[0]


# ---------------------------------------------------------------------- requests


async def fetch(
    client: httpx.AsyncClient,
    limiter: Limiter,
    method: str,
    url: str,
    *,
    policy: Policy,
    timeout: float,
    params: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
    data: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    max_body: int = MAX_BODY,
    attempts: int | None = None,
) -> Answer:
    """One API request, retried with tenacity on 429/502/503/504, timeouts and resets (``Retry-After`` honoured).

    The body is read whatever the status (an API's error is in its body), at
    most ``max_body`` bytes, within ``timeout`` for the whole request. Never
    raises for a transport failure: the ``Answer`` carries it.
    """
    import tenacity  # (loaded when an archive is asked: 10 ms of every start-up otherwise)

    retrying = tenacity.AsyncRetrying(
        stop=tenacity.stop_after_attempt(attempts or policy.attempts),
        wait=_waiter(policy, timeout),
        retry=tenacity.retry_if_result(lambda a: a.retryable and waits_within(a.headers, policy, timeout)
                                       and not limiter.health.hopeless(a.failure)),
        retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
        reraise=True,
    )
    answer: Answer = await retrying(_once, client, limiter, method, url, params, data, headers, timeout, max_body)
    return answer


def _waiter(policy: Policy, timeout: float) -> Callable[[tenacity.RetryCallState], float]:
    def wait(state: tenacity.RetryCallState) -> float:
        answer = state.outcome.result() if state.outcome and not state.outcome.failed else None
        return delay(answer.headers if isinstance(answer, Answer) else None, policy, timeout, state.attempt_number)

    return wait


async def _once(client: httpx.AsyncClient, limiter: Limiter, method: str, url: str, params: Any, data: Any,
                headers: Any, timeout: float, max_body: int) -> Answer:
    answer = await _exchange(client, limiter, method, url, params, data, headers, timeout, max_body)
    limiter.health.saw(answer.url.host, answer.status, answer.failure, answer.error)
    return answer


async def _exchange(client: httpx.AsyncClient, limiter: Limiter, method: str, url: str, params: Any, data: Any,
                    headers: Any, timeout: float, max_body: int) -> Answer:
    try:
        request = client.build_request(method, url, params=params, data=data, headers=headers)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        return Answer(httpx.URL("http://invalid/"), error=f"cannot request {url}: {exc}", failure="protocol")
    async with limiter.slot(request.url.host):
        try:
            deadline = time.monotonic() + timeout
            async with asyncio.timeout(timeout):
                response = await client.send(request, stream=True)
            try:
                body = await read_capped(response, max(deadline - time.monotonic(), 0.001), max_body)
                return Answer(request.url, response.status_code, response.headers, body)
            finally:
                await close_quietly(response)
        except Exception as exc:  # the transport's exceptions are many; every one is an answer
            failure, message = classify(exc, timeout)
            return Answer(request.url, error=message, failure=failure)


def describe(answer: Answer) -> str:
    """Why an answer is not a usable one, in a few words."""
    if answer.status is None:
        return answer.error or "no answer"
    from http import HTTPStatus

    try:
        return f"HTTP {answer.status} {HTTPStatus(answer.status).phrase}"
    except ValueError:
        return f"HTTP {answer.status}"


def json_body(answer: Answer) -> Any:
    """The answer's JSON, or None when it is not JSON."""
    try:
        return json.loads(answer.body or b"")
    except (ValueError, UnicodeDecodeError, RecursionError):  # [[[[…]]]] from a hostile API is no answer
        return None


class _Failed(Exception):
    """An archive API could not be asked (internal: becomes ``Lookup.error``)."""


# ---------------------------------------------------------------------- the look-up


class Archives:
    """Looks up captures with one client, one limiter and one retry policy shared by the run."""

    def __init__(self, client: httpx.AsyncClient, limiter: Limiter, settings: Settings, *,
                 policy: Policy | None = None, clock: Callable[[], dt.datetime] | None = None) -> None:
        self.client = client
        self.limiter = limiter
        self.policy = policy or Policy()
        self.timeout = settings.timeout
        self.wayback_api = settings.wayback_api
        self.cdx_api = settings.cdx_api
        self.timetravel_api = settings.timetravel_api.rstrip("/")
        self.web = web_base(settings.cdx_api)
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._failures: dict[str, int] = {}
        self._down: dict[str, str] = {}
        self._guard = Guard(settings.allow_private)

    async def lookup(self, url: str, want: Wanted) -> Lookup:
        url = strip_fragment(url)
        try:
            capture, source = await self._wayback(url, want)
        except _Failed as exc:
            wayback_error: str | None = f"{WAYBACK} {NOT_ASKED}: {exc}"
            capture, source = None, None
        else:
            wayback_error = None
            if capture is not None:
                return Lookup(Archive(capture.url, capture.timestamp), None, source)
        try:
            memento = await self._timetravel(url, want, skip_wayback=wayback_error is None)
        except _Failed as exc:
            return Lookup(None, wayback_error or f"{MEMENTO} {NOT_ASKED}: {exc}")
        if memento is not None:
            return Lookup(Archive(memento.url, memento.timestamp), None, "timetravel")
        return Lookup(None, wayback_error)

    # ------------------------------------------------------------------ the Wayback Machine

    async def _wayback(self, url: str, want: Wanted) -> tuple[Capture | None, str | None]:
        """The chosen 2xx capture (or None: the Wayback Machine has none); ``_Failed`` when it could not say."""
        errors: list[tuple[str, str]] = []
        try:
            closest = await self._availability(url, want)
        except _Failed as exc:
            errors.append(("availability API", str(exc)))
            closest = None
        if closest is not None and is_2xx(closest[1]):
            capture = closest[0]
            if want.when is None or capture.when == want.when:
                return capture, "availability"
            try:
                nearer = await self._cdx_window(url, want.when, abs(capture.when - want.when))
            except _Failed:
                return capture, "availability"
            best = choose([capture, *nearer], want.when)
            return best, ("availability" if best == capture else "cdx")
        try:
            if closest is None and want.when is not None and not errors:
                if not await self._cdx(self._cdx_query(url, ("limit", "1")), url):
                    return None, "cdx"  # the availability API's silence, confirmed: no 2xx capture at all
            found = await self._cdx_nearest(url, want.when, None)
            return choose(found, want.when), "cdx"
        except _Failed as exc:
            errors.append(("CDX API", str(exc)))
        try:
            return await self._redirect(url, want), "redirect"
        except _Failed as exc:
            errors.append(("/web/ redirect", str(exc)))
        raise _Failed(_grouped(errors))

    async def _availability(self, url: str, want: Wanted) -> tuple[Capture, str] | None:
        """(capture, its HTTP status) of the closest capture, or None when the API names none."""
        params = {"url": url}
        if want.timestamp:
            params["timestamp"] = want.timestamp
        data = await self._json("availability", self.wayback_api, params)
        if not isinstance(data, dict):
            raise _Failed("not a JSON object")
        closest = (data.get("archived_snapshots") or {}).get("closest") if isinstance(
            data.get("archived_snapshots"), dict) else None
        if not isinstance(closest, dict) or closest.get("available") is False:
            return None
        ts, link = str(closest.get("timestamp") or ""), closest.get("url")
        when = parse_timestamp(ts)
        if when is None or len(ts) != 14:
            return None
        return Capture(str(link) if link else f"{self.web}{ts}/{url}", ts, when), str(closest.get("status", ""))

    @staticmethod
    def _cdx_query(url: str, *extra: tuple[str, str]) -> list[tuple[str, str]]:
        return [("url", url), ("output", "json"), ("fl", "timestamp,original,statuscode"),
                ("filter", "statuscode:2.."), *extra]

    async def _cdx_window(self, url: str, when: dt.datetime, within: dt.timedelta) -> list[Capture]:
        """The 2xx captures no farther from ``when`` than ``within`` (one query; two if it is not small)."""
        low, high = to_timestamp(max(when - within, _EPOCH)), to_timestamp(when + within)
        found = await self._cdx(self._cdx_query(url, ("from", low), ("to", high), ("limit", str(_WINDOW))), url)
        if len(found) < _WINDOW:
            return found
        return await self._cdx_nearest(url, when, within)

    async def _cdx_nearest(self, url: str, when: dt.datetime | None, within: dt.timedelta | None) -> list[Capture]:
        """The last 2xx capture up to ``when`` and the first from it (only ``within`` of it, when given);
        with no ``when``, the newest 2xx capture."""
        base = self._cdx_query(url)
        if when is None:
            return await self._cdx([*base, ("limit", "-1")], url)
        ts = to_timestamp(when)
        before = [*base, ("to", ts), ("limit", "-1")]
        after = [*base, ("from", ts), ("limit", "1")]
        if within is not None:
            before.insert(4, ("from", to_timestamp(max(when - within, _EPOCH))))
            after.insert(4, ("to", to_timestamp(when + within)))
        answers = await asyncio.gather(self._cdx(before, url), self._cdx(after, url), return_exceptions=True)
        for answer in answers:
            if isinstance(answer, BaseException):
                raise answer
        return [c for answer in answers if isinstance(answer, list) for c in answer]

    async def _cdx(self, params: list[tuple[str, str]], url: str) -> list[Capture]:
        data = await self._json("cdx", self.cdx_api, params)
        if not isinstance(data, list):
            raise _Failed("not a JSON array")
        rows = [r for r in data if isinstance(r, list) and r]
        if not rows:
            return []
        header = [str(h) for h in rows[0]]
        if "timestamp" not in header:
            raise _Failed("no header row naming the timestamp")
        at, status_at = header.index("timestamp"), header.index("statuscode") if "statuscode" in header else None
        out = []
        for row in rows[1:]:
            if len(row) != len(header):
                continue  # a resumption key or a short row
            if status_at is not None and not is_2xx(row[status_at]):
                continue  # the filter should have done it; a capture must have been 2xx to count
            ts = str(row[at])
            when = parse_timestamp(ts)
            if when is not None and len(ts) == 14:
                out.append(Capture(f"{self.web}{ts}/{url}", ts, when))
        return out

    async def _redirect(self, url: str, want: Wanted) -> Capture | None:
        """The capture ``/web/<timestamp>/<url>`` redirects to, if it replays with a 2xx status."""
        target = f"{self.web}{want.timestamp}/{url}" if want.timestamp else f"{self.web}{url}"
        answer = await self._ask("web", "GET", target, None, max_body=0)
        if answer.status == 404:
            return None
        if answer.status is not None and 200 <= answer.status < 300 and want.timestamp and want.when:
            return Capture(target, want.timestamp, want.when)  # a capture at that very second
        location = answer.headers.get("location") if answer.status in (301, 302, 303, 307, 308) else None
        if not location:
            raise _Failed(describe(answer) if answer.status is None or answer.status >= 400
                          else f"{describe(answer)} without a capture to redirect to")
        capture_url = str(answer.url.join(location.strip()))
        m = _CAPTURE.search(httpx.URL(capture_url).path + "/")
        when = parse_timestamp(m.group(1)) if m else None
        if m is None or when is None or httpx.URL(capture_url).host != httpx.URL(self.web).host:
            raise _Failed(f"redirected to {capture_url}, not to a capture")
        replay = await self._ask("web", "GET", capture_url, None, max_body=0)
        if replay.status is None:
            raise _Failed(describe(replay))
        if not 200 <= replay.status < 300:
            return None  # the nearest capture is an archived error page or redirect
        return Capture(f"{self.web}{m.group(1)}/{url}", m.group(1), when)

    # ------------------------------------------------------------------ Memento TimeTravel

    async def _timetravel(self, url: str, want: Wanted, *, skip_wayback: bool) -> Capture | None:
        stamp = want.timestamp or to_timestamp(self.clock())
        answer = await self._ask("timetravel", "GET", f"{self.timetravel_api}/{stamp}/{url}", None)
        if answer.status == 404:
            return None
        data = self._decode(answer)
        mementos = data.get("mementos") if isinstance(data, dict) else None
        if not isinstance(mementos, dict):
            raise _Failed("no 'mementos' in the answer")
        wayback_host = httpx.URL(self.web).host
        found: list[Capture] = []
        for name in ("first", "prev", "closest", "next", "last"):
            entry = mementos.get(name)
            if not isinstance(entry, dict):
                continue
            when = _iso_datetime(entry.get("datetime"))
            uris = entry.get("uri")
            uris = [uris] if isinstance(uris, str) else uris if isinstance(uris, list) else []
            usable = [u for u in uris if isinstance(u, str) and u.startswith(("http://", "https://"))]
            if skip_wayback:  # the Wayback Machine said it holds no 2xx capture: its copies here are not 2xx
                usable = [u for u in usable if not _same_archive(u, wayback_host)]
            if when is not None and usable:
                found.append(Capture(usable[0], to_timestamp(when), when))
        return choose(found, want.when)

    # ------------------------------------------------------------------ plumbing

    async def _json(self, api: str, endpoint: str, params: Any) -> Any:
        return self._decode(await self._ask(api, "GET", endpoint, params, headers=JSON_HEADERS))

    def _decode(self, answer: Answer) -> Any:
        if answer.status is None or not 200 <= answer.status < 300:
            raise _Failed(describe(answer))
        data = json_body(answer)
        if data is None:
            raise _Failed("the answer is not JSON")
        return data

    async def _ask(self, api: str, method: str, endpoint: str, params: Any, *,
                   headers: Mapping[str, str] | None = None, max_body: int = MAX_BODY) -> Answer:
        """A request to an archive, unless its host is known to be down; failures counted per host."""
        try:
            parsed = httpx.URL(endpoint)
        except (httpx.InvalidURL, ValueError) as exc:
            raise _Failed(f"not a valid URL: {endpoint}") from exc
        # A host that refuses connections is down for every API on it; an API that keeps failing (5xx, 429,
        # timeouts after retries) is down alone: the CDX server failing must not stop the /web/ fallback.
        api = f"{parsed.host}:{parsed.port} {api}"
        down = self._down.get(parsed.host) or self._down.get(api)
        if down:
            raise _Failed(down)
        # The endpoints come from the configuration, which a pull request can change too: they pass the same
        # guard as links (a private address only with --allow-private). Decided once per host and port.
        refusal = await self._guard.refuse(parsed)
        if refusal:
            self._down.setdefault(parsed.host, refusal)
            raise _Failed(refusal)
        answer = await fetch(self.client, self.limiter, method, endpoint, params=params, headers=headers,
                             policy=self.policy, timeout=self.timeout, max_body=max_body)
        if answer.failure in _HARD_FAILURES:
            self._down.setdefault(parsed.host, describe(answer))
        elif answer.status is None or answer.status >= 500 or answer.status == 429:
            self._failures[api] = self._failures.get(api, 0) + 1
            if self._failures[api] >= _DOWN_AFTER:
                self._down.setdefault(api, describe(answer))
        else:
            self._failures[api] = 0
        return answer


_EPOCH = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)
_WINDOW = 50


def _grouped(errors: Sequence[tuple[str, str]]) -> str:
    """``availability API: X; CDX API and /web/ redirect: Y`` — each reason once."""
    by_reason: dict[str, list[str]] = {}
    for what, why in errors:
        by_reason.setdefault(why, []).append(what)
    return "; ".join(f"{' and '.join(whats)}: {why}" for why, whats in by_reason.items())


def _iso_datetime(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _same_archive(uri: str, host: str) -> bool:
    try:
        return httpx.URL(uri).host == host
    except (httpx.InvalidURL, ValueError):
        return False


# ---------------------------------------------------------------------- the stage in the link run


class Stage:
    """The archive look-ups of one ``check_links`` run: which URLs, nearest which dates, and the results.

    ``net.check_links`` binds it to its client and limiter and awaits
    ``after(url, verdict)`` once a URL's verdict is known (fresh or cached), so
    look-ups overlap the link checks of other URLs in the same event loop.
    """

    def __init__(self, urls: Iterable[str], dates: Mapping[str, tuple[str | None, str | None]],
                 settings: Settings) -> None:
        self.settings = settings
        self.wanted = {u: wanted(*dates.get(u, (None, None))) for u in urls}
        self.results: dict[str, Lookup] = {}
        self.fresh: dict[str, Lookup] = {}
        self._stored: set[str] = set()
        self._archives: Archives | None = None

    def keys(self) -> dict[str, str]:
        return {cache_key(u, w, self.settings): u for u, w in self.wanted.items()}

    def remember(self, cached: Mapping[str, Any]) -> None:
        """Take the cache's answers (``key: value``)."""
        keys = self.keys()
        for key, value in cached.items():
            if key in keys and isinstance(value, dict):
                self.results[keys[key]] = Lookup.from_cache(value)

    @property
    def pending(self) -> list[str]:
        return [u for u in self.wanted if u not in self.results]

    def bind(self, client: httpx.AsyncClient, limiter: Limiter, policy: Policy | None) -> None:
        self._archives = Archives(client, limiter, self.settings, policy=policy)

    async def after(self, url: str, verdict: Verdict) -> None:
        if url in self.results or url not in self.wanted or not eligible(url, verdict):
            return
        assert self._archives is not None, "bind() first"
        lookup = await self._archives.lookup(url, self.wanted[url])
        self.results[url] = self.fresh[url] = lookup

    def to_cache(self) -> dict[str, tuple[dict[str, Any], float]]:
        """The fresh look-ups not handed out before, as cache rows. A look-up that could not ask an archive
        is not an answer and is never kept: the next run asks again."""
        rows = {cache_key(u, self.wanted[u], self.settings): (r.to_cache(), ttl(r, self.settings))
                for u, r in self.fresh.items() if r.error is None and u not in self._stored}
        self._stored.update(self.fresh)
        return rows

    def forget_fresh(self) -> None:
        """Drop what this run's look-ups found (a run without network learned nothing)."""
        for url in self.fresh:
            self.results.pop(url, None)
        self.fresh = {}

    def warnings(self) -> list[str]:
        """What the archives could not tell, once per service for the run (the findings say it in a few words)."""
        out = []
        unknown = [r.error for r in self.results.values() if r.error and r.wayback_unknown]
        if unknown:
            many = len(unknown) > 1
            out.append(f"{WAYBACK} {NOT_ASKED} about {len(unknown)} URL{'s' if many else ''} "
                       f"({unknown[0].split(': ', 1)[-1]}); whether {'they are' if many else 'it is'} archived "
                       "is unknown")
        aggregator = [r.error for r in self.results.values() if r.error and r.error.startswith(MEMENTO)]
        if aggregator:
            many = len(aggregator) > 1
            out.append(f"{MEMENTO} {NOT_ASKED} about {len(aggregator)} URL{'s' if many else ''} "
                       f"({aggregator[0].split(': ', 1)[-1]}); only the Wayback Machine was asked about "
                       f"{'them' if many else 'it'}")
        return out


def eligible(url: str, verdict: Verdict) -> bool:
    """Archives are asked about http(s) URLs that were checked (not skipped: private, excluded, malformed)."""
    return verdict.status is not LinkStatus.SKIPPED and url.lower().startswith(("http://", "https://"))


def remember(captures: Mapping[str, Archive], dates: Mapping[str, tuple[str | None, str | None]],
             settings: Settings) -> str | None:
    """Store captures just made (``verifier archive``) as each URL's look-up, so the next check knows of them
    at once: the archive's indexes take minutes to hours to list a fresh capture. A URL with no capture before
    has only this one, so it is the nearest whatever the wanted date. Returns the cache's warning, if any."""
    if settings.no_cache or not captures:
        return None
    from verifier.net.cache import Cache

    cache = Cache(settings.cache)
    cache.put_many(ARCHIVE_CACHE, {
        cache_key(url, wanted(*dates.get(url, (None, None))), settings): (
            Lookup(archive, None, "savepagenow").to_cache(), settings.cache_ttl)
        for url, archive in captures.items()
    })
    warning = cache.warning
    cache.close()
    return warning


__all__ = ["ARCHIVE_CACHE", "Archives", "Capture", "Lookup", "Stage", "Wanted", "choose", "fetch", "parse_date",
           "remember", "wanted"]
