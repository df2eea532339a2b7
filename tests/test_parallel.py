"""Where the map step runs: --jobs N gives the report of --jobs 1; the work runs in the workers."""

from __future__ import annotations

import json
import os
import shutil
from functools import partial
from pathlib import Path

import pytest

from verifier import budget, parallel
from verifier.cli import main
from verifier.config import Settings
from verifier.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"

BIB = "@book{holm, author = {Karin Holm}, title = {Rivers of the Plain}, publisher = {Northgate}, year = 2001}\n" \
      "@article{orlov, author = {Nikolai Orlov}, title = {Barges}, journal = {Water History}, year = 1999}\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Documents of every kind the map step treats apart: plain ones (extracted in the map step), keyed
    ones and their parts and bibliography (completed by the include step, then extracted), one that cannot
    be read, one with an inline suppression, and a part also named on its own."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "references", root, ignore=shutil.ignore_patterns("*.py", "README.md"))
    (root / ".git").mkdir()  # the project root for named files
    (root / "book").mkdir()
    (root / "book" / "main.tex").write_text(
        "\\documentclass{book}\n\\begin{document}\n\\input{one}\nSee \\cite{holm}.\\footnote{Anna Petrova, "
        "“The Barge Haulers,” Slavic Review 60, no. 2 (2001): 4.}\n\\bibliography{refs}\n\\end{document}\n",
        encoding="utf-8")
    (root / "book" / "one.tex").write_text("A part citing \\cite{orlov} and \\cite{nobody}.\\footnote{Ibid., 5.}\n",
                                           encoding="utf-8")
    (root / "book" / "refs.bib").write_text(BIB, encoding="utf-8")
    (root / "zz-broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (root / "quiet.md").write_text("Text.[^1] <!-- verifier: ignore[M001] -->\nMore.[^2]\n", encoding="utf-8")
    return root


def _report(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    status = main(["check", *args, "--offline", "--format", "json", "--fail-on", "never"])
    out = capsys.readouterr()
    assert status in (0, 2), out.err
    assert "Traceback" not in out.err
    return json.loads(out.out)


def test_two_jobs_give_the_report_of_one(folder: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(folder)
    one = _report(capsys, ".", "book/one.tex", "--jobs", "1")
    two = _report(capsys, ".", "book/one.tex", "--jobs", "2")
    assert one == two
    paths = [d["path"] for d in one["documents"]]
    assert len(paths) == len(set(paths)), "a part named on its own is still one document"
    assert {"book/main.tex", "book/one.tex", "book/refs.bib", "sample.md"} <= set(paths)
    assert [f["document"] for f in one["findings"] if f["code"] == "P002"] == ["zz-broken.pdf"]
    assert [(f["code"], f["location"]["line"]) for f in one["findings"] if f["document"] == "quiet.md"] == [
        ("M001", 2)], "the suppression read in a worker still applies"
    assert len(one["citations"]) > 20
    assert [c["id"] for c in one["citations"]] == [f"c{n}" for n in range(1, len(one["citations"]) + 1)]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")
def test_two_jobs_give_the_report_of_one_on_the_seeds(capsys: pytest.CaptureFixture[str]) -> None:
    assert _report(capsys, str(SEEDS), "--jobs", "2") == _report(capsys, str(SEEDS), "--jobs", "1")


def test_the_map_step_runs_in_the_workers() -> None:
    pool = parallel.Pool(2)
    try:
        pids = pool.map(partial(eval, "__import__('os').getpid()"), [{} for _ in range(8)])
    finally:
        pool.close()
    assert len(pids) == 8 and os.getpid() not in pids


def test_a_document_past_its_budget_is_stopped_inside_a_worker() -> None:
    """A worker runs its task on its main thread, so the budget's hard stop (SIGALRM) works there."""
    code = "from verifier import budget\nwith budget.limit(0.05):\n    while True:\n        pass\n"
    pool = parallel.Pool(1)
    try:
        with pytest.raises(budget.DocumentTimeout):
            pool.map(partial(exec, code), [{}])
    finally:
        pool.close()


@pytest.mark.parametrize(
    ("jobs", "tasks", "size", "expected"),
    [
        pytest.param(None, 10, 1000, "InProcess", id="default-small-input-stays-here"),
        pytest.param(None, 1, parallel.POOL_MIN_BYTES, "InProcess", id="one-document-stays-here"),
        pytest.param(1, 100, parallel.POOL_MIN_BYTES, "InProcess", id="jobs-1"),
        pytest.param(2, 3, 10, "Pool", id="jobs-2-asked-for"),
    ],
)
def test_where_the_map_step_runs(jobs: int | None, tasks: int, size: int, expected: str) -> None:
    with parallel.runner(Settings(jobs=jobs), tasks, size) as run:
        assert type(run).__name__ == expected


def test_no_more_workers_than_documents() -> None:
    with parallel.runner(Settings(jobs=8), 2, 10) as run:
        assert run.workers == 2


def test_jobs_in_the_config_file(tmp_path: Path) -> None:
    from verifier import config

    (tmp_path / "verifier.toml").write_text("jobs = 3\n", encoding="utf-8")
    assert config.load(tmp_path / "verifier.toml").jobs == 3
    (tmp_path / "verifier.toml").write_text("jobs = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="at least 1"):
        config.load(tmp_path / "verifier.toml")


def test_send_documents_without_a_scheduler_is_a_usage_error(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("Text.\n", encoding="utf-8")
    assert main(["check", str(tmp_path), "--offline", "--send-documents"]) == 2
    assert "--send-documents" in capsys.readouterr().err


def test_jobs_zero_on_the_command_line_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path), "--offline", "--jobs", "0"]) == 2
    assert "--jobs" in capsys.readouterr().err
