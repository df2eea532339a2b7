"""CSL-JSON: the records as the items Zotero, Pandoc and citeproc read.

The item ``id`` is the record's BibTeX key, so a document can cite ``[@key]``
from either file. Types come from the CSL vocabulary (``article-journal``,
``book``, ``chapter``, ``report``, ``article-newspaper``, ``webpage``,
``interview``, ``document``); names are ``{family, given}`` or ``{literal}``;
dates are ``date-parts``. A capture found by the link check becomes
``archive`` (the archive's name) and ``archive_location`` (the capture's URL);
the cited ``URL`` stays. A dead URL and the note of an unparsed citation go in
``note``. Items validate against the CSL-JSON schema (``csl-data.json``).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from verifier.export.bibtex import timestamp_date
from verifier.export.records import Bibliography, Record
from verifier.model import Kind, LinkResult, LinkStatus, Person
from verifier.sources import norm

__all__ = ["items", "CSL_TYPES"]

CSL_TYPES = {
    Kind.ARTICLE: "article-journal",
    Kind.BOOK: "book",
    Kind.CHAPTER: "chapter",
    Kind.REPORT: "report",
    Kind.NEWS: "article-newspaper",
    Kind.WEB: "webpage",
    Kind.INTERVIEW: "interview",
    Kind.DOCUMENT: "document",
    Kind.UNKNOWN: "document",
}

_ARCHIVES = {
    "web.archive.org": "Internet Archive",
    "wayback.archive.org": "Internet Archive",
    "archive.org": "Internet Archive",
    "archive.today": "archive.today",
    "archive.ph": "archive.today",
    "archive.is": "archive.today",
    "webcitation.org": "WebCite",
    "www.webcitation.org": "WebCite",
}


def _name(person: Person) -> dict[str, str] | None:
    if person.literal:
        if norm(person.literal) in ("et al", "others", "and others"):
            return None  # CSL has no "and others": the style adds "et al." itself
        return {"literal": person.literal}
    out = {k: v for k, v in (("family", person.family), ("given", person.given)) if v}
    return out or None


def _names(people: tuple[Person, ...]) -> list[dict[str, str]]:
    return [n for n in map(_name, people) if n]


def date_parts(iso: str | None) -> dict[str, Any] | None:
    """``1995-12`` → ``{"date-parts": [[1995, 12]]}``."""
    m = re.match(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", (iso or "").strip())
    if not m:
        return None
    return {"date-parts": [[int(g) for g in m.groups() if g]]}


def archive_name(url: str) -> str:
    """The name of the web archive that serves ``url`` (its host when unknown)."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        host = ""
    return _ARCHIVES.get(host) or _ARCHIVES.get(host.removeprefix("www.")) or host or "Web archive"


def _dead_note(link: LinkResult) -> str:
    what = "an error page" if link.status is LinkStatus.SOFT_404 else "dead"
    detail = f"HTTP {link.http_status}" if link.http_status else (link.error or str(link.status))
    return f"{link.url} was {what} when checked ({detail})"


def item(record: Record) -> dict[str, Any]:
    """One CSL-JSON item."""
    f = record.fields
    kind = record.kind if record.unparsed is None else Kind.UNKNOWN
    out: dict[str, Any] = {"id": record.key, "type": CSL_TYPES.get(kind, "document")}
    if f.authors and (authors := _names(f.authors)):
        out["author"] = authors
    if f.editors and (editors := _names(f.editors)):
        out["editor"] = editors
    if f.title:
        out["title"] = f.title
    if f.container:
        if kind is Kind.REPORT:  # "Discussion Paper" beside a publisher; else the issuing body
            out["genre" if f.publisher else "publisher"] = f.container
        else:
            out["container-title"] = f.container
    if f.volume:
        out["volume"] = f.volume
    if f.issue:
        out["issue"] = f.issue
    if f.pages:
        out["page"] = re.sub(r"\s*[-–—]+\s*", "-", f.pages)
    if issued := date_parts(f.date):
        out["issued"] = issued
    if f.publisher:
        out["publisher"] = f.publisher
    if f.place:
        out["publisher-place"] = f.place
    if f.doi:
        out["DOI"] = f.doi
    if f.isbn:
        out["ISBN"] = f.isbn
    if f.url:
        out["URL"] = f.url
        if accessed := date_parts(f.accessed):
            out["accessed"] = accessed
    link = record.link
    if link is not None and link.archive is not None:
        out["archive"] = archive_name(link.archive.url)
        out["archive_location"] = link.archive.url
    notes = [_dead_note(dead) for dead in record.dead]
    if link is not None and link.archive is not None:
        notes.append(f"Archived at {link.archive.url} on {timestamp_date(link.archive.timestamp)}")
    if record.unparsed is not None:
        notes.append(record.unparsed)
    if notes:
        out["note"] = ". ".join(notes)
    return out


def items(bib: Bibliography) -> list[dict[str, Any]]:
    """The CSL-JSON array of the records, in order of first citation."""
    return [item(record) for record in bib.records]
