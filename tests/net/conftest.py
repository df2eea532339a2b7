"""Loopback servers for the network tests (session-scoped: started once, reset per test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers.origin import Origin


@pytest.fixture(scope="session")
def _origin_server() -> Iterator[Origin]:
    server = Origin()
    yield server
    server.stop()


@pytest.fixture
def origin(_origin_server: Origin) -> Origin:
    _origin_server.reset()
    return _origin_server


@pytest.fixture
def unused_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
