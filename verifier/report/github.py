"""GitHub Actions annotations: one workflow command per finding.

::

    ::error file=b/chapter.txt,line=12,col=5,title=M001 marker-without-note::Note marker 7 has no note%0A→ add note 7

GitHub shows each as an annotation on the line in the pull request's "Files
changed" view and in the run's summary. Errors become ``::error``, warnings
``::warning``, info findings ``::notice``. The CLI prints these (besides the
report it was asked for) when ``GITHUB_ACTIONS=true``.

Escaping follows the runner's rules for workflow commands: in the message
``%``, ``\\r`` and ``\\n`` are percent-encoded; in property values also ``:``
and ``,``. A finding can therefore never start a command of its own, however
its citation text is written. Before that, control characters of the document
text, URLs and file names are shown as escapes (``\\x1b``, ``\\n``): the
annotation's own line breaks are the only ones left.
"""

from __future__ import annotations

from verifier.model import Finding, Report, Severity
from verifier.report.common import order, printable

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    """The workflow command for one finding."""
    props: list[tuple[str, str]] = []
    if finding.document:
        props.append(("file", printable(finding.document.replace("\\", "/"))))
        if finding.location is not None:
            props.append(("line", str(finding.location.line)))
            if finding.location.column is not None:
                props.append(("col", str(finding.location.column)))
    props.append(("title", f"{finding.code} {finding.rule}"))
    message = printable(" ".join(finding.message.split()))
    if finding.url and finding.url not in finding.message:
        message += f"\n{printable(finding.url)}"
    if finding.suggestion:
        message += f"\n→ {printable(' '.join(finding.suggestion.split()))}"
    properties = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{COMMAND[finding.severity]} {properties}::{escape_data(message)}"


def render(report: Report) -> str:
    """One annotation line per finding, in report order; empty when there are none."""
    return "\n".join(annotation(f) for f in sorted(report.findings, key=order))
