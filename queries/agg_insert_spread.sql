-- name: agg_insert_spread
-- Recompute agg_mention_spread for the cells whose articles are in _cell_articles(id, story,
-- n) (see migration 003): the multi-copy stories per cell and entity.
INSERT INTO agg_mention_spread
SELECT DISTINCT date_trunc('hour', m.published) AS hour, m.feed, m.kind, m.entity_id, c.story
FROM mentions m JOIN _cell_articles c ON c.id = m.article_id
WHERE m.published >= $lo AND m.published < $hi AND c.n > 1;
