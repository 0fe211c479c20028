"""Prints digests of what the compiled modules compute, for tests/test_speedups.py.

Run it as a script, once as is and once with MONITOR_PURE_PYTHON=1: equal output means the
compiled modules (speedups.py) compute what the plain ones do. It also prints the files the
ingest path's modules were loaded from, so the caller can tell which kind ran.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
import tempfile
from pathlib import Path

from monitor import aggregates, clean, ingest, parallel, stories
from monitor.config import Settings
from monitor.extract import quotes
from monitor.ingest import Batch, Ingestor
from monitor.models import FeedEntry
from monitor.store import open_store
from monitor.synth import SynthConfig, iter_entries

SEED = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "seed-menafn-kremlin.txt"
# columns that hold the time of the run, not a result
RUN_TIME_COLUMNS = {"fetched_at", "updated_at", "first_seen", "last_seen", "learned_at", "at"}


def _digest(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def _worker_path(entries: list[FeedEntry], extractor) -> dict[str, str]:
    keyed = parallel._clean_slim_items(entries[:60], extractor, frozenset())
    learned = frozenset(k for _, _, keys in keyed for k in keys[:2])  # some learned keys
    return {
        "clean_slim": _digest(keyed),
        "process_keyed": _digest(parallel._process_keyed_items(entries, extractor, frozenset())),
        "process_learned": _digest(parallel._process_slim_items(entries, extractor, learned)),
        "sketches": _digest(stories.sketch_many([e.title or "" for e in entries])),
    }


def _seed(extractor) -> dict[str, str]:
    if not SEED.exists():
        return {}
    cleaned = clean.clean_document(SEED.read_text(encoding="utf-8"))
    return {
        "seed_clean": _digest(cleaned),
        "seed_extract": _digest(extractor.extract(cleaned.text)),
    }


def _batches(entries: list[FeedEntry]) -> list[Batch]:
    """Per feed, batches of 20; every third repeats the last one's final 4 entries with a
    changed body (updates) so re-cleaning and re-deriving run too."""
    out: list[Batch] = []
    ordered = sorted(entries, key=lambda e: (e.feed, e.published))
    for i in range(0, len(ordered), 20):
        chunk = list(ordered[i : i + 20])
        if out and len(out) % 3 == 0 and out[-1].feed == chunk[0].feed:
            again = [
                dataclasses.replace(e, raw_content=e.raw_content + "<p>Fix.</p>")
                for e in out[-1].entries[-4:]
            ]
            chunk = again + chunk
        out.append(Batch(chunk[0].feed, tuple(chunk)))
    return out


def _stored(entries: list[FeedEntry], extractor) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.duckdb"
        store = open_store(db)
        try:
            ingestor = Ingestor(store, extractor, Settings(db_path=db, learn_min_articles=5))
            for _ in ingestor.ingest_many(_batches(entries)):
                pass
            ingestor.compact()
            with store.cursor() as cur:
                tables = ["articles", "mentions", "quotes", "removed_spans", "learned_boilerplate"]
                return {t: _table(cur, t) for t in [*tables, *aggregates.TABLES, "terms_postings"]}
        finally:
            store.close()


def _table(cur, table: str) -> str:
    columns = [r[0] for r in cur.execute(f"DESCRIBE {table}").fetchall()]  # noqa: S608 (ours)
    kept = ", ".join(f'"{c}"' for c in columns if c not in RUN_TIME_COLUMNS)
    rows = sorted(map(repr, cur.execute(f"SELECT {kept} FROM {table}").fetchall()))  # noqa: S608
    return f"{len(rows)} rows {_digest(rows)}"


def main() -> None:
    entries = list(iter_entries(SynthConfig(articles=int(sys.argv[1]), sources=6, seed=5)))
    extractor = parallel.ExtractorSpec().build()
    out = {
        "loaded_from": {m.__name__: Path(m.__file__).suffix for m in (clean, ingest, quotes)},
        **_worker_path(entries, extractor),
        **_seed(extractor),
        **_stored(entries, extractor),
    }
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main()
