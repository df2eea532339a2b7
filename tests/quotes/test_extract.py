"""The main text of a page: what readers see, without scripts, comments and the site's furniture."""

from __future__ import annotations

from pathlib import Path

from verifier.quotes.extract import html_text, kind, page_text

PAGES = Path(__file__).resolve().parents[1] / "data" / "quotations"


def test_scripts_comments_navigation_ads_and_footer_are_not_text() -> None:
    page = html_text((PAGES / "article.html").read_bytes(), "text/html", "http://example.test/a")
    assert "We will not abandon the valley" in page.text
    assert "com\u00admitment" in page.text or "commitment" in page.text
    for hidden in ("every village by next summer", "monument to our shared future", "irrigation pumps",
                   "Skip to content", "Subscribe to our newsletter", "Drought returns", "Valley news"):
        assert hidden not in page.text, hidden
    assert page.titles == ("Water for the Valley | Example Gazette", "Water for the Valley")


def test_a_page_without_main_or_article_keeps_its_body_but_not_its_furniture() -> None:
    page = html_text(b"<html><body><nav>Menu items here</nav><div class='cookie-banner'>We use cookies</div>"
                     b"<p>First paragraph.</p><p hidden>Secret</p><div style='display: none'>Gone</div>"
                     b"<p>Second</p></body></html>", None, "u")
    assert page.text == "First paragraph.\nSecond"


def test_blocks_never_glue_words_together() -> None:
    page = html_text(b"<main><p>one</p><p>two</p><ul><li>three</li><li>four</li></ul></main>", None, "u")
    assert page.text.split() == ["one", "two", "three", "four"]


def test_kind_by_type_or_by_first_bytes() -> None:
    assert kind("application/pdf", b"") == "pdf"
    assert kind(None, b"%PDF-1.4") == "pdf"
    assert kind("text/plain; charset=utf-8", b"x") == "text"
    assert kind(None, b"<html>") == "html"


def test_plain_text_and_an_unreadable_pdf() -> None:
    text = page_text("Straße und Fluss".encode("latin-1"), "text/plain; charset=latin-1", "u")
    assert text is not None and text.text == "Straße und Fluss"
    assert page_text(b"%PDF-1.4 broken", "application/pdf", "u") is None
