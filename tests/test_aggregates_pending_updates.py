"""The derive step recomputes the cells of its articles and of the other copies of their
stories, except the older copies of stories that already had several (agg_derive_scope).
After many small derive steps with syndicated copies (solo stories turning multi-copy,
stories gaining a third copy in another cell or day) and updates of derived and of pending
articles (re-dated by a day or an hour, rewritten, in place), the aggregates and the keyword
index equal a rebuild."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from monitor import ingest as ingest_mod
from monitor.config import Settings
from monitor.ingest import Batch, Ingestor
from monitor.parallel import ExtractorSpec
from monitor.store import open_store
from monitor.synth import SynthConfig, iter_entries
from tests.test_aggregates_day_changes import _ingest_in_small_calls
from tests.test_ingest_pipeline import _assert_exact

CFG = SynthConfig(articles=300, days=2, sources=6, seed=23, syndicated=0.4)


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


def test_small_derives_with_copies_and_updates_equal_a_rebuild(tmp_path) -> None:
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor, entries = _ingest_in_small_calls(store, CFG, per_call=12)
        feed = entries[0].feed
        mine = [e for e in entries if e.feed == feed]
        # derived articles re-dated into the other day, and rewritten in place (same hour;
        # the other half is unchanged, so not an update)
        assert ingestor.ingest(feed, tuple(_rewritten(mine[:10], 1, 3, "a"))).updated == 10
        assert ingestor.ingest(feed, tuple(_rewritten(mine[10:16], 0, 0, "b"))).updated == 3
    finally:
        store.close()
    _assert_exact(db)


def _grouped_batches() -> list[Batch]:
    """Batches of 20 entries of a feed; every other batch also carries updates of entries
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
def test_grouped_ingest_with_pending_updates_equals_a_rebuild(tmp_path, monkeypatch, every):
    """Groups commit with their ids pending; updates of pending and of derived articles
    recompute the cells they leave before the derive step."""
    monkeypatch.setattr(ingest_mod, "DERIVE_EVERY_ITEMS", every)
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor = Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))
        updated = sum(r.updated for _, r, _ in ingestor.ingest_many(_grouped_batches(), 40))
        assert updated > 0
    finally:
        store.close()
    _assert_exact(db)
