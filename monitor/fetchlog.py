"""Fetch attempts written at once: a poll cycle's quiet feeds (304 Not Modified, errors) and
the attempts of an ingest transaction's batches.

One row per attempt goes to `fetches` (one statement for all of them) and is folded into
`feed_state` in a statement or two per round instead of two or three per attempt: a
statement costs a few milliseconds whatever its size, and a cycle of 1,000 mostly unchanged
feeds must take seconds, not minutes. This is the only writer of `fetches` and `feed_state`'s
fetch columns.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import pyarrow as pa

from monitor import sql
from monitor.schedule import HealthUpdate


@dataclass(frozen=True)
class FetchRecord:
    """One fetch attempt, as the health table shows it."""

    feed: str
    url: str | None
    started_at: datetime
    status: int | None = None
    duration_ms: int | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    next_poll_at: datetime | None = None
    ok: bool = True
    health: HealthUpdate | None = None  # the poller's gone / Retry-After / redirect decisions


@dataclass(frozen=True)
class IngestResult:
    seen: int
    new: int
    updated: int
    # of the new and updated: stored without their cleaning or extraction, which raised
    # (their errors are in article_errors)
    failed: int = 0

    @property
    def unchanged(self) -> int:
        return self.seen - self.new - self.updated

    def failed_note(self) -> str:
        """A report line's note of the articles stored without their processing."""
        if not self.failed:
            return ""
        return f", {self.failed} stored without processing (an error: see `monitor errors`)"


_SCHEMA = pa.schema(
    [
        ("feed", pa.string()),
        ("url", pa.string()),
        ("started_at", pa.timestamp("us")),
        ("status", pa.int32()),
        ("items_seen", pa.int32()),
        ("items_new", pa.int32()),
        ("items_updated", pa.int32()),
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


def record_many(
    cur, records: Sequence[FetchRecord], results: Sequence[IngestResult | None] | None = None
) -> None:
    """Append every attempt (with its item counts from ``results``, else zeros) and fold it
    into its feed's health (on `cur`'s transaction), attempts of one feed in their order."""
    if not records:
        return
    with sql.registered(cur, _fetch_log=log_table(records, results)):
        sql.execute(cur, "fetchlog_insert")
    for part in _rounds(_folded(records)):
        with sql.registered(cur, _fetch_log=log_table(part)):
            sql.execute(cur, "fetchlog_upsert_state")
            if any(r.health is not None for r in part):
                sql.execute(cur, "fetchlog_health")


def _folded(records: Sequence[FetchRecord]) -> list[FetchRecord]:
    """Consecutive successful attempts of a feed with no health decision (an import of many
    files of one feed) fold into one: the last, with the last validators any of them sent,
    which is what folding them one by one leaves in `feed_state`."""
    out: list[FetchRecord] = []
    last: dict[str, int] = {}  # feed -> its latest record's index in out
    for r in records:
        i = last.get(r.feed)
        prev = out[i] if i is not None else None
        if prev is not None and _plain(prev) and _plain(r):
            out[i] = replace(
                r,
                etag=r.etag if r.etag is not None else prev.etag,
                last_modified=r.last_modified if r.last_modified is not None
                else prev.last_modified,
            )  # fmt: skip
            continue
        last[r.feed] = len(out)
        out.append(r)
    return out


def _plain(r: FetchRecord) -> bool:
    return r.ok and r.health is None


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


def log_table(
    records: Sequence[FetchRecord], results: Sequence[IngestResult | None] | None = None
) -> pa.Table:
    counts = results if results is not None else [None] * len(records)
    rows = [_row(r, c) for r, c in zip(records, counts, strict=True)]
    return pa.Table.from_pylist(rows, schema=_SCHEMA)


def _row(r: FetchRecord, result: IngestResult | None) -> dict:
    h = r.health
    return {
        "feed": r.feed,
        "url": r.url,
        "started_at": r.started_at,
        "status": r.status,
        "items_seen": result.seen if result else 0,
        "items_new": result.new if result else 0,
        "items_updated": result.updated if result else 0,
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
