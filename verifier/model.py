"""The data model: frozen values that flow from readers to reports.

One citation's path through the model::

    Document (reader output: markers, notes, entries, key cites, paragraphs)
      -> Citation (one source cited once: raw text, kind, parsed Fields)
      -> Source (citations of one work grouped together)
      -> LinkResult (one URL checked once)
      -> Finding (a rule's verdict, with location and suggestion)
      -> Report (everything above, plus a summary)

Everything here is immutable and free of I/O; ``to_json`` methods produce the
shapes of ``verifier-report/1`` (see SPEC.md and report.schema.json).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from dataclasses import fields as dc_fields
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """What sort of work a citation points to (SPEC: ``citations[].kind``)."""

    ARTICLE = "article"
    """A journal or magazine article: has a container (journal) and usually volume/pages."""
    BOOK = "book"
    """A monograph or edited volume: publisher and/or place."""
    CHAPTER = "chapter"
    """A part of a book: "in <Editor> (ed.), <Book>"."""
    REPORT = "report"
    """A report, working or discussion paper, thesis, grey literature."""
    NEWS = "news"
    """A newspaper, news agency, broadcast or wire item."""
    WEB = "web"
    """A web page cited by URL without a fuller bibliographic form."""
    INTERVIEW = "interview"
    """An interview, speech or statement given by a person."""
    DOCUMENT = "document"
    """An official or archival document: treaty, decree, statement, monitoring report."""
    IBID = "ibid"
    """"Ibid." — the same source as the citation before it."""
    SHORT = "short"
    """A shortened note ("Author, Short Title, 11.") standing for an earlier full citation."""
    UNKNOWN = "unknown"
    """Could not be classified."""

    def __str__(self) -> str:
        return self.value


class Severity(StrEnum):
    """How serious a finding is; ordered ``info < warning < error``."""

    INFO = "info"
    """Worth a look; never fails a build unless ``--fail-on info``."""
    WARNING = "warning"
    """Probably wrong; fails the build with ``--fail-on warning``."""
    ERROR = "error"
    """Wrong; fails the build by default."""

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def __str__(self) -> str:
        return self.value


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class LinkStatus(StrEnum):
    """The verdict on one URL (SPEC: ``links[].status``)."""

    ALIVE = "alive"
    """Answered 2xx, directly or after temporary redirects."""
    REDIRECTED = "redirected"
    """Permanent redirects that end alive; ``final_url`` is the end of the chain."""
    DEAD = "dead"
    """404, 410, unknown host or refused connection."""
    SOFT_404 = "soft-404"
    """2xx but an error page, or redirected to the site's front page."""
    BLOCKED = "blocked"
    """401, 403, 429 or 999 after retries: the site refused the checker."""
    ERROR = "error"
    """5xx, timeout, TLS failure, redirect loop: could not be verified."""
    SKIPPED = "skipped"
    """Not checked: offline, private address, or not http(s)."""

    def __str__(self) -> str:
        return self.value


class Origin(StrEnum):
    """Where in a document a citation was found (internal; not in the JSON report)."""

    NOTE = "note"
    """A footnote or endnote, referenced by a marker."""
    ENTRY = "entry"
    """A bibliography / reference-list entry, referenced by a key."""
    INLINE = "inline"
    """A parenthetical attribution in the body: "(Russian agencies, April 17-19)"."""
    URL = "url"
    """A bare URL in the body."""
    KEY = "key"
    """A citation key that no bibliography answers (``note`` is the key): a citation of unknown kind."""

    def __str__(self) -> str:
        return self.value


class Compact:
    """Pickled as a call of its class on its fields: the map step hands back documents and citations by
    the ten thousand (``verifier.parallel``), and a slotted dataclass's own pickling (``__setstate__``
    walks ``dataclasses.fields`` for every object) made unpickling them twice as slow."""

    __slots__ = ()
    __match_args__: tuple[str, ...]  # a dataclass's fields, in order (none of these has a keyword-only one)

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return type(self), tuple([getattr(self, name) for name in self.__match_args__])


@dataclass(frozen=True, slots=True)
class Location(Compact):
    """A 1-based line (for PDF: the page) and optional 1-based column."""

    line: int
    column: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column}


@dataclass(frozen=True, slots=True)
class Person(Compact):
    """A name: either ``family``/``given`` or a ``literal`` (institutions, unparsed names)."""

    family: str | None = None
    given: str | None = None
    literal: str | None = None

    def to_json(self) -> dict[str, str]:
        return {k: v for k, v in (("family", self.family), ("given", self.given), ("literal", self.literal)) if v}

    def display(self) -> str:
        if self.literal:
            return self.literal
        return " ".join(p for p in (self.given, self.family) if p)


CONFIDENT = 0.8
"""The probability from which a learned field counts as read with confidence (the I-rules compare only those)."""


@dataclass(frozen=True, slots=True)
class Fields(Compact):
    """The structured fields of a citation or source (SPEC: ``fields``); all optional.

    ``date`` and ``accessed`` are ISO 8601 strings as precise as the citation
    (``1995``, ``1995-12``, ``2015-03-05``).
    """

    authors: tuple[Person, ...] = ()
    editors: tuple[Person, ...] = ()
    title: str | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    date: str | None = None
    pages: str | None = None
    publisher: str | None = None
    place: str | None = None
    url: str | None = None
    doi: str | None = None
    isbn: str | None = None
    accessed: str | None = None
    confidence: tuple[tuple[str, float], ...] = field(default=(), compare=False)
    """The parser's confidence in each field it labelled, ``(name, probability)``; empty when the
    rules, not the learned labeller, read the field. Not part of equality or of ``to_json``."""

    def confident(self, name: str, threshold: float = CONFIDENT) -> bool:
        """Whether field ``name`` was read with at least ``threshold`` probability (rule-read fields are)."""
        return next((p for n, p in self.confidence if n == name), 1.0) >= threshold

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in _FIELD_NAMES:
            value = getattr(self, name)
            if not value:
                continue
            if name in ("authors", "editors"):
                out[name] = [p.to_json() for p in value]
            else:
                out[name] = value
        return out

    def merged(self, other: Fields) -> Fields:
        """These fields, with gaps filled from ``other``."""
        changes = {
            name: getattr(other, name)
            for name in _FIELD_NAMES
            if not getattr(self, name) and getattr(other, name)
        }
        if changes and other.confidence:
            changes["confidence"] = self.confidence + tuple((n, p) for n, p in other.confidence if n in changes)
        return replace(self, **changes) if changes else self


_FIELD_NAMES = tuple(f.name for f in dc_fields(Fields) if f.name != "confidence")
"""``Fields``' names in order, looked up once (``dataclasses.fields`` per call cost a tenth of the JSON report)."""


@dataclass(frozen=True, slots=True)
class Marker(Compact):
    """A note reference in the body text: ``¹²``, ``word.12``, ``[12]``, ``[^fn3]``."""

    label: str
    location: Location


@dataclass(frozen=True, slots=True)
class Note(Compact):
    """A footnote, endnote or numbered reference-list item, addressed by its label.

    ``text`` is the note as the reader reassembled it: line breaks folded,
    hyphenation undone, broken URLs re-joined. ``urls`` are the URLs found in
    it, already repaired; ``damaged_urls`` are the ones that could not be.
    """

    label: str
    text: str
    location: Location
    urls: tuple[str, ...] = ()
    damaged_urls: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Entry(Compact):
    """A bibliography entry addressed by a key (BibTeX key, or author-year for text lists)."""

    key: str
    text: str
    location: Location
    fields: Fields | None = None
    """Set when the format already carries structure (BibTeX); otherwise parsed from ``text``."""
    kind: Kind | None = None
    path: str | None = None
    """The file the entry is written in when that is not the document itself (a ``.bib`` a ``.tex`` names).

    ``location`` is then a line of that file. Such a file is read as a document of its own (see
    ``Document.includes``), which owns the entry's citation; here the entry only answers the keys."""


@dataclass(frozen=True, slots=True)
class KeyCite(Compact):
    """A citation key used in the body: ``\\cite{key}``, ``[@key]``, ``(Smith 2004)``."""

    key: str
    location: Location
    path: str | None = None
    """The file the key is written in when it is not the document's own (a LaTeX part pulled in by
    ``\\input``, whose keys are checked against the main file's bibliography); ``location`` is then a line
    of that file."""


@dataclass(frozen=True, slots=True)
class Include(Compact):
    """A file a document asks for: a bibliography it names, or a part it pulls in (``\\input{ch1}``).

    Readers only name them (``read(data, path)`` stays pure); the pipeline loads each once, inside the
    project root, and attaches what it found (``verifier.readers.project``)."""

    name: str
    """As written, relative to the folder of the document that names it (".bib" added where LaTeX adds it)."""
    role: str
    """``"bibliography"`` or ``"part"``."""
    location: Location


@dataclass(frozen=True, slots=True)
class Hyperlink(Compact):
    """A link in the body that is not written out as text: ``<a href>``, ``[text](url)``, a Word hyperlink.

    ``text`` is the anchor text. (A URL written out in the body is found in the
    paragraph text instead; a link inside a note belongs in the note's text.)
    """

    url: str
    location: Location
    text: str = ""


@dataclass(frozen=True, slots=True)
class Paragraph(Compact):
    """A paragraph of body text, with enough position data to locate any offset in it.

    ``lines`` pairs each offset in ``text`` where a source line starts with that
    line's number (1-based), in increasing order. ``markers`` are the note
    markers inside the paragraph as ``(offset, label)``.
    """

    text: str
    lines: tuple[tuple[int, int], ...]
    markers: tuple[tuple[int, str], ...] = ()
    quoted: bool = False
    """The paragraph is a block quotation (Markdown ``>``, HTML ``<blockquote>``, LaTeX ``quote``)."""

    def location_at(self, offset: int) -> Location:
        # Binary search: a paragraph of 10,000 lines (a bare list of URLs) is located 10,000 times.
        i = bisect.bisect_right(self.lines, offset, key=lambda pair: pair[0]) - 1
        start, line = self.lines[max(i, 0)]
        return Location(line, offset - start + 1)


@dataclass(frozen=True, slots=True)
class Diagnostic(Compact):
    """Something a reader noticed while reconstructing the document (errors as data).

    The rules turn each into a finding with the same ``code`` (P001, F004, ...).
    """

    code: str
    message: str
    location: Location | None = None
    url: str | None = None
    note: str | None = None
    suggestion: str | None = None


@dataclass(frozen=True, slots=True)
class Document(Compact):
    """What a reader makes of one input file: the raw material for citations.

    ``format`` is one of the report schema's formats (``text``, ``markdown``, ...).
    """

    path: str
    format: str
    markers: tuple[Marker, ...] = ()
    notes: tuple[Note, ...] = ()
    entries: tuple[Entry, ...] = ()
    keys: tuple[KeyCite, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    notes_are_endnotes: bool = False
    """True when notes were matched to markers by order (an unnumbered endnote list)."""
    links: tuple[Hyperlink, ...] = ()
    """Body hyperlinks whose URL is not part of the paragraph text."""
    includes: tuple[str, ...] = ()
    """Other files this document draws on (the ``.bib`` files a ``.tex`` names); each is also read as a
    document of its own, once per run, whether or not it was named on the command line."""
    requests: tuple[Include, ...] = ()
    """The files the reader found named (bibliographies, parts), for the pipeline to load."""
    bibliography: bool = False
    """The document names or holds a bibliography (``\\bibliography``, ``bibliography:``, ``references:``,
    ``thebibliography``): its keys are checked against it, and no other is looked for."""
    found_bibliographies: tuple[str, ...] = ()
    """Bibliography files the document does not name but that answer its keys (``--bibliography``, the one
    found beside it): shared by many documents, their entries are not this one's own (no M005 here)."""
    unresolved_keys: tuple[KeyCite, ...] = ()
    """Keys cited with no bibliography to answer them: each is a citation of its own (kind unknown), and one
    finding says why they could not be checked."""


@dataclass(frozen=True, slots=True)
class Citation(Compact):
    """One source cited once, parsed.

    A note that cites three works yields three citations with the same ``note``
    and increasing ``index``. ``source`` is filled in by ``sources.resolve``.
    """

    id: str
    document: str
    note: str | None
    location: Location
    raw: str
    kind: Kind
    fields: Fields
    source: str | None = None
    origin: Origin = Origin.NOTE
    index: int = 0
    """Position of this citation within its note (0 for the first source)."""
    parsed: bool = True
    """False when the parser could extract no fields (P001)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "document": self.document,
            "note": self.note,
            "location": self.location.to_json(),
            "raw": self.raw,
            "kind": self.kind.value,
            "fields": self.fields.to_json(),
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Source:
    """One cited work: the citations that refer to it and its best-known fields."""

    id: str
    citations: tuple[str, ...]
    fields: Fields
    kind: Kind = Kind.UNKNOWN
    doi_source: str | None = None
    """Where ``fields.doi`` came from when the citations gave none: the registry whose search found it
    (``crossref``, ``openalex``)."""

    def to_json(self) -> dict[str, Any]:
        out = {"id": self.id, "citations": list(self.citations), "fields": self.fields.to_json()}
        if self.doi_source:
            out["doi_source"] = self.doi_source
        return out


@dataclass(frozen=True, slots=True)
class Archive:
    """An archived capture of a URL."""

    url: str
    timestamp: str

    def to_json(self) -> dict[str, str]:
        return {"url": self.url, "timestamp": self.timestamp}


@dataclass(frozen=True, slots=True)
class LinkResult:
    """The verdict on one URL, however often it is cited."""

    url: str
    status: LinkStatus
    citations: tuple[str, ...] = ()
    http_status: int | None = None
    final_url: str | None = None
    error: str | None = None
    archive: Archive | None = None
    title: str | None = None
    """The live page's title, when its body was read."""
    redirects: tuple[tuple[int, str], ...] = ()
    """Each redirect hop as (HTTP status, target URL)."""
    suggestion: str | None = None
    """For a permanent redirect: the URL to cite instead."""
    archive_error: str | None = None
    """Which archive could not be asked, and why ("the Wayback Machine could not be asked: …")."""
    archive_checked: bool = False
    """True when the archives were asked about this URL (not with --no-archive, offline, or a skipped URL)."""
    cache_age: float | None = None
    """Seconds since the verdict was reached, when it came from the cache; None when checked in this run."""

    def to_json(self) -> dict[str, Any]:
        out = {
            "url": self.url,
            "status": self.status.value,
            "http_status": self.http_status,
            "final_url": self.final_url,
            "error": self.error,
            "archive": self.archive.to_json() if self.archive else None,
            "citations": list(self.citations),
            "title": self.title,
            "redirects": [{"status": code, "url": url} for code, url in self.redirects],
        }
        if self.archive_error:
            out["archive_error"] = self.archive_error
        if self.cache_age is not None:
            out["cache_age"] = round(self.cache_age)
        return out


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule's verdict on one place in one document."""

    code: str
    rule: str
    severity: Severity
    message: str
    document: str | None
    location: Location | None
    citations: tuple[str, ...] = ()
    url: str | None = None
    suggestion: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "document": self.document,
            "location": self.location.to_json() if self.location else None,
            "citations": list(self.citations),
            "url": self.url,
            "suggestion": self.suggestion,
        }

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (self.document or "", loc.line if loc else 0, (loc.column or 0) if loc else 0, self.code)


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """The per-document counts of the report."""

    path: str
    format: str
    notes: int
    citations: int
    urls: int
    entries: int = 0
    """Bibliography / reference-list entries, counted apart from ``notes`` (footnotes and endnotes)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "notes": self.notes,
            "entries": self.entries,
            "citations": self.citations,
            "urls": self.urls,
        }


class QuotationStatus(StrEnum):
    """Whether a quotation's cited web source holds it (SPEC: ``quotations[].status``)."""

    FOUND = "found"
    """The live page holds the quotation."""
    FOUND_IN_ARCHIVE = "found-in-archive"
    """Only the capture nearest the access date holds it: the page changed after it was cited (Q002)."""
    NOT_FOUND = "not-found"
    """Neither the live page nor the capture holds it (Q001)."""
    NOT_CHECKED = "not-checked"
    """No text could be had (offline, ``--no-quotations``, blocked, no capture); ``why`` says why."""


@dataclass(frozen=True, slots=True)
class Quotation:
    """A direct quotation in the body and what its cited web sources hold of it."""

    text: str
    document: str
    location: Location | None
    citations: tuple[str, ...]
    status: QuotationStatus = QuotationStatus.NOT_CHECKED
    similarity: float | None = None
    """1 when found; else the similarity (0–1) of the closest passage."""
    where: str | None = None
    """The URL (or capture URL) of the best match."""
    passage: str | None = None
    """The best match with a little context, in normalised words."""
    why: str | None = None
    """Why the quotation could not be checked; for one found only in the archive, why the live page had no text
    (``dead (HTTP 404)``), or None when the live page was read and lacks it."""

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "document": self.document,
                "location": self.location.to_json() if self.location else None, "citations": list(self.citations),
                "status": self.status.value, "similarity": self.similarity, "where": self.where,
                "passage": self.passage, "why": self.why}


@dataclass(frozen=True, slots=True)
class Report:
    """Everything one run found; ``to_json`` is the ``verifier-report/1`` document."""

    version: str
    documents: tuple[DocumentSummary, ...] = ()
    citations: tuple[Citation, ...] = ()
    sources: tuple[Source, ...] = ()
    links: tuple[LinkResult, ...] = ()
    findings: tuple[Finding, ...] = ()
    unreadable: tuple[str, ...] = field(default=())
    """Paths that could not be read at all (they make the exit status 2)."""
    rules: tuple[str, ...] = ()
    """Codes of the rules this run applied, in catalog order (JUnit lists a test case for each)."""
    quotations: tuple[Quotation, ...] = ()

    def __repr__(self) -> str:
        """Short, for a REPL: the counts, not every citation (the full value is ``to_json()``)."""
        s = self.summary()
        return (f"<Report: {len(self.documents)} documents, {len(self.citations)} citations, {len(self.links)} links; "
                f"{s['error']} errors, {s['warning']} warnings, {s['info']} info"
                f"{f'; {len(self.unreadable)} unreadable' if self.unreadable else ''}>")

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per finding (``pandas.DataFrame(report.to_records())``): code, rule, severity,
        document, line, column, message, url, suggestion and the citation ids joined by spaces."""
        return [{"code": f.code, "rule": f.rule, "severity": f.severity.value, "document": f.document,
                 "line": f.location.line if f.location else None,
                 "column": f.location.column if f.location else None, "message": f.message, "url": f.url,
                 "suggestion": f.suggestion, "citations": " ".join(f.citations)} for f in self.findings]

    def _repr_html_(self) -> str:
        """A notebook's view: the counts and a table of the first 100 findings."""
        from html import escape

        rows = "".join(
            "<tr>" + "".join(f"<td>{escape(str(r[k]) if r[k] is not None else '')}</td>"
                             for k in ("document", "line", "code", "severity", "message")) + "</tr>"
            for r in self.to_records()[:100])
        more = f"<p>… and {len(self.findings) - 100} more findings</p>" if len(self.findings) > 100 else ""
        head = "".join(f"<th>{h}</th>" for h in ("document", "line", "code", "severity", "message"))
        return (f"<p>{escape(repr(self))}</p>"
                + (f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{more}" if rows else ""))

    def summary(self) -> dict[str, int]:
        counts = {s.value: 0 for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
        for f in self.findings:
            counts[f.severity.value] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": "verifier-report/1",
            "tool": {"name": "verifier", "version": self.version},
            "documents": [d.to_json() for d in self.documents],
            "citations": [c.to_json() for c in self.citations],
            "sources": [s.to_json() for s in self.sources],
            "links": [link.to_json() for link in self.links],
            "findings": [f.to_json() for f in self.findings],
            "summary": self.summary(),
        } | ({"quotations": [q.to_json() for q in self.quotations]} if self.quotations else {})
