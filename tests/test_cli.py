"""The ``verifier`` command as a user meets it: output, files written, exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import types
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

import verifier
import verifier.rules
from verifier.cli import main
from verifier.config import Settings
from verifier.errors import UsageError
from verifier.model import DocumentSummary, Finding, Location, Report, Severity
from verifier.rules.catalog import RULES

REPO = Path(__file__).resolve().parents[1]


def _finding(code: str, severity: Severity, message: str, document: str = "doc.txt", line: int = 3) -> Finding:
    return Finding(code, RULES[code].name, severity, message, document, Location(line, 1))


def _report(*findings: Finding, unreadable: Sequence[str] = ()) -> Report:
    return Report(
        version=verifier.__version__,
        documents=(DocumentSummary("doc.txt", "text", notes=2, citations=2, urls=1),),
        findings=findings,
        unreadable=tuple(unreadable),
    )


class FakePipeline(types.ModuleType):
    """Stands in for ``verifier.pipeline``: records the calls, returns ``self.report``."""

    def __init__(self) -> None:
        super().__init__("verifier.pipeline")
        self.report = _report()
        self.calls: list[tuple[str, list[str], Settings]] = []
        self.error: Exception | None = None

    def check(self, paths: Sequence[str | Path], settings: Settings) -> Report:
        self.calls.append(("check", [str(p) for p in paths], settings))
        if self.error is not None:
            raise self.error
        return self.report

    def parse(self, paths: Sequence[str | Path], settings: Settings) -> Report:
        self.calls.append(("parse", [str(p) for p in paths], settings))
        return self.report

    def parse_lines(self, lines: Iterable[str]) -> list[dict[str, Any]]:
        return [{"raw": line, "kind": "unknown", "fields": {}} for line in lines if line.strip()]

    @property
    def settings(self) -> Settings:
        return self.calls[-1][2]


def _fake_select_rules(select: Sequence[str], ignore: Sequence[str]) -> list[Any]:
    for code in (*select, *ignore):
        if not any(rule.startswith(code) for rule in RULES):
            raise UsageError(f"unknown rule code or prefix '{code}'")
    return list(RULES.values())


@pytest.fixture
def pipeline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakePipeline:
    fake = FakePipeline()
    monkeypatch.setitem(sys.modules, "verifier.pipeline", fake)
    monkeypatch.setattr(verifier, "pipeline", fake, raising=False)
    if not hasattr(verifier.rules, "select_rules"):  # until the rules package provides it
        monkeypatch.setattr(verifier.rules, "select_rules", _fake_select_rules, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray verifier.toml / pyproject.toml from the repo
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("VERIFIER_DEBUG", raising=False)
    return fake


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command in a child process, as a user or CI runs it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("VERIFIER_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "verifier", *args], capture_output=True, text=True, env=env, timeout=60
    )


# ---------------------------------------------------------------- check: exit status


def test_clean_run_exits_0_and_prints_the_text_report(pipeline: FakePipeline, capsys) -> None:
    assert main(["check", "doc.txt"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("doc.txt: 2 notes, 2 citations, 1 URL; no findings\n")
    assert out.endswith("0 errors, 0 warnings, 0 info in 1 document (2 citations, 1 URL)\n")
    assert pipeline.calls[0][:2] == ("check", ["doc.txt"])


def test_an_error_finding_exits_1(pipeline: FakePipeline, capsys) -> None:
    pipeline.report = _report(_finding("M001", Severity.ERROR, "note marker 7 has no note"))
    assert main(["check", "doc.txt"]) == 1
    assert "doc.txt:3:1: M001 [error] note marker 7 has no note" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("fail_on", "severity", "status"),
    [
        pytest.param(None, Severity.WARNING, 0, id="default-error-ignores-warning"),
        pytest.param("warning", Severity.WARNING, 1, id="warning-fails-on-warning"),
        pytest.param("warning", Severity.INFO, 0, id="warning-ignores-info"),
        pytest.param("info", Severity.INFO, 1, id="info-fails-on-info"),
        pytest.param("never", Severity.ERROR, 0, id="never-ignores-error"),
    ],
)
def test_fail_on(pipeline: FakePipeline, fail_on: str | None, severity: Severity, status: int) -> None:
    pipeline.report = _report(_finding("M003", severity, "note 5 follows note 3"))
    args = ["check", "doc.txt"] + (["--fail-on", fail_on] if fail_on else [])
    assert main(args) == status


def test_fail_on_from_the_config_file(pipeline: FakePipeline, tmp_path: Path) -> None:
    (tmp_path / "verifier.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    pipeline.report = _report(_finding("M003", Severity.WARNING, "note 5 follows note 3"))
    assert main(["check", "doc.txt"]) == 1
    assert main(["check", "doc.txt", "--fail-on", "error"]) == 0  # the command line wins


def test_an_unreadable_input_exits_2_and_the_report_is_still_printed(pipeline: FakePipeline, capsys) -> None:
    pipeline.report = _report(
        _finding("P002", Severity.ERROR, "cannot read: No such file or directory", "gone.txt"),
        unreadable=["gone.txt"],
    )
    assert main(["check", "doc.txt", "gone.txt", "--fail-on", "never"]) == 2
    out = capsys.readouterr().out
    assert "gone.txt: could not be read" in out
    assert "doc.txt: 2 notes" in out


# ---------------------------------------------------------------- check: formats and files


def test_json_on_stdout(pipeline: FakePipeline, capsys) -> None:
    pipeline.report = _report(_finding("M001", Severity.ERROR, "note marker 7 has no note"))
    assert main(["check", "doc.txt", "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["schema"] == "verifier-report/1"
    assert document["summary"] == {"error": 1, "warning": 0, "info": 0}


def test_outputs_are_written_by_extension_into_new_folders(pipeline: FakePipeline, tmp_path: Path, capsys) -> None:
    assert main(["check", "doc.txt", "--output", "reports/r.json", "--output", "out/deep/r.txt"]) == 0
    assert json.loads((tmp_path / "reports/r.json").read_text(encoding="utf-8"))["tool"]["name"] == "verifier"
    assert (tmp_path / "out/deep/r.txt").read_text(encoding="utf-8") == capsys.readouterr().out


def test_outputs_from_the_config_file(pipeline: FakePipeline, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.verifier]\noutput = ["reports/verifier.json"]\n', encoding="utf-8")
    assert main(["check", "doc.txt"]) == 0
    assert (tmp_path / "reports/verifier.json").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--format", "sarif"], "the sarif report format is not available yet", id="format-sarif"),
        pytest.param(["--output", "r.md"], "--output r.md: the markdown report format is not available yet", id="md"),
        pytest.param(["--output", "r.pdf"], "cannot tell the report format of 'r.pdf'", id="unknown-extension"),
    ],
)
def test_a_report_that_cannot_be_written_is_refused_before_the_run(
    pipeline: FakePipeline, capsys, args: list[str], message: str
) -> None:
    assert main(["check", "doc.txt", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("verifier: error: ") and message in err
    assert err.count("\n") == 1
    assert pipeline.calls == []


def test_an_output_that_cannot_be_written_exits_2(pipeline: FakePipeline, tmp_path: Path, capsys) -> None:
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    assert main(["check", "doc.txt", "--output", "taken/r.json"]) == 2
    assert "verifier: error: cannot write report to 'taken/r.json'" in capsys.readouterr().err


# ---------------------------------------------------------------- check: settings


def test_only_the_options_given_override_the_config(pipeline: FakePipeline, tmp_path: Path) -> None:
    (tmp_path / "verifier.toml").write_text("timeout = 3\nconcurrency = 5\nno-cache = true\n", encoding="utf-8")
    main(["check", "doc.txt", "--timeout", "7.5", "--cache", "c.sqlite", "--select", "M", "--select", "I001"])
    s = pipeline.settings
    assert (s.timeout, s.concurrency) == (7.5, 5)
    assert (s.cache, s.no_cache) == ("c.sqlite", False)
    assert s.select == ("M", "I001")
    assert s.today is not None


def test_every_check_option_reaches_the_settings(pipeline: FakePipeline) -> None:
    main(
        [
            "check", "doc.txt", "--offline", "--fail-on", "info", "--ignore", "D002,I007", "--no-cache",
            "--cache-ttl", "60", "--timeout", "2", "--concurrency", "8", "--per-host", "2", "--allow-private",
            "--wayback-api", "http://127.0.0.1:9/wayback", "--cdx-api", "http://127.0.0.1:9/cdx",
            "--timetravel-api", "http://127.0.0.1:9/tt", "--no-archive", "--baseline", "base.json",
            "--registry", "crossref,openalex", "--crossref-api", "http://127.0.0.1:9/cr",
            "--openalex-api", "http://127.0.0.1:9/oa", "--mailto", "me@example.org", "--input-format", "markdown",
        ]
    )  # fmt: skip
    s = pipeline.settings
    assert s.offline and s.no_cache and s.allow_private and s.no_archive
    assert (s.fail_on, s.ignore, s.cache_ttl, s.timeout, s.concurrency, s.per_host) == (
        "info", ("D002", "I007"), 60.0, 2.0, 8, 2,
    )  # fmt: skip
    assert (s.wayback_api, s.cdx_api, s.timetravel_api) == (
        "http://127.0.0.1:9/wayback", "http://127.0.0.1:9/cdx", "http://127.0.0.1:9/tt",
    )  # fmt: skip
    assert (s.baseline, s.registry, s.crossref_api, s.openalex_api, s.mailto, s.input_format) == (
        "base.json", ("crossref", "openalex"), "http://127.0.0.1:9/cr", "http://127.0.0.1:9/oa",
        "me@example.org", "markdown",
    )  # fmt: skip


def test_no_offline_overrides_the_config(pipeline: FakePipeline, tmp_path: Path) -> None:
    (tmp_path / "verifier.toml").write_text("offline = true\n", encoding="utf-8")
    main(["check", "doc.txt"])
    assert pipeline.settings.offline is True
    main(["check", "doc.txt", "--no-offline"])
    assert pipeline.settings.offline is False


def test_explicit_config_file(pipeline: FakePipeline, tmp_path: Path) -> None:
    (tmp_path / "ci.toml").write_text("per-host = 1\n", encoding="utf-8")
    main(["check", "doc.txt", "--config", "ci.toml"])
    assert pipeline.settings.per_host == 1


@pytest.mark.parametrize(
    ("config", "message"),
    [
        pytest.param("colour = true\n", "unknown key 'colour'", id="unknown-key"),
        pytest.param("timeout = -1\n", "'timeout' must be a positive number", id="bad-value"),
        pytest.param("timeout = \n", "cannot read configuration", id="bad-toml"),
    ],
)
def test_config_errors_exit_2_with_one_line(
    pipeline: FakePipeline, tmp_path: Path, capsys, config: str, message: str
) -> None:
    (tmp_path / "verifier.toml").write_text(config, encoding="utf-8")
    assert main(["check", "doc.txt"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("verifier: error: ") and message in err
    assert pipeline.calls == []


def test_missing_config_file_exits_2(pipeline: FakePipeline, capsys) -> None:
    assert main(["check", "doc.txt", "--config", "nowhere.toml"]) == 2
    assert "nowhere.toml: cannot read configuration" in capsys.readouterr().err


def test_unknown_rule_code_in_select_exits_2(pipeline: FakePipeline, capsys) -> None:
    assert main(["check", "doc.txt", "--select", "M001,Z9"]) == 2
    assert "'Z9'" in capsys.readouterr().err
    assert pipeline.calls == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--timeout", "0"], "argument --timeout: must be a positive number", id="timeout"),
        pytest.param(["--concurrency", "many"], "argument --concurrency: must be a whole number", id="concurrency"),
        pytest.param(["--registry", "scopus"], "argument --registry: choose from crossref,openalex", id="registry"),
        pytest.param(["--cdx-api", "cdx.example"], "argument --cdx-api: must be an http:// or https:// URL", id="url"),
        pytest.param(["--format", "yaml"], "argument --format: invalid choice: 'yaml'", id="format"),
        pytest.param(["--cache", "c", "--no-cache"], "not allowed with argument --cache", id="cache-and-no-cache"),
    ],
)
def test_bad_options_exit_2_with_usage(pipeline: FakePipeline, capsys, args: list[str], message: str) -> None:
    assert main(["check", "doc.txt", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: verifier check") and message in err


# ---------------------------------------------------------------- errors never become tracebacks


def test_an_unexpected_exception_is_one_line_asking_for_a_report(pipeline: FakePipeline, capsys) -> None:
    pipeline.error = ZeroDivisionError("division by zero")
    assert main(["check", "doc.txt"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "verifier: internal error: ZeroDivisionError: division by zero "
        "(this is a bug, please report this; set VERIFIER_DEBUG=1 for the traceback)"
    ]


def test_verifier_debug_re_raises(pipeline: FakePipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VERIFIER_DEBUG", "1")
    pipeline.error = ZeroDivisionError("division by zero")
    with pytest.raises(ZeroDivisionError):
        main(["check", "doc.txt"])


# ---------------------------------------------------------------- terminal manners


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("terminal", "no_color", "coloured"),
    [
        pytest.param(True, None, True, id="terminal"),
        pytest.param(True, "1", False, id="terminal-NO_COLOR"),
        pytest.param(False, None, False, id="pipe"),
    ],
)
def test_colour_only_on_a_terminal_without_no_color(
    pipeline: FakePipeline, monkeypatch: pytest.MonkeyPatch, terminal: bool, no_color: str | None, coloured: bool
) -> None:
    pipeline.report = _report(_finding("M001", Severity.ERROR, "note marker 7 has no note"))
    out = _Terminal() if terminal else io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    if no_color:
        monkeypatch.setenv("NO_COLOR", no_color)
    main(["check", "doc.txt"])
    assert ("\x1b[" in out.getvalue()) is coloured


# ---------------------------------------------------------------- parse


def test_parse_prints_the_report_as_json(pipeline: FakePipeline, capsys) -> None:
    assert main(["parse", "doc.txt", "--input-format", "text"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"][0]["path"] == "doc.txt"
    assert pipeline.calls[0][0] == "parse"
    assert pipeline.settings.offline and pipeline.settings.input_format == "text"


def test_parse_an_unreadable_input_exits_2(pipeline: FakePipeline, capsys) -> None:
    pipeline.report = _report(unreadable=["gone.txt"])
    assert main(["parse", "gone.txt"]) == 2
    assert json.loads(capsys.readouterr().out)["schema"] == "verifier-report/1"


def test_parse_lines_from_a_file(pipeline: FakePipeline, tmp_path: Path, capsys) -> None:
    (tmp_path / "refs.txt").write_text("\ufeffIbid.\n\n  \nSmith, Title, 1999.\n", encoding="utf-8")
    assert main(["parse", "--lines", "refs.txt"]) == 0
    assert [item["raw"] for item in json.loads(capsys.readouterr().out)] == ["Ibid.", "Smith, Title, 1999."]


def test_parse_lines_from_stdin(pipeline: FakePipeline, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Ibid.\nSmith, Title, 1999.\n"))
    assert main(["parse", "--lines", "-"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["parse"], "parse needs PATH... or --lines FILE", id="nothing"),
        pytest.param(["parse", "a.txt", "--lines", "-"], "either PATH... or --lines FILE, not both", id="both"),
        pytest.param(["parse", "--lines", "nowhere.txt"], "--lines nowhere.txt: cannot read", id="missing-file"),
    ],
)
def test_parse_usage_errors(pipeline: FakePipeline, capsys, args: list[str], message: str) -> None:
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_parse_lines_rejects_non_utf8(pipeline: FakePipeline, tmp_path: Path, capsys) -> None:
    (tmp_path / "refs.txt").write_bytes("Müller, Titel\n".encode("latin-1"))
    assert main(["parse", "--lines", "refs.txt"]) == 2
    assert "--lines refs.txt: not UTF-8 text" in capsys.readouterr().err


# ---------------------------------------------------------------- rules, export, version (real processes)


def test_rules_lists_every_rule_in_aligned_lines() -> None:
    result = run("rules")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(RULES)
    assert lines[0].split(None, 3) == ["M001", "marker-without-note", "error", "a note marker in the text has no note"]
    assert len({line.index(" error ") if " error " in line else None for line in lines} - {None}) == 1


@pytest.mark.parametrize("name", ["L001", "l001", "link-dead"])
def test_rules_code_prints_the_rule(name: str) -> None:
    result = run("rules", name)
    assert result.returncode == 0
    assert result.stdout.startswith("L001 link-dead (error)\n")
    assert RULES["L001"].summary in result.stdout
    assert (RULES["L001"].doc.strip() or RULES["L001"].summary) in result.stdout


def test_rules_unknown_code_exits_2() -> None:
    result = run("rules", "Z999")
    assert result.returncode == 2
    assert result.stderr == "verifier: error: unknown rule 'Z999' (run 'verifier rules' for the list)\n"


def test_rules_on_a_terminal_is_a_table() -> None:
    pty = pytest.importorskip("pty")
    primary, secondary = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "verifier", "rules"], stdout=secondary, stderr=subprocess.PIPE, env=env, timeout=60
        )
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(primary)
    out = b"".join(chunks).decode()
    assert proc.returncode == 0
    assert "Code" in out and "Severity" in out and "marker-without-note" in out
    assert "\x1b[" in out  # a header in bold


def test_export_is_not_available_yet() -> None:
    result = run("export", "doc.txt", "--bibtex", "out.bib")
    assert result.returncode == 2
    assert result.stderr == "verifier: error: BibTeX export is not available yet (issue #7)\n"


def test_version() -> None:
    result = run("--version")
    assert (result.returncode, result.stdout) == (0, f"verifier {verifier.__version__}\n")


def test_usage_error_exits_2_without_traceback() -> None:
    result = run("check")
    assert result.returncode == 2
    assert "the following arguments are required: PATH" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_command_exits_2() -> None:
    result = run()
    assert result.returncode == 2
    assert "usage: verifier" in result.stderr
