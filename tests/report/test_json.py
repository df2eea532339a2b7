"""The JSON report: verifier-report/1, validated against the shared schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.model import Report
from verifier.report import json as json_report

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "report.schema.json"  # a copy of ../shared/'s


@pytest.fixture(scope="module")
def validator():
    if not SCHEMA.is_file():
        pytest.skip(f"no report schema at {SCHEMA}")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_render_is_the_report_document(sample_report: Report) -> None:
    assert json.loads(json_report.render(sample_report)) == sample_report.to_json()


def test_non_ascii_is_kept_readable(sample_report: Report) -> None:
    rendered = json_report.render(sample_report)
    assert "“Tajik Treaty”" in rendered
    assert "\\u201c" not in rendered


@pytest.mark.parametrize("report", [pytest.param(None, id="sample"), pytest.param(Report(version="0"), id="empty")])
def test_validates_against_the_schema(validator, sample_report: Report, report: Report | None) -> None:
    document = json.loads(json_report.render(report or sample_report))
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_one_array_item_per_line(sample_report: Report) -> None:
    lines = json_report.render(sample_report).splitlines()
    citation_lines = [line for line in lines if line.lstrip().startswith('{"id": "c')]
    assert len(citation_lines) == len(sample_report.citations)
    assert all(json.loads(line.strip().rstrip(",")) for line in citation_lines)


def test_quotations_validate_against_the_schema(validator) -> None:
    from verifier.model import Location, Quotation, QuotationStatus

    report = Report(version="0", quotations=(
        Quotation("the old bridge will be demolished", "a.md", Location(3, 4), ("c1",),
                  QuotationStatus.FOUND_IN_ARCHIVE, 1.0, "https://web.archive.org/web/2019/https://e.org/b", "…"),
        Quotation("the council will publish its accounts", "a.md", None, ("c2",), why="offline"),
    ))
    document = json.loads(json_report.render(report))
    assert [q["status"] for q in document["quotations"]] == ["found-in-archive", "not-checked"]
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_each_item_is_encoded_as_json_s_own_encoder_encodes_it(value: object) -> None:
    """The one C encoder the report reuses for its items writes what ``json.dumps`` with the same options
    writes (non-ASCII kept, control characters escaped, NaN as JSON's encoder writes it)."""
    assert json_report._item(value) == json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def test_an_item_json_cannot_encode_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        json_report._item({"a": object()})


def test_items_encoded_ahead_give_the_same_report_and_a_replaced_item_is_encoded_anew(sample_report: Report) -> None:
    """``encode_ahead`` (the command, while its helpers check the links): the report is the very text it is
    without it; an item replaced since (a new object: a source a registry gave a DOI) is encoded as it is now,
    never as it was; and nothing is kept for the next report."""
    from dataclasses import replace

    plain = json_report.render(sample_report)
    json_report.encode_ahead((*sample_report.citations, *sample_report.sources))
    assert json_report.render(sample_report) == plain
    assert not json_report._AHEAD

    json_report.encode_ahead((*sample_report.citations, *sample_report.sources))
    first = sample_report.sources[0]
    changed = replace(first, fields=replace(first.fields, doi="10.1234/found"), doi_source="crossref")
    now = replace(sample_report, sources=(changed, *sample_report.sources[1:]))
    assert json_report.render(now) == json_report.render(now)  # (the second without anything ahead)
    assert json.loads(json_report.render(now))["sources"][0]["doi_source"] == "crossref"
