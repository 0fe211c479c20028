-- name: agg_delete_day_quote_cells
-- Drop agg_day_quote_cells' rows of the days [$dlo, $dhi) before recomputing them (007).
DELETE FROM agg_day_quote_cells WHERE day >= $dlo AND day < $dhi;
