"""Save Page Now against the fake archive, and ``verifier archive`` as a user runs it."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from tests.servers.origin import Origin
from tests.servers.wayback import KEY, SECRET, SaveOutcome, Wayback
from verifier.cli import main
from verifier.config import Settings
from verifier.errors import UsageError
from verifier.model import Archive, LinkStatus
from verifier.net import savepagenow, stage
from verifier.net.archives import WAYBACK
from verifier.net.links import Policy
from verifier.net.savepagenow import Credentials, Polling

FAST = Policy(backoff=0.02, backoff_max=0.1, retry_after_cap=1.0)
QUICK = Polling(interval=0.01, max_polls=5, job_timeout=5.0)
KEYS = Credentials(KEY, SECRET)


@pytest.fixture(scope="module")
def _wayback_server() -> Iterator[Wayback]:
    server = Wayback()
    yield server
    server.stop()


@pytest.fixture
def wayback(_wayback_server: Wayback) -> Wayback:
    _wayback_server.reset()
    return _wayback_server


def save(wayback: Wayback, urls: list[str], credentials: Credentials = KEYS,
         polling: Polling = QUICK) -> list[savepagenow.Saved]:
    s = Settings(allow_private=True, no_cache=True, timeout=2.0)
    return savepagenow.save(urls, s, credentials, save_api=wayback.save_api, polling=polling, policy=FAST)


# ---------------------------------------------------------------------- inside the network stage


def _stage_submitter(wayback: Wayback, urls: list[str], cache: Path | None = None) -> savepagenow.Submitter:
    s = Settings(allow_private=True, timeout=2.0, **wayback.endpoints).with_overrides(
        {"cache": str(cache)} if cache else {"no_cache": True})
    submitter = savepagenow.Submitter(savepagenow.Submission(KEYS, wayback.save_api, QUICK), s)
    stage.run([(u, ("c1",)) for u in urls], s, submit=submitter, policy=FAST)
    return submitter


def test_the_stage_submits_the_live_urls_no_archive_holds(wayback: Wayback, origin: Origin) -> None:
    archived, unarchived, dead = origin.url("/ok"), origin.url("/ok2"), origin.url("/missing")
    wayback.state.captures[archived] = [("20160301000000", 200)]
    submitter = _stage_submitter(wayback, [archived, unarchived, dead])
    assert list(submitter.saved) == [unarchived]
    capture = submitter.saved[unarchived].capture
    assert capture is not None and capture.url.startswith(f"{wayback.base}/web/")


def test_a_check_answered_from_the_cache_still_submits(wayback: Wayback, origin: Origin, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite3"
    url = origin.url("/ok2")
    wayback.state.saves[url] = SaveOutcome(error=("error:blocked-url", "This URL is blocked."))
    first = _stage_submitter(wayback, [url], cache)
    assert first.saved[url].error == "error:blocked-url: This URL is blocked."
    again = _stage_submitter(wayback, [url], cache)  # the verdict and the archive look-up come from the cache
    assert list(again.saved) == [url]


def test_a_url_the_wayback_machine_could_not_be_asked_about_is_not_submitted() -> None:
    assert savepagenow.to_submit(LinkStatus.ALIVE, None, True, None)
    assert savepagenow.to_submit(LinkStatus.REDIRECTED, None, True, "the Memento aggregator did not answer")
    assert not savepagenow.to_submit(LinkStatus.ALIVE, None, True, f"{WAYBACK} did not answer (timeout)")
    assert not savepagenow.to_submit(LinkStatus.ALIVE, None, False, None)  # never looked up
    assert not savepagenow.to_submit(LinkStatus.DEAD, None, True, None)
    assert not savepagenow.to_submit(LinkStatus.ALIVE, Archive("https://web.archive.org/web/2016/x", "2016"), True,
                                     None)


# ---------------------------------------------------------------------- the API


def test_a_job_is_submitted_polled_and_its_capture_returned(wayback: Wayback) -> None:
    wayback.state.saves["http://example.org/a"] = SaveOutcome(polls=2)
    [saved] = save(wayback, ["http://example.org/a"])
    assert saved.error is None and saved.capture is not None
    assert saved.capture.url == wayback.snapshot(saved.capture.timestamp, "http://example.org/a")
    assert len(saved.capture.timestamp) == 14
    assert len(wayback.requests("/save/status/")) == 3  # pending, pending, success
    assert wayback.state.captures["http://example.org/a"]  # the archive holds it now


def test_a_failed_job_reports_what_the_archive_said(wayback: Wayback) -> None:
    wayback.state.saves["http://example.org/b"] = SaveOutcome(
        polls=1, error=("error:soft-time-limit-exceeded", "Your capture did not complete in time."))
    [saved] = save(wayback, ["http://example.org/b"])
    assert saved.capture is None
    assert saved.error == "error:soft-time-limit-exceeded: Your capture did not complete in time."
    assert saved.job_id is not None


def test_a_capture_of_an_error_page_is_not_a_capture_of_the_page(wayback: Wayback) -> None:
    wayback.state.saves["http://example.org/g"] = SaveOutcome(http_status=404)
    [saved] = save(wayback, ["http://example.org/g"])
    assert saved.capture is None
    assert saved.error is not None and "HTTP 404" in saved.error


def test_a_refusal_at_submission_is_reported_though_it_came_with_http_200(wayback: Wayback) -> None:
    wayback.state.saves["http://example.org/c"] = SaveOutcome(
        refuse=("error:too-many-daily-captures", "This URL has been already captured 5 times today."))
    [saved] = save(wayback, ["http://example.org/c"])
    assert saved.capture is None and saved.job_id is None
    assert saved.error is not None and "error:too-many-daily-captures" in saved.error
    assert wayback.requests("/save/status/") == []


def test_wrong_keys_are_reported_as_such(wayback: Wayback) -> None:
    [saved] = save(wayback, ["http://example.org/d"], Credentials("wrong", "keys"))
    assert saved.error is not None and "IA_ACCESS_KEY" in saved.error


def test_a_job_that_never_finishes_is_given_up_after_the_polls(wayback: Wayback) -> None:
    wayback.state.saves["http://example.org/e"] = SaveOutcome(polls=100)
    [saved] = save(wayback, ["http://example.org/e"], polling=Polling(interval=0.01, max_polls=3, job_timeout=5))
    assert saved.capture is None and saved.error is not None
    assert "no result after 3 polls" in saved.error and "/save/status/" in saved.error
    assert len(wayback.requests("/save/status/")) == 3


def test_an_archive_answering_503_to_the_submission_is_retried(wayback: Wayback) -> None:
    wayback.state.fail = {"/save": [503]}
    [saved] = save(wayback, ["http://example.org/f"])
    assert saved.capture is not None


def test_missing_keys_are_refused_clearly() -> None:
    with pytest.raises(UsageError, match="IA_SECRET_KEY"):
        Credentials.from_env({"IA_ACCESS_KEY": "abc"})
    assert Credentials.from_env({"IA_ACCESS_KEY": "a", "IA_SECRET_KEY": "b"}).header() == "LOW a:b"


# ---------------------------------------------------------------------- verifier archive


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def document(tmp_path: Path, origin: Origin, wayback: Wayback, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three live URLs: one archived already, two not; one dead URL (never submitted)."""
    monkeypatch.chdir(tmp_path)
    wayback.state.captures[origin.url("/ok")] = [("20160301000000", 200)]
    text = (
        "Some claims.¹ More.² Others.³ Gone.⁴\n\nNotes\n\n"
        f"1. Example, “Archived page,” {origin.url('/ok')}, accessed 5 March 2016.\n"
        f"2. Example, “Unarchived page,” {origin.url('/ok2')}, accessed 5 March 2016.\n"
        f"3. Example, “Another page,” {origin.url('/ok3')}, accessed 5 March 2016.\n"
        f"4. Example, “Dead page,” {origin.url('/missing')}, accessed 5 March 2016.\n"
    )
    path = tmp_path / "chapter.txt"
    path.write_text(text, encoding="utf-8")
    return path


def archive_args(wayback: Wayback, document: Path, *extra: str) -> list[str]:
    e = wayback.endpoints
    return ["archive", str(document), "--allow-private", "--timeout", "2", "--wayback-api", e["wayback_api"],
            "--cdx-api", e["cdx_api"], "--timetravel-api", e["timetravel_api"], "--save-api", wayback.save_api,
            "--poll-interval", "0.01", "--max-polls", "5", *extra]


def test_archive_refuses_without_keys(wayback: Wayback, document: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IA_ACCESS_KEY", raising=False)
    monkeypatch.delenv("IA_SECRET_KEY", raising=False)
    code, out, err = run_cli(*archive_args(wayback, document, "--no-cache"))
    assert code == 2
    assert "IA_ACCESS_KEY" in err and "IA_SECRET_KEY" in err
    assert wayback.requests() == []  # refused before any work


def test_archive_dry_run_lists_the_live_unarchived_urls(wayback: Wayback, origin: Origin, document: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IA_ACCESS_KEY", raising=False)
    code, out, _ = run_cli(*archive_args(wayback, document, "--no-cache", "--dry-run"))
    assert code == 0
    assert f"would submit  {origin.url('/ok2')}" in out and f"would submit  {origin.url('/ok3')}" in out
    assert origin.url("/missing") not in out and f"submit  {origin.url('/ok')}\n" not in out
    assert "1 already archived, 2 without a copy" in out
    assert wayback.requests("/save") == []


def test_archive_submits_prints_captures_and_failures(wayback: Wayback, origin: Origin, document: Path,
                                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IA_ACCESS_KEY", KEY)
    monkeypatch.setenv("IA_SECRET_KEY", SECRET)
    wayback.state.saves[origin.url("/ok3")] = SaveOutcome(error=("error:blocked-url", "This URL is blocked."))
    cache = str(tmp_path / "cache.sqlite3")
    code, out, _ = run_cli(*archive_args(wayback, document, "--cache", cache))
    assert code == 1
    assert f"captured  {origin.url('/ok2')}  {wayback.base}/web/" in out
    assert f"failed    {origin.url('/ok3')}  error:blocked-url: This URL is blocked." in out
    assert "1 captured, 1 failed" in out
    submitted = wayback.requests("/save")
    assert not any(origin.url("/ok") + "\n" in p for p in submitted)

    # The next check knows of the new capture at once (the cache keeps it), and warns only about /ok3.
    e = wayback.endpoints
    code, out, _ = run_cli("check", str(document), "--format", "json", "--allow-private", "--cache", cache,
                           "--wayback-api", e["wayback_api"], "--cdx-api", e["cdx_api"],
                           "--timetravel-api", e["timetravel_api"])
    report = json.loads(out)
    a001 = [f["url"] for f in report["findings"] if f["code"] == "A001"]
    assert a001 == [origin.url("/ok3")]


def test_archive_exits_0_when_everything_was_captured(wayback: Wayback, document: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IA_ACCESS_KEY", KEY)
    monkeypatch.setenv("IA_SECRET_KEY", SECRET)
    code, out, _ = run_cli(*archive_args(wayback, document, "--no-cache"))
    assert code == 0, out
    assert "2 captured, 0 failed" in out
