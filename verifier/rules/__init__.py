"""The rules: pure functions from a ``RuleContext`` to findings, one module per family.

    notes        M001–M008   markers, notes, keys, entries, Ibid., short forms, missing fields
    quotations   M009        direct quotations with no source near them
    duplicates   D001–D002   the same source written out twice
    consistency  I001–I006, I008   one source written differently
    style        I007        one kind of field written in different styles
    identifiers  F001–F004   DOIs, ISBNs, dates and URLs that cannot be right
    links        L001–L008   what the link check found (dead, unverifiable, blocked, moved, soft 404, drift, no network)
    archives     A001–A002   what the web archives hold (a capture of a dead URL; none of a live one)
    registry     V001–V003   what Crossref and OpenAlex said about the cited works (with --registry)
    parse        P001        unparsed notes, and every reader diagnostic

``catalog.RULES`` holds each rule's code, name, severity and documentation;
``select_rules`` expands ``--select``/``--ignore`` codes and prefixes against it.
Selection is applied by the caller: ``run_rules`` returns every finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from verifier.errors import UsageError
from verifier.model import Finding
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
)
from verifier.rules.catalog import RULES, Rule
from verifier.rules.common import RuleContext

__all__ = ["RULES", "Rule", "RuleContext", "run_rules", "select_rules"]

FAMILIES: tuple[Callable[[RuleContext], Iterator[Finding]], ...] = (
    notes.check,
    quotations.check,
    duplicates.check,
    consistency.check,
    style.check,
    identifiers.check,
    links.check,
    archives.check,
    registry.check,
    parse.check,
)


def run_rules(ctx: RuleContext) -> list[Finding]:
    """Every finding of every rule, sorted by document, line, column and code."""
    findings = [f for family in FAMILIES for f in family(ctx)]
    return sorted(findings, key=Finding.sort_key)


def _codes(values: Iterable[str]) -> list[str]:
    return [part.strip().upper() for value in values for part in value.split(",") if part.strip()]


def _expand(code: str) -> set[str]:
    if code == "ALL":
        return set(RULES)
    matched = {c for c in RULES if c.startswith(code)}
    if not matched:
        raise UsageError(f"unknown rule code or prefix '{code}' (see `verifier rules`)")
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
