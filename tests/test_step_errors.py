"""A statement that fails inside a write transaction surfaces its own error: the Arrow tables
the write path registers are not unregistered over it (DuckDB refuses to unregister once the
transaction is aborted, with a TransactionException that used to replace the real error)."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from monitor import aggregates, sql
from monitor.config import Settings
from monitor.ingest import Ingestor
from monitor.parallel import ExtractorSpec
from monitor.store import insert_arrow, open_store
from monitor.synth import SynthConfig, iter_entries


def test_a_failed_statement_in_registered_raises_its_own_error(tmp_path) -> None:
    con = duckdb.connect(str(tmp_path / "r.duckdb"))
    con.execute("BEGIN")
    with pytest.raises(duckdb.CatalogException), sql.registered(con, _t=pa.table({"a": [1]})):
        con.execute("SELECT * FROM _t JOIN no_such_table USING (a)")
    con.execute("ROLLBACK")
    with sql.registered(con, _t=pa.table({"a": [2]})):  # the name can be registered again
        assert con.execute("SELECT a FROM _t").fetchall() == [(2,)]
    with pytest.raises(duckdb.CatalogException):  # and is gone after a block that succeeded
        con.execute("SELECT * FROM _t")


def test_a_failed_derive_step_is_reported_as_itself(tmp_path) -> None:
    store = open_store(tmp_path / "m.duckdb")
    try:
        ingestor = Ingestor(store, ExtractorSpec().build(), Settings(db_path=store.path))
        entries = list(iter_entries(SynthConfig(articles=12, sources=2, seed=3)))
        ingestor.ingest(entries[0].feed, entries)
        ids = [r[0] for r in store.con.execute("SELECT id FROM articles").fetchall()]
        with pytest.raises(duckdb.CatalogException) as failed, store.transaction() as cur:
            cur.execute("DROP TABLE agg_day_quote_spread")  # the last day step writes it
            aggregates.refresh(cur, ids)
        assert any("aggregates step" in note for note in failed.value.__notes__)
        # rolled back: the table and every stored row are still there
        assert store.con.execute("SELECT count(*) FROM agg_day_quote_spread").fetchone()
        assert store.con.execute("SELECT count(*) FROM articles").fetchone()[0] == len(ids)
    finally:
        store.close()


def test_a_failed_insert_is_reported_as_itself(tmp_path) -> None:
    store = open_store(tmp_path / "m.duckdb")
    try:
        rows = pa.table({"id": ["x"], "no_such_column": [1]})
        with pytest.raises(duckdb.BinderException), store.transaction() as cur:
            insert_arrow(cur, "articles", rows)
    finally:
        store.close()
