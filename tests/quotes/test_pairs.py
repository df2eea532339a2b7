"""Quotation–source pairs: which quotations are checked, against which URLs."""

from __future__ import annotations

from verifier.model import Citation, Document, Fields, Kind, Location, Origin, Paragraph
from verifier.quotes.pairs import pairs, spans

URL = "https://example.org/page"


def _para(text: str, markers: tuple[tuple[int, str], ...] = (), quoted: bool = False) -> Paragraph:
    return Paragraph(text, ((0, 1),), markers, quoted)


def _note(label: str, url: str | None = URL, source: str | None = None, cid: str | None = None) -> Citation:
    return Citation(cid or f"c{label}", "doc.md", label, Location(9), f"Raw {url}", Kind.WEB, Fields(url=url),
                    source, Origin.NOTE)


def test_every_kind_of_quotation_mark_and_block_quotations() -> None:
    texts = [inner for _, _, inner in spans(_para(
        'He said "one two three four five six" and «sept huit neuf dix onze douze» and '
        "„eins zwei drei vier fünf sechs“ and »un deux trois quatre cinq six«."))]
    assert texts == ["one two three four five six", "sept huit neuf dix onze douze",
                     "eins zwei drei vier fünf sechs", "un deux trois quatre cinq six"]
    british = [s[2] for s in spans(_para("She said ‘we will not abandon the valley’s farmers, not ever’ and the "
                                         "farmers’ union ‘agreed’."))]
    assert british == ["we will not abandon the valley’s farmers, not ever"]
    assert [s[2] for s in spans(_para("The whole paragraph is quoted here, every word.", quoted=True))] == [
        "The whole paragraph is quoted here, every word."]


def test_short_quotations_scare_quotes_and_titles_are_not_checked() -> None:
    assert spans(_para('A "so-called" reform and "too short to check" and '
                       '"The Treaty of Friendship and Mutual Aid Between Nations".')) == []


def test_a_quotation_pairs_with_the_urls_of_its_note_and_through_ibid() -> None:
    text = '"one two three four five six seven" and later "eight nine ten eleven twelve thirteen".'
    doc = Document("doc.md", "markdown", paragraphs=(_para(text, ((36, "1"), (len(text), "2"))),))
    first = _note("1", source="s1")
    ibid = Citation("c2", "doc.md", "2", Location(10), "Ibid.", Kind.UNKNOWN, Fields(), "s1", Origin.NOTE)
    found = pairs([doc], [first, ibid], {"c1": [URL], "c2": []})
    assert [(p.text, p.urls, p.citations) for p in found] == [
        ("one two three four five six seven", (URL,), ("c1",)),
        ("eight nine ten eleven twelve thirteen", (URL,), ("c2",)),
    ]


def test_a_note_citing_two_sources_pairs_with_both_and_no_url_pairs_with_nothing() -> None:
    text = '"one two three four five six seven".'
    doc = Document("doc.md", "markdown", paragraphs=(_para(text, ((len(text), "1"),)),))
    a, b = _note("1", cid="a"), _note("1", "https://example.org/other", cid="b")
    assert pairs([doc], [a, b], {"a": [URL], "b": ["https://example.org/other"]})[0].urls == (
        URL, "https://example.org/other")
    assert pairs([doc], [a], {"a": []}) == []


def test_a_marker_in_the_next_sentence_does_not_pair() -> None:
    text = '"one two three four five six seven." Another sentence follows here.'
    doc = Document("doc.md", "markdown", paragraphs=(_para(text, ((len(text), "1"),)),))
    assert pairs([doc], [_note("1")], {"c1": [URL]}) == []
