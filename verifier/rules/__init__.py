"""The rules: pure functions from a ``RuleContext`` to findings, one module per family.

    notes        M001–M008   markers, notes, keys, entries, Ibid., short forms, missing fields
    quotations   M009, Q001–Q002   direct quotations with no source near them; not in their cited web page
    duplicates   D001–D002   the same source written out twice
    consistency  I001–I006, I008   one source written differently
    style        I007        one kind of field written in different styles
    identifiers  F001–F004   DOIs, ISBNs, dates and URLs that cannot be right
    links        L001–L008   what the link check found (dead, unverifiable, blocked, moved, soft 404, drift, no network)
    archives     A001–A002   what the web archives hold (a capture of a dead URL; none of a live one)
    registry     V001–V003   what Crossref and OpenAlex said about the cited works (with --registry)
    parse        P001        unparsed notes, and every reader diagnostic
    suppressions S001        inline `verifier: ignore` comments that suppress nothing

Each rule is a function declared in its family's module with ``@rule(code, name,
severity)`` (``catalog.rule``); importing this package imports every family and
so fills ``catalog.RULES``. ``select_rules`` expands ``--select``/``--ignore``
codes and prefixes against it; ``run_rules`` runs only the rules selected.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Sequence

from verifier.config import did_you_mean
from verifier.errors import UsageError
from verifier.model import Citation, Document, Finding
from verifier.rules import (
    archives,
    consistency,
    duplicates,
    identifiers,
    links,
    notes,
    parse,
    quotations,
    registry,
    style,
    suppressions,
)
from verifier.rules.catalog import RULES, Rule
from verifier.rules.common import RuleContext

__all__ = ["RULES", "Rule", "RuleContext", "document_rules", "run_rules", "select_rules"]

FAMILIES = (notes, quotations, duplicates, consistency, style, identifiers, links, archives, registry, parse,
            suppressions)
"""The rule modules, one per family; importing them is what registers their rules."""

def run_rules(ctx: RuleContext, codes: Collection[str] | None = None, *, per_document: bool = True) -> list[Finding]:
    """The findings of the rules in ``codes`` (all when ``None``), and every reader diagnostic, sorted by
    document, line, column and code. Diagnostics carry codes of their own; the caller's selection keeps
    the ones asked for. ``per_document=False`` leaves out the diagnostics and the per-document rules (the
    map step found them: ``document_rules``)."""
    findings = list(parse.reader_diagnostics(ctx)) if per_document else []
    for code, rule in RULES.items():
        if rule.check is not None and (codes is None or code in codes) and (per_document or not rule.per_document):
            findings.extend(rule.check(ctx))
    return sorted(findings, key=Finding.sort_key)


def document_rules(doc: Document, citations: Sequence[Citation], codes: Collection[str],
                   today: datetime.date | None) -> list[Finding]:
    """The reader diagnostics and the per-document rules (``Rule.per_document``) in ``codes`` of one document
    and its citations, unsorted: in the order ``run_rules`` meets them (diagnostics first, then rule by rule,
    each in the document's order), so that joined with the other documents' and sorted (a stable sort) they
    are what ``run_rules`` gives for the whole run. Not among them: M005, M006 and M007, which look at the
    citations' sources (set when they are joined across documents), and every rule over sources, links or
    registries."""
    ctx = RuleContext(documents=(doc,), citations=tuple(citations), sources=(), today=today)
    findings = list(parse.reader_diagnostics(ctx))
    for code, rule in RULES.items():
        if rule.check is not None and rule.per_document and code in codes:
            findings.extend(rule.check(ctx))
    return findings


def _codes(values: Iterable[str]) -> list[str]:
    return [part.strip().upper() for value in values for part in value.split(",") if part.strip()]


def _expand(code: str) -> set[str]:
    if code == "ALL":
        return set(RULES)
    matched = {c for c in RULES if c.startswith(code)}
    if not matched:
        by_name = next((c for c, r in RULES.items() if r.name == code.lower()), None)
        hint = f" (did you mean '{by_name}'?)" if by_name else did_you_mean(code, list(RULES))
        raise UsageError(f"unknown rule code or prefix '{code}'{hint or ' (see `verifier rules`)'}")
    return matched


def select_rules(codes_select: Iterable[str] = (), codes_ignore: Iterable[str] = ()) -> set[str]:
    """The rule codes a run reports: ``codes_select`` (codes or prefixes; empty = all) minus ``codes_ignore``.

    >>> sorted(select_rules(["M00"], ["M009"]))[:2], "I001" in select_rules([], ["I"])
    (['M001', 'M002'], False)

    Raises ``UsageError`` for a code or prefix that matches no rule.
    """
    selected = _codes(codes_select)
    chosen = set().union(*map(_expand, selected)) if selected else set(RULES)
    ignored = _codes(codes_ignore)
    return chosen - (set().union(*map(_expand, ignored)) if ignored else set())
