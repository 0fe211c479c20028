-- name: agg_delete_cells
-- Drop the pre-aggregated rows of the cells in _scope(hour, feed) before recomputing them
-- ($lo/$hi bound the cells' hours: the scan skips the rest by zone maps). Returns the dropped
-- rows at day grain with negative counts (agg_day_cell_changes keeps the day groups whose
-- inputs did not come back as they were).
DELETE FROM agg_mention_cells c
WHERE c.hour >= $lo AND c.hour < $hi
  AND EXISTS (SELECT 1 FROM _scope s WHERE s.hour = c.hour AND s.feed = c.feed)
RETURNING date_trunc('day', hour) AS day, kind, entity_id, name, -1 AS n, -articles AS articles,
          -solo_stories AS solo_stories, -(spokesperson::INTEGER) AS spokesperson;
