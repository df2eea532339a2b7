"""One vocabulary of section headings for every reader; a "Notes" heading alone makes no notes."""

from __future__ import annotations

import pytest

from verifier.readers import html, markdown, text
from verifier.readers.sections import HEADING_RE, is_note_heading, note_like

APPS = ["Joplin, an open-source note-taking application", "Obsidian, a Markdown knowledge base",
        "Simplenote, a plain-text note service"]


@pytest.mark.parametrize(
    ("heading", "notes"),
    [("Notes", True), ("Endnotes", True), ("Anmerkungen", True), ("Fußnoten", True), ("Примечания", True),
     ("Notas", True), ("References", False), ("Reference list", False), ("Works cited", False),
     ("Citations", False), ("Literaturverzeichnis", False), ("Bibliografía", False), ("Références", False),
     ("Список литературы", False), ("2. Sources", False)],
)
def test_the_heading_vocabulary(heading, notes):
    m = HEADING_RE.match(heading)
    assert m is not None
    assert is_note_heading(m.group(1)) is notes


def test_note_like_wants_citations():
    assert note_like(["John Smith, The Book (London, 2001), 12.", "Ibid., 14.", "https://example.org/x"])
    assert not note_like(APPS)


@pytest.mark.parametrize("heading", ["Reference list", "Citations", "Literaturverzeichnis"])
def test_every_reader_knows_every_heading(heading):
    body = "A claim (Smith 2001).\n\n"
    entries = ["Smith, Anna. The Book. London: Verso, 2001.", "Jones, Bob. Ports. Oxford: OUP, 1999."]
    txt = text.read((body + heading + "\n\n" + "\n\n".join(entries) + "\n").encode(), "a.txt")
    md = markdown.read((body + "## " + heading + "\n\n" + "\n".join(f"- {e}" for e in entries) + "\n").encode(),
                       "a.md")
    page = html.read((f"<p>{body}</p><h2>{heading}</h2><ul>" + "".join(f"<li>{e}</li>" for e in entries)
                      + "</ul>").encode(), "a.html")
    for doc in (txt, md, page):
        assert [e.text for e in doc.entries] == entries, doc.format


def test_a_notes_heading_over_a_list_of_applications_is_body_text_in_html():
    page = ("<p>Some tools.</p><h2>Notes</h2><ul>" + "".join(f'<li><a href="https://example.org/{k}">{a}</a></li>'
            for k, a in enumerate(APPS)) + "</ul>").encode()
    doc = html.read(page, "apps.html")
    assert doc.notes == () and doc.entries == ()
    assert len(doc.links) == 3  # nothing lost: the items are body content
    assert any(APPS[0] in p.text for p in doc.paragraphs)


def test_a_notes_heading_over_a_list_of_applications_is_body_text_in_text():
    doc = text.read(("Some tools.\n\nNotes\n\n" + "\n".join(f"- {a}" for a in APPS) + "\n").encode(), "apps.txt")
    assert doc.notes == () and doc.entries == ()
    assert any(APPS[2] in p.text for p in doc.paragraphs)


def test_real_notes_under_a_notes_heading_are_still_notes():
    doc = text.read(b"A claim.1 Another.2\n\nNotes\n\n1. John Smith, The Book (London, 2001), 12.\n2. Ibid., 14.\n",
                    "n.txt")
    assert [n.label for n in doc.notes] == ["1", "2"]
