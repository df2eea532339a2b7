"""The assembler: labelled tokens → Fields (verifier/citations/assemble.py), without the model."""

from __future__ import annotations

from verifier.citations.assemble import assemble, issue, pages, volume
from verifier.citations.labeller import Labelled
from verifier.citations.tokens import tokenise


def _labelled(parts: list[tuple[str, str, float]]) -> Labelled:
    """A string built from ``(text, label, probability)`` parts, each token carrying its part's label."""
    text, labels, probs, spans = "", [], [], []
    for chunk, lab, p in parts:
        start = len(text)
        text += chunk
        for s, e in tokenise(chunk):
            spans.append((start + s, start + e))
            labels.append(lab)
            probs.append(p)
    return Labelled(text, spans, labels, probs)


def test_an_article_is_assembled_with_normalised_fields() -> None:
    lab = _labelled([
        ("Doe, J. and R. Roe ", "author", 0.99),
        ("(1999). ", "date", 0.98),
        ("A study of things. ", "title", 0.95),
        ("In: ", "other", 0.9),
        ("Journal of Stuff, ", "container", 0.9),
        ("vol. 12", "volume", 0.97),
        (" (3), ", "issue", 0.9),
        ("pp. 45 - 67.", "pages", 0.99),
    ])
    a = assemble(lab)
    f = a.fields
    assert [p.family for p in f.authors] == ["Doe", "Roe"]
    assert (f.date, f.title, f.container) == ("1999", "A study of things", "Journal of Stuff")
    assert (f.volume, f.issue, f.pages) == ("12", "3", "45-67")
    assert a.container_in
    assert a.confidence["title"] == 0.95 and a.confidence["authors"] == 0.99


def test_editors_lose_their_role_words() -> None:
    lab = _labelled([
        ("Title of the chapter, ", "title", 0.9),
        ("in ", "other", 0.9),
        ("K. Smith and L. Jones (eds.), ", "editor", 0.9),
        ("The Book, ", "container", 0.9),
        ("Berlin: ", "place", 0.9),
        ("Springer.", "publisher", 0.9),
    ])
    f = assemble(lab).fields
    assert [p.family for p in f.editors] == ["Smith", "Jones"]
    assert (f.place, f.publisher) == ("Berlin", "Springer")


def test_a_role_word_the_labeller_left_at_the_end_of_a_title_is_not_the_titles() -> None:
    lab = _labelled([
        ("Doe, J., ", "author", 0.9),
        ("Facts and Norms: Law and Democracy, tr. ", "title", 0.9),
        ("W. Rehg ", "translator", 0.9),
        ("(Cambridge, Mass.: ", "place", 0.9),
        ("MIT Press).", "publisher", 0.9),
    ])
    assert assemble(lab).fields.title == "Facts and Norms: Law and Democracy"
    lab = _labelled([("Doe, J., ", "author", 0.9), ("Letters to the Editor. ", "title", 0.9), ("1999.", "date", 0.9)])
    assert assemble(lab).fields.title == "Letters to the Editor"


def test_a_container_with_nothing_of_its_own_to_hold_is_the_works_title() -> None:
    lab = _labelled([("Volkov, ", "author", 0.9), ("*Rails against Rivers*, ", "container", 0.9), ("p. 130.", "pages", 0.9)])
    f = assemble(lab).fields
    assert (f.title, f.container, f.pages) == ("Rails against Rivers", None, "130")
    # a container with a date, a volume or "in" before it keeps its name
    lab = _labelled([("Roe, J. ", "author", 0.9), ("Phys. Rev. Lett. ", "container", 0.9), ("45", "volume", 0.9)])
    assert assemble(lab).fields.container == "Phys. Rev. Lett."
    lab = _labelled([("*The Times*, ", "container", 0.9), ("5 May 2010", "date", 0.9)])
    assert assemble(lab).fields.container == "The Times"
    lab = _labelled([("Roe, J., ", "author", 0.9), ("in ", "other", 0.9), ("Collected Essays, ", "container", 0.9),
                     ("p. 4.", "pages", 0.9)])
    assert assemble(lab).fields.container == "Collected Essays"


def test_a_bare_number_ending_a_short_form_is_its_page_not_a_volume() -> None:
    lab = _labelled([("Roe and Lee, ", "author", 0.9), ('"The Sources of Rivers," ', "title", 0.9), ("11", "volume", 0.5),
                     (".", "other", 0.9)])
    f = assemble(lab).fields
    assert (f.volume, f.pages) == (None, "11")
    # with a container, a volume word or more after it, the number stays a volume
    lab = _labelled([("Roe, ", "author", 0.9), ("Rivers, ", "title", 0.9), ("vol. 2", "volume", 0.9), (".", "other", 0.9)])
    assert assemble(lab).fields.volume == "2"
    lab = _labelled([("Roe, ", "author", 0.9), ("Rivers, ", "title", 0.9), ("Hydrology ", "container", 0.9),
                     ("11", "volume", 0.9)])
    assert assemble(lab).fields.volume == "11"


def test_an_italic_name_dated_to_the_day_is_the_periodical_of_an_untitled_item() -> None:
    lab = _labelled([("Ann Roe, ", "author", 0.9), ("*Daily Courier*, ", "title", 0.7), ("26 May 1993, ", "date", 0.9),
                     ("*Weekly Digest*, ", "container", 0.9), ("p. 16.", "pages", 0.9)])
    a = assemble(lab)
    assert (a.fields.title, a.fields.container, a.fields.date) == (None, "Daily Courier", "1993-05-26")
    assert a.confidence["container"] == 0.7 and "title" not in a.confidence
    # a book is dated by its year; a quoted title is the item's own; a name that is not italic is not judged
    for parts in (
        [("Ann Roe, ", "author", 0.9), ("*Daily Courier*, ", "title", 0.7), ("1993, ", "date", 0.9)],
        [("Ann Roe, ", "author", 0.9), ("“Daily Courier,” ", "title", 0.7), ("26 May 1993.", "date", 0.9)],
        [("Minutes of the Committee, ", "title", 0.7), ("14 March 1872, ", "date", 0.9), ("Archives.", "publisher", 0.9)],
    ):
        assert assemble(_labelled(parts)).fields.title is not None


def test_a_date_is_as_precise_as_written_when_its_day_went_to_the_words_before() -> None:
    lab = _labelled([("Station log, entry for February 30, ", "title", 0.4), ("1883, ", "date", 0.8),
                     ("County Archives.", "publisher", 0.9)])
    f = assemble(lab).fields
    assert (f.title, f.date) == ("Station log, entry for", "1883-02-30")
    # a year after a title that merely ends in a number stays a year
    lab = _labelled([("Songs of 1812, ", "title", 0.9), ("1990.", "date", 0.9)])
    assert assemble(lab).fields.date == "1990"


def test_quoted_title_is_unquoted_and_remembered() -> None:
    lab = _labelled([("A. Doe, ", "author", 0.9), ("“The title,” ", "title", 0.7), ("1999.", "date", 0.9)])
    a = assemble(lab)
    assert a.fields.title == "The title"
    assert a.title_quoted and a.quote_punct


def test_locator_normalisers_know_spanish_words() -> None:
    assert (issue("núm. 2,"), pages("págs. 233-260.")) == ("2", "233-260")


def test_locator_normalisers() -> None:
    assert volume("Vol. XXIII,") == "XXIII"
    assert volume("Bd. 4") == "4"
    assert issue("(Suppl. 2)") == "Suppl. 2"  # a supplement keeps its word, as the rules wrote it
    assert issue("no. 7") == "7"
    assert pages("pp. 1477-81.") == "1477-81"
    assert pages("S. 12 – 19") == "12–19"
    assert pages("p.") is None


def test_a_city_after_the_journal_is_its_place() -> None:
    lab = _labelled([("SOUZA, Maria. ", "author", 0.9), ("A pesca artesanal. ", "title", 0.9),
                     ("Revista de História, São Paulo, ", "container", 0.9), ("v. 35, ", "volume", 0.9),
                     ("2015.", "date", 0.9)])
    f = assemble(lab).fields
    assert (f.container, f.place) == ("Revista de História", "São Paulo")
    # a container that merely ends in a name, and one whose place is labelled, keep their names
    lab = _labelled([("Roe, J. ", "author", 0.9), ("Title. ", "title", 0.9), ("Journal of Studies, Ethics, ", "container", 0.9),
                     ("12.", "volume", 0.9)])
    assert assemble(lab).fields.container == "Journal of Studies, Ethics"


def test_the_by_after_an_editors_role_word_is_not_a_name() -> None:
    lab = _labelled([("Weber, Max: ", "author", 0.9), ("Wirtschaft und Gesellschaft. ", "title", 0.9),
                     ("Hrsg. v. Johannes Winckelmann. ", "editor", 0.9), ("Tübingen ", "place", 0.9), ("1972.", "date", 0.9)])
    assert [(p.family, p.given) for p in assemble(lab).fields.editors] == [("Winckelmann", "Johannes")]


def test_the_numero_sign_makes_a_volume_run_an_issue_and_an_issue_inside_a_volume_run_is_found() -> None:
    lab = _labelled([("Roe, J. ", "author", 0.9), ("Title. ", "title", 0.9), ("Journal. ", "container", 0.9),
                     ("2005. ", "date", 0.9), ("№ 3. ", "volume", 0.6), ("С. 45–67.", "pages", 0.9)])
    f = assemble(lab).fields
    assert (f.volume, f.issue, f.pages) == (None, "3", "45–67")
    lab = _labelled([("Roe, J. ", "author", 0.9), ("Title. ", "title", 0.9), ("Journal, ", "container", 0.9),
                     ("vol. 8, no. 7, ", "volume", 0.9), ("1999.", "date", 0.9)])
    assert (assemble(lab).fields.volume, assemble(lab).fields.issue) == ("8", "7")


def test_gost_double_slash_parts_the_work_from_its_host() -> None:
    lab = _labelled([("Roe J. ", "author", 0.9), ("Article on ports // Journal of History. ", "title", 0.7),
                     ("2010.", "date", 0.9)])
    f = assemble(lab).fields
    assert (f.title, f.container) == ("Article on ports", "Journal of History")


def test_a_lone_no_keeps_its_volume_as_the_labelled_sets_do() -> None:
    lab = _labelled([("Roe, J. ", "author", 0.9), ("Planning. ", "title", 0.9), ("Research Report ", "container", 0.9),
                     ("No. 125.", "volume", 0.9)])
    assert (assemble(lab).fields.volume, assemble(lab).fields.issue) == ("125", None)


def test_roman_volumes_left_at_the_end_of_a_title_are_its_volume() -> None:
    lab = _labelled([("L. Sala, ", "author", 0.99), ("Memorie venete, i - iii, ", "title", 0.9),
                     ("Venezia ", "place", 0.9), ("1801.", "date", 0.99)])
    f = assemble(lab).fields
    assert (f.title, f.volume) == ("Memorie venete", "i - iii")
    # a number there may be the title's own
    lab = _labelled([("L. Sala, ", "author", 0.99), ("Studi, 2, ", "title", 0.9), ("Venezia ", "place", 0.9),
                     ("1801.", "date", 0.99)])
    assert assemble(lab).fields.title == "Studi, 2"


def test_cit_is_no_part_of_a_title() -> None:
    lab = _labelled([("Conti, ", "author", 0.99), ("Le fornaci... cit., ", "title", 0.9), ("p. 12.", "pages", 0.99)])
    assert assemble(lab).fields.title == "Le fornaci"


def test_a_quoted_periodical_the_titles_run_kept_before_its_year_is_the_container() -> None:
    from verifier.citations.assemble import quoted_host

    lab = _labelled([("P. Neri, ", "author", 0.99), ("Il porto, “Archivio Veneto”, ", "title", 0.9),
                     ("1954.", "date", 0.99)])
    f = assemble(quoted_host(lab)).fields
    assert (f.title, f.container) == ("Il porto", "Archivio Veneto")
    lab = _labelled([("P. Neri, ", "author", 0.99), ("Il porto, “Archivio Veneto”, ", "title", 0.9),
                     ("Venezia.", "place", 0.99)])
    assert quoted_host(lab) == lab


def test_cit_leaves_a_container_and_a_container_marked_cit_without_in_is_the_title() -> None:
    lab = _labelled([("A. Neri, ", "author", 0.99), ("Le fornaci, ", "title", 0.9), ("in ", "other", 0.9),
                     ("Arti del fuoco, cit., ", "container", 0.9), ("p. 12.", "pages", 0.99)])
    f = assemble(lab).fields
    assert (f.title, f.container) == ("Le fornaci", "Arti del fuoco")
    lab = _labelled([("Memorie venete, cit., ", "container", 0.9), ("II, ", "volume", 0.9), ("p. 12.", "pages", 0.99)])
    f = assemble(lab).fields
    assert (f.title, f.container, f.volume) == ("Memorie venete", None, "II")


def test_a_host_after_in_that_the_titles_run_kept_is_the_container() -> None:
    lab = _labelled([("M. Neri, ", "author", 0.99), ("La leva marittima, in Storia di Chioggia, ", "title", 0.9),
                     ("Roma ", "place", 0.9), ("1991, ", "date", 0.99), ("pp. 4-9.", "pages", 0.99)])
    f = assemble(lab).fields
    assert (f.title, f.container) == ("La leva marittima", "Storia di Chioggia")
    # editors after "in" are no host
    lab = _labelled([("M. Neri, ", "author", 0.99), ("La leva, in Anna Rossi (dir.), Libro, ", "title", 0.9),
                     ("1991.", "date", 0.99)])
    assert assemble(lab).fields.container is None


def test_a_translator_sentence_after_the_title_is_no_part_of_it() -> None:
    lab = _labelled([("Aristotle. ", "author", 0.99), ("Poetics. Trans. W. D. Roe. ", "title", 0.9),
                     ("Oxford, ", "place", 0.9), ("1990.", "date", 0.99)])
    f = assemble(lab).fields
    assert (f.title, f.editors) == ("Poetics", ())


def test_a_thesis_mark_before_the_publisher_is_no_part_of_it() -> None:
    lab = _labelled([("Roe, J. ", "author", 0.99), ("2005. ", "date", 0.99), ("Deer teeth. ", "title", 0.9),
                     ("Thesis, University of Lund, ", "publisher", 0.9), ("Lund.", "place", 0.9)])
    assert assemble(lab).fields.publisher == "University of Lund"


def test_a_series_letter_and_its_volume_run_together_are_parted() -> None:
    lab = _labelled([("N. Roe, ", "author", 0.99), ("Form factors, ", "title", 0.9), ("Phys. Rev. D71 ", "container", 0.9),
                     ("(2005) ", "date", 0.99), ("014012.", "pages", 0.99)])
    f = assemble(lab).fields
    assert (f.container, f.volume) == ("Phys. Rev. D", "71")
    # a name that ends in a capital and a number without an abbreviation keeps it
    lab = _labelled([("N. Roe, ", "author", 0.99), ("Form factors, ", "title", 0.9), ("Annual Report B12 ", "container", 0.9),
                     ("(2005).", "date", 0.99)])
    assert assemble(lab).fields.container == "Annual Report B12"
