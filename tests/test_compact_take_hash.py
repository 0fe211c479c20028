"""aggregates.compact's take statements find the keys with several rows by a 64-bit hash of
the key (queries/agg_compact_take_*.sql). Two keys sharing a hash make a take return the rows
of a key that has one row too; the put statement must then give that row back unchanged. No
collision can be forced, so this test takes every row of every compacted cells table (each
key as if its hash collided) and checks that the put leaves each table as it was, row for
row, on a store written by the real Ingestor (syndicated copies, quotes, several days)."""

from __future__ import annotations

from monitor import aggregates, sql
from monitor.store import open_store
from tests.test_aggregates_day_changes import _ingest_in_small_calls
from tests.test_aggregates_pending_updates import CFG


def _table_of(put: str) -> str:
    """The cells table a put statement writes (agg_compact_put_X -> agg_X)."""
    return "agg_" + put.removeprefix("agg_compact_put_")


def test_put_gives_back_keys_with_one_row_unchanged(tmp_path) -> None:
    store = open_store(tmp_path / "m.duckdb")
    try:
        _ingest_in_small_calls(store, CFG, per_call=12)  # each call ends compacted
        for _, put in aggregates._COMPACT_HOURS + aggregates._COMPACT_DAYS:
            table = _table_of(put)
            with store.cursor() as cur:
                cur.execute("BEGIN")
                try:
                    before = sorted(cur.execute(f"SELECT * FROM {table}").fetchall())  # noqa: S608
                    assert before, table  # the corpus fills every cells table
                    taken = cur.sql(f"DELETE FROM {table} RETURNING *").to_arrow_table()  # noqa: S608
                    with sql.registered(cur, _compact_rows=taken):
                        sql.execute(cur, put)
                    after = sorted(cur.execute(f"SELECT * FROM {table}").fetchall())  # noqa: S608
                    assert after == before, table
                finally:
                    cur.execute("ROLLBACK")
    finally:
        store.close()
