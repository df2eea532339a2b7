"""The rule catalog: every rule's stable code, kebab-case name, default severity
and documentation, in one place. Codes are part of the contract (SPEC.md) and are
never renumbered or reused.

A rule's ``doc`` follows ruff's layout: *What it does / Why it matters / Example / Fix*.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

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


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741


_RULES: tuple[Rule, ...] = (
    Rule("M001", "marker-without-note", E, "a note marker in the text has no note"),
    Rule("M002", "note-without-marker", W, "a note is never referenced from the text"),
    Rule("M003", "note-numbering", W, "note numbers skip, repeat or run out of order"),
    Rule("M004", "undefined-key", E, "a cited key has no bibliography entry"),
    Rule("M005", "unused-entry", W, "a bibliography entry is never cited"),
    Rule("M006", "dangling-ibid", E, '"Ibid." with no citation before it to refer to'),
    Rule("M007", "short-form-without-full", W, "a shortened note whose full citation never appears"),
    Rule(
        "M008",
        "missing-field",
        W,
        "a citation lacks what its kind needs (web: URL; article: container and date; book: publisher or date)",
    ),
    Rule("M009", "unsourced-quotation", I, "a direct quotation in the body with no citation near it"),
    Rule("D001", "duplicate-entry", W, "the same source stands twice in a bibliography or reference list"),
    Rule("D002", "repeated-full-citation", I, "a source cited in full again where a short form would do"),
    Rule("I001", "conflicting-title", W, "one source cited with differing titles"),
    Rule("I002", "conflicting-author", W, "one source cited with differing author names"),
    Rule("I003", "conflicting-container", W, "one source cited with differing journal/book/site names"),
    Rule("I004", "conflicting-date", W, "one source cited with differing years or dates"),
    Rule("I005", "conflicting-locator", W, "one source cited with differing volume or issue"),
    Rule("I006", "ambiguous-ibid", W, '"Ibid." after a note that cites more than one source'),
    Rule(
        "I007",
        "inconsistent-style",
        I,
        "the same kind of field written in different styles (Dec. / December; p. / pp.)",
    ),
    Rule("I008", "url-conflict", W, "one URL cited for different sources, or one source with different URLs"),
    Rule("F001", "invalid-doi", E, "a DOI that is not syntactically valid"),
    Rule("F002", "invalid-isbn", E, "an ISBN with a wrong checksum or length"),
    Rule(
        "F003",
        "impossible-date",
        W,
        "a date that cannot exist, lies in the future, or an access date before publication",
    ),
    Rule("F004", "invalid-url", E, "a URL that is malformed and could not be repaired"),
    Rule("L001", "link-dead", E, "404, 410, unknown host or refused connection, confirmed on retry", offline=False),
    Rule("L002", "link-error", W, "5xx, timeout or TLS failure after retries: could not be verified", offline=False),
    Rule("L003", "link-blocked", I, "401, 403, 429 or 999 after retries: the site refused the checker", offline=False),
    Rule("L004", "link-redirected", I, "a permanent redirect to another URL (the suggestion names it)", offline=False),
    Rule(
        "L005", "soft-404", E, "answers 200 but is an error page, or redirects to the site's front page", offline=False
    ),
    Rule("L006", "content-mismatch", W, "the live page's title does not match the cited title", offline=False),
    Rule(
        "L007",
        "private-address",
        I,
        "the URL points at a loopback, private or link-local address and was not fetched",
        offline=False,
    ),
    Rule(
        "L008",
        "network-unavailable",
        W,
        "the network itself failed (no resolver, no route, every host unreachable): N links not checked",
        offline=False,
    ),
    Rule("A001", "no-archive", W, "a live cited URL has no archived copy", offline=False),
    Rule(
        "A002",
        "dead-archived",
        W,
        "a dead URL with an archived copy (the suggestion is the archive URL nearest the access date)",
        offline=False,
    ),
    Rule(
        "V001",
        "unresolvable-identifier",
        E,
        "a cited DOI that every registry queried answers as unknown",
        offline=False,
    ),
    Rule(
        "V002",
        "registry-mismatch",
        W,
        "the registry's record for the cited DOI disagrees on title, authors, year, container, volume or pages",
        offline=False,
    ),
    Rule(
        "V003",
        "not-in-registry",
        I,
        "an article, chapter, book or report with no DOI that no registry record matches",
        offline=False,
    ),
    Rule("P001", "unparsed-citation", I, "a note that could not be parsed into fields"),
    Rule("P002", "unreadable-input", E, "a file that could not be read (the others are still checked)"),
)


def _doc(what: str, why: str, example: str, fix: str) -> str:
    return (
        f"## What it does\n{what}\n\n## Why it matters\n{why}\n\n## Example\n```text\n{example}\n```\n\n## Fix\n{fix}"
    )


DOCS: dict[str, str] = {
    "M001": _doc(
        "Finds note markers in the text (¹², [12], [^fn3]) whose label has no note.",
        "A reader who follows the marker finds nothing: the claim it supports is unsourced.",
        "…the expense of ideology.¹⁴   (the notes run 1–13, 15…)",
        "Add the missing note, or remove the marker. When a reader recovered the note from a damaged page, "
        "its own diagnostic explains it and M001 stays silent.",
    ),
    "M002": _doc(
        "Finds notes that no marker in the text refers to (only in documents that have markers at all).",
        "An orphan note usually means a marker was lost in editing or extraction, so a claim lost its source.",
        "Notes 1–20, but the text has no marker ⁷.",
        "Put the marker back where the note belongs, or delete the note.",
    ),
    "M003": _doc(
        "Checks that numeric note labels run 1, 2, 3… without gaps, repeats or backward steps, and that "
        "markers appear in the text in increasing order. Gaps explained by a reader diagnostic are skipped.",
        "Misnumbered notes send readers to the wrong source and are a sign of lost or merged notes.",
        "Notes … 28, 29, 31, 32 …   (30 missing)",
        "Renumber the notes, or restore the missing one.",
    ),
    "M004": _doc(
        "Finds citation keys used in the text (\\cite{key}, [@key], (Smith 2004)) with no bibliography entry.",
        "The citation cannot be resolved: LaTeX prints “?”, pandoc leaves the key, readers find no source.",
        "\\cite{smith2004} with no @book{smith2004, …} in the .bib file",
        "Add the entry, or correct the key (keys are compared ignoring case and punctuation).",
    ),
    "M005": _doc(
        "Finds bibliography entries that no key in the text cites. Only in documents that cite by key at "
        "all; an entry whose work is also cited in a note counts as used, and \\nocite{*} uses everything.",
        "An uncited entry pads the bibliography, or shows that a citation was lost.",
        "@article{jones1999, …} never cited",
        "Cite it where it is used, or remove it.",
    ),
    "M006": _doc(
        "Finds “Ibid.” with no citation before it in the same document.",
        "“Ibid.” means “the same as the previous note”; with no previous note it refers to nothing.",
        "1. Ibid., 23.",
        "Replace “Ibid.” with the full citation.",
    ),
    "M007": _doc(
        "Finds shortened notes (“Author, Short Title, page”) whose full citation appears nowhere in the document.",
        "A short form is only an abbreviation of a full citation given earlier; without one the reader cannot "
        "identify the work.",
        "13. Heathershaw and Herzig, “The Sources of Statehood,” 11.   (no full citation anywhere)",
        "Give the full citation at the first mention of the work.",
    ),
    "M008": _doc(
        "Checks that a citation has what its kind needs: a web page a URL; an article a journal and a date; a "
        "book a publisher or a date. Ibid., short forms, news items, documents and unknown kinds need nothing.",
        "An incomplete citation cannot be found again, or verified.",
        "Alexander Knyazev, “International Terrorism in Central Asia”, Aakrosh, vol.4, No. 11, p. 70.   (no date)",
        "Add the missing field.",
    ),
    "M009": _doc(
        "Finds direct quotations in the body (six words or more between double quotes, not a Title Case name; "
        "an unclosed quote runs to the end of its sentence) with no note marker inside or after them within "
        "the same or the next sentence, and no inline citation in the paragraph. In documents without notes "
        "(news), a speech attribution (“said”, “according to”…) next to the quotation also counts.",
        "A quotation asserts that somebody said exactly these words; it needs a source.",
        'According to Pavel Grachev, "Russia does not intend to get involved in fighting…".   (no marker)',
        "Add a note citing where the quotation comes from.",
    ),
    "D001": _doc(
        "Finds two entries of one bibliography or reference list that stand for the same work, even when "
        "written slightly differently.",
        "Duplicates split the citations of one work and make the list look careless.",
        "[3] Olimov, M. “The policy of Russia in Central Asia.” 1997.\n[9] Olimov, Mouzaffar. “The Policy of "
        "Russia in Central Asia.” 1997.",
        "Keep one entry and point the citations of the other to it.",
    ),
    "D002": _doc(
        "Finds a source cited in full again in a later note after its first full citation.",
        "Chicago and most note styles give the full citation once, then a short form or “Ibid.”; repeated full "
        "citations lengthen the notes and invite inconsistencies (see I001–I005).",
        "3. Nirmala Joshi, “Russia and Central Asia: The Strategic Dimensions”, Strategic Analysis, 1995, p. "
        "1281.\n5. Nirmala Joshi, “Russia and Central Asia: The Strategic Dimensions”, Strategic Analysis, "
        "1995, p. 1277.",
        "Use a short form (Joshi, “Russia and Central Asia”, 1277) or “Ibid.” right after the same source.",
    ),
    "I001": _doc(
        "Compares the titles of the citations of one source (case, punctuation, quotes and diacritics "
        "ignored) and reports each differing form once, against the first.",
        "A misspelt title makes the work hard to find, and suggests the citation was copied without checking.",
        "1. Akbarzadeh, “Why Did Nationalism Fail in Tajikistan”, …\n14. Akbarzadeh, “Why did Nationalism "
        "Fall in Tajikistan”, …",
        "Check the title against the work and use it throughout.",
    ),
    "I002": _doc(
        "Compares how the authors of one source are written in its citations (initials against full names, "
        "abbreviations, stray commas) and reports each differing form once.",
        "Inconsistent names split one author into several in indexes, catalogues and exports.",
        "19. Mohammad Monir Alam, …\n38. Mohd. Monir Alam, …   (same article)",
        "Write each name one way throughout.",
    ),
    "I003": _doc(
        "Compares the journal, book or site names of the citations of one source.",
        "A wrong container sends the reader to the wrong journal or book.",
        "43. “Tajikistan: Introductory Survey”, The Europe World Year Book, 2003.\n50. “Tajikistan: "
        "Introductory Survey”, The Europa World Year Book, 2003.",
        "Use the container's exact name throughout.",
    ),
    "I004": _doc(
        "Compares the dates of the citations of one source. A date that is merely less precise agrees "
        "(1995 beside December 1995); different years, or different months of one year, do not.",
        "A wrong year points to another edition or issue, or to no work at all.",
        "3. Joshi, …, December 1995.\n20. Joshi, …, 1996.",
        "Check the date against the work and use it throughout.",
    ),
    "I005": _doc(
        "Compares the volume and issue numbers of the citations of one source (vol. IV and vol. 4 agree).",
        "A wrong volume or issue sends the reader to the wrong issue of the journal.",
        "1. …, Europe-Asia Studies, vol. 48, no. 7 …\n10. …, Europe-Asia Studies, vol. 8, no. 7 …",
        "Check the volume and issue against the work.",
    ),
    "I006": _doc(
        "Finds “Ibid.” at the start of a note that follows a note citing more than one source.",
        "“Ibid.” then could mean either source; it is read as the last one, which may not be what was meant.",
        "4. Smith, Title A, 3; Jones, Title B, 7.\n5. Ibid., 9.",
        "Replace “Ibid.” with a short form of the work meant.",
    ),
    "I007": _doc(
        "Looks, per document, for one kind of field written in two styles: months in full in some citations "
        "and abbreviated in others, “p.” before a page range where others use “pp.”. One finding per kind, "
        "with examples.",
        "Consistent style is what editors and journals ask for; mixed styles are a sign of pasted citations.",
        "3. …, December 1995, p. 1281.\n5. …, Dec. 1995, p. 1277.",
        "Pick one style (usually the one most citations already use) and apply it throughout.",
    ),
    "I008": _doc(
        "Finds one URL cited for two different sources, and one source cited with two different URLs (an "
        "archived copy of the same page is not a conflict).",
        "One of the two is wrong: a reader following the link reaches another work than the one cited.",
        "7. Embassy…, “Interview…”, http://www.rusemb.tj/ru/index/index/pageId/535\n12. Prosecutor…, “Za "
        "chto…”, http://www.rusemb.tj/ru/index/index/pageId/535",
        "Give each work the address of its own page.",
    ),
    "F001": _doc(
        "Checks the syntax of every cited DOI: “10.”, a registrant code of 4–9 digits, “/”, a suffix.",
        "A malformed DOI does not resolve; the link in the published work is dead from day one.",
        "doi:10.1080/0263493110",
        "Copy the DOI again from the publisher's page or doi.org.",
    ),
    "F002": _doc(
        "Checks the length and check digit of every cited ISBN-10 and ISBN-13.",
        "A wrong ISBN finds no book, or the wrong one, in catalogues and shops.",
        "ISBN 978-0-19-957928-7   (check digit should be 8)",
        "Copy the ISBN again from the copyright page or a library catalogue.",
    ),
    "F003": _doc(
        "Finds dates that cannot exist (month 13, 30 February), dates after today (when the run knows the "
        "date), and access dates before the publication date.",
        "An impossible date is a typo that makes the source hard to find or the citation look invented.",
        "“…,” Radio Ozodi, April 28, 2013, accessed March 2, 2012.",
        "Check the date against the source.",
    ),
    "F004": _doc(
        "Finds URLs that are malformed and could not be repaired: no host, spaces, replacement characters "
        "(�) from a damaged extraction, unbalanced brackets, no top-level domain.",
        "A malformed URL cannot be followed or checked; readers cannot reach the source.",
        "http://www.mid.ru/BDOMP/Brp_4.nsf/arh/0E15967�A3714F",
        "Copy the URL again from the page itself, or from an archived copy.",
    ),
    "L001": _doc(
        "Reports cited URLs that answer 404 or 410, whose host does not exist, or that refuse the "
        "connection, confirmed on a retry.",
        "The source is gone from where the citation says it is.",
        "http://www.kommersant.ru/doc/2364685 → 404 Not Found",
        "Replace the URL with the page's new address or an archived copy (see A002).",
    ),
    "L002": _doc(
        "Reports cited URLs that answered 5xx, timed out, failed TLS or looped through redirects, after retries.",
        "The link could not be verified; it may be down for good or only for now.",
        "https://example.org/report.pdf → 503 Service Unavailable (3 tries)",
        "Try again later; if it persists, cite an archived copy.",
    ),
    "L003": _doc(
        "Reports cited URLs whose site refused the checker (401, 403, 429, 999) after retries.",
        "The link may well work in a browser, but it could not be verified automatically.",
        "https://www.linkedin.com/… → 999",
        "Check the link by hand; consider citing an archived copy.",
    ),
    "L004": _doc(
        "Reports cited URLs that permanently redirect (301/308) to another address that is alive; the "
        "suggestion names the final URL.",
        "Permanent redirects break eventually; the new address is the one to cite.",
        "http://news.tj/en/ → 301 → https://www.news.tj/en/",
        "Cite the final URL.",
    ),
    "L005": _doc(
        "Reports cited URLs that answer 200 but serve an error page, or redirect to the site's front page.",
        "The page looks alive to a plain status check but the cited content is gone.",
        "https://example.org/article/123 → 302 → https://example.org/",
        "Find the page's new address or cite an archived copy.",
    ),
    "L006": _doc(
        "Compares the title of the live page with the cited title.",
        "A page that now shows something else no longer supports the citation.",
        "cited “Vorukh vyshel iz blokady”, page title “Radio Ozodi – Home”",
        "Check that the URL still points to the cited work; cite an archived copy if not.",
    ),
    "L007": _doc(
        "Reports cited URLs that point at loopback, private or link-local addresses; they are not fetched "
        "unless --allow-private is given.",
        "Such a URL cannot be reached by readers, and fetching it could probe the checker's own network.",
        "http://192.168.1.20/report.pdf",
        "Cite a public address of the source.",
    ),
    "L008": _doc(
        "Reports once per run that the network itself failed: the resolver could not look names up for now, "
        "there was no route, or every host (the archives and registries included) failed at the network "
        "level, and no host answered at all. The links are reported as skipped, with the reason, instead of "
        "as dead; nothing learned in such a run is cached.",
        "A machine without network (a laptop on a train, an air-gapped runner, a broken proxy) must not make "
        "every cited link look dead.",
        "no network: 19 links not checked (name lookup failed (Temporary failure in name resolution))",
        "Check the network, the DNS resolver or the proxy settings, and run again.",
    ),
    "A001": _doc(
        "Reports live cited URLs of which no archive (the Internet Archive, Memento aggregators) holds a copy.",
        "Web pages disappear; without an archived copy the citation will not survive the page.",
        "http://www.rusemb.tj/ru/index/index/pageId/535 → no capture",
        "Save the page in an archive (e.g. the Wayback Machine) and cite the capture next to the URL.",
    ),
    "A002": _doc(
        "Reports dead cited URLs of which an archived copy exists; the suggestion is the capture nearest the "
        "access date (else the publication date, else the newest).",
        "The source is still readable — through the archive.",
        "http://www.novgaz.com/index.php/… → 404; captured 2010-10-22",
        "Cite the archived copy.",
    ),
    "V001": _doc(
        "With --registry, reports cited DOIs that every registry queried answers as unknown (an error or 429 "
        "from a registry never counts).",
        "A DOI no registry knows is mistyped or invented.",
        "doi:10.1080/02634937.2011.999999 → not found at Crossref and OpenAlex",
        "Copy the DOI from the publisher's page.",
    ),
    "V002": _doc(
        "With --registry, compares the registry's record for a cited DOI with the citation: title, authors, "
        "year, container, volume and pages; tolerant of case, punctuation, subtitles, “et al.”, abbreviated "
        "page ranges and a one-year online-first gap. One finding per citation, naming each field.",
        "A citation that disagrees with the record of its own DOI is wrong in one of the two.",
        "cited vol. 8, record vol. 48",
        "Correct the citation from the registry's record (or the DOI, if it is the DOI that is wrong).",
    ),
    "V003": _doc(
        "With --registry, reports articles, chapters, books and reports without a DOI that no registry record "
        "matches. Never for news, web pages, interviews or archival documents.",
        "The work may be misremembered — or invented.",
        "Nirmala Joshi, “Russia and Central Asia: The Strategic Dimensions”, 1995 → no record",
        "Check the citation against the work itself.",
    ),
    "P001": _doc(
        "Reports notes (or entries) whose text could not be parsed into fields, and notes a reader could only "
        "partly recover from a damaged extraction. One finding per note.",
        "An unparsed citation escapes every other check.",
        "30. … and the surviving tail of a note whose label was lost",
        "Check that the note is a complete citation; fix the extraction if its start was lost.",
    ),
    "P002": _doc(
        "Reports input files that could not be read at all (missing, unreadable, unsupported, too large). The "
        "other inputs are still checked.",
        "Nothing in that file was checked.",
        "chapter3.pdf: no such file",
        "Check the path and the file's format (or pass --input-format).",
    ),
}

RULES: dict[str, Rule] = {r.code: replace(r, doc=DOCS[r.code]) for r in _RULES}
