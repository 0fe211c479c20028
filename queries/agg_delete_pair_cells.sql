-- name: agg_delete_pair_cells
-- Drop the rows of agg_pair_cells in the cells of _scope(hour, feed) before recomputing them
-- ($lo/$hi bound the cells' hours: the scan skips the rest by zone maps). Returns them as
-- negative day-grain counts (aggregates: the day pair cells are updated by the difference).
DELETE FROM agg_pair_cells c
WHERE c.hour >= $lo AND c.hour < $hi
  AND EXISTS (SELECT 1 FROM _scope s WHERE s.hour = c.hour AND s.feed = c.feed)
RETURNING date_trunc('day', hour) AS day, country_a, name_a, country_b, name_b,
          -articles AS articles, -solo_stories AS solo_stories;
