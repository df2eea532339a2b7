"""The network: link checks, archive look-ups, registry look-ups, and their cache.

The only package that imports httpx:

    guard.py        the SSRF guard: which URLs may be requested at all
    client.py       the one place a client is built, and the Limiter (the one place concurrency is bounded)
    wire.py         our HTTP/1.1 client: the link checker's requests (loaded only when a request is made)
    aio.py          the aiohttp transport under httpx's API, for the other requests and proxies (loaded on the first)
    links.py        one URL: HEAD then GET, redirects hop by hop, retries, the verdict
    page.py         a page's title and the signs of an error page (soft 404s)
    archives.py     the Wayback Machine (availability, CDX, /web/ redirect) and Memento TimeTravel
    savepagenow.py  ``verifier archive``: Save Page Now jobs
    registries.py   Crossref and OpenAlex
    cache.py        the SQLite result cache
    health.py       whether the network itself works: the evidence every request of a run gives
    texts.py        the text of quoted pages and of their captures (the quotation check, L006's capture titles)
    stage.py        ``run``: the one network stage the pipeline calls (links, archives, registries, SPN at once)
    checkers.py     helper processes ``verifier check`` forks at start-up to check the links on other cores

This module loads ``stage`` (and with it httpx and ``wire``) only when ``run`` or ``check_links`` is first used, so
``--offline`` runs and the command line's start-up never pay for the HTTP stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from verifier.net.stage import LinkRun, NetworkRun, Progress, check_links, run

__all__ = ["LinkRun", "NetworkRun", "Progress", "check_links", "run"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from verifier.net import stage

        return getattr(stage, name)
    raise AttributeError(f"module 'verifier.net' has no attribute '{name}'")
