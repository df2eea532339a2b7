"""The JSON report: ``verifier-report/1``, as described by ``report.schema.json``."""

from __future__ import annotations

import json
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


def render(report: Report) -> str:
    """The report as JSON with one array item per line; non-ASCII text is kept as is (UTF-8).

    ``json.dumps(indent=2)`` runs Python's pure-Python encoder and took longer
    than the offline checks themselves on large runs; encoding each citation,
    source, link and finding with the C encoder, one per line, is about ten
    times faster and stays readable and ``grep``-able.
    """
    data = report.to_json()
    lines = ["{"]
    keys = list(data)
    for n, key in enumerate(keys):
        comma = "," if n < len(keys) - 1 else ""
        lines.append(f"  {_compact(key)}: {_value(data[key])}{comma}")
    lines.append("}")
    return "\n".join(lines)


def _value(value: Any) -> str:
    if isinstance(value, list) and value:
        items = ",\n".join(f"    {_item(item)}" for item in value)
        return f"[\n{items}\n  ]"
    return _compact(value)
