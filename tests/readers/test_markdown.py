"""The Markdown reader: footnotes, links, reference-style links, a references section, pandoc citations."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import verifier
from verifier.model import Kind, Location, Person
from verifier.readers import format_for
from verifier.readers.markdown import local_target, parse_markdown, read

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"


def md(text: str, path: str = "doc.md"):
    return parse_markdown(text, path)


def check(tmp_path: Path, text: str, name: str = "doc.md", **files: str):
    for file_name, content in files.items():
        (tmp_path / file_name.replace("_", ".")).write_text(content, encoding="utf-8")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return verifier.check([path], offline=True)


def where(report) -> Counter[tuple[str, int]]:
    return Counter((f.code, f.location.line if f.location else 0) for f in report.findings)


# ----------------------------------------------------------------------------- footnotes


def test_footnote_references_and_definitions_with_their_lines():
    doc = md("Text.[^a] More[^b].\n\n[^a]: First note, 2001.\n[^b]: Second note\n    continued, 2002.\n")
    assert [(m.label, m.location) for m in doc.markers] == [("a", Location(1, 6)), ("b", Location(1, 15))]
    assert [(n.label, n.location.line, n.text) for n in doc.notes] == [
        ("a", 3, "First note, 2001."),
        ("b", 4, "Second note continued, 2002."),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Text.[^gone]\n", {("M001", 1)}, id="reference-without-definition"),
        pytest.param("Text.\n\n[^lonely]: Anna Smith, *A Book* (London: Verso, 2001).\n\nMore.[^x]\n\n"
                     "[^x]: Bob Jones, *Another Book* (Oxford: OUP, 2002).\n", {("M002", 3)},
                     id="definition-never-referenced"),
        pytest.param("Text.[^1]\n\n[^1]: One, 2001.\n\n[^1]: Again, 2002.\n", {("M003", 5)}, id="defined-twice"),
    ],
)
def test_footnote_defects_through_the_rules(tmp_path: Path, text: str, expected: set[tuple[str, int]]):
    assert set(where(check(tmp_path, text))) == expected


def test_a_footnote_defined_twice_keeps_the_first_definition():
    doc = md("Text.[^1]\n\n[^1]: One, 2001.\n\n[^1]: Again, 2002.\n")
    assert [n.text for n in doc.notes] == ["One, 2001."]
    (diag,) = doc.diagnostics
    assert diag.code == "M003" and "lines 3 and 5" in diag.message


def test_a_marker_in_a_heading_counts():
    doc = md("# Title[^t]\n\nText.\n\n[^t]: Anna Smith, *A Book* (London: Verso, 2001).\n")
    assert [(m.label, m.location.line) for m in doc.markers] == [("t", 1)]


def test_inline_footnotes_are_notes():
    doc = md("Text.^[Anna Smith, *Book* (London: Verso, 2001).] More.\n")
    # rendered like a [^label] note: the emphasis marks go
    assert [(n.label, n.text) for n in doc.notes] == [("^1", "Anna Smith, Book (London: Verso, 2001).")]
    assert [m.label for m in doc.markers] == ["^1"]


def test_code_is_not_read():
    doc = md("Use `[^x]` and `@key`.\n\n```\n[^y] http://code.example.org [@k]\n```\n\n    [^z] indented\n")
    assert doc.markers == () and doc.keys == () and doc.diagnostics == ()
    assert all("code.example.org" not in p.text for p in doc.paragraphs)


# ----------------------------------------------------------------------------- links


@pytest.mark.parametrize(("target", "local"), [
    ("items/modules.md", True), ("attributes.md#section", True), ("../guide/intro.html", True),
    ("./figure.png", True), ("/docs/page", True), ("chapter", True),
    ("https://example.org/a.md", False), ("www.example.org/page", False), ("example.org", False),
    ("mailto:someone@example.org", False), ("//example.org/x", False),
])
def test_which_link_targets_are_files_of_the_project(target: str, local: bool):
    assert local_target(target) is local


def test_links_to_the_books_other_pages_are_no_sources_but_a_host_without_scheme_is_f004(tmp_path: Path):
    report = check(tmp_path, "See [modules](items/modules.md), [paths](paths.md#x) and [a site](example.org/a).\n")
    assert [c.fields.url for c in report.citations] == ["example.org/a"]
    assert [f.code for f in report.findings] == ["F004"]


def test_inline_and_reference_links_are_document_links_and_autolinks_stay_in_the_text():
    first = "See [the report](https://example.org/report \"Title\") and [data][d]."
    doc = md(first + "\nAlso <https://example.org/auto> and https://example.org/bare.\n\n[d]: https://example.org/data\n")
    assert [(link.url, link.text, link.location) for link in doc.links] == [
        ("https://example.org/report", "the report", Location(1, first.index("https") + 1)),
        ("https://example.org/data", "data", Location(1, first.index("[data]") + 1)),
    ]
    assert "https://example.org/auto" in doc.paragraphs[0].text
    assert "https://example.org/bare" in doc.paragraphs[0].text


def test_links_in_a_note_are_part_of_its_text():
    doc = md("Text.[^1]\n\n[^1]: Agency, [“Report”](https://example.org/r), 2015.\n")
    assert doc.notes[0].text == "Agency, “Report”, https://example.org/r, 2015."
    assert doc.notes[0].urls == ("https://example.org/r",)
    assert doc.links == ()


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        pytest.param("See [the data][missing].\n", ["[the data][missing]"], id="full-reference"),
        pytest.param("See [the data][].\n", ["[the data][]"], id="collapsed-reference"),
        pytest.param("See [the data][d].\n\n[d]: https://x.org\n", [], id="defined"),
        pytest.param("See [the data][D].\n\n[d]: https://x.org\n", [], id="labels-case-insensitive"),
        pytest.param("See [sic] and [1].\n", [], id="shortcut-brackets-are-prose"),
        pytest.param("See `[a][b]`.\n", [], id="in-code"),
    ],
)
def test_a_reference_style_link_without_definition_is_reported(text: str, reported: list[str]):
    doc = md(text)
    assert [d.code for d in doc.diagnostics] == ["M001"] * len(reported)
    for diag, written in zip(doc.diagnostics, reported, strict=True):
        assert written in diag.message
        assert diag.location == Location(1, 5)


# ----------------------------------------------------------------------------- references section


def test_a_references_section_is_read_as_entries():
    doc = read((FIXTURES / "refsection.md").read_bytes(), "refsection.md")
    assert [(e.key, e.location.line) for e in doc.entries] == [("1", 7), ("2", 8)]
    assert doc.entries[1].text.endswith("(1999): 45–67. https://doi.org/10.5555/jmh.1999.12")
    assert all("Not an entry" not in e.text for e in doc.entries)
    assert any("Further reading" not in p.text and "Not an entry" in p.text for p in doc.paragraphs)


def test_references_section_entries_are_parsed_by_the_pipeline():
    report = verifier.check([FIXTURES / "refsection.md"], offline=True)
    entries = [c for c in report.citations if c.note in ("1", "2")]
    assert entries[1].fields.doi == "10.5555/jmh.1999.12"
    assert report.findings == ()


# ----------------------------------------------------------------------------- pandoc citations


@pytest.mark.parametrize(
    ("body", "keys"),
    [
        pytest.param("[@a]", ["a"], id="bracketed"),
        pytest.param("[@a; @b, p. 3]", ["a", "b"], id="several-with-locator"),
        pytest.param("[see @a, ch. 2; also -@b]", ["a", "b"], id="prefix-and-suppressed-author"),
        pytest.param("@a says", ["a"], id="in-text"),
        pytest.param("@a [p. 33] says", ["a"], id="in-text-with-locator"),
        pytest.param("[@doe:2020.x]", ["doe:2020.x"], id="internal-punctuation"),
        pytest.param("[@a].", ["a"], id="trailing-period-not-in-key"),
        pytest.param("mail me@example.org", [], id="email-is-no-citation"),
        pytest.param("`[@a]`", [], id="code"),
    ],
)
def test_pandoc_citations(body: str, keys: list[str], tmp_path: Path):
    (tmp_path / "r.bib").write_text("", encoding="utf-8")
    doc = md(f"---\nbibliography: r.bib\n---\n\nText {body}\n", str(tmp_path / "d.md"))
    assert [k.key for k in doc.keys] == keys
    assert all(k.location.line == 5 for k in doc.keys)


def test_bare_keys_count_where_the_document_also_cites_with_brackets():
    doc = md("@item1 says so [see @item2, p. 3], and @пункт3 agrees.\n")
    assert [k.key for k in doc.keys] == ["item1", "item2", "пункт3"]


def test_bare_mentions_are_no_citations_without_a_bibliography():
    doc = md("Thanks to @octocat for the fix.\n")
    assert doc.keys == () and doc.diagnostics == ()


def test_bracketed_keys_without_any_bibliography_are_one_m004_and_each_key_a_citation(tmp_path: Path):
    (tmp_path / "d.md").write_text("Text [@a] and [@b; @a].\n", encoding="utf-8")
    report = verifier.check([tmp_path / "d.md"], offline=True, root=str(tmp_path))
    assert [(f.code, f.location) for f in report.findings] == [("M004", Location(1, 7))]
    assert "no bibliography was given" in report.findings[0].message
    assert [(c.note, c.kind, c.location.line) for c in report.citations] == [
        ("a", Kind.UNKNOWN, 1), ("b", Kind.UNKNOWN, 1), ("a", Kind.UNKNOWN, 1)]
    assert len({c.source for c in report.citations}) == 2  # one source per key


def test_keys_against_the_front_matter_bibliography(tmp_path: Path):
    report = verifier.check([FIXTURES / "article.md"], offline=True)
    assert report.findings == ()  # every key defined, every entry cited (one by nocite)
    assert sorted(Path(d.path).name for d in report.documents) == ["article-refs.bib", "article.md"]


def test_the_realistic_article_is_read_whole():
    from verifier.config import Settings
    from verifier.pipeline import read_documents

    doc = read_documents([FIXTURES / "article.md"], Settings())[0][0]
    assert [m.label for m in doc.markers] == ["1", "officials", "2"]
    assert [n.label for n in doc.notes] == ["1", "officials", "2"]
    assert [k.key for k in doc.keys] == ["lewis2008", "heathershaw2011", "kassymova2017", "lewis2008",
                                         "background2001"]
    assert [link.url for link in doc.links] == ["https://example.org/ferghana", "https://example.org/data"]
    assert doc.includes == (str(FIXTURES / "article-refs.bib"),)


def test_undefined_key_and_unused_entry(tmp_path: Path):
    report = check(
        tmp_path,
        "---\nbibliography: refs.bib\n---\n\nAs [@a, p. 3] and @ghost show.\n",
        refs_bib="@book{a, title = {A b}, publisher = {P}, year = 2000}\n\n@book{b, title = {B c}, publisher = {P}, year = 2001}\n",
    )
    assert {(f.code, Path(f.document).name, f.location.line) for f in report.findings} == {
        ("M004", "doc.md", 5), ("M005", "refs.bib", 3),
    }


def test_inline_csl_references_in_the_front_matter():
    report = verifier.check([FIXTURES / "csl.md"], offline=True)
    assert {(f.code, f.location.line) for f in report.findings} == {("M005", 14), ("M004", 21)}
    doe = next(c for c in report.citations if c.note == "doe2020")
    assert doe.kind is Kind.ARTICLE
    assert doe.fields.authors == (Person(family="Doe", given="Jane"),)
    assert (doe.fields.date, doe.fields.doi, doe.fields.container) == ("2020-05", "10.5555/yaml.2020", "Journal of YAML")
    assert doe.location.line == 3


def test_csl_json_bibliography_answers_the_keys(tmp_path: Path):
    report = check(
        tmp_path,
        "---\nbibliography: refs.json\n---\n\n[@a] and [@z]\n",
        refs_json='[\n  {"id": "a", "type": "book", "title": "A"},\n  {"id": "b", "type": "book", "title": "B"}\n]\n',
    )
    # the entries are citations too, checked at their own lines: a book needs a publisher or a date (M008)
    assert {(f.code, Path(f.document).name, f.location.line) for f in report.findings} == {
        ("M004", "doc.md", 5), ("M005", "refs.json", 3), ("M008", "refs.json", 2), ("M008", "refs.json", 3),
    }


def test_a_csl_yaml_bibliography_is_checked_and_exported_with_the_document(tmp_path: Path):
    from verifier.export import to_bibtex

    report = check(
        tmp_path,
        "---\nbibliography: refs.yaml\n---\n\nAs shown [@smith2001].\n",
        refs_yaml="references:\n- id: smith2001\n  type: article-journal\n  title: A Study of Things\n"
        "  author:\n  - family: Smith\n    given: John\n  container-title: Journal of Things\n"
        "  issued:\n    date-parts:\n    - [2001]\n  DOI: 10.1234/not a doi\n",
    )
    (citation,) = report.citations
    assert (Path(citation.document).name, citation.location.line, citation.kind) == ("refs.yaml", 2, Kind.ARTICLE)
    assert {(f.code, Path(f.document).name, f.location.line) for f in report.findings} == {("F001", "refs.yaml", 2)}
    (summary,) = report.documents
    assert (Path(summary.path).name, summary.citations) == ("doc.md", 1)
    assert "@article{smith2001study," in to_bibtex(report)


def test_a_missing_bibliography_is_p002_and_the_keys_are_left_alone():
    report = verifier.check([FIXTURES / "nobib.md"], offline=True)
    (finding,) = report.findings
    assert (finding.code, finding.location.line) == ("P002", 2)
    assert "missing.bib" in finding.message


def test_broken_front_matter_is_reported_and_the_body_still_read():
    doc = md("---\nbibliography: [unclosed\n---\n\nText.[^1]\n\n[^1]: A note, 2001.\n")
    assert [d.code for d in doc.diagnostics] == ["P001"]
    assert [n.label for n in doc.notes] == ["1"]


def test_markdown_extensions_are_registered():
    assert format_for(Path("a.md")) == format_for(Path("b.markdown")) == "markdown"


def test_a_binary_file_named_md_is_p002_and_the_others_are_still_checked(tmp_path: Path):
    (tmp_path / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    (tmp_path / "good.md").write_text("Text.[^1]\n", encoding="utf-8")
    report = verifier.check([tmp_path], offline=True)
    assert {(f.code, Path(f.document).name) for f in report.findings} == {("P002", "image.md"), ("M001", "good.md")}
    assert report.unreadable == (str(tmp_path / "image.md"),)


def test_text_that_is_not_utf8_is_still_read():
    doc = read("Caf\u00e9 culture.[^1]\n\n[^1]: Ren\u00e9 Dupont, *Caf\u00e9s* (Paris: Seuil, 1990).\n".encode("cp1252"), "x.md")
    assert doc.notes[0].text.startswith("René Dupont")


# ----------------------------------------------------------------------------- pandoc's dialect


def test_an_html_comment_line_inside_an_inline_note_does_not_cut_it():
    doc = md("Text.^[A note that goes on\n<!-- a comment -->\nand ends here, 2001.]\n\nNext paragraph.\n")
    assert [(n.label, n.text) for n in doc.notes] == [("^1", "A note that goes on and ends here, 2001.")]
    assert [p.text for p in doc.paragraphs] == ["Text.", "Next paragraph."]


def test_a_reference_style_link_and_a_key_inside_an_inline_note_are_resolved(tmp_path: Path):
    (tmp_path / "r.bib").write_text("", encoding="utf-8")
    doc = md("---\nbibliography: r.bib\n---\n\nText.^[See [the report][rep] and @smith2001.]\n\n"
             "[rep]: https://example.org/report\n", str(tmp_path / "d.md"))
    assert doc.notes[0].urls == ("https://example.org/report",)
    assert "https://example.org/report" in doc.notes[0].text
    assert [k.key for k in doc.keys] == ["smith2001"]


def test_definition_lists_are_prose_not_code():
    doc = md("Term\n\n:   Definition text.\n\n    More with [a link](https://example.org/def).\n")
    assert [link.url for link in doc.links] == ["https://example.org/def"]
    assert "More with a link." in [p.text for p in doc.paragraphs]


def test_bookdown_cross_references_are_no_keys(tmp_path: Path):
    (tmp_path / "r.bib").write_text("", encoding="utf-8")
    doc = md("---\nbibliography: r.bib\n---\n\nSee Figure \\@ref(fig:one), Table \\@ref(tab-two) and @doe2002.\n",
             str(tmp_path / "d.md"))
    assert [k.key for k in doc.keys] == ["doe2002"]


@pytest.mark.parametrize(
    "front",
    [
        pytest.param("references: " + "[" * 3000 + "]" * 3000, id="flow-3000-deep"),
        pytest.param("references:\n  - " + "{a: " * 3000 + "1" + "}" * 3000, id="maps-3000-deep"),
    ],
)
def test_front_matter_nested_thousands_deep_is_reported_and_the_rest_is_read(front: str) -> None:
    doc = parse_markdown(f"---\n{front}\n---\nA claim.[^1]\n\n[^1]: Smith, *A Book* (London: Penguin, 1999).\n", "d.md")
    assert [d.code for d in doc.diagnostics] == ["P001"]
    assert "nested too deeply" in doc.diagnostics[0].message
    assert [n.label for n in doc.notes] == ["1"]


def test_front_matter_is_read_as_written_even_on_a_line_of_many_brackets() -> None:
    keys = ", ".join(f"[@k{i}]" for i in range(500))  # more brackets on one line than the link rules are given
    doc = parse_markdown(f"---\nreferences: [{{id: k1, title: T}}]  # {keys}\n---\nText.\n", "d.md")
    assert [e.key for e in doc.entries] == ["k1"]


def _deep_quote(depth: int) -> str:
    return (
        "Before [a](http://before.example.org/a).\n\n"
        + "> " * depth + "deep [d](http://deep.example.org/x)\n\n"
        + "After [b](http://after.example.org/b).[^1]\n\n[^1]: Smith, *A Book* (London: Penguin, 1999).\n"
    )


def _deep_list(depth: int) -> str:
    items = "".join("  " * i + f"- item {i} [l{i}](http://list.example.org/{i})\n" for i in range(depth))
    return "Before [a](http://before.example.org/a).\n\n" + items + "\nAfter [b](http://after.example.org/b).\n"


@pytest.mark.parametrize("depth", [20, 79, 80, 81, 3000])
def test_block_quotes_nested_at_and_past_the_limit_keep_every_link(depth: int) -> None:
    from verifier.readers.markdown import MAX_DEPTH

    doc = parse_markdown(_deep_quote(depth), "d.md")
    urls = [link.url for link in doc.links]
    assert urls == ["http://before.example.org/a", "http://deep.example.org/x", "http://after.example.org/b"]
    assert [n.label for n in doc.notes] == ["1"]
    if depth <= MAX_DEPTH:
        assert doc.diagnostics == ()
    else:
        [p001] = doc.diagnostics
        assert p001.code == "P001" and p001.location == Location(3)
        assert f"nested more than {MAX_DEPTH} levels deep (block quotes, lists) on line 3" in p001.message


@pytest.mark.parametrize("depth", [10, 40, 41, 300])
def test_lists_nested_at_and_past_the_limit_keep_the_rest_of_the_document(depth: int) -> None:
    # markdown-it's CommonMark preset stops at 20 levels (ten nested lists) and skips the rest of the document.
    doc = parse_markdown(_deep_list(depth), "d.md")
    urls = [link.url for link in doc.links]
    assert urls == ["http://before.example.org/a", *(f"http://list.example.org/{i}" for i in range(depth)),
                    "http://after.example.org/b"]
    assert [d.code for d in doc.diagnostics] == ([] if depth <= 40 else ["P001"])
    if depth > 40:
        assert doc.diagnostics[0].location == Location(3 + 40)
