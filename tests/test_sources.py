"""sources.resolve: Ibid., short forms, and grouping full citations into sources."""

from __future__ import annotations

import dataclasses
import re
import unicodedata

import pytest

from verifier.model import Citation, Fields, Kind, Location, Origin, Person
from verifier.sources import (
    authors_compatible,
    clean,
    local,
    locals_of,
    merge_fields,
    norm,
    persons_compatible,
    resolve,
    title_similarity,
)


def P(name: str) -> Person:
    """``"Given Family"``, ``"Family, Given"`` or ``"=Literal"``."""
    if name.startswith("="):
        return Person(literal=name[1:])
    if "," in name:
        family, given = (s.strip() for s in name.split(",", 1))
        return Person(family=family, given=given)
    *given, family = name.split()
    return Person(family=family, given=" ".join(given) or None)


def C(
    note: str,
    kind: Kind = Kind.ARTICLE,
    *,
    authors: tuple[str, ...] = (),
    doc: str = "d.txt",
    index: int = 0,
    raw: str = "",
    origin: Origin = Origin.NOTE,
    parsed: bool = True,
    **fields: str,
) -> Citation:
    return Citation(
        f"{doc}:{note}:{index}",
        doc,
        note,
        Location(int(note) if note.isdigit() else 1),
        raw or note,
        kind,
        Fields(authors=tuple(P(a) for a in authors), **fields),
        origin=origin,
        index=index,
        parsed=parsed,
    )


def ibid(note: str, **kw: object) -> Citation:
    return C(note, Kind.IBID, raw="Ibid.", **kw)  # type: ignore[arg-type]


def sources_of(*citations: Citation) -> list[str | None]:
    resolved, _ = resolve(citations)
    return [c.source for c in resolved]


AKBARZADEH = {
    "authors": ("Shahram Akbarzadeh",),
    "container": "Europe-Asia Studies",
    "date": "1996",
    "volume": "8",
    "issue": "7",
}


# --------------------------------------------------------------------------- helpers


def _norm_reference(text: str) -> str:
    """``norm`` as first written, on whole strings: NFKD, combining marks dropped, casefold, ``&``, apostrophes,
    non-word characters."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = re.sub(r"[’'`´ʼ‘]", "", plain.casefold().replace("&", " and "))
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


@pytest.mark.parametrize(
    "text",
    [
        "Rytövuori & Co_Ltd's `x`",
        "İSTANBUL ıı ß Straße ΣΑΣ ς",
        "ﬁnance ½ ² ℃ № ™ … ǅ Ǆ",
        "a\u0301\u0327b\u0591\u05b0c e\u0308\u0301",  # combining marks of several classes, reordered by NFKD
        "한국어 \u1100\u1161 ﾊﾟ",
        "“Tajikistan’s” — «Crisis» ‘ʼ´",
        "",
    ],
)
def test_norm_character_by_character_equals_the_whole_string_definition(text: str) -> None:
    assert norm(text) == _norm_reference(text)
    assert norm("x " + text + " y") == _norm_reference("x " + text + " y")


def test_norm_drops_case_punctuation_quotes_diacritics_and_reads_ampersand() -> None:
    assert norm("“Tajikistan’s Crisis”, *Rytövuori* & Co.") == "tajikistans crisis rytovuori and co"
    assert clean('Central Asian Republics" *Quest for Security since Independence",') == (
        "Central Asian Republics Quest for Security since Independence"
    )


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        pytest.param("Mohammad Monir Alam", "Mohd. Monir Alam", True, id="abbreviated-given-name"),
        pytest.param("Mohammad Monir Alam", "Mohd, Monir Alam", True, id="stray-comma-parsed-as-inverted"),
        pytest.param("K. Warikoo", "Kulbhushan Warikoo", True, id="initial-vs-full"),
        pytest.param("Warikoo", "K. Warikoo", True, id="family-only"),
        pytest.param("John Smith", "Adam Smith", False, id="same-family-different-given"),
        pytest.param("J. Smith", "A. Smith", False, id="different-initials"),
        pytest.param("Bernett R. Rubin", "Barnett R. Rubin", True, id="misspelt-given-name"),
        pytest.param(
            "=Ministry of Foreign Affairs of the Russian Federation",
            "=Ministry of Foreign Affairs of the Russian Federation",
            True,
            id="institution",
        ),
        pytest.param(
            "=Ministry of Foreign Affairs of the Russian Federation",
            "=Embassy of the Russian Federation in the Republic of Tajikistan",
            False,
            id="different-institutions",
        ),
    ],
)
def test_persons_compatible(a: str, b: str, same: bool) -> None:
    assert persons_compatible(P(a), P(b)) is same
    assert persons_compatible(P(b), P(a)) is same


def test_authors_compatible_is_none_when_a_side_has_no_authors() -> None:
    assert authors_compatible([], [P("John Smith")]) is None
    assert authors_compatible([P("J. Smith"), P("=et al.")], [P("John Smith")]) is True


@pytest.mark.parametrize(
    ("a", "b", "low"),
    [
        pytest.param(
            "why did nationalism fail in tajikistan", "why did nationalism fall in tajikistan", 90, id="one-letter"
        ),
        pytest.param(
            "central asian republics",
            "central asian republics quest for security since independence",
            95,
            id="truncated-title-prefix",
        ),
    ],
)
def test_title_similarity_high(a: str, b: str, low: float) -> None:
    assert title_similarity(a, b) >= low


def test_title_similarity_low_when_numbers_differ() -> None:
    assert title_similarity("tajikistan in 1990s", "tajikistan in 2000s") <= 70


# ------------------------------------------------------------------------------ Ibid.


@pytest.mark.parametrize(
    ("citations", "expected"),
    [
        pytest.param([C("1", title="Alpha One", authors=("A. Author",)), ibid("2")], ["s1", "s1"], id="ibid"),
        pytest.param(
            [C("1", title="Alpha One", authors=("A. Author",)), ibid("2"), ibid("3")], ["s1"] * 3, id="ibid-chain"
        ),
        pytest.param(
            [
                C("1", title="Alpha One", authors=("A. Author",)),
                C("1", title="Beta Two", authors=("B. Writer",), index=1),
                ibid("2"),
            ],
            ["s1", "s2", "s2"],
            id="ibid-after-two-sources-takes-the-last",
        ),
        pytest.param(
            [
                C("1", title="Alpha One", authors=("A. Author",)),
                C("2", title="Beta Two", authors=("B. Writer",)),
                ibid("2", index=1),
            ],
            ["s1", "s2", "s2"],
            id="ibid-within-a-note",
        ),
        pytest.param([ibid("1"), C("2", title="Alpha One", authors=("A. Author",))], [None, "s1"], id="dangling-ibid"),
    ],
)
def test_ibid(citations: list[Citation], expected: list[str | None]) -> None:
    assert sources_of(*citations) == expected


def test_ibid_skips_bare_urls_and_does_not_cross_documents() -> None:
    cits = [
        C("1", title="Alpha One", authors=("A. Author",)),
        C("x", Kind.WEB, origin=Origin.URL, url="http://example.org/x"),
        ibid("2"),
        ibid("1", doc="other.txt"),
    ]
    assert sources_of(*cits) == ["s1", "s2", "s1", None]


def test_entries_and_notes_are_separate_ibid_streams() -> None:
    cits = [
        C("1", title="Alpha One", authors=("A. Author",)),
        C("k1", title="Beta Two", authors=("B. Writer",), origin=Origin.ENTRY),
        ibid("2"),
    ]
    assert sources_of(*cits)[2] == "s1"


# ------------------------------------------------------------------------- short forms

HEATHERSHAW = C(
    "2",
    authors=("John Heathershaw", "Edmund Herzig"),
    title="Introduction: The Sources of Statehood in Tajikistan",
    container="Central Asian Survey",
    volume="30",
    issue="1",
    date="2011-04",
    pages="5–19",
)
MFA = C(
    "8",
    Kind.INTERVIEW,
    authors=("=Ministry of Foreign Affairs of the Russian Federation",),
    title="Interv’iu stats-sekretaria – zamestitelia Ministra inostrannykh del Rossii G.B. Karasina gazete "
    "‘Kommersant’, 10 Sentiabria 2013 goda",
    date="2013-09-10",
)


@pytest.mark.parametrize(
    ("short", "full"),
    [
        pytest.param(
            C("13", Kind.SHORT, authors=("Heathershaw", "Herzig"), title="The Sources of Statehood", pages="11"),
            HEATHERSHAW,
            id="authors-and-short-title",
        ),
        pytest.param(
            C(
                "47",
                Kind.SHORT,
                authors=("=Ministry of Foreign Affairs of the Russian Federation",),
                title="Interv’iu stats-sekretaria – zamestitelia Ministra inostrannykh del Rossii.",
            ),
            MFA,
            id="institution-and-title-prefix",
        ),
        pytest.param(
            C("13", Kind.SHORT, authors=("Heathershaw", "Herzig"), pages="11"), HEATHERSHAW, id="authors-only"
        ),
        pytest.param(C("13", Kind.SHORT, title="Sources of Statehood in Tajikistan"), HEATHERSHAW, id="title-only"),
    ],
)
def test_short_form_takes_the_source_of_its_full_citation(short: Citation, full: Citation) -> None:
    other = C("5", authors=("Steven Parham",), title="Rightful versus Real Homelands", container="X", date="2010")
    assert sources_of(full, other, short) == ["s1", "s2", "s1"]


def test_short_form_before_its_full_citation_takes_the_later_one() -> None:
    short = C("1", Kind.SHORT, authors=("Heathershaw", "Herzig"), title="The Sources of Statehood")
    assert sources_of(short, HEATHERSHAW) == ["s1", "s1"]


def test_short_form_prefers_the_nearest_earlier_match() -> None:
    first = C("1", authors=("A. Author",), title="Sources of Power", container="J", date="2000")
    second = C("2", authors=("A. Author",), title="Sources of Power in Asia", container="K", date="2004")
    short = C("3", Kind.SHORT, authors=("Author",), title="Sources of Power")
    assert sources_of(first, second, short) == ["s1", "s2", "s2"]


def test_unmatched_short_forms_share_a_source_of_their_own() -> None:
    a = C("1", Kind.SHORT, authors=("Nobody",), title="Lost Work")
    b = C("2", Kind.SHORT, authors=("Nobody",), title="Lost Work", pages="4")
    c = C("3", Kind.SHORT, authors=("Other",), title="Other Work")
    resolved, sources = resolve([a, b, c])
    assert [x.source for x in resolved] == ["s1", "s1", "s2"]
    assert sources[0].kind is Kind.SHORT


# ---------------------------------------------------------------------------- grouping


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param(
            C("1", title="Why Did Nationalism Fail in Tajikistan", pages="1122", **AKBARZADEH),
            C("14", title="Why did Nationalism Fall in Tajikistan", pages="1123", **AKBARZADEH),
            id="misspelt-title-other-page",
        ),
        pytest.param(
            C("1", title="Why Did Nationalism Fail in Tajikistan", **AKBARZADEH),
            C(
                "10",
                title='Why did Nationalism Fail in Tajikistan"',
                **{**AKBARZADEH, "container": 'Europe-Asia Studies"'},
            ),
            id="stray-quotes",
        ),
        pytest.param(
            C(
                "19",
                authors=("Mohammad Monir Alam",),
                title="Central Asian Republics Quest for Security since Independence",
                container="Contemporary Central Asia",
                volume="IV",
                issue="3",
                date="2000",
            ),
            C(
                "38",
                authors=("Mohd. Monir Alam",),
                title='Central Asian Republics"',
                container="Quest for Security since Independence",
                volume="IV",
                issue="3",
                date="2000",
            ),
            id="truncated-title-abbreviated-author",
        ),
        pytest.param(
            C(
                "29",
                authors=("Mohd. Monir Alam",),
                title="Soviet Intervention in Afghanistan : its Impact on Tajikistan",
                container="Contemporary Central Asia",
                date="1999",
            ),
            C(
                "33",
                authors=("Mohd, Monir Alam",),
                title="Soviet Intervention in Afghanistan : Its Impact on Tajikistan",
                container="Contemporary Central Asia",
                date="1999",
            ),
            id="stray-comma-author",
        ),
        pytest.param(
            C("43", title="Tajikistan : Introductory Survey", container="The Europe World Year Book", date="2003"),
            C("50", title="Tajikistan : Introductory Survey", container="The Europa World Year Book", date="2003"),
            id="no-authors-same-title-misspelt-container",
        ),
        pytest.param(
            C(
                "3",
                authors=("Nirmala Joshi",),
                title="Russia and Central Asia : The Strategic Dimensions",
                container="Strategic Analysis",
                date="1995-12",
            ),
            C(
                "20",
                authors=("Nirmala Joshi",),
                title="Russia and Central Asia : The Strategic Dimensions",
                container="Strategic Analysis",
                date="1996",
            ),
            id="different-year-same-work",
        ),
        pytest.param(
            C("1", Kind.WEB, title="Home", url="https://www.example.org/page/"),
            C("2", Kind.WEB, url="http://example.org/page"),
            id="same-url",
        ),
        pytest.param(
            C("1", authors=("A. Author",), title="Alpha", doi="10.1000/xyz"),
            C("2", authors=("B. Other",), title="Totally different", doi="https://doi.org/10.1000/XYZ"),
            id="same-doi",
        ),
        pytest.param(
            C("25", Kind.NEWS, container="FBIS-SOV Daily Report", date="1992-08-04", pages="74"),
            C("42", Kind.NEWS, container="FBIS-SOV, Daily Report", date="1992-08-04", pages="73"),
            id="same-issue-of-a-daily-report",
        ),
        pytest.param(
            C("1", parsed=False, kind=Kind.UNKNOWN, raw="Something odd, 12."),
            C("2", parsed=False, kind=Kind.UNKNOWN, raw="Something odd, p. 14."),
            id="unparsed-same-text",
        ),
    ],
)
def test_same_source(a: Citation, b: Citation) -> None:
    assert sources_of(a, b) == ["s1", "s1"]


def test_a_group_with_two_cross_document_keys_joins_the_group_of_its_first_citation() -> None:
    # doc two cites one work by DOI, then by URL; doc one has those as two different works
    by_doi = C("1", authors=("A. Author",), title="First Work Title", doc="one.txt", doi="10.1234/x")
    by_url = C("2", authors=("B. Writer",), title="Second Work Title", doc="one.txt", url="http://e.org/y")
    again_doi = C("1", authors=("C. Third",), title="Third Work Title", doc="two.txt", doi="10.1234/x")
    again_url = C("2", authors=("C. Third",), title="Third Work Title", doc="two.txt", url="http://e.org/y")
    assert sources_of(by_doi, by_url, again_doi, again_url) == ["s1", "s2", "s1", "s1"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param(
            C(
                "19",
                authors=("Mohammad Monir Alam",),
                title="Central Asian Republics Quest for Security since Independence",
                container="Contemporary Central Asia",
                date="2000",
            ),
            C(
                "29",
                authors=("Mohd. Monir Alam",),
                title="Soviet Intervention in Afghanistan : its Impact on Tajikistan",
                container="Contemporary Central Asia",
                date="1999",
            ),
            id="two-works-of-one-author",
        ),
        pytest.param(
            C("1", authors=("John Smith",), title="Introduction"),
            C("2", authors=("Adam Smith",), title="Introduction"),
            id="same-title-other-author",
        ),
        pytest.param(
            C("1", authors=("John Smith",), title="Ibid"),
            C("2", authors=("John Smith",), title="Ibid"),
            id="both-titled-ibid",
        ),
        pytest.param(
            C("1", authors=("John Smith",), container="Journal", date="1999"),
            C("2", authors=("John Smith",), container="Journal", date="2001"),
            id="no-titles-same-author",
        ),
        pytest.param(
            C("32", Kind.NEWS, container="FBIS – SOV Daily Report", date="1991-04-12"),
            C("42", Kind.NEWS, container="FBIS-SOV, Daily Report", date="1992-08-04"),
            id="daily-reports-of-different-days",
        ),
        pytest.param(
            C("1", title="Tajikistan in 1990s", authors=("A. Author",)),
            C("2", title="Tajikistan in 2000s", authors=("A. Author",)),
            id="titles-differ-in-numbers",
        ),
        pytest.param(
            C("1", authors=("A. Author",), title="Alpha", doi="10.1000/1"),
            C("2", authors=("A. Author",), title="Alpha", doi="10.1000/2"),
            id="different-dois",
        ),
        pytest.param(
            C("1", Kind.NEWS, title="Tajikistan cedes land to China", url="http://news.tj/en/"),
            C("2", Kind.NEWS, title="Vorukh vyshel iz blokady", url="http://news.tj/en/"),
            id="one-url-two-works",
        ),
        pytest.param(
            C("1", title="Annual Report", container="Ministry Yearbook", date="2003"),
            C("2", title="Annual Report", container="Ministry Yearbook", date="2004"),
            id="no-authors-different-years",
        ),
        pytest.param(
            C("1", parsed=False, kind=Kind.UNKNOWN, raw="Something odd"),
            C("2", parsed=False, kind=Kind.UNKNOWN, raw="Something else"),
            id="unparsed-different",
        ),
        pytest.param(
            C("1", Kind.WEB, origin=Origin.URL, raw="http://e.org/page/40", url="http://e.org/page/40"),
            C("2", Kind.WEB, origin=Origin.URL, raw="http://e.org/page/41", url="http://e.org/page/41"),
            id="bare-urls-differing-in-a-trailing-number",
        ),
        pytest.param(
            C("1", parsed=False, kind=Kind.UNKNOWN, raw="Ministry site, http://gov.tj/doc/12", url="http://gov.tj/doc/12"),
            C("2", parsed=False, kind=Kind.UNKNOWN, raw="Ministry site, http://gov.tj/doc/13", url="http://gov.tj/doc/13"),
            id="same-words-before-two-urls",
        ),
    ],
)
def test_different_sources(a: Citation, b: Citation) -> None:
    assert sources_of(a, b) == ["s1", "s2"]


def test_alam_variants_group_by_work() -> None:
    cits = [
        C(
            "19",
            authors=("Mohammad Monir Alam",),
            title="Central Asian Republics Quest for Security since Independence",
            container="Contemporary Central Asia",
            volume="IV",
            issue="3",
            date="2000",
        ),
        C(
            "29",
            authors=("Mohd. Monir Alam",),
            title="Soviet Intervention in Afghanistan : its Impact on Tajikistan",
            container="Contemporary Central Asia",
            volume="III",
            issue="3",
            date="1999",
        ),
        C(
            "33",
            authors=("Mohd, Monir Alam",),
            title="Soviet Intervention in Afghanistan : Its Impact on Tajikistan",
            container="Contemporary Central Asia",
            volume="III",
            issue="3",
            date="1999",
        ),
        C(
            "38",
            authors=("Mohd. Monir Alam",),
            title="Central Asian Republics Quest for Security since Independence",
            container="Contemporary Central Asia",
            volume="IV",
            issue="3",
            date="2000",
        ),
    ]
    assert sources_of(*cits) == ["s1", "s2", "s2", "s1"]


def test_sources_are_numbered_in_order_of_first_appearance_with_their_citations() -> None:
    a1 = C("1", authors=("A. Author",), title="Alpha Study of Things", container="J", date="2000")
    b = C("2", authors=("B. Writer",), title="Beta Account", container="K", date="2001")
    a2 = C("3", authors=("A. Author",), title="Alpha Study of Things", container="J", date="2000")
    resolved, sources = resolve([a1, b, a2])
    assert [s.id for s in sources] == ["s1", "s2"]
    assert sources[0].citations == (a1.id, a2.id)
    assert resolved[2].source == "s1" and resolved[2].id == a2.id


def test_sources_group_across_documents() -> None:
    a = C("1", authors=("A. Author",), title="Alpha Study of Things", doc="one.txt")
    b = C("1", authors=("A. Author",), title="Alpha Study of Things", doc="two.txt")
    assert sources_of(a, b) == ["s1", "s1"]


def _three_documents() -> list[Citation]:
    """A work cited in full in two documents (joined by key), an Ibid. and a short form of it, a short form
    whose full form is nowhere (in two documents: one source), a dangling Ibid. and a document's variants."""
    alpha = {"authors": ("A. Author",), "title": "Alpha Study of Things"}
    return [
        ibid("1", doc="one.txt"),
        C("2", doc="one.txt", date="2001", **alpha),  # type: ignore[arg-type]
        ibid("3", doc="one.txt"),
        C("4", Kind.SHORT, doc="one.txt", authors=("Author",), title="Alpha Study"),
        C("5", Kind.SHORT, doc="one.txt", authors=("Nobody",), title="Lost Work", raw="Nobody, Lost Work, 3."),
        C("1", doc="two.txt", container="Europe-Asia Studies", **alpha),  # type: ignore[arg-type]
        C("2", doc="two.txt", authors=("B. Other",), title="Beta Essays on Stuff", date="1999"),
        C("3", doc="two.txt", authors=("B. Other",), title="Beta Essays on Stuff,", date="1999"),
        C("4", Kind.SHORT, doc="two.txt", authors=("Nobody",), title="Lost Work", raw="Nobody, Lost Work, 9."),
        ibid("5", doc="two.txt"),
        C("1", doc="three.txt", authors=("B. Other",), title="Beta Essays on Stuff", date="1999"),
    ]


def test_what_each_document_finds_alone_joins_into_the_sources_of_the_run() -> None:
    cits = _three_documents()
    everything_here = resolve(cits)
    resolved, sources = everything_here
    assert [c.source for c in resolved] == [None, "s1", "s1", "s1", "s2", "s1", "s3", "s3", "s2", "s2", "s3"]
    assert resolve(cits, locals_of(cits)) == everything_here  # as the map step hands them in
    assert resolve(cits, locals_of(cits)[1:]) == everything_here  # one document's missing: computed here
    # a document given twice (two inputs drew on one file), or one that does not fit its citations
    assert resolve(cits, [*locals_of(cits), local(cits[:2])]) == everything_here
    assert resolve(cits, [local(cits[:2])]) == everything_here


def test_source_fields_are_the_commonest_most_complete_values() -> None:
    cits = [
        C(
            "1",
            authors=("K. Warikoo",),
            title="Cockpit of Central Asia",
            container="Central Asia",
            date="1996",
            pages="213",
        ),
        C(
            "2",
            authors=("Kulbhushan Warikoo",),
            title="Cockpit of Central Asia",
            container="Central Asia",
            date="1996",
            pages="214",
            publisher="Har-Anand",
        ),
        C("3", authors=("K. Warikoo",), title="*Cockpit of Central Asia*", container="Central Asia", date="1996-05"),
        ibid("4"),
    ]
    _, (source,) = resolve(cits)
    assert source.fields.authors == (P("K. Warikoo"),)
    assert source.fields.title == "Cockpit of Central Asia"
    assert source.fields.date == "1996-05"
    assert source.fields.publisher == "Har-Anand"
    assert source.fields.pages is None  # pin-point pages differ
    assert source.kind is Kind.ARTICLE
    assert len(source.citations) == 4


def test_merge_fields_credits_a_truncated_title_to_the_full_one() -> None:
    merged = merge_fields(
        [
            Fields(title="Central Asian Republics"),
            Fields(title="Central Asian Republics"),
            Fields(title="Central Asian Republics Quest for Security since Independence"),
        ]
    )
    assert merged.title == "Central Asian Republics Quest for Security since Independence"


def test_resolve_keeps_order_and_length() -> None:
    cits = [C(str(n), authors=(f"Author{n % 7} Name",), title=f"Work {n}") for n in range(1, 30)]
    resolved, _ = resolve(cits)
    assert [c.id for c in resolved] == [c.id for c in cits]


def test_resolve_handles_thousands_of_citations() -> None:
    words = "state power border security treaty army region conflict trade river mountain policy".split()
    cits = []
    for n in range(3000):
        title = " ".join(words[(n * k) % len(words)] for k in (1, 3, 5, 7)) + f" {n // 3} volume"
        cits.append(
            C(
                str(n + 1),
                authors=(f"Given{n % 50} Family{n % 97}",),
                title=title.title(),
                container=f"Journal {n % 13}",
                date=str(1950 + n % 60),
            )
        )
        if n % 5 == 0:
            cits.append(ibid(str(n + 1), index=1))
    resolved, sources = resolve(cits)  # speed is measured in benchmarks/, not asserted here
    assert len(resolved) == len(cits) and len(sources) <= 3000


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        pytest.param("Rossii.", "Rossii", id="full-stop"),
        pytest.param("Smith, J.", "Smith, J.", id="initial-keeps-its-full-stop"),
        pytest.param("Wait...", "Wait...", id="ellipsis"),
        pytest.param(' *Europe-Asia Studies*", ', "Europe-Asia Studies", id="stray-marks"),
    ],
)
def test_clean(raw: str, shown: str) -> None:
    assert clean(raw) == shown


def test_resolve_copies_every_field_of_a_citation() -> None:
    # resolve builds its output citations field by field (faster than dataclasses.replace): keep it in step
    assert [f.name for f in dataclasses.fields(Citation)] == [
        "id", "document", "note", "location", "raw", "kind", "fields", "source", "origin", "index", "parsed",
    ]  # fmt: skip
    c = C("7", Kind.BOOK, authors=("A. Author",), title="A Study", origin=Origin.ENTRY, index=2, parsed=False)
    (resolved,), _ = resolve([c])
    assert resolved == dataclasses.replace(c, source="s1")
