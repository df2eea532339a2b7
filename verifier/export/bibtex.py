"""BibTeX: the records as a bibtexparser v2 ``Library``, written by its writer.

Each record becomes an ``Entry`` whose fields are plain values; bibtexparser's
unparse middlewares do the BibTeX-specific work: ``MergeCoAuthors`` joins the
names with `` and ``, ``MonthAbbreviationMiddleware`` turns the month number
into an unbraced macro (``month = dec``), ``LatexEncodingMiddleware`` writes
``{\\"u}`` for ``ü`` with ``ascii=True``, and ``AddEnclosingMiddleware`` braces
everything else. What is left to this module:

- the entry type of each kind (``style="biblatex"``, the default: ``@online``
  for web pages and news items with a URL; ``style="bibtex"``: ``@misc`` with
  ``howpublished = {\\url{…}}`` for the classic styles, which know no
  ``@online`` or ``urldate``);
- names as ``Family, Given``, corporate names in braces, ``et al.`` as ``others``;
- LaTeX's special characters escaped (``\\&``, ``\\%``, ``\\#``, ``\\_``, ``\\$``),
  except in the verbatim fields (``url``, ``doi``);
- capitals protected in titles: words with a capital inside (``NATO``,
  ``McCain``, ``Part-I``), and, in a title written in sentence case, the
  capitalised words after the first (proper nouns);
- page ranges with ``--``; year and month from the ISO date;
- comments above an entry: the conflicts the I rules found, a URL found dead,
  a note that could not be parsed.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.middlewares import (
    AddEnclosingMiddleware,
    LatexEncodingMiddleware,
    MergeCoAuthors,
    MonthAbbreviationMiddleware,
)
from bibtexparser.model import Entry, ExplicitComment, Field, ImplicitComment
from bibtexparser.writer import BibtexFormat
from pylatexenc.latexencode import UnicodeToLatexEncoder  # type: ignore[import-untyped]

from verifier import __version__
from verifier.export import STYLES
from verifier.export.records import Bibliography, Record
from verifier.model import Kind, LinkResult, LinkStatus, Person
from verifier.sources import norm

__all__ = ["render", "escape", "protect", "bib_name", "STYLES"]


# --------------------------------------------------------------------------- values

_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": "",
    "}": "",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile(r"[\\{}&%#_$~^]")


def escape(text: str) -> str:
    """``text`` safe inside a BibTeX value: LaTeX's special characters escaped, stray braces dropped."""
    return _SPECIAL.sub(lambda m: _SPECIALS[m.group()], " ".join(text.split()))


def verbatim(url: str) -> str:
    """A URL or DOI fit for a verbatim field: spaces, braces, backslashes and non-ASCII percent-encoded."""
    return quote(url.strip(), safe="!#$%&'()*+,-./:;=?@[]_~|")


_CORE = re.compile(r"^([\W_]*)(.*?)([\W_]*)$", re.DOTALL)
_SMALL = frozenset(
    """about above across after against along among around before behind below beneath beside between
    beyond during from into like near onto over past since than that their them then there these they
    this those through toward towards under until upon versus with within without""".split()
)


def _internal_capital(word: str) -> bool:
    """An upper-case letter after the first letter: ``NATO``, ``McCain``, ``iPhone``, ``Part-I``."""
    rest = word[1:]
    if rest == rest.lower():  # the common case: nothing upper-case after the first character
        return False
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and any(ch.isupper() for ch in letters[1:])


def _sentence_case(words: Sequence[str]) -> bool:
    """A title written in sentence case: some content word after the first is in lower case."""
    for word in words[1:]:
        if word.islower():
            letters = "".join(ch for ch in word if ch.isalpha())
            if len(letters) >= 4 and letters not in _SMALL:
                return True
    return False


_ESCAPE = re.compile(r"\\[a-z]+\{\}|\\.")
_OPENS_SUBTITLE = re.compile(r"[:.?!]$")


def protect(title: str) -> str:
    """``title`` (already escaped) with the capitals a style must not lower-case in braces.

    ``NATO``, ``McCain``, ``Part-I`` always; in a sentence-case title also each
    capitalised word after the first that does not open a subtitle (``The policy of
    {Russia} in {Central} {Asia}``).
    """
    words = title.split()
    sentence = _sentence_case(words)
    out = []
    opens = True  # the first word, or the first of a subtitle
    for word in words:
        if word.islower() or not any(ch.isupper() for ch in word):  # nothing to protect
            out.append(word)
            opens = bool(_OPENS_SUBTITLE.search(word)) or word in ("-", "–", "—")
            continue
        lead, core, trail = _CORE.match(word).groups()  # type: ignore[union-attr]
        plain = _ESCAPE.sub("", core) if "\\" in core else core  # escapes are not letters
        if core and (
            _internal_capital(plain) or (sentence and not opens and plain[:1].isupper() and len(plain) > 1)
        ):
            word = f"{lead}{{{core}}}{trail}"
        out.append(word)
        opens = bool(_OPENS_SUBTITLE.search(trail or core))
    return " ".join(out)


def bib_name(person: Person) -> str:
    """``Family, Given``; a corporate name in braces; ``others`` for "et al."."""
    if person.literal:
        if norm(person.literal) in ("et al", "others", "and others"):
            return "others"
        return "{" + escape(person.literal) + "}"
    family = escape(person.family or "")
    given = escape(person.given or "")
    if not family:  # a lone name BibTeX must not split
        return "{" + given + "}"
    if " and " in f" {family} ".lower() or "," in family:
        family = "{" + family + "}"
    return f"{family}, {given}" if given else family


def bib_pages(pages: str) -> str:
    return re.sub(r"\s*[-–—]+\s*", "--", escape(pages))


def _date_parts(date: str | None) -> tuple[str | None, int | None]:
    """Year and month of an ISO date (``1995-12`` → ``("1995", 12)``)."""
    m = re.match(r"^(\d{4})(?:-(\d{1,2}))?", date or "")
    if not m:
        return None, None
    month = int(m.group(2)) if m.group(2) else None
    return m.group(1), month if month and 1 <= month <= 12 else None


def timestamp_date(timestamp: str) -> str:
    """``20150305123456`` or ``2015-03-05T…`` → ``2015-03-05``."""
    digits = re.sub(r"\D", "", timestamp)
    if len(digits) >= 8:
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}"
    return timestamp


def _url_in_text(url: str) -> str:
    """A URL inside ``\\url{}`` in a non-verbatim field: ``%`` and ``#`` escaped (the url package reads them)."""
    return verbatim(url).replace("%", r"\%").replace("#", r"\#")


def archived_note(link: LinkResult | None) -> str | None:
    """``Archived at \\url{…} on 2015-03-05``, when the link check found a capture."""
    if link is None or link.archive is None:
        return None
    return rf"Archived at \url{{{_url_in_text(link.archive.url)}}} on {timestamp_date(link.archive.timestamp)}"


# --------------------------------------------------------------------------- entries


def entry_type(record: Record, style: str) -> str:
    kind, f = record.kind, record.fields
    if record.unparsed is not None:
        return "misc"
    if kind is Kind.ARTICLE:
        return "article"
    if kind is Kind.BOOK:
        return "book"
    if kind is Kind.CHAPTER:
        return "incollection"
    if kind is Kind.REPORT:
        return "techreport"
    if kind is Kind.NEWS and not f.url:
        return "article"  # a printed newspaper item: @online needs a URL
    if kind in (Kind.NEWS, Kind.WEB) and f.url:
        return "online" if style == "biblatex" else "misc"
    if kind in (Kind.INTERVIEW, Kind.DOCUMENT):
        return "unpublished"
    return "misc"


def _fields(record: Record, style: str) -> list[tuple[str, Any]]:
    """The ``(name, value)`` pairs of one entry, in the order a reader expects them."""
    f = record.fields
    kind = entry_type(record, style)
    title = protect(escape(f.title)) if f.title else None
    container = escape(f.container) if f.container else None
    year, month = _date_parts(f.date)
    notes: list[str] = []
    out: list[tuple[str, Any]] = []

    def add(name: str, value: Any) -> None:
        if value:
            out.append((name, value))

    if f.authors:
        add("author", [bib_name(p) for p in f.authors])
    if f.editors:
        add("editor", [bib_name(p) for p in f.editors])
    add("title", title)
    if kind == "article":
        add("journal", container)
    elif kind == "incollection":
        add("booktitle", container)
    elif kind == "book":
        add("series", container)
    elif kind == "techreport":
        add("type", container if f.publisher else None)
    elif kind == "online":
        add("organization", container)
    elif kind == "misc" and f.url and style == "bibtex" and container:
        notes.append(container)  # howpublished holds the URL
    elif kind == "unpublished":
        label = "Interview" if record.kind is Kind.INTERVIEW else None
        notes.append(", ".join(x for x in (label, container) if x) or "Document")
    elif container:
        add("howpublished", container)
    add("volume", escape(f.volume) if f.volume else None)
    add("number", escape(f.issue) if f.issue else None)
    add("pages", bib_pages(f.pages) if f.pages else None)
    add("year", year)
    if month:
        out.append(("month", month))
    if kind == "techreport":
        add("institution", escape(f.publisher or f.container or "") or None)
    else:
        add("publisher", escape(f.publisher) if f.publisher else None)
    add("address", escape(f.place) if f.place else None)
    add("isbn", escape(f.isbn) if f.isbn else None)
    add("doi", verbatim(f.doi) if f.doi else None)
    if f.url and style == "bibtex" and kind == "misc":
        add("howpublished", rf"\url{{{_url_in_text(f.url)}}}")
        if f.accessed:
            notes.append(f"Accessed {f.accessed}")
    else:
        add("url", verbatim(f.url) if f.url else None)
        add("urldate", f.accessed if f.url else None)
    archived = archived_note(record.link)
    if archived:
        notes.append(archived)
    if record.unparsed is not None:
        notes.append(escape(record.unparsed))
    add("note", ". ".join(notes) or None)
    return out


def _entry(record: Record, style: str) -> Entry:
    return Entry(entry_type(record, style), record.key, [Field(name, value) for name, value in _fields(record, style)])


# --------------------------------------------------------------------------- comments


_STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "..."})


def _fold(text: str) -> str:
    """A comment as plain ASCII (for ``ascii=True``): accents dropped, quotes and dashes straightened."""
    text = text.translate(_STRAIGHT)
    plain = unicodedata.normalize("NFKD", text)
    return "".join(ch if ch.isascii() else ("" if unicodedata.combining(ch) else "?") for ch in plain)


def _comment_lines(items: Sequence[str], ascii_only: bool, lead: str, more: str) -> list[str]:
    lines: list[str] = []
    for item in items:
        item = " ".join(re.sub(r"[{}]", "", item.replace("@", "(at)")).split())  # "@" would open an entry
        if ascii_only:
            item = _fold(item)
        lines += textwrap.wrap(item, width=98, initial_indent=lead, subsequent_indent=more, break_long_words=False,
                               break_on_hyphens=False)
    return lines


def _link_problem(link: LinkResult) -> str:
    code = "L005 soft-404" if link.status is LinkStatus.SOFT_404 else "L001 link-dead"
    detail = f"HTTP {link.http_status}" if link.http_status else (link.error or str(link.status))
    text = f"{code}: {link.url} was {'an error page' if link.status is LinkStatus.SOFT_404 else 'dead'} " \
           f"when checked ({detail})."
    if link.archive:
        text += f" Archived copy: {link.archive.url} ({timestamp_date(link.archive.timestamp)})."
    else:
        text += " No archived copy was found."
    return text


def _record_comment(record: Record, ascii_only: bool) -> str:
    """The text of the ``@comment`` above an entry ("" when there is nothing to say)."""
    items: list[str] = []
    if record.conflicts:
        items.append("The citations of this source disagree; the most complete and most frequent form of each "
                     "field was exported. Check it against the source:")
        items += [f"{f.code} {f.rule}: {f.message}" for f in record.conflicts]
    items += [_link_problem(link) for link in record.dead]
    link = record.link
    if link is not None and link.status is LinkStatus.REDIRECTED and link.final_url:
        items.append(f"L004 link-redirected: {link.url} now redirects permanently to {link.final_url}.")
    if record.unparsed is not None:
        items.append("P001 unparsed-citation: no field could be read from this citation; its text is in the note.")
    if not items:
        return ""
    return "\n".join([f"{record.key}:", *_comment_lines(items, ascii_only, "  ", "    ")])


def _header(bib: Bibliography, documents: Sequence[str], ascii_only: bool) -> str:
    where = ", ".join(documents) if len(documents) <= 5 else f"{len(documents)} documents"
    items = [f"{len(bib.records)} sources cited in {where or 'no document'}, exported by verifier {__version__}."]
    if bib.skipped:
        items.append(
            "Not exported: sources cited only in a short form whose full citation never appears (M007): "
            + "; ".join(f"“{' '.join(c.raw.split())}”" for c in bib.skipped)
        )
    return "\n".join(_comment_lines(items, ascii_only, "% ", "%   "))


# --------------------------------------------------------------------------- writing


def _keep_unknown(_text: str, _pos: int) -> str:  # pylatexenc calls this for characters LaTeX has no macro for
    return _text[_pos]


def library(bib: Bibliography, documents: Sequence[str] = (), *, style: str = "biblatex",
            ascii_only: bool = False) -> Library:
    """The bibtexparser ``Library`` of the records: a header comment, then each entry with its
    ``@comment`` above it (an ``@comment``, not ``%`` lines, so that every BibTeX tool reads it as one)."""
    lib = Library()
    lib.add(ImplicitComment(_header(bib, documents, ascii_only)))
    for record in bib.records:
        lib.add(ImplicitComment(""))  # a blank line
        comment = _record_comment(record, ascii_only)
        if comment:
            lib.add(ExplicitComment("\n" + comment + "\n"))
        lib.add(_entry(record, style))
    return lib


def render(bib: Bibliography, documents: Sequence[str] = (), *, style: str = "biblatex",
           ascii_only: bool = False) -> str:
    """The records as the text of a .bib file (UTF-8 unless ``ascii_only``)."""
    if style not in STYLES:
        raise ValueError(f"unknown BibTeX style {style!r} (choose from {', '.join(STYLES)})")
    # The library is built here and dropped after writing: every middleware may change it in place
    # (bibtexparser would otherwise deep-copy each block, and warn about it for large libraries).
    stack: list[Any] = [MergeCoAuthors(allow_inplace_modification=True),
                        MonthAbbreviationMiddleware(allow_inplace_modification=True)]
    if ascii_only:
        encoder = UnicodeToLatexEncoder(
            non_ascii_only=True, replacement_latex_protection="braces-all", unknown_char_policy=_keep_unknown
        )
        stack.append(LatexEncodingMiddleware(encoder=encoder, allow_inplace_modification=True))
    stack.append(AddEnclosingMiddleware(reuse_previous_enclosing=False, enclose_integers=True, default_enclosing="{",
                                        allow_inplace_modification=True))
    fmt = BibtexFormat()
    fmt.indent = "  "
    fmt.block_separator = ""
    text: str = bibtexparser.write_string(
        library(bib, documents, style=style, ascii_only=ascii_only), unparse_stack=stack, bibtex_format=fmt
    )
    return text
