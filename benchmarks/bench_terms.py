"""Cost of keeping the keyword index (monitor/terms.py) in step at ingest, and its size.

    .venv/bin/python benchmarks/bench_terms.py --db /tmp/qk/queries-1000000-365d.duckdb
    .venv/bin/python benchmarks/bench_terms.py --smoke --db /tmp/x.duckdb   # tiny store

Works on a store built by bench_queries.py (a copy: the index is rebuilt there if it is not in
step). Each run writes a batch the way the ingestor does, in one transaction that is rolled
back: `--batch` new articles (copies of stored texts under new ids) inserted, or the same
number of stored articles updated (deleted and inserted again), then `terms.refresh` on
their ids; only refresh is timed. CPU time is the process's (DuckDB's threads included).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from monitor import terms  # noqa: E402
from monitor.store import delete_ids, open_store  # noqa: E402

COLUMNS = (
    "feed, guid, url, title, published, published_source, fetched_at, updated_at, author, "
    "language, summary, raw_content, raw_kind, content_hash, text, story_id, story_similarity"
)


def _smoke_store(path: Path) -> None:
    store = open_store(path)
    with store.transaction() as cur:
        cur.execute(
            f"""
            INSERT INTO articles (id, {COLUMNS})
            SELECT 's' || i, 'feed', NULL, NULL, 'Title ' || i, TIMESTAMP '2024-01-01'
                   + to_minutes(i), 'published', TIMESTAMP '2024-01-01',
                   TIMESTAMP '2024-01-01', NULL, 'en', NULL, NULL, 'html', 'h',
                   repeat('grain corridor talks on wheat ' || i || '. ', 20), NULL, NULL
            FROM range(400) t(i)
            """  # noqa: S608 (our column list)
        ).fetchall()
        terms.rebuild(cur)
    store.close()


def _new_batch(cur, n: int, run: int) -> list[str]:
    """Insert n copies of the newest articles' rows under new ids; return the ids."""
    cur.execute(
        f"""
        INSERT INTO articles (id, {COLUMNS})
        SELECT 'bench{run}-' || row_number() OVER (), {COLUMNS}
        FROM (SELECT * FROM articles ORDER BY rowid DESC LIMIT $n)
        """,  # noqa: S608 (our column list)
        {"n": n},
    ).fetchall()
    return [f"bench{run}-{i}" for i in range(1, n + 1)]


def _updated_batch(cur, n: int) -> list[str]:
    """Delete n stored articles (spread over the store) and insert them again; return ids."""
    rows = cur.execute(
        "SELECT id FROM articles ORDER BY hash(id, 'bench') LIMIT $n", {"n": n}
    ).fetchall()
    ids = [r[0] for r in rows]
    cur.execute("CREATE OR REPLACE TEMP TABLE _keep AS SELECT * FROM articles WHERE false")
    cur.execute("INSERT INTO _keep SELECT * FROM articles WHERE id = ANY($ids)", {"ids": ids})
    delete_ids(cur, ("articles",), ids)
    cur.execute("INSERT INTO articles SELECT * FROM _keep").fetchall()
    return ids


def measure(store, kind: str, batch: int, runs: int) -> list[tuple[float, float]]:
    out = []
    for run in range(runs):
        cur = store.cursor()
        cur.execute("BEGIN")
        try:
            ids = _new_batch(cur, batch, run) if kind == "new" else _updated_batch(cur, batch)
            wall, cpu = time.perf_counter(), time.process_time()
            terms.refresh(cur, ids)
            out.append((time.perf_counter() - wall, time.process_time() - cpu))
        finally:
            cur.execute("ROLLBACK")
            cur.close()
    return out


def index_size(cur) -> dict[str, int]:
    """Bytes of storage blocks used by each index table (256 KiB blocks)."""
    sizes = {}
    for table in ("terms_docs", "terms_postings", "articles"):
        blocks = cur.execute(
            "SELECT count(DISTINCT block_id) FROM pragma_storage_info($t) WHERE block_id >= 0",
            {"t": table},
        ).fetchall()[0][0]
        sizes[table] = blocks * 262144
    return sizes


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", type=Path, required=True, help="a copy of a bench_queries store")
    p.add_argument("--smoke", action="store_true", help="build a tiny store at --db first")
    p.add_argument("--batch", type=int, default=500)
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args(argv)
    if args.smoke:
        args.db.unlink(missing_ok=True)
        _smoke_store(args.db)
        args.batch, args.runs = min(args.batch, 50), min(args.runs, 2)
    store = open_store(args.db)
    try:
        with store.cursor() as cur:
            n = cur.execute("SELECT count(*) FROM articles").fetchall()[0][0]
            if not terms.in_step(cur):
                t = time.perf_counter()
                cur.execute("BEGIN")
                rows = terms.rebuild(cur)
                cur.execute("COMMIT")
                print(
                    f"rebuilt the index: {rows:,} postings rows in {time.perf_counter() - t:.0f} s"
                )
            sizes = index_size(cur)
        print(f"store: {args.db} — {n:,} articles; batch {args.batch}, {args.runs} runs")
        print("sizes (MB): " + ", ".join(f"{k} {v / 1e6:.1f}" for k, v in sizes.items()))
        for kind in ("new", "update"):
            times = measure(store, kind, args.batch, args.runs)
            cpu = statistics.median(c for _, c in times) * 1000
            wall = statistics.median(w for w, _ in times) * 1000
            print(
                f"refresh {kind:<6}: median {wall:.1f} ms wall, {cpu:.1f} ms CPU per batch = "
                f"{cpu / args.batch:.3f} ms CPU per article"
            )
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
