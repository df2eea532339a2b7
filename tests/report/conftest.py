"""Hand-built reports for the report tests: two documents, an unreadable input,
findings in a deliberately scrambled order."""

from __future__ import annotations

from typing import Any

import pytest

from verifier.model import (
    Archive,
    Citation,
    DocumentSummary,
    Fields,
    Finding,
    Kind,
    LinkResult,
    LinkStatus,
    Location,
    Person,
    Report,
    Severity,
    Source,
)


def finding(
    code: str,
    severity: Severity,
    message: str,
    document: str | None,
    line: int | None = None,
    column: int | None = None,
    **extra: Any,
) -> Finding:
    location = Location(line, column) if line is not None else None
    return Finding(code, f"rule-{code.lower()}", severity, message, document, location, **extra)


@pytest.fixture
def sample_report() -> Report:
    citation = Citation(
        id="c1",
        document="b/chapter.txt",
        note="1",
        location=Location(40, 1),
        raw="Paul Goble, “Tajik Treaty,” RFE/RL, 17 April 1999, https://example.org/goble.",
        kind=Kind.NEWS,
        fields=Fields(
            authors=(Person(family="Goble", given="Paul"),),
            title="Tajik Treaty",
            container="RFE/RL",
            date="1999-04-17",
            url="https://example.org/goble",
        ),
        source="s1",
    )
    return Report(
        version="0.1.0",
        documents=(
            DocumentSummary("b/chapter.txt", "text", notes=12, citations=14, urls=3),
            DocumentSummary("a/clean.md", "markdown", notes=1, citations=1, urls=1),
        ),
        citations=(citation,),
        sources=(Source("s1", ("c1",), citation.fields, Kind.NEWS),),
        links=(
            LinkResult(
                "https://example.org/goble",
                LinkStatus.DEAD,
                ("c1",),
                http_status=404,
                archive=Archive(
                    "https://web.archive.org/web/19990501/https://example.org/goble", "1999-05-01T00:00:00Z"
                ),
            ),
        ),
        findings=(
            finding("M003", Severity.WARNING, "note 5 follows note 3", "b/chapter.txt", 30),
            finding(
                "L001",
                Severity.ERROR,
                "dead link (404)",
                "b/chapter.txt",
                40,
                7,
                url="https://example.org/goble",
                suggestion="https://web.archive.org/web/19990501/https://example.org/goble",
                citations=("c1",),
            ),
            finding(
                "M001", Severity.ERROR, "note marker 7 has no note", "b/chapter.txt", 12, 5, suggestion="add note 7"
            ),
            finding("P002", Severity.ERROR, "cannot read: No such file or directory", "c/missing.pdf"),
            finding("D002", Severity.INFO, "“Tajik Treaty” cited in full again", "b/chapter.txt", 40, 1),
        ),
        unreadable=("c/missing.pdf",),
    )
