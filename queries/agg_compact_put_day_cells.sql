-- name: agg_compact_put_day_cells
-- Put back into agg_day_cells the rows agg_compact_take_day_cells took (_compact_rows), one
-- per key with its rows' sums: the row a recompute gives (a key whose counts sum to zero has
-- no article left and no row).
INSERT INTO agg_day_cells
SELECT day, kind, entity_id, any_value(name), sum(articles), sum(solo_stories),
       bool_or(spokesperson)
FROM _compact_rows
GROUP BY day, kind, entity_id
HAVING sum(articles) > 0;
