"""A machine whose network is down never makes links dead, and a run without network learns nothing.

The namespace test runs the real command where there is no network at all (``unshare -rn``: a network
namespace with no interfaces up); the others fake the failures the resolver and the sockets give there.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.servers.origin import Origin
from verifier import net
from verifier.config import Settings
from verifier.model import LinkStatus
from verifier.net.cache import Cache
from verifier.net.links import Policy
from verifier.rules.common import RuleContext
from verifier.rules.links import check as link_rules

FAST = Policy(backoff=0.01, backoff_max=0.02, retry_after_cap=1.0)
URLS = ["https://www.example.org/a", "https://news.example.com/b", "http://gov.example.net/c"]


def _no_resolver(request: httpx.Request) -> httpx.Response:
    error = httpx.ConnectError("dns")
    error.__cause__ = socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    raise error


def _unreachable(request: httpx.Request) -> httpx.Response:
    error = httpx.ConnectError("unreachable")
    error.__cause__ = OSError(101, "Network is unreachable")
    raise error


def _refused(request: httpx.Request) -> httpx.Response:
    error = httpx.ConnectError("refused")
    error.__cause__ = ConnectionRefusedError(111, "Connection refused")
    raise error


def _run(handler, tmp_path: Path, urls: list[str] = URLS, **overrides: object):  # type: ignore[no-untyped-def]
    settings = Settings(cache=str(tmp_path / "cache.sqlite3"), timeout=1.0, allow_private=True,
                        wayback_api="http://archive.example.net/wayback/available",
                        cdx_api="http://archive.example.net/cdx/search/cdx",
                        timetravel_api="http://timetravel.example.net/api/json").with_overrides(overrides)

    async def lookup(host: str, port: int) -> list[str]:
        return []

    mp = pytest.MonkeyPatch()
    mp.setattr("verifier.net.guard._lookup", lookup)  # the guard's own lookup: as failing as the network's
    try:
        client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        return net.check_links([(u, (f"c{i}",)) for i, u in enumerate(urls)], settings, client=client,
                               policy=FAST), settings
    finally:
        mp.undo()


@pytest.mark.parametrize("handler", [_no_resolver, _unreachable, _refused],
                         ids=["resolver-fails", "no-route", "every-host-refuses"])
def test_a_network_that_is_down_gives_skipped_links_and_one_l008(handler, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run, settings = _run(handler, tmp_path)
    assert {r.status for r in run.results} == {LinkStatus.SKIPPED}
    assert all((r.error or "").startswith("no network: not checked (") for r in run.results)
    assert run.no_network and any(w.startswith("no network: 3 links not checked") for w in run.warnings)
    assert not any("Wayback" in w for w in run.warnings)  # the archive's failure is the same story: told once
    findings = list(link_rules(RuleContext(documents=(), citations=(), sources=(), links=tuple(run.results))))
    assert [f.code for f in findings] == ["L008"]
    assert findings[0].message.startswith("no network: 3 links not checked (") and findings[0].document is None
    cache = Cache(settings.cache)
    assert cache._db is not None and cache._db.execute("SELECT count(*) FROM results").fetchone() == (0,)


def test_a_down_network_does_not_hide_what_the_cache_knew(tmp_path: Path, origin: Origin) -> None:
    cache = str(tmp_path / "cache.sqlite3")
    known = origin.url("/ok?known")
    s = Settings(cache=cache, no_archive=True, allow_private=True, timeout=1.0)
    assert net.check_links([(known, ("c1",))], s, policy=FAST).results[0].status is LinkStatus.ALIVE
    run, _ = _run(_no_resolver, tmp_path, [known, *URLS], no_archive=True)
    by_url = {r.url: r for r in run.results}
    assert by_url[known].status is LinkStatus.ALIVE and by_url[known].cache_age is not None
    assert {by_url[u].status for u in URLS} == {LinkStatus.SKIPPED}


def test_when_other_hosts_answer_a_refusal_is_dead_and_a_temporary_dns_failure_an_error(tmp_path: Path) -> None:
    def mixed(request: httpx.Request) -> httpx.Response:
        if request.url.host == "www.example.org":
            return httpx.Response(200, headers={"Content-Type": "application/pdf"})
        if request.url.host == "news.example.com":
            return _refused(request)
        return _no_resolver(request)

    run, settings = _run(mixed, tmp_path, no_archive=True)
    status = {r.url: (r.status, r.error) for r in run.results}
    assert status == {URLS[0]: (LinkStatus.ALIVE, None), URLS[1]: (LinkStatus.DEAD, "connection refused"),
                      URLS[2]: (LinkStatus.ERROR, "name lookup failed (Temporary failure in name resolution)")}
    assert run.no_network is None
    rows = Cache(settings.cache).get_many("link", [f"- {u}" for u in URLS])
    assert list(rows) == [f"- {URLS[0]}"]  # the answer is kept; the failures to ask are not


def test_a_server_down_then_up_is_alive_on_the_next_run_with_the_same_cache(tmp_path: Path,
                                                                            unused_port: int) -> None:
    settings = Settings(cache=str(tmp_path / "cache.sqlite3"), no_archive=True, allow_private=True, timeout=1.0)
    url = f"http://127.0.0.1:{unused_port}/ok"
    [first] = net.check_links([(url, ("c1",))], settings, policy=FAST).results
    assert first.status is LinkStatus.DEAD and first.error == "connection refused"
    server = Origin(port=unused_port)
    try:
        [second] = net.check_links([(url, ("c1",))], settings, policy=FAST).results
    finally:
        server.stop()
    assert second.status is LinkStatus.ALIVE and second.cache_age is None


def test_the_cache_is_written_as_results_arrive(tmp_path: Path, origin: Origin) -> None:
    """A run killed half-way keeps what it learned: the answers are committed in batches, not at the end."""
    cache_path = tmp_path / "cache.sqlite3"
    settings = Settings(cache=str(cache_path), no_archive=True, allow_private=True, timeout=10.0)
    release = threading.Event()
    origin.gate = lambda path: release.wait(10) if path == "/ok3" else None
    urls = [(origin.url(f"/page/{i}"), (f"c{i}",)) for i in range(80)] + [(origin.url("/ok3"), ("held",))]
    worker = threading.Thread(target=net.check_links, args=(urls, settings), kwargs={"policy": FAST})
    worker.start()
    try:
        deadline = time.monotonic() + 20
        stored = 0
        while time.monotonic() < deadline and stored < 64:
            time.sleep(0.05)
            if cache_path.exists():
                stored = len(Cache(cache_path).get_many("link", [f"- {u}" for u, _ in urls]))
        assert stored >= 64  # committed while one URL is still being checked
        assert worker.is_alive()
    finally:
        release.set()
        worker.join(30)


@pytest.mark.skipif(not shutil.which("unshare"), reason="unshare (util-linux) is not installed")
def test_without_any_network_the_command_reports_one_l008_and_no_l001(tmp_path: Path) -> None:
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"no user network namespace here: {probe.stderr.decode(errors='replace').strip()}")
    doc = tmp_path / "cited.md"
    doc.write_text(
        "# Notes\n\nOne claim.[^1] Another.[^2] A third.[^3]\n\n"
        "[^1]: A. Author, “A Page,” https://www.example.org/one.\n"
        "[^2]: B. Author, “Another Page,” https://news.example.com/two.\n"
        "[^3]: C. Author, “Third Page,” http://93.184.215.14/three.\n",
        encoding="utf-8",
    )
    cache = tmp_path / "cache.sqlite3"
    proc = subprocess.run(
        ["unshare", "-rn", sys.executable, "-m", "verifier", "check", str(doc), "--format", "json", "--timeout", "2",
         "--cache", str(cache)],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr  # L008 is a warning; --fail-on error as usual
    report = json.loads(proc.stdout)
    assert {link["status"] for link in report["links"]} == {"skipped"}
    assert all(link["error"].startswith("no network") for link in report["links"])
    codes = [f["code"] for f in report["findings"] if f["code"][0] in "LA"]
    assert codes == ["L008"]
    assert "no network: 3 links not checked" in proc.stderr
    assert Cache(cache).get_many("link", [f"- {link['url']}" for link in report["links"]]) == {}


def test_a_registry_that_answers_proves_the_network_works(tmp_path: Path) -> None:
    """Links, archives and registries are one stage with one record of the network's health."""
    from verifier.model import Kind
    from verifier.rules.registry_match import Outcome, Query

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "api.crossref.example.net":
            return httpx.Response(404, json={"status": "error"})
        return _refused(request)

    settings = Settings(no_cache=True, no_archive=True, allow_private=True, timeout=1.0, registry=("crossref",),
                        crossref_api="https://api.crossref.example.net")
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    run = net.run([(u, ("c1",)) for u in URLS], settings, queries=[Query("s1", Kind.ARTICLE, doi="10.1234/x")],
                  client=client, policy=FAST)
    assert {r.status for r in run.links.results} == {LinkStatus.DEAD}  # the registry answered: not our network
    assert run.registries is not None
    assert [a.outcome for a in run.registries.lookups["s1"].answers] == [Outcome.UNKNOWN]


def test_when_the_registries_fail_too_the_network_is_down(tmp_path: Path) -> None:
    from verifier.model import Kind
    from verifier.rules.registry_match import Outcome, Query

    settings = Settings(no_cache=True, no_archive=True, allow_private=True, timeout=1.0, registry=("crossref",),
                        crossref_api="https://api.crossref.example.net")
    client = httpx.AsyncClient(transport=httpx.MockTransport(_no_resolver))
    run = net.run([(u, ("c1",)) for u in URLS], settings, queries=[Query("s1", Kind.ARTICLE, doi="10.1234/x")],
                  client=client, policy=FAST)
    assert {r.status for r in run.links.results} == {LinkStatus.SKIPPED}
    assert run.registries is not None
    assert [a.outcome for a in run.registries.lookups["s1"].answers] == [Outcome.FAILED]
