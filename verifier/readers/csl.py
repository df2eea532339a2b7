"""CSL-JSON and CSL-YAML bibliographies (``.json``, ``.yaml``, ``.yml``), as a Markdown document names them.

No such file is checked on its own (no extension maps here): the pipeline reads one when a document names
it (``bibliography: refs.json``) and its items answer that document's keys; each is cited at its own file
and line.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath
from typing import Any

from verifier.errors import InputError
from verifier.model import Document, Entry, Fields, Kind, Location, Person
from verifier.readers.decoding import decode

_CSL_KINDS = {
    "article-journal": Kind.ARTICLE, "article-magazine": Kind.ARTICLE, "article": Kind.ARTICLE,
    "paper-conference": Kind.CHAPTER, "chapter": Kind.CHAPTER, "entry-encyclopedia": Kind.CHAPTER,
    "entry-dictionary": Kind.CHAPTER, "book": Kind.BOOK, "report": Kind.REPORT, "thesis": Kind.REPORT,
    "webpage": Kind.WEB, "post-weblog": Kind.WEB, "post": Kind.WEB, "article-newspaper": Kind.NEWS,
    "broadcast": Kind.NEWS, "interview": Kind.INTERVIEW, "legislation": Kind.DOCUMENT,
    "legal_case": Kind.DOCUMENT, "treaty": Kind.DOCUMENT, "manuscript": Kind.DOCUMENT, "document": Kind.DOCUMENT,
}


def read(data: bytes, path: str) -> Document:
    """The items of a CSL-JSON or CSL-YAML file as entries (``InputError`` when it does not parse)."""
    import yaml  # type: ignore[import-untyped]  # loaded only when a CSL file is read (15 ms at start-up)

    text = decode(data, path)
    suffix = PurePath(path).suffix.lower()
    try:
        items = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise InputError(path, f"it cannot be parsed as CSL {suffix.lstrip('.').upper() or 'data'} "
                               f"({str(exc).splitlines()[0]})") from exc
    except RecursionError:
        raise InputError(path, f"its CSL {suffix.lstrip('.').upper() or 'data'} is nested too deeply to read") from None
    if isinstance(items, dict):
        items = items.get("references", [])
    lines = re.split(r"\r\n|\r|\n", text)
    entries = [
        csl_entry(item, Location(item_line(lines, str(item["id"]))))
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, dict) and item.get("id")
    ]
    return Document(path=path, format="csl", entries=tuple(entries))


def item_line(lines: list[str], key: str, first: int = 1, last: int | None = None) -> int:
    """The line of the item whose ``id`` is ``key`` (``first`` when it is not found)."""
    pattern = re.compile(r"(?<![\w-])[\"']?id[\"']?\s*:\s*[\"']?" + re.escape(key) + r"(?![\w:.#$%&+?<>~/-])")
    for n in range(first, min(last or len(lines), len(lines)) + 1):
        if pattern.search(lines[n - 1]):
            return n
    return first


def _csl_people(value: Any) -> tuple[Person, ...]:
    people: list[Person] = []
    for p in value[:500] if isinstance(value, list) else []:
        if not isinstance(p, dict):
            continue
        part = {k: str(v) for k, v in p.items() if isinstance(v, (str, int)) and str(v).strip()}
        if part.get("literal"):
            people.append(Person(literal=part["literal"]))
        elif part.get("family") or part.get("given"):
            family = " ".join(part[k] for k in ("non-dropping-particle", "family") if part.get(k)) or None
            people.append(Person(family=family, given=part.get("given")))
    return tuple(people)


def _csl_date(value: Any) -> str | None:
    if not isinstance(value, dict):
        return str(value) if isinstance(value, (str, int)) and str(value)[:4].isdigit() else None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        nums = [int(p) for p in parts[0][:3] if str(p).lstrip("-").isdigit()]
        if nums:
            return "-".join([f"{nums[0]:04d}"] + [f"{n:02d}" for n in nums[1:]])
    raw = value.get("raw") or value.get("literal")
    return str(raw) if raw and str(raw)[:4].isdigit() else None


def csl_entry(item: dict[str, Any], location: Location) -> Entry:
    def text(name: str) -> str | None:
        value = item.get(name)  # scalars only: a YAML alias can make a nested value exponentially large
        return (str(value).strip() or None) if isinstance(value, (str, int, float)) else None

    fields = Fields(
        authors=_csl_people(item.get("author")),
        editors=_csl_people(item.get("editor")),
        title=text("title"),
        container=text("container-title"),
        volume=text("volume"),
        issue=text("issue"),
        date=_csl_date(item.get("issued")),
        pages=(text("page") or "").replace("--", "-").replace("–", "-") or None,
        publisher=text("publisher"),
        place=text("publisher-place"),
        url=text("URL"),
        doi=text("DOI"),
        isbn=text("ISBN"),
        accessed=_csl_date(item.get("accessed")),
    )
    kind = _CSL_KINDS.get(str(item.get("type", "")), Kind.UNKNOWN)
    raw = json.dumps({k: v for k, v in item.items() if isinstance(v, (str, int, float))}, ensure_ascii=False)
    return Entry(str(item["id"]), raw, location, fields, kind)

