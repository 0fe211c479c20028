-- name: agg_insert_spread
-- Recompute agg_mention_spread for the cells in _scope(hour, feed) (see migration 003).
INSERT INTO agg_mention_spread
WITH m AS (
    SELECT DISTINCT date_trunc('hour', m.published) AS hour, m.feed, m.kind, m.entity_id,
           coalesce(m.story_id, m.article_id) AS story
    FROM mentions m SEMI JOIN _scope s
        ON s.hour = date_trunc('hour', m.published) AND s.feed = m.feed
),
sizes AS (
    SELECT coalesce(story_id, id) AS story, count(*) AS n FROM articles
    WHERE coalesce(story_id, id) IN (SELECT story FROM m) GROUP BY ALL
)
SELECT hour, feed, kind, entity_id, story FROM m JOIN sizes s USING (story) WHERE s.n > 1;
