"""Training data for the field labeller: the labelled sets of ../shared/data as token sequences.

Each source labels in its own way; ``normalise`` maps its labels to our field
model (``verifier.citations.labeller.LABELS``):

- ``location`` → place, ``collection`` (a series) → note, ``num`` → other;
- AnyStyle has no issue label: the part of a volume span after the volume number
  ("66(3)", "9, no. 2") becomes the issue;
- an editor span whose role words are all translators' becomes translator;
- a date span with an access word ("accessed", "retrieved") becomes accessed;
- LinkedBooks tags editors as authors: an author span after the title is an editor;
- "ISBN" and the number after it in unlabelled text are isbn.

``split`` divides every source into train and dev with a fixed seed, so the
benchmark and the training script see the same dev strings. Run as a script it
prints the sizes.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from verifier.citations.labeller import LABELS  # noqa: E402
from verifier.citations.tokens import role_of, tokenise  # noqa: E402

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SOURCES = ("anystyle-core", "anystyle-extra", "grobid-citation", "linkedbooks-train", "linkedbooks-valid")
SPLIT_SEED = 12
_MAP = {"location": "place", "collection": "note", "num": "other"}
_ACCESS_RE = re.compile(r"access|retriev|visit|viewed|consult|abgerufen|zugegriffen", re.IGNORECASE)
_ISSUE_SEP = frozenset(["(", ",", ".", "/", "no", "nr", "n", "issue", "heft", "h", "fasc", "num"])


class Example(NamedTuple):
    source: str
    raw: str
    spans: list[tuple[int, int]]  # tokens
    labels: list[str]  # one per token
    gold: list[tuple[int, int, str]]  # normalised character spans


def data_dir() -> Path:
    return DATA


def load(source: str, data: Path | None = None) -> list[Example]:
    out = []
    with open((data or DATA) / f"{source}.spans.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            out.append(example(source, rec["raw"], [tuple(s) for s in rec["spans"]]))
    return out


def example(source: str, raw: str, spans: list[tuple[int, int, str]]) -> Example:
    toks = tokenise(raw)
    gold = normalise(source, raw, spans, toks)
    labels = ["other"] * len(toks)
    j = 0
    for i, (s, _e) in enumerate(toks):
        while j < len(gold) and gold[j][1] <= s:
            j += 1
        if j < len(gold) and gold[j][0] <= s < gold[j][1]:
            labels[i] = gold[j][2]
    return Example(source, raw, toks, labels, gold)


def normalise(source: str, raw: str, spans: list[tuple[int, int, str]], toks: list[tuple[int, int]]
              ) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    seen_title = False
    for s, e, lab in sorted(spans):
        lab = _MAP.get(lab, lab)
        text = raw[s:e]
        if lab == "editor":
            roles = {role_of(raw[a:b]) for a, b in toks if s <= a < e} - {None}
            if roles == {"translator"}:
                lab = "translator"
        elif lab == "date" and _ACCESS_RE.search(text):
            lab = "accessed"
        elif lab == "author" and source.startswith("linkedbooks") and seen_title:
            lab = "editor"
        elif lab == "other" and "isbn" in text.lower():
            m = re.search(r"ISBN[\s:\-]*[\dXx][\d\-\s]{8,}[\dXx]", text, re.IGNORECASE)
            if m:
                if m.start():
                    out.append((s, s + m.start(), "other"))
                out.append((s + m.start(), s + m.end(), "isbn"))
                if s + m.end() < e:
                    out.append((s + m.end(), e, "other"))
                continue
        elif lab == "volume" and source.startswith("anystyle"):
            inner = [(a, b) for a, b in toks if s <= a < e]
            first = next((k for k, (a, b) in enumerate(inner) if any(c.isdigit() for c in raw[a:b])), None)
            if first is not None:
                cut = next((k for k in range(first + 1, len(inner) - 1)
                            if raw[inner[k][0]:inner[k][1]].lower() in _ISSUE_SEP
                            and any(c.isalnum() for a, b in inner[k + 1:] for c in raw[a:b])), None)
                if cut is not None:
                    out.append((s, inner[cut][0], "volume"))
                    out.append((inner[cut][0], e, "issue"))
                    continue
        if lab in ("title", "container"):
            seen_title = True
        if lab not in LABELS:
            lab = "other"
        out.append((s, e, lab))
    return out


def split(examples: list[Example], seed: int = SPLIT_SEED) -> tuple[list[Example], list[Example]]:
    """``(train, dev)``: a seeded tenth (a fifth of a small set) for dev; train drops strings also in dev."""
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)
    n_dev = len(examples) // (5 if len(examples) < 5000 else 10)
    dev = [examples[i] for i in order[:n_dev]]
    dev_raw = {x.raw for x in dev}
    train = [examples[i] for i in order[n_dev:] if examples[i].raw not in dev_raw]
    return train, dev


def splits(data: Path | None = None) -> Iterator[tuple[str, list[Example], list[Example]]]:
    for source in SOURCES:
        train, dev = split(load(source, data))
        yield source, train, dev


# --- synthetic note-style citations, rendered from the field records of training strings ---

_NAME_RE = re.compile(r"^([^\W\d_][\w’'\-]+),\s+((?:[^\W\d_][\w’'\-]*\.?\s*){1,3})$")


def _field(ex: Example, label: str) -> str | None:
    for s, e, lab in ex.gold:
        if lab == label:
            value = ex.raw[s:e].strip(" ,.;:“”\"'‘’«»()[]")
            if label == "pages":
                value = re.sub(r"^(?:pp?|pages?|pag)\.?\s*", "", value, flags=re.IGNORECASE)
            return value or None
    return None


def synthetic(train: list[Example], n: int, seed: int = SPLIT_SEED) -> list[Example]:
    """``n`` note-style citations built from the field records of ``train``.

    The public sets are mostly reference lists; notes look different: Chicago
    notes with note numbers, “quoted” or "quoted" titles, containers and book
    titles in Markdown italics (``*Journal*``), "vol. 8, No. 7" locators,
    newspaper citations with a day date, URLs with access dates. Every value
    comes from a training record (never from the dev parts or the seeds); only
    the layout is made up here.
    """
    rng = random.Random(seed)
    out: list[Example] = []
    pool = [x for x in train if _field(x, "title") and (_field(x, "container") or _field(x, "publisher")
                                                      or _field(x, "date"))]
    months = "January February March April May June July August September October November December".split()
    short = "Jan. Feb. Mar. Apr. Aug. Sept. Oct. Nov. Dec.".split()
    rng.shuffle(pool)

    def date_text(rec_date: str) -> str:
        year = re.search(r"1[5-9]\d\d|20\d\d", rec_date)
        y = year.group(0) if year else str(rng.randint(1950, 2020))
        r = rng.random()
        if r < 0.4:
            return y
        if r < 0.6:
            return f"{rng.choice(months)} {y}"
        if r < 0.7:
            return f"{rng.choice(short)} {y}"
        if r < 0.85:
            return f"{rng.randint(1, 28)} {rng.choice(months)} {y}"
        return f"{rng.choice(months)} {rng.randint(1, 28)}, {y}"

    def person(ex: Example) -> str:
        author = _field(ex, "author") or ""
        m = _NAME_RE.match(author)
        if m and rng.random() < 0.7:
            return f"{m.group(2).strip()} {m.group(1)}"
        return author

    def quoted(t: str) -> list[tuple[str, str]]:
        o, c = rng.choice([("“", "”"), ('"', '"'), ("‘", "’"), ("«", "»")])
        return [(o, "other"), (t, "title"), (c, "other")]

    def ital(t: str, lab: str) -> list[tuple[str, str]]:
        return [("*", "other"), (t, lab), ("*", "other")] if rng.random() < 0.5 else [(t, lab)]

    i = 0
    while len(out) < n and i < len(pool) * 3:
        ex = pool[i % len(pool)]
        i += 1
        author = person(ex)
        title = _field(ex, "title") or ""
        container, volume = _field(ex, "container"), _field(ex, "volume")
        publisher, place, pages = _field(ex, "publisher"), _field(ex, "place"), _field(ex, "pages")
        date = date_text(_field(ex, "date") or "")
        sep = rng.choice([", ", ". "])
        parts: list[tuple[str, str]] = []
        if rng.random() < 0.4:
            parts += [(f"{rng.randint(1, 140)}", "other"), (rng.choice([". ", " "]), "other")]
        style = rng.random()
        if author and not (style > 0.9 and container):
            parts += [(author, "author"), (", ", "other")]
        if container and style < 0.75:
            parts += quoted(title) + [(", " if rng.random() < 0.6 else " ", "other")]
            if style < 0.15 and (editor := _field(ex, "editor")):
                parts += [("in ", "other")]
                parts += ital(container, "container")
                parts += [(", ed. ", "other"), (editor.removeprefix("In ").strip(), "editor")]
            else:
                parts += ital(container, "container")
            if volume and rng.random() < 0.8:
                v = re.sub(r"^(?:vol\.?|volume)\s*", "", volume, flags=re.I)
                parts += [(sep if rng.random() < 0.5 else ", ", "other"), (rng.choice(["vol. ", "Vol. ", ""]) + v,
                                                                          "volume")]
                if rng.random() < 0.5:
                    parts += [(", ", "other"), (rng.choice(["No. ", "no. ", "n. "]) + str(rng.randint(1, 12)),
                                                "issue")]
            if rng.random() < 0.5:
                parts += [(" (", "other"), (date, "date"), (")", "other")]
            else:
                parts += [(", ", "other"), (date, "date")]
            if pages:
                parts += [(rng.choice([": ", ", p. ", ", pp. ", ", "]), "other"), (pages, "pages")]
        elif container:  # a newspaper or container-first citation
            parts += ital(container, "container")
            parts += [(", ", "other"), (date, "date")]
            if pages and rng.random() < 0.7:
                parts += [(rng.choice([", p. ", ", pp. ", ", "]), "other"), (pages, "pages")]
        else:
            parts += ital(title, "title")
            inner: list[tuple[str, str]] = []
            if place:
                inner += [(place, "place"), (": ", "other")]
            if publisher:
                inner += [(publisher, "publisher"), (", ", "other")]
            inner += [(date, "date")]
            if rng.random() < 0.6:
                parts += [(" (", "other")] + inner + [(")", "other")]
            else:
                parts += [(", ", "other")] + inner
            if pages and rng.random() < 0.5:
                parts += [(rng.choice([", ", ", p. ", ", pp. "]), "other"), (pages, "pages")]
        if rng.random() < 0.25:
            host = rng.choice(["example.org", "archive.example.net", "library.example.edu", "www.example.com"])
            path = "/".join(rng.choice(["doc", "items", "view", "pdf", "article", "news"]) for _ in range(2))
            parts += [(rng.choice([", ", ". "]), "other"), (f"https://{host}/{path}/{rng.randint(100, 99999)}",
                                                           "url")]
            d = f"{rng.choice(months)} {rng.randint(1, 28)}, {rng.randint(2005, 2024)}"
            r = rng.random()
            if r < 0.4:
                parts += [(" (", "other"), ("accessed " + d, "accessed"), (")", "other")]
            elif r < 0.7:
                parts += [(". Accessed ", "other"), (d, "accessed")]
            else:
                parts += [(" [accessed ", "other"), (d, "accessed"), ("]", "other")]
        parts.append((".", "other"))
        raw, spans, pos = "", [], 0
        for text, lab in parts:
            if lab != "other":
                spans.append((pos, pos + len(text), lab))
            raw += text
            pos += len(text)
        out.append(example("synthetic-notes", raw, spans))
    return out


if __name__ == "__main__":
    for source, train, dev in splits():
        print(f"{source:20} train {len(train):6} dev {len(dev):5}")
