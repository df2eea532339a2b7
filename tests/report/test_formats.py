"""render() by format name, write() by file extension."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.errors import UsageError
from verifier.model import Report
from verifier.report import check_format, format_for_path, output_path, render, write


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("r.json", "json"),
        ("r.md", "markdown"),
        ("R.HTML", "html"),
        ("r.sarif", "sarif"),
        ("junit.xml", "junit"),
        ("r.txt", "text"),
    ],
)
def test_format_from_extension(name: str, fmt: str) -> None:
    assert format_for_path(name) == fmt


@pytest.mark.parametrize("name", ["report.pdf", "report"])
def test_unknown_extension_is_a_usage_error(name: str) -> None:
    with pytest.raises(UsageError, match=f"cannot tell the report format of '{name}'"):
        format_for_path(name)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html", "sarif", "junit"])
def test_every_format_renders_every_finding(sample_report: Report, fmt: str) -> None:
    rendered = render(sample_report, fmt)
    for finding in sample_report.findings:
        assert finding.code in rendered
    assert not rendered.endswith("\n")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("report.html", "reports/report.html", id="bare-name-goes-to-reports"),
        pytest.param("html", "reports/report.html", id="format-name"),
        pytest.param("md", "reports/report.md", id="extension"),
        pytest.param("junit", "reports/junit.xml", id="junit"),
        pytest.param("out/r.sarif", "out/r.sarif", id="folder-kept"),
        pytest.param("./r.json", "./r.json", id="dot-slash-means-here"),
        pytest.param("/abs/r.xml", "/abs/r.xml", id="absolute"),
    ],
)
def test_output_path(value: str, expected: str) -> None:
    assert output_path(value) == Path(expected)


def test_unknown_format_names_the_choices(sample_report: Report) -> None:
    with pytest.raises(UsageError, match="unknown report format 'yaml'.*text, json"):
        check_format("yaml")


def test_write_creates_folders_and_picks_the_format(sample_report: Report, tmp_path: Path) -> None:
    json_path = write(sample_report, tmp_path / "deep" / "er" / "report.json")
    text_path = write(sample_report, tmp_path / "report.txt")
    assert json.loads(json_path.read_text(encoding="utf-8")) == sample_report.to_json()
    written = text_path.read_text(encoding="utf-8")
    assert written.startswith("a/clean.md: 1 note") and written.endswith("could not be read\n")
    assert "\x1b[" not in written


def test_write_refuses_an_unknown_format_without_touching_the_disk(sample_report: Report, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot tell the report format"):
        write(sample_report, tmp_path / "new" / "report.pdf")
    assert not (tmp_path / "new").exists()


def test_write_passes_the_threshold_to_junit(sample_report: Report, tmp_path: Path) -> None:
    strict = write(sample_report, tmp_path / "strict.xml", fail_on="info").read_text(encoding="utf-8")
    lenient = write(sample_report, tmp_path / "lenient.xml", fail_on="never").read_text(encoding="utf-8")
    assert strict.count("<failure") == 4 and lenient.count("<failure") == 0
