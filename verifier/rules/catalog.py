"""The rule catalog: every rule's stable code, kebab-case name, default severity
and documentation, in one place. Codes are part of the contract (SPEC.md) and are
never renumbered or reused.

A rule's ``doc`` follows ruff's layout: *What it does / Why it matters / Example / Fix*.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.model import Severity


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    """One line: when the rule fires (shown by ``verifier rules``)."""
    doc: str = ""
    """The long form (shown by ``verifier rules CODE``)."""
    offline: bool = True
    """False for rules that need the network (L, A, V families)."""


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

_RULES: tuple[Rule, ...] = (
    Rule("M001", "marker-without-note", E, "a note marker in the text has no note"),
    Rule("M002", "note-without-marker", W, "a note is never referenced from the text"),
    Rule("M003", "note-numbering", W, "note numbers skip, repeat or run out of order"),
    Rule("M004", "undefined-key", E, "a cited key has no bibliography entry"),
    Rule("M005", "unused-entry", W, "a bibliography entry is never cited"),
    Rule("M006", "dangling-ibid", E, '"Ibid." with no citation before it to refer to'),
    Rule("M007", "short-form-without-full", W, "a shortened note whose full citation never appears"),
    Rule("M008", "missing-field", W, "a citation lacks what its kind needs (web: URL; article: container and date; book: publisher or date)"),
    Rule("M009", "unsourced-quotation", I, "a direct quotation in the body with no citation near it"),
    Rule("D001", "duplicate-entry", W, "the same source stands twice in a bibliography or reference list"),
    Rule("D002", "repeated-full-citation", I, "a source cited in full again where a short form would do"),
    Rule("I001", "conflicting-title", W, "one source cited with differing titles"),
    Rule("I002", "conflicting-author", W, "one source cited with differing author names"),
    Rule("I003", "conflicting-container", W, "one source cited with differing journal/book/site names"),
    Rule("I004", "conflicting-date", W, "one source cited with differing years or dates"),
    Rule("I005", "conflicting-locator", W, "one source cited with differing volume or issue"),
    Rule("I006", "ambiguous-ibid", W, '"Ibid." after a note that cites more than one source'),
    Rule("I007", "inconsistent-style", I, "the same kind of field written in different styles (Dec. / December; p. / pp.)"),
    Rule("I008", "url-conflict", W, "one URL cited for different sources, or one source with different URLs"),
    Rule("F001", "invalid-doi", E, "a DOI that is not syntactically valid"),
    Rule("F002", "invalid-isbn", E, "an ISBN with a wrong checksum or length"),
    Rule("F003", "impossible-date", W, "a date that cannot exist, lies in the future, or an access date before publication"),
    Rule("F004", "invalid-url", E, "a URL that is malformed and could not be repaired"),
    Rule("L001", "link-dead", E, "404, 410, unknown host or refused connection, confirmed on retry", offline=False),
    Rule("L002", "link-error", W, "5xx, timeout or TLS failure after retries: could not be verified", offline=False),
    Rule("L003", "link-blocked", I, "401, 403, 429 or 999 after retries: the site refused the checker", offline=False),
    Rule("L004", "link-redirected", I, "a permanent redirect to another URL (the suggestion names it)", offline=False),
    Rule("L005", "soft-404", E, "answers 200 but is an error page, or redirects to the site's front page", offline=False),
    Rule("L006", "content-mismatch", W, "the live page's title does not match the cited title", offline=False),
    Rule("L007", "private-address", I, "the URL points at a loopback, private or link-local address and was not fetched", offline=False),
    Rule("A001", "no-archive", W, "a live cited URL has no archived copy", offline=False),
    Rule("A002", "dead-archived", W, "a dead URL with an archived copy (the suggestion is the archive URL nearest the access date)", offline=False),
    Rule("V001", "unresolvable-identifier", E, "a cited DOI that every registry queried answers as unknown", offline=False),
    Rule("V002", "registry-mismatch", W, "the registry's record for the cited DOI disagrees on title, authors, year, container, volume or pages", offline=False),
    Rule("V003", "not-in-registry", I, "an article, chapter, book or report with no DOI that no registry record matches", offline=False),
    Rule("P001", "unparsed-citation", I, "a note that could not be parsed into fields"),
    Rule("P002", "unreadable-input", E, "a file that could not be read (the others are still checked)"),
)

RULES: dict[str, Rule] = {r.code: r for r in _RULES}

