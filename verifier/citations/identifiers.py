"""DOIs and ISBNs: finding them in citation text and checking them.

The finders report what the author wrote, valid or not, so that rules F001
(invalid DOI) and F002 (invalid ISBN) can flag a malformed one; the
``is_valid_*`` functions say whether it would resolve.
"""

from __future__ import annotations

import re

# A DOI introduced by a label or a resolver URL: take whatever follows, even if malformed.
_LABELLED_DOI_RE = re.compile(
    r"(?:\bdoi\s*[:=]?\s*|https?://(?:dx\.)?doi\.org/|\bdoi\.org/)(?P<doi>[^\s,;\"“”<>\]]+)",
    re.IGNORECASE,
)
# A bare DOI: "10." + registrant + "/" + suffix.
_BARE_DOI_RE = re.compile(r"(?<![\w./])(?P<doi>10\.\d{3,9}(?:\.\d+)*/[^\s\"“”<>]+)")
_VALID_DOI_RE = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")

_ISBN_RE = re.compile(
    r"\bISBN(?:-?1[03])?\s*:?\s*(?P<isbn>[0-9][0-9\s\-‐–]{7,20}[0-9Xx])(?![\w-])",
    re.IGNORECASE,
)
# An unlabelled ISBN-13 is recognisable by its prefix and hyphenation.
_BARE_ISBN13_RE = re.compile(r"(?<![\w-])(?P<isbn>97[89]-\d{1,5}-\d{1,7}-\d{1,7}-\d)(?![\w-])")


def _trim(value: str) -> str:
    value = value.rstrip(".,;:]'’*")
    # A closing parenthesis belongs to the DOI only when the DOI opened one.
    while value.endswith(")") and value.count("(") < value.count(")"):
        value = value[:-1].rstrip(".,;:]'’*")
    return value


def find_doi(text: str) -> str | None:
    """The first DOI in ``text``, as written (``doi:``/resolver prefix removed), or None.

    ``doi: 10.1016/j.cell.2009.01.002.`` gives ``10.1016/j.cell.2009.01.002``;
    a malformed one after a ``doi:`` label is still returned so F001 can flag it.
    """
    # (each pattern runs only when the text holds what it needs: "do" of a label in any case, "10.")
    m = _LABELLED_DOI_RE.search(text) if "do" in text.lower() else None
    bare = _BARE_DOI_RE.search(text) if "10." in text else None
    if m and (not bare or m.start() <= bare.start()):
        doi = _trim(m.group("doi"))
        if doi and (doi.startswith("10") or any(c.isdigit() for c in doi)):
            return doi
    if bare:
        return _trim(bare.group("doi"))
    return None


def is_valid_doi(doi: str) -> bool:
    """Whether ``doi`` has the DOI syntax: ``10.`` + 4–9 digit registrant + ``/`` + a suffix."""
    return bool(_VALID_DOI_RE.fullmatch(doi.strip()))


def find_isbn(text: str) -> str | None:
    """The first ISBN in ``text`` (an ``ISBN`` label, or a hyphenated 978/979 number), as written."""
    # (the label holds "bn" in any case; an unlabelled ISBN starts "978-" or "979-")
    m = (_ISBN_RE.search(text) if "bn" in text.lower() else None) or (
        _BARE_ISBN13_RE.search(text) if ("978-" in text or "979-" in text) else None
    )
    if not m:
        return None
    return re.sub(r"\s+", " ", m.group("isbn")).strip(" -")


def _digits(isbn: str) -> str:
    return re.sub(r"[\s\-‐–]", "", isbn).upper()


def is_valid_isbn(isbn: str) -> bool:
    """Whether ``isbn`` is an ISBN-10 or ISBN-13 with a correct check digit."""
    d = _digits(isbn)
    if len(d) == 10 and re.fullmatch(r"\d{9}[\dX]", d):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(d))
        return total % 11 == 0
    if len(d) == 13 and d.isdigit() and d.startswith(("978", "979")):
        total = sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(d))
        return total % 10 == 0
    return False
