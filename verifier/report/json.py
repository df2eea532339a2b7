"""The JSON report: ``verifier-report/1``, as described by ``report.schema.json``."""

from __future__ import annotations

import json
from typing import Any

from verifier.model import Report

_compact = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


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
        items = ",\n".join(f"    {_compact(item)}" for item in value)
        return f"[\n{items}\n  ]"
    return _compact(value)
