"""The process pool returns exactly what the sequential path returns, and an ingest through
it stores exactly the same rows."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from monitor.config import Settings
from monitor.ingest import Ingestor
from monitor.parallel import ExtractorSpec, ProcessPool, _chunks
from monitor.pipeline import process_entry
from monitor.store import open_store
from monitor.synth import SynthConfig, iter_entries

CFG = SynthConfig(articles=240, sources=6, seed=3)


@pytest.fixture(scope="module")
def pool():
    with ProcessPool(ExtractorSpec(), workers=2) as p:
        yield p


def test_chunks_keep_order_and_cover_everything() -> None:
    items = list(range(11))
    parts = _chunks(items, 4)
    assert [len(p) for p in parts] == [3, 3, 3, 2]
    assert list(itertools.chain(*parts)) == items
    assert _chunks([1], 4) == [[1]]


def test_workers_collect_young_objects_less_often(pool) -> None:
    import gc

    from monitor.parallel import GC_THRESHOLDS

    assert pool.submit_call(gc.get_threshold, [(), ()]).result() == [GC_THRESHOLDS] * 2


def test_pool_results_equal_the_sequential_path(pool) -> None:
    entries = list(iter_entries(CFG))[:60]
    learned = frozenset({"share this article", "advertisement"})
    expected = [process_entry(e, pool.extractor, learned) for e in entries]
    assert pool.process(entries, learned) == expected
    assert pool.process(entries[:3], learned) == expected[:3]  # small batch: in-process


def _dump(db: Path) -> dict[str, list[tuple]]:
    store = open_store(db, read_only=True)
    try:
        return {
            "articles": store.con.execute(
                "SELECT id, feed, title, published, text, story_id, story_similarity, tags "
                "FROM articles ORDER BY id"
            ).fetchall(),
            "mentions": store.con.execute(
                "SELECT * FROM mentions ORDER BY article_id, start_pos, kind, entity_id"
            ).fetchall(),
            "quotes": store.con.execute("SELECT * FROM quotes ORDER BY article_id, seq").fetchall(),
            "removed": store.con.execute(
                "SELECT * FROM removed_spans ORDER BY article_id, seq"
            ).fetchall(),
            "learned": store.con.execute(
                "SELECT feed, key, text FROM learned_boilerplate ORDER BY feed, key"
            ).fetchall(),
        }
    finally:
        store.close()


def _ingest_all(db: Path, pool: ProcessPool | None) -> None:
    settings = Settings(db_path=db, learn_min_articles=5)
    store = open_store(db)
    try:
        extractor = pool.extractor if pool else ExtractorSpec().build()
        ingestor = Ingestor(store, extractor, settings, pool=pool)
        entries = sorted(iter_entries(CFG), key=lambda e: (e.feed, e.published))
        for feed, group in itertools.groupby(entries, key=lambda e: e.feed):
            batch = list(group)
            for i in range(0, len(batch), 20):  # several batches per feed: learning kicks in
                ingestor.ingest(feed, batch[i : i + 20])
    finally:
        store.close()


def test_ingest_through_the_pool_stores_the_same_rows(tmp_path, pool) -> None:
    _ingest_all(tmp_path / "seq.duckdb", None)
    _ingest_all(tmp_path / "par.duckdb", pool)
    seq, par = _dump(tmp_path / "seq.duckdb"), _dump(tmp_path / "par.duckdb")
    assert len(seq["articles"]) == CFG.articles
    assert seq["learned"], "the synthetic sign-offs must be learned"
    assert any(row[5] != row[0] for row in seq["articles"]), "copies must join a story"
    for table in seq:
        assert par[table] == seq[table], table


def test_extraction_runs_once_per_article(tmp_path, monkeypatch) -> None:
    """Cleaning, learning and re-cleaning come before extraction: no article is extracted
    twice, although learning kicks in (and re-cleans) on the first batches of each feed."""
    from monitor.extract import Extractor

    calls = []
    original = Extractor.extract

    def counted(self, text, day):
        calls.append(text)
        return original(self, text, day)

    monkeypatch.setattr(Extractor, "extract", counted)
    _ingest_all(tmp_path / "seq.duckdb", None)
    assert len(calls) == CFG.articles
    assert _dump(tmp_path / "seq.duckdb")["learned"]
