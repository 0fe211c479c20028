-- name: agg_insert_quoted_cells
-- Recompute agg_quoted_cells for the cells whose articles are in _cell_articles(id, story,
-- hour, feed, n): agg_insert_cells restricted to articles with a quote (migration 004).
INSERT INTO agg_quoted_cells
SELECT date_trunc('hour', m.published) AS hour, m.feed, m.kind, m.entity_id, any_value(m.name),
       count(DISTINCT m.article_id), count(DISTINCT m.article_id) FILTER (WHERE c.n = 1)
FROM mentions m JOIN _cell_articles c ON c.id = m.article_id
WHERE m.published >= $lo AND m.published < $hi
  AND m.article_id IN (SELECT article_id FROM quotes WHERE published >= $lo AND published < $hi)
GROUP BY ALL;
