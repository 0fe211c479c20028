"""Adversarial equivalence of the append-only derive step (aggregates.append, Ingestor's
derive steps) with a recomputation: hypothesis draws sequences of ingest calls through the
real Ingestor on a real DuckDB file (new articles in small groups that derive every few
items, syndicated copies of stored stories arriving in later derives (1 -> 2 -> 3 copies, in
the same hour and feed or not, quoted stories among them), updates of stored articles (a
changed text: the recompute path), single-batch calls, and a process that stops with ids
pending and appended rows not yet merged, followed by a new Ingestor). Between the groups
of a call (rows appended, not merged) and after each call:

(a) the per-key sums of every cells table and the rows of every spread table (duplicates
    count) equal what `aggregates.rebuild` gives; the dashboard's readers see only those;
(b) after `aggregates.compact(cur)`, every table equals the rebuild row for row;
(c) after a call that ran to its end (no stopped process before it), every table equals the
    rebuild row for row without an explicit compaction (the call merged what it appended).

The rebuild and the compaction run in a transaction that is rolled back: the store goes on
with the rows the ingestor left."""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from monitor import aggregates
from monitor import ingest as ingest_mod
from monitor.config import Settings
from monitor.ingest import Batch, Ingestor
from monitor.parallel import ExtractorSpec
from monitor.store import open_store
from monitor.synth import SynthConfig, iter_entries

# draws one of a sequence's items (hypothesis' data.draw, or a seeded random.choice)
Pick = Callable[[Sequence], Any]
# One day over three feeds: ~4 articles an hour, a third of them syndicated copies.
CFG = SynthConfig(articles=90, days=1, sources=3, seed=7, syndicated=0.35)
ENTRIES = sorted(iter_entries(CFG), key=lambda e: (e.published, e.article_id))
FEEDS = sorted({e.feed for e in ENTRIES})

# Each cells table's key columns (the readers group by these, or by fewer of them) and its
# summed counts; `name` is the group's any_value (one name per entity in this corpus) and
# `spokesperson` is bool_or'ed by the readers.
CELLS = {
    "agg_mention_cells": ("hour, feed, kind, entity_id", "articles, solo_stories"),
    "agg_pair_cells": (
        "hour, feed, country_a, name_a, country_b, name_b",
        "articles, solo_stories",
    ),
    "agg_article_cells": ("hour, feed", "articles, solo_stories"),
    "agg_quoted_cells": ("hour, feed, kind, entity_id", "articles, solo_stories"),
    "agg_day_cells": ("day, kind, entity_id", "articles, solo_stories"),
    "agg_day_pair_cells": ("day, country_a, name_a, country_b, name_b", "articles, solo_stories"),
    "agg_day_quote_cells": ("day, speaker", "units, solo_units"),
}
SPREAD = tuple(t for t in aggregates.TABLES if t not in CELLS)
_EXTRA = {
    "agg_mention_cells": ", bool_or(spokesperson)",
    "agg_day_cells": ", bool_or(spokesperson)",
}


def _sums(cur, table: str) -> list[tuple]:
    """One row per key: the key, min(name) where there is one, the sums of its counts (keys
    whose counts sum to zero included: a reader without HAVING would show them)."""
    key, counts = CELLS[table]
    named = (
        ", min(name)" if table in ("agg_mention_cells", "agg_quoted_cells", "agg_day_cells") else ""
    )
    total = ", ".join(f"sum({c})" for c in counts.split(", "))
    query = f"SELECT {key}{named}, {total}{_EXTRA.get(table, '')} FROM {table} GROUP BY {key}"  # noqa: S608
    return sorted(cur.execute(query).fetchall())


def _read(cur) -> dict[str, list[tuple]]:
    return {t: sorted(cur.execute(f"SELECT * FROM {t}").fetchall()) for t in aggregates.TABLES}  # noqa: S608


def _summed(cur) -> dict[str, list[tuple]]:
    out = {t: _sums(cur, t) for t in CELLS}
    out.update({t: sorted(cur.execute(f"SELECT * FROM {t}").fetchall()) for t in SPREAD})  # noqa: S608
    return out


def _several(cur) -> list[tuple]:
    """The keys of the compacted range (03:00-09:00 of the corpus' first day; the day
    tables: that day) that still have several rows."""
    out = []
    for table, (key, _) in CELLS.items():
        grain = "day" if table.startswith("agg_day_") else "hour"
        lo, hi = CFG.start + timedelta(hours=3), CFG.start + timedelta(hours=9)
        if grain == "day":
            lo, hi = CFG.start, CFG.start + timedelta(days=1)
        query = (
            f"SELECT '{table}', {key} FROM {table} WHERE {grain} >= ? AND {grain} < ? "  # noqa: S608
            f"GROUP BY {key} HAVING count(*) > 1"
        )
        out += cur.execute(query, [lo, hi]).fetchall()
    return out


def _check(store, merged: bool) -> dict[str, int]:
    """(a) and (b) of the module docstring, and (c) when `merged`; returns the number of
    rows above one per key in each cells table (what is left to merge)."""
    with store.cursor() as cur:
        summed, rows = _summed(cur), _read(cur)
        cur.execute("BEGIN")
        try:
            # a range first (hours 03:00-09:00 of the corpus' day, and their day): the sums
            # stay, the keys in it have one row left
            aggregates.compact(cur, CFG.start + timedelta(hours=3), CFG.start + timedelta(hours=9))
            partly, left = _summed(cur), _several(cur)
            aggregates.compact(cur)
            compacted = _read(cur)
            aggregates.rebuild(cur)
            rebuilt, rebuilt_sums = _read(cur), _summed(cur)
        finally:
            cur.execute("ROLLBACK")
    assert not left, ("keys with several rows left in the compacted range", left)
    for table in aggregates.TABLES:
        assert summed[table] == rebuilt_sums[table], ("sums", table)
        assert partly[table] == rebuilt_sums[table], ("sums after a compacted range", table)
        assert compacted[table] == rebuilt[table], ("compacted", table)
        if merged:
            assert rows[table] == rebuilt[table], ("merged at the end of the call", table)
    return {t: len(rows[t]) - len(summed[t]) for t in CELLS}


@dataclasses.dataclass
class _Run:
    """The store under test, the entries not yet ingested and what is stored."""

    store: object
    ingestor: Ingestor
    extractor: object
    fresh: list = dataclasses.field(default_factory=lambda: list(ENTRIES))
    stored: list = dataclasses.field(default_factory=list)
    serial: itertools.count = dataclasses.field(default_factory=itertools.count)
    merged: bool = True  # no stopped process left rows unmerged
    checks: int = 0  # checks between the groups of a call (nothing pending)
    unmerged_seen: int = 0  # of those, the checks that saw a key with several rows

    def take(self, n: int) -> list:
        out, self.fresh = self.fresh[:n], self.fresh[n:]
        return out

    def copies(self, n: int, pick: Pick, same_cell: bool) -> list:
        """Syndicated copies of stored articles (the same body, so the same story): in the
        original's hour and feed, or another feed and a few hours later."""
        out = []
        for _ in range(n if self.stored else 0):
            e = pick(self.stored)
            k = next(self.serial)
            feed = e.feed if same_cell else pick(FEEDS)
            if same_cell:  # within the original's hour
                when = min(e.published.replace(minute=59), e.published + timedelta(minutes=1))
            else:
                when = e.published + timedelta(hours=pick(range(-5, 6)))
            out.append(
                dataclasses.replace(
                    e,
                    article_id=f"copy-{k}",
                    guid=f"copy-{k}",
                    url=f"https://copies.example/{k}",
                    title=f"Copy {k}",
                    feed=feed,
                    published=when,
                )
            )
        return out

    def updates(self, n: int, pick: Pick) -> list:
        """Stored articles with a changed text (another story, other countries), half of
        them re-dated by an hour."""
        chosen = {
            e.article_id: e for e in (pick(self.stored) for _ in range(n if self.stored else 0))
        }
        out = []
        for e in chosen.values():
            k = next(self.serial)
            out.append(
                dataclasses.replace(
                    e,
                    raw_content=f"<p>Officials in Tokyo and Ottawa met on item {k}.</p>",
                    published=e.published + timedelta(hours=k % 2),
                )
            )
        return out


def _batches(entries: list) -> list[Batch]:
    """One batch per run of entries of one feed, in the given order."""
    out: list[Batch] = []
    for feed, group in itertools.groupby(entries, key=lambda e: e.feed):
        out.append(Batch(feed, tuple(group)))
    return out


OPS = st.sampled_from(["new", "copies", "same-cell", "update", "one", "stop"])


@pytest.fixture(scope="module")
def extractor():
    return ExtractorSpec().build()


def _ingest_many(
    run: _Run, entries: list, group: int, stop_after: int | None, extra: Sequence[Batch] = ()
) -> None:
    """ingest_many over `entries` (then the `extra` batches) in groups of `group` articles;
    checks between the groups
    (appended rows not merged yet). With `stop_after`, the caller stops after that many
    groups: the ids written since the last derive step stay pending, the appended rows
    unmerged, and a new Ingestor (a restarted process) takes over."""
    results = run.ingestor.ingest_many([*_batches(entries), *extra], group_items=group)
    for i, (batch, _, _) in enumerate(results):
        run.stored.extend(e for e in batch.entries if e not in run.stored)
        if stop_after is not None and i + 1 >= stop_after:
            results.close()
            run.merged = False
            run.ingestor = Ingestor(run.store, run.extractor, Settings(db_path=run.store.path))
            return
        if run.store.query("derive_pending_count")[0][0]:
            continue  # a group that did not derive: its articles are not counted yet
        left = _check(run.store, merged=False)
        run.checks += 1
        run.unmerged_seen += any(left.values())


def _write(run: _Run, op: str, n: int, group: int, pick: Pick) -> None:
    if op == "new":
        _ingest_many(run, run.take(n), group, None)
    elif op in ("copies", "same-cell"):
        mixed = run.take(n // 2) + run.copies(n - n // 2, pick, same_cell=op == "same-cell")
        _ingest_many(run, sorted(mixed, key=lambda e: e.published), group, None)
    elif op == "update":  # stored articles, and one of the call's own (pending) rewritten
        new = run.take(n)
        own = [dataclasses.replace(e, raw_content="<p>Rewritten in Tokyo.</p>") for e in new[:1]]
        _ingest_many(
            run, new + run.updates(3, pick), group, None, [Batch(e.feed, (e,)) for e in own]
        )
    elif op == "one":
        entries = run.take(n)
        if entries:
            feed = entries[0].feed
            run.ingestor.ingest(feed, tuple(e for e in entries if e.feed == feed))
            run.stored.extend(e for e in entries if e.feed == feed)
    else:  # "stop"
        _ingest_many(run, run.take(n) + run.copies(2, pick, same_cell=True), group, 2)


@settings(
    max_examples=3,
    deadline=None,
    # no shrinking: an example takes seconds, shrinking one took minutes (the failing
    # example is printed as drawn)
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=st.lists(st.tuples(OPS, st.integers(4, 12), st.integers(3, 8)), min_size=2, max_size=4),
    derive_every=st.integers(2, 8),
    days_every=st.sampled_from([5_000, 7, 12]),
    data=st.data(),
)
def test_appended_aggregates_equal_a_rebuild(
    tmp_path_factory, extractor, ops, derive_every, days_every, data
):
    db = tmp_path_factory.mktemp("props") / "m.duckdb"
    store = open_store(db)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(ingest_mod, "DERIVE_EVERY_ITEMS", derive_every)
            # small: the day tables are also merged within a call
            mp.setattr(ingest_mod, "COMPACT_DAYS_EVERY_ITEMS", days_every)
            mp.setattr(ingest_mod, "VACUUM_EVERY_ITEMS", days_every)  # and merging checkpoints
            ingestor = Ingestor(store, extractor, Settings(db_path=db))
            run = _Run(store, ingestor, extractor)
            for op, n, group in [("new", 12, 4), *ops]:
                _write(run, op, n, group, lambda seq: data.draw(st.sampled_from(seq)))
                _check(store, merged=run.merged)
    finally:
        store.close()
        db.unlink(missing_ok=True)


def test_every_kind_of_step_in_one_sequence(tmp_path, extractor, monkeypatch) -> None:
    """A fixed sequence with every operation (seeded choices), which also checks that the
    corpus exercises what the drawn sequences rely on: keys holding several rows between
    derives, stories of three copies and more, quoted syndicated stories."""
    monkeypatch.setattr(ingest_mod, "DERIVE_EVERY_ITEMS", 3)
    monkeypatch.setattr(ingest_mod, "COMPACT_DAYS_EVERY_ITEMS", 10)
    monkeypatch.setattr(ingest_mod, "VACUUM_EVERY_ITEMS", 10)
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        run = _Run(store, Ingestor(store, extractor, Settings(db_path=db)), extractor)
        pick = random.Random(5).choice
        steps = [("new", 12, 4), ("same-cell", 10, 4), ("copies", 8, 4), ("update", 6, 4)]
        steps += [("stop", 8, 3), ("one", 6, 3)]
        for op, n, group in steps:
            _write(run, op, n, group, pick)
            _check(store, merged=run.merged)
        assert not run.merged and run.checks >= 10
        assert run.unmerged_seen, "keys with several rows between the derives of a call"
        with store.cursor() as cur:
            copies = cur.execute(
                "SELECT max(n) FROM (SELECT count(*) AS n FROM articles GROUP BY story_id)"
            ).fetchone()[0]
            quoted = cur.execute("SELECT count(*) FROM agg_day_quote_spread").fetchone()[0]
    finally:
        store.close()
    assert copies >= 3, "a story of three copies or more"
    assert quoted, "quotes in syndicated stories"
