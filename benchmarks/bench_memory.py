"""Peak RSS of the ingesting process while the store grows to N articles (default 1M).

    .venv/bin/python benchmarks/bench_memory.py --articles 1000000 --days 14 --workers 2
    .venv/bin/python benchmarks/bench_memory.py --prefill data/bench/queries-1000000-365d.duckdb \
        --articles 250000 --days 3 --workers 2
    .venv/bin/python benchmarks/bench_memory.py --smoke

Feed files are generated in chunks into a scratch folder, imported through the real path
(import_files → Ingestor, one long-lived Ingestor as in the poller) and deleted, so disk
holds one chunk at a time. After every chunk one line reports articles stored, throughput
of the chunk, current and peak RSS, story-index size and database size: memory must level
off once the story window (7 days) is full. Peak RSS counts this process only; pool
workers are reported separately (their own peak).

`--prefill STORE` starts from a copy of an existing store (e.g. bench_queries' 1M-article
store, built in SQL in minutes) and ingests `--articles` more on top through the same path:
the poller's memory with 1M articles already stored, without ingesting all of them first.
With `--days 3` all new articles fall in the story window, so the story index reaches its
cap (`--story-max`, 200k) when more than that many are ingested.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitor.config import Settings  # noqa: E402
from monitor.importer import import_files  # noqa: E402
from monitor.ingest import Ingestor  # noqa: E402
from monitor.parallel import ExtractorSpec, ProcessPool  # noqa: E402
from monitor.runtime import build_extractor  # noqa: E402
from monitor.store import open_store  # noqa: E402
from monitor.synth import SynthConfig, write_feeds  # noqa: E402


def rss_mb(pid: int | str = "self") -> tuple[float, float]:
    """(current, peak) resident set size in MB from /proc (VmRSS, VmHWM)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


def worker_peak_mb(pool: ProcessPool | None) -> float:
    if pool is None:
        return 0.0
    pids = pool.pids()
    return max((rss_mb(pid)[1] for pid in pids if Path(f"/proc/{pid}").exists()), default=0.0)


def run(args: argparse.Namespace) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="bench-memory-", dir=args.scratch))
    db = scratch / "memory.duckdb"
    if args.prefill:
        t = time.perf_counter()
        shutil.copy(args.prefill, db)
        print(f"prefilled from {args.prefill} ({time.perf_counter() - t:.0f} s)", flush=True)
    settings = Settings(
        db_path=db, duckdb_memory_limit=args.memory_limit or None, story_max_entries=args.story_max
    )
    t = time.perf_counter()
    store = open_store(db, memory_limit=settings.duckdb_memory_limit)
    print(f"store open (migrations included): {time.perf_counter() - t:.0f} s, "
          f"{store.count_articles():,} articles, RSS {rss_mb()[0]:,.0f} MB", flush=True)  # fmt: skip
    pool = ProcessPool(ExtractorSpec(), args.workers) if args.workers else None
    extractor = pool.extractor if pool else build_extractor(settings)
    ingestor = Ingestor(store, extractor, settings, **({"pool": pool} if pool else {}))
    cfg = SynthConfig(articles=args.articles, days=args.days, sources=args.sources)
    if args.prefill:  # after the stored articles: the story window then holds the new ones
        # fetchall, not fetchone: a result left unexhausted keeps its read transaction open on
        # store.con, and after the writer's first committed UPDATE (upserts) no checkpoint
        # can run ("other write transactions active"), the automatic ones included. Runs
        # before bbec02e never touched store.con again: the WAL and DuckDB's un-checkpointed
        # rows grew all run and the derive ran out of memory_limit at ~1.05M stored.
        newest = store.con.execute("SELECT max(published) FROM articles").fetchall()[0][0]
        cfg = replace(cfg, start=newest + timedelta(hours=1))
    print(f"target: {args.articles} articles over {args.days} days, {args.sources} sources, "
          f"workers={args.workers}, chunk={args.chunk_files} files, "
          f"memory_limit={settings.duckdb_memory_limit}, story cap={args.story_max}",
          flush=True)  # fmt: skip
    t_start = time.perf_counter()
    chunk: list[Path] = []
    try:
        for path in write_feeds(cfg, scratch / "feeds"):
            chunk.append(path)
            if len(chunk) >= args.chunk_files:
                _import_chunk(chunk, ingestor, store, pool, db)
                chunk = []
        if chunk:
            _import_chunk(chunk, ingestor, store, pool, db)
        total = store.count_articles()
        wall = time.perf_counter() - t_start
        print(f"stored: {total} articles in {wall:,.0f} s ({total / wall:,.0f} articles/s "
              "including generation)")  # fmt: skip
        print(f"peak RSS: {rss_mb()[1]:,.0f} MB (main process); "
              f"worker peak {worker_peak_mb(pool):,.0f} MB")  # fmt: skip
    finally:
        if pool:
            pool.close()
        store.close()
        shutil.rmtree(scratch, ignore_errors=True)


def _import_chunk(chunk: list[Path], ingestor: Ingestor, store, pool, db: Path) -> None:
    t0 = time.perf_counter()
    reports = import_files(chunk, ingestor)
    dt = time.perf_counter() - t0
    items = sum(r.result.new + r.result.updated for r in reports if r.result)
    for p in chunk:
        p.unlink()
    now, peak = rss_mb()
    print(f"articles {store.count_articles():>9,}  chunk {items / dt:6,.0f}/s  "
          f"RSS {now:6,.0f} MB  peak {peak:6,.0f} MB  workers {worker_peak_mb(pool):5,.0f} MB  "
          f"story index {len(ingestor.stories):>7,}  db {db.stat().st_size / 1e9:5.2f} GB",
          flush=True)  # fmt: skip
    wal = db.with_name(db.name + ".wal")  # un-checkpointed commits (checkpoint_threshold)
    wal_mb = wal.stat().st_size / 2**20 if wal.exists() else 0.0
    print(f"  duckdb memory: {duckdb_memory(store)}; wal {wal_mb:,.0f} MB", flush=True)


def duckdb_memory(store) -> str:
    """DuckDB's own accounting by tag (what fills its memory_limit), largest first, MB."""
    rows = store.con.execute(
        "SELECT tag, memory_usage_bytes FROM duckdb_memory() WHERE memory_usage_bytes > 0 "
        "ORDER BY 2 DESC"
    ).fetchall()
    return ", ".join(f"{tag} {size / 2**20:,.0f}" for tag, size in rows) or "-"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--sources", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-files", type=int, default=400, help="files per import chunk")
    parser.add_argument("--scratch", default=None, help="folder for the database and feeds")
    parser.add_argument(
        "--memory-limit",
        default=Settings.duckdb_memory_limit,
        help="DuckDB memory_limit ('' for DuckDB's default, 80%% of RAM)",
    )
    parser.add_argument(
        "--story-max",
        type=int,
        default=Settings.story_max_entries,
        help="story index cap (entries)",
    )
    parser.add_argument("--prefill", type=Path, help="start from a copy of this store")
    parser.add_argument("--smoke", action="store_true", help="tiny run (300 articles)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.articles, args.sources, args.chunk_files, args.workers = 300, 10, 4, 0
    run(args)


if __name__ == "__main__":
    main()
