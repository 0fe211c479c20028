"""Entries → processed articles → one DuckDB transaction per feed batch.

The ingestor is the only writer of articles. It decides what is new or changed (by content
hash), runs the pure pipeline on those, assigns stories, and commits articles, their
extractions, the fetch record and the feed's health together, so a crash at any point leaves
either the whole batch or none of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pyarrow as pa

from monitor import aggregates, sql
from monitor import learned as learned_mod
from monitor.config import Settings
from monitor.extract import Extractor
from monitor.models import FeedEntry
from monitor.parallel import ProcessPool
from monitor.pipeline import ProcessedArticle, content_hash, process_entry
from monitor.rows import article_rows, discovered_rows, mention_rows, quote_rows, removed_rows
from monitor.schedule import HealthUpdate
from monitor.store import Store, delete_ids, insert_arrow, utcnow
from monitor.stories import StoryIndex

CHILD_TABLES = ("removed_spans", "mentions", "quotes")
LEARN_SAMPLE = 200
# New articles of one feed between two learning passes once the feed has a full sample.
# Learning reads the feed's LEARN_SAMPLE newest texts (a scan of the articles table); doing
# it on every batch cost more than cleaning the batch. Furniture that appears in half of a
# source's articles is still caught within this many articles.
RELEARN_EVERY = 100


@dataclass
class _LearnState:
    """Per-feed bookkeeping that decides when to learn again."""

    pending: int = 0  # articles processed since the last learning pass
    young: bool = True  # fewer than LEARN_SAMPLE articles stored: learn on every batch
    persisted: frozenset[str] | None = None  # learned keys known to be in the store


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

    @property
    def unchanged(self) -> int:
        return self.seen - self.new - self.updated


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

    def __post_init__(self) -> None:
        if self.stories is None:
            self.stories = self._warm_story_index()

    def _warm_story_index(self) -> StoryIndex:
        window = timedelta(days=self.settings.story_window_days)
        index = StoryIndex(threshold=self.settings.story_threshold, window=window)
        for art_id, text, published in self.store.query("recent_story_texts", days=window.days):
            index.assign(art_id, text or "", published)
        return index

    def learned_for(self, feed: str) -> frozenset[str]:
        if feed not in self._learned:
            rows = self.store.query("learned_keys", feed=feed)
            self._learned[feed] = frozenset(r[0] for r in rows)
        return self._learned[feed]

    def ingest(
        self,
        feed: str,
        entries: Sequence[FeedEntry],
        fetch: FetchRecord | None = None,
        force: bool = False,
    ) -> IngestResult:
        """Store new and changed entries (all of them with `force`, as reprocess does)."""
        hashes = {e.article_id: content_hash(e) for e in entries}
        known = self._known_hashes(list(hashes))
        todo = [e for e in entries if force or known.get(e.article_id) != hashes[e.article_id]]
        processed = self._process(feed, todo)
        updated_ids = [p.entry.article_id for p in processed if p.entry.article_id in known]
        result = IngestResult(len(entries), len(processed) - len(updated_ids), len(updated_ids))
        self._write(processed, hashes, updated_ids, fetch, result)
        return result

    def _known_hashes(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        with self.store.cursor() as cur:
            cur.register("_probe", pa.table({"id": pa.array(ids, pa.string())}))
            return dict(sql.execute(cur, "article_hashes").fetchall())

    def _process(self, feed: str, entries: Sequence[FeedEntry]) -> list[ProcessedArticle]:
        learned = self.learned_for(feed)
        done = self._process_entries(entries, learned)
        newly = self._learn(feed, done) - learned if self._due_to_learn(feed, len(done)) else None
        if newly:
            learned = self._learned[feed] = learned | newly
            done = self._reclean(done, learned, newly)
        return sorted(done, key=lambda p: p.entry.published)

    def _process_entries(
        self, entries: Sequence[FeedEntry], learned: frozenset[str]
    ) -> list[ProcessedArticle]:
        if self.pool is not None:
            return self.pool.process(entries, learned)
        return [process_entry(e, self.extractor, learned) for e in entries]

    def _reclean(
        self, done: list[ProcessedArticle], learned: frozenset[str], newly: frozenset[str]
    ) -> list[ProcessedArticle]:
        """Process again the articles that hold a paragraph learned in this batch."""
        stale = [
            i
            for i, p in enumerate(done)
            if any(learned_mod.paragraph_key(par) in newly for par in p.cleaned.paragraphs)
        ]
        redone = self._process_entries([done[i].entry for i in stale], learned)
        out = list(done)
        for i, p in zip(stale, redone, strict=True):
            out[i] = p
        return out

    def _due_to_learn(self, feed: str, new_articles: int) -> bool:
        state = self._learn_state.setdefault(feed, _LearnState())
        state.pending += new_articles
        return new_articles > 0 and (state.young or state.pending >= RELEARN_EVERY)

    def _learn(self, feed: str, batch: list[ProcessedArticle]) -> frozenset[str]:
        stored = [r[0] for r in self.store.query("recent_feed_texts", feed=feed, n=LEARN_SAMPLE)]
        state = self._learn_state.setdefault(feed, _LearnState())
        state.pending, state.young = 0, len(stored) < LEARN_SAMPLE
        samples = [p.cleaned.paragraphs for p in batch] + [t.split("\n\n") for t in stored if t]
        return learned_mod.learn_source_boilerplate(
            samples,
            min_share=self.settings.learn_min_share,
            min_articles=self.settings.learn_min_articles,
        )

    def _write(self, processed, hashes, updated_ids, fetch, result) -> None:
        now = utcnow()
        stories = {
            p.entry.article_id: self.stories.assign(
                p.entry.article_id, p.cleaned.text, p.entry.published
            )
            for p in processed
        }
        with self.store.transaction() as cur:
            delete_ids(cur, ("articles", *CHILD_TABLES), updated_ids)
            insert_arrow(cur, "articles", article_rows(processed, hashes, stories, now))
            insert_arrow(cur, "removed_spans", removed_rows(processed))
            insert_arrow(cur, "mentions", mention_rows(processed, stories, self.extractor))
            insert_arrow(cur, "quotes", quote_rows(processed, stories, self.extractor))
            # the dashboard's pre-aggregates, in the same transaction so they never disagree
            aggregates.refresh(cur, [p.entry.article_id for p in processed])
            self._upsert_discovered(cur, processed, now)
            saved = self._save_learned(cur, processed)
            if fetch is not None:
                record_fetch(cur, fetch, result)
        if saved is not None:  # only once committed: a rolled-back batch stored nothing
            self._learn_state.setdefault(saved[0], _LearnState()).persisted = saved[1]

    def _upsert_discovered(self, cur, processed, now: datetime) -> None:
        rows = discovered_rows(processed, now)
        if rows.num_rows:
            cur.register("_disc", rows)
            sql.execute(cur, "upsert_discovered")
            cur.unregister("_disc")

    def _save_learned(self, cur, processed) -> tuple[str, frozenset[str]] | None:
        """Persist keys learned in this batch, with a paragraph they stand for (for listing).
        Returns (feed, keys stored once this transaction commits)."""
        if not processed:
            return None
        feed = processed[0].entry.feed
        stored = self._learn_state.setdefault(feed, _LearnState()).persisted
        if stored is None:  # once per feed and process, not once per batch
            stored = frozenset(r[0] for r in sql.execute(cur, "learned_keys", feed=feed).fetchall())
        fresh = self._learned.get(feed, frozenset()) - stored
        examples = {
            learned_mod.paragraph_key(r.text): r.text
            for p in processed
            for r in p.cleaned.removed
            if r.reason == "learned-boilerplate"
        }
        for key in sorted(fresh):
            sql.execute(
                cur, "insert_learned", feed=feed, key=key, text=examples.get(key, key), at=utcnow()
            )
        return feed, stored | fresh


def record_fetch(cur, fetch: FetchRecord, result: IngestResult | None) -> None:
    """Append the attempt to `fetches` and fold it into the feed's health row."""
    seen, new, updated = (result.seen, result.new, result.updated) if result else (0, 0, 0)
    sql.execute(
        cur,
        "insert_fetch",
        feed=fetch.feed,
        url=fetch.url,
        started_at=fetch.started_at,
        status=fetch.status,
        seen=seen,
        new=new,
        updated=updated,
        duration_ms=fetch.duration_ms,
        error=fetch.error,
    )
    sql.execute(
        cur,
        "upsert_feed_state",
        feed=fetch.feed,
        url=fetch.url,
        etag=fetch.etag,
        last_modified=fetch.last_modified,
        at=fetch.started_at,
        status=fetch.status,
        error=fetch.error,
        ok=fetch.ok,
        next_poll_at=fetch.next_poll_at,
    )
    if fetch.health is not None:
        h = fetch.health
        sql.execute(
            cur,
            "health_update",
            feed=fetch.feed,
            gone=h.gone,
            retry_after=h.retry_after,
            fetch_url=h.fetch_url,
            moved_to=h.moved_to,
            redirect_count=h.redirect_count,
        )
