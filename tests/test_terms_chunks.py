"""The keyword index is written INDEX_CHUNK articles per statement (a refresh of 100k pending
ids ran out of DuckDB's 512 MB in one terms_add_postings): a large pending set is indexed in
several chunks, with the same docs as in one go, and the index equals a rebuild."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from monitor import ingest as ingest_mod
from monitor import terms
from monitor.config import Settings
from monitor.ingest import Ingestor
from monitor.parallel import ExtractorSpec
from monitor.store import open_store
from tests.test_ingest_pipeline import _assert_exact, _batches, _derived, _rebuilt
from tests.test_terms import _insert


def _chunk_sizes(monkeypatch) -> list[int]:
    """The number of articles of each `_index` call from now on (each is one postings
    statement)."""
    sizes: list[int] = []
    index = terms._index

    def counted(cur, located):
        sizes.append(located.num_rows)
        return index(cur, located)

    monkeypatch.setattr(terms, "_index", counted)
    return sizes


def _import(db: Path) -> tuple[dict[str, list[tuple]], list[tuple]]:
    """test_ingest_pipeline's batches (updates included) in one ingest_many call whose only
    derive step is the one at its end; the derived tables and (doc, article id) of the docs."""
    store = open_store(db)
    try:
        ingestor = Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))
        for _ in ingestor.ingest_many(_batches(), group_items=50):
            pass
        with store.cursor() as cur:
            docs = sorted(cur.execute("SELECT doc, article_id FROM terms_docs").fetchall())
        return _derived(store), docs
    finally:
        store.close()


def test_a_large_pending_set_is_indexed_in_chunks_and_equals_a_rebuild(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(ingest_mod, "DERIVE_EVERY_ITEMS", 10**6)
    whole, whole_docs = _import(tmp_path / "whole.duckdb")
    monkeypatch.setattr(terms, "INDEX_CHUNK", 37)
    sizes = _chunk_sizes(monkeypatch)
    chunked, chunked_docs = _import(tmp_path / "chunked.duckdb")
    pending = len(chunked_docs)
    assert pending > 4 * 37
    assert len(sizes) == -(-pending // 37) and max(sizes) == 37 and sum(sizes) == pending
    assert chunked_docs == whole_docs  # the same numbering as one statement
    assert chunked == whole
    _assert_exact(tmp_path / "chunked.duckdb")


def test_backfill_indexes_in_chunks_oldest_rows_first(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(terms, "INDEX_CHUNK", 4)
    store = open_store(tmp_path / "b.duckdb")
    rnd = random.Random(4)
    try:
        with store.transaction() as cur:
            for i in range(23):
                _insert(cur, f"old{i:02d}", rnd, i)
        sizes = _chunk_sizes(monkeypatch)
        with store.transaction() as cur:
            terms.backfill(cur, 10)
        assert sizes == [4, 4, 2]
        with store.transaction() as cur:
            terms.backfill(cur, 100)
        assert sizes == [4, 4, 2, 4, 4, 4, 1]
        with store.cursor() as cur:
            assert terms.in_step(cur)
            docs = cur.execute("SELECT article_id FROM terms_docs ORDER BY doc").fetchall()
        assert [d for (d,) in docs] == [f"old{i:02d}" for i in range(23)]  # rowid order
        backfilled = _derived(store)["terms"]
    finally:
        store.close()
    shutil.copy(tmp_path / "b.duckdb", tmp_path / "rebuilt.duckdb")
    rebuilt = open_store(tmp_path / "rebuilt.duckdb")
    try:
        assert backfilled and _rebuilt(rebuilt)["terms"] == backfilled
    finally:
        rebuilt.close()
