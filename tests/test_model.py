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


def test_documents_and_citations_come_back_from_a_worker_whole() -> None:
    import dataclasses
    import pickle
    from pathlib import Path

    from verifier import model
    from verifier.config import Settings
    from verifier.pipeline import Task, map_input

    sample = Path(__file__).resolve().parents[1] / "references" / "chapter-pdf-extract.txt"
    mapped = map_input(Settings(), Task(sample.name, str(sample), "text"))
    assert mapped.document is not None and mapped.citations
    back = pickle.loads(pickle.dumps(mapped))
    assert back == mapped
    assert [c.fields.confidence for c in back.citations or ()] == [c.fields.confidence for c in mapped.citations]
    assert any(c.fields.confidence for c in mapped.citations)
    for cls in model.Compact.__subclasses__():  # pickled by their fields in order: every field, none keyword-only
        assert cls.__match_args__ == tuple(f.name for f in dataclasses.fields(cls)), cls
