-- name: agg_insert_day_pair_spread
-- Recompute agg_day_pair_spread for the days [$dlo, $dhi) from the hour spread (migration
-- 006; run after agg_pair_spread is up to date).
INSERT INTO agg_day_pair_spread
SELECT DISTINCT date_trunc('day', hour) AS day, country_a, name_a, country_b, name_b, story
FROM agg_pair_spread
WHERE hour >= $dlo AND hour < $dhi;
