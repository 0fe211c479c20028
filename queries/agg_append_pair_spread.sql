-- name: agg_append_pair_spread
-- agg_append_spread for agg_pair_spread (migration 004): the append step's multi-copy
-- stories per cell and pair (_append_pairs) not held yet.
INSERT INTO agg_pair_spread
WITH fresh AS (
    SELECT DISTINCT hour, feed, country_a, name_a, country_b, name_b, story
    FROM _append_pairs WHERE n > 1
),
have AS (
    SELECT hour, feed, country_a, name_a, country_b, name_b, story FROM agg_pair_spread
    WHERE hour >= $lo AND hour < $hi AND story IN (SELECT story FROM fresh)
)
SELECT f.hour, f.feed, f.country_a, f.name_a, f.country_b, f.name_b, f.story
FROM fresh f ANTI JOIN have h
    ON h.hour = f.hour AND h.feed = f.feed AND h.country_a = f.country_a
   AND h.name_a = f.name_a AND h.country_b = f.country_b AND h.name_b = f.name_b
   AND h.story = f.story;
