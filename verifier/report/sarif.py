"""The SARIF 2.1.0 report, for code scanning (GitHub shows each finding on its line).

One run; ``tool.driver.rules`` holds every rule of the catalog with its
descriptions, help (the rule's documentation) and default level; each result
names its rule, level, message (with the suggestion) and physical location:
``artifactLocation.uri`` relative to ``%SRCROOT%`` (the working directory,
given as ``root``) and ``region.startLine``/``startColumn`` (columns count
Unicode code points). ``partialFingerprints`` carry the baseline's key, which
holds no line number, so a finding keeps its identity when the text around it
is edited. Validated against the official schema in the tests
(``tests/data/sarif-2.1.0.json``).
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import replace
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from verifier.baseline import fingerprint, raw_texts
from verifier.model import Citation, Finding, Location, Report, Severity
from verifier.report.common import document_paths, order
from verifier.rules.catalog import RULES, Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
ROOT = "%SRCROOT%"
FINGERPRINT = "verifier/v1"

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(report: Report, *, root: str | None = None) -> str:
    """The report as a SARIF 2.1.0 log; ``root`` is the absolute folder relative paths start from."""
    return json.dumps(log(report, root=root), ensure_ascii=False, indent=2)


def log(report: Report, *, root: str | None = None) -> dict[str, Any]:
    """The SARIF log as a dict (what ``render`` serialises)."""
    rules = list(RULES.values())
    index = {r.code: i for i, r in enumerate(rules)}
    paths = document_paths(report)
    artifacts = {p: i for i, p in enumerate(paths)}
    raw_of = raw_texts(report.citations)
    cited = {c.id: c for c in report.citations}
    fallback = paths[0] if paths else None
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "verifier",
                "version": report.version,
                "semanticVersion": report.version,
                "rules": [_rule(r) for r in rules],
            }
        },
        "artifacts": [{"location": _artifact_location(p, root)} for p in paths],
        "results": [
            _result(_anchored(f, cited, fallback), index, artifacts, raw_of, root)
            for f in sorted(report.findings, key=order)
        ],
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": True}],
    }
    if root:
        run["originalUriBaseIds"] = {ROOT: {"uri": _dir_uri(root)}}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rule(rule: Rule) -> dict[str, Any]:
    doc = rule.doc.strip()
    what = _section(doc, "What it does") or rule.summary
    summary = rule.summary[0].upper() + rule.summary[1:]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": f"{summary}."},
        "fullDescription": {"text": what},
        "help": {"text": doc or rule.summary, "markdown": doc or rule.summary},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": ["citations", _family(rule.code)], "offline": rule.offline},
    }


def _section(doc: str, heading: str) -> str:
    marker = f"## {heading}\n"
    if marker not in doc:
        return ""
    return doc.split(marker, 1)[1].split("\n## ", 1)[0].strip()


def _family(code: str) -> str:
    return {
        "M": "notes", "D": "duplicates", "I": "consistency", "F": "format", "L": "links", "A": "archives",
        "V": "registries", "P": "parsing",
    }.get(code[0], "other")


def _anchored(f: Finding, cited: dict[str, Citation], fallback: str | None) -> Finding:
    """``f`` with a place in a file. GitHub code scanning rejects a whole log when one result has no
    location, so a finding about no document stands where its first citation does, else at the top of
    the first document (and a finding about a whole document at its line 1)."""
    if f.document is not None:
        return f if f.location is not None else replace(f, location=Location(1))
    first = next((cited[c] for c in f.citations if c in cited), None)
    if first is not None:
        return replace(f, document=first.document, location=first.location)
    return replace(f, document=fallback, location=Location(1)) if fallback else f


def _result(
    f: Finding, index: dict[str, int], artifacts: dict[str, int], raw_of: dict[str, str], root: str | None
) -> dict[str, Any]:
    text = f.message
    if f.url and f.url not in text:
        text += f" ({f.url})"
    if f.suggestion:
        text += f" Suggestion: {f.suggestion}"
    result: dict[str, Any] = {
        "ruleId": f.code,
        "level": LEVEL[f.severity],
        "message": {"text": text},
        "partialFingerprints": {FINGERPRINT: fingerprint(f, raw_of)},
    }
    if f.code in index:
        result["ruleIndex"] = index[f.code]
    if f.document is not None:
        artifact: dict[str, Any] = _artifact_location(f.document, root)
        if f.document in artifacts:
            artifact["index"] = artifacts[f.document]
        physical: dict[str, Any] = {"artifactLocation": artifact}
        if f.location is not None:
            region: dict[str, int] = {"startLine": max(1, f.location.line)}
            if f.location.column is not None:
                region["startColumn"] = max(1, f.location.column)
            physical["region"] = region
        result["locations"] = [{"physicalLocation": physical}]
    properties: dict[str, Any] = {}
    if f.url:
        properties["url"] = f.url
    if f.suggestion:
        properties["suggestion"] = f.suggestion
    if properties:
        result["properties"] = properties
    return result


def _is_absolute(path: str) -> bool:
    return PurePosixPath(path).is_absolute() or PureWindowsPath(path).is_absolute()


def _artifact_location(path: str, root: str | None) -> dict[str, str]:
    """A relative path under ``%SRCROOT%``; an absolute path outside ``root`` as a ``file://`` URI."""
    posix = path.replace("\\", "/")
    if _is_absolute(path):
        if root and _is_absolute(root):
            base = root.replace("\\", "/").rstrip("/") + "/"
            if posix.startswith(base):
                return {"uri": quote(posixpath.normpath(posix[len(base):])), "uriBaseId": ROOT}
        return {"uri": _file_uri(path)}
    return {"uri": quote(posixpath.normpath(posix)), "uriBaseId": ROOT}


def _file_uri(path: str) -> str:
    pure: PurePath = PureWindowsPath(path) if PureWindowsPath(path).drive else PurePosixPath(path)
    return pure.as_uri()


def _dir_uri(root: str) -> str:
    uri = _file_uri(root)
    return uri if uri.endswith("/") else uri + "/"
