"""The text report: grouped by document, one line per finding, stable order."""

from __future__ import annotations

import dataclasses
import re

from verifier.model import DocumentSummary, Report, Severity
from verifier.report import text

from .conftest import finding

ANSI = re.compile(r"\x1b\[[0-9;]*m")

EXPECTED = """\
a/clean.md: 1 note, 1 citation, 1 URL; no findings

b/chapter.txt: 12 notes, 14 citations, 3 URLs
b/chapter.txt:12:5: M001 [error] note marker 7 has no note
  → add note 7
b/chapter.txt:30: M003 [warning] note 5 follows note 3
b/chapter.txt:40:1: D002 [info] “Tajik Treaty” cited in full again
b/chapter.txt:40:7: L001 [error] dead link (404)
  url: https://example.org/goble
  → https://web.archive.org/web/19990501/https://example.org/goble

c/missing.pdf: could not be read
c/missing.pdf: P002 [error] cannot read: No such file or directory

3 errors, 1 warning, 1 info in 2 documents (15 citations, 4 URLs); 1 input could not be read"""


def test_findings_grouped_by_document_sorted_with_counts_and_summary(sample_report: Report) -> None:
    assert text.render(sample_report) == EXPECTED


def test_output_does_not_depend_on_the_order_of_the_report(sample_report: Report) -> None:
    scrambled = dataclasses.replace(
        sample_report,
        documents=tuple(reversed(sample_report.documents)),
        findings=tuple(reversed(sample_report.findings)),
    )
    assert text.render(scrambled) == text.render(sample_report)


def test_no_colour_unless_asked(sample_report: Report) -> None:
    assert "\x1b[" not in text.render(sample_report)


def test_colour_adds_only_ansi_codes(sample_report: Report) -> None:
    coloured = text.render(sample_report, color=True)
    assert "\x1b[" in coloured
    assert ANSI.sub("", coloured) == EXPECTED


def test_colour_marks_code_and_severity_but_leaves_the_message_plain(sample_report: Report) -> None:
    coloured = text.render(sample_report, color=True)
    line = next(line for line in coloured.splitlines() if "M001" in line)
    assert line == "b/chapter.txt:12:5: \x1b[1mM001\x1b[0m \x1b[1;31m[error]\x1b[0m note marker 7 has no note"


def test_colour_ignores_no_color_because_the_caller_decides(sample_report: Report, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" in text.render(sample_report, color=True)


def test_empty_report() -> None:
    assert text.render(Report(version="0")) == "0 errors, 0 warnings, 0 info in 0 documents (0 citations, 0 URLs)"


def test_findings_without_document_or_location_come_last_without_a_position() -> None:
    report = Report(
        version="0",
        documents=(DocumentSummary("x.txt", "text", 0, 0, 0),),
        findings=(finding("L002", Severity.WARNING, "archive unreachable", None),),
    )
    assert text.render(report).splitlines() == [
        "x.txt: 0 notes, 0 citations, 0 URLs; no findings",
        "",
        "L002 [warning] archive unreachable",
        "",
        "0 errors, 1 warning, 0 info in 1 document (0 citations, 0 URLs)",
    ]


def test_a_multi_line_message_stays_on_one_line() -> None:
    report = Report(
        version="0",
        findings=(
            finding(
                "P001", Severity.INFO, "could not parse:\n  Smith, A\n  Title", "n.txt", 3, 1, suggestion="split\nit"
            ),
        ),
    )
    lines = text.render(report).splitlines()
    assert lines[1] == "n.txt:3:1: P001 [info] could not parse: Smith, A Title"
    assert lines[2] == "  → split it"


def test_url_already_in_the_message_is_not_repeated() -> None:
    report = Report(
        version="0",
        findings=(finding("L004", Severity.INFO, "https://a.example/ moved", "n.txt", 1, 1, url="https://a.example/"),),
    )
    assert "url:" not in text.render(report)


ESCAPES = "\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b]0;title\x07\x1b[2K\x1b[1A\r0 errors\x9b31m\u202e"


def test_document_text_urls_and_file_names_cannot_drive_the_terminal() -> None:
    # An OSC 52 clipboard write, a window title, erased lines faking "0 errors", a C1 CSI, a bidi override.
    report = Report(
        version="0",
        findings=(
            finding("P001", Severity.INFO, "could not parse: " + ESCAPES, "x\x1b[2J.txt", 3, 1,
                    url="https://e.org/\x1b[8m", suggestion="fix \x1b[0m"),
        ),
    )
    for color in (False, True):
        out = text.render(report, color=color)
        plain = re.sub(r"\x1b\[[0-9;]*m", "", out) if color else out  # only rich's colour codes may stay
        assert "\x1b" not in plain and "\x07" not in plain and "\x9b" not in plain and "\u202e" not in plain
        assert "\r" not in plain
    lines = text.render(report).splitlines()
    assert lines[0] == "x\\x1b[2J.txt:"
    assert lines[1].startswith("x\\x1b[2J.txt:3:1: P001 [info] could not parse: \\x1b]52;c;ZWNobyBwd25lZA==\\x07")
    assert "\\x9b31m\\u202e" in lines[1]
    assert lines[2] == "  url: https://e.org/\\x1b[8m"
    assert lines[3] == "  → fix \\x1b[0m"


def test_a_file_name_can_never_start_a_workflow_command() -> None:
    names = ["a\n::stop-commands::tok\n.txt", "::stop-commands::tok.txt", "##[group]x.txt", " ::error::x.txt"]
    report = Report(version="0", findings=tuple(finding("M001", Severity.ERROR, "m", n, 1, 1) for n in names))
    for line in text.render(report).splitlines():
        assert not line.lstrip().startswith(("::", "##")), line
    assert "a\\n::stop-commands::tok\\n.txt:1:1: M001 [error] m" in text.render(report).splitlines()
    assert "./::stop-commands::tok.txt:1:1: M001 [error] m" in text.render(report).splitlines()
