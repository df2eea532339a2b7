"""Main-text extraction for the quotation check: verifier's own (bs4 + lxml) against trafilatura and a bare
"all visible text" baseline, on Mozilla Readability's test pages (source.html with the expected main content).

    python benchmarks/quotation_text.py PATH/TO/readability/test/test-pages [--limit N]

(the pages: https://github.com/mozilla/readability, Apache-2.0; not in this repository.) Pages are split into a
development and a held-out half by a seeded hash of their name; the held-out half is reported first.

For each page, sentences of eight words or more from the expected main content should be *found* by the
quotation matcher in the extracted text (recall: a miss would be a false Q001), and sentences of the page's
visible text that are not in the main content (menus, footers, related links) should not (leakage: a quotation
"found" in boilerplate). Text inside <script> must never be found by any extractor but the baseline's counterpart.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from verifier.quotes.extract import html_text  # noqa: E402
from verifier.quotes.match import Source, normalise  # noqa: E402

SEED = "quotations-2026"
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def _visible(html: bytes) -> str:
    from bs4 import BeautifulSoup, Comment

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    return soup.get_text("\n")


def _sentences(text: str) -> list[str]:
    out = []
    for block in text.split("\n"):
        for s in _SENTENCE.split(" ".join(block.split())):
            if len(s.split()) >= 8:
                out.append(s)
    return out


def ours(html: bytes) -> str:
    return html_text(html, None, "page").text


def trafilatura_text(html: bytes) -> str:
    import trafilatura

    return trafilatura.extract(html.decode("utf-8", "replace"), include_comments=False, include_tables=True) or ""


def baseline(html: bytes) -> str:
    return _visible(html)


def held_out(name: str) -> bool:
    return int(hashlib.sha256(f"{SEED}:{name}".encode()).hexdigest(), 16) % 2 == 0


def measure(pages: list[Path], extractors: dict[str, Callable[[bytes], str]]) -> None:
    totals = {k: [0, 0, 0, 0, 0.0, 0] for k in extractors}  # main found, main, boiler found, boiler, secs, empty
    for page in pages:
        source = (page / "source.html").read_bytes()
        expected = _visible((page / "expected.html").read_bytes())
        main = _sentences(expected)[:12]
        expected_norm = normalise(expected)
        boiler = [s for s in _sentences(_visible(source)) if normalise(s) not in expected_norm][:12]
        for name, fn in extractors.items():
            start = time.perf_counter()
            try:
                text = fn(source)
            except Exception:  # noqa: BLE001 - an extractor that fails on a page counts as empty
                text = ""
            t = totals[name]
            t[4] += time.perf_counter() - start
            src = Source(text)
            t[0] += sum(src.find(s).found for s in main)
            t[1] += len(main)
            t[2] += sum(src.find(s).found for s in boiler)
            t[3] += len(boiler)
            t[5] += not text.strip()
    print(f"  {'extractor':<12} {'recall':>8} {'leakage':>8} {'empty':>6} {'ms/page':>8}")
    for name, (mf, m, bf, b, secs, empty) in totals.items():
        per_page = 1000 * secs / max(len(pages), 1)
        print(f"  {name:<12} {mf / max(m, 1):8.1%} {bf / max(b, 1):8.1%} {empty:6d} {per_page:8.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", type=Path)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args(argv)
    pages = sorted(p for p in args.pages.iterdir() if (p / "source.html").exists() and (p / "expected.html").exists())
    if args.limit:
        pages = pages[: args.limit]
    extractors: dict[str, Callable[[bytes], str]] = {"verifier": ours, "baseline": baseline}
    try:
        import trafilatura  # noqa: F401

        extractors["trafilatura"] = trafilatura_text
    except ImportError:
        print("(trafilatura not installed: not compared)")
    for label, part in (("held-out", [p for p in pages if held_out(p.name)]),
                        ("development", [p for p in pages if not held_out(p.name)])):
        print(f"{label}: {len(part)} pages")
        measure(part, extractors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
