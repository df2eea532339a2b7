"""The Word reader: body paragraphs, note references, footnotes and endnotes, hyperlinks, limits.

Each document is built here as a minimal .docx package (the parts Word writes
that the reader reads), so every test shows the XML it is about.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from verifier import check
from verifier.errors import InputError
from verifier.readers import docx as reader
from verifier.readers.docx import format_number, hyperlink_target, read

ROOT = Path(__file__).resolve().parents[2]
NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote>"
)


def t(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def p(*runs: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def fn(note_id: int) -> str:
    return f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="{note_id}"/></w:r>'


def en(note_id: int) -> str:
    return f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:endnoteReference w:id="{note_id}"/></w:r>'


def sup(text: str) -> str:
    return f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>{text}</w:t></w:r>'


def link(rid: str, text: str) -> str:
    return f'<w:hyperlink r:id="{rid}">{t(text)}</w:hyperlink>'


def notes_part(kind: str, notes: dict[int, str]) -> str:
    separators = SEPARATORS.replace("footnote", kind)
    body = "".join(
        f'<w:{kind} w:id="{nid}"><w:p><w:r><w:{kind}Ref/></w:r>{text}</w:p></w:{kind}>' for nid, text in notes.items()
    )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s {NS}>{separators}{body}</w:{kind}s>'


def rels(targets: dict[str, str], extra: str = "") -> str:
    items = "".join(
        f'<Relationship Id="{rid}" Type="{REL}/hyperlink" Target="{url}" TargetMode="External"/>'
        for rid, url in targets.items()
    )
    return f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{items}{extra}</Relationships>'


def make_docx(
    body: str,
    footnotes: dict[int, str] | None = None,
    endnotes: dict[int, str] | None = None,
    links: dict[str, str] | None = None,
    note_links: dict[str, str] | None = None,
    parts: dict[str, str | bytes] | None = None,
) -> bytes:
    extra = ""
    files: dict[str, str | bytes] = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": rels({}, f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'),
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {NS}><w:body>{body}</w:body></w:document>',
    }
    if footnotes is not None:
        files["word/footnotes.xml"] = notes_part("footnote", footnotes)
        extra += f'<Relationship Id="rIdF" Type="{REL}/footnotes" Target="footnotes.xml"/>'
        files["word/_rels/footnotes.xml.rels"] = rels(note_links or {})
    if endnotes is not None:
        files["word/endnotes.xml"] = notes_part("endnote", endnotes)
        extra += f'<Relationship Id="rIdE" Type="{REL}/endnotes" Target="endnotes.xml"/>'
    files["word/_rels/document.xml.rels"] = rels(links or {}, extra)
    files.update(parts or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def write(tmp_path: Path, data: bytes, name: str = "doc.docx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- body and notes


def test_footnote_references_become_markers_in_place_and_notes_are_read():
    data = make_docx(
        p(t("The lamp was lit in 1821."), fn(1), t(" It burned whale oil."), fn(2))
        + p(t("A second paragraph."), fn(1)),
        footnotes={1: t(" Anna Smith, “Lamps,” Journal of Light 3 (2001): 1–9."), 2: t(" Bob Jones, Oil (1990).")},
    )
    doc = read(data, "d.docx")
    assert doc.format == "docx"
    assert [p.text for p in doc.paragraphs] == ["The lamp was lit in 1821. It burned whale oil.", "A second paragraph."]
    assert doc.paragraphs[0].markers == ((25, "1"), (46, "2"))
    assert [(m.label, m.location.line, m.location.column) for m in doc.markers] == [
        ("1", 1, 26), ("2", 1, 47), ("1", 2, 20),
    ]
    assert [(n.label, n.text, n.location.line) for n in doc.notes] == [
        ("1", "Anna Smith, “Lamps,” Journal of Light 3 (2001): 1–9.", 1),
        ("2", "Bob Jones, Oil (1990).", 1),
    ]


@pytest.mark.parametrize(
    ("settings", "labels"),
    [
        pytest.param(None, ["i", "ii"], id="endnotes-default-lower-roman"),
        pytest.param('<w:endnotePr><w:numFmt w:val="decimal"/><w:numStart w:val="5"/></w:endnotePr>', ["5", "6"],
                     id="endnotes-decimal-from-settings"),
        pytest.param('<w:endnotePr><w:numFmt w:val="chicago"/></w:endnotePr>', ["*", "†"], id="endnotes-chicago"),
    ],
)
def test_endnotes_are_numbered_as_word_prints_them(settings, labels):
    parts = {}
    if settings:
        parts["word/settings.xml"] = f"<w:settings {NS}>{settings}</w:settings>"
    data = make_docx(p(t("One."), en(3), t(" Two."), en(4)), endnotes={3: t(" First, 2001."), 4: t(" Second, 2002.")},
                     parts=parts)
    doc = read(data, "d.docx")
    assert [m.label for m in doc.markers] == labels
    assert [n.label for n in doc.notes] == labels


def test_footnotes_and_endnotes_together_keep_separate_numbering():
    data = make_docx(p(t("A."), fn(1), t(" B."), en(1), t(" C."), fn(2)),
                     footnotes={1: t(" Foot one, 2001."), 2: t(" Foot two, 2002.")}, endnotes={1: t(" End one, 2003.")})
    doc = read(data, "d.docx")
    assert [m.label for m in doc.markers] == ["1", "i", "2"]
    assert sorted(n.label for n in doc.notes) == ["1", "2", "i"]


def test_custom_mark_is_its_own_label():
    body = p(t("Text."), '<w:r><w:footnoteReference w:customMarkFollows="1" w:id="1"/><w:t>*</w:t></w:r>', t(" More."), fn(2))
    doc = read(make_docx(body, footnotes={1: t(" Starred, 1999."), 2: t(" Numbered, 2000.")}), "d.docx")
    assert [m.label for m in doc.markers] == ["*", "1"]
    assert doc.paragraphs[0].text == "Text. More."


def test_separator_notes_are_skipped():
    doc = read(make_docx(p(t("A."), fn(1)), footnotes={1: t(" Note, 2001.")}), "d.docx")
    assert [n.text for n in doc.notes] == ["Note, 2001."]


def test_note_with_several_paragraphs_is_joined():
    footnotes = notes_part("footnote", {}).replace(
        "</w:footnotes>",
        f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>{t(" First part,")}</w:p><w:p>{t("second part.")}</w:p>'
        "</w:footnote></w:footnotes>",
    )
    data = make_docx(p(t("A."), fn(1)), footnotes={}, parts={"word/footnotes.xml": footnotes})
    assert read(data, "d.docx").notes[0].text == "First part, second part."


def test_empty_paragraphs_are_not_counted():
    body = p() + p(t("First.")) + p() + p() + p(t("Second."), fn(1))
    doc = read(make_docx(body, footnotes={1: t(" Note, 2001.")}), "d.docx")
    assert [p.lines for p in doc.paragraphs] == [((0, 1),), ((0, 2),)]
    assert doc.markers[0].location.line == 2
    assert doc.notes[0].location.line == 2  # where its reference stands


def test_tables_text_boxes_and_tracked_changes():
    body = (
        p(t("Before."))
        + f"<w:tbl><w:tr><w:tc>{p(t('In a cell.'))}</w:tc></w:tr></w:tbl>"
        + p(t("Kept "), '<w:del w:id="1"><w:r><w:delText>deleted </w:delText></w:r></w:del>',
            f'<w:ins w:id="2">{t("inserted")}</w:ins>', t("."))
        + p("<w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent>"
            + p(t("Box text.")) + "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>"
            + p(t("Box text.")) + "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>")
    )
    doc = read(make_docx(body), "d.docx")
    assert [p.text for p in doc.paragraphs] == ["Before.", "In a cell.", "Kept inserted.", "Box text."]


def test_field_instructions_are_not_text_but_results_are():
    body = p(t("See "), '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
             '<w:r><w:instrText xml:space="preserve"> PAGEREF _Toc1 \\h </w:instrText></w:r>',
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', t("12"), '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
             t("."))
    assert read(make_docx(body), "d.docx").paragraphs[0].text == "See 12."


# --------------------------------------------------------------------------- M001 / M002 through the pipeline


def test_reference_without_note_and_note_without_reference(tmp_path):
    data = make_docx(
        p(t("First claim."), fn(1), t(" Second claim."), fn(2)),
        footnotes={1: t(" Anna Smith, Lamps (London: Verso, 2001), 4."), 7: t(" Orphan Author, Lost (Oxford: OUP, 1999).")},
    )
    report = check([write(tmp_path, data)], offline=True)
    found = {(f.code, f.location.line if f.location else None, f.message) for f in report.findings if f.code[0] == "M"}
    assert ("M001", 1, "Note marker 2 has no note: the document has no note labelled 2.") in found
    assert ("M002", 3, "Note fn7 is never referenced: no marker fn7 stands in the text.") in found  # past the body: 1 paragraph + 2nd note


def test_a_hidden_verifier_ignore_in_the_paragraph_suppresses_its_finding(tmp_path):
    hidden = '<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve"> verifier: ignore[M001]</w:t></w:r>'
    data = make_docx(
        p(t("First claim."), fn(1), t(" Second claim."), fn(2), hidden) + p(t("Third claim."), fn(3)),
        footnotes={1: t(" Anna Smith, Lamps (London: Verso, 2001), 4.")},
    )
    report = check([write(tmp_path, data)], offline=True, select="M001")
    assert [(f.code, f.location.line if f.location else None) for f in report.findings] == [("M001", 2)]


# --------------------------------------------------------------------------- hyperlinks


def test_body_hyperlink_becomes_a_link_and_a_note_hyperlink_goes_into_the_note_text():
    body = p(t("Read "), link("rId5", "the keeper's log"), t(" and "), link("rId6", "https://example.org/shown"), t("."), fn(1))
    data = make_docx(
        body,
        footnotes={1: t(" Baltic Light Service, ") + link("rId9", "Annual Report 2019") + t(", 2020.")},
        links={"rId5": "https://example.org/log", "rId6": "https://example.org/shown", "rId7": "mailto:a@b.c"},
        note_links={"rId9": "https://example.org/report"},
    )
    doc = read(data, "d.docx")
    assert [(lk.url, lk.text, lk.location.line, lk.location.column) for lk in doc.links] == [
        ("https://example.org/log", "the keeper's log", 1, 6),
    ]
    assert doc.notes[0].text == "Baltic Light Service, Annual Report 2019 <https://example.org/report>, 2020."
    assert doc.notes[0].urls == ("https://example.org/report",)


@pytest.mark.parametrize(
    ("instr", "url"),
    [
        pytest.param(' HYPERLINK "https://example.org/a" ', "https://example.org/a", id="quoted"),
        pytest.param(" HYPERLINK https://example.org/b \\o tip", "https://example.org/b", id="bare"),
        pytest.param(' HYPERLINK \\o "a tip" "https://example.org/c"', "https://example.org/c", id="switch-first"),
        pytest.param(' HYPERLINK \\l "_Toc123" ', None, id="bookmark-only"),
        pytest.param(' HYPERLINK "https://example.org/d?id=1" \\l "v=onepage&q" ', "https://example.org/d?id=1#v=onepage&q",
                     id="url-with-location"),
        pytest.param(" PAGEREF _Toc1 \\h ", None, id="other-field"),
    ],
)
def test_hyperlink_field_instruction(instr, url):
    assert hyperlink_target(instr) == url


def test_complex_and_simple_hyperlink_fields():
    body = p(
        t("See "),
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://example.org/</w:instrText></w:r>',
        '<w:r><w:instrText>complex" </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', t("the archive"),
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        t(" and "), f'<w:fldSimple w:instr=" HYPERLINK &quot;https://example.org/simple&quot; ">{t("this")}</w:fldSimple>',
        t("."),
    )
    doc = read(make_docx(body), "d.docx")
    assert doc.paragraphs[0].text == "See the archive and this."
    assert [(lk.url, lk.text) for lk in doc.links] == [
        ("https://example.org/complex", "the archive"), ("https://example.org/simple", "this"),
    ]


# --------------------------------------------------------------------------- references section


def test_references_section_becomes_entries():
    body = (
        p(t("Body text cites Smith (2001)."))
        + p(t("References"), style="Heading1")
        + p(t("Smith, Anna. 2001. Lamps. London: Verso."))
        + p(t("Jones, Bob. 1990. "), link("rId3", "Oil"), t(". Oxford: OUP."))
        + p(t("Appendix"), style="Heading1")
        + p(t("Not an entry."))
    )
    doc = read(make_docx(body, links={"rId3": "https://example.org/oil"}), "d.docx")
    assert [(e.key, e.text, e.location.line) for e in doc.entries] == [
        ("1", "Smith, Anna. 2001. Lamps. London: Verso.", 3),
        ("2", "Jones, Bob. 1990. Oil <https://example.org/oil>. Oxford: OUP.", 4),
    ]
    assert [p.text for p in doc.paragraphs] == ["Body text cites Smith (2001).", "Appendix", "Not an entry."]
    assert doc.links == ()


def test_hand_made_endnotes_with_superscript_numbers():
    body = (
        p(t("The lamp was lit."), sup("1"), t(" It burned oil."), sup("3"), t(" Area 5 m"), sup("2"))
        + p(t("Notes"))
        + p(t("1. Anna Smith, Lamps (London: Verso, 2001), 4."))
        + p(t("2. Bob Jones, Oil (Oxford: OUP, 1990), 7."))
    )
    doc = read(make_docx(body), "d.docx")
    assert [(m.label, m.location.line) for m in doc.markers] == [("1", 1), ("3", 1), ("2", 1)]
    assert [(n.label, n.location.line) for n in doc.notes] == [("1", 3), ("2", 4)]


# --------------------------------------------------------------------------- bad input → P002


def test_not_a_zip_is_p002(tmp_path):
    path = write(tmp_path, b"This is plain text saved with a .docx name.\n")
    other = tmp_path / "ok.txt"
    other.write_text("A readable document.\n")
    report = check([path, other], offline=True)
    p002 = [f for f in report.findings if f.code == "P002"]
    assert len(p002) == 1 and "not a readable zip package" in p002[0].message
    assert [d.path for d in report.documents] == [str(other)]  # the other input is still read


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(make_docx(p(t("x")))[:300], "not a readable zip package", id="truncated"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old binary Word file", id="ole-doc"),
        pytest.param(make_docx(p(t("x")), parts={"word/document.xml": "<w:document"}), "not well-formed XML",
                     id="broken-xml"),
        pytest.param(make_docx(p(t("x")), parts={"word/document.xml": "<root/>"}), "not a WordprocessingML",
                     id="wrong-root"),
        pytest.param(b"", "not a readable zip package", id="empty-file"),
    ],
)
def test_damaged_packages(data, reason):
    with pytest.raises(InputError, match=reason):
        read(data, "d.docx")


def test_zip_without_document_xml():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "not word")
    with pytest.raises(InputError, match="has no word/document.xml"):
        read(out.getvalue(), "d.docx")


def test_zip_bomb_is_refused_from_the_directory():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * 2**20
            for _ in range(120):  # 120 MiB of zeros, about 120 KB compressed
                part.write(chunk)
    data = out.getvalue()
    assert len(data) < 2**20
    started = time.monotonic()
    with pytest.raises(InputError, match="possible zip bomb"):
        read(data, "bomb.docx")
    assert time.monotonic() - started < 1


def test_compression_ratio_is_checked(monkeypatch):
    monkeypatch.setattr(reader, "MAX_UNCOMPRESSED", 10**12)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b" " * (3 * 2**20))
    with pytest.raises(InputError, match="compressed .* to 1"):
        read(out.getvalue(), "bomb.docx")


def test_a_directory_that_lies_about_sizes_cannot_make_the_reader_expand_more(monkeypatch):
    monkeypatch.setattr(reader, "MAX_RATIO", 10**9)
    body = f"<w:document {NS}><w:body>{p(t('x' * 4000))}</w:body></w:document>".encode()
    data = make_docx("", parts={"word/document.xml": body})
    # claim a tiny size in both the local header and the central directory
    size = len(body).to_bytes(4, "little")
    doctored = data.replace(size, (100).to_bytes(4, "little"))
    with pytest.raises(InputError):
        read(doctored, "liar.docx")


def test_too_many_parts_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for k in range(reader.MAX_PARTS + 1):
            z.writestr(f"word/media/{k}.bin", b"")
    with pytest.raises(InputError, match="parts, more than"):
        read(out.getvalue(), "many.docx")


def test_entity_expansion_bomb_is_refused(tmp_path):
    laughs = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{k} "{("&lol" + str(k - 1) + ";") * 10 if k > 1 else "&lol;" * 10}">' for k in range(1, 10)
    )
    bomb = f'<?xml version="1.0"?><!DOCTYPE w:document [{laughs}]><w:document {NS}><w:body>{p(t("&lol9;"))}</w:body></w:document>'
    data = make_docx("", parts={"word/document.xml": bomb})
    started = time.monotonic()
    report = check([write(tmp_path, data, "laughs.docx")], offline=True)
    assert time.monotonic() - started < 5
    [finding] = [f for f in report.findings if f.code == "P002"]
    assert "declares a DTD" in finding.message
    assert report.unreadable == (str(tmp_path / "laughs.docx"),)


def test_utf16_doctype_is_refused_too():
    bomb = f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><w:document {NS}><w:body/></w:document>'
    data = make_docx("", parts={"word/document.xml": bomb.encode("utf-16")})
    with pytest.raises(InputError, match="DTD"):
        read(data, "d.docx")


@pytest.mark.parametrize(
    ("n", "fmt", "printed"),
    [
        pytest.param(4, "decimal", "4", id="decimal"),
        pytest.param(14, "lowerRoman", "xiv", id="lower-roman"),
        pytest.param(9, "upperRoman", "IX", id="upper-roman"),
        pytest.param(28, "lowerLetter", "bb", id="letters-double-after-z"),
        pytest.param(6, "chicago", "††", id="chicago"),
    ],
)
def test_number_formats(n, fmt, printed):
    assert format_number(n, fmt) == printed


# --------------------------------------------------------------------------- the sample


def test_cli_reports_the_planted_defects_of_the_sample():
    proc = subprocess.run(
        [sys.executable, "-m", "verifier", "check", "references/sample.docx", "--offline", "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert report["documents"][0]["format"] == "docx"
    found = {(f["code"], f["location"]["line"] if f["location"] else None) for f in report["findings"]}
    planted = {("M001", 5), ("M002", 16), ("F001", 3), ("F002", 6), ("I004", 5), ("D002", 5), ("D001", 10)}
    assert planted <= found, sorted(found)
    [m001] = [f for f in report["findings"] if f["code"] == "M001"]
    assert m001["location"] == {"line": 5, "column": 112}  # paragraph 5, where the reference stands
    urls = {link["url"] for link in report["links"]}
    assert "https://lights.example.org/keepers/log-1874" in urls  # a body hyperlink
    assert "https://archive.example.org/baltic/report-1998" in urls  # a hyperlink inside a footnote


# --------------------------------------------------------------------------- a larger, real document

SEEDS = ROOT.parent / "shared" / "seeds"


def seed_as_docx(text_doc) -> bytes:
    """A seed article (read by the text reader) as Word saves it: footnote references where the markers stood,
    each URL in a note a hyperlink, one text run per sentence."""
    from xml.sax.saxutils import escape

    def runs(text: str) -> str:
        sentences = text.split(". ")
        return "".join(t(escape(s + ". ")) for s in sentences[:-1]) + t(escape(sentences[-1]))

    body = []
    for para in text_doc.paragraphs:
        out, prev = [], 0
        for offset, label in para.markers:
            out.append(runs(para.text[prev:offset]))
            out.append(fn(int(label)))
            prev = offset + len(label)
        out.append(runs(para.text[prev:]))
        body.append(p(*out))
        body.append(p())  # Word users leave empty paragraphs between paragraphs
    notes, links = {}, {}
    for note in text_doc.notes:
        xml = t(" ") + t(escape(note.text))
        for k, url in enumerate(note.urls):
            rid = f"rIdN{note.label}x{k}"
            links[rid] = escape(url)
            xml = xml.replace(escape(url), f'</w:t></w:r>{link(rid, escape(url))}<w:r><w:t xml:space="preserve">', 1)
        notes[int(note.label)] = xml
    return make_docx("".join(body), footnotes=notes, note_links=links)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")
def test_a_real_article_as_docx_reads_like_its_text(tmp_path):
    from verifier.readers.text import read as read_text

    source = SEEDS / "002_104ee1c8d63cb466.txt"
    text_doc = read_text(source.read_bytes(), str(source))
    assert len(text_doc.notes) > 50
    path = write(tmp_path, seed_as_docx(text_doc), "article.docx")
    doc = read(path.read_bytes(), str(path))
    assert [m.label for m in doc.markers] == [m.label for m in text_doc.markers]
    assert [(n.label, n.text, n.urls) for n in doc.notes] == [(n.label, n.text, n.urls) for n in text_doc.notes]
    assert len(doc.paragraphs) == len(text_doc.paragraphs)
    last = max(k for k, para in enumerate(text_doc.paragraphs, 1) if para.markers)
    assert doc.markers[-1].location.line == last  # the empty paragraphs between them are not counted
    as_text = check([source], offline=True)
    as_docx = check([path], offline=True)

    def cited(report):
        return [(c.note, c.kind, c.fields) for c in report.citations if c.note is not None]

    assert cited(as_docx) == cited(as_text)
    assert sorted((f.code, f.message) for f in as_docx.findings) == sorted((f.code, f.message) for f in as_text.findings)


def test_section_properties_override_the_settings_numbering():
    settings = f'<w:settings {NS}><w:footnotePr><w:numFmt w:val="upperRoman"/></w:footnotePr></w:settings>'
    body = p(t("One."), fn(1)) + '<w:sectPr><w:footnotePr><w:numFmt w:val="lowerLetter"/></w:footnotePr></w:sectPr>'
    doc = read(make_docx(body, footnotes={1: t(" Note, 2001.")}, parts={"word/settings.xml": settings}), "d.docx")
    assert [m.label for m in doc.markers] == ["a"]


def test_a_hyperlink_anchor_is_the_urls_fragment():
    body = p(t("See "), '<w:hyperlink r:id="rId7" w:anchor="synopsis">' + t("the manual") + "</w:hyperlink>", t("."))
    doc = read(make_docx(body, links={"rId7": "https://example.org/README.html"}), "a.docx")
    assert [link.url for link in doc.links] == ["https://example.org/README.html#synopsis"]


def _blocks_held(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many blocks the body's tree holds each time one is walked (the streaming keeps it small)."""
    held: list[int] = []
    real = reader._Walker._visit

    def visit(self, el):  # type: ignore[no-untyped-def]
        parent = el.getparent()
        if parent is not None and reader._local(parent.tag) in ("body", "footnotes"):
            held.append(len(parent))
        real(self, el)

    monkeypatch.setattr(reader._Walker, "_visit", visit)
    return held


def test_the_body_and_the_notes_are_streamed_block_by_block(monkeypatch: pytest.MonkeyPatch) -> None:
    # A 10 MB file of tiny paragraphs expanding to 90 MiB used 3 GB as one tree.
    held = _blocks_held(monkeypatch)
    body = p(t("A claim."), fn(1)) + "".join(p(t(f"w{i}")) for i in range(10000)) + p(t("See https://after.example.org/x."))
    doc = read(make_docx(body, footnotes={n: t(f"Smith, Book {n} (London: P, 1999).") for n in range(1, 300)}), "big.docx")
    assert len(doc.paragraphs) == 10002 and doc.paragraphs[-1].text == "See https://after.example.org/x."
    assert len(doc.notes) == 299 and [m.label for m in doc.markers] == ["1"]
    # The tree holds what the parser has read ahead (a chunk of the part), never the whole body.
    assert len(held) == 10002 + 299 and max(held) < 2500


def test_past_the_paragraph_limit_the_rest_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_PARAGRAPHS", 100)
    doc = read(make_docx("".join(p(t(f"w{i}")) for i in range(250))), "long.docx")
    assert len(doc.paragraphs) == 100
    [p002] = [d for d in doc.diagnostics if d.code == "P002"]
    assert "Only the first 100 paragraphs of the document were read" in p002.message


def test_libxml2_advice_to_programmers_is_not_shown() -> None:
    deep = "<w:sdt>" * 300 + p(t("x")) + "</w:sdt>" * 300
    with pytest.raises(InputError) as caught:
        read(make_docx(deep), "deep.docx")
    assert "not well-formed XML" in caught.value.reason and "XML_PARSE_HUGE" not in caught.value.reason
