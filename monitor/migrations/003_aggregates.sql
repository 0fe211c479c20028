-- 003: pre-aggregated mention counts for the dashboard's pages (maintained by the ingestor in
-- the batch's transaction, monitor/aggregates.py). One cell = one hour of one feed.
--
-- agg_mention_cells: per cell and entity, the distinct articles mentioning it (additive over
--   hours and feeds: an article lies in exactly one cell) and how many of those are "solo":
--   the only article of their story, so each is one story on its own (also additive).
-- agg_mention_spread: the stories with several copies, one row per story, cell and entity;
--   story counts over any set of cells are sum(solo) + count(DISTINCT story) over these rows,
--   which equals count(DISTINCT story) over the mentions themselves.

CREATE TABLE agg_mention_cells (
    hour          TIMESTAMP NOT NULL,
    feed          VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    entity_id     VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    articles      INTEGER NOT NULL,
    solo_stories  INTEGER NOT NULL,
    spokesperson  BOOLEAN NOT NULL
);

CREATE TABLE agg_mention_spread (
    hour       TIMESTAMP NOT NULL,
    feed       VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,
    entity_id  VARCHAR NOT NULL,
    story      VARCHAR NOT NULL
);

-- existing data (same SQL as queries/agg_insert_cells.sql and agg_insert_spread.sql, all cells)
CREATE TEMP TABLE _agg_sizes AS
SELECT coalesce(story_id, id) AS story, count(*) AS n FROM articles GROUP BY ALL;

INSERT INTO agg_mention_cells
SELECT date_trunc('hour', m.published) AS hour, m.feed, m.kind, m.entity_id, any_value(m.name),
       count(DISTINCT m.article_id),
       count(DISTINCT m.article_id) FILTER (WHERE s.n = 1),
       bool_or(m.spokesperson)
FROM mentions m JOIN _agg_sizes s ON s.story = coalesce(m.story_id, m.article_id)
GROUP BY ALL
ORDER BY hour;

INSERT INTO agg_mention_spread
SELECT DISTINCT date_trunc('hour', m.published) AS hour, m.feed, m.kind, m.entity_id, s.story
FROM mentions m JOIN _agg_sizes s ON s.story = coalesce(m.story_id, m.article_id)
WHERE s.n > 1
ORDER BY hour;

DROP TABLE _agg_sizes;
