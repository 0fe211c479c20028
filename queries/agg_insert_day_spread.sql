-- name: agg_insert_day_spread
-- Recompute agg_day_spread's rows listed in _day_spread_keys(day, kind, entity_id, story) from
-- the hour spread: those that still have an hour row (migration 006; run after
-- agg_mention_spread is up to date).
INSERT INTO agg_day_spread
SELECT DISTINCT date_trunc('day', c.hour) AS day, c.kind, c.entity_id, c.story
FROM agg_mention_spread c SEMI JOIN _day_spread_keys k
    ON k.day = date_trunc('day', c.hour) AND k.kind = c.kind AND k.entity_id = c.entity_id
   AND k.story = c.story
WHERE c.hour >= $dlo AND c.hour < $dhi;
