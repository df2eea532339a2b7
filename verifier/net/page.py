"""What a fetched page says about itself: its title, and whether it is an error page.

Pure functions over the (at most 256 KB of) bytes already read; beautifulsoup4
with lxml parses them, so broken HTML is fine.

Soft 404s. Many sites answer a missing page with 200 and a "not found" page, or
redirect it to the front page. verifier decides from four signals, cheapest
first:

1. the final URL: a redirect that lands on the site's front page (``/``,
   ``/index.html``, ``/en/``) from a deeper path, or on a path that names an
   error (``/404``, ``/not-found``, ``/error?...``);
2. the page's own title and first heading: "404", "Page not found", "no longer
   available", in the languages citations most often use;
3. a random sibling probe, as Bar-Yossef et al. ("Sic transit gloria telae",
   WWW 2004) did: request a path beside the cited one that cannot exist. If the
   site answers it 404, it reports missing pages honestly and a 200 for the
   cited page can be trusted without reading it. If the site answers 200 for
   the nonsense path too, it soft-404s, and the cited page is judged by
   comparing it with that known error page: the same final URL, or
   near-identical text. (Not the same title: many sites give every page one.)

The body text alone is not used: an article *about* broken links contains
"page not found" too, and a false "dead" costs an editor's trust. The probe is
made once per site folder (not per URL), so it costs a few requests per run,
and only for HTML pages that answered 2xx.
"""

from __future__ import annotations

import re
import secrets
import warnings
from dataclasses import dataclass

import httpx

_NOT_FOUND = re.compile(
    r"\b(?:404|410)\b|\b(?:page|file|article|document|resource|content|story|url)s?\s+(?:was\s+|is\s+)?"
    r"(?:not\s+found|unavailable|missing|cannot\s+be\s+found|could\s+not\s+be\s+found|does\s+not\s+exist|"
    r"doesn[’']t\s+exist|no\s+longer\s+(?:exists|available))"
    r"|\bnot\s+found\b|\bno\s+longer\s+available\b|\bdoes\s+not\s+exist\b|\bcannot\s+be\s+found\b"
    r"|\bseite\s+nicht\s+gefunden\b|\bpage\s+introuvable\b|\bp[aá]gina\s+no\s+encontrada\b"
    r"|\bстраница\s+не\s+найдена\b|\bошибка\s+404\b",
    re.IGNORECASE,
)
_ERROR_PATH = re.compile(
    r"(?:^|/)(?:404|410|not[-_]?found|error|errors|page[-_]not[-_]found|error[-_]?404)(?:\.\w{2,5})?(?:/|$)",
    re.IGNORECASE,
)
_FRONT_PATHS = {"", "/", "/index.html", "/index.htm", "/index.php", "/home", "/home/", "/default.aspx"}
_LANG_ROOT = re.compile(
    r"^/(?:ar|cs|da|de|el|en|es|fa|fi|fr|he|hi|hu|id|it|ja|ko|nl|no|pl|pt|ro|ru|sk|sv|tr|uk|vi|zh)"
    r"(?:[-_][a-z]{2,4})?/?$",
    re.IGNORECASE,
)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class Page:
    """The parts of a page the checks use."""

    title: str | None
    heading: str | None
    text: str

    def says_not_found(self) -> bool:
        return any(s and _NOT_FOUND.search(s) for s in (self.title, self.heading))


def is_html(content_type: str | None) -> bool:
    """True for HTML, and for a missing type (servers that send none are mostly serving HTML)."""
    if not content_type:
        return True
    return content_type.split(";", 1)[0].strip().lower() in _HTML_TYPES


def parse(body: bytes, content_type: str | None = None) -> Page:
    """Title (``citation_title``, then ``og:title``, then ``<title>``), first ``<h1>`` and visible text."""
    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning  # only when a page is read

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(body, "lxml", from_encoding=_charset(content_type))
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    title = None
    for name, value in (("name", "citation_title"), ("property", "og:title"), ("name", "dc.title")):
        meta = soup.find("meta", attrs={name: value})
        content = meta.get("content") if meta else None
        if isinstance(content, str) and content.strip():
            title = _squash(content)
            break
    page_title = _squash(soup.title.get_text()) if soup.title else None
    if title is None:
        title = page_title or None
    h1 = soup.find("h1")
    heading = _squash(h1.get_text(" ")) if h1 else None
    text = _squash(soup.get_text(" "))[:4000]
    # An error page's <title> wins over metadata the CMS left from the old page.
    if page_title and _NOT_FOUND.search(page_title):
        title = page_title
    return Page(title or None, heading or None, text)


def redirected_to_front(start: httpx.URL, final: httpx.URL) -> bool:
    """True when a redirect chain took a deeper path to the site's front page (or a language root)."""
    if final.path in _FRONT_PATHS or _LANG_ROOT.match(final.path):
        deep = start.path not in _FRONT_PATHS and not _LANG_ROOT.match(start.path)
        return deep and _site(start) == _site(final)
    return False


def redirected_to_error(start: httpx.URL, final: httpx.URL) -> bool:
    """True when a redirect landed on a path that names an error page (``/404``, ``/not-found``...)."""
    return bool(_ERROR_PATH.search(final.path)) and not _ERROR_PATH.search(start.path)


def same_error_page(page: Page, probe: Page, final: httpx.URL, probe_final: httpx.URL) -> bool:
    """Whether ``page`` is the site's soft-404 page that ``probe`` (a nonsense sibling) returned."""
    if final == probe_final and final.path != "":
        return True
    if len(page.text) > 40 and len(probe.text) > 40:
        from rapidfuzz import fuzz  # (only for a site that answers its nonsense URLs with 200: 9 ms of every start-up)

        return fuzz.ratio(page.text[:2000], probe.text[:2000]) >= 95
    return False


def sibling(url: httpx.URL) -> httpx.URL:
    """A URL beside ``url`` that no site has: the last path segment replaced by random letters."""
    folder = url.path.rsplit("/", 1)[0]
    return url.copy_with(path=f"{folder}/verifier-{secrets.token_hex(8)}-missing", query=None, fragment=None)


def folder_of(url: httpx.URL) -> str:
    """The site folder a probe speaks for."""
    return f"{url.scheme}://{url.netloc.decode('ascii', 'replace')}{url.path.rsplit('/', 1)[0]}/"


def _site(url: httpx.URL) -> str:
    host = url.host.lower()
    return host[4:] if host.startswith("www.") else host


def _charset(content_type: str | None) -> str | None:
    if content_type and "charset=" in content_type.lower():
        value = content_type.lower().split("charset=", 1)[1].split(";", 1)[0].strip().strip('"')
        return value or None
    return None


def _squash(text: str) -> str:
    return " ".join(text.split())
