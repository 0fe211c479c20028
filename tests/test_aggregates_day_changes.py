"""The day tables are recomputed only where the hour rows a derive dropped and re-added do not
sum to zero (agg_day_cell_changes, agg_day_spread_changes, agg_day_pair_spread_changes): many
small derives over two days, with stories gaining copies across cells and days (a solo story
turning multi-copy), updates that move articles to another day and rewrite them, leave the
same tables as a rebuild; and a derive that changes nothing runs none of those day statements
and leaves every table as it was."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from monitor import aggregates
from monitor.config import Settings
from monitor.ingest import Ingestor
from monitor.parallel import ExtractorSpec
from monitor.store import open_store
from monitor.synth import SynthConfig, iter_entries
from tests.test_ingest_pipeline import _assert_exact

# a third of the articles are syndicated copies of a recent one (another feed, another hour)
CFG = SynthConfig(articles=240, days=2, sources=6, seed=11, syndicated=0.35)
_DAY_STATEMENTS = (
    "agg_delete_day_cells",
    "agg_insert_day_cells",
    "agg_delete_day_spread",
    "agg_insert_day_spread",
    "agg_insert_day_pair_cells",
    "agg_delete_day_pair_spread",
    "agg_insert_day_pair_spread",
)


def _ingest_in_small_calls(
    store, cfg: SynthConfig = CFG, per_call: int = 15
) -> tuple[Ingestor, list]:
    """`cfg`'s entries, one ingest call (one derive) per `per_call` entries of a feed, in
    publication order; returns the ingestor and the entries."""
    entries = sorted(iter_entries(cfg), key=lambda e: e.published)
    ingestor = Ingestor(store, ExtractorSpec().build(), Settings(db_path=store.path))
    by_feed: dict[str, list] = {}
    for e in entries:
        batch = by_feed.setdefault(e.feed, [])
        batch.append(e)
        if len(batch) == per_call:
            ingestor.ingest(e.feed, tuple(by_feed.pop(e.feed)))
    for feed, batch in by_feed.items():
        ingestor.ingest(feed, tuple(batch))
    return ingestor, entries


def test_small_derives_with_copies_and_moves_equal_a_rebuild(tmp_path) -> None:
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor, entries = _ingest_in_small_calls(store)
        # a day later and rewritten (another story, other countries), or only re-dated into
        # the other day (same story and mentions: its day rows move)
        feed = entries[0].feed
        mine = [e for e in entries if e.feed == feed][:12]
        moved = [
            dataclasses.replace(
                e,
                published=e.published + timedelta(days=1, hours=3),
                raw_content=f"<p>Officials in Tokyo and Ottawa met on item {i}.</p>"
                if i % 2
                else e.raw_content,
            )
            for i, e in enumerate(mine)
        ]
        assert ingestor.ingest(feed, tuple(moved)).updated == len(moved)
    finally:
        store.close()
    _assert_exact(db)


def _snapshot(cur) -> dict[str, list]:
    return {t: sorted(cur.execute(f"SELECT * FROM {t}").fetchall()) for t in aggregates.TABLES}  # noqa: S608


def test_a_derive_that_changes_nothing_runs_no_day_statement(tmp_path, monkeypatch) -> None:
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        _ingest_in_small_calls(store)
        ran: list[str] = []
        execute = aggregates._execute

        def recording(cur, name: str, **params) -> None:
            ran.append(name)
            execute(cur, name, **params)

        monkeypatch.setattr(aggregates, "_execute", recording)
        with store.transaction() as cur:
            before = _snapshot(cur)
            ids = [r[0] for r in cur.execute("SELECT id FROM articles").fetchall()]
            assert aggregates.refresh(cur, ids) > 0  # every cell recomputed
            after = _snapshot(cur)
    finally:
        store.close()
    assert "agg_cell_mentions" in ran  # the hour steps ran
    assert not set(ran) & set(_DAY_STATEMENTS)
    for table in aggregates.TABLES:
        assert after[table] == before[table], table
