"""httpx's API on aiohttp's connection pool (``httpx-aiohttp``), as ``client.make_client`` builds it.

A module of its own so that aiohttp is imported only when a request is made: a
run whose every link is in the cache never loads it.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport, HttpxAiohttpClient


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
