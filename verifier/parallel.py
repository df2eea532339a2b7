"""Where the map step runs: in this process, in a pool of processes (``--jobs N``), or on a Dask cluster
(``--scheduler ADDRESS``).

The pipeline (``verifier.pipeline``) is one straight line of steps — map (read and extract per document),
the include step, shuffle (distinct URLs), check (the network stage), reduce (sources, rules, report) — and
only *where* the map step's pure functions run changes. Each runner here has one method, ``map(fn,
items)``, that returns ``[fn(item) for item in items]`` in order; the pipeline numbers the citations in
the parent, in that order, so a run gives the same report whatever runs it.

* :class:`InProcess` — ``--jobs 1``, or a run too small to be worth starting processes for.
* :class:`Pool` — ``concurrent.futures.ProcessPoolExecutor`` on the ``forkserver`` start method (workers
  fork from a clean server process that has imported verifier once: no threads of the parent, such as a
  progress bar's, are forked). Each task runs on a worker's main thread, so the document budget's hard
  stop (``verifier.budget``, a SIGALRM timer) works there as in the parent.
* :class:`Cluster` — a Dask ``distributed.Client`` (the optional extra ``dask``). Tasks run in the
  workers' threads, so only the cooperative part of the document budget applies there. A scheduler that
  cannot be reached is an error (exit 2), never a silent fall back to this machine.

Workers compute with one BLAS thread each (:func:`one_blas_thread`): the parser's network multiplies tiny
matrices, where the threads of OpenBLAS cost more than they give (measured 8× slower on the shared 2-core
machine), and the processes are the parallelism.
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Protocol, TypeVar

from verifier.config import Settings
from verifier.errors import UsageError, VerifierError

T = TypeVar("T")
R = TypeVar("R")

BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
POOL_MIN_BYTES = 2_000_000
"""Below this much input, a run with the default ``--jobs`` reads in this process: starting the workers
(about half a second) costs more than a few documents take (a 70 KB chapter: about 0.15 s to read and
parse). An explicit ``--jobs N`` always starts N workers (at most one per document)."""


class Runner(Protocol):
    workers: int
    where: str
    """Says where the map step runs, for the log."""

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """``[fn(item) for item in items]``, in order (``fn`` must be picklable for a pool or a cluster)."""
        ...


def cores() -> int:
    """The cores this process may run on (the default of ``--jobs``)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def one_blas_thread() -> None:
    """One BLAS thread in this process, unless the user chose otherwise (only before numpy is loaded)."""
    if "numpy" not in sys.modules:
        for name in BLAS_THREADS:
            os.environ.setdefault(name, "1")


class InProcess:
    """The map step in this process."""

    workers = 1
    where = "in this process"

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        return [fn(item) for item in items]


def _worker_started() -> None:
    one_blas_thread()


class Pool:
    """The map step in ``jobs`` worker processes of this machine."""

    def __init__(self, jobs: int) -> None:
        # (imported here: 20 ms a run in one process, or with its links checked, would wait for at start-up)
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["verifier.pipeline"])  # imported once, in the server
        self.workers = jobs
        self.where = f"in {jobs} processes"
        self._pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_started)

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        if not items:
            return []
        # Chunks amortise the hand-over of many small items; small enough that the last ones do not leave a
        # worker idle long (the map step's items are batches of documents already: one each).
        chunk = max(1, min(16, len(items) // (self.workers * 64)))
        from concurrent.futures.process import BrokenProcessPool

        try:
            return list(self._pool.map(fn, items, chunksize=chunk))
        except BrokenProcessPool as exc:
            raise VerifierError(f"a worker process died ({exc}); run again with --jobs 1 to see which document "
                                "it was reading") from None

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class Cluster:
    """The map step on the workers of a Dask distributed cluster."""

    def __init__(self, address: str, timeout: float) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise UsageError("--scheduler needs Dask distributed: pip install 'verifier-cite[dask]'") from None
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        try:  # a scheduler without workers would hold the tasks for ever
            self.client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            self.client.close()
            raise UsageError(f"the Dask scheduler at {address} has no workers ({exc})") from None
        self.workers = len(self.client.nthreads())
        self.where = f"on the Dask cluster at {address} ({self.workers} workers)"

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        if not items:
            return []
        from distributed import KilledWorker

        futures = self.client.map(fn, items, pure=False)
        try:
            return list(self.client.gather(futures))
        except KilledWorker as exc:
            self.client.cancel(futures)
            raise VerifierError(f"a Dask worker died on a task again and again ({exc}); run again with --jobs 1 "
                                "to see which document it was reading") from None
        except BaseException:
            self.client.cancel(futures)
            raise

    async def each(self, fn: Callable[[T], R], items: Sequence[T]) -> AsyncIterator[R]:
        """``fn`` on each item on the workers, the results as they complete (the network stage's host
        partitions, ``verifier.net.stage``); waits in a thread, so the caller's event loop goes on."""
        import asyncio

        from distributed import as_completed

        futures = self.client.map(fn, items, pure=False)
        done = as_completed(futures, loop=self.client.loop)
        try:
            for _ in futures:
                yield await asyncio.to_thread(lambda: next(done).result())
        except BaseException:
            self.client.cancel(futures)
            raise

    def close(self) -> None:
        self.client.close()


@contextmanager
def runner(settings: Settings, tasks: int, size: int) -> Iterator[Runner]:
    """Where the map step of ``tasks`` inputs of ``size`` bytes runs (see the module docstring)."""
    if settings.send_documents and not settings.scheduler:
        raise UsageError("--send-documents sends the documents to a cluster's workers: it needs --scheduler")
    if settings.scheduler:
        cluster = Cluster(settings.scheduler, settings.timeout)
        try:
            yield cluster
        finally:
            cluster.close()
        return
    jobs = settings.jobs if settings.jobs is not None else (cores() if size >= POOL_MIN_BYTES else 1)
    jobs = min(jobs, tasks)
    if jobs <= 1:
        one_blas_thread()
        yield InProcess()
        return
    pool = Pool(jobs)
    try:
        yield pool
    finally:
        pool.close()

