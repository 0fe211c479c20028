-- name: agg_compact_put_pair_cells
-- Put back into agg_pair_cells the rows agg_compact_take_pair_cells took (_compact_rows), one
-- per key with its rows' sums: the row a recompute gives (a key whose counts sum to zero has
-- no article left and no row).
INSERT INTO agg_pair_cells
SELECT hour, feed, country_a, name_a, country_b, name_b, sum(articles), sum(solo_stories)
FROM _compact_rows
GROUP BY hour, feed, country_a, name_a, country_b, name_b
HAVING sum(articles) > 0;
