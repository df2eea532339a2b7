"""CSL-JSON: CSL types, names, date-parts, archive fields; every item valid against the CSL-JSON schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema

from tests.export.conftest import ASOPA, HRW, IZVESTIA, JONSON, MULLER, ORLOV, ORLOV_SHORT_NAME
from verifier.export import to_bibtex, to_csl_json
from verifier.export.csl import archive_name
from verifier.model import Archive, LinkResult, LinkStatus, Report

SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "csl-data.json").read_text(encoding="utf-8"))


def items(report: Report) -> dict[str, dict[str, Any]]:
    data = json.loads(to_csl_json(report))
    jsonschema.Draft7Validator(SCHEMA).validate(data)
    return {item["id"]: item for item in data}


def test_items_validate_and_carry_csl_types(report_of: Callable[..., Report]) -> None:
    found = items(report_of(ORLOV, HRW, MULLER, JONSON, ASOPA, IZVESTIA))
    assert {key: item["type"] for key, item in found.items()} == {
        "orlov1998grain": "article-journal",
        "human2014human": "webpage",
        "muller2003baltic": "book",
        "jonson1997tajik": "report",
        "asopa2003regional": "chapter",
        "izvestia1992": "article-newspaper",
    }


def test_ids_are_the_bibtex_keys(report_of: Callable[..., Report]) -> None:
    report = report_of(ORLOV, HRW, MULLER, JONSON, ASOPA, IZVESTIA)
    bib_keys = [line.split("{", 1)[1].rstrip(",") for line in to_bibtex(report).splitlines()
                if line.startswith("@") and not line.startswith("@comment")]
    assert list(items(report)) == bib_keys


def test_fields_in_csl_form(report_of: Callable[..., Report]) -> None:
    found = items(report_of(ORLOV, ORLOV_SHORT_NAME, HRW, MULLER, ASOPA, IZVESTIA))
    orlov = found["orlov1998grain"]
    assert orlov["author"] == [{"family": "Orlov", "given": "Nikolai"}]
    assert orlov["issued"] == {"date-parts": [[1998, 12]]}
    assert (orlov["container-title"], orlov["volume"], orlov["issue"], orlov["page"]) == (
        "Russian Economic History", "4", "2", "45-67"
    )
    hrw = found["human2014human"]
    assert hrw["author"] == [{"literal": "Human Rights Watch"}]
    assert hrw["URL"] == "https://www.hrw.org/news/2014/06/25/qa-human-fallout"
    assert hrw["accessed"] == {"date-parts": [[2021, 3, 3]]}
    assert hrw["issued"] == {"date-parts": [[2014, 6, 25]]}
    assert found["muller2003baltic"]["editor"][0] == {"family": "Müller", "given": "Jürgen"}
    assert (found["muller2003baltic"]["publisher"], found["muller2003baltic"]["publisher-place"]) == (
        "Springer", "Berlin"
    )
    assert found["asopa2003regional"]["container-title"] == "India and Tajikistan"
    assert found["izvestia1992"]["issued"] == {"date-parts": [[1992, 7, 31]]}


def test_a_capture_becomes_archive_and_archive_location(report_of: Callable[..., Report]) -> None:
    report = report_of(HRW, IZVESTIA)
    url = "https://www.hrw.org/news/2014/06/25/qa-human-fallout"
    snapshot = Archive(f"https://web.archive.org/web/20150305101010/{url}", "20150305101010")
    ids = tuple(c.id for c in report.citations if c.fields.url == url)
    dead = LinkResult(url, LinkStatus.DEAD, ids, http_status=404, archive=snapshot)
    hrw = items(replace(report, links=(dead,)))["human2014human"]
    assert (hrw["archive"], hrw["archive_location"], hrw["URL"]) == ("Internet Archive", snapshot.url, url)
    assert hrw["note"] == f"{url} was dead when checked (HTTP 404). Archived at {snapshot.url} on 2015-03-05"


def test_archive_names() -> None:
    assert archive_name("https://web.archive.org/web/2015/http://x.org/") == "Internet Archive"
    assert archive_name("https://archive.ph/abc") == "archive.today"
    assert archive_name("https://arquivo.pt/wayback/2015/x") == "arquivo.pt"
