"""The JUnit XML report: a test case per document and rule, failures at or above --fail-on."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

import pytest

from verifier.model import DocumentSummary, Report, Severity
from verifier.report import junit

from .conftest import finding


def parse(report: Report, fail_on: str = "error") -> ET.Element:
    return ET.fromstring(junit.render(report, fail_on=fail_on).encode("utf-8"))


def cases(root: ET.Element, suite: str) -> dict[str, ET.Element]:
    node = root.find(f"testsuite[@name='{suite}']")
    assert node is not None, suite
    return {c.get("name", "").split()[0]: c for c in node.findall("testcase")}


def test_one_suite_per_document_and_a_case_per_rule_that_ran(sample_report: Report) -> None:
    report = dataclasses.replace(sample_report, rules=("M001", "M003", "D002", "L001", "I001"))
    root = parse(report)
    assert [s.get("name") for s in root.findall("testsuite")] == ["a/clean.md", "b/chapter.txt", "c/missing.pdf"]
    clean = cases(root, "a/clean.md")
    assert list(clean) == ["M001", "M003", "D002", "I001", "L001"]  # catalog order
    assert all(len(c) == 0 for c in clean.values())  # all passed
    chapter = cases(root, "b/chapter.txt")
    assert chapter["M001"].get("name") == "M001 marker-without-note"
    assert chapter["M001"].find("failure") is not None
    assert "b/chapter.txt:12:5: M001 [error] note marker 7 has no note" in chapter["M001"].findtext("failure", "")
    assert chapter["L001"].find("failure") is not None
    assert chapter["I001"].find("failure") is None


def test_findings_below_the_threshold_pass_with_their_text_in_system_out(sample_report: Report) -> None:
    chapter = cases(parse(sample_report, "error"), "b/chapter.txt")
    assert chapter["M003"].find("failure") is None
    assert "M003 [warning] note 5 follows note 3" in chapter["M003"].findtext("system-out", "")
    warning = cases(parse(sample_report, "warning"), "b/chapter.txt")
    assert warning["M003"].find("failure") is not None and warning["D002"].find("failure") is None
    never = parse(sample_report, "never")
    assert not list(never.iter("failure"))


def test_counts_add_up(sample_report: Report) -> None:
    root = parse(sample_report, "info")
    suites = root.findall("testsuite")
    assert root.get("tests") == str(sum(int(s.get("tests", "0")) for s in suites)) == "5"
    assert root.get("failures") == "4"
    assert root.get("errors") == "1"  # the unreadable input


def test_an_unreadable_input_is_an_error(sample_report: Report) -> None:
    missing = cases(parse(sample_report), "c/missing.pdf")
    error = missing["P002"].find("error")
    assert error is not None and "No such file" in error.get("message", "")


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b[31m", "\ufffe", "\ud800"])
def test_control_characters_in_citation_text_still_make_valid_xml(bad: str) -> None:
    report = Report(
        version="0",
        documents=(DocumentSummary("x.txt", "text", 1, 1, 0),),
        findings=(finding("P001", Severity.ERROR, f"could not parse “Smith{bad}, A & <B>”", "x.txt", 3, 1,
                          suggestion=f"fix{bad}"),),
    )
    root = parse(report)  # raises if the XML is not well-formed
    failure = root.find(".//failure")
    assert failure is not None
    assert "Smith\\x" in failure.get("message", "") or "Smith\\u" in failure.get("message", "")
    assert "& <B>" in (failure.text or "")


def test_findings_without_a_document_get_their_own_suite() -> None:
    report = Report(version="0", findings=(finding("L002", Severity.WARNING, "archive unreachable", None),))
    root = parse(report, "warning")
    assert [s.get("name") for s in root.findall("testsuite")] == ["verifier"]
    assert root.find(".//failure") is not None


def _jenkins_schema():  # type: ignore[no-untyped-def]
    from pathlib import Path

    from lxml import etree

    xsd = Path(__file__).parents[1] / "data" / "jenkins-junit-10.xsd"
    return etree, etree.XMLSchema(etree.parse(str(xsd)))


def test_the_jenkins_dialect_is_valid_for_the_xunit_schema_and_the_gitlab_one_locates_cases(
        sample_report: Report) -> None:
    etree, schema = _jenkins_schema()
    jenkins = etree.fromstring(junit.render(sample_report, dialect="jenkins").encode("utf-8"))
    assert schema.validate(jenkins), schema.error_log
    assert not jenkins.xpath("//testcase[@file or @line]")
    gitlab = etree.fromstring(junit.render(sample_report).encode("utf-8"))
    assert gitlab.xpath("//testcase[@file]")  # what GitLab shows; the xunit schema refuses it
    assert not schema.validate(gitlab)


def test_an_unknown_dialect_is_refused(sample_report: Report) -> None:
    with pytest.raises(ValueError, match="jenkins"):
        junit.render(sample_report, dialect="azure")
