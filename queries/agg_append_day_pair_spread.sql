-- name: agg_append_day_pair_spread
-- agg_append_pair_spread at day grain (agg_day_pair_spread, migration 006; read with
-- count(*) by agg_day_co_mentions, so never a row twice). $dlo/$dhi bound the days read.
INSERT INTO agg_day_pair_spread
WITH fresh AS (
    SELECT DISTINCT date_trunc('day', hour) AS day, country_a, name_a, country_b, name_b, story
    FROM _append_pairs WHERE n > 1
),
have AS (
    SELECT day, country_a, name_a, country_b, name_b, story FROM agg_day_pair_spread
    WHERE day >= $dlo AND day < $dhi AND story IN (SELECT story FROM fresh)
)
SELECT f.day, f.country_a, f.name_a, f.country_b, f.name_b, f.story
FROM fresh f ANTI JOIN have h
    ON h.day = f.day AND h.country_a = f.country_a AND h.name_a = f.name_a
   AND h.country_b = f.country_b AND h.name_b = f.name_b AND h.story = f.story;
