"""Cost of `aggregates.refresh` (the pre-aggregates' upkeep in every ingest transaction) on a
batch of the newest articles, at two store sizes, so growth with the store shows; with
`--step append`, of `aggregates.append` (the derive step of new articles) instead.

    .venv/bin/python benchmarks/bench_refresh.py --db /tmp/qa/queries-1000000-365d.duckdb
    .venv/bin/python benchmarks/bench_refresh.py --smoke [--step append]

The batch's rows are already stored (as after the ingestor's inserts); each run calls the
step on their ids inside a transaction that is rolled back, so the store is not changed
(append counts them a second time there: the same rows read and written as for new ones).
The small store (10,000 articles, built like bench_queries' stores) is cached in data/bench/.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_queries import SMOKE, Size, ensure_store  # noqa: E402
from monitor import aggregates  # noqa: E402
from monitor.store import open_store  # noqa: E402

SMALL = Size(10_000, 30, sources=100)


STEPS = {"refresh": aggregates.refresh, "append": aggregates.append}


def measure(
    path: Path, batch: int, runs: int, step: str = "refresh"
) -> tuple[int, float, float, float]:
    """(articles stored, median ms, min ms, CPU ms per run) of `step` on the `batch` newest."""
    run = STEPS[step]
    store = open_store(path)
    try:
        with store.cursor() as cur:
            n = cur.execute("SELECT count(*) FROM articles").fetchall()[0][0]
            ids = [
                r[0]
                for r in cur.execute(
                    "SELECT id FROM articles ORDER BY published DESC, id LIMIT ?", [batch]
                ).fetchall()
            ]
            times, cpu = [], []
            for _ in range(runs + 1):  # the first run warms the cache and is dropped
                cur.execute("BEGIN")
                t, c = time.perf_counter(), time.process_time()
                run(cur, ids)
                times.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
                cur.execute("ROLLBACK")
        times, cpu = times[1:], cpu[1:]
        return n, statistics.median(times), min(times), statistics.median(cpu)
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", type=Path, help="the large store (default: bench_queries' 1M store)")
    p.add_argument("--small", type=Path, help="the small store (default: data/bench/)")
    p.add_argument("--batch", type=int, default=500)
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--smoke", action="store_true", help="tiny stores, 2 runs")
    p.add_argument("--step", choices=sorted(STEPS), default="refresh")
    args = p.parse_args(argv)
    if args.smoke:
        small = ensure_store(SMOKE, args.small)
        large = ensure_store(SMOKE, args.db or args.small)
        runs, batch = 2, 50
    else:
        small = ensure_store(SMALL, args.small)
        large = ensure_store(Size(1_000_000, 365), args.db)
        runs, batch = args.runs, args.batch
    print(f"{'store':<50} {'articles':>10} {'median ms':>10} {'min ms':>8} {'CPU ms':>8}")
    for path in (small, large):
        n, med, low, cpu = measure(path, batch, runs, args.step)
        print(f"{str(path):<50} {n:>10,} {med:>10.1f} {low:>8.1f} {cpu:>8.1f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
