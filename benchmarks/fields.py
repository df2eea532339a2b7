"""Field accuracy of ``verifier.citations.parse`` on the labelled AnyStyle reference strings.

Run from the repository root::

    .venv/bin/python benchmarks/fields.py [--show FIELD] [--limit N]

The data (``<repo>/../shared/data/anystyle-core.jsonl``, AnyStyle's training set,
BSD-2-Clause, copyright Sylvester Keil) has one reference string per line with
its labelled fields. For every field this prints how many labelled strings the
parser got right ("acc"), and how often it filled a field the labels leave
empty ("spurious"). It prints figures and asserts nothing;
``tests/citations/test_benchmark.py`` holds the floors.

How a field counts as right:

- author: every name word of the label (initials and "and"/"et al." aside) is
  among the parsed names, and every parsed family name is in the label;
- title, container, publisher, place: equal after case folding and dropping
  punctuation (and any ``<italic>`` tags in the labels);
- date: the same year; volume: the label's first number; pages: equal with
  dashes unified; url: equal once "URL:", angle brackets and the scheme are
  set aside (the parser writes ``www.x.org`` as ``http://www.x.org``); doi:
  equal, case-insensitive.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "anystyle-core.jsonl"
FIELDS = ("author", "title", "container", "date", "volume", "pages", "publisher", "place", "url", "doi")

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from verifier.citations import parse  # noqa: E402
from verifier.model import Fields  # noqa: E402

_STOP = {"and", "et", "al", "eds", "ed", "jr", "sr", "und", "with"}


def _norm(text: str | None) -> str:
    text = re.sub(r"</?\w+>", " ", text or "")
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def _words(text: str) -> set[str]:
    return {w for w in _norm(text).split() if len(w) > 1 and w not in _STOP}


def _year(text: str | None) -> str | None:
    m = re.search(r"\d{4}", text or "")
    return m.group(0) if m else None


def _first_number(text: str | None) -> str | None:
    m = re.search(r"[A-Z]?\d+|\b[IVXLC]+\b", text or "")
    return m.group(0) if m else None


def _pages(text: str | None) -> str:
    return re.sub(r"\s+", "", re.sub(r"[-–—‐]+", "-", text or ""))


def _url(text: str | None) -> str:
    """A URL without "URL:", angle brackets, scheme or trailing period (``www.x.org`` is ``http://www.x.org``)."""
    text = re.sub(r"^(?:url|link)\s*:\s*", "", (text or "").strip(), flags=re.IGNORECASE).strip("<>").rstrip(".")
    return re.sub(r"^https?://", "", text)


def _author_ok(label: list[str], f: Fields) -> bool:
    if not f.authors:
        return False
    label_words = _words(" ".join(label))
    parsed_words: set[str] = set()
    families: set[str] = set()
    for p in f.authors:
        parsed_words |= _words(" ".join(x for x in (p.family, p.given, p.literal) if x))
        families |= _words(p.family or p.literal or "")
    return label_words <= parsed_words and families <= label_words


def _checkers() -> dict[str, tuple[Callable[[Any, Fields], bool], Callable[[Fields], bool]]]:
    """Per field: (is the parsed value right given the label, did the parser fill the field at all)."""
    return {
        "author": (_author_ok, lambda f: bool(f.authors)),
        "title": (lambda v, f: _norm(v) == _norm(f.title), lambda f: bool(f.title)),
        "container": (lambda v, f: _norm(v) == _norm(f.container), lambda f: bool(f.container)),
        "date": (lambda v, f: _year(v) == _year(f.date), lambda f: bool(f.date)),
        "volume": (lambda v, f: _first_number(v) == (f.volume or None), lambda f: bool(f.volume)),
        "pages": (lambda v, f: _pages(v) == _pages(f.pages), lambda f: bool(f.pages)),
        "publisher": (lambda v, f: _norm(v) == _norm(f.publisher), lambda f: bool(f.publisher)),
        "place": (lambda v, f: _norm(v) == _norm(f.place), lambda f: bool(f.place)),
        "url": (lambda v, f: _url(v) == _url(f.url), lambda f: bool(f.url)),
        "doi": (lambda v, f: (v or "").lower() == (f.doi or "").lower(), lambda f: bool(f.doi)),
    }


def load(path: Path = DATA) -> list[dict[str, Any]]:
    """The labelled rows: ``{"raw": str, "fields": {...}}``."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def score(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per field: labelled, correct, acc (%), unlabelled, spurious, spurious_rate (%)."""
    checks = _checkers()
    table = {k: {"labelled": 0, "correct": 0, "unlabelled": 0, "spurious": 0} for k in FIELDS}
    for row in rows:
        label = dict(row["fields"])
        if "location" in label:
            label["place"] = label.pop("location")
        _, fields, _ = parse(row["raw"])
        for name in FIELDS:
            right, filled = checks[name]
            t = table[name]
            if name in label:
                t["labelled"] += 1
                t["correct"] += bool(right(label[name], fields))
            else:
                t["unlabelled"] += 1
                t["spurious"] += bool(filled(fields))
    out: dict[str, dict[str, float]] = {}
    for name, t in table.items():
        out[name] = dict(t)
        out[name]["acc"] = 100.0 * t["correct"] / t["labelled"] if t["labelled"] else 0.0
        out[name]["spurious_rate"] = 100.0 * t["spurious"] / t["unlabelled"] if t["unlabelled"] else 0.0
    return out


def _throughput(raws: list[str]) -> float:
    """Seconds for one uncached pass of the parser over ``raws`` (best of three)."""
    from verifier.citations.fields import parse_strict

    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for raw in raws:
            parse_strict(raw)
        best = min(best, time.perf_counter() - start)
    return best


def _show(rows: list[dict[str, Any]], field: str, limit: int) -> None:
    right, _ = _checkers()[field]
    shown = 0
    for row in rows:
        label = dict(row["fields"])
        if "location" in label:
            label["place"] = label.pop("location")
        if field not in label:
            continue
        kind, fields, _ = parse(row["raw"])
        if right(label[field], fields):
            continue
        print(row["raw"])
        print(f"   label: {label[field]!r}")
        print(f"   got:   {fields.to_json().get(field if field != 'author' else 'authors')!r}  ({kind.value})")
        shown += 1
        if shown >= limit:
            break


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--show", choices=FIELDS, help="print the misses for one field")
    ap.add_argument("--limit", type=int, default=40)
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"no data at {args.data}")
        return 0
    rows = load(args.data)
    if args.show:
        _show(rows, args.show, args.limit)
        return 0
    table = score(rows)
    elapsed = _throughput([r["raw"] for r in rows])
    size = sum(len(r["raw"].encode("utf-8")) for r in rows)
    print(f"{len(rows)} labelled references from {args.data.name}\n")
    print(f"{'field':<10} {'labelled':>8} {'correct':>8} {'acc %':>7} {'spurious':>9} {'of unlab.':>9}")
    for name in FIELDS:
        t = table[name]
        print(f"{name:<10} {t['labelled']:>8} {t['correct']:>8} {t['acc']:>7.1f} {t['spurious']:>9} "
              f"{t['spurious_rate']:>8.1f}%")
    print(f"\nparse() without its result cache, best of 3: {len(rows) / elapsed:,.0f} references/s, "
          f"{elapsed / len(rows) * 1e6:.0f} µs each, {size / elapsed / 1e6:.2f} MB/s of reference text")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
