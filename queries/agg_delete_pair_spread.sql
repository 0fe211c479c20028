-- name: agg_delete_pair_spread
-- Drop the rows of agg_pair_spread in the cells of _scope(hour, feed) before recomputing them
-- ($lo/$hi bound the cells' hours: the scan skips the rest by zone maps). Returns them at day
-- grain with n = -1 (agg_day_pair_spread_changes).
DELETE FROM agg_pair_spread c
WHERE c.hour >= $lo AND c.hour < $hi
  AND EXISTS (SELECT 1 FROM _scope s WHERE s.hour = c.hour AND s.feed = c.feed)
RETURNING date_trunc('day', hour) AS day, country_a, name_a, country_b, name_b, story, -1 AS n;
