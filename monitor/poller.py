"""The poller: which feeds are due, fetch them concurrently, ingest what changed.

Fetching runs in a thread pool (network-bound); bodies are parsed in the ingest pool's
workers (or on the poller's thread without one); cleaning, extraction and writing go through
`Ingestor.ingest_many`, so several feeds share a transaction and there is exactly one writer.
Feeds with nothing to store (304 Not Modified, errors) have their fetch records written
together. A feed's failure is recorded in its health and never stops the other feeds or the
next poll.
"""

from __future__ import annotations

import logging
import random
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from xml.parsers import expat

from monitor import fetch as fetch_mod
from monitor import fetchlog, netguard
from monitor.config import Settings
from monitor.feeds import Feed
from monitor.ingest import Batch, FetchRecord, Ingestor, IngestResult
from monitor.models import FeedEntry
from monitor.parse import FeedParseError, parse_feed
from monitor.schedule import FeedHealth, fold_fetch, for_url, is_due, next_poll, url_to_fetch
from monitor.store import Store, utcnow

log = logging.getLogger(__name__)

# Parsed bodies waiting for the writer (in the pool's workers when there is one).
PARSE_AHEAD = 16
# Fetch records of feeds with nothing to store (304, errors) written per transaction.
QUIET_FLUSH = 256
# Smaller bodies parse here: shipping them (and starting idle workers) costs more.
PARSE_IN_WORKER_BYTES = 16_384
# The shortest sleep between two polls of run_forever.
MIN_PAUSE_S = 0.1

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
        if r is None:
            return self.feed
        return f"{self.feed}: {r.seen} items, {r.new} new, {r.updated} updated" + r.failed_note()


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
            fetched = self._fetched(client, pool, due, window=2 * workers)
            stored_reports = self._store_all(self._parsed(fetched))
        order = {f.name: i for i, (f, _) in enumerate(due)}
        return reports + sorted(stored_reports, key=lambda r: order[r.feed])

    def _fetched(self, client, pool: ThreadPoolExecutor, due, window: int) -> Iterator[_Fetched]:
        """Fetch outcomes in the order of `due`, fetched concurrently. A sliding window: at
        most `window` fetched bodies wait for the single writer, so memory stays bounded
        however many feeds are due."""
        pending: deque = deque()
        for feed, health in due:
            pending.append((feed, health, pool.submit(self._fetch, client, feed, health)))
            if len(pending) >= window:
                yield _arrived(*pending.popleft())
        while pending:
            yield _arrived(*pending.popleft())

    def _parsed(self, fetched: Iterator[_Fetched]) -> Iterator[_Parsed]:
        """Each outcome with its parsed entries, in order; bodies are parsed in the ingest
        pool's workers when there is one (a few ahead of the writer), here otherwise."""
        workers = self.ingestor.pool
        ahead: deque = deque()
        for item in fetched:
            if workers is None or len(item.out.body) < PARSE_IN_WORKER_BYTES:
                ahead.append(_parse_here(item))
            else:
                args = (item.out.body, item.feed.name, item.started, item.feed.language)
                ahead.append((item, workers.submit_call(parse_polled, [args])))
            while ahead and (len(ahead) > PARSE_AHEAD or isinstance(ahead[0], _Parsed)):
                yield _resolve(ahead.popleft())
        while ahead:
            yield _resolve(ahead.popleft())

    def _store_all(self, parsed: Iterator[_Parsed]) -> list[PollReport]:
        """Feeds with entries go through `Ingestor.ingest_many` (several feeds per
        transaction, pool workers ahead of the writer); the fetch records of feeds with
        nothing to store are written together, a few hundred per transaction. A batch that
        cannot be stored is retried alone, so a failure costs only its own feed."""
        reports: list[PollReport] = []
        quiet: list[FetchRecord] = []
        sent: dict[int, Batch] = {}
        batches = self._batches(parsed, quiet, reports, sent)
        while True:
            try:
                for batch, result, _ in self.ingestor.ingest_many(batches):
                    del sent[id(batch)]
                    reports.append(PollReport(batch.feed, batch.tag.out.status, result, None))
                break
            except Exception:  # a group rolled back whole: store its batches one by one
                log.exception("storing a group of feeds failed; retrying them one by one")
                for batch in list(sent.values()):
                    del sent[id(batch)]
                    reports.append(self._ingest_alone(batch))
        # the cycle ends with the derived data exact, even when a failed group cut short the
        # ingest_many call that would have derived at its end
        self.ingestor.catch_up()
        self._record_quiet(quiet)
        return reports

    def _batches(self, parsed, quiet: list[FetchRecord], reports: list, sent: dict):
        for p in parsed:
            item = p.item
            record = self._record(item.feed, item.out, item.health, item.started, p.error)
            if p.entries is None:
                quiet.append(record)
                reports.append(PollReport(item.feed.name, item.out.status, None, record.error))
                if len(quiet) >= QUIET_FLUSH:
                    self._record_quiet(quiet)
                continue
            batch = Batch(item.feed.name, p.entries, [(record, None)], hashes=p.hashes, tag=item)
            sent[id(batch)] = batch
            yield batch

    def _record_quiet(self, quiet: list[FetchRecord]) -> None:
        if quiet:
            with self.store.transaction() as cur:
                fetchlog.record_many(cur, quiet)
            quiet.clear()

    def _ingest_alone(self, batch: Batch) -> PollReport:
        item: _Fetched = batch.tag
        try:
            # articles and the fetch record commit together: health always agrees with the rows
            result = self.ingestor.ingest(batch.feed, batch.entries, batch.parts[0][0])
        except Exception as exc:  # the batch rolled back whole; say so in the feed's health
            log.exception("storing feed %s failed", batch.feed)
            error = f"could not store the batch: {_name(exc)}"
            failed = self._record(item.feed, item.out, item.health, item.started, error)
            with self.store.transaction() as cur:
                fetchlog.record_many(cur, [failed])
            return PollReport(batch.feed, item.out.status, None, failed.error)
        return PollReport(batch.feed, item.out.status, result, None)

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

    def seconds_to_due(self, now: datetime | None = None) -> float | None:
        """Seconds until the first configured feed falls due (0: one is due now); None when
        no feed is to be polled (none configured, or all gone)."""
        now = now or utcnow()
        stored = load_health(self.store)
        waits = []
        for feed in self.feeds():
            health = for_url(stored.get(feed.name), feed.url)
            if health is None or health.next_poll_at is None:
                return 0.0
            if not health.gone:
                waits.append((health.next_poll_at - now).total_seconds())
        return max(0.0, min(waits)) if waits else None

    def run_forever(
        self,
        stop: threading.Event,
        tick_s: float = 1.0,
        on_report: Callable[[PollReport], None] | None = None,
    ) -> None:
        """Poll due feeds until `stop` is set; one feed's exception never ends the loop.

        Between polls the loop sleeps until the next feed falls due, and at most `tick_s`
        (so a feed added to feeds.toml is seen within a tick): a feed is fetched as it falls
        due, not up to a tick later (bench_dashboard's item waited 60.6-60.7 s for a poll
        due 60 s after the last one). A tick with nothing due is two health queries and
        two reads of feeds.toml."""
        while not stop.is_set():
            pause = tick_s
            try:
                for report in self.poll_once():
                    (on_report or (lambda r: log.info(r.line())))(report)
                pause = self._pause(tick_s)
            except Exception:  # the loop must survive anything a feed throws at it
                log.exception("poll cycle failed; retrying at the next tick")
            stop.wait(pause)

    def _pause(self, tick_s: float) -> float:
        wait = self.seconds_to_due()
        # a feed still due right after its poll (its record could not be written) must not
        # spin the loop: MIN_PAUSE_S at least
        return tick_s if wait is None else min(tick_s, max(MIN_PAUSE_S, wait))


@dataclass(frozen=True)
class _Fetched:
    feed: Feed
    health: FeedHealth | None
    out: fetch_mod.FetchOutcome
    started: datetime  # when the outcome reached the writer: the attempt's time in the health

    @property
    def has_body(self) -> bool:
        o = self.out
        return not (o.gone or o.error is not None or o.not_modified)


@dataclass(frozen=True)
class _Parsed:
    item: _Fetched
    entries: tuple[FeedEntry, ...] | None  # None: nothing to ingest
    hashes: dict[str, str] | None = None
    error: str | None = None


def _arrived(feed: Feed, health: FeedHealth | None, future) -> _Fetched:
    out = future.result()
    return _Fetched(feed, health, out, utcnow())


def parse_polled(body: bytes, feed: str, now: datetime, language: str | None):
    """(entries, content hashes, error) of a fetched body; runs in a pool worker."""
    from monitor.pipeline import content_hash  # (pipeline imports the cleaner: keep it lazy)

    try:
        entries = parse_feed(body, feed, now, language).entries
    except FeedParseError as exc:
        return None, None, f"malformed feed: {exc}"
    except Exception as exc:  # feedparser met bytes it could not handle: one feed's problem
        log.exception("parsing feed %s failed", feed)
        return None, None, f"malformed feed: parser failed ({_name(exc)})"
    cut = truncation(body)
    if cut:
        return None, None, f"malformed feed: truncated, {cut}"
    return tuple(entries), {e.article_id: content_hash(e) for e in entries}, None


def _parse_here(item: _Fetched) -> _Parsed:
    out = item.out
    if out.gone:
        error = f"gone: {out.url} answered HTTP 410; polling stopped until the feed's URL changes"
        return _Parsed(item, None, error=error)
    if out.error is not None:
        return _Parsed(item, None, error=out.error)
    if out.not_modified:
        return _Parsed(item, None)  # costs nothing: no parse, no article write
    f = item.feed
    return _Parsed(item, *parse_polled(out.body, f.name, item.started, f.language))


def _resolve(entry) -> _Parsed:
    if isinstance(entry, _Parsed):
        return entry
    item, pending = entry
    try:
        return _Parsed(item, *pending.result()[0])
    except Exception as exc:  # a worker died mid-parse: this feed's problem, not the cycle's
        log.exception("parsing feed %s failed in a worker", item.feed.name)
        return _Parsed(item, None, error=f"malformed feed: parser failed ({_name(exc)})")


def _name(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]
