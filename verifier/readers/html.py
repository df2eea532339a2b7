"""HTML: web articles, pandoc and Word exports, Wikipedia pages.

What this reader recognises:

* **Note markers**: links to a note in the same page — ``<sup><a href="#fn3">``,
  ``role="doc-noteref"`` (or ``epub:type="noteref"``), pandoc's
  ``class="footnote-ref"``, Wikipedia's ``#cite_note-…``, Word's ``#_ftn3``.
  The label is the marker's text without brackets (``[3]`` → ``3``). A marker
  whose target does not exist stays a marker with no note (M001). Plain
  ``<sup>3</sup>`` without a link counts as a marker only in a page that has
  notes no link points to (a hand-made notes list), and only when its number
  fits that list.
* **Notes**: the element a marker points to (its block when the target is a
  bare anchor); its text, without back-links (``↩``, ``^``) and the printed
  label, is the note. The other items of the same list, the items of a
  notes container (``role="doc-endnotes"``, ``class="footnotes"``,
  ``class="references"``, Word's ``#ftn3`` divisions) and of a section
  headed "Notes"/"Endnotes"/"Footnotes" are notes too, so a note that no
  marker points to is reported (M002). A note's label is the text of its
  first marker, else its number in an ``<ol>``, else the number it starts
  with, else the digits of its id.
* **A references section**: the items (list items, else paragraphs) under a
  heading "References", "Bibliography", "Works cited", "Sources"… up to the
  next heading of the same or a higher level are bibliography entries. Pandoc's
  ``<div id="ref-KEY">`` entries are keyed by ``KEY`` and its
  ``<span class="citation" data-cites="KEY">`` cites are key citations.
* **Links**: ``<a href>`` in the body become ``Document.links`` (unless the
  anchor text shows the URL, which is then found in the paragraph text);
  relative links are resolved against ``<base href>`` and left out without
  one; ``mailto:``, ``javascript:``, ``tel:`` and in-page links are left out.
  A link in a note or entry is written into its text after the anchor text
  (``Title <https://…>``) so that it is cited there.
* **The body** as paragraphs (block elements), entities decoded and white
  space collapsed; ``<head>``, ``<script>``, ``<style>``, ``<template>``,
  ``<noscript>`` and ``<nav>`` are ignored.

Locations are source lines. lxml numbers the lines of an element's start tag
(and caps them at 65,535); the reader counts the line breaks in the text
itself as well, so lines stay right past that and inside long text runs.
lxml gives no columns: markers and notes have none, and a position inside a
paragraph (a URL, a quotation) counts characters of the white-space-collapsed
text from the first text on its line. (BeautifulSoup's charset detection
decodes the bytes; the tree is lxml's own, because BeautifulSoup's lxml
builder drops the line numbers.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
from bs4.dammit import EncodingDetector
from lxml import etree

from verifier.citations.urls import find_urls
from verifier.errors import InputError
from verifier.model import Diagnostic, Document, Entry, Hyperlink, KeyCite, Location, Marker, Note, Paragraph
from verifier.readers.builder import UNIT_BEFORE, DocumentBuilder, Hyphenation, RawNote, make_note
from verifier.readers.sections import HEADING_RE, is_note_heading, note_like

_MAX_SOURCELINE = 65535  # libxml2's HTML parser stops counting here
_IGNORED = frozenset({"head", "script", "style", "template", "noscript", "nav", "iframe", "object", "svg", "math"})
_BLOCKS = frozenset(
    "html body address article aside blockquote caption center dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr li main ol p pre section summary table tbody td tfoot th "
    "thead tr ul".split()
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_NOTE_ID = re.compile(r"^(?:cite_note|_?ftn|_?edn|fn|footnote|endnote|note|en)[-_:.]?\S*?\d", re.IGNORECASE)
_BACK_ID = re.compile(r"^(?:cite_ref|_?ftnref|_?ednref|fnref|footnote-?ref|endnote-?ref|noteref|ref-?fn)", re.I)
_BACK_CLASSES = frozenset(
    {"footnote-back", "footnote-backref", "footnote-backlink", "mw-cite-backlink", "backlink", "reversefootnote",
     "data-footnote-backref"}
)
_REF_CLASSES = frozenset({"footnote-ref", "footnote-reference", "footnoteref", "noteref", "fn-ref", "footnote-link"})
_CONTAINER_CLASSES = frozenset({"footnotes", "endnotes", "footnote-list", "notes-list"})
_CONTAINER_ROLES = frozenset({"doc-endnotes", "doc-footnotes", "footnotes", "endnotes", "rearnotes"})
_NOTE_ROLES = frozenset({"doc-footnote", "doc-endnote", "footnote", "endnote", "rearnote"})
_ENTRY_ROLES = frozenset({"doc-biblioentry", "biblioentry"})
_SHORT_LABEL = re.compile(r"^[\[(]?\s*([\w*†‡§¶#]+(?:\s\d{1,4})?)\s*[\])]?$")
_LEADING_LABEL = re.compile(r"^(?:[\^↑↩]\s*)*(?:\[([^\]\s]{1,8})\]|\(([^)\s]{1,8})\)|(\d{1,4})[.):]?)(?=\s|$)\s*")
_BACK_GLYPHS = "↩︎↩⤴↑^ \u00a0"
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_PLAIN_SUP = re.compile(r"^\[?(\d{1,3})\]?$")


MAX_DEPTH = 160
"""How deep elements may nest before ``_flattened`` takes the tags of the deeper ones out (their text and
links kept). libxml2 stops parsing at 256 levels and drops everything after; the reader's walks recurse
once per level, so the limit also keeps them far inside Python's recursion limit."""


def read(data: bytes, path: str) -> Document:
    """Read an HTML document."""
    root, deep = _parse(data, path)
    if root is None:
        return Document(path=path, format="html")
    try:
        doc = _Reader(root, path).document()
    except RecursionError as exc:
        raise InputError(path, "the HTML is nested too deeply to read") from exc
    if deep is None:
        return doc
    flattened = Diagnostic(
        "P001",
        f"The HTML nests elements more than {MAX_DEPTH} levels deep from line {deep}: the tags below that "
        "depth were left out, their text and links kept.",
        Location(deep),
        suggestion="Flatten the nesting of the page.",
    )
    return replace(doc, diagnostics=(flattened, *doc.diagnostics))


def _parse(data: bytes, path: str) -> tuple[etree._Element | None, int | None]:
    """The parsed page, and the line from which its tags were flattened (``None``: they were not)."""
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in data[:4096]:
        raise InputError(path, "this looks like a binary file, not HTML")
    markup = _decode(data)
    markup = _XML_DECLARATION.sub(lambda m: "\n" * m.group().count("\n"), markup, count=1)
    if not markup.strip():
        return None, None
    root = _parse_markup(markup, path)
    if root is None or _depth_at_most(root, MAX_DEPTH):
        return root, None
    flat, deep = _flattened(markup)
    return _parse_markup(flat, path), deep


def _parse_markup(markup: str, path: str) -> etree._Element | None:
    parser = lxml.html.HTMLParser(remove_comments=False, remove_pis=False, no_network=True, recover=True)
    try:
        return lxml.html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        if "empty" in str(exc).lower():
            return None
        raise InputError(path, f"the HTML could not be parsed ({_libxml2_words(str(exc))})") from exc


def _libxml2_words(message: str) -> str:
    """libxml2's message without its advice to the programmer ("use XML_PARSE_HUGE option")."""
    return re.sub(r",?\s*use XML_PARSE_HUGE option", "", message)


def _depth_at_most(root: etree._Element, limit: int) -> bool:
    """Whether no element of the tree is nested more than ``limit`` deep (one pass, no recursion)."""
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > limit:
            return False
        stack.extend((child, depth + 1) for child in el)
    return True


_TAG = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|textarea|title)\b[^>]*>.*?(?:</\1\s*>|\Z)"
    r"|<(/?)([A-Za-z][^\s/>]*)((?:[^>\"']|\"[^\"]{0,8192}\"|'[^']{0,8192}')*)>",  # (bounded: linear time)
    re.DOTALL | re.IGNORECASE,
)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SIBLING_CLOSES = frozenset("p li dt dd tr td th option".split())  # a second one closes the first


def _flattened(markup: str) -> tuple[str, int | None]:
    """``markup`` with the start and end tags of elements nested deeper than ``MAX_DEPTH`` left out, and
    the line of the first tag left out (``None`` when none was).

    One pass over the tags with a stack of open elements (void elements, self-closed tags and
    implicitly closed paragraphs and list items do not deepen it). Below the limit the text stays and
    so do links: an ``<a>`` keeps its tag (links cannot nest, so it costs one level at most).
    """
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (tag, kept)
    first: int | None = None
    pos = 0
    for m in _TAG.finditer(markup):
        name = m.group(3)
        if name is None:
            continue  # a comment, or a script/style/title element whole
        name = name.lower()
        closing = m.group(2) == "/"
        if not closing and (name in _VOID or m.group(4).rstrip().endswith("/")):
            continue
        keep = True
        if closing:
            for i in range(len(stack) - 1, max(-1, len(stack) - 64), -1):
                if stack[i][0] == name:
                    keep = stack[i][1]
                    del stack[i:]
                    break
        else:
            if name in _SIBLING_CLOSES and stack and stack[-1][0] == name:
                stack.pop()
            deep = len(stack) >= MAX_DEPTH
            open_link = any(tag == "a" for tag, _ in stack[MAX_DEPTH:])
            keep = not deep or (name == "a" and not open_link)
            stack.append((name, keep))
        if not keep:
            if first is None:
                first = markup.count("\n", 0, m.start()) + 1
            out.append(markup[pos : m.start()])
            out.append(" ")
            pos = m.end()
    out.append(markup[pos:])
    return "".join(out), first


def _decode(data: bytes) -> str:
    """The text of the page: the first of BeautifulSoup's candidate encodings (BOM, declared, sniffed)
    that decodes it all; else UTF-8 when some of it is, else Windows-1252 (U+FFFD for what does not decode)."""
    detector = EncodingDetector(data, is_html=True)
    for encoding in detector.encodings:
        try:
            return detector.markup.decode(encoding)  # the markup without its byte-order mark
        except (UnicodeDecodeError, LookupError):
            continue
    text = detector.markup.decode("utf-8", errors="replace")
    if any(ord(ch) > 127 and ch != "\ufffd" for ch in text):
        return text  # UTF-8 with a few damaged bytes
    return detector.markup.decode("cp1252", errors="replace")


# --------------------------------------------------------------------------- helpers


_NONE: frozenset[str] = frozenset()


def _classes(el: etree._Element) -> frozenset[str]:
    value = el.get("class")
    return frozenset(value.lower().split()) if value else _NONE


def _roles(el: etree._Element) -> frozenset[str]:
    role, epub = el.get("role"), el.get("epub:type")
    if role is None and epub is None:
        return _NONE  # most elements: no set to build
    return frozenset(f"{role or ''} {epub or ''}".lower().split())


def _squash(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


def _text(el: etree._Element) -> str:
    """The element's text, white space collapsed (lxml's text serialiser: comments left out)."""
    return _squash(etree.tostring(el, method="text", encoding="unicode", with_tail=False))


def _fragment(href: str) -> str | None:
    href = href.strip()
    if not href.startswith("#") or len(href) < 2:
        return None
    return unquote(href[1:])


def _same_page(url: str) -> str:
    """A page URL compared loosely: scheme, ``www.``, query-less trailing slash and escapes aside."""
    parts = urlsplit(unquote(url.strip()))
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host + parts.path.rstrip("/") + ("?" + parts.query if parts.query else "")


_SAVED_FROM = re.compile(r"saved from url=\(\d+\)(\S+)")


def _own_urls(root: etree._Element, base: str | None) -> frozenset[str]:
    """The addresses this page calls its own: canonical link, ``og:url``, ``<base>``, a browser's "saved from"."""
    urls = [base] if base else []
    urls += [el.get("href") or "" for el in root.iter("link") if "canonical" in (el.get("rel") or "").lower().split()]
    urls += [el.get("content") or "" for el in root.iter("meta") if (el.get("property") or "").lower() == "og:url"]
    comments = [*root.itersiblings(etree.Comment, preceding=True), *root.iter(etree.Comment)]
    for comment in comments:
        m = _SAVED_FROM.search(comment.text or "")
        if m:
            urls.append(m.group(1))
    return frozenset(_same_page(u) for u in urls if "://" in u)


def absolute_url(href: str, base: str | None) -> str | None:
    """The absolute http(s)/ftp URL an ``href`` points to, or None (in-page, relative without base, mailto:…)."""
    href = re.sub(r"[\t\r\n]", "", href).strip()
    if not href or href.startswith("#"):
        return None
    try:
        scheme = urlsplit(href).scheme.lower()
        if scheme:
            return href if scheme in ("http", "https", "ftp") else None
        if base:
            return urljoin(base, href)
        if href.startswith("//"):
            return "https:" + href
    except ValueError:
        return None
    return None


def _ancestors(el: etree._Element) -> Iterator[etree._Element]:
    parent = el.getparent()
    while parent is not None:
        yield parent
        parent = parent.getparent()


@dataclass
class _Para:
    """A paragraph being assembled: collapsed white space, line starts, markers, links."""

    parts: list[str] = field(default_factory=list)
    size: int = 0
    pending_space: bool = False
    lines: list[tuple[int, int]] = field(default_factory=list)
    markers: list[tuple[int, str]] = field(default_factory=list)

    def add(self, raw: str, line: int) -> None:
        for k, segment in enumerate(raw.replace("\u00ad", "").split("\n")):
            if k:
                self.pending_space = True
            words = segment.split()
            if not words:
                self.pending_space = self.pending_space or bool(segment)
                continue
            if self.size and (self.pending_space or segment[0].isspace()):
                self.parts.append(" ")
                self.size += 1
            if not self.lines or self.lines[-1][1] != line + k:
                self.lines.append((self.size, line + k))
            chunk = " ".join(words)
            self.parts.append(chunk)
            self.size += len(chunk)
            self.pending_space = segment[-1].isspace()

    def text(self) -> str:
        return "".join(self.parts)


# --------------------------------------------------------------------------- reader


class _Reader:
    def __init__(self, root: etree._Element, path: str) -> None:
        self.root = root
        self.path = path
        self.start: dict[etree._Element, int] = {}
        self.end: dict[etree._Element, int] = {}
        self._number_lines(root, 1)
        base = root.find(".//base[@href]")
        base_href = absolute_url(base.get("href", ""), None) if base is not None else None
        self.base = base_href
        self.own_urls = _own_urls(root, base_href)
        self.ids: dict[str, etree._Element] = {}
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            for key in (el.get("id"), el.get("name") if el.tag == "a" else None):
                if key and key not in self.ids:
                    self.ids[key] = el
        self.markers: list[Marker] = []
        self.marker_of: dict[etree._Element, str] = {}  # marker element -> label
        self.diagnostics: list[Diagnostic] = []

    def _number_lines(self, el: etree._Element, line: int) -> int:
        src = el.sourceline
        if src and src < _MAX_SOURCELINE and src > line:
            line = src
        self.start[el] = line
        if el.text:
            line += el.text.count("\n")
        for child in el:
            line = self._number_lines(child, line)
            if child.tail:
                line += child.tail.count("\n")
        self.end[el] = line
        return line

    def line(self, el: etree._Element) -> int:
        return self.start.get(el, 1)

    def fragment(self, href: str) -> str | None:
        """The id an ``href`` points to in this page: ``#cite_note-4``, and the same link made absolute by a
        browser's "save page" (``https://host/wiki/Page#cite_note-4``) — a link to the page's own URL (its
        canonical, ``og:url``, ``<base>`` or "saved from" address), or to a note id this page holds."""
        href = href.strip()
        if href.startswith("#"):
            return _fragment(href)
        page, sep, frag = href.partition("#")
        if not sep or not frag or "://" not in page:
            return None
        target = unquote(frag)
        note_id = target in self.ids and (_NOTE_ID.match(target) or _BACK_ID.match(target))
        if note_id or _same_page(page) in self.own_urls:
            return target
        return None

    # ---------------------------------------------------------------- markers and notes

    def _is_noteref(self, a: etree._Element, target: str) -> bool:
        if _BACK_ID.match(target) or _classes(a) & _BACK_CLASSES or "doc-backlink" in _roles(a):
            return False
        if a.get("data-footnote-ref") is not None:  # GitHub's Markdown
            return True
        parent = a.getparent()
        near = [a] + ([parent] if parent is not None else [])
        if any(_roles(e) & {"doc-noteref", "noteref"} or _classes(e) & _REF_CLASSES for e in near):
            return True
        label = _text(a)
        if len(label) > 12:
            return False
        in_sup = (parent is not None and parent.tag == "sup") or a.find(".//sup") is not None
        return in_sup or (bool(_NOTE_ID.match(target)) and bool(_SHORT_LABEL.match(label)))

    def _note_element(self, target: etree._Element) -> etree._Element:
        """The element holding the note: the target, or its block when the target is a bare anchor."""
        el = target
        while el.tag not in _BLOCKS and len(_text(el)) <= 8:
            parent = el.getparent()
            if parent is None or parent.tag in ("body", "html"):
                break
            el = parent
        return el

    @staticmethod
    def _label(a: etree._Element, target: str) -> str:
        text = _text(a)
        m = _SHORT_LABEL.match(text)
        if m:
            return m.group(1)
        digits = re.search(r"(\d+)\D*$", target)
        return digits.group(1) if digits else target

    def _linked_markers(self) -> tuple[list[tuple[etree._Element, str, str]], set[etree._Element]]:
        """``(anchor, target id, label)`` for each note reference, and the elements that are notes."""
        candidates: list[tuple[etree._Element, str]] = []
        for a in self.root.iter("a"):
            target = self.fragment(a.get("href") or "")
            if target is not None and self._is_noteref(a, target):
                candidates.append((a, target))
        anchors = {a for a, _ in candidates}
        wrappers = {p for p in (a.getparent() for a in anchors) if p is not None and p.tag == "sup"}
        found: list[tuple[etree._Element, str, str]] = []
        for a, target in candidates:
            el = self.ids.get(target)
            if el is not None and (el in anchors or el in wrappers):
                continue  # a back-link from a note to its marker
            if el is not None:
                note = self._note_element(el)
                if note is a or note in set(_ancestors(a)) and note.tag not in ("li", "aside", "dd"):
                    continue  # a link to the section the anchor stands in
            found.append((a, target, self._label(a, target)))
        notes = {self._note_element(self.ids[t]) for _, t, _ in found if t in self.ids}
        return found, notes

    def _containers(self, notes: set[etree._Element]) -> list[etree._Element]:
        """Every note element: the targets, their list siblings, the items of note containers."""
        out: dict[etree._Element, None] = {}
        lists: set[etree._Element] = set()
        for el in self.root.iter():
            if not isinstance(el.tag, str):
                continue
            if el in notes:
                out[el] = None
                parent = el.getparent()
                if el.tag == "li" and parent is not None and parent not in lists:
                    lists.add(parent)
                    for sibling in parent.iterchildren("li"):
                        out[sibling] = None
            elif _roles(el) & _NOTE_ROLES or re.fullmatch(r"_?(?:ftn|edn)\d+", el.get("id") or ""):
                out[el] = None
            elif _roles(el) & _CONTAINER_ROLES or _classes(el) & _CONTAINER_CLASSES:
                items = [li for li in el.iter("li") if not any(p.tag == "li" for p in _ancestors(li) if p is not el)]
                for li in items:
                    out[li] = None
        # the innermost wins: a container item that holds a note element is not a note itself
        return [el for el in out if not any(inner in out for inner in el.iterdescendants())]

    # ---------------------------------------------------------------- sections

    def _sections(self) -> list[tuple[etree._Element, str, list[etree._Element]]]:
        """``(heading, heading word, items)`` for each notes/references section."""
        out = []
        for heading in self.root.iter(*_HEADINGS):
            m = HEADING_RE.match(_text(heading))
            if not m:
                continue
            level = _HEADINGS[str(heading.tag)]
            items: list[etree._Element] = []
            blocks: list[etree._Element] = []
            started = False
            scope = heading
            # the section the heading opens: climb out of wrappers that hold nothing but the heading
            while len(_text(scope)) <= len(_text(heading)) + 20:
                parent = scope.getparent()
                if parent is None:
                    break
                scope = parent
            for el in scope.iter():
                if el is heading:
                    started = True
                    continue
                if not started or not isinstance(el.tag, str) or heading in set(_ancestors(el)):
                    continue
                if el.tag in _HEADINGS and _HEADINGS[el.tag] <= level:
                    break
                if el.tag == "li" and not any(p.tag == "li" for p in _ancestors(el)):
                    items.append(el)
                elif el.tag in ("p", "div", "dd") and not any(b.tag in _BLOCKS for b in el.iterdescendants()):
                    if not any(p.tag == "li" for p in _ancestors(el)):
                        blocks.append(el)
            chosen = items or [b for b in blocks if _text(b)]
            if chosen:
                out.append((heading, m.group(1).lower(), chosen))
        return out

    # ---------------------------------------------------------------- text of notes and entries

    def _rich_text(self, el: etree._Element, skip: set[etree._Element]) -> str:
        """The text of a note or entry: links written out, back-links, scripts and the ``skip``
        elements inside it (other notes) left out."""
        parts: list[str] = []

        def walk(node: etree._Element) -> None:
            if node.text:
                parts.append(node.text)
            for child in node:
                if isinstance(child.tag, str) and child.tag not in _IGNORED and child not in skip:
                    if child in self.marker_of:
                        self.markers.append(Marker(self.marker_of[child], Location(self.line(child))))
                    elif not self._is_backlink(child):
                        walk(child)
                        if child.tag == "a":
                            self._write_url(child, parts)
                if child.tail:
                    parts.append(child.tail)

        walk(el)
        return _squash("".join(parts))

    def _is_backlink(self, el: etree._Element) -> bool:
        if _classes(el) & _BACK_CLASSES or "doc-backlink" in _roles(el):
            return True
        if el.tag == "a":
            target = self.fragment(el.get("href") or "")
            if target is not None and (_BACK_ID.match(target) or self.ids.get(target) in self.marker_of):
                return True
        return False

    def _write_url(self, a: etree._Element, parts: list[str]) -> None:
        url = absolute_url(a.get("href") or "", self.base)
        if url and not find_urls(_text(a)) and self.fragment(a.get("href") or "") is None:
            parts.append(f" <{url}>")

    @staticmethod
    def _strip_label(text: str, label: str | None) -> tuple[str, str | None]:
        """The text without its printed label and leading back-link glyphs, and that label."""
        text = text.strip(_BACK_GLYPHS) if text else text
        m = _LEADING_LABEL.match(text)
        printed = m and (m.group(1) or m.group(2) or m.group(3))
        if m and printed and (label is None or printed == label):
            return text[m.end() :].strip(_BACK_GLYPHS), printed
        return text, None

    # ---------------------------------------------------------------- document

    def document(self) -> Document:
        linked, targets = self._linked_markers()
        note_els = self._containers(targets)
        sections = self._sections()
        note_set = set(note_els)
        labels: dict[etree._Element, str] = {}
        for a, target, label in linked:
            self.marker_of[a] = label
            el = self.ids.get(target)
            if el is not None:
                labels.setdefault(self._note_element(el), label)
        for a, target, _label in linked:  # every marker of a note takes the note's label
            el = self.ids.get(target)
            if el is not None:
                self.marker_of[a] = labels[self._note_element(el)]

        entries_els: list[etree._Element] = []
        skip: set[etree._Element] = set()
        for heading, word, items in sections:
            linked_notes = any(it in note_set or any(d in note_set for d in it.iterdescendants()) for it in items)
            holds_notes = linked_notes or is_note_heading(word) and note_like([_text(it) for it in items])
            if is_note_heading(word) and not holds_notes:
                continue  # "Notes" over items that cite nothing (a list of applications): body content
            skip.add(heading)
            for item in items:
                if item in note_set or any(d in note_set for d in item.iterdescendants()):
                    continue
                if holds_notes:
                    note_els.append(item)
                    note_set.add(item)
                else:
                    entries_els.append(item)
        listed = set(entries_els)
        for el in self.root.iter():
            if isinstance(el.tag, str) and el not in listed and el not in note_set and (
                _roles(el) & _ENTRY_ROLES or "csl-entry" in _classes(el)
            ):
                entries_els.append(el)  # a pandoc bibliography without a heading
        entries_els.sort(key=self.line)
        note_els.sort(key=self.line)
        skip |= note_set | set(entries_els)

        hyph = Hyphenation("")
        notes: list[Note] = []
        unlinked_numbers: list[int] = []
        for el in note_els:
            text, printed = self._strip_label(self._rich_text(el, skip), labels.get(el))
            note_label = labels.get(el)
            if note_label is None:
                note_label = self._printed_label(el, printed)
                unlinked_numbers.extend([int(note_label)] if note_label.isdigit() else [])
            if not text:
                continue
            notes.append(make_note(RawNote(note_label, self.line(el), [text]), hyph, self.diagnostics))

        entries = []
        for k, el in enumerate(entries_els, 1):
            text, printed = self._strip_label(self._rich_text(el, skip), None)
            key_id = el.get("id") or ""
            key = key_id[4:] if key_id.startswith("ref-") else printed or str(k)
            if text:
                entries.append(Entry(key, text, Location(self.line(el))))

        plain_limit = max(unlinked_numbers) + 3 if unlinked_numbers else 0
        body = self.root.find("body")
        paragraphs, links, keys = self._body(body if body is not None else self.root, skip, plain_limit)
        markers = sorted(self.markers, key=lambda m: m.location.line)
        return DocumentBuilder(self.path, "html", markers=markers, notes=notes, entries=entries, keys=list(keys),
                               paragraphs=paragraphs, diagnostics=self.diagnostics, links=links).build()

    def _printed_label(self, el: etree._Element, printed: str | None) -> str:
        parent = el.getparent()
        if el.tag == "li" and parent is not None and parent.tag == "ol":
            try:
                start = int(parent.get("start") or 1)
            except ValueError:
                start = 1
            items = list(parent.iterchildren("li"))
            return str(start + items.index(el))
        if printed:
            return printed
        ident = el.get("id") or ""
        digits = re.search(r"(\d+)\D*$", ident)
        return digits.group(1) if digits else ident or "?"

    # ---------------------------------------------------------------- body

    def _body(
        self, body: etree._Element, skip: set[etree._Element], plain_limit: int
    ) -> tuple[list[Paragraph], list[Hyperlink], list[KeyCite]]:
        paragraphs: list[Paragraph] = []
        links: list[Hyperlink] = []
        keys: list[KeyCite] = []
        para = _Para()
        quoting = [0]  # <blockquote> elements open around the walk

        def flush() -> None:
            nonlocal para
            text = para.text()
            if text:
                paragraphs.append(Paragraph(text, tuple(para.lines), tuple(para.markers), quoted=quoting[0] > 0))
            para = _Para()

        def marker(label: str, el: etree._Element) -> None:
            para.markers.append((para.size, label))
            self.markers.append(Marker(label, Location(self.line(el))))

        def walk(el: etree._Element) -> None:
            tag = el.tag
            if not isinstance(tag, str) or tag in _IGNORED or el in skip or "navigation" in _roles(el):
                return
            if el in self.marker_of:
                marker(self.marker_of[el], el)
                return
            if tag == "sup" and plain_limit and len(el) == 0:
                m = _PLAIN_SUP.match((el.text or "").strip())
                before = para.text()[-3:]
                if m and 1 <= int(m.group(1)) <= plain_limit and not UNIT_BEFORE.search(before):
                    marker(m.group(1), el)
                    return
            if tag == "span" and el.get("data-cites"):
                keys.extend(KeyCite(k, Location(self.line(el))) for k in el.get("data-cites", "").split())
            block = tag in _BLOCKS
            if block:
                flush()
            quoting[0] += tag == "blockquote"
            if tag == "br":
                para.pending_space = True
            if el.text:
                para.add(el.text, self.line(el))
            for child in el:
                walk(child)
                if child.tail:
                    para.add(child.tail, self.end.get(child, self.line(el)))
            if tag == "a":
                url = absolute_url(el.get("href") or "", self.base)
                anchor = _text(el)
                if url and not find_urls(anchor) and self.fragment(el.get("href") or "") is None:
                    links.append(Hyperlink(url, Location(self.line(el)), anchor))
            if block:
                flush()
            quoting[0] -= tag == "blockquote"

        walk(body)
        flush()
        return paragraphs, links, keys

