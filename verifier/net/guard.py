"""The SSRF guard: which URLs may be fetched at all.

A document is untrusted input. A citation pointing at ``http://169.254.169.254/``
(cloud metadata), ``http://localhost:8080/admin`` or a printer on the office
network must not make a CI runner fetch it, so by default verifier refuses
loopback, private, link-local, unspecified and other non-global addresses —
written literally, as ``localhost``, or as a host name that resolves there —
and checks again at every redirect hop. ``--allow-private`` lifts the guard
(for an intranet, or the tests' loopback servers).

When a proxy carries the request, the proxy resolves the name, not us: then
only literal addresses and ``localhost`` are refused. A name that resolves to a
public address now and a private one a moment later (DNS rebinding) is not
caught; the guard narrows the door, the network's own egress rules close it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import urllib.request
from collections.abc import Iterable

import httpx

SCHEMES = ("http", "https")

PRIVATE = "private address"
"""The start of the ``error`` of a URL the guard refused (rule L007 keys on it)."""

_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


def is_forbidden_ip(address: str) -> bool:
    """True for any address that is not a plain global unicast one."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast or ip.is_loopback or ip.is_link_local or ip.is_private


def uses_proxy(url: httpx.URL) -> bool:
    """Whether the environment routes this URL through a proxy (HTTP(S)_PROXY minus NO_PROXY)."""
    proxies = urllib.request.getproxies_environment()
    if url.scheme not in proxies and "all" not in proxies:
        return False
    return not urllib.request.proxy_bypass_environment(url.host)  # type: ignore[attr-defined]


class Guard:
    """Decides, per URL, whether it may be requested; caches name resolutions for the run."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self._resolved: dict[str, asyncio.Future[list[str]]] = {}

    async def refuse(self, url: httpx.URL) -> str | None:
        """Why ``url`` must not be requested, or None when it may be."""
        if url.scheme not in SCHEMES:
            return f"not fetched: '{url.scheme}' is not http or https"
        host = url.host.rstrip(".").lower()
        if not host:
            return "not fetched: the URL has no host"
        if self.allow_private:
            return None
        if host in _LOCAL_NAMES or host.endswith(".localhost"):
            return f"{PRIVATE} ({host}); not fetched (use --allow-private to check it)"
        if is_forbidden_ip(host):
            return f"{PRIVATE} ({host}); not fetched (use --allow-private to check it)"
        if _is_ip(host) or uses_proxy(url):
            return None
        addresses = await self._resolve(host, url.port or (443 if url.scheme == "https" else 80))
        bad = next((a for a in addresses if is_forbidden_ip(a)), None)
        if bad is not None:
            return f"{PRIVATE} ({host} resolves to {bad}); not fetched (use --allow-private to check it)"
        return None  # an unresolvable name is left to the request, which reports it as an unknown host

    async def _resolve(self, host: str, port: int) -> list[str]:
        pending = self._resolved.get(host)
        if pending is None:
            pending = asyncio.ensure_future(_lookup(host, port))
            self._resolved[host] = pending
        return await asyncio.shield(pending)


async def _lookup(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return _addresses(info[4][0] for info in infos)


def _addresses(items: Iterable[object]) -> list[str]:
    return [str(a) for a in items]


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True
