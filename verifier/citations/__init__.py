"""Note text → citations: splitting a note into sources, parsing each into fields.

The API others code against:

- ``split_sources(text)`` — the segments of a note that cite separate sources;
- ``parse(text)`` — one segment's ``(kind, fields, parsed)``;
- ``is_ibid(text)`` — whether a note is "Ibid." (``parse`` gives it ``Kind.IBID``);
- ``find_inline(text)`` — parenthetical attributions in body text.

Helpers used directly: ``dates.to_iso``/``dates.month_style``,
``identifiers.find_doi``/``is_valid_doi``/``find_isbn``/``is_valid_isbn``,
``names.parse_names``/``names.has_editor_marker``; ``urls`` finds and repairs URLs.

Inside: ``split`` (segments), ``fields`` (``parse``: identifiers, assembly,
commentary check), ``titles`` (title and author block), ``locators``
(container, volume, pages, date, publisher, place), ``kinds`` (the kind),
``names``, ``dates``, ``ibid``, ``inline``, ``text`` (shared helpers).
"""

from .fields import parse
from .ibid import is_ibid
from .inline import find_inline
from .split import split_sources

__all__ = ["find_inline", "is_ibid", "parse", "split_sources"]
