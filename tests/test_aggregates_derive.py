"""aggregates.derive (the derive step with the country pairs updated by the new articles'
differences instead of recomputed from every article of their cells) leaves the same
aggregates as a rebuild: small derive steps with 40% syndicated copies (solo stories turning
multi-copy, stories gaining a copy in another cell or day), updates of derived and of pending
articles (their cells recomputed outside the derive step: agg_fresh_cells, migration 010), a
rebuild while ids are pending. The ingestor's derive step is pointed at `derive` (the real
code: what Ingestor's _derive calls once it switches from `refresh`)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from monitor import aggregates
from monitor import ingest as ingest_mod
from monitor.config import Settings
from monitor.ingest import Ingestor
from monitor.parallel import ExtractorSpec
from monitor.store import open_store
from tests.test_aggregates_day_changes import _ingest_in_small_calls
from tests.test_aggregates_pending_updates import (
    CFG,
    _grouped_batches,
    _ingest_grouped,
    _rewritten,
)
from tests.test_ingest_pipeline import _assert_exact


@pytest.fixture
def ran(monkeypatch) -> list[str]:
    """The derive step calls `aggregates.derive`; returns the statements run, in order."""
    monkeypatch.setattr(aggregates, "refresh", aggregates.derive)
    names: list[str] = []
    for run in ("_execute", "_arrow"):
        monkeypatch.setattr(aggregates, run, _recording(getattr(aggregates, run), names))
    return names


def _recording(run, names: list[str]):
    def recorded(cur, name: str, **params):
        names.append(name)
        return run(cur, name, **params)

    return recorded


def test_small_derives_with_copies_and_updates_equal_a_rebuild(tmp_path, ran) -> None:
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor, entries = _ingest_in_small_calls(store, CFG, per_call=12)
        # older copies stopped being solo (flipped) and new ones were added, no pair cell
        # recomputed by then (no update yet)
        assert "agg_merge_pair_cells" in ran
        assert "agg_insert_pairs" not in ran
        feed = entries[0].feed
        mine = [e for e in entries if e.feed == feed]
        # derived articles re-dated into the other day, and rewritten in place
        assert ingestor.ingest(feed, tuple(_rewritten(mine[:10], 1, 3, "a"))).updated == 10
        assert ingestor.ingest(feed, tuple(_rewritten(mine[10:16], 0, 0, "b"))).updated == 3
        assert "agg_insert_pairs" in ran  # the cells the updates left, recomputed
    finally:
        store.close()
    _assert_exact(db)


@pytest.mark.parametrize("every", [30, 10_000], ids=["derive-every-30", "derive-at-the-end"])
def test_grouped_ingest_with_pending_updates_equals_a_rebuild(tmp_path, monkeypatch, ran, every):
    """Updates of pending and of derived articles recompute the cells they leave (recorded
    as fresh) before the derive step, which recomputes those cells' pairs again."""
    monkeypatch.setattr(ingest_mod, "DERIVE_EVERY_ITEMS", every)
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        assert _ingest_grouped(store) > 0
        assert "agg_merge_pair_cells" in ran
        with store.cursor() as cur:  # emptied by the last derive step
            assert cur.execute("SELECT count(*) FROM agg_fresh_cells").fetchone()[0] == 0
    finally:
        store.close()
    _assert_exact(db)


def test_a_rebuild_with_ids_pending_then_derive_equals_a_rebuild(tmp_path, monkeypatch, ran):
    """A rebuild counts the pending articles (and their stories' sizes with them): the next
    derive step must recompute their stories' cells, not add them again or flip their older
    copies a second time."""
    monkeypatch.setattr(ingest_mod, "DERIVE_EVERY_ITEMS", 10_000)
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor = Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))
        batches = _grouped_batches()
        half = len(batches) // 2
        list(ingestor.ingest_many(batches[:half], 40))  # derived at the call's end
        with store.transaction() as cur:
            ids = [r[0] for r in cur.execute("SELECT id FROM articles").fetchall()]
            pending = ids[len(ids) // 2 :]
            cur.execute("DELETE FROM derive_pending").fetchall()
            cur.execute("INSERT INTO derive_pending SELECT unnest(?::VARCHAR[])", [pending])
            cur.fetchall()
            aggregates.rebuild(cur)
            assert cur.execute("SELECT count(*) FROM agg_fresh_cells").fetchall()[0][0] > 0
            aggregates.derive(cur, pending)
            cur.execute("DELETE FROM derive_pending").fetchall()
    finally:
        store.close()
    _assert_exact(db)


def test_derive_after_refresh_cells_of_pending_articles_counts_them_once(tmp_path, ran):
    """refresh_cells outside a derive step (the cells an update leaves) counts the pending
    articles of its cells; the derive step after it must not add them again."""
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        _ingest_in_small_calls(store, CFG, per_call=12)
        with store.transaction() as cur:
            ids = [r[0] for r in cur.execute("SELECT id FROM articles ORDER BY rowid").fetchall()]
            newest = ids[-40:]
            # make the newest articles uncounted: recompute their cells without them...
            saved = cur.sql("SELECT * FROM articles WHERE id IN ?", params=[newest])
            saved = saved.to_arrow_table()
            left = aggregates.cells_of(cur, newest)  # their cells and their stories' copies'
            cur.execute("DELETE FROM articles WHERE id IN ?", [newest]).fetchall()
            aggregates.refresh_cells(cur, left)
            cur.register("_saved", saved)
            cur.execute("INSERT INTO articles SELECT * FROM _saved").fetchall()
            cur.execute("DELETE FROM agg_fresh_cells").fetchall()
            # ...then an update-like recompute of some of their cells counts them again
            aggregates.refresh_cells(cur, aggregates.cells_of(cur, newest[::3]))
            aggregates.derive(cur, newest)
    finally:
        store.close()
    _assert_exact(db)


def _copy(entry, n: int, feed: str, minutes: int):
    """Another item with `entry`'s text (a copy of its story) in `feed`, `minutes` later."""
    return dataclasses.replace(
        entry,
        article_id=f"{entry.article_id}-copy{n}",
        guid=f"{entry.guid}-copy{n}",
        url=f"{entry.url}?copy={n}",
        feed=feed,
        published=entry.published + timedelta(minutes=minutes),
    )


def test_a_new_copy_beside_an_older_copy_of_a_multi_copy_story(tmp_path, ran) -> None:
    """A story with two derived copies gains a third in the cell (hour, feed) of one of them:
    its pair spread rows there exist already ('have'), so none is added twice; and a fourth
    in another cell of another day."""
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor, entries = _ingest_in_small_calls(store, CFG, per_call=12)
        feeds = sorted({e.feed for e in entries})
        first = min((e for e in entries if e.published.minute < 30), key=lambda e: e.published)
        other = next(f for f in feeds if f != first.feed)
        ingestor.ingest(other, (_copy(first, 1, other, 20),))
        ingestor.ingest(first.feed, (_copy(first, 2, first.feed, 5),))
        ingestor.ingest(other, (_copy(first, 3, other, 60 * 24 + 5),))
        with store.cursor() as cur:
            story = cur.execute(
                "SELECT count(*) FROM articles WHERE story_id = "
                "(SELECT story_id FROM articles WHERE id = ?)",
                [first.article_id],
            ).fetchall()[0][0]
        assert story >= 4  # one story: the 'have' case was reached
        assert "agg_add_pair_spread" in ran
    finally:
        store.close()
    _assert_exact(db)
