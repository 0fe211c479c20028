"""The people scan's run pattern (quotes._PEOPLE_RUN) finds exactly the runs of the pattern
it replaced (the same honorific look-behinds and next-word prefixes, tested in another order
for speed): same spans on synthetic articles, the seed page, the labelled passages and
random texts over the characters the pattern cares about."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor import synth
from monitor.extract.quotes import _PEOPLE_RUN
from monitor.pipeline import clean_only

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "fixtures" / "seed-menafn-kremlin.txt"

# The pattern before the reordering (round 7), kept as the reference.
_REFERENCE = re.compile(
    r"[A-Z](?<![\w’'].)(?:\.|[\w’'-]*(?:(?<=Mr|Ms|Dr|Lt)\.|"
    r"(?<=Mrs|Rep|Sen|Gov|Del|Gen|Col|Rev|Sgt|Adm)\.|(?<=Prof|Capt)\.)?)"
    r"(?:\s+(?:[A-Z]\.\s+)?(?:O’|O'|Mc|Mac)?[A-Z][\w’'-]*){0,4}"
)


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _texts() -> list[str]:
    entries = synth.iter_entries(synth.SynthConfig(articles=300, sources=20, seed=5))
    texts = [clean_only(e).cleaned.text for e in entries]
    passages = ROOT / "tests" / "labelled" / "passages.jsonl"
    texts += [json.loads(line)["text"] for line in passages.read_text("utf-8").splitlines()]
    if SEED.exists():
        texts.append(SEED.read_text("utf-8"))
    return texts


def test_same_runs_on_articles() -> None:
    texts = _texts()
    assert sum(len(_spans(_REFERENCE, t)) for t in texts) > 10_000
    for text in texts:
        assert _spans(_PEOPLE_RUN, text) == _spans(_REFERENCE, text)


_WORDS = st.sampled_from(
    ["Mr", "Mrs", "Ms", "Dr", "Lt", "Prof", "Capt", "Sen", "Adm", "Rev", "O’", "O'", "Mc"]
    + ["Mac", "A", "J", "Smith", "van", "de", "the", "X", "é", "Éa", "MR", "sMr"]
)
_GLUE = st.sampled_from([" ", "  ", ". ", ".", "\n\n", "-", "’", "'", ", ", "\t", "_", "1"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(_WORDS, _GLUE), max_size=12))
def test_same_runs_on_random_texts(parts: list[tuple[str, str]]) -> None:
    text = "".join(w + g for w, g in parts)
    assert _spans(_PEOPLE_RUN, text) == _spans(_REFERENCE, text)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="MrsDPfCaptO’'cAJ. \n-_éx", max_size=40))
def test_same_runs_on_random_characters(text: str) -> None:
    assert _spans(_PEOPLE_RUN, text) == _spans(_REFERENCE, text)
