"""Acceptance: the real CLI on documents we did not write (tests/fixtures/third_party, see its README).

Each test asserts what a user of ``verifier check`` sees: how many notes each document has, which URLs
it cites, which findings it gets. Where pandoc is installed it reads the same file as an independent
reader, and every note and absolute URL pandoc finds must be found by verifier too (the tests skip that
comparison cleanly when pandoc is absent).
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
THIRD_PARTY = ROOT / "tests" / "fixtures" / "third_party"
PANDOC = shutil.which("pandoc")
needs_pandoc = pytest.mark.skipif(PANDOC is None, reason="pandoc is not installed")


@cache
def _realdocs() -> Any:
    """benchmarks/realdocs.py, for the one definition of a page's site navigation the comparison leaves out."""
    spec = importlib.util.spec_from_file_location("realdocs", ROOT / "benchmarks" / "realdocs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@cache
def report(relative: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "verifier", "check", str(THIRD_PARTY / relative), "--offline", "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    return json.loads(proc.stdout)


def notes(rep: dict[str, Any]) -> int:
    return sum(doc["notes"] for doc in rep["documents"])


def urls(rep: dict[str, Any]) -> set[str]:
    return {link["url"] for link in rep["links"]}


def codes(rep: dict[str, Any]) -> Counter[str]:
    return Counter(f["code"] for f in rep["findings"])


def note_texts(rep: dict[str, Any]) -> list[str]:
    return [c["raw"] for c in rep["citations"] if c.get("note")]


@cache
def pandoc(relative: str, fmt: str) -> tuple[int, set[str]]:
    """pandoc's reading of a fixture: its number of notes and the absolute URLs of its links."""
    path = THIRD_PARTY / relative
    # a web page's site navigation (menus, footers) is left out, as benchmarks/realdocs.py does
    data = _realdocs().without_navigation(path.read_bytes()) if fmt == "html" else None
    proc = subprocess.run([str(PANDOC), "-f", fmt, "-t", "json"] + ([] if data else [path.name]), cwd=path.parent,
                          input=data, capture_output=True, timeout=120, check=True)
    found: list[int] = [0]
    targets: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("t") == "Note":
                found[0] += 1
            elif node.get("t") == "Link" and re.match(r"https?://", node["c"][2][0]):
                targets.add(node["c"][2][0])
            walk(node.get("c"))
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(json.loads(proc.stdout)["blocks"])
    return found[0], targets


# ---------------------------------------------------------------- Word: Apache POI's test documents


@pytest.mark.parametrize(("name", "expected"), [
    ("footnotes.docx", ["snoska"]),
    ("table_footnotes.docx", ["snoska"]),  # the marker stands in a table cell
    ("endnotes.docx", ["XXX"]),
    ("Bug54849.docx", ["Footnote_sdt", "Endnote Endnote_sdt"]),  # a footnote and an endnote in content controls
])
def test_poi_word_notes_are_read_whole(name: str, expected: list[str]) -> None:
    rep = report(f"poi/{name}")
    assert notes(rep) == len(expected)
    assert note_texts(rep) == expected
    assert not {"M001", "M002", "P002"} & set(codes(rep))


@needs_pandoc
@pytest.mark.parametrize("name", ["footnotes.docx", "table_footnotes.docx", "endnotes.docx", "Bug54849.docx"])
def test_poi_word_notes_match_pandoc(name: str) -> None:
    assert notes(report(f"poi/{name}")) == pandoc(f"poi/{name}", "docx")[0]


def test_poi_tracked_changes_cite_the_inserted_links_not_the_deleted_ones() -> None:
    rep = report("poi/delins.docx")
    found = urls(rep)
    assert len(found) == 18
    assert "http://eu.apachecon.com/c/aceu2009/sessions/197" in found  # a HYPERLINK field inside an insertion
    assert not {u for u in found if u.endswith(("/Tika_Waylan", "/DragonLance"))}  # only in deleted text
    assert notes(rep) == 0
    assert not rep["findings"]


@needs_pandoc
def test_poi_tracked_changes_find_every_url_pandoc_finds() -> None:
    # pandoc 2.17 reads no HYPERLINK field inside an insertion, so it finds fewer: verifier must find all of its
    _, theirs = pandoc("poi/delins.docx", "docx")
    assert theirs and theirs <= urls(report("poi/delins.docx"))


# ---------------------------------------------------------------- HTML: a Wikipedia page saved by a browser


def test_saved_wikipedia_page_pairs_its_absolute_note_links() -> None:
    rep = report("readability/wikipedia-4.html")
    assert notes(rep) == 80
    # the page's note links are absolute (https://en.wikipedia.org/wiki/…#cite_note-4): paired, not lost
    assert not {"M001", "M002", "P001", "P002"} & set(codes(rep))
    assert not {u for u in urls(rep) if "#cite_note" in u}
    assert len(urls(rep)) == 241
    assert {"https://mubi.com/films/le-15-mai", "https://books.google.com/books?id=6vQHAQAAMAAJ"} <= urls(rep)


@needs_pandoc
def test_saved_wikipedia_page_cites_every_url_pandoc_reads() -> None:
    _, theirs = pandoc("readability/wikipedia-4.html", "html")
    ours = urls(report("readability/wikipedia-4.html"))
    page = (THIRD_PARTY / "readability/wikipedia-4.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    theirs = {u for u in theirs if u.partition("#")[2] not in ids}  # links to places in the page itself
    missed = {u for u in theirs if u not in ours and u.rstrip("/") not in {o.rstrip("/") for o in ours}}
    assert len(theirs) > 100
    assert not missed


# ---------------------------------------------------------------- LaTeX: a chapter of a CC BY-SA book


def test_latex_book_preface_reads_its_note_and_both_urls() -> None:
    rep = report("ctfp/preface.tex")
    assert notes(rep) == 1
    assert "https://goo.gl/GT2UWU" in note_texts(rep)[0]
    # \urlref{url}{text} is the book's own macro: its URL must not take the next argument's word on
    assert urls(rep) == {"https://goo.gl/GT2UWU", "http://en.wikipedia.org/wiki/Beauvais_Cathedral"}
    assert not rep["findings"]


# ---------------------------------------------------------------- Markdown: pages of an mdBook


def test_markdown_book_chapter_notes_and_cross_references() -> None:
    rep = report("rust-reference/crates-and-source-files.md")
    assert notes(rep) == 2
    # links to the book's other pages (items/modules.md, attributes.md#…) are cross-references, not sources
    assert not {u for u in urls(rep) if ".md" in u or "/" in u and "://" not in u}
    assert {"std::process::Termination", "std::convert::Infallible"} <= urls(rep)  # rustdoc paths: kept as written
    assert "F004" not in codes(rep)
    # [Module][grammar-Module] has no definition in the file (mdBook's preprocessor adds it): said once
    assert codes(rep) == Counter({"M001": 1})


def test_markdown_notes_whose_markers_stand_in_code_are_kept() -> None:
    # the four markers stand inside a fenced grammar block, which is code: pandoc drops the four definitions,
    # verifier keeps them as notes (nothing is lost) and, with no marker in the text, reports no orphan
    rep = report("rust-reference/functions.md")
    assert notes(rep) == 4
    assert not {u for u in urls(rep) if u.endswith(".md") or ".md#" in u}


@needs_pandoc
@pytest.mark.parametrize(("name", "fmt", "count"), [
    ("ctfp/preface.tex", "latex", 1),
    ("rust-reference/crates-and-source-files.md", "markdown", 2),
])
def test_book_chapters_read_the_notes_and_urls_pandoc_reads(name: str, fmt: str, count: int) -> None:
    theirs_count, theirs = pandoc(name, fmt)
    rep = report(name)
    assert notes(rep) == theirs_count == count
    assert theirs <= urls(rep)
