"""Reading real documents we did not write: verifier's readers against pandoc's.

Run from the repository root (pandoc from Debian: ``apt-get install -y pandoc``)::

    .venv/bin/python benchmarks/realdocs.py CORPUS_DIR... [--show] [--seed N]

Every Markdown (``.md``), LaTeX (``.tex``), HTML (``.html``) and Word (``.docx``) file below the
folders is read twice: by pandoc (``pandoc -f FORMAT -t json``, its AST) and by verifier (the pipeline's
reading step: the files a document names are loaded as in a real run). For each format it prints

- **note recall / precision**: pandoc's ``Note`` elements matched to verifier's notes by their text
  (normalised words; a match needs a similarity of at least 0.6), over pandoc's notes / over ours;
- **URL recall**: the absolute http(s) targets of pandoc's ``Link`` elements that verifier also cites
  (anywhere: body link, bare URL, note text, entry);
- **key recall**: pandoc's ``Cite`` keys, counted with repetition, that verifier also reports as keys;
- the time each reader took, side by side.

A LaTeX file that another file of the corpus pulls in (``\\input``) is read through its main file only,
as pandoc reads it. Files are split into a development half and a held-out half by a seeded hash of their
names (``--seed``); both halves are printed, the held-out one is the figure to quote. It prints figures
and asserts nothing; the tests never need pandoc.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from verifier.config import Settings  # noqa: E402
from verifier.pipeline import citation_urls, extract_citations, read_documents  # noqa: E402

PANDOC_FORMATS = {".md": "markdown", ".tex": "latex", ".html": "html", ".htm": "html", ".docx": "docx"}
MIN_SIMILARITY = 0.6


@dataclass
class Reading:
    notes: list[str] = field(default_factory=list)
    urls: set[str] = field(default_factory=set)
    keys: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


@dataclass
class Tally:
    files: int = 0
    pandoc_notes: int = 0
    our_notes: int = 0
    matched_notes: int = 0
    pandoc_urls: int = 0
    found_urls: int = 0
    pandoc_keys: int = 0
    found_keys: int = 0
    pandoc_seconds: float = 0.0
    our_seconds: float = 0.0
    misses: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- pandoc


def _stringify(node: Any) -> str:
    out: list[str] = []

    def walk(n: Any) -> None:
        if isinstance(n, dict):
            t = n.get("t")
            if t == "Str":
                out.append(n["c"])
            elif t in ("Space", "SoftBreak", "LineBreak"):
                out.append(" ")
            elif t in ("Code", "Math"):
                out.append(" ")
            elif t == "Link":
                walk(n["c"][1])
                target = n["c"][2][0]
                if target.startswith(("http", "ftp")):
                    out.append(" " + target + " ")
            elif "c" in n:
                walk(n["c"])
        elif isinstance(n, list):
            for x in n:
                walk(x)

    walk(node)
    return " ".join("".join(out).split())


_NAVIGATION = re.compile(r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|header|footer|sidebar|breadcrumbs?|"
                         r"masthead|site-?nav|social|share|related|promo|subnav|toolbar)(?:$|[-_\s])", re.IGNORECASE)


def without_navigation(data: bytes) -> bytes:
    """A web page without its site navigation (nav, header, footer, menus, sidebars, share bars): the links
    the issue's URL recall leaves out. verifier reads the page as it is."""
    from lxml import etree, html

    root = html.fromstring(data)
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        marks = " ".join((el.get("class") or "", el.get("id") or "", el.get("role") or ""))
        if el.tag in ("nav", "header", "footer", "aside", "noscript") or _NAVIGATION.search(marks) or (
                el.get("role") or "") in ("navigation", "banner", "contentinfo"):
            el.getparent().remove(el)
    return etree.tostring(root, method="html", encoding="utf-8")


def page_notes(page: Any) -> list[str]:
    """The notes a web page lists as such: items of MediaWiki's ``ol.references`` and of lists marked as
    footnotes or endnotes (class or ARIA role), their back-link carets left out."""
    out = []
    for ol in page.iter("ol", "ul", "section", "div", "aside"):
        marks = f"{ol.get('class') or ''} {ol.get('role') or ''}".lower().split()
        if ol.tag == "ol" and "references" in marks or {"footnotes", "doc-endnotes", "endnotes"} & set(marks):
            for junk in list(ol.iter("style", "script")):
                junk.getparent().remove(junk)
            for li in ol.iter("li"):
                if li.getparent() is not None and li.getparent().getparent() is not None and any(
                        a.tag == "li" for a in li.iterancestors()):
                    continue  # a nested item belongs to its note
                text = " ".join(li.text_content().split())
                out.append(re.sub(r"^\^(?:\s+[a-z]{1,2}\b)*\s*", "", text))
    return out


def pandoc_reading(path: Path, fmt: str) -> Reading | None:
    start = time.perf_counter()
    data = path.read_bytes() if fmt == "html" else None
    try:
        proc = subprocess.run(["pandoc", "-f", fmt, "-t", "json"] + ([] if data else [path.name]), cwd=path.parent,
                              input=without_navigation(data) if data else None, capture_output=True,
                              timeout=120, check=False)
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        return None
    ast = json.loads(proc.stdout)
    reading = Reading(seconds=time.perf_counter() - start)

    def walk(n: Any) -> None:
        if isinstance(n, dict):
            t = n.get("t")
            if t == "Note":
                reading.notes.append(_stringify(n["c"]))
            elif t == "Link":
                target = n["c"][2][0]
                if re.match(r"(?:https?|ftp)://", target):
                    reading.urls.add(_url(target))
            elif t == "Cite":
                for c in n["c"][0]:
                    reading.keys[c["citationId"]] += 1
            if "c" in n:
                walk(n["c"])
        elif isinstance(n, list):
            for x in n:
                walk(x)

    walk(ast["blocks"])
    if data:  # a link to a place in the page itself (a saved page's absolute note links) is no citation
        from lxml import html

        page = html.fromstring(data)
        ids = {el.get("id") for el in page.iter() if isinstance(el.tag, str) and el.get("id")}
        reading.urls = {u for u in reading.urls if u.rpartition("#")[2] not in ids}
        if not reading.notes:  # pandoc reads notes only from its own HTML: the page's note list is the reference
            reading.notes = page_notes(page)
    return reading


# --------------------------------------------------------------------------- verifier


def our_reading(path: Path) -> tuple[Reading, set[str]]:
    """What verifier reads from ``path`` (with the files it names), and the paths of its parts."""
    start = time.perf_counter()
    docs, _failures, _unreadable = read_documents([path], Settings(root=str(path.parent)))
    reading = Reading()

    class _Ids:
        n = 0

        def next(self) -> str:
            self.n += 1
            return f"c{self.n}"

    parts: set[str] = set()
    for doc in docs:
        if doc.format == "bibtex":
            continue
        if doc.path != str(path):
            parts.add(str(Path(doc.path).resolve()))
        reading.notes.extend(n.text for n in doc.notes)
        reading.keys.update(k.key for k in (*doc.keys, *doc.unresolved_keys) if k.key != "*")
        for c in extract_citations(doc, _Ids()):  # type: ignore[arg-type]
            reading.urls.update(_url(u) for u in citation_urls(c))
        reading.urls.update(_url(link.url) for link in doc.links)
    reading.seconds = time.perf_counter() - start
    return reading, parts


# --------------------------------------------------------------------------- comparing


def _url(url: str) -> str:
    from urllib.parse import unquote

    return unquote(url.strip()).rstrip("/").replace("http://", "https://", 1)


def _words(text: str) -> str:
    """A note's words for matching: URLs aside (one reader writes a link's URL into the text, the other not)."""
    text = re.sub(r"<?(?:https?|ftp)://\S+", " ", text)
    return " ".join(re.findall(r"\w+", text.casefold()))


def match_notes(theirs: list[str], ours: list[str]) -> tuple[int, list[str]]:
    """How many of pandoc's notes have a note of ours with similar text (each of ours used once)."""
    left = [_words(t) for t in ours]
    used: set[int] = set()
    matched = 0
    missed = []
    for text in theirs:
        want = _words(text)
        best, best_i = 0.0, -1
        for i, cand in enumerate(left):
            if i in used:
                continue
            if cand == want:
                best, best_i = 1.0, i
                break
            sm = difflib.SequenceMatcher(None, want, cand, autojunk=False)
            if sm.real_quick_ratio() < best or sm.quick_ratio() < max(best, MIN_SIMILARITY):
                continue
            ratio = sm.ratio()
            if ratio > best:
                best, best_i = ratio, i
        if best >= MIN_SIMILARITY:
            used.add(best_i)
            matched += 1
        else:
            missed.append(text[:100])
    return matched, missed


def held_out(path: Path, seed: int) -> bool:
    return hashlib.sha256(f"{seed}:{path.name}".encode()).digest()[0] % 2 == 1


def corpus(folders: list[Path]) -> Iterator[Path]:
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix.lower() in PANDOC_FORMATS:
                yield path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--show", action="store_true", help="print what was missed, file by file")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    if shutil.which("pandoc") is None:
        print("pandoc is not installed (apt-get install -y pandoc)", file=sys.stderr)
        return 2
    files = list(corpus(args.folders))
    parts: set[str] = set()
    readings: dict[Path, tuple[Reading, set[str]]] = {}
    for path in files:  # main files first: a part is read through them
        if path.suffix == ".tex" and "\\documentclass" in path.read_text("utf-8", "replace"):
            readings[path] = our_reading(path)
            parts |= readings[path][1]
    tallies: dict[tuple[str, str], Tally] = {}
    for path in files:
        if str(path.resolve()) in parts:
            continue
        fmt = PANDOC_FORMATS[path.suffix.lower()]
        theirs = pandoc_reading(path, fmt)
        if theirs is None:
            print(f"  pandoc could not read {path}; left out", file=sys.stderr)
            continue
        ours, _ = readings.get(path) or our_reading(path)
        half = "held-out" if held_out(path, args.seed) else "dev"
        if fmt == "html" and not theirs.notes:
            ours.notes = []  # no reference for the page's notes: neither pandoc nor the page's markup lists any
        for key in ((fmt, half), (fmt, "all"), ("ALL", half), ("ALL", "all")):
            t = tallies.setdefault(key, Tally())
            t.files += 1
            matched, missed = match_notes(theirs.notes, ours.notes)
            t.pandoc_notes += len(theirs.notes)
            t.our_notes += len(ours.notes)
            t.matched_notes += matched
            t.pandoc_urls += len(theirs.urls)
            t.found_urls += len(theirs.urls & ours.urls)
            t.pandoc_keys += sum(theirs.keys.values())
            t.found_keys += sum((theirs.keys & ours.keys).values())
            t.pandoc_seconds += theirs.seconds
            t.our_seconds += ours.seconds
            if key[1] == "all" and key[0] != "ALL":
                t.misses += [f"{path.name}: note {m!r}" for m in missed]
                t.misses += [f"{path.name}: url {u}" for u in sorted(theirs.urls - ours.urls)]
                t.misses += [f"{path.name}: key {k} x{n}" for k, n in (theirs.keys - ours.keys).items()]

    def ratio(a: int, b: int) -> str:
        return f"{a / b:.3f}" if b else "  -  "

    print(f"{'format':<9}{'half':<9}{'files':>6}{'notes':>7}{'ours':>6}{'recall':>8}{'precis.':>8}"
          f"{'urls':>6}{'recall':>8}{'keys':>6}{'recall':>8}{'pandoc s':>10}{'ours s':>8}")
    for (fmt, half), t in sorted(tallies.items()):
        print(f"{fmt:<9}{half:<9}{t.files:>6}{t.pandoc_notes:>7}{t.our_notes:>6}"
              f"{ratio(t.matched_notes, t.pandoc_notes):>8}{ratio(t.matched_notes, t.our_notes):>8}"
              f"{t.pandoc_urls:>6}{ratio(t.found_urls, t.pandoc_urls):>8}"
              f"{t.pandoc_keys:>6}{ratio(t.found_keys, t.pandoc_keys):>8}"
              f"{t.pandoc_seconds:>10.2f}{t.our_seconds:>8.2f}")
    if args.show:
        for (fmt, half), t in sorted(tallies.items()):
            if half == "all" and fmt != "ALL":
                for miss in t.misses:
                    print(f"  {fmt}: {miss}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
