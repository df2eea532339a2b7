"""render() by format name, write() by file extension."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.errors import UsageError
from verifier.model import Report
from verifier.report import check_format, format_for_path, render, write


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


@pytest.mark.parametrize("fmt", ["markdown", "html", "sarif", "junit"])
def test_later_formats_say_they_are_not_available_yet(sample_report: Report, fmt: str) -> None:
    with pytest.raises(UsageError, match=f"the {fmt} report format is not available yet"):
        render(sample_report, fmt)


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


def test_write_refuses_an_unavailable_format_without_touching_the_disk(sample_report: Report, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not available yet"):
        write(sample_report, tmp_path / "new" / "report.sarif")
    assert not (tmp_path / "new").exists()
