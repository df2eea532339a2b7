"""``links.parse_url``, the checker's shortcut past httpx's URL parser, held to that parser: for any string,
the same ``httpx.URL`` (the same parts, the same text, equal) or the same refusal."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.net import links
from verifier.net.links import parse_url

_CHARS = "abcXYZ019-._~!$&'()*+,;=:@/?#%[]|^\\`{}\"<> \t\né.Aa"


def _same(raw: str) -> None:
    try:
        expected = httpx.URL(raw)
    except (httpx.InvalidURL, ValueError) as exc:
        with pytest.raises(type(exc)):
            parse_url(raw)
        return
    got = parse_url(raw)
    assert type(got) is httpx.URL
    assert got._uri_reference == expected._uri_reference
    assert str(got) == str(expected) and got == expected
    assert (got.scheme, got.host, got.port, got.path, got.query, got.raw_path) == \
        (expected.scheme, expected.host, expected.port, expected.path, expected.query, expected.raw_path)


def test_the_shortcut_is_on_with_this_httpx() -> None:
    assert links._FAST_URLS


@pytest.mark.parametrize("raw", [
    "http://127.0.0.5:43049/page/9751000004", "https://www.example.org/a/b?c=d&e=%2F", "https://a.org",
    "http://a.org:80/x", "https://a.org:443/", "https://a.org:8443/", "http://x.org/./a", "http://x.org/a/../b",
    "http://300.1.1.1/", "http://1.2.3/", "http://01.2.3.4/", "https://a.org/%7euser", "http://a.org/%zz",
    "http://a.org/a%", "HTTP://A.ORG/", "https://a.org/p?", "https://a.org/p?q#f", "http://user@a.org/",
    "http://[::1]:8080/", "https://bücher.de/", "https://a.org/a b", "ftp://a.org/", "https://a.org./",
    "https://a.org:0/", "https://a.org:99999/", "https://a..org/", "https://-a.org/",
])
def test_known_shapes(raw: str) -> None:
    _same(raw)


_host = st.one_of(
    st.from_regex(r"[a-z0-9][a-z0-9.-]{0,20}[a-z0-9]", fullmatch=True),
    st.from_regex(r"[0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,4}", fullmatch=True),
    st.text(alphabet=_CHARS, max_size=8),
)
_url = st.builds(
    lambda scheme, host, port, path, query: f"{scheme}://{host}{port}{path}{query}",
    st.sampled_from(["http", "https", "HTTP", "ftp"]), _host,
    st.one_of(st.just(""), st.integers(0, 100000).map(lambda p: f":{p}"), st.just(":080"), st.just(":")),
    st.text(alphabet=_CHARS, max_size=30).map(lambda p: "/" + p),
    st.one_of(st.just(""), st.text(alphabet=_CHARS, max_size=20).map(lambda q: "?" + q)),
)


@settings(max_examples=600, deadline=None)
@given(_url)
def test_built_urls(raw: str) -> None:
    _same(raw)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_CHARS, max_size=40))
def test_any_text(raw: str) -> None:
    _same(raw)
