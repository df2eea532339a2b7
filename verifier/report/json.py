"""The JSON report: ``verifier-report/1``, as described by ``report.schema.json``."""

from __future__ import annotations

import json

from verifier.model import Report


def render(report: Report) -> str:
    """The report as indented JSON; non-ASCII text is kept as is (the output is UTF-8)."""
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2)
