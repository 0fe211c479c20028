-- name: agg_insert_spread
-- Recompute agg_mention_spread for the cells whose articles are in _cell_articles(id, story,
-- n): the multi-copy stories per cell and entity (_cell_mentions; migration 003). Returns the
-- new rows at day grain with n = 1 (agg_day_spread_changes).
INSERT INTO agg_mention_spread
SELECT DISTINCT hour, feed, kind, entity_id, story FROM _cell_mentions WHERE n > 1
RETURNING date_trunc('day', hour) AS day, kind, entity_id, story, 1 AS n;
