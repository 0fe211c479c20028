-- name: agg_compact_put_article_cells
-- Put back into agg_article_cells the rows agg_compact_take_article_cells took
-- (_compact_rows), one per key with its rows' sums: the row a recompute gives (a key whose
-- counts sum to zero has no article left and no row).
INSERT INTO agg_article_cells
SELECT hour, feed, sum(articles), sum(solo_stories)
FROM _compact_rows
GROUP BY hour, feed
HAVING sum(articles) > 0;
