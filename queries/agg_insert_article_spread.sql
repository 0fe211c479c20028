-- name: agg_insert_article_spread
-- Recompute agg_article_spread for the cells whose articles are in _cell_articles: the
-- multi-copy stories per cell (see migration 004).
INSERT INTO agg_article_spread
SELECT DISTINCT hour, feed, story FROM _cell_articles WHERE n > 1;
