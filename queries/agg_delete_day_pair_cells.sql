-- name: agg_delete_day_pair_cells
-- Drop agg_day_pair_cells's rows of the days [$dlo, $dhi) before recomputing them (migration 006).
DELETE FROM agg_day_pair_cells WHERE day >= $dlo AND day < $dhi;
