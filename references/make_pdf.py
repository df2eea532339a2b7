"""Write ``references/sample.pdf``: a chapter typeset the way books are, with planted defects.

Run ``python references/make_pdf.py`` after changing the text below; the tests
check that the committed PDF is what this script writes.

The PDF is written by hand (no PDF library needed): Helvetica in
WinAnsiEncoding, body text at 11 pt, note markers as superscripts (7 pt,
raised), page-bottom footnotes at 8.5 pt under a drawn rule (a line, not
text, as in PDFs from Word or LaTeX), a page number under them, and link
annotations (``/Subtype /Link``, ``/A /URI``) over the URLs, two of them over
a URL broken across lines. ``build_pdf`` is also what the tests use to make
their small PDFs.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

_SUP = re.compile(r"\^\{([^}]*)\}")


@dataclass
class Line:
    """One line of text at height ``y`` (points from the page bottom); ``^{12}`` marks a superscript."""

    y: float
    text: str
    size: float = 11.0
    x: float = 72.0


@dataclass
class Link:
    """A link annotation: the rectangle it covers and the URI it opens."""

    rect: tuple[float, float, float, float]
    uri: str


@dataclass
class Page:
    lines: list[Line] = field(default_factory=list)
    rules: list[float] = field(default_factory=list)
    """Heights of horizontal rules (the footnote separator) drawn from x=72 to x=216."""
    links: list[Link] = field(default_factory=list)


def _literal(text: str) -> str:
    raw = text.encode("cp1252", errors="replace")  # Helvetica in WinAnsiEncoding has no more
    out = []
    for b in raw:
        ch = chr(b)
        if ch in "()\\":
            out.append("\\" + ch)
        elif 32 <= b < 127:
            out.append(ch)
        else:
            out.append(f"\\{b:03o}")
    return "(" + "".join(out) + ")"


def _content(page: Page) -> bytes:
    ops: list[str] = []
    for line in page.lines:
        ops.append(f"BT /F1 {line.size:g} Tf {line.x:g} {line.y:g} Td")
        pos = 0
        for m in _SUP.finditer(line.text):
            if m.start() > pos:
                ops.append(f"{_literal(line.text[pos:m.start()])} Tj")
            ops.append(f"/F1 {line.size * 0.64:.2f} Tf {line.size * 0.35:.2f} Ts {_literal(m.group(1))} Tj")
            ops.append(f"/F1 {line.size:g} Tf 0 Ts")
            pos = m.end()
        if pos < len(line.text):
            ops.append(f"{_literal(line.text[pos:])} Tj")
        ops.append("ET")
    for y in page.rules:
        ops.append(f"0.5 w 72 {y:g} m 216 {y:g} l S")
    return "\n".join(ops).encode("latin-1")


def build_pdf(pages: Sequence[Page]) -> bytes:
    """A PDF of ``pages`` (US Letter), byte for byte the same on every run."""
    objects: list[bytes] = []  # object n is objects[n - 1]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids: list[int] = []
    for page in pages:
        data = _content(page)
        contents = add(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
        annots = []
        for link in page.links:
            rect = " ".join(f"{v:g}" for v in link.rect)
            annots.append(
                add(
                    f"<< /Type /Annot /Subtype /Link /Rect [{rect}] /Border [0 0 0] "
                    f"/A << /S /URI /URI {_literal(link.uri)} >> >>".encode("latin-1")
                )
            )
        annot_ref = " /Annots [{}]".format(" ".join(f"{n} 0 R" for n in annots)) if annots else ""
        kids.append(
            add(
                f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 612 792] /Contents {contents} 0 R "
                f"/Resources << /Font << /F1 {font} 0 R >> >>{annot_ref} >>".encode("latin-1")
            )
        )
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_obj} 0 R >>".encode("latin-1")
    objects[pages_obj - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode("latin-1")
    )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


def flow(body: Sequence[str], notes: Sequence[str], number: int | None, top: float = 720) -> Page:
    """A page: body lines from the top, notes at 8.5 pt under a rule at the bottom, the page number below."""
    page = Page()
    notes_top = 72 + 11 * len(notes) + 12 if notes else 72
    leading = min(14.0, (top - notes_top - 10) / max(1, len(body)))
    y = top
    for text in body:
        page.lines.append(Line(round(y, 2), text))
        y -= leading
    if notes:
        page.rules.append(notes_top)
        ny = notes_top - 12
        for text in notes:
            page.lines.append(Line(ny, text, 8.5))
            ny -= 11
    if number is not None:
        page.lines.append(Line(40, str(number), 10, 300))
    return page


# --------------------------------------------------------------------------- the sample

SAMPLE_PAGES: list[tuple[list[str], list[str]]] = [
    (
        [
            "Lighthouses of the Northern Sound",
            "",
            "The first light on the sound was lit in 1821, when the harbour board took over",
            "the old beacon at Skarv Point.^{1} Its keepers kept a log that survives in the",
            "county archive, and it records storms, wrecks and the arrival of the supply",
            "steamer.^{2} Historians of the coast have used it ever since, although its",
            "spelling is erratic and several pages were lost in the flood of 1904.^{3}",
            "",
            "The harbour board's own history of the service says little about the keepers",
            "themselves.^{4} The families who lived on the rock appear only in passing, and",
        ],
        [
            "^{1} Maria Lindqvist, The Northern Lights: A History of Coastal Beacons (Oslo: Fjord Press,",
            "2004), 45, ISBN 978-82-7959-123-4.",
            "^{2} Erik Dahl, \u201cKeeping the Light,\u201d Journal of Maritime History 12, no. 3 (1998):",
            "201\u2013219.",
            "^{3} Harbour Board, Annual Report 1905 (Bergen: Harbour Board, 1905), 12.",
            "^{4} Harbour Board, \u201cThe Light Service 1821\u20131921,\u201d accessed March 3, 2021,",
            "https://www.harbourboard.example.org/history/light-service-",
        ],
    ),
    (
        [
            "their letters have not been collected.^{5} What we know of daily life comes from",
            "the log and from the reports of the inspectors, who visited every spring.^{6}",
            "",
            "An inspector's report of 1887 describes the lamp room as too small and badly",
            "ventilated, and the keeper's own log says the same.^{7} The report asks for a",
            "second keeper, a request the board refused for another decade.^{8} The station",
            "was surveyed again in 2019, and the survey is published online by the Coastal",
            "Heritage Trust.^{9}",
        ],
        [
            "centenary.html.",
            "^{5} Anna Berg, Letters from the Rock (Bergen: Skald, 2011), 3.",
            "^{6} Erik Dahl, \u201cKeeping the Light,\u201d Journal of Maritime History 12, no. 3 (1999): 205.",
            "^{7} Skarv Point keeper's log, 1887, Coastal Archive, https://www.coastarchive.example/logs/keeper-",
            "1887 volume, 12.",
            "^{9} Coastal Heritage Trust, \u201cSkarv Point Station Survey,\u201d https://heritage.example.org/survey/skarv-",
            "accessed May 2, 2021.",
        ],
    ),
]

SAMPLE_URL_4 = "https://www.harbourboard.example.org/history/light-service-centenary.html"
SAMPLE_URL_9 = "https://heritage.example.org/survey/skarv-point-station"
SAMPLE_SURVEY = "https://heritage.example.org/survey/skarv-point-station/report.pdf"


def rect_of(page: Page, text: str) -> tuple[float, float, float, float]:
    """The rectangle a link annotation over ``text`` covers (Helvetica is about half an em wide a glyph)."""
    for line in page.lines:
        plain = _SUP.sub(r"\1", line.text)
        i = plain.find(text)
        if i >= 0:
            width = line.size * 0.5
            return (line.x + i * width, line.y - 2, line.x + (i + len(text)) * width, line.y + line.size)
    raise ValueError(f"no line holds {text!r}")


def sample() -> bytes:
    """The sample chapter: see references/README.md for its planted defects."""
    first, second = (flow(body, notes, n) for n, (body, notes) in enumerate(SAMPLE_PAGES, 1))
    # Note 4's URL runs from the last note line of page 1 into the notes of page 2: one annotation on each page.
    first.links.append(Link(rect_of(first, "https://www.harbourboard"), SAMPLE_URL_4))
    second.links.append(Link(rect_of(second, "centenary.html"), SAMPLE_URL_4))
    # Note 9's URL lost its end in the typesetting; the annotation over it holds it whole.
    second.links.append(Link(rect_of(second, "https://heritage.example.org"), SAMPLE_URL_9))
    # A body link whose URL is not printed at all.
    second.links.append(Link(rect_of(second, "published online"), SAMPLE_SURVEY))
    return build_pdf([first, second])


def main(argv: Sequence[str] = ()) -> int:
    target = Path(argv[0]) if argv else Path(__file__).with_name("sample.pdf")
    target.write_bytes(sample())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
