"""The mention and quoted cells and spreads are groupings of one per-article table
(queries/agg_cell_mentions.sql) since round 5; before, each statement joined `mentions`
itself and counted count(DISTINCT article_id). These tests recompute the four tables with the
previous statements' SQL (kept here as the reference) on a store whose rows include what the
per-article step folds: an entity mentioned several times in one article, under two names,
with and without the spokesperson flag, in quoted and unquoted articles, in solo and
multi-copy stories. Real DuckDB, the real ingest path for the base corpus."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from monitor import aggregates
from monitor.store import insert_arrow, open_store
from tests.dashboard_fixtures import build_db

# The previous statements' SELECTs (queries/agg_insert_{cells,quoted_cells,spread,
# quoted_spread}.sql before 0f53d24), over every cell: _cell_articles is the whole store.
SIZES = """
    CREATE TEMP TABLE _cell_articles AS
    SELECT a.id, coalesce(a.story_id, a.id) AS story, s.n
    FROM articles a JOIN (
        SELECT coalesce(story_id, id) AS story, count(*) AS n FROM articles GROUP BY ALL
    ) s ON s.story = coalesce(a.story_id, a.id)
"""
QUOTED = "m.article_id IN (SELECT article_id FROM quotes)"
REFERENCE = {
    "agg_mention_cells": """
        SELECT date_trunc('hour', m.published) AS hour, m.feed, m.kind, m.entity_id,
               count(DISTINCT m.article_id), count(DISTINCT m.article_id) FILTER (WHERE c.n = 1),
               bool_or(m.spokesperson)
        FROM mentions m JOIN _cell_articles c ON c.id = m.article_id GROUP BY ALL""",
    "agg_quoted_cells": f"""
        SELECT date_trunc('hour', m.published) AS hour, m.feed, m.kind, m.entity_id,
               count(DISTINCT m.article_id), count(DISTINCT m.article_id) FILTER (WHERE c.n = 1)
        FROM mentions m JOIN _cell_articles c ON c.id = m.article_id
        WHERE {QUOTED} GROUP BY ALL""",  # noqa: S608 (constant text)
    "agg_mention_spread": """
        SELECT DISTINCT date_trunc('hour', m.published) AS hour, m.feed, m.kind, m.entity_id,
               c.story
        FROM mentions m JOIN _cell_articles c ON c.id = m.article_id WHERE c.n > 1""",
    "agg_quoted_spread": f"""
        SELECT DISTINCT date_trunc('hour', m.published) AS hour, m.feed, m.kind, m.entity_id,
               c.story
        FROM mentions m JOIN _cell_articles c ON c.id = m.article_id
        WHERE c.n > 1 AND {QUOTED}""",  # noqa: S608 (constant text)
}
# the tables' columns without `name` (any_value of the group's names, then and now)
COLUMNS = {
    "agg_mention_cells": "hour, feed, kind, entity_id, articles, solo_stories, spokesperson",
    "agg_quoted_cells": "hour, feed, kind, entity_id, articles, solo_stories",
    "agg_mention_spread": "hour, feed, kind, entity_id, story",
    "agg_quoted_spread": "hour, feed, kind, entity_id, story",
}


def _extra_mentions(cur) -> list[str]:
    """Mentions that repeat an entity in an article: twice more under another name (once as a
    spokesperson), for a quoted and an unquoted article of each kind of story."""
    rows = cur.execute(
        """
        WITH a AS (
            SELECT a.id, a.published, a.feed, a.story_id,
                   a.id IN (SELECT article_id FROM quotes) AS quoted,
                   count(*) OVER (PARTITION BY coalesce(a.story_id, a.id)) > 1 AS multi
            FROM articles a WHERE a.id IN (SELECT article_id FROM mentions)
        )
        SELECT any_value(id ORDER BY id), any_value(published ORDER BY id),
               any_value(feed ORDER BY id), any_value(story_id ORDER BY id)
        FROM a GROUP BY quoted, multi
        """
    ).fetchall()
    extra = []
    for article_id, published, feed, story_id in rows:
        kind, entity_id = cur.execute(
            "SELECT kind, entity_id FROM mentions WHERE article_id = ? ORDER BY entity_id LIMIT 1",
            [article_id],
        ).fetchone()
        for name, spokesperson in (("Another Name", False), ("Another Name", True)):
            extra.append(
                (
                    article_id,
                    kind,
                    entity_id,
                    name,
                    name,
                    0,
                    1,
                    "test",
                    spokesperson,
                    published,
                    feed,
                    story_id,
                )
            )
    columns = [r[0] for r in cur.execute("DESCRIBE mentions").fetchall()]
    table = pa.Table.from_pylist([dict(zip(columns, r, strict=True)) for r in extra])
    insert_arrow(
        cur,
        "mentions",
        table.cast(cur.sql("SELECT * FROM mentions LIMIT 0").to_arrow_table().schema),
    )
    return [r[0] for r in rows]


def _rows(cur, sql: str) -> list[tuple]:
    return sorted(cur.execute(sql).fetchall())


def test_cell_mentions_equal_the_previous_statements(tmp_path: Path) -> None:
    db = build_db(tmp_path)
    store = open_store(db)
    try:
        with store.transaction() as cur:
            touched = _extra_mentions(cur)
            assert len(touched) >= 3, "quoted/unquoted, solo/multi-copy articles expected"
            aggregates.refresh(cur, touched)
        with store.cursor() as cur:
            cur.execute(SIZES)
            for table, reference in REFERENCE.items():
                got = _rows(cur, f"SELECT {COLUMNS[table]} FROM {table}")  # noqa: S608
                assert got, table
                assert got == _rows(cur, reference), table
    finally:
        store.close()
