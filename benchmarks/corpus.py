"""A whole archive in one run: ``verifier check --offline`` on a generated corpus, one process beside two.

    python benchmarks/corpus.py [--docs 2000] [--keep DIR] [--runs jobs1,jobs2,cluster] [--repeat N]

Generates (deterministically, with ``benchmarks/parse.py``'s generator) chapter-like documents shaped
like PDF-extracted book chapters (about 67 KB each: pages, glued note markers, page-bottom footnotes,
URLs broken across lines), then runs, each in a fresh Python process so that every run starts with
empty caches and its own memory figure:

* ``--jobs 1`` — the map step in the one process (the peer: what a run was before ``--jobs``);
* ``--jobs 2`` — the map step in two worker processes;
* ``cluster`` — ``--scheduler`` on a Dask ``LocalCluster`` of 2 worker processes (1 thread each) on
  127.0.0.1, started before the clock starts (its scheduler lives in the measured process).

For each it prints the time of ``verifier.check`` (the interpreter's start and the corpus's generation
are not counted), documents/s, MB/s, the speed-up over ``--jobs 1``, the CPU time and the peak memory
(max RSS) of the parent process (with workers, its CPU time is the serial share of the run: the steps
after the map step and taking the workers' results in), and whether the report is the same as
``--jobs 1``'s (a digest of its JSON). It asserts nothing. The machine's load is printed too: the times
mean little on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from parse import make_corpus  # noqa: E402  (the chapter generator, shared with benchmarks/parse.py)

RUN = r"""
import hashlib, json, resource, sys, time
from pathlib import Path
kind, folder = sys.argv[1], Path(sys.argv[2])
from verifier import check
options = {"offline": True}
cluster = None
if kind == "cluster":
    from distributed import LocalCluster
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=":0")
    options["scheduler"] = cluster.scheduler_address
else:
    options["jobs"] = int(kind.removeprefix("jobs"))
t0, c0 = time.perf_counter(), time.process_time()
report = check([folder], **options)
took, cpu = time.perf_counter() - t0, time.process_time() - c0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the digest's JSON below
digest = hashlib.sha256(json.dumps(report.to_json(), sort_keys=True).encode()).hexdigest()
print(json.dumps({"seconds": took, "cpu": cpu, "peak_mb": peak, "digest": digest, "citations": len(report.citations)}))
if cluster is not None:
    cluster.close()
"""


def measure(kind: str, folder: Path) -> dict:
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    proc = subprocess.run([sys.executable, "-c", RUN, kind, str(folder)], capture_output=True, text=True,
                          check=False, env=env)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"error": (proc.stderr.strip().splitlines() or ["no output"])[-1]}
    return dict(json.loads(lines[-1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--keep", type=Path, help="write the corpus here and keep it (reused when it is there)")
    ap.add_argument("--runs", default="jobs1,jobs2,cluster", help="which runs, comma-separated")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each kind, alternating; the best is shown "
                    "(the figure least disturbed by other work on the machine), with the median")
    args = ap.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="verifier-corpus-"))
    folder.mkdir(parents=True, exist_ok=True)
    if len(list(folder.glob("chapter-*.txt"))) != args.docs:
        make_corpus(folder, args.docs)
    mb = sum(p.stat().st_size for p in folder.glob("chapter-*.txt")) / 1e6
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"corpus: {args.docs} documents, {mb:.1f} MB in {folder}; {os.cpu_count()} cores, load {load:.1f}")

    kinds = args.runs.split(",")
    runs: dict[str, list[dict]] = {kind: [] for kind in kinds}
    for _ in range(args.repeat):  # alternating, so a change in the machine's load touches every kind alike
        for kind in kinds:
            runs[kind].append(measure(kind, folder))
    base: dict | None = None
    for kind in kinds:
        label = {"jobs1": "--jobs 1", "jobs2": "--jobs 2", "cluster": "LocalCluster, 2 workers"}.get(kind, kind)
        good = [r for r in runs[kind] if "error" not in r]
        if not good:
            print(f"{label:24} FAILED: {runs[kind][0]['error']}")
            continue
        best = min(good, key=lambda r: r["seconds"])
        median = statistics.median(r["seconds"] for r in good)
        base = base or best
        same = "same report" if all(r["digest"] == base["digest"] for r in good) else "REPORT DIFFERS"
        spread = f" (median {median:.1f} s of {len(good)})" if len(good) > 1 else ""
        print(f"{label:24} {best['seconds']:7.1f} s{spread} {args.docs / best['seconds']:7.1f} docs/s "
              f"{mb / best['seconds']:6.2f} MB/s speed-up {base['seconds'] / best['seconds']:4.2f}x  "
              f"parent CPU {best['cpu']:6.1f} s  parent peak {best['peak_mb']:6.0f} MB  "
              f"{best['citations']} citations, {same}")
    if not args.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
