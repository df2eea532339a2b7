"""Parsing one citation segment into its kind and fields.

``parse`` works from the outside in:

1. "Ibid." notes are recognised whole; lead-ins ("see also", "cf."), list
   numbers, "op. cit." and "X quoted in …" wrappers are set aside.
2. Identifiers are lifted out: the first URL, DOI, ISBN and access date.
3. ``titles.find_title`` finds the title and the author block before it.
4. The tail after the title goes to ``locators.parse_rest``.
5. ``kinds.classify`` names the kind; ``parsed`` is False when nothing
   bibliographic was found (commentary, P001).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from operator import methodcaller

from verifier.model import CONFIDENT, Fields, Kind

from . import dates, identifiers
from .assemble import EDITION_TAIL_RE, assemble, legal_case, quoted_host
from .ibid import ibid_pages, ibid_volume, is_ibid
from .kinds import Hints, classify, is_document_name, mentions_interview
from .labeller import Labelled, label_one
from .labeller import prime as prime_labels
from .locators import Rest, abbreviated_name, parse_rest
from .names import parse_names
from .text import clean, quoted_spans, sentence_end, strip_punct, urls_in
from .titles import (
    Work,
    find_title,
    namey,
    strip_lead_in,
    strip_start,
    title_after_repeated_author,
    title_first,
)
from .tokens import lexicons

_MAX_LEN = 4000
_NUMBERING_FIRST = "[(-•*–—_"  # besides digits, what list numbering can start with (the text is cleaned)
# (A bare number counts before a family name and its comma: "13 Cartier, E.", "11 D’SOUZA, J.E."; for a
# footnote's "17 Stadtarchiv Neuburg, …", see ``_NOTE_NUMBER_RE``)
_NUMBERING_RE = re.compile(
    r"^\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}\.(?=\s)|\d{1,3}\s(?=[A-Z][\w’'\-]+,\s)|[-•*–]\s|[-—–_]{2,}\.?,?)\s*"
)
# A footnote's bare number before a capitalised word ("17 Stadtarchiv Neuburg, …", "3 Véase …"), unless that word
# is a month ("12 March 2001")
_NOTE_NUMBER_RE = re.compile(r"(\d{1,3})\s+(?=(?P<word>[^\W\d_][\w’'\-]*\.?)[\s,])")
# "———. Title …", "______. Title …", "--- (2005). 'Title' …": a dash standing for the author of the entry before.
# (A run of hyphens needs the punctuation after it: "-- Smith, J." may be a list bullet.)
_REPEATED_AUTHOR_RE = re.compile(r"^\s*(?:[—_]{2,}\s*[.,:]?|[-–—]{2,}(?=\s*[.,:(])\s*[.,:]?)\s*(?=\S)")
# "Fincher, D. (Director).", "Marshall, F. (Producers), & …": a film's makers, named like authors (APA).
_FILM_ROLE_RE = re.compile(
    r"\s*\((?:(?:Executive\s+)?Producers?|Directors?|Writers?(?:\s*/\s*Directors?)?|Creators?)\)(?:\.(?=\s*\())?"
)
# "A Civil Action. Dir. Steven Zaillian. Perf. John Travolta. Touchstone Pictures, 1999." (MLA film)
_MLA_FILM_RE = re.compile(r"\.\s+Dir[.,]\s+(?=[A-Z])")
_FILM_CREDIT_RE = re.compile(r"(?:Dir|Perf|Prod|Screenplay|Writ|Narr)[.,]\s+(?=[A-Z])")
_WRAPPER_RE = re.compile(
    r"^(?P<who>[^,;:“\"]{3,60}?)\s+(?P<verb>quoted|interviewed|cited|as cited|reported)\s+in\s+(?=\S)",
    re.IGNORECASE,
)
_INTERVIEW_WITH_RE = re.compile(
    r"^(?:an?\s+)?interview(?:ed)?\s+(?:with|of)\s+(?P<who>[^,;:“\"*]{3,60}?)(?:,|\s+in\b|\s+by\b|\s*(?=[“\"*]))\s*",
    re.IGNORECASE,
)

_SECONDARY_HINT_RE = re.compile(r"quoted|cited|reported|reprinted|excerpted|translated")
_SECONDARY_RE = re.compile(
    r"[,.;]?\s+(?:as\s+)?(?:quoted|cited|reported|reprinted|excerpted|translated)\s+in\b",
    re.IGNORECASE,
)
_ACCESS_TAIL = (
    r")\s*(?:(?:on|am|le|el|em|il|the|en|:)\s*)*"
    r"(?P<date>[^)\];]{4,40}?\d{4}(?:-\d\d-\d\d)?|\d{4}\s+[^\W\d_]{3,9}\.?(?:\s+\d{1,2})?)"  # (NLM: "cited 2015 Jun 3")
    r"\s*[\])]?(?=[\s,.;)\]]|$)"
)


@lru_cache(maxsize=1)
def _accessed_re() -> re.Pattern[str]:
    """An access-date clause: a word of the access lexicon (``data/access-words.txt``: "accessed",
    "retrieved", "consulté", "Zugriff", "acesso" …), "date of access", then the date."""
    words = sorted(lexicons().access, key=len, reverse=True)
    return re.compile(
        r"[\[(]?\s*(?:(?:last\s+|дата\s+)?(?P<word>" + "|".join(map(re.escape, words)) + r")(?![^\W\d_])|date of access"
        + _ACCESS_TAIL,
        re.IGNORECASE,
    )


_SLASHED_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ENGLISH_ACCESS = frozenset({"accessed", "access", "retrieved", "visited", "viewed", "consulted"})


def _access_clause(t: str) -> tuple[re.Match[str], str] | None:
    """The first access clause whose date starts the clause's date part ("accessed 3 May 2015", "Zugriff
    am 10.11.2015"), with the date in ISO form; "Open access journal, 2015" names no access date.

    A slashed date is read day first after a word of another language ("consultato il 10/11/2015"); after
    an English word only when one number is over 12 (11/10/2015 is October in London, November in Boston)."""
    for m in _accessed_re().finditer(t):
        part = m.group("date")
        found = dates.find_dates(part)
        if found and found[0].start <= 1:
            return m, found[0].iso
        if (sl := _SLASHED_RE.match(part.strip())) is not None:
            a, b = int(sl.group(1)), int(sl.group(2))
            english = (m.group("word") or "access").lower() in _ENGLISH_ACCESS
            if a > 12 or (not english and b <= 12):
                day, month = a, b
            elif b > 12:
                day, month = b, a
            else:
                continue
            if 1 <= month <= 12 and 1 <= day <= 31:
                return m, f"{sl.group(3)}-{month:02d}-{day:02d}"
    return None


_RETRIEVED_RE = re.compile(
    r"(?:retrieved|available|accessible|downloaded)(?:\s+online)?\s*(?:from|at|on|via)?\s*:?\s*$|"
    r"\[online\]|\(online\)|\burl\s*:?\s*$|<\s*$|"
    r"режим доступа\s*:?\s*$|"
    r"\b(?:online|verfügbar|abrufbar|en ligne|disponible|disponível|disponibile|consultable)"
    r"(?:\s+(?:unter|sur|en|em|su|à|a|at|from|in))?\s*:?\s*$",
    re.IGNORECASE,
)
# What may stand between an access date and its URL, both lifted out: "…, from", "at", "unter", "sur"
_CONNECTIVE_RE = re.compile(r"^[\s,;:.]*(?:(?:from|at|on|via|unter|auf|sur|à|en|em|da|su|in)\b[\s,;:.]*)?$",
                            re.IGNORECASE)
_DOI_TEXT_RE = re.compile(r"(?:\bdoi\s*[:=]?\s*|https?://(?:dx\.)?doi\.org/)10\.\S+|\b10\.\d{3,9}/\S+", re.IGNORECASE)
_ISBN_TEXT_RE = re.compile(r"\bISBN(?:-?1[03])?\s*:?\s*[0-9][0-9\s\-‐–]{7,20}[0-9Xx]", re.IGNORECASE)
_INTERVIEW_START_RE = re.compile(r"^(?:[\w’']+\s+){0,2}interview\b", re.IGNORECASE)
_DOCUMENT_TITLE_RE = re.compile(r"\b(?:statement|decree|treaty|resolution|declaration|communiqu[eé]|law)\b", re.I)
_OP_CIT_RE = re.compile(r"\b(?:op\.?\s*cit|loc\.?\s*cit|art\.?\s*cit)\b\.?", re.IGNORECASE)
_PROSE_WORDS = frozenset(
    """is are was were been has have had would could should will did does not which who whose although because
    however became remained since whereas there this these they their it""".split()
)
_COMMAS_RE = re.compile(r",(?:\s*,)+")
_SUBTITLE_RE = re.compile(r"[^\W\d_]")
_SERIES_RE = re.compile(
    r"\b(?:series|lecture notes|studies|journal|review|quarterly|bulletin|proceedings|transactions|papers|"
    r"monographs?|reports?|collection|library|edition|editio|revised|texts|ed|vol|volume|handbook)\b|\d",
    re.IGNORECASE,
)
_BOOK_SERIES_RE = re.compile(r"\bseries\b|\btexts\s+in\b|ausgabe\b", re.IGNORECASE)
_PAPER_RE = re.compile(r"\b(?:discussion|working|policy) paper\b", re.IGNORECASE)


def parse(text: str) -> tuple[Kind, Fields, bool]:
    """Parse one citation segment: ``(kind, fields, parsed)``; ``parsed`` False means nothing bibliographic.

    Pure and cached (documents repeat their citations). Never raises: a
    parser bug must not stop a run, so any internal error yields
    ``(Kind.UNKNOWN, Fields(), False)`` and the note is reported as unparsed.
    """
    try:
        return _parse_cached(text)
    except Exception:  # noqa: BLE001 - see docstring
        return Kind.UNKNOWN, Fields(), False


@lru_cache(maxsize=8192)
def _parse_cached(text: str) -> tuple[Kind, Fields, bool]:
    return parse_strict(text, prepared=_PREPARED.pop(text, None))


@dataclass(slots=True)
class _Prepared:
    """A segment after the rules' front: lead-ins and numbering off, identifiers lifted out."""

    w: Work
    t: str
    repeated_author: bool
    film: bool
    op_cit: bool
    url: str | None
    doi: str | None
    isbn: str | None
    accessed: str | None


_NOTHING = (Kind.UNKNOWN, Fields(), False)



def _ibid(text: str) -> tuple[Kind, Fields, bool]:
    return Kind.IBID, Fields(volume=ibid_volume(text), pages=ibid_pages(text)), True


def _prepare(text: str) -> _Prepared | tuple[Kind, Fields, bool]:
    """The front of ``parse``: the segment prepared for labelling, or the result when the front decides it."""
    t = clean(text or "")
    if not t:
        return _NOTHING
    if len(t) > _MAX_LEN:
        t = t[:_MAX_LEN]  # no citation is this long; keep the work bounded on pasted commentary
    if t[0] in "IiSsEe" and is_ibid(t):
        return _ibid(t)
    if "``" in t:
        t = t.replace("``", "“").replace("''", "”")
    repeated_author = False
    if t[0] in _NUMBERING_FIRST or t[0].isdecimal():
        if t[0] in "-—–_" and (m_rep := _REPEATED_AUTHOR_RE.match(t)):
            repeated_author = True
            t = t[m_rep.end() :]
        else:
            stripped = strip_start(t, _NUMBERING_RE)
            if stripped is t and (m_note := _NOTE_NUMBER_RE.match(t)) and m_note.group("word")[0].isupper() \
                    and m_note.group("word").lower().rstrip(".") not in lexicons().month:
                stripped = t[m_note.end():]
            t = stripped
    t = strip_lead_in(t)
    if t and t[0] in "IiSsEe" and is_ibid(t):
        return _ibid(t)  # "4. Ibid., 210.", "[4] Ibid.", "Vgl. ebd., S. 4"
    low = t.lower()
    op_cit = "cit" in low and bool(_OP_CIT_RE.search(t))
    if op_cit:
        t = _COMMAS_RE.sub(",", _OP_CIT_RE.sub(",", t))  # "Akbarzadeh, op. cit., p. 12": no title
        low = t.lower()

    # Identifiers first: they would confuse everything else.
    urls = urls_in(t) if ("http" in low or "www." in low or "ftp:" in low) else ()
    url = urls[0][2] if urls else None
    doi = identifiers.find_doi(t) if ("10." in t or "doi" in low) else None
    isbn = identifiers.find_isbn(t) if ("isbn" in low or "97" in t) else None
    accessed = None
    clause = _access_clause(t) if _mentions_access(low) else None
    m_acc = None
    if clause:
        m_acc, accessed = clause
    work = _strip_identifiers(t, urls, m_acc, doi is not None, isbn is not None)

    film = False
    if ("Dir" in work and (m_film := _MLA_FILM_RE.search(work, 0, 200))
            and sentence_end(work) == m_film.start() + 1):  # (the title is the first sentence)
        film = True
        work = _film_credits_out(work, m_film)
    elif "(" in work and (("Produc" in work) or ("Direct" in work) or ("Writer" in work) or ("Creator" in work)):
        work = _FILM_ROLE_RE.sub("", work, count=8)
    w = Work(work)
    if " in " in low:
        m_wrap = _WRAPPER_RE.match(work)
        if m_wrap and namey(m_wrap.group("who")):
            w.interview = m_wrap.group("verb").lower() == "interviewed"
            if w.interview:
                w.authors = parse_names(m_wrap.group("who"))
            work = work[m_wrap.end() :]
    if "interview" in low:
        m_iv = _INTERVIEW_WITH_RE.match(work)
        if m_iv and namey(m_iv.group("who")):
            w.interview = True
            w.authors = parse_names(m_iv.group("who"))
            w.head = m_iv.group(0)
            work = work[m_iv.end() :]
    if " in " in low and _SECONDARY_HINT_RE.search(low):
        m_sec = _SECONDARY_RE.search(work)
        if m_sec and m_sec.start() > 12:
            work = work[: m_sec.start()]
    w.text = work
    return _Prepared(w, t, repeated_author, film, op_cit, url, doi, isbn, accessed)


_PREPARED: dict[str, _Prepared] = {}
"""What ``prime`` prepared, handed to the text's ``parse`` (and dropped there: ``parse`` changes it), so a
segment is prepared once (about 15 µs each); cleared past ``_PREPARED_MAX`` (a text parsed before is never
asked for)."""
_PREPARED_MAX = 4096


def prime(texts: list[str]) -> None:
    """Label the segments ``texts`` in batches ahead of ``parse`` (several times faster than one by one)."""
    if len(_PREPARED) > _PREPARED_MAX:
        _PREPARED.clear()
    todo = []
    for text in texts:
        try:
            p = _prepare(text)
        except Exception:  # noqa: BLE001 - parse reports it; priming is only an optimisation
            continue
        if not isinstance(p, tuple):
            todo.append(p.w.text)
            _PREPARED[text] = p
    prime_labels(todo)


def parse_strict(text: str, engine: str = "learned", prepared: _Prepared | None = None
                 ) -> tuple[Kind, Fields, bool]:
    """``parse`` without the safety net and the cache (for tests and fuzzing).

    ``engine`` "rules" is the hand-written parser the learned one replaced, kept
    for the benchmark (``benchmarks/fields.py`` prints both). ``prepared``: ``_prepare(text)``, done already.
    """
    p = prepared if prepared is not None else _prepare(text)
    if isinstance(p, tuple):
        return p
    if engine == "learned" and (case := legal_case(p.w.text)) is not None:
        # a court case (the Bluebook's or OSCOLA's form): the labelled sets hold almost none
        return Kind.DOCUMENT, replace(case, url=p.url, doi=p.doi, isbn=p.isbn, accessed=p.accessed), True
    unsure = None
    if engine == "learned":
        if (learned := _learned(p)) is not None:
            return learned
        unsure = _learned(p, commentary_test=False)  # (before the rules change ``p.w``)
    w, t, op_cit, url, doi, isbn, accessed = p.w, p.t, p.op_cit, p.url, p.doi, p.isbn, p.accessed
    repeated_author, film = p.repeated_author, p.film
    if (repeated_author or film) and not w.authors:
        title_after_repeated_author(w)
    else:
        find_title(w)
    rest = parse_rest(w.rest, allow_container=True)
    if film and rest.container and not rest.publisher:
        rest.publisher, rest.container = rest.container, None  # the distributor
    if w.title is None and rest.container is None and not (w.authors or w.editors):
        rest = title_first(w, rest)

    fields = _assemble(w, rest, url, doi, isbn, accessed)
    hints = Hints(
        head=w.head,
        container_in=rest.container_in,
        report=rest.report or _report_in_head(w, rest),
        interview=w.interview,
        short_marker=op_cit,
        full_text=t if mentions_interview(t) else "",
    )
    unclaimed = sum(len(n.split()) for n in rest.notes)
    if not (_is_bibliographic(fields, w.title_quoted, w.quote_punct, unclaimed, t) or (op_cit and fields.authors)):
        return Kind.UNKNOWN, Fields(), False
    if unsure is not None and unsure[1] != Fields() and not _periodical_issue(t, fields, unsure[1], p.w.text):
        # the rules say it is a source where the learned fields alone did not tell (a fragment, a bare archival
        # reference): the rules decided *whether* it is a source, the labeller's reading says *what* it holds
        # ("A. S. F., Consiglio, lettere, busta 3, 12 marzo 1790": the rules make containers of an archive's
        # fonds and series; "Tarrant, Studies in the Delta, 1871 - 74." is a title and a date)
        return unsure
    return classify(fields, hints), fields, True


def _periodical_issue(text: str, rules: Fields, learned: Fields, work: str) -> bool:
    """Whether the rules read a periodical's dated issue that the labeller, unsure, did not.

    "The Evening Courier, 4 May 1921, p. 2": a name with a day and month is a newspaper's or magazine's issue,
    which the rules read as a container; the labeller, trained on reference lists that hold few such notes,
    reads a bare name there as an author or nothing. Where it read every word with confidence
    (``model.CONFIDENT``, as the I-rules ask), its reading stands all the same.
    """
    if not rules.container or learned.container:
        return False
    if not any(w.lower() in lexicons().month for w in _WORD_RE.findall(text)):
        return False
    return not _read_with_confidence(work)


def _read_with_confidence(text: str) -> bool:
    """Whether the labeller gave every word of ``text`` its label with at least ``model.CONFIDENT`` probability."""
    lab = label_one(text)
    return all(prob >= CONFIDENT for (s, _e), prob in zip(lab.spans, lab.probs, strict=True) if text[s].isalnum())


def _learned(p: _Prepared, commentary_test: bool = True) -> tuple[Kind, Fields, bool] | None:
    """The learned middle of ``parse``: label ``w.text``, assemble the runs, then the rules' identifiers.

    None when the labels contradict the string's typography — a quoted or
    italic span (``*…*``) split between fields, or one field running across
    two such spans. The public training sets have little of that note-style
    typography, the rules read it well, so ``parse`` falls back on them then.
    """
    w, t, repeated_author, film, op_cit = p.w, p.t, p.repeated_author, p.film, p.op_cit
    lab = quoted_host(label_one(w.text))
    if not _fits_typography(w.text, lab):
        return None
    a = assemble(lab)
    f = a.fields
    if w.authors and not f.authors:
        f = replace(f, authors=w.authors)
    if repeated_author and f.authors and not f.title:
        f = replace(f, authors=())
    if film and f.container and not f.publisher:
        f = replace(f, publisher=f.container, container=None)
    fields = replace(f, url=p.url, doi=p.doi, isbn=p.isbn, accessed=p.accessed,
                     confidence=tuple(sorted(a.confidence.items())))
    hints = Hints(
        head=w.head or a.head,
        container_in=a.container_in,
        report=bool(_PAPER_RE.search(t)),
        interview=w.interview,
        short_marker=op_cit,
        full_text=t if mentions_interview(t) else "",
    )
    if commentary_test and not (_is_bibliographic(fields, a.title_quoted, a.quote_punct, a.unclaimed_words, t)
                                or (op_cit and fields.authors)):
        return None  # commentary or a fragment: the rules decide (and may still read a source)
    kind = classify(fields, hints)
    if kind is Kind.DOCUMENT and fields.container and not (fields.title or fields.authors) \
            and is_document_name(fields.container):
        # "Decree of the President … No. 123, 5 March 2010": the labeller read the document's name as a
        # periodical's; a document with nothing else named is its own title
        fields = replace(fields, title=fields.container, container=None)
    return kind, fields, True


_ITALIC_RE = re.compile(r"\*([^*\s][^*]*?)\*")


def _fits_typography(text: str, lab: Labelled) -> bool:
    """Whether every quoted or italic span of ``text`` is inside one labelled run and no run spans two of them."""
    delimited = quoted_spans(text) if ("\"" in text or "“" in text or "«" in text or "„" in text) else []
    if "*" in text:
        delimited += [m.span() for m in _ITALIC_RE.finditer(text)]
    if not delimited:
        return True
    word = [k for k, (s, e) in enumerate(lab.spans) if text[s].isalnum()]
    delimited = [d for d in delimited if not _inner_quote(lab, word, d)]
    if not delimited:
        return True
    owner: dict[int, int] = {}  # word token -> delimited span
    for n, (a, b) in enumerate(delimited):
        inside = [k for k in word if a <= lab.spans[k][0] < b]
        if len({lab.labels[k] for k in inside}) > 1:
            return False
        for k in inside:
            owner[k] = n
    # a run of one label may not cross from one delimited span into text outside it and on
    prev_k = None
    for k in word:
        if prev_k is not None and lab.labels[k] == lab.labels[prev_k] and lab.labels[k] not in ("other", "note"):
            was, now = owner.get(prev_k), owner.get(k)
            if was is not None and now is not None and was != now:
                return False
            if (was is None) != (now is None) and lab.labels[k] in ("title", "container"):
                return False
        prev_k = k
    return True


def _inner_quote(lab: Labelled, word: list[int], span: tuple[int, int]) -> bool:
    """Whether the quoted span is a quotation inside a title or container, not a field's own delimiters.

    "La “sagra” del pesce nella città medievale": the words on both sides of the quotes and in them have
    the one label; typography says nothing about where that run ends, so the span does not count.
    """
    a, b = span
    inside = [k for k in word if a <= lab.spans[k][0] < b]
    if not inside:
        return False
    run = lab.labels[inside[0]]
    if run not in ("title", "container") or any(lab.labels[k] != run for k in inside):
        return False
    before = [k for k in word if lab.spans[k][0] < a]
    after = [k for k in word if lab.spans[k][0] >= b]
    return bool(before) and bool(after) and lab.labels[before[-1]] == run and lab.labels[after[0]] == run


def _film_credits_out(work: str, m_film: re.Match[str]) -> str:
    """``work`` ("Title. Dir. X. Perf. Y, Z. Distributor, Year.") without its credit sentences."""
    head, pos = work[: m_film.start() + 1], m_film.start() + 1
    tail = work[pos:].lstrip()
    while (m := _FILM_CREDIT_RE.match(tail)) is not None:
        end = sentence_end(tail, m.end())
        if end < 0:
            return head
        tail = tail[end:].lstrip()
    return f"{head} {tail}"


def _mentions_access(low: str) -> bool:
    """Whether ``low`` (lower case) has a word that introduces an access date ("accessed", "visited" …)."""
    return any(w in low for w in lexicons().access) or "date of" in low


def _mentions_retrieval(low: str) -> bool:
    """Whether ``low`` (lower case) may end in a retrieval phrase ("Retrieved from", "available at", "URL:", "<")."""
    return ("retriev" in low or "availab" in low or "accessib" in low or "download" in low or "online" in low
            or "url" in low or "<" in low or "dispon" in low or "ligne" in low or "bar" in low or "consultable" in low
            or "доступ" in low)


def _strip_identifiers(
    t: str, urls: Sequence[tuple[int, int, str]], m_acc: re.Match[str] | None, doi: bool, isbn: bool
) -> str:
    """``t`` with URLs, DOIs, ISBNs and the access-date clause replaced by separators."""
    if not (urls or m_acc or doi or isbn):
        return t
    spans = [(s, e) for s, e, _ in urls]
    if m_acc:
        spans.append((m_acc.start(), m_acc.end()))
    if doi:
        spans += [(m.start(), m.end()) for m in _DOI_TEXT_RE.finditer(t)]
    if isbn:
        spans += [(m.start(), m.end()) for m in _ISBN_TEXT_RE.finditer(t)]
    if not spans:
        return t
    out, pos = [], 0
    for s, e in sorted(spans):
        if s < pos:
            pos = max(pos, e)
            continue
        before = t[pos:s]
        if pos and _CONNECTIVE_RE.match(before):
            before = ""  # "Retrieved May 2, 2015, from <URL>": the word that joined two lifted clauses
        elif _mentions_retrieval(before.lower()):
            before = _RETRIEVED_RE.sub("", before)
        out.append(before)
        out.append(" , ")
        pos = e
    out.append(t[pos:])
    return " ".join(_COMMAS_RE.sub(",", "".join(out)).split())


def _assemble(w: Work, rest: Rest, url: str | None, doi: str | None, isbn: str | None,
              accessed: str | None) -> Fields:
    date = w.date or rest.date
    if not date and (w.authors or w.editors):
        # A date in the author block or title position ("Heidegger M., 1927, …").
        found = dates.find_dates(w.head)
        date = found[0].iso if found else None
    title = w.title
    container = rest.container
    if title and container and title == container:
        container = None
    editors = w.editors or rest.editors
    authors = w.authors
    if title and not w.title_quoted and not authors and not editors and not container and (
        rest.volume or rest.issue
    ) and not w.head:
        # "Izvestia, 19 February, 1993, p.4" has no title: the first chunk was a container.
        container, title = title, None
    if (title and container and not w.title_quoted and not rest.container_in and rest.publisher
            and not (rest.volume or rest.issue or rest.pages or rest.notes or editors)
            and _SUBTITLE_RE.match(container) and not _SERIES_RE.search(container)
            and _sentence_after_title(w.rest, container)):
        # "The authentic heart. An eightfold path to midlife love. New York: Wiley.": a book's subtitle
        # written as a sentence of its own, not a container.
        title, container = f"{title.rstrip('.')}. {container}", None
    if (container and title and not rest.container_in and not rest.pages and (rest.publisher or rest.place)
            and _BOOK_SERIES_RE.search(container) and "lecture notes" not in container.lower()):
        # "… Vol. 5. Kritische Studienausgabe. Berlin: de Gruyter", "Graduate texts in mathematics. Springer":
        # a book's series, not the container of a part
        container = None
    if container and not title and _INTERVIEW_START_RE.match(container):
        container, title = None, container  # "Interview with the author, Dushanbe, May 2014"
    if container and not title and not authors and _DOCUMENT_TITLE_RE.search(container):
        # "MFA Statement, 30 May 1993": a document named by what it is.
        container, title = None, container
    return Fields(
        authors=authors,
        editors=editors,
        title=_tidy(EDITION_TAIL_RE.sub("", title) if title and title[-1] in ")]" else title),
        container=_tidy_container(container),
        volume=rest.volume,
        issue=rest.issue,
        date=date,
        pages=rest.pages,
        publisher=_tidy(rest.publisher) if rest.publisher else None,
        place=_tidy(rest.place) if rest.place else None,
        url=url,
        doi=doi,
        isbn=isbn,
        accessed=accessed,
    )


def _sentence_after_title(rest: str, container: str) -> bool:
    """Whether ``container`` is the whole sentence that opens ``rest`` (". Subtitle. Place: …")."""
    body = rest.lstrip(" .")
    return body.startswith(container) and body[len(container) : len(container) + 2] == ". "


def _tidy_container(value: str | None) -> str | None:
    """A container name; an abbreviated one keeps its last period ("ACM Trans. Math. Softw.")."""
    tidy = _tidy(value)
    if tidy and value and value.rstrip(" ,;:").endswith(".") and not tidy.endswith("."):
        if abbreviated_name(tidy + "."):
            tidy += "."
    return tidy


def _tidy(value: str | None) -> str | None:
    if not value:
        return None
    value = strip_punct(value.replace("\x00", " ").replace("*", "").strip(" \"“”«»"))
    value = " ".join(value.split())
    return value or None


def _report_in_head(w: Work, rest: Rest) -> bool:
    return bool(rest.container and _PAPER_RE.search(rest.container))


def _is_bibliographic(fields: Fields, title_quoted: bool, quote_punct: bool, unclaimed: int, raw: str) -> bool:
    """Whether the fields describe a source rather than a remark.

    Identifiers always count, and a quoted title with anything beside it
    (authors, a date, a locator, a publisher). Otherwise text that reads like
    prose — verbs and pronouns, or long stretches no field claimed — is commentary.
    """
    f = fields
    if f.url or f.doi or f.isbn:
        return True
    if title_quoted:
        if not (f.authors or f.editors or f.date or f.pages or f.publisher or f.volume or f.issue):
            return False
        # “Title,” — punctuation at the closing quote marks a citation; a scare-quoted word in prose has none.
        return bool(f.authors or f.editors) or quote_punct or _prose_words(raw) < 3
    prose = _prose_words(raw)
    words = len(raw.split())
    if (f.authors or f.editors) and (f.title or f.container):
        if f.date or f.publisher or f.container or f.pages or f.volume:
            return prose < 4 or prose * 8 < words
        return prose < 2
    if unclaimed > 8 and unclaimed * 3 > words:
        return False
    if f.authors and (f.pages or f.volume) and not f.date and prose == 0 and words <= 6:
        return True  # "Lindqvist, 302.", "Zanchetta, XIX, 605-610": an author's short form with its locator
    if f.container and (f.date or f.volume or f.pages) and prose < 2 and len(f.container.split()) <= 10:
        return True  # (a longer "container" is more likely a sentence: a title beside it may still tell)
    if f.title and (f.date or f.publisher) and prose < 3:
        return True
    if f.title and f.place and prose == 0:
        return True  # "Ricordo della laguna, incisioni di vari autori, Venezia.": an undated book and its place
    if (f.title and (f.pages or f.volume) and prose < 2 and len(f.title.split()) <= 10
            and not any(w.lower() in lexicons().month for w in _WORD_RE.findall(raw))):
        # "Historia urbis, cit., p. 109": a short form's title and its page, as a container with its pages;
        # not when a month is named ("see the Courier, March 1, 4": a periodical's issue the labeller left unread)
        return True
    return False


_WORD_RE = re.compile(r"[^\W\d_]+")
_strip_word_punct = methodcaller("strip", ".,;:()\"“”")


def _prose_words(raw: str) -> int:
    """How many words of ``raw`` are verbs, pronouns and the like (``_PROSE_WORDS``)."""
    return sum(map(_PROSE_WORDS.__contains__, map(_strip_word_punct, raw.lower().split())))
