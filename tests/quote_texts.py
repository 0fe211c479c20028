"""Article texts the quote finder's equivalence tests run on (tests/test_quotes_*.py): cleaned
synthetic articles in both name modes, the labelled passages and, when ../shared is there,
the seed page."""

from __future__ import annotations

import json
from pathlib import Path

from monitor import synth
from monitor.pipeline import clean_only

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "fixtures" / "seed-menafn-kremlin.txt"
PASSAGES = ROOT / "tests" / "labelled" / "passages.jsonl"


def article_texts(articles: int, seed: int) -> list[str]:
    """`articles` synthetic articles per name mode (seeded), then the passages and the seed."""
    texts = []
    for per_paragraph_names in (False, True):
        config = synth.SynthConfig(
            articles=articles, sources=20, seed=seed, per_paragraph_names=per_paragraph_names
        )
        texts += [clean_only(e).cleaned.text for e in synth.iter_entries(config)]
    texts += [json.loads(line)["text"] for line in PASSAGES.read_text("utf-8").splitlines()]
    if SEED.exists():
        texts.append(SEED.read_text("utf-8"))
    return texts
