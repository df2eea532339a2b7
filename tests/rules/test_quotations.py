"""M009 unsourced-quotation."""

from __future__ import annotations

import re

import pytest

from verifier.model import Document, Finding, KeyCite, Kind, Location, Marker, Note, Origin, Paragraph
from verifier.quotes.scan import is_title, sentences
from verifier.rules import quotations

from .factories import cite, context

_SUP = {ch: str(i) for i, ch in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")}


def para(text: str, line: int = 1) -> Paragraph:
    """A paragraph on one line, its superscript markers found like a reader would."""
    markers = tuple((m.start(), "".join(_SUP[c] for c in m.group())) for m in re.finditer("[⁰¹²³⁴⁵⁶⁷⁸⁹]+", text))
    return Paragraph(text, ((0, line),), markers)


def scholarly(*paragraphs: Paragraph) -> Document:
    markers = tuple(Marker(label, p.location_at(off)) for p in paragraphs for off, label in p.markers)
    notes = tuple(Note(m.label, "A note.", Location(900)) for m in markers) or (Note("1", "A note.", Location(900)),)
    return Document(
        "article.txt", "text", markers=markers or (Marker("1", Location(999)),), notes=notes, paragraphs=paragraphs
    )


def news(*paragraphs: Paragraph) -> Document:
    return Document("news.txt", "text", paragraphs=paragraphs)


def m009(document: Document, *citations: object) -> list[Finding]:
    ctx = context(*citations, documents=[document])  # type: ignore[arg-type]
    return list(quotations.check(ctx))


GRACHEV = (
    "Russian continue to guard the Tajik-Afghan border for their larger security and geo-political interests.) "
    'According to then Russian defence Minister Pavel Grachev, "Russia does not intend to get involved in '
    "fighting between the Tajik guerrillas and the government forces, but nevertheless will guard important "
    'government installations".'
)
SEMENOV = (
    "In December 1993, additional troops were dispatched to the border. Colonel General Vladimir Semenov, "
    'Commander-in-Chief of the ground Forces, affirmed that "the deployment of these peace-keeping forces should '
    "allow the leadership of Tajikistan to take the situation under control and stop the excesses of the gangs. "
    "As fighting continued on the border in February and April 1993, the Russian Government sent additional "
    'troops. In late May, a "Treaty of Friendship, Cooperation and Mutual Aid" was signed, providing for '
    "extensive military and economic aid to the Tajik Government."
)


# --------------------------------------------------------------------------- fires


@pytest.mark.parametrize(
    ("text", "opening"),
    [
        pytest.param(GRACHEV, '"Russia does not intend', id="closed-quote-no-marker"),
        pytest.param(SEMENOV, '"the deployment of these', id="unclosed-quote-runs-to-sentence-end"),
        pytest.param(
            "He wrote “this is a long quotation of many words” and left. Then more. And more.²",
            "“this is a long",
            id="marker-two-sentences-later",
        ),
        pytest.param("He said “this is a long quotation of many words” and left.", "“this is", id="said-in-notes-doc"),
    ],
)
def test_m009_fires_in_a_document_with_notes(text: str, opening: str) -> None:
    (finding,) = m009(scholarly(para(text, line=7)))
    assert finding.location == Location(7, text.index(opening) + 1)
    assert finding.code == "M009" and finding.severity.value == "info"
    assert "no note marker after it" in finding.message


def test_m009_semenov_treaty_title_is_not_a_quotation() -> None:
    found = m009(scholarly(para(SEMENOV)))
    assert len(found) == 1 and "the deployment" in found[0].message


# ---------------------------------------------------------------------------- silent


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            'Kozyrev warned that the "entire might of Russian state is poised to defend human rights".⁸',
            id="marker-after-quote",
        ),
        pytest.param(
            "Yeltsin said, “we welcome closer cooperation in guarding borders with ³ other countries”.",
            id="marker-inside-quote",
        ),
        pytest.param(
            'The treaty states: "The participating states shall not enter into military alliances". '
            "In the event of aggression, all will give assistance.³⁹",
            id="marker-in-next-sentence",
        ),
        pytest.param(
            "Yeltsin summarized the doctrine; “everybody must understand that Tajikistan's border is "
            "effectively Russia's border.⁵⁶ That the Tajik border lies far away matters.",
            id="unclosed-quote-marker-at-sentence-end",
        ),
        pytest.param('It was called "our border" by them.', id="short-quote"),
        pytest.param("They signed the “Treaty on Allied Cooperation into the Twenty-First Century.”", id="title-case"),
        pytest.param("No quotations here at all, only words.", id="no-quotes"),
    ],
)
def test_m009_silent_in_a_document_with_notes(text: str) -> None:
    assert m009(scholarly(para(text))) == []


def test_m009_quote_across_a_page_break_reaches_its_marker() -> None:
    first = para(
        'According to Adamishin, "If we leave the Tajik-Afghan border, then we have no other right up '
        "to the Arctic Ocean, and everything",
        line=10,
    )
    second = para('which is now somehow being held back at this border, will pour into Central Asia"¹⁵', line=14)
    assert m009(scholarly(first, second)) == []


def test_m009_inline_citation_in_the_paragraph_sources_it() -> None:
    text = "Rahmonov said that “Russia has been and remains the guarantor of peace” (Russian agencies, April 17-19)."
    doc = scholarly(para(text, line=3))
    inline = cite(
        None, Kind.NEWS, raw="Russian agencies, April 17-19", origin=Origin.INLINE, line=3, container="Russian agencies"
    )
    assert m009(doc, inline) == []


def test_m009_key_citation_after_the_quote_sources_it() -> None:
    text = 'As argued, "this is a long quotation of many words here" \\cite{smith}.'
    doc = Document(
        "p.tex",
        "latex",
        keys=(KeyCite("smith", Location(5, text.index("\\cite") + 1)),),
        paragraphs=(para(text, line=5),),
    )
    assert m009(doc) == []


@pytest.mark.parametrize(
    ("text", "count"),
    [
        pytest.param("“We basically have three large powers in our neighbourhood,” he said.", 0, id="he-said"),
        pytest.param(
            "According to the minister, “the border will be closed to all traffic from Monday”.", 0, id="according-to"
        ),
        pytest.param(
            "“The border will be closed to all traffic from Monday.” The minister told reporters so.",
            0,
            id="attribution-in-next-sentence",
        ),
        pytest.param(
            "The document calls for “preserving the spiritual and cultural closeness of the two peoples”.",
            1,
            id="no-attribution",
        ),
    ],
)
def test_m009_news_speech_attribution_counts(text: str, count: int) -> None:
    found = m009(news(para(text)))
    assert len(found) == count
    if found:
        assert "attribution or source" in found[0].message


def test_m009_skipped_when_notes_exist_but_no_markers_were_found() -> None:
    doc = Document("x.txt", "text", notes=(Note("1", "n", Location(9)),), paragraphs=(para(GRACHEV),))
    assert m009(doc) == []


# --------------------------------------------------------------------------- helpers


def test_sentences_do_not_end_at_initials_or_abbreviations() -> None:
    text = "General V. Samsanov, the Dy. Minister, spoke. Then he left.² Next one."
    assert [text[s:e].strip() for s, e in sentences(text)] == [
        "General V. Samsanov, the Dy. Minister, spoke.",
        "Then he left.²",
        "Next one.",
    ]


@pytest.mark.parametrize(
    ("words", "title"),
    [
        pytest.param("Treaty of Friendship, Cooperation and Mutual Aid", True, id="treaty"),
        pytest.param("Russia does not intend to get involved", False, id="sentence"),
        pytest.param("the frontier of Russia", False, id="lower-case-start"),
    ],
)
def test_is_title(words: str, title: bool) -> None:
    assert is_title(re.findall(r"[^\W\d_][\w'’\-]*", words)) is title
