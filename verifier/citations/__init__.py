"""Note text → citations: splitting a note into sources, parsing each into fields.

The API others code against:

- ``split_sources(text)`` — the segments of a note that cite separate sources;
- ``parse(text)`` — one segment's ``(kind, fields, parsed)``;
- ``prime(texts)`` — label many segments in batches ahead of ``parse`` (faster);
- ``is_ibid(text)`` — whether a note is "Ibid." (``parse`` gives it ``Kind.IBID``);
- ``find_inline(text)`` — parenthetical attributions in body text.

Helpers used directly: ``dates.to_iso``/``dates.month_style``,
``identifiers.find_doi``/``is_valid_doi``/``find_isbn``/``is_valid_isbn``,
``names.parse_names``/``names.has_editor_marker``; ``urls`` finds and repairs URLs.

Inside: ``split`` (segments), ``fields`` (``parse``: identifiers, the learned
labeller with its fallback on the rules, commentary check), ``tokens``
(tokens and features), ``labeller`` (the BiLSTM-CRF in numpy), ``assemble``
(labelled runs → fields), ``titles`` (title and author block), ``locators``
(container, volume, pages, date, publisher, place), ``kinds`` (the kind),
``names``, ``dates``, ``ibid``, ``inline``, ``text`` (shared helpers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .ibid import is_ibid
from .inline import find_inline
from .split import split_sources

if TYPE_CHECKING:
    from .fields import parse, prime

__all__ = ["find_inline", "is_ibid", "parse", "prime", "split_sources"]


def __getattr__(name: str) -> Any:
    """``parse`` and ``prime``, imported on first use: the field parser's modules compile about 200 regular
    expressions and read the lexicons (about 45 ms), which a run whose citations are all bare URLs never
    needs."""
    if name in ("parse", "prime"):
        from . import fields

        value = getattr(fields, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
