"""verifier.net.texts: the raw capture form (the end-to-end reading is in tests/quotes/test_online.py)."""

from __future__ import annotations

from verifier.net.texts import raw_capture


def test_a_wayback_capture_is_read_in_its_raw_id_form() -> None:
    assert raw_capture("https://web.archive.org/web/20190305120000/https://example.org/a") == (
        "https://web.archive.org/web/20190305120000id_/https://example.org/a")
    assert raw_capture("https://web.archive.org/web/20190305120000im_/https://example.org/a").count("id_/") == 1
    assert raw_capture("https://archive.ph/abcde") == "https://archive.ph/abcde"
