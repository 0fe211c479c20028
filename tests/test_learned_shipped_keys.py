"""A batch keyed from the paragraph keys a pool worker made (the "clean_slim" kind) counts
exactly what keying the paragraphs in the ingesting process counts, and the ingestor's
`_touched_by` with those keys answers as `pipeline.touched_by`."""

from __future__ import annotations

import itertools
import random

import pytest

from monitor.ingest import _touched_by
from monitor.learned import BatchKeys, paragraph_key
from monitor.models import CleanedArticle, Removed
from monitor.parallel import ExtractorSpec, ProcessPool, _clean_slim_items
from monitor.pipeline import clean_only, touched_by
from monitor.synth import SynthConfig, iter_entries

CFG = SynthConfig(articles=120, sources=4, seed=7)


def _cleaned(learned: frozenset[str] = frozenset()) -> list[CleanedArticle]:
    return [clean_only(e, learned).cleaned for e in iter_entries(CFG)]


def _same(a: BatchKeys, b: BatchKeys) -> None:
    assert a.hash_of == b.hash_of
    assert a.names == b.names
    assert a.collided == b.collided
    assert a.articles == b.articles
    assert a.paragraphs == b.paragraphs


def test_shipped_keys_key_the_batch_as_the_paragraphs_do() -> None:
    articles = [c.paragraphs for c in _cleaned()]
    keys = [tuple(map(paragraph_key, p)) for p in articles]
    for lo in range(0, len(articles), 25):
        _same(
            BatchKeys(articles[lo : lo + 25], keys[lo : lo + 25]), BatchKeys(articles[lo : lo + 25])
        )
    # repeats, tiny and digit-variant paragraphs, and the batch's own repeats
    odd = [("—", "A b", "Ab", "© 2025 Reuters", "© 2026 Reuters"), ("© 2026  reuters",), ()]
    _same(BatchKeys(odd, [tuple(map(paragraph_key, p)) for p in odd]), BatchKeys(odd))


def test_a_collision_is_seen_from_shipped_keys_too(monkeypatch) -> None:
    import monitor.learned as learned

    monkeypatch.setattr(learned, "_key_hash", lambda key: len(key))
    odd = [("abc one", "xyz two"), ("abc one",)]
    shipped = BatchKeys(odd, [tuple(map(paragraph_key, p)) for p in odd])
    assert shipped.collided
    _same(shipped, BatchKeys(odd))


def test_touched_by_with_the_batch_keys_answers_as_touched_by() -> None:
    cleaned = _cleaned()
    # removed duplicates too: touched_by also asks about them
    cleaned.append(
        CleanedArticle(
            "t",
            None,
            ("Something else kept",),
            (Removed("Keep  me here", "duplicate-of-paragraph-1"),),
        )
    )
    keyed = BatchKeys(
        [c.paragraphs for c in cleaned], [tuple(map(paragraph_key, c.paragraphs)) for c in cleaned]
    )
    pool = sorted({paragraph_key(p) for c in cleaned for p in c.paragraphs})
    pool += sorted({paragraph_key(r.text) for c in cleaned for r in c.removed})
    rng = random.Random(5)
    sets = [frozenset(), frozenset({"no such paragraph"}), frozenset({"keep me here"})]
    sets += [frozenset(rng.sample(pool, k)) for k in (1, 1, 2, 5, 20) for _ in range(10)]
    hits = 0
    for keys in sets:
        for c in cleaned:
            expected = touched_by(c, keys)
            assert _touched_by(c, keys, keyed) == expected
            hits += expected
    assert hits > 50


@pytest.mark.parametrize("learned", [frozenset(), frozenset({"share this article"})])
def test_the_workers_ship_each_paragraphs_key(learned) -> None:
    entries = list(itertools.islice(iter_entries(CFG), 30))
    local = _clean_slim_items(entries, None, learned)
    with ProcessPool(ExtractorSpec(), workers=2) as pool:
        shipped = pool.submit("clean_slim", entries, learned, min_parallel=1).result()
        extracted = pool.submit("process_keyed", entries, learned, min_parallel=1).result()
        slim = pool.submit("process_slim", entries, learned, min_parallel=1).result()
    assert shipped == local
    assert [d[:4] for d in extracted] == slim
    assert [(d[0], d[1], d[4]) for d in extracted] == shipped
    for e, (changed, cleaned, keys) in zip(entries, shipped, strict=True):
        c = clean_only(e, learned)
        assert cleaned == c.cleaned and changed == (None if c.entry is e else c.entry)
        assert keys == tuple(paragraph_key(p) for p in cleaned.paragraphs)
