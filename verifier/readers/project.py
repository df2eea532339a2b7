"""A document with the files it names: the second pass of reading.

Readers are pure (``read(data, path)``): a LaTeX or Markdown reader only *names* the files a document
draws on, in ``Document.requests`` — the bibliographies (``\\bibliography{refs}``, ``bibliography:``) and
the parts (``\\input{chapters/one}``). The pipeline loads each named file once, inside the project root
(``verifier.inputs``), reads it with its own reader, and hands the result to :func:`complete`, which
attaches it here:

* a bibliography's entries answer the document's keys (each entry keeps its own file and line); a ``.bib``
  is also a document of its own, checked once;
* a part is a document of its own (its notes, links and quotations are reported at its own lines), and
  its keys are checked against the main file's bibliography (a key keeps its own file and line); the files
  a part names are resolved as the main file's, as LaTeX does;
* a file that cannot be read is a P002 where it is named, and the keys are then not checked against it.

:func:`settle` then decides about keys no bibliography answers: each becomes a citation of its own
(``Document.unresolved_keys``) and one M004 says that no bibliography was given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from verifier import readers
from verifier.model import Diagnostic, Document, Include

Loaded = tuple[str, Document] | str
"""What loading a named file gave: its path and the document read from it, or why it could not be read
(a phrase for a message: "it does not exist", "it is outside the project root")."""
Load = Callable[[Document, Include], Loaded]
"""Loads the file ``Include`` names for the document that names it (``verifier.inputs``)."""

MAX_PARTS = 2000
"""Most parts one document may pull in (a book has tens; a loop of ``\\input`` is stopped by the seen set)."""


@dataclass
class Completed:
    """:func:`complete`'s answer: the document with its files attached, and the documents read on the way."""

    document: Document
    parts: list[Document] = field(default_factory=list)
    """Part documents (their keys moved to ``document``), in the order they are named."""
    bibliographies: list[Document] = field(default_factory=list)
    """Bibliography documents checked on their own (``.bib``), each once."""
    unchecked: bool = False
    """A named bibliography could not be read: the keys cannot be checked (they might be in it)."""


def complete(root: Document, load: Load, *, seen: set[str] | None = None) -> Completed:
    """``root`` with the files it (and its parts, recursively) names attached; see the module docstring."""
    seen = seen if seen is not None else set()
    seen.add(root.path)
    entries = list(root.entries)
    includes = list(root.includes)
    keys = list(root.keys)
    diagnostics = list(root.diagnostics)
    bibliography = root.bibliography
    out = Completed(root)
    parts: dict[str, Document] = {}
    pending: list[tuple[str, Include]] = [(root.path, r) for r in root.requests]
    while pending:
        owner_path, request = pending.pop(0)
        owner = root if owner_path == root.path else parts[owner_path]
        got = load(owner, request)
        if isinstance(got, str):
            problem = _unreadable(request, got)
            if owner_path == root.path:
                diagnostics.append(problem)
            else:
                parts[owner_path] = replace(owner, diagnostics=(*owner.diagnostics, problem))
            out.unchecked = out.unchecked or request.role == "bibliography"
            continue
        path, doc = got
        if path in seen:
            continue  # each file once, however often it is named (and no loop of \input)
        seen.add(path)
        if request.role == "bibliography":
            bibliography = True
            if readers.format_for(Path(path)) == doc.format:  # a .bib, not a .json or .biblatex
                includes.append(path)  # checked as a document of its own, which cites its entries
                out.bibliographies.append(doc)
            entries.extend(replace(e, path=path) for e in doc.entries)
            continue
        if len(parts) >= MAX_PARTS:
            diagnostics.append(_unreadable(request, f"the document pulls in more than {MAX_PARTS} parts"))
            continue
        keys.extend(replace(k, path=k.path or path) for k in doc.keys)
        entries.extend(replace(e, path=e.path or path) for e in doc.entries)  # a part's thebibliography
        bibliography = bibliography or doc.bibliography
        parts[path] = replace(doc, keys=(), entries=(), requests=(), bibliography=False)
        # a part's own parts and bibliographies are resolved as the main file's (LaTeX reads them from there)
        pending.extend((path, r) for r in doc.requests)
    out.document = replace(root, entries=tuple(entries), includes=tuple(includes), keys=tuple(keys),
                           diagnostics=tuple(diagnostics), requests=(), bibliography=bibliography)
    out.parts = list(parts.values())
    return out


def answer_keys(doc: Document, found: Completed) -> Document:
    """``doc`` with its keys answered by a bibliography it does not name (``--bibliography``, one found beside
    it), attached by :func:`complete` as ``found.document``.

    A ``.bib`` found so is shared by many documents (a book's chapters): it answers their keys, each unknown
    key stays an M004, but its entries are not this document's (``Document.found_bibliographies``), so no
    chapter reports the entries it does not cite (M005).
    """
    if found.unchecked:  # its P002 stays; the keys are settled as unanswered
        return replace(found.document, entries=doc.entries, includes=doc.includes, bibliography=False)
    found_paths = tuple(dict.fromkeys(e.path for e in found.document.entries[len(doc.entries):] if e.path))
    return replace(found.document, found_bibliographies=found_paths)


def settle(doc: Document, unchecked: bool) -> Document:
    """Keys that no bibliography can answer become citations of their own (``unresolved_keys``), and one M004
    says that no bibliography was given; when a named one could not be read, its P002 has said so already."""
    keys = [k for k in doc.keys if k.key != "*"]
    if not keys or (doc.bibliography and not unchecked):
        return doc
    diagnostics = doc.diagnostics
    if not doc.bibliography:
        first = keys[0]
        shown = ", ".join(dict.fromkeys(k.key for k in keys[:6]))
        diagnostics = (*diagnostics, Diagnostic(
            "M004",
            f"The document cites {len(keys)} time{'s' if len(keys) != 1 else ''} by key ({shown}"
            f"{', …' if len(keys) > 6 else ''}) but no bibliography was given: no key can be checked. Each key "
            "is reported as a citation of its own.",
            first.location,
            suggestion="Name the bibliography (bibliography: refs.bib in the front matter, \\bibliography{refs}) "
            "or give one with --bibliography FILE.",
        ))
    return replace(doc, keys=(), unresolved_keys=tuple(keys), diagnostics=diagnostics)


def _unreadable(request: Include, reason: str) -> Diagnostic:
    what = "bibliography file" if request.role == "bibliography" else "part"
    consequence = "; the citation keys were not checked against it" if request.role == "bibliography" else (
        "; its notes, links and citation keys were not read")
    return Diagnostic(
        "P002",
        f"The {what} {request.name} named here cannot be read ({reason}){consequence}.",
        request.location,
        suggestion=f"Correct the name, or put {request.name} inside the project (see --root).",
    )
