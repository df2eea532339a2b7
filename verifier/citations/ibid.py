""""Ibid." and its relatives: a note that repeats the source of the note before it."""

from __future__ import annotations

import re

# "Ibid.", "Ibid.*", "Ibid*, p. 213-14", "Ibid, p. 35", "ibid., 45", "Ibidem", "Id.", "Idem", Spanish "Ibíd.",
# German "Ebd., S. 90" / "Ebenda", Italian "Ivi, p. 12",
# optionally after "See" and followed by nothing but a locator: pages, after a volume ("Ibid., vol. 2, p. 45",
# "Ivi, II, pp. 33-34": a capital Roman numeral before a page is a volume, "Ibid., xii." is a page).
_IBID_RE = re.compile(
    r"""^\s*(?:see\s+)?(?:ibid(?:em)?|ib[ií]d(?:em)?|id(?:em)?|ebd|ebenda|ivi)\b\.?\**\s*
        (?:[,;:]?\s*(?:(?:(?:vols?|t|tomo|tome|bd|band)\.?\s*(?P<volume>[0-9IVXLCivxlc]+)|(?P<roman>(?-i:[IVXLC]+)))
            \s*[,:]\s*(?=(?:(?:pp?|pages?|S)\.?\s*)?\d))?
        (?:(?:at\s+)?(?:(?:pp?|pages?|S)\.?\s*)?(?P<pages>[0-9ivxlcIVXLC]+[a-z]?(?:\s*[-–—]\s*[0-9ivxlc]+)?(?:\s*,\s*\d+(?:\s*[-–—]\s*\d+)?)*)\s*)?)?
        [.;*\s]*$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_ibid(text: str) -> bool:
    """Whether ``text`` is an "Ibid." note: ``Ibid.``, ``Ibid*, p. 213-14``, ``ibid., 45``, ``Ibidem``, ``Id.``."""
    return _IBID_RE.match(text) is not None


def ibid_pages(text: str) -> str | None:
    """The page locator of an "Ibid." note (``Ibid, p. 35`` gives ``35``), or None."""
    m = _IBID_RE.match(text)
    if not m or not m.group("pages"):
        return None
    return re.sub(r"\s+", "", m.group("pages")).replace(",", ", ")


def ibid_volume(text: str) -> str | None:
    """The volume of an "Ibid." note's locator (``Ibid., vol. 2, p. 45``, ``Ivi, II, 33``), or None."""
    m = _IBID_RE.match(text)
    return (m.group("volume") or m.group("roman")) if m else None
