"""tools/parser_data.py: each source's labels normalised to our field model before training and scoring."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from tests.scripts import load_script


@pytest.fixture(scope="module")
def pd() -> Any:
    return load_script("parser_data_under_test", "tools/parser_data.py")


def spans(text: str, *parts: tuple[str, str]) -> list[tuple[int, int, str]]:
    """Character spans of ``parts`` (substring, label), found in order in ``text``."""
    out, pos = [], 0
    for sub, label in parts:
        start = text.index(sub, pos)
        out.append((start, start + len(sub), label))
        pos = start + len(sub)
    return out


def fields(ex: Any) -> list[tuple[str, str]]:
    return [(ex.raw[s:e], label) for s, e, label in ex.gold if label != "other"]


def test_a_linkedbooks_journal_number_and_year_become_volume_issue_and_date(pd: Any) -> None:
    raw = "Rossi Anna, Le mura, in «Studi urbani», anno LXIX, nn. 1 - 2, 1983, pp. 19 - 58."
    ex = pd.example("linkedbooks-train", raw, spans(
        raw, ("Rossi Anna,", "author"), ("Le mura,", "title"), ("in", "other"), ("«Studi urbani»,", "container"),
        ("anno LXIX, nn. 1 - 2, 1983,", "other"), ("pp. 19 - 58.", "pages")))
    assert fields(ex)[3:] == [("anno LXIX", "volume"), ("nn. 1 - 2", "issue"), ("1983", "date"),
                              ("pp. 19 - 58.", "pages")]
    by_token = {raw[s:e]: label for (s, e), label in zip(ex.spans, ex.labels, strict=True)}
    assert by_token["LXIX"] == "volume" and by_token["1983"] == "date"


def test_a_series_number_is_no_volume_and_ocr_roman_numerals_count(pd: Any) -> None:
    raw = "Neri P., I porti, in «Archivio», s. IV, Vili (1892), pp. 1 - 43."
    ex = pd.example("linkedbooks-train", raw, spans(
        raw, ("Neri P.,", "author"), ("I porti,", "title"), ("in", "other"), ("«Archivio»,", "container"),
        ("s. IV, Vili (1892),", "other"), ("pp. 1 - 43.", "pages")))
    assert ("Vili", "volume") in fields(ex) and ("1892", "date") in fields(ex)
    assert not any(text == "IV" for text, _ in fields(ex))


def test_an_unlabelled_archival_locator_stays_unlabelled(pd: Any) -> None:
    raw = "Bianchi L., Lettere, b. 12, fasc. 3."
    ex = pd.example("linkedbooks-train", raw, spans(
        raw, ("Bianchi L.,", "author"), ("Lettere,", "title"), ("b. 12, fasc. 3.", "other")))
    assert fields(ex) == [("Bianchi L.,", "author"), ("Lettere,", "title")]


def test_other_sources_keep_their_unlabelled_numbers(pd: Any) -> None:
    raw = "Doe J., A study, Journal, 12, 1999."
    ex = pd.example("anystyle-extra", raw, spans(
        raw, ("Doe J.,", "author"), ("A study,", "title"), ("Journal,", "container"), ("12, 1999.", "other")))
    assert [label for _, label in fields(ex)] == ["author", "title", "container"]


def test_an_author_with_a_role_word_is_an_editor_but_capital_initials_are_no_role(pd: Any) -> None:
    raw = "Verdi Maria (a cura di), Atti del convegno, Padova 1990."
    ex = pd.example("linkedbooks-train", raw, spans(
        raw, ("Verdi Maria (a cura di),", "author"), ("Atti del convegno,", "title"), ("Padova", "location"),
        ("1990.", "date")))
    assert fields(ex)[0] == ("Verdi Maria (a cura di),", "editor")
    raw = "Jones ED, Vane D, Weber TR. Growth. Cell 1990;4:1-2."
    ex = pd.example("grobid-citation", raw, spans(raw, ("Jones ED, Vane D, Weber TR", "author")))
    assert fields(ex)[0][1] == "author"


def test_words_a_title_took_from_its_neighbour_go_back(pd: Any) -> None:
    raw = "Conti G., Storia del porto, in «Rivista», 7."
    ex = pd.example("linkedbooks-train", raw, spans(
        raw, ("Conti G.,", "author"), ("Storia del porto, in", "title"), ("«Rivista»,", "container")))
    assert ("Storia del porto", "title") in fields(ex)
    raw = "Conti G., Storia del porto, pp. 177 - 179."
    ex = pd.example("linkedbooks-train", raw, spans(
        raw, ("Conti G.,", "author"), ("Storia del porto, pp.", "title"), ("177 - 179.", "pages")))
    assert fields(ex)[1:] == [("Storia del porto", "title"), ("pp. 177 - 179.", "pages")]


def test_a_place_the_source_labels_elsewhere_leaves_the_title(pd: Any) -> None:
    raw = "Conti G., Storia del porto, Vene - zia 1990."
    parts = (("Conti G.,", "author"), ("Storia del porto, Vene - zia", "title"), ("1990.", "date"))
    ex = pd.example("linkedbooks-train", raw, spans(raw, *parts), frozenset({"venezia"}))
    assert fields(ex)[1:] == [("Storia del porto", "title"), ("Vene - zia", "place"), ("1990.", "date")]
    unknown = pd.example("linkedbooks-train", raw, spans(raw, *parts), frozenset({"milano"}))
    assert ("Storia del porto, Vene - zia", "title") in fields(unknown)


def test_a_title_that_kept_its_quoted_container_is_split(pd: Any) -> None:
    raw = "Neri P., Del porto di Malta, in “Nuovo archivio”, 4 (1892), pp. 101 - 102;"
    ex = pd.example("linkedbooks-train", raw, spans(
        raw, ("Neri P.,", "author"), ("Del porto di Malta, in “Nuovo archivio”,", "title"), ("4 (1892),", "other"),
        ("pp. 101 - 102;", "pages")))
    assert fields(ex) == [("Neri P.,", "author"), ("Del porto di Malta", "title"), ("“Nuovo archivio”,", "container"),
                          ("4", "volume"), ("1892", "date"), ("pp. 101 - 102;", "pages")]


def test_a_volume_at_the_end_of_a_container_is_the_volume_but_a_year_stays(pd: Any) -> None:
    raw = "Neri P., Gli eserciti, in Storia del mondo, VIII, Milano 1969."
    ex = pd.example("linkedbooks-train", raw, spans(
        raw, ("Neri P.,", "author"), ("Gli eserciti,", "title"), ("in", "other"), ("Storia del mondo, VIII,", "container"),
        ("Milano", "location"), ("1969.", "date")))
    assert ("Storia del mondo", "container") in fields(ex) and ("VIII", "volume") in fields(ex)
    raw = "Neri P., Violence, in Italian Cities, 1200 - 1500, Milano 1969."
    ex = pd.example("linkedbooks-train", raw, spans(
        raw, ("Neri P.,", "author"), ("Violence,", "title"), ("in", "other"), ("Italian Cities, 1200 - 1500,", "container"),
        ("Milano", "location"), ("1969.", "date")))
    assert ("Italian Cities, 1200 - 1500,", "container") in fields(ex)


def test_a_quoted_title_that_kept_its_journal_is_split(pd: Any) -> None:
    raw = "Roe, A. “Bridges in the Fog.” Harbour and City 12 (1931): 3 - 26."
    ex = pd.example("linkedbooks-train", raw, spans(
        raw, ("Roe, A.", "author"), ("“Bridges in the Fog.” Harbour and City", "title"), ("12 (1931):", "other"),
        ("3 - 26.", "pages")))
    assert [(t.strip(), lab) for t, lab in fields(ex)] == [
        ("Roe, A.", "author"), ("“Bridges in the Fog.”", "title"), ("Harbour and City", "container"),
        ("12", "volume"), ("1931", "date"), ("3 - 26.", "pages")]


@pytest.mark.parametrize("title", [
    "“In the Garden,” In Flowers and Trees",  # "In …": the container rule of its own
    "“The Garden,” Trans. by Ann Roe",  # a role, not a journal
    "“The Garden” and other stories",  # lower case: the title goes on
])
def test_a_quotation_followed_by_other_words_stays_the_title(pd: Any, title: str) -> None:
    raw = f"Roe, A. {title}, 1931."
    ex = pd.example("anystyle-extra", raw, spans(raw, ("Roe, A.", "author"), (title, "title"), ("1931", "date")))
    assert ("title" in [lab for _t, lab in fields(ex)]) and "container" not in [lab for _t, lab in fields(ex)]


# --- the hand-written note-style citations (tools/data/notes.txt) ---


def test_markup_gives_the_raw_text_its_spans_and_other_between_them(pd: Any) -> None:
    raw, spans = pd.parse_markup("12. See ⟦author|Jane Q. Doe,⟧ ⟦title|*Rivers*⟧ ⟦date|(1999),⟧ ⟦pages|45.⟧")
    assert raw == "12. See Jane Q. Doe, *Rivers* (1999), 45."
    assert [(raw[s:e], label) for s, e, label in spans] == [
        ("12. See", "other"), ("Jane Q. Doe,", "author"), ("*Rivers*", "title"), ("(1999),", "date"),
        ("45.", "pages")]


def test_a_notes_line_becomes_an_example_with_other_outside_the_markup(pd: Any, tmp_path: Any) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("# a heading\n\n3 Cf. ⟦author|Doe,⟧ ⟦title|*Rivers*,⟧ ⟦pages|pp. 3–4.⟧\n", encoding="utf-8")
    [ex] = pd.load_notes(path)
    assert ex.source == "notes" and ex.raw == "3 Cf. Doe, *Rivers*, pp. 3–4."
    by_token = [(ex.raw[s:e], label) for (s, e), label in zip(ex.spans, ex.labels, strict=True)]
    assert by_token[:3] == [("3", "other"), ("Cf", "other"), (".", "other")]
    assert ("Doe", "author") in by_token and ("Rivers", "title") in by_token
    assert ("pp", "pages") in by_token and ("4", "pages") in by_token
    assert fields(ex) == [("Doe,", "author"), ("*Rivers*,", "title"), ("pp. 3–4.", "pages")]


@pytest.mark.parametrize(("line", "message"), [
    ("⟦author|Doe, *Rivers*, 4.", "not closed"),
    ("Doe⟧, *Rivers*, 4.", "without its"),
    ("⟦author|Doe, ⟦title|*Rivers*⟧, 4.", "not closed before the next"),
    ("⟦writer|Doe,⟧ *Rivers*, 4.", "unknown label 'writer'"),
    ("⟦author Doe,⟧ *Rivers*, 4.", "no '|'"),
    ("⟦author| Doe,⟧ *Rivers*, 4.", "space"),
    ("Ibid.", "no labelled span"),
])
def test_bad_markup_is_refused_with_its_line_number(pd: Any, tmp_path: Any, line: str, message: str) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(f"# heading\n⟦author|Roe,⟧ ⟦pages|12.⟧\n{line}\n", encoding="utf-8")
    with pytest.raises(pd.MarkupError, match=f"notes.txt:3: .*{message}"):
        pd.load_notes(path)


def test_the_notes_split_does_not_move_a_line_when_lines_are_added(pd: Any, tmp_path: Any) -> None:
    lines = [f"{n}. ⟦author|Writer {n},⟧ ⟦title|*Book {n}*,⟧ ⟦pages|{n}.⟧" for n in range(1, 60)]
    path = tmp_path / "notes.txt"
    path.write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")
    train, dev = pd.notes_split(pd.load_notes(path))
    path.write_text("\n".join(lines[45:] + lines[:40][::-1]) + "\n", encoding="utf-8")  # more lines, new order
    train2, dev2 = pd.notes_split(pd.load_notes(path))
    assert {x.raw for x in train} <= {x.raw for x in train2} and {x.raw for x in dev} <= {x.raw for x in dev2}
    assert dev and train and not {x.raw for x in train2} & {x.raw for x in dev2}


def test_every_line_of_the_notes_file_loads_with_known_labels(pd: Any) -> None:
    from verifier.citations.labeller import LABELS

    notes = pd.load_notes()
    assert len(notes) >= 250
    repeated = [raw for raw, n in Counter(x.raw for x in notes).items() if n > 1]
    assert not repeated, repeated  # a line written twice would count twice in training
    for ex in notes:
        assert any(label != "other" for label in ex.labels), ex.raw
        assert set(ex.labels) <= set(LABELS), ex.raw
    train, dev = pd.notes_split(notes)
    assert len(notes) / 8 < len(dev) < len(notes) / 3


def test_splits_yield_the_notes_after_the_public_sets(pd: Any, tmp_path: Any, monkeypatch: Any) -> None:
    (tmp_path / "tiny.spans.jsonl").write_text(
        '{"raw": "Doe, J. 1999. Rivers.", "spans": [[0, 7, "author"], [8, 13, "date"], [14, 21, "title"]]}\n',
        encoding="utf-8")
    monkeypatch.setattr(pd, "SOURCES", ("tiny",))
    out = [(source, len(train) + len(dev)) for source, train, dev in pd.splits(tmp_path)]
    assert out == [("tiny", 1), ("notes", len(pd.load_notes()))]


def _labels(got: list[tuple[str, str]]) -> list[str]:
    return [label for _, label in got]


# Label rules: (source, the string, its spans as the source labels them, what must hold of the normalised spans).
LABEL_RULES = [
    pytest.param("anystyle-extra",
                 "Wocken, Hans (1982): Freizeit. In: Kerkhoff, W. (Hrsg.): Freizeitchancen. Berlin: Marhold, S. 197-248",
                 [("Wocken, Hans", "author"), ("(1982):", "date"), ("Freizeit.", "title"),
                  ("In: Kerkhoff, W. (Hrsg.):", "editor"), ("Freizeitchancen.", "title"), ("Berlin:", "location"),
                  ("Marhold,", "publisher"), ("S. 197-248", "pages")],
                 lambda got: ("Freizeitchancen.", "container") in got and ("Freizeit.", "title") in got,
                 id="a second title after In is the container"),
    pytest.param("anystyle-extra", "Roe, J. A Book. Another Title. London: Press, 1999.",
                 [("Roe, J.", "author"), ("A Book.", "title"), ("Another Title.", "title"), ("London:", "location"),
                  ("Press,", "publisher"), ("1999.", "date")],
                 lambda got: _labels(got).count("title") == 2,
                 id="without In two titles stay titles"),
    pytest.param("anystyle-extra", "Hale AB. Walking and sleep. J Sleep Res. 2000;355(9222):1-9.",
                 [("Hale AB.", "author"), ("Walking and sleep.", "title"), ("J Sleep Res.", "container"),
                  ("2000;355(9222):", "volume"), ("1-9.", "pages")],
                 lambda got: got[2:] == [("J Sleep Res.", "container"), ("2000", "date"), ("355", "volume"),
                                         ("(9222):", "issue"), ("1-9.", "pages")],
                 id="a Vancouver year labelled with the volume is the date"),
    pytest.param("anystyle-extra", "Hale AB. Walking. Sleep. Jan 15 2014;120: 278-85.",
                 [("Hale AB.", "author"), ("Walking.", "title"), ("Sleep.", "container"),
                  ("Jan 15 2014;120:", "volume"), ("278-85.", "pages")],
                 lambda got: ("Jan 15 2014", "date") in got and ("120:", "volume") in got,
                 id="a Vancouver date with its month and day"),
    pytest.param("anystyle-extra", "Lund, Ada (1990) River Towns of the North London: Harbour Press",
                 [("Lund, Ada", "author"), ("(1990)", "date"), ("River Towns of the North", "container"),
                  ("London:", "location"), ("Harbour Press", "publisher")],
                 lambda got: ("River Towns of the North", "title") in got and "container" not in _labels(got),
                 id="a book labelled as a container without a title is the title"),
    pytest.param("grobid-citation", "R. Lund, J. Chem. Rev. 3163 (1931).",
                 [("R. Lund,", "author"), ("J. Chem. Rev.", "container"), ("3163", "pages"), ("(1931).", "date")],
                 lambda got: ("J. Chem. Rev.", "container") in got,
                 id="a journal cited by its name alone stays the container"),
    pytest.param("anystyle-core", "In Lund, A. (Ed.), Proceedings of the Tenth Workshop. Oslo.",
                 [("In Lund, A. (Ed.),", "editor"), ("Proceedings of the Tenth Workshop.", "container"),
                  ("Oslo.", "location")],
                 lambda got: ("Proceedings of the Tenth Workshop.", "container") in got,
                 id="a book after In stays the container"),
    pytest.param("linkedbooks-train", "Neri Paola, «Le fornaci», in Arti del fuoco, Padova 1980.",
                 [("Neri Paola,", "author"), ("«Le fornaci»,", "container"), ("in", "other"),
                  ("Arti del fuoco,", "container"), ("Padova", "location"), ("1980.", "date")],
                 lambda got: got[1:3] == [("«Le fornaci»,", "title"), ("Arti del fuoco,", "container")],
                 id="a quoted work labelled as a container before in and its host is the title"),
    pytest.param("linkedbooks-train", "Neri Paola, «Le fornaci», Anna Rossi (dir.), Arti del fuoco, Padova 1980.",
                 [("Neri Paola,", "author"), ("«Le fornaci»,", "container"), ("Anna Rossi (dir.),", "editor"),
                  ("Arti del fuoco,", "title"), ("Padova", "location"), ("1980.", "date")],
                 lambda got: ("«Le fornaci»,", "title") in got and ("Arti del fuoco,", "container") in got,
                 id="a quoted work labelled as a container before its host's editors is the title"),
    pytest.param("linkedbooks-train",
                 "G. Neri, Le saline, in Storia di Chioggia, a cura di P. Rossi, Padova 1980, pp. 3 - 9.",
                 [("G. Neri,", "author"), ("Le saline, in Storia di Chioggia,", "title"),
                  ("a cura di P. Rossi,", "author"), ("Padova", "location"), ("1980,", "date"), ("pp. 3 - 9.", "pages")],
                 lambda got: got[1:3] == [("Le saline", "title"), ("Storia di Chioggia,", "container")],
                 id="a host after in inside a title is the container"),
    pytest.param("linkedbooks-train", "G. Neri, Le saline, in",
                 [("G. Neri,", "author"), ("Le saline, in", "title")],
                 lambda got: got == [("G. Neri,", "author"), ("Le saline", "title")],
                 id="a title ending in in loses the in"),
    pytest.param("anystyle-extra", "Roe A. Variants found in ABC1 and XYZ2 in patients. Gene Res. 2008;4:1-9.",
                 [("Roe A.", "author"), ("Variants found in", "title"), ("XYZ2 in patients.", "title"),
                  ("Gene Res.", "container")],
                 lambda got: ("Variants found in", "title") in got,
                 id="a title's own in before an unlabelled run stays"),
    pytest.param("anystyle-extra", "Neri C. (2000) : “Saline”, in : Rossi Bianchi M., Verdi R. ed., Libro, Venezia.",
                 [("Neri C.", "author"), ("(2000)", "date"), (": “Saline”, in : Rossi Bianchi", "title"),
                  ("M., Verdi R. ed.,", "editor"), ("Libro,", "title"), ("Venezia.", "location")],
                 lambda got: "container" not in _labels(got[:3]),
                 id="names after in inside a title are no container"),
    pytest.param("linkedbooks-train", "A. Neri, «Saline», in Paola Rossi (dir.), Libro, Venezia 1990.",
                 [("A. Neri,", "author"), ("«Saline», in Paola Rossi (dir.), Libro,", "title"), ("Venezia", "location"),
                  ("1990.", "date")],
                 lambda got: _labels(got).count("container") == 0,
                 id="an editor's name after in inside a title is no container"),
    pytest.param("linkedbooks-train", "Conti, Storia del porto... cit., p. 12.",
                 [("Conti,", "author"), ("Storia del porto... cit.,", "title"), ("p. 12.", "pages")],
                 lambda got: ("Storia del porto...", "title") in got,
                 id="cit leaves the title"),
    pytest.param("linkedbooks-train", "P. Neri, Il porto, “Archivio Veneto”, XII, 1954.",
                 [("P. Neri,", "author"), ("Il porto, “Archivio Veneto”,", "title"), ("XII, 1954.", "other")],
                 lambda got: got[1:3] == [("Il porto", "title"), ("“Archivio Veneto”,", "container")],
                 id="a quoted periodical after the title before its volume is the container"),
    pytest.param("linkedbooks-train", "D. Neri, Estimi, “case e orti”, Verona 1994.",
                 [("D. Neri,", "author"), ("Estimi, “case e orti”,", "title"), ("Verona", "location"),
                  ("1994.", "date")],
                 lambda got: ("Estimi, “case e orti”,", "title") in got,
                 id="a quotation before a place is the title's own"),
    pytest.param("linkedbooks-train", "G. Neri, Storia del porto, II, Padova 1970, p. 45.",
                 [("G. Neri,", "author"), ("Storia del porto, II,", "title"), ("Padova", "location"), ("1970,", "date"),
                  ("p. 45.", "pages")],
                 lambda got: got[1:3] == [("Storia del porto", "title"), ("II", "volume")],
                 id="a Roman volume after a title's last comma is the volume"),
    *(pytest.param("linkedbooks-train", f"G. Neri, Storia del porto, {tail}, Padova 1970.",
                   [("G. Neri,", "author"), (f"Storia del porto, {tail},", "title"), ("Padova", "location"),
                    ("1970.", "date")],
                   lambda got, tail=tail: (f"Storia del porto, {tail},", "title") in got,
                   id=f"a bare number or years after the comma stays the title's ({tail})")
      for tail in ("2", "1840-1903")),
    pytest.param("linkedbooks-train", "A. Neri, Le fornaci, in Arti del fuoco cit., p. 12.",
                 [("A. Neri,", "author"), ("Le fornaci,", "title"), ("in", "other"),
                  ("Arti del fuoco cit.,", "container"), ("p. 12.", "pages")],
                 lambda got: ("Arti del fuoco", "container") in got,
                 id="cit leaves a container"),
    pytest.param("linkedbooks-train", "Conti, Il porto... cit., pp. 5, 7.",
                 [("Conti,", "author"), ("Il porto... cit., pp.", "title"), ("5, 7.", "pages")],
                 lambda got: got[1:] == [("Il porto...", "title"), ("pp. 5, 7.", "pages")],
                 id="cit leaves a title that gave its page word to the pages"),
    pytest.param("linkedbooks-train", "Atti del convegno, a cura di M. Neri, Padova 1990.",
                 [("Atti del convegno, a", "title"), ("cura di M. Neri,", "editor"), ("Padova", "location"),
                  ("1990.", "date")],
                 lambda got: got[:2] == [("Atti del convegno,", "title"), ("a cura di M. Neri,", "editor")],
                 id="the a of a cura di belongs to the editor"),
    pytest.param("anystyle-core", "Roe A. Walking. Gait Res [Internet]. 2001;3(2):1-9.",
                 [("Roe A.", "author"), ("Walking.", "title"), ("Gait Res [Internet].", "container"),
                  ("2001;3(2):", "volume"), ("1-9.", "pages")],
                 lambda got: ("Gait Res", "container") in got,
                 id="a medium after a journal's name leaves the container"),
    pytest.param("linkedbooks-train", "Neri, A., ‘Le saline di Chioggia’, Studi Veneti, XIV (1935), p. 19.",
                 [("Neri, A.,", "author"), ("‘Le saline di Chioggia’, Studi Veneti,", "title"), ("XIV (1935),", "other"),
                  ("p. 19.", "pages")],
                 lambda got: got[1:3] == [("‘Le saline di Chioggia’", "title"), ("Studi Veneti,", "container")],
                 id="a single-quoted title then a periodical before its volume is split"),
]


@pytest.mark.parametrize(("source", "raw", "given", "holds"), LABEL_RULES)
def test_label_rules(pd: Any, source: str, raw: str, given: list[tuple[str, str]],
                     holds: Callable[[list[tuple[str, str]]], bool]) -> None:
    got = fields(pd.example(source, raw, spans(raw, *given)))
    assert holds(got), got
