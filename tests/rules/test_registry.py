"""V001–V003 and the matching behind them: citations against registry records, no network.

Records are built by hand in the shapes ``verifier.net.registries`` makes of
Crossref's and OpenAlex's JSON; the look-ups are what the registries "said".
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from verifier.model import Kind, Person, Source
from verifier.rules import RuleContext, run_rules
from verifier.rules.registry_match import (
    Answer,
    Lookup,
    Outcome,
    Query,
    Record,
    best_match,
    compare,
    page_span,
    queries,
    with_found_dois,
)
from verifier.sources import resolve

from .factories import cite

HIRSCH = Record(
    registry="crossref",
    doi="10.1073/pnas.0507655102",
    title="An index to quantify an individual's scientific research output",
    authors=(Person("Hirsch", "J. E."),),
    year=2005,
    years=(2005,),
    containers=("Proceedings of the National Academy of Sciences", "Proc. Natl. Acad. Sci. U.S.A."),
    volume="102",
    issue="46",
    pages="16569-16572",
)
WATSON = Record(
    registry="crossref",
    doi="10.1038/171737a0",
    title="Molecular Structure of Nucleic Acids",
    subtitle="A Structure for Deoxyribose Nucleic Acid",
    authors=(Person("Watson", "J. D."), Person("Crick", "F. H. C.")),
    year=1953,
    years=(1953,),
    containers=("Nature",),
    volume="171",
    pages="737-738",
)


def hirsch(note: str = "1", **fields: str):  # type: ignore[no-untyped-def]
    values = dict(title="An index to quantify an individual's scientific research output",
                  container="Proceedings of the National Academy of Sciences", volume="102", date="2005",
                  pages="16569-16572", doi="10.1073/pnas.0507655102")
    values.update(fields)
    authors = values.pop("authors", "J. E. Hirsch").split(";")
    return cite(note, Kind.ARTICLE, authors=[a for a in authors if a], **values)


def v_findings(*citations, answers=None, kind_of=None):  # type: ignore[no-untyped-def]
    """Run the rules with one look-up per source; ``answers(query)`` says what the registries answered."""
    resolved, sources = resolve(citations)
    lookups = {}
    for q in queries(sources):
        lookups[q.source] = Lookup(q, tuple(answers(q)))
    ctx = RuleContext(documents=(), citations=resolved, sources=sources, registry=lookups)
    return [f for f in run_rules(ctx) if f.code.startswith("V")]


def found(record: Record):  # type: ignore[no-untyped-def]
    return lambda q: [Answer(record.registry, Outcome.FOUND, record)]


# --------------------------------------------------------------------------- V002


def test_a_citation_that_agrees_with_its_record_is_not_reported() -> None:
    assert v_findings(hirsch(), answers=found(HIRSCH)) == []


def test_a_mistyped_year_is_v002_naming_the_year_and_the_records_value() -> None:
    [f] = v_findings(hirsch(date="2015"), answers=found(HIRSCH))
    assert f.code == "V002" and f.severity.value == "warning"
    assert "year 2005 (cited 2015)" in f.message and "Crossref" in f.message
    assert f.citations == ("c1-0",)


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"date": "2006"}, id="one-year-online-first-gap"),
        pytest.param({"title": "AN INDEX TO QUANTIFY AN INDIVIDUAL’S SCIENTIFIC RESEARCH OUTPUT."}, id="case-punct"),
        pytest.param({"pages": "16569-72"}, id="abbreviated-page-range"),
        pytest.param({"pages": "16570"}, id="pinpoint-page-inside-the-range"),
        pytest.param({"container": "Proc. Natl. Acad. Sci."}, id="journal-abbreviation"),
        pytest.param({"container": "PNAS"}, id="journal-acronym-left-alone"),
        pytest.param({"authors": "J. E. Hirsch;=et al."}, id="et-al"),
        pytest.param({"authors": "Jorge E. Hirsch"}, id="given-name-spelled-out"),
    ],
)
def test_v002_is_tolerant_of_how_a_field_is_written(fields: dict[str, str]) -> None:
    assert v_findings(hirsch(**fields), answers=found(HIRSCH)) == []


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"authors": "J. E. Hirsch;=G."}, id="stray-initial-read-as-an-author"),
        pytest.param({"volume": "46"}, id="volume-and-issue-taken-for-one-another"),
        pytest.param({"container": "Scientific research output"}, id="title-part-read-as-the-journal"),
    ],
)
def test_what_a_misreading_of_the_citation_explains_is_not_a_mismatch(fields: dict[str, str]) -> None:
    assert v_findings(hirsch(**fields), answers=found(HIRSCH)) == []


def test_a_subtitle_left_out_or_given_is_not_a_title_mismatch() -> None:
    short = cite("1", authors=["J. D. Watson", "F. H. C. Crick"], title="Molecular structure of nucleic acids",
                 container="Nature", volume="171", date="1953", pages="737", doi="10.1038/171737a0")
    full = cite("2", authors=["J. D. Watson", "F. H. C. Crick"],
                title="Molecular structure of nucleic acids: a structure for deoxyribose nucleic acid",
                container="Nature", volume="171", date="1953", pages="737-8", doi="10.1038/171737a0")
    assert v_findings(short, full, answers=found(WATSON)) == []


def test_every_disagreeing_field_is_named_in_one_finding() -> None:
    c = hirsch(date="1995", volume="12", pages="1-20", container="Physical Review Letters",
               title="A new index of research output", authors="Adam Smith")
    [f] = v_findings(c, answers=found(HIRSCH))
    for part in ("title “An index to quantify", "authors Hirsch (cited Smith)", "year 2005 (cited 1995)",
                 "container “Proceedings of the National", "volume 102 (cited 12)", "pages 16569–16572 (cited 1-20)"):
        assert part in f.message


def test_v002_is_reported_at_the_citation_that_carries_the_wrong_value() -> None:
    good = hirsch("1")
    wrong = hirsch("2", date="2012")
    found_ = v_findings(good, wrong, answers=found(HIRSCH))
    assert [(f.code, f.citations) for f in found_] == [("V002", ("c2-0",))]


def test_a_coauthor_the_record_does_not_have_is_a_mismatch() -> None:
    c = cite("1", authors=["J. D. Watson", "Rosalind Franklin"], title="Molecular structure of nucleic acids",
             container="Nature", volume="171", date="1953", doi="10.1038/171737a0")
    [f] = v_findings(c, answers=found(WATSON))
    assert "authors Watson, Crick (cited Watson, Franklin)" in f.message


# --------------------------------------------------------------------------- V001


def test_a_doi_every_registry_answers_as_unknown_is_v001() -> None:
    def unknown(q: Query) -> list[Answer]:
        return [Answer("crossref", Outcome.UNKNOWN), Answer("openalex", Outcome.UNKNOWN)]

    [f] = v_findings(hirsch(doi="10.1073/pnas.0507655199"), answers=unknown)
    assert f.code == "V001" and f.severity.value == "error"
    assert "unknown to Crossref and OpenAlex" in f.message and f.url == "https://doi.org/10.1073/pnas.0507655199"


def test_v001_names_the_doi_of_the_record_that_matches_the_citation() -> None:
    def unknown(q: Query) -> list[Answer]:
        return [Answer("crossref", Outcome.UNKNOWN)]

    resolved, sources = resolve([hirsch(doi="10.1073/pnas.0507655199")])
    [q] = queries(sources)
    ctx = RuleContext(documents=(), citations=resolved, sources=sources,
                      registry={q.source: Lookup(q, tuple(unknown(q)), alternative=HIRSCH)})
    [f] = [f for f in run_rules(ctx) if f.code == "V001"]
    assert f.suggestion is not None and "doi:10.1073/pnas.0507655102" in f.suggestion


@pytest.mark.parametrize(
    "second",
    [
        pytest.param(Answer("openalex", Outcome.FAILED, error="HTTP 503"), id="error-from-one-registry"),
        pytest.param(Answer("openalex", Outcome.FAILED, error="HTTP 429 after retries"), id="rate-limited"),
        pytest.param(Answer("openalex", Outcome.ELSEWHERE, error="registered with DataCite"), id="datacite-doi"),
    ],
)
def test_a_registry_that_could_not_answer_never_makes_a_v001(second: Answer) -> None:
    answers = lambda q: [Answer("crossref", Outcome.UNKNOWN), second]  # noqa: E731
    assert v_findings(hirsch(doi="10.1073/pnas.0507655199"), answers=answers) == []


# --------------------------------------------------------------------------- V003


def test_an_article_no_registry_matches_is_v003_once_at_its_first_citation() -> None:
    first = cite("1", authors=["T. R. Marlowe"], title="Quantum entanglement in migratory bird navigation",
                 container="Journal of Avian Physics", date="2019")
    again = cite("4", authors=["T. R. Marlowe"], title="Quantum entanglement in migratory bird navigation",
                 container="Journal of Avian Physics", date="2019")
    near = Record("openalex", "10.1/near", "Quantum navigation in migratory birds", year=2018)
    answers = lambda q: [Answer("crossref", Outcome.NO_MATCH), Answer("openalex", Outcome.NO_MATCH, near)]  # noqa: E731
    [f] = v_findings(first, again, answers=answers)
    assert f.code == "V003" and f.severity.value == "info"
    assert f.location is not None and f.location.line == 101
    assert set(f.citations) == {"c1-0", "c4-0"}
    assert "no record in Crossref or OpenAlex matches" in f.message and "Marlowe" in f.message
    assert f.suggestion is not None and "10.1/near" in f.suggestion


def test_no_v003_when_a_registry_could_not_be_asked() -> None:
    c = cite("1", authors=["T. R. Marlowe"], title="Quantum entanglement in migratory bird navigation", date="2019")
    answers = lambda q: [Answer("crossref", Outcome.NO_MATCH), Answer("openalex", Outcome.FAILED)]  # noqa: E731
    assert v_findings(c, answers=answers) == []


@pytest.mark.parametrize("kind", [Kind.NEWS, Kind.WEB, Kind.INTERVIEW, Kind.DOCUMENT, Kind.UNKNOWN])
def test_news_web_interviews_and_documents_are_never_looked_up(kind: Kind) -> None:
    c = cite("1", kind, authors=["Anna Petrova"], title="Talks on the pipeline resume in Ashgabat", date="2019")
    _, sources = resolve([c])
    assert queries(sources) == []


def test_queries_are_per_source_with_its_best_fields() -> None:
    a = cite("1", authors=["J. E. Hirsch"], title="An index to quantify an individual's scientific research output",
             container="PNAS", date="2005")
    b = cite("2", authors=["J. E. Hirsch"], title="An index to quantify an individual's scientific research output",
             container="PNAS", date="2005", pages="16569")
    _, sources = resolve([a, b])
    [q] = queries(sources)
    assert q.doi is None and q.year == 2005 and q.authors[0].family == "Hirsch"
    assert "Hirsch" in q.text and "index to quantify" in q.text


# --------------------------------------------------------------------------- search matches


def _q(**kw: object) -> Query:
    values: dict[str, object] = dict(source="s1", kind=Kind.ARTICLE,
                                     title="An index to quantify an individual's scientific research output",
                                     authors=(Person("Hirsch", "J."),), year=2005)
    values.update(kw)
    return Query(**values)  # type: ignore[arg-type]


def test_search_takes_the_candidate_that_matches_title_author_and_year() -> None:
    other = Record("crossref", "10.1/other", "An index of research output for journals", authors=(Person("Smith"),),
                   year=2005)
    assert best_match(_q(), [other, HIRSCH]) is HIRSCH


@pytest.mark.parametrize(
    "query",
    [
        pytest.param(_q(authors=(Person("Harris", "J."),)), id="another-first-author"),
        pytest.param(_q(year=2009), id="year-four-off"),
        pytest.param(_q(title="An index to quantify scientific impact"), id="title-only-similar"),
        pytest.param(_q(authors=(), year=None), id="title-alone"),
    ],
)
def test_weak_candidates_are_no_match(query: Query) -> None:
    assert best_match(query, [HIRSCH]) is None


def test_a_misspelt_title_still_matches_when_author_and_year_agree() -> None:
    assert best_match(_q(title="An index to quantfy an individuals scientific reserch output"), [HIRSCH]) is HIRSCH


BARABASI = Record("crossref", "10.1126/science.286.5439.509", "Emergence of scaling in random networks",
                  authors=(Person("Barabási", "Albert-László"), Person("Albert", "Réka")), year=1999, years=(1999,))
VANCOUVER = "Barabási A-L, Albert R. Emergence of scaling in random networks. Scie. 1999;286(5439):509-12."


def test_a_misread_citation_still_matches_a_record_whose_title_and_author_stand_in_its_text() -> None:
    misread = _q(title="Albert R", authors=(Person("Barabási", "A-L"),), year=1999, raw=VANCOUVER)
    assert best_match(misread, [BARABASI]) is BARABASI
    untitled = _q(title=None, authors=(), year=None, raw=VANCOUVER)
    assert best_match(untitled, [BARABASI]) is BARABASI


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("Newman M. Emergence of scaling in random networks. Scie. 1999;286:509.", id="other-author"),
        pytest.param("Barabási A-L. Emergence of scaling in random networks. Scie. 2009;286:509.", id="year-off"),
        pytest.param("Barabási A-L. Emergence of scaling. Scie. 1999;286:509.", id="title-not-whole"),
    ],
)
def test_the_written_text_alone_does_not_make_a_weak_candidate_a_match(raw: str) -> None:
    year = int(next(y for y in ("1999", "2009") if y in raw))
    assert best_match(_q(title="Albert R", authors=(), year=year, raw=raw), [BARABASI]) is None


def test_a_longer_title_with_the_records_title_inside_is_another_work() -> None:
    lecun = Record("crossref", "10.1038/nature14539", "Deep learning", authors=(Person("LeCun", "Yann"),),
                   year=2015, years=(2015,))
    other = _q(title="Deep learning for vision", authors=(Person("LeCun", "Y."),), year=2015,
               raw="LeCun Y. Deep learning for vision. Vision Res. 2015;12:1-9.")
    assert best_match(other, [lecun]) is None


@pytest.mark.parametrize("prefix", ["Correction: ", "Erratum: ", "Retraction: ", "Comment on "])
def test_a_notice_about_the_work_is_not_the_work(prefix: str) -> None:
    notice = Record("crossref", "10.1073/pnas.0000001", prefix + HIRSCH.title, authors=HIRSCH.authors, year=2005,
                    years=(2005,))
    assert best_match(_q(), [notice]) is None
    assert best_match(_q(), [notice, HIRSCH]) is HIRSCH


def test_a_query_carries_the_citation_as_written_without_its_links() -> None:
    c = cite("1", raw="Hirsch, J. E. (2005). An index to quantify. PNAS, 102, 16569. https://doi.org/10.1073/x",
             authors=["J. E. Hirsch"], title="An index to quantify", container="PNAS", date="2005")
    _, sources = resolve([c])
    [q] = queries(sources, [replace(c, source=sources[0].id)])
    assert q.raw == "Hirsch, J. E. (2005). An index to quantify. PNAS, 102, 16569." and q.text == q.raw


def test_a_found_doi_is_added_to_the_source_with_where_it_came_from() -> None:
    source = Source("s1", ("c1",), cite("1", title="X y z").fields, Kind.ARTICLE)
    lookup = Lookup(_q(), (Answer("crossref", Outcome.NO_MATCH), Answer("openalex", Outcome.FOUND,
                                                                          HIRSCH)))
    [updated] = with_found_dois([source], {"s1": lookup})
    assert updated.fields.doi == "10.1073/pnas.0507655102" and updated.doi_source == "openalex"
    assert updated.to_json()["doi_source"] == "openalex"


@pytest.mark.parametrize(
    ("text", "span"),
    [("123-9", ("123", "129")), ("123–45", ("123", "145")), ("pp. 1735-1780", ("1735", "1780")),
     ("e124", ("e124", None)), ("A1133-A1138", ("A1133", "A1138")), ("", None)],
)
def test_page_spans_complete_abbreviated_ranges(text: str, span: tuple[str, str | None] | None) -> None:
    assert page_span(text) == span


def test_series_and_roman_volumes_compare_by_their_number() -> None:
    turing = Record("crossref", "10.1112/plms/s2-42.1.230", "On computable numbers", authors=(Person("Turing"),),
                    year=1937, containers=("Proceedings of the London Mathematical Society",), volume="s2-42",
                    pages="230-265")
    mind = Record("crossref", "10.1093/mind/LIX.236.433", "Computing machinery and intelligence",
                  authors=(Person("Turing"),), year=1950, containers=("Mind",), volume="LIX", pages="433-460")
    cited = cite("1", authors=["A. M. Turing"], title="On computable numbers", volume="42", date="1936").fields
    assert compare(cited, Kind.ARTICLE, turing) == []
    assert compare(cite("2", title="Computing machinery and intelligence", volume="59").fields, Kind.ARTICLE,
                   mind) == []
    [m] = compare(cite("3", title="Computing machinery and intelligence", volume="49").fields, Kind.ARTICLE, mind)
    assert m.field == "volume"
