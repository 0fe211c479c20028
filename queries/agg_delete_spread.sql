-- name: agg_delete_spread
-- Drop the multi-copy story rows of the cells in _scope(hour, feed) (see agg_delete_cells).
-- Returns them at day grain with n = -1 (agg_day_spread_changes).
DELETE FROM agg_mention_spread c
WHERE c.hour >= $lo AND c.hour < $hi
  AND EXISTS (SELECT 1 FROM _scope s WHERE s.hour = c.hour AND s.feed = c.feed)
RETURNING date_trunc('day', hour) AS day, kind, entity_id, story, -1 AS n;
