"""Field F1 of the citation parser on the held-out (dev) parts of the public labelled sets, old beside new.

Run from the repository root::

    .venv/bin/python benchmarks/fields.py [--models A.npz B.npz …] [--set NAME] [--show FIELD]

The sets are ``<repo>/../shared/data/*.spans.jsonl`` (AnyStyle core and extra,
GROBID's citation corpus, LinkedBooks train and valid; sources and licences in
NOTICE). ``tools/parser_data.py`` splits each into train and dev with a fixed
seed; the labeller never saw the dev strings, and nothing was tuned on them
beyond choosing the model. Columns: "rules" is the hand-written parser the
learned one replaced (``parse_strict(text, "rules")``); then the learned parser
with the shipped model and with each ``--models`` file (e.g. the same network
trained with other seeds).

A field counts as right when it matches the label after normalisation:
authors and editors by their name words (role words such as "eds.", "(dir.)",
"a cura di" from ``data/roles.txt`` are no name words), title, container, publisher and place
equal after case folding and dropping punctuation (a leading "In" aside), date
by its year, volume and issue by their first number, pages with dashes unified,
url without scheme, doi case-insensitive. A field the parser fills wrongly is
a false positive and a false negative; micro-F1 pools every field of every
string. It prints figures and asserts nothing; ``tests/citations/test_benchmark.py``
holds floors.

Speed: references per second on one core without the result caches, one at a
time (``parse``) and batched (the labeller labels the set in batches first,
as ``labeller.prime`` does).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# One core: numpy's BLAS would otherwise spread the matrix products over every core.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from verifier.model import Fields  # noqa: E402

FIELDS = ("author", "editor", "title", "container", "volume", "issue", "date", "pages", "publisher", "place",
          "url", "doi")
# ("von", "por", "par": the "by" after a role word, "hg. von", "coord. por", "éd. par"; dropped on both sides)
_STOP = {"and", "et", "al", "eds", "ed", "jr", "sr", "und", "with", "in", "by", "edited", "hrsg", "hg",
         "von", "por", "par"}


def parser_data() -> Any:
    """``tools/parser_data.py`` (the seeded split), loaded by path: tools/ is not a package."""
    spec = importlib.util.spec_from_file_location("parser_data", REPO / "tools" / "parser_data.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["parser_data"] = module
    spec.loader.exec_module(module)
    return module


def half(text: str) -> str:
    """``"a"`` or ``"b"``, stably by the string: assembler rules are written from misses on half a and
    measured on half b, so the figure they report is on strings they were not written from."""
    return "ab"[hashlib.sha256(text.encode("utf-8")).digest()[0] & 1]


def _norm(text: str | None) -> str:
    text = re.sub(r"</?\w+>", " ", text or "")
    words = re.findall(r"[^\W_]+", text.casefold())
    if words and words[0] in ("in", "dans"):
        words = words[1:]
    return " ".join(words)


def _words(text: str) -> set[str]:
    return {w for w in _norm(text).split() if len(w) > 1 and w not in _STOP}


def _year(text: str | None) -> str | None:
    m = re.search(r"\d{4}", text or "")
    return m.group(0) if m else None


def _first_number(text: str | None) -> str | None:
    m = re.search(r"[A-Z]?\d+|\b[IVXLC]+\b", text or "")
    return m.group(0) if m else None


def _pages(text: str | None) -> str:
    text = re.sub(r"^\s*(?:pp?|pages?|p[aá]g[gs]?|s)\b\.?\s*", "", text or "", flags=re.IGNORECASE)
    return re.sub(r"\s+", "", re.sub(r"[-–—‐]+", "-", text)).strip(".,;:()")


def _gold_url(text: str) -> str:
    m = re.search(r"(?:https?://|www\.)\S+", text)
    return _url(m.group(0).strip("<>.,;)]")) if m else _url(text)


def _gold_doi(text: str) -> str:
    m = re.search(r"10\.\d{3,9}/\S+", text)
    return m.group(0).rstrip(".,;)]>").lower() if m else text.lower()


def _url(text: str | None) -> str:
    text = re.sub(r"^(?:url|link)\s*:\s*", "", (text or "").strip(), flags=re.IGNORECASE).strip("<>").rstrip(".")
    return re.sub(r"^https?://", "", text)


def _name_words(text: str) -> set[str]:
    """The words of people's names: role words ("editors", "(dir.)", "a cura di", "Hgg.") are no names."""
    from verifier.citations.tokens import role_of

    text = re.sub(r"\ba cura di\b|\bsous la dir(?:ection)?\b(?: de)?", " ", text, flags=re.IGNORECASE)
    return {w for w in _words(text) if not role_of(w)}


def _people_ok(gold: str, people: tuple[Any, ...]) -> bool:
    label_words = _name_words(gold)
    parsed: set[str] = set()
    for p in people:
        parsed |= _name_words(" ".join(x for x in (p.family, p.given, p.literal) if x))
    return bool(parsed) and label_words == parsed


CHECKS: dict[str, tuple[Callable[[str, Fields], bool], Callable[[Fields], bool]]] = {
    "author": (lambda g, f: _people_ok(g, f.authors), lambda f: bool(f.authors)),
    "editor": (lambda g, f: _people_ok(g, f.editors), lambda f: bool(f.editors)),
    "title": (lambda g, f: _norm(g) == _norm(f.title), lambda f: bool(f.title)),
    "container": (lambda g, f: _norm(g) == _norm(f.container), lambda f: bool(f.container)),
    "volume": (lambda g, f: _first_number(g) == _first_number(f.volume), lambda f: bool(f.volume)),
    "issue": (lambda g, f: _first_number(g) == _first_number(f.issue), lambda f: bool(f.issue)),
    "date": (lambda g, f: _year(g) == _year(f.date), lambda f: bool(f.date)),
    "pages": (lambda g, f: _pages(g) == _pages(f.pages), lambda f: bool(f.pages)),
    "publisher": (lambda g, f: _norm(g) == _norm(f.publisher), lambda f: bool(f.publisher)),
    "place": (lambda g, f: _norm(g) == _norm(f.place), lambda f: bool(f.place)),
    "url": (lambda g, f: _gold_url(g) == _url(f.url), lambda f: bool(f.url)),
    "doi": (lambda g, f: _gold_doi(g) == (f.doi or "").lower(), lambda f: bool(f.doi)),
}


def gold_fields(ex: Any) -> dict[str, str]:
    """The labelled value of each field (its first span), as our field names."""
    out: dict[str, str] = {}
    for s, e, lab in ex.gold:
        if lab in CHECKS and lab not in out:
            out[lab] = ex.raw[s:e]
    return out


def count(examples: list[Any], parsed: list[Fields]) -> dict[str, list[int]]:
    """Per field ``[tp, fp, fn]``."""
    table = {k: [0, 0, 0] for k in FIELDS}
    for ex, f in zip(examples, parsed, strict=True):
        gold = gold_fields(ex)
        for name, (right, filled) in CHECKS.items():
            t = table[name]
            has = filled(f)
            if name in gold:
                if has and right(gold[name], f):
                    t[0] += 1
                else:
                    t[2] += 1
                    t[1] += has
            elif has:
                t[1] += 1
    return table


def f1(tp: int, fp: int, fn: int) -> float:
    return 200.0 * tp / (2 * tp + fp + fn) if tp else 0.0


def micro(table: dict[str, list[int]]) -> float:
    return f1(*(sum(t[i] for t in table.values()) for i in range(3)))


def token_f1(examples: list[Any]) -> float:
    """Micro-F1 (%) of the labeller's token labels against the normalised gold labels ("other" aside)."""
    from verifier.citations import labeller

    tp = fp = fn = 0
    for ex, lab in zip(examples, labeller.label([x.raw for x in examples]), strict=True):
        n = len(lab.labels)
        for pred, gold in zip(lab.labels, ex.labels[:n], strict=True):
            if pred == gold != "other":
                tp += 1
                continue
            fp += pred != "other"
            fn += gold != "other"
        fn += sum(g != "other" for g in ex.labels[n:])
    return f1(tp, fp, fn)


def run(engine: str, texts: list[str]) -> list[Fields]:
    from verifier.citations.fields import parse_strict

    return [parse_strict(t, engine)[1] for t in texts]


def speed(texts: list[str]) -> tuple[float, float]:
    """References/s of the learned parser, one at a time and batched (best of two, caches cleared)."""
    from verifier.citations import labeller
    from verifier.citations.fields import parse_strict, prime

    single = batched = 0.0
    for _ in range(2):
        labeller._CACHE.clear()
        t0 = time.perf_counter()
        for t in texts:
            parse_strict(t)
            labeller._CACHE.clear()
        single = max(single, len(texts) / (time.perf_counter() - t0))
        labeller._CACHE.clear()
        t0 = time.perf_counter()
        prime(texts)
        for t in texts:
            parse_strict(t)
        batched = max(batched, len(texts) / (time.perf_counter() - t0))
    labeller._CACHE.clear()
    return single, batched


def rules_speed(texts: list[str]) -> float:
    from verifier.citations.fields import parse_strict

    t0 = time.perf_counter()
    for t in texts:
        parse_strict(t, "rules")
    return len(texts) / (time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", nargs="*", type=Path, default=[],
                    help="more model files to score beside the shipped one")
    ap.add_argument("--show", choices=FIELDS, help="print the learned parser's misses for one field")
    ap.add_argument("--set", help="only this set (e.g. notes): its row, token and per-field figures")
    ap.add_argument("--half", choices=("a", "b"),
                    help="only one half of every dev split, by a hash of each string: look at misses on half a "
                         "(--show), report a rule's effect on half b, which it was not written from")
    ap.add_argument("--limit", type=int, default=30)
    ap.add_argument("--speed-sample", type=int, default=1000)
    args = ap.parse_args(argv)
    pd = parser_data()
    if not pd.data_dir().is_dir():
        print(f"no data at {pd.data_dir()}")
        return 0
    from verifier.citations import labeller

    devs = {source: dev for source, _train, dev in pd.splits()}
    if args.half:
        devs = {source: [x for x in dev if half(x.raw) == args.half] for source, dev in devs.items()}
    # The five public sets alone, as docs/parser.md has always reported them; "notes" (the hand-written
    # note-style citations of tools/data/notes.txt) is a row of its own and joins only the "all" row.
    public = [s for s in devs if s in pd.SOURCES]
    if args.set and not args.show:
        if args.set not in devs:
            print(f"no set {args.set!r}; the sets are {', '.join(devs)}")
            return 2
        devs = {args.set: devs[args.set]}
        public = []
    pooled_sets = public or list(devs)  # the per-field table and the speed sample
    if args.show:
        for source, dev in devs.items():
            if args.set and source != args.set:
                continue
            parsed = run("learned", [x.raw for x in dev])
            right, _ = CHECKS[args.show]
            shown = 0
            for ex, f in zip(dev, parsed, strict=True):
                g = gold_fields(ex).get(args.show)
                if g is not None and right(g, f):
                    continue
                if g is None and not CHECKS[args.show][1](f):
                    continue
                got = f.to_json().get({"author": "authors", "editor": "editors"}.get(args.show, args.show))
                print(f"{ex.raw}\n   label: {g!r}\n   got:   {got!r}")
                shown += 1
                if shown >= args.limit:
                    break
        return 0

    engines: list[tuple[str, str | None]] = [("rules", None), ("learned", None)]
    engines += [(f"learned {p.stem}", str(p)) for p in args.models]
    tables: dict[str, dict[str, dict[str, list[int]]]] = {}
    tokens: dict[str, dict[str, float]] = {}
    for name, model_path in engines:
        labeller.use_model(model_path)
        if name != "rules":
            tokens[name] = {source: token_f1(dev) for source, dev in devs.items()}
            tokens[name]["all"] = token_f1([x for dev in devs.values() for x in dev])
            if public:
                tokens[name]["all public"] = token_f1([x for s in public for x in devs[s]])
        tables[name] = {
            source: count(dev, run("rules" if name == "rules" else "learned", [x.raw for x in dev]))
            for source, dev in devs.items()
        }
    labeller.use_model(None)
    names = [n for n, _ in engines]
    print(f"micro-F1 (%) on the dev splits (seeded; model sha256 {labeller.model_sha256()[:12]}…)\n")
    print(f"{'set':<20} {'strings':>7} " + " ".join(f"{n:>22}" for n in names))
    for source, dev in devs.items():
        print(f"{source:<20} {len(dev):>7} " + " ".join(f"{micro(tables[n][source]):>22.1f}" for n in names))
    pooled = {n: {k: [sum(tables[n][s][k][i] for s in pooled_sets) for i in range(3)] for k in FIELDS}
              for n in names}
    every = {n: {k: [sum(tables[n][s][k][i] for s in devs) for i in range(3)] for k in FIELDS} for n in names}
    if public:
        print(f"{'all public':<20} {sum(len(devs[s]) for s in public):>7} "
              + " ".join(f"{micro(pooled[n]):>22.1f}" for n in names))
    if len(devs) > 1:
        print(f"{'all':<20} {sum(map(len, devs.values())):>7} "
              + " ".join(f"{micro(every[n]):>22.1f}" for n in names))
    learned = [n for n in names if n != "rules"]
    print("\ntoken-label micro-F1 (%) of the labeller alone (how sequence labellers are usually scored)")
    print(f"{'set':<20} " + " ".join(f"{n:>22}" for n in learned))
    for source in [*devs, *(["all public"] if public else []), *(["all"] if len(devs) > 1 else [])]:
        print(f"{source:<20} " + " ".join(f"{tokens[n][source]:>22.1f}" for n in learned))
    print(f"\nper field F1 (%), {'the five public sets' if public else ', '.join(devs)}\n{'field':<20} {'labelled':>7} "
          + " ".join(f"{n:>22}" for n in names))
    for k in FIELDS:
        labelled = pooled["rules"][k][0] + pooled["rules"][k][2]
        print(f"{k:<20} {labelled:>7} " + " ".join(f"{f1(*pooled[n][k]):>22.1f}" for n in names))

    sample = [x.raw for s in pooled_sets for x in devs[s]]
    sample = sample[:: max(1, len(sample) // args.speed_sample)][: args.speed_sample]
    single, batched = speed(sample)
    old = rules_speed(sample)
    print(f"\nspeed on {len(sample)} dev strings, one process, no result cache:")
    print(f"  rules parser          {old:>8,.0f} references/s")
    print(f"  learned, one by one   {single:>8,.0f} references/s ({single / old:.2f}× the rules)")
    print(f"  learned, batched      {batched:>8,.0f} references/s ({batched / old:.2f}× the rules)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
