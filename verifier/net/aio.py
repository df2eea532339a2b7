"""httpx's API on aiohttp's connection pool (``httpx-aiohttp``), as ``client.make_client`` builds it.

A module of its own so that aiohttp is imported only when a request is made: a
run whose every link is in the cache never loads it.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

import httpx

from verifier.net.client import tls_context


def _import_aiohttp() -> None:
    """aiohttp, imported without reading the certificate store twice.

    aiohttp builds two default TLS contexts when it is imported, reading the system's certificate store twice
    (about 40 ms), for sessions that bring no context of their own. We open none such: every client of ours
    passes ``client.tls_context()``. So the import builds them without reading the store, and the verifying
    default is then ours (read once): no context in this process is left without its certificates. (Only
    while this is the process's one thread: ``ssl``'s functions are swapped during the import.)
    """
    import threading

    if threading.active_count() > 1:
        import aiohttp.connector

        aiohttp.connector._SSL_CONTEXT_VERIFIED = tls_context()
        return
    create = ssl.create_default_context
    ssl.create_default_context = lambda *args, **kwargs: ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ssl.SSLContext.set_default_verify_paths = lambda self: None  # type: ignore[method-assign]
    try:
        import aiohttp.connector
    finally:
        ssl.create_default_context = create
        del ssl.SSLContext.set_default_verify_paths
    aiohttp.connector._SSL_CONTEXT_VERIFIED = tls_context()


_import_aiohttp()

import aiohttp  # noqa: E402
import yarl  # noqa: E402
from httpx_aiohttp import AiohttpTransport, HttpxAiohttpClient  # noqa: E402

_CHUNK = 64 * 1024


class AiohttpTransportWithoutCookies(AiohttpTransport):
    """httpx-aiohttp's transport with aiohttp's own cookie jar switched off.

    (aiohttp keeps cookies per session by default; httpx's jar above is empty,
    but the session under it would still replay them.)
    """

    def get_client(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self.limits.max_connections or 0,
            keepalive_timeout=self.limits.keepalive_expiry,
            ssl=self.ssl_context,
        )
        return aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())


class AiohttpClient(HttpxAiohttpClient):
    """An httpx.AsyncClient whose transports (direct and per proxy) are ``AiohttpTransportWithoutCookies``.

    httpx builds one transport per proxy from HTTP(S)_PROXY / NO_PROXY (``trust_env``),
    so proxies keep working exactly as with httpx's own transport.
    """

    def _init_transport(self, *args: Any, transport: httpx.AsyncBaseTransport | None = None,
                        **kwargs: Any) -> httpx.AsyncBaseTransport:
        return transport or AiohttpTransportWithoutCookies(**_transport_options(kwargs))

    def _init_proxy_transport(self, proxy: httpx.Proxy, *args: Any, **kwargs: Any) -> httpx.AsyncBaseTransport:
        return AiohttpTransportWithoutCookies(proxy=proxy, **_transport_options(kwargs))


def _transport_options(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: kwargs[k] for k in ("verify", "cert", "trust_env", "limits") if k in kwargs}


class LeanResponse:
    """An aiohttp response with the few members of ``httpx.Response`` the link checker uses
    (``status_code``, ``headers``, ``aiter_bytes``, ``aclose``), without building httpx's objects."""

    __slots__ = ("_response", "headers", "status_code")

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response
        self.status_code = response.status
        self.headers: Mapping[str, str] = response.headers  # case-insensitive, like httpx.Headers

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        async for chunk in self._response.content.iter_chunked(_CHUNK):
            yield chunk

    async def aclose(self) -> None:
        self._response.release()


def lean_sender(transport: httpx.AsyncBaseTransport,
                headers: Mapping[str, str]) -> Callable[[str, httpx.URL], Awaitable[LeanResponse]] | None:
    """A direct path from the checker to ``transport``'s aiohttp session, or None when ``transport`` is not
    our direct (proxy-less) aiohttp transport: then httpx's own path is taken (``links.dispatcher``).

    It skips httpx's Request and Response objects, which cost about 80 µs per request on the hot path.
    The session, its pool and its TLS context are the transport's own, so nothing else changes.
    """
    if not isinstance(transport, AiohttpTransportWithoutCookies) or transport.proxy is not None:
        return None
    # aiohttp decodes the body itself here: offer only what it can decode.
    sent = {k: v for k, v in headers.items() if k.lower() != "accept-encoding"}
    sent["Accept-Encoding"] = "gzip, deflate"
    timeout = aiohttp.ClientTimeout(total=None)  # the checker bounds each request itself (client.Deadlines)

    async def send(method: str, url: httpx.URL) -> LeanResponse:
        session = transport.client
        if not isinstance(session, aiohttp.ClientSession):
            session = transport.client = transport.get_client()
        response = await session.request(method, _target(url), headers=sent, allow_redirects=False, timeout=timeout)
        return LeanResponse(response)

    return send


def _target(url: httpx.URL) -> yarl.URL | str:
    """``url`` as aiohttp is to request it: built from httpx's parts, already normalised and percent-encoded, so
    that the request line is what httpx's own transport would send (aiohttp would otherwise parse the text and
    re-encode it, about 6 µs a request); as text for an IPv6 host, user info, a fragment or an empty query (and
    should httpx's internals not be as expected)."""
    ref = getattr(url, "_uri_reference", None)
    if not _BUILD or ref is None or ":" in ref.host or ref.userinfo or ref.fragment is not None or ref.query == "":
        return str(url)
    return yarl.URL.build(scheme=ref.scheme, host=ref.host, port=ref.port, path=ref.path,
                          query_string=ref.query or "", encoded=True)


def _builds_the_same() -> bool:
    """Whether ``_target`` gives the URL's text, the very path and query httpx's own transport would send
    (checked once, on URLs of each shape). (aiohttp, given the text, would re-encode it: ``%2F`` in a query
    went out as ``/``.)"""
    try:
        urls = (httpx.URL("http://a.example:8080/x/%C3%A9?q=1&r=%2F"), httpx.URL("https://127.0.0.1/"),
                httpx.URL("https://h.example/"))
        built = [(u, _target(u)) for u in urls]
        return all(isinstance(t, yarl.URL) and str(t) == str(u) and t.raw_path_qs.encode() == u.raw_path
                   for u, t in built)
    except Exception:  # httpx or yarl reorganised: the URL's text, always
        return False


_BUILD = True
_BUILD = _builds_the_same()
