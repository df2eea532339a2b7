"""Citation keys: ``familyYEARword``, readable and stable.

``akbarzadeh1996nationalism``: the first author's family name, the year, the
first significant word of the title, all lower-case ASCII. A corporate author
gives its first significant word (``human2014fallout`` for Human Rights
Watch); without authors the editors stand in, then the title itself (its first
significant words), then the container, then the web site's name.

Keys that collide are told apart with ``a``, ``b``, … in an order decided by
each colliding source's own content (date, title, container, …), never by
document order, so adding an unrelated source to a document never changes a
key.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from string import ascii_lowercase
from urllib.parse import urlsplit

from verifier.model import Fields, Person
from verifier.sources import norm

__all__ = ["ascii_word", "base_key", "assign_keys", "STOP_WORDS"]

STOP_WORDS = frozenset(
    """
    a an the and or but nor of in on at to for from by with into onto upon over under about above after
    against among around as before behind below beneath beside besides between beyond during except
    inside near off out outside since through throughout till toward towards until via within without
    is are was were be been being am do does did done has have had having will would shall should can
    could may might must not no yes
    why how what when where which who whom whose whether that this these those there here
    it its it's their they them his her our your my we you i he she
    some any all each every other another such than then so too very also only just
    part chapter volume vol introduction preface
    de del della der die das den des du la le les el los las un une une et und y e o i
    """.split()
)
"""Words a key never takes from a title or a corporate name (English, with common articles of other languages)."""

_FOLD = str.maketrans(
    {
        "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l",
        "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i",
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
        "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
        "ь": "", "э": "e", "ю": "iu", "я": "ia", "і": "i", "ї": "i", "є": "e", "ґ": "g", "ў": "u", "қ": "q",
        "ғ": "gh", "ҳ": "h", "ӯ": "u", "ӣ": "i", "ҷ": "j",
    }
)
"""Letters that NFKD does not take to ASCII: ligatures, stroked letters, Cyrillic (as in the seeds' transliteration)."""


def ascii_word(text: str) -> str:
    """``text`` as lower-case ASCII letters and digits: ``Ørsted`` → ``orsted``, ``Shams-ud-din`` → ``shamsuddin``."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


def _significant(text: str | None, limit: int = 1) -> str:
    """The first ``limit`` significant words of ``text``, as one ASCII word."""
    words = []
    for word in norm(text).split():
        if word in STOP_WORDS or len(word) < 2:
            continue
        folded = ascii_word(word)
        if folded:
            words.append(folded)
        if len(words) == limit:
            break
    return "".join(words)


def _name_part(person: Person) -> str:
    if person.family:
        return ascii_word(person.family)
    return _significant(person.literal)


def _first_name_part(people: Sequence[Person]) -> str:
    for person in people:
        if person.literal and norm(person.literal) in ("et al", "others", "and others"):
            continue
        part = _name_part(person)
        if part:
            return part
    return ""


def _site(url: str | None) -> str:
    """The name of a web site from its URL: ``http://www.srjis.com`` → ``srjis``."""
    if not url:
        return ""
    try:
        host = urlsplit(url if "://" in url else f"http://{url}").hostname or ""
    except ValueError:
        return ""
    labels = [part for part in host.split(".") if part]
    if len(labels) >= 2:
        labels.pop()  # the top-level domain says nothing
    if len(labels) >= 2 and labels[-1] in ("co", "com", "org", "net", "ac", "gov", "edu"):
        labels.pop()  # nor does a second-level one (bbc.co.uk)
    return ascii_word(labels[-1]) if labels else ""


def base_key(fields: Fields, unparsed: str | None = None) -> str:
    """The key before disambiguation (see the module docstring)."""
    year = (fields.date or "")[:4]
    year = year if year.isdigit() else ""
    title_word = _significant(fields.title)
    who = _first_name_part(fields.authors) or _first_name_part(fields.editors)
    if who:
        return f"{who}{year}{title_word}"
    if fields.title:
        words = _significant(fields.title, 2)
        first = _significant(fields.title)
        return f"{first}{year}{words[len(first):]}" or f"anon{year}"
    lead = _significant(fields.container) or _site(fields.url) or _significant(unparsed)
    return f"{lead or 'anon'}{year}"


def _fingerprint(fields: Fields, unparsed: str) -> tuple[str, ...]:
    """What orders colliding sources: their own content only."""
    people = " ".join(norm(p.display()) for p in fields.authors + fields.editors)
    return (
        fields.date or "",
        norm(fields.title),
        norm(fields.container),
        people,
        fields.volume or "",
        fields.issue or "",
        fields.pages or "",
        norm(fields.publisher),
        (fields.url or "").lower(),
        (fields.doi or "").lower(),
        norm(unparsed),
    )


def _suffixes() -> list[str]:
    letters = list(ascii_lowercase)
    return letters + [a + b for a in letters for b in letters]


def assign_keys(items: Sequence[tuple[str, Fields, str]]) -> list[str]:
    """The final keys of ``(base key, fields, unparsed text)`` items, in the same order.

    Within a group of equal base keys the items are sorted by their own content;
    the first keeps the base key, the others get ``a``, ``b``, … (as Better BibTeX does).
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for i, (base, _, _) in enumerate(items):
        groups[base].append(i)
    keys = [""] * len(items)
    taken = set(groups)
    for base in sorted(groups):
        members = sorted(groups[base], key=lambda i: (_fingerprint(items[i][1], items[i][2]), i))
        keys[members[0]] = base
        suffixes = iter(_suffixes())
        for i in members[1:]:
            key = base + next(suffixes)
            while key in taken:  # "smith2000a" may itself be another source's base key
                key = base + next(suffixes)
            taken.add(key)
            keys[i] = key
    return keys
