"""Training data for the field labeller: the labelled sets of ../shared/data as token sequences.

Each source labels in its own way; ``normalise`` maps its labels to our field
model (``verifier.citations.labeller.LABELS``):

- ``location`` → place, ``collection`` (a series) → note, ``num`` → other;
- AnyStyle has no issue label: the part of a volume span after the volume number
  ("66(3)", "9, no. 2") becomes the issue;
- an editor span whose role words are all translators' becomes translator;
- a date span with an access word ("accessed", "retrieved") becomes accessed;
- LinkedBooks tags editors as authors: an author span after the title is an editor;
- an author span that holds a role word ("(a cura di)", "(dir.)", "eds.", "Hrsg.") is an editor
  (a translator, if its role words are all translators'), in every source; a role word in capitals
  ("ED", "TR", "HG") is a Vancouver-style pair of initials, not a role;
- "ISBN" and the number after it in unlabelled text are isbn;
- LinkedBooks has no volume or issue of a journal and no year of it as such: its
  ``publicationnumber-year`` segment ("XXI, 1974", "9 (1884)", "anno LXIX, nn. 1-2, 1983")
  reached these files as ``other``. An unlabelled span after the title made only of
  numbers, Roman numerals, years, months and volume/issue words is split into
  volume, issue and date (``_locator_spans``), as the other sources label them.

Since 5 December 2026 (late) also, in every source (``_book_as_container``, ``_edges``):

- a container with no title beside it is the work's title when the string says so: a book with its place or
  publisher and no "in", volume, issue or pages; a quoted work before "in" and its host; a quoted container
  before an unquoted title swaps with it;
- a host after ", in" inside a title is the container, and a title's dangling "in" is other;
- "cit." (a short form's mark) is no part of a title or a container;
- a quoted periodical after the title's comma ("…, “Archivio Veneto”, 1900"), or a name after a quoted title
  ("‘Titolo’, Urbanistica, 12"), is the container when a volume, issue, date or pages follow;
- a Roman-numeral volume after a title's last comma is the volume;
- the "a" of "a cura di" belongs to the editor span; NLM's "[Internet]" leaves the container.

``split`` divides every source into train and dev with a fixed seed, so the
benchmark and the training script see the same dev strings. Run as a script it
prints the sizes.

Beside the five public sets, ``tools/data/notes.txt`` holds note-style citations written by hand for
verifier (footnotes, short forms, lead-ins, six languages: the kind of string the public sets lack),
labelled inline as ``⟦label|text⟧``; ``load_notes`` reads it (source "notes"). Its dev part is chosen
by a hash of each line's text (``notes_split``), so that adding lines never moves a line between train
and dev.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from verifier.citations.assemble import (  # noqa: E402
    CIT_TAIL_RE,
    IN_BETWEEN_RE,
    MEDIUM_TAIL_RE,
    TITLE_IN_HOST_RE,
    TITLE_THEN_QUOTED_RE,
)
from verifier.citations.labeller import LABELS  # noqa: E402
from verifier.citations.tokens import lexicons, role_of, tokenise  # noqa: E402

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SOURCES = ("anystyle-core", "anystyle-extra", "grobid-citation", "linkedbooks-train", "linkedbooks-valid")
SPLIT_SEED = 12
NOTES = Path(__file__).resolve().parent / "data" / "notes.txt"
NOTES_DEV_SHARE = 5  # one line in five goes to dev
_MARK_RE = re.compile(r"⟦|⟧")
_MAP = {"location": "place", "collection": "note", "num": "other"}
_ACCESS_RE = re.compile(r"access|retriev|visit|viewed|consult|abgerufen|zugegriffen", re.IGNORECASE)
_DATE_THEN_VOLUME_RE = re.compile(
    r"\s*(?P<date>(?:[^\W\d_]{3,9}\.?\s+(?:\d{1,2}\s+)?)?(?:1[5-9]|20)\d\d"
    r"(?:\s+[^\W\d_]{3,9}\.?(?:\s+\d{1,2})?)?)\s*;\s*(?P<v>\S.*)$", re.DOTALL)
_ISSUE_SEP = frozenset(["(", ",", ".", "/", "no", "nr", "n", "issue", "heft", "h", "fasc", "num"])
# a title span that kept its container: "…, in “Journal”," (LinkedBooks split « » but not “ ” titles)
# a title that ends in "in" with no host after it ("Il viandante nella mappa, in"): the string was cut there
# (after a comma or a closing quote: "identified in" before a run left unlabelled is the title's own "in")
_DANGLING_IN_RE = re.compile(r"(?P<keep>[,.;:»”\"’])\s*(?:in|dans|im)\s*:?\s*$", re.IGNORECASE)
_TITLE_IN_QUOTES_RE = re.compile(r",\s*[Ii]n:?\s+(?P<container>[“\"«][^“”\"«»]+[”\"»]\W*)$")
# a title that kept the journal after its quoted article title: "“Birth Control.” Past and Present"
_QUOTED_THEN_WORDS_RE = re.compile(
    r"\s*[“\"«„][^“”\"«»]{3,}[”\"»“][.,:;]?\s+(?P<rest>[^\W\d_][^\W_]*\.?(?:\s+\S+)+)\s*$")
# a quotation in double or single quotes, then a name of one or more words (a periodical before its locators)
_QUOTED_THEN_NAME_RE = re.compile(
    r"\s*(?P<q>[‘“\"«„'][^‘’“”\"«»]{3,}[’”\"»])\s*[,.:]?\s+(?P<rest>[^\W\d_][^,]{0,80}?),?\s*")
_LOCATORS = ("volume", "issue", "date", "pages")
_YEAR_RE = re.compile(r"1[0-9]\d\d|20\d\d")
_NUMBER_RE = re.compile(r"\d{1,4}[a-z]?")
_ROMAN_RE = re.compile(r"M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})")
# Italian and OCR'd forms the source is full of, beside data/locator-words.txt: "a. XXXIV" (anno), "voi." (vol.),
# "fase." (fasc.), "tom."
_MORE_LOCATORS = {"a": "volume", "voi": "volume", "tom": "volume", "fase": "issue", "nn": "issue"}
# "in" (or "dans", "en", "im") just before a span, also after a bracket: "(in «Rivista»"
_IN_BEFORE_RE = re.compile(r"(?:^|\W)(?:in|dans|en|im)\W*$", re.IGNORECASE)
_QUOTES = "«“\"„‘"
_CURA_RE = re.compile(r"(?:cura|c\.)\s+di\b")
_A_BEFORE_RE = re.compile(r"(?:^|[\s,])(?P<a>a)\s*$")
_SERIES_WORDS = frozenset(["s", "ser", "serie", "series", "série", "nuova", "nouvelle", "new", "ns"])


# "In" before a second title span: the work the first is in ("In:", "in", "dans", "en", "im")


def _is_number(word: str) -> bool:
    """A number, or a Roman numeral (OCR's "Vili", "Ili" for VIII, III: a lower-case l after the first letter is I)."""
    if _NUMBER_RE.fullmatch(word):
        return True
    if len(word) == 1 and word.upper() in "CDML":
        return False
    roman = word[0] + word[1:].replace("l", "i") if not word.islower() else word
    return bool(roman) and bool(_ROMAN_RE.fullmatch(roman.upper()))


class Example(NamedTuple):
    source: str
    raw: str
    spans: list[tuple[int, int]]  # tokens
    labels: list[str]  # one per token
    gold: list[tuple[int, int, str]]  # normalised character spans


def data_dir() -> Path:
    return DATA


def load(source: str, data: Path | None = None) -> list[Example]:
    with open((data or DATA) / f"{source}.spans.jsonl", encoding="utf-8") as fh:
        recs = [json.loads(line) for line in fh]
    places = Counter(_bare(r["raw"][s:e]) for r in recs for s, e, lab in r["spans"] if lab == "location")
    known = frozenset(p for p, n in places.items() if n >= 3 and p)
    return [example(source, r["raw"], [tuple(s) for s in r["spans"]], known) for r in recs]


def _bare(text: str) -> str:
    """A place as compared: word characters only, lower case ("Vene - zia," → "venezia")."""
    return "".join(c for c in text.lower() if c.isalnum())


def example(source: str, raw: str, spans: list[tuple[int, int, str]], places: frozenset[str] = frozenset()
            ) -> Example:
    toks = tokenise(raw)
    gold = _edges(raw, normalise(source, raw, spans, toks), toks, places)
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
        if lab == "volume" and (m := _DATE_THEN_VOLUME_RE.match(text)):
            # Vancouver's "2000;355(9222):", "Jan 15 2014;120": AnyStyle labels the year with the volume; our field
            # model (and the other sources) keep the date apart (the rest is the volume, and maybe an issue)
            out.append((s + m.start("date"), s + m.end("date"), "date"))
            s += m.start("v")
            text = raw[s:e]
        if lab == "editor":
            roles = {role_of(raw[a:b]) for a, b in toks if s <= a < e} - {None}
            if roles == {"translator"}:
                lab = "translator"
        elif lab == "date" and _ACCESS_RE.search(text):
            lab = "accessed"
        elif lab == "author" and (roles := {role_of(raw[a:b]) for a, b in toks
                                            if s <= a < e and not raw[a:b].isupper()} - {None}):
            lab = "translator" if roles == {"translator"} else "editor"
        elif lab == "author" and source.startswith("linkedbooks") and seen_title:
            lab = "editor"
        elif lab == "other" and source.startswith("linkedbooks") and seen_title:
            parts = _locator_spans(raw, [(a, b) for a, b in toks if s <= a < e])
            if parts:
                out.extend(parts)
                continue
        elif lab == "other" and "isbn" in text.lower():
            m = re.search(r"ISBN[\s:\-]*[\dXx][\d\-\s]{8,}[\dXx]", text, re.IGNORECASE)
            if m:
                if m.start():
                    out.append((s, s + m.start(), "other"))
                out.append((s + m.start(), s + m.end(), "isbn"))
                if s + m.end() < e:
                    out.append((s + m.end(), e, "other"))
                continue
        elif lab == "title" and not any(x[2] == "container" for x in out) and (
            prev := [x[1] for x in out if x[2] == "title"]
        ) and IN_BETWEEN_RE.search(raw[prev[-1] : s]):
            lab = "container"  # "Title. In: Editor (Hrsg.): Book Title": the second title is the book's
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
    return _book_as_container(raw, out)


def _quoted(raw: str, s: int, e: int) -> bool:
    """Whether the span is one quotation ("«Titolo»,", "“Title.”")."""
    inner = raw[s:e].strip(" ,.;:")
    return len(inner) > 2 and inner[0] in "«“\"‘„" and inner[-1] in "»”\"’“" and not re.search(r"[»”\"’“]", inner[1:-1])


def _book_as_container(raw: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The first container of a string without a title, when it is the work itself: its title.

    In our field model a container is what a titled work is *in*. Two labelled sets give the work's own name as a
    container when the string has no title label:

    - a book cited whole, labelled a container ("Doe, Jan (1984) Art of the Coast London: Longwood",
      "Editor, eds., Book Title, (Place: Publisher, 2015)", AnyStyle's extra sets): the container is the title
      when nothing in the string says it is a host — no "in" before it, no volume, issue or pages ("Proc. Phys. Soc.
      3163 (1931)" cites an article by its journal alone) — and a publisher or a place says it is a book;
    - a work and then "in" and its host, both labelled containers ("«Titolo», in Rivista …", LinkedBooks): the
      first is the work's title.

    And when a quoted container comes before an unquoted title ("«Capitolo», Editor (dir.), Libro", LinkedBooks),
    the two are swapped: quotation marks name a part (an article, a chapter), and a part is cited before its host.
    """
    labels = [lab for _s, _e, lab in spans]
    if "container" in labels and "title" in labels and labels.index("container") < labels.index("title"):
        c, t = labels.index("container"), labels.index("title")
        if _quoted(raw, *spans[c][:2]) and not _quoted(raw, *spans[t][:2]):
            # "«Chapter», in Editor (dir.), Book": a quoted name is a part of the work named after it
            out = list(spans)
            out[c], out[t] = (*spans[c][:2], "title"), (*spans[t][:2], "container")
            return out
    if "container" not in labels or "title" in labels:
        return spans
    ks = [i for i, lab in enumerate(labels) if lab == "container"]
    s, e, _lab = spans[ks[0]]
    if _IN_BEFORE_RE.search(raw, 0, s) or IN_BETWEEN_RE.match(raw, s):
        return spans
    if len(ks) > 1:
        if not IN_BETWEEN_RE.search(raw, e, spans[ks[1]][0] + 4):
            return spans
    elif ({"volume", "issue", "pages"} & set(labels) or not {"publisher", "place"} & set(labels)
          or IN_BETWEEN_RE.search(raw, 0, s)):
        return spans
    return [*spans[: ks[0]], (s, e, "title"), *spans[ks[0] + 1:]]


def _edges(raw: str, spans: list[tuple[int, int, str]], toks: list[tuple[int, int]], places: frozenset[str]
           ) -> list[tuple[int, int, str]]:
    """Move words a title or container span took from its neighbour back to it.

    LinkedBooks' spans often end a word late (its OCR'd text was tagged a token off, and
    the split of "title, in « journal »" leaves the "in" in the title). In every source:

    - a title that ends in ", in “Journal”," and a string without a container: the quoted part is
      the container;
    - a title that is a quotation followed by capitalised words ("“Birth Control.” Past and
      Present", "« Review … ». Climate Policy"), in a string without a container: the quotation is
      the title, the words after it the container (LinkedBooks and AnyStyle's extra sets tag about
      220 such strings so);
    - a title or container ending in "in" / "In:" before a container: the "in" is other;
    - a title or container ending in a locator word ("pp.", "p.", "vol.", "t.") before pages,
      a volume or an issue: the word goes to that span;
    - a container whose last comma part is a volume ("in Storia d'Italia, VIII, Milano 1969"), in
      a string without a volume: that part is the volume (``_locator_spans``);
    - a title or container whose last comma or bracket part is a place the source labels as one
      at least three times elsewhere ("…, Venezia" before "2006"), before a date, in a string
      without a place: that part is the place.
    """
    out = sorted(spans)
    has_place = any(lab == "place" for _s, _e, lab in out)
    has_container = any(lab == "container" for _s, _e, lab in out)
    lex = lexicons()
    i = -1
    while i + 1 < len(out):
        i += 1
        s, e, lab = out[i]
        if lab not in ("title", "container"):
            continue
        inner = [(a, b) for a, b in toks if s <= a and b <= e]
        m = _TITLE_IN_QUOTES_RE.search(raw, s, e)
        if lab == "title" and not has_container and m:  # "Title, in “Journal”," left whole
            out[i : i + 1] = [(s, m.start(), "title"), (m.start("container"), e, "container")]
            has_container = True
            continue
        if (c := CIT_TAIL_RE.search(raw, s, e)) and any(ch.isalnum() for ch in raw[s:c.start()]):
            # "Riti, cit.,", "in Ezzelini cit.,": "cited", a short form's mark, no part of a title or a container
            # (LinkedBooks labels it with the title in 1,375 strings, with the container in 55)
            out[i] = (s, c.start(), lab)
            s, e = out[i][0], out[i][1]
            inner = [(a, b) for a, b in toks if s <= a and b <= e]
        j = TITLE_THEN_QUOTED_RE.search(raw, s, e) if lab == "title" and not has_container else None
        if (j and raw[s:e].lstrip()[:1] not in _QUOTES and any(c.isalnum() for c in raw[s:j.start()])
                and i + 1 < len(out) and out[i + 1][2] in ("volume", "issue", "date", "pages")):
            # "Il catasto, “Rivista storica”, a. X": a quoted name after the (unquoted) title, then a
            # volume or a year, is the periodical the title is in; before a place ("Estimi, “case e orti”,
            # Treviso") it is a phrase of the title
            out[i : i + 1] = [(s, j.start(), "title"), (j.start("container"), e, "container")]
            has_container = True
            continue
        if lab == "title" and (d := _DANGLING_IN_RE.search(raw, s, e)) and any(c.isalnum() for c in raw[s:d.start()]):
            # "Il viandante nella mappa, in": "in" introduces a host, never ends a title
            out[i] = (s, d.end("keep") if d.group("keep") in "»”\"’" else d.start("keep"), lab)  # (as the rule below)
            continue
        host = [m for m in TITLE_IN_HOST_RE.finditer(raw, s, e)] if lab == "title" and not has_container else []
        if host and (raw[host[-1].end()].isupper() or raw[host[-1].end()] in "«“\"") and not any(
                role_of(w.strip(".,;:()[]")) for w in raw[host[-1].end():e].split()) and not _names_run_on(raw, out, i):
            # "L'economia urbana, in Storia della città, II,": what follows the last ", in" is the host, unless it
            # names editors ("…, in Anna Rossi (dir.), Libro", or names that run on into an editor span)
            out[i : i + 1] = [(s, host[-1].start(), "title"), (host[-1].end(), e, "container")]
            has_container = True
            continue
        q = _QUOTED_THEN_WORDS_RE.fullmatch(raw, s, e) if lab == "title" and not has_container else None
        if q and raw[q.start("rest")].isupper() and not _role_or_in(q.group("rest")):
            # "“Article.” Journal": the quoted part is the title, the words after it the container
            out[i : i + 1] = [(s, q.start("rest"), "title"), (q.start("rest"), e, "container")]
            has_container = True
            continue
        q = _QUOTED_THEN_NAME_RE.fullmatch(raw, s, e) if lab == "title" and not has_container else None
        if (q and raw[q.start("rest")].isupper() and not _role_or_in(q.group("rest"))
                and next((x for _a, _b, x in out[i + 1:] if x != "other"), None) in _LOCATORS):
            # "‘Venezia nella storia urbana’, Urbanistica, 12": a quotation (single quotes too), then a name and a
            # volume or a year: the article's title and its periodical
            out[i : i + 1] = [(s, q.end("q"), "title"), (q.start("rest"), e, "container")]
            has_container = True
            continue
        if i + 1 == len(out):
            continue
        ns, ne, nlab = out[i + 1]
        words = [k for k, (a, b) in enumerate(inner) if raw[a].isalnum()]
        if len(words) < 2:
            continue
        last = inner[words[-1]]
        word = raw[last[0]:last[1]]
        cut = max((k for k, (a, b) in enumerate(inner) if raw[a:b] in ",(" and k < words[-1]), default=None)
        tail = _locator_spans(raw, inner[cut + 1:]) if cut is not None and cut > words[0] else None
        if nlab == "container" and word.lower() == "in":
            out[i] = (s, inner[words[-2]][1], lab)
        elif (nlab in ("volume", "issue", "pages") and lex.locator.get(word.lower()) and not raw[ns].isalpha()
              and raw[last[1]:e].strip() == "." and any(a == ns for a, _b in toks)):  # "pp." before "12", not "Beams13"
            out[i] = (s, inner[words[-2]][1], lab)
            out[i + 1] = (last[0], ne, nlab)
        elif (tail and (lab == "container" or (_roman_volume(raw, tail) and raw[inner[cut][0]] == ","))
              and {x for _a, _b, x in tail} <= {"volume", "issue"} and not any(x == "volume" for _a, _b, x in out)):
            # "in Storia del mondo moderno, VIII, Milano": the volume after the container's last comma; after a
            # title's only when it is a Roman numeral or has its volume word ("Annali della città, II, 299"): a bare
            # number there may be the title's own ("Studi, 2")
            before = max(k for k in words if k < cut)
            out[i : i + 1] = [(s, inner[before][1], lab), *tail]
        elif nlab == "date" and not has_place and places:
            if cut is None or cut < words[0] or (lab == "container" and raw[inner[cut][0]] != ","):
                continue
            part = inner[cut + 1:]
            first = next(k for k, (a, b) in enumerate(part) if raw[a].isalnum())
            if _bare(raw[part[first][0]:e]) in places:
                before = max(k for k in words if k < cut)
                out[i : i + 1] = [(s, inner[before][1], lab), (part[first][0], e, "place")]
                has_place = True
    # "…, a | cura di L. Rossi,": the "a" of the Italian role "a cura di" went to the span before (or to none)
    for i, (s, e, lab) in enumerate(out):
        if lab == "editor" and _CURA_RE.match(raw, s) and (a := _A_BEFORE_RE.search(raw, 0, s)):
            out[i] = (a.start("a"), e, lab)
            if i and out[i - 1][1] > a.start("a"):
                ps, _pe, plab = out[i - 1]
                out[i - 1] = (ps, len(raw[:a.start("a")].rstrip()), plab)
    # a medium after a journal's name ("IEEE Trans Rehabil Eng [Internet].", NLM) is no part of the name
    for i, (s, e, lab) in enumerate(out):
        if lab == "container" and (m := MEDIUM_TAIL_RE.search(raw[s:e].rstrip(" .,;:"))) and m.start() > 0:
            out[i] = (s, s + m.start(), lab)
    # once more at the end: "Il sale... cit., pp." gives its "pp." to the pages above, and only then ends in "cit."
    for i, (s, e, lab) in enumerate(out):
        if lab in ("title", "container") and (c := CIT_TAIL_RE.search(raw, s, e)) and any(
                ch.isalnum() for ch in raw[s:c.start()]):
            out[i] = (s, c.start(), lab)
    return out


def _names_run_on(raw: str, spans: list[tuple[int, int, str]], i: int) -> bool:
    """Whether span ``i`` is followed by an editor span that opens with a name, not a role word ("in : Rossi
    | M., Neri R. ed.,": the names began inside span ``i``; "in Libro, | a cura di X" names the host first)."""
    if i + 1 == len(spans) or spans[i + 1][2] != "editor":
        return False
    first = raw[spans[i + 1][0]:spans[i + 1][1]].split()[0]
    return first[:1].isupper() and role_of(first.strip(".,;:()[]")) is None


def _roman_volume(raw: str, tail: list[tuple[int, int, str]]) -> bool:
    """Whether the locator spans ``tail`` are one volume written as a Roman numeral or with its word ("II", "vol.
    3", "t. IV")."""
    if len(tail) != 1 or tail[0][2] != "volume":
        return False
    words = re.findall(r"\w+", raw[tail[0][0]:tail[0][1]])
    lex = lexicons()
    return any(lex.locator.get(w.lower()) == "volume" or w.lower() in _MORE_LOCATORS for w in words) or not any(
        c.isdigit() for c in raw[tail[0][0]:tail[0][1]])


def _role_or_in(text: str) -> bool:
    """Words after a quoted title that are not a journal: "In …", "Trans. by …", "Ed. …"."""
    first = text.split()[0].rstrip(".:").lower()
    return first == "in" or role_of(text.split()[0]) is not None


def _locator_spans(raw: str, toks: list[tuple[int, int]]) -> list[tuple[int, int, str]] | None:
    """Volume, issue and date spans of an unlabelled run like "anno LXIX, nn. 1-2, 1983", else None.

    Every word must be a number, a Roman numeral, a year, a month or a volume/issue word
    (``data/locator-words.txt``); a year (or the two digits after "1966-") is the date, a number
    after an issue word the issue, the first other number the volume and the next one the issue.
    A volume or issue word takes the label of the number it introduces; punctuation between two
    tokens of one label is inside the span.
    """
    lex = lexicons()
    kinds: list[str | None] = []
    pending: str | None = None  # the kind of the next number, after "vol.", "n." or "s."
    have: set[str] = set()
    for k, (a, b) in enumerate(toks):
        word = raw[a:b]
        low = word.lower()
        if not word[0].isalnum():
            if word in ",;(" and pending == "other":
                pending = None
            kinds.append(None)
            continue
        prev = raw[toks[k - 1][0]:toks[k - 1][1]] if k else ""
        if _YEAR_RE.fullmatch(word) or low in lex.month or (
                word.isdigit() and len(word) == 2 and prev in "-–/" and k > 1 and kinds[k - 2] == "date"):
            kinds.append("date")
        elif low in _SERIES_WORDS:  # "s. IV", "n. s.": the number of a series is no volume
            pending = "other"
            kinds.append("other")
        elif (kind := lex.locator.get(low) or _MORE_LOCATORS.get(low)) in ("volume", "issue"):
            pending = kind
            kinds.append("word")
        elif _is_number(word):
            if prev in "-–/" and k > 1 and kinds[k - 2] in ("volume", "issue"):
                kind = kinds[k - 2]
            elif pending:
                kind = pending
            else:
                kind = "volume" if "volume" not in have else "issue" if "issue" not in have else "other"
            pending = None
            have.add(kind)
            kinds.append(kind)
        else:
            return None
    if not any(k in ("volume", "issue", "date") for k in kinds):
        return None
    # a volume or issue word takes the label of the next number
    for k in range(len(kinds) - 1, -1, -1):
        if kinds[k] == "word":
            nxt = next((x for x in kinds[k + 1:] if x is not None), None)
            kinds[k] = nxt if nxt in ("volume", "issue") else "other"
    out: list[tuple[int, int, str]] = []
    last: str | None = None  # the label of the previous word
    for (a, b), kind in zip(toks, kinds, strict=True):
        if kind is None:
            continue
        if out and last == kind:
            out[-1] = (out[-1][0], b, kind)
        elif kind != "other":
            out.append((a, b, kind))
        last = kind
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


def splits(data: Path | None = None, notes: Path | None = None
           ) -> Iterator[tuple[str, list[Example], list[Example]]]:
    """Every public source, then the hand-written notes (``load_notes``), each as ``(source, train, dev)``."""
    for source in SOURCES:
        train, dev = split(load(source, data))
        yield source, train, dev
    train, dev = notes_split(load_notes(notes))
    yield "notes", train, dev


class MarkupError(ValueError):
    """A line of the notes file whose ``⟦label|text⟧`` markup does not parse; the message names the line."""


def parse_markup(line: str) -> tuple[str, list[tuple[int, int, str]]]:
    """``(raw, spans)`` of one marked-up line: the text without the markup, and character spans of every
    ``⟦label|text⟧`` plus an ``other`` span for each stretch of text between them (without its spaces).

    Raises ``ValueError`` on an unbalanced ``⟦``/``⟧``, a span without ``|``, an empty span or a label
    that is not one of ``LABELS``."""
    raw: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    length = 0

    def outside(text: str) -> None:
        nonlocal length
        start = length + len(text) - len(text.lstrip())
        end = length + len(text.rstrip())
        if end > start:
            spans.append((start, end, "other"))
        raw.append(text)
        length += len(text)

    while pos < len(line):
        m = _MARK_RE.search(line, pos)
        if m is None:
            outside(line[pos:])
            break
        if m.group() == "⟧":
            raise ValueError(f"'⟧' without its '⟦' at column {m.start() + 1}")
        outside(line[pos:m.start()])
        close = _MARK_RE.search(line, m.end())
        if close is None or close.group() == "⟦":
            raise ValueError(f"'⟦' at column {m.start() + 1} is not closed before "
                             + ("the next '⟦'" if close else "the end of the line"))
        body = line[m.end():close.start()]
        label, bar, text = body.partition("|")
        if not bar:
            raise ValueError(f"span at column {m.start() + 1} has no '|' between label and text")
        if label not in LABELS:
            raise ValueError(f"unknown label {label!r} at column {m.start() + 1}")
        if not text.strip() or text != text.strip():
            raise ValueError(f"span at column {m.start() + 1} is empty or starts or ends with a space")
        spans.append((length, length + len(text), label))
        raw.append(text)
        length += len(text)
        pos = close.end()
    return "".join(raw), spans


def load_notes(path: Path | None = None) -> list[Example]:
    """The hand-written note-style citations of ``tools/data/notes.txt`` (one a line, ``#`` comments and
    blank lines skipped) as Examples of source "notes". A malformed line raises ``MarkupError`` with
    its line number: a labelling slip must not train the model silently."""
    path = path or NOTES
    out: list[Example] = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                raw, spans = parse_markup(line.strip())
            except ValueError as exc:
                raise MarkupError(f"{path}:{number}: {exc}") from None
            if not any(lab != "other" for _s, _e, lab in spans):
                raise MarkupError(f"{path}:{number}: no labelled span")
            out.append(example("notes", raw, spans))
    return out


def is_notes_dev(raw: str) -> bool:
    """Whether a notes line belongs to dev: by a hash of its text alone, so the split of a line never
    depends on the lines around it or on how many there are."""
    return hashlib.sha256(raw.encode("utf-8")).digest()[0] % NOTES_DEV_SHARE == 0


def notes_split(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    """``(train, dev)`` of the notes: dev by ``is_notes_dev`` (the same text always lands on the same side)."""
    dev = [x for x in examples if is_notes_dev(x.raw)]
    train = [x for x in examples if not is_notes_dev(x.raw)]
    return train, dev


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
