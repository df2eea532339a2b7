"""The Markdown report: a summary and findings tables fit for a pull-request comment."""

from __future__ import annotations

from verifier.model import DocumentSummary, Report, Severity
from verifier.report import markdown

from .conftest import finding


def test_summary_then_a_table_per_document(sample_report: Report) -> None:
    text = markdown.render(sample_report)
    lines = text.splitlines()
    assert lines[0].startswith("<!-- verifier report")  # hidden when rendered
    assert lines[1] == "## ❌ verifier: 3 errors, 1 warning, 1 info"
    assert "| 🔴 error | 3 |" in lines and "| 🟡 warning | 1 |" in lines and "| 🔵 info | 1 |" in lines
    assert "### b/chapter.txt · 4 findings (2 errors, 1 warning, 1 info)" in lines
    assert "| 12:5 | `M001` rule-m001 | 🔴 error | note marker 7 has no note | add note 7 |" in lines
    assert "**Could not be read:** c/missing.pdf" in lines
    assert "**No findings:** a/clean.md" in lines
    assert "<details>" not in text  # short reports are not folded


def test_every_table_row_has_the_same_number_of_cells(sample_report: Report) -> None:
    rows = [line for line in markdown.render(sample_report).splitlines() if line.startswith("| ") and "`" in line]
    assert rows
    for row in rows:
        assert row.replace("\\|", "").count("|") == 6, row


def test_pipes_backticks_and_html_in_document_text_are_escaped() -> None:
    message = "Title `code` | <script>alert(1)</script> *bold* [link](http://x) @octocat"
    report = Report(version="0", findings=(finding("I001", Severity.WARNING, message, "a|b.md", 1, 1),))
    text = markdown.render(report)
    row = next(line for line in text.splitlines() if line.startswith("| 1:1"))
    assert row.replace("\\|", "").count("|") == 6
    assert "<script>" not in text and "&lt;script&gt;" in row
    assert "\\`code\\`" in row and "\\*bold\\*" in row and "\\[link\\]" in row
    assert "@octocat" not in text  # no mention of a GitHub user
    assert "a\\|b.md" in text


def test_a_clean_run_is_a_tick() -> None:
    report = Report(version="0", documents=(DocumentSummary("a.md", "markdown", 1, 1, 0),))
    text = markdown.render(report)
    assert text.splitlines()[1].startswith("## ✅ verifier: 0 errors, 0 warnings, 0 info")
    assert "**No findings:** a.md" in text


def test_long_reports_fold_each_document_into_details() -> None:
    findings = tuple(
        finding("M003", Severity.WARNING, f"note {n} out of order", f"doc{n % 2}.txt", n) for n in range(1, 31)
    )
    text = markdown.render(Report(version="0", findings=findings))
    assert text.count("<details>") == 2 and text.count("</details>") == 2
    assert "<summary><b>doc0.txt · 15 findings (15 warnings)</b></summary>" in text
    assert text.count("`M003` rule-m003") == 30


def test_huge_reports_stay_under_the_comment_limit() -> None:
    findings = tuple(
        finding("P001", Severity.INFO, "could not parse " + "x" * 300 + f" {n}", "big.txt", n) for n in range(1, 800)
    )
    text = markdown.render(Report(version="0", findings=findings))
    assert len(text) < 65_536
    assert "more findings not shown here" in text
    shown = text.count("`P001` rule-p001")
    assert 0 < shown < 799 and f"… and {799 - shown} more findings" in text
