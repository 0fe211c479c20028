"""aggregates.derive adds the new articles' country pairs to cells whose older articles count
as they are now, instead of recomputing those cells: after many small derive steps with
syndicated copies (solo stories turning multi-copy, stories gaining a third copy in another
cell or day), updates of derived and of pending articles (re-dated by a day, rewritten, in
place), the tables equal a rebuild. The ingestor's derive step is pointed at aggregates.derive
here (monitor/ingest.py's `_derive` calls aggregates.refresh until it is switched)."""

from __future__ import annotations

import dataclasses
import types
from datetime import timedelta

import pytest

from monitor import aggregates
from monitor import ingest as ingest_mod
from monitor.config import Settings
from monitor.ingest import Batch, Ingestor
from monitor.parallel import ExtractorSpec
from monitor.store import open_store
from monitor.synth import SynthConfig, iter_entries
from tests.test_ingest_pipeline import _assert_exact

CFG = SynthConfig(articles=300, days=2, sources=6, seed=23, syndicated=0.4)


@pytest.fixture
def derive_step(monkeypatch) -> list[str]:
    """The ingestor's derive step runs aggregates.derive; returns the statements run."""
    ran: list[str] = []

    def recording(run):
        def step(cur, name: str, **params):
            ran.append(name)
            return run(cur, name, **params)

        return step

    monkeypatch.setattr(aggregates, "_execute", recording(aggregates._execute))
    monkeypatch.setattr(aggregates, "_arrow", recording(aggregates._arrow))
    shim = types.SimpleNamespace(
        refresh=aggregates.derive,
        cells_of=aggregates.cells_of,
        refresh_cells=aggregates.refresh_cells,
    )
    monkeypatch.setattr(ingest_mod, "aggregates", shim)
    return ran


def _rewritten(entries, days: int, hours: int, tag: str) -> list:
    """Half re-dated and rewritten (other countries, another story), half only re-dated."""
    return [
        dataclasses.replace(
            e,
            published=e.published + timedelta(days=days, hours=hours),
            raw_content=f"<p>Officials in Tokyo and Ottawa met on {tag} {i}.</p>"
            if i % 2
            else e.raw_content,
        )
        for i, e in enumerate(entries)
    ]


def test_small_derives_with_copies_and_updates_equal_a_rebuild(tmp_path, derive_step) -> None:
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor = Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))
        entries = sorted(iter_entries(CFG), key=lambda e: e.published)
        by_feed: dict[str, list] = {}
        for e in entries:  # one ingest call (one derive step) per 12 entries of a feed
            batch = by_feed.setdefault(e.feed, [])
            batch.append(e)
            if len(batch) == 12:
                ingestor.ingest(e.feed, tuple(by_feed.pop(e.feed)))
        for feed, batch in by_feed.items():
            ingestor.ingest(feed, tuple(batch))
        feed = entries[0].feed
        mine = [e for e in entries if e.feed == feed]
        # derived articles re-dated into the other day, and rewritten in place (same hour;
        # the other half is unchanged, so not an update)
        assert ingestor.ingest(feed, tuple(_rewritten(mine[:10], 1, 3, "a"))).updated == 10
        assert ingestor.ingest(feed, tuple(_rewritten(mine[10:16], 0, 0, "b"))).updated == 3
    finally:
        store.close()
    assert "agg_add_pair_cells" in derive_step, "the additive path ran"
    assert "agg_insert_pairs" in derive_step, "and the recompute of cells that need it"
    _assert_exact(db)


def _grouped_batches() -> list[Batch]:
    """Batches of 20 entries of a feed; every other batch also carries updates of 6 entries
    written before (3 of the batch just before: pending when the derive step is rare; 3 of
    older ones: derived), re-dated by a day or an hour and half of them rewritten."""
    entries = sorted(iter_entries(CFG), key=lambda e: (e.feed, e.published))
    out: list[Batch] = []
    for i in range(0, len(entries), 20):
        chunk = list(entries[i : i + 20])
        if len(out) >= 3 and len(out) % 2 == 0 and out[-1].feed == chunk[0].feed:
            recent = list(out[-1].entries[-3:])
            older = list(out[-3].entries[:3]) if out[-3].feed == chunk[0].feed else []
            chunk = _rewritten(recent, 1, 0, f"r{i}") + _rewritten(older, 0, 1, f"o{i}") + chunk
        out.append(Batch(chunk[0].feed, tuple(chunk)))
    return out


@pytest.mark.parametrize("every", [30, 10_000], ids=["derive-every-30", "derive-at-the-end"])
def test_grouped_ingest_with_pending_updates_equals_a_rebuild(
    tmp_path, monkeypatch, derive_step, every
) -> None:
    """Groups commit with their ids pending; updates of pending articles recompute the cells
    they leave (counting other pending articles there) before the derive step adds pairs."""
    monkeypatch.setattr(ingest_mod, "DERIVE_EVERY_ITEMS", every)
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor = Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))
        updated = sum(r.updated for _, r, _ in ingestor.ingest_many(_grouped_batches(), 40))
        assert updated > 0
    finally:
        store.close()
    assert "agg_fresh_record" in derive_step, "updates recomputed the cells they leave"
    assert "agg_add_pair_cells" in derive_step
    _assert_exact(db)


def test_rebuild_then_derive_of_pending_ids_equals_a_rebuild(tmp_path, monkeypatch) -> None:
    """A rebuild counts the pending articles too; the derive step after it recomputes their
    cells (agg_fresh_pending) instead of adding them again."""
    monkeypatch.setattr(ingest_mod, "DERIVE_EVERY_ITEMS", 10_000)
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor = Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))
        results = ingestor.ingest_many(_grouped_batches(), 40)
        next(results)
        next(results)
        results.close()  # stopped before its derive step: the ids stay pending
        assert store.query("derive_pending_count")[0][0] > 0
        with store.transaction() as cur:
            aggregates.rebuild(cur)
        pending = [r[0] for r in store.query("derive_pending_ids")]
        with store.transaction() as cur:
            aggregates.derive(cur, pending)
            cur.execute("DELETE FROM derive_pending")
            from monitor import terms

            terms.refresh(cur, pending)
    finally:
        store.close()
    _assert_exact(db)
