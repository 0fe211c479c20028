"""A pool worker's chunk is processed stage by stage (every clean, then every automaton scan,
then the rest of each extraction, then every sketch): the results are exactly the
article-by-article ones, whatever the chunk size."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from monitor import learned as learned_mod
from monitor import parallel
from monitor.extract import Extractor, load_registry
from monitor.pipeline import analyse, analyse_many, clean_only, refilter
from monitor.rows import analyse_columns
from monitor.synth import SynthConfig, iter_entries

LABELLED = Path(__file__).resolve().parent / "labelled" / "passages.jsonl"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_registry())


@pytest.fixture(scope="module")
def corpus():
    """Entries, their first cleaning, and per feed the paragraph keys seen in 2+ of its
    articles (learned keys that do remove paragraphs on a re-clean)."""
    entries = list(iter_entries(SynthConfig(articles=160, sources=8, seed=5)))
    cleaned = [clean_only(e) for e in entries]
    seen: dict[str, Counter] = {}
    for c in cleaned:
        keys = {learned_mod.paragraph_key(p) for p in c.cleaned.paragraphs}
        seen.setdefault(c.entry.feed, Counter()).update(keys)
    learned = {f: frozenset(k for k, n in cnt.items() if n >= 2) for f, cnt in seen.items()}
    assert any(learned.values())
    return entries, cleaned, learned


def _chunks(items: list, sizes=(1, 9, 4, 25)) -> list[list]:
    out, i, k = [], 0, 0
    while i < len(items):
        size = sizes[k % len(sizes)]
        out.append(items[i : i + size])
        i, k = i + size, k + 1
    return out


def test_extract_many_equals_extract(extractor) -> None:
    texts = [json.loads(line)["text"] for line in LABELLED.read_text("utf-8").splitlines()]
    items = [(t, None) for t in texts[:60]]
    assert extractor.extract_many(items) == [extractor.extract(t, d) for t, d in items]
    assert extractor.extract_many([]) == []


def test_analyse_many_equals_analyse(extractor, corpus) -> None:
    _, cleaned, _ = corpus
    pairs = [(c.cleaned.text, c.entry.published) for c in cleaned]
    for chunk in _chunks(pairs):
        assert analyse_many(chunk, extractor) == [analyse(t, p, extractor) for t, p in chunk]


def test_pool_kinds_equal_article_by_article(extractor, corpus) -> None:
    entries, cleaned, learned = corpus
    for part, first in zip(_chunks(entries), _chunks(cleaned), strict=True):
        keys = learned[part[0].feed]
        done = [clean_only(e, keys) for e in part]
        expected = [
            (None if c.entry is e else c.entry, c.cleaned)
            + analyse_columns(c.cleaned.text, c.entry.published, extractor)
            for e, c in zip(part, done, strict=True)
        ]
        assert parallel._process_slim_items(part, extractor, keys) == expected
        redone = [refilter(c, keys) for c in first]
        expected = [
            (None if r.entry is c.source else r.entry, r.cleaned)
            + analyse_columns(r.cleaned.text, r.entry.published, extractor)
            for c, r in zip(first, redone, strict=True)
        ]
        assert parallel._refilter_process_items(first, extractor, keys) == expected
        shipped = parallel._ship_refilter(first)
        assert parallel._refilter_process_items(shipped, extractor, keys) == expected
        pairs = [(c.cleaned.text, c.entry.published) for c in first]
        assert parallel._KINDS["analyse"](pairs, extractor) == [
            analyse_columns(t, p, extractor) for t, p in pairs
        ]
