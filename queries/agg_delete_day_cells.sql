-- name: agg_delete_day_cells
-- Drop agg_day_cells' rows of the days [$dlo, $dhi) before recomputing them (migration 006).
DELETE FROM agg_day_cells WHERE day >= $dlo AND day < $dhi;
