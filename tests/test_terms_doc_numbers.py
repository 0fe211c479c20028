"""A doc number is never given twice: a dropped doc's postings stay, so an article given its
number again would be found by the dropped article's words.

- Re-indexing the newest article (the highest doc) used to give its new doc that same number
  (its old words stayed searchable for it, and the maintained index disagreed with a rebuild).
- Deleting the newest article, then a backfill that drops its doc and indexes nothing, used to
  give the next article that number (the highest live doc forgot it; migration 009 keeps the
  highest number ever given)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from monitor import aggregates, terms
from monitor.config import Settings
from monitor.ingest import CHILD_TABLES, Ingestor
from monitor.parallel import ExtractorSpec
from monitor.store import Store, delete_ids, open_store
from monitor.synth import SynthConfig, iter_entries
from tests.test_ingest_pipeline import _assert_exact

_ENTRIES = SynthConfig(articles=12, sources=1, seed=5)


@contextmanager
def _ingestor(db: Path) -> Iterator[tuple[Store, Ingestor]]:
    """A store and its ingestor; on a clean exit, the index must equal a rebuild."""
    store = open_store(db)
    try:
        yield store, Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))
    finally:
        store.close()
    _assert_exact(db)


def _newest(store: Store) -> tuple[str, int]:
    """(article id, doc) of the highest live doc."""
    with store.cursor() as cur:
        return tuple(
            cur.execute(
                "SELECT article_id, doc FROM terms_docs ORDER BY doc DESC LIMIT 1"
            ).fetchall()[0]
        )


def _doc(store: Store, article_id: str) -> int:
    with store.cursor() as cur:
        return cur.execute(
            "SELECT doc FROM terms_docs WHERE article_id = ?", [article_id]
        ).fetchall()[0][0]


def test_rewriting_the_newest_article_equals_a_rebuild(tmp_path) -> None:
    entries = list(iter_entries(_ENTRIES))
    with _ingestor(tmp_path / "m.duckdb") as (store, ingestor):
        ingestor.ingest(entries[0].feed, tuple(entries))
        newest, before = _newest(store)
        last = next(e for e in entries if e.article_id == newest)
        rewritten = dataclasses.replace(last, raw_content="<p>Zanzibarish wording only.</p>")
        assert ingestor.ingest(last.feed, (rewritten,)).updated == 1
        assert _doc(store, newest) > before


def test_a_dropped_highest_doc_is_not_given_again(tmp_path) -> None:
    entries = list(iter_entries(_ENTRIES))
    first, last = entries[:-1], entries[-1]
    with _ingestor(tmp_path / "m.duckdb") as (store, ingestor):
        ingestor.ingest(first[0].feed, tuple(first))
        newest, top = _newest(store)
        with store.transaction() as cur:
            # gone without a re-index (its cells recomputed, so the aggregates stay exact)
            left = aggregates.cells_of(cur, [newest])
            delete_ids(cur, ("articles", *CHILD_TABLES), [newest])
            aggregates.refresh_cells(cur, left)
            assert terms.backfill(cur, 100) == 0  # drops its doc, indexes nothing
        assert ingestor.ingest(last.feed, (last,)).new == 1
        assert _doc(store, last.article_id) > top
