-- name: agg_add_pair_spread
-- Add the (cell, pair, story) rows of _pair_rows' multi-copy stories that agg_pair_spread
-- lacks: those of its new copies and of the older copies that stop being solo, but not the
-- keys an older copy of a multi-copy story in the same cell has already ('have'). No read of
-- agg_pair_spread (db96477's anti-join against it scanned the day). Returns the new rows at
-- day grain with n = 1 (agg_day_pair_spread_changes).
INSERT INTO agg_pair_spread
SELECT DISTINCT r.hour, r.feed, r.country_a, r.name_a, r.country_b, r.name_b, r.story
FROM _pair_rows r
WHERE r.kind <> 'have' AND r.n > 1
  AND NOT EXISTS (
      SELECT 1 FROM _pair_rows h
      WHERE h.kind = 'have' AND h.hour = r.hour AND h.feed = r.feed AND h.story = r.story
        AND h.country_a = r.country_a AND h.name_a = r.name_a
        AND h.country_b = r.country_b AND h.name_b = r.name_b
  )
RETURNING date_trunc('day', hour) AS day, country_a, name_a, country_b, name_b, story, 1 AS n;
