"""GitHub Actions annotations: one workflow command per finding, escaped by the runner's rules."""

from __future__ import annotations

from verifier.model import Report, Severity
from verifier.report import github

from .conftest import finding


def test_one_command_per_finding_in_order(sample_report: Report) -> None:
    lines = github.render(sample_report).splitlines()
    assert lines == [
        "::error file=b/chapter.txt,line=12,col=5,title=M001 rule-m001::note marker 7 has no note%0A→ add note 7",
        "::warning file=b/chapter.txt,line=30,title=M003 rule-m003::note 5 follows note 3",
        "::notice file=b/chapter.txt,line=40,col=1,title=D002 rule-d002::“Tajik Treaty” cited in full again",
        "::error file=b/chapter.txt,line=40,col=7,title=L001 rule-l001::dead link (404)%0Ahttps://example.org/goble"
        "%0A→ https://web.archive.org/web/19990501/https://example.org/goble",
        "::error file=c/missing.pdf,title=P002 rule-p002::cannot read: No such file or directory",
    ]


def test_data_and_properties_are_escaped() -> None:
    f = finding("I001", Severity.WARNING, "100% sure\r\n::error::injected", "a,b:c.md", 3, 2)
    line = github.annotation(f)
    assert line == "::warning file=a%2Cb%3Ac.md,line=3,col=2,title=I001 rule-i001::100%25 sure ::error::injected"
    assert "\n" not in line and "\r" not in line


def test_a_newline_in_a_suggestion_cannot_start_a_command() -> None:
    f = finding("M001", Severity.ERROR, "m", "a.md", 1, None, suggestion="x\n::error file=evil::boom")
    line = github.annotation(f)
    assert line.count("\n") == 0
    assert line.endswith("→ x ::error file=evil::boom")


def test_escape_rules() -> None:
    assert github.escape_data("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad:e,f"
    assert github.escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"


def test_nothing_when_there_are_no_findings() -> None:
    assert github.render(Report(version="0")) == ""


def test_control_characters_in_text_urls_and_file_names_are_shown_as_escapes() -> None:
    f = finding("P001", Severity.INFO, "note \x1b]0;pwned\x07 \x9b2J", "a\n::stop-commands::tok\n.txt", 1, 1,
                url="https://e.org/\x1b[8m", suggestion="x\x1b[0m")
    line = github.annotation(f)
    assert "\n" not in line and "\x1b" not in line and "\x07" not in line and "\x9b" not in line
    assert "file=a\\n%3A%3Astop-commands%3A%3Atok\\n.txt," in line
    assert line.endswith("::note \\x1b]0;pwned\\x07 \\x9b2J%0Ahttps://e.org/\\x1b[8m%0A→ x\\x1b[0m")
