"""A persistent result cache (SQLite), shared by link checks, archive and registry look-ups.

One table of JSON values keyed by ``(kind, key)`` with an expiry time. It lives
in the user cache folder (platformdirs) unless ``--cache`` names a file, and is
safe when two runs share it: WAL journal, a busy timeout, and single-statement
``INSERT OR REPLACE`` writes, so a CI job and a local run can use it at once.
A cache that cannot be opened or written is skipped with a warning, never fatal:
the run just does the requests.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import platformdirs

T = TypeVar("T")

SCHEMA_VERSION = 1
LINK_CACHE = "link"
_CHUNK = 500
_PATIENCE = 10.0  # seconds a run waits for another run's lock before it gives the cache up


def _contended(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _patiently(step: Callable[[], T], *, clock: Callable[[], float] = time.monotonic) -> T:
    """Run ``step``, again while another connection holds the lock.

    SQLite's busy timeout does not cover every contended case: when two
    connections upgrade from a shared lock at once (two runs creating the
    table or switching a new file to WAL together), or while a WAL is being
    recovered, it answers SQLITE_BUSY at once rather than risk a deadlock.
    The statement is then safe to run again after the other side finishes.
    """
    deadline = clock() + _PATIENCE
    pause = 0.005
    while True:
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if not _contended(exc) or clock() > deadline:
                raise
        time.sleep(pause + random.random() * pause)
        pause = min(pause * 2, 0.2)


def link_key(url: str, title: bool) -> str:
    """A link check's key: the URL, and whether its page's title was wanted (a different request)."""
    return f"{'T' if title else '-'} {url}"


def default_path() -> Path:
    return Path(platformdirs.user_cache_dir("verifier", appauthor=False)) / "cache.sqlite3"


class Cache:
    """``get_many``/``put_many`` of JSON-able values; expired rows read as missing."""

    def __init__(self, path: str | Path | None, *, clock: Any = time.time) -> None:
        self.path = Path(path) if path else default_path()
        self.clock = clock
        self.warning: str | None = None
        self._db: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=_PATIENCE, isolation_level=None, check_same_thread=False)
            try:
                db.execute(f"PRAGMA busy_timeout = {int(_PATIENCE * 1000)}")
                _patiently(lambda: db.execute("PRAGMA journal_mode = WAL"))
                db.execute("PRAGMA synchronous = NORMAL")
                _patiently(
                    lambda: db.execute(
                        "CREATE TABLE IF NOT EXISTS results (kind TEXT NOT NULL, key TEXT NOT NULL,"
                        " value TEXT NOT NULL, stored REAL NOT NULL, expires REAL NOT NULL,"
                        " version INTEGER NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID"
                    )
                )
            except BaseException:
                db.close()
                raise
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            self.warning = f"cache {self.path} not used: {exc}"

    def get_many(self, kind: str, keys: Iterable[str]) -> dict[str, Any]:
        """The fresh cached values among ``keys``."""
        if self._db is None:
            return {}
        wanted = list(dict.fromkeys(keys))
        now = self.clock()
        out: dict[str, Any] = {}
        db = self._db
        try:
            for i in range(0, len(wanted), _CHUNK):
                chunk = wanted[i : i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                query = (
                    "SELECT key, value FROM results WHERE kind = ? AND version = ? AND expires > ?"
                    f" AND key IN ({marks})"
                )
                args = (kind, SCHEMA_VERSION, now, *chunk)
                rows = _patiently(lambda: db.execute(query, args).fetchall())  # noqa: B023 - called at once
                for key, value in rows:
                    out[key] = json.loads(value)
        except (sqlite3.Error, ValueError) as exc:
            self.warning = f"cache {self.path} not read: {exc}"
            return {}
        return out

    def put_many(self, kind: str, items: Mapping[str, tuple[Any, float]]) -> None:
        """Store each ``key: (value, ttl_seconds)``."""
        if self._db is None or not items:
            return
        now = self.clock()
        rows = [(kind, key, json.dumps(value), now, now + ttl, SCHEMA_VERSION) for key, (value, ttl) in items.items()]
        db = self._db

        def write() -> None:
            with db:
                db.execute("BEGIN IMMEDIATE")
                db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?)", rows)

        try:
            _patiently(write)
        except sqlite3.Error as exc:
            self.warning = f"cache {self.path} not written: {exc}"

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
