"""The catalog, rule selection and run_rules' contract."""

from __future__ import annotations

import dataclasses

import pytest

from verifier.errors import UsageError
from verifier.model import Document, Kind, Location, Marker
from verifier.rules import RULES, RuleContext, run_rules, select_rules

from .factories import cite, context, ibid

SPEC_CODES = (
    "M001 M002 M003 M004 M005 M006 M007 M008 M009 D001 D002 I001 I002 I003 I004 I005 I006 I007 I008 "
    "F001 F002 F003 F004 L001 L002 L003 L004 L005 L006 L007 L008 A001 A002 V001 V002 V003 Q001 Q002 P001 P002 S001"
).split()


def test_every_spec_code_is_in_the_catalog() -> None:
    assert list(RULES) == SPEC_CODES


@pytest.mark.parametrize("code", SPEC_CODES)
def test_every_rule_is_documented(code: str) -> None:
    rule = RULES[code]
    for heading in ("## What it does", "## Why it matters", "## Example", "## Fix"):
        assert heading in rule.doc
    assert rule.name == rule.name.lower() and " " not in rule.name


@pytest.mark.parametrize(
    ("select", "ignore", "expected"),
    [
        pytest.param([], [], set(SPEC_CODES), id="empty-select-is-all"),
        pytest.param(["M"], [], {c for c in SPEC_CODES if c.startswith("M")}, id="family-prefix"),
        pytest.param(["M00", "I001"], ["M009"], {f"M00{n}" for n in range(1, 9)} | {"I001"}, id="mixed"),
        pytest.param(["m001, d"], [], {"M001", "D001", "D002"}, id="comma-separated-lower-case"),
        pytest.param([], ["L", "A", "V", "Q"], {c for c in SPEC_CODES if c[0] not in "LAVQ"}, id="ignore-prefixes"),
        pytest.param(["ALL"], ["P002"], set(SPEC_CODES) - {"P002"}, id="all"),
    ],
)
def test_select_rules(select: list[str], ignore: list[str], expected: set[str]) -> None:
    assert select_rules(select, ignore) == expected


@pytest.mark.parametrize(("select", "ignore"), [(["Z"], []), (["M010"], []), ([], ["X1"])])
def test_select_rules_rejects_unknown_codes(select: list[str], ignore: list[str]) -> None:
    with pytest.raises(UsageError, match="unknown rule code or prefix"):
        select_rules(select, ignore)


def test_run_rules_sorts_by_document_line_column_code_with_catalog_names() -> None:
    docs = [
        Document("b.txt", "text", markers=(Marker("1", Location(5, 2)),)),
        Document("a.txt", "text", markers=(Marker("1", Location(9, 1)),)),
    ]
    ctx = context(ibid("1", doc="a.txt", line=3), cite("2", kind=Kind.WEB, title="T", doc="a.txt"), documents=docs)
    found = run_rules(ctx)
    assert [(f.document, f.code) for f in found] == [
        ("a.txt", "M006"),
        ("a.txt", "M001"),
        ("a.txt", "M008"),
        ("b.txt", "M001"),
    ]
    for f in found:
        assert (f.rule, f.severity) == (RULES[f.code].name, RULES[f.code].severity)


def test_rule_context_defaults() -> None:
    ctx = RuleContext(documents=(), citations=(), sources=())
    assert ctx.links == () and ctx.today is None
    assert run_rules(ctx) == []


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    """docs/rules.md is `verifier rules --markdown`: regenerate it when a rule or its docstring changes."""
    from pathlib import Path

    from verifier.rules.catalog import markdown

    written = (Path(__file__).parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    assert written == markdown(), "docs/rules.md is stale: run `verifier rules --markdown > docs/rules.md`"


def test_every_rule_is_declared_by_a_decorated_function_with_its_docstring() -> None:
    for code, rule in RULES.items():
        if code in ("P002", "S001"):  # reported by the pipeline (reading, applying suppressions)
            assert rule.check is None
            continue
        assert rule.check is not None and rule.check.__doc__ is not None
        assert rule.summary in " ".join(rule.check.__doc__.split())


def test_only_the_selected_rules_run() -> None:
    from verifier.rules import catalog

    ran: list[str] = []
    originals = dict(catalog.RULES)
    try:
        for code, rule in originals.items():
            if rule.check is not None:
                def spy(ctx: RuleContext, code: str = code, real=rule.check) -> list:  # type: ignore[no-untyped-def]
                    ran.append(code)
                    return list(real(ctx))
                catalog.RULES[code] = dataclasses.replace(rule, check=spy)
        run_rules(context(ibid("1")), {"M006", "I001"})
    finally:
        catalog.RULES.clear()
        catalog.RULES.update(originals)
    assert ran == ["M006", "I001"]


@pytest.mark.parametrize(("given", "hint"), [("marker-without-note", "M001"), ("M0011", "M001")])
def test_an_unknown_code_suggests_the_nearest(given: str, hint: str) -> None:
    with pytest.raises(UsageError, match=f"did you mean '{hint}'"):
        select_rules([given])
