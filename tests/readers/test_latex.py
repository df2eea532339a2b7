"""The LaTeX reader: \\cite-family keys, footnotes, links, and the bibliography the .tex names."""

from __future__ import annotations

from pathlib import Path

import pytest

import verifier
from verifier.model import Location
from verifier.readers import format_for
from verifier.readers.latex import blank_comments, parse_latex, read, to_text

FIXTURES = Path(__file__).parent / "fixtures" / "latex"


def keys(source: str) -> list[tuple[str, int, int | None]]:
    doc = parse_latex("\\documentclass{article}\n" + source + "\n\\begin{thebibliography}{1}\\end{thebibliography}",
                      "x.tex")
    return [(k.key, k.location.line - 1, k.location.column) for k in doc.keys]


def found(report) -> set[tuple[str, str, int]]:
    return {(f.code, Path(f.document).name, f.location.line if f.location else 0) for f in report.findings}


# ----------------------------------------------------------------------------- citation keys


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("\\cite{a}", [("a", 1, 7)], id="cite"),
        pytest.param("\\citep{a,b}", [("a", 1, 8), ("b", 1, 10)], id="several-keys"),
        pytest.param("\\citet{ a , b }", [("a", 1, 9), ("b", 1, 13)], id="spaces-around-keys"),
        pytest.param("\\citealp[p.~3]{a}", [("a", 1, 16)], id="optional-argument"),
        pytest.param("\\parencite[see][12]{a}", [("a", 1, 21)], id="pre-and-post-notes"),
        pytest.param("\\autocite*{a}", [("a", 1, 12)], id="starred"),
        pytest.param("\\Textcite{a}", [("a", 1, 11)], id="capitalised"),
        pytest.param("\\footcite[ch.~2]{a}", [("a", 1, 18)], id="footcite"),
        pytest.param("\\nocite{a}", [("a", 1, 9)], id="nocite"),
        pytest.param("\\textcites[see][12]{a}[34]{b}", [("a", 1, 21), ("b", 1, 28)], id="multi-cite"),
        pytest.param("\\cite[{]}x]{a}", [("a", 1, 13)], id="brackets-in-braces"),
        pytest.param("\\cite\n  {a}", [("a", 2, 4)], id="argument-on-next-line"),
        pytest.param("x % \\cite{gone}\n\\cite{kept}", [("kept", 2, 7)], id="comment-ignored"),
        pytest.param("50\\% \\cite{a}", [("a", 1, 12)], id="escaped-percent-is-text"),
        pytest.param("\\verb|\\cite{v}| \\cite{a}", [("a", 1, 23)], id="verb-ignored"),
        pytest.param("\\begin{verbatim}\n\\cite{v}\n\\end{verbatim}", [], id="verbatim-ignored"),
        pytest.param("\\begin{comment}\n\\cite{v}\n\\end{comment}", [], id="comment-environment-ignored"),
        pytest.param("\\citestyle{nature}", [], id="citestyle-is-no-citation"),
    ],
)
def test_cite_family_keys_at_their_line_and_column(source: str, expected: list[tuple[str, int, int | None]]):
    assert keys(source) == expected


def test_blanking_comments_keeps_offsets():
    text = "a % b\nc \\% d % e\n"
    blanked = blank_comments(text)
    assert len(blanked) == len(text)
    assert blanked.splitlines() == ["a    ", "c \\% d    "]


# ----------------------------------------------------------------------------- notes and links


def test_footnotes_with_nested_braces_are_notes_at_their_line():
    doc = parse_latex(
        "Text.\\footnote{Anna Smith, \\emph{A {Nested} Title} (London: Verso, 2001), 12.} More.\n"
        "Again.\\footnote[7]{Bob Jones, \\textit{Another Book} (Oxford: OUP, 1999).}\n",
        "x.tex",
    )
    assert [(n.label, n.location.line) for n in doc.notes] == [("1", 1), ("7", 2)]
    assert doc.notes[0].text == "Anna Smith, A Nested Title (London: Verso, 2001), 12."
    assert [m.label for m in doc.markers] == ["1", "7"]


def test_footnotemark_and_footnotetext_pair_up():
    doc = parse_latex(
        "\\begin{tabular}{l}Cell\\footnotemark\\end{tabular}\n"
        "\\footnotetext{Anna Smith, \\emph{Tables} (London: Verso, 2001).}\n"
        "Text.\\footnote{Bob Jones, \\emph{Another} (Oxford: OUP, 1999).}\n",
        "x.tex",
    )
    assert [(m.label, m.location.line) for m in doc.markers] == [("1", 1), ("2", 3)]
    assert [(n.label, n.location.line) for n in doc.notes] == [("1", 2), ("2", 3)]


def test_a_footnotes_cite_keys_count_and_a_bare_reference_is_no_note_text():
    doc = parse_latex("\\documentclass{article}\nText.\\footnote{See \\cite[p.~3]{smith}.}\n"
                      "\\begin{thebibliography}{1}\\bibitem{smith} A. Smith, Book, 2001.\\end{thebibliography}", "x.tex")
    assert [k.key for k in doc.keys] == ["smith"]
    assert doc.notes[0].text == ""  # nothing to parse beyond the key


def test_urls_and_hrefs_in_the_body_are_links_and_in_notes_part_of_the_text():
    doc = parse_latex(
        "See \\url{https://example.org/a_b~c} and \\href{https://example.org/x\\#y}{the site}.\n"
        "Note.\\footnote{Agency, ``Report,'' \\url{https://example.org/report}, accessed 2 May 2020.}\n",
        "x.tex",
    )
    assert [(link.url, link.text, link.location.line) for link in doc.links] == [
        ("https://example.org/a_b~c", "", 1),
        ("https://example.org/x#y", "the site", 1),
    ]
    assert doc.notes[0].urls == ("https://example.org/report",)
    assert "https://example.org/report" in doc.notes[0].text


def test_a_percent_sign_inside_a_url_is_no_comment():
    doc = parse_latex("See \\url{https://x.org/a%20b} and \\href{https://y.org/%7Eme}{Y}. % \\cite{gone}\n", "x.tex")
    assert [link.url for link in doc.links] == ["https://x.org/a%20b", "https://y.org/%7Eme"]
    assert doc.keys == ()


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        pytest.param("\\emph{Title} --- ``quoted''", "Title — “quoted”", id="markup"),
        pytest.param("See \\cite{a}, p.~3", "See, p. 3", id="cite-dropped"),
        pytest.param("\\href{http://x.org/a%20b}{X}", "X, http://x.org/a%20b", id="href-kept-verbatim"),
        pytest.param("M{\\\"u}ller", "Müller", id="accent"),
    ],
)
def test_note_text_from_latex(latex: str, text: str):
    assert to_text(latex)[0] == text


def test_body_paragraphs_are_prose_with_markers_where_notes_and_cites_stood():
    doc = parse_latex(
        "\\documentclass{article}\n\\usepackage{x}\n\\begin{document}\n"
        "``Quoted,'' said M{\\\"u}ller; caf\\'e at 50\\% --- done.\\footnote{A note.} See \\cite{k}.\n"
        "\\begin{equation} x = \\text{not prose} \\end{equation}\n"
        "Math $a^2$ and \\emph{emphasis}\\label{sec} on two\n"
        "lines.\n\n"
        "Second paragraph with https://example.org/bare.\n\\end{document}\n",
        "x.tex",
    )
    first, second = doc.paragraphs
    assert first.text.startswith("“Quoted,” said Müller; café at 50% — done.")
    assert "not prose" not in first.text and "sec" not in first.text
    assert first.text.endswith("Math and emphasis on two lines.")
    assert [label for _, label in first.markers] == ["1", "k"]
    assert first.location_at(first.text.index("lines")).line == 7
    assert second.text == "Second paragraph with https://example.org/bare."


def test_an_unsourced_quotation_in_the_body_is_m009(tmp_path: Path):
    (tmp_path / "q.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n"
        "As \\cite{a} shows, the valley changed.\n\n"
        "One farmer said that ``the water belongs to whoever controls the valve at night,'' and left.\n"
        "\\begin{thebibliography}{1}\\bibitem{a} Anna Smith, \\emph{Valleys} (London: Verso, 2001).\n"
        "\\end{thebibliography}\n\\end{document}\n",
        encoding="utf-8",
    )
    report = verifier.check([tmp_path / "q.tex"], offline=True)
    assert [(f.code, f.location.line) for f in report.findings] == [("M009", 5)]


def test_a_bare_url_in_the_body_is_cited(tmp_path: Path):
    (tmp_path / "u.tex").write_text("Data at https://example.org/data.csv and \\url{https://example.org/u}.\n",
                                    encoding="utf-8")
    report = verifier.check([tmp_path / "u.tex"], offline=True)
    assert [(c.fields.url, c.location.line) for c in report.citations] == [
        ("https://example.org/data.csv", 1), ("https://example.org/u", 1),
    ]


def test_a_url_in_an_unknown_macro_does_not_take_the_next_argument_on(tmp_path: Path):
    # a book's own \urlref{url}{text} (defined in a preamble we do not read): two arguments, two words
    (tmp_path / "m.tex").write_text("See the \\urlref{https://example.org/Tall_Tower}{tower in} the town.\n",
                                    encoding="utf-8")
    report = verifier.check([tmp_path / "m.tex"], offline=True)
    assert [c.fields.url for c in report.citations] == ["https://example.org/Tall_Tower"]


# ----------------------------------------------------------------------------- bibliography


def test_the_reader_names_the_bib_and_opens_nothing():
    doc = read((FIXTURES / "paper.tex").read_bytes(), str(FIXTURES / "paper.tex"))
    assert [(r.name, r.role) for r in doc.requests] == [("paper-refs.bib", "bibliography")]
    assert doc.entries == () and doc.includes == () and doc.bibliography


def test_the_named_bib_is_read_relative_to_the_tex():
    from verifier.config import Settings
    from verifier.pipeline import read_documents

    doc = read_documents([FIXTURES / "paper.tex"], Settings())[0][0]
    assert doc.includes == (str(FIXTURES / "paper-refs.bib"),)
    assert {e.key for e in doc.entries} >= {"lewis2008", "unused2010"}
    assert all(e.path == str(FIXTURES / "paper-refs.bib") for e in doc.entries)
    assert [k.key for k in doc.keys] == [
        "percent", "lewis2008", "heathershaw2011", "kassymova2017", "ghost2020", "percent2",
    ]


def test_thebibliography_items_are_entries():
    doc = read((FIXTURES / "thebib.tex").read_bytes(), str(FIXTURES / "thebib.tex"))
    assert [(e.key, e.location.line) for e in doc.entries] == [("knuth84", 5), ("lamport94", 6), ("unused99", 9)]
    assert doc.entries[1].text.startswith("Leslie Lamport, LaTeX: A Document Preparation System")


def test_tex_extension_is_registered():
    assert format_for(Path("paper.tex")) == "latex"


# ----------------------------------------------------------------------------- through the pipeline


def test_undefined_key_unused_entry_and_where_they_are_reported():
    report = verifier.check([FIXTURES / "paper.tex"], offline=True)
    assert found(report) == {("M004", "paper.tex", 9), ("M005", "paper-refs.bib", 6)}
    m004 = next(f for f in report.findings if f.code == "M004")
    assert m004.location == Location(9, 20) and "ghost2020" in m004.message
    # the .bib is checked once, as its own document, however the run reaches it
    assert sorted(Path(d.path).name for d in report.documents) == ["paper-refs.bib", "paper.tex"]


def test_the_folder_checks_the_bib_once():
    report = verifier.check([FIXTURES], offline=True)
    names = [Path(d.path).name for d in report.documents]
    assert names.count("paper-refs.bib") == 1
    assert sum(1 for c in report.citations if c.note == "lewis2008") == 1


def test_nocite_star_marks_every_entry_as_cited(tmp_path: Path):
    (tmp_path / "r.bib").write_text("@book{a, title = {A b}, publisher = {P}, year = 2000}\n", encoding="utf-8")
    (tmp_path / "p.tex").write_text("\\documentclass{article}\n\\nocite{*}\n\\bibliography{r}\n", encoding="utf-8")
    assert "M005" not in {f.code for f in verifier.check([tmp_path / "p.tex"], offline=True).findings}


def test_duplicate_keys_and_duplicate_works_in_the_named_bib(tmp_path: Path):
    (tmp_path / "r.bib").write_text(
        "@article{a, author = {Orlov, N}, title = {The Northern Capital}, journal = {J}, year = 1998,"
        " doi = {10.5555/x.1}}\n"
        "@article{b, author = {Orlov, N}, title = {Capital}, journal = {J}, year = 1998, doi = {10.5555/X.1}}\n"
        "@article{a, author = {Kask, M}, title = {Else}, journal = {J}, year = 2000}\n",
        encoding="utf-8",
    )
    (tmp_path / "p.tex").write_text("\\documentclass{article}\n\\cite{a,b}\n\\bibliography{r}\n", encoding="utf-8")
    report = verifier.check([tmp_path / "p.tex"], offline=True)
    assert {("D001", "r.bib", 2), ("D001", "r.bib", 3)} <= found(report)
    assert not {f for f in found(report) if f[0] in ("M004", "M005")}


def test_a_missing_bib_is_named_and_the_tex_still_checked():
    report = verifier.check([FIXTURES / "nobib.tex"], offline=True)
    (finding,) = report.findings
    assert (finding.code, finding.location.line) == ("P002", 4)
    assert "missing-refs.bib" in finding.message
    assert [Path(d.path).name for d in report.documents] == ["nobib.tex"]
    assert report.unreadable == ()  # the .tex itself was read


def test_a_bibliography_with_another_extension_answers_the_keys_without_a_p002(tmp_path: Path):
    (tmp_path / "r.biblatex").write_text("@book{a, title = {A b}, publisher = {P}, year = 2000}\n", encoding="utf-8")
    (tmp_path / "p.tex").write_text("\\documentclass{article}\n\\cite{a,z}\n\\addbibresource{r.biblatex}\n",
                                    encoding="utf-8")
    report = verifier.check([tmp_path / "p.tex"], offline=True)
    assert [(f.code, f.location.line) for f in report.findings] == [("M004", 2)]
    assert report.unreadable == ()


def test_a_remote_bibliography_leaves_the_keys_unchecked(tmp_path: Path):
    (tmp_path / "p.tex").write_text("\\documentclass{article}\n\\cite{a}\n"
                                    "\\addbibresource[location=remote]{https://example.org/refs.bib}\n",
                                    encoding="utf-8")
    assert verifier.check([tmp_path / "p.tex"], offline=True).findings == ()


def test_keys_cited_in_input_parts_count_at_their_own_lines(tmp_path: Path):
    report = verifier.check([FIXTURES / "book.tex"], offline=True)
    assert found(report) == {("M004", "chapter2.tex", 2), ("M005", "paper-refs.bib", 6)}
    assert "nowhere" in next(f.message for f in report.findings if f.code == "M004")


def test_a_part_alone_is_answered_by_the_only_bib_beside_it():
    report = verifier.check([FIXTURES / "chapter2.tex"], offline=True)
    # its unknown key is M004; the entries it does not cite are no M005: the .bib is not this file's own
    assert [(f.code, Path(f.document).name) for f in report.findings] == [("M004", "chapter2.tex")]
    assert "nowhere" in report.findings[0].message


def test_a_part_alone_without_a_bibliography_reports_its_keys_and_says_so_once(tmp_path: Path):
    (tmp_path / "ch.tex").write_text("Text \\cite{a, b} and \\citep{a}.\n", encoding="utf-8")
    report = verifier.check([tmp_path / "ch.tex"], offline=True, root=str(tmp_path))
    assert [(f.code, f.location.line) for f in report.findings] == [("M004", 1)]
    assert "no bibliography was given" in report.findings[0].message
    assert [c.note for c in report.citations] == ["a", "b", "a"]


def test_cli_reports_the_tex_and_its_bib(tmp_path: Path):
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "verifier", "check", str(FIXTURES / "paper.tex"), "--offline"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "paper.tex:9:20: M004" in proc.stdout
    assert "paper-refs.bib:6: M005" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_a_binary_file_named_tex_is_p002_and_the_others_are_still_checked(tmp_path: Path):
    (tmp_path / "a.tex").write_bytes(b"\x00\x01\x02\x03" * 1000)
    (tmp_path / "b.tex").write_text("\\documentclass{article}\n\\cite{x}\n\\begin{thebibliography}{1}\n"
                                    "\\end{thebibliography}\n", encoding="utf-8")
    report = verifier.check([tmp_path], offline=True)
    assert {(f.code, Path(f.document).name) for f in report.findings} == {("P002", "a.tex"), ("M004", "b.tex")}


# ----------------------------------------------------------------------------- projects split into files


@pytest.mark.parametrize(
    "definition",
    ["\\newcommand{\\bibfile}{refs/main}", "\\newcommand\\bibfile{refs/main}", "\\def\\bibfile{refs/main}",
     "\\providecommand{\\bibdir}{refs}\\newcommand{\\bibfile}{\\bibdir/main}"],
    ids=["newcommand-braced", "newcommand-bare", "def", "nested-macros"],
)
def test_a_bibliography_named_by_a_simple_macro_is_expanded(definition):
    doc = parse_latex(f"\\documentclass{{article}}\n{definition}\n\\cite{{a}}\n\\bibliography{{\\bibfile}}\n", "x.tex")
    assert [(r.name, r.role) for r in doc.requests] == [("refs/main.bib", "bibliography")]


def test_the_body_of_a_newcommand_gives_no_key_and_no_note():
    doc = parse_latex("\\documentclass{article}\n\\newcommand{\\mycite}[1]{\\cite{#1}\\footnote{#1}}\n"
                      "\\def\\myref#1{\\citep{#1}}\nText \\cite{real}.\n", "x.tex")
    assert [k.key for k in doc.keys] == ["real"]
    assert doc.notes == ()


def test_index_and_label_are_no_note_text():
    doc = parse_latex("\\documentclass{article}\nText.\\footnote{Jane Roe\\index{Roe, Jane}, \\emph{A Book}"
                      "\\label{fn:roe} (Oxford, 1999), 3.}\n", "x.tex")
    assert doc.notes[0].text == "Jane Roe, A Book (Oxford, 1999), 3."


def test_parts_are_named_for_the_pipeline_with_tex_added():
    doc = parse_latex("\\documentclass{book}\n\\include{chapters/one}\n\\input{two.tex}\n"
                      "\\import{sections/}{three}\n\\subfile{four}\n", "main.tex")
    assert [(r.name, r.role, r.location.line) for r in doc.requests] == [
        ("chapters/one.tex", "part", 2), ("two.tex", "part", 3), ("sections/three.tex", "part", 4),
        ("four.tex", "part", 5)]


def test_two_thousand_nested_footnotes_are_each_a_note_read_in_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # 22 KB that took 23 s and 946 MB: every note converted the text of all the notes nested in it.
    from verifier.readers import latex

    n = 2000
    source = "Text" + "\\footnote{a \\url{http://e.org/x} " * n + "z" + "}" * n + " after \\url{http://after.org/}.\n"
    converted: list[int] = []
    real = latex.to_text
    monkeypatch.setattr(latex, "to_text", lambda content: converted.append(len(content)) or real(content))
    doc = latex.parse_latex(source, "deep.tex")
    assert len(doc.notes) == n and len(doc.markers) == n
    assert doc.notes[0].text.startswith("a http://e.org/x") and "a http://e.org/x a" not in doc.notes[0].text
    assert doc.notes[-1].text.startswith("a http://e.org/x z")
    assert sum(converted) <= 2 * len(source)
    assert [link.url for link in doc.links] == ["http://after.org/"]
