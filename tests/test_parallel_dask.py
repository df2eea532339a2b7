"""--scheduler: the same report from a Dask cluster (a LocalCluster of processes on loopback), its
workers doing the map step and the host partitions, per-host limits holding across them."""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers.origin import Origin, cross_host_redirects
from verifier import check
from verifier.cli import main
from verifier.config import Settings
from verifier.model import LinkStatus
from verifier.pipeline import Task, map_input

distributed = pytest.importorskip("distributed")

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    """Two worker processes, one thread each, on 127.0.0.1 (started once for the module: it takes seconds)."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0", memory_limit="1GiB") as running:
        yield running


def _ran_on_the_workers(cluster: object, name: str) -> bool:
    scheduler = cluster.scheduler  # type: ignore[attr-defined]
    return name in scheduler.task_prefixes


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    shutil.copytree(REPO / "references", root, ignore=shutil.ignore_patterns("*.py", "README.md"))
    (root / ".git").mkdir()
    return root


def test_the_cluster_gives_the_report_of_one_process_offline(cluster: object, folder: Path) -> None:
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    here = check([folder], offline=True, jobs=1, root=str(folder))
    there = check([folder], offline=True, scheduler=address, root=str(folder))
    sent = check([folder], offline=True, scheduler=address, send_documents=True, root=str(folder))
    assert here.to_json() == there.to_json() == sent.to_json()
    assert len(here.documents) >= 8 and len(here.citations) > 20
    assert _ran_on_the_workers(cluster, "map_inputs")


@pytest.fixture
def two_hosts() -> Iterator[tuple[Origin, Origin]]:
    """Two loopback hosts (127.0.0.1 and 127.0.0.2), each answering slowly enough that requests overlap."""
    first, second = Origin("127.0.0.1"), Origin("127.0.0.2")
    for server in (first, second):
        server.delay = 0.1
    yield first, second
    first.stop()
    second.stop()


def test_the_cluster_checks_links_by_host_and_keeps_the_per_host_limit(
    cluster: object, two_hosts: tuple[Origin, Origin], tmp_path: Path
) -> None:
    lines = [f"See {server.url(f'/slow/{i}')} for more." for server in two_hosts for i in range(10)]
    lines.append(f"And {two_hosts[0].url('/missing')} too.")
    doc = tmp_path / "links.txt"
    doc.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    options = {"allow_private": True, "no_cache": True, "no_archive": True, "per_host": 2, "timeout": 30.0}

    there = check([doc], scheduler=cluster.scheduler_address, **options)  # type: ignore[attr-defined]
    peaks = [server.peak["slow"] for server in two_hosts]
    for server in two_hosts:
        server.reset()
    here = check([doc], jobs=1, **options)

    assert there.to_json() == here.to_json()
    statuses = [link.status for link in there.links]
    assert statuses.count(LinkStatus.ALIVE) == 20 and statuses[-1] is LinkStatus.DEAD
    assert all(0 < peak <= 2 for peak in peaks), peaks
    assert _ran_on_the_workers(cluster, "check_part")


def test_an_unreachable_scheduler_is_exit_2_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # released: nothing listens there
    doc = tmp_path / "a.txt"
    doc.write_text("Text.\n", encoding="utf-8")
    status = main(["check", str(doc), "--offline", "--scheduler", f"tcp://127.0.0.1:{port}", "--timeout", "1"])
    err = capsys.readouterr().err
    assert status == 2
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in err and "Traceback" not in err


def test_send_documents_reads_the_bytes_not_the_path(tmp_path: Path) -> None:
    task = Task("chapter.txt", str(tmp_path / "not-there.txt"), "text", data=b"See https://example.org/a for more.\n")
    mapped = map_input(Settings(), task)
    assert mapped.failure is None and mapped.document is not None
    assert [c.fields.url for c in mapped.citations or ()] == ["https://example.org/a"]


def test_the_cli_runs_on_the_cluster(cluster: object, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    args = ["check", str(folder), "--offline", "--format", "json", "--fail-on", "never", "--root", str(folder)]
    assert main([*args, "--scheduler", address]) == 0
    there = json.loads(capsys.readouterr().out)
    assert main([*args, "--jobs", "1"]) == 0
    assert json.loads(capsys.readouterr().out) == there


def test_a_scheduler_without_workers_is_exit_2_not_a_run_that_never_ends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("Text.\n", encoding="utf-8")
    with distributed.LocalCluster(n_workers=0, processes=False, protocol="tcp://", host="127.0.0.1",
                                  dashboard_address=":0") as empty:
        status = main(["check", str(doc), "--offline", "--scheduler", empty.scheduler_address, "--timeout", "1"])
    err = capsys.readouterr().err
    assert status == 2 and "has no workers" in err, err


def test_redirects_across_host_partitions_keep_the_per_host_limit_on_the_cluster(
    cluster: object, two_hosts: tuple[Origin, Origin], tmp_path: Path
) -> None:
    first, second = two_hosts
    for server in two_hosts:
        server.delay = 0.05
    urls = cross_host_redirects(first, second)
    doc = tmp_path / "links.txt"
    doc.write_text("\n\n".join(f"See {url} for more." for url in urls) + "\n", encoding="utf-8")
    options = {"allow_private": True, "no_cache": True, "no_archive": True, "per_host": 2, "timeout": 30.0}

    there = check([doc], scheduler=cluster.scheduler_address, **options)  # type: ignore[attr-defined]
    peaks = [server.peak["x"] for server in two_hosts]
    here = check([doc], jobs=1, **options)

    assert there.to_json() == here.to_json()
    assert all(0 < peak <= 2 for peak in peaks), peaks  # a redirect into the other partition's host waits for it
    found = {link.url: link for link in there.links}
    assert found[first.url("/x/p0")].final_url == first.url("/x/p4")
    assert "redirect loop" in (found[first.url("/x/l0")].error or "")
    assert "too many redirects" in (found[first.url("/x/m0")].error or "")
