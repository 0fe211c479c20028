-- name: agg_insert_day_spread
-- Recompute agg_day_spread for the days [$dlo, $dhi) from the hour spread (migration 006; run
-- after agg_mention_spread is up to date).
INSERT INTO agg_day_spread
SELECT DISTINCT date_trunc('day', hour) AS day, kind, entity_id, story
FROM agg_mention_spread
WHERE hour >= $dlo AND hour < $dhi;
