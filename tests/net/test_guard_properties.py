"""Property tests of the guard's host normalisation (Hypothesis): it reads numbers as inet_aton does."""

from __future__ import annotations

import ipaddress
import socket

from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.net.guard import is_forbidden_ip, normalise_host, parse_ipv4

FAST = settings(max_examples=200, deadline=None, derandomize=True, database=None)  # the same examples in CI

_part = st.one_of(
    st.integers(0, 2**32 - 1).map(str),
    st.integers(0, 2**32 - 1).map(lambda n: f"0x{n:x}"),
    st.integers(0, 2**32 - 1).map(lambda n: f"0{n:o}"),
    st.integers(0, 255).map(str),
    st.text("0123456789abcdefx", min_size=1, max_size=6),
)
_hosts = st.lists(_part, min_size=1, max_size=5).map(".".join)


@FAST
@given(_hosts)
def test_numeric_hosts_read_as_inet_aton_reads_them(host: str) -> None:
    try:
        expected: str | None = socket.inet_ntoa(socket.inet_aton(host))
    except OSError:
        expected = None
    ip = parse_ipv4(host)
    assert (str(ip) if ip is not None else None) == expected


@FAST
@given(st.integers(0, 2**32 - 1))
def test_every_spelling_of_an_address_is_the_same_address(n: int) -> None:
    address = ipaddress.IPv4Address(n)
    quad = str(address)
    spellings = [str(n), f"0x{n:x}", f"0{n:o}", f"{quad}.", ".".join(f"0x{b:02x}" for b in address.packed),
                 ".".join(f"0{b:o}" for b in address.packed), f"{n >> 24}.{n & 0xFFFFFF}",
                 f"{n >> 24}.{(n >> 16) & 0xFF}.{n & 0xFFFF}", f"[::ffff:{quad}]"]
    forbidden = is_forbidden_ip(quad)
    for spelling in spellings:
        if not spelling.startswith("["):
            assert normalise_host(spelling) == quad, spelling
        assert is_forbidden_ip(spelling) is forbidden, spelling


@FAST
@given(st.text(max_size=40))
def test_normalising_never_raises_and_is_idempotent(host: str) -> None:
    once = normalise_host(host)
    assert normalise_host(once) == once or "%" in host
    is_forbidden_ip(host)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.text(st.sampled_from("0x7f.[] %1:fF"), max_size=16))
def test_normalising_odd_hosts_never_raises_and_is_idempotent(host: str) -> None:
    once = normalise_host(host)
    assert normalise_host(once) == once or "%" in host
