"""The linter conventions people type by habit: --quiet, --statistics, --show-settings, --exit-zero, stdin,
--color, "did you mean", where reports were written, JUnit dialects, and the renamed URL exclusion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.cli import main

from .test_cli import DOCUMENTS, run


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, content in DOCUMENTS.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def test_quiet_prints_findings_only(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "clean.txt", "broken.txt", "--offline", "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "M001" in out and "clean.txt" not in out and "errors," not in out


def test_quiet_on_a_clean_document_prints_nothing(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "clean.txt", "--offline", "--quiet"]) == 0
    assert capsys.readouterr().out == ""


def test_statistics_counts_per_code(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "broken.txt", "warning.txt", "--offline", "--statistics"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "2  M002  note-without-marker" in lines
    assert "1  M001  marker-without-note" in lines


def test_exit_zero_with_findings_but_2_stays_for_unreadable_input(docs: Path) -> None:
    assert main(["check", "broken.txt", "--offline", "--exit-zero"]) == 0
    assert main(["check", "missing.txt", "--offline", "--exit-zero"]) == 2


def test_show_settings_says_where_each_value_came_from(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (docs / "verifier.toml").write_text('fail-on = "warning"\nselect = ["M"]\n', encoding="utf-8")
    assert main(["check", "broken.txt", "--offline", "--show-settings"]) == 0
    out = capsys.readouterr().out
    assert f'fail-on = "warning"  # {docs / "verifier.toml"}' in out
    assert 'select = ["M"]' in out
    assert "offline = true  # command line" in out
    assert 'format = "text"  # default' in out
    assert "M001" not in out  # nothing was checked


def test_stdin_with_stdin_filename_gives_format_and_reported_path(docs: Path) -> None:
    text = DOCUMENTS["broken.txt"].replace("Notes\n", "")  # markdown below: footnotes instead
    proc = run("check", "-", "--stdin-filename", "chapter.md", "--offline", "--format", "json", cwd=docs,
               stdin="Trade.[^1] Agents.[^2]\n\n[^1]: " + text.splitlines()[-1] + "\n")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert [(d["path"], d["format"]) for d in report["documents"]] == [("chapter.md", "markdown")]
    assert [f["code"] for f in report["findings"]] == ["M001"]


def test_color_always_and_never(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "broken.txt", "--offline", "--color", "always"])
    assert "\x1b[" in capsys.readouterr().out
    main(["check", "broken.txt", "--offline", "--color", "never"])
    assert "\x1b[" not in capsys.readouterr().out


def test_unknown_option_suggests_the_nearest(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "clean.txt", "--quite"]) == 2
    assert "did you mean '--quiet'?" in capsys.readouterr().err


def test_unknown_config_key_suggests_the_nearest(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (docs / "pyproject.toml").write_text('[tool.verifier]\nfail_onn = "warning"\n', encoding="utf-8")
    assert main(["check", "clean.txt", "--offline"]) == 2
    assert "unknown key 'fail_onn' (did you mean 'fail-on'?)" in capsys.readouterr().err


def test_each_written_report_is_named_on_stderr(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "clean.txt", "--offline", "--output", "html", "--output", "out/r.json"])
    err = capsys.readouterr().err
    assert "verifier: wrote html report to reports/report.html" in err
    assert "verifier: wrote json report to out/r.json" in err
    main(["check", "clean.txt", "--offline", "--output", "html", "--quiet"])
    assert capsys.readouterr().err == ""


def test_junit_jenkins_dialect_has_no_file_or_line(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "broken.txt", "--offline", "--format", "junit"])
    assert ' file="broken.txt"' in capsys.readouterr().out
    main(["check", "broken.txt", "--offline", "--format", "junit", "--junit-dialect", "jenkins"])
    out = capsys.readouterr().out
    assert "<testcase" in out and " file=" not in out and " line=" not in out


def test_old_url_exclude_still_works_with_a_deprecation_warning(docs: Path, capsys: pytest.CaptureFixture[str]
                                                                 ) -> None:
    assert main(["check", "clean.txt", "--offline", "--exclude", r"^https://example\.org/", "--show-settings"]) == 0
    captured = capsys.readouterr()
    assert "verifier: warning: --exclude is now for path globs" in captured.err and "--exclude-url" in captured.err
    assert r'exclude-url = ["^https://example\\.org/"]' in captured.out
    assert "exclude = []" in captured.out


def test_exclude_and_extend_exclude_in_config_skip_paths(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (docs / "drafts").mkdir()
    (docs / "drafts" / "d.txt").write_text(DOCUMENTS["broken.txt"], encoding="utf-8")
    (docs / "verifier.toml").write_text('extend-exclude = ["drafts/", "broken.txt", "warning.txt", "info.txt"]\n',
                                        encoding="utf-8")
    assert main(["check", ".", "--offline", "--format", "json"]) == 0
    assert [d["path"] for d in json.loads(capsys.readouterr().out)["documents"]] == ["clean.txt"]


def _codes(capsys: pytest.CaptureFixture[str]) -> list[tuple[str, int]]:
    return [(f["code"], f["location"]["line"]) for f in json.loads(capsys.readouterr().out)["findings"]]


def test_inline_markdown_suppression(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    note = DOCUMENTS["clean.txt"].splitlines()[-1].removeprefix("1. ")
    (docs / "a.md").write_text(
        f"Trade.[^1] Agents.[^2]\n\n<!-- verifier: ignore[M001] -->\nBarges.[^3]\n\n[^1]: {note}\n",
        encoding="utf-8")
    main(["check", "a.md", "--offline", "--format", "json"])
    assert _codes(capsys) == [("M001", 1)]  # line 4's M001 is suppressed by the comment above it
    main(["check", "a.md", "--offline", "--format", "json", "--select", "M002"])
    assert _codes(capsys) == []
    main(["check", "a.md", "--offline", "--format", "json", "--select", "M002,S", "--report-unused-suppressions"])
    assert _codes(capsys) == [("S001", 3)]


def test_inline_latex_suppression(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (docs / "refs.bib").write_text("@book{known, title={Rails}, author={Volkov, Sergei}, publisher={Nauka}, "
                                   "year={2005}}\n", encoding="utf-8")
    (docs / "paper.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\nSee \\cite{nokey}. % verifier: ignore[M004]\n"
        "And \\cite{other} \\cite{known}.\n\\bibliography{refs}\n\\end{document}\n", encoding="utf-8")
    main(["check", "paper.tex", "--offline", "--format", "json"])
    assert _codes(capsys) == [("M004", 4)]


def test_no_progress_draws_no_bars(docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from verifier import cli

    def bars() -> None:
        raise AssertionError("progress bars drawn despite --no-progress")

    monkeypatch.setattr(cli, "_progress_bars", bars)
    assert main(["check", "clean.txt", "--offline", "--no-progress"]) == 0
