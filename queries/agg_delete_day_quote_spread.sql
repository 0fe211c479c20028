-- name: agg_delete_day_quote_spread
-- Drop agg_day_quote_spread's rows of the days [$dlo, $dhi) before recomputing them (007).
DELETE FROM agg_day_quote_spread WHERE day >= $dlo AND day < $dhi;
