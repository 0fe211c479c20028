-- name: agg_compact_put_day_pair_cells
-- Put back into agg_day_pair_cells the rows agg_compact_take_day_pair_cells took
-- (_compact_rows), one per key with its rows' sums: the row a recompute gives (a key whose
-- counts sum to zero has no article left and no row).
INSERT INTO agg_day_pair_cells
SELECT day, country_a, name_a, country_b, name_b, sum(articles), sum(solo_stories)
FROM _compact_rows
GROUP BY day, country_a, name_a, country_b, name_b
HAVING sum(articles) > 0;
