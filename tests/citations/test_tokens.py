"""Tokens and features of the learned parser (verifier/citations/tokens.py) and its lexicon files."""

from __future__ import annotations

from importlib import resources

from verifier.citations.tokens import (
    FLAGS,
    N_FLAGS,
    features,
    lexicons,
    role_hints,
    role_of,
    role_words_re,
    shape,
    tokenise,
)


def _toks(text: str) -> list[str]:
    return [text[s:e] for s, e in tokenise(text)]


def test_urls_and_dois_are_one_token_each() -> None:
    text = "Smith, J. Title. https://example.org/a/b?x=1, doi 10.1000/xyz-12.3."
    toks = _toks(text)
    assert "https://example.org/a/b?x=1" in toks
    assert "10.1000/xyz-12.3" in toks


def test_words_and_punctuation_split() -> None:
    assert _toks("Doe, J. (1999), 12–15.") == ["Doe", ",", "J", ".", "(", "1999", ")", ",", "12", "–", "15", "."]


def test_shapes() -> None:
    assert shape("Smith") == "Xxx"
    assert shape("1999") == "dddd"
    assert shape("IEEE") == "XX"


def test_flags_mark_quotes_years_roles_and_italics() -> None:
    text = 'A. Doe (ed.), “Some title,” *Journal*, 1999'
    spans = tokenise(text)
    f = features(text, spans)
    toks = [text[s:e] for s, e in spans]

    def flags(tok: str) -> set[str]:
        return {FLAGS[i] for i in f.flags[toks.index(tok)]}

    assert "year" in flags("1999")
    assert "role" in flags("ed")
    assert "in_quotes" in flags("Some")
    assert "in_italics" in flags("Journal")
    assert "initial" in flags("A")
    assert all(0 <= i < N_FLAGS for fl in f.flags for i in fl)


def test_role_words_are_one_shared_vocabulary() -> None:
    assert role_of("Hrsg.") == "editor"
    assert role_of("eds") == "editor"
    assert role_of("trans.") == "translator"
    assert role_of("Smith") is None


def test_lexicon_files_have_no_repeated_entries() -> None:
    lex = lexicons()
    assert "press" in lex.publisher and "journal" in lex.journal and "december" in lex.month
    for name in ("publisher-words.txt", "journal-words.txt", "access-words.txt"):
        text = resources.files("verifier.citations").joinpath("data", name).read_text(encoding="utf-8")
        words = [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]
        assert len(words) == len(set(words)), name


def test_locator_words_are_one_vocabulary_for_features_and_assembly() -> None:
    from verifier.citations.assemble import issue, pages, volume

    for name in ("roles.txt", "locator-words.txt"):
        text = resources.files("verifier.citations").joinpath("data", name).read_text(encoding="utf-8")
        words = [line.split("\t")[1] for line in text.splitlines() if line and not line.startswith("#")]
        assert len(words) == len(set(words)), name
    assert (volume("Bd. 4"), issue("Heft 2"), pages("Seiten 3-9")) == ("4", "2", "3-9")


def test_role_patterns_are_built_from_the_one_role_lexicon() -> None:
    import re

    editors = re.compile(rf"\((?:{role_words_re('editor')})\.?\)", re.IGNORECASE)
    for word, role in lexicons().role.items():
        assert bool(editors.fullmatch(f"({word}.)")) is (role == "editor"), word
        # the cheap test before a pattern never rules out a role word
        assert any(h in word for h in role_hints("editor", "translator")), word
    assert editors.fullmatch("(Hrsg.)") and not editors.fullmatch("(trans.)")


def test_the_place_flag_marks_gazetteer_names_of_one_or_more_words() -> None:
    text = "Roe, A. Harbours. Buenos Aires; St. Petersburg: Port Press, in Massachusetts, 1999."
    spans = tokenise(text)
    f = features(text, spans)
    marked = [text[s:e] for (s, e), fl in zip(spans, f.flags, strict=True) if FLAGS.index("place") in fl]
    assert marked == ["Buenos", "Aires", "St", ".", "Petersburg", "Massachusetts"]  # not "in" (Indiana's "IN")


def test_the_gazetteer_is_one_data_file_of_cities_countries_and_regions() -> None:
    from verifier.citations import locators

    places = lexicons().place
    assert {"paris", "dushanbe", "bishkek", "tashkent", "ouagadougou"} <= places["city"]  # every capital, not a few
    assert {"georgia"} <= places["country"] & places["region"]  # a name may be of two kinds
    assert locators.is_place("Ouagadougou") and locators.is_place("New York, NY")
    text = resources.files("verifier.citations").joinpath("data", "places.txt").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert len(rows) == len(set(rows))
    assert {row.split("\t")[0] for row in rows} == {"city", "country", "region"}
