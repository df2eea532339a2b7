"""The SSRF guard: which URLs may be requested at all."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from verifier.net import guard
from verifier.net.guard import Guard, is_forbidden_ip


@pytest.mark.parametrize(
    ("address", "forbidden"),
    [
        pytest.param("127.0.0.1", True, id="loopback"),
        pytest.param("10.1.2.3", True, id="10/8"),
        pytest.param("172.16.0.1", True, id="172.16/12"),
        pytest.param("192.168.1.1", True, id="192.168/16"),
        pytest.param("169.254.169.254", True, id="cloud-metadata"),
        pytest.param("0.0.0.0", True, id="unspecified"),
        pytest.param("::1", True, id="ipv6-loopback"),
        pytest.param("fc00::1", True, id="ipv6-unique-local"),
        pytest.param("fe80::1", True, id="ipv6-link-local"),
        pytest.param("::ffff:127.0.0.1", True, id="ipv4-mapped-loopback"),
        pytest.param("93.184.216.34", False, id="public-v4"),
        pytest.param("2606:2800:220:1:248:1893:25c8:1946", False, id="public-v6"),
    ],
)
def test_forbidden_addresses(address: str, forbidden: bool) -> None:
    assert is_forbidden_ip(address) is forbidden


def _refuse(url: str, allow_private: bool = False) -> str | None:
    return asyncio.run(Guard(allow_private).refuse(httpx.URL(url)))


@pytest.mark.parametrize(
    "url",
    ["http://localhost/", "http://LOCALHOST.:8080/admin", "http://app.localhost/", "http://127.0.0.1/",
     "http://[::1]:8000/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.8/"],
)
def test_private_urls_are_refused_unless_allowed(url: str) -> None:
    assert (_refuse(url) or "").startswith("private address")
    assert _refuse(url, allow_private=True) is None


@pytest.mark.parametrize("url", ["ftp://example.org/file", "file:///etc/passwd", "gopher://example.org/"])
def test_only_http_and_https(url: str) -> None:
    assert "is not http or https" in (_refuse(url, allow_private=True) or "")


def test_a_name_that_resolves_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    async def lookup(host: str, port: int) -> list[str]:
        return {"intranet.example": ["10.0.0.5"], "public.example": ["93.184.216.34"]}[host]

    monkeypatch.setattr(guard, "_lookup", lookup)
    monkeypatch.delenv("HTTP_PROXY", raising=False)
    monkeypatch.delenv("http_proxy", raising=False)
    assert "resolves to 10.0.0.5" in (_refuse("http://intranet.example/wiki") or "")
    assert _refuse("http://public.example/") is None


SPELLINGS = [
    "http://2852039166/", "http://167772165/", "http://0x7f000001/", "http://0x7f.0.0.1/", "http://127.1/",
    "http://017700000001/", "http://0/", "http://0x0/", "http://127.0.0.1./",
    "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/", "http://[2002:7f00:1::]/",
    "http://[64:ff9b::a9fe:a9fe]/", "http://%31%32%37.0.0.1/", "http://10.1/",
    "http://192.168.257/", "http://0xa9.0xfe.0xa9.0xfe/", "http://LocalHost./",
]


@pytest.fixture(params=[False, True], ids=["direct", "through-a-proxy"])
def proxy(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY",
                 "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    if request.param:
        monkeypatch.setenv("HTTP_PROXY", "http://proxy.example.net:3128")
    return bool(request.param)


@pytest.mark.parametrize("url", SPELLINGS)
def test_every_spelling_of_a_private_address_is_refused(url: str, proxy: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    async def lookup(host: str, port: int) -> list[str]:
        raise AssertionError(f"a numeric host is not a name to resolve: {host}")

    monkeypatch.setattr(guard, "_lookup", lookup)
    assert (_refuse(url) or "").startswith("private address"), url


def test_behind_a_proxy_a_name_that_resolves_here_to_a_private_address_is_refused(
        proxy: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    async def lookup(host: str, port: int) -> list[str]:
        return {"intranet.example.net": ["10.0.0.5"], "metadata.example.net": ["::ffff:169.254.169.254"]}.get(host, [])

    monkeypatch.setattr(guard, "_lookup", lookup)
    assert "resolves to 10.0.0.5" in (_refuse("http://intranet.example.net/wiki") or "")
    assert "resolves to ::ffff:169.254.169.254" in (_refuse("http://metadata.example.net/") or "")
    assert _refuse("http://only-the-proxy-knows.example.net/") is None  # the proxy may resolve what we cannot


def test_a_redirect_to_a_numeric_spelling_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every hop passes the guard: a public page redirecting to 0x7f000001 is not followed there."""
    from verifier.model import LinkStatus
    from verifier.net.client import Limiter
    from verifier.net.links import Checker

    requested: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://0x7f000001:8080/admin"})

    async def lookup(host: str, port: int) -> list[str]:
        return ["93.184.215.14"]

    monkeypatch.setattr(guard, "_lookup", lookup)

    async def run() -> LinkStatus:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
            checker = Checker(client, Limiter(4, 2), Guard(False), timeout=2.0)
            verdict = await checker.check("http://public.example.net/page")
            assert "private address" in (verdict.error or "")
            return verdict.status

    assert asyncio.run(run()) is LinkStatus.SKIPPED
    assert all("public.example.net" in u for u in requested)


def test_guard_decisions_are_cached_per_scheme_host_and_port(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    async def lookup(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["93.184.215.14"]

    monkeypatch.setattr(guard, "_lookup", lookup)

    async def run() -> None:
        g = Guard(False)
        for path in ("a", "b", "c"):
            assert await g.refuse(httpx.URL(f"http://site.example.net/{path}")) is None
        assert await g.refuse(httpx.URL("http://site.example.net:8080/")) is None

    asyncio.run(run())
    assert calls == ["site.example.net"]  # resolved once, whatever the port
