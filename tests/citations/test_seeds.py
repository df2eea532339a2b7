"""The parser on the real seed material in ../shared/seeds (skipped when it is absent).

002's reference list holds 73 endnotes in messy quoting (``*Europe-Asia Studies*",``,
``"Central Asian Republics" *Quest for Security since Independence*",``); every one
must parse into sensible fields.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.citations import parse, split_sources
from verifier.model import Kind

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")


def _references_002() -> list[str]:
    text = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    tail = text[text.index("\nREFERENCE") + len("\nREFERENCE") :]
    return [line.strip().removeprefix("- ").strip() for line in tail.splitlines() if line.strip()]


def test_002_has_73_references() -> None:
    assert len(_references_002()) == 73


def test_002_every_reference_parses_into_sensible_fields() -> None:
    kinds: dict[Kind, int] = {}
    for ref in _references_002():
        segments = split_sources(ref)
        assert len(segments) == 1, ref
        kind, fields, parsed = parse(segments[0])
        assert parsed, ref
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind is Kind.IBID:
            assert set(fields.to_json()) <= {"pages"}, ref
            continue
        assert kind is not Kind.UNKNOWN, ref
        assert fields.title or fields.container, ref
        if fields.title:
            assert not any(c in fields.title for c in '*"“”'), (ref, fields.title)
        if fields.container:
            assert not any(c in fields.container for c in '*"“”'), (ref, fields.container)
        if '"' in ref or "“" in ref:
            assert fields.title, ref
        if kind is Kind.ARTICLE:
            assert fields.container and (fields.volume or fields.date), ref
        if kind is Kind.CHAPTER:
            assert fields.title and fields.container and fields.editors, ref
        if kind is Kind.BOOK:
            assert fields.title and fields.date, ref
    assert kinds[Kind.IBID] == 19
    assert kinds[Kind.ARTICLE] >= 30
    assert kinds[Kind.CHAPTER] >= 7


@pytest.mark.parametrize(
    ("needle", "field", "value"),
    [
        pytest.param("Why did Nationalism Fail in Tajikistan\", *Europe-Asia Studies*\"", "container",
                     "Europe-Asia Studies", id="stray-quote-after-italics"),
        pytest.param("\"Central Asian Republics\" *Quest for Security since Independence*\", *Contemporary Central Asia*,"
                     " vol. IV, No. 3, 2000, p. 32", "title",
                     "Central Asian Republics Quest for Security since Independence", id="title-split-by-quotes"),
        pytest.param("Ibid*, p. 213-14", "pages", "213-14", id="ibid-pages"),
        pytest.param("Bernett R. Rubin", "publisher", "Columbia University Press", id="publisher-month-date"),
        pytest.param("Maqsuldul Hassan Nuri", "volume", "XIV", id="roman-volume-after-date"),
        pytest.param("Cited in Vera Kuznetsova", "container", "Nezavisimaya Gazeta", id="cited-in-lead-in"),
    ],
)
def test_002_details(needle: str, field: str, value: str) -> None:
    ref = next(r for r in _references_002() if needle in r)
    _, fields, _ = parse(ref)
    assert getattr(fields, field) == value
