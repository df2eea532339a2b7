"""Acceptance on the bundled examples in references/: the README's demo finds every planted defect."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_demo_finds_every_planted_defect() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "verifier", "check", "references", "--offline", "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )
    assert proc.returncode == 1, proc.stderr  # the examples have errors on purpose
    report = json.loads(proc.stdout)
    by_doc: dict[str, Counter[str]] = {}
    for f in report["findings"]:
        by_doc.setdefault(Path(f["document"]).name, Counter())[f["code"]] += 1
    chapter, article = by_doc["chapter-pdf-extract.txt"], by_doc["article-endnotes.txt"]
    assert {"M001", "M002", "I006", "I001", "D002", "F003", "F002", "M009"} <= set(chapter)
    assert chapter["I006"] == 2
    assert {"M002", "I002", "I001", "I004", "I007", "D002", "F001", "M009"} <= set(article)
    notes = {Path(d["path"]).name: d["notes"] for d in report["documents"]}
    assert {name: notes[name] for name in ("chapter-pdf-extract.txt", "article-endnotes.txt")} == {
        "chapter-pdf-extract.txt": 11, "article-endnotes.txt": 9,  # the other formats' samples have their own checks
    }


def test_demo_reports_the_pdf_sample_defects_on_their_pages() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "verifier", "check", "references/sample.pdf", "--offline", "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    found = {(f["code"], f["location"]["line"]) for f in report["findings"]}
    assert {
        ("F002", 1),  # an ISBN with a wrong check digit, note 1
        ("M001", 2),  # marker 8 has no note
        ("I004", 2),  # "Keeping the Light" dated 1998 in note 2 and 1999 in note 6
        ("F004", 2),  # note 7's URL cut off, no link annotation to restore it from
        ("P001", 2),  # note 9's URL cut off, restored from its link annotation (and said so)
    } <= found
    urls = {link["url"] for link in report["links"]}
    assert "https://heritage.example.org/survey/skarv-point-station" in urls  # the restored URL
    assert "https://heritage.example.org/survey/skarv-point-station/report.pdf" in urls  # annotated, not printed
    assert [d["format"] for d in report["documents"]] == ["pdf"]


def test_demo_reports_the_html_and_word_sample_defects_where_they_stand() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "verifier", "check", "references/sample.html", "references/sample.docx", "--offline",
         "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    found: dict[str, set[tuple[str, int]]] = {}
    for f in report["findings"]:
        found.setdefault(Path(f["document"]).name, set()).add((f["code"], f["location"]["line"]))
    assert {("M009", 27), ("M001", 36), ("F001", 44), ("I004", 45), ("D002", 45), ("M002", 48), ("D001", 56)} <= found[
        "sample.html"
    ]  # source lines
    assert {("F001", 3), ("I004", 5), ("D002", 5), ("M001", 5), ("M003", 6), ("F002", 6), ("D001", 10),
            ("M002", 16)} <= found["sample.docx"]  # paragraphs
    assert [d["format"] for d in report["documents"]] == ["html", "docx"]


def test_demo_reports_the_latex_bibtex_and_markdown_sample_defects_at_their_lines() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "verifier", "check", "references/sample.tex", "references/sample.md", "--offline",
         "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    found: dict[str, set[tuple[str, int]]] = {}
    for f in report["findings"]:
        found.setdefault(Path(f["document"]).name, set()).add((f["code"], f["location"]["line"]))
    assert found["sample.tex"] == {("M004", 23), ("M009", 27)}  # \citep{keeper1923}: no such entry; a quotation
    assert {
        ("F001", 33),  # a DOI with a two-digit registrant code
        ("D001", 42),  # key orlov1998 defined twice
        ("D001", 49),  # orlov-capital: the same DOI as orlov1998, written differently
        ("F002", 57),  # an ISBN with a wrong check digit
        ("D001", 65),  # tamm-lightships: the same title and year as tamm1999
        ("M005", 72),  # hydro2015 is never cited
        ("P001", 79),  # kask2010: an unclosed brace; the block is skipped, the rest read
    } <= found["sample-refs.bib"]
    assert found["sample.md"] == {
        ("M004", 14),  # [@kuusk1999]: no such entry
        ("M001", 15),  # [field notes][notes] has no [notes]: definition; [^lost] has no footnote
        ("M003", 29),  # [^ruhnu] defined twice
        ("M002", 31),  # [^orphan] never referenced
    }
    assert {("M005", 20), ("D001", 27)} <= found["sample-md-refs.bib"]  # ranna2020 uncited; vaher2016b = vaher2016
    formats = {Path(d["path"]).name: d["format"] for d in report["documents"]}
    assert formats == {"sample.tex": "latex", "sample-refs.bib": "bibtex", "sample.md": "markdown",
                       "sample-md-refs.bib": "bibtex"}
