"""Pre-aggregated mention counts (migration 003), country co-mentions, articles and quoted
articles (004) per hour x feed, their day-grain sums over all feeds (006) and quotes per day
and speaker (007), kept exact at every batch.

The ingestor's derive step calls `append(cur, ids)` when every id is a new article: the
cells tables get difference rows (a key may then have several: readers sum them, `compact`
merges them at the end of every ingest call) and the spread tables the rows they lack; its
cost follows the new articles, not the size of their cells. Otherwise (updates, ids of
unknown history) it calls `refresh(cur, ids)`: the affected cells (hour × feed of those
articles and of every other copy of their stories) are deleted and recomputed from
`mentions`, so the aggregate never disagrees with the rows. What follows is about `refresh`.
The dashboard's pages read it when no article-level filter (keyword, entity, speaker,
language) is active; see monitor/dashboard.py `page_query`.

Cost: a batch's cells span a few hours, so every statement but two is bounded by the cells'
hour range ($lo/$hi), which DuckDB turns into zone-map pruning of the time-ordered tables;
the two store-wide reads are single-column hash probes (`articles.id` for the batch,
`articles.story_id` for its stories' copies and sizes). The day tables are then
recomputed for the groups the batch touches, not whole days: (day, entity) and (day, pair)
groups of the recomputed hour cells, read before and after them, from the hour tables just
refreshed, and (day, speaker) groups of the quotes of the batch's stories from `quotes`.
So the derive step's hashing grows with what the ids touch, not with the day's size (a whole
day's quote units ran out of the poller's DuckDB memory_limit at 1M stored); the day
groups' reads still scan their days' rows by the zone maps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyarrow as pa
import pyarrow.compute as pc

from monitor import sql

_HOUR_STEPS = (
    "agg_delete_cells",
    "agg_delete_spread",
    "agg_delete_pair_cells",
    "agg_delete_pair_spread",
    "agg_insert_cells",
    "agg_insert_spread",
    "agg_insert_pairs",
    "agg_insert_pair_spread",
    "agg_delete_article_cells",
    "agg_delete_article_spread",
    "agg_insert_article_cells",
    "agg_insert_article_spread",
    "agg_delete_quoted_cells",
    "agg_delete_quoted_spread",
    "agg_insert_quoted_cells",
    "agg_insert_quoted_spread",
)
# These hour steps return the day-grain rows of what they drop (before, with negative
# counts) and add (after, positive): summed per day key, what is left non-zero names the day
# rows whose inputs changed, the only ones _refresh_days recomputes. A derive recomputes whole
# hour cells, so most of what it drops comes back as it was (the older articles of a cell);
# recomputing every day group the cells touch read and hashed the day's hour rows, a cost
# that grew with the day's size at every derive.
_RETURNING = {
    "agg_delete_cells": "cells",
    "agg_insert_cells": "cells",
    "agg_delete_spread": "spread",
    "agg_insert_spread": "spread",
    "agg_delete_pair_cells": "pairs",
    "agg_insert_pairs": "pairs",
    "agg_delete_pair_spread": "pair_spread",
    "agg_insert_pair_spread": "pair_spread",
}
_RETURNED = ("cells", "spread", "pairs", "pair_spread")
_DAY_STEPS = (
    # day grain (006): the changed groups and rows (_day_keys, _day_spread_keys,
    # _day_pair_delta, _day_pair_keys), from the hour tables just refreshed
    "agg_delete_day_cells",
    "agg_delete_day_spread",
    "agg_insert_day_cells",
    "agg_insert_day_spread",
    "agg_delete_day_pair_cells",
    "agg_delete_day_pair_spread",
    "agg_insert_day_pair_cells",
    "agg_insert_day_pair_spread",
    # quotes per day and speaker (007): the scope's (day, speaker) groups, from quotes (after
    # the article spread, which names the multi-copy stories)
    "agg_delete_day_quote_cells",
    "agg_delete_day_quote_spread",
    "agg_insert_day_quote_cells",
    "agg_insert_day_quote_spread",
)
# Every pre-aggregate table, in migration order (003, 004, 006, 007).
TABLES = (
    "agg_mention_cells",
    "agg_mention_spread",
    "agg_pair_cells",
    "agg_pair_spread",
    "agg_article_cells",
    "agg_article_spread",
    "agg_quoted_cells",
    "agg_quoted_spread",
    "agg_day_cells",
    "agg_day_spread",
    "agg_day_pair_cells",
    "agg_day_pair_spread",
    "agg_day_quote_cells",
    "agg_day_quote_spread",
)
_CLEAR = tuple(
    f"DELETE FROM {table}"  # noqa: S608 (constant table names, no input)
    for table in TABLES
)


def refresh(cur, article_ids: Sequence[str]) -> int:
    """Recompute the cells touched by `article_ids` (on `cur`'s transaction); returns the
    number of cells recomputed. `article_ids` must hold every article written since the
    cells were last brought up to date (the derive step's pending and written ids): the
    older copies of stories that already had several are not recomputed (agg_derive_scope)."""
    if not article_ids:
        return 0
    return refresh_cells(cur, cells_of(cur, article_ids, query="agg_derive_scope"))


_SCOPE = pa.schema([("hour", pa.timestamp("us")), ("feed", pa.string()), ("speaker", pa.string())])


def cells_of(cur, article_ids: Sequence[str], query: str = "agg_scope") -> pa.Table:
    """The cells the stored rows of `article_ids` count in: (hour, feed) of theirs and of
    every other copy of their stories (speaker null), and (hour, feed, speaker) of those
    articles' counted quotes, which name the quote day cells (day, speaker). Taken before an
    update replaces the rows, they are the cells the update leaves (see Ingestor._write).
    `query` names the copies: every copy (agg_scope), or a derive step's (agg_derive_scope)."""
    changed = pa.table({"id": pa.array(list(article_ids), pa.string())})
    with sql.registered(cur, _changed=changed):
        # a relation, not the DB-API result: Arrow without an extra copy of the rows
        copies = cur.sql(sql.get(query).sql).to_arrow_table()
    if copies.num_rows == 0:
        return _SCOPE.empty_table()
    # one row per copy: a cell may repeat (every reader of _scope semi-joins it)
    cells = copies.select(["hour", "feed"])
    cells = cells.append_column("speaker", pa.nulls(cells.num_rows, pa.string()))
    lo, hi = _hour_bounds(copies["hour"])
    with sql.registered(cur, _copies=copies.select(["id"])):
        speakers = _relation(cur, "agg_scope_speakers", lo=lo, hi=hi).to_arrow_table()
    return pa.concat_tables([cells.cast(_SCOPE), speakers.cast(_SCOPE)])


def refresh_cells(cur, scope: pa.Table) -> int:
    """Recompute the cells listed in `scope` (columns hour, feed and, for the quote day
    cells, speaker: see cells_of); returns the number of scope rows."""
    if scope.num_rows == 0:
        return 0
    if "speaker" not in scope.column_names:
        scope = scope.append_column("speaker", pa.nulls(scope.num_rows, pa.string()))
    lo, hi = _hour_bounds(scope["hour"])
    # the day tables recompute only the groups (day, key) the scope's hour rows count in,
    # before and after, but those groups read their whole days' hour rows: $dlo/$dhi
    bounds = {"lo": lo, "hi": hi, "dlo": _day(lo), "dhi": _day(hi - _HOUR) + _DAY}
    with sql.registered(cur, _scope=scope):
        articles = _relation(cur, "agg_scope_articles", **bounds).to_arrow_table()
        returned: dict[str, list[pa.Table]] = {k: [] for k in _RETURNED}
        with sql.registered(cur, _cell_articles=articles):
            # their mentions per article and entity, read once for the four mention and
            # quoted cell/spread statements (a TEMP table of this transaction)
            _execute(cur, "agg_cell_mentions", **bounds)
            for name in _HOUR_STEPS:
                if name in _RETURNING:  # the day-grain rows of what it drops or adds
                    returned[_RETURNING[name]].append(_arrow(cur, name, **bounds))
                else:
                    _execute(cur, name, **bounds)
            # only after the steps succeeded, as the unregisters: after a failed step the
            # transaction is aborted and the DROP would raise over the step's error (a
            # rollback drops the table anyway)
            _execute(cur, "agg_drop_cell_mentions")
        _refresh_days(cur, bounds, *(pa.concat_tables(returned[k]) for k in _RETURNED))
    return scope.num_rows


def _refresh_days(
    cur,
    bounds: dict,
    cell_rows: pa.Table,
    spread_rows: pa.Table,
    pair_delta: pa.Table,
    pair_spread_rows: pa.Table,
) -> None:
    """Bring the day tables up to date after the scope's hour cells were recomputed. Each
    argument holds the day-grain rows of the hour rows dropped (negative counts) and added
    (positive) by one hour table's statements; the day rows whose sums come back non-zero are
    recomputed (or, for the pair cells, updated by the difference), the others stand."""
    keys = {
        "_day_keys": _changes(cur, "agg_day_cell_changes", "_day_cell_rows", cell_rows),
        "_day_spread_keys": _changes(
            cur, "agg_day_spread_changes", "_day_spread_rows", spread_rows
        ),
        "_day_pair_keys": _changes(
            cur, "agg_day_pair_spread_changes", "_day_pair_spread_rows", pair_spread_rows
        ),
    }
    groups = _changes(cur, "agg_day_pair_changes", "_day_pair_rows", pair_delta)
    # the day pair cells': the groups that did not come back as they were (the recomputed
    # cells of a batch's older copies, mostly)
    keys["_day_pair_delta"] = groups.filter(
        pc.or_(pc.not_equal(groups["articles"], 0), pc.not_equal(groups["solo_stories"], 0))
    )
    # agg_delete_day_pair_cells returns its old rows, for the insert after it to add to
    # (both run or are skipped together)
    old_pairs = None
    with sql.registered(cur, **keys):
        for name in _DAY_STEPS:
            if _DAY_STEP_KEYS.get(name) and keys[_DAY_STEP_KEYS[name]].num_rows == 0:
                continue  # nothing of its table changed
            if name == "agg_delete_day_pair_cells":
                old_pairs = _arrow(cur, name, **bounds)
            elif name == "agg_insert_day_pair_cells":
                with sql.registered(cur, _day_pair_old=old_pairs):
                    _execute(cur, name, **bounds)
            else:
                _execute(cur, name, **bounds)


# The key table each day step reads (the quote steps read _scope): a step with no key rows
# would change nothing and is skipped.
_DAY_STEP_KEYS = {
    "agg_delete_day_cells": "_day_keys",
    "agg_insert_day_cells": "_day_keys",
    "agg_delete_day_spread": "_day_spread_keys",
    "agg_insert_day_spread": "_day_spread_keys",
    "agg_delete_day_pair_cells": "_day_pair_delta",
    "agg_insert_day_pair_cells": "_day_pair_delta",
    "agg_delete_day_pair_spread": "_day_pair_keys",
    "agg_insert_day_pair_spread": "_day_pair_keys",
}


def _changes(cur, name: str, table: str, rows: pa.Table) -> pa.Table:
    """A *_changes query's answer over `rows`, registered as `table` while it runs."""
    with sql.registered(cur, **{table: rows}):
        return _arrow(cur, name)


def _execute(cur, name: str, **params) -> None:
    """sql.execute, naming the step in an error (an out-of-memory error says only where)."""
    try:
        sql.execute(cur, name, **params)
    except Exception as exc:
        exc.add_note(f"aggregates step: {name}")
        raise


def _arrow(cur, name: str, **params) -> pa.Table:
    """The rows a statement returns (a relation: DML runs once, when it is created)."""
    try:
        return _relation(cur, name, **params).to_arrow_table()
    except Exception as exc:
        exc.add_note(f"aggregates step: {name}")
        raise


_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)


def _hour_bounds(hours: pa.ChunkedArray) -> tuple[datetime, datetime]:
    return pc.min(hours).as_py(), pc.max(hours).as_py() + _HOUR


def _day(t: datetime) -> datetime:
    return t.replace(hour=0, minute=0, second=0, microsecond=0)


def _relation(cur, name: str, **params):
    query = sql.get(name)
    return cur.sql(query.sql, params={k: v for k, v in params.items() if k in query.params})


def rebuild(cur) -> int:
    """Recompute every cell (after rows were written without the ingestor, e.g. benchmarks)."""
    for statement in _CLEAR:
        cur.execute(statement)
    return refresh_cells(cur, _relation(cur, "agg_rebuild_scope").to_arrow_table())


# The append step's statements, in order: the hour and day cells tables get difference rows
# (aggregates.append), the spread tables the rows they lack.
_APPEND_STEPS = (
    "agg_append_cells",
    "agg_append_day_cells",
    "agg_append_quoted_cells",
    "agg_append_spread",
    "agg_append_day_spread",
    "agg_append_quoted_spread",
    "agg_append_article_cells",
    "agg_append_article_spread",
    "agg_append_pair_cells",
    "agg_append_day_pair_cells",
    "agg_append_pair_spread",
    "agg_append_day_pair_spread",
    "agg_append_day_quote_cells",
    "agg_append_day_quote_spread",
)


@dataclass
class Span:
    """The hours [lo, hi) of the rows appended since the last compaction (None: none)."""

    lo: datetime | None = None
    hi: datetime | None = None

    def add(self, lo: datetime, hi: datetime) -> None:
        self.lo = lo if self.lo is None else min(self.lo, lo)
        self.hi = hi if self.hi is None else max(self.hi, hi)

    def __bool__(self) -> bool:
        return self.lo is not None


def append(cur, article_ids: Sequence[str], span: Span | None = None) -> int:
    """Bring every pre-aggregate table up to date for `article_ids` (on `cur`'s
    transaction) by appending rows, when all of them are new: never counted before, none an
    update (the derive step's pending ids; Ingestor._derive decides). Returns the number of
    articles counted: the new ones and the older copies of their stories that stop being solo.

    The cells tables get difference rows: a new article adds 1 (and 1 solo when its story has
    one copy), the older copy of a story that had exactly one takes 1 solo off every key it
    counted in. A key may so have several rows, whose sums are its counts (every reader sums
    them); `compact` merges them into the rows a recompute gives. The spread tables get only
    the rows they lack, so they stay one row per (key, story). Every read is of the counted
    articles' rows, bounded by their hours: its cost follows them, not the size of their
    cells or days (the recompute, `refresh`, reads whole cells). `span`, when given, is
    extended by the hours appended to (what `compact` merges later)."""
    if not article_ids:
        return 0
    changed = pa.table({"id": pa.array(list(article_ids), pa.string())})
    with sql.registered(cur, _changed=changed):
        counted = _relation(cur, "agg_append_articles").to_arrow_table()
    if counted.num_rows == 0:
        return 0
    lo, hi = _hour_bounds(counted["hour"])
    if span is not None:
        span.add(lo, hi)
    bounds = {"lo": lo, "hi": hi, "dlo": _day(lo), "dhi": _day(hi - _HOUR) + _DAY}
    with sql.registered(cur, _append_articles=counted):
        # The counted articles' quote rows, read once (a TEMP table): an import's step spans
        # most of the day, so the hour bounds prune little; three statements scanned the
        # day's quotes, and agg_append_mentions hashed all of them. One step of ~2,000
        # articles on a 100k store, one DuckDB thread: aggregates.append 0.084-0.086 ->
        # 0.069-0.075 ms/article; on a 20k store the same (round 14). Keeping the mention
        # rows as well (one mentions scan instead of two) gained less at 100k and lost at 20k.
        _execute(cur, "agg_append_quote_rows", **bounds)
        _execute(cur, "agg_append_mentions", **bounds)
        _execute(cur, "agg_append_pairs", **bounds)
        for name in _APPEND_STEPS:
            _execute(cur, name, **bounds)
        # after the steps succeeded (see refresh_cells: a DROP in an aborted transaction
        # would raise over the step's error)
        _execute(cur, "agg_append_drop_mentions")
        _execute(cur, "agg_append_drop_pairs")
        _execute(cur, "agg_append_drop_quote_rows")
    return counted.num_rows


# The cells tables `compact` merges: the hour tables', then the day tables' (by day).
# (take, put) query names of each table.
_COMPACT_HOURS = (
    ("agg_compact_take_mention_cells", "agg_compact_put_mention_cells"),
    ("agg_compact_take_quoted_cells", "agg_compact_put_quoted_cells"),
    ("agg_compact_take_article_cells", "agg_compact_put_article_cells"),
    ("agg_compact_take_pair_cells", "agg_compact_put_pair_cells"),
)
_COMPACT_DAYS = (
    ("agg_compact_take_day_cells", "agg_compact_put_day_cells"),
    ("agg_compact_take_day_pair_cells", "agg_compact_put_day_pair_cells"),
    ("agg_compact_take_day_quote_cells", "agg_compact_put_day_quote_cells"),
)
_EVER = (datetime(1, 1, 1), datetime(9999, 12, 30))


def compact(
    cur, lo: datetime | None = None, hi: datetime | None = None, days_only: bool = False
) -> int:
    """Merge the cells tables' rows per key within the hours [lo, hi) (the day tables': the
    days overlapping them; None: everything) into one row each, the row `rebuild` gives;
    keys whose counts sum to zero are dropped. Returns the number of rows taken out. With
    `days_only`, only the day tables (where `append` adds a row per key at every derive
    step; an hour cell's keys mostly get rows from one step)."""
    lo = _EVER[0] if lo is None else lo
    hi = _EVER[1] if hi is None else hi
    bounds = {"lo": lo, "hi": hi, "dlo": _day(lo), "dhi": _day(hi - _HOUR) + _DAY}
    taken = 0
    for take, put in (() if days_only else _COMPACT_HOURS) + _COMPACT_DAYS:
        rows = _arrow(cur, take, **bounds)
        if rows.num_rows:
            taken += rows.num_rows
            with sql.registered(cur, _compact_rows=rows):
                _execute(cur, put)
    return taken
