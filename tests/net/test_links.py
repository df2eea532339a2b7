"""The link checker against the loopback origin: every case a cited URL can meet."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.servers.origin import Origin
from verifier import net
from verifier.config import Settings
from verifier.model import LinkStatus
from verifier.net import guard
from verifier.net.links import Policy, classify, retry_after

FAST = Policy(backoff=0.05, backoff_max=0.2, retry_after_cap=2.0)


def run(origin: Origin, paths: list[str], *, titled: tuple[str, ...] = (), timeout: float = 2.0, **settings: object):
    urls = [(origin.url(p), (f"c{i}",)) for i, p in enumerate(paths)]
    s = Settings(allow_private=True, no_cache=True, no_archive=True, timeout=timeout).with_overrides(settings)
    result = net.check_links(urls, s, want_title={origin.url(p) for p in titled}, policy=FAST)
    return {r.url.removeprefix(origin.base): r for r in result.results}


@pytest.mark.parametrize(
    ("path", "status", "http_status"),
    [
        pytest.param("/ok", LinkStatus.ALIVE, 200, id="200"),
        pytest.param("/pdf", LinkStatus.ALIVE, 200, id="200-not-html"),
        pytest.param("/temp302", LinkStatus.ALIVE, 200, id="302-is-alive"),
        pytest.param("/moved301", LinkStatus.REDIRECTED, 200, id="301-308-chain"),
        pytest.param("/missing", LinkStatus.DEAD, 404, id="404"),
        pytest.param("/gone", LinkStatus.DEAD, 410, id="410"),
        pytest.param("/forbidden", LinkStatus.BLOCKED, 403, id="403-blocked-not-dead"),
        pytest.param("/ua-check", LinkStatus.ALIVE, 200, id="403-to-default-user-agent"),
        pytest.param("/no-head", LinkStatus.ALIVE, 200, id="405-to-head"),
        pytest.param("/always503", LinkStatus.ERROR, 503, id="503-after-retries"),
        pytest.param("/loop/a", LinkStatus.ERROR, 302, id="redirect-loop"),
        pytest.param("/chain/0", LinkStatus.ERROR, 302, id="too-many-redirects"),
        pytest.param("/old-section/story", LinkStatus.SOFT_404, 200, id="redirect-to-front-page"),
        pytest.param("/soft/some-article", LinkStatus.SOFT_404, 200, id="soft-404-site"),
        pytest.param("/soft/real-article", LinkStatus.ALIVE, 200, id="real-page-on-soft-404-site"),
    ],
)
def test_each_case_is_classified(origin: Origin, path: str, status: LinkStatus, http_status: int) -> None:
    result = run(origin, [path])[path]
    assert (result.status, result.http_status) == (status, http_status), result


def test_a_redirect_chain_is_recorded_and_the_new_url_suggested(origin: Origin) -> None:
    result = run(origin, ["/moved301"])["/moved301"]
    assert [(code, url.removeprefix(origin.base)) for code, url in result.redirects] == [
        (301, "/moved308"), (308, "/ok")]
    assert result.final_url == origin.url("/ok")
    assert result.suggestion == origin.url("/ok")


def test_a_404_to_head_is_confirmed_by_get_before_the_url_is_called_dead(origin: Origin) -> None:
    run(origin, ["/missing"])
    assert origin.requests_for("/missing") == ["HEAD", "GET"]


def test_the_user_agent_names_verifier(origin: Origin) -> None:
    run(origin, ["/ok"])
    agents = {agent for _, path, agent in origin.log if path == "/ok"}
    assert agents and all(a.startswith("verifier/") for a in agents)


def test_429_with_retry_after_is_waited_for_then_alive(origin: Origin) -> None:
    start = time.monotonic()
    result = run(origin, ["/ratelimited"])["/ratelimited"]
    assert result.status is LinkStatus.ALIVE
    assert time.monotonic() - start >= 0.9  # Retry-After: 1 was honoured
    assert origin.requests_for("/ratelimited") == ["HEAD", "HEAD"]


def test_503_then_200_is_retried(origin: Origin) -> None:
    assert run(origin, ["/flaky"])["/flaky"].status is LinkStatus.ALIVE
    assert origin.requests_for("/flaky") == ["HEAD", "HEAD"]


def test_a_page_that_never_answers_is_an_error_within_the_timeout_bounds(origin: Origin) -> None:
    start = time.monotonic()
    result = run(origin, ["/hang"], timeout=0.3)["/hang"]
    elapsed = time.monotonic() - start
    assert result.status is LinkStatus.ERROR and "timed out" in (result.error or "")
    # one HEAD and two GETs, each bounded by the timeout, plus one short backoff
    assert origin.requests_for("/hang") == ["HEAD", "GET", "GET"]
    assert elapsed < 3 * 0.3 + 2.5  # generous for a loaded CI machine; the server would hold it for 30 s


def test_a_dripping_body_is_cut_at_the_timeout(origin: Origin) -> None:
    start = time.monotonic()
    result = run(origin, ["/drip"], titled=("/drip",), timeout=0.5)["/drip"]
    assert time.monotonic() - start < 3.0  # the body would drip for 30 s
    assert result.status is LinkStatus.ALIVE and result.title == "Dripping page"


def test_a_200_mb_body_is_not_read_whole(origin: Origin) -> None:
    start = time.monotonic()
    result = run(origin, ["/huge"], titled=("/huge",))["/huge"]
    assert time.monotonic() - start < 3.0  # reading 200 MB on loopback takes far longer
    assert result.status is LinkStatus.ALIVE
    assert result.title == "Nationalism and Regional Security"


def test_a_200_not_found_page_is_a_soft_404_when_the_page_is_read(origin: Origin) -> None:
    result = run(origin, ["/removed-article"], titled=("/removed-article",))["/removed-article"]
    assert result.status is LinkStatus.SOFT_404
    assert "Article no longer available" in (result.error or "")


def test_the_soft_404_probe_is_made_once_per_site_folder(origin: Origin) -> None:
    run(origin, ["/soft/a", "/soft/b", "/soft/c"])
    probes = [p for _, p, _ in origin.log if "verifier-" in p]
    assert len(probes) == 1


def test_the_soft_404_probe_takes_the_slot_its_check_frees_before_the_site_s_next_page(origin: Origin) -> None:
    # One request at a time to the site: the first page's HEAD, then the probe its check waits for, then the
    # next pages (a spare worker takes the next page only once the check waits, behind the probe).
    run(origin, ["/page/1", "/page/2", "/page/3"], per_host=1)
    asked = [(method, "probe" if "verifier-" in path else path) for method, path, _ in origin.log]
    assert asked == [("HEAD", "/page/1"), ("GET", "probe"), ("HEAD", "/page/2"), ("HEAD", "/page/3")]


def test_the_live_title_is_kept_for_content_drift(origin: Origin) -> None:
    result = run(origin, ["/moved-elsewhere"], titled=("/moved-elsewhere",))["/moved-elsewhere"]
    assert result.title == "Something Else Entirely: Cooking Recipes"


def test_an_unknown_host_is_dead(origin: Origin) -> None:
    s = Settings(no_cache=True, no_archive=True, timeout=1.0)
    [result] = net.check_links([("http://no-such-host.invalid/page", ("c1",))], s, policy=FAST).results
    assert result.status is LinkStatus.DEAD and "unknown host" in (result.error or "")


def test_a_refused_connection_is_dead(unused_port: int) -> None:
    s = Settings(no_cache=True, no_archive=True, timeout=1.0, allow_private=True)
    [result] = net.check_links([(f"http://127.0.0.1:{unused_port}/x", ("c1",))], s, policy=FAST).results
    assert result.status is LinkStatus.DEAD and result.error == "connection refused"


def test_a_private_address_is_never_contacted(origin: Origin) -> None:
    s = Settings(no_cache=True, no_archive=True, timeout=1.0, allow_private=False)
    urls = [(origin.url("/ok?never"), ("c1",)), ("http://169.254.169.254/latest/meta-data/", ("c2",)),
            ("http://localhost:9/", ("c3",)), ("http://[::1]/", ("c4",))]
    results = net.check_links(urls, s, policy=FAST).results
    assert [r.status for r in results] == [LinkStatus.SKIPPED] * 4
    assert all((r.error or "").startswith("private address") for r in results)
    assert not [path for _, path, _ in origin.log if "never" in path]


def test_a_redirect_to_a_private_address_is_not_followed() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    s = Settings(no_cache=True, no_archive=True, timeout=1.0)
    [result] = net.check_links([("http://93.184.216.34/page", ("c1",))], s, client=client, policy=FAST).results
    assert result.status is LinkStatus.SKIPPED and "private address" in (result.error or "")
    assert all("169.254" not in url for url in seen)


def test_only_http_and_https_are_fetched() -> None:
    s = Settings(no_cache=True, no_archive=True)
    [result] = net.check_links([("ftp://ftp.example.org/file.txt", ("c1",))], s, policy=FAST).results
    assert result.status is LinkStatus.SKIPPED and "not http or https" in (result.error or "")


def test_the_per_host_limit_is_never_exceeded(origin: Origin) -> None:
    paths = [f"/slow/{i}" for i in range(16)]
    results = run(origin, paths, per_host=3, concurrency=64)
    assert all(r.status is LinkStatus.ALIVE for r in results.values())
    assert origin.peak["slow"] == 3  # used fully, never exceeded


def test_each_url_is_checked_once_however_often_it_is_cited(origin: Origin) -> None:
    s = Settings(allow_private=True, no_cache=True, no_archive=True)
    url = origin.url("/pdf")
    [result] = net.check_links([(url, ("c1", "c2", "c3"))], s, policy=FAST).results
    assert result.citations == ("c1", "c2", "c3")
    assert origin.requests_for("/pdf") == ["HEAD"]


def test_the_second_run_is_answered_from_the_cache(origin: Origin, tmp_path: Path) -> None:
    s = Settings(allow_private=True, no_archive=True, cache=str(tmp_path / "cache.sqlite3"))
    urls = [(origin.url("/ok"), ("c1",)), (origin.url("/missing"), ("c2",))]
    first = net.check_links(urls, s, policy=FAST).results
    origin.reset()
    second = net.check_links(urls, s, policy=FAST).results
    assert origin.log == []
    assert [(r.status, r.http_status) for r in second] == [(r.status, r.http_status) for r in first]


def test_excluded_urls_are_skipped_and_accepted_statuses_are_alive(origin: Origin) -> None:
    results = run(origin, ["/forbidden", "/missing"], exclude_url=[r"/missing$"], accept=["127.0.0.1=403"])
    assert results["/forbidden"].status is LinkStatus.ALIVE
    assert results["/missing"].status is LinkStatus.SKIPPED
    assert origin.requests_for("/missing") == []


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after("120") == 120.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert retry_after("soon") is None


def test_transport_exceptions_are_classified_by_their_cause() -> None:
    import socket

    refused = httpx.ConnectTimeout("x")
    refused.__cause__ = ConnectionRefusedError(111, "refused")
    assert classify(refused, 5)[0] == "refused"
    dns = httpx.ConnectError("x")
    dns.__cause__ = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    assert classify(dns, 5)[0] == "unknown-host"
    assert classify(httpx.ReadTimeout("x"), 5) == ("timeout", "timed out after 5 s")


def test_http_proxy_is_honoured_and_no_proxy_bypasses_it(origin: Origin, monkeypatch: pytest.MonkeyPatch) -> None:
    # The origin doubles as a forward proxy: it answers absolute-form requests for any host.
    monkeypatch.setenv("HTTP_PROXY", origin.base)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setattr(guard, "_lookup", _public_lookup)  # no DNS in tests: the name "resolves" to a public address
    s = Settings(no_cache=True, no_archive=True, timeout=2.0)  # no --allow-private: the proxy, not us, resolves the names
    [through] = net.check_links([("http://through-proxy.example.net/ok", ("c1",))], s, policy=FAST).results
    assert through.status is LinkStatus.ALIVE
    assert [p for _, p, _ in origin.log if p.startswith("http://through-proxy.example.net")]
    origin.reset()
    bypassed = origin.url("/ok?bypassed")  # NO_PROXY: asked directly (loopback, so with --allow-private)
    [direct] = net.check_links([(bypassed, ("c2",))], s.with_overrides({"allow_private": True}), policy=FAST).results
    assert direct.status is LinkStatus.ALIVE
    assert [p for _, p, _ in origin.log if p == "/ok?bypassed"]  # origin-form: not through the proxy


async def _public_lookup(host: str, port: int) -> list[str]:
    return ["93.184.215.14"]


def test_check_links_works_from_inside_a_running_event_loop(origin: Origin) -> None:
    import asyncio

    async def caller() -> LinkStatus:
        s = Settings(allow_private=True, no_cache=True, no_archive=True)
        [result] = net.check_links([(origin.url("/ok"), ("c1",))], s, policy=FAST).results
        return result.status

    assert asyncio.run(caller()) is LinkStatus.ALIVE


@pytest.mark.parametrize(
    ("path", "status", "error"),
    [
        pytest.param("/bad-status-line", LinkStatus.ERROR, "malformed status line", id="bad-status-line"),
        pytest.param("/bad-location", LinkStatus.ERROR, "redirect with an invalid Location", id="invalid-location"),
        pytest.param("/no-location", LinkStatus.ERROR, "redirect with an invalid Location", id="no-location"),
    ],
)
def test_a_misbehaving_server_is_described_as_it_misbehaved(origin: Origin, path: str, status: LinkStatus,
                                                             error: str) -> None:
    result = run(origin, [path])[path]
    assert (result.status, result.error) == (status, error)


@pytest.mark.parametrize(
    ("path", "status"),
    [pytest.param("/retry-much-later", LinkStatus.BLOCKED, id="429"),
     pytest.param("/unavailable-much-later", LinkStatus.ERROR, id="503")],
)
def test_a_retry_after_past_the_run_s_patience_is_not_waited_for(origin: Origin, path: str,
                                                                 status: LinkStatus) -> None:
    """Retry-After: 3600 at --timeout 2 (patience: timeout × retries = 4 s) gives the answer at once."""
    result = run(origin, [path], timeout=2.0)[path]
    assert result.status is status
    assert origin.requests_for(path) == ["HEAD", "GET"]  # no retry of either: the server asked for an hour


def test_patience_is_the_timeout_times_the_retries() -> None:
    from verifier.net.links import patience, waits_within

    policy = Policy()  # three attempts: two retries
    assert patience(policy, 2.0) == 4.0
    assert waits_within(httpx.Headers({"Retry-After": "3"}), policy, 2.0)
    assert not waits_within(httpx.Headers({"Retry-After": "30"}), policy, 2.0)


def test_a_redirect_to_a_numeric_spelling_of_a_private_address_is_not_followed(origin: Origin) -> None:
    s = Settings(no_cache=True, no_archive=True, timeout=2.0, allow_private=False)
    import verifier.net.guard as g

    async def lookup(host: str, port: int) -> list[str]:
        return ["93.184.215.14"]  # the origin's name, as if public

    mp = pytest.MonkeyPatch()
    mp.setattr(g, "_is_ip", lambda host: False)  # let the loopback origin pass as a named public host
    mp.setattr(g, "is_forbidden_ip", lambda a, real=g.is_forbidden_ip: a != "127.0.0.1" and real(a))
    mp.setattr(g, "_lookup", lookup)
    try:
        [result] = net.check_links([(origin.url("/to-private-spelling"), ("c1",))], s, policy=FAST).results
    finally:
        mp.undo()
    assert result.status is LinkStatus.SKIPPED and "169.254.169.254" in (result.error or "")


@pytest.mark.parametrize("host", ["no-such-host.invalid", "printer.test", "www.example", "Docs.Example."])
def test_special_use_names_are_dead_without_a_lookup(host: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_lookup(*args: object, **kwargs: object) -> None:
        raise AssertionError("RFC 6761 names are never looked up")

    monkeypatch.setattr("socket.getaddrinfo", no_lookup)
    s = Settings(no_cache=True, no_archive=True, timeout=1.0)
    [result] = net.check_links([(f"http://{host}/page", ("c1",))], s, policy=FAST).results
    assert result.status is LinkStatus.DEAD and "never resolve" in (result.error or "")


def test_a_localhost_name_is_a_private_address() -> None:
    s = Settings(no_cache=True, no_archive=True, timeout=1.0)
    [result] = net.check_links([("http://app.localhost/", ("c1",))], s, policy=FAST).results
    assert result.status is LinkStatus.SKIPPED and (result.error or "").startswith("private address")


@pytest.mark.parametrize(("transport", "lean"), [("wire", "WireResponse"), ("aiohttp", "LeanResponse")])
def test_the_direct_transport_is_reached_without_httpx_objects_and_a_proxy_through_httpx(
        origin: Origin, monkeypatch: pytest.MonkeyPatch, transport: str, lean: str) -> None:
    import asyncio

    from verifier.net.client import make_client
    from verifier.net.links import dispatcher

    async def kinds() -> list[str]:
        client = make_client(Settings(allow_private=True), transport)  # type: ignore[arg-type]
        try:
            dispatch = dispatcher(client)
            direct = await dispatch("HEAD", httpx.URL(origin.url("/ok")))
            proxied = await dispatch("HEAD", httpx.URL("http://through-proxy.example.net/ok"))
            out = [type(direct).__name__, type(proxied).__name__, str(direct.status_code), str(proxied.status_code),
                   direct.headers.get("CONTENT-TYPE") or ""]
            await direct.aclose()
            await proxied.aclose()
            return out
        finally:
            await client.aclose()

    monkeypatch.setenv("HTTP_PROXY", origin.base)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert asyncio.run(kinds()) == [lean, "Response", "200", "200", "text/html; charset=utf-8"]


def test_a_name_that_rebinds_to_a_private_address_after_the_guard_asked_is_not_requested(
        origin: Origin, monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the guard's lookup says public; the lookup for the connection says loopback (L007)."""
    import asyncio.base_events

    real = asyncio.base_events.BaseEventLoop.getaddrinfo

    async def rebound(self: Any, host: str, port: int, **kwargs: Any) -> Any:
        return await real(self, "127.0.0.1", port, **kwargs)

    monkeypatch.setattr(guard, "_lookup", _public_lookup)
    monkeypatch.setattr(asyncio.base_events.BaseEventLoop, "getaddrinfo", rebound)
    url = f"http://rebinding.example.net:{origin.server_address[1]}/ok"
    s = Settings(no_cache=True, no_archive=True, timeout=2.0)
    [result] = net.check_links([(url, ("c1",))], s, policy=FAST).results
    assert result.status is LinkStatus.SKIPPED
    assert (result.error or "").startswith("private address (rebinding.example.net resolves to 127.0.0.1")
    assert not origin.log
