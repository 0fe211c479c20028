"""The writer's checkpoint policy (store.VACUUM_TASKS, ingest.VACUUM_EVERY_ITEMS): automatic
checkpoints merge no thinned row groups, a `Store.vacuuming` block's do, an ingest call merges at
its end (never in the middle), and an ingest that takes such checkpoints stores the same rows as
one that does not."""

from __future__ import annotations

from pathlib import Path

from monitor import ingest as ingest_mod
from monitor import store as store_mod
from monitor.config import Settings
from monitor.ingest import Ingestor
from monitor.parallel import ExtractorSpec
from monitor.store import open_store
from tests.test_ingest_pipeline import _assert_exact, _batches, _derived
from tests.test_parallel import _dump

ROW_GROUP = 122_880  # DuckDB's default row group size


def _stored_rows(store, table: str) -> int:
    """Rows in the table's row groups, deleted ones included."""
    return store.con.execute(
        "SELECT sum(count) FROM pragma_storage_info(?) "
        "WHERE column_id = 0 AND segment_type <> 'VALIDITY'",
        [table],
    ).fetchall()[0][0]


def test_only_checkpoints_in_a_vacuuming_block_merge_thinned_row_groups(tmp_path) -> None:
    store = open_store(tmp_path / "v.duckdb")
    try:
        con = store.con
        con.execute("CREATE TABLE t (x INTEGER)")
        con.execute("INSERT INTO t SELECT range FROM range(?)", [6 * ROW_GROUP])
        con.execute("CHECKPOINT")
        con.execute("DELETE FROM t WHERE x < ? AND x % 3 <> 0", [3 * ROW_GROUP])
        con.execute("CHECKPOINT")  # as a COMMIT past the threshold does
        assert _stored_rows(store, "t") == 6 * ROW_GROUP
        with store.vacuuming():
            con.execute("DELETE FROM t WHERE x >= ? AND x % 3 <> 0", [3 * ROW_GROUP])
        assert _stored_rows(store, "t") == 2 * ROW_GROUP  # each three thirds merged into one
        assert con.execute("SELECT count(*), sum(x % 3) FROM t").fetchall() == [(2 * ROW_GROUP, 0)]
        setting = "SELECT current_setting('max_vacuum_tasks')"
        assert con.execute(setting).fetchall()[0][0] == 0  # the others merge nothing again
    finally:
        store.close()


def _ingest(db: Path, monkeypatch, vacuum_every: int, calls: int = 3) -> int:
    """The pipeline test's batches (updates included) in `calls` ingest_many calls, deriving
    every 120 articles; returns how many merging checkpoints ran."""
    monkeypatch.setattr(ingest_mod, "DERIVE_EVERY_ITEMS", 120)
    monkeypatch.setattr(ingest_mod, "VACUUM_EVERY_ITEMS", vacuum_every)
    merges = []
    vacuuming = store_mod.Store.vacuuming

    def counted(self):
        merges.append(self)
        return vacuuming(self)

    monkeypatch.setattr(store_mod.Store, "vacuuming", counted)
    store = open_store(db)
    try:
        ingestor = Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))
        batches = list(_batches())
        for k in range(calls):  # (in order: later batches update earlier ones)
            part = batches[k * len(batches) // calls : (k + 1) * len(batches) // calls]
            for _ in ingestor.ingest_many(part, group_items=50):
                pass
        return len(merges)
    finally:
        store.close()


def test_an_ingest_with_merging_checkpoints_stores_the_same_rows(tmp_path, monkeypatch) -> None:
    merged, plain = tmp_path / "merged.duckdb", tmp_path / "plain.duckdb"
    assert _ingest(merged, monkeypatch, vacuum_every=1) == 3  # at the end of every call
    assert _ingest(plain, monkeypatch, vacuum_every=10**9) == 0
    assert _dump(merged) == _dump(plain)
    got = {}
    for db in (merged, plain):
        store = open_store(db, read_only=True)
        try:
            got[db] = _derived(store)
        finally:
            store.close()
    assert got[merged] == got[plain]
    _assert_exact(merged)


def test_a_long_ingest_call_merges_once_at_its_end(tmp_path, monkeypatch) -> None:
    """Merging within a call rewrote the newest row groups again at every merge (the articles'
    text most of all): one call, several derive steps, one merge."""
    db = tmp_path / "one.duckdb"
    assert _ingest(db, monkeypatch, vacuum_every=1, calls=1) == 1
    _assert_exact(db)
