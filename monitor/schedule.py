"""When to poll each feed. Pure: takes `now` and the stored health, returns decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MAX_BACKOFF = timedelta(hours=6)


@dataclass(frozen=True)
class FeedHealth:
    """What the store remembers of a feed between polls."""

    last_fetch_at: datetime | None = None
    failures_in_row: int = 0
    next_poll_at: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None


def is_due(health: FeedHealth | None, now: datetime) -> bool:
    if health is None or health.next_poll_at is None:
        return True
    return now >= health.next_poll_at


def next_poll(now: datetime, interval_s: int, failures_in_row: int, jitter: float = 0.0) -> datetime:
    """After a failure wait interval × 2^(failures−1), at most MAX_BACKOFF; `jitter` ∈ [0, 1)
    spreads feeds that failed together so they do not retry together."""
    interval = timedelta(seconds=interval_s)
    if failures_in_row <= 0:
        return now + interval
    wait = min(interval * (2 ** min(failures_in_row - 1, 16)), MAX_BACKOFF)
    return now + wait + wait * 0.2 * jitter
