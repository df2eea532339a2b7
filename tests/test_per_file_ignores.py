"""per-file-ignores: rule codes or prefixes not reported in documents matching a glob (real CLI)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from verifier.cli import main

BOOK = "Sergei Volkov, *Rails against Rivers: Russian Transport, 1880-1914* (Moscow: Nauka, 2005)"
# Marker 2 has no note (M001); note 3 has no marker (M002) and skips 2 (M003).
BROKEN = f"Grain.¹ Barges.²\n\nNotes\n\n1. {BOOK}, p. 112.\n3. {BOOK}, p. 9.\n"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for path in ("book/ch1.txt", "drafts/notes.txt", "drafts/deep/old.txt"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(BROKEN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def reported(out: str) -> set[tuple[str, str]]:
    """(document, code) of the note-numbering findings (M001–M003) the text report lists."""
    return {(m.group(1), m.group(2)) for m in re.finditer(r"(?m)^([\w/.]+):\d+(?::\d+)?: (M00[123]) ", out)}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, set[tuple[str, str]], str]:
    status = main(["check", ".", "--offline", "--fail-on", "warning", *args])
    captured = capsys.readouterr()
    return status, reported(captured.out), captured.err


def test_pyproject_table_by_code_and_prefix(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "pyproject.toml").write_text(
        '[tool.verifier]\n[tool.verifier.per-file-ignores]\n"drafts/*" = ["M"]\n"ch1.txt" = ["M002", "m003"]\n',
        encoding="utf-8",
    )
    status, found, _ = run([], capsys)
    assert status == 1
    assert found == {("book/ch1.txt", "M001")}  # '*' crosses folders; a bare name matches the file name


def test_verifier_toml_with_a_comma_string_and_double_star(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "verifier.toml").write_text('[per-file-ignores]\n"**/deep/*.txt" = "M001,M002,M003"\n',
                                        encoding="utf-8")
    _, found, _ = run([], capsys)
    assert {doc for doc, _ in found} == {"book/ch1.txt", "drafts/notes.txt"}


def test_the_command_line_wins(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "verifier.toml").write_text('[per-file-ignores]\n"drafts/*" = ["M"]\n', encoding="utf-8")
    _, found, _ = run(["--per-file-ignores", "book/*=M001,M002,M003"], capsys)
    assert {doc for doc, _ in found} == {"drafts/notes.txt", "drafts/deep/old.txt"}


def test_an_unknown_code_is_an_error_naming_the_glob(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "verifier.toml").write_text('[per-file-ignores]\n"drafts/*" = ["Z9"]\n', encoding="utf-8")
    status, found, err = run([], capsys)
    assert status == 2 and found == set()
    assert err.strip() == "verifier: error: per-file-ignores 'drafts/*': unknown rule code or prefix 'Z9' " \
                          "(see `verifier rules`)"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        pytest.param('per-file-ignores = "M001"\n', "'per-file-ignores' must be a table", id="not-a-table"),
        pytest.param('[per-file-ignores]\n"a" = 3\n', "maps a glob to a list of rule codes", id="not-codes"),
        pytest.param('per-file-ignore = {}\n', "unknown key 'per-file-ignore'", id="misspelt-key"),
    ],
)
def test_config_errors_name_the_key(work: Path, capsys: pytest.CaptureFixture[str], toml: str, message: str) -> None:
    (work / "verifier.toml").write_text(toml, encoding="utf-8")
    status, _, err = run([], capsys)
    assert status == 2 and message in err and "verifier.toml" in err


def test_a_command_line_entry_without_codes_is_refused(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(["--per-file-ignores", "drafts/*"], capsys)
    assert status == 2 and "GLOB=CODES" in err


def test_without_ignores_every_document_reports_all_three(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, found, _ = run([], capsys)
    docs = ("book/ch1.txt", "drafts/notes.txt", "drafts/deep/old.txt")
    assert found == {(d, c) for d in docs for c in ("M001", "M002", "M003")}
