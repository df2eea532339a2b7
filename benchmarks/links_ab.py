"""Two checkouts of verifier side by side on the link benchmark, by CPU time as well as wall time.

    python benchmarks/links_ab.py OLD_CHECKOUT NEW_CHECKOUT [--runs 5] [--urls 2000]

On a machine others are using, wall times swing with their load and say little about a change; the CPU
time a run needs swings much less. This script serves the same loopback hosts as ``benchmarks/links.py``
(40 hosts answering after 50 ms) and alternates, run by run and checkout by checkout:

* ``verifier check`` as it ships (``python -m verifier`` run in the checkout, so that the checkout's own
  code is imported; the same options as ``links.py``): wall time and the CPU time of the command and its
  helper processes;
* the network stage in-process (``net.stage.check_links`` of the checkout, in a child process of its own)
  beside aiohttp alone in the same child, in the same minute: the stage's CPU time and its ratio to
  aiohttp's, which load inflates for both alike.

It prints the medians for each checkout. It asserts nothing. A checkout is any folder holding the package
(``git worktree add``, or ``git archive REV | tar -x -C DIR``); both run on this interpreter.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.links import compiled, serve, url_list  # noqa: E402

_STAGE = """
import argparse, json, sys, time
sys.path.insert(0, sys.argv[1])
from benchmarks.links import aiohttp_alone, in_process, url_list
port, offset, urls = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
args = argparse.Namespace(concurrency=160, per_host=4)
in_process(url_list(200, 40, port, offset), args, "aiohttp")  # imports and first connections
stage = in_process(url_list(urls, 40, port, offset + 1000), args, "aiohttp")
alone = aiohttp_alone(url_list(urls, 40, port, offset + 1000 + urls), args)
print(json.dumps([stage, alone]))
"""


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def command(checkout: Path, doc: Path) -> tuple[float, float]:
    cmd = [sys.executable, "-m", "verifier", "check", str(doc), "--allow-private", "--no-archive", "--no-cache",
           "--concurrency", "160", "--per-host", "4", "--timeout", "30", "--format", "json", "--fail-on", "never"]
    start, cpu = time.perf_counter(), _child_cpu()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=checkout)
    if proc.returncode not in (0, 1):
        print(proc.stderr[-2000:])
    return time.perf_counter() - start, _child_cpu() - cpu


def stage(checkout: Path, port: int, offset: int, urls: int) -> tuple[list[float], list[float]]:
    import json

    out = subprocess.run([sys.executable, "-c", _STAGE, str(checkout), str(port), str(offset), str(urls)],
                         capture_output=True, text=True, cwd=checkout)
    if out.returncode:
        print(out.stderr[-2000:])
        return [0.0, 0.0], [0.0, 1.0]
    got: tuple[list[float], list[float]] = tuple(json.loads(out.stdout.splitlines()[-1]))  # type: ignore[assignment]
    return got


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkouts", nargs=2, type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--urls", type=int, default=2000)
    args = parser.parse_args()
    for checkout in args.checkouts:
        if stale := compiled(checkout):  # each as it ships (``links.compiled``)
            print(f"(compiled {stale} modules of {checkout} to bytecode first, as an install does)")
    server, port = serve(40, 0.05)
    print(f"{args.urls} URLs over 40 loopback hosts answering after 50 ms; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} at the start")
    tmp = Path(os.environ.get("TMPDIR", "/tmp"))
    results: dict[Path, dict[str, list[float]]] = {c: {"wall": [], "cpu": [], "stage": [], "ratio": []}
                                                   for c in args.checkouts}
    base = int(time.time()) % 1000 * 10**8
    for run in range(args.runs):
        for n, checkout in enumerate(args.checkouts):
            offset = base + (run * 2 + n) * 10**6
            doc = tmp / f"verifier-links-ab-{os.getpid()}-{run}-{n}.txt"
            doc.write_text("\n".join(url_list(args.urls, 40, port, offset)) + "\n", encoding="utf-8")
            wall, cpu = command(checkout, doc)
            doc.unlink()
            (_swall, scpu), (_awall, acpu) = stage(checkout, port, offset + 10**5, args.urls)
            r = results[checkout]
            r["wall"].append(wall)
            r["cpu"].append(cpu)
            r["stage"].append(scpu)
            r["ratio"].append(scpu / acpu)
    print(f"\n{'checkout':40} {'command wall':>12} {'command CPU':>11} {'stage CPU':>9} {'stage/aiohttp CPU':>17}")
    for checkout, r in results.items():
        print(f"{str(checkout):40} {statistics.median(r['wall']):11.2f}s {statistics.median(r['cpu']):10.2f}s "
              f"{statistics.median(r['stage']):8.3f}s {statistics.median(r['ratio']):16.2f}x")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    server.kill()
    os._exit(0)


if __name__ == "__main__":
    main()
