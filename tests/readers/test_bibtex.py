"""The BibTeX reader: entries with structured fields, failed blocks as P001, duplicate keys as D001."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import verifier
from verifier.errors import InputError
from verifier.model import Kind, Person
from verifier.readers import format_for
from verifier.readers.bibtex import latex_to_text, parse_bib, read

FIXTURES = Path(__file__).parent / "fixtures" / "bibtex"


def one(bib: str):
    doc = read(bib.encode(), "refs.bib")
    assert len(doc.entries) == 1, doc.entries
    return doc.entries[0]


def codes(report) -> Counter[str]:
    return Counter(f.code for f in report.findings)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- fields


def test_article_fields_are_mapped_from_bibtex():
    entry = one(
        "\n\n@article{smith2004,\n"
        "  author = {Smith, Anna and M{\\\"u}ller, J{\\\"o}rg},\n"
        "  title = {The {Baltic} Light: a {\\em Study}},\n"
        "  journal = {Journal of Cold Studies}, volume = 12, number = {4},\n"
        "  year = 2004, month = mar, pages = {12--34},\n"
        "  doi = {10.1234/jcs.2004.12}, url = {https://example.org/a\\_b},\n"
        "}\n"
    )
    assert entry.key == "smith2004"
    assert entry.location.line == 3
    assert entry.kind is Kind.ARTICLE
    f = entry.fields
    assert f.authors == (Person(family="Smith", given="Anna"), Person(family="Müller", given="Jörg"))
    assert f.title == "The Baltic Light: a Study"
    assert (f.container, f.volume, f.issue, f.date, f.pages) == ("Journal of Cold Studies", "12", "4", "2004-03", "12-34")
    assert f.doi == "10.1234/jcs.2004.12"
    assert f.url == "https://example.org/a_b"
    assert entry.text.startswith("@article{smith2004,")


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        pytest.param("{World Health Organization}", (Person(literal="World Health Organization"),), id="corporate-braced"),
        pytest.param("von Neumann, Jr., John", (Person(family="von Neumann Jr.", given="John"),), id="von-last-jr-first"),
        pytest.param("Jane Q. Public", (Person(family="Public", given="Jane Q."),), id="first-last"),
        pytest.param("Doe, J. and others", (Person(family="Doe", given="J."),), id="and-others-dropped"),
        pytest.param("{\\'E}mile Zola", (Person(family="Zola", given="Émile"),), id="accent-decoded"),
        pytest.param("{Barnes and Noble}", (Person(literal="Barnes and Noble"),), id="and-inside-braces"),
    ],
)
def test_names_are_split_the_bibtex_way(author: str, expected: tuple[Person, ...]):
    assert one(f"@book{{k, author = {{{author}}}, title = {{T}}, year = 2000}}").fields.authors == expected


@pytest.mark.parametrize(
    ("fields", "date"),
    [
        pytest.param("year = {1995}", "1995", id="year"),
        pytest.param("year = 1995, month = dec", "1995-12", id="month-macro"),
        pytest.param("year = 1995, month = {December}", "1995-12", id="month-name"),
        pytest.param("year = 1995, month = 7, day = 4", "1995-07-04", id="month-number-and-day"),
        pytest.param("date = {2015-03-05}", "2015-03-05", id="biblatex-date"),
        pytest.param("date = {2015-03/2016}", "2015-03", id="biblatex-range-start"),
        pytest.param("year = {n.d.}", None, id="no-year"),
    ],
)
def test_dates_become_iso(fields: str, date: str | None):
    assert one(f"@misc{{k, title = {{T}}, {fields}}}").fields.date == date


@pytest.mark.parametrize(
    ("entry_type", "kind"),
    [
        pytest.param("article", Kind.ARTICLE, id="article"),
        pytest.param("book", Kind.BOOK, id="book"),
        pytest.param("inproceedings", Kind.CHAPTER, id="inproceedings"),
        pytest.param("incollection", Kind.CHAPTER, id="incollection"),
        pytest.param("techreport", Kind.REPORT, id="techreport"),
        pytest.param("phdthesis", Kind.REPORT, id="phdthesis"),
        pytest.param("online", Kind.WEB, id="online"),
        pytest.param("manual", Kind.DOCUMENT, id="manual"),
        pytest.param("ARTICLE", Kind.ARTICLE, id="type-case-insensitive"),
    ],
)
def test_kind_from_entry_type(entry_type: str, kind: Kind):
    assert one(f"@{entry_type}{{k, title = {{T}}, year = 2000}}").kind is kind


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        pytest.param("url = {https://example.org/page}", Kind.WEB, id="misc-with-url"),
        pytest.param("publisher = {Verso}", Kind.BOOK, id="misc-with-publisher"),
        pytest.param("journal = {J}, volume = 3", Kind.ARTICLE, id="misc-in-a-journal"),
    ],
)
def test_misc_kind_from_its_fields(fields: str, kind: Kind):
    assert one(f"@misc{{k, title = {{T}}, {fields}}}").kind is kind


def test_book_publisher_place_isbn_and_access_date():
    f = one(
        "@book{k, author = {Lewis, David}, title = {Tyranny}, publisher = {Verso}, address = {London},"
        " year = 2008, isbn = {978-0-306-40615-7}, urldate = {2020-01-02}, url = {http://x.org}}"
    ).fields
    assert (f.publisher, f.place, f.isbn, f.accessed) == ("Verso", "London", "978-0-306-40615-7", "2020-01-02")
    assert f.container is None  # a book's booktitle-like fields are not a container


def test_string_macros_and_concatenation_are_resolved():
    doc = read(
        b'@string{jcs = "Journal of Cold Studies"}\n'
        b"@article{k, title = {T}, journal = jcs # { (Special Issue)}, year = 2001}\n",
        "refs.bib",
    )
    assert doc.entries[0].fields.container == "Journal of Cold Studies (Special Issue)"
    assert doc.diagnostics == ()


def test_an_undefined_macro_is_reported_where_it_is_used():
    doc = read(b"@article{k,\n  title = {T},\n  journal = jcs,\n  year = 2001}\n", "refs.bib")
    (diag,) = doc.diagnostics
    assert diag.code == "P001" and diag.location.line == 3
    assert "jcs" in diag.message


def test_crossref_fills_the_gaps_from_the_parent():
    doc = read(
        b"@incollection{ch, author = {Kassymova, Dina}, title = {Water}, crossref = {vol}, pages = {23--41}}\n"
        b"@collection{vol, editor = {Jones, Peter}, title = {Rivers}, publisher = {CUP}, year = 2017}\n",
        "refs.bib",
    )
    ch = doc.entries[0].fields
    assert (ch.title, ch.container, ch.date, ch.publisher, ch.pages) == ("Water", "Rivers", "2017", "CUP", "23-41")
    assert ch.editors == (Person(family="Jones", given="Peter"),)
    assert ch.authors == (Person(family="Kassymova", given="Dina"),)


def test_comments_preambles_and_strings_are_not_entries():
    doc = read(
        b'% a comment line\n@comment{ not an entry }\n@preamble{ "\\newcommand{\\x}{}" }\n@string{a = "b"}\n'
        b"@book{only, title = {T}, year = 2000}\n",
        "refs.bib",
    )
    assert [e.key for e in doc.entries] == ["only"]
    assert doc.entries[0].location.line == 5


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        pytest.param("Caf{\\'e}", "Café", id="acute"),
        pytest.param("{\\c{C}}elik", "Çelik", id="cedilla"),
        pytest.param("\\v{S}koda", "Škoda", id="caron"),
        pytest.param("Stra{\\ss}e", "Straße", id="eszett"),
        pytest.param("{\\O}re", "Øre", id="slashed-o"),
        pytest.param("1890--1914", "1890–1914", id="en-dash"),
        pytest.param("R\\&D", "R&D", id="ampersand"),
        pytest.param("{{Nested}} {Braces}", "Nested Braces", id="braces"),
    ],
)
def test_latex_is_decoded_to_unicode(latex: str, text: str):
    assert latex_to_text(latex) == text


# ----------------------------------------------------------------------------- errors as data


def test_a_failed_block_is_p001_at_its_line_and_the_rest_is_read():
    doc = read((FIXTURES / "broken.bib").read_bytes(), "broken.bib")
    assert [e.key for e in doc.entries] == ["first", "after"]
    (diag,) = doc.diagnostics
    assert diag.code == "P001"
    assert diag.location.line == 8
    assert "unbalanced" in diag.message


def test_a_duplicate_key_is_d001_and_both_entries_are_checked():
    doc = read(
        b"@article{dup, title = {One}, journal = {J}, year = 2001}\n\n"
        b"@article{dup, title = {Two}, journal = {J}, year = 2002, doi = {11.1/bad}}\n",
        "refs.bib",
    )
    assert [e.fields.title for e in doc.entries] == ["One", "Two"]
    (diag,) = doc.diagnostics
    assert (diag.code, diag.location.line) == ("D001", 3)
    assert "lines 1 and 3" in diag.message


def test_a_field_given_twice_is_p001_and_the_entry_still_read():
    doc = read(b"@book{k, title = {A}, title = {B}, year = 2000}\n", "refs.bib")
    assert [e.key for e in doc.entries] == ["k"]
    assert [d.code for d in doc.diagnostics] == ["P001"]
    assert "title" in doc.diagnostics[0].message


def test_an_entry_without_a_key_is_reported_and_skipped():
    doc = read(b"@book{, title = {Keyless}}\n@book{k, title = {T}}\n", "refs.bib")
    assert [e.key for e in doc.entries] == ["k"]
    assert [(d.code, d.location.line) for d in doc.diagnostics] == [("P001", 1)]


def test_text_that_is_no_bibtex_says_so():
    doc = read(b"This is just a note to myself.\nNothing here.\n", "notes.bib")
    assert doc.entries == ()
    assert [d.code for d in doc.diagnostics] == ["P001"]


def test_a_binary_file_is_unreadable():
    with pytest.raises(InputError):
        read(b"\x00\x01\x02PK\x03\x04" * 100, "refs.bib")


def test_latin1_bytes_are_still_read():
    doc = read("@book{k, author = {Müller, Jörg}, title = {T}, year = 2000}".encode("cp1252"), "refs.bib")
    assert doc.entries[0].fields.authors == (Person(family="Müller", given="Jörg"),)


def test_messages_name_the_file_when_asked():
    parsed = parse_bib("@book{a, title = {A}}\n@book{a, title = {B}}\n", name="refs.bib")
    assert parsed.diagnostics[0].message.startswith("In refs.bib, entry key “a”")


def test_bib_extension_is_registered():
    assert format_for(Path("x/refs.bib")) == "bibtex"


# ----------------------------------------------------------------------------- through the pipeline


def test_bib_alone_reports_duplicates_and_identifiers_but_never_unused_entries(tmp_path: Path):
    path = write(
        tmp_path,
        "refs.bib",
        "@article{a, author = {Orlov, Nikolai}, title = {The Northern Capital}, journal = {J}, year = 1998,\n"
        "  doi = {10.5555/j.1998.1}}\n"
        "@article{b, author = {Orlov, N.}, title = {The northern capital.}, journal = {J}, year = 1998,\n"
        "  doi = {https://doi.org/10.5555/J.1998.1}}\n"
        "@article{c, author = {Kask, Mari}, title = {Lights}, journal = {J}, year = 2001, doi = {10.12/x}}\n"
        "@book{d, author = {Tamm, Peeter}, title = {Lightships}, publisher = {P}, year = 1999,\n"
        "  isbn = {978-0-306-40615-8}}\n"
        "@book{e, author = {Tamm, Peeter}, title = {Lightships of the Gulf}, publisher = {P}, year = 2003}\n"
        "@book{f, author = {Saar, T.}, title = {Lightships of the Gulf.}, publisher = {P}, year = 2003}\n"
        "@book{a, author = {Someone, Else}, title = {Unrelated}, publisher = {P}, year = 2010}\n",
    )
    report = verifier.check([path], offline=True)
    found = {(f.code, f.location.line) for f in report.findings}
    assert ("D001", 3) in found  # same DOI, written differently
    assert ("F001", 5) in found
    assert ("F002", 6) in found
    assert ("D001", 9) in found  # same normalised title and year
    assert ("D001", 10) in found  # key "a" again
    assert "M005" not in codes(report)
    assert codes(report)["D001"] == 3


def test_larger_realistic_bibliography_reads_cleanly():
    report = verifier.check([FIXTURES / "larger.bib"], offline=True)
    assert report.findings == ()
    by_key = {c.note: c for c in report.citations}
    assert set(by_key) == {
        "heathershaw2011", "lewis2008", "kassymova2017", "volume2017", "icg2015", "rferl2015", "karimov2012",
    }
    assert by_key["heathershaw2011"].fields.container == "Journal of Peace Research"
    assert by_key["kassymova2017"].fields.container == "Rivers of Eurasia"
    assert by_key["karimov2012"].fields.authors[0].given == "Báhodir"
    assert by_key["rferl2015"].kind is Kind.WEB
    assert by_key["icg2015"].location.line == 43
    assert report.documents[0].format == "bibtex"


def test_broken_bib_beside_a_good_file_both_reported(tmp_path: Path):
    good = write(tmp_path, "good.bib", "@book{g, title = {Good}, publisher = {P}, year = 2000}\n")
    bad = write(tmp_path, "bad.bib", "@book{b, title = {Bad\n")
    report = verifier.check([tmp_path], offline=True)
    assert {Path(d.path).name for d in report.documents} == {"good.bib", "bad.bib"}
    assert [(f.code, Path(f.document).name) for f in report.findings] == [("P001", "bad.bib")]
    assert good.exists() and bad.exists()


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        pytest.param("na\\\"{\\i}ve", "naïve", id="dotless-i"),
        pytest.param("\\L{}\\'od\\'z", "Łódź", id="named-letter-then-accents"),
        pytest.param("The {Baltic} Light: a {\\em Study}", "The Baltic Light: a Study", id="font-switch"),
        pytest.param("``Quoted''", "“Quoted”", id="tex-quotes"),
        pytest.param("$\\alpha$-helix", "$\\alpha$-helix", id="math-left-to-pylatexenc"),
    ],
)
def test_common_markup_is_decoded_without_pylatexenc_and_the_rest_with_it(latex: str, text: str):
    assert latex_to_text(latex) == text


@pytest.mark.parametrize(
    ("fields", "url", "doi"),
    [
        pytest.param("eprint = {2101.00001}, eprinttype = {arxiv}", "https://arxiv.org/abs/2101.00001", None,
                     id="arxiv"),
        pytest.param("eprint = {2101.00001}, archivePrefix = {arXiv}", "https://arxiv.org/abs/2101.00001", None,
                     id="bibtex-archiveprefix"),
        pytest.param("eprint = {1234567}, eprinttype = {jstor}", "https://www.jstor.org/stable/1234567", None,
                     id="jstor"),
        pytest.param("eprint = {2027/spo.123}, eprinttype = {hdl}", "https://hdl.handle.net/2027/spo.123", None,
                     id="hdl"),
        pytest.param("eprint = {10.1000/xyz}, eprinttype = {doi}", None, "10.1000/xyz", id="doi"),
        pytest.param("eprint = {1}, eprinttype = {arxiv}, url = {https://example.org/p}", "https://example.org/p",
                     None, id="url-wins"),
    ],
)
def test_biblatex_eprint_fields_become_urls(fields, url, doi):
    entry = parse_bib("@article{k, title = {T}, " + fields + "}").entries[0]
    assert (entry.fields.url, entry.fields.doi) == (url, doi)


def test_bib_url_with_tex_escapes_is_cited_once():
    from verifier.pipeline import citation_urls, parse

    report = parse([str(Path(__file__).parent / "fixtures" / "bibtex" / "escaped_url.bib")])
    urls = {u for c in report.citations for u in citation_urls(c)}
    assert urls == {"http://example.org/a_b&c=1"}
