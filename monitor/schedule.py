"""When to poll each feed, and how one fetch changes what we remember about it.

Pure: takes `now`, the stored health and a fetch's facts; returns decisions. No I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

MAX_BACKOFF = timedelta(hours=6)
# A server may ask us to stay away (Retry-After); we obey, but a typo of "86400000" must not
# park a feed for years.
MAX_RETRY_AFTER = timedelta(days=1)
RETRY_AFTER_STATUSES = frozenset({429, 503})


@dataclass(frozen=True)
class FeedHealth:
    """What the store remembers of a feed between polls."""

    last_fetch_at: datetime | None = None
    failures_in_row: int = 0
    next_poll_at: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    url: str | None = None  # the configured URL this state belongs to
    gone: bool = False  # the server said 410 Gone: not polled until its URL changes
    retry_after: datetime | None = None  # the server asked us not to come back before this
    fetch_url: str | None = None  # adopted after repeated permanent redirects
    moved_to: str | None = None  # a permanent redirect target not yet adopted
    redirect_count: int = 0  # successful polls in a row that were redirected to moved_to


@dataclass(frozen=True)
class HealthUpdate:
    """The parts of a feed's health the poller decides (the rest is folded in SQL)."""

    gone: bool = False
    retry_after: datetime | None = None
    fetch_url: str | None = None
    moved_to: str | None = None
    redirect_count: int = 0


def for_url(health: FeedHealth | None, url: str) -> FeedHealth | None:
    """The health that applies to `url`: when the user changed a feed's URL in the feeds
    file, what we learned about the old URL (gone, moved, validators, backoff) is void."""
    if health is None or health.url in (None, url):
        return health
    return FeedHealth(last_fetch_at=health.last_fetch_at, url=url)


def is_due(health: FeedHealth | None, now: datetime) -> bool:
    if health is None:
        return True
    if health.gone:
        return False
    if health.next_poll_at is None:
        return True
    return now >= health.next_poll_at


def url_to_fetch(health: FeedHealth | None, configured: str) -> str:
    return (health.fetch_url if health else None) or configured


def next_poll(
    now: datetime,
    interval_s: int,
    failures_in_row: int,
    jitter: float = 0.0,
    retry_after: datetime | None = None,
) -> datetime:
    """After a failure wait interval × 2^(failures−1), at most MAX_BACKOFF; `jitter` ∈ [0, 1)
    spreads feeds that failed together so they do not retry together. A server's
    Retry-After can only push the next poll later, never earlier."""
    interval = timedelta(seconds=interval_s)
    if failures_in_row <= 0:
        planned = now + interval
    else:
        wait = min(interval * (2 ** min(failures_in_row - 1, 16)), MAX_BACKOFF)
        planned = now + wait + wait * 0.2 * jitter
    return max(planned, retry_after) if retry_after else planned


def retry_after_at(value: str | None, now: datetime) -> datetime | None:
    """Parse Retry-After (delta-seconds or an HTTP date) into a naive-UTC time, capped."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        when = now + timedelta(seconds=int(value[:12]))
    else:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if parsed.tzinfo is None:  # RFC 9110 dates are GMT
            parsed = parsed.replace(tzinfo=UTC)
        when = parsed.astimezone(UTC).replace(tzinfo=None)
    return min(max(when, now), now + MAX_RETRY_AFTER)


def fold_fetch(
    health: FeedHealth | None,
    *,
    status: int | None,
    succeeded: bool,
    permanent_url: str | None,
    retry_after: str | None,
    now: datetime,
    threshold: int = 3,
) -> HealthUpdate:
    """How one fetch changes gone / retry-after / moved state.

    A permanent redirect (301/308) is only adopted after `threshold` successful polls in a
    row ended up at the same new URL: one misconfigured response must not move a feed."""
    h = health or FeedHealth()
    update = HealthUpdate(
        fetch_url=h.fetch_url,
        moved_to=h.moved_to,
        redirect_count=h.redirect_count,
        gone=status == 410,
    )
    if status in RETRY_AFTER_STATUSES:
        update = replace(update, retry_after=retry_after_at(retry_after, now))
    if not succeeded:
        return update  # a failed poll says nothing about whether the feed moved
    if permanent_url is None:
        return replace(update, moved_to=None, redirect_count=0)
    count = h.redirect_count + 1 if permanent_url == h.moved_to else 1
    if count >= threshold:
        return replace(update, fetch_url=permanent_url, moved_to=None, redirect_count=0)
    return replace(update, moved_to=permanent_url, redirect_count=count)
