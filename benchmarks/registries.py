"""How well ``verifier check --registry crossref,openalex`` matches citations to registry records.

Run from the repository root::

    .venv/bin/python benchmarks/registries.py [--seed N] [--polite] [--show]

The fake Crossref and OpenAlex of ``tests/servers/registry.py`` serve the 124
real articles of ``tests/data/registry-citations.json`` on loopback, in the
registries' JSON shapes, with two decoys per article — a correction notice
with the same title and authors a year later, and a namesake (the same title
by someone else, a few years apart); their searches rank every work by words
in common, so each query gets plausible wrong candidates as well as the right
one. Each
scenario writes one reference list (APA style, one numbered entry per work)
and runs the whole pipeline on it — parsing included, so a citation the
parser misreads counts against the figures:

- ``doi``: every work cited correctly with its DOI — the share looked up
  cleanly (no V finding) is the figure; any V001/V002 is a false alarm;
- ``search``: the same citations without DOIs — the share matched to the
  right DOI, the false-match rate (a DOI added that is not the work's), and
  how many end as V003;
- ``wrong-year``: with the DOI, the year moved 2–9 years — how often V002
  names the year;
- ``wrong-doi``: each citation given the DOI of another work in the set —
  how often V002 fires;
- ``invented-doi``: a real citation with a DOI no registry knows — V001;
- ``misspelt``: no DOI, two letters of the title swapped or dropped — still
  matched (the DOI found) or V003; never another work's DOI;
- ``invented``: plausible invented articles (title words, authors, journals
  and years recombined) without a DOI — V003 expected, any DOI added is a
  false match.

Crossref's and OpenAlex's politeness pacing (10 record and 3 search requests
a second) would only measure the sleep: it is lifted here unless ``--polite``
is given. The figures go to the README; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.servers.registry import FakeRegistry  # noqa: E402
from verifier import check  # noqa: E402
from verifier.model import Report  # noqa: E402
from verifier.net import registries  # noqa: E402
from verifier.net.registries import Lane  # noqa: E402

DATA = REPO / "tests" / "data" / "registry-citations.json"
Work = dict[str, Any]

_INVENTED_FAMILIES = ("Marlowe", "Okafor", "Lindqvist", "Ferreira", "Nakagawa", "Brennan", "Castellanos", "Haddad",
                      "Novak", "Oyelaran", "Sørensen", "Tremblay", "Valenti", "Whitcombe", "Zielinski", "Abernathy")


# --------------------------------------------------------------------------- citations


def initials(given: str) -> str:
    parts = re.split(r"[\s.]+", given.replace("-", " - "))
    out = []
    for p in parts:
        if p == "-":
            out.append("-")
        elif p:
            out.append(p[0] + ".")
    return " ".join(out).replace(" - ", "-")


def apa(w: Work, *, doi: str | None = None, year: int | None = None, title: str | None = None) -> str:
    """One APA-style reference (the style of most reference lists in the sciences)."""
    names = [f"{a['family']}, {initials(a['given'])}" if a.get("given") else a["family"] for a in w["authors"]]
    if len(names) == 1:
        people = names[0]
    elif len(names) <= 20:
        people = ", ".join(names[:-1]) + ", & " + names[-1]
    title = title or w["title"]
    end = "" if title.endswith(("?", "!")) else "."
    issue = f"({w['issue']})" if w.get("issue") else ""
    parts = f"{people} ({year or w['year']}). {title}{end} {w['journal']}, {w.get('volume', '')}{issue}"
    parts += f", {w['pages'].replace('-', '–')}." if w.get("pages") else "."
    if doi:
        parts += f" https://doi.org/{doi}"
    return parts


_STOP = {"of", "the", "and", "for", "in", "on", "a", "an", "&"}


def abbreviate_journal(name: str) -> str:
    """A Vancouver-like abbreviation: articles and prepositions dropped, long words cut to four letters."""
    words = [w.strip(":,") for w in name.split() if w.lower().strip(":,") not in _STOP]
    return " ".join(w[:4] if len(w) > 5 and w.isalpha() else w for w in words)


def short_range(pages: str) -> str:
    """``16569-16572`` → ``16569-72`` (the last page's common leading digits dropped)."""
    first, _, last = pages.partition("-")
    if not (first.isdigit() and last.isdigit()) or len(first) != len(last):
        return pages
    k = 0
    while k < len(last) - 1 and first[k] == last[k]:
        k += 1
    return f"{first}-{last[k:]}"


def vancouver(w: Work, *, doi: str | None = None) -> str:
    """One Vancouver-style reference (medicine): initials run together, abbreviated journal and page range."""
    names = [f"{a['family']} {initials(a['given']).replace('.', '').replace(' ', '')}".strip() for a in w["authors"]]
    people = ", ".join(names[:6]) + (", et al" if len(names) > 6 else "")
    issue = f"({w['issue']})" if w.get("issue") else ""
    pages = f":{short_range(w['pages'])}" if w.get("pages") else ""
    end = "" if w["title"].endswith(("?", "!")) else "."
    journal = abbreviate_journal(w["journal"])
    ref = f"{people}. {w['title']}{end} {journal}. {w['year']};{w.get('volume', '')}{issue}{pages}."
    return ref + (f" doi:{doi}" if doi else "")


def misspell(title: str, rng: random.Random) -> str:
    """Two typing slips in words of five letters or more: adjacent letters swapped, or one dropped."""
    words = title.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    for i in rng.sample(long, min(2, len(long))):
        w = words[i]
        k = rng.randrange(1, len(w) - 2)
        words[i] = w[:k] + w[k + 1] + w[k] + w[k + 2:] if rng.random() < 0.5 else w[:k] + w[k + 1:]
    return " ".join(words)


def decoys(works: Sequence[Work], rng: random.Random) -> list[Work]:
    """Two near misses per work, as a real registry holds them: a correction notice with the same title and
    authors a year later, and another work with the same title by someone else a few years apart."""
    out = []
    for i, w in enumerate(works):
        out.append(dict(w, doi=f"10.5555/correction.{i}", title=f"Correction: {w['title']}", year=w["year"] + 1,
                        pages="1"))
        out.append(dict(w, doi=f"10.5555/namesake.{i}", authors=[{"family": rng.choice(_INVENTED_FAMILIES),
                                                                  "given": "Q."}],
                        year=w["year"] + rng.choice([-6, -4, 3, 5]), journal="Journal of Namesakes"))
    return out


def invent(works: Sequence[Work], rng: random.Random, n: int) -> list[Work]:
    """Plausible articles that do not exist: real title words, journals and years recombined."""
    vocabulary = sorted({w for work in works for w in re.findall(r"[A-Za-z]{5,}", work["title"].lower())})
    out = []
    for i in range(n):
        words = rng.sample(vocabulary, rng.randint(5, 9))
        title = " ".join(words).capitalize()
        journal = rng.choice(works)["journal"]
        authors = [{"family": rng.choice(_INVENTED_FAMILIES), "given": rng.choice("ABCDEFGHJKLMNPRST") + "."}
                   for _ in range(rng.randint(1, 3))]
        out.append({"doi": f"invented/{i}", "title": title, "authors": authors, "year": rng.randint(1950, 2022),
                    "journal": journal, "volume": str(rng.randint(1, 300)), "issue": str(rng.randint(1, 12)),
                    "pages": f"{(p := rng.randint(1, 900))}-{p + rng.randint(3, 30)}"})
    return out


# --------------------------------------------------------------------------- runs


def run(references: Sequence[str], fake: FakeRegistry, folder: Path, name: str) -> Report:
    doc = folder / f"{name}.txt"
    body = "\n".join(f"[{i}] {ref}" for i, ref in enumerate(references, start=1))
    doc.write_text(f"The works discussed.\n\nReferences\n\n{body}\n", encoding="utf-8")
    return check([doc], registry=("crossref", "openalex"), crossref_api=fake.crossref, openalex_api=fake.openalex,
                 mailto="benchmark@example.org", allow_private=True, no_cache=True, no_archive=True,
                 exclude_url=(".*",))


def per_entry(report: Report) -> list[tuple[str | None, set[str], str]]:
    """For each reference, in order: the DOI its source ends with, the V codes at it, their messages."""
    by_note = {c.note: c for c in report.citations}
    sources = {s.id: s for s in report.sources}
    out = []
    for n in range(1, len(by_note) + 1):
        c = by_note.get(str(n))
        if c is None:
            out.append((None, set(), ""))
            continue
        source = sources.get(c.source or "")
        doi = (source.fields.doi if source else None) or c.fields.doi
        mine = [f for f in report.findings if c.id in f.citations and f.code.startswith("V")]
        out.append(((doi or "").lower() or None, {f.code for f in mine}, " | ".join(f.message for f in mine)))
    return out


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "   n/a"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=8, help="seed for the perturbations (default 8)")
    parser.add_argument("--polite", action="store_true", help="keep the registries' real pacing")
    parser.add_argument("--show", action="store_true", help="print each reference that missed")
    args = parser.parse_args(argv)

    works: list[Work] = json.loads(DATA.read_text(encoding="utf-8"))["works"]
    rng = random.Random(args.seed)
    os.environ.setdefault("OPENALEX_API_KEY", "benchmark")
    if not args.polite:
        registries.lanes = lambda registry, polite: {"record": Lane(10_000.0, 16), "search": Lane(10_000.0, 16)}
    fake = FakeRegistry([*works, *decoys(works, random.Random(args.seed + 1))])
    n = len(works)
    truth = [w["doi"].lower() for w in works]
    rows: list[tuple[str, str]] = []
    misses: list[str] = []
    started = time.monotonic()

    def note(label: str, value: str) -> None:
        rows.append((label, value))

    def missed(scenario: str, ref: str, got: str) -> None:
        misses.append(f"  [{scenario}] {ref}\n      → {got}")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        def scenario(name: str, refs: list[str], judge: Callable[[int, str | None, set[str], str], bool]) -> int:
            got = per_entry(run(refs, fake, folder, name))
            good = 0
            for i, (doi, codes, message) in enumerate(got):
                if judge(i, doi, codes, message):
                    good += 1
                elif args.show:
                    missed(name, refs[i], f"doi={doi} {sorted(codes)} {message}")
            return good

        # 1. correct citations with their DOIs: nothing to report
        clean = scenario("doi", [apa(w, doi=w["doi"]) for w in works], lambda i, d, codes, m: not codes)
        note("doi: cited correctly with DOI, no V finding", f"{clean}/{n} {pct(clean, n)}")

        # 2. the same without DOIs: the search must find the right DOI and never a wrong one
        results = per_entry(run([apa(w) for w in works], fake, folder, "search"))
        right = sum(d == truth[i] for i, (d, _, _) in enumerate(results))
        wrong = sum(d is not None and d != truth[i] for i, (d, _, _) in enumerate(results))
        v003 = sum("V003" in codes for _, codes, _ in results)
        if args.show:
            for i, (d, codes, m) in enumerate(results):
                if d != truth[i]:
                    missed("search", apa(works[i]), f"doi={d} {sorted(codes)} {m}")
        note("search: matched to the right DOI", f"{right}/{n} {pct(right, n)}")
        note("search: false matches (another work's DOI)", f"{wrong}/{n} {pct(wrong, n)}")
        note("search: left unmatched (V003)", f"{v003}/{n} {pct(v003, n)}")

        # 2b. another style: Vancouver, abbreviated journals and page ranges
        v_clean = scenario("vancouver-doi", [vancouver(w, doi=w["doi"]) for w in works],
                           lambda i, d, codes, m: not codes)
        note("Vancouver style with DOI: no V finding", f"{v_clean}/{n} {pct(v_clean, n)}")
        v_results = per_entry(run([vancouver(w) for w in works], fake, folder, "vancouver-search"))
        v_right = sum(d == truth[i] for i, (d, _, _) in enumerate(v_results))
        v_wrong = sum(d is not None and d != truth[i] for i, (d, _, _) in enumerate(v_results))
        if args.show:
            for i, (d, codes, m) in enumerate(v_results):
                if d != truth[i]:
                    missed("vancouver-search", vancouver(works[i]), f"doi={d} {sorted(codes)} {m}")
        note("Vancouver style without DOI: matched to the right DOI", f"{v_right}/{n} {pct(v_right, n)}")
        note("Vancouver style without DOI: false matches", f"{v_wrong}/{n} {pct(v_wrong, n)}")

        # 3. perturbed citations
        shifts = [rng.choice([-1, 1]) * rng.randint(2, 9) for _ in works]
        moved = [apa(w, doi=w["doi"], year=w["year"] + s) for w, s in zip(works, shifts, strict=True)]
        year = scenario("wrong-year", moved, lambda i, d, codes, m: "V002" in codes and "year" in m)
        note("wrong year (2–9 off), with DOI: V002 names the year", f"{year}/{n} {pct(year, n)}")

        order = list(range(n))
        rng.shuffle(order)
        other = [order[(order.index(i) + 1) % n] for i in range(n)]
        swapped = scenario("wrong-doi", [apa(w, doi=works[other[i]]["doi"]) for i, w in enumerate(works)],
                           lambda i, d, codes, m: "V002" in codes)
        note("another work's DOI: V002", f"{swapped}/{n} {pct(swapped, n)}")

        fake_dois = [w["doi"].rsplit("/", 1)[0] + "/9" + w["doi"].rsplit("/", 1)[1][::-1] for w in works]
        v001 = scenario("invented-doi", [apa(w, doi=fd) for w, fd in zip(works, fake_dois, strict=True)],
                        lambda i, d, codes, m: codes == {"V001"})
        note("invented DOI on a real citation: V001", f"{v001}/{n} {pct(v001, n)}")

        typo_refs = [apa(w, title=misspell(w["title"], rng)) for w in works]
        typos = per_entry(run(typo_refs, fake, folder, "misspelt"))
        t_right = sum(d == truth[i] for i, (d, _, _) in enumerate(typos))
        t_wrong = sum(d is not None and d != truth[i] for i, (d, _, _) in enumerate(typos))
        t_v003 = sum("V003" in codes for _, codes, _ in typos)
        note("misspelt title, no DOI: still matched", f"{t_right}/{n} {pct(t_right, n)}")
        note("misspelt title, no DOI: V003", f"{t_v003}/{n} {pct(t_v003, n)}")
        note("misspelt title, no DOI: false matches", f"{t_wrong}/{n} {pct(t_wrong, n)}")

        invented = invent(works, rng, 60)
        made_up = per_entry(run([apa(w) for w in invented], fake, folder, "invented"))
        i_v003 = sum("V003" in codes for _, codes, _ in made_up)
        i_false = sum(d is not None for d, _, _ in made_up)
        note("invented article, no DOI: V003", f"{i_v003}/{len(invented)} {pct(i_v003, len(invented))}")
        note("invented article, no DOI: false matches", f"{i_false}/{len(invented)} {pct(i_false, len(invented))}")

    fake.stop()
    width = max(len(label) for label, _ in rows)
    print(f"registry matching on {n} real articles and {2 * n} decoys (fake Crossref + OpenAlex on loopback, "
          f"seed {args.seed}, "
          f"{'polite pacing' if args.polite else 'pacing lifted'})")
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    print(f"  ({time.monotonic() - started:.1f} s)")
    if misses:
        print("\nmisses:")
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
