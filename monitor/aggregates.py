"""Pre-aggregated mention counts (migration 003), kept exact at every batch.

The ingestor calls `refresh(cur, ids)` inside the batch's transaction with the ids it wrote:
the affected cells (hour × feed of those articles and of every other copy of their stories)
are deleted and recomputed from `mentions`, so the aggregate never disagrees with the rows.
The dashboard's pages read it when no article-level filter (keyword, entity, speaker,
language) is active; see monitor/dashboard.py `page_query`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from monitor import sql


def refresh(cur, article_ids: Sequence[str]) -> int:
    """Recompute the cells touched by `article_ids` (on `cur`'s transaction); returns the
    number of cells recomputed."""
    if not article_ids:
        return 0
    cur.register("_changed", pa.table({"id": pa.array(list(article_ids), pa.string())}))
    try:
        # a relation, not the DB-API result: Arrow without an extra copy of the rows
        scope = cur.sql(sql.get("agg_scope").sql).to_arrow_table()
    finally:
        cur.unregister("_changed")
    return refresh_cells(cur, scope)


def refresh_cells(cur, scope: pa.Table) -> int:
    """Recompute the cells listed in `scope` (columns hour, feed)."""
    if scope.num_rows == 0:
        return 0
    cur.register("_scope", scope)
    try:
        for name in (
            "agg_delete_cells",
            "agg_delete_spread",
            "agg_insert_cells",
            "agg_insert_spread",
        ):
            sql.execute(cur, name)
    finally:
        cur.unregister("_scope")
    return scope.num_rows


def rebuild(cur) -> int:
    """Recompute every cell (after rows were written without the ingestor, e.g. benchmarks)."""
    cur.execute("DELETE FROM agg_mention_cells")
    cur.execute("DELETE FROM agg_mention_spread")
    scope = cur.sql(
        "SELECT DISTINCT date_trunc('hour', published) AS hour, feed FROM articles"
    ).to_arrow_table()
    return refresh_cells(cur, scope)
