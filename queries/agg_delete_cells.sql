-- name: agg_delete_cells
-- Drop the pre-aggregated rows of the cells in _scope(hour, feed) before recomputing them
-- ($lo/$hi bound the cells' hours: the scan skips the rest by zone maps). Returns the day-grain
-- groups (day, kind, entity_id) the dropped rows counted in (aggregates._DAY_STEPS).
DELETE FROM agg_mention_cells c
WHERE c.hour >= $lo AND c.hour < $hi
  AND EXISTS (SELECT 1 FROM _scope s WHERE s.hour = c.hour AND s.feed = c.feed)
RETURNING date_trunc('day', hour) AS day, kind, entity_id;
