"""URL finding and the repair of URLs broken by text extraction."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.citations.urls import damage, find_urls, join_lines


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            ["Khovar, 2015, http://www.khovar.tj/eng/content/islamic-renaissance-party-", "tajikistan-declared."],
            "http://www.khovar.tj/eng/content/islamic-renaissance-party-tajikistan-declared",
            id="real-hyphen-kept",
        ),
        pytest.param(
            ["2013, http://www.mid.ru/BDOMP/Brp_4.nsf/arh/0E15?Ope", "nDocument."],
            "http://www.mid.ru/BDOMP/Brp_4.nsf/arh/0E15?OpenDocument",
            id="mid-word-break",
        ),
        pytest.param(["ASIA-Plus, http://news.tj/en/", "news/exercise-regional."], "http://news.tj/en/news/exercise-regional", id="after-slash"),
        pytest.param(["REGNUM, http://www.regnum.ru/news/17533343.", "html#ixzz2s4fyQ1Ta."], "http://www.regnum.ru/news/17533343.html#ixzz2s4fyQ1Ta", id="after-dot"),
        pytest.param(["AKIpress, http://www.akipress.com/news:", "546870/."], "http://www.akipress.com/news:546870/", id="after-colon"),
        pytest.param(
            ["http://jarayon.com/ru/index.php/2012-04-03-17-13-06/", "", "item/347-rasstrel-", "davnosti; “Tadzhiksko-kirgizskii konflikt"],
            "http://jarayon.com/ru/index.php/2012-04-03-17-13-06/item/347-rasstrel-davnosti",
            id="across-blank-lines-then-prose",
        ),
    ],
)
def test_broken_urls_are_rejoined(lines, expected):
    text = join_lines(lines)
    assert [u for _, _, u in find_urls(text)][0] == expected


def test_next_note_is_not_taken_for_url_continuation():
    text = join_lines(["BBC, 2011, http://www.bbc.co.uk/news/world-asia-pacific-12180567.", "11 Steven Parham, “Title,”"])
    assert [u for _, _, u in find_urls(text)] == ["http://www.bbc.co.uk/news/world-asia-pacific-12180567"]
    assert "12180567. 11 Steven" in text


def test_prose_after_cut_url_is_not_joined():
    text = join_lines(["Dushanbe, http://news.tj/en/news/russian-ambassador-warns-afghan-", "means that Tajikistan’s role"])
    url = find_urls(text)[0][2]
    assert url == "http://news.tj/en/news/russian-ambassador-warns-afghan-"
    assert damage(url) and "cut off" in damage(url)


def test_prose_hyphenation_is_undone_and_numbers_rejoined():
    assert join_lines(["the Tajik Su-", "preme Court"]) == "the Tajik Supreme Court"
    assert join_lines(["ISBN 978-91-7-", "000001-2."]) == "ISBN 978-91-7-000001-2."
    assert join_lines(["Gorno-", "Badakhshan"]) == "Gorno-Badakhshan"  # capital: a real hyphen, kept


def test_keep_hyphen_callback_decides_real_compounds():
    assert join_lines(["thirty-", "percent"], keep_hyphen=lambda a, b: True) == "thirty-percent"


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        pytest.param("see http://tass.ru/en/world/768706.The cooperation", ["http://tass.ru/en/world/768706"], id="glued-sentence"),
        pytest.param("at www.srjis.com.", ["http://www.srjis.com"], id="www-gets-scheme"),
        pytest.param("(http://a.example/x_(y)).", ["http://a.example/x_(y)"], id="balanced-parentheses"),
        pytest.param("“http://a.example/b,” Kommersant", ["http://a.example/b"], id="closing-quote"),
        pytest.param("email me at me@example.org", [], id="no-email"),
    ],
)
def test_find_urls(text, urls):
    assert [u for _, _, u in find_urls(text)] == urls


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://www.novgaz.com/index.php/2-news/529-\ufffd\ufffd", "U+FFFD"),
        ("http://news.tj/en/news/warns-afghan-", "cut off"),
        ("http://localhost_/x", "host"),
        ("http://nodot/x", "host"),
    ],
)
def test_damage(url, problem):
    assert problem in (damage(url) or "")


def test_sound_url_has_no_damage():
    assert damage("https://www.hrw.org/news/2014/06/25qa-human-fallout") is None


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        pytest.param("see https://github.com/RocketChat/Rocket.Chat.Electron for it",
                     ["https://github.com/RocketChat/Rocket.Chat.Electron"], id="dotted-name-with-capitals"),
        pytest.param("at www.example-life.Com today", ["http://www.example-life.Com"], id="capital-in-host"),
        pytest.param("at https://x.org/a/768706.The cooperation", ["https://x.org/a/768706"], id="glued-sentence"),
        pytest.param("at https://x.org/report.pdf.The cooperation", ["https://x.org/report.pdf"],
                     id="glued-sentence-after-extension"),
        pytest.param("راجع https://example.org/page، ثم", ["https://example.org/page"], id="arabic-comma"),
        pytest.param("راجع https://example.org/page؛ ثم", ["https://example.org/page"], id="arabic-semicolon"),
        pytest.param("https://example.org/wiki/Foo[dead link] more", ["https://example.org/wiki/Foo"],
                     id="dead-link-tag-glued"),
        pytest.param("https://example.org/q?a[]=1 x", ["https://example.org/q?a[]=1"], id="closed-bracket-kept"),
        pytest.param(r"url = {http://a.org/x\_y\&z=1},", ["http://a.org/x_y&z=1"], id="tex-escapes-in-bib-url"),
    ],
)
def test_url_boundaries(text, urls):
    assert [u for _, _, u in find_urls(text)] == urls


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(["Code at https://example.org/someone/latex-paper", "1 Introduction"],
                     "Code at https://example.org/someone/latex-paper 1 Introduction", id="section-number"),
        pytest.param(["Code at https://example.org/someone/latex-paper", "2.1", "Method"],
                     "Code at https://example.org/someone/latex-paper 2.1 Method", id="subsection-number-alone"),
        pytest.param(["see https://example.org/article/", "12345"], "see https://example.org/article/12345",
                     id="number-after-slash-continues"),
    ],
)
def test_a_section_number_on_the_next_line_is_not_glued_to_a_url(lines, expected):
    assert join_lines(lines) == expected


_PIECES = ["http://", "https://", "ftp://", "HTTP://", "www.", "a", "Z", "0", "-", "_", ".", "..", ":", ":80", "@",
           "/", "?", "#", " ", "\t", "\n", "\u00a0", "\ufffd", "[", "]", "é", "\u212a", "com", "x.io", "\\", "%2F"]


def _full_damage(url: str) -> str | None:
    """``damage`` without its quick acceptance of sound URLs (urllib parses every one)."""
    import re

    from verifier.citations import urls

    quick, urls._SOUND = urls._SOUND, re.compile(r"(?!)")
    try:
        return urls.damage(url)
    finally:
        urls._SOUND = quick


@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
@settings(max_examples=3000, deadline=None)
def test_damage_s_quick_acceptance_agrees_with_the_full_check(url: str) -> None:
    assert damage(url) == _full_damage(url)


@pytest.mark.parametrize("url", ["http://a.b/", "http://a.b:/x", "http://a.b:99999", "http://a/b", "http://a.b./",
                                 "http://.a.b/", "http://a.b\t/x", "http://a.b/x\ny", "http://a_b.c/", "http://é.com/",
                                 "http://[::1]/", "http://u@a.b/", "http://a.b/-x"])
def test_damage_s_quick_acceptance_agrees_on_edges(url: str) -> None:
    assert damage(url) == _full_damage(url)


def test_a_hyphen_ends_a_url_as_its_own_unless_the_line_breaks_after_it() -> None:
    assert damage("https://example.org/gfm/#task-list-items-extension-", ends_line=False) is None
    assert "cut off" in (damage("https://example.org/some-") or "")  # where the lines are not known
    assert "U+FFFD" in (damage("https://example.org/\ufffd", ends_line=False) or "")


def test_body_urls_say_which_are_cut_off_by_the_paragraph_s_line_breaks() -> None:
    from verifier.citations.urls import body_urls

    text = "see https://example.org/a- b and https://example.org/c- then https://example.org/d-"
    lines = ((0, 1), (text.index("then"), 2))  # the second source line starts at "then"
    found = [(url, why is not None) for _s, _e, url, why in body_urls(text, lines)]
    assert found == [("https://example.org/a-", False), ("https://example.org/c-", True),
                     ("https://example.org/d-", False)]
