"""Counting a fake server's requests in flight the way a client sees them.

A request stops being in flight when its answer starts, not when its handler
returns: the client reads the answer and may send its next request at once,
while the handler thread is still unwinding. Counting until the handler's
``finally`` let a test see three requests "at once" from a client that never had
more than two open (the per-host limit tests failed about one run in four).
"""

from __future__ import annotations

from collections.abc import Callable
from http.server import BaseHTTPRequestHandler


class LeavesOnAnswer(BaseHTTPRequestHandler):
    """A handler whose request leaves the count when its status line is sent.

    The handler sets ``self.leave`` to what undoes its count when it counts a
    request in, and calls ``self.left()`` in its ``finally`` for the answers that
    never reach ``send_response`` (a dropped connection, a malformed reply).
    ``leave`` takes the server's lock, and some answers are sent while the
    handler holds it, so that lock must be re-entrant (``threading.RLock``).
    """

    leave: Callable[[], None] | None = None

    def left(self) -> None:
        leave, self.leave = self.leave, None
        if leave is not None:
            leave()

    def send_response(self, code: int, message: str | None = None) -> None:
        self.left()
        super().send_response(code, message)
