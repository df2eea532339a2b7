"""Seed 002 ("Civil War in Tajikistan"): REFERENCE lines turned into citations by hand, with the fields a
good parser would produce, and the conflicts the rules must find in them."""

from __future__ import annotations

import pytest

from verifier.model import Citation, Document, Finding, Kind, Location, Marker, Note, Paragraph
from verifier.rules import run_rules

from .factories import cite, context, ibid

DOC = "002.txt"
CAC = "Contemporary Central Asia"
ASOPA_BOOK = {
    "editors": (),
    "container": "India and Tajikistan : Revitalising a Traditional Relationship",
    "publisher": "Anamika Publishers",
    "place": "Kolkata",
    "date": "2003",
}
WARIKOO = {
    "authors": ("K. Warikoo",),
    "container": "Central Asia : Emerging New order",
    "publisher": "Har-Anand Publications",
    "place": "New Delhi",
    "date": "1996",
}


def n(note: str, raw: str, kind: Kind = Kind.ARTICLE, **fields: object) -> Citation:
    fields.pop("editors", None)
    return cite(note, kind, raw=raw, doc=DOC, line=200 + int(note), **fields)  # type: ignore[arg-type]


def akbarzadeh(note: str, raw: str, title: str, page: str, container: str = "Europe-Asia Studies") -> Citation:
    return n(
        note,
        raw,
        authors=("Shahram Akbarzadeh",),
        title=title,
        container=container,
        volume="8",
        issue="7",
        date="1996",
        pages=page,
    )


def joshi(note: str, raw: str, date: str, page: str) -> Citation:
    return n(
        note,
        raw,
        authors=("Nirmala Joshi",),
        title="Russia and Central Asia : The Strategic Dimensions",
        container="Strategic Analysis",
        date=date,
        pages=page,
    )


CITATIONS = [
    akbarzadeh(
        "1",
        'Shahram Akbarzadeh, "Why Did Nationalism Fail in Tajikistan", *Europe-Asia Studies*, vol. 8, '
        "No. 7, 1996, p. 1122.",
        "Why Did Nationalism Fail in Tajikistan",
        "1122",
    ),
    ibid("2", raw="Ibid.*", doc=DOC, line=202),
    joshi(
        "3",
        'Nirmala Joshi, "Russia and Central Asia : The Strategic Dimensions", *Strategic Analysis*, '
        "December 1995, p. 1281.",
        "1995-12",
        "1281",
    ),
    joshi(
        "5",
        'Nirmala Joshi, "Russia and Central Asia : The Strategic Dimensions", *Strategic Analysis*, '
        "Dec. 1995, p. 1277.",
        "1995-12",
        "1277",
    ),
    n(
        "7",
        'K. Warikoo (ed.), "Cockpit of Central Asia : Afghanistan Factor in Tajikistan\'s Crisis", in K. Warikoo '
        '(ed.) "Central Asia : Emerging New order" Har-Anand Publications, New Delhi, 1996, p. 213.',
        Kind.CHAPTER,
        title="Cockpit of Central Asia : Afghanistan Factor in Tajikistan's Crisis",
        pages="213",
        **WARIKOO,
    ),
    ibid("8", raw="Ibid.*", doc=DOC, line=208),
    ibid("9", raw="Ibid*, p. 213-14", doc=DOC, line=209, pages="213-14"),
    akbarzadeh(
        "10",
        'Shahram Akbarzadeh, "Why did Nationalism Fail in Tajikistan", *Europe-Asia Studies*", vol. 8, '
        "No. 7, 1996, p. 1123.",
        "Why did Nationalism Fail in Tajikistan",
        "1123",
        'Europe-Asia Studies"',
    ),
    joshi(
        "12",
        'Nirmala Joshi, "Russia and Central Asia : The Strategic Dimensions", *Strategic Analysis*, '
        "Dec. 1995, p. 1276.",
        "1995-12",
        "1276",
    ),
    akbarzadeh(
        "14",
        'Shahram Akbarzadeh, "Why did Nationalism Fall in Tajikistan", *Europe-Asia Studies*, vol. 8, '
        "No. 7, 1996, p. 1123.",
        "Why did Nationalism Fall in Tajikistan",
        "1123",
    ),
    joshi(
        "15",
        'Nirmala Joshi, "Russia and Central Asia : The Strategic Dimensions", *Strategic Analysis*, '
        "December, 1995, p. 1276.",
        "1995-12",
        "1276",
    ),
    n(
        "19",
        'Mohammad Monir Alam, "Central Asian Republics Quest for Security since Independence", *Contemporary '
        "Central Asia*, vol. IV, No.3, 2000, p. 30",
        authors=("Mohammad Monir Alam",),
        title="Central Asian Republics Quest for Security since Independence",
        container=CAC,
        volume="IV",
        issue="3",
        date="2000",
        pages="30",
    ),
    ibid("20", doc=DOC, line=220),
    n(
        "23",
        'Alexander Knyazev, "International Terrorism in Central Asia : Part-I", *Aakrosh*, vol.4, No. 11, p. 70.',
        authors=("Alexander Knyazev",),
        title="International Terrorism in Central Asia : Part-I",
        container="Aakrosh",
        volume="4",
        issue="11",
        pages="70",
    ),
    n(
        "26",
        'Ahmed Rashid, "The Resurgence of Central Asia : Islam or Nationalism?" Oxford University Press, Karachi, '
        "1994, p. 159-60.",
        Kind.BOOK,
        authors=("Ahmed Rashid",),
        title="The Resurgence of Central Asia : Islam or Nationalism?",
        publisher="Oxford University Press",
        place="Karachi",
        date="1994",
        pages="159-60",
    ),
    n(
        "30",
        'Mohd. Monir Alam, "Soviet Intervention in Afghanistan : its Impact on Tajikistan" *Contemporary Central '
        "Asia*, vol. III, No. 3, 1999, p. 34.",
        authors=("Mohd. Monir Alam",),
        title="Soviet Intervention in Afghanistan : its Impact on Tajikistan",
        container=CAC,
        volume="III",
        issue="3",
        date="1999",
        pages="34",
    ),
    ibid("31", doc=DOC, line=231),
    n(
        "34",
        'Mohd, Monir Alam, "Soviet Intervention in Afghanistan : Its Impact on Tajikistan", *Contemporary Central '
        "Asia*, vol. III, No. 3, 1999, p. 34.",
        authors=("Mohd, Monir Alam",),
        title="Soviet Intervention in Afghanistan : Its Impact on Tajikistan",
        container=CAC,
        volume="III",
        issue="3",
        date="1999",
        pages="34",
    ),
    joshi(
        "36",
        'Nirmala Joshi, "Russia and Central Asia : The Strategic Dimensions", *Strategic Analysis*, '
        "Dec. 1995, p. 1281.",
        "1995-12",
        "1281",
    ),
    n(
        "39",
        'Mohd. Monir Alam, "Central Asian Republics" *Quest for Security since Independence*", *Contemporary '
        "Central Asia*, vol. IV, No. 3, 2000, p. 32",
        authors=("Mohd. Monir Alam",),
        title='Central Asian Republics" *Quest for Security since Independence',
        container=CAC,
        volume="IV",
        issue="3",
        date="2000",
        pages="32",
    ),
    n(
        "43",
        '"Tajikistan : Introductory Survey" *The Europe World Year Book*, 2003, p. 3999.',
        title="Tajikistan : Introductory Survey",
        container="The Europe World Year Book",
        date="2003",
        pages="3999",
    ),
    n(
        "44",
        'Mohd. Monir Alam, "Central Asian Republics" *Quest for Security since Independence*", *Contemporary '
        "Central Asia*, vol. IV, No.3, 2000, p. 40.",
        authors=("Mohd. Monir Alam",),
        title="Central Asian Republics",
        container="Quest for Security since Independence",
        volume="IV",
        issue="3",
        date="2000",
        pages="40",
    ),
    n(
        "47",
        'Sheel K. Asopa, "Regional Interests in Tajikistan", in Mahavir Singh\'s (ed.) "India and Tajikistan : '
        'Revitalising a Traditional Relationship", Anamika Publishers, Kolkata, 2003, p. 164.',
        Kind.CHAPTER,
        authors=("Sheel K. Asopa",),
        title="Regional Interests in Tajikistan",
        pages="164",
        **ASOPA_BOOK,
    ),
    n(
        "52",
        "“Tajikistan : Introductory Survey”, *The Europa World Year Book*, 2003, p. 4000.",
        title="Tajikistan : Introductory Survey",
        container="The Europa World Year Book",
        date="2003",
        pages="4000",
    ),
    n(
        "54",
        "Sheel K. Asopa, “Regional Interest in Tajikistan”, in Mahavir Singh (ed.) “India and Tajikistan : "
        "Revitalising a Traditional Relationship”, Anamika Publishers, Kolkata, 2003, p. 168.",
        Kind.CHAPTER,
        authors=("Sheel K. Asopa",),
        title="Regional Interest in Tajikistan",
        pages="168",
        **ASOPA_BOOK,
    ),
    n(
        "60",
        "Alexander Knyazev, “International Terrorism in Central Asia : Part-1”, *Aakrosh, Asian Journal of "
        "Terrorism and Internal Conflict*, vol.4, No.11, April 2001, p.71.",
        authors=("Alexander Knyazev",),
        title="International Terrorism in Central Asia : Part-1",
        container="Aakrosh, Asian Journal of Terrorism and Internal Conflict",
        volume="4",
        issue="11",
        date="2001-04",
        pages="71",
    ),
    n(
        "61",
        "K. Warikoo (ed.) “Cockpit of Central Asia : Afghanistan Factor in Tajikistan Crisis”, in K. Warikoo "
        "(ed.) “Central Asia : Emerging New Order”, Har-Anand Publications, New Delhi, 1996, p. 214.",
        Kind.CHAPTER,
        title="Cockpit of Central Asia : Afghanistan Factor in Tajikistan Crisis",
        pages="214",
        **{**WARIKOO, "container": "Central Asia : Emerging New Order"},
    ),
    n(
        "67",
        "MFA Statement, 30 May 1993, reported in *Izvestia*, 23 June, 1993, *Current Digest of Post-Soviet Press* "
        "(25-29) pp. 19-20.",
        Kind.DOCUMENT,
        title="MFA Statement",
        date="1993-05-30",
        pages="19-20",
    ),
    n(
        "69",
        "Sheel K. Asopa, “Regional Interests in Tajikistan” in Mahavir Singh (ed.), “India and Tajikistan : "
        "Revitalising a Traditional Relationship”, Anamika Publishers, Kolkata, 2003, p. 165.",
        Kind.CHAPTER,
        authors=("Sheel K. Asopa",),
        title="Regional Interests in Tajikistan",
        pages="165",
        **ASOPA_BOOK,
    ),
    joshi(
        "70",
        "Nirmala Joshi, “Russia and Central Asia : The Strategic Dimensions”, *Strategic Analysis*, "
        "December 1995, p. 1281.",
        "1995-12",
        "1281",
    ),
    joshi(
        "73",
        "Nirmala Joshi, “Russia and Central Asia : The Strategic Dimensions”, *Strategic Analysis*, "
        "December, 1995, p. 1282.",
        "1995-12",
        "1282",
    ),
]

GRACHEV = Paragraph(
    "Despite exhorting the Tajik Government to hold talks with its opposition and arrive at a political settlement, "
    "Russian continue to guard the Tajik-Afghan border for their larger security and geo-political interests.) "
    'According to then Russian defence Minister Pavel Grachev, "Russia does not intend to get involved in fighting '
    "between the Tajik guerrillas and the government forces, but nevertheless will guard important government "
    'installations".',
    ((0, 120),),
)
SEMENOV = Paragraph(
    "Based on these perceptions of insecurity, Russia moved quickly to consolidate Rakhmonov's position. With the "
    "help of the 201st MRD and Uzbek air port, pro-Rakhmonov forces seized Dushanbe. In December 1993, additional "
    "troops were dispatched to the border. Colonel General Vladimir Semenov, Commander-in-Chief of the ground Forces, "
    'affirmed that "the deployment of these peace-keeping forces should allow the leadership of Tajikistan to take '
    "the situation under control and stop the excesses of the gangs. As fighting continued on the border in February "
    "and April 1993, the Russian Government sent additional troops. Grachev justified Russian assistance in terms of "
    "the collective security treaty, as a formal CIS operation had not yet been mandated. In April 1993, Russia "
    "started to transfer arms to the Tajik Government. The 201st MRD also began to involve Tajik soldiers and "
    'officers. In late May, a "Treaty of Friendship, Cooperation and Mutual Aid" was signed, providing for extensive '
    "military and economic aid to the Tajik Government.",
    ((0, 100),),
)


def with_markers(text: str, line: int) -> Paragraph:
    """A one-line paragraph whose superscript markers are found as a reader would."""
    sup = {"¹⁵": "15", "⁷³": "73"}
    return Paragraph(text, ((0, line),), tuple((text.index(m), label) for m, label in sup.items() if m in text))


ADAMISHIN = (
    Paragraph(
        "Satisfying the presence of Russian troops on the Tajik-Afghan border, Anatoly Adamishin, former First Deputy "
        "Foreign Minister of Russia, forthrightly put forward Russia's concern. According to Adamishin, \"If we leave "
        "the Tajik-Afghan border, then we have no other right up to the Arctic Ocean, and everything",
        ((0, 40),),
    ),
    with_markers(
        "which is now somehow being held back at this border, will pour into Central Asia and through it into Russia, "
        'and this includes narcotics, terrorism and subversive activities"¹⁵',
        42,
    ),
)
KOZYREV = with_markers(
    'In a strong assertion of regional prerogatives, former Foreign Minister Kozyrev had declared that "no other '
    'groups of nations can replace our peace-making efforts along the border of the old Soviet Union".⁷³ Thus, the '
    "Russian side wants to maintain its position of dominance.",
    110,
)

DOCUMENT = Document(
    DOC,
    "text",
    markers=tuple(Marker(label, p.location_at(off)) for p in (ADAMISHIN[1], KOZYREV) for off, label in p.markers),
    notes=(Note("15", "…", Location(215)), Note("73", "…", Location(273))),
    paragraphs=(ADAMISHIN[0], ADAMISHIN[1], KOZYREV, SEMENOV, GRACHEV),
    notes_are_endnotes=True,
)


@pytest.fixture(scope="module")
def found() -> list[Finding]:
    return run_rules(context(*CITATIONS, documents=[DOCUMENT]))


def messages(found: list[Finding], code: str) -> list[str]:
    return [f.message for f in found if f.code == code]


def test_marker_offsets_point_at_the_markers() -> None:
    assert [m.label for m in DOCUMENT.markers] == ["15", "73"]
    assert ADAMISHIN[1].text[ADAMISHIN[1].markers[0][0]] == "¹" and KOZYREV.text[KOZYREV.markers[0][0]] == "⁷"


@pytest.mark.parametrize(
    ("new", "old"),
    [
        pytest.param(
            "Why did Nationalism Fall in Tajikistan", "Why Did Nationalism Fail in Tajikistan", id="fail-fall"
        ),
        pytest.param(
            "Cockpit of Central Asia : Afghanistan Factor in Tajikistan Crisis",
            "Cockpit of Central Asia : Afghanistan Factor in Tajikistan's Crisis",
            id="tajikistans-crisis",
        ),
        pytest.param("Regional Interest in Tajikistan", "Regional Interests in Tajikistan", id="regional-interest"),
        pytest.param(
            "International Terrorism in Central Asia : Part-1",
            "International Terrorism in Central Asia : Part-I",
            id="part-i-part-1",
        ),
        pytest.param(
            "Central Asian Republics",
            "Central Asian Republics Quest for Security since Independence",
            id="truncated-alam-title",
        ),
    ],
)
def test_title_conflicts(found: list[Finding], new: str, old: str) -> None:
    assert any(f"“{new}” but note" in m and m.endswith(f"as “{old}”.") for m in messages(found, "I001"))


def test_fail_fall_message_reads_like_the_example(found: list[Finding]) -> None:
    assert (
        "Note 14 cites “Why did Nationalism Fall in Tajikistan” but note 1 cites the same source as "
        "“Why Did Nationalism Fail in Tajikistan”."
    ) in messages(found, "I001")


def test_container_conflict_europe_europa(found: list[Finding]) -> None:
    assert any(
        "“The Europa World Year Book”" in m and "“The Europe World Year Book”" in m for m in messages(found, "I003")
    )


@pytest.mark.parametrize(
    ("new", "old"),
    [
        pytest.param("Mohd. Monir Alam", "Mohammad Monir Alam", id="central-asian-republics"),
        pytest.param("Mohd, Monir Alam", "Mohd. Monir Alam", id="soviet-intervention"),
    ],
)
def test_alam_author_forms(found: list[Finding], new: str, old: str) -> None:
    assert any(f"the author “{new}”" in m and m.endswith(f"“{old}”.") for m in messages(found, "I002"))


def test_alam_wrote_two_works(found: list[Finding]) -> None:
    resolved, _ = context(*CITATIONS).citations, None
    by_note = {c.note: c.source for c in resolved}
    assert by_note["19"] == by_note["39"] == by_note["44"] == by_note["20"]
    assert by_note["30"] == by_note["34"] == by_note["31"]
    assert by_note["19"] != by_note["30"]


def test_ibid_chain_follows_to_warikoo() -> None:
    by_note = {c.note: c.source for c in context(*CITATIONS).citations}
    assert by_note["7"] == by_note["8"] == by_note["9"] == by_note["61"]
    assert by_note["2"] == by_note["1"] == by_note["10"] == by_note["14"]


def test_month_style_december_dec(found: list[Finding]) -> None:
    (month,) = [m for m in messages(found, "I007") if m.startswith("Months")]
    assert "“December 1995”" in month and "“Dec. 1995”" in month


def test_page_style_p_pp(found: list[Finding]) -> None:
    (pages,) = [m for m in messages(found, "I007") if m.startswith("Page ranges")]
    assert "“p. 213-14”" in pages and "“pp. 19-20”" in pages


def test_repeated_full_citations_of_joshi(found: list[Finding]) -> None:
    joshi = [f for f in found if f.code == "D002" and "Russia and Central Asia" in f.message]
    assert [f.location.line for f in joshi if f.location] == [205, 212, 215, 236, 270, 273]
    assert all("first cited in full in note 3" in f.message for f in joshi)


def test_no_false_conflicts(found: list[Finding]) -> None:
    assert not [f for f in found if f.code in ("I004", "I005", "I006", "I008", "M006", "M007", "D001")]
    assert not [m for m in messages(found, "I001") if "Tajikistan : Introductory Survey" in m]


def test_unsourced_quotations_grachev_and_semenov(found: list[Finding]) -> None:
    m009 = [f for f in found if f.code == "M009"]
    assert [f.location.line for f in m009 if f.location] == [100, 120]
    assert "“the deployment of these peace-keeping forces" in m009[0].message
    assert "“Russia does not intend to get involved" in m009[1].message


def test_knyazev_without_date_is_missing_a_field(found: list[Finding]) -> None:
    assert messages(found, "M008") == ["Note 23 cites an article without a date."]
