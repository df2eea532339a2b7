"""The time budget of one document (``--document-timeout``): past it, a document is reported as partly read.

A hostile file can be small and still cost minutes (a structure the parsers walk again and again). Each
document gets ``Settings.document_timeout`` seconds to be read and its citations parsed; the other
documents are never held up by it.

Two mechanisms, in this order:

- **Cooperative**: the loops that can run long (the PDF reader's pages, the Word reader's blocks, the
  pipeline's notes) ask ``expired()`` and stop there, keeping what they have and saying where they
  stopped (P001). This keeps the part read.
- **Hard stop**: where nothing asks in time (a parser's own loop), ``DocumentTimeout`` is raised in the
  reading thread a little after the deadline (a POSIX interval timer; the main thread only). The
  document is then reported as not read past its beginning (P001), and the run goes on.

The clock lives here, in the shell: readers only ever ask ``expired()``, which is always false outside
``limit`` (a reader called directly, in a test or from Python, has no budget).
"""

from __future__ import annotations

import contextvars
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

HARD_STOP_GRACE = 0.5
"""The hard stop comes this fraction of the budget (at least a second) after the deadline, so that a
cooperative stop, which keeps the part read, gets its chance first."""


class DocumentTimeout(Exception):  # noqa: N818 (a signal, not an error of the user's)
    """Raised in the reading thread when a document is past its budget and nothing stopped it."""


@dataclass(frozen=True)
class _Budget:
    deadline: float
    seconds: float


_CURRENT: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("verifier_budget", default=None)


def expired() -> bool:
    """Whether the document being read is past its budget (always false outside ``limit``)."""
    budget = _CURRENT.get()
    return budget is not None and time.monotonic() >= budget.deadline


def seconds() -> float | None:
    """The budget of the document being read, for messages; ``None`` outside ``limit``."""
    budget = _CURRENT.get()
    return budget.seconds if budget is not None else None


@contextmanager
def limit(seconds: float | None, *, deadline: float | None = None) -> Iterator[float | None]:
    """Run the body under a budget of ``seconds`` (none when ``None`` or not positive); yields the deadline.

    ``deadline`` continues an earlier budget of the same document (reading, then parsing its notes).
    """
    if seconds is None or seconds <= 0:
        yield None
        return
    end = deadline if deadline is not None else time.monotonic() + seconds
    token = _CURRENT.set(_Budget(end, seconds))
    try:
        with _hard_stop(max(end - time.monotonic(), 0.0) + max(1.0, HARD_STOP_GRACE * seconds)):
            yield end
    finally:
        _CURRENT.reset(token)


def _raise(signum: int, frame: object) -> None:
    raise DocumentTimeout()


@contextmanager
def _hard_stop(after: float) -> Iterator[None]:
    """``DocumentTimeout`` in this thread ``after`` seconds from now, where the platform allows it."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, after)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if old_delay:
            signal.setitimer(signal.ITIMER_REAL, old_delay, old_interval)
