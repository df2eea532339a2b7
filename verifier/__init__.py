"""verifier — find, parse and verify every citation of a document.

The public API is what the command line uses::

    >>> import verifier
    >>> verifier.parse_citation('Nirmala Joshi, "Russia and Central Asia", *Strategic Analysis*, Dec. 1995, p. 1277.')
    >>> report = verifier.check(["chapter.txt"], offline=True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from verifier._version import __version__

if TYPE_CHECKING:
    from pathlib import Path

    from verifier.config import Settings
    from verifier.model import Citation, Report

__all__ = ["__version__", "check", "parse_citation"]


def parse_citation(text: str) -> Citation:
    """Parse one citation string into a Citation (kind and fields); never raises on bad input."""
    from verifier.citations import parse
    from verifier.model import Citation, Location, Origin

    kind, fields, parsed = parse(text)
    return Citation("c1", "", None, Location(1), text, kind, fields, None, Origin.NOTE, 0, parsed)


def check(paths: list[str | Path], settings: Settings | None = None, **overrides: Any) -> Report:
    """Read, parse and judge the citations of ``paths``; keyword arguments override settings
    (``offline=True``, ``select=("M", "I001")``, ...)."""
    from verifier.pipeline import check as _check

    return _check(paths, settings, **overrides)
