"""Inline suppression comments in each format's own syntax."""

from __future__ import annotations

import pytest

from verifier.model import Finding, Location, Severity
from verifier.suppression import apply, find


def finding(code: str, line: int | None, document: str = "doc") -> Finding:
    return Finding(code, "rule", Severity.ERROR, "message", document, Location(line) if line else None)


@pytest.mark.parametrize(
    ("fmt", "lines", "codes", "covered"),
    [
        pytest.param("markdown", ["Text.[^1] <!-- verifier: ignore[M001] -->"], ("M001",), (1,), id="md-same-line"),
        pytest.param("markdown", ["<!-- verifier: ignore[M001, i004] -->", "Text.[^1]"], ("M001", "I004"), (1, 2),
                     id="md-line-above"),
        pytest.param("html", ["<p>x</p><!--verifier:ignore-->"], (), (1,), id="html-all-codes"),
        pytest.param("latex", [r"See \cite{k}. % verifier: ignore[M004]"], ("M004",), (1,), id="latex"),
        pytest.param("bibtex", ["% verifier: ignore[D001]", "@book{a,"], ("D001",), (1, 2), id="bibtex-above"),
        pytest.param("text", ["verifier: ignore[M009]", "“A quotation,” he said."], ("M009",), (1, 2),
                     id="text-own-line"),
    ],
)
def test_directives_in_each_comment_syntax(fmt: str, lines: list[str], codes: tuple[str, ...],
                                           covered: tuple[int, ...]) -> None:
    (s,) = find(lines, fmt)
    assert (s.codes, s.lines) == (codes, covered)


@pytest.mark.parametrize(
    ("fmt", "line"),
    [
        pytest.param("latex", r"100\% verifier: ignore[M004]", id="escaped-percent-is-no-comment"),
        pytest.param("text", "He wrote verifier: ignore[M009] in the middle", id="text-needs-a-line-of-its-own"),
        pytest.param("markdown", "% verifier: ignore[M001]", id="latex-comment-in-markdown"),
        pytest.param("pdf", "verifier: ignore", id="pdf-has-none"),
    ],
)
def test_what_is_not_a_directive(fmt: str, line: str) -> None:
    assert find([line], fmt) == ()


def test_apply_keeps_other_codes_and_lines_and_reports_unused() -> None:
    found = {"doc": find(["x <!-- verifier: ignore[M001] -->", "<!-- verifier: ignore[D] -->", "y", "z"],
                         "markdown")}
    kept, unused = apply([finding("M001", 1), finding("M002", 1), finding("M001", 2), finding("D001", 3)], found)
    assert [(f.code, f.location.line if f.location else None) for f in kept] == [("M002", 1), ("M001", 2)]
    assert unused == []
    kept, unused = apply([finding("M002", 1)], found)
    assert len(kept) == 1 and [s.line for _, s in unused] == [1, 2]


def test_ignore_file_applies_to_the_whole_file_only() -> None:
    found = {"doc": find(["% verifier: ignore-file[M005]"], "bibtex")}
    kept, _ = apply([finding("M005", 40), finding("M005", None), finding("M005", 3, "other"), finding("M004", 2)],
                    found)
    assert [(f.code, f.document) for f in kept] == [("M005", "other"), ("M004", "doc")]


def test_word_directives_stand_in_the_body_paragraphs() -> None:
    from verifier.model import Paragraph
    from verifier.suppression import find_in_paragraphs

    paragraphs = [Paragraph("First claim. verifier: ignore[M001]", ((0, 1),)), Paragraph("verifier: ignore", ((0, 3),)),
                  Paragraph("Third.", ((0, 4),))]
    assert [(s.codes, s.lines) for s in find_in_paragraphs(paragraphs)] == [(("M001",), (1,)), ((), (3, 4))]
    assert find_in_paragraphs([Paragraph("Nothing here.", ((0, 1),))]) == ()
