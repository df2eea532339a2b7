"""PDF: text page by page (pypdf), then the plain-text reader's note logic, page-aware.

What this reader does, in order:

1. **Opens the file** with pypdf, non-strict. An encrypted PDF is tried with
   the empty password (most "protected" PDFs only restrict printing); a
   corrupt or truncated file, one that needs a password, or one whose every
   page fails becomes an ``InputError`` (P002). pypdf reports recoverable
   damage through ``logging`` and ``warnings``; both are captured while the
   file is read, so nothing reaches the terminal or turns into an exception
   under ``-W error``. At most ``MAX_PAGES`` pages are read (a P002 says so).
2. **Extracts each page's text** with ``extract_text`` in its default mode,
   with a visitor that records every text run's font size and baseline.
   Measured on ``references/sample.pdf``, on seed 004 typeset as a PDF (the
   test suite builds it) and on the pdfTeX and FOP manuals in
   ``/usr/share/doc``: ``extraction_mode="layout"`` pads justified lines with
   runs of spaces (5,462 runs of three or more in the 29-page zlib CRC
   paper), would set the columns of a two-column page side by side on one
   line, and on a superscript set with text rise (as Word writes note
   markers) it moved the marker to a line of its own and reordered the body
   lines around it. Neither mode keeps a footnote separator: in a PDF it is a
   drawn rule, not text, so neither mode's text alone gave the plain-text
   reader a single note of the sample (8) or of the typeset seed (48). The
   default mode keeps the reading order, and the visitor's sizes tell us more
   than layout's blank lines would: a note marker is a run of digits set
   smaller than its line and not lowered (written here as superscript digits,
   ``Point.¹``; not after a lone variable, ``x²``), and a page's footnotes
   are the lines at its bottom set smaller than the body. With them the
   reader finds all 8 and all 48 notes with their markers.
3. **Marks each page's notes area** with the separator line the plain-text
   reader knows (and drops page numbers and running heads), then hands the
   pages to ``text.parse_text`` with the line where each page starts, so a
   notes area always ends with its page and an unlabelled first line at the
   top of a page's notes continues the previous page's last note. On a
   two-column page the notes at the foot of the left column come between
   the columns' text; they are found by position (small print below the
   lines of its column, the next line back at the top, a label a marker in
   the body cites) and moved to the page's foot first.
4. **Uses the link annotations** (``/Annots``, ``/Subtype /Link`` with an
   ``/A /URI`` action). A text URL an annotation spells the same way is
   confirmed. One the text holds damaged or cut off is restored from the one
   annotation (over its note, else on its page) that it is the start of; one
   whose re-joining across a line break was ambiguous (a hyphen kept or
   dropped) or stopped short takes the annotation's spelling — each time a
   P001 says so, and with two candidates nothing is chosen. An annotated URL
   the text does not hold at all is added to the note whose lines it covers,
   or else as a body link. A URL that neither the text nor an annotation
   holds is never made up.

Locations are pages (SPEC: ``location.line`` is the page for PDF); a column,
where there is one, is the column in the extracted line.
"""

from __future__ import annotations

import copy
import io
import logging
import math
import re
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from verifier import budget
from verifier.citations.urls import damage, find_urls
from verifier.errors import InputError
from verifier.model import Diagnostic, Document, Hyperlink, Location, Note
from verifier.readers.text import parse_text

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

MAX_PAGES = 2000
"""Pages read from one PDF; past this a P002 says how many were left out."""

SEPARATOR = " " * 40
"""What the plain-text reader takes for the rule above a page's notes."""

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_MARKER_RUN = re.compile(r"\s*\d{1,3}\s*")
_NOTE_LABEL = re.compile(r"^\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}|\d{1,3})\.?\s+\S")
_ASCII = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*)?(?:\d{1,4}|[ivxlcdm]{1,6})(?:\s*[-–—])?\s*$", re.IGNORECASE)
_PUNCT_BEFORE_MARKER = frozenset(".,;:!?)]”’\"'")
_SMALL = 0.92  # a line set below this share of the body size is small print (notes)
_MARKER_SIZE = 0.8  # digits set below this share of their line's size are a marker


# --------------------------------------------------------------------------- opening


@contextmanager
def _quiet(notes: list[str]) -> Iterator[None]:
    """Collect pypdf's logged complaints and warnings instead of letting them reach the user."""

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            notes.append(record.getMessage())

    logger = logging.getLogger("pypdf")
    handler = _Collect(logging.WARNING)
    old_propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        notes.extend(str(w.message) for w in caught)
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate


_NEEDS_PASSWORD = "the PDF is encrypted and needs a password; save an unprotected copy to check it"


def _open(data: bytes, path: str) -> PdfReader:
    # Imported here: pypdf takes longer to import than a text file takes to check.
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    if b"%PDF-" not in data[:1024]:  # the header may follow a little junk, as readers allow
        raise InputError(path, "not a PDF file (no %PDF- header)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                decrypted = reader.decrypt("")
            except DependencyError as exc:
                raise InputError(path, f"the PDF is encrypted with a cipher not supported here ({exc})") from exc
            if not decrypted:
                raise InputError(path, _NEEDS_PASSWORD)
        count = len(reader.pages)
    except InputError:
        raise
    except FileNotDecryptedError as exc:
        raise InputError(path, _NEEDS_PASSWORD) from exc
    except PdfReadError as exc:
        raise InputError(path, f"a damaged or truncated PDF ({exc})") from exc
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds of error on malformed files
        raise InputError(path, f"a damaged or truncated PDF ({type(exc).__name__}: {exc})") from exc
    if count == 0:
        raise InputError(path, "the PDF has no pages")
    return reader


# --------------------------------------------------------------------------- extraction


@dataclass
class _Run:
    start: int
    end: int
    size: float
    y: float | None = None


@dataclass
class _Line:
    text: str
    runs: list[_Run] = field(default_factory=list)
    y: float | None = None

    @property
    def size(self) -> float:
        """The size most of the line's characters are set in (0 when unknown)."""
        weights: Counter[float] = Counter()
        for r in self.runs:
            weights[r.size] += len(self.text[r.start : r.end].strip())
        best = weights.most_common(1)
        return best[0][0] if best and best[0][1] else 0.0


@dataclass
class _Page:
    number: int
    lines: list[_Line]
    links: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)


def _size(cm: Sequence[float], tm: Sequence[float], font_size: float) -> float:
    scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
    return round(font_size * (scale or 1.0), 2)


_BOMB = "expands beyond the limit (possible decompression bomb)"


def _is_bomb(exc: BaseException) -> bool:
    from pypdf.errors import LimitReachedError

    return isinstance(exc, (LimitReachedError, MemoryError))


def _shared_page_lines(page: PageObject, seen: dict[tuple[object, ...], list[_Line]]) -> list[_Line]:
    """``_page_lines(page)``, parsed once for all pages that draw the same content streams with the same
    resources: a small hostile PDF whose 2,000 pages share one content stream of 100,000 operators must
    not be parsed 2,000 times. The streams are decoded first, so a decompression bomb raises pypdf's
    ``LimitReachedError`` here (its text extraction would swallow it and return nothing)."""
    from pypdf.generic import ArrayObject, IndirectObject

    raw = page.get("/Contents")
    refs = list(raw) if isinstance(raw, ArrayObject) else [raw] if raw is not None else []
    for ref in refs:
        stream = ref.get_object() if ref is not None else None
        if stream is not None and hasattr(stream, "get_data"):
            stream.get_data()  # (pypdf keeps the decoded data: the extraction below does not decode again)
    key: tuple[object, ...] | None = None
    if refs and all(isinstance(ref, IndirectObject) for ref in refs):
        resources = page.get("/Resources")
        key = (
            tuple((ref.idnum, ref.generation) for ref in refs),
            id(resources.get_object()) if resources is not None else None,
            page.get("/Rotate"),
        )
        if key in seen:
            return copy.deepcopy(seen[key])
    lines = _page_lines(page)
    if key is not None:
        seen[key] = copy.deepcopy(lines)
    return lines


def _page_lines(page: PageObject) -> list[_Line]:
    """The page's text as lines, each with the font size of its runs and its baseline."""
    lines = [_Line("")]

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], _font: Any, font_size: float) -> None:
        size = _size(cm, tm, font_size)
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        for i, piece in enumerate(text.split("\n")):
            if i:
                lines.append(_Line(""))
            if not piece:
                continue
            line = lines[-1]
            line.runs.append(_Run(len(line.text), len(line.text) + len(piece), size, y))
            line.text += piece
            if piece.strip() and line.y is None:
                line.y = y

    page.extract_text(visitor_text=visit)
    return [_mark_superscripts(line) for line in lines]


def _mark_superscripts(line: _Line) -> _Line:
    """Digits set well below their line's size, glued to a word or opening the line, as superscripts."""
    size = line.size
    if not size or len(line.runs) < 2:
        return line
    baseline = next((r.y for r in line.runs if r.size == size and r.y is not None), None)
    out: list[str] = []
    runs: list[_Run] = []
    pos = 0
    label = False  # a note's label opened the line: what follows is set apart by one space
    for k, r in enumerate(line.runs):
        piece = line.text[r.start : r.end]
        if label and piece.strip():
            piece, label = " " + piece.lstrip(), False
        opening = not any(p.strip() for p in out)
        small_digits = r.size < size * _MARKER_SIZE and _MARKER_RUN.fullmatch(piece)
        lowered = r.y is not None and baseline is not None and r.y < baseline - size * 0.05  # a subscript
        following = line.text[r.end : r.end + 1] if k + 1 < len(line.runs) else ""
        if (
            small_digits
            and not lowered
            and (opening or (_ends_word(out[-1]) and not following.isalnum()))  # "x²k" is an exponent
        ):
            piece = piece.strip().translate(_SUPERSCRIPT)
            label = opening
        runs.append(_Run(pos, pos + len(piece), r.size))
        out.append(piece)
        pos += len(piece)
    return _Line("".join(out), runs, line.y)


def _ends_word(text: str) -> bool:
    """Whether a note marker may follow ``text``: a word of two letters or more, or closing punctuation.

    Not ``x−`` nor a lone variable (``x³ + x² + 1``): those are exponents.
    """
    last = text[-1:]
    if last in _PUNCT_BEFORE_MARKER:
        return True
    word = re.search(r"[^\W\d_]+$", text)
    return word is not None and (len(word.group()) > 1 or word.group() in ("a", "I"))


def _page_links(page: PageObject) -> list[tuple[str, tuple[float, float, float, float]]]:
    """The page's URI link annotations as ``(uri, rect)``; anything malformed is skipped."""
    out: list[tuple[str, tuple[float, float, float, float]]] = []
    annots = page.get("/Annots")
    if annots is None:
        return out
    for ref in annots.get_object() or ():
        try:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            action = action.get_object() if action is not None else None
            if not action or "/URI" not in action:
                continue
            uri = action["/URI"]
            uri = uri.decode("latin-1") if isinstance(uri, bytes) else str(uri)
            uri = uri.strip()
            x1, y1, x2, y2 = (float(v) for v in annot.get("/Rect", (0, 0, 0, 0)))
        except Exception:  # noqa: BLE001, S112 - one broken annotation must not cost the page
            continue
        if re.match(r"https?://", uri, re.IGNORECASE):
            out.append((uri, (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))))
    return out


# --------------------------------------------------------------------------- page layout


def _body_size(pages: Sequence[_Page]) -> float:
    """The body text's size: the largest size that sets a fair share of the pages' upper halves.

    Not simply the commonest size: in a heavily annotated chapter the
    footnotes can outweigh the body, so only the upper half of each page
    (where footnotes are not) is counted; headings, larger, set little text.
    """
    weights: Counter[float] = Counter()
    for page in pages:
        ys = [line.y for line in page.lines if line.y is not None]
        middle = (min(ys) + max(ys)) / 2 if ys else None
        for line in page.lines:
            if middle is not None and line.y is not None and line.y < middle:
                continue
            for r in line.runs:
                weights[r.size] += len(line.text[r.start : r.end].strip())
    total = sum(weights.values())
    common = [size for size, n in weights.items() if n >= total * 0.2]
    return max(common) if common else 0.0


def _running_heads(pages: Sequence[_Page]) -> set[str]:
    """Lines that open or close many pages alike, digits aside: running heads and feet."""
    if len(pages) < 4:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        texts = [ln.text.strip() for ln in page.lines if ln.text.strip()]
        for t in {*texts[:1], *texts[-1:]}:
            counts[re.sub(r"\d+", "#", t)] += 1
    return {t for t, n in counts.items() if n >= max(3, len(pages) // 3) and len(t) < 100}


def _strip_furniture(page: _Page, heads: set[str]) -> list[_Line]:
    """The page without its page number and running heads (they are not text of the document)."""
    lines = [ln for ln in page.lines if ln.text.strip()]

    def furniture(line: _Line) -> bool:
        return bool(_PAGE_NUMBER.match(line.text)) or re.sub(r"\d+", "#", line.text.strip()) in heads

    for _ in range(2):
        if lines and furniture(lines[0]):
            lines.pop(0)
        if lines and furniture(lines[-1]):
            lines.pop()
    return lines


def _notes_start(lines: Sequence[_Line], body_size: float, notes_before: bool) -> int | None:
    """Where the page's footnotes begin: the trailing lines set smaller than the body.

    Small print at a page's bottom is footnotes when the labels opening its
    lines count up and one of them stands as a marker in the body above (so a
    table or a caption set small is not), or, with no label, when the page
    before ended in notes (a note continued).
    """
    if not body_size:
        return None
    start = len(lines)
    while start > 0 and 0 < lines[start - 1].size < body_size * _SMALL:
        start -= 1
    if start == len(lines):
        return None
    labels = [m.group(1).translate(_ASCII) for ln in lines[start:] if (m := _NOTE_LABEL.match(ln.text))]
    if not labels:
        return start if notes_before else None
    if any(int(b) <= int(a) for a, b in zip(labels, labels[1:], strict=False)):
        return None  # notes count up; "2 CARD16 …", "4 CARD32 …" is a table
    body = " ".join(ln.text for ln in lines[:start])
    if any(_cited(label, body) for label in labels):
        return start
    return None


def _column_feet(lines: Sequence[_Line], body_size: float) -> list[_Line]:
    """The page's lines with the footnotes at the foot of a column that is not the last moved to the end.

    On a two-column page the text comes column by column, so the notes at the foot of the left column
    stand between its last line and the right column's first. They are recognised by position, not by
    their words: a run of lines set smaller than the body, lower on the page than the lines of its
    column above it, followed by a line higher up (the next column's top), whose first line opens with
    a note's number that a marker in the page's body cites. They are moved after the page's own foot,
    before any notes there (the right column's), so the notes keep their order and the body its flow.
    """
    if not body_size or len(lines) < 3:
        return list(lines)

    def small(line: _Line) -> bool:
        return 0 < line.size < body_size * _SMALL

    moved: list[_Line] = []
    kept: list[_Line] = []
    column_top = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        previous = lines[i - 1] if i else None
        if previous is not None and line.y is not None and previous.y is not None and line.y > previous.y:
            column_top = len(kept)  # the text went back up: a new column
        if not small(line) or i == 0:
            kept.append(line)
            i += 1
            continue
        j = i
        while j < len(lines) and small(lines[j]):
            j += 1
        run, after = lines[i:j], lines[j] if j < len(lines) else None
        ys = [ln.y for ln in run]
        above = kept[column_top:]
        label = _NOTE_LABEL.match(run[0].text)
        if (
            after is not None and after.y is not None and None not in ys and label is not None
            and after.y > max(y for y in ys if y is not None)
            and above and all(ln.y is not None and ln.y > max(y for y in ys if y is not None) for ln in above)
            and _cited(label.group(1).translate(_ASCII), " ".join(ln.text for ln in lines if not small(ln)))
        ):
            moved.extend(run)
        else:
            kept.extend(run)
        i = j
    if not moved:
        return list(lines)
    foot = len(kept)
    while foot > 0 and small(kept[foot - 1]):
        foot -= 1
    return kept[:foot] + moved + kept[foot:]


def _cited(label: str, body: str) -> bool:
    """Whether ``body`` holds a marker for note ``label``: superscript, or digits glued to closing punctuation."""
    if label.translate(_SUPERSCRIPT) in body:
        return True
    return re.search(rf"(?<=[.,;:!?)\]”’\"']){label}(?!\d)", body) is not None


def _gap_breaks(lines: Sequence[_Line]) -> set[int]:
    """Indexes of lines that follow a vertical gap wider than the usual line spacing (a new paragraph)."""
    steps = [
        a.y - b.y
        for a, b in zip(lines, lines[1:], strict=False)
        if a.y is not None and b.y is not None and a.y > b.y
    ]
    if len(steps) < 2:
        return set()
    usual = sorted(steps)[len(steps) // 2]
    return {
        i + 1
        for i, (a, b) in enumerate(zip(lines, lines[1:], strict=False))
        if a.y is not None and b.y is not None and a.y - b.y > usual * 1.5
    }


@dataclass
class _Layout:
    text: str
    page_of_line: list[int]  # 1-based combined line number -> page (index 0 unused)
    page_starts: list[int]  # 0-based indexes of the lines that open a page
    note_lines: dict[int, float]  # combined line number -> baseline, for lines in notes areas


def _layout(pages: Sequence[_Page]) -> _Layout:
    body_size = _body_size(pages)
    heads = _running_heads(pages)
    out: list[str] = []
    page_of_line = [0]
    starts: list[int] = []
    note_lines: dict[int, float] = {}
    notes_before = False

    def emit(text: str, number: int, y: float | None = None, in_notes: bool = False) -> None:
        out.append(text)
        page_of_line.append(number)
        if in_notes and y is not None:
            note_lines[len(out)] = y

    for page in pages:
        lines = _column_feet(_strip_furniture(page, heads), body_size)
        if not lines:
            continue
        starts.append(len(out))
        notes_at = _notes_start(lines, body_size, notes_before)
        breaks = _gap_breaks(lines[:notes_at])
        for i, line in enumerate(lines):
            if i == notes_at:
                emit(SEPARATOR, page.number)
            elif i in breaks and i and (notes_at is None or i < notes_at):
                emit("", page.number)
            emit(line.text.rstrip(), page.number, line.y, notes_at is not None and i >= notes_at)
        notes_before = notes_at is not None
    return _Layout("\n".join(out), page_of_line, starts, note_lines)


# --------------------------------------------------------------------------- locations


def _to_page(loc: Location | None, pages: Sequence[int]) -> Location | None:
    if loc is None:
        return None
    return Location(pages[loc.line] if 0 < loc.line < len(pages) else loc.line, loc.column)


def _paged(doc: Document, pages: Sequence[int]) -> Document:
    """The document with every line number turned into its page number."""

    def page(loc: Location) -> Location:
        out = _to_page(loc, pages)
        assert out is not None
        return out

    return replace(
        doc,
        markers=tuple(replace(m, location=page(m.location)) for m in doc.markers),
        notes=tuple(replace(n, location=page(n.location)) for n in doc.notes),
        entries=tuple(replace(e, location=page(e.location)) for e in doc.entries),
        paragraphs=tuple(
            replace(p, lines=tuple((off, pages[ln] if 0 < ln < len(pages) else ln) for off, ln in p.lines))
            for p in doc.paragraphs
        ),
        diagnostics=tuple(replace(d, location=_to_page(d.location, pages)) for d in doc.diagnostics),
        links=tuple(replace(h, location=page(h.location)) for h in doc.links),
    )


# --------------------------------------------------------------------------- annotations


def _restored(bad: str, candidates: Sequence[str]) -> str | None:
    """The one annotation URI that a damaged text URL is the start of, if exactly one is."""
    stem = bad.split("\ufffd", 1)[0].rstrip("-") if "\ufffd" in bad else bad
    hits = {uri for uri in candidates if len(stem) > len("https://") + 3 and uri.startswith(stem) and uri != bad}
    if not hits and "://" in bad:
        # A host cut short ("http://russian/…" for "http://russian.rt.com/…"): same scheme and path.
        scheme, _, rest = bad.partition("://")
        host, _, tail = rest.partition("/")
        hits = {
            uri for uri in candidates
            if uri.startswith(f"{scheme}://{host}") and uri.partition("://")[2].partition("/")[2] == tail
            and tail
        }
    return hits.pop() if len(hits) == 1 else None


def _respelled(url: str, candidates: Sequence[str]) -> str | None:
    """The annotation URI that differs from ``url`` only by a hyphen at a line break."""
    bare = url.replace("-", "")
    hits = {uri for uri in candidates if uri != url and uri.replace("-", "") == bare}
    return hits.pop() if len(hits) == 1 else None


def _spread(url: str, candidates: Sequence[str], text: str) -> tuple[str, re.Match[str]] | None:
    """The annotation URI that ``url`` is the start of and that ``text`` holds whole, spread over lines.

    (The re-joining stopped at a line break it could not be sure of; the annotation settles it.)
    """
    hits = []
    for uri in dict.fromkeys(candidates):
        if uri.startswith(url) and uri != url:
            m = re.search(r"\s*".join(map(re.escape, uri)), text)
            if m:
                hits.append((uri, m))
    return hits[0] if len(hits) == 1 else None


def _same(a: str, b: str) -> bool:
    return a.rstrip("/").lower() == b.rstrip("/").lower()


def _use_annotations(doc: Document, layout: _Layout, pages: Sequence[_Page]) -> Document:
    """Confirm, restore and add URLs from the link annotations (``doc`` still has line numbers)."""
    by_page = {p.number: p.links for p in pages}
    if not any(by_page.values()):
        return doc
    page_of = layout.page_of_line
    notes = list(doc.notes)
    diagnostics = list(doc.diagnostics)
    said: list[Diagnostic] = []
    in_text: set[str] = set()

    spans = _note_spans(notes, layout)
    owners: dict[int, list[str]] = {}  # note index -> the URIs of the annotations over its lines
    for page in pages:
        for uri, rect in page.links:
            owner = _note_under(rect, page.number, spans)
            if owner is not None:
                owners.setdefault(owner, []).append(uri)
    for k, note in enumerate(notes):
        number = page_of[note.location.line]
        candidates = [uri for uri, _ in by_page.get(number, []) + by_page.get(number + 1, [])]
        text, urls, damaged = note.text, list(note.urls), list(note.damaged_urls)
        for bad in note.damaged_urls:
            fixed = _restored(bad, owners.get(k, [])) or _restored(bad, candidates)
            if fixed is None:
                continue
            text = text.replace(bad, fixed, 1)
            damaged.remove(bad)
            if fixed not in urls:
                urls.append(fixed)
            diagnostics = [d for d in diagnostics if not (d.code == "F004" and d.url == bad and d.note == note.label)]
            said.append(_said(note, bad, fixed, "is damaged in the text"))
        for i, url in enumerate(urls):
            if any(_same(url, c) for c in candidates):
                continue
            fixed = _respelled(url, candidates)
            if fixed is not None:
                text = text.replace(url, fixed, 1)
                urls[i] = fixed
                said.append(_said(note, url, fixed, "is re-joined ambiguously across a line break"))
                continue
            spread = _spread(url, candidates, text)
            if spread is not None:
                fixed, m = spread
                text = text[: m.start()] + fixed + text[m.end() :]
                urls[i] = fixed
                said.append(_said(note, url, fixed, "is cut short at a line break in the text"))
        in_text.update(u.lower().rstrip("/") for u in urls)
        if text != note.text:
            notes[k] = replace(note, text=text, urls=tuple(urls), damaged_urls=tuple(damaged))

    for para in doc.paragraphs:
        in_text.update(u.lower().rstrip("/") for _, _, u in find_urls(para.text))
    links = list(doc.links)
    first_line = {number: i for i, number in reversed(list(enumerate(page_of))) if i}
    for page in pages:
        for uri, rect in page.links:
            key = uri.lower().rstrip("/")
            if key in in_text:
                continue
            in_text.add(key)
            owner = _note_under(rect, page.number, spans)
            if owner is not None:
                note = notes[owner]
                notes[owner] = replace(note, text=f"{note.text} {uri}", urls=(*note.urls, uri))
            elif damage(uri) is None:
                links.append(Hyperlink(uri, Location(first_line.get(page.number, 1)), ""))
    return replace(doc, notes=tuple(notes), diagnostics=tuple(diagnostics) + tuple(said), links=tuple(links))


def _said(note: Note, old: str, new: str, why: str) -> Diagnostic:
    return Diagnostic(
        "P001",
        f"The URL of note {note.label} {why} ({old}); the PDF's link annotation for it gives {new}, "
        "which is used instead.",
        note.location,
        url=new,
        suggestion="Check the URL in the document's source and fix the text if it is wrong there too.",
    )


_Spans = dict[int, list[tuple[float, float, int]]]


def _note_spans(notes: Sequence[Note], layout: _Layout) -> _Spans:
    """For each page, the height each note's lines span on it, as ``(lowest, highest, note index)``.

    A note's lines run from its label to the next note's label, so the top of a
    notes area (a note run on from the page before) belongs to that note.
    """
    page_of = layout.page_of_line
    starts = sorted((n.location.line, k) for k, n in enumerate(notes))
    spans: _Spans = {}
    for j, (line, k) in enumerate(starts):
        end = starts[j + 1][0] if j + 1 < len(starts) else len(page_of)
        per_page: dict[int, list[float]] = {}
        for i in range(line, end):
            if i in layout.note_lines:
                per_page.setdefault(page_of[i], []).append(layout.note_lines[i])
        for number, ys in per_page.items():
            spans.setdefault(number, []).append((min(ys), max(ys), k))
    return spans


def _note_under(rect: tuple[float, float, float, float], number: int, spans: _Spans) -> int | None:
    """The index of the note whose lines on page ``number`` the annotation's rectangle covers."""
    middle = (rect[1] + rect[3]) / 2
    for low, high, k in spans.get(number, ()):
        if low - 3 <= middle <= high + 12:
            return k
    return None


# --------------------------------------------------------------------------- entry point


def read(data: bytes, path: str) -> Document:
    """Read a PDF: its text page by page, its notes, markers and link annotations."""
    complaints: list[str] = []
    with _quiet(complaints):
        reader = _open(data, path)
        total = len(reader.pages)
        pages: list[_Page] = []
        failed: list[int] = []
        bombs: list[int] = []
        seen: dict[tuple[object, ...], list[_Line]] = {}
        stopped: int | None = None
        for index in range(min(total, MAX_PAGES)):
            if index and budget.expired():
                stopped = index  # pages read so far are kept; a P001 says where reading stopped
                break
            try:
                page = reader.pages[index]
                pages.append(_Page(index + 1, _shared_page_lines(page, seen), _page_links(page)))
            except Exception as exc:  # noqa: BLE001 - a page pypdf cannot decode is reported, the rest are read
                (bombs if _is_bomb(exc) else failed).append(index + 1)
    if bombs and len(bombs) + len(failed) == min(total, MAX_PAGES):
        raise InputError(path, f"the compressed content of the PDF {_BOMB}")
    if len(failed) == min(total, MAX_PAGES):
        why = f" ({complaints[0]})" if complaints else ""
        raise InputError(path, f"no page of the PDF could be decoded (a damaged file?){why}")
    if not any(line.text.strip() for page in pages for line in page.lines):
        raise InputError(
            path, "the PDF has no text layer (a scan?); OCR it first (for example with ocrmypdf) and check the result"
        )
    layout = _layout(pages)
    doc = parse_text(layout.text, path, "pdf", page_starts=layout.page_starts)
    doc = _use_annotations(doc, layout, pages)
    doc = _paged(doc, layout.page_of_line)
    extra = list(_reading_problems(total, failed, pages, bombs))
    if stopped is not None:
        extra.append(Diagnostic(
            "P001",
            f"Only the first {stopped} of the PDF's {total} pages were read within --document-timeout "
            f"({budget.seconds() or 0:g} s); the rest is not in this report.",
            Location(stopped + 1),
            suggestion="Check the PDF for pages that are costly to read, or raise --document-timeout.",
        ))
    return replace(doc, diagnostics=doc.diagnostics + tuple(extra)) if extra else doc


def _reading_problems(
    total: int, failed: Sequence[int], pages: Sequence[_Page], bombs: Sequence[int] = ()
) -> Iterator[Diagnostic]:
    if bombs:
        shown = ", ".join(str(n) for n in bombs[:10]) + (", …" if len(bombs) > 10 else "")
        yield Diagnostic(
            "P002",
            f"{len(bombs)} page{'s' if len(bombs) > 1 else ''} of the PDF ({shown}) {_BOMB}; "
            f"{'their' if len(bombs) > 1 else 'its'} text was not read.",
            Location(bombs[0]),
            suggestion="Check where the PDF comes from; a genuine one can be printed to a new PDF and checked again.",
        )
    if total > MAX_PAGES:
        yield Diagnostic(
            "P002",
            f"Only the first {MAX_PAGES} of the PDF's {total} pages were read.",
            Location(MAX_PAGES),
            suggestion="Split the PDF and check the parts separately.",
        )
    if failed:
        shown = ", ".join(str(n) for n in failed[:10]) + (", …" if len(failed) > 10 else "")
        yield Diagnostic(
            "P002",
            f"{len(failed)} page{'s' if len(failed) > 1 else ''} of the PDF could not be decoded ({shown}); "
            f"{'their' if len(failed) > 1 else 'its'} notes and citations are missing from this report.",
            Location(failed[0]),
            suggestion="Repair the PDF (for example by printing it to a new PDF) and check it again.",
        )
    blank = [p.number for p in pages if not any(ln.text.strip() for ln in p.lines)]
    if blank and len(blank) * 2 >= len(pages):
        yield Diagnostic(
            "P002",
            f"{len(blank)} of {len(pages)} pages have no text layer (scanned?); OCR them first.",
            Location(blank[0]),
            suggestion="Run OCR on the PDF (for example ocrmypdf) and check the result.",
        )
