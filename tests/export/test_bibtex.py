"""BibTeX: entry types, names, titles, escapes, months, pages, comments, archives; parsed back with bibtexparser."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import bibtexparser
import pytest
from bibtexparser.library import Library
from bibtexparser.model import Entry, ExplicitComment

from tests.export.conftest import ASOPA, HRW, IZVESTIA, JONSON, MULLER, ORLOV, ORLOV_SHORT_NAME
from verifier.export import to_bibtex
from verifier.export.bibtex import bib_name, escape, protect, render
from verifier.export.records import Bibliography, Record
from verifier.model import Archive, Fields, Kind, LinkResult, LinkStatus, Person, Report, Source


def parse(text: str) -> Library:
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    return library


def entry(text: str, key: str) -> Entry:
    return parse(text).entries_dict[key]


def value(text: str, key: str, field: str) -> str:
    found = entry(text, key).get(field)
    assert found is not None, f"{key} has no {field}"
    return str(found.value)


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("R&D", r"R\&D"),
        ("50% of #1", r"50\% of \#1"),
        ("snake_case costs $5", r"snake\_case costs \$5"),
        ("a {stray brace", "a stray brace"),
        ("back\\slash", r"back\textbackslash{}slash"),
    ],
)
def test_latex_specials_are_escaped(raw: str, escaped: str) -> None:
    assert escape(raw) == escaped


@pytest.mark.parametrize(
    ("title", "protected"),
    [
        pytest.param("The CIS and the Central Asian Response", "The {CIS} and the Central Asian Response", id="acronym"),
        pytest.param("McCain and the iPhone", "{McCain} and the {iPhone}", id="internal-capitals"),
        pytest.param("Terrorism in Central Asia: Part-I", "Terrorism in Central Asia: {Part-I}", id="hyphenated"),
        pytest.param(
            "The policy of Russia in Central Asia: A perspective from Tajikistan",
            "The policy of {Russia} in {Central} {Asia}: A perspective from {Tajikistan}",
            id="sentence-case-proper-nouns",
        ),
        pytest.param(
            "Why Did Nationalism Fail in Tajikistan", "Why Did Nationalism Fail in Tajikistan", id="title-case-alone"
        ),
        pytest.param("Q&A: The Fallout", r"{Q\&A}: The Fallout", id="escaped-before-protected"),
    ],
)
def test_capitals_a_style_must_keep_are_protected(title: str, protected: str) -> None:
    assert protect(escape(title)) == protected


@pytest.mark.parametrize(
    ("person", "name"),
    [
        (Person("Orlov", "Nikolai"), "Orlov, Nikolai"),
        (Person("Warikoo", "K."), "Warikoo, K."),
        (Person("Shams-ud-din"), "Shams-ud-din"),
        (Person(literal="Human Rights Watch"), "{Human Rights Watch}"),
        (Person(literal="Procter & Gamble"), r"{Procter \& Gamble}"),
        (Person(literal="et al."), "others"),
        (Person(given="Shams-ud-din"), "{Shams-ud-din}"),
    ],
)
def test_names(person: Person, name: str) -> None:
    assert bib_name(person) == name


def test_each_kind_gets_its_entry_type_and_fields(report_of: Callable[..., Report]) -> None:
    text = to_bibtex(report_of(ORLOV, HRW, MULLER, JONSON, ASOPA, IZVESTIA))
    library = parse(text)
    assert {e.key: e.entry_type for e in library.entries} == {
        "orlov1998grain": "article",
        "human2014human": "online",
        "muller2003baltic": "book",
        "jonson1997tajik": "techreport",
        "asopa2003regional": "incollection",
        "izvestia1992": "article",  # a printed newspaper item: no URL for @online
    }
    assert value(text, "orlov1998grain", "journal") == "Russian Economic History"
    assert value(text, "orlov1998grain", "number") == "2"
    assert value(text, "orlov1998grain", "pages") == "45--67"
    assert value(text, "human2014human", "author") == "{Human Rights Watch}"
    assert value(text, "human2014human", "url") == "https://www.hrw.org/news/2014/06/25/qa-human-fallout"
    assert value(text, "human2014human", "urldate") == "2021-03-03"
    assert value(text, "human2014human", "title").startswith(r"{Q\&A}: The Human Fallout")
    assert value(text, "muller2003baltic", "editor") == "Müller, Jürgen and O’Brien, Zoë"
    assert value(text, "muller2003baltic", "address") == "Berlin"
    assert value(text, "jonson1997tajik", "institution") == "RIIA"
    assert value(text, "asopa2003regional", "editor") == "Singh, Mahavir"
    assert value(text, "asopa2003regional", "booktitle") == "India and Tajikistan"
    assert value(text, "izvestia1992", "journal") == "Izvestia"


def test_months_are_unbraced_macros(report_of: Callable[..., Report]) -> None:
    text = to_bibtex(report_of(ORLOV, IZVESTIA))
    assert "  month = dec\n" in text and "  month = jul\n" in text
    assert "{dec}" not in text and "{jul}" not in text


def test_months_read_back_as_the_month_macro(report_of: Callable[..., Report]) -> None:
    text = to_bibtex(report_of(ORLOV, IZVESTIA))
    library = bibtexparser.parse_string(text)  # the default parse stack resolves no macro: the name stays
    assert library.entries_dict["orlov1998grain"]["month"] == "dec"
    assert library.entries_dict["izvestia1992"]["month"] == "jul"


def test_utf8_is_kept_and_ascii_writes_latex_escapes(report_of: Callable[..., Report]) -> None:
    report = report_of(MULLER, HRW)
    assert "Müller, Jürgen" in to_bibtex(report)
    ascii_text = to_bibtex(report, ascii_only=True)
    assert ascii_text.isascii()
    assert value(ascii_text, "muller2003baltic", "editor") == (
        r"M{\"u}ller, J{\"u}rgen and O{\textquoteright}Brien, Zo{\"e}"
    )


def test_the_conflicts_are_listed_in_a_comment_above_the_entry(report_of: Callable[..., Report]) -> None:
    text = to_bibtex(report_of(ORLOV, ORLOV_SHORT_NAME))
    blocks = parse(text).blocks
    comment = next(b for b in blocks if isinstance(b, ExplicitComment))
    after = blocks[blocks.index(comment) + 1]
    assert isinstance(after, Entry) and after.key == "orlov1998grain"
    assert "I002 conflicting-author" in comment.comment and "“N. Orlov”" in comment.comment
    assert value(text, "orlov1998grain", "author") == "Orlov, Nikolai"


def _with_link(report: Report, url: str, **result: object) -> Report:
    ids = tuple(c.id for c in report.citations if c.fields.url == url)
    return replace(report, links=(LinkResult(url, citations=ids, **result),))  # type: ignore[arg-type]


_HRW_URL = "https://www.hrw.org/news/2014/06/25/qa-human-fallout"
_SNAPSHOT = Archive("https://web.archive.org/web/20150305101010/" + _HRW_URL, "20150305101010")


def test_an_archived_copy_goes_into_the_note(report_of: Callable[..., Report]) -> None:
    report = _with_link(report_of(HRW, IZVESTIA), _HRW_URL, status=LinkStatus.ALIVE, http_status=200,
                        archive=_SNAPSHOT)
    text = to_bibtex(report)
    assert value(text, "human2014human", "note") == rf"Archived at \url{{{_SNAPSHOT.url}}} on 2015-03-05"
    assert value(text, "human2014human", "urldate") == "2021-03-03"
    assert "link-dead" not in text


def test_a_dead_url_is_flagged_in_a_comment(report_of: Callable[..., Report]) -> None:
    report = _with_link(report_of(HRW, IZVESTIA), _HRW_URL, status=LinkStatus.DEAD, http_status=404,
                        archive=_SNAPSHOT)
    text = to_bibtex(report)
    comment = next(b.comment for b in parse(text).blocks if isinstance(b, ExplicitComment))
    assert comment.strip().startswith("human2014human:")
    comment = " ".join(comment.split())  # the comment is wrapped
    assert "L001 link-dead" in comment and "was dead when checked (HTTP 404)" in comment
    assert f"Archived copy: {_SNAPSHOT.url} (2015-03-05)" in comment


def test_classic_bibtex_style_uses_misc_with_howpublished(report_of: Callable[..., Report]) -> None:
    text = to_bibtex(report_of(HRW, IZVESTIA), style="bibtex")
    hrw = entry(text, "human2014human")
    assert hrw.entry_type == "misc"
    assert hrw["howpublished"] == rf"\url{{{_HRW_URL}}}"
    assert hrw["note"] == "Accessed 2021-03-03"
    assert "url" not in hrw.fields_dict and "urldate" not in hrw.fields_dict


def test_unknown_style_is_refused(report_of: Callable[..., Report]) -> None:
    with pytest.raises(ValueError, match="unknown BibTeX style"):
        to_bibtex(report_of(ORLOV, IZVESTIA), style="apa")


@pytest.mark.parametrize(
    ("kind", "fields", "style", "expected"),
    [
        pytest.param(Kind.WEB, Fields(title="Home", container="Site"), "biblatex",
                     ("misc", {"title": "Home", "howpublished": "Site"}), id="web-page-without-url"),
        pytest.param(Kind.UNKNOWN, Fields(title="Thing", container="Place", url="http://x.org/a_b"), "bibtex",
                     ("misc", {"title": "Thing", "howpublished": r"\url{http://x.org/a_b}", "note": "Place"}),
                     id="misc-url-and-container-classic"),
        pytest.param(Kind.UNKNOWN, Fields(title="Thing", container="Place", url="http://x.org/a_b"), "biblatex",
                     ("misc", {"title": "Thing", "howpublished": "Place", "url": "http://x.org/a_b"}),
                     id="misc-url-and-container"),
        pytest.param(Kind.INTERVIEW, Fields(authors=(Person("Petrova", "Anna"),), container="Kommersant"),
                     "biblatex", ("unpublished", {"author": "Petrova, Anna", "note": "Interview, Kommersant"}),
                     id="interview"),
        pytest.param(Kind.BOOK, Fields(title="Sistemnaia istoriia", container="Library of Congress Series"),
                     "biblatex", ("book", {"title": "Sistemnaia istoriia", "series": "Library of Congress Series"}),
                     id="book-series"),
        pytest.param(Kind.CHAPTER, Fields(title="A Chapter", editors=(Person("Singh", "M."),)), "biblatex",
                     ("incollection", {"title": "A Chapter", "editor": "Singh, M."}), id="chapter-without-book"),
    ],
)
def test_entry_fields_per_kind(kind: Kind, fields: Fields, style: str, expected: tuple[str, dict[str, str]]) -> None:
    record = Record("k", Source("s1", ("c1",), fields, kind), kind, fields)
    (found,) = parse(render(Bibliography((record,)), style=style)).entries
    assert (found.entry_type, {f.key: f.value for f in found.fields}) == expected


def test_a_large_bibliography_is_written_without_copying_or_warning(caplog: pytest.LogCaptureFixture) -> None:
    fields = Fields(title="Ports", date="2000")
    bib = Bibliography(tuple(Record(f"k{i}", Source(f"s{i}", (f"c{i}",), fields, Kind.BOOK), Kind.BOOK, fields)
                             for i in range(3500)))  # 10,501 blocks: bibtexparser warns from 10,000 when it copies
    with caplog.at_level("WARNING"):
        text = render(bib)
    assert caplog.records == []
    assert text.count("@book{") == 3500
