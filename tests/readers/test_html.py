"""The HTML reader: footnote anchors and their notes, note lists, references sections, links."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from verifier import check
from verifier.errors import InputError
from verifier.model import Location
from verifier.readers.html import absolute_url, read

ROOT = Path(__file__).resolve().parents[2]


def doc_of(body: str, head: str = ""):
    return read(f"<!DOCTYPE html>\n<html><head>{head}</head><body>\n{body}\n</body></html>".encode(), "page.html")


def labels(doc) -> tuple[list[str], list[str]]:
    return [m.label for m in doc.markers], [n.label for n in doc.notes]


# --------------------------------------------------------------------------- markers and notes


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            '<p>Claim.<sup><a href="#fn1">1</a></sup> More.<sup><a href="#fn2">2</a></sup></p>\n'
            '<ol><li id="fn1">Anna Smith, Lamps (London: Verso, 2001), 4.</li>'
            '<li id="fn2">Bob Jones, Oil (Oxford: OUP, 1990), 7.</li></ol>',
            id="sup-anchor",
        ),
        pytest.param(
            '<p>Claim.<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup></a> More.'
            '<a href="#fn2" class="footnote-ref" id="fnref2" role="doc-noteref"><sup>2</sup></a></p>\n'
            '<section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes"><hr><ol>'
            '<li id="fn1"><p>Anna Smith, Lamps (London: Verso, 2001), 4.<a href="#fnref1" class="footnote-back" '
            'role="doc-backlink">↩︎</a></p></li>'
            '<li id="fn2"><p>Bob Jones, Oil (Oxford: OUP, 1990), 7.<a href="#fnref2" class="footnote-back" '
            'role="doc-backlink">↩︎</a></p></li></ol></section>',
            id="pandoc",
        ),
        pytest.param(
            '<p>Claim.<sup id="cite_ref-1" class="reference"><a href="#cite_note-1">[1]</a></sup> More.'
            '<sup id="cite_ref-jones_2-0" class="reference"><a href="#cite_note-jones-2">[2]</a></sup></p>\n'
            '<h2><span class="mw-headline" id="References">References</span></h2><div class="reflist">'
            '<ol class="references"><li id="cite_note-1"><span class="mw-cite-backlink"><b><a href="#cite_ref-1">^'
            '</a></b></span> <span class="reference-text">Anna Smith, Lamps (London: Verso, 2001), 4.</span></li>'
            '<li id="cite_note-jones-2"><span class="mw-cite-backlink"><b><a href="#cite_ref-jones_2-0">^</a></b>'
            '</span> <span class="reference-text">Bob Jones, Oil (Oxford: OUP, 1990), 7.</span></li></ol></div>',
            id="wikipedia",
        ),
        pytest.param(
            '<p>Claim.<a epub:type="noteref" role="doc-noteref" href="#n1">1</a> More.'
            '<a epub:type="noteref" role="doc-noteref" href="#n2">2</a></p>\n'
            '<aside id="n1" epub:type="footnote" role="doc-footnote">Anna Smith, Lamps (London: Verso, 2001), 4.</aside>'
            '<aside id="n2" epub:type="footnote" role="doc-footnote">Bob Jones, Oil (Oxford: OUP, 1990), 7.</aside>',
            id="epub-aside",
        ),
        pytest.param(
            '<p class=MsoNormal>Claim.<a style="mso-footnote-id:ftn1" href="#_ftn1" name="_ftnref1"><span '
            'class=MsoFootnoteReference>[1]</span></a> More.<a href="#_ftn2" name="_ftnref2">'
            '<span class=MsoFootnoteReference>[2]</span></a></p>\n'
            '<div style="mso-element:footnote-list"><div style="mso-element:footnote" id=ftn1>'
            '<p class=MsoFootnoteText><a href="#_ftnref1" name="_ftn1">[1]</a> Anna Smith, Lamps (London: Verso, '
            '2001), 4.</p></div><div style="mso-element:footnote" id=ftn2><p class=MsoFootnoteText>'
            '<a href="#_ftnref2" name="_ftn2">[2]</a> Bob Jones, Oil (Oxford: OUP, 1990), 7.</p></div></div>',
            id="word-export",
        ),
        pytest.param(
            '<p>Claim.<sup><a href="#user-content-fn-1-4f2a" id="user-content-fnref-1-4f2a" data-footnote-ref '
            'aria-describedby="footnote-label">1</a></sup> More.<sup><a href="#user-content-fn-2-4f2a" '
            'id="user-content-fnref-2-4f2a" data-footnote-ref>2</a></sup></p>\n'
            '<section data-footnotes class="footnotes"><h2 id="footnote-label" class="sr-only">Footnotes</h2><ol>'
            '<li id="user-content-fn-1-4f2a"><p>Anna Smith, Lamps (London: Verso, 2001), 4. <a '
            'href="#user-content-fnref-1-4f2a" data-footnote-backref class="data-footnote-backref">↩</a></p></li>'
            '<li id="user-content-fn-2-4f2a"><p>Bob Jones, Oil (Oxford: OUP, 1990), 7. <a '
            'href="#user-content-fnref-2-4f2a" data-footnote-backref class="data-footnote-backref">↩</a></p></li>'
            "</ol></section>",
            id="github-markdown",
        ),
        pytest.param(
            '<p>Claim.<sup id="fnref:1" role="doc-noteref"><a href="#fn:1" class="footnote" rel="footnote">1</a>'
            '</sup> More.<sup id="fnref:2" role="doc-noteref"><a href="#fn:2" class="footnote" rel="footnote">2</a>'
            '</sup></p>\n<div class="footnotes" role="doc-endnotes"><ol>'
            '<li id="fn:1" role="doc-endnote"><p>Anna Smith, Lamps (London: Verso, 2001), 4. <a href="#fnref:1" '
            'class="reversefootnote" role="doc-backlink">&#8617;</a></p></li>'
            '<li id="fn:2" role="doc-endnote"><p>Bob Jones, Oil (Oxford: OUP, 1990), 7. <a href="#fnref:2" '
            'class="reversefootnote" role="doc-backlink">&#8617;</a></p></li></ol></div>',
            id="kramdown-jekyll",
        ),
    ],
)
def test_footnote_anchors_and_their_notes(body):
    doc = doc_of(body)
    assert labels(doc) == (["1", "2"], ["1", "2"])
    assert [n.text for n in doc.notes] == [
        "Anna Smith, Lamps (London: Verso, 2001), 4.",
        "Bob Jones, Oil (Oxford: OUP, 1990), 7.",
    ]
    assert doc.paragraphs[0].text == "Claim. More."
    assert doc.paragraphs[0].markers == ((6, "1"), (12, "2"))
    assert all(m.location.line == 3 for m in doc.markers)


def test_a_note_cited_twice_keeps_one_label():
    doc = doc_of(
        '<p>A.<sup><a href="#cite_note-s-1">[1]</a></sup> B.<sup><a href="#cite_note-s-1">[1]</a></sup></p>'
        '<ol class="references"><li id="cite_note-s-1"><span class="mw-cite-backlink">^ <a href="#cite_ref-s_1-0">a'
        '</a> <a href="#cite_ref-s_1-1">b</a></span> Smith 2001.</li></ol>'
    )
    assert labels(doc) == (["1", "1"], ["1"])
    assert doc.notes[0].text == "Smith 2001."


def test_marker_without_target_and_note_without_marker():
    doc = doc_of(
        '<p>Claim.<sup><a href="#fn1">1</a></sup>\nOther claim.<sup><a href="#fn2">2</a></sup></p>\n'
        '<ol><li id="fn1">Anna Smith, Lamps (London: Verso, 2001), 4.</li>\n'
        '<li id="fn3">Unreferenced, Oil (Oxford: OUP, 1990), 7.</li></ol>'
    )
    # fn3 is the list's second item: the browser prints it as 2, and marker 2 points elsewhere
    assert labels(doc) == (["1", "2"], ["1", "2"])
    doc = doc_of(
        '<p>Claim.<sup><a href="#fn1">1</a></sup>\nOther claim.<sup><a href="#fn9">9</a></sup></p>\n'
        '<ol><li id="fn1">Anna Smith, Lamps (London: Verso, 2001), 4.</li>\n'
        '<li id="fn2">Unreferenced, Oil (Oxford: OUP, 1990), 7.</li></ol>'
    )
    assert labels(doc) == (["1", "9"], ["1", "2"])
    assert [m.location.line for m in doc.markers] == [3, 4]
    assert [n.location.line for n in doc.notes] == [5, 6]


def test_m001_and_m002_through_the_pipeline(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body>\n<p>Claim.<sup><a href=\"#fn1\">1</a></sup></p>\n"
        "<p>Other claim.<sup><a href=\"#fn4\">4</a></sup></p>\n"
        "<section role=\"doc-endnotes\"><ol>\n<li id=\"fn1\">Anna Smith, Lamps (London: Verso, 2001), 4.</li>\n"
        "<li id=\"fn2\">Bob Jones, Oil (Oxford: OUP, 1990), 7.</li>\n</ol></section>\n</body></html>\n",
        encoding="utf-8",
    )
    report = check([page], offline=True)
    found = {(f.code, f.location.line if f.location else None) for f in report.findings}
    assert ("M001", 3) in found  # marker 4 points to nothing
    assert ("M002", 6) in found  # note 2 is never referenced
    assert report.documents[0].format == "html"


def test_backlinks_and_labels_are_not_note_text():
    doc = doc_of(
        '<p>A.<sup><a href="#n1" id="r1">1</a></sup></p>'
        '<div class="footnotes"><p id="n1"><a href="#r1">1.</a> Smith, Lamps, 2001. <a href="#r1">↩</a></p></div>'
    )
    assert doc.notes[0].text == "Smith, Lamps, 2001."


def test_plain_superscripts_are_markers_only_with_a_hand_made_notes_list():
    body = (
        "<p>The lamp was lit.<sup>1</sup> Its area was 5 m<sup>2</sup>. It burned oil.<sup>3</sup></p>"
        "<h2>Notes</h2><p>1. Anna Smith, Lamps (London: Verso, 2001), 4.</p><p>2. Bob Jones, Oil (1990).</p>"
    )
    doc = doc_of(body)
    assert labels(doc) == (["1", "3"], ["1", "2"])
    without_notes = doc_of("<p>Water is H<sub>2</sub>O and the area 5 m<sup>2</sup>; x<sup>3</sup>.</p>")
    assert without_notes.markers == ()


# --------------------------------------------------------------------------- references section


def test_references_section_items_are_entries():
    doc = doc_of(
        "<p>As Smith showed.</p>\n<h2>Works cited</h2>\n<ul>\n<li>Smith, A. (2001). <i>Lamps</i>. Verso.</li>\n"
        '<li>Jones, B. (1990). <a href="https://example.org/oil">Oil</a>. OUP.</li>\n</ul>\n'
        "<h2>About the author</h2><p>Not an entry.</p>"
    )
    assert [(e.key, e.text, e.location.line) for e in doc.entries] == [
        ("1", "Smith, A. (2001). Lamps. Verso.", 6),
        ("2", "Jones, B. (1990). Oil <https://example.org/oil>. OUP.", 7),
    ]
    assert [p.text for p in doc.paragraphs] == ["As Smith showed.", "About the author", "Not an entry."]
    assert doc.links == ()  # the entry's link is cited in the entry


def test_pandoc_citations_and_bibliography():
    doc = doc_of(
        '<p>As shown <span class="citation" data-cites="smith2001 jones1990">(Smith 2001; Jones 1990)</span>.</p>\n'
        '<div id="refs" class="references csl-bib-body" role="list">\n'
        '<div id="ref-smith2001" class="csl-entry" role="listitem">Smith, A. 2001. <em>Lamps</em>. Verso.</div>\n'
        '<div id="ref-jones1990" class="csl-entry" role="listitem">Jones, B. 1990. <em>Oil</em>. OUP.</div>\n</div>'
    )
    assert [k.key for k in doc.keys] == ["smith2001", "jones1990"]
    assert [e.key for e in doc.entries] == ["smith2001", "jones1990"]
    assert doc.notes == ()


# --------------------------------------------------------------------------- links


@pytest.mark.parametrize(
    ("href", "base", "url"),
    [
        pytest.param("https://example.org/a", None, "https://example.org/a", id="absolute"),
        pytest.param("reports/2019.html", "https://site.example/articles/", "https://site.example/articles/reports/2019.html",
                     id="relative-with-base"),
        pytest.param("/about", "https://site.example/articles/", "https://site.example/about", id="root-relative"),
        pytest.param("reports/2019.html", None, None, id="relative-without-base"),
        pytest.param("//cdn.example.org/x", None, "https://cdn.example.org/x", id="scheme-relative"),
        pytest.param("mailto:editor@example.org", None, None, id="mailto"),
        pytest.param("javascript:void(0)", None, None, id="javascript"),
        pytest.param("#section-2", "https://site.example/", None, id="in-page"),
        pytest.param(" https://example.org/\n\twrapped ", None, "https://example.org/wrapped", id="whitespace-in-href"),
    ],
)
def test_absolute_url(href, base, url):
    assert absolute_url(href, base) == url


def test_body_links_resolved_against_base_and_shown_urls_left_to_the_text():
    doc = doc_of(
        '<p>Read <a href="reports/2019.html">the report</a>,\n<a href="https://example.org/x">https://example.org/x</a>,'
        ' <a href="mailto:a@b.example">mail us</a>, <a href="#top">top</a>.</p>',
        head='<base href="https://site.example/articles/">',
    )
    assert [(lk.url, lk.text, lk.location.line) for lk in doc.links] == [
        ("https://site.example/articles/reports/2019.html", "the report", 3),
    ]
    assert "https://example.org/x" in doc.paragraphs[0].text


def test_relative_links_without_base_are_left_out():
    assert doc_of('<p><a href="local.html">local</a> and <a href="https://example.org/">abs</a></p>').links[0].url == (
        "https://example.org/"
    )
    assert len(doc_of('<p><a href="local.html">local</a></p>').links) == 0


def test_link_in_a_note_goes_into_the_note():
    doc = doc_of(
        '<p>A.<sup><a href="#fn1">1</a></sup></p><ol><li id="fn1">Baltic Light Service, '
        '<a href="https://example.org/report">Annual Report 2019</a>, 2020.</li></ol>'
    )
    assert doc.notes[0].text == "Baltic Light Service, Annual Report 2019 <https://example.org/report>, 2020."
    assert doc.notes[0].urls == ("https://example.org/report",)
    assert doc.links == ()


# --------------------------------------------------------------------------- text


def test_scripts_styles_templates_and_navigation_are_ignored():
    doc = doc_of(
        '<nav><a href="https://site.example/home">Home</a></nav><script>var u = "https://tracker.example/x";</script>'
        "<style>p::after { content: 'https://style.example/' }</style><template><p>Hidden https://t.example/</p>"
        "</template><p>Visible text.</p>",
    )
    assert [p.text for p in doc.paragraphs] == ["Visible text."]
    assert doc.links == ()


def test_entities_decoded_and_whitespace_collapsed_with_lines_kept():
    doc = doc_of("<p>Caf&eacute;   &amp;\n   bar&nbsp;&#8212; &ldquo;quoted&rdquo;</p>")
    assert doc.paragraphs[0].text == "Café & bar — “quoted”"
    assert doc.paragraphs[0].lines == ((0, 3), (7, 4))


def test_lines_are_counted_past_65535():
    body = "<p>x</p>\n" * 70000 + '<p>Late.<sup><a href="#fn1">1</a></sup></p>\n<ol><li id="fn1">Smith 2001.</li></ol>'
    doc = doc_of(body)
    assert doc.markers[0].location.line == 70003
    assert doc.notes[0].location.line == 70004


@pytest.mark.parametrize(
    ("data", "text"),
    [
        pytest.param('<meta charset="iso-8859-1"><p>caf\xe9</p>'.encode("latin-1"), "café", id="meta-charset"),
        pytest.param("<p>café</p>".encode(), "café", id="utf-8"),
        pytest.param("\ufeff<p>café</p>".encode("utf-16"), "café", id="utf-16-bom"),
        pytest.param(b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>'
                     b"<p>xhtml</p></body></html>", "xhtml", id="xhtml-declaration"),
    ],
)
def test_encodings(data, text):
    assert read(data, "x.html").paragraphs[0].text == text


def test_empty_file_is_an_empty_document():
    assert read(b"", "x.html").paragraphs == ()


def test_binary_file_is_p002(tmp_path):
    bad = tmp_path / "image.html"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(InputError, match="binary"):
        read(bad.read_bytes(), str(bad))
    good = tmp_path / "good.html"
    good.write_text("<p>See https://example.org/page for more.</p>", encoding="utf-8")
    report = check([bad, good], offline=True)
    assert [f.code for f in report.findings if f.code == "P002"] == ["P002"]
    assert [d.path for d in report.documents] == [str(good)]


def test_input_format_forces_the_reader(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text('<p>Claim.<sup><a href="#fn1">1</a></sup></p><ol><li id="fn1">Smith 2001.</li></ol>')
    report = check([page], offline=True, input_format="html")
    assert report.documents[0].format == "html"
    assert report.documents[0].notes == 1


# --------------------------------------------------------------------------- the sample


def test_cli_reports_the_planted_defects_of_the_sample():
    proc = subprocess.run(
        [sys.executable, "-m", "verifier", "check", "references/sample.html", "--offline", "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert report["documents"][0]["format"] == "html"
    found = {(f["code"], f["location"]["line"] if f["location"] else None) for f in report["findings"]}
    planted = {("M001", 36), ("M002", 48), ("F001", 44), ("I004", 45), ("D002", 45), ("D001", 56), ("M009", 27)}
    assert planted <= found, sorted(found)
    assert {"https://archive.example.org/pilotage/report-1880",  # a link inside note 3
            "https://skerries.example.org/essays/archive/logbooks.html"} <= {link["url"] for link in report["links"]}
    urls = {link["url"] for link in report["links"]}
    assert not any("tracker" in url for url in urls)  # the page's script is not read


def test_undecodable_bytes_are_replaced_without_a_warning():
    # valid UTF-8 first, then a stray byte: no single encoding decodes it all
    doc = read("<p>café ünïcode ".encode() + b"\xff\xfe\x81 end</p>", "x.html")
    assert doc.paragraphs[0].text == "café ünïcode \ufffd\ufffd\ufffd end"


# --------------------------------------------------------------------------- a larger, real document

SEEDS = ROOT.parent / "shared" / "seeds"


def seed_as_html(text_doc) -> str:
    """A seed article (read by the text reader) as pandoc writes it: footnote links, an endnotes section."""
    from html import escape

    paras = []
    for para in text_doc.paragraphs:
        out, prev = [], 0
        for offset, label in para.markers:
            out.append(escape(para.text[prev:offset]))
            n = label
            out.append(f'<a href="#fn{n}" class="footnote-ref" id="fnref{n}" role="doc-noteref"><sup>{n}</sup></a>')
            prev = offset + len(label)  # the marker's digits (superscript or not) stand at offset
        out.append(escape(para.text[prev:]))
        paras.append("<p>" + "".join(out).replace(". ", ".\n") + "</p>")
    notes = []
    for note in text_doc.notes:
        body = escape(note.text)
        for url in note.urls:
            body = body.replace(escape(url), f'<a href="{escape(url)}" class="uri">{escape(url)}</a>', 1)
        notes.append(f'<li id="fn{note.label}"><p>{body}<a href="#fnref{note.label}" class="footnote-back" '
                     'role="doc-backlink">↩︎</a></p></li>')
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Seed</title></head><body>\n"
            + "\n".join(paras) + '\n<section id="footnotes" class="footnotes footnotes-end-of-document" '
            'role="doc-endnotes">\n<hr />\n<ol>\n' + "\n".join(notes) + "\n</ol>\n</section>\n</body></html>\n")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")
def test_a_real_article_as_html_reads_like_its_text(tmp_path):
    from verifier.readers.text import read as read_text

    source = SEEDS / "002_104ee1c8d63cb466.txt"
    text_doc = read_text(source.read_bytes(), str(source))
    assert len(text_doc.notes) > 50
    page = tmp_path / "article.html"
    page.write_text(seed_as_html(text_doc), encoding="utf-8")
    doc = read(page.read_bytes(), str(page))
    assert [m.label for m in doc.markers] == [m.label for m in text_doc.markers]
    assert [(n.label, n.text, n.urls) for n in doc.notes] == [(n.label, n.text, n.urls) for n in text_doc.notes]
    assert doc.links == ()  # every URL is cited in a note
    # the same citations, parsed the same way, whatever the format
    as_text = check([source], offline=True)
    as_html = check([page], offline=True)

    def cited(report):
        return [(c.note, c.kind, c.fields) for c in report.citations if c.note is not None]

    assert cited(as_html) == cited(as_text)
    # and the same findings (at other lines: the HTML has its own)
    assert sorted((f.code, f.message) for f in as_html.findings) == sorted((f.code, f.message) for f in as_text.findings)


_SAVED_WIKI = """<!DOCTYPE html>
<!-- saved from url=(0040)https://wiki.example.org/wiki/Some_Page -->
<html><head><link rel="canonical" href="https://wiki.example.org/wiki/Some_Page"></head><body>
<p>A claim.<sup class="reference" id="cite_ref-1"><a href="https://wiki.example.org/wiki/Some_Page#cite_note-1">[1]</a></sup>
Another.<sup class="reference" id="cite_ref-2"><a href="https://wiki.example.org/wiki/Some_Page#cite_note-2">[2]</a></sup>
See <a href="https://wiki.example.org/wiki/Other_Page#History">history</a>.</p>
<h2>References</h2>
<ol class="references">
<li id="cite_note-1"><a href="https://wiki.example.org/wiki/Some_Page#cite_ref-1">^</a>
 Jane Doe, <a href="https://example.com/a">A Report</a>, 2019.</li>
<li id="cite_note-2"><a href="https://wiki.example.org/wiki/Some_Page#cite_ref-2">^</a>
 John Roe, The Book (Oxford: OUP, 2001).</li>
</ol></body></html>
"""


@pytest.mark.parametrize("canonical", [True, False], ids=["canonical-link", "note-id-only"])
def test_saved_page_absolute_note_links_pair_with_their_notes(canonical):
    page = _SAVED_WIKI if canonical else _SAVED_WIKI.replace('<link rel="canonical" href="https://wiki.example.org/wiki/Some_Page">', "").replace("saved from", "saved")
    doc = read(page.encode(), "page.html")
    assert [m.label for m in doc.markers] == ["1", "2"]
    assert [n.label for n in doc.notes] == ["1", "2"]
    assert doc.notes[0].text.startswith("Jane Doe")
    assert "Some_Page" not in " ".join(n.text for n in doc.notes)  # the back-links are no note text
    assert [link.url for link in doc.links] == ["https://wiki.example.org/wiki/Other_Page#History"]


def _deep_page(depth: int, tag: str = "div") -> bytes:
    return (
        "<html><body>\n<p>Before <a href='http://before.example.org/a'>a</a>.</p>\n"
        + f"<{tag}>" * depth + "\n<a href='http://deep.example.org/x'>deep</a>\n" + f"</{tag}>" * depth
        + "\n<p>After <a href='http://after.example.org/b'>b</a>.<sup><a href='#fn1' id='r1'>1</a></sup></p>\n"
        "<ol><li id='fn1'>Smith, <i>A Book</i> (London: Penguin, 1999).</li></ol></body></html>\n"
    ).encode()


@pytest.mark.parametrize("depth", [100, 157, 158, 300, 3000])
@pytest.mark.parametrize("tag", ["div", "span", "blockquote"])
def test_elements_nested_at_and_past_the_limit_keep_every_link(depth: int, tag: str) -> None:
    from verifier.readers.html import MAX_DEPTH

    doc = read(_deep_page(depth, tag), "deep.html")
    urls = [link.url for link in doc.links]
    assert urls == ["http://before.example.org/a", "http://deep.example.org/x", "http://after.example.org/b"]
    assert [n.label for n in doc.notes] == ["1"] and [m.label for m in doc.markers] == ["1"]
    deep = depth + 2 > MAX_DEPTH  # (html and body are two levels; the link may go one past the limit)
    assert [d.code for d in doc.diagnostics] == (["P001"] if deep else [])
    if deep:
        assert doc.diagnostics[0].location == Location(3)
        assert f"more than {MAX_DEPTH} levels deep from line 3" in doc.diagnostics[0].message


def test_implicitly_closed_paragraphs_and_items_do_not_count_as_nesting() -> None:
    items = "".join(f"<li><p>item {i} <a href='http://e.org/{i}'>x</a>\n" for i in range(600))
    doc = read(f"<html><body><ul>{items}</ul></body></html>".encode(), "flat.html")
    assert len(doc.links) == 600 and doc.diagnostics == ()
