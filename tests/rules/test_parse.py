"""P001 and reader diagnostics."""

from __future__ import annotations

from verifier.model import Diagnostic, Document, Kind, Location, Origin
from verifier.rules import run_rules

from .factories import DOC, cite, context


def test_p001_once_per_note() -> None:
    a = cite("7", Kind.UNKNOWN, raw="garbled part one", parsed=False)
    b = cite("7", Kind.UNKNOWN, raw="garbled part two", parsed=False, index=1)
    c = cite("8", Kind.UNKNOWN, raw="another", parsed=False)
    found = [f for f in run_rules(context(a, b, c, documents=[Document(DOC, "text")])) if f.code == "P001"]
    assert [f.citations for f in found] == [(a.id, b.id), (c.id,)]
    assert found[0].message == "Note 7 could not be parsed into fields: “garbled part one”."
    assert found[0].severity.value == "info"


def test_reader_diagnostics_become_findings() -> None:
    diags = (
        Diagnostic(
            "P001",
            "note 30's label and first lines were lost in extraction; its surviving tail was attached to note 30",
            Location(840),
            note="30",
        ),
        Diagnostic(
            "F004",
            "the URL in note 18 is damaged (replacement characters)",
            Location(590),
            url="http://x.org/\ufffd",
            note="18",
            suggestion="Copy it again.",
        ),
        Diagnostic("X999", "something new", Location(1)),
    )
    tail = cite("30", Kind.UNKNOWN, raw="tail", parsed=False)
    found = run_rules(context(tail, documents=[Document(DOC, "text", diagnostics=diags)]))
    assert [(f.code, f.rule, f.severity.value) for f in found] == [
        ("X999", "reader-diagnostic", "warning"),
        ("F004", "invalid-url", "error"),
        ("P001", "unparsed-citation", "info"),
    ]
    p001 = found[2]
    assert p001.message.startswith("note 30's label") and p001.citations == (tail.id,)
    assert found[1].url == "http://x.org/\ufffd" and found[1].suggestion == "Copy it again."


def test_p001_not_for_inline_attributions() -> None:
    inline = cite(None, Kind.UNKNOWN, raw="Russian agencies, April 17-19", parsed=False, origin=Origin.INLINE)
    assert not [f for f in run_rules(context(inline)) if f.code == "P001"]
