"""The aiohttp transport's lean path (``verifier/net/aio.py``): the request it sends is the one httpx's own
transport sends for the same URL."""

from __future__ import annotations

import httpx
import pytest

from tests.servers.origin import Origin
from verifier import net
from verifier.config import Settings
from verifier.net import aio
from verifier.net.links import parse_url


def test_the_target_is_built_from_httpx_parts_with_this_httpx_and_yarl() -> None:
    assert aio._BUILD


@pytest.mark.parametrize("raw", [
    "http://127.0.0.1:8080/page/1", "https://a.example/x/%C3%A9?q=1&r=%2F&s=a%20b", "https://h.example",
    "https://bücher.example/ä?ö", "http://[::1]:8080/x", "https://h.example/p?", "https://u@h.example/",
    "https://h.example/p#frag", "https://h.example:443/~user/%7e",
])
def test_the_target_says_what_the_url_says(raw: str) -> None:
    url = parse_url(raw)
    target = aio._target(url)
    assert str(target) == str(url)


@pytest.mark.parametrize("transport", ["wire", "aiohttp", "httpx"])
def test_the_request_line_is_the_url_as_cited(origin: Origin, transport: str) -> None:
    path = "/ok?next=%2Fhome&q=a%20b&r=~x"
    s = Settings(allow_private=True, no_cache=True, no_archive=True, timeout=5.0)
    result = net.check_links([(origin.url(path), ("c1",))], s, transport=transport)  # type: ignore[arg-type]
    assert result.results[0].status.value == "alive"
    assert {p for _m, p, _ua in origin.log if p.startswith("/ok?")} == {path}


def test_an_unusual_url_still_goes_as_text() -> None:
    assert isinstance(aio._target(httpx.URL("http://[::1]:8080/x")), str)


def test_importing_aiohttp_reads_the_certificate_store_once_and_leaves_ssl_as_it_was() -> None:
    """aiohttp's import (``aio._import_aiohttp``) builds its default TLS contexts without reading the store; its
    verifying default is then the process's own context (certificates loaded), and ``ssl`` is left unpatched."""
    import subprocess
    import sys

    code = """
import ssl, sys
create, paths = ssl.create_default_context, ssl.SSLContext.set_default_verify_paths
from verifier.net import aio
import aiohttp.connector
from verifier.net.client import tls_context
assert ssl.create_default_context is create and ssl.SSLContext.set_default_verify_paths is paths
assert 'set_default_verify_paths' not in vars(ssl.SSLContext)
assert aiohttp.connector._SSL_CONTEXT_VERIFIED is tls_context()
assert tls_context().cert_store_stats()['x509_ca'] > 0 and tls_context().verify_mode == ssl.CERT_REQUIRED
print('ok')
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "ok", proc.stderr
