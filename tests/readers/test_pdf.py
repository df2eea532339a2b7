"""The PDF reader: pages, page-bottom footnotes, superscript markers, link annotations, damaged files.

The PDFs are written in the tests with ``references/make_pdf.py`` (Helvetica
text in hand-written content streams, note markers as real superscripts,
footnotes in smaller type under a drawn rule, link annotations), so every
fixture shows what it holds.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import pytest
from pypdf import PdfReader, PdfWriter

from verifier.errors import InputError
from verifier.model import Document, Marker
from verifier.readers import pdf
from verifier.readers.text import parse_text

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"


def _load_maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_pdf", ROOT / "references" / "make_pdf.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_pdf"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


mk = _load_maker()


def two_pages() -> list:
    """Body with superscript markers; notes under a rule on two pages; note 2 runs on to page 2."""
    first = mk.flow(
        [
            "The river was first charted in 1821.^{1} Its delta moved twice in a",
            "century, and the charts of 1850 show the old channel.^{2} Boats",
        ],
        [
            "^{1} Anna Smith, The River Charts (London: Verso, 2001), 4.",
            "^{2} Bob Jones, \u201cOld Channels,\u201d Journal of Rivers 3, no. 2 (1999): 11\u201319, see",
        ],
        1,
    )
    second = mk.flow(
        ["still use it at high water.^{3}"],
        [
            "also the survey maps of 1901.",
            "^{3} Carl Berg, \u201cHigh Water,\u201d 2015, https://www.rivers.example.org/high-",
            "water/report.html.",
        ],
        2,
    )
    second.links.append(mk.Link(mk.rect_of(second, "https://www.rivers"), "https://www.rivers.example.org/high-water/report.html"))
    return [first, second]


def read(pages: list) -> Document:
    return pdf.read(mk.build_pdf(pages), "doc.pdf")


# --------------------------------------------------------------------------- pages, notes, markers


def test_notes_at_the_bottom_of_each_page_located_by_page():
    doc = read(two_pages())
    assert [(n.label, n.location.line) for n in doc.notes] == [("1", 1), ("2", 1), ("3", 2)]
    assert [(m.label, m.location.line) for m in doc.markers] == [("1", 1), ("2", 1), ("3", 2)]
    assert doc.format == "pdf"


def test_a_note_continued_on_the_next_page_is_one_note():
    doc = read(two_pages())
    note = {n.label: n for n in doc.notes}["2"]
    assert note.text.endswith("11–19, see also the survey maps of 1901.")
    # and the body paragraph runs on across the page break, without the page number
    body = " ".join(p.text for p in doc.paragraphs)
    assert "Boats still use it at high water." in body
    assert not re.search(r"\b[12]\b(?! no)", body.replace("1821", "").replace("1850", ""))


def test_superscript_markers_become_markers_even_after_plain_words():
    page = mk.flow(["Smith argued this^{1} and Jones denied it^{2} in print."], ["^{1} A. Smith, Book (1990).", "^{2} B. Jones, Book (1991)."], 1)
    doc = read([page])
    assert [m.label for m in doc.markers] == ["1", "2"]
    assert [n.text for n in doc.notes] == ["A. Smith, Book (1990).", "B. Jones, Book (1991)."]


def test_small_digits_that_are_not_markers_stay_text():
    # a subscript (lowered) and an exponent after an operator are not note markers
    page = mk.Page(lines=[
        mk.Line(700, "Water is H"), mk.Line(697, "2", 7, 130), mk.Line(700, "O and x is 10 to the power -^{3}.", 11, 137),
        mk.Line(680, "A circle is x^{2} + y^{2} = r^{2}, and the series runs as x^{2}k for every k."),  # exponents
        mk.Line(660, "Only this word carries a note.^{1}"),
    ])
    doc = read([page])
    assert [m.label for m in doc.markers] == ["1"]


def test_a_url_broken_across_lines_is_confirmed_by_its_annotation():
    doc = read(two_pages())
    note = {n.label: n for n in doc.notes}["3"]
    assert note.urls == ("https://www.rivers.example.org/high-water/report.html",)
    assert not [d for d in doc.diagnostics if d.code in ("P001", "F004")]


def test_page_numbers_and_running_heads_are_not_text():
    pages = [
        mk.flow([f"A Short History of Rivers {n}", f"Body text of page {n} goes on and on."], [], n) for n in range(1, 6)
    ]
    doc = read(pages)
    text = " ".join(p.text for p in doc.paragraphs)
    assert "Short History" not in text
    assert text.count("Body text of page") == 5


def test_notes_and_markers_of_a_plain_size_pdf_still_found():
    # every line the same size, markers glued to punctuation, a text rule: the plain-text logic applies
    page = mk.Page(lines=[
        mk.Line(700, "The first claim.1 The second claim.2"),
        mk.Line(300, "____________"),
        mk.Line(280, "1 A. Smith, Book (London: Verso, 1990), 3."),
        mk.Line(266, "2 B. Jones, Other Book (Paris: Seuil, 1991), 4."),
    ])
    doc = read([page])
    assert [n.label for n in doc.notes] == ["1", "2"]
    assert [m.label for m in doc.markers] == ["1", "2"]


def test_small_print_that_is_not_notes_stays_body():
    # a table set small at a page's bottom: its numbers do not count up, nothing in the body refers to them
    page = mk.flow(["The header holds these fields:"], ["2 CARD16 MAJOR_VERSION", "2 CARD16 MINOR_VERSION", "4 CARD32 OFFSET"], 1)
    page.rules.clear()
    doc = read([page])
    assert doc.notes == ()
    assert "CARD16" in " ".join(p.text for p in doc.paragraphs)


# --------------------------------------------------------------------------- link annotations


def test_a_damaged_url_is_restored_from_the_annotation_and_said_so():
    page = mk.flow(
        ["A survey was published.^{1}"],
        ["^{1} Heritage Trust, \u201cSurvey,\u201d https://heritage.example.org/survey/skarv-", "accessed May 2, 2021."],
        1,
    )
    page.links.append(mk.Link(mk.rect_of(page, "https://heritage"), "https://heritage.example.org/survey/skarv-point"))
    doc = read([page])
    note = doc.notes[0]
    assert note.urls == ("https://heritage.example.org/survey/skarv-point",)
    assert note.damaged_urls == ()
    assert "skarv-point accessed May 2, 2021." in note.text
    said = [d for d in doc.diagnostics if d.code == "P001"]
    assert len(said) == 1 and "link annotation" in said[0].message and said[0].location.line == 1
    assert not [d for d in doc.diagnostics if d.code == "F004"]


def test_a_damaged_url_with_no_annotation_stays_damaged():
    page = mk.flow(["A log.^{1}"], ["^{1} Keeper's log, https://www.coastarchive.example/logs/keeper-", "1887 volume, 12."], 1)
    doc = read([page])
    assert doc.notes[0].damaged_urls == ("https://www.coastarchive.example/logs/keeper-",)
    assert [d.code for d in doc.diagnostics] == ["F004"]


def test_two_annotations_that_could_complete_a_damaged_url_are_not_guessed_between():
    page = mk.flow(["A log.^{1}"], ["^{1} Log, https://archive.example.org/logs/keeper-", "1887 volume, 12."], 1)
    page.links.append(mk.Link((300, 400, 400, 410), "https://archive.example.org/logs/keeper-1887"))
    page.links.append(mk.Link((300, 500, 400, 510), "https://archive.example.org/logs/keeper-1888"))
    doc = read([page])
    assert doc.notes[0].damaged_urls == ("https://archive.example.org/logs/keeper-",)
    # the two annotated URLs are in the document (as body links), but neither is put into the note
    assert {h.url for h in doc.links} == {"https://archive.example.org/logs/keeper-1887", "https://archive.example.org/logs/keeper-1888"}


def test_a_hyphen_at_a_line_break_inside_a_url_follows_the_annotation():
    page = mk.flow(
        ["See the report.^{1}"],
        ["^{1} Harbour Board, Report, https://www.harbour.example.org/light-", "house/report.html, 2004."],
        1,
    )
    page.links.append(mk.Link(mk.rect_of(page, "https://www.harbour"), "https://www.harbour.example.org/lighthouse/report.html"))
    doc = read([page])
    assert doc.notes[0].urls == ("https://www.harbour.example.org/lighthouse/report.html",)
    assert "re-joined ambiguously" in [d for d in doc.diagnostics if d.code == "P001"][0].message


def test_a_url_cut_short_at_a_line_break_is_completed_from_the_annotation():
    # the break falls after a comma, where a URL usually ends: only the annotation says it goes on
    page = mk.flow(["See the search.^{1}"], ["^{1} Archive search, https://archive.example.org/search?q=light,", "keepers&page=2, 2020."], 1)
    page.links.append(mk.Link(mk.rect_of(page, "https://archive"), "https://archive.example.org/search?q=light,keepers&page=2"))
    doc = read([page])
    assert doc.notes[0].urls == ("https://archive.example.org/search?q=light,keepers&page=2",)
    assert doc.notes[0].text == "Archive search, https://archive.example.org/search?q=light,keepers&page=2, 2020."
    assert "cut short" in [d for d in doc.diagnostics if d.code == "P001"][0].message


def test_an_annotated_url_over_a_note_run_on_to_the_next_page_joins_that_note():
    pages = two_pages()
    pages[1].links.append(mk.Link(mk.rect_of(pages[1], "survey maps"), "https://maps.example.org/survey-1901"))
    doc = read(pages)
    note = {n.label: n for n in doc.notes}["2"]
    assert note.urls == ("https://maps.example.org/survey-1901",)
    assert doc.links == ()


def test_an_annotated_url_the_text_lost_is_added_to_its_note_or_the_body():
    page = mk.flow(
        ["The station has a web site.^{1} The trust published its survey online."],
        ["^{1} Coastal Trust, Station pages (2019)."],
        1,
    )
    page.links.append(mk.Link(mk.rect_of(page, "Station pages"), "https://trust.example.org/station"))
    page.links.append(mk.Link(mk.rect_of(page, "survey online"), "https://trust.example.org/survey.pdf"))
    page.links.append(mk.Link(mk.rect_of(page, "web site"), "mailto:keeper@trust.example.org"))
    doc = read([page])
    assert doc.notes[0].urls == ("https://trust.example.org/station",)
    assert [(h.url, h.location.line) for h in doc.links] == [("https://trust.example.org/survey.pdf", 1)]


# --------------------------------------------------------------------------- files that cannot be read


def _encrypted(user: str, owner: str, algorithm: str = "RC4-128") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(mk.build_pdf(two_pages()))))
    writer.encrypt(user_password=user, owner_password=owner, algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_an_encrypted_pdf_with_a_password_is_reported(algorithm: str):
    with pytest.raises(InputError, match="encrypted and needs a password"):
        pdf.read(_encrypted("secret", "owner", algorithm), "locked.pdf")


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_an_encrypted_pdf_with_an_empty_user_password_is_read(algorithm: str):
    # "restricted" PDFs (no printing, no copying) open for reading without a password
    doc = pdf.read(_encrypted("", "owner", algorithm), "restricted.pdf")
    assert [n.label for n in doc.notes] == ["1", "2", "3"]


@pytest.mark.parametrize(
    "data, reason",
    [
        pytest.param(b"", "not a PDF", id="empty"),
        pytest.param(b"PK\x03\x04 a zip file", "not a PDF", id="zip-named-pdf"),
        pytest.param(mk.build_pdf(two_pages())[:700], "damaged or truncated", id="truncated"),
        pytest.param(b"%PDF-1.7\n" + bytes(range(256)) * 8, "damaged or truncated", id="garbage-after-header"),
    ],
)
def test_a_file_that_is_not_a_readable_pdf_is_an_input_error(data: bytes, reason: str):
    with pytest.raises(InputError, match=reason):
        pdf.read(data, "bad.pdf")


def test_a_pdf_without_a_text_layer_asks_for_ocr():
    scan = mk.Page(rules=[300, 400])  # drawings only, as a scanned page is an image and no text
    with pytest.raises(InputError, match="no text layer.*OCR"):
        read([scan, scan])


def test_repairable_damage_is_read_quietly(caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]):
    data = mk.build_pdf(two_pages())
    broken = re.sub(rb"startxref\n\d+", b"startxref\n999999", data)  # pypdf logs and rebuilds the xref
    with caplog.at_level(logging.DEBUG):
        doc = pdf.read(broken, "repaired.pdf")
    assert [n.label for n in doc.notes] == ["1", "2", "3"]
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]
    assert capsys.readouterr().err == ""


def test_a_page_that_cannot_be_decoded_is_reported_and_the_others_read():
    pages = [mk.flow(["Page one text.^{1}"], ["^{1} A. Smith, Book (London: Verso, 1990)."], 1), mk.flow(["Two."], [], 2)]
    data = mk.build_pdf(pages)
    second = [m.start() for m in re.finditer(rb"<< /Length", data)][1]
    data = data[:second] + data[second:].replace(b"<< /Length", b"<< /Filter /NoSuchFilter /Length", 1)
    doc = pdf.read(data, "half.pdf")
    assert [n.label for n in doc.notes] == ["1"]
    problem = [d for d in doc.diagnostics if d.code == "P002"]
    assert len(problem) == 1 and problem[0].location.line == 2 and "could not be decoded (2)" in problem[0].message


def test_pages_past_the_cap_are_left_out_and_said_so(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(pdf, "MAX_PAGES", 2)
    pages = [mk.flow([f"Page {n} text.^{{{n}}}"], [f"^{{{n}}} Author {n}, Book (London: Verso, 1990)."], n) for n in (1, 2, 3)]
    doc = read(pages)
    assert [n.label for n in doc.notes] == ["1", "2"]
    cap = [d for d in doc.diagnostics if d.code == "P002"]
    assert len(cap) == 1 and "first 2 of the PDF's 3 pages" in cap[0].message


# --------------------------------------------------------------------------- the sample and a real chapter


def test_the_committed_sample_is_what_make_pdf_writes():
    assert (ROOT / "references" / "sample.pdf").read_bytes() == mk.sample(), "run python references/make_pdf.py"


def test_the_sample_reads_with_its_defects_on_their_pages():
    doc = pdf.read((ROOT / "references" / "sample.pdf").read_bytes(), "sample.pdf")
    assert [(n.label, n.location.line) for n in doc.notes] == [
        ("1", 1), ("2", 1), ("3", 1), ("4", 1), ("5", 2), ("6", 2), ("7", 2), ("9", 2)
    ]
    notes = {n.label: n for n in doc.notes}
    assert notes["4"].urls == (mk.SAMPLE_URL_4,)  # broken across the page break, confirmed by two annotations
    assert notes["9"].urls == (mk.SAMPLE_URL_9,)  # cut off in the text, restored from the annotation
    assert notes["7"].damaged_urls == ("https://www.coastarchive.example/logs/keeper-",)
    assert [h.url for h in doc.links] == [mk.SAMPLE_SURVEY]
    assert ("8", 2) in [(m.label, m.location.line) for m in doc.markers]


def _seed_as_pdf(text: str, markers: Sequence[Marker]) -> tuple[bytes, int]:
    """Typeset a PDF-extracted chapter again: its pages, notes in small type, superscript markers, annotations.

    ``markers`` are the ones the text reader found in it: they are set as superscripts.
    """
    at: dict[int, list[tuple[int, str]]] = {}
    for m in markers:
        at.setdefault(m.location.line, []).append((m.location.column or 1, m.label))
    pages: list = []
    body: list[str] = []
    notes: list[str] = []
    links: list[str] = []
    state = "body"
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            if len(line) >= 20:
                state = "notes"
            continue
        if state != "body" and (line[:1] == " " or (state == "annotations" and " " in stripped)):
            pages.append((body, notes, links))  # the next page's body, as the extraction starts it
            body, notes, links, state = [], [], [], "body"
        if state == "body":
            if re.fullmatch(r"\d{1,4}", stripped):
                continue  # the page number
            out, pos = [], 0
            for col, label in sorted(at.get(lineno, [])):
                out.append(stripped[pos : col - 1] + "^{" + label + "}")
                pos = col - 1 + len(label)
            body.append("".join(out) + stripped[pos:])
        elif " " not in stripped and stripped.startswith("http") and stripped in "".join(notes).replace(" ", ""):
            state = "annotations"
            links.append(stripped)  # in the PDF these were link annotations, not text
        elif state == "annotations":
            links[-1] += stripped  # an annotation's URI the extraction broke over two lines
        else:
            m = re.match(r"(\d{1,3}) (.*)", stripped)
            notes.append(f"^{{{m.group(1)}}} {m.group(2)}" if m else stripped)
    pages.append((body, notes, links))
    typeset = []
    for n, (b, ns, ls) in enumerate(pages, 1):
        page = mk.flow(b, ns, n)
        for i, uri in enumerate(dict.fromkeys(ls)):
            page.links.append(mk.Link((72, 60 + i, 540, 61 + i), uri))
        typeset.append(page)
    return mk.build_pdf(typeset), len(pages)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")
def test_a_real_chapter_typeset_as_pdf_reads_like_its_text():
    seed = next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8")
    from_text = parse_text(seed, "chapter.txt")
    data, page_count = _seed_as_pdf(seed, from_text.markers)
    from_pdf = pdf.read(data, "chapter.pdf")
    assert [n.label for n in from_pdf.notes] == [n.label for n in from_text.notes]
    typeable = {u for n in from_text.notes for u in n.urls if u.encode("cp1252", errors="ignore").decode("cp1252") == u}
    assert {u for n in from_pdf.notes for u in n.urls} >= typeable
    assert [m.label for m in from_pdf.markers] == [m.label for m in from_text.markers]
    pages = [n.location.line for n in from_pdf.notes]
    assert pages == sorted(pages) and 1 <= pages[0] and pages[-1] <= page_count


# --------------------------------------------------------------------------- through the pipeline and the command


def test_each_unparsable_note_on_one_page_is_reported(tmp_path: Path):
    import verifier

    page = mk.flow(
        ["One.^{1} Two.^{2} Three.^{3}"],
        ["^{1} Xq zzkw vvv.", "^{2} Qqq rrrr ppp.", "^{3} A. Smith, Book (London: Verso, 1990)."],
        1,
    )
    (tmp_path / "notes.pdf").write_bytes(mk.build_pdf([page]))
    report = verifier.check([tmp_path / "notes.pdf"], offline=True)
    unparsed = [(f.location.line, f.message) for f in report.findings if f.code == "P001"]
    assert [line for line, _ in unparsed] == [1, 1]  # both on page 1, neither hides the other
    assert "Note 1" in unparsed[0][1] and "Note 2" in unparsed[1][1]


def test_a_folder_with_broken_pdfs_still_reports_the_good_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    import json

    from verifier.cli import main

    (tmp_path / "good.pdf").write_bytes(mk.build_pdf(two_pages()))
    (tmp_path / "locked.pdf").write_bytes(_encrypted("secret", "owner"))
    (tmp_path / "cut.pdf").write_bytes(mk.build_pdf(two_pages())[:600])
    (tmp_path / "scan.pdf").write_bytes(mk.build_pdf([mk.Page(rules=[300])]))
    status = main(["check", str(tmp_path), "--offline", "--format", "json"])
    out = capsys.readouterr()
    assert status == 2  # inputs that could not be read at all
    assert "Traceback" not in out.err
    report = json.loads(out.out)
    unreadable = {Path(f["document"]).name: f["message"] for f in report["findings"] if f["code"] == "P002"}
    assert set(unreadable) == {"locked.pdf", "cut.pdf", "scan.pdf"}
    assert "password" in unreadable["locked.pdf"] and "OCR" in unreadable["scan.pdf"]
    assert [(Path(d["path"]).name, d["notes"]) for d in report["documents"]] == [("good.pdf", 3)]


def _pdf_with_streams(contents: list[bytes], shared: bool, extra_ops: int = 0) -> bytes:
    """A PDF of one page per content stream (or ``len(contents)`` pages drawing the first one when ``shared``)."""
    import zlib

    from pypdf.generic import DictionaryObject, NameObject, StreamObject

    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    }))
    resources = writer._add_object(DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}))
    refs = []
    for body in contents[:1] if shared else contents:
        stream = StreamObject()
        stream._data = zlib.compress(body + b"1 0 0 1 0 0 cm\n" * extra_ops)
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        refs.append(writer._add_object(stream))
    for i in range(len(contents)):
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Contents")] = refs[0 if shared else i]
        page[NameObject("/Resources")] = resources
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _text(words: str) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td (" + words.encode() + b") Tj ET\n"


def test_a_content_stream_shared_by_many_pages_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The case, smaller: 2,000 pages drawing one 100k-operator stream took an hour.
    calls, texts = [], []
    real, shared = pdf._page_lines, pdf._shared_page_lines

    def spy(page, seen):  # type: ignore[no-untyped-def]
        lines = shared(page, seen)
        texts.append(" ".join(line.text for line in lines))
        return lines

    monkeypatch.setattr(pdf, "_page_lines", lambda page: calls.append(page) or real(page))
    monkeypatch.setattr(pdf, "_shared_page_lines", spy)
    data = _pdf_with_streams([_text("See https://example.org/shared for the rest.")] * 300, shared=True, extra_ops=2000)
    doc = pdf.read(data, "shared.pdf")
    assert len(calls) == 1
    assert len(texts) == 300 and all("https://example.org/shared" in t for t in texts)  # every page has its text
    assert [d for d in doc.diagnostics if d.code == "P002"] == []


def test_pages_with_their_own_streams_are_each_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = pdf._page_lines
    monkeypatch.setattr(pdf, "_page_lines", lambda page: calls.append(page) or real(page))
    pdf.read(_pdf_with_streams([_text(f"Page {i} text.") for i in range(5)], shared=False), "own.pdf")
    assert len(calls) == 5


def test_a_decompression_bomb_is_named_as_such() -> None:
    bomb = b" " * 80_000_000  # past pypdf's 75 MB output limit; about 80 KB compressed
    with pytest.raises(InputError, match=r"expands beyond the limit \(possible decompression bomb\)"):
        pdf.read(_pdf_with_streams([bomb], shared=False), "bomb.pdf")


def test_a_bomb_page_is_reported_and_the_other_pages_are_read() -> None:
    data = _pdf_with_streams([_text("A good page with a claim."), b" " * 80_000_000], shared=False)
    doc = pdf.read(data, "mixed.pdf")
    [p002] = [d for d in doc.diagnostics if d.code == "P002"]
    assert "1 page of the PDF (2) expands beyond the limit (possible decompression bomb)" in p002.message
    assert p002.location is not None and p002.location.line == 2


def test_pages_past_the_document_budget_are_reported_and_those_read_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    from verifier import budget

    asked = []
    monkeypatch.setattr(budget, "expired", lambda: asked.append(1) or len(asked) > 1)  # asked before page 2, 3…
    monkeypatch.setattr(budget, "seconds", lambda: 5.0)
    data = _pdf_with_streams([_text(f"Page {n} says something.") for n in range(1, 6)], shared=False)
    doc = pdf.read(data, "slow.pdf")
    [p001] = [d for d in doc.diagnostics if "--document-timeout" in d.message]
    assert p001.code == "P001" and p001.location is not None and p001.location.line == 3
    assert "Only the first 2 of the PDF's 5 pages were read within --document-timeout (5 s)" in p001.message
    text = " ".join(p.text for p in doc.paragraphs)
    assert "Page 1 says" in text and "Page 2 says" in text and "Page 3" not in text


# --------------------------------------------------------------------------- a reference list and footnotes


def test_a_page_footnote_below_a_reference_list_is_a_note_and_the_list_is_entries():
    page = mk.flow([
        "Rivers move their beds slowly, as the surveys show.^{1} The charts agree [1].",
        "Later surveys confirm it [2].",
        "",
        "References",
        "[1] A. Smith, The River Charts, London: Verso, 2001.",
        "[2] B. Jones, Old Channels, Journal of Rivers 3 (1999): 11-19.",
    ], ["^{1} The survey of 1901 is lost; see C. Berg, High Water, 2015."], 1)
    doc = read([page])
    assert [(n.label, n.text) for n in doc.notes] == [("1", "The survey of 1901 is lost; see C. Berg, High Water, 2015.")]
    assert [(e.key, e.text) for e in doc.entries] == [
        ("1", "A. Smith, The River Charts, London: Verso, 2001."),
        ("2", "B. Jones, Old Channels, Journal of Rivers 3 (1999): 11-19."),
    ]
    assert [m.label for m in doc.markers] == ["1"]
    assert [k.key for k in doc.keys] == ["1", "2"]


def two_columns(left_notes: list[str], right_notes: list[str]) -> list:
    """A two-column page (text column by column, as LaTeX writes it), footnotes at the foot of either column."""
    page = mk.Page()
    left = ["The river was first charted in", "1821 by the harbour board.^{1} Its", "delta moved twice in a century,",
            "and the charts show the old", "channel as it was in 1850."]
    right = ["Boats still use the channel at", "high water, as the keepers note.^{2}", "The board's records end in",
             "1904, when a flood took the", "office and most of its papers."]
    for column, x, notes in ((left, 72, left_notes), (right, 320, right_notes)):
        for i, text in enumerate(column):
            page.lines.append(mk.Line(720 - 14 * i, text, 11, x))
        for i, text in enumerate(notes):
            page.lines.append(mk.Line(84 - 10 * i, text, 8.5, x))
    page.lines.append(mk.Line(40, "1", 10, 300))
    return [page]


def test_a_footnote_at_the_foot_of_the_left_column_is_found():
    doc = read(two_columns(["^{1} Anna Smith, The River Charts (London:", "Verso, 2001), 4."], []))
    assert [(n.label, n.text) for n in doc.notes] == [("1", "Anna Smith, The River Charts (London: Verso, 2001), 4.")]
    body = " ".join(p.text for p in doc.paragraphs)
    assert "as it was in 1850. Boats still use the channel" in body  # the columns join, the note is not in between
    assert "Anna Smith" not in body


def test_footnotes_at_the_foot_of_both_columns_keep_their_order():
    doc = read(two_columns(["^{1} Anna Smith, The River Charts, 2001, 4."], ["^{2} Bob Jones, Old Channels, 1999, 11."]))
    assert [(n.label, n.text) for n in doc.notes] == [
        ("1", "Anna Smith, The River Charts, 2001, 4."), ("2", "Bob Jones, Old Channels, 1999, 11."),
    ]
    assert [m.label for m in doc.markers] == ["1", "2"]


def test_small_print_at_a_column_foot_that_no_marker_cites_stays_body():
    doc = read(two_columns(["Figure 3. The delta in 1850, after the survey."], []))
    assert not doc.notes
    assert "Figure 3. The delta in 1850" in " ".join(p.text for p in doc.paragraphs)
