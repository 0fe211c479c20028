-- name: agg_delete_day_spread
-- Drop agg_day_spread's rows of the days [$dlo, $dhi) before recomputing them (migration 006).
DELETE FROM agg_day_spread WHERE day >= $dlo AND day < $dhi;
