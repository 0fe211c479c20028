-- name: agg_insert_quoted_cells
-- Recompute agg_quoted_cells for the cells whose articles are in _cell_articles(id, story,
-- n): agg_insert_cells restricted to articles with a quote (_cell_mentions.quoted; migration
-- 004).
INSERT INTO agg_quoted_cells
SELECT hour, feed, kind, entity_id, any_value(name), count(*), count(*) FILTER (WHERE n = 1)
FROM _cell_mentions
WHERE quoted
GROUP BY hour, feed, kind, entity_id;
