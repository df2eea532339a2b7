"""Inline suppression: ``verifier: ignore[CODE,…]`` written in the document's own comment syntax.

    Markdown, HTML   <!-- verifier: ignore[M001] -->
    LaTeX, BibTeX    % verifier: ignore[M004]
    plain text       verifier: ignore[M009]        (a line of its own)
    Word             verifier: ignore[M001]        (as text in the paragraph, hidden text is best)

- ``verifier: ignore[CODES]`` suppresses those codes (or prefixes) on its own
  line; when the comment stands alone on its line, on the next line too (the
  line directly below it).
- ``verifier: ignore`` with no codes suppresses every code on that line.
- ``verifier: ignore-file[CODES]`` anywhere in the file suppresses those codes
  in the whole file (``verifier: ignore-file`` alone: every code).

Pure: ``find`` reads a document's source lines and format, ``apply`` takes
findings and returns those kept plus the suppressions that suppressed nothing
(``--report-unused-suppressions`` reports them, as ruff's RUF100 does).
Word has no source lines: there ``find_in_paragraphs`` reads the body's
paragraphs (their ``location.line`` is the paragraph number), and a directive
written into a paragraph (as hidden text, so it does not print) covers that
paragraph, and the next one when it is the whole paragraph. PDF has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from verifier.model import Finding, Paragraph

_DIRECTIVE = r"verifier:\s*(?P<kind>ignore-file|ignore)\b(?:\[(?P<codes>[^\]]*)\])?"
_SYNTAX: dict[str, re.Pattern[str]] = {
    "markdown": re.compile(r"<!--\s*" + _DIRECTIVE + r"\s*-->"),
    "html": re.compile(r"<!--\s*" + _DIRECTIVE + r"\s*-->"),
    "latex": re.compile(r"(?<!\\)%\s*" + _DIRECTIVE + r"\s*$"),
    "bibtex": re.compile(r"(?<!\\)%\s*" + _DIRECTIVE + r"\s*$"),
    "text": re.compile(r"^\s*" + _DIRECTIVE + r"\s*$"),
    "docx": re.compile(_DIRECTIVE),
}
"""The comment each format writes a directive in."""

FORMATS = frozenset(_SYNTAX) - {"docx"}
"""The formats whose directives stand in their source lines (Word's stand in its paragraphs)."""


@dataclass(frozen=True, slots=True)
class Suppression:
    """One directive: where it stands, the lines it covers (empty for a whole file) and its codes
    (empty for every code)."""

    line: int
    lines: tuple[int, ...]
    codes: tuple[str, ...]
    text: str

    def covers(self, finding: Finding) -> bool:
        if self.lines and (finding.location is None or finding.location.line not in self.lines):
            return False
        return not self.codes or any(finding.code.startswith(code) for code in self.codes)


def find(lines: Sequence[str], fmt: str) -> tuple[Suppression, ...]:
    """The directives of a document given its source lines (1-based in the result) and its format."""
    pattern = _SYNTAX.get(fmt)
    if pattern is None:
        return ()
    out: list[Suppression] = []
    for number, line in enumerate(lines, start=1):
        if "verifier:" not in line:
            continue
        for match in pattern.finditer(line):
            codes = tuple(c.strip().upper() for c in (match.group("codes") or "").split(",") if c.strip())
            if match.group("kind") == "ignore-file":
                covered: tuple[int, ...] = ()
            else:
                alone = not (line[: match.start()] + line[match.end():]).strip()
                covered = (number, number + 1) if alone else (number,)
            out.append(Suppression(number, covered, codes, match.group(0).strip()))
    return tuple(out)


def find_in_paragraphs(paragraphs: Sequence[Paragraph]) -> tuple[Suppression, ...]:
    """The directives written into a Word document's body paragraphs (numbered as its findings are)."""
    lines: dict[int, str] = {}
    for paragraph in paragraphs:
        starts = [*paragraph.lines, (len(paragraph.text), 0)]
        for (start, number), (end, _) in zip(starts, starts[1:], strict=False):
            lines[number] = lines.get(number, "") + paragraph.text[start:end]
    if not lines or not any("verifier:" in text for text in lines.values()):
        return ()
    return find([lines.get(n, "") for n in range(1, max(lines) + 1)], "docx")


def apply(findings: Iterable[Finding], suppressions: dict[str, tuple[Suppression, ...]]
          ) -> tuple[list[Finding], list[tuple[str, Suppression]]]:
    """``(kept, unused)``: the findings no directive of their document covers, and the directives
    ``(document, suppression)`` that covered none."""
    used: set[tuple[str, int, str]] = set()
    kept: list[Finding] = []
    for finding in findings:
        hit = next((s for s in suppressions.get(finding.document or "", ()) if s.covers(finding)), None)
        if hit is None:
            kept.append(finding)
        else:
            used.add((finding.document or "", hit.line, hit.text))
    unused = [(path, s) for path, found in suppressions.items() for s in found if (path, s.line, s.text) not in used]
    return kept, unused
