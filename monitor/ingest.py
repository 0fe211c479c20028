"""Entries → processed articles → one DuckDB transaction per feed batch.

The ingestor is the only writer of articles. It decides what is new or changed (by content
hash), runs the pure pipeline on those, assigns stories, and commits articles, their
extractions, the fetch record and the feed's health together, so a crash at any point leaves
either the whole batch or none of it.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import cached_property

import pyarrow as pa

from monitor import aggregates, fetchlog, sql, terms
from monitor import learned as learned_mod
from monitor.config import Settings
from monitor.extract import Extractor
from monitor.fetchlog import FetchRecord, IngestResult  # noqa: F401 (re-exported)
from monitor.models import PARAGRAPH_SEPARATOR, CleanedArticle, FeedEntry
from monitor.parallel import Pending, ProcessPool, fewer_collections
from monitor.pipeline import (
    CleanedEntry,
    ProcessedArticle,
    clean_many,
    content_hash,
    each_or_fail,
    refilter,
    refilter_or_fail,
    touched_by,
)
from monitor.rows import (
    ExtractionColumns,
    analyse_columns,
    analyse_columns_or_fail,
    article_rows,
    discovered_rows,
    error_rows,
    mention_rows,
    quote_rows,
    removed_rows,
)
from monitor.store import Store, delete_ids, insert_arrow, utcnow
from monitor.stories import Sketch, StoryIndex, sketch

log = logging.getLogger(__name__)

# (article_errors: an article's row there describes its stored processing; an update
# replaces it, as it replaces the others)
CHILD_TABLES = ("removed_spans", "mentions", "quotes", "article_errors")
LEARN_SAMPLE = 200
# New articles of one feed between two learning passes once the feed has a full sample.
# Learning reads the feed's LEARN_SAMPLE newest texts (a scan of the articles table); doing
# it on every batch cost more than cleaning the batch. Furniture that appears in half of a
# source's articles is still caught within this many articles.
RELEARN_EVERY = 100
# Derived data (the pre-aggregates and the keyword index) is brought up to date from the
# pending ids (migration 008) at the end of every `ingest` / `ingest_many` call (a poll cycle,
# an import) and, during a long one, once this many articles or seconds have gone by since
# the last time. A refresh costs about the same for 500 articles as for 5,000 (its two dozen
# statements are bounded by the cells touched, and a day of news touches the same cells), so
# deriving per transaction paid it ten times over. Its memory does grow with the articles:
# at 5,000 a long import into a 1M-article store ran out of DuckDB's then 512 MB
# memory_limit (bench_memory --prefill). Each extra 1,000 adds ~65 MB to the poller's peak
# RSS (BENCHMARKS.md, round 9): 2,000 peaked at 1,375 MB at 1.21M stored, 3,000 at 1,454,
# too close to the 1.5 GB target; 2,000 saves ~0.2 CPU ms/item of the writer's at 20k.
# Round 16: with the keyword index written in chunks and the merges at the end of a call,
# 4,000 peaked at 1,231 MB at 1.21M stored (2,000 in round 15: 1,225), and an import's step
# reads the day's cells, so fewer steps cost less: a 100k day, aggregates.append 14.3 -> 10.4
# s CPU, the main process 99.7 -> 93.3 s (/work/notes/r16/trace2.py, DER=2000 vs 4000).
DERIVE_EVERY_ITEMS = 4_000
# Ids per probe of the stored hashes: the size of article_hashes.sql's constant IN list.
PROBE_IDS = 128
# A shorter chunk is probed with the smallest of these lists that holds it
# (article_hashes_16/32/64.sql): binding 128 parameters was most of the cost of probing a
# few items (2.1 vs 0.8 CPU ms at 16, 1.1 at 32, 1.5 at 64).
PROBE_TIERS = (16, 32, 64, PROBE_IDS)
DERIVE_EVERY_S = 60.0
# Articles written between two checkpoints that merge thinned row groups (store.VACUUM_TASKS:
# the others do not). The merge comes at the end of an ingest call, around its compaction (whose
# deletes thin the derived tables), once this many articles were written since the last one;
# never in the middle of a call. A merging checkpoint merges every table's part-filled row
# groups, and each automatic checkpoint leaves one such group per table (~4,000 articles'
# rows at CHECKPOINT_THRESHOLD): merging every 5,000 articles within a long import rewrote the
# articles table's newest group again and again until it held 122,880 rows (its text is most
# of a merge's cost), and stalled the writer, so the pool, for 1.7-3.6 s each time. A 100k
# day (round 16, /work/notes/r16/trace2.py): 16 mid-call merges cost 22.7 s of CPU, the one
# at the end 7-9 s, after the pool is done; the import ends with every table merged.
VACUUM_EVERY_ITEMS = 5_000
# Articles written between two merges of the day tables within a long ingest call: every
# derive step appends a row per day key (aggregates.append), and the call's compaction at its
# end merges them; a long call also merges them on the way (aggregates.compact, days only).
COMPACT_DAYS_EVERY_ITEMS = 5_000
# Groups an `ingest_many` call may hand the writer thread before the first of them is
# committed. With one, the pool ran dry whenever a write took long (a derive step, a COMMIT
# that checkpoints, a vacuuming CHECKPOINT of ~0.5-1.5 s): this process waited for that
# commit before it took the next batches' results from the pool, and the processes kept only
# ~1.7 of the 2 cores busy (round 15, a 20k day sampled from /proc/stat every 0.25 s: ~4.4
# idle core-seconds in a 24.5 s run, all of it in such stalls and the final derive). Queued
# groups hold their articles, processed, in memory (<= import_batch_items each).
# 3 -> 8 (round 19): a derive step holds the writer ~1 s on a quiet machine and 2-3.7 s under
# load (more at 100k: each step reads the day's rows so far), longer than 3 groups take the
# pool to fill, so the pool starved after most steps. bench_ingest's samples of the workers'
# own CPU, under load, depth 3 -> 6 -> 8: 20k, pool starved 0.75-1.0 -> 0.5 -> 0-0.25 s and
# the importing thread waited for the writer 3.0-3.2 -> 1.8-2.0 -> 1.7-1.9 s; 100k (3 -> 6)
# 8.5 -> 2.0 s starved, waits 12.9 -> 5.5 s; peak RSS 721-738 vs 724-741 MB (20k, 8) and
# 1,084 vs 1,094 MB (100k, 6). /work/notes/r19/.
WRITE_QUEUE_GROUPS = 8
# Stored articles whose keys the ingestor holds for learning (learned.RecentKeys), over all
# feeds: ~0.3-0.5 KB each (key hashes, not texts), so ~30 MB at most; 300 feeds' full
# samples fit, a poller with more feeds reads the least recently learned ones again.
LEARN_CACHE_ARTICLES = 60_000


@dataclass
class _LearnState:
    """Per-feed bookkeeping that decides when to learn again."""

    pending: int = 0  # articles processed since the last learning pass
    young: bool = True  # fewer than LEARN_SAMPLE articles stored: learn on every batch
    persisted: frozenset[str] | None = None  # learned keys known to be in the store


@dataclass(frozen=True)
class Batch:
    """One ingest: entries of one feed, and the fetch attempts they came from. ``parts``
    pairs each attempt's record with its entries' ids (None: all of them); one batch may
    merge several files of a feed as long as no id is in two of them."""

    feed: str
    entries: tuple[FeedEntry, ...]
    parts: list[tuple[FetchRecord, Sequence[str] | None]] = field(default_factory=list)
    force: bool = False
    hashes: dict[str, str] | None = None  # content hashes, when the parser computed them
    tag: object = None  # the caller's (e.g. which files)


@dataclass
class _Work:
    """A batch between `_prepare` (probe, hand to the pool) and `_finish` (write)."""

    batch: Batch
    hashes: dict[str, str]
    known: dict[str, str]
    todo: list[FeedEntry]
    learned: frozenset[str]  # the keys the workers clean with
    pending: Pending | None = None
    extracted: bool = False  # pending yields ProcessedArticle (else CleanedEntry)
    keyed: learned_mod.BatchKeys | None = None  # its paragraphs, keyed (learning; the pool)

    @cached_property
    def todo_ids(self) -> set[str]:
        return {e.article_id for e in self.todo}

    @cached_property  # (asked for each batch of the group being formed, per batch added)
    def feeds(self) -> set[str]:
        """The feeds whose stored articles this batch reads (learning) or writes."""
        return {self.batch.feed} | {e.feed for e in self.batch.entries}


@dataclass
class _Ready:
    """A processed batch waiting for its group's transaction. Its extraction may still be
    running in the pool: `processed` waits for it when the group is written, so this process
    learns and cleans the group's next batches meanwhile."""

    work: _Work
    finish: Callable[[], list[ProcessedArticle]]
    result: IngestResult
    fetches: list[tuple[FetchRecord, IngestResult | None]]
    count: int  # articles to write
    _processed: list[ProcessedArticle] | None = None

    @property
    def processed(self) -> list[ProcessedArticle]:
        if self._processed is None:
            self._processed = self.finish()
        return self._processed


class _Writer:
    """Runs `Ingestor._write` for the groups handed to it, one at a time and in order: in a
    thread of its own (threaded), so the caller learns and cleans the next groups meanwhile,
    or in the caller's thread. Up to ``depth`` groups may wait (see WRITE_QUEUE_GROUPS)."""

    def __init__(self, threaded: bool, depth: int = 1) -> None:
        self.depth = max(1, depth)
        self._executor = ThreadPoolExecutor(1, "ingest-writer") if threaded else None
        self._queue: deque[tuple[Future, list[_Ready], set[str]]] = deque()
        self._failed = False  # a write failed: the groups queued behind it are not written

    def submit(
        self, write: Callable[[list[_Ready], bool], None], group: list[_Ready], derive: bool
    ):
        assert len(self._queue) < self.depth, "wait() for the oldest group first"
        feeds = {f for r in group for f in r.work.feeds}
        if self._executor is not None:
            future = self._executor.submit(self._run, write, group, derive)
        else:
            future = Future()
            try:
                self._run(write, group, derive)
                future.set_result(None)
            except BaseException as exc:  # re-raised by wait(), as the thread's would be
                future.set_exception(exc)
        self._queue.append((future, group, feeds))

    def _run(self, write: Callable[[list[_Ready], bool], None], group, derive: bool) -> None:
        if self._failed:  # (its batches were probed against rows that are not stored)
            raise _NotWritten("an earlier group's write failed")
        try:
            write(group, derive)
        except BaseException:
            self._failed = True
            raise

    @property
    def failed(self) -> bool:
        """A write failed (whether or not its error was collected)."""
        return self._failed

    @property
    def queued(self) -> int:
        return len(self._queue)

    @property
    def full(self) -> bool:
        return len(self._queue) >= self.depth

    def oldest_done(self) -> bool:
        return bool(self._queue) and self._queue[0][0].done()

    def oldest_written(self) -> bool:
        """Wait for the oldest group's write; whether it succeeded."""
        return self._queue[0][0].exception() is None

    def touches(self, feeds: set[str]) -> bool:
        """Whether a group not yet collected reads or writes one of ``feeds``."""
        return any(not feeds.isdisjoint(f) for _, _, f in self._queue)

    def wait(self) -> list[_Ready]:
        """The oldest group not yet collected, once written (none: []); its error is raised
        here."""
        if not self._queue:
            return []
        future, group, _ = self._queue.popleft()
        future.result()
        return group

    def close(self) -> list[_Ready]:
        """Never leave a write running behind the caller (who may close the store next).
        Returns the groups not yet collected that are written ([]: none, or every write
        failed); a failure is logged (the caller has an error of its own, or stopped early)."""
        done: list[_Ready] = []
        while self._queue:
            future, group, _ = self._queue.popleft()
            try:
                future.result()
                done.extend(group)
            except _NotWritten:
                pass  # (the failure before it was logged)
            except Exception:
                log.exception("a group's write failed after its ingest call ended")
        if self._executor is not None:
            self._executor.shutdown(wait=True)
        return done


class _NotWritten(Exception):
    """A group queued behind a failed write, left unwritten."""


@dataclass
class Ingestor:
    store: Store
    extractor: Extractor
    settings: Settings = field(default_factory=Settings)
    stories: StoryIndex | None = None
    # Optional process pool for cleaning + extraction (monitor.parallel); its workers must
    # build the same extractor as `extractor`. The owner of the pool closes it.
    pool: ProcessPool | None = None
    _learned: dict[str, frozenset[str]] = field(default_factory=dict)
    _learn_state: dict[str, _LearnState] = field(default_factory=dict)
    _pending: int = 0  # rows in derive_pending (this process is the only writer)
    _derived_at: float = field(default_factory=time.monotonic)
    _unvacuumed: int = 0  # articles written since the last merging checkpoint
    _days_unmerged: int = 0  # articles written since the day tables were last merged
    # Every pending id is a new article (never counted, none an update): the derive step
    # appends (aggregates.append) instead of recomputing (refresh). Not known for ids a
    # killed process left pending (set in __post_init__).
    _appendable: bool = True
    # the hours of the rows appended since the last compaction (aggregates.compact)
    _uncompacted: aggregates.Span = field(default_factory=aggregates.Span)
    _recent: learned_mod.RecentKeys = field(init=False, repr=False)
    # the learned keys stored when this ingestor started, per feed (learned_keys_all)
    _stored_learned: dict[str, frozenset[str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # this process is the only writer of articles: what it commits keeps the samples exact
        self._recent = learned_mod.RecentKeys(self._recent_rows, LEARN_SAMPLE, LEARN_CACHE_ARTICLES)
        self._stored_learned = _by_feed(self.store.query("learned_keys_all"))
        # pyarrow imports pandas on its first pa.array (~0.25-0.4 s of CPU, once per process);
        # every write builds Arrow tables, so pay it here, not in the first group's write
        pa.array([], pa.string())
        fewer_collections()
        if self.stories is None:
            self.stories = self._warm_story_index()
        # a process killed between a batch's commit and the next derive step left ids behind
        self._pending = self.store.query("derive_pending_count")[0][0]
        self._appendable = self._pending == 0
        # ...and one killed before its call's compaction left appended rows unmerged
        lo, hi = self.store.query("agg_uncompacted_span")[0]
        if lo is not None:
            self._uncompacted.add(lo, hi)
        self.catch_up()
        self.compact()

    def catch_up(self) -> None:
        """Bring the derived data (pre-aggregates, keyword index) up to date with every
        article written so far; nothing to do when it already is."""
        if self._pending:
            self._write([], derive=True)

    def _warm_story_index(self) -> StoryIndex:
        window = timedelta(days=self.settings.story_window_days)
        index = StoryIndex(
            threshold=self.settings.story_threshold,
            window=window,
            max_entries=self.settings.story_max_entries,
        )
        for art_id, text, published in self.store.query("recent_story_texts", days=window.days):
            index.assign(art_id, text or "", published)
        return index

    def learned_for(self, feed: str) -> frozenset[str]:
        if feed not in self._learned:  # (this process is the only writer of learned keys)
            self._learned[feed] = self._stored_learned.get(feed, frozenset())
        return self._learned[feed]

    def ingest(
        self,
        feed: str,
        entries: Sequence[FeedEntry],
        fetch: FetchRecord | None = None,
        force: bool = False,
    ) -> IngestResult:
        """Store new and changed entries (all of them with `force`, as reprocess does)."""
        parts = [(fetch, None)] if fetch is not None else []
        batch = Batch(feed, tuple(entries), parts, force)
        ready = self._ready(self._prepare(batch, {}))
        try:
            self._write([ready], derive=True)
        except BaseException:
            self._recent.forget()  # what the failed write left is read from the store again
            raise
        self._committed([ready])
        self.compact()
        return ready.result

    def ingest_many(
        self, batches: Iterable[Batch], group_items: int | None = None
    ) -> Iterator[tuple[Batch, IngestResult, list[IngestResult | None]]]:
        """`ingest` for each batch, in order, with the same rows as one call per batch.

        With a pool, batch k+1 is cleaned and extracted by the workers while this process
        learns, groups stories and writes batch k (one batch of look-ahead: memory stays
        bounded). Consecutive batches of different feeds share one transaction, up to
        ``group_items`` articles (default `Settings.import_batch_items`): a transaction and
        its dozen statements cost ~100 ms whatever their size, so a stream of small batches
        (300 feeds of a few items each) pays it once per group. A feed's next batch is only
        processed once its previous one is written (learning reads the stored texts).

        With a pool, a group is written by a writer thread (`_Writer`) while this thread
        learns and cleans the next groups' batches: DuckDB releases the GIL while it runs a
        statement or commits. Up to WRITE_QUEUE_GROUPS groups wait for the writer, in order,
        and a batch of a feed in one of them waits for its commit (learning reads the feed's
        stored texts).

        A batch is probed before the batches ahead of it are written: the ids and hashes
        they are about to write stand in for the store (`inflight`), so a repeated article
        is seen as known, exactly as after their commit. Results come once written."""
        limit = group_items or self.settings.import_batch_items
        inflight: dict[str, str] = {}
        ahead: deque[_Work] = deque()
        group: list[_Ready] = []
        writer = _Writer(threaded=self.pool is not None, depth=WRITE_QUEUE_GROUPS)
        try:
            for batch in batches:
                work = self._prepare(batch, inflight)
                inflight.update((e.article_id, work.hashes[e.article_id]) for e in work.todo)
                ahead.append(work)
                if len(ahead) > 1:
                    yield from self._add_to_group(group, ahead.popleft(), inflight, limit, writer)
            while ahead:
                yield from self._add_to_group(group, ahead.popleft(), inflight, limit, writer)
            # the call ends exact: its last transaction derives from everything pending
            yield from self._flush(group, inflight, writer, derive=True)
            while writer.queued:
                yield from self._collect(writer, inflight)
        except Exception:
            # a group committed before the failure is reported as stored (its caller must
            # not store its batches again), as when the writes were made in this thread
            yield from self._collect_written(writer, inflight)
            raise
        finally:
            self._committed(writer.close())  # (the caller stopped early)
            if writer.failed:  # (also when its error was only logged, by close)
                self._recent.forget()  # what the failed write left is read from the store again
        self.catch_up()  # (when the last group was already written)
        self.compact()

    def compact(self) -> None:
        """Merge the pre-aggregate rows the derive steps appended since the last time (one
        row per key: aggregates.compact), in a transaction of its own. At the end of every
        ingest call, not in every derive step: merging a day's keys at each step would read
        the day's rows again, as the recompute did. Once VACUUM_EVERY_ITEMS articles were
        written since the last time, the checkpoints of this commit and one after it merge
        thinned row groups (Store.vacuuming)."""
        span = self._uncompacted
        merge = self._unvacuumed >= VACUUM_EVERY_ITEMS
        if not span and not merge:
            return
        with self.store.vacuuming() if merge else nullcontext():
            if span:
                with self.store.transaction() as cur:
                    aggregates.compact(cur, span.lo, span.hi)
                    sql.execute(cur, "agg_uncompacted_clear")
                self._uncompacted = aggregates.Span()
        if merge:
            self._unvacuumed = 0

    def _add_to_group(self, group: list[_Ready], work: _Work, inflight, limit: int, writer):
        feeds = work.feeds
        if any(not feeds.isdisjoint(r.work.feeds) for r in group):
            yield from self._flush(group, inflight, writer)
        while writer.touches(feeds):  # learning reads what those writes store
            yield from self._collect(writer, inflight)
        group.append(self._ready(work))
        if sum(r.count for r in group) >= limit:
            yield from self._flush(group, inflight, writer)

    def _flush(self, group: list[_Ready], inflight, writer: _Writer, derive: bool = False):
        """Hand the group to the writer (once its queue has room), then report the groups
        already written."""
        if not group:
            return
        while writer.full:
            yield from self._collect(writer, inflight)
        written = list(group)
        group.clear()
        writer.submit(self._write_when_due, written, derive)
        while writer.oldest_done():
            yield from self._collect(writer, inflight)

    def _write_when_due(self, group: list[_Ready], derive: bool) -> None:
        """`_write`, deriving when asked or due (decided in the writer's turn: whether it is
        due depends on the groups written before this one)."""
        self._write(group, derive or self._derive_due(group))

    def _collect(self, writer: _Writer, inflight: dict[str, str]):
        """Wait for the group in flight (re-raising its error) and report its batches."""
        try:
            group = writer.wait()
        except BaseException:
            self._recent.forget()  # what the failed write left is read from the store again
            raise
        self._committed(group)
        for ready in group:
            work = ready.work
            for e in work.todo:  # stored now: the store answers for them again
                if inflight.get(e.article_id) == work.hashes[e.article_id]:
                    del inflight[e.article_id]
            yield work.batch, ready.result, [r for _, r in ready.fetches]

    def _collect_written(self, writer: _Writer, inflight: dict[str, str]):
        """`_collect` the groups that are written, oldest first, up to one whose write
        failed (left to `_Writer.close`, which logs it: the caller raises its own error)."""
        while writer.queued and writer.oldest_written():
            yield from self._collect(writer, inflight)

    def _derive_due(self, group: list[_Ready]) -> bool:
        """Whether a long ingest call should derive in this group's transaction."""
        written = self._pending + sum(r.count for r in group)
        waited = time.monotonic() - self._derived_at
        return written >= DERIVE_EVERY_ITEMS or (written > 0 and waited >= DERIVE_EVERY_S)

    def _known_hashes(self, ids: list[str]) -> dict[str, str]:
        """Stored content hashes of `ids`, PROBE_IDS at a time (see article_hashes.sql); a
        shorter chunk takes the smallest of PROBE_TIERS that holds it (binding is most of a
        small probe's cost). Ids the store's filter of stored ids does not hold are not
        stored: only the others are probed (in an import, hardly any)."""
        known: dict[str, str] = {}
        ids = self.store.stored_ids().maybe_stored(ids)
        if not ids:
            return known
        with self.store.cursor() as cur:
            for lo in range(0, len(ids), PROBE_IDS):
                chunk = ids[lo : lo + PROBE_IDS]
                size = next(t for t in PROBE_TIERS if len(chunk) <= t)
                chunk += [chunk[0]] * (size - len(chunk))
                params = {f"id{i}": v for i, v in enumerate(chunk)}
                query = "article_hashes" if size == PROBE_IDS else f"article_hashes_{size}"
                known.update(sql.execute(cur, query, **params).fetchall())
        return known

    def _prepare(self, batch: Batch, inflight: dict[str, str]) -> _Work:
        """Decide what to (re)process and hand it to the pool (when there is one)."""
        entries, feed = batch.entries, batch.feed
        hashes = batch.hashes or {e.article_id: content_hash(e) for e in entries}
        known = self._known_hashes(list(hashes))
        known.update((i, inflight[i]) for i in hashes if i in inflight)
        todo = [
            e for e in entries if batch.force or known.get(e.article_id) != hashes[e.article_id]
        ]
        # before they are written: a failed write leaves keys of ids not stored (a probe
        # more), never a stored id the filter does not hold
        self.store.stored_ids().add(e.article_id for e in todo)
        learned = self.learned_for(feed)
        work = _Work(batch, hashes, known, todo, learned)
        if self.pool is not None and todo:
            # A batch that will learn is cleaned first, extracted after learning (once).
            # Even a batch of one goes to the pool: it is processed while this process
            # writes the batch before it (the main process is the bottleneck; a small batch
            # kept here cost it a whole clean + extract).
            # Both kinds also ship each kept paragraph's key (learning and the feed's sample
            # of stored articles, `_recent`, key every paragraph: ~60 us an article in this
            # process, ~14 from the shipped keys).
            kind = "clean_slim" if self._learning_expected(feed, len(todo)) else "process_keyed"
            work.pending = self.pool.submit(kind, todo, learned, min_parallel=1)
            work.extracted = kind == "process_keyed"
        return work

    def _learning_expected(self, feed: str, n: int) -> bool:
        state = self._learn_state.get(feed)
        return n > 0 and (state is None or state.young or state.pending + n >= RELEARN_EVERY)

    def _ready(self, work: _Work) -> _Ready:
        """Processed and counted, ready to write."""
        written, finish = self._process(work)
        known = work.known
        updated = sum(1 for i in written if i in known)
        n = len(work.batch.entries)
        result = IngestResult(n, len(written) - updated, updated)
        todo_ids = work.todo_ids if len(work.batch.parts) > 1 else set()
        fetches = [
            (record, result if ids is None else _part_result(ids, todo_ids, known))
            for record, ids in work.batch.parts
        ]
        return _Ready(work, finish, result, fetches, len(written))

    def _process(self, work: _Work) -> tuple[list[str], Callable[[], list[ProcessedArticle]]]:
        """Clean (with the feed's learned keys as they are now), learn when due, clean again
        the articles the new keys touch, then extract each article once. Returns the ids of
        the articles to write and a call that returns them processed, in write order: what
        is still owed after learning (cleaning again, extraction) is left running in the
        pool until then, so this process goes on to the next batch meanwhile."""
        feed, todo = work.batch.feed, work.todo
        learned = self.learned_for(feed)
        analysed: list[tuple[ExtractionColumns, Sketch] | None] = [None] * len(todo)
        keys: list[tuple[str, ...]] | None = None  # the workers' paragraph keys, if any
        if work.pending is None:
            cleaned = clean_many(todo, learned)
        elif work.extracted:
            done = work.pending.result()  # (changed or None, cleaned, extraction, sketch, keys)
            cleaned = [_cleaned_entry(e, d[:2]) for e, d in zip(todo, done, strict=True)]
            analysed = [(x, sk) for _, _, x, sk, _ in done]
            keys = [d[4] for d in done]
        else:  # (changed entry or None, cleaned, its paragraphs' keys)
            done = work.pending.result()
            cleaned = [_cleaned_entry(e, d[:2]) for e, d in zip(todo, done, strict=True)]
            keys = [d[2] for d in done]
        if learned != work.learned:  # an earlier batch of this feed learned keys meanwhile
            self._reclean(cleaned, analysed, learned, learned - work.learned)
            keys = None  # (of the paragraphs as first cleaned)
        stale: list[int] = []
        if self._due_to_learn(feed, len(todo)):
            keyed = work.keyed = learned_mod.BatchKeys(
                (c.cleaned.paragraphs for c in cleaned), keys
            )
            newly = self._learn(feed, keyed) - learned
            if newly:
                learned = self._learned[feed] = learned | newly
                stale = [i for i, c in enumerate(cleaned) if _touched_by(c.cleaned, newly, keyed)]
                if self.pool is None:
                    self._reclean(cleaned, analysed, learned, newly, stale)
                    stale = []
        elif keys is not None:  # for `_committed`: the written articles' key hashes
            work.keyed = learned_mod.BatchKeys((c.cleaned.paragraphs for c in cleaned), keys)
        # With a pool, the articles the new keys touch are cleaned again (from their first
        # cleaning: `pipeline.refilter`) and extracted in one go (nothing of them is needed
        # before the write); the others are extracted.
        stale_set = set(stale)
        missing = [i for i, x in enumerate(analysed) if x is None and i not in stale_set]
        redone = redo = None
        if self.pool is not None:
            redone = self._submit([cleaned[i] for i in stale], "refilter_process", learned)
            args = [(cleaned[i].cleaned.text, cleaned[i].entry.published) for i in missing]
            redo = self._submit(args, "analyse")
        else:
            args = [(cleaned[i].cleaned.text, cleaned[i].entry.published) for i in missing]
            extractor = self.extractor
            done = each_or_fail(
                lambda: [analyse_columns(text, at, extractor) for text, at in args],
                args,
                lambda a: analyse_columns_or_fail(a[0], a[1], extractor),
            )
            for i, x in zip(missing, done, strict=True):
                analysed[i] = x

        def finish() -> list[ProcessedArticle]:
            if redone is not None:  # (changed entry or None, cleaned, extraction, sketch)
                for i, d in zip(stale, redone.result(), strict=True):
                    cleaned[i], analysed[i] = _cleaned_entry(cleaned[i].source, d[:2]), d[2:]
            if redo is not None:
                for i, x in zip(missing, redo.result(), strict=True):
                    analysed[i] = x
            order = sorted(range(len(cleaned)), key=lambda i: cleaned[i].entry.published)
            return [
                ProcessedArticle(cleaned[i].entry, cleaned[i].cleaned, *analysed[i]) for i in order
            ]

        return [e.article_id for e in todo], finish

    def _submit(self, items: list, kind: str, *args) -> Pending | None:
        """``kind`` work for the pool, collected when the group is written. A few
        (< MIN_PARALLEL) are done in this process then: shipping them cost more CPU in all
        than it saved this process (corpus B, 300 feeds)."""
        assert self.pool is not None
        return self.pool.submit(kind, items, *args) if items else None

    def _reclean(
        self,
        cleaned: list[CleanedEntry],
        analysed: list[tuple[ExtractionColumns, Sketch] | None],
        learned: frozenset[str],
        newly: frozenset[str],
        stale: list[int] | None = None,
    ) -> None:
        """Clean again (in place) the articles that hold a paragraph keyed in ``newly``
        (``stale``, when known); their extraction, if any, is dropped. In this process, from
        the first cleaning (`pipeline.refilter`: the learned-key step again, ~4x cheaper
        than cleaning the entry again; shipping them to the pool and waiting cost more)."""
        if stale is None:
            stale = [i for i, c in enumerate(cleaned) if touched_by(c.cleaned, newly)]
        again = each_or_fail(
            lambda: [refilter(cleaned[i], learned) for i in stale],
            stale,
            lambda i: refilter_or_fail(cleaned[i], learned),
        )
        for i, c in zip(stale, again, strict=True):
            cleaned[i], analysed[i] = c, None

    def _due_to_learn(self, feed: str, new_articles: int) -> bool:
        state = self._learn_state.setdefault(feed, _LearnState())
        state.pending += new_articles
        return new_articles > 0 and (state.young or state.pending >= RELEARN_EVERY)

    def _learn(self, feed: str, batch: learned_mod.BatchKeys) -> frozenset[str]:
        """Keys in at least learn_min_share of the batch (its articles' paragraphs, keyed)
        and the feed's LEARN_SAMPLE newest stored articles, counted from the stored
        articles' key hashes kept in memory (`_recent`); from their texts in the rare pass
        where a key cannot be named so."""
        sampled, stored = self._recent.stored(feed)
        state = self._learn_state.setdefault(feed, _LearnState())
        state.pending, state.young = 0, sampled < LEARN_SAMPLE
        share, least = self.settings.learn_min_share, self.settings.learn_min_articles
        keys = learned_mod.learn_with_hashes(
            batch, stored, self._learned.get(feed, ()), min_share=share, min_articles=least
        )
        if keys is None:
            texts = [t for _, _, t in self._recent_rows(feed, LEARN_SAMPLE) if t]
            samples = [*batch.paragraphs, *(t.split(PARAGRAPH_SEPARATOR) for t in texts)]
            keys = learned_mod.learn_source_boilerplate(
                samples, min_share=share, min_articles=least
            )
        return keys

    def _recent_rows(self, feed: str, n: int) -> list[tuple]:
        """(id, published, text) of the feed's ``n`` newest stored articles, newest first."""
        if not self.store.stored_ids().has_feed(feed):  # (a feed new to the store)
            return []
        return self.store.query("recent_feed_texts", feed=feed, n=n)

    def _committed(self, group: list[_Ready]) -> None:
        """The group's articles are stored: the learning samples follow (as stored)."""
        self._recent.written(
            (p.entry.feed, p.entry.article_id, _stored_time(p.entry.published),
             p.cleaned.paragraphs, r.work.keyed)
            for r in group
            for p in r.processed
        )  # fmt: skip

    def _write(self, group: list[_Ready], derive: bool = False) -> None:
        """One transaction for the group's batches (each of another feed). The written ids
        join the pending ones; with ``derive``, the derived data is brought up to date from
        all of them in the same transaction (see DERIVE_EVERY_ITEMS)."""
        now = utcnow()
        processed = [p for r in group for p in r.processed]
        index = self.stories
        # in batch order, as one ingest per batch would assign them (assign_many: the same
        # matches as assign_sketch one by one, with the group's band hashes found at once)
        matches = index.assign_many(
            [(p.entry.article_id, _sketch_for(p, index.num_perm), p.entry.published)
             for p in processed]
        )  # fmt: skip
        stories = {p.entry.article_id: m for p, m in zip(processed, matches, strict=True)}
        hashes = {k: v for r in group for k, v in r.work.hashes.items()}
        saved = []
        updated = [  # in write order, as the ids were probed
            p.entry.article_id
            for r in group
            for p in r.processed
            if p.entry.article_id in r.work.known
        ]
        # before the transaction (a failed write leaves a feed without stored articles, which
        # is read in vain); not in `_prepare`: the batch's own learning pass comes first
        self.store.stored_ids().add_feeds({p.entry.feed for p in processed})
        # A group with updates derives now, by a recompute: the cells its updates leave are
        # recomputed before the derive step (below), counting the pending articles there,
        # which an append step after it would count a second time.
        derive = derive or bool(updated)
        append = self._appendable and not updated
        merge_days = derive and self._days_unmerged + len(processed) >= COMPACT_DAYS_EVERY_ITEMS
        with self.store.transaction() as cur:
            # the derive step sees an updated article only where it is now: the cells it
            # leaves (another hour, another story's copies) are recomputed here
            left = aggregates.cells_of(cur, updated) if updated else None
            delete_ids(cur, ("articles", *CHILD_TABLES), updated)
            insert_arrow(cur, "articles", article_rows(processed, hashes, stories, now))
            insert_arrow(cur, "removed_spans", removed_rows(processed))
            insert_arrow(cur, "mentions", mention_rows(processed, stories))
            insert_arrow(cur, "quotes", quote_rows(processed, stories))
            failed = [p for p in processed if p.error is not None]
            if failed:
                insert_arrow(cur, "article_errors", error_rows(failed, now))
            if left is not None:
                aggregates.refresh_cells(cur, left)
            written = [p.entry.article_id for p in processed]
            if derive:
                _derive(cur, written, self._pending > 0, self._uncompacted if append else None)
                if append and self._uncompacted:  # known to the next ingestor if killed now
                    span = self._uncompacted
                    sql.execute(cur, "agg_uncompacted_add", lo=span.lo, hi=span.hi)
                # appended rows are merged at the end of every ingest call; the day tables
                # get a row per key at every step, so a long call also merges them here
                if merge_days and append:
                    aggregates.compact(
                        cur, self._uncompacted.lo, self._uncompacted.hi, days_only=True
                    )
            else:
                insert_arrow(cur, "derive_pending", _id_table(written))
            learned_rows: list[tuple[str, str, str]] = []
            for r in group:
                self._upsert_discovered(cur, r.processed, now)
                saved.append(self._fresh_learned(r.processed, learned_rows))
            _insert_learned(cur, learned_rows, now)
            fetches = [f for r in group for f in r.fetches]  # each batch of another feed
            fetchlog.record_many(cur, [f for f, _ in fetches], [r for _, r in fetches])
        if derive:
            self._pending, self._derived_at = 0, time.monotonic()
            self._appendable = True
        else:
            self._pending += len(written)
        self._days_unmerged = 0 if merge_days else self._days_unmerged + len(written)
        self._unvacuumed += len(written)
        for s in saved:  # only once committed: a rolled-back batch stored nothing
            if s is not None:
                self._learn_state.setdefault(s[0], _LearnState()).persisted = s[1]
        if failed:
            _report_failures(group, failed)

    def _upsert_discovered(self, cur, processed, now: datetime) -> None:
        rows = discovered_rows(processed, now)
        if rows.num_rows:
            with sql.registered(cur, _disc=rows):
                sql.execute(cur, "upsert_discovered")

    def _fresh_learned(
        self, processed: list[ProcessedArticle], rows: list[tuple[str, str, str]]
    ) -> tuple[str, frozenset[str]] | None:
        """Add to ``rows`` the keys learned in this batch not yet stored, as (feed, key, a
        paragraph it stands for, for listing). Returns (feed, keys stored once this
        transaction commits)."""
        if not processed:
            return None
        feed = processed[0].entry.feed
        stored = self._learn_state.setdefault(feed, _LearnState()).persisted
        if stored is None:  # what was stored at start-up (nothing since: persisted is set)
            stored = self._stored_learned.get(feed, frozenset())
        fresh = self._learned.get(feed, frozenset()) - stored
        examples = {
            learned_mod.paragraph_key(r.text): r.text
            for p in processed
            for r in p.cleaned.removed
            if r.reason == "learned-boilerplate"
        }
        rows.extend((feed, key, examples.get(key, key)) for key in sorted(fresh))
        return feed, stored | fresh


def _report_failures(group: list[_Ready], failed: list[ProcessedArticle]) -> None:
    """Once the articles whose cleaning or extraction raised are stored: a warning with the
    traceback for each (once: an unchanged re-poll does not process them again), and their
    count in their batches' results (the import's and the poll's reports)."""
    for p in failed:
        e, err = p.entry, p.error
        log.warning(
            "article %s of feed %s (%s) stored without its %s: %s: %s\n%s",
            e.article_id, e.feed, e.url or e.title or "no url", _STAGES.get(err.stage, err.stage),
            err.error_type, err.message, err.trace.rstrip(),
        )  # fmt: skip
    ids = {p.entry.article_id for p in failed}
    for r in group:
        n = sum(1 for p in r.processed if p.entry.article_id in ids)
        if not n:
            continue
        r.result = replace(r.result, failed=n)
        r.fetches = [
            (record, None if res is None else replace(res, failed=n if part is None
                                                      else len(ids.intersection(part))))
            for (record, res), (_, part) in zip(r.fetches, r.work.batch.parts, strict=True)
        ]  # fmt: skip


_STAGES = {"clean": "cleaning", "extract": "extraction"}


def _insert_learned(cur, rows: list[tuple[str, str, str]], now: datetime) -> None:
    """The group's learned keys in one statement (a batch's feed is in no other batch of
    its group, so (feed, key) is unique)."""
    if not rows:
        return
    feeds, keys, texts = zip(*rows, strict=True)
    table = pa.table(
        {
            "feed": pa.array(feeds, pa.string()),
            "key": pa.array(keys, pa.string()),
            "text": pa.array(texts, pa.string()),
            "learned_at": pa.array([now] * len(rows), pa.timestamp("us")),
        }
    )
    with sql.registered(cur, _learned=table):
        sql.execute(cur, "insert_learned_rows")


def _derive(cur, written: list[str], pending: bool, span: aggregates.Span | None) -> None:
    """Refresh the pre-aggregates and the keyword index for the articles just written and the
    pending ones, and clear the pending rows (on `cur`'s transaction). With `span` (every id
    is a new article), the pre-aggregates get the ids' rows appended (aggregates.append,
    extending `span`); else their cells are recomputed (refresh: exact whatever the ids'
    history). One call over the union leaves the same aggregates as one call per batch."""
    ids = written
    if pending:
        waiting = [r[0] for r in sql.execute(cur, "derive_pending_ids").fetchall()]
        sql.execute(cur, "derive_pending_clear")
        ids = list(dict.fromkeys([*waiting, *written]))
    if span is not None:
        aggregates.append(cur, ids, span)
    else:
        aggregates.refresh(cur, ids)
    terms.refresh(cur, ids)


def _by_feed(rows: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    keys: dict[str, set[str]] = {}
    for feed, key in rows:
        keys.setdefault(feed, set()).add(key)
    return {feed: frozenset(k) for feed, k in keys.items()}


def _stored_time(published: datetime) -> datetime:
    """``published`` as the store holds it (TIMESTAMP: naive UTC, as Arrow converts it)."""
    if published.tzinfo is None:
        return published
    return published.astimezone(UTC).replace(tzinfo=None)


def _id_table(ids: list[str]) -> pa.Table:
    return pa.table({"article_id": pa.array(ids, pa.string())})


def _cleaned_entry(
    source: FeedEntry, slim: tuple[FeedEntry | None, CleanedArticle]
) -> CleanedEntry:
    """A worker's slim cleaning result with the entry it was sent."""
    entry, cleaned = slim
    return CleanedEntry(source, entry or source, cleaned)


def _touched_by(
    cleaned: CleanedArticle, keys: frozenset[str], keyed: learned_mod.BatchKeys
) -> bool:
    """`pipeline.touched_by` of a paragraph list ``keyed`` holds, with its keys: those a
    worker made never went through `learned.paragraph_key`'s cache, and keying them again
    here is what shipping them saved."""
    return touched_by(cleaned, keys) if keyed.collided else touched_by(cleaned, keys, keyed.key_of)


def _sketch_for(p: ProcessedArticle, num_perm: int) -> Sketch:
    """The sketch the worker made, unless the index uses another number of permutations."""
    if p.sketch is not None and (p.sketch.signature is None or p.sketch.num_perm == num_perm):
        return p.sketch
    return sketch(p.cleaned.text, num_perm)


def _part_result(ids: Sequence[str], todo: set[str], known: dict[str, str]) -> IngestResult:
    """One file's share of a batch that merged several files (an id is in one file only)."""
    new = sum(1 for i in ids if i in todo and i not in known)
    updated = sum(1 for i in ids if i in todo and i in known)
    return IngestResult(len(ids), new, updated)
