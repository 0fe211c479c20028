-- name: agg_insert_quoted_spread
-- Recompute agg_quoted_spread for the cells whose articles are in _cell_articles: the
-- multi-copy stories per cell and entity, among articles with a quote (migration 004).
INSERT INTO agg_quoted_spread
SELECT DISTINCT date_trunc('hour', m.published) AS hour, m.feed, m.kind, m.entity_id, c.story
FROM mentions m JOIN _cell_articles c ON c.id = m.article_id
WHERE m.published >= $lo AND m.published < $hi AND c.n > 1
  AND m.article_id IN (SELECT article_id FROM quotes WHERE published >= $lo AND published < $hi);
