"""Regression floors for field accuracy on the labelled AnyStyle references (skipped without the data).

The floors sit a few points under what ``benchmarks/fields.py`` measures, so a
change that makes the parser clearly worse fails here; the benchmark prints the
full table.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data" / "anystyle-core.jsonl"

pytestmark = pytest.mark.skipif(not DATA.exists(), reason="../shared/data/anystyle-core.jsonl is not present")

# field -> minimum accuracy (%) on the labelled strings
FLOORS = {
    "author": 88.0,
    "title": 82.0,
    "container": 73.0,
    "date": 93.5,
    "volume": 76.0,
    "pages": 84.0,
    "publisher": 73.0,
    "place": 82.0,
    "url": 80.0,
    "doi": 90.0,
}
# field -> maximum share (%) of unlabelled strings where the parser invents a value
CEILINGS = {
    "container": 34.0, "volume": 6.0, "pages": 8.0, "publisher": 4.0, "place": 4.0, "url": 1.0, "doi": 1.0,
}


@pytest.fixture(scope="module")
def table() -> dict[str, dict[str, float]]:
    spec = importlib.util.spec_from_file_location("benchmark_fields", REPO / "benchmarks" / "fields.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score(module.load(DATA))


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_accuracy_floor(table: dict[str, dict[str, float]], field: str) -> None:
    assert table[field]["acc"] >= FLOORS[field], table[field]


@pytest.mark.parametrize("field", sorted(CEILINGS))
def test_spurious_ceiling(table: dict[str, dict[str, float]], field: str) -> None:
    assert table[field]["spurious_rate"] <= CEILINGS[field], table[field]
