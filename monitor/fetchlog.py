"""Many fetch attempts written at once: a poll cycle's quiet feeds (304 Not Modified, errors).

One row per attempt goes to `fetches` and is folded into `feed_state` exactly as
`ingest.record_fetch` folds one, but in three statements for the whole cycle instead of two
or three per feed: a statement costs a few milliseconds whatever its size, and a cycle of
1,000 mostly unchanged feeds must take seconds, not minutes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pyarrow as pa

from monitor import sql
from monitor.ingest import FetchRecord

_SCHEMA = pa.schema(
    [
        ("feed", pa.string()),
        ("url", pa.string()),
        ("started_at", pa.timestamp("us")),
        ("status", pa.int32()),
        ("duration_ms", pa.int32()),
        ("error", pa.string()),
        ("etag", pa.string()),
        ("last_modified", pa.string()),
        ("ok", pa.bool_()),
        ("next_poll_at", pa.timestamp("us")),
        ("has_health", pa.bool_()),
        ("gone", pa.bool_()),
        ("retry_after", pa.timestamp("us")),
        ("fetch_url", pa.string()),
        ("moved_to", pa.string()),
        ("redirect_count", pa.int32()),
    ]
)


def record_many(cur, records: Sequence[FetchRecord]) -> None:
    """Append every attempt and fold it into its feed's health (on `cur`'s transaction).
    Attempts of one feed are folded in their order."""
    for part in _rounds(records):
        cur.register("_fetch_log", log_table(part))
        try:
            sql.execute(cur, "fetchlog_insert")
            sql.execute(cur, "fetchlog_upsert_state")
            if any(r.health is not None for r in part):
                sql.execute(cur, "fetchlog_health")
        finally:
            cur.unregister("_fetch_log")


def _rounds(records: Sequence[FetchRecord]) -> Iterator[list[FetchRecord]]:
    """Split so no feed occurs twice in one part (one upsert cannot touch a row twice)."""
    rounds: list[list[FetchRecord]] = []
    seen: dict[str, int] = {}
    for r in records:
        n = seen.get(r.feed, 0)
        seen[r.feed] = n + 1
        if n == len(rounds):
            rounds.append([])
        rounds[n].append(r)
    yield from rounds


def log_table(records: Sequence[FetchRecord]) -> pa.Table:
    rows = [_row(r) for r in records]
    return pa.Table.from_pylist(rows, schema=_SCHEMA)


def _row(r: FetchRecord) -> dict:
    h = r.health
    return {
        "feed": r.feed,
        "url": r.url,
        "started_at": r.started_at,
        "status": r.status,
        "duration_ms": r.duration_ms,
        "error": r.error,
        "etag": r.etag,
        "last_modified": r.last_modified,
        "ok": r.ok,
        "next_poll_at": r.next_poll_at,
        "has_health": h is not None,
        "gone": h.gone if h else False,
        "retry_after": h.retry_after if h else None,
        "fetch_url": h.fetch_url if h else None,
        "moved_to": h.moved_to if h else None,
        "redirect_count": h.redirect_count if h else 0,
    }
