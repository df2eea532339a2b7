"""Baselines: record today's findings, report only new ones — keyed so that edits elsewhere survive."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from verifier import baseline
from verifier.cli import main
from verifier.errors import UsageError
from verifier.model import Citation, Fields, Finding, Kind, Location, Report, Severity

BOOK = "Sergei Volkov, *Rails against Rivers: Russian Transport, 1880-1914* (Moscow: Nauka, 2005)"
ARTICLE = 'Anna Kuznetsova, "The Barge Haulers of the Volga", *Slavic Review*, vol. 60, No. 3, 2001, p. 410.'

# Marker 2 has no note (M001); note 3 has no marker (M002) and skips 2 (M003).
CHAPTER = (
    "The merchants controlled the grain.¹ Their agents met every barge.²\n\n"
    f"Notes\n\n1. {BOOK}, p. 112.\n3. {ARTICLE}\n"
)


def f(code: str, message: str, line: int, *cites: str, document: str = "a.txt") -> Finding:
    return Finding(code, code.lower(), Severity.WARNING, message, document, Location(line, 1), cites)


def cite(cid: str, raw: str) -> Citation:
    return Citation(cid, "a.txt", "1", Location(1, 1), raw, Kind.BOOK, Fields())


# ------------------------------------------------------------------ keys


def test_keys_hold_no_line_and_survive_renumbered_notes() -> None:
    recorded = baseline.Baseline.of([baseline.finding_key(f("M003", "Note 5 follows note 3", 30), {})])
    moved = f("M003", "Note 6 follows note 4", 41)  # a note was inserted above: numbers and line moved
    assert recorded.new_findings([moved], {}) == []


def test_citation_text_tells_findings_with_the_same_message_apart() -> None:
    raw = {"c1": "Smith, Title A, 1990.", "c2": "Jones, Title B, 1991.", "c9": "Smith,  Title A, 1990."}
    recorded = baseline.Baseline.of([baseline.finding_key(f("D002", "cited in full again", 10, "c1"), raw)])
    same_text_new_id = f("D002", "cited in full again", 99, "c9")
    other = f("D002", "cited in full again", 10, "c2")
    assert recorded.new_findings([same_text_new_id, other], raw) == [other]


def test_multiplicity_a_second_identical_finding_is_new() -> None:
    key = baseline.finding_key(f("M009", "unsourced quotation", 3), {})
    recorded = baseline.Baseline.of([key])
    first, second = f("M009", "unsourced quotation", 3), f("M009", "unsourced quotation", 80)
    assert recorded.new_findings([first, second], {}) == [second]
    assert baseline.Baseline.of([key, key]).new_findings([first, second], {}) == []


def test_exact_matches_win_over_renumbered_ones() -> None:
    recorded = baseline.Baseline.of([baseline.finding_key(f("M001", "Marker 7 has no note", 5), {})])
    renumbered_twin = f("M001", "Marker 9 has no note", 2)
    exact = f("M001", "Marker 7 has no note", 12)
    assert recorded.new_findings([renumbered_twin, exact], {}) == [renumbered_twin]


def test_document_paths_are_normalised() -> None:
    recorded = baseline.Baseline.of([baseline.finding_key(f("M001", "m", 1, document="./docs//a.txt"), {})])
    assert recorded.new_findings([f("M001", "m", 1, document="docs/a.txt")], {}) == []
    assert len(recorded.new_findings([f("M001", "m", 1, document="other/a.txt")], {})) == 1


def test_a_json_report_works_as_a_baseline() -> None:
    report = Report(version="0", citations=(cite("c1", "Smith, T."),), findings=(f("D002", "again", 4, "c1"),))
    loaded = baseline.parse(report.to_json())
    assert loaded.new_findings(list(report.findings), {"c1": "Smith, T."}) == []


def test_dump_round_trips_and_is_sorted() -> None:
    report = Report(version="0", findings=(f("M003", "b", 9, document="z.txt"), f("M001", "a", 2)))
    data = json.loads(baseline.dump(report))
    assert data["schema"] == "verifier-baseline/1"
    assert [(e["document"], e["code"]) for e in data["findings"]] == [("a.txt", "M001"), ("z.txt", "M003")]
    assert all(set(e) == {"code", "document", "exact", "loose", "message"} for e in data["findings"])  # no line
    assert baseline.parse(data).new_findings(list(report.findings), {}) == []


@pytest.mark.parametrize("content", ["not json", "[]", '{"findings": 3}', '{"schema": "verifier-baseline/1", '
                                     '"findings": [{"code": "M001"}]}'])
def test_a_broken_baseline_is_a_usage_error_naming_the_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match="cannot use baseline .*b.json"):
        baseline.load(path)


# ------------------------------------------------------------------ the command line


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "chapter.txt").write_text(CHAPTER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def codes(out: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"(?m)^chapter\.txt:\d+(?::\d+)?: (\w+) ", out)]


def test_baseline_makes_a_rerun_pass_until_a_new_defect_is_added(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "chapter.txt", "--offline", "--fail-on", "warning"]) == 1
    capsys.readouterr()
    assert main(["baseline", "chapter.txt", "--offline", "-o", "ci/baseline.json"]) == 0
    assert "recorded 3 findings in ci/baseline.json" in capsys.readouterr().err

    assert main(["check", "chapter.txt", "--offline", "--fail-on", "warning", "--baseline", "ci/baseline.json"]) == 0
    assert codes(capsys.readouterr().out) == []

    # Edits elsewhere: a new paragraph above moves every line; still nothing new.
    text = "A new opening paragraph.\n\nAnd another one.\n\n" + CHAPTER
    (work / "chapter.txt").write_text(text, encoding="utf-8")
    assert main(["check", "chapter.txt", "--offline", "--fail-on", "warning", "--baseline", "ci/baseline.json"]) == 0
    capsys.readouterr()

    # A new defect: a second marker without a note.
    text = text.replace("met every barge.²", "met every barge.² Steamers came later.⁴")
    (work / "chapter.txt").write_text(text, encoding="utf-8")
    assert main(["check", "chapter.txt", "--offline", "--fail-on", "warning", "--baseline", "ci/baseline.json"]) == 1
    assert codes(capsys.readouterr().out) == ["M001"]


def test_baseline_ignores_an_older_baseline_in_the_config(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["baseline", "chapter.txt", "--offline", "-o", "b1.json"]) == 0
    (work / "verifier.toml").write_text('baseline = "b1.json"\noffline = true\n', encoding="utf-8")
    assert main(["baseline", "chapter.txt", "-o", "b2.json"]) == 0
    assert len(json.loads((work / "b2.json").read_text(encoding="utf-8"))["findings"]) == 3
    assert main(["check", "chapter.txt", "--fail-on", "info"]) == 0  # the config's baseline applies to check


def test_baseline_needs_an_output(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["baseline", "chapter.txt"]) == 2
    assert "-o" in capsys.readouterr().err


def test_a_missing_baseline_file_exits_2(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "chapter.txt", "--offline", "--baseline", "nope.json"]) == 2
    assert capsys.readouterr().err.startswith("verifier: error: cannot use baseline nope.json")
