"""The pipeline: from paths to a Report, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import verifier
from verifier.config import Settings
from verifier.errors import UsageError
from verifier.model import Kind, LinkStatus, Origin
from verifier.pipeline import check, parse, parse_lines

SEP = " " * 58

CHAPTER = "\n".join(
    [
        "Body.1 More body.2 And a claim.3 And a marker with no note.4",
        "",
        SEP,
        "1 The third party was the small Democratic Party of the country.",
        "2 Anna Smith, “A Study of Rivers,” Journal of Water 3, no. 2 (2001): 1–9, http://www.example.org/a-",
        "long-path.html.",
        "3 Ibid., 4.",
        "",
        "http://www.example.org/a-long-path.html",
    ]
)


@pytest.fixture
def chapter(tmp_path: Path) -> Path:
    path = tmp_path / "chapter.txt"
    path.write_text(CHAPTER, encoding="utf-8")
    return path


def test_discursive_note_is_not_a_citation(chapter: Path) -> None:
    report = check([chapter], offline=True)
    assert [c.note for c in report.citations] == ["2", "3"]
    assert report.documents[0].notes == 3
    assert report.documents[0].citations == 2


def test_ibid_takes_the_source_of_the_note_before(chapter: Path) -> None:
    report = check([chapter], offline=True)
    full, ibid = report.citations
    assert ibid.kind is Kind.IBID and ibid.source == full.source


def test_each_url_is_one_skipped_link_offline(chapter: Path) -> None:
    report = check([chapter], offline=True)
    assert [(link.url, link.status, link.error) for link in report.links] == [
        ("http://www.example.org/a-long-path.html", LinkStatus.SKIPPED, "offline")
    ]
    assert report.links[0].citations == (report.citations[0].id,)
    assert report.documents[0].urls == 1


def test_unreadable_input_is_p002_and_the_rest_is_checked(chapter: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    report = check([missing, chapter], offline=True)
    assert report.unreadable == (str(missing),)
    assert [f.code for f in report.findings if f.document == str(missing)] == ["P002"]
    assert len(report.documents) == 1 and report.citations


def test_unsupported_extension_is_p002(tmp_path: Path) -> None:
    odd = tmp_path / "notes.rtf"
    odd.write_text("{\\rtf1}", encoding="utf-8")
    report = check([odd], offline=True)
    assert report.unreadable == (str(odd),)
    assert "--input-format" in report.findings[0].message


def test_directory_means_every_supported_file_below_it(chapter: Path, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("See http://www.example.com/page for more.", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "c.txt").write_text("http://www.example.net/x", encoding="utf-8")
    report = check([tmp_path], offline=True)
    assert sorted(Path(d.path).name for d in report.documents) == ["b.txt", "chapter.txt"]
    bare = [c for c in report.citations if c.origin is Origin.URL]
    assert [(c.note, c.kind, c.fields.url) for c in bare] == [(None, Kind.WEB, "http://www.example.com/page")]


def test_select_and_ignore(chapter: Path) -> None:
    codes = {f.code for f in check([chapter], offline=True, select=("M",)).findings}
    assert codes and all(code.startswith("M") for code in codes)
    assert not {f.code for f in check([chapter], offline=True, ignore=("M", "I", "D", "P", "F")).findings}
    with pytest.raises(UsageError):
        check([chapter], offline=True, select=("Z9",))


def test_baseline_hides_recorded_findings(chapter: Path, tmp_path: Path) -> None:
    first = check([chapter], offline=True)
    assert first.findings
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(first.to_json()), encoding="utf-8")
    assert check([chapter], offline=True, baseline=str(baseline)).findings == ()


def test_bad_baseline_is_a_usage_error(chapter: Path, tmp_path: Path) -> None:
    bad = tmp_path / "b.json"
    bad.write_text("not json", encoding="utf-8")
    with pytest.raises(UsageError):
        check([chapter], Settings(offline=True, baseline=str(bad)))


def test_parse_runs_no_rules(chapter: Path) -> None:
    report = parse([chapter])
    assert report.citations and report.links == () and report.findings == ()


def test_no_paths_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        check([], offline=True)


def test_parse_lines_skips_blank_lines() -> None:
    out = parse_lines(["Ibid., p. 5.", "  ", "Smith, J. (2004). A title. Journal, 3(2), 1-9."])
    assert [o["kind"] for o in out] == ["ibid", "article"]
    assert out[1]["fields"]["date"] == "2004"


def test_public_api() -> None:
    c = verifier.parse_citation("Ibid., p. 35.")
    assert c.kind is Kind.IBID and c.fields.pages == "35"
    assert {"__version__", "check", "parse", "parse_citation", "Report"} <= set(verifier.__all__)  # test_api.py


GOOD = "A claim.1\n\nNotes\n\n1. Anna Smith, “A Study of Rivers,” Journal of Water 3, no. 2 (2001): 1–9.\n"
MINIMAL = {
    "text": ("x.txt", b"Text.\n"),
    "bibtex": ("x.bib", b"@book{k, title={T}, year={2000}}\n"),
    "latex": ("x.tex", b"Text\\cite{k}.\n"),
    "markdown": ("x.md", b"Text.\n"),
    "html": ("x.html", b"<p>Text.</p>\n"),
    "docx": ("x.docx", b"PK\x03\x04"),
    "pdf": ("x.pdf", b"%PDF-1.4\n"),
}


@pytest.mark.parametrize("fmt", sorted(MINIMAL))
@pytest.mark.parametrize("exc", [RuntimeError("boom"), RecursionError("maximum recursion depth exceeded"),
                                 ValueError(), KeyError("k")], ids=["runtime", "recursion", "value", "key"])
def test_a_reader_that_raises_costs_only_its_own_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str,
                                                      exc: Exception) -> None:
    # Fault injection: whatever one reader raises, the run goes on and the other files are reported.
    from verifier import readers

    real = readers.reader

    def broken(name: str):  # type: ignore[no-untyped-def]
        if name != fmt:
            return real(name)

        def read(data: bytes, path: str):  # type: ignore[no-untyped-def]
            raise exc

        return read

    monkeypatch.setattr(readers, "reader", broken)
    name, data = MINIMAL[fmt]
    (tmp_path / name).write_bytes(data)
    good = tmp_path / ("good.md" if fmt == "text" else "good.txt")
    good.write_text(GOOD if fmt != "text" else GOOD.replace("claim.1", "claim.[^1]").replace("1. Anna", "[^1]: Anna"),
                    encoding="utf-8")
    report = check([tmp_path / name, good], Settings(offline=True))
    assert report.unreadable == (str(tmp_path / name),)
    p002 = [f for f in report.findings if f.code == "P002"]
    assert len(p002) == 1 and p002[0].document == str(tmp_path / name)
    if isinstance(exc, RecursionError):
        assert "nested too deeply to read" in p002[0].message
    else:
        assert f"the {fmt} reader failed on it ({type(exc).__name__}" in p002[0].message
    assert [d.path for d in report.documents] == [str(good)]
    assert [c.document for c in report.citations] == [str(good)]


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_a_bibliography_nested_thousands_deep_is_a_p002_of_its_document(tmp_path: Path, suffix: str) -> None:
    n = 3000
    (tmp_path / f"refs{suffix}").write_text("[" * n + "]" * n if suffix == ".json" else "- " + "[" * n + "]" * n)
    (tmp_path / "doc.md").write_text(f"---\nbibliography: refs{suffix}\n---\nText [@x].\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    report = check([tmp_path], Settings(offline=True))
    assert sorted(Path(d.path).name for d in report.documents) == ["doc.md", "good.txt"]
    [p002] = [f for f in report.findings if f.code == "P002"]
    assert p002.document == str(tmp_path / "doc.md") and "nested too deeply to read" in p002.message


def test_a_bibliography_whose_reader_raises_is_a_p002_of_its_document(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from verifier.readers import csl

    def read(data: bytes, path: str):  # type: ignore[no-untyped-def]
        raise TypeError("boom")

    monkeypatch.setattr(csl, "read", read)
    (tmp_path / "refs.json").write_text("[]")
    (tmp_path / "doc.md").write_text("---\nbibliography: refs.json\n---\nText [@x].\n", encoding="utf-8")
    report = check([tmp_path / "doc.md"], Settings(offline=True))
    [p002] = [f for f in report.findings if f.code == "P002"]
    assert "the csl reader failed on it (TypeError: boom)" in p002.message
    assert [d.path for d in report.documents] == [str(tmp_path / "doc.md")]


def test_a_baseline_nested_thousands_deep_is_a_usage_error(chapter: Path, tmp_path: Path) -> None:
    deep = tmp_path / "b.json"
    deep.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    with pytest.raises(UsageError, match="nested too deeply"):
        check([chapter], Settings(offline=True, baseline=str(deep)))


REFS = [
    "Jane Roe, *A History of Rivers* (Boston: Harbor Press, 1998), 12.",
    'John Doe, "Bridges and Ferries," *Journal of Crossings* 7, no. 2 (2004): 33-51.',
    "Ann Smith and Bo Lee, eds., *Essays on Salt* (Leiden: Brill, 2011).",
    "Karin Holm, Rivers of the Plain (Northgate, 2001), 4.",
]


def _labelled_batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the batches the labeller is given from now on (its caches emptied)."""
    from verifier.citations import fields, labeller

    batches: list[int] = []
    label = labeller.Model.label
    monkeypatch.setattr(labeller.Model, "label", lambda self, texts: batches.append(len(texts)) or label(self, texts))
    labeller._CACHE.clear()
    fields._parse_cached.cache_clear()
    return batches


def test_a_documents_notes_are_labelled_in_one_batch_and_parse_as_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from verifier.citations import fields

    refs = REFS[:3]
    doc = tmp_path / "notes.md"
    doc.write_text("".join(f"Claim.[^{i}]\n\n" for i in range(3)) + "".join(f"[^{i}]: {r}\n" for i, r in enumerate(refs)))
    batches = _labelled_batches(monkeypatch)
    batched = [(c.kind, c.fields) for c in parse([doc]).citations]
    assert batches == [3]
    assert batched == [fields.parse_strict(r)[:2] for r in refs]


def test_a_batch_of_documents_is_labelled_together_and_maps_as_each_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from verifier import pipeline

    refs = REFS
    tasks = []
    for n, (first, second) in enumerate([refs[:2], refs[2:]]):
        path = tmp_path / f"part{n}.txt"
        path.write_text(f"A claim.1 Another.2\n\n{SEP}\n1 {first}\n2 {second}\n", encoding="utf-8")
        tasks.append(pipeline.Task(path.name, str(path), "text"))
    (tmp_path / "notes.md").write_text(f"Claim.[^1]\n\n[^1]: {refs[0]}\n", encoding="utf-8")
    tasks.insert(1, pipeline.Task("missing.txt", str(tmp_path / "missing.txt"), "text"))
    tasks.append(pipeline.Task("notes.md", str(tmp_path / "notes.md"), "markdown"))  # the include step's
    batches = _labelled_batches(monkeypatch)
    together = pipeline.map_inputs(Settings(), tasks)
    assert batches == [4]  # the notes of both chapters, in one batch
    alone = [pipeline.map_input(Settings(), task) for task in tasks]
    assert [(m.path, m.document, m.citations, m.left, m.failure) for m in together] == \
        [(m.path, m.document, m.citations, m.left, m.failure) for m in alone]
    assert together[1].failure and together[3].citations is None  # unreadable; extracted after the include step
    assert [c.fields.title for m in together[::2] for c in m.citations or ()][:1] == ["A History of Rivers"]


def test_each_input_file_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An archive on a shared file system is read once: the parent does not read the inputs again to look
    for `verifier: ignore` comments the map step looked for already (a LaTeX file's .bib still is)."""
    from verifier import inputs

    (tmp_path / "a.txt").write_text(CHAPTER, encoding="utf-8")
    (tmp_path / "b.md").write_text("Text.[^1]\n\n[^1]: See https://example.org/b.\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("A claim.\n\nverifier: ignore[M001]\n", encoding="utf-8")
    (tmp_path / "book.tex").write_text("\\documentclass{article}\n\\begin{document}\nSee \\cite{holm}.\n"
                                       "\\bibliography{refs}\n\\end{document}\n", encoding="utf-8")
    (tmp_path / "refs.bib").write_text("% verifier: ignore-file[M005]\n@book{holm, title = {Rivers}, year = 2001}\n"
                                       "@book{orlov, title = {Barges}, year = 1999}\n", encoding="utf-8")
    reads: list[str] = []
    read_bytes = inputs.read_bytes
    monkeypatch.setattr(inputs, "read_bytes", lambda path, limit: reads.append(path.name) or read_bytes(path, limit))
    report = check([tmp_path / "a.txt", tmp_path / "b.md", tmp_path / "c.txt", tmp_path / "book.tex"],
                   Settings(offline=True, jobs=1, root=str(tmp_path)))
    assert sorted(reads) == ["a.txt", "b.md", "book.tex", "c.txt", "refs.bib", "refs.bib"]  # the .bib: read, then
    assert not any(f.code == "M005" for f in report.findings)  # its comment looked for


QUOTED = "\n".join(
    [
        'He wrote that "the river rose higher than anyone in the valley could remember".1 Others said '
        '"the barges were lost to the flood in a single night and never found".',
        "",
        SEP,
        "1 Anna Smith, “A Study of Rivers,” Journal of Water 3, no. 2 (2001): 1–9, https://example.org/rivers.",
    ]
)


def test_plain_documents_come_back_without_their_body_and_give_the_same_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no LaTeX or Markdown input (which the include step completes from other files), the map step
    hands back no paragraphs: it found their quotations and unsourced quotations (M009) itself."""
    import shutil

    from verifier import pipeline

    for sample in ("chapter-pdf-extract.txt", "article-endnotes.txt", "sample.html", "sample.docx", "sample.pdf"):
        shutil.copy(Path(__file__).resolve().parents[1] / "references" / sample, tmp_path)
    (tmp_path / "quoted.txt").write_text(QUOTED, encoding="utf-8")
    task = pipeline.Task("quoted.txt", str(tmp_path / "quoted.txt"), "text")
    (compact,) = pipeline.map_inputs(Settings(), [task], compact=True)
    (whole,) = pipeline.map_inputs(Settings(), [task])
    assert compact.document is not None and whole.document is not None
    assert compact.document.paragraphs == () and whole.document.paragraphs
    assert [q.labels for q in compact.quoted or ()] == [("1",), ()]  # the second quotation has no note
    assert [f.code for f in compact.unsourced] == ["M009"]

    settings = Settings(offline=True, jobs=1)
    handed_back = check([tmp_path], settings)
    map_inputs = pipeline.map_inputs
    monkeypatch.setattr(pipeline, "map_inputs", lambda *a, **kw: map_inputs(*a, **{**kw, "compact": False}))
    kept = check([tmp_path], settings)
    assert handed_back.to_json() == kept.to_json()
    assert [q.text for q in handed_back.quotations][:1] == ["the river rose higher than anyone in the valley could remember"]
    assert any(f.code == "M009" and f.document and f.document.endswith("quoted.txt") for f in handed_back.findings)


def test_the_map_step_runs_the_per_document_rules_and_the_report_is_the_parent_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reader diagnostics and the per-document rules (notes, markers, identifiers, unparsed notes) run where
    a document is read; their citation ids are renumbered as the run numbers the citations, and the report
    is the one the parent gives running every rule itself (on every format: LaTeX and Markdown documents,
    which the include step completes, are left to the parent)."""
    import shutil

    from verifier import pipeline

    root = tmp_path / "docs"
    shutil.copytree(Path(__file__).resolve().parents[1] / "references", root,
                    ignore=shutil.ignore_patterns("*.py", "README.md"))
    (root / "chapter.txt").write_text(CHAPTER, encoding="utf-8")
    task = pipeline.Task("chapter.txt", str(root / "chapter.txt"), "text")
    (mapped,) = pipeline.map_inputs(Settings(), [task], rules=True)
    assert "M001" in {f.code for f in mapped.findings or ()}  # the marker with no note
    assert pipeline.map_inputs(Settings(), [task])[0].findings is None  # (`verifier parse` runs no rules)

    settings = Settings(offline=True, jobs=1, root=str(root))
    mapped_rules = check([root], settings)
    monkeypatch.setattr(pipeline, "_mapped_findings", lambda docs, *rest: ([], list(range(len(docs)))))
    parent_rules = check([root], settings)
    assert mapped_rules.to_json() == parent_rules.to_json()
    found = {f.code for f in mapped_rules.findings}
    assert {"M001", "M003", "F001", "F002", "F004"} <= found
    # findings of a later document name the run's ids, not the document's own
    later = [f for f in mapped_rules.findings if f.code == "F001" and f.citations]
    assert later and all(int(c[1:]) > 1 for f in later for c in f.citations)


def test_the_rules_run_before_the_network_stage_find_what_all_of_them_find_after_it(chapter: Path) -> None:
    """``check`` runs the rules that need nothing of the network (``Rule.offline``) before the network stage;
    with registries configured (which may add DOIs to the sources) every rule runs after it. Offline, with
    nothing asked either way, both orders give the same findings, in the same order."""
    third_party = Path(__file__).parent / "fixtures" / "third_party"
    paths = [chapter, *sorted(p for p in third_party.rglob("*") if p.suffix in (".md", ".html", ".tex", ".docx"))]
    before = check(paths, offline=True)
    after = check(paths, offline=True, registry=("crossref",))
    assert len({f.code for f in before.findings}) > 5
    assert before.findings == after.findings


def test_a_plan_with_no_page_to_read_is_none_and_one_with_quoted_or_retitled_pages_is_not(chapter: Path) -> None:
    """``text_plan``: with no quotation paired with a URL and no titled citation whose capture may be asked
    (``--no-archive``, or bare URLs), the stage is given no page-text part at all (it would read nothing)."""
    from verifier import pipeline
    from verifier.pipeline import text_plan

    report = check([chapter], offline=True)
    urls_of = {c.id: pipeline.citation_urls(c) for c in report.citations}
    assert any(c.fields.title and urls_of[c.id] for c in report.citations)  # a titled citation with its URL
    assert text_plan([], report.citations, urls_of, Settings(no_archive=True)) is None
    bare = [c for c in report.citations if not c.fields.title]
    assert text_plan([], bare, urls_of, Settings()) is None
    plan = text_plan([], report.citations, urls_of, Settings())
    assert plan is not None and not plan.quoted  # the titled URL's capture titles may be wanted (L006)


def test_a_no_archive_check_of_bare_urls_loads_no_archive_or_page_text_module(tmp_path: Path) -> None:
    """Nothing of the archives or page texts is wanted: neither module is loaded, before the stage or after it
    (with helper processes, their load would be the command's only work after the last verdict)."""
    import subprocess
    import sys

    doc = tmp_path / "urls.txt"
    doc.write_text("http://127.0.0.1:9/a\nhttp://127.0.0.1:9/b\n", encoding="utf-8")  # refused: private
    code = ("import sys, verifier; r = verifier.check([sys.argv[1]], no_archive=True, no_cache=True); "
            "print(*sorted({l.status.value for l in r.links}), "
            "*(m in sys.modules for m in ('verifier.net.stage', 'verifier.net.archives', 'verifier.net.texts')))")
    out = subprocess.run([sys.executable, "-c", code, str(doc)], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["skipped", "True", "False", "False"]


def test_a_document_of_bare_urls_never_loads_the_field_parser_and_a_reference_list_does(tmp_path: Path) -> None:
    """The field parser's modules (its regular expressions, lexicons and model: about 45 ms at start-up) load
    with the first citation that needs parsing, which a list of bare URLs never has."""
    import subprocess
    import sys

    urls = tmp_path / "urls.txt"
    urls.write_text("http://example.org/a\nhttps://example.org/b\n", encoding="utf-8")
    refs = tmp_path / "refs.md"
    refs.write_text("# References\n\n1. Smith, J. (2001). A title. *Journal*, 3, 1-9.\n", encoding="utf-8")
    code = ("import sys, verifier; r = verifier.check([sys.argv[1]], offline=True, no_cache=True); "
            "print(len(r.citations), 'verifier.citations.fields' in sys.modules)")
    for doc, expected in ((urls, ["2", "False"]), (refs, ["1", "True"])):
        out = subprocess.run([sys.executable, "-c", code, str(doc)], capture_output=True, text=True,
                             check=True).stdout
        assert out.split() == expected


def test_the_links_go_to_the_helpers_before_the_sources_are_joined_unless_a_quotation_wants_a_page_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hand-over comes as soon as the citations are numbered, so that the sources' join and the
    per-document rules run while the helpers check; a quotation whose note cites a URL keeps the links here
    (its page is read in this process), and the hand-over then never comes. (The network stage itself is
    left out: no request is made.)"""
    from verifier import pipeline
    from verifier.net import checkers

    steps: list[str] = []
    resolve = pipeline.resolve
    monkeypatch.setattr(pipeline, "resolve", lambda *a, **kw: (steps.append("resolve"), resolve(*a, **kw))[1])
    monkeypatch.setattr(checkers, "begin", lambda urls, *a: steps.append(f"begin {len(urls)}"))
    monkeypatch.setattr(pipeline, "network_stage", lambda urls, sources, *a, **kw: ([], {}, sources))
    plain = tmp_path / "plain.md"
    plain.write_text("See [one](https://example.org/a) and https://example.org/b.\n", encoding="utf-8")
    quoting = tmp_path / "quoting.md"
    quoting.write_text('He wrote "these are the very words in question here".[^1]\n\n[^1]: https://example.org/q\n',
                       encoding="utf-8")
    for doc, expected in ((plain, ["begin 2", "resolve"]), (quoting, ["resolve"])):
        steps.clear()
        report = check([doc], Settings(no_cache=True, no_archive=True))
        assert steps == expected, doc.name
        assert report.sources and all(c.source for c in report.citations)


def test_the_hand_over_comes_before_the_rules_and_the_quotation_matcher_are_imported(tmp_path: Path) -> None:
    """The command's critical path: importing every rule family and rapidfuzz (about 25 ms) waits until the
    links are with the helpers, unless a --select, a per-file ignore or a quotation needs them sooner."""
    import subprocess
    import sys

    doc = tmp_path / "urls.txt"
    doc.write_text("https://example.org/a\nhttps://example.org/b\n", encoding="utf-8")
    code = """
import sys
from verifier import pipeline
from verifier.config import Settings
from verifier.net import checkers
checkers.begin = lambda urls, *a: print(len(urls), *(m in sys.modules for m in ("verifier.rules", "rapidfuzz")))
pipeline.network_stage = lambda urls, sources, *a, **kw: ([], {}, sources)
report = pipeline.check([sys.argv[1]], Settings(no_cache=True, no_archive=True))
print(len(report.citations), "verifier.rules" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code, str(doc)], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["2", "False", "False", "2", "True"]


def test_the_network_stage_s_collector_leaves_the_run_s_older_objects_alone_and_then_collects_them_again() -> None:
    """``_collecting``: the collector is on for the network code, and what the run built before (frozen) is not
    scanned by it; afterwards everything is collectable again and the collector is as it was."""
    import gc

    from verifier.pipeline import _bulk_allocation, _collecting

    older = [[] for _ in range(1000)]
    with _bulk_allocation():
        assert not gc.isenabled()
        with _collecting():
            assert gc.isenabled() and gc.get_freeze_count() >= len(older)
        assert not gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_url_ending_in_its_own_hyphen_is_cited_and_one_cut_at_the_line_end_is_reported(tmp_path: Path) -> None:
    """A heading's slug ends in a hyphen when the heading ends in a bracket (``#task-list-items-extension-``);
    a hyphen at the end of a line is where a URL broke and lost the rest."""
    doc = tmp_path / "links.md"
    doc.write_text("Adapted from <https://example.org/gfm/#task-list-items-extension->.\n\n"
                   "See https://example.org/b- for more.\n\n"
                   "Broken at https://example.org/some-\nline end.\n\n"
                   "<https://example.org/gfm/#tables-extension->\n", encoding="utf-8")
    report = check([doc], Settings(offline=True, no_cache=True))
    assert [c.fields.url for c in report.citations] == ["https://example.org/gfm/#task-list-items-extension-",
                                                        "https://example.org/b-",
                                                        "https://example.org/gfm/#tables-extension-"]
    # The cut one is said, not dropped: F004 at its line.
    assert [(f.code, f.location.line if f.location else None, f.url) for f in report.findings] == [
        ("F004", 5, "https://example.org/some-")]


def test_short_forms_with_a_page_or_a_volume_are_short_forms_not_second_full_citations(tmp_path: Path) -> None:
    """"Ferri, Cronache, II, p. 45" and "Ferri, 302.": short forms of the work cited in full before, silent; one with
    no full citation anywhere is M007. (They were full citations: D002, I002, I005 and M008 on a correct note,
    and "Ferri, 302." P001.)"""
    doc = tmp_path / "essay.md"
    doc.write_text("# Essay\n\nOld roads.[^1] Long ones.[^2] Few.[^3] None.[^4]\n\n"
                   "[^1]: Mario Ferri, *Cronache della laguna*, 3 vols. (Venezia: Edizioni del Ponte, 1990), I, 12.\n"
                   "[^2]: Ferri, *Cronache della laguna*, II, p. 45.\n"
                   "[^3]: Ferri, 302.\n"
                   "[^4]: Haraldsen, 45.\n", encoding="utf-8")
    report = check([doc], Settings(offline=True, no_cache=True))
    kinds = [c.kind for c in report.citations]
    assert kinds == [Kind.BOOK, Kind.SHORT, Kind.SHORT, Kind.SHORT]
    assert report.citations[0].fields.volume == "I"  # the volume cited, not the count of volumes
    assert [(f.code, f.location.line if f.location else None) for f in report.findings] == [("M007", 8)]
