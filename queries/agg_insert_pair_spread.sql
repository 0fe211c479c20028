-- name: agg_insert_pair_spread
-- Recompute agg_pair_spread for the cells whose articles are in _cell_articles(id, story, n):
-- the multi-copy stories per cell and pair (see migration 004). Returns the new rows at day
-- grain with n = 1 (agg_day_pair_spread_changes).
INSERT INTO agg_pair_spread
WITH m AS (
    SELECT DISTINCT m.article_id, date_trunc('hour', m.published) AS hour, m.feed, c.story,
           m.entity_id, m.name
    FROM mentions m JOIN _cell_articles c ON c.id = m.article_id
    WHERE m.kind = 'country' AND c.n > 1 AND m.published >= $lo AND m.published < $hi
)
SELECT DISTINCT a.hour, a.feed, a.entity_id, a.name, b.entity_id, b.name, a.story
FROM m a JOIN m b ON a.article_id = b.article_id AND a.entity_id < b.entity_id
RETURNING date_trunc('day', hour) AS day, country_a, name_a, country_b, name_b, story, 1 AS n;
