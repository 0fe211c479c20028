-- name: agg_insert_article_cells
-- Recompute agg_article_cells for the cells whose articles are in _cell_articles(id, story,
-- hour, feed, n) (see migration 004).
INSERT INTO agg_article_cells
SELECT hour, feed, count(*), count(*) FILTER (WHERE n = 1) FROM _cell_articles GROUP BY ALL;
