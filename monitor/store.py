"""The DuckDB store: opening (with a clear message when another process holds the file),
numbered migrations, and bulk writes — one transaction per feed batch, through Arrow.

DuckDB allows one read-write process; inside it, every thread works on its own `cursor()`.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from monitor import sql
from monitor.stored_ids import StoredIds

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class StoreError(RuntimeError):
    """A store problem the user can act on; the message is meant to be shown as is."""


class DatabaseLocked(StoreError):
    pass


class SchemaTooNew(StoreError):
    pass


def migrations() -> list[tuple[int, Path]]:
    found = [(int(p.name.split("_", 1)[0]), p) for p in MIGRATIONS_DIR.glob("[0-9]*_*.sql")]
    return sorted(found)


LATEST_VERSION = migrations()[-1][0]


def _holder(message: str) -> str:
    pid = re.search(r"PID (\d+)", message)
    if not pid:
        return "another process"
    try:
        cmd = Path(f"/proc/{pid.group(1)}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        cmd = ""
    cmd = " ".join(cmd.split())[:100]  # one line, whatever the holder's argv holds
    return f"process {pid.group(1)}" + (f" ({cmd})" if cmd else "")


_MEMORY = re.compile(r"\d+(\.\d+)?\s*[KMGT]i?B", re.IGNORECASE)

# WAL size at which a commit checkpoints (DuckDB's default: 16MB). The ingest writes ~37 KB
# of WAL per article (rows, derived cells, postings), so at 16MB every 500-article transaction
# checkpointed, each time compressing and rewriting the tables' partly filled row groups
# again; at 1M stored a checkpoint also has a fixed cost of its own (~0.2 s). 64MB, importing
# corpus A sequentially into a copy of the 1M store: the write path plus the final checkpoint
# 2.2 -> 1.95 CPU ms/item, COMMIT 0.70 -> 0.48; into a fresh store COMMIT drops by only
# 0.04-0.07 (/work/notes/dbwrite.md). The price: up to 64MB of WAL to replay after a crash
# (~0.3 s of CPU) and as much un-checkpointed data in the buffer pool (bench_memory's peak
# RSS at 1M: 1,216 vs 1,206 MB).
# 256MB was tried in round 8 and not kept: at 64MB the commits that checkpoint are most of
# an import's COMMIT time (20k articles / 300 sources: 9 of 39 commits, one per ~1,000
# articles, 12.6 of 16.9 s; 0.4 s at 2.5k stored, 0.9-2.5 s at 10-20k; the other commits
# 40-350 ms), and 256MB cut that checkpoint work 28.8 -> 13.2 s (final checkpoint included,
# one pair); but bench_ingest, alternating against 64MB, gained nothing: main process 2.92 vs
# 3.22 and 3.14 vs 3.10 CPU ms/item, DuckDB's own threads 1.01/1.09 -> 1.25/1.18 (the
# derive probably reads more un-checkpointed rows), and a larger checkpoint at close. RSS was
# not the limit (bench_memory --prefill 1M + 30k: 1,034 vs 1,047 MB; memory_limit bounds it).
CHECKPOINT_THRESHOLD = "64MB"

# Row-group merges ("vacuum tasks") a checkpoint may run per table. A derive step deletes and
# re-inserts the cells it recomputes, so the derived tables' row groups keep thinning, and at
# DuckDB's default (100) nearly every checkpoint merged some of them again: most of its cost.
# Round 9, one derive-sized transaction on a 20k-article store, then CHECKPOINT: 1.5-1.7 s of
# CPU at 100 tasks, 0.78-0.84 at 1-5, 0.21 at 0. So the writer's automatic checkpoints
# (inside a COMMIT) merge nothing (a fully deleted row group is still dropped), and the
# ingestor lets the checkpoints of an ingest call's closing compaction merge, and takes one
# right after it, once VACUUM_EVERY_ITEMS articles were written since the last time
# (`Store.vacuuming`, monitor/ingest.py), which bounds the deleted rows the derive's scans
# step over.
VACUUM_TASKS = 100

# DuckDB worker threads for a process that only writes: the poller or an import run from the
# command line, with no dashboard page reading through the same instance. DuckDB's `threads`
# is instance-wide (it cannot be set per connection), so the dashboard, whose background
# poller shares its instance, keeps DuckDB's default (one per core) for its queries. With
# one thread every statement runs in the calling thread: the writer's inserts, derive step
# and checkpoints cost less CPU in all than when DuckDB splits them over its worker threads
# (whose CPU the writer thread does not see). bench_ingest's import with 2 workers, 3
# alternating pairs at load 8-22: 20k articles / 300 sources, main process 3.04 -> 2.80 CPU
# ms/item (median; DuckDB's own threads used 0.93-1.10 of it, the writer thread gains
# ~0.75); corpus A 1.65/1.75 -> 1.56/1.51; peak RSS unchanged (840-852 MB at 20k; 962 vs
# 968 MB importing 20k into the 1M store). Wall time under load was noise either way; on a
# quieter machine (round 7's lead, 2 alternating pairs at 20k) it was slower: 215/253 items/s
# vs 274/269 with the default, as the writer thread then does all the DuckDB work and caps
# the import. So `monitor import`/`poll` keep the default; bench_ingest --duckdb-threads 1
# and open_runtime(writer_only=True) keep the option measurable.
WRITER_THREADS = 1


def connect(
    path: Path,
    read_only: bool = False,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the database file, creating its folder; raise DatabaseLocked with who holds it.
    ``memory_limit`` (e.g. "512MB") caps DuckDB's buffer cache (default: 80% of RAM). It is
    SET after connecting, not passed as connect config: DuckDB refuses a second connection
    to the same file with another config, and other code in the process opens one.
    ``threads`` sets DuckDB's worker threads for the whole process (default: one per core;
    see WRITER_THREADS)."""
    path = Path(path)
    if memory_limit and not _MEMORY.fullmatch(memory_limit):
        raise StoreError(f"memory limit {memory_limit!r} is not a size such as 512MB")
    if threads is not None and (type(threads) is not int or threads < 1):
        raise StoreError(f"DuckDB threads {threads!r} is not a positive whole number")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
        if memory_limit:
            con.execute(f"SET memory_limit = '{memory_limit}'")  # checked against _MEMORY
        if not read_only:  # database-wide settings; only writers checkpoint
            con.execute(f"SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")
            con.execute("SET max_vacuum_tasks = 0")  # see VACUUM_TASKS
        if threads is not None:
            con.execute(f"SET threads = {threads}")  # checked to be an int above
        return con
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseLocked(
                f"database {path} is in use by {_holder(str(exc))}; "
                "stop it or point --db / MONITOR_DB at another file"
            ) from None
        raise StoreError(f"cannot open database {path}: {exc}") from None


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    applied = applied_versions(con)
    return max(applied, default=0)


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    # fetchall: a result left unread keeps a read transaction open, which blocks checkpoints
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchall()[0][0]
    if not exists:
        return set()
    return {row[0] for row in con.execute("SELECT version FROM schema_version").fetchall()}


def migrate(con: duckdb.DuckDBPyConnection, path: Path | str = "") -> int:
    """Apply every numbered migration the database lacks, in order, each in its own
    transaction; return the version. A missing version below the highest one is applied
    too (a database that got a later migration before an earlier one was written)."""
    applied = applied_versions(con)
    current = max(applied, default=0)
    if current > LATEST_VERSION:
        raise SchemaTooNew(
            f"database {path} has schema version {current}, newer than this program's "
            f"{LATEST_VERSION}; upgrade the program (the file was left untouched)"
        )
    for version, file in migrations():
        if version not in applied:
            _apply(con, version, file)
    return max(current, LATEST_VERSION)


def _apply(con: duckdb.DuckDBPyConnection, version: int, file: Path) -> None:
    # (some rebuild a table: 011 takes ~2 minutes at 1M stored articles; say why we wait)
    log.info("applying schema migration %s", file.name)
    started = time.monotonic()
    con.execute("BEGIN")
    try:
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
        )
        con.execute(file.read_text(encoding="utf-8"))
        con.execute("INSERT INTO schema_version VALUES (?, now()::TIMESTAMP)", [version])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    log.info("schema migration %s applied in %.1f s", file.name, time.monotonic() - started)


def open_store(
    path: Path,
    read_only: bool = False,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> Store:
    con = connect(path, read_only=read_only, memory_limit=memory_limit, threads=threads)
    try:
        if read_only:
            _check_readable(con, path)
        else:
            migrate(con, path)
    except duckdb.Error as exc:
        con.close()
        raise StoreError(f"database {path} is not a usable monitor database: {exc}") from None
    except StoreError:
        con.close()
        raise
    return Store(con, Path(path))


def _check_readable(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    applied = applied_versions(con)
    version = max(applied, default=0)
    if version > LATEST_VERSION:
        raise SchemaTooNew(f"database {path} has schema version {version}, newer than this program")
    if any(v not in applied for v, _ in migrations()):
        raise StoreError(f"database {path} needs migrating: open it once read-write")


@dataclass
class Store:
    con: duckdb.DuckDBPyConnection
    path: Path
    # the ids that may be stored (monitor.stored_ids), read when first asked for
    _ids: StoredIds | None = field(default=None, init=False, repr=False)
    _ids_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A connection for the calling thread to the same database instance."""
        return self.con.cursor()

    def stored_ids(self) -> StoredIds:
        """The filter of stored article ids, shared by every ingestor of this store; the
        ingestor keeps it up to date with what it writes."""
        with self._ids_lock:
            if self._ids is None:
                with self.cursor() as cur:
                    self._ids = StoredIds.load(cur)
            return self._ids

    def forget_ids(self) -> None:
        """Articles were written other than by the ingestor: read the filter again."""
        with self._ids_lock:
            self._ids = None

    def close(self) -> None:
        self.con.close()

    @contextmanager
    def vacuuming(self) -> Iterator[None]:
        """Checkpoints in the block (a COMMIT past the threshold) and one at its end merge the
        row groups that deletes have thinned (VACUUM_TASKS), which other checkpoints skip.
        The one at the end does nothing when the block's last commit checkpointed; DuckDB
        merges nothing while another transaction is open (it checkpoints without)."""
        with self.cursor() as cur:
            cur.execute(f"SET max_vacuum_tasks = {VACUUM_TASKS}")
            try:
                yield
                cur.execute("CHECKPOINT")
            finally:
                cur.execute("SET max_vacuum_tasks = 0")

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self.cursor()
        cur.execute("BEGIN")
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        finally:
            cur.close()

    def query(self, name: str, **params) -> list[tuple]:
        with self.cursor() as cur:
            return sql.execute(cur, name, **params).fetchall()

    def query_df(self, name: str, **params):
        with self.cursor() as cur:
            return sql.execute(cur, name, **params).df()

    def count_articles(self) -> int:
        return self.query("count_articles")[0][0]


def insert_arrow(cur: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    """Bulk-append an Arrow table whose column names match the target table's."""
    if rows.num_rows == 0:
        return
    view = f"_incoming_{table}"
    with sql.registered(cur, **{view: rows}):
        cols = ", ".join(rows.column_names)
        cur.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {view}")  # noqa: S608 (identifiers are ours)


def delete_ids(cur: duckdb.DuckDBPyConnection, tables: Sequence[str], ids: Sequence[str]) -> None:
    """Delete rows of the given articles from each table (an update rewrites them)."""
    if not ids:
        return
    with sql.registered(cur, _ids=pa.table({"id": pa.array(list(ids), pa.string())})):
        for table in tables:
            key = "id" if table == "articles" else "article_id"
            cur.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT id FROM _ids)")  # noqa: S608


def utcnow() -> datetime:
    """Naive UTC now: the store keeps every time as naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)
