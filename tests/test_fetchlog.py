"""fetchlog.record_many writes exactly what record_fetch writes one attempt at a time."""

from datetime import datetime, timedelta

from monitor import fetchlog
from monitor.ingest import FetchRecord, record_fetch
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
        # a feed twice in one call: folded in order, as two record_fetch calls would
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
        record_fetch(cur, r, None)


def tables(store) -> tuple[list, list]:
    with store.cursor() as cur:
        state = cur.execute("SELECT * FROM feed_state ORDER BY feed").fetchall()
        log = cur.execute("SELECT * EXCLUDE (id) FROM fetches ORDER BY started_at, feed").fetchall()
    return state, log


def test_record_many_equals_record_fetch_one_by_one(tmp_path):
    one, many = open_store(tmp_path / "one.duckdb"), open_store(tmp_path / "many.duckdb")
    try:
        for store in (one, many):
            with store.transaction() as cur:
                seed(cur)
        with one.transaction() as cur:
            for r in attempts():
                record_fetch(cur, r, None)
        with many.transaction() as cur:
            fetchlog.record_many(cur, attempts())
        expected = tables(one)
        assert tables(many) == expected
        states = {row[0]: row for row in expected[0]}
        assert len(expected[1]) == 3 + len(attempts())
        assert states["a"][2] == '"a0"'  # a 304 without validators keeps the stored ETag
        assert states["c"][8] == 1  # failed, failed, succeeded (reset), failed
    finally:
        one.close()
        many.close()
