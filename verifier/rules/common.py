"""What every rule module needs: the rule context, building findings, and words
that say *where* a citation is ("note 14", "entry “smith2004”", "line 12").
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from verifier.model import Citation, Document, Finding, LinkResult, Location, Origin, Quotation, Source
from verifier.rules.catalog import RULES
from verifier.rules.registry_match import Lookup

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RuleContext:
    """Everything the rules look at: the documents, their resolved citations and sources, checked links.

    ``today`` is the date "now" for date checks (F003); ``None`` skips the "in the future" check.
    """

    documents: tuple[Document, ...]
    citations: tuple[Citation, ...]
    sources: tuple[Source, ...]
    links: tuple[LinkResult, ...] = ()
    today: datetime.date | None = None
    registry: Mapping[str, Lookup] = field(default_factory=dict)
    """What the registries said, per source id (only with ``--registry``; see ``verifier.rules.registry_match``)."""
    quotations: tuple[Quotation, ...] = ()
    """Quotations paired with their cited web sources, and what those held (Q001, Q002)."""
    titles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """More titles known per URL than ``LinkResult.title``: the live page's ``<title>``, ``og:title`` and
    ``<h1>``, and the capture nearest the access date's (L006)."""
    per_document: Mapping[str, Sequence[Citation]] = field(init=False, repr=False, compare=False)
    """``citations`` per document path, each in document order: grouped once, for every rule family."""

    _memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "per_document", by_document(self.citations))

    def shared(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per context: rules of one family that share a pass (every link verdict,
        every field conflict) run it once however many of them are selected."""
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(T, self._memo[key])


def make_finding(
    code: str,
    message: str,
    *,
    document: str | None,
    location: Location | None,
    citations: Iterable[Citation | str] = (),
    url: str | None = None,
    suggestion: str | None = None,
) -> Finding:
    """A finding of rule ``code`` with its catalog name and severity."""
    rule = RULES[code]
    ids = tuple(c if isinstance(c, str) else c.id for c in citations)
    return Finding(code, rule.name, rule.severity, message, document, location, ids, url, suggestion)


def quote(text: str, limit: int = 80) -> str:
    """``text`` in curly quotes, shortened with an ellipsis past ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return f"“{text}”"


def where(citation: Citation) -> str:
    """Where a citation stands, in words: ``note 14``, ``entry “smith2004”``, ``line 12``."""
    if citation.origin is Origin.NOTE and citation.note is not None:
        return f"note {citation.note}"
    if citation.origin is Origin.ENTRY and citation.note is not None:
        return f"entry {quote(citation.note)}"
    return f"line {citation.location.line}"


def join_words(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def where_many(citations: Sequence[Citation], limit: int = 6) -> str:
    """``notes 1, 10 and 14`` (distinct places, in order; at most ``limit`` named)."""
    places: list[str] = []
    for c in citations:
        place = where(c)
        if place not in places:
            places.append(place)
    if all(p.startswith("note ") for p in places) and len(places) > 1:
        labels = [p.removeprefix("note ") for p in places]
        shown = labels[:limit] + ([f"{len(labels) - limit} more"] if len(labels) > limit else [])
        return "notes " + join_words(shown)
    shown = places[:limit] + ([f"{len(places) - limit} more"] if len(places) > limit else [])
    return join_words(shown)


def capital(text: str) -> str:
    """``text`` with its first letter upper-cased (for messages that start with a place)."""
    return text[:1].upper() + text[1:]


def by_document(citations: Iterable[Citation]) -> dict[str, list[Citation]]:
    """Citations per document path, each list in document order."""
    out: dict[str, list[Citation]] = defaultdict(list)
    for c in citations:
        out[c.document].append(c)
    return dict(out)
