"""The plain-text reader: footnotes at page bottoms, endnote lists, markers."""

from pathlib import Path

import pytest

from verifier.errors import InputError
from verifier.readers.text import find_markers, parse_text, read

REFERENCES = Path(__file__).resolve().parents[2] / "references"
SEP = " " * 58


def page_doc(*pages: str) -> str:
    return "\n".join(pages)


def test_footnotes_under_separator_continue_across_pages():
    text = page_doc(
        "Body text about the river.1 More body text",
        "",
        SEP,
        "1 Anna Smith, “A Title on Two",
        "Pages,” Journal 3, no. 2 (2001): 1–9.",
        " continues on the next page.2",
        "",
        " " * 120,
        "the end of note one.",
        "2 Bob Jones, Book (London: Verso, 1990), 4.",
    )
    doc = parse_text(text, "x.txt")
    assert [n.label for n in doc.notes] == ["1", "2"]
    assert doc.notes[0].text.endswith("(2001): 1–9. the end of note one.")
    assert [m.label for m in doc.markers] == ["1", "2"]
    # the body paragraph goes on after the notes area
    assert "More body text continues on the next page." in doc.paragraphs[0].text


def test_link_annotation_lines_are_not_citations():
    text = page_doc(
        "Text.1",
        SEP,
        "1 Agency, March 5, 2015, http://www.example.org/content/a-",
        "long-path/123.html.",
        "",
        "http://www.example.org/content/a-long-path/123.html",
        "http://www.example.org/content/a-long-path/123.html",
        " Next page body.",
    )
    doc = parse_text(text, "x.txt")
    assert len(doc.notes) == 1
    assert doc.notes[0].urls == ("http://www.example.org/content/a-long-path/123.html",)
    assert "Next page body." in doc.paragraphs[-1].text


def test_lost_note_label_is_recovered_with_p001():
    text = page_doc(
        "One.1 Two.2 Three.3",
        SEP,
        "1 First note, 2001.",
        "2 Second note, 2002.",
        " Body goes on.",
        " " * 120,
        "tail of a note whose first lines were lost.",
        "4 Fourth note, 2004.",
    )
    doc = parse_text(text.replace("Three.3", "Three.3 Four.4"), "x.txt")
    labels = [n.label for n in doc.notes]
    assert labels == ["1", "2", "3", "4"]
    assert doc.notes[2].text == "tail of a note whose first lines were lost."
    assert [d.code for d in doc.diagnostics] == ["P001"]
    assert "Note 3" in doc.diagnostics[0].message


def test_page_number_is_not_a_note():
    text = page_doc("Body.1", SEP, "1 A note, 1999.", "", "", "137", "", "attack went on.")
    doc = parse_text(text, "x.txt")
    assert [n.label for n in doc.notes] == ["1"]
    assert doc.notes[0].text == "A note, 1999."
    assert doc.paragraphs[-1].text == "attack went on."


def test_damaged_url_is_a_diagnostic_not_a_url():
    text = page_doc("Body.1", SEP, "1 Gazeta, 2010, http://www.novgaz.com/index.php/", "", "2-news/529-\ufffd\ufffd.")
    doc = parse_text(text, "x.txt")
    assert doc.notes[0].urls == ()
    assert [d.code for d in doc.diagnostics] == ["F004"]


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        pytest.param("the Pamir party (Lal’i Badakhshan).1 The core", ["1"], id="after-parenthesis"),
        pytest.param("a “common border.”7 Tajikistan", ["7"], id="after-closing-quote"),
        pytest.param("to Uzbekistan.2 The peace", ["2"], id="after-period"),
        pytest.param("population of 7.5 million).4 Even", ["4"], id="decimal-is-not-a-marker"),
        pytest.param("ideology¹. Russia", ["1"], id="superscript"),
        pytest.param("trump card”.¹⁰ Uzbekistan", ["10"], id="two-digit-superscript"),
        pytest.param("an area of 20 km² only", [], id="unit-superscript"),
        pytest.param("as shown [3-5] and [7]", ["3", "4", "5", "7"], id="brackets"),
        pytest.param("in 1,220 to 1,290m", [], id="thousands"),
    ],
)
def test_find_markers(text, labels):
    assert [label for _, label in find_markers(text, 20, 0)] == labels


def test_marker_after_a_year_only_when_it_is_the_next_label():
    assert [label for _, label in find_markers("electrified by 1914.10 The logs", 20, 9)] == ["10"]
    assert find_markers("electrified by 1914.10 The logs", 20, 3) == []


def test_endnote_list_matched_by_order_with_bullets_and_paragraphs():
    text = "Body¹ and² and³.\n\nREFERENCE\n\n- Smith, Title, 1999.\n- Ibid.*\n\nJones, Other, 2001.\n"
    doc = parse_text(text, "x.txt")
    assert [(n.label, n.text) for n in doc.notes] == [("1", "Smith, Title, 1999."), ("2", "Ibid.*"), ("3", "Jones, Other, 2001.")]
    assert doc.notes_are_endnotes
    assert doc.notes[2].location.line == 8


def test_numbered_notes_section():
    text = "Text [1] and [2].\n\nNotes\n1. First, 1999.\n2. Second,\n   continued, 2000.\n"
    doc = parse_text(text, "x.txt")
    assert [(n.label, n.text) for n in doc.notes] == [("1", "First, 1999."), ("2", "Second, continued, 2000.")]
    assert [m.label for m in doc.markers] == ["1", "2"]


def test_bibliography_without_markers_gives_entries():
    text = "A study (Smith 1999) shows it.\n\nBibliography\n\nSmith, J. 1999. A Book. London: Verso.\n\nLee, K. 2001. Another.\n"
    doc = parse_text(text, "x.txt")
    assert doc.notes == ()
    assert [e.text for e in doc.entries] == ["Smith, J. 1999. A Book. London: Verso.", "Lee, K. 2001. Another."]


def test_marker_location_is_line_and_column():
    doc = parse_text("Title\n\nFirst line\nsecond line.1 more\n\nNotes\n1. A, 1999.", "x.txt")
    assert doc.markers[0].location.line == 4
    assert doc.markers[0].location.column == 13


def test_bundled_chapter_sample():
    doc = read((REFERENCES / "chapter-pdf-extract.txt").read_bytes(), "chapter.txt")
    assert [n.label for n in doc.notes] == [str(i) for i in range(1, 12)]
    assert "12" in {m.label for m in doc.markers}  # a marker with no note: the sample's M001
    assert "11" not in {m.label for m in doc.markers}  # a note with no marker: its M002
    assert doc.notes[5].urls == ("https://www.example-maritime-archive.se/circulars/1875-1890/index.php?view=full",)
    assert "ISBN 978-91-7-000001-2" in doc.notes[6].text
    assert doc.notes[8].urls == ("https://www.example-nordic-tech-review.org/articles/keepers-and-machines",)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("the organiza-\ntion of it", "the organization of it", id="typesetter-hyphen-goes"),
        pytest.param("a co-\noperation treaty; cooperation again", "a cooperation treaty", id="word-written-whole-elsewhere"),
        pytest.param("a thirty-\npercent quota", "a thirty-percent quota", id="number-prefix-keeps"),
        pytest.param("power-\nsharing works; power-sharing again", "power-sharing works", id="compound-written-elsewhere"),
        pytest.param("Gorno-\nBadakhshan", "Gorno-Badakhshan", id="capital-after-hyphen-keeps"),
    ],
)
def test_line_end_hyphenation(body, expected):
    doc = parse_text(body, "x.txt")
    assert doc.paragraphs[0].text.startswith(expected)


def test_known_page_starts_end_a_notes_area_with_its_page():
    # the PDF reader knows where pages start: the next page's body need not start with a space
    lines = [
        "Body of page one.1 It goes",
        SEP,
        "1 Anna Smith, Book (London: Verso, 2001), 3.",
        "on to page two.2",  # page 2 starts here: body, not a continuation of note 1
        SEP,
        "2 Bob Jones, Other Book (Paris: Seuil, 1999), 4.",
    ]
    doc = parse_text("\n".join(lines), "x.pdf", "pdf", page_starts=[0, 3])
    assert [n.text for n in doc.notes] == [
        "Anna Smith, Book (London: Verso, 2001), 3.",
        "Bob Jones, Other Book (Paris: Seuil, 1999), 4.",
    ]
    assert "It goes on to page two." in doc.paragraphs[0].text
    # without the page starts the same text reads as one long note 1
    assert "on to page two" in parse_text("\n".join(lines), "x.txt").notes[0].text


@pytest.mark.parametrize(
    "opening",
    ["Élise Moreau, Le livre (Paris: Seuil, 2003), 45.", "Ørsted, H. C., Værker (1920).", "“Quoted title,” 2003.",
     "«Titre», Le Monde, 2003.", "[Anon.], Report (Geneva, 2011).", "Σωκράτης, Λόγοι (Athens, 1990)."],
    ids=["accented-capital", "o-slash", "curly-quote", "guillemet", "bracket", "greek"],
)
def test_a_note_list_survives_any_note_opening(opening):
    text = ("First.1 Second.2 Third.3\n\nNotes\n\n1 John Smith, The Book (London: Verso, 2001), 12.\n"
            f"2 {opening}\n3 Jane Roe, Another Book (Oxford, 1999), 3.\n")
    doc = read(text.encode(), "notes.txt")
    assert [n.label for n in doc.notes] == ["1", "2", "3"]
    assert doc.notes[1].text == opening
    assert doc.notes[2].text.startswith("Jane Roe")


def test_a_note_after_a_gap_opening_with_a_non_ascii_capital_is_kept():
    text = "First.1 Second.3\n\nNotes\n\n1 John Smith, The Book (2001), 12.\n3 Élise Moreau, Le livre (2003), 45.\n"
    doc = read(text.encode(), "notes.txt")
    assert [n.label for n in doc.notes] == ["1", "3"]


def test_a_number_out_of_the_run_is_kept_and_reported():
    text = ("First.1 Second.2\n\nNotes\n\n1 John Smith, The Book (2001), 12.\n2 Jane Roe, A Book (1999).\n"
            "9 Élise Moreau, Le livre (2003), 45.\n")
    doc = read(text.encode(), "notes.txt")
    assert [n.label for n in doc.notes] == ["1", "2"]
    assert "Élise Moreau" in doc.notes[1].text  # nothing lost
    assert [(d.code, d.location.line) for d in doc.diagnostics] == [("P001", 7)]


def test_an_appendix_after_the_references_is_body_not_entries():
    text = ("A claim (Smith 2001).\n\nReferences\n\nSmith, John. The Book. London, 2001.\n\nRoe, Anna. A Paper. 1999.\n\n"
            "Appendix A: Proofs\n\nWe prove it here, after https://example.org/proof and more.\n\nA.1 Lemma\n\nMore.\n")
    doc = read(text.encode(), "paper.txt")
    assert [e.text for e in doc.entries] == ["Smith, John. The Book. London, 2001.", "Roe, Anna. A Paper. 1999."]
    assert doc.notes == ()
    appendix = [p for p in doc.paragraphs if "We prove it here" in p.text]
    assert appendix and appendix[0].lines[0][1] == 11  # located at its own line


UTF16_NOTES = "A claim.1\n\nNotes\n\n1. Anna Smith, “A Study of Rivers,” Journal of Water 3, no. 2 (2001): 1–9.\n"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("name", ["notes.txt", "notes.md", "page.html"])
def test_utf16_without_a_byte_order_mark_is_read_and_said(codec: str, name: str) -> None:
    from verifier import readers

    text = UTF16_NOTES if name != "page.html" else f"<html><body><p>{UTF16_NOTES}</p></body></html>"
    doc = readers.read(text.encode(codec), name, readers.format_for(Path(name)) or "text")
    first = doc.diagnostics[0]
    assert "UTF-16 text without a byte-order mark" in first.message
    assert ("little-endian" if codec.endswith("le") else "big-endian") in first.message
    if name == "notes.txt":
        assert [n.label for n in doc.notes] == ["1"]


def test_binary_data_with_zero_bytes_is_still_binary() -> None:
    from verifier import readers

    with pytest.raises(InputError, match="binary"):
        readers.read(bytes(range(256)) * 20, "x.txt", "text")
    with pytest.raises(InputError, match="binary"):
        readers.read(b"\x00\x01" * 3000, "x.txt", "text")  # zeros on one side, but no text


def test_prose_after_the_endnotes_is_body_not_the_last_note():
    text = ("A claim.1 Another.2\n\nNotes\n\n1. John Smith, The Book (London, 2001), 12.\n"
            "2. Anna Roe, A Paper (Oxford, 1999), 3.\n\nCall for papers\n\n"
            "We invite submissions on the history of harbours and their people.\n\n"
            "Proposals should be short and sent to the editors by the spring.\n\n"
            "Accepted authors will be asked for a full draft in the autumn.\n")
    doc = read(text.encode(), "cfp.txt")
    assert [n.label for n in doc.notes] == ["1", "2"]
    assert doc.notes[1].text == "Anna Roe, A Paper (Oxford, 1999), 3."
    assert any("We invite submissions" in p.text for p in doc.paragraphs)  # nothing lost


def test_a_second_paragraph_of_the_last_note_stays_in_it():
    text = ("A claim.1 Another.2\n\nNotes\n\n1. John Smith, The Book (London, 2001), 12.\n"
            "2. Anna Roe, A Paper (Oxford, 1999), 3.\n\nSee also her later book (2004), 17.\n")
    doc = read(text.encode(), "n.txt")
    assert "later book" in doc.notes[1].text


def test_page_footnotes_and_a_numbered_reference_list_keep_their_own_numbers():
    # footnotes 1–2 under the rule, then a reference list [1]–[3] cited by [n]: two numberings, nothing merged
    text = page_doc(
        "Rivers move their beds slowly.¹ The charts agree [1], and so do the",
        "later surveys [2]. The keepers said the same.²",
        "",
        SEP,
        "¹ The survey of 1901 is lost; see C. Berg, High Water, 2015.",
        "² D. Holm, Keepers' Logs (Bergen: Fjord, 1999), 12.",
        "",
        "References",
        "",
        "[1] A. Smith, The River Charts, London: Verso, 2001.",
        "[2] B. Jones, Old Channels, Journal of Rivers 3 (1999): 11-19.",
        "[3] E. Nygaard, Deltas, Oslo: Sound Press, 2010.",
    )
    doc = parse_text(text, "x.txt")
    assert [(n.label, n.text) for n in doc.notes] == [
        ("1", "The survey of 1901 is lost; see C. Berg, High Water, 2015."),
        ("2", "D. Holm, Keepers' Logs (Bergen: Fjord, 1999), 12."),
    ]
    assert [(e.key, e.text, e.location.line) for e in doc.entries] == [
        ("1", "A. Smith, The River Charts, London: Verso, 2001.", 10),
        ("2", "B. Jones, Old Channels, Journal of Rivers 3 (1999): 11-19.", 11),
        ("3", "E. Nygaard, Deltas, Oslo: Sound Press, 2010.", 12),
    ]
    assert [m.label for m in doc.markers] == ["1", "2"]  # the superscripts; [1] and [2] cite entries
    assert [(k.key, k.location.line) for k in doc.keys] == [("1", 1), ("2", 2)]
    assert doc.bibliography and not doc.notes_are_endnotes


def test_a_reference_list_above_a_page_footnote_does_not_swallow_it():
    text = page_doc(
        "The charts agree [1], as the surveys show.¹",
        "",
        "References",
        "[1] A. Smith, The River Charts, London: Verso, 2001.",
        "[2] B. Jones, Old Channels, Journal of Rivers 3 (1999): 11-19.",
        SEP,
        "¹ The survey of 1901 is lost; see C. Berg, High Water, 2015.",
    )
    doc = parse_text(text, "x.txt", page_starts=[0])
    assert [(n.label, n.text) for n in doc.notes] == [("1", "The survey of 1901 is lost; see C. Berg, High Water, 2015.")]
    assert [e.text for e in doc.entries] == [
        "A. Smith, The River Charts, London: Verso, 2001.", "B. Jones, Old Channels, Journal of Rivers 3 (1999): 11-19.",
    ]


def test_endnotes_cited_by_brackets_stay_notes_when_there_are_no_page_footnotes():
    text = "The charts agree [1] and the surveys too [2].\n\nReferences\n\n[1] A. Smith, Charts, 2001.\n[2] B. Jones, Channels, 1999.\n"
    doc = parse_text(text, "x.txt")
    assert [n.label for n in doc.notes] == ["1", "2"] and not doc.entries and not doc.keys


def test_a_reference_list_in_alpha_style_is_entries_cited_by_their_labels():
    text = ("As the manual says [Knu89, p. 12], and the companion too [GMS94].\n\nBibliography\n\n"
            "[GMS94] Michel Goossens, Frank Mittelbach, and Alexander Samarin. The LaTeX\n"
            "Companion. Addison-Wesley, 1994.\n"
            "[Knu89] Donald E. Knuth. The TeXbook. Addison-Wesley, 1989.\n"
            "[Lam94a] Leslie Lamport. LaTeX: A Document Preparation System. 1994.\n\nIndex\n\n"
            "alpha ........ 19\nbeta ........ 21\n")
    doc = parse_text(text, "manual.txt")
    assert [(e.key, e.text) for e in doc.entries] == [
        ("GMS94", "Michel Goossens, Frank Mittelbach, and Alexander Samarin. The LaTeX Companion. Addison-Wesley, 1994."),
        ("Knu89", "Donald E. Knuth. The TeXbook. Addison-Wesley, 1989."),
        ("Lam94a", "Leslie Lamport. LaTeX: A Document Preparation System. 1994."),
    ]
    assert [(k.key, k.location.column) for k in doc.keys] == [("Knu89", 21), ("GMS94", 59)]
    assert not doc.notes and not doc.markers
    assert "alpha ........ 19" in " ".join(p.text for p in doc.paragraphs)  # the index is back matter, not entries


@pytest.mark.parametrize(("text", "labels"), [
    ("As described in section A.10, the keys are generated.", []),  # a section number after a lone letter
    ("Only in the U.S.4 and nowhere else.", ["4"]),  # an abbreviation's last letter still takes a marker
    ("The border was closed.4 Then it opened.", ["4"]),
    ('A year matches "^1[89][0-9][0-9]$" in the rule.', []),  # character classes in a pattern
    ("See 4.2.9 Hashes and 4.2.10 Locales for the rest.", []),  # section numbers that count up
    ("Figure 5.5 shows the delta.", []),
    ("The war began in 1914.1 The border closed.", ["1"]),  # a year ends the sentence, then its marker
    ("As the survey shows [3-5], the delta moved.", ["3", "4", "5"]),
])
def test_numbers_that_look_glued_or_bracketed_but_are_no_markers(text: str, labels: list[str]):
    assert [label for _, label in find_markers(text, 12)] == labels


def test_a_references_word_on_a_title_page_does_not_swallow_the_book():
    # "LuaTeX / Reference / Manual" on a title page: a heading with far more after it than before, whose
    # "items" cite nothing, is no reference list; the manual stays body text
    body = "\n\n".join(f"Paragraph {n} explains how the engine treats its input and what it does next."
                         for n in range(1, 30))
    doc = parse_text(f"LuaTeX\nReference\nManual\n\nContents\n\n{body}\n", "manual.txt")
    assert not doc.entries and not doc.notes
    assert len(doc.paragraphs) >= 29


def test_a_short_document_with_a_long_reference_list_keeps_it():
    refs = "\n\n".join(f"Author {n}, A Title of Work {n} (London, {1990 + n})." for n in range(1, 20))
    doc = parse_text(f"A claim.\n\nReferences\n\n{refs}\n", "short.txt")
    assert len(doc.entries) == 19
