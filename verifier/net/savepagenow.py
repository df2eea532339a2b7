"""Save Page Now: ask the Wayback Machine to capture live cited URLs (``verifier archive``), and wait for it.

The Save Page Now 2 API (SPN2), as the Internet Archive documents it:

- ``POST {save_api}`` with the form field ``url``, the headers
  ``Accept: application/json`` and ``Authorization: LOW <access key>:<secret>``
  (the keys of https://archive.org/account/s3.php), answers
  ``{"url": …, "job_id": "spn2-…"}`` — possibly with a ``message`` when the
  same page was captured minutes ago; the job still runs. A refusal comes
  with HTTP 200 too: ``{"status": "error", "status_ext": "error:…", "message": …}``
  (``error:too-many-daily-captures``, ``error:blocked-url``, …);
- ``GET {save_api}/status/<job_id>`` answers ``{"status": "pending", …}`` while
  the capture runs, then ``{"status": "success", "timestamp": "YYYYMMDDhhmmss",
  "original_url": …}`` or ``{"status": "error", "status_ext", "message"}``.

Jobs are polled every ``poll_interval`` seconds, at most ``max_polls`` times and
within ``job_timeout`` seconds each; a job still pending then is reported as
such (it may yet finish; its status address is printed). At most ``per_host``
captures run at once (SPN2 also caps concurrent captures per account), and
every request goes through the run's ``Limiter`` with tenacity retries on 429
and 5xx, honouring ``Retry-After``. Nothing here raises for a refusal or an
archive that is down: each URL ends as a ``Saved`` with a capture or an error.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from verifier.config import Settings
from verifier.errors import UsageError
from verifier.model import Archive, LinkStatus
from verifier.net.archives import WAYBACK, describe, fetch, json_body, parse_timestamp
from verifier.net.client import DEFAULT_TRANSPORT, Limiter, Transport, make_client, run_sync
from verifier.net.links import Policy

DEFAULT_SAVE_API = "https://web.archive.org/save"
ACCESS_KEY = "IA_ACCESS_KEY"
SECRET_KEY = "IA_SECRET_KEY"


@dataclass(frozen=True, slots=True)
class Credentials:
    access: str
    secret: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Credentials:
        """The keys from ``IA_ACCESS_KEY`` and ``IA_SECRET_KEY``; ``UsageError`` naming what is missing."""
        access, secret = env.get(ACCESS_KEY, "").strip(), env.get(SECRET_KEY, "").strip()
        missing = [name for name, value in ((ACCESS_KEY, access), (SECRET_KEY, secret)) if not value]
        if missing:
            raise UsageError(
                f"Save Page Now needs Internet Archive keys: set {' and '.join(missing)} in the environment "
                "(get them at https://archive.org/account/s3.php), or use --dry-run to list what would be submitted"
            )
        return cls(access, secret)

    def header(self) -> str:
        return f"LOW {self.access}:{self.secret}"


@dataclass(frozen=True, slots=True)
class Saved:
    """What became of one URL: its capture, or why there is none."""

    url: str
    capture: Archive | None = None
    error: str | None = None
    job_id: str | None = None


@dataclass(frozen=True, slots=True)
class Polling:
    """How long to wait for captures. The defaults suit SPN2 (a capture takes seconds to two minutes)."""

    interval: float = 5.0
    max_polls: int = 40
    job_timeout: float = 300.0


@dataclass(frozen=True, slots=True)
class Submission:
    """What ``verifier archive`` asks of the network stage: submit each live URL no archive holds."""

    credentials: Credentials
    save_api: str = DEFAULT_SAVE_API
    polling: Polling = Polling()


def to_submit(status: LinkStatus, archive: Archive | None, looked_up: bool, archive_error: str | None) -> bool:
    """Whether a checked URL is to be submitted: live, looked up in the archives, and held by none of them.

    A URL the Wayback Machine could not be asked about is not submitted (it may hold a capture already);
    ``verifier archive`` lists it as unknown instead.
    """
    return (status in (LinkStatus.ALIVE, LinkStatus.REDIRECTED) and archive is None and looked_up
            and not (archive_error or "").startswith(WAYBACK))


class Submitter:
    """Save Page Now inside the network stage: each URL the link checker finds live and without a capture is
    queued at once, and at most ``per_host`` job workers submit and poll them while the check goes on, every
    request through the stage's client and ``Limiter``. ``saved`` holds what became of each URL."""

    def __init__(self, submission: Submission, settings: Settings,
                 progress: Callable[[Saved], None] | None = None) -> None:
        self.submission = submission
        self.settings = settings
        self.progress = progress
        self.saved: dict[str, Saved] = {}
        self._queued: set[str] = set()
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._saver: _Saver | None = None

    def bind(self, client: httpx.AsyncClient, limiter: Limiter, policy: Policy) -> None:
        s = self.submission
        self._saver = _Saver(client, limiter, s.credentials, s.save_api.rstrip("/"), s.polling, policy,
                             self.settings.timeout)

    def submit(self, url: str) -> None:
        if url not in self._queued:
            self._queued.add(url)
            self._queue.put_nowait(url)

    def close(self) -> None:
        """No more URLs: the workers finish what is queued and stop."""
        for _ in range(self._workers):
            self._queue.put_nowait(None)

    @property
    def _workers(self) -> int:
        return max(self.settings.per_host, 1)  # SPN2 also caps the captures an account runs at once

    async def run(self) -> None:
        saver = self._saver
        assert saver is not None, "bind() first"

        async def worker() -> None:
            while (url := await self._queue.get()) is not None:
                saved = self.saved[url] = await saver.save(url)
                if self.progress is not None:
                    self.progress(saved)

        await asyncio.gather(*(worker() for _ in range(self._workers)))


def save(
    urls: Sequence[str],
    settings: Settings,
    credentials: Credentials,
    *,
    save_api: str = DEFAULT_SAVE_API,
    polling: Polling | None = None,
    policy: Policy | None = None,
    client: httpx.AsyncClient | None = None,
    transport: Transport | None = None,
    progress: Callable[[Saved], None] | None = None,
) -> list[Saved]:
    """Submit each URL to Save Page Now and wait for its job; one ``Saved`` per URL, in order.

    For a list of URLs known to be live; ``verifier archive`` instead hands a ``Submitter`` to the network
    stage, which submits URLs as the check finds them."""
    submission = Submission(credentials, save_api, polling or Polling())
    return run_sync(_save_all(list(dict.fromkeys(urls)), settings, submission, policy or Policy(), client,
                              transport, progress))


async def _save_all(urls: list[str], settings: Settings, submission: Submission, policy: Policy,
                    client: httpx.AsyncClient | None, transport: Transport | None,
                    progress: Callable[[Saved], None] | None) -> list[Saved]:
    own = client is None
    http = client or make_client(settings, transport or DEFAULT_TRANSPORT)
    submitter = Submitter(submission, settings, progress)
    submitter.bind(http, Limiter(settings.concurrency, settings.per_host), policy)
    for url in urls:
        submitter.submit(url)
    submitter.close()
    try:
        await submitter.run()
    finally:
        if own:
            await http.aclose()
    return [submitter.saved[u] for u in urls]


def web_base(save_api: str) -> str:
    """The replay prefix (``…/web/``) on the host of the save endpoint."""
    url = httpx.URL(save_api)
    path = url.path.rstrip("/")
    prefix = path[: -len("/save")] if path.endswith("/save") else ""
    return str(url.copy_with(path=f"{prefix}/web/", query=None, fragment=None))


class _Saver:
    def __init__(self, client: httpx.AsyncClient, limiter: Limiter, credentials: Credentials, save_api: str,
                 polling: Polling, policy: Policy, timeout: float) -> None:
        self.client = client
        self.limiter = limiter
        self.headers = {"Accept": "application/json", "Authorization": credentials.header()}
        self.save_api = save_api
        self.web = web_base(save_api)
        self.polling = polling
        self.policy = policy
        self.timeout = timeout

    async def save(self, url: str) -> Saved:
        answer = await fetch(self.client, self.limiter, "POST", self.save_api, data={"url": url},
                             headers=self.headers, policy=self.policy, timeout=self.timeout)
        data = _answer(answer)
        if isinstance(data, str):
            return Saved(url, error=f"not submitted: {data}")
        job_id = data.get("job_id")
        if not isinstance(job_id, str) or not job_id:
            return Saved(url, error=f"not submitted: {_refusal(data)}")
        return await self._wait(url, job_id)

    async def _wait(self, url: str, job_id: str) -> Saved:
        deadline = time.monotonic() + self.polling.job_timeout
        status_url = f"{self.save_api}/status/{job_id}"
        last = "pending"
        for _ in range(self.polling.max_polls):
            await asyncio.sleep(min(self.polling.interval, max(deadline - time.monotonic(), 0.0)))
            answer = await fetch(self.client, self.limiter, "GET", status_url, headers=self.headers,
                                 policy=self.policy, timeout=self.timeout)
            data = _answer(answer)
            if isinstance(data, str):
                last = data  # a failed poll is not a failed capture: ask again
            else:
                status = data.get("status")
                if status == "success":
                    return self._captured(url, job_id, data)
                if status == "error":
                    return Saved(url, error=_refusal(data), job_id=job_id)
                last = str(status or "no status")
            if time.monotonic() >= deadline:
                break
        return Saved(url, error=f"no result after {self.polling.max_polls} polls or {self.polling.job_timeout:g} s "
                                f"(last: {last}); the capture may still finish: {status_url}", job_id=job_id)

    def _captured(self, url: str, job_id: str, data: Mapping[str, Any]) -> Saved:
        ts = str(data.get("timestamp") or "")
        if len(ts) != 14 or parse_timestamp(ts) is None:
            return Saved(url, error=f"the job succeeded without a capture timestamp ({ts or 'none'})", job_id=job_id)
        status = data.get("http_status")
        if isinstance(status, int) and not 200 <= status < 300:
            return Saved(url, error=f"the archive captured an HTTP {status} answer, not the page "
                                    f"({self.web}{ts}/{url})", job_id=job_id)
        original = data.get("original_url")
        target = original if isinstance(original, str) and original else url
        return Saved(url, Archive(f"{self.web}{ts}/{target}", ts), job_id=job_id)


def _answer(answer: Any) -> dict[str, Any] | str:
    """The JSON object of an SPN2 answer, or why there is none."""
    if answer.status is None:
        return describe(answer)
    data = json_body(answer)
    if answer.status in (401, 403):
        said = _refusal(data) if isinstance(data, dict) else describe(answer)
        return f"the archive refused the keys in {ACCESS_KEY}/{SECRET_KEY} ({said})"
    if not 200 <= answer.status < 300:
        return _refusal(data) if isinstance(data, dict) and data.get("status") == "error" else describe(answer)
    if not isinstance(data, dict):
        return "the answer is not JSON (are the keys right? without them SPN answers with a web page)"
    return data


def _refusal(data: Mapping[str, Any]) -> str:
    """SPN2's own words: ``status_ext`` and ``message`` tell a blocked URL from a daily limit from a timeout."""
    parts = [str(data[k]) for k in ("status_ext", "message") if data.get(k)]
    return ": ".join(parts) or f"status {data.get('status') or 'unknown'} without a reason"


__all__ = ["DEFAULT_SAVE_API", "Credentials", "Polling", "Saved", "Submission", "Submitter", "save", "to_submit"]
