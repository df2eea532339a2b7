"""The data model (verifier/model.py): what a field's confidence changes and what it does not."""

from __future__ import annotations

from verifier.model import Fields


def test_fields_confidence_is_kept_apart_from_values() -> None:
    shaky = Fields(title="T", container="C", confidence=(("title", 0.5), ("container", 0.95)))
    assert not shaky.confident("title")
    assert shaky.confident("container")
    assert shaky.confident("date")  # a field the rules read counts as confident
    assert shaky == Fields(title="T", container="C")  # equality and JSON ignore the confidence
    assert shaky.to_json() == {"title": "T", "container": "C"}
    merged = Fields(title="T").merged(Fields(date="1999", confidence=(("date", 0.4), ("title", 0.3))))
    assert merged.date == "1999" and not merged.confident("date") and merged.confident("title")
