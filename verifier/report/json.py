"""The JSON report: ``verifier-report/1``, as described by ``report.schema.json``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from verifier.model import Report

_compact = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def _c_encoder() -> Any:
    """``_compact``'s C encoder, built once: ``JSONEncoder.encode`` builds a new one for every value (a third of
    the time of encoding a report's thousands of small items one by one). None without the C accelerator."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return None

    def default(value: Any) -> Any:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    # (no circularity check: every item is a fresh tree of dicts, lists and scalars from ``to_json``)
    return make(None, default, json.encoder.encode_basestring, None, ": ", ", ", False, False, True)


_ENCODE = _c_encoder()


def _item(value: Any) -> str:
    """One value as ``_compact`` encodes it."""
    if _ENCODE is None:
        return _compact(value)
    return "".join(_ENCODE(value, 0))


_AHEAD: dict[int, tuple[Any, str]] = {}
"""The items ``encode_ahead`` encoded, by identity: ``(item, its line)``."""


def encode_ahead(items: Iterable[Any]) -> None:
    """Encode report items (citations, sources) now, ahead of the report: the command calls this while its
    helper processes check the links, and ``render`` then takes the line of each item it is given again —
    the very object (they are frozen) — instead of encoding it after the network stage. An item the run
    replaced since (a source a registry gave a DOI) is a new object, encoded as usual. Only the last call's
    items are kept, until the next ``render``."""
    _AHEAD.clear()
    _AHEAD.update((id(item), (item, _item(item.to_json()))) for item in items)


def render(report: Report) -> str:
    """The report as JSON with one array item per line; non-ASCII text is kept as is (UTF-8).

    ``json.dumps(indent=2)`` runs Python's pure-Python encoder and took longer
    than the offline checks themselves on large runs; encoding each citation,
    source, link and finding with the C encoder, one per line, is about ten
    times faster and stays readable and ``grep``-able.
    """
    ahead = {"citations": report.citations, "sources": report.sources} if _AHEAD else {}
    try:
        data = (replace(report, citations=(), sources=()) if ahead else report).to_json()
        lines = ["{"]
        keys = list(data)
        for n, key in enumerate(keys):
            comma = "," if n < len(keys) - 1 else ""
            value = _list(_encoded(ahead[key])) if ahead.get(key) else _value(data[key])
            lines.append(f"  {_compact(key)}: {value}{comma}")
        lines.append("}")
        return "\n".join(lines)
    finally:
        _AHEAD.clear()


def _encoded(items: Iterable[Any]) -> Iterator[str]:
    for item in items:
        known = _AHEAD.get(id(item))
        yield known[1] if known is not None and known[0] is item else _item(item.to_json())


def _list(lines: Iterable[str]) -> str:
    items = ",\n".join(f"    {line}" for line in lines)
    return f"[\n{items}\n  ]"


def _value(value: Any) -> str:
    if isinstance(value, list) and value:
        return _list(_item(item) for item in value)
    return _compact(value)
