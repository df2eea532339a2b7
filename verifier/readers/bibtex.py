"""BibTeX (``.bib``): every entry becomes a bibliography entry with structured fields.

Parsing is bibtexparser v2's (``parse_string`` with its default stack: ``@string``
macros resolved, enclosing braces and quotes removed). On top of it:

* **Fields**: ``author``/``editor`` split into people with bibtexparser's BibTeX
  name splitting (``von Last, Jr, First``; ``{World Health Organization}`` stays
  one literal name; ``and others`` dropped); LaTeX accents and commands decoded
  to Unicode (pylatexenc) and protective braces removed; ``journal``/
  ``journaltitle``/``booktitle`` → container; ``year``/``month``/``day`` or
  biblatex ``date`` → an ISO date; ``pages`` ``--`` → ``-``; ``address``/
  ``location`` → place; ``institution``/``school`` → publisher when there is
  none; ``urldate`` → accessed; ``url``, ``doi``, ``isbn`` kept verbatim (only
  TeX escapes such as ``\\_`` undone). ``crossref`` fills an entry's gaps from
  the entry it names (the parent's title becomes the container). Concatenations
  with ``#`` and the month macros (``mar``) are resolved.
* **Kind** from the entry type (``@article`` → article, ``@inproceedings`` →
  chapter, ``@techreport``/``@phdthesis`` → report, ``@online`` → web…).
* **Errors as data**: a block bibtexparser could not parse (an unbalanced
  brace, a missing comma) becomes a P001 diagnostic at its line and the rest of
  the file is still read; a key defined twice is a D001 diagnostic (BibTeX
  itself would use only the first; both entries are kept so that both are
  checked); a field given twice or an undefined ``@string`` macro is P001.

``@comment``, ``@preamble`` and text between entries are ignored. Locations are
1-based lines in the ``.bib`` file. :func:`parse_bib` is also used by the LaTeX
and Markdown readers for the bibliography files they name.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

import bibtexparser
from bibtexparser import model as bib
from bibtexparser.exceptions import BlockAbortedException
from bibtexparser.middlewares.enclosing import REMOVED_ENCLOSING_KEY
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from pylatexenc.latex2text import LatexNodes2Text  # type: ignore[import-untyped]

from verifier.errors import InputError
from verifier.model import Diagnostic, Document, Entry, Fields, Kind, Location, Person
from verifier.readers.decoding import decode

# bibtexparser logs every failed block on its own; we report them as findings instead.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser").propagate = False

KINDS: dict[str, Kind] = {
    **dict.fromkeys(("article", "periodical", "suppperiodical"), Kind.ARTICLE),
    **dict.fromkeys(
        ("book", "mvbook", "booklet", "proceedings", "mvproceedings", "collection", "mvcollection", "reference",
         "mvreference"),
        Kind.BOOK,
    ),
    **dict.fromkeys(
        ("inbook", "incollection", "inproceedings", "conference", "inreference", "bookinbook", "suppbook",
         "suppcollection"),
        Kind.CHAPTER,
    ),
    **dict.fromkeys(("techreport", "report", "phdthesis", "mastersthesis", "thesis"), Kind.REPORT),
    **dict.fromkeys(("online", "electronic", "www", "webpage"), Kind.WEB),
    **dict.fromkeys(
        ("manual", "patent", "legislation", "legal", "jurisdiction", "standard", "unpublished", "letter",
         "dataset", "software"),
        Kind.DOCUMENT,
    ),
}
"""BibTeX and biblatex entry types and the kind of work each stands for (others: by their fields)."""

_MONTHS = {
    name: n
    for n, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
         ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
         ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for name in names
}
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_PAGE_DASHES = re.compile(r"\s*(?:-{1,3}|–|—)\s*")
_TEX_ESCAPES = re.compile(r"\\([_%&#$~{}])")
_URL_COMMAND = re.compile(r"\\(?:url|href)\s*\{([^{}]*)\}")
_LOGOS = re.compile(r"\\((?:La|Bib|Xe|Lua)?TeX)(?![A-Za-z])(?:\{\})?")

_LATEX = LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


@functools.lru_cache(maxsize=65536)  # names, journals and publishers come back entry after entry
def latex_to_text(value: str) -> str:
    """LaTeX markup to plain Unicode: accents decoded, commands and protective braces removed, spaces folded.

    What bibliographies mostly hold (braces, accents such as ``{\\"u}``, ``--``, ``\\&``) is decoded here;
    anything else goes to pylatexenc, which is thorough but a hundred times slower.
    """
    if not _MARKUP.search(value):
        return " ".join(value.split())
    quick = _quick_latex(value)
    if quick is not None:
        return quick
    value = _LOGOS.sub(lambda m: m.group(1), value)  # pylatexenc drops \TeX and \LaTeX
    try:
        text = _LATEX.latex_to_text(value)
    except Exception:  # pylatexenc fails on some malformed input; a cruder reading beats none
        text = re.sub(r"\\[A-Za-z]+\*?\s*|[{}]", "", value)
    return " ".join(text.replace("\xa0", " ").split())


_COMBINING = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
              ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "k": "\u0328"}
_ACCENT = re.compile(
    r"\\([`'^\"~=.])\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))"  # \"u, \"{u}
    r"|\\([cvuHk])(?:\s*\{\s*([A-Za-z])\s*\}|\s+([A-Za-z]))"  # \c{c}, \c c
)
_MARKUP = re.compile(r"[\\{}~$]|--|``|''")
_NAMED_LETTER = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i)(?![A-Za-z])(?:\{\})?")
_NAMED = {"ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å", "o": "ø", "O": "Ø",
          "l": "ł", "L": "Ł", "i": "ı"}
_TEXT_ESCAPE = re.compile(r"\\([&%$#_])")
_FONT_COMMAND = re.compile(
    r"\\(?:em|it|bf|sc|rm|sf|tt|sl|up|emph|textit|textbf|textsc|textrm|textsf|texttt|textsl|textup|textnormal|"
    r"mbox|NoCaseChange)(?![A-Za-z])\s*"
)


def _quick_latex(value: str) -> str | None:
    """``value`` decoded without pylatexenc, or None when it holds anything but the common markup."""
    text = _ACCENT.sub(_accented, value)
    text = _NAMED_LETTER.sub(lambda m: _NAMED[m.group(1)], text)
    text = _TEXT_ESCAPE.sub(r"\1", text)
    text = _FONT_COMMAND.sub("", text)  # \emph{x}, {\em x}: the text stays, its braces go below
    if "\\" in text or "$" in text:
        return None
    text = text.replace("---", "—").replace("--", "–").replace("``", "“").replace("''", "”").replace("~", " ")
    return " ".join(text.replace("{", "").replace("}", "").split())


def _accented(m: re.Match[str]) -> str:
    accent = m.group(1) or m.group(4)
    letter = m.group(2) or m.group(3) or m.group(5) or m.group(6)
    return unicodedata.normalize("NFC", letter + _COMBINING[accent])


def verbatim(value: str) -> str:
    """A URL, DOI or ISBN as written: braces dropped and TeX escapes (``\\_``, ``\\%``) undone, no spaces."""
    m = _URL_COMMAND.search(value)
    if m:
        value = m.group(1)
    return "".join(_TEX_ESCAPES.sub(r"\1", value).replace("{", "").replace("}", "").split())


# --------------------------------------------------------------------------- reading

@dataclass(frozen=True, slots=True)
class BibFile:
    """What :func:`parse_bib` found in one ``.bib`` text."""

    entries: tuple[Entry, ...]
    diagnostics: tuple[Diagnostic, ...]


def read(data: bytes, path: str) -> Document:
    """Read a BibTeX file on its own: its entries, cited by nothing (so M005 stays quiet)."""
    parsed = parse_bib(decode(data, path))
    return Document(path=path, format="bibtex", entries=parsed.entries, diagnostics=parsed.diagnostics)


def parse_bib(text: str, name: str = "") -> BibFile:
    """Entries and diagnostics of a BibTeX text. ``name`` (the file's name) prefixes messages when set."""
    try:
        library = bibtexparser.parse_string(text)
    except Exception as exc:  # bibtexparser reports bad blocks as data; anything else means an unreadable file
        raise InputError(name or "BibTeX", f"bibtexparser could not read it ({type(exc).__name__}: {exc})") from exc
    strings = {s.key.lower(): s.value for s in library.strings}
    where = f"In {name}, " if name else ""
    diagnostics: list[Diagnostic] = []
    raw_entries: list[bib.Entry] = []
    for block in library.blocks:
        if isinstance(block, bib.Entry):
            raw_entries.append(block)
        elif isinstance(block, bib.DuplicateBlockKeyBlock):
            duplicate = block.ignore_error_block
            if isinstance(duplicate, bib.Entry):
                raw_entries.append(duplicate)
                diagnostics.append(_duplicate_key(block, duplicate, where))
            else:
                diagnostics.append(
                    Diagnostic(
                        "P001",
                        f"{where}{_cap('the', where)} @string macro “{block.key}” is defined twice (lines "
                        f"{_line(block.previous_block)} and {_line(block)}); the later definition is used.",
                        Location(_line(block)),
                        suggestion="Keep one definition of the macro.",
                    )
                )
        elif isinstance(block, bib.ParsingFailedBlock):
            usable = block.ignore_error_block
            if isinstance(usable, bib.Entry):  # a field given twice, or a middleware that gave up: still usable
                raw_entries.append(usable)
            diagnostics.append(_failed(block, where))
    entries: list[Entry] = []
    kept: list[bib.Entry] = []
    for block in raw_entries:
        if not block.key.strip():
            diagnostics.append(
                Diagnostic(
                    "P001",
                    f"{where}{_cap('the', where)} @{block.entry_type} entry at line {_line(block)} has no key, so "
                    "nothing can cite it; it was skipped.",
                    Location(_line(block)),
                    suggestion="Give the entry a key: @type{key, …}.",
                )
            )
            continue
        entry, problems = _entry(block, strings, where)
        entries.append(entry)
        kept.append(block)
        diagnostics.extend(problems)
    entries = _apply_crossrefs(entries, kept)
    if not entries and not library.failed_blocks and text.strip() and "@" not in text:
        diagnostics.append(
            Diagnostic(
                "P001",
                f"{where}{_cap('no', where)} BibTeX entries found: the file holds no “@type{{key, …}}” block.",
                Location(1),
                suggestion="Check that this is a BibTeX file.",
            )
        )
    return BibFile(tuple(entries), tuple(diagnostics))


def _cap(word: str, where: str) -> str:
    """``word`` as the start of a message: capitalised unless a file name goes before it."""
    return word if where else word[:1].upper() + word[1:]


def _line(block: bib.Block) -> int:
    return (block.start_line or 0) + 1


def _duplicate_key(block: bib.DuplicateBlockKeyBlock, duplicate: bib.Entry, where: str) -> Diagnostic:
    first = _line(block.previous_block)
    return Diagnostic(
        "D001",
        f"{where}{_cap('entry', where)} key “{block.key}” is defined twice (lines {first} and {_line(duplicate)}); "
        "BibTeX uses the first and ignores the second.",
        Location(_line(duplicate)),
        note=block.key,
        suggestion="Give the second entry its own key, or delete it if it is the same work.",
    )


def _failed(block: bib.ParsingFailedBlock, where: str) -> Diagnostic:
    line = _line(block)
    if isinstance(block, bib.DuplicateFieldKeyBlock):
        keys = ", ".join(sorted(block.duplicate_keys))
        entry = block.ignore_error_block
        key = entry.key if isinstance(entry, bib.Entry) else "?"
        return Diagnostic(
            "P001",
            f"{where}{_cap('entry', where)} “{key}” gives the field {keys} more than once; "
            "which value counts is undefined.",
            Location(line),
            suggestion=f"Keep one {keys} field in the entry.",
        )
    error = block.error
    reason = error.abort_reason if isinstance(error, BlockAbortedException) else str(error)
    reason = " ".join(reason.split()) or type(error).__name__
    head = (block.raw or "").strip().splitlines()[0] if (block.raw or "").strip() else ""
    what = f"the block “{head[:60]}”" if head else "a block"
    return Diagnostic(
        "P001",
        f"{where}{_cap(what, where)} at line {line} could not be parsed ({reason}); "
        "it was skipped and the rest of the file was read.",
        Location(line),
        suggestion="Check the block's braces, quotes and commas.",
    )


# --------------------------------------------------------------------------- fields


def _value(field: bib.Field, enclosing: str | None, strings: dict[str, str]) -> tuple[str, list[str]]:
    """A field's value with ``#`` concatenations and month macros resolved, and the undefined macros it uses.

    ``enclosing`` is what bibtexparser removed around the value: ``no-enclosing`` marks a bare number, macro
    or concatenation, which is what is left to resolve here.
    """
    value = field.value
    if not isinstance(value, str):
        return str(value), []
    if enclosing != "no-enclosing":
        return value, []
    undefined: list[str] = []
    out: list[str] = []
    for part in _split_concatenation(value):
        part = part.strip()
        if len(part) >= 2 and part[0] + part[-1] in ("{}", '""'):
            out.append(part[1:-1])
        elif part.isdigit():
            out.append(part)
        elif part.lower() in strings:
            out.append(strings[part.lower()])
        elif part.lower() in _MONTHS:
            out.append(part.lower())
        elif part:
            undefined.append(part)
            out.append(part)
    return "".join(out), undefined


def _split_concatenation(value: str) -> list[str]:
    parts: list[str] = []
    depth, quoted, start = 0, False, 0
    for i, ch in enumerate(value):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "#" and depth == 0 and not quoted:
            parts.append(value[start:i])
            start = i + 1
    parts.append(value[start:])
    return parts


def _people(value: str) -> tuple[Person, ...]:
    people: list[Person] = []
    for name in split_multiple_persons_names(value):
        if name.strip().lower() == "others":
            continue
        stripped = name.strip()
        if stripped.startswith("{") and stripped.endswith("}") and _balanced(stripped[1:-1]):
            people.append(Person(literal=latex_to_text(stripped[1:-1])))
            continue
        parts = parse_single_name_into_parts(name, strict=False)
        family = latex_to_text(" ".join(parts.von + parts.last))
        given = latex_to_text(" ".join(parts.first))
        suffix = latex_to_text(" ".join(parts.jr))
        if suffix:
            family = f"{family} {suffix}".strip()
        if family and not given and " " in family and len(parts.last) == 1 and not parts.von:
            people.append(Person(literal=family))  # one braced word group: an institution
        elif family or given:
            people.append(Person(family=family or None, given=given or None))
    return tuple(people)


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


def _month(value: str) -> int | None:
    word = latex_to_text(value).strip().rstrip(".").lower()
    if word.isdigit():
        n = int(word)
        return n if 1 <= n <= 12 else None
    return _MONTHS.get(word) or _MONTHS.get(word[:3])


def _date(values: dict[str, str]) -> str | None:
    """An ISO date from biblatex ``date`` or from ``year``/``month``/``day``."""
    if values.get("date"):
        m = _ISO_DATE.match(latex_to_text(values["date"]).strip())
        if m:
            return "-".join(p if i == 0 else p.zfill(2) for i, p in enumerate(m.groups()) if p)
    year_m = _YEAR.search(values.get("year", ""))
    if not year_m:
        return None
    date = year_m.group(1)
    month = _month(values["month"]) if values.get("month") else None
    if month:
        date += f"-{month:02d}"
        day = values.get("day", "").strip()
        if day.isdigit() and 1 <= int(day) <= 31:
            date += f"-{int(day):02d}"
    return date


def _iso(value: str) -> str | None:
    m = _ISO_DATE.match(latex_to_text(value).strip())
    if not m:
        return None
    return "-".join(p if i == 0 else p.zfill(2) for i, p in enumerate(m.groups()) if p)


def _kind(entry_type: str, fields: Fields, values: dict[str, str]) -> Kind:
    entry_type = entry_type.lower()
    if entry_type == "article" and values.get("entrysubtype", "").lower() in ("newspaper", "magazine"):
        return Kind.NEWS if values["entrysubtype"].lower() == "newspaper" else Kind.ARTICLE
    if entry_type in KINDS:
        return KINDS[entry_type]
    # @misc and types we do not know: judge by what the entry holds
    if fields.container:
        return Kind.ARTICLE if fields.volume or fields.issue else Kind.CHAPTER
    if fields.publisher or fields.isbn:
        return Kind.BOOK
    if fields.url:
        return Kind.WEB
    return Kind.DOCUMENT if fields.title else Kind.UNKNOWN


def _entry(block: bib.Entry, strings: dict[str, str], where: str) -> tuple[Entry, list[Diagnostic]]:
    values: dict[str, str] = {}
    problems: list[Diagnostic] = []
    enclosings = block.parser_metadata.get(REMOVED_ENCLOSING_KEY)
    for field in block.fields:
        name = field.key.lower()
        # a duplicate-key block skipped the middlewares: its values are still raw BibTeX
        enclosing = enclosings.get(field.key) if enclosings is not None else "no-enclosing"
        value, undefined = _value(field, enclosing, strings)
        values.setdefault(name, value)
        for macro in undefined:
            if name in ("month", "year"):
                continue
            problems.append(
                Diagnostic(
                    "P001",
                    f"{where}{_cap('entry', where)} “{block.key}”: the {name} field uses “{macro}”, "
                    "which is no @string macro defined in the file (BibTeX leaves it empty).",
                    Location(field.start_line + 1 if field.start_line is not None else _line(block)),
                    suggestion=f"Put the value in braces ({name} = {{{macro}}}) or define @string{{{macro} = …}}.",
                )
            )
    fields = fields_of(block.entry_type, values)
    entry = Entry(
        key=block.key,
        text=(block.raw or "").strip() or f"@{block.entry_type}{{{block.key}}}",
        location=Location(_line(block)),
        fields=fields,
        kind=_kind(block.entry_type, fields, values),
    )
    return entry, problems


_EPRINT_URLS = {
    "arxiv": "https://arxiv.org/abs/{}",
    "jstor": "https://www.jstor.org/stable/{}",
    "hdl": "https://hdl.handle.net/{}",
    "handle": "https://hdl.handle.net/{}",
    "pubmed": "https://pubmed.ncbi.nlm.nih.gov/{}",
    "pmid": "https://pubmed.ncbi.nlm.nih.gov/{}",
    "pmcid": "https://www.ncbi.nlm.nih.gov/pmc/articles/{}",
    "googlebooks": "https://books.google.com/books?id={}",
}
"""biblatex's ``eprinttype`` values (and BibTeX's ``archiveprefix``) and the URL each identifier stands for."""


def _eprint(values: dict[str, str]) -> tuple[str, str] | None:
    """``("doi", doi)`` or ``("url", url)`` for an ``eprint`` field, as biblatex links it; None without one."""
    ident = verbatim(values.get("eprint", ""))
    kind = verbatim(values.get("eprinttype", "") or values.get("archiveprefix", "")).lower()
    if not ident:
        return None
    if kind == "doi":
        return ("doi", ident)
    template = _EPRINT_URLS.get(kind)
    return ("url", template.format(ident)) if template else None


def fields_of(entry_type: str, values: dict[str, str]) -> Fields:
    """Fields from an entry's field values (lower-case names, macros resolved, still LaTeX)."""

    def text(*names: str) -> str | None:
        for name in names:
            if values.get(name, "").strip():
                return latex_to_text(values[name]) or None
        return None

    url = values.get("url") or ""
    if not url.strip():
        m = _URL_COMMAND.search(values.get("howpublished", "") + values.get("note", ""))
        url = m.group(1) if m else ""
    pages = text("pages")
    doi = verbatim(values["doi"]) if values.get("doi", "").strip() else None
    eprint = _eprint(values)
    if eprint is not None:
        if eprint[0] == "doi":
            doi = doi or eprint[1]
        elif not url.strip():
            url = eprint[1]
    isbn = latex_to_text(values["isbn"]) if values.get("isbn", "").strip() else None
    entry_type = entry_type.lower()
    container = text("journal", "journaltitle", "booktitle", "maintitle") if entry_type != "book" else None
    return Fields(
        authors=_people(values.get("author", "")),
        editors=_people(values.get("editor", "")),
        title=text("title"),
        container=container,
        volume=text("volume"),
        issue=text("number", "issue"),
        date=_date(values),
        pages=_PAGE_DASHES.sub("-", pages) if pages else None,
        publisher=text("publisher", "institution", "school", "organization"),
        place=text("address", "location"),
        url=verbatim(url) or None,
        doi=doi or None,
        isbn=isbn,
        accessed=_iso(values["urldate"]) if values.get("urldate") else None,
    )


def _apply_crossrefs(entries: list[Entry], blocks: Sequence[bib.Entry]) -> list[Entry]:
    """Fill each entry's gaps from the entry its ``crossref`` names (the parent's title is the container)."""
    parents = {b.key.lower(): e for b, e in zip(blocks, entries, strict=True)}
    crossref = {
        b.key: str(b.fields_dict["crossref"].value).strip("{}\" ").lower()
        for b in blocks
        if "crossref" in b.fields_dict
    }
    if not crossref:
        return entries
    out: list[Entry] = []
    for entry in entries:
        parent = parents.get(crossref.get(entry.key, ""))
        if parent is None or parent is entry or entry.fields is None or parent.fields is None:
            out.append(entry)
            continue
        inherited = replace(parent.fields, title=None, container=parent.fields.title or parent.fields.container,
                            authors=() if entry.fields.authors else parent.fields.authors, doi=None, url=None,
                            pages=None)
        out.append(replace(entry, fields=entry.fields.merged(inherited)))
    return out
