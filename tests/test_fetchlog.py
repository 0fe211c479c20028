"""fetchlog.record_many writes for many attempts at once exactly what it writes for each
attempt in its own call (one row per statement: no rounds, no folding)."""

from datetime import datetime, timedelta

from monitor import fetchlog
from monitor.fetchlog import FetchRecord, IngestResult
from monitor.schedule import HealthUpdate
from monitor.store import open_store

T0 = datetime(2026, 11, 20, 8, 0)


def attempts() -> list[FetchRecord]:
    at = [T0 + timedelta(minutes=i) for i in range(8)]
    return [
        FetchRecord("a", "https://a.example/rss", at[0], 304, 12, next_poll_at=at[7]),
        FetchRecord("b", "https://b.example/rss", at[1], 503, 40, "HTTP 503", ok=False,
                    next_poll_at=at[7], health=HealthUpdate(retry_after=at[6])),
        FetchRecord("c", "https://c.example/rss", at[2], None, None, "timed out", ok=False),
        FetchRecord("d", "https://d.example/rss", at[3], 410, 5, "gone", ok=False,
                    health=HealthUpdate(gone=True)),
        FetchRecord("e", "https://e.example/rss", at[4], 304, 7, etag='"v2"',
                    last_modified="Thu, 19 Nov 2026 10:00:00 GMT",
                    health=HealthUpdate(moved_to="https://e2.example/rss", redirect_count=1)),
        # a feed twice in one call: folded in order, as two calls would
        FetchRecord("c", "https://c.example/rss", at[5], 304, 9, etag='"c1"'),
        FetchRecord("c", "https://c.example/rss", at[6], 500, 9, "HTTP 500", ok=False),
    ]  # fmt: skip


def seed(cur) -> None:
    """Feeds that already have a history: validators, failures in a row."""
    for r in (
        FetchRecord("a", "https://a.example/rss", T0 - timedelta(hours=1), 200, etag='"a0"'),
        FetchRecord(
            "c", "https://c.example/rss", T0 - timedelta(hours=1), 500, error="x", ok=False
        ),
        FetchRecord("e", "https://e.example/rss", T0 - timedelta(hours=1), 200, etag='"e0"'),
    ):
        fetchlog.record_many(cur, [r])


def one_by_one(cur, records, results=None) -> None:
    for i, r in enumerate(records):
        fetchlog.record_many(cur, [r], None if results is None else [results[i]])


def tables(store) -> tuple[list, list]:
    with store.cursor() as cur:
        state = cur.execute("SELECT * FROM feed_state ORDER BY feed").fetchall()
        log = cur.execute("SELECT * EXCLUDE (id) FROM fetches ORDER BY started_at, feed").fetchall()
    return state, log


def both_ways(tmp_path, records, results=None) -> tuple[tuple, tuple]:
    """The tables after the same attempts recorded one call per attempt, and in one call."""
    one, many = open_store(tmp_path / "one.duckdb"), open_store(tmp_path / "many.duckdb")
    try:
        for store in (one, many):
            with store.transaction() as cur:
                seed(cur)
        with one.transaction() as cur:
            one_by_one(cur, records, results)
        with many.transaction() as cur:
            fetchlog.record_many(cur, records, results)
        return tables(one), tables(many)
    finally:
        one.close()
        many.close()


def test_record_many_equals_record_fetch_one_by_one(tmp_path):
    expected, got = both_ways(tmp_path, attempts())
    assert got == expected
    states = {row[0]: row for row in expected[0]}
    assert len(expected[1]) == 3 + len(attempts())
    assert states["a"][2] == '"a0"'  # a 304 without validators keeps the stored ETag
    assert states["c"][8] == 1  # failed, failed, succeeded (reset), failed
    assert states["c"][2] == '"c1"'  # the successful attempt's validator is kept
    assert states["e"][2] == '"v2"' and states["e"][5] == T0 + timedelta(minutes=4)


def test_an_imports_attempts_fold_into_one_state_row_with_their_counts(tmp_path):
    """An ingest transaction's attempts (many files of a feed, each with its item counts,
    some sending validators) take one insert and one upsert, and store what one call per
    attempt stores."""
    at = [T0 + timedelta(minutes=i) for i in range(6)]
    records = [
        FetchRecord("imp", "file:a.xml", at[0], etag='"1"'),
        FetchRecord("other", "file:o.xml", at[1], last_modified="Mon, 23 Nov 2026 08:00:00 GMT"),
        FetchRecord("imp", "file:b.xml", at[2], last_modified="Tue, 24 Nov 2026 08:00:00 GMT"),
        FetchRecord("imp", "file:c.xml", at[3]),
        FetchRecord("imp", "file:d.xml", at[4], 500, error="HTTP 500", ok=False),
        FetchRecord("imp", "file:e.xml", at[5]),
    ]
    results = [IngestResult(3, 2, 1), None, IngestResult(4, 4, 0), IngestResult(1, 0, 0), None,
               IngestResult(2, 1, 0)]  # fmt: skip
    expected, got = both_ways(tmp_path, records, results)
    assert got == expected
    state, log = got
    assert sum(row[4] for row in log) == 3 + 4 + 1 + 2  # items_seen
    imp = next(row for row in state if row[0] == "imp")
    assert imp[2:4] == ('"1"', "Tue, 24 Nov 2026 08:00:00 GMT") and imp[8] == 0
