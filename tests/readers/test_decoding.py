"""Bytes to text for the text-based readers."""

import pytest

from verifier.errors import InputError
from verifier.readers.decoding import decode, utf16_without_bom


def test_decode_handles_bom_utf16_and_cp1252():
    assert decode("\ufeffcafé".encode(), "x") == "café"
    assert decode("café".encode("utf-16"), "x") == "café"
    assert decode("caf\xe9".encode("cp1252"), "x") == "café"
    with pytest.raises(InputError):
        decode(b"\x00\x01\x02binary", "x")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_mark_is_told_from_binary(codec: str):
    assert utf16_without_bom("A claim, and its note: Smith 2001.\n".encode(codec)) == codec
    assert utf16_without_bom(bytes(range(256)) * 20) is None
    assert utf16_without_bom("with a mark".encode("utf-16")) is None  # decode() reads those itself
