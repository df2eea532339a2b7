"""The SARIF 2.1.0 report: valid against the official schema, rules with help, results on lines."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from verifier.model import Citation, Fields, Kind, Location, Report, Severity
from verifier.report import sarif
from verifier.rules.catalog import RULES

from .conftest import finding

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def errors_of(validator: Any, log: dict[str, Any]) -> list[str]:
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(log)]


@pytest.mark.parametrize(
    "root", [pytest.param(None, id="no-root"), pytest.param("/work/project", id="with-root")]
)
def test_validates_against_the_official_schema(validator: Any, sample_report: Report, root: str | None) -> None:
    log = json.loads(sarif.render(sample_report, root=root))
    assert errors_of(validator, log) == []
    assert log["version"] == "2.1.0"


def test_an_empty_report_validates(validator: Any) -> None:
    log = json.loads(sarif.render(Report(version="0")))
    assert errors_of(validator, log) == []
    assert log["runs"][0]["results"] == []


def test_the_schema_is_the_official_one() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"].endswith("sarif-schema-2.1.0.json")
    assert "result" in schema["definitions"] and "reportingDescriptor" in schema["definitions"]


def test_rules_carry_descriptions_help_and_level(sample_report: Report) -> None:
    driver = json.loads(sarif.render(sample_report))["runs"][0]["tool"]["driver"]
    assert driver["name"] == "verifier" and driver["version"] == "0.1.0"
    rules = {r["id"]: r for r in driver["rules"]}
    assert list(rules) == list(RULES)
    l001 = rules["L001"]
    assert l001["name"] == "link-dead"
    assert l001["shortDescription"]["text"].startswith("404, 410")
    assert "confirmed on a retry" in l001["fullDescription"]["text"]
    assert "## Fix" in l001["help"]["markdown"] and "## Why it matters" in l001["help"]["text"]
    levels = {code: r["defaultConfiguration"]["level"] for code, r in rules.items()}
    assert (levels["L001"], levels["M002"], levels["M009"]) == ("error", "warning", "note")


def test_results_name_rule_level_and_line(sample_report: Report) -> None:
    run = json.loads(sarif.render(sample_report, root="/work/project"))["runs"][0]
    results = {r["ruleId"]: r for r in run["results"]}
    assert [r["ruleId"] for r in run["results"]] == ["M001", "M003", "D002", "L001", "P002"]
    m001 = results["M001"]
    assert m001["level"] == "error"
    assert run["tool"]["driver"]["rules"][m001["ruleIndex"]]["id"] == "M001"
    assert m001["message"]["text"] == "note marker 7 has no note Suggestion: add note 7"
    location = m001["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "b/chapter.txt", "uriBaseId": "%SRCROOT%", "index": 1}
    assert location["region"] == {"startLine": 12, "startColumn": 5}
    assert results["M003"]["locations"][0]["physicalLocation"]["region"] == {"startLine": 30}
    assert results["D002"]["level"] == "note"
    assert results["P002"]["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}  # the whole file
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///work/project/"}}
    assert run["columnKind"] == "unicodeCodePoints"


@pytest.mark.parametrize(
    ("document", "root", "expected"),
    [
        pytest.param("./docs//a b.md", None, {"uri": "docs/a%20b.md", "uriBaseId": "%SRCROOT%"}, id="relative"),
        pytest.param("/work/project/docs/a.md", "/work/project", {"uri": "docs/a.md", "uriBaseId": "%SRCROOT%"},
                     id="absolute-under-root"),
        pytest.param("/elsewhere/a.md", "/work/project", {"uri": "file:///elsewhere/a.md"}, id="absolute-outside"),
    ],
)
def test_paths_are_relative_to_the_working_directory(document: str, root: str | None, expected: dict) -> None:
    report = Report(version="0", findings=(finding("M001", Severity.ERROR, "m", document, 1, 1),))
    location = sarif.log(report, root=root)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert {k: v for k, v in location["artifactLocation"].items() if k != "index"} == expected


def _cited(line: int, note: str, raw: str) -> tuple[Citation, Any]:
    c = Citation(f"c{line}", "a.txt", note, Location(line, 1), raw, Kind.BOOK, Fields(title="T"))
    return c, finding("D002", Severity.INFO, f"Note {note} cites “T” in full again", "a.txt", line, 1,
                      citations=(c.id,))


def test_fingerprints_survive_edits_elsewhere_but_tell_findings_apart() -> None:
    c1, f1 = _cited(10, "4", "Smith, T, 1990, p. 3.")
    c2, f2 = _cited(20, "7", "Jones, U, 1991, p. 9.")
    before = Report(version="0", citations=(c1, c2), findings=(f1, f2))
    # A paragraph and a note inserted above: lines, ids and note numbers move.
    moved1 = dataclasses.replace(c1, id="c99", location=Location(15, 1), note="5")
    moved_f1 = dataclasses.replace(f1, location=Location(15, 1), message="Note 5 cites “T” in full again",
                                   citations=("c99",))
    after = Report(version="0", citations=(moved1, c2), findings=(moved_f1, f2))

    def prints(report: Report) -> list[str]:
        return [r["partialFingerprints"][sarif.FINGERPRINT] for r in sarif.log(report)["runs"][0]["results"]]

    assert prints(before) == prints(after)
    assert len(set(prints(before))) == 2


def test_every_result_has_a_location_because_github_rejects_the_log_otherwise(sample_report: Report) -> None:
    c1 = sample_report.citations[0]
    report = dataclasses.replace(
        sample_report,
        findings=(
            finding("L002", Severity.WARNING, "archive unreachable for this URL", None, citations=("c1",)),
            finding("L002", Severity.WARNING, "the archive did not answer", None),
        ),
    )
    results = sarif.log(report)["runs"][0]["results"]
    places = [
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["locations"][0]["physicalLocation"]["region"])
        for r in results
    ]
    assert places == [
        (c1.document, {"startLine": c1.location.line, "startColumn": c1.location.column}),  # where it is cited
        ("a/clean.md", {"startLine": 1}),  # the first document
    ]
