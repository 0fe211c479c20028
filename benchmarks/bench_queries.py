"""Latency of every query behind every dashboard page, on a year-sized store.

    .venv/bin/python benchmarks/bench_queries.py                 # 1M articles, 20 runs each
    .venv/bin/python benchmarks/bench_queries.py --smoke         # tiny store, 2 runs each
    .venv/bin/python benchmarks/bench_queries.py --only series   # cases whose name contains it

The store is generated directly with DuckDB SQL (`range()` + hashing), not through the
pipeline: 1M articles over 365 days from 300 sources with long-tailed volumes, ~10 mentions
per article (~250 countries, ~300 officials, long tails), ~1 quote per article (~300
speakers), 10% syndicated copies sharing the story of an earlier article, ~2 KB of text per
article built from a pool of sentences (so keyword search scans a realistic amount of
text). The file is cached under data/bench/ and reused; delete it to rebuild.

Each case runs the same code path the page runs (`dashboard.page_query`: filtered ids, then
the named query) without Streamlit's cache, i.e. what a page costs after new data arrived.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from monitor import aggregates, dashboard, terms  # noqa: E402
from monitor.filters import Filters  # noqa: E402
from monitor.store import open_store  # noqa: E402

CACHE = REPO / "data" / "bench"
SENTENCES = 4000
WORDS = [
    "government",
    "minister",
    "talks",
    "border",
    "trade",
    "energy",
    "grain",
    "corridor",
    "sanctions",
    "sanctioned",
    "sanction",
    "ceasefire",
    "election",
    "parliament",
    "vote",
    "budget",
    "inflation",
    "central",
    "bank",
    "rates",
    "summit",
    "delegation",
    "agreement",
    "treaty",
    "security",
    "council",
    "resolution",
    "troops",
    "drills",
    "shipment",
    "exports",
    "imports",
    "pipeline",
    "gas",
    "oil",
    "prices",
    "protest",
    "court",
    "ruling",
    "appeal",
    "president",
    "prime",
    "ministry",
    "spokesperson",
    "statement",
    "visit",
    "meeting",
    "embassy",
    "envoy",
    "aid",
    "refugees",
    "humanitarian",
    "flood",
    "drought",
    "harvest",
    "wheat",
    "fertiliser",
    "port",
    "strike",
    "union",
    "negotiations",
    "deal",
    "partners",
    "allies",
    "opposition",
    "coalition",
    "reform",
    "tax",
    "investment",
    "growth",
    "recession",
    "currency",
    "debt",
    "loan",
    "fund",
    "report",
    "week",
    "month",
    "year",
    "officials",
    "said",
]


@dataclass(frozen=True)
class Size:
    articles: int
    days: int
    sources: int = 300
    countries: int = 250
    officials: int = 300
    speakers: int = 300
    sentences_per_text: int = 12  # ~2 KB of text


FULL = Size(1_000_000, 365)
SMOKE = Size(3_000, 30, sources=20, countries=40, officials=30, speakers=20, sentences_per_text=4)


# --- building the store -------------------------------------------------------------------------


def sentence_pool(n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        words = [rnd.choice(WORDS) for _ in range(rnd.randint(18, 30))]
        out.append(" ".join(words).capitalize() + ".")
    return out


def country_codes(n: int) -> list[tuple[str, str]]:
    """Real ISO codes first (so the map draws them), then made-up ones for the long tail."""
    import pycountry

    real = [(c.alpha_2, c.name) for c in pycountry.countries]
    return (real + [(f"X{i}", f"Territory {i}") for i in range(n)])[:n]


def _long_tail(expr: str, n: int) -> str:
    """SQL for an index in [0, n) with a log-uniform (Zipf-like) distribution of `expr`,
    a hash in [0, 1): index 0 is ~n times likelier than index n-1."""
    return f"least({n - 1}, floor(exp(({expr}) * ln({n} + 1)) - 1)::INTEGER)"


def _u(*parts: str) -> str:
    """A uniform [0, 1) value from hashing the given SQL expressions."""
    return f"(hash({', '.join(parts)}) % 1000003) / 1000003.0"


def build(path: Path, size: Size, chunk: int = 100_000) -> None:
    """Create the store at `path` (schema from the real migrations), chunk by chunk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.unlink(missing_ok=True)
    store = open_store(tmp)
    cur = store.cursor()
    try:
        _dimensions(cur, size)
        end = datetime.utcnow().replace(minute=0, second=0, microsecond=0)
        start = end - timedelta(days=size.days)
        for lo in range(0, size.articles, chunk):
            hi = min(size.articles, lo + chunk)
            t = time.perf_counter()
            _chunk(cur, size, start, lo, hi)
            print(f"  built {hi:,}/{size.articles:,} articles ({time.perf_counter() - t:.1f} s)")
        _feed_state(cur, size, end)
        t = time.perf_counter()
        cells = aggregates.rebuild(cur)  # rows were written without the ingestor
        print(f"  pre-aggregates: {cells:,} cells in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        rows = terms.rebuild(cur)
        print(f"  keyword index: {rows:,} rows in {time.perf_counter() - t:.1f} s")
        cur.execute("CHECKPOINT")
    finally:
        cur.close()
        store.close()
    tmp.replace(path)


def _dimensions(cur, size: Size) -> None:
    import pyarrow as pa

    pool = sentence_pool(SENTENCES)
    cur.execute("CREATE TEMP TABLE pool AS SELECT unnest($p) AS s", {"p": pool})
    cur.execute("SET VARIABLE pool = (SELECT list(s) FROM pool)")
    codes = country_codes(size.countries)
    cur.register("_c", pa.table({"code": [c for c, _ in codes], "name": [n for _, n in codes]}))
    cur.execute("SET VARIABLE ccodes = (SELECT list(code) FROM _c)")
    cur.execute("SET VARIABLE cnames = (SELECT list(name) FROM _c)")
    cur.unregister("_c")


def _chunk(cur, size: Size, start: datetime, lo: int, hi: int) -> None:
    """Articles lo..hi-1 in time order (as the poller stores them), with their mentions and
    quotes. Article i is a copy of article `seed` (its text, entities and story) or its own
    story (seed = i)."""
    span_s = size.days * 86400
    seed = "CASE WHEN i > 50 AND hash(i, 'syn') % 10 = 0 THEN i - 1 - (hash(i, 'k') % 40)::BIGINT ELSE i END"
    src = _long_tail(_u("i", "'src'"), size.sources)
    text = (
        f"array_to_string(list_transform(range({size.sentences_per_text}), lambda j: "
        f"getvariable('pool')[(1 + hash(seed, j) % {SENTENCES})::BIGINT]), ' ')"
    )
    # generated numbers and our own SQL expressions only, no input
    cur.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE chunk AS
        SELECT i, seed, 'a' || substr(md5(i::VARCHAR), 1, 15) AS id,
               'a' || substr(md5(seed::VARCHAR), 1, 15) AS story_id,
               'Source ' || {src} AS feed,
               $start::TIMESTAMP + to_microseconds((i * {span_s}.0 / {size.articles}
                   * 1000000)::BIGINT) AS published,
               {text} AS text
        FROM (SELECT i, {seed} AS seed FROM range({lo}, {hi}) t(i))
        """,  # noqa: S608
        {"start": start},
    )
    cur.execute(
        """
        INSERT INTO articles (id, feed, guid, url, title, published, published_source,
            fetched_at, updated_at, author, language, summary, raw_content, raw_kind,
            content_hash, text, story_id, story_similarity)
        SELECT id, feed, id, 'https://news' || (i % 300) || '.example/' || id,
               'Headline ' || seed || ': ' || substr(text, 1, 60), published, 'published',
               published, published, NULL, CASE WHEN i % 10 = 0 THEN 'fr' ELSE 'en' END,
               substr(text, 1, 200), NULL, 'html', md5(id), text, story_id,
               CASE WHEN i = seed THEN 1.0 ELSE 0.9 END
        FROM chunk ORDER BY i
        """
    )
    country = _long_tail(_u("c.seed", "j", "'c'"), size.countries)
    official = _long_tail(_u("c.seed", "j", "'o'"), size.officials)
    cur.execute(
        f"""
        INSERT INTO mentions
        SELECT c.id, kind, entity_id, name, name, j * 40, j * 40 + 8, 'name',
               kind = 'official' AND entity_id < 'off-0030', c.published, c.feed, c.story_id
        FROM (
            SELECT c.*, j,
                   CASE WHEN hash(c.seed, j, 'kind') % 10 < 7 THEN 'country' ELSE 'official'
                   END AS kind,
                   CASE WHEN kind = 'country' THEN getvariable('ccodes')[1 + {country}]
                        ELSE 'off-' || lpad({official}::VARCHAR, 4, '0') END AS entity_id,
                   CASE WHEN kind = 'country' THEN getvariable('cnames')[1 + {country}]
                        ELSE 'Official ' || {official} END AS name
            FROM chunk c, range((5 + hash(c.seed, 'm') % 11)::BIGINT) r(j)
        ) c
        ORDER BY c.i, j
        """  # noqa: S608
    )
    speaker = _long_tail(_u("c.seed", "j", "'s'"), size.speakers)
    cur.execute(
        f"""
        INSERT INTO quotes (article_id, seq, text, start_pos, end_pos, speaker, speaker_id,
            speaker_kind, speaker_role, spokesperson, cue, partial, published, feed, story_id)
        SELECT c.id, j, getvariable('pool')[(1 + hash(c.seed, j, 'q') % {SENTENCES})::BIGINT],
               100 * j, 100 * j + 90, 'Speaker ' || {speaker}, NULL, 'person', NULL,
               {speaker} < 20, 'said', hash(c.seed, j) % 20 = 0, c.published, c.feed,
               c.story_id
        FROM chunk c, range((hash(c.seed, 'q') % 3)::BIGINT) r(j)
        ORDER BY c.i, j
        """  # noqa: S608
    )


def _feed_state(cur, size: Size, end: datetime) -> None:
    cur.execute(
        """
        INSERT INTO feed_state (feed, url, last_fetch_at, last_success_at, last_status,
                                failures_in_row, next_poll_at)
        SELECT feed, 'https://' || replace(lower(feed), ' ', '') || '.example/rss',
               $end, $end, 200, CASE WHEN hash(feed) % 17 = 0 THEN 3 ELSE 0 END,
               $end + INTERVAL 15 MINUTE
        FROM (SELECT DISTINCT feed FROM articles)
        """,
        {"end": end},
    )


def ensure_store(size: Size, path: Path | None = None) -> Path:
    path = path or CACHE / f"queries-{size.articles}-{size.days}d.duckdb"
    if not path.exists():
        print(f"building {path} ...")
        t = time.perf_counter()
        build(path, size)
        print(f"built in {time.perf_counter() - t:.0f} s ({path.stat().st_size / 1e9:.2f} GB)")
    return path


# --- the cases ----------------------------------------------------------------------------------

Case = Callable[[object], object]


def cases(cur, now: datetime) -> dict[str, Case]:
    """Every query a page runs, with the filters a user would typically have."""
    none = Filters()
    unique = none.unique_stories
    newest_day = now.date()
    # a country with mid-high volume (the 3rd most mentioned), like a user's typical pick
    third = cur.execute(
        "SELECT entity_id FROM mentions WHERE kind = 'country' GROUP BY entity_id "
        "ORDER BY count(*) DESC, entity_id LIMIT 1 OFFSET 2"
    ).fetchall()[0][0]  # fetched to the end: DuckDB refuses register() while a result is open
    ru = Filters(countries=(third,))
    year = Filters(start=newest_day - timedelta(days=365), end=newest_day)
    kw = Filters(query="sanction* AND (grain OR wheat) -drought")
    q = dashboard.page_query
    top_speakers = {"speakers": None, "spokes": False}
    out: dict[str, Case] = {
        "data_version": lambda c: dashboard.data_version_cur(c),
        "filter options": lambda c: q(c, "page_options", None),
        "headline": lambda c: q(c, "page_headline", none, today=_midnight(now)),
        "series country daily top10": lambda c: _series(c, none, "country", "day", unique),
        "series country hourly top10": lambda c: _series(c, none, "country", "hour", unique),
        "series country daily, copies": lambda c: _series(c, none, "country", "day", False),
        "series official daily top10": lambda c: _series(c, none, "official", "day", unique),
        "series official hourly top10": lambda c: _series(c, none, "official", "hour", unique),
        "series country daily, 1 year dates": lambda c: _series(c, year, "country", "day", unique),
        "series country daily, 1 country": lambda c: _series(c, ru, "country", "day", unique),
        "per country totals (map)": lambda c: q(
            c, "page_entity_totals", none, kind="country", unique=unique
        ),
        "per official totals": lambda c: q(
            c, "page_entity_totals", none, kind="official", unique=unique
        ),
        "co-mentions": lambda c: q(c, "page_co_mentions", none, unique=unique, limit=200),
        "movers": lambda c: q(c, "page_movers", none, now=now, unique=unique, limit=12),
        "articles per source": lambda c: q(
            c, "page_source_series", none, bucket="day", unique=unique
        ),
        "quote timeline (per speaker)": lambda c: q(
            c, "page_quote_series", none, bucket="day", unique=unique, top=8, **top_speakers
        ),
        "latest quotes": lambda c: q(c, "page_quotes", none, limit=200, **top_speakers),
        "speaker topics": lambda c: q(
            c, "page_speaker_topics", none, unique=unique, limit=30, **top_speakers
        ),
        "article page 100 newest, 1 country": lambda c: q(
            c, "page_articles", ru, sort="published", descending=True, limit=100, unique=True
        ),
        "article page 100 newest": lambda c: q(
            c, "page_articles", none, sort="published", descending=True, limit=100, unique=True
        ),
        "stories vs copies counts": lambda c: q(c, "page_article_count", none),
        "stories vs copies counts, 1 country": lambda c: q(c, "page_article_count", ru),
        "feed health": lambda c: q(c, "page_feed_health", None, now=now),
        "keyword query, 1 year": lambda c: q(c, "page_article_count", kw),
    }
    return out


def _series(cur, filters: Filters, kind: str, bucket: str, unique: bool):
    chosen = list(filters.countries) if kind == "country" and filters.countries else None
    return dashboard.page_query(
        cur,
        "page_entity_series",
        filters,
        kind=kind,
        bucket=bucket,
        unique=unique,
        top=10,
        entities=chosen,
    )


def _midnight(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def timeit(fn: Case, cur, runs: int, budget_s: float) -> tuple[float, float, int, int, float]:
    """(p50, p95) in ms after one warm-up, the result's row count, the runs made (`runs`,
    fewer but at least 3 when a case would take longer than `budget_s` in all) and the median
    CPU ms of the process (all DuckDB threads: less sensitive to a shared machine's load)."""
    result = fn(cur)
    rows = len(result) if hasattr(result, "__len__") else 1
    times: list[float] = []
    cpu: list[float] = []
    start = time.perf_counter()
    while len(times) < runs and (len(times) < 3 or time.perf_counter() - start < budget_s):
        t, c = time.perf_counter(), time.process_time()
        fn(cur)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, rows, len(times), statistics.median(cpu)


def _load() -> str:
    """The 1/5/15-minute load averages (the machine is shared: timings depend on them)."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--smoke", action="store_true", help="tiny store, 2 runs per case")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--db", type=Path, help="store to build/reuse (default: data/bench/)")
    p.add_argument("--only", default="", help="run cases whose name contains this")
    p.add_argument(
        "--cases",
        nargs="+",
        default=[],
        help="exact case names to run (names hold commas: quote each, e.g. 'co-mentions')",
    )
    p.add_argument(
        "--budget", type=float, default=60.0, help="seconds per case before runs are cut (min 3)"
    )
    args = p.parse_args(argv)
    size = SMOKE if args.smoke else FULL
    runs = 2 if args.smoke else args.runs
    chosen = set(args.cases)
    path = ensure_store(size, args.db)
    store = open_store(path)  # read-write: pending migrations (pre-aggregates) apply here
    try:
        with store.cursor() as cur:
            if not terms.in_step(cur):  # a store cached before the keyword index existed
                print("indexing the stored texts for keyword search (terms.rebuild) ...")
                with store.transaction() as tx:
                    terms.rebuild(tx)
        with store.cursor() as cur:
            now = cur.execute("SELECT max(published) FROM articles").fetchone()[0]
            n = cur.execute("SELECT count(*) FROM articles").fetchone()[0]
            m = cur.execute("SELECT count(*) FROM mentions").fetchone()[0]
            qn = cur.execute("SELECT count(*) FROM quotes").fetchone()[0]
        print(f"store: {path} — {n:,} articles, {m:,} mentions, {qn:,} quotes; {runs} runs/case")
        print(f"load average at start: {_load()}")
        print(f"{'case':<40} {'p50 ms':>9} {'p95 ms':>9} {'rows':>7} {'runs':>5} {'cpu ms':>8}")
        with store.cursor() as cur:
            for name, fn in cases(cur, now + timedelta(hours=1)).items():
                if args.only and args.only not in name:
                    continue
                if chosen and name not in chosen:
                    continue
                p50, p95, rows, made, cpu = timeit(fn, cur, runs, args.budget)
                target = 1000 if name.startswith("keyword") else 300
                flag = "" if p95 <= target else f"  > {target} ms target"
                print(
                    f"{name:<40} {p50:>9.1f} {p95:>9.1f} {rows:>7} {made:>5} {cpu:>8.1f}{flag}",
                    flush=True,
                )
        print(f"load average at end: {_load()}")
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
