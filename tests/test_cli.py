"""The ``verifier`` command as a user meets it: output, files written, exit codes.

Every test runs the real command on small documents written into a temporary
folder — in-process through ``main([...])`` (fast) or as a child process
(``python -m verifier``), as a user or CI runs it. Assertions name rule codes,
not the rules' wording, which belongs to the rules' own tests.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

import verifier
from verifier import pipeline
from verifier.cli import main
from verifier.config import Settings
from verifier.model import Report
from verifier.rules.catalog import RULES

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "tests" / "data" / "report.schema.json"  # a copy of ../shared/report.schema.json

_BOOK = "Sergei Volkov, *Rails against Rivers: Russian Transport, 1880-1914* (Moscow: Nauka, 2005)"
_ARTICLE = 'Anna Kuznetsova, "The Barge Haulers of the Volga", *Slavic Review*, vol. 60, No. 3, 2001, p. 410.'

DOCUMENTS = {
    # One marker, one complete note: nothing to report.
    "clean.txt": f"The river trade doubled between 1890 and 1910.¹\n\nNotes\n\n1. {_BOOK}, p. 112.\n",
    # Marker 2 has no note (M001, error); note 3 has no marker (M002) and skips 2 (M003), warnings.
    "broken.txt": (
        "The merchants controlled the grain.¹ Their agents met every barge.²\n\n"
        f"Notes\n\n1. {_BOOK}, p. 112.\n3. {_ARTICLE}\n"
    ),
    # Note 2 has no marker (M002, warning) and repeats note 1 in full (D002, info).
    "warning.txt": f"Barges.¹\n\nNotes\n\n1. {_BOOK}, p. 112.\n2. {_BOOK}, p. 130.\n",
    # Note 2 repeats note 1 in full (D002, info) and nothing else.
    "info.txt": f"Barges.¹ Steamers.²\n\nNotes\n\n1. {_BOOK}, p. 112.\n2. {_BOOK}, p. 130.\n",
}


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with the documents above and no config file above it."""
    for name, content in DOCUMENTS.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("VERIFIER_DEBUG", raising=False)
    return tmp_path


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[Settings]:
    """The Settings each ``pipeline.check`` call received (the real pipeline still runs)."""
    calls: list[Settings] = []
    real = pipeline.check

    def spy(paths: Sequence[str | Path], settings: Settings | None = None, **overrides: Any) -> Report:
        assert settings is not None
        calls.append(settings)
        return real(paths, settings, **overrides)

    monkeypatch.setattr(pipeline, "check", spy)
    return calls


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real command in a child process."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for name in ("VERIFIER_DEBUG", "NO_COLOR"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "verifier", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def codes(text_report: str) -> list[str]:
    """The rule codes of the finding lines of a text report, in order."""
    return [line.split(": ", 1)[1].split()[0] for line in text_report.splitlines() if " [" in line and ": " in line]


# ---------------------------------------------------------------- check: exit status


def test_clean_document_exits_0(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "clean.txt", "--offline"]) == 0
    assert capsys.readouterr().out == (
        "clean.txt: 1 note, 1 citation, 0 URLs; no findings\n"
        "\n"
        "0 errors, 0 warnings, 0 info in 1 document (1 citation, 0 URLs)\n"
    )


def test_errors_exit_1_with_one_line_per_finding(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "broken.txt", "--offline"]) == 1
    out = capsys.readouterr().out
    assert codes(out) == ["M001", "M002", "M003"]
    assert "broken.txt:1:" in out and " M001 [error] " in out
    assert "\n  → " in out
    assert out.splitlines()[-1] == "1 error, 2 warnings, 0 info in 1 document (2 citations, 0 URLs)"


@pytest.mark.parametrize(
    ("document", "options", "status"),
    [
        pytest.param("warning.txt", [], 0, id="warning-under-default-fail-on-error"),
        pytest.param("warning.txt", ["--fail-on", "warning"], 1, id="warning-fails-on-warning"),
        pytest.param("info.txt", ["--fail-on", "warning"], 0, id="info-passes-fail-on-warning"),
        pytest.param("info.txt", ["--fail-on", "info"], 1, id="info-fails-on-info"),
        pytest.param("broken.txt", ["--fail-on", "never"], 0, id="never-fails"),
        pytest.param("warning.txt", ["--fail-on", "warning", "--ignore", "M002"], 0, id="ignored-warning"),
        pytest.param("broken.txt", ["--select", "M002,M003"], 0, id="selected-warnings-only"),
    ],
)
def test_fail_on_and_selection(docs: Path, document: str, options: list[str], status: int) -> None:
    assert main(["check", document, "--offline", *options]) == status


def test_select_and_ignore_choose_the_findings_reported(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "broken.txt", "--offline", "--select", "M", "--ignore", "M003"])
    assert codes(capsys.readouterr().out) == ["M001", "M002"]


def test_an_unreadable_input_exits_2_and_the_others_are_still_reported(
    docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "clean.txt", "missing.txt", "--offline", "--fail-on", "never"]) == 2
    out = capsys.readouterr().out
    assert "clean.txt: 1 note, 1 citation, 0 URLs; no findings" in out
    assert "missing.txt: could not be read" in out
    assert codes(out) == ["P002"]
    assert out.rstrip().endswith("1 input could not be read")


def test_a_folder_means_every_document_below_it(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", ".", "--offline"]) == 1
    out = capsys.readouterr().out
    assert "in 4 documents" in out.splitlines()[-1]


def test_without_offline_the_network_options_are_accepted(docs: Path) -> None:
    # clean.txt cites no URL, so nothing is fetched whatever the link checker does.
    options = ["--timeout", "2", "--concurrency", "4", "--per-host", "1", "--no-cache", "--no-archive"]
    assert main(["check", "clean.txt", *options, "--registry", "crossref", "--mailto", "me@example.org"]) == 0


# ---------------------------------------------------------------- check: formats and files


def test_json_on_stdout_validates_against_the_schema(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "broken.txt", "missing.txt", "--offline", "--format", "json"]) == 2
    document = json.loads(capsys.readouterr().out)
    assert document["summary"] == {"error": 2, "warning": 2, "info": 0}
    assert [f["code"] for f in document["findings"]] == ["M001", "M002", "M003", "P002"]
    if SCHEMA.is_file():
        jsonschema = pytest.importorskip("jsonschema")
        jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_outputs_are_written_by_extension_into_new_folders(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "broken.txt", "--offline", "--output", "reports/r.json", "--output", "a/b/r.txt"]) == 1
    stdout = capsys.readouterr().out
    assert [f["code"] for f in json.loads((docs / "reports/r.json").read_text(encoding="utf-8"))["findings"]] == [
        "M001",
        "M002",
        "M003",
    ]
    assert (docs / "a/b/r.txt").read_text(encoding="utf-8") == stdout


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param(["--output", "r.pdf"], "--output r.pdf: cannot tell the report format of 'reports/r.pdf'",
                     id="unknown-extension"),
        pytest.param(["--output", "out/r"], "cannot tell the report format of 'out/r'", id="no-extension"),
    ],
)
def test_a_report_that_cannot_be_written_is_refused_before_the_run(
    docs: Path, capsys: pytest.CaptureFixture[str], seen: list[Settings], options: list[str], message: str
) -> None:
    assert main(["check", "broken.txt", "--offline", *options]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("verifier: error: ") and message in captured.err
    assert captured.err.count("\n") == 1
    assert (captured.out, seen) == ("", [])


def test_an_output_that_cannot_be_written_exits_2(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (docs / "taken").write_text("a file, not a folder", encoding="utf-8")
    assert main(["check", "clean.txt", "--offline", "--output", "taken/r.json"]) == 2
    assert "verifier: error: cannot write report to 'taken/r.json'" in capsys.readouterr().err


def test_a_baseline_hides_the_findings_it_records(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "warning.txt", "--offline", "--fail-on", "info", "--output", "baseline.json"]) == 1
    capsys.readouterr()  # a bare file name goes into reports/
    assert main(["check", "warning.txt", "--offline", "--fail-on", "info", "--baseline", "reports/baseline.json"]) == 0
    assert codes(capsys.readouterr().out) == []


# ---------------------------------------------------------------- check: settings and configuration


def test_config_file_then_the_options_given(docs: Path, seen: list[Settings]) -> None:
    (docs / "verifier.toml").write_text('fail-on = "warning"\ntimeout = 3\nno-cache = true\n', encoding="utf-8")
    assert main(["check", "warning.txt", "--offline"]) == 1
    assert main(["check", "warning.txt", "--offline", "--fail-on", "error", "--cache", "c.sqlite"]) == 0
    first, second = seen
    assert (first.fail_on, first.timeout, first.no_cache) == ("warning", 3.0, True)
    assert (second.fail_on, second.timeout, second.no_cache, second.cache) == ("error", 3.0, False, "c.sqlite")
    assert second.today is not None  # the CLI supplies the date; the core reads no clock


def test_pyproject_tool_verifier_and_explicit_config(docs: Path) -> None:
    (docs / "pyproject.toml").write_text('[tool.verifier]\noutput = ["reports/verifier.json"]\n', encoding="utf-8")
    (docs / "ci.toml").write_text('fail-on = "never"\n', encoding="utf-8")
    assert main(["check", "clean.txt", "--offline"]) == 0
    assert (docs / "reports/verifier.json").is_file()
    assert main(["check", "broken.txt", "--offline", "--config", "ci.toml"]) == 0


def test_every_check_option_reaches_the_settings(docs: Path, seen: list[Settings]) -> None:
    main(
        [
            "check", "clean.txt", "--offline", "--fail-on", "info", "--ignore", "D002,I007", "--no-cache",
            "--cache-ttl", "60", "--timeout", "2", "--concurrency", "8", "--per-host", "2", "--allow-private",
            "--wayback-api", "http://127.0.0.1:9/wayback", "--cdx-api", "http://127.0.0.1:9/cdx",
            "--timetravel-api", "http://127.0.0.1:9/tt", "--no-archive",
            "--registry", "crossref,openalex", "--crossref-api", "http://127.0.0.1:9/cr",
            "--openalex-api", "http://127.0.0.1:9/oa", "--mailto", "me@example.org", "--input-format", "text",
        ]
    )  # fmt: skip
    (s,) = seen
    assert s.offline and s.no_cache and s.allow_private and s.no_archive
    assert (s.fail_on, s.ignore, s.cache_ttl, s.timeout, s.concurrency, s.per_host) == (
        "info", ("D002", "I007"), 60.0, 2.0, 8, 2,
    )  # fmt: skip
    assert (s.wayback_api, s.cdx_api, s.timetravel_api) == (
        "http://127.0.0.1:9/wayback", "http://127.0.0.1:9/cdx", "http://127.0.0.1:9/tt",
    )  # fmt: skip
    assert (s.registry, s.crossref_api, s.openalex_api, s.mailto, s.input_format) == (
        ("crossref", "openalex"), "http://127.0.0.1:9/cr", "http://127.0.0.1:9/oa", "me@example.org", "text",
    )  # fmt: skip


def test_no_offline_overrides_the_config(docs: Path, seen: list[Settings]) -> None:
    (docs / "verifier.toml").write_text("offline = true\n", encoding="utf-8")
    main(["check", "clean.txt"])
    main(["check", "clean.txt", "--no-offline"])
    assert [s.offline for s in seen] == [True, False]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        pytest.param("colour = true\n", "unknown key 'colour'", id="unknown-key"),
        pytest.param("timeout = -1\n", "'timeout' must be a positive number", id="bad-value"),
        pytest.param("timeout = \n", "cannot read configuration", id="bad-toml"),
        pytest.param('select = ["Z9"]\n', "unknown rule code or prefix 'Z9'", id="unknown-rule-in-config"),
    ],
)
def test_config_errors_exit_2_with_one_line(
    docs: Path, capsys: pytest.CaptureFixture[str], seen: list[Settings], config: str, message: str
) -> None:
    (docs / "verifier.toml").write_text(config, encoding="utf-8")
    assert main(["check", "clean.txt", "--offline"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("verifier: error: ") and message in err and err.count("\n") == 1
    assert seen == []


def test_missing_config_file_exits_2(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "clean.txt", "--config", "nowhere.toml"]) == 2
    assert "nowhere.toml: cannot read configuration" in capsys.readouterr().err


def test_unknown_rule_code_exits_2_before_any_work(
    docs: Path, capsys: pytest.CaptureFixture[str], seen: list[Settings]
) -> None:
    assert main(["check", "clean.txt", "--select", "M001,Z9"]) == 2
    assert "unknown rule code or prefix 'Z9'" in capsys.readouterr().err
    assert seen == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param(["--timeout", "0"], "argument --timeout: must be a positive number", id="timeout"),
        pytest.param(["--concurrency", "many"], "argument --concurrency: must be a whole number", id="concurrency"),
        pytest.param(["--registry", "scopus"], "argument --registry: choose from crossref,openalex", id="registry"),
        pytest.param(["--cdx-api", "cdx.example"], "argument --cdx-api: must be an http:// or https:// URL", id="url"),
        pytest.param(["--format", "yaml"], "argument --format: invalid choice: 'yaml'", id="format"),
        pytest.param(["--fail-on", "fatal"], "argument --fail-on: invalid choice: 'fatal'", id="fail-on"),
        pytest.param(["--input-format", "klingon"], "argument --input-format: invalid choice", id="input-format"),
        pytest.param(["--cache", "c", "--no-cache"], "not allowed with argument --cache", id="cache-and-no-cache"),
    ],
)
def test_bad_options_exit_2_with_usage(
    docs: Path, capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    assert main(["check", "clean.txt", *options]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: verifier check [options] PATH...") and message in err


# ---------------------------------------------------------------- errors never become tracebacks


def _explode(paths: object, settings: object = None, **overrides: object) -> Report:
    raise ZeroDivisionError("division by zero")


def test_an_unexpected_exception_is_one_line_asking_for_a_report(
    docs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(pipeline, "check", _explode)
    assert main(["check", "clean.txt"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "verifier: internal error: ZeroDivisionError: division by zero "
        "(this is a bug, please report this; set VERIFIER_DEBUG=1 for the traceback)"
    ]


def test_verifier_debug_re_raises(docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "check", _explode)
    monkeypatch.setenv("VERIFIER_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["check", "clean.txt"])


# ---------------------------------------------------------------- terminal manners


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("terminal", "no_color", "coloured"),
    [
        pytest.param(True, None, True, id="terminal"),
        pytest.param(True, "1", False, id="terminal-with-NO_COLOR"),
        pytest.param(False, None, False, id="pipe"),
    ],
)
def test_colour_only_on_a_terminal_without_no_color(
    docs: Path, monkeypatch: pytest.MonkeyPatch, terminal: bool, no_color: str | None, coloured: bool
) -> None:
    out = _Terminal() if terminal else io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    if no_color:
        monkeypatch.setenv("NO_COLOR", no_color)
    main(["check", "broken.txt", "--offline"])
    assert ("\x1b[" in out.getvalue()) is coloured


def _on_a_terminal(args: list[str], cwd: Path, **env: str) -> tuple[int, str, str]:
    """Run the command with stdout on a pseudo-terminal; (status, terminal output, stderr)."""
    pty = pytest.importorskip("pty")
    primary, secondary = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "VERIFIER_DEBUG")}
    environ.update(PYTHONPATH=str(REPO), COLUMNS="200", TERM="xterm", **env)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "verifier", *args],
            stdout=secondary,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=environ,
            timeout=120,
        )
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # EIO once the terminal has no writer left
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(primary)
    return proc.returncode, b"".join(chunks).decode("utf-8"), proc.stderr.decode("utf-8")


def test_check_on_a_real_terminal_is_coloured(docs: Path) -> None:
    status, out, err = _on_a_terminal(["check", "broken.txt", "--offline"], docs)
    assert status == 1 and err == ""
    assert "\x1b[" in out and "M001" in out


def test_no_color_on_a_real_terminal(docs: Path) -> None:
    status, out, _ = _on_a_terminal(["check", "broken.txt", "--offline"], docs, NO_COLOR="1")
    assert status == 1
    assert "\x1b[" not in out and "M001" in out


def test_rules_on_a_terminal_is_a_table(docs: Path) -> None:
    status, out, _ = _on_a_terminal(["rules"], docs)
    assert status == 0
    assert "Code" in out and "Severity" in out and "marker-without-note" in out
    assert "\x1b[" in out  # the header in bold


# ---------------------------------------------------------------- parse


def test_parse_prints_the_citations_as_json(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "clean.txt"]) == 0
    document = json.loads(capsys.readouterr().out)
    (citation,) = document["citations"]
    assert (citation["note"], citation["kind"], citation["fields"]["title"]) == (
        "1",
        "book",
        "Rails against Rivers: Russian Transport, 1880-1914",
    )
    assert document["findings"] == []


def test_parse_runs_no_rules_and_an_unreadable_input_exits_2(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "broken.txt", "missing.txt"]) == 2
    assert [f["code"] for f in json.loads(capsys.readouterr().out)["findings"]] == ["P002"]


def test_parse_lines_from_a_file(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (docs / "refs.txt").write_text(f"\ufeffIbid., p. 5.\n\n   \n{_BOOK}.\n", encoding="utf-8")
    assert main(["parse", "--lines", "refs.txt"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [(item["raw"], item["kind"]) for item in items] == [("Ibid., p. 5.", "ibid"), (f"{_BOOK}.", "book")]


def test_parse_lines_from_standard_input(docs: Path) -> None:
    result = run("parse", "--lines", "-", cwd=docs, stdin=f"{_ARTICLE}\nIbid.\n")
    assert result.returncode == 0, result.stderr
    assert [item["kind"] for item in json.loads(result.stdout)] == ["article", "ibid"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["parse"], "parse needs PATH... or --lines FILE", id="nothing"),
        pytest.param(["parse", "a.txt", "--lines", "-"], "either PATH... or --lines FILE, not both", id="both"),
        pytest.param(["parse", "--lines", "nowhere.txt"], "--lines nowhere.txt: cannot read", id="missing-file"),
    ],
)
def test_parse_usage_errors(docs: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_parse_lines_rejects_non_utf8(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (docs / "refs.txt").write_bytes("Müller, Titel\n".encode("latin-1"))
    assert main(["parse", "--lines", "refs.txt"]) == 2
    assert "--lines refs.txt: not UTF-8 text" in capsys.readouterr().err


# ---------------------------------------------------------------- the real command in a child process


def test_check_as_a_child_process(docs: Path) -> None:
    result = run("check", "broken.txt", "--offline", cwd=docs)
    assert result.returncode == 1 and result.stderr == ""
    assert codes(result.stdout) == ["M001", "M002", "M003"]
    assert "\x1b[" not in result.stdout


def test_rules_lists_every_rule_in_aligned_lines(docs: Path) -> None:
    result = run("rules", cwd=docs)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(RULES)
    assert lines[0].split(None, 3) == ["M001", "marker-without-note", "error", RULES["M001"].summary]
    assert len({line.index(RULES[line[:4]].severity.value) for line in lines}) == 1  # one column


@pytest.mark.parametrize("name", ["L001", "l001", "link-dead"])
def test_rules_code_prints_the_rule(docs: Path, name: str) -> None:
    result = run("rules", name, cwd=docs)
    assert result.returncode == 0
    assert result.stdout.startswith("L001 link-dead (error)\n")
    rule = RULES["L001"]
    assert rule.summary in result.stdout
    assert (rule.doc.strip() or rule.summary).splitlines()[0] in result.stdout


def test_rules_unknown_code_exits_2(docs: Path) -> None:
    result = run("rules", "Z999", cwd=docs)
    assert result.returncode == 2
    assert result.stderr == "verifier: error: unknown rule 'Z999' (run 'verifier rules' for the list)\n"


def test_export_writes_one_bibtex_entry_per_source(docs: Path) -> None:
    result = run("export", "warning.txt", "--bibtex", "out.bib", cwd=docs)
    assert (result.returncode, result.stderr) == (0, "")
    text = (docs / "out.bib").read_text(encoding="utf-8")
    assert text.count("@book{") == 1  # the book is cited in notes 1 and 2: one entry
    assert "@book{volkov2005rails," in text


def test_export_without_an_output_exits_2(docs: Path) -> None:
    result = run("export", "clean.txt", cwd=docs)
    assert result.returncode == 2
    assert result.stderr == "verifier: error: export needs --bibtex OUT.bib or --csl-json OUT.json (- for standard output)\n"


def test_version(docs: Path) -> None:
    result = run("--version", cwd=docs)
    assert (result.returncode, result.stdout) == (0, f"verifier {verifier.__version__}\n")


@pytest.mark.parametrize("args", [["check"], []], ids=["check-without-paths", "no-command"])
def test_usage_errors_exit_2_without_traceback(docs: Path, args: list[str]) -> None:
    result = run(*args, cwd=docs)
    assert result.returncode == 2
    assert "usage: verifier" in result.stderr and "Traceback" not in result.stderr


def test_the_archive_options_default_to_save_page_nows_own_defaults() -> None:
    from verifier import cli
    from verifier.net import savepagenow

    polling = savepagenow.Polling()
    assert cli.SAVE_API == savepagenow.DEFAULT_SAVE_API
    assert (cli.POLL_INTERVAL, cli.MAX_POLLS, cli.JOB_TIMEOUT) == (polling.interval, polling.max_polls,
                                                                   polling.job_timeout)


def test_the_bibtex_styles_offered_are_the_exports() -> None:
    from verifier import cli
    from verifier.export import STYLES

    assert cli.BIBTEX_STYLES == STYLES


def test_building_the_parser_does_not_load_the_http_stack() -> None:
    import subprocess
    import sys

    code = ("import sys, verifier.cli as c; c.build_parser(); "
            "print(*(m in sys.modules for m in ('httpx', 'aiohttp', 'verifier.net.wire', 'verifier.export.records')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "False", "False"]  # (the export's records: 17 ms of every start-up)


def test_the_progress_bars_are_one_per_network_stage_and_appear_when_it_starts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """On a terminal, ``check`` hands the pipeline one bar for the links and one for the registries."""
    from verifier import cli as cli_module
    from verifier import pipeline

    class FakeProgress:
        def __init__(self) -> None:
            self.tasks: list[str] = []
            self.updates: list[tuple[int, int, int]] = []

        def add_task(self, label: str, total: int) -> int:
            self.tasks.append(label)
            return len(self.tasks) - 1

        def update(self, task: int, completed: int, total: int) -> None:
            self.updates.append((task, completed, total))

    progress = FakeProgress()

    @contextlib.contextmanager
    def bars() -> Iterator[cli_module._Bars]:
        yield cli_module._Bars(progress)

    seen: dict[str, object] = {}
    real_check = pipeline.check

    def check(paths: object, settings: object, **kw: Any) -> object:
        seen.update(kw)
        kw["progress"](1, 2)
        kw["registry_progress"](0, 5)
        kw["progress"](2, 2)
        return real_check(paths, settings)  # type: ignore[arg-type]

    monkeypatch.setattr(cli_module, "_progress_bars", bars)
    monkeypatch.setattr(pipeline, "check", check)
    doc = tmp_path / "a.txt"
    doc.write_text("Nothing cited.\n", encoding="utf-8")
    assert cli_module.main(["check", str(doc), "--offline"]) == 0
    assert progress.tasks == ["checking links", "asking registries"]
    assert progress.updates == [(0, 1, 2), (1, 0, 5), (0, 2, 2)]


HOSTILE_NOTES = (
    "A claim.1 Another.2 Third.3\n\nNotes\n\n"
    "1. \x1b]52;c;cHduZWQ=\x07\x1b[2K Smith, “A \x1b[31mTitle,” Journal 3 (1999). http://e.org/\x1b[8m\n"
    "2. Smith, “A Different \x9b31mThing,” Journal 3 (1999). http://e.org/\x1b[8m\n"
)


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "junit", "json", "sarif"])
def test_no_raw_escape_sequence_or_workflow_command_reaches_the_terminal(tmp_path: Path, fmt: str) -> None:
    # Citation text with escape sequences, in a file whose name carries workflow commands.
    (tmp_path / "a\n::stop-commands::tok\n.txt").write_text(HOSTILE_NOTES, encoding="utf-8")
    env_run = run("check", "--offline", "--no-cache", "--format", fmt, ".", cwd=tmp_path)
    assert env_run.returncode == 1, env_run.stderr
    for stream in (env_run.stdout, env_run.stderr):
        assert "\x1b" not in stream and "\x07" not in stream and "\x9b" not in stream
        assert not any(line.lstrip().startswith("::") for line in stream.splitlines())
    if fmt == "text":
        assert "\\x1b[31mTitle" in env_run.stdout
        assert env_run.stdout.startswith("a\\n::stop-commands::tok\\n.txt: 2 notes")
    if fmt == "json":
        report = json.loads(env_run.stdout)  # escaped losslessly: the JSON still reads back to the same text
        assert any("\x9b31mThing" in c["raw"] for c in report["citations"])


def test_github_annotations_of_a_hostile_file_name_stay_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a\n::stop-commands::tok\n.txt").write_text(HOSTILE_NOTES, encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run("check", "--offline", "--no-cache", ".", cwd=tmp_path)
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert [c.split(" ", 1)[0] for c in commands] == ["::error", "::warning"]
    assert all("file=a\\n%3A%3Astop-commands%3A%3Atok\\n.txt," in c for c in commands)
    assert "\x1b" not in result.stdout


def test_a_configuration_nested_thousands_deep_is_a_clear_error(docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (docs / "pyproject.toml").write_text("[tool.verifier]\nselect = " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    assert main(["check", "--offline", "--no-cache", str(docs)]) == 2
    err = capsys.readouterr().err
    assert "pyproject.toml: cannot read configuration: it is nested too deeply" in err
    assert "internal error" not in err


# ------------------------------------------------------- the conventions people type by habit


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
    main(["check", "broken.txt", "warning.txt", "--offline", "--statistics", "--format", "json"])
    counts = json.loads(capsys.readouterr().out)
    assert counts[0] == {"code": "M002", "name": "note-without-marker", "severity": "warning", "count": 2}


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
    assert r'exclude-url = ["^https://example\\.org/"]  # command line (--exclude)' in captured.out
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


def test_inline_suppression_in_a_bibliography_the_document_names(docs: Path, capsys: pytest.CaptureFixture[str]
                                                                  ) -> None:
    (docs / "refs.bib").write_text("@book{known, title={Rails}, author={Volkov, Sergei}, publisher={Nauka}, "
                                   "year={2005}}\n\n% verifier: ignore[M005]\n@book{spare, title={Barges}, "
                                   "author={Orlov, N.}, publisher={Nauka}, year={1999}}\n@book{extra, title={Ships},"
                                   " author={Orlov, N.}, publisher={Nauka}, year={1998}}\n", encoding="utf-8")
    (docs / "paper.tex").write_text("\\documentclass{article}\n\\begin{document}\nSee \\cite{known}.\n"
                                    "\\bibliography{refs}\n\\end{document}\n", encoding="utf-8")
    main(["check", "paper.tex", "--offline", "--format", "json", "--select", "M005"])
    assert _codes(capsys) == [("M005", 5)]  # "spare" (line 4) is suppressed; "extra" is not


def test_document_timeout_is_an_option_and_a_setting(docs: Path) -> None:
    from verifier.cli import build_parser, settings_from

    args = build_parser().parse_args(["check", "--document-timeout", "2.5", str(docs)])
    assert settings_from(args).document_timeout == 2.5
    assert main(["check", "--document-timeout", "0", str(docs)]) == 2
    (docs / "verifier.toml").write_text("document-timeout = 7\n", encoding="utf-8")
    assert settings_from(build_parser().parse_args(["check", str(docs)])).document_timeout == 7


def test_the_program_runs_the_exit_handlers_and_flushes_before_it_exits_at_once(docs: Path) -> None:
    """``cli.run`` (the console script) skips the interpreter's teardown, and nothing is lost: an exit handler
    still runs, what it prints still reaches stdout, the report is whole, and the exit status is main()'s."""
    code = ("import atexit, sys, verifier.cli as c; atexit.register(lambda: print('handler ran')); "
            "sys.argv[0] = 'verifier'; c.run()")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("VERIFIER_DEBUG", None)
    proc = subprocess.run([sys.executable, "-c", code, "check", "broken.txt", "--offline", "--format", "json",
                           "--output", str(docs / "out.json")], capture_output=True, text=True, cwd=docs, env=env, timeout=120)
    report, _, after = proc.stdout.rpartition("}")
    assert json.loads(report + "}")["findings"]
    assert after.strip() == "handler ran"
    assert proc.returncode == main(["check", "broken.txt", "--offline", "--format", "json"]) == 1
    assert json.loads((docs / "out.json").read_text(encoding="utf-8")) == json.loads(report + "}")
