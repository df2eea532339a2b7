"""The real `verifier check` command on a document whose URLs point at the loopback origin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers.origin import Origin


def _document(origin: Origin, tmp_path: Path, tag: str = "") -> Path:
    def u(path: str) -> str:
        return origin.url(path) + tag

    text = (
        "The policy changed in 1996.1 Critics disagreed.2 The ministry moved its archive.3 "
        "The old page is gone.4 A further study followed.5 The same study again.6\n\n"
        "Notes\n\n"
        f"1. Shahram Akbarzadeh, “Nationalism and Regional Security,” accessed May 3, 2021, {u('/ok')}.\n"
        f"2. “A Study That Vanished,” Example News, {u('/missing')}.\n"
        f"3. Ministry of Trade, “Annual Trade Figures 1995,” {u('/moved-elsewhere')}.\n"
        f"4. “The Old Section Story,” {u('/old-section/story')}.\n"
        f"5. “Report on Border Markets,” {u('/forbidden')}.\n"
        f"6. Shahram Akbarzadeh, “Nationalism and Regional Security,” {u('/ok')}.\n"
    )
    path = tmp_path / "chapter.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _check(path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "verifier", "check", str(path), "--format", "json", "--no-cache", "--no-archive",
         "--timeout", "3", *options],
        capture_output=True, text=True, timeout=60,
    )


def test_check_classifies_every_cited_url_and_reports_at_each_citing_note(origin: Origin, tmp_path: Path) -> None:
    proc = _check(_document(origin, tmp_path), "--allow-private")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    status = {link["url"].removeprefix(origin.base): link["status"] for link in report["links"]}
    assert status == {"/ok": "alive", "/missing": "dead", "/moved-elsewhere": "redirected",
                      "/old-section/story": "soft-404", "/forbidden": "blocked"}
    ok = next(link for link in report["links"] if link["url"].endswith("/ok"))
    assert len(ok["citations"]) == 2  # cited in notes 1 and 6, checked once
    assert origin.requests_for("/ok").count("HEAD") == 1

    found = {(f["code"], f["location"]["line"]) for f in report["findings"] if f["code"].startswith("L")}
    assert ("L001", 6) in found  # note 2 is on line 6
    assert ("L003", 9) in found
    assert ("L004", 7) in found and ("L006", 7) in found
    assert ("L005", 8) in found
    moved = next(f for f in report["findings"] if f["code"] == "L004")
    assert moved["suggestion"] == origin.url("/new-topic")
    assert not any(f["code"] == "L006" and f["location"]["line"] in (5, 10) for f in report["findings"])


def test_without_allow_private_nothing_is_requested(origin: Origin, tmp_path: Path) -> None:
    proc = _check(_document(origin, tmp_path, "?private"))
    report = json.loads(proc.stdout)
    assert {link["status"] for link in report["links"]} == {"skipped"}
    assert {f["code"] for f in report["findings"] if f["code"].startswith("L")} == {"L007"}
    assert not [path for _, path, _ in origin.log if "private" in path]


@pytest.mark.parametrize("option", ["--offline"])
def test_offline_fetches_nothing(origin: Origin, tmp_path: Path, option: str) -> None:
    proc = _check(_document(origin, tmp_path, "?offline"), "--allow-private", option)
    assert {link["status"] for link in json.loads(proc.stdout)["links"]} == {"skipped"}
    assert not [path for _, path, _ in origin.log if "offline" in path]


def test_a_cached_rerun_requests_nothing_and_does_not_load_the_http_transport(origin: Origin, tmp_path: Path) -> None:
    path = _document(origin, tmp_path, "?cached")
    cache = tmp_path / "cache.sqlite3"
    code = (
        "import sys, verifier.cli as c; status = c.main(sys.argv[1:]); "
        "print('verifier.net.wire' in sys.modules, file=sys.stderr); sys.exit(status)"
    )
    args = [sys.executable, "-c", code, "check", str(path), "--format", "json", "--no-archive", "--allow-private",
            "--timeout", "3", "--cache", str(cache)]
    first = subprocess.run(args, capture_output=True, text=True, timeout=60)
    requests = len(origin.log)
    again = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert first.stderr.split()[-1] == "True" and again.stderr.split()[-1] == "False", again.stderr
    assert len(origin.log) == requests  # every verdict came from the cache
    cached = json.loads(again.stdout)["links"]
    assert all(isinstance(link.pop("cache_age"), int) for link in cached)  # the report says they are cached
    assert cached == json.loads(first.stdout)["links"]
