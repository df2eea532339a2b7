"""The builder every reader makes its Document with, and the note helpers the readers share."""

from dataclasses import dataclass, field

from verifier.model import Document, Entry, KeyCite, Location, Marker
from verifier.readers.builder import LIST_ITEM_RE, DocumentBuilder, Hyphenation, RawNote, make_note


def test_build_freezes_what_the_reader_collected():
    out = DocumentBuilder("doc.txt", "text")
    out.markers.append(Marker("1", Location(1, 5)))
    out.entries.append(Entry("1", "A. Smith, Charts, 2001.", Location(4)))
    out.keys = [KeyCite("1", Location(1, 9))]
    out.bibliography = True
    doc = out.build()
    assert isinstance(doc, Document)
    assert (doc.path, doc.format, doc.bibliography) == ("doc.txt", "text", True)
    assert doc.markers == (Marker("1", Location(1, 5)),) and doc.keys == (KeyCite("1", Location(1, 9)),)
    out.markers.clear()  # the Document does not change with the builder
    assert len(doc.markers) == 1


def test_a_reader_keeps_its_own_state_in_a_subclass():
    @dataclass
    class _State(DocumentBuilder):
        source: str = field(kw_only=True)
        depth: int = 0

    st = _State("a.tex", "latex", source="\\footnote{x}")
    st.depth += 1
    assert st.build().format == "latex" and st.source == "\\footnote{x}"


def test_make_note_joins_lines_and_reports_a_damaged_url():
    diagnostics: list = []
    hyph = Hyphenation("")
    note = make_note(RawNote("3", 12, ["A. Smith, “Rivers,” 2001, https://example.org/riv\ufffders"]), hyph, diagnostics)
    assert note.label == "3" and note.location == Location(12)
    assert note.urls == () and note.damaged_urls
    assert [(d.code, d.note) for d in diagnostics] == [("F004", "3")]
    ok = make_note(RawNote("4", 13, ["B. Jones, Old Chan-", "nels (Oslo, 1999), https://example.org/a."]), hyph, [])
    assert ok.text == "B. Jones, Old Channels (Oslo, 1999), https://example.org/a."
    assert ok.urls == ("https://example.org/a",)


def test_a_note_url_ending_in_a_hyphen_is_cut_off_only_at_a_line_end():
    hyph = Hyphenation("")
    own = make_note(RawNote("5", 14, ["See https://example.org/gfm/#tables-extension- for the rules."]), hyph, [])
    assert own.urls == ("https://example.org/gfm/#tables-extension-",) and not own.damaged_urls
    diagnostics: list = []
    cut = make_note(RawNote("6", 15, ["Roe, “Ports,” 2001, https://example.org/ports-"]), hyph, diagnostics)
    assert cut.urls == () and cut.damaged_urls == ("https://example.org/ports-",)
    assert [(d.code, d.note) for d in diagnostics] == [("F004", "6")]


def test_list_items_are_numbered_with_a_dot_a_parenthesis_or_brackets():
    assert [LIST_ITEM_RE.match(s) is not None for s in ("12. Smith", "[3] Jones", "4) Roe", "2001 was", "A. Smith")] == [
        True, True, True, False, False,
    ]
