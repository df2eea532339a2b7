"""Export the sources of a report: BibTeX (bibtexparser v2) and CSL-JSON.

``records`` chooses what is said about each source (one record per cited
work, keys assigned); ``bibtex`` and ``csl`` only write it::

    >>> report = verifier.check(["chapter.txt"], offline=True)
    >>> text = to_bibtex(report)              # the .bib file
    >>> data = to_csl_json(report)            # the CSL-JSON file
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from verifier.export.records import Bibliography, Record, records

if TYPE_CHECKING:
    from verifier.model import Report

__all__ = ["Bibliography", "Record", "records", "to_bibtex", "to_csl_json", "STYLES"]

STYLES = ("biblatex", "bibtex")
"""The BibTeX dialects ``to_bibtex`` writes. Defined here, not in ``bibtex``, so that the command line can
offer them without loading bibtexparser (only ``export`` needs it)."""


def to_bibtex(report: Report, *, style: str = "biblatex", ascii_only: bool = False) -> str:
    """The sources of ``report`` as the text of a .bib file.

    ``style="bibtex"`` writes ``@misc`` with ``howpublished = {\\url{…}}`` for web
    pages and news items, for the classic styles that know no ``@online``;
    ``ascii_only`` writes LaTeX escapes (``{\\"u}``) instead of UTF-8.
    """
    from verifier.export import bibtex

    return bibtex.render(records(report), [d.path for d in report.documents], style=style, ascii_only=ascii_only)


def to_csl_json(report: Report) -> str:
    """The sources of ``report`` as a CSL-JSON document (an array of items, UTF-8 text)."""
    from verifier.export import csl

    return json.dumps(csl.items(records(report)), ensure_ascii=False, indent=2) + "\n"
