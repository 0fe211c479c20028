-- name: agg_append_article_cells
-- Append to agg_article_cells the append step's differences per cell (migration 004): its
-- articles in _append_articles, weighted as in agg_append_cells.
INSERT INTO agg_article_cells
SELECT hour, feed, count(*) FILTER (WHERE new),
       count(*) FILTER (WHERE new AND n = 1) - count(*) FILTER (WHERE NOT new)
FROM _append_articles
GROUP BY ALL;
