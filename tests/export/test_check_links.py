"""``verifier export --check-links``: the same check as ``verifier check``, against the loopback origin.

Without ``--check-links`` nothing is requested; with it, a dead URL is flagged
in the comment above its entry and in the CSL item's note, and the capture the
fake Wayback Machine offers becomes the entry's note and the CSL archive fields.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.model import ExplicitComment

from tests.servers.origin import Origin
from tests.servers.wayback import Wayback

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def origin() -> Iterator[Origin]:
    server = Origin()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def wayback() -> Iterator[Wayback]:
    server = Wayback()
    yield server
    server.stop()


def _env() -> dict[str, str]:
    """This environment without proxies (the origin is on loopback) and with the repository importable."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy") and k != "VERIFIER_DEBUG"}
    return {**env, "PYTHONPATH": str(REPO)}


def _export(origin: Origin, tmp_path: Path, *options: str, archive: bool = False) -> tuple[str, list[dict[str, object]]]:
    u = origin.url
    (tmp_path / "chapter.txt").write_text(
        "A study followed.¹ It vanished.²\n\nNotes\n\n"
        f"1. Shahram Akbarzadeh, “Nationalism and Regional Security,” Example Review, 2019, {u('/ok')}.\n"
        f"2. Anna Petrova, “A Study That Vanished,” Example News, 12 May 2020, {u('/missing')}, "
        "accessed 3 June 2021.\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "verifier", "export", "chapter.txt", "--bibtex", "out.bib", "--csl-json", "out.json",
         "--no-cache", *([] if archive else ["--no-archive"]), "--timeout", "3", *options],
        capture_output=True, text=True, timeout=60, cwd=tmp_path, env=_env(),
    )
    assert (proc.returncode, proc.stderr) == (0, "")
    items = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    return (tmp_path / "out.bib").read_text(encoding="utf-8"), items


def test_export_is_offline_by_default(origin: Origin, tmp_path: Path) -> None:
    origin.reset()
    text, items = _export(origin, tmp_path, "--allow-private")
    assert origin.requests_for("/missing") == [] and origin.requests_for("/ok") == []
    assert "link-dead" not in text and not any("note" in item for item in items)


def test_check_links_flags_the_dead_url(origin: Origin, tmp_path: Path) -> None:
    origin.reset()
    text, items = _export(origin, tmp_path, "--check-links", "--allow-private")
    assert origin.requests_for("/missing")  # the check ran
    library = bibtexparser.parse_string(text)
    comments = [b.comment for b in library.blocks if isinstance(b, ExplicitComment)]
    assert len(comments) == 1
    assert comments[0].strip().startswith("petrova2020study:")
    assert "L001 link-dead" in comments[0] and "HTTP 404" in comments[0]
    notes = {item["id"]: item.get("note") for item in items}
    assert notes["akbarzadeh2019nationalism"] is None
    assert notes["petrova2020study"] == f"{origin.url('/missing')} was dead when checked (HTTP 404)"


def test_check_links_puts_the_archived_capture_in_the_entry(origin: Origin, wayback: Wayback, tmp_path: Path) -> None:
    origin.reset()
    wayback.reset()
    missing, live = origin.url("/missing"), origin.url("/ok")
    wayback.state.captures[missing] = [("20190301000000", 200), ("20210601000000", 200)]
    wayback.state.captures[live] = [("20200101000000", 200)]
    e = wayback.endpoints
    text, items = _export(origin, tmp_path, "--check-links", "--allow-private", "--wayback-api", e["wayback_api"],
                          "--cdx-api", e["cdx_api"], "--timetravel-api", e["timetravel_api"], archive=True)
    library = bibtexparser.parse_string(text)
    dead_capture, live_capture = wayback.snapshot("20210601000000", missing), wayback.snapshot("20200101000000", live)
    petrova = library.entries_dict["petrova2020study"]
    assert petrova["note"] == rf"Archived at \url{{{dead_capture}}} on 2021-06-01"
    comment = " ".join(next(b.comment for b in library.blocks if isinstance(b, ExplicitComment)).split())
    assert f"Archived copy: {dead_capture} (2021-06-01)" in comment
    assert library.entries_dict["akbarzadeh2019nationalism"]["note"] == (
        rf"Archived at \url{{{live_capture}}} on 2020-01-01"
    )
    by_id = {item["id"]: item for item in items}
    assert (by_id["petrova2020study"]["archive"], by_id["petrova2020study"]["archive_location"]) == (
        "127.0.0.1", dead_capture  # an archive it does not know by name goes by its host
    )
