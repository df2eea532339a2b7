"""Every reader's contract on hostile input: it returns a Document or raises ``InputError`` (a P002 with a
reason), never anything else, and it ends. Property-based (Hypothesis), with small example budgets and no
deadline, so a busy CI machine cannot make them flaky; the generated inputs mix each format's markup."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verifier import readers
from verifier.citations.inline import find_inline
from verifier.citations.split import split_sources
from verifier.errors import InputError
from verifier.model import Document
from verifier.readers.text import find_markers

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_PIECES = {
    "text": ["Notes", "\n", "\n\n", "1. ", "¹", "[12]", "Ibid.", ".3 ", "“", "”", "«", "»", "http://e.org/a", "(", ")",
             "References", "\f", "Smith, J. ", " 1999."],
    "markdown": ["[^1]", "[^1]: ", "> ", "- ", "  ", "    ", "```", "---\n", "references: [", "]", "[a](http://e.org)",
                 "[@key]", "*", "_", "<!--", "-->", "\n", "\n\n", "#", "|", "^[", "\\"],
    "html": ["<p>", "</p>", "<div>", "</div>", "<a href='#fn1'>", "<a href='http://e.org/x'>", "</a>", "<sup>", "</sup>",
             "<ol>", "<li id='fn1'>", "</li>", "<!--", "-->", "<script>", "</script>", "&amp;", "&#0;", "<", ">", "\"",
             "<?xml version='1.0'?>", "<!DOCTYPE html>", "\n"],
    "latex": ["\\footnote{", "}", "{", "\\cite{k}", "\\url{http://e.org}", "\\href{", "\\input{x}", "%", "\\\\", "$",
              "\\begin{itemize}", "\\end{itemize}", "\\newcommand{\\x}[1]{#1}", "\\bibliography{refs}", "[", "]", "\n"],
    "bibtex": ["@article{", "@string{", "@comment{", "key,", "title = {", "author = \"", "}", "{", "\"", "#", ",", "=",
               "year = 1999", "\\'e", "@", "\n", "% "],
}
_NAMES = {"text": "x.txt", "markdown": "x.md", "html": "x.html", "latex": "x.tex", "bibtex": "x.bib"}


def _marked_up(fmt: str) -> st.SearchStrategy[bytes]:
    piece = st.one_of(st.sampled_from(_PIECES[fmt]), st.text(max_size=6))
    return st.lists(piece, max_size=40).map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))


def _read(fmt: str, data: bytes) -> None:
    try:
        doc = readers.read(data, _NAMES[fmt], fmt)
    except InputError as exc:
        assert exc.reason  # a reason a user can act on
        return
    assert isinstance(doc, Document)


@pytest.mark.parametrize("fmt", sorted(_PIECES))
def test_a_reader_returns_a_document_or_an_input_error_on_marked_up_input(fmt: str) -> None:
    @PROPERTY
    @given(_marked_up(fmt))
    def check(data: bytes) -> None:
        _read(fmt, data)

    check()


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "latex", "bibtex", "docx", "pdf"])
def test_a_reader_returns_a_document_or_an_input_error_on_any_bytes(fmt: str) -> None:
    heads = {"docx": b"PK\x03\x04", "pdf": b"%PDF-1.4\n"}

    @PROPERTY
    @given(st.binary(max_size=400))
    def check(data: bytes) -> None:
        try:
            doc = readers.read(heads.get(fmt, b"") + data, f"x.{fmt}", fmt)
        except InputError as exc:
            assert exc.reason
            return
        assert isinstance(doc, Document)

    check()


_NOTE_TEXT = st.lists(
    st.one_of(st.sampled_from(["«", "»", "“", "”", "\"", "„", "‹", "›", "‘", "’", "(", ")", "[", "]", "; ", ", ", ". ",
                               "Ibid.", "http://e.org/a", "pp. 3–4", "1999", "Smith, J.", "¹", "12", "See "]),
              st.text(max_size=5)),
    max_size=60,
).map("".join)


@PROPERTY
@given(_NOTE_TEXT)
def test_the_note_splitter_keeps_every_non_blank_note(text: str) -> None:
    segments = split_sources(text)
    if text.strip():
        assert segments
    assert all(isinstance(s, str) for s in segments)


@PROPERTY
@given(_NOTE_TEXT)
def test_inline_citations_are_spans_of_the_text(text: str) -> None:
    for start, end, raw in find_inline(text):
        assert 0 <= start <= end <= len(text) and text[start:end] == raw


@PROPERTY
@given(_NOTE_TEXT, st.one_of(st.none(), st.integers(0, 200)))
def test_markers_are_in_order_and_inside_the_paragraph(text: str, max_label: int | None) -> None:
    offsets = [offset for offset, _label in find_markers(text, max_label)]
    assert offsets == sorted(offsets) and all(0 <= o <= len(text) for o in offsets)
