"""Labelled tokens → ``Fields``: the assembler of the learned parser.

The labeller (``labeller``) gives every token one label; runs of one label are
the field values. Each value goes through the normaliser of its field: names
(``names.parse_names``), dates (``dates.to_iso``), volumes, issues and pages
(the number, without "vol."/"no."/"pp."). A field's confidence is the lowest
marginal probability of its word tokens' labels (one unsure word makes the
field unsure); with several runs of one label the first is the field's value
(a second author run is usually a mislabelled fragment, and the first title is
the work's).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from verifier.model import Fields, Person

from . import dates
from .labeller import Labelled
from .locators import abbreviated_name, is_place, is_report_mark
from .names import is_institution, parse_names, strip_editor_marker
from .text import sentence_end, strip_punct
from .tokens import locator_words, role_of, role_words_re

_VOLUME_RE = re.compile(r"\b(?:[A-Z]?\d+[A-Za-z]?(?:[-–/]\d+)?|[IVXLCDM]+|[ivxlcdm]+)\b")
_VOL_ISSUE_RE = re.compile(
    r"^(?P<v>[A-Z]?\d+[A-Za-z]?|[IVXLCDM]+)\s*(?:\((?P<i>[^)]{1,12})\)|[.:/](?P<j>\d{1,4}))$"
)
# "Law Quarterly Review, XCIII": a volume the labeller left at the end of the container
_CONTAINER_VOLUME_RE = re.compile(r",\s*(?P<v>\d{1,4}|[IVXLC]{2,8})$")
_GLUED_VOLUME_RE = re.compile(
    r"(?:(?<=[.\s])(?P<series>[A-Z])|(?<=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]))(?P<v>\d{1,4})$")
# "Cronache, i - iv", "Storia della città, II": a multi-volume work's volumes in Roman numerals after the
# title's last comma (a bare number there may be the title's own: "Studi, 2")
_ROMAN = r"(?:[IVXLC]{1,8}|[ivxlc]{1,8})"
_TITLE_VOLUME_RE = re.compile(rf",\s*(?P<v>{_ROMAN}(?:\s*[-–]\s*{_ROMAN})?)$")


def _words_re(kind: str) -> re.Pattern[str]:
    """A locator word of ``kind`` at the start, with its period ("vol. ", "pp.", "Heft ")."""
    words = sorted(locator_words(kind), key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(map(re.escape, words)) + r")\b\.?\s*", re.IGNORECASE)


_ISSUE_WORD_RE = _words_re("issue")
_ISSUE_WORDS = "|".join(map(re.escape, sorted(locator_words("issue"), key=len, reverse=True)))
_ISSUE_IN_VOLUME_RE = re.compile(
    r"\d[^\d]*?[,;.]?\s(?:№|(?:" + _ISSUE_WORDS + r")\b\.?)\s*(\d+(?:[-–/]\d+)?)",
    re.IGNORECASE,
)
# "№ 4. С. 5–20", "no. 3, pp. 4-9": an issue the labeller left at the head of the pages' run
_ISSUE_THEN_PAGES_RE = re.compile(
    r"^\s*(?:№|(?:" + _ISSUE_WORDS + r")\b\.?)\s*(?P<i>\d+(?:[-–/]\d+)?)\s*[.,;]\s*(?P<p>[^\W\d_]{1,5}\.?\s*\d.*)$",
    re.IGNORECASE | re.DOTALL,
)
_VOLUME_WORD_RE = _words_re("volume")
_PAGES_WORD_RE = _words_re("pages")
_SHORT_WORD_BEFORE_NUMBER_RE = re.compile(r"^[^\W\d_]{1,3}\.\s*(?=\d)")
_DASH_RE = re.compile(r"\s*[-–—‐]+\s*")
_IN = r"(?:in|dans|en|im)"  # the word before a chapter's book or an article's journal ("In:", "dans")
_IN_RE = re.compile(rf"^{_IN}\b\s*:?\s*", re.IGNORECASE)
_IN_TAIL_RE = re.compile(rf"[.,;]\s*{_IN}\s*:?$", re.IGNORECASE)
IN_BETWEEN_RE = re.compile(rf"(?:^|[\s.,;:)]){_IN}\b\s*:?", re.IGNORECASE)
"""An "In" between two runs (also how ``tools/parser_data.py`` labels a second title after it)."""
# Editors with their role mark in brackets, then more words: "SILVA, J. (Org.). Urbanismo", "K. Roe (Hg.): Buch"
_ROLE_THEN_WORK_RE = re.compile(
    r"(?P<names>.*?\((?:" + role_words_re("editor") + r")\.?\))\s*[.:,]?\s*(?P<rest>[^\W\d_].*\w.*)$",
    re.IGNORECASE | re.DOTALL)
# "Wirtschaft und Gesellschaft. 5. Aufl.", "Title. 2nd ed.", "Titre. 3e éd.": an edition after the title's last
# sentence (the bracketed form is ``EDITION_TAIL_RE``)
_EDITION_SENTENCE_RE = re.compile(
    r"[.,]\s*(?:\d+(?:st|nd|rd|th|e|er|ème|a|ª|º)?\.?|rev\.?|revised|new|second|third)\s*"
    r"(?:ed|éd|edn|edition|édition|aufl|auflage|edición|edição|edizione)\.?$",
    re.IGNORECASE,
)
# A medium in brackets after a journal's name (NLM's "[Internet]", "[serial online]"); other brackets there are
# part of the name or a date ("Annales … [d’Alger]", "[1968]"); ``tools/parser_data.py`` takes it out of the
# labelled sets' containers too
MEDIUM_TAIL_RE = re.compile(
    r"\s*\[(?:internet|online|serial online|en ligne|electronic(?: resource)?|cd-rom|dvd|microform|"
    r"электронный ресурс)\]$", re.IGNORECASE)
_QUOTES = "\"“”«»„‘’'"
_ROLE_RUN_RE = re.compile(r"\b(?:edited|translated|compiled|introduced)\s+by\b|\ba cura di\b", re.IGNORECASE)
# "Handbook (3rd ed.)", "Como elaborar projetos (5. Ed.)", "The curious case [DVD]", "The city (Doctoral
# dissertation)": not part of the title.
EDITION_TAIL_RE = re.compile(
    r"\s*(?:\((?:\d+(?:st|nd|rd|th|e|er|ème|a)?\.?|rev\.?|revised|new|second|third)\s*"
    r"(?:ed|éd|edn|edition|aufl)\.?[^)]{0,20}\)|\[(?!sic\b)[^\]]{2,30}\]"
    r"|\([^()]{0,30}\b(?:dissertation|thesis|thèse|tesis|tese)\b[^()]{0,40}\))$",
    re.IGNORECASE,
)
# "Decree of the President No." (the number labelled apart): a locator word left at a title's end
_LOCATOR_TAIL_RE = re.compile(r"[\s,]+(?:No|Nos|Nr|Vol|Vols|pp|p|Bd)\.?$", re.IGNORECASE)
_VOLUME_WORD_TAIL_RE = re.compile(r"[\s,]+(?:Vol|Vols|Bd)\.?$", re.IGNORECASE)  # (not "P.": "in D. I. P., II")
# "…, tr. W. Rehg", "…, ed. J. Smith" with the role word labelled with the title: it opens the names after it
# a title's last sentence that opens with a role word and names people: "…. Trans. W. D. Ross", "…. Edited by J. Roe"
_ROLE_SENTENCE_RE = re.compile(
    r"[.]\s+(?P<role>(?:" + role_words_re("editor", "translator") + r")\.?)(?:\s+by)?\s+"
    r"(?P<who>[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*){0,5})$", re.IGNORECASE)
# a statement of responsibility after a title's comma: "…, a cura di G. Monti", "…, trad. it. di L. Neri",
# "…, traduction et annotation de M. Roy", "…, edited by J. Roe"; "a cura di" without the comma too
_COMMA_ROLE_RE = re.compile(
    r"(?:,\s*(?:a\s+)?(?P<role>(?:" + role_words_re("editor", "translator") + r"))\.?,?|\s+a\s+cura\s+di)"
    r"(?P<rest>(?:\s+\S+){0,24}?)\s*$", re.IGNORECASE)
_LANGUAGE_ABBREV_RE = re.compile(r"(?:it|ital|fr|franc|ingl|ted|engl?|dt|esp|span|port)\.?", re.IGNORECASE)
_NAMES_AFTER_RE = re.compile(r"\b(?:by|di|de|par|von|da|por|door)\s+(?=[A-ZÀ-ÖØ-Þ])")
_ELLIPSIS_PAGES_RE = re.compile(r"(?P<title>.*\w)\s*(?:\.\.\.|…)\s*,\s*(?P<pages>\d+(?:\s*[-–]\s*\d+)?)$")
_VOLUME_OF_SERIES_RE = re.compile(r"[\s,]*\b(?:volume|vol\.)\s+(?P<v>\d+)\s+of\s+\S.*$", re.IGNORECASE)
_VOLUME_COUNT_RE = re.compile(r"\(?\d+\s*(?:vols?|voll|volumes|volumi|volúmenes|tomes|tomi|Bde|Bände)\.?\)?[,.;]?",
                              re.IGNORECASE)
_ROLE_TAIL_RE = re.compile(r"\s*,\s*(?:" + role_words_re("editor", "translator") + r")\.?$", re.IGNORECASE)

# "Nobiltà e popolo, cit.", "Feste, op. cit.": "cited", the mark of a short form in Italian, French and Latin notes
CIT_TAIL_RE = re.compile(r"[\s,;]*\b(?:(?:op|art|loc)\.\s*)?cit\.?[,;:]?\s*$", re.IGNORECASE)
"""(also how ``tools/parser_data.py`` takes "cit." out of the labelled sets' titles)"""

# The "by" left at the head of an editor run once its role word is gone; "von" and "de" only before a given
# and a family name ("von Ranke", "de Man" alone are particles)
_BY_AFTER_ROLE_RE = re.compile(r"^[\s,.:]*(?:by|v\.|par|por|(?:von|de)(?=\s+[A-Z]\w*\.?\s+[A-Z]))\s+")

_GIVEN_HEAD_RE = re.compile(r"\s*([^\W\d_]{2,15})\.\s+(?=[^\W\d_])")

# Vancouver's "2010;362", "2010 Jan 5;362": a year (and month and day) then a semicolon and the volume
_YEAR_THEN_VOLUME_RE = re.compile(
    r"(?P<date>(?:1[5-9]|20)\d\d(?:\s+[^\W\d_]{3,9}\.?(?:\s+\d{1,2})?)?)\s*;\s*(?P<v>\w+)$")

FIELDS_OF = {
    "author": "authors", "editor": "editors", "title": "title", "container": "container", "volume": "volume",
    "issue": "issue", "date": "date", "pages": "pages", "publisher": "publisher", "place": "place",
}


# "Il catasto, “Rivista di studi locali”," : a title, then a quoted name after its comma (Italian usage quotes a
# periodical's name, its punctuation outside the quotes; a quotation that ends with its own comma or period,
# "Ministry, “Interview with …,” 10 May", is the English title of the item); also how ``tools/parser_data.py``
# splits the labelled sets' titles
TITLE_THEN_QUOTED_RE = re.compile(r",\s*(?P<container>[«“\"][^«»“”\"]{1,}[^«»“”\",.;:\s][»”\"])[\s,.;]*$")
_LOCATOR_LABELS = ("volume", "issue", "date", "pages")
# "L'economia urbana, in Storia della città, II": a host after ", in" kept inside a title (also how
# ``tools/parser_data.py`` splits the labelled sets' titles)
TITLE_IN_HOST_RE = re.compile(r",\s+(?:in|dans|im)\s*:?\s+(?=[«“\"]?[^\W\d_])", re.IGNORECASE)


def quoted_host(lab: Labelled) -> Labelled:
    """``lab`` with a periodical's quoted name that the title's run kept given to the container.

    "La scuola di disegno, “Rivista di studi locali”, 1954": in a string with no container, a title run that is not
    itself quoted and ends in a quoted name after a comma, followed by a volume, an issue, a date or pages, holds
    the periodical; before anything else ("Estimi, “case e orti”, Verona") the quotation is the title's own.
    """
    if "container" in lab.labels or "title" not in lab.labels:
        return lab
    text = lab.text
    k = lab.labels.index("title")
    j = k
    while j + 1 < len(lab.labels) and lab.labels[j + 1] == "title":
        j += 1
    start, end = lab.spans[k][0], lab.spans[j][1]
    m = TITLE_THEN_QUOTED_RE.search(text, start, end)
    if m is None or text[start] in _QUOTES or not any(c.isalnum() for c in text[start : m.start()]):
        return lab
    nxt = next((lab.labels[i] for i in range(j + 1, len(lab.labels)) if text[lab.spans[i][0]].isalnum()), None)
    if nxt not in _LOCATOR_LABELS:
        return lab
    labels = list(lab.labels)
    for i in range(k, j + 1):
        if lab.spans[i][0] >= m.start("container"):
            labels[i] = "container"
        elif lab.spans[i][0] >= m.start():
            labels[i] = "other"
    return lab._replace(labels=labels)


# Case law. Bluebook: "Brown v. Board of Education, 347 U.S. 483, 495 (1954)", "Smith v. Jones, 512 F.3d 1141 (9th
# Cir. 2008)"; OSCOLA: "R v Brown [1994] 1 AC 212", "Harwood v. Lowther (1874) 9 LR Ex 145". The parties' names
# are the title, the law report the container, then its volume, the first page (and the page cited) and the year.
# (no comma before " v.": "Jane Roe, Brown v. Board Revisited, 12 Yale L.J. 44 (2001)" is an article about a case)
_PARTIES = r"\*?(?P<name>[^*,]{1,160}?\s(?:v|vs)\.?\s[^*]{1,160}?)\*?"
_REPORT = r"(?P<volume>\d{1,4})\s+(?P<report>[A-Z][\w.'’]*(?:\s[A-Z0-9][\w.'’]*){0,3}?)\s+" \
          r"(?P<pages>\d{1,5}(?:\s*,\s*\d{1,5}(?:\s*[-–]\s*\d{1,5})?)?)"
_CASE_RES = (
    re.compile(rf"^\s*{_PARTIES},\s*{_REPORT}\s*\((?P<court>[^()]{{0,40}}?)\s*(?P<year>1[5-9]\d\d|20\d\d)\)[\s.;,]*$"),
    re.compile(r"^\s*" + _PARTIES + r",?\s*[\[(](?P<year>1[5-9]\d\d|20\d\d)[\])]\s*"
               + _REPORT.replace(r"(?P<volume>\d{1,4})\s+", r"(?:(?P<volume>\d{1,4})\s+)?") + r"[\s.;,]*$"),
)


def legal_case(text: str) -> Fields | None:
    """The fields of a court case cited in the Bluebook's or OSCOLA's form (``_CASE_RES``), else None.

    The labelled sets hold almost no case law, and the labeller reads the parties' names as an author or a
    journal; the form itself is exact.
    """
    if " v" not in text:
        return None
    for case_re in _CASE_RES:
        if m := case_re.match(text):
            return Fields(title=m.group("name").strip(), container=m.group("report"), volume=m.group("volume"),
                          pages=re.sub(r"\s*,\s*", ", ", m.group("pages")), date=m.group("year"))
    return None


class Run(NamedTuple):
    label: str
    start: int  # character offsets into the labelled text
    end: int
    prob: float  # the lowest marginal probability of the run's word tokens' labels


class Assembled(NamedTuple):
    fields: Fields
    confidence: dict[str, float]
    runs: list[Run]
    title_quoted: bool
    quote_punct: bool
    container_in: bool
    head: str  # the text before the title (the author block)
    unclaimed_words: int  # words labelled other or note


def runs(lab: Labelled) -> list[Run]:
    out: list[Run] = []
    text = lab.text
    i, n = 0, len(lab.labels)
    while i < n:
        j = i
        while j + 1 < n and lab.labels[j + 1] == lab.labels[i]:
            j += 1
        probs = [lab.probs[k] for k in range(i, j + 1) if text[lab.spans[k][0]].isalnum()]
        out.append(Run(lab.labels[i], lab.spans[i][0], lab.spans[j][1], min(probs or lab.probs[i : j + 1])))
        i = j + 1
    return out


def _tidy(value: str | None) -> str | None:
    if not value:
        return None
    value = strip_punct(value.replace("*", "").strip(" " + _QUOTES))
    value = " ".join(strip_punct(value.strip(" " + _QUOTES)).split())
    if value.count("(") > value.count(")"):
        value = value.rstrip(" (")
        if value.count("(") > value.count(")") and value.startswith("("):
            value = value[1:]
        elif value.count("(") > value.count(")") and ")" not in value[(cut := value.rfind("(")):] and cut > 0:
            # "The Stanford Encyclopedia of Philosophy (Spring 2011": a bracket the run's end left open
            value = value[:cut].rstrip(" ,;:") or value
    if value.count(")") > value.count("(") and value.endswith(")"):
        value = value[:-1].rstrip()
    if value.count("[") != value.count("]"):
        value = value.strip("[] ")
        if value.count("]") > value.count("[") and "[" not in value:
            # "University of Toronto]. TSpace": the run began inside a bracket, and what follows it is another field
            value = value[: value.index("]")].rstrip(" .,;:") or value
    return value or None


def _keep_abbrev_period(raw: str, tidy: str | None) -> str | None:
    """A container keeps the period of its last abbreviation ("ACM Trans. Math. Softw.")."""
    if tidy and raw.rstrip(" ,;:)").endswith(".") and not tidy.endswith(".") and abbreviated_name(tidy + "."):
        return tidy + "."
    return tidy


def volume(text: str) -> str | None:
    t = _VOLUME_WORD_RE.sub("", text.strip(" ,.;:([")).strip(" ,.;:")
    m = _VOLUME_RE.search(t)
    return m.group(0) if m else None


def issue(text: str) -> str | None:
    t = text.strip(" ,.;:()[]").lstrip("№ ")
    t = _ISSUE_WORD_RE.sub("", t).strip(" ,.;:()")
    if not t or len(t) > 20:
        return None
    return t


def pages(text: str) -> str | None:
    t = text.strip(" ,;:()[]")
    t = _PAGES_WORD_RE.sub("", t).strip(" ,.;:()[]")
    t = _SHORT_WORD_BEFORE_NUMBER_RE.sub("", t)  # "С. 45–67", "Sz. 12": a page word of a language not listed
    if not t or not any(c.isdigit() or c in "ivxlcIVXLC" for c in t):
        return None
    t = _DASH_RE.sub("–" if "–" in t else "-", t)
    return re.sub(r"\s*,\s*", ", ", t)


def _names(text: str, editors: bool) -> tuple[Person, ...]:
    t = text.strip()
    if editors:
        t = _IN_RE.sub("", t)
        t = _ROLE_RUN_RE.sub(" ", t)
        t = strip_editor_marker(t)
        lead = t.split()
        k = next((i for i, w in enumerate(lead[:3]) if role_of(w.strip(" .,;:()"))), 0)
        if k and all(w.islower() for w in lead[:k]):
            t = " ".join(lead[k:])  # "под ред. П. П. Петрова", "pod red.": the words before the role word
        words = [w for w in re.split(r"(\s+)", t) if not (w.strip() and role_of(w.strip(" .,;:()")))]
        t = "".join(words)
        t = re.sub(r"\(\s*\)", " ", t)
        t = _BY_AFTER_ROLE_RE.sub("", t)  # "Hrsg. v. Johannes Winckelmann", "éd. par Jean Dupont"
    t = strip_punct(t.strip(" ,;:([")).strip()
    if not t or not any(c.isalpha() for c in t):
        return ()
    return parse_names(t)


def _marks_editors(lab: Labelled, run: Run) -> bool:
    """Whether the run's tokens hold an editor's role word ("ed.", "Hrsg.", "a cura di")."""
    text = lab.text
    return any(
        role_of(text[s:e]) == "editor" for s, e in lab.spans if run.start <= s < run.end and text[s:e][:1].isalpha()
    )


_INITIALLED_RE = re.compile(r"(?P<family>[^\W\d_][\w'’-]+)\s+(?:[^\W\d_]\.\s*){1,3}[,;]?\s*")


def _periodical_locators(first: dict[str, Run]) -> bool:
    """A volume after the title, then an issue, before any pages: a periodical's locators ("v. 35, n. 70, p.
    45-67"); an entry number after the pages ("p. 49, n. 149") is not one."""
    title, volume, issue, pages = (first.get(k) for k in ("title", "volume", "issue", "pages"))
    return (title is not None and volume is not None and issue is not None and title.end <= volume.start
            < issue.start and (pages is None or issue.start < pages.start))


def _masthead(text: str) -> bool:
    """Whether ``text`` reads as a periodical's name: one to six words, none a number, the first and the last
    capitalised, and every word of more than three letters too ("The Daily Courier", "Le Monde", "El País")."""
    words = text.strip(" .").split()
    return (0 < len(words) <= 6 and words[0][:1].isupper() and words[-1][:1].isupper()
            and all(w[:1].isupper() or (len(w) <= 3 and w.isalpha()) for w in words)
            and not any(c.isdigit() for c in text))


def _last_sentence(text: str) -> int:
    """Where the last of two or more sentences of ``text`` starts (``text.sentence_end``), or -1."""
    start, cut = 0, -1
    while (end := sentence_end(text, start)) > 0 and text[end:].strip():
        cut = start = end
    return cut if cut < 0 else len(text) - len(text[cut:].lstrip())


# Names that end in "Family, I." (initials, with their periods), then capitalised words with no comma or
# period between them: "BROWN, A. Cidades.", "SMITH, A.; JONES, B. Las ciudades"
# (every name inverted, family first: "H. Day, D. M. Wiles" is a list of names, given names first)
_INITIALS_THEN_TITLE_RE = re.compile(
    r"(?P<names>[^\W\d_][\w'’-]+,\s*(?:[^\W\d_]\.\s*){1,3}"
    r"(?:\s*(?:[,;&]|and|et|y|und|e)\s+[^\W\d_][\w'’-]+,\s*(?:[^\W\d_]\.\s*){1,3})*)"
    r"(?P<rest>[^\W\d_&][\w'’-]{2,}(?:\s+[\w'’-]+)*)\s*\.?\s*$")


def _names_then_title(text: str) -> tuple[tuple[Person, ...], str] | None:
    """Names in "Family I. I." form, a title and " / " with the names again (GOST, ISBD's statement of
    responsibility), all in one run: the names and the title. None unless every family name before the title
    is named again after the " / "."""
    head, sep, tail = text.partition(" / ")
    if not sep:
        return None
    again = {w.strip(".,;:").lower() for w in tail.split()}
    end = 0
    while (m := _INITIALLED_RE.match(head, end)) and m.group("family").lower() in again:
        end = m.end()
    title = head[end:].strip()
    if not end or not any(c.isalpha() for c in title):
        return None
    return parse_names(head[:end].strip(" ,;")), title


def _responsibility(title: str, authors: tuple[Person, ...]) -> tuple[str, tuple[Person, ...]] | None:
    """A title's statement of responsibility after " / " (GOST, ISBD): the title before it and the editors it
    names; None when the part after " / " is not one (it does not open with a role word in its first three
    words, nor name one of the authors), as in "Input / Output".
    """
    before, sep, after = title.partition(" / ")
    if not sep or not before.strip() or not after.strip():
        return None
    words = after.split()
    roles = [k for k, w in enumerate(words[:3]) if role_of(w.strip(".,;:()[]"))]
    families = {p.family.lower() for p in authors if p.family}
    if roles:
        role = role_of(words[roles[-1]].strip(".,;:()[]"))
        names = " ".join(words[roles[-1] + 1:])
        return before.rstrip(), _names(names, editors=True) if role == "editor" else ()
    if families and any(w.strip(".,;:").lower() in families for w in words):
        return before.rstrip(), ()
    return None


def _comma_responsibility(title: str) -> tuple[str, str, tuple[Person, ...]] | None:
    """A title run that ends in a statement of responsibility after a comma (``_COMMA_ROLE_RE``): the title
    before it, the role ("editor", "translator") and the people it names. None unless what follows the role
    word is a language ("trad. it.") or names someone (a capitalised word): "Authors, editors and readers"
    keeps its title."""
    m = _COMMA_ROLE_RE.search(title)
    if m is None or m.start() == 0:
        return None
    head = title[: m.start()].rstrip(" ,;:")
    rest = m.group("rest").strip(" ,.;:")
    role = role_of(m.group("role")) if m.group("role") else "editor"
    if not head or role is None:
        return None
    if rest and _LANGUAGE_ABBREV_RE.fullmatch(rest):
        return head, role, ()
    names = rest[n.end():] if (n := _NAMES_AFTER_RE.search(rest)) else rest
    if not names or not names[:1].isupper():
        return None
    return head, role, _names(names, editors=True)


def _translates(lab: Labelled, run: Run) -> bool:
    """Whether the run's role words are a translator's alone ("tłum. J. Radzicki", "trans. by K. Smith"): its
    names are not the editors (the fields hold no translators)."""
    text = lab.text
    roles = {role_of(text[s:e]) for s, e in lab.spans if run.start <= s < run.end and text[s:e][:1].isalpha()}
    return roles - {None} == {"translator"}


def _in_before(lab: Labelled, first: dict[str, Run]) -> bool:
    """Whether "in" opens what follows the title and leads to the container ("…”, in K. Smith (ed.), *Book*")."""
    if "title" not in first or "container" not in first:
        return False
    lo, hi = first["title"].end, first["container"].start
    if hi <= lo:
        return False
    for (s, e), label in zip(lab.spans, lab.labels, strict=True):
        if lo <= s < hi and label in ("other", "editor") and lab.text[s:e].lower() in ("in", "dans", "im"):
            return True
    return False


def _ends_with(lab: Labelled, rs: list[Run], run: Run) -> bool:
    """Whether no word follows ``run`` (only punctuation)."""
    return not any(r.start > run.start and any(c.isalnum() for c in lab.text[r.start : r.end]) for r in rs)


def _italic(text: str, run: Run) -> bool:
    """Whether the run is one italic name (``*…*`` around it, inside or just outside the run)."""
    inner = text[run.start : run.end].strip(" ,.;:")
    if inner.startswith("*") and inner.endswith("*") and len(inner) > 2:
        return True
    return text[: run.start].rstrip()[-1:] == "*" and text[run.end :].lstrip()[:1] == "*"


def _next_run(lab: Labelled, rs: list[Run], run: Run) -> Run | None:
    """The first run after ``run`` that holds a word or a number (punctuation runs are skipped)."""
    return next((r for r in rs if r.start >= run.end and any(c.isalnum() for c in lab.text[r.start : r.end])), None)


def _wider_date(text: str, run: Run, iso: str | None) -> tuple[str, int] | None:
    """A more precise date that overlaps the date run and reaches before it, with where it starts.

    The labeller sometimes gives the month and day to the words before the year; the date expression
    around the run (``dates.find_dates``, anchored on the year) says how precise the date was written."""
    lo = max(0, run.start - 24)
    for m in dates.find_dates(text[lo : run.end]):
        start, end = lo + m.start, lo + m.end
        if start < run.start < end and len(m.iso) > len(iso or ""):
            return m.iso, start
    return None


_IN_JUST_BEFORE_RE = re.compile(rf"(?:^|\W){_IN}\W*$", re.IGNORECASE)


def _container_as_title(lab: Labelled, rs: list[Run], first: dict[str, Run]) -> None:
    """With no title labelled, the first container is the work's own title when the string says so (``first`` is
    changed in place; as ``tools/parser_data.py`` normalises the labelled sets):

    - a work, then "in" and its host ("«Titolo», in Rivista …", "« Titre », dans Livre"): the host is the container;
    - a book cited whole ("MARTIN, «Provence», Éditions du Midi 1962"): no "in" before it, no volume, issue or
      pages after it (a journal cited by its name alone, "Proc. Phys. Soc. 512 (1950)", keeps them), and a
      publisher or a place, which books have and periodicals' articles do not.
    """
    text, c = lab.text, first["container"]
    if _IN_JUST_BEFORE_RE.search(text, 0, c.start) or _IN_RE.match(text, c.start):
        return
    host = next((r for r in rs if r.start >= c.end and r.label in ("container", "title")), None)
    if host is not None and IN_BETWEEN_RE.search(text, c.end, host.start + 4):
        first["title"], first["container"] = c, host
    elif (host is None and not {"volume", "issue", "pages"} & first.keys() and {"publisher", "place"} & first.keys()
          and not IN_BETWEEN_RE.search(text, 0, c.start)):
        first["title"] = c
        del first["container"]


_YEAR_RANGE_RE = re.compile(r"(?<!\d)((1[5-9]|20)(\d\d))\s*[-–—/]\s*(\d{1,4})(?!\d)")


def year_range_start(text: str) -> str | None:
    """The first year of a range of years the labeller labelled a date: "1890 - 99", "1962/63", "1938–1941".

    A work in several volumes published over years, or an academic year. ``dates`` reads "1890-99" in running
    text as a page range, rightly; in a date run it is the range's first year. A four-digit end must be later
    than the start, within a century ("1890-1902"), or it is no range.
    """
    m = _YEAR_RANGE_RE.search(text)
    if m is None:
        return None
    start, end = int(m.group(1)), m.group(4)
    if len(end) == 4:
        later = start < int(end) <= start + 100
    else:  # "1890 - 95", "1999-00", "1951 - 5": the end's last digits (of the next century when smaller)
        later = int(end) != start % 10 ** len(end)
    return m.group(1) if later else None


def assemble(lab: Labelled) -> Assembled:
    text = lab.text
    rs = runs(lab)
    first: dict[str, Run] = {}
    for r in rs:
        first.setdefault(r.label, r)

    def raw(label: str) -> str | None:
        r = first.get(label)
        return text[r.start : r.end] if r else None

    if "volume" in first and _VOLUME_COUNT_RE.fullmatch(text[first["volume"].start : first["volume"].end].strip()):
        # "Cronache, 3 vols. (Venezia 1990), I, 12": the volume cited, when the labeller read one after the
        # count of volumes, is the volume (alone, the count stays: the labelled sets call it the volume)
        later = next((r for r in rs if r.label == "volume" and r.start >= first["volume"].end), None)
        if later is not None:
            first["volume"] = later
    if "title" in first and "container" not in first:
        later = next((r for r in rs if r.label == "title" and r.start >= first["title"].end), None)
        if later is not None and IN_BETWEEN_RE.search(text, first["title"].end, later.start):
            # "Title. In: Editor (Hrsg.): Book Title": a second title after "In" is the book's (the labelled sets
            # are normalised so: tools/parser_data.py)
            first["container"] = later
    if "container" in first and "title" not in first:
        _container_as_title(lab, rs, first)
    conf = {FIELDS_OF[k]: round(r.prob, 3) for k, r in first.items() if k in FIELDS_OF}
    authors = _names(raw("author") or "", editors=False) if "author" in first else ()
    head_title = None
    if ("author" in first and "title" not in first and " / " not in (raw("author") or "")
            and (m := _INITIALS_THEN_TITLE_RE.match(raw("author") or ""))):
        # "BROWN, A. Cidades.": the names end at their initials; the short title after them ran into their run
        authors, head_title = _names(m.group("names"), editors=False), m.group("rest")
    elif "author" in first and "title" not in first and (split := _names_then_title(raw("author") or "")):
        # "Иванов И. И. История России / И. И. Иванов": the run the labeller gave the names holds the title too
        authors, head_title = split
    elif "title" not in first and "container" in first and _responsibility(raw("container") or "", authors):
        # no title, and a "container" with a statement of responsibility after " / ": it is the work itself
        head_title = raw("container")
        del first["container"]
        conf["title"] = conf.pop("container", 1.0)
    editors = _names(raw("editor") or "", editors=True) if "editor" in first and not _translates(lab, first["editor"]) \
        else ()
    book = None
    if editors and "container" not in first and (m := _ROLE_THEN_WORK_RE.match(raw("editor") or "")):
        # "In: SILVA, J. (Org.). Urbanismo.": the book's title ran into its editors' run after their role mark
        editors, book = _names(m.group("names"), editors=True), _tidy(m.group("rest"))
    if authors and _marks_editors(lab, first["author"]):
        # "K. Smith (ed.), Title": the names at the head are the editors of the work
        authors, editors = (), editors or _names(raw("author") or "", editors=True)
    title_raw = raw("title") if head_title is None else head_title
    if (title_raw and head_title is None and "date" in first and len(authors) == 1 and authors[0].family
            and not authors[0].given and (raw("author") or "").rstrip().endswith(",")
            and not text[first["author"].end : first["title"].start].strip()
            and (m := _GIVEN_HEAD_RE.match(title_raw)) and m.group(1)[0].isupper() and m.group(1)[1:].islower()):
        # MLA's "Morrison, Toni. Beloved.": a family name and its comma, then the given name the labeller gave
        # the title (a comma after a lone family name promises the given name; in a full reference, with a
        # date: "Filiasi, Mem. stor." is a short form's abbreviated title)
        authors = (Person(family=authors[0].family, given=m.group(1)),)
        title_raw = title_raw[m.end():]
    title_quoted = quote_punct = False
    title = gost_container = None
    if title_raw:
        stripped = title_raw.strip()
        if "title" in first:
            title_quoted = stripped[:1] in _QUOTES or (
                first["title"].start > 0 and text[: first["title"].start].rstrip()[-1:] in "“\"«‘"
            )
            after = text[first["title"].end : first["title"].end + 3]
            quote_punct = title_quoted and bool(re.search(r"[,.:;][”\"’»]|[”\"’»]\s*[,.:;]", stripped[-3:] + after))
        if "//" in stripped and "://" not in stripped:
            # GOST: "Article // Journal. 2010": the part before "//" is the work, the part after is its host
            before, _, after = stripped.partition("//")
            if "container" not in first and after.strip(" .,"):
                gost_container = _tidy(after)
            stripped = before.strip() or stripped
        if (stated := _responsibility(stripped, authors)) is not None:
            # GOST / ISBD: "Title / ed. by X", "История России / под ред. П. П. Петрова": the statement of
            # responsibility after " / " is not the title (its editors are, when nothing else names them)
            stripped, who = stated
            if not editors and who:
                editors = who
        title = _tidy(stripped.removesuffix(" /"))  # (a statement of responsibility the labeller ran apart)
        if title and title[-1] in ")]":
            title = _tidy(EDITION_TAIL_RE.sub("", title)) or title
        if title and (m := _IN_TAIL_RE.search(title)) and m.start() > 0:
            title = _tidy(title[: m.start()]) or title  # "Cidades. In" before the book's editors
        if title and (m := _EDITION_SENTENCE_RE.search(title)) and m.start() > 0:
            title = _tidy(title[: m.start()]) or title
        if title and _LOCATOR_TAIL_RE.search(title):
            title = _tidy(_LOCATOR_TAIL_RE.sub("", title)) or title
        if title and _ROLE_TAIL_RE.search(title):
            title = _tidy(_ROLE_TAIL_RE.sub("", title)) or title
        if title and (m := _ROLE_SENTENCE_RE.search(title)) and m.start() > 0 and (named := _names(m.group("who"),
                                                                                                     editors=True)):
            # MLA's "Nicomachean Ethics. Trans. W. D. Ross.", "Title. Ed. Jane Roe.": a sentence that opens with a role
            # word names the work's translator or editor, and is no part of its title
            title = _tidy(title[: m.start()]) or title
            if not editors and role_of(m.group("role").rstrip(".")) == "editor":
                editors = named
        if title and (said := _comma_responsibility(title)) is not None:
            # "Cronache dei mercanti, a cura di G. Monti": the statement of responsibility is no part of the title; its
            # names are the editors when nothing else names them (a translator is not a field of ours)
            title, role, named = said
            if not editors and role == "editor" and named:
                editors = named
        if title and (m := CIT_TAIL_RE.search(title)) and m.start() > 0:
            title = _tidy(title[: m.start()]) or title  # "Riti, cit.": a short form's mark, no part of its title
    if title and not authors and not editors and (cut := sentence_end(title)) > 0 and title[cut:].strip() \
            and is_institution(head := title[:cut].rstrip(" .")):
        # "The Boston Consulting Group. Perspectives on Corporate Strategy.": no author was labelled, and the
        # title's first sentence is an organisation's name: its corporate author
        authors, title = (Person(literal=head),), _tidy(title[cut:]) or title
    if (title and not gost_container and not book and "container" not in first and _periodical_locators(first)
            and (cut := _last_sentence(title)) > 0):
        # "A pesca artesanal no litoral. Revista Brasileira de História, São Paulo, v. 35, n. 70": a volume
        # and then an issue name a periodical, and the labeller left its name as the title's last sentence
        title, book = _tidy(title[:cut]) or title, _tidy(title[cut:])
    if (title and not gost_container and not book and "container" not in first and "editor" not in first
            and (hosts := list(TITLE_IN_HOST_RE.finditer(title))) and (host := title[hosts[-1].end():])
            and (host[0].isupper() or host[0] in _QUOTES)
            and not any(role_of(w.strip(".,;:()[]")) for w in host.split()) and not _IN_RE.match(title)):
        # "La flotta, in Storia della città": the host after the last ", in" that the title's run kept
        title, book = _tidy(title[: hosts[-1].start()]) or title, _tidy(host)
    if (title and not gost_container and not book and "container" not in first and "publisher" not in first
            and "volume" not in first and (d_raw := raw("date")) is not None and len(dates.to_iso(d_raw) or "") == 10
            and (cut := _last_sentence(title)) > 0 and _masthead(title[cut:]) and len(title[:cut].split()) > 1):
        # APA's news article: "Smith, J. (2019, March 3). Rivers are rising. The Daily Courier. URL": an item dated
        # to the day, with no publisher and no volume, whose title's last sentence is a short name in title case,
        # names the newspaper (or the site) in that sentence
        title, book = _tidy(title[:cut]) or title, _tidy(title[cut:])
    container = gost_container or book
    container_in = cited = False
    if (c_raw := raw("container")) is not None:
        before = text[max(0, first["container"].start - 6) : first["container"].start].lower()
        c = c_raw.strip()
        if _IN_RE.match(c) or re.search(r"\b(?:in|dans)\s*:?\s*$", before) or _in_before(lab, first):
            container_in = True
            c = _IN_RE.sub("", c)
        container = _keep_abbrev_period(c, _tidy(c))
        if container and (m := _ROLE_THEN_WORK_RE.match(container)) and "editor" not in first:
            # "In: Brygida Rudzka-Ostyn (szerk) Topics in cognitive linguistics": the book's editors ran into it
            editors, container = _names(m.group("names"), editors=True), _tidy(m.group("rest")) or container
        if container and container[-1] == "]" and (m := MEDIUM_TAIL_RE.search(container)):
            container = _tidy(container[: m.start()]) or container  # "Appl Nurs Res [Internet]"
        if container and _VOLUME_WORD_TAIL_RE.search(container):
            container = _tidy(_VOLUME_WORD_TAIL_RE.sub("", container)) or container  # "Dictionary of X Vol." then "4"
        if container and (m := CIT_TAIL_RE.search(container)) and m.start() > 0:
            # "in La città e il porto, cit., II": the book was cited before; "cit." is no part of its name
            container, cited = _tidy(container[: m.start()]) or container, True
    vol = volume(raw("volume") or "") if "volume" in first else None
    series_volume = None
    if container and (m := _VOLUME_OF_SERIES_RE.search(container)) and m.start() > 0:
        # BibTeX's standard styles: "In Proceedings of X, volume 1445 of LNCS, pages 3–9": the book's
        # volume in a series, whose name is no part of the book's
        container, series_volume = _tidy(container[: m.start()]) or container, m.group("v")
    vol = vol or series_volume
    if vol and "issue" not in first and (raw("volume") or "").lstrip(" ,.;:(").startswith("№"):
        # "№ 3" labelled volume: the numero sign marks a journal's issue (GOST); "No. 125" alone stays the
        # volume, as the labelled sets have it (a report's or a series' number)
        vol, first["issue"] = None, first["volume"]
        del first["volume"]
        conf["issue"] = conf.pop("volume", 1.0)
    iss = issue(raw("issue") or "") if "issue" in first else None
    if vol is None and "volume" in first and iss is None:
        pass
    if "volume" in first and iss is None:
        m = _VOL_ISSUE_RE.match((raw("volume") or "").strip(" ,.;:"))
        if m:
            vol, iss = m.group("v"), (m.group("i") or m.group("j")).strip()
    if "volume" in first and iss is None and (m := _ISSUE_IN_VOLUME_RE.search(raw("volume") or "")):
        iss = m.group(1)  # "Т. 12, № 4", "vol. 8, no. 7": the issue the labeller left in the volume's run
    if container and vol is None and (m := _CONTAINER_VOLUME_RE.search(container)):
        container, vol = container[: m.start()], m.group("v")
    if container and vol is None and (m := _GLUED_VOLUME_RE.search(container)) and m.start() > 0 and (
            m.group("series") is None or "." in container[: m.start()]):
        # "Nucl. Phys. B12", "Phys. Rev. D7": a journal's series letter and its volume run together; "史学論叢7":
        # the volume right after a name in CJK script
        container, vol = container[: m.start("v")].rstrip(), m.group("v")
    if title and vol is None and "volume" not in first and (m := _TITLE_VOLUME_RE.search(title)) and m.start() > 0:
        title, vol = title[: m.start()], m.group("v")
    if container and "place" not in first and ", " in container:
        head_, _, tail = container.rpartition(", ")
        if head_ and is_place(tail) and not is_place(head_):
            # "Revista Brasileira de História, São Paulo, v. 35" (ABNT names the journal's city after it)
            container, first_place = head_, tail
        else:
            first_place = None
    else:
        first_place = None
    date = None
    if (d_raw := raw("date")) is not None:
        date = dates.to_iso(d_raw) or year_range_start(d_raw)
        if (wider := _wider_date(text, first["date"], date)) is not None:
            # "entry for February 30, 1883" with only the year labelled date: the date is as precise as
            # written, and the words it took leave the run before it
            date, start = wider
            if title and "title" in first and first["title"].start < start < first["title"].end <= first["date"].start:
                title = _tidy(text[first["title"].start : start]) or title
    if date is None and "volume" in first and (m := _YEAR_THEN_VOLUME_RE.match((raw("volume") or "").strip(" ,.;:("))):
        # Vancouver: "N Engl J Med. 2010;362(5):123-9", the year and the volume in one run
        date, vol = dates.to_iso(m.group("date")) or m.group("date")[:4], m.group("v")
        conf["date"] = conf.get("volume", 1.0)
    elif (date is not None and len(date) == 7 and "volume" in first and first["date"].end <= first["volume"].start
          and (m := re.fullmatch(r"(\d{1,2})\s*;\s*(\w+)", (raw("volume") or "").strip(" ,.:(")))):
        # "2011 Mar 5;377": the day went to the volume's run
        date, vol = dates.to_iso(f"{d_raw} {m.group(1)}") or date, m.group(2)
    pg = pages(raw("pages") or "") if "pages" in first else None
    if title and not pg and (m := _ELLIPSIS_PAGES_RE.match(title)):
        # "Cronache..., 34": a short form's title cut short with an ellipsis, then the page it cites
        title, pg = _tidy(m.group("title")) or title, pages(m.group("pages"))
    if pg and iss is None and (m := _ISSUE_THEN_PAGES_RE.match(raw("pages") or "")):
        iss, pg = m.group("i"), pages(m.group("p")) or pg
    publisher = _tidy(raw("publisher"))
    if publisher and ", " in publisher and is_report_mark((parts := publisher.split(", ", 1))[0]):
        publisher = parts[1]  # "Thesis, State University": what the work is, then who issued it
    place = _tidy(raw("place")) or first_place
    if title and container and title == container:
        container = None
    if (vol and title and not container and pg is None and iss is None and "volume" in first
            and _ends_with(lab, rs, first["volume"])):
        # 'Author and Other, "A Title," 11.': a bare number ending a citation with no container and no
        # "vol." is the page of a short form, not a volume
        if (v_raw := (raw("volume") or "").strip(" ,.;:")).isdigit():
            vol, pg = None, v_raw
    if (
        title
        and not title_quoted
        and date is not None
        and len(date) == 10
        and "title" in first
        and _italic(text, first["title"])
        and (nxt := _next_run(lab, rs, first["title"])) is not None
        and nxt.label == "date"
        and (not container or first["container"].start > nxt.start)
    ):
        # "Vera Author, *Daily Name*, 26 May 1993, *Digest*, p. 16": an italic name dated to the day is a
        # periodical's issue (a book is dated by its year), so it is the container of an untitled item; an
        # italic name after the date is where the item was reprinted, not the periodical
        title, container = None, title
        conf["container"] = conf.pop("title", 1.0)
    if container and not title and not container_in and ((vol is None and iss is None and date is None) or cited):
        # "Volkov, *Rails against Rivers*, p. 130.": a container holds something with a title, a date or a
        # volume of its own; with none of them and no "in", the one name given is the work's title; so is a name
        # marked "cit." with no "in" ("Lettere e scritti, cit., II, p. 233": a short form of a work cited before)
        title, container = container, None
    fields = Fields(
        authors=authors,
        editors=editors,
        title=title,
        container=container,
        volume=vol,
        issue=iss,
        date=date,
        pages=pg,
        publisher=publisher,
        place=place,
    )
    head_end = first["title"].start if "title" in first else (first["container"].start if "container" in first else 0)
    unclaimed = sum(
        1
        for k, lbl in enumerate(lab.labels)
        if lbl in ("other", "note") and text[lab.spans[k][0] : lab.spans[k][1]].isalpha()
    )
    conf = {k: v for k, v in conf.items() if getattr(fields, k)}
    return Assembled(fields, conf, rs, title_quoted, quote_punct, container_in, text[:head_end], unclaimed)
