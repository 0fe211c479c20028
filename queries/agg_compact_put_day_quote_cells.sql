-- name: agg_compact_put_day_quote_cells
-- Put back into agg_day_quote_cells the rows agg_compact_take_day_quote_cells took
-- (_compact_rows), one per key with its rows' sums: the row a recompute gives (a key whose
-- counts sum to zero has no article left and no row).
INSERT INTO agg_day_quote_cells
SELECT day, speaker, sum(units), sum(solo_units)
FROM _compact_rows
GROUP BY day, speaker
HAVING sum(units) > 0;
