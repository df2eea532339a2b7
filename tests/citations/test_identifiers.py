"""DOIs and ISBNs: found as written (so F001/F002 can flag bad ones) and checked."""

from __future__ import annotations

import pytest

from verifier.citations.identifiers import find_doi, find_isbn, is_valid_doi, is_valid_isbn


@pytest.mark.parametrize(
    ("text", "doi"),
    [
        pytest.param("Cell 136 (2009): 1-10. doi: 10.1016/j.cell.2009.01.002.", "10.1016/j.cell.2009.01.002", id="label"),
        pytest.param("https://doi.org/10.1080/02634937.2011.554057", "10.1080/02634937.2011.554057", id="resolver"),
        pytest.param("see 10.1093/acprof:oso/9780199253456.001.0001, 12", "10.1093/acprof:oso/9780199253456.001.0001",
                     id="bare-with-colon"),
        pytest.param("(doi:10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0)",
                     "10.1002/(SICI)1097-4571(199806)49:8", id="sici-stops-at-angle"),
        pytest.param("DOI 10.123/abc", "10.123/abc", id="short-registrant-still-reported"),
        pytest.param("doi: 10.1234", "10.1234", id="no-suffix-still-reported"),
    ],
)
def test_find_doi(text: str, doi: str) -> None:
    assert find_doi(text) == doi


def test_no_doi_in_plain_citation() -> None:
    assert find_doi("Central Asian Survey 30, no. 1 (April 2011): 5–19") is None


@pytest.mark.parametrize(
    ("doi", "valid"),
    [
        pytest.param("10.1016/j.cell.2009.01.002", True, id="ok"),
        pytest.param("10.1000.10/abc", True, id="subdivided-registrant"),
        pytest.param("10.123/abc", False, id="registrant-too-short"),
        pytest.param("10.1234", False, id="no-suffix"),
        pytest.param("11.1234/abc", False, id="not-10"),
        pytest.param("10.1234/ab c", False, id="space"),
    ],
)
def test_is_valid_doi(doi: str, valid: bool) -> None:
    assert is_valid_doi(doi) is valid


@pytest.mark.parametrize(
    ("text", "isbn"),
    [
        pytest.param("New York: Routledge, 1998. ISBN 978-0-415-18598-3.", "978-0-415-18598-3", id="isbn13"),
        pytest.param("ISBN: 0-415-18598-7", "0-415-18598-7", id="isbn10"),
        pytest.param("ISBN-10 0 306 40615 2", "0 306 40615 2", id="spaces"),
        pytest.param("(Oxford, 2001), 978-0-19-924644-6", "978-0-19-924644-6", id="unlabelled-13"),
    ],
)
def test_find_isbn(text: str, isbn: str) -> None:
    assert find_isbn(text) == isbn


@pytest.mark.parametrize(
    ("isbn", "valid"),
    [
        pytest.param("978-0-306-40615-7", True, id="isbn13-ok"),
        pytest.param("978-0-306-40615-8", False, id="isbn13-bad-check"),
        pytest.param("0-306-40615-2", True, id="isbn10-ok"),
        pytest.param("0-8044-2957-X", True, id="isbn10-x"),
        pytest.param("0-306-40615-3", False, id="isbn10-bad-check"),
        pytest.param("0-306-4061", False, id="too-short"),
        pytest.param("123-0-306-40615-7", False, id="isbn13-bad-prefix"),
    ],
)
def test_is_valid_isbn(isbn: str, valid: bool) -> None:
    assert is_valid_isbn(isbn) is valid
