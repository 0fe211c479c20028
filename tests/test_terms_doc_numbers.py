"""A re-indexed article never gets a doc number its old postings still hold: re-indexing the
newest article (the highest doc) used to give its new doc that same number again, so its old
words stayed searchable for it (and, before the fix, the maintained index disagreed with a
rebuild)."""

from __future__ import annotations

import dataclasses

from monitor.config import Settings
from monitor.ingest import Ingestor
from monitor.parallel import ExtractorSpec
from monitor.store import open_store
from monitor.synth import SynthConfig, iter_entries
from tests.test_ingest_pipeline import _assert_exact


def test_rewriting_the_newest_article_equals_a_rebuild(tmp_path) -> None:
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor = Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))
        entries = list(iter_entries(SynthConfig(articles=12, sources=1, seed=5)))
        ingestor.ingest(entries[0].feed, tuple(entries))
        with store.cursor() as cur:
            newest = cur.execute(
                "SELECT article_id FROM terms_docs ORDER BY doc DESC LIMIT 1"
            ).fetchall()[0][0]
            before = cur.execute("SELECT max(doc) FROM terms_docs").fetchall()[0][0]
        last = next(e for e in entries if e.article_id == newest)
        rewritten = dataclasses.replace(last, raw_content="<p>Zanzibarish wording only.</p>")
        assert ingestor.ingest(last.feed, (rewritten,)).updated == 1
        with store.cursor() as cur:
            doc = cur.execute(
                "SELECT doc FROM terms_docs WHERE article_id = ?", [newest]
            ).fetchall()[0][0]
        assert doc > before
    finally:
        store.close()
    _assert_exact(db)
