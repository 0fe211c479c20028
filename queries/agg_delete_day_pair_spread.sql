-- name: agg_delete_day_pair_spread
-- Drop agg_day_pair_spread's rows of the days [$dlo, $dhi) before recomputing them (migration 006).
DELETE FROM agg_day_pair_spread WHERE day >= $dlo AND day < $dhi;
