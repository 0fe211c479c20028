"""The poller: which feeds are due, fetch them concurrently, ingest each one's batch.

Fetching runs in a thread pool (network-bound); parsing, processing and writing happen on
the poller's own thread, so there is exactly one writer. A feed's failure is recorded in
its health and never stops the other feeds or the next poll.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from monitor import fetch as fetch_mod
from monitor.config import Settings
from monitor.feeds import Feed
from monitor.ingest import FetchRecord, Ingestor, IngestResult, record_fetch
from monitor.parse import FeedParseError, parse_feed
from monitor.schedule import FeedHealth, is_due, next_poll
from monitor.store import Store, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PollReport:
    feed: str
    status: int | None
    result: IngestResult | None
    error: str | None

    def line(self) -> str:
        if self.error:
            return f"{self.feed}: FAILED ({self.error})"
        if self.status == 304:
            return f"{self.feed}: not modified"
        r = self.result
        return f"{self.feed}: {r.seen} items, {r.new} new, {r.updated} updated" if r else self.feed


def load_health(store: Store) -> dict[str, FeedHealth]:
    return {
        row[0]: FeedHealth(row[4], row[8], row[9], row[2], row[3])
        for row in store.query("feed_states")
    }


@dataclass
class Poller:
    store: Store
    ingestor: Ingestor
    settings: Settings
    feeds: Callable[[], list[Feed]]

    def poll_once(self, now: datetime | None = None, force: bool = False) -> list[PollReport]:
        now = now or utcnow()
        health = load_health(self.store)
        due = [f for f in self.feeds() if force or is_due(health.get(f.name), now)]
        if not due:
            return []
        reports = []
        workers = max(1, min(self.settings.poll_concurrency, len(due)))
        with fetch_mod.make_client(self.settings.request_timeout_s) as client, \
                ThreadPoolExecutor(workers, thread_name_prefix="fetch") as pool:
            futures = [(f, pool.submit(self._fetch, client, f, health.get(f.name))) for f in due]
            for feed, future in futures:
                reports.append(self._ingest(feed, future.result(), health.get(feed.name)))
        return reports

    def _fetch(self, client, feed: Feed, health: FeedHealth | None) -> fetch_mod.FetchOutcome:
        return fetch_mod.fetch(
            client, feed.url,
            etag=health.etag if health else None,
            last_modified=health.last_modified if health else None,
            deadline_s=self.settings.request_timeout_s,
            max_bytes=self.settings.max_body_bytes,
        )

    def _ingest(self, feed: Feed, out: fetch_mod.FetchOutcome, health: FeedHealth | None):
        started = utcnow()
        entries, error = self._parse(feed, out, started)
        failures = 0 if error is None else (health.failures_in_row if health else 0) + 1
        record = FetchRecord(
            feed=feed.name, url=feed.url, started_at=started, status=out.status,
            duration_ms=out.elapsed_ms, error=error, etag=out.etag,
            last_modified=out.last_modified, ok=error is None,
            next_poll_at=next_poll(started, feed.interval_s, failures, random.random()),
        )
        if entries is None:
            with self.store.transaction() as cur:
                record_fetch(cur, record, None)
            return PollReport(feed.name, out.status, None, error)
        # articles and the fetch record commit together: health always agrees with the rows
        result = self.ingestor.ingest(feed.name, entries, record)
        return PollReport(feed.name, out.status, result, None)

    def _parse(self, feed: Feed, out: fetch_mod.FetchOutcome, now: datetime):
        """(entries, error): entries is None when there is nothing to ingest."""
        if out.error is not None:
            return None, out.error
        if out.not_modified:
            return None, None
        try:
            return parse_feed(out.body, feed.name, now, feed.language).entries, None
        except FeedParseError as exc:
            return None, f"malformed feed: {exc}"

    def run_forever(self, stop: threading.Event, tick_s: float = 5.0,
                    on_report: Callable[[PollReport], None] | None = None) -> None:
        """Poll due feeds until `stop` is set; one feed's exception never ends the loop."""
        while not stop.is_set():
            try:
                for report in self.poll_once():
                    (on_report or (lambda r: log.info(r.line())))(report)
            except Exception:  # the loop must survive anything a feed throws at it
                log.exception("poll cycle failed; retrying at the next tick")
            stop.wait(tick_s)
