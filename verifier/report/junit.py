"""The JUnit XML report, for the test tabs of CI systems (GitLab, Jenkins, Azure, GitHub test reporters).

One ``<testsuite>`` per document and one ``<testcase>`` per document and rule
(every rule the run applied, so a clean document shows its passing checks).
A rule's findings at or above ``fail_on`` make its test case fail, with every
such finding listed in the failure's text; findings below the threshold are
listed in the test case's ``<system-out>``, and the case passes. An input that
could not be read is an ``<error>``. Findings that belong to no document go
into a last suite named ``verifier``.

Two dialects: ``gitlab`` (the default) puts ``file`` and ``line`` on each
test case, which GitLab's test report shows; ``jenkins`` leaves them out,
because the xunit schema Jenkins validates against allows neither.

Document text may hold characters XML 1.0 cannot carry (control characters
from a damaged PDF extraction); they are written as ``\\xNN`` so the file
always parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from verifier.model import Finding, Report, Severity
from verifier.report.common import by_document, count, document_paths, position
from verifier.rules.catalog import RULES

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` with every character XML 1.0 forbids written as ``\\xNN`` / ``\\uNNNN``."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
                        text)


DIALECTS = ("gitlab", "jenkins")


def render(report: Report, *, fail_on: str = "error", dialect: str = "gitlab") -> str:
    """The report as JUnit XML (UTF-8 declared), without a trailing newline."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown JUnit dialect {dialect!r} (choose from {', '.join(DIALECTS)})")
    located = dialect == "gitlab"
    threshold = None if fail_on == "never" else Severity(fail_on).rank
    groups = by_document(report)
    root = ET.Element("testsuites", name="verifier")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    suites: list[tuple[str, str | None]] = [(p, p) for p in document_paths(report)]
    if None in groups:
        suites.append(("verifier", None))
    for name, path in suites:
        findings = groups.get(path, [])
        suite = ET.SubElement(root, "testsuite", name=clean(name))
        stats = {"tests": 0, "failures": 0, "errors": 0}
        if path is not None and path in report.unreadable:
            case = ET.SubElement(suite, "testcase", name="P002 unreadable-input", classname=clean(path))
            if located:
                case.set("file", clean(path))
            reason = next((f.message for f in findings if f.code == "P002"), "could not be read")
            error = ET.SubElement(case, "error", type="P002", message=clean(reason))
            error.text = clean(reason)
            stats["tests"] += 1
            stats["errors"] += 1
            findings = [f for f in findings if f.code != "P002"]
        per_rule: dict[str, list[Finding]] = defaultdict(list)
        for f in findings:
            per_rule[f.code].append(f)
        codes = list(report.rules) if path is not None and path not in report.unreadable else []
        codes += [c for c in per_rule if c not in codes]
        for code in sorted(codes, key=_catalog_order):
            failed = _case(suite, name, code, per_rule.get(code, []), threshold, located=located)
            stats["tests"] += 1
            stats["failures"] += failed
        for key, value in stats.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("skipped", "0")
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _catalog_order(code: str) -> tuple[int, str]:
    order = list(RULES)
    return (order.index(code) if code in RULES else len(order), code)


def _case(suite: ET.Element, classname: str, code: str, findings: list[Finding], threshold: int | None, *,
          located: bool = True) -> int:
    rule = RULES.get(code)
    name = f"{code} {rule.name if rule else (findings[0].rule if findings else '')}".strip()
    case = ET.SubElement(suite, "testcase", name=clean(name), classname=clean(classname))
    if located and findings and findings[0].document:
        case.set("file", clean(findings[0].document))
        if findings[0].location:
            case.set("line", str(findings[0].location.line))
    failing = [f for f in findings if threshold is not None and f.severity.rank >= threshold]
    passing = [f for f in findings if f not in failing]
    if failing:
        first = failing[0].message
        message = first if len(failing) == 1 else f"{count(len(failing), 'finding')}; first: {first}"
        failure = ET.SubElement(case, "failure", type=code, message=clean(" ".join(message.split())))
        failure.text = clean("\n".join(_line(f) for f in failing))
    if passing:
        out = ET.SubElement(case, "system-out")
        out.text = clean("\n".join(_line(f) for f in passing))
    return 1 if failing else 0


def _line(f: Finding) -> str:
    where = position(f)
    line = f"{where + ': ' if where else ''}{f.code} [{f.severity.value}] {' '.join(f.message.split())}"
    if f.url and f.url not in f.message:
        line += f"\n  url: {f.url}"
    if f.suggestion:
        line += f"\n  → {' '.join(f.suggestion.split())}"
    return line
