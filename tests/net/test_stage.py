"""The network stage's scheduling: per-host workers (``verifier/net/stage.py``)."""

from __future__ import annotations

import asyncio

from verifier.net.stage import _host_of, _per_host


def _schedule(urls: list[str], per_host: int, count: int) -> tuple[list[str], dict[str, int]]:
    """Run ``_per_host`` with a ``work`` that yields a few times; return the order URLs were started in and
    the most URLs of each host that were in progress at once."""
    started: list[str] = []
    active: dict[str, int] = {}
    most: dict[str, int] = {}

    async def work(url: str) -> None:
        host = _host_of(url)
        started.append(url)
        active[host] = active.get(host, 0) + 1
        most[host] = max(most.get(host, 0), active[host])
        for _ in range(3):
            await asyncio.sleep(0)
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


def test_host_of_matches_the_host_a_request_takes_a_slot_of() -> None:
    assert _host_of("https://User:pw@WWW.Example.org:8443/a?b#c") == "www.example.org"
    assert _host_of("http://example.org?q=1") == "example.org"
    assert _host_of("http://[2001:db8::1]:8080/x") == "[2001:db8::1]"
    assert _host_of("http://127.0.0.1:80") == "127.0.0.1"


def test_spare_workers_take_one_url_each_and_the_rest_is_drained_by_the_host_s_own() -> None:
    # Four URLs of one host, one worker and one spare: the spare starts at once (a probe may be keeping the
    # first busy) and takes one URL only; the other three are the regular worker's.
    taken: dict[int, list[str]] = {}
    urls = [f"https://big.example.org/p/{i}" for i in range(4)]

    async def go() -> None:
        async def work(url: str) -> None:
            taken.setdefault(id(asyncio.current_task()), []).append(url)
            await asyncio.sleep(0)

        await _per_host(work, urls, 1, 10, spare=1)

    asyncio.run(go())
    assert sorted(len(v) for v in taken.values()) == [1, 3]
    assert sorted(u for v in taken.values() for u in v) == urls
