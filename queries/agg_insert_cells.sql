-- name: agg_insert_cells
-- Recompute agg_mention_cells for the cells in _scope(hour, feed) (see migration 003).
INSERT INTO agg_mention_cells
WITH m AS (
    SELECT date_trunc('hour', m.published) AS hour, m.feed, m.kind, m.entity_id, m.name,
           m.article_id, coalesce(m.story_id, m.article_id) AS story, m.spokesperson
    FROM mentions m SEMI JOIN _scope s
        ON s.hour = date_trunc('hour', m.published) AND s.feed = m.feed
),
sizes AS (
    SELECT coalesce(story_id, id) AS story, count(*) AS n FROM articles
    WHERE coalesce(story_id, id) IN (SELECT story FROM m) GROUP BY ALL
)
SELECT hour, feed, kind, entity_id, any_value(name), count(DISTINCT article_id),
       count(DISTINCT article_id) FILTER (WHERE s.n = 1), bool_or(spokesperson)
FROM m JOIN sizes s USING (story)
GROUP BY hour, feed, kind, entity_id;
