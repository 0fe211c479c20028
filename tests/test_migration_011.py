"""Migration 011 (articles.raw_content stored with ZSTD) keeps every article row, in storage
order, with its primary key; new rows' raw_content is then checkpointed as ZSTD."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from monitor import store as store_mod
from monitor.store import migrations, open_store
from monitor.synth import SynthConfig, iter_entries


def _rows(con) -> list[tuple]:
    return con.execute("SELECT rowid, * FROM articles ORDER BY rowid").fetchall()


def _at_010(path: Path) -> None:
    con = duckdb.connect(str(path))
    try:
        for version, file in migrations():
            if version <= 10:
                store_mod._apply(con, version, file)
        for i, e in enumerate(iter_entries(SynthConfig(articles=300, sources=5))):
            con.execute(
                "INSERT INTO articles (id, feed, guid, url, title, published, published_source,"
                " fetched_at, updated_at, summary, raw_content, raw_kind, content_hash, text,"
                " tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [e.article_id, e.feed, e.guid, e.url, e.title, e.published, e.published_source,
                 e.published, e.published, e.summary, e.raw_content, e.raw_kind, f"h{i}",
                 e.raw_content[::-1], list(e.tags)],
            )  # fmt: skip
            if i % 100 == 99:
                con.execute("CHECKPOINT")  # several row groups, as an ingest leaves them
        con.execute("DELETE FROM articles WHERE id = ?", [e.article_id])  # a gap in rowids
        con.execute("CHECKPOINT")
    finally:
        con.close()


def test_011_keeps_the_rows_their_order_and_the_key(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    _at_010(db)
    con = duckdb.connect(str(db))
    before = [r[1:] for r in _rows(con)]
    con.close()
    store = open_store(db)
    try:
        assert [r[1:] for r in _rows(store.con)] == before
        with pytest.raises(duckdb.ConstraintException):
            store.con.execute("INSERT INTO articles SELECT * FROM articles LIMIT 1")
        store.con.execute("INSERT INTO articles SELECT * REPLACE (id || 'x' AS id) FROM articles")
        store.con.execute("CHECKPOINT")
        kinds = store.con.execute(
            "SELECT DISTINCT compression FROM pragma_storage_info('articles') "
            "WHERE column_name = 'raw_content' AND segment_type = 'VARCHAR'"
        ).fetchall()
        assert ("ZSTD",) in kinds
    finally:
        store.close()
