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

from .fields import parse, prime
from .ibid import is_ibid
from .inline import find_inline
from .split import split_sources

__all__ = ["find_inline", "is_ibid", "parse", "prime", "split_sources"]
