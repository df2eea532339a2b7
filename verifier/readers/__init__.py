"""Readers: one module per input format, each ``read(data: bytes, path: str) -> Document``.

This module maps file extensions to formats and formats to readers. Adding a
format means one new module and one line in each table below.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from verifier.errors import UsageError
from verifier.model import Diagnostic, Document, Location, Paragraph

Reader = Callable[[bytes, str], Document]

READERS: dict[str, str] = {
    "text": "text",
    "bibtex": "bibtex",
    "latex": "latex",
    "markdown": "markdown",
    "html": "html",
    "docx": "docx",
    "pdf": "pdf",
}
"""Each format's reader module, imported on first use: a run over plain text never loads pypdf, lxml or
bibtexparser (a third of the command's start-up)."""

FORMAT_BY_EXTENSION: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".bib": "bibtex",
    ".tex": "latex",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}


def format_for(path: Path, override: str | None = None) -> str | None:
    """The input format of ``path`` (``override`` wins), or None when it is not supported."""
    if override:
        if override not in READERS:
            raise UsageError(f"unknown input format '{override}' (supported: {', '.join(sorted(READERS))})")
        return override
    return FORMAT_BY_EXTENSION.get(path.suffix.lower())


_TEXT_FORMATS = frozenset({"text", "markdown", "latex", "bibtex", "html"})


def read(data: bytes, path: str, fmt: str) -> Document:
    """Read ``data`` (the bytes of ``path``) as ``fmt``.

    Text formats saved as UTF-16 without a byte-order mark (which would look binary) are read with
    the mark they lack, and the document says so.
    """
    from verifier.readers.decoding import utf16_without_bom

    codec = utf16_without_bom(data) if fmt in _TEXT_FORMATS else None
    if codec is None:
        return _with_damaged_urls(reader(fmt)(data, path))
    bom = b"\xff\xfe" if codec == "utf-16-le" else b"\xfe\xff"
    doc = _with_damaged_urls(reader(fmt)(bom + data, path))
    order = "little" if codec == "utf-16-le" else "big"
    note = Diagnostic(
        "P001",
        f"The file is UTF-16 text without a byte-order mark ({order}-endian); it was read as such.",
        Location(1),
        suggestion="Save it as UTF-8 (or as UTF-16 with a byte-order mark).",
    )
    return replace(doc, diagnostics=(note, *doc.diagnostics))


def _with_damaged_urls(doc: Document) -> Document:
    """The document with an F004 diagnostic for each URL of its body text that lost part of itself on the way
    here — cut off at a line break, or with characters lost in extraction (U+FFFD): the pipeline cites none of
    them (``citations.urls.body_urls``), and each is said, not dropped. (Notes' URLs: ``builder.make_note``.)
    Only paragraphs where such a URL can be are searched: one with a U+FFFD, or with a line ending in a hyphen."""
    from verifier.citations.urls import body_urls

    found = [Diagnostic("F004", f"The URL {url} in the text cannot be requested: {why}.", para.location_at(start),
                        url=url, suggestion="Restore the URL from the source document.")
             for para in doc.paragraphs if _may_hold_a_damaged_url(para)
             for start, _end, url, why in body_urls(para.text, para.lines)
             if why and (url.endswith("-") or "\ufffd" in url)]
    return replace(doc, diagnostics=(*doc.diagnostics, *found)) if found else doc


def _may_hold_a_damaged_url(para: Paragraph) -> bool:
    text = para.text
    if "://" not in text and "www." not in text.lower():
        return False
    return "\ufffd" in text or any(text[max(0, start - 3):start].rstrip().endswith("-") for start, _ in para.lines[1:])


def failure(fmt: str | None, exc: Exception) -> str:
    """Why a reader raised something other than ``InputError``, in the words of a P002.

    Readers report what they cannot read as ``InputError`` or as diagnostics; anything else is a bug
    or a limit (Python's recursion depth) a hostile file reached. The pipeline still catches it per
    file, so one such file never costs the others their report.
    """
    if isinstance(exc, RecursionError):
        return "it is nested too deeply to read"
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return f"the {fmt or 'input'} reader failed on it ({detail}); this is a bug, please report it"


def reader(fmt: str) -> Reader:
    """The ``read`` function of ``fmt``'s module."""
    module = importlib.import_module(f"verifier.readers.{READERS[fmt]}")
    read_fn: Reader = module.read
    return read_fn
