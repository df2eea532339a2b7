"""The network stage's scheduling: per-host workers (``verifier/net/stage.py``)."""

from __future__ import annotations

import asyncio
import contextvars
from typing import Any

from tests.servers.origin import Origin, cross_host_redirects
from verifier.config import Settings
from verifier.net import stage
from verifier.net.links import WAITING, Pending
from verifier.net.stage import _host_of, _per_host, _workers, check_part


def _schedule(urls: list[str], per_host: int, count: int) -> tuple[list[str], dict[str, int]]:
    """Run ``_per_host`` with a ``work`` that takes a millisecond (as a request takes far longer than a turn of
    the event loop, in which one worker is started); return the order URLs were started in and the most URLs
    of each host that were in progress at once."""
    started: list[str] = []
    active: dict[str, int] = {}
    most: dict[str, int] = {}

    async def work(url: str) -> None:
        host = _host_of(url)
        started.append(url)
        active[host] = active.get(host, 0) + 1
        most[host] = max(most.get(host, 0), active[host])
        await asyncio.sleep(0.001)
        active[host] -= 1

    asyncio.run(_per_host(work, urls, per_host, count))
    return started, most


def test_every_url_is_worked_on_once() -> None:
    urls = [f"https://h{i % 7}.example.org/p/{i}" for i in range(100)]
    started, _ = _schedule(urls, per_host=3, count=10)
    assert sorted(started) == sorted(urls)


def test_a_host_never_has_more_than_its_share_in_progress() -> None:
    urls = [f"https://big.example.org/p/{i}" for i in range(50)] + ["https://small.example.org/"]
    _, most = _schedule(urls, per_host=4, count=100)
    assert most == {"big.example.org": 4, "small.example.org": 1}


def test_a_site_cited_a_thousand_times_does_not_hold_up_the_others() -> None:
    # One site first and many times, then three others once: every host's first URL starts before any host's
    # second, even with fewer workers than the big site's URLs.
    urls = [f"https://big.example.org/p/{i}" for i in range(1000)] + [
        "https://a.example.org/", "https://b.example.org/", "https://c.example.org/"]
    started, _ = _schedule(urls, per_host=2, count=4)
    assert set(started[:4]) == {"https://big.example.org/p/0", "https://a.example.org/", "https://b.example.org/",
                                "https://c.example.org/"}


def test_a_host_is_finished_once_its_last_worker_is_done_while_others_still_work() -> None:
    urls = [f"https://{h}.example.org/p/{i}" for i in range(3) for h in ("a", "b")]
    finished: list[tuple[str, int]] = []
    done: list[str] = []

    async def go() -> None:
        async def work(url: str) -> None:
            for _ in range(1 if "//a." in url else 20):  # a's pages answer quickly, b's slowly
                await asyncio.sleep(0)
            done.append(url)

        await _per_host(work, urls, 2, 10, spare=2, finished=lambda host: finished.append((host, len(done))))

    asyncio.run(go())
    assert [host for host, _ in finished] == ["a.example.org", "b.example.org"]
    assert finished[0][1] == 3 and finished[1][1] == 6  # a's three pages done, b's not yet; then b's


def test_the_first_worker_goes_on_before_the_last_one_starts() -> None:
    # A worker's first step opens a connection; its request is written once the connection is up, in a
    # later turn of the event loop. The workers start one per turn, so that turn comes before all ten have
    # opened theirs.
    begun = 0
    seen: list[int] = []

    async def work(item: int) -> None:
        nonlocal begun
        begun += 1
        await asyncio.sleep(0)  # (the connection is up)
        seen.append(begun)  # how many workers had begun when this one's request went out
        await asyncio.sleep(0.001)

    asyncio.run(_workers(work, list(range(10)), 10))
    assert seen[0] < 10 and sorted(seen) == seen


def test_host_of_matches_the_host_a_request_takes_a_slot_of() -> None:
    assert _host_of("https://User:pw@WWW.Example.org:8443/a?b#c") == "www.example.org"
    assert _host_of("http://example.org?q=1") == "example.org"
    assert _host_of("http://[2001:db8::1]:8080/x") == "[2001:db8::1]"
    assert _host_of("http://127.0.0.1:80") == "127.0.0.1"


def test_a_check_waiting_for_a_probe_lends_its_turn_to_the_host_s_next_url() -> None:
    # One slot's worth of workers for the host: the first check waits for something (a soft-404 probe) that
    # only a later URL's work brings in. It says so (``WAITING``), and a spare worker takes the next URL
    # meanwhile; without the lending the host would stand still.
    urls = [f"https://big.example.org/p/{i}" for i in range(4)]
    started: list[str] = []

    async def go() -> None:
        probe_in = asyncio.Event()

        async def work(url: str) -> None:
            started.append(url)
            if url.endswith("/0"):
                lend = WAITING.get()
                assert lend is not None
                lend()
                await probe_in.wait()
            else:
                probe_in.set()
                await asyncio.sleep(0)

        await asyncio.wait_for(_per_host(work, urls, 1, 10, spare=1), 5)

    asyncio.run(go())
    assert started[:2] == urls[:2] and sorted(started) == urls


def test_a_spare_worker_does_not_run_in_the_waiting_check_s_context() -> None:
    # (a host partition's check keeps its tape of answers in a context variable: not the spare's)
    mark: contextvars.ContextVar[str] = contextvars.ContextVar("mark", default="none")
    urls = [f"https://big.example.org/p/{i}" for i in range(2)]
    seen: dict[str, str] = {}

    async def go() -> None:
        released = asyncio.Event()

        async def work(url: str) -> None:
            seen[url] = mark.get()
            if url.endswith("/0"):
                mark.set("the first check's")
                WAITING.get()()  # type: ignore[misc]
                await released.wait()
            else:
                released.set()

        await asyncio.wait_for(_per_host(work, urls, 1, 10, spare=1), 5)

    asyncio.run(go())
    assert seen == {urls[0]: "none", urls[1]: "none"}


def test_no_spare_worker_is_started_while_no_check_waits_and_at_most_spare_at_once() -> None:
    taken: dict[asyncio.Task[Any] | None, list[str]] = {}  # (the tasks kept: no id reused)
    most = 0
    waiting = 0
    urls = [f"https://big.example.org/p/{i}" for i in range(8)]

    async def go(lending: bool) -> None:
        release = asyncio.Event()

        async def work(url: str) -> None:
            nonlocal most, waiting
            taken.setdefault(asyncio.current_task(), []).append(url)
            if lending and urls.index(url) < 3:  # the first three checks wait until all three do
                WAITING.get()()  # type: ignore[misc]
                waiting += 1
                most = max(most, waiting)
                if waiting == 3:
                    release.set()
                await release.wait()
                waiting -= 1
            await asyncio.sleep(0)

        await asyncio.wait_for(_per_host(work, urls, 1, 10, spare=2), 5)

    asyncio.run(go(False))
    assert list(taken.values()) == [urls]  # the host's one worker did it all
    taken.clear()
    asyncio.run(go(True))
    assert sorted(u for v in taken.values() for u in v) == urls
    assert most == 3  # the worker's check and two spares', the first of which lent its turn on
    assert len(taken) == 3  # the second spare could not: two at once at most (``spare``)


def test_a_partition_stops_at_a_host_it_does_not_own_and_the_owner_resumes_the_chain(origin: Origin) -> None:
    other = Origin("127.0.0.2")
    try:
        cross_host_redirects(origin, other)
        settings = Settings(allow_private=True, no_cache=True, no_archive=True, timeout=30.0)
        start = origin.url("/x/p0")  # 301s: 127.0.0.1 → .2 → .1 → .2 → .1, a page
        found, _ = check_part(settings, ([start], [], {}, False))
        stopped = found[start]
        assert isinstance(stopped, Pending) and stopped.host == "127.0.0.2"
        assert [key[:2] for key in stopped.answers] == [("HEAD", start)]
        rounds = 1
        while isinstance(stopped, Pending):  # each round on the owner of the host the chain went on to
            found, _ = check_part(settings, ([start], [], {start: stopped}, False))
            stopped = found[start]
            rounds += 1
        alone = stage.check_links([(start, ("c1",))], settings).results[0]
        assert (stopped.status, stopped.final_url, stopped.redirects) == (alone.status, alone.final_url,
                                                                           alone.redirects)
        assert len(stopped.redirects) == 4 and rounds >= 5
        # no hop asked twice across the rounds: the answers of the earlier ones were replayed
        hops = [path for method, path, _ in origin.log + other.log if method == "HEAD"]
        assert sorted(hops) == sorted(["/x/p0", "/x/p2", "/x/p4", "/x/p1", "/x/p3"] * 2)
    finally:
        other.stop()


def test_the_only_partition_of_a_round_owns_every_host_and_follows_every_redirect(origin: Origin) -> None:
    other = Origin("127.0.0.2")
    try:
        cross_host_redirects(origin, other)
        settings = Settings(allow_private=True, no_cache=True, no_archive=True, timeout=30.0)
        start = origin.url("/x/p0")
        found, _ = check_part(settings, ([start], [], {}, True))  # nothing else asks any host: no round waits
        alone = stage.check_links([(start, ("c1",))], settings).results[0]
        verdict = found[start]
        assert not isinstance(verdict, Pending)
        assert (verdict.status, verdict.final_url, verdict.redirects) == (alone.status, alone.final_url,
                                                                           alone.redirects)
    finally:
        other.stop()
