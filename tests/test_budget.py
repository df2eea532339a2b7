"""``verifier.budget``: the per-document time budget (``--document-timeout``). No test waits on the clock:
time is simulated, and the one hard stop tested interrupts an endless loop, however busy the machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier import budget, readers
from verifier.config import Settings
from verifier.pipeline import check

GOOD = "A claim.1\n\nNotes\n\n1. Anna Smith, “A Study of Rivers,” Journal of Water 3, no. 2 (2001): 1–9.\n"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(budget.time, "monotonic", fake)
    return fake


def test_no_budget_outside_a_limit() -> None:
    assert not budget.expired() and budget.seconds() is None
    with budget.limit(None) as deadline:
        assert deadline is None and not budget.expired()


def test_the_budget_expires_at_its_deadline_and_continues_for_the_same_document(clock: Clock) -> None:
    with budget.limit(5) as deadline:
        assert deadline == 1005.0 and budget.seconds() == 5 and not budget.expired()
        clock.now = 1005.0
        assert budget.expired()
    assert not budget.expired()
    clock.now = 1003.0
    with budget.limit(5, deadline=1005.0):  # parsing the notes continues the budget of reading
        assert not budget.expired()
        clock.now = 1006.0
        assert budget.expired()


def test_a_loop_that_never_asks_is_stopped() -> None:
    with pytest.raises(budget.DocumentTimeout), budget.limit(0.05):
        while True:
            pass


def test_a_document_whose_reader_never_ends_is_reported_and_the_others_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = readers.reader

    def reader(fmt: str):  # type: ignore[no-untyped-def]
        if fmt != "markdown":
            return real(fmt)

        def endless(data: bytes, path: str):  # type: ignore[no-untyped-def]
            while True:
                pass

        return endless

    monkeypatch.setattr(readers, "reader", reader)
    (tmp_path / "slow.md").write_text("Anything.\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    report = check([tmp_path], Settings(offline=True, document_timeout=0.05))
    assert sorted(d.path for d in report.documents) == [str(tmp_path / "good.txt"), str(tmp_path / "slow.md")]
    assert report.unreadable == ()
    [p001] = [f for f in report.findings if f.document == str(tmp_path / "slow.md")]
    assert p001.code == "P001" and "took longer than --document-timeout (0.05 s)" in p001.message
    assert [c.document for c in report.citations] == [str(tmp_path / "good.txt")]


def test_notes_left_when_the_budget_runs_out_are_kept_unparsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes = "\n".join(f"{n}. Anna Smith, “Study {n},” Journal of Water 3 (2001): {n}. https://e.org/{n}"
                      for n in range(1, 6))
    (tmp_path / "doc.txt").write_text("Claims.1 2 3 4 5\n\nNotes\n\n" + notes + "\n", encoding="utf-8")
    asked = []

    def expired() -> bool:  # the budget runs out after the second note
        asked.append(1)
        return len(asked) > 2

    monkeypatch.setattr(budget, "expired", expired)
    report = check([tmp_path / "doc.txt"], Settings(offline=True, document_timeout=30))
    assert [c.note for c in report.citations if c.note] == ["1", "2", "3", "4", "5"]  # nothing lost
    assert [c.fields.title for c in report.citations][:2] == ["Study 1", "Study 2"]
    assert [c.fields.url for c in report.citations][2:5] == ["https://e.org/3", "https://e.org/4", "https://e.org/5"]
    stopped = [f for f in report.findings if "Parsing the citations of the document took longer" in f.message]
    assert len(stopped) == 1 and stopped[0].code == "P001" and "(30 s): 2 were found before it stopped, 3 notes and entries are kept" in stopped[0].message
