"""LaTeX (``.tex``) with its BibTeX bibliography.

What is read, after comments (``%`` to the end of the line, not ``\\%``), the
``comment`` environment and verbatim material (``verbatim``, ``lstlisting``,
``minted``, ``\\verb``) are blanked out:

* **Citation keys**: every command of the ``\\cite`` family — ``\\cite``,
  ``\\citep``, ``\\citet``, ``\\citealp``, ``\\citeauthor``, ``\\autocite``,
  ``\\parencite``, ``\\textcite``, ``\\footcite``, ``\\nocite``, their starred and
  capitalised forms, and the multi-cite forms (``\\textcites[see][12]{a}{b}``) —
  with optional arguments (``[p.~3]``, ``[see][12]``) and comma-separated
  keys, each key located at its own line and column. ``\\nocite{*}`` marks every
  entry as cited.
* **Footnotes**: ``\\footnote{…}``, ``\\footnotetext{…}`` and ``\\endnote{…}``
  with nested braces, numbered as LaTeX numbers them (``\\footnote[5]{…}``
  keeps its 5). A footnote's ``\\cite`` keys count as citations; its text,
  without them, is a note when it holds more than a bare page reference.
* **Links**: ``\\url{…}`` and ``\\href{url}{text}`` in the body (inside a
  footnote they are part of the note's text).
* **The bibliography**: ``\\bibliography{a,b}`` and ``\\addbibresource{x.bib}``
  (also ``\\addglobalbib``), names expanded through simple macros
  (``\\newcommand{\\bibfile}{refs}``, ``\\def\\bibfile{refs}``), are listed in
  ``Document.requests``; the pipeline reads them (``verifier.inputs``, inside the
  project root) and ``verifier.readers.project`` attaches their entries. A file
  that cannot be read is a P002 naming it (the keys are then not checked: they
  might be in it). ``\\begin{thebibliography}`` with ``\\bibitem[label]{key}``
  entries is read here.
* **The body** as paragraphs of prose (between ``\\begin{document}`` and
  ``\\end{document}``; blank lines separate them): markup dropped, accents and
  TeX quotes in Unicode, math, tables, figures and the bibliography left out,
  a marker where a footnote or ``\\cite`` stood — so quotations without a
  citation (M009), inline attributions and bare URLs are found as in text.
* **Parts**: files pulled in by ``\\input``/``\\include``/``\\subfile``/``\\import``
  are listed in ``Document.requests`` too; each is read whole as a document of
  its own (notes, links, quotations at its own lines), its keys checked against
  the main file's bibliography. The body of a macro definition gives no key
  (``#1``) and no note.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from verifier.model import Document, Entry, Hyperlink, Include, KeyCite, Location, Marker, Note, Paragraph
from verifier.readers.bibtex import latex_to_text, verbatim
from verifier.readers.builder import DocumentBuilder
from verifier.readers.decoding import decode

_COMMAND = re.compile(r"\\([A-Za-z@]+)(\*?)")
_CITE = re.compile(r"[A-Za-z]*cite[A-Za-z]*", re.IGNORECASE)
_NOT_CITES = frozenset({"citestyle", "citeindextrue", "citeindexfalse", "defcitealias", "citesetup"})
_NOTES = frozenset({"footnote", "footnotetext", "endnote"})
_BIB_COMMANDS = frozenset({"bibliography", "addbibresource", "addglobalbib", "addsectionbib", "nobibliography"})
_INPUTS = frozenset({"input", "include", "subfile", "import", "subimport"})
_VERBATIM_ENVS = ("verbatim", "verbatim*", "lstlisting", "minted", "comment", "Verbatim", "alltt")
_LEAD_INS = frozenset("see also cf e g eg for example and the in on at p pp ibid".split())
_DEFINITIONS = frozenset({"newcommand", "renewcommand", "providecommand", "def", "gdef", "edef", "xdef",
                          "DeclareRobustCommand", "NewDocumentCommand", "RenewDocumentCommand"})


def read(data: bytes, path: str) -> Document:
    """Read a LaTeX document and the bibliography files it names."""
    return parse_latex(decode(data, path), path)


# --------------------------------------------------------------------------- source text


def blank_comments(text: str) -> str:
    """``text`` with comments, ``comment``/verbatim environments and ``\\verb`` replaced by spaces.

    Offsets, line breaks and so line numbers and columns are unchanged.
    """
    chars = list(text)

    def blank(start: int, end: int) -> None:
        for k in range(start, end):
            if chars[k] != "\n":
                chars[k] = " "

    for env in _VERBATIM_ENVS:
        begin = "\\begin{" + env + "}"
        for m in re.finditer(re.escape(begin), text):
            end = text.find("\\end{" + env + "}", m.end())
            blank(m.end(), end if end >= 0 else len(text))
    for m in re.finditer(r"\\verb\*?([^A-Za-z\s])", text):
        end = text.find(m.group(1), m.end())
        if end >= 0 and "\n" not in text[m.end() : end]:
            blank(m.start(), end + 1)
    current = "".join(chars)
    # a % inside \url{…} or \href{…} is part of the address (the url package reads it verbatim)
    closers = _closers(current) if "%" in current else {}
    verbatim_urls = [
        (m.end(), closers.get(m.end() - 1, m.end())) for m in re.finditer(r"\\(?:url|href)\s*\{", current)
    ] if closers else []
    for m in re.finditer(r"(?<!\\)(?:\\\\)*%", current):
        pos = m.end() - 1
        if any(start <= pos < end for start, end in verbatim_urls):
            continue
        if chars[pos] != "%":
            continue  # already blanked as part of an earlier comment
        end = current.find("\n", pos)
        blank(pos, end if end >= 0 else len(current))
    return "".join(chars)


class _Lines:
    """Offsets to 1-based line and column."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> Location:
        i = bisect.bisect_right(self.starts, offset) - 1
        return Location(i + 1, offset - self.starts[i] + 1)


_BRACE_TOKENS = re.compile(r"\\.|[{}]", re.DOTALL)
_MAX_OPTIONAL = 1000
"""Longest ``[…]``/``(…)`` argument looked for: optional arguments are short, and a stray ``[`` must not make
every later command scan the rest of the file."""


@functools.lru_cache(maxsize=16)  # str caches its hash: a text's table is built once, then found at once
def _closers(text: str) -> dict[int, int]:
    """Where each ``{`` of ``text`` is closed (escaped braces skipped; an unclosed one is absent)."""
    out: dict[int, int] = {}
    stack: list[int] = []
    for m in _BRACE_TOKENS.finditer(text):
        ch = m.group()
        if ch == "{":
            stack.append(m.start())
        elif ch == "}" and stack:
            out[stack.pop()] = m.start()
    return out


def group(text: str, i: int, opening: str = "{", closing: str = "}") -> tuple[int, int] | None:
    """The balanced ``opening…closing`` group starting at ``i`` (after spaces, not a blank line): ``(start,
    end)`` of its content, or None. Braces inside ``[…]`` count, so ``[{]}x]`` is one optional argument."""
    n = len(text)
    while i < n and text[i] in " \t\n" and not (text[i] == "\n" and text[i + 1 : i + 2] == "\n"):
        i += 1
    if i >= n or text[i] != opening:
        return None
    closers = _closers(text)
    if opening == "{":
        close = closers.get(i)
        return (i + 1, close) if close is not None else None
    k = i + 1
    limit = min(n, i + _MAX_OPTIONAL)
    while k < limit:  # str.find runs at C speed; braces inside the argument are jumped over whole
        end = text.find(closing, k, limit)
        brace = text.find("{", k, end if end >= 0 else limit)
        if brace < 0:
            return (i + 1, end) if end >= 0 else None
        close = closers.get(brace)
        if close is None:
            return None
        k = close + 1
    return None


# --------------------------------------------------------------------------- document


@dataclass
class _State(DocumentBuilder):
    text: str = field(kw_only=True)
    lines: _Lines = field(kw_only=True)
    macros: dict[str, str] = field(default_factory=dict)
    """Simple macros without arguments (``\\newcommand{\\bibfile}{refs}``, ``\\def\\bibfile{refs}``), expanded
    in the names of bibliographies and parts."""
    bib_remote: bool = False
    bib_named: bool = False
    note_end: int = 0
    """Where the latest footnote's text ends (a link before it stands in that note)."""
    footnote_number: int = 0
    marker_at: dict[int, str] = field(default_factory=dict)
    """Offset of each \\footnote/\\footnotemark command: its label (the body paragraphs place markers by it)."""


def parse_latex(source: str, path: str) -> Document:
    """Build a Document from LaTeX source. The bibliographies and parts it names are listed in
    ``Document.requests`` for the pipeline to load (``verifier.readers.project``); none is opened here."""
    text = blank_comments(source)
    st = _State(path, "latex", text=text, lines=_Lines(text))
    definitions = _definition_bodies(st)
    for m in _COMMAND.finditer(text):
        if definitions and _inside(definitions, m.start()):
            continue  # the body of a \newcommand: "#1" is no key, its \footnote no note
        name = m.group(1)
        if name in _NOTES:
            _footnote(st, m)
        elif name == "footnotemark":
            _footnotemark(st, m)
        elif _CITE.fullmatch(name) and name.lower() not in _NOT_CITES:
            st.keys.extend(cite_keys(text, m, st.lines))
        elif name in ("url", "href"):
            if m.start() >= st.note_end:  # commands come in order: a link before the end of the last note is in it
                _link(st, m)
        elif name in _BIB_COMMANDS:
            _bibliography(st, m)
        elif name in _INPUTS:
            _input(st, m)
    _thebibliography(st)
    st.paragraphs = body_paragraphs(st)
    if st.bib_remote:
        st.keys = []  # a bibliography on the web: its keys cannot be checked
    st.bibliography = st.bib_named or bool(st.entries)
    return st.build()


def _definition_bodies(st: _State) -> list[tuple[int, int]]:
    """The spans of macro definitions' bodies; simple macros without arguments are kept in ``st.macros``."""
    spans: list[tuple[int, int]] = []
    text = st.text
    if "def" not in text and "command" not in text:
        return spans
    for m in re.finditer(r"\\(newcommand|renewcommand|providecommand|[gex]?def|DeclareRobustCommand|"
                         r"NewDocumentCommand|RenewDocumentCommand)\*?\s*", text):
        i = m.end()
        name_span = group(text, i)
        if name_span is not None:
            name, i = text[name_span[0] : name_span[1]].strip(), name_span[1] + 1
        else:
            macro = _COMMAND.match(text, i)
            if macro is None:
                continue
            name, i = macro.group(0).rstrip("*"), macro.end()
        args = False
        while True:  # [1] (the number of arguments), [default], or \def's parameter text (#1#2)
            opt = group(text, i, "[", "]")
            if opt is not None:
                args, i = True, opt[1] + 1
                continue
            k = i
            while k < len(text) and text[k] == "#" and k + 1 < len(text) and text[k + 1].isdigit():
                k += 2
            if k > i:
                args, i = True, k
                continue
            break
        if m.group(1).endswith("DocumentCommand"):
            spec = group(text, i)  # xparse: {m o} argument specification
            if spec is not None:
                args, i = bool(text[spec[0] : spec[1]].strip()), spec[1] + 1
        body = group(text, i)
        if body is None:
            continue
        spans.append(body)
        if not args and name.startswith("\\"):
            st.macros[name] = text[body[0] : body[1]]
    return sorted(spans)


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    k = bisect.bisect_right(spans, (pos, len(spans) + 2**62)) - 1
    return k >= 0 and spans[k][0] <= pos < spans[k][1]


def _expanded(st: _State, value: str) -> str:
    """``value`` with the simple macros of the document expanded (a few rounds: one may name another)."""
    for _ in range(4):
        if "\\" not in value:
            break
        value = _COMMAND.sub(lambda m: st.macros.get(m.group(0), m.group(0)), value)
    return value.strip()


def skip_optional(text: str, i: int, allow_parens: bool) -> int:
    """The index after the ``[…]`` (and for multi-cites ``(…)``) arguments that start at ``i``."""
    while True:
        span = group(text, i, "[", "]") or (group(text, i, "(", ")") if allow_parens else None)
        if span is None:
            return i
        i = span[1] + 1


def cite_keys(text: str, m: re.Match[str], lines: _Lines) -> Iterator[KeyCite]:
    """The keys of the cite command matched by ``m``, each located where it is written."""
    multi = m.group(1).lower().endswith("cites")
    i = m.end()
    while True:
        span = group(text, skip_optional(text, i, multi))
        if span is None:
            return
        start, end = span
        pos = start
        for part in text[start:end].split(","):
            key = part.strip()
            if key:
                yield KeyCite(key, lines.at(pos + part.index(key)))
            pos += len(part) + 1
        i = end + 1
        if not multi:
            return


def _footnotemark(st: _State, m: re.Match[str]) -> None:
    """``\\footnotemark`` (in a table or a heading): a marker whose text comes later in ``\\footnotetext``."""
    opt = group(st.text, m.end(), "[", "]")
    number = st.text[opt[0] : opt[1]].strip() if opt else ""
    if number.isdigit():
        label = number
    else:
        st.footnote_number += 1
        label = str(st.footnote_number)
    st.markers.append(Marker(label, st.lines.at(m.start())))
    st.marker_at[m.start()] = label


def _footnote(st: _State, m: re.Match[str]) -> None:
    i = m.end()
    number: str | None = None
    opt = group(st.text, i, "[", "]")
    if opt:
        number = st.text[opt[0] : opt[1]].strip()
        i = opt[1] + 1
    span = group(st.text, i)
    if span is None:
        return
    st.note_end = max(st.note_end, span[1])
    if m.group(1) == "footnotetext" and number is None:
        label = str(st.footnote_number)  # the text of the last \footnotemark
    elif number and number.isdigit():
        label = number
    else:
        st.footnote_number += 1
        label = str(st.footnote_number)
    location = st.lines.at(m.start())
    content = _without_nested_notes(st.text, span)
    note_text, urls = to_text(content)
    if _is_bare_reference(note_text, content):
        note_text = ""  # "\cite{x}, p.~3": the key is the citation; nothing more to parse
    if m.group(1) != "footnotetext":
        st.markers.append(Marker(label, location))
        st.marker_at[m.start()] = label
    st.notes.append(Note(label, note_text, location, tuple(urls)))


_NESTED_NOTE = re.compile(r"\\(?:footnote|footnotetext|endnote)(?![A-Za-z])")


def _without_nested_notes(text: str, span: tuple[int, int]) -> str:
    """The content of a note, without the notes nested in it (each is a note of its own).

    Without this, 2,000 nested ``\\footnote{`` (22 KB) made each note convert the text of all the notes
    inside it again: quadratic, 23 s and 946 MB. The braces are matched once for the whole text
    (``_closers``), so cutting the nested ones out is linear.
    """
    start, end = span
    m = _NESTED_NOTE.search(text, start, end)
    if m is None:
        return text[start:end]
    parts: list[str] = []
    pos = start
    while m is not None:
        i = m.end()
        opt = group(text, i, "[", "]")
        if opt:
            i = opt[1] + 1
        inner = group(text, i)
        if inner is None or inner[1] >= end:
            break
        parts.append(text[pos : m.start()])
        pos = inner[1] + 1
        m = _NESTED_NOTE.search(text, pos, end)
    parts.append(text[pos:end])
    return "".join(parts)


def _is_bare_reference(note_text: str, content: str) -> bool:
    """A footnote that only wraps ``\\cite`` commands and a page reference."""
    if not _CITE_IN.search(content):
        return not note_text.strip()
    words = [w for w in re.findall(r"[^\W\d_]{2,}", note_text.lower()) if w not in _LEAD_INS]
    return len(words) < 3


_NOT_TEXT = frozenset({"index", "label", "glossary", "nomenclature", "pagebackref", "hypertarget", "phantomsection"})
"""Commands whose argument is no text of the note (an index term, a label)."""
_CITE_IN = re.compile(r"\\[A-Za-z]*cite[A-Za-z]*\*?", re.IGNORECASE)
_URL_SLOT = "VERIFIERURLSLOT{}X"


def to_text(latex: str) -> tuple[str, list[str]]:
    """LaTeX to plain text for a note or bibliography item: ``\\cite`` commands dropped, ``\\url{u}`` → u,
    ``\\href{u}{t}`` → "t, u"; and the URLs found so."""
    urls: list[str] = []
    out: list[str] = []
    i = 0
    for m in _COMMAND.finditer(latex):
        if m.start() < i:
            continue
        name = m.group(1)
        if _CITE.fullmatch(name) and name.lower() not in _NOT_CITES:
            end = m.end()
            multi = name.lower().endswith("cites")
            while True:
                span = group(latex, skip_optional(latex, end, multi))
                if span is None:
                    break
                end = span[1] + 1
                if not multi:
                    break
            out.append(latex[i : m.start()])
            i = end
        elif name in _NOT_TEXT:
            span = group(latex, skip_optional(latex, m.end(), False))
            out.append(latex[i : m.start()])
            i = span[1] + 1 if span else m.end()
        elif name in ("url", "href"):
            span = group(latex, m.end())
            if span is None:
                continue
            url = verbatim(latex[span[0] : span[1]])
            end = span[1] + 1
            anchor = ""
            if name == "href":
                text_span = group(latex, end)
                if text_span:
                    anchor = latex[text_span[0] : text_span[1]]
                    end = text_span[1] + 1
            out.append(latex[i : m.start()])
            out.append((anchor + ", " if anchor.strip() else "") + _URL_SLOT.format(len(urls)))
            urls.append(url)
            i = end
    out.append(latex[i:])
    text = latex_to_text("".join(out))
    for n, url in enumerate(urls):
        text = text.replace(_URL_SLOT.format(n), url)
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    text = re.sub(r"^[\s,;:]+", "", text)
    return text.strip(), urls


def _link(st: _State, m: re.Match[str]) -> None:
    span = group(st.text, m.end())
    if span is None:
        return
    url = verbatim(st.text[span[0] : span[1]])
    anchor = ""
    if m.group(1) == "href":
        text_span = group(st.text, span[1] + 1)
        if text_span:
            anchor = latex_to_text(st.text[text_span[0] : text_span[1]])
    if url and not url.startswith("#"):
        st.links.append(Hyperlink(url, st.lines.at(span[0]), anchor))


# --------------------------------------------------------------------------- bibliography


def _bibliography(st: _State, m: re.Match[str]) -> None:
    i = m.end()
    options = ""
    for_opt = group(st.text, i, "[", "]")
    if for_opt:
        options = st.text[for_opt[0] : for_opt[1]]
        i = for_opt[1] + 1
    span = group(st.text, i)
    if span is None:
        return
    st.bib_named = True
    value = _expanded(st, st.text[span[0] : span[1]])
    if "remote" in options or re.match(r"[a-z]+://", value):
        st.bib_remote = True  # a bibliography on the web: its keys cannot be checked offline
        return
    location = st.lines.at(m.start())
    names = [n.strip() for n in value.split(",")] if m.group(1) in ("bibliography", "nobibliography") else [value]
    for name in filter(None, names):
        if m.group(1) in ("bibliography", "nobibliography") and not name.lower().endswith(".bib"):
            name += ".bib"
        if not any(r.name == name and r.role == "bibliography" for r in st.requests):
            st.requests.append(Include(name, "bibliography", location))


def _thebibliography(st: _State) -> None:
    text = st.text
    for env in re.finditer(r"\\begin\{thebibliography\}", text):
        end = text.find("\\end{thebibliography}", env.end())
        end = end if end >= 0 else len(text)
        items = list(re.finditer(r"\\bibitem\b", text[env.end() : end]))
        for k, item in enumerate(items):
            start = env.end() + item.end()
            i = start
            opt = group(text, i, "[", "]")
            if opt:
                i = opt[1] + 1
            span = group(text, i)
            if span is None:
                continue
            key = text[span[0] : span[1]].strip()
            stop = env.end() + items[k + 1].start() if k + 1 < len(items) else end
            body, _urls = to_text(text[span[1] + 1 : stop])
            st.entries.append(Entry(key, body, st.lines.at(env.end() + item.start())))


def _input(st: _State, m: re.Match[str]) -> None:
    """A part pulled in by ``\\input``/``\\include``/``\\subfile``/``\\import``: named for the pipeline to read
    whole (its notes, links and keys count; see ``verifier.readers.project``)."""
    span = group(st.text, m.end())
    if m.group(1) in ("import", "subimport") and span is not None:
        directory = _expanded(st, st.text[span[0] : span[1]])
        second = group(st.text, span[1] + 1)
        if second is None:
            return
        name = str(PurePosixPath(directory) / _expanded(st, st.text[second[0] : second[1]]))
    elif span is not None:
        name = _expanded(st, st.text[span[0] : span[1]]).strip('"')
    else:
        return
    if not name or "\\" in name or "#" in name:
        return  # a name made by a macro with arguments: nothing to read
    if not PurePosixPath(name).suffix:
        name += ".tex"
    st.requests.append(Include(name, "part", st.lines.at(m.start())))


# --------------------------------------------------------------------------- body text

_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
            ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "k": "\u0328"}
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å",
            "l": "ł", "L": "Ł", "i": "ı", "dots": "…", "ldots": "…", "textendash": "–", "textemdash": "—",
            "S": "§", "P": "¶", "TeX": "TeX", "LaTeX": "LaTeX", "BibTeX": "BibTeX", "par": "\n"}
_SKIP_WITH_ARGUMENTS = frozenset(
    "label ref eqref pageref autoref cref Cref nameref index glossary includegraphics input include subfile import "
    "subimport usepackage documentclass begin end vspace hspace bibliographystyle bibliography addbibresource "
    "nobibliography setlength addtocounter setcounter newcommand renewcommand providecommand url footnotemark "
    "maketitle tableofcontents printbibliography pagestyle thispagestyle".split()
)
_ESCAPED = frozenset("%&$#_{}")
_NO_PROSE_ENVS = ("equation", "align", "gather", "multline", "displaymath", "math", "tabular", "thebibliography",
                  "figure", "table", "tikzpicture")


def body_paragraphs(st: _State) -> list[Paragraph]:
    """The body's paragraphs as plain text (blank lines separate them), for quotations, inline attributions
    and bare URLs: markup dropped, accents and quotes made Unicode, math, notes and \\cite commands left out —
    where a note or citation stood, the paragraph holds a marker."""
    text = st.text
    start = text.find("\\begin{document}")
    start = start + len("\\begin{document}") if start >= 0 else 0
    end = text.find("\\end{document}", start)
    end = end if end >= 0 else len(text)
    skip = _no_prose_spans(text, start, end)
    out: list[str] = []
    src: list[int] = []
    markers: list[tuple[int, str]] = []
    paragraphs: list[Paragraph] = []
    size = [0]  # characters emitted into the current paragraph
    quoting = [0]  # quote, quotation and displayquote environments open
    closers: dict[int, str] = {}  # where an \enquote{…}'s argument ends: the closing quotation mark

    def flush() -> None:
        if any(not piece.isspace() for piece in out):
            para = _paragraph(out, src, markers, st.lines)
            paragraphs.append(replace(para, quoted=True) if quoting[0] else para)
        out.clear()
        src.clear()
        markers.clear()
        size[0] = 0

    def emit(chars: str, at: int) -> None:
        out.append(chars)
        src.append(at)
        size[0] += len(chars)

    i = start
    while i < end:
        if i in skip:
            i = skip[i]
            continue
        ch = text[i]
        if ch == "\n":
            j = i + 1
            while j < end and text[j] in " \t":
                j += 1
            if j < end and text[j] == "\n":
                flush()
                i = j + 1
                continue
            emit(" ", i)
            i += 1
            continue
        if ch == "\\":
            env = _QUOTE_ENV.match(text, i)
            if env is not None:  # a block quotation is a paragraph of its own
                flush()
                quoting[0] = max(quoting[0] + (1 if env.group(1) == "begin" else -1), 0)
                i = env.end()
                continue
            inline = _QUOTE_COMMAND.match(text, i)
            span = None
            if inline is not None:
                lang = group(text, inline.end()) if inline.group(2) else None
                span = group(text, skip_optional(text, lang[1] + 1 if lang else inline.end(), False))
            if inline is not None and span is not None:  # \enquote{…}: its argument in quotation marks
                emit("“", i)
                closers[span[1]] = "”"
                i = span[0]
                continue
            i = _command(st, text, i, end, emit, markers, size[0])
            continue
        if ch == "$":
            close = text.find("$", i + 2 if text.startswith("$$", i) else i + 1)
            i = close + (2 if text.startswith("$$", i) else 1) if close >= 0 else end
            emit(" ", i - 1)
            continue
        if ch in "{}":
            if i in closers:
                emit(closers.pop(i), i)
            elif ch == "}" and text.startswith("{", i + 1):
                # the arguments of a command we do not know (\urlref{url}{text}) are separate words:
                # glued, a URL would take the next argument's text on
                emit(" ", i)
            i += 1
            continue
        if ch == "~":
            emit(" ", i)
        elif text.startswith("---", i):
            emit("—", i)
            i += 3
            continue
        elif text.startswith("--", i):
            emit("–", i)
            i += 2
            continue
        elif text.startswith("``", i):
            emit("“", i)
            i += 2
            continue
        elif text.startswith("''", i):
            emit("”", i)
            i += 2
            continue
        else:
            emit(ch, i)
        i += 1
    flush()
    return paragraphs


_QUOTE_ENV = re.compile(r"\\(begin|end)\{(?:quote|quotation|displayquote)\}")
_QUOTE_COMMAND = re.compile(r"\\(enquote|textquote|blockquote|(foreignquote|hyphenquote|foreignblockquote))\*?"
                            r"(?![A-Za-z])")
"""csquotes' quotation commands (the language argument of \\foreignquote is skipped)."""


def _no_prose_spans(text: str, start: int, end: int) -> dict[int, int]:
    """Where each math, table, figure or bibliography environment in the body starts: where it ends."""
    spans: dict[int, int] = {}
    for env in _NO_PROSE_ENVS:
        for star in ("", "*"):
            begin, finish = "\\begin{" + env + star + "}", "\\end{" + env + star + "}"
            pos = text.find(begin, start, end)
            while pos >= 0:
                stop = text.find(finish, pos)
                stop = stop + len(finish) if stop >= 0 else end
                spans[pos] = stop
                pos = text.find(begin, stop, end)
    for opening, closing in (("\\[", "\\]"), ("\\(", "\\)")):
        pos = text.find(opening, start, end)
        while pos >= 0:
            stop = text.find(closing, pos)
            stop = stop + len(closing) if stop >= 0 else end
            spans[pos] = stop
            pos = text.find(opening, stop, end)
    return spans


def _command(st: _State, text: str, i: int, end: int, emit: Callable[[str, int], None],
             markers: list[tuple[int, str]], offset: int) -> int:
    """Emit what the command at ``i`` stands for in prose; the index after it."""
    nxt = text[i + 1 : i + 2]
    if nxt in _ESCAPED:
        emit(nxt, i)
        return i + 2
    if nxt == "\\" or nxt == " " or nxt == "\n":
        emit(" ", i)
        return i + 2
    if nxt in _ACCENTS and not (nxt.isalpha() and text[i + 2 : i + 3].isalpha()):
        j = i + 2
        letter_span = group(text, j)
        if letter_span:
            letter, j = text[letter_span[0] : letter_span[1]].strip(), letter_span[1] + 1
        else:
            while j < end and text[j] == " ":
                j += 1
            letter, j = text[j : j + 1], j + 1
        letter = {"\\i": "i", "\\j": "j"}.get(letter, letter)
        emit(unicodedata.normalize("NFC", letter[:1] + _ACCENTS[nxt] + letter[1:]), i)
        return j
    m = _COMMAND.match(text, i)
    if m is None:
        return i + 1
    name = m.group(1)
    j = m.end()
    if name in _LETTERS:
        emit(_LETTERS[name], i)
        return j + 2 if text.startswith("{}", j) else j
    if name in _NOTES or name == "footnotemark":
        if name != "footnotetext" and i in st.marker_at:
            markers.append((offset, st.marker_at[i]))
        return _after_arguments(text, j, optional=True, count=1 if name != "footnotemark" else 0)
    if _CITE.fullmatch(name) and name.lower() not in _NOT_CITES:
        multi = name.lower().endswith("cites")
        first = True
        while True:
            span = group(text, skip_optional(text, j, multi))
            if span is None:
                break
            if first:
                markers.extend((offset, key.strip()) for key in text[span[0] : span[1]].split(",") if key.strip())
                first = False
            j = span[1] + 1
            if not multi:
                break
        return j
    if name == "href":  # the link is in Document.links; its anchor text is prose
        span = group(text, j)
        return span[1] + 1 if span else j
    if name in _SKIP_WITH_ARGUMENTS:
        return _after_arguments(text, j, optional=True, count=2 if name in ("newcommand", "renewcommand") else 1)
    return j  # any other command: its name goes, its arguments stay as text


def _after_arguments(text: str, j: int, *, optional: bool, count: int) -> int:
    if optional:
        j = skip_optional(text, j, False)
    for _ in range(count):
        span = group(text, j)
        if span is None:
            break
        j = span[1] + 1
    return j


def _paragraph(out: list[str], src: list[int], markers: list[tuple[int, str]], lines: _Lines) -> Paragraph:
    """A paragraph from emitted pieces and their source offsets: spaces folded, lines mapped."""
    text_parts: list[str] = []
    line_starts: list[tuple[int, int]] = []
    kept_markers: list[tuple[int, str]] = []
    length = 0
    raw_offset = 0
    pending = iter(sorted(markers))
    marker = next(pending, None)
    last_line = 0
    for piece, at in zip(out, src, strict=True):
        while marker is not None and marker[0] <= raw_offset:
            kept_markers.append((length, marker[1]))
            marker = next(pending, None)
        raw_offset += len(piece)
        if piece.isspace() and (not text_parts or text_parts[-1].endswith((" ", "\n"))):
            continue
        if not text_parts and piece.isspace():
            continue
        line = lines.at(at).line
        if line != last_line:
            line_starts.append((length, line))
            last_line = line
        piece = " " if piece.isspace() else piece
        text_parts.append(piece)
        length += len(piece)
    while marker is not None:
        kept_markers.append((length, marker[1]))
        marker = next(pending, None)
    text = "".join(text_parts)
    stripped = text.rstrip()
    return Paragraph(stripped, tuple(line_starts) or ((0, 1),), tuple((min(o, len(stripped)), label)
                                                                     for o, label in kept_markers))
