"""The poller: which feeds are due, fetch them concurrently, ingest each one's batch.

Fetching runs in a thread pool (network-bound); parsing, processing and writing happen on
the poller's own thread, so there is exactly one writer. A feed's failure is recorded in
its health and never stops the other feeds or the next poll.
"""

from __future__ import annotations

import logging
import random
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from xml.parsers import expat

from monitor import fetch as fetch_mod
from monitor import netguard
from monitor.config import Settings
from monitor.feeds import Feed
from monitor.ingest import FetchRecord, Ingestor, IngestResult, record_fetch
from monitor.parse import FeedParseError, parse_feed
from monitor.schedule import FeedHealth, fold_fetch, for_url, is_due, next_poll, url_to_fetch
from monitor.store import Store, utcnow

log = logging.getLogger(__name__)

# expat errors that only happen when the document stops before its end: the body was cut
# (a connection closed early with no Content-Length to tell). A cut feed is refused whole,
# so its last, half-received item is never stored as if it were complete.
_CUT_CODES = frozenset(
    expat.errors.codes[m]
    for m in (
        expat.errors.XML_ERROR_NO_ELEMENTS,
        expat.errors.XML_ERROR_UNCLOSED_TOKEN,
        expat.errors.XML_ERROR_PARTIAL_CHAR,
        expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION,
    )
)


@dataclass(frozen=True)
class PollReport:
    feed: str
    status: int | None
    result: IngestResult | None
    error: str | None
    skipped: str | None = None  # why a forced poll did not fetch this feed

    def line(self) -> str:
        if self.skipped:
            return f"{self.feed}: skipped ({self.skipped})"
        if self.error:
            return f"{self.feed}: FAILED ({self.error})"
        if self.status == 304:
            return f"{self.feed}: not modified"
        r = self.result
        return f"{self.feed}: {r.seen} items, {r.new} new, {r.updated} updated" if r else self.feed


def load_health(store: Store) -> dict[str, FeedHealth]:
    return {row[0]: FeedHealth(*row[1:]) for row in store.query("health_states")}


def truncation(body: bytes) -> str | None:
    """A description of how the XML stops early, or None when it is complete (or broken in
    some other way, which feedparser judges)."""
    parser = expat.ParserCreate()
    # never read a DTD or external entity; expat ≥ 2.4 also caps entity amplification
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(body, True)
    except expat.ExpatError as exc:
        if exc.code in _CUT_CODES:
            return f"XML ends early at line {exc.lineno} ({expat.errors.messages[exc.code]})"
    return None


@dataclass
class Poller:
    store: Store
    ingestor: Ingestor
    settings: Settings
    feeds: Callable[[], list[Feed]]
    limiter: fetch_mod.HostLimiter | None = None
    resolver: netguard.Resolver = netguard.system_resolver
    policy: netguard.NetPolicy = field(init=False)

    def __post_init__(self) -> None:
        # built once: a bad allowed_networks entry is reported at start, not at every poll
        self.policy = netguard.NetPolicy.from_settings(
            self.settings.allow_private_networks, self.settings.allowed_networks
        )
        if self.limiter is None:
            self.limiter = fetch_mod.HostLimiter(
                self.settings.host_concurrency, self.settings.host_spacing_s
            )

    def poll_once(self, now: datetime | None = None, force: bool = False) -> list[PollReport]:
        """Fetch and ingest the due feeds (all of them with `force`, except gone ones)."""
        now = now or utcnow()
        stored = load_health(self.store)
        plan = [(f, for_url(stored.get(f.name), f.url)) for f in self.feeds()]
        reports = [self._gone_report(f, h) for f, h in plan if force and h and h.gone]
        due = [(f, h) for f, h in plan if not (h and h.gone) and (force or is_due(h, now))]
        if not due:
            return reports
        workers = max(1, min(self.settings.poll_concurrency, len(due)))
        with (
            fetch_mod.make_client(
                self.settings.request_timeout_s, self.policy, self.resolver
            ) as client,
            ThreadPoolExecutor(workers, thread_name_prefix="fetch") as pool,
        ):
            # a sliding window: at most 2 × workers fetched bodies wait for the single writer,
            # so memory stays bounded however many feeds are due
            pending: deque = deque()
            for feed, health in due:
                pending.append((feed, health, pool.submit(self._fetch, client, feed, health)))
                if len(pending) >= 2 * workers:
                    reports.append(self._ingest_next(pending))
            while pending:
                reports.append(self._ingest_next(pending))
        return reports

    def _ingest_next(self, pending: deque) -> PollReport:
        feed, health, future = pending.popleft()
        return self._ingest(feed, future.result(), health)

    @staticmethod
    def _gone_report(feed: Feed, health: FeedHealth) -> PollReport:
        return PollReport(
            feed.name,
            410,
            None,
            None,
            skipped="gone: the server answered 410; change the feed's URL to poll it",
        )

    def _fetch(self, client, feed: Feed, health: FeedHealth | None) -> fetch_mod.FetchOutcome:
        url = url_to_fetch(health, feed.url)
        try:
            return fetch_mod.fetch(
                client,
                url,
                etag=health.etag if health else None,
                last_modified=health.last_modified if health else None,
                deadline_s=self.settings.request_timeout_s,
                max_bytes=self.settings.max_body_bytes,
                limiter=self.limiter,
                policy=self.policy,
            )
        except Exception as exc:  # a bug in one fetch must cost that feed, not the whole poll
            log.exception("fetching feed %s failed unexpectedly", feed.name)
            return fetch_mod.FetchOutcome(url, None, error=f"internal error: {_name(exc)}")

    def _ingest(self, feed: Feed, out: fetch_mod.FetchOutcome, health: FeedHealth | None):
        started = utcnow()
        entries, error = self._parse(feed, out, started)
        record = self._record(feed, out, health, started, error)
        if entries is None:
            with self.store.transaction() as cur:
                record_fetch(cur, record, None)
            return PollReport(feed.name, out.status, None, record.error)
        try:
            # articles and the fetch record commit together: health always agrees with the rows
            result = self.ingestor.ingest(feed.name, entries, record)
        except Exception as exc:  # the batch rolled back whole; say so in the feed's health
            log.exception("storing feed %s failed", feed.name)
            failed = self._record(
                feed, out, health, started, f"could not store the batch: {_name(exc)}"
            )
            with self.store.transaction() as cur:
                record_fetch(cur, failed, None)
            return PollReport(feed.name, out.status, None, failed.error)
        return PollReport(feed.name, out.status, result, None)

    def _record(
        self,
        feed: Feed,
        out: fetch_mod.FetchOutcome,
        health: FeedHealth | None,
        started: datetime,
        error: str | None,
    ) -> FetchRecord:
        ok = error is None
        update = fold_fetch(
            health,
            status=out.status,
            succeeded=ok,
            permanent_url=out.permanent_url,
            retry_after=out.retry_after,
            now=started,
            threshold=self.settings.permanent_redirect_polls,
        )
        failures = 0 if ok else (health.failures_in_row if health else 0) + 1
        return FetchRecord(
            feed=feed.name,
            url=feed.url,
            started_at=started,
            status=out.status,
            duration_ms=out.elapsed_ms,
            error=error,
            etag=out.etag,
            last_modified=out.last_modified,
            ok=ok,
            health=update,
            next_poll_at=next_poll(
                started, feed.interval_s, failures, random.random(), update.retry_after
            ),
        )

    def _parse(self, feed: Feed, out: fetch_mod.FetchOutcome, now: datetime):
        """(entries, error): entries is None when there is nothing to ingest."""
        if out.gone:
            return None, (
                f"gone: {out.url} answered HTTP 410; polling stopped until the feed's URL changes"
            )
        if out.error is not None:
            return None, out.error
        if out.not_modified:
            return None, None  # costs nothing: no parse, no article write
        try:
            entries = parse_feed(out.body, feed.name, now, feed.language).entries
        except FeedParseError as exc:
            return None, f"malformed feed: {exc}"
        except Exception as exc:  # feedparser met bytes it could not handle: one feed's problem
            log.exception("parsing feed %s failed", feed.name)
            return None, f"malformed feed: parser failed ({_name(exc)})"
        cut = truncation(out.body)
        if cut:
            return None, f"malformed feed: truncated, {cut}"
        return entries, None

    def run_forever(
        self,
        stop: threading.Event,
        tick_s: float = 5.0,
        on_report: Callable[[PollReport], None] | None = None,
    ) -> None:
        """Poll due feeds until `stop` is set; one feed's exception never ends the loop."""
        while not stop.is_set():
            try:
                for report in self.poll_once():
                    (on_report or (lambda r: log.info(r.line())))(report)
            except Exception:  # the loop must survive anything a feed throws at it
                log.exception("poll cycle failed; retrying at the next tick")
            stop.wait(tick_s)


def _name(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]
