"""aggregates.append (the derive step of new articles: difference rows for the cells tables,
the missing rows for the spread tables) and aggregates.compact (one row per key) against a
rebuild: the real Ingestor on real DuckDB files, synthetic corpora with 40% syndicated copies
arriving in later derive steps (solo stories turning multi-copy, stories gaining a second and
a third copy, in other cells and days, with quotes). Before compaction the cells tables'
sums per key and the spread tables' rows equal a rebuild's; after it every table equals a
rebuild row for row. A missed or doubled difference (a flip not taken off, an article
counted twice, a spread row added twice) fails both."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from monitor import aggregates
from monitor import ingest as ingest_mod
from monitor.config import Settings
from monitor.ingest import Ingestor
from monitor.parallel import ExtractorSpec
from monitor.store import open_store
from tests.test_aggregates_day_changes import _ingest_in_small_calls
from tests.test_aggregates_pending_updates import CFG, _grouped_batches
from tests.test_ingest_pipeline import _assert_exact

# Each cells table's key and its summed (or or'ed) columns; a key's rows add up to its counts.
_CELLS = {
    "agg_mention_cells": (
        "hour, feed, kind, entity_id",
        "sum(articles), sum(solo_stories), bool_or(spokesperson)",
    ),
    "agg_pair_cells": (
        "hour, feed, country_a, name_a, country_b, name_b",
        "sum(articles), sum(solo_stories)",
    ),
    "agg_article_cells": ("hour, feed", "sum(articles), sum(solo_stories)"),
    "agg_quoted_cells": ("hour, feed, kind, entity_id", "sum(articles), sum(solo_stories)"),
    "agg_day_cells": (
        "day, kind, entity_id",
        "sum(articles), sum(solo_stories), bool_or(spokesperson)",
    ),
    "agg_day_pair_cells": (
        "day, country_a, name_a, country_b, name_b",
        "sum(articles), sum(solo_stories)",
    ),
    "agg_day_quote_cells": ("day, speaker", "sum(units), sum(solo_units)"),
}
_SPREAD = [t for t in aggregates.TABLES if t not in _CELLS]


def _sums(cur) -> dict[str, list[tuple]]:
    """Per table: the cells tables' sums per key, the spread tables' rows (all of them:
    a row twice is an error there, readers count some with count(*))."""
    out = {
        table: sorted(
            cur.execute(
                f"SELECT {keys}, {sums} FROM {table} GROUP BY {keys}"  # noqa: S608 (constants)
            ).fetchall()
        )
        for table, (keys, sums) in _CELLS.items()
    }
    for table in _SPREAD:
        out[table] = sorted(cur.execute(f"SELECT * FROM {table}").fetchall())  # noqa: S608
    return out


def _repeated_keys(cur) -> int:
    """Keys of the cells tables that have more than one row."""
    return sum(
        cur.execute(
            f"SELECT count(*) FROM (SELECT {keys} FROM {table} GROUP BY {keys} "  # noqa: S608
            "HAVING count(*) > 1)"
        ).fetchall()[0][0]
        for table, (keys, _) in _CELLS.items()
    )


def _rebuilt_sums(db: Path) -> dict[str, list[tuple]]:
    copy = db.with_name(db.stem + "-sums.duckdb")
    shutil.copy(db, copy)
    store = open_store(copy)
    try:
        with store.transaction() as cur:
            aggregates.rebuild(cur)
            return _sums(cur)
    finally:
        store.close()


def _rows(cur) -> dict[str, list[tuple]]:
    return {t: sorted(cur.execute(f"SELECT * FROM {t}").fetchall()) for t in aggregates.TABLES}  # noqa: S608


def _tables(store) -> dict[str, list[tuple]]:
    with store.cursor() as cur:
        return _rows(cur)


def _rebuilt_here(store, read=_sums) -> dict[str, list[tuple]]:
    """`read` of a rebuild, in a transaction rolled back (the store stays as it was)."""
    with store.cursor() as cur:
        cur.execute("BEGIN")
        try:
            aggregates.rebuild(cur)
            return read(cur)
        finally:
            cur.execute("ROLLBACK")


@dataclasses.dataclass
class _Seen:
    """What the derive steps ran (the real functions, called through): which path, and the
    tables' sums per key as the last compaction found them."""

    appended: int = 0
    refreshed: int = 0
    before_compact: dict | None = None
    repeated: int = 0


@pytest.fixture
def seen(monkeypatch) -> _Seen:
    out = _Seen()
    append, refresh, compact = aggregates.append, aggregates.refresh, aggregates.compact

    def appended(cur, ids, span=None):
        out.appended += 1
        return append(cur, ids, span)

    def refreshed(cur, ids):
        out.refreshed += 1
        return refresh(cur, ids)

    def compacted(cur, lo=None, hi=None, days_only=False):
        if not days_only:
            out.before_compact, out.repeated = _sums(cur), _repeated_keys(cur)
        return compact(cur, lo, hi, days_only)

    monkeypatch.setattr(aggregates, "append", appended)
    monkeypatch.setattr(aggregates, "refresh", refreshed)
    monkeypatch.setattr(aggregates, "compact", compacted)
    return out


def _copy(entry, n: int, feed: str, minutes: int):
    """Another item with `entry`'s text (a copy of its story) in `feed`, `minutes` later."""
    return dataclasses.replace(
        entry,
        article_id=f"{entry.article_id}-copy{n}",
        guid=f"{entry.guid}-copy{n}",
        url=f"{entry.url}?copy={n}",
        feed=feed,
        published=entry.published + timedelta(minutes=minutes),
    )


def test_small_derives_equal_a_rebuild_before_and_after_compact(tmp_path, seen) -> None:
    """One ingest call (one append step, one compaction) per 12 entries of a feed: later
    calls bring copies of stories derived before. Then a quoted story gains copies one call
    at a time: 1 -> 2 (its older copy stops being solo), 2 -> 3 in the cell of one of them
    (its spread rows are there already), 3 -> 4 on the next day; each compared."""
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor, entries = _ingest_in_small_calls(store, CFG, per_call=12)
        assert seen.appended > 0 and seen.refreshed == 0
        feeds = sorted({e.feed for e in entries})
        with store.cursor() as cur:
            quoted = {r[0] for r in cur.execute("SELECT article_id FROM quotes").fetchall()}
            solo = {
                r[0]
                for r in cur.execute(
                    "SELECT any_value(id) FROM articles GROUP BY coalesce(story_id, id) "
                    "HAVING count(*) = 1"
                ).fetchall()
            }
        first = min(
            (e for e in entries if e.article_id in quoted & solo and e.published.minute < 30),
            key=lambda e: e.published,
        )
        other = next(f for f in feeds if f != first.feed)
        for copy in (
            _copy(first, 1, other, 20),
            _copy(first, 2, first.feed, 5),
            _copy(first, 3, other, 60 * 24 + 5),
        ):
            seen.before_compact = None
            ingestor.ingest(copy.feed, (copy,))
            rows, sums = _tables(store), _rebuilt_here(store)
            assert seen.before_compact == sums
            assert rows == _rebuilt_here(store, _rows)
        with store.cursor() as cur:
            copies = cur.execute(
                "SELECT count(*) FROM articles WHERE coalesce(story_id, id) = "
                "(SELECT coalesce(story_id, id) FROM articles WHERE id = ?)",
                [first.article_id],
            ).fetchall()[0][0]
        assert copies == 4
    finally:
        store.close()
    _assert_exact(db)


@pytest.mark.parametrize("every", [40, 10_000], ids=["derive-every-40", "derive-at-the-end"])
def test_grouped_ingest_with_updates_equals_a_rebuild(tmp_path, monkeypatch, seen, every):
    """One ingest_many call, derive steps every `every` articles, groups of 40 with updates
    of pending and derived articles: a group with updates derives by a recompute (refresh),
    over cells holding appended rows not yet merged; the others append. Before the call's
    compaction the sums per key equal a rebuild's, after it the rows do."""
    monkeypatch.setattr(ingest_mod, "DERIVE_EVERY_ITEMS", every)
    monkeypatch.setattr(ingest_mod, "COMPACT_DAYS_EVERY_ITEMS", 100)  # merge the days meanwhile
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor = Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))
        batches = _grouped_batches()
        updated = sum(r.updated for _, r, _ in ingestor.ingest_many(batches, 40))
        assert updated > 0
        assert seen.appended > 0 and seen.refreshed > 0
        assert seen.repeated > 0  # the compaction had rows to merge
    finally:
        store.close()
    assert seen.before_compact == _rebuilt_sums(db)
    _assert_exact(db)


def test_many_append_steps_in_one_call_sum_to_a_rebuild(tmp_path, monkeypatch, seen):
    """No update: every derive step of the call appends (a row per day key per step), the
    day tables merged at COMPACT_DAYS_EVERY_ITEMS' cadence, the rest at the call's end."""
    monkeypatch.setattr(ingest_mod, "DERIVE_EVERY_ITEMS", 30)
    monkeypatch.setattr(ingest_mod, "COMPACT_DAYS_EVERY_ITEMS", 90)
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        ingestor = Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))
        # the batches without their updates (each batch's last 20 entries are new)
        batches = [dataclasses.replace(b, entries=b.entries[-20:]) for b in _grouped_batches()]
        list(ingestor.ingest_many(batches, 20))
        assert seen.appended >= 5 and seen.refreshed == 0
        assert seen.repeated > 0
    finally:
        store.close()
    assert seen.before_compact == _rebuilt_sums(db)
    _assert_exact(db)


def test_ids_left_pending_by_a_killed_process_are_recomputed(tmp_path, monkeypatch, seen):
    """A process that stopped before its call's derive step leaves ids pending (their
    history unknown: the next ingestor recomputes their cells); the calls after it append."""
    monkeypatch.setattr(ingest_mod, "DERIVE_EVERY_ITEMS", 10_000)
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        batches = [b for b in _grouped_batches() if len(b.entries) == 20]
        half = len(batches) // 2
        first = Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))
        calls = first.ingest_many(batches[:half], 40)
        for _ in range(3):  # the caller stops: no derive step at the call's end
            next(calls)
        calls.close()
        assert store.query("derive_pending_count")[0][0] > 0
        assert seen.appended == seen.refreshed == 0
        again = Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))
        assert seen.refreshed == 1 and seen.appended == 0
        list(again.ingest_many(batches[half:], 40))
        assert seen.appended == 1
    finally:
        store.close()
    _assert_exact(db)


def test_compact_of_everything_equals_a_rebuild(tmp_path, monkeypatch, seen) -> None:
    """compact() with no bounds merges every key: appended rows left by calls whose own
    compaction never ran (a process killed after a derive step) end as a rebuild's."""
    monkeypatch.setattr(ingest_mod.Ingestor, "compact", lambda self: None)
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        _ingest_in_small_calls(store, CFG, per_call=12)
        with store.cursor() as cur:
            assert _repeated_keys(cur) > 0
        with store.transaction() as cur:
            assert aggregates.compact(cur) > 0
            assert _repeated_keys(cur) == 0
    finally:
        store.close()
    _assert_exact(db)


def test_rows_a_killed_process_left_unmerged_are_merged_by_the_next_ingestor(
    tmp_path, monkeypatch, seen
) -> None:
    """A call stopped after its append steps, before its compaction (a process killed there):
    the hours it appended to are in agg_uncompacted (migration 010), and the next ingestor
    merges them when it starts, with no call of its own: every table as a rebuild's."""
    monkeypatch.setattr(ingest_mod, "DERIVE_EVERY_ITEMS", 30)
    db = tmp_path / "m.duckdb"
    store = open_store(db)
    try:
        batches = [dataclasses.replace(b, entries=b.entries[-20:]) for b in _grouped_batches()]
        first = Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))
        calls = first.ingest_many(batches, 20)
        for _ in range(len(batches) - 1):  # the caller stops before the call's end
            next(calls)
        calls.close()
        assert seen.appended >= 2 and seen.before_compact is None
        with store.cursor() as cur:
            assert _repeated_keys(cur) > 0
            lo, hi = cur.execute("SELECT min(lo), max(hi) FROM agg_uncompacted").fetchone()
            assert lo is not None and lo < hi
        Ingestor(store, ExtractorSpec().build(), Settings(db_path=db))
        with store.cursor() as cur:
            assert _repeated_keys(cur) == 0
            assert cur.execute("SELECT count(*) FROM agg_uncompacted").fetchone()[0] == 0
    finally:
        store.close()
    _assert_exact(db)
