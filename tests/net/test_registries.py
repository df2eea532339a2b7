"""Registry look-ups against fake Crossref and OpenAlex on loopback (``tests/servers/registry.py``).

No test touches the internet: the fake answers in the registries' real JSON
shapes, from the real works of ``tests/data/registry-citations.json``.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from tests.servers.origin import Origin
from tests.servers.registry import FakeRegistry, crossref_work, openalex_work
from verifier.cli import main
from verifier.config import Settings
from verifier.model import Kind, Person
from verifier.net.links import Policy
from verifier.net.registries import Pace, look_up, parse_crossref, parse_openalex
from verifier.rules.registry_match import Outcome, Query

DATA = Path(__file__).resolve().parents[1] / "data" / "registry-citations.json"
WORKS = json.loads(DATA.read_text(encoding="utf-8"))["works"]
FAST = Policy(attempts=3, backoff=0.01, backoff_max=0.05, retry_after_cap=5.0)

WATSON = Query("s1", Kind.ARTICLE, doi="10.1038/171737a0")
HIRSCH_SEARCH = Query("s2", Kind.ARTICLE, title="An index to quantify an individual's scientific research output",
                      authors=(Person("Hirsch", "J. E."),), year=2005,
                      container="Proceedings of the National Academy of Sciences")
INVENTED = Query("s3", Kind.ARTICLE, title="Quantum entanglement in migratory bird navigation across polar latitudes",
                 authors=(Person("Marlowe", "T. R."),), year=2019)


@pytest.fixture(scope="module")
def _server() -> Iterator[FakeRegistry]:
    server = FakeRegistry(WORKS)
    yield server
    server.stop()


@pytest.fixture
def registry(_server: FakeRegistry) -> FakeRegistry:
    _server.reset()
    return _server


def settings(reg: FakeRegistry, *names: str, **kw: object) -> Settings:
    values: dict[str, object] = dict(registry=names or ("crossref", "openalex"), crossref_api=reg.crossref,
                                     openalex_api=reg.openalex, allow_private=True, no_cache=True,
                                     mailto="editor@example.org", timeout=5.0)
    values.update(kw)
    return Settings().with_overrides(values)


def run(reg: FakeRegistry, *queries: Query, names: tuple[str, ...] = (), key: str = "test-key",  # type: ignore[no-untyped-def]
        **kw: object):
    return look_up(queries, settings(reg, *names, **kw), policy=FAST, openalex_key=key)


# --------------------------------------------------------------------------- DOIs


def test_progress_counts_the_cited_works_as_their_look_ups_end(registry: FakeRegistry) -> None:
    calls: list[tuple[int, int]] = []
    look_up([WATSON, HIRSCH_SEARCH, INVENTED], settings(registry, "crossref"), policy=FAST, openalex_key="",
            progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]




def test_a_cited_doi_is_fetched_once_from_crossref_with_the_record_in_its_fields(registry: FakeRegistry) -> None:
    result = run(registry, WATSON)
    lookup = result.lookups["s1"]
    assert [a.outcome for a in lookup.answers] == [Outcome.FOUND]
    record = lookup.record
    assert record is not None and record.doi == "10.1038/171737a0" and record.year == 1953
    assert record.authors[0].family == "Watson" and record.containers[0] == "Nature" and record.pages == "737-738"
    assert [p for p, _, _ in registry.requests()] == ["/crossref/works/10.1038/171737a0"]
    assert result.warnings == ()


def test_mailto_goes_in_the_parameters_and_the_user_agent_and_the_key_to_openalex(registry: FakeRegistry) -> None:
    run(registry, Query("s1", Kind.ARTICLE, doi="10.9999/not-a-real-doi"))
    crossref = registry.requests("/crossref/works/10.9999")[0]
    assert crossref[1]["mailto"] == ["editor@example.org"] and "mailto:editor@example.org" in crossref[2]
    assert crossref[2].startswith("verifier/")
    openalex = registry.requests("/openalex")[0]
    assert openalex[0] == "/openalex/works/doi:10.9999/not-a-real-doi"
    assert openalex[1]["api_key"] == ["test-key"] and openalex[1]["mailto"] == ["editor@example.org"]


def test_an_unknown_doi_is_unknown_at_every_registry_asked(registry: FakeRegistry) -> None:
    lookup = run(registry, Query("s1", Kind.ARTICLE, doi="10.9999/not-a-real-doi")).lookups["s1"]
    assert [(a.registry, a.outcome) for a in lookup.answers] == [("crossref", Outcome.UNKNOWN),
                                                                  ("openalex", Outcome.UNKNOWN)]
    assert lookup.unknown_everywhere
    # Crossref's 404 was checked against the DOI's registration agency before it counted
    assert registry.requests("/crossref/works/10.9999/not-a-real-doi/agency")


def test_a_doi_registered_with_datacite_is_not_unknown(registry: FakeRegistry) -> None:
    registry.datacite.add("10.1038/171737a0")
    lookup = run(registry, WATSON, names=("crossref",)).lookups["s1"]
    assert [a.outcome for a in lookup.answers] == [Outcome.ELSEWHERE]
    assert "DataCite" in (lookup.answers[0].error or "") and not lookup.unknown_everywhere


def test_a_doi_with_markup_characters_reaches_the_registry_intact(registry: FakeRegistry) -> None:
    doi = "10.1175/1520-0469(1963)020<0130:dnf>2.0.co;2"
    lookup = run(registry, Query("s1", Kind.ARTICLE, doi=doi)).lookups["s1"]
    assert lookup.record is not None and lookup.record.title == "Deterministic nonperiodic flow"


def test_a_doi_cut_short_is_recognised_by_a_search_for_the_citation(registry: FakeRegistry) -> None:
    # "10.1175/1520-0469(1963)020<0130:DNF>2.0.CO;2" as a reader that stops at "<" would leave it
    query = Query("s1", Kind.ARTICLE, doi="10.1175/1520-0469(1963)020", title="Deterministic nonperiodic flow",
                  authors=(Person("Lorenz", "E. N."),), year=1963)
    lookup = run(registry, query).lookups["s1"]
    assert not lookup.unknown_everywhere
    assert lookup.record is not None and lookup.record.doi == "10.1175/1520-0469(1963)020<0130:dnf>2.0.co;2"


def test_an_unknown_doi_on_a_real_citation_comes_with_the_records_doi(registry: FakeRegistry) -> None:
    query = dict(title="An index to quantify an individual's scientific research output",
                 authors=(Person("Hirsch", "J. E."),), year=2005)
    lookup = run(registry, Query("s1", Kind.ARTICLE, doi="10.1073/pnas.0507655199", **query)).lookups["s1"]
    assert lookup.unknown_everywhere
    assert lookup.alternative is not None and lookup.alternative.doi == "10.1073/pnas.0507655102"


# --------------------------------------------------------------------------- searches


def test_a_search_with_one_good_match_finds_the_doi(registry: FakeRegistry) -> None:
    lookup = run(registry, HIRSCH_SEARCH).lookups["s2"]
    assert lookup.found_doi == "10.1073/pnas.0507655102" and lookup.found_by == "crossref"
    [(path, params, _)] = registry.requests()
    assert path == "/crossref/works" and params["rows"] == ["5"]
    assert "Hirsch" in params["query.bibliographic"][0] and "index to quantify" in params["query.bibliographic"][0]


def test_a_search_with_only_weak_matches_finds_nothing_anywhere(registry: FakeRegistry) -> None:
    lookup = run(registry, INVENTED).lookups["s3"]
    assert [a.outcome for a in lookup.answers] == [Outcome.NO_MATCH, Outcome.NO_MATCH]
    assert lookup.unmatched_everywhere and lookup.found_doi is None
    openalex = registry.requests("/openalex/works")[0][1]
    assert openalex["search"] == [INVENTED.title] and openalex["filter"] == ["publication_year:2018-2020"]


def test_openalex_search_finds_what_crossref_missed(registry: FakeRegistry) -> None:
    # Crossref's ranking sees an author-heavy query; this fake sees no title words in it
    query = Query("s4", Kind.ARTICLE, title="Deep learning", authors=(Person("LeCun"),), year=2015)
    registry.script("/crossref/works", [(200, {})])  # a 200 without a result list: unreadable, not a verdict
    lookup = run(registry, query, names=("openalex",)).lookups["s4"]
    assert lookup.found_doi == "10.1038/nature14539" and lookup.found_by == "openalex"


# --------------------------------------------------------------------------- politeness and failures


def test_a_429_is_retried_after_the_retry_after_it_asks_for(registry: FakeRegistry) -> None:
    registry.script("/crossref/works/10.1038", [(429, {"Retry-After": "1"})])
    started = time.monotonic()
    lookup = run(registry, WATSON, names=("crossref",)).lookups["s1"]
    assert time.monotonic() - started >= 0.9
    assert lookup.record is not None
    assert len(registry.requests("/crossref/works/10.1038")) == 2


def test_a_registry_that_is_down_is_reported_and_never_a_verdict(registry: FakeRegistry) -> None:
    registry.down.add("crossref")
    result = run(registry, WATSON, HIRSCH_SEARCH, INVENTED, Query("s5", Kind.ARTICLE, doi="10.9999/x"),
                 names=("crossref",))
    for lookup in result.lookups.values():
        assert [a.outcome for a in lookup.answers] == [Outcome.FAILED]
        assert not lookup.unknown_everywhere and not lookup.unmatched_everywhere
    [warning] = result.warnings
    assert "Crossref could not be asked about 4 of 4" in warning and "503" in warning
    assert len(registry.requests("/crossref/works/10.1038")) == FAST.attempts


def test_crossref_never_has_more_than_three_requests_in_flight(registry: FakeRegistry) -> None:
    registry.delay = 0.4  # longer than the pace between starts (0.1 s): more than 3 would overlap uncapped
    works = WORKS[:10]
    run(registry, *(Query(f"s{i}", Kind.ARTICLE, doi=w["doi"]) for i, w in enumerate(works)), names=("crossref",))
    assert len(registry.requests("/crossref/works/")) == len(works)
    assert registry.max_in_flight["crossref"] == 3


def test_openalex_is_skipped_with_a_note_without_an_api_key(registry: FakeRegistry) -> None:
    result = run(registry, WATSON, names=("openalex",), key="")
    assert registry.requests() == [] and result.lookups["s1"].answers == ()
    assert any("OPENALEX_API_KEY" in w for w in result.warnings)


def test_a_private_registry_address_is_refused_without_allow_private(registry: FakeRegistry) -> None:
    result = run(registry, WATSON, HIRSCH_SEARCH, INVENTED, names=("crossref",), allow_private=False)
    assert registry.requests() == []
    assert all(lookup.answers[0].outcome is Outcome.FAILED for lookup in result.lookups.values())
    assert "private address" in result.warnings[0] and "3 of 3" in result.warnings[0]


def test_answers_are_cached_between_runs(registry: FakeRegistry, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache.sqlite3")
    first = run(registry, WATSON, HIRSCH_SEARCH, INVENTED, no_cache=False, cache=cache)
    asked = len(registry.requests())
    second = run(registry, WATSON, HIRSCH_SEARCH, INVENTED, no_cache=False, cache=cache)
    assert len(registry.requests()) == asked
    assert {k: v.answers for k, v in second.lookups.items()} == {k: v.answers for k, v in first.lookups.items()}


def test_a_cache_row_this_version_cannot_read_is_asked_again(registry: FakeRegistry, tmp_path: Path) -> None:
    from verifier.net.cache import Cache
    from verifier.net.registries import REGISTRY_CACHE

    cache = str(tmp_path / "cache.sqlite3")
    run(registry, WATSON, names=("crossref",), no_cache=False, cache=cache)
    db = Cache(cache)
    db.put_many(REGISTRY_CACHE, {k: ({"no": "such shape"}, 60.0) for k in _keys(db)})
    db.close()
    assert run(registry, WATSON, names=("crossref",), no_cache=False, cache=cache).lookups["s1"].record is not None
    assert len(registry.requests("/crossref/works/10.1038")) == 2


def _keys(cache: object) -> list[str]:
    db = cache._db  # type: ignore[attr-defined]
    return [k for (k,) in db.execute("SELECT key FROM results WHERE kind = 'registry'")]


def test_failures_are_not_cached(registry: FakeRegistry, tmp_path: Path) -> None:
    cache = str(tmp_path / "cache.sqlite3")
    registry.down.add("crossref")
    run(registry, WATSON, names=("crossref",), no_cache=False, cache=cache)
    registry.down.clear()
    assert run(registry, WATSON, names=("crossref",), no_cache=False, cache=cache).lookups["s1"].record is not None


def test_pace_spaces_requests_and_follows_a_tighter_reported_budget() -> None:
    async def starts(pace: Pace, n: int) -> list[float]:
        out = []
        for _ in range(n):
            await pace.wait()
            out.append(time.monotonic())
        return out

    times = asyncio.run(starts(Pace(50.0), 4))
    assert times[-1] - times[0] >= 3 / 50 - 0.005
    pace = Pace(50.0)
    pace.tighten("3", "1s")
    assert pace.interval == pytest.approx(1 / 3)
    pace.tighten("3000", "60s")  # looser than 3/s: kept
    assert pace.interval == pytest.approx(1 / 3)


def test_records_are_read_from_the_registries_json_shapes() -> None:
    work = dict(WORKS[0], title="Molecular structure of <i>nucleic</i> acids &amp; more", subtitle="A structure",
                online_year=1952)
    crossref = parse_crossref({"status": "ok", "message-type": "work", "message": crossref_work(work)})
    assert crossref is not None and crossref.title == "Molecular structure of nucleic acids & more"
    assert crossref.subtitle == "A structure" and crossref.years == (1953, 1952)
    openalex = parse_openalex(openalex_work(dict(WORKS[0], authors=[{"family": "van der Waals", "given": "J. D."}]),
                                            7))
    assert openalex is not None and openalex.doi == "10.1038/171737a0" and openalex.pages == "737-738"
    assert openalex.authors[0].family == "van der Waals" and openalex.containers == ("Nature",)


# --------------------------------------------------------------------------- the command, end to end

DOCUMENT = """Three papers are discussed here [1], [2], [3].

References

[1] Watson, J. D., & Crick, F. H. C. (1953). Molecular structure of nucleic acids: A structure for deoxyribose \
nucleic acid. Nature, 171(4356), 737–738. doi:10.1038/171737a0
[2] Hirsch, J. E. (2015). An index to quantify an individual's scientific research output. Proceedings of the \
National Academy of Sciences, 102(46), 16569–16572. doi:10.1073/pnas.0507655102
[3] Marlowe, T. R., & Okafor, B. (2019). Quantum entanglement in migratory bird navigation across polar latitudes. \
Journal of Avian Physics, 12(3), 201–219.
[4] LeCun, Y., Bengio, Y., & Hinton, G. (2015). Deep learning. Nature, 521(7553), 436–444.
[5] Okafor, B. (2018). Tidal locking of migratory songbirds. Nature, 559(7712), 88–91. doi:10.1038/s41586-018-9999-9
"""


def _check(tmp_path: Path, registry: FakeRegistry, capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    doc = tmp_path / "refs.txt"
    doc.write_text(DOCUMENT, encoding="utf-8")
    status = main(["check", str(doc), "--registry", "crossref,openalex", "--crossref-api", registry.crossref,
                   "--openalex-api", registry.openalex, "--mailto", "editor@example.org", "--allow-private",
                   "--no-cache", "--no-archive", "--format", "json", *extra])
    report = json.loads(capsys.readouterr().out)
    report["status"] = status
    return report


def test_check_reports_nothing_v002_and_v003_for_correct_mistyped_and_invented(
    registry: FakeRegistry, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENALEX_API_KEY", "test-key")
    report = _check(tmp_path, registry, capsys)
    by_note = {c["note"]: c["id"] for c in report["citations"]}
    codes = {note: sorted(f["code"] for f in report["findings"] if cid in f["citations"])
             for note, cid in by_note.items()}
    assert codes == {"1": [], "2": ["V002"], "3": ["V003"], "4": [], "5": ["V001"]}
    [v002] = [f for f in report["findings"] if f["code"] == "V002"]
    assert "year 2005 (cited 2015)" in v002["message"]
    # the DOI a search found is added to the source, with where it came from
    [lecun] = [s for s in report["sources"] if by_note["4"] in s["citations"]]
    assert lecun["fields"]["doi"] == "10.1038/nature14539" and lecun["doi_source"] == "crossref"
    assert report["status"] == 1  # V001 is an error


def test_check_goes_on_when_the_registries_are_down(
    registry: FakeRegistry, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.delenv("OPENALEX_API_KEY", raising=False)
    registry.down.add("crossref")
    report = _check(tmp_path, registry, capsys, "--timeout", "2")
    assert not [f for f in report["findings"] if f["code"].startswith("V")]
    assert report["status"] == 0
    said = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("Crossref could not be asked about 5 of 5 cited works") for m in said)
    assert any("OpenAlex skipped" in m and "OPENALEX_API_KEY" in m for m in said)



def test_the_registries_are_asked_while_the_links_are_checked(
    registry: FakeRegistry, origin: Origin, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The two network stages overlap: the cited page answers only once a registry has been asked, and
    the registry only once the page has been requested.

    Run one after the other (in either order), one stage would wait out its timeout and fail.
    """
    monkeypatch.delenv("OPENALEX_API_KEY", raising=False)

    def once(log: Sequence[object]) -> Callable[[str], None]:
        def wait(path: str) -> None:
            deadline = time.monotonic() + 10
            while not log and time.monotonic() < deadline:
                time.sleep(0.01)

        return wait

    origin.gate = once(registry.log)
    registry.gate = once(origin.log)
    doc = tmp_path / "refs.txt"
    doc.write_text(
        "Deep learning [1].\n\nReferences\n\n[1] LeCun, Y., Bengio, Y., & Hinton, G. (2015). Deep learning. "
        f"Nature, 521(7553), 436–444. Retrieved from {origin.url('/ok')}\n",
        encoding="utf-8",
    )
    main(["check", str(doc), "--registry", "crossref", "--crossref-api", registry.crossref, "--allow-private",
          "--no-cache", "--no-archive", "--timeout", "5", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert [link["status"] for link in report["links"]] == ["alive"]
    assert registry.log and report["sources"][0]["fields"]["doi"] == "10.1038/nature14539"


def test_a_found_doi_reaches_the_bibtex_export(registry: FakeRegistry, tmp_path: Path) -> None:
    from verifier import check
    from verifier.export import to_bibtex

    doc = tmp_path / "refs.txt"
    doc.write_text("Deep learning [1].\n\nReferences\n\n[1] LeCun, Y., Bengio, Y., & Hinton, G. (2015). Deep "
                   "learning. Nature, 521(7553), 436–444.\n", encoding="utf-8")
    report = check([doc], registry=("crossref",), crossref_api=registry.crossref, allow_private=True,
                   no_cache=True, no_archive=True)
    [source] = report.sources
    assert source.fields.doi == "10.1038/nature14539" and source.doi_source == "crossref"
    assert "10.1038/nature14539" in to_bibtex(report)


def test_export_with_registry_adds_found_dois_without_checking_links(
    registry: FakeRegistry, origin: Origin, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OPENALEX_API_KEY", raising=False)
    doc = tmp_path / "refs.txt"
    doc.write_text("Deep learning [1].\n\nReferences\n\n[1] LeCun, Y., Bengio, Y., & Hinton, G. (2015). Deep "
                   f"learning. Nature, 521(7553), 436–444. Retrieved from {origin.url('/ok')}\n", encoding="utf-8")
    base = ["export", str(doc), "--bibtex", "-", "--allow-private", "--no-cache", "--no-archive"]
    assert main(base) == 0
    assert "10.1038/nature14539" not in capsys.readouterr().out and not registry.log  # offline without --registry
    assert main([*base, "--registry", "crossref", "--crossref-api", registry.crossref]) == 0
    out = capsys.readouterr().out
    assert "doi = {10.1038/nature14539}" in out
    assert not origin.log  # the links are checked only with --check-links


def test_a_registry_answering_json_nested_past_any_limit_is_a_failed_answer_not_a_crash() -> None:
    import httpx

    deep = b"[" * 200_000 + b"]" * 200_000
    client = httpx.AsyncClient(transport=httpx.MockTransport(lambda request: httpx.Response(200, content=deep)))
    s = Settings().with_overrides(dict(registry=("crossref",), crossref_api="https://api.crossref.example.net",
                                       allow_private=True, no_cache=True, timeout=5.0))
    run = look_up([Query("s1", Kind.ARTICLE, doi="10.1234/abc", title="A cited work")], s, client=client,
                  policy=FAST, openalex_key="")
    [answer] = run.lookups["s1"].answers
    assert answer.outcome is Outcome.FAILED and "JSON" in (answer.error or "")


def test_net_asks_and_the_judge_it_is_given_decides_which_record_matches(registry: FakeRegistry) -> None:
    """net/ returns what the registries answered; the pure registry_match (or whoever the caller passes) judges."""
    from verifier import net
    from verifier.rules.registry_match import Answer

    judged: list[int] = []

    def sceptic(name: str, query: Query, candidates: Sequence[object]) -> Answer:
        judged.append(len(candidates))
        return Answer(name, Outcome.NO_MATCH)

    result = net.run([], settings(registry, "crossref"), queries=[HIRSCH_SEARCH], policy=FAST, judge=sceptic)
    assert result.registries is not None
    assert result.registries.lookups["s2"].found_doi is None and judged and judged[0] >= 1


def test_a_registry_that_keeps_failing_is_left_alone_for_the_rest_of_the_run(registry: FakeRegistry) -> None:
    registry.down.add("crossref")
    queries = [Query(f"q{i}", Kind.ARTICLE, doi=f"10.9999/x{i}") for i in range(12)]
    result = run(registry, *queries, names=("crossref",))
    assert all([a.outcome for a in lookup.answers] == [Outcome.FAILED] for lookup in result.lookups.values())
    # a few requests in flight when it was given up, each retried; not twelve works times the retries
    assert len(registry.requests("/crossref")) <= 6 * FAST.attempts
    [warning] = result.warnings
    assert "12 of 12" in warning and "503" in warning


def test_registry_answers_are_committed_as_they_arrive(registry: FakeRegistry, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache is written in batches during the run, so a run that is killed keeps what it learned."""
    from verifier.net import registries
    from verifier.net.cache import Cache

    monkeypatch.setattr(registries, "STORE_BATCH", 1)
    writes: list[int] = []
    real = Cache.put_many

    def counting(self: Cache, kind: str, items: dict) -> None:  # type: ignore[type-arg]
        writes.append(len(items))
        real(self, kind, items)

    monkeypatch.setattr(Cache, "put_many", counting)
    run(registry, WATSON, HIRSCH_SEARCH, names=("crossref",), no_cache=False, cache=str(tmp_path / "c.sqlite3"))
    assert len(writes) >= 2 and all(n == 1 for n in writes)
