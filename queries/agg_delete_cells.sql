-- name: agg_delete_cells
-- Drop the pre-aggregated rows of the cells in _scope(hour, feed) before recomputing them.
DELETE FROM agg_mention_cells c
WHERE EXISTS (SELECT 1 FROM _scope s WHERE s.hour = c.hour AND s.feed = c.feed);
