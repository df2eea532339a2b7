"""One ``verifier check`` run writes every report format, of the same findings; CI sees annotations."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from verifier.cli import main

BOOK = "Sergei Volkov, *Rails against Rivers: Russian Transport, 1880-1914* (Moscow: Nauka, 2005)"
ARTICLE = 'Anna Kuznetsova, "The Barge Haulers of the Volga", *Slavic Review*, vol. 60, No. 3, 2001, p. 410.'
CHAPTER = (
    "The merchants controlled the grain.¹ Their agents met every barge.²\n\n"
    f"Notes\n\n1. {BOOK}, p. 112.\n3. {ARTICLE} <script>alert(1)</script>\n"
)
SARIF_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif-2.1.0.json"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "chapter.txt").write_text(CHAPTER, encoding="utf-8")
    (tmp_path / "docs" / "clean.txt").write_text(f"Barges.¹\n\nNotes\n\n1. {BOOK}, p. 112.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def test_one_run_writes_html_markdown_sarif_junit_and_json_of_the_same_findings(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["check", "docs", "--offline", "--format", "json"]
    for name in ("report.html", "report.md", "report.sarif", "junit.xml", "report.json"):
        args += ["--output", name]
    assert main(args) == 1
    stdout = capsys.readouterr().out
    folder = work / "reports"
    assert sorted(p.name for p in folder.iterdir()) == ["junit.xml", "report.html", "report.json", "report.md",
                                                         "report.sarif"]
    data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert data == json.loads(stdout)
    expected = sorted((f["code"], f["document"], f["location"]["line"]) for f in data["findings"])
    assert [c for c, _, _ in expected] == ["M001", "M002", "M003"]

    sarif = json.loads((folder / "report.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert sorted(
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
         r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results
    ) == expected
    assert sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == work.as_uri() + "/"
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft7Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(sarif)

    junit = ET.parse(folder / "junit.xml").getroot()
    failed = sorted((case.get("name", "").split()[0], case.get("classname")) for case in junit.iter("testcase")
                    if case.find("failure") is not None)
    assert failed == [("M001", "docs/chapter.txt")]  # --fail-on error: the warnings pass
    assert {s.get("name") for s in junit.iter("testsuite")} == {"docs/chapter.txt", "docs/clean.txt"}
    assert int(junit.get("tests", "0")) > 2  # a case per rule that ran, for each document

    markdown = (folder / "report.md").read_text(encoding="utf-8")
    for code, _document, line in expected:
        assert re.search(rf"\| {line}(:\d+)? \| `{code}`", markdown)

    page = (folder / "report.html").read_text(encoding="utf-8")
    assert [m for m in re.findall(r'data-rule="(\w+)"', page)][:3] == ["M001", "M002", "M003"]
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_fail_on_reaches_the_junit_report(work: Path) -> None:
    main(["check", "docs", "--offline", "--fail-on", "warning", "--output", "junit"])
    junit = ET.parse(work / "reports" / "junit.xml").getroot()
    assert junit.get("failures") == "3"


@pytest.mark.parametrize("fmt", ["markdown", "html", "sarif", "junit"])
def test_every_format_on_stdout(work: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    assert main(["check", "docs", "--offline", "--format", fmt]) == 1
    out = capsys.readouterr().out
    assert "M001" in out


def test_github_actions_annotations(work: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["check", "docs", "--offline"]) == 1
    out = capsys.readouterr().out
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    assert [a.split(" ", 1)[0] for a in annotations] == ["::error", "::warning", "::warning"]
    assert annotations[0].startswith("::error file=docs/chapter.txt,line=1,col=")
    assert ",title=M001 marker-without-note::" in annotations[0]

    assert main(["check", "docs", "--offline", "--format", "sarif"]) == 1
    captured = capsys.readouterr()
    json.loads(captured.out)  # stdout stays a clean SARIF document
    assert captured.err.count("::error ") == 1


def test_no_annotations_outside_github_actions(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "docs", "--offline"])
    assert "::error" not in capsys.readouterr().out


def test_the_real_command_writes_reports_into_reports(work: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "verifier", "check", "docs", "--offline", "--output", "html", "--output", "sarif"],
        capture_output=True, text=True, cwd=work, timeout=120, env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )
    assert done.returncode == 1, done.stderr
    assert (work / "reports" / "report.html").is_file() and (work / "reports" / "report.sarif").is_file()


def test_a_rerun_on_the_folder_does_not_check_its_own_reports(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", ".", "--offline", "--output", "html", "--output", "md", "--format", "json"])
    first = json.loads(capsys.readouterr().out)
    main(["check", ".", "--offline", "--format", "json"])
    second = json.loads(capsys.readouterr().out)
    assert [d["path"] for d in second["documents"]] == [d["path"] for d in first["documents"]]
    assert second["findings"] == first["findings"]
    (work / "notes.md").write_text("# Notes\n\nA hand-written page about <!-- verifier report --> ideas.\n",
                                   encoding="utf-8")
    main(["check", ".", "--offline", "--format", "json"])
    assert "notes.md" in [d["path"] for d in json.loads(capsys.readouterr().out)["documents"]]


def test_a_full_disk_leaves_the_previous_report_whole(work: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    import errno

    assert main(["check", "--offline", "--no-cache", "docs", "--output", "reports/out.json"]) == 1
    good = (work / "reports/out.json").read_text(encoding="utf-8")
    json.loads(good)

    def full_disk(fd: int) -> None:  # the data went to the page cache; the disk cannot take it
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    (work / "docs" / "more.txt").write_text("More.¹\n\nNotes\n\n1. " + BOOK + ", p. 1.\n" * 200, encoding="utf-8")
    status = main(["check", "--offline", "--no-cache", "docs", "--output", "reports/out.json"])
    monkeypatch.undo()
    assert status == 2
    assert "cannot write report to 'reports/out.json': No space left on device" in capsys.readouterr().err
    assert (work / "reports/out.json").read_text(encoding="utf-8") == good  # the old report, whole
    assert [p.name for p in (work / "reports").iterdir()] == ["out.json"]  # no temporary file left behind


def test_the_report_replaces_the_old_one_with_the_usual_permissions(work: Path) -> None:
    (work / "reports").mkdir()
    (work / "reports" / "out.md").write_text("old", encoding="utf-8")
    assert main(["check", "--offline", "--no-cache", "docs", "--output", "reports/out.md"]) == 1
    assert (work / "reports" / "out.md").read_text(encoding="utf-8").startswith("<!-- verifier report")
    umask = os.umask(0)
    os.umask(umask)
    assert (work / "reports" / "out.md").stat().st_mode & 0o777 == 0o666 & ~umask
