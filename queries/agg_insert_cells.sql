-- name: agg_insert_cells
-- Recompute agg_mention_cells for the cells whose articles are in _cell_articles(id, story,
-- n) (see migration 003; $lo/$hi bound their hours so the mentions scan is pruned). Returns
-- the day-grain groups (day, kind, entity_id) the new rows count in (aggregates._DAY_STEPS).
INSERT INTO agg_mention_cells
SELECT date_trunc('hour', m.published) AS hour, m.feed, m.kind, m.entity_id, any_value(m.name),
       count(DISTINCT m.article_id),
       count(DISTINCT m.article_id) FILTER (WHERE c.n = 1), bool_or(m.spokesperson)
FROM mentions m JOIN _cell_articles c ON c.id = m.article_id
WHERE m.published >= $lo AND m.published < $hi
GROUP BY ALL
RETURNING date_trunc('day', hour) AS day, kind, entity_id;
