"""The orchestration: one straight line of stages from paths to a Report.

    paths -> read -> extract citations -> resolve sources
          -> the network stage (net: links, archives and, with --registry, registries at once) -> rules -> Report

Everything but reading files and the network stage is pure. The network stage
(``verifier.net``) checks each URL once; with ``--offline`` every URL is
reported with status ``skipped`` and nothing is fetched.
"""

from __future__ import annotations

import contextlib
import fnmatch
import gc
import logging
import os
import posixpath
import re
import sys
import time
from collections.abc import Callable, Collection, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from verifier import __version__, baseline, budget, discovery, inputs, parallel, readers, suppression
from verifier.citations import find_inline, split_sources
from verifier.citations.urls import body_urls, damage, find_urls
from verifier.config import Settings
from verifier.errors import InputError, UsageError
from verifier.model import (
    Citation,
    Diagnostic,
    Document,
    DocumentSummary,
    Fields,
    Finding,
    Kind,
    LinkResult,
    LinkStatus,
    Location,
    Origin,
    Quotation,
    Report,
    Source,
)
from verifier.quotes.pairs import Pair, Quoted, pairs, quoted
from verifier.quotes.scan import has_quotation_marks
from verifier.report.common import is_report
from verifier.sources import Local, locals_of, resolve

if TYPE_CHECKING:
    from verifier.quotes.extract import SourceTexts
    from verifier.rules.registry_match import Lookup

# The rules (``verifier.rules``: importing any of its modules imports every rule family, 17 ms) and the
# quotation matcher (rapidfuzz, 9 ms) are imported where they are first used: the command hands its links to
# the helper processes before either is needed.

MAX_INPUT_BYTES = inputs.MAX_INPUT_BYTES
Progress = Callable[[int, int], None]
log = logging.getLogger("verifier")


# --------------------------------------------------------------------------- reading


def _expand(paths: Sequence[str | Path], settings: Settings) -> Iterator[tuple[Path, str | None, bool]]:
    """Each input with its format and whether it is standard input (``verifier.discovery`` finds them)."""
    override = settings.input_format
    supported = None if override else frozenset(readers.FORMAT_BY_EXTENSION)
    for found in discovery.expand(paths, exclude=settings.exclude or None, extend_exclude=settings.extend_exclude,
                                  respect_gitignore=settings.respect_gitignore,
                                  stdin_filename=settings.stdin_filename, force_exclude=settings.force_exclude,
                                  supported=supported):
        fmt = readers.format_for(found.path, override)
        if found.stdin and fmt is None:
            fmt = "text"  # standard input with no --stdin-filename (or an unknown extension): plain text
        if not found.named and fmt in ("html", "markdown") and _is_our_report(found.path):
            continue
        yield found.path, fmt, found.stdin


def _is_our_report(path: Path) -> bool:
    """A report an earlier run wrote (into ``reports/``, say): skipped when its folder is checked."""
    try:
        with path.open("rb") as fh:
            return is_report(fh.read(400))
    except OSError:
        return False  # reading it will say what is wrong


@dataclass(frozen=True, slots=True)
class Task:
    """One input of the map step: its name (the document's path in the report), the file a worker opens
    (absolute: a worker's folder is not ours), its format, and its bytes when the parent read them
    (standard input, ``--send-documents``) or why it could not."""

    path: str
    file: str | None
    fmt: str | None
    data: bytes | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Mapped:
    """What the map step gives back for one input, compact: the document (what the rules need of it), its
    citations (numbered ``c1``… within the document; the parent numbers them for the run) and what
    ``sources.resolve`` finds among them alone (``local``: their groups, short forms and Ibid.), the number
    of notes the budget left unparsed, the seconds of its budget used, its ``verifier: ignore`` comments;
    or why it could not be read. ``citations`` is None for a document the include step may still change
    (one that names its bibliography or parts): it is extracted after that step.

    A *compact* result (``map_inputs``' ``compact``) leaves the document's paragraphs (its body text, two
    thirds of the result) out: what the parent needs of them was found here, its quotations with their
    notes' labels (``quoted``, for ``quotes.pairs``) and its M009 findings (``unsourced``)."""

    path: str
    document: Document | None = None
    citations: tuple[Citation, ...] | None = None
    left: int | None = None
    used: float = 0.0
    suppressions: tuple[suppression.Suppression, ...] = ()
    failure: str | None = None
    local: tuple[Local, ...] = ()
    quoted: tuple[Quoted, ...] | None = None
    unsourced: tuple[Finding, ...] = ()
    urls: tuple[tuple[str, ...], ...] = ()
    """The URLs of each of ``citations`` (``citation_urls``)."""
    findings: tuple[Finding, ...] | None = None
    """With ``rules``: its reader diagnostics and the findings of the per-document rules
    (``rules.document_rules``), their citations named by the ids within the document."""


MAP_BATCH = 8
"""Inputs one map task reads together: their notes are labelled in shared batches, which fill up and pad
less than one document's (on chapter-sized documents the labelling costs about a fifth less); few enough
that the last tasks leave no worker idle for long. The batches are the same however the map step runs."""
PRIME_TOGETHER_MAX = 2000
"""A document with more note segments and entries than this labels them itself, in its own budget."""


def map_input(settings: Settings, task: Task, *, extract: bool = True) -> Mapped:
    """The map step for one input (``map_inputs`` of one)."""
    return map_inputs(settings, [task], extract=extract)[0]


def _unsourced(doc: Document, cited: Sequence[Citation]) -> tuple[Finding, ...]:
    """M009's findings in one document; the rules are imported for a document with a quotation mark only."""
    if not has_quotation_marks(doc.paragraphs):
        return ()
    from verifier.rules.quotations import unsourced_quotations

    return tuple(unsourced_quotations(doc, cited))


def map_inputs(settings: Settings, tasks: Sequence[Task], *, extract: bool = True, compact: bool = False,
               rules: bool = False, local: bool = True) -> list[Mapped]:
    """The map step for a few inputs: each read in its own budget (``--document-timeout``); the notes of
    those read labelled together; then, unless the include step may change a document, its citations
    extracted in what is left of its budget (and with ``compact``, its result made compact: see
    ``Mapped``; with ``rules``, the per-document rules run on it; without ``local``, its ``Local`` is left
    to ``sources.resolve``). Pure but for reading the tasks' files;
    runs wherever ``verifier.parallel`` puts it."""
    if rules:  # (not in the command's own map step: there the rules load after the hand-over)
        from verifier.rules import document_rules, select_rules
    with _bulk_allocation():
        read = [_map_read(settings, task) for task in tasks]
        todo = [k for k, (m, deadline) in enumerate(read) if extract and deadline is not False and
                m.document is not None and m.document.format not in inputs.KEYED_FORMATS]
        segments = {k: _segments(doc) for k in todo if (doc := read[k][0].document) is not None}
        texts = {k: _labelled_texts(doc, segments[k]) for k in todo if (doc := read[k][0].document) is not None}
        together = {k for k in todo if 0 < len(texts[k]) <= PRIME_TOGETHER_MAX}
        if len(together) > 1:
            _prime_texts([t for k in sorted(together) for t in texts[k]])
        out = [m for m, _ in read]
        codes = select_rules(settings.select, settings.ignore) if rules and todo else set()
        for k in todo:
            m, deadline = read[k]
            assert m.document is not None and deadline is not False
            cited, left = _extract_within(m.document, settings, deadline, primed=len(together) > 1 and k in together,
                                          segments=segments[k])
            out[k] = replace(m, citations=tuple(cited), left=left, local=tuple(locals_of(cited)) if local else (),
                             urls=_urls(cited))
            if rules:
                ruled = m.document if left is None else replace(m.document, diagnostics=(
                    *m.document.diagnostics, _parsing_stopped(settings, len(cited) - left, left)))
                out[k] = replace(out[k], findings=tuple(document_rules(ruled, cited, codes, settings.today)))
            if compact:
                doc = m.document
                out[k] = replace(out[k], document=replace(doc, paragraphs=()), quoted=quoted(doc),
                                 unsourced=_unsourced(doc, cited))
        return out


def _map_read(settings: Settings, task: Task) -> tuple[Mapped, float | None | bool]:
    """Read one input in its budget: what the map step gives for it so far, and its deadline (None: no
    budget; False: nothing more to do, it failed or ran out)."""
    start = time.monotonic()
    found: list[tuple[suppression.Suppression, ...]] = []
    try:
        with budget.limit(settings.document_timeout) as deadline:
            doc = _read(task, found)
    except budget.DocumentTimeout:
        doc = Document(path=task.path, format=task.fmt or "text", diagnostics=(_stopped(settings),))
        return Mapped(task.path, doc, used=settings.document_timeout), False
    except InputError as exc:
        return Mapped(task.path, failure=exc.reason), False
    except Exception as exc:  # a reader's failure on one hostile file must not cost the others their report
        return Mapped(task.path, failure=readers.failure(task.fmt, exc)), False
    return Mapped(task.path, doc, used=time.monotonic() - start, suppressions=found[0] if found else ()), deadline


def map_extract(settings: Settings, item: tuple[Document, float], *, local: bool = True
                ) -> tuple[tuple[Citation, ...], int | None, tuple[Local, ...], tuple[tuple[str, ...], ...]]:
    """The map step's second half for a document the include step completed: its citations, in what is
    left of its budget (``item`` is the document and the seconds its reading used), with their ``Local``
    and their URLs (without ``local``: as in ``map_inputs``)."""
    doc, used = item
    deadline = time.monotonic() + max(settings.document_timeout - used, 0.0)
    with _bulk_allocation():
        cited, left = _extract_within(doc, settings, deadline)
        return tuple(cited), left, tuple(locals_of(cited)) if local else (), _urls(cited)


def _urls(cited: Sequence[Citation]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(citation_urls(c)) for c in cited)


def _extract_within(doc: Document, settings: Settings, deadline: float | None, *, primed: bool = False,
                    segments: Sequence[Sequence[str]] | None = None) -> tuple[list[Citation], int | None]:
    cited: list[Citation] = []
    left: int | None
    try:
        with budget.limit(settings.document_timeout, deadline=deadline):
            left = _extract(doc, _Ids(), cited, primed=primed, segments=segments)
    except budget.DocumentTimeout:
        left = 0
    return cited, left


def _read(task: Task, suppressions: list[tuple[suppression.Suppression, ...]]) -> Document:
    """Read one input; its inline ``verifier: ignore`` comments are appended to ``suppressions``."""
    fmt = task.fmt
    if task.error is not None:
        raise InputError(task.path, task.error)
    if fmt is None:
        name = Path(task.path)
        raise InputError(task.path, f"unsupported file type '{name.suffix or name.name}' (use --input-format)")
    data = task.data if task.data is not None else inputs.read_bytes(Path(task.file or task.path), MAX_INPUT_BYTES)
    doc = readers.read(data, task.path, fmt)
    if fmt == "docx":
        found = suppression.find_in_paragraphs(doc.paragraphs)
        if found:
            suppressions.append(found)
    elif fmt in suppression.FORMATS and b"verifier:" in data:
        suppressions.append(suppression.find(data.decode("utf-8", "replace").splitlines(), fmt))
    return doc


def _stopped(settings: Settings) -> Diagnostic:
    return Diagnostic(
        "P001",
        f"Reading the document took longer than --document-timeout ({settings.document_timeout:g} s) and was "
        "stopped: nothing of it is in this report.",
        Location(1),
        suggestion="Check the document for a structure that is costly to read, or raise --document-timeout.",
    )


def _stdin_bytes() -> bytes:
    """Standard input, whole (``PATH -``), at most ``MAX_INPUT_BYTES``."""
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read(MAX_INPUT_BYTES + 1) if stream is not None else sys.stdin.read().encode("utf-8")
    if len(data) > MAX_INPUT_BYTES:
        raise InputError("-", f"standard input is larger than {MAX_INPUT_BYTES // 1_000_000} MB")
    return data


def _tasks(paths: Sequence[str | Path], settings: Settings) -> list[Task]:
    """The map step's inputs, each file once however often it is named."""
    tasks: list[Task] = []
    seen: set[Path] = set()
    for path, fmt, stdin in _expand(paths, settings):
        if stdin:
            try:
                tasks.append(Task(str(path), None, fmt, _stdin_bytes()))
            except InputError as exc:
                tasks.append(Task(str(path), None, fmt, error=exc.reason))
            continue
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        tasks.append(Task(str(path), os.path.abspath(path), fmt))
    return tasks


def _with_bytes(task: Task) -> Task:
    """``--send-documents``: the task with the file's bytes, read here."""
    if task.data is not None or task.error is not None or task.file is None or task.fmt is None:
        return task
    try:
        return replace(task, data=inputs.read_bytes(Path(task.file), MAX_INPUT_BYTES))
    except InputError as exc:
        return replace(task, error=exc.reason)


def _size(tasks: Sequence[Task], enough: int) -> int:
    """The bytes of the inputs, counted up to ``enough``."""
    total = 0
    for task in tasks:
        if total >= enough:
            break
        if task.data is not None:
            total += len(task.data)
        elif task.file is not None:
            with contextlib.suppress(OSError):
                total += os.path.getsize(task.file)
    return total


SEND_BATCH = 512
"""Documents whose bytes the parent holds at once with ``--send-documents``."""


class MapResult(NamedTuple):
    """What the map step and the include step give the rest of the run (``map_documents``)."""

    documents: list[Document]
    cited: list[tuple[Citation, ...]]
    """Each document's citations, numbered within it."""
    failures: list[Finding]
    """The P002 findings of the inputs that could not be read."""
    unreadable: list[str]
    grouped: list[Local]
    """What ``sources.resolve`` found within each document."""
    quoted: dict[str, tuple[Quoted, ...]]
    """The quotations of the documents whose paragraphs were left out of the map step's results, by path."""
    unsourced: list[Finding]
    """Their M009 findings."""
    urls: list[tuple[tuple[str, ...], ...]]
    """The URLs of each citation of ``cited``."""
    findings: list[tuple[Finding, ...] | None]
    """Each document's ``Mapped.findings`` (None where the map step did not run the rules on it)."""


def map_documents(tasks: Sequence[Task], settings: Settings, run: parallel.Runner,
                  suppressions: dict[str, tuple[suppression.Suppression, ...]] | None = None,
                  *, extract: bool = True, rules: bool = False, local: bool = True) -> MapResult:
    """The map step and the include step: every input read (an unreadable one is a P002 finding, the rest
    go on), the files the documents name attached (``verifier.inputs``: bibliographies, ``\\input`` parts;
    a part or a ``.bib`` comes after the document that names it), and each document's citations.

    The reading and extracting run on ``run`` (``verifier.parallel``: ``--jobs``, ``--scheduler``); the
    include step runs here, since it joins documents. The map step's results are compact (see
    ``Mapped``) when no input is a LaTeX or Markdown document: then the include step draws on none of them
    (it completes those documents from their parts and bibliographies). With ``rules``, the map step runs
    the per-document rules on the documents it extracts; without ``local``, it leaves their ``Local`` to
    ``sources.resolve``.
    """
    docs: list[Document] = []
    failures: list[Finding] = []
    unreadable: list[str] = []
    done: dict[int, Mapped] = {}  # id(document as read) -> what the map step gave for it
    log.info("reading %d inputs %s", len(tasks), run.where)
    compact = extract and not any(task.fmt in inputs.KEYED_FORMATS for task in tasks)
    step = partial(map_inputs, settings, extract=extract, compact=compact, rules=rules, local=local)
    send = settings.send_documents and settings.scheduler is not None
    batches = [tasks[i:i + SEND_BATCH] for i in range(0, len(tasks), SEND_BATCH)] if send else [tasks]
    for batch in batches:
        items = [_with_bytes(t) for t in batch] if send else batch
        groups = [items[i:i + MAP_BATCH] for i in range(0, len(items), MAP_BATCH)]
        for m in (m for group in run.map(step, groups) for m in group):
            if m.document is None:
                unreadable.append(m.path)
                failures.append(_unreadable(m.path, m.failure or "unknown reason"))
                continue
            docs.append(m.document)
            done[id(m.document)] = m
            if suppressions is not None and m.suppressions:
                suppressions[m.path] = m.suppressions
    docs = inputs.read_project(docs, settings)
    if suppressions is not None:
        _included_suppressions(docs, suppressions, {m.path for m in done.values()})
    if not extract:
        return MapResult(docs, [], failures, unreadable, [], {}, [], [], [])
    todo = [i for i, doc in enumerate(docs) if (got := done.get(id(doc))) is None or got.citations is None]
    extracted = dict(zip(todo, run.map(partial(map_extract, settings, local=local),
                                       [(docs[i], _used(done.get(id(docs[i])))) for i in todo]), strict=True))
    cited: list[tuple[Citation, ...]] = []
    found: list[Local] = []
    quotations: dict[str, tuple[Quoted, ...]] = {}
    unsourced: list[Finding] = []
    urls: list[tuple[tuple[str, ...], ...]] = []
    ruled: list[tuple[Finding, ...] | None] = []
    for i, doc in enumerate(docs):
        got = done.get(id(doc))
        ruled.append(got.findings if got is not None and i not in extracted else None)
        citations, left, grouped, cited_urls = (extracted[i] if i in extracted or got is None
                                                else (got.citations or (), got.left, got.local, got.urls))
        cited.append(citations)
        found.extend(grouped)
        urls.append(cited_urls)
        if i not in extracted and got is not None and got.quoted is not None:
            quotations[doc.path] = got.quoted
            unsourced.extend(got.unsourced)
        if left is not None:
            docs[i] = replace(doc, diagnostics=(*doc.diagnostics,
                                                _parsing_stopped(settings, len(citations) - left, left)))
    return MapResult(docs, cited, failures, unreadable, found, quotations, unsourced, urls, ruled)


def _used(m: Mapped | None) -> float:
    return m.used if m is not None else 0.0


def _unreadable(path: str, reason: str) -> Finding:
    from verifier.rules.catalog import RULES
    rule = RULES["P002"]
    return Finding(rule.code, rule.name, rule.severity, f"Cannot read {path}: {reason}.", path, None,
                   suggestion="Check the path and the file's format; the other inputs were still checked.")


def _included_suppressions(docs: Sequence[Document], suppressions: dict[str, tuple[suppression.Suppression, ...]],
                           read: Collection[str] = ()) -> None:
    """The files documents drew on (a .tex's .bib) have comments too (those of the inputs, ``read``, were
    looked for when the map step read them: their files are not read again)."""
    for doc in docs:
        if doc.path not in suppressions and doc.path not in read and doc.format in suppression.FORMATS \
                and Path(doc.path).is_file():
            with contextlib.suppress(InputError):
                data = inputs.read_bytes(Path(doc.path), MAX_INPUT_BYTES)
                if b"verifier:" in data:
                    suppressions[doc.path] = suppression.find(data.decode("utf-8", "replace").splitlines(),
                                                              doc.format)


def read_documents(paths: Sequence[str | Path], settings: Settings,
                   suppressions: dict[str, tuple[suppression.Suppression, ...]] | None = None,
                   ) -> tuple[list[Document], list[Finding], list[str]]:
    """Every input read and its named files attached (``map_documents`` without the citations)."""
    mapped = map_documents(_tasks(paths, settings), settings, parallel.InProcess(), suppressions, extract=False)
    return mapped.documents, mapped.failures, mapped.unreadable


def number(cited: Sequence[Sequence[Citation]]) -> list[Citation]:
    """The citations of the run, numbered ``c1``… in document order (the same however the map step ran)."""
    out: list[Citation] = []
    for citations in cited:
        n = len(out)
        if n == 0:
            out.extend(citations)  # numbered within the first document as in the run
        else:
            out.extend(_renumbered(c, f"c{n + k}") for k, c in enumerate(citations, 1))
    return out


def _renumbered(c: Citation, cid: str) -> Citation:
    """``replace(c, id=cid)``, without ``replace``'s cost (tests/test_sources.py keeps the field list in step)."""
    return Citation(cid, c.document, c.note, c.location, c.raw, c.kind, c.fields, c.source, c.origin, c.index, c.parsed)


# --------------------------------------------------------------------------- citations

_FUNCTION_WORDS = frozenset(
    "the a an of and or to in on at by for with from is was were are be been has had have which that this "
    "it its as not but their they there these those who whom also than then into over after before".split()
)


def _is_commentary(text: str) -> bool:
    """A discursive note: prose with no bibliographic content (not a citation at all)."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 6:
        return False
    return sum(w in _FUNCTION_WORDS for w in words) / len(words) >= 0.22


class _Ids:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> str:
        self.n += 1
        return f"c{self.n}"


def parse_text(raw: str) -> tuple[Kind, Fields, bool]:
    """``citations.parse``, whose modules load with the first citation that needs them (``citations``)."""
    from verifier.citations import fields

    return fields.parse(raw)


def _citation(
    ids: _Ids, doc: Document, raw: str, note: str | None, location: Location, origin: Origin, index: int = 0,
    bad_urls: Iterable[str] = (),
) -> Citation | None:
    kind, fields, parsed = parse_text(raw)
    if fields.url and (fields.url in bad_urls or damage(fields.url)):
        fields = replace(fields, url=None)
    if not parsed and origin is Origin.NOTE and _is_commentary(raw):
        return None
    return Citation(ids.next(), doc.path, note, location, raw, kind, fields, None, origin, index, parsed)


def extract_citations(doc: Document, ids: _Ids) -> list[Citation]:
    """Every citation of one document: notes in order, then entries, then the body's."""
    out: list[Citation] = []
    _extract(doc, ids, out)  # (no budget here: every citation is parsed)
    return out


def _parsing_stopped(settings: Settings, parsed: int, left: int) -> Diagnostic:
    return Diagnostic(
        "P001",
        f"Parsing the citations of the document took longer than --document-timeout "
        f"({settings.document_timeout:g} s): {parsed} were found before it stopped, {left} notes and entries "
        "are kept as written without their fields, and the body was not searched for more.",
        Location(1),
        suggestion="Check the document for a structure that is costly to parse, or raise --document-timeout.",
    )


def _unparsed(ids: _Ids, doc: Document, raw: str, label: str | None, location: Location, origin: Origin,
              urls: Sequence[str] = ()) -> Citation:
    """A citation kept as written, when the budget left no time to parse it."""
    return Citation(ids.next(), doc.path, label, location, raw, Kind.UNKNOWN,
                    Fields(url=urls[0]) if urls else Fields(), None, origin)


def _segments(doc: Document) -> list[list[str]]:
    """Each note's segments (``split_sources``): found once, for the labeller and for ``_extract``."""
    return [split_sources(note.text) for note in doc.notes]


def _labelled_texts(doc: Document, segments: Sequence[Sequence[str]] | None = None) -> list[str]:
    """The segments of the document's notes (``segments``, if found already) and its unparsed entries: what
    ``_extract`` has the labeller label."""
    texts = [segment for note in (segments if segments is not None else _segments(doc)) for segment in note]
    texts += [e.text for e in doc.entries if e.fields is None]
    return texts


def _prime_texts(texts: Sequence[str]) -> None:
    """Label ``texts`` in batches, 256 at a time, before ``_extract`` parses them one by one (the labeller
    is several times faster in batches, and ``parse`` then finds their labels cached); a document's
    budget is asked between batches."""
    if not texts:
        return
    from verifier.citations import prime

    for k in range(0, len(texts), 256):
        if k and budget.expired():
            return
        prime(list(texts[k : k + 256]))


def _extract(doc: Document, ids: _Ids, out: list[Citation], *, primed: bool = False,
             segments: Sequence[Sequence[str]] | None = None) -> int | None:
    """``extract_citations`` into ``out``; when the document's budget runs out on the way, the notes and
    entries left are added unparsed (their number is returned), and the body is not searched. ``primed``:
    the labeller has labelled the document's notes already (``map_inputs``); ``segments``: each note's
    (``_segments``), if found already."""
    if segments is None:
        segments = _segments(doc)
    if not primed:
        _prime_texts(_labelled_texts(doc, segments))
    for n, note in enumerate(doc.notes):
        if budget.expired():
            left = len(out)
            out.extend(_unparsed(ids, doc, later.text, later.label, later.location, Origin.NOTE, later.urls)
                       for later in doc.notes[n:] if later.text.strip())
            out.extend(_unparsed(ids, doc, e.text, e.key, e.location, Origin.ENTRY) for e in doc.entries)
            return len(out) - left
        index = 0
        for segment in segments[n]:
            c = _citation(ids, doc, segment, note.label, note.location, Origin.NOTE, index, note.damaged_urls)
            if c is not None:
                out.append(c)
                index += 1
    for n, entry in enumerate(doc.entries):
        if budget.expired():
            out.extend(_unparsed(ids, doc, e.text, e.key, e.location, Origin.ENTRY) for e in doc.entries[n:])
            return len(doc.entries) - n
        if entry.path is not None and entry.path in doc.includes:
            continue  # an entry of an included file (a .tex's .bib): that file's document cites it
        # An entry of a file no reader reads on its own (a Markdown document's CSL-JSON/YAML bibliography)
        # is cited here, at its own file and line, so findings about it point into that file.
        where = entry.path or doc.path
        if entry.fields is not None:
            c = Citation(ids.next(), where, entry.key, entry.location, entry.text, entry.kind or Kind.UNKNOWN,
                         entry.fields, None, Origin.ENTRY)
        else:
            c = _citation(ids, doc, entry.text, entry.key, entry.location, Origin.ENTRY)
            c = replace(c, document=where) if c is not None else None
        if c is not None:
            out.append(c)
    for key in doc.unresolved_keys:  # no bibliography answers them: each key is a citation of its own
        out.append(Citation(ids.next(), key.path or doc.path, key.key, key.location, key.key, Kind.UNKNOWN, Fields(),
                            None, Origin.KEY))
    for para in doc.paragraphs:
        if budget.expired():
            return 0
        for start, _end, raw in find_inline(para.text):
            c = _citation(ids, doc, raw, None, para.location_at(start), Origin.INLINE)
            if c is not None:
                out.append(c)
        for start, end, url, damaged in body_urls(para.text, para.lines):
            if damaged:  # (a reader diagnostic says so: F004, ``readers.read``)
                continue
            out.append(
                Citation(ids.next(), doc.path, None, para.location_at(start), para.text[start:end], Kind.WEB,
                         Fields(url=url), None, Origin.URL)
            )
    for link in doc.links:
        out.append(Citation(ids.next(), doc.path, None, link.location, link.url, Kind.WEB, Fields(url=link.url),
                            None, Origin.URL))
    return None


def citation_urls(c: Citation) -> list[str]:
    """The sound URLs a citation cites (its raw text may hold more than its ``url`` field)."""
    if c.origin is Origin.URL and c.fields.url:
        return [c.fields.url]  # a bare URL or hyperlink: found, and found sound, by extract_citations
    urls = [u for _, _, u in find_urls(c.raw) if not damage(u)] if "/" in c.raw or "www." in c.raw else []
    if c.fields.url and c.fields.url not in urls:
        urls.append(c.fields.url)
    return urls


def collect_links(urls_of: dict[str, list[str]], citations: Sequence[Citation]) -> list[tuple[str, tuple[str, ...]]]:
    """Each URL once, in first-citation order, with the ids of the citations that cite it."""
    by_url: dict[str, list[str]] = {}
    for c in citations:
        for url in urls_of[c.id]:
            by_url.setdefault(url, []).append(c.id)
    return [(url, tuple(ids)) for url, ids in by_url.items()]


def network_stage(
    urls: Sequence[tuple[str, tuple[str, ...]]],
    sources: tuple[Source, ...],
    citations: Sequence[Citation],
    settings: Settings,
    *,
    links: bool = True,
    titled: Collection[str] = (),
    dates: dict[str, tuple[str | None, str | None]] | None = None,
    progress: Progress | None = None,
    registry_progress: Progress | None = None,
    texts: Any = None,
    submit: Any = None,
    remote: Any = None,
) -> tuple[list[LinkResult], dict[str, Lookup], tuple[Source, ...]]:
    """The network stage (``net.run``): each URL once, its archives, and with ``--registry`` each scholarly
    source, all in one event loop. Offline every URL is ``skipped``; ``links=False`` skips the URLs but
    still asks the registries.

    ``titled`` names the URLs cited with a title: their pages are read so the live title can be compared
    with the cited one (L006). ``dates`` (see ``url_dates``) tells the archive look-up which capture to
    choose. ``texts`` (a ``net.texts.Texts``) says which pages' texts to read (quotations, L006); it
    holds what was read afterwards. ``submit`` (a ``net.savepagenow.Submitter``, ``verifier archive``) is
    handed the live URLs no archive holds, for Save Page Now. Returns the link results, what the registries
    said per source id, and the sources with the DOIs a registry search found (``Source.doi_source`` names
    the registry).
    """
    from verifier.rules import registry_match
    checking = links and not settings.offline and bool(urls)
    queries = registry_match.queries(sources, citations) if settings.registry and not settings.offline else []
    if not checking and not queries:
        return [LinkResult(url, LinkStatus.SKIPPED, ids, error="offline") for url, ids in urls], {}, sources
    from verifier import net  # imported here: --offline runs never load the HTTP stack

    run = net.run(urls if checking else [], settings, queries=queries, want_title=titled, dates=dates,
                  progress=progress, registry_progress=registry_progress, judge=registry_match.judge,
                  texts=texts if checking else None, submit=submit if checking else None, remote=remote)
    results = run.links.results if checking else [
        LinkResult(url, LinkStatus.SKIPPED, ids, error="offline") for url, ids in urls]
    for warning in run.links.warnings:
        log.warning("%s", warning)
    if run.registries is None:
        return results, {}, sources
    for warning in run.registries.warnings:
        log.warning("%s", warning)
    lookups = run.registries.lookups
    return results, lookups, registry_match.with_found_dois(sources, lookups)


def url_dates(citations: Sequence[Citation], urls_of: dict[str, list[str]]) -> dict[str, tuple[str | None, str | None]]:
    """Each URL's ``(access date, publication date)``: the earliest of each among the citations citing it.

    The archived capture nearest the access date is the page as the author saw
    it; when a URL is cited with several access dates, the earliest is the first
    time anyone cited it as seen. A precise date wins over a vaguer one (a day
    over a month over a year): ``2016-03-05`` says more than ``2016``.
    """
    out: dict[str, tuple[str | None, str | None]] = {}
    for c in citations:
        for url in urls_of[c.id]:
            accessed, published = out.get(url, (None, None))
            out[url] = (_earlier(accessed, c.fields.accessed), _earlier(published, c.fields.date))
    return out


def _earlier(known: str | None, other: str | None) -> str | None:
    """The more precise of two ISO dates, else the earlier (ISO dates of one precision sort as strings)."""
    if not other or not known:
        return known or other
    return min(known, other, key=lambda d: (-d.count("-"), d))


def titled_urls(citations: Sequence[Citation], urls_of: dict[str, list[str]]) -> set[str]:
    """URLs cited by a citation that also gives a title."""
    return {u for c in citations if c.fields.title for u in urls_of[c.id]}


def text_plan(found: Sequence[Pair], citations: Sequence[Citation], urls_of: dict[str, list[str]],
              settings: Settings) -> Any:
    """What the network stage is to read of which pages (a ``net.texts.Texts``): the live page and, when it
    lacks a quotation or cannot be read, the capture, of every URL a quotation is paired with; and of a URL
    whose live title differs from the cited one, the capture's titles (L006 forgives a page retitled since).
    None when there is nothing of any page to read: no quoted URL, and no titled one whose capture may be asked
    (then the stage need not ask, URL by URL, whether a page's text is wanted; nor load the text module)."""
    from verifier.quotes import judge as quotes
    quoted = {u for p in found for u in p.urls}
    cited: dict[str, set[str]] = {}
    for c in citations if not settings.no_archive else ():
        if c.fields.title:
            for u in urls_of[c.id]:
                cited.setdefault(u, set()).add(c.fields.title)
    if not quoted and not cited:
        return None
    from verifier.net.texts import Texts
    from verifier.rules.links import titles_differ

    capture_for_quotes = quotes.capture_wanted(found)

    def differs(url: str, titles: Sequence[str]) -> bool:
        return any(all(titles_differ(t, live) for live in titles) for t in cited.get(url, ()))

    def retitled(url: str, title: str | None) -> bool:
        return title is not None and differs(url, [title])

    def want_capture(url: str, live: Any, title: str | None) -> bool:
        if url in quoted and capture_for_quotes(url, live):
            return True
        return retitled(url, title) and (live is None or differs(url, live.titles))

    return Texts(quoted, retitled, want_capture)


def known_titles(texts: dict[str, SourceTexts]) -> dict[str, tuple[str, ...]]:
    """Every title read per URL (the live page's, the capture's), for L006."""
    return {url: (t.live.titles if t.live else ()) + (t.capture.titles if t.capture else ())
            for url, t in texts.items()}


# --------------------------------------------------------------------------- findings


def per_file_ignores(settings: Settings) -> list[tuple[str, set[str]]]:
    """``per-file-ignores`` with each entry's codes and prefixes expanded; ``UsageError`` naming a bad one."""
    if not settings.per_file_ignores:
        return []
    from verifier.rules import RULES, select_rules

    out = []
    for glob, codes in settings.per_file_ignores:
        try:
            out.append((glob, select_rules(["ALL"], codes)))
        except UsageError as exc:
            raise UsageError(f"per-file-ignores '{glob}': {exc}") from None
    return [(glob, set(RULES) - kept) for glob, kept in out]


def _path_matches(path: str, glob: str) -> bool:
    """Glob against a document path (``*`` crosses folders, ``**/`` may match none); a glob without
    a slash also matches the file name alone."""
    path = posixpath.normpath(path.replace("\\", "/"))
    glob = glob.replace("\\", "/").removeprefix("./")
    candidates = [glob] + ([glob[3:]] if glob.startswith("**/") else [])
    names = [path] if "/" in glob else [path, posixpath.basename(path)]
    return any(fnmatch.fnmatchcase(n, g) for n in names for g in candidates)


def _select(findings: Iterable[Finding], settings: Settings, citations: Sequence[Citation] = (),
            suppressions: dict[str, tuple[suppression.Suppression, ...]] | None = None) -> list[Finding]:
    from verifier.rules import select_rules
    wanted = select_rules(settings.select, settings.ignore)
    ignores = per_file_ignores(settings)
    out: list[Finding] = []
    seen_p001: set[tuple[str | None, int | None, tuple[str, ...]]] = set()
    for f in findings:
        if f.code not in wanted:
            continue
        if ignores and f.document and any(f.code in codes and _path_matches(f.document, g) for g, codes in ignores):
            continue
        if f.code == "P001":  # a reader's explanation and the parser's failure for the same note
            # (keyed by the note's citations too: a PDF's line is its page, which holds many notes)
            key = (f.document, f.location.line if f.location else None, f.citations or (f.message,))
            if key in seen_p001:
                continue
            seen_p001.add(key)
        out.append(f)
    if suppressions:  # inline `verifier: ignore[...]` comments (verifier/suppression.py)
        out, unused = suppression.apply(out, suppressions)
        if settings.report_unused_suppressions and "S001" in wanted:
            out += [_unused_suppression(path, s) for path, s in unused]
    if settings.baseline:  # keyed without line numbers: see verifier/baseline.py
        out = baseline.load(settings.baseline).new_findings(out, baseline.raw_texts(citations))
    return sorted(out, key=Finding.sort_key)


def _unused_suppression(path: str, s: suppression.Suppression) -> Finding:
    from verifier.rules.catalog import RULES
    rule = RULES["S001"]
    what = f"code{'s' if len(s.codes) != 1 else ''} {', '.join(s.codes)}" if s.codes else "any code"
    return Finding(rule.code, rule.name, rule.severity, f"'{s.text}' suppresses nothing: no finding of {what} "
                   f"{'in this file' if not s.lines else 'on the line it covers'}.", path, Location(s.line),
                   suggestion="Remove the comment (or correct its codes).")


def applied_rules(settings: Settings) -> tuple[str, ...]:
    """The codes of the rules a ``check`` with ``settings`` runs, in catalog order."""
    from verifier.rules import RULES, select_rules
    wanted = select_rules(settings.select, settings.ignore)
    return tuple(
        code for code, rule in RULES.items()
        if code in wanted and (rule.offline or not settings.offline) and (code[0] != "V" or settings.registry)
    )


def _summaries(
    docs: Sequence[Document], citations: Sequence[Citation], urls_of: dict[str, list[str]]
) -> list[DocumentSummary]:
    # The entries of a bibliography file read with its document (a CSL file) count for that document.
    owner = {e.path: d.path for d in docs for e in d.entries if e.path is not None and e.path not in d.includes}
    cited: dict[str, int] = {}
    urls: dict[str, set[str]] = {}
    for c in citations:
        document = owner.get(c.document, c.document)
        cited[document] = cited.get(document, 0) + 1
        urls.setdefault(document, set()).update(urls_of[c.id])
    return [
        DocumentSummary(
            d.path, d.format, len(d.notes), cited.get(d.path, 0), len(urls.get(d.path, ())),
            entries=sum(e.path is None or e.path not in d.includes for e in d.entries),
        )
        for d in docs
    ]


# --------------------------------------------------------------------------- entry points


@contextmanager
def _bulk_allocation() -> Generator[None, None, None]:
    """Pause CPython's cyclic garbage collector while the pipeline builds its values.

    A run allocates hundreds of thousands of small, acyclic objects (tuples,
    frozen dataclasses); each generation-2 collection rescans all of them, which
    made a 100-document run a quarter slower. Reference counting still frees
    everything; the collector resumes (and catches up) when the run ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def _collecting() -> Generator[None, None, None]:
    """The cyclic garbage collector on, for the network stages (which may run in two threads at once:
    the collector's switch is global, so it is set here, around both, not by each).

    What the run allocated so far (the map step's values, the modules imported with the collector paused) is
    frozen first: it is old and acyclic, and the first collections would otherwise scan all of it while the
    stage imports the network stack (measured: 10-30 ms of CPU for 2,000 links, while the helper processes
    check them, or before the first request in one process). Unfrozen after, to be collected as usual."""
    was_enabled = gc.isenabled()
    gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        if not was_enabled:
            gc.disable()
        gc.unfreeze()


def _run(paths: Sequence[str | Path], settings: Settings, *, rules: bool, progress: Progress | None = None,
         registry_progress: Progress | None = None, links: bool = True, submit: Any = None) -> Report:
    if not paths:
        raise UsageError("no input paths given")
    with _bulk_allocation():
        return _stages(paths, settings, rules=rules, progress=progress, registry_progress=registry_progress,
                       links=links, submit=submit)


def _stages(paths: Sequence[str | Path], settings: Settings, *, rules: bool, progress: Progress | None,
            registry_progress: Progress | None = None, links: bool = True, submit: Any = None) -> Report:
    tasks = _tasks(paths, settings)
    with parallel.runner(settings, len(tasks), _size(tasks, parallel.POOL_MIN_BYTES)) as run:
        return _steps(tasks, run, settings, rules=rules, progress=progress, registry_progress=registry_progress,
                      links=links, submit=submit)


def _steps(tasks: Sequence[Task], run: parallel.Runner, settings: Settings, *, rules: bool,
           progress: Progress | None, registry_progress: Progress | None, links: bool, submit: Any) -> Report:
    """Map (where ``run`` says), include, number, shuffle and check, reduce: see ``docs/scaling.md``."""
    suppressed: dict[str, tuple[suppression.Suppression, ...]] = {}
    # In this process, the map step leaves the per-document rules and the documents' ``Local`` to later, when
    # the links are with the helper processes (below): the same work, done while they check. Elsewhere
    # (``--jobs``, a cluster) it does them where the documents are read.
    here = isinstance(run, parallel.InProcess)
    mapped = map_documents(tasks, settings, run, suppressed, rules=rules and not here, local=not here)
    docs, failures, unreadable = mapped.documents, mapped.failures, mapped.unreadable
    citations = number(mapped.cited)
    urls_of = {c.id: list(cited_urls)  # found in the map step (``citation_urls``), in the citations' order
               for c, cited_urls in zip(citations, (u for per_doc in mapped.urls for u in per_doc), strict=True)}
    results: list[LinkResult] = []
    findings: list[Finding] = list(failures)
    quotations: list[Quotation] = []
    if not rules:
        resolved, sources = resolve(citations, mapped.grouped)
    else:
        reading = links and not settings.offline
        # (``resolve`` sets each citation's source and nothing else: the ids, fields and URLs are the same)
        cited, titled = collect_links(urls_of, citations), titled_urls(citations, urls_of)
        remote = getattr(run, "each", None)
        known = {doc.path: mapped.quoted[doc.path] if doc.path in mapped.quoted else tuple(quoted(doc))
                 for doc in docs}
        # The links go to the command's helper processes (``net.checkers``, if it started them; a cluster checks
        # its own), to start while this process loads the network stack and plans the rest of the stage: at
        # once when no quotation can want a page read here, else once the quotations' sources are known.
        at_once = reading and remote is None and (settings.no_quotations or not any(known.values()))
        handed = at_once and _hand_over(cited, settings, titled)
        resolved, sources = resolve(citations, mapped.grouped)
        found = pairs(docs, resolved, urls_of, known)
        if reading and remote is None and not at_once and not any(p.urls for p in found):
            handed = _hand_over(cited, settings, titled)
        from verifier.quotes import judge as quotes  # (after the hand-over: see the module's imports)
        from verifier.rules import RULES, RuleContext, run_rules, select_rules

        if handed and settings.format == "json":
            # While they check, the command's JSON report encodes the citations and sources it will print.
            from verifier.report.json import encode_ahead

            encode_ahead((*resolved, *sources))
        codes = select_rules(settings.select, settings.ignore)
        # The rules over sources that need nothing of the network stage (``Rule.offline``) run before it — while
        # the helper processes check the links — unless the registries may still add DOIs to the sources.
        first = {code for code in codes if RULES[code].offline} if not settings.registry else set()
        early = run_rules(RuleContext(documents=tuple(docs), citations=resolved, sources=sources,
                                      today=settings.today), first, per_document=False)
        found_here, left = _mapped_findings(docs, mapped.cited, resolved, mapped.findings)
        if left:  # the documents the map step did not run the per-document rules on (they need no network)
            starts = list(accumulate((len(c) for c in mapped.cited), initial=0))
            per_doc = RuleContext(documents=tuple(docs[i] for i in left), sources=sources, today=settings.today,
                                  citations=tuple(c for i in left for c in resolved[starts[i]:starts[i + 1]]))
            found_here += run_rules(per_doc, {c for c in codes if RULES[c].per_document})
        texts = text_plan(found if not settings.no_quotations else [], resolved, urls_of, settings) if reading \
            else None
        with _collecting() if not settings.offline else nullcontext():  # network code makes cycles (futures…)
            results, lookups, sources = network_stage(
                cited, sources, resolved, settings, links=links, titled=titled, dates=url_dates(resolved, urls_of),
                progress=progress, registry_progress=registry_progress, texts=texts, submit=submit, remote=remote)
        read: dict[str, SourceTexts] = dict(texts.results) if texts is not None else {}
        why_not = ("offline" if settings.offline else "--no-quotations" if settings.no_quotations
                   else None if links else "links not checked")
        quotations = quotes.judge(found, read, why_not)
        ctx = RuleContext(documents=tuple(docs), citations=resolved, sources=sources, links=tuple(results),
                          today=settings.today, registry=lookups, quotations=tuple(quotations),
                          titles=known_titles(read))
        findings.extend(sorted(found_here + early + run_rules(ctx, codes - first, per_document=False),
                               key=Finding.sort_key))
        if "M009" in codes:  # of the documents whose paragraphs the map step left out (it found these)
            findings.extend(mapped.unsourced)
    return Report(
        version=__version__,
        documents=tuple(_summaries(docs, resolved, urls_of)),
        citations=resolved,
        sources=sources,
        links=tuple(results),
        findings=tuple(_select(findings, settings, resolved, suppressed)),
        unreadable=tuple(unreadable),
        rules=applied_rules(settings) if rules else (),
        quotations=tuple(quotations),
    )


def _hand_over(cited: Sequence[tuple[str, tuple[str, ...]]], settings: Settings, titled: Collection[str]) -> bool:
    """Start the helper processes on the run's links (``net.checkers.begin``); whether they took them."""
    from verifier.net import checkers

    checkers.begin([url for url, _ids in cited], settings, titled)
    return checkers.installed() is not None


def _mapped_findings(docs: Sequence[Document], cited: Sequence[Sequence[Citation]], resolved: Sequence[Citation],
                     findings: Sequence[tuple[Finding, ...] | None]) -> tuple[list[Finding], list[int]]:
    """The per-document findings the map step found, their citations renumbered as ``number`` numbered the
    citations (``c3`` of the third document → the run's id), and the documents whose per-document rules are
    still to run here: those the map step did not run them on, and those sharing a file with another
    document (a bibliography two documents drew on: the rules see every citation of a file at once)."""
    owners: dict[str, int] = {}
    for i, doc in enumerate(docs):
        for path in {doc.path, *(c.document for c in cited[i])}:
            owners[path] = owners.get(path, 0) + 1
    out: list[Finding] = []
    left: list[int] = []
    start = 0
    for i, doc in enumerate(docs):
        got, mine = findings[i], cited[i]
        if got is None or owners[doc.path] > 1 or any(owners[c.document] > 1 for c in mine
                                                      if c.document != doc.path):
            left.append(i)
        elif start == 0:
            out.extend(got)  # the first document's ids are the run's
        else:
            ids = {c.id: r.id for c, r in zip(mine, resolved[start:start + len(mine)], strict=True)}
            out.extend(f if not f.citations else _with_citations(f, tuple(ids[c] for c in f.citations))
                       for f in got)
        start += len(mine)
    return out, left


def _with_citations(f: Finding, citations: tuple[str, ...]) -> Finding:
    return Finding(f.code, f.rule, f.severity, f.message, f.document, f.location, citations, f.url, f.suggestion)


def check(
    paths: Sequence[str | Path], settings: Settings | None = None, *, progress: Progress | None = None,
    registry_progress: Progress | None = None, links: bool = True, submit: Any = None, **overrides: Any,
) -> Report:
    """Read, parse and judge every citation of ``paths``; check links unless offline.

    ``progress(done, total)`` is called as URLs are checked, ``registry_progress(done, total)`` as cited
    works are looked up in the registries (the CLI draws its bars with them; the second may be called
    from another thread). ``links=False`` leaves the URLs unchecked (``skipped``) while the registries
    are still asked (``export --registry`` without ``--check-links``). ``submit`` (a
    ``net.savepagenow.Submitter``) submits each live URL no archive holds to Save Page Now during the check.
    """
    settings = (settings or Settings()).with_overrides(overrides)
    return _run(paths, settings, rules=True, progress=progress, registry_progress=registry_progress, links=links,
                submit=submit)


def parse(paths: Sequence[str | Path], settings: Settings | None = None) -> Report:
    """Citations and sources of ``paths``, without rules or network (only P002 findings)."""
    return _run(paths, settings or Settings(), rules=False)


def parse_lines(lines: Iterable[str]) -> list[dict[str, Any]]:
    """``verifier parse --lines``: each non-empty line is one citation."""
    from verifier.citations import prime

    texts = [t for t in (line.strip() for line in lines) if t]
    prime(texts)  # the labeller labels the lot in batches, several times faster than one by one
    out = []
    for text in texts:
        kind, fields, _parsed = parse_text(text)
        item: dict[str, Any] = {"raw": text, "kind": kind.value, "fields": fields.to_json()}
        if fields.confidence:
            item["confidence"] = dict(fields.confidence)
        out.append(item)
    return out
