"""`ingest_many` hands several groups to the writer thread before the first is committed
(ingest.WRITE_QUEUE_GROUPS), so the pool keeps working through a long write; what it stores
and reports stays exactly what one `ingest` per batch stores."""

from __future__ import annotations

import dataclasses
import threading
from collections import defaultdict
from pathlib import Path

import pytest

from monitor import ingest as ingest_mod
from monitor.config import Settings
from monitor.ingest import Batch, Ingestor
from monitor.parallel import ExtractorSpec, ProcessPool
from monitor.pipeline import clean_only
from monitor.store import open_store
from monitor.synth import SynthConfig, iter_entries
from tests.test_ingest_pipeline import _assert_exact
from tests.test_parallel import _dump


@pytest.fixture(scope="module")
def pool():
    with ProcessPool(ExtractorSpec(), workers=2) as p:
        yield p


def _batches(sources: int, per_feed: int = 20, per_batch: int = 10) -> list[Batch]:
    """A poll cycle's shape: batches of ``per_batch`` entries, one feed after another, so
    consecutive batches share no feed and each feed comes back ``sources`` batches later.
    A feed's second batch repeats its first one's last 3 entries, one with a changed body:
    known, unchanged and updated ids, some in groups still queued."""
    by_feed: dict[str, list] = defaultdict(list)
    cfg = SynthConfig(articles=sources * per_feed, sources=sources, seed=11)
    for e in sorted(iter_entries(cfg), key=lambda e: (e.feed, e.published)):
        by_feed[e.feed].append(e)
    rounds: list[list[Batch]] = []
    for entries in by_feed.values():
        chunks = [entries[i : i + per_batch] for i in range(0, len(entries), per_batch)]
        for k in range(1, len(chunks)):
            again = chunks[k - 1][-3:]
            again[0] = dataclasses.replace(
                again[0], raw_content=again[0].raw_content + "<p>Fix.</p>"
            )
            chunks[k] = again + chunks[k]
        rounds.append([Batch(c[0].feed, tuple(c)) for c in chunks])
    return [r[k] for k in range(max(map(len, rounds))) for r in rounds if k < len(r)]


def _ingest(db: Path, pool: ProcessPool | None, many: bool) -> list:
    store = open_store(db)
    try:
        extractor = pool.extractor if pool else ExtractorSpec().build()
        ingestor = Ingestor(store, extractor, Settings(db_path=db, learn_min_articles=5), pool=pool)
        if many:  # groups of ~50: the 200 articles make several groups, queued together
            return [r for _, r, _ in ingestor.ingest_many(_batches(8), group_items=50)]
        return [ingestor.ingest(b.feed, b.entries) for b in _batches(8)]
    finally:
        store.close()


def test_queued_groups_store_and_report_what_one_ingest_per_batch_does(
    tmp_path, pool, monkeypatch
) -> None:
    """Learning, probing (updated and repeated ids in groups in flight together), story
    grouping and the derive steps (every ~120 articles here) see the groups before them as
    committed, whatever is still queued."""
    with monkeypatch.context() as m:  # the reference cleans again from the raw entry
        m.setattr(ingest_mod, "refilter", lambda c, learned: clean_only(c.source, learned))
        expected = _ingest(tmp_path / "one.duckdb", None, many=False)
    reference = _dump(tmp_path / "one.duckdb")
    assert reference["learned"] and any(r.updated for r in expected)
    monkeypatch.setattr(ingest_mod, "DERIVE_EVERY_ITEMS", 120)
    assert ingest_mod.WRITE_QUEUE_GROUPS > 1
    db = tmp_path / "queued.duckdb"
    assert _ingest(db, pool, many=True) == expected
    got = _dump(db)
    for table in reference:
        assert got[table] == reference[table], table
    _assert_exact(db)


def test_the_pool_goes_on_while_a_write_is_slow(tmp_path, pool) -> None:
    """While the first group's write is held, this thread readies the next groups (their
    batches are probed, cleaned and extracted) instead of waiting for that commit."""
    batches = _batches(32)
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor = Ingestor(store, pool.extractor, Settings(db_path=db), pool=pool)
        write, prepare = ingestor._write, ingestor._prepare
        prepared: list[Batch] = []
        enough = threading.Event()  # set by this thread once 3 groups' batches are prepared
        waited: list[bool] = []

        def counting_prepare(batch, inflight):
            prepared.append(batch)
            if sum(len(b.entries) for b in prepared) > 3 * 50 + 25:
                enough.set()
            return prepare(batch, inflight)

        def held_write(group, derive=False):
            if not held.is_set():
                held.set()
                waited.append(enough.wait(timeout=20))  # one group in flight at most: False
            write(group, derive)

        held = threading.Event()
        ingestor._prepare, ingestor._write = counting_prepare, held_write
        reported = [b for b, _, _ in ingestor.ingest_many(batches, group_items=50)]
        assert waited == [True], "the next groups were readied while the write was held"
        assert reported == batches
    finally:
        store.close()


def test_a_failed_write_leaves_the_groups_queued_behind_it_unwritten(tmp_path, pool) -> None:
    """The groups after a failed one were probed against rows that never committed: they
    are not written, the caller gets the write's own error, and exactly the reported
    batches are stored."""
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor = Ingestor(store, pool.extractor, Settings(db_path=db), pool=pool)
        write, calls = ingestor._write, []
        release = threading.Event()  # set once the third group's last batch is prepared
        released: list[bool] = []

        def failing_write(group, derive=False):
            calls.append(len(group))
            if len(calls) == 1:
                released.append(release.wait(timeout=20))  # the next groups queue behind it
                raise OSError("disk full")
            write(group, derive)

        def releasing_prepare(batch, inflight, prepare=ingestor._prepare):
            if batch is batches[14]:
                release.set()
            return prepare(batch, inflight)

        batches = _batches(32)
        ingestor._write, ingestor._prepare = failing_write, releasing_prepare
        reported = []
        with pytest.raises(OSError, match="disk full"):
            for batch, _, _ in ingestor.ingest_many(batches, group_items=50):
                reported.append(batch)
        assert released == [True] and len(calls) == 1, "no group queued behind it was written"
        assert not reported
        assert not store.con.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        store.close()
