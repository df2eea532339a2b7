"""The SSRF guard: which URLs may be fetched at all.

A document is untrusted input. A citation pointing at ``http://169.254.169.254/``
(cloud metadata), ``http://localhost:8080/admin`` or a printer on the office
network must not make a CI runner fetch it, so by default verifier refuses
loopback, private, link-local, unspecified and other non-global addresses, and
checks again at every redirect hop. ``--allow-private`` lifts the guard (for an
intranet, or the tests' loopback servers). The threat model is in
docs/security.md.

Every host is **normalised** before anything else is decided, proxy or not:

- trailing dots, case and percent-escapes go (``LOCALHOST.``, ``%31%32%37.0.0.1``);
- a host that reads as a number under the rules of ``inet_aton`` is that
  IPv4 address: decimal ``2852039166``, hex ``0x7f000001``, octal
  ``017700000001``, mixed ``0x7f.0.0.1``, short ``127.1`` and ``0`` — the
  spellings a resolver, a proxy or a browser turn into an address;
- IPv6 addresses that carry an IPv4 one (mapped ``::ffff:a.b.c.d``, 6to4,
  Teredo, NAT64) are judged by the IPv4 address they carry.

Then literal addresses and ``localhost`` names are refused. A name is resolved
here and refused when any of its addresses is forbidden — also when a proxy
carries the request: the proxy would resolve the name the same way and reach
the private address for us. When the name does not resolve here, a proxy may
still know it (a split-horizon DNS): the request goes to the proxy. A name
that resolves to a public address now and a private one a moment later (DNS
rebinding) is caught for the link checker's requests by its HTTP client, which
checks the addresses it connects to (``wire.Wire.allow_private``); for the
others the guard narrows the door, the network's own egress rules close it.

Decisions are cached per (scheme, host, port) for the run, and the proxy
settings are read from the environment once per guard, not per URL.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping

import httpx

SCHEMES = ("http", "https")

PRIVATE = "private address"
"""The start of the ``error`` of a URL the guard refused (rule L007 keys on it)."""

_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """``host`` as an IPv4 address under ``inet_aton``'s rules, or None when it is not one.

    One to four dot-separated parts, each decimal, octal (a leading 0) or hex
    (0x); the last part fills the bytes the others leave (``127.1`` is
    127.0.0.1, ``2852039166`` is 169.254.169.254). A trailing dot is allowed.
    """
    if not host or len(host) > 64:
        return None
    parts = host.removesuffix(".").split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values = []
    for part in parts:
        value = _number(part)
        if value is None:
            return None
        values.append(value)
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (4 - len(head)):
        return None
    number = last
    for i, v in enumerate(head):
        number += v << (8 * (3 - i))
    return ipaddress.IPv4Address(number)


def _number(part: str) -> int | None:
    if not part:
        return None
    lower = part.lower()
    try:
        if lower.startswith("0x"):
            return int(lower[2:], 16) if lower[2:] and all(c in "0123456789abcdef" for c in lower[2:]) else None
        if lower.startswith("0") and len(lower) > 1:
            return int(lower[1:], 8) if all(c in "01234567" for c in lower[1:]) else None
        return int(lower) if lower.isascii() and lower.isdigit() else None
    except ValueError:
        return None


def normalise_host(host: str) -> str:
    """The host as a resolver would take it: lower case, unescaped, no trailing dot, numeric spellings as the
    dotted quad they mean, IPv6 without brackets or zone."""
    host = urllib.parse.unquote(host).lower()
    while True:
        trimmed = host.strip().strip("[]").strip().rstrip(".")
        if trimmed == host:
            break
        host = trimmed
    if ":" in host:
        return host.split("%", 1)[0]
    ip = parse_ipv4(host)
    return str(ip) if ip is not None else host


def _carried_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_forbidden_ip(address: str) -> bool:
    """True for any address that is not a plain global unicast one (in any spelling ``normalise_host`` reads)."""
    try:
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(normalise_host(address))
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        carried = _carried_ipv4(ip)
        if carried is not None:
            if is_forbidden_ip(str(carried)):
                return True
            if ip.ipv4_mapped is not None:
                return False
    return not ip.is_global or ip.is_multicast or ip.is_loopback or ip.is_link_local or ip.is_private


def is_local_name(host: str) -> bool:
    host = normalise_host(host)
    return host in _LOCAL_NAMES or host.endswith(".localhost")


class Proxies:
    """HTTP(S)_PROXY / NO_PROXY as read once from the environment; ``uses(url)`` per host, cached."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.proxies = urllib.request.getproxies_environment() if environ is None else {
            k.lower().removesuffix("_proxy"): v for k, v in environ.items() if k.lower().endswith("_proxy") and v}
        self._bypass: dict[str, bool] = {}

    def uses(self, scheme: str, host: str) -> bool:
        if scheme not in self.proxies and "all" not in self.proxies:
            return False
        bypass = self._bypass.get(host)
        if bypass is None:
            bypass = self._bypass[host] = bool(urllib.request.proxy_bypass_environment(host))  # type: ignore[attr-defined]
        return not bypass


def uses_proxy(url: httpx.URL) -> bool:
    """Whether the environment routes this URL through a proxy (HTTP(S)_PROXY minus NO_PROXY)."""
    return Proxies().uses(url.scheme, url.host)


class Guard:
    """Decides, per URL, whether it may be requested; caches its decisions and name resolutions for the run."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self.proxies = Proxies()
        self._resolved: dict[str, asyncio.Future[list[str]]] = {}
        self._decided: dict[tuple[str, str, int | None], str | None] = {}

    async def refuse(self, url: httpx.URL) -> str | None:
        """Why ``url`` must not be requested, or None when it may be."""
        key = (url.scheme, url.host, url.port)
        if key in self._decided:
            return self._decided[key]
        decision = await self._decide(url)
        self._decided[key] = decision
        return decision

    async def _decide(self, url: httpx.URL) -> str | None:
        if url.scheme not in SCHEMES:
            return f"not fetched: '{url.scheme}' is not http or https"
        host = normalise_host(url.host)
        if not host:
            return "not fetched: the URL has no host"
        if self.allow_private:
            return None
        shown = url.host if host == url.host.lower() else f"{url.host} = {host}"
        if is_local_name(host) or is_forbidden_ip(host):
            return f"{PRIVATE} ({shown}); not fetched (use --allow-private to check it)"
        if _is_ip(host):
            return None
        # With a proxy too: it would resolve the name as we do and reach the private address for us.
        addresses = await self._resolve(host, url.port or (443 if url.scheme == "https" else 80))
        bad = next((a for a in addresses if is_forbidden_ip(a)), None)
        if bad is not None:
            return f"{PRIVATE} ({host} resolves to {bad}); not fetched (use --allow-private to check it)"
        return None  # an unresolvable name is left to the request (an unknown host) or to the proxy

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
