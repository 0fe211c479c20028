-- name: agg_insert_spread
-- Recompute agg_mention_spread for the cells whose articles are in _cell_articles(id, story,
-- n): the multi-copy stories per cell and entity (_cell_mentions; migration 003).
INSERT INTO agg_mention_spread
SELECT DISTINCT hour, feed, kind, entity_id, story FROM _cell_mentions WHERE n > 1;
