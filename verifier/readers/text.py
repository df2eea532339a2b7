"""Plain text: PDF-extracted chapters, articles with endnote lists, news copy.

What this reader recognises, in the order it looks:

* **Page-bottom footnotes** (text extracted from a PDF page by page): a line
  of nothing but spaces (or a rule of ``_``/``—``) separates the body from the
  page's notes; a note starts with its number (``12 Author, “Title,” …``) and
  runs until the next number, the next page's body (which extraction starts
  with a space, or after a bare page number) or the list of link annotations
  that PDF extraction leaves after the notes (bare URLs repeating ones already
  cited — they are not new citations). Unlabelled text at the top of a notes
  area continues the previous note, unless a note number is missing there and
  its marker stands in the body: then the text is that note's surviving tail
  (reported as P001).
* **A trailing notes or reference list** under a heading (``Notes``,
  ``Endnotes``, ``References``, ``Bibliography``, ``REFERENCE``…): numbered
  (``12.``, ``[12]``), bulleted or one per paragraph. With note markers in the
  body it is an endnote list, matched to the markers by number or by order;
  without, a bibliography. The pages' notes areas are found first, so a list
  that runs over a page's foot leaves that page's footnotes out, and a notes
  area ends at such a heading. A document with page footnotes *and* a list
  under a references heading has two numberings (footnotes 1…n, entries
  [1]…[m]): the list is its bibliography, each bracketed ``[n]`` in the body
  cites entry n (a key, so M004/M005 apply), and the labels never meet.
* **Note markers** in the body: superscript digits (``¹²``), digits glued to
  punctuation (``Badakhshan).1``, ``border.”7``) when they fit the note
  numbering, and bracketed numbers (``[12]``, ``[3-5]``).
* **The body** as paragraphs (hyphenation undone, broken URLs re-joined), in
  which the pipeline looks for bare URLs and inline attributions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from verifier.citations.urls import join_lines_with_offsets
from verifier.model import Diagnostic, Document, Entry, KeyCite, Location, Marker, Paragraph
from verifier.readers.builder import LIST_ITEM_RE, UNIT_BEFORE, DocumentBuilder, Hyphenation, RawNote, make_note
from verifier.readers.decoding import decode
from verifier.readers.sections import BACK_MATTER_RE, HEADING_RE, is_note_heading, note_like

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# Digits glued to the punctuation that ends a word, sentence or quotation.
_DIGIT_RUN = re.compile(r"[0-9⁰¹²³⁴⁵⁶⁷⁸⁹]+")  # one class: three times faster than an alternation
_MIXED_RUN = re.compile(r"[0-9]+|[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_MARKER_PUNCT = ".,;:!?)]”’\"'"
_MARKER_END = re.compile(r"[\s,;:)\]]|$|\.(?:\s|$)")
_CLOSERS = ")]”’\"'"
_BRACKET_RE = re.compile(r"\[(\d{1,4}(?:\s*[,–-]\s*\d{1,4})*)\]")
_BULLET_RE = re.compile(r"^\s*[-*•–]\s+(\S.*)$")
_FOOTNOTE_RE = re.compile(r"^([0-9]{1,3}|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})\s+(\S.*)$")
_SEPARATOR_RE = re.compile(r"^(?:[ \t]{20,}|\s*[_—–-]{5,}\s*)$")
_PAGE_NUMBER_RE = re.compile(r"^\s*\d{1,4}\s*$")


def read(data: bytes, path: str) -> Document:
    """Read a plain-text document."""
    return parse_text(decode(data, path), path)


# --------------------------------------------------------------------------- pages


@dataclass
class _Fragment:
    """Unlabelled text at the top of a notes area."""

    after: str | None
    line: int
    lines: list[str] = field(default_factory=list)


@dataclass
class _Pages:
    body: list[tuple[int, str] | None] = field(default_factory=list)
    notes: list[RawNote] = field(default_factory=list)
    fragments: list[_Fragment] = field(default_factory=list)
    area: set[int] = field(default_factory=set)
    """Line numbers of the notes areas: their separators, notes and the blank lines among them."""


def _squash(text: str) -> str:
    return "".join(text.split())


def _next_label_ok(label: int, last: int, rest: str) -> bool:
    if label == last + 1:
        return True
    # A note whose label was lost in extraction leaves a gap; accept a small one
    # only when the text starts the way notes start.
    return last + 1 < label <= last + 3 and opens_like_a_note(rest)


_NOTE_OPENERS = "“”„‟\"‘’‚'«»‹›([{¿¡*†‡§"


def opens_like_a_note(rest: str) -> bool:
    """Whether text opens the way a note does: any capital letter (``Élise``, ``Ørsted``, ``Σ``), a digit, a
    quotation mark or a bracket (``“Title,”``, ``[Anon.]``, ``«Titre»``)."""
    first = rest[:1]
    return bool(first) and (first.isupper() or first.isdigit() or first in _NOTE_OPENERS)


def _scan_pages(lines: Sequence[str], page_starts: Sequence[int] = ()) -> _Pages:
    """Split PDF-extracted text into body lines and page-bottom notes.

    ``page_starts`` (0-based line indexes) says where pages begin when the
    caller knows (the PDF reader): a notes area then ends exactly with its page.
    Without it a page's start is recognised the way extraction leaves it: a
    line that starts with a space after the notes, or a bare page number.
    """
    pages = _Pages()
    known_starts = frozenset(page_starts)
    in_notes = False
    area_text = ""  # squashed text of the notes in the current notes area (for annotations)
    after_annotations = False
    prev_annotation = False
    current: RawNote | _Fragment | None = None
    last_label = 0
    n = len(lines)
    for i, line in enumerate(lines):
        lineno = i + 1
        stripped = line.strip()
        if _is_separator(line, stripped):
            pages.area.add(lineno)
            while pages.body and pages.body[-1] is None:
                pages.body.pop()  # the paragraph may go on after the notes
            in_notes, after_annotations, prev_annotation = True, False, False
            current = pages.notes[-1] if pages.notes else None
            area_text = _squash(" ".join(current.lines)) if isinstance(current, RawNote) else ""
            current = None
            continue
        if in_notes and known_starts and i in known_starts:
            in_notes, current = False, None  # the page ended: its notes area with it
            if stripped:
                _resume_body(pages.body, lineno, line)
            continue
        if not in_notes:
            if not stripped:
                pages.body.append(None)
            elif stripped.isdigit() and len(stripped) <= 4 and _blank_around(lines, i):
                pages.body.append(None)
            else:
                pages.body.append((lineno, line))
            continue
        # ---- inside a notes area
        pages.area.add(lineno)
        if not stripped:
            continue
        if stripped.isdigit() and len(stripped) <= 4:
            in_notes = False
            pages.area.discard(lineno)
            pages.body.append(None)
            continue
        if len(stripped) <= 40 and HEADING_RE.match(stripped):
            # a "References" or "Notes" heading opens a section: no page's footnote holds one
            in_notes, current = False, None
            pages.area.discard(lineno)
            pages.body.extend((None, (lineno, line)))
            continue
        m = _FOOTNOTE_RE.match(line)
        if m:
            label = int(m.group(1).translate(_SUPERSCRIPT))
            if _next_label_ok(label, last_label, m.group(2)):
                current = RawNote(str(label), lineno, [m.group(2)])
                pages.notes.append(current)
                last_label = label
                area_text += _squash(m.group(2))
                prev_annotation = after_annotations = False
                continue
        if " " not in stripped and (
            stripped.lower().startswith(("http", "www.")) or prev_annotation
        ) and stripped in area_text:
            prev_annotation = after_annotations = True
            continue
        prev_annotation = False
        starts_page = not known_starts and line[:1].isspace() and not _next_nonblank_starts_with_space(lines, i, n)
        if after_annotations or starts_page:
            in_notes = False
            pages.area.discard(lineno)
            _resume_body(pages.body, lineno, line)
            continue
        if current is None:
            last = pages.notes[-1].label if pages.notes else None
            current = _Fragment(last, lineno)
            pages.fragments.append(current)
        current.lines.append(line)
        area_text += _squash(line)
    return pages


def _is_separator(line: str, stripped: str) -> bool:
    """A line of nothing but spaces (as PDF extraction leaves above a page's notes) or a rule."""
    if not stripped:
        return len(line) >= 20 and line.strip(" \t") == ""
    return len(stripped) >= 5 and stripped[0] in "_—–-" and bool(_SEPARATOR_RE.match(line))


def _resume_body(body: list[tuple[int, str] | None], lineno: int, line: str) -> None:
    """Continue the body after a notes area: the same paragraph unless the last one had ended."""
    last = body[-1] if body else None
    if last is not None and re.search(r"[.!?][”’\"')]?\d*\s*$", last[1]) and line.strip()[:1].isupper():
        body.append(None)
    body.append((lineno, line))


def _blank_around(lines: Sequence[str], i: int) -> bool:
    before = i == 0 or not lines[i - 1].strip()
    after = i + 1 >= len(lines) or not lines[i + 1].strip()
    return before or after


def _next_nonblank_starts_with_space(lines: Sequence[str], i: int, n: int) -> bool:
    for j in range(i + 1, min(n, i + 4)):
        if lines[j].strip():
            return lines[j][:1].isspace() and not _SEPARATOR_RE.match(lines[j])
    return False


# --------------------------------------------------------------------------- lists


def _find_list_heading(lines: Sequence[str]) -> tuple[int, str] | None:
    """The last notes/references heading with content after it."""
    for i in range(len(lines) - 1, -1, -1):
        if len(lines[i]) > 40:
            continue  # headings are short; most lines are not
        m = HEADING_RE.match(lines[i])
        if m and any(line.strip() for line in lines[i + 1 :]):
            return i, " ".join(m.group(1).lower().split())
    return None


def _trailing_prose(lines: Sequence[str], start: int, end: int) -> int:
    """Where prose after a numbered list begins: two or more paragraphs after the last numbered item's own
    that carry no number and cite nothing (a call for papers after the endnotes) are body, not that note."""
    last = None
    for i in range(start, end):
        if LIST_ITEM_RE.match(lines[i]) or _FOOTNOTE_RE.match(lines[i].strip()):
            last = i
    if last is None:
        return end
    i = last
    while i < end and lines[i].strip():
        i += 1  # the last item's own paragraph
    blocks: list[tuple[int, str]] = []
    while i < end:
        while i < end and not lines[i].strip():
            i += 1
        if i >= end:
            break
        first = i
        while i < end and lines[i].strip():
            i += 1
        blocks.append((first, " ".join(line.strip() for line in lines[first:i])))
    if len(blocks) >= 2 and not note_like([text for _, text in blocks]):
        return blocks[0][0]
    return end


def _back_matter(lines: Sequence[str], start: int) -> int:
    """Where an appendix after a references or notes list begins (``len(lines)`` when none does)."""
    for i in range(start, len(lines)):
        if len(lines[i]) <= 80 and BACK_MATTER_RE.match(lines[i]) and (i + 1 >= len(lines) or not
                                                                         LIST_ITEM_RE.match(lines[i])):
            return i
    return len(lines)


def _parse_list(lines: Sequence[str], first_lineno: int, diagnostics: list[Diagnostic] | None = None) -> list[RawNote]:
    """Items of a notes/reference list: numbered, bulleted, or one per paragraph.

    In a list numbered without dots, a line that opens like a note with a number out of the run is kept as
    text of the note before it and reported (P001): it may be a note whose number was misprinted."""
    items: list[RawNote] = []
    current: RawNote | None = None
    blank_since = True
    numbered = sum(1 for line in lines if LIST_ITEM_RE.match(line)) >= 2
    bare = not numbered and _bare_numbered(lines)
    last = 0
    for offset, line in enumerate(lines):
        lineno = first_lineno + offset
        if not line.strip():
            blank_since = True
            continue
        m = LIST_ITEM_RE.match(line) if numbered else None
        b = _BULLET_RE.match(line)
        f = _FOOTNOTE_RE.match(line.strip()) if bare else None
        if f and _next_label_ok(int(f.group(1).translate(_SUPERSCRIPT)), last, f.group(2)):
            last = int(f.group(1).translate(_SUPERSCRIPT))
            current = RawNote(str(last), lineno, [f.group(2)])
        elif bare and current is not None:
            current.lines.append(line)  # a line of the note before (a number that breaks the run is its text)
            if f and int(f.group(1).translate(_SUPERSCRIPT)) > last and opens_like_a_note(f.group(2)) \
                    and diagnostics is not None:
                diagnostics.append(
                    Diagnostic(
                        "P001",
                        f"A line opens with the number {f.group(1)} where note {last + 1} was expected "
                        f"(“{_preview(line)}”); it was read as part of note {current.label}.",
                        Location(lineno),
                        note=current.label,
                        suggestion="Check the numbering of the notes list.",
                    )
                )
            blank_since = False
            continue
        elif m:
            current = RawNote(m.group(1) or m.group(2), lineno, [m.group(3)])
        elif b:
            current = RawNote("", lineno, [b.group(1)])
        elif current is None or (blank_since and not numbered):
            current = RawNote("", lineno, [line])
        else:
            current.lines.append(line)
            blank_since = False
            continue
        items.append(current)
        blank_since = False
    if not numbered and not bare:
        for k, item in enumerate(items, 1):
            item.label = str(k)
    return items


def _bare_numbered(lines: Sequence[str]) -> bool:
    """A list of notes numbered without a dot (``1 John Smith, …``, ``2 Élise Moreau, …``): at least two lines
    open with numbers that run from 1 the way note numbers do."""
    last = found = 0
    for line in lines:
        m = _FOOTNOTE_RE.match(line.strip())
        if m and _next_label_ok(label := int(m.group(1).translate(_SUPERSCRIPT)), last, m.group(2)):
            last, found = label, found + 1
            if found >= 2:
                return True
    return False


# --------------------------------------------------------------------------- markers


def find_markers(text: str, max_label: int | None, last: int = 0) -> list[tuple[int, str]]:
    """Note markers in a paragraph as ``(offset, label)``, in order.

    Superscripts are taken as they are (but not after a number or a unit:
    ``km²``); bracketed numbers (``[12]``, ``[3-5]``) and digits glued to the
    punctuation that ends a word (``Badakhshan).1``, ``border.”7``) only when
    a note list exists and the number fits in it; digits glued to a number's
    punctuation (``in 1914.10 The``) only when they are the next label — so
    ``7.5 million`` is no marker. One pass over the runs of digits: prose has few.
    """
    found: list[tuple[int, str]] = []
    limit = (max_label or 0) + 3
    bracket_end = -1
    for m in _digit_runs(text):
        start, run = m.start(), m.group()
        if start < bracket_end:
            continue
        prev = text[start - 1] if start else ""
        if run[0] in _SUPERSCRIPT_DIGITS:
            if not UNIT_BEFORE.search(text, max(0, start - 3), start):
                found.append((start, str(int(run.translate(_SUPERSCRIPT)))))
            continue
        if not max_label or len(run) > 3 or prev.isdigit():
            continue
        if prev == "[":
            b = _BRACKET_RE.match(text, start - 1)
            if b:
                bracket_end = b.end()
                numbers = _expand(b.group(1))
                # "1[89]" or "[0-9]" is a character class in a pattern, not a citation of notes
                if numbers and numbers[0] > 0 and not text[start - 2 : start - 1].isdigit():
                    found.extend((start - 1, str(n)) for n in numbers if 1 <= n <= limit)
            continue
        if prev not in _MARKER_PUNCT or not _MARKER_END.match(text, m.end()):
            continue
        label = int(run)
        before = text[start - 2] if start >= 2 else ""
        if before.isdigit():
            j = start - 2
            while j > 0 and text[j - 1].isdigit():
                j -= 1
            if start - 1 - j < 2 or text[j - 1 : j] == ".":
                continue  # "Figure 5.5", "section 4.2.10": a number of a figure or section, not a marker
            previous = int(found[-1][1]) if found else last
            if label == previous + 1:
                found.append((start, run))
            continue
        # "word.12", "word”12" or "word).12"/"word.”12": a word ends, then its punctuation. Not after a lone
        # letter: "section A.10" is a number (an abbreviation's last letter, "U.S.4", still takes a marker)
        lone = before.isalpha() and prev == "." and not (text[start - 3 : start - 2].isalpha()
                                                         or text[start - 3 : start - 2] == ".")
        glued = (before.isalpha() and not lone) or (before in _CLOSERS and prev in ".,;:!?") or (
            before in ".,;:!?)" and prev in _CLOSERS
        )
        if glued and 1 <= label <= limit:
            found.append((start, str(label)))
    return found


def _digit_runs(text: str) -> Iterator[re.Match[str]]:
    """Runs of digits, a run of ASCII digits and one of superscripts apart ("2²" is two runs)."""
    for m in _DIGIT_RUN.finditer(text):
        run = m.group()
        if run.isascii() or not any(ch.isascii() for ch in run):
            yield m
        else:
            yield from _MIXED_RUN.finditer(text, m.start(), m.end())


def _expand(spec: str) -> list[int]:
    out: list[int] = []
    for part in re.split(r"\s*,\s*", spec):
        bounds = re.split(r"\s*[–-]\s*", part)
        if len(bounds) == 2 and bounds[0] and bounds[1] and int(bounds[0]) <= int(bounds[1]) <= int(bounds[0]) + 50:
            out.extend(range(int(bounds[0]), int(bounds[1]) + 1))
        elif bounds[0]:
            out.append(int(bounds[0]))
    return out


# --------------------------------------------------------------------------- assembly


def _paragraphs(body: Iterable[tuple[int, str] | None], hyph: Hyphenation) -> list[tuple[str, list[tuple[int, int]]]]:
    paras: list[tuple[str, list[tuple[int, int]]]] = []
    chunk: list[tuple[int, str]] = []

    def flush() -> None:
        if chunk:
            text, starts = join_lines_with_offsets([line for _, line in chunk], hyph)
            positions = [(s, ln) for s, (ln, _) in zip(starts, chunk, strict=True) if s is not None]
            paras.append((text, positions))
            chunk.clear()

    for item in body:
        if item is None:
            flush()
        elif item[1].strip():
            chunk.append(item)
    flush()
    return paras


def parse_text(text: str, path: str, fmt: str = "text", page_starts: Sequence[int] = ()) -> Document:
    """Build a Document from decoded plain text (also used by the PDF reader).

    ``page_starts`` are the 0-based indexes of the lines that open a page, when
    the caller knows them (the PDF reader does): notes areas then end with their page.
    """
    lines = re.split(r"\r\n|\r|\n", text)
    # The pages' notes areas first: a list under "References" may run over a page whose foot holds a
    # footnote, and that footnote is a note of its own, not the tail of the list's last item.
    pages = _scan_pages(lines, page_starts)
    listable = [("" if i in pages.area else line) for i, line in enumerate(lines, 1)] if pages.area else lines
    heading = _find_list_heading(listable)
    out = DocumentBuilder(path, fmt)
    diagnostics = out.diagnostics
    listed: list[RawNote] = []
    end = len(lines)
    if heading:
        end = _back_matter(listable, heading[0] + 1)
        end = _trailing_prose(listable, heading[0] + 1, end)
        listed = _parse_list(listable[heading[0] + 1 : end], heading[0] + 2, diagnostics)
        before = sum(1 for line in listable[: heading[0]] if line.strip())
        after = sum(1 for line in listable[heading[0] + 1 : end] if line.strip())
        if (is_note_heading(heading[1]) or after > before) and not note_like(
                [" ".join(item.lines) for item in listed]):
            # "Notes" over items that cite nothing (a list of applications, steps, people), or a "Reference"
            # heading with more after it than before that cites nothing (a manual's title page): body text
            heading, listed, end = None, [], len(lines)
            diagnostics.clear()
    if heading:  # the list's lines leave the body (line numbers stay); an appendix after it is body again
        pages.body = [None if item is not None and heading[0] < item[0] <= end else item for item in pages.body]
    hyph = Hyphenation(text)

    raw_notes = pages.notes

    numeric = [int(n.label) for n in raw_notes + listed if n.label.isdigit()]
    max_label = max(numeric) if numeric else None
    paras = _paragraphs(pages.body, hyph)
    markers = out.markers
    bracketed: list[Marker] = []  # [12]: a note's marker, or the number of a reference-list entry
    last_label = 0
    for ptext, positions in paras:
        found = find_markers(ptext, max_label, last_label)
        numeric_found = [int(label) for _, label in found if label.isdigit()]
        last_label = numeric_found[-1] if numeric_found else last_label
        para = Paragraph(ptext, tuple(positions), tuple(found))
        out.paragraphs.append(para)
        for off, label in found:
            marker = Marker(label, para.location_at(off))
            markers.append(marker)
            if ptext[off] == "[":
                bracketed.append(marker)

    # Unlabelled fragments: a lost note's tail, or the previous note continued.
    marker_labels = {m.label for m in markers}
    by_label = {n.label: n for n in raw_notes}
    order = [n.label for n in raw_notes]
    for frag in pages.fragments:
        prev = frag.after
        idx = order.index(prev) + 1 if prev in order else 0
        nxt = order[idx] if idx < len(order) else None
        lost = str(int(prev) + 1) if prev and prev.isdigit() else "1"
        gap_of_one = nxt is not None and nxt.isdigit() and int(nxt) - int(lost) == 1
        if gap_of_one and lost in marker_labels and lost not in by_label:
            recovered = RawNote(lost, frag.line, frag.lines)
            raw_notes.insert(idx, recovered)
            order.insert(idx, lost)
            by_label[lost] = recovered
            diagnostics.append(
                Diagnostic(
                    "P001",
                    f"Note {lost} lost its number and opening lines in text extraction; only its tail survives "
                    f"(“{_preview(' '.join(frag.lines))}”), attached to marker {lost}.",
                    Location(frag.line),
                    note=lost,
                    suggestion=f"Restore the full text of note {lost} from the original document.",
                )
            )
        elif prev is not None:
            by_label[prev].lines.extend(frag.lines)
        else:
            raw_notes.insert(0, RawNote("", frag.line, frag.lines))
            order.insert(0, "")

    endnotes = False
    if listed:
        # markers before the list make it notes (digits in an appendix after it do not: "A.1 Lemma")
        before = heading[0] + 1 if heading is not None else len(lines) + 1
        is_notes = any(m.location.line < before for m in markers) or heading is not None and is_note_heading(
            heading[1])
        labels = {item.label for item in listed}
        if all(label and not label.isdigit() for label in labels):
            # [Knu89] …: a reference list labelled in BibTeX's alpha style is a bibliography, cited by its labels
            is_notes = False
            out.keys = _alpha_cites(out.paragraphs, labels)
            out.bibliography = True
        elif is_notes and raw_notes and heading is not None and not is_note_heading(heading[1]):
            # Page footnotes 1…n and a numbered reference list [1]…[m]: two numberings that must not meet.
            # The list is the document's bibliography and a bracketed number in the text cites its entry.
            is_notes = False
            out.keys = [KeyCite(m.label, m.location) for m in bracketed]
            out.bibliography = True
            cited = {id(m) for m in bracketed}
            out.markers = [m for m in markers if id(m) not in cited]
        if is_notes:
            endnotes = all(item.label.isdigit() for item in listed)
            raw_notes = raw_notes + listed
        else:
            for item in listed:
                item_text = join_lines_with_offsets(item.lines, hyph)[0]
                out.entries.append(Entry(item.label, item_text, Location(item.line)))

    out.notes = [make_note(raw, hyph, diagnostics) for raw in raw_notes if raw.label]
    out.notes_are_endnotes = endnotes and bool(listed)
    return out.build()


_BRACKETS = re.compile(r"\[([^\[\]\n]{1,200})\]")


def _alpha_cites(paragraphs: Sequence[Paragraph], labels: set[str]) -> list[KeyCite]:
    """The labels of an alpha-style reference list cited in the body: ``[Knu89]``, ``[GMS94, Lam94a]``."""
    keys: list[KeyCite] = []
    for para in paragraphs:
        for m in _BRACKETS.finditer(para.text):
            offset = m.start(1)
            for part in m.group(1).split(","):
                label = part.strip().split(" ")[0].strip(";")
                if label in labels:
                    keys.append(KeyCite(label, para.location_at(offset + part.index(label))))
                offset += len(part) + 1
    return keys


def _preview(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
