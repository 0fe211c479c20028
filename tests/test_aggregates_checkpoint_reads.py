"""Why the derive step's DuckDB memory grew without bound in bench_memory --prefill: a
result left unexhausted (``execute(...).fetchone()`` on a query) keeps its read transaction
open on that connection, and once a writer has committed an UPDATE (the ingest's upserts) no
checkpoint can run, so the WAL and the un-checkpointed rows (DuckDB's IN_MEMORY_TABLE) pile up
in memory_limit. A long-lived connection must exhaust or close its results (fetchall, or a
cursor closed after use). Real DuckDB file, no timing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest


def _checkpoint_after_an_update(tmp_path: Path, read) -> None:
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    try:
        con.execute("CREATE TABLE t AS SELECT range AS i, 0 AS v FROM range(1000)")
        con.execute("CHECKPOINT")
        reader = con.cursor()
        read(reader)
        with con.cursor() as writer:
            writer.execute("BEGIN")
            writer.execute("UPDATE t SET v = v + 1 WHERE i < 10")
            writer.execute("COMMIT")
        with con.cursor() as other:
            other.execute("CHECKPOINT")
        reader.close()
    finally:
        con.close()


def test_an_exhausted_result_lets_checkpoints_run(tmp_path: Path) -> None:
    _checkpoint_after_an_update(tmp_path, lambda c: c.execute("SELECT max(i) FROM t").fetchall())


def test_an_unexhausted_result_blocks_checkpoints(tmp_path: Path) -> None:
    with pytest.raises(duckdb.TransactionException, match="other write transactions"):
        _checkpoint_after_an_update(
            tmp_path, lambda c: c.execute("SELECT max(i) FROM t").fetchone()
        )
