"""I007 inconsistent-style: one kind of field written in different styles in one document.

Two kinds are checked, each reported at most once per document with examples:

* **months**: written in full in some citations (``December 1995``) and
  abbreviated in others (``Dec. 1995``); "May" counts as neither;
* **page ranges**: ``p. 213-14`` in some citations while others write ``pp. 19-20``.

The finding stands at the first citation of the less common style (for pages: of ``p.`` before a range).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from verifier.model import Citation, Finding, Origin, Severity
from verifier.rules.catalog import family, rule
from verifier.rules.common import RuleContext, make_finding, where_many

_URL = re.compile(r"(?:https?://|ftp://|www\.)\S+", re.IGNORECASE)
_FULL = "January|February|March|April|June|July|August|September|October|November|December"
_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_FULL_MONTH = re.compile(rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_FULL})\b(?:,?\s*\d{{1,4}})?")
_ABBR_MONTH = re.compile(rf"\b(?:\d{{1,2}}\s+)?(?:{_ABBR})(?:\.|\b)(?:/(?:{_ABBR})\.?)?(?:,?\s*\d{{1,4}})?")
_P_RANGE = re.compile(r"\bp\.\s*\d+\s*[-–]\s*\d+")
_PP = re.compile(r"\bpp\.\s*\d+(?:\s*[-–]\s*\d+)?")
# The same searches without their optional starts (a leading "\b(?:day )?" keeps re from skipping ahead to a
# month name): whatever a pattern matches, its hint matches too.
_FULL_HINT = re.compile(rf"(?:{_FULL})\b")
_ABBR_HINT = re.compile(rf"(?:{_ABBR})(?:\.|\b)")
_P_HINT = re.compile(r"p\.\s*\d+\s*[-–]")
_PP_HINT = re.compile(r"pp\.")


def _dated(match: re.Match[str]) -> bool:
    """A month name only counts next to a number (so "March" the verb does not)."""
    return any(map(str.isdigit, match.group()))


def _without_urls(text: str) -> str:
    """``text`` with its URLs blanked out (their paths are full of "Dec" and "p.3-4" that are no dates)."""
    return _URL.sub(" ", text) if "://" in text or "www." in text.lower() else text


def _examples(
    citations: Sequence[Citation],
    texts: Sequence[str],
    pattern: re.Pattern[str],
    hint: re.Pattern[str],
    need_digit: bool = True,
) -> tuple[list[Citation], str]:
    """The citations whose text (``texts``, in step) matches ``pattern`` (next to a number), and the first match.

    ``hint`` is a quick search that finds something in every text ``pattern`` matches; texts where it finds
    nothing (most of them) are not searched further.
    """
    hits: list[Citation] = []
    example = ""
    for c, text in zip(citations, texts, strict=True):
        if not hint.search(text):
            continue
        m = next((m for m in pattern.finditer(text) if not need_digit or _dated(m)), None)
        if m:
            hits.append(c)
            example = example or " ".join(m.group().split())
    return hits, example


def _finding(
    a: tuple[list[Citation], str, str],
    b: tuple[list[Citation], str, str],
    subject: str,
    suggestion: str,
    at_b: bool = False,
) -> Finding:
    """Report two styles; the finding stands at the first citation of ``b`` if ``at_b``, else of the rarer
    style (``b`` on a tie)."""
    rare = b if at_b or len(a[0]) >= len(b[0]) else a
    (cites_a, ex_a, how_a), (cites_b, ex_b, how_b) = a, b
    return make_finding(
        "I007",
        f"{subject} {how_a} in {where_many(cites_a)} (“{ex_a}”) but {how_b} in {where_many(cites_b)} (“{ex_b}”).",
        document=rare[0][0].document,
        location=rare[0][0].location,
        citations=[*cites_a, *cites_b],
        suggestion=suggestion,
    )


def inconsistent_style(citations: Sequence[Citation]) -> Iterator[Finding]:
    """I007 for one document's citations."""
    cited = [c for c in citations if c.origin is not Origin.URL]
    texts = [_without_urls(c.raw) for c in cited]
    # each kind needs both styles: the rarer one is looked for first, the other only when it was found
    abbr, abbr_ex = _examples(cited, texts, _ABBR_MONTH, _ABBR_HINT)
    full, full_ex = _examples(cited, texts, _FULL_MONTH, _FULL_HINT) if abbr else ([], "")
    if full and abbr:
        common = full_ex if len(full) >= len(abbr) else abbr_ex
        yield _finding(
            (full, full_ex, "are written in full"),
            (abbr, abbr_ex, "abbreviated"),
            "Months",
            f"Write months one way throughout, e.g. as most citations do (“{common}”).",
        )
    p_range, p_ex = _examples(cited, texts, _P_RANGE, _P_HINT, need_digit=False)
    pp, pp_ex = _examples(cited, texts, _PP, _PP_HINT, need_digit=False) if p_range else ([], "")
    if p_range and pp:
        yield _finding(
            (pp, pp_ex, "are introduced by “pp.”"),
            (p_range, p_ex, "by “p.”"),
            "Page ranges",
            "Use “pp.” before a page range and “p.” before a single page.",
            at_b=True,
        )


@rule("I007", "inconsistent-style", Severity.INFO)
def check_inconsistent_style(ctx: RuleContext) -> Iterator[Finding]:
    """the same kind of field written in different styles (Dec. / December; p. / pp.)

    ## What it does
    Looks, per document, for one kind of field written in two styles: months in full in some citations and
    abbreviated in others, “p.” before a page range where others use “pp.”. One finding per kind, with examples.

    ## Why it matters
    Consistent style is what editors and journals ask for; mixed styles are a sign of pasted citations.

    ## Example
    ```text
    3. …, December 1995, p. 1281.
    5. …, Dec. 1995, p. 1277.
    ```

    ## Fix
    Pick one style (usually the one most citations already use) and apply it throughout.
    """
    for citations in ctx.per_document.values():
        yield from inconsistent_style(citations)


check = family(__name__)
"""Every finding of this family's rules."""
