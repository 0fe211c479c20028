"""Pre-aggregated mention counts (migration 003), country co-mentions, articles and quoted
articles (004) per hour x feed, their day-grain sums over all feeds (006) and quotes per day
and speaker (007), kept exact at every batch.

The ingestor calls `refresh(cur, ids)` inside the batch's transaction with the ids it wrote:
the affected cells (hour × feed of those articles and of every other copy of their stories)
are deleted and recomputed from `mentions`, so the aggregate never disagrees with the rows.
The dashboard's pages read it when no article-level filter (keyword, entity, speaker,
language) is active; see monitor/dashboard.py `page_query`.

Cost: a batch's cells span a few hours, so every statement but two is bounded by the cells'
hour range ($lo/$hi), which DuckDB turns into zone-map pruning of the time-ordered tables;
the two store-wide reads are single-column hash probes (`articles.id` for the batch,
`articles.story_id` for its stories' copies and sizes). The day tables are then recomputed
for the batch's whole days ($dlo/$dhi) from the hour tables just refreshed, and the day quote
tables from `quotes` for those days.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pyarrow as pa
import pyarrow.compute as pc

from monitor import sql

_STEPS = (
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
    # day grain (006): the batch's whole days, from the hour tables just refreshed
    "agg_delete_day_cells",
    "agg_delete_day_spread",
    "agg_insert_day_cells",
    "agg_insert_day_spread",
    "agg_delete_day_pair_cells",
    "agg_delete_day_pair_spread",
    "agg_insert_day_pair_cells",
    "agg_insert_day_pair_spread",
    # quotes per day and speaker (007): the batch's whole days, from quotes (after the
    # article spread, which names the multi-copy stories)
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
    number of cells recomputed."""
    if not article_ids:
        return 0
    return refresh_cells(cur, cells_of(cur, article_ids))


def cells_of(cur, article_ids: Sequence[str]) -> pa.Table:
    """The cells (hour, feed) the stored rows of `article_ids` count in: theirs and those of
    every other copy of their stories. Taken before an update replaces the rows, they are
    the cells the update leaves (see Ingestor._write)."""
    cur.register("_changed", pa.table({"id": pa.array(list(article_ids), pa.string())}))
    try:
        # a relation, not the DB-API result: Arrow without an extra copy of the rows
        return cur.sql(sql.get("agg_scope").sql).to_arrow_table()
    finally:
        cur.unregister("_changed")


def refresh_cells(cur, scope: pa.Table) -> int:
    """Recompute the cells listed in `scope` (columns hour, feed)."""
    if scope.num_rows == 0:
        return 0
    lo = pc.min(scope["hour"]).as_py()
    last = pc.max(scope["hour"]).as_py()
    bounds = {
        "lo": lo,
        "hi": last + timedelta(hours=1),
        # the day tables are recomputed whole days at a time (a few thousand rows a day)
        "dlo": _day(lo),
        "dhi": _day(last) + timedelta(days=1),
    }
    cur.register("_scope", scope)
    try:
        articles = _relation(cur, "agg_scope_articles", **bounds).to_arrow_table()
        cur.register("_cell_articles", articles)
        try:
            for name in _STEPS:
                sql.execute(cur, name, **bounds)
        finally:
            cur.unregister("_cell_articles")
    finally:
        cur.unregister("_scope")
    return scope.num_rows


def _day(t: datetime) -> datetime:
    return t.replace(hour=0, minute=0, second=0, microsecond=0)


def _relation(cur, name: str, **params):
    query = sql.get(name)
    return cur.sql(query.sql, params={k: v for k, v in params.items() if k in query.params})


def rebuild(cur) -> int:
    """Recompute every cell (after rows were written without the ingestor, e.g. benchmarks)."""
    for statement in _CLEAR:
        cur.execute(statement)
    scope = cur.sql(
        "SELECT DISTINCT date_trunc('hour', published) AS hour, feed FROM articles"
    ).to_arrow_table()
    return refresh_cells(cur, scope)
