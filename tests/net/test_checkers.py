"""Link checks in helper processes (``verifier/net/checkers.py``): same results as in one process, every host
in one process, the cache written by the parent, and a helper that dies loses nothing."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers.origin import Origin, cross_host_redirects
from tests.servers.wayback import Wayback
from verifier.config import Settings
from verifier.model import LinkStatus
from verifier.net import checkers, stage
from verifier.net.stage import _host_of, check_links

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="helpers are forked on Linux only")

PATHS = ["/ok", "/ok2", "/missing", "/gone", "/moved301", "/temp302", "/forbidden", "/pdf", "/no-head",
         "/loop/a", "/old-section/story"]


@pytest.fixture
def second() -> Iterator[Origin]:
    """Another host (127.0.0.2), so that the URLs split into two shares."""
    server = Origin(host="127.0.0.2")
    yield server
    server.stop()


@pytest.fixture
def helpers() -> Iterator[checkers.Checkers]:
    started = checkers.start(2, threads_ok=True)  # the loopback servers run in threads of this process
    assert started is not None
    yield started
    checkers.stop()


def _settings(timeout: float = 30.0) -> Settings:
    """Generous timeouts: the runs compared must not differ by a request a busy machine was slow to answer."""
    return Settings(allow_private=True, no_cache=True, no_archive=True, timeout=timeout)


def _urls(*servers: Origin) -> list[tuple[str, tuple[str, ...]]]:
    return [(s.url(p), (f"c{i}",)) for s in servers for i, p in enumerate(PATHS)]


def _outcome(results: list[object]) -> list[tuple[object, ...]]:
    return [(r.url, r.status, r.http_status, r.final_url, r.error, r.redirects, r.title)  # type: ignore[attr-defined]
            for r in results]


def _asked(*servers: Origin) -> list[tuple[str, str]]:
    """The requests the servers got, the soft-404 probes' random names made alike."""
    return sorted((method, re.sub(r"verifier-[0-9a-f]+-", "verifier-*-", path))
                  for server in servers for method, path, _agent in server.log)


def test_shares_keep_each_host_whole_and_split_the_concurrency() -> None:
    urls = [f"https://h{i % 7}.example.org/p/{i}" for i in range(100)]
    shares = checkers.shares(urls, 2, 10, 4)
    assert len(shares) == 2
    assert sorted(u for part, _ in shares for u in part) == sorted(urls)
    hosts = [{_host_of(u) for u in part} for part, _ in shares]
    assert not hosts[0] & hosts[1]
    assert sum(width for _, width in shares) <= 10 and all(width >= 1 for _, width in shares)
    one_host = checkers.shares([f"https://a.example.org/{i}" for i in range(9)], 4, 160, 4)
    assert [(len(part), width) for part, width in one_host] == [(9, 160)]


def test_helpers_check_every_url_as_one_process_does(origin: Origin, second: Origin,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    urls = _urls(origin, second)
    alone = check_links(urls, _settings())  # no helpers yet: in this process
    asked = _asked(origin, second)
    origin.reset()
    second.reset()
    assert checkers.start(2, threads_ok=True) is not None

    class Refused:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise AssertionError("this process checked a link the helpers should have")

    # The helpers were forked before this: they keep the real Checker; the parent gets one that fails.
    monkeypatch.setattr(stage, "Checker", Refused)
    try:
        shared = check_links(urls, _settings())
    finally:
        checkers.stop()
    assert _outcome(shared.results) == _outcome(alone.results)
    assert {r.status for r in shared.results} >= {LinkStatus.ALIVE, LinkStatus.DEAD, LinkStatus.REDIRECTED,
                                                  LinkStatus.SOFT_404}
    assert _asked(origin, second) == asked  # the same requests, each host's from one process


def test_a_helper_that_died_leaves_its_urls_to_this_process(origin: Origin, second: Origin,
                                                            helpers: checkers.Checkers) -> None:
    urls = _urls(origin, second)
    os.kill(helpers._pid, signal.SIGKILL)  # the first helper: its sibling still answers for its share
    os.waitpid(helpers._pid, 0)
    run = check_links(urls, _settings())
    assert len(run.results) == len(urls)
    assert {r.url: r.status for r in run.results}[origin.url("/ok")] is LinkStatus.ALIVE
    assert {r.url: r.status for r in run.results}[second.url("/missing")] is LinkStatus.DEAD


def test_the_cache_is_written_here_from_the_helpers_verdicts(origin: Origin, second: Origin,
                                                             helpers: checkers.Checkers, tmp_path: Path) -> None:
    urls = _urls(origin, second)
    cache = str(tmp_path / "cache.sqlite3")
    first = check_links(urls, Settings(allow_private=True, no_archive=True, timeout=30.0, cache=cache))
    asked = len(origin.log) + len(second.log)
    checkers.stop()
    again = check_links(urls, Settings(allow_private=True, no_archive=True, timeout=30.0, cache=cache))
    cached = [r for r in again.results if r.cache_age is not None]
    # every answer is kept (a refused or reset connection would not be, and there is none here)
    assert {r.url for r in cached} == {r.url for r in first.results}
    assert len(origin.log) + len(second.log) == asked


def test_a_caller_s_own_client_or_policy_is_never_handed_to_the_helpers(origin: Origin,
                                                                        helpers: checkers.Checkers,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from verifier.net.links import Policy

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("handed to the helpers")

    monkeypatch.setattr(helpers, "check", refuse)
    run = check_links([(origin.url("/ok"), ("c1",))], _settings(), policy=Policy())
    assert run.results[0].status is LinkStatus.ALIVE


def test_the_command_gives_the_same_report_with_helpers_and_with_jobs_1(origin: Origin, second: Origin,
                                                                        tmp_path: Path) -> None:
    doc = tmp_path / "links.txt"
    doc.write_text("\n".join(url for url, _ in _urls(origin, second)) + "\n", encoding="utf-8")
    # main() with no arguments is the program (it reads sys.argv): it forks the helpers; --jobs 1 does not.
    code = ("import sys, verifier.cli as c; s = c.main(); print('verifier.net.wire' in sys.modules, file=sys.stderr); "
            "sys.exit(s)")
    base = ["check", str(doc), "--format", "json", "--no-cache", "--no-archive", "--allow-private",
            "--timeout", "30", "--fail-on", "never"]
    runs, loaded = {}, {}
    for extra in ([], ["--jobs", "1"]):
        proc = subprocess.run([sys.executable, "-c", code, *base, *extra], capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 0, proc.stderr
        runs[bool(extra)] = proc.stdout
        loaded[bool(extra)] = proc.stderr.split()[-1] == "True"
    assert runs[True] == runs[False]
    assert loaded[True]  # --jobs 1: checked in the command's own process
    if len(os.sched_getaffinity(0)) >= 2:
        assert not loaded[False]  # the helpers checked the links: this process never loaded the HTTP client


def test_a_helper_whose_parent_is_gone_stops_at_its_next_batch(origin: Origin) -> None:
    calls: list[dict[str, object]] = []

    def emit(found: dict[str, object], seen: object, last: bool = False) -> None:
        calls.append(found)
        raise BrokenPipeError  # the parent closed its end

    # /ok answers at once; /hang would hold the share for its whole timeout. The first batch (/ok's verdict,
    # sent by the ticker) fails, and that ends the share: /hang's verdict is never sent.
    with pytest.raises(BrokenPipeError):
        stage.check_share(_settings(timeout=5.0), [origin.url("/ok"), origin.url("/hang")], [], 4, emit,
                          seconds=0.01)
    assert len(calls) == 1 and list(calls[0]) == [origin.url("/ok")]


def test_a_helper_s_last_batch_goes_out_before_its_connections_close(origin: Origin,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The parent waits for the last batch, not for the helper's client to close its connections (about 10 ms
    for 160 of them): the batch goes first, whole, and the client is still closed."""
    events: list[str] = []
    make = stage.make_client

    def client(*args: object, **kwargs: object) -> object:
        http = make(*args, **kwargs)  # type: ignore[arg-type]
        close = http.aclose

        async def aclose() -> None:
            events.append("closed")
            await close()

        http.aclose = aclose  # type: ignore[method-assign]
        return http

    def emit(found: dict[str, object], seen: object, last: bool = False) -> None:
        events.append(f"last {len(found)}" if last else "batch")

    monkeypatch.setattr(stage, "make_client", client)
    urls = [origin.url(p) for p in ("/ok", "/ok2", "/missing")]
    stage.check_share(_settings(), urls, [], 4, emit, batch=64)
    assert events == ["last 3", "closed"]


def test_helpers_hung_up_exit_while_this_process_goes_on_and_are_reaped_at_stop() -> None:
    """``hang_up`` (the command, once the links are checked): the helpers exit without this process waiting for
    them (it renders its report meanwhile); ``stop`` then reaps them."""
    import time

    started = checkers.start(1, threads_ok=True)
    assert started is not None
    pid = started._pid

    def state() -> str:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rpartition(")")[2].split()[0]

    checkers.hang_up()
    deadline = time.monotonic() + 30
    while state() != "Z":  # exited, not yet reaped
        assert time.monotonic() < deadline
        time.sleep(0.01)
    checkers.stop()
    assert not os.path.exists(f"/proc/{pid}") and checkers.installed() is None


def _archive_requests(wayback: Wayback) -> list[str]:
    """The archive requests, TimeTravel's "now" (to the second, so two runs may differ) made alike."""
    return sorted(re.sub(r"/\d{14}/", "/<now>/", path) for path in wayback.requests())


def test_the_archives_are_asked_here_about_the_helpers_verdicts(origin: Origin, second: Origin) -> None:
    wayback = Wayback()
    try:
        urls = _urls(origin, second)
        settings = Settings(allow_private=True, no_cache=True, timeout=30.0, **wayback.endpoints)  # type: ignore[arg-type]
        alone = check_links(urls, settings)
        asked = _archive_requests(wayback)
        wayback.reset()
        assert checkers.start(2, threads_ok=True) is not None
        try:
            shared = check_links(urls, settings)
        finally:
            checkers.stop()
        assert _archive_requests(wayback) == asked and asked  # every eligible URL asked about, from here
    finally:
        wayback.stop()
    assert [(r.archive, r.archive_error, r.archive_checked) for r in shared.results] == \
        [(r.archive, r.archive_error, r.archive_checked) for r in alone.results]
    assert _outcome(shared.results) == _outcome(alone.results)


def test_a_helper_loads_the_network_stack_with_one_certificate_store_and_without_aiohttp() -> None:
    """A helper reads the certificate store once, into the process's one verifying context; aiohttp, which
    carries only requests made through httpx's API, is not loaded to check links."""
    code = """
import ssl, sys
from verifier.net import checkers
checkers._load_network_stack()
from verifier.net.client import tls_context
assert 'aiohttp' not in sys.modules
assert tls_context().cert_store_stats()['x509_ca'] > 0 and tls_context().verify_mode == ssl.CERT_REQUIRED
print('ok')
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "ok", proc.stderr


def _fresh(*servers: Origin) -> None:
    """The servers' request log and peaks cleared, their pages and redirects kept."""
    for server in servers:
        with server.lock:
            server.log.clear()
            server.hits.clear()
            server.peak.clear()


def _asked_but_probes(*servers: Origin) -> list[tuple[str, str]]:
    """The requests the servers got, but the soft-404 probes (each process that checks a folder probes it)."""
    return [(method, path) for method, path in _asked(*servers) if "verifier-" not in path]


def test_redirects_across_the_shares_keep_the_per_host_limit_and_give_one_process_s_verdicts(
        origin: Origin, second: Origin) -> None:
    urls = [(url, (f"c{i}",)) for i, url in enumerate(cross_host_redirects(origin, second))]
    for server in (origin, second):
        server.delay = 0.05
    settings = Settings(allow_private=True, no_cache=True, no_archive=True, timeout=30.0, per_host=2)
    try:
        alone = check_links(urls, settings)
        asked = _asked_but_probes(origin, second)
        _fresh(origin, second)
        assert checkers.start(2, threads_ok=True) is not None
        try:
            shared = check_links(urls, settings)
        finally:
            checkers.stop()
    finally:
        origin.delay = 0.0
    assert _outcome(shared.results) == _outcome(alone.results)
    # each host's requests from one place at a time: never more than --per-host in flight at either host
    peaks = [server.peak["x"] for server in (origin, second)]
    assert all(0 < peak <= 2 for peak in peaks), peaks
    assert _asked_but_probes(origin, second) == asked  # every hop asked once, by whichever share owned its host
    found = {r.url: r for r in shared.results}
    chain = found[origin.url("/x/p0")]
    assert chain.status is LinkStatus.REDIRECTED and chain.final_url == origin.url("/x/p4")
    assert len(chain.redirects) == 4
    assert "redirect loop" in (found[origin.url("/x/l0")].error or "")
    assert "too many redirects" in (found[origin.url("/x/m0")].error or "")
    assert found[second.url("/x/q")].final_url == second.url("/x/b0")


def _begin_then_check(urls: list[tuple[str, tuple[str, ...]]], monkeypatch: pytest.MonkeyPatch, *,
                      begun: list[str], begun_titled: set[str], titled: set[str],
                      begun_settings: Settings | None = None) -> tuple[object, list[str]]:
    """Helpers started on ``begun`` by ``checkers.begin`` (as the pipeline starts them, once the citations are
    known), then the stage run on ``urls``; returns its results and the URLs this process checked itself."""
    assert checkers.start(2, threads_ok=True) is not None
    here: list[str] = []
    real = stage.Checker

    class Counted(real):  # type: ignore[misc, valid-type]
        async def check(self, raw: str, want_title: bool = False) -> object:
            here.append(raw)
            return await super().check(raw, want_title)

    monkeypatch.setattr(stage, "Checker", Counted)  # the helpers, forked before, keep the real one
    try:
        checkers.begin(begun, begun_settings or _settings(), begun_titled)
        run = check_links(urls, _settings(), want_title=titled)
    finally:
        checkers.stop()
    return run, here


def test_links_begun_before_the_stage_give_what_the_stage_alone_gives(origin: Origin, second: Origin,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    urls = _urls(origin, second)
    titled = {origin.url("/ok"), second.url("/ok2")}
    alone = check_links(urls, _settings(), want_title=titled)  # no helpers: in this process
    asked = _asked(origin, second)
    origin.reset()
    second.reset()
    run, here = _begin_then_check(urls, monkeypatch, begun=[u for u, _ in urls], begun_titled=titled,
                                  titled=titled)
    assert here == []  # every link was checked by the helpers the pipeline started early
    assert _outcome(run.results) == _outcome(alone.results)  # type: ignore[attr-defined]
    assert _asked(origin, second) == asked


def test_a_begun_link_checked_otherwise_than_the_stage_wants_is_checked_again_here(
        origin: Origin, second: Origin, monkeypatch: pytest.MonkeyPatch) -> None:
    urls = _urls(origin, second)
    alone = check_links(urls, _settings(), want_title={origin.url("/ok")})
    # Begun without /ok's title wanted, and without /ok2 at all: both are checked here, the rest taken over.
    begun = [u for u, _ in urls if u != origin.url("/ok2")]
    run, here = _begin_then_check(urls, monkeypatch, begun=begun, begun_titled=set(), titled={origin.url("/ok")})
    assert sorted(here) == sorted([origin.url("/ok"), origin.url("/ok2")])
    assert _outcome(run.results) == _outcome(alone.results)  # type: ignore[attr-defined]
    # Begun with other settings: none of its verdicts is taken, every link is checked here.
    run, here = _begin_then_check(urls, monkeypatch, begun=[u for u, _ in urls], begun_titled=set(), titled=set(),
                                  begun_settings=_settings(timeout=29.0))
    assert sorted(here) == sorted(u for u, _ in urls)


def _session(pgid: int) -> list[int]:
    """The processes of one process group still alive (zombies are gone: their parent reaped them or died)."""
    out = []
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            out.append(int(pid))
    return out


def _gone(pgid: int, within: float = 30.0) -> bool:
    """No process of the group left (polled: a helper ends at its next tick, not at once)."""
    import time

    deadline = time.monotonic() + within
    while _session(pgid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


_PROGRAM = """
import sys, verifier.cli as c
from verifier import pipeline
mode = sys.argv.pop(1)
if mode == "fail":
    def broken(*args, **kwargs):
        raise RuntimeError("after the links were handed over")
    pipeline.text_plan = broken  # fails once the helpers have the links
sys.argv[0] = "verifier"
c.run()
"""


def _command(doc: Path, mode: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "VERIFIER_DEBUG"}
    return subprocess.Popen([sys.executable, "-c", _PROGRAM, mode, "check", str(doc), "--no-cache", "--no-archive",
                             "--allow-private", "--timeout", "30", "--format", "json", "--jobs", "3"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)


def test_a_run_that_fails_after_handing_its_links_over_says_so_and_leaves_no_helper(origin: Origin, second: Origin,
                                                                                    tmp_path: Path) -> None:
    doc = tmp_path / "links.txt"
    doc.write_text(f"{origin.url('/hang')}\n{second.url('/ok')}\n", encoding="utf-8")
    proc = _command(doc, "fail")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and "internal error: RuntimeError: after the links were handed over" in err
    assert _gone(proc.pid)


def test_ctrl_c_while_the_helpers_check_exits_130_and_leaves_no_process(origin: Origin, second: Origin,
                                                                         tmp_path: Path) -> None:
    import time

    doc = tmp_path / "links.txt"
    doc.write_text(f"{origin.url('/hang')}\n{second.url('/ok')}\n", encoding="utf-8")
    proc = _command(doc, "run")
    deadline = time.monotonic() + 60
    while not origin.requests_for("/hang") and time.monotonic() < deadline:  # the helpers are at work
        time.sleep(0.02)
    assert origin.requests_for("/hang")
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in err
    assert _gone(proc.pid)


def test_one_helper_alone_follows_redirects_across_hosts_as_one_process_does(origin: Origin, second: Origin) -> None:
    """A lone share (the command's one helper on two cores) owns every host, those no URL names too: no check
    waits for a next round, and the requests are one process's."""
    third = Origin(host="127.0.0.3")  # cited nowhere: a redirect's target only
    origin.redirects["/x/elsewhere"] = (302, third.url("/ok"))
    cited = [*cross_host_redirects(origin, second), origin.url("/x/elsewhere")]
    urls = [(url, (f"c{i}",)) for i, url in enumerate(cited)]
    settings = Settings(allow_private=True, no_cache=True, no_archive=True, timeout=30.0, per_host=2)
    helper = None
    try:
        alone = check_links(urls, settings)
        assert {r.url: r.final_url for r in alone.results}[origin.url("/x/elsewhere")] == third.url("/ok")
        asked = _asked(origin, second, third)
        _fresh(origin, second, third)
        helper = checkers.start(1, threads_ok=True)
        assert helper is not None
        rounds = []
        check = helper.check

        def counted(*args: object, **kwargs: object) -> object:
            rounds.append(args)
            return check(*args, **kwargs)  # type: ignore[arg-type]

        helper.check = counted  # type: ignore[method-assign]
        shared = check_links(urls, settings)
    finally:
        if helper is not None:
            checkers.stop()
        third.stop()
    assert _outcome(shared.results) == _outcome(alone.results)
    assert len(rounds) == 1  # every chain followed to its end in the first round
    assert _asked(origin, second, third) == asked
    assert all(server.peak["x"] <= 2 for server in (origin, second))


def test_a_helper_never_waits_for_a_parent_that_is_not_reading() -> None:
    """Batches go out in order, and those the parent's full socket cannot take wait in the helper, which goes
    on checking: its event loop never blocks on the parent (a job begun before the stage, the rules running)."""
    import socket
    import threading

    ours, theirs = socket.socketpair()
    emit = checkers._sender(theirs)
    batches = [{f"https://example.org/{i}/{k}": "x" * 200 for k in range(64)} for i in range(200)]  # > the buffer
    done = threading.Event()

    def helper() -> None:
        for batch in batches:
            emit(batch, None)  # nobody reads yet
        done.set()

    threading.Thread(target=helper, daemon=True).start()
    assert done.wait(60)  # every batch handed over without the parent reading a byte
    got: list[object] = []

    def parent() -> None:
        while True:
            message = checkers._receive(ours)
            got.append(message)
            if message is None or message[0] == "end":
                return

    reader = threading.Thread(target=parent, daemon=True)
    reader.start()
    emit({"https://example.org/last": "y"}, None, last=True)  # the rest, whole, now that the parent reads
    reader.join(60)
    assert [m[1] for m in got[:-1]] == batches  # type: ignore[index]
    assert got[-1] == ("end", {"https://example.org/last": "y"}, None)
    ours.close()
    theirs.close()


def test_a_helper_loads_only_what_checking_links_needs() -> None:
    """The helper's start-up is on the way to the first request: no archive, cache or fuzzy-matching module,
    and not aiohttp (the checker's requests go through ``wire``)."""
    code = ("import sys; from verifier.net import checkers; checkers._load_network_stack(); "
            "print(*(m in sys.modules for m in ('verifier.net.wire', 'verifier.net.stage', 'verifier.net.archives', "
            "'verifier.net.cache', 'rapidfuzz', 'aiohttp')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True", "False", "False", "False", "False"]
