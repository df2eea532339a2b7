"""I007 inconsistent-style."""

from __future__ import annotations

import pytest

from verifier.model import Kind

from .factories import cite, findings


def raws(*texts: str, doc: str = "doc.txt") -> list[object]:
    return [cite(str(n), Kind.UNKNOWN, raw=t, doc=doc) for n, t in enumerate(texts, 1)]


def test_i007_months_full_and_abbreviated() -> None:
    found = findings(
        *raws(
            "Joshi, “Russia”, Strategic Analysis, December 1995, p. 1281.",
            "Ahmed, “Turmoil”, Fall 1995, p.71.",
            "Joshi, “Russia”, Strategic Analysis, Dec. 1995, p. 1277.",
            "Joshi, “Russia”, Strategic Analysis, December, 1995, p. 1276.",
            "Olimov, “Policy”, Foreign Affairs, Sept/Oct. 1997, p. 112.",
        ),  # type: ignore[arg-type]
        code="I007",
    )
    (finding,) = found
    assert finding.message == (
        "Months are written in full in notes 1 and 4 (“December 1995”) but abbreviated in notes 3 and 5 (“Dec. 1995”)."
    )
    assert finding.location is not None and finding.location.line == 103  # first of the rarer style (tie: abbreviated)
    assert finding.suggestion == "Write months one way throughout, e.g. as most citations do (“December 1995”)."


def test_i007_page_ranges_p_and_pp() -> None:
    (finding,) = findings(
        *raws(
            "Warikoo, Ibid*, p. 213-14",
            "Rashid, Oxford University Press, 1994, p. 159-60.",
            "MFA Statement, Izvestia, pp. 19-20.",
            "Knyazev, Aakrosh, p.71.",
        ),  # type: ignore[arg-type]
        code="I007",
    )
    assert "Page ranges are introduced by “pp.” in note 3 (“pp. 19-20”) but by “p.” in notes 1 and 2" in finding.message
    assert finding.location is not None and finding.location.line == 101


@pytest.mark.parametrize(
    "texts",
    [
        pytest.param(("December 1995", "January 12, 1996"), id="all-full"),
        pytest.param(("Dec. 1995", "Jan 1996"), id="all-abbreviated"),
        pytest.param(("May 1993", "Dec. 1995"), id="may-is-neither"),
        pytest.param(("They march on, 1995", "Dec. 1995"), id="verb-march"),
        pytest.param(("http://example.org/december/2015/x", "Dec. 1995"), id="month-in-url"),
        pytest.param(("p. 213-14", "p. 12-13"), id="only-p-ranges"),
        pytest.param(("pp. 19-20", "p. 12"), id="p-for-single-page"),
    ],
)
def test_i007_silent(texts: tuple[str, ...]) -> None:
    assert not findings(*raws(*texts), code="I007")  # type: ignore[arg-type]


def test_i007_per_document() -> None:
    cits = raws("December 1995", doc="a.txt") + raws("Dec. 1995", doc="b.txt")
    assert not findings(*cits, code="I007")  # type: ignore[arg-type]
