"""Archive look-ups against the fake archive on loopback: which capture is chosen, and what happens when
the archive answers nothing, answers errors, or is not there at all."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers.origin import Origin
from tests.servers.wayback import Wayback
from verifier import net
from verifier.config import Settings
from verifier.model import LinkResult, LinkStatus
from verifier.net import archives
from verifier.net.archives import Capture, choose, parse_date, parse_timestamp, wanted
from verifier.net.links import Policy

FAST = Policy(backoff=0.02, backoff_max=0.1, retry_after_cap=1.0)


@pytest.fixture(scope="module")
def _wayback_server() -> Iterator[Wayback]:
    server = Wayback()
    yield server
    server.stop()


@pytest.fixture
def wayback(_wayback_server: Wayback) -> Wayback:
    _wayback_server.reset()
    return _wayback_server


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on: an archive that is down."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def settings(wayback: Wayback, **overrides: object) -> Settings:
    return Settings(allow_private=True, no_cache=True, timeout=2.0, **wayback.endpoints).with_overrides(overrides)


def check(wayback: Wayback, cited: dict[str, tuple[str | None, str | None]], **overrides: object) -> dict[str, LinkResult]:
    """Check each URL with its (access date, publication date); the results by URL."""
    run = net.check_links([(u, (f"c{i}",)) for i, u in enumerate(cited)], settings(wayback, **overrides),
                          dates=cited, policy=FAST)
    return {r.url: r for r in run.results}


def one(wayback: Wayback, url: str, accessed: str | None = None, published: str | None = None,
        **overrides: object) -> LinkResult:
    return check(wayback, {url: (accessed, published)}, **overrides)[url]


# ---------------------------------------------------------------------- choosing a capture


def test_the_capture_nearest_the_access_date_is_chosen_even_when_it_is_later(wayback: Wayback,
                                                                                origin: Origin) -> None:
    url = origin.url("/missing")
    # InternetArchiveBot would take the capture before the access date, two years older.
    wayback.state.captures[url] = [("20140301000000", 200), ("20160308000000", 200), ("20170101000000", 200)]
    result = one(wayback, url, accessed="2016-03-05")
    assert result.status is LinkStatus.DEAD
    assert result.archive is not None
    assert result.archive.timestamp == "20160308000000"
    assert result.archive.url == wayback.snapshot("20160308000000", url)
    assert result.archive_error is None


def test_the_capture_nearest_the_access_date_is_chosen_when_it_is_earlier(wayback: Wayback, origin: Origin) -> None:
    url = origin.url("/missing")
    wayback.state.captures[url] = [("20160302000000", 200), ("20160320000000", 200)]
    assert one(wayback, url, accessed="2016-03-05").archive.timestamp == "20160302000000"  # type: ignore[union-attr]


def test_a_tie_goes_to_the_earlier_capture(wayback: Wayback, origin: Origin) -> None:
    url = origin.url("/missing")
    # Both captures lie 36 hours from noon of the access date; the fake availability API picks the later one.
    wayback.state.captures[url] = [("20160304000000", 200), ("20160307000000", 200)]
    assert one(wayback, url, accessed="2016-03-05").archive.timestamp == "20160304000000"  # type: ignore[union-attr]


def test_captures_that_were_not_2xx_are_skipped(wayback: Wayback, origin: Origin) -> None:
    url = origin.url("/gone")
    # The closest captures were an error page and a redirect; the 200 a year earlier is the one to cite.
    wayback.state.captures[url] = [("20150301000000", 200), ("20160305100000", 404), ("20160306000000", 302),
                                   ("20170601000000", 503)]
    result = one(wayback, url, accessed="2016-03-05")
    assert result.archive is not None and result.archive.timestamp == "20150301000000"


def test_a_203_or_206_capture_counts(wayback: Wayback, origin: Origin) -> None:
    url = origin.url("/missing")
    wayback.state.captures[url] = [("20100101000000", 200), ("20160306000000", 206)]
    assert one(wayback, url, accessed="2016-03-05").archive.timestamp == "20160306000000"  # type: ignore[union-attr]


def test_the_publication_date_is_used_without_an_access_date(wayback: Wayback, origin: Origin) -> None:
    url = origin.url("/missing")
    wayback.state.captures[url] = [("20090615000000", 200), ("20120101000000", 200), ("20200101000000", 200)]
    assert one(wayback, url, published="2011-12").archive.timestamp == "20120101000000"  # type: ignore[union-attr]
    # ... and the access date wins when both are given.
    assert one(wayback, url, accessed="2019-10-01", published="2011-12").archive.timestamp == "20200101000000"  # type: ignore[union-attr]


def test_the_newest_capture_is_chosen_without_any_date(wayback: Wayback, origin: Origin) -> None:
    url = origin.url("/missing")
    wayback.state.captures[url] = [("20090615000000", 200), ("20200101000000", 200), ("20210101000000", 404)]
    assert one(wayback, url).archive.timestamp == "20200101000000"  # type: ignore[union-attr]


def test_a_url_with_no_capture_has_no_archive_and_no_error(wayback: Wayback, origin: Origin) -> None:
    result = one(wayback, origin.url("/ok"), accessed="2016-03-05")
    assert result.status is LinkStatus.ALIVE
    assert result.archive is None
    assert result.archive_error is None
    assert result.archive_checked
    # The availability API's silence is not trusted alone: CDX and TimeTravel were asked too.
    assert wayback.requests("/cdx/") and wayback.requests("/timetravel/")


def test_other_archives_answer_when_the_wayback_machine_has_nothing(wayback: Wayback, origin: Origin) -> None:
    url = origin.url("/missing")
    wayback.state.mementos[url] = [("20130101000000", f"http://archive.today/20130101000000/{url}"),
                                   ("20160310000000", f"https://arquivo.pt/wayback/20160310000000/{url}"),
                                   ("20190101000000", f"http://archive.today/20190101000000/{url}")]
    result = one(wayback, url, accessed="2016-03-05")
    assert result.archive is not None
    assert result.archive.url == f"https://arquivo.pt/wayback/20160310000000/{url}"
    assert result.archive.timestamp == "20160310000000"


def test_wayback_copies_listed_by_timetravel_are_passed_over_when_the_wayback_machine_has_no_2xx_one(
    wayback: Wayback, origin: Origin
) -> None:
    url = origin.url("/missing")
    wayback.state.captures[url] = [("20160305000000", 404)]
    wayback.state.mementos[url] = [("20160305000000", wayback.snapshot("20160305000000", url))]
    result = one(wayback, url, accessed="2016-03-05")
    assert result.archive is None and result.archive_error is None


# ---------------------------------------------------------------------- an archive in trouble


def test_an_archive_answering_503_then_200_is_retried(wayback: Wayback, origin: Origin) -> None:
    url = origin.url("/missing")
    wayback.state.captures[url] = [("20160306000000", 200)]
    wayback.state.fail = {"/wayback/available": [503], "/cdx/": [503]}
    result = one(wayback, url, accessed="2016-03-05")
    assert result.archive is not None and result.archive.timestamp == "20160306000000"
    assert len(wayback.requests("/wayback/available")) == 2  # the 503, then the answer


def test_retry_after_from_the_archive_is_honoured(wayback: Wayback, origin: Origin) -> None:
    url = origin.url("/missing")
    wayback.state.captures[url] = [("20160305120000", 200)]
    wayback.state.fail = {"/wayback/available": [429]}
    start = time.monotonic()
    result = one(wayback, url, accessed="2016-03-05")
    assert result.archive is not None
    assert len(wayback.requests("/wayback/available")) == 2
    assert time.monotonic() - start < 5


def test_the_cdx_api_chooses_when_the_availability_api_fails(wayback: Wayback, origin: Origin) -> None:
    url = origin.url("/missing")
    wayback.state.captures[url] = [("20160306000000", 200)]
    wayback.state.fail = {"/wayback/available": [500]}
    assert one(wayback, url, accessed="2016-03-05").archive.timestamp == "20160306000000"  # type: ignore[union-attr]


def test_the_web_redirect_is_the_last_wayback_fallback(wayback: Wayback, origin: Origin) -> None:
    url = origin.url("/missing")
    wayback.state.captures[url] = [("20160306000000", 200)]
    wayback.state.fail = {"/wayback/available": [500], "/cdx/": [500] * 9}
    result = one(wayback, url, accessed="2016-03-05")
    assert result.archive is not None and result.archive.timestamp == "20160306000000"
    assert wayback.requests("/web/")
    assert not wayback.requests("/timetravel/")  # the Wayback Machine answered: no second opinion needed


def test_the_web_redirect_to_an_archived_error_page_is_not_a_capture(wayback: Wayback, origin: Origin) -> None:
    url = origin.url("/missing")
    wayback.state.captures[url] = [("20160306000000", 404)]
    wayback.state.fail = {"/wayback/available": [500], "/cdx/": [500] * 9}
    result = one(wayback, url, accessed="2016-03-05")
    assert result.archive is None and result.archive_error is None


def test_an_archive_that_is_down_is_reported_and_the_run_goes_on(origin: Origin, closed_port: int) -> None:
    down = f"http://127.0.0.1:{closed_port}"
    s = Settings(allow_private=True, no_cache=True, timeout=2.0, wayback_api=f"{down}/wayback/available",
                 cdx_api=f"{down}/cdx/search/cdx", timetravel_api=f"{down}/timetravel/api/json")
    urls = [origin.url("/ok"), origin.url("/missing"), origin.url("/ok2")]
    start = time.monotonic()
    run = net.check_links([(u, ("c1",)) for u in urls], s, dates={u: ("2016-03-05", None) for u in urls},
                          policy=FAST)
    assert time.monotonic() - start < 10
    by_url = {r.url: r for r in run.results}
    assert by_url[origin.url("/ok")].status is LinkStatus.ALIVE
    assert by_url[origin.url("/missing")].status is LinkStatus.DEAD
    for result in run.results:
        assert result.archive is None
        assert result.archive_error is not None
        assert result.archive_error.startswith("the Wayback Machine could not be asked")
        assert "connection refused" in result.archive_error
    assert any("could not be asked about 3 URLs" in w for w in run.warnings)


def test_only_the_aggregator_being_down_leaves_the_wayback_answer_standing(
    wayback: Wayback, origin: Origin, closed_port: int
) -> None:
    result = one(wayback, origin.url("/ok"), timetravel_api=f"http://127.0.0.1:{closed_port}/api/json")
    assert result.archive is None
    assert result.archive_error is not None
    assert result.archive_error.startswith("the Memento TimeTravel aggregator could not be asked")


# ---------------------------------------------------------------------- manners


def test_no_archive_skips_every_look_up(wayback: Wayback, origin: Origin) -> None:
    url = origin.url("/missing")
    wayback.state.captures[url] = [("20160306000000", 200)]
    result = one(wayback, url, accessed="2016-03-05", no_archive=True)
    assert result.archive is None and not result.archive_checked
    assert wayback.requests() == []


def test_skipped_urls_are_not_looked_up(wayback: Wayback) -> None:
    result = one(wayback, "http://10.1.2.3/intranet/page", allow_private=False)
    assert result.status is LinkStatus.SKIPPED and not result.archive_checked
    assert wayback.requests() == []


def test_the_archive_host_gets_at_most_per_host_requests_in_flight(wayback: Wayback, origin: Origin) -> None:
    wayback.delay = 0.05
    cited: dict[str, tuple[str | None, str | None]] = {origin.url(f"/page/{i}"): ("2016-03-05", None)
                                                       for i in range(12)}
    check(wayback, cited, per_host=2)
    assert 1 <= wayback.max_in_flight <= 2


def test_few_requests_per_url(wayback: Wayback, origin: Origin) -> None:
    archived, bare = origin.url("/missing"), origin.url("/ok")
    wayback.state.captures[archived] = [("20150101000000", 200), ("20160308000000", 200)]
    check(wayback, {archived: ("2016-03-05", None)})
    assert len(wayback.requests()) == 2  # availability, then one CDX query around the date
    wayback.reset()
    check(wayback, {bare: ("2016-03-05", None)})
    assert len(wayback.requests()) == 3  # availability, one CDX query (any 2xx capture?), TimeTravel


def test_a_crowded_window_falls_back_to_the_two_one_sided_queries(wayback: Wayback, origin: Origin) -> None:
    url = origin.url("/missing")
    # The availability API names a capture from 2010; sixty 2xx captures lie between it and the access date.
    wayback.state.sloppy_availability = True
    crowd = [(f"2016{m:02d}01{h:02d}0000", 200) for m in range(1, 3) for h in range(24)] + [
        (f"2015{m:02d}01000000", 200) for m in range(1, 13)]
    wayback.state.captures[url] = [("20100101000000", 200), *crowd, ("20160306000000", 200), ("20160601000000", 200)]
    result = one(wayback, url, accessed="2016-03-05")
    assert result.archive is not None and result.archive.timestamp == "20160306000000"
    assert len(wayback.requests("/cdx/")) == 3  # the window (full), then before and after


def test_look_ups_are_cached_by_url_and_wanted_date(wayback: Wayback, origin: Origin, tmp_path: Path) -> None:
    url = origin.url("/missing")
    wayback.state.captures[url] = [("20160306000000", 200), ("20190101000000", 200)]
    cache = str(tmp_path / "cache.sqlite3")
    first = one(wayback, url, accessed="2016-03-05", no_cache=False, cache=cache)
    asked = len(wayback.requests())
    second = one(wayback, url, accessed="2016-03-05", no_cache=False, cache=cache)
    assert second.archive == first.archive
    assert len(wayback.requests()) == asked  # nothing asked again
    other = one(wayback, url, accessed="2018-12-30", no_cache=False, cache=cache)
    assert other.archive is not None and other.archive.timestamp == "20190101000000"


def test_a_fragment_is_not_sent_to_the_archive(wayback: Wayback, origin: Origin) -> None:
    url = origin.url("/missing")
    wayback.state.captures[url] = [("20160306000000", 200)]
    result = one(wayback, url + "#section-2", accessed="2016-03-05")
    assert result.archive is not None and result.archive.url == wayback.snapshot("20160306000000", url)


# ---------------------------------------------------------------------- dates and choice (pure)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2015-03-05", dt.datetime(2015, 3, 5, 12, tzinfo=dt.UTC), id="day-noon"),
        pytest.param("1995-12", dt.datetime(1995, 12, 16, 12, tzinfo=dt.UTC), id="month-middle"),
        pytest.param("1995", dt.datetime(1995, 7, 2, 12, tzinfo=dt.UTC), id="year-middle"),
        pytest.param("2015-02-30", dt.datetime(2015, 2, 16, 12, tzinfo=dt.UTC), id="impossible-day-keeps-month"),
        pytest.param("n.d.", None, id="not-a-date"),
    ],
)
def test_cited_dates_mean_the_middle_of_their_period(text: str, expected: dt.datetime | None) -> None:
    assert parse_date(text) == expected


def test_the_access_date_wins_over_the_publication_date() -> None:
    assert wanted("2016-03-05", "2009").basis == "accessed"
    assert wanted(None, "2009").basis == "published"
    assert wanted(None, None).when is None


def test_choose_nearest_either_side_earlier_on_tie_newest_without_date() -> None:
    def cap(ts: str) -> Capture:
        when = parse_timestamp(ts)
        assert when is not None
        return Capture(ts, ts, when)

    caps = [cap("20160101000000"), cap("20160103000000")]
    assert choose(caps, parse_timestamp("20160102000000")) == caps[0]
    assert choose(caps, parse_timestamp("20160102000001")) == caps[1]
    assert choose(caps, None) == caps[1]
    assert choose([], None) is None


def test_timestamps_shorter_than_14_digits_are_padded() -> None:
    assert parse_timestamp("2016") == dt.datetime(2016, 1, 1, tzinfo=dt.UTC)
    assert parse_timestamp("201603") == dt.datetime(2016, 3, 1, tzinfo=dt.UTC)
    assert parse_timestamp("2016x") is None


def test_the_replay_prefix_follows_the_cdx_host() -> None:
    assert archives.web_base("https://web.archive.org/cdx/search/cdx") == "https://web.archive.org/web/"
    assert archives.web_base("http://127.0.0.1:8080/cdx/search/cdx") == "http://127.0.0.1:8080/web/"


# ---------------------------------------------------------------------- the command, end to end


def test_check_json_names_the_nearest_capture_of_each_dead_url_and_warns_about_unarchived_live_ones(
    wayback: Wayback, origin: Origin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from verifier.cli import main

    missing, gone, soft = origin.url("/missing"), origin.url("/gone"), origin.url("/old-section/story")
    live, bare = origin.url("/ok"), origin.url("/ok2")
    wayback.state.captures[missing] = [("20140101000000", 200), ("20160309000000", 200), ("20160306000000", 404)]
    wayback.state.captures[soft] = [("20120101000000", 200)]
    wayback.state.captures[live] = [("20190101000000", 200)]
    text = (
        "Claims.¹ More.² Still more.³ And.⁴ Finally.⁵\n\nNotes\n\n"
        f"1. Anna Petrova, “The Road Report,” Example News, 2 March 2016, {missing}, accessed 5 March 2016.\n"
        f"2. Ivan Orlov, “A Page Long Gone,” Example News, 2015, {gone}, accessed 5 March 2016.\n"
        f"3. “A Moved Story,” Example News, 4 January 2012, {soft}.\n"
        f"4. “A Live Archived Page,” Example, {live}, accessed 5 March 2016.\n"
        f"5. “A Live Unarchived Page,” Example, {bare}, accessed 5 March 2016.\n"
    )
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    e = wayback.endpoints
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", "doc.txt", "--format", "json", "--allow-private", "--no-cache", "--timeout", "3",
                     "--wayback-api", e["wayback_api"], "--cdx-api", e["cdx_api"],
                     "--timetravel-api", e["timetravel_api"]])
    report = json.loads(out.getvalue())
    assert code == 1  # L001/L005 are errors
    links = {link["url"]: link for link in report["links"]}
    assert links[missing]["status"] == "dead"
    assert links[missing]["archive"] == {"url": wayback.snapshot("20160309000000", missing),
                                         "timestamp": "20160309000000"}
    assert links[gone]["status"] == "dead" and links[gone]["archive"] is None
    assert links[soft]["status"] == "soft-404"
    assert links[soft]["archive"]["timestamp"] == "20120101000000"
    assert links[live]["archive"]["timestamp"] == "20190101000000"
    assert links[bare]["archive"] is None

    by_code: dict[str, list[dict[str, object]]] = {}
    for f in report["findings"]:
        by_code.setdefault(f["code"], []).append(f)
    assert {(f["url"], f["suggestion"]) for f in by_code["A002"]} == {
        (missing, wayback.snapshot("20160309000000", missing)), (soft, wayback.snapshot("20120101000000", soft))}
    assert [f["url"] for f in by_code["A001"]] == [bare]
    [dead_gone] = [f for f in by_code["L001"] if f["url"] == gone]
    assert str(dead_gone["message"]).endswith("; not archived")
    assert "captured 4 days after it was cited as accessed (2016-03-05)" in str(
        next(f for f in by_code["A002"] if f["url"] == missing)["message"])

    schema = Path(__file__).resolve().parents[1] / "data" / "report.schema.json"
    if schema.is_file():
        jsonschema = pytest.importorskip("jsonschema")
        jsonschema.validate(report, json.loads(schema.read_text(encoding="utf-8")))


def test_a_url_cited_with_several_dates_uses_the_most_precise_then_the_earliest() -> None:
    from tests.rules.factories import cite
    from verifier.model import Kind
    from verifier.pipeline import url_dates

    url = "http://example.org/page"
    cites = [cite("1", Kind.WEB, url=url, accessed="2017-01-02", date="2015"),
             cite("2", Kind.WEB, url=url, accessed="2016", date="2014-05"),
             cite("3", Kind.WEB, url=url, accessed="2016-03-05")]
    assert url_dates(cites, {c.id: [url] for c in cites}) == {url: ("2016-03-05", "2014-05")}


def test_an_archive_answering_json_nested_past_any_limit_is_an_archive_not_asked(tmp_path: Path) -> None:
    import httpx

    from verifier import net

    deep = b"[" * 200_000 + b"]" * 200_000
    client = httpx.AsyncClient(transport=httpx.MockTransport(
        lambda request: httpx.Response(200, content=deep) if "archive" in request.url.host
        else httpx.Response(404)))
    s = Settings(no_cache=True, allow_private=True, timeout=2.0,
                 wayback_api="http://archive.example.net/wayback/available",
                 cdx_api="http://archive.example.net/cdx/search/cdx",
                 timetravel_api="http://timetravel-archive.example.net/api/json")
    [result] = net.check_links([("http://site.example.net/gone", ("c1",))], s, client=client,
                               policy=Policy(backoff=0.01, backoff_max=0.02)).results
    assert result.status is LinkStatus.DEAD and result.archive is None
    assert "not JSON" in (result.archive_error or "")


def test_what_the_aggregator_could_not_tell_is_said_once_for_the_run() -> None:
    stage = archives.Stage(["http://a.example.net/", "http://b.example.net/"], {}, Settings())
    error = f"{archives.MEMENTO} {archives.NOT_ASKED}: HTTP 503 Service Unavailable"
    stage.results = {u: archives.Lookup(None, error) for u in stage.wanted}
    [warning] = stage.warnings()
    assert warning.startswith(f"{archives.MEMENTO} could not be asked about 2 URLs (HTTP 503 Service Unavailable)")


def test_an_archive_endpoint_on_a_private_address_is_refused_without_allow_private() -> None:
    """The endpoints come from the configuration, which a pull request can change: they pass the guard too."""
    import httpx

    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(404)

    s = Settings(no_cache=True, allow_private=False, timeout=2.0,
                 wayback_api="http://169.254.169.254/wayback/available", cdx_api="http://0x7f000001/cdx/search/cdx",
                 timetravel_api="http://10.0.0.8/api/json")
    client = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    [result] = net.check_links([("http://93.184.215.14/gone", ("c1",))], s, client=client, policy=FAST).results
    assert result.status is LinkStatus.DEAD
    assert "private address" in (result.archive_error or "")
    assert asked and all(u.startswith("http://93.184.215.14/") for u in asked)
