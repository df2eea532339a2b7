"""Build model values for rule tests by hand: citations with the fields a good parser would produce."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from verifier.model import Citation, Document, Fields, Kind, Location, Origin, Person
from verifier.rules import RuleContext, run_rules
from verifier.sources import resolve

DOC = "doc.txt"


def person(name: str) -> Person:
    """``"Given Family"``, ``"Family, Given"`` or ``"=Literal Name"``."""
    if name.startswith("="):
        return Person(literal=name[1:])
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return Person(family=family, given=given or None)
    *given, family = name.split()
    return Person(family=family, given=" ".join(given) or None)


def cite(
    note: str | None,
    kind: Kind = Kind.ARTICLE,
    *,
    raw: str = "",
    authors: Iterable[str] = (),
    doc: str = DOC,
    line: int | None = None,
    origin: Origin = Origin.NOTE,
    index: int = 0,
    parsed: bool = True,
    id: str | None = None,
    **fields: str,
) -> Citation:
    """A citation in note ``note`` (located at line 100 + note number unless ``line`` is given)."""
    if line is None:
        line = 100 + int(note) if note and note.isdigit() else 1
    return Citation(
        id=id or f"c{note}-{index}",
        document=doc,
        note=note,
        location=Location(line, 1),
        raw=raw or fields.get("title", "") or kind.value,
        kind=kind,
        fields=Fields(authors=tuple(person(a) for a in authors), **fields),
        origin=origin,
        index=index,
        parsed=parsed,
    )


def ibid(note: str, raw: str = "Ibid.", **kw: object) -> Citation:
    return cite(note, Kind.IBID, raw=raw, **kw)  # type: ignore[arg-type]


def context(
    *citations: Citation,
    documents: Iterable[Document] = (),
    today: datetime.date | None = None,
) -> RuleContext:
    """Resolve ``citations`` and wrap them, with ``documents``, in a rule context."""
    resolved, sources = resolve(citations)
    return RuleContext(documents=tuple(documents), citations=resolved, sources=sources, today=today)


def findings(*citations: Citation, code: str | None = None, **kw: object):  # type: ignore[no-untyped-def]
    """run_rules over the resolved citations, optionally only one code's findings."""
    out = run_rules(context(*citations, **kw))  # type: ignore[arg-type]
    return [f for f in out if code is None or f.code == code]
