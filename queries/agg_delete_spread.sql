-- name: agg_delete_spread
-- Drop the multi-copy story rows of the cells in _scope(hour, feed) (see agg_delete_cells).
DELETE FROM agg_mention_spread c
WHERE c.hour >= $lo AND c.hour < $hi
  AND EXISTS (SELECT 1 FROM _scope s WHERE s.hour = c.hour AND s.feed = c.feed);
