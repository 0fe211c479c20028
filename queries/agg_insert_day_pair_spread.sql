-- name: agg_insert_day_pair_spread
-- Recompute agg_day_pair_spread's rows listed in _day_pair_keys(day, country_a, country_b,
-- story) from the hour spread: those that still have an hour row, with every name pair they
-- carry (migration 006; run after agg_pair_spread is up to date).
INSERT INTO agg_day_pair_spread
SELECT DISTINCT date_trunc('day', c.hour) AS day, c.country_a, c.name_a, c.country_b, c.name_b,
       c.story
FROM agg_pair_spread c SEMI JOIN _day_pair_keys k
    ON k.day = date_trunc('day', c.hour) AND k.country_a = c.country_a
   AND k.country_b = c.country_b AND k.story = c.story
WHERE c.hour >= $dlo AND c.hour < $dhi;
