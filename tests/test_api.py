"""The public Python API: what `import verifier` offers, named as the command line names it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import verifier
from verifier.cli import build_parser

REPO = Path(__file__).resolve().parents[1]
NOTE_2091 = 'Trade.¹\n\nNotes\n\n1. Anna Kuznetsova, "The Barge Haulers", *Slavic Review*, vol. 60, 12 March 2091, p. 4.\n'


def test_all_equals_the_documented_names() -> None:
    documented = re.findall(r"^### `(\w+)`$", (REPO / "docs" / "api.md").read_text(encoding="utf-8"), re.M)
    assert sorted(verifier.__all__) == sorted(documented)
    for name in verifier.__all__:
        assert getattr(verifier, name) is not None


def test_py_typed_ships_with_the_package() -> None:
    assert (Path(verifier.__file__).parent / "py.typed").is_file()
    assert 'verifier = ["py.typed"]' in (REPO / "pyproject.toml").read_text(encoding="utf-8")


def test_check_fills_in_today_so_a_note_dated_2091_is_f003(tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text(NOTE_2091, encoding="utf-8")
    report = verifier.check(tmp_path / "note.txt", offline=True)
    assert "F003" in [f.code for f in report.findings]
    pinned = verifier.check([tmp_path / "note.txt"], offline=True, today=dt.date(2100, 1, 1))
    assert "F003" not in [f.code for f in pinned.findings]


def test_every_check_option_is_a_keyword_of_the_same_name(tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text(NOTE_2091, encoding="utf-8")
    check = build_parser()._subparsers._group_actions[0].choices["check"]  # type: ignore[union-attr]
    names = {a.dest for a in check._actions if a.option_strings} - {"help", "config", "show_settings"}
    fields = set(verifier.Settings.__dataclass_fields__)
    assert names <= fields, names - fields
    assert verifier.check([tmp_path / "note.txt"], offline=True, archive=False, cache=False, progress=False,
                          select="F", fail_on="warning").findings


def test_an_unknown_keyword_names_the_nearest_option() -> None:
    with pytest.raises(TypeError, match=r"unknown option 'ofline' \(did you mean 'offline'\?\)"):
        verifier.check(["x.txt"], ofline=True)


def test_report_repr_records_and_html(tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text(NOTE_2091 + "<b>&</b>\n", encoding="utf-8")
    report = verifier.check([tmp_path / "note.txt"], offline=True)
    assert re.fullmatch(r"<Report: 1 documents, 1 citations, 0 links; \d+ errors, \d+ warnings, \d+ info>",
                        repr(report))
    records = report.to_records()
    assert records and set(records[0]) == {"code", "rule", "severity", "document", "line", "column", "message",
                                           "url", "suggestion", "citations"}
    assert all(isinstance(v, (str, int, type(None))) for r in records for v in r.values())
    html = report._repr_html_()
    assert "<table>" in html and "F003" in html and "<b>&</b>" not in html


def test_render_parse_and_exports(tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text(NOTE_2091, encoding="utf-8")
    report = verifier.parse([tmp_path / "note.txt"])
    assert report.citations and not [f for f in report.findings if f.code != "P002"]
    assert verifier.render(report, "json").startswith("{")
    assert "@" in verifier.to_bibtex(report)
    assert verifier.to_csl(report).lstrip().startswith("[")
    assert verifier.parse_citation("Anna Kuznetsova, “The Barge Haulers”, Slavic Review 60 (2001): 4.").raw


def test_every_check_option_is_documented_in_configuration_md() -> None:
    text = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    check = build_parser()._subparsers._group_actions[0].choices["check"]  # type: ignore[union-attr]
    options = {o for a in check._actions for o in a.option_strings if o.startswith("--")} - {"--help", "--config"}
    spellings = {o: {o, "--no-" + o[2:], "--" + o.removeprefix("--no-")} for o in options}  # --x / --no-x
    missing = sorted(o for o in options if not any(s in text for s in spellings[o]))
    assert not missing, f"docs/configuration.md does not mention {missing}"


def test_check_takes_a_progress_function(tmp_path: Path) -> None:
    """A name under .invalid is dead without a lookup (RFC 6761): no network is needed to see progress."""
    (tmp_path / "note.txt").write_text(NOTE_2091.replace("p. 4.", "https://site.invalid/x"), encoding="utf-8")
    calls: list[tuple[int, int]] = []
    report = verifier.check([tmp_path / "note.txt"], archive=False, cache=False,
                            progress=lambda done, total: calls.append((done, total)))
    assert [link.status.value for link in report.links] == ["dead"]
    assert calls and calls[-1] == (1, 1)
