"""Acceptance: the real CLI on the real seed documents in ../shared/seeds.

These tests skip cleanly when the shared folder is absent (a user's clone).
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")

URLS_004 = [
    "http://www.rferl.org/content/tajikistan-islam-elections-parliament-history/26883637.html",
    "http://www.khovar.tj/eng/content/islamic-renaissance-party-tajikistan-declared-extremist-terrorist-organization-and-its",
    "http://tass.ru/en/world/822247",
    "http://news.tj/en/news/exercise-regional-cooperation-has-nothing-do-recent-security-operation-conducted-tajikista",
    "http://www.rusemb.tj/ru/index/index/pageId/535",
    "http://www.kommersant.ru/doc/2364685",
    "http://www.mid.ru/BDOMP/Brp_4.nsf/arh/0E159670A3714F2344257BE200225B0B?OpenDocument",
    "http://www.segodnia.ru/content/13998",
    "http://www.bbc.co.uk/news/world-asia-pacific-12180567",
    "http://www.avesta.tj/goverment/13360-za-chto-ubili-generala-nazarova.html",
    "http://inozpress.kg/news/view/id/36829",
    "http://ria.ru/world/20120724/708131588.html",
    "http://news.tj/en/news/russia-and-china-will-help-prevent-creation-great-badakhshan-says-tajik-expert",
    "http://www.vz.ru/politics/2012/7/31/591112.html",
    "http://news.tj/en/news/russian-troops-will-not-be-used-suppressing-protests-tajikistan-says-csto-secretary-general",
    "http://rus.ozodi.org/content/tensions-in-vorukh-ended/24970574.html",
    "http://dw.com/p/ORdt",
    "http://www.regnum.ru/news/17533343.html#ixzz2s4fyQ1Ta",
    "http://jarayon.com/ru/index.php/2012-04-03-17-13-06/item/347-rasstrel-demonstrantov-v-andizhane-prestuplenie-ne-imeyushchee-istoricheskoj-davnosti",
    "http://rus.pressa.tj/news/tadzhiksko-kirgizskiy-konflikt-dolgoe-molchanie-tadzhikistana-bylo-obosnovano",
    "http://www.ng.ru/cis/2014-01-29/7_kirgizia.html",
    "http://www.odkb-csto.org/obzor-pressy/detail.php?ELEMENT_ID=3162",
    "http://www.jamestown.org/programs/edm/single/?tx_ttnews%5Btt_news%5D=41493&tx_ttnews%5BbackPid%5D=685&no_cache=1#.VqNjKY9OJy0",
    "http://english.pravda.ru/hotspots/conflicts/17-12-2010/116248-russia_tajikistan_afghanistan-0/",
    "http://www.akipress.com/news:542655/",
    "http://tass.ru/en/world/768706",
    "http://www.cacianalyst.org/publications/field-reports/item/13087-russia-concerned-over-tajik-afghan-border-security.html",
    "https://www.hrw.org/news/2014/06/25qa-human-fallout-tajikistans-dam-project",
    "http://www.akipress.com/news:546870/",
    "http://www.laender-analysen.de/russland/rad/pdf/Russian_Analytical_Digest_165.pdf",
    "http://russian.people.com.cn/31521/6964733.html",
    "http://mir24.tv/news/politics/9723906",
]


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "verifier", *args], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )


@cache
def report(*paths: str) -> dict:
    proc = run("check", *paths, "--offline", "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    return json.loads(proc.stdout)


def findings(rep: dict, code: str) -> list[dict]:
    return [f for f in rep["findings"] if f["code"] == code]


def test_whole_seed_folder_validates_against_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    rep = report(str(SEEDS))
    schema = json.loads((SHARED / "report.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(rep)
    assert len(rep["documents"]) == 5
    assert {d["format"] for d in rep["documents"]} == {"text"}


# ---------------------------------------------------------------- 004: PDF-extracted chapter


def test_004_parse_gives_48_notes_with_rejoined_urls():
    proc = run("parse", str(seed("004")))
    assert proc.returncode == 0, proc.stderr
    rep = json.loads(proc.stdout)
    assert rep["documents"][0]["notes"] == 48
    notes = {c["note"] for c in rep["citations"]}
    assert {"2", "3", "13", "47"} <= notes
    urls = []
    for c in rep["citations"]:
        url = c["fields"].get("url")
        if url and url not in urls:
            urls.append(url)
    assert urls == URLS_004


def test_004_links_are_exactly_the_urls_to_request():
    rep = report(str(seed("004")))
    assert [link["url"] for link in rep["links"]] == URLS_004
    assert {link["status"] for link in rep["links"]} == {"skipped"}


def test_004_damaged_urls_and_lost_note_label_are_reported():
    rep = report(str(seed("004")))
    f004 = findings(rep, "F004")
    assert len(f004) == 2
    assert any("\ufffd" in (f["url"] or "") for f in f004)
    assert any((f["url"] or "").endswith("warns-afghan-") for f in f004)
    p001 = [f for f in findings(rep, "P001") if "Note 30" in f["message"]]
    assert len(p001) == 1
    assert not [f for f in findings(rep, "M001")], "marker 30 has its (recovered) note"


def test_004_short_form_takes_the_source_of_its_full_form():
    rep = report(str(seed("004")))
    by_note = {}
    for c in rep["citations"]:
        by_note.setdefault(c["note"], []).append(c)
    short = [c for c in by_note["13"] if c["kind"] == "short"]
    assert short, by_note["13"]
    full = by_note["2"][0]
    assert short[0]["source"] == full["source"]


# ---------------------------------------------------------------- 002: journal article with endnotes


def test_002_markers_notes_and_ibid():
    rep = report(str(seed("002")))
    doc = rep["documents"][0]
    assert doc["notes"] == 73
    cites = [c for c in rep["citations"] if c["note"] is not None]
    by_note = {c["note"]: c for c in cites}
    assert len(by_note) == 73
    for label, target in (("2", "1"), ("9", "7"), ("32", "30"), ("72", "71")):
        assert by_note[label]["kind"] == "ibid", by_note[label]
        assert by_note[label]["source"] == by_note[target]["source"]
    assert not findings(rep, "M001") and not findings(rep, "M002")


@pytest.mark.parametrize(
    ("code", "needles"),
    [
        pytest.param("I001", ("Fail", "Fall"), id="fail-fall"),
        pytest.param("I001", ("Tajikistan's Crisis", "Tajikistan Crisis"), id="crisis"),
        pytest.param("I001", ("Regional Interests", "Regional Interest"), id="regional-interest"),
        pytest.param("I001", ("Part-I", "Part-1"), id="part-1"),
        pytest.param("I002", ("Mohammad Monir Alam", "Mohd"), id="alam"),
        pytest.param("I007", ("Dec.", "December"), id="month-style"),
    ],
)
def test_002_inconsistencies(code, needles):
    rep = report(str(seed("002")))
    messages = [f["message"] for f in findings(rep, code)]
    assert any(all(n in m for n in needles) for m in messages), messages


def test_002_europa_world_year_book_conflict():
    rep = report(str(seed("002")))
    messages = [f["message"] for f in findings(rep, "I001") + findings(rep, "I003")]
    assert any("Europe" in m and "Europa" in m for m in messages), messages


def test_002_repeated_full_citations_of_joshi():
    rep = report(str(seed("002")))
    assert any("Joshi" in f["message"] or "Russia and Central Asia" in f["message"] for f in findings(rep, "D002"))


def test_002_unsourced_quotations_of_grachev_and_semenov():
    rep = report(str(seed("002")))
    messages = " ".join(f["message"] for f in findings(rep, "M009"))
    assert "Russia does not intend" in messages
    assert "the deployment of these peace-keeping forces" in messages


# ---------------------------------------------------------------- news


@pytest.mark.parametrize(("prefix", "count"), [("000", 1), ("001", 2)])
def test_news_inline_attributions_are_citations_without_notes(prefix, count):
    rep = report(str(seed(prefix)))
    assert rep["documents"][0]["notes"] == 0
    inline = [c for c in rep["citations"] if c["note"] is None]
    assert len(inline) >= count
    assert any("Russian agencies" in c["raw"] for c in inline)


def test_news_003_has_no_notes_and_no_false_alarms():
    rep = report(str(seed("003")))
    assert rep["documents"][0]["notes"] == 0
    assert not [f for f in rep["findings"] if f["severity"] == "error"]


def test_exit_status_is_never_2_on_the_seeds():
    proc = run("check", str(SEEDS), "--offline")
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
