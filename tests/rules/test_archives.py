"""A001–A002 (and L001's word on archives): what the archive look-up found, as an editor reads it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from tests.rules.factories import cite, context
from verifier.model import Archive, Citation, Finding, Kind, LinkResult, LinkStatus
from verifier.rules import run_rules
from verifier.rules.archives import gap_words

URL = "http://example.org/story"
SNAPSHOT = Archive(f"https://web.archive.org/web/20160308101500/{URL}", "20160308101500")


def run(link: LinkResult, *citations: Citation) -> list[Finding]:
    ctx = context(*citations)
    return run_rules(replace(ctx, links=(link,)))


def web(note: str, **fields: str) -> Citation:
    return cite(note, Kind.WEB, url=URL, **fields)


def link(status: LinkStatus, archive: Archive | None = None, error: str | None = None,
         ids: tuple[str, ...] = ("c1-0",), checked: bool = True) -> LinkResult:
    return LinkResult(URL, status, ids, 404 if status is LinkStatus.DEAD else 200, URL,
                      "HTTP 404 Not Found" if status is LinkStatus.DEAD else None, archive,
                      archive_error=error, archive_checked=checked)


def codes(found: list[Finding], *wanted: str) -> list[Finding]:
    return [f for f in found if f.code in wanted]


def test_a002_suggests_the_capture_of_a_dead_url_and_says_how_far_it_is_from_the_access_date() -> None:
    [finding] = codes(run(link(LinkStatus.DEAD, SNAPSHOT), web("1", accessed="2016-03-05")), "A002")
    assert finding.suggestion == SNAPSHOT.url
    assert "captured 3 days after it was cited as accessed (2016-03-05)" in finding.message
    assert finding.url == URL and finding.citations == ("c1-0",)


def test_a002_for_a_soft_404_too_and_at_every_citing_note() -> None:
    found = codes(run(link(LinkStatus.SOFT_404, SNAPSHOT, ids=("c1-0", "c2-0")), web("1", accessed="2016-03-08"),
                      web("2", date="2015")), "A002")
    assert [f.location.line for f in found if f.location] == [101, 102]
    assert "on the day it was cited as accessed" in found[0].message
    assert "2 months after its cited publication date (2015)" in found[1].message  # after the end of 2015


def test_a002_without_dates_names_the_newest_capture() -> None:
    [finding] = codes(run(link(LinkStatus.DEAD, SNAPSHOT), web("1")), "A002")
    assert "the newest capture, from 2016-03-08" in finding.message


def test_a001_warns_about_a_live_url_no_archive_holds() -> None:
    [finding] = codes(run(link(LinkStatus.ALIVE), web("1", accessed="2016-03-05")), "A001")
    assert finding.severity.value == "warning"
    assert "no archive holds a copy" in finding.message
    assert finding.suggestion is not None and "web.archive.org/save" in finding.suggestion


@pytest.mark.parametrize(
    "result",
    [
        pytest.param(link(LinkStatus.ALIVE, SNAPSHOT), id="archived"),
        pytest.param(link(LinkStatus.ALIVE, error="the Wayback Machine could not be asked: connection refused"),
                     id="archive-down-means-unknown"),
        pytest.param(link(LinkStatus.ALIVE, checked=False), id="not-looked-up"),
        pytest.param(link(LinkStatus.BLOCKED), id="blocked-is-not-known-live"),
        pytest.param(link(LinkStatus.DEAD), id="dead-without-copy-is-l001s-business"),
    ],
)
def test_no_a001_when_a_copy_exists_or_nobody_knows(result: LinkResult) -> None:
    assert codes(run(result, web("1")), "A001") == []


def test_a001_still_fires_when_only_the_aggregator_was_down_and_says_so() -> None:
    error = "the Memento TimeTravel aggregator could not be asked: HTTP 503 Service Unavailable"
    [finding] = codes(run(link(LinkStatus.ALIVE, error=error), web("1")), "A001")
    assert "other archives were not checked" in finding.message
    assert "503" not in finding.message  # why is said once for the run, not on every finding


def test_l001_says_nothing_is_archived_when_no_archive_holds_a_dead_url() -> None:
    [finding] = codes(run(link(LinkStatus.DEAD), web("1")), "L001")
    assert finding.message.endswith("; not archived")


def test_l005_says_nothing_is_archived_too() -> None:
    [finding] = codes(run(link(LinkStatus.SOFT_404), web("1")), "L005")
    assert finding.message.endswith("; not archived")


def test_l001_says_the_archive_was_not_asked_in_a_few_words() -> None:
    """Why the archive could not be asked is said once per run (a warning), not on every finding."""
    error = "the Wayback Machine could not be asked: availability API and CDX API: connection refused"
    [finding] = codes(run(link(LinkStatus.DEAD, error=error), web("1")), "L001")
    assert finding.message.endswith("; archive not asked") and "connection refused" not in finding.message
    assert "\n" not in finding.message and len(finding.message) < 120


def test_l001_is_silent_on_archives_when_they_were_not_asked() -> None:
    [finding] = codes(run(link(LinkStatus.DEAD, checked=False), web("1")), "L001")
    assert "archive" not in finding.message


@pytest.mark.parametrize(
    ("captured", "cited", "words"),
    [
        pytest.param(dt.date(2016, 3, 5), "2016-03-05", "on the day", id="same-day"),
        pytest.param(dt.date(2016, 3, 4), "2016-03-05", "1 day before", id="one-day"),
        pytest.param(dt.date(2016, 6, 5), "2016-03-05", "3 months after", id="months"),
        pytest.param(dt.date(2010, 1, 1), "2016-03-05", "6 years before", id="years"),
        pytest.param(dt.date(2016, 3, 28), "2016-03", "in March 2016, the month", id="within-the-month"),
        pytest.param(dt.date(2016, 4, 2), "2016-03", "2 days after", id="after-the-month"),
        pytest.param(dt.date(2016, 3, 28), "garbage", None, id="not-a-date"),
    ],
)
def test_gap_words(captured: dt.date, cited: str, words: str | None) -> None:
    assert gap_words(captured, cited) == words
