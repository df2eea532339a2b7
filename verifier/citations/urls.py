"""Finding URLs in text and repairing the damage that text extraction does to them.

PDF extraction breaks long URLs across lines, sometimes after ``/`` or ``.``,
sometimes mid-word (``…?Ope`` + ``nDocument``), sometimes at a hyphen that is
part of the URL (``…-party-`` + ``tajikistan-…``). Prose hyphenation at line
ends has to be undone too, but a hyphen inside a URL never is: URL slugs are
full of real hyphens and a PDF does not hyphenate inside a URL.

``join_lines`` re-assembles a run of physical lines into one logical text;
``find_urls`` then extracts the URLs, and ``damage`` says which cannot be trusted.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from urllib.parse import urlsplit

_SCHEME = re.compile(r"(?:https?://|ftp://|www\.)", re.IGNORECASE)
# A URL runs until whitespace or a character that never appears unescaped in one.
# Arabic and CJK commas, semicolons and full stops never stand unescaped in a URL: they end it.
_NEVER_IN_URL = "\u060c\u061b\u061f\u06d4\u3001\u3002\uff0c\uff1b"
URL_RE = re.compile(
    r"(?<![\w@/])(?:https?://|ftp://|www\.)(?:[^\s<>\"“”‘’«»\\^`{|}" + _NEVER_IN_URL + r"]|\\[_&%#~$])+"
    r"(?:[‘’][^\s<>\"“”«»" + _NEVER_IN_URL + r"]+)*",
    re.IGNORECASE,
)
"""A URL: ``\\_``, ``\\&``, ``\\%`` are TeX escapes inside one (a ``.bib`` URL), not its end."""
_TEX_ESCAPE = re.compile(r"\\([_&%#~$])")
_TRAILING = ".,;:!?'’”\"»*"
# ``…/768706.The cooperation`` — a sentence glued to a URL by extraction.
_GLUED_SENTENCE = re.compile(r"\.([A-Z][a-z]{1,12})$")
_TOKEN_PREFIX = "([<“\"'‘"
_WORD = re.compile(r"\w+")
_SECTION_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?$")


def _trim(url: str) -> str:
    """Strip the sentence punctuation that follows a URL, and unbalanced closing brackets."""
    while url:
        last = url[-1]
        if last in _TRAILING:
            url = url[:-1]
        elif last == ")" and url.count("(") < url.count(")"):
            url = url[:-1]
        elif last == "]" and url.count("[") < url.count("]"):
            url = url[:-1]
        else:
            break
    return url


def find_urls(text: str) -> list[tuple[int, int, str]]:
    """URLs in ``text`` as ``(start, end, url)``; ``www.`` URLs get an ``http://`` scheme.

    ``end`` is the end of the URL as it stands in the text (after trimming
    trailing punctuation), so ``text[start:end]`` is what the author wrote.
    """
    out: list[tuple[int, int, str]] = []
    if "://" not in text and "www." not in text.lower():
        return out  # the common case, decided at C speed
    for m in URL_RE.finditer(text):
        url = _trim(_cut_bracket(m.group(0)))
        glued = _GLUED_SENTENCE.search(url)
        if glued and text[m.start() + len(url) : m.start() + len(url) + 1].isspace() and _sentence_glued(url, glued):
            # "768706.The cooperation …": the word belongs to the next sentence.
            url = url[: glued.start()]
        if len(url) < 8 or "." not in url.split("//", 1)[-1]:
            continue
        end = m.start() + len(url)
        if "\\" in url:
            url = _TEX_ESCAPE.sub(r"\1", url)
        if url.lower().startswith("www."):
            url = "http://" + url
        out.append((m.start(), end, url))
    return out


def _cut_bracket(url: str) -> str:
    """``…/page[dead link]`` seen as ``…/page[dead``: an opening bracket never closed in the URL is not in it."""
    k = url.rfind("[")
    if k > 0 and "]" not in url[k:]:
        return url[:k]
    return url


def _sentence_glued(url: str, glued: re.Match[str]) -> bool:
    """Whether ``.Word`` at the end of ``url`` is the next sentence's first word rather than part of the URL.

    Never in the host (``www.example.Com``), nor in a dotted name (``…/Rocket.Chat.Electron``): only after a
    path piece that does not itself open with a capital (``…/768706.The``, ``…/report.pdf.The``).
    """
    head = url[: glued.start()]
    scheme_end = head.find("//")
    if "/" not in head[scheme_end + 2 if scheme_end >= 0 else 0 :]:
        return False  # the word is part of the host
    piece = head.rsplit("/", 1)[-1].rsplit(".", 1)[-1]
    return bool(piece) and not piece[0].isupper()


_SOUND = re.compile(r"https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::[0-9]*)?(?:[/?#][\s\S]*)?")
"""A URL whose host ``damage`` would find sound, without urllib's parsing (most URLs: a fifth of the cost)."""


def damage(url: str, *, ends_line: bool = True) -> str | None:
    """Why ``url`` cannot be requested as it stands, or None when it looks sound.

    A URL ending in a hyphen at the end of a line lost its continuation to the line break; one followed by
    more text on its own line (``<https://…/#task-list-items-extension->``, a slug of a heading that ends
    in a bracket) ends in its own hyphen: ``ends_line`` says which, where the caller knows the lines."""
    if "\ufffd" in url:
        return "it contains characters lost in text extraction (U+FFFD)"
    if url.endswith("-") and ends_line:
        return "it is cut off (it ends in a hyphen and its continuation is missing)"
    if _SOUND.fullmatch(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return f"it is malformed ({exc})"
    host = parts.hostname or ""
    if not host or "." not in host or host.startswith(".") or host.endswith("."):
        return "it has no valid host name"
    if host.isascii() and not re.fullmatch(r"[A-Za-z0-9.:-]+", host):
        return "its host name contains invalid characters"
    return None


def body_urls(text: str, lines: Sequence[tuple[int, int]], *,
              end_breaks: bool = False) -> Iterator[tuple[int, int, str, str | None]]:
    """The URLs of a paragraph of body text (``find_urls``), each with why it cannot be requested (``damage``)
    or None. ``lines`` are the paragraph's ``(offset, line number)`` of each source line's start: a URL ending
    in a hyphen is cut off only where the line breaks right after it and another line of the paragraph
    follows; at the paragraph's end nothing shows that it broke (an autolink ``<https://…/#extension->``),
    unless ``end_breaks`` (a note, whose URL's continuation a page break can take away). A URL with more
    text after it on its own line ends in its own hyphen, in a paragraph or a note."""
    for start, end, url in find_urls(text):
        breaks = False
        if url.endswith("-"):
            i = bisect.bisect_right(lines, end, key=lambda pair: pair[0])
            breaks = not text[end:lines[i][0]].strip() if i < len(lines) else end_breaks and not text[end:].strip()
        yield start, end, url, damage(url, ends_line=breaks)


def _url_in_progress(text: str) -> str | None:
    """The URL that ``text`` ends inside of, if its last token is one."""
    stripped = text.rstrip()
    if not stripped or stripped != text.rstrip(" \t"):
        return None
    token = stripped.rsplit(None, 1)[-1].lstrip(_TOKEN_PREFIX)
    return token if _SCHEME.match(token) else None


def _continues_url(url: str, line: str) -> bool:
    """Whether ``line`` begins with the rest of ``url``, broken off at the line end."""
    if url[-1] in ",;" or (url[-1] in ".)" and url[:-1].endswith((".html", ".htm", ".pdf", ".php", ".aspx"))):
        return False
    parts = line.split(None, 1)
    if not parts:
        return False
    token = parts[0]
    if _SCHEME.match(token):
        return False
    if len(parts) > 1 and token[-1] not in ",;.":
        return False  # the line goes on as prose: "11 Claire Moreau, …", "means that …"
    if url.endswith(".") and not re.match(r"[a-z0-9/_%#?&=~-]", token):
        return False
    if url[-1].isalpha() and _SECTION_NUMBER.match(token) and (len(parts) == 1 or parts[1][:1].isupper()):
        return False  # "…/latex-paper" + "1 Introduction": a section number opens the next line
    # The continuation must itself look like URL material.
    return bool(re.match(r"[\w/%#?&=~.:+\-\ufffd‘’]", token))


def join_lines(lines: Iterable[str], keep_hyphen: Callable[[str, str], bool] | None = None) -> str:
    """Join physical lines into one text: re-join broken URLs, undo prose hyphenation.

    ``keep_hyphen(left, right)`` decides for a prose word broken at a hyphen
    (``thirty-`` + ``percent``) whether the hyphen is real; by default it is
    dropped when the next line starts with a lower-case letter.
    """
    return join_lines_with_offsets(lines, keep_hyphen)[0]


def join_lines_with_offsets(
    lines: Iterable[str], keep_hyphen: Callable[[str, str], bool] | None = None
) -> tuple[str, list[int | None]]:
    """``join_lines``, also giving for each input line the offset where its text starts
    in the result (None for blank lines)."""
    stripped = [raw.strip() for raw in lines]
    if not any(line.endswith("-") for line in stripped[:-1]):
        joined = " ".join(line for line in stripped if line)
        if "://" not in joined and "www." not in joined and "WWW." not in joined:
            # Nothing to repair (the common case): plain joining, offsets by arithmetic.
            starts: list[int | None] = []
            pos = 0
            for line in stripped:
                starts.append(pos if line else None)
                pos += len(line) + 1 if line else 0
            return joined, starts
    return _join_repairing(stripped, keep_hyphen)


def _word_before_hyphen(text: str) -> str | None:
    r"""The word (``\w+``) just before the hyphen ``text`` ends with, within its last 80 characters: what
    ``re.search(r"(\w+)-$", text[-80:])`` finds, matched forwards on the reversed tail (a search from every
    position of the line cost a line break about 6 µs)."""
    m = _WORD.match(text[-2:-81:-1])
    return m.group()[::-1] if m else None


def _join_repairing(
    lines: list[str], keep_hyphen: Callable[[str, str], bool] | None
) -> tuple[str, list[int | None]]:
    pieces: list[str] = []
    size = 0
    starts: list[int | None] = []
    prev = ""  # the previous non-blank line as it stands in ``pieces``
    for line in lines:
        if not line:
            starts.append(None)
            continue
        if pieces:
            glue = " "
            url = _url_in_progress(prev) if ("://" in prev or "www." in prev) else None
            if url is not None:
                if _continues_url(url, line):
                    glue = ""  # never dehyphenate inside a URL
            else:
                word = _word_before_hyphen(prev) if prev.endswith("-") else None
                if word and word[-1].isdigit() and line[0].isdigit():
                    glue = ""  # a number range or an ISBN broken at its hyphen: "978-91-7-" + "000001-2"
                elif word and line[0].isupper():
                    glue = ""  # a compound with a name: "Gorno-" + "Badakhshan" keeps its hyphen
                elif word and line[0].islower() and not prev.endswith("--"):
                    right = _WORD.match(line)
                    glue = ""
                    if keep_hyphen is None or not right or not keep_hyphen(word, right.group(0)):
                        pieces[-1], prev = pieces[-1][:-1], prev[:-1]
                        size -= 1
            if glue:
                pieces.append(glue)
                size += len(glue)
            line_text = line if glue else prev + line
            # the tail that the next line is judged against: this line, glued to what it continues
            prev = line_text
        else:
            prev = line
        starts.append(size)
        pieces.append(line)
        size += len(line)
    return "".join(pieces), starts
