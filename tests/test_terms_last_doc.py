"""A dropped doc's number is never given again (migration 009): the number after the highest
live doc forgot a dropped highest doc. Here the newest article is deleted without a
re-index and a backfill drops its doc and indexes nothing: the next article indexed got the
same number, and the deleted article's words were found in it."""

from __future__ import annotations

from monitor import aggregates, terms
from monitor.config import Settings
from monitor.ingest import CHILD_TABLES, Ingestor
from monitor.parallel import ExtractorSpec
from monitor.store import delete_ids, open_store
from monitor.synth import SynthConfig, iter_entries
from tests.test_ingest_pipeline import _assert_exact


def test_a_dropped_highest_doc_is_not_given_again(tmp_path) -> None:
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor = Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))
        entries = list(iter_entries(SynthConfig(articles=12, sources=1, seed=5)))
        first, last = entries[:-1], entries[-1]
        ingestor.ingest(first[0].feed, tuple(first))
        with store.transaction() as cur:
            newest, top = cur.execute(
                "SELECT article_id, doc FROM terms_docs ORDER BY doc DESC LIMIT 1"
            ).fetchall()[0]
            # gone without a re-index (its cells recomputed, so the aggregates stay exact)
            left = aggregates.cells_of(cur, [newest])
            delete_ids(cur, ("articles", *CHILD_TABLES), [newest])
            aggregates.refresh_cells(cur, left)
            assert terms.backfill(cur, 100) == 0  # drops its doc, indexes nothing
        assert ingestor.ingest(last.feed, (last,)).new == 1
        with store.cursor() as cur:
            doc = cur.execute(
                "SELECT doc FROM terms_docs WHERE article_id = ?", [last.article_id]
            ).fetchall()[0][0]
        assert doc > top
    finally:
        store.close()
    _assert_exact(db)  # the index equals a rebuild: no (term, article) pair of the deleted one
