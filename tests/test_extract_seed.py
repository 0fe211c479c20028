"""The real seed article (from ../shared) and an invented equivalent that always runs."""

import json
from pathlib import Path

import pytest

from monitor.extract import Extractor, extract_json, load_registry
from monitor.models import PARAGRAPH_SEPARATOR

SHARED = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
EXPECTED = SHARED / "seed-menafn-kremlin.expected.json"
REG = load_registry([Path(__file__).parent / "fixtures" / "officials-small.toml"], packaged=False)

INVENTED = [
    "(WIRE) The Kremlin said on Monday that a date for talks on Ukraine was not yet fixed, "
    "though Moscow hopes they happen within weeks.",
    "“No, there is no date for the meeting yet. But we hope it will happen soon,” Kremlin "
    "spokesperson Dmitry Peskov told a news briefing in Moscow.",
    "Peskov said Russia keeps in contact with France. “Yes, contacts exist and they will help "
    "us restore dialogue quickly if there is a wish for it,” he added.",
    "Last week French President Emmanuel Macron said channels between Paris and Moscow were open "
    "again. Peskov described Macron’s words as welcome, stating: “We have noted Mr. Macron's "
    "remarks. Cutting relations to zero is illogical and harmful.”",
    "He said Russia had always backed dialogue. “In our view, talking helps with the hardest "
    "problems. They will not solve themselves,” Peskov said.",
    "He noted that other European countries have not yet followed France’s example.",
]
EXPECTED_STARTS = [
    "No, there is no date",
    "Yes, contacts exist",
    "We have noted Mr. Macron's",
    "In our view, talking",
]


def _check(paragraphs, starts):
    text = PARAGRAPH_SEPARATOR.join(paragraphs)
    out = extract_json(Extractor(REG).extract(text), REG)
    countries = {c["code"]: {m["text"] for m in c["mentions"]} for c in out["countries"]}
    assert set(countries) == {"RU", "UA", "FR"}
    assert {"Kremlin", "Moscow", "Russia"} <= countries["RU"]
    assert {"France", "French", "Paris"} <= countries["FR"]
    assert {o["name"] for o in out["officials"]} == {"Dmitry Peskov", "Emmanuel Macron"}
    full = [q for q in out["quotes"] if not q["partial"]]
    assert len(full) == 4
    assert all(q["speaker"] == "Dmitry Peskov" for q in full)
    for q, start in zip(full, starts, strict=True):
        assert q["text"].startswith(start)
        assert text[q["start"] : q["end"]] == q["text"]
    assert [q["speaker_via_pronoun"] for q in full] == [False, True, False, False]
    assert full[0]["cue"] == "told a news briefing"


def test_invented_seed_equivalent():
    _check(INVENTED, EXPECTED_STARTS)


@pytest.mark.skipif(not EXPECTED.is_file(), reason="../shared/fixtures (the real seed) is absent")
def test_real_seed_expected_body():
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    _check(expected["body_paragraphs"], [q["starts_with"] for q in expected["quotes"]])
