"""DuckDB's worker threads: a writer-only runtime (command-line poll / import) runs DuckDB with
WRITER_THREADS threads and stores exactly what a runtime with DuckDB's default stores."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from monitor.config import Settings
from monitor.importer import import_files
from monitor.runtime import open_runtime
from monitor.store import WRITER_THREADS, StoreError, open_store
from monitor.synth import SynthConfig, write_feeds
from tests.test_ingest_pipeline import _derived as derived_rows
from tests.test_parallel import _dump

CFG = SynthConfig(articles=120, sources=3, seed=7, items_per_file=20)


def _threads(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT current_setting('threads')").fetchall()[0][0])


def test_threads_are_duckdbs_default_unless_asked(tmp_path) -> None:
    default = duckdb.connect()
    stock = _threads(default)
    default.close()
    store = open_store(tmp_path / "d.duckdb")
    assert _threads(store.con) == stock
    store.close()
    store = open_store(tmp_path / "d.duckdb", threads=1)
    assert _threads(store.con) == 1
    store.close()


@pytest.mark.parametrize("bad", [0, -2, 1.5, "1", True])
def test_threads_must_be_a_positive_whole_number(tmp_path, bad) -> None:
    with pytest.raises(StoreError, match="threads"):
        open_store(tmp_path / "bad.duckdb", threads=bad)


def _derived(db: Path) -> dict[str, list[tuple]]:
    """Pre-aggregates and the keyword index (term, article id) as stored."""
    store = open_store(db, read_only=True)
    try:
        return derived_rows(store)
    finally:
        store.close()


def _import(db: Path, paths: list[Path], writer_only: bool) -> int:
    """Import through the runtime (as `monitor import` does); DuckDB's threads seen."""
    rt = open_runtime(Settings(db_path=db, ingest_workers=0), writer_only=writer_only)
    try:
        threads = _threads(rt.store.con)
        reports = import_files(paths, rt.ingestor)
        assert not [r for r in reports if r.error]
        return threads
    finally:
        rt.close()


def test_a_writer_only_runtime_stores_the_same_rows_with_one_thread(tmp_path) -> None:
    paths = list(write_feeds(CFG, tmp_path / "feeds"))
    paths.append(paths[0])  # the same file again: nothing changes
    assert _import(tmp_path / "one.duckdb", paths, writer_only=True) == WRITER_THREADS == 1
    assert _import(tmp_path / "default.duckdb", paths, writer_only=False) >= 1
    base = _dump(tmp_path / "default.duckdb")
    assert len(base["articles"]) == CFG.articles and base["mentions"]
    assert _dump(tmp_path / "one.duckdb") == base
    assert _derived(tmp_path / "one.duckdb") == _derived(tmp_path / "default.duckdb")
