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
    assert notes == {"chapter-pdf-extract.txt": 11, "article-endnotes.txt": 9}
