"""I001–I006 and I008: one source written differently."""

from __future__ import annotations

import pytest

from verifier.model import Citation, Kind, Origin
from verifier.rules.consistency import name_as_written, numeral

from .factories import cite, findings, ibid, person

AKBARZADEH = {
    "authors": ("Shahram Akbarzadeh",),
    "container": "Europe-Asia Studies",
    "date": "1996",
    "volume": "8",
    "issue": "7",
}


def fail(note: str, **kw: object) -> Citation:
    fields = {**AKBARZADEH, "title": "Why Did Nationalism Fail in Tajikistan", **kw}
    return cite(note, raw=f"Shahram Akbarzadeh, {fields['title']}", **fields)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- I001


@pytest.fixture
def i001() -> list[Citation]:
    return [
        fail("1"),
        fail("10", title="Why did Nationalism Fail in Tajikistan"),
        fail("14", title="Why did Nationalism Fall in Tajikistan"),
    ]


def test_i001_conflicting_title(i001: list[Citation]) -> None:
    (finding,) = findings(*i001, code="I001")
    assert finding.message == (
        "Note 14 cites “Why did Nationalism Fall in Tajikistan” but note 1 cites the same source as "
        "“Why Did Nationalism Fail in Tajikistan”."
    )
    assert finding.location is not None and finding.location.line == 114
    assert finding.citations == (i001[0].id, i001[2].id)
    assert (
        finding.suggestion
        == "Use one title throughout, e.g. “Why Did Nationalism Fail in Tajikistan” (as in notes 1 and 10)."
    )


def test_i001_one_finding_per_differing_form_not_per_citation() -> None:
    cits = [
        fail("1"),
        fail("2", title="Why did Nationalism Fall in Tajikistan"),
        fail("3", title="Why did Nationalism Fall in Tajikistan"),
        fail("4"),
    ]
    (finding,) = findings(*cits, code="I001")
    assert finding.message.startswith("Notes 2 and 3 cite")


@pytest.mark.parametrize(
    "titles",
    [
        pytest.param(["Why Did Nationalism Fail in Tajikistan", "why did nationalism fail in tajikistan"], id="case"),
        pytest.param(
            ["Why Did Nationalism Fail in Tajikistan", '*"Why Did Nationalism Fail in Tajikistan",*'],
            id="stray-quotes-and-asterisks",
        ),
        pytest.param(["Tajikistan: Introductory Survey", "Tajikistan : Introductory Survey"], id="punctuation"),
    ],
)
def test_i001_silent_on_cosmetic_differences(titles: list[str]) -> None:
    assert not findings(*[fail(str(n), title=t) for n, t in enumerate(titles, 1)], code="I001")


def test_i001_ignores_other_documents_and_short_forms() -> None:
    cits = [
        fail("1"),
        fail("2", title="Why did Nationalism Fall in Tajikistan", doc="other.txt"),
        cite("3", Kind.SHORT, authors=("Akbarzadeh",), title="Why Did Nationalism Fail"),
        ibid("4"),
    ]
    assert not findings(*cits, code="I001")


# --------------------------------------------------------------------------- I002


@pytest.mark.parametrize(
    ("names", "raws", "count"),
    [
        pytest.param(
            ["Mohammad Monir Alam", "Mohd. Monir Alam"],
            ["Mohammad Monir Alam, “T”", "Mohd. Monir Alam, “T”"],
            1,
            id="abbreviated",
        ),
        pytest.param(
            ["Mohd. Monir Alam", "Mohd, Monir Alam"],
            ["Mohd. Monir Alam, “T”", "Mohd, Monir Alam, “T”"],
            1,
            id="stray-comma",
        ),
        pytest.param(["Alam, Mohd. Monir", "Mohd. Monir Alam"], ["", ""], 0, id="same-name-parsed-alike"),
        pytest.param(["K. Warikoo", "K. Warikoo"], ["K. Warikoo (ed.)", "K.  Warikoo (ed.)"], 0, id="spacing"),
        pytest.param(["Berg, Johan", "Johan Berg"], ["Berg, Johan. “T”", "Johan Berg, “T”"], 0,
                     id="bibliography-inversion"),
        pytest.param(
            ["K. Warikoo", "Kulbhushan Warikoo"],
            ["K. Warikoo, “T”", "Kulbhushan Warikoo, “T”"],
            1,
            id="initial-vs-full-name",
        ),
    ],
)
def test_i002_conflicting_author(names: list[str], raws: list[str], count: int) -> None:
    cits = [
        cite(str(n), raw=raw, authors=(name,), title="Soviet Intervention in Afghanistan", container="CAC", date="1999")
        for n, (name, raw) in enumerate(zip(names, raws, strict=True), 1)
    ]
    found = findings(*cits, code="I002")
    assert len(found) == count
    if count:
        assert f"names the author “{raws[1].split(', “')[0]}”" in found[0].message
        assert found[0].message.endswith(f"“{raws[0].split(', “')[0]}”.")


@pytest.mark.parametrize(
    ("name", "raw", "written"),
    [
        pytest.param("Mohd, Monir Alam", "Mohd, Monir Alam, “Soviet…”", "Mohd, Monir Alam", id="inverted"),
        pytest.param("Mohd. Monir Alam", "Mohd. Monir Alam, “Soviet…”", "Mohd. Monir Alam", id="natural"),
        pytest.param("R.R. Sharma", "R.R. Sharma, “The CIS…”", "R.R. Sharma", id="initials"),
        pytest.param("J. Doe", "Someone else", None, id="absent"),
    ],
)
def test_name_as_written(name: str, raw: str, written: str | None) -> None:
    assert name_as_written(person(name), raw) == written


# ----------------------------------------------------------------------- I003–I005


def test_i003_conflicting_container() -> None:
    a = cite("43", title="Tajikistan : Introductory Survey", container="The Europe World Year Book", date="2003")
    b = cite("50", title="Tajikistan : Introductory Survey", container="The Europa World Year Book", date="2003")
    (finding,) = findings(a, b, code="I003")
    assert "“The Europa World Year Book”" in finding.message and "“The Europe World Year Book”" in finding.message


def test_i003_leading_article_is_not_a_conflict() -> None:
    a = cite("1", title="Tajikistan : Introductory Survey", container="The Europa World Year Book", date="2003")
    b = cite("2", title="Tajikistan : Introductory Survey", container="Europa World Year Book", date="2003")
    assert not findings(a, b, code="I003")


@pytest.mark.parametrize(
    ("dates", "count"),
    [
        pytest.param(["1995-12", "1996"], 1, id="december-1995-vs-1996"),
        pytest.param(["1995", "1996"], 1, id="different-years"),
        pytest.param(["1995-11", "1995-12"], 1, id="different-months"),
        pytest.param(["1995-12", "1995"], 0, id="less-precise-is-fine"),
        pytest.param(["1995-12", "1995-12-01"], 0, id="more-precise-is-fine"),
        pytest.param(["1995-12", "1996", "1996"], 1, id="one-per-form"),
    ],
)
def test_i004_conflicting_date(dates: list[str], count: int) -> None:
    cits = [
        cite(
            str(n),
            authors=("Nirmala Joshi",),
            title="Russia and Central Asia : The Strategic Dimensions",
            container="Strategic Analysis",
            date=d,
        )
        for n, d in enumerate(dates, 1)
    ]
    found = findings(*cits, code="I004")
    assert len(found) == count
    if dates[:2] == ["1995-12", "1996"]:
        assert "“Russia and Central Asia : The Strategic Dimensions” 1996 but note 1 dates it December 1995" in (
            found[0].message
        )


@pytest.mark.parametrize(
    ("a", "b", "count"),
    [
        pytest.param({"volume": "8"}, {"volume": "48"}, 1, id="volume"),
        pytest.param({"issue": "7"}, {"issue": "8"}, 1, id="issue"),
        pytest.param({"volume": "8", "issue": "7"}, {"volume": "9", "issue": "6"}, 2, id="both"),
        pytest.param({"volume": "IV"}, {"volume": "vol. 4"}, 0, id="roman-numeral"),
        pytest.param({"volume": "8"}, {}, 0, id="missing-is-not-a-conflict"),
    ],
)
def test_i005_conflicting_locator(a: dict[str, str], b: dict[str, str], count: int) -> None:
    base = {"authors": ("Shahram Akbarzadeh",), "title": "Why Did Nationalism Fail", "container": "EAS", "date": "1996"}
    assert len(findings(cite("1", **{**base, **a}), cite("2", **{**base, **b}), code="I005")) == count  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "value"), [("IV", "4"), ("vol. XIV", "14"), ("No.3", "3"), ("(21-93)", "21 93")])
def test_numeral(text: str, value: str) -> None:
    assert numeral(text) == value


# --------------------------------------------------------------------------- I006


@pytest.mark.parametrize(
    ("citations", "count"),
    [
        pytest.param(
            [
                cite("1", title="Alpha One", authors=("A. Author",)),
                cite("1", title="Beta Two", authors=("B. Writer",), index=1),
                ibid("2"),
            ],
            1,
            id="ibid-after-two-sources",
        ),
        pytest.param([cite("1", title="Alpha One", authors=("A. Author",)), ibid("2")], 0, id="ibid-after-one"),
        pytest.param(
            [
                cite("1", title="Alpha One", authors=("A. Author",)),
                cite("1", title="Beta Two", authors=("B. Writer",), index=1),
                ibid("1", index=2),
            ],
            0,
            id="ibid-within-the-note",
        ),
        pytest.param(
            [
                cite("1", title="Alpha One", authors=("A. Author",)),
                cite("1", title="Alpha One", authors=("A. Author",), index=1),
                ibid("2"),
            ],
            0,
            id="previous-note-cites-one-source-twice",
        ),
    ],
)
def test_i006_ambiguous_ibid(citations: list[Citation], count: int) -> None:
    found = findings(*citations, code="I006")
    assert len(found) == count
    if count:
        assert "after note 1, which cites 2 sources (“Alpha One”, “Beta Two”)" in found[0].message


# --------------------------------------------------------------------------- I008


def test_i008_one_url_for_two_sources() -> None:
    a = cite("1", Kind.NEWS, title="Tajikistan cedes land to China", url="http://news.tj/en/")
    b = cite("2", Kind.NEWS, title="Vorukh vyshel iz blokady", url="https://news.tj/en")
    (finding,) = findings(a, b, code="I008")
    assert finding.url == "https://news.tj/en" and finding.location is not None and finding.location.line == 102


def test_i008_one_source_with_two_urls() -> None:
    base = {"authors": ("Anna Analbaeva",), "title": "Pora vmeshat’sia", "container": "Vzgliad", "date": "2012-07-31"}
    a = cite("1", Kind.NEWS, url="http://vz.ru/politics/2012/7/31/591040.html", **base)  # type: ignore[arg-type]
    b = cite("2", Kind.NEWS, url="http://vz.ru/politics/2012/7/31/591041.html", **base)  # type: ignore[arg-type]
    c = cite("3", Kind.NEWS, url="https://web.archive.org/web/2015/http://vz.ru/politics/2012/7/31/591040.html", **base)  # type: ignore[arg-type]
    (finding,) = findings(a, b, c, code="I008")
    assert "591041" in finding.message and finding.location is not None and finding.location.line == 102


def test_i008_bare_url_in_body_is_the_same_source() -> None:
    a = cite("1", Kind.WEB, title="Page", url="http://example.org/a")
    b = cite(None, Kind.WEB, url="http://example.org/a", origin=Origin.URL, line=5)
    assert not findings(a, b, code="I008")


def test_i001_and_i003_ignore_fields_parsed_without_confidence() -> None:
    """A title or container the labeller was unsure of is no evidence of an inconsistency."""
    from dataclasses import replace

    a = cite("43", title="Tajikistan : Introductory Survey", container="The Europe World Year Book", date="2003")
    b = cite("50", title="Tajikistan : Introductory Survey", container="The Europa World Year Book", date="2003")
    assert findings(a, b, code="I003")
    shaky = replace(b, fields=replace(b.fields, confidence=(("container", 0.55), ("title", 0.99))))
    assert not findings(a, shaky, code="I003")
    sure = replace(b, fields=replace(b.fields, confidence=(("container", 0.97),)))
    assert findings(a, sure, code="I003")
