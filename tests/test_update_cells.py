"""An update that moves an article to another hour (a publisher re-dates it) or another
story leaves no count behind in the cells it left: the derived tables equal a rebuild."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from monitor.config import Settings
from monitor.ingest import Ingestor
from monitor.parallel import ExtractorSpec
from monitor.store import open_store
from monitor.synth import SynthConfig, iter_entries
from tests.test_ingest_pipeline import _assert_exact

CFG = SynthConfig(articles=60, sources=2, seed=5)


def test_a_redated_and_rewritten_update_leaves_no_stale_cell(tmp_path) -> None:
    entries = sorted(iter_entries(CFG), key=lambda e: (e.feed, e.published))
    feed = entries[0].feed
    first = [e for e in entries if e.feed == feed]
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor = Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))
        ingestor.ingest(feed, tuple(first))
        moved = [
            dataclasses.replace(
                e,
                published=e.published + timedelta(days=3, hours=5),
                # another text: another story, another set of mentions
                raw_content=f"<p>Officials in Tokyo and Ottawa met on item {i}.</p>",
            )
            for i, e in enumerate(first[:10])
        ]
        result = ingestor.ingest(feed, tuple(moved))
        assert result.updated == 10
    finally:
        store.close()
    _assert_exact(db)
