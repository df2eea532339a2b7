"""Whether the network itself works: the evidence one run gathers from every request it makes.

A link is only blamed when the network is known to work. Every request of the
network stage (links, archives, registries) reports here what it got: an HTTP
answer of any status proves that the path to some host works; a network-level
failure (``NETWORK_LEVEL``: the resolver failing for now, no route, a refused
or reset connection, a timeout, a TLS handshake) proves nothing about the link.

The judgment (see docs/network.md):

- the network is **down** when no request of the run got any HTTP answer, and
  either the resolver failed for now / found no route (``dns``, ``unreachable``:
  failures of this machine's side), or at least two different hosts failed at
  the network level. A resolver's "no such name" (NXDOMAIN) then counts as a
  network-level failure too: a resolver that knows no name at all (a captive
  portal, a broken stub) is no witness against one link;
- one host alone that refuses or times out, with nothing else asked, proves
  nothing about the network: its link is judged on its own (refused: ``dead``,
  timeout: ``error``), and not cached;
- otherwise the network works, and each failure is judged per link: NXDOMAIN
  under a real TLD is ``dead`` (other names resolve, so the resolver is
  answering), a refused connection is ``dead``, the rest are ``error``. Only
  NXDOMAIN of these is cached, and only when the network worked.
"""

from __future__ import annotations

NETWORK_LEVEL = frozenset({"dns", "unreachable", "refused", "reset", "timeout", "tls"})
"""Failure classes (``links.classify``) that say something about the path to a host, not about the page."""

NO_NETWORK = "no network"
"""How the ``error`` of a link that was not checked because the network is down starts (rule L008 keys on it)."""


class Health:
    """Counts HTTP answers and remembers the network-level failures (the first message of each class)."""

    __slots__ = ("answered", "failures", "hosts")

    def __init__(self) -> None:
        self.answered = 0
        self.failures: dict[str, str] = {}
        self.hosts: set[str] = set()

    def saw(self, host: str, status: int | None, failure: str | None, error: str | None) -> None:
        if status is not None:
            self.answered += 1
        elif failure in NETWORK_LEVEL or failure == "unknown-host":
            self.failures.setdefault(failure, error or failure)
            if len(self.hosts) < 2:
                self.hosts.add(host)

    def merge(self, other: Health) -> None:
        """Add the evidence another process's requests gathered (a cluster worker's host partition)."""
        self.answered += other.answered
        for kind, message in other.failures.items():
            self.failures.setdefault(kind, message)
        for host in other.hosts:
            if len(self.hosts) < 2:
                self.hosts.add(host)

    @property
    def down(self) -> bool:
        """True when nothing answered and the failures point at this machine's network (see the module)."""
        if self.answered or not self.failures:
            return False
        return "dns" in self.failures or "unreachable" in self.failures or len(self.hosts) >= 2

    def hopeless(self, failure: str | None) -> bool:
        """True when retrying a failure cannot help: the resolver or the route failed and nothing has answered
        yet (a machine without network would otherwise wait through every backoff of every URL)."""
        return failure in ("dns", "unreachable") and not self.answered

    def reason(self) -> str:
        """The first failure seen, preferring the resolver's: what the user is told."""
        for kind in ("dns", "unreachable", "unknown-host", "timeout", "refused", "reset", "tls"):
            if kind in self.failures:
                return self.failures[kind]
        return next(iter(self.failures.values()), "no answer")

    @staticmethod
    def no_network(reason: str) -> str:
        return f"{NO_NETWORK}: not checked ({reason})"
