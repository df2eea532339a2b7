"""Markdown (``.md``, ``.markdown``), parsed with markdown-it-py (CommonMark) and mdit-py-plugins.

What is read (code spans, fenced and indented code, and HTML blocks are left out):

* **Footnotes**: ``[^label]`` references are note markers and ``[^label]: …``
  definitions (with their indented continuation blocks) are notes, located at
  their lines. A reference with no definition is M001 and a definition never
  referenced M002 (the rules see the markers and notes as they are); a label
  defined twice is reported as M003 (note-numbering: a label that *repeats*) at
  the second definition — the first is the one renderers show. Inline notes
  ``^[…]`` are notes too.
* **Links**: inline links ``[text](url)`` and links whose reference is defined
  become ``Document.links``; autolinks ``<https://…>`` and bare URLs stay in
  the paragraph text, where the pipeline finds them. A reference-style link
  ``[text][ref]`` or ``[text][]`` whose ``[ref]:`` definition is missing —
  markdown-it leaves it as plain text — is reported like a marker without its
  note (M001).
* **A references section**: the list items (or paragraphs) under a heading
  such as "References", "Bibliography" or "Works cited", up to the next heading
  of the same or a higher level, are bibliography entries (parsed from their
  text), unless the document cites by pandoc keys.
* **Pandoc citations**: ``[@key; @other, p. 33]``, ``[-@key]`` and ``@key`` in
  running text (and inside inline notes) are citation keys. The ``bibliography:``
  file(s) of the YAML front matter are listed in ``Document.requests`` for the
  pipeline to read (``verifier.inputs``); inline ``references:`` (CSL YAML) are
  read here. ``nocite: '@*'`` marks every entry as cited. A bare ``@word`` counts
  where the document names a bibliography or also cites with brackets (otherwise
  it is an @-mention); ``\\@ref(label)`` is bookdown's cross-reference, no key.
  Keys that no bibliography answers are reported by ``verifier.readers.project``.
* **Pandoc's dialect**: an HTML comment line inside ``^[…]`` stays in the note;
  definition lists are prose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from verifier.model import Diagnostic, Document, Entry, Hyperlink, Include, KeyCite, Location, Marker, Note, Paragraph
from verifier.readers.builder import DocumentBuilder
from verifier.readers.csl import csl_entry, item_line
from verifier.readers.decoding import decode
from verifier.readers.sections import REFERENCES_HEADING_RE

MAX_NESTING = 100
"""markdown-it's nesting limit (``maxNesting``; the CommonMark preset's 20 dropped lists nested ten deep).

Past it markdown-it skips the rest of the block it is in, which for a list or a block quote is often the
rest of the document. 100 token levels keep its recursive block parser well inside Python's recursion limit.
"""

MAX_DEPTH = 80
"""How deep a line's containers (block quotes, list items, indentation) may be before ``_flattened``
reads it as a plain paragraph: far past any real document, and below ``MAX_NESTING`` with room for the
paragraph and inline levels inside, so markdown-it never reaches its own limit."""

_MD = (
    MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
    .use(front_matter_plugin)
    .use(footnote_plugin, move_to_end=False)
    .use(deflist_plugin)  # pandoc's definition lists: their indented paragraphs are no code
    .enable("table")
)
_KEY = r"[\w][\w:.#$%&\-+?<>~/]*[\w]|[\w]"
_CITE_GROUP = re.compile(r"\[([^\[\]]*?-?@(?:" + _KEY + r"|\{[^{}]*\})[^\[\]]*)\]")
_KEY_IN_GROUP = re.compile(r"(?<![\w@])-?@(" + _KEY + r"|\{[^{}]*\})")
_BARE_KEY = re.compile(r"(?<![\w@.\-/\\])@(" + _KEY + r")")
_UNDEFINED_FOOTNOTE = re.compile(r"\[\^([^\]\[\s]+)\]")

_FILE_SUFFIXES = frozenset({
    "md", "markdown", "rmd", "qmd", "ipynb", "txt", "html", "htm", "xhtml", "pdf", "tex", "bib", "json", "yml",
    "yaml", "csv", "png", "jpg", "jpeg", "gif", "svg", "webp",
})
"""The suffixes that make a scheme-less link target a file of the project (``paths.md``), not a host."""


def local_target(href: str) -> bool:
    """Whether a link target is a file or page of the project itself: a relative path, no web address.

    A book's chapters link to each other (``[module](items/modules.md)``, ``[attributes](attributes.md#x)``):
    these are cross-references, which pandoc or mdBook resolve, not sources to check, as the HTML reader
    leaves out a relative ``href``. A target that names a host without its scheme (``www.example.org/x``,
    ``example.org``) is no such path: it stays a link, and the check says it is malformed (F004).
    """
    if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", href) or href.startswith("//"):
        return False
    if href.startswith(("./", "../", "/", "?")):
        return True
    first = re.split(r"[/?#]", href, maxsplit=1)[0]
    if first.lower().startswith("www."):
        return False
    return "." not in first or first.rsplit(".", 1)[1].lower() in _FILE_SUFFIXES
_REF_LINK = re.compile(r"(?<![\]\\!])\[([^\[\]]+)\]\[([^\[\]]*)\](?![(\[:])")
def read(data: bytes, path: str) -> Document:
    """Read a Markdown document (and the bibliography files its front matter names)."""
    return parse_markdown(decode(data, path), path)


# --------------------------------------------------------------------------- positions


class _Source:
    """The source lines, and a cursor per line so that repeated constructs are found left to right."""

    def __init__(self, text: str) -> None:
        self.lines = re.split(r"\r\n|\r|\n", text)
        self.cursor: dict[int, int] = {}

    def find(self, needle: str, line: int) -> Location:
        """Where ``needle`` next stands on 1-based ``line`` (column None when it is not found as written)."""
        if not 1 <= line <= len(self.lines):
            return Location(max(line, 1))
        start = self.cursor.get(line, 0)
        col = self.lines[line - 1].find(needle, start)
        if col < 0:
            col = self.lines[line - 1].find(needle)  # found out of order: still the right place
        if col < 0:
            return Location(line)
        self.cursor[line] = col + len(needle)
        return Location(line, col + 1)

    def has(self, needle: str, line: int) -> bool:
        return 1 <= line <= len(self.lines) and needle in self.lines[line - 1]


@dataclass
class _Inline:
    """One inline token rendered to text, with what stands in it."""

    text: str = ""
    lines: list[tuple[int, int]] = field(default_factory=list)
    markers: list[tuple[int, str, Location]] = field(default_factory=list)
    links: list[Hyperlink] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    spans: list[tuple[int, int, int]] = field(default_factory=list)
    """``(start, end, line)`` of each plain-text run: where pandoc keys and unresolved link references are."""


def _render(token: Token, src: _Source, footnotes: dict[int, Any], *, in_note: bool) -> _Inline:
    """An inline token's text: links as "text, url" (in notes and entries) or as Document links (body)."""
    out = _Inline()
    line = (token.map[0] + 1) if token.map else 1
    out.lines.append((0, line))
    href_stack: list[tuple[str, int]] = []
    parts: list[str] = []
    length = 0

    def add(text: str, plain: bool = False) -> None:
        nonlocal length
        if plain and text:
            out.spans.append((length, length + len(text), line))
        parts.append(text)
        length += len(text)

    for child in token.children or ():
        kind = child.type
        if kind == "text":
            if "[^" in child.content:  # a reference to a footnote never defined stays text: still a marker
                for m in _UNDEFINED_FOOTNOTE.finditer(child.content):
                    if src.has(m.group(0), line):
                        out.markers.append((length + m.start(), m.group(1), src.find(m.group(0), line)))
            add(child.content, plain=True)
        elif kind in ("softbreak", "hardbreak"):
            add(" ")
            line += 1
            out.lines.append((length, line))
        elif kind == "code_inline":
            add(" " * len(child.content))  # code is not prose: keep offsets, drop the content
        elif kind == "footnote_ref":
            label = str(child.meta.get("label") or f"^{child.meta.get('id', 0) + 1}")
            needle = f"[^{child.meta['label']}]" if child.meta.get("label") else "^["
            out.markers.append((length, label, src.find(needle, line)))
        elif kind == "link_open":
            href = str(child.attrs.get("href") or "")
            href_stack.append((href, length))
        elif kind == "link_close" and href_stack:
            href, start = href_stack.pop()
            anchor = "".join(parts)[start:]
            if not href or href.startswith("#") or local_target(href):
                continue
            if child.markup == "autolink" or href == anchor.strip() or href.removeprefix("mailto:") == anchor:
                if not href.startswith("mailto:"):
                    out.urls.append(href)
                continue
            if in_note:
                add(f", {href}")
                out.urls.append(href)
            else:
                where = src.find(href, line)
                if where.column is None:  # a reference-style link: the URL stands in its definition
                    where = src.find(f"[{anchor}]", line)
                out.links.append(Hyperlink(href, where, anchor.strip()))
        elif kind == "image":
            add(child.content)
        elif kind in ("html_inline",):
            continue
    out.text = "".join(parts)
    return out


# --------------------------------------------------------------------------- document


@dataclass
class _Doc(DocumentBuilder):
    src: _Source = field(kw_only=True)
    bare_keys: list[KeyCite] = field(default_factory=list)
    bib_entries: list[Entry] = field(default_factory=list)
    nocite: list[KeyCite] = field(default_factory=list)


def parse_markdown(text: str, path: str) -> Document:
    """Build a Document from Markdown source (``path`` locates the bibliography files it names)."""
    env: dict[str, Any] = {}
    flat, deep = _flattened(text)
    tokens = _MD.parse(_comments_in_notes(_defused(flat)), env)
    doc = _Doc(path, "markdown", src=_Source(text))
    if deep:
        doc.diagnostics.append(
            Diagnostic(
                "P001",
                f"The Markdown is nested more than {MAX_DEPTH} levels deep (block quotes, lists) on "
                + (f"line {deep[0]}: it was" if len(deep) == 1 else f"{len(deep)} lines from line {deep[0]} to "
                   f"{deep[-1]}: they were")
                + " read as plain paragraphs, their text and links kept.",
                Location(deep[0]),
                suggestion="Flatten the nesting of those lines.",
            )
        )
    footnotes = (env.get("footnotes") or {}).get("list") or {}
    for token in tokens:
        if token.type == "front_matter":
            _front_matter(doc, token)
    _walk(doc, tokens, footnotes)
    _inline_notes(doc, footnotes)
    # a bare @word is a citation where the document cites with pandoc's brackets or names a bibliography;
    # elsewhere it is an @-mention
    bare = doc.bare_keys if doc.bibliography or doc.keys else []
    keys = sorted(doc.keys + bare,
                  key=lambda k: (k.location.line, k.location.column or 0)) + doc.nocite
    entries = doc.entries
    if doc.bibliography:
        entries = doc.bib_entries  # a hand-written list beside pandoc keys is what pandoc would generate
    doc.keys = keys
    doc.entries = entries
    return doc.build()


_MAX_BRACKETS_PER_LINE = 400


def _flattened(text: str) -> tuple[str, list[int]]:
    """``text`` with the container prefix of each line nested more than ``MAX_DEPTH`` deep taken off,
    and the numbers of those lines.

    A line's depth is over-estimated in one pass over its prefix: one per ``>``, two per list or
    definition marker (a list and its item are two levels), one per column of indentation (a nested
    list is indented at least two columns per level). Lines inside
    fenced code are left alone. A line past the limit keeps its text, as a paragraph of its own level.
    """
    if len(text) < MAX_DEPTH:
        return text, []
    lines = text.split("\n")
    deep: list[int] = []
    fence = ""
    for n, line in enumerate(lines):
        stripped = line.lstrip(" \t>")
        if fence:
            if stripped.startswith(fence):
                fence = ""
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        depth, end = _prefix_depth(line)
        if depth > MAX_DEPTH:
            deep.append(n + 1)
            lines[n] = line[end:]
    return ("\n".join(lines), deep) if deep else (text, [])


def _prefix_depth(line: str) -> tuple[int, int]:
    """The estimated container depth of ``line`` (markdown-it's token level, or more) and where its prefix ends."""
    depth = i = 0
    end = len(line)
    while i < end:
        ch = line[i]
        if ch == " ":
            depth += 1
        elif ch == "\t":
            depth += 4
        elif ch == ">":
            depth += 1
            i += 2 if line[i + 1 : i + 2] == " " else 1  # (the space after a marker is part of it)
            continue
        elif ch in "-+*:" and (i + 1 == end or line[i + 1] in " \t"):
            depth += 2
            i += 2
            continue
        elif ch.isdigit():
            j = i
            while j < end and j - i < 9 and line[j].isdigit():
                j += 1
            if j < end and line[j] in ".)" and (j + 1 == end or line[j + 1] in " \t"):
                depth += 2
                i = j + 2
                continue
            break
        else:
            break
        i += 1
    return depth, i


def _defused(text: str) -> str:
    """``text`` with the brackets of any line holding more than a few hundred escaped.

    markdown-it's link and footnote-reference rules rescan the rest of a line from every unmatched ``[``: a
    line of thousands of them would take minutes. No real line has that many; on such a line the brackets
    are read as text (the reader still finds ``[^label]`` and ``[text][ref]`` in it, in the original).
    """
    if text.count("[") <= _MAX_BRACKETS_PER_LINE:
        return text
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if line.count("[") > _MAX_BRACKETS_PER_LINE:
            lines[n] = line.replace("\\", "\\\\").replace("[", "\\[")
    return "\n".join(lines)


def _walk(doc: _Doc, tokens: Sequence[Token], footnotes: dict[int, Any]) -> None:
    note: tuple[str, int, list[str], list[str]] | None = None  # label, line, texts, urls
    defined: dict[str, int] = {}
    section_level: int | None = None  # inside a references section: its heading level
    item_line: int | None = None
    item_label = ""
    item_texts: list[str] = []
    depth = 0
    quoting = 0  # block quotations open around the token
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        quoting += (kind == "blockquote_open") - (kind == "blockquote_close")
        if kind == "footnote_reference_open":
            label = str(token.meta.get("label", ""))
            line = token.map[0] + 1 if token.map else 1
            note = (label, line, [], [])
        elif kind == "footnote_reference_close" and note is not None:
            label, line, texts, urls = note
            note = None
            if label in defined:
                doc.diagnostics.append(
                    Diagnostic(
                        "M003",
                        f"Footnote [^{label}] is defined twice (lines {defined[label]} and {line}); renderers show "
                        "the first definition and drop this one.",
                        Location(line, 1),
                        suggestion=f"Give one of the two footnotes another label, or delete the second [^{label}]:.",
                    )
                )
            else:
                defined[label] = line
                doc.notes.append(Note(label, " ".join(" ".join(texts).split()), Location(line, 1),
                                      tuple(dict.fromkeys(urls))))
        elif kind == "heading_open":
            level = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
            title = tokens[i + 1].content.strip() if i + 1 < len(tokens) else ""
            if note is None:
                if REFERENCES_HEADING_RE.match(title.strip("*_ ")):
                    section_level = level
                    depth = 0
                elif section_level is not None and level <= section_level:
                    section_level = None
            if section_level is not None:
                i += 3  # the heading of (or within) a references section is no entry
                continue
            # a body heading's inline (next token) is read like a paragraph: its markers and links count
        elif kind == "list_item_open" and section_level is not None and note is None:
            depth += 1
            if depth == 1:
                item_line = token.map[0] + 1 if token.map else 1
                item_label = token.info or str(len(doc.entries) + 1)
                item_texts = []
        elif kind == "list_item_close" and section_level is not None and note is None:
            depth -= 1
            if depth == 0 and item_line is not None:
                _add_entry(doc, item_label, item_texts, item_line)
                item_line = None
        elif kind == "inline":
            rendered = _render(token, doc.src, footnotes, in_note=note is not None or section_level is not None)
            _unresolved_references(doc, rendered)
            _pandoc_keys(doc, rendered)
            if note is not None:
                note[2].append(rendered.text)
                note[3].extend(rendered.urls)
                doc.markers.extend(Marker(label, loc) for _, label, loc in rendered.markers)
            elif section_level is not None:
                if item_line is not None:
                    item_texts.append(rendered.text)
                elif tokens[i - 1].type == "paragraph_open":
                    _add_entry(doc, str(len(doc.entries) + 1), [rendered.text], rendered.lines[0][1])
            else:
                _body(doc, rendered, quoting > 0)
        i += 1


def _add_entry(doc: _Doc, label: str, texts: Iterable[str], line: int) -> None:
    text = " ".join(" ".join(texts).split())
    if text:
        doc.entries.append(Entry(label, text, Location(line, 1)))


def _body(doc: _Doc, rendered: _Inline, quoted: bool = False) -> None:
    doc.markers.extend(Marker(label, loc) for _, label, loc in rendered.markers)
    doc.links.extend(rendered.links)
    if rendered.text.strip():
        doc.paragraphs.append(
            Paragraph(rendered.text, tuple(rendered.lines), tuple((off, label) for off, label, _ in rendered.markers),
                      quoted=quoted)
        )


def _inline_notes(doc: _Doc, footnotes: dict[int, Any]) -> None:
    """``^[…]`` notes: their text is rendered from the plugin's tokens (so their reference-style links,
    autolinks and pandoc keys count, and HTML comments drop out); their place is their marker's."""
    for n, data in footnotes.items():
        if "content" not in data or data.get("label"):
            continue
        label = f"^{n + 1}"
        marker = next((m for m in doc.markers if m.label == label), None)
        location = marker.location if marker else Location(1)
        token = Token("inline", "", 0, map=[location.line - 1, location.line], children=data.get("tokens") or [])
        rendered = _render(token, doc.src, footnotes, in_note=True)
        _pandoc_keys(doc, rendered)
        text = " ".join(rendered.text.replace(_ZWSP, "").split())
        doc.notes.append(Note(label, text, location, tuple(dict.fromkeys(rendered.urls))))


_ZWSP = "\u200b"


def _comments_in_notes(text: str) -> str:
    """An HTML comment opening a line inside an inline note ``^[…]`` stays in the note, as in pandoc.

    CommonMark lets a comment line interrupt a paragraph (an HTML block), which cut the note in two. A
    zero-width space before it makes it inline HTML (dropped from the note's text); only that line's
    columns move, by one."""
    if "^[" not in text or "<!--" not in text:
        return text
    lines = text.split("\n")
    depth = 0
    for n, line in enumerate(lines):
        if not line.strip():
            depth = 0  # a blank line ends the paragraph, and an unclosed note with it
            continue
        if depth > 0 and line.lstrip(" ").startswith("<!--") and len(line) - len(line.lstrip(" ")) < 4:
            lines[n] = _ZWSP + line
        k = 0
        while k < len(line):
            ch = line[k]
            if ch == "\\":
                k += 2
                continue
            if ch == "^" and line.startswith("^[", k) and depth == 0:
                depth, k = 1, k + 2
                continue
            if depth > 0 and ch == "[":
                depth += 1
            elif depth > 0 and ch == "]":
                depth -= 1
            k += 1
    return "\n".join(lines)


def _unresolved_references(doc: _Doc, rendered: _Inline) -> None:
    """``[text][ref]`` / ``[text][]`` left as text by markdown-it: their definition is missing."""
    for start, end, line in rendered.spans:
        for m in _REF_LINK.finditer(rendered.text, start, end):
            label = m.group(2) or m.group(1)
            if not normalizeReference(label).strip():
                continue
            written = m.group(0)
            if not doc.src.has(written, line):
                continue  # escaped brackets, or text markdown-it rebuilt
            doc.diagnostics.append(
                Diagnostic(
                    "M001",
                    f"The reference-style link {written} has no definition: no “[{label}]: URL” line in the "
                    "document, so it renders as plain text.",
                    doc.src.find(written, line),
                    suggestion=f"Add “[{label}]: <url>” on a line of its own, or make it an inline link.",
                )
            )


def _pandoc_keys(doc: _Doc, rendered: _Inline) -> None:
    for start, end, line in rendered.spans:
        chunk = rendered.text[start:end]
        taken: list[tuple[int, int]] = []
        for group in _CITE_GROUP.finditer(chunk):
            taken.append(group.span())
            for m in _KEY_IN_GROUP.finditer(group.group(1)):
                key = m.group(1).strip("{}")
                doc.keys.append(KeyCite(key, doc.src.find("@" + m.group(1), line)))
        for m in _BARE_KEY.finditer(chunk):
            if any(s <= m.start() < e for s, e in taken):
                continue
            if doc.src.has("\\@" + m.group(1), line):
                continue  # an escaped @ is no citation: bookdown's \@ref(label) cross-reference
            doc.bare_keys.append(KeyCite(m.group(1), doc.src.find("@" + m.group(1), line)))


# --------------------------------------------------------------------------- front matter


def _front_matter(doc: _Doc, token: Token) -> None:
    import yaml  # type: ignore[import-untyped]  # loaded only for a document with front matter

    content = token.content
    if token.map:  # the lines as written (the token's may have brackets escaped by _defused)
        content = "\n".join(doc.src.lines[token.map[0] + 1 : token.map[1] - 1])
    try:
        meta = yaml.safe_load(content)
    except RecursionError:
        doc.diagnostics.append(
            Diagnostic(
                "P001",
                "The YAML front matter is nested too deeply to read; its bibliography and references were not used.",
                Location(1),
                suggestion="Flatten the YAML between the --- lines.",
            )
        )
        return
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 1
        doc.diagnostics.append(
            Diagnostic(
                "P001",
                f"The YAML front matter cannot be read ({getattr(exc, 'problem', None) or exc}); its bibliography "
                "and references were not used.",
                Location(line),
                suggestion="Fix the YAML between the --- lines.",
            )
        )
        return
    if not isinstance(meta, dict):
        return
    bibliography = meta.get("bibliography")
    names = [bibliography] if isinstance(bibliography, str) else bibliography if isinstance(bibliography, list) else []
    line = _meta_line(doc.src, "bibliography")
    for name in names:
        if isinstance(name, str) and name.strip():
            doc.bibliography = True
            doc.requests.append(Include(name.strip(), "bibliography", Location(line)))
    references = meta.get("references")
    if isinstance(references, list):
        doc.bibliography = True
        for item in references:
            if isinstance(item, dict) and item.get("id"):
                key = str(item["id"])
                doc.bib_entries.append(csl_entry(item, Location(item_line(doc.src.lines, key))))
    nocite = meta.get("nocite")
    if isinstance(nocite, str):
        nocite_line = _meta_line(doc.src, "nocite")
        for m in re.finditer(r"@(\*|" + _KEY + ")", nocite):
            doc.nocite.append(KeyCite(m.group(1), Location(nocite_line)))


def _meta_line(src: _Source, name: str) -> int:
    for n, line in enumerate(src.lines[:400], 1):
        if line.startswith(name + ":"):
            return n
    return 1
