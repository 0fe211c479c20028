import subprocess
import sys
import textwrap

import duckdb
import pytest

from monitor.store import (
    CHECKPOINT_THRESHOLD,
    LATEST_VERSION,
    DatabaseLocked,
    SchemaTooNew,
    StoreError,
    open_store,
    schema_version,
)


def test_fresh_database_is_migrated_and_versioned(db_path):
    store = open_store(db_path)
    assert schema_version(store.con) == LATEST_VERSION
    assert store.count_articles() == 0
    store.close()
    again = open_store(db_path)  # re-opening applies nothing twice
    assert again.query("count_articles") == [(0,)]
    rows = again.con.execute("SELECT count(*) FROM schema_version").fetchone()[0]
    assert rows == LATEST_VERSION
    again.close()


def test_newer_schema_is_refused_and_left_untouched(db_path):
    open_store(db_path).close()
    con = duckdb.connect(str(db_path))
    con.execute("INSERT INTO schema_version VALUES (999, now()::TIMESTAMP)")
    con.close()
    before = db_path.read_bytes()
    with pytest.raises(SchemaTooNew, match="999"):
        open_store(db_path)
    assert db_path.read_bytes() == before


def test_corrupt_file_gives_clear_error_and_is_kept(tmp_path):
    path = tmp_path / "bad.duckdb"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="bad.duckdb"):
        open_store(path)
    assert path.read_bytes() == b"this is not a database" * 100


def test_second_process_gets_lock_message_naming_holder(db_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, time, duckdb
            con = duckdb.connect({str(db_path)!r})
            print("ready", flush=True)
            sys.stdin.read()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(DatabaseLocked, match=f"process {holder.pid}"):
            open_store(db_path)
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)


def test_transaction_rolls_back_on_error(db_path):
    store = open_store(db_path)
    with pytest.raises(RuntimeError), store.transaction() as cur:
        cur.execute("INSERT INTO learned_boilerplate VALUES ('f', 'k', 't', now()::TIMESTAMP)")
        raise RuntimeError("boom")
    assert store.con.execute("SELECT count(*) FROM learned_boilerplate").fetchone()[0] == 0
    store.close()


def _threshold(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("SELECT current_setting('checkpoint_threshold')").fetchone()[0]


def test_writer_checkpoints_at_the_raised_wal_threshold(db_path):
    """A read-write store checkpoints when its WAL reaches CHECKPOINT_THRESHOLD, not at
    DuckDB's 16MB; what a transaction wrote is read back after a reopen."""
    default = duckdb.connect()
    stock = _threshold(default)
    default.execute(f"SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")
    wanted = _threshold(default)
    default.close()
    store = open_store(db_path)
    assert _threshold(store.con) == wanted != stock
    with store.transaction() as cur:
        cur.execute("INSERT INTO feed_state (feed) VALUES ('f')")
    store.close()
    reopened = open_store(db_path, read_only=True)
    assert reopened.query("feed_states")[0][0] == "f"
    reopened.close()
