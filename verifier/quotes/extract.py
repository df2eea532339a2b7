"""The main text and the titles of a fetched page: what a quotation is looked for in.

Pure functions over bytes already read. HTML is parsed by beautifulsoup4 with
lxml (broken markup is fine); what no reader sees is dropped before the text is
taken: ``<script>``, ``<style>``, ``<noscript>``, ``<template>``, comments,
processing instructions, hidden elements, and the page's furniture —
``<nav>``, ``<header>``, ``<footer>``, ``<aside>``, forms, ARIA banners and
navigation, and blocks whose class or id names a menu, a cookie notice, an
advert, share buttons or related links. So a quotation that appears only in a
script, a comment or a menu is never found.

The furniture is dropped only outside the ``<main>``/``<article>`` the page
marks as its content (a news site's ``<header>`` inside an article holds its
headline and standfirst). Measured on the test fixtures against trafilatura:
see docs/quotations.md.

A PDF goes through verifier's own PDF reader (body paragraphs and notes);
plain text is taken as it is.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Any

_DROP = ["script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed", "form",
         "button", "select", "input", "textarea", "head"]
_FURNITURE = ["nav", "header", "footer", "aside", "menu", "dialog"]
_FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar",
                    "dialog", "alert"}
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|cookies?|consent|gdpr|banner|ads?|advert\w*|"
    r"sponsor\w*|promo\w*|newsletter|subscribe|share|sharing|social|related|recommended|sidebar|widget|"
    r"masthead|site-?header|site-?footer|footer|skip-?link|popup|modal|paywall)(?:$|[\s_-])",
    re.IGNORECASE,
)
_BLOCKS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
           "table", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "figure", "figcaption",
           "body", "address", "details", "summary"}
_PDF_TYPES = ("application/pdf", "application/x-pdf")
_TEXT_TYPES = ("text/plain", "text/markdown", "text/x-markdown")


@dataclass(frozen=True, slots=True)
class PageText:
    """What one fetched page holds for the quotation check."""

    url: str
    """Where the text came from: the live page's final URL or the capture's URL."""
    text: str
    titles: tuple[str, ...] = ()
    """``<title>``, ``og:title`` / ``citation_title`` and the first ``<h1>``, as found (for L006)."""


def kind(content_type: str | None, body: bytes) -> str:
    """``html``, ``pdf`` or ``text`` by the declared type, else by the first bytes."""
    declared = (content_type or "").split(";", 1)[0].strip().lower()
    if declared in _PDF_TYPES or body[:5] == b"%PDF-":
        return "pdf"
    if declared in _TEXT_TYPES:
        return "text"
    return "html"


def page_text(body: bytes, content_type: str | None, url: str) -> PageText | None:
    """The page's main text and titles; None when nothing readable is in it (a PDF pypdf cannot open)."""
    found = kind(content_type, body)
    if found == "pdf":
        text = pdf_text(body, url)
        return PageText(url, text) if text else None
    if found == "text":
        return PageText(url, _decode(body, content_type))
    return html_text(body, content_type, url)


def html_text(body: bytes | str, content_type: str | None, url: str) -> PageText:
    """The main text of an HTML page (see the module docstring) and its titles."""
    from bs4 import (
        BeautifulSoup,
        Comment,
        MarkupResemblesLocatorWarning,
        ProcessingInstruction,
        Tag,
        XMLParsedAsHTMLWarning,
    )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        if isinstance(body, bytes):
            soup = BeautifulSoup(body, "lxml", from_encoding=_charset(content_type))
        else:
            soup = BeautifulSoup(body, "lxml")
    titles = _titles(soup)
    for node in soup.find_all(string=lambda s: isinstance(s, (Comment, ProcessingInstruction))):
        node.extract()
    for tag in soup.find_all(_DROP):
        tag.decompose()
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.decomposed or tag.attrs is None:
            continue
        style = str(tag.get("style") or "").replace(" ", "").lower()
        if tag.has_attr("hidden") or tag.get("aria-hidden") == "true" or "display:none" in style:
            tag.decompose()
    content = soup.find("main") or soup.find(role="main")
    articles = soup.find_all("article")
    roots = [content] if content is not None else (articles or [soup.body or soup])
    keep = {id(r) for r in roots if isinstance(r, Tag)}
    whole = sum(len(r.get_text()) for r in roots if isinstance(r, Tag))
    content_roots = {id(r) for r in roots if isinstance(r, Tag) and r.name not in ("body", "html", "[document]")}
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.decomposed or tag.attrs is None or id(tag) in keep:
            continue
        if _is_furniture(tag) and not any(id(p) in content_roots for p in tag.parents) or (
            _is_boilerplate(tag) and not tag.find(["article", "main"]) and len(tag.get_text()) < whole / 2
        ):  # a "wrapper" class around most of the page is a layout name, not a menu
            if not any(id(t) in keep for t in tag.find_all(True)):
                tag.decompose()
    if content is None and articles:
        roots = [a for a in articles if not a.decomposed]
    parts = [_block_text(r) for r in roots if isinstance(r, Tag) and not r.decomposed]
    return PageText(url, "\n\n".join(p for p in parts if p), titles)


def _is_furniture(tag: object) -> bool:
    name = getattr(tag, "name", None)
    get = getattr(tag, "get", None)
    if name in _FURNITURE:
        return True
    return bool(get and str(get("role") or "").lower() in _FURNITURE_ROLES)


def _is_boilerplate(tag: object) -> bool:
    get = getattr(tag, "get", None)
    if get is None or getattr(tag, "name", None) in ("body", "html", "main", "article"):
        return False
    classes = get("class") or []
    names = " ".join(classes if isinstance(classes, list) else [str(classes)]) + " " + str(get("id") or "")
    return bool(names.strip()) and bool(_BOILERPLATE.search(names))


def _block_text(root: object) -> str:
    """The text of ``root`` with a line break around each block element (words of two blocks never glue)."""
    from bs4 import NavigableString, Tag

    out: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, NavigableString):
            out.append(str(node))
            return
        if isinstance(node, Tag):
            block = node.name in _BLOCKS
            if block:
                out.append("\n")
            for child in node.children:
                walk(child)
            if block:
                out.append("\n")

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line)


def _titles(soup: Any) -> tuple[str, ...]:
    found: list[str] = []
    find = soup.find
    title = find("title")
    if title is not None:
        found.append(title.get_text())
    for name, value in (("property", "og:title"), ("name", "citation_title"), ("name", "dc.title")):
        meta = find("meta", attrs={name: value})
        content = meta.get("content") if meta is not None else None
        if isinstance(content, str):
            found.append(content)
    h1 = find("h1")
    if h1 is not None:
        found.append(h1.get_text(" "))
    out: list[str] = []
    for t in found:
        t = " ".join(t.split())
        if t and t not in out:
            out.append(t)
    return tuple(out)


def pdf_text(body: bytes, url: str) -> str:
    """A PDF's body paragraphs and notes, read by verifier's PDF reader; empty when it cannot be read."""
    from verifier.readers import pdf

    try:
        doc = pdf.read(body, url)
    except Exception:  # noqa: BLE001 - an unreadable PDF is "no text", reported as not checked
        return ""
    parts = [p.text for p in doc.paragraphs] + [n.text for n in doc.notes] + [e.text for e in doc.entries]
    return "\n".join(parts)


def _decode(body: bytes, content_type: str | None) -> str:
    charset = _charset(content_type) or "utf-8"
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def _charset(content_type: str | None) -> str | None:
    if content_type and "charset=" in content_type.lower():
        value = content_type.lower().split("charset=", 1)[1].split(";", 1)[0].strip().strip('"')
        return value or None
    return None


@dataclass(frozen=True, slots=True)
class SourceTexts:
    """What the network stage could read of one cited URL: the live page and the capture nearest the access
    date (either may be missing; ``why`` says what stood in the way)."""

    live: PageText | None = None
    capture: PageText | None = None
    why: str | None = None
