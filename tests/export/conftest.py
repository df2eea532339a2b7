"""Documents for the export tests: numbered notes behind superscript markers, checked offline."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import verifier
from verifier.model import Report

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

ORLOV = (
    'Nikolai Orlov, "Grain and the Northern Capital", Russian Economic History, vol. 4, no. 2, December 1998, '
    "pp. 45-67."
)
ORLOV_SHORT_NAME = (
    'N. Orlov, "Grain and the Northern Capital", Russian Economic History, vol. 4, no. 2, December 1998, p. 50.'
)
HOLM_SHORT_TITLE = "Karin Holm, Keepers of the Flame (Stockholm: Norstedts, 1999), p. 12."
HOLM = "Karin Holm, Keepers of the Flame: Lighthouse Families in Sweden (Stockholm: Norstedts, 1999), p. 14."
HRW = (
    'Human Rights Watch, "Q&A: The Human Fallout from Tajikistan’s Dam Project," June 25, 2014, '
    "https://www.hrw.org/news/2014/06/25/qa-human-fallout, accessed March 3, 2021."
)
MULLER = "Jürgen Müller and Zoë O’Brien, eds., Baltic Ports (Berlin: Springer, 2003), p. 14."
JONSON = "Lena Jonson, The Tajik civil war: A challenge to Russian policy, Discussion Paper (London: RIIA, 1997)."
ASOPA = (
    'Sheel K. Asopa, "Regional Interests in Tajikistan", in Mahavir Singh (ed.), India and Tajikistan '
    "(Kolkata: Anamika Publishers, 2003), pp. 23-45."
)
IZVESTIA = "Izvestia, 31 July 1992, p. 2."


def document(*notes: str) -> str:
    """A text document whose claims carry markers ¹, ², … and whose ``Notes`` list holds ``notes``."""
    body = " ".join(f"Claim {i}.{str(i).translate(_SUPERSCRIPTS)}" for i in range(1, len(notes) + 1))
    return body + "\n\nNotes\n\n" + "".join(f"{i}. {note}\n" for i, note in enumerate(notes, 1))


@pytest.fixture
def report_of(tmp_path: Path) -> Callable[..., Report]:
    """``report_of(note, …)``: the offline report of a document with these notes."""

    def make(*notes: str, name: str = "chapter.txt") -> Report:
        path = tmp_path / name
        path.write_text(document(*notes), encoding="utf-8")
        return verifier.check([path], offline=True)

    return make
