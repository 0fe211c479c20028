-- name: agg_add_pair_spread
-- Add the multi-copy stories of _pair_rows to agg_pair_spread where their (cell, pair,
-- story) row is not there yet (another copy in the same cell lists it). Returns the new rows
-- at day grain with n = 1 (agg_day_pair_spread_changes). $lo/$hi bound the hours.
INSERT INTO agg_pair_spread
SELECT DISTINCT r.hour, r.feed, r.country_a, r.name_a, r.country_b, r.name_b, r.story
FROM _pair_rows r
WHERE r.n > 1
  AND NOT EXISTS (
      SELECT 1 FROM agg_pair_spread s
      WHERE s.hour >= $lo AND s.hour < $hi
        AND s.hour = r.hour AND s.feed = r.feed AND s.country_a = r.country_a
        AND s.name_a = r.name_a AND s.country_b = r.country_b AND s.name_b = r.name_b
        AND s.story = r.story
  )
RETURNING date_trunc('day', hour) AS day, country_a, name_a, country_b, name_b, story, 1 AS n;
