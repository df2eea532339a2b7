"""Bytes to text for the text-based readers (plain text, Markdown, LaTeX, BibTeX, CSL).

Every reader that reads text decodes it the same way: UTF-8 with or without a byte-order mark, UTF-16
with one, else Windows-1252 (nothing is refused for its encoding alone); a file with zero bytes near its
start is binary and refused. ``utf16_without_bom`` tells UTF-16 text saved without a mark from a binary
file, for the format detection in ``verifier.readers``.
"""

from __future__ import annotations

from verifier.errors import InputError


def decode(data: bytes, path: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"not valid UTF-16 text ({exc.reason})") from exc
    if b"\x00" in data[:4096]:
        raise InputError(path, "this looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when ``data`` is UTF-16 text without a byte-order mark, else ``None``.

    Such text (saved by some Windows tools) has a zero byte in every other position wherever it is
    Latin script; the zeros on one side only, and a clean decode, tell it from a binary file.
    """
    sample = data[:4096]
    if len(sample) < 4 or data.startswith((b"\xff\xfe", b"\xfe\xff")) or len(data) % 2:
        return None
    half = len(sample) // 2
    zeros_even, zeros_odd = sample[0::2].count(0), sample[1::2].count(0)
    if zeros_odd >= 0.3 * half and zeros_even <= 0.02 * half:
        codec = "utf-16-le"
    elif zeros_even >= 0.3 * half and zeros_odd <= 0.02 * half:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    head = text[:2048]
    printable = sum(1 for ch in head if ch.isprintable() or ch in "\n\r\t")
    return codec if "\x00" not in text and printable >= 0.95 * len(head) else None
