"""Acceptance: the real ``verifier export`` on the seeds and the bundled references, read back.

The .bib files are parsed back with bibtexparser (types, keys, fields), the
CSL-JSON is validated against the CSL-JSON schema, and, when Debian's
``bibtool`` is installed, bibtool must read the .bib without an error. The
seed tests skip when ``../shared/seeds`` is absent.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
from bibtexparser.library import Library

import verifier
from verifier.export import records

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"
SCHEMA = json.loads((REPO / "tests" / "data" / "csl-data.json").read_text(encoding="utf-8"))
BIBTEX_TYPES = {"article", "book", "incollection", "techreport", "online", "misc", "unpublished"}


def seed(prefix: str) -> Path:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not found:
        pytest.skip(f"seed {prefix} is not in {SEEDS}")
    return found[0]


def export(tmp_path: Path, *args: str) -> tuple[Library, list[dict[str, object]], str]:
    """Run ``verifier export ARGS --bibtex out.bib --csl-json out.json``; the parsed outputs and the .bib text."""
    env = {k: v for k, v in os.environ.items() if k not in ("VERIFIER_DEBUG", "NO_COLOR")}
    env["PYTHONPATH"] = str(REPO)
    bib, csl = tmp_path / "out.bib", tmp_path / "out.json"
    result = subprocess.run(
        [sys.executable, "-m", "verifier", "export", *args, "--bibtex", str(bib), "--csl-json", str(csl)],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=300,
    )
    assert (result.returncode, result.stderr) == (0, "")
    text = bib.read_text(encoding="utf-8")
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []  # every entry parses back, and no key is used twice
    items = json.loads(csl.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(SCHEMA).validate(items)
    assert [item["id"] for item in items] == [e.key for e in library.entries]
    return library, items, text


def by_family(library: Library, family: str) -> list[str]:
    return [e.key for e in library.entries if family in str(e.get("author").value if e.get("author") else "")]


def test_seed_002_one_entry_per_work(tmp_path: Path) -> None:
    path = seed("002")
    library, _, _ = export(tmp_path, str(path))
    assert by_family(library, "Joshi") == ["joshi1995russia"]
    assert by_family(library, "Akbarzadeh") == ["akbarzadeh1996nationalism"]
    report = verifier.check([path], offline=True)
    assert len(library.entries) == len(records(report).records)
    # Ibid. and short forms make no entry of their own: far fewer entries than citations.
    assert len(library.entries) < len(report.citations) / 2
    joshi = library.entries_dict["joshi1995russia"]
    assert (joshi.entry_type, joshi["journal"], joshi["year"], joshi["month"]) == (
        "article", "Strategic Analysis", "1995", "dec"
    )
    assert {e.entry_type for e in library.entries} <= BIBTEX_TYPES
    for e in library.entries:
        if e.entry_type == "incollection":
            assert e.get("booktitle") is not None, e.key


def test_seed_004_web_and_news_sources(tmp_path: Path) -> None:
    library, items, _ = export(tmp_path, str(seed("004")))
    online = [e for e in library.entries if e.entry_type == "online"]
    assert len(online) >= 20
    assert all(e.get("url") is not None for e in online)
    embassy = next(e for e in online if "Embassy" in str(e.get("author").value if e.get("author") else ""))
    assert embassy["urldate"] == "2015-10-12"
    parham = library.entries_dict["parham2014rightful"]
    assert (parham.entry_type, parham["pages"], parham["month"]) == ("article", "265--85", "jul")
    assert {item["type"] for item in items} <= {"article-journal", "book", "chapter", "report", "article-newspaper",
                                                  "webpage", "interview", "document"}


def test_references_samples(tmp_path: Path) -> None:
    library, _, text = export(tmp_path, "references/")
    orlov = library.entries_dict["orlov1998grain"]
    assert orlov["author"] == "Orlov, Nikolai"  # not "N. Orlov": the most complete form
    assert "I004 conflicting-date" in text and "I001 conflicting-title" in text
    assert library.entries_dict["holm1999keepers"]["title"] == "Keepers of the Flame: Lighthouse Families in Sweden"


def test_ascii_export_is_ascii(tmp_path: Path) -> None:
    _, _, text = export(tmp_path, "references/", "--ascii")
    assert text.isascii()


@pytest.mark.skipif(shutil.which("bibtool") is None, reason="bibtool (Debian package bibtool) is not installed")
@pytest.mark.parametrize("style", ["biblatex", "bibtex"])
def test_bibtool_reads_the_export_without_errors(tmp_path: Path, style: str) -> None:
    inputs = [str(seed("004")), str(seed("002"))] if SEEDS.is_dir() else []
    library, _, _ = export(tmp_path, *inputs, "references/", "--bibtex-style", style)
    resources = ["-r", "biblatex"] if style == "biblatex" else []  # @online is biblatex's
    result = subprocess.run(
        ["bibtool", *resources, "-s", str(tmp_path / "out.bib"), "-o", str(tmp_path / "tidy.bib")],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0
    assert "ERROR" not in result.stderr, result.stderr
    tidy = bibtexparser.parse_string((tmp_path / "tidy.bib").read_text(encoding="utf-8"))
    assert sorted(e.key for e in tidy.entries) == sorted(e.key for e in library.entries)
