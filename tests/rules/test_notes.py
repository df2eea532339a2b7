"""M001–M008: markers, notes, keys, entries, Ibid., short forms, missing fields."""

from __future__ import annotations

import pytest

from verifier.model import Diagnostic, Document, Entry, KeyCite, Kind, Location, Marker, Note, Origin
from verifier.rules import notes
from verifier.rules.common import RuleContext

from .factories import DOC, cite, context, findings, ibid


def doc(markers: str = "", notes_: str = "", **kw: object) -> Document:
    """A document with markers and notes given as space-separated labels."""
    return Document(
        DOC,
        "text",
        markers=tuple(Marker(label, Location(10 + i, 5)) for i, label in enumerate(markers.split())),
        notes=tuple(Note(label, f"Note {label}.", Location(200 + i)) for i, label in enumerate(notes_.split())),
        **kw,  # type: ignore[arg-type]
    )


def run(document: Document, *citations: object) -> list[str]:
    ctx = context(*citations, documents=[document])  # type: ignore[arg-type]
    return [f"{f.code}:{f.message}" for f in notes.check(ctx)]


# ---------------------------------------------------------------------------- M001


@pytest.fixture
def m001() -> Document:
    return doc("1 2 3", "1 3")


def test_m001_marker_without_note(m001: Document) -> None:
    (finding,) = [f for f in notes.check(context(documents=[m001])) if f.code == "M001"]
    assert finding.location == Location(11, 5)
    assert finding.severity.value == "error" and finding.rule == "marker-without-note"
    assert "marker 2" in finding.message


def test_m001_silent_when_a_reader_diagnostic_explains_the_note() -> None:
    d = doc("1 2 3", "1 3", diagnostics=(Diagnostic("P001", "note 2's label was lost", note="2"),))
    assert not [m for m in run(d) if m.startswith("M001")]


# ---------------------------------------------------------------------------- M002


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        pytest.param(doc("1 3", "1 2 3"), 1, id="note-2-unreferenced"),
        pytest.param(doc("", "1 2 3"), 0, id="no-markers-at-all"),
        pytest.param(doc("1 2 2 3", "1 2 3"), 0, id="all-referenced"),
    ],
)
def test_m002_note_without_marker(document: Document, expected: int) -> None:
    assert len([m for m in run(document) if m.startswith("M002")]) == expected


# ---------------------------------------------------------------------------- M003


@pytest.mark.parametrize(
    ("document", "problems"),
    [
        pytest.param(doc("1 2 3 5", "1 2 3 5"), ["jumps from 3 to 5 (4 missing)"], id="note-skip"),
        pytest.param(doc("", "1 2 2 3"), ["number 2 is used twice"], id="note-repeat"),
        pytest.param(doc("", "1 3 2"), ["jumps from 1 to 3", "2 comes after 3"], id="note-out-of-order"),
        pytest.param(doc("1 3 2", "1 2 3"), ["Note marker 2 is out of order"], id="marker-out-of-order"),
        pytest.param(doc("1 2 2 3", "1 2 3"), [], id="marker-repeat-is-fine"),
        pytest.param(doc("", "a b *"), [], id="non-numeric-labels"),
        pytest.param(doc("", "4 5 6"), [], id="numbering-may-start-late"),
        pytest.param(
            doc("", "1 2 4", diagnostics=(Diagnostic("P001", "note 3 lost", note="3"),)), [], id="explained-gap"
        ),
    ],
)
def test_m003_note_numbering(document: Document, problems: list[str]) -> None:
    found = [m for m in run(document) if m.startswith("M003")]
    assert len(found) == len(problems)
    for message, problem in zip(found, problems, strict=True):
        assert problem in message


# ----------------------------------------------------------------------- M004 M005


@pytest.fixture
def m004() -> Document:
    return Document(
        "paper.tex",
        "latex",
        keys=(
            KeyCite("smith2004", Location(3, 10)),
            KeyCite("Jones-1999", Location(4, 2)),
            KeyCite("ghost", Location(5, 7)),
        ),
        entries=(
            Entry("smith2004", "Smith…", Location(1)),
            Entry("jones1999", "Jones…", Location(2)),
            Entry("unused", "Unused…", Location(9)),
        ),
    )


def test_m004_undefined_key(m004: Document) -> None:
    found = [f for f in notes.check(context(documents=[m004])) if f.code == "M004"]
    assert [f.location for f in found] == [Location(5, 7)]
    assert "“ghost”" in found[0].message


def test_m005_unused_entry(m004: Document) -> None:
    found = [f for f in notes.check(context(documents=[m004])) if f.code == "M005"]
    assert [f.location for f in found] == [Location(9)]


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(
            Document("refs.txt", "text", entries=(Entry("Smith 2004", "…", Location(1)),)),
            id="text-bibliography-without-key-cites",
        ),
        pytest.param(
            Document("x.tex", "latex", keys=(KeyCite("*", Location(1)),), entries=(Entry("a", "…", Location(2)),)),
            id="nocite-star",
        ),
    ],
)
def test_m005_silent(document: Document) -> None:
    assert not [f for f in notes.check(context(documents=[document])) if f.code == "M005"]


def test_m005_entry_cited_through_a_note_counts_as_used() -> None:
    document = Document(
        DOC,
        "text",
        keys=(KeyCite("a", Location(1)),),
        entries=(Entry("a", "…", Location(2)), Entry("b", "…", Location(3))),
    )
    full = {
        "authors": ("Mouzaffar Olimov",),
        "title": "The Policy of Russia in Central Asia",
        "container": "Foreign Affairs",
        "date": "1997",
    }
    entry = cite("b", origin=Origin.ENTRY, **full)  # type: ignore[arg-type]
    note = cite("1", **full)  # type: ignore[arg-type]
    assert not [f for f in notes.check(context(entry, note, documents=[document])) if f.code == "M005"]


# ----------------------------------------------------------------------- M006 M007


def test_m006_dangling_ibid() -> None:
    found = findings(ibid("1"), cite("2", title="Alpha Work", authors=("A. Author",)), code="M006")
    assert len(found) == 1 and "Note 1" in found[0].message


def test_m006_silent_for_resolved_ibid() -> None:
    assert not findings(cite("1", title="Alpha Work", authors=("A. Author",)), ibid("2"), code="M006")


def test_m007_short_form_without_full() -> None:
    short = cite("13", Kind.SHORT, authors=("Heathershaw", "Herzig"), title="The Sources of Statehood", pages="11")
    other = cite("2", authors=("Steven Parham",), title="Rightful versus Real Homelands", container="X", date="2010")
    (finding,) = findings(other, short, code="M007")
    assert "Note 13" in finding.message and "“The Sources of Statehood”" in finding.message


def test_m007_silent_when_the_full_citation_exists() -> None:
    full = cite(
        "2",
        authors=("John Heathershaw", "Edmund Herzig"),
        title="Introduction: The Sources of Statehood in Tajikistan",
        container="Central Asian Survey",
        date="2011",
    )
    short = cite("13", Kind.SHORT, authors=("Heathershaw", "Herzig"), title="The Sources of Statehood")
    assert not findings(full, short, code="M007")


def test_m007_an_authors_short_form_finds_the_full_citation_by_the_name() -> None:
    """"Lindqvist, 302.": a short form of an author's one work, with no title."""
    full = cite("1", authors=("Per Lindqvist",), title="The Northern Roads", publisher="Norsk Forlag", date="1990")
    short = cite("2", Kind.SHORT, authors=("Lindqvist",), pages="302")
    stray = cite("3", Kind.SHORT, authors=("Haraldsen",), pages="45")
    (finding,) = findings(full, short, stray, code="M007")
    assert "Note 3" in finding.message


def test_m007_full_citation_must_be_in_the_same_document() -> None:
    full = cite("2", authors=("A. Author",), title="Alpha Work of Note", doc="other.txt")
    short = cite("3", Kind.SHORT, authors=("Author",), title="Alpha Work")
    assert len(findings(full, short, code="M007")) == 1


# --------------------------------------------------------------------------- M008


@pytest.mark.parametrize(
    ("citation", "missing"),
    [
        pytest.param(cite("1", kind=Kind.WEB, title="Page"), "a URL", id="web-without-url"),
        pytest.param(cite("1", title="Art", container="J"), "a date", id="article-without-date"),
        pytest.param(cite("1", title="Art"), "the journal name and a date", id="article-without-container-and-date"),
        pytest.param(
            cite("1", kind=Kind.BOOK, title="Book", place="New Delhi"),
            "a publisher or a date",
            id="book-without-publisher-or-date",
        ),
    ],
)
def test_m008_missing_field(citation: object, missing: str) -> None:
    (finding,) = findings(citation, code="M008")  # type: ignore[arg-type]
    assert finding.message.endswith(f"without {missing}.")


@pytest.mark.parametrize(
    "citation",
    [
        pytest.param(cite("1", kind=Kind.BOOK, title="Book", date="1994"), id="book-with-date"),
        pytest.param(cite("1", kind=Kind.NEWS, container="Izvestia"), id="news-needs-nothing"),
        pytest.param(cite("1", kind=Kind.DOCUMENT, title="Decree"), id="document-needs-nothing"),
        pytest.param(cite("1", kind=Kind.UNKNOWN, title="?"), id="unknown-needs-nothing"),
        pytest.param(cite("1", kind=Kind.SHORT, title="Short"), id="short-needs-nothing"),
        pytest.param(cite("1", title="Art", parsed=False), id="unparsed-is-P001s"),
        pytest.param(cite(None, origin=Origin.INLINE, container="the Courier"), id="inline-attribution"),
        pytest.param(
            cite("1", kind=Kind.WEB, title="Log", raw="Log, 1887, https://archive.example/logs/keeper- 1887, 12."),
            id="web-with-an-unusable-url-is-F004s",
        ),
    ],
)
def test_m008_silent(citation: object) -> None:
    assert not findings(citation, code="M008")  # type: ignore[arg-type]


def test_check_runs_per_document() -> None:
    ctx = RuleContext(
        documents=(doc("1 2", "1"), Document("b.txt", "text", markers=(Marker("9", Location(1)),))),
        citations=(),
        sources=(),
    )
    assert [f.document for f in notes.check(ctx) if f.code == "M001"] == [DOC, "b.txt"]


def test_m007_silent_for_an_unparsed_short_form() -> None:
    assert not findings(cite("3", Kind.SHORT, raw="?? 12", parsed=False), code="M007")
