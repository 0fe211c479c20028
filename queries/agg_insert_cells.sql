-- name: agg_insert_cells
-- Recompute agg_mention_cells for the cells whose articles are in _cell_articles(id, story,
-- n), from their mentions per article and entity (_cell_mentions, see agg_cell_mentions;
-- migration 003). Returns the new rows at day grain with positive counts (see
-- agg_delete_cells).
INSERT INTO agg_mention_cells
SELECT hour, feed, kind, entity_id, any_value(name), count(*), count(*) FILTER (WHERE n = 1),
       bool_or(spokesperson)
FROM _cell_mentions
GROUP BY hour, feed, kind, entity_id
RETURNING date_trunc('day', hour) AS day, kind, entity_id, name, 1 AS n, articles, solo_stories,
          spokesperson::INTEGER AS spokesperson;
