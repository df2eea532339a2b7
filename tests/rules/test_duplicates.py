"""D001 duplicate-entry and D002 repeated-full-citation."""

from __future__ import annotations

import pytest

from verifier.model import Citation, Kind, Origin
from verifier.rules.duplicates import short_form

from .factories import cite, findings, ibid

OLIMOV = {
    "authors": ("Mouzaffar Olimov",),
    "title": "The policy of Russia in Central Asia : A perspective from Tajikistan",
    "container": "Foreign Affairs",
    "date": "1997-09",
}
JOSHI = {
    "authors": ("Nirmala Joshi",),
    "title": "Russia and Central Asia : The Strategic Dimensions",
    "container": "Strategic Analysis",
    "date": "1995-12",
}
RASHID = {
    "authors": ("Ahmed Rashid",),
    "title": "The Resurgence of Central Asia : Islam or Nationalism?",
    "publisher": "Oxford University Press",
    "date": "1994",
}


# --------------------------------------------------------------------------- D001


@pytest.fixture
def d001() -> list[Citation]:
    return [
        cite("olimov1997", origin=Origin.ENTRY, line=1, **OLIMOV),  # type: ignore[arg-type]
        cite("rashid1994", Kind.BOOK, origin=Origin.ENTRY, line=2, **RASHID),  # type: ignore[arg-type]
        cite(
            "olimov1997b",
            origin=Origin.ENTRY,
            line=3,  # type: ignore[arg-type]
            **{**OLIMOV, "title": "The Policy of Russia in Central Asia: A Perspective from Tajikistan"},
        ),
    ]


def test_d001_duplicate_entry(d001: list[Citation]) -> None:
    (finding,) = findings(*d001, code="D001")
    assert finding.location is not None and finding.location.line == 3
    assert finding.citations == (d001[0].id, d001[2].id)
    assert "entry “olimov1997b” repeats entry “olimov1997”" in finding.message.replace("Entry", "entry")


def test_d001_only_within_one_document(d001: list[Citation]) -> None:
    other = cite("olimov", origin=Origin.ENTRY, doc="other.bib", **OLIMOV)  # type: ignore[arg-type]
    assert len(findings(*d001, other, code="D001")) == 1


def test_d001_notes_are_not_entries() -> None:
    assert not findings(cite("1", **OLIMOV), cite("2", **OLIMOV), code="D001")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- D002


def test_d002_repeated_full_citation_points_at_the_first() -> None:
    cits = [
        cite("3", pages="1281", **JOSHI),  # type: ignore[arg-type]
        cite("4", authors=("Mutahir Ahmed",), title="Turmoil in Tajikistan", container="Eurasian Studies", date="1995"),
        cite("5", pages="1277", **JOSHI),  # type: ignore[arg-type]
        cite("12", pages="1276", **JOSHI),  # type: ignore[arg-type]
    ]
    found = findings(*cits, code="D002")
    assert [f.location.line for f in found if f.location] == [105, 112]
    assert all(f.citations[0] == cits[0].id for f in found)
    assert "first cited in full in note 3" in found[0].message
    assert found[0].suggestion == "Use a short form instead, such as Joshi, “Russia and Central Asia”, 1277."


@pytest.mark.parametrize(
    ("citations", "expected"),
    [
        pytest.param(
            [
                cite("1", **JOSHI),
                ibid("2"),
                cite(
                    "3",
                    kind=Kind.SHORT,
                    authors=("Joshi",),  # type: ignore[arg-type]
                    title="Russia and Central Asia",
                ),
            ],
            0,
            id="ibid-and-short-forms-are-fine",
        ),
        pytest.param([cite("1", **JOSHI), cite("1", index=1, **JOSHI)], 0, id="same-note"),  # type: ignore[arg-type]
        pytest.param(
            [cite("a", origin=Origin.ENTRY, **JOSHI), cite("1", **JOSHI)],
            0,  # type: ignore[arg-type]
            id="entry-then-note",
        ),
        pytest.param(
            [cite("1", **JOSHI), cite("2", **JOSHI), cite("3", **JOSHI)],
            2,  # type: ignore[arg-type]
            id="one-per-repeat",
        ),
    ],
)
def test_d002_counts(citations: list[Citation], expected: int) -> None:
    assert len(findings(*citations, code="D002")) == expected


def test_d002_suggests_ibid_right_after_the_same_source() -> None:
    found = findings(cite("1", **JOSHI), cite("2", pages="12", **JOSHI), code="D002")  # type: ignore[arg-type]
    assert found[0].suggestion == "Write “Ibid., 12” instead: note 1 just before cites the same source."


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param(
            {
                "authors": ("Nirmala Joshi",),
                "title": "Russia and Central Asia : The Strategic Dimensions",
                "pages": "1277",
            },
            "Joshi, “Russia and Central Asia”, 1277",
            id="subtitle-dropped",
        ),
        pytest.param(
            {"authors": ("John Heathershaw", "Edmund Herzig"), "title": "Sources: Statehood"},
            "Heathershaw and Herzig, “Sources”",
            id="two-authors",
        ),
        pytest.param(
            {"authors": ("A. One", "B. Two", "C. Three"), "title": "A very long title that goes on and on without end"},
            "One et al., “A very long title that…”",
            id="three-authors-long-title",
        ),
    ],
)
def test_short_form(fields: dict[str, object], expected: str) -> None:
    assert short_form(cite("1", **fields).fields) == expected  # type: ignore[arg-type]
