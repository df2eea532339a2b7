"""The SQLite result cache: expiry, sharing between runs, and failure that is never fatal."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from verifier.net.cache import Cache


def test_values_expire(tmp_path: Path) -> None:
    now = [1000.0]
    cache = Cache(tmp_path / "c.sqlite3", clock=lambda: now[0])
    cache.put_many("link", {"a": ({"status": "alive"}, 60.0), "b": ({"status": "dead"}, 10.0)})
    assert cache.get_many("link", ["a", "b", "c"]) == {"a": {"status": "alive"}, "b": {"status": "dead"}}
    now[0] += 30
    assert cache.get_many("link", ["a", "b"]) == {"a": {"status": "alive"}}
    assert cache.get_many("archive", ["a"]) == {}


def test_two_runs_can_share_one_cache(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    errors: list[str] = []

    def writer(n: int) -> None:
        cache = Cache(path)
        for i in range(50):
            cache.put_many("link", {f"{n}-{i}": ({"i": i}, 3600.0)})
        if cache.warning:
            errors.append(cache.warning)
        cache.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(Cache(path).get_many("link", [f"{n}-{i}" for n in range(4) for i in range(50)])) == 200


def test_a_cache_that_cannot_be_used_is_a_warning_not_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_bytes(b"this is not sqlite" * 100)
    cache = Cache(bad)
    assert cache.get_many("link", ["a"]) == {}
    cache.put_many("link", {"a": ({}, 1.0)})
    assert cache.warning and "not" in cache.warning


def test_a_lock_held_by_another_run_is_waited_for_not_given_up(tmp_path: Path) -> None:
    """SQLite answers SQLITE_BUSY at once in some contended cases; the statement is tried again."""
    import sqlite3

    from verifier.net import cache as cache_module

    calls = []

    def step() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise sqlite3.OperationalError("database is locked")
        return "done"

    assert cache_module._patiently(step) == "done"
    assert len(calls) == 3

    def broken() -> None:
        raise sqlite3.OperationalError("no such table: results")

    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        cache_module._patiently(broken)
