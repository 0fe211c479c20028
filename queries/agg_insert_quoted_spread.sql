-- name: agg_insert_quoted_spread
-- Recompute agg_quoted_spread: agg_insert_spread restricted to articles with a quote
-- (_cell_mentions.quoted; migration 004).
INSERT INTO agg_quoted_spread
SELECT DISTINCT hour, feed, kind, entity_id, story FROM _cell_mentions WHERE n > 1 AND quoted;
