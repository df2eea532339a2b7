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


def test_behind_a_proxy_names_are_left_to_the_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    async def lookup(host: str, port: int) -> list[str]:
        raise AssertionError("must not resolve names the proxy resolves")

    monkeypatch.setattr(guard, "_lookup", lookup)
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert _refuse("http://intranet.example/wiki") is None
    assert _refuse("http://127.0.0.1/") is not None  # literal addresses are still refused
