"""Reading a page: its title, and the signs of an error page."""

from __future__ import annotations

import httpx
import pytest

from verifier.net import page


def test_the_citation_title_wins_over_og_title_and_the_title_tag() -> None:
    html = (b'<html><head><title>Site | Article</title><meta property="og:title" content="OG Title">'
            b'<meta name="citation_title" content="The Sources of Statehood"></head><body></body></html>')
    assert page.parse(html).title == "The Sources of Statehood"


def test_an_error_title_wins_over_stale_metadata() -> None:
    html = b'<html><head><title>404 - Page not found</title><meta property="og:title" content="Old"></head></html>'
    parsed = page.parse(html)
    assert parsed.title == "404 - Page not found" and parsed.says_not_found()


def test_scripts_are_not_text_and_charsets_are_honoured() -> None:
    html = "<html><head><title>Страница</title></head><body><script>var x='not found'</script>Текст</body></html>"
    parsed = page.parse(html.encode("cp1251"), "text/html; charset=windows-1251")
    assert parsed.title == "Страница" and "not found" not in parsed.text and not parsed.says_not_found()


@pytest.mark.parametrize(
    ("title", "heading", "not_found"),
    [
        pytest.param("Page Not Found | Example", None, True, id="title"),
        pytest.param("Example News", "Sorry, this article is no longer available", True, id="heading"),
        pytest.param("Seite nicht gefunden", None, True, id="german"),
        pytest.param("Fixing 404 errors on your site", None, True, id="404-in-title"),
        pytest.param("Nationalism and Regional Security", "Nationalism", False, id="article"),
    ],
)
def test_says_not_found(title: str, heading: str | None, not_found: bool) -> None:
    assert page.Page(title, heading, "").says_not_found() is not_found


@pytest.mark.parametrize(
    ("start", "final", "front"),
    [
        ("https://example.org/2019/05/story.html", "https://example.org/", True),
        ("https://example.org/2019/05/story.html", "https://www.example.org/en/", True),
        ("https://example.org/story", "https://example.org/index.php", True),
        ("https://example.org/", "https://example.org/", False),
        ("https://example.org/story", "https://example.org/ok", False),
        ("https://example.org/story", "https://other.org/", False),
    ],
)
def test_redirected_to_front(start: str, final: str, front: bool) -> None:
    assert page.redirected_to_front(httpx.URL(start), httpx.URL(final)) is front


def test_redirected_to_error() -> None:
    assert page.redirected_to_error(httpx.URL("https://x.org/a/b"), httpx.URL("https://x.org/404.html"))
    assert page.redirected_to_error(httpx.URL("https://x.org/a/b"), httpx.URL("https://x.org/errors/not-found"))
    assert not page.redirected_to_error(httpx.URL("https://x.org/a"), httpx.URL("https://x.org/article/errors-of-war"))


def test_the_sibling_probe_stays_in_the_folder() -> None:
    probe = page.sibling(httpx.URL("https://x.org/news/2020/story.html?id=4#top"))
    assert probe.path.startswith("/news/2020/verifier-") and probe.query == b"" and probe.fragment == ""
