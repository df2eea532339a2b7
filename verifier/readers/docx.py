"""Word .docx: body text with note references in place, footnotes, endnotes, hyperlinks.

A .docx is a zip package of XML parts. This reader opens the package itself
(python-docx does not read footnotes) and parses only the parts it needs —
the main document (found through ``_rels/.rels``, normally
``word/document.xml``), its relationships, ``footnotes.xml``,
``endnotes.xml``, ``styles.xml`` and ``settings.xml`` — with lxml set to
resolve no entities, load no DTD and touch no network.

What it reads:

* **Body paragraphs** (``w:p`` in document order, tables and text boxes
  included; tracked deletions and the fallback copies of text boxes left out).
  Field results are text; field instructions are not.
* **Note references** (``w:footnoteReference``, ``w:endnoteReference``) as
  markers in place, labelled as Word prints them: footnotes and endnotes are
  numbered separately in order of reference, in the number format and from
  the start number of the last section or of ``settings.xml`` (Word's
  defaults: footnotes ``1, 2, 3``, endnotes ``i, ii, iii``); a custom mark
  (``w:customMarkFollows``) is its own label. (Numbering restarted on each
  page or section is not modelled.)
* **Notes** from ``footnotes.xml`` and ``endnotes.xml`` (the separator and
  continuation entries skipped), each note's paragraphs joined. A note no
  reference points to has no printed number: it is labelled by its id,
  ``fn7`` or ``en7``, and reported as never referenced (M002); a reference
  whose note is missing is reported as a marker without a note (M001).
* **Hyperlinks** — ``w:hyperlink`` through the relationships part of the
  document (or of the notes), and ``HYPERLINK "url"`` field codes, simple or
  complex. In the body they become ``Document.links`` unless the anchor text
  shows the URL; in a note or a list item the URL is written into its text
  after the anchor text (``Title <https://…>``). Links to bookmarks, files and
  ``mailto:`` are left out.
* **A references section**: a paragraph reading "References",
  "Bibliography", "Works cited", "Notes"… followed by its items, one per
  paragraph, up to the next heading (a paragraph whose style has an outline
  level) of the same or a higher level. Under a notes heading the items are
  notes, matched to superscript numbers typed in the body (hand-made
  endnotes); otherwise they are bibliography entries.

Locations: ``line`` is the paragraph number — 1-based, counting the body's
paragraphs that hold text or a note reference, as Word's word count does
(empty spacing paragraphs are not counted); ``column`` is the character in
that paragraph. A footnote or endnote is located at the paragraph that holds
its reference (where Word shows it); a note nothing refers to is located past
the body, at the last paragraph number plus its position among the notes, as
if the notes were printed after the text.

Limits (a zip bomb or an entity-expansion bomb is refused, never expanded):
at most ``MAX_PARTS`` parts and ``MAX_UNCOMPRESSED`` bytes in all as the zip
directory declares them, no part compressed more than ``MAX_RATIO`` times
(above 1 MiB), reads capped at what is left of the budget whatever the
directory says, and no part may declare a DTD. Each becomes ``InputError``
(P002) with the reason.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

from lxml import etree

from verifier import budget
from verifier.citations.urls import find_urls
from verifier.errors import InputError
from verifier.model import Diagnostic, Document, Entry, Hyperlink, Location, Marker, Note, Paragraph
from verifier.readers.builder import LIST_ITEM_RE, DocumentBuilder, Hyphenation, RawNote, make_note
from verifier.readers.html import absolute_url
from verifier.readers.sections import HEADING_RE, is_note_heading, note_like

MAX_PARTS = 2000
MAX_UNCOMPRESSED = 100 * 2**20
MAX_RATIO = 200
MAX_PARAGRAPHS = 200_000
"""Body paragraphs read at most: a long book has tens of thousands. What lies past is reported (P002)."""
_RATIO_FLOOR = 2**20  # small parts may compress as well as they like

# What zipfile raises on a damaged archive (an unsupported version or method, a bad CRC, a cut-off stream…).
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, NotImplementedError,
               RuntimeError, ValueError, UnicodeDecodeError, struct.error)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DOCTYPES = tuple(
    "<!DOCTYPE".encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")
) + tuple("<!doctype".encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be"))
_SKIP = frozenset(
    "pPr rPr sectPr tblPr tblGrid trPr tcPr sdtPr sdtEndPr del moveFrom Fallback delInstrText "
    "footnoteRef endnoteRef commentReference annotationRef".split()
)
_PLAIN_MARK = re.compile(r"^\[?(\d{1,3})\]?$")
_TOKENS = re.compile(r'"([^"]*)"|(\S+)')
_HEADING_NAME = re.compile(r"^(?:heading\s*(\d)|title)$", re.IGNORECASE)


def read(data: bytes, path: str) -> Document:
    """Read a Word .docx document."""
    package = _Package(data, path)
    return _Reader(package, path).document()


# --------------------------------------------------------------------------- the package


_LOCAL_NAMES: dict[object, str] = {}


def _local(name: object) -> str:
    """``{namespace}name`` -> ``name`` (transitional and strict OOXML alike); "" for comments."""
    local = _LOCAL_NAMES.get(name)
    if local is None:
        local = name.rsplit("}", 1)[-1] if isinstance(name, str) else ""
        if isinstance(name, str) and len(_LOCAL_NAMES) < 10_000:
            _LOCAL_NAMES[name] = local
    return local


def _attr(el: etree._Element, local: str) -> str | None:
    for key, value in el.attrib.items():
        if _local(key) == local:
            return str(value)
    return None


class _Package:
    """The zip package, opened with limits; parts are read on demand and parsed safely."""

    def __init__(self, data: bytes, path: str) -> None:
        self.path = path
        if data.startswith(_OLE_MAGIC):
            raise InputError(path, "this is an old binary Word file (.doc) or an encrypted document, not a .docx")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except _ZIP_ERRORS as exc:
            raise InputError(path, f"not a Word document: not a readable zip package ({exc}); "
                                   "the file may be truncated or of another kind") from exc
        if len(infos) > MAX_PARTS:
            raise InputError(path, f"the package holds {len(infos):,} parts, more than the {MAX_PARTS:,} allowed; "
                                   "refused as a possible zip bomb")
        total = sum(info.file_size for info in infos)
        if total > MAX_UNCOMPRESSED:
            raise InputError(path, f"the package would expand to {total / 2**20:,.0f} MiB, more than the "
                                   f"{MAX_UNCOMPRESSED // 2**20} MiB allowed; refused as a possible zip bomb")
        for info in infos:
            if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                ratio = info.file_size // max(info.compress_size, 1)
                raise InputError(path, f"the part {info.filename} is compressed {ratio:,} to 1, more than the "
                                       f"{MAX_RATIO} to 1 allowed; refused as a possible zip bomb")
        self.infos = {info.filename.lstrip("/"): info for info in infos}
        self.budget = MAX_UNCOMPRESSED

    def read(self, name: str) -> bytes | None:
        info = self.infos.get(name)
        if info is None:
            return None
        if info.flag_bits & 0x1:
            raise InputError(self.path, f"the part {name} is encrypted")
        try:
            with self.zip.open(info) as part:
                data = part.read(self.budget + 1)
        except _ZIP_ERRORS as exc:
            raise InputError(self.path, f"the part {name} is damaged ({exc})") from exc
        if len(data) > self.budget:
            raise InputError(self.path, f"the part {name} expands past the {MAX_UNCOMPRESSED // 2**20} MiB "
                                        "allowed; refused as a possible zip bomb")
        self.budget -= len(data)
        return data

    def checked(self, name: str) -> bytes | None:
        """The bytes of a part, refused when it declares a DTD."""
        data = self.read(name)
        if data is not None and any(marker in data for marker in _DOCTYPES):
            raise InputError(self.path, f"the part {name} declares a DTD, which Word never writes; "
                                        "refused (entity expansion)")
        return data

    def malformed(self, name: str, exc: etree.XMLSyntaxError) -> InputError:
        # (libxml2's advice to programmers, "use XML_PARSE_HUGE option", is no help to a reader of the report)
        reason = re.sub(r",?\s*use XML_PARSE_HUGE option", "", str(exc))
        return InputError(self.path, f"the part {name} is not well-formed XML ({reason})")

    def xml(self, name: str) -> etree._Element | None:
        data = self.checked(name)
        if data is None:
            return None
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                                 remove_comments=True, remove_pis=True)
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            raise self.malformed(name, exc) from exc
        tree = root.getroottree()
        if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
            raise InputError(self.path, f"the part {name} declares a DTD; refused (entity expansion)")
        return root

    def rels(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """``id -> (type, target, external)`` for the relationships of ``part`` (``""``: the package's)."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", f"{base}.rels"))
        out: dict[str, tuple[str, str, bool]] = {}
        if root is None:
            return out
        for rel in root:
            rid, target = rel.get("Id"), rel.get("Target")
            if not rid or target is None:
                continue
            external = (rel.get("TargetMode") or "").lower() == "external"
            if not external:
                target = posixpath.normpath(posixpath.join(folder, target)) if not target.startswith("/") else target
                target = target.lstrip("/")
            out[rid] = (rel.get("Type") or "", target, external)
        return out


def _related(rels: dict[str, tuple[str, str, bool]], kind: str) -> str | None:
    for rtype, target, external in rels.values():
        if rtype.endswith("/" + kind) and not external:
            return target
    return None


# --------------------------------------------------------------------------- walking the XML


@dataclass
class _Ref:
    kind: str  # "footnote" or "endnote"
    note_id: str
    offset: int
    custom: str | None = None


@dataclass
class _Link:
    url: str | None
    start: int
    end: int


@dataclass
class _Para:
    parts: list[str] = field(default_factory=list)
    size: int = 0
    pending_space: bool = False
    refs: list[_Ref] = field(default_factory=list)
    plain_marks: list[tuple[int, str]] = field(default_factory=list)
    links: list[_Link] = field(default_factory=list)
    style: str | None = None
    outline: int | None = None
    numbered: bool = False

    def add(self, raw: str) -> None:
        words = raw.split()
        if not words:
            self.pending_space = self.pending_space or bool(raw)
            return
        if self.size and (self.pending_space or raw[0].isspace()):
            self.parts.append(" ")
            self.size += 1
        chunk = " ".join(words)
        self.parts.append(chunk)
        self.size += len(chunk)
        self.pending_space = raw[-1].isspace()

    def text(self) -> str:
        return "".join(self.parts)

    def holds_anything(self) -> bool:
        return bool(self.size or self.refs or self.plain_marks)


@dataclass
class _Field:
    instr: str = ""
    para: _Para | None = None
    start: int = 0


def hyperlink_target(instr: str) -> str | None:
    """The URL of a ``HYPERLINK`` field instruction (None for other fields and in-document links)."""
    tokens = [m.group(1) if m.group(1) is not None else m.group(2) for m in _TOKENS.finditer(instr)]
    if not tokens or tokens[0].upper() != "HYPERLINK":
        return None
    url: str | None = None
    location: str | None = None
    switch = ""
    for token in tokens[1:]:
        if switch:
            if switch == "l":
                location = token
            switch = ""
            continue
        if token.startswith("\\") and len(token) == 2:
            switch = token[1].lower() if token[1].lower() in "lot" else ""  # switches with an argument
            continue
        if url is None:
            url = token.replace("\\\\", "\\")
    if url and location:
        return f"{url}#{location}"  # \l "v=onepage": a place in the page the URL names
    return url


class _Walker:
    """Turns a container (``w:body``, ``w:footnote``) into paragraphs with their references and links."""

    def __init__(self, rels: dict[str, tuple[str, str, bool]]) -> None:
        self.rels = rels
        self.paras: list[_Para] = []
        self.stack: list[_Para] = []
        self.fields: list[_Field] = []
        self.superscript = False
        self.custom: _Ref | None = None

    def walk(self, el: etree._Element) -> list[_Para]:
        self._visit(el)
        return self.paras

    @property
    def para(self) -> _Para:
        if not self.stack:  # text outside a paragraph (malformed, but readable)
            self.stack.append(_Para())
            self.paras.append(self.stack[-1])
        return self.stack[-1]

    def _visit(self, el: etree._Element) -> None:
        name = _local(el.tag)
        if name in _SKIP:
            return
        handler = _HANDLERS.get(name)
        if handler is not None:
            handler(self, el)
        else:
            for child in el:
                self._visit(child)

    def _on_p(self, el: etree._Element) -> None:
        para = _Para()
        self.paras.append(para)
        self.stack.append(para)
        for child in el:
            if _local(child.tag) == "pPr":
                for c in child:
                    name = _local(c.tag)
                    if name == "pStyle":
                        para.style = _attr(c, "val")
                    elif name == "outlineLvl":
                        para.outline = _int(_attr(c, "val"))
                    elif name == "numPr":
                        para.numbered = True
            else:
                self._visit(child)
        self.stack.pop()

    def _on_r(self, el: etree._Element) -> None:
        was = self.superscript
        self.superscript = False
        for child in el:
            if _local(child.tag) == "rPr":
                self.superscript = any(
                    _local(c.tag) == "vertAlign" and _attr(c, "val") == "superscript" for c in child
                )
            else:
                self._visit(child)
        self.superscript = was

    def _on_t(self, el: etree._Element) -> None:
        text = el.text or ""
        if self.custom is not None:
            self.custom.custom = text.strip() or None
            self.custom = None
            return
        if self.superscript:
            m = _PLAIN_MARK.match(text.strip())
            if m:
                self.para.plain_marks.append((self.para.size, m.group(1)))
                return
        self.para.add(text)

    def _space(self, el: etree._Element) -> None:
        self.para.pending_space = True

    _on_tab = _on_br = _on_cr = _on_ptab = _space

    def _on_noBreakHyphen(self, el: etree._Element) -> None:  # noqa: N802 (the XML element's name)
        self.para.add("-")

    def _reference(self, el: etree._Element, kind: str) -> None:
        ref = _Ref(kind, _attr(el, "id") or "", self.para.size)
        self.para.refs.append(ref)
        if (_attr(el, "customMarkFollows") or "").lower() in ("1", "true", "on"):
            self.custom = ref

    def _on_footnoteReference(self, el: etree._Element) -> None:  # noqa: N802
        self._reference(el, "footnote")

    def _on_endnoteReference(self, el: etree._Element) -> None:  # noqa: N802
        self._reference(el, "endnote")

    def _url(self, rid: str | None) -> str | None:
        rel = self.rels.get(rid or "")
        return absolute_url(rel[1], None) if rel and rel[2] else None

    def _on_hyperlink(self, el: etree._Element) -> None:
        para, start = self.para, self.para.size
        for child in el:
            self._visit(child)
        url = self._url(_attr(el, "id"))
        anchor = _attr(el, "anchor")
        if url and anchor and "#" not in url:
            url += "#" + anchor  # w:anchor: a place in the page the URL names
        if url:
            para.links.append(_Link(url, start, para.size))

    def _on_fldSimple(self, el: etree._Element) -> None:  # noqa: N802
        para, start = self.para, self.para.size
        for child in el:
            self._visit(child)
        url = hyperlink_target(_attr(el, "instr") or "")
        url = absolute_url(url, None) if url else None
        if url:
            para.links.append(_Link(url, start, para.size))

    def _on_instrText(self, el: etree._Element) -> None:  # noqa: N802
        if self.fields:
            self.fields[-1].instr += el.text or ""

    def _on_fldChar(self, el: etree._Element) -> None:  # noqa: N802
        kind = _attr(el, "fldCharType")
        if kind == "begin":
            self.fields.append(_Field())
        elif kind == "separate" and self.fields:
            self.fields[-1].para, self.fields[-1].start = self.para, self.para.size
        elif kind == "end" and self.fields:
            fld = self.fields.pop()
            url = hyperlink_target(fld.instr)
            url = absolute_url(url, None) if url else None
            if url and fld.para is not None:
                end = self.para.size if fld.para is self.para else fld.para.size
                fld.para.links.append(_Link(url, fld.start, end))


_HANDLERS = {
    name[4:]: getattr(_Walker, name) for name in dir(_Walker) if name.startswith("_on_")
}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


# --------------------------------------------------------------------------- numbering


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += numeral
            n -= value
    return out


def format_number(n: int, fmt: str) -> str:
    """``n`` printed in a Word number format (``decimal``, ``lowerRoman``, ``upperLetter``, ``chicago``…)."""
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "chicago":
        return "*†‡§"[(n - 1) % 4] * ((n - 1) // 4 + 1)
    return str(n)


# --------------------------------------------------------------------------- the reader


class _Reader:
    def __init__(self, package: _Package, path: str) -> None:
        self.package = package
        self.path = path
        self.diagnostics: list[Diagnostic] = []

    def _main_part(self) -> str:
        main = _related(self.package.rels(""), "officeDocument") or "word/document.xml"
        if main not in self.package.infos:
            raise InputError(self.path, f"not a Word document: the package has no {main}")
        return main

    @staticmethod
    def _numbering(*sources: etree._Element | None) -> dict[str, tuple[str, int]]:
        """Number format and start of footnotes and endnotes: Word's defaults, then ``settings.xml``,
        then the document's last section properties (which win)."""
        formats = {"footnote": ("decimal", 1), "endnote": ("lowerRoman", 1)}
        for source in sources:
            if source is None:
                continue
            for kind in formats:
                pr = next((c for c in source if _local(c.tag) == f"{kind}Pr"), None)
                if pr is None:
                    continue
                fmt, start = formats[kind]
                for c in pr:
                    if _local(c.tag) == "numFmt":
                        fmt = _attr(c, "val") or fmt
                    elif _local(c.tag) == "numStart":
                        start = _int(_attr(c, "val")) or start
                formats[kind] = (fmt, start)
        return formats

    def _heading_levels(self, styles: etree._Element | None) -> dict[str, int]:
        """Paragraph style id -> outline level (1-based) for the heading styles."""
        levels: dict[str, int] = {}
        if styles is None:
            return levels
        for style in styles:
            if _local(style.tag) != "style" or _attr(style, "type") != "paragraph":
                continue
            sid = _attr(style, "styleId") or ""
            for c in style.iter():
                name = _local(c.tag)
                if name == "name":
                    m = _HEADING_NAME.match((_attr(c, "val") or "").strip())
                    if m:
                        levels.setdefault(sid, int(m.group(1) or 1))
                elif name == "outlineLvl":
                    level = _int(_attr(c, "val"))
                    if level is not None and level < 9:
                        levels[sid] = level + 1
        return levels

    def _notes_part(self, name: str | None, kind: str) -> dict[str, list[_Para]]:
        """Note id -> its paragraphs, for the normal notes of a footnotes/endnotes part."""
        if name is None:
            return {}
        data = self.package.checked(name)
        if data is None:
            return {}
        rels = self.package.rels(name)
        out: dict[str, list[_Para]] = {}
        depth = count = 0
        events = etree.iterparse(io.BytesIO(data), events=("start", "end"), resolve_entities=False,
                                 no_network=True, load_dtd=False, huge_tree=False, remove_comments=True,
                                 remove_pis=True)
        try:
            for event, note in events:  # streamed like the body: each note is walked, then freed
                depth += 1 if event == "start" else -1
                if event == "start" or depth != 1:
                    continue
                if _local(note.tag) == kind and (_attr(note, "type") or "normal") == "normal":
                    paras = _Walker(rels).walk(note)
                    count += len(paras)
                    if count > MAX_PARAGRAPHS:
                        self.diagnostics.append(Diagnostic(
                            "P002",
                            f"Only the {kind}s holding the first {MAX_PARAGRAPHS:,} paragraphs were read; the "
                            "rest is not in this report.",
                            None,
                            suggestion="Split the document and check the parts separately.",
                        ))
                        break
                    out[_attr(note, "id") or ""] = paras
                note.clear()
                parent = note.getparent()
                if parent is not None:
                    while note.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as exc:
            raise self.package.malformed(name, exc) from exc
        return out

    def _body(self, main: str, rels: dict[str, tuple[str, str, bool]]) -> tuple[list[_Para], etree._Element | None]:
        """The paragraphs of the main part's body and its last section properties, streamed.

        The body is parsed with ``iterparse`` and each of its blocks (a paragraph, a table) is walked and
        then freed, so memory follows the paragraphs kept, not the XML: a 10 MB file expanding to 90 MiB
        of tiny paragraphs used 3 GB as one tree. Past ``MAX_PARAGRAPHS`` the rest is not read (a P002
        says so).
        """
        data = self.package.checked(main)
        assert data is not None  # (_main_part checked that the part exists)
        walker = _Walker(rels)
        paras: list[_Para] = []
        sect_pr: etree._Element | None = None
        depth = 0
        events = etree.iterparse(io.BytesIO(data), events=("start", "end"), resolve_entities=False,
                                 no_network=True, load_dtd=False, huge_tree=False, remove_comments=True,
                                 remove_pis=True)
        try:
            for event, el in events:
                if event == "start":
                    depth += 1
                    if depth == 1 and _local(el.tag) != "document":
                        raise InputError(self.path, f"not a Word document: {main} is not a WordprocessingML document")
                    continue
                depth -= 1
                name = _local(el.tag)
                if depth != 2 and not (depth == 1 and name != "body"):
                    continue  # inside a block (walked with it), or the body itself
                if name == "sectPr":
                    sect_pr = el
                    continue
                if paras and budget.expired():
                    self.diagnostics.append(Diagnostic(
                        "P001",
                        f"Only the first {len(paras):,} paragraphs of the document were read within "
                        f"--document-timeout ({budget.seconds() or 0:g} s); the rest is not in this report.",
                        Location(len(paras)),
                        suggestion="Check the document for parts that are costly to read, or raise "
                        "--document-timeout.",
                    ))
                    break
                walker.paras = []
                walker._visit(el)
                paras.extend(p for p in walker.paras if p.holds_anything())
                el.clear()
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]  # the blocks already walked
                if len(paras) > MAX_PARAGRAPHS:
                    del paras[MAX_PARAGRAPHS:]
                    self.diagnostics.append(Diagnostic(
                        "P002",
                        f"Only the first {MAX_PARAGRAPHS:,} paragraphs of the document were read (it holds "
                        "more); the rest is not in this report.",
                        Location(MAX_PARAGRAPHS),
                        suggestion="Split the document and check the parts separately.",
                    ))
                    break
        except etree.XMLSyntaxError as exc:
            raise self.package.malformed(main, exc) from exc
        return paras, sect_pr

    def document(self) -> Document:
        main = self._main_part()
        rels = self.package.rels(main)
        paras, sect_pr = self._body(main, rels)
        numbering = self._numbering(self.package.xml(_related(rels, "settings") or "word/settings.xml"), sect_pr)
        levels = self._heading_levels(self.package.xml(_related(rels, "styles") or "word/styles.xml"))
        parts = {
            "footnote": self._notes_part(_related(rels, "footnotes"), "footnote"),
            "endnote": self._notes_part(_related(rels, "endnotes"), "endnote"),
        }

        # printed labels, in order of reference
        counters = {kind: numbering[kind][1] for kind in parts}
        label_of: dict[tuple[str, str], str] = {}
        first_para: dict[tuple[str, str], int] = {}
        markers: list[Marker] = []
        para_markers: list[list[tuple[int, str]]] = []
        for number, para in enumerate(paras, 1):
            found: list[tuple[int, str]] = []
            for ref in para.refs:
                key = (ref.kind, ref.note_id)
                if ref.custom:
                    label_of.setdefault(key, ref.custom)
                elif key not in label_of:
                    label_of[key] = format_number(counters[ref.kind], numbering[ref.kind][0])
                    counters[ref.kind] += 1
                first_para.setdefault(key, number)
                found.append((ref.offset, label_of[key]))
                markers.append(Marker(label_of[key], Location(number, ref.offset + 1)))
            para_markers.append(found)

        # the references / notes section
        section, word, heading_at = self._section(paras, levels)
        hyph = Hyphenation("")
        notes: list[Note] = []
        for kind, part in parts.items():
            for nid in sorted(part, key=lambda nid: first_para.get((kind, nid), len(paras) + 1)):
                texts = [_with_urls(p) for p in part[nid] if p.size]
                text = " ".join(t for t in texts if t)
                key = (kind, nid)
                label = label_of.get(key) or f"{'fn' if kind == 'footnote' else 'en'}{nid}"
                line = first_para.get(key) or len(paras) + len(notes) + 1
                if text:
                    notes.append(make_note(RawNote(label, line, [text]), hyph, self.diagnostics))

        entries: list[Entry] = []
        listed = [(number, paras[number - 1]) for number in section]
        numeric = [n.label for n in notes if n.label.isdigit()]
        if listed and is_note_heading(word) and not note_like([text for _, _, text in self._items(listed)]):
            # "Notes" over items that cite nothing: body content, read as such
            listed, section, word, heading_at = [], [], "", None
        if listed and is_note_heading(word):
            items = self._items(listed)
            notes.extend(make_note(RawNote(label, line, [text]), hyph, self.diagnostics)
                         for label, line, text in items)
            numeric += [label for label, _, _ in items if label.isdigit()]
        elif listed:
            entries = [Entry(label, text, Location(line)) for label, line, text in self._items(listed)]

        # superscript numbers typed in the body count as markers when hand-made notes exist
        limit = max(int(n) for n in numeric) + 3 if is_note_heading(word) and numeric else 0
        paragraphs: list[Paragraph] = []
        links: list[Hyperlink] = []
        skip = set(section) | ({heading_at} if heading_at else set())
        for number, para in enumerate(paras, 1):
            if number in skip:
                continue
            found = para_markers[number - 1]
            if limit:
                for offset, label in para.plain_marks:
                    if 1 <= int(label) <= limit:
                        found.append((offset, label))
                        markers.append(Marker(label, Location(number, offset + 1)))
                found.sort()
            text = para.text()
            for link in para.links:
                raw = text[link.start : link.end]
                anchor, start = raw.strip(), link.start + len(raw) - len(raw.lstrip())
                if link.url and not find_urls(anchor):
                    links.append(Hyperlink(link.url, Location(number, start + 1), anchor))
            if text:
                paragraphs.append(Paragraph(text, ((0, number),), tuple(found)))
        markers.sort(key=lambda m: (m.location.line, m.location.column or 0))
        return DocumentBuilder(self.path, "docx", markers=markers, notes=notes, entries=entries, paragraphs=paragraphs,
                               diagnostics=self.diagnostics, links=links).build()

    @staticmethod
    def _level(para: _Para, levels: dict[str, int]) -> int | None:
        if para.outline is not None and para.outline < 9:
            return para.outline + 1
        if para.style:
            if para.style in levels:
                return levels[para.style]
            m = re.fullmatch(r"(?i)heading\s*(\d)", para.style)
            if m:
                return int(m.group(1))
            if para.style.lower() == "title":
                return 1
        return None

    def _section(self, paras: list[_Para], levels: dict[str, int]) -> tuple[list[int], str, int | None]:
        """Paragraph numbers of the last notes/references section's items, its heading word and paragraph."""
        for i in range(len(paras) - 1, -1, -1):
            text = paras[i].text()
            if len(text) > 40 or paras[i].refs:
                continue
            m = HEADING_RE.match(text)
            if not m:
                continue
            level = self._level(paras[i], levels)
            items: list[int] = []
            for j in range(i + 1, len(paras)):
                other = self._level(paras[j], levels)
                if other is not None and (level is None or other <= level):
                    break
                if paras[j].size:
                    items.append(j + 1)
            if items:
                return items, m.group(1).lower(), i + 1
        return [], "", None

    @staticmethod
    def _items(listed: list[tuple[int, _Para]]) -> list[tuple[str, int, str]]:
        """``(label, paragraph number, text)`` per item: the printed number when there is one, else the ordinal."""
        out = []
        for k, (number, para) in enumerate(listed, 1):
            text = _with_urls(para)
            m = LIST_ITEM_RE.match(text)
            label = str(k)
            if m:
                label, text = m.group(1) or m.group(2), m.group(3)
            elif para.plain_marks and para.plain_marks[0][0] == 0:
                label = para.plain_marks[0][1]
            out.append((label, number, text.strip()))
        return out


def _with_urls(para: _Para) -> str:
    """The paragraph's text with each link's URL written after its anchor text (unless the text shows it)."""
    text = para.text()
    for link in sorted(para.links, key=lambda lk: lk.end, reverse=True):
        if link.url and not find_urls(text[link.start : link.end]):
            text = f"{text[: link.end]} <{link.url}>{text[link.end :]}"
    return text
