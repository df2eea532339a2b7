"""The contract files the tests use live in ``tests/data`` so a plain clone tests them too.

When ``../shared`` sits beside the repository, each copy must equal the
original there: a changed contract must be copied in, not silently diverge.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

COPIES = [
    pytest.param("report.schema.json", "report.schema.json", id="report-schema"),
    pytest.param("schemas/csl-data.json", "csl-data.json", id="csl-json-schema"),
    pytest.param("schemas/sarif-schema-2.1.0.json", "sarif-2.1.0.json", id="sarif-schema"),
]


@pytest.mark.parametrize(("original", "copy"), COPIES)
def test_copy_is_present_and_valid_json(original: str, copy: str) -> None:
    json.loads((REPO / "tests" / "data" / copy).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("original", "copy"), COPIES)
def test_copy_equals_the_shared_contract(original: str, copy: str) -> None:
    source = SHARED / original
    if not source.is_file():
        pytest.skip(f"{source} is not present")
    ours = json.loads((REPO / "tests" / "data" / copy).read_text(encoding="utf-8"))
    assert ours == json.loads(source.read_text(encoding="utf-8")), f"copy {original} into tests/data/{copy}"
